/*
 * The one walker over a comparison (cmp_render()) and what its renderers
 * share: how a value, a spread and a change are shown, and the texts of
 * the legend.  The renderers are compare_text.c, compare_markdown.c,
 * compare_csv.c and compare_json.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_render.h"

/* The renderer of FORMAT. */
const struct cmp_renderer *cmp_renderer_of(enum out_format format)
{
	switch (format) {
	case FORMAT_MARKDOWN:
		return &cmp_markdown_renderer;
	case FORMAT_CSV:
		return &cmp_csv_renderer;
	case FORMAT_JSON:
		return &cmp_json_renderer;
	case FORMAT_TEXT:
		break;
	}
	return &cmp_text_renderer;
}

#define CALL(r, fn, ...) do { if ((r)->fn) (r)->fn(__VA_ARGS__); } while (0)

/*
 * C through R: the sets, then each block's metrics with a cell per
 * column, then the lines not compared.
 */
void cmp_render(const struct cmp *c, const struct cmp_renderer *r)
{
	void *priv = calloc(1, r->priv_size + 1);

	if (!priv)
		abort();
	CALL(r, begin, c, priv);
	for (int s = 0; s < c->nsets; s++)
		CALL(r, set, c, s, priv);
	CALL(r, sets_end, c, priv);
	for (int i = 0; i < c->nblocks; i++) {
		const struct cmp_block *b = &c->block[i];

		CALL(r, block, c, i, priv);
		for (int m = 0; m < b->nmetrics; m++) {
			CALL(r, metric, c, i, m, priv);
			for (int k = 0; k < b->ncols; k++)
				CALL(r, cell, c, i, m, k, priv);
			CALL(r, metric_end, c, i, m, priv);
		}
		CALL(r, block_end, c, i, priv);
	}
	CALL(r, blocks_end, c, priv);
	for (int u = 0; u < c->nunmatched; u++)
		CALL(r, unmatched, c, u, priv);
	CALL(r, end, c, priv);
	free(priv);
}

/* -------------------------------------------------------------------- */
/* Values as shown */

const char *cmp_sys(const struct cmp_set *s, const char *key)
{
	const char *v = rs_system_string(&s->rs, key);

	return v ? v : "?";
}


/* A value in at most 10 characters, as exact as is readable. */
void cmp_fmt_value(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 1e10)
		snprintf(buf, len, "%.3e", v);
	else if (fabs(v) >= 1e4 || v == floor(v))
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 100)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.3g", v);
}

static void fmt_pct(double v, char *buf, size_t len)
{
	if (isnan(v) || isinf(v))
		snprintf(buf, len, "-");
	else if (fabs(v) < 100)
		snprintf(buf, len, "%+.1f", v);
	else
		snprintf(buf, len, "%+.0f", v);
}

void cmp_fmt_spread(const struct cmp_cell *x, char *buf, size_t len)
{
	double h = NAN, v = cmp_cell_value(x);

	if (x->counted && x->r.k > 1)
		h = v ? (x->r.ci_hi - x->r.ci_lo) / 2 / fabs(v) * 100 :
		    x->r.ci_hi > x->r.ci_lo ? INFINITY : 0;
	else if (x->counted && x->s.n > 1)
		h = stats_half_width_pct(&x->s);

	if (isnan(h) || isinf(h))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", h);
}

void cmp_fmt_change(const struct cmp_cell *x, char *buf, size_t len)
{
	if (x->other_scope)
		snprintf(buf, len, "scope");
	else if (x->other_kind)
		snprintf(buf, len, "kind");
	else if (!x->have_change || isnan(x->ch.pct))
		snprintf(buf, len, "-");
	else if (isinf(x->ch.pct))
		snprintf(buf, len, "from 0");
	else {
		fmt_pct(x->ch.pct, buf, len - 1);
		strcat(buf, "%");
	}
}

void cmp_fmt_change_ci(const struct cmp_cell *x, char *buf, size_t len)
{
	char lo[16], hi[16];

	if (!x->have_change || isnan(x->ch.pct_lo)) {
		snprintf(buf, len, "-");
		return;
	}
	if (x->ch.exact) {
		snprintf(buf, len, "exact");
		return;
	}
	fmt_pct(x->ch.pct_lo, lo, sizeof(lo));
	fmt_pct(x->ch.pct_hi, hi, sizeof(hi));
	snprintf(buf, len, "[%s,%s]", isinf(x->ch.pct_lo) ? "-inf" : lo,
		 isinf(x->ch.pct_hi) ? "+inf" : hi);
}


/* -------------------------------------------------------------------- */
/* The legend */

/* The explanation of the columns, shared by text and markdown. */
const char cmp_columns_text[] =
	"Values are medians over repetitions.  ±: half the width of the 95% "
	"confidence interval of A's median (distribution-free, binomial "
	"order statistics) in % of it.  change: of the median from A, with "
	"a 95% bootstrap interval.  p: Mann-Whitney U, two-sided, ** below "
	"0.01, * below 0.05.  Counts identical in every sample of both are "
	"compared exactly: = equal, ! different.";

/* The words the change column may hold instead of a change. */
const char cmp_scope_text[] =
	"\"scope\" in the change column: a count of another scope than A's "
	"(per CPU, per thread or system wide), not compared.";
const char cmp_kind_text[] =
	"\"kind\" in the change column: a time of another kind of machine "
	"than A's (emulated, another CPU model or count), not compared.";

/* Whether a cell shows WHICH: 0 scope, 1 kind. */
bool cmp_any_token(const struct cmp *c, int which)
{
	for (int i = 0; i < c->nblocks; i++) {
		const struct cmp_block *b = &c->block[i];

		for (int m = 0; m < b->nmetrics; m++)
			for (int k = 1; k < b->ncols; k++)
				if (which ? cmp_cell_at(b, m, k)->other_kind :
				    cmp_cell_at(b, m, k)->other_scope)
					return true;
	}
	return false;
}

/* With several runs per side: what the columns are then. */
const char cmp_runs_text[] =
	"With several runs per side (run-bench --runs N, or SET... -- "
	"SET...): a value is the geometric mean of the runs' medians, ± half "
	"its 95% Student t interval between runs, and change, CI and p come "
	"from Welch's t test on the runs' medians (their logs): a run, not a "
	"repetition, is the sample.";

/* Why a time change got no mark. */
const char cmp_untested_text[] =
	"One run per side: time changes get an interval but no p or mark.  "
	"What varies from run to run (the machine's other work, memory "
	"layout, frequency) is larger than the spread inside one run, and "
	"one run cannot measure it; run each side several times (run-bench "
	"--runs N, or compare SET... -- SET...).";

/* Whether a time change was left untested (some may be hidden later). */
bool cmp_any_untested(const struct cmp *c)
{
	for (int i = 0; c->untested && i < c->nblocks; i++) {
		const struct cmp_block *b = &c->block[i];

		for (int m = 0; m < b->nmetrics; m++)
			for (int k = 1; k < b->ncols; k++)
				if (cmp_cell_at(b, m, k)->untested &&
				    cmp_cell_at(b, m, k)->have_change)
					return true;
	}
	return false;
}

/* Whether a metric before M has M's name: defined already. */
static bool defined(const struct cmp *c, int m)
{
	for (int i = 0; i < m; i++)
		if (!strcmp(c->metric[i].name, c->metric[m].name))
			return true;
	return false;
}

#define CMP_MAX_WHOLE 16	/* workloads of whole runs, at most */

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "NAME: what it is", once per metric or whole-run figure shown. */
void cmp_definitions(const struct cmp *c, struct cmp_strs *d)
{
	bool sent = false, recv = false, nsop = false, usop = false;
	const char *whole[CMP_MAX_WHOLE];
	bool attr = false;
	int nwhole = 0;

	for (int m = 0; m < c->nmetrics; m++) {
		const char *n = c->metric[m].name;

		if (!strcmp(n, "sent/GiB") && !sent) {
			sent = true;
			cmp_strs_add(d, "sent/GiB: flushes sent with IPIs (%s) "
				     "per GiB of region", RS_SENT);
		} else if (!strcmp(n, "recv/GiB") && !recv) {
			recv = true;
			cmp_strs_add(d, "recv/GiB: shootdowns received (%s) "
				     "per GiB", RS_RECV);
		} else if (!strcmp(n, "us/op") && !usop) {
			usop = true;
			cmp_strs_add(d, "us/op: microseconds per operation "
				     "(the measured kernel call)");
		} else if (!strcmp(n, "ns/op") && !nsop) {
			nsop = true;
			cmp_strs_add(d, "ns/op: nanoseconds per operation (the "
				     "measured kernel call)");
		} else if (rs_metric_what(&c->metric[m]) &&
			   !defined(c, m)) {
			cmp_strs_add(d, "%s: %s%s", n,
				     rs_metric_what(&c->metric[m]),
				     c->metric[m].per == RS_PER_GIB ?
				     "; per GiB of region" :
				     c->metric[m].per == RS_PER_OP ?
				 "; per operation" : "");
		} else if (!strncmp(n, "attr.", 5) && !attr) {
			attr = true;
			cmp_strs_add(d, "attr.PATH: flushes sent with IPIs "
				     "(%s) from that kernel path, sampled with "
				     "their call chains (--attribute); "
				     "attr.REASON.PATH: of tlb_flush.REASON",
				     RS_SENT);
		}
	}
	/* The whole runs' workloads, each once, by name. */
	for (int i = 0; i < c->nblocks; i++) {
		const char *w = rs_workload(c->block[i].col[0].l);
		int k;

		if (!c->block[i].whole)
			continue;
		for (k = 0; k < nwhole && strcmp(whole[k], w); k++)
			;
		if (k == nwhole && nwhole < CMP_MAX_WHOLE)
			whole[nwhole++] = w;
	}
	qsort(whole, nwhole, sizeof(*whole), compare_names);
	for (int w = 0; w < nwhole; w++) {
		const struct result_figure *f[CMP_MAX_FIGURES];
		size_t n = cmp_figures(c, whole[w], f, CMP_MAX_FIGURES);
		char buf[2048];
		size_t len;

		len = snprintf(buf, sizeof(buf), "%s lines are whole runs, one "
			       "record each: their own figures and verdict "
			       "instead of the metrics, and no interval or p "
			       "(", whole[w]);
		for (size_t i = 0; i < n && len < sizeof(buf); i++)
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s%s: %s", i ? "; " : "", f[i]->name,
					f[i]->what);
		if (len < sizeof(buf))
			snprintf(buf + len, sizeof(buf) - len, ")");
		cmp_strs_add(d, "%s", buf);
	}
}

/* The test a change was found by, as CSV and JSON name it. */
const char *cmp_test_name(const struct cmp_cell *x)
{
	if (x->other_scope)
		return "not-compared-scope";
	if (x->other_kind)
		return "not-compared-kind";
	if (!x->have_change || isnan(x->ch.pct))
		return "";
	if (x->ch.exact)
		return "exact-counts";
	if (x->untested)
		return "none-one-run";
	if (x->ch.runs)
		return "welch-t-run-medians";
	if (isnan(x->ch.p))
		return "none-one-record";
	return x->ch.p_exact ? "mann-whitney-exact" : "mann-whitney-normal";
}

