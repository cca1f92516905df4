#!/bin/sh
# kill -9 at any moment leaves the store entirely old or entirely new.
# Each operation (import, small upserts, recalc, bulk update,
# delete-profiles, db drop) runs once to the end on a copy of the store,
# for the state after; then on fresh copies it is killed with SIGKILL,
# KILLS times at seeded pseudo-random moments within its running time,
# and at fixed points:
# RESEG_TEST_KILL_WRITE=N kills it before the commit of its Nth write
# transaction.  After each kill the next command's view (exports,
# members, lists) must equal the state before or the state after, and a
# run killed after it started reads Error (interrupted) in its log.
# RESEG_CRASH_SEED and RESEG_CRASH_KILLS change the seed and the count.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-crash-XXXXXX")
PID=
trap '[ -n "$PID" ] && kill -9 $PID 2>/dev/null; rm -rf "$tmp"' EXIT
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
SEED=${RESEG_CRASH_SEED:-20261128}
KILLS=${RESEG_CRASH_KILLS:-5}
fail=0
# reseg check verifies every table when this reseg has it.
CHECK=1

say() { echo "crash_kill (seed $SEED): $*"; }

# The pristine store: the demo (5000 profiles, their events, segments,
# runs) and database shop (20000 profiles with events, used by nothing).
P=$tmp/pristine
"$RESEG" --store "$P" demo --profiles 5000 >/dev/null || { say "demo"; exit 1; }
"$RESEG" --store "$P" db create shop --fields 'email:string,n:int,city:string' \
    --event-fields 'amount:float' >/dev/null || exit 1
awk 'BEGIN { print "email,n,city"; for (i = 0; i < 20000; i++)
    printf "p%d@shop,%d,c%d\n", i, i, i % 50 }' >"$tmp/shop.csv"
awk 'BEGIN { print "key,event,time,amount"; for (i = 0; i < 20000; i++)
    printf "p%d@shop,buy,2026-11-%02dT10:00:00Z,%d.5\n", i, i % 28 + 1, i }' \
    >"$tmp/shopev.csv"
"$RESEG" --store "$P" db import shop "$tmp/shop.csv" >/dev/null &&
    "$RESEG" --store "$P" events import shop "$tmp/shopev.csv" >/dev/null ||
    { say "shop"; exit 1; }
"$RESEG" --store "$P" segment list --json |
    sed -n 's/^.*"name":[[:space:]]*"\([^"]*\)".*$/\1/p' >"$tmp/segs"
[ "$(wc -l <"$tmp/segs")" -ge 9 ] || { say "no segments"; exit 1; }

# Inputs: an import that updates every demo profile and adds 3000, and
# the keys of 2000 profiles to delete.
"$RESEG" --store "$P" db export demo >"$tmp/demo.csv"
awk -F, 'NR == 1 { print "email,orders_count"; next }
    { printf "%s,%d\n", $1, NR * 7 % 13 }
    END { for (i = 0; i < 3000; i++) printf "new%d@x,%d\n", i, i % 9 }' \
    "$tmp/demo.csv" >"$tmp/import.csv"
awk -F, 'NR > 1 && NR % 2 == 0 && NR <= 4001 { print $1 }' "$tmp/demo.csv" \
    >"$tmp/erase.txt"
# A small upsert at scattered keys (every 37th profile): chunks patched
# in place, a string column and two fixed-width ones.
awk -F, 'NR > 1 && NR % 37 == 0 { printf "%s,Riga,%d,%d.25\n", $1, NR, NR }
    NR == 1 { print "email,city,orders_count,total_spent" }' \
    "$tmp/demo.csv" >"$tmp/upsert.csv"
# A smaller one (every 223rd profile: some 20 rows a chunk), whose rows
# go into the chunks' overlays instead.
awk -F, 'NR > 1 && NR % 223 == 0 { printf "%s,Riga,%d,%d.25\n", $1, NR, NR }
    NR == 1 { print "email,city,orders_count,total_spent" }' \
    "$tmp/demo.csv" >"$tmp/overlay.csv"
# An import in many write transactions (RESEG_IMPORT_ROWS=1000): 100
# profiles of shop changed, 480 new ones that fill its last chunk, 12000
# staged beyond its count.
awk 'BEGIN { print "email,n,city"; for (i = 0; i < 100; i++)
    printf "p%d@shop,%d,moved\n", i, -i
    for (i = 0; i < 12480; i++) printf "q%d@shop,%d,c%d\n", i, i, i % 7 }' \
    >"$tmp/shop2.csv"

# snap STORE OUT: what a user sees of the store, everything that can
# differ between before and after (times are fixed by RESEG_NOW).
snap() {
	{
		for c in "db list" "db export demo" "db export shop" \
		    "events stats demo" "events stats shop" "object list" \
		    "segment list"; do
			echo "== $c"
			# shellcheck disable=SC2086
			"$RESEG" --store "$1" $c 2>&1
		done
		while read -r seg; do
			echo "== members $seg"
			"$RESEG" --store "$1" segment members "$seg" 2>&1
		done <"$tmp/segs"
	} >"$2"
}

fresh() {
	rm -rf "$1" && mkdir -m 700 "$1" && cp "$P/data.mdb" "$1/"
}

# The run log of segment RUNSEG after a kill: no run In progress; a run
# started by the killed process reads Error (interrupted), unless the
# state is the new one and its run Completed.
RUNSEG=
check_log() {
	[ -n "$RUNSEG" ] || return 0
	"$RESEG" --store "$1" segment log "$RUNSEG" >"$tmp/log" 2>&1
	if grep -q 'In progress' "$tmp/log"; then
		say "$2: a run is left In progress"; cat "$tmp/log"; fail=1
	fi
	last=$(tail -n 1 "$tmp/log")
	case $3:$last in
	new:*Completed*) ;;
	old:*Error*interrupted*) errors=$((errors + 1)) ;;
	old:*"  1  "*Completed*) ;;	# killed before the run began
	*) say "$2: state $3 but the last run reads: $last"; fail=1 ;;
	esac
}

check_store() {
	[ -n "$CHECK" ] || return 0
	"$RESEG" --store "$1" check >"$tmp/check" 2>&1 ||
	    { say "$2: reseg check fails"; cat "$tmp/check"; fail=1; }
}

# verdict STORE WHAT: the state is the old or the new one.
verdict() {
	snap "$1" "$tmp/got"
	if cmp -s "$tmp/got" "$tmp/old"; then
		state=old
	elif cmp -s "$tmp/got" "$tmp/new"; then
		state=new
	else
		say "$2: the state is neither old nor new"
		diff "$tmp/old" "$tmp/got" | head -20
		fail=1
		return
	fi
	[ "$state" = old ] && nold=$((nold + 1))
	check_log "$1" "$2" "$state"
	check_store "$1" "$2"
	# The killed writer left no lock behind: the next write goes through.
	"$RESEG" --store "$1" object add mailing probe --segment Hand-picked \
	    >/dev/null 2>"$tmp/err" ||
	    { say "$2: the next write fails: $(cat "$tmp/err")"; fail=1; }
}

# crash NAME ENV ARGS...: runs reseg ARGS on copies of the store.
n=0
crash() {
	name=$1 envs=$2
	shift 2
	fresh "$tmp/s"
	snap "$tmp/s" "$tmp/old"
	t0=$(date +%s%N)
	# shellcheck disable=SC2086
	env $envs "$RESEG" --store "$tmp/s" "$@" >/dev/null 2>"$tmp/err" ||
	    { say "$name: $(cat "$tmp/err")"; fail=1; return; }
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000 + 1))
	snap "$tmp/s" "$tmp/new"
	cmp -s "$tmp/old" "$tmp/new" &&
	    { say "$name: the operation changes nothing"; fail=1; return; }
	nold=0 errors=0
	k=1
	while [ $k -le "$KILLS" ]; do
		n=$((n + 1))
		# Up to 20% past the running time: a kill may come too late.
		delay=$(awk -v s="$SEED" -v n="$n" -v ms="$ms" 'BEGIN {
		    srand(s + n * 7919); printf "%.3f", rand() * ms * 1.2 / 1000 }')
		fresh "$tmp/s"
		# shellcheck disable=SC2086
		env $envs "$RESEG" --store "$tmp/s" "$@" >/dev/null 2>&1 &
		PID=$!
		sleep "$delay"
		kill -9 $PID 2>/dev/null
		wait $PID 2>/dev/null
		PID=
		verdict "$tmp/s" "$name, kill $k after ${delay}s of ${ms}ms"
		k=$((k + 1))
	done
	echo "$name: ${ms} ms; $KILLS kills: $nold old ($errors interrupted runs), $((KILLS - nold)) new"
}

# fixed NAME N ENV ARGS...: killed before the commit of write N.
fixed() {
	name=$1 w=$2 envs=$3
	shift 3
	fresh "$tmp/s"
	nold=0 errors=0
	# shellcheck disable=SC2086
	env $envs RESEG_TEST_KILL_WRITE="$w" "$RESEG" --store "$tmp/s" "$@" \
	    >/dev/null 2>&1
	rc=$?
	[ "$rc" = 137 ] || { say "$name: write $w: exit $rc, not killed"; fail=1; }
	verdict "$tmp/s" "$name, killed before commit $w"
	[ "$nold" = 1 ] || { say "$name: write $w: not the old state"; fail=1; }
}

RUNSEG=
crash import "" db import demo "$tmp/import.csv"
fixed import 1 "" db import demo "$tmp/import.csv"
crash upsert "" db import demo "$tmp/upsert.csv"
fixed upsert 1 "" db import demo "$tmp/upsert.csv"
crash overlay "" db import demo "$tmp/overlay.csv"
fixed overlay 1 "" db import demo "$tmp/overlay.csv"
# Staged (15 write transactions: the claim, 12 stagings, the merge of
# the staged keys into the key index, the publishing): killed before its
# first staging, a middle one, the merge and its last commit; after
# each, the next import of the file removes what was staged and ends in
# the new state, and check has nothing to note.
crash import-staged RESEG_IMPORT_ROWS=1000 db import shop "$tmp/shop2.csv"
for w in 2 7 14 15; do
	fixed import-staged "$w" RESEG_IMPORT_ROWS=1000 db import shop "$tmp/shop2.csv"
	"$RESEG" --store "$tmp/s" object remove mailing probe >/dev/null 2>&1
	RESEG_IMPORT_ROWS=1000 "$RESEG" --store "$tmp/s" db import shop \
	    "$tmp/shop2.csv" >"$tmp/out" 2>&1
	echo "shop: 12580 rows: 12480 inserted, 100 updated, 0 unchanged, 0 rejected" |
	    cmp -s - "$tmp/out" || { say "import-staged $w: then: $(cat "$tmp/out")"; fail=1; }
	snap "$tmp/s" "$tmp/got"
	cmp -s "$tmp/got" "$tmp/new" || { say "import-staged $w: then not the new state"; diff "$tmp/new" "$tmp/got" | head; fail=1; }
	"$RESEG" --store "$tmp/s" check >"$tmp/check" 2>&1 && ! grep -q note "$tmp/check" ||
	    { say "import-staged $w: then check: $(cat "$tmp/check")"; fail=1; }
done

# An events import of event_ids in no order, in rounds of 8192 events
# (RESEG_EVSTAGE_ROWS=1), so that its ids go into runs (6 write
# transactions: the mark, 3 rounds, the merge of the runs into the id
# index, the publishing): killed anywhere, and before the merge and the
# publishing; then the next import of the file removes what was staged
# and ends in the new state.
awk 'BEGIN { print "key,event,time,event_id"; for (i = 0; i < 20000; i++)
    printf "p%d@shop,view,2026-11-%02dT11:00:00Z,v%d\n", i, i % 28 + 1,
    i * 7919 % 20000 }' >"$tmp/shopev2.csv"
crash events-ids RESEG_EVSTAGE_ROWS=1 events import shop "$tmp/shopev2.csv"
for w in 5 6; do
	fixed events-ids "$w" RESEG_EVSTAGE_ROWS=1 events import shop "$tmp/shopev2.csv"
	"$RESEG" --store "$tmp/s" object remove mailing probe >/dev/null 2>&1
	RESEG_EVSTAGE_ROWS=1 "$RESEG" --store "$tmp/s" events import shop \
	    "$tmp/shopev2.csv" >"$tmp/out" 2>&1
	echo "shop: 20000 rows: 20000 imported, 0 duplicates, 0 rejected" |
	    cmp -s - "$tmp/out" || { say "events-ids $w: then: $(cat "$tmp/out")"; fail=1; }
	snap "$tmp/s" "$tmp/got"
	cmp -s "$tmp/got" "$tmp/new" || { say "events-ids $w: then not the new state"; diff "$tmp/new" "$tmp/got" | head; fail=1; }
done

# A run: slowed (every scan step sleeps) so that kills land in it; a day
# later, so that it changes members.
RUNSEG='Big spenders'
crash recalc "RESEG_NOW=2027-03-01T00:00:00Z RESEG_TEST_SLOW_RUN=40" \
    segment recalc 'Big spenders'
# Killed after the run began (its In progress record is the first
# write), before its result: Error (interrupted) at the next start.
fixed recalc 2 "RESEG_NOW=2027-03-01T00:00:00Z" segment recalc 'Big spenders'
[ "$errors" = 1 ] || { say "recalc: write 2: no interrupted run"; fail=1; }
# The run's own hook, between scan and commit (SIGABRT).
fresh "$tmp/s"
RESEG_NOW=2027-03-01T00:00:00Z RESEG_TEST_ABORT=before-commit \
    "$RESEG" --store "$tmp/s" segment recalc 'Big spenders' >/dev/null 2>&1
nold=0 errors=0
verdict "$tmp/s" "recalc, aborted before commit"
[ "$nold" = 1 ] && [ "$errors" = 1 ] ||
    { say "recalc: abort before commit: not old with an interrupted run"; fail=1; }

RUNSEG=
crash update "" segment update 'Active buyers CIS' --set city=Riga --yes
fixed update 1 "" segment update 'Active buyers CIS' --set city=Riga --yes
crash delete "" db delete-profiles demo --from-file "$tmp/erase.txt" --yes
fixed delete 1 "" db delete-profiles demo --from-file "$tmp/erase.txt" --yes
crash drop "" db drop shop --yes
fixed drop 1 "" db drop shop --yes

exit $fail
