/*
 * Kernel problem reports in the kernel log: WARN, BUG, lockdep, Bad page
 * state, KASAN, Oops, panics, stalls.  One table of patterns says where a
 * report begins; the readers below find them in /dev/kmsg records and in
 * a guest's console log.
 */
#ifndef TLB_KERNEL_LOG_H
#define TLB_KERNEL_LOG_H

#include <stdbool.h>
#include <stdio.h>

#define KLOG_TEXT_LINES 5	/* the matching line and the 4 after it */
#define KLOG_LINE_MAX 1024	/* longer log lines are cut */

struct klog_report {
	int line;		/* config line it happened in; 0: outside */
	char config_line[KLOG_LINE_MAX];
	const char *kind;	/* the pattern's short name, e.g. "WARNING" */
	int ntext;
	char text[KLOG_TEXT_LINES][KLOG_LINE_MAX];
};

struct klog_parser {
	void (*emit)(const struct klog_report *r, void *arg);
	void *arg;
	bool open;		/* r is a report still collecting its text */
	struct klog_report r;
	int line;		/* where the console is: set by its markers */
	char config_line[KLOG_LINE_MAX];
	int cut;		/* 1: "[ cut here ]" seen, 2: and a line after */
	char cut_msg[KLOG_LINE_MAX];	/* that line: WARN()'s own message */
};

const char *klog_kind(const char *msg);
const char *klog_strip_timestamp(const char *line);

void klog_init(struct klog_parser *p,
	       void (*emit)(const struct klog_report *r, void *arg),
	       void *arg);
void klog_feed(struct klog_parser *p, const char *line);
void klog_finish(struct klog_parser *p);

/* What a console line of the guest init says about the config line. */
enum klog_marker { KLOG_NO_MARKER, KLOG_LINE_BEGIN, KLOG_LINE_DONE };

enum klog_marker klog_marker(const char *line, int *lineno,
			     const char **args);

int klog_kmsg_parse(char *rec, unsigned long long *seq, const char **msg);
int klog_kmsg_scan(unsigned long long from, struct klog_parser *p,
		   unsigned long long *next);
int klog_console_scan(FILE *f, struct klog_parser *p);

struct json_object;
struct json_object *klog_report_json(const struct klog_report *r,
				     bool tagged);
void klog_kmsg_why(int err, char *buf, size_t len);

#endif
