/*
 * Rendering a comparison (lib/analysis/compare.h) in one format: one
 * walker, cmp_render(), goes over the model in the order every format
 * shows it (the sets, then per block its metrics and their cells, then
 * the lines not compared) and calls a renderer's callbacks, as perf's
 * stat-display calls print_metric_csv() or print_metric_json().  A
 * callback left NULL is a part that format does not show.
 */
#ifndef TLB_ANALYSIS_COMPARE_RENDER_H
#define TLB_ANALYSIS_COMPARE_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "common/output.h"

/* Each callback gets the model and the renderer's state (priv_size). */
struct cmp_renderer {
	size_t priv_size;
	void (*begin)(const struct cmp *c, void *priv);
	void (*set)(const struct cmp *c, int s, void *priv);
	void (*sets_end)(const struct cmp *c, void *priv);
	void (*block)(const struct cmp *c, int i, void *priv);
	void (*metric)(const struct cmp *c, int i, int m, void *priv);
	/* Column K of metric M of block I; K 0 is the base, A. */
	void (*cell)(const struct cmp *c, int i, int m, int k, void *priv);
	void (*metric_end)(const struct cmp *c, int i, int m, void *priv);
	void (*block_end)(const struct cmp *c, int i, void *priv);
	void (*blocks_end)(const struct cmp *c, void *priv);
	void (*unmatched)(const struct cmp *c, int u, void *priv);
	void (*end)(const struct cmp *c, void *priv);
};

extern const struct cmp_renderer cmp_text_renderer;
extern const struct cmp_renderer cmp_markdown_renderer;
extern const struct cmp_renderer cmp_csv_renderer;
extern const struct cmp_renderer cmp_json_renderer;

const struct cmp_renderer *cmp_renderer_of(enum out_format format);
void cmp_render(const struct cmp *c, const struct cmp_renderer *r);

/* What the renderers share: the values as shown, the legend's texts. */
const char *cmp_sys(const struct cmp_set *s, const char *key);
void cmp_fmt_value(double v, char *buf, size_t len);
void cmp_fmt_spread(const struct cmp_cell *x, char *buf, size_t len);
void cmp_fmt_change(const struct cmp_cell *x, char *buf, size_t len);
void cmp_fmt_change_ci(const struct cmp_cell *x, char *buf, size_t len);
const char *cmp_test_name(const struct cmp_cell *x);
bool cmp_any_token(const struct cmp *c, int which);
bool cmp_any_untested(const struct cmp *c);
void cmp_definitions(const struct cmp *c, struct cmp_strs *d);

extern const char cmp_columns_text[], cmp_scope_text[], cmp_kind_text[];
extern const char cmp_runs_text[], cmp_untested_text[];

#endif
