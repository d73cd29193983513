/*
 * The one reader of result sets: the commands read a set only through
 * resultset.h.  Documentation/result-format.md is the contract with the
 * writers (lib/measure/record.c; sysinfo.c and system_json.c through
 * tlbbench describe; tlbbench kernel-log).
 *
 * Result sets are read with json-c.  Any malformed input is refused with
 * the file and line named; nothing is guessed.  Everything a reader uses
 * is checked here, at load time, so the accessors below cannot fail on a
 * sample that was accepted.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "resultset.h"
#include "common/stats.h"

/* system.json is small; anything larger is not one. */
#define SYSTEM_JSON_MAX (1 << 20)

static int get(struct json_object *o, const char *key, enum json_type type,
	       struct json_object **out)
{
	if (!json_object_object_get_ex(o, key, out) ||
	    !json_object_is_type(*out, type))
		return -EINVAL;
	return 0;
}

/* An integer field of O at least MIN; 0 or -EINVAL. */
static int get_int(struct json_object *o, const char *key, long long min,
		   long long *v)
{
	struct json_object *j;

	if (get(o, key, json_type_int, &j))
		return -EINVAL;
	*v = json_object_get_int64(j);
	return *v < min ? -ERANGE : 0;
}

/* Every value of the object KEY of S is an integer. */
static int all_ints(struct json_object *s, const char *key, char *why,
		    size_t len)
{
	struct json_object *o;

	json_object_object_get_ex(s, key, &o);
	json_object_object_foreach(o, name, v) {
		if (!json_object_is_type(v, json_type_int)) {
			snprintf(why, len, "field %s.%s is not an integer",
				 key, name);
			return -EINVAL;
		}
	}
	return 0;
}

/* --attribute: an object, its counts integers. */
static int check_attribution(struct json_object *s, char *why, size_t len)
{
	struct json_object *a, *v;

	if (!json_object_object_get_ex(s, "attribution", &a))
		return 0;
	if (!json_object_is_type(a, json_type_object) ||
	    get(a, "available", json_type_boolean, &v) ||
	    (json_object_object_get_ex(a, "counts", &v) &&
	     !json_object_is_type(v, json_type_object))) {
		snprintf(why, len, "missing or mistyped field attribution");
		return -EINVAL;
	}
	if (!json_object_object_get_ex(a, "counts", &v))
		return 0;
	json_object_object_foreach(v, name, n) {
		if (!json_object_is_type(n, json_type_int)) {
			snprintf(why, len, "field attribution.counts.%s is "
				 "not an integer", name);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * --victims walk: an object whose figures are numbers (or null where one
 * could not be had), its victims an array of such objects.
 */
static int check_victims_object(struct json_object *v, const char *where,
				char *why, size_t len)
{
	json_object_object_foreach(v, name, x) {
		enum json_type t = json_object_get_type(x);

		if (!strcmp(name, "per_victim") || t == json_type_int ||
		    t == json_type_double || t == json_type_null ||
		    t == json_type_object || t == json_type_string)
			continue;
		snprintf(why, len, "field %s.%s is not a number", where, name);
		return -EINVAL;
	}
	return 0;
}

static int check_victims(struct json_object *s, char *why, size_t len)
{
	struct json_object *v, *per;

	if (!json_object_object_get_ex(s, "victims", &v))
		return 0;
	if (!json_object_is_type(v, json_type_object) ||
	    (json_object_object_get_ex(v, "per_victim", &per) &&
	     !json_object_is_type(per, json_type_array))) {
		snprintf(why, len, "missing or mistyped field victims");
		return -EINVAL;
	}
	if (check_victims_object(v, "victims", why, len))
		return -EINVAL;
	for (size_t i = 0; per && i < json_object_array_length(per); i++) {
		struct json_object *e = json_object_array_get_idx(per, i);

		if (!json_object_is_type(e, json_type_object)) {
			snprintf(why, len, "missing or mistyped field "
				 "victims.per_victim");
			return -EINVAL;
		}
		if (check_victims_object(e, "victims.per_victim", why, len))
			return -EINVAL;
	}
	return 0;
}

/*
 * What is wrong with sample S for any reader, in WHY; 0 if nothing.  The
 * messages name the field as "missing or mistyped field KEY".  A whole
 * run's record (it has a verdict) has no idle window beside it and may
 * count no operation.
 */
static int check_sample(struct json_object *s, char *why, size_t len)
{
	static const struct {
		const char *key;
		enum json_type type;
	} need[] = {
		{ "line", json_type_int },
		{ "config_line", json_type_string },
		{ "workload", json_type_string },
		{ "params", json_type_object },
		{ "ns", json_type_int },
		{ "ops", json_type_int },
		{ "counters", json_type_object },
		{ "noise", json_type_object },
		{ "mapping", json_type_object },
	};
	static const struct {
		const char *key;
		long long min;
	} ranges[] = {
		{ "line", 1 }, { "ns", 0 }, { "ops", 1 }, { "run", 1 },
	};
	bool whole = json_object_object_get_ex(s, "verdict", NULL);
	struct json_object *v, *params, *mapping;
	long long x = 0;

	if (whole && get(s, "verdict", json_type_string, &v)) {
		snprintf(why, len, "missing or mistyped field verdict");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (whole && !strcmp(need[i].key, "noise"))
			continue;
		if (get(s, need[i].key, need[i].type, &v)) {
			snprintf(why, len, "missing or mistyped field %s",
				 need[i].key);
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		long long min = whole ? 0 : ranges[i].min;

		/* A set of one run does not say so. */
		if (!strcmp(ranges[i].key, "run") &&
		    !json_object_object_get_ex(s, "run", NULL))
			continue;
		if (!strcmp(ranges[i].key, "run"))
			min = 1;
		if (get_int(s, ranges[i].key, min, &x) ||
		    (!strcmp(ranges[i].key, "run") && x > INT_MAX / 2) ||
		    (!strcmp(ranges[i].key, "line") && x > INT_MAX)) {
			snprintf(why, len, "field %s out of range (%lld)",
				 ranges[i].key, x);
			return -EINVAL;
		}
	}
	json_object_object_get_ex(s, "params", &params);
	if (get_int(params, "size_bytes", 1, &x)) {
		snprintf(why, len,
			 "missing or mistyped field params.size_bytes");
		return -EINVAL;
	}
	json_object_object_get_ex(s, "mapping", &mapping);
	if (get(mapping, "granularity", json_type_string, &v)) {
		snprintf(why, len,
			 "missing or mistyped field mapping.granularity");
		return -EINVAL;
	}
	if (json_object_object_get_ex(s, "unsupported", &v) &&
	    !json_object_is_type(v, json_type_object)) {
		snprintf(why, len, "missing or mistyped field unsupported");
		return -EINVAL;
	}
	if (json_object_object_get_ex(s, "scope", &v) &&
	    !json_object_is_type(v, json_type_string)) {
		snprintf(why, len, "missing or mistyped field scope");
		return -EINVAL;
	}
	if (all_ints(s, "counters", why, len) ||
	    (!whole && all_ints(s, "noise", why, len)))
		return -EINVAL;
	return check_attribution(s, why, len) || check_victims(s, why, len) ?
	       -EINVAL : 0;
}

static struct rs_line *line_of(struct resultset *rs, int line,
			       const char *text)
{
	struct rs_line *grown;

	/* A swept config line holds several runs: the text tells them apart. */
	for (int i = 0; i < rs->nlines; i++)
		if (rs->lines[i].line == line &&
		    !strcmp(rs->lines[i].config_line, text))
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

/* S's run of the whole config: 1 in a set of one run. */
static int sample_run(struct json_object *s)
{
	struct json_object *v;

	if (!json_object_object_get_ex(s, "run", &v))
		return 1;
	return json_object_get_int(v);
}

/*
 * Adds S, run RUN, to its line (or one value of the line's sweep); RS
 * takes a reference to S.
 */
static int add_sample(struct resultset *rs, struct json_object *s, int run)
{
	struct json_object *line, *text, **grown;
	struct rs_line *l;
	int *runs, i;

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
	runs = realloc(l->run, (l->n + 1) * sizeof(*runs));
	if (!runs)
		return -ENOMEM;
	l->run = runs;
	for (i = 0; i < l->n && l->run[i] != run; i++)
		;
	l->nruns += i == l->n;
	l->run[l->n] = run;
	l->samples[l->n++] = s;
	if (run > rs->maxrun)
		rs->maxrun = run;
	json_object_array_add(rs->samples, s);
	return 0;
}

/* A sample for the set, or what is wrong with it in WHY. */
static int take_sample(struct resultset *rs, struct json_object *s,
		       char *why, size_t len)
{
	int ret = check_sample(s, why, len);

	if (ret)
		return ret;
	ret = add_sample(rs, s, sample_run(s));
	if (ret)
		snprintf(why, len, "%s", strerror(-ret));
	return ret;
}

/*
 * TEXT, LEN bytes and a NUL, as one JSON object with nothing after it
 * but white space (a line holding two objects, or one and some text, is
 * not one record): the object, or NULL with WHY saying what TEXT is.
 */
static struct json_object *parse_object(const char *text, size_t len,
					char *why, size_t wlen)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;
	struct json_object *o;
	size_t end;

	if (!tok) {
		snprintf(why, wlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	o = json_tokener_parse_ex(tok, text, len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		snprintf(why, wlen, "not JSON (%s)",
			 json_tokener_error_desc(jerr));
		json_object_put(o);
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(why, wlen, "not a JSON object (%s)",
			 o ? json_type_to_name(json_object_get_type(o)) :
			 "null");
		json_object_put(o);
		return NULL;
	}
	end += end < len ? strspn(text + end, " \t\r\n") : 0;
	if (end < len) {
		snprintf(why, wlen, "text after the JSON object, at byte %zu",
			 end + 1);
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * Each line of PATH, a JSON object, to TAKE, which owns it when it
 * returns 0 and else says in WHY what is wrong with it; ERR then names
 * the file and the line.  The lines read in *N.  -ENOENT only when PATH
 * does not exist.
 */
static int read_jsonl(const char *path, struct resultset *rs,
		      int (*take)(struct resultset *rs, struct json_object *o,
				  char *why, size_t len),
		      int *n, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, why[512];
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, ret = 0;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	while ((len = getline(&buf, &cap, f)) > 0) {
		struct json_object *o;

		lineno++;
		if (buf[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%d: truncated line", path,
				 lineno);
			ret = -EINVAL;
			break;
		}
		o = parse_object(buf, len, why, sizeof(why));
		ret = o ? take(rs, o, why, sizeof(why)) : -EINVAL;
		if (ret) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			json_object_put(o);
			ret = -EINVAL;
			break;
		}
	}
	if (!ret && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ret = -EIO;
	}
	free(buf);
	fclose(f);
	*n = lineno;
	return ret;
}

/*
 * Lines in config order: runs of a config (run-bench --runs) ran its
 * lines in shuffled orders.  Stable, so that a sweep's values stay in
 * the order they first ran in.
 */
static void sort_lines(struct resultset *rs)
{
	for (int i = 1; i < rs->nlines; i++) {
		struct rs_line l = rs->lines[i];
		int j = i;

		for (; j > 0 && rs->lines[j - 1].line > l.line; j--)
			rs->lines[j] = rs->lines[j - 1];
		rs->lines[j] = l;
	}
}

static int load_samples(const char *path, struct resultset *rs, bool empty_ok,
			char *err, size_t errlen)
{
	int n, ret = read_jsonl(path, rs, take_sample, &n, err, errlen);

	if (!ret && !n && !empty_ok) {
		snprintf(err, errlen, "%s: no samples", path);
		ret = -EINVAL;
	}
	sort_lines(rs);
	return ret;
}

/* A report of kernel-reports.jsonl, or what is wrong with it in WHY. */
static int take_kernel_report(struct resultset *rs, struct json_object *o,
			      char *why, size_t len)
{
	struct json_object *config, *kind, *text, *t;
	struct rs_kernel_report *grown, *r;
	long long line;

	if (get_int(o, "line", 0, &line) || line > INT_MAX) {
		snprintf(why, len, "missing or mistyped field line");
		return -EINVAL;
	}
	if (get(o, "config_line", json_type_string, &config)) {
		snprintf(why, len, "missing or mistyped field config_line");
		return -EINVAL;
	}
	if (get(o, "kind", json_type_string, &kind) ||
	    !json_object_get_string_len(kind)) {
		snprintf(why, len, "missing or mistyped field kind");
		return -EINVAL;
	}
	if (get(o, "text", json_type_array, &text) ||
	    !json_object_array_length(text)) {
		snprintf(why, len, "missing or mistyped field text");
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(text); i++) {
		t = json_object_array_get_idx(text, i);
		if (!json_object_is_type(t, json_type_string)) {
			snprintf(why, len, "field text[%zu] is not a string",
				 i);
			return -EINVAL;
		}
	}
	grown = realloc(rs->kernel, (rs->nkernel + 1) * sizeof(*grown));
	if (!grown) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	rs->kernel = grown;
	r = &rs->kernel[rs->nkernel++];
	r->line = line;
	r->config_line = json_object_get_string(config);
	r->kind = json_object_get_string(kind);
	r->first = json_object_get_string(json_object_array_get_idx(text, 0));
	json_object_array_add(rs->kernel_objs, o);
	return 0;
}

/*
 * kernel-reports.jsonl, which sets from before it was written lack; its
 * count must be the one system.json gives.
 */
static int load_kernel_reports(const char *path, struct resultset *rs,
			       char *err, size_t errlen)
{
	struct json_object *count;
	long long said;
	int n, ret;

	ret = read_jsonl(path, rs, take_kernel_report, &n, err, errlen);
	if (ret == -ENOENT) {
		err[0] = '\0';
		return 0;
	}
	if (ret)
		return ret;
	rs->kernel_checked = true;
	if (!json_object_object_get_ex(rs->system, "kernel_reports", &count))
		return 0;
	said = json_object_get_int64(count);
	if (said != rs->nkernel) {
		snprintf(err, errlen, "%s: %d reports, system.json says %lld",
			 path, rs->nkernel, said);
		return -EINVAL;
	}
	return 0;
}

/* Fields of system.json a reader prints, and the types they may have. */
static int check_system(struct json_object *sys, char *why, size_t len)
{
	static const struct {
		const char *key;
		enum json_type type, alt;
		bool required;
	} fields[] = {
		{ "tlbbench", json_type_string, json_type_string, true },
		{ "kernel", json_type_string, json_type_string, true },
		{ "cmdline", json_type_string, json_type_null, false },
		{ "cpu_model", json_type_string, json_type_null, false },
		{ "cpus_online", json_type_int, json_type_null, false },
		{ "git_revision", json_type_string, json_type_null, false },
		{ "status", json_type_string, json_type_null, false },
		{ "hypervisor", json_type_boolean, json_type_null, false },
		{ "emulated", json_type_string, json_type_boolean, false },
		{ "kernel_reports", json_type_int, json_type_int, false },
		{ "kernel_log", json_type_string, json_type_string, false },
	};
	struct json_object *v;

	if (!json_object_object_get_ex(sys, "tlbbench", &v)) {
		snprintf(why, len,
			 "not a tlbbench system description (no field tlbbench)");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!json_object_object_get_ex(sys, fields[i].key, &v)) {
			if (!fields[i].required)
				continue;
		} else if (json_object_is_type(v, fields[i].type) ||
			   json_object_is_type(v, fields[i].alt)) {
			continue;
		}
		snprintf(why, len, "missing or mistyped field %s",
			 fields[i].key);
		return -EINVAL;
	}
	return 0;
}

static int load_system(const char *path, struct resultset *rs, char *err,
		       size_t errlen)
{
	char *buf, why[256];
	FILE *f = fopen(path, "r");
	size_t len;
	int ret = 0;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	buf = malloc(SYSTEM_JSON_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	len = fread(buf, 1, SYSTEM_JSON_MAX + 1, f);
	if (ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (len > SYSTEM_JSON_MAX) {
		ret = -EINVAL;
		snprintf(err, errlen, "%s: larger than %d bytes", path,
			 SYSTEM_JSON_MAX);
		goto out;
	}
	buf[len] = '\0';
	rs->system = parse_object(buf, len, why, sizeof(why));
	if (!rs->system) {
		ret = -EINVAL;
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	ret = check_system(rs->system, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
out:
	free(buf);
	fclose(f);
	return ret;
}

/*
 * Where result sets are kept: $TLBBENCH_RESULTS, else results/ beside
 * the tlbbench binary (the top of the tree), as the scripts have it.
 */
static void results_dir(char *buf, size_t len)
{
	const char *env = getenv("TLBBENCH_RESULTS");
	char exe[4010];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		snprintf(buf, len, "results");
		return;
	}
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(buf, len, "%.4000s/results", exe);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* The sets under DIR and its subdirectories (reference/6.1-stock). */
static size_t list_sets(const char *dir, const char *prefix, char *buf,
			size_t len, size_t n, int depth)
{
	struct dirent **names;
	int count = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < count; i++) {
		char path[4096], sys[4200], rel[512];
		const char *d = names[i]->d_name;

		snprintf(path, sizeof(path), "%s/%s", dir, d);
		snprintf(rel, sizeof(rel), "%s%s", prefix, d);
		snprintf(sys, sizeof(sys), "%s/system.json", path);
		if (d[0] == '.' || !is_dir(path) || n >= len) {
			free(names[i]);
			continue;
		}
		if (!access(sys, F_OK))
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      rel);
		else if (depth < 1) {
			strcat(rel, "/");
			n = list_sets(path, rel, buf, len, n, depth + 1);
		}
		free(names[i]);
	}
	if (count >= 0)
		free(names);
	return n;
}

/*
 * The directory of the result set NAME into PATH: NAME itself when it is
 * a directory, else NAME under the results directory, as run-bench wrote
 * it ("6.1-stock", "reference/6.1-stock").  Otherwise -ENOENT, with ERR
 * saying where it looked and which sets are there.
 */
int rs_resolve(const char *name, char *path, size_t len, char *err,
	       size_t errlen)
{
	char dir[4096], sets[2048] = "";

	if (is_dir(name)) {
		snprintf(path, len, "%s", name);
		return 0;
	}
	results_dir(dir, sizeof(dir));
	snprintf(path, len, "%s/%s", dir, name);
	if (*name && is_dir(path))
		return 0;
	if (list_sets(dir, "", sets, sizeof(sets), 0, 0) >= sizeof(sets) - 1)
		strcpy(sets + sizeof(sets) - 5, "...");
	snprintf(err, errlen, "%s: no such result set (not a directory, nor "
		 "in %s%s%s)", name, dir, *sets ? ", which holds: " :
		 ", which holds none", sets);
	return -ENOENT;
}

static int load(const char *dir, struct resultset *rs, bool empty_ok,
		char *err, size_t errlen)
{
	size_t len = strlen(dir);
	char path[4096];
	int ret;

	/* "set/" names the set: its files are "set/system.json". */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	memset(rs, 0, sizeof(*rs));
	rs->samples = json_object_new_array();
	rs->kernel_objs = json_object_new_array();
	rs->nsets = 1;
	snprintf(path, sizeof(path), "%.*s/system.json", (int)len, dir);
	ret = load_system(path, rs, err, errlen);
	if (!ret) {
		snprintf(path, sizeof(path), "%.*s/samples.jsonl", (int)len,
			 dir);
		ret = load_samples(path, rs, empty_ok, err, errlen);
	}
	if (!ret) {
		snprintf(path, sizeof(path), "%.*s/kernel-reports.jsonl",
			 (int)len, dir);
		ret = load_kernel_reports(path, rs, err, errlen);
	}
	if (ret)
		resultset_free(rs);
	return ret;
}

/* Returns 0, or -errno with one line naming the file in ERR. */
int resultset_load(const char *dir, struct resultset *rs, char *err,
		   size_t errlen)
{
	return load(dir, rs, false, err, errlen);
}

void resultset_free(struct resultset *rs)
{
	for (int i = 0; i < rs->nlines; i++) {
		free(rs->lines[i].samples);
		free(rs->lines[i].run);
	}
	free(rs->lines);
	free(rs->kernel);
	json_object_put(rs->kernel_objs);
	json_object_put(rs->samples);
	json_object_put(rs->system);
	memset(rs, 0, sizeof(*rs));
}

/*
 * SRC's samples and kernel reports added to DST as runs of their own,
 * numbered after DST's: several sets of one config, each a run (or runs)
 * of it, read as one.  Lines pair by number and text; DST keeps its
 * system description.  0 or -ENOMEM.
 */
int resultset_merge(struct resultset *dst, const struct resultset *src)
{
	int base = dst->maxrun;

	for (int i = 0; i < src->nlines; i++) {
		const struct rs_line *l = &src->lines[i];

		for (int j = 0; j < l->n; j++) {
			int ret = add_sample(dst, json_object_get(l->samples[j]),
					     base + l->run[j]);

			if (ret)
				return ret;
		}
	}
	for (int i = 0; i < src->nkernel; i++) {
		struct rs_kernel_report *grown;

		grown = realloc(dst->kernel,
				(dst->nkernel + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		dst->kernel = grown;
		dst->kernel[dst->nkernel++] = src->kernel[i];
		json_object_array_add(dst->kernel_objs, json_object_get(
			json_object_array_get_idx(src->kernel_objs, i)));
	}
	dst->kernel_checked = dst->kernel_checked && src->kernel_checked;
	dst->nsets += src->nsets;
	sort_lines(dst);
	return 0;
}

/*
 * The median of the values V (one per sample of L) in each of L's runs,
 * into MED in the order the runs first appear; returns their number.
 */
int rs_run_medians(const struct rs_line *l, const double *v, double *med)
{
	double *tmp = malloc((l->n ? l->n : 1) * sizeof(*tmp));
	int k = 0;

	if (!tmp)
		abort();
	for (int i = 0; i < l->n; i++) {
		int n = 0, j;

		for (j = 0; j < i && l->run[j] != l->run[i]; j++)
			;
		if (j < i)
			continue;	/* that run is done */
		for (j = i; j < l->n; j++)
			if (l->run[j] == l->run[i])
				tmp[n++] = v[j];
		med[k++] = stats_median(tmp, n);
	}
	free(tmp);
	return k;
}

/* The per-operation value of the number KEY of the model object O. */
static double model_per_op(struct json_object *o, const char *key,
			   double ops)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    (!json_object_is_type(v, json_type_int) &&
	     !json_object_is_type(v, json_type_double)))
		return NAN;
	return json_object_get_double(v) / ops;
}

/* L's kernel model verdict into M: 0, or -ENOENT when it has none. */
int rs_model(const struct rs_line *l, struct rs_model *m)
{
	double *measured = calloc(l->n + 1, sizeof(*measured));
	int best = 0;

	if (!measured)
		abort();
	memset(m, 0, sizeof(*m));
	m->tables = -1;
	for (int i = 0; i < l->n; i++) {
		struct json_object *o, *v, *ops;
		double n = 1;

		if (!json_object_object_get_ex(l->samples[i], "model", &o) ||
		    !json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, "verdict", &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		if (json_object_object_get_ex(l->samples[i], "ops", &ops))
			n = json_object_get_int64(ops);
		measured[m->n] = model_per_op(o, "measured", n);
		if (!m->n) {
			/* The predictions are the same in every sample. */
			m->force_flush = model_per_op(o,
						      "predict_force_flush", n);
			m->batched = model_per_op(o, "predict_batched", n);
			if (json_object_object_get_ex(o, "dirty_tables", &v))
				m->tables = json_object_get_int64(v);
			m->distinct = json_object_object_get_ex(o, "distinct",
								&v) &&
				      json_object_get_boolean(v);
		}
		m->n++;
	}
	/* The most common verdict, the first seen of equals. */
	for (int i = 0; i < l->n; i++) {
		struct json_object *o, *v;
		const char *t;
		int same = 0;

		if (!json_object_object_get_ex(l->samples[i], "model", &o) ||
		    !json_object_object_get_ex(o, "verdict", &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		t = json_object_get_string(v);
		for (int j = 0; j < l->n; j++) {
			struct json_object *oj, *vj;

			if (json_object_object_get_ex(l->samples[j], "model",
						      &oj) &&
			    json_object_object_get_ex(oj, "verdict", &vj) &&
			    json_object_is_type(vj, json_type_string) &&
			    !strcmp(json_object_get_string(vj), t))
				same++;
		}
		if (same > best) {
			best = same;
			m->verdict = t;
		}
	}
	m->agree = best;
	m->measured = stats_median(measured, m->n);
	free(measured);
	return m->n ? 0 : -ENOENT;
}

/* A number of flushes as it reads best: whole, or to 0.1. */
static int flushes_text(char *buf, size_t len, double v)
{
	if (v == floor(v) || fabs(v) >= 100)
		return snprintf(buf, len, "%.0f", v);
	return snprintf(buf, len, "%.1f", v);
}

/* "force_flush per page table (6 of 6): 33 flushes per op". */
int rs_model_verdict(const struct rs_model *m, char *buf, size_t len)
{
	char meas[32];

	flushes_text(meas, sizeof(meas), m->measured);
	return snprintf(buf, len, "%s (%d of %d): %s flush%s per op",
			m->verdict, m->agree, m->n, meas,
			strcmp(meas, "1") ? "es" : "");
}

/* "force_flush <= 33 = 32 tables + 1, batched <= 3" (", alike here"). */
int rs_model_predicted(const struct rs_model *m, char *buf, size_t len)
{
	char ff[32], b[32];

	flushes_text(ff, sizeof(ff), m->force_flush);
	flushes_text(b, sizeof(b), m->batched);
	if (!m->distinct)
		return snprintf(buf, len, "force_flush <= %s, batched <= %s, "
				"alike here", ff, b);
	if (m->tables >= 0)
		return snprintf(buf, len, "force_flush <= %s = %.0f tables + "
				"%.0f, batched <= %s", ff, m->tables,
				m->force_flush - m->tables, b);
	return snprintf(buf, len, "force_flush <= %s, batched <= %s", ff, b);
}

/* The verdict and, after "; predicted: ", the predictions. */
void rs_model_text(const struct rs_model *m, char *buf, size_t len)
{
	int n = rs_model_verdict(m, buf, len);

	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, "; predicted: ");
	if (n >= 0 && (size_t)n < len)
		rs_model_predicted(m, buf + n, len - n);
}

/* A field of system.json as text, or NULL when absent or null. */
const char *rs_system_string(const struct resultset *rs, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(rs->system, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

/* How many problems the kernel reported; -1: the set did not record it. */
int rs_kernel_reports(const struct resultset *rs)
{
	return rs->kernel_checked ? rs->nkernel : -1;
}

/* Report I of the set, in the order they happened. */
const struct rs_kernel_report *rs_kernel_report(const struct resultset *rs,
						int i)
{
	return i >= 0 && i < rs->nkernel ? &rs->kernel[i] : NULL;
}

static bool sample_has(struct json_object *s, const char *obj,
		       const char *key)
{
	struct json_object *o;

	return json_object_object_get_ex(s, obj, &o) &&
	       json_object_object_get_ex(o, key, NULL);
}

/* Counts per kernel path (--attribute) are named attr.PATH. */
static bool is_attr(const char *counter)
{
	return !strncmp(counter, "attr.", 5);
}

/*
 * Whether any sample counted COUNTER or recorded it as unsupported; for
 * attr.PATH, whether any sample was run with --attribute.
 */
bool rs_has_counter(const struct resultset *rs, const char *counter)
{
	for (size_t i = 0; i < json_object_array_length(rs->samples); i++) {
		struct json_object *s = json_object_array_get_idx(rs->samples,
								  i);

		if (is_attr(counter) ?
		    json_object_object_get_ex(s, "attribution", NULL) :
		    !strncmp(counter, "victims.", 8) ?
		    sample_has(s, "victims", counter + 8) ||
		    sample_has(s, "unsupported", counter) :
		    sample_has(s, "counters", counter) ||
		    sample_has(s, "unsupported", counter))
			return true;
	}
	return false;
}

/* Whether any sample has walking victims' figures (--victims walk). */
bool rs_has_victims(const struct resultset *rs)
{
	for (size_t i = 0; i < json_object_array_length(rs->samples); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(
				rs->samples, i), "victims", NULL))
			return true;
	return false;
}

/*
 * FN for every counter of every sample, attr.PATH counts included, with
 * the sample's value: the names a pattern in --metrics may match.
 */
void rs_each_counter(const struct resultset *rs,
		     void (*fn)(const char *name, long long v, void *arg),
		     void *arg)
{
	for (size_t i = 0; i < json_object_array_length(rs->samples); i++) {
		struct json_object *s = json_object_array_get_idx(rs->samples,
								  i);
		struct json_object *o, *a;

		json_object_object_get_ex(s, "counters", &o);
		json_object_object_foreach(o, name, v)
			fn(name, json_object_get_int64(v), arg);
		if (!json_object_object_get_ex(s, "attribution", &a) ||
		    !json_object_object_get_ex(a, "counts", &o))
			continue;
		json_object_object_foreach(o, aname, av)
			fn(aname, json_object_get_int64(av), arg);
	}
}

/*
 * COUNTER (attr.PATH or attr.REASON.PATH) of sample S into *V; -ENOENT
 * when not sampled.  With --attribute=all only the paths a reason other
 * than the sender's was seen on are written: the others are 0.
 */
static int attr_value(struct json_object *s, const char *counter,
		      long long *v)
{
	struct json_object *a, *o, *x;

	if (!json_object_object_get_ex(s, "attribution", &a) ||
	    !json_object_object_get_ex(a, "counts", &o))
		return -ENOENT;
	if (json_object_object_get_ex(o, counter, &x)) {
		*v = json_object_get_int64(x);
		return 0;
	}
	if (!json_object_object_get_ex(a, "reasons", &x) ||
	    strcmp(json_object_get_string(x), "all") ||
	    !strchr(counter + 5, '.'))
		return -ENOENT;
	*v = 0;
	return 0;
}

/*
 * The victims' figures under short names (--victims walk): each a number
 * of the samples' "victims" object, in the metric's unit, its noise that
 * of the calibration window; TIME says it is clock-bound.
 */
static const struct rs_victim_figure {
	const char *name, *key, *noise;
	double scale;
	bool time;
	const char *what;
} victim_figures[] = {
	{ "victim-us", "victims.lost_ns", "victims.noise_ns", 1e-3, true,
	  "µs the walking victims lost, summed over them: gaps in their loop "
	  "beyond a calibration window's (stolen) and their loads below its "
	  "rate (slowdown); noise: the same between the calibration's two "
	  "halves" },
	{ "handler-us", "victims.handler_ns", "victims.cal_handler_ns", 1e-3,
	  true, "µs in the call-function interrupt handler on the victims' "
	  "CPUs, entry to exit; noise: in the calibration window" },
	{ "stolen-us", "victims.stolen_ns", "victims.cal_stolen_ns", 1e-3,
	  true, "µs of gaps in the victims' loop; noise: in the calibration "
	  "window" },
	{ "handler-entries", "victims.handler_entries",
	  "victims.cal_handler_entries", 1, false, "call-function interrupts "
	  "taken on the victims' CPUs; noise: in the calibration window" },
	{ "victim-recv", "victims.shootdowns", NULL, 1, false, "shootdowns "
	  "received on the victims' CPUs (tlb_flush.remote_shootdown)" },
};

#define NFIGURES (sizeof(victim_figures) / sizeof(victim_figures[0]))

static const struct rs_victim_figure *victim_figure(const char *name,
						    size_t len)
{
	for (size_t i = 0; i < NFIGURES; i++)
		if (strlen(victim_figures[i].name) == len &&
		    !strncmp(victim_figures[i].name, name, len))
			return &victim_figures[i];
	return NULL;
}

/* What metric M is, where it is one of the victims' figures; else NULL. */
const char *rs_metric_what(const struct rs_metric *m)
{
	const char *slash = strrchr(m->name, '/');
	const struct rs_victim_figure *f = victim_figure(m->name,
		slash ? (size_t)(slash - m->name) : strlen(m->name));

	return f ? f->what : NULL;
}

/* Whether M is a time: the clock of another kind of machine differs. */
bool rs_metric_is_time(const struct rs_metric *m)
{
	return !m->counter[0] || m->time;
}

/*
 * NAME is "ns", "us", "sent", "recv", one of the victims' figures or a
 * counter name, optionally followed by "/GiB" or "/op".  Whether the
 * counter exists depends on the sets read.
 */
int rs_metric_parse(const char *name, struct rs_metric *m)
{
	const char *slash = strrchr(name, '/');
	size_t len = strlen(name);

	memset(m, 0, sizeof(*m));
	if (len >= sizeof(m->name))
		return -EINVAL;
	strcpy(m->name, name);
	if (slash && !strcmp(slash, "/GiB"))
		m->per = RS_PER_GIB;
	else if (slash && !strcmp(slash, "/op"))
		m->per = RS_PER_OP;
	else
		slash = NULL;
	if (slash)
		len = slash - name;
	if (!len || len >= sizeof(m->counter) || memchr(name, '/', len))
		return -EINVAL;
	if (len == 2 && !strncmp(name, "ns", 2))
		return 0;
	if (len == 2 && !strncmp(name, "us", 2)) {
		m->us = true;
		return 0;
	}
	m->scale = 1;
	if (victim_figure(name, len)) {
		const struct rs_victim_figure *f = victim_figure(name, len);

		strcpy(m->counter, f->key);
		if (f->noise)
			strcpy(m->noise, f->noise);
		m->scale = f->scale;
		m->time = f->time;
		return 0;
	}
	if (len == 4 && !strncmp(name, "sent", 4))
		strcpy(m->counter, RS_SENT);
	else if (len == 4 && !strncmp(name, "recv", 4))
		strcpy(m->counter, RS_RECV);
	else
		memcpy(m->counter, name, len);
	return 0;
}

static double divisor(struct json_object *s, enum rs_per per)
{
	struct json_object *o, *v;

	switch (per) {
	case RS_PER_GIB:
		json_object_object_get_ex(s, "params", &o);
		json_object_object_get_ex(o, "size_bytes", &v);
		return json_object_get_int64(v) / (double)(1ULL << 30);
	case RS_PER_OP:
		json_object_object_get_ex(s, "ops", &v);
		return json_object_get_int64(v);
	default:
		return 1;
	}
}

/*
 * A whole run's own figure, "integrity.KEY" or "race.KEY": a number of
 * the record's integrity or race object; -ENOENT if it has none.
 */
static int whole_value(struct json_object *s, const char *counter,
		       double *v)
{
	const char *dot = strchr(counter, '.');
	struct json_object *o, *x;
	char obj[16];

	if (!dot || dot - counter >= (int)sizeof(obj))
		return -ENOENT;
	snprintf(obj, sizeof(obj), "%.*s", (int)(dot - counter), counter);
	if (!json_object_object_get_ex(s, obj, &o) ||
	    !json_object_object_get_ex(o, dot + 1, &x) ||
	    !(json_object_is_type(x, json_type_int) ||
	      json_object_is_type(x, json_type_double)))
		return -ENOENT;
	*v = json_object_get_double(x);
	return 0;
}

/*
 * A figure of the record's own object: whole runs', the victims', the
 * kernel model's ("model.predict_batched").
 */
static bool is_whole(const char *counter)
{
	return !strncmp(counter, "integrity.", 10) ||
	       !strncmp(counter, "race.", 5) ||
	       !strncmp(counter, "victims.", 8) ||
	       !strncmp(counter, "model.", 6);
}

/* M over the samples of L from the object OBJ ("counters" or "noise"). */
static int values(const struct rs_line *l, const struct rs_metric *m,
		  const char *obj, double *out)
{
	for (int i = 0; i < l->n; i++) {
		struct json_object *s = l->samples[i], *o, *v;

		if (!m->counter[0]) {
			out[i] = rs_ns(s) / (m->us ? 1e3 : 1);
		} else if (is_whole(m->counter)) {
			const char *key = strcmp(obj, "counters") ? m->noise :
					  m->counter;

			if (!key[0] || whole_value(s, key, &out[i]))
				return -ENOENT;
			/* 0 in metrics built without rs_metric_parse() */
			if (m->scale)
				out[i] *= m->scale;
		} else if (is_attr(m->counter)) {
			long long v;

			if (strcmp(obj, "counters") ||
			    attr_value(s, m->counter, &v))
				return -ENOENT;
			out[i] = v;
		} else {
			json_object_object_get_ex(s, obj, &o);
			if (!json_object_object_get_ex(o, m->counter, &v))
				return -ENOENT;
			out[i] = json_object_get_int64(v);
		}
		out[i] /= divisor(s, m->per);
	}
	return 0;
}

/* M for every sample of L into OUT (L->n values); -ENOENT if uncounted. */
int rs_values(const struct rs_line *l, const struct rs_metric *m,
	      double *out)
{
	return values(l, m, "counters", out);
}

/*
 * The idle-window counts of M's counter (for the victims' figures, their
 * calibration window's), scaled like M; -ENOENT for ns.
 */
int rs_noise(const struct rs_line *l, const struct rs_metric *m,
	     double *out)
{
	if (!m->counter[0])
		return -ENOENT;
	return values(l, m, "noise", out);
}

/* Why COUNTER was not counted on L, or NULL. */
const char *rs_unsupported(const struct rs_line *l, const char *counter)
{
	for (int i = 0; is_attr(counter) && i < l->n; i++) {
		struct json_object *o, *v;

		if (!json_object_object_get_ex(l->samples[i], "attribution",
					       &o))
			return "run without --attribute";
		if (json_object_object_get_ex(o, "why", &v))
			return json_object_get_string(v);
	}
	for (int i = 0; i < l->n; i++) {
		struct json_object *o, *v;

		if (json_object_object_get_ex(l->samples[i], "unsupported",
					      &o) &&
		    json_object_object_get_ex(o, counter, &v))
			return json_object_get_string(v);
	}
	return NULL;
}

/* The effective value of a workload parameter on L as text, or NULL. */
const char *rs_param(const struct rs_line *l, const char *key)
{
	struct json_object *o, *v;

	json_object_object_get_ex(l->samples[0], "params", &o);
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

/* How the region was mapped on L ("4k", "pmd", ...), "varied" if not one. */
const char *rs_granularity(const struct rs_line *l)
{
	const char *first = NULL;

	for (int i = 0; i < l->n; i++) {
		struct json_object *o, *g;
		const char *t;

		json_object_object_get_ex(l->samples[i], "mapping", &o);
		json_object_object_get_ex(o, "granularity", &g);
		t = json_object_get_string(g);
		if (!first)
			first = t;
		else if (strcmp(first, t))
			return "varied";
	}
	return first;
}

/*
 * What sample S counted: its "scope".  Records from before it was kept
 * counted what params.scope asked for (threads by default), except
 * integrity, which named no threads and so counted every thread.
 */
static const char *sample_scope(struct json_object *s)
{
	struct json_object *v, *params, *w;

	if (json_object_object_get_ex(s, "scope", &v))
		return json_object_get_string(v);
	json_object_object_get_ex(s, "workload", &w);
	if (!strcmp(json_object_get_string(w), "integrity"))
		return "system";
	json_object_object_get_ex(s, "params", &params);
	if (json_object_object_get_ex(params, "scope", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    !strcmp(json_object_get_string(v), "system"))
		return "system";
	return "threads";
}

/* The scope L counted ("threads", "system", "process"), or "mixed". */
const char *rs_scope(const struct rs_line *l)
{
	const char *first = sample_scope(l->samples[0]);

	for (int i = 1; i < l->n; i++)
		if (strcmp(first, sample_scope(l->samples[i])))
			return "mixed";
	return first;
}

/*
 * How many of L's samples say their remote flushes arrived as HOW
 * ("ipi", or "hypervisor": sent to CPUs running the mm, none received,
 * as where a paravirtual flush_tlb_multi has the hypervisor flush them).
 */
int rs_remote_flush(const struct rs_line *l, const char *how)
{
	int n = 0;

	for (int i = 0; i < l->n; i++) {
		struct json_object *v;

		if (json_object_object_get_ex(l->samples[i], "remote_flush",
					      &v) &&
		    json_object_is_type(v, json_type_string) &&
		    !strcmp(json_object_get_string(v), how))
			n++;
	}
	return n;
}

/*
 * Whether COUNTER depends on the scope: every counter but the
 * /proc/interrupts rows, which are system wide in every scope.
 */
bool rs_scope_counted(const char *counter)
{
	return counter[0] && strncmp(counter, "interrupts.", 11) &&
	       strncmp(counter, "victims.", 8);
}

/* ---- Whole runs and their verdicts (compare, plotdata) ---- */

/* Whether L is a whole run (integrity, race): a record with a verdict. */
bool rs_is_whole(const struct rs_line *l)
{
	return l && json_object_object_get_ex(l->samples[0], "verdict", NULL);
}

/* A whole run's verdict ("pass", "lost"...), or NULL. */
const char *rs_verdict(const struct rs_line *l)
{
	struct json_object *v;

	if (!l || !json_object_object_get_ex(l->samples[0], "verdict", &v))
		return NULL;
	return json_object_get_string(v);
}

/* What sample I of L says of its verdict, or NULL. */
const char *rs_verdict_text(const struct rs_line *l, int i)
{
	struct json_object *v;

	if (!json_object_object_get_ex(l->samples[i], "verdict_text", &v))
		return NULL;
	return json_object_get_string(v);
}

/* ---- End of whole runs ---- */

const char *rs_workload(const struct rs_line *l)
{
	return json_object_get_string(json_object_object_get(l->samples[0],
							     "workload"));
}

double rs_ns(const struct json_object *sample)
{
	struct json_object *ns;

	json_object_object_get_ex(sample, "ns", &ns);
	return json_object_get_int64(ns);
}

/* -------------------------------------------------------------------- */
/* One record and the set's description, as the commands read them */

/*
 * The member PATH of record S: "KEY", or "OBJ.KEY" in its object OBJ;
 * NULL when absent or null.
 */
static struct json_object *member(const struct json_object *s,
				  const char *path)
{
	const char *dot = strchr(path, '.');
	struct json_object *o, *v;
	char obj[64];

	if (!dot)
		return json_object_object_get_ex(s, path, &v) ? v : NULL;
	if (dot - path >= (int)sizeof(obj))
		return NULL;
	snprintf(obj, sizeof(obj), "%.*s", (int)(dot - path), path);
	if (!json_object_object_get_ex(s, obj, &o) ||
	    !json_object_object_get_ex(o, dot + 1, &v))
		return NULL;
	return v;
}

/* The effective value of parameter KEY of record S as text, or NULL. */
const char *rs_sample_param(const struct json_object *s, const char *key)
{
	struct json_object *o, *v;

	if (!json_object_object_get_ex(s, "params", &o) ||
	    !json_object_object_get_ex(o, key, &v) || !v)
		return NULL;
	return json_object_get_string(v);
}

/* The field PATH of record S as text, or NULL when absent or null. */
const char *rs_sample_string(const struct json_object *s, const char *path)
{
	struct json_object *v = member(s, path);

	return v ? json_object_get_string(v) : NULL;
}

/* Whether record S has the field PATH ("race", "victims", "stop"). */
bool rs_sample_has(const struct json_object *s, const char *path)
{
	const char *dot = strchr(path, '.');
	struct json_object *o;
	char obj[64];

	if (!dot)
		return json_object_object_get_ex(s, path, NULL);
	if (dot - path >= (int)sizeof(obj))
		return false;
	snprintf(obj, sizeof(obj), "%.*s", (int)(dot - path), path);
	return json_object_object_get_ex(s, obj, &o) &&
	       json_object_object_get_ex(o, dot + 1, NULL);
}

/*
 * The number PATH of record S into *V ("ops", "race.zap_ns_mean",
 * "budget_ns.idle"); -ENOENT when it is absent, null or not a number.
 */
int rs_figure(const struct json_object *s, const char *path, double *v)
{
	struct json_object *x = member(s, path);

	if (!x || !(json_object_is_type(x, json_type_int) ||
		    json_object_is_type(x, json_type_double)))
		return -ENOENT;
	*v = json_object_get_double(x);
	return 0;
}

/*
 * The field PATH of record S as it was recorded, a new reference for the
 * caller to hand on (report --format json); NULL when absent or null.
 */
struct json_object *rs_sample_recorded(const struct json_object *s,
				       const char *path)
{
	return json_object_get(member(s, path));
}

/*
 * TEXT, one record as tlbbench run --format json prints it (a line of
 * samples.jsonl before run-bench tags it), for rs_sample_*(); NULL when
 * it is not one JSON object.  Release it with rs_record_free().
 */
struct json_object *rs_record_parse(const char *text)
{
	char why[128];

	return parse_object(text, strlen(text), why, sizeof(why));
}

void rs_record_free(struct json_object *s)
{
	json_object_put(s);
}

/* The field KEY of system.json as it was recorded (a new reference). */
struct json_object *rs_system_recorded(const struct resultset *rs,
				       const char *key)
{
	return json_object_get(member(rs->system, key));
}

/*
 * Item I of the array KEY of system.json ("failed_lines") as text; NULL
 * past its end, or when KEY is absent or not an array.
 */
const char *rs_system_item(const struct resultset *rs, const char *key,
			   size_t i)
{
	struct json_object *a = member(rs->system, key);

	if (!json_object_is_type(a, json_type_array) ||
	    i >= json_object_array_length(a))
		return NULL;
	return json_object_get_string(json_object_array_get_idx(a, i));
}

/*
 * As resultset_load(), but a set whose every line failed (no sample,
 * as run-bench keeps it) is read too: its failed lines and the kernel's
 * reports are what it has to show.
 */
int resultset_load_any(const char *dir, struct resultset *rs, char *err,
		       size_t errlen)
{
	return load(dir, rs, true, err, errlen);
}

/*
 * The field KEY of kernel report I as it was recorded ("text": all its
 * lines), a new reference; NULL when absent.
 */
struct json_object *rs_kernel_report_recorded(const struct resultset *rs,
					      int i, const char *key)
{
	if (i < 0 || i >= rs->nkernel)
		return NULL;
	return json_object_get(member(json_object_array_get_idx(
		rs->kernel_objs, i), key));
}

/* A number for the JSON of report and compare: 9 significant digits
 * (tables must not churn on the last bits), or null for NaN and
 * infinity, which JSON lacks. */
struct json_object *rs_json_number(double v)
{
	char buf[32];

	if (!isfinite(v))
		return NULL;
	snprintf(buf, sizeof(buf), "%.9g", v);
	return json_object_new_double_s(strtod(buf, NULL), buf);
}
