#!/bin/sh
# integrity on this kernel: short runs lose nothing while the race window
# is exercised (zaps, writebacks, evictions, writes racing a zap that are
# checked after an eviction), and --self-test's injected faults are
# reported as exactly those lost writes.
. "$TESTLIB"

blocker=$(lost_write_blocker)
[ -z "$blocker" ] || skip_all "$blocker"

make_tmp disk

run() {	# run OUT SECONDS ARGS...
	out=$1
	secs=$2
	shift 2
	"$TLBBENCH" run integrity --threads 2 --dir "$tmp" --duration "$secs" \
		--events none "$@" >"$out" 2>"$out.err"
}

# The value of jq FILTER on the one record in FILE.
val() {
	jq -r "$2" "$1"
}

positive() {	# positive FILE FIELD...: each .integrity.FIELD > 0
	f=$1
	shift
	for k in "$@"; do
		v=$(val "$f" ".integrity.$k")
		[ -n "$v" ] && [ "$v" -gt 0 ] || { diag "$k = $v"; return 1; }
	done
}

run "$tmp/madvise.json" 3 --format json
status=$?
diag "$(jq -c .integrity "$tmp/madvise.json")"
[ $status -eq 0 ] && [ "$(wc -l <"$tmp/madvise.json")" -eq 1 ] &&
	[ "$(val "$tmp/madvise.json" .verdict)" = pass ] &&
	[ "$(val "$tmp/madvise.json" .integrity.lost)" -eq 0 ]
ok $? "madvise: passes with 0 lost, one JSON line (status $status)"

positive "$tmp/madvise.json" zaps writebacks evictions pages_evicted
ok $? "madvise: zaps, writebacks, evictions and evicted pages counted"

# Without this a 0 proves nothing: writes landed while a zap ran, and
# were checked only after a later eviction.
positive "$tmp/madvise.json" writes_racing_zap racing_writes_evicted_checked
ok $? "madvise: race window exercised and checked after eviction"

[ "$(val "$tmp/madvise.json" .integrity.pages_checked)" -eq \
  "$(val "$tmp/madvise.json" .integrity.pages)" ] &&
	[ "$(val "$tmp/madvise.json" .integrity.pages_cached_at_final_read)" \
	  -eq 0 ] &&
	[ "$(val "$tmp/madvise.json" .params.zap)" = madvise ] &&
	[ "$(val "$tmp/madvise.json" .params.seed)" -eq 1 ] &&
	[ "$(val "$tmp/madvise.json" .params.fs)" != tmpfs ]
ok $? "madvise: every page read back after the page cache was emptied"

run "$tmp/remap.json" 2 --format json --zap munmap-remap
[ $? -eq 0 ] && [ "$(val "$tmp/remap.json" .verdict)" = pass ] &&
	positive "$tmp/remap.json" zaps evictions racing_writes_evicted_checked
ok $? "munmap-remap: passes with zaps and evictions"

run "$tmp/trunc.json" 2 --format json --zap truncate-extend
[ $? -eq 0 ] && [ "$(val "$tmp/trunc.json" .verdict)" = pass ] &&
	positive "$tmp/trunc.json" zaps evictions
ok $? "truncate-extend: passes with zaps and evictions"

run "$tmp/text" 1 --zap munmap-remap
[ $? -eq 0 ] && grep -q '^# verdict: PASS: no write lost' "$tmp/text" &&
	grep -q '^  lost  *0$' "$tmp/text"
ok $? "text: a verdict line and 0 lost"

# Four pages lose the store of their first round (found by the next
# round's check), four that of their last (found reading the file back).
run "$tmp/self.json" 2 --format json --self-test --seed 7
status=$?
diag "$(jq -c '[.injected, [.lost_writes[] | [.page, .when]]]' \
	"$tmp/self.json")"
[ $status -eq 0 ] &&
	[ "$(val "$tmp/self.json" .verdict)" = "self-test passed" ] &&
	[ "$(val "$tmp/self.json" '.injected | length')" -eq 8 ] &&
	[ "$(val "$tmp/self.json" \
	   '([.lost_writes[].page] | sort) == (.injected | sort)')" = true ] &&
	[ "$(val "$tmp/self.json" .integrity.lost)" -eq 8 ]
ok $? "self-test: exactly the injected pages reported lost (status $status)"

[ "$(val "$tmp/self.json" '[.lost_writes[].when] | sort | join(",")')" = \
  "final,final,final,final,round 2,round 2,round 2,round 2" ] &&
	[ "$(val "$tmp/self.json" '[.lost_writes[] | select(.expected != .found
		and .expected_seq > .found_seq
		and (.found | test("^0x[0-9a-f]{16}$")))] | length')" -eq 8 ]
ok $? "self-test: each found where due, expected newer than found"

run "$tmp/self7.json" 1 --format json --self-test --seed 7
run "$tmp/self8.json" 1 --format json --self-test --seed 8
seeded=$(val "$tmp/self.json" .injected)
[ "$(val "$tmp/self7.json" .injected)" = "$seeded" ] &&
	[ "$(val "$tmp/self8.json" .injected)" != "$seeded" ] &&
	[ "$(val "$tmp/self8.json" .verdict)" = "self-test passed" ]
ok $? "self-test: the injected pages follow --seed"

if [ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ]; then
	"$TLBBENCH" run integrity --threads 2 --backing tmpfs --duration 1 \
		--events none --format json >"$tmp/tmpfs.json" 2>&1
	[ $? -eq 0 ] && [ "$(val "$tmp/tmpfs.json" .verdict)" = pass ] &&
		val "$tmp/tmpfs.json" .note | grep -q 'tmpfs cannot'
	ok $? "tmpfs: passes with a note that the check is weaker"
else
	skip "tmpfs: weaker check noted" "no tmpfs at /dev/shm"
fi

[ -z "$(ls "$tmp" | grep '^tlbbench\.')" ]
ok $? "no backing file left behind"
done_testing
