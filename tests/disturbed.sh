#!/bin/sh
# A second benchmark flushing TLBs on the same CPUs while one is measured
# shows up: the idle window after a repetition counts its TLB interrupts,
# the sample says "disturbed", and the run warns once on stderr.
. "$TESTLIB"

if [ "$(nproc)" -lt 2 ]; then
	skip "disturbed: samples marked" "needs 2 CPUs"
	skip "disturbed: one warning on stderr" "needs 2 CPUs"
	skip "disturbed: the disturber is gone" "needs 2 CPUs"
	done_testing
fi
cpus=$(two_cpus)
# What marks a disturbed window is another process's shootdowns arriving
# on the measured CPU: where the hypervisor flushes remote TLBs, none
# arrives, and nothing can disturb the counts.
blocker=$(tracepoint_blocker)
[ -n "$blocker" ] || blocker=$(needs jq:jq)
[ -n "$blocker" ] || blocker=$(ipi_blocker)
if [ -n "$blocker" ]; then
	skip "disturbed: samples marked" "$blocker"
	skip "disturbed: one warning on stderr" "$blocker"
	skip "disturbed: the disturber is gone" "$blocker: none started"
	done_testing
fi
make_tmp
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The disturber: 2M chunks dirtied and zapped without pause, two flushes
# each, on both CPUs.
"$TLBBENCH" run madvise --size 64M --threads 2 --cpus "$cpus" \
	--iterations 1000000 --reps 1000 --warmup 0 --events none \
	>/dev/null 2>"$tmp/disturber.err" &
pid=$!
sleep 2
kill -0 "$pid" 2>/dev/null || diag "the disturber ended: $(cat "$tmp/disturber.err")"

# Measured on the first CPU alone: its idle windows spin there, and the
# disturber's thread on the second CPU takes the IPIs its sibling sends
# whenever the scheduler lets that one in.
"$TLBBENCH" run munmap --size 256M --threads 1 --cpus "${cpus%,*}" \
	--reps 20 --events none --format json >"$tmp/out" 2>"$tmp/err"
status=$?
diag "$(jq -r '.disturbed // "-"' "$tmp/out" | sort | uniq -c)"
[ $status -eq 0 ] &&
	[ "$(jq -s '[.[] | select(.disturbed // "" |
		test("^(interrupts.tlb|tlb_flush.[a-z_]+): [0-9]+ in an idle window"))]
		| length' "$tmp/out")" -ge 1 ]
ok $? "disturbed: samples whose idle window counted flushes say so"

[ "$(grep -c . "$tmp/err")" -eq 1 ] &&
	grep -Eq '^tlbbench: warning: [0-9]+ of 20 repetitions disturbed' \
		"$tmp/err"
ok $? "disturbed: one warning on stderr ($(cat "$tmp/err"))"

kill "$pid" && wait "$pid" 2>/dev/null
pid=
sleep 1
! kill -0 "$pid" 2>/dev/null && [ -z "$(pgrep -f 'iterations 1000000')" ]
ok $? "disturbed: the disturber is gone"
done_testing
