/*
 * Victims that work.  Each helper, between its tasks (the touch of the
 * region), follows a pointer chain through its own working set: one load
 * per 4K page, in a fixed random order, so that its TLB entries are what
 * a full flush takes away (64M of 4K pages is far beyond the dTLB's
 * reach).  Every iteration reads the cycle counter; two iterations more
 * than VICTIM_GAP_NS apart are a gap, logged while the main thread has
 * armed the victims: from the calibration window to the end of the
 * measured one.  The main thread reads each victim's load count at its
 * marks and the logs after disarming them: nothing of this is read by
 * another CPU inside a window but the load counters at its two edges.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu.h"
#include "cycles.h"
#include "measure.h"
#include "procfs.h"
#include "victims.h"

#define WALK_CHUNK 64			/* loads between command checks */

/* A fixed pseudo-random sequence per victim (xorshift64). */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Link the pages of V's set into one cycle in a random order (Sattolo's
 * shuffle), each pointer at a different cache line of its page so that
 * the chain does not crowd one cache set.
 */
static void build_chain(struct victim *v, uint64_t seed)
{
	size_t pages = v->size / 4096;
	uint32_t *order = malloc(pages * sizeof(*order));
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + 1;

	if (!order) {
		v->err = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < pages; i++)
		order[i] = i;
	for (size_t i = pages - 1; i > 0; i--) {
		size_t j = next_random(&s) % i;
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < pages; i++) {
		size_t from = order[i], to = order[(i + 1) % pages];

		*(void **)(v->set + from * 4096 + (from % 64) * 64) =
			v->set + to * 4096 + (to % 64) * 64;
	}
	v->cursor = (void **)(v->set + order[0] * 4096 + (order[0] % 64) * 64);
	free(order);
}

/* A team task: each victim maps and links its set on its own CPU. */
static void victim_setup(void *arg, int index)
{
	struct victims *vs = arg;
	struct victim *v = &vs->v[index - 1];

	v->size = vs->size;
	v->set = mmap(NULL, v->size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->set == MAP_FAILED) {
		v->set = NULL;
		v->err = -errno;
		return;
	}
	/* 4K pages: the TLB reach a full flush takes away. */
	if (madvise(v->set, v->size, MADV_NOHUGEPAGE)) {
		v->err = -errno;
		return;
	}
	build_chain(v, index);
}

/*
 * The team's idle work: WALK_CHUNK loads, then back to see whether a
 * task came.  RESUMED: after a task, whose time is no gap.
 */
static void victim_walk(void *arg, int index, bool resumed)
{
	struct victims *vs = arg;
	struct victim *v = &vs->v[index - 1];
	unsigned cmd = atomic_load_explicit(&vs->command,
					    memory_order_acquire);
	unsigned long long loads = atomic_load_explicit(&v->loads,
							memory_order_relaxed);
	uint64_t prev = resumed ? cycles_now() : v->prev, now;
	uint64_t threshold = vs->threshold;
	void **p = v->cursor;

	if (cmd != atomic_load_explicit(&v->ack, memory_order_relaxed)) {
		v->recording = cmd & 1;
		if (v->recording) {
			v->ngaps = 0;
			v->dropped = 0;
		}
		atomic_store_explicit(&v->ack, cmd, memory_order_release);
	}
	for (int i = 0; i < WALK_CHUNK; i++) {
		p = *p;
		now = cycles_now();
		if (now - prev > threshold && v->recording) {
			if (v->ngaps < VICTIM_GAPS_MAX) {
				v->gap[v->ngaps].from = prev;
				v->gap[v->ngaps].to = now;
				v->ngaps++;
			} else {
				v->dropped++;
			}
		}
		prev = now;
		atomic_store_explicit(&v->loads, ++loads,
				      memory_order_relaxed);
	}
	v->cursor = p;
	v->prev = prev;
}

/* MemAvailable in bytes, or 0 when unknown. */
static unsigned long long mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long long kb = 0;

	if (!f)
		return 0;
	if (procfs_field(f, "MemAvailable", &kb))
		kb = 0;
	fclose(f);
	return kb << 10;
}

/*
 * Give each helper of T a working set of P->victims_size and make the
 * walk its idle work.  0, -EINVAL when the sets do not fit in memory
 * (with ERR), or -errno.
 */
int victims_start(struct victims *vs, struct team *t,
		  const struct params *p, char *err, size_t errlen)
{
	unsigned long long avail = mem_available();
	int ret;

	memset(vs, 0, sizeof(*vs));
	vs->size = p->victims_size;
	if (avail && vs->size * t->n > avail / 2) {
		snprintf(err, errlen, "--victims: %d working sets of %llu MiB "
			 "need more than half the available memory (%llu MiB)",
			 t->n, vs->size >> 20, avail >> 20);
		return -EINVAL;
	}
	vs->v = aligned_alloc(64, (t->n ? t->n : 1) * sizeof(*vs->v));
	if (!vs->v) {
		snprintf(err, errlen, "victims: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	memset(vs->v, 0, (t->n ? t->n : 1) * sizeof(*vs->v));
	vs->n = t->n;
	vs->threshold = VICTIM_GAP_NS * cycles_per_ns(20000000);
	for (int i = 0; i < vs->n; i++) {
		vs->v[i].cpu = t->cpu[i];
		vs->v[i].gap = calloc(VICTIM_GAPS_MAX, sizeof(*vs->v[i].gap));
		if (!vs->v[i].gap) {
			snprintf(err, errlen, "victims: %s", strerror(ENOMEM));
			return -ENOMEM;
		}
	}
	team_go(t, victim_setup, vs);
	ret = team_wait(t);
	for (int i = 0; !ret && i < vs->n; i++)
		ret = vs->v[i].err;
	if (ret) {
		snprintf(err, errlen, "victims: a working set of %llu MiB: %s",
			 vs->size >> 20, strerror(-ret));
		return ret;
	}
	team_set_idle(t, victim_walk, vs);
	return 0;
}

/* After team_stop(), or when victims_start() failed: nothing walks. */
void victims_stop(struct victims *vs)
{
	for (int i = 0; vs->v && i < vs->n; i++) {
		if (vs->v[i].set)
			munmap(vs->v[i].set, vs->v[i].size);
		free(vs->v[i].gap);
	}
	free(vs->v);
	vs->v = NULL;
	vs->n = 0;
}

/* Hand every victim the next command and wait until each has seen it. */
static void command(struct victims *vs, bool record)
{
	unsigned cmd = atomic_load(&vs->command) + 1;

	if ((cmd & 1) != record)
		cmd++;
	atomic_store_explicit(&vs->command, cmd, memory_order_release);
	for (int i = 0; i < vs->n; i++)
		while (atomic_load_explicit(&vs->v[i].ack,
					    memory_order_acquire) != cmd)
			cpu_relax();
}

/* Start logging gaps afresh. */
void victims_arm(struct victims *vs)
{
	command(vs, true);
}

/* Stop logging; the logs may be read until the next victims_arm(). */
void victims_disarm(struct victims *vs)
{
	command(vs, false);
}

/* The clocks and every victim's loads now, as mark M. */
void victims_mark(struct victims *vs, enum victim_mark m)
{
	vs->cycles_at[m] = cycles_now();
	vs->ns_at[m] = now_ns();
	for (int i = 0; i < vs->n; i++)
		vs->v[i].loads_at[m] = atomic_load_explicit(
			&vs->v[i].loads, memory_order_relaxed);
}

static void spin_until(unsigned long long end)
{
	while (now_ns() < end)
		;
}

/*
 * Arm the victims and busy-wait NS with the marks of a calibration
 * window (its middle too: the two halves measure its own noise).
 */
void victims_calibrate(struct victims *vs, unsigned long long ns)
{
	victims_arm(vs);
	vs->cal_ns = ns;
	victims_mark(vs, MARK_CAL_START);
	spin_until(vs->ns_at[MARK_CAL_START] + ns / 2);
	victims_mark(vs, MARK_CAL_MID);
	spin_until(vs->ns_at[MARK_CAL_START] + ns);
	victims_mark(vs, MARK_CAL_END);
}

/* Cycles per ns over the marks of the last repetition. */
static double rate_of(const struct victims *vs)
{
	double ns = vs->ns_at[MARK_WIN_END] - vs->ns_at[MARK_CAL_START];

	if (ns <= 0)
		return vs->threshold / (double)VICTIM_GAP_NS;
	return (vs->cycles_at[MARK_WIN_END] - vs->cycles_at[MARK_CAL_START]) /
	       ns;
}

double victims_window_ns(const struct victims *vs)
{
	return (vs->cycles_at[MARK_WIN_END] - vs->cycles_at[MARK_WIN_START]) /
	       rate_of(vs);
}

double victims_cal_ns(const struct victims *vs)
{
	return (vs->cycles_at[MARK_CAL_END] - vs->cycles_at[MARK_CAL_START]) /
	       rate_of(vs);
}

/* The gaps of V between marks A and B: how many, and their cycles. */
static void gaps_between(const struct victims *vs, const struct victim *v,
			 enum victim_mark a, enum victim_mark b,
			 unsigned long long *n, double *cycles)
{
	uint64_t from = vs->cycles_at[a], to = vs->cycles_at[b];

	*n = 0;
	*cycles = 0;
	for (unsigned i = 0; i < v->ngaps; i++) {
		uint64_t x = v->gap[i].from > from ? v->gap[i].from : from;
		uint64_t y = v->gap[i].to < to ? v->gap[i].to : to;

		if (y <= x)
			continue;
		(*n)++;
		*cycles += y - x;
	}
}

/*
 * Running time against loads between marks A and B of victim V: the
 * loads completed, the time (ns), and the part of it in gaps.
 */
struct stretch {
	double loads, ns, stolen;
	unsigned long long gaps;
};

static void stretch_of(const struct victims *vs, const struct victim *v,
		       enum victim_mark a, enum victim_mark b, double rate,
		       struct stretch *s)
{
	double cycles;

	s->loads = v->loads_at[b] - v->loads_at[a];
	s->ns = (vs->cycles_at[b] - vs->cycles_at[a]) / rate;
	gaps_between(vs, v, a, b, &s->gaps, &cycles);
	s->stolen = cycles / rate;
}

/*
 * What BASE's rate (loads per ns running) says X should have done, as
 * time lost in X: its length less BASE's share of gaps, less the time
 * its loads take at that rate.  NAN where BASE never ran.
 */
static double lost_against(const struct stretch *base,
			   const struct stretch *x)
{
	double run = base->ns - base->stolen;

	if (run <= 0 || base->loads <= 0)
		return NAN;
	return x->ns - base->stolen * x->ns / base->ns -
	       x->loads * run / base->loads;
}

/* Victim I's loss in the last measured window (after victims_disarm()). */
void victims_loss(const struct victims *vs, int i, struct victim_loss *out)
{
	const struct victim *v = &vs->v[i];
	struct stretch cal, win, half_a, half_b;
	double rate = rate_of(vs), noise;

	stretch_of(vs, v, MARK_CAL_START, MARK_CAL_END, rate, &cal);
	stretch_of(vs, v, MARK_WIN_START, MARK_WIN_END, rate, &win);
	stretch_of(vs, v, MARK_CAL_START, MARK_CAL_MID, rate, &half_a);
	stretch_of(vs, v, MARK_CAL_MID, MARK_CAL_END, rate, &half_b);
	memset(out, 0, sizeof(*out));
	out->cpu = v->cpu;
	out->loads = win.loads;
	out->cal_loads = cal.loads;
	out->gaps = win.gaps;
	out->cal_gaps = cal.gaps;
	out->stolen_ns = win.stolen;
	out->cal_stolen_ns = cal.stolen;
	out->lost_ns = lost_against(&cal, &win);
	out->slowdown_ns = out->lost_ns -
			   (win.stolen - cal.stolen * win.ns / cal.ns);
	noise = lost_against(&half_a, &half_b);
	out->noise_ns = half_b.ns > 0 ? fabs(noise) * win.ns / half_b.ns : NAN;
	out->dropped = v->dropped;
}
