/*
 * anon: the munmap workload on private anonymous memory, the control.
 * Anonymous pages never force a flush: the count is that of the mmu_gather
 * batches alone, whatever the dirty pattern.
 */
#include "workload.h"

static const char *const anon_preset[] = { "--backing", "anon", NULL };

const struct workload workload_anon = {
	.name		= "anon",
	.summary	= "munmap of private anonymous memory: the no-force_flush control",
	.options	= (OPTS_REGION & ~(OPT_BACKING | OPT_DIR |
					   OPT_NO_SPACE_CHECK)) | OPT_VICTIMS,
	.preset		= anon_preset,
	.setup		= bench_region_setup,
	.prepare	= bench_region_prepare,
	.op		= bench_region_munmap,
	.teardown	= bench_region_teardown,
};
