#!/bin/sh
# Attached databases give the members the store gives.  The same files go
# into the store (db import, events import) and into PostgreSQL: a single
# server, and a sharded one -- a coordinator whose tables are partitioned
# by hash of the key over postgres_fdw foreign tables on two shard
# servers.  Both are attached (db attach, --order on the import order),
# and every script of the condition oracle (tests/eval_oracle.sh) and of
# the events oracle (tests/events_oracle.sh), read from those files, is a
# segment on each of the three databases: recalculated, their member
# lists must be equal, in order.  Then range and limit, with the bucket
# computed by reseg over the streamed keys and by reseg_bucket() in the
# server.
set -u
: "${RESEG:?}"
top_srcdir=${top_srcdir:-..}
RUN=${SQLGEN_RUN:-./tests/sqlgen_run}
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
command -v psql >/dev/null || { echo "psql missing"; exit 77; }
python3 -c 'import zoneinfo' 2>/dev/null || { echo "python3 missing"; exit 77; }
fail=0
. "$top_srcdir/tests/pg_lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pg_equiv.XXXXXX") || exit 99
chmod 0755 "$tmp"
trap 'pg_stop_all; rm -rf "$tmp"' EXIT
S=$tmp/store
D=$tmp/ev
r() { "$RESEG" --store "$S" "$@"; }

pg_start one
pg_start co
pg_start s1
pg_start s2

## the same data in the store and in PostgreSQL
CSV=$top_srcdir/tests/data/eval-people.csv
PF=$(python3 "$top_srcdir/tests/data/eval-people-gen.py" --fields) || exit 99
GEN=$top_srcdir/tests/data/events-gen.py
python3 "$GEN" "$D" || exit 99
EF=$(python3 "$GEN" --fields) || exit 99
EEF=$(python3 "$GEN" --event-fields) || exit 99
r db create people --fields "$PF" --key email >/dev/null || exit 99
r db import people "$CSV" >/dev/null || exit 99
r db create ev --fields "$EF" --key email --event-fields "$EEF" \
    >/dev/null || exit 99
r db import ev "$D/profiles.csv" >/dev/null || exit 99
r events import ev "$D/events.jsonl" >/dev/null || exit 99
r events import ev "$D/events-noid.jsonl" >/dev/null || exit 99

PEOPLE="ord bigint, email text, name text, country text, city text,
  age integer, score double precision, subscribed_email boolean,
  birth_date date, last_purchase_at timestamptz, orders_count bigint,
  tags text[]"
EVP="ord bigint, email text, country text, age integer"
EVENTS="key text, event text, time timestamptz, amount double precision,
  sku text, mailing text"
# load SERVER: raw files into staging tables and typed ones on SERVER.
load() {
	pg_sql "$1" "CREATE TABLE people_raw (ord bigint GENERATED ALWAYS AS
  IDENTITY, email text, name text, country text, city text, age text,
  score text, subscribed_email text, birth_date text, last_purchase_at text,
  orders_count text, tags text);
CREATE TABLE ev_raw (key text, event text, t bigint, event_id text,
  amount double precision, sku text, mailing text);
CREATE TABLE evp_raw (ord bigint GENERATED ALWAYS AS IDENTITY, email text,
  country text, age integer);" || exit 99
	pg_sql "$1" "\\copy people_raw (email, name, country, city, age, score, subscribed_email, birth_date, last_purchase_at, orders_count, tags) FROM '$CSV' CSV HEADER" || exit 99
	pg_sql "$1" "\\copy ev_raw FROM '$D/events.csv' CSV HEADER" || exit 99
	pg_sql "$1" "\\copy evp_raw (email, country, age) FROM '$D/profiles.csv' CSV HEADER" || exit 99
}
# fill SERVER: the typed tables from the staging ones.
fill() {
	pg_sql "$1" "INSERT INTO people SELECT ord, email, name, country, city,
  age::integer, score::double precision, subscribed_email::boolean,
  birth_date::date, last_purchase_at::timestamptz, orders_count::bigint,
  string_to_array(tags, ',') FROM people_raw;
INSERT INTO evp SELECT * FROM evp_raw;
INSERT INTO events SELECT key, event, to_timestamp(t), amount, sku, mailing
  FROM ev_raw;" || exit 99
}
load one
pg_sql one "CREATE TABLE people ($PEOPLE); CREATE TABLE evp ($EVP);
CREATE TABLE events ($EVENTS);" || exit 99
fill one

# The sharded copy: each table partitioned by hash of its key, the
# partitions foreign tables on the shards.
for s in s1 s2; do
	pg_sql $s "CREATE TABLE people ($PEOPLE); CREATE TABLE evp ($EVP);
CREATE TABLE events ($EVENTS);" || exit 99
done
load co
sock() { eval "printf %s \"\$pg_$1\"" | sed 's/^host=\([^ ]*\) .*/\1/'; }
pg_sql co "CREATE EXTENSION postgres_fdw;
CREATE SERVER s1 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '$(sock s1)', port '5432', dbname 'postgres');
CREATE SERVER s2 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '$(sock s2)', port '5432', dbname 'postgres');
CREATE USER MAPPING FOR postgres SERVER s1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR postgres SERVER s2 OPTIONS (user 'postgres');
CREATE TABLE people ($PEOPLE) PARTITION BY HASH (email);
CREATE TABLE evp ($EVP) PARTITION BY HASH (email);
CREATE TABLE events ($EVENTS) PARTITION BY HASH (key);" || exit 99
for t in people evp events; do
	pg_sql co "CREATE FOREIGN TABLE ${t}_0 PARTITION OF $t
  FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER s1
  OPTIONS (table_name '$t');
CREATE FOREIGN TABLE ${t}_1 PARTITION OF $t
  FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER s2
  OPTIONS (table_name '$t');" || exit 99
done
fill co
for s in s1 s2; do
	[ "$(pg_sql $s 'SELECT count(*) > 0 FROM people')" = t ] ||
	    { echo "FAIL: shard $s holds no profiles"; exit 1; }
done

# attach PREFIX SERVER: PREFIXpeople and PREFIXev, keys numbered in the
# import order by a first run that keeps every row in --order order.
attach() {
	eval "_c=\$pg_$2"
	r db attach "$1people" --postgres "$_c" --table people --key email \
	    --order ord >/dev/null &&
	r db attach "$1ev" --postgres "$_c" --table evp --key email \
	    --order ord --events-table events --events-key key \
	    --events-name event --events-time time >/dev/null || exit 99
	for d in people ev; do
		r segment create "$1$d-all" --db "$1$d" --limit 100000000 \
		    >/dev/null && r segment recalc "$1$d-all" >/dev/null ||
		    exit 99
	done
}
attach p one
attach s co

n=0
# compare DB SCRIPT TZ LIMIT RANGE
compare() {
	db=$1 script=$2 tz=$3 lim=$4 range=$5
	n=$((n + 1))
	show=$(printf '%s' "$script" | tr '\n' ' ' | tr -s ' ')
	for v in "" p s; do
		if ! r segment create "$v$n" --db "$v$db" --where "$script" \
		    ${tz:+--schedule "daily at 09:00 $tz"} \
		    ${lim:+--limit "$lim"} ${range:+--range "$range"} \
		    >/dev/null 2>"$tmp/err" ||
		    ! r segment recalc "$v$n" >/dev/null 2>>"$tmp/err" ||
		    ! r segment members "$v$n" >"$tmp/m$v" 2>>"$tmp/err"; then
			echo "FAIL $n: ${v:-store} failed: $show"
			cat "$tmp/err"
			fail=$((fail + 1))
			return
		fi
	done
	for v in p s; do
		if ! cmp -s "$tmp/m" "$tmp/m$v"; then
			echo "FAIL $n: $v: ${tz:+[$tz] }$show"
			diff "$tmp/m" "$tmp/m$v" | head -6 | sed 's/^/  /'
			fail=$((fail + 1))
			return
		fi
	done
	echo "ok $n: ${tz:+[$tz] }$show ($(wc -l <"$tmp/m") members)"
}

## every script of the condition oracle, over tests/data/eval-people.csv
check() {
	opts=
	if [ "$1" = "-o" ]; then opts=$2; shift 2; fi
	_script=$1 _tz= _lim=
	# shellcheck disable=SC2086
	set -- $opts
	while [ $# -gt 0 ]; do
		case $1 in
		-t) _tz=$2 ;;
		-l) _lim=$2 ;;
		-s) _name=${2%%=*}
		    if ! r segment show "$_name" >/dev/null 2>&1; then
			    r segment create "$_name" --db people \
				--where "${2#*=}" >/dev/null &&
				r segment recalc "$_name" >/dev/null || exit 99
		    fi ;;
		esac
		shift 2
	done
	compare people "$_script" "$_tz" "$_lim" ""
}
tag() { :; }
TAG= LOCALD= AGE_A= NOW= TODAY=
sed -n '/^# strings/,/^echo "\$n scripts/p' "$top_srcdir/tests/eval_oracle.sh" |
    sed '$d' >"$tmp/cond-checks"
ncond=$(grep -c '^check ' "$tmp/cond-checks")
. "$tmp/cond-checks"

## every script of the events oracle, over tests/data/events-gen.py's data
check() {
	_tz=
	if [ "$1" = "-t" ]; then _tz=$2; shift 2; fi
	case $1 in
	*"in segment \"Buyers\""*)
		r segment show Buyers >/dev/null 2>&1 ||
		    { r segment create Buyers --db ev --where 'did "purchase"' \
		    >/dev/null && r segment recalc Buyers >/dev/null; } ||
		    exit 99 ;;
	esac
	compare ev "$1" "$_tz" "" ""
}
n() { :; }
agg() { :; }
tmin() { :; }
tmax() { :; }
lastd() { :; }
lasth() { :; }
lo() { :; }
hi() { :; }
between() { :; }
edge() { :; }
BER=Europe/Berlin
sed -n '/^P=purchase/,/^## Re-importing/p' "$top_srcdir/tests/events_oracle.sh" |
    sed '$d' >"$tmp/ev-checks"
nev=$(grep -c '^check ' "$tmp/ev-checks")
. "$tmp/ev-checks"
if [ "$ncond" -lt 60 ] || [ "$nev" -lt 100 ]; then
	echo "FAIL: only $ncond + $nev scripts read from the oracles"
	fail=$((fail + 1))
fi

## range and limit: reseg over the streamed keys, then reseg_bucket()
for b in "" fn; do
	if [ "$b" = fn ]; then
		"$RUN" function >"$tmp/fn.sql" || exit 99
		for sv in one co s1 s2; do
			eval "_c=\$pg_$sv"
			psql -X -q -v ON_ERROR_STOP=1 -d "$_c" -f "$tmp/fn.sql" ||
			    exit 99
		done
	fi
	compare people 'age > 30' "" "" "0-20"
	compare people 'age > 30' "" "" "20-100"
	compare people 'age > 30 or name is empty' "" 25 ""
	compare people 'age > 30' "" 7 "12.5-60"
	compare people '' "" 10 "50-100"
	compare ev 'did "purchase" at least 2 times' "" 15 "10-90"
done
for v in p s; do
	r segment sql "${v}$n" >"$tmp/sql" || exit 99
	if ! grep -q reseg_bucket "$tmp/sql"; then
		echo "FAIL: $v: the range is not in the SQL with reseg_bucket()"
		fail=$((fail + 1))
	fi
done

echo "$n checks, $fail failed"
[ "$fail" = 0 ]
