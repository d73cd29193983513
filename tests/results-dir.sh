#!/bin/sh
# run-bench's results directory: what it refuses before writing there,
# the lock and partial directory of a NAME, what runs killed by SIGKILL
# leave and the next run removes, and the modes of a set.
. "$TESTLIB"

make_tmp
export TLBBENCH_RESULTS="$tmp/results"
# What is tested is run-bench's own: its lines (each run by tlbbench run
# --config as "run WORDS --line N --format json") run a stand-in tlbbench
# whose run notes its arguments in $tmp/runs and prints a fixture's
# record, tagged with its line as --line tags it, at once, counting
# nothing, or after a minute for a line with --reps 9 (one to stop
# midway), or once $tmp/go exists for a line with --reps 8.
cat >"$tmp/tlbbench" <<EOF
#!/bin/sh
[ "\$1" = run ] && [ "\$2" != --config ] || exec "$TLBBENCH" "\$@"
printf '%s\n' "\$*" >>"$tmp/runs"
case "\$*" in
*"--reps 9"*) sleep 60 ;;
*"--reps 8"*) while [ ! -e "$tmp/go" ]; do sleep 0.05; done ;;
esac
words=\${*#run }
line=\${words##* --line }
head -n 1 "$FIXTURES/ab-tmpfs/samples.jsonl" | jq -c --argjson line \
	"\${line%% *}" --arg text "\${words%% --line *}" \
	'. + {line: \$line, config_line: \$text}'
EOF
chmod +x "$tmp/tlbbench"
rb() {
	TLBBENCH=$tmp/tlbbench "$srcdir/run-bench" "$@"
}
echo "munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none" \
	>"$tmp/tiny"
echo "munmap --size 4M --threads 1 --reps 9 --warmup 0 --events none" \
	>"$tmp/slow"
echo "munmap --size 4M --threads 1 --reps 8 --warmup 0 --events none" \
	>"$tmp/held"

# One line, exit 2, naming WHAT, for the run-bench ARGS.
refused() {	# refused WHAT ARGS...
	what=$1
	shift
	rb "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		[ ! -s "$tmp/out" ] && grep -qF -- "$what" "$tmp/err"
}

# A NAME whose partial directory's name would pass NAME_MAX: refused
# before the results directory, a lock or anything else is made.
long=$(printf '%0240d' 0)
refused "NAME: 240 characters, at most 239 here" --config "$tmp/tiny" "$long"
[ $? -eq 0 ] && [ ! -e "$tmp/results" ]
ok $? "a NAME of 240 characters refused before anything is made ($(cat "$tmp/err"))"

# A results directory another user could write is where root must not
# write: a link to one, one writable by others or another group without
# the sticky bit, one owned by another user.  Refused before anything
# is written in it.
mkdir -p "$tmp/real" "$tmp/shared"
ln -s "$tmp/real" "$tmp/link"
TLBBENCH_RESULTS=$tmp/link refused "$tmp/link: a symbolic link" \
	--config "$tmp/tiny" x
[ $? -eq 0 ] && [ -z "$(ls -A "$tmp/real")" ]
ok $? "a results directory that is a link refused ($(cat "$tmp/err"))"
chmod 777 "$tmp/shared"
TLBBENCH_RESULTS=$tmp/shared refused \
	"$tmp/shared: writable by others without the sticky bit" \
	--config "$tmp/tiny" x
[ $? -eq 0 ] && [ -z "$(ls -A "$tmp/shared")" ]
ok $? "a results directory writable by others refused ($(cat "$tmp/err"))"
chmod 1777 "$tmp/shared"
TLBBENCH_RESULTS=$tmp/shared rb --config "$tmp/tiny" x >/dev/null 2>"$tmp/err"
status=$?
[ $status -eq 0 ] && [ -f "$tmp/shared/x/samples.jsonl" ]
ok $? "a results directory writable by all with the sticky bit, as /tmp, is used (status $status)"
if [ "$(id -u)" -ne 0 ]; then
	skip "a results directory of another group's refused" "needs root"
	skip "a results directory of another user's refused" "needs root"
else
	mkdir -m 775 "$tmp/group" && chgrp 65534 "$tmp/group"
	TLBBENCH_RESULTS=$tmp/group refused \
		"$tmp/group: writable by group 65534 without the sticky bit" \
		--config "$tmp/tiny" x
	[ $? -eq 0 ] && [ -z "$(ls -A "$tmp/group")" ]
	ok $? "a results directory of another group's refused ($(cat "$tmp/err"))"
	mkdir -m 755 "$tmp/other" && chown 65534 "$tmp/other"
	TLBBENCH_RESULTS=$tmp/other refused "$tmp/other: owned by user 65534" \
		--config "$tmp/tiny" x
	[ $? -eq 0 ] && [ -z "$(ls -A "$tmp/other")" ]
	ok $? "a results directory of another user's refused ($(cat "$tmp/err"))"
fi

# A lock that is a link is neither followed nor used.
mkdir -p "$tmp/results"
ln -s "$tmp/victim" "$tmp/results/.x.lock"
refused "$tmp/results/.x.lock: not a regular file (a link?)" \
	--config "$tmp/tiny" x
[ $? -eq 0 ] && [ ! -e "$tmp/victim" ] && [ ! -e "$tmp/results/x" ]
ok $? "a lock that is a link refused, nothing created through it ($(cat "$tmp/err"))"
rm -f "$tmp/results/.x.lock"

# Two runs on one NAME: the second opens the lock while the first holds
# it, and locks it once the first has written the set, removed the lock
# and exited (a stand-in flock waits for that, once).  What it locked is then
# no lock: it must take the lock anew, see the set, and keep it.
mkdir "$tmp/bin"
cat >"$tmp/bin/flock" <<EOF
#!/bin/sh
if [ ! -e "$tmp/flock.once" ]; then
	: >"$tmp/flock.once"
	while kill -0 "\$(cat "$tmp/first.pid")" 2>/dev/null; do
		sleep 0.05
	done
fi
exec $(command -v flock) "\$@"
EOF
chmod +x "$tmp/bin/flock"
rb --config "$tmp/held" both >/dev/null 2>"$tmp/first.err" &
first=$!
echo $first >"$tmp/first.pid"
while [ ! -e "$tmp/results/.both.lock" ] && kill -0 $first 2>/dev/null; do
	sleep 0.05
done
PATH=$tmp/bin:$PATH rb --config "$tmp/tiny" both >/dev/null 2>"$tmp/err" &
second=$!
while [ ! -e "$tmp/flock.once" ] && kill -0 $second 2>/dev/null; do
	sleep 0.05
done
touch "$tmp/go"
wait $first
status1=$?
started=$(jq -r .started "$tmp/results/both/system.json" 2>/dev/null)
config=$(cat "$tmp/results/both/config" 2>/dev/null)
wait $second
status2=$?
[ $status1 -eq 0 ] && [ $status2 -eq 2 ] &&
	[ "$(tail -n 1 "$tmp/err")" = \
	  "run-bench: $tmp/results/both exists (--force replaces it)" ] &&
	[ "$(jq -r .started "$tmp/results/both/system.json")" = "$started" ] &&
	[ "$(cat "$tmp/results/both/config")" = "$config" ] &&
	[ "$config" = "1 $(cat "$tmp/held")" ] &&
	[ ! -e "$tmp/results/.both.lock" ]
ok $? "a second run on a NAME that locked a lock since removed: takes it anew, keeps the first's set (status $status1, $status2: $(tail -n 1 "$tmp/err"))"

# SIGKILL of run-bench, which no trap sees, leaves its lock and partial
# directory (its line's tlbbench, which holds the lock too, is ended
# here).  The next run, on any NAME, removes them and says so; a running
# NAME's are left alone.
rm -f "$tmp/go"
rb --config "$tmp/held" live >/dev/null 2>&1 &
live=$!
TLBBENCH=$tmp/tlbbench "$srcdir/run-bench" --config "$tmp/slow" killed \
	>/dev/null 2>&1 &
pid=$!
line=
while [ -z "$line" ] && kill -0 $pid 2>/dev/null; do
	line=$(descendant $pid "--reps 9")
	sleep 0.05
done
nap=$(descendant "$line" "sleep 60")
kill -KILL $pid
wait $pid
kill "$line" $nap
while kill -0 "$line" $nap 2>/dev/null; do
	sleep 0.05
done
while [ -z "$(ls -d "$tmp/results"/.live.partial.* 2>/dev/null)" ]; do
	sleep 0.05
done
left=$(cd "$tmp/results" && ls -d .killed.lock .killed.partial.* | tr '\n' ' ')
rb --config "$tmp/tiny" next >/dev/null 2>"$tmp/err"
status=$?
touch "$tmp/go"
wait $live
status_live=$?
[ $status -eq 0 ] && [ $status_live -eq 0 ] && [ -n "$left" ] &&
	[ "$(grep -c '^run-bench: removed' "$tmp/err")" -eq 1 ] &&
	grep -qx "run-bench: removed what a killed run on killed left: .killed.partial.[A-Za-z0-9]* .killed.lock" \
		"$tmp/err" &&
	[ -z "$(ls -A "$tmp/results" | grep '^\.')" ] &&
	[ -f "$tmp/results/live/samples.jsonl" ]
ok $? "what a run killed by SIGKILL left ($left) is removed by the next, which says so; a running one's is kept (status $status, $status_live: $(grep removed "$tmp/err"))"

# A set has the modes the umask gives: with 077 none of it, the kernel's
# reports and their addresses among it, is readable by others.
(umask 077 && exec env TLBBENCH=$tmp/tlbbench "$srcdir/run-bench" \
	--config "$tmp/tiny" private) >/dev/null 2>&1
status=$?
modes=$(cd "$tmp/results/private" 2>/dev/null &&
	stat -c '%a %n' . * | sort -u -k1,1 | cut -d' ' -f1 | tr '\n' ' ')
[ $status -eq 0 ] && [ "$modes" = "600 700 " ] &&
	[ "$(stat -c %a "$tmp/results/private/kernel-reports.jsonl")" = 600 ]
ok $? "umask 077: the set 700, its files 600 ($modes)"
(umask 022 && exec env TLBBENCH=$tmp/tlbbench "$srcdir/run-bench" \
	--config "$tmp/tiny" shared) >/dev/null 2>&1
status=$?
modes=$(cd "$tmp/results/shared" 2>/dev/null &&
	stat -c '%a %n' . * | sort -u -k1,1 | cut -d' ' -f1 | tr '\n' ' ')
[ $status -eq 0 ] && [ "$modes" = "644 755 " ]
ok $? "umask 022: the set 755, its files 644 ($modes)"

# A config line's words are not patterns: g[x] is run as g[x], though
# a gx it would match is there too.
mkdir "$tmp/g[x]" "$tmp/gx"
echo "munmap --size 4M --threads 1 --reps 1 --backing file --dir $tmp/g[x]" \
	>"$tmp/glob"
: >"$tmp/runs"
rb --config "$tmp/glob" glob >/dev/null 2>&1
status=$?
[ $status -eq 0 ] && [ "$(cat "$tmp/runs")" = \
  "run munmap --size 4M --threads 1 --reps 1 --backing file --dir $tmp/g[x] --line 1 --format json" ]
ok $? "a config line's --dir g[x] runs as written, not as gx (status $status: $(cat "$tmp/runs"))"
done_testing
