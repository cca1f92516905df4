#!/bin/sh
# The events commands, db create --event-fields and db alter end to end:
# exact outputs, exit codes, and the store left unchanged by a refused
# import.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-events-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

run db create shop --fields 'email:string,age:int' \
    --event-fields 'amount:float,sku:string,mailing:string'
expect 0 <<'EOF'
Created database 'shop' with 2 fields, key 'email'.
Events have 3 properties.
EOF

run db create bad --fields 'email:string' --event-fields 'time:datetime'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'bad': 'time' is not an event property but a part of every event (key, event, time, event_id)
EOF

printf 'email,age\na@x,30\nb@x,41\n' >"$tmp/people.csv"
run db import shop "$tmp/people.csv"
expect 0 <<'EOF'
shop: 2 rows: 2 inserted, 0 updated, 0 unchanged, 0 rejected
EOF

cat >"$tmp/ev.csv" <<'EOF'
key,event,time,event_id,amount,sku,mailing
a@x,email_open,2026-04-01T09:00:00Z,o1,,,Black Friday
a@x,purchase,2026-04-02T10:30:00+03:00,p1,129.9,TV-55,
b@x,login,2026-04-03T08:00:00Z,l1,,,
a@x,login,2026-04-04T08:00:00Z,l2,,,
a@x,login,2026-04-04T08:00:00Z,l2,,,
EOF
run events import shop "$tmp/ev.csv"
expect 0 <<'EOF'
shop: 5 rows: 4 imported, 1 duplicate, 0 rejected
EOF
expect_err </dev/null

# Importing it again adds nothing.
run events import shop "$tmp/ev.csv"
expect 0 <<'EOF'
shop: 5 rows: 0 imported, 5 duplicates, 0 rejected
EOF

run events list shop
expect 0 <<'EOF'
TIME                  KEY  EVENT       EVENT_ID  PROPERTIES
2026-04-04T08:00:00Z  a@x  login       l2
2026-04-03T08:00:00Z  b@x  login       l1
2026-04-02T07:30:00Z  a@x  purchase    p1        amount=129.9 sku=TV-55
2026-04-01T09:00:00Z  a@x  email_open  o1        mailing=Black Friday
EOF

run --json events list shop --key a@x --from 2026-04-02 --to 2026-04-03 --limit 5
expect 0 <<'EOF'
{"time":"2026-04-02T07:30:00Z","key":"a@x","event":"purchase","event_id":"p1","amount":129.9,"sku":"TV-55","mailing":null}
EOF

run events list shop --name login --limit 1
expect 0 <<'EOF'
TIME                  KEY  EVENT  EVENT_ID  PROPERTIES
2026-04-04T08:00:00Z  a@x  login  l2
EOF

run events list shop --key nobody@x
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'shop' has no profile with key 'nobody@x'
EOF

run events list shop --from yesterday
expect 2 </dev/null

# Both ends are inclusive: one day, or one instant, is a period; an end
# before the start is a bad command line.
run events list shop --from 2026-04-03 --to 2026-04-03
expect 0 <<'EOF'
TIME                  KEY  EVENT  EVENT_ID  PROPERTIES
2026-04-03T08:00:00Z  b@x  login  l1
EOF
run events list shop --from 2026-04-03T08:00:00Z --to 2026-04-03T08:00:00Z
expect 0 <<'EOF'
TIME                  KEY  EVENT  EVENT_ID  PROPERTIES
2026-04-03T08:00:00Z  b@x  login  l1
EOF
run events list shop --from 2026-04-04 --to 2026-04-03
expect 2 </dev/null
expect_err <<'EOF'
reseg: option '--from' (2026-04-04) is after option '--to' (2026-04-03)
Usage:
  reseg events list DB [--key K] [--name E] [--from D] [--to D] [--limit N]
EOF
run events list shop --from 2026-04-03T08:00:01Z --to 2026-04-03T08:00:00Z
expect 2 </dev/null

run events stats shop
expect 0 <<'EOF'
EVENT       COUNT  FIRST                 LAST
email_open      1  2026-04-01T09:00:00Z  2026-04-01T09:00:00Z
login           2  2026-04-03T08:00:00Z  2026-04-04T08:00:00Z
purchase        1  2026-04-02T07:30:00Z  2026-04-02T07:30:00Z
4 events.
EOF
cp "$tmp/out" "$tmp/stats.before"

# A bad file changes nothing.
cat >"$tmp/bad.csv" <<'EOF'
key,event,time,event_id,amount
a@x,purchase,2026-04-05,p2,10
z@x,purchase,2026-04-05T00:00:00Z,p3,10
b@x,purchase,2026-04-05T00:00:00Z,p4,ten
b@x,purchase,2026-04-05T00:00:00Z,p5,11
EOF
run events import shop "$tmp/bad.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/bad.csv:2: time: expected an ISO 8601 date and time with Z or an offset, found '2026-04-05'
$tmp/bad.csv:3: key: no profile with key 'z@x'
$tmp/bad.csv:4: amount: expected a number, found 'ten'
reseg: events import into database 'shop' refused (3 errors); nothing was changed
EOF
run events stats shop
if ! cmp -s "$tmp/stats.before" "$tmp/out"; then
	echo "FAIL: a refused import changed the events"; fail=1
fi

printf 'email,event,colour\n' >"$tmp/cols.csv"
run events import shop "$tmp/cols.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/cols.csv:1: colour: not a column of an event file of database 'shop' (key or email, event, time, event_id, amount, sku, mailing)
$tmp/cols.csv:1: the time column is missing
reseg: events import into database 'shop' refused (2 errors); nothing was changed
EOF

# With a reject file the good rows go in.
run events import shop "$tmp/bad.csv" --reject-file "$tmp/rej.jsonl"
expect 0 <<'EOF'
shop: 4 rows: 1 imported, 0 duplicates, 3 rejected
EOF
expect_err <<EOF
shop: 3 rejected rows written to $tmp/rej.jsonl
EOF
cat >"$tmp/want" <<'EOF'
{"line":2,"reason":"time: expected an ISO 8601 date and time with Z or an offset, found '2026-04-05'","record":"a@x,purchase,2026-04-05,p2,10"}
{"line":3,"reason":"key: no profile with key 'z@x'","record":"z@x,purchase,2026-04-05T00:00:00Z,p3,10"}
{"line":4,"reason":"amount: expected a number, found 'ten'","record":"b@x,purchase,2026-04-05T00:00:00Z,p4,ten"}
EOF
cmp -s "$tmp/want" "$tmp/rej.jsonl" ||
    { echo "FAIL: reject file"; diff "$tmp/want" "$tmp/rej.jsonl"; fail=1; }

# JSON Lines from standard input.
printf '%s\n' '{"email":"b@x","event":"purchase","time":"2026-04-06T00:00:00Z","event_id":7,"amount":5}' >"$tmp/ev.jsonl"
stdin=$tmp/ev.jsonl
run events import shop - --format jsonl
stdin=
expect 0 <<'EOF'
shop: 1 row: 1 imported, 0 duplicates, 0 rejected
EOF
run events import shop -
expect 1 </dev/null
expect_err <<'EOF'
stdin: the file is empty: a CSV file starts with a header row of column names
reseg: events import into database 'shop' refused (1 error); nothing was changed
EOF

run db alter shop --add-field 'city:string' --add-event-field 'channel:string'
expect 0 <<'EOF'
Added field 'city' (string) to database 'shop'.
Added event field 'channel' (string) to database 'shop'.
EOF
run db alter shop --add-field 'city:int'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop' already has a field 'city'
EOF
run db alter shop --add-event-field 'x:int' --add-event-field 'x:float'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop' already has an event field 'x'
EOF
run db alter shop --add-event-field 'event_id:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop': 'event_id' is not an event property but a part of every event (key, event, time, event_id)
EOF
run db alter shop
expect 2 </dev/null

run db show shop
expect 0 <<'EOF'
Database:  shop
Profiles:  2
Key:       email
Created:   2026-05-01T12:00:00Z
Fields:
  email                string
  age                  int
  city                 string
Event fields:
  amount               float
  sku                  string
  mailing              string
  channel              string
Events:    6
EOF

# Old events read the added property as empty; new ones may set it.
printf 'key,event,time,channel\na@x,login,2026-04-07T00:00:00Z,app\n' >"$tmp/ch.csv"
run events import shop "$tmp/ch.csv"
expect 0 <<'EOF'
shop: 1 row: 1 imported, 0 duplicates, 0 rejected
EOF
run events list shop --limit 3
expect 0 <<'EOF'
TIME                  KEY  EVENT     EVENT_ID  PROPERTIES
2026-04-07T00:00:00Z  a@x  login               channel=app
2026-04-06T00:00:00Z  b@x  purchase  7         amount=5
2026-04-05T00:00:00Z  b@x  purchase  p5        amount=11
EOF
run db export shop
expect 0 <<'EOF'
email,age,city
a@x,30,
b@x,41,
EOF

run events prune shop --before 2026-04-03
expect 0 <<'EOF'
shop: removed 2 events before 2026-04-03T00:00:00Z.
EOF
run events prune shop
expect 2 </dev/null
run events stats shop
expect 0 <<'EOF'
EVENT     COUNT  FIRST                 LAST
login         3  2026-04-03T08:00:00Z  2026-04-07T00:00:00Z
purchase      2  2026-04-05T00:00:00Z  2026-04-06T00:00:00Z
5 events.
EOF
# The pruned event_ids are forgotten: importing them adds them again.
run events import shop "$tmp/ev.csv"
expect 0 <<'EOF'
shop: 5 rows: 2 imported, 3 duplicates, 0 rejected
EOF

run db drop shop --yes
expect 0 <<'EOF'
Dropped database 'shop'.
EOF
run db create shop --fields 'email:string'
expect 0 <<'EOF'
Created database 'shop' with 1 field, key 'email'.
EOF
run events stats shop
expect 0 <<'EOF'
No events.
EOF
run events list nodb
expect 1 </dev/null
expect_err <<'EOF'
reseg: no profile database named 'nodb'
EOF

# An events import killed after staging rounds (RESEG_EVSTAGE_ROWS=1:
# 8192 events a round; write 4 is its last round's commit): check notes
# its staged chunks, and the next import removes them and imports all.
S=$tmp/killed
run db create k --fields 'email:string' --event-fields 'amount:float'
awk 'BEGIN { print "email"; for (i = 0; i < 2000; i++) printf "p%d@k\n", i }' \
    >"$tmp/k.csv"
awk 'BEGIN { print "key,event,time,event_id"; for (i = 0; i < 20000; i++)
    printf "p%d@k,view,2026-04-%02dT11:00:00Z,v%d\n", i % 2000, i % 28 + 1,
    i * 7919 % 20000 }' >"$tmp/kev.csv"
run db import k "$tmp/k.csv"
RESEG_EVSTAGE_ROWS=1 RESEG_TEST_KILL_WRITE=4 "$RESEG" --store "$S" \
    events import k "$tmp/kev.csv" >/dev/null 2>&1
rc=$?
name="killed events import"
[ "$rc" = 137 ] || { echo "FAIL: $name: exit $rc, not killed"; fail=1; }
run check
expect 0 <<'EOF'
note: profile database 'k': an events import was interrupted; the next events import or prune removes the 4 event chunks it staged
No problems found (databases: 1, profiles: 2000, segments: 0, events: 0).
EOF
run events import k "$tmp/kev.csv"
expect 0 <<'EOF'
k: 20000 rows: 20000 imported, 0 duplicates, 0 rejected
EOF
run check
expect 0 <<'EOF'
No problems found (databases: 1, profiles: 2000, segments: 0, events: 20000).
EOF

exit $fail
