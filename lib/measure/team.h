/*
 * Helper threads, one pinned to each extra CPU.  Between tasks they spin
 * on their own memory (or, as victims, walk it), never sleeping: a
 * sleeping CPU goes lazy and gets no shootdown, which would change what
 * is measured.
 */
#ifndef TLB_TEAM_H
#define TLB_TEAM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* A task: INDEX is 1..n for helpers (0 is the measuring thread). */
typedef void (*team_fn)(void *arg, int index);
/*
 * What a helper does between tasks instead of spinning, a short while
 * each call; RESUMED: the first call after a task.
 */
typedef void (*team_idle_fn)(void *arg, int index, bool resumed);

struct team {
	int n;
	pthread_t *tid;
	int *cpu;
	int *tid_of;			/* kernel thread ids, for filters */
	atomic_int started;		/* helpers that stored their id */
	atomic_ulong gen;		/* bumped to hand out a task */
	atomic_int finished;		/* helpers done with this task */
	atomic_bool stop;
	atomic_int err;			/* first pinning error, -errno */
	team_fn fn;
	void *arg;
	_Atomic(team_idle_fn) idle;	/* NULL: spin */
	void *idle_arg;
};

int team_start(struct team *t, const int *cpus, int n);
void team_go(struct team *t, team_fn fn, void *arg);
void team_set_idle(struct team *t, team_idle_fn fn, void *arg);
int team_wait(struct team *t);
int team_touch(struct team *t, char *addr, size_t size);
void team_stop(struct team *t);
long threads_preempted(const int *tids, int n);

#endif
