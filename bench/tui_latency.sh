#!/bin/sh
# Key-to-screen latency of the UI while a recalculation over N profiles
# (default 1,000,000) runs, and start-up time to the first full screen.
# Drives the built binary in tmux: time from send-keys until
# capture-pane shows the change.  A benchmark, never a timed test.
#   RESEG=build/src/reseg sh bench/tui_latency.sh [N]
: "${RESEG:?RESEG must name the reseg binary}"
N=${1:-1000000}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/reseg-lat.XXXXXX")
T="tmux -L lat$$ -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
export TZ=UTC LC_ALL=C.UTF-8

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
until_screen() {	# polls every 2 ms, at most 10 s
	i=0
	while [ $i -lt 5000 ]; do
		$T capture-pane -p | grep -qF -- "$1" && return 0
		i=$((i + 1))
	done
	echo "timeout waiting for '$1'" >&2
	exit 1
}

"$RESEG" --store "$TMP/s" demo --profiles "$N" >/dev/null

t0=$(now)
$T new-session -d -x 80 -y 24 "$RESEG --store $TMP/s"
until_screen "F1Help"
until_screen "5 segments"
echo "start-up to the first full screen: $(ms "$t0" "$(now)") ms"

# Open the first segment, start a manual recalculation, then time keys
# (Tab switches the page's block) while the progress bar is shown.
$T send-keys Enter
until_screen "Overview"
# A run over 1,000,000 profiles takes tens of milliseconds, shorter than
# one capture-pane poll, so each measurement sends "r" (start a manual
# recalculation) and Tab in one send-keys: the Tab is read while the
# worker thread runs, and the time is until the next block is on screen.
marks="find_a_key Period: Initiator mailings, Range:"
for m in $marks $marks; do
	mark=$(echo "$m" | tr _ ' ')
	t0=$(now)
	$T send-keys r Tab
	until_screen "$mark"
	echo "r+Tab during recalculation: $(ms "$t0" "$(now)") ms ($mark)"
	until_screen "in total."
	sleep 0.2
done
for m in $marks; do
	mark=$(echo "$m" | tr _ ' ')
	t0=$(now)
	$T send-keys Tab
	until_screen "$mark"
	echo "Tab when idle: $(ms "$t0" "$(now)") ms ($mark)"
done

# A long run: an automatic run of the UI's own scheduler, slowed with the
# test hook RESEG_TEST_SLOW_RUN (each scan progress step sleeps), so keys
# are timed while the worker is busy for several seconds.
$T kill-server 2>/dev/null
R() { "$RESEG" --store "$TMP/s" "$@"; }
s=$(date -u +%S); s=${s#0}
[ "$s" -gt 50 ] && sleep $((61 - s))
HM=$(date -u -d '+1 min -1 hour' +%H:%M)
R segment create slowrun --db demo --where 'orders_count >= 1' \
    --schedule "every 1 hours from $HM UTC" >/dev/null
$T new-session -d -x 80 -y 24 \
    "RESEG_TEST_SLOW_RUN=40 $RESEG --store $TMP/s"
until_screen "F1Help"
i=0
while ! $T capture-pane -p | grep -q "Updating"; do
	sleep 0.05; i=$((i + 1))
	[ $i -lt 1600 ] || { echo "the automatic run never started" >&2; exit 1; }
done
for k in 1 2 3 4 5; do
	t0=$(now)
	$T send-keys /
	until_screen "Filter ("
	t1=$(now)
	$T send-keys Escape
	$T capture-pane -p | grep -q "Updating" || break
	echo "filter prompt during a slowed automatic run over $N profiles: $(ms "$t0" "$t1") ms"
	sleep 0.3
done
