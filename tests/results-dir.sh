#!/bin/sh
# run-bench's results directory: what it refuses before writing there,
# the lock and partial directory of a NAME, what runs killed by SIGKILL
# leave and the next run removes, and the modes of a set.
. "$TESTLIB"

make_tmp
export TLBBENCH_RESULTS="$tmp/results"
rb() {
	"$srcdir/run-bench" "$@"
}
echo "munmap --size 4M --threads 1 --reps 1 --warmup 0 --events none" \
	>"$tmp/tiny"

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
done_testing
