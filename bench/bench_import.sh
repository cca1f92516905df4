#!/bin/sh
# Import of 1,000,000 demo profiles from CSV: reseg against the sqlite3
# shell's `.import --csv` of the same file into a fresh on-disk database,
# in the same run.  Prints profiles/s for both, the ratio and reseg's peak
# resident memory and CPU seconds (GNU time, Debian package `time`); then reseg's time and
# peak memory importing the JSON Lines export into an empty database and
# the same CSV again (doc/storage.md, "Streaming profile import").
#
#   bench/bench_import.sh [BUILD_DIR] [PROFILES]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-1000000}
reseg=$build/src/reseg
[ -x "$reseg" ] || { echo "bench_import: build $reseg first" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench_import: needs sqlite3" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench_import: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-bench-import-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW

echo "bench_import: generating $n demo profiles..."
"$reseg" --store "$tmp/src" demo --profiles "$n" >/dev/null
"$reseg" --store "$tmp/src" db export demo -o "$tmp/demo.csv" >/dev/null
fields=$("$reseg" --store "$tmp/src" --json db show demo |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(",".join(f["name"]+":"+f["type"] for f in d["fields"]))')
size=$(wc -c <"$tmp/demo.csv")
echo "bench_import: CSV of $n profiles, $size bytes"

"$reseg" --store "$tmp/dst" db create demo --fields "$fields" >/dev/null
/usr/bin/time -f '%e %M %U %S' -o "$tmp/reseg.time" \
    "$reseg" --store "$tmp/dst" db import demo "$tmp/demo.csv" >"$tmp/reseg.out"
cat "$tmp/reseg.out"
/usr/bin/time -f '%e %M' -o "$tmp/sqlite.time" \
    sqlite3 "$tmp/sqlite.db" ".import --csv $tmp/demo.csv demo"
rows=$(sqlite3 "$tmp/sqlite.db" 'select count(*) from demo')
[ "$rows" -eq "$n" ] || { echo "bench_import: sqlite3 imported $rows rows" >&2; exit 1; }

read -r rs rkb ru rsy <"$tmp/reseg.time"
read -r ss skb <"$tmp/sqlite.time"

# The other imports whose memory matters: JSON Lines into an empty
# database, and the same CSV again (every profile unchanged).
"$reseg" --store "$tmp/src" db export demo --format jsonl -o "$tmp/demo.jsonl" >/dev/null
"$reseg" --store "$tmp/dstj" db create demo --fields "$fields" >/dev/null
for run in "jsonl:$tmp/dstj:$tmp/demo.jsonl" "csv-again:$tmp/dst:$tmp/demo.csv"; do
	IFS=: read -r what store file <<EOF
$run
EOF
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" \
	    "$reseg" --store "$store" db import demo "$file" >/dev/null
	read -r e u sy kb <"$tmp/t"
	printf 'reseg db import (%s): %6.2f s wall, %.2f s CPU, peak RSS %d MiB\n' \
	    "$what" "$e" "$(awk "BEGIN { print $u + $sy }")" $((kb / 1024))
done
python3 - "$n" "$rs" "$rkb" "$ss" "$skb" "$ru" "$rsy" <<'EOF'
import sys
n, rs, rkb, ss, skb = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
cpu = float(sys.argv[6]) + float(sys.argv[7])
print(f"reseg db import:      {rs:6.2f} s  {n / rs:10.0f} profiles/s  peak RSS {rkb / 1024:.0f} MiB  ({cpu:.2f} s CPU)")
print(f"sqlite3 .import --csv: {ss:6.2f} s  {n / ss:10.0f} profiles/s  peak RSS {skb / 1024:.0f} MiB")
print(f"ratio (sqlite3 time / reseg time): {ss / rs:.2f}x  (target: >= 1.00)")
EOF
