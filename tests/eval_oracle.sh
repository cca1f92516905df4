#!/bin/sh
# The evaluation oracle: for each (script, SQL WHERE) pair, the member keys
# evalq computes over tests/data/eval-people.csv must equal what sqlite3 selects
# from the same file.  The SQL is written independently of the engine
# (date arithmetic with strftime/julianday), "now" is fixed.  Each check
# runs twice: the file loaded at once, and through small upserts (evalq
# -u), which the scan reads through the chunks' overlays.
set -u
top_srcdir=${top_srcdir:-..}
CSV=$top_srcdir/tests/data/eval-people.csv
EVALQ=${EVALQ:-./tests/evalq}
FIELDS=$(python3 "$top_srcdir/tests/data/eval-people-gen.py" --fields) || exit 99
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
NOW=1795867200
TODAY="'2026-11-28'"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eval_oracle.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
db=$tmp/people.db
sqlite3 "$db" <<SQL || exit 99
.mode csv
.import '$CSV' raw
UPDATE raw SET name = NULLIF(name, ''), country = NULLIF(country, ''),
  city = NULLIF(city, ''), age = NULLIF(age, ''), score = NULLIF(score, ''),
  subscribed_email = NULLIF(subscribed_email, ''),
  birth_date = NULLIF(birth_date, ''),
  last_purchase_at = NULLIF(last_purchase_at, ''),
  orders_count = NULLIF(orders_count, ''), tags = NULLIF(tags, '');
CREATE VIEW v AS SELECT rowid AS rid, email, name, country, city,
  CAST(age AS INTEGER) AS age, CAST(score AS REAL) AS score,
  CASE WHEN lower(subscribed_email) IN ('true', '1') THEN 1
       WHEN lower(subscribed_email) IN ('false', '0') THEN 0 END AS sub,
  birth_date AS bd,
  CAST(strftime('%s', last_purchase_at) AS INTEGER) AS ts,
  CAST(orders_count AS INTEGER) AS orders, tags,
  (CAST(strftime('%Y', $TODAY) AS INTEGER) -
   CAST(strftime('%Y', birth_date) AS INTEGER)) -
  (strftime('%m-%d', $TODAY) < strftime('%m-%d', birth_date)) AS years
  FROM raw;
SQL

TAG="instr(',' || tags || ',', ',%s,') > 0"
tag() { printf "$TAG" "$1"; }
LOCALD="date(ts, 'unixepoch')"
AGE_A="(country IN ('RU', 'KZ', 'BY') AND years BETWEEN 25 AND 40) OR
  (orders >= 3 AND ts BETWEEN $NOW - 30 * 86400 AND $NOW)"

n=0
fail=0
# check [evalq options --] script sql [limit]
check() {
	opts=
	if [ "$1" = "-o" ]; then opts=$2; shift 2; fi
	script=$1 sql=$2 lim=${3:-}
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$EVALQ" $opts "$CSV" "$FIELDS" "$script" > "$tmp/got" 2> "$tmp/err" ||
	    { echo "FAIL $n: evalq failed: $script"; cat "$tmp/err"; fail=$((fail + 1)); return; }
	sqlite3 "$db" "SELECT email FROM v WHERE $sql ORDER BY rid ${lim:+LIMIT $lim};" \
	    > "$tmp/want" || { echo "FAIL $n: bad SQL: $sql"; fail=$((fail + 1)); return; }
	if ! cmp -s "$tmp/got" "$tmp/want"; then
		echo "FAIL $n: $script"
		echo "  SQL: $sql"
		diff "$tmp/want" "$tmp/got" | head -10
		fail=$((fail + 1))
		return
	fi
	# The same rows loaded through small upserts, read through the
	# chunks' overlays by two workers.
	# shellcheck disable=SC2086
	"$EVALQ" -u -j 2 $opts "$CSV" "$FIELDS" "$script" > "$tmp/got" 2> "$tmp/err" ||
	    { echo "FAIL $n: evalq -u failed: $script"; cat "$tmp/err"; fail=$((fail + 1)); return; }
	if ! cmp -s "$tmp/got" "$tmp/want"; then
		echo "FAIL $n (through overlays): $script"
		diff "$tmp/want" "$tmp/got" | head -10
		fail=$((fail + 1))
		return
	fi
	echo "ok $n: $script ($(wc -l < "$tmp/want") members)"
}

# strings (exact / ASCII case-insensitive / unicode)
check 'country = "RU"' "country = 'RU'"
check 'country != "RU"' "country <> 'RU'"
check 'not country = "RU"' "NOT coalesce(country = 'RU', 0)"
check 'country in ("RU", "KZ", "BY")' "country IN ('RU', 'KZ', 'BY')"
check 'country not in ("RU", "KZ")' "country NOT IN ('RU', 'KZ')"
check 'city contains "osc"' "instr(lower(city), 'osc') > 0"
check 'city not contains "OSC"' "instr(lower(city), 'osc') = 0"
check 'city starts with "ST."' "lower(substr(city, 1, 3)) = 'st.'"
check 'city ends with "YORK"' "lower(substr(city, -4)) = 'york'"
check 'lower(city) = "moscow"' "lower(city) = 'moscow'"
check 'city = "Москва"' "city = 'Москва'"
check 'city contains "ÉTIENNE"' "instr(lower(city), lower('ÉTIENNE')) > 0"
check 'length(name) = 4' "length(name) = 4"
check 'length(name) > 10' "length(name) > 10"
check 'name is empty' "name IS NULL"
check 'name is not empty and email ends with ".com"' \
    "name IS NOT NULL AND lower(email) LIKE '%.com'"
check 'email starts with "P0"' "email LIKE 'P0%' OR email LIKE 'p0%'"
# ints and floats
check 'age = 33' "age = 33"
check 'age != 33' "age <> 33"
check 'age < 20' "age < 20"
check 'age >= 80' "age >= 80"
check 'age between 25 and 40' "age BETWEEN 25 AND 40"
check 'age in (20, 30, 40)' "age IN (20, 30, 40)"
check 'age not in (20, 30, 40)' "age NOT IN (20, 30, 40)"
check 'age is empty' "age IS NULL"
check 'score > 50.5' "score > 50.5"
check 'score <= 0' "score <= 0"
check 'score between 10 and 20.5' "score BETWEEN 10 AND 20.5"
check 'score != 41.16' "score <> 41.16"
check 'orders_count >= 3' "orders >= 3"
# bools
check 'subscribed_email is true' "sub = 1"
check 'subscribed_email is false' "sub = 0"
check 'subscribed_email = false' "sub = 0"
check 'not subscribed_email is true' "NOT coalesce(sub = 1, 0)"
# dates
check 'birth_date before 1990-01-01' "bd < '1990-01-01'"
check 'birth_date after 2000-02-28' "bd > '2000-02-28'"
check 'birth_date on 2000-02-29' "bd = '2000-02-29'"
check 'birth_date = 1986-11-28' "bd = '1986-11-28'"
check 'age(birth_date) between 25 and 40' "years BETWEEN 25 AND 40"
check 'age(birth_date) = 40' "years = 40"
check 'age(birth_date) = 26' "years = 26"
check 'age(birth_date) < 18' "years < 18"
check 'days_since(birth_date) > 9000' \
    "julianday($TODAY) - julianday(bd) > 9000"
check 'birth_date within last 10000 days' \
    "bd BETWEEN date($TODAY, '-10000 days') AND $TODAY"
check 'birth_date more than 20000 days ago' \
    "bd < date($TODAY, '-20000 days')"
# datetimes
check 'last_purchase_at within last 30 days' \
    "ts BETWEEN $NOW - 30 * 86400 AND $NOW"
check 'last_purchase_at within last 24 hours' \
    "ts BETWEEN $NOW - 86400 AND $NOW"
check 'last_purchase_at within next 10 days' \
    "ts BETWEEN $NOW AND $NOW + 10 * 86400"
check 'last_purchase_at more than 200 days ago' "ts < $NOW - 200 * 86400"
check 'last_purchase_at on 2026-11-27' "$LOCALD = '2026-11-27'"
check 'last_purchase_at before 2026-01-01' "$LOCALD < '2026-01-01'"
check 'last_purchase_at after 2026-11-27' "$LOCALD > '2026-11-27'"
check 'days_since(last_purchase_at) <= 1' \
    "julianday($TODAY) - julianday($LOCALD) <= 1"
check 'days_until(last_purchase_at) between 1 and 7' \
    "julianday($LOCALD) - julianday($TODAY) BETWEEN 1 AND 7"
check 'last_purchase_at >= 2026-11-01T00:00:00Z' \
    "ts >= CAST(strftime('%s', '2026-11-01T00:00:00Z') AS INTEGER)"
check -o '-t Asia/Kolkata' 'last_purchase_at on 2026-11-28' \
    "date(ts, 'unixepoch', '+330 minutes') = '2026-11-28'"
check -o '-t Asia/Kolkata' 'last_purchase_at within last 1 days' \
    "ts BETWEEN $NOW - 86400 AND $NOW"
# tags
check 'tags has "vip"' "$(tag vip)"
check 'tags has "VIP"' "$(tag VIP)"
check 'tags has any ("vip", "b2b")' "$(tag vip) OR $(tag b2b)"
check 'tags has all ("vip", "новый")' "$(tag vip) AND $(tag новый)"
check 'tags has none ("vip", "VIP")' \
    "NOT coalesce($(tag vip) OR $(tag VIP), 0)"
check 'tags is empty' "tags IS NULL"
check 'length(tags) = 2' \
    "length(tags) - length(replace(tags, ',', '')) + 1 = 2"
# groups, in segment, limit
check '(country in ("RU","KZ","BY") and age(birth_date) between 25 and 40)
    or (orders_count >= 3 and last_purchase_at within last 30 days)' "$AGE_A"
check 'subscribed_email is true and tags has "vip" and city = "Moscow"' \
    "sub = 1 AND $(tag vip) AND city = 'Moscow'"
check 'not (country = "RU" or orders_count > 5)' \
    "NOT (coalesce(country = 'RU', 0) OR coalesce(orders > 5, 0))"
check -o '-s RU=country="RU"' 'in segment "RU" and orders_count < 3' \
    "country = 'RU' AND orders < 3"
check -o '-s RU=country="RU"' 'not in segment "RU"' \
    "NOT coalesce(country = 'RU', 0)"
check -o '-l 10' 'age > 30 # the first ten' "age > 30" 10
check -o '-j 2' 'score > 20 or not tags has "vip"' \
    "score > 20 OR NOT coalesce($(tag vip), 0)"

echo "$n scripts, $fail failed"
[ "$fail" -eq 0 ] && [ "$n" -ge 40 ]
