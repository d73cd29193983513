/*
 * setup-cost: how much faster MADV_POPULATE_WRITE faults a region in than
 * a loop that writes one byte per page, timed alternately on fresh
 * mappings of the same backing.  Every workload populates this way, so
 * this is the set-up time a run saves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "measure.h"
#include "results.h"
#include "stats.h"
#include "workload.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static const char *const preset[] = { "--size", "1G", "--threads", "1",
				      "--reps", "5", NULL };

/* Map afresh, time one way of faulting it in, unmap. */
static int timed_populate(struct bench *b, bool madv, unsigned long long *ns)
{
	struct region *r = &b->region;
	unsigned long long t0;
	int ret;

	ret = region_map_empty(r, &b->p, b->err, sizeof(b->err));
	if (ret)
		return ret;
	t0 = now_ns();
	if (madv) {
		if (madvise(r->addr, r->size, MADV_POPULATE_WRITE)) {
			ret = -errno;
			snprintf(b->err, sizeof(b->err),
				 "MADV_POPULATE_WRITE: %s", strerror(errno));
		}
	} else {
		for (size_t off = 0; off < r->size; off += 4096)
			*(volatile char *)(r->addr + off) = 1;
	}
	*ns = now_ns() - t0;
	munmap(r->addr, r->size);
	region_unmapped(r);
	return ret;
}

static int setup_cost_run(struct bench *b)
{
	unsigned n = b->p.reps;
	double *madv = calloc(n, sizeof(double));
	double *touch = calloc(n, sizeof(double));
	double m, t;
	int ret = -ENOMEM;

	if (!n) {
		snprintf(b->err, sizeof(b->err),
			 "--reps: give a number: auto is for kernel workloads");
		ret = -EINVAL;
		goto out;
	}
	if (!madv || !touch)
		goto out;
	ret = region_create(&b->region, &b->p, b->err, sizeof(b->err));
	if (ret)
		goto out;
	/* One untimed pass each, then alternate so drift hits both. */
	for (unsigned i = 0; i < n + 1 && !ret; i++) {
		unsigned long long a, c;

		ret = timed_populate(b, true, &a);
		if (!ret)
			ret = timed_populate(b, false, &c);
		if (i) {
			madv[i - 1] = a;
			touch[i - 1] = c;
		}
	}
	region_destroy(&b->region);
	if (ret)
		goto out;
	m = stats_median(madv, n);
	t = stats_median(touch, n);
	if (b->p.format == FORMAT_JSON) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "workload",
				       json_object_new_string("setup-cost"));
		json_object_object_add(o, "size_bytes",
				       json_object_new_int64(b->p.size));
		json_object_object_add(o, "backing", json_object_new_string(
			backing_name(b->p.backing)));
		json_object_object_add(o, "reps", json_object_new_int(n));
		json_object_object_add(o, "populate_ns",
				       json_object_new_double(m));
		json_object_object_add(o, "touch_ns",
				       json_object_new_double(t));
		json_object_object_add(o, "ratio",
				       json_object_new_double(t / m));
		printf("%s\n", json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	} else {
		char size[32];

		size_text(b->p.size, size, sizeof(size));
		printf("# setup-cost: faulting in %s of %s (%s), medians of "
		       "%u alternating reps\n", size,
		       backing_name(b->p.backing), b->region.fs, n);
		printf("MADV_POPULATE_WRITE  %10.1f ms\n", m / 1e6);
		printf("touch loop           %10.1f ms\n", t / 1e6);
		printf("ratio touch/populate %10.2fx (target >= 2x)\n", t / m);
	}
out:
	free(madv);
	free(touch);
	return ret;
}

const struct workload workload_setup_cost = {
	.name		= "setup-cost",
	.summary	= "MADV_POPULATE_WRITE against a page-by-page touch loop, the set-up every run pays",
	.options	= OPT_SIZE | OPT_BACKING | OPT_DIR | OPT_PAGES | OPT_REPS |
			  OPT_FORMAT,
	.preset		= preset,
	.standalone	= setup_cost_run,
};
