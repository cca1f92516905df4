#!/bin/sh
# reseg daemon: catch-up once, Skipped outside the window, one scheduler
# per store, and SIGTERM mid-run leaves a consistent store.
set -u
: "${RESEG:=reseg}"
T=$(mktemp -d)
trap 'kill $PID 2>/dev/null; rm -rf "$T"' EXIT
PID=
fail() { echo "FAIL: $*"; exit 1; }
R() { "$RESEG" --store "$T/store" "$@"; }
unset RESEG_NOW

R db create demo --fields 'email:string,orders_count:int' >/dev/null || fail "db create"
/usr/bin/python3 -c "
print('email,orders_count')
for i in range(200000): print('u%d@x.org,%d' % (i, i % 7))" > "$T/p.csv"
R db import demo "$T/p.csv" >/dev/null || fail "import"
PAST=$(date -u -d '-150 min' +%Y-%m-%dT%H:%M:%SZ)
OLD=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%SZ)
RESEG_NOW=$PAST R segment create hourly --db demo --where 'orders_count >= 1' \
    --schedule 'every 1 hours from 00:00 UTC' >/dev/null || fail "create hourly"
RESEG_NOW=$OLD R segment create old --db demo --where 'orders_count >= 3' \
    --schedule 'daily at 00:00 UTC' >/dev/null || fail "create old"

"$RESEG" --store "$T/store" daemon --catch-up-grace 2h 2>"$T/log" &
PID=$!
i=0
while ! grep -q "automatic run 1 .* completed" "$T/log"; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$T/log"; fail "no catch-up run"; }
	sleep 0.1
done
R status | grep -q "^scheduler: process $PID " || fail "status shows no holder"
R daemon 2>"$T/second" && fail "a second daemon started"
grep -q "is already held by process $PID" "$T/second" || fail "second: $(cat "$T/second")"
kill -TERM $PID; wait $PID || fail "daemon exit status $?"
PID=
grep -q "scheduler stopped" "$T/log" || fail "no clean stop"
[ "$(R segment log hourly | grep -c Completed)" = 1 ] || fail "catch-up not once"
R segment log old | grep -q Skipped || fail "missed slot not Skipped"
R status | grep -q "^scheduler: none" || fail "lock not released"

# SIGTERM while a run is (probably) in progress: no In progress left, and
# the members agree with the last Completed run.
RESEG_NOW=$PAST R segment edit hourly --where 'orders_count >= 2' \
    --schedule 'every 2 hours from 00:00 UTC' >/dev/null || fail "edit"
"$RESEG" --store "$T/store" daemon 2>"$T/log2" &
PID=$!
i=0
while ! grep -q "catching up" "$T/log2"; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "no second catch-up"
	sleep 0.01
done
kill -TERM $PID; wait $PID
PID=
R segment log hourly | grep -q "In progress" && fail "run left In progress"
total=$(R segment log hourly | awk '$NF == "Completed" { t = $(NF-1) } END { print t }')
members=$(R segment members hourly | wc -l)
[ "$total" = "$members" ] || fail "members $members, last completed total $total"
echo "ok"
