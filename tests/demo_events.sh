#!/bin/sh
# The demo's events and the example segments that use them: exact counts
# (checked against SQL over the exported events when they were written),
# one profile's year and why it is in or out, and the same events on
# every run for the same "now".
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-demo-events-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
TZ=UTC
export RESEG_NOW TZ
fail=0
name=
rc=0

run() {
	name="$*"
	"$RESEG" --store "$S" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}

# expect RC: the exit status is RC and stdout is this here-document.
expect() {
	sed "s|@S@|$S|g" >"$tmp/want"
	if [ "$rc" != "$1" ]; then
		echo "FAIL: $name: exit $rc, want $1"; cat "$tmp/err"; fail=1
	fi
	if ! cmp -s "$tmp/want" "$tmp/out"; then
		echo "FAIL: $name: stdout differs"
		diff "$tmp/want" "$tmp/out"; fail=1
	fi
}

run demo --profiles 500
expect 0 <<'EOF'
Created database 'demo' with 500 profiles in @S@.
Segment 'Active buyers CIS' (scheduled): 253 profiles
Segment 'Moscow VIP subscribers' (scheduled): 4 profiles
Segment 'Test group 20%' (scheduled): 57 profiles
Segment 'Active buyers, not VIP' (scheduled): 247 profiles
Segment 'Inactive subscribers' (scheduled): 142 profiles
Segment 'Repeat buyers' (scheduled): 88 profiles
Segment 'Opened, not clicked' (scheduled): 71 profiles
Segment 'Big spenders' (scheduled): 122 profiles
Segment 'Hand-picked' (static): 25 profiles
EOF

run events stats demo
expect 0 <<'EOF'
EVENT        COUNT  FIRST                 LAST
email_click    562  2025-12-02T12:40:13Z  2026-11-24T15:16:39Z
email_open   2,133  2025-12-02T12:16:39Z  2026-11-25T06:41:03Z
email_send   5,951  2025-12-02T12:00:04Z  2026-11-24T12:59:51Z
login        5,216  2025-11-28T14:09:35Z  2026-11-28T09:17:20Z
purchase       919  2025-11-28T21:10:39Z  2026-11-28T04:05:31Z
14,781 events.
EOF

run segment script "Opened, not clicked"
expect 0 <<'EOF'
did "email_open" where (mailing = "Black Friday") and not did "email_click" where (mailing = "Black Friday")
EOF

# A subscriber registered in October: the mailings since, three purchases
# (the last at her last_purchase_at), the Black Friday mailing opened and
# not clicked.
run db export demo
grep '^olga\.lebedeva3@' "$tmp/out" >"$tmp/row"
cp "$tmp/row" "$tmp/out"
expect 0 <<'EOF'
olga.lebedeva3@mail.ru,Ольга,Лебедева,female,1980-05-06,Minsk,BY,2026-10-02T16:49:47Z,2026-10-30T19:17:59Z,3,1857.01,true,"newsletter,loyalty"
EOF
run events list demo --key olga.lebedeva3@mail.ru
expect 0 <<'EOF'
TIME                  KEY                     EVENT       EVENT_ID  PROPERTIES
2026-11-21T06:19:14Z  olga.lebedeva3@mail.ru  email_open            mailing=Black Friday
2026-11-20T12:45:40Z  olga.lebedeva3@mail.ru  email_send            mailing=Black Friday
2026-11-17T12:33:22Z  olga.lebedeva3@mail.ru  email_send            mailing=Weekly digest
2026-10-30T19:17:59Z  olga.lebedeva3@mail.ru  purchase              amount=99 sku=SP-20
2026-10-28T19:43:09Z  olga.lebedeva3@mail.ru  purchase              amount=99 sku=SP-20
2026-10-21T00:01:27Z  olga.lebedeva3@mail.ru  purchase              amount=89.1 sku=SP-20
2026-10-13T12:42:01Z  olga.lebedeva3@mail.ru  email_send            mailing=Weekly digest
2026-10-06T12:08:25Z  olga.lebedeva3@mail.ru  email_send            mailing=Weekly digest
EOF
run segment why "Repeat buyers" olga.lebedeva3@mail.ru
expect 0 <<'EOF'
'olga.lebedeva3@mail.ru' is in segment 'Repeat buyers'.
Evaluated now, profile "olga.lebedeva3@mail.ru" (number 2) is in.
Conditions: true
  did "purchase" at least 3 times within last 180 days — true (count = 3, first 2026-10-21T00:01:27Z, last 2026-10-30T19:17:59Z)
    2026-10-30T19:17:59Z purchase (amount = 99, sku = "SP-20")
    2026-10-28T19:43:09Z purchase (amount = 99, sku = "SP-20")
    2026-10-21T00:01:27Z purchase (amount = 89.1, sku = "SP-20")
EOF
run segment why "Big spenders" olga.lebedeva3@mail.ru
expect 0 <<'EOF'
'olga.lebedeva3@mail.ru' is not in segment 'Big spenders'.
Evaluated now, profile "olga.lebedeva3@mail.ru" (number 2) is out.
Conditions: false
  sum(amount) of "purchase" >= 500 within last 365 days — false (sum(amount) = 287.1; count = 3, first 2026-10-21T00:01:27Z, last 2026-10-30T19:17:59Z)
    2026-10-30T19:17:59Z purchase (amount = 99, sku = "SP-20")
    2026-10-28T19:43:09Z purchase (amount = 99, sku = "SP-20")
    2026-10-21T00:01:27Z purchase (amount = 89.1, sku = "SP-20")
EOF
run segment why "Opened, not clicked" olga.lebedeva3@mail.ru
expect 0 <<'EOF'
'olga.lebedeva3@mail.ru' is in segment 'Opened, not clicked'.
Evaluated now, profile "olga.lebedeva3@mail.ru" (number 2) is in.
Conditions: true
  all of (and) — true
    did "email_open" where (mailing = "Black Friday") — true (count = 1, first 2026-11-21T06:19:14Z, last 2026-11-21T06:19:14Z)
      2026-11-21T06:19:14Z email_open (mailing = "Black Friday")
    not — true
      did "email_click" where (mailing = "Black Friday") — false (count = 0)
EOF

# Nothing after now, nothing before the year: every event's time.
run events list demo --limit 100000 --json
cp "$tmp/out" "$tmp/events1"
n=$(grep -c '"time"' "$tmp/events1")
[ "$n" -eq 14781 ] || { echo "FAIL: $n events listed, want 14781"; fail=1; }
out=$(sed 's/^{"time":"\([^"]*\)".*/\1/' "$tmp/events1" |
    awk '$0 < "2025-11-28T12:00:00Z" || $0 > "2026-11-28T12:00:00Z"' | head -n 1)
[ -z "$out" ] || { echo "FAIL: an event outside the year: $out"; fail=1; }

# A second run replaces the demo with the same events.
run demo --profiles 500
run events list demo --limit 100000 --json
cmp -s "$tmp/events1" "$tmp/out" ||
    { echo "FAIL: the demo's events differ between two runs"; fail=1; }
exit $fail
