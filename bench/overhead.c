/*
 * overhead: what counting costs the measured call.  The munmap workload's
 * window is timed with every counter open and read around it, and with no
 * counter open at all (tracepoints then cost nothing), alternately on the
 * same region, so drift hits both sides alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "counters.h"
#include "measure.h"
#include "stats.h"
#include "workload.h"

static const char *const preset[] = { "--size", "256M", "--reps", "15",
				      NULL };

static int do_munmap(void *arg)
{
	return bench_region_munmap(arg);
}

/*
 * One munmap window, counted (COUNTED) or bare.  Counters are opened before
 * the region is prepared, as in the harness: opening them between prepare
 * and the window would cool the caches the munmap then walks.
 */
static int one(struct bench *b, bool counted, unsigned long long *ns,
	       long long *flushes)
{
	struct counters cs;
	struct window w;
	long long *delta;
	int ret, i;

	if (!counted) {
		unsigned long long t0;

		ret = bench_region_prepare(b);
		if (ret)
			return ret;
		t0 = now_ns();

		ret = do_munmap(b);
		*ns = now_ns() - t0;
		return ret;
	}
	ret = counters_open(&cs, b->p.events_given ? b->p.events : NULL,
			    b->tids, b->p.scope == SCOPE_THREADS ? b->ntids : 0,
			    b->err, sizeof(b->err));
	if (ret)
		return ret;
	delta = counters_alloc_values(&cs);
	ret = delta ? window_init(&w, &cs) : -ENOMEM;
	if (!ret)
		ret = counters_enable(&cs);
	if (!ret)
		ret = bench_region_prepare(b);
	if (!ret)
		ret = window_measure(&w, &cs, b->self_cpu, do_munmap, b, delta,
				     ns);
	i = counters_find(&cs, "tlb_flush.total");
	*flushes = i >= 0 && !ret ? counters_sum(&cs, delta, i) : 0;
	window_free(&w);
	free(delta);
	counters_close(&cs);
	return ret;
}

static int overhead_run(struct bench *b)
{
	unsigned n = b->p.reps;
	double *on = calloc(n, sizeof(double));
	double *off = calloc(n, sizeof(double));
	double *events = calloc(n, sizeof(double));
	int ret = -ENOMEM;

	if (!on || !off || !events)
		goto out;
	ret = bench_region_setup(b);
	for (unsigned i = 0; i < n + b->p.warmup && !ret; i++) {
		unsigned long long a, c;
		long long fl = 0;

		/* Alternate which side goes first, too. */
		ret = one(b, i & 1, &a, &fl);
		if (!ret)
			ret = one(b, !(i & 1), &c, &fl);
		if (ret || i < b->p.warmup)
			continue;
		on[i - b->p.warmup] = i & 1 ? a : c;
		off[i - b->p.warmup] = i & 1 ? c : a;
		events[i - b->p.warmup] = fl;
	}
	bench_region_teardown(b);
	if (ret)
		goto out;
	{
		struct json_object *o = json_object_new_object();
		struct ab_result ab = {
			.name = "overhead", .what = "munmap window",
			.a = "bare (no counter open)",
			.b = "counted (every counter on)",
			.a_ns = stats_median(off, n),
			.b_ns = stats_median(on, n),
			.ratio = "counted/bare", .target = "<= 1.01",
			.extra = o,
		};

		json_object_object_add(o, "tlb_flush_events",
			json_object_new_double(stats_median(events, n)));
		bench_print_ab(b, &ab);
		if (b->p.format == FORMAT_TEXT)
			printf("# %.0f tlb_flush events per window\n",
			       stats_median(events, n));
	}
out:
	free(on);
	free(off);
	free(events);
	return ret;
}

const struct workload workload_overhead = {
	.name		= "overhead",
	.summary	= "munmap latency with every counter on against none open: the cost of counting",
	.options	= OPTS_REGION,
	.preset		= preset,
	.standalone	= overhead_run,
	.check		= bench_check_fixed_reps,
};
