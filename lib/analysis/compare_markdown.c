/*
 * compare's markdown: one table to paste into a posting as is.  The
 * sets, a note when times are not compared, then a row per line and
 * metric (and new set, when there are several), the notes by line
 * number, and the definitions.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare_render.h"

static void md_escape(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", stdout);
		else
			putchar(*s);
	}
}

/* A cell's p with its mark: "0.0079 **", "exact !", "-". */
static void md_p(const struct cmp_cell *x, char *buf, size_t len)
{
	const char *mk = cmp_mark(x);

	if (x->have_change && x->ch.exact)
		snprintf(buf, len, "%s", mk);
	else if (x->have_change && !isnan(x->ch.p))
		snprintf(buf, len, "%.2g%s%s", x->ch.p, *mk ? " " : "", mk);
	else
		snprintf(buf, len, "-");
}

/* The cells of column K of metric M: median, ±, n (and change, CI, p). */
static void md_cells(const struct cmp_block *b, int m, int k, bool change)
{
	const struct cmp_cell *x = cmp_cell_at(b, m, k);
	char v[32], sp[16], ch[16], ci[40], p[24];

	cmp_fmt_value(x->counted ? cmp_cell_value(x) : NAN, v, sizeof(v));
	cmp_fmt_spread(x, sp, sizeof(sp));
	printf(" %s | %s | %zu |", v, sp, x->s.n);
	if (!change)
		return;
	cmp_fmt_change(x, ch, sizeof(ch));
	cmp_fmt_change_ci(x, ci, sizeof(ci));
	md_p(x, p, sizeof(p));
	printf(" %s | %s | %s |", ch, ci, p);
}

/* The kernel model's verdict per column, as the whole runs' rows. */
static void md_model(const struct cmp_block *b, bool rows)
{
	char a[256], v[256];

	if (!b->have_model[0])
		return;
	rs_model_verdict(&b->model[0], a, sizeof(a));
	for (int k = 1; k < b->ncols; k++) {
		if (b->have_model[k])
			rs_model_verdict(&b->model[k], v, sizeof(v));
		else
			snprintf(v, sizeof(v), "-");
		printf("| | | %s | %s | | |", k == 1 ? "kernel model" : "",
		       k == 1 ? a : "");
		if (rows)
			printf(" %c |", b->col[k].label);
		printf(" %s | | | | | |\n", v);
		if (!rows)
			break;
	}
}

/* -------------------------------------------------------------------- */
/* The callbacks */

struct md_state {
	bool rows;			/* a row per new column */
	bool first;			/* the block's first row */
};

static void md_begin(const struct cmp *c, void *priv)
{
	struct md_state *st = priv;

	for (int i = 0; i < c->nblocks; i++)
		st->rows |= c->block[i].ncols > 2;
	printf("**tlbbench compare%s%s**\n\n", c->vary ? ": --" : "",
	       c->vary ? c->vary : "");
	printf("| set | name | kernel | machine | run on | tlbbench | "
	       "status |\n|---|---|---|---|---|---|---|\n");
}

static void md_set(const struct cmp *c, int s, void *priv)
{
	const struct cmp_set *st = &c->set[s];
	char kind[128], details[1024];

	(void)priv;
	rs_machine_kind(&st->machine, kind, sizeof(kind));
	cmp_set_details(st, details, sizeof(details));
	if (c->vary)
		printf("| | ");
	else
		printf("| %c%s | ", 'A' + s, s ? "" : " (base)");
	md_escape(st->name);
	printf(" | %s | %s CPUs, ", cmp_sys(st, "kernel"),
	       cmp_sys(st, "cpus_online"));
	md_escape(cmp_sys(st, "cpu_model"));
	printf("%s%s | ", *kind ? ", " : "", kind);
	md_escape(details);
	printf(" | %s (%s) | %s |\n", cmp_sys(st, "tlbbench"),
	       cmp_sys(st, "git_revision"), cmp_sys(st, "status"));
}

static void md_sets_end(const struct cmp *c, void *priv)
{
	const struct md_state *st = priv;

	putchar('\n');
	for (int i = 0; i < c->warnings.n; i++)
		printf("- **warning**: %s\n", c->warnings.v[i]);
	if (c->warnings.n)
		putchar('\n');
	if (c->any_kind) {
		char note[2048];

		cmp_kind_note(c, note, sizeof(note));
		printf("> **%s**\n\n", note);
	}
	if (st->rows)
		printf("| # | line | metric | A | ± | n | new | median | ± | n "
		       "| change | 95%% CI | p |\n"
		       "|--:|---|---|--:|--:|--:|---|--:|--:|--:|--:|---|---|"
		       "\n");
	else
		printf("| # | line | metric | A | ± | n | B | ± | n | change | "
		       "95%% CI | p |\n"
		       "|--:|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
}

static void md_block(const struct cmp *c, int i, void *priv)
{
	struct md_state *st = priv;

	(void)c;
	(void)i;
	st->first = true;
}

/* A row per new column, or with one new column, per metric. */
static void md_cell(const struct cmp *c, int i, int m, int k, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	struct md_state *st = priv;

	if (!k || (k > 1 && !st->rows))
		return;
	if (st->first)
		printf("| %d | `%s` |", i + 1, b->title);
	else
		printf("| | |");
	printf(" %s |", k == 1 ? b->metric[m].name : "");
	if (k == 1)
		md_cells(b, m, 0, false);
	else
		printf(" | | |");
	if (st->rows)
		printf(" %c |", b->col[k].label);
	md_cells(b, m, k, true);
	putchar('\n');
	st->first = false;
}

static void md_block_end(const struct cmp *c, int i, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	const struct md_state *st = priv;

	for (int k = 1; b->whole && k < b->ncols; k++) {
		printf("| | | %s | %s | | |", k == 1 ? "verdict" : "",
		       k == 1 ? cmp_verdict(&b->col[0]) : "");
		if (st->rows)
			printf(" %c |", b->col[k].label);
		printf(" %s | | | | | |\n", cmp_verdict(&b->col[k]));
		if (!st->rows)
			break;
	}
	md_model(b, st->rows);
}

/* The notes of block I and the kernel model's predictions by column. */
static void md_notes(const struct cmp *c, int i, bool *first)
{
	const struct cmp_block *b = &c->block[i];
	char pred[256];

	for (int n = 0; n < b->notes.n; n++, *first = false)
		printf("%s- #%d: %s\n", *first ? "\nNotes:\n\n" : "", i + 1,
		       b->notes.v[n]);
	for (int k = 0; k < b->ncols; k++, *first = false) {
		if (!b->have_model[k] || (k && b->have_model[0] &&
		    b->model[k].force_flush == b->model[0].force_flush &&
		    b->model[k].batched == b->model[0].batched))
			continue;
		rs_model_predicted(&b->model[k], pred, sizeof(pred));
		printf("%s- #%d: %c kernel model predicted: %s\n",
		       *first ? "\nNotes:\n\n" : "", i + 1, b->col[k].label,
		       pred);
	}
}

/* Under the table: --vary's values, the legend, the notes. */
static void md_blocks_end(const struct cmp *c, void *priv)
{
	struct cmp_strs d = { 0 };
	bool first = true;

	(void)priv;
	putchar('\n');
	if (c->vary) {
		for (int i = 0; i < c->nblocks; i++) {
			const struct cmp_block *b = &c->block[i];

			printf("- #%d: ", i + 1);
			for (int k = 0; k < b->ncols; k++)
				printf("%s%c: `--%s %s` (line %d)",
				       k ? ", " : "", b->col[k].label,
				       c->vary, b->col[k].value,
				       b->col[k].l->line);
			putchar('\n');
		}
		putchar('\n');
	}
	printf("%s\n\n", cmp_columns_text);
	if (cmp_any_token(c, 0))
		printf("%s\n\n", cmp_scope_text);
	if (cmp_any_token(c, 1))
		printf("%s\n\n", cmp_kind_text);
	if (c->by_runs)
		printf("%s\n\n", cmp_runs_text);
	if (cmp_any_untested(c))
		printf("%s\n\n", cmp_untested_text);
	cmp_definitions(c, &d);
	for (int i = 0; i < d.n; i++)
		printf("- %s\n", d.v[i]);
	cmp_strs_free(&d);
	for (int i = 0; i < c->nblocks; i++)
		md_notes(c, i, &first);
	if (c->nunmatched)
		printf("\nNot compared:\n\n");
}

static void md_unmatched(const struct cmp *c, int i, void *priv)
{
	const struct cmp_unmatched *u = &c->unmatched[i];

	(void)priv;
	printf("- %c line %d `%s` (%s)\n", u->label, u->l->line,
	       u->l->config_line, u->why);
}

const struct cmp_renderer cmp_markdown_renderer = {
	.priv_size = sizeof(struct md_state),
	.begin = md_begin,
	.set = md_set,
	.sets_end = md_sets_end,
	.block = md_block,
	.cell = md_cell,
	.block_end = md_block_end,
	.blocks_end = md_blocks_end,
	.unmatched = md_unmatched,
};
