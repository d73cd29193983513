/*
 * compare's JSON: one object with the sets, the warnings, a block per
 * compared line (its metrics, a column each with every number of the
 * cell) and the lines not compared.  Numbers keep 9 significant digits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "compare_render.h"


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

/* The object being built, and the open block and metric. */
struct json_state {
	struct json_object *o, *sets, *blocks, *unmatched;
	struct json_object *block, *metrics, *metric, *columns;
};

static void json_begin(const struct cmp *c, void *priv)
{
	struct json_state *st = priv;

	st->o = json_object_new_object();
	st->sets = json_object_new_array();
	jadd(st->o, "vary", jstr(c->vary));
	jadd(st->o, "sets", st->sets);
}

static void json_set(const struct cmp *c, int s, void *priv)
{
	static const char *const keys[] = {
		"kernel", "cmdline", "cpu_model", "tlbbench", "git_revision",
		"status" };
	const struct json_state *st = priv;
	const struct cmp_set *set = &c->set[s];
	struct json_object *o = json_object_new_object(), *v;
	char kind[128], details[1024];

	if (!c->vary)
		jadd(o, "label", jlabel('A' + s));
	jadd(o, "name", json_object_new_string(set->name));
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++)
		jadd(o, keys[k], jstr(rs_system_string(&set->rs, keys[k])));
	json_object_object_get_ex(set->rs.system, "cpus_online", &v);
	jadd(o, "cpus_online", json_object_get(v));
	rs_machine_kind(&set->machine, kind, sizeof(kind));
	jadd(o, "machine", jstr(*kind ? kind : NULL));
	cmp_set_details(set, details, sizeof(details));
	jadd(o, "details", json_object_new_string(details));
	json_object_array_add(st->sets, o);
}

static void json_sets_end(const struct cmp *c, void *priv)
{
	struct json_state *st = priv;
	struct json_object *warn = json_object_new_array();

	for (int i = 0; i < c->warnings.n; i++)
		json_object_array_add(warn,
				      json_object_new_string(c->warnings.v[i]));
	jadd(st->o, "warnings", warn);
	if (c->any_kind) {
		char note[2048];

		cmp_kind_note(c, note, sizeof(note));
		jadd(st->o, "times_not_compared", json_object_new_string(note));
	}
	if (cmp_any_untested(c))
		jadd(st->o, "times_untested",
		     json_object_new_string(cmp_untested_text));
	if (c->by_runs)
		jadd(st->o, "runs_method",
		     json_object_new_string(cmp_runs_text));
	st->blocks = json_object_new_array();
	jadd(st->o, "blocks", st->blocks);
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
	jadd(o, "median", rs_json_number(x->s.median));
	jadd(o, "mean", rs_json_number(x->s.mean));
	jadd(o, "sd", rs_json_number(x->s.sd));
	jadd(o, "cv_pct", rs_json_number(x->s.cv));
	jadd(o, "min", rs_json_number(x->s.min));
	jadd(o, "max", rs_json_number(x->s.max));
	ci = json_object_new_array();
	json_object_array_add(ci, rs_json_number(x->s.ci_lo));
	json_object_array_add(ci, rs_json_number(x->s.ci_hi));
	jadd(o, "median_ci", ci);
	jadd(o, "median_ci_level", rs_json_number(x->s.ci_level));
	jadd(o, "median_ci_method", json_object_new_string(
		"order statistics (binomial, distribution-free)"));
	jadd(o, "noise_median", x->have_noise ? rs_json_number(x->noise) : NULL);
	/* The value shown, and with several runs, how much they vary. */
	jadd(o, "runs", json_object_new_int(x->r.k));
	jadd(o, "value", rs_json_number(cmp_cell_value(x)));
	ci = json_object_new_array();
	json_object_array_add(ci, rs_json_number(cmp_cell_lo(x)));
	json_object_array_add(ci, rs_json_number(cmp_cell_hi(x)));
	jadd(o, "value_ci", ci);
	jadd(o, "value_method", json_object_new_string(x->r.k > 1 ?
		"geometric mean of the runs' medians, Student t interval" :
		"median, order statistics interval"));
	if (x->r.k > 1)
		jadd(o, "run_to_run_cv_pct", rs_json_number(x->r.cv));
	if (!x->have_change)
		return o;
	jadd(o, "change_pct", rs_json_number(x->ch.pct));
	ci = json_object_new_array();
	json_object_array_add(ci, rs_json_number(x->ch.pct_lo));
	json_object_array_add(ci, rs_json_number(x->ch.pct_hi));
	jadd(o, "change_ci", ci);
	jadd(o, "change_ci_method", json_object_new_string(x->ch.exact ?
		"exact counts" : isnan(x->ch.pct_lo) ? "none" :
		x->ch.runs ? "Welch t on the runs' medians" :
		"percentile bootstrap, fixed seed"));
	jadd(o, "p", rs_json_number(x->ch.p));
	/* What a test over repetitions says, kept to show why it is not
	 * the test: the A/A benchmark counts how often it is fooled. */
	if (!x->ch.exact && rs_metric_is_time(&b->metric[m]))
		jadd(o, "p_repetitions", rs_json_number(x->p_reps));
	if (x->ch.runs) {
		jadd(o, "df", rs_json_number(x->ch.df));
		jadd(o, "mde_pct", rs_json_number(x->ch.mde_pct));
	}
	jadd(o, "test", json_object_new_string(cmp_test_name(x)));
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
		jadd(v, "flushes_per_op", rs_json_number(m->measured));
		jadd(v, "predict_force_flush", rs_json_number(m->force_flush));
		jadd(v, "predict_batched", rs_json_number(m->batched));
		jadd(v, "dirty_tables", m->tables >= 0 ? rs_json_number(m->tables) :
		     NULL);
		jadd(v, "distinct", json_object_new_boolean(m->distinct));
		jadd(o, label, v);
	}
	return o;
}

static void json_block(const struct cmp *c, int i, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	struct json_state *st = priv;

	st->block = json_object_new_object();
	st->metrics = json_object_new_array();
	jadd(st->block, "title", json_object_new_string(b->title));
	jadd(st->block, "whole_run", json_object_new_boolean(b->whole));
	if (b->whole) {
		struct json_object *v = json_object_new_object();

		for (int k = 0; k < b->ncols; k++) {
			char label[2] = { b->col[k].label, '\0' };

			jadd(v, label, json_object_new_string(
				cmp_verdict(&b->col[k])));
		}
		jadd(st->block, "verdicts", v);
	}
}

static void json_metric(const struct cmp *c, int i, int m, void *priv)
{
	const struct rs_metric *mt = &c->block[i].metric[m];
	struct json_state *st = priv;

	st->metric = json_object_new_object();
	st->columns = json_object_new_array();
	jadd(st->metric, "metric", json_object_new_string(mt->name));
	jadd(st->metric, "counter", json_object_new_string(
		mt->counter[0] ? mt->counter : "ns"));
	jadd(st->metric, "per", json_object_new_string(
		mt->per == RS_PER_GIB ? "GiB" :
		mt->per == RS_PER_OP ? "op" : "sample"));
}

static void json_cell_add(const struct cmp *c, int i, int m, int k,
			  void *priv)
{
	const struct json_state *st = priv;

	json_object_array_add(st->columns, json_cell(c, &c->block[i], m, k));
}

static void json_metric_end(const struct cmp *c, int i, int m, void *priv)
{
	const struct json_state *st = priv;

	(void)c;
	(void)i;
	(void)m;
	jadd(st->metric, "columns", st->columns);
	json_object_array_add(st->metrics, st->metric);
}

static void json_block_end(const struct cmp *c, int i, void *priv)
{
	const struct cmp_block *b = &c->block[i];
	const struct json_state *st = priv;
	struct json_object *notes = json_object_new_array();

	jadd(st->block, "metrics", st->metrics);
	jadd(st->block, "kernel_model", json_model(b));
	/* Counts of another scope than A's are given without a change. */
	jadd(st->block, "counts_not_compared",
	     jstr(b->scopes[0] ? b->scopes : NULL));
	for (int n = 0; n < b->notes.n; n++)
		json_object_array_add(notes,
				      json_object_new_string(b->notes.v[n]));
	jadd(st->block, "notes", notes);
	json_object_array_add(st->blocks, st->block);
}

static void json_blocks_end(const struct cmp *c, void *priv)
{
	struct json_state *st = priv;

	(void)c;
	st->unmatched = json_object_new_array();
}

static void json_unmatched(const struct cmp *c, int i, void *priv)
{
	const struct cmp_unmatched *u = &c->unmatched[i];
	const struct json_state *st = priv;
	struct json_object *uo = json_object_new_object();

	jadd(uo, "label", jlabel(u->label));
	jadd(uo, "line", json_object_new_int(u->l->line));
	jadd(uo, "config_line", json_object_new_string(u->l->config_line));
	jadd(uo, "why", json_object_new_string(u->why));
	json_object_array_add(st->unmatched, uo);
}

static void json_end(const struct cmp *c, void *priv)
{
	const struct json_state *st = priv;

	(void)c;
	jadd(st->o, "unmatched", st->unmatched);
	printf("%s\n", json_object_to_json_string_ext(st->o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(st->o);
}

const struct cmp_renderer cmp_json_renderer = {
	.priv_size = sizeof(struct json_state),
	.begin = json_begin,
	.set = json_set,
	.sets_end = json_sets_end,
	.block = json_block,
	.metric = json_metric,
	.cell = json_cell_add,
	.metric_end = json_metric_end,
	.block_end = json_block_end,
	.blocks_end = json_blocks_end,
	.unmatched = json_unmatched,
	.end = json_end,
};
