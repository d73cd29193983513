/*
 * tlbbench: the driver.  Subcommands list the workloads, run one, or
 * describe the system.  Exit status: 0 done, 1 failed, 2 bad input, 3 an
 * integrity check found lost writes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <math.h>
#include <stdlib.h>

#include "config_file.h"
#include "options.h"
#include "resultset.h"
#include "stats.h"
#include "sysinfo.h"
#include "workload.h"

static const struct workload *const workloads[] = {
	&workload_munmap,
	&workload_anon,
	&workload_integrity,
};

#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static void usage(void)
{
	printf(
		"usage: tlbbench list\n"
		"       tlbbench run WORKLOAD [OPTIONS]   (run WORKLOAD --help)\n"
		"       tlbbench plan CONFIG\n"
		"       tlbbench report RESULTDIR\n"
		"       tlbbench describe\n"
		"       tlbbench version\n");
}

static int cmd_list(void)
{
	for (size_t i = 0; i < NWORKLOADS; i++)
		printf("%-12s %s\n", workloads[i]->name, workloads[i]->summary);
	return 0;
}

static int cmd_describe(void)
{
	struct json_object *o = sysinfo_describe();

	printf("%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

static const struct workload *find_workload(const char *name)
{
	for (size_t i = 0; i < NWORKLOADS; i++)
		if (!strcmp(workloads[i]->name, name))
			return workloads[i];
	return NULL;
}

static int cmd_run(int argc, char **argv)
{
	const struct workload *w;
	static struct bench b;
	int ret;

	if (argc < 1) {
		fprintf(stderr, "tlbbench: run: which workload? (tlbbench list)\n");
		return 2;
	}
	w = find_workload(argv[0]);
	if (!w) {
		fprintf(stderr, "tlbbench: run: no workload '%s' (tlbbench list)\n",
			argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: tlbbench run %s [OPTIONS]\n%s\n\n",
			       w->name, w->summary);
			options_help(stdout, w->options, w->preset);
			return 0;
		}
	}
	if (options_parse(&b.p, w->options, w->preset, argc - 1, argv + 1, b.err,
			  sizeof(b.err)) ||
	    (w->check && w->check(&b.p, b.err, sizeof(b.err)))) {
		fprintf(stderr, "tlbbench: %s\n", b.err);
		return 2;
	}
	ret = bench_run(w, &b);
	if (ret == BENCH_LOST || ret == BENCH_SELF_TEST_FAILED) {
		fprintf(stderr, "tlbbench: %s: %s\n", w->name, b.err);
		return ret == BENCH_LOST ? 3 : 1;
	}
	if (ret) {
		fprintf(stderr, "tlbbench: %s: %s\n", w->name,
			b.err[0] ? b.err : strerror(-ret));
		return ret == -EINVAL ? 2 : 1;
	}
	return 0;
}

/*
 * Validate every line of a config and print it back, one run per line as
 * "LINENO WORKLOAD OPTIONS...": run-bench runs exactly what this prints.
 */
static int cmd_plan(int argc, char **argv)
{
	char err[OPTIONS_ERR_MAX + 4200];
	static struct params p;
	struct config c;

	if (argc != 1) {
		fprintf(stderr, "tlbbench: plan: give one config file\n");
		return 2;
	}
	if (config_load(argv[0], &c, err, sizeof(err))) {
		fprintf(stderr, "tlbbench: %s\n", err);
		return 2;
	}
	for (int i = 0; i < c.n; i++) {
		struct config_line *l = &c.lines[i];
		const struct workload *w = find_workload(l->argv[0]);
		char why[OPTIONS_ERR_MAX];

		if (!w) {
			fprintf(stderr, "tlbbench: %s:%d: no workload '%s'\n",
				argv[0], l->lineno, l->argv[0]);
			config_free(&c);
			return 2;
		}
		if (options_parse(&p, w->options, w->preset, l->argc - 1,
				  l->argv + 1, why, sizeof(why)) ||
		    (w->check && w->check(&p, why, sizeof(why)))) {
			fprintf(stderr, "tlbbench: %s:%d: %s\n", argv[0],
				l->lineno, why);
			config_free(&c);
			return 2;
		}
	}
	for (int i = 0; i < c.n; i++) {
		printf("%d", c.lines[i].lineno);
		for (int j = 0; j < c.lines[i].argc; j++)
			printf(" %s", c.lines[i].argv[j]);
		putchar('\n');
	}
	config_free(&c);
	return 0;
}

static void print_median(const struct rs_line *l, const char *counter)
{
	double *v = rs_metric(l, counter);
	bool counted = v != NULL;

	for (int i = 0; counted && i < l->n; i++)
		counted = !isnan(v[i]);
	if (counted)
		printf(" %6.0f", stats_median(v, l->n));
	else
		printf(" %6s", "-");
	free(v);
}

static const char *param(struct json_object *sample, const char *key)
{
	struct json_object *params, *v;

	if (json_object_object_get_ex(sample, "params", &params) &&
	    json_object_object_get_ex(params, key, &v))
		return json_object_get_string(v);
	return "?";
}

static const char *sys(const struct resultset *rs, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(rs->system, key, &v))
		return json_object_get_string(v);
	return "?";
}

/* A count in 6 columns: exact up to 999999, then M or G. */
static void print_count(struct json_object *counts, const char *key)
{
	struct json_object *v;
	double n;

	if (!json_object_object_get_ex(counts, key, &v)) {
		printf(" %6s", "-");
		return;
	}
	n = json_object_get_double(v);
	if (n < 1e6)
		printf(" %6.0f", n);
	else if (n < 1e9)
		printf(" %5.1fM", n / 1e6);
	else
		printf(" %5.1fG", n / 1e9);
}

static bool whole_run(const struct rs_line *l)
{
	return json_object_object_get_ex(l->samples[0], "verdict", NULL);
}

/* Lines of whole runs: what the integrity check did and its verdict. */
static void report_verdicts(const struct resultset *rs)
{
	bool header = false;

	for (int i = 0; i < rs->nlines; i++) {
		const struct rs_line *l = &rs->lines[i];
		struct json_object *s0 = l->samples[0], *c = NULL;

		if (!whole_run(l))
			continue;
		if (!header) {
			printf("# integrity; raced = writes that raced a zap, "
			       "checked after an eviction\n");
			printf("%3s %-15s %-5s %6s %6s %6s %6s %6s %6s %s\n",
			       "#", "zap", "bckng", "writes", "zaps", "wbacks",
			       "evictd", "raced", "lost", "verdict");
			header = true;
		}
		json_object_object_get_ex(s0, "integrity", &c);
		printf("%3d %-15.15s %-5.5s", l->line, param(s0, "zap"),
		       param(s0, "backing"));
		print_count(c, "writes");
		print_count(c, "zaps");
		print_count(c, "writebacks");
		print_count(c, "pages_evicted");
		print_count(c, "racing_writes_evicted_checked");
		print_count(c, "lost");
		printf(" %s\n", json_object_get_string(
			json_object_object_get(s0, "verdict")));
	}
}

/* Medians per config line of a result set: the run-bench summary. */
static int cmd_report(int argc, char **argv)
{
	char err[8192];
	struct resultset rs;

	if (argc != 1) {
		fprintf(stderr, "tlbbench: report: give one result directory\n");
		return 2;
	}
	if (resultset_load(argv[0], &rs, err, sizeof(err))) {
		fprintf(stderr, "tlbbench: %s\n", err);
		return 2;
	}
	printf("# %s: kernel %s, %s CPUs, %s\n", argv[0], sys(&rs, "kernel"),
	       sys(&rs, "cpus_online"), sys(&rs, "cpu_model"));
	printf("# medians; sent = tlb_flush.remote_send_ipi, recv = "
	       "tlb_flush.remote_shootdown\n");
	printf("%3s %-8s %5s %-7s %-4s %-9s %3s %-6s %6s %6s %6s %9s\n",
	       "#", "workload", "size", "backing", "page", "dirty", "thr",
	       "mapped", "sent", "recv", "irqtlb", "usec");
	for (int i = 0; i < rs.nlines; i++) {
		const struct rs_line *l = &rs.lines[i];
		struct json_object *s0 = l->samples[0], *m, *g;
		double *ns;

		if (whole_run(l))
			continue;
		ns = calloc(l->n, sizeof(*ns));
		json_object_object_get_ex(s0, "mapping", &m);
		json_object_object_get_ex(m, "granularity", &g);
		printf("%3d %-8.8s %5s %-7.7s %-4s %-9.9s %3s %-6s", l->line,
		       json_object_get_string(json_object_object_get(s0,
							"workload")),
		       param(s0, "size"), param(s0, "backing"),
		       param(s0, "pages"), param(s0, "dirty"),
		       param(s0, "threads"), json_object_get_string(g));
		print_median(l, "tlb_flush.remote_send_ipi");
		print_median(l, "tlb_flush.remote_shootdown");
		print_median(l, "interrupts.tlb");
		for (int j = 0; ns && j < l->n; j++)
			ns[j] = rs_ns(l->samples[j]);
		printf(" %9.1f\n", ns ? stats_median(ns, l->n) / 1e3 : NAN);
		free(ns);
	}
	report_verdicts(&rs);
	resultset_free(&rs);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "tlbbench: no command (tlbbench help)\n");
		return 2;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "plan"))
		return cmd_plan(argc - 2, argv + 2);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 2, argv + 2);
	if (!strcmp(argv[1], "describe"))
		return cmd_describe();
	if (!strcmp(argv[1], "version")) {
		printf("tlbbench %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage();
		return 0;
	}
	fprintf(stderr, "tlbbench: unknown command '%s' (tlbbench help)\n",
		argv[1]);
	return 2;
}
