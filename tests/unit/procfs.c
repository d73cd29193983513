/* Unit tests of lib/measure/procfs.c: readers of /proc, on fixtures. */
#include <stdbool.h>
#include <stdlib.h>

#include "measure/procfs.h"
#include "fixture.h"
#include "tap.h"

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

int main(void)
{
	test_interrupts();
	test_kallsyms();
	test_cpu_flag();
	test_field();
	test_smaps();
	return tap_done();
}
