#!/bin/sh
# Small updates at random keys: reseg `db import` against the sqlite3
# shell's `INSERT ... ON CONFLICT(email) DO UPDATE` of the same rows, on
# the same N generated profiles (doc/storage.md, "Upsert and numbering").
#
# Each round picks ROWS existing keys at random (seeded, a new seed each
# round), writes a CSV naming the key and three columns with new values,
# and runs both whole processes on it: wall ms, user+sys CPU ms, peak RSS
# and how much each store file grew.  After the last round both stores are
# exported and compared value by value (a difference exits 1).
#
#   bench/bench_upsert.sh [BUILD_DIR] [PROFILES] [ROUNDS] [ROWS]
#
# Defaults: ./build, 1000000, 8, 1000.  Needs sqlite3, python3 and
# /usr/bin/time (Debian package `time`).  TMPDIR says where the data goes
# (about 700 MB for a million profiles).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-1000000}
rounds=${3:-8}
rows=${4:-1000}
reseg=$build/src/reseg
[ -x "$reseg" ] || { echo "bench_upsert: build $reseg first" >&2; exit 1; }
for t in sqlite3 python3 /usr/bin/time; do
	command -v $t >/dev/null || { echo "bench_upsert: needs $t" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/reseg-bench-upsert-XXXXXX")
trap 'rm -rf "$W"' EXIT
RESEG_NOW=2026-05-01T12:00:00Z; export RESEG_NOW

echo "bench_upsert: generating $n demo profiles..." >&2
"$reseg" --store "$W/gen" demo --profiles "$n" >/dev/null
"$reseg" --store "$W/gen" db export demo -o "$W/p.csv" >/dev/null
fields=$("$reseg" --store "$W/gen" --json db show demo | python3 -c \
    'import json,sys; print(",".join(f["name"]+":"+f["type"] for f in json.load(sys.stdin)["fields"]))')
rm -rf "$W/gen"
"$reseg" --store "$W/r" db create demo --fields "$fields" >/dev/null
"$reseg" --store "$W/r" db import demo "$W/p.csv" >/dev/null
sqlite3 "$W/p.db" ".import --csv $W/p.csv p" \
    "CREATE UNIQUE INDEX p_email ON p(email)"
cut -d, -f1 "$W/p.csv" | sed 1d >"$W/keys"
rm -f "$W/p.csv"

size() { stat -c %s "$1"; }
# timed NAME CMD...: "wall user sys maxkb" of the whole process in $W/NAME.t
timed() {
	_n=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$W/$_n.t" "$@" >"$W/$_n.out" 2>"$W/$_n.err" ||
		{ echo "bench_upsert: $_n failed:" >&2; cat "$W/$_n.err" >&2; exit 1; }
}

echo "== $n profiles, $rows random existing keys a round, 3 columns changed"
echo "== whole process: wall ms, user+sys CPU ms, peak RSS MiB, store file growth"
printf '%-5s | %8s %8s %6s %8s | %8s %8s %6s %8s | %s\n' round \
    "reseg ms" "cpu ms" MiB growth "sqlite ms" "cpu ms" MiB growth "reseg says"
r=1
while [ "$r" -le "$rounds" ]; do
	python3 - "$W/keys" "$r" "$rows" "$W/u.csv" "$W/u.sql" <<'EOF'
import csv, random, sys, time
keys = open(sys.argv[1]).read().split()
rnd = random.Random(int(sys.argv[2]) * 7919)
pick = rnd.sample(keys, int(sys.argv[3]))
cities = ["Moscow", "Kazan", "Almaty", "Minsk", "Tbilisi", "Berlin", "Lisbon"]
rows = []
for k in pick:
    t = 1700000000 + rnd.randrange(70000000)
    ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    rows.append((k, str(rnd.randrange(200)), ts, rnd.choice(cities)))
with open(sys.argv[4], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["email", "orders_count", "last_purchase_at", "city"])
    w.writerows(rows)
q = lambda s: "'" + s.replace("'", "''") + "'"
with open(sys.argv[5], "w") as f:
    f.write("BEGIN;\nINSERT INTO p(email, orders_count, last_purchase_at, city) VALUES\n")
    f.write(",\n".join("(%s)" % ", ".join(q(v) for v in row) for row in rows))
    f.write("\nON CONFLICT(email) DO UPDATE SET orders_count = excluded.orders_count,"
            " last_purchase_at = excluded.last_purchase_at, city = excluded.city;\nCOMMIT;\n")
EOF
	rb=$(size "$W/r/data.mdb")
	sb=$(size "$W/p.db")
	timed reseg "$reseg" --store "$W/r" db import demo "$W/u.csv"
	timed sqlite sqlite3 "$W/p.db" ".read $W/u.sql"
	ra=$(size "$W/r/data.mdb")
	sa=$(size "$W/p.db")
	read -r re ru rs rk <"$W/reseg.t"
	read -r se su ss sk <"$W/sqlite.t"
	awk -v r="$r" -v re="$re" -v ru="$ru" -v rs="$rs" -v rk="$rk" \
	    -v rb="$rb" -v ra="$ra" -v se="$se" -v su="$su" -v ss="$ss" \
	    -v sk="$sk" -v sb="$sb" -v sa="$sa" -v said="$(tr '\n' ' ' <"$W/reseg.out")" 'BEGIN {
		printf "%-5d | %8.0f %8.0f %6.0f %+7.2f%% | %8.0f %8.0f %6.0f %+7.2f%% | %s\n",
		    r, re * 1000, (ru + rs) * 1000, rk / 1024, (ra - rb) * 100 / rb,
		    se * 1000, (su + ss) * 1000, sk / 1024, (sa - sb) * 100 / sb, said }'
	r=$((r + 1))
done

"$reseg" --store "$W/r" db export demo -o "$W/r.csv" >/dev/null
sqlite3 -csv -header "$W/p.db" 'SELECT * FROM p ORDER BY rowid' >"$W/s.csv"
# Both list the profiles in the order of the first import (reseg's
# profile numbers, sqlite3's rowids): compared row by row, as parsed CSV
# (the two quote differently), in constant memory.
python3 - "$W/r.csv" "$W/s.csv" <<'EOF' || exit 1
import csv, itertools, sys
with open(sys.argv[1], newline="") as a, open(sys.argv[2], newline="") as b:
    n = bad = 0
    for x, y in itertools.zip_longest(csv.reader(a), csv.reader(b)):
        if x != y:
            bad += 1
        n += 1
if bad:
    print(f"bench_upsert: the stores differ ({bad} rows of {n - 1})", file=sys.stderr)
    sys.exit(1)
print(f"bench_upsert: both stores hold the same {n - 1} profiles")
EOF
echo "reseg store $(($(size "$W/r/data.mdb") / 1048576)) MiB, sqlite3 $(($(size "$W/p.db") / 1048576)) MiB"
