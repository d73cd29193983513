/*
 * exit: a child process maps and dirties the region with its threads, then
 * exits; the window runs from telling it to exit to reaping it.  The zap
 * then happens in exit_mmap() with a "fullmm" mmu_gather, the control for
 * the per-table flushes of munmap.  The child's other mappings (a copy of
 * ours) are torn down in the same window.  Each repetition is a new
 * child, so the counters are reopened for its threads after it is ready.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "workload.h"

struct exit_ready {
	int err;			/* 0, or -errno from the child */
	char msg[OPTIONS_ERR_MAX];
	struct smaps_vma seen;
	char populate[64];
	int ntids;			/* the child's threads, to count: */
};					/* their ids follow */

/*
 * Counters per thread cannot count an exit: do_exit() stops a task's perf
 * events (perf_event_exit_task()) before it drops the mm, so the last
 * thread's exit_mmap() runs uncounted.
 */
static const char blind[] =
	"an exiting thread's counters stop before exit_mmap() runs";

struct exit_state {
	pid_t child;
	int go;				/* write end: tell the child to exit */
};

static int exit_setup(struct bench *b)
{
	static struct exit_state st = { .child = -1, .go = -1 };

	b->priv = &st;
	return region_create(&b->region, &b->p, b->err, sizeof(b->err));
}

static void write_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0 && errno != EINTR)
			return;
		if (n > 0) {
			buf = (const char *)buf + n;
			len -= n;
		}
	}
}

/* Read LEN bytes unless the writer ends first; how many were read. */
static size_t read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/*
 * The child keeps only the files it uses (standard ones, its two pipes,
 * the backing): the counters it inherited from us would otherwise be
 * released by its exit, after exit_mmap() but before it is reaped,
 * inside the measured window, and the release of a kprobe event waits
 * for an RCU grace period (perf_kprobe_destroy()).
 */
static void close_inherited(int ready, int go, int backing)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd <= 2 || fd == ready ||
		    fd == go || fd == backing || fd == dirfd(d))
			continue;
		close(fd);
	}
	closedir(d);
}

/* The child: set up like munmap does, report, wait, exit. */
static void __attribute__((noreturn)) child(struct bench *b, int ready,
					   int go)
{
	struct exit_ready msg;
	char c;
	int ret;

	memset(&msg, 0, sizeof(msg));
	close_inherited(ready, go, b->region.fd);
	ret = team_start(&b->team, b->p.cpus.cpu + 1, b->p.threads - 1);
	b->tids[0] = gettid();
	if (!ret)
		ret = bench_region_prepare(b);
	else
		snprintf(b->err, sizeof(b->err), "starting threads: %s",
			 strerror(-ret));
	msg.err = ret;
	memcpy(msg.msg, b->err, sizeof(msg.msg));
	memcpy(b->tids + 1, b->team.tid_of, b->team.n * sizeof(int));
	msg.ntids = b->team.n + 1;
	msg.seen = b->seen;
	snprintf(msg.populate, sizeof(msg.populate), "%s",
		 b->region.populate ? b->region.populate : "none");
	write_all(ready, &msg, sizeof(msg));
	write_all(ready, b->tids, msg.ntids * sizeof(int));
	if (!ret)
		while (read(go, &c, 1) < 0 && errno == EINTR)
			;
	_exit(ret ? 1 : 0);
}

static int exit_prepare(struct bench *b)
{
	struct exit_state *st = b->priv;
	static char populate[64];
	struct exit_ready msg;
	int ready[2], go[2];
	size_t n;

	if (pipe2(ready, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
		snprintf(b->err, sizeof(b->err), "pipe: %s", strerror(errno));
		return -errno;
	}
	st->child = fork();
	if (st->child < 0) {
		snprintf(b->err, sizeof(b->err), "fork: %s", strerror(errno));
		return -errno;
	}
	if (!st->child) {
		close(ready[0]);
		close(go[1]);
		child(b, ready[1], go[0]);
	}
	close(ready[1]);
	close(go[0]);
	st->go = go[1];
	n = read_all(ready[0], &msg, sizeof(msg));
	if (n == sizeof(msg) && !msg.err &&
	    (msg.ntids < 1 || msg.ntids > (int)b->p.threads ||
	     read_all(ready[0], b->tids, msg.ntids * sizeof(int)) !=
		     msg.ntids * sizeof(int)))
		n = 0;
	close(ready[0]);
	if (n != sizeof(msg) || msg.err) {
		snprintf(b->err, sizeof(b->err), "child: %.*s",
			 (int)sizeof(b->err) - 8,
			 n == sizeof(msg) ? msg.msg : "died during set-up");
		return n == sizeof(msg) ? msg.err : -ECHILD;
	}
	b->seen = msg.seen;
	b->ntids = msg.ntids;
	b->tids_changed = true;
	memcpy(populate, msg.populate, sizeof(populate));
	b->region.populate = populate;
	zap_shape_of_region(&b->p, &b->seen, &b->zap);
	b->zap_set = true;
	return 0;
}

static int exit_op(struct bench *b)
{
	struct exit_state *st = b->priv;
	int status;

	close(st->go);
	st->go = -1;
	while (waitpid(st->child, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(b->err, sizeof(b->err), "waitpid: %s",
				 strerror(errno));
			return -errno;
		}
	}
	st->child = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(b->err, sizeof(b->err), "child ended with status %#x",
			 status);
		return -ECHILD;
	}
	b->ops = 1;
	return 0;
}

static void exit_teardown(struct bench *b)
{
	struct exit_state *st = b->priv;

	if (st->go >= 0)
		close(st->go);
	if (st->child > 0) {
		kill(st->child, SIGKILL);
		waitpid(st->child, NULL, 0);
	}
	region_destroy(&b->region);
}

static int exit_check(const struct params *p, char *err, size_t errlen)
{
	if (p->scope != SCOPE_PROCESS)
		return 0;
	snprintf(err, errlen, "--scope: process cannot count exit: %s", blind);
	return -EINVAL;
}

const struct workload workload_exit = {
	.name		= "exit",
	.summary	= "exit of a child process that dirtied the region with its threads (fullmm)",
	.options	= OPTS_REGION,
	.setup		= exit_setup,
	.prepare	= exit_prepare,
	.op		= exit_op,
	.teardown	= exit_teardown,
	.check		= exit_check,
	.per_thread_blind = blind,
};
