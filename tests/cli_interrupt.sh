#!/bin/sh
# A run whose process is killed (kill -9) ends as Error "interrupted" at
# the next open of the store, whatever that open is: here an edit of the
# segment comes first, which once left the run In progress for ever.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-interrupt-XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0

. "$top_srcdir/tests/cli_lib.sh"

# log: segment log A without the initiator (whoever runs the tests).
log() {
	name="segment log A"
	r segment log A >"$tmp/log" 2>"$tmp/err"
	rc=$?
	awk '{ $5 = ""; print }' "$tmp/log" >"$tmp/out"
}

{ echo 'email,age'; i=1; while [ $i -le 300 ]; do echo "u$i@x,$i"; \
    i=$((i + 1)); done; } >"$tmp/p.csv"
r db create d --fields 'email:string,age:int' >/dev/null || exit 1
r db import d "$tmp/p.csv" >/dev/null || exit 1
r segment create A --db d --where 'age >= 2' >/dev/null || exit 1
r segment recalc A >/dev/null || exit 1

# kill_run: starts a slow `segment recalc A` and kills it with -9 while
# its run is In progress.
kill_run() {
	RESEG_TEST_SLOW_RUN=5000 "$RESEG" --store "$S" segment recalc A \
	    >/dev/null 2>&1 &
	pid=$!
	i=0
	until r segment log A | grep -q 'In progress$'; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "FAIL: no run in progress"; exit 1; }
		sleep 0.05
	done
	kill -9 $pid
	wait $pid 2>/dev/null
	pid=
}

kill_run
run segment edit A --where 'age >= 3'
expect 0 <<'EOF2'
Updated segment 'A'.
EOF2
log
expect 0 <<'EOF2'
RUN STARTED ENDED TYPE  ADDED REMOVED TOTAL STATUS
1 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  299 0 299 Completed
2 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  0 0 299 Error: interrupted
EOF2
run segment recalc A
expect 0 <<'EOF2'
Recalculated segment 'A' (run 3): added 0, removed 1, total 298.
EOF2

# A read is an open too: the log shows the killed run as interrupted.
kill_run
log
expect 0 <<'EOF2'
RUN STARTED ENDED TYPE  ADDED REMOVED TOTAL STATUS
1 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  299 0 299 Completed
2 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  0 0 299 Error: interrupted
3 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  0 1 298 Completed
4 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  0 0 298 Error: interrupted
EOF2
[ "$(r segment members A | wc -l)" = 298 ] || { echo "FAIL: members"; fail=1; }
exit $fail
