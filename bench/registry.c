/*
 * The workloads, by kind (perf bench's collections): what `tlbbench
 * list` shows and `tlbbench run NAME` finds.
 */
#include <string.h>

#include "workload.h"

static const struct workload *const windows[] = {
	&workload_munmap,
	&workload_madvise,
	&workload_truncate,
	&workload_exit,
	&workload_anon,
	&workload_msync_munmap,
	&workload_zap_loop,
	NULL
};

static const struct workload *const checks[] = {
	&workload_integrity,
	&workload_race,
	NULL
};

static const struct workload *const self[] = {
	&workload_setup_cost,
	&workload_overhead,
	&workload_counter_cost,
	&workload_victim_rate,
	NULL
};

const struct workload_kind workload_kinds[] = {
	{ "windows", "one kernel operation per measured window, counted",
	  windows },
	{ "checks", "whole runs: is any write lost?", checks },
	{ "self", "benchmarks of the tool, its sides measured in one run",
	  self },
	{ NULL, NULL, NULL }
};

const struct workload *find_workload(const char *name)
{
	for (const struct workload_kind *k = workload_kinds; k->name; k++)
		for (const struct workload *const *w = k->members; *w; w++)
			if (!strcmp((*w)->name, name))
				return *w;
	return NULL;
}
