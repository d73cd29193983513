/*
 * The model of a comparison of result sets: the sides, their lines
 * matched into blocks, and per block a cell per metric and side.  Built
 * by cmp_load(), cmp_match() and cmp_compute(); tlbbench compare renders
 * it as tables, tlbbench plotdata lays the same numbers out for gnuplot.
 */
#ifndef TLB_ANALYSIS_COMPARE_H
#define TLB_ANALYSIS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/figure.h"
#include "machine.h"
#include "resultset.h"
#include "common/stats.h"

#define CMP_MAX_COLS 26			/* columns are lettered A..Z */
#define CMP_MAX_METRICS 32
#define CMP_MAX_FIGURES 32		/* of a whole run's workload */

struct cmp_set {
	char name[256];
	struct resultset rs;
	struct rs_machine machine;	/* of the side's first set */
};

/* One side of a comparison: a config line of a result set. */
struct cmp_col {
	const struct cmp_set *set;
	const struct rs_line *l;	/* NULL: the set lacks the line */
	char label;
	char value[128];		/* --vary: the parameter's value */
};

struct cmp_cell {
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

/* Texts in the order added: notes, warnings. */
struct cmp_strs {
	int n;
	char **v;
};

/* One compared line: its columns, and a cell per metric and column. */
struct cmp_block {
	char title[2048];
	int ncols;
	struct cmp_col col[CMP_MAX_COLS];
	bool whole;			/* integrity, race: a verdict per run */
	int nmetrics;			/* the cmp's, or a whole run's own */
	const struct rs_metric *metric;
	struct rs_metric *own_metric;	/* a whole run's, allocated */
	struct cmp_cell *cell;		/* [metric][column] */
	struct cmp_strs notes;
	char scopes[256];		/* counts not compared: why, or "" */
	bool have_model[CMP_MAX_COLS];	/* the kernel model's verdict */
	struct rs_model model[CMP_MAX_COLS];
};

struct cmp_unmatched {
	const struct cmp_set *set;
	char label;
	const struct rs_line *l;
	char why[400];
};

struct cmp {
	const char *name;		/* the command, in messages */
	int nmetrics;
	struct rs_metric metric[CMP_MAX_METRICS];
	bool metrics_given;		/* --metrics: no victims' defaults */
	const char *vary;
	/* The config line TEXT with its effective options into OUT, as the
	 * command knows its workloads: lines written differently that ran
	 * the same match.  0, or -1 when it cannot tell. */
	int (*effective)(const char *text, char *out, size_t len);
	/* The figures a whole run of WORKLOAD records, as the command knows
	 * its workloads (NULL-name ended), or NULL. */
	const struct result_figure *(*figures)(const char *workload);
	int nsets;
	struct cmp_set *set;
	int nblocks;
	struct cmp_block *block;
	int nunmatched;
	struct cmp_unmatched *unmatched;
	struct cmp_strs warnings;
	/* Per set: how it differs in kind from A, whose times it cannot
	 * be compared with (emulated, CPU model or count), or "". */
	char kind[CMP_MAX_COLS][256];
	bool any_kind;
	bool show_model;		/* the kernel model's verdict */
	bool untested;			/* some cell is: say why, once */
	bool by_runs;			/* some change is tested on runs */
};

static inline struct cmp_cell *cmp_cell_at(const struct cmp_block *b,
					   int m, int k)
{
	return &b->cell[m * b->ncols + k];
}

/*
 * The value a cell shows: the median over its repetitions, or with
 * several runs, the geometric mean of the runs' medians (what a change
 * between runs is measured on).
 */
static inline double cmp_cell_value(const struct cmp_cell *x)
{
	return x->r.k > 1 ? x->r.center : x->s.median;
}

/* The 95% interval of the value: of the median, or between runs. */
static inline double cmp_cell_lo(const struct cmp_cell *x)
{
	return x->r.k > 1 ? x->r.ci_lo : x->s.ci_lo;
}

static inline double cmp_cell_hi(const struct cmp_cell *x)
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
const char *cmp_mark(const struct cmp_cell *x);
void cmp_victim_metrics(struct cmp *c);
int cmp_expand_metrics(struct cmp *c);
const char *cmp_verdict(const struct cmp_col *col);
void cmp_kind_note(const struct cmp *c, char *buf, size_t len);
void cmp_set_details(const struct cmp_set *s, char *buf, size_t len);

size_t cmp_figures(const struct cmp *c, const char *workload,
		   const struct result_figure **out, size_t max);

void cmp_strs_add(struct cmp_strs *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cmp_strs_free(struct cmp_strs *s);

#endif
