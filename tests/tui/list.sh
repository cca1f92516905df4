#!/bin/sh
# The UI on a real terminal (tmux): keys through the tty in raw mode, a
# resize by the terminal (SIGWINCH), ^C as a key that cancels a prompt
# and then quits, q quitting, the terminal given back each time.  The
# screens' layout is asserted exactly by tests/screen/list.sh.
. "$top_srcdir/tests/tui/lib.sh"

tui_start
wait_for "9 segments"
wait_for "F1Help"
screen | grep -q "^Active buyers CIS  *sched\. demo " || fail "the list at 80"

# Resize: the table is laid out again for the new width.
$T resize-window -x 132 -y 43
wait_for "scheduled demo"
screen | grep -q "^Name  *Kind  *Database State  *Profiles Last run  *Next run  *Tags" ||
    fail "132-column headers"
$T resize-window -x 80 -y 24
# The kind is "scheduled" from 120 columns on, "sched." below: wait for
# the wide form to go, so the old screen cannot pass for the new one.
wait_gone "scheduled demo"
wait_for "sched. demo"

# Typed keys reach a prompt; ^C in a prompt cancels it as Esc does; on
# the list it quits, giving the terminal back.
keys /
wait_for "Filter (name or tag):"
keys -l "moscow"
wait_for "Filter: moscow"
keys C-c
wait_gone "Filter (name or tag):"
keys Escape
wait_for "9 segments"
keys C-c
wait_for "EXITED 0"

# q on the list quits and the terminal is given back.
$T kill-server 2>/dev/null
i=0
while $T has-session 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3
$T new-session -d -x 80 -y 24 \
    "$RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
    fail "tmux new-session"
wait_for "9 segments"
keys q
wait_for "EXITED 0"
