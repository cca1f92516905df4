#!/bin/sh
# Editing a saved segment (headless, see HACKING): its database and kind
# are shown but are not Tab stops (Tab from the name goes straight to
# the tags of a static segment, where typed text lands).  A prompt's
# default is a proposal: typed text replaces it (the clone is named
# "Fresh", not "Hand-picked (copy)Fresh"), and the list's cursor goes to
# the clone.  The script editor: the error's line and column, no stale
# message, comments kept.
. "$top_srcdir/tests/screen/lib.sh"

demo
ui <<'EOF'
key Down Down Down e
key Tab
type ,x
dump tab
key Esc y C
type Fresh
key Enter Enter
dump clone-open
EOF
head -1 clone-open | grep -q "^ reseg Segment: Fresh " ||
    fail "the clone: $(head -1 clone-open)"
R segment show Fresh >/dev/null || fail "no segment Fresh: $(R segment list)"
expect tab <<'EOF'
 reseg Edit segment: Hand-picked                                          store
Name               Hand-picked
Database           demo  (fixed once saved)
Kind               static
Tags               manual,x
Access groups















Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF

# A message about the script goes once the script is edited: "it does
# not parse" never stands beside "The script parses.".
ui <<'EOF'
key i
type Parse test
key F3
type orders_count >=
key F3
dump bad
type  1
dump fixed
EOF
expect bad <<'EOF'
 reseg New segment                                                        store
Name               Parse test
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
orders_count >=





  ^ line 1, column 16: expected a value after '>=', found end of script
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups



Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel
Fix the script first: it does not parse.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect fixed <<'EOF'
 reseg New segment                                                        store
Name               Parse test
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
orders_count >= 1





Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups




The script parses.

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF

# Comments in the script stay: through the tree and back, on save (the
# segment's text as written, as `segment dump` shows it), and when the
# form is opened again.
ui <<'EOF'
key i
type Commented
key F3
type # the best ones
key Enter
type orders_count >= 3
key F3 F3
dump back
key ^S
EOF
R segment dump Commented | grep -qx "    # the best ones" ||
    fail "the comment was not saved: $(R segment dump Commented)"
ui <<'EOF'
key /
type Commented
key Enter e F3
dump reopened
EOF
grep -qx "# the best ones" back || fail "tree and back: $(cat back)"
grep -qx "# the best ones" reopened || fail "reopened: $(cat reopened)"
exit $status
