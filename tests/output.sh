#!/bin/sh
# Output that could not be written is no result: each command that
# succeeded fails (1) with one line when its stdout is a full disk or a
# pipe nobody reads, and run-bench fails a line whose output holds no
# record instead of counting it done.
. "$TESTLIB"

make_tmp
A=$FIXTURES/ab-ext4
B=$FIXTURES/ab-tmpfs
printf 'munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none\n' \
	>"$tmp/tiny"

# Each command, one per line: what it prints is small enough to sit in
# stdio's buffer until exit, the case a check of each printf would miss.
cat >"$tmp/commands" <<EOF
describe
plan --runs $tmp/tiny
report $A
compare $A $B
compare --format json $A $B
run munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none
list
version
EOF

# ENOSPC: /dev/full takes nothing.
while read -r cmd; do
	# shellcheck disable=SC2086
	$TLBBENCH $cmd >/dev/full 2>"$tmp/err"
	status=$?
	[ $status -eq 1 ] && [ "$(wc -l <"$tmp/err")" -ge 1 ] &&
		[ "$(tail -n 1 "$tmp/err")" = \
		  "tlbbench: writing the output: No space left on device" ]
	ok $? "tlbbench $(echo "$cmd" | sed "s|$FIXTURES/||g; s|$tmp/||g") >/dev/full: exit $status ($(tail -n 1 "$tmp/err"))"
done <"$tmp/commands"

# EPIPE: a pipe whose reader has gone, SIGPIPE ignored (as a caller may
# leave it): the write fails instead of killing tlbbench.  The fifo is
# opened both ways on fd 3, for writing on fd 4, and fd 3 closed: fd 4
# is then a pipe with no reader, whatever runs when.
mkfifo "$tmp/fifo"
exec 3<>"$tmp/fifo" 4>"$tmp/fifo" 3<&-
(trap '' PIPE; exec "$TLBBENCH" describe) >&4 2>"$tmp/err"
status=$?
exec 4>&-
[ $status -eq 1 ] &&
	[ "$(cat "$tmp/err")" = "tlbbench: writing the output: Broken pipe" ]
ok $? "tlbbench describe into a pipe nobody reads: exit $status ($(cat "$tmp/err"))"

# run-bench: a tlbbench that says it succeeded and printed nothing, or
# no JSON, for a line: that line failed, the set is incomplete.
cat >"$tmp/silent" <<EOF
#!/bin/sh
[ "\$1" = run ] || exec "$TLBBENCH" "\$@"
case "\$*" in
*--dirty\ per-table*) exit 0 ;;
*--dirty\ none*) echo "not JSON"; exit 0 ;;
esac
exec "$TLBBENCH" "\$@"
EOF
chmod +x "$tmp/silent"
cat >"$tmp/three" <<EOF
munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none
munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none --dirty per-table
munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none --backing file --dirty none
EOF
TLBBENCH=$tmp/silent TLBBENCH_RESULTS=$tmp/results \
	"$srcdir/run-bench" --config "$tmp/three" silent >/dev/null 2>"$tmp/err"
status=$?
set -- "$tmp/results/silent"
[ $status -eq 1 ] &&
	[ "$(jq -c '[.status, .failed_lines]' "$1/system.json")" = \
	  '["incomplete",[2,3]]' ] &&
	[ "$(jq -s -c 'map(.line) | unique' "$1/samples.jsonl")" = '[1]' ] &&
	grep -qx 'run-bench: line 2 failed: its output holds no JSON record' \
		"$tmp/err" &&
	grep -qx 'run-bench: line 3 failed: its output holds no JSON record' \
		"$tmp/err"
ok $? "run-bench: lines with no record or no JSON failed, set incomplete (status $status)"
done_testing
