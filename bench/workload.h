/*
 * A workload is one file behind this interface.  The harness owns options,
 * counters, CPU placement, repetitions and output; a workload prepares the
 * region before each window and performs the measured call.
 */
#ifndef TLB_WORKLOAD_H
#define TLB_WORKLOAD_H

#include "options.h"
#include "procfs.h"
#include "region.h"
#include "team.h"

struct bench {
	struct params p;
	struct region region;
	struct team team;
	int self_cpu;			/* where the measured call runs */
	struct smaps_vma seen;		/* the mapping just before the call */
	unsigned long long ops;		/* operations in the window */
	char err[OPTIONS_ERR_MAX];
};

struct workload {
	const char *name;
	const char *summary;
	unsigned options;		/* OPT_* bits that apply */
	int (*setup)(struct bench *b);	/* once, before the first rep */
	int (*prepare)(struct bench *b);	/* before each window */
	int (*op)(struct bench *b);	/* the measured call */
	void (*teardown)(struct bench *b);
};

/* Shared steps for workloads on a shared region with helper threads. */
int bench_region_setup(struct bench *b);
int bench_region_prepare(struct bench *b);
void bench_region_teardown(struct bench *b);

int bench_run(const struct workload *w, struct bench *b);

extern const struct workload workload_munmap;

#endif
