/*
 * Statistics against values derived by hand (derivations beside each
 * case), not against the code's own output.
 */
#include <math.h>

#include "common/stats.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int near(double got, double want, double tol)
{
	return fabs(got - want) <= tol;
}

#define is_near(got, want, tol, ...) do {				\
	double g_ = (got), w_ = (want);					\
	if (!ok(near(g_, w_, tol), __VA_ARGS__))			\
		printf("# got %.10g, want %.10g\n", g_, w_);		\
} while (0)

static void test_summary(void)
{
	/* Mean 5; squares of deviations 9+1+1+1+0+0+4+16 = 32, sd
	 * sqrt(32/7) = 2.13809; median (4+5)/2; cv 2.13809/5. */
	static const double v[] = { 9, 4, 2, 4, 5, 5, 4, 7 };
	struct stats_summary s;

	stats_summarize(v, N(v), &s);
	is_near(s.median, 4.5, 1e-12, "median of 8");
	is_near(s.mean, 5, 1e-12, "mean of 8");
	is_near(s.sd, 2.1380899353, 1e-9, "sample sd of 8");
	is_near(s.cv, 42.761798706, 1e-7, "cv of 8 in %%");
	ok(s.min == 2 && s.max == 9 && !s.constant, "min, max, not constant");

	stats_summarize((const double[]){ 514, 514, 514 }, 3, &s);
	ok(s.constant && s.sd == 0 && s.cv == 0, "constant counts: sd 0");
}

static void test_median_ci(void)
{
	double v[20], lo, hi, level;
	struct stats_summary s;

	for (int i = 0; i < 20; i++)
		v[i] = i + 1;

	/*
	 * n = 10: P(B <= 1) = (1 + 10) / 2^10, so [x(2), x(9)] covers
	 * 1 - 22/1024 = 0.978515625; P(B <= 2) = 56/1024 gives only
	 * 0.890625 for [x(3), x(8)].
	 */
	stats_median_ci(v, 10, &lo, &hi, &level);
	ok(lo == 2 && hi == 9, "n=10: ranks 2 and 9 (%g, %g)", lo, hi);
	is_near(level, 0.978515625, 1e-12, "n=10: confidence 97.85%%");

	/*
	 * n = 20: the published table of order statistics for a 95%
	 * interval of the median gives ranks 6 and 15; P(B <= 5) =
	 * 21700 / 2^20, confidence 1 - 43400/1048576 = 0.95861053.
	 */
	stats_median_ci(v, 20, &lo, &hi, &level);
	ok(lo == 6 && hi == 15, "n=20: ranks 6 and 15 (%g, %g)", lo, hi);
	is_near(level, 0.9586105347, 1e-9, "n=20: confidence 95.86%%");

	/* n = 6: [min, max] covers 1 - 2/64 = 0.96875, the first n > 95%. */
	stats_summarize(v, 6, &s);
	ok(s.ci_lo == 1 && s.ci_hi == 6 && !s.ci_short,
	   "n=6: [min, max] reaches 95%%");
	is_near(s.ci_level, 0.96875, 1e-12, "n=6: confidence 96.875%%");

	/* n = 5: the widest interval covers 1 - 2/32 = 0.9375 only. */
	stats_summarize(v, 5, &s);
	ok(s.ci_lo == 1 && s.ci_hi == 5 && s.ci_short,
	   "n=5: [min, max], flagged short of 95%%");
	is_near(s.ci_level, 0.9375, 1e-12, "n=5: confidence 93.75%%");
	/* (5 - 1) / 2 = 2 around a median of 3. */
	is_near(stats_half_width_pct(&s), 200.0 / 3, 1e-9,
		"n=5: half-width 66.7%% of the median");

	stats_summarize(v, 1, &s);
	ok(s.ci_lo == 1 && s.ci_hi == 1 && s.ci_level == 0 && s.ci_short,
	   "n=1: no confidence at all");
}

static void test_mann_whitney(void)
{
	static const double a5[] = { 1, 2, 3, 4, 5 }, b5[] = { 6, 7, 8, 9, 10 };
	static const double a4[] = { 1, 2, 3, 6 }, b4[] = { 4, 5, 7, 8, 9 };
	static const double a3[] = { 1, 3, 5 }, b3[] = { 2, 4, 6 };
	static const double x[] = { 1, 2, 2, 3 }, y[] = { 2, 3, 4, 4, 5 };
	bool exact;
	double p;

	/*
	 * Complete separation, 5 and 5: U = 0 is 1 of C(10,5) = 252
	 * arrangements; two-sided p = 2/252 = 0.0079365, the value R's
	 * wilcox.test prints for this textbook example.
	 */
	p = stats_mann_whitney(a5, 5, b5, 5, &exact);
	ok(exact, "5 vs 5 without ties: exact");
	is_near(p, 2.0 / 252, 1e-12, "5 vs 5 separated: p = 2/252");
	p = stats_mann_whitney(b5, 5, a5, 5, &exact);
	is_near(p, 2.0 / 252, 1e-12, "swapped: same p");

	/*
	 * 4 vs 5, U = 2 (6 beats 4 and 5).  Arrangements with U = k are
	 * partitions of k into at most 4 parts of at most 5: k = 0, 1, 2
	 * have 1, 1, 2 (2 = 2 = 1+1), so P(U <= 2) = 4 / C(9,4) = 4/126
	 * and p = 8/126 = 0.0634921.
	 */
	p = stats_mann_whitney(a4, 4, b4, 5, &exact);
	is_near(p, 8.0 / 126, 1e-12, "4 vs 5, U = 2: p = 8/126");

	/*
	 * 3 vs 3, U = 3 (3 > 2, 5 > 2, 5 > 4).  Counts of U = 0..3 are
	 * 1, 1, 2, 3 (partitions into at most 3 parts of at most 3), so
	 * P(U <= 3) = 7/20 and p = 14/20.
	 */
	p = stats_mann_whitney(a3, 3, b3, 3, &exact);
	is_near(p, 0.7, 1e-12, "3 vs 3 interleaved: p = 0.7");

	/*
	 * Ties: x = 1 2 2 3, y = 2 3 4 4 5.  Midranks 1 3 3 | 3 5.5 | 5.5
	 * 7.5 7.5 9; rank sum of x = 12.5, U = 12.5 - 4*5/2 = 2.5, mean
	 * mn/2 = 10.  Tie groups of 3, 2, 2: sum(t^3 - t) = 36; variance
	 * 20/12 * (10 - 36/72) = 15.8333; z = (7.5 - 0.5) / 3.979112 =
	 * 1.759186; p = 2 Q(z) = erfc(z / sqrt 2) = 0.0785459.
	 */
	p = stats_mann_whitney(x, 4, y, 5, &exact);
	ok(!exact, "ties: normal approximation");
	is_near(p, 0.0785458510, 1e-8, "ties: corrected p = 0.0785459");

	p = stats_mann_whitney((const double[]){ 7, 7 }, 2,
			       (const double[]){ 7, 7, 7 }, 3, &exact);
	is_near(p, 1, 0, "all tied: p = 1");
}

static void test_compare(void)
{
	static const double base[] = { 514, 514, 514, 514, 514 };
	static const double new[] = { 2, 2, 2, 2, 2 };
	static const double slow[] = { 101, 96, 104, 99, 97, 103, 98, 102 };
	static const double fast[] = { 84, 79, 76, 81, 83, 77, 82, 78 };
	struct stats_change c, again;

	/* Constant counts: (2 - 514) / 514 = -99.61%, no test. */
	stats_compare(base, 5, new, 5, &c);
	ok(c.exact && isnan(c.p), "constant counts compared exactly");
	is_near(c.pct, -99.610894942, 1e-6, "514 -> 2 is -99.61%%");

	stats_compare(base, 5, base, 5, &c);
	ok(c.exact && c.pct == 0, "equal constant counts: 0%%");

	/* Medians 100 and 80: -20%; every fast sample below every slow
	 * one, 8 vs 8 without ties: p = 2 / C(16,8) = 2/12870. */
	stats_compare(slow, 8, fast, 8, &c);
	is_near(c.pct, -20, 1e-9, "100 -> 80 is -20%%");
	ok(c.p_exact && near(c.p, 2.0 / 12870, 1e-12),
	   "separated 8 vs 8: exact p = 2/12870 (%g)", c.p);
	ok(c.pct_lo <= c.pct && c.pct <= c.pct_hi && c.pct_hi < 0,
	   "bootstrap CI [%.2f, %.2f] holds -20 and excludes 0",
	   c.pct_lo, c.pct_hi);
	/* Resampled medians lie in [76, 84] and [96, 104]. */
	ok(c.pct_lo >= (76.0 / 104 - 1) * 100 &&
	   c.pct_hi <= (84.0 / 96 - 1) * 100,
	   "bootstrap CI within the extreme ratios");
	stats_compare(slow, 8, fast, 8, &again);
	ok(again.pct_lo == c.pct_lo && again.pct_hi == c.pct_hi,
	   "bootstrap reproducible (fixed seed)");

	stats_compare(slow, 8, slow, 8, &c);
	ok(c.pct == 0 && c.pct_lo < 0 && c.pct_hi > 0 && c.p == 1,
	   "a set against itself: 0%%, CI around 0, p = 1 (%g)", c.p);

	ok(stats_pct_change(0, 0) == 0 && isinf(stats_pct_change(0, 3)),
	   "change from 0: 0 or infinite");
}

/*
 * Runs as samples: logs of run medians [0, 1, 2] against [3, 4, 5]
 * differ by 3 with sd 1 each side, se sqrt(2/3), Welch df 4: t 3.674,
 * p = 0.021312 (R: 2 * pt(-3.674235, 4)); 95% interval
 * exp(3 -+ 2.776445 se) - 1; 80% power at exp((2.776445 + 0.940965) se).
 */
static void test_compare_runs(void)
{
	const double e = exp(1);
	const double a[] = { 1, e, e * e }, b[] = { e * e * e, pow(e, 4),
						  pow(e, 5) };
	const double same[] = { 7, 7, 7 }, other[] = { 9, 9 };
	const double zero[] = { 0, 1, 2 }, three[] = { 3, 4, 5 };
	struct stats_change c;
	struct stats_runs r;

	stats_compare_runs(a, 3, b, 3, &c);
	ok(c.runs && c.runs_a == 3 && c.runs_b == 3 && !c.exact,
	   "runs: compared on run medians, 3 and 3");
	is_near(c.pct, (exp(3) - 1) * 100, 1e-9, "runs: change of the "
		"geometric means, e^3 - 1");
	is_near(c.df, 4, 1e-9, "runs: Welch df 4 for equal sd and k");
	is_near(c.p, 0.0213116366, 1e-8, "runs: p as R's t test");
	is_near(c.pct_lo, 108.140293, 1e-4, "runs: interval low");
	is_near(c.pct_hi, 19282.5419, 1e-2, "runs: interval high");
	is_near(c.mde_pct, 1980.62320, 1e-3, "runs: change at 80%% power");

	stats_compare_runs(same, 3, other, 2, &c);
	ok(!c.exact && c.pct > 28.57 && c.pct < 28.58 && c.p == 0 &&
	   c.pct_lo == c.pct, "runs: identical run medians differ at p 0 "
	   "(%.2f%%)", c.pct);
	stats_compare_runs(same, 3, same, 2, &c);
	ok(c.pct == 0 && c.p == 1, "runs: identical run medians, equal: p 1");

	stats_compare_runs(a, 1, b, 3, &c);
	ok(!c.runs && isnan(c.pct), "runs: one run is no test");

	/* A run median of 0: the raw scale, mean 1 against 4. */
	stats_compare_runs(zero, 3, three, 3, &c);
	is_near(c.pct, 300, 1e-9, "runs: raw scale when a median is 0");

	stats_runs_summarize(a, 3, true, &r);
	is_near(r.center, e, 1e-12, "runs: the center is the geometric mean");
	ok(r.ci_lo < e && r.ci_hi > e && !isnan(r.cv),
	   "runs: the center's interval holds it");
	stats_runs_summarize(a, 1, true, &r);
	ok(r.center == 1 && isnan(r.ci_lo) && isnan(r.cv),
	   "runs: one run, no interval");
}

int main(void)
{
	test_summary();
	test_median_ci();
	test_mann_whitney();
	test_compare();
	test_compare_runs();
	return tap_done();
}
