/*
 * tlbbench kernel-log: the kernel's problem reports (lib/measure/kernel_log.c) as
 * JSON lines, from /dev/kmsg records after a mark or from a guest's
 * console log.  run-bench keeps them in kernel-reports.jsonl.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "common/args.h"
#include "commands.h"
#include "measure/kernel_log.h"

static void usage(void)
{
	printf("usage: tlbbench kernel-log mark\n"
	       "       tlbbench kernel-log since SEQ\n"
	       "       tlbbench kernel-log console FILE\n"
	       "Kernel problem reports (WARNING, BUG, Oops, lockdep, Bad page "
	       "state, KASAN,\n"
	       "panics, stalls) as JSON lines.\n"
	       "  mark     the sequence number of the next /dev/kmsg record\n"
	       "  since    each report in the /dev/kmsg records from SEQ on:\n"
	       "           {\"kind\": ..., \"text\": [the first lines]}\n"
	       "  console  each report in a guest console log, with the "
	       "config line whose\n"
	       "           markers enclose it (line 0: outside any):\n"
	       "           {\"line\": N, \"config_line\": ..., \"kind\": ..., "
	       "\"text\": [...]}\n"
	       "Exit status: 0 done, 1 the kernel log cannot be read, 2 bad "
	       "input.\n");
}

static void print_report(const struct klog_report *r, void *arg)
{
	struct json_object *o = klog_report_json(r, *(const bool *)arg);

	printf("%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Why /dev/kmsg cannot be read, in one line: the caller records it. */
static int kmsg_failed(int err)
{
	char why[256];

	klog_kmsg_why(err, why, sizeof(why));
	fprintf(stderr, "tlbbench: kernel-log: %s\n", why);
	return 1;
}

static int mark(const char *none)
{
	unsigned long long next;
	int ret = klog_kmsg_scan(0, NULL, &next);

	(void)none;
	if (ret)
		return kmsg_failed(ret);
	printf("%llu\n", next);
	return 0;
}

static int since(const char *arg)
{
	unsigned long long from;
	struct klog_parser p;
	bool console = false;
	char *end;
	int ret;

	errno = 0;
	from = strtoull(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || *end || errno) {
		fprintf(stderr, "tlbbench: kernel-log: since: '%s' is not a "
			"record sequence number (tlbbench kernel-log mark)\n",
			arg);
		return 2;
	}
	klog_init(&p, print_report, &console);
	ret = klog_kmsg_scan(from, &p, &from);
	if (ret)
		return kmsg_failed(ret);
	return 0;
}

static int console_log(const char *path)
{
	FILE *f = fopen(path, "r");
	struct klog_parser p;
	bool console = true;
	int ret;

	if (!f) {
		fprintf(stderr, "tlbbench: kernel-log: console: %s: %s\n", path,
			strerror(errno));
		return 2;
	}
	klog_init(&p, print_report, &console);
	ret = klog_console_scan(f, &p);
	fclose(f);
	if (ret) {
		fprintf(stderr, "tlbbench: kernel-log: console: %s: %s\n", path,
			strerror(-ret));
		return 2;
	}
	return 0;
}

/* kernel-log takes no option: args_parse() refuses every one first. */
static int no_option(void *ctx, const char *name, const char *value)
{
	(void)ctx, (void)name, (void)value;
	return ARGS_REFUSED;
}

int cmd_kernel_log(int argc, char **argv)
{
	static const struct {
		const char *name;
		const char *operand;	/* NULL: takes none */
		int (*fn)(const char *operand);
	} verbs[] = {
		{ "mark", NULL, mark },
		{ "since", "SEQ", since },
		{ "console", "FILE", console_log },
	};
	size_t v;
	int ret;

	argc = args_parse("kernel-log", NULL, 0, argc, argv, no_option, NULL);
	if (argc == ARGS_HELP) {
		usage();
		return 0;
	}
	if (argc < 0)
		return 2;
	if (!argc) {
		fprintf(stderr, "tlbbench: kernel-log: mark, since SEQ or "
			"console FILE? (tlbbench kernel-log --help)\n");
		return 2;
	}
	for (v = 0; v < sizeof(verbs) / sizeof(*verbs); v++)
		if (!strcmp(argv[0], verbs[v].name))
			break;
	if (v == sizeof(verbs) / sizeof(*verbs)) {
		fprintf(stderr, "tlbbench: kernel-log: '%s': not mark, since "
			"or console\n", argv[0]);
		return 2;
	}
	if (verbs[v].operand && argc < 2) {
		fprintf(stderr, "tlbbench: kernel-log: %s: which %s?\n",
			argv[0], verbs[v].operand);
		return 2;
	}
	if (argc > (verbs[v].operand ? 2 : 1)) {
		fprintf(stderr, "tlbbench: kernel-log: %s: unexpected argument "
			"'%s'\n", argv[0], argv[verbs[v].operand ? 2 : 1]);
		return 2;
	}
	ret = verbs[v].fn(argv[1]);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "tlbbench: kernel-log: writing: %s\n",
			strerror(errno));
		return 1;
	}
	return ret;
}
