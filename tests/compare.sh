#!/bin/sh
# tlbbench compare and ./compare-bench on two real result sets kept as
# fixtures (ab-ext4, ab-tmpfs: the same config with the backing files on
# ext4 and on tmpfs), against golden output, and its refusals.  After a
# deliberate change of the output, regenerate the golden files with
#   cd tests/fixtures && ../../tlbbench compare [--format F] ab-ext4 ab-tmpfs
. "$TESTLIB"

make_tmp
A=$FIXTURES/ab-ext4
B=$FIXTURES/ab-tmpfs

golden() {	# golden FILE DESCRIPTION ARGS...
	file=$1
	what=$2
	shift 2
	"$TLBBENCH" compare "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ $status -eq 0 ] &&
	   diff -u "$FIXTURES/$file" "$tmp/out" >"$tmp/diff"; then
		ok 0 "$what matches $file"
	else
		ok 1 "$what matches $file (status $status: $(cat "$tmp/err"))"
		diag "$(head -n 40 "$tmp/diff")"
	fi
}

golden compare-ab.txt "text" "$A" "$B"
golden compare-ab.md "markdown" --format markdown "$A" "$B"
golden compare-ab.csv "csv" --format=csv "$A" "$B"
golden compare-ab.json "json" "$A" "$B" --format json
golden compare-aba.txt "text, two new sets" "$A" "$B" "$A"
golden compare-vary-dirty.txt "--vary dirty" --vary dirty "$A"

"$TLBBENCH" compare "$A" "$B" "$A" >"$tmp/out"
sed 's/±/+/g' "$FIXTURES/compare-ab.txt" "$tmp/out" |
	awk 'length > 80 { bad = 1; print "# " $0 } END { exit bad }'
ok $? "text fits 80 columns"
! grep -q ' $' "$FIXTURES/compare-ab.txt" "$tmp/out"
ok $? "text has no trailing blanks"

# JSON: valid, the same after a trip through jq, and what it says.
"$TLBBENCH" compare --format json "$A" "$B" >"$tmp/json"
jq -S . "$tmp/json" >"$tmp/a" &&
	jq -S . "$FIXTURES/compare-ab.json" >"$tmp/b" &&
	jq -c . "$tmp/json" | jq -S . | cmp -s - "$tmp/a" &&
	cmp -s "$tmp/a" "$tmp/b"
ok $? "json round-trips through jq"
jq -e '(.blocks | length) == 3 and .sets[1].status == "incomplete"
	and .unmatched[0].line == 5
	and (.blocks[2].metrics[0].columns[1] | .median == 528
	     and .change_pct == 3200)
	and (.blocks[2].notes | index("mapped differently: A pmd, B 4k"))' \
	"$tmp/json" >/dev/null
ok $? "json: 3 blocks, B incomplete, line 5 unmatched, thp 16 -> 528/GiB"

# Whole runs (integrity, race): their own figures and verdict, no
# flushes per GiB or us/op, no interval or p.
ref=$srcdir/results/reference
"$TLBBENCH" compare "$ref/6.1-stock" "$ref/6.1-mutant" >"$tmp/out" &&
	sed -n '/^race --duration 60 --zap madvise --hot end$/,/^$/p' \
		"$tmp/out" >"$tmp/race" &&
	grep -q '^  lost writes  *0  *-  *[1-9][0-9]*  *from 0  -$' "$tmp/race" &&
	grep -q '^  verdict  *pass  *lost$' "$tmp/race" &&
	grep -q '^  windows ' "$tmp/race" &&
	! grep -q 'sent/GiB\|us/op' "$tmp/race" &&
	sed -n '/^integrity --duration 60 --zap madvise$/,/^$/p' \
		"$tmp/out" | grep -q '^  raced,checked .*\n*' &&
	grep -q '^race lines are whole runs\|; race lines are whole runs' "$tmp/out"
ok $? "whole runs: lost writes, windows and verdict per set, no flush or time rows"
cp -r "$ref/6.1-mutant" "$tmp/emu-mutant"
jq '. + {emulated: false}' "$ref/6.1-mutant/system.json" \
	>"$tmp/emu-mutant/system.json"
"$TLBBENCH" compare "$ref/6.1-stock" "$tmp/emu-mutant" >"$tmp/out" &&
	sed -n '/^race --duration 60 --zap madvise --hot end$/,/^$/p' \
		"$tmp/out" >"$tmp/race" &&
	grep -q '^  attempts  *[0-9]*  *-  *[0-9]*  *kind  -$' "$tmp/race" &&
	grep -q '^  lost writes  *0  *-  *[1-9][0-9]*  *from 0  -$' "$tmp/race"
ok $? "whole runs of another kind: work done in the time not compared, lost writes are"
"$TLBBENCH" compare --format json "$ref/6.1-stock" "$ref/6.1-mutant" |
	jq -e '[.blocks[] | select(.whole_run)] | length > 0 and all(.[];
		(.metrics | map(.metric) | index("sent/GiB") | not)
		and (.verdicts.A | type) == "string"
		and all(.metrics[].columns[1]; (has("p") | not) or .p == null))' \
	>/dev/null
ok $? "whole runs, json: their figures, verdicts per column, no p"

# Lines match by their effective options: a default left out, options in
# another order; a line that still matches nothing names its near miss.
cp -r "$B" "$tmp/rewritten"
jq -c '.config_line |= (sub("--pages thp --dirty all --reps 5"; "--dirty all --pages thp")
	| sub("--threads 2 --backing tmpfs"; "--backing tmpfs --threads 2")
	| sub("--pages 4k --dirty all --reps 8"; "--pages 4k --dirty all --reps 7"))' \
	"$B/samples.jsonl" >"$tmp/rewritten/samples.jsonl"
"$TLBBENCH" compare "$A" "$tmp/rewritten" >"$tmp/out" 2>&1 &&
	[ "$(grep -c '^munmap ' "$tmp/out")" -eq 2 ] &&
	grep -q '^munmap --size 64M --threads 2 --backing file --pages thp --dirty all --reps 5$' "$tmp/out" &&
	[ "$(tr -s '\n ' '  ' <"$tmp/out" | grep -o 'note: B line [0-9]* is written `[^`]*`: the same run' |
		wc -l)" -eq 2 ] &&
	tr -s '\n ' '  ' <"$tmp/out" |
	grep -q ' A:4 munmap [^(]*(in no other set; nearest: B line 4, which differs in --reps 8/7)'
ok $? "a default left out and options reordered still match; a near miss is named"

# One unit per quantity: report and compare give the same medians,
# flushes per GiB (or per operation) and µs per operation.
agree() {	# agree PER: report --per PER against compare's medians
	"$TLBBENCH" compare --format json --metrics "sent/$1,recv/$1,us/op" \
		"$A" "$B" | jq -r '.blocks[] | [.metrics[0].columns[0].line,
		(.metrics[].columns[0].median)] | @tsv' >"$tmp/c.tsv"
	"$TLBBENCH" report --per "$1" "$A" | awk '!/^#/ && !/^ *#/ &&
		$2 == "munmap" { print $1 "\t" $9 "\t" $10 "\t" $13 }' \
		>"$tmp/r.tsv"
	[ -s "$tmp/c.tsv" ] && awk -F'\t' 'NR == FNR { r[$1] = $0; next }
		{ split(r[$1], x, "\t"); if (!($1 in r)) bad = 1
		  for (i = 2; i <= 4; i++)
			if (x[i] - $i > 0.5 || $i - x[i] > 0.5) bad = 1 }
		END { exit bad }' "$tmp/r.tsv" "$tmp/c.tsv"
}
agree GiB && agree op &&
	"$TLBBENCH" report "$A" | grep -q '^# medians: counts per GiB of region, us/op = µs per operation$' &&
	"$TLBBENCH" compare "$A" "$B" | grep -q '^  us/op '
ok $? "report and compare agree: counts per GiB or per op, µs per operation"

# report --format json: the text's medians, each sample's value, a name
# per run however its line was written (two runs alike: their line,
# then their place), model verdicts, lost writes and kernel reports.
"$TLBBENCH" report --format json "$A" >"$tmp/r.json" &&
	"$TLBBENCH" report "$A" | awk '!/^#/ && !/^ *#/ && $2 == "munmap" {
		print $1 "\t" $9 "\t" $10 "\t" $13 }' >"$tmp/r.tsv" &&
	jq -r '.lines[] | [.line, .metrics["sent/GiB", "recv/GiB",
		"us/op"].median] | @tsv' "$tmp/r.json" >"$tmp/j.tsv" &&
	[ "$(wc -l <"$tmp/j.tsv")" -eq 4 ] &&
	awk -F'\t' 'NR == FNR { r[$1] = $0; next }
		{ split(r[$1], x, "\t"); if (!($1 in r)) bad = 1
		  for (i = 2; i <= 4; i++)
			if (x[i] - $i > 0.05 || $i - x[i] > 0.05) bad = 1 }
		END { exit bad }' "$tmp/r.tsv" "$tmp/j.tsv" &&
	jq -e '[.lines[] | .samples == (.metrics[] | .values | length)] |
		all and length == 16' "$tmp/r.json" >/dev/null &&
	jq -e '[.lines[].metrics["sent/GiB"] | .median ==
		(.values | sort | .[length / 2 | floor])] | all' "$tmp/r.json" \
		>/dev/null &&
	[ "$(jq -r '[.lines[].run] | join(" ")' "$tmp/r.json")" = \
		"munmap-64M-tmpfs-4k-all-2t munmap-64M-file-4k-all-2t munmap-64M-file-4k-none-2t munmap-64M-file-thp-all-2t" ] &&
	[ "$("$TLBBENCH" report --format json "$FIXTURES/sweep" |
		jq -r '[.lines[].run] | join(" ")')" = \
		"munmap-64M-tmpfs-4k-all-2t-l3 munmap-128M-tmpfs-4k-all-2t munmap-64M-tmpfs-4k-per-table-2t-l4 munmap-128M-tmpfs-4k-per-table-2t munmap-64M-tmpfs-4k-all-1t munmap-64M-tmpfs-4k-all-2t-l5 munmap-64M-tmpfs-4k-per-table-1t munmap-64M-tmpfs-4k-per-table-2t-l6" ] &&
	"$TLBBENCH" report --format json "$ref/6.12-deferred-dirty" |
	jq -e '.kernel_reports == 1 and .reports[0].line == 12 and
		.reports[0].kind == "WARNING" and
		(.lines[0].model == {"batched": 5}) and
		([.lines[] | select(.whole_run) | .verdict] | unique) ==
			["pass"] and
		(.lines[] | select(.run == "integrity-4M-file-4k-2t-madvise") |
			.lost_writes == 0 and .integrity.writes > 0)' \
		>/dev/null &&
	"$TLBBENCH" report --format json "$ref/6.12-mutant" |
	jq -e '[.lines[] | select(.whole_run) | .lost_writes] ==
		[1, 0, 1024, 1371, 1012]' >/dev/null &&
	err=$("$TLBBENCH" report --format xml "$A" 2>&1 >/dev/null)
[ $? -eq 2 ] && [ "$err" = "tlbbench: report: --format: 'xml' is not text or json" ]
ok $? "report --format json: the medians of the text, per-sample values, run names, verdicts and reports"

# Preemptions: the lines whose zapping thread or helpers were switched
# out, how many samples and the most; none in a set that records none.
mkdir -p "$tmp/pre" && cp "$A/system.json" "$A/config" "$tmp/pre/" &&
	jq -c 'if .config_line | endswith("--reps 6") then
		.preempted = (if .rep < 2 then 3 - .rep else 0 end) |
		.helpers_preempted = (if .rep == 5 then 1 else 0 end)
		else . end' "$A/samples.jsonl" >"$tmp/pre/samples.jsonl" &&
	"$TLBBENCH" report "$tmp/pre" >"$tmp/out" &&
	grep -qx '#   line 3: the zapping thread in 2 of 6 (at most 3), helpers in 1 (at most 1)' "$tmp/out" &&
	[ "$(grep -c '^#   line' "$tmp/out")" = 1 ] &&
	! "$TLBBENCH" report "$A" | grep -q '^# preempted'
ok $? "report names the lines whose zapper or helpers were preempted ($(grep -A2 '^# preempted' "$tmp/out" | tail -n 1))"

# A trailing slash names the same set, and its files without "//".
"$TLBBENCH" compare "$A/" "$B/" >"$tmp/out" 2>&1 &&
	cmp -s "$tmp/out" "$FIXTURES/compare-ab.txt" &&
	err=$("$TLBBENCH" compare "$A/" "$tmp/nosuch/" 2>&1)
[ $? -eq 2 ] && case $err in *"nosuch/system.json: "*) true ;; *) false ;; esac &&
	! case $err in *//*) true ;; *) false ;; esac
ok $? "a set named with a trailing slash: same table, no // in messages ($err)"

# The script: NAME under $TLBBENCH_RESULTS, or a path.
TLBBENCH_RESULTS=$FIXTURES "$srcdir/compare-bench" ab-ext4 "$B" >"$tmp/out" &&
	cmp -s "$tmp/out" "$FIXTURES/compare-ab.txt"
ok $? "compare-bench resolves NAME in \$TLBBENCH_RESULTS"

"$TLBBENCH" compare --metrics 'sent,tlb_flush.total/op,ns/op' "$A" "$B" \
	>"$tmp/out" 2>&1 &&
	grep -q '^  sent ' "$tmp/out" &&
	grep -q '^  tlb_flush.total/op$' "$tmp/out"
ok $? "--metrics takes counters, /op and aliases"

# Warnings: another machine, idle noise above 1% of a count.
cp -r "$B" "$tmp/other"
jq '.cpu_model = "AMD EPYC 9B45" | .cpus_online = 4' "$B/system.json" \
	>"$tmp/other/system.json"
"$TLBBENCH" compare "$A" "$tmp/other" >"$tmp/out" &&
	grep -q '^warning: A and B ran on different CPU models' "$tmp/out" &&
	grep -q '^warning: A and B ran with different CPU counts: 2 vs 4' \
	"$tmp/out"
ok $? "different machines are warned about"
# An emulated guest against native hardware: counts are compared, times
# are shown with no change, interval, p or mark, and a note says why.
cp -r "$B" "$tmp/guest"
jq '. + {emulated: true, host: {kernel: .kernel}, qemu: {accel: "tcg", qemu: "QEMU emulator version 8.2.2 (Debian 1:8.2.2)", memory: "1G"}}' "$B/system.json" \
	>"$tmp/guest/system.json"
"$TLBBENCH" compare "$A" "$tmp/guest" >"$tmp/out" &&
	grep -q '^\*\*\* Times are not compared: B against A: B ran emulated, A' \
		"$tmp/out" &&
	[ "$(grep -c '^  us/op  *[0-9.]*  *[0-9.]*%  *[0-9.]*  *kind  -$' \
		"$tmp/out")" -eq 3 ] &&
	grep -q '^  sent/GiB .*+3200%  exact  *!$' "$tmp/out"
ok $? "emulated vs native: times shown without change or p, counts compared, a note says why"
"$TLBBENCH" compare --format json "$A" "$tmp/guest" | jq -e '
	(.times_not_compared | test("B ran emulated, A did not"))
	and all(.blocks[]; (.metrics[2].columns[1] | (has("p") | not)
		and .not_compared == "B ran emulated, A did not")
	    and (.metrics[0].columns[1] | has("change_pct")))' >/dev/null
ok $? "emulated vs native, json: times_not_compared, no p for times"
"$TLBBENCH" compare --format csv "$A" "$tmp/guest" |
	awk -F, '$3 == "us/op" && ($NF != "" || $(NF-1) != "not-compared-kind") { bad = 1 }
		END { exit bad }'
ok $? "emulated vs native, csv: times not-compared-kind, no mark"
"$TLBBENCH" compare "$A" "$tmp/other" >"$tmp/out" &&
	grep -q '^\*\*\* Times are not compared: B against A: other CPU models; other' \
		"$tmp/out" && ! grep -q '^  us/op .*\*' "$tmp/out"
ok $? "another CPU model and count: times not compared either"
"$TLBBENCH" compare "$A" "$A" >"$tmp/out" &&
	! grep -q 'not compared' "$tmp/out" && grep -q '^  us/op .*%  *\[' "$tmp/out"
ok $? "one kind of machine: times compared"

# Markdown to paste into a posting: no command line, no stray line, no
# blank header, the machine in the header, the definitions below.
"$TLBBENCH" compare --format markdown "$A" "$tmp/guest" >"$tmp/md" 2>&1
! grep -q 'cmdline' "$tmp/md" && ! grep -qx '\\' "$tmp/md" &&
	! grep '^| set \|^| # ' "$tmp/md" | grep -q '| |' &&
	grep -q '^| # | line | metric | A | ± | n | B | ± | n | change | 95% CI | p |$' "$tmp/md" &&
	grep -q '^| B | guest | .* | 2026-11-25 22:28 UTC; 1G memory; THP madvise, shmem never; mitigations=auto,no_guest_host,no_guest_guest, no PTI, 2 vulnerable; guest of host kernel 6.18.44-fc-v669, QEMU 8.2.2 tcg |' "$tmp/md" &&
	grep -q '^> \*\*Times are not compared: B against A: B ran emulated' "$tmp/md" &&
	grep -q "^| | | us/op | .* | kind | - | - |$" "$tmp/md" &&
	grep -q '^- sent/GiB: flushes sent with IPIs' "$tmp/md" &&
	[ "$(grep -c '^|' "$tmp/md")" -eq $((4 + 2 + 9)) ]
ok $? "markdown: one table, no cmdline, no blank header, machine and host in the header, definitions below"
"$TLBBENCH" compare --format markdown "$A" "$B" "$A" |
	grep -q '^| # | line | metric | A | ± | n | new | median |'
ok $? "markdown with two new sets: a row per set, its letter under 'new'"

cp -r "$B" "$tmp/noisy"
jq -c 'if .line == 3 then .noise["tlb_flush.remote_send_ipi"] = 2 else . end' \
	"$B/samples.jsonl" >"$tmp/noisy/samples.jsonl"
"$TLBBENCH" compare "$A" "$tmp/noisy" >"$tmp/out" &&
	grep -q 'note: B sent/GiB: idle-window noise 32 is 6.1% of the median' \
	"$tmp/out"
ok $? "noise above 1% of a count is noted"

# Scopes: a set counted per process against the fixtures (which record
# no scope: they counted the workload's threads per CPU).  Counts are not
# compared, times are; one note says why.
cp -r "$B" "$tmp/process"
jq -c '. + {scope: "process", scope_fallback: "system-wide counting needs root or CAP_PERFMON (perf_event_paranoid=2): counting per process"}' \
	"$B/samples.jsonl" >"$tmp/process/samples.jsonl"
"$TLBBENCH" compare "$A" "$tmp/process" >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 0 ] &&
	[ "$(grep -c '^  note: counts not compared: scope B process vs A threads; times are$' "$tmp/out")" -eq 3 ] &&
	grep -q '^  sent/GiB  *[0-9]*  *[0-9.]*%  *[0-9]*  *scope  -$' "$tmp/out" &&
	grep -q '^  us/op  .*%  *\[' "$tmp/out"
ok $? "process vs threads: exit $status, counts not compared, times are ($(cat "$tmp/err"))"
"$TLBBENCH" compare --format json "$A" "$tmp/process" | jq -e '
	"scope B process vs A threads" as $why
	| (.blocks | length) == 3 and all(.blocks[];
	  .counts_not_compared == $why
	  and (.metrics[0].columns[0].scope == "threads")
	  and (.metrics[0].columns[1] | .scope == "process"
	       and .not_compared == $why and (has("change_pct") | not))
	  and (.metrics[2].columns[1] | has("change_pct")))' >/dev/null
ok $? "process vs threads, json: counts_not_compared, no change for counts"
# Recorded "threads" is what no record of scope meant; "system" is not.
jq -c '. + {scope: "threads"}' "$B/samples.jsonl" >"$tmp/process/samples.jsonl"
"$TLBBENCH" compare "$A" "$tmp/process" >"$tmp/out" &&
	! grep -q 'not compared' "$tmp/out"
ok $? "a set without scope compares with one recording threads"
jq -c '.params.scope = "system"' "$B/samples.jsonl" >"$tmp/process/samples.jsonl"
"$TLBBENCH" compare "$A" "$tmp/process" >"$tmp/out" &&
	grep -q 'counts not compared: scope B system vs A threads' "$tmp/out"
ok $? "an old set run with --scope system is not compared with threads"

# Corrupt or foreign input: exit 2, one line naming the file (and line).
corrupt() {	# corrupt WHAT DESCRIPTION: the set is $tmp/c
	err=$("$TLBBENCH" compare "$A" "$tmp/c" 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in *"$1"*) true ;; *) false ;; esac
	ok $? "refuses $2 ($err)"
}
fresh() {
	rm -rf "$tmp/c" && cp -r "$B" "$tmp/c"
}
samples() {	# samples JQ: rewrite the samples with a jq filter
	fresh
	jq -c "$1" "$B/samples.jsonl" >"$tmp/c/samples.jsonl"
}
fresh; : >"$tmp/c/samples.jsonl"
corrupt "c/samples.jsonl: no samples" "an empty samples file"
fresh; { head -n 1 "$B/samples.jsonl"; sed -n 2p "$B/samples.jsonl" |
	head -c 300; } >"$tmp/c/samples.jsonl"
corrupt "c/samples.jsonl:2: truncated line" "a truncated file"
fresh; printf '{"line": 3, "ns": }\n' >"$tmp/c/samples.jsonl"
corrupt "c/samples.jsonl:1: not JSON" "broken JSON"
fresh; echo '"hello"' >"$tmp/c/samples.jsonl"
corrupt "c/samples.jsonl:1: not a JSON object" "a foreign value"
samples 'del(.ops)'
corrupt "c/samples.jsonl:1: missing or mistyped field ops" "no ops"
samples 'del(.params.size_bytes)'
corrupt "c/samples.jsonl:1: missing or mistyped field params.size_bytes" \
	"no region size"
samples 'del(.mapping.granularity)'
corrupt "c/samples.jsonl:1: missing or mistyped field mapping.granularity" \
	"no mapping granularity"
samples '.counters["tlb_flush.total"] = "99"'
corrupt "c/samples.jsonl:1: field counters.tlb_flush.total is not an integer" \
	"a string count"
samples '.ns = 1.5'
corrupt "c/samples.jsonl:1: missing or mistyped field ns" "a fractional ns"
samples '.ops = 0'
corrupt "c/samples.jsonl:1: field ops out of range" "zero ops"
samples '.scope = 3'
corrupt "c/samples.jsonl:1: missing or mistyped field scope" "a numeric scope"
fresh; : >"$tmp/c/system.json"
corrupt "c/system.json: not JSON" "an empty system.json"
fresh; head -c 200 "$B/system.json" >"$tmp/c/system.json"
corrupt "c/system.json: not JSON" "a truncated system.json"
fresh; echo '{"name": "fio", "jobs": []}' >"$tmp/c/system.json"
corrupt "c/system.json: not a tlbbench system description" \
	"a foreign system.json"
fresh; jq '.cpus_online = "2"' "$B/system.json" >"$tmp/c/system.json"
corrupt "c/system.json: missing or mistyped field cpus_online" \
	"a string CPU count"
fresh; rm "$tmp/c/samples.jsonl"
corrupt "c/samples.jsonl: No such file" "a set without samples"

# Bad options: exit 2, one line naming the option.
bad() {	# bad WHAT ARGS...
	what=$1
	shift
	err=$("$TLBBENCH" compare "$@" 2>&1 >/dev/null)
	status=$?
	[ $status -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in *"$what"*) true ;; *) false ;; esac
	ok $? "refused: compare $* ($err)"
}
bad --format --format xml "$A" "$B"
bad --format "$A" "$B" --format
bad --bogus --bogus "$A" "$B"
bad --metrics --metrics '' "$A" "$B"
bad --metrics --metrics 'sent/GiB/op' "$A" "$B"
bad --metrics --metrics 'no_such.counter' "$A" "$B"
bad --metrics --metrics 'attr.*' "$A" "$B"
bad --metrics --metrics 'no_such.*/GiB' "$A" "$B"
bad --vary --vary dirty "$A" "$B"
bad --vary --vary nosuch "$A"
bad BASE "$A"
err=$("$srcdir/compare-bench" --vary 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in *--vary*) true ;; *) false ;; esac
ok $? "compare-bench refuses --vary without a value ($err)"

"$TLBBENCH" compare --help | grep -q '^usage: tlbbench compare'
ok $? "compare --help"
# A kernel that warned is named beside the line it warned on, and in
# its set's description, in text and markdown.
"$TLBBENCH" compare "$ref/6.12-stock" "$ref/6.12-deferred-dirty" \
	>"$tmp/out" &&
	sed -n '/^integrity --duration 60 --zap munmap-remap$/,/^$/p' \
		"$tmp/out" | tr '\n' ' ' | tr -s ' ' |
		grep -q 'note: B kernel reports: 1; first: WARNING: .*ext4_dirty_folio' &&
	[ "$(grep -c 'kernel reports:' "$tmp/out")" -eq 1 ] &&
	grep -q 'kernel log: 0 reports' "$tmp/out" &&
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' | grep -q 'kernel log: 1 report;' &&
	"$TLBBENCH" compare --format markdown "$ref/6.12-stock" \
		"$ref/6.12-deferred-dirty" | grep -q 'B kernel reports: 1; first: WARNING'
ok $? "kernel reports: beside their line and in the set, text and markdown"
# A set whose CPU offers INVLPGB may show no IPI for a flush: said.
mkdir "$tmp/inv" && cp -r "$ref/6.12-stock" "$tmp/inv/a" &&
	cp -r "$ref/6.12-stock" "$tmp/inv/b" &&
	jq '.invlpgb = true' "$ref/6.12-stock/system.json" \
		>"$tmp/inv/b/system.json" &&
	"$TLBBENCH" compare "$tmp/inv/a" "$tmp/inv/b" >"$tmp/out" 2>&1 &&
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' | grep -q 'warning: A and B differ in flush mechanism: B may broadcast flushes by INVLPGB, which IPI counts do not show' &&
	"$TLBBENCH" compare "$tmp/inv/a" "$ref/6.12-stock" >"$tmp/out" 2>&1 &&
	! grep -q INVLPGB "$tmp/out"
ok $? "sets that differ in INVLPGB are told apart, sets alike are not"
# A name under results/ may hold a slash; a directory is taken as given.
(cd "$tmp" && TLBBENCH_RESULTS=$srcdir/results "$srcdir/compare-bench" \
	reference/6.1-stock reference/6.12-stock) >"$tmp/out" 2>&1 &&
	grep -q '^A 6.1-stock (base)' "$tmp/out" && grep -q '^B 6.12-stock' "$tmp/out"
ok $? "compare-bench reference/6.1-stock reference/6.12-stock: names under results/ ($(head -n 1 "$tmp/out"))"
done_testing
