#!/bin/sh
# reseg schedule next with no run left, and the systemd unit: the daemon's
# exit status when another scheduler holds the store is the one the unit
# does not restart on; the unit runs as the sysusers.d user `reseg` on
# /var/lib/reseg.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-schedule-XXXXXX")
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$tmp"' EXIT
S=$tmp/store
unset RESEG_NOW
fail=0
what=
rc=0

r() {
	what="$*"
	"$RESEG" --store "$S" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# check RC STDOUT STDERR
check() {
	if [ "$rc" != "$1" ]; then
		echo "FAIL: $what: exit $rc, want $1"; fail=1
	fi
	if [ "$(cat "$tmp/out")" != "$2" ]; then
		echo "FAIL: $what: stdout: $(cat "$tmp/out")"; echo " want: $2"
		fail=1
	fi
	if [ "$(cat "$tmp/err")" != "$3" ]; then
		echo "FAIL: $what: stderr: $(cat "$tmp/err")"; echo " want: $3"
		fail=1
	fi
}

# schedule next: no run after the moment is an error; a schedule that
# ends before --count runs prints the runs it has.
RESEG_NOW=2026-12-05T00:00:00Z r schedule next 'once on 2026-12-01 at 10:00 UTC'
check 1 "" "reseg: the schedule has no run after now (once on 2026-12-01 at 10:00 UTC is past)"
r schedule next 'once on 2026-12-01 at 10:00 UTC' --after 2026-12-01T10:00:00Z
check 1 "" "reseg: the schedule has no run after 2026-12-01T10:00:00Z (once on 2026-12-01 at 10:00 UTC is past)"
r schedule next 'daily at 10:00 UTC until 2026-12-02' --after 2026-12-02T10:30:00Z
check 1 "" "reseg: the schedule has no run after 2026-12-02T10:30:00Z (daily at 10:00 UTC until 2026-12-02 is past)"
r schedule next 'daily at 10:00 UTC until 2026-12-02' --after 2026-12-01T00:00:00Z --count 5
check 0 "2026-12-01T10:00:00Z
2026-12-02T10:00:00Z" ""
r schedule next 'once on 2026-12-01 at 10:00 UTC' --after 2026-12-01T09:59:59Z
check 0 "2026-12-01T10:00:00Z" ""
# Runs are computed up to 9999-12-31T23:59:59Z: never a five-digit year.
r schedule next 'every 10 days at 02:30 UTC starting 9999-12-31' --after 9999-12-30T00:00:00Z
check 0 "9999-12-31T02:30:00Z" ""
r schedule next 'every 10 days at 02:30 UTC starting 9999-12-31' --after 9999-12-31T03:00:00Z
check 1 "" "reseg: the schedule has no run by 9999-12-31T23:59:59Z, the last time reseg schedules (every 10 days at 02:30 UTC starting 9999-12-31 runs later)"

# Schedule dates are 1970-01-01 to 9999-12-31 wherever they are read:
# before, `until 1969-12-31` meant no until at all, and `starting
# 1013-06-01` ran at odd seconds (the zone's local mean time) and was
# lost by a dump.
r schedule next 'daily at 10:00 UTC until 1969-12-31'
check 2 "" "reseg: the until date 1969-12-31 is out of range (1970-01-01 to 9999-12-31)
Usage:
  reseg schedule next TEXT [--after ISO] [--count N]"
r demo --profiles 10
printf '%s\n' '# reseg segment' 'name: Old' 'database: demo' \
    'kind: scheduled' 'state: active' \
    'schedule: every hour from 00:00 Europe/Moscow starting 1013-06-01' \
    'where:' '    age > 3' >"$tmp/old.seg"
r segment load "$tmp/old.seg"
check 1 "" "reseg: $tmp/old.seg:6: the starting date 1013-06-01 is out of range (1970-01-01 to 9999-12-31)"
r segment create Old2 --db demo --schedule 'once on 0000-12-31 at 10:00 UTC' --where 'age > 3'
check 2 "" "reseg: the once date 0000-12-31 is out of range (1970-01-01 to 9999-12-31)
Usage:
  reseg segment create NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]..."
r segment list
check 0 "$(cat "$tmp/out")" ""
grep -q Old "$tmp/out" && { echo "FAIL: a refused segment was saved"; fail=1; }

# A second daemon on a held store exits 75, the unit's
# RestartPreventExitStatus=, and names the holder.
"$RESEG" --store "$S" daemon 2>"$tmp/log" &
PID=$!
i=0
while ! grep -q "scheduler started" "$tmp/log"; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "FAIL: daemon did not start: $(cat "$tmp/log")"; exit 1; }
	sleep 0.05
done
r daemon
[ "$rc" = 75 ] || { echo "FAIL: second daemon: exit $rc, want 75"; fail=1; }
grep -q "^reseg: the scheduler of store $S is already held by process $PID (" "$tmp/err" ||
    { echo "FAIL: second daemon: $(cat "$tmp/err")"; fail=1; }
kill -TERM $PID
wait $PID || { echo "FAIL: daemon exit status $?"; fail=1; }
PID=

# The unit as built (bindir substituted) and the sysusers.d entry.
unit=$(dirname "$RESEG")/../data/reseg.service
[ -f "$unit" ] || { echo "FAIL: no $unit"; exit 1; }
for want in "User=reseg" "Group=reseg" "StateDirectory=reseg" \
    "Environment=RESEG_STORE=/var/lib/reseg" "Restart=on-failure" \
    "RestartPreventExitStatus=75" "ExecStart=/.*/reseg daemon"; do
	grep -qx "$want" "$unit" || { echo "FAIL: unit lacks $want"; fail=1; }
done
grep -q "@bindir@" "$unit" && { echo "FAIL: unit not substituted"; fail=1; }
conf=$top_srcdir/data/sysusers.d/reseg.conf
[ "$(grep -v '^#' "$conf")" = 'u reseg - "reseg scheduler" /var/lib/reseg' ] ||
    { echo "FAIL: sysusers: $(cat "$conf")"; fail=1; }
if command -v systemd-sysusers >/dev/null 2>&1; then
	mkdir -p "$tmp/root/etc"
	if systemd-sysusers --root="$tmp/root" "$conf" >/dev/null 2>&1; then
		grep -q '^reseg:x:[0-9]*:[0-9]*:reseg scheduler:/var/lib/reseg:' \
		    "$tmp/root/etc/passwd" ||
		    { echo "FAIL: sysusers made: $(cat "$tmp/root/etc/passwd")"; fail=1; }
	fi
fi
[ $fail = 0 ] && echo ok
exit $fail
