/*
 * Unit tests of lib/measure/model.c: the kernel model's flush counts and
 * verdicts.
 */

#include "measure/model.h"
#include "tap.h"

/*
 * The kernel models, by hand from their definitions: a page table spans
 * 512 PTEs, a full mmu_gather 19 x 510 = 9690 entries, and both models
 * add one flush for the end of the operation.
 */
static void test_model(void)
{
	struct params p = { .backing = BACKING_TMPFS, .dirty = DIRTY_ALL,
			    .pages = PAGES_4K, .size = 64 << 20 };
	struct smaps_vma v = { .size_kb = 65536, .rss_kb = 65536 };
	struct zap_shape z;
	struct model m;

	/* 64M dirty 4k tmpfs: 16384 PTEs in 32 tables, all dirty. */
	zap_shape_of_region(&p, &v, &z);
	ok(z.known && z.ptes == 16384 && z.tables == 32 &&
	   z.dirty_tables == 32 && z.ops == 1,
	   "64M dirty: 16384 PTEs, 32 dirty tables");
	model_judge(&z, 33, &m);
	ok(m.force_flush == 33 && m.batched == 3 && m.distinct,
	   "64M dirty: force_flush 32 + 1, batched 2 + 1, told apart");
	is_str(m.verdict, "force_flush per page table", "33 flushes: force_flush");
	model_judge(&z, 2, &m);
	is_str(m.verdict, "batched", "2 flushes: batched");
	model_judge(&z, 27, &m);
	is_str(m.verdict, "neither model", "27: under 9/10 of 32 tables (28)");
	model_judge(&z, 28, &m);
	is_str(m.verdict, "force_flush per page table", "28: 9/10 reached");

	/* One dirty page per table: every table still forces a flush. */
	p.dirty = DIRTY_PER_TABLE;
	zap_shape_of_region(&p, &v, &z);
	is_int((int)z.dirty_tables, 32, "per-table: 32 dirty tables");

	/* Anonymous memory never force-flushes: the models agree. */
	p.backing = BACKING_ANON;
	p.dirty = DIRTY_ALL;
	zap_shape_of_region(&p, &v, &z);
	model_judge(&z, 3, &m);
	ok(z.dirty_tables == 0 && m.force_flush == 3 && m.batched == 3 &&
	   !m.distinct, "anon 64M: 2 + 1 either way, not told apart");
	is_str(m.verdict, "batched", "anon, 3 flushes: batched");

	/* THP: no PTE zap; mixed: no verdict. */
	p.backing = BACKING_TMPFS;
	v.shmem_pmd_kb = 65536;
	zap_shape_of_region(&p, &v, &z);
	ok(z.known && z.ptes == 0, "PMD-mapped: no PTE zapped");
	v.shmem_pmd_kb = 2048;
	zap_shape_of_region(&p, &v, &z);
	model_judge(&z, 10, &m);
	ok(!z.known && !strncmp(m.verdict, "unknown", 7),
	   "mixed mapping: unknown");

	/* madvise of 2M chunks, 64 operations: one table each; force_flush
	 * (1 + 1) x 64 = batched (1 + 1) x 64: the models agree. */
	zap_shape_of_chunk(&p, 2 << 20, 64, &z);
	model_judge(&z, 128, &m);
	ok(m.force_flush == 128 && m.batched == 128 && !m.distinct,
	   "64 chunks of 2M: 128 predicted by both");
	is_str(m.verdict, "batched", "128: within the batched bound");

	/* 1G: 262144 PTEs, 512 tables; batched 28 + 1. */
	p.size = 1ULL << 30;
	v = (struct smaps_vma){ .size_kb = 1 << 20, .rss_kb = 1 << 20 };
	zap_shape_of_region(&p, &v, &z);
	model_judge(&z, 513, &m);
	ok(m.force_flush == 513 && m.batched == 29,
	   "1G: force_flush 513, batched 28 + 1");
}

int main(void)
{
	test_model();
	return tap_done();
}
