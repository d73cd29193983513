/*
 * overhead: what counting costs the measured call.  The munmap workload's
 * window is timed with every counter open and read around it, and with no
 * counter open at all (tracepoints then cost nothing), alternately on the
 * same region, so drift hits both sides alike.  With --attribute the two
 * sides are counting with call-chain sampling against counting alone:
 * what attribution adds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "measure/attribution.h"
#include "measure/counters.h"
#include "measure/measure.h"
#include "common/stats.h"
#include "workload.h"

static const char *const preset[] = { "--size", "256M", "--reps", "15",
				      NULL };

enum side { BARE, COUNTED, ATTRIBUTED };

static const char *const side_names[] = {
	"bare (no counter open)", "counted (every counter on)",
	"counted and attributed",
};

static int do_munmap(void *arg)
{
	return bench_region_munmap(arg);
}

/*
 * One munmap window on SIDE.  Counters (and sampling) are opened before
 * the region is prepared, as in the harness: opening them between prepare
 * and the window would cool the caches the munmap then walks.  FLUSHES
 * gets tlb_flush.total, SENT the sender flushes, SAMPLED those sampled.
 */
static int one(struct bench *b, enum side side, struct attribution *a,
	       unsigned long long *ns, long long *flushes, long long *sent,
	       long long *sampled)
{
	struct attr_counts ac;
	struct counters cs;
	struct window w;
	long long *delta;
	int ret, i;

	memset(&ac, 0, sizeof(ac));
	if (side == BARE) {
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
			    b->p.scope, b->tids, b->ntids, b->err,
			    sizeof(b->err));
	if (ret) {
		counters_close(&cs);
		return ret;
	}
	delta = counters_alloc_values(&cs);
	ret = delta ? window_init(&w, &cs) : -ENOMEM;
	if (!ret && side == ATTRIBUTED) {
		ret = attribution_open(a, &b->p, NULL, b->tids,
				       cs.scope != SCOPE_SYSTEM ?
				       b->ntids : 0);
		w.attr = a;
		w.attr_out = &ac;
	}
	if (!ret)
		ret = counters_enable(&cs);
	if (!ret)
		ret = bench_region_prepare(b);
	if (!ret)
		ret = window_measure(&w, &cs, b->self_cpu, do_munmap, b, delta,
				     ns);
	i = counters_find(&cs, "tlb_flush.total");
	*flushes = i >= 0 && !ret ? counters_sum(&cs, delta, i) : 0;
	i = counters_find(&cs, "tlb_flush.remote_send_ipi");
	*sent = i >= 0 && !ret ? counters_sum(&cs, delta, i) : 0;
	if (side == ATTRIBUTED) {
		*sampled = ac.n[ATTR_SEND][ATTR_PATHS_MAX];
		for (int p = 0; p < attr_npaths(); p++)
			*sampled += ac.n[ATTR_SEND][p];
		attribution_close(a);
	}
	window_free(&w);
	free(delta);
	counters_close(&cs);
	return ret;
}

static int overhead_run(struct bench *b)
{
	unsigned n = b->p.reps;
	enum side hi = b->p.attribute ? ATTRIBUTED : COUNTED, lo = hi - 1;
	double *on = calloc(n, sizeof(double));
	double *off = calloc(n, sizeof(double));
	double *events = calloc(n, sizeof(double));
	double *pair = calloc(n, sizeof(double));
	long long sent_sum = 0, sampled_sum = 0;
	struct attribution a = { .mode = ATTRIBUTE_OFF };
	double mon, moff, mev, mpair;
	int ret = -ENOMEM;

	if (!on || !off || !events || !pair)
		goto out;
	ret = bench_region_setup(b);
	for (unsigned i = 0; i < n + b->p.warmup && !ret; i++) {
		unsigned long long x, y;
		long long fl = 0, sent = 0, sampled = 0, unused;

		/* Alternate which side goes first, too. */
		if (i & 1) {
			ret = one(b, hi, &a, &x, &fl, &sent, &sampled);
			if (!ret)
				ret = one(b, lo, &a, &y, &unused, &unused,
					  &unused);
		} else {
			ret = one(b, lo, &a, &y, &unused, &unused, &unused);
			if (!ret)
				ret = one(b, hi, &a, &x, &fl, &sent,
					  &sampled);
		}
		if (ret || i < b->p.warmup)
			continue;
		on[i - b->p.warmup] = x;
		off[i - b->p.warmup] = y;
		events[i - b->p.warmup] = fl;
		sent_sum += sent;
		sampled_sum += sampled;
	}
	bench_region_teardown(b);
	attribution_free(&a);
	if (ret)
		goto out;
	mon = stats_median(on, n);
	moff = stats_median(off, n);
	mev = stats_median(events, n);
	/* Both sides of a pair ran back to back: their ratio sees one load. */
	for (unsigned i = 0; i < n; i++)
		pair[i] = on[i] / off[i];
	mpair = stats_median(pair, n);
	{
		struct json_object *o = json_object_new_object();
		struct ab_result ab = {
			.name = "overhead", .what = "munmap window",
			.a = side_names[lo], .b = side_names[hi],
			.a_ns = moff, .b_ns = mon,
			.ratio = b->p.attribute ? "attributed/counted" :
						  "counted/bare",
			.target = "<= 1.01", .extra = o,
		};

		json_object_object_add(o, "pair_ratio",
				       json_object_new_double(mpair));
		json_object_object_add(o, "tlb_flush_events",
				       json_object_new_double(mev));
		if (b->p.attribute) {
			json_object_object_add(o, "sent",
					       json_object_new_int64(sent_sum));
			json_object_object_add(o, "sampled",
					       json_object_new_int64(sampled_sum));
		}
		bench_print_ab(b, &ab);
		if (b->p.format == FORMAT_TEXT) {
			printf("median of pair ratios        %12.4f\n", mpair);
			printf("# %.0f tlb_flush events per window\n", mev);
		}
		if (b->p.format == FORMAT_TEXT && b->p.attribute)
			printf("# %lld of %lld sender flushes sampled and "
			       "attributed%s%s\n", sampled_sum, sent_sum,
			       a.why[0] ? ": " : "", a.why);
	}
out:
	free(on);
	free(off);
	free(events);
	free(pair);
	return ret;
}

/* Two windows per rep: with and without counters. */
static bool overhead_estimate(const struct params *p, const struct rates *rt,
			      struct estimate *e)
{
	bench_estimate(p, rt, e);
	e->prepare *= 2;
	e->window *= 2;
	e->idle = 0;
	bench_estimate_total(e);
	return true;
}

const struct workload workload_overhead = {
	.name		= "overhead",
	.summary	= "munmap latency with every counter on against none open: the cost of counting",
	.options	= OPTS_REGION & ~(OPT_PERF_CTL | OPT_PERF_STAT),
	.preset		= preset,
	.standalone	= overhead_run,
	.estimate	= overhead_estimate,
	.check		= bench_check_fixed_reps,
};
