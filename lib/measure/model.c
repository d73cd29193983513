/*
 * x86-64 constants: a page table maps 512 PTEs (2M); a full mmu_gather
 * holds MAX_GATHER_BATCH_COUNT (19) batches of MAX_GATHER_BATCH (510)
 * entries before it must flush.  Large folios take one entry for several
 * pages, so a batched count is an upper bound.  Both models add one flush
 * for the end of the operation (tlb_finish_mmu, freed page tables).
 */
#include <string.h>

#include "model.h"
#include "region.h"

#define PTES_PER_TABLE 512ULL
#define GATHER_ENTRIES (19ULL * 510ULL)

static unsigned long long div_up(unsigned long long a, unsigned long long b)
{
	return (a + b - 1) / b;
}

/* Page tables of the first BYTES that the dirty pattern writes to. */
static unsigned long long dirty_tables(const struct params *p,
				       unsigned long long bytes)
{
	unsigned long long pages = bytes / 4096, n = 0;
	unsigned long long tables = div_up(pages, PTES_PER_TABLE);

	if (p->backing == BACKING_ANON || p->dirty == DIRTY_NONE)
		return 0;
	for (unsigned long long t = 0; t < tables; t++) {
		for (unsigned long long i = t * PTES_PER_TABLE;
		     i < pages && i < (t + 1) * PTES_PER_TABLE; i++) {
			if (region_page_dirtied(p, i)) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* One zap of the whole region, as mapped just before it. */
void zap_shape_of_region(const struct params *p, const struct smaps_vma *v,
			 struct zap_shape *z)
{
	const char *g = smaps_granularity(v);

	z->known = true;
	z->ops = 1;
	z->ptes = 0;
	z->tables = 0;
	z->dirty_tables = 0;
	if (!strcmp(g, "pmd") || !strcmp(g, "hugetlb") || !strcmp(g, "none"))
		return;		/* no PTE zap path at all */
	if (strcmp(g, "4k")) {
		z->known = false;
		return;
	}
	z->ptes = v->rss_kb / 4;
	z->tables = div_up(p->size / 4096, PTES_PER_TABLE);
	z->dirty_tables = dirty_tables(p, p->size);
}

/* OPS zaps of BYTES each, every page written by the pattern first. */
void zap_shape_of_chunk(const struct params *p, unsigned long long bytes,
			unsigned long long ops, struct zap_shape *z)
{
	z->known = p->pages == PAGES_4K;
	z->ops = ops;
	z->ptes = bytes / 4096;
	z->tables = div_up(z->ptes, PTES_PER_TABLE);
	z->dirty_tables = dirty_tables(p, bytes);
}

void model_judge(const struct zap_shape *z, long long measured,
		 struct model *m)
{
	unsigned long long clean = z->ptes -
		(z->dirty_tables * PTES_PER_TABLE < z->ptes ?
		 z->dirty_tables * PTES_PER_TABLE : z->ptes);

	m->measured = measured;
	m->counted = NULL;
	m->tables = z->dirty_tables;
	m->ops = z->ops;
	m->batched = (div_up(z->ptes, GATHER_ENTRIES) + 1) * z->ops;
	m->force_flush = (z->dirty_tables + div_up(clean, GATHER_ENTRIES) + 1) *
			 z->ops;
	/* Told apart only if the per-table flushes exceed a batch's. */
	m->distinct = z->known && z->dirty_tables * z->ops > m->batched + 2;
	if (!z->known)
		m->verdict = "unknown (mixed PTE and PMD mapping)";
	else if (measured <= (long long)m->batched + 2)
		m->verdict = "batched";
	else if (m->distinct &&
		 measured >= (long long)(z->dirty_tables * z->ops * 9 / 10))
		m->verdict = "force_flush per page table";
	else
		m->verdict = "neither model";
}
