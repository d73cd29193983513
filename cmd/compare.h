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
	struct stats_summary s;		/* over every repetition */
	struct stats_runs r;		/* over the runs' medians */
	bool have_change;		/* columns after the first */
	struct stats_change ch;		/* against the first column */
	bool have_noise;
	double noise;			/* median over idle windows */
	bool other_scope;		/* a count of another scope than A's */
	bool other_kind;		/* a time of another kind of machine */
	bool untested;			/* a time of one run a side: no test */
	double p_reps;			/* Mann-Whitney over repetitions, */
					/* which a change between runs fools */
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
	bool have_model[MAX_COLS];	/* the kernel model's verdict */
	struct rs_model model[MAX_COLS];
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
	bool show_model;		/* the kernel model's verdict */
	bool untested;			/* some cell is: say why, once */
	bool by_runs;			/* some change is tested on runs */
};

static inline struct cell *cell(const struct block *b, int m, int k)
{
	return &b->cell[m * b->ncols + k];
}

/*
 * The value a cell shows: the median over its repetitions, or with
 * several runs, the geometric mean of the runs' medians (what a change
 * between runs is measured on).
 */
static inline double cell_value(const struct cell *x)
{
	return x->r.k > 1 ? x->r.center : x->s.median;
}

/* The 95% interval of the value: of the median, or between runs. */
static inline double cell_lo(const struct cell *x)
{
	return x->r.k > 1 ? x->r.ci_lo : x->s.ci_lo;
}

static inline double cell_hi(const struct cell *x)
{
	return x->r.k > 1 ? x->r.ci_hi : x->s.ci_hi;
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
