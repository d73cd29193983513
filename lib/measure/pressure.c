/*
 * Memory pressure, and nothing left behind: the child cgroup is removed
 * (the process moved back first) on every exit path a process can catch,
 * SIGINT, SIGTERM and SIGHUP included; the hold is freed, or dies with the
 * process, and the process offers itself first to the OOM killer while it
 * holds memory others may need.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "measure.h"
#include "pressure.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define MIB		(1ULL << 20)
#define PAGE		4096ULL
/* What the hold leaves of MemAvailable: an eighth, at least this many
 * times the file, so that other work keeps room and our file competes. */
#define HEADROOM_SHARE	8
#define HEADROOM_FILES	8
/* The hold leaves free this share of the headroom, for the prime to
 * take (it may take twice that). */
#define PRIME_SHARE	8
#define OOM_FIRST	"1000"		/* oom_score_adj: kill this first */
#define CGROUP_NAME	"tlbbench-race"

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };

/* What the signal handler needs, set before the process moves. */
static char sig_home_procs[PATH_MAX + 16], sig_dir[PATH_MAX], sig_pid[24];
static volatile sig_atomic_t sig_armed;
static struct sigaction sig_old[sizeof(caught) / sizeof(caught[0])];

/* Back home and remove the child: async-signal-safe calls only. */
static int cgroup_leave(void)
{
	int fd = open(sig_home_procs, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, sig_pid, strlen(sig_pid));
	close(fd);
	if (n < 0)
		return -errno;
	return rmdir(sig_dir) ? -errno : 0;
}

static void on_signal(int sig)
{
	if (sig_armed) {
		sig_armed = 0;
		cgroup_leave();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(bool on)
{
	struct sigaction sa = { .sa_handler = on_signal };

	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		if (on)
			sigaction(caught[i], &sa, &sig_old[i]);
		else
			sigaction(caught[i], &sig_old[i], NULL);
	}
}

/* The value of "KEY value" in PATH (memory.stat, /proc/vmstat, meminfo). */
static int read_key(const char *path, const char *key,
		    unsigned long long *out)
{
	size_t len = strlen(key);
	char line[256];
	FILE *f = fopen(path, "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, len) ||
		    (line[len] != ' ' && line[len] != ':'))
			continue;
		*out = strtoull(line + len + 1, NULL, 10);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -errno : 0;
}

static bool has_word(const char *path, const char *word)
{
	char buf[512], *tok, *save;
	FILE *f = fopen(path, "re");
	bool found = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		for (tok = strtok_r(buf, " \n", &save); tok && !found;
		     tok = strtok_r(NULL, " \n", &save))
			found = !strcmp(tok, word);
	fclose(f);
	return found;
}

/* The cgroup v2 mount point, and the process's cgroup below it. */
static int cgroup2_home(char *mnt, size_t mlen, char *home, size_t hlen)
{
	char line[PATH_MAX + 256], root[PATH_MAX], point[PATH_MAX];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	bool found = false;

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");

		found = sep && !strncmp(sep + 3, "cgroup2 ", 8) &&
			sscanf(line, "%*d %*d %*s %4095s %4095s", root,
			       point) == 2 && !strcmp(root, "/");
	}
	fclose(f);
	if (!found)
		return -ENOENT;
	snprintf(mnt, mlen, "%s", point);
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = 0;
		found = true;
	}
	fclose(f);
	if (!found)
		return -ENOENT;
	if ((size_t)snprintf(home, hlen, "%s%s", point,
			     strcmp(line + 3, "/") ? line + 3 : "") >= hlen)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * The start time of process PID, in clock ticks after boot (field 22 of
 * /proc/PID/stat), or 0 when there is no such process: with the PID, it
 * names one process for good.
 */
static unsigned long long start_time(long pid)
{
	char path[64], buf[1024], *tok, *save, *p;
	unsigned long long t = 0;
	FILE *f;
	int field = 2;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	/* The command name, field 2, may hold anything but its ')'. */
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (!p)
		return 0;
	for (tok = strtok_r(p + 1, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		if (++field == 22) {
			t = strtoull(tok, NULL, 10);
			break;
		}
	return t;
}

void pressure_cgroup_name(char *buf, size_t len)
{
	snprintf(buf, len, "%s.%d.%llu", CGROUP_NAME, (int)getpid(),
		 start_time(getpid()));
}

/* Whether process PID is a tlbbench. */
static bool is_tlbbench(long pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	return !strcmp(comm, "tlbbench\n");
}

/*
 * Whether NAME is a reclaim cgroup whose tlbbench is gone.  Names carry
 * the PID and its start time; older ones only the PID, and count as
 * gone when that process is no tlbbench.
 */
static bool cgroup_stale(const char *name)
{
	size_t len = strlen(CGROUP_NAME);
	unsigned long long start;
	long pid;
	int n = 0;

	if (strncmp(name, CGROUP_NAME ".", len + 1) ||
	    name[len + 1] < '0' || name[len + 1] > '9')
		return false;
	name += len + 1;
	if (sscanf(name, "%ld.%llu%n", &pid, &start, &n) == 2 && !name[n])
		return start_time(pid) != start;
	n = 0;
	if (sscanf(name, "%ld%n", &pid, &n) == 1 && !name[n])
		return !is_tlbbench(pid);
	return false;
}

int pressure_sweep(const char *parent, FILE *say)
{
	char path[PATH_MAX + 256];
	struct dirent *e;
	DIR *d = opendir(parent);
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if ((e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) ||
		    !cgroup_stale(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, e->d_name);
		if (rmdir(path)) {
			if (say)
				fprintf(say, "tlbbench: cannot remove %s, left by a tlbbench that is gone: %s\n",
					path, strerror(errno));
			continue;
		}
		if (say)
			fprintf(say, "tlbbench: removed %s, left by a tlbbench that is gone\n",
				path);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * A child with memory.high under PARENT, or -errno (and in pr->why what
 * failed, beyond a missing controller).  The stale children of earlier
 * runs go first.
 */
static int cgroup_make(struct pressure *pr, const char *parent)
{
	char path[PATH_MAX + 32], name[96];
	struct stat st;
	int ret;

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", parent);
	if (!has_word(path, "memory"))
		return -ENOTSUP;
	pressure_sweep(parent, stderr);
	pressure_cgroup_name(name, sizeof(name));
	snprintf(pr->dir, sizeof(pr->dir), "%.*s/%s", PATH_MAX - 100,
		 parent, name);
	if (mkdir(pr->dir, 0755)) {
		ret = -errno;
		snprintf(pr->why, sizeof(pr->why), "mkdir %.90s: %s",
			 pr->dir, strerror(errno));
		return ret;
	}
	snprintf(path, sizeof(path), "%s/memory.high", pr->dir);
	if (stat(path, &st)) {
		rmdir(pr->dir);
		return -ENOTSUP;
	}
	return 0;
}

/* Into a child cgroup of our own, or of the root; -errno if neither. */
static int cgroup_enter(struct pressure *pr)
{
	char mnt[PATH_MAX];
	const char *parents[2];
	int ret;

	ret = cgroup2_home(mnt, sizeof(mnt), pr->home, sizeof(pr->home));
	if (ret)
		return ret;
	parents[0] = pr->home;
	parents[1] = mnt;
	for (int i = 0; i < 2; i++) {
		ret = cgroup_make(pr, parents[i]);
		if (!ret)
			break;
	}
	if (ret)
		return ret;
	snprintf(sig_home_procs, sizeof(sig_home_procs), "%s/cgroup.procs",
		 pr->home);
	snprintf(sig_dir, sizeof(sig_dir), "%s", pr->dir);
	snprintf(sig_pid, sizeof(sig_pid), "%d", (int)getpid());
	catch_signals(true);
	sig_armed = 1;
	ret = write_file(pr->dir, "cgroup.procs", sig_pid);
	if (ret) {
		sig_armed = 0;
		catch_signals(false);
		rmdir(pr->dir);
		return ret;
	}
	pr->entered = true;
	pr->cgroup = true;
	snprintf(pr->stat, sizeof(pr->stat), "%.*s/memory.stat",
		 PATH_MAX - 16, pr->dir);
	pr->key = "pgsteal";
	return 0;
}

static void *map_anon(size_t size, int advice)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, size, advice);
	return p;
}

/*
 * Before the file is created, so that a cgroup is charged with its page
 * cache: enter a cgroup, or check there is memory for a hold.  A zap's
 * burst is the file's size: half of it must be reclaimed in a cgroup.
 */
int pressure_start(struct pressure *pr, size_t file_size, bool may_hold,
		   char *err, size_t errlen)
{
	unsigned long long avail = 0, total = 0, free = 0, headroom;
	int cg;

	memset(pr, 0, sizeof(*pr));
	pr->window_size = file_size & ~(PAGE - 1);
	pr->burst_size = pr->window_size;
	cg = cgroup_enter(pr);
	if (!cg)
		return 0;
	if (!pr->why[0])
		snprintf(pr->why, sizeof(pr->why), "%s",
			 cg == -ENOTSUP ? "no memory controller in cgroup.subtree_control" :
			 cg == -ENOENT ? "no cgroup v2 mount" : strerror(-cg));
	if (read_key("/proc/meminfo", "MemAvailable", &avail) ||
	    read_key("/proc/meminfo", "MemTotal", &total) ||
	    read_key("/proc/meminfo", "MemFree", &free)) {
		snprintf(err, errlen, "--attack reclaim: /proc/meminfo: no MemAvailable, MemTotal or MemFree");
		return -EINVAL;
	}
	avail <<= 10;
	total <<= 10;
	free <<= 10;
	headroom = total / HEADROOM_SHARE;
	if (headroom < HEADROOM_FILES * file_size)
		headroom = HEADROOM_FILES * file_size;
	if (avail < 2 * headroom) {
		snprintf(err, errlen,
			 "--attack reclaim: no writable cgroup v2 memory controller (%s), and %llu MiB available is too little for a hold (%llu MiB needed)",
			 pr->why, avail / MIB, 2 * headroom / MIB);
		return -EINVAL;
	}
	/*
	 * Free memory, not others' cache, and clear of the watermarks, so
	 * that it fills fast: the prime takes the rest, the bursts reclaim.
	 */
	pr->headroom = headroom;
	pr->hold_size = avail - headroom;
	if (free < headroom / PRIME_SHARE)
		pr->hold_size = 0;
	else if (free - headroom / PRIME_SHARE < pr->hold_size)
		pr->hold_size = free - headroom / PRIME_SHARE;
	pr->hold_size &= ~(PAGE - 1);
	/* Most of the machine's memory is not taken without asking. */
	if (!may_hold) {
		snprintf(err, errlen,
			 "--attack reclaim: no writable cgroup v2 memory controller (%s): the alternative holds %zu MiB of this machine's %llu MiB; --hold-memory allows it",
			 pr->why, pr->hold_size >> 20, total / MIB);
		return -EINVAL;
	}
	fprintf(stderr, "tlbbench: --attack reclaim: no writable cgroup v2 memory controller (%s): holding %zu MiB of %llu MiB instead (--hold-memory)\n",
		pr->why, pr->hold_size >> 20, total / MIB);
	snprintf(pr->stat, sizeof(pr->stat), "/proc/vmstat");
	pr->key = "pgsteal_file";
	return 0;
}

/* A file holding one number (memory.current, oom_score_adj). */
static int read_number(const char *path, long long *out)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (fscanf(f, "%lld", out) != 1)
		ret = -EIO;
	fclose(f);
	return ret;
}

/* A cgroup's limit: what it holds now and half the burst more. */
static int cgroup_arm(struct pressure *pr, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], text[32];
	long long cur;
	int ret;

	snprintf(path, sizeof(path), "%s/memory.current", pr->dir);
	ret = read_number(path, &cur);
	if (ret) {
		snprintf(err, errlen, "reading %s: %s", path, strerror(-ret));
		return ret;
	}
	pr->limit = cur + pr->burst_size / 2;
	snprintf(text, sizeof(text), "%llu", pr->limit);
	/* memory.high reclaims and throttles; unlike memory.max it never
	 * calls the OOM killer. */
	ret = write_file(pr->dir, "memory.high", text);
	if (ret)
		snprintf(err, errlen, "setting %s/memory.high: %s", pr->dir,
			 strerror(-ret));
	return ret;
}

/*
 * The hold takes the free memory but an eighth of the headroom, leaving
 * at least the headroom of what the system has available.  The burst
 * region has a window's part, touched during each zap and released after
 * it, and below it up to a quarter of the headroom, to take what is free
 * over the high watermarks before each zap (pressure_prime): the window's
 * part cannot then be had without reclaim.
 */
static int hold_arm(struct pressure *pr, char *err, size_t errlen)
{
	unsigned long long t0;
	long long old;
	int ret;

	ret = read_number("/proc/self/oom_score_adj", &old);
	if (!ret) {
		snprintf(pr->old_oom, sizeof(pr->old_oom), "%lld", old);
		ret = write_file("/proc/self", "oom_score_adj", OOM_FIRST);
	}
	if (ret) {
		pr->old_oom[0] = 0;
		snprintf(err, errlen, "oom_score_adj: %s", strerror(-ret));
		return ret;
	}
	pr->burst_size = 2 * pr->headroom / PRIME_SHARE + pr->window_size;
	if (!pr->hold_size)
		return 0;
	/* Huge pages fill fastest, and the hold stays clear of the
	 * watermarks, where their faults would compact. */
	pr->hold = map_anon(pr->hold_size, MADV_HUGEPAGE);
	t0 = now_ns();
	if (!pr->hold ||
	    madvise(pr->hold, pr->hold_size, MADV_POPULATE_WRITE)) {
		ret = -errno;
		snprintf(err, errlen, "holding %zu MiB: %s",
			 pr->hold_size >> 20, strerror(errno));
		return ret;
	}
	pr->fill_ns = now_ns() - t0;
	return 0;
}

/* Once the file is in the page cache: the limit or the hold, a burst. */
int pressure_arm(struct pressure *pr, char *err, size_t errlen)
{
	int ret = pr->cgroup ? cgroup_arm(pr, err, errlen) :
			       hold_arm(pr, err, errlen);

	if (ret)
		return ret;
	if (pr->burst_size < pr->window_size)
		pr->burst_size = pr->window_size;
	pr->burst_size &= ~(PAGE - 1);
	pr->burst = map_anon(pr->burst_size, MADV_NOHUGEPAGE);
	if (!pr->burst) {
		ret = -errno;
		snprintf(err, errlen, "mapping a %zu MiB burst: %s",
			 pr->burst_size >> 20, strerror(errno));
	}
	return ret;
}

/* The high watermarks of all zones, in bytes. */
static unsigned long long high_watermarks(void)
{
	unsigned long long sum = 0, v;
	char line[256];
	FILE *f = fopen("/proc/zoneinfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " high %llu", &v) == 1)
			sum += v * PAGE;
	fclose(f);
	return sum;
}

/* Without a cgroup: take what is free above the high watermarks. */
int pressure_prime(struct pressure *pr)
{
	unsigned long long free_kb, high = high_watermarks(), want;
	size_t room = pr->burst_size - pr->window_size - pr->primed;

	if (pr->cgroup || !high || read_key("/proc/meminfo", "MemFree",
					    &free_kb))
		return 0;
	if ((free_kb << 10) <= high)
		return 0;
	want = ((free_kb << 10) - high) & ~(PAGE - 1);
	if (want > room)
		want = room;
	if (!want)
		return 0;
	if (madvise(pr->burst + pr->primed, want, MADV_POPULATE_WRITE))
		return -errno;
	pr->primed += want;
	return 0;
}

/* Touch part I of N of the window's part: reclaim must make room. */
int pressure_burst(struct pressure *pr, unsigned i, unsigned n)
{
	size_t part = (pr->window_size / n) & ~(PAGE - 1);
	size_t len = i == n - 1 ? pr->window_size - i * part : part;

	if (!len)
		return 0;
	return madvise(pr->burst + pr->primed + i * part, len,
		       MADV_POPULATE_WRITE) ? -errno : 0;
}

void pressure_release(struct pressure *pr)
{
	madvise(pr->burst + pr->primed, pr->window_size, MADV_DONTNEED);
}

/* Pages reclaimed so far: in the cgroup, or of files system-wide. */
int pressure_reclaimed(const struct pressure *pr, unsigned long long *out)
{
	return read_key(pr->stat, pr->key, out);
}

void pressure_stop(struct pressure *pr)
{
	if (pr->burst)
		munmap(pr->burst, pr->burst_size);
	if (pr->hold)
		munmap(pr->hold, pr->hold_size);
	if (pr->old_oom[0])
		write_file("/proc/self", "oom_score_adj", pr->old_oom);
	if (pr->entered) {
		int ret;

		sig_armed = 0;
		ret = cgroup_leave();
		if (ret)
			fprintf(stderr, "tlbbench: removing cgroup %s: %s\n",
				pr->dir, strerror(-ret));
		catch_signals(false);
	}
	memset(pr, 0, sizeof(*pr));
}
