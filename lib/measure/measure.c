/*
 * The counted window is exactly: counter snapshot, clock, the call, clock,
 * counter snapshot.  The idle window repeats it with a busy wait in place
 * of the call, so the cost of reading the counters themselves (and any
 * background activity) shows up as the noise floor.  With --attribute the
 * sampling events are enabled just before the first snapshot and disabled
 * just after the last one (enabling them on another CPU costs an IPI),
 * and only samples taken on a CPU between the two reads of its counters
 * are kept: those are the flushes counted.  With perf record's control
 * fifo (--perf-ctl), its events are enabled before the first snapshot and
 * disabled after the last, each command's ack awaited there: a profile
 * of the windows alone.  The calling thread's involuntary context
 * switches are read around the call too: each can be a page table's zap
 * split in two by need_resched() in zap_pte_range(), one flush point more.
 * An edge hook (the victims' marks) runs just inside the counter reads,
 * around the clock reads of the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cycles.h"
#include "measure.h"

/* The calling thread's involuntary context switches so far. */
static long preemptions(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) ? 0 : ru.ru_nivcsw;
}

unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Cycles of cycles_now() per ns of CLOCK_MONOTONIC, over a busy wait of
 * OVER_NS.
 */
double cycles_per_ns(unsigned long long over_ns)
{
	unsigned long long t0 = now_ns(), t1;
	uint64_t c0 = cycles_now(), c1;

	do {
		t1 = now_ns();
		c1 = cycles_now();
	} while (t1 - t0 < over_ns);
	return (c1 - c0) / (double)(t1 - t0);
}

int window_init(struct window *w, const struct counters *cs)
{
	w->attr = NULL;
	w->attr_out = NULL;
	w->perf_ctl = NULL;
	w->edge = NULL;
	w->preempted = 0;
	w->before = counters_alloc_values(cs);
	w->from = calloc(cs->cpus.n, sizeof(*w->from));
	w->to = calloc(cs->cpus.n, sizeof(*w->to));
	return w->before && w->from && w->to ? 0 : -ENOMEM;
}

static int count_op(struct window *w, struct counters *cs, int self_cpu,
		    int (*op)(void *), void *arg, long long *delta,
		    unsigned long long *ns, bool edges)
{
	unsigned long long t0, t1;
	long switches;
	int ret, op_ret;

	ret = counters_read(cs, w->before, self_cpu, true);
	if (ret)
		return ret;
	for (int k = 0; k < cs->cpus.n; k++)
		w->from[k] = cs->read_ns[2 * k + 1];
	switches = preemptions();
	if (edges && w->edge)
		w->edge(w->edge_arg, true);
	t0 = now_ns();
	op_ret = op(arg);
	t1 = now_ns();
	if (edges && w->edge)
		w->edge(w->edge_arg, false);
	w->preempted = preemptions() - switches;
	ret = counters_read(cs, delta, self_cpu, false);
	if (ret)
		return ret;
	for (int k = 0; k < cs->cpus.n; k++)
		w->to[k] = cs->read_ns[2 * k];
	counters_delta(cs, w->before, delta);
	*ns = t1 - t0;
	return op_ret;
}

/*
 * perf's "ack\n" awaited on FD (perf writes the string's NUL too: NULs
 * are skipped): 0, -EPIPE when FD ends first, -EPROTO for another word.
 */
int perf_ctl_ack(int fd)
{
	size_t got = 0;
	char ack[8], c;

	for (;;) {
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		if (!c)
			continue;
		if (c == '\n')
			break;
		if (got == sizeof(ack))
			return -EPROTO;
		ack[got++] = c;
	}
	return got == 3 && !memcmp(ack, "ack", 3) ? 0 : -EPROTO;
}

/* perf's command CMD ("enable\n") on the control FD[0], its ack on FD[1]. */
int perf_ctl_command(const int fd[2], const char *cmd)
{
	size_t len = strlen(cmd);

	if (write(fd[0], cmd, len) != (ssize_t)len)
		return -EPIPE;
	return perf_ctl_ack(fd[1]);
}

/*
 * Open perf's control fifo CTL and its ack fifo ACK into FD[0] and
 * FD[1].  0, -ENXIO when no perf has CTL open (rather than waiting for
 * one), or -errno.
 */
int perf_ctl_open(const char *ctl, const char *ack, int fd[2])
{
	fd[0] = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd[0] < 0)
		return -errno;
	fcntl(fd[0], F_SETFL, 0);
	fd[1] = open(ack, O_RDONLY | O_CLOEXEC);
	if (fd[1] < 0) {
		int err = -errno;

		close(fd[0]);
		fd[0] = -1;
		return err;
	}
	return 0;
}

void perf_ctl_close(int fd[2])
{
	for (int i = 0; i < 2; i++) {
		if (fd[i] >= 0)
			close(fd[i]);
		fd[i] = -1;
	}
}

static int profiled_op(struct window *w, struct counters *cs, int self_cpu,
		       int (*op)(void *), void *arg, long long *delta,
		       unsigned long long *ns)
{
	int ret, off;

	if (!w->perf_ctl)
		return count_op(w, cs, self_cpu, op, arg, delta, ns, true);
	ret = perf_ctl_command(w->perf_ctl, "enable\n");
	if (ret)
		return ret;
	ret = count_op(w, cs, self_cpu, op, arg, delta, ns, true);
	off = perf_ctl_command(w->perf_ctl, "disable\n");
	return ret ? ret : off;
}

/*
 * Count and time OP(ARG); DELTA gets the counts, NS the time, and
 * W->attr_out (if set) what the flushes were attributed to.
 */
int window_measure(struct window *w, struct counters *cs, int self_cpu,
		   int (*op)(void *), void *arg, long long *delta,
		   unsigned long long *ns)
{
	struct attribution *a = w->attr_out ? w->attr : NULL;
	int ret, off;

	if (!a || !a->open)
		return profiled_op(w, cs, self_cpu, op, arg, delta, ns);
	ret = attribution_enable(a);
	if (ret)
		return ret;
	ret = profiled_op(w, cs, self_cpu, op, arg, delta, ns);
	off = attribution_disable(a);
	if (!ret)
		ret = off;
	if (!ret)
		ret = attribution_collect(a, &cs->cpus, w->from, w->to,
					  w->attr_out);
	return ret;
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

	return count_op(w, cs, self_cpu, spin, &ns, delta, &spent, false);
}

void window_free(struct window *w)
{
	free(w->before);
	free(w->from);
	free(w->to);
	w->before = NULL;
	w->from = w->to = NULL;
}
