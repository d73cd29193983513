/* Unit tests of lib/measure/region.c: the page sizes the model can judge. */
#include <errno.h>

#include "measure/region.h"
#include "tap.h"

/* 4K pages only: a 16K or 64K kernel's tables span 32M or 512M. */
static void test_page_size(void)
{
	char err[256];

	is_int(region_page_size_check(4096, err, sizeof(err)), 0,
	       "4K pages: modelled");
	is_int(region_page_size_check(16384, err, sizeof(err)), -EINVAL,
	       "16K pages: refused");
	ok(!strcmp(err, "16K pages: a page table spans 32M here (2048 PTEs), "
		   "tlbbench models 4K pages and 2M tables"), "16K: %s", err);
	is_int(region_page_size_check(65536, err, sizeof(err)), -EINVAL,
	       "64K pages: refused");
	ok(strstr(err, "spans 512M here (8192 PTEs)") != NULL, "64K: %s", err);
}

int main(void)
{
	test_page_size();
	return tap_done();
}
