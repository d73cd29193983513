/*
 * The command line of a subcommand, read one way for all of them:
 * options and operands in any order, "--name value" or "--name=value" for
 * an option that takes a value, "--" ending the options, -h or --help
 * asking for the usage.  A command whose table holds "--" itself takes a
 * "--" after an operand as an operand that separates groups of them (the
 * sides of tlbbench compare), and reads options after it.  A refusal is one line on stderr, "tlbbench: CMD:
 * ...", and the command exits 2.
 */
#ifndef TLB_ARGS_H
#define TLB_ARGS_H

#include <stdarg.h>
#include <stdbool.h>

struct arg_option {
	const char *name;		/* with its dashes: "--format" */
	bool valued;			/* takes a value */
};

#define ARGS_HELP (-1)			/* -h or --help: print the usage */
#define ARGS_REFUSED (-2)		/* one line on stderr said why */

int args_parse(const char *cmd, const struct arg_option *opts, int nopts,
	       int argc, char **argv,
	       int (*set)(void *ctx, const char *name, const char *value),
	       void *ctx);
int args_refuse(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int args_vrefuse(const char *cmd, const char *fmt, va_list ap);
const char *args_one(const char *cmd, const char *what, int n, char **argv);
long args_count(const char *v, long min, long max);

#endif
