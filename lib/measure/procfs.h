/* Parsers for the /proc files tlbbench reads; they take a FILE so tests
 * can feed fixtures. */
#ifndef TLB_PROCFS_H
#define TLB_PROCFS_H

#include <stdio.h>

/* One VMA's entry of /proc/PID/smaps, in kB. */
struct smaps_vma {
	unsigned long long size_kb;
	unsigned long long rss_kb;
	unsigned long long shared_dirty_kb;
	unsigned long long private_dirty_kb;
	unsigned long long anon_huge_kb;
	unsigned long long shmem_pmd_kb;
	unsigned long long file_pmd_kb;
	unsigned long long shared_hugetlb_kb;
	unsigned long long private_hugetlb_kb;
};

int procfs_interrupts_row(FILE *f, const char *row, long long *count,
			  int max_cpu);
int procfs_smaps_vma(FILE *f, unsigned long start, struct smaps_vma *out);
const char *smaps_granularity(const struct smaps_vma *v);
int procfs_kallsyms_has(FILE *f, const char *name);
int procfs_kallsyms_find(FILE *f, const char *const *names, int n,
			 int *found);
#define PROCFS_SYM_MAX 64
int procfs_kallsyms_names(FILE *f, const unsigned long long *addr, int n,
			  char (*names)[PROCFS_SYM_MAX]);
int procfs_cpu_flag(FILE *f, const char *flag);
int procfs_field(FILE *f, const char *key, unsigned long long *out);

#endif
