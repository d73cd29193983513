#!/bin/sh
# tlbbench run --line tags its records, and tlbbench run --config, the
# loop over a config's runs that run-bench and a guest's init both run:
# which records it keeps, the outcome of each run, its refusals and a
# stop by signal.  Needs no root: counts may be unsupported.
. "$TESTLIB"

[ -x "$TLBBENCH" ] || skip_all "no tlbbench built ($TLBBENCH)"
make_tmp
quick="munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none"

# --line and --run: the tag of a result set, on every record.
"$TLBBENCH" run $quick --reps 2 --line 7 --format json >"$tmp/out" \
	2>"$tmp/err"
[ $? -eq 0 ] &&
	[ "$(jq -s -c 'map([.line, .config_line, has("run")]) | unique' \
	     "$tmp/out")" = "[[7,\"$quick --reps 2\",false]]" ] &&
	[ "$(wc -l <"$tmp/out")" -eq 2 ]
ok $? "run --line 7: both records tagged with line 7 and the run's words ($(jq -r .config_line "$tmp/out" | head -n 1))"
"$TLBBENCH" run munmap --format=json ${quick#munmap } --run=3 --line=2 \
	>"$tmp/out" 2>&1
[ $? -eq 0 ] &&
	[ "$(jq -c '[.line, .config_line, .run]' "$tmp/out")" = \
	  "[2,\"$quick\",3]" ]
ok $? "run --line=2 --run=3, --format=json amid the words: line 2, run 3, config_line without them"
"$TLBBENCH" run $quick --format json >"$tmp/out" 2>&1
[ $? -eq 0 ] && [ "$(jq -c 'has("line") or has("config_line")' \
	"$tmp/out")" = false ]
ok $? "run without --line: the record has no tag"
bad=
for args in "--line 0" "--line x" "--line -1" "--line" "--run 2" \
	    "--line 1 --run 0"; do
	err=$("$TLBBENCH" run $quick $args --format json 2>&1 >/dev/null)
	status=$?
	[ $status -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] ||
		bad="$bad [$args: $status $err]"
done
[ -z "$bad" ]
ok $? "run refuses a bad --line or --run, and --run without --line, in one line (exit 2)${bad:+:$bad}"

# The loop: records of the runs that ended, an outcome per run, on the
# samples file, or stdout.  Line 3 fails (hugetlbfs in a directory that
# is not one), line 4 is on a disk-backed file.
cat >"$tmp/config" <<CONF
# a comment
$quick
$quick --dirty per-table
$quick --backing hugetlbfs --dir $tmp
$quick --backing file
CONF
"$TLBBENCH" run --config "$tmp/config" --samples "$tmp/samples" \
	--outcome "$tmp/outcome" --errors "$tmp/errors" --dir "$tmp" \
	--run 2 >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 1 ] && [ ! -s "$tmp/out" ] &&
	[ "$(jq -s -c 'map([.line, .run])' "$tmp/samples")" = \
	  '[[2,2],[3,2],[5,2]]' ] &&
	[ "$(jq -r '"\(.line) \(.outcome) \(.status)"' "$tmp/outcome" |
	     tr '\n' ,)" = "2 done 0,3 done 0,4 failed 2,5 done 0," ] &&
	[ "$(jq -r 'select(.line == 4) | .config_line' "$tmp/outcome")" = \
	  "$quick --backing hugetlbfs --dir $tmp" ] &&
	grep -q "not hugetlbfs" "$tmp/errors" &&
	grep -qx "tlbbench: line 4 failed: $(tail -n 1 "$tmp/errors")" \
		"$tmp/err" &&
	grep -qx "\[4/4\] $quick --backing file" "$tmp/err"
ok $? "run --config: records of the 3 runs that ended, tagged with line and run; the failed one named, its outcome and why (exit $status)"
[ "$(jq -r .error "$tmp/outcome" | grep -vc '^null$')" -eq 1 ] &&
	[ "$(jq -c 'select(.line == 4) | .error' "$tmp/outcome")" = \
	  "\"$(tail -n 1 "$tmp/errors")\"" ]
ok $? "the outcome of the failed run holds the last line of its stderr, no other has an error"

# One stream, as a guest sends it: each run's records, then its
# outcome; no disk, so line 5 is skipped; console marks, --name.
"$TLBBENCH" run --config "$tmp/config" --skip-disk --console-marks \
	--samples "$tmp/stream" --outcome "$tmp/stream" --name guest \
	--progress 4/8 >/dev/null 2>"$tmp/err"
status=$?
[ $status -eq 1 ] &&
	[ "$(jq -r 'if has("outcome") then "\(.line):\(.outcome)"
		    else "r\(.line)" end' "$tmp/stream" | tr '\n' ' ')" = \
	  "r2 2:done r3 3:done 4:failed 5:skipped " ] &&
	grep -qx "\[5/8\] $quick" "$tmp/err" &&
	! grep -q "^\[8/8\]" "$tmp/err" &&
	grep -qx "tlbbench guest: line 2: $quick" "$tmp/err" &&
	grep -qx "tlbbench guest: line 2 done" "$tmp/err" &&
	grep -qx "guest: line 4 failed: .*not hugetlbfs" "$tmp/err" &&
	[ "$(jq -r 'select(.line == 5) | .error' "$tmp/stream")" = \
	  "on a disk-backed file, and no disk (--skip-disk)" ]
ok $? "one stream: records then their outcome; --skip-disk skips line 5; progress from 5 of 8; console marks (exit $status)"

# A run whose status is 3 (lost writes) keeps its record; one with no
# JSON record, or one killed, is a failed run that keeps none.
cat >"$tmp/stand" <<EOF
#!/bin/sh
case "\$*" in
*"--reps 3"*) echo "not JSON"; exit 0 ;;
*"--reps 4"*) kill -KILL \$\$ ;;
esac
exec "$TLBBENCH" "\$@"
EOF
chmod +x "$tmp/stand"
printf '%s\n' "$quick --reps 3" "$quick --reps 4" "$quick" >"$tmp/odd"
"$TLBBENCH" run --config "$tmp/odd" --tlbbench "$tmp/stand" \
	--outcome "$tmp/odd.outcome" >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 1 ] && [ "$(jq -s -c 'map(.line)' "$tmp/out")" = '[3]' ] &&
	[ "$(jq -r '"\(.outcome) \(.status) \(.error)"' "$tmp/odd.outcome" |
	     tr '\n' ,)" = "failed 0 its output holds no JSON record,failed 137 tlbbench killed by SIGKILL,done 0 null," ]
ok $? "no JSON record, killed by SIGKILL: failed runs with no record ($(jq -r .error "$tmp/odd.outcome" | tr '\n' ,))"
cat >"$tmp/lossy" <<EOF
#!/bin/sh
"$TLBBENCH" "\$@"
echo "tlbbench: integrity: LOST: 1 of 1 writes lost" >&2
exit 3
EOF
chmod +x "$tmp/lossy"
echo "$quick" >"$tmp/one"
"$TLBBENCH" run --config "$tmp/one" --tlbbench "$tmp/lossy" \
	--outcome "$tmp/lost.outcome" >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 3 ] && [ "$(jq -c .line "$tmp/out")" = 1 ] &&
	[ "$(jq -r '"\(.outcome) \(.status)"' "$tmp/lost.outcome")" = \
	  "lost 3" ] &&
	grep -qx "tlbbench: line 1 lost writes: tlbbench: integrity: LOST: 1 of 1 writes lost" "$tmp/err"
ok $? "status 3: the record kept, outcome lost, named, exit 3 (exit $status)"

# SIGTERM: the running child gets SIGTERM and is reaped; the runs that
# ended keep their records; exit 143.
cat >"$tmp/held" <<EOF
#!/bin/sh
case "\$*" in
*"--reps 8"*) echo \$\$ >"$tmp/held.pid"; exec sleep 60 ;;
esac
exec "$TLBBENCH" "\$@"
EOF
chmod +x "$tmp/held"
printf '%s\n' "$quick" "$quick --reps 8" "$quick --reps 2" >"$tmp/stop"
"$TLBBENCH" run --config "$tmp/stop" --tlbbench "$tmp/held" \
	--outcome "$tmp/stop.outcome" >"$tmp/out" 2>"$tmp/err" &
loop=$!
while [ ! -s "$tmp/held.pid" ] && kill -0 $loop 2>/dev/null; do
	sleep 0.05
done
held=$(cat "$tmp/held.pid")
kill -TERM $loop
wait $loop
status=$?
[ $status -eq 143 ] && ! kill -0 "$held" 2>/dev/null &&
	[ "$(jq -s -c 'map(.line)' "$tmp/out")" = '[1]' ] &&
	[ "$(jq -r .outcome "$tmp/stop.outcome" | tr '\n' ,)" = "done," ]
ok $? "SIGTERM: the running child ended, the first run's record and outcome kept, exit $status"

# Bad input: one line on stderr, exit 2, nothing run.
refused() {	# refused WHAT ARGS...
	what=$1
	shift
	err=$("$TLBBENCH" run "$@" 2>&1 >"$tmp/out")
	status=$?
	[ $status -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		[ ! -s "$tmp/out" ] &&
		case $err in *"$what"*) true ;; *) false ;; esac
	ok $? "refused: run $* ($err)"
}
refused "nosuch: No such file" --config "$tmp/nosuch"
refused "--config: needs a value" --config
refused "--bogus: unknown option" --config "$tmp/one" --bogus
refused "no workload" --config "$tmp/one" munmap
refused "--shuffle: '0'" --config "$tmp/one" --shuffle 0
refused "--progress: '3'" --config "$tmp/one" --progress 3
refused "--profile and --profile-dir" --config "$tmp/one" --profile cpu-clock
refused "--dir: $tmp/nosuch: not a directory" --config "$tmp/one" --dir "$tmp/nosuch"
echo "munmap --size 3X" >"$tmp/bad"
refused "$tmp/bad:1: --size" --config "$tmp/bad"
done_testing
