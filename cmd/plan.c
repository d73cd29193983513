/*
 * tlbbench plan: validate a config, expand its sweeps (capping swept sizes
 * to what this machine holds, dropping thread counts it has no CPUs for),
 * and say what will run and for about how long.  With --runs it prints
 * exactly the runs for run-bench, one per line: "LINENO WORKLOAD OPTIONS".
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gsl/gsl_rng.h>

#include "common/args.h"
#include "commands.h"
#include "common/config_file.h"
#include "measure/measure.h"
#include "measure/region.h"
#include "workload.h"

#define CALIBRATE_SIZE (64ULL << 20)

/* Seconds per byte measured here for one way of populating a backing. */
struct calibration {
	struct params p;		/* backing, dir, pages, dirty, populate */
	bool ok;
	struct rates rt;
};

static struct calibration cals[32];
static int ncals;

static double per_byte(unsigned long long t0, unsigned long long t1)
{
	return (t1 - t0) / 1e9 / CALIBRATE_SIZE;
}

static bool same_way(const struct params *a, const struct params *b)
{
	return a->backing == b->backing && !strcmp(a->dir, b->dir) &&
	       a->pages == b->pages && a->dirty == b->dirty &&
	       a->dirty_fraction == b->dirty_fraction &&
	       a->populate == b->populate;
}

/*
 * Time two small repetitions on P's backing, populated P's way: the first
 * on a new file, the second as every later one; a read of each page for
 * the helpers' touch, the munmap, and an msync of dirty file pages.
 */
static const struct rates *calibrate(const struct params *p)
{
	unsigned long long t[6];
	struct calibration *c;
	struct params q = *p;
	struct region r;
	char err[512];

	for (int i = 0; i < ncals; i++)
		if (same_way(&cals[i].p, p))
			return cals[i].ok ? &cals[i].rt : NULL;
	if (ncals == 32)
		return NULL;
	c = &cals[ncals++];
	c->p = *p;
	q.size = CALIBRATE_SIZE;
	if (region_create(&r, &q, err, sizeof(err)))
		return NULL;
	t[0] = now_ns();
	if (region_map(&r, &q, err, sizeof(err)))
		goto out;
	t[1] = now_ns();
	for (size_t off = 0; off < r.size; off += 4096)
		(void)*(volatile char *)(r.addr + off);
	t[2] = now_ns();
	munmap(r.addr, r.size);
	region_unmapped(&r);
	t[3] = now_ns();
	if (region_map(&r, &q, err, sizeof(err)))
		goto out;
	t[4] = now_ns();
	if (p->backing == BACKING_FILE && p->dirty != DIRTY_NONE &&
	    msync(r.addr, r.size, MS_SYNC))
		goto out;
	t[5] = now_ns();
	c->rt.prepare = per_byte(t[3], t[4]);
	c->rt.setup = fmax(per_byte(t[0], t[1]) - c->rt.prepare, 0);
	c->rt.touch = per_byte(t[1], t[2]);
	c->rt.window = per_byte(t[2], t[3]);
	c->rt.msync = per_byte(t[4], t[5]);
	c->ok = true;
out:
	region_destroy(&r);
	return c->ok ? &c->rt : NULL;
}

/* What a run should cost here, or false if unknown. */
static bool estimate(const struct workload *w, const struct params *p,
		     struct estimate *e)
{
	const struct rates *rt;

	e->setup = 0;
	e->prepare = e->window = e->idle = e->reps = NAN;
	/* Timed windows of --duration: their own estimate, no rates. */
	if ((w->options & OPT_DURATION) && w->estimate)
		return w->estimate(p, NULL, e);
	/* Whole runs last --duration, and set-up and the final check. */
	if (w->options & OPT_DURATION) {
		e->total = p->duration + 2.0;
		return true;
	}
	rt = calibrate(p);
	if (!rt)
		return false;
	if (w->estimate)
		return w->estimate(p, rt, e);
	return bench_estimate(p, rt, e);
}

/* A swept value this machine cannot run: cap it, or drop the run. */
static int fit_sweep(const char *path, struct config_line *l,
		     struct params *p, char *cap, size_t caplen)
{
	if (!l->sweep)
		return 0;
	if (!strcmp(l->sweep, "--threads") && p->threads > (unsigned)p->cpus.n) {
		fprintf(stderr, "tlbbench: %s:%d: --threads %u skipped: %d "
			"CPUs\n", path, l->lineno, p->threads, p->cpus.n);
		return 1;
	}
	if (!strcmp(l->sweep, "--size")) {
		unsigned long long max = region_size_limit(p);

		if (p->size <= max)
			return 0;
		if (max < 4096) {
			fprintf(stderr, "tlbbench: %s:%d: --size skipped: no "
				"room\n", path, l->lineno);
			return 1;
		}
		size_text(max, cap, caplen);
		fprintf(stderr, "tlbbench: %s:%d: --size %llu MiB capped to %s: "
			"what %s holds here\n", path, l->lineno, p->size >> 20,
			cap, p->backing == BACKING_FILE ? p->dir : "memory");
		p->size = max;
		for (int i = 1; i + 1 < l->argc; i++)
			if (!strcmp(l->argv[i], "--size"))
				l->argv[i + 1] = cap;
	}
	return 0;
}

static bool same_run(const struct config_line *a, const struct config_line *b)
{
	if (a->lineno != b->lineno || a->argc != b->argc)
		return false;
	for (int i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], b->argv[i]))
			return false;
	return true;
}

/* The run's words as one line, into RUN; its length. */
static int run_text(const struct config_line *l, char *run, size_t len)
{
	int off = 0;

	run[0] = '\0';
	for (int j = 0; j < l->argc && off < (int)len; j++)
		off += snprintf(run + off, len - off, "%s%s", j ? " " : "",
				l->argv[j]);
	return off < (int)len ? off : (int)len - 1;
}

/* "LINE  RUN" padded to WIDTH, the estimate's column. */
static void print_run(const struct config_line *l, int width)
{
	char run[4096];

	run_text(l, run, sizeof(run));
	printf("%5d  %-*s", l->lineno, width, run);
}

/* A repetition's part in ms, "-" where it has none. */
static void print_ms(double s, int width)
{
	if (isnan(s))
		printf(" %*s", width, "-");
	else
		printf(" %*.*f", width, s && s < 0.01 ? 1 : 0, s * 1e3);
}

/* How many repetitions: "N", "N+" (--reps auto: at most), "-" (none). */
static void print_reps(const struct params *p, const struct workload *w,
		       double reps)
{
	char buf[32];

	if (isnan(reps)) {
		printf(" %5s", "-");
		return;
	}
	snprintf(buf, sizeof(buf), "%.0f%s", reps,
		 (w->options & OPT_REPS) && !p->reps ? "+" : "");
	printf(" %5s", buf);
}

enum plan_output { PLAN_TABLE, PLAN_RUNS, PLAN_DISK, PLAN_VERDICT };

static const struct arg_option plan_options[] = {
	{ "--runs", false }, { "--needs-disk", false },
	{ "--verdict-cost", false }, { "--shuffle", true },
};

struct plan_args {
	enum plan_output output;
	unsigned long shuffle;		/* seed; 0: config order */
};

static int plan_set(void *ctx, const char *name, const char *value)
{
	struct plan_args *a = ctx;
	char *end;

	if (!strcmp(name, "--shuffle")) {
		errno = 0;
		a->shuffle = strtoul(value, &end, 10);
		if (errno || *end || !*value || *value == '-' || !a->shuffle)
			return args_refuse("plan", "--shuffle: '%s' is not a "
					   "seed (a whole number from 1)",
					   value);
		return 0;
	}
	a->output = !strcmp(name, "--runs") ? PLAN_RUNS :
		    !strcmp(name, "--needs-disk") ? PLAN_DISK : PLAN_VERDICT;
	return 0;
}

/*
 * The N indices at ORDER shuffled by SEED (Fisher-Yates): run-bench
 * --runs runs the lines in another order each time, so that a drift of
 * the machine spreads over every line.  The same seed, the same order.
 */
static void shuffle(int *order, int n, unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (!r)
		abort();
	gsl_rng_set(r, seed);
	for (int i = n - 1; i > 0; i--) {
		int j = gsl_rng_uniform_int(r, i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	gsl_rng_free(r);
}

/*
 * "[--runs|--needs-disk|--verdict-cost] CONFIG": 0, 1 after --help, or 2 after one line
 * on stderr.
 */
static int plan_args(int argc, char **argv, struct plan_args *a,
		     const char **path)
{
	argc = args_parse("plan", plan_options,
			  sizeof(plan_options) / sizeof(plan_options[0]),
			  argc, argv, plan_set, a);
	if (argc == ARGS_HELP) {
		printf("usage: tlbbench plan [--runs|--needs-disk|"
		       "--verdict-cost] [--shuffle SEED] CONFIG\n"
		       "Checks CONFIG and prints its runs with an estimate "
		       "of their time here;\n"
		       "--runs: only the runs, \"LINENO WORKLOAD OPTIONS\", "
		       "for run-bench;\n"
		       "--needs-disk: those of the runs on a disk-backed file "
		       "(--backing file,\ngiven or the workload's own);\n"
		       "--verdict-cost: runs each line that repeats a zap to "
		       "its verdict (--reps auto),\npopulated by writes and "
		       "the fast way, and prints the time each took;\n"
		       "--shuffle SEED: the runs of --runs or --needs-disk "
		       "in an order shuffled by SEED\n(from 1; the same seed, "
		       "the same order), a line's sweep kept together.\n");
		return 1;
	}
	if (argc < 0)
		return 2;
	if (a->shuffle && a->output != PLAN_RUNS && a->output != PLAN_DISK) {
		args_refuse("plan", "--shuffle: only with --runs or "
			    "--needs-disk");
		return 2;
	}
	*path = args_one("plan", "CONFIG", argc, argv);
	return *path ? 0 : 2;
}

/* What a config's sweeps are: the options their workload marks. */
static bool sweeps(const char *workload, const char *opt)
{
	const struct workload *w = find_workload(workload);

	return w && options_sweep(w->options, w->own, opt);
}

/*
 * Check every line of the config at PATH (every bad one named before
 * anything runs), expand its sweeps and keep what this machine runs.
 * 0, or 2 after a line on stderr for each bad config line.
 */
int plan_load(const char *path, struct plan *pl)
{
	char err[OPTIONS_ERR_MAX + 4200];
	static struct params p;
	int nbad = 0, bad_line = 0;
	struct config *c = &pl->c;

	*pl = (struct plan){ .path = path };
	if (config_load(path, c, sweeps, err, sizeof(err))) {
		fprintf(stderr, "tlbbench: %s\n", err);
		return 2;
	}
	pl->keep = calloc(c->n, sizeof(*pl->keep));
	pl->disk = calloc(c->n, sizeof(*pl->disk));
	pl->caps = calloc(c->n, sizeof(*pl->caps));
	pl->runs = calloc(c->n + 1, sizeof(*pl->runs));
	if (!pl->keep || !pl->disk || !pl->caps || !pl->runs) {
		fprintf(stderr, "tlbbench: plan: %s\n", strerror(ENOMEM));
		goto bad;
	}
	for (int i = 0; i < c->n; i++) {
		struct config_line *l = &c->lines[i];
		const struct workload *w = find_workload(l->argv[0]);
		char why[OPTIONS_ERR_MAX];

		/* A bad swept line is one message, not one per value. */
		if (i && bad_line == l->lineno)
			continue;
		if (!w) {
			fprintf(stderr, "tlbbench: %s:%d: no workload '%s'\n",
				path, l->lineno, l->argv[0]);
			bad_line = l->lineno;
			nbad++;
			continue;
		}
		/* A swept thread count beyond the CPUs is dropped, not
		 * refused: the same config runs on any machine.  Any other
		 * refusal, of a swept thread count too, is an error. */
		if ((options_parse(&p, w->options, w->own, w->preset,
				   l->argc - 1, l->argv + 1, why,
				   sizeof(why)) ||
		     (w->check && w->check(&p, why, sizeof(why)))) &&
		    !(l->sweep && !strcmp(l->sweep, "--threads") &&
		      strstr(why, "threads need"))) {
			fprintf(stderr, "tlbbench: %s:%d: %s\n", path,
				l->lineno, why);
			bad_line = l->lineno;
			nbad++;
			continue;
		}
		if (fit_sweep(path, l, &p, pl->caps[i], sizeof(pl->caps[i])))
			continue;
		pl->disk[i] = p.backing == BACKING_FILE;
		if (pl->kept && same_run(&c->lines[i - 1], l) &&
		    pl->keep[i - 1])
			continue;
		pl->keep[i] = true;
		pl->kept++;
	}
	options_free(&p);
	if (!nbad)
		return 0;
bad:
	plan_free(pl);
	return 2;
}

/*
 * The kept runs in the order they run: the config's, or shuffled by SEED
 * (from 1), a line's runs (the values of its sweep) kept together.
 */
void plan_order(struct plan *pl, unsigned long seed)
{
	const struct config *c = &pl->c;
	int nfirst = 0, n = 0, *order;

	order = calloc(c->n + 1, sizeof(*order));
	if (!order)
		abort();
	for (int i = 0; i < c->n; i++)
		if (!i || c->lines[i].lineno != c->lines[i - 1].lineno)
			order[nfirst++] = i;
	if (seed)
		shuffle(order, nfirst, seed);
	for (int o = 0; o < nfirst; o++)
		for (int i = order[o]; i < c->n && c->lines[i].lineno ==
		     c->lines[order[o]].lineno; i++)
			if (pl->keep[i])
				pl->runs[n++] = i;
	pl->nruns = n;
	free(order);
}

/* Run R of the plan's words as one line, "WORKLOAD OPTIONS", into BUF. */
int plan_run_text(const struct plan *pl, int r, char *buf, size_t len)
{
	return run_text(&pl->c.lines[pl->runs[r]], buf, len);
}

void plan_free(struct plan *pl)
{
	free(pl->keep);
	free(pl->disk);
	free(pl->caps);
	free(pl->runs);
	config_free(&pl->c);
	*pl = (struct plan){ 0 };
}

int cmd_plan(int argc, char **argv)
{
	struct plan_args a = { .output = PLAN_TABLE };
	const char *path = NULL;
	static struct params p;
	double total = 0;
	bool all_known = true, auto_reps = false;
	struct plan pl;
	int ret, width = 62;

	ret = plan_args(argc, argv, &a, &path);
	if (ret)
		return ret == 1 ? 0 : ret;
	ret = plan_load(path, &pl);
	if (ret)
		return ret;
	for (int i = 0; i < pl.c.n; i++) {
		char run[4096];
		int len = run_text(&pl.c.lines[i], run, sizeof(run));

		if (pl.keep[i] && len > width)
			width = len;
	}
	if (a.output == PLAN_VERDICT) {
		ret = verdict_cost(path, &pl.c, pl.keep);
		goto out;
	}
	if (a.output != PLAN_TABLE) {
		plan_order(&pl, a.shuffle);
		for (int r = 0; r < pl.nruns; r++) {
			const struct config_line *l = &pl.c.lines[pl.runs[r]];

			if (a.output == PLAN_DISK && !pl.disk[pl.runs[r]])
				continue;
			printf("%d", l->lineno);
			for (int j = 0; j < l->argc; j++)
				printf(" %s", l->argv[j]);
			putchar('\n');
		}
		ret = 0;
		goto out;
	}
	printf("# %s: what will run, with an estimate of its time here\n"
	       "# and of each repetition's prepare (populate and the helpers' "
	       "touch),\n# measured window and idle window, in ms\n"
	       "%5s  %-*s %5s %8s %7s %6s %8s\n", path, "line", width, "run",
	       "reps", "prepare", "window", "idle", "seconds");
	for (int i = 0; i < pl.c.n; i++) {
		struct config_line *l = &pl.c.lines[i];
		const struct workload *w = find_workload(l->argv[0]);
		char why[OPTIONS_ERR_MAX];
		struct estimate e;

		/* Checked above; a capped size is still a valid one. */
		if (!pl.keep[i] ||
		    options_parse(&p, w->options, w->own, w->preset,
				  l->argc - 1, l->argv + 1, why, sizeof(why)))
			continue;
		print_run(l, width);
		if (!estimate(w, &p, &e)) {
			all_known = false;
			printf(" %5s %8s %7s %6s %8s\n", "?", "?", "?", "?", "?");
			continue;
		}
		auto_reps |= (w->options & OPT_REPS) && !p.reps;
		print_reps(&p, w, e.reps);
		print_ms(e.prepare, 8);
		print_ms(e.window, 7);
		print_ms(e.idle, 6);
		printf(" %8.1f\n", e.total);
		total += e.total;
	}
	printf("# %d run%s, about %.*f s%s%s (from a %llu MiB calibration "
	       "of each backing here)\n", pl.kept, pl.kept == 1 ? "" : "s",
	       total < 10 ? 1 : 0, total, auto_reps ? " at most" : "",
	       all_known ? "" : " plus the runs marked ?",
	       CALIBRATE_SIZE >> 20);
	if (auto_reps)
		printf("# reps N+: --reps auto, N at most (--max-reps and "
		       "the warm-up)\n");
	ret = 0;
out:
	plan_free(&pl);
	options_free(&p);
	return ret;
}
