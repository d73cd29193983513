/*
 * A cycle counter read without a system call, for loops that time their
 * own iterations: the TSC on x86, the virtual counter on arm64, else
 * CLOCK_MONOTONIC_RAW.  Ticks become ns by a rate measured against
 * CLOCK_MONOTONIC (cycles_per_ns()).
 */
#ifndef TLB_CYCLES_H
#define TLB_CYCLES_H

#include <stdint.h>
#include <time.h>

static inline uint64_t cycles_now(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
#endif
}

/* What cycles_now() counts, for records. */
#if defined(__x86_64__) || defined(__i386__)
#define CYCLES_SOURCE "tsc"
#elif defined(__aarch64__)
#define CYCLES_SOURCE "cntvct_el0"
#else
#define CYCLES_SOURCE "CLOCK_MONOTONIC_RAW"
#endif

/* measure.c */
double cycles_per_ns(unsigned long long over_ns);

#endif
