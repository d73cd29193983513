/*
 * The harness: pins the measuring thread, opens the counters, runs
 * warm-up and measured repetitions of a workload and prints each sample.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "measure.h"
#include "results.h"
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
	if (b->p.format == FORMAT_JSON)
		sample_print_json(stdout, s);
	else
		sample_text_row(stdout, s);
	return 0;
}

/* Returns 0, or -EINVAL for bad input and another -errno otherwise. */
int bench_run(const struct workload *w, struct bench *in)
{
	struct run *r = calloc(1, sizeof(*r));
	struct bench *b;
	struct sample s;
	unsigned total, done = 0;
	int ret;

	if (!r)
		return -ENOMEM;
	r->b = *in;
	r->w = w;
	b = &r->b;
	total = b->p.warmup + b->p.reps;
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
		ret = alloc_samples(r, b->p.reps);
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
	if (b->p.format == FORMAT_TEXT)
		sample_text_header(stdout, &s);
	for (; done < total; done++) {
		ret = one_rep(r, done, &s);
		if (ret)
			break;
	}
	w->teardown(b);
	if (!ret && b->p.format == FORMAT_TEXT)
		samples_text_summary(stdout, &r->cs, r->delta, r->noise,
				     r->ns, b->p.reps);
out_counters:
	window_free(&r->win);
	free_samples(r, b->p.reps);
	counters_close(&r->cs);
out:
	memcpy(in->err, b->err, sizeof(in->err));
	free(r);
	return ret;
}
