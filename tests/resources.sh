#!/bin/sh
# Missing room and missing privileges: refused or degraded with a message
# that names what is missing, and nothing left behind.
. "$TESTLIB"

make_tmp disk
mnt=$tmp/small
cleanup() {
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	rm -rf "$tmp"
}
trap cleanup EXIT

# A file size limit (ulimit -f) below --size: refused, naming it, not a
# death by SIGXFSZ; output past it fails the command with one line.
(ulimit -f 1024 && exec "$TLBBENCH" run munmap --size 4M --threads 1 \
	--backing file --dir "$tmp" --events none) >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	grep -qx 'tlbbench: munmap: --size: 4M is larger than the file size limit, [0-9]*[KM] (ulimit -f)' \
	"$tmp/err"
ok $? "--size past ulimit -f refused: exit $status ($(cat "$tmp/err"))"
(ulimit -f 1 && exec "$TLBBENCH" describe) >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 1 ] &&
	[ "$(cat "$tmp/err")" = "tlbbench: writing the output: File too large" ]
ok $? "output past ulimit -f: exit $status ($(cat "$tmp/err"))"
rm -f "$tmp/out" "$tmp/err"

if [ "$(id -u)" -ne 0 ]; then
	skip "a region larger than a small tmpfs is refused" "needs root to mount"
	skip "95% of MemAvailable in tmpfs refused" "needs root to mount"
	skip "a file on tmpfs twice the machine's memory refused" "needs root to mount"
	skip "a file on ramfs twice the machine's memory refused" "needs root to mount"
	skip "4M on ramfs, which reports no room, runs" "needs root to mount"
	skip "a run without root degrades" "already not root"
	done_testing
fi

mkdir "$mnt" && mount -t tmpfs -o size=16M tlbbench-test "$mnt"
err=$("$TLBBENCH" run munmap --size 64M --threads 1 --dir "$mnt" \
	--events none 2>&1 >/dev/null)
status=$?
[ $status -eq 2 ] && case $err in
	*"--size: 64 MiB needed, 16 MiB free in $mnt"*) true ;; *) false ;; esac &&
	[ -z "$(ls -A "$mnt")" ]
ok $? "64M on a 16M tmpfs: exit $status, both numbers named ($err)"

# A region may take 90% of MemAvailable, given or swept.  On the small
# tmpfs a size past that is refused by the memory check, which comes
# first: a missing one would leave it to statvfs, never to memory.
avail_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
size=$((avail_kb / 100 * 95 / 4 * 4))K
err=$("$TLBBENCH" run munmap --size "$size" --threads 1 --dir "$mnt" \
	--events none 2>&1 >/dev/null)
status=$?
[ $status -eq 2 ] && case $err in
	*"MiB of memory available, of which a region may take 90%") true ;;
	*) false ;; esac
ok $? "95% of MemAvailable in tmpfs refused: exit $status ($err)"
umount "$mnt"

# A file on a filesystem held in memory takes memory, whatever room it
# reports: a tmpfs sized twice the machine, and ramfs, which reports
# none.  The size is twice the machine's; --dirty none would be refused
# later on either, so a missing memory check fails here without taking
# the machine's memory.
total_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
size=$((total_kb * 2 / 4 * 4))K
for fs in tmpfs ramfs; do
	opts=
	[ $fs = ramfs ] || opts=size=$((total_kb * 4))k
	mount -t $fs ${opts:+-o $opts} tlbbench-test "$mnt" || exit 1
	err=$("$TLBBENCH" run munmap --size "$size" --threads 1 \
		--backing file --dir "$mnt" --dirty none --events none \
		2>&1 >/dev/null)
	status=$?
	[ $status -eq 2 ] && case $err in
		*"of which a region may take 90% ($mnt keeps its files in memory)") true ;;
		*) false ;; esac && [ -z "$(ls -A "$mnt")" ]
	ok $? "a file on $fs twice the machine's memory refused: exit $status ($err)"
	if [ $fs = ramfs ]; then
		err=$("$TLBBENCH" run munmap --size 4M --threads 1 --reps 1 \
			--warmup 0 --backing file --dir "$mnt" \
			--events none 2>&1 >/dev/null)
		ok $? "4M on ramfs, which reports no room, runs ($err)"
	fi
	umount "$mnt"
done

# Without root: tracepoints are unsupported, each with the reason, and
# the run still counts what it can.
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TLBBENCH" run munmap --size 4M --threads 1 --reps 1 \
		--warmup 0 --format json >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status -eq 0 ] &&
		jq -e '(.unsupported["tlb_flush.remote_send_ipi"]
			| test("needs root|Permission denied|Operation not permitted"))
		and (.counters | has("interrupts.tlb"))' "$tmp/out" >/dev/null
	ok $? "as nobody: exit $status, tracepoints unsupported with the reason, interrupts counted"
else
	skip "a run without root degrades" "no setpriv (Debian: util-linux)"
fi

# Open files: about ten events per CPU.  A soft limit far too low is
# raised to the hard one, as perf does; a hard limit that low is named.
blocker=$(tracepoint_blocker)
if [ -n "$blocker" ]; then
	skip "a soft limit of 24 open files is raised" "$blocker"
	skip "a hard limit of 24 open files is named" "$blocker"
	done_testing
fi
cpus=$(two_cpus)
# What opens here without a limit (kprobes need the kprobe PMU) must
# open with a soft limit of 24 too.
"$TLBBENCH" run munmap --size 4M --threads 2 --cpus "$cpus" --reps 1 \
	--warmup 0 --events none --format json 2>/dev/null |
	jq -c '.unsupported | keys' >"$tmp/want"
(ulimit -Sn 24 && exec "$TLBBENCH" run munmap --size 4M --threads 2 \
	--cpus "$cpus" --reps 1 --warmup 0 --events none --format json) \
	>"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 0 ] && [ -s "$tmp/want" ] &&
	[ "$(jq -c '.unsupported | keys' "$tmp/out")" = "$(cat "$tmp/want")" ] &&
	jq -e '.counters["tlb_flush.remote_send_ipi"] >= 1' "$tmp/out" >/dev/null
ok $? "ulimit -Sn 24: exit $status, every counter open that opens without it (unsupported: $(cat "$tmp/want"); $(tail -n 1 "$tmp/err"))"
(ulimit -Sn 24 && ulimit -Hn 24 && exec "$TLBBENCH" run munmap --size 4M --threads 2 \
	--cpus "$cpus" --reps 1 --warmup 0 --events none --format json) \
	>"$tmp/out" 2>"$tmp/err"
status=$?
err=$(cat "$tmp/err")
# Refused before anything is opened: both numbers and the fix.
[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
	case $err in
	*"open files: up to "*" needed ("*" events on each of 2 CPUs"*"but the limit is 24 (hard limit 24): raise it, e.g. ulimit -Hn "*) true ;;
	*) false ;; esac
ok $? "ulimit -Hn 24: exit $status, one line names both numbers and the fix ($err)"

# What counting costs, per CPU: one group per online CPU, each holding
# every event that opens here, and the times of open, read and close.
online=$(grep -c '^processor' /proc/cpuinfo)
"$TLBBENCH" run munmap --size 4M --threads 1 --reps 1 --warmup 0 \
	--events none --scope system --format json 2>/dev/null |
	jq '.counters | keys | map(select(. != "interrupts.tlb")) | length' \
	>"$tmp/events"
"$TLBBENCH" run counter-cost --reps 2 --events none --scope system \
	--format json >"$tmp/cost" 2>"$tmp/err"
status=$?
events=$(cat "$tmp/events")
[ $status -eq 0 ] && [ "${events:-0}" -gt 0 ] &&
	jq -e --argjson n "$online" --argjson e "$events" \
	'.cpus == $n and .slots == $n and .events_open == $n * $e and
	 .open_ns > 0 and .read_ns > .procfs_read_ns and .procfs_read_ns > 0
	 and .close_ns > 0' "$tmp/cost" >/dev/null
ok $? "counter-cost: $online CPUs x $events events open, times of each step: $(jq -c '[.events_open, .open_ns, .read_ns, .procfs_read_ns, .close_ns]' "$tmp/cost" 2>&1) ($(cat "$tmp/err"))"
done_testing
