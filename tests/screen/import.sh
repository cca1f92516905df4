#!/bin/sh
# Importing conditions into the form from a file (headless, see
# HACKING): a script file is read as a script (its comments kept), a
# broken one is refused with its line and column, a JSON file as before;
# ~ is the home directory.
. "$top_srcdir/tests/screen/lib.sh"

demo
mkdir home
HOME=$PWD/home
export HOME
printf '# loyal customers\norders_count >= 5\n' >home/loyal.txt
printf 'orders_count >=\n' >bad.txt
R --json segment show "Moscow VIP subscribers" >c.json || fail "show --json"
ui <<'EOF'
key i
type Imported
key ^R
type A file
key Enter
dump box
type bad.txt
key Enter
dump bad
key ^U
type ~/loyal.txt
key Enter F3
dump as-script
key F3 ^R
type A file
key Enter
type c.json
key Enter
dump json
EOF
expect box <<'EOF'
 reseg New segment                                                        store
Name               Imported
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limi┌ Import conditions from a file ───────────────────────────────────────┐
Sche│ File of conditions (a script, or JSON):                              │
Tags│                                                                      │
Acce│                                                                      │
    │ Enter: OK   Esc: cancel                                              │
    └──────────────────────────────────────────────────────────────────────┘







Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect bad <<'EOF'
 reseg New segment                                                        store
Name               Imported
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limi┌ Import conditions from a file ───────────────────────────────────────┐
Sche│ File of conditions (a script, or JSON):                              │
Tags│ bad.txt                                                              │
Acce│                                                                      │
    │ bad.txt: line 2, column 1: expected a value after '>=', found end of │
    │ Enter: OK   Esc: cancel                                              │
    └──────────────────────────────────────────────────────────────────────┘






Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect as-script <<'EOF'
 reseg New segment                                                        store
Name               Imported
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
# loyal customers
orders_count >= 5




Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups




The script parses.
The conditions were imported.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
expect json <<'EOF'
 reseg New segment                                                        store
Name               Imported
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    subscribed_email is true
    tags has "vip"
    city = "Moscow"
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups






Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel
The conditions were imported.
F2Save F9Preview F3Script F1Help F10Quit                     Times: segment zone
EOF
exit $status
