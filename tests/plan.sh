#!/bin/sh
# tlbbench plan: sweeps expand to one run per value, values the machine
# cannot run are capped or dropped with a message, errors name the line.
. "$TESTLIB"

make_tmp

cat >"$tmp/c" <<CONF
# sweeps
munmap --size 4M,8M --threads 1
munmap --size 4M --threads 1,1000 --reps 2
munmap --size 4M --threads 1 --dirty all,per-table,0.5
munmap --size 4M --threads 1 --cpus 0
CONF
"$TLBBENCH" plan --runs "$tmp/c" >"$tmp/runs" 2>"$tmp/err"
ok $? "plan --runs on a config with sweeps succeeds"
cat >"$tmp/want" <<WANT
2 munmap --size 4M --threads 1
2 munmap --size 8M --threads 1
3 munmap --size 4M --threads 1 --reps 2
4 munmap --size 4M --threads 1 --dirty all
4 munmap --size 4M --threads 1 --dirty per-table
4 munmap --size 4M --threads 1 --dirty 0.5
5 munmap --size 4M --threads 1 --cpus 0
WANT
diff "$tmp/want" "$tmp/runs" >&2
ok $? "each swept value is one run, in order, with its line number"
grep -q "c:3: --threads 1000 skipped" "$tmp/err"
ok $? "a thread count beyond the CPUs is dropped with a message"

echo "munmap --size 4M,1024T --threads 1" >"$tmp/big"
"$TLBBENCH" plan --runs "$tmp/big" >"$tmp/runs" 2>"$tmp/err"
[ $? -eq 0 ] && [ "$(wc -l <"$tmp/runs")" -eq 2 ] &&
	grep -q "capped to" "$tmp/err" &&
	! grep -q 1024T "$tmp/runs"
ok $? "a swept size larger than memory is capped: $(cat "$tmp/err")"

"$TLBBENCH" plan "$tmp/c" >"$tmp/human" 2>/dev/null
grep -q '^# 7 runs, about [0-9.]* s' "$tmp/human" &&
	[ "$(grep -c '^ *[0-9]  munmap.* [0-9.]*$' "$tmp/human")" -eq 7 ]
ok $? "plan prints each run with an estimate and the total"

refused() {	# refused WHAT FILE-CONTENT
	printf '%s\n' "$2" >"$tmp/bad"
	err=$("$TLBBENCH" plan "$tmp/bad" 2>&1 >/dev/null)
	[ $? -eq 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		case $err in *"$1"*) true ;; *) false ;; esac
	ok $? "plan refuses: $2 ($err)"
}
refused "bad:1: sweeps --size and --threads" "munmap --size 4M,8M --threads 1,2"
refused "bad:1: --size" "munmap --size 4M,8Q"
refused "bad:1: --threads" "munmap --threads 1000"
refused "bad:1: no workload" "nosuch --size 4M"
# madvise's own refusals, made by plan before anything runs.
refused "bad:1: --dirty: none is not a steady state" \
	"madvise --backing file --dirty none"
refused "bad:1: --size: each of 2 threads needs a whole --chunk of it" \
	"madvise --size 6M --threads 2 --chunk 4M"
refused "no runs" "# nothing"
# Every bad line of a config in one pass, a swept line once.
printf '%s\n' "munmap --backing nfs" "munmap --size 4M --threads 1" \
	"integrity --zap foo" "nosuch" "munmap --size 4M,5Q" >"$tmp/bad"
"$TLBBENCH" plan --runs "$tmp/bad" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 4 ] &&
	grep -q "bad:1: --backing: 'nfs' is not tmpfs, file, memfd, hugetlbfs or anon$" "$tmp/err" &&
	grep -q "bad:3: --zap: 'foo' is not madvise, munmap-remap or truncate-extend$" "$tmp/err" &&
	grep -q "bad:4: no workload 'nosuch'" "$tmp/err" &&
	grep -q "bad:5: --size: '5Q'" "$tmp/err"
ok $? "every bad line is named in one pass, with the allowed values, exit 2 ($(tr '\n' '|' <"$tmp/err"))"

# Long runs keep the estimates in one column; one run is "1 run".
long="munmap --size 4M --threads 1 --backing tmpfs --pages 4k --dirty all --reps 2 --warmup 0"
printf '%s\n' "$long" "munmap --size 4M --threads 1 --reps 2" >"$tmp/long"
"$TLBBENCH" plan "$tmp/long" >"$tmp/out" 2>/dev/null &&
	[ "$(awk '!/^#/ { print length }' "$tmp/out" | sort -u | wc -l)" -eq 1 ]
ok $? "long runs: the seconds column stays aligned"
echo "munmap --size 4M --threads 1 --reps 2" >"$tmp/one"
"$TLBBENCH" plan "$tmp/one" 2>/dev/null | grep -q '^# 1 run, about [0-9]*\.[0-9] s'
ok $? "one short run: '1 run', the estimate in tenths ($("$TLBBENCH" plan "$tmp/one" 2>/dev/null | tail -n 1))"

# Each repetition's budget: prepare, the measured and the idle window.
printf '%s\n' "munmap --size 4M --threads 1 --reps 2" \
	"munmap --size 4M --threads 1 --reps auto --max-reps 7" \
	"integrity --duration 1" >"$tmp/budget"
"$TLBBENCH" plan "$tmp/budget" >"$tmp/out" 2>"$tmp/err" &&
	grep -q 'prepare *window *idle *seconds$' "$tmp/out" &&
	awk '$2 == "munmap" && $8 == 2 { fixed = ($9 == 3 && $10 >= 0 &&
		$11 == $12) }
	     $2 == "munmap" && $8 == "auto" { auto = ($11 == "8+") }
	     $2 == "integrity" { whole = ($5 == "-" && $6 == "-") }
	     END { exit !(fixed && auto && whole) }' "$tmp/out" &&
	grep -q '^# 3 runs, about [0-9.]* s at most' "$tmp/out"
ok $? "plan: reps, prepare, window and idle per repetition; auto at most; whole runs without ($(sed -n 5p "$tmp/out"))"

# The time to a verdict both ways, the line's own --max-reps kept.
printf '%s\n' "munmap --size 4M --threads 1 --reps auto --max-reps 6" \
	"integrity --duration 1" >"$tmp/verdict"
"$TLBBENCH" plan --verdict-cost "$tmp/verdict" >"$tmp/out" 2>"$tmp/err" &&
	awk '$1 == 1 && $11 == "munmap" { n++; ok = ($2 ~ /^[0-9]+\+?$/ &&
		$6 ~ /^[0-9]+\+?$/ && $10 > 0) }
	     / integrity / { n++ }
	     END { exit !(n == 1 && ok) }' "$tmp/out" &&
	grep -q '^# 1 line: [0-9.]* s populated by writes, [0-9.]* s the fast way: [0-9.]* times as fast$' "$tmp/out"
ok $? "plan --verdict-cost: a zap line run both ways with the ratio, a whole run left out ($(tail -n 1 "$tmp/out"))"

# The runs on a disk-backed file, for a guest without a disk: as each
# line is read, with presets and both spellings, per swept value.
printf '%s\n' "munmap --size 4M --backing tmpfs,file" "race --duration 5" \
	"integrity --duration 5 --backing tmpfs" "integrity --duration 5" \
	"msync-munmap --size 4M" "munmap --size 4M --backing=file" \
	"anon --size 4M" >"$tmp/disk"
printf '%s\n' "1 munmap --size 4M --backing file" "2 race --duration 5" \
	"4 integrity --duration 5" "5 msync-munmap --size 4M" \
	"6 munmap --size 4M --backing=file" >"$tmp/want"
"$TLBBENCH" plan --needs-disk "$tmp/disk" >"$tmp/out" 2>"$tmp/err" &&
	cmp -s "$tmp/out" "$tmp/want"
ok $? "plan --needs-disk: the runs on a file, presets included ($(tr '\n' '|' <"$tmp/out"))"

# Shuffled by a seed: the same runs, another order, the same for a seed.
"$TLBBENCH" plan --runs "$tmp/disk" >"$tmp/order" &&
	"$TLBBENCH" plan --runs --shuffle 2 "$tmp/disk" >"$tmp/s2" &&
	"$TLBBENCH" plan --shuffle=2 --runs "$tmp/disk" >"$tmp/s2again" &&
	"$TLBBENCH" plan --runs --shuffle 5 "$tmp/disk" >"$tmp/s5" &&
	cmp -s "$tmp/s2" "$tmp/s2again" &&
	[ "$(sort "$tmp/s2")" = "$(sort "$tmp/order")" ] &&
	[ "$(sort "$tmp/s5")" = "$(sort "$tmp/order")" ] &&
	! cmp -s "$tmp/s2" "$tmp/order" && ! cmp -s "$tmp/s2" "$tmp/s5"
ok $? "plan --runs --shuffle SEED: every run once, in an order of the seed ($(cut -d' ' -f1 "$tmp/s2" | tr '\n' ' '))"
for bad in 0 -1 x 1.5 ''; do
	err=$("$TLBBENCH" plan --runs --shuffle "$bad" "$tmp/disk" 2>&1 \
		>/dev/null)
	[ $? -eq 2 ] && [ "$err" = "tlbbench: plan: --shuffle: '$bad' is not a seed (a whole number from 1)" ] ||
		break
done
ok $? "plan --shuffle refuses a seed that is not a whole number from 1 ($err)"
err=$("$TLBBENCH" plan --shuffle 3 "$tmp/disk" 2>&1 >/dev/null)
[ $? -eq 2 ] && [ "$err" = "tlbbench: plan: --shuffle: only with --runs or --needs-disk" ]
ok $? "plan --shuffle needs --runs or --needs-disk ($err)"

err=$("$TLBBENCH" plan "$tmp/nosuch" 2>&1 >/dev/null)
[ $? -eq 2 ] && case $err in *nosuch*) true ;; *) false ;; esac
ok $? "plan refuses a missing file ($err)"
done_testing
