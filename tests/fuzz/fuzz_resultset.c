/*
 * libFuzzer target: the result-set reader.  The input becomes
 * samples.jsonl beside a fixed system.json; loading must either succeed
 * or refuse with a message, and every reader of the loaded set must cope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/resultset.h"

/* On tmpfs: the reader is fuzzed through its files, at memory speed. */
static char dir[] = "/dev/shm/tlbbench-fuzz-rs.XXXXXX";

static void write_file(const char *name, const void *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fwrite(data, 1, len, f);
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char system[] = "{\"tlbbench\": \"0.1.0\", "
		"\"kernel\": \"6.1\", \"cpus_online\": 2}";

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	write_file("system.json", system, sizeof(system) - 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	struct resultset rs;
	struct rs_metric m;
	char err[8192];

	write_file("samples.jsonl", data, len);
	if (resultset_load(dir, &rs, err, sizeof(err))) {
		if (!err[0])
			abort();	/* a refusal must say why */
		return 0;
	}
	rs_metric_parse("tlb_flush.remote_send_ipi", &m);
	for (int i = 0; i < rs.nlines; i++) {
		const struct rs_line *l = &rs.lines[i];
		double *v = calloc(l->n ? l->n : 1, sizeof(*v));

		if (v)
			rs_values(l, &m, v);
		free(v);
		rs_param(l, "size");
		rs_granularity(l);
		rs_workload(l);
	}
	for (int i = 0; i < rs_kernel_reports(&rs); i++)
		rs_kernel_report(&rs, i);
	resultset_free(&rs);
	return 0;
}
