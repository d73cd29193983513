/* Subcommands of tlbbench beyond running a workload. */
#ifndef TLB_COMMANDS_H
#define TLB_COMMANDS_H

#include <stdbool.h>

int cmd_plan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plotdata(int argc, char **argv);
int cmd_kernel_log(int argc, char **argv);
int cmd_describe(int argc, char **argv);

struct config;
/* plan --verdict-cost: the kept lines of C run to their verdict. */
int verdict_cost(const char *path, const struct config *c, const bool *keep);

#endif
