#!/bin/sh
# race's layouts and attacks on this kernel, which must lose nothing: each
# one passes with its window exercised, its attack counted inside the zap
# and its timing fields sane, and --self-test still finds exactly its two
# claimed stores.  A reclaim cgroup is gone after the run, even a killed one.
. "$TESTLIB"

layouts="spread:end spread:start together:end together:start"
attacks="invalidate truncate reclaim"

blocker=$(lost_write_blocker)
if [ -n "$blocker" ]; then
	for l in $layouts; do
		skip "layout $l: passes" "$blocker"
		skip "layout $l: self-test exact" "$blocker"
	done
	for a in $attacks; do
		skip "attack $a: passes" "$blocker"
		skip "attack $a: self-test exact" "$blocker"
	done
	skip "cleaner on a CPU of its own" "$blocker"
	skip "bad values refused" "$blocker"
	skip "reclaim without a cgroup refused" "$blocker"
	skip "reclaim cgroup gone after SIGTERM" "$blocker"
	skip "reclaim cgroup left by SIGKILL removed by the next run" "$blocker"
	done_testing
fi

make_tmp disk
cpus=$(two_cpus)

run() {	# run OUT SECONDS ARGS...
	out=$1
	secs=$2
	shift 2
	"$TLBBENCH" run race --dir "$tmp" --duration "$secs" --events none \
		--format json "$@" >"$out" 2>"$out.err"
}

val() {	# val FILE FILTER: jq FILTER on the one record in FILE
	jq -r "$2" "$1"
}

# The page numbers of LAYOUT and HOT: tables of 512 pages.
hot_pages() {	# hot_pages LAYOUT HOT
	i=0
	list=
	while [ $i -lt 8 ]; do
		case $1:$2 in
		spread:end) p=$((i * 512 + 511)) ;;
		spread:start) p=$((i * 512)) ;;
		together:end) p=$((504 + i)) ;;
		together:start) p=$i ;;
		esac
		list=${list:+$list,}$p
		i=$((i + 1))
	done
	echo "$list"
}

# Verdict pass, nothing lost, every check made, the window exercised and
# timed: a positive window, writeback and round trip, a closest miss only
# with misses, the cleaner's CPU one of --cpus.
passes() {	# passes FILE
	f=$1
	[ "$(wc -l <"$f")" -eq 1 ] && [ "$(val "$f" .verdict)" = pass ] &&
		[ "$(val "$f" .race.lost)" -eq 0 ] &&
		[ "$(val "$f" .race.attempts)" -gt 0 ] &&
		[ "$(val "$f" .race.pages_checked)" -eq \
		  "$(( $(val "$f" .race.attempts) * 8 ))" ] &&
		[ "$(val "$f" .race.attempts_writeback_inside_zap)" -gt 0 ] &&
		[ "$(val "$f" .race.window_ns_min)" -gt 0 ] &&
		[ "$(val "$f" .race.window_ns_mean)" -ge \
		  "$(val "$f" .race.window_ns_min)" ] &&
		[ "$(val "$f" .race.writeback_ns_min)" -gt 0 ] &&
		[ "$(val "$f" .race.writeback_ns_mean)" -ge \
		  "$(val "$f" .race.writeback_ns_min)" ] &&
		[ "$(val "$f" .race.round_trip_ns_min)" -gt 0 ] &&
		[ "$(val "$f" '.race.closest_ns == null')" = \
		  "$(val "$f" '.race.attempts_writeback_store_missed == 0')" ] &&
		[ "$(val "$f" '(.race.closest_ns // 1) > 0')" = true ] &&
		[ "$(val "$f" .race.cleaner_shares_cpu)" = true ] &&
		case ",$cpus," in
		*,"$(val "$f" .race.cleaner_cpu)",*) true ;;
		*) false ;;
		esac
}

# --self-test: exactly attempts 2 and 4 lost their claimed store to the
# first hot page, and the disk agrees after an eviction.
self_exact() {	# self_exact FILE FIRST-HOT-PAGE
	[ "$(val "$1" .verdict)" = "self-test passed" ] &&
		[ "$(val "$1" .race.lost)" -eq 0 ] &&
		[ "$(val "$1" .race.injected_found)" -eq 2 ] &&
		[ "$(val "$1" \
		   '[.lost_writes[] | "\(.attempt):\(.page):\(.injected)"] | join(",")')" \
		  = "2:$2:true,4:$2:true" ] &&
		[ "$(val "$1" '[.lost_writes[] |
			select(.on_disk == .read_after_eviction and
			       .expected != .on_disk)] | length')" -eq 2 ]
}

for l in $layouts; do
	layout=${l%:*} hot=${l#*:}
	want=$(hot_pages "$layout" "$hot")
	f="$tmp/$layout-$hot.json"
	run "$f" 2 --cpus "$cpus" --layout "$layout" --hot "$hot"
	status=$?
	diag "$(jq -c '.race | del(.hot_page_numbers)' "$f" 2>/dev/null)"
	[ $status -eq 0 ] && passes "$f" &&
		[ "$(val "$f" .race.layout)" = "$layout" ] &&
		[ "$(val "$f" .params.layout)" = "$layout" ] &&
		[ "$(val "$f" '.race.hot_page_numbers | join(",")')" = "$want" ]
	ok $? "layout $layout, hot $hot: passes, pages $want (status $status)"

	run "$f" 2 --cpus "$cpus" --layout "$layout" --hot "$hot" --self-test
	status=$?
	[ $status -eq 0 ] && self_exact "$f" "${want%%,*}"
	ok $? "layout $layout, hot $hot: self-test exact (status $status)"
done

# What each attack's record must show beyond passing.
attack_sane() {	# attack_sane FILE MODE
	f=$1
	[ "$(val "$f" .race.attack.mode)" = "$2" ] &&
		[ "$(val "$f" .params.attack)" = "$2" ] &&
		[ "$(val "$f" .race.attack.events_in_window)" -gt 0 ] &&
		[ "$(val "$f" .race.attack.events_in_window)" -le \
		  "$(val "$f" .race.attack.events)" ] &&
		[ "$(val "$f" .race.attack.attempts_hit)" -gt 0 ] &&
		[ "$(val "$f" .race.attack.attempts_hit)" -le \
		  "$(val "$f" .race.attempts)" ] || return 1
	case $2 in
	invalidate)
		# Neighbours only: no hot page is written over.
		[ "$(val "$f" '.race.attack.pages | length')" -gt 0 ] &&
			[ "$(val "$f" '[.race.attack.pages[] as $p |
				.race.hot_page_numbers[] | select(. == $p)] |
				length')" -eq 0 ] ;;
	truncate)
		# The cut range starts past every hot page, and was cut.
		[ "$(val "$f" .race.attack.first_page)" -gt \
		  "$(val "$f" '.race.hot_page_numbers | max')" ] &&
			[ "$(val "$f" .race.attack.pages_cut)" -eq \
			  "$(( ($(val "$f" .race.attack.truncates) + \
			      $(val "$f" .race.attack.punches)) * 512 ))" ] &&
			[ "$(val "$f" .race.attack.file_pages_dropped)" -gt 0 ] ;;
	reclaim)
		# Whether reclaim lands inside a zap is the kernel's and the
		# scheduler's to decide (a few attempts in a run here): the
		# count is reported and bounded, not required.
		diag "reclaim inside the zap in $(val "$f" \
			.race.attack.attempts_reclaim_in_window) attempts"
		[ "$(val "$f" .race.attack.attempts_reclaim_in_window)" -le \
		  "$(val "$f" .race.attempts)" ] &&
			case $(val "$f" .race.attack.by) in
			cgroup) [ ! -d "$(val "$f" .race.attack.cgroup)" ] ;;
			hold) [ "$(val "$f" .race.attack.hold_mib)" -gt 0 ] ;;
			*) false ;;
			esac ;;
	esac
}

for a in $attacks; do
	f="$tmp/$a.json"
	# Reclaim lands less often: a burst per zap, not a stream.
	secs=2
	[ $a = reclaim ] && secs=3
	run "$f" $secs --cpus "$cpus" --attack "$a"
	status=$?
	if [ $status -eq 2 ]; then
		# Refused: what the mode needs is not here.
		why=$(cat "$f.err")
		skip "attack $a: passes" "$why"
		skip "attack $a: self-test exact" "$why"
		continue
	fi
	diag "$(jq -c '.race.attack' "$f" 2>/dev/null)"
	# Reclaim inside a zap is not ours to force (a burst per zap, seen
	# missing from every attempt of a 3 s run once): then the run must
	# say inconclusive, lose nothing, and be sane otherwise.
	if [ $a = reclaim ] && [ $status -eq 0 ] &&
	   [ "$(val "$f" .race.attack.attempts_reclaim_in_window)" = 0 ]; then
		[ "$(val "$f" .verdict)" = inconclusive ] &&
			[ "$(val "$f" .race.lost)" -eq 0 ] &&
			attack_sane "$f" "$a"
		ok $? "attack $a: reclaim never landed inside a zap: inconclusive, nothing lost (status $status)"
	else
		[ $status -eq 0 ] && passes "$f" && attack_sane "$f" "$a"
		ok $? "attack $a: passes, counted inside the zap (status $status)"
	fi

	run "$f" 2 --cpus "$cpus" --attack "$a" --self-test
	status=$?
	[ $status -eq 0 ] && self_exact "$f" 511
	ok $? "attack $a: self-test exact (status $status)"
done

if [ "$(nproc)" -lt 3 ]; then
	skip "cleaner on a CPU of its own" "needs 3 CPUs, this machine has $(nproc)"
else
	first=${cpus%,*}
	f="$tmp/three.json"
	run "$f" 1 --cpus "$first-$((first + 2))"
	[ $? -eq 0 ] && [ "$(val "$f" .race.cleaner_shares_cpu)" = false ] &&
		[ "$(val "$f" .race.cleaner_cpu)" -eq $((first + 2)) ] &&
		[ "$(val "$f" .race.writebacks_on_zapper_cpu)" -eq 0 ] &&
		[ "$(val "$f" .race.writebacks_on_writer_cpu)" -eq 0 ]
	ok $? "cleaner on a CPU of its own with 3 CPUs"
fi

bad=0
for args in "--layout diagonal:spread or together" \
	    "--attack swap:none, reclaim, invalidate or truncate"; do
	opt=${args%% *}
	v=${args#* } v=${v%%:*}
	names=${args#*:}
	"$TLBBENCH" run race --duration 1 "$opt" "$v" >"$tmp/bad" \
		2>"$tmp/bad.err"
	status=$?
	[ $status -eq 2 ] && [ "$(wc -l <"$tmp/bad.err")" -eq 1 ] &&
		grep -q -- "$opt: '$v' is not $names\$" "$tmp/bad.err" &&
		[ ! -s "$tmp/bad" ] ||
		{ diag "$opt $v: status $status: $(cat "$tmp/bad.err")"; bad=1; }
done
ok $bad "bad values refused: exit 2, one line naming the allowed values"

# Where the reclaim cgroup would go, if cgroup v2 has the memory
# controller for a child of ours or of its root; else nothing.
cgroup_parent() {
	mnt=$(awk '$9 == "cgroup2" && $4 == "/" { print $5; exit }' \
		/proc/self/mountinfo)
	[ -n "$mnt" ] || return
	own=$mnt$(sed -n 's/^0:://p' /proc/self/cgroup)
	for d in "$own" "$mnt"; do
		if grep -qw memory "$d/cgroup.subtree_control" 2>/dev/null &&
		   [ -w "$d" ]; then
			echo "$d"
			return
		fi
	done
}

parent=$(cgroup_parent)
# Without a cgroup, reclaim would hold most of the machine's memory:
# refused, with the reason and what it would take, unless asked for.
if [ -n "$parent" ]; then
	skip "reclaim without a cgroup refused" \
		"a cgroup v2 memory controller here: reclaim uses it"
else
	"$TLBBENCH" run race --dir "$tmp" --duration 1 --events none \
		--attack reclaim >"$tmp/hold" 2>"$tmp/hold.err"
	status=$?
	[ $status -eq 2 ] && [ ! -s "$tmp/hold" ] &&
		[ "$(wc -l <"$tmp/hold.err")" -eq 1 ] &&
		grep -q "^tlbbench: race: --attack reclaim: no writable cgroup v2 memory controller (.*): the alternative holds [0-9]* MiB of this machine's [0-9]* MiB; --hold-memory allows it\$" \
		"$tmp/hold.err"
	ok $? "reclaim without a cgroup refused: exit $status ($(cat "$tmp/hold.err"))"
fi
# The reclaim cgroup of race PID: tlbbench-race.PID.START, START the
# process's start time (field 22 of its stat), once it is there.
reclaim_cgroup() {	# reclaim_cgroup PID
	n=0
	while [ $n -lt 100 ] && kill -0 "$1" 2>/dev/null; do
		for d in "$parent/tlbbench-race.$1".*; do
			[ -d "$d" ] && { echo "$d"; return; }
		done
		sleep 0.1
		n=$((n + 1))
	done
}
if [ -z "$parent" ]; then
	skip "reclaim cgroup gone after SIGTERM" \
		"no cgroup v2 memory controller here: reclaim uses a hold"
	skip "reclaim cgroup left by SIGKILL removed by the next run" \
		"no cgroup v2 memory controller here: reclaim uses a hold"
else
	"$TLBBENCH" run race --dir "$tmp" \
		--duration 30 --events none --attack reclaim \
		>/dev/null 2>"$tmp/term.err" &
	pid=$!
	cg=$(reclaim_cgroup $pid)
	seen=no
	[ -n "$cg" ] && seen=yes
	sleep 1
	kill -TERM $pid
	wait $pid
	status=$?
	[ $seen = yes ] && [ $status -eq 143 ] && [ ! -d "$cg" ]
	ok $? "reclaim cgroup gone after SIGTERM (seen $seen, status $status)"

	# SIGKILL leaves it, memory.high and all: the next run removes it,
	# says so, and makes its own under another name.
	"$TLBBENCH" run race --dir "$tmp" \
		--duration 30 --events none --attack reclaim \
		>/dev/null 2>"$tmp/kill.err" &
	pid=$!
	cg=$(reclaim_cgroup $pid)
	sleep 1
	kill -KILL $pid
	wait $pid
	left=no
	[ -n "$cg" ] && [ -d "$cg" ] && left=yes
	run "$tmp/after.json" 1 --cpus "$cpus" --attack reclaim
	status=$?
	[ $left = yes ] && [ $status -eq 0 ] && [ ! -d "$cg" ] &&
		grep -qx "tlbbench: removed $cg, left by a tlbbench that is gone" \
		"$tmp/after.json.err" &&
		[ "$(val "$tmp/after.json" .race.attack.by)" = cgroup ]
	ok $? "reclaim cgroup left by SIGKILL removed by the next run (left $left, status $status: $(cat "$tmp/after.json.err"))"
fi
done_testing
