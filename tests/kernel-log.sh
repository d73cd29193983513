#!/bin/sh
# tlbbench kernel-log: the kernel's problem reports in fixture console
# logs, bad input, /dev/kmsg on this machine (root), and run-bench keeping
# them in the result set and tlbbench report showing them.
. "$TESTLIB"

fx=$FIXTURES/kernel-log
make_tmp

# A console with boot messages, two config lines framed by the guest
# init's markers, a WARNING after "[ cut here ]", a lockdep report, an
# RCU stall between the lines and a Bad page state.
"$TLBBENCH" kernel-log console "$fx/console-two-lines.txt" >"$tmp/out" \
	2>"$tmp/err"
ok $? "console: a two-line guest console is read"
diff -u "$fx/console-two-lines.jsonl" "$tmp/out" >"$tmp/diff"
ok $? "console: exactly the expected reports, lines and first lines"
[ -s "$tmp/diff" ] && diag "$(cat "$tmp/diff")"
[ "$(jq -r '"\(.line) \(.kind)"' "$tmp/out" | paste -sd,)" = \
  "0 UBSAN,3 WARNING,3 WARNING,0 RCU stall,5 Bad page state" ]
ok $? "console: boot and between-lines reports are line 0, the others their line"
[ "$(jq -r 'select(.line == 3) | .text[0]' "$tmp/out" | head -n 1)" = \
  "WARNING: CPU: 1 PID: 97 at mm/memory.c:1453 zap_pte_range+0x6d2/0x7b0" ] &&
	! grep -q 'cut here' "$tmp/out"
ok $? "console: the WARNING starts at its line, timestamp stripped, no report of its own for [ cut here ]"
[ "$(jq -r 'select(.kind == "Bad page state") | .text | length' \
     "$tmp/out")" = 5 ] &&
	[ "$(jq -r 'select(.line == 5) | .config_line' "$tmp/out")" = \
	  "truncate --size 64M --threads 2 --mode punch" ]
ok $? "console: a report keeps its first 5 lines and the marker's config line"

# A guest that oopsed and panicked in line 2: no done marker, CRLF.
"$TLBBENCH" kernel-log console "$fx/console-panic.txt" >"$tmp/out" 2>&1 &&
	diff -u "$fx/console-panic.jsonl" "$tmp/out" >"$tmp/diff"
ok $? "console: a page fault's BUG and Oops are one report, the panic another, both line 2"
[ -s "$tmp/diff" ] && diag "$(cat "$tmp/diff")"

refused() {	# refused DESCRIPTION WHAT ARGS...: exit 2, one line naming WHAT
	desc=$1 what=$2
	shift 2
	"$TLBBENCH" kernel-log "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		[ ! -s "$tmp/out" ] && grep -q -- "$what" "$tmp/err"
	ok $? "refused: $desc: exit $status ($(cat "$tmp/err"))"
}
refused "console without FILE" "which FILE" console
refused "a missing FILE" "nosuch: No such file" console "$tmp/nosuch"
refused "an unreadable FILE" "Is a directory" console "$tmp"
refused "since a non-number" "'12x' is not a record sequence number" \
	since 12x
refused "since without SEQ" "which SEQ" since
refused "mark with an operand" "unexpected argument '3'" mark 3
refused "no verb" "mark, since SEQ or console FILE"
refused "an unknown verb" "'tail': not mark" tail
"$TLBBENCH" kernel-log --help >"$tmp/out" 2>&1 &&
	grep -q '^usage: tlbbench kernel-log mark$' "$tmp/out" &&
	grep -q '^  *tlbbench kernel-log since SEQ$' "$tmp/out"
ok $? "--help prints the usage"

# /dev/kmsg: a line injected from user space between mark and since
# stands in for a kernel WARNING; the patterns do not look at who wrote it.
tag="tlbbench-test-$$"
kmsg_blocker=
if [ "$(id -u)" -ne 0 ]; then
	kmsg_blocker="needs root to write /dev/kmsg"
elif [ ! -w /dev/kmsg ]; then
	kmsg_blocker="/dev/kmsg is not writable"
elif ! "$TLBBENCH" kernel-log mark >/dev/null 2>"$tmp/err"; then
	kmsg_blocker="/dev/kmsg is not readable: $(cat "$tmp/err")"
fi
if [ -n "$kmsg_blocker" ]; then
	for t in "mark is a number" "since finds an injected WARNING" \
		 "a later mark finds it no more"; do
		skip "kmsg: $t" "$kmsg_blocker"
	done
else
	before=$("$TLBBENCH" kernel-log mark)
	case $before in ''|*[!0-9]*) false ;; *) true ;; esac
	ok $? "kmsg: mark is a number ($before)"
	echo "<4>WARNING: CPU: 0 PID: 1 at $tag injected" >/dev/kmsg
	"$TLBBENCH" kernel-log since "$before" >"$tmp/out"
	[ $? -eq 0 ] && [ "$(jq -r "select(.text[0] | contains(\"$tag\")) |
		.kind" "$tmp/out")" = WARNING ]
	ok $? "kmsg: since finds an injected WARNING"
	after=$("$TLBBENCH" kernel-log mark)
	"$TLBBENCH" kernel-log since "$after" >"$tmp/out"
	[ $? -eq 0 ] && [ "$after" -gt "$before" ] &&
		! grep -q "$tag" "$tmp/out"
	ok $? "kmsg: a mark taken after it finds it no more ($after)"
fi

# Without CAP_SYSLOG where dmesg_restrict is 1, /dev/kmsg cannot be
# read: exit 1 and why, which run-bench records as unchecked.
nosyslog= nosyslog_blocker=
if [ "$(id -u)" -ne 0 ]; then
	nosyslog_blocker="needs root to drop CAP_SYSLOG"
elif [ "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)" != 1 ]; then
	nosyslog_blocker="kernel.dmesg_restrict is not 1"
elif ! command -v setpriv >/dev/null; then
	nosyslog_blocker="no setpriv (Debian: util-linux)"
else
	nosyslog="setpriv --inh-caps -syslog --bounding-set -syslog"
fi
if [ -n "$nosyslog" ]; then
	$nosyslog "$TLBBENCH" kernel-log since 0 >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -q '/dev/kmsg: Operation not permitted' "$tmp/err"
	ok $? "kmsg without CAP_SYSLOG: exit $status ($(cat "$tmp/err"))"
else
	skip "kmsg without CAP_SYSLOG: exit 1" "$nosyslog_blocker"
fi

# run-bench: a tlbbench that injects a WARNING while the line runs.
export TLBBENCH_RESULTS="$tmp/results"
cat >"$tmp/config" <<CONF
# a comment: the run is config line 2
munmap --size 4M --threads 1 --reps 1 --warmup 0
CONF
cat >"$tmp/warning" <<WRAP
#!/bin/sh
[ "\$1" != run ] || [ "\$2" = --config ] ||
	echo "<4>WARNING: CPU: 0 PID: 1 at $tag run-bench" >/dev/kmsg
exec "$TLBBENCH" "\$@"
WRAP
chmod +x "$tmp/warning"
if [ -n "$kmsg_blocker" ]; then
	for t in "completes" "records the line's report" \
		 "system.json counts it" "stderr names it" "report shows it"; do
		skip "run-bench: $t" "$kmsg_blocker"
	done
else
	TLBBENCH=$tmp/warning "$srcdir/run-bench" --config "$tmp/config" \
		warned >"$tmp/out" 2>"$tmp/err"
	ok $? "run-bench with a WARNING during a line completes ($(tail -n 1 "$tmp/err"))"
	set -- "$tmp/results/warned"
	line="munmap --size 4M --threads 1 --reps 1 --warmup 0"
	want="WARNING: CPU: 0 PID: 1 at $tag run-bench"
	[ "$(jq -c '[.line, .config_line, .kind, .text]' \
	     "$1/kernel-reports.jsonl" 2>/dev/null)" = \
	  "[2,\"$line\",\"WARNING\",[\"$want\"]]" ]
	ok $? "run-bench: kernel-reports.jsonl has the report, its line and config_line"
	[ "$(jq -c '[.kernel_reports, .kernel_log]' "$1/system.json")" = \
	  '[1,"kmsg"]' ]
	ok $? "run-bench: system.json kernel_reports 1, kernel_log kmsg"
	grep -qF "run-bench: line 2: kernel reported 1 problem(s): WARNING: $want" \
		"$tmp/err"
	ok $? "run-bench: stderr names the line and the report"
	"$TLBBENCH" report "$1" >"$tmp/report"
	grep -q "^  2 WARNING  *WARNING: CPU: 0 PID: 1 at $tag run-bench$" \
		"$tmp/report" &&
		grep -q '^# kernel reports: 1 (from kmsg)$' "$tmp/report"
	ok $? "report shows the line's report and the count"
fi

# Where the kernel log cannot be read the set says so.
if [ -n "$nosyslog" ]; then
	$nosyslog "$srcdir/run-bench" --config "$tmp/config" unchecked \
		>"$tmp/out" 2>"$tmp/err"
	status=$?
	set -- "$tmp/results/unchecked"
	[ $status -eq 0 ] && [ -f "$1/kernel-reports.jsonl" ] &&
		[ ! -s "$1/kernel-reports.jsonl" ] &&
		[ "$(jq -r .kernel_reports "$1/system.json")" = 0 ] &&
		jq -r .kernel_log "$1/system.json" |
		grep -q '^unchecked: /dev/kmsg: Operation not permitted'
	ok $? "run-bench without CAP_SYSLOG: kernel_log unchecked, with why"
	"$TLBBENCH" report "$1" | grep -q '^# kernel log: unchecked: /dev/kmsg'
	ok $? "report says the kernel log was not checked"
else
	skip "run-bench without CAP_SYSLOG: kernel_log unchecked" \
		"$nosyslog_blocker"
	skip "report says the kernel log was not checked" "$nosyslog_blocker"
fi

# A set from before kernel reports were kept: report says nothing of them.
old=$srcdir/results/examples/dirty-clean
"$TLBBENCH" report "$old" >"$tmp/report" &&
	[ ! -e "$old/kernel-reports.jsonl" ] &&
	! grep -q '^# kernel \(reports\|log\)' "$tmp/report"
ok $? "report of a set without kernel-reports.jsonl says nothing of them"

# A corrupt kernel-reports.jsonl is refused with the file and line named.
mkdir -p "$tmp/corrupt" && cp "$old/system.json" "$old/samples.jsonl" \
	"$tmp/corrupt/" &&
	printf '%s\n' '{"line": 1, "config_line": "", "kind": "BUG",' \
		'"text": ["BUG: x"]}' '{"line": 2,' | sed '1N;s/\n/ /' \
		>"$tmp/corrupt/kernel-reports.jsonl"
err=$("$TLBBENCH" report "$tmp/corrupt" 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in
	*"kernel-reports.jsonl:2: not JSON"*) true ;; *) false ;; esac
ok $? "report refuses broken JSON in kernel-reports.jsonl ($err)"
echo '{"line": 1, "config_line": "", "kind": "BUG", "text": []}' \
	>"$tmp/corrupt/kernel-reports.jsonl"
err=$("$TLBBENCH" report "$tmp/corrupt" 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in
	*"kernel-reports.jsonl:1: missing or mistyped field text"*) true ;;
	*) false ;; esac
ok $? "report refuses a report without text ($err)"
done_testing
