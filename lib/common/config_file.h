/* Run configurations: plain-text lists of "WORKLOAD [OPTIONS]" lines. */
#ifndef TLB_CONFIG_FILE_H
#define TLB_CONFIG_FILE_H

#include <stddef.h>

#define CONFIG_ARGS_MAX 64

/*
 * One run.  A line that sweeps an option ("--threads 1,2,all") becomes one
 * run per value, each with the line's number and SWEEP set.
 */
struct config_line {
	int lineno;			/* in the file, from 1 */
	int argc;
	char *argv[CONFIG_ARGS_MAX];	/* workload, then its options */
	const char *sweep;		/* the swept option, or NULL */
};

struct config {
	int n;
	struct config_line *lines;
	char *text;			/* the file, split in place */
};

int config_load(const char *path, struct config *c, char *err,
		size_t errlen);
void config_free(struct config *c);

#endif
