/*
 * munmap: one munmap() of a populated MAP_SHARED region that the other
 * threads have touched.  On a force_flush kernel every page table holding
 * a dirty shared-file PTE costs one flush, i.e. one shootdown per 2M.
 */
#include "workload.h"

const struct workload workload_munmap = {
	.name		= "munmap",
	.summary	= "one munmap() of a dirtied MAP_SHARED region touched by every thread",
	.options	= OPTS_REGION | OPT_VICTIMS,
	.setup		= bench_region_setup,
	.prepare	= bench_region_prepare,
	.op		= bench_region_munmap,
	.teardown	= bench_region_teardown,
};
