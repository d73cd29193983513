#!/bin/sh
# make install puts the suite where a package would: tlbbench and the
# three commands in bin, the scripts and their data in libexec/tlbbench.
# Run from there, run-bench runs a config and writes ./results, compare-
# and plot-bench read sets; make uninstall leaves no file behind.
. "$TESTLIB"

blocker=$(needs jq:jq)
[ -n "$MAKE" ] || blocker="MAKE not set (run by make check)"
[ -z "$blocker" ] || skip_all "$blocker"
make_tmp
inst=$tmp/inst
builddir=$PWD

# Relocated by prefix, so the commands' paths are the test's own.
$MAKE -s install prefix="$inst" >"$tmp/install.log" 2>&1
status=$?
missing=
for f in bin/tlbbench bin/run-bench bin/compare-bench bin/plot-bench \
	 libexec/tlbbench/run-bench libexec/tlbbench/tlbbench \
	 libexec/tlbbench/.installed libexec/tlbbench/scripts/common.sh \
	 libexec/tlbbench/configs/quick libexec/tlbbench/plots/common.gp \
	 libexec/tlbbench/guest/boot libexec/tlbbench/guest/init \
	 libexec/tlbbench/kernels/validate \
	 libexec/tlbbench/configs/kernels/designs.table \
	 libexec/tlbbench/configs/kernels/reference \
	 libexec/tlbbench/kernels/patches/6.12-deferred-dirty-locked.patch; do
	[ -e "$inst/$f" ] || missing="$missing $f"
done
[ $status -eq 0 ] && [ -z "$missing" ] && [ -x "$inst/bin/run-bench" ]
ok $? "make install prefix=DIR: exit $status, the suite in bin and libexec/tlbbench${missing:+ (missing:$missing)}"

# From a directory of the user's, nothing of the build tree in sight.
built=$(realpath "$TLBBENCH")	# the build tree's, for the tree's scripts
mkdir "$tmp/work" && cd "$tmp/work" || exit 1
unset TLBBENCH TLBBENCH_RESULTS
echo "munmap --size 4M --threads 1 --reps 2 --warmup 0" >one.config
"$inst/bin/run-bench" --config one.config one >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 0 ] && [ "$(jq -r .status results/one/system.json)" = complete ] &&
	[ "$(grep -c . results/one/samples.jsonl)" -eq 2 ] &&
	[ ! -e "$inst/libexec/tlbbench/results" ]
ok $? "installed run-bench: a config of the user's, its set in ./results (exit $status: $(tail -n 1 "$tmp/err"))"

"$inst/bin/compare-bench" "$FIXTURES/runs-a" "$FIXTURES/runs-b" \
	>"$tmp/out" 2>&1 && grep -q '^A runs-a (base)' "$tmp/out" &&
	"$inst/bin/compare-bench" results/one results/one >/dev/null 2>&1
ok $? "installed compare-bench: reads sets by path ($(head -n 1 "$tmp/out"))"

if [ -z "$GNUPLOT" ] || [ "$GNUPLOT" = no ]; then
	skip "installed plot-bench draws a set" "no gnuplot (Debian: gnuplot-nox)"
else
	GNUPLOT=$GNUPLOT "$inst/bin/plot-bench" --out figs \
		"$FIXTURES/runs-a" "$FIXTURES/runs-b" >"$tmp/out" 2>&1 &&
		ls figs/*.png >/dev/null 2>&1
	ok $? "installed plot-bench draws two sets with the installed gnuplot scripts ($(ls figs 2>/dev/null | tr '\n' ' '))"
fi

# The reference kernels' scripts read their configs and tables installed
# (configs/kernels): the installed summary of the committed sets is the
# tree's, and every config kernels/validate runs is there and plans.
"$inst/libexec/tlbbench/kernels/summary" "$srcdir/results/reference" \
	>"$tmp/summary.inst" 2>"$tmp/err" &&
	TLBBENCH=$built "$srcdir/kernels/summary" "$srcdir/results/reference" \
	>"$tmp/summary.tree" 2>&1 &&
	cmp -s "$tmp/summary.inst" "$tmp/summary.tree"
ok $? "installed kernels/summary reads configs/kernels/designs.table ($(head -c 200 "$tmp/err"))"
bad=
for c in $(sed -n 's|.*\$configs/\([a-z-]*\).*|\1|p' "$srcdir/kernels/validate" |
	sort -u); do
	"$inst/bin/tlbbench" plan --runs \
		"$inst/libexec/tlbbench/configs/kernels/$c" \
		>/dev/null 2>&1 || bad="$bad $c"
done
[ -n "$c" ] && [ -z "$bad" ]
ok $? "kernels/validate's configs installed and planned${bad:+ (not:$bad)}"

# run-bench --kernel finds its static tlbbench installed, or says why.
if [ -x "$inst/libexec/tlbbench/tlbbench-static" ]; then
	# No program interpreter: nothing for a guest without libraries.
	readelf -l "$inst/libexec/tlbbench/tlbbench-static" >"$tmp/elf" 2>&1 &&
		! grep -q INTERP "$tmp/elf"
	ok $? "tlbbench-static installed for the guests, statically linked"
else
	grep -q 'no tlbbench-static' "$tmp/install.log"
	ok $? "no static libraries: make install says there is no tlbbench-static"
fi

# The man pages, where configure found asciidoctor: into DESTDIR's
# mandir, one per page source, and out again with make uninstall.
if grep -q '^man1_MANS = ' "$builddir/Makefile"; then
	dest=$tmp/dest
	$MAKE -s -C "$builddir" install-man DESTDIR="$dest" prefix=/usr \
		>/dev/null 2>&1
	status=$?
	want=$(cd "$srcdir/Documentation" && ls *.txt | sed 's/\.txt$/.1/')
	lack=
	for m in $want; do
		[ -s "$dest/usr/share/man/man1/$m" ] || lack="$lack $m"
	done
	[ $status -eq 0 ] && [ -n "$want" ] && [ -z "$lack" ]
	ok $? "make install DESTDIR=DIR: the man pages in DIR/usr/share/man/man1 (exit $status${lack:+, missing:$lack})"
	$MAKE -s -C "$builddir" uninstall-man DESTDIR="$dest" prefix=/usr \
		>/dev/null 2>&1
	left=$(find "$dest" -type f | sed "s|^$dest/||" | tr '\n' ' ')
	[ -z "$left" ]
	ok $? "make uninstall DESTDIR=DIR: no man page left${left:+ ($left)}"
else
	skip "make install DESTDIR=DIR: the man pages" "no man pages built: no asciidoctor (Debian: asciidoctor)"
fi

cd "$tmp" || exit 1
$MAKE -s -C "$builddir" uninstall prefix="$inst" >/dev/null 2>&1 ||
	true
left=$(find "$inst" -type f | sed "s|^$inst/||" | tr '\n' ' ')
[ -z "$left" ]
ok $? "make uninstall: no file left${left:+ ($left)}"
done_testing
