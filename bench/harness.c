/*
 * The harness: pins the measuring thread, opens the counters, runs
 * warm-up and measured repetitions of a workload and prints each sample.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "measure/counters.h"
#include "measure/measure.h"
#include "measure/perf_stat.h"
#include "measure/record.h"
#include "common/stats.h"
#include "workload.h"

int bench_region_setup(struct bench *b)
{
	int ret;

	ret = region_create(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	return bench_team_setup(b);
}

/* The helper threads, walking as victims with --victims walk. */
int bench_team_setup(struct bench *b)
{
	int ret;

	/* Helpers go on the CPUs after the measuring one. */
	ret = team_start(&b->team, b->p.cpus.cpu + 1, b->p.threads - 1);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "starting threads: %s",
			 strerror(-ret));
		return ret;
	}
	b->tids[0] = gettid();
	memcpy(b->tids + 1, b->team.tid_of, b->team.n * sizeof(int));
	b->ntids = b->team.n + 1;
	b->tids_changed = true;
	if (b->p.victims != VICTIMS_WALK)
		return 0;
	ret = victims_start(&b->victims, &b->team, &b->p, b->err,
			    sizeof(b->err));
	b->walking = !ret;
	if (ret)
		victims_stop(&b->victims);
	return ret;
}

/* Record how the kernel maps the region now, in b->seen. */
int bench_region_seen(struct bench *b)
{
	int ret = region_seen(&b->region, &b->seen);

	if (ret)
		snprintf(b->err, sizeof(b->err), "/proc/self/smaps: %s",
			 strerror(-ret));
	return ret;
}

/* Map and dirty the region, have every helper touch it, record how. */
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
	b->helpers_touched = threads_preempted(b->team.tid_of, b->team.n);
	ret = bench_region_seen(b);
	if (ret)
		return ret;
	zap_shape_of_region(&b->p, &b->seen, &b->zap);
	b->zap_set = true;
	return 0;
}

/* The zap most workloads measure: one munmap() of the whole region. */
int bench_region_munmap(struct bench *b)
{
	if (munmap(b->region.addr, b->region.size)) {
		snprintf(b->err, sizeof(b->err), "munmap: %s", strerror(errno));
		return -errno;
	}
	region_unmapped(&b->region);
	b->ops = 1;
	return 0;
}

void bench_team_teardown(struct bench *b)
{
	team_stop(&b->team);
	if (b->walking)
		victims_stop(&b->victims);
	b->walking = false;
}

void bench_region_teardown(struct bench *b)
{
	bench_team_teardown(b);
	region_destroy(&b->region);
}

/* The tool's own benchmarks need a number of repetitions to alternate. */
int bench_check_fixed_reps(const struct params *p, char *err, size_t len)
{
	if (p->reps)
		return 0;
	snprintf(err, len, "--reps: give a number: auto is for kernel workloads");
	return -EINVAL;
}

/* Repetitions a run makes at most: warm-up and measured (--reps auto:
 * up to --max-reps). */
double bench_reps(const struct params *p)
{
	return p->warmup + (p->reps ? p->reps : p->max_reps);
}

/*
 * A region workload's run: the first repetition faults a new file in
 * (set-up), each one maps and faults it in again, the helpers touch it,
 * one zap, and an idle window as long.
 */
bool bench_estimate(const struct params *p, const struct rates *rt,
		    struct estimate *e)
{
	double size = p->size;

	e->setup = size * rt->setup;
	e->prepare = size * (rt->prepare + rt->touch);
	e->window = size * rt->window;
	e->idle = e->window;
	/* Walking victims: a calibration window as long before each. */
	if (p->victims == VICTIMS_WALK)
		e->window *= 2;
	e->reps = bench_reps(p);
	bench_estimate_total(e);
	return true;
}

void bench_estimate_total(struct estimate *e)
{
	e->total = e->setup + e->reps * ((isnan(e->prepare) ? 0 : e->prepare) +
		   (isnan(e->window) ? 0 : e->window) +
		   (isnan(e->idle) ? 0 : e->idle));
}

const char *const zap_mode_names[] = {
	"madvise", "munmap-remap", "truncate-extend", NULL };

void bench_add_count(struct json_object *o, const char *key,
		     unsigned long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* A 64-bit value as written to memory: 0x and 16 hex digits. */
void bench_add_hex(struct json_object *o, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%016llx", (unsigned long long)v);
	json_object_object_add(o, key, json_object_new_string(buf));
}

/*
 * A whole run's findings RES become its record, with VERDICT and TEXT;
 * a verdict other than BENCH_PASSED (RET) is also the run's message.
 */
int bench_verdict(struct bench *b, struct json_object *res,
		  const char *verdict, const char *text, int ret)
{
	json_object_object_add(res, "verdict", json_object_new_string(verdict));
	json_object_object_add(res, "verdict_text",
			       json_object_new_string(text));
	b->result = res;
	if (ret)
		snprintf(b->err, sizeof(b->err), "%s", text);
	return ret;
}

/* A benchmark of the tool: two medians and their ratio, text or JSON. */
void bench_print_ab(const struct bench *b, const struct ab_result *r)
{
	double ratio = r->b_ns / r->a_ns;
	char size[32];

	size_text(b->p.size, size, sizeof(size));
	if (b->p.format == FORMAT_JSON) {
		struct json_object *o = r->extra ? r->extra :
					json_object_new_object();

		json_object_object_add(o, "workload",
				       json_object_new_string(r->name));
		json_object_object_add(o, "size_bytes",
				       json_object_new_int64(b->p.size));
		json_object_object_add(o, "backing", json_object_new_string(
			backing_name(b->p.backing)));
		json_object_object_add(o, "reps", json_object_new_int(b->p.reps));
		json_object_object_add(o, "a", json_object_new_string(r->a));
		json_object_object_add(o, "a_ns", json_object_new_double(r->a_ns));
		json_object_object_add(o, "b", json_object_new_string(r->b));
		json_object_object_add(o, "b_ns", json_object_new_double(r->b_ns));
		json_object_object_add(o, "ratio", json_object_new_double(ratio));
		json_object_object_add(o, "compared",
				       json_object_new_string(r->ratio));
		sample_print_object(stdout, o);
		return;
	}
	printf("# %s: %s, %s %s, medians of %u alternating reps\n", r->name,
	       r->what, size, backing_name(b->p.backing), b->p.reps);
	printf("%-28s %12.1f usec\n", r->a, r->a_ns / 1e3);
	printf("%-28s %12.1f usec\n", r->b, r->b_ns / 1e3);
	printf("ratio %-22s %12.4f (target %s)\n", r->ratio, ratio, r->target);
}

/* Per repetition: totals, noise floor, and each phase. */
struct rep {
	unsigned long long ns;
	long long *delta;
	long long *noise;
	unsigned long long phase_ns[PHASES_MAX];
	long long *phase[PHASES_MAX];
	long long flushes;		/* what the model is judged on */
	long preempted;			/* involuntary switches, windows */
	long helpers_preempted;		/* the helpers', from their touch */
					/* to the last window's end, or -1 */
	struct attr_counts *attr;	/* --attribute: the paths */
	char disturbed[160];		/* noise above the floor: what */
	struct rep_budget budget;
	struct victim_loss *loss;	/* --victims walk: per victim */
	struct handler_cpu *handler;	/* per victim: its CPU's handler */
	double victims_ns[2];		/* calibration, window: as timed */
};

struct run {
	struct bench b;
	const struct workload *w;
	struct counters cs;
	struct window win;
	int perf_ctl[2];		/* --perf-ctl: its fifos, or -1 */
	struct perf_stat stat;		/* --perf-stat */
	int nphases;
	struct rep *reps;		/* measured ones, then a scratch one */
	unsigned nmax;			/* measured reps at most */
	unsigned measured;
	struct json_object *held;	/* --reps auto, json: until the end */
	int local_flushes;		/* tlb_flush.local_mm_shootdown */
	int sent_flushes;		/* tlb_flush.remote_send_ipi */
	int flush_points;		/* kprobe.tlb_flush_mmu */
	struct attribution attr;	/* --attribute */
	struct attr_chains attr_chains;	/* unclassified, measured reps */
	struct handler handler;		/* --victims walk: handlers */
	unsigned long long cal_ns;	/* the victims' next calibration */
};

static int call_op(void *arg)
{
	struct run *r = arg;

	return r->w->op(&r->b);
}

static int alloc_reps(struct run *r, unsigned n)
{
	r->reps = calloc(n + 1, sizeof(*r->reps));
	if (!r->reps)
		return -ENOMEM;
	for (unsigned i = 0; i <= n; i++) {
		struct rep *rep = &r->reps[i];

		rep->delta = counters_alloc_values(&r->cs);
		rep->noise = counters_alloc_values(&r->cs);
		if (!rep->delta || !rep->noise)
			return -ENOMEM;
		if (r->b.p.attribute &&
		    !(rep->attr = calloc(1, sizeof(*rep->attr))))
			return -ENOMEM;
		if (r->b.walking &&
		    (!(rep->loss = calloc(r->b.victims.n,
					  sizeof(*rep->loss))) ||
		     !(rep->handler = calloc(r->b.victims.n,
					     sizeof(*rep->handler)))))
			return -ENOMEM;
		for (int p = 0; p < r->nphases; p++) {
			rep->phase[p] = counters_alloc_values(&r->cs);
			if (!rep->phase[p])
				return -ENOMEM;
		}
	}
	return 0;
}

static void free_reps(struct run *r, unsigned n)
{
	for (unsigned i = 0; r->reps && i <= n; i++) {
		free(r->reps[i].delta);
		free(r->reps[i].noise);
		free(r->reps[i].attr);
		free(r->reps[i].loss);
		free(r->reps[i].handler);
		for (int p = 0; p < r->nphases; p++)
			free(r->reps[i].phase[p]);
	}
	free(r->reps);
}

/*
 * Flushes of the mm that the zap started.  Where a kprobe counts them,
 * the mmu_gather flush points (tlb_flush_mmu), whatever each becomes:
 * IPIs, an INVLPGB broadcast, a TLBI.  Else from the tracepoints: each
 * flush is a local flush where it starts (reason 3) and, with other CPUs
 * in the mm's mask, one "send" (reason 4).  A CPU in lazy TLB mode skips
 * its local flush untraced (the exiting CPU in exit_mmap), so the larger
 * of the two counts is taken.
 */
static long long flushes_started(struct run *r, const long long *vals)
{
	long long local = 0, sent = 0;

	if (r->flush_points >= 0)
		return counters_sum(&r->cs, vals, r->flush_points);

	if (r->local_flushes >= 0)
		local = counters_sum(&r->cs, vals, r->local_flushes);
	if (r->sent_flushes >= 0)
		sent = counters_sum(&r->cs, vals, r->sent_flushes);
	return local > sent ? local : sent;
}

static int counted(const struct counters *cs, const char *name)
{
	int i = counters_find(cs, name);

	return i >= 0 && cs->c[i].supported ? i : -1;
}

static bool flushes_counted(const struct run *r)
{
	return r->flush_points >= 0 || r->local_flushes >= 0;
}

/* What flushes_started() counts, for the record. */
static const char *flushes_name(const struct run *r)
{
	return r->flush_points >= 0 ? "kprobe.tlb_flush_mmu" :
	       "tlb_flush.local_mm_shootdown or remote_send_ipi";
}

#define NOISE_MIN 2

/* Counters another process's flushes raise; not a mere task switch. */
static bool flush_from_elsewhere(const char *name)
{
	static const char *const names[] = {
		"tlb_flush.remote_shootdown", "tlb_flush.remote_send_ipi",
		"tlb_flush.local_shootdown", "interrupts.tlb",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/*
 * Whether the idle window after REP counted what the measured window
 * could have: another process flushing TLBs on these CPUs meanwhile (a
 * second benchmark), which the system-wide counts include.  At least 2
 * events and more than 1% of the measured count, on the counter where the
 * share is largest.
 */
static void judge_noise(const struct run *r, struct rep *rep)
{
	const struct counters *cs = &r->cs;
	double worst = 0;

	rep->disturbed[0] = 0;
	for (int i = 0; i < cs->n; i++) {
		long long noise, count;
		double share;

		if (!cs->c[i].supported || !flush_from_elsewhere(cs->c[i].name))
			continue;
		noise = counters_sum(cs, rep->noise, i);
		count = counters_sum(cs, rep->delta, i);
		if (noise < NOISE_MIN || noise * 100 <= count)
			continue;
		share = count > 0 ? (double)noise / count : INFINITY;
		if (share <= worst)
			continue;
		worst = share;
		snprintf(rep->disturbed, sizeof(rep->disturbed),
			 "%s: %lld in an idle window as long as the measured one, which counted %lld",
			 cs->c[i].name, noise, count);
	}
}

/* The victims' marks at the edges of the measured call. */
static void victims_edge(void *arg, bool start)
{
	victims_mark(arg, start ? MARK_WIN_START : MARK_WIN_END);
}

/*
 * Before the last phase's window: a calibration window as long as the
 * last one measured (the warm-up's, at first), the victims armed.
 */
#define VICTIMS_CAL_FIRST_NS 10000000ULL

static void victims_before(struct run *r)
{
	handler_drain(&r->handler);
	victims_calibrate(&r->b.victims, r->cal_ns ? r->cal_ns :
			  VICTIMS_CAL_FIRST_NS);
	r->win.edge = victims_edge;
	r->win.edge_arg = &r->b.victims;
}

/* After it: what each victim lost, and its CPU's handler time. */
static void victims_after(struct run *r, struct rep *rep)
{
	struct victims *vs = &r->b.victims;
	unsigned long long from[2] = { vs->ns_at[MARK_CAL_START],
				       vs->ns_at[MARK_WIN_START] };
	unsigned long long to[2] = { vs->ns_at[MARK_CAL_END],
				     vs->ns_at[MARK_WIN_END] };

	r->win.edge = NULL;
	victims_disarm(vs);
	handler_collect(&r->handler, from, to);
	for (int i = 0; i < vs->n; i++) {
		int k = handler_column(&r->handler, vs->v[i].cpu);

		victims_loss(vs, i, &rep->loss[i]);
		if (r->handler.open && k >= 0)
			rep->handler[i] = r->handler.cpu[k];
		else
			memset(&rep->handler[i], 0, sizeof(rep->handler[i]));
	}
	rep->victims_ns[0] = victims_cal_ns(vs);
	rep->victims_ns[1] = victims_window_ns(vs);
	r->cal_ns = rep->victims_ns[1];
}

static int measure_phases(struct run *r, struct rep *rep)
{
	struct bench *b = &r->b;
	size_t nvals = (size_t)r->cs.n * r->cs.cpus.n;
	unsigned long long start = now_ns(), t0;
	int ret;

	rep->ns = 0;
	rep->preempted = 0;
	memset(rep->delta, 0, nvals * sizeof(long long));
	if (rep->attr)
		memset(rep->attr, 0, sizeof(*rep->attr));
	r->win.attr_out = rep->attr;
	attribution_chains_reset(&r->attr);
	for (int p = 0; p < r->nphases; p++) {
		bool victims = b->walking && p == r->nphases - 1;

		b->phase = p;
		if (victims)
			victims_before(r);
		ret = window_measure(&r->win, &r->cs, b->self_cpu, call_op, r,
				     rep->phase[p], &rep->phase_ns[p]);
		if (victims)
			victims_after(r, rep);
		if (ret)
			return ret;
		rep->ns += rep->phase_ns[p];
		rep->preempted += r->win.preempted;
		for (size_t i = 0; i < nvals; i++)
			rep->delta[i] += rep->phase[p][i];
	}
	rep->flushes = flushes_started(r, rep->phase[r->nphases - 1]);
	/*
	 * A helper switched out after its touch of the region may have been
	 * away from its CPU, or in lazy TLB mode, for shootdowns of the
	 * window: counted from the touch, a switch-out before the window is
	 * seen even when the helper is not back until after it.
	 */
	rep->helpers_preempted = -1;
	if (b->helpers_touched >= 0) {
		long now = threads_preempted(b->team.tid_of, b->team.n);

		if (now >= 0)
			rep->helpers_preempted = now - b->helpers_touched;
	}
	t0 = now_ns();
	rep->budget.windows = t0 - start;
	ret = window_idle(&r->win, &r->cs, b->self_cpu, rep->ns, rep->noise);
	rep->budget.idle = now_ns() - t0;
	if (!ret)
		judge_noise(r, rep);
	return ret;
}

/* One warning for the run, on stderr and in the text output. */
static void warn_disturbed(const struct run *r)
{
	const char *first = NULL;
	unsigned n = 0;

	for (unsigned i = 0; i < r->measured; i++)
		if (r->reps[i].disturbed[0] && !n++)
			first = r->reps[i].disturbed;
	if (!n)
		return;
	fprintf(stderr, "tlbbench: warning: %u of %u repetitions disturbed, another process flushing TLBs meanwhile? (%s)\n",
		n, r->measured, first);
	if (r->b.p.format == FORMAT_TEXT)
		printf("# warning: %u of %u repetitions disturbed (%s)\n", n,
		       r->measured, first);
}

/*
 * Text output: a guest whose hypervisor flushes the other CPUs shows no
 * shootdown received; say so rather than let "0 received" read as "no
 * CPU paid".
 */
static void text_remote_flush(const struct run *r)
{
	unsigned n = 0, hv = 0;

	for (unsigned i = 0; i < r->measured; i++) {
		const struct rep *rep = &r->reps[i];
		enum remote_flush how = counters_remote_flush(&r->cs,
				rep->delta, r->b.p.threads > 1 &&
				rep->helpers_preempted == 0);

		n += how != REMOTE_FLUSH_UNKNOWN;
		hv += how == REMOTE_FLUSH_HYPERVISOR;
	}
	if (hv)
		printf("# remote flushes: in %u of %u repetitions sent to the "
		       "helpers' CPUs and none received: the hypervisor "
		       "flushed them (paravirtual flush_tlb_multi), what they "
		       "cost those CPUs is not counted here\n", hv, n);
}

static void fill_sample(struct run *r, struct rep *rep, unsigned i,
			struct sample *s, struct model *m)
{
	struct bench *b = &r->b;

	s->rep = i;
	s->ns = rep->ns;
	s->ops = b->ops;
	s->preempted = rep->preempted;
	s->helpers_preempted = b->p.threads > 1 ? rep->helpers_preempted : -1;
	s->delta = rep->delta;
	s->noise = rep->noise;
	s->disturbed = rep->disturbed[0] ? rep->disturbed : NULL;
	/* Of the flushes to the helpers: none without helpers. */
	s->remote_flush = NULL;
	if (b->p.threads > 1)
		s->remote_flush = remote_flush_name(counters_remote_flush(
			&r->cs, rep->delta, s->helpers_preempted == 0));
	s->budget = &rep->budget;
	s->populate = b->region.populate ? b->region.populate : "none";
	s->nphases = r->w->phases ? r->nphases : 0;
	s->phase_names = r->w->phases;
	s->phase_ns = rep->phase_ns;
	s->phase_delta = rep->phase;
	s->model = NULL;
	s->attr = rep->attr ? &r->attr : NULL;
	s->attr_counts = rep->attr;
	s->attr_chains = &r->attr.chains;
	if (b->walking) {
		s->victims = &b->victims;
		s->loss = rep->loss;
		s->handler_cpu = rep->handler;
		s->handler = &r->handler;
		s->victims_ns = rep->victims_ns;
	}
	if (b->zap_set && flushes_counted(r)) {
		model_judge(&b->zap, rep->flushes, m);
		m->counted = flushes_name(r);
		s->model = m;
	}
}

static int open_counters(struct run *r);

/* What every record of this run says about the workload and its set-up. */
static void sample_of_run(const struct run *r, struct sample *s)
{
	const struct bench *b = &r->b;

	memset(s, 0, sizeof(*s));
	s->workload = r->w->name;
	s->options = r->w->options;
	s->own = r->w->own;
	s->p = &b->p;
	s->dir = b->region.dir;
	s->fs = b->region.fs;
	s->seen = &b->seen;
	s->cs = &r->cs;
	s->preempted = -1;
	s->helpers_preempted = -1;
}

/* The same counters, filtered on the workload's new thread ids. */
static int reopen_counters(struct run *r)
{
	struct counters old = r->cs;
	int n = r->cs.n, ret;

	window_free(&r->win);
	attribution_close(&r->attr);
	/*
	 * The new set first: each tracepoint keeps a perf event, so closing
	 * the old set waits for no grace period (which the last event of a
	 * tracepoint does, tracepoint_synchronize_unregister()).
	 */
	ret = open_counters(r);
	counters_close(&old);
	if (ret)
		return -EIO;
	if (r->cs.n != n) {
		snprintf(r->b.err, sizeof(r->b.err),
			 "counters changed when reopened");
		return -EIO;
	}
	return 0;
}

static int one_rep(struct run *r, unsigned rep, struct sample *s)
{
	struct bench *b = &r->b;
	bool warmup = rep < b->p.warmup;
	struct rep *out = &r->reps[warmup ? r->nmax : rep - b->p.warmup];
	unsigned long long t0 = now_ns(), t1;
	struct model m;
	int ret;

	b->helpers_touched = -1;
	ret = r->w->prepare(b);
	if (ret)
		return ret;
	t1 = now_ns();
	out->budget.prepare = t1 - t0;
	out->budget.counters = 0;
	/* A new child process (exit): count its threads from now on. */
	if (b->tids_changed && b->p.scope != SCOPE_SYSTEM) {
		ret = reopen_counters(r);
		if (ret)
			return ret;
		out->budget.counters = now_ns() - t1;
	}
	b->ops = 0;
	ret = measure_phases(r, out);
	if (ret) {
		if (!b->err[0])
			snprintf(b->err, sizeof(b->err), "reading counters: %s",
				 strerror(-ret));
		return ret;
	}
	/* Lost samples: larger rings for the next repetition. */
	if (out->attr && (ret = attribution_grow(&r->attr, out->attr))) {
		snprintf(b->err, sizeof(b->err), "--attribute: %.200s: %s",
			 r->attr.why, strerror(-ret));
		return ret;
	}
	if (warmup)
		return 0;
	fill_sample(r, out, rep - b->p.warmup, s, &m);
	r->measured = rep - b->p.warmup + 1;
	attr_chains_merge(&r->attr_chains, &r->attr.chains);
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
	double *v = calloc(r->measured ? r->measured : 1, sizeof(*v));
	struct stats_summary s;

	if (!v)
		return false;
	for (unsigned i = 0; i < r->measured; i++)
		v[i] = r->reps[i].ns;
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

static double median_ull(const unsigned long long *v, size_t stride,
			 unsigned n)
{
	double *tmp = calloc(n ? n : 1, sizeof(*tmp));
	double m;

	if (!tmp)
		return 0;
	for (unsigned i = 0; i < n; i++)
		tmp[i] = *(const unsigned long long *)((const char *)v +
						       i * stride);
	m = stats_median(tmp, n);
	free(tmp);
	return m;
}

/* Steady-state workloads: the window's medians per operation. */
static void ops_text(struct run *r, const unsigned long long *ns,
		     unsigned n)
{
	double ops = r->b.ops, t = median_ull(ns, sizeof(*ns), n);
	double *v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return;
	printf("# %.0f ops per window: %.1f ns/op, %.0f ops/s", ops, t / ops,
	       ops * 1e9 / t);
	for (unsigned i = 0; i < n; i++)
		v[i] = r->reps[i].flushes;
	if (flushes_counted(r))
		printf(", %.2f flushes/op", stats_median(v, n) / ops);
	if (r->sent_flushes >= 0) {
		for (unsigned i = 0; i < n; i++)
			v[i] = counters_sum(&r->cs, r->reps[i].delta,
					    r->sent_flushes);
		printf(", %.2f sent/op", stats_median(v, n) / ops);
	}
	putchar('\n');
	free(v);
}

static void text_summary(struct run *r)
{
	unsigned n = r->measured;
	long long **delta = calloc(n, sizeof(*delta));
	long long **noise = calloc(n, sizeof(*noise));
	unsigned long long *ns = calloc(n, sizeof(*ns));
	long long *flushes = calloc(n, sizeof(*flushes));
	const struct attr_counts **attr = NULL;

	if (!delta || !noise || !ns || !flushes)
		goto out;
	if (r->b.p.attribute && !(attr = calloc(n, sizeof(*attr))))
		goto out;
	for (unsigned i = 0; i < n; i++) {
		if (attr)
			attr[i] = r->reps[i].attr;
		delta[i] = r->reps[i].delta;
		noise[i] = r->reps[i].noise;
		ns[i] = r->reps[i].ns;
		flushes[i] = r->reps[i].flushes;
	}
	samples_text_summary(stdout, &r->cs, delta, noise, ns, n);
	if (r->b.ops > 1)
		ops_text(r, ns, n);
	for (int p = 0; r->w->phases && p < r->nphases; p++)
		printf("# phase %s: median %.1f usec\n", r->w->phases[p],
		       median_ull(&r->reps[0].phase_ns[p], sizeof(struct rep),
				  n) / 1e3);
	if (r->b.zap_set && flushes_counted(r)) {
		struct model m;

		model_judge(&r->b.zap, (long long)median_ull(
			(unsigned long long *)&r->reps[0].flushes,
			sizeof(struct rep), n), &m);
		m.counted = flushes_name(r);
		model_text(stdout, &m);
	}
	if (attr)
		attribution_text(stdout, &r->attr, &r->attr_chains, attr,
				 &r->cs, delta, n);
	if (r->b.walking) {
		struct sample *s = calloc(n ? n : 1, sizeof(*s));
		struct model m;

		for (unsigned i = 0; s && i < n; i++) {
			sample_of_run(r, &s[i]);
			fill_sample(r, &r->reps[i], i, &s[i], &m);
		}
		if (s)
			victims_summary_text(stdout, s, n);
		free(s);
	}
out:
	free(delta);
	free(noise);
	free(ns);
	free(flushes);
	free(attr);
}

/* Open the counters for the threads the workload has now. */
static int open_counters(struct run *r)
{
	struct bench *b = &r->b;
	bool threads;
	int ret;

	ret = counters_open(&r->cs, b->p.events_given ? b->p.events :
			    b->walking ? "default,victims" : NULL,
			    b->p.scope, b->tids, b->ntids, b->err,
			    sizeof(b->err));
	if (ret)
		return ret;
	threads = r->cs.scope != SCOPE_SYSTEM;
	if (r->cs.scope == SCOPE_PROCESS && r->w->per_thread_blind)
		counters_refuse(&r->cs, r->w->per_thread_blind);
	b->tids_changed = false;
	r->local_flushes = counted(&r->cs, "tlb_flush.local_mm_shootdown");
	r->sent_flushes = counted(&r->cs, "tlb_flush.remote_send_ipi");
	r->flush_points = counted(&r->cs, "kprobe.tlb_flush_mmu");
	/* Once: the rings stay open for the whole run, reopened or not. */
	if (b->walking && !r->handler.open && !r->handler.why[0] &&
	    (ret = handler_open(&r->handler, b->team.cpu, b->team.n))) {
		snprintf(b->err, sizeof(b->err), "handler sampling: %s",
			 strerror(-ret));
		return ret;
	}
	if (b->p.attribute) {
		ret = attribution_open(&r->attr, &b->p, &b->zap, b->tids,
				       threads ? b->ntids : 0);
		if (ret) {
			snprintf(b->err, sizeof(b->err), "--attribute: %s",
				 strerror(-ret));
			return ret;
		}
	}
	ret = window_init(&r->win, &r->cs);
	r->win.attr = &r->attr;
	if (r->perf_ctl[0] >= 0)
		r->win.perf_ctl = r->perf_ctl;
	if (!ret && !r->reps)
		ret = alloc_reps(r, r->nmax);
	if (!ret)
		ret = counters_enable(&r->cs);
	if (ret)
		snprintf(b->err, sizeof(b->err), "counters: %s",
			 strerror(-ret));
	return ret;
}

/* The workload's set-up, then counters for the threads it made. */
static int setup_counted(struct run *r)
{
	int ret = r->w->setup(&r->b);

	if (!ret)
		ret = open_counters(r);
	if (ret)
		r->w->teardown(&r->b);
	return ret;
}

static int repeat(struct run *r)
{
	struct bench *b = &r->b;
	unsigned total = b->p.warmup + r->nmax;
	const char *stop = NULL;
	double half = NAN;
	struct sample s;
	int ret;

	ret = setup_counted(r);
	if (ret)
		return ret;
	sample_of_run(r, &s);
	s.stop = b->p.reps ? "reps" : NULL;
	if (b->p.format == FORMAT_TEXT)
		sample_text_header(stdout, &s);
	for (unsigned i = 0; i < total && !ret; i++) {
		ret = one_rep(r, i, &s);
		if (!ret && !b->p.reps && i >= b->p.warmup &&
		    ci_reached(r, &half)) {
			stop = "target-ci";
			break;
		}
	}
	r->w->teardown(b);
	if (ret)
		return ret;
	if (!b->p.reps && !stop) {
		stop = "max-reps";
		ci_reached(r, &half);
	}
	if (!b->p.reps && b->p.format == FORMAT_JSON)
		print_held(r, stop, half);
	if (b->p.format == FORMAT_TEXT) {
		text_summary(r);
		text_remote_flush(r);
	}
	warn_disturbed(r);
	if (!b->p.reps && b->p.format == FORMAT_TEXT)
		printf("# --reps auto: %s after %u reps, 95%% CI of the "
		       "median time +-%.1f%% (target %g%%)\n",
		       !strcmp(stop, "max-reps") ? "--max-reps reached" :
		       "target reached", r->measured, half, b->p.target_ci);
	return 0;
}

static int call_run(void *arg)
{
	struct run *r = arg;

	return r->w->run(&r->b);
}

/* A workload with its own loop: the whole run is one counted window. */
static int run_whole(struct run *r)
{
	struct bench *b = &r->b;
	struct rep *rep;
	struct sample s;
	int ret;

	ret = setup_counted(r);
	if (ret)
		return ret;
	rep = &r->reps[0];
	ret = window_measure(&r->win, &r->cs, b->self_cpu, call_run, r,
			     rep->delta, &rep->ns);
	r->w->teardown(b);
	if (ret < 0) {
		if (!b->err[0])
			snprintf(b->err, sizeof(b->err), "reading counters: %s",
				 strerror(-ret));
		goto out;
	}
	sample_of_run(r, &s);
	s.ns = rep->ns;
	s.ops = b->ops;
	s.delta = rep->delta;
	s.populate = b->region.populate ? b->region.populate : "none";
	s.result = b->result;
	if (b->p.format == FORMAT_JSON)
		sample_print_json(stdout, &s);
	else
		record_text(stdout, &s);
out:
	json_object_put(b->result);
	b->result = NULL;
	return ret;
}

/*
 * Returns 0, -EINVAL for bad input, another -errno on failure, or what a
 * run() workload found (BENCH_LOST, BENCH_SELF_TEST_FAILED).
 */
/*
 * --perf-stat: perf stat's count over the whole run, WHOLE, against the
 * measured windows', one line on stderr.  Counting per thread, the
 * windows see a subset of the same events: more is a counting defect.
 */
static void cross_check(struct run *r, long long whole)
{
	int i = counters_find(&r->cs, "tlb_flush.total");
	long long windows = 0;

	if (i < 0 || !r->cs.c[i].supported) {
		fprintf(stderr, "tlbbench: perf stat: tlb:tlb_flush %lld in "
			"the whole run; the windows counted none to compare\n",
			whole);
		return;
	}
	for (unsigned k = 0; k < r->measured; k++)
		windows += counters_sum(&r->cs, r->reps[k].delta, i);
	if (r->cs.scope == SCOPE_SYSTEM) {
		fprintf(stderr, "tlbbench: perf stat: tlb:tlb_flush %lld in "
			"the whole run of this process; the windows counted "
			"%lld on every CPU, other processes' too (scope "
			"system): not compared\n", whole, windows);
		return;
	}
	fprintf(stderr, "tlbbench: perf stat: tlb:tlb_flush %lld in the whole "
		"run, %lld (%.0f%%) in the %u measured window%s\n", whole,
		windows, whole ? 100.0 * windows / whole : 0.0, r->measured,
		r->measured == 1 ? "" : "s");
	if (windows > whole)
		fprintf(stderr, "tlbbench: warning: the windows counted more "
			"tlb:tlb_flush than perf stat over the whole run "
			"(%lld > %lld): impossible, a counting defect\n",
			windows, whole);
}

int bench_run(const struct workload *w, struct bench *in)
{
	struct run *r = calloc(1, sizeof(*r));
	struct bench *b;
	int ret;

	if (!r)
		return -ENOMEM;
	r->b = *in;
	r->w = w;
	r->nmax = in->p.reps ? in->p.reps : in->p.max_reps;
	r->held = json_object_new_array();
	r->nphases = 1;
	while (w->phases && w->phases[r->nphases])
		r->nphases++;
	b = &r->b;
	r->perf_ctl[0] = r->perf_ctl[1] = -1;
	b->tids = calloc(b->p.threads, sizeof(*b->tids));
	if (!b->tids) {
		ret = -ENOMEM;
		goto out;
	}
	b->self_cpu = b->p.cpus.cpu[0];
	ret = cpu_pin_self(b->self_cpu);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "pinning to CPU %d: %s",
			 b->self_cpu, strerror(-ret));
		goto out;
	}
	if (w->standalone) {
		ret = w->standalone(b);
		goto out;
	}
	/* Refused at once (ENXIO) when no perf record reads the fifo. */
	if (b->p.perf_ctl[0][0] &&
	    (ret = perf_ctl_open(b->p.perf_ctl[0], b->p.perf_ctl[1],
				 r->perf_ctl))) {
		snprintf(b->err, sizeof(b->err), "--perf-ctl: %s%s",
			 strerror(-ret), ret == -ENXIO ? ": no perf record "
			 "--control reads it" : "");
		goto out;
	}
	if (b->p.perf_stat &&
	    (ret = perf_stat_start(&r->stat, b->err, sizeof(b->err))))
		goto out;
	ret = w->run ? run_whole(r) : repeat(r);
	if (b->p.perf_stat) {
		long long whole;
		int err = perf_stat_stop(&r->stat, &whole, b->err,
					 sizeof(b->err));

		if (!ret && !err)
			cross_check(r, whole);
		ret = ret ? ret : err;
	}
	window_free(&r->win);
	free_reps(r, r->nmax);
	counters_close(&r->cs);
	attribution_free(&r->attr);
	handler_close(&r->handler);
out:
	perf_ctl_close(r->perf_ctl);
	memcpy(in->err, b->err, sizeof(in->err));
	free(b->tids);
	json_object_put(r->held);
	free(r);
	return ret;
}
