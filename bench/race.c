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
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cpu.h"
#include "measure.h"
#include "workload.h"

#define PAGE		4096UL
#define HOT		8	/* pages the writer stores to, a table each */
#define TAIL		64	/* stores per hot page after a writeback */
#define LOST_KEPT	64
#define MIN_SIZE	(2 * HOT * PAGE_TABLE_SPAN)	/* and as much again */

struct lost {
	unsigned long attempt, page;
	uint64_t expected, on_disk, after_eviction;
	bool injected;
};

struct race {
	struct bench *b;
	char *addr;
	size_t size;
	int fd, rfd;			/* the file, and O_DIRECT for checks */
	bool direct;
	char *buf;			/* aligned page for reads */
	unsigned long hot[HOT];		/* page numbers, one per table */

	/* The zapper's attempt protocol, in order. */
	atomic_ulong go;		/* attempt N: writer, fault in */
	atomic_ulong armed;		/* writer holds writable entries */
	atomic_ulong zap_gen;		/* odd while a zap runs */
	atomic_ulong wb_inside;		/* zap_gen of a writeback inside */
	atomic_ulong stopped;		/* writer stopped storing */
	atomic_bool quit;

	pthread_mutex_t lock;
	pthread_cond_t zap_started;

	/* The writer's. */
	uint64_t seq;
	uint64_t last[HOT];		/* last value stored, per hot page */
	unsigned long long stores, stores_after_wb;

	/* The cleaner's. */
	unsigned long long writebacks;
	int wb_err;

	/* The zapper's. */
	unsigned long long attempts, attempts_wb_inside, checked, lost;
	unsigned long long zap_ns_total, zap_ns_max;
	unsigned long long start_ns, first_lost_ns;
	unsigned long first_lost_attempt;
	int injected, injected_found, nkept;
	struct lost kept[LOST_KEPT];
};

static volatile uint64_t *slot(struct race *r, int i)
{
	return (volatile uint64_t *)(r->addr + r->hot[i] * PAGE);
}

/* --self-test: attempts whose last store to hot page 0 is only claimed. */
static bool injected_attempt(const struct race *r, unsigned long n)
{
	return r->b->p.self_test && (n == 2 || n == 4);
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
 * Write the hot pages back, again and again, while a zap runs: the span
 * from the first to the last, whose other pages are never dirty.
 */
static void *cleaner(void *arg)
{
	struct race *r = arg;
	off_t off = r->hot[0] * PAGE;
	off_t len = (r->hot[HOT - 1] + 1) * PAGE - off;

	cpu_allow_self(&r->b->p.cpus);
	for (;;) {
		unsigned long gen;

		pthread_mutex_lock(&r->lock);
		while (!((gen = atomic_load(&r->zap_gen)) & 1) &&
		       !atomic_load(&r->quit))
			pthread_cond_wait(&r->zap_started, &r->lock);
		pthread_mutex_unlock(&r->lock);
		if (atomic_load(&r->quit))
			return NULL;
		while (atomic_load(&r->zap_gen) == gen) {
			if (sync_file_range(r->fd, off, len,
					    SYNC_FILE_RANGE_WAIT_BEFORE |
					    SYNC_FILE_RANGE_WRITE |
					    SYNC_FILE_RANGE_WAIT_AFTER)) {
				r->wb_err = errno;
				atomic_store(&r->quit, true);
				return NULL;
			}
			r->writebacks++;
			/* Began and ended inside this zap. */
			if (atomic_load(&r->zap_gen) == gen)
				atomic_store(&r->wb_inside, gen);
		}
	}
}

static int zap(struct race *r)
{
	const struct params *p = &r->b->p;

	if (p->zap == ZAP_MADVISE)
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

static int attempt(struct race *r, unsigned long n)
{
	struct bench *b = r->b;
	unsigned long long t0, t;
	int ret;

	if (madvise(r->addr, r->size, MADV_POPULATE_READ)) {
		snprintf(b->err, sizeof(b->err), "MADV_POPULATE_READ: %s",
			 strerror(errno));
		return -errno;
	}
	atomic_store(&r->go, n);
	if (!wait_for(r, &r->armed, n))
		return 0;

	pthread_mutex_lock(&r->lock);
	atomic_fetch_add(&r->zap_gen, 1);
	pthread_cond_signal(&r->zap_started);
	pthread_mutex_unlock(&r->lock);
	t0 = now_ns();
	ret = zap(r);
	t = now_ns() - t0;
	atomic_fetch_add(&r->zap_gen, 1);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "zap (%s): %s",
			 zap_name(b->p.zap), strerror(-ret));
		return ret;
	}
	r->zap_ns_total += t;
	if (t > r->zap_ns_max)
		r->zap_ns_max = t;
	if (!wait_for(r, &r->stopped, n))
		return 0;
	if (atomic_load(&r->wb_inside) == atomic_load(&r->zap_gen) - 1)
		r->attempts_wb_inside++;
	r->attempts++;
	return check(r, n);
}

static int race_run(struct bench *b)
{
	struct race *r = b->priv;
	unsigned long long deadline;
	pthread_t cl;
	int ret;

	ret = pthread_create(&cl, NULL, cleaner, r);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "starting the cleaner: %s",
			 strerror(ret));
		return -ret;
	}
	team_go(&b->team, writer_task, r);
	r->start_ns = now_ns();
	deadline = r->start_ns + b->p.duration * 1000000000ULL;
	for (unsigned long n = 1; !ret && !atomic_load(&r->quit); n++) {
		ret = attempt(r, n);
		if (now_ns() >= deadline)
			break;
	}
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->quit, true);
	pthread_cond_signal(&r->zap_started);
	pthread_mutex_unlock(&r->lock);
	pthread_join(cl, NULL);
	if (team_wait(&b->team) && !ret) {
		snprintf(b->err, sizeof(b->err), "pinning the writer failed");
		ret = -EINVAL;
	}
	if (!ret && r->wb_err) {
		snprintf(b->err, sizeof(b->err), "sync_file_range: %s",
			 strerror(r->wb_err));
		ret = -r->wb_err;
	}
	return ret;
}

/* The record's findings; returns the verdict. */
static int report(struct race *r)
{
	struct bench *b = r->b;
	struct json_object *res = json_object_new_object();
	struct json_object *c = json_object_new_object();
	struct json_object *lost = json_object_new_array();
	struct json_object *hot = json_object_new_array();
	const char *verdict;
	char text[512];
	int ret = BENCH_PASSED;

	b->ops = r->attempts;
	for (int i = 0; i < HOT; i++)
		json_object_array_add(hot, json_object_new_int64(r->hot[i]));
	bench_add_count(c, "pages", r->size / PAGE);
	bench_add_count(c, "hot_pages", HOT);
	json_object_object_add(c, "hot_page_numbers", hot);
	bench_add_count(c, "attempts", r->attempts);
	bench_add_count(c, "attempts_writeback_inside_zap", r->attempts_wb_inside);
	bench_add_count(c, "writebacks", r->writebacks);
	bench_add_count(c, "stores", r->stores);
	bench_add_count(c, "stores_after_writeback_inside_zap", r->stores_after_wb);
	bench_add_count(c, "zap_ns_mean", r->attempts ?
		  r->zap_ns_total / r->attempts : 0);
	bench_add_count(c, "zap_ns_max", r->zap_ns_max);
	bench_add_count(c, "pages_checked", r->checked);
	json_object_object_add(c, "check_read", json_object_new_string(
		r->direct ? "O_DIRECT" : "buffered after eviction"));
	bench_add_count(c, "lost", r->lost);
	if (r->lost) {
		bench_add_count(c, "first_lost_attempt", r->first_lost_attempt);
		bench_add_count(c, "first_lost_after_ms", r->first_lost_ns / 1000000);
	}
	if (b->p.self_test)
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

	if (r->lost) {
		verdict = "lost";
		ret = BENCH_LOST;
		snprintf(text, sizeof(text),
			 "LOST: %llu of %llu hot-page checks found an older value on disk; first at attempt %lu, %.1f s in (see lost_writes)",
			 r->lost, r->checked, r->first_lost_attempt,
			 r->first_lost_ns / 1e9);
	} else if (b->p.self_test && r->injected_found == r->injected) {
		verdict = "self-test passed";
		snprintf(text, sizeof(text),
			 "SELF-TEST PASSED: exactly the %d injected lost writes were found",
			 r->injected);
	} else if (b->p.self_test) {
		verdict = "self-test failed";
		ret = BENCH_SELF_TEST_FAILED;
		snprintf(text, sizeof(text),
			 "SELF-TEST FAILED: %d of the %d injected lost writes were found",
			 r->injected_found, r->injected);
	} else if (!r->attempts_wb_inside) {
		verdict = "inconclusive";
		snprintf(text, sizeof(text),
			 "INCONCLUSIVE: nothing lost, but no writeback completed inside a zap in %llu attempts",
			 r->attempts);
	} else {
		verdict = "pass";
		snprintf(text, sizeof(text),
			 "PASS: no write lost; %llu of %llu attempts wrote the hot pages back inside the zap",
			 r->attempts_wb_inside, r->attempts);
	}
	return bench_verdict(b, res, verdict, text, ret);
}

static int race_whole(struct bench *b)
{
	struct race *r = b->priv;
	int ret = race_run(b);

	if (ret)
		return ret;
	if (b->p.self_test)
		r->injected = r->attempts >= 4 ? 2 : r->attempts >= 2;
	return report(r);
}

static int race_check(const struct params *p, char *err, size_t errlen)
{
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
	if (p->zap == ZAP_TRUNCATE_EXTEND) {
		snprintf(err, errlen,
			 "--zap: race zaps with madvise or munmap-remap");
		return -EINVAL;
	}
	return 0;
}

static int race_setup(struct bench *b)
{
	struct race *r;
	char path[64];
	int ret;

	ret = region_create(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	if (!strcmp(b->region.fs, "tmpfs")) {
		snprintf(b->err, sizeof(b->err),
			 "--dir: race needs a disk-backed file; %.200s is tmpfs",
			 b->region.dir);
		return -EINVAL;
	}
	ret = region_map_empty(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	ret = bench_region_seen(b);
	if (ret)
		return ret;
	r = calloc(1, sizeof(*r));
	if (!r || posix_memalign((void **)&b->priv, PAGE, PAGE)) {
		free(r);
		snprintf(b->err, sizeof(b->err), "race: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r->buf = b->priv;
	b->priv = r;
	r->b = b;
	r->fd = b->region.fd;
	r->addr = b->region.addr;
	r->size = b->region.size;
	for (int i = 0; i < HOT; i++)
		r->hot[i] = (i + 1) * (PAGE_TABLE_SPAN / PAGE) -
			    (b->p.hot == HOT_START ? PAGE_TABLE_SPAN / PAGE : 1);
	b->region.populate = "MADV_POPULATE_READ, each attempt";
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->zap_started, NULL);

	/* Write the file once, so every page has a block on disk. */
	if (madvise(r->addr, r->size, MADV_POPULATE_WRITE) ||
	    fdatasync(r->fd) ||
	    madvise(r->addr, r->size, MADV_DONTNEED)) {
		snprintf(b->err, sizeof(b->err), "writing the file: %s",
			 strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", r->fd);
	r->direct = true;
	r->rfd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECT);
	if (r->rfd < 0 && errno == EINVAL) {
		r->direct = false;
		r->rfd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (r->rfd < 0) {
		snprintf(b->err, sizeof(b->err), "reopening the file: %s",
			 strerror(errno));
		return -errno;
	}
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
	if (r) {
		if (r->rfd > 0)
			close(r->rfd);
		free(r->buf);
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->zap_started);
		free(r);
	}
	b->priv = NULL;
	region_destroy(&b->region);
}

static const char *const race_preset[] = {
	"--backing", "file", "--size", "64M", "--threads", "2", NULL };

const struct workload workload_race = {
	.name		= "race",
	.summary	= "a writer keeps stale TLB entries of hot pages while they are written back during a long zap: is the last store on disk?",
	.options	= OPT_SIZE | OPT_THREADS | OPT_BACKING | OPT_DIR |
			  OPT_CPUS | OPT_FORMAT | OPT_EVENTS |
			  OPT_DURATION | OPT_ZAP | OPT_SELF_TEST | OPT_HOT |
			  OPT_NO_SPACE_CHECK,
	.preset		= race_preset,
	.setup		= race_setup,
	.run		= race_whole,
	.teardown	= race_teardown,
	.check		= race_check,
};
