/*
 * compare's CSV: a header, then a row per line, metric and new column
 * with both sides' summaries, the change and its test.
 */
#include <math.h>
#include <stdio.h>

#include "compare_render.h"

static void csv_text(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void csv_num(double v)
{
	if (isfinite(v))
		printf(",%.9g", v);
	else
		printf(",");
}

static void csv_summary(const struct cmp_cell *x)
{
	if (!x->counted) {
		printf(",%zu,,,,,", x->s.n);
		return;
	}
	printf(",%zu", x->s.n);
	csv_num(x->s.median);
	csv_num(x->s.ci_lo);
	csv_num(x->s.ci_hi);
	csv_num(x->s.ci_level);
	csv_num(x->s.cv);
}

/* The runs of a cell and the value it shows (cmp_cell_value()). */
static void csv_runs(const struct cmp_cell *x)
{
	if (!x->counted) {
		printf(",,");
		return;
	}
	printf(",%zu", x->r.k);
	csv_num(cmp_cell_value(x));
}

static void csv_begin(const struct cmp *c, void *priv)
{
	(void)c;
	(void)priv;
	printf("block,title,metric,base,base_set,base_line,base_n,"
	       "base_median,base_ci_lo,base_ci_hi,base_ci_level,base_cv,"
	       "new,new_set,new_line,new_n,new_median,new_ci_lo,new_ci_hi,"
	       "new_ci_level,new_cv,change_pct,change_ci_lo,change_ci_hi,p,"
	       "test,mark,base_runs,base_value,new_runs,new_value,mde_pct,"
	       "base_model,new_model\n");
}

static void csv_cell(const struct cmp *c, int i, int m, int k, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	const struct cmp_cell *a = cmp_cell_at(b, m, 0);
	const struct cmp_cell *x = cmp_cell_at(b, m, k);
	const struct cmp_col *ca = &b->col[0], *cb = &b->col[k];

	(void)priv;
	if (!k)
		return;
	printf("%d,", i + 1);
	csv_text(b->title);
	printf(",%s,%c,", b->metric[m].name, ca->label);
	csv_text(c->vary ? ca->value : ca->set->name);
	printf(",%d", ca->l->line);
	csv_summary(a);
	printf(",%c,", cb->label);
	csv_text(c->vary ? cb->value : cb->set->name);
	if (cb->l)
		printf(",%d", cb->l->line);
	else
		printf(",");
	csv_summary(x);
	csv_num(x->have_change ? x->ch.pct : NAN);
	csv_num(x->have_change ? x->ch.pct_lo : NAN);
	csv_num(x->have_change ? x->ch.pct_hi : NAN);
	csv_num(x->have_change ? x->ch.p : NAN);
	printf(",%s,%s", cmp_test_name(x), cmp_mark(x));
	csv_runs(a);
	csv_runs(x);
	csv_num(x->have_change && x->ch.runs ? x->ch.mde_pct : NAN);
	printf(",%s,%s\n", b->have_model[0] ? b->model[0].verdict : "",
	       b->have_model[k] ? b->model[k].verdict : "");
}

const struct cmp_renderer cmp_csv_renderer = {
	.begin = csv_begin,
	.cell = csv_cell,
};
