/*
 * A workload is one file behind this interface.  The harness owns options,
 * counters, CPU placement, repetitions and output; a workload prepares the
 * region before each window and performs the measured call.
 */
#ifndef TLB_WORKLOAD_H
#define TLB_WORKLOAD_H

#include <stdint.h>

#include "common/figure.h"
#include "measure/model.h"
#include "measure/options.h"
#include "measure/procfs.h"
#include "measure/region.h"
#include "measure/team.h"
#include "measure/victims.h"

#define PHASES_MAX 4

struct json_object;

/* What run() returns besides -errno; its record is printed either way. */
enum {
	BENCH_PASSED = 0,
	BENCH_LOST = 1,			/* the check found lost writes */
	BENCH_SELF_TEST_FAILED = 2,	/* injected faults were not found */
};

struct bench {
	struct params p;
	struct region region;
	struct team team;
	struct victims victims;		/* --victims walk: the helpers */
	bool walking;			/* victims started */
	long helpers_touched;		/* their involuntary switches when */
					/* they had touched the region, or -1 */
	int self_cpu;			/* where the measured call runs */
	int phase;			/* which phase op() performs */
	struct smaps_vma seen;		/* the mapping just before the call */
	struct zap_shape zap;		/* what the call zaps, for the model */
	bool zap_set;			/* zap is filled in: judge the model */
	unsigned long long ops;		/* operations in the window */
	int *tids;			/* the threads whose events count, */
					/* room for p.threads */
	int ntids;
	bool tids_changed;		/* apply them before the next window */
	void *priv;			/* the workload's own state */
	struct json_object *result;	/* run(): findings for the record */
	char err[OPTIONS_ERR_MAX];
};

/* Seconds per byte measured here on one backing, for tlbbench plan. */
struct rates {
	double setup;			/* create and fault in a new file */
	double prepare;			/* map and fault in again, dirtied */
	double touch;			/* a helper's touch of every page */
	double window;			/* munmap */
	double msync;			/* writeback of dirty pages */
};

/* What a run costs here, in seconds: NAN where it does not apply. */
struct estimate {
	double setup;			/* once, before the repetitions */
	double prepare, window, idle;	/* each repetition */
	double reps;			/* warm-up and measured, at most */
	double total;
};

struct workload {
	const char *name;
	const char *summary;
	unsigned options;		/* OPT_* bits of the shared table */
	const struct opt_own *own;	/* options of its own, or NULL */
	/* A whole run's figures in its record, ended by a NULL name. */
	const struct result_figure *figures;
	const char *const *preset;	/* options set first, NULL-ended */
	const char *const *phases;	/* names, when op() runs in phases */
	int (*setup)(struct bench *b);	/* once, before the first rep */
	int (*prepare)(struct bench *b);	/* before each window */
	int (*op)(struct bench *b);	/* the measured call (per phase) */
	void (*teardown)(struct bench *b);
	/*
	 * Instead of the repetition loop: one whole run between setup and
	 * teardown, counted as one window, that fills b->result.
	 */
	int (*run)(struct bench *b);
	/* Not a kernel measurement: a benchmark of the tool that times and
	 * prints by itself (setup-cost, overhead, counter-cost). */
	int (*standalone)(struct bench *b);
	/*
	 * What a run costs, from the seconds per byte measured here (tlbbench
	 * plan; none, RT NULL, for a workload with --duration): false if
	 * unknown.  NULL: bench_estimate().
	 */
	bool (*estimate)(const struct params *p, const struct rates *rt,
			 struct estimate *e);
	/* Refusals across options, before anything runs: 0 or -EINVAL. */
	int (*check)(const struct params *p, char *err, size_t errlen);
	/* Why counters per thread cannot see the measured call, or NULL:
	 * --scope process is refused, and a fall-back to it counts no
	 * tracepoint. */
	const char *per_thread_blind;
};

/* Shared steps for workloads on a shared region with helper threads. */
int bench_region_setup(struct bench *b);
int bench_region_prepare(struct bench *b);
int bench_region_seen(struct bench *b);
int bench_region_munmap(struct bench *b);
void bench_region_teardown(struct bench *b);
int bench_team_setup(struct bench *b);
void bench_team_teardown(struct bench *b);

/* The benchmarks of the tool itself: two medians side by side. */
struct ab_result {
	const char *name, *what;	/* workload, and what was timed */
	const char *a, *b;		/* the two sides */
	double a_ns, b_ns;		/* their medians */
	const char *ratio;		/* "b/a", what the ratio means */
	const char *target;		/* the target it is held to */
	struct json_object *extra;	/* more fields for the record */
};
void bench_print_ab(const struct bench *b, const struct ab_result *r);

/* Whole runs (integrity, race): how they drop the mapping (--zap) ... */
enum zap_mode { ZAP_MADVISE, ZAP_MUNMAP_REMAP, ZAP_TRUNCATE_EXTEND };
extern const char *const zap_mode_names[];

/* ... and their findings and verdict. */
void bench_add_count(struct json_object *o, const char *key,
		     unsigned long long v);
void bench_add_hex(struct json_object *o, const char *key, uint64_t v);
int bench_verdict(struct bench *b, struct json_object *res,
		  const char *verdict, const char *text, int ret);
int bench_check_fixed_reps(const struct params *p, char *err, size_t len);
double bench_reps(const struct params *p);
bool bench_estimate(const struct params *p, const struct rates *rt,
		    struct estimate *e);
void bench_estimate_total(struct estimate *e);

int bench_run(const struct workload *w, struct bench *b);

/* The registry, in registry.c: workloads by kind, as tlbbench list shows. */
struct workload_kind {
	const char *name, *summary;
	const struct workload *const *members;	/* NULL-ended */
};
extern const struct workload_kind workload_kinds[];	/* NULL-named end */
const struct workload *find_workload(const char *name);

extern const struct workload workload_munmap;
extern const struct workload workload_anon;
extern const struct workload workload_madvise;
extern const struct workload workload_truncate;
extern const struct workload workload_exit;
extern const struct workload workload_msync_munmap;
extern const struct workload workload_setup_cost;
extern const struct workload workload_overhead;
extern const struct workload workload_counter_cost;
extern const struct workload workload_integrity;
extern const struct workload workload_race;
extern const struct workload workload_zap_loop;
extern const struct workload workload_victim_rate;

#endif
