/*
 * Handler time, per CPU.  Each victim's CPU gets sampling events (period 1,
 * CLOCK_MONOTONIC timestamps: the clock of the victims' marks) on the
 * entry and exit of the call-function interrupts, both the vector sent to
 * a mask and the single-target one (with two CPUs most shootdowns are the
 * latter), and on csd:csd_function_entry, whose raw "func" names each
 * callback the handler ran (between an entry and its exit: a CPU's
 * callbacks for itself fire it too): flush_tlb_func for a shootdown,
 * anything else is another IPI.  They write into one ring per CPU, in
 * the order they fired there, and stay enabled for the whole run
 * (enabling an event on another CPU costs it an IPI): the rings are
 * emptied before a repetition's calibration window and read after its
 * measured window, where each entry is paired with the next exit on its
 * CPU.
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

#include "handler.h"
#include "tracepoint.h"

/* Per CPU: samples of about 12k interrupts between two reads. */
#define DATA_BYTES (2UL << 20)

enum event {
	CF_ENTRY, CF_EXIT, CFS_ENTRY, CFS_EXIT, CSD_FUNC, EVENTS,
};

static const struct {
	const char *system, *name;
	bool entry, exit;
} events[EVENTS] = {
	[CF_ENTRY] = { "irq_vectors", "call_function_entry", true, false },
	[CF_EXIT] = { "irq_vectors", "call_function_exit", false, true },
	[CFS_ENTRY] = { "irq_vectors", "call_function_single_entry", true,
			false },
	[CFS_EXIT] = { "irq_vectors", "call_function_single_exit", false,
		       true },
	[CSD_FUNC] = { "csd", "csd_function_entry", false, false },
};

static long perf_open(struct perf_event_attr *attr, int cpu)
{
	return syscall(SYS_perf_event_open, attr, -1, cpu, -1,
		       PERF_FLAG_FD_CLOEXEC);
}

static int open_one(struct handler *h, long long id, int k, int i, int e)
{
	struct perf_event_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = id;
	attr.sample_period = 1;
	attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_TIME |
			   PERF_SAMPLE_CPU | PERF_SAMPLE_RAW;
	attr.use_clockid = 1;
	attr.clockid = CLOCK_MONOTONIC;
	fd = perf_open(&attr, h->cpus.cpu[k]);
	if (fd < 0) {
		err = errno;
		snprintf(h->why, sizeof(h->why), "perf_event_open (sampling) "
			 "%s:%s cpu %d: %s%s", events[e].system,
			 events[e].name, h->cpus.cpu[k], strerror(err),
			 err == EACCES || err == EPERM ? " (sampling every CPU "
			 "needs root or CAP_PERFMON)" : "");
		return -err;
	}
	h->fd[i] = fd;
	h->event_of[i] = e;
	if (ioctl(fd, PERF_EVENT_IOC_ID, &h->id_of[i])) {
		err = errno;
		snprintf(h->why, sizeof(h->why), "PERF_EVENT_IOC_ID: %s",
			 strerror(err));
		return -err;
	}
	return 0;
}

/* The first event of CPU column K owns its ring; the others write to it. */
static int attach_ring(struct handler *h, int k, int first, int i)
{
	long page = sysconf(_SC_PAGESIZE);
	void *ring;

	if (i != first) {
		if (!ioctl(h->fd[i], PERF_EVENT_IOC_SET_OUTPUT, h->fd[first]))
			return 0;
		snprintf(h->why, sizeof(h->why),
			 "PERF_EVENT_IOC_SET_OUTPUT: %s", strerror(errno));
		return -EIO;
	}
	ring = mmap(NULL, page + h->data_bytes, PROT_READ | PROT_WRITE,
		    MAP_SHARED, h->fd[i], 0);
	if (ring == MAP_FAILED) {
		snprintf(h->why, sizeof(h->why), "mmap of a %zu KiB sample "
			 "buffer: %s", h->data_bytes >> 10, strerror(errno));
		return -EIO;
	}
	h->ring[k] = ring;
	return 0;
}

/* The tracepoint ids of EVENTS into ID (-errno where one is missing). */
static int event_ids(struct handler *h, long long *id)
{
	struct tp_dir dir = { .child = 0 };
	bool entered = false;
	int ret = 0;

	for (int e = 0; e < EVENTS && !ret; e++) {
		id[e] = tp_known_id(events[e].system, events[e].name);
		if (!id[e]) {
			if (!entered && (ret = tp_dir_enter(&dir))) {
				tp_dir_why(ret, h->why, sizeof(h->why));
				return ret;
			}
			entered = true;
			id[e] = tp_event_id(&dir, events[e].system,
					    events[e].name);
		}
		if (id[e] >= 0 || e == CSD_FUNC)
			continue;
		ret = id[e];
		if (entered)
			tp_id_why(&dir, ret, events[e].system, events[e].name,
				  h->why, sizeof(h->why));
		else
			snprintf(h->why, sizeof(h->why), "%s:%s: %s",
				 events[e].system, events[e].name,
				 strerror(-ret));
	}
	if (entered)
		tp_dir_leave(&dir);
	return ret;
}

/*
 * Open the sampling events on the N CPUS (the victims').  What cannot be
 * done is said in H->why, and the run goes on without handler times;
 * only running out of memory is an error.
 */
int handler_open(struct handler *h, const int *cpus, int n)
{
	long long id[EVENTS];
	int ret, per_cpu = 0;

	memset(h, 0, sizeof(*h));
	h->data_bytes = DATA_BYTES;
	if (!TP_TLB_TRACED) {
		snprintf(h->why, sizeof(h->why), "irq_vectors:call_function_*: "
			 "x86 only (this architecture has no such vectors)");
		return 0;
	}
	for (int i = 0; i < n; i++)
		if (cpu_list_add(&h->cpus, cpus[i]))
			return -ENOMEM;
	ret = event_ids(h, id);
	if (ret)
		return 0;
	h->csd = id[CSD_FUNC] > 0;
	for (int e = 0; e < EVENTS; e++)
		per_cpu += e != CSD_FUNC || h->csd;
	h->nfds = per_cpu * h->cpus.n;
	h->fd = malloc(h->nfds * sizeof(*h->fd));
	h->event_of = calloc(h->nfds, sizeof(*h->event_of));
	h->id_of = calloc(h->nfds, sizeof(*h->id_of));
	h->ring = calloc(h->cpus.n, sizeof(*h->ring));
	h->cpu = calloc(h->cpus.n, sizeof(*h->cpu));
	h->copy = malloc(1 << 16);
	if (!h->fd || !h->event_of || !h->id_of || !h->ring || !h->cpu ||
	    !h->copy) {
		handler_close(h);
		return -ENOMEM;
	}
	for (int i = 0; i < h->nfds; i++)
		h->fd[i] = -1;
	for (int k = 0, i = 0; k < h->cpus.n; k++) {
		int first = i;

		for (int e = 0; e < EVENTS; e++) {
			if (e == CSD_FUNC && !h->csd)
				continue;
			ret = open_one(h, id[e], k, i, e);
			if (!ret)
				ret = attach_ring(h, k, first, i);
			if (ret) {
				char why[HANDLER_NOTE_MAX];

				memcpy(why, h->why, sizeof(why));
				handler_close(h);
				memcpy(h->why, why, sizeof(why));
				return 0;
			}
			i++;
		}
	}
	if (!h->csd)
		snprintf(h->why, sizeof(h->why), "csd:csd_function_entry: "
			 "not in this kernel (6.6 and later): the callbacks "
			 "are not named");
	h->open = true;
	return 0;
}

/* CPU's column of the rings, or -1. */
int handler_column(const struct handler *h, int cpu)
{
	for (int k = 0; k < h->cpus.n; k++)
		if (h->cpus.cpu[k] == cpu)
			return k;
	return -1;
}

static int event_of_id(const struct handler *h, unsigned long long id)
{
	for (int i = 0; i < h->nfds; i++)
		if (h->id_of[i] == id)
			return h->event_of[i];
	return -1;
}

/* Which window T (CLOCK_MONOTONIC ns) is in, or -1. */
static int window_of(const unsigned long long from[2],
		     const unsigned long long to[2], unsigned long long t)
{
	for (int w = 0; w < HANDLER_WINDOWS; w++)
		if (t >= from[w] && t <= to[w])
			return w;
	return -1;
}

static void count_func(struct handler_cpu *c, unsigned long long addr, int w)
{
	for (int i = 0; i < c->nfuncs; i++) {
		if (c->func[i].addr == addr) {
			c->func[i].n[w]++;
			return;
		}
	}
	if (c->nfuncs == HANDLER_FUNCS_MAX) {
		c->other_funcs[w]++;
		return;
	}
	c->func[c->nfuncs].addr = addr;
	c->func[c->nfuncs++].n[w] = 1;
}

/* What pairing entries with exits needs to carry between samples. */
struct pairing {
	unsigned long long entry;	/* time of an unpaired entry, or 0 */
	int window;
};

/*
 * One PERF_RECORD_SAMPLE: id, time, cpu/res, then the raw size (u32)
 * and the raw record, whose func of csd_function_entry is at offset 8.
 */
static void one_sample(struct handler *h, const char *rec, size_t len,
		       struct handler_cpu *c, struct pairing *pr,
		       const unsigned long long from[2],
		       const unsigned long long to[2])
{
	uint64_t v[3];
	uint32_t raw_size;
	int e, w;

	if (len < sizeof(v) + sizeof(raw_size))
		return;
	memcpy(v, rec, sizeof(v));
	memcpy(&raw_size, rec + sizeof(v), sizeof(raw_size));
	e = event_of_id(h, v[0]);
	if (e < 0)
		return;
	w = window_of(from, to, v[1]);
	if (events[e].entry) {
		pr->entry = v[1];
		pr->window = w;
		if (w >= 0)
			c->entries[w]++;
	} else if (events[e].exit) {
		if (pr->entry && pr->window >= 0 && v[1] >= pr->entry)
			c->ns[pr->window] += v[1] - pr->entry;
		pr->entry = 0;
	} else if (w >= 0 && pr->entry && raw_size >= 16 &&
		   len >= sizeof(v) + sizeof(raw_size) + 16) {
		/* Inside an interrupt: a callback sent by another CPU (a
		 * local one runs without, through csd_do_func() too). */
		uint64_t func;

		memcpy(&func, rec + sizeof(v) + sizeof(raw_size) + 8,
		       sizeof(func));
		count_func(c, func, w);
	}
}

/* Read CPU column K's ring from its tail to its head; COUNT: tally. */
static void read_ring(struct handler *h, int k, bool count,
		      const unsigned long long from[2],
		      const unsigned long long to[2])
{
	struct perf_event_mmap_page *pg = h->ring[k];
	char *data = (char *)pg + sysconf(_SC_PAGESIZE);
	uint64_t size = h->data_bytes;
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;
	struct pairing pr = { 0, -1 };

	while (count && tail < head) {
		struct perf_event_header hd;
		const char *rec = perf_ring_record(data, size, tail, h->copy,
						   &hd);

		if (!rec)
			break;
		if (hd.type == PERF_RECORD_SAMPLE)
			one_sample(h, rec + sizeof(hd), hd.size - sizeof(hd),
				   &h->cpu[k], &pr, from, to);
		else if (hd.type == PERF_RECORD_LOST &&
			 hd.size >= sizeof(hd) + 16)
			h->cpu[k].lost +=
				((const uint64_t *)(rec + sizeof(hd)))[1];
		tail += hd.size;
	}
	__atomic_store_n(&pg->data_tail, head, __ATOMIC_RELEASE);
}

/* Forget what the rings hold: before a calibration window. */
void handler_drain(struct handler *h)
{
	for (int k = 0; h->open && k < h->cpus.n; k++)
		read_ring(h, k, false, NULL, NULL);
}

/*
 * Tally what the rings hold since handler_drain() per CPU column into
 * H->cpu: the calibration window is FROM[0]..TO[0], the measured one
 * FROM[1]..TO[1] (CLOCK_MONOTONIC ns).
 */
int handler_collect(struct handler *h, const unsigned long long from[2],
		    const unsigned long long to[2])
{
	if (!h->open)
		return 0;
	memset(h->cpu, 0, h->cpus.n * sizeof(*h->cpu));
	for (int k = 0; k < h->cpus.n; k++)
		read_ring(h, k, true, from, to);
	return 0;
}

/*
 * The kernel function at ADDR, from /proc/kallsyms (read once per new
 * address), or its address in hex where kallsyms does not say.
 */
const char *handler_func_name(struct handler *h, unsigned long long addr)
{
	char (*name)[PROCFS_SYM_MAX];
	FILE *f;
	int i;

	for (i = 0; i < h->nnames; i++)
		if (h->name_addr[i] == addr)
			return h->name[i];
	if (h->nnames == 32)
		return "?";
	i = h->nnames++;
	h->name_addr[i] = addr;
	name = &h->name[i];
	(*name)[0] = '\0';
	f = fopen("/proc/kallsyms", "r");
	if (f) {
		procfs_kallsyms_names(f, &addr, 1, name);
		fclose(f);
	}
	if (!(*name)[0])
		snprintf(*name, PROCFS_SYM_MAX, "0x%llx", addr);
	return *name;
}

void handler_close(struct handler *h)
{
	long page = sysconf(_SC_PAGESIZE);

	for (int k = 0; h->ring && k < h->cpus.n; k++)
		if (h->ring[k])
			munmap(h->ring[k], page + h->data_bytes);
	for (int i = 0; h->fd && i < h->nfds; i++)
		if (h->fd[i] >= 0)
			close(h->fd[i]);
	free(h->fd);
	free(h->event_of);
	free(h->id_of);
	free(h->ring);
	free(h->cpu);
	free(h->copy);
	cpu_list_free(&h->cpus);
	h->fd = NULL;
	h->event_of = NULL;
	h->id_of = NULL;
	h->ring = NULL;
	h->cpu = NULL;
	h->copy = NULL;
	h->nfds = 0;
	h->open = false;
}
