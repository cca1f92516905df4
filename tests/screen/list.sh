#!/bin/sh
# The segments list, screen by screen (headless, see HACKING): its
# columns at 80, 132 and 40 columns; the filter by name and by tag; the
# help overlay from the action table; a bulk edit asked again with its
# text kept (a value of the wrong type too, before any question), its
# question with the counts the CLI gives; an export that asks before
# replacing a file, asks again for a name that does not tell the format
# (out.txt) and expands ~ as the shell does; an empty store.  tests/tui/list.sh keeps what needs a terminal.
. "$top_srcdir/tests/screen/lib.sh"

demo
echo "keep me" >out.csv
mkdir home
HOME=$PWD/home
export HOME
ui <<'EOF'
dump list
key /
type moscow
dump filter-name
key Enter Esc /
type test
dump filter-tag
key Esc ?
dump help
key PgDn PgDn PgDn
dump help-end
key Esc
resize 132x43
dump wide
resize 40x10
dump small
resize 80x24
key End u
type city=Oslo; last_name="X;Y"; oops
key Enter
dump bulk-again
key Backspace Backspace Backspace Backspace Backspace Backspace Enter
dump bulk-confirm
key y
dump bulk-done
key u
type birth_date=someday
key Enter
dump bulk-type
key Esc
key x ^U
type out.csv
key Enter
dump export-ask
key n
dump export-no
key x ^U
type out.csv
key Enter y
dump export-yes
key x ^U
type out.txt
key Enter
dump export-txt
key ^U
type ~/home.jsonl
key Enter
EOF
expect list <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test










9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect filter-name <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip


















Filter: moscow  (1 of 9; / to change)
Filter (name or tag): moscow
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect filter-tag <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Test group 20%         sched. demo     Active      180 just now in 2 d   test


















Filter: test  (1 of 9; / to change)
Filter (name or tag): test
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect help <<'EOF'
 reseg Segments                                                           store
Na┌ Help: keys ──────────────────────────────────────────────────────────────┐
Ac│ Segments                                                                 │
Ac│  Enter        Open or choose                                             │
Bi│  Up k         Move up                                                    │
Ha│  Down j       Move down                                                  │l
In│  PgUp ^B      Page up                                                    │
Mo│  PgDn ^F      Page down                                                  │
Op│  Home g       First line                                                 │
Re│  End G        Last line                                                  │
Te│  /            Filter or search                                           │
  │  n            Next match of the filter or search                         │
  │  N            Previous match of the filter or search                     │
  │  i F7         Create a segment                                           │
  │  e F4         Edit the segment                                           │
  │  C F5         Clone the segment                                          │
  │  d F8 Delete  Delete the segment                                         │
  │  r F6         Manual recalculation                                       │
  │  a            Update history chart                                       │
  │  c            Copy profiles to a static segment                          │
  │  b            Copy profiles to a database                                │
9 │ Up/Down, PgUp/PgDn, Home/End scroll; any other key closes this help.     │
  └──────────────────────────────────────────────────────────────────────────┘
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect help-end <<'EOF'
 reseg Segments                                                           store
Na┌ Help: keys ──────────────────────────────────────────────────────────────┐
Ac│  a            Update history chart                                       │
Ac│  c            Copy profiles to a static segment                          │
Bi│  b            Copy profiles to a database                                │
Ha│  u            Update profiles (bulk edit)                                │l
In│  x            Export the profiles                                        │
Mo│  X            Export the update history                                  │
Op│  A            Add the profiles to a scenario                             │
Re│  s            Stop or start the schedule                                 │
Te│  S            Reconfigure the schedule                                   │
  │  +            Add profiles to a static segment by key                    │
  │  -            Remove profiles from a static segment by key               │
  │ Every screen                                                             │
  │  ? F1         Show the keys of this screen                               │
  │  q            Back; quit on the segments list                            │
  │  F10          Quit reseg                                                 │
  │  Esc          Back or cancel                                             │
  │  ^C           Cancel a running recalculation, else back or quit          │
  │  ^L           Redraw the screen                                          │
  │  z            Show times in the segment's zone, the local zone or UTC    │
9 │ Up/Down, PgUp/PgDn, Home/End scroll; any other key closes this help.     │
  └──────────────────────────────────────────────────────────────────────────┘
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect wide <<'EOF'
 reseg Segments                                                                                                               store
Name                   Kind      Database State  Profiles Last run Next run Tags
Active buyers CIS      scheduled demo     Active      908 just now in 6 h   sales
Active buyers, not VIP scheduled demo     Active      865 just now in 22 h  sales
Big spenders           scheduled demo     Active      486 just now in 2 d   vip
Hand-picked            static    demo                  25 just now —        manual
Inactive subscribers   scheduled demo     Active      568 just now in 19 h  email
Moscow VIP subscribers scheduled demo     Active       19 just now in 18 h  vip
Opened, not clicked    scheduled demo     Active      282 just now in 23 h  email
Repeat buyers          scheduled demo     Active      350 just now in 20 h  sales
Test group 20%         scheduled demo     Active      180 just now in 2 d   test





























9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit                                                            Times: segment zone
EOF
expect small <<'EOF'
 reseg Segments
Name           DB   State  Profiles Tags
Active buyers… demo Active      908 sal…
Active buyers… demo Active      865 sal…
Big spenders   demo Active      486 vip
Hand-picked    demo              25 man…
Inactive subs… demo Active      568 ema…
9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F
EOF
expect bulk-again <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test










Assignment 3 ('oops') is not FIELD=VALUE.
Set FIELD=VALUE; ... ("a;b" keeps ;): city=Oslo; last_name="X;Y"; oops
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect bulk-confirm <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
R┌ Confirm ───────────────────────────────────────────────────────────────────┐
T│ Set city="Oslo", last_name="X;Y" in segment 'Test group 20%': 180 of 180   │
 │ profiles would change. Go on?                                              │
 │                                                                            │
 │ Enter/y: yes   Esc/n: no                                                   │
 └────────────────────────────────────────────────────────────────────────────┘






9 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect bulk-type <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test










birth_date: expected a date YYYY-MM-DD, found 'someday'
Set FIELD=VALUE; ... ("a;b" keeps ;): birth_date=someday
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect bulk-done <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test










9 segments
180 of 180 profiles changed.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
R segment export "Test group 20%" -o t.csv >/dev/null || fail "segment export"
n=$(grep -c ',X;Y,.*,Oslo,' t.csv)
[ "$n" = 180 ] || fail "bulk edit set X;Y and Oslo on $n profiles, not 180"
expect export-ask <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers     ┌ Confirm ────────────────────────────────┐ow in 20 h  sales
Test group 20%    │ out.csv already exists. Overwrite it?   │ow in 2 d   test
                  │                                         │
                  │ Enter/y: yes   Esc/n: no                │
                  └─────────────────────────────────────────┘







9 segments
180 of 180 profiles changed.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect export-no <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test










9 segments
Export cancelled; out.csv was left as it was.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
expect export-yes <<'EOF'
 reseg Segments                                                           store
Name                   Kind   Database State  Profiles Last run Next run Tags
Active buyers CIS      sched. demo     Active      908 just now in 6 h   sales
Active buyers, not VIP sched. demo     Active      865 just now in 22 h  sales
Big spenders           sched. demo     Active      486 just now in 2 d   vip
Hand-picked            static demo                  25 just now —        manual
Inactive subscribers   sched. demo     Active      568 just now in 19 h  email
Moscow VIP subscribers sched. demo     Active       19 just now in 18 h  vip
Opened, not clicked    sched. demo     Active      282 just now in 23 h  email
Repeat buyers          sched. demo     Active      350 just now in 20 h  sales
Test group 20%         sched. demo     Active      180 just now in 2 d   test










9 segments
180 profiles of 'Test group 20%' were written to out.csv.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
head -1 out.csv | grep -q "^email," || fail "export not written"
sed -n 22,23p export-txt >export-txt.tail
cat >export-txt.want <<'EOF'
Cannot tell the format of 'out.txt' from its name: end it in .csv or .jsonl.
Export to file (.csv or .jsonl): out.txt
EOF
cmp -s export-txt.want export-txt.tail || fail "out.txt: $(cat export-txt)"
[ -e out.txt ] && fail "out.txt was written"
head -1 home/home.jsonl | grep -q '^{"email":' ||
    fail "~/home.jsonl was not written in HOME: $(ls -R)"

# An empty store: the list says how to get a database first, and the
# form's database field says there is none instead of an empty picker.
rm -rf store
ui <<'EOF'
dump empty
key i
dump empty-form
key Esc
dump empty-back
EOF
expect empty <<'EOF'
 reseg Segments                                                           store
Name Kind   Database State Profiles Last run Next run Tags

  No profile databases yet: a segment needs one. Create one with 'reseg db
  create NAME --fields SPEC' and fill it with 'reseg db import NAME FILE', or
  try 'reseg demo'; then press i here.















0 segments

F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
grep -qxF "No profile database yet: see 'reseg db create' or 'reseg demo'." \
    empty-form || fail "the form's database field on an empty store"
expect empty-back <<'EOF'
 reseg Segments                                                           store
Name Kind   Database State Profiles Last run Next run Tags

  No profile databases yet: a segment needs one. Create one with 'reseg db
  create NAME --fields SPEC' and fill it with 'reseg db import NAME FILE', or
  try 'reseg demo'; then press i here.















0 segments
No profile database yet: see 'reseg db create' or 'reseg demo'.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit        Times: segment zone
EOF
exit $status
