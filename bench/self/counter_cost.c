/*
 * counter-cost: what the counters cost the tool, against the number of
 * CPUs.  Every run opens one group of events per online CPU (or per
 * thread) and reads every group twice per window; on a machine with
 * hundreds of CPUs that is thousands of perf_event_open() calls and
 * hundreds of read() calls.  Timed per repetition: opening and enabling
 * the whole set, one window's two snapshots around an empty call (the
 * call itself excluded: the snapshots sit outside it), and closing.
 * Closing waits for RCU: perf_trace_event_unreg() calls
 * tracepoint_synchronize_unregister() when a tracepoint loses its last
 * perf event, once per tracepoint whatever the CPUs, but every event of
 * the kprobe PMU is a kprobe of its own: once per kprobe event, so per
 * CPU.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/measure.h"
#include "measure/procfs.h"
#include "measure/record.h"
#include "common/stats.h"
#include "workload.h"

static const char *const preset[] = { "--threads", "1", "--reps", "10",
				      NULL };

/* Windows read per repetition: their median is the repetition's. */
#define WINDOWS 8

struct cost {
	double open_ns, read_ns, close_ns;
	double procfs_ns;		/* of read_ns: /proc/interrupts */
	int cpus, slots, events;
};

static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

/*
 * A window's two reads of the /proc/interrupts TLB row: the file has a
 * column per CPU on every row, so it grows as rows x CPUs.
 */
static double procfs_reads(const struct counters *cs)
{
	int max = cpu_list_max(&cs->cpus);
	long long *row = calloc(max ? max : 1, sizeof(*row));
	unsigned long long t0 = now_ns();

	for (int i = 0; i < 2 && row; i++) {
		FILE *f = fopen("/proc/interrupts", "r");

		if (!f)
			break;
		procfs_interrupts_row(f, "TLB", row, max);
		fclose(f);
	}
	free(row);
	return now_ns() - t0;
}

/* The events opened: the file descriptors a run holds for them. */
static int events_open(const struct counters *cs)
{
	int n = 0;

	for (int i = 0; i < cs->n; i++)
		for (int k = 0; cs->c[i].fd && k < cs->nslots; k++)
			n += cs->c[i].fd[k] >= 0;
	return n;
}

static int one(struct bench *b, struct cost *c)
{
	double reads[WINDOWS], procfs[WINDOWS];
	struct counters cs;
	struct window w = { 0 };
	long long *delta = NULL;
	unsigned long long t0, t1, ns;
	int ret, irq = -1;

	t0 = now_ns();
	ret = counters_open(&cs, b->p.events_given ? b->p.events : NULL,
			    b->p.scope, b->tids, b->ntids, b->err,
			    sizeof(b->err));
	if (!ret)
		ret = counters_enable(&cs);
	c->open_ns = now_ns() - t0;
	if (!ret) {
		irq = counters_find(&cs, "interrupts.tlb");
		delta = counters_alloc_values(&cs);
		ret = delta ? window_init(&w, &cs) : -ENOMEM;
	}
	for (int i = 0; i < WINDOWS && !ret; i++) {
		t0 = now_ns();
		ret = window_measure(&w, &cs, b->self_cpu, nothing, NULL,
				     delta, &ns);
		t1 = now_ns();
		reads[i] = t1 - t0 - ns;
		procfs[i] = irq >= 0 && cs.c[irq].supported ?
			    procfs_reads(&cs) : 0;
	}
	if (!ret) {
		c->read_ns = stats_median(reads, WINDOWS);
		c->procfs_ns = stats_median(procfs, WINDOWS);
		c->cpus = cs.cpus.n;
		c->slots = cs.nslots;
		c->events = events_open(&cs);
	}
	window_free(&w);
	free(delta);
	t0 = now_ns();
	counters_close(&cs);
	c->close_ns = now_ns() - t0;
	return ret;
}

static void print(const struct bench *b, const struct cost *m)
{
	if (b->p.format == FORMAT_JSON) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "workload",
				       json_object_new_string("counter-cost"));
		json_object_object_add(o, "scope", json_object_new_string(
			scope_name(b->p.scope)));
		json_object_object_add(o, "reps", json_object_new_int(b->p.reps));
		json_object_object_add(o, "cpus", json_object_new_int(m->cpus));
		json_object_object_add(o, "slots", json_object_new_int(m->slots));
		json_object_object_add(o, "events_open",
				       json_object_new_int(m->events));
		json_object_object_add(o, "open_ns",
				       json_object_new_double(m->open_ns));
		json_object_object_add(o, "read_ns",
				       json_object_new_double(m->read_ns));
		json_object_object_add(o, "procfs_read_ns",
				       json_object_new_double(m->procfs_ns));
		json_object_object_add(o, "close_ns",
				       json_object_new_double(m->close_ns));
		sample_print_object(stdout, o);
		return;
	}
	printf("# counter-cost: %d online CPUs, %d groups (scope %s), %d "
	       "events open; medians of %u reps\n", m->cpus, m->slots,
	       scope_name(b->p.scope), m->events, b->p.reps);
	printf("%-32s %10.1f usec %8.2f per CPU\n", "open and enable",
	       m->open_ns / 1e3, m->open_ns / 1e3 / m->cpus);
	printf("%-32s %10.1f usec %8.2f per CPU\n",
	       "read per window (2 snapshots)", m->read_ns / 1e3,
	       m->read_ns / 1e3 / m->cpus);
	printf("%-32s %10.1f usec %8.2f per CPU\n",
	       "  of which /proc/interrupts", m->procfs_ns / 1e3,
	       m->procfs_ns / 1e3 / m->cpus);
	printf("%-32s %10.1f usec\n", "close", m->close_ns / 1e3);
	printf("# the snapshots are outside the measured call: its time "
	       "never includes them;\n# closing waits for an RCU grace "
	       "period per tracepoint and per kprobe event\n");
}

static int counter_cost_run(struct bench *b)
{
	unsigned n = b->p.reps;
	double *open = calloc(n, sizeof(double));
	double *read = calloc(n, sizeof(double));
	double *close = calloc(n, sizeof(double));
	double *procfs = calloc(n, sizeof(double));
	struct cost c = { 0 }, m;
	int ret = open && read && close && procfs ? 0 : -ENOMEM;

	b->tids[0] = gettid();
	b->ntids = 1;
	/* One untimed repetition: the first open pays for cold caches. */
	for (unsigned i = 0; i < n + 1 && !ret; i++) {
		ret = one(b, &c);
		if (ret || !i)
			continue;
		open[i - 1] = c.open_ns;
		read[i - 1] = c.read_ns;
		close[i - 1] = c.close_ns;
		procfs[i - 1] = c.procfs_ns;
	}
	if (!ret) {
		m = c;
		m.open_ns = stats_median(open, n);
		m.read_ns = stats_median(read, n);
		m.close_ns = stats_median(close, n);
		m.procfs_ns = stats_median(procfs, n);
		print(b, &m);
	}
	free(open);
	free(read);
	free(close);
	free(procfs);
	return ret;
}

/* Opening and closing depend on the kernel's probes, not on a size. */
static bool counter_cost_estimate(const struct params *p,
				  const struct rates *rt, struct estimate *e)
{
	(void)p, (void)rt, (void)e;
	return false;
}

const struct workload workload_counter_cost = {
	.name		= "counter-cost",
	.summary	= "opening, reading and closing the counters, per CPU: what counting costs the tool",
	.options	= OPT_REPS | OPT_FORMAT | OPT_EVENTS | OPT_SCOPE |
			  OPT_CPUS,
	.preset		= preset,
	.standalone	= counter_cost_run,
	.estimate	= counter_cost_estimate,
	.check		= bench_check_fixed_reps,
};
