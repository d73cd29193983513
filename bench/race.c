/*
 * race: drives the one race force_flush exists for, head on, and asks
 * whether the last store reached the file.
 *
 * A writer on its own CPU keeps storing to a few hot pages, one at the end
 * of each of the first page tables of a large MAP_SHARED file mapping, so
 * it holds writable, dirty TLB entries for them.  The zapper drops the whole
 * mapping; a cleaner writes the hot pages back while the zap runs.  A
 * kernel that flushes before the page-table lock is dropped (force_flush),
 * or that keeps the rmap until after the flush (delay_rmap), makes the
 * cleaner wait or the writer fault.  A kernel that defers the flush to the
 * end of the batch leaves the writer storing through stale entries into
 * pages writeback has already cleaned: those stores are lost once the page
 * is evicted.  Each hot page sits last in its table, so a per-table flush
 * closes that window at once while a batched flush leaves it open for the
 * zap of the rest of the range; --hot start puts each first, leaving a
 * kernel that drops the rmap before its per-table flush (6.1) the zap of
 * the rest of the table.
 *
 * One attempt: map the range (clean, read-only), let the writer fault the
 * hot pages writable, zap, and while the zap runs write the hot pages back.
 * The writer stops a few stores after it sees a writeback complete inside
 * the zap, or when the zap ends.  Then each hot page is read from disk with
 * O_DIRECT (which writes dirty cached pages first): anything but the last
 * value stored is a lost write, confirmed by evicting the page and reading
 * it back through the page cache.
 *
 * --layout together puts the 8 hot pages side by side in the first table
 * instead: one bio writes them back and the zap unmaps them within
 * microseconds.  --attack adds a helper that presses on the file during
 * each zap where a kernel that dirties folios only after the flush is weak
 * (Documentation/design/deferred-dirty.md): reclaim that may strip a clean
 * folio's buffers, invalidation (fadvise, O_DIRECT) that may drop a clean
 * unmapped folio, truncation of a range away from the hot pages.  Every helper's events,
 * the cleaner's writebacks and the writer's first store after one are
 * timed against the zap: how often they fell inside it, how close a miss.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "measure/measure.h"
#include "race.h"

static const char *const hot_names[] = { "end", "start", NULL };
static const char *const layout_names[] = { "spread", "together", NULL };
const char *const race_attack_names[] = {
	"none", "reclaim", "invalidate", "truncate", NULL };

#define TAIL		64	/* stores per hot page after a writeback */
#define MIN_SIZE	(2 * HOT * PAGE_TABLE_SPAN)	/* and as much again */

static volatile uint64_t *slot(struct race *r, int i)
{
	return (volatile uint64_t *)(r->addr + r->hot[i] * PAGE);
}

/* --self-test: attempts whose last store to hot page 0 is only claimed. */
static bool injected_attempt(const struct race *r, unsigned long n)
{
	return r->rp->self_test && (n == 2 || n == 4);
}

static void store_all(struct race *r)
{
	for (int i = 0; i < HOT; i++) {
		uint64_t v = ++r->seq;

		*slot(r, i) = v;
		r->last[i] = v;
		r->stores++;
	}
}

/*
 * The writer's task: for each attempt, fault the hot pages in writable,
 * then store until a writeback completed inside the zap (and TAIL rounds
 * more) or the zap ended.
 */
static void writer_task(void *arg, int index)
{
	struct race *r = arg;

	(void)index;
	for (unsigned long n = 1; ; n++) {
		unsigned long odd = 2 * n - 1, tail = 0;

		while (atomic_load(&r->go) < n)
			if (atomic_load(&r->quit))
				return;
			else
				cpu_relax();
		r->saw_wb = 0;
		store_all(r);
		atomic_store(&r->armed, n);
		while (atomic_load(&r->zap_gen) < odd)
			store_all(r);
		for (;;) {
			store_all(r);
			if (atomic_load(&r->zap_gen) != odd)
				break;
			if (atomic_load(&r->wb_inside) != odd)
				continue;
			/* The next store comes after the writeback. */
			if (!tail)
				r->saw_wb = now_ns();
			r->stores_after_wb += HOT;
			if (++tail == TAIL)
				break;
		}
		if (injected_attempt(r, n))
			r->last[0] = ++r->seq;	/* claimed, never stored */
		atomic_store(&r->stopped, n);
	}
}

/*
 * A helper's wait for the next zap, odd generation *NEXT: false once the
 * run stops.  A zap already over still counts, so that no generation is
 * skipped: the zapper waits for each helper to be done with each.
 */
bool race_next_zap(struct race *r, unsigned long *next,
		     struct helper_zap *h)
{
	pthread_mutex_lock(&r->lock);
	while (atomic_load(&r->zap_gen) < *next && !atomic_load(&r->quit))
		pthread_cond_wait(&r->zap_started, &r->lock);
	pthread_mutex_unlock(&r->lock);
	h->n = 0;
	*next += 2;
	return !atomic_load(&r->quit);
}

void race_helper_done(struct race *r, struct helper_zap *h,
			unsigned long gen)
{
	pthread_mutex_lock(&r->lock);
	h->done = gen;
	pthread_cond_broadcast(&r->idle);
	pthread_mutex_unlock(&r->lock);
}

void race_helper_quit(struct race *r, int *err, int e)
{
	pthread_mutex_lock(&r->lock);
	*err = e;
	atomic_store(&r->quit, true);
	pthread_cond_broadcast(&r->idle);
	pthread_mutex_unlock(&r->lock);
}

void race_time_event(struct helper_zap *h, unsigned long long t0,
		       unsigned long long t1)
{
	if (h->n < EVENTS_KEPT) {
		h->start[h->n] = t0;
		h->end[h->n] = t1;
	}
	h->n++;
}

/* On 3 CPUs or more a helper has one of its own; else any of --cpus. */
int race_place(const struct cpu_list *cpus, int idx)
{
	if (cpus->n > idx && !cpu_pin_self(cpus->cpu[idx]))
		return cpus->cpu[idx];
	cpu_allow_self(cpus);
	return -1;
}

static void count_cpu(struct race *r)
{
	const struct cpu_list *cpus = &r->b->p.cpus;
	int cpu = sched_getcpu();

	r->wb_on[cpu == cpus->cpu[0] ? ON_ZAPPER :
		 cpu == cpus->cpu[1] ? ON_WRITER : ON_OWN]++;
}

/*
 * Write the hot pages back, again and again, while a zap runs: the span
 * from the first to the last, whose other pages are never dirty.
 */
static void *cleaner(void *arg)
{
	struct race *r = arg;
	off_t off = r->hot[0] * PAGE;
	off_t len = (r->hot[HOT - 1] + 1) * PAGE - off;
	unsigned long next = 1;

	r->cleaner_cpu = race_place(&r->b->p.cpus, 2);
	for (;;) {
		unsigned long gen = next;

		if (!race_next_zap(r, &next, &r->cz))
			return NULL;
		while (atomic_load(&r->zap_gen) == gen) {
			unsigned long long t0 = now_ns();

			if (sync_file_range(r->fd, off, len,
					    SYNC_FILE_RANGE_WAIT_BEFORE |
					    SYNC_FILE_RANGE_WRITE |
					    SYNC_FILE_RANGE_WAIT_AFTER)) {
				race_helper_quit(r, &r->wb_err, errno);
				return NULL;
			}
			race_time_event(&r->cz, t0, now_ns());
			r->writebacks++;
			count_cpu(r);
			/* Began and ended inside this zap. */
			if (atomic_load(&r->zap_gen) == gen)
				atomic_store(&r->wb_inside, gen);
		}
		race_helper_done(r, &r->cz, gen);
	}
}

static int zap(struct race *r)
{
	if (r->rp->zap == ZAP_MADVISE)
		return madvise(r->addr, r->size, MADV_DONTNEED) ? -errno : 0;
	/* MAP_FIXED replaces in one step: never a hole to fault on. */
	if (mmap(r->addr, r->size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, r->fd, 0) == MAP_FAILED)
		return -errno;
	return madvise(r->addr, r->size, MADV_NOHUGEPAGE) ? -errno : 0;
}

static int read_page(struct race *r, int fd, unsigned long page,
		     uint64_t *out)
{
	ssize_t got = pread(fd, r->buf, PAGE, page * PAGE);

	if (got != (ssize_t)PAGE)
		return got < 0 ? -errno : -EIO;
	*out = *(uint64_t *)r->buf;
	return 0;
}

/* Each hot page on disk against the last value stored to it. */
static int check(struct race *r, unsigned long n)
{
	struct bench *b = r->b;

	for (int i = 0; i < HOT; i++) {
		unsigned long page = r->hot[i];
		bool inj = i == 0 && injected_attempt(r, n);
		uint64_t disk = 0, cached = 0;
		struct lost *l;
		int ret;

		ret = read_page(r, r->rfd, page, &disk);
		if (ret) {
			snprintf(b->err, sizeof(b->err),
				 "reading page %lu back: %s", page,
				 strerror(-ret));
			return ret;
		}
		r->checked++;
		if (disk == r->last[i])
			continue;
		if (inj) {
			r->injected_found++;
		} else if (!r->lost++) {
			r->first_lost_ns = now_ns() - r->start_ns;
			r->first_lost_attempt = n;
		}
		/* Evicted, a buffered read sees what the disk holds. */
		posix_fadvise(r->fd, page * PAGE, PAGE, POSIX_FADV_DONTNEED);
		read_page(r, r->fd, page, &cached);
		if (r->nkept == LOST_KEPT)
			continue;
		l = &r->kept[r->nkept++];
		l->attempt = n;
		l->page = page;
		l->expected = r->last[i];
		l->on_disk = disk;
		l->after_eviction = cached;
		l->injected = inj;
	}
	return 0;
}

/* Wait for the writer to reach N; false if the run is stopping. */
static bool wait_for(struct race *r, atomic_ulong *v, unsigned long n)
{
	while (atomic_load(v) != n)
		if (atomic_load(&r->quit))
			return false;
		else
			cpu_relax();
	return true;
}

/* Wait for the helpers to be done with zap GEN; false if stopping. */
static bool wait_helpers(struct race *r, unsigned long gen)
{
	bool attack = r->rp->attack != ATTACK_NONE;

	pthread_mutex_lock(&r->lock);
	while ((r->cz.done != gen || (attack && r->az.done != gen)) &&
	       !atomic_load(&r->quit))
		pthread_cond_wait(&r->idle, &r->lock);
	pthread_mutex_unlock(&r->lock);
	return !atomic_load(&r->quit);
}

static void min_of(unsigned long long *min, unsigned long long v)
{
	if (!*min || v < *min)
		*min = v;
}

/*
 * The zap's clock against its helpers': the first writeback's round trip,
 * the writer's first store after one, and by how much a writeback and a
 * store missed the end of the zap, when they did.
 */
static bool time_attempt(struct race *r)
{
	const struct helper_zap *c = &r->cz, *a = &r->az;
	unsigned long long zs = r->zap_start, ze = r->zap_end, last;
	unsigned kept = a->n < EVENTS_KEPT ? a->n : EVENTS_KEPT;
	bool hit = false;

	if (c->n) {
		r->wb_timed++;
		r->wb_ns_total += c->end[0] - c->start[0];
		min_of(&r->wb_ns_min, c->end[0] - c->start[0]);
		last = r->saw_wb ? r->saw_wb : c->end[0];
		if (r->saw_wb) {
			r->rt_timed++;
			r->rt_ns_total += r->saw_wb - c->start[0];
			min_of(&r->rt_ns_min, r->saw_wb - c->start[0]);
		}
		if (last > ze && (!r->closest_ns || last - ze < r->closest_ns))
			r->closest_ns = last - ze;
		r->attempts_missed += last > ze;
	}
	r->events += a->n;
	for (unsigned i = 0; i < kept; i++) {
		if (a->start[i] >= zs && a->start[i] < ze) {
			r->events_in_window++;
			hit = true;
		}
	}
	r->attempts_hit += hit;
	return hit;
}

static int attempt(struct race *r, unsigned long n)
{
	struct bench *b = r->b;
	unsigned long long t;
	unsigned long gen = 2 * n - 1;
	int ret;

	if (madvise(r->addr, r->size, MADV_POPULATE_READ)) {
		snprintf(b->err, sizeof(b->err), "MADV_POPULATE_READ: %s",
			 strerror(errno));
		return -errno;
	}
	atomic_store(&r->go, n);
	if (!wait_for(r, &r->armed, n))
		return 0;
	ret = race_attack_before(r);
	if (ret)
		return ret;

	pthread_mutex_lock(&r->lock);
	r->zap_start = now_ns();
	atomic_fetch_add(&r->zap_gen, 1);
	pthread_cond_broadcast(&r->zap_started);
	pthread_mutex_unlock(&r->lock);
	ret = zap(r);
	r->zap_end = now_ns();
	atomic_fetch_add(&r->zap_gen, 1);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "zap (%s): %s",
			 zap_mode_names[r->rp->zap], strerror(-ret));
		return ret;
	}
	ret = race_attack_after(r);
	if (ret)
		return ret;
	t = r->zap_end - r->zap_start;
	r->zap_ns_total += t;
	if (t > r->zap_ns_max)
		r->zap_ns_max = t;
	min_of(&r->zap_ns_min, t);
	if (!wait_for(r, &r->stopped, n) || !wait_helpers(r, gen))
		return 0;
	if (atomic_load(&r->wb_inside) == gen)
		r->attempts_wb_inside++;
	if (r->rp->attack != ATTACK_NONE)
		race_attack_tally(r, time_attempt(r));
	else
		time_attempt(r);
	r->attempts++;
	return check(r, n);
}

static void stop_helpers(struct race *r)
{
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->quit, true);
	pthread_cond_broadcast(&r->zap_started);
	pthread_mutex_unlock(&r->lock);
}

static int race_run(struct bench *b)
{
	struct race *r = b->priv;
	bool attack = r->rp->attack != ATTACK_NONE;
	unsigned long long deadline;
	pthread_t cl, at;
	int ret;

	ret = pthread_create(&cl, NULL, cleaner, r);
	if (!ret && attack) {
		ret = pthread_create(&at, NULL, race_attacker, r);
		if (ret) {
			stop_helpers(r);
			pthread_join(cl, NULL);
		}
	}
	if (ret) {
		snprintf(b->err, sizeof(b->err), "starting the %s: %s",
			 attack ? "helpers" : "cleaner", strerror(ret));
		return -ret;
	}
	team_go(&b->team, writer_task, r);
	r->start_ns = now_ns();
	deadline = r->start_ns + b->p.duration * 1000000000ULL;
	for (unsigned long n = 1; !ret && !atomic_load(&r->quit); n++) {
		ret = attempt(r, n);
		if (now_ns() >= deadline || (r->rp->until_lost && r->lost))
			break;
	}
	stop_helpers(r);
	pthread_join(cl, NULL);
	if (attack)
		pthread_join(at, NULL);
	if (team_wait(&b->team) && !ret) {
		snprintf(b->err, sizeof(b->err), "pinning the writer failed");
		ret = -EINVAL;
	}
	if (!ret && r->wb_err) {
		snprintf(b->err, sizeof(b->err), "sync_file_range: %s",
			 strerror(r->wb_err));
		ret = -r->wb_err;
	}
	if (!ret && r->attack_err) {
		snprintf(b->err, sizeof(b->err), "--attack %s: %s: %s",
			 race_attack_names[r->rp->attack], r->attack_what,
			 strerror(r->attack_err));
		ret = -r->attack_err;
	}
	return ret;
}

static unsigned long long mean(unsigned long long total,
			       unsigned long long n)
{
	return n ? total / n : 0;
}

/* Timing fields: the window against the writeback round trip. */
static void report_timing(struct race *r, struct json_object *c)
{
	const struct cpu_list *cpus = &r->b->p.cpus;
	int most = ON_ZAPPER;

	for (int i = 0; i < ON_MAX; i++)
		if (r->wb_on[i] > r->wb_on[most])
			most = i;
	bench_add_count(c, "window_ns_mean", mean(r->zap_ns_total,
						   r->attempts));
	bench_add_count(c, "window_ns_min", r->zap_ns_min);
	bench_add_count(c, "table_ns_mean", mean(r->zap_ns_total,
		r->attempts * (r->size / PAGE_TABLE_SPAN)));
	bench_add_count(c, "writeback_ns_mean", mean(r->wb_ns_total,
						      r->wb_timed));
	bench_add_count(c, "writeback_ns_min", r->wb_ns_min);
	bench_add_count(c, "round_trip_ns_mean", mean(r->rt_ns_total,
						       r->rt_timed));
	bench_add_count(c, "round_trip_ns_min", r->rt_ns_min);
	bench_add_count(c, "attempts_writeback_store_missed", r->attempts_missed);
	json_object_object_add(c, "closest_ns", r->attempts_missed ?
		json_object_new_int64(r->closest_ns) : NULL);
	json_object_object_add(c, "cleaner_cpu", json_object_new_int(
		r->cleaner_cpu >= 0 ? r->cleaner_cpu :
		most == ON_ZAPPER ? cpus->cpu[0] : cpus->cpu[1]));
	json_object_object_add(c, "cleaner_shares_cpu",
			       json_object_new_boolean(r->cleaner_cpu < 0));
	bench_add_count(c, "writebacks_on_zapper_cpu", r->wb_on[ON_ZAPPER]);
	bench_add_count(c, "writebacks_on_writer_cpu", r->wb_on[ON_WRITER]);
}

/* The record's findings; returns the verdict. */
static int report(struct race *r)
{
	struct bench *b = r->b;
	enum race_attack a = r->rp->attack;
	struct json_object *res = json_object_new_object();
	struct json_object *c = json_object_new_object();
	struct json_object *lost = json_object_new_array();
	struct json_object *hot = json_object_new_array();
	const char *verdict;
	char text[768], timing[256], att[192] = "";
	int ret = BENCH_PASSED;

	b->ops = r->attempts;
	for (int i = 0; i < HOT; i++)
		json_object_array_add(hot, json_object_new_int64(r->hot[i]));
	bench_add_count(c, "pages", r->size / PAGE);
	bench_add_count(c, "hot_pages", HOT);
	json_object_object_add(c, "layout", json_object_new_string(
		layout_names[r->rp->layout]));
	json_object_object_add(c, "hot_page_numbers", hot);
	bench_add_count(c, "attempts", r->attempts);
	bench_add_count(c, "attempts_writeback_inside_zap", r->attempts_wb_inside);
	bench_add_count(c, "writebacks", r->writebacks);
	bench_add_count(c, "stores", r->stores);
	bench_add_count(c, "stores_after_writeback_inside_zap", r->stores_after_wb);
	bench_add_count(c, "zap_ns_mean", mean(r->zap_ns_total, r->attempts));
	bench_add_count(c, "zap_ns_max", r->zap_ns_max);
	report_timing(r, c);
	if (a != ATTACK_NONE)
		race_attack_report(r, c);
	bench_add_count(c, "pages_checked", r->checked);
	json_object_object_add(c, "check_read", json_object_new_string(
		r->direct ? "O_DIRECT" : "buffered after eviction"));
	bench_add_count(c, "lost", r->lost);
	if (r->lost) {
		bench_add_count(c, "first_lost_attempt", r->first_lost_attempt);
		bench_add_count(c, "first_lost_after_ms", r->first_lost_ns / 1000000);
	}
	if (r->rp->self_test)
		bench_add_count(c, "injected_found", r->injected_found);
	for (int i = 0; i < r->nkept; i++) {
		struct json_object *o = json_object_new_object();
		const struct lost *l = &r->kept[i];

		bench_add_count(o, "attempt", l->attempt);
		bench_add_count(o, "page", l->page);
		bench_add_hex(o, "expected", l->expected);
		bench_add_hex(o, "on_disk", l->on_disk);
		bench_add_hex(o, "read_after_eviction", l->after_eviction);
		if (l->injected)
			json_object_object_add(o, "injected",
					       json_object_new_boolean(true));
		json_object_array_add(lost, o);
	}
	json_object_object_add(res, "race", c);
	json_object_object_add(res, "lost_writes", lost);

	snprintf(timing, sizeof(timing),
		 "; window %.3f ms (a table's share %.3f ms), writeback %.3f ms, writeback and store min %.3f ms, missed in %llu attempts (closest by %.3f ms)",
		 mean(r->zap_ns_total, r->attempts) / 1e6,
		 mean(r->zap_ns_total,
		      r->attempts * (r->size / PAGE_TABLE_SPAN)) / 1e6,
		 mean(r->wb_ns_total, r->wb_timed) / 1e6, r->rt_ns_min / 1e6,
		 r->attempts_missed, r->closest_ns / 1e6);
	if (a != ATTACK_NONE)
		snprintf(att, sizeof(att), "; --attack %s landed inside the zap in %llu attempts",
			 race_attack_names[a], race_attack_landed(r));
	if (r->lost) {
		verdict = "lost";
		ret = BENCH_LOST;
		snprintf(text, sizeof(text),
			 "LOST: %llu of %llu hot-page checks found an older value on disk; first at attempt %lu, %.1f s in (see lost_writes)%s%s",
			 r->lost, r->checked, r->first_lost_attempt,
			 r->first_lost_ns / 1e9, att, timing);
	} else if (r->rp->self_test && r->injected_found == r->injected) {
		verdict = "self-test passed";
		snprintf(text, sizeof(text),
			 "SELF-TEST PASSED: exactly the %d injected lost writes were found",
			 r->injected);
	} else if (r->rp->self_test) {
		verdict = "self-test failed";
		ret = BENCH_SELF_TEST_FAILED;
		snprintf(text, sizeof(text),
			 "SELF-TEST FAILED: %d of the %d injected lost writes were found",
			 r->injected_found, r->injected);
	} else if (!r->attempts_wb_inside) {
		verdict = "inconclusive";
		snprintf(text, sizeof(text),
			 "INCONCLUSIVE: nothing lost, but no writeback completed inside a zap in %llu attempts%s",
			 r->attempts, timing);
	} else if (a != ATTACK_NONE && !race_attack_landed(r)) {
		verdict = "inconclusive";
		snprintf(text, sizeof(text),
			 "INCONCLUSIVE: nothing lost, but --attack %s never landed inside a zap in %llu attempts%s",
			 race_attack_names[a], r->attempts, timing);
	} else {
		verdict = "pass";
		snprintf(text, sizeof(text),
			 "PASS: no write lost; %llu of %llu attempts wrote the hot pages back inside the zap%s%s",
			 r->attempts_wb_inside, r->attempts, att, timing);
	}
	return bench_verdict(b, res, verdict, text, ret);
}

static int race_whole(struct bench *b)
{
	struct race *r = b->priv;
	int ret = race_run(b);

	if (ret)
		return ret;
	if (r->rp->self_test)
		r->injected = r->attempts >= 4 ? 2 : r->attempts >= 2;
	return report(r);
}

static int race_check(const struct params *p, char *err, size_t errlen)
{
	const struct race_params *rp = race_params(p);
	if (p->backing != BACKING_FILE) {
		snprintf(err, errlen,
			 "--backing: race needs file (pages written back and evicted), not %s",
			 backing_name(p->backing));
		return -EINVAL;
	}
	if (p->threads != 2) {
		snprintf(err, errlen,
			 "--threads: race runs a zapper and one writer: 2, not %u",
			 p->threads);
		return -EINVAL;
	}
	if (p->size < MIN_SIZE) {
		snprintf(err, errlen,
			 "--size: race needs at least %luM: a page table per hot page, and the zap of the rest",
			 MIN_SIZE >> 20);
		return -EINVAL;
	}
	if (rp->zap == ZAP_TRUNCATE_EXTEND) {
		snprintf(err, errlen,
			 "--zap: race zaps with madvise or munmap-remap");
		return -EINVAL;
	}
	if (rp->hold_memory && rp->attack != ATTACK_RECLAIM) {
		snprintf(err, errlen, "--hold-memory: only with --attack reclaim");
		return -EINVAL;
	}
	return 0;
}

/* The hot pages, and the pages next to them that are not hot. */
static void place_hot(struct race *r)
{
	bool spread = r->rp->layout == LAYOUT_SPREAD;
	unsigned long pages = r->size / PAGE;

	for (int i = 0; i < HOT; i++) {
		unsigned long table = spread ? i : 0;
		unsigned long pte = spread ? 0 : i;

		if (r->rp->hot == HOT_END)
			pte = TABLE_PAGES - 1 - (spread ? 0 : HOT - 1 - i);
		r->hot[i] = table * TABLE_PAGES + pte;
	}
	r->nnb = 0;
	for (int i = 0; i < HOT; i++) {
		unsigned long h = r->hot[i];

		if (h > 0 && (i == 0 || r->hot[i - 1] != h - 1))
			r->nb[r->nnb++] = h - 1;
		if (h + 1 < pages && (i == HOT - 1 || r->hot[i + 1] != h + 1))
			r->nb[r->nnb++] = h + 1;
	}
}

int race_reopen(struct race *r, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", r->fd);
	return open(path, flags | O_CLOEXEC);
}

static int race_setup(struct bench *b)
{
	struct race *r;
	int ret;

	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(b->err, sizeof(b->err), "race: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	b->priv = r;
	r->b = b;
	r->rp = race_params(&b->p);
	r->rfd = r->wfd = -1;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->zap_started, NULL);
	pthread_cond_init(&r->idle, NULL);
	ret = region_create(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	if (b->region.in_memory) {
		snprintf(b->err, sizeof(b->err),
			 "--dir: race needs a disk-backed file; %.200s is %s",
			 b->region.dir, b->region.fs);
		return -EINVAL;
	}
	/* A cgroup must be entered before the file's pages are charged. */
	if (r->rp->attack == ATTACK_RECLAIM) {
		ret = pressure_start(&r->pr, b->p.size, r->rp->hold_memory,
				     b->err, sizeof(b->err));
		if (ret)
			return ret;
	}
	ret = region_map_empty(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	ret = bench_region_seen(b);
	if (ret)
		return ret;
	r->fd = b->region.fd;
	r->addr = b->region.addr;
	r->size = b->region.size;
	r->vec = malloc(r->size / PAGE);
	if (!r->vec || posix_memalign((void **)&r->buf, PAGE, PAGE)) {
		snprintf(b->err, sizeof(b->err), "race: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	place_hot(r);
	b->region.populate = "MADV_POPULATE_READ, each attempt";

	/* Write the file once, so every page has a block on disk. */
	if (madvise(r->addr, r->size, MADV_POPULATE_WRITE) ||
	    fdatasync(r->fd) ||
	    madvise(r->addr, r->size, MADV_DONTNEED)) {
		snprintf(b->err, sizeof(b->err), "writing the file: %s",
			 strerror(errno));
		return -errno;
	}
	r->direct = true;
	r->rfd = race_reopen(r, O_RDONLY | O_DIRECT);
	if (r->rfd < 0 && errno == EINVAL) {
		r->direct = false;
		r->rfd = race_reopen(r, O_RDONLY);
	}
	if (r->rfd < 0) {
		snprintf(b->err, sizeof(b->err), "reopening the file: %s",
			 strerror(errno));
		return -errno;
	}
	ret = race_attack_setup(b, r);
	if (!ret && r->rp->attack == ATTACK_RECLAIM)
		ret = pressure_arm(&r->pr, b->err, sizeof(b->err));
	if (ret)
		return ret;
	/* The writer goes on the CPU after the zapper's. */
	ret = team_start(&b->team, b->p.cpus.cpu + 1, 1);
	if (ret)
		snprintf(b->err, sizeof(b->err), "starting the writer: %s",
			 strerror(-ret));
	return ret;
}

static void race_teardown(struct bench *b)
{
	struct race *r = b->priv;

	team_stop(&b->team);
	region_destroy(&b->region);
	if (r) {
		if (r->rfd >= 0)
			close(r->rfd);
		if (r->wfd >= 0)
			close(r->wfd);
		pressure_stop(&r->pr);
		if (r->peek)
			munmap(r->peek, r->peek_size);
		free(r->buf);
		free(r->zero);
		free(r->vec);
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->zap_started);
		pthread_cond_destroy(&r->idle);
		free(r);
	}
	b->priv = NULL;
}

#define RACE_OPT(field) .off = offsetof(struct race_params, field)

static const struct opt_def race_option_rows[] = {
	{ .name = "zap", .arg = "MODE", .def = "madvise", .type = T_CHOICE,
	  .choices = zap_mode_names, RACE_OPT(zap),
	  .help = "how the zapper drops the mapping under the writer: "
		  "madvise (MADV_DONTNEED) or munmap-remap (a MAP_FIXED "
		  "mmap over it, so it is never a hole)" },
	{ .name = "self-test", .arg = "", .type = T_FLAG, RACE_OPT(self_test),
	  .help = "record the last store to one hot page in attempts 2 "
		  "and 4 as done without making it: the check must report "
		  "exactly those writes as lost" },
	{ .name = "hot", .arg = "end|start", .def = "end", .type = T_CHOICE,
	  .choices = hot_names, RACE_OPT(hot),
	  .help = "where the writer's hot pages sit in their page table: "
		  "end (a per-table flush closes the window at once, a "
		  "batched flush leaves it open for the rest of the zap) or "
		  "start (the window is the zap of the rest of the table "
		  "before its flush)" },
	{ .name = "layout", .arg = "spread|together", .def = "spread",
	  .type = T_CHOICE, .choices = layout_names, RACE_OPT(layout),
	  .help = "where the writer's 8 hot pages are: spread (one in each "
		  "of the first 8 page tables) or together (adjacent in the "
		  "first table, written back by one bio and unmapped within "
		  "microseconds)" },
	{ .name = "attack", .arg = "none|reclaim|invalidate|truncate",
	  .def = "none", .type = T_CHOICE, .choices = race_attack_names,
	  RACE_OPT(attack),
	  .help = "what else presses on the file while the zap runs: "
		  "nothing; reclaim (MADV_PAGEOUT of the hot pages through a "
		  "second mapping, and memory pressure: a cgroup v2 "
		  "memory.high limit, or with --hold-memory a hold of the "
		  "free memory bounded by MemAvailable); invalidate "
		  "(POSIX_FADV_DONTNEED and O_DIRECT writes of the hot "
		  "pages' neighbours); truncate (the last page table's worth "
		  "of the file cut and restored, or punched)" },
	/* What the run may take, not what it measures: the record says
	 * how reclaim pressed. */
	{ .name = "hold-memory", .arg = "", .type = T_FLAG, .unrecorded = true,
	  RACE_OPT(hold_memory),
	  .help = "--attack reclaim without a writable cgroup v2 memory "
		  "controller: hold the free memory instead (all of "
		  "MemAvailable but an eighth of RAM, most of the machine), "
		  "this process first for the OOM killer; without it such a "
		  "run is refused" },
	{ .name = "until-lost", .arg = "", .type = T_FLAG,
	  RACE_OPT(until_lost),
	  .help = "end the run after the first attempt that lost a write: "
		  "the time to detection, --duration its bound (the counts "
		  "then cover the run up to it)" },
	{ 0 }
};

static const struct opt_own race_options = {
	.rows = race_option_rows,
	.size = sizeof(struct race_params),
};

static const struct result_figure race_figures[] = {
	{ .key = "params.zap", .column = "zap", .width = 12 },
	{ .key = "params.hot", .column = "hot", .width = 5 },
	{ .key = "params.layout", .column = "layout", .width = 8,
	  .absent = "spread" },
	{ .key = "params.attack", .column = "attack", .width = 10,
	  .absent = "none" },
	{ .name = "attempts", .key = "race.attempts",
	  .what = "long zaps with hot pages", .column = "tries", .width = 6 },
	{ .name = "windows", .key = "race.attempts_writeback_inside_zap",
	  .what = "attempts whose hot pages were written back inside the "
	  "zap: the race's window", .column = "inside", .width = 6 },
	{ .name = "stores in win",
	  .key = "race.stores_after_writeback_inside_zap",
	  .what = "stores made in those windows" },
	{ .name = "checks", .key = "race.pages_checked",
	  .what = "hot pages read back from disk" },
	{ .key = "race.zap_ns_mean", .what = "a zap's mean time, ms",
	  .column = "zapms", .width = 6, .unit = 1e6 },
	{ .name = "lost writes", .key = "race.lost",
	  .what = "last stores not on disk", .column = "lost", .width = 6 },
	{ .key = "race.first_lost_after_ms",
	  .what = "when the first was found, s", .column = "first_s",
	  .width = 8, .unit = 1e3, .absent = "-" },
	{ .key = NULL }
};

static const char *const race_preset[] = {
	"--backing", "file", "--size", "64M", "--threads", "2", NULL };

const struct workload workload_race = {
	.name		= "race",
	.summary	= "a writer keeps stale TLB entries of hot pages while they are written back during a long zap: is the last store on disk?",
	.options	= OPT_SIZE | OPT_THREADS | OPT_BACKING | OPT_DIR |
			  OPT_CPUS | OPT_FORMAT | OPT_EVENTS |
			  OPT_DURATION | OPT_NO_SPACE_CHECK,
	.own		= &race_options,
	.figures	= race_figures,
	.preset		= race_preset,
	.setup		= race_setup,
	.run		= race_whole,
	.teardown	= race_teardown,
	.check		= race_check,
};
