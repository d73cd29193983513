/*
 * Unit tests of lib/measure/counters.c: the counters' names and how a
 * remote flush was made.
 */
#include <unistd.h>

#include "measure/counters.h"
#include "measure/cpu.h"
#include "tap.h"

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
	/*
	 * Threads with no thread named: every thread's events; per process,
	 * saying why, where per-CPU counting is refused (not root).
	 */
	ret = counters_open(&cs, "none", SCOPE_THREADS, NULL, 0, err,
			    sizeof(err));
	if (ret || !cs.fallback[0])
		ok(ret == 0 && cs.scope == SCOPE_SYSTEM &&
		   cs.nslots == cs.cpus.n,
		   "--scope threads without threads counts the system");
	else
		ok(cs.scope == SCOPE_PROCESS &&
		   strstr(cs.fallback, "needs root or CAP_PERFMON"),
		   "--scope threads without threads, per-CPU counting "
		   "refused: per process (%s)", cs.fallback);
	if (!ret)
		counters_close(&cs);
}

int main(void)
{
	test_remote_flush();
	test_counter_names();
	return tap_done();
}
