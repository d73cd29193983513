/* Hardware events named in libpfm4's syntax. */
#ifndef TLB_PMU_H
#define TLB_PMU_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>

#define PMU_EVENT_NAME_MAX 128
#define PMU_EVENTS_MAX 8		/* in one --events list */

int pmu_encode(const char *name, struct perf_event_attr *attr, char *why,
	       size_t len);
bool pmu_is_set(const char *name, size_t len);
void pmu_set_events(const char *name, size_t len,
		    char names[][PMU_EVENT_NAME_MAX], int *n, int max);
const char *pmu_model(void);

#endif
