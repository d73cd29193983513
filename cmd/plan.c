/*
 * tlbbench plan: validate a config, expand its sweeps (capping swept sizes
 * to what this machine holds, dropping thread counts it has no CPUs for),
 * and say what will run and for about how long.  With --runs it prints
 * exactly the runs for run-bench, one per line: "LINENO WORKLOAD OPTIONS".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "args.h"
#include "commands.h"
#include "config_file.h"
#include "measure.h"
#include "region.h"
#include "workload.h"

#define CALIBRATE_SIZE (64ULL << 20)

/* Seconds per byte measured here for one backing and directory. */
struct rate {
	enum backing backing;
	char dir[4096];
	double rep;			/* map, populate, touch, unmap */
	double msync;			/* writeback of dirty pages */
};

static struct rate rates[16];
static int nrates;

static double seconds_since(unsigned long long t0)
{
	return (now_ns() - t0) / 1e9;
}

/* Time one small munmap-like repetition (and an msync) on P's backing. */
static const struct rate *calibrate(const struct params *p)
{
	struct params q = *p;
	struct region r;
	struct rate *rt;
	unsigned long long t0;
	char err[512];

	for (int i = 0; i < nrates; i++)
		if (rates[i].backing == p->backing &&
		    !strcmp(rates[i].dir, p->dir))
			return &rates[i];
	if (nrates == 16)
		return NULL;
	q.size = CALIBRATE_SIZE;
	q.dirty = DIRTY_ALL;
	if (region_create(&r, &q, err, sizeof(err)))
		return NULL;
	rt = &rates[nrates];
	t0 = now_ns();
	if (region_map(&r, &q, err, sizeof(err)))
		goto fail;
	for (size_t off = 0; off < r.size; off += 4096)
		(void)*(volatile char *)(r.addr + off);
	rt->rep = seconds_since(t0) / q.size;
	t0 = now_ns();
	if (p->backing == BACKING_FILE && msync(r.addr, r.size, MS_SYNC))
		goto fail;
	rt->msync = p->backing == BACKING_FILE ? seconds_since(t0) / q.size : 0;
	t0 = now_ns();
	region_destroy(&r);
	rt->rep += seconds_since(t0) / q.size;
	rt->backing = p->backing;
	snprintf(rt->dir, sizeof(rt->dir), "%s", p->dir);
	nrates++;
	return rt;
fail:
	region_destroy(&r);
	return NULL;
}

/*
 * Seconds a run should take here, or a negative number if unknown: the
 * workload's own estimate, or its repetitions of populate, touch and zap
 * (and an msync to clean the pages with --dirty none).
 */
static double estimate(const struct workload *w, const struct params *p)
{
	const struct rate *rt = calibrate(p);
	double s;

	/* Whole runs last --duration, and set-up and the final check. */
	if (w->options & OPT_DURATION)
		return p->duration + 2.0;
	if (!rt)
		return -1;
	if (w->estimate)
		return w->estimate(p, rt->rep, rt->msync);
	s = rt->rep + (p->dirty == DIRTY_NONE ? rt->msync : 0);
	return bench_reps(p) * p->size * s;
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

enum plan_output { PLAN_TABLE, PLAN_RUNS, PLAN_DISK };

static const struct arg_option plan_options[] = {
	{ "--runs", false }, { "--needs-disk", false },
};

static int plan_set(void *ctx, const char *name, const char *value)
{
	(void)value;
	*(enum plan_output *)ctx = strcmp(name, "--runs") ? PLAN_DISK
							  : PLAN_RUNS;
	return 0;
}

/*
 * "[--runs|--needs-disk] CONFIG": 0, 1 after --help, or 2 after one line
 * on stderr.
 */
static int plan_args(int argc, char **argv, enum plan_output *output,
		     const char **path)
{
	argc = args_parse("plan", plan_options,
			  sizeof(plan_options) / sizeof(plan_options[0]),
			  argc, argv, plan_set, output);
	if (argc == ARGS_HELP) {
		printf("usage: tlbbench plan [--runs|--needs-disk] CONFIG\n"
		       "Checks CONFIG and prints its runs with an estimate "
		       "of their time here;\n"
		       "--runs: only the runs, \"LINENO WORKLOAD OPTIONS\", "
		       "for run-bench;\n"
		       "--needs-disk: those of the runs on a disk-backed file "
		       "(--backing file,\ngiven or the workload's own).\n");
		return 1;
	}
	if (argc < 0)
		return 2;
	*path = args_one("plan", "CONFIG", argc, argv);
	return *path ? 0 : 2;
}

int cmd_plan(int argc, char **argv)
{
	char err[OPTIONS_ERR_MAX + 4200], (*caps)[32] = NULL;
	enum plan_output output = PLAN_TABLE;
	const char *path = NULL;
	static struct params p;
	double total = 0;
	bool all_known = true;
	struct config c;
	int kept = 0, ret, nbad = 0, bad_line = 0, width = 62;
	bool *keep = NULL, *disk = NULL;

	ret = plan_args(argc, argv, &output, &path);
	if (ret)
		return ret == 1 ? 0 : ret;
	if (config_load(path, &c, err, sizeof(err))) {
		fprintf(stderr, "tlbbench: %s\n", err);
		return 2;
	}
	ret = 2;
	keep = calloc(c.n, sizeof(*keep));
	disk = calloc(c.n, sizeof(*disk));
	caps = calloc(c.n, sizeof(*caps));
	if (!keep || !disk || !caps)
		goto out;
	/* Every line is checked, and every bad one named, before
	 * anything is printed. */
	for (int i = 0; i < c.n; i++) {
		struct config_line *l = &c.lines[i];
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
		if ((options_parse(&p, w->options, w->preset, l->argc - 1,
				   l->argv + 1, why, sizeof(why)) ||
		     (w->check && w->check(&p, why, sizeof(why)))) &&
		    !(l->sweep && !strcmp(l->sweep, "--threads") &&
		      strstr(why, "threads need"))) {
			fprintf(stderr, "tlbbench: %s:%d: %s\n", path,
				l->lineno, why);
			bad_line = l->lineno;
			nbad++;
			continue;
		}
		if (fit_sweep(path, l, &p, caps[i], sizeof(caps[i])))
			continue;
		disk[i] = p.backing == BACKING_FILE;
		if (kept && same_run(&c.lines[i - 1], l) && keep[i - 1])
			continue;
		keep[i] = true;
		kept++;
	}
	if (nbad)
		goto out;
	for (int i = 0; i < c.n; i++) {
		char run[4096];
		int len = run_text(&c.lines[i], run, sizeof(run));

		if (keep[i] && len > width)
			width = len;
	}
	if (output != PLAN_TABLE) {
		for (int i = 0; i < c.n; i++) {
			if (!keep[i] || (output == PLAN_DISK && !disk[i]))
				continue;
			printf("%d", c.lines[i].lineno);
			for (int j = 0; j < c.lines[i].argc; j++)
				printf(" %s", c.lines[i].argv[j]);
			putchar('\n');
		}
		ret = 0;
		goto out;
	}
	printf("# %s: what will run, with an estimate of its time here\n"
	       "%5s  %-*s %8s\n", path, "line", width, "run", "seconds");
	for (int i = 0; i < c.n; i++) {
		struct config_line *l = &c.lines[i];
		const struct workload *w = find_workload(l->argv[0]);
		char why[OPTIONS_ERR_MAX];
		double s;

		/* Checked above; a capped size is still a valid one. */
		if (!keep[i] ||
		    options_parse(&p, w->options, w->preset, l->argc - 1,
				  l->argv + 1, why, sizeof(why)))
			continue;
		s = estimate(w, &p);
		print_run(l, width);
		if (s < 0) {
			all_known = false;
			printf(" %8s\n", "?");
		} else {
			total += s;
			printf(" %8.1f\n", s);
		}
	}
	printf("# %d run%s, about %.*f s%s (from a %llu MiB calibration "
	       "of each backing here)\n", kept, kept == 1 ? "" : "s",
	       total < 10 ? 1 : 0, total, all_known ? "" :
	       " plus the runs marked ?", CALIBRATE_SIZE >> 20);
	ret = 0;
out:
	free(keep);
	free(disk);
	free(caps);
	config_free(&c);
	options_free(&p);
	return ret;
}
