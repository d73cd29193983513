/*
 * compare's text: an 80-column table for email, no trailing blanks, a
 * block per compared line with its notes under it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compare_render.h"

#define WIDTH 80
#define NAME_W 14			/* metric names in the text table */

/* A space print_wrapped() does not break at, as in "(line 3)". */
#define NBSP "\x01"

/* TEXT wrapped at WIDTH, the first line after FIRST, the rest after REST. */
static void print_wrapped(const char *first, const char *rest,
			  const char *text)
{
	int col = printf("%s", first);
	bool start = true;

	while (*text) {
		int len;

		while (*text == ' ')
			text++;
		len = strcspn(text, " ");
		if (!len)
			break;
		if (!start && col + 1 + len > WIDTH) {
			col = printf("\n%s", rest) - 1;
			start = true;
		}
		if (!start)
			col += printf(" ");
		for (int i = 0; i < len; i++)
			putchar(text[i] == NBSP[0] ? ' ' : text[i]);
		col += len;
		start = false;
		text += len;
	}
	putchar('\n');
}

/* One line from FMT without trailing blanks: mail clients mangle them. */
static void put_line(const char *fmt, ...)
{
	char buf[1024];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (len = strlen(buf); len && buf[len - 1] == ' '; len--)
		;
	printf("%.*s\n", (int)len, buf);
}

/* TEXT after PREFIX on one line, cut to WIDTH with "...". */
static void print_cut(const char *prefix, const char *text)
{
	int room = WIDTH - strlen(prefix);

	if ((int)strlen(text) <= room)
		put_line("%s%s", prefix, text);
	else
		printf("%s%.*s...\n", prefix, room - 3, text);
}


/* -------------------------------------------------------------------- */
/* The callbacks */

/* A metric's name, A's value and spread: shown beside the first column. */
struct text_state {
	const char *name;
	char av[32], as[16];
};

static void text_begin(const struct cmp *c, void *priv)
{
	(void)priv;
	if (c->vary)
		printf("tlbbench compare: lines of one set that differ only in "
		       "--%s\n", c->vary);
	else
		printf("tlbbench compare: %d result sets, A is the base\n",
		       c->nsets);
}

static void text_set(const struct cmp *c, int s, void *priv)
{
	const struct cmp_set *st = &c->set[s];
	char head[1024], kind[128], first[16];
	const char *cmd = rs_system_string(&st->rs, "cmdline");

	(void)priv;
	/* With --vary the letters name values, not sets. */
	snprintf(first, sizeof(first), c->vary ? "Set " : "%c ", 'A' + s);
	snprintf(head, sizeof(head), "%s%s: kernel %s, tlbbench %s (%s), %s",
		 st->name, c->vary || s ? "" : " (base)",
		 cmp_sys(st, "kernel"), cmp_sys(st, "tlbbench"),
		 cmp_sys(st, "git_revision"), cmp_sys(st, "status"));
	print_wrapped(first, "  ", head);
	rs_machine_kind(&st->machine, kind, sizeof(kind));
	snprintf(head, sizeof(head), "%s CPUs, %s%s%s",
		 cmp_sys(st, "cpus_online"), cmp_sys(st, "cpu_model"),
		 *kind ? ", " : "", kind);
	print_wrapped("  ", "  ", head);
	cmp_set_details(st, head, sizeof(head));
	print_wrapped("  ", "  ", head);
	if (rs_system_string(&st->rs, "profile_event"))
		printf("  profiled (%s): %s/perf/LINE.data, perf report -i\n",
		       rs_system_string(&st->rs, "profile_event"), st->name);
	if (s && cmd && rs_system_string(&c->set[0].rs, "cmdline") &&
	    !strcmp(cmd, rs_system_string(&c->set[0].rs, "cmdline")))
		printf("  cmdline as A\n");
	else
		print_cut("  cmdline: ", cmd ? cmd : "?");
}

static void text_legend(const struct cmp *c)
{
	struct cmp_strs d = { 0 };
	char buf[8192] = "";
	size_t len = 0;

	print_wrapped("", "", cmp_columns_text);
	if (cmp_any_token(c, 0))
		print_wrapped("", "", cmp_scope_text);
	if (cmp_any_token(c, 1))
		print_wrapped("", "", cmp_kind_text);
	if (c->by_runs)
		print_wrapped("", "", cmp_runs_text);
	if (cmp_any_untested(c))
		print_wrapped("", "", cmp_untested_text);
	cmp_definitions(c, &d);
	for (int i = 0; i < d.n && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? "; " : "", d.v[i]);
	if (d.n && len < sizeof(buf) - 1)
		strcat(buf, ".");
	if (d.n)
		print_wrapped("", "", buf);
	cmp_strs_free(&d);
}

static void text_sets_end(const struct cmp *c, void *priv)
{
	(void)priv;
	for (int i = 0; i < c->warnings.n; i++)
		print_wrapped("warning: ", "  ", c->warnings.v[i]);
	putchar('\n');
	if (c->any_kind) {
		char note[2048];

		cmp_kind_note(c, note, sizeof(note));
		print_wrapped("*** ", "*** ", note);
		putchar('\n');
	}
	text_legend(c);
}

static void text_block(const struct cmp *c, int i, void *priv)
{
	const struct cmp_block *b = &c->block[i];

	(void)priv;
	putchar('\n');
	print_wrapped("", "    ", b->title);
	if (c->vary) {
		char buf[2048] = "";

		for (int k = 0; k < b->ncols; k++)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "%s%c:" NBSP "--%s" NBSP "%s" NBSP "(line" NBSP
				 "%d)", k ? ", " : "",
				 b->col[k].label, c->vary, b->col[k].value,
				 b->col[k].l->line);
		print_wrapped("  ", "  ", buf);
	}
	/* "±" is two bytes in one column. */
	put_line("  %-*s %10s %8s  %10s %8s  %-15s %s", NAME_W, "metric", "A",
		 "±", b->ncols > 2 ? "new" : "B", "change", "95% CI", "p");
}

/* A name too long for its column gets a line of its own. */
static void text_metric(const struct cmp *c, int i, int m, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	const struct cmp_cell *a = cmp_cell_at(b, m, 0);
	struct text_state *t = priv;

	t->name = b->metric[m].name;
	if ((int)strlen(t->name) > NAME_W) {
		put_line("  %s", t->name);
		t->name = "";
	}
	cmp_fmt_value(a->counted ? cmp_cell_value(a) : NAN, t->av,
		      sizeof(t->av));
	cmp_fmt_spread(a, t->as, sizeof(t->as));
}

/* A row per new column; A's value on the first. */
static void text_cell(const struct cmp *c, int i, int m, int k, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	const struct cmp_cell *x = cmp_cell_at(b, m, k);
	const struct text_state *t = priv;
	char v[32], ch[16], ci[40];

	if (!k)
		return;
	cmp_fmt_value(x->counted ? cmp_cell_value(x) : NAN, v, sizeof(v));
	cmp_fmt_change(x, ch, sizeof(ch));
	cmp_fmt_change_ci(x, ci, sizeof(ci));
	put_line("  %-*s %10s %7s %c%10s %8s  %-15s %s", NAME_W,
		 k == 1 ? t->name : "", k == 1 ? t->av : "",
		 k == 1 ? t->as : "", b->ncols > 2 ? b->col[k].label : ' ',
		 v, ch, ci, cmp_mark(x));
}

/*
 * The kernel model's verdict of each column, and what the models
 * predict (once, or per column where they differ): force_flush per
 * page table against batched is what a patch removing flushes shows.
 */
static void text_model(const struct cmp_block *b)
{
	const struct rs_model *shown = NULL;
	char buf[512], first[32];
	bool any = false;

	for (int k = 0; k < b->ncols; k++) {
		if (!b->have_model[k])
			continue;
		snprintf(first, sizeof(first), "  %-*s %c ", NAME_W,
			 any ? "" : "kernel model", b->col[k].label);
		rs_model_verdict(&b->model[k], buf, sizeof(buf));
		print_wrapped(first, "                    ", buf);
		any = true;
	}
	for (int k = 0; k < b->ncols; k++) {
		const struct rs_model *m = &b->model[k];

		if (!b->have_model[k] || (shown &&
		    shown->force_flush == m->force_flush &&
		    shown->batched == m->batched && shown->tables == m->tables))
			continue;
		/* A letter only where a column's predictions differ. */
		snprintf(first, sizeof(first), "  %-*s %c ", NAME_W,
			 shown ? "" : "predicted", shown ? b->col[k].label :
			 ' ');
		rs_model_predicted(m, buf, sizeof(buf));
		print_wrapped(first, "                    ", buf);
		shown = m;
	}
}

static void text_block_end(const struct cmp *c, int i, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	bool multi = b->ncols > 2;

	(void)priv;
	for (int k = 1; b->whole && k < b->ncols; k++)
		put_line("  %-*s %10s %7s %c%10s", NAME_W, k == 1 ?
			 "verdict" : "", k == 1 ? cmp_verdict(&b->col[0]) : "",
			 "", multi ? b->col[k].label : ' ',
			 cmp_verdict(&b->col[k]));
	text_model(b);
	for (int n = 0; n < b->notes.n; n++)
		print_wrapped("  note: ", "        ", b->notes.v[n]);
}

static void text_blocks_end(const struct cmp *c, void *priv)
{
	(void)priv;
	if (c->nunmatched)
		printf("\nNot compared:\n");
}

static void text_unmatched(const struct cmp *c, int i, void *priv)
{
	const struct cmp_unmatched *u = &c->unmatched[i];
	char first[32], text[2300];

	(void)priv;
	snprintf(first, sizeof(first), "  %c:%d ", u->label, u->l->line);
	snprintf(text, sizeof(text), "%s (%s)", u->l->config_line, u->why);
	print_wrapped(first, "      ", text);
}

const struct cmp_renderer cmp_text_renderer = {
	.priv_size = sizeof(struct text_state),
	.begin = text_begin,
	.set = text_set,
	.sets_end = text_sets_end,
	.block = text_block,
	.metric = text_metric,
	.cell = text_cell,
	.block_end = text_block_end,
	.blocks_end = text_blocks_end,
	.unmatched = text_unmatched,
};
