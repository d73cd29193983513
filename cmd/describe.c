/*
 * tlbbench describe: the writer of a result set's system.json.  The
 * scripts pass what they saw as arguments and move the files; every key
 * is written here (Documentation/result-format.md is the contract):
 *
 *   describe                    this machine and kernel
 *   describe qemu OPTIONS       the QEMU machine a guest ran on
 *   describe guest GUEST QEMU   a guest's description (GUEST, its own
 *                               describe) with QEMU's and this machine's
 *   describe set DESCRIPTION OPTIONS
 *                               DESCRIPTION with how the set's run went
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "args.h"
#include "commands.h"
#include "sysinfo.h"

/* A description read back is small; anything larger is not one. */
#define DESCRIPTION_MAX (1 << 20)

/* One line on stderr refusing the command line: exit status 2. */
static int __attribute__((format(printf, 2, 3)))
bad_input(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	args_vrefuse(cmd, fmt, ap);
	va_end(ap);
	return 2;
}

static void print_description(struct json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* The JSON object in PATH, or NULL after one line on stderr. */
static struct json_object *read_object(const char *cmd, const char *path)
{
	struct json_tokener *tok;
	struct json_object *o;
	char *buf;
	size_t len;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		args_refuse(cmd, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(DESCRIPTION_MAX + 1);
	len = buf ? fread(buf, 1, DESCRIPTION_MAX + 1, f) : 0;
	fclose(f);
	if (!buf || len > DESCRIPTION_MAX) {
		args_refuse(cmd, "%s: %s", path, buf ? "too large" :
			    strerror(ENOMEM));
		free(buf);
		return NULL;
	}
	tok = json_tokener_new();
	o = tok ? json_tokener_parse_ex(tok, buf, len) : NULL;
	if (tok && json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	free(buf);
	if (!json_object_is_type(o, json_type_object)) {
		args_refuse(cmd, "%s: not a JSON object", path);
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* -------------------------------------------------------------------- */
/* describe qemu */

struct qemu_facts {
	const char *version, *arch, *accel, *memory, *append;
	const char *disk, *disk_kind, *disk_fs, *disk_device;
	long long vcpus, seconds;
};

/* "1".."999999999" (or "0" where ZERO) into *V; else -EINVAL. */
static int parse_count(const char *s, bool zero, long long *v)
{
	if (!s[0] || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -EINVAL;
	*v = strtoll(s, NULL, 10);
	return *v || zero ? 0 : -EINVAL;
}

static int qemu_set(void *ctx, const char *name, const char *val)
{
	static const char cmd[] = "describe qemu";
	struct qemu_facts *q = ctx;

	if (!strcmp(name, "--vcpus") || !strcmp(name, "--seconds")) {
		bool vcpus = !strcmp(name, "--vcpus");

		if (parse_count(val, !vcpus, vcpus ? &q->vcpus : &q->seconds))
			return args_refuse(cmd, "%s: '%s' is not a count",
					   name, val);
		return 0;
	}
	if (!strcmp(name, "--qemu"))
		q->version = val;
	else if (!strcmp(name, "--arch"))
		q->arch = val;
	else if (!strcmp(name, "--accel"))
		q->accel = val;
	else if (!strcmp(name, "--memory"))
		q->memory = val;
	else if (!strcmp(name, "--append"))
		q->append = val;
	else if (!strcmp(name, "--disk"))
		q->disk = val;
	else if (!strcmp(name, "--disk-kind"))
		q->disk_kind = val;
	else if (!strcmp(name, "--disk-fs"))
		q->disk_fs = val;
	else
		q->disk_device = val;
	return 0;
}

static struct json_object *jstr_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/*
 * The QEMU machine: version, architecture, accelerator (TCG emulates:
 * "emulated"), vCPUs, memory, seconds it ran, the kernel's command line,
 * and the disk (null without one; the device the guest mounted).
 */
static int describe_qemu(int argc, char **argv)
{
	static const char cmd[] = "describe qemu";
	static const struct arg_option opts[] = {
		{ "--qemu", true }, { "--arch", true }, { "--accel", true },
		{ "--vcpus", true }, { "--memory", true },
		{ "--seconds", true }, { "--append", true },
		{ "--disk", true }, { "--disk-kind", true },
		{ "--disk-fs", true }, { "--disk-device", true },
	};
	struct qemu_facts q = { .append = "" };
	struct json_object *o;
	bool disk;
	int n;

	n = args_parse(cmd, opts, sizeof(opts) / sizeof(opts[0]), argc, argv,
		       qemu_set, &q);
	if (n == ARGS_HELP) {
		printf("usage: tlbbench describe qemu --qemu VERSION --arch "
		       "ARCH --accel ACCEL --vcpus N\n       --memory SIZE "
		       "--seconds S [--append ARGS] [--disk SIZE --disk-kind "
		       "KIND\n       --disk-fs FS] [--disk-device DEV]\n"
		       "The QEMU machine a guest ran on, as a guest set's "
		       "system.json holds it.\n");
		return 0;
	}
	if (n < 0)
		return 2;
	if (n)
		return bad_input(cmd, "unexpected argument '%s'", argv[0]);
	if (!q.version || !q.arch || !q.accel || !q.vcpus || !q.memory)
		return bad_input(cmd, "needs --qemu, --arch, --accel, "
				   "--vcpus and --memory");
	disk = q.disk && *q.disk;
	o = json_object_new_object();
	json_object_object_add(o, "qemu", json_object_new_string(q.version));
	json_object_object_add(o, "arch", json_object_new_string(q.arch));
	json_object_object_add(o, "accel", json_object_new_string(q.accel));
	json_object_object_add(o, "vcpus", json_object_new_int64(q.vcpus));
	json_object_object_add(o, "memory", json_object_new_string(q.memory));
	json_object_object_add(o, "emulated",
			       json_object_new_boolean(!strcmp(q.accel,
							       "tcg")));
	json_object_object_add(o, "seconds", json_object_new_int64(q.seconds));
	json_object_object_add(o, "append", json_object_new_string(q.append));
	json_object_object_add(o, "disk", jstr_or_null(q.disk));
	json_object_object_add(o, "disk_kind", disk ? json_object_new_string(
		q.disk_kind ? q.disk_kind : "") : NULL);
	json_object_object_add(o, "disk_fs", disk ? json_object_new_string(
		q.disk_fs ? q.disk_fs : "") : NULL);
	json_object_object_add(o, "disk_device", jstr_or_null(q.disk_device));
	print_description(o);
	json_object_put(o);
	return 0;
}

/* -------------------------------------------------------------------- */
/* describe guest */

/*
 * The guest's description (GUEST) with QEMU's machine (QEMU), whether it
 * was emulated, and this machine, the host, under "host".
 */
static int describe_guest(int argc, char **argv)
{
	static const char cmd[] = "describe guest";
	struct json_object *guest, *qemu, *emulated;
	int n = args_parse(cmd, NULL, 0, argc, argv, NULL, NULL);

	if (n == ARGS_HELP) {
		printf("usage: tlbbench describe guest GUEST QEMU\n"
		       "A guest's description: GUEST (what describe printed "
		       "in the guest) with QEMU\n(what describe qemu printed) "
		       "and this machine's as host.\n");
		return 0;
	}
	if (n < 0)
		return 2;
	if (n != 2)
		return bad_input(cmd, "needs GUEST and QEMU, the files of "
				   "the two descriptions");
	guest = read_object(cmd, argv[0]);
	qemu = guest ? read_object(cmd, argv[1]) : NULL;
	if (!qemu) {
		json_object_put(guest);
		return 2;
	}
	json_object_object_get_ex(qemu, "emulated", &emulated);
	json_object_object_add(guest, "qemu", qemu);
	json_object_object_add(guest, "emulated", json_object_get(emulated));
	json_object_object_add(guest, "host", sysinfo_describe());
	print_description(guest);
	json_object_put(guest);
	return 0;
}

/* -------------------------------------------------------------------- */
/* describe set */

struct set_facts {
	const char *config, *git_revision, *started, *finished, *status;
	const char *interrupted, *failed, *lost, *kernel_log, *runs;
	const char *samples, *kernel_reports, *profile_event, *profile_files;
};

static int set_set(void *ctx, const char *name, const char *val)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "--config", offsetof(struct set_facts, config) },
		{ "--git-revision", offsetof(struct set_facts, git_revision) },
		{ "--started", offsetof(struct set_facts, started) },
		{ "--finished", offsetof(struct set_facts, finished) },
		{ "--status", offsetof(struct set_facts, status) },
		{ "--interrupted", offsetof(struct set_facts, interrupted) },
		{ "--failed", offsetof(struct set_facts, failed) },
		{ "--lost", offsetof(struct set_facts, lost) },
		{ "--kernel-log", offsetof(struct set_facts, kernel_log) },
		{ "--runs", offsetof(struct set_facts, runs) },
		{ "--samples", offsetof(struct set_facts, samples) },
		{ "--kernel-reports",
		  offsetof(struct set_facts, kernel_reports) },
		{ "--profile-event",
		  offsetof(struct set_facts, profile_event) },
		{ "--profile-files",
		  offsetof(struct set_facts, profile_files) },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(name, fields[i].name))
			*(const char **)((char *)ctx + fields[i].off) = val;
	return 0;
}

/* The words of TEXT (split at spaces) as an array of strings. */
static struct json_object *words(const char *text)
{
	struct json_object *a = json_object_new_array();
	size_t len;

	for (text += strspn(text, " "); *text; text += strspn(text, " ")) {
		len = strcspn(text, " ");
		json_object_array_add(a, json_object_new_string_len(text,
								    len));
		text += len;
	}
	return a;
}

/* The config line numbers LINES ("3 5 5") as an array; NULL if not. */
static struct json_object *line_numbers(const char *opt, const char *lines)
{
	struct json_object *w = words(lines), *a = json_object_new_array();

	for (size_t i = 0; i < json_object_array_length(w); i++) {
		const char *t = json_object_get_string(
			json_object_array_get_idx(w, i));
		long long n;

		if (parse_count(t, true, &n)) {
			args_refuse("describe set", "%s: '%s' is not a config "
				    "line number", opt, t);
			json_object_put(a);
			a = NULL;
			break;
		}
		json_object_array_add(a, json_object_new_int64(n));
	}
	json_object_put(w);
	return a;
}

/*
 * Each line of PATH, one JSON object, to FN; -1 after one line on stderr
 * when one is not.
 */
static int each_record(const char *path,
		       void (*fn)(struct json_object *o, void *arg),
		       void *arg)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret = 0;

	if (!f) {
		args_refuse("describe set", "%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		struct json_object *o;

		lineno++;
		if (!line[strspn(line, " \t\r\n")])
			continue;
		o = json_tokener_parse(line);
		if (!json_object_is_type(o, json_type_object)) {
			args_refuse("describe set", "%s:%d: not a JSON object",
				    path, lineno);
			json_object_put(o);
			ret = -1;
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
 * The set's system.json: DESCRIPTION (of the machine it ran on) with the
 * run's facts.  Keys DESCRIPTION has are replaced in place.
 */
static int amend(struct json_object *o, const struct set_facts *f)
{
	struct json_object *failed, *lost;
	struct scopes sc = { json_object_new_array(), NULL };
	long long runs;
	int reports = 0;

	if (parse_count(f->runs, false, &runs)) {
		args_refuse("describe set", "--runs: '%s' is not a count",
			    f->runs);
		json_object_put(sc.scopes);
		return -1;
	}
	failed = line_numbers("--failed", f->failed ? f->failed : "");
	lost = failed ? line_numbers("--lost", f->lost ? f->lost : "") :
	       NULL;
	if (!lost || each_record(f->samples, add_scope, &sc) ||
	    each_record(f->kernel_reports, count_record, &reports)) {
		json_object_put(failed);
		json_object_put(lost);
		json_object_put(sc.scopes);
		json_object_put(sc.fallback);
		return -1;
	}
	json_object_array_sort(sc.scopes, by_text);
	json_object_object_add(o, "config", json_object_new_string(f->config));
	json_object_object_add(o, "git_revision",
			       json_object_new_string(f->git_revision));
	json_object_object_add(o, "started",
			       json_object_new_string(f->started));
	json_object_object_add(o, "finished",
			       json_object_new_string(f->finished));
	json_object_object_add(o, "status", json_object_new_string(f->status));
	json_object_object_add(o, "failed_lines", failed);
	json_object_object_add(o, "lost_write_lines", lost);
	json_object_object_add(o, "kernel_reports",
			       json_object_new_int(reports));
	json_object_object_add(o, "kernel_log", json_object_new_string(
		f->kernel_log ? f->kernel_log : ""));
	json_object_object_add(o, "runs", json_object_new_int64(runs));
	json_object_object_add(o, "scopes", sc.scopes);
	if (sc.fallback)
		json_object_object_add(o, "scope_fallback", sc.fallback);
	if (f->interrupted && *f->interrupted)
		json_object_object_add(o, "interrupted",
				       json_object_new_string(f->interrupted));
	if (f->profile_event && *f->profile_event) {
		json_object_object_add(o, "profile_event",
				       json_object_new_string(
					       f->profile_event));
		json_object_object_add(o, "profile_files", words(
			f->profile_files ? f->profile_files : ""));
	}
	return 0;
}

static int describe_set(int argc, char **argv)
{
	static const char cmd[] = "describe set";
	static const struct arg_option opts[] = {
		{ "--config", true }, { "--git-revision", true },
		{ "--started", true }, { "--finished", true },
		{ "--status", true }, { "--interrupted", true },
		{ "--failed", true }, { "--lost", true },
		{ "--kernel-log", true }, { "--runs", true },
		{ "--samples", true }, { "--kernel-reports", true },
		{ "--profile-event", true }, { "--profile-files", true },
	};
	struct set_facts f = { 0 };
	struct json_object *o;
	int n;

	n = args_parse(cmd, opts, sizeof(opts) / sizeof(opts[0]), argc, argv,
		       set_set, &f);
	if (n == ARGS_HELP) {
		printf("usage: tlbbench describe set DESCRIPTION --config NAME "
		       "--git-revision REV\n       --started TIME --finished "
		       "TIME --status complete|incomplete\n       --runs N "
		       "--samples FILE --kernel-reports FILE [--kernel-log "
		       "FROM]\n       [--failed \"LINE...\"] [--lost "
		       "\"LINE...\"] [--interrupted SIGNAL]\n       "
		       "[--profile-event EVENT --profile-files \"FILE...\"]\n"
		       "A result set's system.json: DESCRIPTION (describe's, "
		       "or describe guest's)\nwith how the run went; the "
		       "scopes counted are read from the samples, the\n"
		       "kernel's reports counted.\n");
		return 0;
	}
	if (n < 0)
		return 2;
	if (n != 1)
		return bad_input(cmd, "needs one DESCRIPTION, the file "
				   "describe wrote");
	if (!f.config || !f.git_revision || !f.started || !f.finished ||
	    !f.status || !f.runs || !f.samples || !f.kernel_reports)
		return bad_input(cmd, "needs --config, --git-revision, "
				   "--started, --finished, --status, --runs, "
				   "--samples and --kernel-reports");
	if (strcmp(f.status, "complete") && strcmp(f.status, "incomplete"))
		return bad_input(cmd, "--status: '%s' is not complete or "
				   "incomplete", f.status);
	o = read_object(cmd, argv[0]);
	if (!o || amend(o, &f)) {
		json_object_put(o);
		return 2;
	}
	print_description(o);
	json_object_put(o);
	return 0;
}

/* -------------------------------------------------------------------- */

int cmd_describe(int argc, char **argv)
{
	struct json_object *o;
	int n;

	if (argc && !strcmp(argv[0], "qemu"))
		return describe_qemu(argc - 1, argv + 1);
	if (argc && !strcmp(argv[0], "guest"))
		return describe_guest(argc - 1, argv + 1);
	if (argc && !strcmp(argv[0], "set"))
		return describe_set(argc - 1, argv + 1);
	n = args_parse("describe", NULL, 0, argc, argv, NULL, NULL);
	if (n == ARGS_HELP) {
		printf("usage: tlbbench describe\n"
		       "       tlbbench describe qemu|guest|set ... "
		       "(describe qemu|guest|set --help)\n"
		       "This machine and kernel as JSON, as a result set's "
		       "system.json holds them;\nwith qemu, guest or set, the "
		       "parts the scripts add (describe set: the whole\n"
		       "system.json).\n");
		return 0;
	}
	if (n < 0)
		return 2;
	if (n)
		return bad_input("describe", "unexpected argument '%s' (qemu, "
				   "guest or set)", argv[0]);
	o = sysinfo_describe();
	print_description(o);
	json_object_put(o);
	return 0;
}
