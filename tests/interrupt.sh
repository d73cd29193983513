#!/bin/sh
# Interrupted runs leave nothing behind: no backing file, no tracefs
# mount, no process, no half-written result set.
. "$TESTLIB"

make_tmp disk
mounts=$(grep -c tracefs /proc/mounts)

# Start CMD in the background, let it get going, send SIG, wait for it.
# A shell starts background commands with SIGINT ignored; a terminal's
# Ctrl-C would not be: restore the default first.
interrupt() {	# interrupt SIG SECONDS CMD...
	sig=$1 secs=$2
	shift 2
	env --default-signal=INT,HUP "$@" >/dev/null 2>"$tmp/err" &
	pid=$!
	sleep "$secs"
	kill -s "$sig" $pid
	wait $pid
}
nothing_left() {
	[ -z "$(ls "$tmp" | grep -v '^err$\|^results$\|^c$')" ] &&
		[ "$(grep -c tracefs /proc/mounts)" -eq "$mounts" ] &&
		! pgrep -f "tlbbench run munmap --size 512M" >/dev/null
}

for sig in INT TERM HUP; do
	interrupt $sig 1 "$TLBBENCH" run munmap --size 512M --reps 100 \
		--threads 1 --backing file --dir "$tmp" --events none
	status=$?
	sleep 0.2
	[ $status -gt 128 ] && nothing_left
	ok $? "tlbbench run stopped by SIG$sig (status $status): no file, mount or process left"
done

for t in exit:INT exit:TERM; do
	w=${t%:*} sig=${t#*:}
	interrupt $sig 1 "$TLBBENCH" run $w --size 512M --reps 100 \
		--threads 1 --backing file --dir "$tmp" --events none
	status=$?
	sleep 0.5
	[ $status -gt 128 ] && nothing_left &&
		! pgrep -f "tlbbench run $w" >/dev/null
	ok $? "tlbbench run $w stopped by SIG$sig (status $status): its child is gone too"
done

echo "munmap --size 512M --threads 1 --reps 100 --backing file" >"$tmp/c"
for sig in INT TERM; do
	interrupt $sig 2 env TLBBENCH_RESULTS="$tmp/results" \
		"$srcdir/run-bench" --config "$tmp/c" cut
	status=$?
	sleep 0.5
	want=130
	[ $sig = TERM ] && want=143
	[ $status -eq $want ] && [ -z "$(ls -A "$tmp/results" 2>/dev/null)" ] &&
		nothing_left &&
		grep -q "^run-bench: interrupted by SIG$sig: kept nothing$" \
			"$tmp/err"
	ok $? "run-bench stopped by SIG$sig: exit $status ($want), no result set, lock or file left, says it kept nothing"
done

# Stopped after a line completed: that line is kept, the set says so.
cat >"$tmp/c" <<CONF
munmap --size 4M --threads 1 --reps 1 --warmup 0 --backing file
munmap --size 512M --threads 1 --reps 100 --backing file
CONF
echo "munmap --size 4M --threads 1 --reps 1 --backing file" >>"$tmp/c"
for sig in TERM INT; do
	rm -rf "$tmp/results"
	env --default-signal=INT TLBBENCH_RESULTS="$tmp/results" \
		"$srcdir/run-bench" --config "$tmp/c" part >"$tmp/out" \
		2>"$tmp/err" &
	pid=$!
	while ! grep -q '^\[2/3\]' "$tmp/err" 2>/dev/null &&
	      kill -0 $pid 2>/dev/null; do
		sleep 0.1
	done
	sleep 0.5
	kill -s $sig $pid
	wait $pid
	status=$?
	set -- "$tmp/results/part"
	want=143
	[ $sig = INT ] && want=130
	[ $status -eq $want ] &&
		[ "$(jq -c '[.status, .interrupted]' "$1/system.json")" = \
		  "[\"incomplete\",\"SIG$sig\"]" ] &&
		[ "$(jq -s 'map(.line) | unique' -c "$1/samples.jsonl")" = '[1]' ] &&
		[ -z "$(ls -A "$tmp/results" | grep -v '^part$')" ]
	ok $? "run-bench stopped by SIG$sig on its second line: exit $status, the first line kept, marked incomplete and interrupted"
	grep -q "^run-bench: interrupted by SIG$sig: kept 1 of 3 lines in .*results/part$" \
		"$tmp/err" && grep -q '^  1 munmap ' "$tmp/out"
	ok $? "it says what it kept ($(grep interrupted "$tmp/err")) and shows the medians of line 1"
	[ "$(cut -d' ' -f1 "$1/config" | tr '\n' ' ')" = "1 " ] &&
		[ ! -e "$1/errors.log" ] &&
		"$TLBBENCH" report "$1" |
		grep -q "^# incomplete, interrupted by SIG$sig: not every line"
	ok $? "its config lists only line 1, no empty errors.log, report says it is incomplete"
done
rm -f "$tmp/out"

# SIGKILL cannot be caught: what tlbbench holds must go with it.  While
# it starts and counts, no tracefs mount may show in our namespace (read
# every 20 ms; its child mounts one in a namespace of its own when none
# is mounted here).
rm -rf "$tmp/results"
"$TLBBENCH" run munmap --size 512M --reps 100 --threads 1 --backing file \
	--dir "$tmp" --events none >/dev/null 2>"$tmp/err" &
pid=$!
seen=0
for i in $(seq 100); do
	[ "$(grep -c tracefs /proc/mounts)" -eq "$mounts" ] || seen=1
	sleep 0.02
done
kill -KILL $pid
wait $pid
status=$?
sleep 0.5
[ $status -eq 137 ] && [ $seen -eq 0 ] && nothing_left &&
	[ -z "$(pgrep -P $$ -f tlbbench)" ]
ok $? "tlbbench killed by SIGKILL (status $status): no mount ever seen here ($seen), no file or process left"

echo "munmap --size 512M --threads 1 --reps 100 --backing file" >"$tmp/c"
env TLBBENCH_RESULTS="$tmp/results" "$srcdir/run-bench" --config "$tmp/c" \
	killed >/dev/null 2>"$tmp/err" &
pid=$!
# Its tlbbench, found under the run-bench we started.
while kill -0 $pid 2>/dev/null; do
	child=$(descendant $pid "tlbbench run munmap --size 512M") &&
		kill -KILL "$child" && break
	sleep 0.1
done
wait $pid
status=$?
sleep 0.5
[ $status -eq 1 ] &&
	grep -q '^run-bench: line 1 failed: tlbbench killed by SIGKILL$' \
		"$tmp/err" &&
	[ -z "$(ls -A "$tmp/results")" ] && nothing_left
ok $? "run-bench whose tlbbench was killed: exit $status, says so, no result set or work directory left"

# --perf-stat talks to perf over pipes: nothing on disk for SIGKILL to
# leave, whatever TMPDIR says.  A stand-in perf that notes its arguments
# and never starts keeps tlbbench waiting for it, to be killed then.
mkdir "$tmp/bin" "$tmp/tmpdir"
cat >"$tmp/bin/perf" <<PERF
#!/bin/sh
printf '%s\n' "\$@" >"$tmp/perf.args.new"
mv "$tmp/perf.args.new" "$tmp/perf.args"
exec sleep 60
PERF
chmod +x "$tmp/bin/perf"
PATH="$tmp/bin:$PATH" TMPDIR="$tmp/tmpdir" "$TLBBENCH" run munmap \
	--size 4M --threads 1 --reps 1 --events none --perf-stat \
	>/dev/null 2>"$tmp/err" &
pid=$!
n=0
while [ ! -e "$tmp/perf.args" ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
perf=$(descendant $pid "sleep 60")
kill -KILL $pid
wait $pid
status=$?
[ -z "$perf" ] || kill "$perf"
control=$(sed -n '/^--control$/{n;p;}' "$tmp/perf.args" 2>/dev/null)
# What a fifo: control named, and its directory, must be gone.
left=
case $control in
fifo:*) for f in $(echo "${control#fifo:}" | tr ',' ' '); do
		for p in "$f" "$(dirname "$f")"; do
			[ -e "$p" ] && left="$left $p"
		done
	done ;;
esac
[ $status -eq 137 ] && [ -n "$control" ] && [ -z "$left" ] &&
	[ -z "$(ls -A "$tmp/tmpdir")" ]
ok $? "--perf-stat killed by SIGKILL while perf starts: --control $control, nothing left${left:+ (left:$left)}"
for p in $left; do
	case $p in */tlbbench-perf-stat.*) rm -rf "$p" ;; esac
done
done_testing
