/*
 * tlbbench plotdata: the numbers of tlbbench compare laid out as plain
 * files for the gnuplot scripts in plots/, which ./plot-bench runs.
 * Lines are matched and summarized as compare does (lib/analysis/compare.c),
 * and laid out by lib/analysis/plot.c and plot_figures.c, which write for
 * each figure NAME two or three files in DIR:
 *
 *   NAME.gp        gnuplot variables: title, legend, footer, scales
 *   NAME.tsv       the numbers, tab-separated, one block per panel
 *   NAME.tics.tsv  tick positions and labels ("|" between label lines)
 *
 * and DIR/figures, one line "KIND NAME" per figure: KIND is the script
 * plots/KIND.gp that draws it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/args.h"
#include "commands.h"
#include "analysis/compare.h"
#include "analysis/plot.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
	plot_append(p->footer, sizeof(p->footer), "\n", line);
	fprintf(stderr, "tlbbench: plotdata: %s\n", line);
}

/* What compare would list under "Not compared" and its warnings. */
static void note_unmatched(const struct plot *p)
{
	for (int i = 0; i < p->c.nunmatched; i++) {
		const struct cmp_unmatched *u = &p->c.unmatched[i];

		fprintf(stderr, "tlbbench: plotdata: not drawn: %c:%d %s "
			"(%s)\n", u->label, u->l->line, u->l->config_line,
			u->why);
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
		plot_fig_flushes, plot_fig_latency, plot_fig_scaling,
		plot_fig_reasons, plot_fig_change,
		plot_fig_victims, plot_fig_victims_recv,
	};
	struct plot_out list;
	struct stat st;
	int n, ret = 2, whole;

	p.c.name = "plotdata";
	p.c.effective = config_line_effective;
	p.c.figures = workload_figures;
	p.c.show_model = true;
	n = parse_args(&p, argc, argv);
	if (n <= 0)
		return n ? 2 : 0;
	for (int m = 0; m < PLOT_NMETRICS; m++)
		rs_metric_parse(plot_metric_names[m],
				&p.c.metric[p.c.nmetrics++]);
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
	plot_make_labels(&p);
	plot_make_series(&p);
	plot_make_note(&p);
	plot_note_scopes(&p);
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
	if (plot_out_open(&list, &p, "figures", ""))
		goto out;
	p.figures = list.f;
	ret = 0;
	for (size_t i = 0; i < ARRAY_SIZE(figs) && !ret; i++)
		ret = figs[i](&p) ? 1 : 0;
	if (plot_out_close(&list))
		ret = 1;
out:
	free(p.label);
	cmp_free(&p.c);
	return ret;
}

