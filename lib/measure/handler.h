/*
 * The direct part of what a shootdown costs its receiver: the time spent
 * in the call-function interrupt handler on each CPU, from the sampled
 * timestamps of irq_vectors:call_function{,_single}_{entry,exit} (x86),
 * and which callbacks the handler ran (csd:csd_function_entry, 6.6+).
 */
#ifndef TLB_HANDLER_H
#define TLB_HANDLER_H

#include <stdbool.h>
#include <stddef.h>

#include "cpu.h"
#include "procfs.h"

#define HANDLER_NOTE_MAX 512
#define HANDLER_FUNCS_MAX 8		/* callbacks told apart, per CPU */

/* The two windows of a repetition a sample may fall in. */
enum { HANDLER_CAL, HANDLER_WIN, HANDLER_WINDOWS };

/* What one CPU's handler did in each window. */
struct handler_cpu {
	long long entries[HANDLER_WINDOWS];	/* interrupts taken */
	double ns[HANDLER_WINDOWS];	/* from entry to exit, summed */
	struct {
		unsigned long long addr;
		long long n[HANDLER_WINDOWS];
	} func[HANDLER_FUNCS_MAX];	/* callbacks run, by address */
	int nfuncs;
	long long other_funcs[HANDLER_WINDOWS];	/* beyond the table */
	long long lost;			/* samples the ring lost */
};

struct handler {
	bool open;			/* sampling: results are real */
	bool csd;			/* callbacks named too */
	char why[HANDLER_NOTE_MAX];	/* not open, or no callbacks: why */
	struct cpu_list cpus;		/* the victims': a ring each */
	int nfds;
	int *fd;
	int *event_of;			/* per fd */
	unsigned long long *id_of;	/* per fd */
	void **ring;			/* per CPU */
	size_t data_bytes;
	char *copy;			/* a record that wraps the ring */
	struct handler_cpu *cpu;	/* per CPU column: the last collect */
	/* Callback names, looked up once per address. */
	int nnames;
	unsigned long long name_addr[32];
	char name[32][PROCFS_SYM_MAX];
};

int handler_open(struct handler *h, const int *cpus, int n);
void handler_drain(struct handler *h);
int handler_collect(struct handler *h, const unsigned long long from[2],
		    const unsigned long long to[2]);
int handler_column(const struct handler *h, int cpu);
const char *handler_func_name(struct handler *h, unsigned long long addr);
void handler_close(struct handler *h);

#endif
