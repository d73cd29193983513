/* CPU lists, online CPUs and thread pinning. */
#ifndef TLB_CPU_H
#define TLB_CPU_H

#include <stdbool.h>

/*
 * CPU numbers below this are accepted: above Linux's largest NR_CPUS
 * (8192), far below what would make a parsed range a memory hazard.
 */
#define CPU_ID_LIMIT 65536

/*
 * CPUs in the order given.  The array grows as needed (machines have more
 * CPUs than glibc's fixed 1024-bit cpu_set_t), so a list is zeroed before
 * first use and released with cpu_list_free().
 */
struct cpu_list {
	int n;
	int cap;
	int *cpu;
};

void cpu_list_free(struct cpu_list *l);
int cpu_list_add(struct cpu_list *l, long cpu);
int cpu_list_parse(const char *text, struct cpu_list *out);
char *cpu_list_format(const struct cpu_list *l);
int cpu_list_max(const struct cpu_list *l);
int cpu_list_ranges(const struct cpu_list *l, char *buf, int len);
int cpu_list_online(struct cpu_list *out);
int cpu_list_allowed(struct cpu_list *out);
bool cpu_list_has(const struct cpu_list *l, int cpu);
int cpu_pin_self(int cpu);
int cpu_pinned(int tid);
int cpu_allow_self(const struct cpu_list *l);

/* One turn of a busy-wait loop: tells the CPU (and a hypervisor) so. */
static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

#endif
