/*
 * Helper threads, one pinned to each extra CPU, that touch the region so
 * their CPUs hold its TLB entries and stay in the mm's CPU mask, then spin
 * on their own memory while the measured call runs.
 */
#ifndef TLB_TEAM_H
#define TLB_TEAM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct team {
	int n;
	pthread_t *tid;
	int *cpu;
	atomic_ulong gen;		/* bumped to request a touch */
	atomic_int touched;		/* helpers done with this gen */
	atomic_bool stop;
	atomic_int err;			/* first pinning error, -errno */
	char *volatile addr;
	size_t size;
};

int team_start(struct team *t, const int *cpus, int n);
int team_touch(struct team *t, char *addr, size_t size);
void team_stop(struct team *t);

#endif
