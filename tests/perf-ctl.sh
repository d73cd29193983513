#!/bin/sh
# tlbbench run --perf-ctl under perf record --control -D -1: the profile
# holds the measured windows only.  256M of dirty 4k tmpfs, munmap: the
# zap path and the flush are sampled, the set-up (populate, page clears)
# is not; the same run profiled whole samples its set-up.
. "$TESTLIB"

blocker=$(tracepoint_blocker)
[ -n "$blocker" ] || blocker=$(needs perf:linux-perf)
[ -z "$blocker" ] || skip_all "$blocker"
make_tmp
mkfifo "$tmp/ctl" "$tmp/ack" || exit 1

# Whether the awk expression EXPR holds.
holds() {	# holds EXPR
	awk "BEGIN { exit !($1) }"
}
# SYMBOL's share of profile DATA's samples, itself and its callees ("" if
# absent).
share() {	# share DATA SYMBOL
	perf report -i "$1" --stdio --children --sort sym -g none 2>/dev/null |
		awk -v s="$2" '$4 == s { sub("%", "", $1); print $1; exit }'
}
run="run munmap --size 256M --backing tmpfs --threads 2 --reps 3 --warmup 1"
perf record -q -e cpu-clock -g --control "fifo:$tmp/ctl,$tmp/ack" -D -1 \
	-o "$tmp/win.data" -- "$TLBBENCH" $run \
	--perf-ctl "$tmp/ctl,$tmp/ack" >"$tmp/out" 2>"$tmp/err"
status=$?
zap=$(share "$tmp/win.data" unmap_page_range)
flush=$(share "$tmp/win.data" flush_tlb_mm_range)
[ $status -eq 0 ] && [ -n "$zap" ] && [ -n "$flush" ]
ok $? "the windows' profile samples the zap (unmap_page_range $zap%) and the flush (flush_tlb_mm_range $flush%) (exit $status: $(tail -n 1 "$tmp/err"))"

setup=0
for s in clear_page_erms clear_page_rep clear_page_orig madvise_populate \
	shmem_fault; do
	v=$(share "$tmp/win.data" $s)
	[ -n "$v" ] && setup=$(awk "BEGIN { print $setup + $v }")
done
holds "$setup < 1"
ok $? "no set-up in it: populate and page clears $setup% (< 1%)"

# The control: the same run profiled whole samples its populate.
perf record -q -e cpu-clock -g -o "$tmp/all.data" -- "$TLBBENCH" $run \
	>/dev/null 2>&1
whole=0
for s in madvise_populate shmem_fault; do
	v=$(share "$tmp/all.data" $s)
	[ -n "$v" ] && holds "$v > $whole" && whole=$v
done
holds "$whole >= 1"
ok $? "profiled whole, the set-up shows: $whole% (>= 1%)"

# A path that is not a fifo is refused before anything runs.
err=$("$TLBBENCH" $run --perf-ctl "$tmp/out,$tmp/ack" 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in *"--perf-ctl: '$tmp/out' is not a fifo"*) true ;;
	*) false ;; esac
ok $? "--perf-ctl with a plain file: exit 2 ($err)"
# No perf record reading the fifo: said at once, not waited for.
timeout 20 "$TLBBENCH" run munmap --size 4M --threads 1 --reps 1 \
	--perf-ctl "$tmp/ctl,$tmp/ack" >/dev/null 2>"$tmp/err"
status=$?
[ $status -eq 1 ] && grep -q 'no perf record --control reads it' "$tmp/err"
ok $? "--perf-ctl without perf record: exit $status at once ($(cat "$tmp/err"))"
# run-bench --profile: a perf record file per line that has windows (a
# swept line gives one per value), listed in system.json; whole runs
# (integrity) are not profiled; compare-bench names the profiles.
cat >"$tmp/conf" <<'CONF'
munmap --size 64M --threads 2 --reps 2 --warmup 0 --backing tmpfs,memfd
integrity --duration 2 --backing tmpfs
CONF
TLBBENCH_RESULTS=$tmp/results "$srcdir/run-bench" --config "$tmp/conf" \
	--profile prof >/dev/null 2>"$tmp/err"
status=$?
set -- "$tmp/results/prof"
[ $status -eq 0 ] &&
	[ "$(jq -c '[.profile_event, .profile_files]' "$1/system.json")" = \
	  '["cpu-clock",["perf/1.data","perf/1.2.data"]]' ] &&
	[ -n "$(share "$1/perf/1.data" unmap_page_range)" ] &&
	[ "$(ls "$1/perf")" = "$(printf '1.2.data\n1.data')" ]
ok $? "run-bench --profile: $(ls "$1/perf" 2>/dev/null | tr '\n' ' ')listed, the zap in them, integrity not profiled (exit $status: $(tail -n 1 "$tmp/err"))"
TLBBENCH="$TLBBENCH" "$srcdir/compare-bench" "$1" "$1" 2>&1 |
	grep -q "profiled (cpu-clock): prof/perf/LINE.data, perf report -i"
ok $? "compare-bench names the profiles of a set"
err=$("$srcdir/run-bench" --profile --kernel /nonexistent x 2>&1)
[ $? -eq 2 ] && case $err in *"--profile: not with --kernel"*) true ;;
	*) false ;; esac
ok $? "--profile with --kernel: refused ($err)"
# --perf-stat: perf stat's count of the whole run, which the windows
# (a subset of the same events, per thread) never exceed.
"$TLBBENCH" run munmap --size 64M --threads 2 --reps 3 --perf-stat \
	--format json >/dev/null 2>"$tmp/err"
status=$?
line=$(grep '^tlbbench: perf stat:' "$tmp/err")
whole=$(echo "$line" | sed -n 's/.*tlb_flush \([0-9]*\) in the whole run, .*/\1/p')
windows=$(echo "$line" | sed -n 's/.*whole run, \([0-9]*\) (.*/\1/p')
[ $status -eq 0 ] && [ -n "$whole" ] && [ -n "$windows" ] &&
	[ "$windows" -ge 96 ] && [ "$whole" -ge "$windows" ] &&
	! grep -q impossible "$tmp/err"
ok $? "--perf-stat: the 3 windows' flushes ($windows, >= 3 x 32) within perf stat's whole run ($whole) ($line)"
"$TLBBENCH" run munmap --size 16M --threads 2 --reps 1 --perf-stat \
	--scope system >/dev/null 2>"$tmp/err"
grep -q '(scope system): not compared' "$tmp/err"
ok $? "--perf-stat --scope system: not compared, and why ($(grep 'perf stat' "$tmp/err"))"
done_testing
