/*
 * Flush attribution: every tlb:tlb_flush of the measured window is sampled
 * with its kernel call chain, and the chain is named by the kernel path
 * that sent the flush (the table in attribution.c).
 */
#ifndef TLB_ATTRIBUTION_H
#define TLB_ATTRIBUTION_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu.h"
#include "options.h"
#include "tlb_reasons.h"

#define ATTR_REASONS TLB_NREASONS	/* tlb_flush reasons 0..5 */
#define ATTR_SEND TLB_REASON_SEND_IPI
#define ATTR_PATHS_MAX 16		/* named paths; "unclassified" after */
#define ATTR_CHAINS_MAX 8		/* distinct unclassified chains kept */
#define ATTR_CHAIN_TEXT 256
#define ATTR_NOTE_MAX 512

/* What one window (or a sum of windows) sampled. */
struct attr_counts {
	/* [reason][path]; path ATTR_PATHS_MAX is "unclassified" */
	long long n[ATTR_REASONS][ATTR_PATHS_MAX + 1];
	long long samples;		/* taken in the window */
	long long lost;			/* events that left no sample */
	long long lost_records;		/* PERF_RECORD_LOST says so, too */
	long long outside;		/* taken outside the window: ignored */
};

/* Chains no path matched, innermost frames first, so the table can grow. */
struct attr_chains {
	int n;
	struct {
		char text[ATTR_CHAIN_TEXT];
		long long count;
	} c[ATTR_CHAINS_MAX];
	long long more;			/* in further distinct chains */
};

struct ksym {
	unsigned long long addr;
	const char *name;
};

struct attribution {
	enum attribute_mode mode;
	bool open;			/* events open: samples are taken */
	bool named;			/* and kernel addresses can be named */
	char why[ATTR_NOTE_MAX];	/* what is missing, and why */
	bool warned;			/* WHY went to stderr already */
	const int *tids;		/* sampled threads, 0: all */
	int ntids;
	struct cpu_list cpus;		/* online CPUs: one ring buffer each */
	size_t data_bytes;		/* ring buffer data area per CPU */
	int nfds;			/* reasons sampled x CPUs */
	int *fd;
	int *reason_of;			/* per fd */
	unsigned long long *id_of;	/* per fd: the sample id */
	unsigned long long *events;	/* per fd: its count so far */
	void **ring;			/* per CPU */
	char *copy;			/* a record that wraps the ring */
	struct ksym *syms;		/* sorted by address */
	size_t nsyms;
	char *names;			/* the symbol names, one block */
	bool syms_tried;
	int syms_err;			/* of reading them: 0 or -errno */
	struct attr_chains chains;	/* since attribution_chains_reset() */
};

struct zap_shape;
int attribution_open(struct attribution *a, const struct params *p,
		     const struct zap_shape *z, const int *tids, int n);
int attribution_grow(struct attribution *a, const struct attr_counts *c);
int attribution_enable(struct attribution *a);
int attribution_disable(struct attribution *a);
int attribution_collect(struct attribution *a, const struct cpu_list *cpus,
			const unsigned long long *from,
			const unsigned long long *to, struct attr_counts *out);
void attribution_chains_reset(struct attribution *a);
void attr_chains_merge(struct attr_chains *dst,
		       const struct attr_chains *src);
void attribution_close(struct attribution *a);
void attribution_free(struct attribution *a);

bool attr_reason_sampled(const struct attribution *a, int reason);
const char *attr_reason_name(int reason);
int attr_npaths(void);
const char *attr_path_key(int path);
const char *attr_path_label(int path);
void attr_count_key(int reason, int path, char *buf, size_t len);
int attr_classify(const char *const *frames, int n);
bool attr_is_plumbing(const char *name);	/* attr_paths.c */

/* attr_ksyms.c: naming a chain's frames. */
void attr_name_frames(struct attribution *a);
const char *attr_ksym_name(const struct attribution *a,
			   unsigned long long ip);

#endif
