/*
 * The figures of plotdata, one function each: flushes and shootdowns per
 * GiB, latency, the victims' loss, scaling along a swept option, flushes
 * by reason, and the % change of each line.  Each writes NAME.gp,
 * NAME.tsv (and NAME.tics.tsv) through plot.c and names itself in
 * DIR/figures.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/options.h"		/* parse_size(): a swept size as run read it */
#include "plot.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NREASONS TLB_NREASONS
#define REASON_NAME(value, name) [value] = #name,

/* The three metrics of the change and scaling figures, as axis labels. */
static const char *const metric_titles[3] = {
	"flushes sent per GiB", "shootdowns received per GiB",
	"time per operation",
};
static const char *const reason_names[NREASONS] = {
	TLB_FLUSH_REASONS(REASON_NAME)
};

/* -------------------------------------------------------------------- */
/* Figure 1: flushes sent and shootdowns received per GiB */

int plot_fig_flushes(struct plot *p)
{
	struct plot_scale med = PLOT_SCALE_INIT, all = PLOT_SCALE_INIT;
	bool have[2];
	struct plot_out o;
	int ret;

	if (plot_out_open(&o, p, "flushes", ".tsv"))
		return -EIO;
	have[0] = plot_write_bars(p, o.f, PLOT_M_SENT, 1);
	fprintf(o.f, "\n\n");
	have[1] = plot_write_bars(p, o.f, PLOT_M_RECV, 1);
	ret = plot_out_close(&o);
	if (ret)
		return ret;
	if (!have[0] && !have[1]) {
		fprintf(stderr, "tlbbench: plotdata: no tlb_flush counts in "
			"these sets: no flushes figure\n");
		return 0;
	}
	plot_scale_metric(p, &med, PLOT_M_SENT, false);
	plot_scale_metric(p, &med, PLOT_M_RECV, false);
	plot_scale_metric(p, &all, PLOT_M_SENT, true);
	plot_scale_metric(p, &all, PLOT_M_RECV, true);
	if (plot_out_open(&o, p, "flushes", ".gp"))
		return -EIO;
	gp_common(p, o.f, "TLB flushes sent and shootdowns received, per "
		  "GiB of region", p->common, p->note);
	/* The tick labels end in the kernel model's verdicts. */
	if (plot_model_lines(p))
		fprintf(o.f, "label_lines = %d\n",
			p->label_lines + plot_model_lines(p));
	fprintf(o.f, "nblocks = %d\nhave_sent = %d\nhave_recv = %d\n",
		p->c.nblocks, have[0], have[1]);
	fprintf(o.f, "logy = %d\n", plot_scale_log(&med));
	gp_num(o.f, "ymin", plot_scale_log(&med) ? plot_scale_floor(&all) : 0);
	gp_num(o.f, "ymax", all.any && all.max > 0 ? all.max : 1);
	gp_str(o.f, "ylabel1", "flushes sent per GiB\n(%s)", RS_SENT);
	gp_str(o.f, "ylabel2", "shootdowns received per GiB\n(%s)", RS_RECV);
	ret = plot_out_close(&o);
	if (!ret)
		ret = plot_write_tics(p, "flushes", true);
	if (!ret)
		plot_add_figure(p, "flushes", "flushes");
	return ret;
}

/* -------------------------------------------------------------------- */
/* Figure 2: latency */

int plot_fig_latency(struct plot *p)
{
	struct plot_scale med = PLOT_SCALE_INIT, all = PLOT_SCALE_INIT;
	char title[512];
	const char *unit;
	double div;
	struct plot_out o;
	int ret;

	/* Bars side by side would compare what cannot be compared. */
	if (plot_kind_why(p)) {
		fprintf(stderr, "tlbbench: plotdata: no latency figure: times "
			"are not comparable (%s); tlbbench report gives each "
			"set's own\n", plot_kind_why(p));
		return 0;
	}
	plot_scale_metric(p, &med, PLOT_M_NS, false);
	plot_scale_metric(p, &all, PLOT_M_NS, true);
	div = plot_time_unit(med.any ? med.max : 0, &unit);
	if (plot_out_open(&o, p, "latency", ".tsv"))
		return -EIO;
	plot_write_bars(p, o.f, PLOT_M_NS, div);
	ret = plot_out_close(&o);
	if (ret)
		return ret;
	if (plot_out_open(&o, p, "latency", ".gp"))
		return -EIO;
	snprintf(title, sizeof(title), "Time per operation (the measured "
		 "kernel call)");
	gp_common(p, o.f, title, p->common, p->note);
	fprintf(o.f, "nblocks = %d\nlogy = %d\n", p->c.nblocks,
		plot_scale_log(&med));
	gp_num(o.f, "ymin",
	       plot_scale_log(&med) ? plot_scale_floor(&all) / div : 0);
	gp_num(o.f, "ymax", all.any && all.max > 0 ? all.max / div : 1);
	gp_str(o.f, "ylabel1", "time per operation (%s)", unit);
	ret = plot_out_close(&o);
	if (!ret)
		ret = plot_write_tics(p, "latency", false);
	if (!ret)
		plot_add_figure(p, "latency", "latency");
	return ret;
}

/* -------------------------------------------------------------------- */
/* Figures of walking victims: their loss per GiB, and per shootdown */

/*
 * What the victims lost and the handler time on their CPUs, per GiB of
 * region, a group of bars per line and one per kernel: two panels of the
 * flushes figure's script.
 */
int plot_fig_victims(struct plot *p)
{
	struct plot_scale med = PLOT_SCALE_INIT, all = PLOT_SCALE_INIT;
	double low = 0;
	char title[512];
	bool have[2];
	struct plot_out o;
	int ret;

	if (p->c.nmetrics <= PLOT_M_HANDLER)
		return 0;
	if (plot_out_open(&o, p, "victims", ".tsv"))
		return -EIO;
	have[0] = plot_write_bars(p, o.f, PLOT_M_VICTIM, 1);
	fprintf(o.f, "\n\n");
	have[1] = plot_write_bars(p, o.f, PLOT_M_HANDLER, 1);
	ret = plot_out_close(&o);
	if (ret)
		return ret;
	plot_scale_metric(p, &med, PLOT_M_VICTIM, false);
	plot_scale_metric(p, &med, PLOT_M_HANDLER, false);
	plot_scale_metric(p, &all, PLOT_M_VICTIM, true);
	plot_scale_metric(p, &all, PLOT_M_HANDLER, true);
	/* A loss below its calibration's is negative: a linear axis. */
	for (int m = PLOT_M_VICTIM; m <= PLOT_M_HANDLER; m++)
		for (int b = 0; b < p->c.nblocks; b++)
			for (int k = 0; k < p->c.block[b].ncols; k++) {
				const struct cmp_cell *x =
					cmp_cell_at(&p->c.block[b], m, k);

				if (x->counted)
					low = fmin(low, fmin(x->s.median,
							     x->s.ci_lo));
			}
	if (plot_out_open(&o, p, "victims", ".gp"))
		return -EIO;
	if (plot_kind_why(p))
		snprintf(title, sizeof(title), "What the flushes cost the "
			 "other CPUs: NOT COMPARABLE, %s", plot_kind_why(p));
	else
		snprintf(title, sizeof(title), "What the flushes cost the "
			 "other CPUs, per GiB of region");
	gp_common(p, o.f, title, p->common, p->note);
	fprintf(o.f, "nblocks = %d\nhave_sent = %d\nhave_recv = %d\n",
		p->c.nblocks, have[0], have[1]);
	fprintf(o.f, "logy = %d\n", low >= 0 && plot_scale_log(&med));
	gp_num(o.f, "ymin", low < 0 ? low : plot_scale_log(&med) ?
	       plot_scale_floor(&all) : 0);
	gp_num(o.f, "ymax", all.any && all.max > 0 ? all.max : 1);
	gp_str(o.f, "ylabel1", "µs the victims lost per GiB\n(gaps beyond "
	       "calibration + slowdown)");
	gp_str(o.f, "ylabel2", "µs in the call-function handler\nper GiB, "
	       "on the victims' CPUs");
	ret = plot_out_close(&o);
	if (!ret)
		ret = plot_write_tics(p, "victims", false);
	if (!ret)
		plot_add_figure(p, "flushes", "victims");
	return ret;
}

/*
 * Loss against shootdowns received: a point per repetition (x the
 * shootdowns the victims received in its window, y the µs they lost),
 * one series per kernel, every line; and per series the median cost of
 * a shootdown, drawn as a line through the origin.
 */
int plot_fig_victims_recv(struct plot *p)
{
	struct rs_metric lost, recv;
	double xmax = 0, ymin = 0, ymax = 0;
	double *slope[CMP_MAX_COLS] = { NULL };
	int nslope[CMP_MAX_COLS] = { 0 };
	bool any = false;
	struct plot_out o;
	int ret;

	if (p->c.nmetrics <= PLOT_M_HANDLER)
		return 0;
	rs_metric_parse("victim-us", &lost);
	rs_metric_parse("victim-recv", &recv);
	if (plot_out_open(&o, p, "victims-recv", ".tsv"))
		return -EIO;
	for (int s = 0; s < p->nseries; s++) {
		fprintf(o.f, "%s# series %d\n# shootdowns\tlost_us\tline\n",
			s ? "\n\n" : "", s + 1);
		for (int b = 0; b < p->c.nblocks; b++) {
			const struct cmp_block *bl = &p->c.block[b];

			for (int k = 0; k < bl->ncols; k++) {
				const struct rs_line *l = bl->col[k].l;
				double *x, *y;

				if (!l || plot_series_of(p, bl, k) != s)
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
	ret = plot_out_close(&o);
	if (!ret && !any) {
		fprintf(stderr, "tlbbench: plotdata: no victims' loss in these "
			"sets: no victims-recv figure\n");
	} else if (!ret && !plot_out_open(&o, p, "victims-recv", ".gp")) {
		gp_common(p, o.f, plot_kind_why(p) ? "Loss against shootdowns "
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
		ret = plot_out_close(&o);
		if (!ret)
			plot_add_figure(p, "victims-recv", "victims-recv");
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
	struct plot_item first[PLOT_MAX_ITEMS], other[PLOT_MAX_ITEMS];
	int nf, no, found = 0;

	nf = plot_items_of(p->c.block[idx[0]].title, p->c.vary, first,
			   PLOT_MAX_ITEMS);
	for (int i = 0; i < nf; i++) {
		bool differs = false;

		if (!*first[i].opt)
			continue;
		for (int j = 1; j < n && !differs; j++) {
			no = plot_items_of(p->c.block[idx[j]].title, p->c.vary,
					   other, PLOT_MAX_ITEMS);
			differs = !plot_has_item(other, no, first[i].text);
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

		no = plot_items_of(p->c.block[idx[j]].title, p->c.vary, other,
				   PLOT_MAX_ITEMS);
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
	static const int ms[3] = { PLOT_M_SENT, PLOT_M_RECV, PLOT_M_NS };
	bool size_like = !strcmp(opt, "size") || !strcmp(opt, "chunk");
	const struct cmp_block *b0 = &p->c.block[pt[0].block];
	struct plot_item it[PLOT_MAX_ITEMS];
	char name[64], title[128], sub[1024] = "", values[512] = "";
	struct plot_scale ns = PLOT_SCALE_INIT, panel[3] = {
		PLOT_SCALE_INIT, PLOT_SCALE_INIT, PLOT_SCALE_INIT };
	const char *unit;
	int have[3] = { 0 }, ni, ret;
	bool present[CMP_MAX_COLS] = { false };
	double div;
	struct plot_out o;

	qsort(pt, n, sizeof(*pt), by_x);
	snprintf(name, sizeof(name), "scaling-line%d", b0->col[0].l->line);
	for (int j = 0; j < n; j++) {
		plot_append(values, sizeof(values), ",", pt[j].text);
		for (int k = 0; k < p->c.block[pt[j].block].ncols; k++) {
			const struct cmp_cell *x =
				cmp_cell_at(&p->c.block[pt[j].block],
					    PLOT_M_NS, k);

			if (x->counted)
				plot_scale_add(&ns, cmp_cell_value(x));
		}
	}
	div = plot_time_unit(ns.any ? ns.max : 0, &unit);
	ni = plot_items_of(b0->title, p->c.vary, it, PLOT_MAX_ITEMS);
	for (int i = 0; i < ni; i++) {
		char t[700];

		if (strcmp(it[i].opt, opt))
			snprintf(t, sizeof(t), "%s", it[i].text);
		else
			snprintf(t, sizeof(t), "--%s %s", opt, values);
		plot_append(sub, sizeof(sub), " ", t);
	}
	if (p->c.vary) {
		char t[200];

		snprintf(t, sizeof(t), "(--%s *)", p->c.vary);
		plot_append(sub, sizeof(sub), " ", t);
	}

	if (plot_out_open(&o, p, name, ".tsv"))
		return -EIO;
	for (int m = 0; m < 3; m++) {
		fprintf(o.f, "%s# %s\n# x\tseries\tmedian\tci_lo\tci_hi\n",
			m ? "\n\n" : "", plot_metric_names[ms[m]]);
		for (int s = 0; s < p->nseries; s++) {
			for (int j = 0; j < n; j++) {
				const struct cmp_block *bl =
					&p->c.block[pt[j].block];

				for (int k = 0; k < bl->ncols; k++) {
					const struct cmp_cell *x =
						cmp_cell_at(bl, ms[m], k);
					double d = m == 2 ? div : 1;

					if (!x->counted ||
					    plot_series_of(p, bl, k) != s)
						continue;
					fprintf(o.f, "%.9g\t%d\t%.9g\t%.9g\t"
						"%.9g\n", pt[j].x, s + 1,
						cmp_cell_value(x) / d,
						cmp_cell_lo(x) / d,
						cmp_cell_hi(x) / d);
					have[m] = 1;
					present[s] = true;
					plot_scale_add(&panel[m],
						       cmp_cell_value(x));
				}
			}
		}
	}
	ret = plot_out_close(&o);
	if (ret)
		return ret;

	if (plot_out_open(&o, p, name, ".tics.tsv"))
		return -EIO;
	fprintf(o.f, "# x\tlabel\n");
	for (int j = 0; j < n; j++)
		fprintf(o.f, "%.9g\t%s\n", pt[j].x, pt[j].text);
	ret = plot_out_close(&o);
	if (ret)
		return ret;

	if (plot_out_open(&o, p, name, ".gp"))
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
		size_like && plot_scale_log(&panel[0]),
		size_like && plot_scale_log(&panel[1]),
		size_like && plot_scale_log(&panel[2]));
	fprintf(o.f, "array ylabel[3]\n");
	for (int m = 0; m < 3; m++) {
		bool log = size_like && plot_scale_log(&panel[m]);
		char var[32];

		snprintf(var, sizeof(var), "ylabel[%d]", m + 1);
		gp_str(o.f, var, "%s%s%s%s", metric_titles[m],
		       m == 2 || log ? " (" : "", m == 2 ? unit : "",
		       log ? (m == 2 ? ", log scale)" : "log scale)") :
		       m == 2 ? ")" : "");
	}
	ret = plot_out_close(&o);
	if (!ret)
		plot_add_figure(p, "scaling", name);
	return ret;
}

/* Runs of one swept config line: the blocks that share its line. */
int plot_fig_scaling(struct plot *p)
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
		const struct cmp_cell *x =
			cmp_cell_at(bl, PLOT_M_REASON + r, k);

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
int plot_fig_reasons(struct plot *p)
{
	struct plot_scale totals = PLOT_SCALE_INIT;
	bool any = false;
	double total;
	struct plot_out o;
	int ret;

	/* A linear axis: on a log one the bottom segment of a stack looks
	 * ten times the others. */
	for (int b = 0; b < p->c.nblocks; b++)
		for (int k = 0; k < p->c.block[b].ncols; k++)
			if (reasons_total(&p->c.block[b], k, &total))
				plot_scale_add(&totals, total);
	if (plot_out_open(&o, p, "reasons", ".tsv"))
		return -EIO;
	fprintf(o.f, "# x\treason\tbottom\ttop (stacked medians per GiB)\n");
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		for (int k = 0; k < bl->ncols; k++) {
			int s = plot_series_of(p, bl, k);
			double bottom = 0, unit = 1;

			if (s < 0 || !reasons_total(bl, k, &total) || !total)
				continue;
			for (int r = 0; r < NREASONS; r++) {
				const struct cmp_cell *x =
					cmp_cell_at(bl, PLOT_M_REASON + r, k);

				if (!x->counted || !(cmp_cell_value(x) > 0))
					continue;
				fprintf(o.f, "%.6g\t%d\t%.9g\t%.9g\n",
					plot_bar_x(b, s, p->nseries), r + 1,
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
			const struct cmp_cell *x =
				cmp_cell_at(bl, PLOT_M_REASON +
					    TLB_REASON_SEND_IPI, k);
			int s = plot_series_of(p, bl, k);
			double sent = x->counted ? cmp_cell_value(x) : NAN;

			if (s < 0 || !reasons_total(bl, k, &total))
				continue;
			fprintf(o.f, "%.6g\t%.9g\t%c|sent %.*f\n",
				plot_bar_x(b, s, p->nseries), total, 'A' + s,
				sent < 10 && sent != floor(sent) ? 1 : 0,
				sent);
		}
	}
	ret = plot_out_close(&o);
	if (ret)
		return ret;
	if (!any) {
		fprintf(stderr, "tlbbench: plotdata: no tlb_flush reason "
			"counts in these sets: no reasons figure\n");
		return 0;
	}
	if (plot_out_open(&o, p, "reasons", ".gp"))
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
	ret = plot_out_close(&o);
	if (!ret)
		ret = plot_write_tics(p, "reasons", false);
	if (!ret)
		plot_add_figure(p, "reasons", "reasons");
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
			if (isfinite(v[0]) &&
			    (v[0] > 100 * (PLOT_LOG_RATIO - 1) ||
			     v[0] < 100 / PLOT_LOG_RATIO - 100))
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

static void change_bar_label(const struct cmp_cell *x, char *buf, size_t len)
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
	struct plot_out o;

	if (plot_out_open(&o, p, "change", ".tics.tsv"))
		return -EIO;
	fprintf(o.f, "# y\tlabel (lines, top down)\n");
	for (int b = 0; b < p->c.nblocks; b++) {
		const struct cmp_block *bl = &p->c.block[b];

		fprintf(o.f, "%d\t", p->c.nblocks - b);
		plot_tsv_text(o.f, p->label[b]);
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
	return plot_out_close(&o);
}

int plot_fig_change(struct plot *p)
{
	static const int ms[3] = { PLOT_M_SENT, PLOT_M_RECV, PLOT_M_NS };
	struct axis ax[3];
	char title[512];
	bool first = true;
	int nslots = 1, ret;
	bool any = false;
	struct plot_out o;

	for (int b = 0; b < p->c.nblocks; b++)
		if (p->c.block[b].ncols - 1 > nslots)
			nslots = p->c.block[b].ncols - 1;
	for (int m = 0; m < 3; m++)
		change_axis(p, ms[m], &ax[m]);
	if (plot_out_open(&o, p, "change", ".tsv"))
		return -EIO;
	fprintf(o.f, "# panel\ty\tseries\tchange\tci_lo\tci_hi\tbase\t"
		"significant\tlabel\n");
	for (int m = 0; m < 3; m++) {
		double x0 = ax[m].log ? 1 : 0;

		for (int b = 0; b < p->c.nblocks; b++) {
			const struct cmp_block *bl = &p->c.block[b];

			for (int k = 1; k < bl->ncols; k++) {
				const struct cmp_cell *x =
					cmp_cell_at(bl, ms[m], k);
				/* The bars of a line centred on its label. */
				double y = p->c.nblocks - b + 0.8 *
					   ((bl->ncols - 2) / 2.0 - (k - 1)) /
					   nslots;
				const char *mk = cmp_mark(x);
				char text[64];

				if (!x->counted || !x->have_change ||
				    isnan(x->ch.pct))
					continue;
				change_bar_label(x, text, sizeof(text));
				fprintf(o.f, "%d\t%.6g\t%d\t%.9g\t%.9g\t%.9g\t"
					"%g\t%d\t%s\n", m + 1, y,
					plot_series_of(p, bl, k) + 1,
					axis_value(&ax[m], x->ch.pct),
					axis_value(&ax[m], x->ch.pct_lo),
					axis_value(&ax[m], x->ch.pct_hi), x0,
					*mk && strcmp(mk, "="), text);
				any = true;
			}
		}
	}
	ret = plot_out_close(&o);
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
	if (plot_out_open(&o, p, "change", ".gp"))
		return -EIO;
	for (int b = 0; b < p->c.nblocks; b++)
		first = first && (!p->c.vary ||
				  !strcmp(p->c.block[b].col[0].value,
					  p->value[0]));
	if (first)
		snprintf(title, sizeof(title), "Change of the median from %s%s",
			 p->series[0],
			 plot_kind_why(p) ? "; times NOT COMPARED" : "");
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
	fprintf(o.f, "array nocmp[3] = [0, 0, %d]\n", plot_kind_why(p) != NULL);
	fprintf(o.f, "array xmin[3] = [%.6g, %.6g, %.6g]\n", ax[0].lo,
		ax[1].lo, ax[2].lo);
	fprintf(o.f, "array xmax[3] = [%.6g, %.6g, %.6g]\n", ax[0].hi,
		ax[1].hi, ax[2].hi);
	fprintf(o.f, "array ptitle[3]\n");
	for (int m = 0; m < 3; m++) {
		char var[32];

		snprintf(var, sizeof(var), "ptitle[%d]", m + 1);
		if (m == 2 && plot_kind_why(p))
			gp_str(o.f, var, "%s: not compared\n(%s)",
			       metric_titles[m], plot_kind_why(p));
		else
			gp_str(o.f, var, "%s", metric_titles[m]);
	}
	ret = plot_out_close(&o);
	if (!ret)
		plot_add_figure(p, "change", "change");
	return ret;
}

