#!/bin/sh
# The script editor of the form (headless, see HACKING): a long
# condition wraps at the window's width (the last column marks a row
# whose line goes on) and wraps again after a resize; F3 on a script
# that does not parse puts the caret at the error's line and column
# (what is typed next lands there) and the message names them, as ^S
# does for a field the database lacks; Tab
# completes field names, the database's event names and the script's
# words (several: the candidates in the status line, a further Tab puts
# each in turn), Tab after a blank goes to the next field; ^Z and ^_
# undo (a typing run, a completion: one step each), ^Y redoes.
. "$top_srcdir/tests/screen/lib.sh"

demo
ui <<'EOF'
key i
type Wrapped
key F3
type country in ("RU", "KZ", "BY") and (orders_count >= 3 or last_purchase_at within last 30 days) and age(birth_date) between 25 and 40
dump wrapped
resize 60x20
dump wrapped-60
resize 80x24
key Enter
type and city "Moscow"
key Home Up
key F3
dump err
type =
dump fixed
EOF
ui <<'EOF'
key i
type Done
key F3
type la
key Tab
dump comp-many
key Tab Tab
dump comp-cycle
key Tab
type  within last 7 days and did "pu
key Tab
type  and ci
key Tab
dump comp-more
key ^Z
dump undo1
key ^Z ^_
dump undo3
key ^Y
dump redo
type  xx
key Tab
dump none
key Enter Tab
type 5
dump next-field
EOF
expect wrapped <<'EOF'
 reseg New segment                                                        store
Name               Wrapped
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ", "BY") and (orders_count >= 3 or last_purchase_at within↩
last 30 days) and age(birth_date) between 25 and 40




Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups




The script parses.

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect wrapped-60 <<'EOF'
 reseg New segment                                    store
Name               Wrapped
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────
country in ("RU", "KZ", "BY") and (orders_count >= 3 or    ↩
last_purchase_at within last 30 days) and age(birth_date)  ↩
between 25 and 40



Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups
The script parses.

F2Save F9Preview F3Script F1Help F10Quit
EOF
expect err <<'EOF'
 reseg New segment                                                        store
Name               Wrapped
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ", "BY") and (orders_count >= 3 or last_purchase_at within↩
last 30 days) and age(birth_date) between 25 and 40
and city "Moscow"



  ^ line 2, column 10: expected an operator after 'city', found "Moscow"
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
Name               Wrapped
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ", "BY") and (orders_count >= 3 or last_purchase_at within↩
last 30 days) and age(birth_date) between 25 and 40
and city ="Moscow"



Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups




The script parses.

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect comp-many <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last





  ^ line 1, column 5: expected an event name in double quotes after 'last',
    found end of script
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups


Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel
last  last_name  last_purchase_at
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect comp-cycle <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last_name





  ^ line 1, column 10: expected an operator after 'last_name', found end of
    script
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups


Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel
last  [last_name]  last_purchase_at
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect comp-more <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last_purchase_at within last 7 days and did "purchase" and city





  ^ line 1, column 64: expected an operator after 'city', found end of script
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups



Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect undo1 <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last_purchase_at within last 7 days and did "purchase" and ci





  ^ line 1, column 62: expected an operator after 'ci', found end of script
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups



Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect undo3 <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last_purchase_at within last 7 days and did "pu





  ^ line 1, column 45: unterminated string
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups



Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect redo <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last_purchase_at within last 7 days and did "purchase"





Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups




The script parses.

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect none <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last_purchase_at within last 7 days and did "purchase" xx





  ^ line 1, column 56: expected 'and' or 'or', found 'xx'
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups



Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel
Nothing completes 'xx'.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect next-field <<'EOF'
 reseg New segment                                                        store
Name               Done
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
last_purchase_at within last 7 days and did "purchase" xx





  ^ line 1, column 56: expected 'and' or 'or', found 'xx'
Range from, %      05
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups



Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
# ^S on a script naming a field the database lacks: the caret goes to
# it (line 2, column 3), so Right Right Delete makes `citty` `city`.
ui <<'EOF'
key i
type Typo
key F3
type orders_count > 1 and
key Enter
type   citty = "Moscow"
key Up Home ^S
dump save-err
key Right Right Delete ^S
EOF
R segment script Typo | grep -qx 'orders_count > 1 and city = "Moscow"' ||
    fail "the fixed script was not saved: $(R segment script Typo)"
expect save-err <<'EOF'
 reseg New segment                                                        store
Name               Typo
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
orders_count > 1 and
  citty = "Moscow"




  ^ line 2, column 3: unknown field 'citty' in database 'demo'
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups



Tab: complete  ^Z: undo  F3: tree  ^S: save  Esc: cancel
Some fields need attention: see the messages marked ^.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
exit $status
