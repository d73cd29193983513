#!/bin/sh
# --attribute on this kernel: the sender flushes of a dirty 4k tmpfs munmap
# come from the page-table zap, a clean file's never do, every counted
# flush is sampled and named, compare-bench shows the paths, and without
# root or kernel addresses the run says why and still counts.
. "$TESTLIB"

blocker=$(tracepoint_blocker)
[ -n "$blocker" ] || blocker=$(needs jq:jq)

# On a disk filesystem: the clean file's pages must be written back.
make_tmp disk
kptr=/proc/sys/kernel/kptr_restrict
saved_kptr=$(cat "$kptr" 2>/dev/null)
restore() {
	if [ -n "$saved_kptr" ] && [ "$(cat "$kptr")" != "$saved_kptr" ]; then
		echo "$saved_kptr" >"$kptr"
	fi
	rm -rf "$tmp"
}
trap restore EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

cpus=$(two_cpus)
run() {	# run OUT ARGS...
	out=$1
	shift
	"$TLBBENCH" run munmap --size 64M --threads 2 --cpus "$cpus" \
		--reps 3 --warmup 1 --events none "$@" >"$tmp/$out" \
		2>"$tmp/$out.err"
}
# Samples (one per line) for which jq FILTER is not true.
failing() {	# failing FILE FILTER
	jq -c "select(($2) | not) | [.counters, .attribution]" "$tmp/$1"
}
zap='.attribution.counts["attr.zap_page_table"]'
sent='.counters["tlb_flush.remote_send_ipi"]'
# Sender keys are attr.PATH, other reasons' attr.REASON.PATH.
sampled='[.attribution.counts | to_entries[]
	| select(.key | test("^attr\\.[^.]+$")) | .value] | add'
accounted="($sampled) == $sent and .attribution.lost == 0
	and .attribution.samples >= $sent"
disk=yes
[ "$(stat -f -c %T "$tmp")" = tmpfs ] && disk=

[ -z "$blocker" ] || skip_all "$blocker"

run dirty --format json --attribute
v=$(median "$tmp/dirty" "$zap")
n=$(failing dirty "$zap * 10 >= $sent * 9")
in_range "$v" 30 36 && [ -z "$n" ]
msg="dirty 4k tmpfs: median $v page-table zap flushes, >= 90%"
ok $? "$msg of the sender's in every sample ($n$(cat "$tmp/dirty.err"))"

n=$(failing dirty "$accounted")
[ -z "$n" ] && [ "$(wc -l <"$tmp/dirty")" -eq 3 ]
ok $? "dirty: attributed + unclassified = sender flushes counted ($n)"

run dirty.txt --attribute --reps 2
grep -Eq '^  zap page table \(force_flush\) +[0-9]+ +[0-9.]+%$' \
	"$tmp/dirty.txt" &&
	grep -Eq '^# sampled [0-9]+, counted [0-9]+ \(tlb_flush.remote_send_ipi\)' \
	"$tmp/dirty.txt"
ok $? "text: a table of paths with shares, and sampled against counted"

if [ -n "$disk" ]; then
	run clean --format json --attribute --backing file --dir "$tmp" \
		--dirty none
	n=$(failing clean "$zap == 0")
	[ -z "$n" ] && [ "$(wc -l <"$tmp/clean")" -eq 3 ]
	msg="clean disk-backed file: no flush from the page-table zap"
	ok $? "$msg ($n$(cat "$tmp/clean.err"))"
	n=$(failing clean "$accounted")
	[ -z "$n" ]
	ok $? "clean: attributed + unclassified = sender flushes counted ($n)"
else
	skip "clean disk-backed file" "$tmp is on tmpfs"
	skip "clean: accounting" "$tmp is on tmpfs"
fi

# Every reason: the samples of each add up to its counter.  A task switch
# while the measuring thread is preempted in the middle of reading the
# counters is counted on one side of that read and sampled on the other:
# task_switch may be off by a few (2, and 1% of thousands) when busy.
run all --format json --attribute=all
n=$(jq -c '. as $s | [range(6)] | map(. as $r
	| ["task_switch", "remote_shootdown", "local_shootdown",
	   "local_mm_shootdown", "remote_send_ipi", "remote_wrong_cpu"][$r]
	| . as $name
	| ($s.attribution.counts | to_entries
	   | map(select(.key | if $r == 4 then test("^attr\\.[^.]+$")
		else startswith("attr." + $name + ".") end) | .value) | add
	   // 0) as $got
	| ($s.counters["tlb_flush." + $name] - $got) as $d
	| select($d != 0 and ($r != 0 or
		(if $d < 0 then -$d else $d end) > 2 + $got / 100))
	| "\($name): \($got) sampled, \($s.counters["tlb_flush." + $name]) counted")
	| select(length > 0)' "$tmp/all")
[ -z "$n" ] && [ "$(wc -l <"$tmp/all")" -eq 3 ] &&
	[ -z "$(jq 'select(.attribution.lost != 0)' "$tmp/all")" ]
ok $? "--attribute=all: each reason's samples add up to its counter ($n)"

# run-bench passes the option through; compare-bench lists the paths.
if [ -n "$disk" ]; then
	cat >"$tmp/conf" <<CONF
munmap --size 64M --threads 2 --cpus $cpus --backing file --dirty all --attribute
munmap --size 64M --threads 2 --cpus $cpus --backing file --dirty none --attribute
CONF
	TLBBENCH_RESULTS="$tmp/results" "$srcdir/run-bench" \
		--config "$tmp/conf" ab >/dev/null 2>"$tmp/rb.err" &&
	TLBBENCH_RESULTS="$tmp/results" "$srcdir/compare-bench" \
		--vary dirty --metrics 'attr.*' ab >"$tmp/cmp" 2>"$tmp/cmp.err"
	st=$?
	row=$(sed -n '/^  attr.zap_page_table$/{n;p}' "$tmp/cmp")
	a=$(echo "$row" | awk '{print $1}')
	b=$(echo "$row" | awk '{print $3}')
	[ $st -eq 0 ] && in_range "$a" 30 36 && [ "$b" = 0 ] &&
		grep -q '^  attr.end_of_operation$' "$tmp/cmp"
	msg="compare-bench --metrics 'attr.*': page-table zap $a dirty, $b"
	ok $? "$msg clean ($(cat "$tmp/rb.err" "$tmp/cmp.err" | tail -n 2))"
else
	skip "compare-bench" "$tmp is on tmpfs"
fi

# What sampling costs: overhead compares it with counting alone.
"$TLBBENCH" run overhead --size 16M --threads 2 --cpus "$cpus" --reps 3 \
	--warmup 0 --events none --format json --attribute >"$tmp/ov" \
	2>"$tmp/ov.err"
jq -e '.compared == "attributed/counted" and .ratio > 0
	and .sent > 0 and .sampled == .sent' "$tmp/ov" >/dev/null
ok $? "overhead --attribute: $(jq -c '[.ratio, .sent, .sampled]' "$tmp/ov") ($(cat "$tmp/ov.err"))"

# Not root: no sampling, no tracepoints; the run still counts what it can.
if command -v setpriv >/dev/null &&
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		test -x "$TLBBENCH" 2>/dev/null; then
	(cd /tmp && setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TLBBENCH" run munmap --size 4M --threads 1 --reps 1 \
		--warmup 0 --events none --format json --attribute \
		>"$tmp/nobody" 2>"$tmp/nobody.err")
	st=$?
	[ $st -eq 0 ] && grep -q -- '--attribute: .*needs root' \
		"$tmp/nobody.err" &&
		jq -e '.attribution.available == false
			and (.attribution.why | test("needs root"))
			and (.counters | has("interrupts.tlb"))' \
			"$tmp/nobody" >/dev/null
	ok $? "not root: exit $st, says why, still counts ($(cat "$tmp/nobody.err"))"
else
	skip "not root" "no setpriv, or tlbbench not executable by nobody"
fi

# Addresses hidden from root too: counted and sampled, not attributed.
if [ -n "$saved_kptr" ] && echo 2 >"$kptr" 2>/dev/null; then
	run hidden --format json --attribute --reps 1 --warmup 0
	st=$?
	echo "$saved_kptr" >"$kptr"
	[ $st -eq 0 ] && grep -q 'kptr_restrict = 2' "$tmp/hidden.err" &&
		jq -e '.attribution.available == false
			and (.attribution.why | test("kptr_restrict"))
			and (.attribution | has("counts") | not)
			and .attribution.samples ==
			    .counters["tlb_flush.remote_send_ipi"]
			and .counters["tlb_flush.remote_send_ipi"] > 0' \
			"$tmp/hidden" >/dev/null &&
		[ "$(cat "$kptr")" = "$saved_kptr" ]
	msg="kptr_restrict 2: exit $st, says why, counts and samples,"
	ok $? "$msg restored to $saved_kptr ($(cat "$tmp/hidden.err"))"
else
	skip "kptr_restrict" "cannot set $kptr"
fi
done_testing
