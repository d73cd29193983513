/*
 * The counted window is exactly: counter snapshot, clock, the call, clock,
 * counter snapshot.  The idle window repeats it with a busy wait in place
 * of the call, so the cost of reading the counters themselves (and any
 * background activity) shows up as the noise floor.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "measure.h"

unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int window_init(struct window *w, const struct counters *cs)
{
	w->before = counters_alloc_values(cs);
	return w->before ? 0 : -ENOMEM;
}

/* Count and time OP(ARG); DELTA gets the counts, NS the time. */
int window_measure(struct window *w, struct counters *cs, int self_cpu,
		   int (*op)(void *), void *arg, long long *delta,
		   unsigned long long *ns)
{
	unsigned long long t0, t1;
	int ret, op_ret;

	ret = counters_read(cs, w->before, self_cpu, true);
	if (ret)
		return ret;
	t0 = now_ns();
	op_ret = op(arg);
	t1 = now_ns();
	ret = counters_read(cs, delta, self_cpu, false);
	if (ret)
		return ret;
	counters_delta(cs, w->before, delta);
	*ns = t1 - t0;
	return op_ret;
}

static int spin(void *arg)
{
	unsigned long long end = now_ns() + *(unsigned long long *)arg;

	while (now_ns() < end)
		;
	return 0;
}

/* The same counters over NS of busy waiting: the noise floor. */
int window_idle(struct window *w, struct counters *cs, int self_cpu,
		unsigned long long ns, long long *delta)
{
	unsigned long long spent;

	return window_measure(w, cs, self_cpu, spin, &ns, delta, &spent);
}

void window_free(struct window *w)
{
	free(w->before);
	w->before = NULL;
}
