/*
 * The parts of system.json the scripts once assembled in jq: the QEMU
 * machine, a guest's description, the run's facts.  The scripts pass
 * what they saw; the keys are written here only.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysinfo.h"
#include "system_json.h"

/* A description read back is small; anything larger is not one. */
#define DESCRIPTION_MAX (1 << 20)

/* "1".."999999999" (or "0" where ZERO) into *V; else -EINVAL. */
int system_json_count(const char *s, bool zero, long long *v)
{
	if (!s[0] || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -EINVAL;
	*v = strtoll(s, NULL, 10);
	return *v || zero ? 0 : -EINVAL;
}

/* The JSON object in PATH, or NULL with ERR saying why. */
struct json_object *system_json_read(const char *path, char *err,
				     size_t len)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t n;
	char *buf;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(DESCRIPTION_MAX + 1);
	n = buf ? fread(buf, 1, DESCRIPTION_MAX + 1, f) : 0;
	fclose(f);
	if (!buf || n > DESCRIPTION_MAX) {
		snprintf(err, len, "%s: %s", path, buf ? "too large" :
			 strerror(ENOMEM));
		free(buf);
		return NULL;
	}
	tok = json_tokener_new();
	o = tok ? json_tokener_parse_ex(tok, buf, n) : NULL;
	if (tok && json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	free(buf);
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, len, "%s: not a JSON object", path);
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *string_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static void add(struct json_object *o, const char *key,
		struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/*
 * The QEMU machine: version, architecture, accelerator (TCG emulates:
 * "emulated"), vCPUs, memory, seconds it ran, the kernel's command line,
 * and the disk (null without one; the device the guest mounted).
 */
struct json_object *system_json_qemu(const struct qemu_facts *q)
{
	struct json_object *o = json_object_new_object();
	bool disk = q->disk && *q->disk;

	add(o, "qemu", json_object_new_string(q->version));
	add(o, "arch", json_object_new_string(q->arch));
	add(o, "accel", json_object_new_string(q->accel));
	add(o, "vcpus", json_object_new_int64(q->vcpus));
	add(o, "memory", json_object_new_string(q->memory));
	add(o, "emulated", json_object_new_boolean(!strcmp(q->accel, "tcg")));
	add(o, "seconds", json_object_new_int64(q->seconds));
	add(o, "append", json_object_new_string(q->append ? q->append : ""));
	add(o, "disk", string_or_null(q->disk));
	add(o, "disk_kind", disk ? json_object_new_string(
		q->disk_kind ? q->disk_kind : "") : NULL);
	add(o, "disk_fs", disk ? json_object_new_string(
		q->disk_fs ? q->disk_fs : "") : NULL);
	add(o, "disk_device", string_or_null(q->disk_device));
	return o;
}

/*
 * GUEST, the guest's own description, with QEMU's machine (which it
 * takes), whether it was emulated, and this machine, the host.
 */
void system_json_guest(struct json_object *guest, struct json_object *qemu)
{
	struct json_object *emulated = NULL;

	json_object_object_get_ex(qemu, "emulated", &emulated);
	add(guest, "qemu", qemu);
	add(guest, "emulated", json_object_get(emulated));
	add(guest, "host", sysinfo_describe());
}

/* The words of TEXT (split at spaces) as an array of strings. */
static struct json_object *words(const char *text)
{
	struct json_object *a = json_object_new_array();
	size_t n;

	for (text += strspn(text, " "); *text; text += strspn(text, " ")) {
		n = strcspn(text, " ");
		json_object_array_add(a, json_object_new_string_len(text, n));
		text += n;
	}
	return a;
}

/*
 * The config line numbers LINES ("3 5 5") as an array; NULL with ERR
 * naming OPT and the word that is not one.
 */
static struct json_object *line_numbers(const char *opt, const char *lines,
					char *err, size_t len)
{
	struct json_object *w = words(lines), *a = json_object_new_array();

	for (size_t i = 0; i < json_object_array_length(w); i++) {
		const char *t = json_object_get_string(
			json_object_array_get_idx(w, i));
		long long n;

		if (system_json_count(t, true, &n)) {
			snprintf(err, len, "%s: '%s' is not a config line "
				 "number", opt, t);
			json_object_put(a);
			a = NULL;
			break;
		}
		json_object_array_add(a, json_object_new_int64(n));
	}
	json_object_put(w);
	return a;
}

/* Each line of PATH, one JSON object, to FN; -EINVAL with ERR if not. */
static int each_record(const char *path,
		       void (*fn)(struct json_object *o, void *arg),
		       void *arg, char *err, size_t len)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret = 0;

	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (getline(&line, &cap, f) > 0) {
		struct json_object *o;

		lineno++;
		if (!line[strspn(line, " \t\r\n")])
			continue;
		o = json_tokener_parse(line);
		if (!json_object_is_type(o, json_type_object)) {
			snprintf(err, len, "%s:%d: not a JSON object", path,
				 lineno);
			json_object_put(o);
			ret = -EINVAL;
			break;
		}
		fn(o, arg);
		json_object_put(o);
	}
	free(line);
	fclose(f);
	return ret;
}

static void count_record(struct json_object *o, void *arg)
{
	(void)o;
	++*(int *)arg;
}

/* What the lines counted: each scope once, and the first fallback. */
struct scopes {
	struct json_object *scopes;	/* sorted, as jq's unique */
	struct json_object *fallback;
};

static int by_text(const void *a, const void *b)
{
	return strcmp(json_object_get_string(*(struct json_object **)a),
		      json_object_get_string(*(struct json_object **)b));
}

static void add_scope(struct json_object *o, void *arg)
{
	struct scopes *s = arg;
	struct json_object *v;

	if (json_object_object_get_ex(o, "scope", &v) &&
	    json_object_is_type(v, json_type_string)) {
		size_t i, n = json_object_array_length(s->scopes);

		for (i = 0; i < n; i++)
			if (!strcmp(json_object_get_string(
				json_object_array_get_idx(s->scopes, i)),
				json_object_get_string(v)))
				break;
		if (i == n)
			json_object_array_add(s->scopes, json_object_get(v));
	}
	if (!s->fallback &&
	    json_object_object_get_ex(o, "scope_fallback", &v) &&
	    json_object_is_type(v, json_type_string))
		s->fallback = json_object_get(v);
}

/*
 * O, the description of the machine a set ran on, with the run's facts
 * F: the keys it has are replaced in place.  The scopes are read from
 * F's samples, the kernel's reports counted.  0, or -EINVAL with ERR.
 */
int system_json_run(struct json_object *o, const struct run_facts *f,
		    char *err, size_t len)
{
	struct scopes sc = { json_object_new_array(), NULL };
	struct json_object *failed, *lost;
	long long runs;
	int reports = 0;

	if (system_json_count(f->runs, false, &runs)) {
		snprintf(err, len, "--runs: '%s' is not a count", f->runs);
		json_object_put(sc.scopes);
		return -EINVAL;
	}
	failed = line_numbers("--failed", f->failed ? f->failed : "", err,
			      len);
	lost = failed ? line_numbers("--lost", f->lost ? f->lost : "", err,
				     len) : NULL;
	if (!lost || each_record(f->samples, add_scope, &sc, err, len) ||
	    each_record(f->kernel_reports, count_record, &reports, err,
			len)) {
		json_object_put(failed);
		json_object_put(lost);
		json_object_put(sc.scopes);
		json_object_put(sc.fallback);
		return -EINVAL;
	}
	json_object_array_sort(sc.scopes, by_text);
	add(o, "config", json_object_new_string(f->config));
	add(o, "git_revision", json_object_new_string(f->git_revision));
	add(o, "started", json_object_new_string(f->started));
	add(o, "finished", json_object_new_string(f->finished));
	add(o, "status", json_object_new_string(f->status));
	add(o, "failed_lines", failed);
	add(o, "lost_write_lines", lost);
	add(o, "kernel_reports", json_object_new_int(reports));
	add(o, "kernel_log", json_object_new_string(
		f->kernel_log ? f->kernel_log : ""));
	add(o, "runs", json_object_new_int64(runs));
	add(o, "scopes", sc.scopes);
	if (sc.fallback)
		add(o, "scope_fallback", sc.fallback);
	if (f->interrupted && *f->interrupted)
		add(o, "interrupted", json_object_new_string(f->interrupted));
	if (f->profile_event && *f->profile_event) {
		add(o, "profile_event",
		    json_object_new_string(f->profile_event));
		add(o, "profile_files",
		    words(f->profile_files ? f->profile_files : ""));
	}
	return 0;
}
