#!/bin/sh
# External data queries against a real PostgreSQL server (tests/pg_lib.sh):
# query add, list, show, run and drop with exact outputs, the refused
# password, "in query" and "not in query" segments with exact members,
# and the cache: runs within its minutes never ask the server, an expired
# cache with the server gone fails the run and keeps the members.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-query-XXXXXX")
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0

. "$top_srcdir/tests/cli_lib.sh"
. "$top_srcdir/tests/pg_lib.sh"
trap 'pg_stop_all; rm -rf "$tmp"' EXIT

# Server paths differ per run: messages show them as PG.
pgsub() {
	sed "s|$pg_root|PG|g" "$tmp/$1" >"$tmp/$1.sub" && mv "$tmp/$1.sub" "$tmp/$1"
}
runpg() { run "$@"; pgsub out; pgsub err; }

pg_start a
pg_sql a "CREATE TABLE vip (email text);
INSERT INTO vip VALUES ('a@x'), ('c@x'), (NULL), ('zz@x');
CREATE TABLE lists (n int, born date, tag text);
INSERT INTO lists VALUES (2, '1990-05-01', 'news'), (4, '1985-01-31', 'gold'),
  (NULL, NULL, NULL);" || exit 1

printf 'email,age,born,tags\na@x,1,1990-05-01,news\nb@x,2,1985-01-31,\nc@x,3,,"x,gold"\nd@x,4,2000-01-01,x\ne@x,,,\n' \
    >"$tmp/p.csv"
r db create d --fields 'email:string,age:int,born:date,tags:tags' \
    --key email >/dev/null || exit 1
r db import d "$tmp/p.csv" >/dev/null || exit 1

# A password in the connection string is refused, in both forms.
run query add q --postgres "$pg_a password=secret" --sql 'SELECT 1'
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'q': the connection string holds a password; keep it in ~/.pgpass, in the file PGPASSFILE names or in a service file instead
EOF
run query add q --postgres 'postgresql://u:secret@localhost/db' --sql 'SELECT 1'
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'q': the connection string holds a password; keep it in ~/.pgpass, in the file PGPASSFILE names or in a service file instead
EOF
run query add q --postgres 'nonsense' --sql 'SELECT 1'
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'q': invalid connection string: missing "=" after "nonsense" in connection info string
EOF
# The server checks the statement when it is added.
runpg query add q --postgres "$pg_a" --sql 'SELECT email FROM nosuch'
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'q': relation "nosuch" does not exist
EOF
runpg query add q --postgres "$pg_a" --sql 'SELECT FROM vip'
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'q': the statement returns no columns; the first column gives the values
EOF
runpg query add q --postgres "$pg_a" --sql 'SELECT email FROM vip WHERE email = $1'
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'q': the statement takes parameters ($1...), which nothing gives it
EOF
run query add q --sql 'SELECT 1'
expect 2 </dev/null
run query add q --postgres "$pg_a" --sql 'SELECT 1' --cache -1
expect 2 </dev/null
expect_err <<'EOF'
reseg: --cache takes a whole number from 0, found '-1'
Usage:
  reseg query add NAME --postgres CONNINFO --sql SQL [--cache MINUTES] [--timeout SECONDS]
EOF
run query list
expect 0 <<'EOF'
No queries.
EOF

run query add vip --postgres "$pg_a" --sql 'SELECT email FROM vip' --cache 10
expect 0 <<'EOF'
Added query 'vip'.
EOF
run query add nums --postgres "$pg_a" --sql 'SELECT n FROM lists'
expect 0 <<'EOF'
Added query 'nums'.
EOF
r query add days --postgres "$pg_a" --sql 'SELECT born FROM lists' \
    --cache 60 >/dev/null || exit 1
r query add tags --postgres "$pg_a" --sql 'SELECT tag FROM lists' \
    --cache 60 --timeout 5 >/dev/null || exit 1
run query add vip --postgres "$pg_a" --sql 'SELECT 1'
expect 1 </dev/null
expect_err <<'EOF'
reseg: a query named 'vip' already exists
EOF
run query list
expect 0 <<'EOF'
NAME  CACHE  ROWS  FETCHED
days    60m     -  never
nums     0m     -  never
tags    60m     -  never
vip     10m     -  never
EOF
runpg query show vip
expect 0 <<'EOF'
Query:      vip
Connection: host=PG/a/sock port=5432 user=postgres dbname=postgres
Cache:      10 minutes
Timeout:    60 seconds
Created:    2026-11-28T12:00:00Z
Cached:     nothing yet
SQL:
  SELECT email FROM vip
EOF
run query show nope
expect 1 </dev/null
expect_err <<'EOF'
reseg: there is no query 'nope'
EOF

# run prints the first column (NULLs left out) and fills the cache.
run query run vip
expect 0 <<'EOF'
a@x
c@x
zz@x
EOF
run query run days
expect 0 <<'EOF'
1990-05-01
1985-01-31
EOF
run query list
expect 0 <<'EOF'
NAME  CACHE  ROWS  FETCHED
days    60m     2  0s ago
nums     0m     -  never
tags    60m     -  never
vip     10m     3  0s ago
EOF
runpg query show vip --json
expect 0 <<'EOF'
{
	"name":	"vip",
	"conninfo":	"host=PG/a/sock port=5432 user=postgres dbname=postgres",
	"sql":	"SELECT email FROM vip",
	"cache_minutes":	10,
	"timeout":	60,
	"created_at":	"2026-11-28T12:00:00Z",
	"fetched_at":	"2026-11-28T12:00:00Z",
	"rows":	3,
	"fresh":	true
}
EOF

# A segment naming a query that does not exist is refused.
run segment create X --db d --where 'age < 3 or email in query "nope"'
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'X': line 1, column 12: unknown query 'nope'
EOF
run segment create X --db d --where 'age in query "vip" and born in query "days" and score in query "vip"'
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'X': line 1, column 49: unknown field 'score' in database 'd'
EOF

r segment create V --db d --where 'email in query "vip"' >/dev/null || exit 1
r segment create NV --db d --where 'email not in query "vip"' >/dev/null ||
    exit 1
r segment create A --db d --where 'age in query "nums"' >/dev/null || exit 1
r segment create NA --db d --where 'age not in query "nums"' >/dev/null ||
    exit 1
r segment create B --db d --where 'born in query "days"' >/dev/null || exit 1
r segment create T --db d --where 'tags in query "tags"' >/dev/null || exit 1
r segment create NT --db d --where 'tags not in query "tags"' >/dev/null ||
    exit 1
for s in V NV A NA B T NT; do
	run segment recalc "$s"
	echo "== $s $rc" >>"$tmp/all"
	r segment members "$s" >>"$tmp/all"
done
cat "$tmp/all" >"$tmp/out"
rc=0
name='in query segments'
expect 0 <<'EOF'
== V 0
a@x
c@x
== NV 0
b@x
d@x
e@x
== A 0
b@x
d@x
== NA 0
a@x
c@x
== B 0
a@x
b@x
== T 0
a@x
c@x
== NT 0
d@x
EOF
run segment why A d@x
expect 0 <<'EOF'
'd@x' is in segment 'A'.
Evaluated now, profile "d@x" (number 3) is in.
Conditions: true
  `age` in query "nums" — true (age = 4; query "nums" has 2 values)
EOF
run segment script NV
expect 0 <<'EOF'
email not in query "vip"
EOF

# drop: refused while segments use the query, naming them.
run query drop vip
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'vip' is used by segments: 'NV', 'V'; change or delete them first
EOF
r query add spare --postgres "$pg_a" --sql 'SELECT 1' >/dev/null || exit 1
run query drop spare
expect 0 <<'EOF'
Dropped query 'spare'.
EOF
run query drop spare
expect 1 </dev/null
expect_err <<'EOF'
reseg: there is no query 'spare'
EOF

# Queries run READ ONLY, within their timeout; failures say the server's words.
r query add w --postgres "$pg_a" \
    --sql "INSERT INTO vip VALUES ('w@x') RETURNING email" >/dev/null || exit 1
run query run w
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'w': cannot execute INSERT in a read-only transaction
EOF
r query add slow --postgres "$pg_a" --timeout 1 \
    --sql "SELECT 'a@x' FROM pg_sleep(5)" >/dev/null || exit 1
run query run slow
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'slow': canceling statement due to statement timeout
EOF
r segment create S --db d --where 'email in query "slow"' >/dev/null || exit 1
run segment recalc S
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'S' (run 1): query 'slow': canceling statement due to statement timeout
EOF
run segment members S
expect 0 </dev/null
run query list
expect 0 <<'EOF'
NAME  CACHE  ROWS  FETCHED
days    60m     2  0s ago
nums     0m     2  0s ago
slow     0m     -  never
tags    60m     2  0s ago
vip     10m     3  0s ago
w        0m     -  never
EOF
r segment delete S >/dev/null || exit 1
r query drop slow >/dev/null && r query drop w >/dev/null || exit 1

# Within its 10 minutes the cache serves: the new row is not seen...
pg_sql a "INSERT INTO vip VALUES ('b@x')" || exit 1
RESEG_NOW=2026-11-28T12:09:59Z run segment recalc V
expect 0 <<'EOF'
Recalculated segment 'V' (run 2): added 0, removed 0, total 2.
EOF
# ... and the server is not asked: stopped, the run still completes.
pg_stop a
RESEG_NOW=2026-11-28T12:09:59Z run segment recalc V
expect 0 <<'EOF'
Recalculated segment 'V' (run 3): added 0, removed 0, total 2.
EOF
run segment members V
expect 0 <<'EOF'
a@x
c@x
EOF
# Expired, the server is asked; gone, the run fails and keeps the members.
RESEG_NOW=2026-11-28T12:10:00Z runpg segment recalc V
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'V' (run 4): query 'vip': connection to server on socket "PG/a/sock/.s.PGSQL.5432" failed: No such file or directory
EOF
run segment members V
expect 0 <<'EOF'
a@x
c@x
EOF
runpg segment log V
# Run, start, added, removed, total, status (the initiator is the caller).
awk 'NR > 1 { s = $1 " " $2 " " $6 " " $7 " " $8; for (i = 9; i <= NF; i++)
    s = s " " $i; print s }' "$tmp/out" >"$tmp/out.sub" && mv "$tmp/out.sub" "$tmp/out"
expect 0 <<'EOF'
1 2026-11-28T12:00:00Z 2 0 2 Completed
2 2026-11-28T12:09:59Z 0 0 2 Completed
3 2026-11-28T12:09:59Z 0 0 2 Completed
4 2026-11-28T12:10:00Z 0 0 2 Error: query 'vip': connection to server on socket "PG/a/sock/.s.PGSQL.5432" failed: No such file or directory
EOF
# --cache 0: every run asks the server.
runpg segment recalc A
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'A' (run 2): query 'nums': connection to server on socket "PG/a/sock/.s.PGSQL.5432" failed: No such file or directory
EOF
runpg query run vip
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'vip': connection to server on socket "PG/a/sock/.s.PGSQL.5432" failed: No such file or directory
EOF
runpg query list --json
expect 0 <<'EOF'
[{
		"name":	"days",
		"conninfo":	"host=PG/a/sock port=5432 user=postgres dbname=postgres",
		"sql":	"SELECT born FROM lists",
		"cache_minutes":	60,
		"timeout":	60,
		"created_at":	"2026-11-28T12:00:00Z",
		"fetched_at":	"2026-11-28T12:00:00Z",
		"rows":	2,
		"fresh":	true
	}, {
		"name":	"nums",
		"conninfo":	"host=PG/a/sock port=5432 user=postgres dbname=postgres",
		"sql":	"SELECT n FROM lists",
		"cache_minutes":	0,
		"timeout":	60,
		"created_at":	"2026-11-28T12:00:00Z",
		"fetched_at":	"2026-11-28T12:00:00Z",
		"rows":	2,
		"fresh":	false
	}, {
		"name":	"tags",
		"conninfo":	"host=PG/a/sock port=5432 user=postgres dbname=postgres",
		"sql":	"SELECT tag FROM lists",
		"cache_minutes":	60,
		"timeout":	5,
		"created_at":	"2026-11-28T12:00:00Z",
		"fetched_at":	"2026-11-28T12:00:00Z",
		"rows":	2,
		"fresh":	true
	}, {
		"name":	"vip",
		"conninfo":	"host=PG/a/sock port=5432 user=postgres dbname=postgres",
		"sql":	"SELECT email FROM vip",
		"cache_minutes":	10,
		"timeout":	60,
		"created_at":	"2026-11-28T12:00:00Z",
		"fetched_at":	"2026-11-28T12:00:00Z",
		"rows":	3,
		"fresh":	true
	}]
EOF
# The show of a cache that has expired.
RESEG_NOW=2026-11-28T12:25:00Z runpg query show vip
expect 0 <<'EOF'
Query:      vip
Connection: host=PG/a/sock port=5432 user=postgres dbname=postgres
Cache:      10 minutes
Timeout:    60 seconds
Created:    2026-11-28T12:00:00Z
Cached:     3 rows, fetched 2026-11-28T12:00:00Z (25m ago, expired)
SQL:
  SELECT email FROM vip
EOF


# An attached database: "in query" becomes one text[] parameter of the
# statement, and the members are those of the same data in the store.
pg_start b
pg_sql b "CREATE TABLE people (email text, age bigint, born date, tags text[], ord int);
INSERT INTO people VALUES ('a@x', 1, '1990-05-01', '{news}', 1),
  ('b@x', 2, '1985-01-31', '{}', 2), ('c@x', 3, NULL, '{x,gold}', 3),
  ('d@x', 4, '2000-01-01', '{x}', 4), ('e@x', NULL, NULL, NULL, 5);
CREATE TABLE lists (email text, n text, born date, tag text);
INSERT INTO lists VALUES ('a@x', '2', '1990-05-01', 'news'),
  ('c@x', '4', '1985-01-31', 'gold'), ('zz@x', '042', NULL, NULL);" || exit 1
r db attach pd --postgres "$pg_b" --table people --key email --order ord \
    >/dev/null || exit 1
for q in email n born tag; do
	r query add "b_$q" --postgres "$pg_b" --sql "SELECT $q FROM lists" \
	    --cache 0 >/dev/null || exit 1
done
i=0
for t in 'email in query "b_email"' 'email not in query "b_email"' \
    'age in query "b_n"' 'age not in query "b_n"' 'not age in query "b_n"' \
    'born in query "b_born"' 'born not in query "b_born"' \
    'tags in query "b_tag"' 'tags not in query "b_tag"'; do
	i=$((i + 1))
	r segment create "L$i" --db d --where "$t" >/dev/null &&
	    r segment create "P$i" --db pd --where "$t" >/dev/null &&
	    r segment recalc "L$i" >/dev/null && r segment recalc "P$i" >/dev/null ||
	    { echo "FAIL: $t: create or recalc"; fail=1; continue; }
	l=$(r segment members "L$i" | tr '\n' ' ')
	p=$(r segment members "P$i" | tr '\n' ' ')
	[ "$l" = "$p" ] || { echo "FAIL: $t: store '$l', PostgreSQL '$p'"; fail=1; }
	echo "$t: $p" >>"$tmp/members"
done
cat >"$tmp/want_members" <<'EOF'
email in query "b_email": a@x c@x 
email not in query "b_email": b@x d@x e@x 
age in query "b_n": b@x d@x 
age not in query "b_n": a@x c@x 
not age in query "b_n": a@x c@x e@x 
born in query "b_born": a@x b@x 
born not in query "b_born": d@x 
tags in query "b_tag": a@x c@x 
tags not in query "b_tag": d@x 
EOF
cmp -s "$tmp/want_members" "$tmp/members" || {
	echo "FAIL: members of in query over an attached database"
	diff "$tmp/want_members" "$tmp/members"; fail=1
}
runpg segment sql P3
expect 0 <<'EOF'
SELECT p."email"
FROM "people" AS p
WHERE (p."age" IS NOT NULL AND p."age"::text = ANY($1::text[]));
-- $1 = '{"2","4","042"}'
EOF

# libpq unloadable (tests/cli_pglib.sh): what asks the server fails with
# the loader's message, exit 1, and the members stay.
RESEG_TEST_LIBPQ=$tmp/nonexistent/libpq.so.5
export RESEG_TEST_LIBPQ
run query run b_email
sed "s|$tmp|TMP|g" "$tmp/err" >"$tmp/err.sub" && mv "$tmp/err.sub" "$tmp/err"
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'b_email': PostgreSQL client library TMP/nonexistent/libpq.so.5 could not be loaded: TMP/nonexistent/libpq.so.5: cannot open shared object file: No such file or directory; install libpq5
EOF
run segment recalc P1
sed "s|$tmp|TMP|g" "$tmp/err" >"$tmp/err.sub" && mv "$tmp/err.sub" "$tmp/err"
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'P1' (run 2): query 'b_email': PostgreSQL client library TMP/nonexistent/libpq.so.5 could not be loaded: TMP/nonexistent/libpq.so.5: cannot open shared object file: No such file or directory; install libpq5
EOF
run segment members P1
expect 0 <<'EOF'
a@x
c@x
EOF
unset RESEG_TEST_LIBPQ

exit $fail
