#!/bin/sh
# Attached PostgreSQL databases end to end, against real servers the test
# starts (tests/pg_lib.sh): db attach / show / list / refresh / drop with
# exact outputs, the refused password, the type of every column type,
# runs and their failures (a stopped server, a statement timeout, a table
# gone), members kept by a failed run, and the operations an attached
# database refuses.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-pg-XXXXXX")
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"
. "$top_srcdir/tests/pg_lib.sh"
trap 'pg_stop_all; rm -rf "$tmp"' EXIT

# runp ARGS...: run, with the servers' temporary directory written PG.
runp() {
	run "$@"
	sed -i "s|$pg_root|PG|g" "$tmp/out" "$tmp/err"
}
# log NAME: the segment's run log without the initiator.
log() {
	name="segment log $1"
	r segment log "$1" >"$tmp/log" 2>"$tmp/err"
	rc=$?
	awk '{ $5 = ""; print }' "$tmp/log" >"$tmp/out"
}

pg_start one
pg_sql one "CREATE TABLE people (id serial PRIMARY KEY, email text NOT NULL,
  age integer, city varchar(40));
INSERT INTO people (email, age, city) VALUES ('a@x', 30, 'Oslo'),
  ('b@x', 20, 'Rome'), ('c@x', 45, NULL), ('d@x', NULL, 'Oslo'),
  ('e@x', 33, 'Rome');
CREATE TABLE kinds (k text, v varchar(40), c char(3), i2 smallint,
  i4 integer, i8 bigint, f4 real, f8 double precision, n numeric(8,2),
  b boolean, d date, tz timestamptz, ts timestamp, tt text[],
  tv varchar(10)[], raw bytea, doc json, u uuid, iv interval);
CREATE TABLE events (who text, what text, at timestamptz, amount numeric,
  event_id text, note bytea);" || exit 99

# A password in either form of connection string is refused.
runp db attach p --postgres "$pg_one password=secret" --table people \
    --key email
expect 1 </dev/null
expect_err <<'EOF'
reseg: the connection string holds a password; keep it in ~/.pgpass, PGPASSFILE or a service file, which the store never copies
EOF
run db attach p --postgres 'postgresql://postgres:secret@localhost/postgres' \
    --table people --key email
expect 1 </dev/null
expect_err <<'EOF'
reseg: the connection string holds a password; keep it in ~/.pgpass, PGPASSFILE or a service file, which the store never copies
EOF
run db attach p --postgres "$pg_one" --table people
expect 2 </dev/null
runp db attach p --postgres "$pg_one" --table nope --key email
expect 1 </dev/null
expect_err <<'EOF'
reseg: PostgreSQL has no table or view 'nope'
EOF
runp db attach p --postgres "$pg_one" --table people --key age
expect 1 </dev/null
expect_err <<'EOF'
reseg: column 'age' of table 'people' (the key) is integer; it must be text, varchar or char
EOF
runp db attach p --postgres "$pg_one" --table people --key email --order nope
expect 1 </dev/null
expect_err <<'EOF'
reseg: table 'people' has no column 'nope' (the order)
EOF
runp db attach p --postgres "$pg_one" --table people --key email \
    --events-table events
expect 2 </dev/null
runp db attach p --postgres "$pg_one" --table people --key email \
    --timeout 0
expect 2 </dev/null
run db list
expect 0 <<'EOF'
No databases.
EOF

# Every column type the attachment maps, and those it does not offer.
runp db attach k --postgres "$pg_one" --table public.kinds --key k \
    --timeout 20
expect 0 <<'EOF'
Attached database 'k': table 'public.kinds' of PostgreSQL, key 'k'.
EOF
runp db show k
expect 0 <<'EOF'
Database:  k
Source:    PostgreSQL
Connect:   host=PG/one/sock port=5432 user=postgres dbname=postgres
Table:     public.kinds
Key:       k
Order:     (the key)
Timeout:   20 s
Keys seen: 0
Attached:  2026-11-28T12:00:00Z
Fields (column, PostgreSQL type, field type):
  k                    text                         string
  v                    character varying(40)        string
  c                    character(3)                 string
  i2                   smallint                     int
  i4                   integer                      int
  i8                   bigint                       int
  f4                   real                         float
  f8                   double precision             float
  n                    numeric(8,2)                 float
  b                    boolean                      bool
  d                    date                         date
  tz                   timestamp with time zone     datetime
  ts                   timestamp without time zone  datetime
  tt                   text[]                       tags
  tv                   character varying(10)[]      tags
EOF

runp db attach p --postgres "$pg_one" --table people --key email --order id \
    --events-table events --events-key who --events-name what \
    --events-time at
expect 0 <<'EOF'
Attached database 'p': table 'people' of PostgreSQL, key 'email'.
EOF
runp db show p
expect 0 <<'EOF'
Database:  p
Source:    PostgreSQL
Connect:   host=PG/one/sock port=5432 user=postgres dbname=postgres
Table:     people
Key:       email
Order:     id
Timeout:   300 s
Keys seen: 0
Attached:  2026-11-28T12:00:00Z
Fields (column, PostgreSQL type, field type):
  email                text                         string
  id                   integer                      int
  age                  integer                      int
  city                 character varying(40)        string
Events:    table events, key who, name what, time at
Event fields (column, PostgreSQL type, field type):
  amount               numeric                      float
EOF
r db create local --fields 'email:string' >/dev/null || exit 1
run db list
expect 0 <<'EOF'
NAME   PROFILES  FIELDS  KEY    SOURCE
k             0      15  k      postgresql
local         0       1  email  local
p             0       4  email  postgresql
EOF

# Runs: the members come from the server, numbered as first met.
r segment create older --db p --where 'age >= 30' >/dev/null || exit 1
r segment create first2 --db p --where 'age >= 20 or city = "Oslo"' \
    --limit 2 >/dev/null || exit 1
run segment recalc older
expect 0 <<'EOF'
Recalculated segment 'older' (run 1): added 3, removed 0, total 3.
EOF
run segment members older
expect 0 <<'EOF'
a@x
c@x
e@x
EOF
run segment recalc first2
expect 0 <<'EOF'
Recalculated segment 'first2' (run 1): added 2, removed 0, total 2.
EOF
run segment members first2
expect 0 <<'EOF'
a@x
b@x
EOF
run segment sql older
if [ "$rc" != 0 ] || ! grep -q '"people"' "$tmp/out"; then
	echo "FAIL: segment sql older: exit $rc"; cat "$tmp/out" "$tmp/err"
	fail=1
fi
run segment sql nolocal
expect 1 </dev/null
r segment create loc --db local >/dev/null || exit 1
run segment sql loc
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'loc' runs in reseg: its database 'local' is not attached from PostgreSQL
EOF
run segment why older b@x
expect 0 <<'EOF'
'b@x' is not in segment 'older'.
The conditions, evaluated in PostgreSQL:
  no    `age` >= 30
EOF
run segment why older zz@x
expect 1 </dev/null
expect_err <<'EOF'
reseg: table 'people' has no profile 'zz@x'
EOF

# A new row, a changed one: the next run adds and removes.
pg_sql one "UPDATE people SET age = 10 WHERE email = 'a@x';
INSERT INTO people (email, age) VALUES ('f@x', 50);" || exit 99
run segment recalc older
expect 0 <<'EOF'
Recalculated segment 'older' (run 2): added 1, removed 1, total 3.
EOF
run segment members older
expect 0 <<'EOF'
c@x
e@x
f@x
EOF

# Refresh: a new column is offered, a dropped one a segment uses is refused.
pg_sql one "ALTER TABLE people ADD COLUMN score real" || exit 99
run db refresh p
expect 0 <<'EOF'
Added field 'score' (float).
EOF
run db refresh p
expect 0 <<'EOF'
Database 'p': the fields are as they were.
EOF
pg_sql one "ALTER TABLE people DROP COLUMN score" || exit 99
run db refresh p
expect 0 <<'EOF'
Removed field 'score' (float).
EOF
pg_sql one "ALTER TABLE people RENAME COLUMN age TO years" || exit 99
run db refresh p
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'first2' would no longer check: unknown field 'age' in database 'p'; nothing was changed
EOF
pg_sql one "ALTER TABLE people RENAME COLUMN years TO age" || exit 99
run db refresh local
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'local' is not attached: its fields are its own
EOF

# What needs the profiles in the store is refused.
printf 'email,age\nz@x,1\n' >"$tmp/p.csv"
run db import p "$tmp/p.csv"
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'p' is attached from PostgreSQL: importing profiles is done in PostgreSQL, not in reseg
EOF
run db export p
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'p' is attached from PostgreSQL: exporting profiles is done in PostgreSQL, not in reseg
EOF
run db alter p --add-field x:int
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'p' is attached from PostgreSQL: its fields are the table's columns, read again by a refresh
EOF
run segment update older --set age=1
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'p' is attached from PostgreSQL: editing profiles is done in PostgreSQL, not in reseg
EOF
run db delete-profiles p z@x --yes
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'p' is attached from PostgreSQL: deleting profiles is done in PostgreSQL, not in reseg
EOF

# Failures end the run as Error with the server's message; members stay.
pg_sql one "CREATE VIEW slow AS SELECT p.* FROM people p, pg_sleep(5) s" ||
    exit 99
runp db attach slow --postgres "$pg_one" --table slow --key email --timeout 1
expect 0 <<'EOF'
Attached database 'slow': table 'slow' of PostgreSQL, key 'email'.
EOF
r segment create sl --db slow --where 'age >= 30' >/dev/null || exit 1
run segment recalc sl
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'sl' (run 1): PostgreSQL: canceling statement due to statement timeout
EOF
pg_sql one "ALTER TABLE people RENAME TO people2" || exit 99
run segment recalc older
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'older' (run 3): PostgreSQL: relation "people" does not exist
EOF
pg_sql one "ALTER TABLE people2 RENAME TO people" || exit 99
# A reseg killed mid-statement cannot cancel it; the server notices the
# lost client within a second (client_connection_check_interval) instead
# of running the 5-second statement to its end.
r db attach slow3 --postgres "$pg_one" --table slow --key email >/dev/null ||
    exit 1
r segment create sl3 --db slow3 >/dev/null || exit 1
active() {
	pg_sql one "SELECT count(*) FROM pg_stat_activity
	    WHERE query LIKE '%reseg_rows%' AND state = 'active'
	    AND pid <> pg_backend_pid()"
}
"$RESEG" --store "$S" segment recalc sl3 >/dev/null 2>&1 &
killed=$!
i=0
until [ "$(active)" = 1 ]; do
	[ $i -lt 50 ] || { echo "FAIL: the statement of sl3 never ran"; fail=1; break; }
	sleep 0.1
	i=$((i + 1))
done
kill -9 $killed
wait $killed 2>/dev/null
i=0
until [ "$(active)" = 0 ]; do
	[ $i -lt 25 ] || { echo "FAIL: the statement of a killed reseg still runs"; fail=1; break; }
	sleep 0.1
	i=$((i + 1))
done
# The server goes away while the statement runs.
runp db attach slow2 --postgres "$pg_one" --table slow --key email
expect 0 <<'EOF'
Attached database 'slow2': table 'slow' of PostgreSQL, key 'email'.
EOF
r segment create sl2 --db slow2 >/dev/null || exit 1
r segment recalc sl2 >"$tmp/lost.out" 2>"$tmp/lost.err" &
lost=$!
i=0
until [ "$(pg_sql one "SELECT count(*) FROM pg_stat_activity
    WHERE query LIKE '%reseg_rows%' AND state = 'active'
    AND pid <> pg_backend_pid()")" = 1 ]; do
	[ $i -lt 50 ] || { echo "FAIL: the statement never ran"; fail=1; break; }
	sleep 0.1
	i=$((i + 1))
done
pg_stop one
wait $lost
rc=$?
name="segment recalc sl2 (server stopped)"
mv "$tmp/lost.out" "$tmp/out"
sed "s|$pg_root|PG|g" "$tmp/lost.err" >"$tmp/err"
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'sl2' (run 1): PostgreSQL: server closed the connection unexpectedly This probably means the server terminated abnormally before or while processing the request.
EOF
runp segment recalc older
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'older' (run 4): PostgreSQL: connection to server on socket "PG/one/sock/.s.PGSQL.5432" failed: No such file or directory Is the server running locally and accepting connections on that socket?
EOF
run segment members older
expect 0 <<'EOF'
c@x
e@x
f@x
EOF
log older
sed -i "s|$pg_root|PG|g" "$tmp/out"
expect 0 <<'EOF'
RUN STARTED ENDED TYPE  ADDED REMOVED TOTAL STATUS
1 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  3 0 3 Completed
2 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  1 1 3 Completed
3 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  0 0 3 Error: PostgreSQL: relation "people" does not exist
4 2026-11-28T12:00:00Z 2026-11-28T12:00:00Z Manual  0 0 3 Error: PostgreSQL: connection to server on socket "PG/one/sock/.s.PGSQL.5432" failed: No such file or directory Is the server running locally and accepting connections on that socket?
EOF

# Dropping forgets the attachment; PostgreSQL is not touched (it is down).
run db drop k --yes
expect 0 <<'EOF'
Dropped database 'k'.
EOF
run db list
expect 0 <<'EOF'
NAME   PROFILES  FIELDS  KEY    SOURCE
local         0       1  email  local
p             5       4  email  postgresql
slow          0       4  email  postgresql
slow2         0       4  email  postgresql
slow3         0       4  email  postgresql
EOF

# libpq unloadable (tests/cli_pglib.sh): a run on an attached database
# fails with the loader's message, exit 1, and keeps the members.
RESEG_TEST_LIBPQ=$tmp/nonexistent/libpq.so.5
export RESEG_TEST_LIBPQ
run segment recalc older
sed -i "s|$tmp|TMP|g" "$tmp/err"
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'older' (run 5): PostgreSQL client library TMP/nonexistent/libpq.so.5 could not be loaded: TMP/nonexistent/libpq.so.5: cannot open shared object file: No such file or directory; install libpq5
EOF
run segment members older
expect 0 <<'EOF'
c@x
e@x
f@x
EOF
unset RESEG_TEST_LIBPQ

exit $fail
