/*
 * tlbbench: the driver.  Subcommands list the workloads, run one, or
 * describe the system.  Exit status: 0 done, 1 failed, 2 bad input, 3 an
 * integrity check found lost writes.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/args.h"
#include "commands.h"
#include "measure/options.h"
#include "measure/record.h"
#include "common/output.h"
#include "workload.h"

static void usage(void)
{
	printf(
		"usage: tlbbench list\n"
		"       tlbbench run WORKLOAD [OPTIONS]   (run WORKLOAD --help)\n"
		"       tlbbench run --config FILE [OPTIONS]   (run --config --help)\n"
		"       tlbbench plan [--runs] CONFIG\n"
		"       tlbbench report RESULTDIR\n"
		"       tlbbench compare [OPTIONS] BASE NEW...   (compare --help)\n"
		"       tlbbench plotdata --out DIR BASE NEW...  (plotdata --help)\n"
		"       tlbbench kernel-log mark|since SEQ|console FILE\n"
		"       tlbbench describe [qemu|guest|set ...]\n"
		"       tlbbench version\n");
}

/*
 * A command that takes no argument, read as every command reads its
 * line: -1 to go on, or the exit status (0 after --help, which prints
 * WHAT it does; 2 after one line refusing an argument).
 */
static int no_arguments(const char *cmd, const char *what, int argc,
			char **argv)
{
	int n = args_parse(cmd, NULL, 0, argc, argv, NULL, NULL);

	if (n == ARGS_HELP) {
		printf("usage: tlbbench %s\n%s\n", cmd, what);
		return 0;
	}
	if (n < 0)
		return 2;
	if (n) {
		args_refuse(cmd, "unexpected argument '%s'", argv[0]);
		return 2;
	}
	return -1;
}

static int cmd_list(int argc, char **argv)
{
	int ret = no_arguments("list", "The workloads, each with what its "
			       "window measures.", argc, argv);

	if (ret >= 0)
		return ret;
	for (const struct workload_kind *k = workload_kinds; k->name; k++) {
		printf("%s%s: %s\n", k == workload_kinds ? "" : "\n",
		       k->name, k->summary);
		for (const struct workload *const *w = k->members; *w; w++)
			printf("  %-12s %s\n", (*w)->name, (*w)->summary);
	}
	return 0;
}

/* "--NAME VALUE" or "--NAME=VALUE" at ARGV[I]: its value, or NULL. */
static const char *option_at(char **argv, int argc, int i, const char *name,
			     int *used)
{
	size_t n = strlen(name);

	if (strncmp(argv[i], name, n))
		return NULL;
	if (argv[i][n] == '=') {
		*used = 1;
		return argv[i] + n + 1;
	}
	if (argv[i][n] || i + 1 >= argc)
		return NULL;
	*used = 2;
	return argv[i + 1];
}

/*
 * --line N and --run R: the result set's tag on every record (record.h),
 * taken out of ARGV.  The config line is the run's words as given, less
 * those that say where and how its records go (--line, --run, --format,
 * --perf-ctl).  0, or 2 after one line on stderr.
 */
static int run_tag(int *argc, char **argv, struct record_tag *t)
{
	static const char *const unrecorded[] = { "--format", "--perf-ctl" };
	static char text[8192];
	size_t off = 0;
	int kept = 0;

	*t = (struct record_tag){ .config_line = text };
	for (int i = 0; i < *argc; ) {
		const char *v;
		int used = 0, *n = NULL;

		if ((v = option_at(argv, *argc, i, "--line", &used)))
			n = &t->line;
		else if ((v = option_at(argv, *argc, i, "--run", &used)))
			n = &t->run;
		if (n) {
			*n = args_count(v, 1, 1000000);
			if (*n < 0) {
				fprintf(stderr, "tlbbench: run: %s: '%s' is "
					"not a number from 1\n", argv[i][2] ==
					'l' ? "--line" : "--run", v);
				return 2;
			}
			i += used;
			continue;
		}
		/* Not in the text, still the run's options. */
		for (size_t k = 0; k < 2 && !used; k++)
			option_at(argv, *argc, i, unrecorded[k], &used);
		if (!used) {
			off += snprintf(text + off, off < sizeof(text) ?
					sizeof(text) - off : 0, "%s%s",
					off ? " " : "", argv[i]);
			used = 1;
		}
		while (used--)
			argv[kept++] = argv[i++];
	}
	*argc = kept;
	if (off >= sizeof(text)) {
		fprintf(stderr, "tlbbench: run: --line: the run's words are "
			"longer than %zu characters\n", sizeof(text) - 1);
		return 2;
	}
	if (t->run && !t->line) {
		fprintf(stderr, "tlbbench: run: --run: only with --line\n");
		return 2;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	const struct workload *w;
	static struct bench b;
	struct record_tag tag;
	int ret;

	if (argc >= 1 && (!strcmp(argv[0], "--config") ||
			  !strncmp(argv[0], "--config=", 9)))
		return run_config(argc, argv);

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
			options_help(stdout, w->options, w->own, w->preset);
			printf("  --line N               tag each JSON record with "
			       "config line N and the run's\n"
			       "                         words (config_line), "
			       "as a result set holds them\n"
			       "  --run R                with --line: and with "
			       "run R of several\n"
			       "                         (run-bench --runs)\n");
			return 0;
		}
	}
	ret = run_tag(&argc, argv, &tag);
	if (ret)
		return ret;
	record_tag_set(&tag);
	if (options_parse(&b.p, w->options, w->own, w->preset, argc - 1, argv + 1, b.err,
			  sizeof(b.err)) ||
	    (w->check && w->check(&b.p, b.err, sizeof(b.err))) ||
	    region_page_size_check(sysconf(_SC_PAGESIZE), b.err,
				   sizeof(b.err))) {
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

static int cmd_version(int argc, char **argv)
{
	int ret = no_arguments("version", "The version of tlbbench.", argc,
			       argv);

	if (ret >= 0)
		return ret;
	printf("tlbbench %s\n", PACKAGE_VERSION);
	return 0;
}

/* Each command gets the arguments after its name. */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "list", cmd_list },
	{ "run", cmd_run },
	{ "plan", cmd_plan },
	{ "report", cmd_report },
	{ "compare", cmd_compare },
	{ "plotdata", cmd_plotdata },
	{ "kernel-log", cmd_kernel_log },
	{ "describe", cmd_describe },
	{ "version", cmd_version },
};

/*
 * What a command printed must reach its reader: output lost to a full
 * disk or a closed pipe makes a command that succeeded fail (1).
 */
int main(int argc, char **argv)
{
	int ret;

	if (argc < 2) {
		fprintf(stderr, "tlbbench: no command (tlbbench help)\n");
		return 2;
	}
	/* A file past RLIMIT_FSIZE is an error (EFBIG) to report, not a
	 * death without a word. */
	signal(SIGXFSZ, SIG_IGN);
	ret = output_open();
	if (ret) {
		fprintf(stderr, "tlbbench: stdout: %s\n", strerror(-ret));
		return 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return output_close("tlbbench", commands[i].fn(
					    argc - 2, argv + 2));
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage();
		return output_close("tlbbench", 0);
	}
	fprintf(stderr, "tlbbench: unknown command '%s' (tlbbench help)\n",
		argv[1]);
	return 2;
}
