#!/bin/sh
# Missing room and missing privileges: refused or degraded with a message
# that names what is missing, and nothing left behind.
. "$TESTLIB"

srcdir=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "$srcdir/tests/resources.XXXXXX") || exit 1
chmod 755 "$tmp"
mnt=$tmp/small
cleanup() {
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$(id -u)" -ne 0 ]; then
	skip "a region larger than a small tmpfs is refused" "needs root to mount"
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
umount "$mnt"

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
(ulimit -Sn 24 && exec "$TLBBENCH" run munmap --size 4M --threads 2 \
	--cpus "$cpus" --reps 1 --warmup 0 --events none --format json) \
	>"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 0 ] && jq -e '.unsupported == {} and
	.counters["tlb_flush.remote_send_ipi"] >= 1' "$tmp/out" >/dev/null
ok $? "ulimit -Sn 24: exit $status, every counter open ($(tail -n 1 "$tmp/err"))"
(ulimit -Sn 24 && ulimit -Hn 24 && exec "$TLBBENCH" run munmap --size 4M --threads 2 \
	--cpus "$cpus" --reps 1 --warmup 0 --events none --format json) \
	>"$tmp/out" 2>"$tmp/err"
status=$?
err=$(tail -n 1 "$tmp/err")
# Whichever open fails first says so; perf_event_open's names the limit.
[ $status -eq 1 ] && case $err in
	*"perf_event_open"*"Too many open files (the limit on open files is 24"*) true ;;
	*"perf_event_open"*) false ;;
	*"Too many open files"*) true ;;
	*) false ;; esac
ok $? "ulimit -Hn 24: exit $status, one line says why ($err)"
done_testing
