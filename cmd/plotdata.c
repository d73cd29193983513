/*
 * tlbbench plotdata: the numbers of tlbbench compare laid out as plain
 * files for the gnuplot scripts in plots/, which ./plot-bench runs.
 * Lines are matched and summarized as compare does (lib/analysis/compare.c,
 * with lib/common/stats.c); this file only places bars, picks scales and units, and
 * writes for each figure NAME two or three files in DIR:
 *
 *   NAME.gp        gnuplot variables: title, legend, footer, scales
 *   NAME.tsv       the numbers, tab-separated, one block per panel
 *   NAME.tics.tsv  tick positions and labels ("|" between label lines)
 *
 * and DIR/figures, one line "KIND NAME" per figure: KIND is the script
 * plots/KIND.gp that draws it.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "commands.h"
#include "compare.h"
#include "config_file.h"
#include "options.h"
#include "tlb_reasons.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ITEMS 64
#define LOG_RATIO 10.0		/* values spanning more: a log scale */
#define NREASONS TLB_NREASONS
#define REASON_METRIC(value, name) "tlb_flush." #name "/GiB",
#define REASON_NAME(value, name) [value] = #name,

enum { M_SENT, M_RECV, M_NS, M_REASON, NMETRICS = M_REASON + NREASONS };
/* Sets with walking victims: cmp_victim_metrics() adds two after those. */
enum { M_VICTIM = NMETRICS, M_HANDLER };

static const char *const metric_names[NMETRICS] = {
	"sent/GiB", "recv/GiB", "ns/op",
	TLB_FLUSH_REASONS(REASON_METRIC)
};
/* The three metrics of the change and scaling figures, as axis labels. */
static const char *const metric_titles[3] = {
	"flushes sent per GiB", "shootdowns received per GiB",
	"time per operation",
};
static const char *const reason_names[NREASONS] = {
	TLB_FLUSH_REASONS(REASON_NAME)
};
/* Repetition options say how long a line ran, not what it measured. */
static const char *const unlabelled[] = {
	"reps", "warmup", "target-ci", "max-reps", "format",
};

/* A word of a config line: the workload, or "--opt value". */
struct item {
	char opt[64];			/* "" for the workload */
	char value[128];
	char text[200];
};

struct plot {
	struct cmp c;
	const char *dir;
	int nseries;
	char series[CMP_MAX_COLS][320];	/* legend entries */
	char value[CMP_MAX_COLS][128];	/* --vary: each series' value */
	char (*label)[1024];		/* per block: items, "|" between */
	char common[1024];		/* items every block has */
	char footer[1024];
	char note[256];
	int label_lines;		/* most lines of a block's label */
	int label_chars;		/* longest label on one line */
	FILE *figures;
};

struct out {
	FILE *f;
	char path[4096];
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: tlbbench plotdata --out DIR BASE NEW...\n"
"       tlbbench plotdata --out DIR --vary PARAM SET\n"
"\n"
"Writes the data files of the figures of ./plot-bench into DIR: the\n"
"lines of the sets matched and summarized as tlbbench compare does, and\n"
"DIR/figures, one line \"KIND NAME\" per figure (plots/KIND.gp draws\n"
"NAME.tsv with the variables of NAME.gp).\n"
"\n"
"  --out DIR         where the files go (made if missing)\n"
"  --vary PARAM      compare values of a workload option, e.g. dirty\n");
}

#define refuse(...) cmp_refuse("plotdata", __VA_ARGS__)

/* -------------------------------------------------------------------- */
/* Files */

static int out_open(struct out *o, const struct plot *p, const char *name,
		    const char *ext)
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

static int out_close(struct out *o)
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

static void gp_str(FILE *f, const char *name, const char *fmt, ...)
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

static void gp_num(FILE *f, const char *name, double v)
{
	if (isfinite(v))
		fprintf(f, "%s = %.9g\n", name, v);
	else
		fprintf(f, "%s = NaN\n", name);
}

/* A label field of a .tsv: no tabs or line ends inside. */
static void tsv_text(FILE *f, const char *text)
{
	for (; *text; text++)
		fputc((unsigned char)*text < ' ' ? ' ' : *text, f);
}

/* Which series the figure shows (it names only those). */
static void gp_present(FILE *f, const bool *present, int n)
{
	fprintf(f, "array present[%d] = [", n);
	for (int s = 0; s < n; s++)
		fprintf(f, "%s%d", s ? ", " : "", present[s]);
	fprintf(f, "]\n");
}

/* The variables every figure has, and its title lines. */
static void gp_common(const struct plot *p, FILE *f, const char *title,
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


static void add_figure(struct plot *p, const char *kind, const char *name)
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
static int items_of(const char *text, const char *skip, struct item *it,
		    int max)
{
	char *copy = strdup(text), *w[MAX_ITEMS * 2];
	int nw, n = 0;

	if (!copy)
		abort();
	nw = config_words(copy, w, ARRAY_SIZE(w));
	for (int i = 0; i < nw && n < max;) {
		struct item *x = &it[n];
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

static bool has_item(const struct item *it, int n, const char *text)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(it[i].text, text))
			return true;
	return false;
}

static void append(char *buf, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

/* Whether block B runs with item X: written so, or as its default. */
static bool runs_with(const struct cmp_block *b, const struct item *it, int n,
		      const struct item *x)
{
	const char *v;

	if (has_item(it, n, x->text))
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
static void make_labels(struct plot *p)
{
	struct cmp *c = &p->c;
	struct item *it = calloc((size_t)c->nblocks * MAX_ITEMS, sizeof(*it));
	int *n = calloc(c->nblocks, sizeof(*n));
	bool *dup = calloc(c->nblocks, sizeof(*dup));

	p->label = calloc(c->nblocks, sizeof(*p->label));
	if (!it || !n || !dup || !p->label)
		abort();
	for (int b = 0; b < c->nblocks; b++)
		n[b] = items_of(c->block[b].title, c->vary, it + b * MAX_ITEMS,
				MAX_ITEMS);
	for (int b = 0; b < c->nblocks; b++) {
		const struct item *x = it + b * MAX_ITEMS;

		for (int i = 0; i < n[b]; i++) {
			char text[200], *bar;
			bool all = true;

			for (int o = 0; o < c->nblocks && all; o++)
				all = runs_with(&c->block[o], it + o * MAX_ITEMS,
						n[o], &x[i]);
			if (all) {
				if (!strstr(p->common, x[i].text))
					append(p->common, sizeof(p->common),
					       " ", x[i].text);
				continue;
			}
			snprintf(text, sizeof(text), "%s", x[i].text);
			while ((bar = strchr(text, '|')))
				*bar = '/';
			append(p->label[b], sizeof(p->label[b]), "|", text);
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
		append(p->label[b], sizeof(p->label[b]), "|", line);
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
static int series_of(const struct plot *p, const struct cmp_block *b, int k)
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

static void make_series(struct plot *p)
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
		append(p->footer, sizeof(p->footer), "\n", one);
	}
}

static void make_note(struct plot *p)
{
	bool short_ci = false, runs = false;

	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int m = 0; m < p->c.nmetrics; m++)
			for (int k = 0; k < bl->ncols; k++) {
				const struct cmp_cell *x = cmp_cell_at(bl, m, k);

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
static void note_scopes(struct plot *p)
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
	append(p->footer, sizeof(p->footer), "\n", line);
	fprintf(stderr, "tlbbench: plotdata: %s\n", line);
}

/* -------------------------------------------------------------------- */
/* Scales */

struct scale {
	double min, max;		/* over positive values */
	bool any;			/* any value at all */
};

#define SCALE_INIT { .min = INFINITY, .max = 0, .any = false }

static void scale_add(struct scale *s, double v)
{
	if (!isfinite(v))
		return;
	s->any = true;
	if (v > 0) {
		s->min = fmin(s->min, v);
		s->max = fmax(s->max, v);
	}
}

static bool scale_log(const struct scale *s)
{
	return s->any && s->max > 0 && s->max / s->min > LOG_RATIO;
}

/*
 * The bottom of a log axis: a power of ten at least half the smallest
 * positive value below it, so that no bar is flat on the axis.
 */
static double scale_floor(const struct scale *s)
{
	return s->max > 0 ? pow(10, floor(log10(s->min / 2))) : 1;
}

/*
 * Times in µs, as compare and report give them: one unit for a quantity
 * in every output.  The metric is ns/op, so divide by 1000.
 */
static double time_unit(double max_ns, const char **unit)
{
	(void)max_ns;
	*unit = "µs";
	return 1e3;
}

/* Bar centre of series S of block B with N series. */
static double bar_x(int b, int s, int n)
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
static int model_lines(const struct plot *p)
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
static int write_tics(const struct plot *p, const char *name, bool models)
{
	struct out o;

	if (out_open(&o, p, name, ".tics.tsv"))
		return -EIO;
	fprintf(o.f, "# x\tlabel (\"|\" between lines)\n");
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];
		bool first = true;

		fprintf(o.f, "%d\t", b + 1);
		tsv_text(o.f, p->label[b]);
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
	return out_close(&o);
}

/* One row per counted cell of metric M: x, series, median, CI. */
static bool write_bars(const struct plot *p, FILE *f, int m, double div)
{
	bool any = false;

	fprintf(f, "# %s\n# x\tseries\tmedian\tci_lo\tci_hi\n",
		p->c.metric[m].name);
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 0; k < bl->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(bl, m, k);
			int s = series_of(p, bl, k);

			if (!x->counted || s < 0)
				continue;
			fprintf(f, "%.6g\t%d\t%.9g\t%.9g\t%.9g\n",
				bar_x(b, s, p->nseries), s + 1,
				cmp_cell_value(x) / div, cmp_cell_lo(x) / div,
				cmp_cell_hi(x) / div);
			any = true;
		}
	}
	return any;
}

static void scale_metric(const struct plot *p, struct scale *sc, int m,
			 bool whiskers)
{
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 0; k < bl->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(bl, m, k);

			if (!x->counted)
				continue;
			scale_add(sc, cmp_cell_value(x));
			if (whiskers) {
				scale_add(sc, cmp_cell_lo(x));
				scale_add(sc, cmp_cell_hi(x));
			}
		}
	}
}

/* -------------------------------------------------------------------- */
/* Figure 1: flushes sent and shootdowns received per GiB */

static int fig_flushes(struct plot *p)
{
	struct scale med = SCALE_INIT, all = SCALE_INIT;
	bool have[2];
	struct out o;
	int ret;

	if (out_open(&o, p, "flushes", ".tsv"))
		return -EIO;
	have[0] = write_bars(p, o.f, M_SENT, 1);
	fprintf(o.f, "\n\n");
	have[1] = write_bars(p, o.f, M_RECV, 1);
	ret = out_close(&o);
	if (ret)
		return ret;
	if (!have[0] && !have[1]) {
		fprintf(stderr, "tlbbench: plotdata: no tlb_flush counts in "
			"these sets: no flushes figure\n");
		return 0;
	}
	scale_metric(p, &med, M_SENT, false);
	scale_metric(p, &med, M_RECV, false);
	scale_metric(p, &all, M_SENT, true);
	scale_metric(p, &all, M_RECV, true);
	if (out_open(&o, p, "flushes", ".gp"))
		return -EIO;
	gp_common(p, o.f, "TLB flushes sent and shootdowns received, per "
		  "GiB of region", p->common, p->note);
	/* The tick labels end in the kernel model's verdicts. */
	if (model_lines(p))
		fprintf(o.f, "label_lines = %d\n",
			p->label_lines + model_lines(p));
	fprintf(o.f, "nblocks = %d\nhave_sent = %d\nhave_recv = %d\n",
		p->c.nblocks, have[0], have[1]);
	fprintf(o.f, "logy = %d\n", scale_log(&med));
	gp_num(o.f, "ymin", scale_log(&med) ? scale_floor(&all) : 0);
	gp_num(o.f, "ymax", all.any && all.max > 0 ? all.max : 1);
	gp_str(o.f, "ylabel1", "flushes sent per GiB\n(%s)", RS_SENT);
	gp_str(o.f, "ylabel2", "shootdowns received per GiB\n(%s)", RS_RECV);
	ret = out_close(&o);
	if (!ret)
		ret = write_tics(p, "flushes", true);
	if (!ret)
		add_figure(p, "flushes", "flushes");
	return ret;
}

/*
 * Why the sets' times cannot be compared (compare's check_machines), for
 * a title: the first set that differs from A in kind; NULL if none does.
 */
static const char *kind_why(const struct plot *p)
{
	for (int s = 1; s < p->c.nsets; s++)
		if (p->c.kind[s][0])
			return p->c.kind[s];
	return NULL;
}

/* -------------------------------------------------------------------- */
/* Figure 2: latency */

static int fig_latency(struct plot *p)
{
	struct scale med = SCALE_INIT, all = SCALE_INIT;
	char title[512];
	const char *unit;
	double div;
	struct out o;
	int ret;

	/* Bars side by side would compare what cannot be compared. */
	if (kind_why(p)) {
		fprintf(stderr, "tlbbench: plotdata: no latency figure: times "
			"are not comparable (%s); tlbbench report gives each "
			"set's own\n", kind_why(p));
		return 0;
	}
	scale_metric(p, &med, M_NS, false);
	scale_metric(p, &all, M_NS, true);
	div = time_unit(med.any ? med.max : 0, &unit);
	if (out_open(&o, p, "latency", ".tsv"))
		return -EIO;
	write_bars(p, o.f, M_NS, div);
	ret = out_close(&o);
	if (ret)
		return ret;
	if (out_open(&o, p, "latency", ".gp"))
		return -EIO;
	snprintf(title, sizeof(title), "Time per operation (the measured "
		 "kernel call)");
	gp_common(p, o.f, title, p->common, p->note);
	fprintf(o.f, "nblocks = %d\nlogy = %d\n", p->c.nblocks,
		scale_log(&med));
	gp_num(o.f, "ymin", scale_log(&med) ? scale_floor(&all) / div : 0);
	gp_num(o.f, "ymax", all.any && all.max > 0 ? all.max / div : 1);
	gp_str(o.f, "ylabel1", "time per operation (%s)", unit);
	ret = out_close(&o);
	if (!ret)
		ret = write_tics(p, "latency", false);
	if (!ret)
		add_figure(p, "latency", "latency");
	return ret;
}

/* -------------------------------------------------------------------- */
/* Figures of walking victims: their loss per GiB, and per shootdown */

/*
 * What the victims lost and the handler time on their CPUs, per GiB of
 * region, a group of bars per line and one per kernel: two panels of the
 * flushes figure's script.
 */
static int fig_victims(struct plot *p)
{
	struct scale med = SCALE_INIT, all = SCALE_INIT;
	double low = 0;
	char title[512];
	bool have[2];
	struct out o;
	int ret;

	if (p->c.nmetrics <= M_HANDLER)
		return 0;
	if (out_open(&o, p, "victims", ".tsv"))
		return -EIO;
	have[0] = write_bars(p, o.f, M_VICTIM, 1);
	fprintf(o.f, "\n\n");
	have[1] = write_bars(p, o.f, M_HANDLER, 1);
	ret = out_close(&o);
	if (ret)
		return ret;
	scale_metric(p, &med, M_VICTIM, false);
	scale_metric(p, &med, M_HANDLER, false);
	scale_metric(p, &all, M_VICTIM, true);
	scale_metric(p, &all, M_HANDLER, true);
	/* A loss below its calibration's is negative: a linear axis. */
	for (int m = M_VICTIM; m <= M_HANDLER; m++)
		for (int b = 0; b < p->c.nblocks; b++)
			for (int k = 0; k < p->c.block[b].ncols; k++) {
				const struct cmp_cell *x = cmp_cell_at(&p->c.block[b], m,
							    k);

				if (x->counted)
					low = fmin(low, fmin(x->s.median,
							     x->s.ci_lo));
			}
	if (out_open(&o, p, "victims", ".gp"))
		return -EIO;
	if (kind_why(p))
		snprintf(title, sizeof(title), "What the flushes cost the "
			 "other CPUs: NOT COMPARABLE, %s", kind_why(p));
	else
		snprintf(title, sizeof(title), "What the flushes cost the "
			 "other CPUs, per GiB of region");
	gp_common(p, o.f, title, p->common, p->note);
	fprintf(o.f, "nblocks = %d\nhave_sent = %d\nhave_recv = %d\n",
		p->c.nblocks, have[0], have[1]);
	fprintf(o.f, "logy = %d\n", low >= 0 && scale_log(&med));
	gp_num(o.f, "ymin", low < 0 ? low : scale_log(&med) ?
	       scale_floor(&all) : 0);
	gp_num(o.f, "ymax", all.any && all.max > 0 ? all.max : 1);
	gp_str(o.f, "ylabel1", "µs the victims lost per GiB\n(gaps beyond "
	       "calibration + slowdown)");
	gp_str(o.f, "ylabel2", "µs in the call-function handler\nper GiB, "
	       "on the victims' CPUs");
	ret = out_close(&o);
	if (!ret)
		ret = write_tics(p, "victims", false);
	if (!ret)
		add_figure(p, "flushes", "victims");
	return ret;
}

/*
 * Loss against shootdowns received: a point per repetition (x the
 * shootdowns the victims received in its window, y the µs they lost),
 * one series per kernel, every line; and per series the median cost of
 * a shootdown, drawn as a line through the origin.
 */
static int fig_victims_recv(struct plot *p)
{
	struct rs_metric lost, recv;
	double xmax = 0, ymin = 0, ymax = 0;
	double *slope[CMP_MAX_COLS] = { NULL };
	int nslope[CMP_MAX_COLS] = { 0 };
	bool any = false;
	struct out o;
	int ret;

	if (p->c.nmetrics <= M_HANDLER)
		return 0;
	rs_metric_parse("victim-us", &lost);
	rs_metric_parse("victim-recv", &recv);
	if (out_open(&o, p, "victims-recv", ".tsv"))
		return -EIO;
	for (int s = 0; s < p->nseries; s++) {
		fprintf(o.f, "%s# series %d\n# shootdowns\tlost_us\tline\n",
			s ? "\n\n" : "", s + 1);
		for (int b = 0; b < p->c.nblocks; b++) {
			const struct cmp_block *bl = &p->c.block[b];

			for (int k = 0; k < bl->ncols; k++) {
				const struct rs_line *l = bl->col[k].l;
				double *x, *y;

				if (!l || series_of(p, bl, k) != s)
					continue;
				x = calloc(l->n, sizeof(*x));
				y = calloc(l->n, sizeof(*y));
				slope[s] = realloc(slope[s], (nslope[s] +
						   l->n) * sizeof(double));
				if (!x || !y || !slope[s])
					abort();
				if (!rs_values(l, &recv, x) &&
				    !rs_values(l, &lost, y)) {
					for (int i = 0; i < l->n; i++) {
						fprintf(o.f, "%.9g\t%.9g\t%d\n",
							x[i], y[i], b + 1);
						any = true;
						xmax = fmax(xmax, x[i]);
						ymin = fmin(ymin, y[i]);
						ymax = fmax(ymax, y[i]);
						if (x[i] > 0)
							slope[s][nslope[s]++] =
								y[i] / x[i];
					}
				}
				free(x);
				free(y);
			}
		}
	}
	ret = out_close(&o);
	if (!ret && !any) {
		fprintf(stderr, "tlbbench: plotdata: no victims' loss in these "
			"sets: no victims-recv figure\n");
	} else if (!ret && !out_open(&o, p, "victims-recv", ".gp")) {
		gp_common(p, o.f, kind_why(p) ? "Loss against shootdowns "
			  "received: times NOT COMPARABLE across sets" :
			  "Loss against shootdowns received, per window",
			  p->common, "points: repetitions of every line; "
			  "lines: the median loss per shootdown of each "
			  "kernel, through 0");
		fprintf(o.f, "array slope[%d]\n", p->nseries);
		for (int s = 0; s < p->nseries; s++) {
			char name[32];

			snprintf(name, sizeof(name), "slope[%d]", s + 1);
			gp_num(o.f, name, nslope[s] ?
			       stats_median(slope[s], nslope[s]) : NAN);
		}
		gp_num(o.f, "xmax", xmax > 0 ? xmax : 1);
		gp_num(o.f, "ymin", ymin);
		gp_num(o.f, "ymax", ymax > 0 ? ymax : 1);
		gp_str(o.f, "xlabel", "shootdowns the victims received in the "
		       "window (%s on their CPUs)", RS_RECV);
		gp_str(o.f, "ylabel1", "µs the victims lost in the window");
		ret = out_close(&o);
		if (!ret)
			add_figure(p, "victims-recv", "victims-recv");
	} else {
		ret = -EIO;
	}
	for (int s = 0; s < p->nseries; s++)
		free(slope[s]);
	return ret;
}

/* -------------------------------------------------------------------- */
/* Figure 3: scaling along a swept option */

struct point {
	int block;
	double x;
	char text[128];
};

static int by_x(const void *a, const void *b)
{
	const struct point *pa = a, *pb = b;

	return (pa->x > pb->x) - (pa->x < pb->x);
}

/*
 * The option the blocks at IDX sweep, if exactly one differs between
 * them and its values are numbers; fills PT with x per block.
 */
static bool sweep_option(const struct plot *p, const int *idx, int n,
			 struct point *pt, char *opt, size_t len)
{
	struct item first[MAX_ITEMS], other[MAX_ITEMS];
	int nf, no, found = 0;

	nf = items_of(p->c.block[idx[0]].title, p->c.vary, first, MAX_ITEMS);
	for (int i = 0; i < nf; i++) {
		bool differs = false;

		if (!*first[i].opt)
			continue;
		for (int j = 1; j < n && !differs; j++) {
			no = items_of(p->c.block[idx[j]].title, p->c.vary,
				      other, MAX_ITEMS);
			differs = !has_item(other, no, first[i].text);
		}
		if (differs) {
			snprintf(opt, len, "%.63s", first[i].opt);
			found++;
		}
	}
	if (found != 1)
		return false;
	for (int j = 0; j < n; j++) {
		const struct rs_line *l = p->c.block[idx[j]].col[0].l;
		const char *v = rs_param(l, strcmp(opt, "size") ? opt :
					 "size_bytes");
		unsigned long long x;

		no = items_of(p->c.block[idx[j]].title, p->c.vary, other,
			      MAX_ITEMS);
		if (!v || parse_size(v, &x))
			return false;
		pt[j].block = idx[j];
		pt[j].x = x;
		for (int i = 0; i < no; i++)
			if (!strcmp(other[i].opt, opt))
				snprintf(pt[j].text, sizeof(pt[j].text), "%s",
					 other[i].value);
	}
	return true;
}

static int fig_sweep(struct plot *p, struct point *pt, int n,
		     const char *opt)
{
	static const int ms[3] = { M_SENT, M_RECV, M_NS };
	bool size_like = !strcmp(opt, "size") || !strcmp(opt, "chunk");
	const struct cmp_block *b0 = &p->c.block[pt[0].block];
	struct item it[MAX_ITEMS];
	char name[64], title[128], sub[1024] = "", values[512] = "";
	struct scale ns = SCALE_INIT, panel[3] = {
		SCALE_INIT, SCALE_INIT, SCALE_INIT };
	const char *unit;
	int have[3] = { 0 }, ni, ret;
	bool present[CMP_MAX_COLS] = { false };
	double div;
	struct out o;

	qsort(pt, n, sizeof(*pt), by_x);
	snprintf(name, sizeof(name), "scaling-line%d", b0->col[0].l->line);
	for (int j = 0; j < n; j++) {
		append(values, sizeof(values), ",", pt[j].text);
		for (int k = 0; k < p->c.block[pt[j].block].ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(&p->c.block[pt[j].block],
						    M_NS, k);

			if (x->counted)
				scale_add(&ns, cmp_cell_value(x));
		}
	}
	div = time_unit(ns.any ? ns.max : 0, &unit);
	ni = items_of(b0->title, p->c.vary, it, MAX_ITEMS);
	for (int i = 0; i < ni; i++) {
		char t[700];

		if (strcmp(it[i].opt, opt))
			snprintf(t, sizeof(t), "%s", it[i].text);
		else
			snprintf(t, sizeof(t), "--%s %s", opt, values);
		append(sub, sizeof(sub), " ", t);
	}
	if (p->c.vary) {
		char t[200];

		snprintf(t, sizeof(t), "(--%s *)", p->c.vary);
		append(sub, sizeof(sub), " ", t);
	}

	if (out_open(&o, p, name, ".tsv"))
		return -EIO;
	for (int m = 0; m < 3; m++) {
		fprintf(o.f, "%s# %s\n# x\tseries\tmedian\tci_lo\tci_hi\n",
			m ? "\n\n" : "", metric_names[ms[m]]);
		for (int s = 0; s < p->nseries; s++) {
			for (int j = 0; j < n; j++) {
				const struct cmp_block *bl =
					&p->c.block[pt[j].block];

				for (int k = 0; k < bl->ncols; k++) {
					const struct cmp_cell *x = cmp_cell_at(bl, ms[m],
								    k);
					double d = m == 2 ? div : 1;

					if (!x->counted ||
					    series_of(p, bl, k) != s)
						continue;
					fprintf(o.f, "%.9g\t%d\t%.9g\t%.9g\t"
						"%.9g\n", pt[j].x, s + 1,
						cmp_cell_value(x) / d,
						cmp_cell_lo(x) / d,
						cmp_cell_hi(x) / d);
					have[m] = 1;
					present[s] = true;
					scale_add(&panel[m], cmp_cell_value(x));
				}
			}
		}
	}
	ret = out_close(&o);
	if (ret)
		return ret;

	if (out_open(&o, p, name, ".tics.tsv"))
		return -EIO;
	fprintf(o.f, "# x\tlabel\n");
	for (int j = 0; j < n; j++)
		fprintf(o.f, "%.9g\t%s\n", pt[j].x, pt[j].text);
	ret = out_close(&o);
	if (ret)
		return ret;

	if (out_open(&o, p, name, ".gp"))
		return -EIO;
	snprintf(title, sizeof(title), "Scaling with --%s", opt);
	gp_common(p, o.f, title, sub, "points: medians over repetitions; "
		  "error bars: 95% confidence interval of the median "
		  "(distribution-free)");
	gp_present(o.f, present, p->nseries);
	gp_str(o.f, "xlabel", "%s", !strcmp(opt, "threads") ?
	       "threads, each on its own CPU" : !strcmp(opt, "size") ?
	       "region size (log scale)" : opt);
	/*
	 * Sizes on a log axis; a metric on one too where it spans more
	 * than 10x: flushes per GiB stay flat with size, and a log axis
	 * would blow up their few % of noise.
	 */
	fprintf(o.f, "logx = %d\narray have[3] = [%d, %d, %d]\n", size_like,
		have[0], have[1], have[2]);
	fprintf(o.f, "array logy[3] = [%d, %d, %d]\n",
		size_like && scale_log(&panel[0]),
		size_like && scale_log(&panel[1]),
		size_like && scale_log(&panel[2]));
	fprintf(o.f, "array ylabel[3]\n");
	for (int m = 0; m < 3; m++) {
		bool log = size_like && scale_log(&panel[m]);
		char var[32];

		snprintf(var, sizeof(var), "ylabel[%d]", m + 1);
		gp_str(o.f, var, "%s%s%s%s", metric_titles[m],
		       m == 2 || log ? " (" : "", m == 2 ? unit : "",
		       log ? (m == 2 ? ", log scale)" : "log scale)") :
		       m == 2 ? ")" : "");
	}
	ret = out_close(&o);
	if (!ret)
		add_figure(p, "scaling", name);
	return ret;
}

/* Runs of one swept config line: the blocks that share its line. */
static int fig_scaling(struct plot *p)
{
	int nb = p->c.nblocks, *idx = calloc(nb, sizeof(*idx));
	struct point *pt = calloc(nb, sizeof(*pt));
	bool *done = calloc(nb, sizeof(*done));
	int ret = 0;

	if (!idx || !pt || !done)
		abort();
	for (int b = 0; b < nb && !ret; b++) {
		int line = p->c.block[b].col[0].l->line, n = 0;
		char opt[64];

		if (done[b])
			continue;
		for (int o = b; o < nb; o++) {
			if (p->c.block[o].col[0].l->line != line)
				continue;
			done[o] = true;
			idx[n++] = o;
		}
		if (n < 2 || !sweep_option(p, idx, n, pt, opt, sizeof(opt)))
			continue;
		ret = fig_sweep(p, pt, n, opt);
	}
	free(done);
	free(pt);
	free(idx);
	return ret;
}

/* -------------------------------------------------------------------- */
/* Figure 4: tlb_flush by reason */

/* The sum of the reasons' medians of column K of BL; false if none. */
static bool reasons_total(const struct cmp_block *bl, int k, double *total)
{
	bool counted = false;

	*total = 0;
	for (int r = 0; r < NREASONS; r++) {
		const struct cmp_cell *x = cmp_cell_at(bl, M_REASON + r, k);

		if (x->counted) {
			counted = true;
			*total += cmp_cell_value(x);
		}
	}
	return counted;
}

/*
 * Stacked medians per GiB, the total written above each bar; when the
 * totals span more than 10x (a steady-state loop beside one munmap), on
 * a log axis.  Not shares of each bar's total: bars of the same mix
 * would all look alike.
 */
static int fig_reasons(struct plot *p)
{
	struct scale totals = SCALE_INIT;
	bool any = false;
	double total;
	struct out o;
	int ret;

	/* A linear axis: on a log one the bottom segment of a stack looks
	 * ten times the others. */
	for (int b = 0; b < p->c.nblocks; b++)
		for (int k = 0; k < p->c.block[b].ncols; k++)
			if (reasons_total(&p->c.block[b], k, &total))
				scale_add(&totals, total);
	if (out_open(&o, p, "reasons", ".tsv"))
		return -EIO;
	fprintf(o.f, "# x\treason\tbottom\ttop (stacked medians per GiB)\n");
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 0; k < bl->ncols; k++) {
			int s = series_of(p, bl, k);
			double bottom = 0, unit = 1;

			if (s < 0 || !reasons_total(bl, k, &total) || !total)
				continue;
			for (int r = 0; r < NREASONS; r++) {
				const struct cmp_cell *x = cmp_cell_at(bl, M_REASON + r,
							    k);

				if (!x->counted || !(cmp_cell_value(x) > 0))
					continue;
				fprintf(o.f, "%.6g\t%d\t%.9g\t%.9g\n",
					bar_x(b, s, p->nseries), r + 1,
					bottom / unit,
					(bottom + cmp_cell_value(x)) / unit);
				bottom += cmp_cell_value(x);
				any = true;
			}
		}
	}
	/* Above a bar: its kernel and the flushes it sent (reason 4).
	 * The stack is no count of flushes: a flush is an event at its
	 * sender (3 and 4) and at each receiver (1). */
	fprintf(o.f, "\n\n# x\ttop\tlabel: kernel, flushes sent per GiB\n");
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 0; k < bl->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(bl, M_REASON +
						    TLB_REASON_SEND_IPI, k);
			int s = series_of(p, bl, k);
			double sent = x->counted ? cmp_cell_value(x) : NAN;

			if (s < 0 || !reasons_total(bl, k, &total))
				continue;
			fprintf(o.f, "%.6g\t%.9g\t%c|sent %.*f\n",
				bar_x(b, s, p->nseries), total, 'A' + s,
				sent < 10 && sent != floor(sent) ? 1 : 0,
				sent);
		}
	}
	ret = out_close(&o);
	if (ret)
		return ret;
	if (!any) {
		fprintf(stderr, "tlbbench: plotdata: no tlb_flush reason "
			"counts in these sets: no reasons figure\n");
		return 0;
	}
	if (out_open(&o, p, "reasons", ".gp"))
		return -EIO;
	gp_common(p, o.f, "tlb_flush events by reason, per GiB of region",
		  p->common, "each bar: the medians of the reasons "
		  "(tlb:tlb_flush reason 0..5), stacked; a flush is an event "
		  "at its sender (3, 4) and at each receiver (1), so a stack "
		  "is no count of flushes; above it: the kernel and the "
		  "flushes it sent (reason 4)");
	fprintf(o.f, "nblocks = %d\nnreasons = %d\nlogy = 0\n",
		p->c.nblocks, NREASONS);
	gp_num(o.f, "ymin", 0);
	gp_num(o.f, "ymax", totals.any && totals.max > 0 ? totals.max : 1);
	fprintf(o.f, "array rname[%d]\n", NREASONS);
	for (int r = 0; r < NREASONS; r++) {
		char var[32];

		snprintf(var, sizeof(var), "rname[%d]", r + 1);
		gp_str(o.f, var, "%d %s", r, reason_names[r]);
	}
	gp_str(o.f, "ylabel1", "tlb_flush events per GiB");
	ret = out_close(&o);
	if (!ret)
		ret = write_tics(p, "reasons", false);
	if (!ret)
		add_figure(p, "reasons", "reasons");
	return ret;
}

/* -------------------------------------------------------------------- */
/* Figure 5: % change, one bar per line and new set */

struct axis {
	bool log;			/* new/base ratio on a log scale */
	double lo, hi;			/* the axis */
	double dlo, dhi;		/* the finite data on it */
};

/*
 * A change in axis units: % or the new/base ratio.  A change from 0
 * (infinite) or to 0 on a log scale is drawn to the end of the data,
 * leaving the rest of the axis to its label.
 */
static double axis_value(const struct axis *a, double pct)
{
	double v = a->log ? 1 + pct / 100 : pct;

	if (isnan(v))
		return v;
	return fmax(a->dlo, fmin(a->dhi, v));
}

static void change_axis(const struct plot *p, int m, struct axis *a)
{
	double lo = 0, hi = 0, rmin = INFINITY, rmax = 0;

	a->log = false;
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 1; k < bl->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(bl, m, k);
			double v[3];

			if (!x->counted || !x->have_change)
				continue;
			v[0] = x->ch.pct;
			v[1] = x->ch.pct_lo;
			v[2] = x->ch.pct_hi;
			if (isfinite(v[0]) && (v[0] > 100 * (LOG_RATIO - 1) ||
					       v[0] < 100 / LOG_RATIO - 100))
				a->log = true;
			for (int i = 0; i < 3; i++) {
				if (!isfinite(v[i]))
					continue;
				lo = fmin(lo, v[i]);
				hi = fmax(hi, v[i]);
				if (v[i] > -100) {
					rmin = fmin(rmin, 1 + v[i] / 100);
					rmax = fmax(rmax, 1 + v[i] / 100);
				}
			}
		}
	}
	/* Room beside the bars for their value labels. */
	if (a->log) {
		a->dlo = fmin(rmin, 1);
		a->dhi = fmax(rmax, 1);
		a->lo = a->dlo / pow(a->dhi / a->dlo, 0.3) / 1.5;
		a->hi = a->dhi * pow(a->dhi / a->dlo, 0.3) * 1.5;
		return;
	}
	a->dlo = lo;
	a->dhi = hi;
	a->lo = lo - (hi - lo) * 0.3 - 1;
	a->hi = hi + (hi - lo) * 0.3 + 1;
}

static void fmt_change(const struct cmp_cell *x, char *buf, size_t len)
{
	const char *mk = cmp_mark(x);
	double v = x->ch.pct;

	if (isinf(v))
		snprintf(buf, len, "from 0");
	else if (fabs(v) < 10 || (v < -99 && v > -100))
		snprintf(buf, len, "%+.1f%%", v);
	else
		snprintf(buf, len, "%+.0f%%", v);
	if (*mk) {
		strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, mk, len - strlen(buf) - 1);
	}
}

static int change_tics(const struct plot *p, const struct axis *ax)
{
	static const double ratios[] = {
		1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 1e4, 1e5,
		1e6 };
	const int one = 6;		/* ratios[one] == 1 */
	struct out o;

	if (out_open(&o, p, "change", ".tics.tsv"))
		return -EIO;
	fprintf(o.f, "# y\tlabel (lines, top down)\n");
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		fprintf(o.f, "%d\t", p->c.nblocks - b);
		tsv_text(o.f, p->label[b]);
		if (p->c.vary && strcmp(bl->col[0].value, p->value[0]))
			fprintf(o.f, "|(from --%s %s)", p->c.vary,
				bl->col[0].value);
		fputc('\n', o.f);
	}
	for (int m = 0; m < 3; m++) {
		double decades = log10(ax[m].hi / ax[m].lo);
		/* About five labels at most: every other decade if need be;
		 * on an axis of a decade or two, 2x and 5x between, so that
		 * more than "0" and "+900%" is marked. */
		int step = decades > 5.5 ? 2 : 1;
		int subs = decades < 3.5 ? decades < 2 ? 3 : 2 : 1;
		const double *sub = subs == 3 ? (const double[]){ 1, 2, 5 } :
				    (const double[]){ 1, 3 };

		fprintf(o.f, "\n\n# x tics of panel %d: new/base, as %%\n",
			m + 1);
		if (!ax[m].log) {
			fprintf(o.f, "0\t0\n");
			continue;
		}
		for (size_t i = 0; i < ARRAY_SIZE(ratios); i++) {
			for (int j = 0; j < subs; j++) {
				double r = ratios[i] * sub[j];
				double pct = (r - 1) * 100;

				if (r < ax[m].lo || r > ax[m].hi ||
				    ((int)i - one) % step)
					continue;
				if (r == 1)
					fprintf(o.f, "1\t0\n");
				else if (fabs(pct) < 99.5 || pct > 0)
					fprintf(o.f, "%g\t%+.0f%%\n", r, pct);
				else
					fprintf(o.f, "%g\t%+.4g%%\n", r, pct);
			}
		}
	}
	return out_close(&o);
}

static int fig_change(struct plot *p)
{
	static const int ms[3] = { M_SENT, M_RECV, M_NS };
	struct axis ax[3];
	char title[512];
	bool first = true;
	int nslots = 1, ret;
	bool any = false;
	struct out o;

	for (int b = 0; b < p->c.nblocks; b++)
		if (p->c.block[b].ncols - 1 > nslots)
			nslots = p->c.block[b].ncols - 1;
	for (int m = 0; m < 3; m++)
		change_axis(p, ms[m], &ax[m]);
	if (out_open(&o, p, "change", ".tsv"))
		return -EIO;
	fprintf(o.f, "# panel\ty\tseries\tchange\tci_lo\tci_hi\tbase\t"
		"significant\tlabel\n");
	for (int m = 0; m < 3; m++) {
		double x0 = ax[m].log ? 1 : 0;

		for (int b = 0; b < p->c.nblocks; b++) {
			const struct cmp_block *bl = &p->c.block[b];

			for (int k = 1; k < bl->ncols; k++) {
				const struct cmp_cell *x = cmp_cell_at(bl, ms[m], k);
				/* The bars of a line centred on its label. */
				double y = p->c.nblocks - b + 0.8 *
					   ((bl->ncols - 2) / 2.0 - (k - 1)) /
					   nslots;
				const char *mk = cmp_mark(x);
				char text[64];

				if (!x->counted || !x->have_change ||
				    isnan(x->ch.pct))
					continue;
				fmt_change(x, text, sizeof(text));
				fprintf(o.f, "%d\t%.6g\t%d\t%.9g\t%.9g\t%.9g\t"
					"%g\t%d\t%s\n", m + 1, y,
					series_of(p, bl, k) + 1,
					axis_value(&ax[m], x->ch.pct),
					axis_value(&ax[m], x->ch.pct_lo),
					axis_value(&ax[m], x->ch.pct_hi), x0,
					*mk && strcmp(mk, "="), text);
				any = true;
			}
		}
	}
	ret = out_close(&o);
	if (ret)
		return ret;
	if (!any) {
		fprintf(stderr, "tlbbench: plotdata: no change to show: no "
			"change figure\n");
		return 0;
	}
	ret = change_tics(p, ax);
	if (ret)
		return ret;
	if (out_open(&o, p, "change", ".gp"))
		return -EIO;
	for (int b = 0; b < p->c.nblocks; b++)
		first = first && (!p->c.vary ||
				  !strcmp(p->c.block[b].col[0].value,
					  p->value[0]));
	if (first)
		snprintf(title, sizeof(title), "Change of the median from %s%s",
			 p->series[0], kind_why(p) ? "; times NOT COMPARED" :
			 "");
	else
		snprintf(title, sizeof(title), "Change of the median from the "
			 "first --%s of each line", p->c.vary);
	gp_common(p, o.f, title,
		  p->common, "whiskers: 95% bootstrap interval of the change; "
		  "filled: significant (Mann-Whitney * p < 0.05, ** p < 0.01; "
		  "counts the same in every sample: ! differ, = equal); "
		  "hollow: not");
	fprintf(o.f, "nblocks = %d\nnslots = %d\n", p->c.nblocks, nslots);
	fprintf(o.f, "array logx[3] = [%d, %d, %d]\n", ax[0].log, ax[1].log,
		ax[2].log);
	/* A panel of times not compared says so inside, not by being empty. */
	fprintf(o.f, "array nocmp[3] = [0, 0, %d]\n", kind_why(p) != NULL);
	fprintf(o.f, "array xmin[3] = [%.6g, %.6g, %.6g]\n", ax[0].lo,
		ax[1].lo, ax[2].lo);
	fprintf(o.f, "array xmax[3] = [%.6g, %.6g, %.6g]\n", ax[0].hi,
		ax[1].hi, ax[2].hi);
	fprintf(o.f, "array ptitle[3]\n");
	for (int m = 0; m < 3; m++) {
		char var[32];

		snprintf(var, sizeof(var), "ptitle[%d]", m + 1);
		if (m == 2 && kind_why(p))
			gp_str(o.f, var, "%s: not compared\n(%s)",
			       metric_titles[m], kind_why(p));
		else
			gp_str(o.f, var, "%s", metric_titles[m]);
	}
	ret = out_close(&o);
	if (!ret)
		add_figure(p, "change", "change");
	return ret;
}

/* -------------------------------------------------------------------- */

static const struct arg_option plot_options[] = {
	{ "--out", true }, { "--vary", true },
	{ "--", false },		/* between the sets of two sides */
};

static int plot_set(void *ctx, const char *name, const char *val)
{
	struct plot *p = ctx;

	if (!strcmp(name, "--out")) {
		if (!*val)
			return args_refuse("plotdata",
					   "--out: empty directory name");
		p->dir = val;
		return 0;
	}
	if (!*val || strchr(val, ' ') || strchr(val, '='))
		return args_refuse("plotdata", "--vary: '%s' is not a "
				   "parameter name", val);
	p->c.vary = strncmp(val, "--", 2) ? val : val + 2;
	return 0;
}

static int parse_args(struct plot *p, int argc, char **argv)
{
	int nsets = args_parse("plotdata", plot_options,
			       ARRAY_SIZE(plot_options), argc, argv, plot_set,
			       p);

	if (nsets == ARGS_HELP) {
		usage(stdout);
		return 0;
	}
	if (nsets < 0)
		return -EINVAL;
	if (!p->dir)
		return refuse("--out DIR: where the data files go");
	return cmp_check_sets(&p->c, nsets, argv);
}

/*
 * Whole runs (integrity, race) end in a verdict, which compare shows: one
 * sample of flushes over minutes would only crowd the figures.
 */
static int drop_whole_runs(struct cmp *c)
{
	int n = 0;

	for (int b = 0; b < c->nblocks; b++) {
		const struct rs_line *l = c->block[b].col[0].l;

		if (rs_is_whole(l))
			continue;
		c->block[n++] = c->block[b];
	}
	n = c->nblocks - n;
	c->nblocks -= n;
	return n;
}

/* The whole runs left out: a footer line and one line on stderr. */
static void note_whole_runs(struct plot *p, int n)
{
	char line[200];

	if (!n)
		return;
	snprintf(line, sizeof(line), "%d integrity or race line%s not drawn: "
		 "whole runs, their verdicts are in tlbbench compare", n,
		 n == 1 ? "" : "s");
	append(p->footer, sizeof(p->footer), "\n", line);
	fprintf(stderr, "tlbbench: plotdata: %s\n", line);
}

/* What compare would list under "Not compared" and its warnings. */
static void note_unmatched(const struct plot *p)
{
	for (int i = 0; i < p->c.nunmatched; i++) {
		const struct cmp_unmatched *u = &p->c.unmatched[i];

		fprintf(stderr, "tlbbench: plotdata: not drawn: %c:%d %s (%s)\n",
			u->label, u->l->line, u->l->config_line, u->why);
	}
	for (int i = 0; i < p->c.warnings.n; i++)
		fprintf(stderr, "tlbbench: plotdata: warning: %s\n",
			p->c.warnings.v[i]);
}

/* Exit status: 0 written, 1 nothing to plot or not written, 2 bad input. */
int cmd_plotdata(int argc, char **argv)
{
	static struct plot p;
	int (*const figs[])(struct plot *) = {
		fig_flushes, fig_latency, fig_scaling, fig_reasons, fig_change,
		fig_victims, fig_victims_recv,
	};
	struct out list;
	struct stat st;
	int n, ret = 2, whole;

	p.c.name = "plotdata";
	p.c.effective = config_line_effective;
	p.c.show_model = true;
	n = parse_args(&p, argc, argv);
	if (n <= 0)
		return n ? 2 : 0;
	for (int m = 0; m < NMETRICS; m++)
		rs_metric_parse(metric_names[m], &p.c.metric[p.c.nmetrics++]);
	if (cmp_load(&p.c, argv, n))
		goto out;
	cmp_victim_metrics(&p.c);
	if (cmp_match(&p.c))
		goto out;
	whole = drop_whole_runs(&p.c);
	ret = 1;
	if (!p.c.nblocks) {
		fprintf(stderr, "tlbbench: plotdata: no line to compare\n");
		goto out;
	}
	cmp_compute(&p.c);
	make_labels(&p);
	make_series(&p);
	make_note(&p);
	note_scopes(&p);
	note_whole_runs(&p, whole);
	/* A directory that cannot be made is a bad --out: refused, 2. */
	if (mkdir(p.dir, 0777) && errno != EEXIST) {
		refuse("--out: %s: %s", p.dir, strerror(errno));
		ret = 2;
		goto out;
	}
	if (stat(p.dir, &st) || !S_ISDIR(st.st_mode)) {
		refuse("--out: %s: not a directory", p.dir);
		ret = 2;
		goto out;
	}
	note_unmatched(&p);
	if (out_open(&list, &p, "figures", ""))
		goto out;
	p.figures = list.f;
	ret = 0;
	for (size_t i = 0; i < ARRAY_SIZE(figs) && !ret; i++)
		ret = figs[i](&p) ? 1 : 0;
	if (out_close(&list))
		ret = 1;
out:
	free(p.label);
	cmp_free(&p.c);
	return ret;
}
