/*
 * Tracepoint ids come from tracefs (events/SYSTEM/EVENT/id).  If tracefs is
 * not mounted we mount it on a private temporary directory only while the
 * ids are read, with the terminating signals blocked, so a run never leaves
 * a mount behind.  Counting itself goes through perf_event_open and needs
 * no tracefs.  A user who may count but not read tracefs (its root is
 * 0700, the id files 0440 root:root) can name a directory holding the ids
 * in TLBBENCH_TRACEFS: a tracefs an administrator mounted readable, or a
 * copy of its events/SYSTEM/EVENT/id files.
 */
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "tracepoint.h"

/* The private mount points of tp_dir_enter(). */
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

/* Returns 0 or -errno; on error errno-style codes tell why. */
int tp_dir_enter(struct tp_dir *t)
{
	sigset_t block;
	const char *tmp = getenv("TMPDIR");

	const char *named = getenv(TP_DIR_ENV);

	t->mounted_here = false;
	t->named = named && *named;
	if (t->named) {
		snprintf(t->path, sizeof(t->path), "%s", named);
		return 0;
	}
	if (!find_mounted(t->path, sizeof(t->path)))
		return 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &t->saved_mask);

	snprintf(t->path, sizeof(t->path), "%s/" TRANSIENT_PREFIX "XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->path)) {
		int err = -errno;

		sigprocmask(SIG_SETMASK, &t->saved_mask, NULL);
		return err;
	}
	if (mount("nodev", t->path, "tracefs", 0, NULL)) {
		int err = -errno;

		rmdir(t->path);
		sigprocmask(SIG_SETMASK, &t->saved_mask, NULL);
		return err;
	}
	t->mounted_here = true;
	return 0;
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
	if (!f)
		return -errno;
	n = fscanf(f, "%lld", &id);
	fclose(f);
	if (n != 1 || id < 0)
		return -EINVAL;
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
	if (!t->mounted_here)
		return;
	if (umount2(t->path, MNT_DETACH))
		fprintf(stderr, "tlbbench: umount %s: %s\n", t->path,
			strerror(errno));
	else
		rmdir(t->path);
	t->mounted_here = false;
	sigprocmask(SIG_SETMASK, &t->saved_mask, NULL);
}
