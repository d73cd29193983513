/*
 * The process's stdout, written through a stream that keeps the first
 * write error, so that a command whose output was lost (a full disk, a
 * pipe nobody reads) fails instead of exiting 0.
 */
#ifndef TLB_OUTPUT_H
#define TLB_OUTPUT_H

int output_open(void);
int output_close(const char *prog, int status);

#endif
