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
# Its latest missed slot is 12 hours ago, outside the 2h catch-up window
# at any time of day (a fixed 00:00 would be inside it until 02:00 UTC).
HALF=$(date -u -d '-12 hours' +%H:%M)
RESEG_NOW=$OLD R segment create old --db demo --where 'orders_count >= 3' \
    --schedule "daily at $HALF UTC" >/dev/null || fail "create old"

"$RESEG" --store "$T/store" daemon --catch-up-grace 2h 2>"$T/log" &
PID=$!
i=0
while ! grep -q "automatic run 1 .* completed" "$T/log"; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$T/log"; fail "no catch-up run"; }
	sleep 0.1
done
R status | grep -q "^scheduler: process $PID " || fail "status shows no holder"
R status --json | tr -d ' \t\n' |
    grep -q "^{\"holder\":{\"pid\":$PID,\"login\":\"$(id -un)\",\"started_at\":\"[0-9T:-]*Z\"},\"running\":\[" ||
    fail "status --json: $(R status --json)"
R daemon 2>"$T/second" && fail "a second daemon started"
grep -q "is already held by process $PID" "$T/second" || fail "second: $(cat "$T/second")"
kill -TERM $PID; wait $PID || fail "daemon exit status $?"
PID=
grep -q "scheduler stopped" "$T/log" || fail "no clean stop"
[ "$(R segment log hourly | grep -c Completed)" = 1 ] || fail "catch-up not once"
R segment log old | grep -q Skipped || fail "missed slot not Skipped"
R status | grep -q "^scheduler: none" || fail "lock not released"
R status --json | tr -d ' \t\n' | grep -q '^{"holder":null,' ||
    fail "status --json without holder: $(R status --json)"

grep -q "abandoned" "$T/log" && fail "abandoned reported while idle: $(cat "$T/log")"
members_before=$(R segment members hourly | wc -l)

# SIGTERM while a run is in progress: RESEG_TEST_SLOW_RUN makes every scan
# step of an automatic run sleep, so the run lasts seconds.  The daemon
# says which run it abandons, the run is logged as Error (cancelled), no
# run is left In progress, the members stay those of the last Completed
# run, and the store opens and runs fine afterwards.
RESEG_NOW=$PAST R segment edit hourly --where 'orders_count >= 2' \
    --schedule 'every 2 hours from 00:00 UTC' >/dev/null || fail "edit"
RESEG_TEST_SLOW_RUN=400 "$RESEG" --store "$T/store" daemon 2>"$T/log2" &
PID=$!
i=0
while ! grep -q "catching up" "$T/log2"; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$T/log2"; fail "no second catch-up"; }
	sleep 0.05
done
sleep 0.3
R segment log hourly | grep -q "In progress" || fail "no run in progress: $(R segment log hourly)"
# SIGHUP (systemctl reload, a closed terminal) reads the segments again;
# it neither stops the daemon nor disturbs the run in progress.
kill -HUP $PID
i=0
while ! grep -q "signal 1: reading the segments again$" "$T/log2"; do
	i=$((i + 1)); [ $i -gt 50 ] && { cat "$T/log2"; fail "no SIGHUP message"; }
	kill -0 $PID 2>/dev/null || fail "SIGHUP stopped the daemon: $(cat "$T/log2")"
	sleep 0.05
done
sleep 0.2
kill -0 $PID 2>/dev/null || fail "SIGHUP stopped the daemon: $(cat "$T/log2")"
R segment log hourly | grep -q "In progress" || fail "SIGHUP ended the run: $(R segment log hourly)"
kill -TERM $PID; wait $PID || fail "daemon exit status $? after SIGTERM mid-run"
PID=
grep -q "signal 15: stopping$" "$T/log2" || fail "no stop message: $(cat "$T/log2")"
grep -q "segment 'hourly': the run in progress (slot .*) is abandoned; it is logged as Error and the members stay as they were" "$T/log2" ||
    fail "abandoned run not named: $(cat "$T/log2")"
grep -q "segment 'hourly': automatic run [0-9][0-9]* (slot .*) failed: recalculation cancelled$" "$T/log2" ||
    fail "no failure report: $(cat "$T/log2")"
grep -q "scheduler stopped" "$T/log2" || fail "no clean stop after SIGTERM mid-run"
R segment log hourly >"$T/runs" || fail "store does not open after SIGTERM"
grep -q "In progress" "$T/runs" && fail "run left In progress: $(cat "$T/runs")"
[ "$(grep -c Completed "$T/runs")" = 1 ] || fail "runs: $(cat "$T/runs")"
[ "$(grep -c Error "$T/runs")" = 1 ] || fail "abandoned run not Error: $(cat "$T/runs")"
tail -n 1 "$T/runs" | grep -q Error || fail "last run not Error: $(cat "$T/runs")"
total=$(awk '$0 ~ /Completed/ { for (i = 1; i <= NF; i++) if ($i == "Completed") t = $(i-1) } END { gsub(/,/, "", t); print t }' "$T/runs")
members=$(R segment members hourly | wc -l)
[ "$total" = "$members" ] || fail "members $members, last completed total $total"
[ "$members" = "$members_before" ] || fail "members changed: $members_before -> $members"
R status >/dev/null || fail "status after SIGTERM"
R status | grep -q "^scheduler: none" || fail "lock not released after SIGTERM"
R segment recalc hourly >/dev/null || fail "manual recalc after SIGTERM"
echo "ok"
