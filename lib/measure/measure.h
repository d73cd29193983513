/* One measured window: time and count a single call. */
#ifndef TLB_MEASURE_H
#define TLB_MEASURE_H

#include <stdbool.h>

#include "attribution.h"
#include "counters.h"

struct window {
	long long *before;		/* snapshot at the start */
	struct attribution *attr;	/* sampled too, when ATTR_OUT is set */
	struct attr_counts *attr_out;	/* what the samples add up to */
	unsigned long long *from, *to;	/* per CPU column: counted between */
	const int *perf_ctl;		/* perf record's control and ack */
					/* fds (perf_ctl_open()), or NULL */
	long preempted;			/* the caller's involuntary context */
					/* switches in the last window */
	/* Called just before and after the measured call, or NULL. */
	void (*edge)(void *arg, bool start);
	void *edge_arg;
};

int window_init(struct window *w, const struct counters *cs);
int window_measure(struct window *w, struct counters *cs, int self_cpu,
		   int (*op)(void *), void *arg, long long *delta,
		   unsigned long long *ns);
int window_idle(struct window *w, struct counters *cs, int self_cpu,
		unsigned long long ns, long long *delta);
unsigned long long now_ns(void);
void window_free(struct window *w);
int perf_ctl_open(const char *ctl, const char *ack, int fd[2]);
int perf_ctl_ack(int fd);
int perf_ctl_command(const int fd[2], const char *cmd);
void perf_ctl_close(int fd[2]);

#endif
