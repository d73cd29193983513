#!/bin/sh
# --victims walk: the option's refusals, spinning helpers' records as they
# were, and walking victims' figures present and consistent: a calibration
# window every repetition, the handler's flush callbacks against the
# shootdowns received, the lost time not below its noise, and no victim
# touching the region once it is gone.
. "$TESTLIB"

make_tmp

# Refused before anything runs: one line on stderr saying why, exit 2.
refused() {	# refused DESCRIPTION PATTERN ARGS...
	what=$1 pattern=$2
	shift 2
	"$TLBBENCH" run "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		[ ! -s "$tmp/out" ] && grep -q -- "$pattern" "$tmp/err"
	ok $? "$what: exit 2, one line ($st: $(cat "$tmp/err"))"
}
bad='is not spin, walk or walk:SIZE (a multiple of 4K from 8K to 1T)'
refused "--victims walk:12x" "'walk:12x' $bad" munmap --victims walk:12x
refused "--victims walk:5000 (not a multiple of 4K)" "$bad" munmap \
	--victims walk:5000
refused "--victims walk:4K (one page: no chain)" "$bad" munmap \
	--victims walk:4K
refused "--victims walk:2T" "$bad" munmap --victims walk:2T
refused "--victims walk: (no size)" "$bad" munmap --victims walk:
refused "--victims crawl" "$bad" truncate --victims crawl
refused "--victims walk with one thread" "walk needs a helper thread" \
	munmap --victims walk --threads 1
refused "--victims on madvise" "unknown option for this workload" \
	madvise --victims walk
refused "--victims on exit" "unknown option for this workload" \
	exit --victims walk
refused "zap-loop with spinning helpers" "zap-loop measures walking" \
	zap-loop --victims spin
refused "victim-rate --reps auto" "give a number" victim-rate --reps auto

# The option is on the zap workloads' help, spin the default.
"$TLBBENCH" run munmap --help | grep -q -- '--victims spin|walk\[:SIZE\]'
ok $? "munmap --help lists --victims"

blocker=$(tracepoint_blocker)
[ -n "$blocker" ] || blocker=$(needs jq:jq)
if [ -n "$blocker" ]; then
	for t in "spin records unchanged" "walk: figures present" \
		"walk: calibration every repetition" \
		"walk: flush callbacks against shootdowns" \
		"walk: lost time within its noise" "truncate survives" \
		"munmap anon survives"; do
		skip "$t" "$blocker"
	done
	done_testing
	exit 0
fi

cpus=$(two_cpus)
run() {	# run OUT WORKLOAD ARGS...
	out=$1
	shift
	"$TLBBENCH" run "$@" --size 64M --threads 2 --cpus "$cpus" \
		--reps 5 --warmup 1 --format json >"$out" 2>"$out.err"
}

# Spinning helpers, the default, write the records they always did: no
# victims figures, no params.victims, and --victims spin is the same.
run "$tmp/spin.json" munmap &&
	run "$tmp/spin2.json" munmap --victims spin &&
	jq -e -s 'all(.[]; (has("victims") | not)
		and (.params | has("victims") | not))' "$tmp/spin.json" \
		"$tmp/spin2.json" >/dev/null &&
	[ "$(jq -c '.params | keys' "$tmp/spin.json" | sort -u)" = \
	  '["attribute","backing","cpus","dir","dirty","events","fs","pages","reps","scope","size","size_bytes","threads","warmup"]' ] &&
	[ "$(jq -c 'keys - ["disturbed", "remote_flush"]' "$tmp/spin.json" | sort -u)" = \
	  '["budget_ns","counters","helpers_preempted","mapping","model","noise","notes","ns","ops","params","per_cpu","populate","preempted","rep","scope","stop","unsupported","workload"]' ] &&
	[ "$(jq -c '.counters | keys' "$tmp/spin.json" | sort -u)" = \
	  "$(jq -c '.counters | keys' "$tmp/spin2.json" | sort -u)" ]
ok $? "spin records unchanged: the keys they had, no victims ($(head -c 300 "$tmp/spin.json.err"))"

run "$tmp/walk.json" munmap --victims walk:16M
st=$?
helper=${cpus#*,}
jq -e -s --argjson h "$helper" 'length == 5 and all(.[];
	.params.victims == "walk:16M" and .victims.n == 1
	and .victims.size_bytes == 16777216
	and (.victims.per_victim | length == 1 and .[0].cpu == $h)
	and (.victims | has("lost_ns") and has("stolen_ns")
		and has("slowdown_ns") and has("noise_ns") and has("gaps")
		and has("cal_gaps") and has("loads") and has("cal_loads")
		and has("shootdowns"))
	and (.victims | has("handler_ns") or has("handler_unsupported")))' \
	"$tmp/walk.json" >/dev/null
ok $(( st || $? )) "walk: figures present in every record, for the helper's CPU ($(head -c 300 "$tmp/walk.json.err"))"

# Each repetition calibrates first, as long as the window before it (the
# warm-up's for the first), so every record has its own.
jq -e -s 'length == 5 and all(.[]; .victims.calibration_ns > 0)
	and ([range(1; length) as $i
		| .[$i].victims.calibration_ns >= .[$i - 1].victims.window_ns]
		| all)' "$tmp/walk.json" >/dev/null
ok $? "walk: calibration every repetition, as long as the last window"

# Every shootdown received runs flush_tlb_func in the call-function
# handler of the victim's CPU: its callbacks and the handler's entries
# are never fewer (more: other IPIs).  Kernels before 6.6 name no
# callbacks; where the handler cannot be sampled, nothing to check.
jq -e -s 'length == 5 and all(.[] | .victims; has("handler_unsupported")
	or ((.handler_entries >= .shootdowns)
	    and ((has("handler_functions") | not)
		 or ((.handler_functions.flush_tlb_func // 0)
		     >= .shootdowns))))' "$tmp/walk.json" >/dev/null
ok $? "walk: handler entries and flush callbacks >= shootdowns received ($(jq -c '.victims | [.shootdowns, .handler_entries, .handler_functions]' "$tmp/walk.json" | tr '\n' ' '))"

# Lost time is the window's loss against the calibration's rate: never
# below the calibration's own spread (noise_ns), in the samples whose
# victim was not switched out (its gaps would then be another task's).
steady=$(jq -r -s 'if length != 5 then "missing" else
	[.[] | select(.helpers_preempted == 0 and .victims.lost_ns != null)
	| .victims.lost_ns + .victims.noise_ns] | sort
	| if length == 0 then "none" else .[length / 2 | floor] end end' \
	"$tmp/walk.json")
case $steady in
none) skip "walk: lost time within its noise" \
	"the victim was switched out in every sample" ;;
missing) ok 1 "walk: lost time within its noise: no records" ;;
*) jq -n -e "$steady >= 0" >/dev/null
	ok $? "walk: lost time + its noise >= 0 (median $steady ns)" ;;
esac

# A victim touches the region only when told to, while it is mapped: a
# load of a truncated file's page would be SIGBUS, of an unmapped one
# SIGSEGV, and the run would die.
"$TLBBENCH" run truncate --victims walk:8M --size 8M --threads 2 \
	--cpus "$cpus" --reps 5 --format json >"$tmp/trunc.json" 2>&1
ok $? "truncate with walking victims survives 6 truncations"
"$TLBBENCH" run anon --victims walk:8M --size 8M --threads 2 \
	--cpus "$cpus" --reps 5 --format json >"$tmp/anon.json" 2>&1
ok $? "munmap of anon memory with walking victims survives 6 munmaps"

done_testing
