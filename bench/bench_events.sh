#!/bin/sh
# Events at scale (issue 10, "Performance"), side by side in one run, on
# P profiles and E events over 400 days made by bench/gen_events
# (default 1,000,000 and 30,000,000):
#
#  1. `reseg events import` against the sqlite3 shell's `.import --csv`
#     of the same CSV into a fresh database: wall time, peak RSS;
#  2. the segment  did "purchase" at least 3 times within last 30 days
#     and not did "email_open" within last 90 days:
#     - `reseg segment recalc` as a whole process against the sqlite3
#       shell running the equivalent SQL with indexes (event, time, email)
#       and (event, email, time) and ANALYZE (whole process), with peak
#       anonymous memory (RssAnon) and peak RSS;
#     - the scan-and-evaluate step: bench/bench_events (eval_run alone,
#       with the event chunks and bytes it read out of all of them)
#       against DuckDB (@duckdb/node-api, installed into a temp dir, never
#       committed) with 1 and 2 threads on the equivalent GROUP BY query,
#       the table already loaded;
#     - the member sets of reseg, sqlite3 and DuckDB compared (sorted keys);
#  3. two more constructs the same way (scan step and sets):
#     sum(amount) of "purchase" >= 500 within last 365 days, and
#     last "login" more than 14 days ago.
#
# Run from a build directory after `make bench` (needs sqlite3, node and
# npm, GNU time):
#
#     sh ../bench/bench_events.sh [PROFILES] [EVENTS]
#     IDS=ordered|random sh ../bench/bench_events.sh ...   (with event_ids:
#         e0000000001, ... or 16 hex digits in no order; default none)
#
# A run on 2026-12-04 at evbench d160630 (main 840606c merged), 2 cores
# shared with other builds (load average 1-2, so 2 threads may lose to
# 1 and DuckDB's times varied by up to 2x between runs):
#
#   reseg events import:     27.19 s    1103266 events/s  peak RSS   109.7 MiB
#   sqlite3 .import --csv:   45.69 s     656613 events/s  peak RSS     5.9 MiB
#   ratio (sqlite3 time / reseg time): 1.68x (target >= 1)
#   store: 1431 MiB; sqlite3 database: 2078 MiB
#   sqlite3 indexes (event,time,email), (event,email,time) and ANALYZE: 85.076 s
#   reseg segment recalc (whole process):       0.029 s  4714 members  anon peak 3.3 MiB  peak RSS 307.5 MiB
#   sqlite3 shell, same SQL (whole process):    0.642 s  4714 members  peak RSS 10.2 MiB
#   ratio (sqlite3 / reseg): 22.1x (target >= 10)
#   anon budget: 64 MiB + 4 B x 1000000 profiles x 2 event conditions = 71.6 MiB
#   scan step, eval_run (bench_events), best of 5, 1 / 2 threads:
#     a: 13.8 / 15.4 ms, 4714 members; chunks read 1622 of 7325, bytes 77.6 of 582.9 MiB (13.3%); anon peak 2460 / 3668 kB
#     b: 98.2 / 140.7 ms, 157711 members; chunks 6669 of 7325, bytes 530.8 of 815.4 MiB (65.1%); anon peak 20148 / 35080 kB
#     c: 93.3 / 74.5 ms, 527243 members; chunks 7325 of 7325, bytes 582.9 of 582.9 MiB (100.0%); anon peak 11128 / 18940 kB
#     d: 6.7 / 7.4 ms, 10271 members; chunks 523 of 7325, bytes 25.0 of 582.9 MiB (4.3%); anon peak 3444 / 3444 kB
#   scan step, DuckDB, table loaded (load 15.22 s, node RSS 2821.5 MiB; peak 2940.7 MiB), 1 / 2 threads:
#     a: 451.9 / 531.4 ms; b: 854.2 / 805.3 ms; c: 1840.0 / 1484.9 ms; d: 47.1 / 57.3 ms
#   same members in reseg, sqlite3 and DuckDB (sorted keys compared):
#     a 4714, b 157711, c 527243, d 10271: same sets: yes
#
# (The peak RSS of recalc is mostly the store's mapped pages: RssAnon is
# the "anon peak".  An earlier run, before the import gave back its map
# pages, had an import peak RSS of 307 MiB; anonymous 82 MiB of it.)
set -eu
P=${1:-1000000}
E=${2:-30000000}
RESEG_NOW=2026-11-28T12:00:00Z; export RESEG_NOW
RESEG_MAPSIZE=${RESEG_MAPSIZE:-8000000000}; export RESEG_MAPSIZE
RESEG=./src/reseg
[ -x "$RESEG" ] && [ -x ./bench/gen_events ] && [ -x ./bench/bench_events ] ||
    { echo "bench_events: run from a build directory after make bench" >&2; exit 1; }
for c in sqlite3 /usr/bin/time awk; do
	command -v "$c" >/dev/null || { echo "bench_events: needs $c" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/bench_events.XXXXXX")
trap 'rm -rf "$W"' EXIT
S=$W/store

ago() { date -u -d "2026-11-28T12:00:00Z - $1 days" +%Y-%m-%dT%H:%M:%SZ; }
NOWS=2026-11-28T12:00:00Z
T14=$(ago 14) T30=$(ago 30) T90=$(ago 90) T365=$(ago 365)

QA='did "purchase" at least 3 times within last 30 days and not did "email_open" within last 90 days'
QB='sum(amount) of "purchase" >= 500 within last 365 days'
QC='last "login" more than 14 days ago'
QD='did "purchase" at least 3 times within last 30 days'
SA="SELECT email FROM ev WHERE event='purchase' AND time BETWEEN '$T30' AND '$NOWS' GROUP BY email HAVING count(*) >= 3 EXCEPT SELECT email FROM ev WHERE event='email_open' AND time BETWEEN '$T90' AND '$NOWS'"
SB="SELECT email FROM ev WHERE event='purchase' AND time BETWEEN '$T365' AND '$NOWS' GROUP BY email HAVING sum(amount) >= 500"
SC="SELECT email FROM ev WHERE event='login' GROUP BY email HAVING max(time) < '$T14'"
SD="SELECT email FROM ev WHERE event='purchase' AND time BETWEEN '$T30' AND '$NOWS' GROUP BY email HAVING count(*) >= 3"

# mib KB: KiB as MiB with one decimal.
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# timed OUT CMD...: runs CMD with stdout to OUT; sets secs (wall, from
# the nanosecond clock: time(1)'s %e counts in 10 ms) and rss (KiB).
timed() {
	out=$1; shift
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$W/time" "$@" >"$out"
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	read -r rss <"$W/time"
}

# faster A B: A < B, or B is empty (the first run).
faster() { [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# anon_peak CMD...: peak RssAnon (KiB) of one run of CMD, sampled by the
# shell's builtins every 5 ms (a run of its own: sampling costs time).
anon_peak() {
	"$@" >/dev/null 2>&1 &
	pid=$!
	peak=0
	while kill -0 "$pid" 2>/dev/null; do
		while IFS=' 	' read -r k v _; do
			[ "$k" = RssAnon: ] && [ "$v" -gt "$peak" ] && peak=$v
		done 2>/dev/null <"/proc/$pid/status" || true
		sleep 0.005
	done
	wait "$pid"
}

echo "== data: $P profiles, $E events over 400 days to $NOWS"
case ${IDS:-none} in
ordered) idopt=-i idcol="'event_id':'VARCHAR'," ;;
random) idopt=-r idcol="'event_id':'VARCHAR'," ;;
none) idopt= idcol= ;;
*) echo "bench_events.sh: IDS is ordered, random or none" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
timed "$W/gen.out" ./bench/gen_events -p "$P" -e "$E" $idopt "$W/profiles.csv" \
    "$W/events.csv"
echo "generated in $secs s; events CSV $(($(wc -c <"$W/events.csv") / 1048576)) MiB"
$RESEG --store "$S" db create bench \
    --fields 'email:string,country:string,subscribed_email:bool,created_at:datetime' \
    --event-fields 'amount:float,sku:string,mailing:string' >/dev/null
$RESEG --store "$S" db import bench "$W/profiles.csv" >/dev/null

echo "== import of the events CSV"
timed "$W/imp.out" $RESEG --store "$S" events import bench "$W/events.csv"
rs=$secs rr=$rss
cat "$W/imp.out"
timed "$W/sqlimp.out" sqlite3 "$W/ev.db" ".import --csv $W/events.csv ev"
ss=$secs sr=$rss
n=$(sqlite3 "$W/ev.db" 'SELECT count(*) FROM ev')
[ "$n" -eq "$E" ] || { echo "bench_events: sqlite3 imported $n rows" >&2; exit 1; }
awk -v e="$E" -v rs="$rs" -v ss="$ss" -v rr="$(mib "$rr")" -v sr="$(mib "$sr")" 'BEGIN {
	printf "reseg events import:   %7.2f s %10.0f events/s  peak RSS %7.1f MiB\n", rs, e / rs, rr
	printf "sqlite3 .import --csv: %7.2f s %10.0f events/s  peak RSS %7.1f MiB\n", ss, e / ss, sr
	printf "ratio (sqlite3 time / reseg time): %.2fx (target >= 1)\n", ss / rs }'
echo "store: $(du -sm "$S" | cut -f1) MiB; sqlite3 database: $(du -sm "$W/ev.db" | cut -f1) MiB"

timed "$W/idx.out" sqlite3 "$W/ev.db" \
    "CREATE INDEX ev_etk ON ev(event, time, email); CREATE INDEX ev_ekt ON ev(event, email, time); ANALYZE;"
echo "sqlite3 indexes (event,time,email), (event,email,time) and ANALYZE: $secs s"

echo "== segment: $QA"
$RESEG --store "$S" segment create ev_a --db bench --where "$QA" >/dev/null
best=
for i in 1 2 3; do
	timed "$W/recalc.out" $RESEG --store "$S" segment recalc ev_a
	if faster "$secs" "$best"; then best=$secs brss=$rss; fi
done
anon_peak $RESEG --store "$S" segment recalc ev_a
ranon=$peak
$RESEG --store "$S" segment members ev_a | sort >"$W/reseg_a.keys"
best_sql=
for i in 1 2 3; do
	timed "$W/sqlite_a.keys" sqlite3 "$W/ev.db" "$SA ORDER BY 1;"
	if faster "$secs" "$best_sql"; then best_sql=$secs srss=$rss; fi
done
awk -v r="$best" -v s="$best_sql" -v ra="$(mib "$ranon")" -v rr="$(mib "$brss")" \
    -v sr="$(mib "$srss")" -v rn="$(wc -l <"$W/reseg_a.keys")" \
    -v sn="$(wc -l <"$W/sqlite_a.keys")" 'BEGIN {
	printf "reseg segment recalc (whole process):    %8.3f s  %d members  anon peak %.1f MiB  peak RSS %.1f MiB\n", r, rn, ra, rr
	printf "sqlite3 shell, same SQL (whole process): %8.3f s  %d members  peak RSS %.1f MiB\n", s, sn, sr
	printf "ratio (sqlite3 / reseg): %.1fx (target >= 10)\n", s / r }'
echo "anon budget: 64 MiB + 4 B x $P profiles x 2 event conditions = $(awk -v p="$P" 'BEGIN { printf "%.1f", 64 + 8 * p / 1048576 }') MiB"

echo "== scan-and-evaluate step: eval_run (bench_events)"
./bench/bench_events -n 5 -k "$W/scan_a.keys" "$S" bench "$QA" "$QB" "$QC" "$QD" |
    tee "$W/scan.txt"
sort -o "$W/scan_a.keys" "$W/scan_a.keys"

echo "== scan step: DuckDB (@duckdb/node-api), table loaded"
duck=0
if command -v npm >/dev/null && (cd "$W" && npm install --silent @duckdb/node-api >/dev/null 2>&1); then
	cat >"$W/duck.mjs" <<JS
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run("SET TimeZone='UTC'");
let t0 = performance.now();
await c.run("CREATE TABLE ev AS SELECT * FROM read_csv('$W/events.csv', header=true, columns={${idcol}'email':'VARCHAR','event':'VARCHAR','time':'TIMESTAMPTZ','amount':'DOUBLE','sku':'VARCHAR','mailing':'VARCHAR'})");
console.log('load: ' + ((performance.now() - t0) / 1000).toFixed(2) + ' s, RSS ' + (process.memoryUsage().rss / 1048576).toFixed(1) + ' MiB');
const now = "TIMESTAMPTZ '2026-11-28 12:00:00Z'";
const qs = [
  ['a', "SELECT email FROM ev WHERE event IN ('purchase','email_open') AND time BETWEEN " + now + " - INTERVAL 90 DAY AND " + now + " GROUP BY email HAVING count(*) FILTER (WHERE event = 'purchase' AND time >= " + now + " - INTERVAL 30 DAY) >= 3 AND count(*) FILTER (WHERE event = 'email_open') = 0"],
  ['b', "SELECT email FROM ev WHERE event = 'purchase' AND time BETWEEN " + now + " - INTERVAL 365 DAY AND " + now + " GROUP BY email HAVING sum(amount) >= 500"],
  ['c', "SELECT email FROM ev WHERE event = 'login' GROUP BY email HAVING max(time) < " + now + " - INTERVAL 14 DAY"],
  ['d', "SELECT email FROM ev WHERE event = 'purchase' AND time BETWEEN " + now + " - INTERVAL 30 DAY AND " + now + " GROUP BY email HAVING count(*) >= 3"],
];
let peak = process.memoryUsage().rss;
for (const th of [1, 2]) {
  await c.run('SET threads=' + th);
  for (const [n, q] of qs) {
    let best = 1e9, cnt = 0;
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const r = await c.runAndReadAll('SELECT count(*) FROM (' + q + ')');
      best = Math.min(best, performance.now() - t0);
      cnt = r.getRows()[0][0];
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    console.log('query ' + n + ' threads ' + th + ': ' + best.toFixed(1) + ' ms, ' + cnt + ' members');
  }
}
console.log('peak RSS of node with DuckDB (table loaded): ' + (peak / 1048576).toFixed(1) + ' MiB');
for (const [n, q] of qs) {
  const r = await c.runAndReadAll(q + ' ORDER BY 1');
  writeFileSync('$W/duck_' + n + '.keys', r.getRows().map(x => x[0] + '\n').join(''));
}
JS
	(cd "$W" && node duck.mjs) | tee "$W/duck.txt"
	duck=1
else
	echo "npm install @duckdb/node-api failed; DuckDB skipped"
fi

echo "== the same members?"
for q in a b c d; do
	case $q in
	a) sql=$SA script=$QA ;;
	b) sql=$SB script=$QB ;;
	c) sql=$SC script=$QC ;;
	d) sql=$SD script=$QD ;;
	esac
	[ -f "$W/sqlite_$q.keys" ] ||
	    sqlite3 "$W/ev.db" "$sql ORDER BY 1;" >"$W/sqlite_$q.keys"
	if [ "$q" != a ]; then
		$RESEG --store "$S" segment create "ev_$q" --db bench \
		    --where "$script" >/dev/null
		$RESEG --store "$S" segment recalc "ev_$q" >/dev/null
		$RESEG --store "$S" segment members "ev_$q" | sort >"$W/reseg_$q.keys"
	fi
	line="query $q: reseg $(wc -l <"$W/reseg_$q.keys"), sqlite3 $(wc -l <"$W/sqlite_$q.keys")"
	[ $duck = 1 ] && line="$line, DuckDB $(wc -l <"$W/duck_$q.keys")"
	same=yes
	cmp -s "$W/reseg_$q.keys" "$W/sqlite_$q.keys" || same=NO
	[ $duck = 0 ] || cmp -s "$W/reseg_$q.keys" "$W/duck_$q.keys" || same=NO
	echo "$line; same sets: $same"
done
cmp -s "$W/scan_a.keys" "$W/reseg_a.keys" &&
    echo "bench_events (eval_run) members of query a: the same set" ||
    echo "bench_events (eval_run) members of query a: DIFFERENT"
