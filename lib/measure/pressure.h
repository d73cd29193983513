/*
 * Memory pressure for a run: a cgroup v2 memory.high limit around the
 * process where the memory controller is there and writable, else an
 * anonymous hold that leaves the system little free memory, only when
 * asked for (--hold-memory).  Either way a
 * burst of anonymous memory, touched on demand, makes the kernel reclaim
 * page cache at that moment, and a counter says whether it did.
 */
#ifndef TLB_PRESSURE_H
#define TLB_PRESSURE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct pressure {
	bool cgroup;			/* else the system-wide hold */
	char dir[PATH_MAX];		/* the child cgroup */
	char home[PATH_MAX];		/* the cgroup the process came from */
	char stat[PATH_MAX];		/* memory.stat, or /proc/vmstat */
	const char *key;		/* the reclaim counter in it */
	char *hold, *burst;
	size_t hold_size, burst_size;
	size_t window_size;		/* of the burst, during a zap */
	size_t primed;			/* of the burst, held below it */
	unsigned long long headroom;	/* what the hold leaves available */
	unsigned long long limit;	/* memory.high set, bytes */
	unsigned long long fill_ns;	/* time to touch the hold */
	char old_oom[16];		/* oom_score_adj to restore */
	bool entered;			/* moved into dir */
	char why[128];			/* no cgroup: the reason */
};

int pressure_start(struct pressure *pr, size_t file_size, bool may_hold,
		   char *err, size_t errlen);
int pressure_arm(struct pressure *pr, char *err, size_t errlen);
int pressure_prime(struct pressure *pr);
int pressure_burst(struct pressure *pr, unsigned i, unsigned n);
void pressure_release(struct pressure *pr);
int pressure_reclaimed(const struct pressure *pr, unsigned long long *out);
void pressure_stop(struct pressure *pr);
/* This process's reclaim cgroup name: its PID and start time, unique. */
void pressure_cgroup_name(char *buf, size_t len);
/*
 * Remove the reclaim cgroups under PARENT whose tlbbench is gone (a
 * SIGKILL, an OOM kill or a crash leaves them), each named on SAY if
 * not NULL: how many, or -errno when PARENT cannot be read.
 */
int pressure_sweep(const char *parent, FILE *say);

#endif
