#!/bin/sh
# The Russian translation: complete (msgfmt --check --statistics: no
# untranslated or fuzzy messages), installed by the po Makefile, and used
# by the CLI (help, errors, plurals, 64-bit counts in reordered arguments)
# and by the terminal UI (the list screen, exactly) under LANGUAGE=ru.
# Never skips as root (CI): a missing ru_RU.UTF-8 locale is generated.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
. "$top_srcdir/tests/tui/lib.sh"	# sets TMP, TZ, RESEG_NOW; cleans up
fail=0
po=$top_srcdir/po/ru.po
builddir=$(cd "$(dirname "$RESEG")/.." && pwd)

bad()
{
	echo "FAIL: $*"
	fail=1
}

# check NAME EXPECTED_STATUS EXPECTED_OUTPUT -- command...
check()
{
	name=$1 want_rc=$2 want=$3
	shift 4
	got=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
		bad "$name (exit $rc, wanted $want_rc)"
		echo "--- wanted"; printf '%s\n' "$want"
		echo "--- got"; printf '%s\n' "$got"
	fi
}

# 1. The catalog is complete and valid.
command -v msgfmt >/dev/null || { echo "FAIL: msgfmt is missing"; exit 1; }
stats=$(LC_ALL=C msgfmt --check --statistics -o "$TMP/ru.mo" "$po" 2>&1) ||
    bad "msgfmt --check: $stats"
case $stats in
*untranslated*|*fuzzy*) bad "po/ru.po is incomplete: $stats" ;;
*" translated message"*) ;;
*) bad "unexpected msgfmt statistics: $stats" ;;
esac

# 1b. It covers today's sources: every message xgettext finds in the
# files of po/POTFILES.in has a translation (a stale po/reseg.pot would
# otherwise let new strings slip through untranslated).
if command -v xgettext >/dev/null && command -v msgmerge >/dev/null; then
	grep -v '^#' "$top_srcdir/po/POTFILES.in" | grep . >"$TMP/potfiles"
	(cd "$top_srcdir" && xgettext --from-code=UTF-8 --keyword=_ \
	    --keyword=N_ --keyword=ngettext_:1,2 --language=C \
	    -f "$TMP/potfiles" -o "$TMP/fresh.pot") ||
	    bad "xgettext over po/POTFILES.in"
	msgmerge -q --no-fuzzy-matching -o "$TMP/fresh.po" "$po" \
	    "$TMP/fresh.pot" 2>/dev/null || bad "msgmerge with a fresh template"
	stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$TMP/fresh.po" 2>&1)
	case $stats in
	*untranslated*|*fuzzy*) bad "po/ru.po lags the sources: $stats" ;;
	esac
else
	bad "xgettext/msgmerge are missing (package gettext)"
fi

# 2. The locale exists (generated when missing: root in CI).
if ! locale -a 2>/dev/null | grep -qi '^ru_RU\.utf-\?8$'; then
	if [ "$(id -u)" = 0 ]; then
		localedef -i ru_RU -f UTF-8 ru_RU.UTF-8 ||
		    { echo "FAIL: localedef ru_RU.UTF-8"; exit 1; }
	else
		echo "SKIP: no ru_RU.UTF-8 locale and not root to generate it"
		exit 77
	fi
fi

# 3. "make install" installs the current catalog: the po Makefile's
# install into a scratch DESTDIR gives reseg.mo for ru, and it translates
# exactly as the catalog compiled from po/ru.po now does.
(
	unset MAKEFLAGS MFLAGS MAKELEVEL
	${MAKE:-make} -s -C "$builddir/po" install DESTDIR="$TMP/inst" \
	    >"$TMP/install.log" 2>&1
) || { cat "$TMP/install.log"; bad "make -C po install DESTDIR=..."; }
inst=$(find "$TMP/inst" -path '*/ru/LC_MESSAGES/reseg.mo' | head -n 1)
mkdir -p "$TMP/locale/ru/LC_MESSAGES"
cp "$TMP/ru.mo" "$TMP/locale/ru/LC_MESSAGES/reseg.mo"

ru()
{
	LANGUAGE=ru LC_ALL=ru_RU.UTF-8 RESEG_LOCALEDIR=$TMP/locale "$RESEG" "$@"
}

if [ -z "$inst" ]; then
	bad "make install did not install ru/LC_MESSAGES/reseg.mo"
else
	a=$(LANGUAGE=ru LC_ALL=ru_RU.UTF-8 \
	    RESEG_LOCALEDIR=${inst%/ru/LC_MESSAGES/reseg.mo} "$RESEG" --help)
	b=$(ru --help)
	[ "$a" = "$b" ] || bad "the installed reseg.mo is not the current" \
	    "po/ru.po (stale po/ru.gmo? run: make -C po update-gmo)"
fi

# 4. The CLI in Russian: exact texts.
S=$TMP/cli-store
check help-first-line 0 "Использование: reseg [--store КАТАЛОГ] [КОМАНДА] [ПАРАМЕТРЫ]" -- \
    sh -c 'LANGUAGE=ru LC_ALL=ru_RU.UTF-8 RESEG_LOCALEDIR="$1" "$2" --help | head -n 1' \
    sh "$TMP/locale" "$RESEG"
ru --help >"$TMP/help" 2>&1
for line in \
    "      создать базу профилей" \
    "      пересчитать сегмент сейчас (ручной запуск)" \
    "  reseg segment create NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]..." \
    "Всё остальное, включая коды возврата, см. в reseg(1)."; do
	grep -qxF -- "$line" "$TMP/help" || bad "--help lacks the line '$line'"
done
check no-segment 1 "reseg: сегмента «nosuch» нет" -- \
    ru --store "$S" segment show nosuch
check unknown-command 2 "reseg: неизвестная команда 'frobnicate'
Попробуйте 'reseg --help'." -- ru --store "$S" frobnicate
printf 'email,age,city\na@x,30,Moscow\nb@x,40,Paris\nc@x,25,Moscow\n' \
    >"$TMP/p.csv"
check db-create-plural 0 "Создана база «people»: 3 поля, ключ «email»." -- \
    ru --store "$S" db create people --fields 'email:string,age:int,city:string'
check db-create-plural-1 0 "Создана база «one»: 1 поле, ключ «k»." -- \
    ru --store "$S" db create one --fields 'k:string' --key k
check import 0 "people: 3 строки: вставлено 3, обновлено 0, без изменений 0, отклонено 0" -- \
    ru --store "$S" db import people "$TMP/p.csv"
check create 0 "Создан сегмент «M» (обновл.) в базе «people».
Следующий запуск: 2026-11-29T09:00:00Z" -- \
    ru --store "$S" segment create M --db people --where 'city = "Moscow"' \
    --schedule 'daily at 09:00 UTC'
check recalc 0 "Сегмент «M» пересчитан (запуск 1): добавлено 2, убрано 0, всего 2." -- \
    ru --store "$S" segment recalc M
check static 0 "Создан сегмент «H» (статич.) в базе «people»." -- \
    ru --store "$S" segment create H --db people --static
# Arguments reordered by the translation (%2$s ... %1$<PRIu64>).
check add-reordered 1 "reseg: нет профиля с ключом 'zz'
В сегмент «H» добавлено 2 профиля (уже входили: 0, неизвестных: 1)." -- \
    ru --store "$S" segment add H a@x b@x zz
check bad-range 2 "reseg: диапазон '80-20': начало должно быть меньше конца
Использование:
  reseg segment create NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]..." -- \
    ru --store "$S" segment create X --db people --range 80-20
check script-error 2 "reseg: условия: строка 1, столбец 7: после '=' ожидалось значение, найдено: конец скрипта
Использование:
  reseg segment create NAME --db DB [--static] [--where SCRIPT | --where-file F] [--range A-B] [--limit N] [--schedule TEXT] [--tag T]... [--group G]..." -- \
    ru --store "$S" segment create X --db people --where 'city ='
# Machine-readable output stays untranslated.
ru --store "$S" segment list --json >"$TMP/json" 2>&1 ||
    bad "segment list --json failed"
grep -q '"scheduled"' "$TMP/json" || bad "--json lost the kind 'scheduled'"
grep -q 'обновл' "$TMP/json" && bad "--json output is translated"

# 5. The terminal UI in Russian, headless (HACKING, "Screen tests"): the
# whole list screen, header, kinds, states, count and key bar.
LANGUAGE=ru LC_ALL=ru_RU.UTF-8 RESEG_LOCALEDIR=$TMP/locale
export LANGUAGE LC_ALL RESEG_LOCALEDIR
"$RESEG" --store "$TMP/store" demo --profiles 2000 >/dev/null || bad "demo"
printf 'dump %s\n' "$TMP/ru-list" >"$TMP/ru-script"
(cd "$TMP" && RESEG_UI_SCRIPT=ru-script "$RESEG" --store store) ||
    bad "the UI failed in Russian"
cat >"$TMP/ru-list.want" <<'EOF'
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
if ! cmp -s "$TMP/ru-list.want" "$TMP/ru-list"; then
	bad "the list screen in Russian differs (- expected, + shown):"
	diff -u "$TMP/ru-list.want" "$TMP/ru-list" | tail -n +3
fi

exit $fail
