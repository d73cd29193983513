#!/bin/sh
# A filesystem that runs out of space while the region is populated (it
# promised more than it had; --no-space-check stands in for that): one
# line saying how far it got, a failed run (exit 1), and nothing left:
# no file, no mapping, no process.
. "$TESTLIB"

make_tmp disk
small=$tmp/small
disk=$tmp/disk
cleanup() {
	for m in "$small" "$disk"; do
		mountpoint -q "$m" 2>/dev/null && umount "$m"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	skip "running out of tmpfs while populating fails cleanly" \
		"needs root to mount"
	done_testing
fi

# The run must fail with one line naming both numbers, and leave the
# filesystem as it found it, with no process behind.
out_of_space() {	# out_of_space MNT PATTERN DESCRIPTION CMD...
	mnt=$1 want=$2 what=$3
	shift 3
	used=$(df -k --output=used "$mnt" | tail -n 1)
	"$@" >/dev/null 2>"$tmp/err"
	status=$?
	err=$(cat "$tmp/err")
	[ $status -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		case $err in *"$want"*) true ;; *) false ;; esac &&
		[ -z "$(ls -A "$mnt" | grep -v '^lost+found$')" ] &&
		[ "$(df -k --output=used "$mnt" | tail -n 1)" -eq "$used" ] &&
		! pgrep -f -- "--dir $mnt" >/dev/null
	ok $? "$what: exit $status, how far it got, nothing left ($err)"
}

mkdir "$small" && mount -t tmpfs -o size=16M tlbbench-test "$small" ||
	{ echo "Bail out! cannot mount a tmpfs"; exit 1; }
run="$TLBBENCH run munmap --size 64M --threads 1 --reps 1 --warmup 0
	--events none --backing tmpfs --dir $small"

out_of_space "$small" \
	"populating the region: tmpfs on $small ran out of space after 16 of 64 MiB (MADV_POPULATE_READ: " \
	"64M dirty on a 16M tmpfs, --no-space-check" $run --no-space-check
out_of_space "$small" \
	"populating the region: tmpfs on $small ran out of space after 16 of 64 MiB (MADV_POPULATE_WRITE: " \
	"the same, --populate write" $run --no-space-check --populate write
out_of_space "$small" \
	"tmpfs on $small ran out of space after 16 of 64 MiB (MADV_POPULATE_READ: " \
	"64M, one dirty page per table, on a 16M tmpfs" \
	$run --no-space-check --dirty per-table
out_of_space "$small" \
	"munmap: populating the region: tmpfs on $small ran out of space after 16 of 64 MiB" \
	"--format json too" $run --no-space-check --format json
out_of_space "$small" \
	"exit: child: populating the region: tmpfs on $small ran out of space after 16 of 64 MiB" \
	"exit: the child that populates fails the same way and is reaped" \
	"$TLBBENCH" run exit --size 64M --threads 1 --reps 1 --warmup 0 \
	--events none --dir "$small" --no-space-check
out_of_space "$small" \
	"setup-cost: populating the region: tmpfs on $small ran out of space after 16 of 64 MiB (MADV_POPULATE_WRITE: " \
	"setup-cost: one MADV_POPULATE_WRITE over it all, how far from the file" \
	"$TLBBENCH" run setup-cost --size 64M --reps 1 --dir "$small" \
	--no-space-check

# Without the option the check still refuses it up front.
err=$($run 2>&1 >/dev/null)
status=$?
[ $status -eq 2 ] && case $err in
	*"--size: 64 MiB needed, 16 MiB free in $small"*) true ;; *) false ;; esac
ok $? "without --no-space-check: refused up front, exit $status ($err)"

# A swept size is not capped to what statvfs says either.
printf 'munmap --size 4M,64M --dir %s --no-space-check\n' "$small" >"$tmp/c"
"$TLBBENCH" plan --runs "$tmp/c" >"$tmp/runs" 2>/dev/null &&
	grep -q -- '--size 64M' "$tmp/runs"
ok $? "plan: a swept --size is not capped to the free space with --no-space-check"
umount "$small"
ok $? "the small tmpfs unmounts: nothing holds it"

# A disk-backed file read in and then written page by page (a dirty
# fraction) runs out on a store: SIGBUS, caught.
mkdir "$disk" && truncate -s 24M "$tmp/disk.img"
if command -v mkfs.ext4 >/dev/null &&
   mkfs.ext4 -q -F "$tmp/disk.img" 2>/dev/null &&
   mount -o loop "$tmp/disk.img" "$disk" 2>/dev/null; then
	out_of_space "$disk" \
		"populating the region: ext4 on $disk ran out of space after" \
		"64M, half the pages dirty, on a 24M ext4: a store gets SIGBUS" \
		"$TLBBENCH" run munmap --size 64M --threads 1 --reps 1 \
		--warmup 0 --events none --backing file --dir "$disk" \
		--dirty 0.5 --no-space-check
	case $err in *"of 64 MiB (a store: SIGBUS)") true ;; *) false ;; esac
	ok $? "the SIGBUS names the store"
	umount "$disk"
	ok $? "the ext4 disk unmounts: nothing holds it"
else
	skip "a store that finds no room gets SIGBUS, caught" \
		"cannot make and loop-mount a small ext4 (mkfs.ext4, loop device)"
	skip "the SIGBUS names the store" "no ext4 disk"
	skip "the ext4 disk unmounts" "no ext4 disk"
fi
done_testing
