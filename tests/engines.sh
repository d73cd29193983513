#!/bin/sh
# tlbbench in the fleet engines (contrib/), run by the engines' own code:
# LKP-tests (LKP_SRC: an lkp-tests tree) splits the jobs, turns committed
# result sets into stats through its run-stats (the program's parse and
# its stats checks) and compares two result roots with sbin/compare;
# mmtests (MMTESTS_SRC: an mmtests tree) parses the same sets and compares
# them as two runs with compare-mmtests.pl.  Each engine is copied into
# the test's directory with contrib/ dropped in as its README says; the
# trees named are not changed.  Without the variable, its checks SKIP.
. "$TESTLIB"

make_tmp
ref=$srcdir/results/reference
A=6.12-stock
B=6.12-deferred-dirty

# ---------------------------------------------------------------- LKP

lkp_blocker() {
	if [ -z "${LKP_SRC:-}" ]; then
		echo "LKP_SRC names no lkp-tests tree"
	elif [ ! -x "$LKP_SRC/sbin/split-job" ] ||
	     [ ! -x "$LKP_SRC/sbin/compare" ]; then
		echo "LKP_SRC=$LKP_SRC: no sbin/split-job or sbin/compare"
	elif ! command -v ruby >/dev/null; then
		echo "no ruby (Debian: ruby)"
	elif ! ruby -e 'require "active_support"; require "git";
			require "tty-command"; require "gnuplot";
			require "term/ansicolor"' 2>/dev/null; then
		echo "LKP's Ruby libraries missing (Debian: ruby-activesupport" \
		     "ruby-git ruby-tty-command ruby-gnuplot ruby-term-ansicolor)"
	fi
}

# LKP_SRC copied to DIR, contrib/lkp dropped in as its README says, and
# a host file for HOST made by LKP's own create_host_config.
lkp_tree() {	# lkp_tree DIR HOST
	cp -a "$LKP_SRC" "$1" &&
		cp -a "$srcdir/contrib/lkp/programs/tlbbench" "$1/programs/" &&
		cp "$srcdir"/contrib/lkp/jobs/*.yaml "$1/jobs/" &&
		echo tlbbench >>"$1/etc/linux-perf-test-cases" &&
		echo 'tlbbench::' >>"$1/distro/adaptation-pkg/debian" &&
		HOSTNAME=$2 LKP_SRC=$1 bash -c '. "$LKP_SRC/lib/host.sh" &&
			create_host_config' >/dev/null
}

# A result root as lkp run leaves it for the set SET run as COMMIT: the
# atomic job JOB saved as job.yaml, what programs/tlbbench/run prints as
# the program's log, then LKP's run-stats (parse, and dump-stat's checks,
# whose complaints go to STDERR) and unite-stats.
lkp_result() {	# lkp_result SET COMMIT JOB STDERR
	rt=$tmp/lkp/result/tlbbench/tmpfs-all-20-2-4k-auto-1G-munmap/$host/debian/defconfig/gcc/$2/0
	mkdir -p "$rt" &&
		{ cat "$3" && printf 'rootfs: debian\nkconfig: defconfig\n' &&
		  printf 'compiler: gcc\ncommit: %s\n' "$2"; } >"$rt/job.yaml" &&
		"$TLBBENCH" report --format json "$1" >"$rt/tlbbench" &&
		(cd "$rt" && RESULT_ROOT=$rt LKP_SRC=$L \
			"$L/bin/run-stats" tlbbench 2>>"$4" &&
		 LKP_LOCAL_RUN=1 LKP_SRC=$L "$L/sbin/unite-stats" "$rt" \
			2>>"$4") &&
		mkdir -p "$tmp/lkp/paths/d" &&
		echo "$rt/" >>"$tmp/lkp/paths/d/d-test"
}

# LKP's sbin/compare, unchanged, with the result and path directories of
# lib/constant.rb (/lkp/result, /lkp/paths) moved under the test's own.
lkp_compare() {	# lkp_compare ARGS...
	cat >"$tmp/compare.rb" <<'EOF'
LKP_SRC = ENV['LKP_SRC']
require "#{LKP_SRC}/lib/constant"
%i[RESULT_ROOT_DIR KTEST_PATHS_DIR].each { |c| Object.send(:remove_const, c) }
RESULT_ROOT_DIR = "#{ENV['LKP_ROOT']}/result".freeze
KTEST_PATHS_DIR = "#{ENV['LKP_ROOT']}/paths".freeze
$PROGRAM_NAME = "#{LKP_SRC}/sbin/compare"
load $PROGRAM_NAME
EOF
	LKP_LOCAL_RUN=1 LKP_ROOT=$tmp/lkp LKP_SRC=$L \
		ruby -W0 "$tmp/compare.rb" "$@"
}

why=$(lkp_blocker)
if [ -n "$why" ]; then
	for t in "contrib/lkp dropped in" "split-job accepts the jobs" \
		 "parse: a set of one run" \
		 "parse: a set of many runs" "run-stats: LKP's stats checks" \
		 "sbin/compare: tlbbench rows"; do
		skip "LKP $t" "$why"
	done
else
	L=$tmp/lkp-tests
	host=tlbbench-test
	lkp_tree "$L" "$host"
	ok $? "LKP: contrib/lkp dropped into a copy of LKP_SRC"

	# The quick lines, one atomic job each, and will-it-scale's three.
	mkdir "$tmp/split" &&
		(cd "$tmp/split" && HOSTNAME=$host LKP_SRC=$L \
			"$L/sbin/split-job" "$L/jobs/tlbbench.yaml" \
			"$L/jobs/will-it-scale-tlb.yaml") >"$tmp/out" 2>&1 &&
		ls "$tmp/split" >"$tmp/jobs" &&
		cat >"$tmp/want" <<'EOF' && diff "$tmp/want" "$tmp/jobs" >&2
tlbbench-10s-2-integrity-madvise.yaml
tlbbench-20-2-auto-256M-anon.yaml
tlbbench-file-all-20-2-4k-auto-1G-munmap.yaml
tlbbench-file-all-20-2-thp-auto-1G-munmap.yaml
tlbbench-file-none-20-2-4k-auto-1G-munmap.yaml
tlbbench-tmpfs-20-2-auto-256M-truncate.yaml
tlbbench-tmpfs-2M-64-20-2-auto-64M-madvise.yaml
tlbbench-tmpfs-all-20-2-4k-auto-1G-munmap.yaml
tlbbench-tmpfs-per-table-20-2-4k-auto-1G-munmap.yaml
will-it-scale-tlb-thread-100%-tlb_flush1.yaml
will-it-scale-tlb-thread-100%-tlb_flush2.yaml
will-it-scale-tlb-thread-100%-tlb_flush3.yaml
EOF
	ok $? "LKP split-job: the quick lines as 9 atomic jobs, will-it-scale's TLB tests as 3"
	job=$tmp/split/tlbbench-tmpfs-all-20-2-4k-auto-1G-munmap.yaml

	# A set of one run (line 6 of the stock 6.12 set, its truncate)
	# gives the plain names, each once, numbers only.
	mkdir "$tmp/one" && cp "$ref/$A/system.json" "$ref/$A/config" \
		"$ref/$A/kernel-reports.jsonl" "$tmp/one/" &&
		jq -c 'select(.line == 6)' "$ref/$A/samples.jsonl" \
			>"$tmp/one/samples.jsonl" &&
		"$TLBBENCH" report --format json "$tmp/one" |
		"$L/programs/tlbbench/parse" >"$tmp/one.stats" &&
		cat >"$tmp/want" <<'EOF' && diff "$tmp/want" "$tmp/one.stats" >&2
sent_flushes_per_gib: 512
received_flushes_per_gib: 512
tlb_interrupts_per_gib: 512
usec_per_op: 478405.201
samples: 5
force_flush_percent: 100
batched_percent: 0
kernel_reports: 0
kernel_log.pass: 1
EOF
	ok $? "LKP parse: a set of one run gives the plain stats, numbers only"

	# The stock and deferred-dirty sets: each run under its name, the
	# designs' verdicts and the deferred-dirty kernel's WARNING.
	for s in $A $B; do
		"$TLBBENCH" report --format json "$ref/$s" |
			"$L/programs/tlbbench/parse" >"$tmp/$s.stats" || break
	done &&
		[ "$(grep -c . "$tmp/$A.stats")" -eq 68 ] &&
		[ "$(grep -c . "$tmp/$B.stats")" -eq 68 ] &&
		! grep -v '^[A-Za-z0-9_.+-]*: -\{0,1\}[0-9][0-9.]*$' \
			"$tmp/$A.stats" "$tmp/$B.stats" >&2 &&
		grep -qx 'munmap-256M-file-4k-all-2t.sent_flushes_per_gib: 520' "$tmp/$A.stats" &&
		grep -qx 'munmap-256M-file-4k-all-2t.force_flush_percent: 100' "$tmp/$A.stats" &&
		grep -qx 'munmap-256M-file-4k-all-2t.sent_flushes_per_gib: 28' "$tmp/$B.stats" &&
		grep -qx 'munmap-256M-file-4k-all-2t.batched_percent: 100' "$tmp/$B.stats" &&
		grep -qx 'integrity-4M-file-4k-2t-munmap-remap.verdict.pass: 1' "$tmp/$B.stats" &&
		grep -qx 'kernel_log.pass: 1' "$tmp/$A.stats" &&
		grep -qx 'kernel_reports: 1' "$tmp/$B.stats" &&
		grep -qx 'kernel_log.fail: 1' "$tmp/$B.stats" &&
		"$TLBBENCH" report --format json "$ref/6.12-mutant" |
		"$L/programs/tlbbench/parse" |
		grep -qx 'race-64M-file-4k-2t-madvise-end.verdict.fail: 1'
	ok $? "LKP parse: the reference sets' runs under their names, verdicts and kernel reports"

	# Through LKP's run-stats and unite-stats: dump-stat's checks say
	# nothing, and stats.json holds the stats under tlbbench.
	: >"$tmp/stats.err"
	lkp_result "$ref/$A" "$A" "$job" "$tmp/stats.err" &&
		lkp_result "$ref/$B" "$B" "$job" "$tmp/stats.err" &&
		! grep . "$tmp/stats.err" >&2 &&
		jq -e '."tlbbench.munmap-256M-file-4k-all-2t.sent_flushes_per_gib" == 520 and
			."tlbbench.kernel_log.pass" == 1' "$rt/../../$A/0/stats.json" \
			>/dev/null &&
		jq -e '."tlbbench.munmap-256M-file-4k-all-2t.sent_flushes_per_gib" == [28]' \
			"$rt/../matrix.json" >/dev/null
	ok $? "LKP run-stats: the parsed stats pass dump-stat's checks into stats.json and matrix.json"

	# sbin/compare of the two result roots (one run each: -w): the
	# flushes' change and the kernel report as a failure.
	lkp_compare -a -w "$A" "$B" >"$tmp/compare" 2>&1 &&
		tr -s ' ' <"$tmp/compare" >"$tmp/c" &&
		grep -qx ' 520.00 -95% 28.00 GEO-MEAN tlbbench.munmap-256M-file-4k-all-2t.sent_flushes_per_gib' "$tmp/c" &&
		grep -qx ' 512.00 -95% 28.00 GEO-MEAN tlbbench.truncate-256M-tmpfs-4k-all-2t.sent_flushes_per_gib' "$tmp/c" &&
		grep -qx ' :1 100% 1:1 TOTAL tlbbench.kernel_log.fail' "$tmp/c" &&
		! grep -q 'tlbbench.anon-256M-anon-4k-all-2t.sent_flushes_per_gib' "$tmp/c"
	ok $? "LKP sbin/compare: tlbbench rows between the two result roots ($(grep -c GEO-MEAN "$tmp/compare") changed)"
fi

# ------------------------------------------------------------ mmtests

mmtests_blocker() {
	if [ -z "${MMTESTS_SRC:-}" ]; then
		echo "MMTESTS_SRC names no mmtests tree"
	elif [ ! -x "$MMTESTS_SRC/bin/compare-mmtests.pl" ]; then
		echo "MMTESTS_SRC=$MMTESTS_SRC: no bin/compare-mmtests.pl"
	elif ! perl -MYAML::PP -MFile::Which -MFile::Slurp -e 1 2>/dev/null
	then
		echo "mmtests' Perl modules missing (Debian: libyaml-pp-perl" \
		     "libfile-which-perl libfile-slurp-perl)"
	fi
}

why=$(mmtests_blocker)
if [ -n "$why" ]; then
	for t in "contrib/mmtests dropped in" "parse-results" \
		 "compare-mmtests.pl: tlbbench rows" \
		 "compare-mmtests.pl: significance"; do
		skip "mmtests $t" "$why"
	done
else
	M=$tmp/mmtests
	cp -a "$MMTESTS_SRC" "$M" &&
		cp -a "$srcdir/contrib/mmtests/configs" \
			"$srcdir/contrib/mmtests/drivers" \
			"$srcdir/contrib/mmtests/shellpack_src" "$M/"
	ok $? "mmtests: contrib/mmtests dropped into a copy of MMTESTS_SRC"

	# Two runs as tlbbench-bench leaves them: the set's report in the
	# logs of work/log/NAME/iter-0/tlbbench.
	for s in $A $B; do
		d=$M/work/log/$s/iter-0/tlbbench/logs
		mkdir -p "$d" &&
			"$TLBBENCH" report --format json "$ref/$s" \
				>"$d/tlbbench-report.json" || break
	done
	"$M/shellpack_src/src/tlbbench/parse-results" \
		"$M/work/log/$A/iter-0/tlbbench/logs" >"$tmp/rows" &&
		[ "$(wc -l <"$tmp/rows")" -eq 166 ] &&
		[ "$(cut -f1 "$tmp/rows" | uniq -c | awk '{ printf "%s %s ", $1, $2 }')" = \
			"40 sent 40 recv 40 irqtlb 40 usop 5 lost 1 kreports " ] &&
		grep -qx 'sent	munmap-256M-file-4k-all-2t	_	5	520	_' "$tmp/rows" &&
		grep -qx 'lost	race-64M-file-4k-2t-madvise-start	_	1	0	_' "$tmp/rows" &&
		! cut -f5 "$tmp/rows" | grep -v '^[0-9][0-9.]*$' >&2
	ok $? "mmtests parse-results: metric, run, sample and value of every sample"

	(cd "$M/work/log" && "$M/bin/compare-mmtests.pl" -d . -b tlbbench \
		-n "$A,$B") >"$tmp/compare" 2>&1
	status=$?
	tr -s ' ' <"$tmp/compare" >"$tmp/c"
	[ $status -eq 0 ] &&
		grep -q '^Amean sent-munmap-256M-file-4k-all-2t 521.60 ( 0.00%) 28.00 [ *]' "$tmp/c" &&
		grep -q '^Amean usop-munmap-256M-tmpfs-4k-all-2t 50713.64 ( 0.00%) 91525.44 [ *]' "$tmp/c" &&
		grep -q '^Amean kreports 0.00 ( 0.00%) 1.00 ' "$tmp/c" &&
		grep -q '^Amean lost-integrity-4M-file-4k-2t-madvise 0.00 ( 0.00%) 0.00 ' "$tmp/c"
	ok $? "mmtests compare-mmtests.pl: tlbbench rows of the two runs ($(grep -c '^Amean' "$tmp/compare") means)"

	# The marks of a significant change come from R (mmtests asks R for
	# its quantiles): the flushes, not the unchanged clean file.
	why=$(needs R:r-base-core)
	if [ -n "$why" ]; then
		skip "mmtests compare-mmtests.pl: significance marks" "$why"
	else
		grep -q '^Amean sent-munmap-256M-file-4k-all-2t 521.60 ( 0.00%) 28.00 \* 94.63%\*$' "$tmp/c" &&
			grep -q '^Amean sent-munmap-256M-file-4k-none-2t 28.00 ( 0.00%) 28.00 ( 0.00%)$' "$tmp/c"
		ok $? "mmtests compare-mmtests.pl: significance marks on the changed flushes, none on the clean file"
	fi
fi

done_testing
