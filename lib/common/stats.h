/* Statistics over samples (GSL). */
#ifndef TLB_STATS_H
#define TLB_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Below this many samples no order-statistic interval reaches 95%. */
#define STATS_CI_MIN_N 6
#define STATS_BOOTSTRAP_RESAMPLES 10000

/* One metric over the N samples of one config line. */
struct stats_summary {
	size_t n;
	double median, mean, sd, cv;	/* cv in % of the mean */
	double min, max;
	double ci_lo, ci_hi;		/* distribution-free CI of the median */
	double ci_level;		/* its actual confidence, 0..1 */
	bool ci_short;			/* n < 6: [min,max], below 95% */
	bool constant;			/* every sample the same value */
};

/* Base against new: the change of the median and whether it is real. */
struct stats_change {
	double pct;			/* % change of the median */
	double pct_lo, pct_hi;		/* its 95% CI, bootstrap */
	double p;			/* two-sided Mann-Whitney U */
	bool p_exact;			/* p from the exact distribution */
	bool exact;			/* both constant: compared as counts */
	bool runs;			/* tested on run medians (Welch) */
	size_t runs_a, runs_b;		/* the runs of each side, then */
	double df;			/* Welch's degrees of freedom */
	double mde_pct;			/* smallest change found at 80% power */
};

/*
 * One side's runs: the median of each run's samples, summarized by their
 * geometric mean (or their mean, when one is 0 or less) with a 95%
 * Student t interval from the variation between runs.
 */
struct stats_runs {
	size_t k;			/* runs */
	bool log;			/* on the log scale */
	double center;			/* geometric mean, or mean */
	double sd;			/* between runs: of logs, or raw */
	double ci_lo, ci_hi;		/* 95% interval of the center */
	double cv;			/* run-to-run variation, % */
};

double stats_median(const double *v, size_t n);
void stats_median_ci(const double *sorted, size_t n, double *lo,
		     double *hi, double *level);
void stats_summarize(const double *v, size_t n, struct stats_summary *s);
double stats_half_width_pct(const struct stats_summary *s);
double stats_pct_change(double base, double new);
double stats_mann_whitney(const double *a, size_t na, const double *b,
			  size_t nb, bool *exact);
void stats_compare(const double *a, size_t na, const double *b, size_t nb,
		   struct stats_change *c);
bool stats_runs_positive(const double *m, size_t k);
void stats_runs_summarize(const double *m, size_t k, bool log,
			  struct stats_runs *r);
void stats_compare_runs(const double *ma, size_t ka, const double *mb,
			size_t kb, struct stats_change *c);

#endif
