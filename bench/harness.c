/*
 * The harness: pins the measuring thread, opens the counters, runs
 * warm-up and measured repetitions of a workload and prints each sample.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "measure.h"
#include "results.h"
#include "stats.h"
#include "workload.h"

int bench_region_setup(struct bench *b)
{
	int ret;

	ret = region_create(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	/* Helpers go on the CPUs after the measuring one. */
	ret = team_start(&b->team, b->p.cpus.cpu + 1, b->p.threads - 1);
	if (ret)
		snprintf(b->err, sizeof(b->err), "starting threads: %s",
			 strerror(-ret));
	return ret;
}

int bench_region_prepare(struct bench *b)
{
	int ret = region_map(&b->region, &b->p, b->err, sizeof(b->err));

	if (ret)
		return ret;
	ret = team_touch(&b->team, b->region.addr, b->region.size);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "pinning a helper: %s",
			 strerror(-ret));
		return ret;
	}
	ret = region_seen(&b->region, &b->seen);
	if (ret)
		snprintf(b->err, sizeof(b->err), "/proc/self/smaps: %s",
			 strerror(-ret));
	return ret;
}

void bench_region_teardown(struct bench *b)
{
	team_stop(&b->team);
	region_destroy(&b->region);
}

struct run {
	struct bench b;
	const struct workload *w;
	struct counters cs;
	struct window win;
	long long **delta, **noise;
	unsigned long long *ns;
	unsigned measured;
	struct json_object *held;	/* --reps auto, json: until the end */
};

static int call_op(void *arg)
{
	struct run *r = arg;

	return r->w->op(&r->b);
}

static int alloc_samples(struct run *r, unsigned n)
{
	r->delta = calloc(n, sizeof(*r->delta));
	r->noise = calloc(n, sizeof(*r->noise));
	r->ns = calloc(n, sizeof(*r->ns));
	if (!r->delta || !r->noise || !r->ns)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		r->delta[i] = counters_alloc_values(&r->cs);
		r->noise[i] = counters_alloc_values(&r->cs);
		if (!r->delta[i] || !r->noise[i])
			return -ENOMEM;
	}
	return 0;
}

static void free_samples(struct run *r, unsigned n)
{
	for (unsigned i = 0; r->delta && i < n; i++)
		free(r->delta[i]);
	for (unsigned i = 0; r->noise && i < n; i++)
		free(r->noise[i]);
	free(r->delta);
	free(r->noise);
	free(r->ns);
}

static int one_rep(struct run *r, unsigned rep, struct sample *s)
{
	struct bench *b = &r->b;
	size_t bytes = (size_t)r->cs.n * r->cs.cpus.n * sizeof(long long);
	int ret;

	ret = r->w->prepare(b);
	if (ret)
		return ret;
	b->ops = 0;
	ret = window_measure(&r->win, &r->cs, b->self_cpu, call_op, r);
	if (ret) {
		if (!b->err[0])
			snprintf(b->err, sizeof(b->err), "reading counters: %s",
				 strerror(-ret));
		return ret;
	}
	ret = window_noise(&r->win, &r->cs, b->self_cpu);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "reading counters: %s",
			 strerror(-ret));
		return ret;
	}
	if (rep < b->p.warmup)
		return 0;

	rep -= b->p.warmup;
	memcpy(r->delta[rep], r->win.delta, bytes);
	memcpy(r->noise[rep], r->win.noise, bytes);
	r->ns[rep] = r->win.ns;
	s->rep = rep;
	s->ns = r->win.ns;
	s->ops = b->ops;
	s->delta = r->win.delta;
	s->noise = r->win.noise;
	s->populate = b->region.populate ? b->region.populate : "none";
	r->measured = rep + 1;
	if (b->p.format == FORMAT_TEXT)
		sample_text_row(stdout, s);
	else if (b->p.reps)
		sample_print_json(stdout, s);
	else	/* --reps auto: why it stops is known only at the end */
		json_object_array_add(r->held, sample_json(s));
	return 0;
}

/*
 * --reps auto: whether the 95% interval of the median time is within
 * --target-ci; *HALF gets its half-width in % of the median.  Below 6
 * samples no interval reaches 95%, so never.
 */
static bool ci_reached(const struct run *r, double *half)
{
	double *v = calloc(r->measured, sizeof(*v));
	struct stats_summary s;

	if (!v)
		return false;
	for (unsigned i = 0; i < r->measured; i++)
		v[i] = r->ns[i];
	stats_summarize(v, r->measured, &s);
	free(v);
	*half = s.ci_short ? NAN : stats_half_width_pct(&s);
	return !s.ci_short && *half <= r->b.p.target_ci;
}

/* --reps auto: every sample says how many there were and why. */
static void print_held(struct run *r, const char *stop, double half)
{
	for (size_t i = 0; i < json_object_array_length(r->held); i++) {
		struct json_object *o = json_object_array_get_idx(r->held, i);
		struct json_object *params;

		json_object_object_get_ex(o, "params", &params);
		json_object_object_add(params, "reps",
				       json_object_new_int(r->measured));
		json_object_object_add(o, "stop", json_object_new_string(stop));
		json_object_object_add(o, "stop_ci_pct", isfinite(half) ?
				       json_object_new_double(half) : NULL);
		sample_print_object(stdout, json_object_get(o));
	}
}

/* Returns 0, or -EINVAL for bad input and another -errno otherwise. */
int bench_run(const struct workload *w, struct bench *in)
{
	struct run *r = calloc(1, sizeof(*r));
	struct bench *b;
	struct sample s;
	unsigned nmax, total, done = 0;
	const char *stop = NULL;
	double half = NAN;
	int ret;

	if (!r)
		return -ENOMEM;
	r->b = *in;
	r->w = w;
	b = &r->b;
	nmax = b->p.reps ? b->p.reps : b->p.max_reps;
	total = b->p.warmup + nmax;
	b->self_cpu = b->p.cpus.cpu[0];
	ret = cpu_pin_self(b->self_cpu);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "pinning to CPU %d: %s",
			 b->self_cpu, strerror(-ret));
		goto out;
	}
	ret = counters_open(&r->cs, b->p.events_given ? b->p.events : NULL,
			    b->err, sizeof(b->err));
	if (ret)
		goto out;
	ret = window_init(&r->win, &r->cs);
	if (!ret)
		ret = alloc_samples(r, nmax);
	r->held = json_object_new_array();
	if (!ret)
		ret = counters_enable(&r->cs);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "counters: %s",
			 strerror(-ret));
		goto out_counters;
	}
	ret = w->setup(b);
	if (ret)
		goto out_counters;

	memset(&s, 0, sizeof(s));
	s.workload = w->name;
	s.p = &b->p;
	s.dir = b->region.dir;
	s.fs = b->region.fs;
	s.seen = &b->seen;
	s.cs = &r->cs;
	s.stop = b->p.reps ? "reps" : NULL;
	if (b->p.format == FORMAT_TEXT)
		sample_text_header(stdout, &s);
	for (; done < total; done++) {
		ret = one_rep(r, done, &s);
		if (ret)
			break;
		if (!b->p.reps && done >= b->p.warmup && ci_reached(r, &half)) {
			stop = "target-ci";
			break;
		}
	}
	w->teardown(b);
	if (!ret && !b->p.reps && !stop) {
		stop = "max-reps";
		ci_reached(r, &half);
	}
	if (!ret && !b->p.reps && b->p.format == FORMAT_JSON)
		print_held(r, stop, half);
	if (!ret && b->p.format == FORMAT_TEXT)
		samples_text_summary(stdout, &r->cs, r->delta, r->noise,
				     r->ns, r->measured);
	if (!ret && !b->p.reps && b->p.format == FORMAT_TEXT)
		printf("# --reps auto: %s after %u reps, 95%% CI of the "
		       "median time +-%.1f%% (target %g%%)\n",
		       !strcmp(stop, "max-reps") ? "--max-reps reached" :
		       "target reached", r->measured, half, b->p.target_ci);
out_counters:
	window_free(&r->win);
	json_object_put(r->held);
	free_samples(r, nmax);
	counters_close(&r->cs);
out:
	memcpy(in->err, b->err, sizeof(in->err));
	free(r);
	return ret;
}
