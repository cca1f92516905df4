#!/bin/sh
# The SQL compiler against the local evaluator, on a real PostgreSQL server
# (tests/pg_lib.sh starts it).  The same files go into a reseg store
# (db import, events import) and into PostgreSQL (\copy); every script of
# the condition oracle (tests/eval_oracle.sh) and of the events oracle
# (tests/events_oracle.sh) -- read from those files, so a construct added
# there is checked here too -- becomes a segment recalculated by reseg and
# a statement of sqlgen run by tests/sqlgen_run, and both must give the
# same member keys (in the same order under a limit).  The session's
# TimeZone is America/New_York and the events' time is a `timestamp`
# column, to show neither matters.  Then range and limit with and without
# reseg_bucket() in the server, and reseg_bucket() itself: equal to
# bucket_of_key for 10,000 keys, passing the probe, and a wrong function
# refused by it.  SQLGEN_FDW=1 (tests/sqlgen_fdw.sh) shards the tables.
set -u
: "${RESEG:?}"
top_srcdir=${top_srcdir:-..}
RUN=${SQLGEN_RUN:-./tests/sqlgen_run}
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
PGTZ=America/New_York; export PGTZ
command -v psql >/dev/null || { echo "psql missing"; exit 77; }
python3 -c 'import zoneinfo' 2>/dev/null || { echo "python3 missing"; exit 77; }
fail=0
. "$top_srcdir/tests/pg_lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sqlgen_pg.XXXXXX") || exit 99
chmod 0755 "$tmp"
trap 'pg_stop_all; rm -rf "$tmp"' EXIT
S=$tmp/store
D=$tmp/ev
r() { "$RESEG" --store "$S" "$@"; }

pg_start a
PG=$pg_a

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

pg_sql a "CREATE TABLE people_raw (ord bigint GENERATED ALWAYS AS IDENTITY,
  email text, name text, country text, city text, age text, score text,
  subscribed_email text, birth_date text, last_purchase_at text,
  orders_count text, tags text);
CREATE TABLE ev_raw (key text, event text, t bigint, event_id text,
  amount double precision, sku text, mailing text);
CREATE TABLE evp (ord bigint GENERATED ALWAYS AS IDENTITY, email text,
  country text, age integer);" || exit 99
pg_sql a "\\copy people_raw (email, name, country, city, age, score, subscribed_email, birth_date, last_purchase_at, orders_count, tags) FROM '$CSV' CSV HEADER" || exit 99
pg_sql a "\\copy ev_raw FROM '$D/events.csv' CSV HEADER" || exit 99
pg_sql a "\\copy evp (email, country, age) FROM '$D/profiles.csv' CSV HEADER" || exit 99
pg_sql a "CREATE TABLE people AS SELECT ord, email, name, country, city,
  age::integer AS age, score::double precision AS score,
  subscribed_email::boolean AS subscribed_email,
  birth_date::date AS birth_date,
  last_purchase_at::timestamptz AS last_purchase_at,
  orders_count::bigint AS orders_count,
  string_to_array(tags, ',') AS tags FROM people_raw;
CREATE TABLE events AS SELECT key, event,
  to_timestamp(t) AT TIME ZONE 'UTC' AS time, amount, sku, mailing
  FROM ev_raw;" || exit 99

# tests/sqlgen_fdw.sh: the same tables partitioned by hash of the key
# over postgres_fdw foreign tables on two more servers.
if [ -n "${SQLGEN_FDW:-}" ]; then
	pg_start s1
	pg_start s2
	ddl_people="ord bigint, email text, name text, country text, city text,
	  age integer, score double precision, subscribed_email boolean,
	  birth_date date, last_purchase_at timestamptz, orders_count bigint,
	  tags text[]"
	ddl_evp="ord bigint, email text, country text, age integer"
	ddl_events="key text, event text, time timestamp,
	  amount double precision, sku text, mailing text"
	for sh in s1 s2; do
		pg_sql $sh "CREATE TABLE people ($ddl_people);
		  CREATE TABLE evp ($ddl_evp); CREATE TABLE events ($ddl_events);" ||
		    exit 99
		eval "sock=\$pg_root/$sh/sock"
		pg_sql a "CREATE EXTENSION IF NOT EXISTS postgres_fdw;
		  CREATE SERVER $sh FOREIGN DATA WRAPPER postgres_fdw
		    OPTIONS (host '$sock', port '5432', dbname 'postgres');
		  CREATE USER MAPPING FOR postgres SERVER $sh
		    OPTIONS (user 'postgres');" || exit 99
	done
	for t in people:email evp:email events:key; do
		k=${t#*:} t=${t%%:*}
		eval "ddl=\$ddl_$t"
		pg_sql a "ALTER TABLE $t RENAME TO ${t}_src;
		  CREATE TABLE $t ($ddl) PARTITION BY HASH ($k);
		  CREATE FOREIGN TABLE ${t}_0 PARTITION OF $t
		    FOR VALUES WITH (MODULUS 2, REMAINDER 0) SERVER s1
		    OPTIONS (table_name '$t');
		  CREATE FOREIGN TABLE ${t}_1 PARTITION OF $t
		    FOR VALUES WITH (MODULUS 2, REMAINDER 1) SERVER s2
		    OPTIONS (table_name '$t');
		  INSERT INTO $t SELECT * FROM ${t}_src;
		  DROP TABLE ${t}_src;" || exit 99
	done
	# each shard holds a part, none all
	for sh in s1 s2; do
		c=$(pg_sql $sh "SELECT count(*) FROM people")
		[ "$c" -gt 50 ] && [ "$c" -lt 250 ] ||
		    { echo "FAIL: shard $sh holds $c of 300 profiles"; exit 1; }
		echo "shard $sh holds $c of the 300 profiles"
	done
fi

n=0
# same WHAT STORE-FILE PG-FILE [ordered]
same() {
	if [ -z "${4:-}" ]; then
		LC_ALL=C sort "$2" >"$2.s" && mv "$2.s" "$2"
		LC_ALL=C sort "$3" >"$3.s" && mv "$3.s" "$3"
	fi
	if cmp -s "$2" "$3"; then
		echo "ok $n: $1 ($(wc -l <"$2") members)"
	else
		echo "FAIL $n: $1"
		diff "$2" "$3" | head -6 | sed 's/^/  /'
		fail=$((fail + 1))
	fi
}

# compare DB SCRIPT TZ LIMIT RANGE [sqlgen_run options...]
compare() {
	db=$1 script=$2 tz=$3 lim=$4 range=$5
	shift 5
	n=$((n + 1))
	show=$(printf '%s' "$script" | tr '\n' ' ' | tr -s ' ')
	if ! r segment create "q$n" --db "$db" --where "$script" \
	    ${tz:+--schedule "daily at 09:00 $tz"} ${lim:+--limit "$lim"} \
	    ${range:+--range "$range"} >/dev/null 2>"$tmp/err" ||
	    ! r segment recalc "q$n" >/dev/null 2>>"$tmp/err" ||
	    ! r segment members "q$n" >"$tmp/mem" 2>>"$tmp/err"; then
		echo "FAIL $n: reseg failed: $show"
		cat "$tmp/err"
		fail=$((fail + 1))
		return
	fi
	if [ "$db" = people ]; then
		set -- -f "$PF" -T people -o ord "$@"
	elif [ "$db" = shop ]; then
		set -- -f "$SF" -T shop -o ord -E "$SEF" -e shop_events "$@"
	else
		set -- -f "$EF" -T evp -o ord -E "$EEF" -e events -n "$@"
	fi
	# the percent slice A-B in buckets: A*100 .. B*100
	[ -z "$range" ] ||
	    set -- "$@" -r "$(echo "$range" | awk -F- '{ print $1 * 100 "-" $2 * 100 }')"
	if ! "$RUN" "$@" ${tz:+-t "$tz"} ${lim:+-l "$lim"} "$PG" "$script" \
	    >"$tmp/pg" 2>"$tmp/err"; then
		echo "FAIL $n: sqlgen_run failed: $show"
		cat "$tmp/err"
		fail=$((fail + 1))
		return
	fi
	same "${tz:+[$tz] }$show" "$tmp/mem" "$tmp/pg" $lim
}

# members SEGMENT > FILE, for -s
segfile() {
	r segment members "$1" >"$tmp/seg-$1" || exit 99
	echo "$1=$tmp/seg-$1"
}

## every script of the condition oracle, over tests/data/eval-people.csv
check() {
	opts=
	if [ "$1" = "-o" ]; then opts=$2; shift 2; fi
	_script=$1 _tz= _lim= _segs=
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
		    fi
		    _segs="$_segs -s $(segfile "$_name")" ;;
		esac
		shift 2
	done
	# shellcheck disable=SC2086
	compare people "$_script" "$_tz" "$_lim" "" $_segs
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
		compare ev "$1" "$_tz" "" "" -s "$(segfile Buyers)" ;;
	*)	compare ev "$1" "$_tz" "" "" ;;
	esac
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

## constructs the oracles leave out (in a zone east and one west of UTC)
for z in Asia/Kolkata America/Los_Angeles; do
	for s in 'birth_date within next 30 days' \
	    'last_purchase_at within last 36 hours' \
	    'last_purchase_at between 2026-11-01T00:00:00Z and 2026-11-27T20:00:00Z' \
	    'last_purchase_at = 2026-11-27T20:00:00Z' \
	    'last_purchase_at != 2026-11-27' \
	    'last_purchase_at >= 2026-11-27 and last_purchase_at < 2026-11-28' \
	    'last_purchase_at <= 2026-11-27T18:29:59+03:00' \
	    'birth_date between 1990-01-01 and 1995-06-30' \
	    'subscribed_email != true' \
	    'score in (41.16, 0, 12)' \
	    'score not in (41.16)' \
	    'age(birth_date) >= 26 and age(birth_date) != 33' \
	    'score > 20.1 and score <= 60 and orders_count < 5' \
	    'age(birth_date) in (26, 40)' \
	    'days_until(birth_date) > -10000' \
	    'days_since(birth_date) between 9000 and 12000' \
	    'length(tags) between 1 and 2' \
	    'tags has all ("vip")' \
	    'not tags has "vip" and not tags has any ("b2b", "beta")' \
	    'lower(city) in ("moscow", "berlin")' \
	    'lower(name) starts with "и"' \
	    'city not contains ""' \
	    'not (age is empty or score is not empty)' \
	    'not (not name is empty)'; do
		compare people "$s" "$z" "" ""
	done
done

## int, bool and date event properties, a timestamptz events time
SF=email:string,tier:int
SEF=qty:int,price:float,gift:bool,ship:date
python3 - "$tmp" <<'EOF2'
import random, sys, datetime as dt
random.seed(7)
now = dt.datetime(2026, 11, 28, 12, tzinfo=dt.timezone.utc)
with open(sys.argv[1] + "/shop.csv", "w") as f:
    f.write("email,tier\n")
    for i in range(80):
        f.write("s%02d@x,%s\n" % (i, "" if i % 9 == 0 else i % 4))
with open(sys.argv[1] + "/shop-events.csv", "w") as f:
    f.write("key,event,time,qty,price,gift,ship\n")
    for i in range(80):
        for j in range(random.randint(0, 12)):
            t = now - dt.timedelta(seconds=random.randint(-3600, 400 * 86400))
            if j == 0 and i % 5 == 0:
                t = now - dt.timedelta(hours=random.choice([1, 11, 13]))
            qty = "" if random.random() < 0.1 else str(random.randint(0, 6))
            price = "" if random.random() < 0.1 else "%.2f" % random.uniform(1, 60)
            gift = random.choice(["", "true", "false"])
            ship = "" if random.random() < 0.2 else \
                (t + dt.timedelta(days=random.randint(0, 5))).date().isoformat()
            f.write("s%02d@x,%s,%s,%s,%s,%s,%s\n" % (i,
                random.choice(["buy", "buy", "view"]),
                t.strftime("%Y-%m-%dT%H:%M:%SZ"), qty, price, gift, ship))
EOF2
r db create shop --fields "$SF" --key email --event-fields "$SEF" \
    >/dev/null || exit 99
r db import shop "$tmp/shop.csv" >/dev/null || exit 99
r events import shop "$tmp/shop-events.csv" >/dev/null || exit 99
pg_sql a "CREATE TABLE shop (ord bigint GENERATED ALWAYS AS IDENTITY,
  email text, tier integer);
CREATE TABLE shop_events (key text, event text, time timestamptz,
  qty integer, price double precision, gift boolean, ship date);" ||
    exit 99
pg_sql a "\\copy shop (email, tier) FROM '$tmp/shop.csv' CSV HEADER" &&
    pg_sql a "\\copy shop_events FROM '$tmp/shop-events.csv' CSV HEADER" ||
    exit 99
for z in "" Asia/Tokyo; do
	for s in 'sum(qty) of "buy" >= 10' \
	    'sum(qty) of "buy" between 3 and 7.5 within last 100 days' \
	    'sum(qty) of "buy" < 2.5' \
	    'avg(qty) of "buy" > 2.5' \
	    'avg(qty) of "buy" = 3' \
	    'min(qty) of "buy" < 2' \
	    'max(qty) of "buy" != 4' \
	    'not max(qty) of "buy" >= 5' \
	    'count of "buy" where (gift is true) >= 1' \
	    'did "buy" where (ship on 2026-11-01)' \
	    'did "buy" where (ship within last 30 days and qty in (1, 3))' \
	    'did "buy" where (qty is empty or not gift = false)' \
	    'not did "buy" where (gift = false)' \
	    'did "buy" where (days_since(ship) between 10 and 40)' \
	    'first "buy" where (qty >= 3) before 2026-06-01' \
	    'last "buy" between 2026-01-01 and 2026-06-30' \
	    'did "view" where (time within last 12 hours)' \
	    'last "view" within last 12 hours' \
	    'count of "view" > 3 within last 7 days' \
	    'sum(price) of "buy" > 100.5 since 2026-03-01' \
	    'max(price) of "buy" between 10 and 20' \
	    'avg(price) of "buy" <= 30 and tier in (1, 2)' \
	    'did "buy" at least 2 times before 2026-01-01 or tier is empty'; do
		compare shop "$s" "$z" "" ""
	done
done

## why: one boolean per node, the first (the root) true for members
n=$((n + 1))
w='(country = "DE" or did "purchase" at least 2 times) and not last "login" more than 60 days ago'
r segment create why --db ev --where "$w" >/dev/null &&
    r segment recalc why >/dev/null && r segment members why >"$tmp/mem" ||
    exit 99
: >"$tmp/pg"
for k in $(head -41 "$D/profiles.csv" | tail -40 | cut -d, -f1); do
	"$RUN" -w "$k" -f "$EF" -T evp -E "$EEF" -e events -n "$PG" "$w" \
	    >"$tmp/row" || exit 99
	set -- $(cat "$tmp/row")
	# root, or, country = "DE", did, not, last: 6 nodes
	[ $# -eq 6 ] || { echo "FAIL $n: why gave $# columns for $k"; fail=$((fail + 1)); }
	[ "$1" = t ] && echo "$k" >>"$tmp/pg"
done
head -41 "$D/profiles.csv" | tail -40 | cut -d, -f1 |
    grep -xFf "$tmp/mem" >"$tmp/mem2"
same "why: the root column is true exactly for members" "$tmp/mem2" "$tmp/pg"

## timestamp (not timestamptz) profile columns are read as UTC too
pg_sql a "CREATE TABLE people_naive AS SELECT ord, email,
  last_purchase_at AT TIME ZONE 'UTC' AS last_purchase_at FROM people" ||
    exit 99
for s in 'last_purchase_at within last 30 days' \
    'last_purchase_at on 2026-11-27' \
    'days_since(last_purchase_at) <= 1'; do
	n=$((n + 1))
	r segment create "naive$n" --db people --where "$s" \
	    --schedule "daily at 09:00 Asia/Kolkata" >/dev/null &&
	    r segment recalc "naive$n" >/dev/null &&
	    r segment members "naive$n" >"$tmp/mem" || exit 99
	"$RUN" -N -f 'email:string,last_purchase_at:datetime' -T people_naive \
	    -t Asia/Kolkata "$PG" "$s" >"$tmp/pg" || exit 99
	same "timestamp column: $s" "$tmp/mem" "$tmp/pg"
done

## range and limit: reseg over the streamed keys, then reseg_bucket()
for b in "" -b; do
	[ "$b" = -b ] && { "$RUN" function >"$tmp/fn.sql" &&
	    psql -X -q -v ON_ERROR_STOP=1 -d "$PG" -f "$tmp/fn.sql" || exit 99; }
	compare people 'age > 30' "" "" "0-20" $b
	compare people 'age > 30' "" "" "20-100" $b
	compare people 'age > 30 or name is empty' "" 25 "" $b
	compare people 'age > 30' "" 7 "12.5-60" $b
	compare people '' "" 10 "50-100" $b
	compare ev 'did "purchase" at least 2 times' "" 15 "10-90" $b
done

## reseg_bucket() is bucket_of_key, and the probe tells it from others
n=$((n + 1))
python3 - "$tmp/keys" <<'EOF'
import random, sys
random.seed(11)
alpha = "abcXYZ019 -_.@'\"\\" + "ёжЖ" + "键盘" + "🔑" + "é"
import csv
with open(sys.argv[1], "w", encoding="utf-8") as f, \
        open(sys.argv[1] + ".csv", "w", encoding="utf-8", newline="") as c:
    w = csv.writer(c)
    for i in range(10000):
        k = "".join(random.choice(alpha) for _ in range(random.randint(1, 40)))
        k = k if i % 3 else "user-%06d" % i
        f.write(k + "\n")
        w.writerow([k])
EOF
pg_sql a "CREATE TABLE keys (n bigint GENERATED ALWAYS AS IDENTITY, k text)" &&
    pg_sql a "\\copy keys (k) FROM '$tmp/keys.csv' CSV" || exit 99
"$RUN" buckets <"$tmp/keys" >"$tmp/want"
pg_sql a "SELECT reseg_bucket(k) FROM keys ORDER BY n" >"$tmp/got"
same "reseg_bucket() equals bucket_of_key for 10000 keys" "$tmp/want" \
    "$tmp/got" ordered
n=$((n + 1))
echo ok >"$tmp/want"
"$RUN" probe "$PG" >"$tmp/got"
same "the probe accepts reseg_bucket()" "$tmp/want" "$tmp/got" ordered
n=$((n + 1))
# another hash: wrong for the keys of the probe
pg_sql a "CREATE OR REPLACE FUNCTION reseg_bucket(key text) RETURNS integer
LANGUAGE sql IMMUTABLE AS \$\$ SELECT (abs(hashtext(key)) % 10000)::integer \$\$" ||
    exit 99
echo refused >"$tmp/want"
"$RUN" probe "$PG" >"$tmp/got"
same "the probe refuses another function" "$tmp/want" "$tmp/got" ordered
n=$((n + 1))
pg_sql a "DROP FUNCTION reseg_bucket(text)" || exit 99
"$RUN" probe "$PG" >"$tmp/got"
same "the probe refuses a missing function" "$tmp/want" "$tmp/got" ordered

echo "$n checks, $fail failed"
[ "$fail" -eq 0 ]
