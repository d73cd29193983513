/* tlbbench report: medians per config line of one result set. */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/args.h"
#include "commands.h"
#include "analysis/machine.h"
#include "analysis/resultset.h"
#include "common/figure.h"
#include "common/stats.h"

/* The summary of the line's times (us/op); false without them. */
static bool time_summary(const struct rs_line *l, struct stats_summary *st)
{
	double *v = calloc(l->n, sizeof(*v));
	struct rs_metric m;
	bool ok = false;

	rs_metric_parse("us/op", &m);
	if (v && !rs_values(l, &m, v)) {
		stats_summarize(v, l->n, st);
		ok = true;
	}
	free(v);
	return ok;
}

/* Half the 95% interval of the median time in % of it, NAN below 6. */
static double time_half_width(const struct rs_line *l)
{
	struct stats_summary st;

	if (!time_summary(l, &st) || st.ci_short)
		return NAN;
	return stats_half_width_pct(&st);
}

/* The median of metric NAME ("COUNTER/GiB", "us/op") in WIDTH columns. */
static void print_median(const struct rs_line *l, const char *name,
			 int width)
{
	double *v = calloc(l->n, sizeof(*v)), x;
	struct rs_metric m;

	rs_metric_parse(name, &m);
	if (!v || rs_values(l, &m, v)) {
		printf(" %*s", width, "-");
		free(v);
		return;
	}
	x = stats_median(v, l->n);
	printf(" %*.*f", width, x < 100 && x != floor(x) ? 2 : x < 1e4 &&
	       x != floor(x) ? 1 : 0, x);
	free(v);
}

/* Parameter KEY of record S as text, "?" if it has none. */
static const char *param(const struct json_object *s, const char *key)
{
	const char *v = rs_sample_param(s, key);

	return v ? v : "?";
}

/* Field KEY of system.json as text, "?" if it has none. */
static const char *sys(const struct resultset *rs, const char *key)
{
	const char *v = rs_system_string(rs, key);

	return v ? v : "?";
}

/* The number PATH of record S, 0 if it has none. */
static double figure(const struct json_object *s, const char *path)
{
	double v;

	return rs_figure(s, path, &v) ? 0 : v;
}

/*
 * --reps auto lines that stopped at --max-reps short of --target-ci, and
 * where the repetitions' time went (budget_ns), summed over the set.
 */
static void report_budget(const struct resultset *rs)
{
	static const char *const parts[] = { "prepare", "counters", "windows",
					     "idle" };
	double sum[4] = { 0 }, all = 0;
	struct stats_summary st;
	int short_lines = 0;

	for (int i = 0; i < rs->nlines; i++) {
		const struct rs_line *l = &rs->lines[i];
		const char *stop = rs_sample_string(l->samples[0], "stop");

		if (stop && !strcmp(stop, "max-reps") &&
		    time_summary(l, &st)) {
			if (!short_lines++)
				printf("# short of --target-ci when --max-reps "
				       "ended them (cv: how much their times "
				       "vary):\n");
			printf("#   line %d: +-%.1f%% after %d reps, cv %.1f%%\n",
			       l->line, st.ci_short ? NAN :
			       stats_half_width_pct(&st), l->n, st.cv);
		}
		for (int j = 0; j < l->n; j++) {
			for (int k = 0; k < 4; k++) {
				char path[32];
				double v;

				snprintf(path, sizeof(path), "budget_ns.%s",
					 parts[k]);
				if (!rs_figure(l->samples[j], path, &v))
					sum[k] += v;
			}
		}
	}
	for (int k = 0; k < 4; k++)
		all += sum[k];
	if (all <= 0)
		return;
	printf("# repetitions took %.1f s:", all / 1e9);
	for (int k = 0; k < 4; k++)
		printf("%s %s %.0f%%", k ? "," : "", parts[k],
		       100 * sum[k] / all);
	putchar('\n');
}

/* How many of line L's samples have FIELD above 0, and its largest. */
static int count_above_zero(const struct rs_line *l, const char *field,
			    long long *most)
{
	int n = 0;

	*most = 0;
	for (int j = 0; j < l->n; j++) {
		long long x;
		double v;

		if (rs_figure(l->samples[j], field, &v))
			continue;
		x = v;
		if (x > 0)
			n++;
		if (x > *most)
			*most = x;
	}
	return n;
}

/*
 * Lines whose zapping thread or helpers were switched out: a preempted
 * zap may flush a table twice (one point more each), a helper switched
 * out may receive fewer shootdowns than were sent.
 */
static void report_preempted(const struct resultset *rs)
{
	bool header = false;

	for (int i = 0; i < rs->nlines; i++) {
		const struct rs_line *l = &rs->lines[i];
		long long most, hmost;
		int z = count_above_zero(l, "preempted", &most);
		int h = count_above_zero(l, "helpers_preempted", &hmost);

		if (!z && !h)
			continue;
		if (!header) {
			printf("# preempted (samples of the line; a zap split "
			       "by it flushes a table twice,\n# a helper "
			       "switched out may receive fewer):\n");
			header = true;
		}
		printf("#   line %d: the zapping thread in %d of %d (at most "
		       "%lld), helpers in %d (at most %lld)\n", l->line, z,
		       l->n, most, h, hmost);
	}
}

/*
 * Lines whose flushes the hypervisor carried to the other CPUs: their
 * recv, TLB interrupts and anything a victim pays by IPI stay 0 in a
 * guest, which is not the same as no cost.
 */
static void report_remote_flush(const struct resultset *rs)
{
	bool header = false;

	for (int i = 0; i < rs->nlines; i++) {
		const struct rs_line *l = &rs->lines[i];
		int hv = rs_remote_flush(l, "hypervisor");
		int ipi = rs_remote_flush(l, "ipi");

		if (!hv)
			continue;
		if (!header) {
			printf("# remote flushes sent to the helpers' CPUs, none "
			       "received: the hypervisor flushed\n# them "
			       "(paravirtual flush_tlb_multi); recv and what "
			       "those CPUs paid are not counted:\n");
			header = true;
		}
		printf("#   line %d: %d of %d samples", l->line, hv, l->n);
		if (ipi)
			printf(" (%d received by IPI)", ipi);
		putchar('\n');
	}
}

/*
 * "# NAME:", then "#   COLUMN  WHAT" for each column of F that says what
 * it counts, WHAT wrapped at word boundaries within 79 columns.
 */
static void whole_run_legend(const char *name, const struct result_figure *f)
{
	printf("# %s:\n", name);
	for (; f->key; f++) {
		const char *w = f->what;
		int col;

		if (!f->column || !w)
			continue;
		col = printf("#   %-7s", f->column);
		while (*w) {
			size_t n = strcspn(w, " ");

			if (col + 1 + (int)n > 79)
				col = printf("\n#   %7s", "") - 1;
			col += printf(" %.*s", (int)n, w);
			w += n;
			w += strspn(w, " ");
		}
		putchar('\n');
	}
}

/* Whether F is a parameter of the run ("params.zap"), not a figure. */
static bool is_param(const struct result_figure *f)
{
	return !strncmp(f->key, "params.", 7);
}

/* Whether line I of RS is the first whole run of its workload. */
static bool first_of_its_workload(const struct resultset *rs, int i)
{
	for (int j = 0; j < i; j++)
		if (rs_is_whole(&rs->lines[j]) &&
		    !strcmp(rs_workload(&rs->lines[j]),
			    rs_workload(&rs->lines[i])))
			return false;
	return true;
}

/* Column F of record S: a parameter, a count, or a number in F's unit. */
static void print_column(const struct json_object *s,
			 const struct result_figure *f)
{
	const char *t;
	double n;

	if (is_param(f)) {
		t = rs_sample_param(s, f->key + 7);
		printf(" %-*.*s", f->width, f->width,
		       t ? t : f->absent ? f->absent : "?");
	} else if (rs_figure(s, f->key, &n)) {
		printf(" %*s", f->width, f->absent ? f->absent : "-");
	} else if (f->unit) {
		printf(" %*.1f", f->width, n / f->unit);
	} else if (n < 1e6) {
		printf(" %*.0f", f->width, n);
	} else {
		printf(" %*.1f%c", f->width - 1, n < 1e9 ? n / 1e6 : n / 1e9,
		       n < 1e9 ? 'M' : 'G');
	}
}

/*
 * Lines of whole runs (integrity, race): a table per workload, of the
 * columns its figures declare, and the verdict.
 */
static void report_whole_runs(const struct resultset *rs)
{
	for (int i = 0; i < rs->nlines; i++) {
		const char *w = rs_workload(&rs->lines[i]);
		const struct result_figure *f = workload_figures(w);

		if (!rs_is_whole(&rs->lines[i]) || !f ||
		    !first_of_its_workload(rs, i))
			continue;
		whole_run_legend(w, f);
		printf("%3s", "#");
		for (const struct result_figure *c = f; c->key; c++)
			if (c->column)
				printf(is_param(c) ? " %-*s" : " %*s",
				       c->width, c->column);
		printf(" verdict\n");
		for (int j = i; j < rs->nlines; j++) {
			const struct rs_line *l = &rs->lines[j];

			if (!rs_is_whole(l) || strcmp(rs_workload(l), w))
				continue;
			printf("%3d", l->line);
			for (const struct result_figure *c = f; c->key; c++)
				if (c->column)
					print_column(l->samples[0], c);
			printf(" %s\n", rs_verdict(l));
		}
	}
}

/*
 * The kernel model's verdict per line: force_flush per page table or
 * batched, with the count per operation beside what each predicts.  For
 * a patch that removes force_flush this is the headline.
 */
static void report_models(const struct resultset *rs)
{
	bool header = false;

	for (int i = 0; i < rs->nlines; i++) {
		struct rs_model m;
		char text[512];

		if (rs_model(&rs->lines[i], &m))
			continue;
		if (!header) {
			printf("# kernel model (of its samples; flushes per "
			       "operation against each prediction):\n");
			header = true;
		}
		rs_model_text(&m, text, sizeof(text));
		printf("#   line %d: %s\n", rs->lines[i].line, text);
	}
}

/* The median of the victims' metric NAME on L into *X; false if none. */
static bool victims_median(const struct rs_line *l, const char *name,
			   double *x)
{
	double *v = calloc(l->n, sizeof(*v));
	struct rs_metric m;
	bool ok = false;

	rs_metric_parse(name, &m);
	if (v && !rs_values(l, &m, v)) {
		*x = stats_median(v, l->n);
		ok = true;
	}
	free(v);
	return ok;
}

static void print_victims_median(const struct rs_line *l, const char *name,
				 int width, int prec)
{
	double x;

	if (victims_median(l, name, &x))
		printf(" %*.*f", width, prec, x);
	else
		printf(" %*s", width, "-");
}

/*
 * What one event BY (a metric: "victim-recv", the shootdowns the victims
 * received, or "sent") cost the victims of L: the time they lost per
 * event, a value per sample that had any; its summary in *ST, and how
 * many samples it has.
 */
static int loss_per(const struct rs_line *l, const char *by,
		    struct stats_summary *st)
{
	double *lost = calloc(l->n, sizeof(double));
	double *events = calloc(l->n, sizeof(double));
	struct rs_metric ml, me;
	int n = 0;

	rs_metric_parse("victim-us", &ml);
	rs_metric_parse(by, &me);
	if (lost && events && !rs_values(l, &ml, lost) &&
	    !rs_values(l, &me, events))
		for (int i = 0; i < l->n; i++)
			if (events[i] > 0)
				lost[n++] = lost[i] / events[i];
	if (n)
		stats_summarize(lost, n, st);
	free(lost);
	free(events);
	return n;
}

static void print_summary(const struct stats_summary *st)
{
	printf("%.2f [%.1f, %.1f]%s", st->median, st->ci_lo, st->ci_hi,
	       st->ci_short ? "*" : "");
}

/*
 * Lines with walking victims (--victims walk): what the window took from
 * them, summed over them, per GiB of region (or operation), and per
 * shootdown they received.
 */
static void report_victims(const struct resultset *rs, const char *per)
{
	struct stats_summary st;
	bool header = false;
	char name[64];

	for (int i = 0; i < rs->nlines; i++) {
		const struct rs_line *l = &rs->lines[i];
		if (!rs_sample_has(l->samples[0], "victims"))
			continue;
		if (!header) {
			printf("# victims, summed over them, per %s;\n"
			       "# lost = gaps beyond calibration + slowdown, "
			       "handler = call-function handler\n# on their "
			       "CPUs, recv = shootdowns they received; us/rcv "
			       "= µs lost per\n# shootdown received, median "
			       "[95%% interval] (* below 6 reps)\n",
			       strcmp(per, "GiB") ? "operation, in µs" :
			       "GiB of region, in µs");
			printf("%3s %-7s %-5s %-5s %2s %8s %8s %7s %7s %6s\n",
			       "#", "work", "back", "dirty", "v", "lost",
			       "handler", "entries", "recv", "us/rcv");
			header = true;
		}
		printf("%3d %-7.7s %-5.5s %-5.5s %2d", l->line, rs_workload(l),
		       param(l->samples[0], "backing"),
		       param(l->samples[0], "dirty"),
		       (int)figure(l->samples[0], "victims.n"));
		snprintf(name, sizeof(name), "victim-us/%s", per);
		print_victims_median(l, name, 8, 0);
		snprintf(name, sizeof(name), "handler-us/%s", per);
		print_victims_median(l, name, 8, 0);
		snprintf(name, sizeof(name), "handler-entries/%s", per);
		print_victims_median(l, name, 7, 0);
		snprintf(name, sizeof(name), "victim-recv/%s", per);
		print_victims_median(l, name, 7, 0);
		if (loss_per(l, "victim-recv", &st)) {
			putchar(' ');
			print_summary(&st);
			putchar('\n');
		} else {
			printf(" %6s\n", "-");
		}
	}
	/* Flushes that reached the victims by no IPI (INVLPGB, a
	 * hypervisor's remote flush): what each flush sent cost them. */
	for (int i = 0; header && i < rs->nlines; i++) {
		const struct rs_line *l = &rs->lines[i];

		if (!rs_sample_has(l->samples[0], "victims") ||
		    loss_per(l, "victim-recv", &st) ||
		    !loss_per(l, "sent", &st))
			continue;
		printf("#   line %d: no shootdown received; µs lost per flush "
		       "sent: ", l->line);
		print_summary(&st);
		putchar('\n');
	}
}

/*
 * Steady-state lines (zap-loop): the victims' loads per second in the
 * window and in its calibration just before, and their ratio, medians
 * over the repetitions; zaps per second beside.
 */
static void report_steady(const struct resultset *rs)
{
	bool header = false;

	for (int i = 0; i < rs->nlines; i++) {
		const struct rs_line *l = &rs->lines[i];
		double *win = calloc(l->n, sizeof(double));
		double *cal = calloc(l->n, sizeof(double));
		double *ratio = calloc(l->n, sizeof(double));
		double *zaps = calloc(l->n, sizeof(double));
		int n = 0;

		for (int j = 0; win && cal && ratio && zaps && j < l->n; j++) {
			const struct json_object *s = l->samples[j];
			double w, c, wl, cl;

			if (strcmp(rs_workload(l), "zap-loop") ||
			    !rs_sample_has(s, "victims"))
				break;
			w = figure(s, "victims.window_ns");
			c = figure(s, "victims.calibration_ns");
			wl = figure(s, "victims.loads");
			cl = figure(s, "victims.cal_loads");
			if (w <= 0 || c <= 0 || cl <= 0)
				continue;
			win[n] = wl * 1e9 / w;
			cal[n] = cl * 1e9 / c;
			ratio[n] = win[n] / cal[n];
			zaps[n++] = strcmp(param(s, "zapper"), "none") &&
				    rs_ns(s) > 0 ?
				    figure(s, "ops") * 1e9 / rs_ns(s) : 0;
		}
		if (n && !header) {
			printf("# steady state: the victims' loads per second "
			       "(summed over them) in the\n# window and in "
			       "the calibration before it, and the window's "
			       "share of it\n");
			printf("%3s %-6s %-5s %-6s %2s %12s %12s %7s %8s\n",
			       "#", "zapper", "back", "dirty", "v", "loads/s",
			       "calibrated", "ratio", "zaps/s");
			header = true;
		}
		if (n)
			printf("%3d %-6.6s %-5.5s %-6.6s %2d %12.0f %12.0f "
			       "%7.4f %8.1f\n", l->line,
			       param(l->samples[0], "zapper"),
			       param(l->samples[0], "backing"),
			       param(l->samples[0], "dirty"),
			       (int)figure(l->samples[0], "victims.n"),
			       stats_median(win, n), stats_median(cal, n),
			       stats_median(ratio, n), stats_median(zaps, n));
		free(win);
		free(cal);
		free(ratio);
		free(zaps);
	}
}

/* Lines that did not count the workload's threads per CPU, by scope. */
static void report_scopes(const struct resultset *rs)
{
	static const char *const scopes[] = { "system", "process", "mixed" };
	static const char *const what[] = {
		"on every CPU, whatever ran there",
		"for the workload's process, not per CPU",
		"in more than one way" };
	const char *fallback = rs_system_string(rs, "scope_fallback");

	for (size_t i = 0; i < sizeof(scopes) / sizeof(*scopes); i++) {
		int n = 0;

		for (int j = 0; j < rs->nlines; j++) {
			if (strcmp(rs_scope(&rs->lines[j]), scopes[i]))
				continue;
			if (!n++)
				printf("# counted %s (scope %s) on line",
				       what[i], scopes[i]);
			printf("%s %d", n > 1 ? "," : "", rs->lines[j].line);
		}
		if (n)
			putchar('\n');
	}
	if (fallback)
		printf("# %s\n", fallback);
}

/*
 * The problems the kernel reported while the set ran, one row each
 * (line 0: outside the config lines), and how many; nothing for a set
 * from before they were recorded.
 */
static void report_kernel(const struct resultset *rs)
{
	const char *log = rs_system_string(rs, "kernel_log");
	bool unchecked = log && !strncmp(log, "unchecked", 9);
	int n = rs_kernel_reports(rs);

	if (n < 0)
		return;
	if (n) {
		printf("# kernel reports; line 0 = outside the config lines\n");
		printf("%3s %-14s %s\n", "#", "kind", "first line");
	}
	for (int i = 0; i < n; i++) {
		const struct rs_kernel_report *r = rs_kernel_report(rs, i);
		int used = printf("%3d %-14s ", r->line, r->kind);

		printf("%.*s\n", used < 80 ? 80 - used : 0, r->first);
	}
	if (n || !unchecked) {
		printf("# kernel reports: %d", n);
		if (log && !unchecked)
			printf(" (from %s)", log);
		putchar('\n');
	}
	if (unchecked)
		printf("# kernel log: %s\n", log);
}

/*
 * Times of a guest under an emulator (QEMU TCG) are not a CPU's: say so
 * before the table that shows them.
 */
static void report_emulated(const struct resultset *rs)
{
	struct rs_machine m;

	rs_machine_read(rs, &m);
	if (!m.emulated)
		return;
	printf("# emulated (%s): times are the emulator's, not a CPU's; "
	       "compare counts, not times\n",
	       m.emulator ? m.emulator : "QEMU TCG");
}

/* A set that is not complete says so first: its lines are not all. */
static void report_status(const struct resultset *rs)
{
	const char *status = rs_system_string(rs, "status");
	const char *sig = rs_system_string(rs, "interrupted");
	const char *line;

	if (!status || !strcmp(status, "complete"))
		return;
	printf("# %s%s%s: not every line of the config ran", status,
	       sig ? ", interrupted by " : "", sig ? sig : "");
	for (size_t i = 0; (line = rs_system_item(rs, "failed_lines", i));
	     i++)
		printf("%s%s", i ? ", " : "; failed: line ", line);
	putchar('\n');
}

/* -------------------------------------------------------------------- */
/* JSON: the same medians, with each sample's value, for other tools */


static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/*
 * Metric NAME of line L into METRICS as { median, values } (with the
 * interval of the median for the time), or its reason into UNSUPPORTED.
 */
static void json_metric(const struct rs_line *l, const char *name,
			struct json_object *metrics,
			struct json_object *unsupported)
{
	struct json_object *o, *vals;
	struct stats_summary st;
	struct rs_metric m;
	const char *why;
	double *v;

	v = calloc(l->n, sizeof(*v));
	if (!v)
		abort();
	rs_metric_parse(name, &m);
	if (rs_values(l, &m, v)) {
		why = rs_unsupported(l, m.counter);
		json_object_object_add(unsupported, m.counter,
				       json_object_new_string(why ? why :
							      "not recorded"));
		free(v);
		return;
	}
	o = json_object_new_object();
	vals = json_object_new_array();
	for (int j = 0; j < l->n; j++)
		json_object_array_add(vals, rs_json_number(v[j]));
	json_object_object_add(o, "median", rs_json_number(stats_median(v, l->n)));
	if (!m.counter[0]) {
		stats_summarize(v, l->n, &st);
		json_object_object_add(o, "ci_pct", st.ci_short ? NULL :
				       rs_json_number(stats_half_width_pct(&st)));
	}
	json_object_object_add(o, "values", vals);
	json_object_object_add(metrics, name, o);
	free(v);
}

/* --metrics: the caller's, as given ("kprobe.tlb_flush_mmu,ns"). */
static void json_more_metrics(const struct rs_line *l, const char *more,
			      struct json_object *metrics,
			      struct json_object *unsupported)
{
	char name[256];

	for (const char *m = more; m && *m; m += strcspn(m, ",")) {
		m += *m == ',';
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(m, ","), m);
		if (name[0])
			json_metric(l, name, metrics, unsupported);
	}
}

/*
 * A short name of run L from its effective parameters, the same however
 * its line was written ("munmap-1G-tmpfs-4k-all-2t"): other tools key
 * their metrics by it.  Characters other than letters, digits, '+' and
 * '-' become '_'.
 */
static void run_name(const struct rs_line *l, char *out, size_t len)
{
	static const char *const keys[] = {
		"size", "backing", "pages", "dirty", "threads", "zap", "hot",
		"layout", "attack",
	};
	size_t n = snprintf(out, len, "%s", rs_workload(l));

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys) && n < len; i++) {
		const char *v = rs_param(l, keys[i]);

		if (v)
			n += snprintf(out + n, len - n, "-%s%s", v,
				      strcmp(keys[i], "threads") ? "" : "t");
	}
	for (char *c = out; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '+' && *c != '-')
			*c = '_';
}

/*
 * The name of each run of RS into NAMES (rs->nlines of them): its
 * run_name(), and where two runs share one, "-lLINE" after it, then the
 * run's place in the set if they still do (a sweep of an option the
 * name leaves out).
 */
static void run_names(const struct resultset *rs, char (*names)[160])
{
	for (int i = 0; i < rs->nlines; i++)
		run_name(&rs->lines[i], names[i], sizeof(names[i]));
	for (int pass = 0; pass < 2; pass++) {
		bool *dup = calloc(rs->nlines, sizeof(*dup));

		if (!dup)
			abort();
		for (int i = 0; i < rs->nlines; i++)
			for (int j = i + 1; j < rs->nlines; j++)
				if (!strcmp(names[i], names[j]))
					dup[i] = dup[j] = true;
		for (int i = 0; i < rs->nlines; i++) {
			size_t n = strlen(names[i]);

			if (dup[i])
				snprintf(names[i] + n, sizeof(names[i]) - n,
					 "-%s%d", pass ? "" : "l",
					 pass ? i + 1 : rs->lines[i].line);
		}
		free(dup);
	}
}

/*
 * The samples of L whose zapping thread or helpers were switched out
 * during the window, and the most times: as the text's "preempted".
 */
static struct json_object *json_preempted(const struct rs_line *l)
{
	struct json_object *o = json_object_new_object();
	long long most, hmost;
	int z = count_above_zero(l, "preempted", &most);
	int h = count_above_zero(l, "helpers_preempted", &hmost);

	json_object_object_add(o, "samples", json_object_new_int(z));
	json_object_object_add(o, "most", json_object_new_int64(most));
	json_object_object_add(o, "helpers_samples", json_object_new_int(h));
	json_object_object_add(o, "helpers_most",
			       json_object_new_int64(hmost));
	return o;
}

/* How many samples of L matched each kernel model ("model.verdict"). */
static struct json_object *json_models(const struct rs_line *l)
{
	struct json_object *o = json_object_new_object();

	for (int j = 0; j < l->n; j++) {
		const char *verdict = rs_sample_string(l->samples[j],
						       "model.verdict");
		struct json_object *n;

		if (!verdict)
			continue;
		if (json_object_object_get_ex(o, verdict, &n))
			json_object_int_inc(n, 1);
		else
			json_object_object_add(o, verdict,
					       json_object_new_int(1));
	}
	return o;
}

/*
 * One line: its run, then for a timed line the medians and values of
 * the flush counts (per PER) and of the time, with the model verdicts;
 * for a whole run (integrity, race) its verdict, lost writes and counts.
 */
static struct json_object *json_line(const struct rs_line *l,
				     const char *run, const char *per,
				     const char *more)
{
	static const char *const counters[] = {
		"sent", "recv", "interrupts.tlb", "kprobe.tlb_flush_mmu",
	};
	const struct json_object *s0 = l->samples[0];
	struct json_object *o = json_object_new_object();
	struct json_object *metrics, *unsupported;
	char name[200];

	json_object_object_add(o, "line", json_object_new_int(l->line));
	json_object_object_add(o, "run", jstr(run));
	json_object_object_add(o, "config_line", jstr(l->config_line));
	json_object_object_add(o, "workload", jstr(rs_workload(l)));
	json_object_object_add(o, "params", rs_sample_recorded(s0, "params"));
	json_object_object_add(o, "scope", jstr(rs_scope(l)));
	json_object_object_add(o, "samples", json_object_new_int(l->n));
	json_object_object_add(o, "whole_run",
			       json_object_new_boolean(rs_is_whole(l)));
	if (rs_is_whole(l)) {
		json_object_object_add(o, "verdict",
				       rs_sample_recorded(s0, "verdict"));
		json_object_object_add(o, "verdict_text",
				       rs_sample_recorded(s0, "verdict_text"));
		/* Its findings, under the workload's name. */
		if (rs_sample_has(s0, rs_workload(l))) {
			snprintf(name, sizeof(name), "%s.lost",
				 rs_workload(l));
			json_object_object_add(o, "lost_writes",
					       rs_sample_recorded(s0, name));
			json_object_object_add(o, rs_workload(l),
					       rs_sample_recorded(s0,
							rs_workload(l)));
		}
		/* A whole run's counters, where asked for. */
		if (more) {
			metrics = json_object_new_object();
			unsupported = json_object_new_object();
			json_more_metrics(l, more, metrics, unsupported);
			json_object_object_add(o, "metrics", metrics);
			json_object_object_add(o, "unsupported", unsupported);
		}
		return o;
	}
	json_object_object_add(o, "mapped", jstr(rs_granularity(l)));
	json_object_object_add(o, "preempted", json_preempted(l));
	json_object_object_add(o, "stop", rs_sample_recorded(s0, "stop"));
	metrics = json_object_new_object();
	unsupported = json_object_new_object();
	for (size_t i = 0; i < sizeof(counters) / sizeof(*counters); i++) {
		snprintf(name, sizeof(name), "%s/%s", counters[i], per);
		json_metric(l, name, metrics, unsupported);
	}
	json_metric(l, "us/op", metrics, unsupported);
	json_more_metrics(l, more, metrics, unsupported);
	json_object_object_add(o, "metrics", metrics);
	json_object_object_add(o, "unsupported", unsupported);
	json_object_object_add(o, "model", json_models(l));
	return o;
}

/*
 * The set as one JSON object: where it ran, each line, and the kernel's
 * reports (kernel_reports null for a set from before they were read).
 */
static void report_json(const struct resultset *rs, const char *dir,
			const char *per, const char *more)
{
	struct json_object *o = json_object_new_object(), *lines, *reports;
	char (*names)[160] = calloc(rs->nlines ? rs->nlines : 1,
				    sizeof(*names));
	int n = rs_kernel_reports(rs);

	if (!names)
		abort();
	run_names(rs, names);
	json_object_object_add(o, "set", jstr(dir));
	json_object_object_add(o, "kernel", rs_system_recorded(rs, "kernel"));
	json_object_object_add(o, "cpus_online",
			       rs_system_recorded(rs, "cpus_online"));
	json_object_object_add(o, "cpu_model",
			       rs_system_recorded(rs, "cpu_model"));
	json_object_object_add(o, "status", rs_system_recorded(rs, "status"));
	json_object_object_add(o, "interrupted",
			       rs_system_recorded(rs, "interrupted"));
	json_object_object_add(o, "failed_lines",
			       rs_system_recorded(rs, "failed_lines"));
	json_object_object_add(o, "per", jstr(per));
	lines = json_object_new_array();
	for (int i = 0; i < rs->nlines; i++)
		json_object_array_add(lines, json_line(&rs->lines[i], names[i],
						       per, more));
	json_object_object_add(o, "lines", lines);
	json_object_object_add(o, "kernel_log",
			       jstr(rs_system_string(rs, "kernel_log")));
	json_object_object_add(o, "kernel_reports",
			       n < 0 ? NULL : json_object_new_int(n));
	reports = json_object_new_array();
	for (int i = 0; i < n; i++) {
		const struct rs_kernel_report *r = rs_kernel_report(rs, i);
		struct json_object *x = json_object_new_object();

		json_object_object_add(x, "line", json_object_new_int(r->line));
		json_object_object_add(x, "config_line", jstr(r->config_line));
		json_object_object_add(x, "kind", jstr(r->kind));
		json_object_object_add(x, "first", jstr(r->first));
		json_object_object_add(x, "text",
				       rs_kernel_report_recorded(rs, i, "text"));
		json_object_array_add(reports, x);
	}
	json_object_object_add(o, "reports", reports);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	free(names);
}

/* Medians per config line of a result set: the run-bench summary. */
static const struct arg_option report_options[] = {
	{ "--per", true }, { "--format", true }, { "--metrics", true },
};

struct report_args {
	const char *per;		/* "GiB" or "op" */
	bool json;
	const char *metrics;		/* more, comma separated (json) */
};

/* Each metric of LIST, comma separated, is one compare would take. */
static int check_metrics(const char *list)
{
	struct rs_metric m;
	char name[256];

	for (const char *p = list; *p; p += strcspn(p, ",")) {
		p += *p == ',';
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(p, ","), p);
		if (strcspn(p, ",") >= sizeof(name) ||
		    rs_metric_parse(name, &m))
			return args_refuse("report", "--metrics: '%s' is not a "
					   "metric", name);
	}
	return 0;
}

/* --per: the counts per GiB of region, or per operation; --format. */
static int report_set(void *ctx, const char *name, const char *val)
{
	struct report_args *a = ctx;

	if (!strcmp(name, "--metrics")) {
		a->metrics = val;
		return check_metrics(val);
	}
	if (!strcmp(name, "--format")) {
		if (strcmp(val, "text") && strcmp(val, "json"))
			return args_refuse("report", "--format: '%s' is not "
					   "text or json", val);
		a->json = !strcmp(val, "json");
		return 0;
	}
	if (strcmp(val, "GiB") && strcmp(val, "op"))
		return args_refuse("report", "--per: '%s' is not GiB or op",
				   val);
	a->per = val;
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = { .per = "GiB" };
	char err[8192], name[64], dir[4096];
	const char *per;
	struct resultset rs;

	argc = args_parse("report", report_options,
			  sizeof(report_options) / sizeof(report_options[0]),
			  argc, argv, report_set, &a);
	if (argc == ARGS_HELP) {
		printf("usage: tlbbench report [--per GiB|op] [--format "
		       "text|json [--metrics LIST]] SET\n"
		       "Prints the medians of each line of a result set: "
		       "flushes per GiB of region\n(or per operation with "
		       "--per op) and µs per operation, as compare does.\n"
		       "--format json: one object with each line's medians "
		       "and values per sample,\nits model verdicts, lost "
		       "writes and the kernel's reports, for other tools;\n"
		       "--metrics: more metrics per line, comma separated, "
		       "as compare --metrics names\nthem (a counter, "
		       "\"ns\", COUNTER/GiB...).  A set whose every line "
		       "failed is\nread too: its failed lines and reports.\n");
		return 0;
	}
	if (argc < 0 || !args_one("report", "SET", argc, argv))
		return 2;
	if (a.metrics && !a.json) {
		args_refuse("report", "--metrics: with --format json only");
		return 2;
	}
	if (rs_resolve(argv[0], dir, sizeof(dir), err, sizeof(err)) ||
	    (a.json ? resultset_load_any(dir, &rs, err, sizeof(err)) :
	     resultset_load(dir, &rs, err, sizeof(err)))) {
		fprintf(stderr, "tlbbench: %s\n", err);
		return 2;
	}
	per = a.per;
	if (a.json) {
		report_json(&rs, argv[0], per, a.metrics);
		resultset_free(&rs);
		return 0;
	}
	printf("# %s: kernel %s, %s CPUs, %s\n", argv[0], sys(&rs, "kernel"),
	       sys(&rs, "cpus_online"), sys(&rs, "cpu_model"));
	report_status(&rs);
	printf("# medians: counts per %s, us/op = µs per operation\n"
	       "# sent = tlb_flush.remote_send_ipi, recv = "
	       "tlb_flush.remote_shootdown,\n# irqtlb = interrupts.tlb, "
	       "points = kprobe.tlb_flush_mmu (mmu_gather flushes)\n",
	       strcmp(per, "GiB") ? "operation" : "GiB of region");
	printf("# mapped = how the region was mapped just before the call "
	       "(4k: PTEs; pmd: huge\n# pages; mixed or varied between "
	       "repetitions)\n");
	printf("# ci = half the 95%% interval of the median time, in %% of "
	       "it (- below 6 reps)\n");
	report_emulated(&rs);
	printf("%3s %-8s %5s %-7s %-4s %-9s %3s %-6s %6s %6s %6s %6s %9s "
	       "%5s\n", "#", "workload", "size", "backing", "page", "dirty",
	       "thr", "mapped", "sent", "recv", "irqtlb", "points", "us/op",
	       "ci");
	for (int i = 0; i < rs.nlines; i++) {
		const struct rs_line *l = &rs.lines[i];
		const struct json_object *s0 = l->samples[0];
		double h;

		if (rs_is_whole(l))
			continue;

		printf("%3d %-8.8s %5s %-7.7s %-4s %-9.9s %3s %-6s", l->line,
		       rs_workload(l), param(s0, "size"), param(s0, "backing"),
		       param(s0, "pages"), param(s0, "dirty"),
		       param(s0, "threads"),
		       rs_sample_string(s0, "mapping.granularity"));
		snprintf(name, sizeof(name), "%s/%s", RS_SENT, per);
		print_median(l, name, 6);
		snprintf(name, sizeof(name), "%s/%s", RS_RECV, per);
		print_median(l, name, 6);
		snprintf(name, sizeof(name), "interrupts.tlb/%s", per);
		print_median(l, name, 6);
		snprintf(name, sizeof(name), "kprobe.tlb_flush_mmu/%s", per);
		print_median(l, name, 6);
		print_median(l, "us/op", 9);
		h = time_half_width(l);
		if (isnan(h))
			printf(" %5s\n", "-");
		else
			printf(" %4.1f%%\n", h);
	}
	report_models(&rs);
	report_victims(&rs, per);
	report_steady(&rs);
	report_budget(&rs);
	report_preempted(&rs);
	report_remote_flush(&rs);
	report_scopes(&rs);
	report_whole_runs(&rs);
	report_kernel(&rs);
	resultset_free(&rs);
	return 0;
}

