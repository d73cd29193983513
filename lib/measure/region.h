/* The shared region under test: its backing, mapping and dirty pattern. */
#ifndef TLB_REGION_H
#define TLB_REGION_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"
#include "procfs.h"

/* 512 PTEs of 4K: x86-64, and arm64 with 4K pages. */
#define PAGE_TABLE_SPAN (2UL << 20)

struct region {
	enum backing backing;
	int fd;
	char dir[4096];			/* where the backing file was made */
	char fs[64];			/* filesystem type of the backing */
	bool in_memory;			/* tmpfs or ramfs: nothing */
					/* writes its pages back */
	unsigned long long size;
	size_t align;			/* page-table span or huge page size */
	char *addr;			/* current mapping, NULL if unmapped */
	const char *populate;		/* how pages were faulted in */
	bool written_back;		/* the file's pages clean in the cache */
	unsigned long long dirtied_ns;	/* when a disk-backed file's */
					/* pages were first left dirty, or 0 */
};

int region_create(struct region *r, const struct params *p, char *err,
		  size_t errlen);
int region_map_empty(struct region *r, const struct params *p, char *err,
		     size_t errlen);
int region_map(struct region *r, const struct params *p, char *err,
	       size_t errlen);
int region_populate_failed(struct region *r, const char *what, int ret,
			   char *err, size_t errlen);
int region_page_size_check(long page_size, char *err, size_t errlen);
unsigned long long region_size_limit(const struct params *p);
int region_seen(const struct region *r, struct smaps_vma *v);
bool region_page_dirtied(const struct params *p, unsigned long long i);
void region_unmapped(struct region *r);
void region_emptied(struct region *r);
void region_destroy(struct region *r);

#endif
