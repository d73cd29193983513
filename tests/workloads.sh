#!/bin/sh
# The zap paths other than munmap, and the kernel-model verdict, on this
# kernel: counts of one window, medians over 3 repetitions.
. "$TESTLIB"

blocker=$(tracepoint_blocker)
[ -n "$blocker" ] || blocker=$(needs jq:jq)
make_tmp

cpus=$(two_cpus)
run() {	# run OUT WORKLOAD ARGS...
	out=$1
	shift
	"$TLBBENCH" run "$@" --cpus "$cpus" --reps 3 --warmup 1 \
		--format json >"$tmp/$out" 2>"$tmp/$out.err"
}
sent='.counters["tlb_flush.remote_send_ipi"]'
recv='.counters["tlb_flush.remote_shootdown"]'
# Flushes of the mm: the larger of local (reason 3) and sent (reason 4).
flushes='[.counters["tlb_flush.local_mm_shootdown"], .counters["tlb_flush.remote_send_ipi"]] | max'
disk=yes
[ "$(stat -f -c %T "$tmp")" = tmpfs ] && disk=

[ -z "$blocker" ] || skip_all "$blocker"

# madvise, one thread, 2M chunks: the dirty tmpfs chunk costs exactly one
# flush per operation more than the same loop on anonymous memory, which
# never force-flushes.  (Kernels that free emptied page tables after
# MADV_DONTNEED, 6.14 on, flush once more at the end of every operation,
# for both.)
run mt madvise --threads 1 --size 64M --chunk 2M --iterations 64
run ma madvise --threads 1 --size 64M --chunk 2M --iterations 64 --backing anon
per_op() {
	median "$tmp/$1" "($flushes) / .ops * 100 | round"
}
t=$(per_op mt) a=$(per_op ma)
in_range "$((t - a))" 95 105 && in_range "$t" 100 210
ok $? "madvise 2M dirty tmpfs: $t/100 flushes per op, anon $a/100: one more ($(cat "$tmp/mt.err" "$tmp/ma.err"))"

run tr truncate --threads 2 --size 64M --backing tmpfs
v=$(median "$tmp/tr" "$sent")
in_range "$v" 32 36
ok $? "truncate 64M dirty 4k tmpfs: $v sender flushes, 32..36 ($(cat "$tmp/tr.err"))"

run pu truncate --threads 2 --size 64M --backing tmpfs --mode punch
v=$(median "$tmp/pu" "$sent")
in_range "$v" 32 36
ok $? "hole punch 64M dirty 4k tmpfs: $v sender flushes, 32..36"

# exit_mmap() gathers with fullmm, yet tlb_delay_rmap() does not look at
# fullmm: a dirty shared-file PTE still forces one flush per page table,
# so the sender side counts one flush_tlb_mm_range() per table, as munmap
# does.  But by then the child's threads have exited: every other CPU is
# lazy or runs another mm, should_flush_tlb() skips it and no IPI is
# sent; the exiting CPU is lazy itself and skips its local flush.  So:
# per-table flushes started, about none received.
run ex exit --threads 2 --size 64M --backing tmpfs
v=$(median "$tmp/ex" "$sent") r=$(median "$tmp/ex" "$recv") i=$(median "$tmp/ex" '.counters["interrupts.tlb"]')
in_range "$v" 32 40 && in_range "$r" 0 3 && in_range "$i" 0 3
ok $? "exit 64M dirty tmpfs: $v flushes started (32..40), $r received, $i TLB interrupts (<= 3) ($(cat "$tmp/ex.err"))"

run an anon --threads 2 --size 64M
v=$(median "$tmp/an" "$sent")
in_range "$v" 0 3
ok $? "anon 64M: $v sender flushes, at most 3"

run dv munmap --threads 2 --size 64M --backing tmpfs
[ "$(median "$tmp/dv" .model.verdict)" = '"force_flush per page table"' ]
ok $? "verdict for dirty 4k tmpfs: $(median "$tmp/dv" .model.verdict)"

if [ -n "$disk" ]; then
	run cv munmap --threads 2 --size 64M --backing file --dir "$tmp" \
		--dirty none
	[ "$(median "$tmp/cv" .model.verdict)" = '"batched"' ]
	ok $? "verdict for clean file pages: $(median "$tmp/cv" .model.verdict)"

	run ms msync-munmap --threads 2 --size 64M --dir "$tmp"
	jq -e 'select((.phases | map(.name)) == ["msync", "munmap"]
		and .ns == (.phases | map(.ns) | add)
		and .phases[1].counters["tlb_flush.remote_send_ipi"] <= 3)' \
		"$tmp/ms" >/dev/null && [ "$(wc -l <"$tmp/ms")" -eq 3 ]
	ok $? "msync-munmap: two phases adding up, the munmap after msync sends <= 3 ($(cat "$tmp/ms.err"))"
else
	skip "verdict for clean file pages" "$tmp is on tmpfs"
	skip "msync-munmap" "$tmp is on tmpfs"
fi
done_testing
