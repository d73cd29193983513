/* /proc/interrupts and /proc/PID/smaps parsers. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

/*
 * Fill count[cpu] from the row named ROW ("TLB") of /proc/interrupts.  The
 * header names the columns ("CPU0 CPU3 ..."): offline CPUs have none, so
 * column i is not CPU i.  Returns the number of columns, -ENOENT when the
 * row is absent and -EINVAL on a malformed file.
 */
int procfs_interrupts_row(FILE *f, const char *row, long long *count,
			  int max_cpu)
{
	size_t rowlen = strlen(row), len = 0;
	int *col_cpu = NULL, ncol = 0, ret = -EINVAL;
	char *line = NULL, *p;

	/* Lines grow with the CPUs (about 11 bytes each): read them whole. */
	if (getline(&line, &len, f) < 0)
		goto out;
	col_cpu = malloc((strlen(line) / 4 + 1) * sizeof(*col_cpu));
	if (!col_cpu) {
		ret = -ENOMEM;
		goto out;
	}
	p = line;
	while (*p) {
		char *end;
		long cpu;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (strncmp(p, "CPU", 3))
			goto out;
		cpu = strtol(p + 3, &end, 10);
		if (end == p + 3 || cpu < 0 || cpu >= max_cpu)
			goto out;
		col_cpu[ncol++] = cpu;	/* "CPUn" takes 4 bytes or more */
		p = end;
	}
	if (!ncol)
		goto out;
	for (int c = 0; c < max_cpu; c++)
		count[c] = 0;

	ret = -ENOENT;
	while (getline(&line, &len, f) >= 0) {
		p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, row, rowlen) || p[rowlen] != ':')
			continue;
		p += rowlen + 1;
		ret = ncol;
		for (int i = 0; i < ncol && ret > 0; i++) {
			char *end;
			long long v = strtoll(p, &end, 10);

			if (end == p || v < 0)
				ret = -EINVAL;
			else
				count[col_cpu[i]] = v;
			p = end;
		}
		break;
	}
out:
	free(line);
	free(col_cpu);
	return ret;
}

static int smaps_field(const char *line, const char *name,
		       unsigned long long *val)
{
	size_t len = strlen(name);
	char *end;

	if (strncmp(line, name, len) || line[len] != ':')
		return 0;
	*val = strtoull(line + len + 1, &end, 10);
	if (end == line + len + 1 || strncmp(end, " kB", 3))
		return -EINVAL;
	return 1;
}

/*
 * Find the VMA that starts at START in an smaps file and read its sizes.
 * Returns 0, -ENOENT when no VMA starts there, -EINVAL when malformed.
 */
int procfs_smaps_vma(FILE *f, unsigned long start, struct smaps_vma *out)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "Size", offsetof(struct smaps_vma, size_kb) },
		{ "Rss", offsetof(struct smaps_vma, rss_kb) },
		{ "Shared_Dirty", offsetof(struct smaps_vma, shared_dirty_kb) },
		{ "Private_Dirty", offsetof(struct smaps_vma, private_dirty_kb) },
		{ "AnonHugePages", offsetof(struct smaps_vma, anon_huge_kb) },
		{ "ShmemPmdMapped", offsetof(struct smaps_vma, shmem_pmd_kb) },
		{ "FilePmdMapped", offsetof(struct smaps_vma, file_pmd_kb) },
		{ "Shared_Hugetlb", offsetof(struct smaps_vma, shared_hugetlb_kb) },
		{ "Private_Hugetlb", offsetof(struct smaps_vma, private_hugetlb_kb) },
	};
	char line[4096];
	int found = 0;

	memset(out, 0, sizeof(*out));
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char c;

		/* A VMA header: "lo-hi perms offset dev inode [path]". */
		if (sscanf(line, "%lx-%lx %c", &lo, &hi, &c) == 3 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			if (found)
				return 0;
			found = lo == start;
			continue;
		}
		if (!found)
			continue;
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			unsigned long long v;
			int r = smaps_field(line, fields[i].name, &v);

			if (r < 0)
				return r;
			if (r) {
				*(unsigned long long *)((char *)out +
							fields[i].off) = v;
				break;
			}
		}
	}
	return found ? 0 : -ENOENT;
}

/*
 * How the resident part of the VMA is mapped: by PTEs, PMDs or both, or by
 * hugetlb pages (which smaps counts apart from Rss).
 */
const char *smaps_granularity(const struct smaps_vma *v)
{
	unsigned long long pmd = v->file_pmd_kb + v->shmem_pmd_kb +
				 v->anon_huge_kb;

	if (v->shared_hugetlb_kb + v->private_hugetlb_kb)
		return "hugetlb";
	if (!v->rss_kb)
		return "none";
	if (!pmd)
		return "4k";
	if (pmd >= v->rss_kb)
		return "pmd";
	return "mixed";
}

/*
 * Whether /proc/kallsyms (F) names the text symbol NAME: 1, 0 when it does
 * not (inlined, renamed, or not built), -EIO on a line it cannot read.  A
 * symbol of a module ("name [mod]") counts too.
 */
int procfs_kallsyms_has(FILE *f, const char *name)
{
	int found = 0, ret = procfs_kallsyms_find(f, &name, 1, &found);

	return ret ? ret : found;
}

/*
 * Which of the N text symbols NAMES /proc/kallsyms (F) names, in one
 * pass: FOUND[i] 1 or 0.  0, or -EIO on a line it cannot read.
 */
int procfs_kallsyms_find(FILE *f, const char *const *names, int n,
			 int *found)
{
	char line[512], sym[256];
	int left = n;
	char type;

	for (int i = 0; i < n; i++)
		found[i] = 0;
	while (left && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, sym) != 2)
			return -EIO;
		if (type != 'T' && type != 't')
			continue;
		for (int i = 0; i < n; i++) {
			if (!found[i] && !strcmp(sym, names[i])) {
				found[i] = 1;
				left--;
			}
		}
	}
	return 0;
}

/*
 * The text symbols of /proc/kallsyms (F) at the N addresses ADDR, in one
 * pass: NAMES[i] the symbol that starts there, or "" when none does
 * (or the addresses read as 0: kptr_restrict).  0, or -EIO on a line it
 * cannot read.
 */
int procfs_kallsyms_names(FILE *f, const unsigned long long *addr, int n,
			  char (*names)[PROCFS_SYM_MAX])
{
	char line[512], sym[256];
	unsigned long long a;
	int left = n;
	char type;

	for (int i = 0; i < n; i++)
		names[i][0] = '\0';
	while (left && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) != 3)
			return -EIO;
		if ((type != 'T' && type != 't') || !a)
			continue;
		for (int i = 0; i < n; i++) {
			if (!names[i][0] && addr[i] == a) {
				snprintf(names[i], PROCFS_SYM_MAX, "%.*s",
					 PROCFS_SYM_MAX - 1, sym);
				left--;
			}
		}
	}
	return 0;
}

/*
 * Whether the first CPU of /proc/cpuinfo (F) lists FLAG: 1, 0 when not,
 * -ENOENT without a flags line (not x86).
 */
int procfs_cpu_flag(FILE *f, const char *flag)
{
	char line[8192];
	size_t len = strlen(flag);

	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (strncmp(line, "flags", 5) || !p)
			continue;
		while ((p = strstr(p, flag)))
			if (p[-1] == ' ' && (p[len] == ' ' || p[len] == '\n' ||
					     !p[len]))
				return 1;
			else
				p += len;
		return 0;
	}
	return -ENOENT;
}

/*
 * The number after "KEY:" in a file of "Key: value" lines (F:
 * /proc/meminfo, /proc/PID/status).  0 and *OUT set, or -ENOENT.
 */
int procfs_field(FILE *f, const char *key, unsigned long long *out)
{
	char line[256];
	size_t len = strlen(key);

	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			*out = strtoull(line + len + 1, NULL, 10);
			return 0;
		}
	return -ENOENT;
}
