# The prologue of the scripts (run-bench, compare-bench, plot-bench, and
# those of kernels/ and guest/ but guest/init, which runs in the guest),
# sourced after setting prog, the name their messages carry.
# top: the source tree, or the installed suite (make install: its
# pkglibexecdir, marked by .installed); tlbbench and results: the binary
# and the result sets they use ($TLBBENCH, $TLBBENCH_RESULTS override).
# Installed, the sets go to ./results: the suite's own directory is no
# place for them.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tlbbench=${TLBBENCH:-$top/tlbbench}
if [ -e "$top/.installed" ]; then
	results=${TLBBENCH_RESULTS:-$PWD/results}
else
	results=${TLBBENCH_RESULTS:-$top/results}
fi

die() {	# one line, exit 2: bad input
	echo "$prog: $*" >&2
	exit 2
}

fail() {	# one line, exit 1: a step failed
	echo "$prog: $*" >&2
	exit 1
}

# A result set as named on the command line: a directory as given, else a
# name under results/, slashes and all (reference/6.1-stock).
result_set() {	# result_set NAME
	if [ ! -d "$1" ] && [ -d "$results/$1" ]; then
		printf '%s\n' "$results/$1"
	else
		printf '%s\n' "$1"
	fi
}

# The architecture a kernel image boots: arm64's Image has "ARM\x64" at
# byte 56, x86's bzImage "HdrS" at byte 514 (their boot protocols).
kernel_arch() {	# kernel_arch IMAGE: x86_64, arm64, or nothing
	local magic

	magic=$(od -An -tx1 -j56 -N4 "$1" 2>/dev/null | tr -d ' \n')
	[ "$magic" != 41524d64 ] || { echo arm64; return; }
	magic=$(od -An -tx1 -j514 -N4 "$1" 2>/dev/null | tr -d ' \n')
	[ "$magic" != 48647253 ] || echo x86_64
}

# Numeric values of options, checked whole before any use: bash
# arithmetic evaluates a variable's text as an expression (an array
# subscript in it runs a command substitution: 1+a[$(cmd)]) and reads
# 010 as octal.
is_count() {	# is_count VALUE: 1..999999999
	[[ $1 =~ ^[1-9][0-9]{0,8}$ ]]
}
is_size() {	# is_size VALUE: a count of M or G, as 512M, 2G or 2g
	[[ $1 =~ ^[1-9][0-9]{0,8}[MmGg]$ ]]
}
