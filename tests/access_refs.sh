#!/bin/sh
# Access groups and what other segments reveal (README, "Dependent
# objects and access groups"): an "in segment" of a segment the caller
# cannot see fails every manual run (recalc, dry run, why, segment test)
# exactly as a deleted one, even when saved before; segment delete and
# db drop count the users the caller cannot see instead of naming them.
# Real Unix users and groups made here; needs root (skipped, 77, without).
set -u
: "${RESEG:?}" "${top_srcdir:?}"
[ "$(id -u)" = 0 ] || { echo "SKIP: not root"; exit 77; }
for t in useradd groupadd userdel groupdel setpriv; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-accref-XXXXXX")
sfx=$$
G=rsg_rg$sfx
UIN=rsg_rin$sfx
UOUT=rsg_rout$sfx
cleanup() {
	for u in $UIN $UOUT; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
groupadd "$G" &&
useradd -M -N -g users -G "$G" "$UIN" &&
useradd -M -N -g users "$UOUT" || { echo "FAIL: cannot create users"; exit 1; }
chmod 755 "$tmp"
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0

. "$top_srcdir/tests/access_lib.sh"

# refused CODE MESSAGE: exit CODE, stderr exactly "reseg: MESSAGE".
refused() {
	if [ "$rc" != "$1" ] || [ "$(cat "$tmp/err")" != "reseg: $2" ]; then
		echo "FAIL: $what: exit $rc, stderr: $(cat "$tmp/err")"
		echo "  want: exit $1, reseg: $2"; fail=1
	fi
}

printf 'email,age\na@x,30\nb@x,40\nc@x,50\n' >"$tmp/a.csv"
as root db create a --fields 'email:string,age:int'
as root db import a "$tmp/a.csv"
as root segment create secret --db a --where 'age > 35' --group "$G"
as root segment recalc secret
# Saved before the user could be refused (here by root, who sees all):
# public segments reading a segment of group G.
as root segment create peek --db a --where 'in segment "secret"'
as root segment create peek2 --db a --where 'in segment "secret" and age < 45'
as root segment create gone --db a --where 'age > 1'
as root segment recalc gone
as root segment create orphan --db a --where 'in segment "gone"'
as root segment delete gone --force --yes
as root segment create base --db a --where 'age > 1'
as root segment recalc base
as root segment create hid --db a --where 'in segment "base"' --group "$G"
as root segment create hid2 --db a --where 'in segment "base"' --group "$G"
as root object add mailing M --segment base
as root segment dump peek -o "$tmp/peek.seg"
chmod 644 "$tmp/peek.seg"
printf 'email,age,expect\nz@x,40,in\n' >"$tmp/cases.csv"
chmod 644 "$tmp/cases.csv"
chmod 777 "$S"
chmod 666 "$S"/*.mdb

# A reference saved before: every manual run of a user outside G fails
# in the words of a deleted segment ('orphan' uses one).
as $UOUT segment recalc orphan --dry-run
refused 1 "segment 'orphan': its condition uses segment 'gone', which no longer exists"
as $UOUT segment recalc peek --dry-run
refused 1 "segment 'peek': its condition uses segment 'secret', which no longer exists"
as $UOUT segment recalc orphan
refused 1 "segment 'orphan' (run 1): its condition uses segment 'gone', which no longer exists"
as $UOUT segment recalc peek
refused 1 "segment 'peek' (run 1): its condition uses segment 'secret', which no longer exists"
as $UOUT segment why orphan a@x
refused 1 "segment 'orphan': its condition uses segment 'gone', which no longer exists"
as $UOUT segment why peek b@x
refused 1 "segment 'peek': its condition uses segment 'secret', which no longer exists"
as $UOUT segment members peek
ok </dev/null
as $UOUT segment test "$tmp/peek.seg" "$tmp/cases.csv"
refused 1 "$tmp/peek.seg: segment 'peek': line 2, column 1: unknown segment 'secret'"
sed 's/"secret"/"gone"/' "$tmp/peek.seg" >"$tmp/gone.seg"
chmod 644 "$tmp/gone.seg"
as $UOUT segment test "$tmp/gone.seg" "$tmp/cases.csv"
refused 1 "$tmp/gone.seg: segment 'peek': line 2, column 1: unknown segment 'gone'"
# Their other fields stay editable, the hidden one's as the deleted one's.
as $UOUT segment edit peek2 --tag x
ok <<'EOF2'
Updated segment 'peek2'.
EOF2
as $UOUT segment edit orphan --tag x
ok <<'EOF2'
Updated segment 'orphan'.
EOF2
# The form's preview (the UI from a key script, as tests/screen do): its
# status line says the same for both.
mkdir "$tmp/ui" && chown "$UOUT" "$tmp/ui"
cat >"$tmp/ui/script" <<'EOF2'
key Down
key F4
key F9
dump orphan
key Esc
key Down
key F4
key F9
dump peek
key Esc
EOF2
(cd "$tmp/ui" && RESEG_UI_SCRIPT=script TZ=UTC LC_ALL=C.UTF-8 \
    setpriv --reuid="$UOUT" --regid=users --init-groups \
    "$RESEG" --store "$S") || { echo "FAIL: the UI as $UOUT"; fail=1; }
for f in orphan peek; do
	sed -n 1p "$tmp/ui/$f" | grep -q "^ reseg Edit segment: $f  " &&
	    [ "$(tail -n 2 "$tmp/ui/$f" | head -n 1)" = \
	    "The segment \"$(test $f = peek && echo secret || echo gone)\" used by 'in segment' does not exist." ] ||
	    { echo "FAIL: preview of $f:"; cat "$tmp/ui/$f"; fail=1; }
done
# A member of G acts for itself: the run reads secret.
as $UIN segment recalc peek2
ok <<'EOF2'
Recalculated segment 'peek2' (run 1): added 1, removed 0, total 1.
EOF2
as $UIN segment test "$tmp/peek.seg" "$tmp/cases.csv"
# (exit 1: its case failed, z@x being no member of secret)
[ "$rc" = 1 ] || { echo "FAIL: $what: exit $rc"; fail=1; }
printf 'FAIL  %s:2: z@x is out, expected in\n1 case: 0 passed, 1 failed.\n' \
    "$tmp/cases.csv" | cmp -s - "$tmp/out" ||
    { echo "FAIL: $what: $(cat "$tmp/out" "$tmp/err")"; fail=1; }

# Users one cannot see are counted, never named.
as $UOUT segment delete base
refused 1 "segment 'base' is used by mailing 'M' and 2 segments you cannot see; use --force to delete it anyway"
as $UIN segment delete base
refused 1 "segment 'base' is used by mailing 'M', segment 'hid', segment 'hid2'; use --force to delete it anyway"
as $UOUT db drop a
refused 1 "database 'a' is used by segments: 'base', 'orphan', 'peek', 'peek2' and 3 segments you cannot see; delete them first"
as $UIN db drop a
refused 1 "database 'a' is used by segments: 'base', 'hid', 'hid2', 'orphan', 'peek', 'peek2', 'secret'; delete them first"
exit $fail
