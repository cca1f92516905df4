#!/bin/sh
# Editing a saved segment (headless, see HACKING): its database and kind
# are shown but are not Tab stops (Tab from the name goes straight to
# the tags of a static segment, where typed text lands).  A prompt's
# default is a proposal: typed text replaces it (the clone is named
# "Fresh", not "Hand-picked (copy)Fresh"), and the list's cursor goes to
# the clone.
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

F2Save F9Preview F3Script F1Help F10Quit
EOF
exit $status
