/*
 * zap-loop: the steady state reviewers know from will-it-scale.  The
 * measuring thread maps the region, populates it by the dirty pattern
 * and unmaps it, over and over for --duration seconds, while every other
 * thread walks a working set of its own (--victims walk, required): each
 * of those receives a shootdown per flush.  The window's record gives
 * the victims' loads against a calibration window just before it with
 * no zap (--zapper none: a window without the loop too, the undisturbed
 * rate), their gaps and the handler time on their CPUs; ops counts the
 * zaps.  Against dirty tmpfs pages (one flush per page table), a clean
 * disk-backed file or anonymous memory (a flush per mmu_gather batch)
 * and no zapper, that is what force_flush costs the other CPUs.
 *
 * victim-rate prints the same side by side in one run: the victims'
 * loads per second with no zapper, a clean zapper and a dirty zapper,
 * taken in turn, and the ratios.
 */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <json-c/json.h>

#include "measure/counters.h"
#include "measure/measure.h"
#include "measure/record.h"
#include "common/stats.h"
#include "workload.h"

static const char *const preset[] = { "--victims", "walk", "--size", "8M",
				      "--duration", "1", NULL };

/* zap-loop's own option: a thread maps, dirties and unmaps, or none does. */
enum zapper_mode { ZAPPER_LOOP, ZAPPER_NONE };
static const char *const zapper_names[] = { "loop", "none", NULL };

struct zap_loop_params {
	enum zapper_mode zapper;
};

static const struct opt_def zap_loop_option_rows[] = {
	{ .name = "zapper", .arg = "loop|none", .def = "loop",
	  .type = T_CHOICE, .choices = zapper_names,
	  .off = offsetof(struct zap_loop_params, zapper),
	  .help = "loop: the measuring thread maps, populates and unmaps "
		  "the region over and over for --duration; none: it waits, "
		  "and only the victims work (their undisturbed rate)" },
	{ 0 }
};

static const struct opt_own zap_loop_options = {
	.rows = zap_loop_option_rows,
	.size = sizeof(struct zap_loop_params),
};

/*
 * Map, populate and unmap region R with P's pattern until NS have
 * passed; *OPS gets the zaps.  Not ZAPPING: only wait.
 */
static int zap_for(struct bench *b, struct region *r, const struct params *p,
		   bool zapping, unsigned long long ns,
		   unsigned long long *ops)
{
	unsigned long long end = now_ns() + ns;
	int ret;

	*ops = 0;
	if (!zapping) {
		while (now_ns() < end)
			;
		return 0;
	}
	do {
		ret = region_map(r, p, b->err, sizeof(b->err));
		if (ret)
			return ret;
		if (munmap(r->addr, r->size)) {
			snprintf(b->err, sizeof(b->err), "munmap: %s",
				 strerror(errno));
			return -errno;
		}
		region_unmapped(r);
		(*ops)++;
	} while (now_ns() < end);
	return 0;
}

static int zap_loop_check(const struct params *p, char *err, size_t len)
{
	if (p->victims == VICTIMS_WALK)
		return 0;
	snprintf(err, len, "--victims: zap-loop measures walking victims: "
		 "walk or walk:SIZE");
	return -EINVAL;
}

/* Nothing to prepare: every window maps the region itself. */
static int zap_loop_prepare(struct bench *b)
{
	(void)b;
	return 0;
}

static int zap_loop_op(struct bench *b)
{
	const struct zap_loop_params *zp = b->p.own;
	unsigned long long ops;
	int ret = zap_for(b, &b->region, &b->p, zp->zapper == ZAPPER_LOOP,
			  b->p.duration * 1000000000ULL, &ops);

	b->ops = ops ? ops : 1;
	return ret;
}

/* Three windows per repetition: calibration, the loop, the idle one. */
static bool zap_loop_estimate(const struct params *p, const struct rates *rt,
			      struct estimate *e)
{
	(void)rt;
	e->setup = 0;
	e->prepare = 0;
	e->window = 2.0 * p->duration;
	e->idle = p->duration;
	e->reps = bench_reps(p);
	bench_estimate_total(e);
	return true;
}

const struct workload workload_zap_loop = {
	.name		= "zap-loop",
	.summary	= "steady state: one thread maps, dirties and unmaps for --duration while the others walk as victims",
	.options	= (OPTS_REGION & ~(OPT_ATTRIBUTE | OPT_POPULATE)) |
			  OPT_VICTIMS | OPT_DURATION,
	.own		= &zap_loop_options,
	.preset		= preset,
	.check		= zap_loop_check,
	.estimate	= zap_loop_estimate,
	.setup		= bench_region_setup,
	.prepare	= zap_loop_prepare,
	.op		= zap_loop_op,
	.teardown	= bench_region_teardown,
};

/* -------------------------------------------------------------------- */
/* victim-rate: the three zappers side by side */

enum side { NO_ZAPPER, CLEAN, DIRTY, SIDES };

static const char *const side_names[SIDES] = {
	"no zapper", "clean file zapper", "dirty tmpfs zapper",
};

struct side_result {
	double *rate;			/* victims' loads/s, by round */
	double *ratio;			/* against no zapper's round */
	double *gaps;			/* per s */
	double *shootdowns;		/* received per s, all victims */
	double *zaps;			/* per s */
};

/* One window of SIDE: the victims' loads, gaps, shootdowns, zaps per s. */
static int one_window(struct bench *b, struct region *r,
		      const struct params *p, bool zapping, struct counters *cs,
		      struct window *w, long long *delta, int recv,
		      struct side_result *out, unsigned i)
{
	struct victims *vs = &b->victims;
	unsigned long long ops = 0, ns;
	double loads = 0, gaps = 0, secs;
	long long received = 0;
	int ret;

	ret = counters_read(cs, w->before, b->self_cpu, true);
	if (ret)
		return ret;
	victims_arm(vs);
	for (int m = MARK_CAL_START; m <= MARK_WIN_START; m++)
		victims_mark(vs, m);
	ret = zap_for(b, r, p, zapping, p->duration * 1000000000ULL, &ops);
	victims_mark(vs, MARK_WIN_END);
	victims_disarm(vs);
	if (ret)
		return ret;
	ret = counters_read(cs, delta, b->self_cpu, false);
	if (ret)
		return ret;
	counters_delta(cs, w->before, delta);
	ns = vs->ns_at[MARK_WIN_END] - vs->ns_at[MARK_WIN_START];
	secs = ns / 1e9;
	for (int v = 0; v < vs->n; v++) {
		struct victim_loss l;

		victims_loss(vs, v, &l);
		loads += l.loads;
		gaps += l.gaps;
		for (int k = 0; recv >= 0 && k < cs->cpus.n; k++)
			if (cs->cpus.cpu[k] == l.cpu)
				received += COUNTER_VAL(cs, delta, recv, k);
	}
	out->rate[i] = loads / secs;
	out->gaps[i] = gaps / secs;
	out->shootdowns[i] = recv >= 0 ? received / secs : NAN;
	out->zaps[i] = ops / secs;
	return 0;
}

static int alloc_sides(struct side_result *s, unsigned n)
{
	for (int k = 0; k < SIDES; k++) {
		s[k].rate = calloc(n, sizeof(double));
		s[k].ratio = calloc(n, sizeof(double));
		s[k].gaps = calloc(n, sizeof(double));
		s[k].shootdowns = calloc(n, sizeof(double));
		s[k].zaps = calloc(n, sizeof(double));
		if (!s[k].rate || !s[k].ratio || !s[k].gaps ||
		    !s[k].shootdowns || !s[k].zaps)
			return -ENOMEM;
	}
	return 0;
}

static void free_sides(struct side_result *s)
{
	for (int k = 0; k < SIDES; k++) {
		free(s[k].rate);
		free(s[k].ratio);
		free(s[k].gaps);
		free(s[k].shootdowns);
		free(s[k].zaps);
	}
}

static void print_sides(const struct bench *b, struct side_result *s,
			unsigned n)
{
	double base = stats_median(s[NO_ZAPPER].rate, n);
	char size[32], vsize[32];

	size_text(b->p.size, size, sizeof(size));
	size_text(b->victims.size, vsize, sizeof(vsize));
	if (b->p.format == FORMAT_JSON) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "workload",
				       json_object_new_string("victim-rate"));
		json_object_object_add(o, "size_bytes",
				       json_object_new_int64(b->p.size));
		json_object_object_add(o, "victims",
				       json_object_new_int(b->victims.n));
		json_object_object_add(o, "victim_size_bytes",
				       json_object_new_int64(b->victims.size));
		json_object_object_add(o, "duration",
				       json_object_new_int(b->p.duration));
		json_object_object_add(o, "reps",
				       json_object_new_int(b->p.reps));
		for (int k = 0; k < SIDES; k++) {
			struct json_object *x = json_object_new_object();

			json_object_object_add(x, "loads_per_s",
				json_object_new_double(stats_median(s[k].rate,
								    n)));
			json_object_object_add(x, "ratio",
				json_object_new_double(stats_median(s[k].ratio,
								    n)));
			json_object_object_add(x, "gaps_per_s",
				json_object_new_double(stats_median(s[k].gaps,
								    n)));
			json_object_object_add(x, "shootdowns_per_s",
				json_object_new_double(stats_median(
					s[k].shootdowns, n)));
			json_object_object_add(x, "zaps_per_s",
				json_object_new_double(stats_median(s[k].zaps,
								    n)));
			json_object_object_add(o, k == NO_ZAPPER ? "none" :
					       k == CLEAN ? "clean" : "dirty",
					       x);
		}
		sample_print_object(stdout, o);
		return;
	}
	printf("# victim-rate: %d victim%s walking %s each while one thread "
	       "maps, populates and\n# unmaps %s for %u s; medians of %u "
	       "rounds, the three sides in turn\n", b->victims.n,
	       b->victims.n == 1 ? "" : "s", vsize, size, b->p.duration,
	       n);
	printf("%-20s %14s %9s %9s %12s %9s\n", "zapper", "loads/s",
	       "vs none", "(rounds)", "shootdowns/s", "gaps/s");
	for (int k = 0; k < SIDES; k++)
		printf("%-20s %14.0f %9.4f %9.4f %12.0f %9.0f\n",
		       side_names[k], stats_median(s[k].rate, n),
		       stats_median(s[k].rate, n) / base,
		       stats_median(s[k].ratio, n),
		       stats_median(s[k].shootdowns, n),
		       stats_median(s[k].gaps, n));
	printf("# vs none: ratio of the medians; (rounds): median of each "
	       "round's ratio\n");
	printf("# zaps/s: clean %.0f, dirty %.0f\n",
	       stats_median(s[CLEAN].zaps, n), stats_median(s[DIRTY].zaps, n));
}

/* The region and parameters of each side: tmpfs dirty, a clean file. */
static int make_sides(struct bench *b, struct region *r, struct params *p)
{
	int ret;

	for (int k = 0; k < SIDES; k++) {
		p[k] = b->p;
		r[k].fd = -1;
	}
	p[CLEAN].dirty = DIRTY_NONE;
	p[DIRTY].backing = BACKING_TMPFS;
	p[DIRTY].dirty = DIRTY_ALL;
	snprintf(p[DIRTY].dir, sizeof(p[DIRTY].dir), "/dev/shm");
	for (int k = CLEAN; k < SIDES; k++) {
		ret = region_create(&r[k], &p[k], b->err, sizeof(b->err));
		if (ret)
			return ret;
	}
	return 0;
}

static int victim_rate_run(struct bench *b)
{
	unsigned n = b->p.reps;
	struct side_result s[SIDES] = { 0 };
	struct region r[SIDES];
	struct params p[SIDES];
	struct counters cs = { 0 };
	struct window w = { 0 };
	long long *delta = NULL;
	int ret, recv;

	ret = alloc_sides(s, n);
	if (!ret)
		ret = make_sides(b, r, p);
	if (!ret)
		ret = bench_team_setup(b);
	if (ret)
		goto out;
	ret = counters_open(&cs, "none", b->p.scope, b->tids, b->ntids,
			    b->err, sizeof(b->err));
	if (!ret && !(delta = counters_alloc_values(&cs)))
		ret = -ENOMEM;
	if (!ret)
		ret = window_init(&w, &cs);
	if (!ret)
		ret = counters_enable(&cs);
	recv = counters_find(&cs, "tlb_flush.remote_shootdown");
	if (recv >= 0 && !cs.c[recv].supported)
		recv = -1;
	/* Warm-up rounds are written over by the first measured one. */
	for (unsigned i = 0; i < n + b->p.warmup && !ret; i++) {
		unsigned at = i < b->p.warmup ? 0 : i - b->p.warmup;

		/* Each round in another order: drift hits every side. */
		for (int j = 0; j < SIDES && !ret; j++) {
			int k = (j + i) % SIDES;

			ret = one_window(b, &r[k], &p[k], k != NO_ZAPPER, &cs,
					 &w, delta, recv, &s[k], at);
		}
		for (int k = 0; k < SIDES && !ret; k++)
			s[k].ratio[at] = s[k].rate[at] /
					 s[NO_ZAPPER].rate[at];
	}
	if (!ret)
		print_sides(b, s, n);
out:
	window_free(&w);
	free(delta);
	counters_close(&cs);
	bench_team_teardown(b);
	for (int k = CLEAN; k < SIDES; k++)
		region_destroy(&r[k]);
	free_sides(s);
	return ret;
}

/* The clean side's file goes in --dir (preset --backing file). */
static const char *const rate_preset[] = { "--victims", "walk", "--size",
					   "8M", "--duration", "1", "--reps",
					   "5", "--backing", "file", NULL };

/* Per round: a window of each side. */
static bool victim_rate_estimate(const struct params *p,
				 const struct rates *rt, struct estimate *e)
{
	(void)rt;
	e->setup = 0;
	e->prepare = 0;
	e->window = SIDES * (double)p->duration;
	e->idle = 0;
	e->reps = bench_reps(p);
	bench_estimate_total(e);
	return true;
}

static int victim_rate_check(const struct params *p, char *err, size_t len)
{
	int ret = bench_check_fixed_reps(p, err, len);

	return ret ? ret : zap_loop_check(p, err, len);
}

const struct workload workload_victim_rate = {
	.name		= "victim-rate",
	.summary	= "benchmark: the victims' loads/s with no zapper, a clean and a dirty zapper, side by side",
	.options	= OPT_SIZE | OPT_THREADS | OPT_DIR | OPT_REPS |
			  OPT_WARMUP | OPT_CPUS | OPT_FORMAT | OPT_SCOPE |
			  OPT_VICTIMS | OPT_DURATION | OPT_NO_SPACE_CHECK,
	.preset		= rate_preset,
	.standalone	= victim_rate_run,
	.estimate	= victim_rate_estimate,
	.check		= victim_rate_check,
};
