#!/bin/sh
# Reference queries (a), (b), (c) of the segments issue over N demo
# profiles: eval_run alone (bench_eval, 1 and 2 threads), the sqlite3 shell
# over the same data (whole process), DuckDB through @duckdb/node-api
# (scan step, 1 and 2 threads; installed into a temp dir, never committed).
# Run from a build directory after `make bench`:  sh ../bench/bench_query.sh [N]
set -eu
N=${1:-1000000}
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
NOW=1795867200
W=$(mktemp -d "${TMPDIR:-/tmp}/bench_query.XXXXXX")
trap 'rm -rf "$W"' EXIT
RESEG_MAPSIZE=4000000000; export RESEG_MAPSIZE

echo "== eval_run (scan step) over $N profiles"
./bench/bench_eval -c "$N" -n 1 "$W/store" >/dev/null
./bench/bench_eval -n 9 "$W/store" | tee "$W/eval.txt"
./src/reseg --store "$W/store" db export demo --format csv -o "$W/demo.csv"

AGE="((CAST(strftime('%Y','2026-11-28') AS INTEGER) - CAST(strftime('%Y',birth_date) AS INTEGER)) - (strftime('%m-%d','2026-11-28') < strftime('%m-%d',birth_date)))"
QA="(country IN ('RU','KZ','BY') AND $AGE BETWEEN 25 AND 40) OR (CAST(orders_count AS INTEGER) >= 3 AND last_purchase_at <> '' AND CAST(strftime('%s', last_purchase_at) AS INTEGER) BETWEEN $NOW - 30*86400 AND $NOW)"
QB="subscribed_email = 'true' AND instr(','||tags||',', ',vip,') > 0 AND city = 'Moscow'"
sqlite3 "$W/demo.db" ".mode csv" ".import '$W/demo.csv' p"
echo "== sqlite3 shell, whole process"
for q in a b; do
	[ $q = a ] && sql=$QA || sql=$QB
	t0=$(date +%s%N)
	c=$(sqlite3 "$W/demo.db" "SELECT count(*) FROM p WHERE $sql;")
	t1=$(date +%s%N)
	echo "query $q: $(( (t1 - t0) / 1000000 )) ms, $c members" | tee -a "$W/sqlite.txt"
done

echo "== DuckDB (@duckdb/node-api), scan step"
if (cd "$W" && npm install --silent @duckdb/node-api >/dev/null 2>&1); then
	cat > "$W/duck.mjs" <<JS
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run("CREATE TABLE p AS SELECT * FROM read_csv('$W/demo.csv', header=true, types={'tags':'VARCHAR'})");
const qa = "(country IN ('RU','KZ','BY') AND date_diff('year', birth_date, DATE '2026-11-28') - (strftime(DATE '2026-11-28','%m-%d') < strftime(birth_date,'%m-%d'))::INT BETWEEN 25 AND 40) OR (orders_count >= 3 AND last_purchase_at BETWEEN TIMESTAMPTZ '2026-10-29 12:00:00Z' AND TIMESTAMPTZ '2026-11-28 12:00:00Z')";
const qb = "subscribed_email AND list_contains(string_split(tags, ','), 'vip') AND city = 'Moscow'";
for (const th of [1, 2]) {
  await c.run('SET threads=' + th);
  for (const [n, q] of [['a', qa], ['b', qb]]) {
    let best = 1e9, cnt = 0;
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      const r = await c.runAndReadAll('SELECT count(*) FROM p WHERE ' + q);
      best = Math.min(best, performance.now() - t0);
      cnt = r.getRows()[0][0];
    }
    console.log('query ' + n + ' threads ' + th + ': ' + best.toFixed(2) + ' ms, ' + cnt + ' members');
  }
}
JS
	(cd "$W" && node duck.mjs) | tee "$W/duck.txt"
else
	echo "npm install @duckdb/node-api failed; DuckDB skipped"
fi
