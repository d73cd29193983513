/*
 * How plotdata lays a comparison out for gnuplot: the files of a figure
 * and their variables, the labels of the lines (the options they do not
 * share), the series and the footer, scales, ticks and bars.  The
 * figures themselves are in plot_figures.c.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_file.h"
#include "plot.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define REASON_METRIC(value, name) "tlb_flush." #name "/GiB",

const char *const plot_metric_names[PLOT_NMETRICS] = {
	"sent/GiB", "recv/GiB", "ns/op",
	TLB_FLUSH_REASONS(REASON_METRIC)
};
/* Repetition options say how long a line ran, not what it measured. */
static const char *const unlabelled[] = {
	"reps", "warmup", "target-ci", "max-reps", "format",
};

/* -------------------------------------------------------------------- */
/* Files */

int plot_out_open(struct plot_out *o, const struct plot *p,
		  const char *name, const char *ext)
{
	snprintf(o->path, sizeof(o->path), "%s/%s%s", p->dir, name, ext);
	o->f = fopen(o->path, "w");
	if (!o->f) {
		int err = errno;

		fprintf(stderr, "tlbbench: plotdata: %s: %s\n", o->path,
			strerror(err));
		return -err;
	}
	return 0;
}

int plot_out_close(struct plot_out *o)
{
	int bad = ferror(o->f), err = EIO;

	if (fclose(o->f))
		err = errno;
	else if (!bad)
		return 0;
	fprintf(stderr, "tlbbench: plotdata: %s: %s\n", o->path,
		strerror(err));
	return -EIO;
}

/*
 * TEXT as an inert gnuplot string expression.  Text from a result set is
 * untrusted: gnuplot runs `...` inside double-quoted strings as a shell
 * command, and expands @macros outside quotes.  Single-quoted strings
 * take neither (nor backslash escapes; '' is a quote), so each line goes
 * in single quotes and line ends are joined in as "\n".  Other control
 * characters become spaces.
 */
static void gp_quoted(FILE *f, const char *text)
{
	fputc('\'', f);
	for (; *text; text++) {
		if (*text == '\n')
			fputs("'.\"\\n\".'", f);
		else if ((unsigned char)*text < ' ' || *text == 0x7f)
			fputc(' ', f);
		else if (*text == '\'')
			fputs("''", f);
		else
			fputc(*text, f);
	}
	fputc('\'', f);
}

void gp_str(FILE *f, const char *name, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(f, "%s = ", name);
	gp_quoted(f, buf);
	fputc('\n', f);
}

void gp_num(FILE *f, const char *name, double v)
{
	if (isfinite(v))
		fprintf(f, "%s = %.9g\n", name, v);
	else
		fprintf(f, "%s = NaN\n", name);
}

/* A label field of a .tsv: no tabs or line ends inside. */
void plot_tsv_text(FILE *f, const char *text)
{
	for (; *text; text++)
		fputc((unsigned char)*text < ' ' ? ' ' : *text, f);
}

/* Which series the figure shows (it names only those). */
void gp_present(FILE *f, const bool *present, int n)
{
	fprintf(f, "array present[%d] = [", n);
	for (int s = 0; s < n; s++)
		fprintf(f, "%s%d", s ? ", " : "", present[s]);
	fprintf(f, "]\n");
}

/* The variables every figure has, and its title lines. */
void gp_common(const struct plot *p, FILE *f, const char *title,
	       const char *subtitle, const char *note)
{
	bool all[CMP_MAX_COLS];
	const char *nl;
	int lines = 1;

	for (nl = p->footer; (nl = strchr(nl, '\n')); nl++)
		lines++;
	gp_str(f, "title", "%s", title);
	gp_str(f, "subtitle", "%s", subtitle);
	gp_str(f, "note", "%s", note);
	gp_str(f, "footer", "%s", p->footer);
	fprintf(f, "footer_lines = %d\nlabel_lines = %d\nlabel_chars = %d\n",
		lines, p->label_lines, p->label_chars);
	fprintf(f, "nseries = %d\narray sname[%d]\n", p->nseries,
		p->nseries);
	for (int s = 0; s < p->nseries; s++) {
		char name[32];

		snprintf(name, sizeof(name), "sname[%d]", s + 1);
		gp_str(f, name, "%s", p->series[s]);
		all[s] = true;
	}
	gp_present(f, all, p->nseries);
}


void plot_add_figure(struct plot *p, const char *kind, const char *name)
{
	fprintf(p->figures, "%s %s\n", kind, name);
}

/* -------------------------------------------------------------------- */
/* Labels */

static bool unlabelled_opt(const char *opt, const char *vary)
{
	if (vary && !strcmp(opt, vary))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(unlabelled); i++)
		if (!strcmp(opt, unlabelled[i]))
			return true;
	return false;
}

/*
 * The items of config line TEXT: the workload, then each option with its
 * value; repetition options and SKIP (the --vary parameter) are left out.
 */
int plot_items_of(const char *text, const char *skip,
		  struct plot_item *it, int max)
{
	char *copy = strdup(text), *w[PLOT_MAX_ITEMS * 2];
	int nw, n = 0;

	if (!copy)
		abort();
	nw = config_words(copy, w, ARRAY_SIZE(w));
	for (int i = 0; i < nw && n < max;) {
		struct plot_item *x = &it[n];
		struct config_item ci;

		i = config_item((const char *const *)w, nw, i, &ci);
		memset(x, 0, sizeof(*x));
		if (!ci.opt) {
			snprintf(x->text, sizeof(x->text), "%s", w[ci.first]);
			n++;
			continue;
		}
		snprintf(x->opt, sizeof(x->opt), "%.*s", (int)ci.optlen,
			 ci.opt);
		snprintf(x->value, sizeof(x->value), "%s",
			 ci.value ? ci.value : "");
		if (unlabelled_opt(x->opt, skip))
			continue;
		snprintf(x->text, sizeof(x->text), "--%s%s%s", x->opt,
			 *x->value ? " " : "", x->value);
		n++;
	}
	free(copy);
	return n;
}

bool plot_has_item(const struct plot_item *it, int n, const char *text)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(it[i].text, text))
			return true;
	return false;
}

void plot_append(char *buf, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

/* Whether block B runs with item X: written so, or as its default. */
static bool runs_with(const struct cmp_block *b,
		      const struct plot_item *it, int n,
		      const struct plot_item *x)
{
	const char *v;

	if (plot_has_item(it, n, x->text))
		return true;
	if (!*x->opt)
		return false;
	for (int i = 0; i < n; i++)
		if (!strcmp(it[i].opt, x->opt))
			return false;
	v = rs_param(b->col[0].l, x->opt);
	return v && !strcmp(v, x->value);
}

/*
 * What all blocks run with goes in the subtitle (p->common); each block
 * is labelled with the rest of its items, one per label line.
 */
void plot_make_labels(struct plot *p)
{
	struct cmp *c = &p->c;
	struct plot_item *it = calloc((size_t)c->nblocks * PLOT_MAX_ITEMS,
				      sizeof(*it));
	int *n = calloc(c->nblocks, sizeof(*n));
	bool *dup = calloc(c->nblocks, sizeof(*dup));

	p->label = calloc(c->nblocks, sizeof(*p->label));
	if (!it || !n || !dup || !p->label)
		abort();
	for (int b = 0; b < c->nblocks; b++)
		n[b] = plot_items_of(c->block[b].title, c->vary,
				     it + b * PLOT_MAX_ITEMS, PLOT_MAX_ITEMS);
	for (int b = 0; b < c->nblocks; b++) {
		const struct plot_item *x = it + b * PLOT_MAX_ITEMS;

		for (int i = 0; i < n[b]; i++) {
			char text[200], *bar;
			bool all = true;

			for (int o = 0; o < c->nblocks && all; o++)
				all = runs_with(&c->block[o],
						it + o * PLOT_MAX_ITEMS, n[o],
						&x[i]);
			if (all) {
				if (!strstr(p->common, x[i].text))
					plot_append(p->common,
						    sizeof(p->common), " ",
						    x[i].text);
				continue;
			}
			snprintf(text, sizeof(text), "%s", x[i].text);
			while ((bar = strchr(text, '|')))
				*bar = '/';
			plot_append(p->label[b], sizeof(p->label[b]), "|",
				    text);
		}
	}
	/* Lines that differ only in repetitions: say which line. */
	for (int b = 0; b < c->nblocks; b++) {
		dup[b] = !*p->label[b];
		for (int o = 0; o < c->nblocks && !dup[b]; o++)
			dup[b] = o != b && !strcmp(p->label[o], p->label[b]);
	}
	for (int b = 0; b < c->nblocks; b++) {
		char line[32];

		if (!dup[b])
			continue;
		snprintf(line, sizeof(line), "(line %d)",
			 c->block[b].col[0].l->line);
		plot_append(p->label[b], sizeof(p->label[b]), "|", line);
	}
	for (int b = 0; b < c->nblocks; b++) {
		int lines = 1;

		for (const char *bar = p->label[b]; (bar = strchr(bar, '|'));
		     bar++)
			lines++;
		if (lines > p->label_lines)
			p->label_lines = lines;
		/* On one line, items are joined by ", ". */
		if ((int)strlen(p->label[b]) + lines > p->label_chars)
			p->label_chars = strlen(p->label[b]) + lines;
	}
	if (*p->common) {
		char all[sizeof(p->common)];

		snprintf(all, sizeof(all), "%s", p->common);
		/* Without a common workload the items read as a list. */
		snprintf(p->common, sizeof(p->common), "%s%.1000s",
			 strncmp(all, it[0].text, strlen(it[0].text)) ?
			 "every line: " : "", all);
	}
	free(dup);
	free(n);
	free(it);
}

/* -------------------------------------------------------------------- */
/* Series, footer, note */

/*
 * The series (bar colour, legend entry) of column K of B: its set, or
 * with --vary its value; -1 for a value the line already has (a config
 * that repeats a line), which is not drawn.
 */
int plot_series_of(const struct plot *p, const struct cmp_block *b, int k)
{
	if (!p->c.vary)
		return k;
	for (int j = 0; j < k; j++)
		if (!strcmp(b->col[j].value, b->col[k].value))
			return -1;
	for (int s = 0; s < p->nseries; s++)
		if (!strcmp(p->value[s], b->col[k].value))
			return s;
	return -1;
}

static void set_desc(const struct cmp_set *s, char *buf, size_t len)
{
	const char *model = rs_system_string(&s->rs, "cpu_model");
	const char *cpus = rs_system_string(&s->rs, "cpus_online");
	const char *rev = rs_system_string(&s->rs, "git_revision");
	char kind[128];

	rs_machine_kind(&s->machine, kind, sizeof(kind));
	snprintf(buf, len, "%s, %s CPUs%s%s; tlbbench %s%s%s%s",
		 model ? model : "unknown CPU", cpus ? cpus : "?",
		 *kind ? ", " : "", kind,
		 rs_system_string(&s->rs, "tlbbench"), rev ? " (" : "",
		 rev ? rev : "", rev ? ")" : "");
}

void plot_make_series(struct plot *p)
{
	struct cmp *c = &p->c;
	char desc[CMP_MAX_COLS][512];
	bool same = true;

	for (int s = 0; s < c->nsets; s++) {
		set_desc(&c->set[s], desc[s], sizeof(desc[s]));
		same = same && !strcmp(desc[s], desc[0]);
	}
	if (c->vary) {
		for (int b = 0; b < c->nblocks; b++) {
			for (int k = 0; k < c->block[b].ncols; k++) {
				const struct cmp_col *col = c->block[b].col;
				const char *v = col[k].value;
				bool known = false;
				int j;

				for (j = 0; j < k; j++)
					if (!strcmp(col[j].value, v))
						break;
				if (j < k) {
					fprintf(stderr, "tlbbench: plotdata: "
						"line %d repeats line %d: not "
						"drawn\n", col[k].l->line,
						col[j].l->line);
					continue;
				}
				for (int s = 0; s < p->nseries; s++)
					known |= !strcmp(p->value[s], v);
				if (known || p->nseries == CMP_MAX_COLS)
					continue;
				snprintf(p->value[p->nseries],
					 sizeof(p->value[0]), "%s", v);
				snprintf(p->series[p->nseries],
					 sizeof(p->series[0]), "%c: --%s %s",
					 'A' + p->nseries, c->vary, v);
				p->nseries++;
			}
		}
		snprintf(p->footer, sizeof(p->footer), "%s: kernel %s; %s",
			 c->set[0].name,
			 rs_system_string(&c->set[0].rs, "kernel"), desc[0]);
		return;
	}
	p->nseries = c->nsets;
	for (int s = 0; s < c->nsets; s++) {
		const char *kernel = rs_system_string(&c->set[s].rs, "kernel");
		bool dup = false;

		for (int o = 0; o < c->nsets; o++)
			dup = dup || (o != s && !strcmp(kernel,
				rs_system_string(&c->set[o].rs, "kernel")));
		snprintf(p->series[s], sizeof(p->series[s]), "%c: %s%s%s%s",
			 'A' + s, kernel, dup ? " (" : "",
			 dup ? c->set[s].name : "", dup ? ")" : "");
	}
	if (same) {
		snprintf(p->footer, sizeof(p->footer), "%s", desc[0]);
		return;
	}
	for (int s = 0; s < c->nsets; s++) {
		char one[600];

		snprintf(one, sizeof(one), "%c: %.500s", 'A' + s, desc[s]);
		plot_append(p->footer, sizeof(p->footer), "\n", one);
	}
}

void plot_make_note(struct plot *p)
{
	bool short_ci = false, runs = false;

	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int m = 0; m < p->c.nmetrics; m++)
			for (int k = 0; k < bl->ncols; k++) {
				const struct cmp_cell *x =
					cmp_cell_at(bl, m, k);

				short_ci |= x->counted && x->r.k < 2 &&
					    x->s.ci_short;
				runs |= x->counted && x->r.k > 1;
			}
	}
	if (runs) {
		snprintf(p->note, sizeof(p->note), "bars: geometric means of "
			 "the runs' medians (a set of one run: the median); "
			 "whiskers: 95%% interval between runs (Student t)");
		return;
	}
	snprintf(p->note, sizeof(p->note), "bars: medians over repetitions; "
		 "whiskers: 95%% confidence interval of the median "
		 "(distribution-free)%s", short_ci ? "; fewer than 6 "
		 "repetitions: min to max, below 95%" : "");
}

/*
 * Counts of another scope than A's get no change bar (compare leaves them
 * uncompared): a footer line of every figure says so, and so does one
 * line on stderr.
 */
void plot_note_scopes(struct plot *p)
{
	const char *scopes = NULL;
	char line[400];
	int other = 0;

	for (int b = 0; b < p->c.nblocks; b++)
		if (p->c.block[b].scopes[0] && !other++)
			scopes = p->c.block[b].scopes;
	if (!other)
		return;
	snprintf(line, sizeof(line), "counts not compared on %d line%s: %s",
		 other, other == 1 ? "" : "s", scopes);
	plot_append(p->footer, sizeof(p->footer), "\n", line);
	fprintf(stderr, "tlbbench: plotdata: %s\n", line);
}

/* -------------------------------------------------------------------- */
/* Scales */

void plot_scale_add(struct plot_scale *s, double v)
{
	if (!isfinite(v))
		return;
	s->any = true;
	if (v > 0) {
		s->min = fmin(s->min, v);
		s->max = fmax(s->max, v);
	}
}

bool plot_scale_log(const struct plot_scale *s)
{
	return s->any && s->max > 0 && s->max / s->min > PLOT_LOG_RATIO;
}

/*
 * The bottom of a log axis: a power of ten at least half the smallest
 * positive value below it, so that no bar is flat on the axis.
 */
double plot_scale_floor(const struct plot_scale *s)
{
	return s->max > 0 ? pow(10, floor(log10(s->min / 2))) : 1;
}

/*
 * Times in µs, as compare and report give them: one unit for a quantity
 * in every output.  The metric is ns/op, so divide by 1000.
 */
double plot_time_unit(double max_ns, const char **unit)
{
	(void)max_ns;
	*unit = "µs";
	return 1e3;
}

/* Bar centre of series S of block B with N series. */
double plot_bar_x(int b, int s, int n)
{
	return b + 1 + (s - (n - 1) / 2.0) * (0.8 / n);
}

/* A model verdict in a word, for a tick label. */
static const char *verdict_word(const char *verdict)
{
	if (!strcmp(verdict, "force_flush per page table"))
		return "force_flush";
	if (!strcmp(verdict, "batched") || !strcmp(verdict, "neither model"))
		return !strcmp(verdict, "batched") ? "batched" : "neither";
	return "unknown";
}

/* The most columns of a block with a kernel model verdict to show. */
int plot_model_lines(const struct plot *p)
{
	int most = 0;

	for (int b = 0; b < p->c.nblocks; b++) {
		int n = 0;

		for (int k = 0; k < p->c.block[b].ncols; k++)
			n += p->c.block[b].have_model[k];
		if (n > most)
			most = n;
	}
	return most;
}

/*
 * The tick labels of the blocks; with MODELS, a line per column with
 * its kernel model verdict ("model: A force_flush", "B batched").
 */
int plot_write_tics(const struct plot *p, const char *name, bool models)
{
	struct plot_out o;

	if (plot_out_open(&o, p, name, ".tics.tsv"))
		return -EIO;
	fprintf(o.f, "# x\tlabel (\"|\" between lines)\n");
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];
		bool first = true;

		fprintf(o.f, "%d\t", b + 1);
		plot_tsv_text(o.f, p->label[b]);
		for (int k = 0; models && k < bl->ncols; k++) {
			if (!bl->have_model[k])
				continue;
			fprintf(o.f, "|%s%c %s", first ? "model: " : "",
				bl->col[k].label,
				verdict_word(bl->model[k].verdict));
			first = false;
		}
		fputc('\n', o.f);
	}
	return plot_out_close(&o);
}

/* One row per counted cell of metric M: x, series, median, CI. */
bool plot_write_bars(const struct plot *p, FILE *f, int m, double div)
{
	bool any = false;

	fprintf(f, "# %s\n# x\tseries\tmedian\tci_lo\tci_hi\n",
		p->c.metric[m].name);
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 0; k < bl->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(bl, m, k);
			int s = plot_series_of(p, bl, k);

			if (!x->counted || s < 0)
				continue;
			fprintf(f, "%.6g\t%d\t%.9g\t%.9g\t%.9g\n",
				plot_bar_x(b, s, p->nseries), s + 1,
				cmp_cell_value(x) / div, cmp_cell_lo(x) / div,
				cmp_cell_hi(x) / div);
			any = true;
		}
	}
	return any;
}

void plot_scale_metric(const struct plot *p, struct plot_scale *sc, int m,
		       bool whiskers)
{
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 0; k < bl->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(bl, m, k);

			if (!x->counted)
				continue;
			plot_scale_add(sc, cmp_cell_value(x));
			if (whiskers) {
				plot_scale_add(sc, cmp_cell_lo(x));
				plot_scale_add(sc, cmp_cell_hi(x));
			}
		}
	}
}

/*
 * Why the sets' times cannot be compared (compare's check_machines), for
 * a title: the first set that differs from A in kind; NULL if none does.
 */
const char *plot_kind_why(const struct plot *p)
{
	for (int s = 1; s < p->c.nsets; s++)
		if (p->c.kind[s][0])
			return p->c.kind[s];
	return NULL;
}

