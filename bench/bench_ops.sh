#!/bin/sh
# bench_ops.sh [BUILD_DIR] [PROFILES]: the operator paths the headline
# benchmarks leave out, over N demo profiles (default 1,000,000): re-import
# (unchanged rows, every row changed, JSON Lines), exports, bulk edit, copy,
# scenario, static add, back-to-back recalculations, listing 1,000
# segments, history over 1,000 runs, why.  Prints wall time, peak
# anonymous memory (RssAnon, the mapped store excluded) and peak RSS of
# each command.  Not a timed test; needs python3 for the data files.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
N=${2:-1000000}
R=$build/src/reseg
[ -x "$R" ] || { echo "bench_ops: build $R first" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/reseg-bench-ops-XXXXXX")
trap 'rm -rf "$T"' EXIT
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
S=$T/store

# run NAME CMD...: one line with wall ms, peak RssAnon and peak RSS (MiB).
run() {
	name=$1
	shift
	python3 - "$T/out" "$name" "$@" <<'PY'
import os, resource, subprocess, sys, time
out, name, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
t0 = time.monotonic()
with open(out, "wb") as f:
    p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT)
peak = 0
while p.poll() is None:
    try:
        with open(f"/proc/{p.pid}/status") as s:
            for line in s:
                if line.startswith("RssAnon:"):
                    peak = max(peak, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.002)
ms = (time.monotonic() - t0) * 1000
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if p.returncode != 0:
    sys.stderr.write(open(out).read())
    sys.exit(f"bench_ops: {name} failed ({p.returncode})")
print(f"{name:<34} {ms:9.0f} ms {peak / 1024:8.1f} {rss / 1024:8.1f}")
PY
}

echo "bench_ops: $N demo profiles..."
"$R" --store "$S" demo --profiles "$N" >/dev/null
"$R" --store "$S" db export demo -o "$T/demo.csv" >/dev/null
python3 - "$T/demo.csv" "$T/changed.csv" "$T/keys.txt" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f, \
     open(sys.argv[2], "w", newline="") as g, open(sys.argv[3], "w") as k:
    r = csv.reader(f)
    w = csv.writer(g, lineterminator="\n")
    h = next(r)
    w.writerow(h)
    oc = h.index("orders_count")
    for i, row in enumerate(r):
        row[oc] = str(int(row[oc] or 0) + 1)
        w.writerow(row)
        if i % 10 == 0 and i // 10 < 100000:
            k.write(row[0] + "\n")
PY
fields=$("$R" --store "$S" --json db show demo | python3 -c \
    'import json,sys; print(",".join(f["name"]+":"+f["type"] for f in json.load(sys.stdin)["fields"]))')
big="Active buyers CIS"

printf '%-34s %12s %8s %8s\n' command wall anon_MiB rss_MiB
run "db export csv" "$R" --store "$S" db export demo -o "$T/e.csv"
run "db export jsonl" "$R" --store "$S" db export demo --format jsonl -o "$T/demo.jsonl"
run "db import csv (unchanged)" "$R" --store "$S" db import demo "$T/demo.csv"
run "db import csv (every row changed)" "$R" --store "$S" db import demo "$T/changed.csv"
run "db import jsonl (unchanged)" "$R" --store "$S" db import demo "$T/demo.jsonl" --format jsonl
"$R" --store "$T/fresh" db create demo --fields "$fields" >/dev/null
run "db import jsonl (fresh)" "$R" --store "$T/fresh" db import demo "$T/demo.jsonl" --format jsonl
run "segment recalc (450k)" "$R" --store "$S" segment recalc "$big"
run "segment members keys (450k)" "$R" --store "$S" segment members "$big"
run "segment members csv (450k)" "$R" --store "$S" segment members "$big" --format csv
run "segment members jsonl (450k)" "$R" --store "$S" segment members "$big" --format jsonl
run "segment export csv (450k)" "$R" --store "$S" segment export "$big" -o "$T/s.csv"
run "segment export jsonl (450k)" "$R" --store "$S" segment export "$big" --format jsonl -o "$T/s.jsonl"
for i in 1 2 3 4; do
	"$R" --store "$S" segment recalc "$big" >/dev/null
done
run "segment export-history (6 runs)" "$R" --store "$S" segment export-history "$big" -o "$T/h.csv"
run "segment why" "$R" --store "$S" segment why "$big" "$(sed -n 2p "$T/keys.txt")"
run "segment update --set (450k)" "$R" --store "$S" segment update "$big" --set orders_count=7 --yes
"$R" --store "$S" db create copy --fields "$fields" >/dev/null
run "segment copy --to-db (450k)" "$R" --store "$S" segment copy "$big" --to-db copy
"$R" --store "$S" object add scenario sc --segment "$big" >/dev/null
run "scenario add-profiles (450k)" "$R" --store "$S" scenario add-profiles sc --segment "$big"
"$R" --store "$S" segment create picked --db demo --static >/dev/null
run "segment add --from-file (100k)" "$R" --store "$S" segment add picked --from-file "$T/keys.txt"

i=0
while [ $i -lt 50 ]; do
	"$R" --store "$S" segment create "s$i" --db demo \
	    --where "orders_count >= $((i % 10)) and country = \"RU\"" >/dev/null
	i=$((i + 1))
done
start=$(date +%s%N)
i=0
while [ $i -lt 50 ]; do
	"$R" --store "$S" segment recalc "s$i" >/dev/null
	i=$((i + 1))
done
echo "50 x segment recalc (processes)    $(( ($(date +%s%N) - start) / 1000000 )) ms"

# 1,000 segments (small ones on a 1,000-profile database) and 1,000 runs.
"$R" --store "$S" db create small --fields "$fields" >/dev/null
head -1001 "$T/demo.csv" >"$T/small.csv"
"$R" --store "$S" db import small "$T/small.csv" >/dev/null
i=50
while [ $i -lt 1000 ]; do
	"$R" --store "$S" segment create "s$i" --db small --static >/dev/null
	i=$((i + 1))
done
run "segment list (1,000 segments)" "$R" --store "$S" segment list
run "segment list --json (1,000)" "$R" --store "$S" --json segment list
"$R" --store "$S" segment create runs --db small --where 'orders_count >= 3' >/dev/null
i=0
while [ $i -lt 1000 ]; do
	d=$(( i / 4 ))
	RESEG_NOW=$(date -u -d "2024-01-01 +$d days +$(( (i % 4) * 6 )) hours" +%Y-%m-%dT%H:%M:%SZ) \
	    "$R" --store "$S" segment recalc runs >/dev/null
	i=$((i + 1))
done
run "segment history --group day (1,000 runs)" "$R" --store "$S" segment history runs --group day
run "segment log (1,000 runs)" "$R" --store "$S" segment log runs
