/*
 * What two kernel models predict for the flushes of one zap: force_flush
 * (one per page table holding a dirty shared-file PTE) and batched (one per
 * full mmu_gather batch), and which one a measured count matches.
 */
#ifndef TLB_MODEL_H
#define TLB_MODEL_H

#include <stdbool.h>

#include "options.h"
#include "procfs.h"

/* What one zap operation covers; OPS of them run in the window. */
struct zap_shape {
	bool known;			/* false: mapping too mixed to say */
	unsigned long long ptes;	/* 4K PTEs zapped per operation */
	unsigned long long tables;	/* page tables they span */
	unsigned long long dirty_tables; /* holding a dirty shared-file PTE */
	unsigned long long ops;
};

struct model {
	unsigned long long tables;	/* dirty page tables per operation */
	unsigned long long ops;
	unsigned long long force_flush;	/* predicted, upper bound */
	unsigned long long batched;	/* predicted, upper bound */
	long long measured;
	bool distinct;			/* the two predictions differ */
	const char *verdict;
	const char *counted;		/* the counter of measured, or NULL */
};

void zap_shape_of_region(const struct params *p, const struct smaps_vma *v,
			 struct zap_shape *z);
void zap_shape_of_chunk(const struct params *p, unsigned long long bytes,
			unsigned long long ops, struct zap_shape *z);
void model_judge(const struct zap_shape *z, long long measured,
		 struct model *m);

#endif
