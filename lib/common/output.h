/*
 * The process's stdout and stderr, written through streams that show a
 * control character or broken UTF-8 as '?', stdout keeping its first
 * write error, so that a command whose output was lost (a full disk, a
 * pipe nobody reads) fails instead of exiting 0.
 */
#ifndef TLB_OUTPUT_H
#define TLB_OUTPUT_H

/* How a command writes what it found: run's text or json, compare's four. */
enum out_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_CSV };

int output_open(void);
int output_close(const char *prog, int status);

#endif
