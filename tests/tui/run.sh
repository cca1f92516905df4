#!/bin/sh
# A manual recalculation on a real terminal (tmux; a slow run, see
# RESEG_TEST_SLOW_RUN): while it runs, r says why it is refused beside
# the progress bar instead of doing nothing; before the scan has a total
# the bar says it is preparing, not "0% 0 / 1"; ^C cancels the run.
. "$top_srcdir/tests/tui/lib.sh"

RESEG_TEST_SLOW_RUN=1500
export RESEG_TEST_SLOW_RUN
tui_start
wait_for "9 segments"
keys Enter
wait_for "Segment: Active buyers CIS"
keys r
wait_for "recalculating Active buyers CIS"
keys r
# The status line (row 23), not the page's own note on row 5.
i=0
until screen | sed -n 23p | grep -q "The segment is updating"; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "r during the run said nothing"
	sleep 0.1
done
# At 80 columns the bar's segment name may be cut ("100% recalculating
# Activ"): what counts is that the bar is still there.
screen | sed -n 23p | grep -q "The segment is updating.* recalculating" ||
    fail "the progress went with the message"
# Before the scan reports a total there is no fraction to show.
screen | sed -n 23p | grep -q " 0 / 1 " && fail "a progress of 0 / 1"
keys C-c
wait_for "cancelled"
