#!/bin/sh
# A result set is untrusted input, made to be shared: its text reaches a
# terminal only as text (a control character or broken UTF-8 shows as
# '?', in report and compare, on stdout and stderr), and its files are
# JSON or refused, one line each.
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
done_testing
