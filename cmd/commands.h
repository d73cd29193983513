/* Subcommands of tlbbench beyond running a workload. */
#ifndef TLB_COMMANDS_H
#define TLB_COMMANDS_H

int cmd_plan(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_plotdata(int argc, char **argv);
int cmd_kernel_log(int argc, char **argv);

#endif
