#!/bin/sh
# Sets with walking victims (--victims walk): report, compare in every
# format and the figures show what they lost, with intervals and
# significance as for the times; sets without victims keep their tables
# (compare.sh checks those against its fixtures).  victims-guest: Debian's
# 6.1 under TCG, 33 shootdowns per 64M window; victims-host: this VM
# (its hypervisor flushes remote vCPUs without IPIs: no shootdown).
. "$TESTLIB"

blocker=$(needs jq:jq)
[ -z "$blocker" ] || skip_all "$blocker"
make_tmp
G=$FIXTURES/victims-guest
H=$FIXTURES/victims-host

"$TLBBENCH" report "$G" >"$tmp/report"
grep -q '^  1 munmap  tmpfs all    1 .*    528     528 [-0-9.]* \[' \
	"$tmp/report"
ok $? "report: the victims' line, 528 handler entries and shootdowns per GiB, a cost per shootdown with its interval ($(grep '^  1 munmap  tmpfs' "$tmp/report" | tail -n 1))"

"$TLBBENCH" compare "$G" "$G" >"$tmp/text"
grep -q '^  victim-us/GiB  ' "$tmp/text" &&
	grep -q '^  handler-us/GiB ' "$tmp/text" &&
	grep -q 'victim-us/GiB: µs the$' "$tmp/text" &&
	! grep -q 'stolen-us' "$tmp/text"
ok $? "compare: victim-us/GiB and handler-us/GiB rows beside the defaults, and what they are"

"$TLBBENCH" compare --format json "$G" "$G" >"$tmp/json" &&
	jq -e '.blocks[0].metrics | map(.metric) ==
		["sent/GiB", "recv/GiB", "us/op", "victim-us/GiB",
		 "handler-us/GiB"]
	and (.[3].counter == "victims.lost_ns")
	and (.[3].columns[0] | has("median_ci") and has("noise_median"))
	and (.[3].columns[1] | has("p") and has("change_ci"))' "$tmp/json" \
	>/dev/null
ok $? "compare json: the victims' metrics with their intervals and p"

"$TLBBENCH" compare --format csv "$G" "$G" >"$tmp/csv" &&
	grep -q '",victim-us/GiB,A,' "$tmp/csv" &&
	"$TLBBENCH" compare --format markdown "$G" "$G" >"$tmp/md" &&
	grep -q '| victim-us/GiB | [0-9]' "$tmp/md" &&
	grep -q 'handler-us/GiB' "$tmp/md"
ok $? "compare csv and markdown carry them too"

"$TLBBENCH" compare --metrics sent/GiB,handler-entries/GiB,stolen-us/op \
	"$G" "$G" >"$tmp/given" &&
	! grep -q 'victim-us' "$tmp/given" &&
	grep -q '^  handler-entries/GiB$' "$tmp/given" &&
	grep -q '^  stolen-us/op ' "$tmp/given"
ok $? "--metrics given: the victims' figures only as asked, by name"

# A host and an emulated guest: their victims' times are times, not
# compared across kinds; their counts are.
"$TLBBENCH" compare "$H" "$G" >"$tmp/kind"
grep -q '^  victim-us/GiB .* kind  -$' "$tmp/kind" &&
	grep -q '^  handler-us/GiB .* kind  -$' "$tmp/kind" &&
	grep -q '^  recv/GiB .* from 0 ' "$tmp/kind"
ok $? "the victims' times of an emulated guest are not compared with a VM's"

# The victims' figures for sets that have victims, and only for them.
"$TLBBENCH" plotdata --out "$tmp/plot" "$H" "$G" 2>"$tmp/plot.err" &&
	"$TLBBENCH" plotdata --out "$tmp/plot2" "$FIXTURES/ab-tmpfs" \
		"$FIXTURES/ab-ext4" 2>/dev/null
grep -q '^flushes victims$' "$tmp/plot/figures" &&
	grep -q '^victims-recv victims-recv$' "$tmp/plot/figures" &&
	awk -F '\t' '/^[0-9]/ && $1 == 33 { n++ } END { exit n != 3 }' \
		"$tmp/plot/victims-recv.tsv" &&
	! grep -q victims "$tmp/plot2/figures"
ok $? "plotdata: the victims' figures, a point per repetition at its 33 shootdowns; none for sets without victims"

done_testing
