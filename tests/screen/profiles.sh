#!/bin/sh
# The Profiles block of a segment page: < and > choose the sort column
# (as htop's), I reverses it, F chooses and orders the columns (kept for
# the database's pages until the UI quits), / searches every field's
# value with n/N, Enter opens the profile (fields, segments, events).
# The log's / and n/N.  The mouse: a click on a tab or a row, a double
# click opens, the wheel scrolls; RESEG_NO_MOUSE turns it off.

. "${srcdir:-.}/tests/screen/lib.sh"

PROFILES=300 demo

ui <<'EOF'
key Enter Tab >
key Down Down Down Down Down Down Down Down Down Down Enter
key F ^U
type orders_count email city
key Enter
dump sorted
key I
dump reversed
key F ^U
type city nosuch
key Enter
dump columns-wrong
key Esc
key /
type almaty
key Enter
dump found
key n
key N N
dump found-prev
key Enter
dump profile
key End
dump profile-end
key q q Down Enter Tab
dump columns-kept
EOF
expect sorted <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Database: demo   Profiles: 154   State: Active
Schedule: every 6 hours from 00:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-28 18:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
orders_count▲ email                         city
            0 r.mikhailov8@yandex.ru        Moscow
            0 a.volkova10@gmail.com         Minsk
            0 natalya.alekseeva16@inbox.ru  Minsk
            0 ekaterina.ivanova28@gmail.com Kazan
            0 nikita.kozlov42@gmail.com     Moscow
            0 m.akhmetova77@mail.ru         Almaty
            0 vladimir.popov88@yandex.ru    Novosibirsk
            0 elena.volkova98@gmail.com     Saint Petersburg
            0 olga.egorova99@gmail.com      Yekaterinburg
            0 alina.volkova111@gmail.com    Gomel
            0 s.fedorova116@mail.ru         Moscow
            0 vladimir.pavlov117@gmail.com  Saint Petersburg
            0 aleksandr.kuznetsov135@bk.ru  Almaty
            0 natalya.kuznetsova166@mail.ru Volgograd
1-14 of 154   columns 1-3 of 3   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect reversed <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Database: demo   Profiles: 154   State: Active
Schedule: every 6 hours from 00:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-28 18:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
orders_count▼ email                      city
           17 v.mikhailov156@mail.ru     Rostov-on-Don
           13 pavel.novikov78@mail.ru    Tbilisi
           13 d.egorova284@gmail.com     Yekaterinburg
           11 s.pavlov52@mail.ru         Gomel
           11 sophie.mueller72@gmail.com Munich
           11 dmitry.morozov85@mail.ru   Moscow
           10 sergey.ivanov215@mail.ru   Volgograd
            9 dmitry.popov74@yandex.ru   Rostov-on-Don
            8 e.alekseeva223@bk.ru       Moscow
            8 k.vasilieva242@mail.ru     Moscow
            7 a.smirnov133@yandex.ru     Saint Petersburg
            7 roman.novikov143@mail.ru   Moscow
            7 sophie.kaya174@gmail.com   Los Angeles
            7 y.pavlova216@bk.ru         Moscow
1-14 of 154   columns 1-3 of 3   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect columns-wrong <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Database: demo   Profiles: 154   State: Active
Schedule: every 6 hours from 00:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-28 18:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
orders_count▼ email                      city
           17 v.mikhailov156@mail.ru     Rostov-on-Don
           13 pavel.novikov78@mail.ru    Tbilisi
           13 d.egorova284@gmail.com     Yekaterinburg
           11 s.pavlov52@mail.ru         Gomel
           11 sophie.mueller72@gmail.com Munich
           11 dmitry.morozov85@mail.ru   Moscow
           10 sergey.ivanov215@mail.ru   Volgograd
            9 dmitry.popov74@yandex.ru   Rostov-on-Don
            8 e.alekseeva223@bk.ru       Moscow
            8 k.vasilieva242@mail.ru     Moscow
            7 a.smirnov133@yandex.ru     Saint Petersburg
            7 roman.novikov143@mail.ru   Moscow
            7 sophie.kaya174@gmail.com   Los Angeles
            7 y.pavlova216@bk.ru         Moscow
Database 'demo' has no field 'nosuch'.
Columns (names in order; empty: all): city nosuch
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect found <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Database: demo   Profiles: 154   State: Active
Schedule: every 6 hours from 00:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-28 18:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
orders_count▼ email                           city
            5 ekaterina.novikova23@bk.ru      Almaty
            5 maksim.pavlov35@gmail.com       Shymkent
            5 maksim.lebedev123@yandex.ru     Shymkent
            5 dmitry.volkov124@gmail.com      Gomel
            5 t.fedorova224@yandex.ru         Rostov-on-Don
            5 artem.lebedev231@mail.ru        Moscow
            5 andrey.alekseev267@gmail.com    Moscow
            5 r.fedorov282@mail.ru            Chelyabinsk
            5 andrey.vasiliev291@mail.ru      Krasnoyarsk
            4 dmitry.petrov37@yandex.ru       Novosibirsk
            4 ekaterina.vasilieva39@yandex.ru Ufa
            4 k.sokolova59@mail.ru            Astana
            4 ekaterina.novikova62@gmail.com  Vitebsk
            4 egor.alekseev71@mail.ru         Ufa
27-40 of 154   columns 1-3 of 3   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect found-prev <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Database: demo   Profiles: 154   State: Active
Schedule: every 6 hours from 00:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-28 18:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
orders_count▼ email                         city
            0 aleksandr.kuznetsov135@bk.ru  Almaty
            0 natalya.kuznetsova166@mail.ru Volgograd
            0 aleksandr.popov198@gmail.com  Volgograd
            0 maksim.morozov200@gmail.com   Moscow
            0 olga.mikhailova240@gmail.com  Moscow
            0 aleksey.morozov266@gmail.com  Rostov-on-Don
            0 r.sokolov280@mail.ru          Moscow
            0 a.smirnov285@mail.ru          Moscow
            0 elena.volkova290@yandex.ru    Novosibirsk





146-154 of 154   columns 1-3 of 3   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect profile <<'EOF'
 reseg Profile: aleksandr.kuznetsov135@bk.ru                              store
─ Fields ───────────────────────────────────────────────────────────────────────
 email                   aleksandr.kuznetsov135@bk.ru
 first_name              Александр
 last_name               Кузнецов
 gender                  male
 birth_date              1989-09-17
 city                    Almaty
 country                 KZ
 created_at              2023-12-02T09:45:09Z
 last_purchase_at
 orders_count            0
 total_spent             0
 subscribed_email        true
 tags                    newsletter,loyalty
─ Segments (3) ─────────────────────────────────────────────────────────────────
 Active buyers CIS       scheduled
 Active buyers, not VIP  scheduled
 Inactive subscribers    scheduled
─ Recent events (newest first) ─────────────────────────────────────────────────
 2026-11-20T12:45:43Z    email_send mailing=Black Friday
Database: demo   line 2 of 39   /: search   Esc: back

F1Help F10Quit                                               Times: segment zone
EOF
expect profile-end <<'EOF'
 reseg Profile: aleksandr.kuznetsov135@bk.ru                              store
 2026-11-20T12:45:43Z    email_send mailing=Black Friday
 2026-11-10T12:36:30Z    email_send mailing=Weekly digest
 2026-10-20T12:36:22Z    email_send mailing=Weekly digest
 2026-10-13T12:29:54Z    email_send mailing=Weekly digest
 2026-09-15T12:01:34Z    email_send mailing=Weekly digest
 2026-09-08T12:51:12Z    email_send mailing=Weekly digest
 2026-08-30T12:43:52Z    email_send mailing=Back to School
 2026-07-28T12:58:34Z    email_send mailing=Weekly digest
 2026-07-14T12:35:47Z    email_send mailing=Weekly digest
 2026-06-21T12:40:05Z    email_send mailing=Summer Sale
 2026-06-02T12:29:46Z    email_send mailing=Weekly digest
 2026-05-19T12:17:29Z    email_send mailing=Weekly digest
 2026-05-09T05:14:45Z    login
 2026-04-21T16:01:06Z    login
 2026-04-14T12:39:42Z    email_send mailing=Weekly digest
 2026-03-24T12:55:58Z    email_send mailing=Weekly digest
 2026-03-23T16:51:29Z    login
 2026-03-23T14:28:52Z    email_click mailing=Spring Sale
 2026-03-23T14:25:22Z    email_open mailing=Spring Sale
 2026-03-23T12:29:08Z    email_send mailing=Spring Sale
Database: demo   line 39 of 39   /: search   Esc: back

F1Help F10Quit                                               Times: segment zone
EOF
expect columns-kept <<'EOF'
 reseg Segment: Active buyers, not VIP                                    store
Database: demo   Profiles: 151   State: Active
Schedule: daily at 10:00 UTC
Last run: 2026-11-28 12:00 UTC   Next run: 2026-11-29 10:00 UTC
r: recalculate now   s: stop/start   S: reconfigure   e: edit
 Overview Profiles History Log Dependents
orders_count email                         city
           5 svetlana.volkova1@mail.ru     Moscow
           3 dinara.nurpeisova2@yandex.ru  Almaty
           3 olga.lebedeva3@mail.ru        Minsk
           3 ekaterina.novikova7@yandex.ru Saint Petersburg
           0 r.mikhailov8@yandex.ru        Moscow
           0 a.volkova10@gmail.com         Minsk
           3 a.vasiliev11@gmail.com        Saint Petersburg
           2 m.nurpeisova13@gmail.com      Karaganda
           1 aleksandr.volkov14@gmail.com  Saint Petersburg
           0 natalya.alekseeva16@inbox.ru  Minsk
           3 daniyar.kasymov17@yandex.ru   Astana
           1 k.volkova20@yandex.ru         Moscow
           2 artem.smirnov22@yandex.ru     Moscow
           5 ekaterina.novikova23@bk.ru    Almaty
1-14 of 151   columns 1-3 of 3   /: search

F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF

# Nothing found: the status line says so and the cursor stays.
ui <<'EOF'
key Enter Tab /
type no such value
key Enter
dump not-found
EOF
sed -n '23p' not-found >line
expect line <<'EOF'
No profile of 'Active buyers CIS' has a value with 'no such value'.
EOF

# The log: / finds a run by what its row shows, n and N go round.
R segment recalc "Active buyers CIS" >/dev/null || fail "recalc"
ui <<'EOF'
key Enter Tab Tab Tab
key /
type automatic
key Enter
dump log-found
key n
dump log-next
key N
dump log-prev
EOF
for d in log-found log-next log-prev; do
	sed -n '22p' "$d"
done >lines
expect lines <<'EOF'
1-2 of 2   run 1 selected
1-2 of 2   run 1 selected
1-2 of 2   run 1 selected
EOF

# The mouse: a double click on the list's 4th row opens Hand-picked, a
# click on "History" shows that block, one on "Profiles" and a double
# click on its 3rd row opens that profile; the wheel moves its cursor
# by three lines a notch, a click selects a line.
ui <<'EOF'
mouse double 3 5
done
mouse click 20 5
done
dump m-history
mouse click 12 5
mouse double 3 9
done
dump m-profile
mouse wheel down 10 10
dump m-wheel
mouse wheel up 10 10
mouse click 5 7
dump m-click
EOF
sed -n '1p;6p' m-history >lines
sed -n '1p' m-profile >>lines
sed -n '22p' m-wheel >>lines
sed -n '22p' m-click >>lines
expect lines <<'EOF'
 reseg Segment: Hand-picked                                               store
 Overview Profiles History Log Dependents
 reseg Profile: olga.lebedeva3@mail.ru                                    store
Database: demo   line 5 of 29   /: search   Esc: back
Database: demo   line 7 of 29   /: search   Esc: back
EOF

# A list to choose from takes clicks: the sort column's list.
ui <<'EOF'
key Enter Tab <
mouse double 30 9
dump m-sort
EOF
sed -n '7p' m-sort >line
expect line <<'EOF'
email                         first_name last_name  gender▲ birth_date city
EOF

# A list to choose from filters with /: "na" leaves first_name and
# last_name, n goes to the second, Enter chooses it; Esc drops a filter
# before it closes the list.
ui <<'EOF'
key Enter Tab <
key /
type na
key Enter
dump filtered
key n Enter
dump f-sorted
key < /
type zzz
key Enter
dump f-none
key Esc
dump f-cleared
EOF
sed -n '5,7p;19p' filtered >lines
sed -n '7p' f-sorted >>lines
sed -n '5p' f-none >>lines
sed -n '6,7p' f-cleared >>lines
expect lines <<'EOF'
r: recalculate now   s: st│first_name               │ e: edit
 Overview Profiles History│last_name                │
email                     │                         │ender birth_date city
k.volkova20@yandex.ru     │/na                      │emale 1986-11-01 Moscow
email                        first_name last_name▲ gender birth_date city
r: recalculate now   s: st│ (nothing matches)       │ e: edit
 Overview Profiles History│(none: profile order)    │
email                     │email                    │nder birth_date city
EOF

# RESEG_NO_MOUSE: no mouse events reach the UI.
printf 'mouse click 20 5\ndone\n' >script
RESEG_NO_MOUSE=1 RESEG_UI_SCRIPT=script "$RESEG" --store store 2>err &&
    fail "RESEG_NO_MOUSE: the click was taken"
grep -q "did nothing this screen defines" err || fail "$(cat err)"
printf 'key Enter\nmouse click 20 5\ndone\ndump m-on\n' >script
RESEG_UI_SCRIPT=script "$RESEG" --store store || fail "click on a tab"
RESEG_NO_MOUSE=1 RESEG_UI_SCRIPT=script "$RESEG" --store store 2>err &&
    fail "RESEG_NO_MOUSE: the click on a tab was taken"

exit $status
