/* Run configurations: plain-text lists of "WORKLOAD [OPTIONS]" lines. */
#ifndef TLB_CONFIG_FILE_H
#define TLB_CONFIG_FILE_H

#include <stdbool.h>
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

/* Whether option OPT (no dashes) of WORKLOAD sweeps its values. */
typedef bool (*config_sweeps)(const char *workload, const char *opt);

int config_load(const char *path, struct config *c, config_sweeps sweeps,
		char *err, size_t errlen);
void config_free(struct config *c);

/*
 * One item of a run's words, as every reader of them takes it: a word of
 * its own (the workload), or an option: "--opt value", "--opt=value", or
 * "--opt" alone before another option or the end (a flag).
 */
struct config_item {
	const char *opt;		/* after the dashes; NULL: a word */
	size_t optlen;
	const char *value;		/* NUL-ended; NULL: none */
	int first, next;		/* its words: [first, next) */
};

int config_item(const char *const *words, int n, int i,
		struct config_item *it);
int config_words(char *text, char **words, int max);

#endif
