#!/bin/sh
# The segment page: manual recalculation with its log row and count,
# the history chart and its cursor, deleting with confirmation.
. "$top_srcdir/tests/tui/lib.sh"

tui_start
wait_for "Moscow VIP"
keys Down Down Down
keys Enter
wait_for "Segment: Moscow VIP subscribers"
wait_for "Profiles: 19"
wait_for "Schedule:"

# Profiles: widths from the content, the footer names the visible columns.
keys Tab
wait_for "columns 1-7 of 13"
keys Right
wait_for "columns 2-9 of 13"
keys Left BTab
wait_for "Conditions (e: edit"

# The chart before the manual run: one run, in the singular.
keys Tab Tab
wait_for "2026-11-28: total 19, 1 run"
screen | grep -q "1 runs" && fail "1 runs"
keys BTab BTab
wait_for "Conditions (e: edit"

# Manual recalculation: a status line with the count and a log row.
keys r
wait_for "Moscow VIP subscribers: 0 added, 0 removed, 19 in total."
keys Tab Tab Tab
wait_for "Initiator"
screen | grep -q "Manual .*Completed" || fail "no Manual log row"
screen | grep -q "Automatic System .*19 .*Completed" ||
    fail "no Automatic log row"

# Export history: in the background, byte for byte the CLI's format.
keys X
wait_for "Export the history to file:"
keys C-u "$TMP/ui-history.csv" Enter
wait_for "was written to"
"$RESEG" --store "$TMP/store" segment export-history \
    "Moscow VIP subscribers" -o "$TMP/cli-history.csv" ||
    fail "CLI export-history"
cmp "$TMP/ui-history.csv" "$TMP/cli-history.csv" ||
    fail "the UI's history export differs from the CLI's"
head -1 "$TMP/ui-history.csv" | grep -qx "run,time,key,change" ||
    fail "history header"

# History chart: grouping, period, cursor.
keys a
wait_for "Period: last 30 days (2026-10-30 .. 2026-11-28)"
wait_for "2026-11-28: total 19, 2 runs"
screen | grep -qF "⢸" || fail "no Braille bar in a UTF-8 locale"
keys Left
wait_for "2026-11-27: total 0, 0 runs"
keys Right
wait_for "2026-11-28: total 19"
keys g
wait_for "grouped by week"
wait_for "2026-11-23: total 19"
keys p
wait_for "Period: this quarter"
# The cursor starts on today's week; weeks still ahead carry no count.
wait_for "2026-11-23: total 19, 2 runs"
keys End
wait_for "2026-12-28: still ahead"
screen | grep -q "2026-12-28: total" && fail "a count for a future week"

# Back to the list, delete with confirmation.
keys q
wait_for "5 segments"
keys End
keys d
wait_for "Delete segment 'Test group 20%'"
keys n
wait_gone "Delete segment"
screen | grep -q "Test group 20%" || fail "deleted without a yes"
keys d
wait_for "Delete segment 'Test group 20%'"
keys y
wait_for "4 segments"
wait_for "Segment 'Test group 20%' was deleted."
screen | grep -q "Test group 20% " && fail "still listed after delete"
"$RESEG" --store "$TMP/store" segment list | grep -q "Test group" &&
    fail "still in the store"
# A segment others depend on is refused with the engine's reason.
keys Home d
wait_for "Delete segment 'Active buyers CIS'"
keys y
wait_for "is used by"
wait_for "4 segments"
keys F10
wait_for "EXITED 0"
