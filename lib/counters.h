/*
 * System-wide counters of one measured window: tlb:tlb_flush per reason,
 * IPI and csd tracepoints (perf_event_open, one group per online CPU), the
 * /proc/interrupts TLB row, and hardware events through libpfm4.
 */
#ifndef TLB_COUNTERS_H
#define TLB_COUNTERS_H

#include <stdbool.h>

#include "cpu.h"

#define COUNTERS_MAX 32
#define COUNTER_NOTE_MAX 256

enum counter_kind {
	COUNTER_TRACEPOINT,
	COUNTER_INTERRUPTS,
	COUNTER_HW,
};

struct counter {
	char name[160];
	enum counter_kind kind;
	bool supported;
	char note[COUNTER_NOTE_MAX];	/* why unsupported, or what it counts */
	int group_idx;			/* tracepoints: index in group read */
	int *fd;			/* one per CPU column, or NULL */
};

struct counters {
	struct cpu_list cpus;		/* online CPUs: one column each */
	int n;
	struct counter c[COUNTERS_MAX];
	int *leader;			/* tracepoint group leader per CPU */
	/* Per CPU column, of the last read: [2k] began, [2k + 1] ended. */
	unsigned long long *read_ns;
	int group_size;
	const int *tids;		/* counted threads (0: system wide) */
	int ntids;
	char note[COUNTER_NOTE_MAX];	/* set-wide remarks (hw defaults) */
};

/* Values are laid out [counter][cpu column]. */
#define COUNTER_VAL(cs, vals, i, k) ((vals)[(i) * (cs)->cpus.n + (k)])

int counters_open(struct counters *cs, const char *hw_events,
		  const int *tids, int n, char *err, int errlen);
int counters_enable(struct counters *cs);
long long *counters_alloc_values(const struct counters *cs);
int counters_read(struct counters *cs, long long *vals, int self_cpu,
		  bool self_last);
void counters_delta(const struct counters *cs, const long long *before,
		    long long *after);
long long counters_sum(const struct counters *cs, const long long *vals,
		       int i);
int counters_find(const struct counters *cs, const char *name);
void counters_close(struct counters *cs);

#endif
