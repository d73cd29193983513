/* One command-line reader for every subcommand (see args.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int args_vrefuse(const char *cmd, const char *fmt, va_list ap)
{
	fprintf(stderr, "tlbbench: %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return ARGS_REFUSED;
}

/* One line on stderr for CMD; returns ARGS_REFUSED. */
int args_refuse(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	args_vrefuse(cmd, fmt, ap);
	va_end(ap);
	return ARGS_REFUSED;
}

static const struct arg_option *find(const struct arg_option *opts,
				     int nopts, const char *a, size_t len)
{
	for (int i = 0; i < nopts; i++)
		if (strlen(opts[i].name) == len &&
		    !strncmp(opts[i].name, a, len))
			return &opts[i];
	return NULL;
}

/*
 * Read ARGV for CMD against OPTS: each option is handed to SET(CTX, NAME,
 * VALUE), VALUE NULL for one without, which returns 0 or the result of
 * args_refuse().  Operands are moved, in order, to the front of ARGV.
 * Returns their number, ARGS_HELP or ARGS_REFUSED.
 */
int args_parse(const char *cmd, const struct arg_option *opts, int nopts,
	       int argc, char **argv,
	       int (*set)(void *ctx, const char *name, const char *value),
	       void *ctx)
{
	bool options = true;
	bool groups = find(opts, nopts, "--", 2) != NULL;
	int n = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq, *val = NULL;
		const struct arg_option *o;
		size_t len;

		if (!options || a[0] != '-' || !a[1]) {
			argv[n++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--") && groups && n) {
			argv[n++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			options = false;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return ARGS_HELP;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		o = find(opts, nopts, a, len);
		if (!o)
			return args_refuse(cmd, "%.*s: unknown option "
					   "(tlbbench %s --help)", (int)len, a,
					   cmd);
		if (o->valued && eq)
			val = eq + 1;
		else if (o->valued && i + 1 < argc)
			val = argv[++i];
		else if (o->valued)
			return args_refuse(cmd, "%s: needs a value", o->name);
		else if (eq)
			return args_refuse(cmd, "%s: takes no value", o->name);
		if (set(ctx, o->name, val))
			return ARGS_REFUSED;
	}
	return n;
}

/*
 * The one operand of CMD, WHAT ("CONFIG"), from the N left by
 * args_parse(): it, or NULL after one line on stderr.
 */
const char *args_one(const char *cmd, const char *what, int n, char **argv)
{
	if (n > 1) {
		args_refuse(cmd, "'%s': one %s only", argv[1], what);
		return NULL;
	}
	if (!n) {
		args_refuse(cmd, "which %s? (tlbbench %s --help)", what, cmd);
		return NULL;
	}
	return argv[0];
}

/*
 * V as a whole number from MIN to MAX, digits only (no sign, no space),
 * or -1: the counts and numbers of the subcommands' options.
 */
long args_count(const char *v, long min, long max)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	return n;
}
