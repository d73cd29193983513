#!/bin/bash
# The documentation says what the programs do: every option a program's
# --help prints is on its man page source in Documentation/ (tlbbench run
# for each workload of tlbbench list); each page has the sections of a
# man page; no file of the tree cites a document outside it or a
# machine's path; the relative links of the markdown pages lead to files.
. "$TESTLIB"

[ -x "$TLBBENCH" ] || skip_all "no tlbbench built ($TLBBENCH)"
doc=$srcdir/Documentation
make_tmp

# The --options of help $1 missing from page $2, one a line: an option
# of the help's table (a line of its own) must head an entry of the
# page's lists ("--size SIZE::"), one named in its text be on the page.
missing_options() {	# missing_options HELP-FILE PAGE
	grep -o -- '--[a-z][a-z0-9-]*' "$1" | sort -u | while read -r o; do
		if grep -qE -- "^ +$o([^a-z0-9-]|\$)" "$1"; then
			grep -qE -- "^$o([^a-z0-9-].*)?::\$" "$2" || echo "$o"
		else
			grep -qE -- "(^|[^a-z0-9-])$o([^a-z0-9-]|\$)" "$2" ||
				echo "$o"
		fi
	done
}

# One check per program: its help, then the options its page lacks.
check_page() {	# check_page NAME PAGE COMMAND...
	local name=$1 page=$doc/$2 miss status

	shift 2
	"$@" --help >"$tmp/help" 2>&1
	status=$?
	miss=$([ -f "$page" ] && missing_options "$tmp/help" "$page")
	[ $status -eq 0 ] && [ -f "$page" ] && [ -s "$tmp/help" ] &&
		[ -z "$miss" ]
	ok $? "$name: every option of --help is in ${page#"$srcdir"/} (help exit $status${miss:+; missing: $(echo $miss)})"
}

# The workloads: list's indented lines, under each kind.
workloads=$("$TLBBENCH" list | awk '/^  [a-z]/ { print $1 }')
[ -n "$workloads" ]
ok $? "tlbbench list names the workloads ($(echo $workloads))"
for w in $workloads; do
	check_page "tlbbench run $w" tlbbench-run.txt "$TLBBENCH" run "$w"
done
check_page "tlbbench run --config" tlbbench-run.txt "$TLBBENCH" run --config x
for c in compare report plan plotdata; do
	check_page "tlbbench $c" "tlbbench-$c.txt" "$TLBBENCH" "$c"
done
for s in run-bench compare-bench plot-bench; do
	check_page "$s" "$s.txt" "$srcdir/$s"
done
for s in kernels/build kernels/validate; do
	check_page "$s" tlbbench-kernels.txt "$srcdir/$s"
done

# Each page, with the sections of a man page.
for p in tlbbench tlbbench-run tlbbench-compare tlbbench-report \
	 tlbbench-plan tlbbench-plotdata run-bench compare-bench plot-bench \
	 tlbbench-kernels; do
	lack=
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES \
		 'SEE ALSO'; do
		grep -qx "== $s" "$doc/$p.txt" 2>/dev/null || lack="$lack, $s"
	done
	[ -z "$lack" ] && head -n 1 "$doc/$p.txt" | grep -qx "= $p(1)"
	ok $? "Documentation/$p.txt: a man page, $p(1), with its sections${lack:+ (lacks${lack#,})}"
done

# The tree's files are git's list; a tarball's tree (which may hold its
# own build, with the builder's paths) has none to check.
top=$(git -C "$srcdir" rev-parse --show-toplevel 2>/dev/null)
if [ -n "$top" ] && [ "$top" = "$(cd "$srcdir" && pwd -P)" ]; then
	git -C "$srcdir" ls-files >"$tmp/files"
	[ -s "$tmp/files" ]
	ok $? "the tree's files listed by git ($(grep -c . "$tmp/files"))"

	# A document outside the tree (the design document once cited by
	# section), or a path of one machine.  Written in two parts so
	# that this file does not match itself.
	d=DESIG
	cites="${d}N(\.md| §| section [0-9])|(^|[^A-Za-z0-9_.\$}/-])/(work|home)/"
	(cd "$srcdir" && tr '\n' '\0' <"$tmp/files" |
		xargs -0 grep -IlE "$cites" 2>/dev/null) >"$tmp/cites"
	[ ! -s "$tmp/cites" ]
	ok $? "no file cites a document or a path outside the tree$([ -s "$tmp/cites" ] && echo " (cited in: $(echo $(cat "$tmp/cites")))")"
else
	skip "the tree's files listed by git" "not a git checkout"
	skip "no file cites a document or a path outside the tree" "not a git checkout"
fi

# Relative links of README.md and Documentation's markdown.
bad=
for f in README.md $(cd "$srcdir" && ls Documentation/*.md Documentation/design/*.md); do
	dir=$(dirname "$srcdir/$f")
	for l in $(tr '\n' ' ' <"$srcdir/$f" | grep -oE '\]\([^)# ]+' |
		   sed 's/^](//' | grep -v '^[a-z]*:'); do
		[ -e "$dir/$l" ] || bad="$bad $f:$l"
	done
done
[ -z "$bad" ]
ok $? "the relative links of README.md and Documentation/ lead to files${bad:+ (broken:$bad)}"
done_testing
