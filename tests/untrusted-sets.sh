#!/bin/sh
# A result set is made to be shared: as input it is untrusted, its text
# reaching a terminal only as text (a control character or broken UTF-8
# shows as '?', in report and compare, on stdout and stderr), and each
# of its records one JSON object or refused, one line naming where; as
# output it tells only what its results depend on of the machine.
. "$TESTLIB"

make_tmp
A=$FIXTURES/ab-ext4
B=$FIXTURES/ab-tmpfs

# Whether FILE holds a byte a terminal acts on: C0 but tab and newline,
# DEL, C1 (U+0080..U+009F: c2 80..9f) or a bare 9b (CSI of 8-bit
# terminals; no character of this output has it as a continuation).
controls() {	# controls FILE
	od -An -v -tx1 "$1" | tr -s ' \n' '\n\n' | awk '
		$1 == "" { next }
		prev == "c2" && $1 >= "80" && $1 <= "9f" { bad = 1 }
		($1 < "20" && $1 != "09" && $1 != "0a") || $1 == "7f" ||
			$1 == "9b" { bad = 1 }
		{ prev = $1 }
		END { exit !bad }'
}

# Payloads: an OSC that retitles the window (ESC ] ... BEL), a CSI that
# clears the screen, the same as C1, a DEL, and in the config text a
# bare 9b byte (no UTF-8: written by sed, as jq would replace it).
pay='\u001b]0;PWNED\u0007\u001b[2J\u009b2J\u007f'
raw=$(printf 'x\233[2J')
hostile() {	# hostile SET DIR: SET with payloads in DIR
	mkdir -p "$2" &&
	sed "s|\$| --dir /d$raw|" "$1/config" >"$2/config" &&
	jq -c "walk(if type == \"string\" then . + \"$pay\" else . end)" \
		"$1/system.json" >"$2/system.json" &&
	jq -c ".params.dir += \"$pay\" | .config_line += \" --dir /dRAW\"" \
		"$1/samples.jsonl" | sed "s|/dRAW|/d$raw|" >"$2/samples.jsonl"
}
hostile "$A" "$tmp/a" && hostile "$B" "$tmp/b" || exit 1

"$TLBBENCH" report "$tmp/a" >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 0 ] && ! controls "$tmp/out" && ! controls "$tmp/err" &&
	grep -qF 'kernel 6.18.44-fc-v669?]0;PWNED??[2J??2J?,' "$tmp/out"
ok $? "report: a set's control characters shown as '?' (status $status)"

# What each format shows of them: the kernel's (csv has none), and the
# config text; JSON escapes C0 itself.
for format in 'text:?]0;PWNED' 'markdown:?]0;PWNED' csv: \
	'json:\u001b]0;PWNED'; do
	"$TLBBENCH" compare --format ${format%%:*} "$tmp/a" "$tmp/b" \
		>"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status -eq 0 ] && ! controls "$tmp/out" && ! controls "$tmp/err" &&
		grep -qF -- "--dir /dx?[2J" "$tmp/out" &&
		grep -qF -- "${format#*:}" "$tmp/out"
	ok $? "compare --format ${format%%:*}: a set's control characters shown as '?' (status $status)"
done

# stderr too: a refusal that names what the set holds.
mkdir -p "$tmp/c" && cp "$A/system.json" "$A/config" "$tmp/c/" &&
	jq -c ".attribution = {available: true,
		counts: {\"attr.$pay\": \"many\"}}" "$A/samples.jsonl" \
	>"$tmp/c/samples.jsonl"
"$TLBBENCH" report "$tmp/c" >"$tmp/out" 2>"$tmp/err"
status=$?
[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	! controls "$tmp/err" && grep -qF 'attr.?]0;PWNED' "$tmp/err"
ok $? "a refusal naming a set's text shows its control characters as '?' ($(cat "$tmp/err"))"

# The JSON reader: a record is one object and nothing after it but
# white space; anything else is refused, one line naming file and line.
refused() {	# refused FILE CONTENT WHAT: the set with FILE's CONTENT
	rm -rf "$tmp/r" && mkdir "$tmp/r" &&
		cp "$A/system.json" "$A/config" "$A/samples.jsonl" "$tmp/r/" &&
		printf '%s\n' "$2" >"$tmp/r/$1"
	"$TLBBENCH" report "$tmp/r" >"$tmp/out" 2>"$tmp/err"
	status=$?
	[ $status -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		[ ! -s "$tmp/out" ] &&
		[ "$(cat "$tmp/err")" = "tlbbench: $tmp/r/$3" ]
	ok $? "report refuses $1 '$(echo "$2" | cut -c1-20)...': $(sed "s|$tmp/r/||" "$tmp/err")"
}
line=$(head -n 1 "$A/samples.jsonl")
n=$(printf '%s' "$line" | wc -c)
refused samples.jsonl "$line x" \
	"samples.jsonl:1: text after the JSON object, at byte $((n + 2))"
refused samples.jsonl "$line$line" \
	"samples.jsonl:1: text after the JSON object, at byte $((n + 1))"
refused samples.jsonl null "samples.jsonl:1: not a JSON object (null)"
refused samples.jsonl '"text"' "samples.jsonl:1: not a JSON object (string)"
system=$(jq -c . "$A/system.json")
n=$(printf '%s' "$system" | wc -c)
refused system.json "$system}" \
	"system.json: text after the JSON object, at byte $((n + 1))"
refused system.json null "system.json: not a JSON object (null)"
report='{"line": 0, "config_line": "", "kind": "WARNING", "text": ["x"]}'
n=$(printf '%s' "$report" | wc -c)
refused kernel-reports.jsonl "$report {}" \
	"kernel-reports.jsonl:1: text after the JSON object, at byte $((n + 2))"

# What a set tells of its machine: no host name, and of /proc/cmdline
# only the parameters TLB results depend on, in their order (none after
# "--", init's; no console or root device); the rest is counted.
"$TLBBENCH" describe >"$tmp/d.json"
kept=$(jq -r .cmdline "$tmp/d.json")
dropped=$(jq -r .cmdline_dropped "$tmp/d.json")
all=$(wc -w </proc/cmdline)
mitigations=$(tr ' ' '\n' </proc/cmdline | grep '^mitigations=' | head -n 1)
jq -e 'has("hostname") | not' "$tmp/d.json" >/dev/null &&
	[ $(($(echo "$kept" | wc -w) + dropped)) -eq "$all" ] &&
	tr ' ' '\n' </proc/cmdline | awk -v kept="$kept" '
		BEGIN { n = split(kept, k, " "); i = 1 }
		$0 == "--" { exit i <= n }
		i <= n && $0 == k[i] { i++ } END { exit i <= n }' &&
	! echo " $kept" | grep -q ' \(console\|root\|init\|rdinit\)=' &&
	case " $kept " in *" $mitigations "*) true ;; *) false ;; esac
ok $? "describe: no hostname, of the cmdline $(echo "$kept" | wc -w) parameters kept, $dropped dropped ($kept)"
done_testing
