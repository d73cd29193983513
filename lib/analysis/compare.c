/*
 * The model of tlbbench compare, shared with tlbbench plotdata: result
 * sets loaded as sides, their config lines matched (by text, by the
 * options they ran with, or by --vary PARAM within one set), and per
 * matched line a cell per metric and side with its median, interval,
 * change against A and test, the notes a reader needs beside them, and
 * what keeps the sides' times or counts apart (the machine, the scope).
 * Numbers come from lib/common/stats.c and samples from resultset.c.
 * compare lays the model out through a renderer per format
 * (compare_render.c), plotdata as figures (plot.c).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/args.h"
#include "compare.h"
#include "common/config_file.h"
#include "machine.h"
#include "resultset.h"
#include "common/stats.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CV_WARN 10.0			/* % of the mean */
#define NOISE_WARN 1.0			/* idle-window noise, % of the median */

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

void cmp_strs_add(struct cmp_strs *s, const char *fmt, ...)
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

void cmp_strs_free(struct cmp_strs *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
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
	if (sides > CMP_MAX_COLS)
		return cmp_refuse(c->name, "'%s': at most %d result sets",
				  sets[n - 1], CMP_MAX_COLS);
	return n;
}

/* Counters of the sets whose names start with PREFIX. */
struct matches {
	const char *prefix;
	size_t len;
	struct cmp_strs names;		/* in the order first seen */
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
		cmp_strs_add(&m->names, "%s", name);
		m->nonzero = xrealloc(m->nonzero, m->names.n * sizeof(bool));
		m->nonzero[i] = false;
	}
	if (v)
		m->nonzero[i] = true;
}

/* Metric MT with its counter replaced by NAME, into OUT[*N]. */
static int add_expanded(const char *cmd, struct rs_metric *out, int *n,
			const struct rs_metric *mt, const char *name)
{
	char full[sizeof(mt->name)];

	if (*n == CMP_MAX_METRICS)
		return cmp_refuse(cmd, "--metrics: '%s' makes more than %d "
				  "metrics", mt->name, CMP_MAX_METRICS);
	snprintf(full, sizeof(full), "%s%s", name,
		 mt->per == RS_PER_GIB ? "/GiB" :
		 mt->per == RS_PER_OP ? "/op" : "");
	if (rs_metric_parse(full, &out[*n]))
		return cmp_refuse(cmd, "--metrics: '%s' is not a metric name",
				  full);
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
int cmp_expand_metrics(struct cmp *c)
{
	struct rs_metric *out = xrealloc(NULL, sizeof(c->metric));
	int n = 0, ret = 0;

	for (int m = 0; m < c->nmetrics && !ret; m++) {
		const struct rs_metric *mt = &c->metric[m];
		size_t len = strlen(mt->counter);
		struct matches mm = { .prefix = mt->counter, .len = len - 1 };
		bool any = false;

		if (!len || mt->counter[len - 1] != '*') {
			if (n == CMP_MAX_METRICS)
				ret = cmp_refuse(c->name, "--metrics: more "
						 "than %d", CMP_MAX_METRICS);
			else
				out[n++] = *mt;
			continue;
		}
		for (int s = 0; s < c->nsets; s++)
			rs_each_counter(&c->set[s].rs, match_counter, &mm);
		if (!mm.names.n)
			ret = cmp_refuse(c->name, "--metrics: '%s' matches no "
					 "counter in any result set%s",
					 mt->name,
					 strncmp(mt->counter, "attr.", 5) ? "" :
					 " (attr.PATH counts come from "
					 "--attribute)");
		for (int i = 0; i < mm.names.n; i++)
			any |= mm.nonzero[i];
		/* attr.PATH (the sender's) before attr.REASON.PATH */
		for (int pass = 0; pass < 2; pass++) {
			for (int i = 0; i < mm.names.n && !ret; i++) {
				const char *rest = mm.names.v[i] + mm.len;

				if ((!strchr(rest, '.')) == pass ||
				    (any && !mm.nonzero[i]))
					continue;
				ret = add_expanded(c->name, out, &n, mt,
						   mm.names.v[i]);
			}
		}
		cmp_strs_free(&mm.names);
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

static void add_unmatched(struct cmp *c, const struct cmp_set *s, char label,
			  const struct rs_line *l, const char *fmt, ...)
{
	struct cmp_unmatched *u;
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

static struct cmp_block *new_block(struct cmp *c, const char *title)
{
	struct cmp_block *b;

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
 * The run of config line TEXT with its effective options, as C's command
 * knows them (cmp.effective): lines written differently that ran the
 * same match.  WHAT: without the options of how long it measured.  ""
 * when the workload or an option is unknown here.
 */
static void canonical(const struct cmp *c, const char *text, char *out,
		      size_t len, bool what)
{
	out[0] = '\0';
	if (!c->effective || c->effective(text, out, len))
		out[0] = '\0';
	else if (what)
		what_only(out);
}

/* Line J of set S matched by base line BL: exactly, or by its runs. */
static bool same_line(const struct cmp *c, const struct rs_line *bl,
		      const char *bkey,
		      const struct rs_line *l, bool exact)
{
	char key[2048];

	if (exact)
		return !strcmp(l->config_line, bl->config_line);
	canonical(c, l->config_line, key, sizeof(key), true);
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
static void near_miss(const struct cmp *c, const struct cmp_set *t,
		      const bool *taken, char label, const struct rs_line *l,
		      char *why, size_t len)
{
	char key[2048], other[2048], diff[256], best[256] = "";
	int nbest = 100, line = 0;
	bool best_taken = true;
	size_t used = strlen(why);

	canonical(c, l->config_line, key, sizeof(key), false);
	for (int j = 0; *key && j < t->rs.nlines; j++) {
		int n;

		canonical(c, t->rs.lines[j].config_line, other, sizeof(other),
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
static void note_written(struct cmp_block *b, char label,
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
		cmp_strs_add(&b->notes, "%c line %d is written `%s`: the same "
			     "run", label, l->line, l->config_line);
	else
		cmp_strs_add(&b->notes, "%c line %d differs in how long it "
			     "measured, not what: %s (A/%c)", label, l->line,
			     diff, label);
}

/*
 * Base lines in config order; each new set contributes its first unused
 * line with the same text, or else with the same effective options (a
 * default written out or left out, options in another order), so a
 * config that repeats a line pairs them in order.
 */
static void match_sets(struct cmp *c)
{
	bool *used[CMP_MAX_COLS];
	const struct rs_line **pick;
	int nb = c->set[0].rs.nlines;

	pick = calloc((size_t)nb * CMP_MAX_COLS + 1, sizeof(*pick));
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
				canonical(c, bl->config_line, bkey,
					  sizeof(bkey), true);
			for (int s = 1; s < c->nsets; s++) {
				const struct resultset *rs = &c->set[s].rs;

				for (int j = 0; !pick[i * CMP_MAX_COLS + s] &&
				     j < rs->nlines; j++) {
					if (used[s][j] ||
					    !same_line(c, bl, bkey,
						       &rs->lines[j], !pass))
						continue;
					used[s][j] = true;
					pick[i * CMP_MAX_COLS + s] =
						&rs->lines[j];
				}
			}
		}
	}
	for (int i = 0; i < nb; i++) {
		const struct rs_line *bl = &c->set[0].rs.lines[i];
		struct cmp_block *b;
		int found = 0;

		for (int s = 1; s < c->nsets; s++)
			found += pick[i * CMP_MAX_COLS + s] != NULL;
		used[0][i] = found;
		if (!found) {
			char why[400] = "in no other set";

			near_miss(c, &c->set[1], used[1], 'B', bl, why,
				  sizeof(why));
			add_unmatched(c, &c->set[0], 'A', bl, "%s", why);
			continue;
		}
		b = new_block(c, bl->config_line);
		b->ncols = c->nsets;
		for (int s = 0; s < c->nsets; s++) {
			const struct rs_line *l =
				s ? pick[i * CMP_MAX_COLS + s] : bl;

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
			near_miss(c, &c->set[0], used[0], 'A',
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
	const struct cmp_set *s = &c->set[0];
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
		struct cmp_block *b;

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
			if (b->ncols == CMP_MAX_COLS)
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

static void note_params(struct cmp_block *b, const char *vary)
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
			cmp_strs_add(&b->notes, "%s differs: %s", key, list);
	}
}

static void note_mapping(struct cmp_block *b)
{
	const char *first = NULL, *g;
	char list[512] = "";
	bool differ = false;

	for (int k = 0; k < b->ncols; k++) {
		if (!b->col[k].l)
			continue;
		g = rs_granularity(b->col[k].l);
		if (!strcmp(g, "varied"))
			cmp_strs_add(&b->notes, "%c: mapping granularity "
				     "varied between repetitions",
				     b->col[k].label);
		if (!first)
			first = g;
		else if (strcmp(first, g))
			differ = true;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%c %s", *list ? ", " : "", b->col[k].label, g);
	}
	if (differ)
		cmp_strs_add(&b->notes, "mapped differently: %s", list);
}

/*
 * Whole runs (integrity, race) end in a verdict: it is their result.  An
 * integrity pass says little: the write through a stale TLB entry is
 * rarely lost while the writer keeps writing, and the deferred-dirty
 * prototype passes these lines yet loses writes under reclaim.
 */
static void note_verdicts(struct cmp_block *b)
{
	bool passed = false;

	for (int k = 0; k < b->ncols; k++)
		passed |= b->col[k].l && b->whole &&
			  !strcmp(rs_workload(b->col[k].l), "integrity") &&
			  !strcmp(cmp_verdict(&b->col[k]), "pass");
	if (passed)
		cmp_strs_add(&b->notes, "an integrity pass proves little: a "
			     "kernel that loses writes (the deferred-dirty "
			     "prototype, under reclaim) passes these lines; a "
			     "loss shows in the race lines (race --hot end), "
			     "under the attacks (race --attack "
			     "reclaim|invalidate|truncate) and in a known-bad "
			     "control (an unsafe mutant kernel, "
			     "configs/kernels/designs.table)");
	for (int k = 0; k < b->ncols; k++) {
		const struct rs_line *l = b->col[k].l;

		for (int i = 0; l && i < l->n; i++)
			if (rs_verdict_text(l, i))
				cmp_strs_add(&b->notes, "%c verdict: %s",
					     b->col[k].label,
					     rs_verdict_text(l, i));
	}
}

/*
 * A kernel that warned while a line ran is broken whatever its counts say:
 * each set's reports on this line, beside the line.
 */
static void note_kernel_reports(struct cmp_block *b)
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
			cmp_strs_add(&b->notes, "%c kernel reports: %d; first: "
				     "%s", b->col[k].label, n, first->first);
	}
}

static void note_cell(struct cmp_block *b, const struct rs_metric *m,
		      const struct cmp_col *col, const struct cmp_cell *x)
{
	if (!col->l)
		return;
	if (!x->counted) {
		cmp_strs_add(&b->notes, "%c %s: not counted: %s", col->label,
			     m->name, x->why);
		return;
	}
	if (x->s.n > 1 && x->s.cv > CV_WARN)
		cmp_strs_add(&b->notes, "%c %s: CV %.1f%% > %.0f%%", col->label,
			     m->name, x->s.cv, CV_WARN);
	if (x->have_noise && x->noise > 0 &&
	    (!x->s.median || x->noise > fabs(x->s.median) * NOISE_WARN / 100)) {
		if (x->s.median)
			cmp_strs_add(&b->notes, "%c %s: idle-window noise %.3g "
				     "is %.1f%% of the median", col->label,
				     m->name, x->noise,
				     x->noise / fabs(x->s.median) * 100);
		else
			cmp_strs_add(&b->notes, "%c %s: idle-window noise "
				     "%.3g, median 0", col->label, m->name,
				     x->noise);
	}
}

/* A column's values of one metric: per repetition, and per run. */
struct col_values {
	double *v;			/* one per sample */
	int n;
	double *med;			/* one per run */
	int k;
	double value;			/* the value shown: cmp_cell_value() */
};

/*
 * Summary, noise and change against the base BASE (NULL for column A)
 * of metric MT in column COL, its values into V.  With several runs on
 * both sides the runs are the samples of the test; with one run on
 * either, a time keeps its interval but gets no test: what varies from
 * run to run is not measured.  Exact counts are compared as numbers.
 */
static void compute_cell(struct cmp *c, const struct rs_metric *mt,
			 const struct cmp_col *col, struct cmp_cell *x,
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
	v->value = cmp_cell_value(x);
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
static void note_runs(struct cmp_block *b)
{
	for (int m = 0; m < b->nmetrics; m++) {
		const struct cmp_cell *a = cmp_cell_at(b, m, 0);

		if (!rs_metric_is_time(&b->metric[m]))
			continue;
		for (int k = 1; k < b->ncols; k++) {
			const struct cmp_cell *x = cmp_cell_at(b, m, k);

			if (!x->have_change || !x->ch.runs)
				continue;
			cmp_strs_add(&b->notes, "%s: runs %c %zu, %c %zu; run "
				     "to run %c %.1f%%, %c %.1f%%; the "
				     "smallest change found at 80%% power: "
				     "%.1f%%", b->metric[m].name,
				     b->col[0].label, a->r.k, b->col[k].label,
				     x->r.k, b->col[0].label, a->r.cv,
				     b->col[k].label, x->r.cv, x->ch.mde_pct);
		}
	}
}

/* The confidence [min, max] has for the median of column K's line. */
static double short_level(const struct cmp_block *b,
			  int k)
{
	for (int m = 0; m < b->nmetrics; m++)
		if (cmp_cell_at(b, m, k)->counted)
			return cmp_cell_at(b, m, k)->s.ci_level;
	return NAN;
}

/*
 * Counts of another scope than column A's are not compared with A's: per
 * CPU, per thread and system wide are different counts.  Times are, and
 * so are the /proc/interrupts rows, system wide in every scope.  With
 * --vary scope that difference is what was asked for.  Old records say
 * no scope: rs_scope() knows what they counted.
 */
static void check_scopes(const struct cmp *c, struct cmp_block *b)
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
			struct cmp_cell *x = cmp_cell_at(b, m, k);

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
static void check_kinds(const struct cmp *c, struct cmp_block *b)
{
	for (int k = 1; k < b->ncols; k++) {
		int s = b->col[k].set - c->set;

		if (!b->col[k].l || !c->kind[s][0])
			continue;
		for (int m = 0; m < b->nmetrics; m++) {
			struct cmp_cell *x = cmp_cell_at(b, m, k);
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
 * The figures a whole run of WORKLOAD is compared by (its workload
 * declares them, a name each) into OUT, at most MAX; how many: none for
 * a workload the command does not know.
 */
size_t cmp_figures(const struct cmp *c, const char *workload,
		   const struct result_figure **out, size_t max)
{
	const struct result_figure *f = c->figures ? c->figures(workload) :
					NULL;
	size_t n = 0;

	for (; f && f->key && n < max; f++)
		if (f->name)
			out[n++] = f;
	return n;
}

/*
 * Whole runs (integrity, race) are one record over minutes, not timed
 * repetitions: flushes per GiB and ns/op mean nothing for them.  They
 * are compared by their own figures, and their verdicts (a note).
 */
static void block_metrics(const struct cmp *c, struct cmp_block *b)
{
	const struct result_figure *f[CMP_MAX_FIGURES];
	size_t n;

	b->whole = rs_is_whole(b->col[0].l);
	b->metric = c->metric;
	b->nmetrics = c->nmetrics;
	if (!b->whole)
		return;
	n = cmp_figures(c, rs_workload(b->col[0].l), f, CMP_MAX_FIGURES);
	b->own_metric = xrealloc(NULL, (n ? n : 1) * sizeof(*b->own_metric));
	for (size_t i = 0; i < n; i++) {
		struct rs_metric *m = &b->own_metric[i];

		memset(m, 0, sizeof(*m));
		snprintf(m->name, sizeof(m->name), "%s", f[i]->name);
		snprintf(m->counter, sizeof(m->counter), "%s", f[i]->key);
		m->per = RS_PER_SAMPLE;
	}
	b->metric = b->own_metric;
	b->nmetrics = n;
}

static void compute_block(struct cmp *c, struct cmp_block *b)
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
		struct cmp_cell *a = cmp_cell_at(b, m, 0);

		compute_cell(c, mt, &b->col[0], a, NULL, &base, tmp);
		for (int k = 1; k < b->ncols; k++)
			compute_cell(c, mt, &b->col[k], cmp_cell_at(b, m, k),
				     a->counted ? &base : NULL, &v, tmp);
	}
	check_scopes(c, b);
	check_kinds(c, b);
	/* One record a side: a change, but no interval, p or mark; the
	 * same figure on both (0 lost against 0) is "=". */
	for (int m = 0; b->whole && m < b->nmetrics; m++) {
		for (int k = 1; k < b->ncols; k++) {
			struct cmp_cell *x = cmp_cell_at(b, m, k);

			x->ch.exact = x->ch.exact && x->ch.pct == 0;
			if (!x->ch.exact)
				x->ch.p = x->ch.pct_lo = x->ch.pct_hi = NAN;
		}
	}
	if (b->scopes[0])
		cmp_strs_add(&b->notes, "counts not compared: %s; times are",
			     b->scopes);
	for (int m = 0; m < b->nmetrics; m++)
		for (int k = 0; k < b->ncols; k++)
			note_cell(b, &b->metric[m], &b->col[k],
				  cmp_cell_at(b, m, k));
	note_runs(b);
	free(tmp);
	free(v.med);
	free(v.v);
	free(base.med);
	free(base.v);
	for (int k = 0; k < b->ncols; k++) {
		const struct rs_line *l = b->col[k].l;

		if (!l) {
			cmp_strs_add(&b->notes, "%c has no such line",
				     b->col[k].label);
			continue;
		}
		if (l->n >= STATS_CI_MIN_N || b->whole)
			continue;
		cmp_strs_add(&b->notes, "%c: n=%d, too few for 95%%: ± spans "
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

/* Whether any sample of S says its remote flushes arrived as HOW. */
static bool remote_flush_seen(const struct cmp_set *s, const char *how)
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
		cmp_strs_add(&c->warnings, "%c's remote flushes were sent to "
			     "the helpers' CPUs and none received%s: the "
			     "hypervisor flushed them (paravirtual "
			     "flush_tlb_multi), so its recv and TLB interrupts "
			     "are 0 without being free", 'A' + s,
			     ipi ? " in some samples" : "");
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
		bool emulated = c->set[0].machine.emulated;

		if (emulated != c->set[s].machine.emulated)
			n += snprintf(why + n, len - n, "%c ran emulated, "
				      "%c did not", emulated ? 'A' : 'A' + s,
				      emulated ? 'A' + s : 'A');
		if (ma && mb && strcmp(ma, mb)) {
			cmp_strs_add(&c->warnings, "A and %c ran on different "
				     "CPU models: %s vs %s", 'A' + s, ma, mb);
			if (n < len)
				n += snprintf(why + n, len - n, "%sother CPU "
					      "models", n ? "; " : "");
		}
		if (c->set[0].machine.invlpgb != c->set[s].machine.invlpgb)
			cmp_strs_add(&c->warnings, "A and %c differ in flush "
				     "mechanism: %c may broadcast flushes by "
				     "INVLPGB, which IPI counts do not show; "
				     "compare kprobe.tlb_flush_mmu", 'A' + s,
				     c->set[0].machine.invlpgb ? 'A' : 'A' + s);
		if (na && nb && strcmp(na, nb)) {
			cmp_strs_add(&c->warnings, "A and %c ran with "
				     "different CPU counts: %s vs %s", 'A' + s,
				     na, nb);
			if (n < len)
				snprintf(why + n, len - n, "%sother CPU counts",
					 n ? "; " : "");
		}
		c->any_kind |= why[0] != '\0';
	}
}

/* The one sentence every output gives when times are not compared. */
void cmp_kind_note(const struct cmp *c, char *buf, size_t len)
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
/* The machine of a set */

/* "**" p < 0.01, "*" p < 0.05; exact counts: "=" equal, "!" not. */
const char *cmp_mark(const struct cmp_cell *x)
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


/* The mitigations= of the command line, PTI, and how many are off. */
static size_t mitigations_text(const struct cmp_set *s, char *buf,
			       size_t len)
{
	const struct rs_machine *mc = &s->machine;
	const char *cmd = rs_system_string(&s->rs, "cmdline");
	const char *m = cmd ? strstr(cmd, "mitigations=") : NULL;
	size_t n;

	if (m && (m == cmd || m[-1] == ' '))
		n = snprintf(buf, len, "%.*s", (int)strcspn(m, " "), m);
	else
		n = snprintf(buf, len, "mitigations default");
	if (mc->meltdown && n < len)
		n += snprintf(buf + n, len - n, ", %s",
			      strstr(mc->meltdown, "PTI") ? "PTI on" :
			      "no PTI");
	if (mc->vulnerable >= 0 && n < len)
		n += snprintf(buf + n, len - n, ", %d CPU vulnerabilit%s not "
			      "mitigated", mc->vulnerable,
			      mc->vulnerable == 1 ? "y" : "ies");
	return n;
}

/*
 * When the set ran, its memory, THP, mitigations, and for a guest the
 * host kernel and QEMU that ran it: what a reader of a posting asks.
 */
void cmp_set_details(const struct cmp_set *s, char *buf, size_t len)
{
	const struct rs_machine *m = &s->machine;
	const char *started = m->started, *klog = m->kernel_log;
	size_t n = 0;

	if (started)
		n += snprintf(buf + n, len - n, "%.10s %.5s UTC; ", started,
			      strlen(started) > 11 ? started + 11 : "");
	if (m->have_mem && n < len)
		n += snprintf(buf + n, len - n, "%.1f GiB memory; ",
			      m->mem_bytes / (double)(1 << 30));
	else if (m->guest_mem && n < len)
		n += snprintf(buf + n, len - n, "%s memory; ", m->guest_mem);
	if (n < len)
		n += snprintf(buf + n, len - n, "THP %s, shmem %s; ", m->thp,
			      m->shmem);
	if (n < len)
		n += mitigations_text(s, buf + n, len - n);
	if (klog && n < len)
		n += snprintf(buf + n, len - n, "; kernel log: %s",
			      strncmp(klog, "unchecked", 9) ? "" : klog);
	if (klog && strncmp(klog, "unchecked", 9) && n < len)
		n += snprintf(buf + n, len - n, "%d report%s",
			      rs_kernel_reports(&s->rs),
			      rs_kernel_reports(&s->rs) == 1 ? "" : "s");
	if (m->host_kernel && n < len) {
		const char *q = m->qemu ? m->qemu : "QEMU";
		const char *ver = strstr(q, "version ");

		n += snprintf(buf + n, len - n, "; guest of host kernel %s",
			      m->host_kernel);
		if (m->host_cpu && n < len)
			n += snprintf(buf + n, len - n, " on %s", m->host_cpu);
		if (n < len)
			snprintf(buf + n, len - n, ", QEMU %.*s%s%s",
				 ver ? (int)strcspn(ver + 8, " ") : 0,
				 ver ? ver + 8 : "", m->accel ? " " : "",
				 m->accel ? m->accel : "");
	}
}

/* A whole run's verdict ("pass", "lost"...), or "-". */
const char *cmp_verdict(const struct cmp_col *col)
{
	const char *v = rs_verdict(col->l);

	return v ? v : "-";
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
static void side_mixes(struct cmp *c, const struct cmp_set *s,
		       const struct resultset *rs)
{
	static const char *const keys[] = { "kernel", "cpu_model",
					    "cpus_online", "cmdline" };
	char label = 'A' + c->nsets;

	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		const char *a = rs_system_string(&s->rs, keys[k]);
		const char *b = rs_system_string(rs, keys[k]);

		if (a && b && strcmp(a, b))
			cmp_strs_add(&c->warnings, "side %c merges sets of "
				     "different %s: %s and %s", label, keys[k],
				     a, b);
	}
}

void cmp_free(struct cmp *c)
{
	for (int i = 0; i < c->nblocks; i++) {
		free(c->block[i].cell);
		free(c->block[i].own_metric);
		cmp_strs_free(&c->block[i].notes);
	}
	free(c->block);
	free(c->unmatched);
	cmp_strs_free(&c->warnings);
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
			cmp_strs_add(&c->warnings, "%s and %s are %s: a set "
				     "compared with itself shows no change, "
				     "whatever the kernel", names[j],
				     names[n], same ? "the same set" :
				     "copies of one run");
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
	c->set = calloc(n + 1, sizeof(*c->set));
	if (!c->set)
		abort();
	for (int i = 0; i < n && !ret; i++) {
		struct cmp_set *s = &c->set[c->nsets];
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
	for (int i = 0; i < c->nsets; i++)
		rs_machine_read(&c->set[i].rs, &c->set[i].machine);
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
	     c->nmetrics < CMP_MAX_METRICS; i++)
		rs_metric_parse(names[i], &c->metric[c->nmetrics++]);
}

