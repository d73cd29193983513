/*
 * perf stat runs as a child attached to this process (-p), its counter
 * disabled until enabled over its control pipe (-D -1 --control fd:):
 * the ack says it counts.  Pipes, not fifos: nothing is made on disk, so
 * no run, however it ends, leaves a file.  The count comes back on a
 * pipe from its stderr (-x, CSV).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "measure.h"
#include "perf_stat.h"

/* How long perf stat may take to start counting. */
#define START_MS 10000

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A perf stat that did not start counting is ended, not left. */
static void perf_stat_abandon(struct perf_stat *ps)
{
	if (ps->pid) {
		kill(ps->pid, SIGTERM);
		waitpid(ps->pid, NULL, 0);
		ps->pid = 0;
	}
	perf_ctl_close(ps->fd);
	close_fd(&ps->ctl_held);
	close_fd(&ps->out);
}

int perf_stat_start(struct perf_stat *ps, char *err, size_t len)
{
	int ctl[2] = { -1, -1 }, ack[2] = { -1, -1 }, out[2] = { -1, -1 };
	char pid[16], control[64];
	struct pollfd pfd;
	int ret = 0;

	ps->pid = 0;
	ps->fd[0] = ps->fd[1] = ps->out = ps->ctl_held = -1;
	if (pipe2(ctl, O_CLOEXEC) || pipe2(ack, O_CLOEXEC) ||
	    pipe2(out, O_CLOEXEC)) {
		ret = -errno;
		snprintf(err, len, "--perf-stat: pipe: %s", strerror(-ret));
		goto fail;
	}
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(control, sizeof(control), "fd:%d,%d", ctl[0], ack[1]);
	ps->pid = fork();
	if (ps->pid < 0) {
		ret = -errno;
		ps->pid = 0;
		snprintf(err, len, "--perf-stat: fork: %s", strerror(-ret));
		goto fail;
	}
	if (!ps->pid) {
		/* perf's ends of the control pipes outlive the exec. */
		fcntl(ctl[0], F_SETFD, 0);
		fcntl(ack[1], F_SETFD, 0);
		dup2(out[1], 2);
		execlp("perf", "perf", "stat", "-x,", "-e", "tlb:tlb_flush",
		       "-D", "-1", "--control", control, "-p", pid,
		       (char *)NULL);
		_exit(127);
	}
	ps->fd[0] = ctl[1];
	ps->fd[1] = ack[0];
	ps->out = out[0];
	/* Our copy of its read end: a write to a perf that is gone then
	 * fails at the ack, instead of killing us with SIGPIPE. */
	ps->ctl_held = ctl[0];
	ctl[0] = ctl[1] = ack[0] = out[0] = -1;
	close_fd(&ack[1]);
	close_fd(&out[1]);

	/* The enable waits in the pipe; its ack comes once perf counts,
	 * or the pipe ends with perf. */
	if (write(ps->fd[0], "enable\n", 7) != 7) {
		ret = -errno;
		snprintf(err, len, "--perf-stat: %s", strerror(-ret));
		goto fail;
	}
	pfd.fd = ps->fd[1];
	pfd.events = POLLIN;
	do
		ret = poll(&pfd, 1, START_MS);
	while (ret < 0 && errno == EINTR);
	ret = ret < 0 ? -errno : !ret ? -ETIMEDOUT : perf_ctl_ack(ps->fd[1]);
	if (ret) {
		snprintf(err, len, "--perf-stat: perf stat %s",
			 ret == -EPIPE ? "exited at once (is perf installed? "
			 "Debian: linux-perf)" : strerror(-ret));
		goto fail;
	}
	return 0;
fail:
	close_fd(&ctl[0]);
	close_fd(&ctl[1]);
	close_fd(&ack[0]);
	close_fd(&ack[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	perf_stat_abandon(ps);
	return ret;
}

/* The count of perf stat's CSV line of tlb:tlb_flush in TEXT, or -1. */
static long long parse_count(char *text)
{
	char *save, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, ",tlb:tlb_flush,"))
			continue;
		if (!strncmp(line, "<not counted>", 13))
			return 0;
		return line[0] >= '0' && line[0] <= '9' ?
		       strtoll(line, NULL, 10) : -1;
	}
	return -1;
}

/* Disable and end perf stat; its count in *COUNT.  0 or -errno. */
int perf_stat_stop(struct perf_stat *ps, long long *count, char *err,
		   size_t len)
{
	char buf[8192];
	size_t got = 0;
	ssize_t n;
	int ret;

	*count = -1;
	if (!ps->pid)
		return 0;
	ret = perf_ctl_command(ps->fd, "disable\n");
	perf_ctl_close(ps->fd);
	close_fd(&ps->ctl_held);
	kill(ps->pid, SIGINT);
	waitpid(ps->pid, NULL, 0);
	ps->pid = 0;
	while (got < sizeof(buf) - 1 &&
	       (n = read(ps->out, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(ps->out);
	ps->out = -1;
	*count = parse_count(buf);
	if (!ret && *count < 0)
		ret = -EPROTO;
	if (ret)
		snprintf(err, len, "--perf-stat: perf stat: %s",
			 ret == -EPROTO ? "no count of tlb:tlb_flush in its "
			 "output" : strerror(-ret));
	return ret;
}
