/*
 * Workload parameters: the shared option table (the region, counting and
 * output options most workloads take) and the rows a workload declares
 * for itself (struct opt_own), parsed, validated, recorded and documented
 * by the same code.
 */
#ifndef TLB_OPTIONS_H
#define TLB_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "cpu.h"
#include "common/output.h"

enum backing {
	BACKING_TMPFS, BACKING_FILE, BACKING_MEMFD, BACKING_HUGETLBFS,
	BACKING_ANON,			/* private anonymous: the control */
};
enum page_mode { PAGES_4K, PAGES_THP, PAGES_HUGETLB };
enum dirty_mode { DIRTY_ALL, DIRTY_PER_TABLE, DIRTY_NONE, DIRTY_FRACTION };
/* How repetitions fault the region in: the cheapest way, or as the first. */
enum populate_mode { POPULATE_FAST, POPULATE_WRITE };
enum count_scope { SCOPE_THREADS, SCOPE_SYSTEM, SCOPE_PROCESS };
/* Which flushes --attribute samples: none, the sender's (reason 4), all. */
enum attribute_mode { ATTRIBUTE_OFF, ATTRIBUTE_SEND, ATTRIBUTE_ALL };
/* What helpers do once they touched the region: spin, or walk a set. */
enum victims_mode { VICTIMS_SPIN, VICTIMS_WALK };
#define VICTIMS_SIZE_DEFAULT (64ULL << 20)

/* Bits naming options, so each workload says which apply to it. */
enum {
	OPT_SIZE	= 1 << 0,
	OPT_THREADS	= 1 << 1,
	OPT_BACKING	= 1 << 2,
	OPT_DIR		= 1 << 3,
	OPT_PAGES	= 1 << 4,
	OPT_DIRTY	= 1 << 5,
	OPT_REPS	= 1 << 6,
	OPT_WARMUP	= 1 << 7,
	OPT_CPUS	= 1 << 8,
	OPT_FORMAT	= 1 << 9,
	OPT_EVENTS	= 1 << 10,
	OPT_SCOPE	= 1 << 15,
	OPT_DURATION	= 1 << 16,
	OPT_ATTRIBUTE	= 1 << 20,
	OPT_NO_SPACE_CHECK = 1 << 22,
	OPT_PERF_CTL	= 1 << 26,
	OPT_PERF_STAT	= 1 << 27,
	OPT_POPULATE	= 1 << 28,
	OPT_VICTIMS	= 1 << 29,
};

/* The options of every workload on a shared region. */
#define OPTS_REGION (OPT_SIZE | OPT_THREADS | OPT_BACKING | OPT_DIR | \
		     OPT_PAGES | OPT_DIRTY | OPT_REPS | OPT_WARMUP | \
		     OPT_CPUS | OPT_FORMAT | OPT_EVENTS | OPT_SCOPE | \
		     OPT_ATTRIBUTE | OPT_NO_SPACE_CHECK | OPT_PERF_CTL | \
		     OPT_PERF_STAT | OPT_POPULATE)

struct params {
	unsigned long long size;
	unsigned threads;		/* 0: one per CPU of --cpus */
	enum backing backing;
	char dir[4096];			/* "" until defaulted */
	bool no_space_check;		/* trust no statvfs of dir */
	enum page_mode pages;
	enum dirty_mode dirty;
	double dirty_fraction;		/* DIRTY_FRACTION only */
	enum populate_mode populate;
	unsigned reps;			/* 0: auto, until --target-ci */
	double target_ci;		/* % of the median, --reps auto */
	unsigned max_reps;		/* --reps auto */
	unsigned warmup;
	struct cpu_list cpus;
	enum out_format format;
	char events[1024];		/* libpfm4 list, "none" */
	bool events_given;
	enum count_scope scope;
	enum attribute_mode attribute;
	unsigned long long given;	/* bit i: option i of the table */
	unsigned duration;		/* seconds a whole run lasts */
	/* perf record's control fifo and its ack fifo, or "" */
	char perf_ctl[2][256];
	bool perf_stat;			/* cross-check with perf stat */
	enum victims_mode victims;	/* what the helpers do meanwhile */
	unsigned long long victims_size;	/* each walker's working set */
	void *own;			/* the workload's own options' struct */
	unsigned long long own_given;	/* bit i: row i of its own table */
};

enum opt_type {
	T_SIZE, T_COUNT, T_CHOICE, T_DIR, T_CPUS, T_DIRTY, T_EVENTS, T_FLAG,
	T_PCT,
	T_PERF_CTL,	/* "CTL,ACK": two fifos */
	T_OPTCHOICE,	/* bare: the first choice; =VALUE: any; index + 1 */
	T_VICTIMS,	/* spin, walk or walk:SIZE */
};

/*
 * One option.  A workload's own rows take T_SIZE (unsigned long long),
 * T_COUNT (unsigned), T_CHOICE (int), T_FLAG (bool) or T_PCT (double) at
 * .off in its own struct; they are recorded under their name with '_'
 * for '-' (a choice by its name), unless .unrecorded.
 */
struct opt_def {
	unsigned bit;			/* the shared table's OPT_* bit */
	const char *name, *arg, *def, *help;
	enum opt_type type;
	const char *const *choices;	/* T_CHOICE; index stored as int */
	unsigned long long min, max;	/* T_SIZE and T_COUNT */
	const char *word;		/* T_COUNT also takes it, stored as 0 */
	size_t off;
	bool unrecorded;		/* how a run goes, not what it measures */
	bool sweep;			/* "v1,v2" in a config: a run each */
};

/* A workload's own options: its rows, and the struct they fill. */
struct opt_own {
	const struct opt_def *rows;	/* ended by a row without a name */
	size_t size;
};

#define OPTIONS_ERR_MAX 512

int parse_size(const char *text, unsigned long long *out);
void size_text(unsigned long long v, char *buf, size_t len);
const char *backing_name(enum backing b);
const char *pages_name(enum page_mode m);
void dirty_text(const struct params *p, char *buf, size_t len);

int options_parse(struct params *p, unsigned applicable,
		  const struct opt_own *own, const char *const *preset,
		  int argc, char **argv, char *err, size_t errlen);
void options_free(struct params *p);
const char *scope_name(enum count_scope s);
const char *populate_name(enum populate_mode m);
void options_help(FILE *f, unsigned applicable, const struct opt_own *own,
		  const char *const *preset);
bool options_sweep(unsigned applicable, const struct opt_own *own,
		   const char *name);
int options_canonical(unsigned applicable, const struct opt_own *own,
		      const char *const *preset, int argc, char **argv,
		      char *out, size_t len);
struct json_object;
void options_own_json(const struct params *p, const struct opt_own *own,
		      struct json_object *o);
const char *attribute_name(enum attribute_mode a);
void victims_text(const struct params *p, char *buf, size_t len);

#endif
