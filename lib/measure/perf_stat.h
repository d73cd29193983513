/*
 * --perf-stat: perf stat -e tlb:tlb_flush on this process over a whole
 * run, an independent count (perf's own code, per process, inherited by
 * the threads) that the measured windows' per-CPU counts can never
 * exceed.
 */
#ifndef TLB_PERF_STAT_H
#define TLB_PERF_STAT_H

#include <stddef.h>
#include <sys/types.h>

struct perf_stat {
	pid_t pid;			/* perf stat, or 0 */
	int fd[2];			/* its control and ack pipes */
	int ctl_held;			/* the control pipe's read end */
	int out;			/* the read end of its stderr */
};

int perf_stat_start(struct perf_stat *ps, char *err, size_t len);
int perf_stat_stop(struct perf_stat *ps, long long *count, char *err,
		   size_t len);

#endif
