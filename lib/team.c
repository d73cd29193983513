/* Helpers never block: a sleeping CPU goes lazy and gets no shootdown. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "team.h"

struct helper_arg {
	struct team *t;
	int cpu;
};

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void *helper(void *p)
{
	struct helper_arg *a = p;
	struct team *t = a->t;
	unsigned long seen = 0;
	int ret = cpu_pin_self(a->cpu);

	free(a);
	if (ret) {
		int expect = 0;

		atomic_compare_exchange_strong(&t->err, &expect, ret);
	}
	while (!atomic_load(&t->stop)) {
		unsigned long gen = atomic_load(&t->gen);

		if (gen == seen) {
			relax();
			continue;
		}
		seen = gen;
		/* Read one byte per page: a TLB entry for each. */
		for (size_t off = 0; off < t->size; off += 4096)
			(void)*(volatile char *)(t->addr + off);
		atomic_fetch_add(&t->touched, 1);
	}
	return NULL;
}

int team_start(struct team *t, const int *cpus, int n)
{
	memset(t, 0, sizeof(*t));
	t->tid = calloc(n ? n : 1, sizeof(*t->tid));
	t->cpu = calloc(n ? n : 1, sizeof(*t->cpu));
	if (!t->tid || !t->cpu)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		struct helper_arg *a = malloc(sizeof(*a));
		int ret;

		if (!a)
			return -ENOMEM;
		a->t = t;
		a->cpu = cpus[i];
		ret = pthread_create(&t->tid[i], NULL, helper, a);
		if (ret) {
			free(a);
			return -ret;
		}
		t->cpu[i] = cpus[i];
		t->n++;
	}
	return 0;
}

/* Have every helper read the region; returns when all have. */
int team_touch(struct team *t, char *addr, size_t size)
{
	t->addr = addr;
	t->size = size;
	atomic_store(&t->touched, 0);
	atomic_fetch_add(&t->gen, 1);
	while (atomic_load(&t->touched) < t->n)
		relax();
	return atomic_load(&t->err);
}

void team_stop(struct team *t)
{
	atomic_store(&t->stop, true);
	for (int i = 0; i < t->n; i++)
		pthread_join(t->tid[i], NULL);
	free(t->tid);
	free(t->cpu);
	t->tid = NULL;
	t->cpu = NULL;
	t->n = 0;
}

