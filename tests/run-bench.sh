#!/bin/sh
# run-bench end to end on a tiny config, its refusals, and tlbbench report
# on corrupt result sets.  Needs no root: counts may be unsupported.
. "$TESTLIB"

make_tmp
export TLBBENCH_RESULTS="$tmp/results"
rb() {
	"$srcdir/run-bench" "$@"
}

cat >"$tmp/tiny" <<CONF
# a comment, then a blank line

munmap --size 4M --threads 1 --reps 2 --warmup 0
munmap --size 4M --threads 1 --reps 2 --warmup 0 --dirty per-table
CONF

rb --config "$tmp/tiny" one >"$tmp/out" 2>"$tmp/err"
ok $? "run-bench on a 2-line config succeeds ($(tail -n 1 "$tmp/err"))"
set -- "$tmp/results/one"
[ -f "$1/system.json" ] && [ -f "$1/config" ] && [ -f "$1/samples.jsonl" ]
ok $? "result set holds system.json, config and samples.jsonl"
[ "$(jq -r .status "$1/system.json")" = complete ] &&
	[ "$(jq -r .kernel "$1/system.json")" = "$(uname -r)" ] &&
	[ "$(jq -r '.failed_lines | length' "$1/system.json")" = 0 ]
ok $? "system.json: complete, names this kernel"
[ "$(jq -s -r 'map(.line | tostring) | join(",")' "$1/samples.jsonl")" = 3,3,4,4 ]
ok $? "samples tagged with their config line numbers"
[ "$(jq -s -r '.[2].config_line' "$1/samples.jsonl")" = \
  "munmap --size 4M --threads 1 --reps 2 --warmup 0 --dirty per-table" ]
ok $? "samples carry their config line"
grep -q '^  4 munmap' "$tmp/out"
ok $? "the summary has a row per line"
grep -q '^\[2/2\] munmap' "$tmp/err"
ok $? "progress names the line and how many"
[ -z "$(ls -A "$tmp/results" | grep -v '^one$')" ]
ok $? "no partial directory left"

# --runs: the whole config again, each time in another order, every
# sample naming its run; the config lists each line once.
rb --config "$tmp/tiny" --runs 3 three >"$tmp/out" 2>"$tmp/err"
set -- "$tmp/results/three"
[ "$(jq -s -c 'group_by(.line) | map([.[0].line, length,
	(map(.run) | unique)])' "$1/samples.jsonl")" = \
	'[[3,6,[1,2,3]],[4,6,[1,2,3]]]' ] &&
	[ "$(jq .runs "$1/system.json")" = 3 ] &&
	[ "$(wc -l <"$1/config")" -eq 2 ] &&
	grep -q '^\[6/6\] munmap' "$tmp/err" &&
	grep -q '^  3 munmap' "$tmp/out"
ok $? "--runs 3: each line 3 times, samples tagged with their run, config once ($(jq -r '"\(.line)/\(.run)"' "$1/samples.jsonl" | uniq | tr '\n' ' '))"
bad=0
for v in 0 -1 x 1000 ''; do
	err=$(rb --config "$tmp/tiny" --runs "$v" badruns 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$err" = "run-bench: --runs: '$v' is not a number of runs from 1 to 999" ] ||
		bad=1
done
[ $bad -eq 0 ] && [ ! -e "$tmp/results/badruns" ]
ok $? "--runs refuses what is not a number of runs ($err)"

# The summary's interval per line, the lines --max-reps ended short of
# --target-ci, and where the repetitions' time went.
echo "munmap --size 4M --threads 1 --reps auto --max-reps 6 --target-ci 0.001" \
	>"$tmp/auto"
rb --config "$tmp/auto" auto >"$tmp/out" 2>"$tmp/err" &&
	grep -q '^  1 munmap .* [0-9.]*%$' "$tmp/out" &&
	grep -q '^#   line 1: +-[0-9.]*% after 6 reps, cv [0-9.]*%$' "$tmp/out" &&
	grep -q '^# repetitions took [0-9.]* s: prepare [0-9]*%, counters 0%, windows [0-9]*%, idle [0-9]*%$' "$tmp/out"
ok $? "report: the interval, a line short of --target-ci, the budget ($(grep -A1 short "$tmp/out" | tail -n 1))"

rb --config "$tmp/tiny" one >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'exists' "$tmp/err"
ok $? "an existing NAME is refused"
rb --config "$tmp/tiny" --force one >/dev/null 2>&1
ok $? "--force replaces it"

# Two runs on one NAME: the second refuses at once, the first completes.
echo "munmap --size 64M --threads 1 --reps 20 --warmup 0" >"$tmp/slow"
rb --config "$tmp/slow" both >/dev/null 2>&1 &
first=$!
# The second starts once the first holds the lock, however slow it is.
while [ ! -e "$tmp/results/.both.lock" ] && kill -0 $first 2>/dev/null; do
	sleep 0.05
done
rb --config "$tmp/slow" both >/dev/null 2>"$tmp/err"
second=$?
wait $first
[ $? -eq 0 ] && [ $second -eq 2 ] &&
	grep -q 'another run-bench is writing both' "$tmp/err" &&
	[ ! -e "$tmp/results/.both.lock" ]
ok $? "a second run-bench on the same NAME refuses ($(cat "$tmp/err"))"

refused() {	# refused WHAT ARGS...: exit 2, one line naming WHAT
	what=$1
	shift
	err=$(rb "$@" 2>&1 >/dev/null)
	status=$?
	[ $status -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in *"$what"*) true ;; *) false ;; esac
	ok $? "refused: $* ($err)"
}
refused --config --config nosuch x
refused --config --config
refused NAME --config "$tmp/tiny" ../escape
refused NAME --config "$tmp/tiny" .hidden
refused --bogus --bogus
refused one --config "$tmp/tiny" one two
echo "munmap --size 3X" >"$tmp/bad"
refused "$tmp/bad:1: --size" --config "$tmp/bad" x
echo "nosuch --size 4M" >"$tmp/bad"
refused "$tmp/bad:1: no workload" --config "$tmp/bad" x
: >"$tmp/bad"
refused "no runs" --config "$tmp/bad" x
[ ! -e "$tmp/results/x" ]
ok $? "nothing written for refused runs"

# A line that fails while running: the set is kept, marked incomplete.
cat >"$tmp/failing" <<CONF
munmap --size 4M --threads 1 --reps 1 --warmup 0
munmap --size 4M --threads 1 --reps 1 --warmup 0 --backing hugetlbfs --dir $tmp
CONF
rb --config "$tmp/failing" part >/dev/null 2>"$tmp/err"
status=$?
[ $status -eq 1 ] &&
	[ "$(jq -c '[.status, .failed_lines]' "$tmp/results/part/system.json")" = \
	  '["incomplete",[2]]' ] &&
	grep -q 'line 2 failed' "$tmp/err"
ok $? "a failing line: exit 1, set marked incomplete with the line"

# An integrity line: one record with its verdict, kept and reported.
if [ "$(nproc)" -ge 2 ]; then
	echo "integrity --duration 1 --threads 2 --size 1M" >"$tmp/integ"
	rb --config "$tmp/integ" integ >"$tmp/out" 2>"$tmp/err"
	status=$?
	set -- "$tmp/results/integ"
	[ $status -eq 0 ] &&
		[ "$(jq -r '[.line, .verdict, .integrity.lost] | join(" ")' \
		     "$1/samples.jsonl")" = "1 pass 0" ] &&
		[ "$(jq -c .lost_write_lines "$1/system.json")" = "[]" ] &&
		grep -q '^  1 madvise  *file .* 0 pass$' "$tmp/out"
	ok $? "an integrity line: verdict recorded and reported (status $status)"

	# A tlbbench whose check found a lost write: the record stays in a
	# complete set, the line is named, run-bench exits 3.  The record is
	# the one above, tagged with its line as tlbbench run --line tags it.
	jq -c '.verdict = "lost" | .integrity.lost = 1' "$1/samples.jsonl" \
		>"$tmp/lost.json"
	cat >"$tmp/lossy" <<LOSSY
#!/bin/sh
[ "\$1 \$2" = "run integrity" ] || exec "$TLBBENCH" "\$@"
cat "$tmp/lost.json"
echo "tlbbench: integrity: LOST: 1 of 1 writes lost" >&2
exit 3
LOSSY
	chmod +x "$tmp/lossy"
	TLBBENCH=$tmp/lossy rb --config "$tmp/integ" lossy >"$tmp/out" \
		2>"$tmp/err"
	status=$?
	set -- "$tmp/results/lossy"
	[ $status -eq 3 ] &&
		[ "$(jq -c '[.status, .failed_lines, .lost_write_lines]' \
		     "$1/system.json")" = '["complete",[],[1]]' ] &&
		[ "$(jq -r .verdict "$1/samples.jsonl")" = lost ] &&
		grep -q 'line 1 lost writes: .*LOST' "$tmp/err" &&
		grep -q '^  1 madvise .* 1 lost$' "$tmp/out"
	ok $? "lost writes: exit 3, record kept, set complete (status $status)"
else
	skip "an integrity line: verdict recorded" "needs 2 CPUs"
	skip "lost writes: exit 3, record kept" "needs 2 CPUs"
fi

# tlbbench report refuses corrupt sets with the file and line named.
good=$tmp/results/one
corrupt() {	# corrupt WHAT DESCRIPTION, with the samples in $tmp/samples
	rm -rf "$tmp/c" && cp -r "$good" "$tmp/c"
	cp "$tmp/samples" "$tmp/c/samples.jsonl"
	err=$("$TLBBENCH" report "$tmp/c" 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in *"$1"*) true ;; *) false ;; esac
	ok $? "report refuses $2 ($err)"
}
: >"$tmp/samples"
corrupt "samples.jsonl: no samples" "an empty samples file"
head -c 100 "$good/samples.jsonl" >"$tmp/samples"
corrupt "samples.jsonl:1: truncated" "a truncated line"
echo '{"line": 4,' >"$tmp/samples"
corrupt "samples.jsonl:1: not JSON" "broken JSON"
echo '[1, 2]' >"$tmp/samples"
corrupt "samples.jsonl:1: not a JSON object" "a foreign value"
jq -c 'del(.counters)' "$good/samples.jsonl" >"$tmp/samples"
corrupt "samples.jsonl:1: missing or mistyped field counters" \
	"a sample without counters"
jq -c '.ns = "fast"' "$good/samples.jsonl" >"$tmp/samples"
corrupt "samples.jsonl:1: missing or mistyped field ns" "a string ns"
jq -c '.attribution = {available: true, counts: {"attr.x": "many"}}' \
	"$good/samples.jsonl" >"$tmp/samples"
corrupt "samples.jsonl:1: field attribution.counts.attr.x is not an integer" \
	"a string attribution count"
jq -c '.attribution = []' "$good/samples.jsonl" >"$tmp/samples"
corrupt "samples.jsonl:1: missing or mistyped field attribution" \
	"an attribution that is no object"
rm -rf "$tmp/c" && cp -r "$good" "$tmp/c" && echo '{' >"$tmp/c/system.json"
err=$("$TLBBENCH" report "$tmp/c" 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in *system.json*) true ;; *) false ;; esac
ok $? "report refuses a corrupt system.json ($err)"
err=$("$TLBBENCH" report "$tmp/nosuch" 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in *"nosuch: no such result set"*) true ;; *) false ;; esac
ok $? "report refuses a missing set ($err)"

# A config inside the tree is recorded relative to it, one outside as
# given: a result set names no path of the machine beyond what was typed.
inside=$(mktemp -d "$srcdir/tests/run-bench.XXXXXX") || exit 1
echo "munmap --size 4M --threads 1 --reps 1 --warmup 0" >"$inside/c"
TLBBENCH_RESULTS="$tmp/rel" "$srcdir/run-bench" --config "$inside/c" \
	rel >/dev/null 2>&1
status=$?
recorded=$(jq -r .config "$tmp/rel/rel/system.json" 2>/dev/null)
rm -rf "$inside"
[ $status -eq 0 ] && [ "$recorded" = "tests/${inside##*/}/c" ]
ok $? "a config in the tree is recorded relative to it ($recorded)"
# The A/A benchmark refuses what it cannot run, before running anything.
aa=$srcdir/bench/self/aa-compare
bad=0
for args in "--runs 1" "--pairs 0" "--pairs x" "--config $tmp/nosuch" \
	"--bogus" "--reps 0"; do
	# shellcheck disable=SC2086
	err=$("$aa" $args 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in aa-compare:*) true ;; *) false ;; esac || bad=1
done
[ $bad -eq 0 ]
ok $? "bench/self/aa-compare refuses bad options in one line ($err)"
# A config read from the current directory; a name that is neither a
# file nor a config of the tree lists those.
cp "$tmp/tiny" "$tmp/local.conf"
(cd "$tmp" && "$srcdir/run-bench" --config local.conf cwd) >/dev/null \
	2>&1 && [ -f "$tmp/results/cwd/samples.jsonl" ] &&
	err=$(rb --config nosuch.conf x 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in "run-bench: --config: 'nosuch.conf' is neither a readable file nor a config of the tree ("*default*quick*")") true ;; *) false ;; esac
ok $? "--config FILE in the current directory; an unknown one lists the tree's ($err)"
# system.json is tlbbench describe's: describe set adds to the machine's
# description the run's facts as run-bench passes them, the scopes read
# from the samples and the kernel's reports counted.
printf '%s\n' '{"scope":"threads"}' \
	'{"scope":"system","scope_fallback":"no root"}' \
	'{"scope":"threads","scope_fallback":"later"}' >"$tmp/d.samples"
echo '{"line":3,"kind":"WARNING","text":["x"]}' >"$tmp/d.reports"
"$TLBBENCH" describe >"$tmp/d.json" &&
	"$TLBBENCH" describe set "$tmp/d.json" --config tiny \
		--git-revision abc --started S --finished F \
		--status incomplete --interrupted SIGINT --runs 2 \
		--failed " 3 0" --lost "" --kernel-log kmsg \
		--samples "$tmp/d.samples" --kernel-reports "$tmp/d.reports" \
		--profile-event "" --profile-files "" >"$tmp/d.sys" &&
	jq -e --arg k "$(uname -r)" '.kernel == $k and
		.status == "incomplete" and .interrupted == "SIGINT" and
		.failed_lines == [3, 0] and .lost_write_lines == [] and
		.kernel_reports == 1 and .kernel_log == "kmsg" and
		.runs == 2 and .scopes == ["system", "threads"] and
		.scope_fallback == "no root" and .config == "tiny" and
		.git_revision == "abc" and (has("profile_event") | not)' \
		"$tmp/d.sys" >/dev/null &&
	"$TLBBENCH" describe set "$tmp/d.json" --config tiny \
		--git-revision abc --started S --finished F --status complete \
		--runs 1 --samples "$tmp/d.samples" \
		--kernel-reports "$tmp/d.reports" --profile-event cpu-clock \
		--profile-files "perf/3.data perf/4.data" |
	jq -e '(has("interrupted") | not) and .failed_lines == [] and
		.profile_event == "cpu-clock" and
		.profile_files == ["perf/3.data", "perf/4.data"]' >/dev/null
ok $? "describe set: the run's facts, scopes from the samples, reports counted"
# Each refusal names what is wrong: WORD|ARGUMENTS.
bad=0
while IFS='|' read -r word args; do
	# shellcheck disable=SC2086
	out=$("$TLBBENCH" describe $args 2>"$tmp/d.err")
	[ $? -eq 2 ] && [ -z "$out" ] && [ "$(wc -l <"$tmp/d.err")" -eq 1 ] &&
		grep -q "^tlbbench: describe.*$word" "$tmp/d.err" || bad=1
done <<TABLE
--samples|set $tmp/d.json
'x' is not a config line|set $tmp/d.json --config c --git-revision r --started s --finished f --status complete --runs 1 --samples $tmp/d.samples --kernel-reports $tmp/d.reports --failed x
'done' is not complete|set $tmp/d.json --config c --git-revision r --started s --finished f --status done --runs 1 --samples $tmp/d.samples --kernel-reports $tmp/d.reports
nosuch: No such file|set $tmp/d.json --config c --git-revision r --started s --finished f --status complete --runs 1 --samples $tmp/nosuch --kernel-reports $tmp/d.reports
--vcpus: '0'|qemu --qemu v --arch x86_64 --accel tcg --vcpus 0 --memory 1G
needs --qemu|qemu --arch x86_64
nosuch: No such file|guest $tmp/nosuch $tmp/d.json
needs GUEST and QEMU|guest $tmp/d.samples
'bogus' (qemu, guest or set)|bogus
TABLE
[ $bad -eq 0 ]
ok $? "describe refuses bad arguments in one line naming what is wrong, exit 2, nothing written ($(cat "$tmp/d.err"))"
"$TLBBENCH" describe qemu --qemu "QEMU emulator version 8" --arch x86_64 \
	--accel tcg --vcpus 2 --memory 1G --seconds 0 --append " quiet" \
	--disk "" --disk-kind virtio --disk-fs ext4 --disk-device "" \
	>"$tmp/q.json" &&
	jq -e '.emulated == true and .vcpus == 2 and .seconds == 0 and
		.disk == null and .disk_kind == null and .disk_device == null' \
		"$tmp/q.json" >/dev/null &&
	"$TLBBENCH" describe guest "$tmp/d.json" "$tmp/q.json" |
	jq -e '.emulated == true and .qemu.accel == "tcg" and
		.host.tlbbench != null and .kernel != null' >/dev/null
ok $? "describe qemu and describe guest: QEMU's machine, emulated, the host beside"

# report --format json, what the scripts read: failed lines, more
# metrics per line, and a set whose every line failed (the text refuses
# it: it has no line to show).
rm -rf "$tmp/e" && cp -r "$tmp/results/one" "$tmp/e" &&
	: >"$tmp/e/samples.jsonl" &&
	jq '.failed_lines = [3, 4] | .status = "incomplete"' \
		"$tmp/results/one/system.json" >"$tmp/e/system.json" &&
	"$TLBBENCH" report --format json "$tmp/e" |
	jq -e '.lines == [] and .failed_lines == [3, 4]' >/dev/null &&
	! "$TLBBENCH" report "$tmp/e" >/dev/null 2>&1 &&
	"$TLBBENCH" report --format json --metrics tlb_flush.total,ns \
		"$tmp/results/one" |
	jq -e '[.lines[] | (.metrics.ns.values | length) == .samples and
		(.metrics["tlb_flush.total"] // .unsupported["tlb_flush.total"]
		 != null)] | all and length == 2' >/dev/null &&
	err=$("$TLBBENCH" report --metrics ns "$tmp/results/one" 2>&1 >/dev/null)
[ $? -eq 2 ] && [ "$err" = "tlbbench: report: --metrics: with --format json only" ] &&
	err=$("$TLBBENCH" report --format json --metrics ns,sent/x \
		"$tmp/results/one" 2>&1 >/dev/null)
[ $? -eq 2 ] && [ "$err" = "tlbbench: report: --metrics: 'sent/x' is not a metric" ]
ok $? "report --format json: failed lines, --metrics, a set whose every line failed ($err)"

# Under --kernel, lines on a disk-backed file without --disk are refused
# before anything boots, as tlbbench plan --needs-disk reads them: both
# spellings of --backing file, and the workloads whose preset is a file.
printf '%s\n' "munmap --size 4M --threads 1 --reps 1 --warmup 0" \
	"race --duration 2" "integrity --duration 2" \
	"munmap --size 4M --threads 1 --reps 1 --warmup 0 --backing=file" \
	"msync-munmap --size 4M --threads 1 --reps 1 --warmup 0" \
	"integrity --duration 2 --backing tmpfs" >"$tmp/nodisk.config"
# An image that is a bzImage to look at: "HdrS" at byte 514.
head -c 514 /dev/zero >"$tmp/vmlinuz" && printf HdrS >>"$tmp/vmlinuz"
blocker=$("$srcdir/guest/boot" --check --kernel "$tmp/vmlinuz" 2>&1)
if [ -n "$blocker" ]; then
	skip "--kernel without --disk refused before a boot" "$blocker"
	skip "--disk and --mem take 1g, and nothing but a size" "$blocker"
else
	err=$(rb --config "$tmp/nodisk.config" --kernel "$tmp/vmlinuz" \
		nodisk 2>&1)
	[ $? -eq 2 ] && [ "$err" = "run-bench: --kernel: line(s) 2, 3, 4, 5 of the config run on a disk-backed file: give --disk SIZE (e.g. 1G)" ] &&
		[ ! -e "$tmp/results/nodisk" ]
	ok $? "--kernel without --disk: lines on a disk-backed file refused before a boot ($err)"
	"$srcdir/guest/boot" --check --kernel "$tmp/vmlinuz" --disk 1g \
		--mem 512m &&
		err=$("$srcdir/guest/boot" --check --kernel "$tmp/vmlinuz" \
			--disk '1+cpus[$(touch '"$tmp"'/PWNED)]M' 2>&1)
	[ $? -eq 2 ] && [ ! -e "$tmp/PWNED" ] &&
		[ "$err" = "run-bench: --disk: '1+cpus[\$(touch $tmp/PWNED)]M' is not a size like 1G" ]
	ok $? "--disk and --mem take 1g as --size does, and nothing but a size ($err)"
fi
done_testing
