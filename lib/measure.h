/* One measured window: time and count a single call. */
#ifndef TLB_MEASURE_H
#define TLB_MEASURE_H

#include "counters.h"

struct window {
	long long *before;		/* snapshot at the start */
};

int window_init(struct window *w, const struct counters *cs);
int window_measure(struct window *w, struct counters *cs, int self_cpu,
		   int (*op)(void *), void *arg, long long *delta,
		   unsigned long long *ns);
int window_idle(struct window *w, struct counters *cs, int self_cpu,
		unsigned long long ns, long long *delta);
unsigned long long now_ns(void);
void window_free(struct window *w);

#endif
