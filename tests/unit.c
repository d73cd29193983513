/* Unit tests: parsers, option values and counter names, no kernel needed. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attribution.h"
#include "counters.h"
#include "cpu.h"
#include "kernel_log.h"
#include "model.h"
#include "options.h"
#include "pressure.h"
#include "procfs.h"
#include "record.h"
#include "region.h"
#include "tap.h"
#include "victims.h"

static const char *fixtures;

static FILE *fixture(const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	f = fopen(path, "r");
	if (!f) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void test_parse_size(void)
{
	static const struct {
		const char *text;
		int ret;
		unsigned long long bytes;
	} cases[] = {
		{ "4096", 0, 4096 },
		{ "64K", 0, 64ULL << 10 },
		{ "64k", 0, 64ULL << 10 },
		{ "256M", 0, 256ULL << 20 },
		{ "1G", 0, 1ULL << 30 },
		{ "4T", 0, 4ULL << 40 },
		{ "0", 0, 0 },
		{ "", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },
		{ "-1M", -EINVAL, 0 },
		{ "1.5G", -EINVAL, 0 },
		{ "12Q", -EINVAL, 0 },
		{ "1GB", -EINVAL, 0 },
		{ "17179869184T", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long long v = 0;
		int ret = parse_size(cases[i].text, &v);

		ok(ret == cases[i].ret && (ret || v == cases[i].bytes),
		   "parse_size('%s') = %d, %llu", cases[i].text, ret, v);
	}
}

static void test_size_text(void)
{
	char buf[32];

	size_text(64ULL << 20, buf, sizeof(buf));
	is_str(buf, "64M", "size_text 64M");
	size_text(3ULL << 30, buf, sizeof(buf));
	is_str(buf, "3G", "size_text 3G");
	size_text(1536ULL << 10, buf, sizeof(buf));
	is_str(buf, "1536K", "size_text 1536K");
	size_text(4097, buf, sizeof(buf));
	is_str(buf, "4097", "size_text 4097");
}

static void test_cpu_list(void)
{
	struct cpu_list l = { 0 };
	char buf[64], *text;

	is_int(cpu_list_parse("0-3,8", &l), 0, "cpu list 0-3,8 parses");
	is_int(l.n, 5, "cpu list 0-3,8 has 5 CPUs");
	is_int(l.cpu[4], 8, "cpu list 0-3,8 ends with 8");
	is_int(cpu_list_max(&l), 9, "an array for 0-3,8 needs 9 entries");
	text = cpu_list_format(&l);
	is_str(text, "0,1,2,3,8", "cpu list formats back");
	free(text);
	is_int(cpu_list_parse("2,0", &l), 0, "order is kept");
	is_int(l.cpu[0], 2, "first CPU is the measuring one");
	is_int(cpu_list_parse("1,1", &l), -EINVAL, "duplicates refused");
	is_int(cpu_list_parse("3-1", &l), -EINVAL, "reversed range refused");
	is_int(cpu_list_parse("0-", &l), -EINVAL, "open range refused");
	is_int(cpu_list_parse("0,", &l), -EINVAL, "trailing comma refused");
	is_int(cpu_list_parse("", &l), -EINVAL, "empty list refused");
	is_int(cpu_list_parse("a", &l), -EINVAL, "letters refused");
	is_int(cpu_list_parse("999999", &l), -ERANGE, "huge CPU refused");
	is_int(cpu_list_parse("0-3,8,10-12", &l), 0, "cpu list with ranges");
	is_int(cpu_list_ranges(&l, buf, sizeof(buf)), 0, "ranges fit");
	is_str(buf, "0-3,8,10-12", "cpu list as ranges");
	is_int(cpu_list_parse("0,2,4,6,8,10,12,14,16", &l), 0, "9 CPUs");
	is_int(cpu_list_ranges(&l, buf, 12), -ENOSPC, "ranges too long");
	is_str(buf, "0,2,4,6,...", "too long: what fits, then ...");
	/* Beyond glibc's 1024-CPU cpu_set_t and the old fixed array. */
	is_int(cpu_list_parse("0-4095,8191", &l), 0, "4097 CPUs up to 8191");
	is_int(l.n, 4097, "all 4097 kept");
	is_int(l.cpu[4096], 8191, "the last is 8191");
	text = cpu_list_format(&l);
	ok(text && strlen(text) == 19374 && !strcmp(text + 19365, "4095,8191"),
	   "4097 CPUs format whole");
	free(text);
	is_int(cpu_list_parse("0-65536", &l), -ERANGE,
	       "a range beyond CPU_ID_LIMIT refused");
	is_int(cpu_list_parse("5,0-7", &l), -EINVAL,
	       "a duplicate inside a range refused");
	cpu_list_free(&l);
	is_int(l.n + l.cap, 0, "a freed list is empty");
	ok(l.cpu == NULL, "and holds nothing");
}

/*
 * 256 CPUs: the text summary gives each counter's smallest, median and
 * largest CPU instead of 256 columns, and names the CPUs no shootdown
 * reached, every line within 80 columns.
 */
static void test_many_cpus(void)
{
	static struct counters cs;
	static long long delta[2 * 256], noise[2 * 256];
	long long *d = delta, *z = noise;
	unsigned long long ns = 1000000;
	char *out = NULL, *line, *save;
	size_t len = 0;
	bool narrow = true;
	FILE *f;

	for (int k = 0; k < 256; k++) {
		cpu_list_add(&cs.cpus, k);
		delta[k] = k ? 0 : 33;			/* the sender */
		delta[256 + k] = k && k < 200 ? 33 : 0;	/* received */
	}
	cs.n = 2;
	snprintf(cs.c[0].name, sizeof(cs.c[0].name), "tlb_flush.remote_send_ipi");
	snprintf(cs.c[1].name, sizeof(cs.c[1].name), "tlb_flush.remote_shootdown");
	cs.c[0].supported = cs.c[1].supported = true;
	f = open_memstream(&out, &len);
	if (!ok(f != NULL, "memstream"))
		return;
	samples_text_summary(f, &cs, &d, &z, &ns, 1);
	fclose(f);
	ok(strstr(out, "cpu min   median      max       sum") != NULL,
	   "256 CPUs: min, median and max columns");
	ok(strstr(out, "  tlb_flush.remote_shootdown          0       33       33      6567") != NULL,
	   "received: 0 on the least, 33 on the median and most CPUs, 6567 in all");
	ok(strstr(out, "# tlb_flush.remote_shootdown: none on 57 of 256 CPUs: 0,200-255\n") != NULL,
	   "the CPUs no shootdown reached, as ranges");
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		narrow &= strlen(line) <= 80;
	ok(narrow, "every line within 80 columns");
	free(out);
	cpu_list_free(&cs.cpus);
}

/*
 * How remote flushes reached the other CPUs, from two CPUs' counts:
 * received by IPI, flushed by the hypervisor (sent, nothing received, no
 * CSD queued, the helper on its CPU), or not to be judged.
 */
static void test_remote_flush(void)
{
	static const char *const names[] = {
		"tlb_flush.remote_send_ipi", "tlb_flush.remote_shootdown",
		"interrupts.tlb", "csd.queue_cpu",
	};
	static struct counters cs;
	/* [counter][cpu]: sent on CPU 0, received, TLB row, CSDs */
	long long v[4 * 2];

	for (int k = 0; k < 2; k++)
		cpu_list_add(&cs.cpus, k);
	cs.n = 4;
	for (int i = 0; i < 4; i++) {
		snprintf(cs.c[i].name, sizeof(cs.c[i].name), "%s", names[i]);
		cs.c[i].supported = true;
	}
	memset(v, 0, sizeof(v));
	v[0] = 33;
	ok(counters_remote_flush(&cs, v, true) == REMOTE_FLUSH_HYPERVISOR &&
	   !strcmp(remote_flush_name(REMOTE_FLUSH_HYPERVISOR), "hypervisor"),
	   "33 sent, none received, no CSD, helper stayed: hypervisor");
	ok(counters_remote_flush(&cs, v, false) == REMOTE_FLUSH_UNKNOWN &&
	   remote_flush_name(REMOTE_FLUSH_UNKNOWN) == NULL,
	   "the same with the helper switched out: not judged");
	v[3 * 2] = 33;
	ok(counters_remote_flush(&cs, v, true) == REMOTE_FLUSH_UNKNOWN,
	   "33 CSDs queued but nothing received: not judged");
	v[3 * 2] = 0;
	v[1 * 2 + 1] = 33;
	ok(counters_remote_flush(&cs, v, false) == REMOTE_FLUSH_IPI &&
	   !strcmp(remote_flush_name(REMOTE_FLUSH_IPI), "ipi"),
	   "33 received on CPU 1: ipi, whatever the helper did");
	v[1 * 2 + 1] = 0;
	v[2 * 2 + 1] = 1;
	ok(counters_remote_flush(&cs, v, true) == REMOTE_FLUSH_IPI,
	   "a TLB interrupt alone: ipi");
	v[2 * 2 + 1] = 0;
	v[0] = 1;
	ok(counters_remote_flush(&cs, v, true) == REMOTE_FLUSH_UNKNOWN,
	   "one flush sent: too few to judge");
	cs.c[1].supported = false;
	v[0] = 33;
	ok(counters_remote_flush(&cs, v, true) == REMOTE_FLUSH_UNKNOWN,
	   "received not counted: not judged");
	cpu_list_free(&cs.cpus);
}

/* Text symbols only, whole names only, modules' too. */
static void test_kallsyms(void)
{
	static const struct {
		const char *name;
		int want;
	} cases[] = {
		{ "tlb_flush_mmu", 1 }, { "native_flush_tlb_multi", 1 },
		{ "brd_submit_bio", 1 }, { "tlb_flush", 0 },
		{ "flush_tlb_mm_range_data", 0 }, { "arch_tlbbatch_flush", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *f = fixture("kallsyms");

		is_int(procfs_kallsyms_has(f, cases[i].name), cases[i].want,
		       cases[i].name);
		fclose(f);
	}
	{
		static const char *const names[] = {
			"tlb_flush_mmu", "tlb_flush", "brd_submit_bio",
		};
		FILE *f = fixture("kallsyms");
		int found[3];

		is_int(procfs_kallsyms_find(f, names, 3, found), 0,
		       "three symbols in one pass");
		ok(found[0] == 1 && found[1] == 0 && found[2] == 1,
		   "one pass: each found as one at a time finds it");
		fclose(f);
	}
	{
		/* A callback's address: text symbols that start there. */
		static const unsigned long long addr[] = {
			0xffffffff810a1230ULL, 0xffffffff810c0000ULL,
			0xffffffff810a1231ULL, 0xffffffffc0001000ULL,
		};
		char names[4][PROCFS_SYM_MAX];
		FILE *f = fixture("kallsyms-addr");

		is_int(procfs_kallsyms_names(f, addr, 4, names), 0,
		       "names of four addresses in one pass");
		ok(!strcmp(names[0], "flush_tlb_func") && !names[1][0] &&
		   !names[2][0] && !strcmp(names[3], "brd_submit_bio"),
		   "a function's start is named, data and mid-function not "
		   "(%s, '%s', '%s', %s)", names[0], names[1], names[2],
		   names[3]);
		fclose(f);
		f = fixture("kallsyms");
		is_int(procfs_kallsyms_names(f, addr, 1, names), 0,
		       "kallsyms with hidden addresses read");
		ok(!names[0][0], "hidden addresses name nothing");
		fclose(f);
	}
}

/* INVLPGB as a whole word of the first CPU's flags. */
static void test_cpu_flag(void)
{
	FILE *f = fixture("cpuinfo-invlpgb");

	is_int(procfs_cpu_flag(f, "invlpgb"), 1, "invlpgb: the last flag");
	rewind(f);
	is_int(procfs_cpu_flag(f, "pcid"), 1, "pcid: a middle flag");
	fclose(f);
	f = fixture("cpuinfo-intel");
	is_int(procfs_cpu_flag(f, "invlpgb"), 0, "xinvlpgb is not invlpgb");
	fclose(f);
	f = fixture("interrupts-2cpu");
	is_int(procfs_cpu_flag(f, "invlpgb"), -ENOENT, "no flags line");
	fclose(f);
}

/* "Key: value" lines: /proc/meminfo and /proc/PID/status. */
static void test_field(void)
{
	static char text[] = "Name:\ttlbbench\nvoluntary_ctxt_switches:\t7\n"
			     "nonvoluntary_ctxt_switches:\t42\n"
			     "MemAvailable:   2048 kB\n";
	unsigned long long v = 0;
	FILE *f = fmemopen(text, strlen(text), "r");

	is_int(procfs_field(f, "nonvoluntary_ctxt_switches", &v), 0,
	       "status: the key found");
	is_int((int)v, 42, "status: not the voluntary count before it");
	rewind(f);
	is_int(procfs_field(f, "MemAvailable", &v), 0, "meminfo: found");
	is_int((int)v, 2048, "meminfo: the kB value");
	rewind(f);
	is_int(procfs_field(f, "MemAvail", &v), -ENOENT,
	       "a key's prefix is not the key");
	fclose(f);
}

/*
 * N CPUs, CPU k with k TLB interrupts: lines longer than 64 KiB and more
 * than 4096 columns, beyond the parser's old fixed buffers.
 */
static void test_interrupts_wide(int n)
{
	long long *c = calloc(n, sizeof(*c));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool right = true;

	if (!ok(f && c, "a wide /proc/interrupts"))
		return;
	for (int k = 0; k < n; k++)
		fprintf(f, "%*sCPU%d", k ? 6 : 11, "", k);
	fprintf(f, "\n  0:");
	for (int k = 0; k < n; k++)
		fprintf(f, " %10d", 1);
	fprintf(f, "  IO-APIC  timer\n TLB:");
	for (int k = 0; k < n; k++)
		fprintf(f, " %10d", k);
	fprintf(f, "   TLB shootdowns\n");
	fclose(f);
	ok(len > 65536, "its lines are longer than 64 KiB");
	f = fmemopen(text, len, "r");
	is_int(procfs_interrupts_row(f, "TLB", c, n), n, "every column read");
	for (int k = 0; k < n; k++)
		right &= c[k] == k;
	ok(right, "each CPU's count in its place");
	fclose(f);
	free(text);
	free(c);
}

static void test_interrupts(void)
{
	long long c[16];
	FILE *f;

	f = fixture("interrupts-2cpu");
	is_int(procfs_interrupts_row(f, "TLB", c, 16), 2, "TLB row: 2 CPUs");
	is_int(c[0], 629, "TLB CPU0");
	is_int(c[1], 636, "TLB CPU1");
	fclose(f);

	f = fixture("interrupts-2cpu");
	is_int(procfs_interrupts_row(f, "CAL", c, 16), 2, "CAL row");
	is_int(c[1], 21516, "CAL CPU1");
	fclose(f);

	/* Columns follow the header: CPU1 is offline here. */
	f = fixture("interrupts-offline");
	is_int(procfs_interrupts_row(f, "TLB", c, 16), 3,
	       "offline CPU: 3 columns");
	ok(c[0] == 7 && c[1] == 0 && c[2] == 11 && c[3] == 13,
	   "offline CPU: columns map to CPUs 0,2,3");
	fclose(f);

	f = fixture("interrupts-arm64");
	is_int(procfs_interrupts_row(f, "TLB", c, 16), -ENOENT,
	       "no TLB row: -ENOENT");
	fclose(f);

	f = fixture("interrupts-bad");
	is_int(procfs_interrupts_row(f, "TLB", c, 16), -EINVAL,
	       "malformed count: -EINVAL");
	fclose(f);

	f = fixture("interrupts-offline");
	is_int(procfs_interrupts_row(f, "TLB", c, 2), -EINVAL,
	       "CPU beyond the array: -EINVAL");
	fclose(f);
	test_interrupts_wide(6000);
}

static void test_smaps(void)
{
	struct smaps_vma v;
	FILE *f;

	f = fixture("smaps");
	is_int(procfs_smaps_vma(f, 0x7f0000000000UL, &v), 0, "tmpfs VMA found");
	is_int(v.size_kb, 65536, "tmpfs VMA size");
	is_int(v.private_dirty_kb, 65536, "tmpfs VMA dirty");
	is_str(smaps_granularity(&v), "4k", "tmpfs VMA mapped by PTEs");
	fclose(f);

	f = fixture("smaps");
	is_int(procfs_smaps_vma(f, 0x7f0004000000UL, &v), 0, "ext4 VMA found");
	is_int(v.file_pmd_kb, 65536, "ext4 VMA FilePmdMapped");
	is_str(smaps_granularity(&v), "pmd", "ext4 VMA mapped by PMDs");
	fclose(f);

	f = fixture("smaps");
	is_int(procfs_smaps_vma(f, 0x7f0008000000UL, &v), 0, "mixed VMA found");
	is_int(v.rss_kb, 32768, "mixed VMA Rss");
	is_int(v.shared_dirty_kb, 4096, "mixed VMA Shared_Dirty");
	is_str(smaps_granularity(&v), "mixed", "mixed VMA granularity");
	fclose(f);

	f = fixture("smaps");
	is_int(procfs_smaps_vma(f, 0x7f0010000000UL, &v), 0, "hugetlb VMA found");
	is_int(v.private_hugetlb_kb, 4096, "hugetlb VMA Private_Hugetlb");
	is_str(smaps_granularity(&v), "hugetlb", "hugetlb VMA granularity");
	fclose(f);

	f = fixture("smaps");
	is_int(procfs_smaps_vma(f, 0x7f0004001000UL, &v), -ENOENT,
	       "no VMA starts there: -ENOENT");
	fclose(f);

	f = fixture("smaps-bad");
	is_int(procfs_smaps_vma(f, 0x7f0000000000UL, &v), -EINVAL,
	       "malformed smaps: -EINVAL");
	fclose(f);
}

/* The names every result reader depends on, in output order. */
static void test_counter_names(void)
{
	static const char *const want[] = {
		"tlb_flush.task_switch", "tlb_flush.remote_shootdown",
		"tlb_flush.local_shootdown", "tlb_flush.local_mm_shootdown",
		"tlb_flush.remote_send_ipi", "tlb_flush.remote_wrong_cpu",
		"tlb_flush.total", "ipi.send_cpu", "ipi.send_cpumask",
		"csd.queue_cpu", "interrupts.tlb", "kprobe.tlb_flush_mmu",
		"kprobe.flush_tlb_mm_range", "kprobe.arch_tlbbatch_flush",
		"kprobe.zap_dirty_table_batched",
		"kprobe.zap_dirty_table_fallback",
	};
	const int n = sizeof(want) / sizeof(want[0]);
	struct counters cs;
	char err[512];
	int ret = counters_open(&cs, "none", SCOPE_SYSTEM, NULL, 0, err,
				sizeof(err));
	int tid = gettid();
	bool own = true;

	if (!ok(ret == 0, "counters open (hw events: none)")) {
		printf("# %s\n", err);
		for (int i = 0; i <= n; i++)
			ok(0, "counter name %d", i);
		return;
	}
	is_int(cs.n, n, "fixed counter count");
	for (int i = 0; i < n; i++)
		is_str(i < cs.n ? cs.c[i].name : NULL, want[i],
		       "counter %d is %s", i, want[i]);
	counters_close(&cs);

	ret = counters_open(&cs, "perf::NO-SUCH-EVENT-XYZ", SCOPE_SYSTEM,
			    NULL, 0, err, sizeof(err));
	ok(ret == 0 && cs.n == n + 1 &&
	   !strcmp(cs.c[n].name, "hw.perf::NO-SUCH-EVENT-XYZ") &&
	   !cs.c[n].supported && cs.c[n].note[0],
	   "unknown hw event recorded as unsupported with a reason: %s",
	   ret ? err : cs.c[n].note);
	if (!ret)
		counters_close(&cs);

	/* Per process: this thread's events, one slot per CPU it may use. */
	ret = counters_open(&cs, "none", SCOPE_PROCESS, &tid, 1, err,
			    sizeof(err));
	for (int k = 0; !ret && k < cs.nslots; k++)
		own &= cs.slot[k].pid == tid &&
		       cs.slot[k].cpu == (cpu_pinned(tid) >= 0 ? -1 :
					  cs.cpus.cpu[cs.slot[k].col]);
	ok(ret == 0 && cs.scope == SCOPE_PROCESS && cs.nslots >= 1 && own &&
	   cs.n == n, "--scope process: slots on this thread only (%d)",
	   cs.nslots);
	if (!ret)
		counters_close(&cs);
	/* Threads with no thread named: every thread's events. */
	ret = counters_open(&cs, "none", SCOPE_THREADS, NULL, 0, err,
			    sizeof(err));
	ok(ret == 0 && cs.scope == SCOPE_SYSTEM && cs.nslots == cs.cpus.n,
	   "--scope threads without threads counts the system");
	if (!ret)
		counters_close(&cs);
}

/* Chains seen on 6.18 (and shapes of other kernels), innermost first. */
static void test_attr_classify(void)
{
	static const struct {
		const char *frames[8];
		const char *want;	/* NULL: unclassified */
	} cases[] = {
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "unmap_page_range", "unmap_vmas",
		    "vms_clear_ptes.part.0" }, "zap_page_table" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "zap_pte_range", "zap_pmd_range" },
		  "zap_page_table" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_finish_mmu",
		    "vms_clear_ptes.part.0" }, "end_of_operation" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_flush_mmu", "tlb_finish_mmu",
		    "exit_mmap" }, "end_of_operation" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_flush_mmu", "zap_huge_pmd",
		    "unmap_page_range" }, "batch_full" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_remove_table",
		    "free_pgd_range", "free_pgtables" }, "free_page_tables" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "ptep_clear_flush", "page_vma_mkclean_one.constprop.0",
		    "page_mkclean_one", "__rmap_walk_file", "folio_mkclean" },
		  "writeback" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "ptep_clear_flush", "do_wp_page", "__handle_mm_fault" },
		  "write_fault" },
		{ { "flush_tlb_func", "__flush_smp_call_function_queue",
		    "__sysvec_call_function_single" }, "shootdown_received" },
		/* The sender's local flush, inside flush_tlb_mm_range(). */
		{ { "flush_tlb_func", "smp_call_function_many_cond",
		    "on_each_cpu_cond_mask", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "unmap_page_range" },
		  "zap_page_table" },
		{ { "switch_mm_irqs_off", "__schedule", "schedule" },
		  "task_switch" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "change_pmd_range", "change_protection" }, NULL },
		/* A longer name is another function. */
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_finish_mmu_x", "tlb_flush_mmu_tlbonly",
		    "unmap_vmas" }, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = 0, p;

		while (n < 8 && cases[i].frames[n])
			n++;
		p = attr_classify(cases[i].frames, n);
		if (cases[i].want)
			is_str(p >= 0 ? attr_path_key(p) : "(none)",
			       cases[i].want, "chain %zu is %s", i,
			       cases[i].want);
		else
			ok(p < 0, "chain %zu is unclassified (got %s)", i,
			   p >= 0 ? attr_path_key(p) : "none");
	}
}

/* JSON keys, and reasons named as the counters name them. */
static void test_attr_keys(void)
{
	static const char *const counter[ATTR_REASONS] = {
		"tlb_flush.task_switch", "tlb_flush.remote_shootdown",
		"tlb_flush.local_shootdown", "tlb_flush.local_mm_shootdown",
		"tlb_flush.remote_send_ipi", "tlb_flush.remote_wrong_cpu",
	};
	char key[160];

	for (int r = 0; r < ATTR_REASONS; r++) {
		snprintf(key, sizeof(key), "tlb_flush.%s",
			 attr_reason_name(r));
		is_str(key, counter[r], "reason %d named like its counter", r);
	}
	attr_count_key(ATTR_SEND, 0, key, sizeof(key));
	is_str(key, "attr.zap_page_table", "sender key");
	attr_count_key(1, ATTR_PATHS_MAX, key, sizeof(key));
	is_str(key, "attr.remote_shootdown.unclassified",
	       "key of another reason");
}

/* Where kernel reports begin, and what the console and kmsg readers cut. */
static struct klog_report klog_seen;
static int klog_nseen;

static void klog_keep(const struct klog_report *r, void *arg)
{
	(void)arg;
	klog_seen = *r;
	klog_nseen++;
}

/* WARN(cond, fmt) prints fmt between "cut here" and its WARNING line. */
static void klog_cut_message(void)
{
	static const char *const warn[] = {
		"------------[ cut here ]------------",
		"tlbbench test: a dirty file PTE was zapped",
		"WARNING: CPU: 0 PID: 60 at mm/memory.c:1497 unmap_page_range",
		"CPU: 0 UID: 0 PID: 60 Comm: tlbbench",
	};
	static const char *const plain[] = {
		"------------[ cut here ]------------",
		"WARNING: CPU: 0 PID: 113 at fs/ext4/inode.c:3586 ext4_dirty",
		"CPU: 0 UID: 0 PID: 113 Comm: tlbbench",
	};
	static const char *const stray[] = {
		"Run /init as init process",
		"WARNING: CPU: 1 PID: 1 at x",
	};
	struct klog_parser p;

	klog_init(&p, klog_keep, NULL);
	for (size_t i = 0; i < sizeof(warn) / sizeof(*warn); i++)
		klog_feed(&p, warn[i]);
	klog_finish(&p);
	ok(klog_nseen == 1 && klog_seen.ntext == 3 &&
	   !strcmp(klog_seen.text[0], warn[2]) &&
	   !strcmp(klog_seen.text[1], warn[1]) &&
	   !strcmp(klog_seen.text[2], warn[3]),
	   "a WARN's own message is its second line (%d lines)",
	   klog_seen.ntext);
	klog_nseen = 0;
	klog_init(&p, klog_keep, NULL);
	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++)
		klog_feed(&p, plain[i]);
	klog_finish(&p);
	ok(klog_nseen == 1 && klog_seen.ntext == 2 &&
	   !strcmp(klog_seen.text[1], plain[2]),
	   "a WARN without a message: the lines after it");
	klog_nseen = 0;
	klog_init(&p, klog_keep, NULL);
	for (size_t i = 0; i < sizeof(stray) / sizeof(*stray); i++)
		klog_feed(&p, stray[i]);
	klog_finish(&p);
	ok(klog_nseen == 1 && klog_seen.ntext == 1,
	   "a line before a report without \"cut here\" is not its message");
}

static void test_kernel_log(void)
{
	static const struct {
		const char *msg;
		const char *kind;	/* NULL: begins no report */
	} kinds[] = {
		{ "WARNING: CPU: 1 PID: 97 at mm/memory.c:1453", "WARNING" },
		{ "WARNING: possible circular locking dependency detected",
		  "WARNING" },
		{ "BUG: KASAN: use-after-free in folio_mark_dirty", "KASAN" },
		{ "BUG: Bad page state in process tlbbench  pfn:10a2b",
		  "Bad page state" },
		{ "BUG: Bad page map in process tlbbench  pte:8000000104a2b867",
		  "Bad page map" },
		{ "BUG: soft lockup - CPU#1 stuck for 22s!", "BUG" },
		{ "kernel BUG at mm/memory.c:1453!", "BUG" },
		{ "Oops: 0000 [#1] PREEMPT SMP NOPTI", "Oops" },
		{ "general protection fault, probably for non-canonical",
		  "general protection fault" },
		{ "UBSAN: shift-out-of-bounds in mm/memory.c:12:3", "UBSAN" },
		{ "Kernel panic - not syncing: Fatal exception",
		  "Kernel panic" },
		{ "INFO: task tlbbench:97 blocked for more than 120 seconds.",
		  "hung task" },
		{ "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
		  "RCU stall" },
		{ "INFO: rcu_sched detected stalls on CPUs/tasks:",
		  "RCU stall" },
		{ "list_add corruption. prev->next should be next (ffff9a4b)",
		  "list corruption" },
		{ "list_del corruption, ffff9a4b41d2a008->next is LIST_POISON1",
		  "list corruption" },
		{ "BTRFS error (device vda): root 5 ino 257 folio 2093056 is "
		  "marked dirty without notifying the fs", "filesystem error" },
		{ "BTRFS critical (device vda): corrupt leaf",
		  "filesystem error" },
		{ "EXT4-fs error (device vda): ext4_map_blocks:604",
		  "filesystem error" },
		{ "XFS (vda): Corruption detected. Unmount and run xfs_repair",
		  "filesystem error" },
		{ "XFS (vda): page discard on page 00000000a1b2c3d4, inode 0x83",
		  "filesystem error" },
		{ "Page cache invalidation failure on direct I/O.  Possible "
		  "data corruption due to collision with buffered I/O!",
		  "filesystem error" },
		{ "XFS (vda): Mounting V5 Filesystem", NULL },
		{ "BTRFS info (device vda): first mount of filesystem", NULL },
		{ "EXT4-fs (vda): mounted filesystem with ordered data mode",
		  NULL },
		{ "------------[ cut here ]------------", NULL },
		{ "tlbbench: warning: 1 of 3 repetitions disturbed", NULL },
		{ "INFO: task tlbbench:97 exited", NULL },
		{ "Run /init as init process", NULL },
	};
	static const struct {
		const char *line, *msg;
	} stamps[] = {
		{ "[   14.201845] WARNING: CPU: 1", "WARNING: CPU: 1" },
		{ "[12345.000001] Oops: 0000", "Oops: 0000" },
		{ "[   14.201845][    T1] BUG: x", "BUG: x" },
		{ "[    0.000000][    C0] Linux", "Linux" },
		{ "[   15.100000] ", "" },
		{ "WARNING: as is", "WARNING: as is" },
		{ "[ 14.2 WARNING", "[ 14.2 WARNING" },
		{ "[x] WARNING", "[x] WARNING" },
	};
	char rec[] = "4,1234,56789012,-,caller=T97;"
		     "WARNING: CPU: 0 PID: 1 at x\n SUBSYSTEM=foo\n";
	char bad[] = "4;no sequence number";
	unsigned long long seq = 0;
	const char *msg = NULL, *args = NULL;
	int n = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *k = klog_kind(kinds[i].msg);

		if (kinds[i].kind)
			is_str(k, kinds[i].kind, "'%.40s' is %s", kinds[i].msg,
			       kinds[i].kind);
		else
			ok(!k, "'%.40s' begins no report (got %s)",
			   kinds[i].msg, k ? k : "none");
	}
	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
		is_str(klog_strip_timestamp(stamps[i].line), stamps[i].msg,
		       "timestamp of '%s'", stamps[i].line);
	is_int(klog_marker("tlbbench guest: line 12: munmap --size 4M", &n,
			   &args), KLOG_LINE_BEGIN, "a line's start marker");
	is_int(n, 12, "names its config line");
	is_str(args, "munmap --size 4M", "and its run");
	is_int(klog_marker("tlbbench guest: line 7 done", &n, &args),
	       KLOG_LINE_DONE, "a line's end marker");
	is_int(n, 7, "names its config line");
	ok(klog_marker("tlbbench guest: insmod ext4.ko failed", &n, &args) ==
	   KLOG_NO_MARKER && klog_marker("tlbbench guest: line 0: x", &n,
					 &args) == KLOG_NO_MARKER &&
	   klog_marker("tlbbench guest: line 3 donex", &n, &args) ==
	   KLOG_NO_MARKER, "other guest lines are no markers");
	n = klog_kmsg_parse(rec, &seq, &msg);
	ok(!n && seq == 1234 && !strcmp(msg, "WARNING: CPU: 0 PID: 1 at x"),
	   "a kmsg record: its sequence number and first line (%llu)", seq);
	ok(klog_kmsg_parse(bad, &seq, &msg) == -EINVAL,
	   "a record without a sequence number is refused");
	klog_cut_message();
}

/*
 * The kernel models, by hand from their definitions: a page table spans
 * 512 PTEs, a full mmu_gather 19 x 510 = 9690 entries, and both models
 * add one flush for the end of the operation.
 */
static void test_model(void)
{
	struct params p = { .backing = BACKING_TMPFS, .dirty = DIRTY_ALL,
			    .pages = PAGES_4K, .size = 64 << 20 };
	struct smaps_vma v = { .size_kb = 65536, .rss_kb = 65536 };
	struct zap_shape z;
	struct model m;

	/* 64M dirty 4k tmpfs: 16384 PTEs in 32 tables, all dirty. */
	zap_shape_of_region(&p, &v, &z);
	ok(z.known && z.ptes == 16384 && z.tables == 32 &&
	   z.dirty_tables == 32 && z.ops == 1,
	   "64M dirty: 16384 PTEs, 32 dirty tables");
	model_judge(&z, 33, &m);
	ok(m.force_flush == 33 && m.batched == 3 && m.distinct,
	   "64M dirty: force_flush 32 + 1, batched 2 + 1, told apart");
	is_str(m.verdict, "force_flush per page table", "33 flushes: force_flush");
	model_judge(&z, 2, &m);
	is_str(m.verdict, "batched", "2 flushes: batched");
	model_judge(&z, 27, &m);
	is_str(m.verdict, "neither model", "27: under 9/10 of 32 tables (28)");
	model_judge(&z, 28, &m);
	is_str(m.verdict, "force_flush per page table", "28: 9/10 reached");

	/* One dirty page per table: every table still forces a flush. */
	p.dirty = DIRTY_PER_TABLE;
	zap_shape_of_region(&p, &v, &z);
	is_int((int)z.dirty_tables, 32, "per-table: 32 dirty tables");

	/* Anonymous memory never force-flushes: the models agree. */
	p.backing = BACKING_ANON;
	p.dirty = DIRTY_ALL;
	zap_shape_of_region(&p, &v, &z);
	model_judge(&z, 3, &m);
	ok(z.dirty_tables == 0 && m.force_flush == 3 && m.batched == 3 &&
	   !m.distinct, "anon 64M: 2 + 1 either way, not told apart");
	is_str(m.verdict, "batched", "anon, 3 flushes: batched");

	/* THP: no PTE zap; mixed: no verdict. */
	p.backing = BACKING_TMPFS;
	v.shmem_pmd_kb = 65536;
	zap_shape_of_region(&p, &v, &z);
	ok(z.known && z.ptes == 0, "PMD-mapped: no PTE zapped");
	v.shmem_pmd_kb = 2048;
	zap_shape_of_region(&p, &v, &z);
	model_judge(&z, 10, &m);
	ok(!z.known && !strncmp(m.verdict, "unknown", 7),
	   "mixed mapping: unknown");

	/* madvise of 2M chunks, 64 operations: one table each; force_flush
	 * (1 + 1) x 64 = batched (1 + 1) x 64: the models agree. */
	zap_shape_of_chunk(&p, 2 << 20, 64, &z);
	model_judge(&z, 128, &m);
	ok(m.force_flush == 128 && m.batched == 128 && !m.distinct,
	   "64 chunks of 2M: 128 predicted by both");
	is_str(m.verdict, "batched", "128: within the batched bound");

	/* 1G: 262144 PTEs, 512 tables; batched 28 + 1. */
	p.size = 1ULL << 30;
	v = (struct smaps_vma){ .size_kb = 1 << 20, .rss_kb = 1 << 20 };
	zap_shape_of_region(&p, &v, &z);
	model_judge(&z, 513, &m);
	ok(m.force_flush == 513 && m.batched == 29,
	   "1G: force_flush 513, batched 28 + 1");
}

/* 4K pages only: a 16K or 64K kernel's tables span 32M or 512M. */
static void test_page_size(void)
{
	char err[256];

	is_int(region_page_size_check(4096, err, sizeof(err)), 0,
	       "4K pages: modelled");
	is_int(region_page_size_check(16384, err, sizeof(err)), -EINVAL,
	       "16K pages: refused");
	ok(!strcmp(err, "16K pages: a page table spans 32M here (2048 PTEs), "
		   "tlbbench models 4K pages and 2M tables"), "16K: %s", err);
	is_int(region_page_size_check(65536, err, sizeof(err)), -EINVAL,
	       "64K pages: refused");
	ok(strstr(err, "spans 512M here (8192 PTEs)") != NULL, "64K: %s", err);
}

/*
 * Reclaim cgroups are named by PID and start time; those of a tlbbench
 * that is gone (SIGKILL) are removed, on a plain directory standing in
 * for a cgroup parent.  PID 4194305 is past any pid_max.
 */
static void test_cgroup_sweep(void)
{
	static const struct {
		const char *name;	/* NULL: this process's own */
		int kept;
	} dirs[] = {
		{ NULL, 1 },				/* alive */
		{ "tlbbench-race.4194305.77", 0 },	/* gone */
		{ "tlbbench-race.%d.1", 0 },		/* PID reused */
		{ "tlbbench-race.4194305", 0 },		/* older, gone */
		{ "tlbbench-race.1", 0 },		/* older, no tlbbench */
		{ "tlbbench-race.x", 1 },		/* not ours */
		{ "other.4194305.1", 1 },
	};
	char base[4096], own[96], path[4200];
	const char *tmpdir = getenv("TMPDIR");
	struct stat st;

	snprintf(base, sizeof(base), "%s/tlbbench-unit.XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(base)) {
		ok(0, "cgroup sweep: mkdtemp %s: %s", base, strerror(errno));
		return;
	}
	pressure_cgroup_name(own, sizeof(own));
	ok(!strncmp(own, "tlbbench-race.", 14) && strchr(own + 14, '.'),
	   "reclaim cgroup named by PID and start time: %s", own);
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			is_int(pressure_sweep(base, NULL), 4,
			       "cgroup sweep: the 4 whose tlbbench is gone");
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			char name[96];

			if (dirs[i].name)
				snprintf(name, sizeof(name), dirs[i].name,
					 (int)getpid());
			else
				snprintf(name, sizeof(name), "%s", own);
			snprintf(path, sizeof(path), "%s/%s", base, name);
			if (!pass) {
				mkdir(path, 0755);
				continue;
			}
			is_int(!stat(path, &st), dirs[i].kept,
			       "cgroup sweep: %s %s", name,
			       dirs[i].kept ? "kept" : "removed");
			rmdir(path);
		}
	}
	rmdir(base);
}

/*
 * The victims' arithmetic on marks and gaps made up here, 2 cycles per
 * ns: calibration 0..2000 ns (gaps of 100 ns in each half), window
 * 3000..4000 ns (a gap of 300 ns, and one cut to 50 ns by its end).
 */
static void test_victims_loss(void)
{
	static const unsigned long long ns[MARKS] = { 0, 1000, 2000, 3000,
						      4000 };
	static const unsigned long long loads[MARKS] = { 0, 90, 170, 200,
							 250 };
	struct victim_gap gaps[] = {
		{ 200, 400 }, { 2400, 2600 }, { 6200, 6800 }, { 7900, 8100 },
	};
	struct victim v = { .cpu = 3, .gap = gaps, .ngaps = 4 };
	struct victims vs = { .n = 1, .v = &v, .threshold = 2000 };
	struct victim_loss l;

	for (int m = 0; m < MARKS; m++) {
		vs.ns_at[m] = ns[m];
		vs.cycles_at[m] = 2 * ns[m];
		v.loads_at[m] = loads[m];
	}
	victims_loss(&vs, 0, &l);
	is_int(l.cpu, 3, "victim: its CPU");
	is_int(l.loads, 50, "victim: loads in the window");
	is_int(l.cal_loads, 170, "victim: loads in the calibration");
	is_int(l.gaps, 2, "victim: gaps in the window, the cut one too");
	is_int(l.cal_gaps, 2, "victim: gaps in the calibration");
	ok(fabs(l.stolen_ns - 350) < 1e-6, "victim: stolen 300 + 50 ns (%g)",
	   l.stolen_ns);
	ok(fabs(l.cal_stolen_ns - 200) < 1e-6, "victim: calibration stolen "
	   "200 ns (%g)", l.cal_stolen_ns);
	/* 1000 - 200 * 1000 / 2000 - 50 loads at 170 per 1800 ns */
	ok(fabs(l.lost_ns - (900 - 50 * 1800 / 170.0)) < 1e-6,
	   "victim: lost = window - calibration's share of gaps - loads at "
	   "its rate (%g)", l.lost_ns);
	ok(fabs(l.slowdown_ns - (l.lost_ns - 250)) < 1e-6,
	   "victim: slowdown = lost - stolen beyond calibration (%g)",
	   l.slowdown_ns);
	/* second half: 80 loads where the first's rate makes 90 */
	ok(fabs(l.noise_ns - 100) < 1e-6, "victim: noise, the second half "
	   "against the first (%g)", l.noise_ns);
	ok(fabs(victims_window_ns(&vs) - 1000) < 1e-6 &&
	   fabs(victims_cal_ns(&vs) - 2000) < 1e-6,
	   "victim: window and calibration lengths from the cycles");
	v.loads_at[MARK_CAL_END] = 0;
	v.loads_at[MARK_CAL_MID] = 0;
	victims_loss(&vs, 0, &l);
	ok(isnan(l.lost_ns), "victim that never ran in calibration: lost "
	   "unknown, not a number made up");
}

int main(void)
{
	fixtures = getenv("FIXTURES");
	if (!fixtures)
		fixtures = "tests/fixtures";
	test_parse_size();
	test_size_text();
	test_cpu_list();
	test_many_cpus();
	test_remote_flush();
	test_interrupts();
	test_kallsyms();
	test_cpu_flag();
	test_field();
	test_smaps();
	test_counter_names();
	test_attr_classify();
	test_attr_keys();
	test_kernel_log();
	test_model();
	test_page_size();
	test_cgroup_sweep();
	test_victims_loss();
	return tap_done();
}
