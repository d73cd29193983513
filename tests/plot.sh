#!/bin/sh
# ./plot-bench and tlbbench plotdata on fixture result sets: every kind of
# figure is written as a valid PNG and SVG with its title, legend and
# footer; bad input is refused with one line.  Without gnuplot the
# figures are skipped and plot-bench must say it needs gnuplot.
. "$TESTLIB"

make_tmp
A=$FIXTURES/ab-ext4
B=$FIXTURES/ab-tmpfs
S=$FIXTURES/sweep
plot=$srcdir/plot-bench
: "${GNUPLOT:=gnuplot}"
export GNUPLOT

is_png() {	# the 8 signature bytes of RFC 2083
	[ -s "$1" ] &&
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
}

is_svg() {	# an XML document whose root element is <svg>
	[ -s "$1" ] || return 1
	root=$(sed -e 's/<?xml[^>]*?>//' -e 's/<!--[^>]*-->//g' \
		-e 's/<!DOCTYPE[^>]*>//' "$1" | tr -d '\n' |
		grep -o '^[[:space:]]*<[A-Za-z]*' | tr -d ' \t<')
	[ "$root" = svg ] && tail -c 16 "$1" | grep -q '</svg>'
}

has_text() {	# has_text FILE TEXT: TEXT is a text element's content
	grep -F ">$2<" "$1" >/dev/null
}

# Refusals: exit 2 and one line on stderr naming WHAT.
refused() {	# refused WHAT DESCRIPTION ARGS...
	what=$1
	desc=$2
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	status=$?
	[ $status -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in *"$what"*) true ;; *) false ;; esac
	ok $? "refuses $desc (status $status: $err)"
}

refused "--format: 'gif'" "a bad --format" "$plot" --format gif "$A" "$B"
refused "--format: needs a value" "--format without a value" \
	"$plot" "$A" "$B" --format
refused "--bogus: unknown option" "an unknown option" "$plot" --bogus "$A" "$B"
refused "--vary: '' is not a parameter" "an empty --vary" \
	"$plot" --vary '' "$S"
refused "plotdata: --vary: no line of sweep has a parameter 'colour'" \
	"--vary of no parameter" "$plot" --vary colour "$S"
refused "give BASE and at least one NEW" "one set without --vary" \
	"$plot" "$A"
refused "$tmp/none: no such result set" "a missing set" \
	"$plot" --out "$tmp/x" "$A" "$tmp/none"
mkdir "$tmp/bad" && cp "$B/system.json" "$tmp/bad/" &&
	head -c 300 "$B/samples.jsonl" >"$tmp/bad/samples.jsonl"
refused "bad/samples.jsonl:1: truncated line" "a truncated set" \
	"$plot" --out "$tmp/x" "$A" "$tmp/bad"
cp -r "$B" "$tmp/corrupt" && echo '{"tlbbench": 1}' >"$tmp/corrupt/system.json"
refused "corrupt/system.json: missing or mistyped field tlbbench" \
	"a corrupt system.json" "$plot" --out "$tmp/x" "$A" "$tmp/corrupt"
refused "--out: needs a value" "tlbbench plotdata without --out's value" \
	"$TLBBENCH" plotdata "$A" "$B" --out
refused "--out DIR" "tlbbench plotdata without --out" \
	"$TLBBENCH" plotdata "$A" "$B"
refused "gnuplot not found" \
	"to draw without gnuplot" env GNUPLOT=/nonexistent/gnuplot \
	"$plot" --out "$tmp/x" "$A" "$B"
[ ! -e "$tmp/x" ]
ok $? "refusals write nothing"

# The data: what the figures are drawn from.
"$TLBBENCH" plotdata --out "$tmp/data" "$A" "$B" &&
	[ "$(cat "$tmp/data/figures")" = "flushes flushes
latency latency
reasons reasons
change change" ]
ok $? "plotdata, two sets: flushes, latency, reasons, change"
grep -q "^sname\[2\] = 'B: 6.18.44-fc-v669 (ab-tmpfs)'$" "$tmp/data/flushes.gp" &&
	grep -q "^subtitle = 'munmap --size 64M --threads 2 --dirty all'$" \
	"$tmp/data/flushes.gp" &&
	grep -q '^3	--backing file|--pages thp$' "$tmp/data/flushes.tics.tsv"
ok $? "plotdata: legend by kernel and set, common options, line labels"
# thp: A sent 16/GiB, B 528/GiB (line 6), counts the same in every
# sample: +3200%, exact, significant.
awk -F'\t' '$1 == 1 && $2 == 1 && $4 == 33 && $8 == 1 && $9 == "+3200% !" {
	found = 1 } END { exit !found }' "$tmp/data/change.tsv"
ok $? "plotdata: thp flushes +3200% (B/A = 33), exact and significant"

# B counted per process, A per CPU: no change bar for counts, said in
# the footer and on stderr; times keep theirs.
mkdir "$tmp/process" && cp "$B/system.json" "$tmp/process/" &&
	jq -c '. + {scope: "process"}' "$B/samples.jsonl" \
	>"$tmp/process/samples.jsonl"
"$TLBBENCH" plotdata --out "$tmp/scope" "$A" "$tmp/process" \
	2>"$tmp/scope.err" &&
	grep -qx 'tlbbench: plotdata: counts not compared on 3 lines: scope B process vs A threads' \
	"$tmp/scope.err" &&
	grep -q "^footer = '.*'\.\"\\\\n\"\.'counts not compared on 3 lines: scope B process vs A threads'$" \
	"$tmp/scope/change.gp" &&
	awk -F'\t' '$1 == 1 || $1 == 2 { bad = 1 } $1 == 3 { time = 1 }
		END { exit bad || !time }' "$tmp/scope/change.tsv"
ok $? "plotdata: counts of another scope get no change bar, and it says so"

if ! command -v "$GNUPLOT" >/dev/null 2>&1; then
	for what in "two sets" "--vary with sweeps" "an emulated set" \
		"hostile sets"; do
		skip "plot-bench draws $what" "gnuplot not found"
	done
	done_testing
fi

# figures FILE: every path printed is a valid figure; their base names.
figures() {
	bad=0
	while read -r f; do
		case $f in
		*.png) is_png "$f" || { diag "not a PNG: $f"; bad=1; } ;;
		*.svg) is_svg "$f" || { diag "not an SVG: $f"; bad=1; } ;;
		*) diag "not a figure: $f"; bad=1 ;;
		esac
	done <"$1"
	return $bad
}

# A result set is untrusted input: text from it reaches gnuplot only as
# inert strings.  Every text field of system.json, the samples' texts and
# every config line carry a backquoted command (gnuplot runs those inside
# double quotes), an @macro, quotes and a backslash; nothing may run, and
# the figures show the text as it was.
hostile() {	# hostile SET DIR: SET with payloads in DIR
	mkdir -p "$2" &&
	sed "s|\$| --dir /d$pay2|" "$1/config" >"$2/config" &&
	jq -c --arg p "$pay" \
		'walk(if type == "string" then . + $p else . end) |
		.status = "complete"' "$1/system.json" >"$2/system.json" &&
	jq -c --arg p "$pay" --arg q "$pay2" \
		'.params.dir += $p | .params.fs += $p |
		.mapping.granularity += $p | .config_line += " --dir /d" + $q' \
		"$1/samples.jsonl" >"$2/samples.jsonl"
}
pay="\`touch $tmp/PWNED\`@title'\"\\x"
pay2="\`touch\${IFS}$tmp/PWNED2\`"
hostile "$A" "$tmp/hostile-a" && hostile "$B" "$tmp/hostile-b" &&
	"$plot" --out "$tmp/hostile" --format svg "$tmp/hostile-a" \
	"$tmp/hostile-b" >"$tmp/hostile.out" 2>"$tmp/err" &&
	[ ! -e "$tmp/PWNED" ] && [ ! -e "$tmp/PWNED2" ] &&
	[ "$(wc -l <"$tmp/hostile.out")" -eq 4 ] &&
	figures "$tmp/hostile.out" &&
	grep -F "6.18.44-fc-v669$pay (hostile-a)" \
		"$tmp/hostile/flushes.svg" >/dev/null &&
	grep -F "/d\`touch\${IFS}$tmp/PWNED2\`" "$tmp/hostile/flushes.svg" \
		>/dev/null
ok $? "plot-bench runs nothing a set's text says, and draws it as text"

"$plot" --out "$tmp/ab" --format both "$A" "$B" >"$tmp/ab.out" 2>"$tmp/err"
ok $? "plot-bench BASE NEW ($(cat "$tmp/err"))"
[ "$(sed 's|.*/||' "$tmp/ab.out" | tr '\n' ' ')" = "flushes.png flushes.svg \
latency.png latency.svg reasons.png reasons.svg change.png change.svg " ]
ok $? "two sets: 4 figures in PNG and SVG, paths printed"
figures "$tmp/ab.out"
ok $? "two sets: valid PNG and SVG files"
has_text "$tmp/ab/flushes.svg" \
	"TLB flushes sent and shootdowns received, per GiB of region" &&
	has_text "$tmp/ab/flushes.svg" "A: 6.18.44-fc-v669 (ab-ext4)" &&
	has_text "$tmp/ab/flushes.svg" "B: 6.18.44-fc-v669 (ab-tmpfs)" &&
	has_text "$tmp/ab/flushes.svg" "Intel(R) Xeon(R) Processor, 2 CPUs, virtual machine; tlbbench 0.1.0 (33a4a70-dirty)" &&
	has_text "$tmp/ab/flushes.svg" "--backing file" &&
	has_text "$tmp/ab/flushes.svg" "flushes sent per GiB"
ok $? "flushes.svg: title, legend, footer, line labels, axis"
has_text "$tmp/ab/latency.svg" "Time per operation (the measured kernel call)" &&
	has_text "$tmp/ab/latency.svg" "time per operation (µs)" &&
	has_text "$tmp/ab/latency.svg" "A: 6.18.44-fc-v669 (ab-ext4)"
ok $? "latency.svg: title, unit, legend"
has_text "$tmp/ab/reasons.svg" "tlb_flush events by reason, per GiB of region" &&
	has_text "$tmp/ab/reasons.svg" "4 remote_send_ipi" &&
	has_text "$tmp/ab/reasons.svg" "0 task_switch" &&
	has_text "$tmp/ab/reasons.svg" "B: 6.18.44-fc-v669 (ab-tmpfs)"
ok $? "reasons.svg: title, reasons, kernels"
has_text "$tmp/ab/change.svg" "Change of the median from A: 6.18.44-fc-v669 (ab-ext4)" &&
	has_text "$tmp/ab/change.svg" "B: 6.18.44-fc-v669 (ab-tmpfs)" &&
	has_text "$tmp/ab/change.svg" "+3200% !" &&
	has_text "$tmp/ab/change.svg" "+233%"
ok $? "change.svg: title, legend, marked changes"
! grep -q 'url(#gpPat' "$tmp/ab/change.svg" &&
	grep -q 'filled: significant' "$tmp/ab/change.svg" &&
	has_text "$tmp/ab/change.svg" "hollow: not significant"
ok $? "change.svg: significant bars filled, as its legend says, not hatched"

# Log change axes get more than two labels; reasons show totals, not
# shares that make every bar alike.
ex=$srcdir/results/examples/dirty-clean
"$TLBBENCH" plotdata --out "$tmp/ex" --vary dirty "$ex" >/dev/null 2>&1 &&
	grep -q '^array logx\[3\] = \[1, 1, 1\]' "$tmp/ex/change.gp" &&
	awk 'BEGIN { RS = ""; FS = "\n" } NR > 1 { if (NF - 1 < 4) bad = 1 }
		END { exit bad || NR < 4 }' "$tmp/ex/change.tics.tsv"
ok $? "change: every log axis has at least 4 labels ($(awk 'BEGIN { RS = "" } NR == 4' "$tmp/ex/change.tics.tsv" | tr '\n\t' ' :'))"
grep -q '^logy = 0$' "$tmp/ex/reasons.gp" &&
	! grep -q 'in % of' "$tmp/ex/reasons.gp" &&
	[ "$(awk 'BEGIN { RS = ""; FS = "\n" } NR == 2' "$tmp/ex/reasons.tsv" |
		awk -F'\t' '!/^#/ { print $2 }' | sort -u | wc -l)" -gt 3 ] &&
	awk 'BEGIN { RS = ""; FS = "\n" } NR == 2' "$tmp/ex/reasons.tsv" |
	awk -F'\t' '!/^#/ { n++; if ($3 !~ /^[A-Z]\|sent [0-9.]+$/) bad = 1 }
		END { exit bad || !n }'
ok $? "reasons: stacks on a linear axis, bars of their own heights, labelled with the flushes sent, not a sum of events"

TLBBENCH_RESULTS=$FIXTURES "$plot" --format svg --out "$tmp/vary" \
	--vary dirty sweep >"$tmp/vary.out" 2>"$tmp/err"
ok $? "plot-bench --vary dirty NAME ($(cat "$tmp/err"))"
[ "$(sed 's|.*/||' "$tmp/vary.out" | tr '\n' ' ')" = "flushes.svg \
latency.svg scaling-line3.svg scaling-line5.svg reasons.svg change.svg " ]
ok $? "--vary with sweeps: a scaling figure per swept line"
figures "$tmp/vary.out" &&
	has_text "$tmp/vary/scaling-line3.svg" "Scaling with --size" &&
	has_text "$tmp/vary/scaling-line3.svg" \
	"munmap --size 64M,128M --threads 2 --backing tmpfs --pages 4k (--dirty *)" &&
	has_text "$tmp/vary/scaling-line5.svg" "Scaling with --threads" &&
	has_text "$tmp/vary/scaling-line5.svg" "threads, each on its own CPU" &&
	has_text "$tmp/vary/scaling-line5.svg" "A: --dirty all" &&
	has_text "$tmp/vary/scaling-line5.svg" "B: --dirty per-table" &&
	has_text "$tmp/vary/flushes.svg" \
	"sweep: kernel 6.18.44-fc-v669; Intel(R) Xeon(R) Processor, 2 CPUs, virtual machine; tlbbench 0.1.0 (36d5df0-dirty)"
ok $? "--vary: valid SVGs, scaling titles and axes, legend by value, kernel"

cp -r "$B" "$tmp/tcg"
jq '.emulated = "tcg" | .kernel = "6.1.0-41-amd64"' "$B/system.json" \
	>"$tmp/tcg/system.json"
"$plot" --out "$tmp/emu" --format png "$A" "$tmp/tcg" >"$tmp/emu.out" \
	2>"$tmp/emu.err" &&
	figures "$tmp/emu.out" && ! grep -q latency "$tmp/emu.out" &&
	grep -q '^tlbbench: plotdata: no latency figure: times are not comparable (B ran emulated, A did not)' "$tmp/emu.err" &&
	"$plot" --out "$tmp/emu" --format svg "$A" "$tmp/tcg" >/dev/null &&
	has_text "$tmp/emu/change.svg" "B: 6.1.0-41-amd64" &&
	grep -F "B: Intel(R) Xeon(R) Processor, 2 CPUs, emulated (tcg)" \
	"$tmp/emu/change.svg" >/dev/null
ok $? "an emulated set: footer per set says so, legend by kernel, no latency bars beside the native ones"

# Whole runs end in a verdict (compare shows it): not in the figures.
ref=$srcdir/results/reference
"$TLBBENCH" plotdata --out "$tmp/ref" "$ref/6.1-stock" "$ref/6.1-mutant" \
	>/dev/null 2>"$tmp/ref.err" &&
	grep -rq "munmap" "$tmp/ref" &&
	! grep -rqE "integrity --|race --" "$tmp/ref" &&
	grep -q "integrity or race lines not drawn: whole runs" \
		"$tmp/ref/flushes.gp" "$tmp/ref.err"
ok $? "whole runs (integrity, race) are left out of the figures, with a note ($(cat "$tmp/ref.err"))"
# The kernel model's verdict of each set under each line of flushes.
"$TLBBENCH" plotdata --out "$tmp/model" "$ref/6.12-stock" \
	"$ref/6.12-deferred-dirty" >/dev/null 2>&1 &&
	grep -q '^1	munmap|--size 256M|--backing tmpfs|--dirty all|model: A force_flush|B batched$' \
		"$tmp/model/flushes.tics.tsv" &&
	! grep -q 'model:' "$tmp/model/latency.tics.tsv"
ok $? "flushes: the kernel model's verdict of each set under its line ($(sed -n 2p "$tmp/model/flushes.tics.tsv"))"
# A line in one set only is not drawn, and named as compare names it.
cp -r "$A" "$tmp/one-less"
jq -c 'select(.line != 6)' "$A/samples.jsonl" >"$tmp/one-less/samples.jsonl"
"$TLBBENCH" plotdata --out "$tmp/less" "$tmp/one-less" "$B" \
	>/dev/null 2>"$tmp/less.err"
status=$?
[ $status -eq 0 ] &&
	grep -q '^tlbbench: plotdata: not drawn: B:6 munmap .* (not in A; nearest: A line 4, which differs in --pages thp/4k, --reps 5/8 (and is matched already))$' \
		"$tmp/less.err"
ok $? "plotdata names the lines it does not draw (exit $status: $(tr '\n' '|' <"$tmp/less.err"))"
done_testing
