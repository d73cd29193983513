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
	[ "$(grep -c '^munmap ' "$tmp/out")" -eq 3 ] &&
	grep -q '^munmap --size 64M --threads 2 --backing file --pages thp --dirty all --reps 5$' "$tmp/out" &&
	[ "$(tr -s '\n ' '  ' <"$tmp/out" | grep -o 'note: B line [0-9]* is written `[^`]*`: the same run' |
		wc -l)" -eq 2 ] &&
	tr -s '\n ' '  ' <"$tmp/out" |
	grep -q 'note: B line 4 differs in how long it measured, not what: --reps 8/7 (A/B)' &&
	tr -s '\n ' '  ' <"$tmp/out" |
	grep -q ' A:5 munmap [^(]*(in no other set; nearest: B line 4, which differs in --dirty none/all, --reps 8/7 (and is matched already))'
ok $? "a default left out, options reordered, another --reps still match; a near miss is named"
# Lines that differ in every option of how long they measured match.
cp -r "$B" "$tmp/longer"
jq -c '.config_line |= sub("--reps 6"; "--reps auto --max-reps 9 --warmup 2 --target-ci 3")' \
	"$B/samples.jsonl" >"$tmp/longer/samples.jsonl"
"$TLBBENCH" compare "$A" "$tmp/longer" >"$tmp/out" 2>&1 &&
	tr -s '\n ' '  ' <"$tmp/out" |
	grep -q 'note: B line 3 differs in how long it measured, not what: --reps 6/auto, --max-reps -/9, --warmup 1/2, --target-ci -/3 (A/B)'
ok $? "--reps, --max-reps, --warmup and --target-ci do not keep lines apart ($(tr -s '\n ' '  ' <"$tmp/out" | grep -o 'note: B line 3 differs[^(]*'))"

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
	mkdir "$tmp/empty" &&
	err=$("$TLBBENCH" compare "$A/" "$tmp/empty/" 2>&1)
[ $? -eq 2 ] && case $err in *"empty/system.json: "*) true ;; *) false ;; esac &&
	! case $err in *//*) true ;; *) false ;; esac
ok $? "a set named with a trailing slash: same table, no // in messages ($err)"

# One resolution of a set's name everywhere: a directory, else a name
# under the results; an unknown one says where it looked and what is there.
TLBBENCH_RESULTS=$FIXTURES "$TLBBENCH" compare ab-ext4 ab-tmpfs \
	>"$tmp/out" 2>&1 && cmp -s "$tmp/out" "$FIXTURES/compare-ab.txt" &&
	TLBBENCH_RESULTS=$FIXTURES "$TLBBENCH" report ab-ext4 >"$tmp/out" &&
	grep -q '^# ab-ext4: kernel 6.18.44-fc-v669' "$tmp/out"
ok $? "compare and report take a NAME under \$TLBBENCH_RESULTS"
good=0
for cmd in "compare ab-ext4 nosuch" "report nosuch"; do
	# shellcheck disable=SC2086
	err=$(TLBBENCH_RESULTS=$FIXTURES "$TLBBENCH" $cmd 2>&1 >/dev/null)
	[ $? -eq 2 ] &&
		[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in "tlbbench: nosuch: no such result set (not a directory, nor in $FIXTURES, which holds: "*ab-ext4*runs-a*) true ;; *) false ;; esac &&
		good=$((good + 1))
done
[ $good -eq 2 ]
ok $? "an unknown set: where it looked, the sets there ($err)"

# Replicated runs (run-bench --runs 3, two sets of one kernel): times
# are tested on the runs' medians, the value is their geometric mean.
RA=$FIXTURES/runs-a
RB=$FIXTURES/runs-b
"$TLBBENCH" compare --format csv "$RA" "$RB" >"$tmp/runs.csv" &&
	awk -F, '$3 == "us/op" && $26 == "welch-t-run-medians" &&
		$28 == 3 && $30 == 3 && $32 > 0 { n++ }
		END { exit n != 2 }' "$tmp/runs.csv"
ok $? "runs: us/op tested on 3 runs a side (Welch), with the change found at 80% power"
# The geometric mean of the run medians, by hand.
gm=$(jq -s '[.[] | select(.line == 1)] | group_by(.run) |
	map(map(.ns / 1000) | sort | if length % 2 == 1 then .[length / 2 | floor]
	    else (.[length / 2 - 1] + .[length / 2]) / 2 end | log) |
	add / length | exp' "$RA/samples.jsonl")
awk -F, -v gm="$gm" '$1 == 1 && $3 == "us/op" {
	d = $29 - gm; exit !(d < 1e-6 * gm && d > -1e-6 * gm) }' "$tmp/runs.csv"
ok $? "runs: the value is the geometric mean of the runs' medians ($gm)"
"$TLBBENCH" compare "$RA" "$RB" >"$tmp/out" &&
	grep -q "^With several runs per side" "$tmp/out" &&
	! grep -q "^One run per side" "$tmp/out" &&
	grep -q "^  note: us/op: runs A 3, B 3; run to run A [0-9.]*%, B [0-9.]*%; the smallest change" "$tmp/out"
ok $? "runs: the table says how times were tested, and the noise floor of each line"
# Three sets of one run each per side, given as SET... -- SET...: the
# same numbers as the sets of three runs.
for side in a b; do
	for r in 1 2 3; do
		mkdir -p "$tmp/$side$r"
		cp "$FIXTURES/runs-$side/system.json" \
			"$FIXTURES/runs-$side/config" "$tmp/$side$r/"
		jq -c --argjson r $r 'select(.run == $r) | del(.run)' \
			"$FIXTURES/runs-$side/samples.jsonl" \
			>"$tmp/$side$r/samples.jsonl"
	done
done
"$TLBBENCH" compare --format csv "$tmp/a1" "$tmp/a2" "$tmp/a3" -- \
	"$tmp/b1" "$tmp/b2" "$tmp/b3" >"$tmp/merged.csv" &&
	cut -d, -f1-4,6-13,15- "$tmp/runs.csv" >"$tmp/x" &&
	cut -d, -f1-4,6-13,15- "$tmp/merged.csv" >"$tmp/y" &&
	cmp -s "$tmp/x" "$tmp/y" &&
	grep -q '"a1+a2+a3"' "$tmp/merged.csv"
ok $? "SET... -- SET...: one side of three one-run sets is three runs"
"$TLBBENCH" compare "$tmp/a1" -- "$tmp/a2" "$tmp/b3" >/dev/null 2>&1 &&
	"$TLBBENCH" compare -- "$tmp/a1" "$tmp/b1" >/dev/null 2>&1
ok $? "sides of unequal runs, and a leading -- that ends the options"
refusals=0
for bad in "-- -- $tmp/a1" "$tmp/a1 --" "$tmp/a1 -- -- $tmp/b1"; do
	# shellcheck disable=SC2086
	err=$("$TLBBENCH" compare --format csv $bad 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$err" = "tlbbench: compare: --: a side with no result set (SET... -- SET...)" ] &&
		refusals=$((refusals + 1))
done
[ $refusals -eq 3 ]
ok $? "an empty side is refused ($bad: $err)"
cp -r "$tmp/b1" "$tmp/b1-other"
jq '.kernel = "6.19.0"' "$tmp/b1/system.json" >"$tmp/b1-other/system.json"
"$TLBBENCH" compare "$tmp/a1" "$tmp/a2" -- "$tmp/b1" "$tmp/b1-other" \
	>"$tmp/out" 2>&1 &&
	grep -q "^warning: side B merges sets of different kernel: 6.18.44-fc-v1272 and 6.19.0" "$tmp/out"
ok $? "a side that mixes kernels is named"

# A set compared with itself, or with a copy of itself, is warned of.
cp -r "$A" "$tmp/copy"
"$TLBBENCH" compare "$A" "$A/" >"$tmp/out" 2>&1 &&
	tr -s '\n ' '  ' <"$tmp/out" | grep -q "warning: ab-ext4 and ab-ext4 are the same set: a set compared with itself shows no change" &&
	"$TLBBENCH" compare "$A" "$tmp/copy" >"$tmp/out" 2>&1 &&
	tr -s '\n ' '  ' <"$tmp/out" | grep -q "warning: ab-ext4 and copy are copies of one run" &&
	"$TLBBENCH" compare "$A" "$B" >"$tmp/out" 2>&1 &&
	! grep -q '^warning' "$tmp/out"
ok $? "a set compared with itself or its copy is warned of, two sets are not"

# The kernel model's verdict, the headline of a patch that removes
# force_flush: beside the counts in every format, with the predictions.
S=$srcdir/results/reference/6.12-stock
D=$srcdir/results/reference/6.12-deferred-dirty
"$TLBBENCH" compare "$S" "$D" >"$tmp/out" &&
	sed -n '/^munmap --size 256M --threads 2 --backing tmpfs --pages 4k --dirty all$/,/^$/p' \
		"$tmp/out" >"$tmp/block" &&
	grep -q '^  kernel model   A force_flush per page table (5 of 5): 130 flushes per op$' "$tmp/block" &&
	grep -q '^                 B batched (5 of 5): 7 flushes per op$' "$tmp/block" &&
	grep -q '^  predicted        force_flush <= 129, batched <= 8$' "$tmp/block"
ok $? "text: the kernel model's verdict of each set and its predictions ($(grep 'kernel model' "$tmp/block"))"
"$TLBBENCH" compare --format markdown "$S" "$D" >"$tmp/md" &&
	grep -q '^| | | kernel model | force_flush per page table (5 of 5): 130 flushes per op | | | batched (5 of 5): 7 flushes per op | | | | | |$' "$tmp/md" &&
	grep -q '^- #1: A kernel model predicted: force_flush <= 129, batched <= 8$' "$tmp/md"
ok $? "markdown: a kernel model row per line, the predictions in the notes"
"$TLBBENCH" compare --format csv "$S" "$D" |
	awk -F, '$1 == 1 && $3 == "sent/GiB" && $(NF-1) == "force_flush per page table" && $NF == "batched" { f = 1 } END { exit !f }' &&
	"$TLBBENCH" compare --format json "$S" "$D" |
	jq -e '.blocks[0].kernel_model | .A.verdict == "force_flush per page table"
		and .B.verdict == "batched" and .A.flushes_per_op == 130
		and .B.predict_batched == 8' >/dev/null
ok $? "csv and json: the verdict of each side"
"$TLBBENCH" compare --metrics verdict "$S" "$D" >"$tmp/out" &&
	grep -q '^  kernel model   A force_flush per page table' "$tmp/out" &&
	! grep -q '^  us/op' "$tmp/out" &&
	"$TLBBENCH" compare --metrics us/op "$S" "$D" >"$tmp/out" &&
	! grep -q 'kernel model' "$tmp/out"
ok $? "--metrics verdict: the verdict alone; a list without it leaves it out"
"$TLBBENCH" report "$S" >"$tmp/out" &&
	grep -q '^#   line 4: force_flush per page table (5 of 5): 130 flushes per op; predicted: force_flush <= 129, batched <= 8$' "$tmp/out" &&
	"$TLBBENCH" report "$D" | grep -q '^#   line 4: batched (5 of 5): 7 flushes per op'
ok $? "report: the kernel model's verdict per line"

# An integrity pass says what it proves; the same figure on both is "=".
"$TLBBENCH" compare "$S" "$D" >"$tmp/out" &&
	sed -n '/^integrity --duration 60 --zap madvise$/,/^$/p' "$tmp/out" \
		>"$tmp/block" &&
	grep -q '^  lost writes  *0  *-  *0  *+0.0%  exact  *=$' "$tmp/block" &&
	grep -q '^  verdict  *pass  *pass$' "$tmp/block" &&
	tr -s '\n ' '  ' <"$tmp/block" | grep -q 'note: an integrity pass proves little: a kernel that loses writes (the deferred-dirty prototype, under reclaim) passes these lines; a loss shows in the race lines' &&
	sed -n '/^race --duration 60 --zap madvise --hot end$/,/^$/p' \
		"$tmp/out" | grep -q '^  lost writes  *0  *-  *0  *+0.0%  exact  *=$'
ok $? "whole runs: 0 lost against 0 is =, an integrity pass says it proves little"

# report explains its tokens and says when times are an emulator's.
"$TLBBENCH" report "$S" >"$tmp/out" &&
	grep -q '^# emulated (QEMU TCG): times are the emulator.s, not a CPU.s; compare counts, not times$' "$tmp/out" &&
	grep -q '^# mapped = how the region was mapped' "$tmp/out" &&
	grep -q '^# counted on every CPU, whatever ran there (scope system) on line 11, ' "$tmp/out" &&
	"$TLBBENCH" report "$A" >"$tmp/out" && ! grep -q emulated "$tmp/out"
ok $? "report: an emulated set says its times are the emulator's; mapped and scope explained"

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
jq '. + {emulated: true, host: {kernel: .kernel, cpu_model: "AMD EPYC 7B13"}, qemu: {accel: "tcg", qemu: "QEMU emulator version 8.2.2 (Debian 1:8.2.2)", memory: "1G"}}' "$B/system.json" \
	>"$tmp/guest/system.json"
"$TLBBENCH" compare "$A" "$tmp/guest" >"$tmp/out" &&
	grep -q '^\*\*\* Times are not compared: B against A: B ran emulated, A' \
		"$tmp/out" &&
	[ "$(grep -c '^  us/op  *[0-9.]*  *[0-9.]*%  *[0-9.]*  *kind  -$' \
		"$tmp/out")" -eq 3 ] &&
	grep -q '^  sent/GiB .*+3200%  exact  *!$' "$tmp/out"
ok $? "emulated vs native: times shown without change or p, counts compared, a note says why"
tr -s '\n ' '  ' <"$tmp/out" | grep -q '"kind" in the change column: a time of another kind of machine than A.s (emulated, another CPU model or count), not compared' &&
	! grep -q '"scope" in the change column' "$tmp/out"
ok $? "the change column's \"kind\" is explained where it is used"
"$TLBBENCH" compare --format json "$A" "$tmp/guest" | jq -e '
	(.times_not_compared | test("B ran emulated, A did not"))
	and all(.blocks[]; (.metrics[2].columns[1] | (has("p") | not)
		and .not_compared == "B ran emulated, A did not")
	    and (.metrics[0].columns[1] | has("change_pct")))' >/dev/null
ok $? "emulated vs native, json: times_not_compared, no p for times"
"$TLBBENCH" compare --format csv "$A" "$tmp/guest" |
	awk -F, '$3 == "us/op" && ($27 != "" || $26 != "not-compared-kind") { bad = 1 }
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
	grep -q '^| B | guest | .* | 2026-11-25 22:28 UTC; 1G memory; THP madvise, shmem never; mitigations=auto,no_guest_host,no_guest_guest, no PTI, 2 CPU vulnerabilities not mitigated; guest of host kernel 6.18.44-fc-v669 on AMD EPYC 7B13, QEMU 8.2.2 tcg |' "$tmp/md" &&
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
# A set whose hypervisor flushed the other CPUs received nothing: said
# in compare (that set only) and in report (its lines).
mkdir "$tmp/hv" && cp -r "$ref/6.12-stock" "$tmp/hv/a" &&
	cp -r "$ref/6.12-stock" "$tmp/hv/b" &&
	jq -c 'if .workload == "munmap" then .remote_flush = "hypervisor"
		else . end' "$ref/6.12-stock/samples.jsonl" \
		>"$tmp/hv/b/samples.jsonl" &&
	"$TLBBENCH" compare "$tmp/hv/a" "$tmp/hv/b" >"$tmp/out" 2>&1 &&
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' | grep -q "warning: B's remote flushes were sent to the helpers' CPUs and none received: the hypervisor flushed them" &&
	! grep -q "A's remote flushes" "$tmp/out" &&
	"$TLBBENCH" report "$tmp/hv/b" >"$tmp/out" 2>&1 &&
	grep -q '^# remote flushes sent to the helpers.* CPUs, none received: the hypervisor flushed' "$tmp/out" &&
	grep -Eq '^#   line [0-9]+: [0-9]+ of [0-9]+ samples$' "$tmp/out" &&
	"$TLBBENCH" report "$tmp/hv/a" | { ! grep -q 'remote flushes'; }
ok $? "remote flushes by the hypervisor: compare warns of that set, report names its lines ($(grep -Em1 '^#   line [0-9]+: [0-9]+ of [0-9]+ samples$' "$tmp/out"))"
# A whole run's figures are its workload's (bench/race.c's .figures):
# its rows and their note, in every format.
"$TLBBENCH" compare "$ref/6.12-deferred-dirty-attacks" \
	"$ref/6.12-deferred-dirty-locked-attacks" >"$tmp/out" 2>&1 &&
	grep -Eq '^  lost writes +4 +- +0 +-100%' "$tmp/out" &&
	tr '\n' ' ' <"$tmp/out" | tr -s ' ' | grep -q 'race lines are whole runs, one record each: their own figures and verdict instead of the metrics, and no interval or p (attempts: long zaps with hot pages; windows: ' &&
	"$TLBBENCH" compare --format csv "$ref/6.12-deferred-dirty-attacks" \
	"$ref/6.12-deferred-dirty-locked-attacks" | grep -q 'stores in win'
ok $? "race lines are compared by race's own figures ($(grep -Em1 '^  lost writes' "$tmp/out"))"
# A name under results/ may hold a slash; a directory is taken as given.
(cd "$tmp" && TLBBENCH_RESULTS=$srcdir/results "$srcdir/compare-bench" \
	reference/6.1-stock reference/6.12-stock) >"$tmp/out" 2>&1 &&
	grep -q '^A 6.1-stock (base)' "$tmp/out" && grep -q '^B 6.12-stock' "$tmp/out"
ok $? "compare-bench reference/6.1-stock reference/6.12-stock: names under results/ ($(head -n 1 "$tmp/out"))"
done_testing
