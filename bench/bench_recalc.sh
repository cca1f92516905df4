#!/bin/sh
# bench_recalc.sh [N]: `reseg segment recalc` of the three reference
# demo segments as whole processes over N demo profiles (default
# 1,000,000), against the sqlite3 shell running the equivalent SQL over
# the same data in the same run.  Prints time, profiles/s, peak anonymous
# memory (RssAnon: private memory, the mapped store excluded) and ratios.
set -eu
N=${1:-1000000}
RESEG=${RESEG:-$(dirname "$0")/../build/src/reseg}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RESEG_NOW=${RESEG_NOW:-2026-11-28T12:00:00Z}
export RESEG_NOW
S="$T/store"
NOW_SQL=$(echo "$RESEG_NOW" | sed 's/T/ /; s/Z$//')
TODAY=${RESEG_NOW%%T*}

A='(country in ("RU","KZ","BY") and age(birth_date) between 25 and 40) or (orders_count >= 3 and last_purchase_at within last 30 days)'
B='subscribed_email is true and tags has "vip" and city = "Moscow"'
AGE="(cast(strftime('%Y','$TODAY') as int) - cast(strftime('%Y',birth_date) as int) - (strftime('%m-%d','$TODAY') < strftime('%m-%d',birth_date)))"
QA="(country in ('RU','KZ','BY') and $AGE between 25 and 40) or (cast(orders_count as int) >= 3 and replace(replace(last_purchase_at,'T',' '),'Z','') between datetime('$NOW_SQL','-30 days') and '$NOW_SQL')"
QB="lower(subscribed_email) in ('true','1') and (','||tags||',') like '%,vip,%' and city = 'Moscow'"

echo "generating $N demo profiles..."
"$RESEG" --store "$S" demo --profiles "$N" >/dev/null
"$RESEG" --store "$S" segment create bench_a --db demo --where "$A" >/dev/null
"$RESEG" --store "$S" segment create bench_b --db demo --where "$B" >/dev/null
"$RESEG" --store "$S" segment create bench_c --db demo --where "$A" \
    --range 0-20 --limit 50000 >/dev/null
"$RESEG" --store "$S" db export demo -o "$T/demo.csv" >/dev/null
# sqlite3 gets the same rows plus each key's range bucket (bucket.h).
python3 - "$T/demo.csv" "$T/demo_b.csv" <<'PY'
import csv, sys
M = (1 << 64) - 1
def bucket(k):
    h = 14695981039346656037
    for b in k.encode():
        h = ((h ^ b) * 1099511628211) & M
    h ^= h >> 33; h = (h * 0xff51afd7ed558ccd) & M
    h ^= h >> 33; h = (h * 0xc4ceb9fe1a85ec53) & M
    h ^= h >> 33
    return h % 10000
with open(sys.argv[1], newline='') as f, open(sys.argv[2], 'w', newline='') as o:
    r = csv.reader(f); w = csv.writer(o)
    w.writerow(next(r) + ['bucket'])
    for row in r:
        w.writerow(row + [bucket(row[0])])
PY
sqlite3 "$T/demo.db" ".mode csv" ".import $T/demo_b.csv demo"
QC="select count(*) from (select rowid from demo where ($QA) and cast(bucket as int) < 2000 order by rowid limit 50000)"

# run_peak CMD...: wall seconds and peak RssAnon (KiB) of one process.
run_peak() {
	start=$(date +%s.%N)
	"$@" >"$T/out" 2>&1 &
	pid=$!
	peak=0
	while kill -0 "$pid" 2>/dev/null; do
		v=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
		sleep 0.005
	done
	wait "$pid" || { cat "$T/out"; exit 1; }
	end=$(date +%s.%N)
	echo "$(echo "$end - $start" | bc -l) $peak"
}

printf '%-4s %10s %12s %10s %10s %8s %8s\n' seg reseg_ms profiles/s anon_KiB sqlite_ms ratio count
for q in a b c; do
	set -- $(run_peak "$RESEG" --store "$S" segment recalc "bench_$q")
	rt=$1 rm=$2
	total=$(sed -n 's/.*total \([0-9]*\)\..*/\1/p' "$T/out")
	case $q in
	a) sql="select count(*) from demo where $QA;" ;;
	b) sql="select count(*) from demo where $QB;" ;;
	c) sql="$QC;" ;;
	esac
	set -- $(run_peak sqlite3 "$T/demo.db" "$sql")
	st=$1
	scount=$(cat "$T/out")
	printf '%-4s %10.1f %12.0f %10d %10.1f %8.1f %8s\n' "$q" \
	    "$(echo "$rt * 1000" | bc -l)" "$(echo "$N / $rt" | bc -l)" "$rm" \
	    "$(echo "$st * 1000" | bc -l)" "$(echo "$st / $rt" | bc -l)" \
	    "$total/$scount"
done
