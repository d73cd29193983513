/* CPU lists in the kernel's "0-3,8" syntax, and pinning. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"

static int add_cpu(struct cpu_list *l, long cpu)
{
	if (cpu < 0 || cpu >= CPU_SETSIZE || l->n >= CPU_LIST_MAX)
		return -ERANGE;
	if (cpu_list_has(l, cpu))
		return -EINVAL;
	l->cpu[l->n++] = cpu;
	return 0;
}

/* Parse "0,2-5"; returns 0 or -EINVAL/-ERANGE.  Duplicates are errors. */
int cpu_list_parse(const char *text, struct cpu_list *out)
{
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
		for (long c = a; c <= b; c++) {
			int err = add_cpu(out, c);

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

int cpu_list_format(const struct cpu_list *l, char *buf, int len)
{
	int off = 0;

	buf[0] = '\0';
	for (int i = 0; i < l->n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%d", i ? "," : "",
				l->cpu[i]);
	return off < len ? 0 : -ENOSPC;
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
	char buf[4096];
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int err;

	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	err = cpu_list_parse(buf, out);
	return err;
}

/* CPUs this process may run on (taskset, cgroup cpusets). */
int cpu_list_allowed(struct cpu_list *out)
{
	cpu_set_t set;

	out->n = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (int c = 0; c < CPU_SETSIZE && out->n < CPU_LIST_MAX; c++)
		if (CPU_ISSET(c, &set))
			out->cpu[out->n++] = c;
	return 0;
}

int cpu_pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* The one CPU thread TID may run on, or -1 if it may run on several. */
int cpu_pinned(int tid)
{
	cpu_set_t set;

	if (sched_getaffinity(tid, sizeof(set), &set) || CPU_COUNT(&set) != 1)
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			return c;
	return -1;
}

/* Let the calling thread run on any CPU of L, the kernel choosing. */
int cpu_allow_self(const struct cpu_list *l)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int i = 0; i < l->n; i++)
		CPU_SET(l->cpu[i], &set);
	return -pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}
