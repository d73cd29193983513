/*
 * tlbbench compare: result sets side by side.  The sets, the matching of
 * their lines and the numbers per line and metric are shared with
 * tlbbench plotdata, which lays the same numbers out for gnuplot.
 */
#ifndef TLB_COMPARE_H
#define TLB_COMPARE_H

#include <stdbool.h>

#include "resultset.h"
#include "stats.h"

#define MAX_COLS 26			/* columns are lettered A..Z */
#define MAX_METRICS 32

enum format { FMT_TEXT, FMT_MARKDOWN, FMT_CSV, FMT_JSON };

struct set {
	char name[256];
	struct resultset rs;
};

/* One side of a comparison: a config line of a result set. */
struct col {
	const struct set *set;
	const struct rs_line *l;	/* NULL: the set lacks the line */
	char label;
	char value[128];		/* --vary: the parameter's value */
};

struct cell {
	bool counted;
	const char *why;		/* not counted: why */
	struct stats_summary s;
	bool have_change;		/* columns after the first */
	struct stats_change ch;		/* against the first column */
	bool have_noise;
	double noise;			/* median over idle windows */
	bool other_scope;		/* a count of another scope than A's */
	bool other_kind;		/* a time of another kind of machine */
};

struct strs {
	int n;
	char **v;
};

/* One compared line: its columns, and a cell per metric and column. */
struct block {
	char title[2048];
	int ncols;
	struct col col[MAX_COLS];
	bool whole;			/* integrity, race: a verdict per run */
	int nmetrics;			/* the cmp's, or a whole run's own */
	const struct rs_metric *metric;
	struct cell *cell;		/* [metric][column] */
	struct strs notes;
	char scopes[256];		/* counts not compared: why, or "" */
};

struct unmatched {
	const struct set *set;
	char label;
	const struct rs_line *l;
	char why[400];
};

struct cmp {
	const char *name;		/* the command, in messages */
	enum format format;
	int nmetrics;
	struct rs_metric metric[MAX_METRICS];
	bool metrics_given;		/* --metrics: no victims' defaults */
	const char *vary;
	int nsets;
	struct set *set;
	int nblocks;
	struct block *block;
	int nunmatched;
	struct unmatched *unmatched;
	struct strs warnings;
	/* Per set: how it differs in kind from A, whose times it cannot
	 * be compared with (emulated, CPU model or count), or "". */
	char kind[MAX_COLS][256];
	bool any_kind;
};

static inline struct cell *cell(const struct block *b, int m, int k)
{
	return &b->cell[m * b->ncols + k];
}

int cmp_load(struct cmp *c, char **paths, int n);
int cmp_refuse(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cmp_check_sets(const struct cmp *c, int nsets, char **sets);
int cmp_match(struct cmp *c);
void cmp_compute(struct cmp *c);
void cmp_free(struct cmp *c);
const char *cmp_machine_kind(const struct set *s, char *buf, size_t len);
const char *cmp_mark(const struct cell *x);
void cmp_victim_metrics(struct cmp *c);

int cmd_compare(int argc, char **argv);

#endif
