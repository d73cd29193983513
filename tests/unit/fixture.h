/* The fixture files of the unit tests: in $FIXTURES, else tests/fixtures. */
#ifndef TLB_TEST_FIXTURE_H
#define TLB_TEST_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline FILE *fixture(const char *name)
{
	const char *dir = getenv("FIXTURES");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures",
		 name);
	f = fopen(path, "r");
	if (!f) {
		printf("Bail out! %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

#endif
