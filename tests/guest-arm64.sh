#!/bin/sh
# run-bench --kernel with an arm64 Image: qemu-system-aarch64 -M virt
# under TCG, the static arm64 tlbbench.  No tlb:tlb_flush, no TLB row in
# /proc/interrupts: the flush points are counted by kprobe on
# tlb_flush_mmu(), and the model judges from them alone.
. "$TESTLIB"

# An Image of kernels/build --arch arm64, or Debian's arm64 kernel with
# its modules (guest/fetch-debian-kernel --arch arm64).
kdir=$srcdir/tests/kernel-arm64
image=${TLBBENCH_TEST_ARM64_KERNEL:-$kdir/Image}
modules=
if [ -z "${TLBBENCH_TEST_ARM64_KERNEL:-}" ] && [ ! -f "$image" ]; then
	image=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	[ -z "$image" ] || modules=$kdir/lib/modules/${image##*/vmlinuz-}
fi
blocker=$(needs qemu-system-aarch64:qemu-system-arm busybox:busybox-static)
[ -n "$image" ] && [ -f "$image" ] || blocker=${blocker:-"no arm64 kernel in $kdir (guest/fetch-debian-kernel --arch arm64 $kdir, or kernels/build --arch arm64 --version 6.12 $kdir)"}
[ -x "$srcdir/guest/arm64/bin/busybox" ] ||
	blocker=${blocker:-"no arm64 busybox (guest/fetch-arm64)"}
[ -n "$blocker" ] ||
	make -s -C "$srcdir" tlbbench-static-aarch64 >"$srcdir/tests/arm64.tmp" 2>&1 ||
	blocker="tlbbench-static-aarch64: $(tail -n 1 "$srcdir/tests/arm64.tmp")"
rm -f "$srcdir/tests/arm64.tmp"
[ -z "$blocker" ] || skip_all "$blocker"

make_tmp
export TLBBENCH_RESULTS="$tmp/results"
cat >"$tmp/config" <<'CONF'
munmap --size 64M --threads 2 --backing tmpfs --pages 4k --dirty all --reps 3
munmap --size 64M --threads 2 --backing file --pages 4k --dirty none --reps 3
anon --size 64M --threads 2 --reps 3
CONF

# Bad input is refused before QEMU starts.
"$srcdir/run-bench" --kernel "$image" --arch x86_64 --config "$tmp/config" \
	bad >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	grep -q 'is an arm64 kernel' "$tmp/err" && [ ! -e "$tmp/results/bad" ]
ok $? "--arch x86_64 with an arm64 Image: exit $status, one line ($(cat "$tmp/err"))"
"$srcdir/run-bench" --kernel "$image" --arch arm64 --accel kvm \
	--config "$tmp/config" bad >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ]
ok $? "--accel kvm for an arm64 guest on this machine: exit $status ($(cat "$tmp/err"))"

started=$(date +%s)
"$srcdir/run-bench" --kernel "$image" ${modules:+--modules "$modules"} \
	--config "$tmp/config" --cpus 2 --mem 1G --disk 256M --timeout 900 \
	a64 >"$tmp/out" 2>"$tmp/err"
status=$?
set -- "$tmp/results/a64"
[ $status -eq 0 ] && [ "$(jq -r .qemu.arch "$1/system.json")" = arm64 ] &&
	[ "$(jq -r .machine "$1/system.json")" = aarch64 ] &&
	[ "$(jq -r .page_size "$1/system.json")" = 4096 ] &&
	[ "$(jq -r .qemu.accel "$1/system.json")" = tcg ]
ok $? "the arm64 kernel $(basename "$image") boots on qemu-system-aarch64 (TCG, 4K pages) and runs the config in $(( $(date +%s) - started )) s (exit $status: $(tail -n 1 "$tmp/err"))"

v() {	# v LINE-PREFIX: each sample's flush points, preemptions, verdict
	jq -s -c --arg l "$1" 'map(select(.config_line | startswith($l)) |
		[.counters["kprobe.tlb_flush_mmu"], .preempted,
		 .model.verdict])' \
		"$tmp/results/a64/samples.jsonl" 2>/dev/null
}
# The verdicts, each sample: 32 dirty tables of 2M, one flush point each
# and one at the end; a clean file or anon flushes per full batch only.
# A zap that need_resched() broke off mid-table flushes there and again
# at the table's end: up to one point more per involuntary switch of the
# zapping thread (seen: 38 on a busy machine).
check() {	# check LINE-PREFIX LO HI VERDICT
	jq -se --arg l "$1" --argjson lo "$2" --argjson hi "$3" --arg v "$4" \
		'map(select(.config_line | startswith($l))) | length == 3 and
		all(.[]; .model.counted == "kprobe.tlb_flush_mmu" and
			.counters["kprobe.tlb_flush_mmu"] >= $lo and
			.counters["kprobe.tlb_flush_mmu"] <= $hi + .preempted and
			.model.verdict == $v)' \
		"$tmp/results/a64/samples.jsonl" >/dev/null 2>&1
}
l="munmap --size 64M --threads 2 --backing tmpfs"
check "$l" 32 36 "force_flush per page table"
ok $? "64M of dirty 4k tmpfs, munmap: 32..36 flush points and one per preemption, force_flush per page table ([points, preempted, verdict]: $(v "$l"))"
l="munmap --size 64M --threads 2 --backing file"
check "$l" 0 3 batched
ok $? "64M of a clean disk-backed file, munmap: <= 3 flush points, batched ($(v "$l"))"
check anon 0 3 batched
ok $? "64M of anon, munmap: <= 3 flush points, batched ($(v anon))"

# What arm64 has not is unsupported, with the reason; no zero stands in.
jq -se 'all(.[]; (.unsupported["tlb_flush.remote_send_ipi"] |
		test("x86 only")) and
	(.unsupported["interrupts.tlb"] | test("no TLB row")) and
	(.counters | has("tlb_flush.remote_send_ipi") | not))' \
	"$1/samples.jsonl" >/dev/null 2>&1
ok $? "tlb:tlb_flush and the TLB interrupt row unsupported, with the reason ($(jq -r -s '.[0].unsupported["tlb_flush.remote_send_ipi"]' "$1/samples.jsonl" 2>/dev/null))"
jq -se 'all(.[]; .unsupported | to_entries |
	map(select(.key | startswith("hw."))) | length > 0 and
	all(.[]; .value | length > 0))' "$1/samples.jsonl" >/dev/null 2>&1
ok $? "hardware TLB events under TCG: unsupported, with the reason ($(jq -r -s '.[0].unsupported | to_entries | map(select(.key | startswith("hw."))) | .[0] | "\(.key): \(.value)"' "$1/samples.jsonl" 2>/dev/null))"
# Per GiB, 16 times a 64M sample's: one more per preemption of the zapper.
most=$(jq -s 'map(select(.config_line | startswith("munmap --size 64M --threads 2 --backing tmpfs")) | .preempted) | max' \
	"$1/samples.jsonl" 2>/dev/null)
"$srcdir/tlbbench" report "$1" >"$tmp/report" &&
	awk -v hi=$((576 + 16 * ${most:-0})) '$1 == 1 && $9 == "-" &&
		$10 == "-" && $11 == "-" && $12 >= 512 && $12 <= hi {
		found = 1 } END { exit !found }' "$tmp/report"
ok $? "report: sent, recv, irqtlb '-'; 512..576 flush points per GiB, 16 more per preemption (at most $most) ($(grep '^  1 ' "$tmp/report"))"
[ "$(jq -c '[.kernel_log, .kernel_reports]' "$1/system.json")" = \
  '["console",0]' ]
ok $? "the console read for kernel reports: none ($(jq -c '[.kernel_log, .kernel_reports]' "$1/system.json"))"
done_testing
