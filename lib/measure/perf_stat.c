/*
 * perf stat runs as a child attached to this process (-p), its counter
 * disabled until enabled over its control fifo (-D -1 --control): the
 * ack says it counts.  The fifos are unlinked as soon as both ends are
 * open, so an interrupted run leaves nothing; the count comes back on a
 * pipe from its stderr (-x, CSV).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "measure.h"
#include "perf_stat.h"

static void nap_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

int perf_stat_start(struct perf_stat *ps, char *err, size_t len)
{
	char dir[] = "/tmp/tlbbench-perf-stat.XXXXXX", ctl[64], ack[64];
	char pid[16], control[160];
	int out[2], ret = 0;

	ps->pid = 0;
	ps->fd[0] = ps->fd[1] = ps->out = -1;
	if (!mkdtemp(dir)) {
		ret = -errno;
		snprintf(err, len, "--perf-stat: %s: %s", dir, strerror(-ret));
		return ret;
	}
	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	snprintf(ack, sizeof(ack), "%s/ack", dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(control, sizeof(control), "fifo:%s,%s", ctl, ack);
	if (mkfifo(ctl, 0600) || mkfifo(ack, 0600) || pipe2(out, O_CLOEXEC)) {
		ret = -errno;
		snprintf(err, len, "--perf-stat: %s", strerror(-ret));
		goto out;
	}
	ps->pid = fork();
	if (ps->pid < 0)
		ret = -errno;
	if (!ps->pid) {
		dup2(out[1], 2);
		execlp("perf", "perf", "stat", "-x,", "-e", "tlb:tlb_flush",
		       "-D", "-1", "--control", control, "-p", pid,
		       (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	ps->out = out[0];
	if (ps->pid < 0) {
		ps->pid = 0;
		snprintf(err, len, "--perf-stat: fork: %s", strerror(-ret));
		goto out;
	}
	/* Until perf has its fifos open (10 s), or has exited. */
	for (int i = 0;; i++) {
		ret = perf_ctl_open(ctl, ack, ps->fd);
		if (ret != -ENXIO)
			break;
		if (waitpid(ps->pid, NULL, WNOHANG) == ps->pid) {
			ps->pid = 0;
			ret = -ECHILD;
			break;
		}
		if (i == 1000) {
			ret = -ETIMEDOUT;
			break;
		}
		nap_ms(10);
	}
	if (!ret)
		ret = perf_ctl_command(ps->fd, "enable\n");
	if (ret)
		snprintf(err, len, "--perf-stat: perf stat %s",
			 ret == -ECHILD ? "exited at once (is perf installed? "
			 "Debian: linux-perf)" : strerror(-ret));
	/* A perf stat that did not start counting is ended, not left. */
	if (ret && ps->pid) {
		kill(ps->pid, SIGTERM);
		waitpid(ps->pid, NULL, 0);
		ps->pid = 0;
	}
	if (ret) {
		perf_ctl_close(ps->fd);
		if (ps->out >= 0)
			close(ps->out);
		ps->out = -1;
	}
out:
	unlink(ctl);
	unlink(ack);
	rmdir(dir);
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
