#!/bin/sh
# --reps auto: repetitions until the median time is known to --target-ci,
# at most --max-reps, and every sample records why they stopped.  Needs
# no root: only the time matters here.
. "$TESTLIB"

make_tmp
run() {	# run OUT ARGS...
	out=$1
	shift
	"$TLBBENCH" run munmap --size 4M --threads 1 --warmup 0 --events none \
		--format json "$@" >"$out" 2>"$out.err"
}

# Fewer than 6 samples have no 95% interval: max-reps, no CI recorded.
run "$tmp/three" --reps auto --max-reps 3
ok $? "--reps auto --max-reps 3 runs ($(cat "$tmp/three.err"))"
[ "$(jq -s -c 'map([.params.reps, .stop, .stop_ci_pct]) | unique' \
	"$tmp/three")" = '[[3,"max-reps",null]]' ] &&
	[ "$(wc -l <"$tmp/three")" -eq 3 ]
ok $? "3 samples, each saying reps 3, stopped by max-reps, no CI"

# A 100% target is met as soon as an interval exists, unless one sample
# is wild; either way the record must agree with itself.
run "$tmp/wide" --reps auto --target-ci 100 --max-reps 20
n=$(wc -l <"$tmp/wide")
jq -s -e --argjson n "$n" 'map(.params.reps == $n and .params.target_ci == 100
	and .params.max_reps == 20) | all' "$tmp/wide" >/dev/null &&
jq -s -e --argjson n "$n" '(map(.stop) | unique) as $s
	| ($s == ["target-ci"] and $n >= 6 and (.[0].stop_ci_pct <= 100))
	  or ($s == ["max-reps"] and $n == 20)' "$tmp/wide" >/dev/null
ok $? "target 100%: $n samples, $(jq -r '"\(.stop) at \(.stop_ci_pct)%"' \
	"$tmp/wide" | head -n 1)"

run "$tmp/fixed" --reps 2
[ "$(jq -s -c 'map([.params.reps, .stop]) | unique' "$tmp/fixed")" = \
  '[[2,"reps"]]' ]
ok $? "fixed --reps 2: both samples stopped by reps"

"$TLBBENCH" run munmap --size 4M --threads 1 --warmup 0 --events none \
	--reps auto --max-reps 7 >"$tmp/text" 2>&1
grep -q '^# --reps auto: .* after [67] reps' "$tmp/text"
ok $? "text output says why and after how many reps"
done_testing
