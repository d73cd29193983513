/*
 * Which kernel path sent each flush.  Beside the counting groups (which
 * stay as they are), every online CPU gets one sampling event per
 * tlb:tlb_flush reason sampled, period 1, with the kernel call chain,
 * filtered like the counters (reason, and the workload's threads).  They
 * write into one ring buffer per CPU, enabled only around the measured
 * window and read after it; each chain is named with /proc/kallsyms
 * (attr_ksyms.c) and matched against the table of paths (attr_paths.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "attribution.h"
#include "model.h"
#include "tracepoint.h"

#define MAX_STACK 32			/* frames per chain */
#define SAMPLE_BYTES 320		/* a sample with MAX_STACK frames */
#define DATA_MIN (256UL << 10)
#define DATA_MAX (256UL << 20)


/*
 * Ring buffer bytes per CPU: one sample per flush the window can start,
 * counting a few per page table of the region or, for a loop of zaps
 * (Z, its shape, else NULL), per page table of each operation; all
 * reasons sample each flush on both sides.
 */
static size_t data_bytes(const struct params *p, const struct zap_shape *z,
			 enum attribute_mode mode)
{
	unsigned long long tables = p->size / (2ULL << 20) + 1;
	unsigned long long loop = z && z->ops > 1 ?
				  z->ops * (z->tables + 3) : 0;
	unsigned long long flushes = (tables > loop ? tables : loop) + 64;
	unsigned long long want = flushes * SAMPLE_BYTES *
				  (mode == ATTRIBUTE_ALL ? 4 : 1);
	size_t bytes = DATA_MIN;

	while (bytes < want && bytes < DATA_MAX)
		bytes *= 2;
	return bytes;
}

static long perf_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(SYS_perf_event_open, attr, -1, cpu, -1,
		       PERF_FLAG_FD_CLOEXEC);
}

static const char *open_hint(int err)
{
	if (err == EACCES || err == EPERM)
		return " (sampling every CPU needs root or CAP_PERFMON, or "
		       "perf_event_paranoid <= 0)";
	return "";
}

/* Sampling event of REASON on CPU column K: fd index I. */
static int open_one(struct attribution *a, long long id, int reason, int k,
		    int i, const int *tids, int n)
{
	struct perf_event_attr attr;
	char base[32], *filter;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	attr.sample_period = 1;
	attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TID |
			   PERF_SAMPLE_TIME | PERF_SAMPLE_CPU |
			   PERF_SAMPLE_CALLCHAIN;
	attr.exclude_callchain_user = 1;
	attr.sample_max_stack = MAX_STACK;
	attr.use_clockid = 1;
	attr.clockid = CLOCK_MONOTONIC;	/* the clock of the window */
	attr.disabled = 1;

	snprintf(base, sizeof(base), "reason == %d", reason);
	filter = tp_filter(base, tids, n);
	if (!filter)
		return -ENOMEM;
	fd = perf_open(&attr, a->cpus.cpu[k]);
	if (fd < 0) {
		err = errno;
		snprintf(a->why, sizeof(a->why),
			 "perf_event_open (sampling) cpu %d: %s%s",
			 a->cpus.cpu[k], strerror(err), open_hint(err));
		goto out;
	}
	a->fd[i] = fd;
	a->reason_of[i] = reason;
	if (ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter)) {
		err = errno;
		snprintf(a->why, sizeof(a->why), "filter '%.200s' refused: %s",
			 filter, strerror(err));
		goto out;
	}
	if (ioctl(fd, PERF_EVENT_IOC_ID, &a->id_of[i])) {
		err = errno;
		snprintf(a->why, sizeof(a->why), "PERF_EVENT_IOC_ID: %s",
			 strerror(err));
		goto out;
	}
	err = 0;
out:
	free(filter);
	return -err;
}

/* The first event of CPU column K owns its ring; the others write to it. */
static int attach_ring(struct attribution *a, int k, int first, int i)
{
	long page = sysconf(_SC_PAGESIZE);
	void *ring;

	if (i != first) {
		if (!ioctl(a->fd[i], PERF_EVENT_IOC_SET_OUTPUT, a->fd[first]))
			return 0;
		snprintf(a->why, sizeof(a->why),
			 "PERF_EVENT_IOC_SET_OUTPUT: %s", strerror(errno));
		return -EIO;
	}
	ring = mmap(NULL, page + a->data_bytes, PROT_READ | PROT_WRITE,
		    MAP_SHARED, a->fd[i], 0);
	if (ring == MAP_FAILED) {
		snprintf(a->why, sizeof(a->why),
			 "mmap of a %zu KiB sample buffer: %s",
			 a->data_bytes >> 10, strerror(errno));
		return -EIO;
	}
	a->ring[k] = ring;
	return 0;
}

static int open_events(struct attribution *a, const int *tids, int n)
{
	struct tp_dir dir = { .child = 0 };
	int nreasons = 0, ret;
	long long id;

	if (!TP_TLB_TRACED) {
		snprintf(a->why, sizeof(a->why), "tlb:tlb_flush: %s",
			 TP_NOT_TRACED_WHY);
		return -EOPNOTSUPP;
	}
	id = tp_known_id("tlb", "tlb_flush");
	if (!id) {
		ret = tp_dir_enter(&dir);
		if (ret) {
			tp_dir_why(ret, a->why, sizeof(a->why));
			return ret;
		}
		id = tp_event_id(&dir, "tlb", "tlb_flush");
		tp_dir_leave(&dir);
	}
	if (id < 0) {
		tp_id_why(&dir, id, "tlb", "tlb_flush", a->why,
			  sizeof(a->why));
		return id;
	}
	for (int r = 0; r < ATTR_REASONS; r++)
		nreasons += attr_reason_sampled(a, r);
	a->nfds = nreasons * a->cpus.n;
	a->fd = malloc(a->nfds * sizeof(*a->fd));
	a->reason_of = calloc(a->nfds, sizeof(*a->reason_of));
	a->id_of = calloc(a->nfds, sizeof(*a->id_of));
	a->events = calloc(a->nfds, sizeof(*a->events));
	a->ring = calloc(a->cpus.n, sizeof(*a->ring));
	a->copy = malloc(1 << 16);
	if (!a->fd || !a->reason_of || !a->id_of || !a->events || !a->ring ||
	    !a->copy) {
		snprintf(a->why, sizeof(a->why), "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (int i = 0; i < a->nfds; i++)
		a->fd[i] = -1;
	for (int k = 0, i = 0; k < a->cpus.n; k++) {
		int first = i;

		for (int r = 0; r < ATTR_REASONS; r++) {
			if (!attr_reason_sampled(a, r))
				continue;
			ret = open_one(a, id, r, k, i, tids, n);
			if (!ret)
				ret = attach_ring(a, k, first, i);
			if (ret)
				return ret;
			i++;
		}
	}
	return 0;
}

/*
 * Open the sampling events of P->attribute for threads TIDS (N of them;
 * 0: every thread).  What cannot be done is said in A->why and the run
 * goes on with counts only; only running out of memory is an error.
 */
int attribution_open(struct attribution *a, const struct params *p,
		     const struct zap_shape *z, const int *tids, int n)
{
	int ret;

	a->mode = p->attribute;
	a->open = a->named = false;
	a->why[0] = '\0';
	a->nfds = 0;
	a->tids = tids;
	a->ntids = n;
	/* Never smaller than rings that had to grow for this run. */
	if (data_bytes(p, z, a->mode) > a->data_bytes)
		a->data_bytes = data_bytes(p, z, a->mode);
	ret = cpu_list_online(&a->cpus);
	if (ret) {
		snprintf(a->why, sizeof(a->why), "online CPUs: %s",
			 strerror(-ret));
		goto out;
	}
	ret = open_events(a, tids, n);
	if (ret) {
		attribution_close(a);
		goto out;
	}
	a->open = true;
	attr_name_frames(a);
out:
	if (a->why[0] && !a->warned) {
		fprintf(stderr, "tlbbench: --attribute: %s\n", a->why);
		a->warned = true;
	}
	return ret == -ENOMEM ? ret : 0;
}

/*
 * After a window C that lost samples: reopen with rings large enough for
 * all of them on one CPU, so the next window (the warm-up's successor)
 * loses none.  0, or -errno when the events cannot be reopened.
 */
int attribution_grow(struct attribution *a, const struct attr_counts *c)
{
	unsigned long long want = (c->samples + c->outside + c->lost) *
				  (unsigned long long)SAMPLE_BYTES * 2;
	size_t bytes = a->data_bytes;
	int ret;

	if (!a->open || !c->lost)
		return 0;
	while (bytes < want && bytes < DATA_MAX)
		bytes *= 2;
	if (bytes == a->data_bytes)
		return 0;
	attribution_close(a);
	a->data_bytes = bytes;
	ret = open_events(a, a->tids, a->ntids);
	if (ret) {
		attribution_close(a);
		return ret;
	}
	a->open = true;
	fprintf(stderr, "tlbbench: --attribute: %lld samples lost: "
		"sample buffers grown to %zu MiB per CPU\n", c->lost,
		bytes >> 20);
	return 0;
}

static int ioctl_all(struct attribution *a, unsigned long req)
{
	for (int i = 0; a->open && i < a->nfds; i++)
		if (ioctl(a->fd[i], req, 0))
			return -errno;
	return 0;
}

int attribution_enable(struct attribution *a)
{
	return ioctl_all(a, PERF_EVENT_IOC_ENABLE);
}

int attribution_disable(struct attribution *a)
{
	return ioctl_all(a, PERF_EVENT_IOC_DISABLE);
}

/* -------------------------------------------------------------------- */
/* Reading the rings */

static int reason_of_id(const struct attribution *a, unsigned long long id)
{
	for (int i = 0; i < a->nfds; i++)
		if (a->id_of[i] == id)
			return a->reason_of[i];
	return -1;
}

static void add_chain(struct attr_chains *c, const char *text,
		      long long count)
{
	for (int i = 0; i < c->n; i++) {
		if (!strcmp(c->c[i].text, text)) {
			c->c[i].count += count;
			return;
		}
	}
	if (c->n == ATTR_CHAINS_MAX) {
		c->more += count;
		return;
	}
	snprintf(c->c[c->n].text, sizeof(c->c[0].text), "%s", text);
	c->c[c->n++].count = count;
}

/* The innermost frames past the flush itself, "a <- b <- c". */
static void chain_text(const char *const *frames, int n, char *buf,
		       size_t len)
{
	size_t off = 0;
	int i = 0, shown = 0;

	buf[0] = '\0';
	while (i < n - 1 && attr_is_plumbing(frames[i]))
		i++;
	for (; i < n && shown < 6 && off < len; i++, shown++)
		off += snprintf(buf + off, len - off, "%s%s",
				shown ? " <- " : "", frames[i]);
}

/* The window of CPU, a column of CPUS; none for another CPU. */
static bool in_window(const struct cpu_list *cpus,
		      const unsigned long long *from,
		      const unsigned long long *to, int cpu,
		      unsigned long long t)
{
	for (int k = 0; k < cpus->n; k++)
		if (cpus->cpu[k] == cpu)
			return t >= from[k] && t <= to[k];
	return false;
}

/* One PERF_RECORD_SAMPLE of the layout open_one() asked for. */
static void one_sample(struct attribution *a, const uint64_t *v,
		       size_t words, const struct cpu_list *cpus,
		       const unsigned long long *from,
		       const unsigned long long *to, struct attr_counts *out)
{
	const char *frames[MAX_STACK + 8] = { NULL };
	uint64_t nr;
	int reason, n = 0, path;

	/* id, pid/tid, time, cpu/res, nr, then the chain */
	if (words < 5) {
		out->lost++;	/* not what was asked for: never seen */
		return;
	}
	/* v[3] is { u32 cpu, res; } */
	if (!in_window(cpus, from, to, ((const uint32_t *)&v[3])[0], v[2])) {
		out->outside++;
		return;
	}
	reason = reason_of_id(a, v[0]);
	nr = v[4];
	if (reason < 0 || 5 + nr > words) {
		out->lost++;
		return;
	}
	out->samples++;
	if (!a->named)
		return;
	for (uint64_t j = 0; j < nr && n < MAX_STACK + 8; j++) {
		uint64_t ip = v[5 + j];

		if (ip >= (uint64_t)PERF_CONTEXT_MAX)
			continue;	/* a context marker, not a frame */
		/* Return addresses may point past a call at a function end. */
		frames[n] = attr_ksym_name(a, n ? ip - 1 : ip);
		n++;
	}
	path = attr_classify(frames, n);
	if (path < 0) {
		char text[ATTR_CHAIN_TEXT];

		chain_text(frames, n, text, sizeof(text));
		add_chain(&a->chains, text, 1);
		path = ATTR_PATHS_MAX;
	}
	out->n[reason][path]++;
}

static void read_ring(struct attribution *a, int k,
		      const struct cpu_list *cpus,
		      const unsigned long long *from,
		      const unsigned long long *to, struct attr_counts *out)
{
	struct perf_event_mmap_page *pg = a->ring[k];
	char *data = (char *)pg + sysconf(_SC_PAGESIZE);
	uint64_t size = a->data_bytes;
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;

	while (tail < head) {
		struct perf_event_header h;
		const char *rec = perf_ring_record(data, size, tail, a->copy,
						   &h);

		if (!rec)
			break;
		if (h.type == PERF_RECORD_SAMPLE)
			one_sample(a, (const uint64_t *)(rec + sizeof(h)),
				   (h.size - sizeof(h)) / 8, cpus, from, to,
				   out);
		else if (h.type == PERF_RECORD_LOST &&
			 h.size >= sizeof(h) + 16)
			out->lost_records +=
				((const uint64_t *)(rec + sizeof(h)))[1];
		tail += h.size;
	}
	__atomic_store_n(&pg->data_tail, head, __ATOMIC_RELEASE);
}

/*
 * Add what the rings hold to OUT, per reason and path: the samples taken
 * on CPU column k of CPUS between FROM[k] and TO[k] (CLOCK_MONOTONIC ns,
 * when its counters were read); others count as outside.  Call with the
 * events disabled.  A full ring writes its
 * PERF_RECORD_LOST only with the next sample, in the next window, so
 * what was lost is what the events counted and the rings do not hold.
 */
int attribution_collect(struct attribution *a, const struct cpu_list *cpus,
			const unsigned long long *from,
			const unsigned long long *to, struct attr_counts *out)
{
	long long taken = 0, held = out->samples + out->outside + out->lost;

	if (!a->open)
		return 0;
	for (int i = 0; i < a->nfds; i++) {
		unsigned long long v;

		if (read(a->fd[i], &v, sizeof(v)) != sizeof(v))
			return -EIO;
		taken += v - a->events[i];
		a->events[i] = v;
	}
	for (int k = 0; k < a->cpus.n; k++)
		read_ring(a, k, cpus, from, to, out);
	held = out->samples + out->outside + out->lost - held;
	if (taken > held)
		out->lost += taken - held;
	return 0;
}

void attribution_chains_reset(struct attribution *a)
{
	memset(&a->chains, 0, sizeof(a->chains));
}

void attr_chains_merge(struct attr_chains *dst,
		       const struct attr_chains *src)
{
	for (int i = 0; i < src->n; i++)
		add_chain(dst, src->c[i].text, src->c[i].count);
	dst->more += src->more;
}

/* The events and rings; the symbols stay for the next open. */
void attribution_close(struct attribution *a)
{
	long page = sysconf(_SC_PAGESIZE);

	for (int k = 0; a->ring && k < a->cpus.n; k++)
		if (a->ring[k])
			munmap(a->ring[k], page + a->data_bytes);
	for (int i = 0; a->fd && i < a->nfds; i++)
		if (a->fd[i] >= 0)
			close(a->fd[i]);
	free(a->fd);
	free(a->reason_of);
	free(a->id_of);
	free(a->events);
	free(a->ring);
	free(a->copy);
	a->fd = NULL;
	a->reason_of = NULL;
	a->id_of = NULL;
	a->events = NULL;
	a->ring = NULL;
	a->copy = NULL;
	a->nfds = 0;
	a->open = false;
}

void attribution_free(struct attribution *a)
{
	attribution_close(a);
	free(a->syms);
	free(a->names);
	cpu_list_free(&a->cpus);
	a->syms = NULL;
	a->names = NULL;
	a->nsyms = 0;
	a->syms_tried = false;
}
