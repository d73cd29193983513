/*
 * Backing files are created and unlinked at once, so no exit path, not
 * even SIGKILL, leaves one behind.  Mappings are aligned to the page-table
 * span so that SIZE covers exactly SIZE / 2M page tables.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/magic.h>

#include "measure.h"
#include "region.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PAGE_4K 4096UL

/*
 * The filesystems whose magic names them where mountinfo cannot: btrfs
 * gives each subvolume's files a device number of their own, which no
 * mountinfo line carries.
 */
static const struct {
	unsigned long magic;
	const char *name;
} fs_magics[] = {
	{ 0xef53, "ext4" },	/* ext2/3/4 alike: mountinfo tells them */
	{ 0x58465342, "xfs" },
	{ 0x9123683e, "btrfs" },
	{ 0x01021994, "tmpfs" },
	{ 0x958458f6, "hugetlbfs" },
};

/*
 * The type of the filesystem holding FD, from /proc/self/mountinfo, or
 * from its magic (fstatfs) when no line there has its device.
 */
static void fs_type(int fd, char *out, size_t len)
{
	char line[8192];
	struct statfs sfs;
	struct stat st;
	FILE *f;

	snprintf(out, len, "unknown");
	if (fstat(fd, &st))
		return;
	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		goto by_magic;
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		char *sep, type[64];

		if (sscanf(line, "%*d %*d %u:%u", &maj, &min) != 2 ||
		    maj != major(st.st_dev) || min != minor(st.st_dev))
			continue;
		sep = strstr(line, " - ");
		if (sep && sscanf(sep + 3, "%63s", type) == 1) {
			snprintf(out, len, "%s", type);
			fclose(f);
			return;
		}
	}
	fclose(f);
by_magic:
	if (fstatfs(fd, &sfs))
		return;
	for (size_t i = 0; i < sizeof(fs_magics) / sizeof(fs_magics[0]); i++) {
		if ((unsigned long)sfs.f_type == fs_magics[i].magic) {
			snprintf(out, len, "%s", fs_magics[i].name);
			return;
		}
	}
}

static unsigned long long meminfo_kb(const char *key)
{
	unsigned long long v = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	if (procfs_field(f, key, &v))
		v = 0;
	fclose(f);
	return v;
}

/*
 * Whether DIR's filesystem keeps its files in memory (tmpfs, ramfs): a
 * file there takes memory, whatever room statvfs reports (ramfs reports
 * none, a tmpfs may be sized larger than the machine).
 */
static bool dir_in_memory(const char *dir)
{
	struct statfs sf;

	return !statfs(dir, &sf) && (sf.f_type == TMPFS_MAGIC ||
				      sf.f_type == RAMFS_MAGIC);
}

/* Whether P's region takes memory that MemAvailable counts. */
static bool takes_memory(const struct params *p, const char *dir)
{
	switch (p->backing) {
	case BACKING_HUGETLBFS:	/* its own pool: check_hugetlb() */
		return false;
	case BACKING_FILE:
		return dir && dir_in_memory(dir);
	default:
		return true;
	}
}

/* The share of MemAvailable a region may take, leaving the rest to the
 * system: given or swept (region_size_limit()), the same. */
#define MEM_SHARE_TENTHS 9

/*
 * Refuse sizes that cannot fit, naming both numbers.  With
 * --no-space-check the filesystem's word is not taken (memory still is):
 * region_map() says how far it got if the room runs out.
 */
static int check_space(struct region *r, const struct params *p,
		       const char *dir, char *err, size_t errlen)
{
	unsigned long long need = r->size, avail;
	bool memory = takes_memory(p, dir);
	bool in_file = p->backing == BACKING_FILE;
	struct statvfs sv;
	struct rlimit rl;

	/* Past RLIMIT_FSIZE, ftruncate fails with EFBIG (SIGXFSZ is
	 * ignored): refused first, naming the limit. */
	if (r->backing != BACKING_ANON && !getrlimit(RLIMIT_FSIZE, &rl) &&
	    rl.rlim_cur != RLIM_INFINITY && need > rl.rlim_cur) {
		char size[32], limit[32];

		size_text(need, size, sizeof(size));
		size_text(rl.rlim_cur, limit, sizeof(limit));
		snprintf(err, errlen,
			 "--size: %s is larger than the file size limit, %s (ulimit -f)",
			 size, limit);
		return -EINVAL;
	}
	if (memory) {
		avail = meminfo_kb("MemAvailable") << 10;
		if (need > avail / 10 * MEM_SHARE_TENTHS) {
			snprintf(err, errlen,
				 "--size: %llu MiB needed, %llu MiB of memory available, of which a region may take %d%%%s%s%s",
				 need >> 20, avail >> 20, MEM_SHARE_TENTHS * 10,
				 in_file ? " (" : "", in_file ? dir : "",
				 in_file ? " keeps its files in memory)" : "");
			return -EINVAL;
		}
	}
	/* A memory filesystem without a size (ramfs) reports no blocks. */
	if (dir && r->backing != BACKING_HUGETLBFS && !p->no_space_check &&
	    !statvfs(dir, &sv) && !(memory && !sv.f_blocks)) {
		avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
		if (need > avail) {
			snprintf(err, errlen,
				 "--size: %llu MiB needed, %llu MiB free in %s",
				 need >> 20, avail >> 20, dir);
			return -EINVAL;
		}
	}
	return 0;
}

/* A hugetlbfs mount's page size and free pages; we never add pages. */
static int check_hugetlb(struct region *r, const char *dir, char *err,
			 size_t errlen)
{
	unsigned long long free_pages = meminfo_kb("HugePages_Free");
	struct statvfs sv;

	if (statvfs(dir, &sv)) {
		snprintf(err, errlen, "statvfs %s: %s", dir, strerror(errno));
		return -errno;
	}
	r->align = sv.f_bsize;
	if (r->size % r->align) {
		snprintf(err, errlen, "--size: not a multiple of %zu kB huge pages",
			 r->align >> 10);
		return -EINVAL;
	}
	/* HugePages_Free counts default-size pages, the common case. */
	if (r->align == meminfo_kb("Hugepagesize") << 10 &&
	    free_pages * r->align < r->size) {
		snprintf(err, errlen,
			 "hugetlbfs: %llu free huge pages of %zu kB, %llu needed (vm.nr_hugepages is left to you)",
			 free_pages, r->align >> 10, r->size / r->align);
		return -EINVAL;
	}
	return 0;
}

static int find_hugetlbfs(char *dir, size_t len)
{
	char line[8192], mnt[4096], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %4095s %63s", mnt, type) == 2 &&
		    !strcmp(type, "hugetlbfs")) {
			snprintf(dir, len, "%s", mnt);
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/*
 * The regions, the dirty patterns and the flush model count in 4K pages
 * and 2M page tables.  A 16K-page kernel (arm64, ppc64) has 2048 PTEs
 * of 16K, 32M, per table; a 64K-page one 8192 of 64K, 512M: the
 * per-table flushes would come 16 or 256 times rarer than the model
 * says, so such a kernel is refused rather than miscounted.
 */
int region_page_size_check(long page_size, char *err, size_t errlen)
{
	long ptes;

	if (page_size == (long)PAGE_4K)
		return 0;
	if (page_size <= 0) {
		snprintf(err, errlen, "the page size is unknown: %s",
			 strerror(errno));
		return -EINVAL;
	}
	ptes = page_size / 8;	/* 8-byte PTEs in a page-sized table */
	snprintf(err, errlen, "%ldK pages: a page table spans %ldM here "
		 "(%ld PTEs), tlbbench models 4K pages and 2M tables",
		 page_size >> 10, (ptes * page_size) >> 20, ptes);
	return -EINVAL;
}

/*
 * The largest region P's backing can hold here, leaving a tenth of memory
 * or space free: what a swept size is capped to.
 */
unsigned long long region_size_limit(const struct params *p)
{
	unsigned long long mem = meminfo_kb("MemAvailable") << 10, fs = ~0ULL;
	struct statvfs sv;
	char dir[4096];
	bool memory;

	snprintf(dir, sizeof(dir), "%s", p->dir);
	if (p->backing == BACKING_HUGETLBFS) {
		mem = (meminfo_kb("HugePages_Free") *
		       meminfo_kb("Hugepagesize")) << 10;
		return mem - mem % PAGE_TABLE_SPAN;
	}
	memory = takes_memory(p, dir[0] ? dir : NULL);
	if (dir[0] && !p->no_space_check && !statvfs(dir, &sv) &&
	    !(memory && !sv.f_blocks))
		fs = (unsigned long long)sv.f_bavail * sv.f_frsize / 10 * 9;
	mem = memory ? mem / 10 * MEM_SHARE_TENTHS : ~0ULL;
	mem = mem < fs ? mem : fs;
	return mem - mem % PAGE_TABLE_SPAN;
}

/*
 * A new file in DIR, unlinked at once so that no exit path leaves it:
 * its descriptor, or -errno with ERR set.
 */
static int create_unlinked(const char *dir, char *err, size_t errlen)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/tlbbench.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		snprintf(err, errlen, "create in %s: %s", dir,
			 strerror(errno));
		return fd;
	}
	unlink(path);
	return fd;
}

int region_create(struct region *r, const struct params *p, char *err,
		  size_t errlen)
{
	char *dir = r->dir;
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->backing = p->backing;
	r->size = p->size;
	r->align = PAGE_TABLE_SPAN;
	snprintf(dir, sizeof(r->dir), "%s", p->dir);

	if (r->backing == BACKING_HUGETLBFS && !dir[0] &&
	    find_hugetlbfs(dir, sizeof(r->dir))) {
		snprintf(err, errlen,
			 "--backing hugetlbfs: no hugetlbfs mounted; give --dir");
		return -EINVAL;
	}
	if (r->backing == BACKING_HUGETLBFS &&
	    (ret = check_hugetlb(r, dir, err, errlen)))
		return ret;
	if ((ret = check_space(r, p, dir[0] ? dir : NULL, err, errlen)))
		return ret;

	if (r->backing == BACKING_ANON) {
		snprintf(r->fs, sizeof(r->fs), "anon");
		return 0;
	}
	if (r->backing == BACKING_MEMFD) {
		r->fd = memfd_create("tlbbench", MFD_CLOEXEC);
		if (r->fd < 0) {
			snprintf(err, errlen, "memfd_create: %s",
				 strerror(errno));
			return -errno;
		}
		snprintf(r->fs, sizeof(r->fs), "memfd");
	} else {
		ret = create_unlinked(dir, err, errlen);
		if (ret < 0)
			return ret;
		r->fd = ret;
		fs_type(r->fd, r->fs, sizeof(r->fs));
		r->in_memory = !strcmp(r->fs, "tmpfs") ||
			       !strcmp(r->fs, "ramfs");
	}

	if ((r->backing == BACKING_TMPFS && strcmp(r->fs, "tmpfs")) ||
	    (r->backing == BACKING_HUGETLBFS && strcmp(r->fs, "hugetlbfs"))) {
		snprintf(err, errlen, "--dir: %s is %s, not %s", dir, r->fs,
			 backing_name(r->backing));
		goto bad_input;
	}
	if (r->backing == BACKING_FILE && p->dirty == DIRTY_NONE &&
	    r->in_memory) {
		snprintf(err, errlen,
			 "--dirty: none needs a disk-backed file; %s is %s",
			 dir, r->fs);
		goto bad_input;
	}
	if (ftruncate(r->fd, r->size)) {
		snprintf(err, errlen, "ftruncate: %s", strerror(errno));
		ret = -errno;
		close(r->fd);
		r->fd = -1;
		return ret;
	}
	return 0;
bad_input:
	close(r->fd);
	r->fd = -1;
	return -EINVAL;
}

/* Whether the dirty pattern writes 4K page I of the region. */
bool region_page_dirtied(const struct params *p, unsigned long long i)
{
	switch (p->dirty) {
	case DIRTY_ALL:
	case DIRTY_NONE:	/* written, then cleaned */
		return true;
	case DIRTY_PER_TABLE:
		return (i * PAGE_4K) % PAGE_TABLE_SPAN == 0;
	case DIRTY_FRACTION:	/* evenly spread: every crossing of an integer */
		return (unsigned long long)((i + 1) * p->dirty_fraction) >
		       (unsigned long long)(i * p->dirty_fraction);
	}
	return false;
}

/* Where a SIGBUS in touch_pages() jumps to, in the thread running it. */
static __thread sigjmp_buf *touch_jmp;

static void touch_sigbus(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if (touch_jmp)
		siglongjmp(*touch_jmp, 1);
	/* Not from the loop: die of it, as without this handler. */
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

/*
 * Load from or store to one byte of each 4K page of the region, or with
 * P of the pages its dirty pattern writes only (storing 1; without P a
 * store rewrites what is there).  A page the backing cannot provide,
 * such as one past the space left, raises SIGBUS, which ends the loop.
 * Returns the bytes of the region it got through: r->size when done.
 */
static unsigned long long touch_pages(struct region *r,
				      const struct params *p, bool write)
{
	struct sigaction sa = { .sa_handler = touch_sigbus }, old;
	volatile unsigned long long off = 0;
	sigjmp_buf jmp;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old);
	if (!sigsetjmp(jmp, 1)) {
		touch_jmp = &jmp;
		for (; off < r->size; off += PAGE_4K) {
			volatile char *c = r->addr + off;

			if (p && !region_page_dirtied(p, off / PAGE_4K))
				continue;
			if (!write)
				(void)*c;
			else if (p)
				*c = 1;
			else
				*c = *c;
		}
	}
	touch_jmp = NULL;
	sigaction(SIGBUS, &old, NULL);
	return off;
}

/*
 * Fault the region in with MADV_POPULATE_*, or touch it before 5.14, a
 * page-table span (or huge page) at a time, so that a backing running
 * out of room on the way can tell how far it got: *DONE, in bytes, and
 * *WHAT, the call that failed.  0 or -errno.
 */
static int populate(struct region *r, bool write, unsigned long long *done,
		    const char **what)
{
	int advice = write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ;

	*what = write ? "MADV_POPULATE_WRITE" : "MADV_POPULATE_READ";
	for (*done = 0; *done < r->size; *done += r->align) {
		size_t len = r->size - *done < r->align ? r->size - *done
							: r->align;

		if (!madvise(r->addr + *done, len, advice))
			continue;
		if (errno != EINVAL || *done)
			return -errno;
		r->populate = "touch loop (no MADV_POPULATE_*)";
		*what = write ? "a store" : "a load";
		*done = touch_pages(r, NULL, write);
		return *done < r->size ? -EFAULT : 0;
	}
	*done = r->size;
	r->populate = write ? "MADV_POPULATE_WRITE" : "MADV_POPULATE_READ";
	return 0;
}

/*
 * One line for a region that could not be populated, saying how far it
 * got (DONE bytes) and, when its filesystem no longer has room for the
 * rest, that it ran out of space: a filesystem whose statvfs promised
 * more than it had (thin-provisioned, quota-limited, or filled by
 * another writer), or one not asked (--no-space-check).  WHAT is the
 * call that failed.  The region is unmapped; returns -ENOSPC for a full
 * filesystem, else RET.
 */
static int populate_failed(struct region *r, unsigned long long done,
			   const char *what, int ret, char *err,
			   size_t errlen)
{
	unsigned long long rest = r->size - done;
	/* madvise fails with an errno, a load or store by SIGBUS. */
	const char *why = strncmp(what, "MADV_", 5) ? "SIGBUS"
						      : strerror(-ret);
	struct statvfs sv;

	munmap(r->addr, r->size);
	r->addr = NULL;
	if (r->dir[0] && !statvfs(r->dir, &sv) &&
	    (unsigned long long)sv.f_bavail * sv.f_frsize < rest) {
		snprintf(err, errlen,
			 "populating the region: %s on %s ran out of space after %llu of %llu MiB (%s: %s)",
			 r->fs, r->dir, done >> 20, r->size >> 20, what, why);
		return -ENOSPC;
	}
	snprintf(err, errlen,
		 "populating the region: %s failed after %llu of %llu MiB of %s: %s",
		 what, done >> 20, r->size >> 20, r->fs, why);
	return ret;
}

/*
 * The same for one call over the whole region (setup-cost times one):
 * how far it got is what the backing file holds.
 */
int region_populate_failed(struct region *r, const char *what, int ret,
			   char *err, size_t errlen)
{
	unsigned long long done = 0;
	struct stat st;

	if (r->fd >= 0 && !fstat(r->fd, &st))
		done = (unsigned long long)st.st_blocks * 512;
	return populate_failed(r, done < r->size ? done : r->size, what, ret,
			       err, errlen);
}

/* Map the backing at an aligned address, without faulting anything in. */
int region_map_empty(struct region *r, const struct params *p, char *err,
		     size_t errlen)
{
	size_t span = r->size + r->align;
	char *resv, *addr;

	/* Reserve, then map at an aligned address inside and trim. */
	resv = mmap(NULL, span, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (resv == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return -errno;
	}
	addr = (char *)(((uintptr_t)resv + r->align - 1) & ~(r->align - 1));
	if (mmap(addr, r->size, PROT_READ | PROT_WRITE, MAP_FIXED |
		 (r->fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED),
		 r->fd, 0) == MAP_FAILED) {
		snprintf(err, errlen, "mmap %llu bytes: %s", r->size,
			 strerror(errno));
		munmap(resv, span);
		return -errno;
	}
	if (addr > resv)
		munmap(resv, addr - resv);
	if (resv + span > addr + r->size)
		munmap(addr + r->size, resv + span - (addr + r->size));
	r->addr = addr;

	if (p->pages != PAGES_HUGETLB &&
	    madvise(addr, r->size, p->pages == PAGES_4K ? MADV_NOHUGEPAGE
							 : MADV_HUGEPAGE)) {
		snprintf(err, errlen, "madvise %s: %s",
			 p->pages == PAGES_4K ? "MADV_NOHUGEPAGE" : "MADV_HUGEPAGE",
			 strerror(errno));
		return -errno;
	}
	return 0;
}

/*
 * Whether read faults and stores give the PTEs a write fault would, for
 * less.  shmem does not write-protect a shared mapping to track dirty
 * pages, so a read fault maps its pages writable, 16 at a time (fault
 * around, of pages already in the file), and a store only sets the dirty
 * bit.  A kernel that maps them read-only makes each store fault: slower,
 * the same page tables.  A disk-backed file write-protects them, and
 * there each store faults (measured: 30 times slower than a write fault).
 */
static bool stores_cheaper(const struct region *r, const struct params *p)
{
	return p->populate == POPULATE_FAST && p->pages == PAGES_4K &&
	       (r->backing == BACKING_TMPFS || r->backing == BACKING_MEMFD);
}

/* vm.dirty_expire_centisecs in ns: 30 s where it cannot be read. */
static unsigned long long dirty_expire_ns(void)
{
	FILE *f = fopen("/proc/sys/vm/dirty_expire_centisecs", "r");
	unsigned long long cs = 3000;

	if (f) {
		if (fscanf(f, "%llu", &cs) != 1)
			cs = 3000;
		fclose(f);
	}
	return cs * 10000000ULL;
}

/*
 * Replace a disk-backed file that earlier repetitions left dirty with a
 * new, empty one under the same descriptor, once its pages are older
 * than half of vm.dirty_expire_centisecs.  Older than
 * all of it, the flusher writes them back, cleaning and write-protecting
 * their PTEs during the populate or the measured window (seen: 107
 * shootdowns for 129 page tables, the helper's CPU off the mm while the
 * flusher ran there).  The old file's pages are dropped unwritten, where
 * fdatasync would write the whole region; younger ones are reused, as
 * rewriting pages already in the cache is the cheaper populate.
 */
static int renew_file(struct region *r, char *err, size_t errlen)
{
	int fd, ret = 0;

	if (!r->dirtied_ns ||
	    now_ns() - r->dirtied_ns < dirty_expire_ns() / 2)
		return 0;
	fd = create_unlinked(r->dir, err, errlen);
	if (fd < 0)
		return fd;
	if (ftruncate(fd, r->size) || dup3(fd, r->fd, O_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(err, errlen, "a new backing file in %s: %s", r->dir,
			 strerror(errno));
	}
	close(fd);
	if (!ret)
		r->dirtied_ns = 0;
	return ret;
}

/*
 * Map the region and fault it in, dirtied by the pattern.  --dirty none
 * writes the file and msyncs it; with --populate fast only once, and
 * later mappings read the clean pages: the same clean, write-protected
 * PTEs as after an msync, without writing the file back each time.
 */
int region_map(struct region *r, const struct params *p, char *err,
	       size_t errlen)
{
	bool reuse_clean = p->dirty == DIRTY_NONE && r->written_back &&
			   p->populate == POPULATE_FAST;
	bool write = !reuse_clean && (p->dirty == DIRTY_NONE ||
		     (p->dirty == DIRTY_ALL && !stores_cheaper(r, p)));
	unsigned long long done, start = now_ns();
	const char *what;
	int ret = renew_file(r, err, errlen);

	if (!ret)
		ret = region_map_empty(r, p, err, errlen);
	if (ret)
		return ret;
	ret = populate(r, write, &done, &what);
	/* The other patterns: faulted in for reading, then some written;
	 * all of it rewritten as it is, for workloads that check it. */
	if (!ret && !write && !reuse_clean) {
		what = "a store";
		done = touch_pages(r, p->dirty == DIRTY_ALL ? NULL : p, true);
		if (done < r->size)
			ret = -EFAULT;
		if (!strcmp(r->populate, "MADV_POPULATE_READ"))
			r->populate = "MADV_POPULATE_READ, then stores";
	}
	if (!ret && reuse_clean && !strcmp(r->populate, "MADV_POPULATE_READ"))
		r->populate = "MADV_POPULATE_READ of pages written back before";
	if (ret)
		return populate_failed(r, done, what, ret, err, errlen);
	/* A disk-backed file's dirty pages outlive the mapping. */
	if (!r->dirtied_ns && r->backing == BACKING_FILE &&
	    p->dirty != DIRTY_NONE && !r->in_memory)
		r->dirtied_ns = start;
	if (p->dirty == DIRTY_NONE && !reuse_clean) {
		if (msync(r->addr, r->size, MS_SYNC)) {
			ret = -errno;
			snprintf(err, errlen, "msync of %llu MiB of %s: %s",
				 r->size >> 20, r->fs, strerror(errno));
			return ret;
		}
		r->written_back = true;
	}
	return 0;
}

int region_seen(const struct region *r, struct smaps_vma *v)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	int ret;

	if (!f)
		return -errno;
	ret = procfs_smaps_vma(f, (unsigned long)r->addr, v);
	fclose(f);
	return ret;
}

/* The workload unmapped the region itself (that was the measured call). */
void region_unmapped(struct region *r)
{
	r->addr = NULL;
}

/* The workload dropped the file's pages (truncate): none is clean now. */
void region_emptied(struct region *r)
{
	r->written_back = false;
	r->dirtied_ns = 0;
}

void region_destroy(struct region *r)
{
	if (r->addr)
		munmap(r->addr, r->size);
	r->addr = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}
