/*
 * Counters of one measured window: tlb:tlb_flush per reason, IPI and csd
 * tracepoints and flush points by kprobe (perf_event_open, one group per
 * online CPU, or per workload thread with --scope process), the
 * /proc/interrupts TLB row, and hardware events through libpfm4.  Counts are kept per online CPU either way.
 */
#ifndef TLB_COUNTERS_H
#define TLB_COUNTERS_H

#include <stdbool.h>

#include "cpu.h"
#include "options.h"

#define COUNTERS_MAX 32
#define COUNTER_NOTE_MAX 512

enum counter_kind {
	COUNTER_TRACEPOINT,
	COUNTER_KPROBE,
	COUNTER_INTERRUPTS,
	COUNTER_HW,
};

struct counter {
	char name[160];
	enum counter_kind kind;
	bool supported;
	char note[COUNTER_NOTE_MAX];	/* why unsupported, or what it counts */
	int group_idx;			/* in the group read, or -1 */
	int *fd;			/* one per slot, or NULL */
};

/*
 * Where one group of events is opened: a CPU (every thread on it) or a
 * thread (wherever it runs), and the CPU column its counts add to.
 */
struct counter_slot {
	int pid;			/* a thread, or -1: every thread */
	int cpu;			/* a CPU, or -1: wherever pid runs */
	int col;			/* index in cpus */
	int leader;			/* its tracepoint group leader, or -1 */
};

struct counters {
	struct cpu_list cpus;		/* online CPUs: one column each */
	int n;
	struct counter c[COUNTERS_MAX];
	enum count_scope scope;		/* the scope counted */
	char fallback[COUNTER_NOTE_MAX];	/* why not the scope asked */
	char refused[COUNTER_NOTE_MAX];	/* why not even per process */
	struct counter_slot *slot;	/* one per CPU, or per thread */
	int nslots;
	/* Per CPU column, of the last read: [2k] began, [2k + 1] ended. */
	unsigned long long *read_ns;
	int group_size;
	const int *tids;		/* the workload's threads */
	int ntids;
	char note[COUNTER_NOTE_MAX];	/* set-wide remarks (hw defaults) */
	char mechanism[COUNTER_NOTE_MAX];	/* flushes IPIs do not show */
};

/* Values are laid out [counter][cpu column]. */
#define COUNTER_VAL(cs, vals, i, k) ((vals)[(i) * (cs)->cpus.n + (k)])

int counters_open(struct counters *cs, const char *hw_events,
		  enum count_scope scope, const int *tids, int n, char *err,
		  int errlen);
int counters_enable(struct counters *cs);
void counters_refuse(struct counters *cs, const char *why);
long long *counters_alloc_values(const struct counters *cs);
int counters_read(struct counters *cs, long long *vals, int self_cpu,
		  bool self_last);
void counters_delta(const struct counters *cs, const long long *before,
		    long long *after);
long long counters_sum(const struct counters *cs, const long long *vals,
		       int i);
int counters_find(const struct counters *cs, const char *name);

/* How a window's remote flushes reached the other CPUs. */
enum remote_flush {
	REMOTE_FLUSH_UNKNOWN,		/* nothing sent, or helpers away */
	REMOTE_FLUSH_IPI,		/* shootdowns received */
	REMOTE_FLUSH_HYPERVISOR,	/* sent, yet nothing received */
};

enum remote_flush counters_remote_flush(const struct counters *cs,
					const long long *vals,
					bool helpers_stayed);
const char *remote_flush_name(enum remote_flush how);
void counters_close(struct counters *cs);

#endif
