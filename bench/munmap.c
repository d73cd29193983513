/*
 * munmap: one munmap() of a populated MAP_SHARED region that the other
 * threads have touched.  On a force_flush kernel every page table holding
 * a dirty shared-file PTE costs one flush, i.e. one shootdown per 2M.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "workload.h"

static int munmap_op(struct bench *b)
{
	int ret = munmap(b->region.addr, b->region.size);

	if (ret) {
		snprintf(b->err, sizeof(b->err), "munmap: %s", strerror(errno));
		return -errno;
	}
	region_unmapped(&b->region);
	b->ops = 1;
	return 0;
}

const struct workload workload_munmap = {
	.name		= "munmap",
	.summary	= "one munmap() of a dirtied MAP_SHARED region touched by every thread",
	.options	= OPT_SIZE | OPT_THREADS | OPT_BACKING | OPT_DIR |
			  OPT_PAGES | OPT_DIRTY | OPT_REPS | OPT_WARMUP |
			  OPT_CPUS | OPT_FORMAT | OPT_EVENTS,
	.setup		= bench_region_setup,
	.prepare	= bench_region_prepare,
	.op		= munmap_op,
	.teardown	= bench_region_teardown,
};
