/*
 * What a reader of a result needs to trust it: kernel, CPU, THP policy,
 * broadcast TLB invalidation, mitigations and the tlbbench version.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cpu.h"
#include "procfs.h"
#include "pmu.h"
#include "sysinfo.h"

/* First line of PATH without its newline, or NULL. */
static struct json_object *file_line(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return json_object_new_string(buf);
}

/* The value of "KEY\t: value" in /proc/cpuinfo's first CPU. */
static bool cpuinfo(const char *key, char *out, size_t len)
{
	char line[8192];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, key, klen) || !colon)
			continue;
		if (line[klen] != ' ' && line[klen] != '\t')
			continue;
		for (colon++; *colon == ' '; colon++)
			;
		snprintf(out, len, "%s", colon);
		out[strcspn(out, "\n")] = '\0';
		found = true;
		break;
	}
	fclose(f);
	return found;
}

/*
 * x86 names its CPU; arm64's cpuinfo has only the MIDR fields, so the
 * model is its implementer and part numbers (0x41 0xd0c: Arm Neoverse N1).
 */
static bool cpu_model(char *out, size_t len)
{
	char impl[32], part[32];

	if (cpuinfo("model name", out, len))
		return true;
	if (!cpuinfo("CPU implementer", impl, sizeof(impl)) ||
	    !cpuinfo("CPU part", part, sizeof(part)))
		return false;
	snprintf(out, len, "implementer %s part %s", impl, part);
	return true;
}

/* FLAG of the first CPU's flags in /proc/cpuinfo, or NULL without. */
static struct json_object *cpu_flag(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	int ret = f ? procfs_cpu_flag(f, flag) : -errno;

	if (f)
		fclose(f);
	return ret < 0 ? NULL : json_object_new_boolean(ret);
}

static void add(struct json_object *o, const char *key,
		struct json_object *v)
{
	json_object_object_add(o, key, v ? v : json_object_new_null());
}

/*
 * The kernel parameters a TLB result depends on: what a set keeps of
 * /proc/cmdline, made to be published.  "NAME" matches NAME and
 * NAME=VALUE, "NAME." any parameter of module NAME.  The rest (root
 * device, consoles, init's arguments after "--", a host's own
 * parameters) is left out; cmdline_dropped counts it.
 */
static const char *const cmdline_kept[] = {
	/* Mitigations and page-table isolation: what a flush costs. */
	"mitigations", "pti", "nopti", "kpti", "spectre_v1", "nospectre_v1",
	"spectre_v2", "nospectre_v2", "spectre_v2_user", "spectre_bhi",
	"spec_store_bypass_disable", "nospec_store_bypass_disable",
	"spec_rstack_overflow", "retbleed", "mds", "tsx", "tsx_async_abort",
	"mmio_stale_data", "srbds", "l1tf", "l1d_flush",
	"gather_data_sampling", "reg_file_data_sampling",
	"indirect_target_selection", "its", "tsa", "vmscape", "noibrs",
	"noibpb",
	/* The TLB itself: PCIDs, broadcast invalidation, ASIDs. */
	"nopcid", "noinvpcid", "noinvlpgb", "arm64.",
	/* Huge pages: what a region maps with. */
	"transparent_hugepage", "transparent_hugepage_shmem",
	"transparent_hugepage_tmpfs", "thp_anon", "hugepages", "hugepagesz",
	"default_hugepagesz", "hugetlb_free_vmemmap",
	/* NUMA, CPUs and their isolation: where shootdowns go, and who
	 * runs there to take them. */
	"numa", "numa_balancing", "nohz", "nohz_full", "isolcpus",
	"rcu_nocbs", "irqaffinity", "nosmt", "maxcpus", "nr_cpus",
	"possible_cpus", "idle", "cpuidle.", "intel_idle.", "processor.",
	"intel_pstate", "preempt", "threadirqs", "mem",
	/* What populating a region costs. */
	"init_on_alloc", "init_on_free", "page_alloc.",
	/* Time: what the windows are timed by. */
	"clocksource", "tsc",
	/* tlbbench's own, in its guests, and their RAM disk. */
	"tlbbench.", "brd.",
	NULL
};

static bool cmdline_keeps(const char *param, size_t len)
{
	for (const char *const *k = cmdline_kept; *k; k++) {
		size_t n = strlen(*k);

		if ((*k)[n - 1] == '.' ? len > n && !strncmp(param, *k, n) :
		    len >= n && !strncmp(param, *k, n) &&
		    (len == n || param[n] == '='))
			return true;
	}
	return false;
}

/* What /proc/cmdline holds of cmdline_kept, and how much was dropped. */
static void add_cmdline(struct json_object *o)
{
	char buf[4096], kept[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");
	size_t n = 0, len;
	int dropped = 0;
	char *p;

	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		add(o, "cmdline", NULL);
		return;
	}
	fclose(f);
	/* Parameters are words; a quoted value is one word, quotes and
	 * all; after "--" the words are init's. */
	for (p = buf; *p; p += len) {
		bool quoted = false;

		p += strspn(p, " \t\n");
		for (len = 0; p[len] && (quoted || !strchr(" \t\n",
							   p[len])); len++)
			if (p[len] == '"')
				quoted = !quoted;
		if (!len)
			break;
		if (len == 2 && !strncmp(p, "--", 2)) {
			for (; *(p += strspn(p, " \t\n"));
			     p += strcspn(p, " \t\n"))
				dropped++;
			break;
		}
		if (!cmdline_keeps(p, len) || n + len + 2 > sizeof(kept)) {
			dropped++;
			continue;
		}
		n += snprintf(kept + n, sizeof(kept) - n, "%s%.*s",
			      n ? " " : "", (int)len, p);
	}
	add(o, "cmdline", json_object_new_string(kept));
	add(o, "cmdline_dropped", json_object_new_int(dropped));
}

static struct json_object *mitigations(void)
{
	const char *dir = "/sys/devices/system/cpu/vulnerabilities";
	struct json_object *o = json_object_new_object();
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return o;
	while ((e = readdir(d))) {
		char path[512];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		add(o, e->d_name, file_line(path));
	}
	closedir(d);
	return o;
}

static struct json_object *cpulist(const struct cpu_list *l)
{
	char *text = cpu_list_format(l);
	struct json_object *o = text ? json_object_new_string(text) : NULL;

	free(text);
	return o;
}

/*
 * The hardware events the sets "default" and "victims" stand for on this
 * CPU's PMU model (libpfm4's, which LIBPFM_FORCE_PMU may name), each
 * with its encoding.
 */
static struct json_object *pmu_events(void)
{
	static const char *const sets[] = { "default", "victims" };
	struct json_object *o = json_object_new_object();
	const char *model = pmu_model();

	add(o, "model", model ? json_object_new_string(model) : NULL);
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char names[PMU_EVENTS_MAX][PMU_EVENT_NAME_MAX], why[256];
		struct json_object *a = json_object_new_array();
		int n = 0;

		pmu_set_events(sets[i], strlen(sets[i]), names, &n,
			       PMU_EVENTS_MAX);
		for (int k = 0; k < n; k++) {
			struct json_object *e = json_object_new_object();
			struct perf_event_attr attr;
			char config[32];

			add(e, "name", json_object_new_string(names[k]));
			if (!pmu_encode(names[k], &attr, why, sizeof(why))) {
				snprintf(config, sizeof(config), "0x%llx",
					 (unsigned long long)attr.config);
				add(e, "type", json_object_new_int(attr.type));
				add(e, "config",
				    json_object_new_string(config));
			}
			json_object_array_add(a, e);
		}
		add(o, sets[i], a);
	}
	return o;
}

struct json_object *sysinfo_describe(void)
{
	const char *thp = "/sys/kernel/mm/transparent_hugepage";
	struct json_object *o = json_object_new_object();
	struct json_object *t = json_object_new_object();
	char buf[16384], path[256];
	struct cpu_list online = { 0 };
	struct utsname u;

	add(o, "tlbbench", json_object_new_string(PACKAGE_VERSION));
	if (!uname(&u)) {
		add(o, "kernel", json_object_new_string(u.release));
		add(o, "kernel_version", json_object_new_string(u.version));
		add(o, "machine", json_object_new_string(u.machine));
	}
	add_cmdline(o);
	add(o, "cpu_model", cpu_model(buf, sizeof(buf)) ?
	    json_object_new_string(buf) : NULL);
	if (!cpu_list_online(&online)) {
		add(o, "cpus_online", json_object_new_int(online.n));
		add(o, "cpu_list", cpulist(&online));
	}
	cpu_list_free(&online);
	/* x86's flags; another architecture's cpuinfo has none. */
	add(o, "invlpgb", cpu_flag("invlpgb"));
	add(o, "pcid", cpu_flag("pcid"));
	add(o, "hypervisor", cpu_flag("hypervisor"));
	snprintf(path, sizeof(path), "%s/enabled", thp);
	add(t, "enabled", file_line(path));
	snprintf(path, sizeof(path), "%s/defrag", thp);
	add(t, "defrag", file_line(path));
	snprintf(path, sizeof(path), "%s/shmem_enabled", thp);
	add(t, "shmem_enabled", file_line(path));
	add(o, "thp", t);
	add(o, "mitigations", mitigations());
	add(o, "perf_event_paranoid",
	    file_line("/proc/sys/kernel/perf_event_paranoid"));
	add(o, "page_size", json_object_new_int(sysconf(_SC_PAGESIZE)));
	add(o, "hw_events", pmu_events());
	/* Memory bounds what sizes run, and is part of what the machine is. */
	add(o, "mem_total_bytes", json_object_new_int64(
		(int64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE)));
	return o;
}
