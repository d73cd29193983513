/*
 * tlbbench compare: the medians of result sets side by side, per config
 * line and metric, with how sure each median is and whether each change
 * is real: an 80-column text table for email, or markdown, CSV or JSON.
 * The sets are matched and their numbers computed by
 * lib/analysis/compare.c; this file reads the options and lays out the
 * tables.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "compare.h"
#include "options.h"
#include "resultset.h"
#include "stats.h"
#include "workload.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define WIDTH 80
#define NAME_W 14			/* metric names in the text table */

static const char *const format_names[] = {
	"text", "markdown", "csv", "json", NULL };
/* One unit per quantity, as in report and the figures: flushes per GiB
 * of region, time in µs per operation. */
static const char *const default_metrics[] = {
	"sent/GiB", "recv/GiB", "us/op" };

static void usage(FILE *f)
{
	fprintf(f,
"usage: tlbbench compare [OPTIONS] BASE NEW...\n"
"       tlbbench compare [OPTIONS] --vary PARAM SET\n"
"\n"
"Compares result sets line by line (lines matched by their config text),\n"
"or, with --vary, the lines of one set that differ only in PARAM.\n"
"\n"
"  --format text|markdown|csv|json   output (text: 80 columns)\n"
"  --metrics LIST    comma-separated: sent/GiB, recv/GiB, us/op (or ns/op),\n"
"                    a counter name, or COUNTER/GiB or COUNTER/op; PREFIX*\n"
"                    for every counter so named that is not always 0\n"
"                    (attr.*: the kernel paths of --attribute);\n"
"                    verdict: the kernel model's (force_flush per page\n"
"                    table or batched) [sent/GiB,recv/GiB,us/op,verdict]\n"
"  --vary PARAM      compare values of a workload option, e.g. dirty\n");
}

/* -------------------------------------------------------------------- */
/* Options */

#define refuse(...) cmp_refuse("compare", __VA_ARGS__)

/*
 * The run of config line TEXT with its effective options (defaults
 * filled in, in the option table's order, by lib/measure/options.c) into
 * OUT: how compare and plotdata match lines written differently.  0, or
 * -1 when the workload or an option is unknown here.
 */
int config_line_effective(const char *text, char *out, size_t len)
{
	char *copy = strdup(text), *argv[128], *save, *w;
	const struct workload *wl;
	int argc = 0, n, ret = -1;

	if (!copy)
		abort();
	for (w = strtok_r(copy, " \t", &save); w && argc < 128;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	wl = argc ? find_workload(argv[0]) : NULL;
	n = wl ? snprintf(out, len, "%s ", argv[0]) : 0;
	if (wl && (size_t)n < len &&
	    !options_canonical(wl->options, wl->preset, argc - 1, argv + 1,
			       out + n, len - n))
		ret = 0;
	free(copy);
	return ret;
}

static int parse_metrics(struct cmp *c, const char *list)
{
	char *copy = strdup(list), *save, *tok;
	int ret = 0;

	if (!copy)
		abort();
	c->nmetrics = 0;
	c->metrics_given = true;
	c->show_model = false;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "verdict"))
			c->show_model = true;
		else if (c->nmetrics == CMP_MAX_METRICS)
			ret = refuse("--metrics: more than %d", CMP_MAX_METRICS);
		else if (rs_metric_parse(tok, &c->metric[c->nmetrics]))
			ret = refuse("--metrics: '%s' is not a metric name",
				     tok);
		else
			c->nmetrics++;
	}
	if (!ret && !c->nmetrics && !c->show_model)
		ret = refuse("--metrics: empty list");
	free(copy);
	return ret;
}

/* One option NAME with its value; 0 or -EINVAL. */
static int set_option(struct cmp *c, const char *name, const char *val)
{
	if (!strcmp(name, "--format")) {
		for (int f = 0; format_names[f]; f++) {
			if (!strcmp(val, format_names[f])) {
				c->format = f;
				return 0;
			}
		}
		return refuse("--format: '%s' is not text, markdown, csv or "
			      "json", val);
	}
	if (!strcmp(name, "--metrics"))
		return parse_metrics(c, val);
	if (!*val || strchr(val, ' ') || strchr(val, '='))
		return refuse("--vary: '%s' is not a parameter name", val);
	c->vary = strncmp(val, "--", 2) ? val : val + 2;
	return 0;
}

/*
 * Options may come before or after the sets; "--opt=value" also works.
 * Returns the number of sets (left at the front of ARGV), 0 for --help,
 * or -EINVAL after one line on stderr.
 */
static const struct arg_option compare_options[] = {
	{ "--format", true }, { "--metrics", true }, { "--vary", true },
	{ "--", false },		/* between the sets of two sides */
};

static int compare_set(void *ctx, const char *name, const char *val)
{
	return set_option(ctx, name, val) ? ARGS_REFUSED : 0;
}

static int parse_args(struct cmp *c, int argc, char **argv)
{
	int nsets;

	c->name = "compare";
	c->effective = config_line_effective;
	c->format = FMT_TEXT;
	c->show_model = true;
	for (size_t i = 0; i < ARRAY_SIZE(default_metrics); i++)
		rs_metric_parse(default_metrics[i], &c->metric[c->nmetrics++]);
	nsets = args_parse("compare", compare_options,
			   ARRAY_SIZE(compare_options), argc, argv,
			   compare_set, c);
	if (nsets == ARGS_HELP) {
		usage(stdout);
		return 0;
	}
	if (nsets < 0)
		return -EINVAL;
	return cmp_check_sets(c, nsets, argv);
}


/* -------------------------------------------------------------------- */
/* Formatting helpers */

static const char *sys(const struct cmp_set *s, const char *key)
{
	const char *v = rs_system_string(&s->rs, key);

	return v ? v : "?";
}


/* A value in at most 10 characters, as exact as is readable. */
static void fmt_value(double v, char *buf, size_t len)
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

static void fmt_spread(const struct cmp_cell *x, char *buf, size_t len)
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

static void fmt_change(const struct cmp_cell *x, char *buf, size_t len)
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

static void fmt_change_ci(const struct cmp_cell *x, char *buf, size_t len)
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
/* Text */

static void text_sets(const struct cmp *c)
{
	for (int s = 0; s < c->nsets; s++) {
		const struct cmp_set *st = &c->set[s];
		char head[1024], kind[128], first[16];
		const char *cmd = rs_system_string(&st->rs, "cmdline");

		/* With --vary the letters name values, not sets. */
		snprintf(first, sizeof(first), c->vary ? "Set " : "%c ",
			 'A' + s);
		snprintf(head, sizeof(head), "%s%s: kernel %s, tlbbench %s "
			 "(%s), %s", st->name, c->vary || s ? "" : " (base)",
			 sys(st, "kernel"), sys(st, "tlbbench"),
			 sys(st, "git_revision"), sys(st, "status"));
		print_wrapped(first, "  ", head);
		rs_machine_kind(&st->machine, kind, sizeof(kind));
		snprintf(head, sizeof(head), "%s CPUs, %s%s%s",
			 sys(st, "cpus_online"), sys(st, "cpu_model"),
			 *kind ? ", " : "", kind);
		print_wrapped("  ", "  ", head);
		cmp_set_details(st, head, sizeof(head));
		print_wrapped("  ", "  ", head);
		if (rs_system_string(&st->rs, "profile_event"))
			printf("  profiled (%s): %s/perf/LINE.data, perf report "
			       "-i\n", rs_system_string(&st->rs,
							  "profile_event"),
			       st->name);
		if (s && cmd && rs_system_string(&c->set[0].rs, "cmdline") &&
		    !strcmp(cmd, rs_system_string(&c->set[0].rs, "cmdline")))
			printf("  cmdline as A\n");
		else
			print_cut("  cmdline: ", cmd ? cmd : "?");
	}
}

/* The explanation of the columns, shared by text and markdown. */
static const char columns_text[] =
	"Values are medians over repetitions.  ±: half the width of the 95% "
	"confidence interval of A's median (distribution-free, binomial "
	"order statistics) in % of it.  change: of the median from A, with "
	"a 95% bootstrap interval.  p: Mann-Whitney U, two-sided, ** below "
	"0.01, * below 0.05.  Counts identical in every sample of both are "
	"compared exactly: = equal, ! different.";

/* The words the change column may hold instead of a change. */
static const char scope_text[] =
	"\"scope\" in the change column: a count of another scope than A's "
	"(per CPU, per thread or system wide), not compared.";
static const char kind_text[] =
	"\"kind\" in the change column: a time of another kind of machine "
	"than A's (emulated, another CPU model or count), not compared.";

/* Whether a cell shows WHICH: 0 scope, 1 kind. */
static bool any_token(const struct cmp *c, int which)
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
static const char runs_text[] =
	"With several runs per side (run-bench --runs N, or SET... -- "
	"SET...): a value is the geometric mean of the runs' medians, ± half "
	"its 95% Student t interval between runs, and change, CI and p come "
	"from Welch's t test on the runs' medians (their logs): a run, not a "
	"repetition, is the sample.";

/* Why a time change got no mark. */
static const char untested_text[] =
	"One run per side: time changes get an interval but no p or mark.  "
	"What varies from run to run (the machine's other work, memory "
	"layout, frequency) is larger than the spread inside one run, and "
	"one run cannot measure it; run each side several times (run-bench "
	"--runs N, or compare SET... -- SET...).";

/* Whether a time change was left untested (some may be hidden later). */
static bool any_untested(const struct cmp *c)
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

/* "NAME: what it is", once per metric or whole-run figure shown. */
static void definitions(const struct cmp *c, struct cmp_strs *d)
{
	bool sent = false, recv = false, nsop = false, usop = false;
	bool attr = false, integrity = false, race = false;

	for (int m = 0; m < c->nmetrics; m++) {
		const char *n = c->metric[m].name;

		if (!strcmp(n, "sent/GiB") && !sent) {
			sent = true;
			cmp_strs_add(d, "sent/GiB: flushes sent with IPIs (%s) per "
				 "GiB of region", RS_SENT);
		} else if (!strcmp(n, "recv/GiB") && !recv) {
			recv = true;
			cmp_strs_add(d, "recv/GiB: shootdowns received (%s) per "
				 "GiB", RS_RECV);
		} else if (!strcmp(n, "us/op") && !usop) {
			usop = true;
			cmp_strs_add(d, "us/op: microseconds per operation (the "
				 "measured kernel call)");
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
			cmp_strs_add(d, "attr.PATH: flushes sent with IPIs (%s) "
				 "from that kernel path, sampled with their "
				 "call chains (--attribute); attr.REASON.PATH: "
				 "of tlb_flush.REASON", RS_SENT);
		}
	}
	for (int i = 0; i < c->nblocks; i++) {
		const struct cmp_block *b = &c->block[i];

		if (!b->whole)
			continue;
		race = race || !strcmp(rs_workload(b->col[0].l), "race");
		integrity = integrity ||
			    strcmp(rs_workload(b->col[0].l), "race");
	}
	for (int w = 0; w < 2; w++) {
		size_t n;
		const struct cmp_whole_figure *f =
			cmp_whole_figures(w ? "race" : "integrity", &n);
		char buf[2048];
		size_t len;

		if (!(w ? race : integrity))
			continue;
		len = snprintf(buf, sizeof(buf), "%s lines are whole runs, one "
			       "record each: their own figures and verdict "
			       "instead of the metrics, and no interval or p "
			       "(", w ? "race" : "integrity");
		for (size_t i = 0; i < n && len < sizeof(buf); i++)
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s%s: %s", i ? "; " : "", f[i].name,
					f[i].what);
		if (len < sizeof(buf))
			snprintf(buf + len, sizeof(buf) - len, ")");
		cmp_strs_add(d, "%s", buf);
	}
}

static void text_legend(const struct cmp *c)
{
	struct cmp_strs d = { 0 };
	char buf[8192] = "";
	size_t len = 0;

	print_wrapped("", "", columns_text);
	if (any_token(c, 0))
		print_wrapped("", "", scope_text);
	if (any_token(c, 1))
		print_wrapped("", "", kind_text);
	if (c->by_runs)
		print_wrapped("", "", runs_text);
	if (any_untested(c))
		print_wrapped("", "", untested_text);
	definitions(c, &d);
	for (int i = 0; i < d.n && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? "; " : "", d.v[i]);
	if (d.n && len < sizeof(buf) - 1)
		strcat(buf, ".");
	if (d.n)
		print_wrapped("", "", buf);
	cmp_strs_free(&d);
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

static void text_block(const struct cmp *c, const struct cmp_block *b)
{
	bool multi = b->ncols > 2;
	char head[16];

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
	snprintf(head, sizeof(head), "%s", multi ? "new" : "B");
	/* "±" is two bytes in one column. */
	put_line("  %-*s %10s %8s  %10s %8s  %-15s %s", NAME_W, "metric", "A",
		 "±", head, "change", "95% CI", "p");
	for (int m = 0; m < b->nmetrics; m++) {
		const char *name = b->metric[m].name;
		const struct cmp_cell *a = cmp_cell_at(b, m, 0);
		char av[32], as[16];

		if ((int)strlen(name) > NAME_W) {
			put_line("  %s", name);
			name = "";
		}
		fmt_value(a->counted ? cmp_cell_value(a) : NAN, av, sizeof(av));
		fmt_spread(a, as, sizeof(as));
		for (int k = 1; k < b->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(b, m, k);
			char v[32], ch[16], ci[40];

			fmt_value(x->counted ? cmp_cell_value(x) : NAN, v, sizeof(v));
			fmt_change(x, ch, sizeof(ch));
			fmt_change_ci(x, ci, sizeof(ci));
			put_line("  %-*s %10s %7s %c%10s %8s  %-15s %s", NAME_W,
				 k == 1 ? name : "", k == 1 ? av : "",
				 k == 1 ? as : "",
				 multi ? b->col[k].label : ' ', v, ch, ci,
				 cmp_mark(x));
		}
	}
	for (int k = 1; b->whole && k < b->ncols; k++)
		put_line("  %-*s %10s %7s %c%10s", NAME_W, k == 1 ?
			 "verdict" : "", k == 1 ? cmp_verdict(&b->col[0]) : "", "",
			 multi ? b->col[k].label : ' ', cmp_verdict(&b->col[k]));
	text_model(b);
	for (int i = 0; i < b->notes.n; i++)
		print_wrapped("  note: ", "        ", b->notes.v[i]);
}

static void text_unmatched(const struct cmp *c)
{
	if (!c->nunmatched)
		return;
	printf("\nNot compared:\n");
	for (int i = 0; i < c->nunmatched; i++) {
		const struct cmp_unmatched *u = &c->unmatched[i];
		char first[32], text[2300];

		snprintf(first, sizeof(first), "  %c:%d ", u->label,
			 u->l->line);
		snprintf(text, sizeof(text), "%s (%s)", u->l->config_line,
			 u->why);
		print_wrapped(first, "      ", text);
	}
}

static void print_text(const struct cmp *c)
{
	if (c->vary)
		printf("tlbbench compare: lines of one set that differ only in "
		       "--%s\n", c->vary);
	else
		printf("tlbbench compare: %d result sets, A is the base\n",
		       c->nsets);
	text_sets(c);
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
	for (int i = 0; i < c->nblocks; i++)
		text_block(c, &c->block[i]);
	text_unmatched(c);
}

/* -------------------------------------------------------------------- */
/* Markdown */

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

	fmt_value(x->counted ? cmp_cell_value(x) : NAN, v, sizeof(v));
	fmt_spread(x, sp, sizeof(sp));
	printf(" %s | %s | %zu |", v, sp, x->s.n);
	if (!change)
		return;
	fmt_change(x, ch, sizeof(ch));
	fmt_change_ci(x, ci, sizeof(ci));
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

/*
 * One table to paste into a posting as is: the sets, a note when times
 * are not compared, then a row per line and metric (and new set, when
 * there are several), the notes by line number, and the definitions.
 */
static void print_markdown(const struct cmp *c)
{
	struct cmp_strs d = { 0 };
	bool rows = false;		/* a row per new column */

	for (int i = 0; i < c->nblocks; i++)
		rows |= c->block[i].ncols > 2;
	printf("**tlbbench compare%s%s**\n\n", c->vary ? ": --" : "",
	       c->vary ? c->vary : "");
	printf("| set | name | kernel | machine | run on | tlbbench | status |\n"
	       "|---|---|---|---|---|---|---|\n");
	for (int s = 0; s < c->nsets; s++) {
		const struct cmp_set *st = &c->set[s];
		char kind[128], details[1024];

		rs_machine_kind(&st->machine, kind, sizeof(kind));
		cmp_set_details(st, details, sizeof(details));
		if (c->vary)
			printf("| | ");
		else
			printf("| %c%s | ", 'A' + s, s ? "" : " (base)");
		md_escape(st->name);
		printf(" | %s | %s CPUs, ", sys(st, "kernel"),
		       sys(st, "cpus_online"));
		md_escape(sys(st, "cpu_model"));
		printf("%s%s | ", *kind ? ", " : "", kind);
		md_escape(details);
		printf(" | %s (%s) | %s |\n", sys(st, "tlbbench"),
		       sys(st, "git_revision"), sys(st, "status"));
	}
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
	if (rows)
		printf("| # | line | metric | A | ± | n | new | median | ± | n | "
		       "change | 95%% CI | p |\n"
		       "|--:|---|---|--:|--:|--:|---|--:|--:|--:|--:|---|---|\n");
	else
		printf("| # | line | metric | A | ± | n | B | ± | n | change | "
		       "95%% CI | p |\n"
		       "|--:|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
	for (int i = 0; i < c->nblocks; i++) {
		const struct cmp_block *b = &c->block[i];
		bool first = true;

		for (int m = 0; m < b->nmetrics; m++) {
			for (int k = 1; k < b->ncols; k++) {
				if (first)
					printf("| %d | `%s` |", i + 1,
					       b->title);
				else
					printf("| | |");
				printf(" %s |", k == 1 ? b->metric[m].name :
				       "");
				if (k == 1)
					md_cells(b, m, 0, false);
				else
					printf(" | | |");
				if (rows)
					printf(" %c |", b->col[k].label);
				md_cells(b, m, k, true);
				putchar('\n');
				first = false;
				if (!rows)
					break;
			}
		}
		for (int k = 1; b->whole && k < b->ncols; k++) {
			printf("| | | %s | %s | | |", k == 1 ? "verdict" : "",
			       k == 1 ? cmp_verdict(&b->col[0]) : "");
			if (rows)
				printf(" %c |", b->col[k].label);
			printf(" %s | | | | | |\n", cmp_verdict(&b->col[k]));
			if (!rows)
				break;
		}
		md_model(b, rows);
	}
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
	printf("%s\n\n", columns_text);
	if (any_token(c, 0))
		printf("%s\n\n", scope_text);
	if (any_token(c, 1))
		printf("%s\n\n", kind_text);
	if (c->by_runs)
		printf("%s\n\n", runs_text);
	if (any_untested(c))
		printf("%s\n\n", untested_text);
	definitions(c, &d);
	for (int i = 0; i < d.n; i++)
		printf("- %s\n", d.v[i]);
	cmp_strs_free(&d);
	for (int i = 0, first = 1; i < c->nblocks; i++) {
		const struct cmp_block *b = &c->block[i];
		char pred[256];

		for (int n = 0; n < b->notes.n; n++, first = 0)
			printf("%s- #%d: %s\n", first ? "\nNotes:\n\n" : "",
			       i + 1, b->notes.v[n]);
		for (int k = 0; k < b->ncols; k++, first = 0) {
			if (!b->have_model[k] || (k && b->have_model[0] &&
			    b->model[k].force_flush == b->model[0].force_flush &&
			    b->model[k].batched == b->model[0].batched))
				continue;
			rs_model_predicted(&b->model[k], pred, sizeof(pred));
			printf("%s- #%d: %c kernel model predicted: %s\n",
			       first ? "\nNotes:\n\n" : "", i + 1,
			       b->col[k].label, pred);
		}
	}
	if (c->nunmatched)
		printf("\nNot compared:\n\n");
	for (int i = 0; i < c->nunmatched; i++) {
		const struct cmp_unmatched *u = &c->unmatched[i];

		printf("- %c line %d `%s` (%s)\n", u->label, u->l->line,
		       u->l->config_line, u->why);
	}
}

/* -------------------------------------------------------------------- */
/* CSV */

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

static const char *test_name(const struct cmp_cell *x)
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

static void print_csv(const struct cmp *c)
{
	printf("block,title,metric,base,base_set,base_line,base_n,"
	       "base_median,base_ci_lo,base_ci_hi,base_ci_level,base_cv,"
	       "new,new_set,new_line,new_n,new_median,new_ci_lo,new_ci_hi,"
	       "new_ci_level,new_cv,change_pct,change_ci_lo,change_ci_hi,p,"
	       "test,mark,base_runs,base_value,new_runs,new_value,mde_pct,"
	       "base_model,new_model\n");
	for (int i = 0; i < c->nblocks; i++) {
		const struct cmp_block *b = &c->block[i];

		for (int m = 0; m < b->nmetrics; m++) {
			const struct cmp_cell *a = cmp_cell_at(b, m, 0);

			for (int k = 1; k < b->ncols; k++) {
				const struct cmp_cell *x = cmp_cell_at(b, m, k);
				const struct cmp_col *ca = &b->col[0];
				const struct cmp_col *cb = &b->col[k];

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
				printf(",%s,%s", test_name(x), cmp_mark(x));
				csv_runs(a);
				csv_runs(x);
				csv_num(x->have_change && x->ch.runs ?
					x->ch.mde_pct : NAN);
				printf(",%s,%s\n", b->have_model[0] ?
				       b->model[0].verdict : "",
				       b->have_model[k] ?
				       b->model[k].verdict : "");
			}
		}
	}
}

/* -------------------------------------------------------------------- */
/* JSON */

/* A number with 9 significant digits (tables must not churn on the
 * last bits), or null for NaN and infinity, which JSON lacks. */
static struct json_object *jnum(double v)
{
	char buf[32];

	if (!isfinite(v))
		return NULL;
	snprintf(buf, sizeof(buf), "%.9g", v);
	return json_object_new_double_s(strtod(buf, NULL), buf);
}

static struct json_object *jlabel(char label)
{
	char s[2] = { label, '\0' };

	return json_object_new_string(s);
}

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void jadd(struct json_object *o, const char *key,
		 struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *json_sets(const struct cmp *c)
{
	struct json_object *arr = json_object_new_array();

	for (int s = 0; s < c->nsets; s++) {
		const struct cmp_set *st = &c->set[s];
		struct json_object *o = json_object_new_object(), *v;
		char kind[128], details[1024];
		static const char *const keys[] = {
			"kernel", "cmdline", "cpu_model", "tlbbench",
			"git_revision", "status" };

		if (!c->vary)
			jadd(o, "label", jlabel('A' + s));
		jadd(o, "name", json_object_new_string(st->name));
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			jadd(o, keys[k], jstr(rs_system_string(&st->rs,
							       keys[k])));
		json_object_object_get_ex(st->rs.system, "cpus_online", &v);
		jadd(o, "cpus_online", json_object_get(v));
		rs_machine_kind(&st->machine, kind, sizeof(kind));
		jadd(o, "machine", jstr(*kind ? kind : NULL));
		cmp_set_details(st, details, sizeof(details));
		jadd(o, "details", json_object_new_string(details));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *json_cell(const struct cmp *c,
				     const struct cmp_block *b, int m, int k)
{
	const struct cmp_cell *x = cmp_cell_at(b, m, k);
	const struct cmp_col *col = &b->col[k];
	struct json_object *o = json_object_new_object(), *ci;

	jadd(o, "label", jlabel(col->label));
	jadd(o, "line", col->l ? json_object_new_int(col->l->line) : NULL);
	if (c->vary)
		jadd(o, "value", json_object_new_string(col->value));
	jadd(o, "scope", col->l ? json_object_new_string(rs_scope(col->l)) :
	     NULL);
	jadd(o, "counted", json_object_new_boolean(x->counted));
	if (x->other_scope)
		jadd(o, "not_compared", json_object_new_string(b->scopes));
	if (x->other_kind)
		jadd(o, "not_compared", json_object_new_string(
			c->kind[col->set - c->set]));
	if (!x->counted) {
		jadd(o, "why", jstr(x->why));
		return o;
	}
	jadd(o, "n", json_object_new_int(x->s.n));
	jadd(o, "median", jnum(x->s.median));
	jadd(o, "mean", jnum(x->s.mean));
	jadd(o, "sd", jnum(x->s.sd));
	jadd(o, "cv_pct", jnum(x->s.cv));
	jadd(o, "min", jnum(x->s.min));
	jadd(o, "max", jnum(x->s.max));
	ci = json_object_new_array();
	json_object_array_add(ci, jnum(x->s.ci_lo));
	json_object_array_add(ci, jnum(x->s.ci_hi));
	jadd(o, "median_ci", ci);
	jadd(o, "median_ci_level", jnum(x->s.ci_level));
	jadd(o, "median_ci_method", json_object_new_string(
		"order statistics (binomial, distribution-free)"));
	jadd(o, "noise_median", x->have_noise ? jnum(x->noise) : NULL);
	/* The value shown, and with several runs, how much they vary. */
	jadd(o, "runs", json_object_new_int(x->r.k));
	jadd(o, "value", jnum(cmp_cell_value(x)));
	ci = json_object_new_array();
	json_object_array_add(ci, jnum(cmp_cell_lo(x)));
	json_object_array_add(ci, jnum(cmp_cell_hi(x)));
	jadd(o, "value_ci", ci);
	jadd(o, "value_method", json_object_new_string(x->r.k > 1 ?
		"geometric mean of the runs' medians, Student t interval" :
		"median, order statistics interval"));
	if (x->r.k > 1)
		jadd(o, "run_to_run_cv_pct", jnum(x->r.cv));
	if (!x->have_change)
		return o;
	jadd(o, "change_pct", jnum(x->ch.pct));
	ci = json_object_new_array();
	json_object_array_add(ci, jnum(x->ch.pct_lo));
	json_object_array_add(ci, jnum(x->ch.pct_hi));
	jadd(o, "change_ci", ci);
	jadd(o, "change_ci_method", json_object_new_string(x->ch.exact ?
		"exact counts" : isnan(x->ch.pct_lo) ? "none" :
		x->ch.runs ? "Welch t on the runs' medians" :
		"percentile bootstrap, fixed seed"));
	jadd(o, "p", jnum(x->ch.p));
	/* What a test over repetitions says, kept to show why it is not
	 * the test: the A/A benchmark counts how often it is fooled. */
	if (!x->ch.exact && rs_metric_is_time(&b->metric[m]))
		jadd(o, "p_repetitions", jnum(x->p_reps));
	if (x->ch.runs) {
		jadd(o, "df", jnum(x->ch.df));
		jadd(o, "mde_pct", jnum(x->ch.mde_pct));
	}
	jadd(o, "test", json_object_new_string(test_name(x)));
	jadd(o, "mark", json_object_new_string(cmp_mark(x)));
	return o;
}

/* Per column label: the kernel model's verdict and predictions. */
static struct json_object *json_model(const struct cmp_block *b)
{
	struct json_object *o = NULL;

	for (int k = 0; k < b->ncols; k++) {
		const struct rs_model *m = &b->model[k];
		struct json_object *v = json_object_new_object();
		char label[2] = { b->col[k].label, '\0' };

		if (!b->have_model[k]) {
			json_object_put(v);
			continue;
		}
		if (!o)
			o = json_object_new_object();
		jadd(v, "verdict", json_object_new_string(m->verdict));
		jadd(v, "samples", json_object_new_int(m->n));
		jadd(v, "agree", json_object_new_int(m->agree));
		jadd(v, "flushes_per_op", jnum(m->measured));
		jadd(v, "predict_force_flush", jnum(m->force_flush));
		jadd(v, "predict_batched", jnum(m->batched));
		jadd(v, "dirty_tables", m->tables >= 0 ? jnum(m->tables) :
		     NULL);
		jadd(v, "distinct", json_object_new_boolean(m->distinct));
		jadd(o, label, v);
	}
	return o;
}

static struct json_object *json_block(const struct cmp *c,
				      const struct cmp_block *b)
{
	struct json_object *o = json_object_new_object();
	struct json_object *metrics = json_object_new_array();
	struct json_object *notes = json_object_new_array();

	jadd(o, "title", json_object_new_string(b->title));
	jadd(o, "whole_run", json_object_new_boolean(b->whole));
	if (b->whole) {
		struct json_object *v = json_object_new_object();

		for (int k = 0; k < b->ncols; k++) {
			char label[2] = { b->col[k].label, '\0' };

			jadd(v, label, json_object_new_string(
				cmp_verdict(&b->col[k])));
		}
		jadd(o, "verdicts", v);
	}
	for (int m = 0; m < b->nmetrics; m++) {
		struct json_object *mo = json_object_new_object();
		struct json_object *cols = json_object_new_array();

		jadd(mo, "metric", json_object_new_string(b->metric[m].name));
		jadd(mo, "counter", b->metric[m].counter[0] ?
		     json_object_new_string(b->metric[m].counter) :
		     json_object_new_string("ns"));
		jadd(mo, "per", json_object_new_string(
			b->metric[m].per == RS_PER_GIB ? "GiB" :
			b->metric[m].per == RS_PER_OP ? "op" : "sample"));
		for (int k = 0; k < b->ncols; k++)
			json_object_array_add(cols, json_cell(c, b, m, k));
		jadd(mo, "columns", cols);
		json_object_array_add(metrics, mo);
	}
	jadd(o, "metrics", metrics);
	jadd(o, "kernel_model", json_model(b));
	/* Counts of another scope than A's are given without a change. */
	jadd(o, "counts_not_compared", jstr(b->scopes[0] ? b->scopes : NULL));
	for (int i = 0; i < b->notes.n; i++)
		json_object_array_add(notes,
				      json_object_new_string(b->notes.v[i]));
	jadd(o, "notes", notes);
	return o;
}

static void print_json(const struct cmp *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *blocks = json_object_new_array();
	struct json_object *un = json_object_new_array();
	struct json_object *warn = json_object_new_array();

	jadd(o, "vary", jstr(c->vary));
	jadd(o, "sets", json_sets(c));
	for (int i = 0; i < c->warnings.n; i++)
		json_object_array_add(warn,
				      json_object_new_string(c->warnings.v[i]));
	jadd(o, "warnings", warn);
	if (c->any_kind) {
		char note[2048];

		cmp_kind_note(c, note, sizeof(note));
		jadd(o, "times_not_compared", json_object_new_string(note));
	}
	if (any_untested(c))
		jadd(o, "times_untested", json_object_new_string(
			untested_text));
	if (c->by_runs)
		jadd(o, "runs_method", json_object_new_string(runs_text));
	for (int i = 0; i < c->nblocks; i++)
		json_object_array_add(blocks, json_block(c, &c->block[i]));
	jadd(o, "blocks", blocks);
	for (int i = 0; i < c->nunmatched; i++) {
		const struct cmp_unmatched *u = &c->unmatched[i];
		struct json_object *uo = json_object_new_object();

		jadd(uo, "label", jlabel(u->label));
		jadd(uo, "line", json_object_new_int(u->l->line));
		jadd(uo, "config_line",
		     json_object_new_string(u->l->config_line));
		jadd(uo, "why", json_object_new_string(u->why));
		json_object_array_add(un, uo);
	}
	jadd(o, "unmatched", un);
	printf("%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Exit status: 0 compared, 1 nothing to compare, 2 bad input. */
int cmd_compare(int argc, char **argv)
{
	static struct cmp c;
	int n, ret = 2;

	n = parse_args(&c, argc, argv);
	if (n <= 0)
		return n ? 2 : 0;
	if (cmp_load(&c, argv, n))
		goto out;
	if (!c.metrics_given)
		cmp_victim_metrics(&c);
	if (cmp_expand_metrics(&c))
		goto out;
	for (int m = 0; m < c.nmetrics; m++) {
		bool found = !c.metric[m].counter[0];

		for (int s = 0; !found && s < c.nsets; s++)
			found = rs_has_counter(&c.set[s].rs,
					       c.metric[m].counter);
		if (!found) {
			refuse("--metrics: no counter '%s' in any result set",
			       c.metric[m].counter);
			goto out;
		}
	}
	if (cmp_match(&c))
		goto out;
	cmp_compute(&c);

	switch (c.format) {
	case FMT_TEXT:
		print_text(&c);
		break;
	case FMT_MARKDOWN:
		print_markdown(&c);
		break;
	case FMT_CSV:
		print_csv(&c);
		break;
	case FMT_JSON:
		print_json(&c);
		break;
	}
	ret = 0;
	if (!c.nblocks) {
		fprintf(stderr, "tlbbench: compare: no line to compare\n");
		ret = 1;
	}
out:
	cmp_free(&c);
	return ret;
}
