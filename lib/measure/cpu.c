/* CPU lists in the kernel's "0-3,8" syntax, and pinning. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

void cpu_list_free(struct cpu_list *l)
{
	free(l->cpu);
	l->cpu = NULL;
	l->n = l->cap = 0;
}

/* Append CPU; -ERANGE beyond CPU_ID_LIMIT, -ENOMEM. */
int cpu_list_add(struct cpu_list *l, long cpu)
{
	if (cpu < 0 || cpu >= CPU_ID_LIMIT)
		return -ERANGE;
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 64;
		int *a = realloc(l->cpu, cap * sizeof(*a));

		if (!a)
			return -ENOMEM;
		l->cpu = a;
		l->cap = cap;
	}
	l->cpu[l->n++] = cpu;
	return 0;
}

/* Parse "0,2-5"; returns 0 or -EINVAL/-ERANGE.  Duplicates are errors. */
int cpu_list_parse(const char *text, struct cpu_list *out)
{
	unsigned char seen[CPU_ID_LIMIT / 8] = { 0 };
	const char *p = text;

	out->n = 0;
	while (*p) {
		char *end;
		long a, b;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		a = strtol(p, &end, 10);
		b = a;
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			b = strtol(p, &end, 10);
			if (b < a)
				return -EINVAL;
		}
		if (b >= CPU_ID_LIMIT)
			return -ERANGE;
		for (long c = a; c <= b; c++) {
			int err;

			if (seen[c / 8] & 1 << c % 8)
				return -EINVAL;
			seen[c / 8] |= 1 << c % 8;
			err = cpu_list_add(out, c);
			if (err)
				return err;
		}
		p = end;
		if (*p == ',') {
			p++;
			if (!*p)
				return -EINVAL;
		} else if (*p) {
			return -EINVAL;
		}
	}
	return out->n ? 0 : -EINVAL;
}

/* "0,2,3": L's CPUs in its order, allocated; NULL without memory. */
char *cpu_list_format(const struct cpu_list *l)
{
	/* Each number takes at most 5 digits (CPU_ID_LIMIT) and a comma. */
	size_t len = (size_t)l->n * 6 + 1, off = 0;
	char *buf = malloc(len);

	if (!buf)
		return NULL;
	buf[0] = '\0';
	for (int i = 0; i < l->n; i++)
		off += snprintf(buf + off, len - off, "%s%d", i ? "," : "",
				l->cpu[i]);
	return buf;
}

/* The highest CPU of L plus one: the size of a per-CPU-number array. */
int cpu_list_max(const struct cpu_list *l)
{
	int max = 0;

	for (int i = 0; i < l->n; i++)
		if (l->cpu[i] >= max)
			max = l->cpu[i] + 1;
	return max;
}

/*
 * L (ascending) as ranges, "0-3,8,10-255", into BUF; 0, or -ENOSPC with
 * as many ranges as fit and "..." after them.
 */
int cpu_list_ranges(const struct cpu_list *l, char *buf, int len)
{
	int off = 0;

	buf[0] = '\0';
	for (int i = 0; i < l->n; i++) {
		int j = i, n;

		while (j + 1 < l->n && l->cpu[j + 1] == l->cpu[j] + 1)
			j++;
		n = j > i ? snprintf(buf + off, len - off, "%s%d-%d",
				     off ? "," : "", l->cpu[i], l->cpu[j])
			  : snprintf(buf + off, len - off, "%s%d",
				     off ? "," : "", l->cpu[i]);
		if (off + n >= len - 4) {
			snprintf(buf + off, len - off, "%s...", off ? "," : "");
			return -ENOSPC;
		}
		off += n;
		i = j;
	}
	return 0;
}

bool cpu_list_has(const struct cpu_list *l, int cpu)
{
	for (int i = 0; i < l->n; i++)
		if (l->cpu[i] == cpu)
			return true;
	return false;
}

int cpu_list_online(struct cpu_list *out)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	char *line = NULL;
	size_t len = 0;
	int err;

	if (!f)
		return -errno;
	if (getline(&line, &len, f) < 0) {
		fclose(f);
		free(line);
		return -EIO;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	err = cpu_list_parse(line, out);
	free(line);
	return err;
}

/*
 * The CPUs thread TID (0: the caller) may run on, in a set CPU_ALLOC()ed
 * as large as the kernel's mask needs (sched_getaffinity() refuses a
 * smaller one with EINVAL); its size in *SIZE.  NULL with errno set.
 */
static cpu_set_t *affinity_of(pid_t tid, size_t *size)
{
	for (int n = 1024; n <= CPU_ID_LIMIT; n *= 2) {
		cpu_set_t *set = CPU_ALLOC(n);

		if (!set)
			return NULL;
		*size = CPU_ALLOC_SIZE(n);
		if (!sched_getaffinity(tid, *size, set))
			return set;
		CPU_FREE(set);
		if (errno != EINVAL)
			return NULL;
	}
	errno = EINVAL;
	return NULL;
}

/* Let the calling thread run on the N CPUs of CPUS only. */
static int set_affinity(const int *cpus, int n)
{
	int max = 1, ret;
	cpu_set_t *set;
	size_t size;

	for (int i = 0; i < n; i++)
		if (cpus[i] >= max)
			max = cpus[i] + 1;
	set = CPU_ALLOC(max);
	if (!set)
		return -ENOMEM;
	size = CPU_ALLOC_SIZE(max);
	CPU_ZERO_S(size, set);
	for (int i = 0; i < n; i++)
		CPU_SET_S(cpus[i], size, set);
	/* The kernel takes a mask shorter than its own, the rest clear. */
	ret = -pthread_setaffinity_np(pthread_self(), size, set);
	CPU_FREE(set);
	return ret;
}

/* CPUs this process may run on (taskset, cgroup cpusets). */
int cpu_list_allowed(struct cpu_list *out)
{
	size_t size;
	cpu_set_t *set = affinity_of(0, &size);
	int ret = 0;

	out->n = 0;
	if (!set)
		return -errno;
	for (int c = 0; c < (int)size * 8 && !ret; c++)
		if (CPU_ISSET_S(c, size, set))
			ret = cpu_list_add(out, c);
	CPU_FREE(set);
	return ret;
}

int cpu_pin_self(int cpu)
{
	return set_affinity(&cpu, 1);
}

/* The one CPU thread TID may run on, or -1 if it may run on several. */
int cpu_pinned(int tid)
{
	size_t size;
	cpu_set_t *set = affinity_of(tid, &size);
	int cpu = -1;

	if (!set)
		return -1;
	if (CPU_COUNT_S(size, set) == 1)
		for (int c = 0; c < (int)size * 8 && cpu < 0; c++)
			if (CPU_ISSET_S(c, size, set))
				cpu = c;
	CPU_FREE(set);
	return cpu;
}

/* Let the calling thread run on any CPU of L, the kernel choosing. */
int cpu_allow_self(const struct cpu_list *l)
{
	return set_affinity(l->cpu, l->n);
}
