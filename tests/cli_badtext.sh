#!/bin/sh
# Issue 17, items 2 and 6: every text file reseg reads refuses a NUL byte
# and invalid UTF-8 with FILE:LINE:COL (a NUL used to end the file there:
# `segment load` saved schedule none and no conditions); timezone names
# must be zones of the tz database, not POSIX TZ strings such as ABC5.
# Exact messages and exit codes; the store is unchanged after each.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-badtext-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

# unchanged: the segment's dump and the members are what they were.
snapshot() {
	{ r segment dump "$1"; r segment members "$1"; } >"$tmp/snap.$1" 2>&1
}
unchanged() {
	{ r segment dump "$1"; r segment members "$1"; } >"$tmp/snap2" 2>&1
	if ! cmp -s "$tmp/snap.$1" "$tmp/snap2"; then
		echo "FAIL: $name: segment $1 changed"
		diff "$tmp/snap.$1" "$tmp/snap2"; fail=1
	fi
}

# expect_err1: the first line of stderr is this here-document (a usage
# follows; cli_help.sh checks those).
expect_err1() {
	cat >"$tmp/want"
	head -1 "$tmp/err" >"$tmp/err1"
	if ! cmp -s "$tmp/want" "$tmp/err1"; then
		echo "FAIL: $name: stderr differs"
		diff "$tmp/want" "$tmp/err1"; fail=1
	fi
}

r db create a --fields 'email:string,age:int,city:string' >/dev/null
printf 'email,age,city\na@x,40,Moscow\nb@x,20,Omsk\nc@x,50,Omsk\n' >"$tmp/p.csv"
r db import a "$tmp/p.csv" >/dev/null
r segment create old --db a --where 'age >= 30' \
    --schedule 'daily at 10:00 Europe/Berlin' >/dev/null
r segment recalc old >/dev/null
snapshot old

# 2. segment load: a NUL in the schedule line, then in the script.
seg() {
	printf '# reseg segment\nname: old\ndatabase: a\nkind: scheduled\n'
	printf 'state: active\ntags:\ngroups:\nrange: 0-100\nlimit: none\n'
}
{ seg; printf 'sched\000ule: daily at 11:00 UTC\nwhere:\n    age >= 45\n'; } \
    >"$tmp/nul.seg"
run segment load "$tmp/nul.seg"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/nul.seg:10:6: not UTF-8 text: a NUL byte
EOF
unchanged old
{ seg; printf 'schedule: none\nwhere:\n    age >= 45 and city = "Om\377sk"\n'; } \
    >"$tmp/bad.seg"
run segment load "$tmp/bad.seg"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/bad.seg:12:29: not UTF-8 text: invalid byte 0xFF
EOF
unchanged old
# From standard input the name is -.
{ seg; printf 'schedule: none\nwhere:\n    \303\251\000\n'; } >"$tmp/stdin.seg"
stdin=$tmp/stdin.seg run segment load -
expect 1 </dev/null
expect_err <<EOF
reseg: -:12:6: not UTF-8 text: a NUL byte
EOF
unchanged old
# Overlong, surrogate and past-U+10FFFF forms are invalid too.
for bytes in '\300\257' '\355\240\200' '\364\220\200\200' '\200'; do
	{ seg; printf "schedule: none\nwhere:\n    city = \"$bytes\"\n"; } \
	    >"$tmp/enc.seg"
	run segment load "$tmp/enc.seg"
	first=$(printf "$bytes" | od -An -tx1 | awk '{print toupper($1)}')
	expect 1 </dev/null
	expect_err <<EOF
reseg: $tmp/enc.seg:12:13: not UTF-8 text: invalid byte 0x$first
EOF
done
unchanged old
# Valid UTF-8 of every length still loads.
{ seg; printf 'schedule: none\nwhere:\n    city = "\303\251\342\202\254\360\237\230\200"\n'; } \
    >"$tmp/ok.seg"
run segment load "$tmp/ok.seg"
expect 0 <<'EOF'
Updated segment 'old'.
EOF
run segment script old
expect 0 <<'EOF'
city = "é€😀"
EOF
r segment load "$tmp/ok.seg" >/dev/null
{ seg; printf 'schedule: daily at 10:00 Europe/Berlin\nwhere:\n    age >= 30\n'; } \
    >"$tmp/back.seg"
r segment load "$tmp/back.seg" >/dev/null
r segment recalc old >/dev/null
snapshot old

# --where-file drops nothing after a NUL: it refuses the file.
printf 'age >= 30\000 and city = "Omsk"\n' >"$tmp/w"
run segment create w --db a --where-file "$tmp/w"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/w:1:10: not UTF-8 text: a NUL byte
EOF
run segment edit old --where-file "$tmp/w"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/w:1:10: not UTF-8 text: a NUL byte
EOF
unchanged old

# --from-file key lists.
r segment create st --db a --static >/dev/null
snapshot st
printf 'a@x\nb@\376x\n' >"$tmp/keys"
run segment add st --from-file "$tmp/keys"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/keys:2:3: not UTF-8 text: invalid byte 0xFE
EOF
unchanged st

# segment test: the segment file and the cases (CSV and JSON Lines).
r segment dump old >"$tmp/old.seg"
printf 'email,age,city,expect\nz@x,40,Om\000sk,in\n' >"$tmp/cases.csv"
run segment test "$tmp/old.seg" "$tmp/cases.csv"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/cases.csv:2: field 3: not UTF-8 text: a NUL byte
EOF
printf '{"email":"z@x","age":40,"city":"\351","expect":"in"}\n' \
    >"$tmp/cases.jsonl"
run segment test "$tmp/old.seg" "$tmp/cases.jsonl"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/cases.jsonl:1: column 33: not UTF-8 text: invalid byte 0xE9
EOF
printf 'name: old\000\n' >"$tmp/t.seg"
run segment test "$tmp/t.seg" "$tmp/cases.jsonl"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/t.seg:1:10: not UTF-8 text: a NUL byte
EOF

# Profile and event imports: a bad row like any other (refused, or
# written to the reject file).
r db export a >"$tmp/before.csv"
printf 'email,age,city\nd@x,33,Omsk\ne@x,34,Om\000sk\n' >"$tmp/p2.csv"
run db import a "$tmp/p2.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/p2.csv:3: city: not UTF-8 text: a NUL byte
reseg: import into database 'a' refused (1 error); nothing was changed
EOF
printf 'email,age,ci\377ty\nd@x,33,Omsk\n' >"$tmp/p3.csv"
run db import a "$tmp/p3.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/p3.csv:1: field 3: not UTF-8 text: invalid byte 0xFF
reseg: import into database 'a' refused (1 error); nothing was changed
EOF
printf '{"email":"d@x","age":33}\n{"email":"e\000@x","age":34}\n' >"$tmp/p2.jsonl"
run db import a "$tmp/p2.jsonl"
expect 1 </dev/null
expect_err <<EOF
$tmp/p2.jsonl:2: email: column 12: not UTF-8 text: a NUL byte
reseg: import into database 'a' refused (1 error); nothing was changed
EOF
r db export a >"$tmp/after.csv"
cmp -s "$tmp/before.csv" "$tmp/after.csv" ||
    { echo "FAIL: the failed imports changed the profiles"; fail=1; }
run db import a "$tmp/p2.csv" --reject-file "$tmp/rej"
expect 0 <<EOF
a: 2 rows: 1 inserted, 0 updated, 0 unchanged, 1 rejected
EOF
printf '%s\n' '{"line":3,"reason":"city: not UTF-8 text: a NUL byte","record":null}' \
    >"$tmp/want_rej"
cmp -s "$tmp/want_rej" "$tmp/rej" ||
    { echo "FAIL: reject file: $(cat "$tmp/rej")"; fail=1; }

# 6. Timezones: names of the tz database only.
for zone in ABC5 JST-9 UTC0 EST5 posix/Europe/Berlin right/UTC Factory; do
	run schedule next "daily at 10:00 $zone"
	expect 2 </dev/null
	expect_err1 <<EOF
reseg: unknown timezone '$zone': expected an IANA name such as Europe/Berlin
EOF
	run segment edit old --schedule "daily at 10:00 $zone"
	expect 2 </dev/null
	expect_err1 <<EOF
reseg: unknown timezone '$zone': expected an IANA name such as Europe/Berlin
EOF
	{ seg; printf "schedule: daily at 10:00 $zone\nwhere:\n    age >= 30\n"; } \
	    >"$tmp/tz.seg"
	run segment load "$tmp/tz.seg"
	expect 1 </dev/null
	expect_err <<EOF
reseg: $tmp/tz.seg:10: unknown timezone '$zone': expected an IANA name such as Europe/Berlin
EOF
done
unchanged old
run schedule next 'daily at 10:00 Asia/Tokyo' --after 2026-12-01T00:00:00Z --count 1
expect 0 <<'EOF'
2026-12-01T01:00:00Z
EOF
run schedule next 'daily at 10:00 Etc/GMT+5' --after 2026-12-01T00:00:00Z --count 1
expect 0 <<'EOF'
2026-12-01T15:00:00Z
EOF

[ $fail = 0 ] && echo ok
exit $fail
