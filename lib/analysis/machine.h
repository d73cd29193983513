/*
 * The machine a result set ran on, as its system.json describes it: the
 * keys sysinfo writes, and those only run-bench and guest/boot add for a
 * guest (emulated, qemu, host).  Read once into a struct, so that no
 * command reads those keys itself.
 */
#ifndef TLB_ANALYSIS_MACHINE_H
#define TLB_ANALYSIS_MACHINE_H

#include <stdbool.h>
#include <stddef.h>

#include "resultset.h"

struct rs_machine {
	bool emulated;			/* under an emulator (QEMU TCG) */
	const char *emulator;		/* its name ("tcg"), or NULL */
	bool hypervisor;		/* a virtual machine's CPU */
	bool invlpgb;			/* the CPU offers INVLPGB */
	const char *started;		/* when the set started, UTC */
	bool have_mem;
	long long mem_bytes;		/* mem_total_bytes */
	const char *guest_mem;		/* qemu.memory: a guest's -m */
	char thp[64], shmem[64];	/* the selected THP modes, or "?" */
	const char *meltdown;		/* mitigations.meltdown, or NULL */
	int vulnerable;			/* mitigations "Vulnerable"; -1: none */
	const char *kernel_log;		/* how its log was checked */
	const char *host_kernel;	/* a guest's host, or NULL */
	const char *host_cpu;
	const char *qemu;		/* qemu.qemu: its --version line */
	const char *accel;		/* qemu.accel */
};

void rs_machine_read(const struct resultset *rs, struct rs_machine *m);
const char *rs_machine_kind(const struct rs_machine *m, char *buf,
			    size_t len);

#endif
