#!/bin/sh
# Every screen of the UI in Russian at 80x24 (headless, see HACKING; the
# inventory is there, under "Screen tests"): the walks of
# tests/screen/walk.sh with the catalog built from po/ru.po, each screen
# compared exactly, so that a label cut mid-word, a column that
# overflows or a hint that no longer fits fails here.
. "$top_srcdir/tests/screen/lib.sh"
DAMAGE=${DAMAGE:-$(dirname "$(dirname "$RESEG")")/tests/damage}
locale -a 2>/dev/null | grep -qix 'ru_RU\.utf-\?8' ||
    fail "no ru_RU.UTF-8 locale (tools/dev deps generates it)"
mkdir -p locale/ru/LC_MESSAGES
msgfmt -o locale/ru/LC_MESSAGES/reseg.mo "$top_srcdir/po/ru.po" ||
    fail "msgfmt po/ru.po"
LANGUAGE=ru LC_ALL=ru_RU.UTF-8 RESEG_LOCALEDIR=$PWD/locale
export LANGUAGE LC_ALL RESEG_LOCALEDIR
FILE_ITEM=Файл EVENT_ITEM=событие
. "$top_srcdir/tests/screen/walk.sh"
walk_store
walk_list
walk_page
walk_form
walk_events
walk_states
# The screens.
expect list <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
Repeat buyers          обновл. demo Активен     350 только что через 20 ч sales
Test group 20%         обновл. demo Активен     180 только что через 2 д  test










9 сегментов

F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect help <<'EOF'
 reseg Сегменты                                                           store
На┌ Помощь: клавиши ─────────────────────────────────────────────────────────┐
Ac│ Сегменты                                                                 │s
Ac│  Enter        Открыть или выбрать                                        │s
Bi│  Up k         Вверх                                                      │
Ha│  Down j       Вниз                                                       │al
In│  PgUp ^B      Страница вверх                                             │l
Mo│  PgDn ^F      Страница вниз                                              │
Op│  Home g       Первая строка                                              │l
Re│  End G        Последняя строка                                           │s
Te│  /            Фильтр или поиск                                           │
  │  n            Следующее совпадение фильтра или поиска                    │
  │  N            Предыдущее совпадение фильтра или поиска                   │
  │  i F7         Создать сегмент                                            │
  │  e F4         Изменить сегмент                                           │
  │  C F5         Клонировать сегмент                                        │
  │  d F8 Delete  Удалить сегмент                                            │
  │  r F6         Ручной пересчёт                                            │
  │  a            График истории обновлений                                  │
  │  c            Скопировать профили в статический сегмент                  │
  │  b            Скопировать профили в базу                                 │
9 │ Up/Down, PgUp/PgDn, Home/End: прокрутка; другие клавиши закрывают.       │
  └──────────────────────────────────────────────────────────────────────────┘
F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect filter <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Test group 20%         обновл. demo Активен     180 только что через 2 д  test


















Фильтр: test  (1 из 9; / — изменить)
Фильтр (имя или тег): test
F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect bulk <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
Repeat buyers          обновл. demo Активен     350 только что через 20 ч sales
Test group 20%         обновл. demo Активен     180 только что через 2 д  test










9 сегментов
Задать ПОЛЕ=ЗНАЧЕНИЕ; ... ("a;b" — с ;):
F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect export <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
Repeat buyers          обновл. demo Активен     350 только что через 20 ч sales
Test group 20%         обновл. demo Активен     180 только что через 2 д  test










9 сегментов
Экспорт в файл (.csv или .jsonl): Moscow VIP subscribers.csv
F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect clone <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
Repeat buyers          обновл. demo Активен     350 только что через 20 ч sales
Test group 20%         обновл. demo Активен     180 только что через 2 д  test










9 сегментов
Имя копии: Moscow VIP subscribers (копия)
F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect scenario <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
Repeat buyers          обновл. demo Активен     350 только что через 20 ч sales
Test group 20%         ┌ Добавить профили в сценарий ──┐ко что через 2 д  test
                       │Welcome                        │
                       └───────────────────────────────┘








9 сегментов

F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect copy <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
Repeat buyers          обновл. demo Активен     350 только что через 20 ч sales
Test group 20%  ┌ Скопировать профили в статический сегмент ──┐через 2 д  test
                │Hand-picked                                  │
                └─────────────────────────────────────────────┘








9 сегментов

F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect copy-db <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
Repeat buyers          обновл. demo Активен     350 только что через 20 ч sales
Test group 20%         о┌ Скопировать профили в базу ──┐ко что через 2 д  test
                        │small                         │
                        └──────────────────────────────┘








9 сегментов

F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect delete <<'EOF'
 reseg Сегменты                                                           store
Название               Тип     База Статус  Профили Последний  Следующий  Теги
Active buyers CIS      обновл. demo Активен     908 только что через 6 ч  sales
Active buyers, not VIP обновл. demo Активен     865 только что через 22 ч sales
Big spenders           обновл. demo Активен     486 только что через 2 д  vip
Hand-picked            статич. demo              25 только что —          manual
Inactive subscribers   обновл. demo Активен     568 только что через 19 ч email
Moscow VIP subscribers обновл. demo Активен      19 только что через 18 ч vip
Opened, not clicked    обновл. demo Активен     282 только что через 23 ч email
R┌ Подтверждение ────────────────────────────────────────────────────────────┐s
T│ Удалить сегмент «Moscow VIP subscribers» вместе с профилями и журналом?   │
 │                                                                           │
 │ Enter/y: да   Esc/n: нет                                                  │
 └───────────────────────────────────────────────────────────────────────────┘







9 сегментов

F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect page <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Диапазон: 0-100%   Лимит: нет
Теги: vip
─ Условия (e: изменить, D: удалить) ────────────────────────────────────────────
 sum(amount) of "purchase" >= 500 within last 365 days













F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect cond-delete <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Диапазон: 0-100%   Лимит: нет
Теги: vip
─ Условия (e: изменить, D: удалить) ────────────────────────────────────────────
 s┌ Подтверждение ──────────────────────────────────────────────────────────┐
  │ Удалить условия «Big spenders»? Тогда в нём будут все профили «demo».   │
  │                                                                         │
  │ Enter/y: да   Esc/n: нет                                                │
  └─────────────────────────────────────────────────────────────────────────┘









F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect export-history <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Диапазон: 0-100%   Лимит: нет
Теги: vip
─ Условия (e: изменить, D: удалить) ────────────────────────────────────────────
 sum(amount) of "purchase" >= 500 within last 365 days












Экспорт истории в файл: Big spenders-history.csv
F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect profiles <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
email                      first_name last_name gender birth_date city
artem.egorov4@yandex.ru    Артём      Егоров    male   1962-08-03 Moscow
a.vasiliev11@gmail.com     Артём      Васильев  male   1967-03-15 Saint Petersb…
i.vasilieva21@mail.ru      Ирина      Васильева female 1985-06-09 Batumi
ekaterina.novikova23@bk.ru Екатерина  Новикова  female 2000-07-03 Almaty
o.volkova25@yandex.ru      Ольга      Волкова   female 1977-09-09 Nizhny Novgor…
i.fedorova31@inbox.ru      Ирина      Фёдорова  female 2003-10-18 Moscow
dmitry.petrov37@yandex.ru  Дмитрий    Петров    male   1982-07-22 Novosibirsk
elena.semenova43@mail.ru   Елена      Семёнова  female 1987-12-15 Mogilev
irina.novikova48@gmail.com Ирина      Новикова  female 1995-09-28 Saint Petersb…
s.pavlov52@mail.ru         Сергей     Павлов    male   1986-07-15 Gomel
ivan.kuznetsov55@yandex.ru Иван       Кузнецов  male   2008-05-24 Moscow
thomas.weber58@gmail.com   Thomas     Weber     male   1962-12-17 Frankfurt
k.sokolova59@mail.ru       Ксения     Соколова  female 2007-08-21 Astana
maksim.petrov63@mail.ru    Максим     Петров    male   1989-01-08 Voronezh
1-14 из 486   столбцы 1-6 из 13   /: поиск

F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect find-key <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
email                      first_name last_name gender birth_date city
artem.egorov4@yandex.ru    Артём      Егоров    male   1962-08-03 Moscow
a.vasiliev11@gmail.com     Артём      Васильев  male   1967-03-15 Saint Petersb…
i.vasilieva21@mail.ru      Ирина      Васильева female 1985-06-09 Batumi
ekaterina.novikova23@bk.ru Екатерина  Новикова  female 2000-07-03 Almaty
o.volkova25@yandex.ru      Ольга      Волкова   female 1977-09-09 Nizhny Novgor…
i.fedorova31@inbox.ru      Ирина      Фёдорова  female 2003-10-18 Moscow
dmitry.petrov37@yandex.ru  Дмитрий    Петров    male   1982-07-22 Novosibirsk
elena.semenova43@mail.ru   Елена      Семёнова  female 1987-12-15 Mogilev
irina.novikova48@gmail.com Ирина      Новикова  female 1995-09-28 Saint Petersb…
s.pavlov52@mail.ru         Сергей     Павлов    male   1986-07-15 Gomel
ivan.kuznetsov55@yandex.ru Иван       Кузнецов  male   2008-05-24 Moscow
thomas.weber58@gmail.com   Thomas     Weber     male   1962-12-17 Frankfurt
k.sokolova59@mail.ru       Ксения     Соколова  female 2007-08-21 Astana
maksim.petrov63@mail.ru    Максим     Петров    male   1989-01-08 Voronezh
1-14 из 486   столбцы 1-6 из 13   /: поиск
Поиск (по всем полям):
F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect history <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Период: последние 30 дней (2026-10-30 .. 2026-11-28), шаг: день — состав
      600                                                           ││
                                                                    ││
                                                                    ⣿⣿
      400                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
      200                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: всего 486, 1 запуск
автоматически +486 -0   вручную +0 -0
Влево/Вправо: сдвиг   p: период   P: свой   o: шаг   v: состав/изменения

F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect chart <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Период: последние 30 дней (2026-10-30 .. 2026-11-28), шаг: день — состав
      600                                                           ││
                                                                    ││
                                                                    ⣿⣿
      400                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
      200                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: всего 486, 1 запуск
автоматически +486 -0   вручную +0 -0
Влево/Вправо: сдвиг   p: период   P: свой   o: шаг   v: состав/изменения

F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect chart-changes <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Период: последние 30 дней (2026-10-30 .. 2026-11-28), шаг: день — изменения
     +500                                                           ⣶⣶
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
     -500                                                           ││
                                                                    ││
                                                                    ││
                                                                    ││
                                                                    ││
        0                                                           ││
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: всего 486, 1 запуск
автоматически +486 -0   вручную +0 -0
Влево/Вправо: сдвиг   p: период   P: свой   o: шаг   v: состав/изменения

F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect period <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Период: последние 30 дней (2026-10-30 .. 2026-11-28), шаг: день — состав
      600                                                           ││
                                                                    ││
                                                                    ⣿⣿
      400                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
      200                                                           ⣿⣿
                                                                    ⣿⣿
                                                                    ⣿⣿
        0                                                           ⣿⣿
                11-02         11-09         11-16         11-23     2026-11-28
2026-11-28 UTC: всего 486, 1 запуск
автоматически +486 -0   вручную +0 -0
Влево/Вправо: сдвиг   p: период   P: свой   o: шаг   v: состав/изменения
Период (ГГГГ-ММ-ДД ГГГГ-ММ-ДД):
F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect log <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Начало               Конец Тип  Инициатор Добавлено Убрано Статус
2026-11-28 12:00 UTC 12:00 Авто Система         486      0 Завершён













1-1 из 1   выбран запуск 1

F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect deps <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
 сценарий «Welcome»
















F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect reconfigure <<'EOF'
 reseg Правка сегмента: Big spenders                                      store
Название           Big spenders
База               demo  (не меняется после сохранения)
Тип                обновл.
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    sum(amount) of "purchase" >= 500 within last 365 days
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ]
Расписание         [x]
Время (ЧЧ:ММ)      07:00
Часовой пояс       UTC  ▾
Периодичность      < еженедельно >
Дни недели         mon
Отключить после
Ближайшие запуски  2026-11-30 07:00 UTC
                   2026-12-07 07:00 UTC
                   2026-12-14 07:00 UTC
Теги               vip
Группы доступа
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect edit <<'EOF'
 reseg Правка сегмента: Big spenders                                      store
Название           Big spenders
База               demo  (не меняется после сохранения)
Тип                обновл.
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    sum(amount) of "purchase" >= 500 within last 365 days
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ]
Расписание         [x]
Время (ЧЧ:ММ)      07:00
Часовой пояс       UTC  ▾
Периодичность      < еженедельно >
Дни недели         mon
Отключить после
Ближайшие запуски  2026-11-30 07:00 UTC
                   2026-12-07 07:00 UTC
                   2026-12-14 07:00 UTC
Теги               vip
Группы доступа
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect recalc <<'EOF'
 reseg Сегмент: Big spenders                                              store
База: demo   Профили: 486   Состояние: Активен
Расписание: weekly on mon at 07:00 UTC
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: 2026-11-30 07:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
 сценарий «Welcome»















Big spenders: добавлено 0, убрано 0, всего 486.
F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect remove <<'EOF'
 reseg Сегмент: Hand-picked                                               store
База: demo   Профили: 25   Состояние: статич.
Расписание: нет (статический сегмент)
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: нет

 Обзор Профили История Журнал Зависимые
email                         first_name last_name  gender birth_date city
svetlana.volkova1@mail.ru     Светлана   Волкова    female 1993-04-28 Moscow
dinara.nurpeisova2@yandex.ru  Динара     Нурпеисова female 1984-01-24 Almaty
olga.lebedeva3@mail.ru        Ольга      Лебедева   female 1980-05-06 Minsk
ekaterina.novikova7@yandex.ru Екатерина  Новикова   female 2001-07-10 Saint Pet…
r.mikhailov8@yandex.ru        Роман      Михайлов   male   1998-08-13 Moscow
a.volkova10@gmail.com         Алина      Волкова    female 1995-11-22 Minsk
a.vasiliev11@gmail.com        Артём      Васильев   male   1967-03-15 Saint Pet…
m.nurpeisova13@gmail.com      Мадина     Нурпеисова female 1986-04-16 Karaganda
aleksandr.volkov14@gmail.com  Александр  Волков     male   1993-01-30 Saint Pet…
natalya.alekseeva16@inbox.ru  Наталья    Алексеева  female 1999-12-22 Minsk
daniyar.kasymov17@yandex.ru   Данияр     Касымов    male   1998-10-02 Astana
k.volkova20@yandex.ru         Ксения     Волкова    female 1986-11-01 Moscow
artem.smirnov22@yandex.ru     Артём      Смирнов    male   1999-06-28 Moscow
ekaterina.novikova23@bk.ru    Екатерина  Новикова   female 2000-07-03 Almaty
1-14 из 25   столбцы 1-6 из 13   /: поиск
Убрать профили с ключами: svetlana.volkova1@mail.ru
F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect add <<'EOF'
 reseg Сегмент: Hand-picked                                               store
База: demo   Профили: 25   Состояние: статич.
Расписание: нет (статический сегмент)
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: нет

 Обзор Профили История Журнал Зависимые
email                         first_name last_name  gender birth_date city
svetlana.volkova1@mail.ru     Светлана   Волкова    female 1993-04-28 Moscow
dinara.nurpeisova2@yandex.ru  Динара     Нурпеисова female 1984-01-24 Almaty
olga.lebedeva3@mail.ru        Ольга      Лебедева   female 1980-05-06 Minsk
ekaterina.novikova7@yandex.ru Екатерина  Новикова   female 2001-07-10 Saint Pet…
r.mikhailov8@yandex.ru        Роман      Михайлов   male   1998-08-13 Moscow
a.volkova10@gmail.com         Алина      Волкова    female 1995-11-22 Minsk
a.vasiliev11@gmail.com        Артём      Васильев   male   1967-03-15 Saint Pet…
m.nurpeisova13@gmail.com      Мадина     Нурпеисова female 1986-04-16 Karaganda
aleksandr.volkov14@gmail.com  Александр  Волков     male   1993-01-30 Saint Pet…
natalya.alekseeva16@inbox.ru  Наталья    Алексеева  female 1999-12-22 Minsk
daniyar.kasymov17@yandex.ru   Данияр     Касымов    male   1998-10-02 Astana
k.volkova20@yandex.ru         Ксения     Волкова    female 1986-11-01 Moscow
artem.smirnov22@yandex.ru     Артём      Смирнов    male   1999-06-28 Moscow
ekaterina.novikova23@bk.ru    Екатерина  Новикова   female 2000-07-03 Almaty
1-14 из 25   столбцы 1-6 из 13   /: поиск
Добавить профили с ключами:
F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect deps-none <<'EOF'
 reseg Сегмент: Hand-picked                                               store
База: demo   Профили: 25   Состояние: статич.
Расписание: нет (статический сегмент)
Посл. запуск: 2026-11-28 12:00 UTC   След. запуск: нет

 Обзор Профили История Журнал Зависимые
 Сегмент не используют рассылки, сценарии, программы лояльности и другие
 сегменты.















F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect form <<'EOF'
 reseg Новый сегмент                                                      store
Название
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — условий нет: все профили (^N добавляет условие)
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ]
Расписание         [ ]
Теги
Группы доступа









Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect no-name <<'EOF'
 reseg Новый сегмент                                                      store
Название
                   ^ Введите название сегмента.
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — условий нет: все профили (^N добавляет условие)
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ]
Расписание         [ ]
Теги
Группы доступа








Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена
Некоторые поля требуют внимания: см. сообщения с пометкой ^.
F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect db-picker <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — условий нет: все профили (^N добавляет условие)
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ]        ┌ База ────────────┐
Расписание         [ ]        │demo   локальная  │
Теги                          │small  локальная  │
Группы доступа                │                  │
                              │Поиск:            │
                              └──────────────────┘







Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect field-picker <<'EOF'
 reseg Новый сегмент                                                      store
Название         ┌ Поле (поиск по вводу) ────────────────────┐
База             │email                                      │
Тип              │length(email)                              │
─ Условия (F3: ск│lower(email)                               │──────────────────
  ВСЕ из этих (AN│first_name                                 │словие)
Диапазон от, %   │length(first_name)                         │
Диапазон до, %   │lower(first_name)                          │
Лимит            │last_name                                  │
Расписание       │length(last_name)                          │
Теги             │lower(last_name)                           │
Группы доступа   │gender                                     │
                 │length(gender)                             │
                 │lower(gender)                              │
                 │birth_date                                 │
                 │age(birth_date)                            │
                 │days_since(birth_date)                     │
                 │days_until(birth_date)                     │
                 │city                                       │
                 │                                           │
                 │Поиск:                                     │
Tab/Shift-Tab: по└───────────────────────────────────────────┘

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect op-picker <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ───────┌ Оператор ────────┐──────────────────────────────
  ВСЕ из этих (AND) — условий │=                 │ добавляет условие)
Диапазон от, %     0          │!=                │
Диапазон до, %     100        │in                │
Лимит              [ ]        │not in            │
Расписание         [ ]        │contains          │
Теги                          │not contains      │
Группы доступа                │starts with       │
                              │ends with         │
                              │is empty          │
                              │is not empty      │
                              │                  │
                              │Поиск:            │
                              └──────────────────┘



Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect tree <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ]
Расписание         [ ]
Теги
Группы доступа








Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect sched <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       UTC  ▾
Периодичность      < каждые N дней >
Каждые N дней      1
Отключить после
Ближайшие запуски  2026-11-29 09:00 UTC
                   2026-11-30 09:00 UTC
                   2026-12-01 09:00 UTC
Теги
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена  (прокрутка)

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect tz-picker <<'EOF'
 reseg Новый сегмент                                                      store
Название     ┌ Часовой пояс (поиск по вводу) ─────────────────────┐
База         │Этот компьютер                                      │
Тип          │  UTC                             UTC+00:00  UTC    │
─ Условия (F3│Недавние                                            │─────────────
  ВСЕ из этих│  Europe/Berlin                   UTC+01:00  CET    │
    country i│  Europe/Moscow                   UTC+03:00  MSK    │
Диапазон от, │Africa                                              │
Диапазон до, │  Africa/Abidjan                  UTC+00:00  GMT    │
Лимит        │  Africa/Accra                    UTC+00:00  GMT    │
Макс. профиле│  Africa/Addis_Ababa              UTC+03:00  EAT    │
Расписание   │  Africa/Algiers                  UTC+01:00  CET    │
Время (ЧЧ:ММ)│  Africa/Asmara                   UTC+03:00  EAT    │
Часовой пояс │  Africa/Bamako                   UTC+00:00  GMT    │
Периодичность│  Africa/Bangui                   UTC+01:00  WAT    │
Каждые N дней│  Africa/Banjul                   UTC+00:00  GMT    │
Отключить пос│  Africa/Bissau                   UTC+00:00  GMT    │
Ближайшие зап│  Africa/Blantyre                 UTC+02:00  CAT    │
             │  Africa/Brazzaville              UTC+01:00  WAT    │
             │                                                    │
Теги         │Поиск:                                              │
Tab/Shift-Tab└────────────────────────────────────────────────────┘крутка)

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect tz-picked <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < каждые N дней >
Каждые N дней      1
Отключить после
Ближайшие запуски  2026-11-28 09:00 EST
                   2026-11-29 09:00 EST
                   2026-11-30 09:00 EST
Теги
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена  (прокрутка)

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect sched-once <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < один раз в дату >
Дата (ГГГГ-ММ-ДД)
Отключить после
Ближайшие запуски  Введите дату запуска (ГГГГ-ММ-ДД).


Теги
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена  (прокрутка)

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect sched-weekly <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < еженедельно >
Дни недели
Отключить после
Ближайшие запуски  недельному расписанию нужен хотя бы один день недели (mon,
                   tue, wed, thu, fri, sat, sun)

Теги
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена  (прокрутка)

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect sched-monthly <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < ежемесячно >
Дни (1,15,last)
Отключить после
Ближайшие запуски  месячному расписанию нужен хотя бы один день месяца (от 1 до
                   31 или 'last')

Теги
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена  (прокрутка)

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect sched-hours <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < каждые N часов >
Каждые N часов     1
Отключить после
Ближайшие запуски  2026-11-28 08:00 EST
                   2026-11-28 09:00 EST
                   2026-11-28 10:00 EST
Теги
Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена  (прокрутка)

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect as-script <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия: скрипт (F3: дерево) ─────────────────────────────────────────────────
country in ("RU", "KZ")





Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < каждые N дней >
Каждые N дней      1
Отключить после
Скрипт разобран без ошибок.

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect script-error <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия: скрипт (F3: дерево) ─────────────────────────────────────────────────
country in ("RU", "KZ") and





  ^ строка 1, столбец 28: после 'and' ожидалось условие, найдено: конец скрипта
Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < каждые N дней >
Каждые N дней      1
Tab: дополнить  ^Z: отменить  F3: дерево  ^S: сохранить  Esc: отмена
Сначала исправьте скрипт: он не разбирается.
F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect preview <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия: скрипт (F3: дерево) ─────────────────────────────────────────────────
country in ("RU", "KZ")





Диапазон от, %     50
Диапазон до, %     100
Лимит              [x]
Макс. профилей     100
Расписание         [x]
Время (ЧЧ:ММ)      09:00
Часовой пояс       America/New_York  ▾
Периодичность      < каждые N дней >
Каждые N дней      1
Отключить после
Просмотр: профилей 100.

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect import <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия: скрипт (F3: дерево) ─────────────────────────────────────────────────
country in ("RU", "KZ")  ┌ Импортировать условия из ──┐
                         │Active buyers CIS           │
                         │Active buyers, not VIP      │
                         │Big spenders                │
                         │Inactive subscribers        │
                         │Moscow VIP subscribers      │
Диапазон от, %     50    │Opened, not clicked         │
Диапазон до, %     100   │Repeat buyers               │
Лимит              [x]   │Test group 20%              │
Макс. профилей     100   │Файл (скрипт или JSON)...   │
Расписание         [x]   │                            │
Время (ЧЧ:ММ)      09:00 │Поиск:                      │
Часовой пояс       Americ└────────────────────────────┘
Периодичность      < каждые N дней >
Каждые N дней      1
Отключить после
Просмотр: профилей 100.

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect import-file <<'EOF'
 reseg Новый сегмент                                                      store
Название
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — условий нет: все профили (^N добавляет условие)
Диапазон от, %     0
Диапазон до, %     100
Лими┌ Импортировать условия из файла ──────────────────────────────────────┐
Расп│ Файл с условиями (скрипт или JSON):                                  │
Теги│                                                                      │
Груп│                                                                      │
    │ Enter: OK   Esc: отмена                                              │
    └──────────────────────────────────────────────────────────────────────┘







Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect delete-all <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     0
Диапазон до, %     100
Лимит              ┌ Подтверждение ────────────────────────┐
Расписание         │ Удалить все условия этого сегмента?   │
Теги               │                                       │
Группы доступа     │ Enter/y: да   Esc/n: нет              │
                   └───────────────────────────────────────┘







Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect discard <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     0
Диапазон до, %     100
Лимит              [┌ Подтверждение ───────────────────────┐
Расписание         [│ Отменить изменения этого сегмента?   │
Теги                │                                      │
Группы доступа      │ Enter/y: да   Esc/n: нет             │
                    └──────────────────────────────────────┘







Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect quit <<'EOF'
 reseg Новый сегмент                                                      store
Название           Form test
База               demo  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND)
    country in ("RU", "KZ")
Диапазон от, %     0
Д┌ Подтверждение ─────────────────────────────────────────────────────────────┐
Л│ Выйти из reseg? Изменения в форме сегмента не сохранены и будут потеряны.  │
Р│ Планировщик остановится вместе с этим окном: следующий автоматический      │
Т│ запуск (2026-11-28 18:00 UTC) будет ждать, пока работу не возьмёт на себя  │
Г│ демон (reseg daemon) или другое окно reseg.                                │
 │                                                                            │
 │ Enter/y: да   Esc/n: нет                                                   │
 └────────────────────────────────────────────────────────────────────────────┘





Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect ev-test <<'EOF'
 reseg Новый сегмент                                                      store
Название           Buyers
База               shop  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — ┌ Условие на события ──────────────┐ет условие)
Диапазон от, %     0  │did: было (N раз)                 │
Диапазон до, %     100│first: когда было впервые         │
Лимит              [ ]│last: когда было в последний раз  │
Расписание         [ ]│count of: сколько раз, сравнение  │
Теги                  │sum(свойство) of: сравнение       │
Группы доступа        │avg(свойство) of: сравнение       │
                      │min(свойство) of: сравнение       │
                      │max(свойство) of: сравнение       │
                      │                                  │
                      │Поиск:                            │
                      └──────────────────────────────────┘




Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect ev-name <<'EOF'
 reseg Новый сегмент                                                      store
Название           Buyers
База               shop  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — условий нет: все профили (^N добавляет условие)
Диапазон от, %     0
Диапазон до, %     100   ┌ Событие (поиск по вводу) ──┐
Лимит              [ ]   │email_click                 │
Расписание         [ ]   │email_open                  │
Теги                     │login                       │
Группы доступа           │purchase                    │
                         │Другое имя...               │
                         │                            │
                         │Поиск:                      │
                         └────────────────────────────┘





Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect ev-filters <<'EOF'
 reseg Новый сегмент                                                      store
Название           Buyers
База               shop  ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — условий нет: все профили (^N добавляет условие)
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ] ┌ Фильтры (where) ───────────────┐
Расписание         [ ] │Дальше                          │
Теги                   │Добавить фильтр по свойству...  │
Группы доступа         │  where amount > 100            │
                       │                                │
                       │Поиск:                          │
                       └────────────────────────────────┘






Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена

F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
expect states <<'EOF'
 reseg Сегменты                                                           store
Название Тип     База Статус    Профили Последний Следующий Теги
broken                Повреждён
once     обновл. shop Завершён        2 2 д назад —
weekly   обновл. shop Просроч.        0 никогда   через 5 д
















3 сегмента
Планировщик: сегмент «weekly»: запуск 2026-11-29T11:00:00Z пропущен и старше окн
F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect damaged <<'EOF'
 reseg Сегменты                                                           store
Название Тип     База Статус    Профили Последний Следующий Теги
broken                Повреждён
once     обновл. shop Завершён        2 2 д назад —
weekly   обновл. shop Просроч.        0 никогда   через 5 д
















3 сегмента
сегмент «broken» повреждён: некорректный JSON
F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect ended <<'EOF'
 reseg Сегмент: once                                                      store
База: shop   Профили: 2   Состояние: Завершён: запусков больше не будет
Расписание: once on 2026-11-29 at 10:00 UTC
Посл. запуск: 2026-11-29 10:05 UTC   След. запуск: нет
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Диапазон: 0-100%   Лимит: нет
─ Условия (e: изменить, D: удалить) ────────────────────────────────────────────
 n >= 1














F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect stale <<'EOF'
 reseg Сегмент: weekly                                                    store
База: shop   Профили: 0   Состояние: Просрочен: плановый запуск пропущен
Расписание: weekly on sun at 11:00 UTC
Посл. запуск: никогда   След. запуск: 2026-12-06 11:00 UTC
r: пересчитать   s: стоп/старт   S: перенастроить   e: изменить
 Обзор Профили История Журнал Зависимые
Диапазон: 0-100%   Лимит: нет
─ Условия (e: изменить, D: удалить) ────────────────────────────────────────────
 n >= 1














F6Пересчёт F4Правка F7Новый F5Копия F8Удалить F1Помощь F10Выход   Пояс: сегмента
EOF
expect empty <<'EOF'
 reseg Сегменты                                                           store
Название Тип     База Статус Профили Последний Следующий Теги

  Баз профилей пока нет, а сегменту нужна база. Создайте её командой 'reseg db
  create ИМЯ --fields СПИСОК' и заполните командой 'reseg db import ИМЯ ФАЙЛ'
  или попробуйте 'reseg demo'; затем нажмите здесь i.















0 сегментов

F7Новый F4Правка F5Копия F8Удалить F6Пересчёт F1Помощь F10Выход   Пояс: сегмента
EOF
expect empty-form <<'EOF'
 reseg Новый сегмент                                                      store
Название
База                 ▾
Тип                < обновл. >
─ Условия (F3: скрипт) ─────────────────────────────────────────────────────────
  ВСЕ из этих (AND) — условий нет: все профили (^N добавляет условие)
Диапазон от, %     0
Диапазон до, %     100
Лимит              [ ]
Расписание         [ ]
Теги
Группы доступа









Tab/Shift-Tab: поля  ^S: сохранить  F9: просмотр  Esc: отмена
Баз профилей пока нет: см. 'reseg db create' или 'reseg demo'.
F2Сохранить F9Просмотр F3Скрипт F1Помощь F10Выход                 Пояс: сегмента
EOF
exit $status
