/*
 * Statistics over samples, computed with the GNU Scientific Library: the
 * summary of one metric on one config line, and base against new.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

/* Any fixed value: the same sets must always print the same table. */
#define BOOTSTRAP_SEED 1

/* Mann-Whitney exact distribution up to this m * n; normal above. */
#define MW_EXACT_MAX 2500

static double *sorted_copy(const double *v, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s)
		abort();
	memcpy(s, v, n * sizeof(*s));
	gsl_sort(s, 1, n);
	return s;
}

/* Median of N values (0 when N is 0); V is left unchanged. */
double stats_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return 0;
	s = sorted_copy(v, n);
	m = gsl_stats_median_from_sorted_data(s, 1, n);
	free(s);
	return m;
}

/* Confidence of [x(k), x(n+1-k)] (order statistics from 1) for the median. */
static double order_stat_level(size_t k, size_t n)
{
	return 1 - 2 * gsl_cdf_binomial_P(k - 1, 0.5, n);
}

/*
 * The exact distribution-free confidence interval of the median.  The
 * number of samples below the true median is Binomial(n, 1/2) whatever
 * the (continuous) distribution, so [x(k), x(n+1-k)] covers the median
 * with probability 1 - 2 P(B <= k-1).  The largest k still covering 95%
 * is taken; for n = 10 that is k = 2 (97.9%).  Below n = 6 even
 * [min, max] covers only 1 - 2^(1-n) (93.8% at n = 5): that interval is
 * returned with its real LEVEL, and the caller says so.
 */
void stats_median_ci(const double *sorted, size_t n, double *lo,
		     double *hi, double *level)
{
	size_t k = 1;

	if (!n) {
		*lo = *hi = NAN;
		*level = 0;
		return;
	}
	while (k + 1 <= n - k && order_stat_level(k + 1, n) >= 0.95)
		k++;
	*lo = sorted[k - 1];
	*hi = sorted[n - k];
	*level = order_stat_level(k, n);
}

void stats_summarize(const double *v, size_t n, struct stats_summary *s)
{
	double *x;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n) {
		s->median = s->mean = s->min = s->max = NAN;
		s->ci_lo = s->ci_hi = NAN;
		s->ci_short = true;
		return;
	}
	x = sorted_copy(v, n);
	s->median = gsl_stats_median_from_sorted_data(x, 1, n);
	s->mean = gsl_stats_mean(x, 1, n);
	s->sd = n > 1 ? gsl_stats_sd_m(x, 1, n, s->mean) : 0;
	if (s->mean)
		s->cv = s->sd / fabs(s->mean) * 100;
	else
		s->cv = s->sd ? INFINITY : 0;
	s->min = x[0];
	s->max = x[n - 1];
	s->constant = s->min == s->max;
	stats_median_ci(x, n, &s->ci_lo, &s->ci_hi, &s->ci_level);
	s->ci_short = s->ci_level < 0.95;
	free(x);
}

/* Half the width of the median's CI in % of the median. */
double stats_half_width_pct(const struct stats_summary *s)
{
	double half = (s->ci_hi - s->ci_lo) / 2;

	if (!s->n)
		return NAN;
	if (!s->median)
		return half ? INFINITY : 0;
	return half / fabs(s->median) * 100;
}

/* % change from BASE to NEW; from 0 it is 0 or infinite. */
double stats_pct_change(double base, double new)
{
	if (!base)
		return !new ? 0 : new > 0 ? INFINITY : -INFINITY;
	return (new - base) / fabs(base) * 100;
}

/*
 * P(U <= u) for sample sizes m and n without ties.  The number of
 * arrangements with U = k is the coefficient of q^k in the Gaussian
 * binomial [m+n, m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).  Each
 * coefficient depends only on lower ones, so the lower tail needs only
 * u + 1 terms; they are exact in doubles below 2^53 and otherwise
 * within about 1e-12 of the exact rational p (checked up to 50 x 50).
 */
static double mw_lower_tail(size_t m, size_t n, size_t u)
{
	double *c = calloc(u + 1, sizeof(*c));
	double count = 0, total = 1;

	if (!c)
		abort();
	c[0] = 1;
	for (size_t i = 1; i <= m; i++) {
		for (size_t k = u; u >= n + i && k >= n + i; k--)
			c[k] -= c[k - n - i];
		for (size_t k = i; k <= u; k++)
			c[k] += c[k - i];
		total = total * (n + i) / i;
	}
	for (size_t k = 0; k <= u; k++)
		count += c[k];
	free(c);
	return count / total;
}

/*
 * Two-sided Mann-Whitney U test of A against B.  Without ties and for
 * m * n up to MW_EXACT_MAX the p-value is exact; otherwise it is the
 * normal approximation with the tie correction of the variance and a
 * continuity correction (as R's wilcox.test(exact = FALSE)).  *EXACT
 * says which.  p is 1 when every value is tied.
 */
double stats_mann_whitney(const double *a, size_t na, const double *b,
			  size_t nb, bool *exact)
{
	size_t N = na + nb, i, j;
	double u = 0, mn = (double)na * nb, ties = 0, mu, var, z, *all;
	bool tied = false;

	*exact = false;
	if (!na || !nb)
		return NAN;
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	all = malloc(N * sizeof(*all));
	if (!all)
		abort();
	memcpy(all, a, na * sizeof(*all));
	memcpy(all + na, b, nb * sizeof(*all));
	gsl_sort(all, 1, N);
	for (i = 0; i < N; i = j) {
		double t;

		for (j = i + 1; j < N && all[j] == all[i]; j++)
			;
		t = j - i;
		if (t > 1)
			tied = true;
		ties += t * t * t - t;
	}
	free(all);

	if (!tied && mn <= MW_EXACT_MAX) {
		double p = 2 * mw_lower_tail(na < nb ? na : nb,
					     na < nb ? nb : na,
					     fmin(u, mn - u));

		*exact = true;
		return p > 1 ? 1 : p;
	}
	mu = mn / 2;
	var = mn / 12 * ((N + 1) - ties / ((double)N * (N - 1)));
	if (var <= 0)
		return 1;
	z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z <= 0)
		return 1;
	return fmin(1, 2 * gsl_cdf_ugaussian_Q(z));
}

/* The P quantile of N sorted values, safe with infinite ones. */
static double quantile(const double *x, size_t n, double p)
{
	double h = (n - 1) * p, d;
	size_t i = floor(h);

	d = h - i;
	if (i + 1 >= n || !d || x[i] == x[i + 1])
		return x[i];
	if (isinf(x[i]) || isinf(x[i + 1]))
		return d < 0.5 ? x[i] : x[i + 1];
	return x[i] + d * (x[i + 1] - x[i]);
}

static double resampled_median(gsl_rng *r, const double *v, size_t n,
			       double *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[gsl_rng_uniform_int(r, n)];
	return gsl_stats_median(tmp, 1, n);
}

/*
 * The 95% CI of the % change of the median is a percentile bootstrap:
 * both sets resampled with replacement STATS_BOOTSTRAP_RESAMPLES times,
 * the change of the resampled medians read at its 2.5% and 97.5% points.
 * Chosen over Hodges-Lehmann because it needs no shift model (a patch
 * may scale or reshape a distribution), copes with zero counts, and is
 * the interval of the very ratio of medians the table prints.  The seed
 * is fixed, so a table is reproducible.  With few samples a side the
 * resampled medians take few values: the interval is coarse and may be
 * too narrow, which is why each median's own interval is printed too.
 */
static void bootstrap_change(const double *a, size_t na, const double *b,
			     size_t nb, double *lo, double *hi)
{
	const size_t R = STATS_BOOTSTRAP_RESAMPLES;
	double *ch = malloc(R * sizeof(*ch));
	double *tmp = malloc((na > nb ? na : nb) * sizeof(*tmp));
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (!ch || !tmp || !r)
		abort();
	gsl_rng_set(r, BOOTSTRAP_SEED);
	for (size_t i = 0; i < R; i++) {
		double ma = resampled_median(r, a, na, tmp);
		double mb = resampled_median(r, b, nb, tmp);

		ch[i] = stats_pct_change(ma, mb);
	}
	gsl_sort(ch, 1, R);
	*lo = quantile(ch, R, 0.025);
	*hi = quantile(ch, R, 0.975);
	gsl_rng_free(r);
	free(tmp);
	free(ch);
}

/*
 * Base A against new B.  Counts that are identical in every sample of
 * each set (a flush count is often exactly the number of page tables)
 * are compared as numbers: no interval, no test.
 */
void stats_compare(const double *a, size_t na, const double *b, size_t nb,
		   struct stats_change *c)
{
	struct stats_summary sa, sb;

	memset(c, 0, sizeof(*c));
	c->pct = c->pct_lo = c->pct_hi = c->p = NAN;
	if (!na || !nb)
		return;
	stats_summarize(a, na, &sa);
	stats_summarize(b, nb, &sb);
	c->pct = stats_pct_change(sa.median, sb.median);
	if (sa.constant && sb.constant) {
		c->exact = true;
		c->pct_lo = c->pct_hi = c->pct;
		return;
	}
	bootstrap_change(a, na, b, nb, &c->pct_lo, &c->pct_hi);
	c->p = stats_mann_whitney(a, na, b, nb, &c->p_exact);
}

/* Whether every one of the K run medians M is above 0 (logs exist). */
bool stats_runs_positive(const double *m, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (!(m[i] > 0) || isinf(m[i]))
			return false;
	return true;
}

/* The values the t statistics work on: logs, or the values. */
static void runs_scale(const double *m, size_t k, bool logs, double *out)
{
	for (size_t i = 0; i < k; i++)
		out[i] = logs ? log(m[i]) : m[i];
}

static double runs_back(double x, bool logs)
{
	return logs ? exp(x) : x;
}

/*
 * K runs' medians M.  Times are positive and vary in proportion, so
 * their logs are taken: the center is the geometric mean and the
 * interval is symmetric in ratio.  One run gives a center and no
 * interval (sd NAN).
 */
void stats_runs_summarize(const double *m, size_t k, bool logs,
			  struct stats_runs *r)
{
	double *x;

	memset(r, 0, sizeof(*r));
	r->k = k;
	r->log = logs;
	r->center = r->sd = r->ci_lo = r->ci_hi = r->cv = NAN;
	if (!k)
		return;
	x = calloc(k, sizeof(*x));
	if (!x)
		abort();
	runs_scale(m, k, logs, x);
	r->center = gsl_stats_mean(x, 1, k);
	if (k > 1) {
		double half;

		r->sd = gsl_stats_sd_m(x, 1, k, r->center);
		half = gsl_cdf_tdist_Qinv(0.025, k - 1) * r->sd / sqrt(k);
		r->ci_lo = runs_back(r->center - half, logs);
		r->ci_hi = runs_back(r->center + half, logs);
		if (logs)
			r->cv = sqrt(expm1(r->sd * r->sd)) * 100;
		else if (r->center)
			r->cv = r->sd / fabs(r->center) * 100;
	}
	/* One run: its median as it was, not through exp(log()). */
	r->center = k == 1 ? m[0] : runs_back(r->center, logs);
	free(x);
}

/* A difference D of the scale as a % change from BASE. */
static double runs_pct(double d, bool logs, double base)
{
	if (logs)
		return expm1(d) * 100;
	return stats_pct_change(base, base + d);
}

/*
 * Base against new when each side ran several times (KA, KB >= 2): the
 * runs are the samples, since what varies from run to run (the machine's
 * other work, memory layout, frequency) is larger than the spread of
 * repetitions inside one run, which a test on repetitions would take for
 * a change.  Welch's t test on the runs' medians (their logs when all
 * are positive): p, the 95% interval of the change, and the smallest
 * change the same test would find with 80% power at this variation.
 * Run medians identical on each side leave nothing to test: p is 0 or 1.
 */
void stats_compare_runs(const double *ma, size_t ka, const double *mb,
			size_t kb, struct stats_change *c)
{
	struct stats_runs ra, rb;
	bool logs = stats_runs_positive(ma, ka) && stats_runs_positive(mb, kb);
	double base, d, va, vb, se, t, tp;

	memset(c, 0, sizeof(*c));
	c->pct = c->pct_lo = c->pct_hi = c->p = c->df = c->mde_pct = NAN;
	if (ka < 2 || kb < 2)
		return;
	c->runs = true;
	c->runs_a = ka;
	c->runs_b = kb;
	stats_runs_summarize(ma, ka, logs, &ra);
	stats_runs_summarize(mb, kb, logs, &rb);
	base = ra.center;
	d = logs ? log(rb.center) - log(ra.center) :
	      rb.center - ra.center;
	c->pct = logs ? expm1(d) * 100 : stats_pct_change(base, rb.center);
	va = ra.sd * ra.sd / ka;
	vb = rb.sd * rb.sd / kb;
	se = sqrt(va + vb);
	if (!se) {
		/* Every run alike on each side: no variation to test. */
		c->pct_lo = c->pct_hi = c->pct;
		c->p = d ? 0 : 1;
		return;
	}
	c->df = (va + vb) * (va + vb) /
		(va * va / (ka - 1) + vb * vb / (kb - 1));
	t = gsl_cdf_tdist_Qinv(0.025, c->df);
	tp = gsl_cdf_tdist_Qinv(0.20, c->df);
	c->pct_lo = runs_pct(d - t * se, logs, base);
	c->pct_hi = runs_pct(d + t * se, logs, base);
	c->p = fmin(1, 2 * gsl_cdf_tdist_Q(fabs(d) / se, c->df));
	c->mde_pct = runs_pct((t + tp) * se, logs, base);
}
