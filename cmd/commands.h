/* Subcommands of tlbbench beyond running a workload. */
#ifndef TLB_COMMANDS_H
#define TLB_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

int cmd_plan(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plotdata(int argc, char **argv);
int cmd_kernel_log(int argc, char **argv);
int cmd_describe(int argc, char **argv);

struct config;
/* plan --verdict-cost: the kept lines of C run to their verdict. */
int verdict_cost(const char *path, const struct config *c, const bool *keep);

/* compare, plotdata: a config line with its effective options, or -1;
 * the figures a whole run of a workload records, or NULL. */
int config_line_effective(const char *text, char *out, size_t len);
struct result_figure;
const struct result_figure *workload_figures(const char *workload);

#endif
