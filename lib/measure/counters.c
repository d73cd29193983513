/*
 * Counting is system wide: the flushes a zap causes are sent from one CPU
 * and received on the others, so every online CPU gets one tracepoint group
 * (pid -1) that is read with a single read().  Reading a remote CPU's group
 * costs an IPI, so the windows are read remote-first before and local-first
 * after: those IPIs are sent outside the counted window of the local CPU.
 *
 * --scope process counts per thread instead (pid = the thread, cpu = -1):
 * what the kernel allows without CAP_PERFMON.  A flush is traced in the
 * context of the thread that sends it, and a shootdown in the context of
 * the thread running where it lands, so the workload's threads (helpers
 * spin on their CPUs) see the same events as the per-CPU groups filtered
 * on their ids.  A thread pinned to one CPU adds its counts to that CPU's
 * column, so the counts per CPU keep their meaning.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "counters.h"
#include "pmu.h"
#include "procfs.h"
#include "tlb_reasons.h"
#include "tracepoint.h"

#define REASON_COUNTER(value, name) \
	{ "tlb_flush." #name, "tlb", "tlb_flush", "reason == " #value, true },

/* The fixed counters, in output order.  Names are used downstream. */
static const struct {
	const char *name, *system, *event, *filter;
	bool x86;			/* what it counts is x86's */
} tp_table[] = {
	TLB_FLUSH_REASONS(REASON_COUNTER)
	{ "tlb_flush.total", "tlb", "tlb_flush", NULL, true },
	{ "ipi.send_cpu", "ipi", "ipi_send_cpu", NULL, false },
	{ "ipi.send_cpumask", "ipi", "ipi_send_cpumask", NULL, false },
	/* Only TLB-flush callbacks; other csd work is not ours. */
	{ "csd.queue_cpu", "csd", "csd_queue_cpu",
	  "func.function == flush_tlb_func", true },
};

static long perf_open(struct perf_event_attr *attr,
		      const struct counter_slot *s, int group)
{
	return syscall(SYS_perf_event_open, attr, s->pid, s->cpu, group,
		       PERF_FLAG_FD_CLOEXEC);
}

static struct counter *add_counter(struct counters *cs, const char *name,
				   enum counter_kind kind)
{
	struct counter *c = &cs->c[cs->n++];

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->kind = kind;
	c->group_idx = -1;
	return c;
}

/* perf_event_paranoid, or INT_MIN when it cannot be read. */
static int paranoid(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int level = INT_MIN;

	if (f) {
		if (fscanf(f, "%d", &level) != 1)
			level = INT_MIN;
		fclose(f);
	}
	return level;
}

/* FMT with perf_event_paranoid's value into BUF, or "" when unknown. */
static const char *paranoid_text(const char *fmt, char *buf, size_t len)
{
	int level = paranoid();

	if (level == INT_MIN)
		buf[0] = '\0';
	else
		snprintf(buf, len, fmt, level);
	return buf;
}

/*
 * Whether the kernel lets us count kernel events of PID on CPU: 0 or
 * -errno.  A software event needs no tracefs id and passes the checks a
 * counting tracepoint does (CAP_PERFMON or perf_event_paranoid: <= 0 on a
 * CPU, <= 1 for kernel events of our own threads).
 */
static int may_count(int pid, int cpu)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_DUMMY;
	attr.disabled = 1;
	fd = syscall(SYS_perf_event_open, &attr, pid, cpu, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static bool refused(int ret)
{
	return ret == -EACCES || ret == -EPERM;
}

/* Each refusal is said once on stderr per run, not per reopening. */
static bool said_fallback, said_refused;

/*
 * Per-CPU events refused: count per process instead, and say why once.
 * Per process refused as well: say that too, so no one reads the missing
 * tracepoint counts as zeros.
 */
static void fall_back(struct counters *cs)
{
	char is[64];

	if (cs->scope != SCOPE_PROCESS &&
	    refused(may_count(-1, cs->cpus.cpu[0]))) {
		cs->scope = SCOPE_PROCESS;
		snprintf(cs->fallback, sizeof(cs->fallback),
			 "system-wide counting needs root or CAP_PERFMON%s: "
			 "counting per process", paranoid_text(
			 " (perf_event_paranoid=%d)", is, sizeof(is)));
		if (!said_fallback)
			fprintf(stderr, "tlbbench: %s\n", cs->fallback);
		said_fallback = true;
	}
	if (cs->scope == SCOPE_PROCESS && refused(may_count(0, -1))) {
		snprintf(cs->refused, sizeof(cs->refused), "counting kernel "
			 "events per process needs root, CAP_PERFMON or "
			 "perf_event_paranoid <= 1%s", paranoid_text(
			 " (it is %d)", is, sizeof(is)));
		if (!said_refused)
			fprintf(stderr, "tlbbench: %s: no tracepoint is "
				"counted\n", cs->refused);
		said_refused = true;
	}
}

/* The note of an event the kernel refused on slot S. */
static void open_error(const struct counter_slot *s, int err, char *buf,
		       size_t len)
{
	const char *hint = "";
	char where[32], is[64], bound[160];

	if (s->pid < 0)
		snprintf(where, sizeof(where), "cpu %d", s->cpu);
	else	/* thread ids mean nothing in a record */
		snprintf(where, sizeof(where), "per thread");
	switch (err) {
	case EACCES:
	case EPERM:
		snprintf(bound, sizeof(bound), " (needs root or CAP_PERFMON, "
			 "or perf_event_paranoid <= %d%s)", s->pid < 0 ? 0 : 1,
			 paranoid_text(", it is %d", is, sizeof(is)));
		hint = bound;
		break;
	case ENOENT:
	case EOPNOTSUPP:
		hint = " (the PMU does not provide it; virtual machine?)";
		break;
	case EMFILE: {
		struct rlimit r;

		if (getrlimit(RLIMIT_NOFILE, &r))
			break;
		snprintf(bound, sizeof(bound), " (the limit on open files is "
			 "%llu, the hard limit: ulimit -Hn)",
			 (unsigned long long)r.rlim_cur);
		hint = bound;
		break;
	}
	}
	snprintf(buf, len, "perf_event_open %s: %s%s", where, strerror(err),
		 hint);
}

/*
 * Open the event ATTR (a tracepoint or a kprobe) on every slot as a member
 * of the slot's group, filtered by BASE and, per CPU, by the threads.
 */
static int open_member(struct counters *cs, struct counter *c,
		       struct perf_event_attr attr, const char *base)
{
	bool leader = cs->group_size == 0;
	/* Per-thread events need no filter on the threads. */
	char *filter = tp_filter(base, cs->tids,
				 cs->scope == SCOPE_THREADS ? cs->ntids : 0);
	int ret = 0;

	attr.size = sizeof(attr);
	attr.disabled = leader;
	if (leader)
		attr.read_format = PERF_FORMAT_GROUP;
	if (!c->fd && !(c->fd = malloc((cs->nslots ? cs->nslots : 1) *
				       sizeof(int))))
		return -ENOMEM;
	for (int k = 0; k < cs->nslots; k++)
		c->fd[k] = -1;

	for (int k = 0; k < cs->nslots; k++) {
		struct counter_slot *s = &cs->slot[k];
		int fd = perf_open(&attr, s, leader ? -1 : s->leader);

		if (fd < 0) {
			int err = errno;

			open_error(s, err, c->note, sizeof(c->note));
			/* Members already opened on earlier slots stay in
			 * their groups; a partial member cannot be undone. */
			ret = k ? -EIO : -err;
			goto out;
		}
		if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter)) {
			int err = errno;

			close(fd);
			snprintf(c->note, sizeof(c->note),
				 "filter '%.200s' refused: %s", filter,
				 strerror(err));
			ret = k ? -EIO : -EINVAL;
			goto out;
		}
		c->fd[k] = fd;
		if (leader)
			s->leader = fd;
	}
	c->group_idx = cs->group_size++;
	c->supported = true;
	if (base)
		snprintf(c->note, sizeof(c->note), "filter: %s", base);
out:
	free(filter);
	return ret;
}

static int open_tracepoint(struct counters *cs, struct counter *c,
			   long long id, const char *base)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = id;
	return open_member(cs, c, attr, base);
}

/* Every id read before (tp_event_id() keeps them): no tracefs needed. */
static bool tp_ids_known(void)
{
	for (size_t i = 0; i < sizeof(tp_table) / sizeof(tp_table[0]); i++)
		if (!tp_known_id(tp_table[i].system, tp_table[i].event))
			return false;
	return true;
}

static int open_tracepoints(struct counters *cs, char *err, int errlen)
{
	struct tp_dir dir = { .child = 0 };
	bool known = tp_ids_known();
	const char *why = NULL;
	char buf[COUNTER_NOTE_MAX];
	int ret;

	if (!cs->nslots) {
		why = "counting per process: the workload named no thread";
	} else if (!known && (ret = tp_dir_enter(&dir))) {
		tp_dir_why(ret, buf, sizeof(buf));
		/* The ids are not all that is missing. */
		if (cs->refused[0])
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "; %.200s", cs->refused);
		why = buf;
	}
	for (size_t i = 0; i < sizeof(tp_table) / sizeof(tp_table[0]); i++) {
		struct counter *c = add_counter(cs, tp_table[i].name,
						COUNTER_TRACEPOINT);
		long long id;

		if (why) {
			snprintf(c->note, sizeof(c->note), "%s", why);
			continue;
		}
		if (tp_table[i].x86 && !TP_TLB_TRACED) {
			snprintf(c->note, sizeof(c->note), "%s:%s%s%s: %s",
				 tp_table[i].system, tp_table[i].event,
				 tp_table[i].filter ? " with " : "",
				 tp_table[i].filter ? tp_table[i].filter : "",
				 TP_NOT_TRACED_WHY);
			continue;
		}
		id = known ? tp_known_id(tp_table[i].system, tp_table[i].event)
			   : tp_event_id(&dir, tp_table[i].system,
					 tp_table[i].event);
		if (id < 0) {
			tp_id_why(&dir, id, tp_table[i].system,
				  tp_table[i].event, c->note, sizeof(c->note));
			if (id != -ENOENT && cs->refused[0])
				snprintf(c->note + strlen(c->note),
					 sizeof(c->note) - strlen(c->note),
					 "; %.200s", cs->refused);
			continue;
		}
		ret = open_tracepoint(cs, c, id, tp_table[i].filter);
		/* csd without its filter still counts TLB IPIs, plus others. */
		if (ret == -EINVAL && tp_table[i].filter &&
		    !strcmp(tp_table[i].system, "csd")) {
			char refused[COUNTER_NOTE_MAX];

			snprintf(refused, sizeof(refused), "%s", c->note);
			ret = open_tracepoint(cs, c, id, NULL);
			if (!ret)
				snprintf(c->note, sizeof(c->note),
					 "all callbacks, not only TLB flushes (%.200s)",
					 refused);
		}
		if (ret == -EIO) {
			snprintf(err, errlen, "%s: %s", c->name, c->note);
			tp_dir_leave(&dir);
			return -EIO;
		}
	}
	if (!why)
		tp_dir_leave(&dir);
	return 0;
}

/*
 * Flush points counted by kprobe, whatever the flush becomes (IPIs,
 * INVLPGB, TLBI broadcast, a local flush): every mmu_gather flush, and on
 * x86 every flush request and every reclaim/migration batch.  Then the
 * page tables a design of kernels/patches zapped dirty without a forced
 * flush, or fell back to one (6.12-deferred-dirty-locked); other kernels
 * have no such symbols.
 */
static const struct {
	const char *name, *symbol;
} kp_table[] = {
	{ "kprobe.tlb_flush_mmu", "tlb_flush_mmu" },
	{ "kprobe.flush_tlb_mm_range", "flush_tlb_mm_range" },
	{ "kprobe.arch_tlbbatch_flush", "arch_tlbbatch_flush" },
	{ "kprobe.zap_dirty_table_batched", "zap_dirty_table_batched" },
	{ "kprobe.zap_dirty_table_fallback", "zap_dirty_table_fallback" },
};

/* The kprobe PMU's type (CONFIG_KPROBE_EVENTS), or -1 with WHY. */
static int kprobe_pmu_type(char *why, size_t len)
{
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/type", "r");
	int type = -1;

	if (!f) {
		snprintf(why, len, "no kprobe PMU (%s: the kernel has no "
			 "CONFIG_KPROBE_EVENTS)", strerror(errno));
		return -1;
	}
	if (fscanf(f, "%d", &type) != 1) {
		snprintf(why, len, "the kprobe PMU's type is unreadable");
		type = -1;
	}
	fclose(f);
	return type;
}

#define NKPROBES (sizeof(kp_table) / sizeof(kp_table[0]))

/*
 * Which symbols of kp_table the kernel has to probe, in one read of
 * /proc/kallsyms: FOUND[i] 1 or 0; or -1 with WHY.
 */
static int kprobe_symbols(int *found, char *why, size_t len)
{
	const char *names[NKPROBES];
	FILE *f = fopen("/proc/kallsyms", "r");
	int ret;

	if (!f) {
		snprintf(why, len, "/proc/kallsyms: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < NKPROBES; i++)
		names[i] = kp_table[i].symbol;
	ret = procfs_kallsyms_find(f, names, NKPROBES, found);
	fclose(f);
	if (ret)
		snprintf(why, len, "/proc/kallsyms: unexpected format");
	return ret ? -1 : 0;
}

static int open_kprobes(struct counters *cs, char *err, int errlen)
{
	char why[COUNTER_NOTE_MAX], syms_why[COUNTER_NOTE_MAX];
	int type = kprobe_pmu_type(why, sizeof(why)), found[NKPROBES];
	int syms = type < 0 || !cs->nslots ? -1 :
		   kprobe_symbols(found, syms_why, sizeof(syms_why));

	for (size_t i = 0; i < NKPROBES; i++) {
		struct counter *c = add_counter(cs, kp_table[i].name,
						COUNTER_KPROBE);
		struct perf_event_attr attr;
		int ret;

		if (type < 0 || !cs->nslots) {
			snprintf(c->note, sizeof(c->note), "%s", type < 0 ? why
				 : "counting per process: the workload named "
				   "no thread");
			continue;
		}
		if (syms < 0 || !found[i]) {
			if (syms < 0)
				snprintf(c->note, sizeof(c->note), "%s",
					 syms_why);
			else
				snprintf(c->note, sizeof(c->note), "%s is not "
					 "in /proc/kallsyms (inlined, or not on "
					 "this architecture)",
					 kp_table[i].symbol);
			continue;
		}
		memset(&attr, 0, sizeof(attr));
		attr.type = type;
		/* config1 points to the symbol's name (kprobe_func),
		 * config2 is the offset into it; config 0: an entry probe. */
		attr.config1 = (uintptr_t)kp_table[i].symbol;
		ret = open_member(cs, c, attr, NULL);
		if (ret == -EIO) {
			snprintf(err, errlen, "%s: %s", c->name, c->note);
			return -EIO;
		}
		if (!ret)
			snprintf(c->note, sizeof(c->note), "kprobe on %s",
				 kp_table[i].symbol);
	}
	return 0;
}

static void open_interrupts(struct counters *cs)
{
	struct counter *c = add_counter(cs, "interrupts.tlb",
					COUNTER_INTERRUPTS);
	int max = cpu_list_max(&cs->cpus);
	long long *tmp = calloc(max ? max : 1, sizeof(*tmp));
	FILE *f = fopen("/proc/interrupts", "r");
	int ret;

	if (!f || !tmp) {
		snprintf(c->note, sizeof(c->note), "/proc/interrupts: %s",
			 strerror(errno));
		goto out;
	}
	ret = procfs_interrupts_row(f, "TLB", tmp, max);
	if (ret == -ENOENT)
		snprintf(c->note, sizeof(c->note),
			 "/proc/interrupts has no TLB row on this architecture");
	else if (ret < 0)
		snprintf(c->note, sizeof(c->note),
			 "/proc/interrupts: unexpected format");
	else
		c->supported = true;
out:
	if (f)
		fclose(f);
	free(tmp);
}

static void open_hw(struct counters *cs, const char *name)
{
	char cname[160], why[COUNTER_NOTE_MAX];
	struct perf_event_attr attr;
	struct counter *c;

	/* Names are at most PMU_EVENT_NAME_MAX long: they fit. */
	snprintf(cname, sizeof(cname), "hw.%.150s", name);
	c = add_counter(cs, cname, COUNTER_HW);
	c->fd = malloc((cs->nslots ? cs->nslots : 1) * sizeof(int));
	if (!c->fd) {
		snprintf(c->note, sizeof(c->note), "%s", strerror(ENOMEM));
		return;
	}
	for (int k = 0; k < cs->nslots; k++)
		c->fd[k] = -1;
	if (pmu_encode(name, &attr, why, sizeof(why))) {
		snprintf(c->note, sizeof(c->note), "%s", why);
		return;
	}
	attr.disabled = 1;
	for (int k = 0; k < cs->nslots; k++) {
		c->fd[k] = perf_open(&attr, &cs->slot[k], -1);
		if (c->fd[k] < 0) {
			open_error(&cs->slot[k], errno, c->note,
				   sizeof(c->note));
			for (int j = 0; j < k; j++)
				close(c->fd[j]);
			for (int j = 0; j <= k; j++)
				c->fd[j] = -1;
			return;
		}
	}
	c->supported = cs->nslots > 0;
}

/*
 * The event names HW_EVENTS stands for, into NAMES (*N of them): NULL is
 * the set "default"; "" or "none", no event; else a comma-separated list
 * of libpfm4 names, where "default" and "victims" stand for the events
 * of those sets this CPU has.  0, -EINVAL for an empty or too long
 * name, -E2BIG for too many.
 */
static int hw_names(const char *hw_events, char names[][PMU_EVENT_NAME_MAX],
		    int *n, char *empty, size_t elen)
{
	const char *p = hw_events ? hw_events : "default";

	*n = 0;
	if (empty)
		empty[0] = '\0';
	if (!strcmp(p, "none"))
		return 0;
	while (*p && *n < PMU_EVENTS_MAX) {
		size_t len = strcspn(p, ",");

		if (!len || len >= PMU_EVENT_NAME_MAX)
			return -EINVAL;
		if (pmu_is_set(p, len)) {
			int had = *n;

			pmu_set_events(p, len, names, n, PMU_EVENTS_MAX);
			/* Which sets stand for nothing here, for a note. */
			if (*n == had && empty)
				snprintf(empty + strlen(empty),
					 elen - strlen(empty), "%s%.*s",
					 empty[0] ? ", " : "", (int)len, p);
		} else {
			memcpy(names[*n], p, len);
			names[(*n)++][len] = '\0';
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return *p ? -E2BIG : 0;
}

static int open_hw_list(struct counters *cs, const char *hw_events)
{
	char names[PMU_EVENTS_MAX][PMU_EVENT_NAME_MAX], empty[64];
	int n, ret = hw_names(hw_events, names, &n, empty, sizeof(empty));

	if (ret)
		return ret;
	if (empty[0])
		snprintf(cs->note, sizeof(cs->note),
			 "hw: no %s event for this CPU (%s)", empty,
#ifdef HAVE_LIBPFM
			 "libpfm4 encodes none of them for its PMU model"
#else
			 "built without libpfm4"
#endif
			 );
	for (int i = 0; i < n && cs->n < COUNTERS_MAX; i++)
		open_hw(cs, names[i]);
	return 0;
}

static void add_slot(struct counters *cs, int pid, int cpu, int col)
{
	struct counter_slot *s = &cs->slot[cs->nslots++];

	s->pid = pid;
	s->cpu = cpu;
	s->col = col;
	s->leader = -1;
}

static int column_of(const struct counters *cs, int cpu)
{
	for (int k = 0; k < cs->cpus.n; k++)
		if (cs->cpus.cpu[k] == cpu)
			return k;
	return -1;
}

/*
 * One slot per online CPU; per process, one per thread.  The counters are
 * opened after the workload made its threads, and inherit only follows
 * threads created after an event is opened, so each existing thread gets
 * its own events (pid = its id) rather than one set on the process.  A
 * thread pinned to one CPU counts wherever it runs (cpu -1) into that
 * CPU's column; a thread that is not gets one slot per CPU instead.
 */
static int make_slots(struct counters *cs)
{
	bool process = cs->scope == SCOPE_PROCESS;
	size_t max = (size_t)(process ? cs->ntids : 1) * cs->cpus.n;

	cs->slot = calloc(max ? max : 1, sizeof(*cs->slot));
	if (!cs->slot)
		return -ENOMEM;
	for (int k = 0; !process && k < cs->cpus.n; k++)
		add_slot(cs, -1, cs->cpus.cpu[k], k);
	for (int i = 0; process && i < cs->ntids; i++) {
		int col = column_of(cs, cpu_pinned(cs->tids[i]));

		if (col >= 0) {
			add_slot(cs, cs->tids[i], -1, col);
			continue;
		}
		for (int k = 0; k < cs->cpus.n; k++)
			add_slot(cs, cs->tids[i], cs->cpus.cpu[k], k);
	}
	return 0;
}

/*
 * Each CPU (each thread, per process) takes about ten events: raise the
 * soft limit on open files to the hard one, as perf does, or a machine
 * with a hundred CPUs runs out at the default 1024.
 */
static void raise_file_limit(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) || r.rlim_cur >= r.rlim_max)
		return;
	r.rlim_cur = r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &r);
}

/* The files open now, or 0 when /proc/self/fd cannot be read. */
static int files_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;		/* the directory itself */
}

/* Files a run may open beside the events: smaps, /proc, the backing. */
#define FILES_SPARE 16

/*
 * Before anything is opened: the events of every slot, and what is open
 * already, against the limit (raised to the hard one).  Short, the run is
 * refused with both numbers (-EINVAL: the fix is the caller's).
 */
static int check_file_limit(const struct counters *cs, const char *hw_events,
			    char *err, int errlen)
{
	char names[PMU_EVENTS_MAX][PMU_EVENT_NAME_MAX];
	long events = sizeof(tp_table) / sizeof(tp_table[0]) +
		      sizeof(kp_table) / sizeof(kp_table[0]);
	long need, open_now = files_open();
	struct rlimit r;
	int n;

	if (!hw_names(hw_events, names, &n, NULL, 0))
		events += n;
	need = events * cs->nslots + open_now + FILES_SPARE;
	if (getrlimit(RLIMIT_NOFILE, &r) || r.rlim_cur == RLIM_INFINITY ||
	    (long)r.rlim_cur >= need)
		return 0;
	snprintf(err, errlen, "open files: up to %ld needed (%ld events on "
		 "each of %d %s, %ld open, %d spare) but the limit is %llu "
		 "(hard limit %llu): raise it, e.g. ulimit -Hn %ld",
		 need, events, cs->nslots, cs->scope == SCOPE_PROCESS ?
		 "thread slots" : "CPUs", open_now, FILES_SPARE,
		 (unsigned long long)r.rlim_cur,
		 (unsigned long long)r.rlim_max, need);
	return -EINVAL;
}

/*
 * AMD's INVLPGB (6.15+, CONFIG_BROADCAST_TLB_FLUSH; /proc/cpuinfo names
 * it only where the kernel may use it): an mm active on more than 3 CPUs
 * gets a global ASID and flush_tlb_mm_range() broadcasts its flushes, no
 * IPI sent, no reason 4 traced, no TLB interrupt.
 */
static void note_mechanism(struct counters *cs)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	int kp = counters_find(cs, "kprobe.tlb_flush_mmu");
	bool counted = kp >= 0 && cs->c[kp].supported;

	if (!f)
		return;
	if (procfs_cpu_flag(f, "invlpgb") == 1)
		snprintf(cs->mechanism, sizeof(cs->mechanism),
			 "flushes broadcast by INVLPGB (an mm on more than 3 "
			 "CPUs): IPI counts do not show them; %s",
			 counted ? "kprobe.tlb_flush_mmu does"
				 : "no kprobe counts them here");
	fclose(f);
}

/*
 * Open every counter in SCOPE: on every online CPU, restricted to the
 * threads TIDS (N of them) with SCOPE_THREADS, or on each of those
 * threads with SCOPE_PROCESS.
 */
int counters_open(struct counters *cs, const char *hw_events,
		  enum count_scope scope, const int *tids, int n, char *err,
		  int errlen)
{
	int ret;

	memset(cs, 0, sizeof(*cs));
	raise_file_limit();
	cs->scope = scope;
	cs->tids = tids;
	cs->ntids = n;
	ret = cpu_list_online(&cs->cpus);
	if (ret) {
		snprintf(err, errlen, "online CPUs: %s", strerror(-ret));
		return ret;
	}
	fall_back(cs);
	/* No thread named (integrity, race): threads counts every thread. */
	if (cs->scope == SCOPE_THREADS && !n)
		cs->scope = SCOPE_SYSTEM;
	cs->read_ns = calloc(2 * cs->cpus.n, sizeof(*cs->read_ns));
	if (!cs->read_ns || make_slots(cs)) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		ret = -ENOMEM;
		goto fail;
	}
	ret = check_file_limit(cs, hw_events, err, errlen);
	if (ret)
		goto fail;

	ret = open_tracepoints(cs, err, errlen);
	if (ret)
		goto fail;
	open_interrupts(cs);
	ret = open_kprobes(cs, err, errlen);
	if (ret)
		goto fail;
	note_mechanism(cs);
	ret = open_hw_list(cs, hw_events);
	if (ret) {
		/* options_parse() refuses these first; bad input either way. */
		snprintf(err, errlen, "--events: %s",
			 ret == -E2BIG ? "too many events"
				       : "empty or too long event name");
		ret = -EINVAL;
		goto fail;
	}
	return 0;
fail:
	counters_close(cs);
	return ret;
}

int counters_enable(struct counters *cs)
{
	for (int k = 0; k < cs->nslots; k++)
		if (cs->slot[k].leader >= 0 &&
		    ioctl(cs->slot[k].leader, PERF_EVENT_IOC_ENABLE,
			  PERF_IOC_FLAG_GROUP))
			return -errno;
	for (int i = 0; i < cs->n; i++) {
		struct counter *c = &cs->c[i];

		if (c->kind != COUNTER_HW || !c->supported)
			continue;
		for (int k = 0; k < cs->nslots; k++)
			if (ioctl(c->fd[k], PERF_EVENT_IOC_ENABLE, 0))
				return -errno;
	}
	return 0;
}

/*
 * Count no tracepoint or hardware event, for WHY: the events stay open
 * (a group is read whole) but their counts are not reported.
 */
void counters_refuse(struct counters *cs, const char *why)
{
	for (int i = 0; i < cs->n; i++) {
		struct counter *c = &cs->c[i];

		if (c->kind == COUNTER_INTERRUPTS)
			continue;
		c->supported = false;
		snprintf(c->note, sizeof(c->note), "%s", why);
	}
}

long long *counters_alloc_values(const struct counters *cs)
{
	return calloc((size_t)cs->n * cs->cpus.n, sizeof(long long));
}

static int read_interrupts(struct counters *cs, long long *vals, int i)
{
	int max = cpu_list_max(&cs->cpus);
	long long *tmp = calloc(max ? max : 1, sizeof(*tmp));
	FILE *f = fopen("/proc/interrupts", "r");
	int ret = -errno;

	if (f && tmp)
		ret = procfs_interrupts_row(f, "TLB", tmp, max);
	else if (!tmp)
		ret = -ENOMEM;
	for (int k = 0; ret >= 0 && k < cs->cpus.n; k++)
		COUNTER_VAL(cs, vals, i, k) = tmp[cs->cpus.cpu[k]];
	if (f)
		fclose(f);
	free(tmp);
	return ret < 0 ? ret : 0;
}

static unsigned long long clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Read the groups of CPU column K: the sum of its slots. */
static int read_column(struct counters *cs, long long *vals, int k)
{
	uint64_t buf[1 + COUNTERS_MAX];
	ssize_t want = (1 + cs->group_size) * sizeof(uint64_t);

	for (int i = 0; i < cs->n; i++)
		if (cs->c[i].kind != COUNTER_INTERRUPTS)
			COUNTER_VAL(cs, vals, i, k) = 0;
	/* When the column was read, for samples that must match it. */
	cs->read_ns[2 * k] = clock_ns();
	for (int j = 0; j < cs->nslots; j++) {
		const struct counter_slot *s = &cs->slot[j];

		if (s->col != k || s->leader < 0)
			continue;
		if (read(s->leader, buf, want) != want ||
		    buf[0] != (uint64_t)cs->group_size)
			return -EIO;
		for (int i = 0; i < cs->n; i++) {
			struct counter *c = &cs->c[i];

			if (c->supported && c->group_idx >= 0)
				COUNTER_VAL(cs, vals, i, k) +=
					buf[1 + c->group_idx];
		}
	}
	cs->read_ns[2 * k + 1] = clock_ns();
	for (int i = 0; i < cs->n; i++) {
		struct counter *c = &cs->c[i];
		uint64_t v;

		if (!c->supported || c->kind != COUNTER_HW)
			continue;
		for (int j = 0; j < cs->nslots; j++) {
			if (cs->slot[j].col != k)
				continue;
			if (read(c->fd[j], &v, sizeof(v)) != sizeof(v))
				return -EIO;
			COUNTER_VAL(cs, vals, i, k) += v;
		}
	}
	return 0;
}

/*
 * Snapshot every counter.  SELF_CPU's column is read last (before a window)
 * or first (after it), see the comment at the top; /proc/interrupts is read
 * first before and last after.
 */
int counters_read(struct counters *cs, long long *vals, int self_cpu,
		  bool self_last)
{
	int self = -1, ret;

	/* The slow /proc read goes farthest from the window. */
	for (int i = 0; self_last && i < cs->n; i++)
		if (cs->c[i].kind == COUNTER_INTERRUPTS && cs->c[i].supported &&
		    (ret = read_interrupts(cs, vals, i)))
			return ret;
	for (int k = 0; k < cs->cpus.n; k++)
		if (cs->cpus.cpu[k] == self_cpu)
			self = k;
	if (!self_last && self >= 0 && (ret = read_column(cs, vals, self)))
		return ret;
	for (int k = 0; k < cs->cpus.n; k++)
		if (k != self && (ret = read_column(cs, vals, k)))
			return ret;
	if (self_last && self >= 0 && (ret = read_column(cs, vals, self)))
		return ret;

	for (int i = 0; !self_last && i < cs->n; i++)
		if (cs->c[i].kind == COUNTER_INTERRUPTS && cs->c[i].supported &&
		    (ret = read_interrupts(cs, vals, i)))
			return ret;
	return 0;
}

/* AFTER -= BEFORE, in place. */
void counters_delta(const struct counters *cs, const long long *before,
		    long long *after)
{
	for (int i = 0; i < cs->n * cs->cpus.n; i++)
		after[i] -= before[i];
}

long long counters_sum(const struct counters *cs, const long long *vals,
		       int i)
{
	long long sum = 0;

	for (int k = 0; k < cs->cpus.n; k++)
		sum += COUNTER_VAL(cs, vals, i, k);
	return sum;
}

/* The sum of counter NAME over every CPU, or -1 if it was not counted. */
static long long sum_of(const struct counters *cs, const long long *vals,
			const char *name)
{
	int i = counters_find(cs, name);

	return i >= 0 && cs->c[i].supported ? counters_sum(cs, vals, i) : -1;
}

/*
 * How the flushes of a window reached the mm's other CPUs.  x86 traces
 * reason 4 (remote_send_ipi) only when flush_tlb_multi() has another CPU
 * to flush; what follows is the kernel's IPI, whose handler traces
 * reason 1 and raises the TLB row of /proc/interrupts, or a paravirtual
 * flush_tlb_multi (KVM's for preempted vCPUs, PVM's hypercall for all)
 * that has the hypervisor flush those CPUs: nothing runs on them to
 * count.  Judged only when the helpers stayed on their CPUs
 * (HELPERS_STAYED): a helper switched out is simply not flushed.
 */
enum remote_flush counters_remote_flush(const struct counters *cs,
					const long long *vals,
					bool helpers_stayed)
{
	long long sent = sum_of(cs, vals, "tlb_flush.remote_send_ipi");
	long long recv = sum_of(cs, vals, "tlb_flush.remote_shootdown");
	long long irq = sum_of(cs, vals, "interrupts.tlb");
	long long csd = sum_of(cs, vals, "csd.queue_cpu");

	if (recv > 0 || irq > 0)
		return REMOTE_FLUSH_IPI;
	if (!helpers_stayed || sent < 2 || recv < 0 || csd > 0)
		return REMOTE_FLUSH_UNKNOWN;
	return REMOTE_FLUSH_HYPERVISOR;
}

const char *remote_flush_name(enum remote_flush how)
{
	switch (how) {
	case REMOTE_FLUSH_IPI:
		return "ipi";
	case REMOTE_FLUSH_HYPERVISOR:
		return "hypervisor";
	default:
		return NULL;
	}
}

int counters_find(const struct counters *cs, const char *name)
{
	for (int i = 0; i < cs->n; i++)
		if (!strcmp(cs->c[i].name, name))
			return i;
	return -1;
}

void counters_close(struct counters *cs)
{
	for (int i = 0; i < cs->n; i++) {
		struct counter *c = &cs->c[i];

		if (c->fd) {
			for (int k = 0; k < cs->nslots; k++)
				if (c->fd[k] >= 0)
					close(c->fd[k]);
			free(c->fd);
			c->fd = NULL;
		}
	}
	/* Leaders are closed with their counter's fds above. */
	free(cs->slot);
	free(cs->read_ns);
	cpu_list_free(&cs->cpus);
	cs->slot = NULL;
	cs->nslots = 0;
	cs->read_ns = NULL;
	cs->n = 0;
}
