# TAP helpers for the shell tests.  Source it; call done_testing last.
tap_n=0
tap_failed=0
: "${TLBBENCH:=./tlbbench}"
# The source tree: the sourcing script ($0) is in tests/.
srcdir=$(cd "$(dirname "$0")/.." && pwd)

ok() {	# ok CONDITION-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# A check known to fail, for REASON: TAP's TODO, reported either way and
# counted as no failure.  Only for a finding already understood.
todo() {	# todo CONDITION-STATUS DESCRIPTION REASON
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2 # TODO $3"
	else
		echo "not ok $tap_n - $2 # TODO $3"
	fi
}

skip() {	# skip DESCRIPTION REASON
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

diag() {
	echo "$*" | sed 's/^/# /'
}

# Nothing of this file can run here, for REASON: one SKIP for the file.
skip_all() {	# skip_all REASON
	echo "1..0 # SKIP $1"
	exit 0
}

# What is missing of the commands named, as "no CMD (Debian: PACKAGE)",
# or nothing when every one is there.
needs() {	# needs CMD:PACKAGE...
	local c

	for c in "$@"; do
		command -v "${c%%:*}" >/dev/null && continue
		echo "no ${c%%:*} (Debian: ${c#*:})"
		return
	done
}

# The test's own temporary directory in $tmp, removed at exit (a test
# that must undo more sets its own EXIT trap, removing $tmp too): under
# TMPDIR, or with "disk" on a disk-backed filesystem whose page cache
# can be written back and evicted (tmpfs cannot).
make_tmp() {	# make_tmp [disk]
	local base=${TMPDIR:-/tmp}

	[ "${1:-}" = disk ] && base=$(disk_dir)
	tmp=$(mktemp -d "${base:-/tmp}/tlbbench-test.XXXXXX") || exit 1
	# Readable by the unprivileged user of the no-root checks.
	chmod 755 "$tmp"
	trap 'rm -rf "$tmp"' EXIT
}

# The median of jq FILTER over the samples of FILE (one record a line).
median() {	# median FILE FILTER
	jq -s "map($2) | sort | .[length / 2 | floor]" "$1"
}

in_range() {	# in_range VALUE LO HI
	[ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# The PID of the first process under PID (its children, theirs, ...)
# whose command line holds WORDS, or nothing: a test ends only what it
# started, found through the process tree, never by a name alone.
descendant() {	# descendant PID WORDS
	local c cmd

	for c in $(pgrep -P "$1"); do
		cmd=$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null)
		case $cmd in
		*"$2"*) echo "$c"; return 0 ;;
		esac
		descendant "$c" "$2" && return 0
	done
	return 1
}

# The first online CPU and the next: the measuring thread and one helper.
two_cpus() {
	first=$(sed 's/[-,].*//' /sys/devices/system/cpu/online)
	echo "$first,$((first + 1))"
}

# A writable directory on a disk-backed filesystem (tmpfs cannot evict
# pages), or nothing.
disk_dir() {
	for d in "${TMPDIR:-/tmp}" "$PWD" /var/tmp; do
		[ -d "$d" ] && [ -w "$d" ] || continue
		case $(stat -f -c %T "$d") in
		tmpfs|ramfs) continue ;;
		esac
		echo "$d"
		return
	done
}

# Why integrity or race cannot run here (jq reads their records), or
# nothing when they can.
lost_write_blocker() {
	if ! command -v jq >/dev/null; then
		echo "needs jq"
	elif [ "$(nproc)" -lt 2 ]; then
		echo "needs 2 CPUs, a zapper's and a writer's"
	elif [ -z "$(disk_dir)" ]; then
		echo "no writable disk-backed directory (TMPDIR, ., /var/tmp)"
	fi
}

# Why the machine cannot count tracepoints, or nothing when it can.
tracepoint_blocker() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "needs root for system-wide tracepoints"
	elif ! grep -qw tracefs /proc/filesystems; then
		echo "kernel has no tracefs"
	elif [ "$(nproc)" -lt 2 ]; then
		echo "needs a second CPU to receive shootdowns"
	fi
}

# Whether a sample of the records in FILE had its helpers stay on their
# CPUs (helpers_preempted 0): the count checks take only those.
helper_stayed() {	# helper_stayed FILE
	[ -n "$(jq 'select(.helpers_preempted == 0) | .rep' "$1")" ]
}

# Why no shootdown can be received here, or nothing: a short run of two
# threads whose every judged sample says the hypervisor flushed the
# helper's CPU (a paravirtual flush_tlb_multi, remote_flush "hypervisor").
ipi_blocker() {
	how=$("$TLBBENCH" run munmap --size 16M --threads 2 \
		--cpus "$(two_cpus)" --reps 3 --warmup 0 --format json \
		2>/dev/null | jq -r 'select(.remote_flush) | .remote_flush' |
		sort -u)
	[ "$how" = hypervisor ] &&
		echo "the hypervisor flushes remote TLBs here (remote_flush hypervisor): no shootdown IPI reaches a CPU"
}
