/*
 * integrity: proves that no write is lost while the kernel zaps a dirty
 * MAP_SHARED file mapping under its writers.  force_flush exists for one
 * race: a store through a stale writable TLB entry, after the PTE was
 * zapped and after writeback cleaned the page, lands in a page the kernel
 * believes clean and is gone once the page is evicted.
 *
 * Writers, each pinned to its own CPU, visit each of their pages once per
 * round: check that it still holds the last value stored there, then store
 * a burst of new values (a stale entry can only take stores after the
 * first, which set the dirty bit).  The zapper, on the first CPU, drops the
 * mapping under them without pause; a cleaner writes the file back and
 * evicts it.  A stale store is only lost if the page is evicted before its
 * writer touches it again (a touch faults and dirties it anew), so writers
 * wait for a whole clean cycle between rounds.  At the end the file is
 * evicted and read back from disk through a fresh descriptor.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "measure/cpu.h"
#include "measure/measure.h"
#include "workload.h"

#define PAGE		4096UL
#define BURST		256	/* stores per visit, a pause apart */
#define INJECTED	4	/* --self-test: pages per injection point */
#define LOST_KEPT	64	/* lost writes listed per writer */
#define MIN_PAGES	16
#define READ_CHUNK	(1UL << 20)

/* --self-test: the round whose store to a page is skipped. */
enum { INJECT_NONE, INJECT_FIRST, INJECT_LAST };

enum expect { EXPECT_VALUE, EXPECT_ZERO, EXPECT_EITHER };

enum { WB_MSYNC, WB_SYNC_FILE_RANGE, WB_FDATASYNC, WB_METHODS };

static const char *const wb_names[] = {
	"msync", "sync_file_range", "fdatasync",
};

struct page_state {
	uint64_t val;			/* last value stored in full */
	unsigned long zap0, zap1;	/* zap generation around that burst */
	unsigned long clean_mark;	/* clean cycles started by its end */
	bool zapped;			/* a zap ran during the burst */
};

struct lost {
	unsigned long page;
	uint64_t expected, found;
	bool either;			/* 0 would have been right too */
	unsigned long round;		/* 0: the final check */
};

struct writer {
	struct integrity *in;
	int index;			/* owns pages index + k * nwriters */
	unsigned long npages;
	struct page_state *st;
	uint64_t seq, rng;
	unsigned long long rounds, visits, stores, checks;
	unsigned long long zapped;	/* bursts that raced a zap */
	unsigned long long in_window;	/* ... and a writeback */
	unsigned long long exposed;	/* ... checked after an eviction */
	unsigned long long faults, either, lost;
	int nkept;
	struct lost kept[LOST_KEPT];
};

/* The options only integrity takes. */
struct integrity_params {
	unsigned seed;			/* page order, injected pages */
	enum zap_mode zap;		/* how the mapping is dropped */
	bool self_test;			/* claim stores never made */
};

struct integrity {
	struct bench *b;
	const struct integrity_params *ip;	/* b's own options */
	char *addr;
	size_t size;
	unsigned long npages;
	int fd, nwriters;
	atomic_ulong zap_gen;		/* odd while a zap runs */
	atomic_ulong wb_gen;		/* odd while a writeback runs */
	atomic_ulong clean_started, clean_done;
	pthread_mutex_t lock;
	pthread_cond_t cleaned;		/* clean_done moved, or failed */
	atomic_bool stop;		/* time is up: one last round */
	atomic_bool clean_stop;
	atomic_bool failed;
	unsigned char *inject;		/* per page, --self-test only */
	struct writer *w;
	unsigned long long zaps, evictions, evicted;
	unsigned long long writebacks[WB_METHODS];
	unsigned long long checked;	/* pages read back at the end */
	unsigned long long resident;	/* of them still cached then */
	bool direct;			/* read back with O_DIRECT */
};

static __thread sigjmp_buf fault_jmp;
static __thread volatile sig_atomic_t fault_armed;

static uint64_t next_random(uint64_t *s)	/* splitmix64 */
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A stored value: sequence number, writer and page; never 0. */
static uint64_t value_of(uint64_t seq, int writer, unsigned long page)
{
	return seq << 24 | (uint64_t)(writer & 0xff) << 16 | (page & 0xffff);
}

static uint64_t seq_of(uint64_t v)
{
	return v >> 24;
}

/* The first failure wins; everyone else sees failed and stops. */
static void fail(struct integrity *in, const char *fmt, ...)
{
	struct bench *b = in->b;
	va_list ap;

	pthread_mutex_lock(&in->lock);
	if (!atomic_load(&in->failed)) {
		va_start(ap, fmt);
		vsnprintf(b->err, sizeof(b->err), fmt, ap);
		va_end(ap);
		atomic_store(&in->failed, true);
	}
	pthread_cond_broadcast(&in->cleaned);
	pthread_mutex_unlock(&in->lock);
}

/*
 * A writer touching the region while a truncate has it beyond EOF gets
 * SIGBUS; a hole would give SIGSEGV.  Either way the access did not
 * complete: jump back and say so.  Anywhere else the signal is fatal.
 */
static void on_fault(int sig)
{
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		return;
	}
	fault_armed = 0;
	siglongjmp(fault_jmp, 1);
}

static bool read_slot(volatile uint64_t *slot, uint64_t *out)
{
	if (sigsetjmp(fault_jmp, 0))
		return false;
	fault_armed = 1;
	*out = *slot;
	fault_armed = 0;
	return true;
}

/* Store N successive values from V; returns how many completed. */
static unsigned store_burst(volatile uint64_t *slot, uint64_t v, unsigned n)
{
	volatile unsigned done = 0;

	if (sigsetjmp(fault_jmp, 0))
		return done;
	fault_armed = 1;
	while (done < n) {
		*slot = v + ((uint64_t)done << 24);
		done = done + 1;
		cpu_relax();
	}
	fault_armed = 0;
	return done;
}

/*
 * What page state S allows the page to hold, C0 and C1 being the zap
 * generation before and after the read.  A truncate legitimately zeroes
 * the page: one that started after the burst and ended before the read
 * must have, one that overlapped either may have.
 */
static enum expect expectation(const struct integrity *in,
			       const struct page_state *s, unsigned long c0,
			       unsigned long c1)
{
	unsigned long next;

	if (in->ip->zap != ZAP_TRUNCATE_EXTEND || !s->val)
		return EXPECT_VALUE;
	next = (s->zap1 + 1) & ~1UL;	/* first truncate after the burst */
	if (c0 >= next + 2)
		return EXPECT_ZERO;
	if (c1 == s->zap0 && !(c1 & 1))
		return EXPECT_VALUE;
	return EXPECT_EITHER;
}

static void judge(struct writer *w, unsigned long k, uint64_t found,
		  unsigned long c0, unsigned long c1, unsigned long round)
{
	const struct page_state *s = &w->st[k];
	enum expect e = expectation(w->in, s, c0, c1);
	struct lost *l;
	bool ok;

	if (e == EXPECT_EITHER)
		w->either++;
	if (e == EXPECT_ZERO)
		ok = !found;
	else
		ok = found == s->val || (e == EXPECT_EITHER && !found);
	if (ok)
		return;
	w->lost++;
	if (w->nkept == LOST_KEPT)
		return;
	l = &w->kept[w->nkept++];
	l->page = k * w->in->nwriters + w->index;
	l->expected = e == EXPECT_ZERO ? 0 : s->val;
	l->found = found;
	l->either = e == EXPECT_EITHER;
	l->round = round;
}

/* Wait for the zapper to move on; false if the run failed meanwhile. */
static bool wait_zap(struct integrity *in, unsigned long gen)
{
	while (atomic_load(&in->zap_gen) == gen)
		if (atomic_load(&in->failed))
			return false;
		else
			cpu_relax();
	return true;
}

static bool injected(const struct integrity *in, unsigned long page,
		     unsigned long round, bool final)
{
	if (!in->inject)
		return false;
	return (in->inject[page] == INJECT_FIRST && round == 1) ||
	       (in->inject[page] == INJECT_LAST && final);
}

/* Check page K of writer W, then store a burst of new values in it. */
static void visit(struct writer *w, unsigned long k, unsigned long round,
		  bool final)
{
	struct integrity *in = w->in;
	unsigned long page = k * in->nwriters + w->index;
	volatile uint64_t *slot = (volatile uint64_t *)(in->addr + page * PAGE);
	struct page_state *s = &w->st[k];
	unsigned long c0, c1, z0, z1, wb0, wb1, cleaned;
	uint64_t found, v;
	unsigned n;

	for (;;) {
		cleaned = atomic_load(&in->clean_done);
		c0 = atomic_load(&in->zap_gen);
		if (read_slot(slot, &found))
			break;
		w->faults++;
		if (!wait_zap(in, c0))
			return;
	}
	c1 = atomic_load(&in->zap_gen);
	judge(w, k, found, c0, c1, round);
	w->checks++;
	if (s->zapped && cleaned > s->clean_mark)
		w->exposed++;
	s->zapped = false;	/* that burst is checked; count it once */

	z0 = atomic_load(&in->zap_gen);
	wb0 = atomic_load(&in->wb_gen);
	v = value_of(w->seq + 1, w->index, page);
	if (injected(in, page, round, final))
		n = BURST;	/* the injected fault: claimed, not stored */
	else
		n = store_burst(slot, v, BURST);
	atomic_thread_fence(memory_order_seq_cst);
	z1 = atomic_load(&in->zap_gen);
	wb1 = atomic_load(&in->wb_gen);
	w->seq += BURST;
	w->visits++;
	w->stores += n;
	if (n < BURST)
		w->faults++;
	if (!n)
		return;
	s->val = v + ((uint64_t)(n - 1) << 24);
	s->zap0 = z0;
	s->zap1 = z1;
	s->clean_mark = atomic_load(&in->clean_started);
	s->zapped = (z0 & 1) || z1 != z0;
	if (s->zapped)
		w->zapped++;
	if (s->zapped && ((wb0 & 1) || wb1 != wb0))
		w->in_window++;
}

static void wait_cleaned(struct integrity *in, unsigned long cycle)
{
	pthread_mutex_lock(&in->lock);
	while (atomic_load(&in->clean_done) < cycle &&
	       !atomic_load(&in->failed))
		pthread_cond_wait(&in->cleaned, &in->lock);
	pthread_mutex_unlock(&in->lock);
}

/* A helper's task: rounds over its pages until the one after the stop. */
static void writer_task(void *arg, int index)
{
	struct integrity *in = arg;
	struct writer *w = &in->w[index - 1];

	for (unsigned long round = 1; !atomic_load(&in->failed); round++) {
		bool final = atomic_load(&in->stop);
		/* In order for readahead, from anywhere: no lockstep. */
		unsigned long start = next_random(&w->rng) % w->npages;

		for (unsigned long i = 0; i < w->npages; i++)
			visit(w, (start + i) % w->npages, round, final);
		w->rounds++;
		if (final)
			break;
		/* A cycle that starts after these stores must end first. */
		wait_cleaned(in, atomic_load(&in->clean_started) + 1);
	}
}

static int write_back(struct integrity *in, int method)
{
	int ret;

	switch (method) {
	case WB_MSYNC:
		ret = msync(in->addr, in->size, MS_SYNC);
		break;
	case WB_SYNC_FILE_RANGE:
		ret = sync_file_range(in->fd, 0, 0,
				      SYNC_FILE_RANGE_WAIT_BEFORE |
				      SYNC_FILE_RANGE_WRITE |
				      SYNC_FILE_RANGE_WAIT_AFTER);
		break;
	default:
		ret = fdatasync(in->fd);
		break;
	}
	return ret ? -errno : 0;
}

/* Pages of the region in the page cache. */
static unsigned long resident(const char *addr, size_t size,
			      unsigned char *vec)
{
	unsigned long n = 0;

	if (mincore((void *)addr, size, vec))
		return 0;
	for (size_t i = 0; i < size / PAGE; i++)
		n += vec[i] & 1;
	return n;
}

/* Write the file back, evict it, tell the writers; until told to stop. */
static void *cleaner(void *arg)
{
	struct integrity *in = arg;
	unsigned char *vec = malloc(in->npages);
	int ret;

	/* Not the zapper's CPU only, which it inherited. */
	cpu_allow_self(&in->b->p.cpus);
	if (!vec) {
		fail(in, "cleaner: %s", strerror(ENOMEM));
		return NULL;
	}
	for (unsigned k = 0; !atomic_load(&in->clean_stop) &&
			     !atomic_load(&in->failed); k++) {
		unsigned long before, after, gen;

		atomic_fetch_add(&in->clean_started, 1);
		atomic_fetch_add(&in->wb_gen, 1);
		ret = write_back(in, k % WB_METHODS);
		atomic_fetch_add(&in->wb_gen, 1);
		if (ret) {
			fail(in, "%s: %s", wb_names[k % WB_METHODS],
			     strerror(-ret));
			break;
		}
		in->writebacks[k % WB_METHODS]++;
		gen = atomic_load(&in->zap_gen);
		before = resident(in->addr, in->size, vec);
		ret = posix_fadvise(in->fd, 0, 0, POSIX_FADV_DONTNEED);
		after = resident(in->addr, in->size, vec);
		if (ret) {
			fail(in, "posix_fadvise DONTNEED: %s", strerror(ret));
			break;
		}
		in->evictions++;
		/* Pages a truncate dropped meanwhile were not evicted. */
		if (before > after && (in->ip->zap != ZAP_TRUNCATE_EXTEND ||
				       (!(gen & 1) &&
					gen == atomic_load(&in->zap_gen))))
			in->evicted += before - after;
		pthread_mutex_lock(&in->lock);
		atomic_fetch_add(&in->clean_done, 1);
		pthread_cond_broadcast(&in->cleaned);
		pthread_mutex_unlock(&in->lock);
	}
	free(vec);
	return NULL;
}

static int zap(struct integrity *in)
{
	switch (in->ip->zap) {
	case ZAP_MADVISE:
		if (madvise(in->addr, in->size, MADV_DONTNEED))
			return -errno;
		return 0;
	case ZAP_MUNMAP_REMAP:
		/* MAP_FIXED replaces in one step: never a hole to fault on. */
		if (mmap(in->addr, in->size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, in->fd, 0) == MAP_FAILED)
			return -errno;
		if (madvise(in->addr, in->size, in->b->p.pages == PAGES_4K ?
			    MADV_NOHUGEPAGE : MADV_HUGEPAGE))
			return -errno;
		return 0;
	case ZAP_TRUNCATE_EXTEND:
		if (ftruncate(in->fd, 0) || ftruncate(in->fd, in->size))
			return -errno;
		return 0;
	}
	return -EINVAL;
}

/* Zap until every writer finished its last round. */
static void zap_loop(struct integrity *in)
{
	struct team *t = &in->b->team;
	unsigned long long deadline = now_ns() +
		in->b->p.duration * 1000000000ULL;
	int ret;

	while (atomic_load(&t->finished) < t->n) {
		if (!atomic_load(&in->stop) && now_ns() >= deadline)
			atomic_store(&in->stop, true);
		if (atomic_load(&in->failed)) {
			cpu_relax();
			continue;
		}
		atomic_fetch_add(&in->zap_gen, 1);
		ret = zap(in);
		atomic_fetch_add(&in->zap_gen, 1);
		if (ret)
			fail(in, "zap (%s): %s", zap_mode_names[in->ip->zap],
			     strerror(-ret));
		else
			in->zaps++;
	}
}

/*
 * Evict the file, then read it back from disk through a fresh descriptor
 * (O_DIRECT where the filesystem has it) and judge every page.
 */
static int final_check(struct integrity *in)
{
	struct bench *b = in->b;
	unsigned long gen = atomic_load(&in->zap_gen);
	unsigned char *vec = NULL;
	char path[64], *buf = NULL;
	void *map;
	int rfd, ret = 0;

	munmap(in->addr, in->size);
	region_unmapped(&b->region);
	in->addr = NULL;
	if (fdatasync(in->fd)) {
		snprintf(b->err, sizeof(b->err), "fdatasync: %s",
			 strerror(errno));
		return -errno;
	}
	ret = posix_fadvise(in->fd, 0, 0, POSIX_FADV_DONTNEED);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "posix_fadvise DONTNEED: %s",
			 strerror(ret));
		return -ret;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", in->fd);
	in->direct = true;
	rfd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECT);
	if (rfd < 0 && errno == EINVAL) {
		in->direct = false;
		rfd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (rfd < 0) {
		snprintf(b->err, sizeof(b->err), "reopening the file: %s",
			 strerror(errno));
		return -errno;
	}

	vec = malloc(in->npages);
	if (!vec || posix_memalign((void **)&buf, PAGE, READ_CHUNK)) {
		ret = -ENOMEM;
		snprintf(b->err, sizeof(b->err), "final check: %s",
			 strerror(ENOMEM));
		goto out;
	}
	/* What is still cached would not come from disk. */
	map = mmap(NULL, in->size, PROT_READ, MAP_SHARED, rfd, 0);
	if (map == MAP_FAILED) {
		ret = -errno;
		snprintf(b->err, sizeof(b->err), "mmap for mincore: %s",
			 strerror(errno));
		goto out;
	}
	in->resident = resident(map, in->size, vec);
	munmap(map, in->size);
	for (size_t off = 0; off < in->size; off += READ_CHUNK) {
		size_t len = in->size - off < READ_CHUNK ? in->size - off :
			     READ_CHUNK;
		ssize_t got = pread(rfd, buf, len, off);

		if (got != (ssize_t)len) {
			ret = got < 0 ? -errno : -EIO;
			snprintf(b->err, sizeof(b->err), "reading back: %s",
				 got < 0 ? strerror(errno) : "short read");
			goto out;
		}
		for (size_t i = 0; i < len / PAGE; i++) {
			unsigned long page = (off + i * PAGE) / PAGE;
			struct writer *w = &in->w[page % in->nwriters];
			unsigned long k = page / in->nwriters;

			judge(w, k, *(uint64_t *)(buf + i * PAGE), gen, gen, 0);
			if (w->st[k].zapped)
				w->exposed++;
			in->checked++;
		}
	}
out:
	free(buf);
	free(vec);
	close(rfd);
	return ret;
}

/* --self-test: the pages whose stores are skipped, from the seed. */
static void pick_injected(struct integrity *in)
{
	uint64_t rng = in->ip->seed ^ 0x1f7e5a11ULL;

	for (int picked = 0; picked < 2 * INJECTED; ) {
		unsigned long page = next_random(&rng) % in->npages;

		if (in->inject[page])
			continue;
		in->inject[page] = picked < INJECTED ? INJECT_FIRST :
						      INJECT_LAST;
		picked++;
	}
}

static int integrity_check(const struct params *p, char *err, size_t errlen)
{
	const struct integrity_params *ip = p->own;
	unsigned long pages = p->size / PAGE;

	if (p->backing != BACKING_FILE && p->backing != BACKING_TMPFS) {
		snprintf(err, errlen,
			 "--backing: integrity needs file (or tmpfs, a weaker check), not %s",
			 backing_name(p->backing));
		return -EINVAL;
	}
	if (p->threads < 2) {
		snprintf(err, errlen,
			 "--threads: integrity needs 2 or more, a zapper and writers on CPUs of their own (%u, --cpus has %d)",
			 p->threads, p->cpus.n);
		return -EINVAL;
	}
	if (pages < MIN_PAGES || pages < 2 * (p->threads - 1)) {
		snprintf(err, errlen,
			 "--size: integrity needs at least %luK and 2 pages per writer",
			 MIN_PAGES * PAGE / 1024);
		return -EINVAL;
	}
	if (ip->self_test && ip->zap == ZAP_TRUNCATE_EXTEND) {
		snprintf(err, errlen,
			 "--self-test: not with --zap truncate-extend, whose truncates may zero an injected page");
		return -EINVAL;
	}
	return 0;
}

static void free_state(struct integrity *in)
{
	for (int i = 0; in->w && i < in->nwriters; i++)
		free(in->w[i].st);
	free(in->w);
	free(in->inject);
	pthread_mutex_destroy(&in->lock);
	pthread_cond_destroy(&in->cleaned);
	free(in);
}

static int alloc_state(struct bench *b)
{
	struct integrity *in = calloc(1, sizeof(*in));

	if (!in)
		return -ENOMEM;
	b->priv = in;
	in->b = b;
	in->ip = b->p.own;
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->cleaned, NULL);
	in->fd = b->region.fd;
	in->addr = b->region.addr;
	in->size = b->region.size;
	in->npages = in->size / PAGE;
	in->nwriters = b->p.threads - 1;
	in->w = calloc(in->nwriters, sizeof(*in->w));
	if (!in->w)
		return -ENOMEM;
	for (int i = 0; i < in->nwriters; i++) {
		struct writer *w = &in->w[i];

		w->in = in;
		w->index = i;
		w->npages = (in->npages - i + in->nwriters - 1) / in->nwriters;
		w->rng = (uint64_t)in->ip->seed << 16 | i;
		w->st = calloc(w->npages, sizeof(*w->st));
		if (!w->st)
			return -ENOMEM;
	}
	if (in->ip->self_test) {
		in->inject = calloc(in->npages, 1);
		if (!in->inject)
			return -ENOMEM;
		pick_injected(in);
	}
	return 0;
}

static int integrity_setup(struct bench *b)
{
	int ret;

	ret = region_create(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	ret = region_map(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	ret = bench_region_seen(b);
	if (ret)
		return ret;
	ret = alloc_state(b);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "integrity: %s",
			 strerror(-ret));
		return ret;
	}
	/* Writers go on the CPUs after the zapper's. */
	ret = team_start(&b->team, b->p.cpus.cpu + 1, b->p.threads - 1);
	if (ret)
		snprintf(b->err, sizeof(b->err), "starting writers: %s",
			 strerror(-ret));
	return ret;
}

static void integrity_teardown(struct bench *b)
{
	team_stop(&b->team);
	if (b->priv)
		free_state(b->priv);
	b->priv = NULL;
	region_destroy(&b->region);
}

static struct json_object *lost_json(const struct writer *w,
				     const struct lost *l)
{
	struct json_object *o = json_object_new_object();
	char buf[32];

	bench_add_count(o, "page", l->page);
	bench_add_count(o, "writer", w->index);
	bench_add_hex(o, "expected", l->expected);
	bench_add_hex(o, "found", l->found);
	bench_add_count(o, "expected_seq", seq_of(l->expected));
	bench_add_count(o, "found_seq", seq_of(l->found));
	if (l->round)
		snprintf(buf, sizeof(buf), "round %lu", l->round);
	else
		snprintf(buf, sizeof(buf), "final");
	json_object_object_add(o, "when", json_object_new_string(buf));
	if (l->either)
		json_object_object_add(o, "or_zero",
				       json_object_new_boolean(true));
	return o;
}

/* Of the lost writes listed, how many are injected pages seen once. */
static int injected_found(const struct integrity *in)
{
	unsigned char *seen = calloc(in->npages, 1);
	int found = 0;

	if (!seen)
		return -1;
	for (int i = 0; i < in->nwriters; i++)
		for (int j = 0; j < in->w[i].nkept; j++) {
			unsigned long page = in->w[i].kept[j].page;

			if (in->inject[page] && !seen[page]++)
				found++;
		}
	free(seen);
	return found;
}

/* The record's findings; returns the verdict. */
static int report(struct integrity *in)
{
	struct bench *b = in->b;
	struct json_object *res = json_object_new_object();
	struct json_object *c = json_object_new_object();
	struct json_object *lost = json_object_new_array();
	struct writer t = { 0 };
	unsigned long long wb = 0;
	const char *verdict;
	char text[512], note[256];
	int found, ret = BENCH_PASSED;
	bool weak = b->region.in_memory;

	for (int i = 0; i < in->nwriters; i++) {
		const struct writer *w = &in->w[i];

		t.rounds += w->rounds;
		t.visits += w->visits;
		t.stores += w->stores;
		t.checks += w->checks;
		t.zapped += w->zapped;
		t.in_window += w->in_window;
		t.exposed += w->exposed;
		t.faults += w->faults;
		t.either += w->either;
		t.lost += w->lost;
		for (int j = 0; j < w->nkept; j++)
			json_object_array_add(lost, lost_json(w, &w->kept[j]));
	}
	for (int m = 0; m < WB_METHODS; m++)
		wb += in->writebacks[m];
	b->ops = t.visits;

	bench_add_count(c, "pages", in->npages);
	bench_add_count(c, "writers", in->nwriters);
	bench_add_count(c, "rounds", t.rounds);
	bench_add_count(c, "writes", t.visits);
	bench_add_count(c, "stores", t.stores);
	bench_add_count(c, "checks_in_run", t.checks);
	bench_add_count(c, "zaps", in->zaps);
	bench_add_count(c, "writebacks", wb);
	for (int m = 0; m < WB_METHODS; m++) {
		char key[64];

		snprintf(key, sizeof(key), "writebacks_%s", wb_names[m]);
		bench_add_count(c, key, in->writebacks[m]);
	}
	bench_add_count(c, "evictions", in->evictions);
	bench_add_count(c, "pages_evicted", in->evicted);
	bench_add_count(c, "writes_racing_zap", t.zapped);
	bench_add_count(c, "writes_racing_zap_writeback", t.in_window);
	bench_add_count(c, "racing_writes_evicted_checked", t.exposed);
	bench_add_count(c, "faults", t.faults);
	if (in->ip->zap == ZAP_TRUNCATE_EXTEND)
		bench_add_count(c, "checks_zero_or_value", t.either);
	bench_add_count(c, "pages_checked", in->checked);
	bench_add_count(c, "pages_cached_at_final_read", in->resident);
	json_object_object_add(c, "final_read", json_object_new_string(
		in->direct ? "O_DIRECT" : "buffered"));
	bench_add_count(c, "lost", t.lost);
	json_object_object_add(res, "integrity", c);
	json_object_object_add(res, "lost_writes", lost);

	if (in->inject) {
		struct json_object *inj = json_object_new_array();

		for (unsigned long p = 0; p < in->npages; p++)
			if (in->inject[p])
				json_object_array_add(inj,
					json_object_new_int64(p));
		json_object_object_add(res, "injected", inj);
	}

	found = in->inject ? injected_found(in) : 0;
	if (found < 0)
		found = 0;
	if ((unsigned long long)found < t.lost) {
		verdict = "lost";
		ret = BENCH_LOST;
		snprintf(text, sizeof(text),
			 "LOST: %llu of %llu writes lost%s (see lost_writes)",
			 t.lost - found, t.visits,
			 in->inject ? " besides the injected ones" : "");
	} else if (in->inject && found == 2 * INJECTED) {
		verdict = "self-test passed";
		snprintf(text, sizeof(text),
			 "SELF-TEST PASSED: exactly the %d injected lost writes were found",
			 2 * INJECTED);
	} else if (in->inject) {
		verdict = "self-test failed";
		ret = BENCH_SELF_TEST_FAILED;
		snprintf(text, sizeof(text),
			 "SELF-TEST FAILED: %d of the %d injected lost writes were found",
			 found, 2 * INJECTED);
	} else if (!t.exposed) {
		verdict = "inconclusive";
		snprintf(text, sizeof(text),
			 "INCONCLUSIVE: nothing lost, but no write raced a zap and was checked after an eviction");
	} else {
		verdict = "pass";
		snprintf(text, sizeof(text),
			 "PASS: no write lost; %llu writes raced a zap and were checked after an eviction, %llu pages read back",
			 t.exposed, in->checked);
	}
	if (weak) {
		snprintf(note, sizeof(note),
			 "%s cannot write pages back or evict them, so a write through a stale TLB entry could not be lost here: the check is weaker (use --backing file on a disk-backed filesystem)",
			 b->region.fs);
		json_object_object_add(res, "note",
				       json_object_new_string(note));
	}
	return bench_verdict(b, res, verdict, text, ret);
}

static int integrity_run(struct bench *b)
{
	struct integrity *in = b->priv;
	struct sigaction sa = { .sa_handler = on_fault,
				.sa_flags = SA_NODEFER };
	struct sigaction old_bus, old_segv;
	pthread_t cl;
	int ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	ret = pthread_create(&cl, NULL, cleaner, in);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "starting the cleaner: %s",
			 strerror(ret));
		ret = -ret;
		goto out;
	}
	team_go(&b->team, writer_task, in);
	zap_loop(in);
	atomic_store(&in->clean_stop, true);
	pthread_join(cl, NULL);
	ret = team_wait(&b->team);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "pinning a writer: %s",
			 strerror(-ret));
		goto out;
	}
	if (atomic_load(&in->failed)) {
		ret = -EIO;
		goto out;
	}
	ret = final_check(in);
	if (!ret)
		ret = report(in);
out:
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return ret;
}

#define INTEGRITY_OPT(field) .off = offsetof(struct integrity_params, field)

static const struct opt_def integrity_option_rows[] = {
	{ .name = "seed", .arg = "N", .def = "1", .type = T_COUNT,
	  .min = 0, .max = 4294967295U, INTEGRITY_OPT(seed),
	  .help = "seed of the writers' page order and of the pages "
		  "--self-test picks" },
	{ .name = "zap", .arg = "MODE", .def = "madvise", .type = T_CHOICE,
	  .choices = zap_mode_names, INTEGRITY_OPT(zap),
	  .help = "how the mapping is dropped under the writers: madvise "
		  "(MADV_DONTNEED), munmap-remap (a MAP_FIXED mmap over it, "
		  "so it is never a hole) or truncate-extend (ftruncate to 0 "
		  "and back)" },
	{ .name = "self-test", .arg = "", .type = T_FLAG,
	  INTEGRITY_OPT(self_test),
	  .help = "record stores as done that were never made, to 8 pages "
		  "picked from --seed: the check must report exactly those "
		  "writes as lost" },
	{ 0 }
};

static const struct opt_own integrity_options = {
	.rows = integrity_option_rows,
	.size = sizeof(struct integrity_params),
};

static const struct result_figure integrity_figures[] = {
	{ .key = "params.zap", .column = "zap", .width = 15 },
	{ .key = "params.backing", .column = "bckng", .width = 5 },
	{ .name = "writes", .key = "integrity.writes",
	  .what = "page visits, one burst of stores each", .column = "writes",
	  .width = 6 },
	{ .name = "zaps", .key = "integrity.zaps",
	  .what = "times the mapping was dropped", .column = "zaps",
	  .width = 6 },
	{ .name = "writebacks", .key = "integrity.writebacks",
	  .what = "msync, sync_file_range and fdatasync calls",
	  .column = "wbacks", .width = 6 },
	{ .key = "integrity.pages_evicted",
	  .what = "pages evicted from the page cache", .column = "evictd",
	  .width = 6 },
	{ .name = "raced,checked",
	  .key = "integrity.racing_writes_evicted_checked",
	  .what = "writes that raced a zap and were checked after an "
	  "eviction: how often a loss could have shown", .column = "raced",
	  .width = 6 },
	{ .name = "lost writes", .key = "integrity.lost",
	  .what = "pages that did not hold their last completed value",
	  .column = "lost", .width = 6 },
	{ .key = NULL }
};

static const char *const integrity_preset[] = {
	"--backing", "file", "--size", "4M", NULL };

const struct workload workload_integrity = {
	.name		= "integrity",
	.summary	= "writers, a zapper and a cleaner on a MAP_SHARED file: is any write lost?",
	.options	= OPT_SIZE | OPT_THREADS | OPT_BACKING | OPT_DIR |
			  OPT_PAGES | OPT_CPUS | OPT_FORMAT | OPT_EVENTS |
			  OPT_DURATION | OPT_NO_SPACE_CHECK,
	.own		= &integrity_options,
	.figures	= integrity_figures,
	.preset		= integrity_preset,
	.setup		= integrity_setup,
	.run		= integrity_run,
	.teardown	= integrity_teardown,
	.check		= integrity_check,
};
