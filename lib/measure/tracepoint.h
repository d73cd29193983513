/* Tracepoint ids from tracefs, and the filters set on them. */
#ifndef TLB_TRACEPOINT_H
#define TLB_TRACEPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/perf_event.h>

/* The directory tracepoint ids are read from: TLBBENCH_TRACEFS names one. */
#define TP_DIR_ENV "TLBBENCH_TRACEFS"

struct tp_dir {
	char path[4096];
	pid_t child;		/* holds our mount of tracefs, or 0 */
	bool named;		/* TP_DIR_ENV named it */
};

int tp_dir_enter(struct tp_dir *t);
void tp_dir_why(int err, char *buf, size_t len);
long long tp_event_id(const struct tp_dir *t, const char *system,
			   const char *event);
long long tp_known_id(const char *system, const char *event);
void tp_id_why(const struct tp_dir *t, int err, const char *system,
	       const char *event, char *buf, size_t len);
void tp_dir_leave(struct tp_dir *t);
char *tp_filter(const char *base, const int *tids, int n);
const char *perf_ring_record(const char *data, uint64_t size, uint64_t tail,
			     char *copy, struct perf_event_header *hd);

/*
 * Only x86 calls trace_tlb_flush() (arch/x86/mm/tlb.c) and only x86 has
 * flush_tlb_func(): elsewhere the tracepoint may exist and never fire.
 */
#if defined(__x86_64__) || defined(__i386__)
#define TP_TLB_TRACED 1
#else
#define TP_TLB_TRACED 0
#endif
#define TP_NOT_TRACED_WHY \
	"x86 only: this architecture flushes by broadcast TLB instructions " \
	"(arm64: TLBI), with no shootdown IPI to trace"

#endif
