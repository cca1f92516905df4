#!/bin/sh
# Segments over an attached PostgreSQL database (README, "Attached
# PostgreSQL databases"): N generated profiles (default 1,000,000) and 3N
# events in a local PostgreSQL server started like the tests' (Unix
# socket, temporary directory), the same rows imported into a store.  For
# each segment: `reseg segment recalc` on the attached database (whole
# process: connect, probe, statement, keys streamed through a cursor,
# members committed; first run numbering the keys, then a second run),
# the statement `reseg segment sql` prints run by psql (\timing, rows
# fetched and thrown away: the server's own time), and the same segment
# recalculated over the store.
# Run from a build directory after `make`:  sh ../bench/bench_pg.sh [N]
set -eu
N=${1:-1000000}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
RESEG=${RESEG:-./src/reseg}
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
RESEG_MAPSIZE=4000000000; export RESEG_MAPSIZE
. "$top_srcdir/tests/pg_lib.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/bench_pg.XXXXXX")
chmod 0755 "$W"
trap 'pg_stop_all; rm -rf "$W"' EXIT
S=$W/store
r() { "$RESEG" --store "$S" "$@"; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

pg_start bench
PG=$pg_bench
echo "== generating $N profiles and $((3 * N)) events in PostgreSQL"
pg_sql bench "CREATE TABLE profiles AS SELECT i AS ord,
  format('user%s@example.com', i) AS email,
  (ARRAY['RU','KZ','BY','US','DE','FR','GB','IN'])[1 + (i * 7919) % 8]
    AS country,
  18 + (i * 104729) % 60 AS age, (i * 31) % 3 <> 0 AS subscribed,
  date '2026-11-28' - ((i * 37) % 3000)::integer AS signup_date
  FROM generate_series(1, $N::bigint) i;
CREATE TABLE events AS SELECT format('user%s@example.com',
  1 + floor(random() * $N)::bigint) AS key,
  (ARRAY['purchase','email_open','login'])[1 + j % 3] AS event,
  timestamptz '2026-11-28 12:00:00Z' -
    make_interval(secs => floor(random() * 365 * 86400)) AS time,
  round((random() * 500)::numeric, 2)::double precision AS amount
  FROM (SELECT setseed(0.42)) s, generate_series(1, 3 * $N::bigint) j;
CREATE INDEX events_key ON events (key, event, time);
ANALYZE profiles; ANALYZE events;"
pg_sql bench "\\copy (SELECT email, country, age, CASE WHEN subscribed THEN 'true' ELSE 'false' END, signup_date FROM profiles ORDER BY ord) TO '$W/p.csv' CSV"
pg_sql bench "\\copy (SELECT key, event, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), amount FROM events) TO '$W/e.csv' CSV"
{ echo email,country,age,subscribed,signup_date; cat "$W/p.csv"; } >"$W/people.csv"
{ echo key,event,time,amount; cat "$W/e.csv"; } >"$W/events.csv"

echo "== the same rows in the store"
r db create local --fields 'email:string,country:string,age:int,subscribed:bool,signup_date:date' \
    --key email --event-fields 'amount:float' >/dev/null
r db import local "$W/people.csv" >/dev/null
r events import local "$W/events.csv" >/dev/null
r db attach pg --postgres "$PG" --table profiles --key email --order ord \
    --events-table events --events-key key --events-name event \
    --events-time time >/dev/null

# psql_ms SEGMENT: the server's time of the statement (best of 3).
psql_ms() {
	r segment sql "$1" >"$W/sql"
	python3 - "$W/sql" >"$W/psql.in" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
stmt, _, rest = text.partition(";\n-- $")
params = re.findall(r"^-- \$\d+ = (.*)$", "-- $" + rest, re.M) if rest else []
stmt = stmt.rstrip().rstrip(";")
print("\\o /dev/null")
print("PREPARE q AS %s;" % stmt)
print("\\timing on")
for _ in range(3):
    print("EXECUTE q%s;" % ("(%s)" % ", ".join(params) if params else ""))
EOF
	psql -X -q -v ON_ERROR_STOP=1 -d "$PG" -f "$W/psql.in" |
	    sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -n | head -1 |
	    cut -d. -f1
}
# recalc_ms SEGMENT: one recalculation, whole process.
recalc_ms() {
	t0=$(date +%s%N)
	r segment recalc "$1" >"$W/out"
	t1=$(date +%s%N)
	ms "$t0" "$t1"
}

printf '%-44s %9s %10s %10s %8s %8s\n' segment members "pg 1st" "pg 2nd" psql store
i=0
while IFS='|' read -r name where limit; do
	i=$((i + 1))
	r segment create "l$i" --db local --where "$where" ${limit:+--limit "$limit"} >/dev/null
	r segment create "p$i" --db pg --where "$where" ${limit:+--limit "$limit"} >/dev/null
	pg1=$(recalc_ms "p$i")
	pg2=$(recalc_ms "p$i")
	total=$(sed -n 's/.*total \([0-9]*\)\..*/\1/p' "$W/out")
	recalc_ms "l$i" >/dev/null
	st=$(recalc_ms "l$i")
	ps=$(psql_ms "p$i")
	[ "$(r segment members "l$i" | sort | cksum)" = \
	    "$(r segment members "p$i" | sort | cksum)" ] || {
		echo "members differ for $name" >&2; exit 1; }
	printf '%-44s %9s %8s ms %8s ms %5s ms %5s ms\n' "$name" "$total" \
	    "$pg1" "$pg2" "$ps" "$st"
done <<'EOF'
profiles: country in (RU,KZ,BY), age 25-40|country in ("RU", "KZ", "BY") and age between 25 and 40|
profiles, limit 1000|subscribed is true and age >= 30|1000
events: 2+ purchases in the last 30 days|did "purchase" at least 2 times within last 30 days|
events: sum(amount) of purchases >= 500|sum(amount) of "purchase" >= 500|
mixed: RU and no login in 90 days|country = "RU" and not did "login" within last 90 days|
EOF
