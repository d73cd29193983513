/*
 * setup-cost: how much faster MADV_POPULATE_WRITE faults a region in than
 * a loop that writes one byte per page, timed alternately on fresh
 * mappings of the same backing.  Every workload populates this way, so
 * this is the set-up time a run saves.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "measure/measure.h"
#include "common/stats.h"
#include "workload.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static const char *const preset[] = { "--size", "1G", "--threads", "1",
				      "--reps", "5", NULL };

/* Map afresh, time one way of faulting it in, unmap. */
static int timed_populate(struct bench *b, bool madv, unsigned long long *ns)
{
	struct region *r = &b->region;
	unsigned long long t0;
	int ret;

	ret = region_map_empty(r, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	t0 = now_ns();
	if (madv) {
		if (madvise(r->addr, r->size, MADV_POPULATE_WRITE))
			/* It also unmaps the region. */
			return region_populate_failed(r, "MADV_POPULATE_WRITE",
						      -errno, b->err,
						      sizeof(b->err));
	} else {
		for (size_t off = 0; off < r->size; off += 4096)
			*(volatile char *)(r->addr + off) = 1;
	}
	*ns = now_ns() - t0;
	munmap(r->addr, r->size);
	region_unmapped(r);
	return 0;
}

static int setup_cost_run(struct bench *b)
{
	unsigned n = b->p.reps;
	double *madv = calloc(n, sizeof(double));
	double *touch = calloc(n, sizeof(double));
	int ret = -ENOMEM;

	if (!madv || !touch)
		goto out;
	ret = region_create(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		goto out;
	/* One untimed pass each, then alternate so drift hits both. */
	for (unsigned i = 0; i < n + 1 && !ret; i++) {
		unsigned long long a, c;

		ret = timed_populate(b, true, &a);
		if (!ret)
			ret = timed_populate(b, false, &c);
		if (i) {
			madv[i - 1] = a;
			touch[i - 1] = c;
		}
	}
	region_destroy(&b->region);
	if (ret)
		goto out;
	{
		struct ab_result ab = {
			.name = "setup-cost", .what = "faulting in",
			.a = "MADV_POPULATE_WRITE", .b = "touch loop",
			.a_ns = stats_median(madv, n),
			.b_ns = stats_median(touch, n),
			.ratio = "touch/populate", .target = ">= 2",
		};

		bench_print_ab(b, &ab);
	}
out:
	free(madv);
	free(touch);
	return ret;
}

/* An untimed pass, then two populates per rep. */
static bool setup_cost_estimate(const struct params *p,
				const struct rates *rt, struct estimate *e)
{
	bench_estimate(p, rt, e);
	e->prepare = 2 * p->size * rt->prepare;
	e->window = e->idle = NAN;
	e->reps = p->reps + 1;
	bench_estimate_total(e);
	return true;
}

const struct workload workload_setup_cost = {
	.name		= "setup-cost",
	.summary	= "MADV_POPULATE_WRITE against a page-by-page touch loop, the set-up every run pays",
	.options	= OPT_SIZE | OPT_BACKING | OPT_DIR | OPT_PAGES | OPT_REPS |
			  OPT_FORMAT | OPT_NO_SPACE_CHECK,
	.preset		= preset,
	.standalone	= setup_cost_run,
	.estimate	= setup_cost_estimate,
	.check		= bench_check_fixed_reps,
};
