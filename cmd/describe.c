/*
 * tlbbench describe: the writer of a result set's system.json.  The
 * scripts pass what they saw as arguments and move the files; the keys
 * are written by sysinfo.c and system_json.c only
 * (Documentation/result-format.md is the contract):
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

#include "common/args.h"
#include "commands.h"
#include "measure/sysinfo.h"
#include "measure/system_json.h"

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
	struct json_object *o;
	char err[4200];

	o = system_json_read(path, err, sizeof(err));
	if (!o)
		args_refuse(cmd, "%s", err);
	return o;
}

/* -------------------------------------------------------------------- */
/* describe qemu */

static int qemu_set(void *ctx, const char *name, const char *val)
{
	static const char cmd[] = "describe qemu";
	struct qemu_facts *q = ctx;

	if (!strcmp(name, "--vcpus") || !strcmp(name, "--seconds")) {
		bool vcpus = !strcmp(name, "--vcpus");

		if (system_json_count(val, !vcpus, vcpus ? &q->vcpus : &q->seconds))
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

/* The QEMU machine a guest ran on (system_json_qemu()). */
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
	o = system_json_qemu(&q);
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
	struct json_object *guest, *qemu;
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
	system_json_guest(guest, qemu);
	print_description(guest);
	json_object_put(guest);
	return 0;
}

/* -------------------------------------------------------------------- */
/* describe set */

static int set_set(void *ctx, const char *name, const char *val)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "--config", offsetof(struct run_facts, config) },
		{ "--git-revision", offsetof(struct run_facts, git_revision) },
		{ "--started", offsetof(struct run_facts, started) },
		{ "--finished", offsetof(struct run_facts, finished) },
		{ "--status", offsetof(struct run_facts, status) },
		{ "--interrupted", offsetof(struct run_facts, interrupted) },
		{ "--failed", offsetof(struct run_facts, failed) },
		{ "--lost", offsetof(struct run_facts, lost) },
		{ "--kernel-log", offsetof(struct run_facts, kernel_log) },
		{ "--runs", offsetof(struct run_facts, runs) },
		{ "--samples", offsetof(struct run_facts, samples) },
		{ "--kernel-reports",
		  offsetof(struct run_facts, kernel_reports) },
		{ "--profile-event",
		  offsetof(struct run_facts, profile_event) },
		{ "--profile-files",
		  offsetof(struct run_facts, profile_files) },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(name, fields[i].name))
			*(const char **)((char *)ctx + fields[i].off) = val;
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
	struct run_facts f = { 0 };
	struct json_object *o;
	char err[4200];
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
	if (o && system_json_run(o, &f, err, sizeof(err))) {
		args_refuse(cmd, "%s", err);
		json_object_put(o);
		o = NULL;
	}
	if (!o)
		return 2;
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
