/*
 * Writing sample records; every field name here is read downstream.
 * Documentation/result-format.md is the contract with the reader
 * (lib/analysis/resultset.c): a field is added there in the same change.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"

#include "record.h"
#include "common/stats.h"

static void add(struct json_object *o, const char *key,
		struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *params_json(const struct sample *s)
{
	const struct params *p = s->p;
	struct json_object *o = json_object_new_object();
	char buf[8192], *text;

	size_text(p->size, buf, sizeof(buf));
	add(o, "size", json_object_new_string(buf));
	add(o, "size_bytes", json_object_new_int64(p->size));
	add(o, "threads", json_object_new_int(p->threads));
	add(o, "backing", json_object_new_string(backing_name(p->backing)));
	add(o, "dir", json_object_new_string(s->dir));
	add(o, "fs", json_object_new_string(s->fs));
	add(o, "pages", json_object_new_string(pages_name(p->pages)));
	if (s->options & OPT_DIRTY) {
		dirty_text(p, buf, sizeof(buf));
		add(o, "dirty", json_object_new_string(buf));
	}
	text = cpu_list_format(&p->cpus);
	add(o, "cpus", text ? json_object_new_string(text) : NULL);
	free(text);
	if (s->options & OPT_REPS) {
		add(o, "reps", json_object_new_int(p->reps));
		if (!p->reps) {
			/* --reps auto: the harness fills in reps at the end. */
			add(o, "target_ci", json_object_new_double(p->target_ci));
			add(o, "max_reps", json_object_new_int(p->max_reps));
		}
	}
	if (s->options & OPT_WARMUP)
		add(o, "warmup", json_object_new_int(p->warmup));
	add(o, "scope", json_object_new_string(scope_name(p->scope)));
	add(o, "attribute", json_object_new_string(
		attribute_name(p->attribute)));
	add(o, "events", p->events_given ?
	    json_object_new_string(p->events) : json_object_new_null());
	if (s->options & OPT_DURATION)
		add(o, "duration", json_object_new_int(p->duration));
	/* Spinning helpers, the default, leave the records as they were. */
	if ((s->options & OPT_VICTIMS) && p->victims != VICTIMS_SPIN) {
		victims_text(p, buf, sizeof(buf));
		add(o, "victims", json_object_new_string(buf));
	}
	options_own_json(p, s->own, o);
	return o;
}

static struct json_object *mapping_json(const struct smaps_vma *v)
{
	struct json_object *o = json_object_new_object();

	add(o, "granularity", json_object_new_string(smaps_granularity(v)));
	add(o, "rss_kb", json_object_new_int64(v->rss_kb));
	/* A shared mapping mapped once counts as Private_* in smaps. */
	add(o, "dirty_kb", json_object_new_int64(v->shared_dirty_kb +
						  v->private_dirty_kb));
	add(o, "file_pmd_kb", json_object_new_int64(v->file_pmd_kb));
	add(o, "shmem_pmd_kb", json_object_new_int64(v->shmem_pmd_kb));
	add(o, "anon_huge_kb", json_object_new_int64(v->anon_huge_kb));
	add(o, "hugetlb_kb", json_object_new_int64(v->shared_hugetlb_kb +
						   v->private_hugetlb_kb));
	return o;
}

/* Sums over CPUs of every supported counter. */
struct json_object *counters_json(const struct counters *cs,
				  const long long *vals)
{
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < cs->n; i++)
		if (cs->c[i].supported)
			add(o, cs->c[i].name,
			    json_object_new_int64(counters_sum(cs, vals, i)));
	return o;
}

static struct json_object *phases_json(const struct sample *s)
{
	struct json_object *a = json_object_new_array();

	for (int i = 0; i < s->nphases; i++) {
		struct json_object *o = json_object_new_object();

		add(o, "name", json_object_new_string(s->phase_names[i]));
		add(o, "ns", json_object_new_int64(s->phase_ns[i]));
		add(o, "counters", counters_json(s->cs, s->phase_delta[i]));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *model_json(const struct model *m)
{
	struct json_object *o = json_object_new_object();

	/* Per operation: the page tables that held a dirty shared PTE. */
	add(o, "dirty_tables", json_object_new_int64(m->tables));
	add(o, "ops", json_object_new_int64(m->ops));
	add(o, "predict_force_flush", json_object_new_int64(m->force_flush));
	add(o, "predict_batched", json_object_new_int64(m->batched));
	add(o, "measured", json_object_new_int64(m->measured));
	if (m->counted)
		add(o, "counted", json_object_new_string(m->counted));
	add(o, "distinct", json_object_new_boolean(m->distinct));
	add(o, "verdict", json_object_new_string(m->verdict));
	return o;
}

/* A time in ns, or null where it could not be had (NAN). */
static struct json_object *ns_json(double ns)
{
	return isfinite(ns) ? json_object_new_double(round(ns)) : NULL;
}

/* Counter NAME on CPU in the sample's window, or -1 when not counted. */
static long long count_on(const struct sample *s, const char *name, int cpu)
{
	const struct counters *cs = s->cs;
	int i = counters_find(cs, name);

	if (i < 0 || !cs->c[i].supported)
		return -1;
	for (int k = 0; k < cs->cpus.n; k++)
		if (cs->cpus.cpu[k] == cpu)
			return COUNTER_VAL(cs, s->delta, i, k);
	return -1;
}

/* What one victim lost, or the sum over victims: the same keys. */
struct victims_sum {
	double loads, cal_loads, gaps, cal_gaps;
	double stolen, cal_stolen, slowdown, lost, noise, dropped;
	long long shootdowns, tlb_irqs;
	long long entries[HANDLER_WINDOWS];
	double handler_ns[HANDLER_WINDOWS];
};

static void victims_sum_add(struct victims_sum *t, const struct sample *s,
			    int i)
{
	const struct victim_loss *l = &s->loss[i];
	const struct handler_cpu *h = &s->handler_cpu[i];
	long long sd = count_on(s, "tlb_flush.remote_shootdown", l->cpu);
	long long irq = count_on(s, "interrupts.tlb", l->cpu);

	t->loads += l->loads;
	t->cal_loads += l->cal_loads;
	t->gaps += l->gaps;
	t->cal_gaps += l->cal_gaps;
	t->stolen += l->stolen_ns;
	t->cal_stolen += l->cal_stolen_ns;
	t->slowdown += l->slowdown_ns;
	t->lost += l->lost_ns;
	t->noise += l->noise_ns;
	t->dropped += l->dropped;
	t->shootdowns = sd < 0 || t->shootdowns < 0 ? -1 : t->shootdowns + sd;
	t->tlb_irqs = irq < 0 || t->tlb_irqs < 0 ? -1 : t->tlb_irqs + irq;
	for (int w = 0; w < HANDLER_WINDOWS; w++) {
		t->entries[w] += h->entries[w];
		t->handler_ns[w] += h->ns[w];
	}
}

/* The callbacks the handlers of victim I (or all, I < 0) ran in W. */
static struct json_object *handler_funcs_json(const struct sample *s, int i,
					      int w)
{
	struct json_object *o = json_object_new_object();
	long long other = 0;

	for (int v = i < 0 ? 0 : i; v < (i < 0 ? s->victims->n : i + 1); v++) {
		const struct handler_cpu *h = &s->handler_cpu[v];

		for (int f = 0; f < h->nfuncs; f++) {
			const char *name = handler_func_name(s->handler,
							     h->func[f].addr);
			struct json_object *x;
			long long n = h->func[f].n[w];

			if (!n)
				continue;
			if (json_object_object_get_ex(o, name, &x))
				n += json_object_get_int64(x);
			add(o, name, json_object_new_int64(n));
		}
		other += h->other_funcs[w];
	}
	if (other)
		add(o, "other", json_object_new_int64(other));
	return o;
}

static void victims_sum_json(struct json_object *o, const struct sample *s,
			     const struct victims_sum *t, int i)
{
	const struct handler *h = s->handler;

	add(o, "loads", json_object_new_int64(t->loads));
	add(o, "cal_loads", json_object_new_int64(t->cal_loads));
	add(o, "gaps", json_object_new_int64(t->gaps));
	add(o, "cal_gaps", json_object_new_int64(t->cal_gaps));
	add(o, "stolen_ns", ns_json(t->stolen));
	add(o, "cal_stolen_ns", ns_json(t->cal_stolen));
	add(o, "slowdown_ns", ns_json(t->slowdown));
	add(o, "lost_ns", ns_json(t->lost));
	add(o, "noise_ns", ns_json(t->noise));
	if (t->dropped)
		add(o, "dropped_gaps", json_object_new_int64(t->dropped));
	if (t->shootdowns >= 0)
		add(o, "shootdowns", json_object_new_int64(t->shootdowns));
	if (t->tlb_irqs >= 0)
		add(o, "tlb_interrupts", json_object_new_int64(t->tlb_irqs));
	if (!h->open)
		return;
	add(o, "handler_entries", json_object_new_int64(t->entries[1]));
	add(o, "handler_ns", ns_json(t->handler_ns[1]));
	add(o, "cal_handler_entries", json_object_new_int64(t->entries[0]));
	add(o, "cal_handler_ns", ns_json(t->handler_ns[0]));
	if (h->csd) {
		add(o, "handler_functions", handler_funcs_json(s, i, 1));
		add(o, "cal_handler_functions", handler_funcs_json(s, i, 0));
	}
}

/*
 * --victims walk: what the window took from each victim and from all,
 * beside the handler time on their CPUs.  Sums over victims first, the
 * victims one by one in "per_victim".
 */
static struct json_object *victims_json(const struct sample *s)
{
	const struct victims *vs = s->victims;
	struct json_object *o = json_object_new_object();
	struct json_object *per = json_object_new_array();
	struct victims_sum all = { 0 };
	long long lost = 0;

	add(o, "mode", json_object_new_string("walk"));
	add(o, "size_bytes", json_object_new_int64(vs->size));
	add(o, "n", json_object_new_int(vs->n));
	add(o, "gap_ns", json_object_new_int(VICTIM_GAP_NS));
	add(o, "clock", json_object_new_string(CYCLES_SOURCE));
	add(o, "window_ns", ns_json(s->victims_ns[1]));
	add(o, "calibration_ns", ns_json(s->victims_ns[0]));
	for (int i = 0; i < vs->n; i++) {
		struct json_object *v = json_object_new_object();
		struct victims_sum one = { 0 };

		victims_sum_add(&one, s, i);
		victims_sum_add(&all, s, i);
		add(v, "cpu", json_object_new_int(s->loss[i].cpu));
		victims_sum_json(v, s, &one, i);
		json_object_array_add(per, v);
		lost += s->handler_cpu[i].lost;
	}
	victims_sum_json(o, s, &all, -1);
	if (!s->handler->open)
		add(o, "handler_unsupported",
		    json_object_new_string(s->handler->why));
	else if (s->handler->why[0])
		add(o, "handler_note", json_object_new_string(s->handler->why));
	if (lost)
		add(o, "handler_lost_samples", json_object_new_int64(lost));
	add(o, "per_victim", per);
	return o;
}

static double median_sum(const struct victims_sum *t, unsigned n,
			 double (*get)(const struct victims_sum *), double *tmp)
{
	for (unsigned i = 0; i < n; i++)
		tmp[i] = get(&t[i]);
	return stats_median(tmp, n);
}

#define SUM_GETTER(name, expr) \
	static double name(const struct victims_sum *t) { return (expr); }
SUM_GETTER(get_lost, t->lost)
SUM_GETTER(get_stolen, t->stolen)
SUM_GETTER(get_gaps, t->gaps)
SUM_GETTER(get_cal_stolen, t->cal_stolen)
SUM_GETTER(get_cal_gaps, t->cal_gaps)
SUM_GETTER(get_slowdown, t->slowdown)
SUM_GETTER(get_noise, t->noise)
SUM_GETTER(get_shootdowns, t->shootdowns)
SUM_GETTER(get_entries, t->entries[1])
SUM_GETTER(get_handler_ns, t->handler_ns[1])
SUM_GETTER(get_per_shootdown, t->shootdowns > 0 ? t->lost / t->shootdowns
						: NAN)

/*
 * --victims walk, as text: medians over the N samples S of the sums over
 * victims, in ms per window and µs per shootdown received.
 */
void victims_summary_text(FILE *f, const struct sample *s, unsigned n)
{
	struct victims_sum *t = calloc(n ? n : 1, sizeof(*t));
	double *tmp = calloc(n ? n : 1, sizeof(*tmp));
	char size[32];

	if (!t || !tmp || !n)
		goto out;
	for (unsigned r = 0; r < n; r++)
		for (int i = 0; i < s[r].victims->n; i++)
			victims_sum_add(&t[r], &s[r], i);
	size_text(s[0].victims->size, size, sizeof(size));
	fprintf(f, "# victims: %d walking %s each; medians of the sums over "
		"them, per window:\n", s[0].victims->n, size);
	fprintf(f, "#   lost %.3f ms: stolen %.3f ms in %.0f gaps "
		"(calibration %.3f ms in %.0f),\n#   slowdown %.3f ms; "
		"noise %.3f ms\n",
		median_sum(t, n, get_lost, tmp) / 1e6,
		median_sum(t, n, get_stolen, tmp) / 1e6,
		median_sum(t, n, get_gaps, tmp),
		median_sum(t, n, get_cal_stolen, tmp) / 1e6,
		median_sum(t, n, get_cal_gaps, tmp),
		median_sum(t, n, get_slowdown, tmp) / 1e6,
		median_sum(t, n, get_noise, tmp) / 1e6);
	if (t[0].shootdowns >= 0)
		fprintf(f, "#   shootdowns received %.0f: %.2f us lost per "
			"shootdown\n", median_sum(t, n, get_shootdowns, tmp),
			median_sum(t, n, get_per_shootdown, tmp) / 1e3);
	if (s[0].handler->open)
		fprintf(f, "#   call-function handler: %.0f entries, %.3f ms\n",
			median_sum(t, n, get_entries, tmp),
			median_sum(t, n, get_handler_ns, tmp) / 1e6);
	else
		fprintf(f, "#   handler time unsupported: %s\n",
			s[0].handler->why);
out:
	free(t);
	free(tmp);
}

/*
 * --attribute: the flushes of the window per kernel path, as counts
 * "attr.PATH" (sender flushes: every path) and "attr.REASON.PATH" (other
 * reasons with --attribute=all: the paths seen, others are 0);
 * "available" says whether there are any.
 */
static struct json_object *attribution_json(const struct sample *s)
{
	const struct attribution *a = s->attr;
	const struct attr_counts *c = s->attr_counts;
	struct json_object *o = json_object_new_object();
	struct json_object *counts, *chains;
	const struct attr_chains *ch = s->attr_chains;
	char key[160];

	add(o, "reasons", json_object_new_string(attribute_name(a->mode)));
	add(o, "available", json_object_new_boolean(a->open && a->named));
	if (a->why[0])
		add(o, "why", json_object_new_string(a->why));
	if (!a->open)
		return o;
	add(o, "samples", json_object_new_int64(c->samples));
	add(o, "lost", json_object_new_int64(c->lost));
	add(o, "lost_records", json_object_new_int64(c->lost_records));
	add(o, "outside", json_object_new_int64(c->outside));
	if (!a->named)
		return o;
	add(o, "symbols", json_object_new_string("/proc/kallsyms"));
	counts = json_object_new_object();
	for (int r = 0; r < ATTR_REASONS; r++) {
		if (!attr_reason_sampled(a, r))
			continue;
		for (int p = 0; p <= ATTR_PATHS_MAX; p++) {
			if (p >= attr_npaths() && p < ATTR_PATHS_MAX)
				continue;
			/* Other reasons than the sender's: only paths seen. */
			if (r != ATTR_SEND && !c->n[r][p])
				continue;
			attr_count_key(r, p, key, sizeof(key));
			add(counts, key, json_object_new_int64(c->n[r][p]));
		}
	}
	add(o, "counts", counts);
	chains = json_object_new_array();
	for (int i = 0; i < ch->n; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "count", json_object_new_int64(ch->c[i].count));
		add(e, "frames", json_object_new_string(ch->c[i].text));
		json_object_array_add(chains, e);
	}
	add(o, "unclassified", chains);
	if (ch->more)
		add(o, "unclassified_more", json_object_new_int64(ch->more));
	return o;
}

struct json_object *sample_json(const struct sample *s)
{
	const struct counters *cs = s->cs;
	struct json_object *o = json_object_new_object();
	struct json_object *per_cpu = json_object_new_object();
	struct json_object *unsup = json_object_new_object();
	struct json_object *notes = json_object_new_object();
	struct json_object *cpus = json_object_new_array();

	add(o, "workload", json_object_new_string(s->workload));
	if (!s->result)
		add(o, "rep", json_object_new_int(s->rep));
	add(o, "params", params_json(s));
	/* What was counted: params.scope may have asked for more. */
	add(o, "scope", json_object_new_string(scope_name(cs->scope)));
	if (cs->fallback[0])
		add(o, "scope_fallback", json_object_new_string(cs->fallback));
	add(o, "ns", json_object_new_int64(s->ns));
	add(o, "ops", json_object_new_int64(s->ops));
	if (s->preempted >= 0)
		add(o, "preempted", json_object_new_int64(s->preempted));
	if (s->helpers_preempted >= 0)
		add(o, "helpers_preempted",
		    json_object_new_int64(s->helpers_preempted));
	add(o, "mapping", mapping_json(s->seen));
	add(o, "populate", json_object_new_string(s->populate));
	if (s->stop)
		add(o, "stop", json_object_new_string(s->stop));

	for (int k = 0; k < cs->cpus.n; k++)
		json_object_array_add(cpus, json_object_new_int(cs->cpus.cpu[k]));
	add(per_cpu, "cpus", cpus);
	for (int i = 0; i < cs->n; i++) {
		const struct counter *c = &cs->c[i];
		struct json_object *arr;

		if (!c->supported) {
			add(unsup, c->name, json_object_new_string(c->note));
			continue;
		}
		if (c->note[0])
			add(notes, c->name, json_object_new_string(c->note));
		arr = json_object_new_array();
		for (int k = 0; k < cs->cpus.n; k++)
			json_object_array_add(arr, json_object_new_int64(
				COUNTER_VAL(cs, s->delta, i, k)));
		add(per_cpu, c->name, arr);
	}
	if (s->victims && !s->handler->open)
		add(unsup, "victims.handler_ns",
		    json_object_new_string(s->handler->why));
	if (cs->note[0])
		add(notes, "hw", json_object_new_string(cs->note));
	if (cs->mechanism[0])
		add(notes, "mechanism", json_object_new_string(cs->mechanism));
	add(o, "counters", counters_json(cs, s->delta));
	add(o, "per_cpu", per_cpu);
	if (s->noise)
		add(o, "noise", counters_json(cs, s->noise));
	if (s->nphases)
		add(o, "phases", phases_json(s));
	if (s->model)
		add(o, "model", model_json(s->model));
	if (s->disturbed)
		add(o, "disturbed", json_object_new_string(s->disturbed));
	if (s->remote_flush)
		add(o, "remote_flush", json_object_new_string(s->remote_flush));
	if (s->budget) {
		struct json_object *b = json_object_new_object();

		add(b, "prepare", json_object_new_int64(s->budget->prepare));
		add(b, "counters", json_object_new_int64(s->budget->counters));
		add(b, "windows", json_object_new_int64(s->budget->windows));
		add(b, "idle", json_object_new_int64(s->budget->idle));
		add(o, "budget_ns", b);
	}
	if (s->attr)
		add(o, "attribution", attribution_json(s));
	if (s->victims)
		add(o, "victims", victims_json(s));
	add(o, "unsupported", unsup);
	add(o, "notes", notes);
	if (s->result) {
		json_object_object_foreach(s->result, key, val)
			add(o, key, json_object_get(val));
	}
	return o;
}

void model_text(FILE *f, const struct model *m)
{
	fprintf(f, "# kernel model: %s (measured %lld flushes%s%s; "
		"force_flush predicts <= %llu, batched <= %llu%s)\n",
		m->verdict, m->measured, m->counted ? " by " : "",
		m->counted ? m->counted : "", m->force_flush, m->batched,
		m->distinct ? "" : ": the models agree here");
}

/* Where the records of this run belong in a result set, or line 0. */
static struct record_tag tag;

void record_tag_set(const struct record_tag *t)
{
	tag = *t;
}

/* One sample record per line, tagged; O is released. */
void sample_print_object(FILE *f, struct json_object *o)
{
	if (tag.line) {
		json_object_object_add(o, "line", json_object_new_int(tag.line));
		json_object_object_add(o, "config_line",
				       json_object_new_string(tag.config_line));
		if (tag.run)
			json_object_object_add(o, "run",
					       json_object_new_int(tag.run));
	}
	fprintf(f, "%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(f);
	json_object_put(o);
}

void sample_print_json(FILE *f, const struct sample *s)
{
	sample_print_object(f, sample_json(s));
}

/* What the tracepoints counted, unless the workload's threads per CPU. */
static void scope_text(FILE *f, const struct counters *cs)
{
	if (cs->scope == SCOPE_SYSTEM)
		fprintf(f, "# scope system: tracepoints of every thread\n");
	else if (cs->scope == SCOPE_PROCESS)
		fprintf(f, "# scope process: tracepoints of the workload's "
			"threads, counted per thread\n");
	if (cs->fallback[0])
		fprintf(f, "# %s\n", cs->fallback);
}

void sample_text_header(FILE *f, const struct sample *s)
{
	const struct params *p = s->p;
	char size[32], dirty[32], *cpus = cpu_list_format(&p->cpus);

	size_text(p->size, size, sizeof(size));
	dirty_text(p, dirty, sizeof(dirty));
	fprintf(f, "# %s: %s %s (%s, %s), %s pages, dirty %s, "
		"%u thread%s on CPUs %s\n", s->workload, size,
		backing_name(p->backing), s->dir[0] ? s->dir : "-", s->fs, pages_name(p->pages), dirty, p->threads,
		p->threads == 1 ? "" : "s", cpus ? cpus : "?");
	free(cpus);
	fprintf(f, "# sent = tlb_flush.remote_send_ipi, recv = "
		"tlb_flush.remote_shootdown, summed over CPUs\n");
	scope_text(f, s->cs);
	fprintf(f, "%5s %12s %7s %8s %8s %8s %8s\n", "rep", "usec", "mapped",
		"sent", "recv", "irq.tlb", "total");
}

static void print_count(FILE *f, const struct sample *s, const char *name)
{
	int i = counters_find(s->cs, name);

	if (i < 0 || !s->cs->c[i].supported)
		fprintf(f, " %8s", "-");
	else
		fprintf(f, " %8lld", counters_sum(s->cs, s->delta, i));
}

void sample_text_row(FILE *f, const struct sample *s)
{
	fprintf(f, "%5u %12.1f %7s", s->rep, s->ns / 1e3,
		smaps_granularity(s->seen));
	print_count(f, s, "tlb_flush.remote_send_ipi");
	print_count(f, s, "tlb_flush.remote_shootdown");
	print_count(f, s, "interrupts.tlb");
	print_count(f, s, "tlb_flush.total");
	fputc('\n', f);
	fflush(f);
}

static double median_of(long long *const *vals, unsigned n, size_t idx,
			double *tmp)
{
	for (unsigned r = 0; r < n; r++)
		tmp[r] = vals[r][idx];
	return stats_median(tmp, n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Counter I's per-CPU medians into PER (one per CPU column), sorted into
 * SORTED; the CPUs whose median is 0 into NONE.
 */
static void per_cpu_medians(const struct counters *cs, long long *const *delta,
			    unsigned n, int i, double *tmp, double *per,
			    double *sorted, struct cpu_list *none)
{
	none->n = 0;
	for (int k = 0; k < cs->cpus.n; k++) {
		per[k] = median_of(delta, n, i * cs->cpus.n + k, tmp);
		sorted[k] = per[k];
		if (!per[k])
			cpu_list_add(none, cs->cpus.cpu[k]);
	}
	qsort(sorted, cs->cpus.n, sizeof(*sorted), cmp_double);
}

/*
 * Medians over the N measured repetitions, per counter: a column per CPU
 * up to PER_CPU_COLUMNS CPUs; beyond, the smallest, median and largest
 * CPU's count, and for the shootdowns received the CPUs that got none.
 */
#define PER_CPU_COLUMNS 4

void samples_text_summary(FILE *f, const struct counters *cs,
			  long long *const *delta, long long *const *noise,
			  const unsigned long long *ns, unsigned n)
{
	bool per_cpu = cs->cpus.n <= PER_CPU_COLUMNS;
	double *tmp = calloc(n ? n : 1, sizeof(*tmp));
	double *per = calloc(cs->cpus.n ? cs->cpus.n : 1, sizeof(*per));
	double *sorted = calloc(cs->cpus.n ? cs->cpus.n : 1, sizeof(*sorted));
	struct cpu_list *none = calloc(1, sizeof(*none));
	char list[256];

	if (!tmp || !per || !sorted || !none)
		goto out;
	for (unsigned r = 0; r < n; r++)
		tmp[r] = ns[r];
	fprintf(f, "# median of %u rep%s: %.1f usec\n", n, n == 1 ? "" : "s",
		stats_median(tmp, n) / 1e3);
	fprintf(f, "%-30s", "# counter (median)");
	for (int k = 0; per_cpu && k < cs->cpus.n; k++) {
		char col[16];

		snprintf(col, sizeof(col), "cpu%d", cs->cpus.cpu[k]);
		fprintf(f, " %8s", col);
	}
	if (!per_cpu)
		fprintf(f, " %8s %8s %8s", "cpu min", "median", "max");
	fprintf(f, " %9s %8s\n", "sum", "noise");
	for (int i = 0; i < cs->n; i++) {
		const struct counter *c = &cs->c[i];
		double sum;

		if (!c->supported)
			continue;
		fprintf(f, "  %-28s", c->name);
		per_cpu_medians(cs, delta, n, i, tmp, per, sorted, none);
		for (int k = 0; per_cpu && k < cs->cpus.n; k++)
			fprintf(f, " %8.0f", per[k]);
		if (!per_cpu)
			fprintf(f, " %8.0f %8.0f %8.0f", sorted[0],
				sorted[cs->cpus.n / 2], sorted[cs->cpus.n - 1]);
		for (unsigned r = 0; r < n; r++)
			tmp[r] = counters_sum(cs, delta[r], i);
		sum = stats_median(tmp, n);
		for (unsigned r = 0; r < n; r++)
			tmp[r] = counters_sum(cs, noise[r], i);
		fprintf(f, " %9.0f %8.0f\n", sum, stats_median(tmp, n));
	}
	/* Which CPUs a shootdown never reached, where columns cannot say. */
	for (int i = 0; !per_cpu && i < cs->n; i++) {
		const struct counter *c = &cs->c[i];

		if (!c->supported || strcmp(c->name, "tlb_flush.remote_shootdown"))
			continue;
		per_cpu_medians(cs, delta, n, i, tmp, per, sorted, none);
		if (!none->n)
			fprintf(f, "# %s: every one of %d CPUs received some\n",
				c->name, cs->cpus.n);
		else {
			cpu_list_ranges(none, list, sizeof(list));
			fprintf(f, "# %s: none on %d of %d CPUs: %s\n", c->name,
				none->n, cs->cpus.n, list);
		}
	}
	for (int i = 0; i < cs->n; i++)
		if (!cs->c[i].supported)
			fprintf(f, "# unsupported %s: %s\n", cs->c[i].name,
				cs->c[i].note);
	if (cs->note[0])
		fprintf(f, "# %s\n", cs->note);
	if (cs->mechanism[0])
		fprintf(f, "# %s\n", cs->mechanism);
out:
	free(tmp);
	free(per);
	free(sorted);
	if (none)
		cpu_list_free(none);
	free(none);
}

/*
 * Print "key value" after COL columns: a space first, then items joined by
 * ", ", wrapping before column 80 onto a line starting with CONT.
 */
static int print_item(FILE *f, int col, bool first, const char *cont,
		      const char *key, const char *val)
{
	int len = strlen(key) + 1 + strlen(val);

	if (first) {
		fputc(' ', f);
		col++;
	} else if (col + 2 + len > 79) {
		fprintf(f, ",\n%s", cont);
		col = strlen(cont);
	} else {
		fprintf(f, ", ");
		col += 2;
	}
	fprintf(f, "%s %s", key, val);
	return col + len;
}

static const char *scalar_text(struct json_object *v)
{
	return v ? json_object_get_string(v) : "null";
}

static void print_findings(FILE *f, const char *key, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_object: {
		json_object_object_foreach(v, k, m)
			fprintf(f, "  %-32s %s\n", k, scalar_text(m));
		break;
	}
	case json_type_array:
		fprintf(f, "# %s: %zu\n", key, json_object_array_length(v));
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			bool first = true;
			int col = 1;

			if (!json_object_is_type(e, json_type_object)) {
				fprintf(f, "  %s\n", scalar_text(e));
				continue;
			}
			fputc(' ', f);
			json_object_object_foreach(e, k, m) {
				col = print_item(f, col, first, "    ", k,
						 scalar_text(m));
				first = false;
			}
			fputc('\n', f);
		}
		break;
	default:
		fprintf(f, "  %-32s %s\n", key, scalar_text(v));
		break;
	}
}

/*
 * A whole-run record as text: its parameters, the counters summed over
 * CPUs, then the workload's findings; "note" and "verdict_text" come last
 * as comment lines (the latter in place of the one-word "verdict").
 */
void record_text(FILE *f, const struct sample *s)
{
	struct json_object *params = params_json(s), *v;
	int col = fprintf(f, "# %s:", s->workload);
	bool first = true;

	json_object_object_foreach(params, key, val) {
		col = print_item(f, col, first, "#  ", key, scalar_text(val));
		first = false;
	}
	fputc('\n', f);
	json_object_put(params);
	fprintf(f, "# %.2f s, mapped %s, populated by %s\n", s->ns / 1e9,
		smaps_granularity(s->seen), s->populate);
	scope_text(f, s->cs);
	for (int i = 0; i < s->cs->n; i++) {
		const struct counter *c = &s->cs->c[i];

		if (c->supported)
			fprintf(f, "  %-32s %lld\n", c->name,
				counters_sum(s->cs, s->delta, i));
		else
			fprintf(f, "# unsupported %s: %s\n", c->name, c->note);
	}
	json_object_object_foreach(s->result, name, found) {
		if (strcmp(name, "note") && strcmp(name, "verdict") &&
		    strcmp(name, "verdict_text"))
			print_findings(f, name, found);
	}
	if (json_object_object_get_ex(s->result, "note", &v))
		fprintf(f, "# note: %s\n", json_object_get_string(v));
	if (json_object_object_get_ex(s->result, "verdict_text", &v))
		fprintf(f, "# verdict: %s\n", json_object_get_string(v));
	fflush(f);
}

static long long attr_sum(const struct attr_counts *const *c, unsigned n,
			  int reason, int path)
{
	long long sum = 0;

	for (unsigned i = 0; i < n; i++)
		sum += c[i]->n[reason][path];
	return sum;
}

/* Per reason sampled: a table of paths, medians per rep and shares. */
static void reason_text(FILE *f, const struct attr_counts *const *c,
			const struct counters *cs, long long *const *delta,
			unsigned n, int r, double *tmp)
{
	long long total = 0, counted = -1;
	char name[160];
	int i;

	for (int p = 0; p <= ATTR_PATHS_MAX; p++)
		total += attr_sum(c, n, r, p);
	if (!total && r != ATTR_SEND)
		return;
	snprintf(name, sizeof(name), "tlb_flush.%s", attr_reason_name(r));
	i = counters_find(cs, name);
	if (i >= 0 && cs->c[i].supported) {
		counted = 0;
		for (unsigned k = 0; k < n; k++)
			counted += counters_sum(cs, delta[k], i);
	}
	fprintf(f, "# %s by kernel path: median per rep, share of all "
		"%u reps\n", name, n);
	fprintf(f, "  %-44s %9s %7s\n", "path", "median", "share");
	for (int p = 0; p <= ATTR_PATHS_MAX; p++) {
		long long sum;

		if (p >= attr_npaths() && p < ATTR_PATHS_MAX)
			continue;
		sum = attr_sum(c, n, r, p);
		if (!sum && p != ATTR_PATHS_MAX)
			continue;
		for (unsigned k = 0; k < n; k++)
			tmp[k] = c[k]->n[r][p];
		fprintf(f, "  %-44s %9.0f %6.1f%%\n", attr_path_label(p),
			stats_median(tmp, n), total ? 100.0 * sum / total : 0);
	}
	if (counted >= 0)
		fprintf(f, "# sampled %lld, counted %lld (%s) over %u reps\n",
			total, counted, name, n);
}

void attribution_text(FILE *f, const struct attribution *a,
		      const struct attr_chains *chains,
		      const struct attr_counts *const *c,
		      const struct counters *cs, long long *const *delta,
		      unsigned n)
{
	long long lost = 0, records = 0, samples = 0;
	double *tmp;

	for (unsigned k = 0; k < n; k++) {
		lost += c[k]->lost;
		records += c[k]->lost_records;
		samples += c[k]->samples;
	}
	if (!a->open || !a->named) {
		fprintf(f, "# attribution not available: %s\n", a->why);
		if (a->open)
			fprintf(f, "# %lld flushes sampled over %u reps, "
				"%lld lost\n", samples, n, lost);
		return;
	}
	tmp = calloc(n ? n : 1, sizeof(*tmp));
	if (!tmp)
		return;
	for (int r = 0; r < ATTR_REASONS; r++)
		if (attr_reason_sampled(a, r))
			reason_text(f, c, cs, delta, n, r, tmp);
	free(tmp);
	if (lost || records)
		fprintf(f, "# warning: %lld flushes left no sample (%lld "
			"reported by PERF_RECORD_LOST): the ring buffer was "
			"too small\n", lost, records);
	if (!chains->n)
		return;
	fprintf(f, "# unclassified chains, innermost frame first (to name "
		"them, extend the\n# table in lib/measure/attr_paths.c):\n");
	for (int i = 0; i < chains->n; i++)
		fprintf(f, "# %6lld  %s\n", chains->c[i].count,
			chains->c[i].text);
	if (chains->more)
		fprintf(f, "# %6lld  in other chains\n", chains->more);
}
