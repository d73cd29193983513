/* Subcommands of tlbbench beyond running a workload. */
#ifndef TLB_COMMANDS_H
#define TLB_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/config_file.h"

int cmd_plan(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plotdata(int argc, char **argv);
int cmd_kernel_log(int argc, char **argv);
int cmd_describe(int argc, char **argv);

/*
 * A config checked and expanded by tlbbench plan: one run per config_line
 * (a sweep gives several); RUNS, after plan_order(), the kept ones in the
 * order they run, as indices of c.lines.
 */
struct plan {
	const char *path;
	struct config c;
	bool *keep;			/* runs this machine runs */
	bool *disk;			/* on a disk-backed file */
	char (*caps)[32];		/* a --size capped to fit: its text */
	int kept;
	int *runs;
	int nruns;
};

int plan_load(const char *path, struct plan *pl);
void plan_order(struct plan *pl, unsigned long seed);
int plan_run_text(const struct plan *pl, int r, char *buf, size_t len);
void plan_free(struct plan *pl);

/* tlbbench run --config: every run of a config, each a child. */
int run_config(int argc, char **argv);

struct config;
/* plan --verdict-cost: the kept lines of C run to their verdict. */
int verdict_cost(const char *path, const struct config *c, const bool *keep);

/* compare, plotdata: a config line with its effective options, or -1;
 * the figures a whole run of a workload records, or NULL. */
int config_line_effective(const char *text, char *out, size_t len);
struct result_figure;
const struct result_figure *workload_figures(const char *workload);

#endif
