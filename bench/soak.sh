#!/bin/sh
# soak.sh [BUILD_DIR] [SECONDS]: a bounded multi-process soak on one store.
# A `reseg daemon` schedules 20 segments (every hour from the next
# minutes, so a few run every minute) while loops of writers and readers
# share the store for SECONDS (default 240): db import of changing CSVs,
# segment recalc/edit/copy/update, list/show/log/history/members, db
# export.  The store starts with RESEG_MAPSIZE=1048576 so the map grows
# while other processes have it open.  Writers and the daemon are killed
# with SIGKILL at random and restarted.  Afterwards it checks: status
# works, no run stays In progress, every segment's member count equals its
# last Completed run's total, exports work.  Every loop stops by itself;
# only local files.  Not a test:  sh bench/soak.sh build-soak 240
# Prints failures and exits 1 when a check fails (logs kept in $T).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
DUR=${2:-240}
R=$build/src/reseg
[ -x "$R" ] || { echo "soak: build $R first" >&2; exit 1; }
R=$(cd "$(dirname "$R")" && pwd)/reseg
T=$(mktemp -d "${TMPDIR:-/tmp}/reseg-soak-XXXXXX")
S=$T/store
RESEG_STORE=$S
RESEG_MAPSIZE=1048576
export RESEG_STORE RESEG_MAPSIZE
unset RESEG_NOW
END=$(($(date +%s) + DUR))
NSEG=20
fail=0
echo "soak: store $S, $DUR s"

# gen FILE SEED N: N profiles whose values change with SEED.
gen() {
	awk -v seed="$2" -v n="$3" 'BEGIN {
		srand(seed);
		print "email,age,city,score,tags";
		for (i = 0; i < n; i++) {
			if (rand() < 0.3) continue;
			c = (rand() < 0.5) ? "Almaty" : "Moscow";
			t = (rand() < 0.2) ? "vip,promo" : "newsletter";
			printf "u%d@x.org,%d,%s,%d,\"%s\"\n", i, 16 + int(rand() * 70), c,
			    int(rand() * 1000), t;
		}
	}' > "$1"
}

$R db create shop --fields 'email:string,age:int,city:string,score:int,tags:tags' \
    > "$T/setup.log" 2>&1 || { echo "soak: db create failed" >&2; cat "$T/setup.log"; exit 1; }
$R db create copy --fields 'email:string,age:int,city:string,score:int,tags:tags' \
    >> "$T/setup.log" 2>&1
gen "$T/init.csv" 1 20000
$R db import shop "$T/init.csv" >> "$T/setup.log" 2>&1 || { echo "soak: import failed" >&2; exit 1; }
$R segment create bucket --db shop --static >> "$T/setup.log" 2>&1
now=$(date -u +%s)
i=0
while [ $i -lt $NSEG ]; do
	hm=$(date -u -d "@$((now + 60 + (i % 5) * 60))" +%H:%M)
	$R segment create "s$i" --db shop --where "age >= $((16 + i * 3))" \
	    --schedule "every 1 hours from $hm UTC" >> "$T/setup.log" 2>&1 ||
	    { echo "soak: segment create s$i failed" >&2; fail=1; }
	i=$((i + 1))
done

# Each loop runs until END or its count, whichever comes first.
loop() {
	name=$1 max=$2
	shift 2
	n=0
	while [ $n -lt "$max" ] && [ "$(date +%s)" -lt "$END" ]; do
		"$@" >> "$T/$name.out" 2>> "$T/$name.err"
		echo "rc=$? $*" >> "$T/$name.rc"
		n=$((n + 1))
		sleep 0.2
	done
}
rnd() { echo $(($(od -An -N2 -tu2 /dev/urandom) % $1)); }

w_import() {
	k=$(rnd 100000)
	gen "$T/imp.$k.csv" "$k" 22000
	$R db import shop "$T/imp.$k.csv"
	r=$?
	rm -f "$T/imp.$k.csv"
	return $r
}
w_recalc() { $R segment recalc "s$(rnd $NSEG)"; }
w_edit() {
	s=s$(rnd $NSEG)
	hm=$(date -u -d "@$(($(date +%s) + 60 + $(rnd 3) * 60))" +%H:%M)
	$R segment edit "$s" --where "age >= $((16 + $(rnd 60))) and city != \"X$(rnd 9)\"" \
	    --schedule "every 1 hours from $hm UTC"
}
w_copy() {
	s=s$(rnd $NSEG)
	$R segment copy "$s" --to-db copy
	$R segment copy "$s" --to-segment bucket
	$R segment update "$s" --set score=$(rnd 1000) --yes
}
r_read() {
	s=s$(rnd $NSEG)
	$R segment list > /dev/null && $R segment show "$s" > /dev/null &&
	    $R segment log "$s" > /dev/null && $R segment history "$s" > /dev/null &&
	    $R segment members "$s" --format csv > /dev/null && $R status > /dev/null
}
r_export() { $R db export shop -o "$T/export.csv"; }

start_daemon() {
	$R daemon >> "$T/daemon.err" 2>&1 &
	dpid=$!
}
start_daemon
loop import 300 w_import & p1=$!
loop recalc 1000 w_recalc & p2=$!
loop edit 1000 w_edit & p3=$!
loop copy 500 w_copy & p4=$!
loop read 1000 r_read & p5=$!
loop read2 1000 r_read & p6=$!
loop export 300 r_export & p7=$!

# Killer: SIGKILL a random reseg writer (not the readers) or the daemon.
kills=0
while [ "$(date +%s)" -lt "$END" ]; do
	sleep $((3 + $(rnd 6)))
	if [ "$(rnd 3)" -eq 0 ]; then
		kill -9 "$dpid" 2>/dev/null && kills=$((kills + 1))
		wait "$dpid" 2>/dev/null
		echo "killed daemon $dpid at $(date -u +%T)" >> "$T/kills.log"
		sleep 1
		start_daemon
		continue
	fi
	# Writers are short: also start one and kill it mid-transaction.
	case $(rnd 3) in
	0) gen "$T/victim.csv" "$(rnd 1000)" 22000
	   $R db import shop "$T/victim.csv" > /dev/null 2>> "$T/victim.err" & ;;
	1) $R segment recalc "s$(rnd $NSEG)" > /dev/null 2>> "$T/victim.err" & ;;
	*) $R segment update "s$(rnd $NSEG)" --set age=$(rnd 90) --yes \
	       > /dev/null 2>> "$T/victim.err" & ;;
	esac
	v=$!
	sleep "0.0$(rnd 10)$(rnd 10)"
	kill -9 "$v" 2>/dev/null && kills=$((kills + 1)) &&
	    echo "killed victim $v at $(date -u +%T)" >> "$T/kills.log"
	wait "$v" 2>/dev/null
	for c in $(pgrep -x reseg -P "$p1,$p2,$p3,$p4"); do
		if [ "$(rnd 2)" -eq 0 ]; then
			kill -9 "$c" 2>/dev/null && kills=$((kills + 1)) &&
			    echo "killed writer $c at $(date -u +%T)" >> "$T/kills.log"
		fi
	done
done
wait $p1 $p2 $p3 $p4 $p5 $p6 $p7
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"
echo "daemon exit $?" >> "$T/daemon.err"

# Restart the scheduler once so interrupted runs are marked Error.
$R daemon >> "$T/daemon.err" 2>&1 & dpid=$!
sleep 3
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"

echo "soak: $kills kills"
for f in "$T"/*.rc; do
	printf '%s: %s runs, %s failed\n' "$(basename "$f" .rc)" \
	    "$(wc -l < "$f")" "$(grep -vc '^rc=0' "$f")"
done
echo "unique error lines (all loops):"
cat "$T"/*.err | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c | sort -rn | head -30
echo "daemon runs: $(grep -c 'run' "$T/daemon.err")"

# Checks.
$R status > "$T/status.txt" 2>&1 || { echo "FAIL: status"; fail=1; }
cat "$T/status.txt"
i=0
while [ $i -lt $NSEG ]; do
	s=s$i
	$R segment log "$s" --json > "$T/log.$s.json" 2>&1 ||
	    { echo "FAIL: log $s"; fail=1; }
	if grep -q 'In progress' "$T/log.$s.json" ||
	    grep -qi '"status": *"in progress"' "$T/log.$s.json"; then
		echo "FAIL: $s has a run In progress"; fail=1
	fi
	$R segment members "$s" --format keys > "$T/mem.$s" 2>&1 ||
	    { echo "FAIL: members $s"; fail=1; }
	m=$(wc -l < "$T/mem.$s")
	t=$(python3 -c '
import json, sys
runs = json.load(open(sys.argv[1]))
if isinstance(runs, dict):
    runs = runs.get("runs", [])
done = [r for r in runs if str(r.get("status", "")).lower() == "completed"]
done.sort(key=lambda r: r.get("id", r.get("run", 0)))
print(done[-1].get("total", "?") if done else "none")
' "$T/log.$s.json" 2>&1)
	if [ "$t" != "none" ] && [ "$t" != "$m" ]; then
		echo "FAIL: $s has $m members, last Completed run says $t"; fail=1
	fi
	$R segment members "$s" --format csv > "$T/mem.$s.csv" 2>&1 &&
	    [ $(($(wc -l < "$T/mem.$s.csv") - 1)) -eq "$m" ] ||
	    { echo "FAIL: members csv of $s"; fail=1; }
	i=$((i + 1))
done
$R db export shop -o "$T/final.csv" || { echo "FAIL: db export"; fail=1; }
$R db export shop --format jsonl -o "$T/final.jsonl" &&
    python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/final.jsonl" ||
    { echo "FAIL: jsonl export"; fail=1; }
ls -l "$S"
echo "soak: logs in $T; $( [ $fail -eq 0 ] && echo OK || echo FAILED)"
exit $fail
