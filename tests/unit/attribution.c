/*
 * Unit tests of lib/measure/attribution.c: a flush's kernel path
 * classified and keyed.
 */

#include "measure/attribution.h"
#include "tap.h"

/* Chains seen on 6.18 (and shapes of other kernels), innermost first. */
static void test_attr_classify(void)
{
	static const struct {
		const char *frames[8];
		const char *want;	/* NULL: unclassified */
	} cases[] = {
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "unmap_page_range", "unmap_vmas",
		    "vms_clear_ptes.part.0" }, "zap_page_table" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "zap_pte_range", "zap_pmd_range" },
		  "zap_page_table" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_finish_mmu",
		    "vms_clear_ptes.part.0" }, "end_of_operation" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_flush_mmu", "tlb_finish_mmu",
		    "exit_mmap" }, "end_of_operation" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_flush_mmu", "zap_huge_pmd",
		    "unmap_page_range" }, "batch_full" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "tlb_remove_table",
		    "free_pgd_range", "free_pgtables" }, "free_page_tables" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "ptep_clear_flush", "page_vma_mkclean_one.constprop.0",
		    "page_mkclean_one", "__rmap_walk_file", "folio_mkclean" },
		  "writeback" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "ptep_clear_flush", "do_wp_page", "__handle_mm_fault" },
		  "write_fault" },
		{ { "flush_tlb_func", "__flush_smp_call_function_queue",
		    "__sysvec_call_function_single" }, "shootdown_received" },
		/* The sender's local flush, inside flush_tlb_mm_range(). */
		{ { "flush_tlb_func", "smp_call_function_many_cond",
		    "on_each_cpu_cond_mask", "flush_tlb_mm_range",
		    "tlb_flush_mmu_tlbonly", "unmap_page_range" },
		  "zap_page_table" },
		{ { "switch_mm_irqs_off", "__schedule", "schedule" },
		  "task_switch" },
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "change_pmd_range", "change_protection" }, NULL },
		/* A longer name is another function. */
		{ { "native_flush_tlb_multi", "flush_tlb_mm_range",
		    "tlb_finish_mmu_x", "tlb_flush_mmu_tlbonly",
		    "unmap_vmas" }, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = 0, p;

		while (n < 8 && cases[i].frames[n])
			n++;
		p = attr_classify(cases[i].frames, n);
		if (cases[i].want)
			is_str(p >= 0 ? attr_path_key(p) : "(none)",
			       cases[i].want, "chain %zu is %s", i,
			       cases[i].want);
		else
			ok(p < 0, "chain %zu is unclassified (got %s)", i,
			   p >= 0 ? attr_path_key(p) : "none");
	}
}

/* JSON keys, and reasons named as the counters name them. */
static void test_attr_keys(void)
{
	static const char *const counter[ATTR_REASONS] = {
		"tlb_flush.task_switch", "tlb_flush.remote_shootdown",
		"tlb_flush.local_shootdown", "tlb_flush.local_mm_shootdown",
		"tlb_flush.remote_send_ipi", "tlb_flush.remote_wrong_cpu",
	};
	char key[160];

	for (int r = 0; r < ATTR_REASONS; r++) {
		snprintf(key, sizeof(key), "tlb_flush.%s",
			 attr_reason_name(r));
		is_str(key, counter[r], "reason %d named like its counter", r);
	}
	attr_count_key(ATTR_SEND, 0, key, sizeof(key));
	is_str(key, "attr.zap_page_table", "sender key");
	attr_count_key(1, ATTR_PATHS_MAX, key, sizeof(key));
	is_str(key, "attr.remote_shootdown.unclassified",
	       "key of another reason");
}

int main(void)
{
	test_attr_classify();
	test_attr_keys();
	return tap_done();
}
