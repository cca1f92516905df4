#!/bin/sh
# reseg, sqlite3 and DuckDB side by side on the same N generated profiles:
# import (CSV and JSON Lines, whole process, peak RSS), size on disk, and
# eight query classes, each as the scan step alone (reseg's eval_run with 2
# threads against DuckDB's query with 2 threads on a loaded table) and as a
# whole process (reseg segment recalc; node + open + query; the sqlite3
# shell).  Every query's member list is compared across the three (sorted
# keys, md5); a difference is printed and makes the script exit 1.
#
# Run from a build directory after `make bench`:
#     sh ../bench/compare.sh [N]            (default 1000000)
#     KEYS=shuffled sh ../bench/compare.sh [N]   (keys in no order)
# Needs sqlite3, /usr/bin/time, node and npm (DuckDB comes from npm's
# @duckdb/node-api, installed into a temporary directory).
set -eu
N=${1:-1000000}
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
RESEG_MAPSIZE=${RESEG_MAPSIZE:-20000000000}; export RESEG_MAPSIZE
W=$(mktemp -d "${TMPDIR:-/tmp}/reseg-compare.XXXXXX")
trap 'rm -rf "$W"' EXIT
reseg=./src/reseg
[ -x "$reseg" ] && [ -x ./bench/bench_eval ] ||
	{ echo "compare.sh: run from a build directory after make bench" >&2; exit 1; }
for t in sqlite3 node npm /usr/bin/time; do
	command -v $t >/dev/null || { echo "compare.sh: needs $t" >&2; exit 1; }
done
(cd "$W" && npm install --silent @duckdb/node-api >/dev/null 2>&1) ||
	{ echo "compare.sh: npm install @duckdb/node-api failed" >&2; exit 1; }

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# timed NAME CMD...: whole-process seconds and peak RSS (MiB) into $W/NAME.t
timed() {
	_n=$1; shift
	/usr/bin/time -f '%e %M' -o "$W/$_n.t" "$@" >"$W/$_n.out" 2>"$W/$_n.err" ||
		{ echo "compare.sh: $_n failed:" >&2; cat "$W/$_n.err" >&2; exit 1; }
}
secs() { cut -d' ' -f1 "$W/$1.t"; }
mib() { echo $(( $(cut -d' ' -f2 "$W/$1.t") / 1024 )); }

echo "generating $N demo profiles..." >&2
./bench/bench_eval -c "$N" -n 1 -q 'none=email = ""' "$W/gen" >/dev/null
$reseg --store "$W/gen" db export demo --format csv -o "$W/p.csv" >/dev/null
$reseg --store "$W/gen" db export demo --format jsonl -o "$W/p.jsonl" >/dev/null
fields=$($reseg --store "$W/gen" --json db show demo | python3 -c \
    'import json,sys; print(",".join(f["name"]+":"+f["type"] for f in json.load(sys.stdin)["fields"]))')
rm -rf "$W/gen"
# KEYS=shuffled deals the generator's e-mails out to the profiles in a
# random order: the e-mails carry the profile's number, so in file order
# a batch of them falls in few leaves of the key index, while real keys
# come in no such order (README, "Performance").  The same keys, so the
# conditions on them select as many profiles.
if [ "${KEYS:-demo}" = shuffled ]; then
	python3 - "$W/p.csv" "$W/p.jsonl" <<'EOF'
import os, random, sys
csv_in, jsonl_in = sys.argv[1], sys.argv[2]
with open(csv_in) as f:
    f.readline()
    keys = [line[:line.index(",")] for line in f]
random.Random(20261205).shuffle(keys)
with open(csv_in) as f, open(csv_in + ".new", "w") as o:
    o.write(f.readline())
    for k, line in zip(keys, f):
        o.write(k + line[line.index(","):])
with open(jsonl_in) as f, open(jsonl_in + ".new", "w") as o:
    for k, line in zip(keys, f):
        a = line.index('"email":"') + 9
        o.write(line[:a] + k + line[line.index('"', a):])
os.replace(csv_in + ".new", csv_in)
os.replace(jsonl_in + ".new", jsonl_in)
EOF
fi
# The files just written are still being written back: not during a
# timed import.
sync

# ---- import --------------------------------------------------------------
# Each import runs IMPORT_RUNS times (default 3) into a new store, as
# writeback and other work on the machine move one run by a second or
# more at 10M: the fastest run's seconds and the highest peak count.
IMPORT_RUNS=${IMPORT_RUNS:-3}
best() {	# best NAME PREP CMD...: PREP (shell text), then CMD timed
	_b=$1 _p=$2
	shift 2
	_i=1
	while [ "$_i" -le "$IMPORT_RUNS" ]; do
		eval "$_p"
		timed "$_b.$_i" "$@"
		_i=$((_i + 1))
	done
	cat "$W/$_b".[0-9]*.t | sort -n |
	    awk 'NR == 1 { s = $1 } $2 > m { m = $2 } END { print s, m }' >"$W/$_b.t"
}
best reseg_csv 'rm -rf "$W/csv"; $reseg --store "$W/csv" db create demo --fields "$fields" >/dev/null' \
    $reseg --store "$W/csv" db import demo "$W/p.csv" --format csv
best reseg_jsonl 'rm -rf "$W/jsonl"; $reseg --store "$W/jsonl" db create demo --fields "$fields" >/dev/null' \
    $reseg --store "$W/jsonl" db import demo "$W/p.jsonl" --format jsonl
rm -rf "$W/jsonl"
best sqlite_csv 'rm -f "$W/p.db"' sqlite3 "$W/p.db" ".import --csv $W/p.csv p"
DUCK_TYPES="types={'birth_date':'DATE','created_at':'TIMESTAMPTZ','last_purchase_at':'TIMESTAMPTZ','orders_count':'BIGINT','total_spent':'DOUBLE','subscribed_email':'BOOLEAN','tags':'VARCHAR'}"
cat >"$W/duck_load.mjs" <<JS
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[2]);
const c = await db.connect();
await c.run(process.argv[3]);
JS
best duck_csv 'rm -f "$W/csv.duckdb"' node "$W/duck_load.mjs" "$W/csv.duckdb" \
    "CREATE TABLE p AS SELECT * FROM read_csv('$W/p.csv', header=true, $DUCK_TYPES)"
best duck_jsonl 'rm -f "$W/jsonl.duckdb"' node "$W/duck_load.mjs" "$W/jsonl.duckdb" \
    "CREATE TABLE p AS SELECT * EXCLUDE (tags), array_to_string(tags, ',') AS tags FROM read_json('$W/p.jsonl', format='newline_delimited')"
rm -f "$W/jsonl.duckdb"

# ---- queries: reseg script | sqlite3 WHERE | DuckDB WHERE ------------------
AGE="((2026 - CAST(strftime('%Y',birth_date) AS INTEGER)) - ('11-28' < strftime('%m-%d',birth_date)))"
CITIES='"Moscow","Kazan","Ufa","Omsk","Perm","Samara","Minsk","Gomel","Grodno","Vitebsk","Almaty","Astana","Aktobe","Shymkent","Karaganda","Tashkent","Samarkand","Yerevan","Gyumri","Tbilisi","Batumi","Berlin","Munich","Frankfurt","Istanbul","Ankara","Antalya","Chicago","New York","Los Angeles"'
SQCITIES=$(echo "$CITIES" | tr '"' "'")
cat >"$W/queries" <<EOF
reference|(country in ("RU","KZ","BY") and age(birth_date) between 25 and 40) or (orders_count >= 3 and last_purchase_at within last 30 days)|(country IN ('RU','KZ','BY') AND birth_date <> '' AND $AGE BETWEEN 25 AND 40) OR (orders_count <> '' AND CAST(orders_count AS INTEGER) >= 3 AND last_purchase_at <> '' AND CAST(strftime('%s', last_purchase_at) AS INTEGER) BETWEEN 1795867200 - 30*86400 AND 1795867200)|(country IN ('RU','KZ','BY') AND date_diff('year', birth_date, DATE '2026-11-28') - (strftime(DATE '2026-11-28','%m-%d') < strftime(birth_date,'%m-%d'))::INT BETWEEN 25 AND 40) OR (orders_count >= 3 AND last_purchase_at BETWEEN TIMESTAMPTZ '2026-10-29 12:00:00Z' AND TIMESTAMPTZ '2026-11-28 12:00:00Z')
selective|city = "Kazan" and orders_count between 10 and 12|city = 'Kazan' AND orders_count <> '' AND CAST(orders_count AS INTEGER) BETWEEN 10 AND 12|city = 'Kazan' AND orders_count BETWEEN 10 AND 12
contains|email contains "ova1"|instr(lower(email), 'ova1') > 0|contains(lower(email), 'ova1')
starts_with|email starts with "ser"|lower(substr(email, 1, 3)) = 'ser'|starts_with(lower(email), 'ser')
in_list|city in ($CITIES)|city IN ($SQCITIES)|city IN ($SQCITIES)
tags_any|tags has any ("loyalty", "promo")|(tags = 'loyalty' OR tags LIKE 'loyalty,%' OR tags LIKE '%,loyalty' OR tags LIKE '%,loyalty,%') OR (tags = 'promo' OR tags LIKE 'promo,%' OR tags LIKE '%,promo' OR tags LIKE '%,promo,%')|list_has_any(string_split(tags, ','), ['loyalty', 'promo'])
is_empty|last_purchase_at is empty|last_purchase_at = ''|last_purchase_at IS NULL
mix5|(gender = "female" and total_spent > 5000) or (country = "KZ" and subscribed_email is true) or orders_count = 0|(gender = 'female' AND total_spent <> '' AND CAST(total_spent AS REAL) > 5000) OR (country = 'KZ' AND subscribed_email = 'true') OR (orders_count <> '' AND CAST(orders_count AS INTEGER) = 0)|(gender = 'female' AND total_spent > 5000) OR (country = 'KZ' AND subscribed_email) OR orders_count = 0
EOF

set --
while IFS='|' read -r name script sq dq; do
	set -- "$@" -q "$name=$script"
	$reseg --store "$W/csv" segment create "$name" --db demo --where "$script" >/dev/null
done <"$W/queries"
./bench/bench_eval -n 7 "$@" "$W/csv" | sed -n 's/^query \([a-z_0-9]*\) threads 2: \([0-9.]*\) ms.*/\1 \2/p' >"$W/reseg_scan"

cat >"$W/duck_scan.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'fs';
const db = await DuckDBInstance.create(process.argv[2], { access_mode: 'READ_ONLY' });
const c = await db.connect();
await c.run('SET threads=2');
for (const line of readFileSync(process.argv[3], 'utf8').trim().split('\n')) {
  const [name, , , where] = line.split('|');
  let best = 1e9;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await c.runAndReadAll('SELECT count(*) FROM p WHERE ' + where);
    best = Math.min(best, performance.now() - t0);
  }
  console.log(name + ' ' + best.toFixed(2));
}
JS
node "$W/duck_scan.mjs" "$W/csv.duckdb" "$W/queries" >"$W/duck_scan"
cat >"$W/duck_keys.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[2], { access_mode: 'READ_ONLY' });
const c = await db.connect();
await c.run('SET threads=2');
const r = await c.runAndReadAll('SELECT email FROM p WHERE ' + process.argv[3]);
process.stdout.write(r.getRows().map((x) => x[0]).join('\n') + '\n');
JS

status=0
printf '%-12s %9s %9s %6s | %9s %9s %9s %6s %6s | %8s\n' query reseg DuckDB ratio \
    recalc DuckDB sqlite3 xDuck xSqlite members >"$W/table"
while IFS='|' read -r name script sq dq; do
	t=$(date +%s%N)
	$reseg --store "$W/csv" segment recalc "$name" >/dev/null
	rp=$(ms "$t")
	t=$(date +%s%N)
	node "$W/duck_keys.mjs" "$W/csv.duckdb" "$dq" >"$W/d.keys"
	dp=$(ms "$t")
	t=$(date +%s%N)
	sqlite3 "$W/p.db" "SELECT email FROM p WHERE $sq" >"$W/s.keys"
	sp=$(ms "$t")
	$reseg --store "$W/csv" segment members "$name" >"$W/r.keys"
	for k in r d s; do
		grep -v '^$' "$W/$k.keys" | LC_ALL=C sort | md5sum | cut -c1-12 >"$W/$k.md5"
	done
	count=$(grep -c . "$W/r.keys" || true)
	if ! cmp -s "$W/r.md5" "$W/d.md5" || ! cmp -s "$W/r.md5" "$W/s.md5"; then
		echo "compare.sh: $name: members differ: reseg $(grep -c . "$W/r.keys"), DuckDB $(grep -c . "$W/d.keys"), sqlite3 $(grep -c . "$W/s.keys")" >&2
		status=1
	fi
	rs=$(sed -n "s/^$name //p" "$W/reseg_scan")
	ds=$(sed -n "s/^$name //p" "$W/duck_scan")
	awk -v n="$name" -v rs="$rs" -v ds="$ds" -v rp="$rp" -v dp="$dp" -v sp="$sp" -v c="$count" 'BEGIN {
		printf "%-12s %7.1fms %7.1fms %5.2fx | %7dms %7dms %7dms %5.1fx %5.1fx | %8d\n",
		    n, rs, ds, ds / (rs > 0 ? rs : 0.01), rp, dp, sp, dp / (rp > 0 ? rp : 1), sp / (rp > 0 ? rp : 1), c }' >>"$W/table"
done <"$W/queries"

echo "== $N profiles; $(nproc) cores; scan step with 2 threads (best of 7); ratio = DuckDB / reseg (> 1: reseg faster)"
cat "$W/table"
echo
echo "== import, whole process (seconds, peak RSS; fastest of $IMPORT_RUNS runs, highest peak)"
printf '%-22s %8s %9s\n' "" seconds "peak MiB"
for k in reseg_csv reseg_jsonl sqlite_csv duck_csv duck_jsonl; do
	printf '%-22s %8s %9s\n' "$k" "$(secs $k)" "$(mib $k)"
done
echo
echo "== size on disk after the CSV import (MiB; per million profiles)"
for f in "$W/csv" "$W/p.db" "$W/csv.duckdb"; do
	b=$(du -sb "$f" | cut -f1)
	awk -v f="$(basename "$f")" -v b="$b" -v n="$N" 'BEGIN {
		printf "%-12s %8.1f MiB %8.1f MiB per 1M\n", f, b / 1048576, b / 1048576 / (n / 1e6) }'
done
exit $status
