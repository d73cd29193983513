/*
 * Tracepoint ids come from tracefs (events/SYSTEM/EVENT/id).  If tracefs is
 * not mounted, a child process mounts it in a mount namespace of its own,
 * and the ids are read through /proc/CHILD/root while it waits: nobody
 * else ever sees the mount, and it is gone with the child, which dies with
 * us even on SIGKILL.  Counting itself goes through perf_event_open and
 * needs no tracefs.  A user who may count but not read tracefs (its root is
 * 0700, the id files 0440 root:root) can name a directory holding the ids
 * in TLBBENCH_TRACEFS: a tracefs an administrator mounted readable, or a
 * copy of its events/SYSTEM/EVENT/id files.
 */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracepoint.h"

/* Where tracefs goes in the child's namespace: the kernel's own place. */
#define TRACEFS_DIR "/sys/kernel/tracing"

/* Mount points of earlier versions: a mount of a moment, skipped. */
#define TRANSIENT_PREFIX "tlbbench-tracefs."

static int find_mounted(char *path, size_t len)
{
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *m;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while ((m = getmntent(f))) {
		/* Another run's mount of a moment: it may go any time. */
		if (strstr(m->mnt_dir, "/" TRANSIENT_PREFIX))
			continue;
		if (!strcmp(m->mnt_type, "tracefs")) {
			snprintf(path, len, "%s", m->mnt_dir);
			err = 0;
			break;
		}
		if (!strcmp(m->mnt_type, "debugfs")) {
			char p[4096];

			snprintf(p, sizeof(p), "%s/tracing/events",
				 m->mnt_dir);
			if (!access(p, R_OK)) {
				snprintf(path, len, "%s/tracing", m->mnt_dir);
				err = 0;
			}
		}
	}
	endmntent(f);
	return err;
}

/*
 * The filter of one tracepoint: BASE (may be NULL) and, when counting only
 * some threads, their ids.  A flush is traced in the context of the thread
 * that starts it (reasons 3, 4, the IPI and csd events) or of the thread
 * running where it lands (reason 1: a helper spinning on the mm), so with
 * the workload's thread ids other processes' flushes stay out.  The
 * kernel takes one filter per event, at most once: it is set at open.
 * BASE is one predicate, left bare: the parser refuses a function-address
 * predicate ("func.function == ...") inside parentheses.
 */
char *tp_filter(const char *base, const int *tids, int n)
{
	size_t len = 256 + (size_t)n * 32, off = 0;
	char *f = malloc(len);

	if (!f)
		return NULL;
	f[0] = '\0';
	if (base)
		off += snprintf(f, len, n ? "%s && (" : "%s", base);
	for (int i = 0; i < n; i++)
		off += snprintf(f + off, len - off, "%scommon_pid == %d",
				i ? " || " : "", tids[i]);
	if (base && n)
		snprintf(f + off, len - off, ")");
	if (!f[0]) {
		free(f);
		return NULL;
	}
	return f;
}

/*
 * The child of mount_in_child(): its own mount namespace, private so that
 * nothing propagates out, tracefs on TRACEFS_DIR, then wait to be killed.
 * Only system calls here: the parent may have threads.
 */
static void __attribute__((noreturn)) hold_mount(int fd, pid_t parent)
{
	int err = 0;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("nodev", TRACEFS_DIR, "tracefs", 0, NULL))
		err = errno;
	if (write(fd, &err, sizeof(err)) != sizeof(err) || err)
		_exit(1);
	for (;;)
		pause();
}

/* Mount tracefs where only a child of ours sees it; 0 or -errno. */
static int mount_in_child(struct tp_dir *t)
{
	pid_t parent = getpid(), pid;
	int fds[2], err = 0;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (!pid)
		hold_mount(fds[1], parent);
	close(fds[1]);
	n = read(fds[0], &err, sizeof(err));
	close(fds[0]);
	if (n != sizeof(err) || err) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return n == sizeof(err) ? -err : -ECHILD;
	}
	t->child = pid;
	snprintf(t->path, sizeof(t->path), "/proc/%d/root" TRACEFS_DIR,
		 (int)pid);
	return 0;
}

/* Returns 0 or -errno; on error errno-style codes tell why. */
int tp_dir_enter(struct tp_dir *t)
{
	const char *named = getenv(TP_DIR_ENV);

	t->child = 0;
	t->named = named && *named;
	if (t->named) {
		snprintf(t->path, sizeof(t->path), "%s", named);
		return 0;
	}
	if (!find_mounted(t->path, sizeof(t->path)))
		return 0;
	return mount_in_child(t);
}

/* Why tp_dir_enter() failed with ERR, as a counter's note. */
void tp_dir_why(int err, char *buf, size_t len)
{
	if (err == -EPERM || err == -EACCES)
		snprintf(buf, len, "tracepoint ids: tracefs is not mounted and "
			 "mounting it needs root (CAP_SYS_ADMIN); or name a "
			 "readable copy in " TP_DIR_ENV);
	else
		snprintf(buf, len, "tracepoint ids: mounting tracefs: %s",
			 strerror(-err));
}

/*
 * Ids read in this process, and the events the kernel does not have
 * (-ENOENT): they do not change while it runs.  Counters opened again for
 * each repetition (exit: a new child each time) need no tracefs, and no
 * process to hold it, after the first time: a fork while the workload's
 * child lived changed how 6.1 accounted that child's exit flushes.
 */
#define KNOWN_MAX 16
static struct {
	char name[128];
	long long id;
} known[KNOWN_MAX];
static int nknown;

/* A kept id of SYSTEM:EVENT (or -ENOENT), or 0 when never read. */
long long tp_known_id(const char *system, const char *event)
{
	char name[128];

	snprintf(name, sizeof(name), "%s:%s", system, event);
	for (int i = 0; i < nknown; i++)
		if (!strcmp(known[i].name, name))
			return known[i].id;
	return 0;
}

static void keep_id(const char *system, const char *event, long long id)
{
	if (nknown == KNOWN_MAX || tp_known_id(system, event))
		return;
	snprintf(known[nknown].name, sizeof(known[nknown].name), "%s:%s",
		 system, event);
	known[nknown++].id = id;
}

/*
 * The id of SYSTEM:EVENT, or -errno: -ENOENT when the kernel has no such
 * event, -EACCES when tracefs is not readable to us.
 */
long long tp_event_id(const struct tp_dir *t, const char *system,
			   const char *event)
{
	char path[8192];
	long long id;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/events/%s/%s/id", t->path, system,
		 event);
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !t->named)
			keep_id(system, event, -ENOENT);
		return -errno;
	}
	n = fscanf(f, "%lld", &id);
	fclose(f);
	if (n != 1 || id < 0)
		return -EINVAL;
	keep_id(system, event, id);
	return id;
}

/* Why tp_event_id() failed with ERR, as a counter's note. */
void tp_id_why(const struct tp_dir *t, int err, const char *system,
	       const char *event, char *buf, size_t len)
{
	if (t->named)
		snprintf(buf, len, "tracepoint ids: %.200s/events/%s/%s/id "
			 "(" TP_DIR_ENV "): %s", t->path, system, event,
			 strerror(-err));
	else if (err == -ENOENT)
		snprintf(buf, len, "no tracepoint %s:%s in this kernel",
			 system, event);
	else if (err == -EACCES || err == -EPERM)
		snprintf(buf, len, "tracepoint ids: %.200s is not readable: "
			 "needs root, CAP_DAC_READ_SEARCH or tracefs mounted "
			 "with gid=GROUP,mode=0750; or name a readable copy "
			 "in " TP_DIR_ENV, t->path);
	else
		snprintf(buf, len, "tracepoint ids: %.200s/events/%s/%s/id: %s",
			 t->path, system, event, strerror(-err));
}

void tp_dir_leave(struct tp_dir *t)
{
	if (!t->child)
		return;
	kill(t->child, SIGKILL);
	waitpid(t->child, NULL, 0);
	t->child = 0;
}

/*
 * The record at TAIL of a sampled event's ring whose data area DATA is
 * SIZE bytes: its header in *HD, and the record whole, copied into COPY
 * (room for the largest record) where it wraps past the end; NULL for a
 * header too short to be one, where a reader must stop rather than spin.
 */
const char *perf_ring_record(const char *data, uint64_t size, uint64_t tail,
			     char *copy, struct perf_event_header *hd)
{
	uint64_t at = tail % size;
	const char *rec = data + at;

	if (at + sizeof(*hd) <= size) {
		memcpy(hd, rec, sizeof(*hd));
	} else {
		memcpy(hd, rec, size - at);
		memcpy((char *)hd + (size - at), data,
		       sizeof(*hd) - (size - at));
	}
	if (hd->size < sizeof(*hd))
		return NULL;	/* cannot happen */
	if (at + hd->size > size) {
		memcpy(copy, rec, size - at);
		memcpy(copy + (size - at), data, hd->size - (size - at));
		rec = copy;
	}
	return rec;
}
