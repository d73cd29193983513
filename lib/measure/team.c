/* Helper threads handed one task at a time. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu.h"
#include "procfs.h"
#include "team.h"

struct helper_arg {
	struct team *t;
	int cpu;
	int index;
};

static void *helper(void *p)
{
	struct helper_arg *a = p;
	struct team *t = a->t;
	int index = a->index;
	unsigned long seen = 0;
	bool resumed = true;
	int ret = cpu_pin_self(a->cpu);

	t->tid_of[index - 1] = gettid();
	atomic_fetch_add(&t->started, 1);
	free(a);
	if (ret) {
		int expect = 0;

		atomic_compare_exchange_strong(&t->err, &expect, ret);
	}
	while (!atomic_load(&t->stop)) {
		unsigned long gen = atomic_load(&t->gen);

		if (gen == seen) {
			team_idle_fn idle = atomic_load(&t->idle);

			if (!idle) {
				cpu_relax();
				continue;
			}
			idle(t->idle_arg, index, resumed);
			resumed = false;
			continue;
		}
		seen = gen;
		t->fn(t->arg, index);
		resumed = true;
		atomic_fetch_add(&t->finished, 1);
	}
	return NULL;
}

int team_start(struct team *t, const int *cpus, int n)
{
	memset(t, 0, sizeof(*t));
	t->tid = calloc(n ? n : 1, sizeof(*t->tid));
	t->cpu = calloc(n ? n : 1, sizeof(*t->cpu));
	t->tid_of = calloc(n ? n : 1, sizeof(*t->tid_of));
	if (!t->tid || !t->cpu || !t->tid_of)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		struct helper_arg *a = malloc(sizeof(*a));
		int ret;

		if (!a)
			return -ENOMEM;
		a->t = t;
		a->cpu = cpus[i];
		a->index = i + 1;
		ret = pthread_create(&t->tid[i], NULL, helper, a);
		if (ret) {
			free(a);
			return -ret;
		}
		t->cpu[i] = cpus[i];
		t->n++;
	}
	while (atomic_load(&t->started) < t->n)
		cpu_relax();
	return 0;
}

/* Hand FN to every helper; they start at once. */
void team_go(struct team *t, team_fn fn, void *arg)
{
	t->fn = fn;
	t->arg = arg;
	atomic_store(&t->finished, 0);
	atomic_fetch_add(&t->gen, 1);
}

/* Between tasks the helpers call FN(ARG, ...) instead of spinning. */
void team_set_idle(struct team *t, team_idle_fn fn, void *arg)
{
	t->idle_arg = arg;
	atomic_store(&t->idle, fn);
}

/* Wait until every helper returned from the task; 0 or a pinning error. */
int team_wait(struct team *t)
{
	while (atomic_load(&t->finished) < t->n)
		cpu_relax();
	return atomic_load(&t->err);
}

struct touch {
	char *addr;
	size_t size;
};

/* Read one byte per page: a TLB entry for each on this CPU. */
static void touch_pages(void *arg, int index)
{
	struct touch *r = arg;

	(void)index;
	for (size_t off = 0; off < r->size; off += 4096)
		(void)*(volatile char *)(r->addr + off);
}

/* Have every helper read the region; returns when all have. */
int team_touch(struct team *t, char *addr, size_t size)
{
	struct touch r = { addr, size };

	team_go(t, touch_pages, &r);
	return team_wait(t);
}

void team_stop(struct team *t)
{
	atomic_store(&t->stop, true);
	for (int i = 0; i < t->n; i++)
		pthread_join(t->tid[i], NULL);
	free(t->tid);
	free(t->cpu);
	free(t->tid_of);
	t->tid = NULL;
	t->cpu = NULL;
	t->tid_of = NULL;
	t->n = 0;
}

/*
 * The involuntary context switches of the threads TIDS so far, from
 * /proc/TID/status, or -1 when one cannot be read (gone).
 */
long threads_preempted(const int *tids, int n)
{
	unsigned long long v, sum = 0;

	for (int i = 0; i < n; i++) {
		char path[64];
		FILE *f;
		int ret;

		snprintf(path, sizeof(path), "/proc/%d/status", tids[i]);
		f = fopen(path, "r");
		if (!f)
			return -1;
		ret = procfs_field(f, "nonvoluntary_ctxt_switches", &v);
		fclose(f);
		if (ret)
			return -1;
		sum += v;
	}
	return sum;
}
