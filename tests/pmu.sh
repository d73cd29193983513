#!/bin/sh
# The hardware events the default set and the victims' set stand for must
# encode on the PMUs users have, which libpfm4 can show without them:
# LIBPFM_FORCE_PMU makes it take that model as this CPU's.  Each model
# gets its own events (never perf's generic fallback where the model has
# one), each with an encoding; AMD's bare L1_DTLB_MISS needs a unit mask,
# and libpfm4 4.13 has no TLB_FLUSH for Sapphire Rapids.
. "$TESTLIB"

blocker=$(needs jq:jq ldd:libc-bin)
[ -z "$blocker" ] || skip_all "$blocker"
ldd "$TLBBENCH" | grep -q libpfm || skip_all "built without libpfm4"

# model, default events, victims' events (space-separated)
while read -r pmu dflt vict; do
	out=$(LIBPFM_FORCE_PMU=$pmu "$TLBBENCH" describe | jq -c '.hw_events')
	got_d=$(echo "$out" | jq -r '[.default[].name] | join(",")')
	got_v=$(echo "$out" | jq -r '[.victims[].name] | join(",")')
	echo "$out" | jq -e --arg m "$pmu" '.model == $m
		and all((.default + .victims)[]; .type == 4
			and (.config | test("^0x[0-9a-f]+$")))' >/dev/null &&
		[ "$got_d" = "$dflt" ] && [ "$got_v" = "$vict" ]
	ok $? "$pmu: default $got_d, victims $got_v, each encoded for the core PMU"
done <<EOF
skl DTLB_LOAD_MISSES:WALK_COMPLETED,TLB_FLUSH:STLB_ANY DTLB_LOAD_MISSES:WALK_ACTIVE
icl DTLB_LOAD_MISSES:WALK_COMPLETED,TLB_FLUSH:STLB_ANY DTLB_LOAD_MISSES:WALK_ACTIVE
spr DTLB_LOAD_MISSES:WALK_COMPLETED DTLB_LOAD_MISSES:WALK_ACTIVE
amd64_fam17h_zen2 L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS L1_DTLB_MISS:TLB_RELOAD_4K_L2_HIT
amd64_fam19h_zen3 L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS L1_DTLB_MISS:TLB_RELOAD_4K_L2_HIT
amd64_fam19h_zen4 L1_DTLB_MISS:TLB_RELOAD_4K_L2_MISS L1_DTLB_MISS:TLB_RELOAD_4K_L2_HIT
EOF

done_testing
