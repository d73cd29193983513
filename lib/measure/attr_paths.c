/*
 * The table of kernel paths a flush is attributed to, the one users
 * extend for another kernel, and how a call chain is matched against it.
 */
#include <stdio.h>
#include <string.h>

#include "attribution.h"

/*
 * The paths, in the order they are tried.  A chain is walked from the
 * innermost frame outwards; the first frame that matches an entry of any
 * path names the chain, and within one frame earlier paths win.  An entry
 * is "FRAME" (any caller) or "FRAME<CALLER" (FRAME called from CALLER).
 * Compiler suffixes (".part.0", ".constprop.0", ".isra.0", ".cold") are
 * ignored, and a function the compiler inlined has no frame: list the
 * caller it was inlined into too.  To extend the table for another
 * kernel, run with --attribute and add the frames of the chains printed
 * as unclassified.
 */
#define MATCH_MAX 8

static const struct attr_path {
	const char *key;		/* JSON: attr.KEY */
	const char *label;		/* the text table */
	const char *match[MATCH_MAX];
} paths[] = {
	/*
	 * The flush under the page table lock at the end of zap_pte_range()
	 * (inlined into zap_pmd_range() or unmap_page_range()): force_flush
	 * for dirty shared-file PTEs.  A gather that fills up inside
	 * zap_pte_range() sets force_flush too and flushes here as well.
	 */
	{ "zap_page_table", "zap page table (force_flush)",
	  { "tlb_flush_mmu_tlbonly<zap_pte_range",
	    "tlb_flush_mmu_tlbonly<zap_pmd_range",
	    "tlb_flush_mmu_tlbonly<zap_pud_range",
	    "tlb_flush_mmu_tlbonly<zap_p4d_range",
	    "tlb_flush_mmu_tlbonly<unmap_page_range" } },
	{ "end_of_operation", "end of operation (tlb_finish_mmu)",
	  { "tlb_flush_mmu<tlb_finish_mmu", "tlb_finish_mmu" } },
	/* Elsewhere a full gather is flushed by tlb_flush_mmu(). */
	{ "batch_full", "batch full (tlb_flush_mmu)", { "tlb_flush_mmu" } },
	/* Freeing page tables: a full (or unallocatable) table batch. */
	{ "free_page_tables", "free page tables (tlb_remove_table)",
	  { "tlb_remove_table", "tlb_table_flush", "tlb_remove_table_one" } },
	{ "writeback", "writeback (folio_mkclean)",
	  { "folio_mkclean", "page_mkclean_one", "page_vma_mkclean_one",
	    "page_mkclean" } },
	{ "write_fault", "write fault (do_wp_page)",
	  { "do_wp_page", "wp_page_copy" } },
	{ "reclaim", "reclaim or migration (try_to_unmap)",
	  { "try_to_unmap_flush", "try_to_unmap_flush_dirty",
	    "try_to_unmap_one", "try_to_migrate_one" } },
	/* --attribute=all: the receiving and the switching side. */
	{ "shootdown_received", "shootdown received (flush_tlb_func)",
	  { "flush_tlb_func<__flush_smp_call_function_queue",
	    "flush_tlb_func<generic_smp_call_function_single_interrupt" } },
	{ "task_switch", "task switch (switch_mm_irqs_off)",
	  { "switch_mm_irqs_off" } },
};

#define NPATHS ((int)(sizeof(paths) / sizeof(paths[0])))
_Static_assert(NPATHS <= ATTR_PATHS_MAX, "raise ATTR_PATHS_MAX");

/* The flush itself: left out when an unclassified chain is shown. */
static const char *const plumbing[] = {
	"native_flush_tlb_multi", "flush_tlb_multi", "flush_tlb_mm_range",
};

#define REASON_NAME(value, name) [value] = #name,

/* tlb_flush reasons, named as the counters name them (tlb_flush.NAME). */
static const char *const reason_names[ATTR_REASONS] = {
	TLB_FLUSH_REASONS(REASON_NAME)
};


int attr_npaths(void)
{
	return NPATHS;
}

const char *attr_path_key(int path)
{
	return path < NPATHS ? paths[path].key : "unclassified";
}

const char *attr_path_label(int path)
{
	return path < NPATHS ? paths[path].label : "unclassified";
}

const char *attr_reason_name(int reason)
{
	return reason_names[reason];
}

/* The JSON key of a count: attr.PATH for senders, else attr.REASON.PATH. */
void attr_count_key(int reason, int path, char *buf, size_t len)
{
	if (reason == ATTR_SEND)
		snprintf(buf, len, "attr.%s", attr_path_key(path));
	else
		snprintf(buf, len, "attr.%s.%s", reason_names[reason],
			 attr_path_key(path));
}

bool attr_reason_sampled(const struct attribution *a, int reason)
{
	return a->mode == ATTRIBUTE_ALL ||
	       (a->mode == ATTRIBUTE_SEND && reason == ATTR_SEND);
}

/* NAME without a compiler suffix equals the LEN bytes of WANT. */
static bool same_function(const char *name, const char *want, size_t len)
{
	return !strncmp(name, want, len) &&
	       (name[len] == '\0' || name[len] == '.');
}

static bool entry_matches(const char *entry, const char *const *frames,
			  int n, int i)
{
	const char *lt = strchr(entry, '<');
	size_t len = lt ? (size_t)(lt - entry) : strlen(entry);

	if (!same_function(frames[i], entry, len))
		return false;
	if (!lt)
		return true;
	return i + 1 < n && same_function(frames[i + 1], lt + 1,
					  strlen(lt + 1));
}

static bool path_matches(const struct attr_path *p,
			 const char *const *frames, int n, int i)
{
	for (int e = 0; e < MATCH_MAX && p->match[e]; e++)
		if (entry_matches(p->match[e], frames, n, i))
			return true;
	return false;
}

/* The path of a chain of N function names, innermost first; -1: none. */
int attr_classify(const char *const *frames, int n)
{
	for (int i = 0; i < n; i++)
		for (int p = 0; p < NPATHS; p++)
			if (path_matches(&paths[p], frames, n, i))
				return p;
	return -1;
}

/* The flush itself, not a path: left out of unclassified chains. */
bool attr_is_plumbing(const char *name)
{
	for (size_t i = 0; i < sizeof(plumbing) / sizeof(*plumbing); i++)
		if (same_function(name, plumbing[i], strlen(plumbing[i])))
			return true;
	return false;
}
