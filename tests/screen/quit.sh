#!/bin/sh
# Quitting (headless, see HACKING): F10 in a form with unsaved changes
# asks before anything is lost, as Esc does, and the question says that
# the scheduler this window holds stops with it; n keeps the form, y
# quits.  Without unsaved changes F10 quits at once and the note about
# the scheduler is printed on the terminal.
. "$top_srcdir/tests/screen/lib.sh"

demo
ui 2>/dev/null <<'EOF'
key i
type Unsaved
key F10
dump f10-ask
key n
dump f10-no
key F10 y
dump after-yes
EOF
[ -e after-yes ] && fail "y did not quit"
expect f10-ask <<'EOF'
 reseg New segment                                                        store
Name               Unsaved
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
L┌ Confirm ───────────────────────────────────────────────────────────────────┐
S│ Quit reseg? The changes in the segment form are not saved and will be      │
T│ lost. The scheduler stops with this window: the next automatic run         │
A│ (2026-11-28 18:00 UTC) waits until a daemon (reseg daemon) or another      │
 │ reseg window takes over.                                                   │
 │                                                                            │
 │ Enter/y: yes   Esc/n: no                                                   │
 └────────────────────────────────────────────────────────────────────────────┘





Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
R segment list | grep -q "^Unsaved" && fail "the form was saved"
grep -q "^Name.*Unsaved" f10-no || fail "n closed the form: $(cat f10-no)"
ui 2>note <<'EOF'
key F10
dump after-f10
EOF
[ -e after-f10 ] && fail "F10 on the list asked: $(cat after-f10)"
echo "reseg: The scheduler stops with this window: the next automatic run (2026-11-28 18:00 UTC) waits until a daemon (reseg daemon) or another reseg window takes over." |
    cmp -s - note || fail "the note on quitting: $(cat note)"
exit $status
