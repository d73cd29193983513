/*
 * Result sets are read with json-c.  Any malformed input is refused with
 * the file and line named; nothing is guessed.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "resultset.h"

static int get(struct json_object *o, const char *key, enum json_type type,
	       struct json_object **out)
{
	if (!json_object_object_get_ex(o, key, out) ||
	    !json_object_is_type(*out, type))
		return -EINVAL;
	return 0;
}

/*
 * The field a sample lacks of those every reader relies on, or NULL.  A
 * whole run's record (it has a verdict) has no idle window beside it.
 */
static const char *missing_field(struct json_object *s)
{
	static const struct {
		const char *key;
		enum json_type type;
		bool repeated;		/* only in samples of repetitions */
	} need[] = {
		{ "line", json_type_int, false },
		{ "config_line", json_type_string, false },
		{ "workload", json_type_string, false },
		{ "params", json_type_object, false },
		{ "ns", json_type_int, false },
		{ "counters", json_type_object, false },
		{ "noise", json_type_object, true },
		{ "mapping", json_type_object, false },
	};
	bool whole = json_object_object_get_ex(s, "verdict", NULL);
	struct json_object *v;

	if (whole && get(s, "verdict", json_type_string, &v))
		return "verdict";
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (need[i].repeated && whole)
			continue;
		if (get(s, need[i].key, need[i].type, &v))
			return need[i].key;
	}
	return NULL;
}

static struct rs_line *line_of(struct resultset *rs, int line,
			       const char *text)
{
	struct rs_line *grown;

	for (int i = 0; i < rs->nlines; i++)
		if (rs->lines[i].line == line)
			return &rs->lines[i];
	grown = realloc(rs->lines, (rs->nlines + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	rs->lines = grown;
	grown = &rs->lines[rs->nlines++];
	memset(grown, 0, sizeof(*grown));
	grown->line = line;
	grown->config_line = text;
	return grown;
}

static int add_sample(struct resultset *rs, struct json_object *s)
{
	struct json_object *line, *text, **grown;
	struct rs_line *l;

	json_object_object_get_ex(s, "line", &line);
	json_object_object_get_ex(s, "config_line", &text);
	l = line_of(rs, json_object_get_int(line),
		    json_object_get_string(text));
	if (!l)
		return -ENOMEM;
	grown = realloc(l->samples, (l->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	l->samples = grown;
	l->samples[l->n++] = s;
	json_object_array_add(rs->samples, s);
	return 0;
}

static int load_samples(const char *path, struct resultset *rs, char *err,
			size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, ret = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while ((len = getline(&buf, &cap, f)) > 0) {
		enum json_tokener_error jerr;
		struct json_object *s;
		const char *why;

		lineno++;
		if (buf[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: truncated line", path,
				 lineno);
			ret = -EINVAL;
			break;
		}
		s = json_tokener_parse_verbose(buf, &jerr);
		if (!s) {
			snprintf(err, errlen, "%s:%d: not JSON (%s)", path,
				 lineno, json_tokener_error_desc(jerr));
			ret = -EINVAL;
			break;
		}
		if (!json_object_is_type(s, json_type_object)) {
			snprintf(err, errlen, "%s:%d: not a JSON object", path,
				 lineno);
			why = "";
		} else if ((why = missing_field(s))) {
			snprintf(err, errlen,
				 "%s:%d: missing or mistyped field %s", path,
				 lineno, why);
		}
		if (why) {
			json_object_put(s);
			ret = -EINVAL;
			break;
		}
		ret = add_sample(rs, s);
		if (ret) {
			json_object_put(s);
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			break;
		}
	}
	free(buf);
	fclose(f);
	if (!ret && !lineno) {
		snprintf(err, errlen, "%s: no samples", path);
		ret = -EINVAL;
	}
	return ret;
}

/* Returns 0, or -errno with one line naming the file in ERR. */
int resultset_load(const char *dir, struct resultset *rs, char *err,
		   size_t errlen)
{
	char path[4096];
	int ret;

	memset(rs, 0, sizeof(*rs));
	rs->samples = json_object_new_array();
	snprintf(path, sizeof(path), "%s/system.json", dir);
	rs->system = json_object_from_file(path);
	if (!rs->system || !json_object_is_type(rs->system, json_type_object)) {
		snprintf(err, errlen, "%s: %s", path,
			 access(path, R_OK) ? strerror(errno) :
			 "not a JSON object");
		resultset_free(rs);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/samples.jsonl", dir);
	ret = load_samples(path, rs, err, errlen);
	if (ret)
		resultset_free(rs);
	return ret;
}

/* One counter's value for each sample of L; NAN where not counted. */
double *rs_metric(const struct rs_line *l, const char *counter)
{
	double *v = calloc(l->n ? l->n : 1, sizeof(*v));

	for (int i = 0; v && i < l->n; i++) {
		struct json_object *counters, *c;

		json_object_object_get_ex(l->samples[i], "counters", &counters);
		v[i] = json_object_object_get_ex(counters, counter, &c) ?
		       json_object_get_double(c) : NAN;
	}
	return v;
}

double rs_ns(const struct json_object *sample)
{
	struct json_object *ns;

	json_object_object_get_ex(sample, "ns", &ns);
	return json_object_get_double(ns);
}

void resultset_free(struct resultset *rs)
{
	for (int i = 0; i < rs->nlines; i++)
		free(rs->lines[i].samples);
	free(rs->lines);
	json_object_put(rs->samples);
	json_object_put(rs->system);
	memset(rs, 0, sizeof(*rs));
}
