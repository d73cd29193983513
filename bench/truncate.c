/*
 * truncate: a mapped, dirtied file is shrunk to nothing (ftruncate) or has
 * all of it punched out (fallocate PUNCH_HOLE).  The measured call zaps
 * every PTE through unmap_mapping_range() and then drops the page cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "workload.h"

/* truncate's own option: shrink the file, or punch all of it out. */
enum truncate_mode { TRUNCATE_SHRINK, TRUNCATE_PUNCH };
static const char *const mode_names[] = { "truncate", "punch", NULL };

struct truncate_params {
	enum truncate_mode mode;
};

static const struct opt_def truncate_option_rows[] = {
	{ .name = "mode", .arg = "truncate|punch", .def = "truncate",
	  .type = T_CHOICE, .choices = mode_names,
	  .off = offsetof(struct truncate_params, mode), .sweep = true,
	  .help = "ftruncate() the file to 0, or fallocate(PUNCH_HOLE) all "
		  "of it" },
	{ 0 }
};

static const struct opt_own truncate_options = {
	.rows = truncate_option_rows,
	.size = sizeof(struct truncate_params),
};

static int truncate_setup(struct bench *b)
{
	if (b->p.backing == BACKING_ANON) {
		snprintf(b->err, sizeof(b->err),
			 "--backing: anon has no file to truncate");
		return -EINVAL;
	}
	return bench_region_setup(b);
}

/* The last window left the mapping over an empty file: start afresh. */
static int truncate_prepare(struct bench *b)
{
	struct region *r = &b->region;

	if (r->addr) {
		munmap(r->addr, r->size);
		region_unmapped(r);
	}
	if (ftruncate(r->fd, r->size)) {
		snprintf(b->err, sizeof(b->err), "ftruncate: %s",
			 strerror(errno));
		return -errno;
	}
	region_emptied(r);
	return bench_region_prepare(b);
}

static int truncate_op(struct bench *b)
{
	const struct truncate_params *tp = b->p.own;
	struct region *r = &b->region;
	int ret;

	if (tp->mode == TRUNCATE_PUNCH)
		ret = fallocate(r->fd, FALLOC_FL_PUNCH_HOLE |
				FALLOC_FL_KEEP_SIZE, 0, r->size);
	else
		ret = ftruncate(r->fd, 0);
	if (ret) {
		snprintf(b->err, sizeof(b->err), "%s: %s",
			 tp->mode == TRUNCATE_PUNCH ? "fallocate" : "ftruncate",
			 strerror(errno));
		return -errno;
	}
	b->ops = 1;
	return 0;
}

const struct workload workload_truncate = {
	.name		= "truncate",
	.summary	= "ftruncate() or hole punch of a mapped, dirtied shared file",
	.options	= OPTS_REGION | OPT_VICTIMS,
	.own		= &truncate_options,
	.setup		= truncate_setup,
	.prepare	= truncate_prepare,
	.op		= truncate_op,
	.teardown	= bench_region_teardown,
};
