/* Kernel symbols of /proc/kallsyms, to name the frames of a call chain. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attribution.h"

static int cmp_ksym(const void *x, const void *y)
{
	const struct ksym *a = x, *b = y;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* Double *P's room for *CAP items of SIZE bytes (FIRST at first). */
static int grow(void **p, size_t *cap, size_t size, size_t first)
{
	size_t n = *cap ? *cap * 2 : first;
	void *q = realloc(*p, n * size);

	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/*
 * Text symbols of /proc/kallsyms, sorted.  Returns 0, -EPERM when every
 * address reads as zero (kptr_restrict), or another -errno.
 */
static int load_ksyms(struct attribution *a)
{
	size_t cap = 0, ocap = 0, ncap = 0, nlen = 0;
	unsigned long long addr;
	bool any = false;
	char *line = NULL;
	size_t llen = 0;
	FILE *f = fopen("/proc/kallsyms", "r");
	size_t *off = NULL;
	int ret = 0;

	if (!f)
		return -errno;
	while (getline(&line, &llen, f) > 0) {
		char type, name[512];
		size_t len;

		if (sscanf(line, "%llx %c %511s", &addr, &type, name) != 3)
			continue;
		if (addr)
			any = true;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		len = strlen(name) + 1;
		if (a->nsyms == cap && grow((void **)&a->syms, &cap,
					    sizeof(*a->syms), 65536)) {
			ret = -ENOMEM;
			goto out;
		}
		if (a->nsyms == ocap && grow((void **)&off, &ocap,
					     sizeof(*off), 65536)) {
			ret = -ENOMEM;
			goto out;
		}
		while (nlen + len > ncap) {
			if (grow((void **)&a->names, &ncap, 1, 1 << 20)) {
				ret = -ENOMEM;
				goto out;
			}
		}
		memcpy(a->names + nlen, name, len);
		a->syms[a->nsyms].addr = addr;
		off[a->nsyms++] = nlen;
		nlen += len;
	}
	if (!any) {
		ret = a->nsyms ? -EPERM : -ENOENT;
		goto out;
	}
	/* Names moved while the block grew: point at them only now. */
	for (size_t i = 0; i < a->nsyms; i++)
		a->syms[i].name = a->names + off[i];
	qsort(a->syms, a->nsyms, sizeof(*a->syms), cmp_ksym);
out:
	if (ret) {
		free(a->syms);
		free(a->names);
		a->syms = NULL;
		a->names = NULL;
		a->nsyms = 0;
	}
	free(off);
	free(line);
	fclose(f);
	return ret;
}

const char *attr_ksym_name(const struct attribution *a,
			   unsigned long long ip)
{
	size_t lo = 0, hi = a->nsyms;

	if (!a->nsyms || ip < a->syms[0].addr)
		return "?";
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->syms[mid].addr <= ip)
			lo = mid;
		else
			hi = mid;
	}
	return a->syms[lo].name;
}

static int read_int_file(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Symbols are read once; WHY says what stops naming frames. */
void attr_name_frames(struct attribution *a)
{
	int ret;

	if (!a->syms_tried) {
		a->syms_err = load_ksyms(a);
		a->syms_tried = true;
	}
	ret = a->syms_err;
	if (!ret) {
		a->named = true;
		return;
	}
	if (ret == -EPERM)
		snprintf(a->why, sizeof(a->why),
			 "kernel addresses hidden: /proc/kallsyms shows them "
			 "as zero (kernel.kptr_restrict = %d%s); flushes are "
			 "sampled and counted, not attributed",
			 read_int_file("/proc/sys/kernel/kptr_restrict"),
			 geteuid() ? ", and reading them needs root" : "");
	else
		snprintf(a->why, sizeof(a->why),
			 "/proc/kallsyms: %s; flushes are sampled and "
			 "counted, not attributed", strerror(-ret));
}
