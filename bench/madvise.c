/*
 * madvise: steady state, in the shape of will-it-scale's tlb_flush3.  Every
 * thread loops over its slice of the region (or all of it, --share): write
 * the pages of one chunk by the dirty pattern, then MADV_DONTNEED it.  A
 * chunk of 2M is one page table: one forced flush per operation.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include "workload.h"

/* madvise's own options: the loop's shape. */
struct madvise_params {
	unsigned long long chunk;	/* bytes zapped per operation */
	bool share;			/* all threads work on one region */
	unsigned iterations;		/* operations per thread per window */
};

#define MADVISE_OPT(field) .off = offsetof(struct madvise_params, field)

static const struct opt_def madvise_option_rows[] = {
	{ .name = "chunk", .arg = "SIZE", .def = "2M", .type = T_SIZE,
	  .min = 4096, .max = 1ULL << 50, MADVISE_OPT(chunk), .sweep = true,
	  .help = "bytes dirtied and zapped by one operation, a multiple of "
		  "4K" },
	{ .name = "share", .arg = "", .type = T_FLAG, MADVISE_OPT(share),
	  .help = "every thread works through the whole region instead of "
		  "its slice" },
	{ .name = "iterations", .arg = "N", .def = "256", .type = T_COUNT,
	  .min = 1, .max = 100000000, MADVISE_OPT(iterations),
	  .sweep = true,
	  .help = "operations per thread in one measured window" },
	{ 0 }
};

static const struct opt_own madvise_options = {
	.rows = madvise_option_rows,
	.size = sizeof(struct madvise_params),
};

struct madvise_state {
	unsigned long long slice;	/* bytes each thread works on */
	unsigned long long chunks;	/* chunks per slice */
	int errors;			/* failed madvise() calls */
	int first_errno;
};

/* Refusals that depend on the options alone: plan makes them too. */
static int madvise_check(const struct params *p, char *err, size_t len)
{
	const struct madvise_params *mp = p->own;
	unsigned long long slice = mp->share ? p->size : p->size / p->threads;

	if (mp->chunk > p->size) {
		snprintf(err, len, "--chunk: larger than --size");
		return -EINVAL;
	}
	if (p->dirty == DIRTY_NONE) {
		snprintf(err, len,
			 "--dirty: none is not a steady state (use msync-munmap)");
		return -EINVAL;
	}
	if (slice < mp->chunk) {
		snprintf(err, len, "--size: each of %u threads needs a "
			 "whole --chunk of it", p->threads);
		return -EINVAL;
	}
	return 0;
}

static int madvise_setup(struct bench *b)
{
	static struct madvise_state st;
	const struct params *p = &b->p;
	const struct madvise_params *mp = p->own;

	memset(&st, 0, sizeof(st));
	st.slice = mp->share ? p->size : p->size / p->threads;
	st.slice -= st.slice % mp->chunk;
	st.chunks = st.slice / mp->chunk;
	b->priv = &st;
	/* Known before the counters open: --attribute sizes its rings
	 * by the flushes the window can start. */
	zap_shape_of_chunk(p, mp->chunk,
			   (unsigned long long)p->threads * mp->iterations,
			   &b->zap);
	return bench_region_setup(b);
}

static int madvise_prepare(struct bench *b)
{
	struct madvise_state *st = b->priv;
	const struct madvise_params *mp = b->p.own;
	int ret;

	if (!b->region.addr && (ret = bench_region_prepare(b)))
		return ret;
	zap_shape_of_chunk(&b->p, mp->chunk,
			   (unsigned long long)b->p.threads * mp->iterations,
			   &b->zap);
	st->errors = 0;
	return 0;
}

/* One thread's loop; INDEX 0 is the measuring thread. */
static void madvise_loop(void *arg, int index)
{
	struct bench *b = arg;
	struct madvise_state *st = b->priv;
	const struct params *p = &b->p;
	const struct madvise_params *mp = p->own;
	char *base = b->region.addr + (mp->share ? 0 : index * st->slice);
	unsigned long long start = mp->share ?
		index * st->chunks / p->threads : 0;

	for (unsigned i = 0; i < mp->iterations; i++) {
		char *chunk = base + ((start + i) % st->chunks) * mp->chunk;

		for (unsigned long long pg = 0; pg < mp->chunk / 4096; pg++)
			if (region_page_dirtied(p, pg))
				*(volatile char *)(chunk + pg * 4096) = 1;
		if (madvise(chunk, mp->chunk, MADV_DONTNEED) &&
		    !__atomic_fetch_add(&st->errors, 1, __ATOMIC_RELAXED))
			st->first_errno = errno;
	}
}

static int madvise_op(struct bench *b)
{
	struct madvise_state *st = b->priv;
	int ret;

	team_go(&b->team, madvise_loop, b);
	madvise_loop(b, 0);
	ret = team_wait(&b->team);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "pinning a helper: %s",
			 strerror(-ret));
		return ret;
	}
	if (st->errors) {
		snprintf(b->err, sizeof(b->err), "madvise: %s",
			 strerror(st->first_errno));
		return -st->first_errno;
	}
	b->ops = (unsigned long long)b->p.threads *
		 ((const struct madvise_params *)b->p.own)->iterations;
	return 0;
}

/* Populated once; each window dirties and zaps its chunks again. */
static bool madvise_estimate(const struct params *p, const struct rates *rt,
			     struct estimate *e)
{
	const struct madvise_params *mp = p->own;

	bench_estimate(p, rt, e);
	e->setup += p->size * (rt->prepare + rt->touch);
	e->prepare = 0;
	e->window = (double)mp->chunk * mp->iterations *
		    (rt->prepare + rt->window);
	e->idle = e->window;
	bench_estimate_total(e);
	return true;
}

const struct workload workload_madvise = {
	.name		= "madvise",
	.summary	= "steady state: every thread dirties a chunk and MADV_DONTNEEDs it, in a loop",
	.options	= OPTS_REGION,
	.own		= &madvise_options,
	.setup		= madvise_setup,
	.prepare	= madvise_prepare,
	.op		= madvise_op,
	.teardown	= bench_region_teardown,
	.check		= madvise_check,
	.estimate	= madvise_estimate,
};
