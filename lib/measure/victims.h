/*
 * Victims: helper threads that, once they have touched the region, walk a
 * private working set instead of spinning, and time their own loop to see
 * what a flush costs the CPUs that receive it.  A gap between two
 * iterations longer than a threshold is time taken from the victim (an
 * interrupt, a shootdown's handler, a preemption), as the kernel's osnoise
 * tracer counts it; the loads completed between gaps, against the rate of
 * a calibration window just before the measured one, are what the TLB
 * refills after a full flush cost on top.
 */
#ifndef TLB_VICTIMS_H
#define TLB_VICTIMS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "team.h"

#define VICTIM_GAP_NS 1000		/* iterations further apart: a gap */
#define VICTIM_GAPS_MAX 65536		/* logged per victim per window */

/* The marks of one measured repetition, in victims_mark() order. */
enum victim_mark {
	MARK_CAL_START, MARK_CAL_MID, MARK_CAL_END,
	MARK_WIN_START, MARK_WIN_END, MARKS,
};

struct victim_gap {
	uint64_t from, to;		/* cycles of the two iterations */
};

/* One victim; written by its thread except where said. */
struct victim {
	_Alignas(64) atomic_ullong loads;	/* completed, published */
	atomic_uint ack;		/* the last command seen */
	uint64_t prev;			/* cycles of the last iteration */
	void **cursor;			/* the next load */
	bool recording;
	unsigned ngaps;
	unsigned long long dropped;	/* gaps the log had no room for */
	struct victim_gap *gap;
	char *set;			/* the working set */
	size_t size;
	int cpu;
	int err;			/* setting up: 0 or -errno */
	/* Read by the main thread at each mark. */
	unsigned long long loads_at[MARKS];
};

struct victims {
	int n;
	struct victim *v;
	unsigned long long size;	/* of each working set */
	uint64_t threshold;		/* VICTIM_GAP_NS in cycles */
	_Alignas(64) atomic_uint command;	/* odd: record, even: stop */
	uint64_t cycles_at[MARKS];	/* the marks, main thread */
	unsigned long long ns_at[MARKS];
	unsigned long long cal_ns;	/* calibration asked for */
};

/* What one victim lost in one measured window, in ns. */
struct victim_loss {
	int cpu;
	unsigned long long loads, cal_loads;
	unsigned long long gaps, cal_gaps;
	double stolen_ns, cal_stolen_ns;	/* sum of gaps in each */
	double slowdown_ns;		/* running, slower than calibrated */
	double lost_ns;			/* stolen beyond calibration, */
					/* and slowdown */
	double noise_ns;		/* the same, calibration's halves */
	unsigned long long dropped;
};

int victims_start(struct victims *vs, struct team *t,
		  const struct params *p, char *err, size_t errlen);
void victims_stop(struct victims *vs);
void victims_arm(struct victims *vs);
void victims_mark(struct victims *vs, enum victim_mark m);
void victims_calibrate(struct victims *vs, unsigned long long ns);
void victims_disarm(struct victims *vs);
void victims_loss(const struct victims *vs, int i, struct victim_loss *out);
double victims_window_ns(const struct victims *vs);
double victims_cal_ns(const struct victims *vs);

#endif
