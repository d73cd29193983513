#!/bin/sh
# --scope process: one counter group per workload thread.  As root it
# counts what --scope threads counts (64M of dirty 4k tmpfs, 2 threads: one
# flush per page table, sent and received).  A user without root or
# CAP_PERFMON falls back to it, with one line naming what is missing.
. "$TESTLIB"

blocker=$(tracepoint_blocker)
[ -n "$blocker" ] || blocker=$(needs jq:jq)
setpriv_blocker=
if ! command -v setpriv >/dev/null; then
	setpriv_blocker="no setpriv (Debian: util-linux)"
elif ! setpriv --help 2>&1 | grep -q -- --ambient-caps; then
	setpriv_blocker="setpriv has no --ambient-caps"
fi
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlbbench-test.XXXXXX") || exit 1
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
mounts_before=$(grep -c tracefs /proc/mounts)
cpus=$(two_cpus)
other=${cpus#*,}

# run OUT COMMAND...: COMMAND (ending in tlbbench) runs 64M of dirty 4k
# tmpfs, 2 threads, 3 reps, with the options in $scope.
# The checks take the samples whose helper stayed on its CPU: on a machine
# busy enough that none did, the run is made again (3 at most).
run() {
	out=$1
	shift
	for try in 1 2 3; do
		"$@" run munmap --size 64M --threads 2 --cpus "$cpus" \
			--reps 5 --warmup 1 --format json $scope >"$out" \
			2>"$out.err" || return
		helper_stayed "$out" && return 0
		diag "$out, run $try: every helper was switched out, once more"
	done
}
# ok_judged FILE STATUS TEXT: the check's result, or SKIP where no sample
# of FILE had its helper stay: nothing to judge on a machine that busy.
ok_judged() {
	if ! helper_stayed "$1"; then
		skip "$3" "every helper was switched out in 3 runs: the machine is too busy to judge"
		return
	fi
	ok "$2" "$3"
}
scope="--scope process"
# Medians over 5 samples (see munmap-counts.sh: a helper preempted for
# one window misses that window's shootdowns; per process, a shootdown
# counts only if it lands while the helper runs: 31 of 33 was once the
# median of 3 here).
# Only the samples whose helper was not preempted (helpers_preempted).
steady='select(.helpers_preempted == 0) | '
sent='.counters["tlb_flush.remote_send_ipi"]'
recv='.per_cpu["tlb_flush.remote_shootdown"][.per_cpu.cpus | index('"$other"')]'
# Median sent and received in 32..36: 32 page tables, a few at the end.
# Where the hypervisor flushes the other CPUs (remote_flush "hypervisor"
# in every such sample: see munmap-counts.sh) none is received: then the
# records must say so, and "received" names it.
received="received"
counts_ok() {	# counts_ok FILE
	s=$(median "$1" "$steady$sent")
	r=$(median "$1" "$steady$recv")
	how=$(jq -r "$steady"'.remote_flush // "-"' "$1" | sort -u | tr '\n' ' ')
	diag "$1: median $s sent, $r received on CPU $other, of the samples whose helper stayed (remote_flush: $how)"
	if [ "$how" = "hypervisor " ]; then
		received="none received: the hypervisor flushes"
		in_range "$s" 32 36 && [ "$r" = 0 ]
		return
	fi
	in_range "$s" 32 36 && in_range "$r" 32 36
}

# Root: --scope process against --scope threads.
if [ -n "$blocker" ]; then
	skip "--scope process as root: 32..36 sent and received" "$blocker"
	skip "--scope threads as root: the same counts" "$blocker"
else
	run "$tmp/process.json" "$TLBBENCH"
	counts_ok "$tmp/process.json" &&
		jq -e 'select(.scope != "process" or .params.scope != "process"
			or has("scope_fallback"))' "$tmp/process.json" |
		{ ! grep -q .; }
	status=$?
	err=$(cat "$tmp/process.json.err")
	ok_judged "$tmp/process.json" $status "--scope process as root: 32..36 sent and $received, scope process${err:+ ($err)}"
	scope=
	run "$tmp/threads.json" "$TLBBENCH"
	scope="--scope process"
	counts_ok "$tmp/threads.json" &&
		[ "$(jq -r .scope "$tmp/threads.json" | sort -u)" = threads ]
	ok_judged "$tmp/threads.json" $? "--scope threads as root: the same counts ($received), scope threads"
fi

# Without root: per-CPU events refused (perf_event_paranoid > 0), so
# counting falls back to per process, said in one line and recorded.
line="tlbbench: system-wide counting needs root or CAP_PERFMON (perf_event_paranoid=$paranoid): counting per process"
nobody_blocker=
if [ "$(id -u)" -ne 0 ]; then
	nobody_blocker="already not root"
elif ! command -v jq >/dev/null; then
	nobody_blocker="needs jq"
elif [ -n "$setpriv_blocker" ]; then
	nobody_blocker=$setpriv_blocker
elif [ "${paranoid:-0}" -le 0 ]; then
	nobody_blocker="perf_event_paranoid=$paranoid allows counting per CPU"
fi
if [ -n "$nobody_blocker" ]; then
	skip "as nobody: falls back to per process" "$nobody_blocker"
	skip "as nobody: per-process refusal named" "$nobody_blocker"
else
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TLBBENCH" run munmap --size 64M --threads 1 \
		--cpus "${cpus%,*}" --reps 1 --warmup 0 --format json \
		>"$tmp/nobody.json" 2>"$tmp/nobody.err"
	status=$?
	[ $status -eq 0 ] &&
		[ "$(grep -cxF "$line" "$tmp/nobody.err")" -eq 1 ] &&
		jq -e --arg why "${line#tlbbench: }" '.scope == "process"
			and .params.scope == "threads"
			and .scope_fallback == $why
			and (.counters | has("interrupts.tlb"))' \
			"$tmp/nobody.json" >/dev/null
	ok $? "as nobody: exit $status, one line '${line#tlbbench: }', scope process recorded"
	if [ "$paranoid" -ge 2 ]; then
		grep -q "counting kernel events per process needs root, CAP_PERFMON or perf_event_paranoid <= 1 (it is $paranoid): no tracepoint is counted" "$tmp/nobody.err" &&
			jq -e '.unsupported["tlb_flush.remote_send_ipi"]
				| test("perf_event_paranoid <= 1")' \
				"$tmp/nobody.json" >/dev/null
		ok $? "as nobody: perf_event_paranoid=$paranoid refuses kernel events per process too, and says so"
	else
		skip "as nobody: per-process refusal named" "perf_event_paranoid=$paranoid allows it"
	fi
fi

# tracefs mounted in a private mount namespace: its root is 0700, so
# nobody cannot read the ids and is told what would let it.  With
# CAP_DAC_READ_SEARCH it reads them; with CAP_PERFMON as well it counts
# per process, and must count what root counts.
caps_blocker=${blocker:-$setpriv_blocker}
if [ -z "$caps_blocker" ] && ! command -v unshare >/dev/null; then
	caps_blocker="no unshare (Debian: util-linux)"
elif [ -z "$caps_blocker" ] && ! setpriv --reuid=65534 --regid=65534 \
	--clear-groups --inh-caps +perfmon --ambient-caps +perfmon true \
	2>/dev/null; then
	caps_blocker="setpriv cannot grant CAP_PERFMON (kernel before 5.8?)"
fi
if [ -n "$caps_blocker" ]; then
	for t in "tracefs not readable to nobody: named" \
		 "nobody with CAP_PERFMON, ids from a private tracefs: counts" \
		 "nobody with CAP_PERFMON, ids from TLBBENCH_TRACEFS: counts"; do
		skip "$t" "$caps_blocker"
	done
else
	mkdir "$tmp/tracefs"
	# A private mount, gone with the namespace; no mount option, which
	# would change every mount of tracefs (one superblock).
	private() {	# private COMMAND...: with tracefs on $tmp/tracefs
		unshare -m sh -c 'mount -t tracefs nodev "$0" && exec "$@"' \
			"$tmp/tracefs" "$@"
	}
	private setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TLBBENCH" run munmap --size 4M --threads 2 --cpus "$cpus" \
		--reps 1 --warmup 0 --format json >"$tmp/unreadable.json" \
		2>"$tmp/unreadable.err"
	status=$?
	[ $status -eq 0 ] && jq -e '.unsupported["tlb_flush.remote_send_ipi"]
		| test("tracepoint ids: .* is not readable: needs root, CAP_DAC_READ_SEARCH or tracefs mounted with gid=")' \
		"$tmp/unreadable.json" >/dev/null
	ok $? "tracefs not readable to nobody: named ($(jq -r '.unsupported["tlb_flush.remote_send_ipi"]' "$tmp/unreadable.json" 2>/dev/null | cut -c1-100))"

	caps=+dac_read_search,+perfmon
	run "$tmp/capped.json" private setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps $caps --ambient-caps $caps \
		"$TLBBENCH"
	counts_ok "$tmp/capped.json" &&
		[ "$(jq -r .scope "$tmp/capped.json" | sort -u)" = process ]
	status=$?
	err=$(cat "$tmp/capped.json.err")
	ok_judged "$tmp/capped.json" $status "nobody with CAP_PERFMON, ids from a private tracefs: 32..36 per process${err:+ ($err)}"

	# A readable copy of the ids, as an administrator could provide.
	for e in tlb/tlb_flush ipi/ipi_send_cpu ipi/ipi_send_cpumask \
		 csd/csd_queue_cpu; do
		mkdir -p "$tmp/ids/events/$e"
		private cat "$tmp/tracefs/events/$e/id" \
			>"$tmp/ids/events/$e/id" 2>/dev/null ||
			rm -r "$tmp/ids/events/$e"
	done
	chmod -R a+rX "$tmp/ids"
	run "$tmp/copy.json" env TLBBENCH_TRACEFS="$tmp/ids" setpriv \
		--reuid=65534 --regid=65534 --clear-groups --inh-caps +perfmon \
		--ambient-caps +perfmon "$TLBBENCH"
	counts_ok "$tmp/copy.json"
	status=$?
	err=$(cat "$tmp/copy.json.err")
	ok_judged "$tmp/copy.json" $status "nobody with CAP_PERFMON, ids from TLBBENCH_TRACEFS: 32..36 per process${err:+ ($err)}"
fi

# A copy of the ids is all non-root needs where perf_event_paranoid <= 1;
# here, with more, only root or CAP_PERFMON count.
if [ -n "$caps_blocker" ]; then
	skip "nobody without capabilities counts per process" "$caps_blocker"
elif [ "$paranoid" -gt 1 ]; then
	skip "nobody without capabilities counts per process" "perf_event_paranoid=$paranoid refuses kernel events to a user without CAP_PERFMON (needs <= 1)"
else
	scope=
	run "$tmp/plain.json" env TLBBENCH_TRACEFS="$tmp/ids" setpriv \
		--reuid=65534 --regid=65534 --clear-groups "$TLBBENCH"
	counts_ok "$tmp/plain.json" &&
		[ "$(jq -r .scope "$tmp/plain.json" | sort -u)" = process ]
	ok_judged "$tmp/plain.json" $? "nobody without capabilities counts per process: 32..36"
fi

[ "$(grep -c tracefs /proc/mounts)" -eq "$mounts_before" ]
ok $? "no tracefs mount left behind"
done_testing
