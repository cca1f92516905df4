#!/bin/sh
# A recalculation of a segment of an attached database runs on the UI's
# worker: the UI answers while the server works, and ^C cancels the
# statement on the server (PQcancel) at once; the run ends as Error
# "recalculation cancelled" and the members stay as they were.
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/pg_lib.sh"
trap 'pg_stop_all; tui_cleanup' EXIT
R() { "$RESEG" --store "$TMP/store" "$@"; }

pg_start one
pg_sql one "CREATE TABLE people (id serial, email text, age integer);
INSERT INTO people (email, age) VALUES ('a@x', 30), ('b@x', 20);
CREATE VIEW slow AS SELECT p.* FROM people p, pg_sleep(30) s;" || exit 99
R db attach slow --postgres "$pg_one" --table slow --key email \
    --timeout 120 >/dev/null || fail "attach"
R segment create Slow --db slow --where 'age >= 30' >/dev/null ||
    fail "segment"
$T new-session -d -x 80 -y 24 \
    "$RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "1 segment"
keys Enter
wait_for "Segment: Slow"
keys r
# The statement is running on the server.
i=0
until [ "$(pg_sql one "SELECT count(*) FROM pg_stat_activity
    WHERE query LIKE '%reseg_rows%' AND state = 'active'
    AND pid <> pg_backend_pid()")" = 1 ]; do
	[ $i -lt 50 ] || fail "the statement never reached the server"
	sleep 0.1
	i=$((i + 1))
done
# The UI answers meanwhile: the help overlay opens and closes.
keys F1
wait_for "Help"
keys Escape
keys C-c
wait_for_secs 3 "recalculation cancelled"
[ "$(pg_sql one "SELECT count(*) FROM pg_stat_activity
    WHERE query LIKE '%reseg_rows%' AND state = 'active'
    AND pid <> pg_backend_pid()")" = 0 ] ||
    fail "the statement still runs on the server"
R segment log Slow | grep -q 'Error: recalculation cancelled' ||
    fail "the run is not logged as cancelled"
[ "$(R segment members Slow)" = "" ] || fail "members changed"
keys q q
wait_for "EXITED 0"
