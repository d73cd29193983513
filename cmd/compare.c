/*
 * tlbbench compare: the medians of result sets side by side, per config
 * line and metric, with how sure each median is and whether each change
 * is real: an 80-column text table for email, or markdown, CSV or JSON.
 * The sets are matched and their numbers computed by
 * lib/analysis/compare.c, and laid out by one renderer per format
 * (lib/analysis/compare_render.h); this file reads the options.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/args.h"
#include "commands.h"
#include "analysis/compare.h"
#include "analysis/compare_render.h"
#include "measure/options.h"
#include "analysis/resultset.h"
#include "workload.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	enum out_format format;
} formats[] = {
	{ "text", FORMAT_TEXT }, { "markdown", FORMAT_MARKDOWN },
	{ "csv", FORMAT_CSV }, { "json", FORMAT_JSON },
};
/* One unit per quantity, as in report and the figures: flushes per GiB
 * of region, time in µs per operation. */
static const char *const default_metrics[] = {
	"sent/GiB", "recv/GiB", "us/op" };

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

#define refuse(...) cmp_refuse("compare", __VA_ARGS__)

/* The figures a whole run of WORKLOAD records, or NULL. */
const struct result_figure *workload_figures(const char *workload)
{
	const struct workload *w = find_workload(workload);

	return w ? w->figures : NULL;
}

/*
 * The run of config line TEXT with its effective options (defaults
 * filled in, in the option table's order, by lib/measure/options.c) into
 * OUT: how compare and plotdata match lines written differently.  0, or
 * -1 when the workload or an option is unknown here.
 */
int config_line_effective(const char *text, char *out, size_t len)
{
	char *copy = strdup(text), *argv[128], *save, *w;
	const struct workload *wl;
	int argc = 0, n, ret = -1;

	if (!copy)
		abort();
	for (w = strtok_r(copy, " \t", &save); w && argc < 128;
	     w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	wl = argc ? find_workload(argv[0]) : NULL;
	n = wl ? snprintf(out, len, "%s ", argv[0]) : 0;
	if (wl && (size_t)n < len &&
	    !options_canonical(wl->options, wl->own, wl->preset, argc - 1,
			       argv + 1, out + n, len - n))
		ret = 0;
	free(copy);
	return ret;
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
		else if (c->nmetrics == CMP_MAX_METRICS)
			ret = refuse("--metrics: more than %d",
				     CMP_MAX_METRICS);
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

/* The comparison, and how to render it. */
struct compare {
	struct cmp c;
	enum out_format format;
};

/* One option NAME with its value; 0 or -EINVAL. */
static int set_option(struct compare *cp, const char *name, const char *val)
{
	struct cmp *c = &cp->c;

	if (!strcmp(name, "--format")) {
		for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
			if (!strcmp(val, formats[f].name)) {
				cp->format = formats[f].format;
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

static int parse_args(struct compare *cp, int argc, char **argv)
{
	struct cmp *c = &cp->c;
	int nsets;

	c->name = "compare";
	c->effective = config_line_effective;
	c->figures = workload_figures;
	cp->format = FORMAT_TEXT;
	c->show_model = true;
	for (size_t i = 0; i < ARRAY_SIZE(default_metrics); i++)
		rs_metric_parse(default_metrics[i], &c->metric[c->nmetrics++]);
	nsets = args_parse("compare", compare_options,
			   ARRAY_SIZE(compare_options), argc, argv,
			   compare_set, cp);
	if (nsets == ARGS_HELP) {
		usage(stdout);
		return 0;
	}
	if (nsets < 0)
		return -EINVAL;
	return cmp_check_sets(c, nsets, argv);
}

/* Exit status: 0 compared, 1 nothing to compare, 2 bad input. */
int cmd_compare(int argc, char **argv)
{
	static struct compare cp;
	struct cmp *c = &cp.c;
	int n, ret = 2;

	n = parse_args(&cp, argc, argv);
	if (n <= 0)
		return n ? 2 : 0;
	if (cmp_load(c, argv, n))
		goto out;
	if (!c->metrics_given)
		cmp_victim_metrics(c);
	if (cmp_expand_metrics(c))
		goto out;
	for (int m = 0; m < c->nmetrics; m++) {
		bool found = !c->metric[m].counter[0];

		for (int s = 0; !found && s < c->nsets; s++)
			found = rs_has_counter(&c->set[s].rs,
					       c->metric[m].counter);
		if (!found) {
			refuse("--metrics: no counter '%s' in any result set",
			       c->metric[m].counter);
			goto out;
		}
	}
	if (cmp_match(c))
		goto out;
	cmp_compute(c);

	cmp_render(c, cmp_renderer_of(cp.format));
	ret = 0;
	if (!c->nblocks) {
		fprintf(stderr, "tlbbench: compare: no line to compare\n");
		ret = 1;
	}
out:
	cmp_free(c);
	return ret;
}

