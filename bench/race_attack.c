/*
 * race --attack: a helper that presses on the file while each zap runs,
 * where a kernel that dirties a zapped folio only after the flush is weak
 * (Documentation/design/deferred-dirty.md).  Its events are timed like
 * the cleaner's, and a hit is one that started after the zap started and
 * before it ended.
 *
 * - reclaim: the clean file pages, the hot ones included, are put first in
 *   line (MADV_COLD) and reclaimed during the zap: by memory pressure (a
 *   cgroup's memory.high, or a hold of the free memory, and a burst of
 *   anonymous memory inside the zap), and by MADV_PAGEOUT of the hot pages
 *   through a second mapping, which shrink_folio_list() can take only
 *   once the zap has removed the first.  Reclaim may strip the buffers of
 *   a clean folio the mmu_gather batch still holds (weak point 1).
 * - invalidate: POSIX_FADV_DONTNEED and an O_DIRECT write of each hot
 *   page's neighbours: invalidation checks a folio's dirty bit, not its
 *   references, and a large folio takes its hot page along (weak point 2).
 * - truncate: the last page table's worth of the file, far from every hot
 *   page, cut by ftruncate and restored, or punched: truncation and the
 *   zap of the mapping it does, against the zap's own batch.  Those pages
 *   read back as zeroes; they are never checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "measure/measure.h"
#include "race.h"

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

#define BURST_PARTS	16	/* a reclaim burst, between pageouts */

/* Drop the neighbours of the hot pages from the cache, then write them
 * past it: both paths may drop a clean folio nobody maps. */
static int invalidate_once(struct race *r)
{
	for (int i = 0; i < r->nnb; i++) {
		off_t off = r->nb[i] * PAGE;
		int ret = posix_fadvise(r->fd, off, PAGE, POSIX_FADV_DONTNEED);

		if (ret) {
			r->attack_what = "posix_fadvise";
			return -ret;
		}
		if (pwrite(r->wfd, r->zero, PAGE, off) != (ssize_t)PAGE) {
			r->attack_what = "O_DIRECT write";
			return errno ? -errno : -EIO;
		}
	}
	return 0;
}

/* The last page table's worth of the file, never a hot page's: cut by a
 * truncate and the size restored, or (every other time) punched. */
static int truncate_once(struct race *r)
{
	off_t cut = r->size - PAGE_TABLE_SPAN;

	if (r->punch && (r->cuts + r->punches) & 1) {
		r->attack_what = "fallocate(PUNCH_HOLE)";
		if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      cut, PAGE_TABLE_SPAN))
			return -errno;
		r->punches++;
	} else {
		r->attack_what = "ftruncate";
		if (ftruncate(r->fd, cut) || ftruncate(r->fd, r->size))
			return -errno;
		r->cuts++;
	}
	r->pages_cut += TABLE_PAGES;
	return 0;
}

static char *peek_page(struct race *r, int i)
{
	return r->peek + (r->hot[i] - r->hot[0]) * PAGE;
}

/*
 * Reclaim the hot pages themselves, through a mapping of our own: a folio
 * only it maps (the zap dropped the other) goes through the same
 * shrink_folio_list() as under pressure; then part of the burst.
 */
static int reclaim_once(struct race *r, unsigned part)
{
	for (int i = 0; i < HOT; i++) {
		if (madvise(peek_page(r, i), PAGE, MADV_PAGEOUT)) {
			r->attack_what = "MADV_PAGEOUT";
			return -errno;
		}
	}
	r->attack_what = "touching the burst";
	return part < BURST_PARTS ? pressure_burst(&r->pr, part, BURST_PARTS) :
				    0;
}

/*
 * The attacker: during each zap its event, again and again until the zap
 * ends; a reclaim burst is released when it is over.
 */
void *race_attacker(void *arg)
{
	struct race *r = arg;
	enum race_attack a = r->rp->attack;
	unsigned long next = 1;

	r->attack_cpu = race_place(&r->b->p.cpus, 3);
	for (;;) {
		unsigned long gen = next;
		int ret = 0;

		if (!race_next_zap(r, &next, &r->az))
			return NULL;
		while (!ret && atomic_load(&r->zap_gen) == gen &&
		       r->az.n < EVENTS_KEPT) {
			unsigned long long t0 = now_ns();

			if (a == ATTACK_RECLAIM) {
				ret = reclaim_once(r, r->az.n);
			} else if (a == ATTACK_INVALIDATE) {
				ret = invalidate_once(r);
			} else {
				ret = truncate_once(r);
			}
			race_time_event(&r->az, t0, now_ns());
		}
		if (a == ATTACK_RECLAIM)
			pressure_release(&r->pr);
		if (ret) {
			race_helper_quit(r, &r->attack_err, -ret);
			return NULL;
		}
		race_helper_done(r, &r->az, gen);
	}
}

/* Pages of the file gone from the page cache since the populate; returns
 * the hot ones. */
static int count_dropped(struct race *r)
{
	unsigned long pages = r->size / PAGE, gone = 0;
	int hot = 0;

	if (mincore(r->addr, r->size, r->vec))
		return 0;
	for (unsigned long i = 0; i < pages; i++)
		gone += !(r->vec[i] & 1);
	for (int i = 0; i < HOT; i++)
		hot += !(r->vec[r->hot[i]] & 1);
	r->hot_dropped += hot;
	r->file_dropped += gone;
	r->attempts_dropped += gone > 0;
	return hot;
}

static int reclaimed(struct race *r, unsigned long long *v)
{
	int ret = pressure_reclaimed(&r->pr, v);

	if (ret)
		snprintf(r->b->err, sizeof(r->b->err),
			 "reading the reclaim counter of %.200s: %s", r->pr.stat,
			 strerror(-ret));
	return ret;
}

/*
 * Before a zap: reclaim puts the file's pages first in line, maps the hot
 * ones a second time (only a zap then makes them pageable), takes what is
 * free and reads its counter.
 */
int race_attack_before(struct race *r)
{
	struct bench *b = r->b;
	int ret;

	if (r->rp->attack != ATTACK_RECLAIM)
		return 0;
	for (int i = 0; i < HOT; i++) {
		if (madvise(peek_page(r, i), PAGE, MADV_POPULATE_READ)) {
			snprintf(b->err, sizeof(b->err),
				 "MADV_POPULATE_READ: %s", strerror(errno));
			return -errno;
		}
	}
	if (madvise(r->addr, r->size, MADV_COLD)) {
		snprintf(b->err, sizeof(b->err), "MADV_COLD: %s",
			 strerror(errno));
		return -errno;
	}
	ret = pressure_prime(&r->pr);
	if (ret) {
		snprintf(b->err, sizeof(b->err),
			 "--attack reclaim: touching the burst: %s",
			 strerror(-ret));
		return ret;
	}
	return reclaimed(r, &r->steal0);
}

int race_attack_after(struct race *r)
{
	if (r->rp->attack != ATTACK_RECLAIM)
		return 0;
	return reclaimed(r, &r->steal1);
}

/* An attempt's findings, HIT if an event started inside its zap. */
void race_attack_tally(struct race *r, bool hit)
{
	int hot_gone = count_dropped(r);

	/* Reclaim ran during the zap: pressure, or a pageout that took a
	 * hot page. */
	if (r->rp->attack != ATTACK_RECLAIM)
		return;
	if (r->steal1 > r->steal0 || (hit && hot_gone))
		r->attempts_reclaim++;
	r->pages_reclaimed += r->steal1 - r->steal0;
}

/* The attack's fields: its events, how many fell inside the zap. */
void race_attack_report(struct race *r, struct json_object *c)
{
	enum race_attack a = r->rp->attack;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "mode", json_object_new_string(
		race_attack_names[a]));
	json_object_object_add(o, "cpu", r->attack_cpu >= 0 ?
			       json_object_new_int(r->attack_cpu) : NULL);
	json_object_object_add(o, "shares_cpu",
			       json_object_new_boolean(r->attack_cpu < 0));
	bench_add_count(o, "events", r->events);
	bench_add_count(o, "events_in_window", r->events_in_window);
	bench_add_count(o, "attempts_hit", r->attempts_hit);
	bench_add_count(o, "file_pages_dropped", r->file_dropped);
	bench_add_count(o, "attempts_file_pages_dropped", r->attempts_dropped);
	bench_add_count(o, "hot_pages_dropped", r->hot_dropped);
	if (a == ATTACK_RECLAIM) {
		json_object_object_add(o, "by", json_object_new_string(
			r->pr.cgroup ? "cgroup" : "hold"));
		if (r->pr.cgroup) {
			json_object_object_add(o, "cgroup",
				json_object_new_string(r->pr.dir));
			bench_add_count(o, "memory_high", r->pr.limit);
		} else {
			json_object_object_add(o, "no_cgroup",
				json_object_new_string(r->pr.why));
			bench_add_count(o, "hold_mib", r->pr.hold_size >> 20);
			bench_add_count(o, "hold_fill_ms", r->pr.fill_ns / 1000000);
		}
		bench_add_count(o, "burst_mib", r->pr.window_size >> 20);
		bench_add_count(o, "held_before_zap_mib", r->pr.primed >> 20);
		json_object_object_add(o, "reclaim_counter",
			json_object_new_string(r->pr.key));
		bench_add_count(o, "attempts_reclaim_in_window",
				r->attempts_reclaim);
		bench_add_count(o, "pages_reclaimed_in_window",
				r->pages_reclaimed);
	} else if (a == ATTACK_INVALIDATE) {
		struct json_object *nb = json_object_new_array();

		for (int i = 0; i < r->nnb; i++)
			json_object_array_add(nb,
					      json_object_new_int64(r->nb[i]));
		json_object_object_add(o, "pages", nb);
	} else {
		bench_add_count(o, "first_page", (r->size - PAGE_TABLE_SPAN) / PAGE);
		bench_add_count(o, "truncates", r->cuts);
		bench_add_count(o, "punches", r->punches);
		bench_add_count(o, "pages_cut", r->pages_cut);
	}
	json_object_object_add(c, "attack", o);
}

/* How often the attack landed inside the zap: 0 makes a pass hollow. */
unsigned long long race_attack_landed(const struct race *r)
{
	if (r->rp->attack == ATTACK_RECLAIM)
		return r->attempts_reclaim;
	return r->attempts_hit;
}

/* What the attack needs beyond the file, or a refusal (-EINVAL). */
int race_attack_setup(struct bench *b, struct race *r)
{
	off_t last = r->size - PAGE;

	switch (r->rp->attack) {
	case ATTACK_NONE:
		return 0;
	case ATTACK_RECLAIM:
		r->peek_size = (r->hot[HOT - 1] - r->hot[0] + 1) * PAGE;
		r->peek = mmap(NULL, r->peek_size, PROT_READ, MAP_SHARED,
			       r->fd, r->hot[0] * PAGE);
		if (r->peek == MAP_FAILED) {
			r->peek = NULL;
			snprintf(b->err, sizeof(b->err),
				 "--attack reclaim: mapping the hot pages: %s",
				 strerror(errno));
			return -errno;
		}
		return 0;
	case ATTACK_INVALIDATE:
		r->wfd = race_reopen(r, O_WRONLY | O_DIRECT);
		if (r->wfd < 0 && errno == EINVAL) {
			snprintf(b->err, sizeof(b->err),
				 "--attack invalidate: needs O_DIRECT, which %s on %.200s does not support",
				 b->region.fs, b->region.dir);
			return -EINVAL;
		}
		if (r->wfd < 0 ||
		    posix_memalign((void **)&r->zero, PAGE, PAGE)) {
			snprintf(b->err, sizeof(b->err),
				 "--attack invalidate: %s", strerror(errno));
			return -errno;
		}
		memset(r->zero, 0, PAGE);
		return 0;
	case ATTACK_TRUNCATE:
		/* Far from every hot page: the check stays meaningful. */
		r->punch = !fallocate(r->fd, FALLOC_FL_PUNCH_HOLE |
				      FALLOC_FL_KEEP_SIZE, last, PAGE);
		return 0;
	}
	return 0;
}

