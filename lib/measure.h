/* One measured window: time and count a single call. */
#ifndef TLB_MEASURE_H
#define TLB_MEASURE_H

#include "counters.h"

struct window {
	unsigned long long ns;
	long long *before;
	long long *delta;		/* counts of the measured call */
	long long *noise;		/* counts of an idle window as long */
};

int window_init(struct window *w, const struct counters *cs);
int window_measure(struct window *w, struct counters *cs, int self_cpu,
		   int (*op)(void *), void *arg);
int window_noise(struct window *w, struct counters *cs, int self_cpu);
void window_free(struct window *w);

#endif
