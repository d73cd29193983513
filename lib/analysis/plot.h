/*
 * The figures of tlbbench plotdata: the model of a comparison
 * (compare.h) laid out as plain files for the gnuplot scripts in plots/.
 * plot.c places bars, labels, series and scales and writes the files;
 * plot_figures.c makes each figure of them.
 */
#ifndef TLB_ANALYSIS_PLOT_H
#define TLB_ANALYSIS_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "compare.h"
#include "measure/tlb_reasons.h"

#define PLOT_MAX_ITEMS 64
#define PLOT_LOG_RATIO 10.0		/* values spanning more: a log scale */

/* The metrics plotdata asks compare for, in this order. */
enum {
	PLOT_M_SENT, PLOT_M_RECV, PLOT_M_NS, PLOT_M_REASON,
	PLOT_NMETRICS = PLOT_M_REASON + TLB_NREASONS
};
/* Sets with walking victims: cmp_victim_metrics() adds two after those. */
enum { PLOT_M_VICTIM = PLOT_NMETRICS, PLOT_M_HANDLER };

extern const char *const plot_metric_names[PLOT_NMETRICS];

/* A word of a config line: the workload, or "--opt value". */
struct plot_item {
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

struct plot_out {
	FILE *f;
	char path[4096];
};

struct plot_scale {
	double min, max;		/* over positive values */
	bool any;			/* any value at all */
};

#define PLOT_SCALE_INIT { .min = INFINITY, .max = 0, .any = false }

int plot_out_open(struct plot_out *o, const struct plot *p,
		  const char *name, const char *ext);
int plot_out_close(struct plot_out *o);
void gp_str(FILE *f, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void gp_num(FILE *f, const char *name, double v);
void plot_tsv_text(FILE *f, const char *text);
void gp_present(FILE *f, const bool *present, int n);
void gp_common(const struct plot *p, FILE *f, const char *title,
	       const char *subtitle, const char *note);
void plot_add_figure(struct plot *p, const char *kind, const char *name);
int plot_items_of(const char *text, const char *skip,
		  struct plot_item *it, int max);
bool plot_has_item(const struct plot_item *it, int n, const char *text);
void plot_append(char *buf, size_t len, const char *sep, const char *s);
void plot_make_labels(struct plot *p);
int plot_series_of(const struct plot *p, const struct cmp_block *b, int k);
void plot_make_series(struct plot *p);
void plot_make_note(struct plot *p);
void plot_note_scopes(struct plot *p);
void plot_scale_add(struct plot_scale *s, double v);
bool plot_scale_log(const struct plot_scale *s);
double plot_scale_floor(const struct plot_scale *s);
double plot_time_unit(double max_ns, const char **unit);
double plot_bar_x(int b, int s, int n);
int plot_model_lines(const struct plot *p);
int plot_write_tics(const struct plot *p, const char *name, bool models);
bool plot_write_bars(const struct plot *p, FILE *f, int m, double div);
void plot_scale_metric(const struct plot *p, struct plot_scale *sc, int m,
		       bool whiskers);
const char *plot_kind_why(const struct plot *p);

/* The figures: each writes its files and its line of DIR/figures. */
int plot_fig_flushes(struct plot *p);
int plot_fig_latency(struct plot *p);
int plot_fig_victims(struct plot *p);
int plot_fig_victims_recv(struct plot *p);
int plot_fig_scaling(struct plot *p);
int plot_fig_reasons(struct plot *p);
int plot_fig_change(struct plot *p);

#endif
