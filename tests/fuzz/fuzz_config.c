/*
 * libFuzzer target: the config reader with its sweeps.  Loading must
 * either succeed with at least one run, each with a workload name and at
 * most CONFIG_ARGS_MAX words, or refuse with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/config_file.h"

/* On tmpfs: the reader is fuzzed through its file, at memory speed. */
static char path[] = "/dev/shm/tlbbench-fuzz-config.XXXXXX";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = mkstemp(path);

	(void)argc;
	(void)argv;
	if (fd < 0)
		abort();
	close(fd);
	return 0;
}

/* Every option sweeps here: the fuzzer reaches the sweep code by any. */
static bool every_option_sweeps(const char *workload, const char *opt)
{
	(void)workload;
	(void)opt;
	return true;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	struct config c;
	char err[8192];
	FILE *f = fopen(path, "w");

	if (!f)
		abort();
	fwrite(data, 1, len, f);
	fclose(f);
	if (config_load(path, &c, every_option_sweeps, err, sizeof(err))) {
		if (!err[0])
			abort();
		return 0;
	}
	if (c.n < 1)
		abort();
	for (int i = 0; i < c.n; i++)
		if (c.lines[i].argc < 1 || c.lines[i].argc > CONFIG_ARGS_MAX ||
		    !c.lines[i].argv[0][0])
			abort();
	config_free(&c);
	return 0;
}
