/*
 * msync-munmap: msync(MS_SYNC) and then munmap() of a dirtied region of a
 * disk-backed file, timed and counted as two phases.  Writeback cleans the
 * PTEs first (folio_mkclean), so the munmap needs no per-table flush: the
 * msync phase is what cleaning costs, the munmap phase what batching could
 * reach.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "workload.h"

static const char *const phases[] = { "msync", "munmap", NULL };
static const char *const preset[] = { "--backing", "file", NULL };

static int msync_munmap_setup(struct bench *b)
{
	int ret = bench_region_setup(b);

	if (!ret && b->region.in_memory) {
		snprintf(b->err, sizeof(b->err),
			 "--dir: %.200s is %s: msync cannot clean its pages",
			 b->region.dir, b->region.fs);
		return -EINVAL;
	}
	return ret;
}

static int msync_munmap_prepare(struct bench *b)
{
	int ret = bench_region_prepare(b);

	/* The zap comes after writeback: no dirty PTE is left for it. */
	b->zap.dirty_tables = 0;
	return ret;
}

static int msync_munmap_op(struct bench *b)
{
	if (b->phase == 1)
		return bench_region_munmap(b);
	if (msync(b->region.addr, b->region.size, MS_SYNC)) {
		snprintf(b->err, sizeof(b->err), "msync: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* Every rep cleans its pages before the zap. */
static bool msync_munmap_estimate(const struct params *p,
				  const struct rates *rt, struct estimate *e)
{
	bench_estimate(p, rt, e);
	e->window += p->size * rt->msync;
	e->idle = e->window;
	bench_estimate_total(e);
	return true;
}

const struct workload workload_msync_munmap = {
	.name		= "msync-munmap",
	.summary	= "msync(MS_SYNC) then munmap() of a dirtied disk-backed file, as two phases",
	.options	= (OPTS_REGION & ~OPT_BACKING) | OPT_VICTIMS,
	.preset		= preset,
	.phases		= phases,
	.estimate	= msync_munmap_estimate,
	.setup		= msync_munmap_setup,
	.prepare	= msync_munmap_prepare,
	.op		= msync_munmap_op,
	.teardown	= bench_region_teardown,
};
