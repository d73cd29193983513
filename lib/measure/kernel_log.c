/*
 * Kernel problem reports in the kernel log.  A report begins at a log
 * line that one of patterns[] matches and keeps that line and the next
 * few as its text.  The same parser reads /dev/kmsg records (run-bench on
 * this machine) and a guest's console log (run-bench --kernel), where the
 * guest init's marker lines say which config line was running.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>


#include "kernel_log.h"
#include "common/text.h"

/*
 * Where a report begins: the message starts with PREFIX (if set) and
 * holds CONTAINS (if set).  The first match names the kind, so specific
 * BUG: lines come before BUG: itself.  "[ cut here ]" is not here: it
 * only announces the WARNING or BUG line that follows.
 */
static const struct klog_pattern {
	const char *kind;
	const char *prefix;
	const char *contains;
} patterns[] = {
	{ "KASAN", "BUG: KASAN:", NULL },
	{ "Bad page state", "BUG: Bad page state", NULL },
	{ "Bad page map", "BUG: Bad page map", NULL },
	{ "BUG", "BUG:", NULL },	/* soft lockup, sleeping in atomic... */
	{ "BUG", "kernel BUG at", NULL },
	{ "WARNING", "WARNING:", NULL },	/* WARN_ON, lockdep */
	{ "Bad page state", "Bad page state", NULL },
	{ "Bad page map", "Bad page map", NULL },
	{ "Oops", "Oops:", NULL },
	{ "general protection fault", "general protection fault", NULL },
	{ "UBSAN", "UBSAN:", NULL },
	{ "KASAN", "KASAN:", NULL },
	{ "Kernel panic", "Kernel panic", NULL },
	{ "hung task", "INFO: task ", " blocked for more than" },
	{ "RCU stall", "rcu: INFO:", NULL },
	{ "RCU stall", "INFO: ", "detected stalls" },
	{ "list corruption", NULL, "list_add corruption" },
	{ "list corruption", NULL, "list_del corruption" },
	/* A filesystem that says it dropped or may have corrupted data. */
	{ "filesystem error", "BTRFS error", NULL },
	{ "filesystem error", "BTRFS critical", NULL },
	{ "filesystem error", "EXT4-fs error", NULL },
	{ "filesystem error", "XFS (", "Corruption" },
	{ "filesystem error", "XFS (", "page discard" },
	{ "filesystem error", "Page cache invalidation failure", NULL },
};

/* The kind of report MSG begins, or NULL. */
const char *klog_kind(const char *msg)
{
	for (size_t i = 0; i < sizeof(patterns) / sizeof(*patterns); i++) {
		const struct klog_pattern *k = &patterns[i];

		if (k->prefix && strncmp(msg, k->prefix, strlen(k->prefix)))
			continue;
		if (k->contains && !strstr(msg, k->contains))
			continue;
		return k->kind;
	}
	return NULL;
}

static const char *skip_digits(const char *s)
{
	while (isdigit((unsigned char)*s))
		s++;
	return s;
}

/*
 * LINE past a console timestamp "[   12.345678] ", and past the caller
 * id "[    T1] " of CONFIG_PRINTK_CALLER; LINE itself without one.
 */
const char *klog_strip_timestamp(const char *line)
{
	const char *s = line + 1, *t;

	if (line[0] != '[')
		return line;
	s += strspn(s, " ");
	t = skip_digits(s);
	if (t == s || *t != '.')
		return line;
	s = skip_digits(t + 1);
	if (s == t + 1 || *s != ']')
		return line;
	s++;
	if (*s == '[') {
		t = s + 1 + strspn(s + 1, " ");
		if ((*t == 'T' || *t == 'C') && isdigit((unsigned char)t[1])) {
			t = skip_digits(t + 1);
			if (*t == ']')
				s = t + 1;
		}
	}
	return *s == ' ' ? s + 1 : s;
}

/*
 * SRC into DST of LEN bytes as text any JSON reader takes and a terminal
 * shows as it is: a console may carry line noise, so control bytes (a
 * newline too: SRC is one line) and broken UTF-8 become '?'.
 */
static void copy_text(char *dst, size_t len, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0;

	while (*s) {
		int n = text_char_len(s, strnlen((const char *)s, 4));

		if (*s == '\n')
			n = 0;
		if (o + (n > 0 ? n : 1) >= len)
			break;
		if (n <= 0) {
			dst[o++] = '?';
			s++;
			continue;
		}
		memcpy(dst + o, s, n);
		o += n;
		s += n;
	}
	dst[o] = '\0';
}

void klog_init(struct klog_parser *p,
	       void (*emit)(const struct klog_report *r, void *arg),
	       void *arg)
{
	memset(p, 0, sizeof(*p));
	p->emit = emit;
	p->arg = arg;
}

/* Hands the open report, if any, to the caller. */
void klog_finish(struct klog_parser *p)
{
	if (!p->open)
		return;
	p->open = false;
	p->emit(&p->r, p->arg);
}

/*
 * One log message, without its timestamp.  A pattern matched among the
 * first lines of an open report belongs to it: one splat (a page fault's
 * BUG and Oops lines, a fault's KASAN line) is one report.
 */
void klog_feed(struct klog_parser *p, const char *msg)
{
	struct klog_report *r = &p->r;
	const char *kind;

	if (!msg[strspn(msg, " \t")])
		return;		/* blank console lines say nothing */
	if (p->open) {
		copy_text(r->text[r->ntext++], KLOG_LINE_MAX, msg);
		if (r->ntext == KLOG_TEXT_LINES)
			klog_finish(p);
		return;
	}
	if (strstr(msg, "[ cut here ]")) {
		p->cut = 1;
		return;
	}
	kind = klog_kind(msg);
	if (!kind) {
		/* WARN(cond, fmt) prints fmt between "cut here" and its
		 * WARNING line: the report's own words, kept with it. */
		if (p->cut == 1)
			copy_text(p->cut_msg, KLOG_LINE_MAX, msg);
		p->cut = p->cut == 1 ? 2 : 0;
		return;
	}
	r->line = p->line;
	memcpy(r->config_line, p->config_line, sizeof(r->config_line));
	r->kind = kind;
	r->ntext = 1;
	copy_text(r->text[0], KLOG_LINE_MAX, msg);
	if (p->cut == 2)
		memcpy(r->text[r->ntext++], p->cut_msg, KLOG_LINE_MAX);
	p->cut = 0;
	p->open = true;
}

/*
 * The guest init prints "tlbbench guest: line N: ARGS" before running
 * config line N and "tlbbench guest: line N done" after it.
 */
enum klog_marker klog_marker(const char *line, int *lineno,
			     const char **args)
{
	static const char mark[] = "tlbbench guest: line ";
	const char *s = line + sizeof(mark) - 1;
	char *end;
	long n;

	if (strncmp(line, mark, sizeof(mark) - 1) ||
	    !isdigit((unsigned char)*s))
		return KLOG_NO_MARKER;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || n < 1 || n > INT_MAX)
		return KLOG_NO_MARKER;
	if (!strcmp(end, " done")) {
		*lineno = n;
		return KLOG_LINE_DONE;
	}
	if (strncmp(end, ": ", 2))
		return KLOG_NO_MARKER;
	*lineno = n;
	*args = end + 2;
	return KLOG_LINE_BEGIN;
}

/*
 * A /dev/kmsg record, "PRIO,SEQ,TS,FLAGS[,...];MESSAGE\n" and then
 * dictionary lines that start with a space: its SEQ and its MESSAGE,
 * cut at the end of the first line in REC itself.  0 or -EINVAL.
 */
int klog_kmsg_parse(char *rec, unsigned long long *seq, const char **msg)
{
	char *semi = strchr(rec, ';'), *comma = strchr(rec, ','), *end, *nl;

	if (!semi || !comma || comma > semi ||
	    !isdigit((unsigned char)comma[1]))
		return -EINVAL;
	errno = 0;
	*seq = strtoull(comma + 1, &end, 10);
	if (errno || (*end != ',' && *end != ';'))
		return -EINVAL;
	nl = strchr(semi + 1, '\n');
	if (nl)
		*nl = '\0';
	*msg = semi + 1;
	return 0;
}

/* Larger than any record: a read into a smaller buffer fails. */
#define KMSG_RECORD_MAX 16384

/*
 * Every /dev/kmsg record from the oldest kept: those with a sequence
 * number from FROM on go to P (if not NULL); *NEXT becomes the number of
 * the next record to come.  The log is only read.  0 or -errno.
 */
int klog_kmsg_scan(unsigned long long from, struct klog_parser *p,
		   unsigned long long *next)
{
	static char buf[KMSG_RECORD_MAX + 1];
	unsigned long long seq;
	const char *msg;
	int fd, ret = 0;

	*next = 0;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf, KMSG_RECORD_MAX);

		/* EPIPE: records were overwritten; on with the oldest. */
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		buf[n] = '\0';
		if (klog_kmsg_parse(buf, &seq, &msg))
			continue;
		*next = seq + 1;
		if (p && seq >= from)
			klog_feed(p, msg);
	}
	close(fd);
	if (p)
		klog_finish(p);
	return ret;
}

/* Every report of a console log, with the config line it came in. */
int klog_console_scan(FILE *f, struct klog_parser *p)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	while ((len = getline(&buf, &cap, f)) >= 0) {
		const char *s, *args;
		int n;

		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		s = klog_strip_timestamp(buf);
		switch (klog_marker(s, &n, &args)) {
		case KLOG_LINE_BEGIN:
			klog_finish(p);
			p->line = n;
			copy_text(p->config_line, sizeof(p->config_line),
				  args);
			break;
		case KLOG_LINE_DONE:
			klog_finish(p);
			p->line = 0;
			p->config_line[0] = '\0';
			break;
		default:
			klog_feed(p, s);
		}
	}
	if (ferror(f))
		ret = errno ? -errno : -EIO;
	free(buf);
	klog_finish(p);
	return ret;
}

/* R as a JSON line of kernel-reports.jsonl: with its config line if TAGGED. */
struct json_object *klog_report_json(const struct klog_report *r, bool tagged)
{
	struct json_object *o = json_object_new_object(), *text;

	if (tagged) {
		json_object_object_add(o, "line", json_object_new_int(r->line));
		json_object_object_add(o, "config_line",
				       json_object_new_string(r->config_line));
	}
	json_object_object_add(o, "kind", json_object_new_string(r->kind));
	text = json_object_new_array();
	for (int i = 0; i < r->ntext; i++)
		json_object_array_add(text, json_object_new_string(r->text[i]));
	json_object_object_add(o, "text", text);
	return o;
}

/* Why /dev/kmsg cannot be read (ERR, negative), in one line, into BUF. */
void klog_kmsg_why(int err, char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/dmesg_restrict", "r");
	int restrict_ = 0;

	if (f) {
		if (fscanf(f, "%d", &restrict_) != 1)
			restrict_ = 0;
		fclose(f);
	}
	snprintf(buf, len, "/dev/kmsg: %s%s", strerror(-err),
		 (err == -EPERM || err == -EACCES) && restrict_ ?
		 " (needs CAP_SYSLOG: kernel.dmesg_restrict is 1)" : "");
}
