/*
 * The reasons of the tlb:tlb_flush tracepoint (enum tlb_flush_reason,
 * include/linux/mm_types.h), once for every reader: X(value, name), the
 * counters naming each tlb_flush.NAME.
 */
#ifndef TLB_REASONS_H
#define TLB_REASONS_H

#define TLB_FLUSH_REASONS(X) \
	X(0, task_switch) \
	X(1, remote_shootdown) \
	X(2, local_shootdown) \
	X(3, local_mm_shootdown) \
	X(4, remote_send_ipi) \
	X(5, remote_wrong_cpu)

#define TLB_REASON_COUNT_ONE(value, name) + 1
#define TLB_NREASONS (0 TLB_FLUSH_REASONS(TLB_REASON_COUNT_ONE))
#define TLB_REASON_SEND_IPI 4	/* TLB_REMOTE_SEND_IPI: the sender's side */
#define TLB_REASON_SHOOTDOWN 1	/* TLB_REMOTE_SHOOTDOWN: the receiver's */

#endif
