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
 * The named sets: each group lists alternatives, and the first one this
 * CPU's PMU model encodes is taken, so one table serves every model.
 * "default": a dTLB-miss event (Intel's completed page walks; AMD's L1
 * misses the L2 TLB missed too, i.e. walks, for 4K pages: the bare
 * L1_DTLB_MISS needs a unit mask; Armv8's architected L1D_TLB_REFILL;
 * else perf's generic one) and a TLB-flush event (Intel's, up to Ice
 * Lake: libpfm4 4.13 has none for Sapphire Rapids; AMD's PMCx078 is
 * unreliable, erratum 1569, and Arm has no architected one).
 * "victims": what a victim's refills cost beside the walks counted by
 * default: Intel's cycles with a walk active, AMD's L1 misses that the
 * L2 TLB caught.
 */
static const char *const dtlb_group[] = {
	"DTLB_LOAD_MISSES:WALK_COMPLETED",
	"L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS", "L1D_TLB_REFILL",
	"perf::DTLB-LOAD-MISSES", NULL,
};
static const char *const flush_group[] = { "TLB_FLUSH:STLB_ANY", NULL };
static const char *const walk_group[] = {
	"DTLB_LOAD_MISSES:WALK_ACTIVE", "L1_DTLB_MISS:TLB_RELOAD_4K_L2_HIT",
	NULL,
};

static const struct {
	const char *name;
	const char *const *groups[3];
} sets[] = {
	{ "default", { dtlb_group, flush_group, NULL } },
	{ "victims", { walk_group, NULL } },
};

/* Whether NAME (LEN bytes) names a set of pmu_set_events(). */
bool pmu_is_set(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (strlen(sets[i].name) == len &&
		    !strncmp(sets[i].name, name, len))
			return true;
	return false;
}

/*
 * The events of set NAME (LEN bytes) that this CPU encodes, appended to
 * NAMES at *N (at most MAX).
 */
void pmu_set_events(const char *name, size_t len,
		    char names[][PMU_EVENT_NAME_MAX], int *n, int max)
{
	struct perf_event_attr attr;
	char why[256];

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		if (strlen(sets[i].name) != len ||
		    strncmp(sets[i].name, name, len))
			continue;
		for (int g = 0; sets[i].groups[g]; g++) {
			const char *const *alt = sets[i].groups[g];

			for (int a = 0; alt[a] && *n < max; a++) {
				if (pmu_encode(alt[a], &attr, why,
					       sizeof(why)))
					continue;
				snprintf(names[(*n)++], PMU_EVENT_NAME_MAX,
					 "%s", alt[a]);
				break;
			}
		}
	}
}

/* The PMU libpfm4 takes as this CPU's, or NULL when none is. */
const char *pmu_model(void)
{
	pfm_pmu_info_t info;

	if (pmu_init() != PFM_SUCCESS)
		return NULL;
	for (int p = 0; p < PFM_PMU_MAX; p++) {
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (pfm_get_pmu_info(p, &info) != PFM_SUCCESS ||
		    !info.is_present || info.type != PFM_PMU_TYPE_CORE)
			continue;
		return info.name;
	}
	return NULL;
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

bool pmu_is_set(const char *name, size_t len)
{
	return (len == 7 && !strncmp(name, "default", 7)) ||
	       (len == 7 && !strncmp(name, "victims", 7));
}

void pmu_set_events(const char *name, size_t len,
		    char names[][PMU_EVENT_NAME_MAX], int *n, int max)
{
	(void)name;
	(void)len;
	(void)names;
	(void)n;
	(void)max;
}

const char *pmu_model(void)
{
	return NULL;
}

#endif
