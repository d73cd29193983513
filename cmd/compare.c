/*
 * tlbbench compare: the medians of result sets side by side, per config
 * line and metric, with how sure each median is and whether each change
 * is real: an 80-column text table for email, or markdown, CSV or JSON.
 * Numbers come from lib/common/stats.c and samples from lib/analysis/resultset.c; this
 * file matches lines and lays out the tables.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "compare.h"
#include "config_file.h"
#include "options.h"
#include "resultset.h"
#include "stats.h"
#include "workload.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define WIDTH 80
#define NAME_W 14			/* metric names in the text table */
#define CV_WARN 10.0			/* % of the mean */
#define NOISE_WARN 1.0			/* idle-window noise, % of the median */

static const char *const format_names[] = {
	"text", "markdown", "csv", "json", NULL };
/* One unit per quantity, as in report and the figures: flushes per GiB
 * of region, time in µs per operation. */
static const char *const default_metrics[] = {
	"sent/GiB", "recv/GiB", "us/op" };
/* Effective parameters that should agree when lines are compared. */
static const char *const same_params[] = {
	"size", "threads", "cpus", "backing", "fs", "pages", "dirty" };

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void strs_add(struct strs *s, const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	if (vasprintf(&t, fmt, ap) < 0)
		abort();
	va_end(ap);
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = t;
}

static void strs_free(struct strs *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

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

/* One line on stderr for a refused option of CMD; returns -EINVAL. */
int cmp_refuse(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	args_vrefuse(cmd, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

#define refuse(...) cmp_refuse("compare", __VA_ARGS__)

/*
 * The N operands at SETS for C (compare, plotdata): result sets, "--"
 * between the sides when a side is several sets (runs of one kernel).
 * Returns N or -EINVAL.
 */
int cmp_check_sets(const struct cmp *c, int n, char **sets)
{
	int groups = 1, in_group = 0, sides;

	for (int i = 0; i < n; i++) {
		if (strcmp(sets[i], "--")) {
			in_group++;
			continue;
		}
		if (!in_group || i == n - 1)
			return cmp_refuse(c->name, "--: a side with no result "
					  "set (SET... -- SET...)");
		groups++;
		in_group = 0;
	}
	/* Without "--", each set is a side of its own. */
	sides = groups > 1 ? groups : n;
	if (c->vary && sides != 1)
		return cmp_refuse(c->name, "--vary: give exactly one result "
				  "set (%d given)", sides);
	if (!c->vary && sides < 2)
		return cmp_refuse(c->name, "give BASE and at least one NEW "
				  "result set (or --vary PARAM SET)");
	if (sides > MAX_COLS)
		return cmp_refuse(c->name, "'%s': at most %d result sets",
				  sets[n - 1], MAX_COLS);
	return n;
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
		else if (c->nmetrics == MAX_METRICS)
			ret = refuse("--metrics: more than %d", MAX_METRICS);
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

/* Counters of the sets whose names start with PREFIX. */
struct matches {
	const char *prefix;
	size_t len;
	struct strs names;		/* in the order first seen */
	bool *nonzero;			/* per name: not 0 in some sample */
};

static void match_counter(const char *name, long long v, void *arg)
{
	struct matches *m = arg;
	int i;

	if (strncmp(name, m->prefix, m->len))
		return;
	for (i = 0; i < m->names.n; i++)
		if (!strcmp(m->names.v[i], name))
			break;
	if (i == m->names.n) {
		strs_add(&m->names, "%s", name);
		m->nonzero = xrealloc(m->nonzero, m->names.n * sizeof(bool));
		m->nonzero[i] = false;
	}
	if (v)
		m->nonzero[i] = true;
}

/* Metric MT with its counter replaced by NAME, into OUT[*N]. */
static int add_expanded(struct rs_metric *out, int *n,
			const struct rs_metric *mt, const char *name)
{
	char full[sizeof(mt->name)];

	if (*n == MAX_METRICS)
		return refuse("--metrics: '%s' makes more than %d metrics",
			      mt->name, MAX_METRICS);
	snprintf(full, sizeof(full), "%s%s", name,
		 mt->per == RS_PER_GIB ? "/GiB" :
		 mt->per == RS_PER_OP ? "/op" : "");
	if (rs_metric_parse(full, &out[*n]))
		return refuse("--metrics: '%s' is not a metric name", full);
	(*n)++;
	return 0;
}

/*
 * A metric whose counter ends in '*' stands for every counter of the
 * sets whose name starts with the rest, in the order first seen (names
 * with no further dot first), except those that are 0 in every sample
 * (unless all are): "attr.*" lists the kernel paths that sent flushes in
 * any of the sets.
 */
static int expand_metrics(struct cmp *c)
{
	struct rs_metric *out = xrealloc(NULL, sizeof(c->metric));
	int n = 0, ret = 0;

	for (int m = 0; m < c->nmetrics && !ret; m++) {
		const struct rs_metric *mt = &c->metric[m];
		size_t len = strlen(mt->counter);
		struct matches mm = { .prefix = mt->counter, .len = len - 1 };
		bool any = false;

		if (!len || mt->counter[len - 1] != '*') {
			if (n == MAX_METRICS)
				ret = refuse("--metrics: more than %d",
					     MAX_METRICS);
			else
				out[n++] = *mt;
			continue;
		}
		for (int s = 0; s < c->nsets; s++)
			rs_each_counter(&c->set[s].rs, match_counter, &mm);
		if (!mm.names.n)
			ret = refuse("--metrics: '%s' matches no counter in "
				     "any result set%s", mt->name,
				     strncmp(mt->counter, "attr.", 5) ? "" :
				     " (attr.PATH counts come from --attribute)");
		for (int i = 0; i < mm.names.n; i++)
			any |= mm.nonzero[i];
		/* attr.PATH (the sender's) before attr.REASON.PATH */
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < mm.names.n && !ret; i++) {
				const char *rest = mm.names.v[i] + mm.len;

				if ((!strchr(rest, '.')) == pass ||
				    (any && !mm.nonzero[i]))
					continue;
				ret = add_expanded(out, &n, mt,
						   mm.names.v[i]);
			}
		}
		strs_free(&mm.names);
		free(mm.nonzero);
	}
	if (!ret) {
		memcpy(c->metric, out, n * sizeof(*out));
		c->nmetrics = n;
	}
	free(out);
	return ret;
}

/* -------------------------------------------------------------------- */
/* Matching lines */

static void add_unmatched(struct cmp *c, const struct set *s, char label,
			  const struct rs_line *l, const char *fmt, ...)
{
	struct unmatched *u;
	va_list ap;

	c->unmatched = xrealloc(c->unmatched,
				(c->nunmatched + 1) * sizeof(*c->unmatched));
	u = &c->unmatched[c->nunmatched++];
	u->set = s;
	u->label = label;
	u->l = l;
	va_start(ap, fmt);
	vsnprintf(u->why, sizeof(u->why), fmt, ap);
	va_end(ap);
}

static struct block *new_block(struct cmp *c, const char *title)
{
	struct block *b;

	c->block = xrealloc(c->block, (c->nblocks + 1) * sizeof(*c->block));
	b = &c->block[c->nblocks++];
	memset(b, 0, sizeof(*b));
	snprintf(b->title, sizeof(b->title), "%s", title);
	return b;
}

/* Options that say how long to measure, not what: matched lines may
 * differ in them. */
static const char *const how_long[] = {
	"--reps=", "--max-reps=", "--warmup=", "--target-ci=" };

static bool is_how_long(const char *token)
{
	for (size_t i = 0; i < ARRAY_SIZE(how_long); i++)
		if (!strncmp(token, how_long[i], strlen(how_long[i])))
			return true;
	return false;
}

/* OUT without the options of how_long[]. */
static void what_only(char *out)
{
	char *r = out, *w = out;

	while (*r) {
		size_t len = strcspn(r, " ");

		if (!is_how_long(r)) {
			if (w != out)
				*w++ = ' ';
			memmove(w, r, len);
			w += len;
		}
		r += len;
		r += *r == ' ';
	}
	*w = '\0';
}

/*
 * The run of config line TEXT with its effective options (defaults
 * filled in, in the option table's order, by lib/measure/options.c): lines
 * written differently that ran the same match.  WHAT: without the
 * options of how long it measured.  "" when the workload or an option is
 * unknown here.
 */
static void canonical(const char *text, char *out, size_t len, bool what)
{
	char *copy = strdup(text), *argv[128], *save, *w;
	const struct workload *wl;
	int argc = 0, n;

	if (!copy)
		abort();
	out[0] = '\0';
	for (w = strtok_r(copy, " \t", &save); w && argc < 128;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	wl = argc ? find_workload(argv[0]) : NULL;
	n = wl ? snprintf(out, len, "%s ", argv[0]) : 0;
	if (!wl || (size_t)n >= len ||
	    options_canonical(wl->options, wl->own, wl->preset, argc - 1, argv + 1,
			      out + n, len - n))
		out[0] = '\0';
	else if (what)
		what_only(out);
	free(copy);
}

/* Line J of set S matched by base line BL: exactly, or by its runs. */
static bool same_line(const struct rs_line *bl, const char *bkey,
		      const struct rs_line *l, bool exact)
{
	char key[2048];

	if (exact)
		return !strcmp(l->config_line, bl->config_line);
	canonical(l->config_line, key, sizeof(key), true);
	return *bkey && !strcmp(key, bkey);
}

/*
 * How the canonical runs A and B differ: the options whose values
 * differ, "--reps 5/8", into WHY; the number of such options, 100 for
 * another workload.
 */
static int differences(const char *a, const char *b, char *why, size_t len)
{
	char *ca = strdup(a), *cb = strdup(b), *sa, *sb, *wa, *wb;
	int n = 0;
	size_t used = 0;

	if (!ca || !cb)
		abort();
	why[0] = '\0';
	wa = strtok_r(ca, " ", &sa);
	wb = strtok_r(cb, " ", &sb);
	if (!wa || !wb || strcmp(wa, wb))
		n = 100;
	/* Both list the same options in table order; flags may lack. */
	while (n < 100) {
		char *oa = strtok_r(NULL, " ", &sa);
		char *ob = strtok_r(NULL, " ", &sb);
		size_t ka, kb;

		if (!oa && !ob)
			break;
		ka = oa ? strcspn(oa, "=") : 0;
		kb = ob ? strcspn(ob, "=") : 0;
		if (!oa || !ob || ka != kb || strncmp(oa, ob, ka)) {
			n = 100;
			break;
		}
		if (!strcmp(oa, ob))
			continue;
		n++;
		if (used < len)
			used += snprintf(why + used, len - used, "%s%.*s %s/%s",
					 used ? ", " : "", (int)ka, oa,
					 oa + ka + (oa[ka] == '='),
					 ob + kb + (ob[kb] == '='));
	}
	free(ca);
	free(cb);
	return n;
}

/*
 * For an unmatched line L: the line of set T nearest to it, the one that
 * differs in fewest options, preferring one not matched already (TAKEN);
 * or that T has no line of its workload.
 */
static void near_miss(const struct set *t, const bool *taken, char label,
		      const struct rs_line *l, char *why, size_t len)
{
	char key[2048], other[2048], diff[256], best[256] = "";
	int nbest = 100, line = 0;
	bool best_taken = true;
	size_t used = strlen(why);

	canonical(l->config_line, key, sizeof(key), false);
	for (int j = 0; *key && j < t->rs.nlines; j++) {
		int n;

		canonical(t->rs.lines[j].config_line, other, sizeof(other),
			  false);
		if (!*other)
			continue;
		n = differences(key, other, diff, sizeof(diff));
		if (!n || n >= 100 || n > nbest ||
		    (n == nbest && (taken[j] || !best_taken)))
			continue;
		nbest = n;
		best_taken = taken[j];
		line = t->rs.lines[j].line;
		snprintf(best, sizeof(best), "%s", diff);
	}
	if (line)
		snprintf(why + used, len - used, "; nearest: %c line %d, which "
			 "differs in %s%s", label, line, best,
			 best_taken ? " (and is matched already)" : "");
	else if (*key)
		snprintf(why + used, len - used, "; %c has no %s line", label,
			 rs_workload(l));
}

static bool split_param(const char *text, const char *param, char *key,
			char *title, size_t len, char *value, size_t vlen);

/*
 * How long line L measured by option OPT ("reps"): as written, else as
 * recorded (the default of the tlbbench that ran it), else "".
 */
static void how_long_value(const struct rs_line *l, const char *opt,
			   char *value, size_t len)
{
	char key[2048], title[2048], field[32];
	const char *v;

	if (split_param(l->config_line, opt, key, title, sizeof(key), value,
			len))
		return;
	snprintf(field, sizeof(field), "%s", opt);
	for (char *c = field; *c; c++)
		if (*c == '-')
			*c = '_';
	v = rs_param(l, field);
	snprintf(value, len, "%s", v ? v : "");
}

/*
 * Line L of column LABEL, written otherwise than the base line BL: the
 * same run, or one that measured as long or as often otherwise (as each
 * was written, or ran by the defaults of the tlbbench that ran it).
 */
static void note_written(struct block *b, char label,
			 const struct rs_line *bl, const struct rs_line *l)
{
	char diff[512] = "";
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(how_long); i++) {
		char opt[32], va[64], vb[64];

		snprintf(opt, sizeof(opt), "%.*s",
			 (int)strlen(how_long[i]) - 3, how_long[i] + 2);
		how_long_value(bl, opt, va, sizeof(va));
		how_long_value(l, opt, vb, sizeof(vb));
		if (!strcmp(va, vb) || n >= sizeof(diff))
			continue;
		n += snprintf(diff + n, sizeof(diff) - n, "%s--%s %s/%s",
			      n ? ", " : "", opt, *va ? va : "-",
			      *vb ? vb : "-");
	}
	if (!n)
		strs_add(&b->notes, "%c line %d is written `%s`: the same run",
			 label, l->line, l->config_line);
	else
		strs_add(&b->notes, "%c line %d differs in how long it "
			 "measured, not what: %s (A/%c)", label, l->line, diff,
			 label);
}

/*
 * Base lines in config order; each new set contributes its first unused
 * line with the same text, or else with the same effective options (a
 * default written out or left out, options in another order), so a
 * config that repeats a line pairs them in order.
 */
static void match_sets(struct cmp *c)
{
	bool *used[MAX_COLS];
	const struct rs_line **pick;
	int nb = c->set[0].rs.nlines;

	pick = calloc((size_t)nb * MAX_COLS + 1, sizeof(*pick));
	if (!pick)
		abort();
	for (int s = 0; s < c->nsets; s++) {
		used[s] = calloc(c->set[s].rs.nlines + 1, sizeof(bool));
		if (!used[s])
			abort();
	}
	/* Exact text first, so that no effective match takes its line. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < nb; i++) {
			const struct rs_line *bl = &c->set[0].rs.lines[i];
			char bkey[2048] = "";

			if (pass)
				canonical(bl->config_line, bkey, sizeof(bkey),
					  true);
			for (int s = 1; s < c->nsets; s++) {
				const struct resultset *rs = &c->set[s].rs;

				for (int j = 0; !pick[i * MAX_COLS + s] &&
				     j < rs->nlines; j++) {
					if (used[s][j] ||
					    !same_line(bl, bkey, &rs->lines[j],
						       !pass))
						continue;
					used[s][j] = true;
					pick[i * MAX_COLS + s] = &rs->lines[j];
				}
			}
		}
	}
	for (int i = 0; i < nb; i++) {
		const struct rs_line *bl = &c->set[0].rs.lines[i];
		struct block *b;
		int found = 0;

		for (int s = 1; s < c->nsets; s++)
			found += pick[i * MAX_COLS + s] != NULL;
		used[0][i] = found;
		if (!found) {
			char why[400] = "in no other set";

			near_miss(&c->set[1], used[1], 'B', bl, why,
				  sizeof(why));
			add_unmatched(c, &c->set[0], 'A', bl, "%s", why);
			continue;
		}
		b = new_block(c, bl->config_line);
		b->ncols = c->nsets;
		for (int s = 0; s < c->nsets; s++) {
			const struct rs_line *l = s ? pick[i * MAX_COLS + s] :
						  bl;

			b->col[s].set = &c->set[s];
			b->col[s].l = l;
			b->col[s].label = 'A' + s;
			if (l && strcmp(l->config_line, bl->config_line))
				note_written(b, 'A' + s, bl, l);
		}
	}
	for (int s = 1; s < c->nsets; s++) {
		for (int j = 0; j < c->set[s].rs.nlines; j++) {
			char why[400] = "not in A";

			if (used[s][j])
				continue;
			near_miss(&c->set[0], used[0], 'A',
				  &c->set[s].rs.lines[j], why, sizeof(why));
			add_unmatched(c, &c->set[s], 'A' + s,
				      &c->set[s].rs.lines[j], "%s", why);
		}
	}
	for (int s = 0; s < c->nsets; s++)
		free(used[s]);
	free(pick);
}

/*
 * Split a config line into KEY, its words without "--PARAM VALUE", and
 * the VALUE; TITLE gets the line with the value shown as "*".  Returns
 * whether the line names PARAM.
 */
static bool split_param(const char *text, const char *param, char *key,
			char *title, size_t len, char *value, size_t vlen)
{
	char *copy = strdup(text), *w[CONFIG_ARGS_MAX * 2];
	size_t plen = strlen(param);
	bool found = false;
	int nw;

	if (!copy)
		abort();
	key[0] = title[0] = '\0';
	nw = config_words(copy, w, ARRAY_SIZE(w));
	for (int i = 0; i < nw;) {
		struct config_item it;

		i = config_item((const char *const *)w, nw, i, &it);
		if (!found && it.opt && it.optlen == plen &&
		    !strncmp(it.opt, param, plen)) {
			snprintf(value, vlen, "%s", it.value ? it.value : "");
			found = true;
			snprintf(title + strlen(title), len - strlen(title),
				 "%s--%s *", *title ? " " : "", param);
			continue;
		}
		for (int j = it.first; j < it.next; j++) {
			snprintf(key + strlen(key), len - strlen(key), "%s%s",
				 *key ? " " : "", w[j]);
			snprintf(title + strlen(title), len - strlen(title),
				 "%s%s", *title ? " " : "", w[j]);
		}
	}
	free(copy);
	return found;
}

/* The value of PARAM on L: as written, else the recorded default. */
static bool param_value(const struct rs_line *l, const char *param,
			char *key, char *title, size_t len, char *value,
			size_t vlen)
{
	const char *def;

	if (split_param(l->config_line, param, key, title, len, value, vlen))
		return true;
	def = rs_param(l, param);
	snprintf(value, vlen, "%s", def ? def : "(default)");
	snprintf(title + strlen(title), len - strlen(title), " --%s *",
		 param);
	return def != NULL;
}

/* Lines of the one set that differ only in --vary PARAM. */
static int match_vary(struct cmp *c)
{
	const struct set *s = &c->set[0];
	const struct resultset *rs = &s->rs;
	bool *done = calloc(rs->nlines + 1, sizeof(bool));
	char key[2048], other[2048], title[2048], t2[2048], value[128];
	bool known = false;

	if (!done)
		abort();
	for (int i = 0; i < rs->nlines; i++)
		if (param_value(&rs->lines[i], c->vary, key, title,
				sizeof(key), value, sizeof(value)))
			known = true;
	if (!known) {
		fprintf(stderr, "tlbbench: %s: --vary: no line of %s has a "
			"parameter '%s'\n", c->name,
			s->name, c->vary);
		free(done);
		return -EINVAL;
	}
	for (int i = 0; i < rs->nlines; i++) {
		struct block *b;

		if (done[i])
			continue;
		param_value(&rs->lines[i], c->vary, key, title, sizeof(key),
			    value, sizeof(value));
		b = NULL;
		for (int j = i + 1; j < rs->nlines; j++) {
			char v2[128];

			if (done[j])
				continue;
			param_value(&rs->lines[j], c->vary, other, t2,
				    sizeof(other), v2, sizeof(v2));
			if (strcmp(key, other))
				continue;
			if (!b) {
				b = new_block(c, title);
				b->col[0].set = s;
				b->col[0].l = &rs->lines[i];
				snprintf(b->col[0].value,
					 sizeof(b->col[0].value), "%s", value);
				b->ncols = 1;
			}
			if (b->ncols == MAX_COLS)
				break;
			done[j] = true;
			b->col[b->ncols].set = s;
			b->col[b->ncols].l = &rs->lines[j];
			snprintf(b->col[b->ncols].value,
				 sizeof(b->col[0].value), "%s", v2);
			b->ncols++;
		}
		done[i] = true;
		if (!b) {
			add_unmatched(c, s, 'A', &rs->lines[i],
				      "no other value of --%s", c->vary);
			continue;
		}
		for (int k = 0; k < b->ncols; k++)
			b->col[k].label = 'A' + k;
	}
	free(done);
	return 0;
}

/* -------------------------------------------------------------------- */
/* Numbers and notes */

static void note_params(struct block *b, const char *vary)
{
	for (size_t p = 0; p < ARRAY_SIZE(same_params); p++) {
		const char *first = NULL, *v, *key = same_params[p];
		char list[512] = "";
		size_t len = 0;
		bool differ = false;

		if (vary && !strcmp(vary, key))
			continue;
		for (int k = 0; k < b->ncols; k++) {
			if (!b->col[k].l)
				continue;
			v = rs_param(b->col[k].l, key);
			v = v ? v : "?";
			if (!first)
				first = v;
			else if (strcmp(first, v))
				differ = true;
			len += snprintf(list + len, sizeof(list) - len,
					"%s%c %s", len ? ", " : "",
					b->col[k].label, v);
			if (len >= sizeof(list))
				len = sizeof(list) - 1;
		}
		if (differ)
			strs_add(&b->notes, "%s differs: %s", key, list);
	}
}

static void note_mapping(struct block *b)
{
	const char *first = NULL, *g;
	char list[512] = "";
	bool differ = false;

	for (int k = 0; k < b->ncols; k++) {
		if (!b->col[k].l)
			continue;
		g = rs_granularity(b->col[k].l);
		if (!strcmp(g, "varied"))
			strs_add(&b->notes, "%c: mapping granularity varied "
				 "between repetitions", b->col[k].label);
		if (!first)
			first = g;
		else if (strcmp(first, g))
			differ = true;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%c %s", *list ? ", " : "", b->col[k].label, g);
	}
	if (differ)
		strs_add(&b->notes, "mapped differently: %s", list);
}

static const char *verdict(const struct col *col);

/*
 * Whole runs (integrity, race) end in a verdict: it is their result.  An
 * integrity pass says little: the write through a stale TLB entry is
 * rarely lost while the writer keeps writing, and the deferred-dirty
 * prototype passes these lines yet loses writes under reclaim.
 */
static void note_verdicts(struct block *b)
{
	bool passed = false;

	for (int k = 0; k < b->ncols; k++)
		passed |= b->col[k].l && b->whole &&
			  !strcmp(rs_workload(b->col[k].l), "integrity") &&
			  !strcmp(verdict(&b->col[k]), "pass");
	if (passed)
		strs_add(&b->notes, "an integrity pass proves little: a "
			 "kernel that loses writes (the deferred-dirty "
			 "prototype, under reclaim) passes these lines; a loss "
			 "shows in the race lines (race --hot end), under the "
			 "attacks (race --attack reclaim|invalidate|truncate) "
			 "and in a known-bad control (an unsafe mutant kernel, "
			 "kernels/designs)");
	for (int k = 0; k < b->ncols; k++) {
		const struct rs_line *l = b->col[k].l;
		struct json_object *v;

		if (!l)
			continue;
		for (int i = 0; i < l->n; i++)
			if (json_object_object_get_ex(l->samples[i],
						      "verdict_text", &v))
				strs_add(&b->notes, "%c verdict: %s",
					 b->col[k].label,
					 json_object_get_string(v));
	}
}

/*
 * A kernel that warned while a line ran is broken whatever its counts say:
 * each set's reports on this line, beside the line.
 */
static void note_kernel_reports(struct block *b)
{
	for (int k = 0; k < b->ncols; k++) {
		const struct resultset *rs = &b->col[k].set->rs;
		const struct rs_kernel_report *first = NULL;
		int n = 0;

		if (!b->col[k].l)
			continue;
		for (int i = 0; i < rs_kernel_reports(rs); i++) {
			const struct rs_kernel_report *r = rs_kernel_report(rs,
									    i);

			if (r->line != b->col[k].l->line ||
			    strcmp(r->config_line, b->col[k].l->config_line))
				continue;
			if (!n++)
				first = r;
		}
		if (n)
			strs_add(&b->notes, "%c kernel reports: %d; first: %s",
				 b->col[k].label, n, first->first);
	}
}

static void note_cell(struct block *b, const struct rs_metric *m,
		      const struct col *col, const struct cell *x)
{
	if (!col->l)
		return;
	if (!x->counted) {
		strs_add(&b->notes, "%c %s: not counted: %s", col->label,
			 m->name, x->why);
		return;
	}
	if (x->s.n > 1 && x->s.cv > CV_WARN)
		strs_add(&b->notes, "%c %s: CV %.1f%% > %.0f%%", col->label,
			 m->name, x->s.cv, CV_WARN);
	if (x->have_noise && x->noise > 0 &&
	    (!x->s.median || x->noise > fabs(x->s.median) * NOISE_WARN / 100)) {
		if (x->s.median)
			strs_add(&b->notes, "%c %s: idle-window noise %.3g is "
				 "%.1f%% of the median", col->label, m->name,
				 x->noise, x->noise / fabs(x->s.median) * 100);
		else
			strs_add(&b->notes, "%c %s: idle-window noise %.3g, "
				 "median 0", col->label, m->name, x->noise);
	}
}

/* A column's values of one metric: per repetition, and per run. */
struct col_values {
	double *v;			/* one per sample */
	int n;
	double *med;			/* one per run */
	int k;
	double value;			/* the value shown: cell_value() */
};

/*
 * Summary, noise and change against the base BASE (NULL for column A)
 * of metric MT in column COL, its values into V.  With several runs on
 * both sides the runs are the samples of the test; with one run on
 * either, a time keeps its interval but gets no test: what varies from
 * run to run is not measured.  Exact counts are compared as numbers.
 */
static void compute_cell(struct cmp *c, const struct rs_metric *mt,
			 const struct col *col, struct cell *x,
			 const struct col_values *base, struct col_values *v,
			 double *tmp)
{
	const struct rs_line *l = col->l;

	if (!l) {
		x->why = "no such line";
		return;
	}
	if (rs_values(l, mt, v->v)) {
		x->why = rs_unsupported(l, mt->counter);
		if (!x->why)
			x->why = "not recorded";
		return;
	}
	x->counted = true;
	v->n = l->n;
	stats_summarize(v->v, l->n, &x->s);
	v->k = rs_run_medians(l, v->v, v->med);
	stats_runs_summarize(v->med, v->k, stats_runs_positive(v->med, v->k),
			     &x->r);
	v->value = cell_value(x);
	if (base) {
		stats_compare(base->v, base->n, v->v, l->n, &x->ch);
		x->have_change = true;
		x->p_reps = x->ch.p;
		if (x->ch.exact) {
			/* counts: compared as numbers */
		} else if (base->k > 1 && v->k > 1) {
			stats_compare_runs(base->med, base->k, v->med, v->k,
					   &x->ch);
			c->by_runs = true;
		} else {
			/* Runs on one side only: the change of the values
			 * shown; no test of a time. */
			x->ch.pct = stats_pct_change(base->value, v->value);
			x->untested = rs_metric_is_time(mt);
			if (x->untested)
				x->ch.p = NAN;
			c->untested |= x->untested;
		}
	}
	if (!rs_noise(l, mt, tmp)) {
		x->noise = stats_median(tmp, l->n);
		x->have_noise = true;
	}
}

/*
 * The noise floor of a time tested on runs: how much the runs of each
 * side vary, and the smallest change the test finds with 80% power at
 * that variation.
 */
static void note_runs(struct block *b)
{
	for (int m = 0; m < b->nmetrics; m++) {
		const struct cell *a = cell(b, m, 0);

		if (!rs_metric_is_time(&b->metric[m]))
			continue;
		for (int k = 1; k < b->ncols; k++) {
			const struct cell *x = cell(b, m, k);

			if (!x->have_change || !x->ch.runs)
				continue;
			strs_add(&b->notes, "%s: runs %c %zu, %c %zu; run to "
				 "run %c %.1f%%, %c %.1f%%; the smallest change "
				 "found at 80%% power: %.1f%%", b->metric[m].name,
				 b->col[0].label, a->r.k, b->col[k].label,
				 x->r.k, b->col[0].label, a->r.cv,
				 b->col[k].label, x->r.cv, x->ch.mde_pct);
		}
	}
}

/* The confidence [min, max] has for the median of column K's line. */
static double short_level(const struct block *b,
			  int k)
{
	for (int m = 0; m < b->nmetrics; m++)
		if (cell(b, m, k)->counted)
			return cell(b, m, k)->s.ci_level;
	return NAN;
}

/*
 * Counts of another scope than column A's are not compared with A's: per
 * CPU, per thread and system wide are different counts.  Times are, and
 * so are the /proc/interrupts rows, system wide in every scope.  With
 * --vary scope that difference is what was asked for.  Old records say
 * no scope: rs_scope() knows what they counted.
 */
static void check_scopes(const struct cmp *c, struct block *b)
{
	const char *a = rs_scope(b->col[0].l);
	char list[200] = "";
	size_t len = 0;

	/* A whole run's own figures do not depend on the scope. */
	if ((c->vary && !strcmp(c->vary, "scope")) || b->whole)
		return;
	for (int k = 1; k < b->ncols; k++) {
		const char *s;

		if (!b->col[k].l)
			continue;
		s = rs_scope(b->col[k].l);
		if (!strcmp(a, s) && strcmp(a, "mixed"))
			continue;
		for (int m = 0; m < b->nmetrics; m++) {
			struct cell *x = cell(b, m, k);

			if (!rs_scope_counted(b->metric[m].counter) ||
			    !x->counted)
				continue;
			x->have_change = false;
			x->other_scope = true;
		}
		len += snprintf(list + len, sizeof(list) - len, "%s%c %s",
				len ? ", " : "", b->col[k].label, s);
		if (len >= sizeof(list))
			len = sizeof(list) - 1;
	}
	if (len)
		snprintf(b->scopes, sizeof(b->scopes), "scope %s vs A %s",
			 list, a);
}

/*
 * Times of a set that differs from A in kind (emulated against not, or
 * another CPU model or count) say nothing about A's: they get medians
 * but no change, interval or p.  Flush counts do not depend on the
 * clock; of a whole run, only the lost writes do not.
 */
static void check_kinds(const struct cmp *c, struct block *b)
{
	for (int k = 1; k < b->ncols; k++) {
		int s = b->col[k].set - c->set;

		if (!b->col[k].l || !c->kind[s][0])
			continue;
		for (int m = 0; m < b->nmetrics; m++) {
			struct cell *x = cell(b, m, k);
			const char *ctr = b->metric[m].counter;

			/* A whole run's figures are work done in its
			 * --duration, so clock-bound too; not its losses. */
			if ((b->whole ? !!strstr(ctr, ".lost") :
			     !rs_metric_is_time(&b->metric[m])) ||
			    !x->counted)
				continue;
			x->have_change = false;
			x->other_kind = true;
		}
	}
}

/*
 * Whole runs (integrity, race) are one record over minutes, not timed
 * repetitions: flushes per GiB and ns/op mean nothing for them.  They
 * are compared by their own figures, and their verdicts (a note).
 */
struct whole_figure {
	const char *name, *key, *what;
};

static const struct whole_figure integrity_figures[] = {
	{ "writes", "integrity.writes", "page visits, one burst of stores "
	  "each" },
	{ "zaps", "integrity.zaps", "times the mapping was dropped" },
	{ "writebacks", "integrity.writebacks", "msync, sync_file_range "
	  "and fdatasync calls" },
	{ "raced,checked", "integrity.racing_writes_evicted_checked",
	  "writes that raced a zap and were checked after an eviction: how "
	  "often a loss could have shown" },
	{ "lost writes", "integrity.lost", "pages that did not hold their "
	  "last completed value" },
};
static const struct whole_figure race_figures[] = {
	{ "attempts", "race.attempts", "long zaps with hot pages" },
	{ "windows", "race.attempts_writeback_inside_zap", "attempts whose "
	  "hot pages were written back inside the zap: the race's window" },
	{ "stores in win", "race.stores_after_writeback_inside_zap",
	  "stores made in those windows" },
	{ "checks", "race.pages_checked", "hot pages read back from disk" },
	{ "lost writes", "race.lost", "last stores not on disk" },
};
static struct rs_metric integrity_metrics[ARRAY_SIZE(integrity_figures)];
static struct rs_metric race_metrics[ARRAY_SIZE(race_figures)];

static bool whole_run(const struct rs_line *l)
{
	return l && json_object_object_get_ex(l->samples[0], "verdict", NULL);
}

/* The metrics of B: the cmp's, or the whole run's own figures. */
static void block_metrics(const struct cmp *c, struct block *b)
{
	const struct whole_figure *f = integrity_figures;
	struct rs_metric *m = integrity_metrics;
	size_t n = ARRAY_SIZE(integrity_figures);

	b->whole = whole_run(b->col[0].l);
	b->metric = c->metric;
	b->nmetrics = c->nmetrics;
	if (!b->whole)
		return;
	if (!strcmp(rs_workload(b->col[0].l), "race")) {
		f = race_figures;
		m = race_metrics;
		n = ARRAY_SIZE(race_figures);
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(m[i].name, sizeof(m[i].name), "%s", f[i].name);
		snprintf(m[i].counter, sizeof(m[i].counter), "%s", f[i].key);
		m[i].per = RS_PER_SAMPLE;
	}
	b->metric = m;
	b->nmetrics = n;
}

static void compute_block(struct cmp *c, struct block *b)
{
	struct col_values base, v;
	int nmax = 0;
	double *tmp;

	block_metrics(c, b);
	for (int k = 0; k < b->ncols; k++)
		if (b->col[k].l && b->col[k].l->n > nmax)
			nmax = b->col[k].l->n;
	b->cell = calloc((size_t)b->nmetrics * b->ncols, sizeof(*b->cell));
	base.v = calloc(nmax + 1, sizeof(double));
	base.med = calloc(nmax + 1, sizeof(double));
	v.v = calloc(nmax + 1, sizeof(double));
	v.med = calloc(nmax + 1, sizeof(double));
	tmp = calloc(nmax + 1, sizeof(*tmp));
	if (!b->cell || !base.v || !base.med || !v.v || !v.med || !tmp)
		abort();
	for (int m = 0; m < b->nmetrics; m++) {
		const struct rs_metric *mt = &b->metric[m];
		struct cell *a = cell(b, m, 0);

		compute_cell(c, mt, &b->col[0], a, NULL, &base, tmp);
		for (int k = 1; k < b->ncols; k++)
			compute_cell(c, mt, &b->col[k], cell(b, m, k),
				     a->counted ? &base : NULL, &v, tmp);
	}
	check_scopes(c, b);
	check_kinds(c, b);
	/* One record a side: a change, but no interval, p or mark; the
	 * same figure on both (0 lost against 0) is "=". */
	for (int m = 0; b->whole && m < b->nmetrics; m++) {
		for (int k = 1; k < b->ncols; k++) {
			struct cell *x = cell(b, m, k);

			x->ch.exact = x->ch.exact && x->ch.pct == 0;
			if (!x->ch.exact)
				x->ch.p = x->ch.pct_lo = x->ch.pct_hi = NAN;
		}
	}
	if (b->scopes[0])
		strs_add(&b->notes, "counts not compared: %s; times are",
			 b->scopes);
	for (int m = 0; m < b->nmetrics; m++)
		for (int k = 0; k < b->ncols; k++)
			note_cell(b, &b->metric[m], &b->col[k], cell(b, m, k));
	note_runs(b);
	free(tmp);
	free(v.med);
	free(v.v);
	free(base.med);
	free(base.v);
	for (int k = 0; k < b->ncols; k++) {
		const struct rs_line *l = b->col[k].l;

		if (!l) {
			strs_add(&b->notes, "%c has no such line",
				 b->col[k].label);
			continue;
		}
		if (l->n >= STATS_CI_MIN_N || b->whole)
			continue;
		strs_add(&b->notes, "%c: n=%d, too few for 95%%: ± spans "
			 "[min, max] at %.2f%% confidence", b->col[k].label,
			 l->n, short_level(b, k) * 100);
	}
	for (int k = 0; c->show_model && !b->whole && k < b->ncols; k++)
		b->have_model[k] = b->col[k].l &&
				   !rs_model(b->col[k].l, &b->model[k]);
	note_mapping(b);
	note_params(b, c->vary);
	note_verdicts(b);
	note_kernel_reports(b);
}

/* Whether the set ran under an emulator (TCG): its clock is not a CPU's. */
static bool emulated(const struct set *s)
{
	struct json_object *v;

	if (!json_object_object_get_ex(s->rs.system, "emulated", &v) || !v)
		return false;
	return !json_object_is_type(v, json_type_boolean) ||
	       json_object_get_boolean(v);
}

/* Whether the set's CPU offers INVLPGB to its kernel (system.json). */
static bool invlpgb(const struct set *s)
{
	struct json_object *v;

	return json_object_object_get_ex(s->rs.system, "invlpgb", &v) &&
	       json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

/* Whether any sample of S says its remote flushes arrived as HOW. */
static bool remote_flush_seen(const struct set *s, const char *how)
{
	for (int i = 0; i < s->rs.nlines; i++)
		if (rs_remote_flush(&s->rs.lines[i], how))
			return true;
	return false;
}

/*
 * A set whose remote flushes the hypervisor carried received nothing by
 * IPI: its recv, TLB interrupts and victims' handler time are 0 without
 * being free.
 */
static void check_remote_flush(struct cmp *c)
{
	for (int s = 0; s < c->nsets; s++) {
		bool hv = remote_flush_seen(&c->set[s], "hypervisor");
		bool ipi = remote_flush_seen(&c->set[s], "ipi");

		if (!hv)
			continue;
		strs_add(&c->warnings, "%c's remote flushes were sent to the "
			 "helpers' CPUs and none received%s: the hypervisor "
			 "flushed them (paravirtual flush_tlb_multi), so its "
			 "recv and TLB interrupts are 0 without being free",
			 'A' + s, ipi ? " in some samples" : "");
	}
}

/*
 * Different machines make an A/B comparison of kernels meaningless; of
 * times, even more: set C->kind[s] to why set S's times cannot be
 * compared with A's.
 */
static void check_machines(struct cmp *c)
{
	const struct resultset *a = &c->set[0].rs;
	const char *ma = rs_system_string(a, "cpu_model");
	const char *na = rs_system_string(a, "cpus_online");

	for (int s = 1; s < c->nsets; s++) {
		const struct resultset *b = &c->set[s].rs;
		const char *mb = rs_system_string(b, "cpu_model");
		const char *nb = rs_system_string(b, "cpus_online");
		char *why = c->kind[s];
		size_t len = sizeof(c->kind[s]), n = 0;

		if (emulated(&c->set[0]) != emulated(&c->set[s]))
			n += snprintf(why + n, len - n, "%c ran emulated, "
				      "%c did not",
				      emulated(&c->set[0]) ? 'A' : 'A' + s,
				      emulated(&c->set[0]) ? 'A' + s : 'A');
		if (ma && mb && strcmp(ma, mb)) {
			strs_add(&c->warnings, "A and %c ran on different CPU "
				 "models: %s vs %s", 'A' + s, ma, mb);
			if (n < len)
				n += snprintf(why + n, len - n, "%sother CPU "
					      "models", n ? "; " : "");
		}
		if (invlpgb(&c->set[0]) != invlpgb(&c->set[s]))
			strs_add(&c->warnings, "A and %c differ in flush "
				 "mechanism: %c may broadcast flushes by INVLPGB, "
				 "which IPI counts do not show; compare "
				 "kprobe.tlb_flush_mmu", 'A' + s,
				 invlpgb(&c->set[0]) ? 'A' : 'A' + s);
		if (na && nb && strcmp(na, nb)) {
			strs_add(&c->warnings, "A and %c ran with different "
				 "CPU counts: %s vs %s", 'A' + s, na, nb);
			if (n < len)
				snprintf(why + n, len - n, "%sother CPU counts",
					 n ? "; " : "");
		}
		c->any_kind |= why[0] != '\0';
	}
}

/* The one sentence every output gives when times are not compared. */
static void kind_note(const struct cmp *c, char *buf, size_t len)
{
	size_t n;

	n = snprintf(buf, len, "Times are not compared: ");
	for (int s = 1; s < c->nsets && n < len; s++) {
		if (!c->kind[s][0])
			continue;
		n += snprintf(buf + n, len - n, "%c against A: %s.  ", 'A' + s,
			      c->kind[s]);
	}
	if (n < len)
		snprintf(buf + n, len - n, "A time measured on one kind of "
			 "machine says nothing about another, so times are "
			 "shown without change, interval or p (and so is the "
			 "work a whole run did in its time); flush counts and "
			 "lost writes do not depend on the clock and are "
			 "compared.");
}

/* -------------------------------------------------------------------- */
/* Formatting helpers */

static const char *sys(const struct set *s, const char *key)
{
	const char *v = rs_system_string(&s->rs, key);

	return v ? v : "?";
}

/* "virtual machine", "emulated (tcg)" or "" from system.json. */
const char *cmp_machine_kind(const struct set *s, char *buf, size_t len)
{
	struct json_object *v;

	buf[0] = '\0';
	if (json_object_object_get_ex(s->rs.system, "emulated", &v) && v &&
	    (!json_object_is_type(v, json_type_boolean) ||
	     json_object_get_boolean(v))) {
		if (json_object_is_type(v, json_type_string))
			snprintf(buf, len, "emulated (%s)",
				 json_object_get_string(v));
		else
			snprintf(buf, len, "emulated");
	} else if (json_object_object_get_ex(s->rs.system, "hypervisor", &v)
		   && json_object_get_boolean(v)) {
		snprintf(buf, len, "virtual machine");
	}
	return buf;
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

static void fmt_spread(const struct cell *x, char *buf, size_t len)
{
	double h = NAN, v = cell_value(x);

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

static void fmt_change(const struct cell *x, char *buf, size_t len)
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

static void fmt_change_ci(const struct cell *x, char *buf, size_t len)
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

/* "**" p < 0.01, "*" p < 0.05; exact counts: "=" equal, "!" not. */
const char *cmp_mark(const struct cell *x)
{
	if (!x->have_change)
		return "";
	if (x->ch.exact)
		return x->ch.pct == 0 ? "=" : "!";
	if (x->ch.p < 0.01)
		return "**";
	if (x->ch.p < 0.05)
		return "*";
	return "";
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
/* The machine of a set */

static struct json_object *sys_obj(const struct set *s, const char *a,
				   const char *b)
{
	struct json_object *o, *v;

	if (!json_object_object_get_ex(s->rs.system, a, &o) || !o)
		return NULL;
	if (!b)
		return o;
	return json_object_object_get_ex(o, b, &v) ? v : NULL;
}

/* The selected value of a sysfs choice list: "always [madvise] never". */
static void selected(struct json_object *v, char *buf, size_t len)
{
	const char *t = v ? json_object_get_string(v) : NULL, *open, *close;

	open = t ? strchr(t, '[') : NULL;
	close = open ? strchr(open, ']') : NULL;
	if (close)
		snprintf(buf, len, "%.*s", (int)(close - open - 1), open + 1);
	else
		snprintf(buf, len, "%s", t ? t : "?");
}

/* The mitigations= of the command line, PTI, and how many are off. */
static size_t mitigations_text(const struct set *s, char *buf, size_t len)
{
	const char *cmd = rs_system_string(&s->rs, "cmdline");
	const char *m = cmd ? strstr(cmd, "mitigations=") : NULL;
	struct json_object *all = sys_obj(s, "mitigations", NULL);
	struct json_object *md = sys_obj(s, "mitigations", "meltdown");
	int vulnerable = 0;
	size_t n;

	if (m && (m == cmd || m[-1] == ' '))
		n = snprintf(buf, len, "%.*s", (int)strcspn(m, " "), m);
	else
		n = snprintf(buf, len, "mitigations default");
	if (md && n < len)
		n += snprintf(buf + n, len - n, ", %s",
			      strstr(json_object_get_string(md), "PTI") ?
			      "PTI on" : "no PTI");
	if (all && json_object_is_type(all, json_type_object)) {
		json_object_object_foreach(all, key, v) {
			(void)key;
			if (!strncmp(json_object_get_string(v), "Vulnerable",
				     10))
				vulnerable++;
		}
		if (n < len)
			n += snprintf(buf + n, len - n, ", %d CPU "
				      "vulnerabilit%s not mitigated", vulnerable,
				      vulnerable == 1 ? "y" : "ies");
	}
	return n;
}

/*
 * When the set ran, its memory, THP, mitigations, and for a guest the
 * host kernel and QEMU that ran it: what a reader of a posting asks.
 */
static void set_details(const struct set *s, char *buf, size_t len)
{
	const char *started = rs_system_string(&s->rs, "started");
	struct json_object *mem = sys_obj(s, "mem_total_bytes", NULL);
	struct json_object *qmem = sys_obj(s, "qemu", "memory");
	struct json_object *host = sys_obj(s, "host", "kernel");
	struct json_object *hcpu = sys_obj(s, "host", "cpu_model");
	struct json_object *qv = sys_obj(s, "qemu", "qemu");
	struct json_object *accel = sys_obj(s, "qemu", "accel");
	const char *klog = rs_system_string(&s->rs, "kernel_log");
	char thp[64], shmem[64];
	size_t n = 0;

	if (started)
		n += snprintf(buf + n, len - n, "%.10s %.5s UTC; ", started,
			      strlen(started) > 11 ? started + 11 : "");
	if (mem && n < len)
		n += snprintf(buf + n, len - n, "%.1f GiB memory; ",
			      json_object_get_int64(mem) / (double)(1 << 30));
	else if (qmem && n < len)
		n += snprintf(buf + n, len - n, "%s memory; ",
			      json_object_get_string(qmem));
	selected(sys_obj(s, "thp", "enabled"), thp, sizeof(thp));
	selected(sys_obj(s, "thp", "shmem_enabled"), shmem, sizeof(shmem));
	if (n < len)
		n += snprintf(buf + n, len - n, "THP %s, shmem %s; ", thp,
			      shmem);
	if (n < len)
		n += mitigations_text(s, buf + n, len - n);
	if (klog && n < len)
		n += snprintf(buf + n, len - n, "; kernel log: %s",
			      strncmp(klog, "unchecked", 9) ? "" : klog);
	if (klog && strncmp(klog, "unchecked", 9) && n < len)
		n += snprintf(buf + n, len - n, "%d report%s",
			      rs_kernel_reports(&s->rs),
			      rs_kernel_reports(&s->rs) == 1 ? "" : "s");
	if (host && n < len) {
		const char *q = qv ? json_object_get_string(qv) : "QEMU";
		const char *ver = strstr(q, "version ");

		n += snprintf(buf + n, len - n, "; guest of host kernel %s",
			      json_object_get_string(host));
		if (hcpu && n < len)
			n += snprintf(buf + n, len - n, " on %s",
				      json_object_get_string(hcpu));
		if (n < len)
			snprintf(buf + n, len - n, ", QEMU %.*s%s%s",
				 ver ? (int)strcspn(ver + 8, " ") : 0,
				 ver ? ver + 8 : "", accel ? " " : "",
				 accel ? json_object_get_string(accel) : "");
	}
}

/* -------------------------------------------------------------------- */
/* Text */

static void text_sets(const struct cmp *c)
{
	for (int s = 0; s < c->nsets; s++) {
		const struct set *st = &c->set[s];
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
		cmp_machine_kind(st, kind, sizeof(kind));
		snprintf(head, sizeof(head), "%s CPUs, %s%s%s",
			 sys(st, "cpus_online"), sys(st, "cpu_model"),
			 *kind ? ", " : "", kind);
		print_wrapped("  ", "  ", head);
		set_details(st, head, sizeof(head));
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
		const struct block *b = &c->block[i];

		for (int m = 0; m < b->nmetrics; m++)
			for (int k = 1; k < b->ncols; k++)
				if (which ? cell(b, m, k)->other_kind :
				    cell(b, m, k)->other_scope)
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
		const struct block *b = &c->block[i];

		for (int m = 0; m < b->nmetrics; m++)
			for (int k = 1; k < b->ncols; k++)
				if (cell(b, m, k)->untested &&
				    cell(b, m, k)->have_change)
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
static void definitions(const struct cmp *c, struct strs *d)
{
	bool sent = false, recv = false, nsop = false, usop = false;
	bool attr = false, integrity = false, race = false;

	for (int m = 0; m < c->nmetrics; m++) {
		const char *n = c->metric[m].name;

		if (!strcmp(n, "sent/GiB") && !sent) {
			sent = true;
			strs_add(d, "sent/GiB: flushes sent with IPIs (%s) per "
				 "GiB of region", RS_SENT);
		} else if (!strcmp(n, "recv/GiB") && !recv) {
			recv = true;
			strs_add(d, "recv/GiB: shootdowns received (%s) per "
				 "GiB", RS_RECV);
		} else if (!strcmp(n, "us/op") && !usop) {
			usop = true;
			strs_add(d, "us/op: microseconds per operation (the "
				 "measured kernel call)");
		} else if (!strcmp(n, "ns/op") && !nsop) {
			nsop = true;
			strs_add(d, "ns/op: nanoseconds per operation (the "
				 "measured kernel call)");
		} else if (rs_metric_what(&c->metric[m]) &&
			   !defined(c, m)) {
			strs_add(d, "%s: %s%s", n,
				 rs_metric_what(&c->metric[m]),
				 c->metric[m].per == RS_PER_GIB ?
				 "; per GiB of region" :
				 c->metric[m].per == RS_PER_OP ?
				 "; per operation" : "");
		} else if (!strncmp(n, "attr.", 5) && !attr) {
			attr = true;
			strs_add(d, "attr.PATH: flushes sent with IPIs (%s) "
				 "from that kernel path, sampled with their "
				 "call chains (--attribute); attr.REASON.PATH: "
				 "of tlb_flush.REASON", RS_SENT);
		}
	}
	for (int i = 0; i < c->nblocks; i++) {
		const struct block *b = &c->block[i];

		if (!b->whole)
			continue;
		race = race || !strcmp(rs_workload(b->col[0].l), "race");
		integrity = integrity ||
			    strcmp(rs_workload(b->col[0].l), "race");
	}
	for (int w = 0; w < 2; w++) {
		const struct whole_figure *f = w ? race_figures :
					       integrity_figures;
		size_t n = w ? ARRAY_SIZE(race_figures) :
			   ARRAY_SIZE(integrity_figures);
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
		strs_add(d, "%s", buf);
	}
}

static void text_legend(const struct cmp *c)
{
	struct strs d = { 0 };
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
	strs_free(&d);
}

/* A whole run's verdict ("pass", "lost"...), or "-". */
static const char *verdict(const struct col *col)
{
	struct json_object *v;

	if (!col->l || !json_object_object_get_ex(col->l->samples[0],
						  "verdict", &v))
		return "-";
	return json_object_get_string(v);
}

/*
 * The kernel model's verdict of each column, and what the models
 * predict (once, or per column where they differ): force_flush per
 * page table against batched is what a patch removing flushes shows.
 */
static void text_model(const struct block *b)
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

static void text_block(const struct cmp *c, const struct block *b)
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
		const struct cell *a = cell(b, m, 0);
		char av[32], as[16];

		if ((int)strlen(name) > NAME_W) {
			put_line("  %s", name);
			name = "";
		}
		fmt_value(a->counted ? cell_value(a) : NAN, av, sizeof(av));
		fmt_spread(a, as, sizeof(as));
		for (int k = 1; k < b->ncols; k++) {
			const struct cell *x = cell(b, m, k);
			char v[32], ch[16], ci[40];

			fmt_value(x->counted ? cell_value(x) : NAN, v, sizeof(v));
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
			 "verdict" : "", k == 1 ? verdict(&b->col[0]) : "", "",
			 multi ? b->col[k].label : ' ', verdict(&b->col[k]));
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
		const struct unmatched *u = &c->unmatched[i];
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

		kind_note(c, note, sizeof(note));
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
static void md_p(const struct cell *x, char *buf, size_t len)
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
static void md_cells(const struct block *b, int m, int k, bool change)
{
	const struct cell *x = cell(b, m, k);
	char v[32], sp[16], ch[16], ci[40], p[24];

	fmt_value(x->counted ? cell_value(x) : NAN, v, sizeof(v));
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
static void md_model(const struct block *b, bool rows)
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
	struct strs d = { 0 };
	bool rows = false;		/* a row per new column */

	for (int i = 0; i < c->nblocks; i++)
		rows |= c->block[i].ncols > 2;
	printf("**tlbbench compare%s%s**\n\n", c->vary ? ": --" : "",
	       c->vary ? c->vary : "");
	printf("| set | name | kernel | machine | run on | tlbbench | status |\n"
	       "|---|---|---|---|---|---|---|\n");
	for (int s = 0; s < c->nsets; s++) {
		const struct set *st = &c->set[s];
		char kind[128], details[1024];

		cmp_machine_kind(st, kind, sizeof(kind));
		set_details(st, details, sizeof(details));
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

		kind_note(c, note, sizeof(note));
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
		const struct block *b = &c->block[i];
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
			       k == 1 ? verdict(&b->col[0]) : "");
			if (rows)
				printf(" %c |", b->col[k].label);
			printf(" %s | | | | | |\n", verdict(&b->col[k]));
			if (!rows)
				break;
		}
		md_model(b, rows);
	}
	putchar('\n');
	if (c->vary) {
		for (int i = 0; i < c->nblocks; i++) {
			const struct block *b = &c->block[i];

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
	strs_free(&d);
	for (int i = 0, first = 1; i < c->nblocks; i++) {
		const struct block *b = &c->block[i];
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
		const struct unmatched *u = &c->unmatched[i];

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

static void csv_summary(const struct cell *x)
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

/* The runs of a cell and the value it shows (cell_value()). */
static void csv_runs(const struct cell *x)
{
	if (!x->counted) {
		printf(",,");
		return;
	}
	printf(",%zu", x->r.k);
	csv_num(cell_value(x));
}

static const char *test_name(const struct cell *x)
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
		const struct block *b = &c->block[i];

		for (int m = 0; m < b->nmetrics; m++) {
			const struct cell *a = cell(b, m, 0);

			for (int k = 1; k < b->ncols; k++) {
				const struct cell *x = cell(b, m, k);
				const struct col *ca = &b->col[0];
				const struct col *cb = &b->col[k];

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
		const struct set *st = &c->set[s];
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
		cmp_machine_kind(st, kind, sizeof(kind));
		jadd(o, "machine", jstr(*kind ? kind : NULL));
		set_details(st, details, sizeof(details));
		jadd(o, "details", json_object_new_string(details));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *json_cell(const struct cmp *c,
				     const struct block *b, int m, int k)
{
	const struct cell *x = cell(b, m, k);
	const struct col *col = &b->col[k];
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
	jadd(o, "value", jnum(cell_value(x)));
	ci = json_object_new_array();
	json_object_array_add(ci, jnum(cell_lo(x)));
	json_object_array_add(ci, jnum(cell_hi(x)));
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
static struct json_object *json_model(const struct block *b)
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
				      const struct block *b)
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
				verdict(&b->col[k])));
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

		kind_note(c, note, sizeof(note));
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
		const struct unmatched *u = &c->unmatched[i];
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

/* -------------------------------------------------------------------- */

/* The name of the set at PATH: its directory's. */
static void set_name(char *name, size_t len, const char *path)
{
	size_t end = strlen(path);
	const char *base;

	while (end > 1 && path[end - 1] == '/')
		end--;
	for (base = path + end; base > path && base[-1] != '/'; base--)
		;
	snprintf(name, len, "%.*s", (int)(path + end - base), base);
}

/*
 * The sets of one side are meant to be runs of one kernel on one
 * machine: say so when one differs from the side's first.
 */
static void side_mixes(struct cmp *c, const struct set *s,
		       const struct resultset *rs)
{
	static const char *const keys[] = { "kernel", "cpu_model",
					    "cpus_online", "cmdline" };
	char label = 'A' + c->nsets;

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		const char *a = rs_system_string(&s->rs, keys[k]);
		const char *b = rs_system_string(rs, keys[k]);

		if (a && b && strcmp(a, b))
			strs_add(&c->warnings, "side %c merges sets of "
				 "different %s: %s and %s", label, keys[k],
				 a, b);
	}
}

void cmp_free(struct cmp *c)
{
	for (int i = 0; i < c->nblocks; i++) {
		free(c->block[i].cell);
		strs_free(&c->block[i].notes);
	}
	free(c->block);
	free(c->unmatched);
	strs_free(&c->warnings);
	for (int s = 0; s < c->nsets; s++)
		resultset_free(&c->set[s].rs);
	free(c->set);
}

/* Where a set is and which run it holds: to find one given twice. */
struct set_identity {
	char *real;			/* its directory, resolved */
	char *stamp;			/* kernel, start and end of its run */
};

/*
 * The set at PATH, loaded as RS and named NAMES[N], against the sets
 * before it (IDS and NAMES, N): a
 * set given twice (the same directory, or a copy: the same start and end
 * of the same kernel) compares a run with itself, where every change is
 * 0 and proves nothing.  Warn, naming both.
 */
static void same_sets(struct cmp *c, struct set_identity *ids, int n,
		      char (*names)[256], const char *path,
		      const struct resultset *rs)
{
	struct set_identity *me = &ids[n];
	const char *k = rs_system_string(rs, "kernel");
	const char *a = rs_system_string(rs, "started");
	const char *b = rs_system_string(rs, "finished");

	me->real = realpath(path, NULL);
	if (k && a && b && asprintf(&me->stamp, "%s %s %s", k, a, b) < 0)
		abort();
	for (int j = 0; j < n; j++) {
		bool same = me->real && ids[j].real &&
			    !strcmp(me->real, ids[j].real);
		bool copy = me->stamp && ids[j].stamp &&
			    !strcmp(me->stamp, ids[j].stamp);

		if (same || copy)
			strs_add(&c->warnings, "%s and %s are %s: a set "
				 "compared with itself shows no change, "
				 "whatever the kernel", names[j], names[n],
				 same ? "the same set" : "copies of one run");
	}
}

/*
 * Loads the N operands at PATHS into C: a side per set, or with "--"
 * between groups, a side per group, its sets merged as runs of one
 * kernel.  0, or -EINVAL after one line on stderr naming the file.
 */
int cmp_load(struct cmp *c, char **paths, int n)
{
	struct set_identity *ids = calloc(n + 1, sizeof(*ids));
	char (*loaded)[256] = calloc(n + 1, sizeof(*loaded));
	bool groups = false;
	char err[8192], dir[4096];
	int nloaded = 0, ret = 0;

	if (!ids || !loaded)
		abort();
	for (int i = 0; i < n; i++)
		groups |= !strcmp(paths[i], "--");
	c->set = calloc(n, sizeof(*c->set));
	if (!c->set)
		abort();
	for (int i = 0; i < n && !ret; i++) {
		struct set *s = &c->set[c->nsets];
		struct resultset rs;
		char name[256];

		if (!strcmp(paths[i], "--"))
			continue;
		if (rs_resolve(paths[i], dir, sizeof(dir), err, sizeof(err)) ||
		    resultset_load(dir, &rs, err, sizeof(err))) {
			fprintf(stderr, "tlbbench: %s\n", err);
			ret = -EINVAL;
			break;
		}
		set_name(name, sizeof(name), paths[i]);
		snprintf(loaded[nloaded], sizeof(loaded[0]), "%s", name);
		same_sets(c, ids, nloaded++, loaded, dir, &rs);
		if (!s->rs.system) {
			s->rs = rs;
			snprintf(s->name, sizeof(s->name), "%s", name);
		} else {
			if (resultset_merge(&s->rs, &rs))
				abort();
			side_mixes(c, s, &rs);
			resultset_free(&rs);
			snprintf(s->name + strlen(s->name),
				 sizeof(s->name) - strlen(s->name), "+%s",
				 name);
		}
		/* The side ends here: at "--", or each set without one. */
		if (!groups || i == n - 1 || !strcmp(paths[i + 1], "--"))
			c->nsets++;
	}
	for (int i = 0; i < nloaded; i++) {
		free(ids[i].real);
		free(ids[i].stamp);
	}
	free(ids);
	free(loaded);
	return ret;
}

/* The blocks of C: lines matched across sets, or by --vary in one set. */
int cmp_match(struct cmp *c)
{
	if (c->vary)
		return match_vary(c);
	match_sets(c);
	check_machines(c);
	check_remote_flush(c);
	return 0;
}

void cmp_compute(struct cmp *c)
{
	for (int i = 0; i < c->nblocks; i++)
		compute_block(c, &c->block[i]);
}

/*
 * Sets with walking victims get their figures beside the default
 * metrics: what the flushes cost the other CPUs.
 */
void cmp_victim_metrics(struct cmp *c)
{
	static const char *const names[] = { "victim-us/GiB",
					     "handler-us/GiB" };
	bool any = false;

	for (int s = 0; s < c->nsets; s++)
		any |= rs_has_victims(&c->set[s].rs);
	for (size_t i = 0; any && i < ARRAY_SIZE(names) &&
	     c->nmetrics < MAX_METRICS; i++)
		rs_metric_parse(names[i], &c->metric[c->nmetrics++]);
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
	if (expand_metrics(&c))
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
