#!/bin/sh
# Every bad value: exit status 2 and one line on stderr naming the option.
. "$TESTLIB"

bad() {	# bad OPTION ARGS...: the run must be refused, naming OPTION
	opt=$1
	shift
	err=$("$TLBBENCH" "$@" 2>&1 >/dev/null)
	status=$?
	lines=$(printf '%s\n' "$err" | wc -l)
	case $err in *"$opt"*) named=0 ;; *) named=1 ;; esac
	[ $status -eq 2 ] && [ "$lines" -eq 1 ] && [ $named -eq 0 ]
	ok $? "refused: $* (status $status: $err)"
}

ncpu=$(nproc)
bad --size run munmap --size 12Q
bad --size run munmap --size 0
bad --size run munmap --size 5000
bad --size run munmap --size 1.5G
bad --size run munmap --size 99999999999999999999
bad --size run munmap --size
bad --threads run munmap --threads 0
bad --threads run munmap --threads two
bad --threads run munmap --threads $((ncpu + 1))
bad --backing run munmap --backing nfs
bad --dir run munmap --dir /nonexistent/tlbbench
bad --dir run munmap --dir /proc/self/status
bad --dir run munmap --backing memfd --dir /tmp
bad --pages run munmap --pages 2m
bad --pages run munmap --pages hugetlb
bad --dirty run munmap --dirty 1.5
bad --dirty run munmap --dirty 0
bad --dirty run munmap --dirty half
bad --dirty run munmap --dirty none
bad --dirty run munmap --backing memfd --dirty none
bad --scope run munmap --scope cpu
bad --scope run exit --scope process
bad --reps run munmap --reps 0
bad --reps run munmap --reps many
bad --target-ci run munmap --target-ci 3
bad --target-ci run munmap --reps 5 --target-ci 3
bad --target-ci run munmap --reps auto --target-ci 0
bad --target-ci run munmap --reps auto --target-ci 101
bad --target-ci run munmap --reps auto --target-ci 2x
bad --max-reps run munmap --max-reps 10
bad --max-reps run munmap --reps auto --max-reps 0
bad --warmup run munmap --warmup -1
bad --cpus run munmap --cpus 0-
bad --cpus run munmap --cpus 0,0
bad --cpus run munmap --cpus 4095
bad --format run munmap --format xml
bad --events run munmap --events ''
bad --attribute run munmap --attribute=bogus
bad --attribute run munmap --attribute=
bad --attribute run setup-cost --attribute
bad --bogus run munmap --bogus 1
bad --duration run munmap --duration 5
bad --duration run integrity --duration 0
bad --duration run integrity --duration soon
bad --seed run integrity --seed -1
bad --seed run integrity --seed 4294967296
bad --zap run integrity --zap mprotect
bad --self-test run integrity --self-test=yes
bad --self-test run integrity --self-test --zap truncate-extend
bad --backing run integrity --backing memfd
bad --backing run integrity --backing hugetlbfs
bad --threads run integrity --threads 1
bad --size run integrity --size 32K
bad --dirty run integrity --dirty all
bad --reps run integrity --reps 3
bad "'extra'" run munmap extra
bad "'nosuch'" run nosuch
bad "'frobnicate'" frobnicate
bad "no command"

# Checked when the backing exists: tmpfs cannot be cleaned by msync.  A
# directory that is not tmpfs: one this user can write (the file is made
# before its filesystem is checked).
if [ -d /dev/shm ] && [ "$(stat -f -c %T /dev/shm)" = tmpfs ]; then
	bad --dirty run munmap --backing file --dir /dev/shm --dirty none \
		--events none
else
	skip "file on tmpfs refused for --dirty none" "no tmpfs at /dev/shm"
fi
disk=$(disk_dir)
if [ -n "$disk" ]; then
	bad --dir run munmap --backing tmpfs --dir "$disk" --events none
else
	skip "tmpfs backing outside tmpfs refused" \
		"no writable disk-backed directory (TMPDIR, ., /var/tmp)"
fi
bad --size run munmap --size 1024T --events none
bad --mode run truncate --mode shrink
bad --mode run munmap --mode punch
bad --chunk run madvise --chunk 3K
bad --chunk run madvise --size 4M --chunk 8M
bad --share run madvise --share=yes
bad --iterations run madvise --iterations 0
bad --dirty run madvise --dirty none --backing file --events none
bad --backing run truncate --backing anon --events none
bad --backing run anon --backing tmpfs
bad --dir run msync-munmap --dir /dev/shm --events none
"$TLBBENCH" run munmap --size 1M --threads 1 --reps 1 --warmup 0 \
	--events none >/dev/null 2>&1
ok $? "run munmap --size 1M: a size below --chunk's default is fine"

"$TLBBENCH" run munmap --help >/dev/null 2>&1
ok $? "run munmap --help succeeds"
"$TLBBENCH" run integrity --help | sed -n '/--backing KIND/,/--dir/p' |
	grep -q '\[file\]$'
ok $? "run integrity --help shows the workload's own defaults"
"$TLBBENCH" list | grep -q '^  munmap '
ok $? "list names munmap"
"$TLBBENCH" list | sed -n '/^checks:/,/^$/p' | grep -q '^  integrity '
ok $? "list names integrity among the whole-run checks"
[ "$("$TLBBENCH" list | grep -c '^[a-z]*: ')" = 3 ]
ok $? "list groups the workloads in three kinds"
# A workload's own options: in its help and its record only.
help=$("$TLBBENCH" run race --help)
printf '%s\n' "$help" | grep -q -- '--hot end|start' &&
	! printf '%s\n' "$help" | grep -qi integrity
ok $? "run race --help shows race's own options and no other workload's"
! "$TLBBENCH" run munmap --help | grep -q -- '--hot\|--seed\|--zapper'
ok $? "run munmap --help shows no other workload's own option"
out=$("$TLBBENCH" run munmap --hot end 2>&1)
[ $? -eq 2 ] && [ "$out" = "tlbbench: --hot: unknown option" ]
ok $? "an option of another workload is refused (exit 2, one line)"
out=$("$TLBBENCH" run race --layout sideways 2>&1)
[ $? -eq 2 ] &&
	[ "$out" = "tlbbench: --layout: 'sideways' is not spread or together" ]
ok $? "a workload's own choice is checked like a shared one"
# Every subcommand reads its command line one way: --help anywhere asks
# for the usage, "--" ends the options, an option given a value it does
# not take is refused.
A=$FIXTURES/ab-ext4
B=$FIXTURES/ab-tmpfs
make_tmp
conf=$tmp/conf
echo "munmap --size 4M --threads 1" >"$conf"
for c in "plan $conf" "report $A" "compare $A $B" "plotdata --out x $A $B" \
	"kernel-log mark" list describe version; do
	set -- $c
	out=$("$TLBBENCH" "$@" --help 2>&1)
	status=$?
	[ $status -eq 0 ] && case $out in *usage:*) true ;; *) false ;; esac
	ok $? "$1 ... --help after its operands: the usage, exit $status"
done
"$TLBBENCH" plan -- "$conf" >/dev/null &&
	"$TLBBENCH" report -- "$A" >/dev/null &&
	"$TLBBENCH" compare -- "$A" "$B" >/dev/null
ok $? "plan, report and compare take '--' before their operands"
bad --runs plan --runs=yes "$conf"
done_testing
