#!/bin/sh
# compare --vary dirty on a result set run-bench makes here: a dirty and
# a clean (msync'd) disk-backed file of 64M, and dirty tmpfs, which has no
# clean counterpart.  The clean file must send at least 10x fewer flushes,
# marked exact or significant.
. "$TESTLIB"

blocker=$(tracepoint_blocker)
[ -n "$blocker" ] || blocker=$(needs jq:jq)

[ -z "$blocker" ] || skip_all "$blocker"

# --dirty none needs a disk-backed file, and run-bench puts them in the
# result set: keep it on a disk filesystem.
[ -n "$(disk_dir)" ] || skip_all "no disk-backed directory: no file to clean"
make_tmp disk

cpus=$(sed 's/[-,].*//' /sys/devices/system/cpu/online)
cpus="$cpus,$((cpus + 1))"
line="munmap --size 64M --threads 2 --cpus $cpus"
cat >"$tmp/conf" <<CONF
$line --backing file --pages 4k --dirty all --reps 6
$line --backing file --pages 4k --dirty none --reps 6
$line --backing tmpfs --pages 4k --dirty all --reps 6
CONF
TLBBENCH_RESULTS=$tmp "$srcdir/run-bench" --config "$tmp/conf" vary \
	>/dev/null 2>"$tmp/err"
ok $? "run-bench on 3 lines ($(tail -n 1 "$tmp/err"))"

"$TLBBENCH" compare --vary dirty "$tmp/vary" >"$tmp/text" 2>"$tmp/err" &&
	grep -q '^  A: --dirty all (line 1), B: --dirty none (line 2)$' \
	"$tmp/text" &&
	grep -q '^  sent/GiB .*[!*]$' "$tmp/text"
ok $? "--vary dirty table, sender flushes marked ($(cat "$tmp/err"))"
diag "$(cat "$tmp/text" | sed -n '/^munmap/,$p')"

"$TLBBENCH" compare --vary dirty --format json "$tmp/vary" >"$tmp/json"
jq -e '.blocks | length == 1' "$tmp/json" >/dev/null &&
jq -e '.blocks[0].metrics[] | select(.metric == "sent/GiB") | .columns
	| .[0].median >= 10 * .[1].median and .[0].median > 0
	  and (.[1].mark == "!" or .[1].mark == "**" or .[1].mark == "*")' \
	"$tmp/json" >/dev/null
status=$?
mark=$(jq -r '.blocks[0].metrics[0].columns[1].mark' "$tmp/json")
ok $status "clean file: >= 10x fewer sender flushes, marked $mark"

tmpfs="$line --backing tmpfs --pages 4k --dirty all --reps 6"
jq -e '.blocks[0].title | test("--backing file --pages 4k --dirty [*]")' \
	"$tmp/json" >/dev/null &&
	jq -e --arg text "$tmpfs" \
	'.unmatched == [{label: "A", line: 3, config_line: $text,
			 why: "no other value of --dirty"}]' \
	"$tmp/json" >/dev/null
ok $? "tmpfs line listed as not compared"
done_testing
