/*
 * The race workload's state, shared by its two files: race.c (writer,
 * cleaner, zapper, check, record) and race_attack.c (the --attack helper).
 */
#ifndef TLB_RACE_H
#define TLB_RACE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "measure/cpu.h"
#include "measure/pressure.h"
#include "workload.h"

#define PAGE		4096UL
#define HOT		8	/* pages the writer stores to */
#define LOST_KEPT	64
#define TABLE_PAGES	(PAGE_TABLE_SPAN / PAGE)
#define EVENTS_KEPT	256	/* a helper's events timed per zap */
#define NEIGHBOURS	(2 * HOT)	/* pages next to hot ones, at most */

/* The options only race takes (race_options in race.c). */
enum hot_place { HOT_END, HOT_START };
/* The hot pages one per page table, or adjacent in the first. */
enum hot_layout { LAYOUT_SPREAD, LAYOUT_TOGETHER };
/* What else presses on the zap's folios while it runs. */
enum race_attack {
	ATTACK_NONE, ATTACK_RECLAIM, ATTACK_INVALIDATE, ATTACK_TRUNCATE,
};
struct race_params {
	enum zap_mode zap;		/* how the mapping is dropped */
	bool self_test;			/* claim stores never made */
	enum hot_place hot;		/* hot pages in their table */
	enum hot_layout layout;		/* which tables hold them */
	enum race_attack attack;	/* pressure during the zap */
	bool hold_memory;		/* a hold where no cgroup */
	bool until_lost;		/* end at the first lost write */
};
extern const char *const race_attack_names[];

static inline const struct race_params *race_params(const struct params *p)
{
	return p->own;
}

struct lost {
	unsigned long attempt, page;
	uint64_t expected, on_disk, after_eviction;
	bool injected;
};

/* What a helper (cleaner, attacker) did in one zap, for the zapper. */
struct helper_zap {
	unsigned long done;		/* the last zap_gen it is done with */
	unsigned long long n;		/* events in this zap */
	unsigned long long start[EVENTS_KEPT], end[EVENTS_KEPT];
};

/* Where the cleaner ran its writebacks, by whose CPU it was. */
enum { ON_ZAPPER, ON_WRITER, ON_OWN, ON_MAX };

struct race {
	struct bench *b;
	const struct race_params *rp;	/* b's options of race's own */
	char *addr;
	size_t size;
	int fd, rfd;			/* the file, and O_DIRECT for checks */
	bool direct;
	char *buf;			/* aligned page for reads */
	unsigned long hot[HOT];		/* page numbers */
	int cleaner_cpu, attack_cpu;	/* pinned there, or -1: any */

	/* The attacks' means. */
	int wfd;			/* O_DIRECT writes, invalidate */
	char *zero;			/* the page they write */
	unsigned long nb[NEIGHBOURS];	/* the hot pages' neighbours */
	int nnb;
	bool punch;			/* truncate: holes can be punched */
	struct pressure pr;		/* reclaim */
	char *peek;			/* reclaim: the hot span, read-only */
	size_t peek_size;
	unsigned char *vec;		/* the file's pages in the cache */

	/* The zapper's attempt protocol, in order. */
	atomic_ulong go;		/* attempt N: writer, fault in */
	atomic_ulong armed;		/* writer holds writable entries */
	atomic_ulong zap_gen;		/* odd while a zap runs */
	atomic_ulong wb_inside;		/* zap_gen of a writeback inside */
	atomic_ulong stopped;		/* writer stopped storing */
	atomic_bool quit;
	unsigned long long zap_start, zap_end;	/* set before zap_gen moves */

	pthread_mutex_t lock;
	pthread_cond_t zap_started;	/* helpers wait for a zap */
	pthread_cond_t idle;		/* the zapper waits for helpers */
	struct helper_zap cz, az;	/* under lock once done */

	/* The writer's. */
	uint64_t seq;
	uint64_t last[HOT];		/* last value stored, per hot page */
	unsigned long long stores, stores_after_wb;
	unsigned long long saw_wb;	/* when it saw a writeback inside */

	/* The cleaner's. */
	unsigned long long writebacks, wb_on[ON_MAX];
	int wb_err;

	/* The attacker's. */
	int attack_err;
	const char *attack_what;

	/* The zapper's. */
	unsigned long long attempts, attempts_wb_inside, checked, lost;
	unsigned long long zap_ns_total, zap_ns_max, zap_ns_min;
	unsigned long long wb_timed, wb_ns_total, wb_ns_min;
	unsigned long long rt_timed, rt_ns_total, rt_ns_min;
	unsigned long long closest_ns, attempts_missed;
	unsigned long long events, events_in_window, attempts_hit;
	unsigned long long attempts_reclaim, pages_reclaimed;
	unsigned long long steal0, steal1;	/* around this zap */
	unsigned long long file_dropped, hot_dropped, attempts_dropped;
	unsigned long long cuts, punches, pages_cut;
	unsigned long long start_ns, first_lost_ns;
	unsigned long first_lost_attempt;
	int injected, injected_found, nkept;
	struct lost kept[LOST_KEPT];
};

/* The helpers' protocol, in race.c. */
bool race_next_zap(struct race *r, unsigned long *next,
		   struct helper_zap *h);
void race_helper_done(struct race *r, struct helper_zap *h,
		      unsigned long gen);
void race_helper_quit(struct race *r, int *err, int e);
void race_time_event(struct helper_zap *h, unsigned long long t0,
		     unsigned long long t1);
int race_place(const struct cpu_list *cpus, int idx);
int race_reopen(struct race *r, int flags);

/* The attack, in race_attack.c. */
int race_attack_setup(struct bench *b, struct race *r);
void *race_attacker(void *arg);
int race_attack_before(struct race *r);
int race_attack_after(struct race *r);
void race_attack_tally(struct race *r, bool hit);
unsigned long long race_attack_landed(const struct race *r);
void race_attack_report(struct race *r, struct json_object *c);

#endif
