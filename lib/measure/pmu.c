/*
 * Hardware TLB events through libpfm4.  Note: <perfmon/perf_event.h>
 * declares its own perf_event_open(), so the kernel header comes first and
 * we never define that name ourselves.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pmu.h"

#ifdef HAVE_LIBPFM
#include <perfmon/pfmlib_perf_event.h>

static int pmu_init(void)
{
	static int ret = -1;

	if (ret < 0)
		ret = pfm_initialize();
	return ret;
}

int pmu_encode(const char *name, struct perf_event_attr *attr, char *why,
	       size_t len)
{
	pfm_perf_encode_arg_t arg;
	int ret = pmu_init();

	if (ret != PFM_SUCCESS) {
		snprintf(why, len, "libpfm4: %s", pfm_strerror(ret));
		return -ENODEV;
	}
	memset(attr, 0, sizeof(*attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
					PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		snprintf(why, len, "libpfm4: %s", pfm_strerror(ret));
		return -EINVAL;
	}
	attr->size = sizeof(*attr);
	return 0;
}

/*
 * The default set: the first event of each group that this CPU's PMU
 * model can encode: Intel's, AMD's, Arm's (the architected L1D_TLB_REFILL
 * of Armv8), else perf's generic one.  AMD's TLB-flush event (PMCx078) is
 * unreliable (erratum 1569), so there is no AMD entry for flushes; Arm has
 * no architected event for TLBI.
 */
int pmu_default_events(char names[][PMU_EVENT_NAME_MAX], int max)
{
	static const char *const groups[][5] = {
		{ "DTLB_LOAD_MISSES:WALK_COMPLETED", "L1_DTLB_MISS",
		  "L1D_TLB_REFILL", "perf::DTLB-LOAD-MISSES", NULL },
		{ "TLB_FLUSH:STLB_ANY", NULL },
	};
	struct perf_event_attr attr;
	char why[256];
	int n = 0;

	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (int i = 0; groups[g][i] && n < max; i++) {
			if (pmu_encode(groups[g][i], &attr, why, sizeof(why)))
				continue;
			snprintf(names[n++], PMU_EVENT_NAME_MAX, "%s",
				 groups[g][i]);
			break;
		}
	}
	return n;
}

#else

int pmu_encode(const char *name, struct perf_event_attr *attr, char *why,
	       size_t len)
{
	(void)name;
	(void)attr;
	snprintf(why, len, "built without libpfm4");
	return -ENOTSUP;
}

int pmu_default_events(char names[][PMU_EVENT_NAME_MAX], int max)
{
	(void)names;
	(void)max;
	return 0;
}

#endif
