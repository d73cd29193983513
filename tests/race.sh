#!/bin/sh
# race on this kernel: a writer keeps stale TLB entries of hot pages while
# a cleaner writes them back inside the zap.  A kernel that flushes per
# page table (force_flush) or keeps the rmap until the flush (delay_rmap)
# loses nothing; the window must be exercised for that to mean anything,
# and --self-test's claimed stores must be reported as exactly those lost.
. "$TESTLIB"

blocker=$(lost_write_blocker)
[ -z "$blocker" ] || skip_all "$blocker"

make_tmp disk

run() {	# run OUT SECONDS ARGS...
	out=$1
	secs=$2
	shift 2
	"$TLBBENCH" run race --dir "$tmp" --duration "$secs" --events none \
		"$@" >"$out" 2>"$out.err"
}

val() {	# val FILE FILTER: jq FILTER on the one record in FILE
	jq -r "$2" "$1"
}

passes() {	# passes FILE: verdict pass, 0 lost, every check made
	[ "$(wc -l <"$1")" -eq 1 ] && [ "$(val "$1" .verdict)" = pass ] &&
		[ "$(val "$1" .race.lost)" -eq 0 ] &&
		[ "$(val "$1" .race.attempts)" -gt 0 ] &&
		[ "$(val "$1" .race.pages_checked)" -eq \
		  "$(( $(val "$1" .race.attempts) * 8 ))" ]
}

run "$tmp/end.json" 3 --format json
status=$?
diag "$(jq -c .race "$tmp/end.json")"
[ $status -eq 0 ] && passes "$tmp/end.json" &&
	[ "$(val "$tmp/end.json" '.race.hot_page_numbers | join(",")')" = \
	  "511,1023,1535,2047,2559,3071,3583,4095" ] &&
	[ "$(val "$tmp/end.json" .race.check_read)" = O_DIRECT ]
ok $? "madvise, hot end: passes with 0 lost (status $status)"

# Without this a 0 proves nothing: the hot pages were written back while
# the zap ran and the writer stored after that.
[ "$(val "$tmp/end.json" .race.attempts_writeback_inside_zap)" -gt 0 ] &&
	[ "$(val "$tmp/end.json" .race.stores_after_writeback_inside_zap)" \
	  -gt 0 ]
ok $? "madvise: window exercised (writebacks inside the zap, stores after)"

run "$tmp/start.json" 2 --format json --hot start
[ $? -eq 0 ] && passes "$tmp/start.json" &&
	[ "$(val "$tmp/start.json" '.race.hot_page_numbers | join(",")')" = \
	  "0,512,1024,1536,2048,2560,3072,3584" ] &&
	[ "$(val "$tmp/start.json" .params.hot)" = start ]
ok $? "hot start: passes with 0 lost"

run "$tmp/remap.json" 2 --format json --zap munmap-remap
[ $? -eq 0 ] && passes "$tmp/remap.json"
ok $? "munmap-remap: passes with 0 lost"

run "$tmp/text" 1
[ $? -eq 0 ] && grep -q '^# verdict: PASS: no write lost' "$tmp/text" &&
	grep -q '^  lost  *0$' "$tmp/text"
ok $? "text: a verdict line and 0 lost"

# Attempts 2 and 4 claim a store to the first hot page they never made.
run "$tmp/self.json" 2 --format json --self-test
status=$?
diag "$(jq -c '[.lost_writes[] | [.attempt, .page, .injected]]' \
	"$tmp/self.json")"
[ $status -eq 0 ] &&
	[ "$(val "$tmp/self.json" .verdict)" = "self-test passed" ] &&
	[ "$(val "$tmp/self.json" .race.lost)" -eq 0 ] &&
	[ "$(val "$tmp/self.json" .race.injected_found)" -eq 2 ] &&
	[ "$(val "$tmp/self.json" \
	   '[.lost_writes[] | "\(.attempt):\(.page):\(.injected)"] | join(",")')" \
	  = "2:511:true,4:511:true" ] &&
	[ "$(val "$tmp/self.json" '[.lost_writes[] |
		select(.on_disk == .read_after_eviction and
		       .expected != .on_disk)] | length')" -eq 2 ]
ok $? "self-test: exactly the claimed stores reported (status $status)"

bad=0
for args in "--backing tmpfs" "--dir /dev/shm" "--threads 1" "--size 2M" \
	    "--zap truncate-extend" "--hot middle"; do
	# shellcheck disable=SC2086
	"$TLBBENCH" run race --duration 1 $args >"$tmp/bad" 2>"$tmp/bad.err"
	status=$?
	opt=${args%% *}
	[ $status -eq 2 ] && [ "$(wc -l <"$tmp/bad.err")" -eq 1 ] &&
		grep -q -- "$opt" "$tmp/bad.err" && [ ! -s "$tmp/bad" ] ||
		{ diag "$args: status $status: $(cat "$tmp/bad.err")"; bad=1; }
done
ok $bad "bad input: exit 2, one line naming the option"

[ -z "$(ls "$tmp" | grep '^tlbbench\.')" ]
ok $? "no backing file left behind"
done_testing
