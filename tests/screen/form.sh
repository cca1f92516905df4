#!/bin/sh
# The segment form, screen by screen (headless, see HACKING): an empty
# form, the complaint about a missing name, a condition built in the
# tree, range, limit and schedule fields opening as they are switched on
# (at 80 and 60 columns), the same conditions as a script, the preview,
# and the list after saving; then the saved definition as the CLI shows
# it.  tests/tui/form_*.sh keep what needs a terminal (the cursor, ^C).
. "$top_srcdir/tests/screen/lib.sh"

demo
ui <<'EOF'
key n
dump empty
key ^S
dump no-name
wait
type Form test
key Tab Tab Tab ^N
type country
key Enter
type in
key Enter
type RU, KZ
key Enter
dump tree
key Tab Backspace
type 50
key Tab Tab Space Tab
type 100
key Tab Space
dump sched
resize 60x20
dump sched-small
resize 80x24
key F3
dump as-script
key F3 F9
dump preview
key ^S
dump saved
EOF
expect empty <<'EOF'
 reseg New segment                                                        store
Name
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups









Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit
EOF
expect no-name <<'EOF'
 reseg New segment                                                        store
Name
                   ^ Enter a name for the segment.
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND) — no conditions: every profile (^N adds one)
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups








Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel
Some fields need attention: see the messages marked ^.
F2Save F9Preview F3Script F1Help F10Quit
EOF
expect tree <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      0
Range to, %        100
Limit              [ ]
Schedule           [ ]
Tags
Access groups








Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel

F2Save F9Preview F3Script F1Help F10Quit
EOF
expect sched <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           UTC  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
Next runs          2026-11-29T09:00:00Z   2026-11-29 09:00 UTC
                   2026-11-30T09:00:00Z   2026-11-30 09:00 UTC
                   2026-12-01T09:00:00Z   2026-12-01 09:00 UTC
Tags
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (scrolls)

F2Save F9Preview F3Script F1Help F10Quit
EOF
expect sched-small <<'EOF'
 reseg New segment                                    store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           UTC  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
Tab/Shift-Tab: fields  ^S: save  F9: preview  Esc: cancel  (

F2Save F9Preview F3Script F1Help F10Quit
EOF
expect as-script <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions: script (F3: tree) ────────────────────────────────────────────────
country in ("RU", "KZ")





Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           UTC  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
The script parses.

F2Save F9Preview F3Script F1Help F10Quit
EOF
expect preview <<'EOF'
 reseg New segment                                                        store
Name               Form test
Database           demo  ▾
Kind               < scheduled >
─ Conditions (F3: script) ──────────────────────────────────────────────────────
  ALL of these (AND)
    country in ("RU", "KZ")
Range from, %      50
Range to, %        100
Limit              [x]
Profiles at most   100
Schedule           [x]
Time (HH:MM)       09:00
Timezone           UTC  ▾
Frequency          < every N days >
Every N days       1
Deactivate after
Next runs          2026-11-29T09:00:00Z   2026-11-29 09:00 UTC
                   2026-11-30T09:00:00Z   2026-11-30 09:00 UTC
                   2026-12-01T09:00:00Z   2026-12-01 09:00 UTC
Tags
Preview: 100 profiles.

F2Save F9Preview F3Script F1Help F10Quit
EOF
expect saved <<'EOF'
 reseg Segments                                                           store
Name                   Kind   DB   State  Profiles Last run    Next run    Tags
Active buyers CIS      sched. demo Active      908 11-28 12:00 11-28 18:00 sales
Active buyers, not VIP sched. demo Active      865 11-28 12:00 11-29 10:00 sales
Big spenders           sched. demo Active      486 11-28 12:00 11-30 07:00 vip
Form test              sched. demo Active        0 never       11-29 09:00
Hand-picked            static demo              25 11-28 12:00 —           manu…
Inactive subscribers   sched. demo Active      568 11-28 12:00 11-29 07:00 email
Moscow VIP subscribers sched. demo Active       19 11-28 12:00 11-29 06:00 vip
Opened, not clicked    sched. demo Active      282 11-28 12:00 11-29 11:00 email
Repeat buyers          sched. demo Active      350 11-28 12:00 11-29 08:00 sales
Test group 20%         sched. demo Active      180 11-28 12:00 11-30 07:00 test









10 segments
Segment 'Form test' was created.
F7New F4Edit F5Clone F8Delete F6Recalc F1Help F10Quit
EOF
R segment show "Form test" >show || fail "segment show"
grep -qx 'Range:      50-100' show || fail "range: $(cat show)"
grep -qx 'Limit:      100' show || fail "limit: $(cat show)"
grep -qx 'Schedule:   daily at 09:00 UTC' show || fail "schedule: $(cat show)"
grep -qx '  country in ("RU", "KZ")' show || fail "conditions: $(cat show)"
exit $status
