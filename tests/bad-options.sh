#!/bin/sh
# Bad options and values of every command, in one table.  Each row must
# be refused the same way: exit status 2, exactly one line on stderr that
# names the option or operand at fault, nothing on stdout, and nothing
# left behind.  Each row runs in an empty directory, with TMPDIR and
# TLBBENCH_RESULTS pointing at empty (or missing) directories of its own.
. "$TESTLIB"

make_tmp
A=$FIXTURES/ab-ext4
B=$FIXTURES/ab-tmpfs
ncpu=$(nproc)
cpu0=$(sed 's/[-,].*//' /sys/devices/system/cpu/online)

# Inputs the rows name: a plain file, a directory, bad configs, broken
# result sets, 26 sets for one too many.
input=$tmp/in
mkdir -p "$input/a-directory" "$input/no-samples" \
	"$input/dir-json/system.json" "$input/sets"
: >"$input/a-file"
: >"$input/empty.conf"
echo "munmap --size 12Q" >"$input/bad-size.conf"
echo "nosuch-workload --size 4M" >"$input/bad-workload.conf"
echo "munmap --size 4M --threads 0,1" >"$input/bad-sweep.conf"
cp "$A/system.json" "$input/no-samples/"
for i in $(seq -w 1 26); do ln -s "$A" "$input/sets/$i"; done

refused() {	# refused COMMAND WORD ROW-TEXT ARGS...
	cmd=$1 word=$2 text=$3
	shift 3
	case $cmd in
	tlbbench) prog=$TLBBENCH ;;
	*) prog=$srcdir/$cmd ;;
	esac
	row=$tmp/row
	rm -rf "$row"
	mkdir -p "$row/cwd" "$row/tmp"
	(cd "$row/cwd" && TMPDIR=$row/tmp TLBBENCH_RESULTS=$row/results \
		exec "$prog" "$@") >"$row/out" 2>"$row/err"
	status=$?
	err=$(cat "$row/err")
	left=$(find "$row/cwd" "$row/tmp" "$row/results" -mindepth 1 \
		2>/dev/null | sed "s|^$row/||" | head -n 3 | tr '\n' ' ')
	[ -e "$row/results" ] && left="results/ $left"
	why=
	[ $status -eq 2 ] || why="$why status $status;"
	[ "$(wc -l <"$row/err")" -eq 1 ] && [ -n "$err" ] ||
		why="$why $(wc -l <"$row/err") lines on stderr;"
	grep -qF -- "$word" "$row/err" || why="$why does not name $word;"
	[ -s "$row/out" ] && why="$why stdout not empty;"
	[ -z "$left" ] || why="$why left $left;"
	if [ -z "$why" ]; then
		ok 0 "$cmd $text: $err"
	else
		ok 1 "$cmd $text:$why"
		diag "$(head -n 5 "$row/err")"
	fi
}

# COMMAND: tlbbench or a script; WORD: what the line must name; then the
# arguments, as the shell would read them ("$A", "$B": two result sets).
while read -r cmd word args; do
	case $cmd in ''|'#'*) continue ;; esac
	eval "set -- $args"
	refused "$cmd" "$word" "$args" "$@"
done <<'TABLE'
# command      word              arguments
tlbbench       command
tlbbench       frobnicate        frobnicate
tlbbench       --bogus           --bogus
tlbbench       extra             list extra
tlbbench       --json            list --json
tlbbench       extra             describe extra
tlbbench       extra             version extra

# run: workloads and unknown options
tlbbench       workload          run
tlbbench       nosuch            run nosuch
tlbbench       --size            run --size 4M
tlbbench       --bogus           run munmap --bogus 1
tlbbench       -s                run munmap -s 4M
tlbbench       extra             run munmap --size 4M extra
tlbbench       --iterations      run munmap --iterations 3
tlbbench       --mode            run munmap --mode punch
tlbbench       --dir             run anon --dir /tmp
tlbbench       --backing         run anon --backing tmpfs
tlbbench       --no-space-check  run anon --no-space-check
tlbbench       --attribute       run setup-cost --attribute
# run: missing values
tlbbench       --size            run munmap --size
tlbbench       --threads         run munmap --threads
tlbbench       --backing         run munmap --backing
tlbbench       --dir             run munmap --dir
tlbbench       --pages           run munmap --pages
tlbbench       --dirty           run munmap --dirty
tlbbench       --reps            run munmap --reps
tlbbench       --warmup          run munmap --warmup
tlbbench       --cpus            run munmap --cpus
tlbbench       --format          run munmap --format
tlbbench       --events          run munmap --events
tlbbench       --scope           run munmap --scope
tlbbench       --mode            run truncate --mode
tlbbench       --chunk           run madvise --chunk
tlbbench       --iterations      run madvise --iterations
tlbbench       --duration        run integrity --duration
tlbbench       --seed            run integrity --seed
tlbbench       --zap             run integrity --zap
# run: malformed sizes
tlbbench       --size            run munmap --size 12Q
tlbbench       --size            run munmap --size 4MB
tlbbench       --size            run munmap --size -1
tlbbench       --size            run munmap --size 0
tlbbench       --size            run munmap --size 5000
tlbbench       --size            run munmap --size 1.5G
tlbbench       --size            run munmap --size 0x10
tlbbench       --size            run munmap --size=
tlbbench       --size            run munmap --size 99999999999T
tlbbench       --size            run munmap --size 99999999999999999999
tlbbench       --chunk           run madvise --chunk 3K
tlbbench       --chunk           run madvise --chunk 0
tlbbench       --chunk           run madvise --chunk 99999999999T
# run: malformed counts
tlbbench       --threads         run munmap --threads 0
tlbbench       --threads         run munmap --threads -1
tlbbench       --threads         run munmap --threads two
tlbbench       --threads         run munmap --threads 1.5
tlbbench       --threads         run munmap --threads $((ncpu + 1))
tlbbench       --reps            run munmap --reps 0
tlbbench       --reps            run munmap --reps -3
tlbbench       --reps            run munmap --reps many
tlbbench       --warmup          run munmap --warmup -1
tlbbench       --warmup          run munmap --warmup x
tlbbench       --max-reps        run munmap --reps auto --max-reps 0
tlbbench       --max-reps        run munmap --reps auto --max-reps 1000001
tlbbench       --target-ci       run munmap --reps auto --target-ci 0
tlbbench       --target-ci       run munmap --reps auto --target-ci 101
tlbbench       --target-ci       run munmap --reps auto --target-ci 2x
tlbbench       --target-ci       run munmap --reps auto --target-ci nan
tlbbench       --iterations      run madvise --iterations 0
tlbbench       --duration        run integrity --duration 0
tlbbench       --duration        run integrity --duration soon
tlbbench       --seed            run integrity --seed -1
tlbbench       --seed            run integrity --seed 4294967296
# run: bad choices
tlbbench       hugetlbfs         run munmap --backing nfs
tlbbench       --pages           run munmap --pages 2m
tlbbench       --dirty           run munmap --dirty half
tlbbench       --dirty           run munmap --dirty 1.5
tlbbench       --dirty           run munmap --dirty 0
tlbbench       --dirty           run munmap --dirty -0.5
tlbbench       --format          run munmap --format xml
tlbbench       --format          run munmap --format=
tlbbench       --scope           run munmap --scope cpu
tlbbench       punch             run truncate --mode shrink
tlbbench       truncate-extend   run integrity --zap mprotect
tlbbench       --attribute       run munmap --attribute=bogus
tlbbench       --attribute       run munmap --attribute=
tlbbench       send              run munmap --attribute send
tlbbench       --cpus            run munmap --cpus 0-
tlbbench       --cpus            run munmap --cpus abc
tlbbench       --cpus            run munmap --cpus 0,0
tlbbench       --cpus            run munmap --cpus 4095
tlbbench       --events          run munmap --events ''
tlbbench       --events          run munmap --events a,,b
tlbbench       --events          run munmap --events a,
tlbbench       --events          run munmap --events a,b,c,d,e,f,g,h,i
tlbbench       --dir             run munmap --dir ''
tlbbench       --dir             run munmap --dir /nonexistent/tlbbench
tlbbench       --dir             run munmap --dir "$tmp/in/a-file"
tlbbench       --share           run madvise --share=yes
tlbbench       --self-test       run integrity --self-test=yes
tlbbench       --no-space-check  run munmap --no-space-check=yes
# run: options that conflict
tlbbench       --target-ci       run munmap --target-ci 3
tlbbench       --target-ci       run munmap --reps 5 --target-ci 3
tlbbench       --max-reps        run munmap --max-reps 10
tlbbench       --reps            run setup-cost --reps auto
tlbbench       --dirty           run munmap --dirty none
tlbbench       --dirty           run munmap --backing memfd --dirty none
tlbbench       --dir             run munmap --backing memfd --dir /tmp
tlbbench       --pages           run munmap --pages hugetlb
tlbbench       --pages           run munmap --backing hugetlbfs --pages 4k
tlbbench       --pages           run munmap --backing hugetlbfs --pages thp
tlbbench       --chunk           run madvise --size 4M --chunk 8M
tlbbench       --threads         run munmap --threads 2 --cpus "$cpu0"
tlbbench       --self-test       run integrity --self-test --zap truncate-extend
tlbbench       --backing         run integrity --backing memfd
tlbbench       --threads         run integrity --threads 1
tlbbench       --size            run integrity --size 32K
tlbbench       --hot             run race --hot middle
tlbbench       --hot             run race --hot
tlbbench       --backing         run race --backing tmpfs
tlbbench       --threads         run race --threads 1
tlbbench       --size            run race --size 2M
tlbbench       --zap             run race --zap truncate-extend
tlbbench       --dirty           run race --dirty all
# run: refused when the region is made, before anything is counted
tlbbench       --size            run munmap --size 1024T --events none
tlbbench       --dir             run munmap --backing hugetlbfs --dir "$tmp/in" --events none
tlbbench       --backing         run truncate --backing anon --events none

# plan
tlbbench       CONFIG            plan
tlbbench       CONFIG            plan --runs
tlbbench       --bogus           plan --bogus "$tmp/in/bad-size.conf"
tlbbench       extra             plan "$tmp/in/empty.conf" extra
tlbbench       no-such.conf      plan "$tmp/in/no-such.conf"
tlbbench       a-directory       plan "$tmp/in/a-directory"
tlbbench       empty.conf        plan --runs "$tmp/in/empty.conf"
tlbbench       --size            plan "$tmp/in/bad-size.conf"
tlbbench       --threads         plan --runs "$tmp/in/bad-sweep.conf"
tlbbench       nosuch-workload   plan "$tmp/in/bad-workload.conf"

# report
tlbbench       SET               report
tlbbench       --bogus           report --bogus "$A"
tlbbench       --per             report --per lines "$A"
tlbbench       --per             report --per
tlbbench       ab-tmpfs          report "$A" "$B"
tlbbench       no-such-set       report "$tmp/in/no-such-set"
tlbbench       a-file            report "$tmp/in/a-file"
tlbbench       no-samples        report "$tmp/in/no-samples"
tlbbench       dir-json          report "$tmp/in/dir-json"

# compare
tlbbench       BASE              compare
tlbbench       NEW               compare "$A"
tlbbench       --bogus           compare --bogus "$A" "$B"
tlbbench       -x                compare -x "$A" "$B"
tlbbench       --format          compare --format xml "$A" "$B"
tlbbench       --format          compare --format= "$A" "$B"
tlbbench       --format          compare "$A" "$B" --format
tlbbench       --metrics         compare --metrics '' "$A" "$B"
tlbbench       --metrics         compare --metrics bogus/xyz "$A" "$B"
tlbbench       --metrics         compare --metrics no.such.counter "$A" "$B"
tlbbench       --vary            compare --vary dirty "$A" "$B"
tlbbench       --vary            compare --vary '' "$A"
tlbbench       --vary            compare --vary no-such-param "$A"
tlbbench       no-such-set       compare "$A" "$tmp/in/no-such-set"
tlbbench       a-file            compare "$tmp/in/a-file" "$B"
tlbbench       no-samples        compare "$A" "$tmp/in/no-samples"
tlbbench       dir-json          compare "$A" "$tmp/in/dir-json"
tlbbench       ab-tmpfs          compare "$tmp/in/sets/"* "$B"

# plotdata
tlbbench       --out             plotdata
tlbbench       --out             plotdata "$A" "$B"
tlbbench       --out             plotdata --out
tlbbench       --out             plotdata --out= "$A" "$B"
tlbbench       NEW               plotdata --out o "$A"
tlbbench       --bogus           plotdata --out o --bogus "$A" "$B"
tlbbench       --format          plotdata --out o --format png "$A" "$B"
tlbbench       --vary            plotdata --out o --vary dirty "$A" "$B"
tlbbench       --vary            plotdata --out o --vary '' "$A"
tlbbench       --vary            plotdata --out o --vary no-such-param "$A"
tlbbench       no-such-set       plotdata --out o "$A" "$tmp/in/no-such-set"
tlbbench       dir-json          plotdata --out o "$A" "$tmp/in/dir-json"
tlbbench       ab-tmpfs          plotdata --out o "$tmp/in/sets/"* "$B"
tlbbench       --out             plotdata --out "$tmp/in/a-file" "$A" "$B"
tlbbench       --out             plotdata --out "$tmp/in/a-file/sub" "$A" "$B"

# run-bench
run-bench      --bogus           --bogus
run-bench      -x                -x
run-bench      --force           --force=yes
run-bench      --config          --config
run-bench      --config          --config=
run-bench      no-such-config    --config no-such-config
run-bench      a-directory       --config "$tmp/in/a-directory"
run-bench      --size            --config "$tmp/in/bad-size.conf"
run-bench      nosuch-workload   --config "$tmp/in/bad-workload.conf"
run-bench      empty.conf        --config "$tmp/in/empty.conf"
run-bench      two-names         one-name two-names
run-bench      bad/name          bad/name
run-bench      .hidden           .hidden
run-bench      bad:name          bad:name
run-bench      --cpus            --cpus 2
run-bench      --disk            --disk 2G name
run-bench      --kernel          --kernel
run-bench      --kernel          --kernel /nonexistent/vmlinuz name
run-bench      NAME              --kernel "$tmp/in/a-file"
run-bench      --cpus            --kernel "$tmp/in/a-file" --cpus 0 name
run-bench      --cpus            --kernel "$tmp/in/a-file" --cpus x name
run-bench      --mem             --kernel "$tmp/in/a-file" --mem lots name
run-bench      --accel           --kernel "$tmp/in/a-file" --accel xen name
run-bench      --disk            --kernel "$tmp/in/a-file" --disk 2Q name
run-bench      --disk-kind       --kernel "$tmp/in/a-file" --disk 1G --disk-kind nvme name
run-bench      --disk-kind       --kernel "$tmp/in/a-file" --disk-kind ram name
run-bench      --disk-kind       --disk-kind ram name
run-bench      zfs               --kernel "$tmp/in/a-file" --disk 1G --disk-fs zfs name
run-bench      SIZE              --kernel "$tmp/in/a-file" --disk-fs xfs name
run-bench      300M              --kernel "$tmp/in/a-file" --disk 256M --disk-fs xfs name
run-bench      --kernel          --disk-fs btrfs name
run-bench      --timeout         --kernel "$tmp/in/a-file" --timeout -1 name
run-bench      --disk            --kernel "$tmp/in/a-file" --disk '1+cpus[$(touch PWNED)]M' name
run-bench      --mem             --kernel "$tmp/in/a-file" --mem '1+cpus[$(touch PWNED)]G' name
run-bench      --disk            --kernel "$tmp/in/a-file" --disk 08G name
run-bench      --cpus            --kernel "$tmp/in/a-file" --cpus 08 name
run-bench      --timeout         --kernel "$tmp/in/a-file" --timeout 0600 name
run-bench      --modules         --kernel "$tmp/in/a-file" --modules /nonexistent name
run-bench      --append          --kernel "$tmp/in/a-file" name --append

# compare-bench
compare-bench  BASE
compare-bench  NEW               "$A"
compare-bench  compare-bench     --bogus "$A" "$B"
compare-bench  --metrics?        --metric sent "$A" "$B"
compare-bench  --format          --format xml "$A" "$B"
compare-bench  --format          --format
compare-bench  --metrics         --metrics
compare-bench  --metrics         --metrics=nonsense/GiB/op "$A" "$B"
compare-bench  --vary            --vary
compare-bench  --vary            --vary dirty "$A" "$B"
compare-bench  no-such-name      no-such-name "$B"

# plot-bench
plot-bench     BASE
plot-bench     NEW               "$A"
plot-bench     --bogus           --bogus "$A" "$B"
plot-bench     --format          --format gif "$A" "$B"
plot-bench     --format          --format
plot-bench     --out             --out
plot-bench     --out             --out= "$A" "$B"
plot-bench     --out             --out "$tmp/in/a-file" "$A" "$B"
plot-bench     --vary            --vary
plot-bench     --vary            --vary dirty "$A" "$B"
plot-bench     --vary            --vary no-such-param "$A"
plot-bench     no-such-name      no-such-name "$B"
TABLE
done_testing
