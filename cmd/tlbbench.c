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
#include <string.h>
#include <unistd.h>

#include "common/args.h"
#include "commands.h"
#include "measure/options.h"
#include "common/output.h"
#include "workload.h"

static void usage(void)
{
	printf(
		"usage: tlbbench list\n"
		"       tlbbench run WORKLOAD [OPTIONS]   (run WORKLOAD --help)\n"
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
			options_help(stdout, w->options, w->own, w->preset);
			return 0;
		}
	}
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
