#!/bin/sh
# `segment test` with cases that carry events (README, "Segments as text"),
# exact outputs: the README's example, a window edge, "opened but did not
# click", a case without events, and refusals with CASES:LINE.
set -u
: "${RESEG:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-segtest-ev-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
r() { "$RESEG" --store "$tmp/store" "$@" >"$tmp/out" 2>&1; rc=$?; }
# ok RC: exit status and output (stdout and stderr) as the here-document
ok() {
	cat >"$tmp/want"
	if [ "$rc" != "$1" ] || ! cmp -s "$tmp/want" "$tmp/out"; then
		echo "FAIL: exit $rc, want $1"; diff "$tmp/want" "$tmp/out"
		fail=1
	fi
}

r db create shop --fields 'email:string,country:string' \
    --event-fields 'amount:float,sku:string,mailing:string'
r db create other --fields 'id:int'
cat >"$tmp/seg.txt" <<'EOT'
name: buyers or unclicked
database: shop
kind: scheduled
schedule: daily at 09:00 Europe/Berlin
where:
    sum(amount) of "purchase" >= 100 within last 30 days
    or (did "email_open" where (mailing = "Black Friday")
        and not did "email_click" where (mailing = "Black Friday"))
EOT
cat >"$tmp/c.jsonl" <<'EOT'
{"email": "a@x", "expect": "in", "events": [{"event": "purchase", "time": "2026-11-01T10:00:00Z", "amount": 120, "sku": "TV-1"}, {"event": "email_open", "time": "2026-11-20T08:00:00+01:00", "mailing": "Black Friday"}]}
{"email": "b@x", "expect": "in", "events": [{"event": "purchase", "time": "2026-10-29T12:00:00Z", "amount": 60}, {"event": "purchase", "time": "2026-11-28T12:00:00Z", "amount": 40}]}
{"email": "c@x", "expect": "out", "events": [{"event": "purchase", "time": "2026-10-29T11:59:59Z", "amount": 60}, {"event": "purchase", "time": "2026-11-28T12:00:00Z", "amount": 40}]}
{"email": "d@x", "expect": "in", "events": [{"event": "email_open", "time": "2026-11-20T08:00:00Z", "mailing": "Black Friday"}, {"event": "email_click", "time": "2026-11-20T08:01:00Z", "mailing": "Spring"}]}
{"email": "e@x", "expect": "out", "events": [{"event": "email_open", "time": "2026-11-20T08:00:00Z", "mailing": "Black Friday"}, {"event": "email_click", "time": "2026-11-20T08:01:00Z", "mailing": "Black Friday"}]}
{"email": "f@x", "country": "DE", "expect": "in"}
EOT
r segment test "$tmp/seg.txt" "$tmp/c.jsonl"
ok 1 <<EOT
ok    $tmp/c.jsonl:1: a@x is in
ok    $tmp/c.jsonl:2: b@x is in
ok    $tmp/c.jsonl:3: c@x is out
ok    $tmp/c.jsonl:4: d@x is in
ok    $tmp/c.jsonl:5: e@x is out
FAIL  $tmp/c.jsonl:6: f@x is out, expected in
6 cases: 5 passed, 1 failed.
EOT
# nothing went into the real store
r events stats shop
ok 0 <<'EOT'
No events.
EOT

# refusals name the case's line and the event
printf '{"email": "a@x", "expect": "in"}\n{"email": "b@x", "expect": "in", "events": [{"event": "purchase", "time": "2026-11-01T10:00:00Z"}, {"event": "purchase", "time": "2026-11-01T10:00:00Z", "amount": "a lot"}]}\n' >"$tmp/bad.jsonl"
r segment test "$tmp/seg.txt" "$tmp/bad.jsonl"
ok 1 <<EOT
reseg: $tmp/bad.jsonl:2: events[1].amount: expected a number, found 'a lot'
EOT
printf '{"email": "a@x", "expect": "in", "events": [{"event": "purchase", "time": "2026-11-01T10:00:00Z", "colour": "red"}]}\n' >"$tmp/bad.jsonl"
r segment test "$tmp/seg.txt" "$tmp/bad.jsonl"
ok 1 <<EOT
reseg: $tmp/bad.jsonl:1: events[0]: database 'shop' has no event property 'colour'
EOT
printf '{"email": "a@x", "expect": "in", "events": [{"event": "purchase"}]}\n' >"$tmp/bad.jsonl"
r segment test "$tmp/seg.txt" "$tmp/bad.jsonl"
ok 1 <<EOT
reseg: $tmp/bad.jsonl:1: events[0]: the event has no 'time'
EOT
printf 'email,expect,events\na@x,in,purchase\n' >"$tmp/bad.csv"
r segment test "$tmp/seg.txt" "$tmp/bad.csv"
ok 1 <<EOT
reseg: $tmp/bad.csv:1: CSV cases cannot carry events: write the cases as JSON Lines
EOT
exit $fail
