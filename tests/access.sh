#!/bin/sh
# Access groups (README, "Dependent objects and access groups") with real Unix users and groups made here: a
# user in none of a segment's groups neither sees it nor acts on it; a
# member does; root and the store's owner see everything.  Needs root
# (useradd, groupadd, setpriv); skipped (77) otherwise.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
[ "$(id -u)" = 0 ] || { echo "SKIP: not root"; exit 77; }
for t in useradd groupadd userdel groupdel setpriv; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-access-XXXXXX")
sfx=$$
G=rsg_g$sfx
G2=rsg_h$sfx
G3=rsg_k$sfx
G2x=rsg_x$sfx
UIN=rsg_in$sfx
UOUT=rsg_out$sfx
UOWN=rsg_own$sfx
cleanup() {
	for u in $UIN $UOUT $UOWN; do userdel "$u" 2>/dev/null; done
	for g in $G $G2 $G3; do groupdel "$g" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
groupadd "$G" && groupadd "$G2" &&
useradd -M -N -g users -G "$G" "$UIN" &&
useradd -M -N -g users "$UOUT" &&
useradd -M -N -g users "$UOWN" || { echo "FAIL: cannot create users"; exit 1; }
chmod 755 "$tmp"
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0

. "$top_srcdir/tests/access_lib.sh"

refused() {
	if [ "$rc" != 1 ] || [ "$(cat "$tmp/err")" != "reseg: $1" ]; then
		echo "FAIL: $what: exit $rc, stderr: $(cat "$tmp/err")"
		echo "  want: reseg: $1"; fail=1
	fi
}

printf 'email,age\na@x,30\nb@x,40\n' >"$tmp/a.csv"
as root db create a --fields 'email:string,age:int'
as root db import a "$tmp/a.csv"
as root segment create open --db a --where 'age > 1' --range 0-50
as root segment create secret --db a --where 'age > 35' --group "$G" --range 40-60
as root segment create hidden --db a --where 'age > 1' --group "$G2" --range 50-100
as root segment create box --db a --static --group "$G"
for s in open secret hidden; do as root segment recalc $s; done
as root object add mailing News --segment secret --segment hidden --segment open
# Everybody may open this store; only groups decide what they see.
chmod 777 "$S"
chmod 666 "$S"/*.mdb

# A member of G: sees open and secret, never hidden.
as $UIN db ranges a
ok <<'EOF'
SLICE (%)  SEGMENTS
0-40       open
40-50      open, secret  OVERLAP
50-60      secret
60-100     (free)
1 overlapping slice.
EOF
as $UIN segment dump secret
[ "$rc" = 0 ] || { echo "FAIL: $what"; fail=1; }
as $UIN segment dump hidden
refused "there is no segment 'hidden'"
as $UIN segment copy hidden --to-segment box
refused "there is no segment 'hidden'"
as $UIN segment copy secret --to-segment box
ok <<'EOF'
Copied segment 'secret' into segment 'box': 1 added, 0 already there.
EOF
as $UIN object add mailing M --segment hidden
refused "there is no segment 'hidden'"
as $UIN segment clone hidden mine
refused "there is no segment 'hidden'"
as $UIN segment update hidden --set age=1
refused "there is no segment 'hidden'"
as $UIN hook --set true
refused "only root and the owner of the store may change or see the store-wide hook"

# Not in any group: sees only the segment without groups.
as $UOUT db ranges a
ok <<'EOF'
SLICE (%)  SEGMENTS
0-50       open
50-100     (free)
0 overlapping slices.
EOF
as $UOUT segment dump secret
refused "there is no segment 'secret'"
as $UOUT segment copy open --to-segment box
refused "there is no segment 'box'"
as $UOUT scenario add-profiles X --segment secret
refused "there is no scenario 'X'"
# Saving a definition neither confirms a hidden segment ("already
# exists") nor contradicts "there is no segment": its name is simply not
# available, and a new "in segment" cannot read it.
as $UOUT segment create secret --db a
refused "the segment name 'secret' is not available"
as $UOUT segment clone open secret
refused "the segment name 'secret' is not available"
as $UOUT segment edit open --name secret
refused "the segment name 'secret' is not available"
printf 'name: secret\ndatabase: a\nkind: static\n' >"$tmp/secret.seg"
chmod 644 "$tmp/secret.seg"
as $UOUT segment load "$tmp/secret.seg"
refused "$tmp/secret.seg: the segment name 'secret' is not available"
as $UOUT segment create peek --db a --where 'in segment "secret"'
refused "segment 'peek': line 1, column 1: unknown segment 'secret'"
as $UOUT segment create open --db a
refused "a segment named 'open' already exists"
as $UIN segment create peek --db a --where 'in segment "secret"' --group "$G"
ok <<'EOF'
Created scheduled segment 'peek' on database 'a'.
EOF
as $UIN segment delete peek
[ "$rc" = 0 ] || { echo "FAIL: $what: exit $rc"; fail=1; }

# Lists show only what the caller may see.
as $UIN segment list
ok <<'EOF'
NAME    KIND       DATABASE  STATE   PROFILES  LAST RUN              NEXT RUN  TAGS
box     static     a         -              1  2026-11-28T12:00:00Z  -
open    scheduled  a         active         1  2026-11-28T12:00:00Z  -
secret  scheduled  a         active         1  2026-11-28T12:00:00Z  -
EOF
as $UOUT segment list --json
python3 -c 'import json,sys; print(" ".join(s["name"] for s in json.load(sys.stdin)))' \
    <"$tmp/out" >"$tmp/names"
[ "$(cat "$tmp/names")" = open ] ||
    { echo "FAIL: $what: lists $(cat "$tmp/names")"; fail=1; }
as $UIN object list
ok <<'EOF'
TYPE     NAME  PROFILES  SEGMENTS
mailing  News  -         secret, open
EOF
as $UOUT object list
ok <<'EOF'
TYPE     NAME  PROFILES  SEGMENTS
mailing  News  -         open
EOF
as $UIN segment show secret
[ "$rc" = 0 ] || { echo "FAIL: $what: exit $rc"; fail=1; }
as $UIN segment show open
grep -qx "Used by:    mailing 'News'" "$tmp/out" ||
    { echo "FAIL: $what: $(cat "$tmp/out")"; fail=1; }

# Every command on a segment outside one's groups: as if it did not exist.
# (Commands as root would set the store's modes back to 0600.)
as $UIN segment dump secret
cp "$tmp/out" "$tmp/secret.before"
for cmd in "show secret" "script secret" "edit secret --tag x" \
    "delete secret" "delete secret --force" "recalc secret" \
    "recalc secret --dry-run" "why secret a@x" "members secret" \
    "log secret" "history secret" "start secret" "stop secret" \
    "export secret" "export-history secret" "hook secret" \
    "hook secret --set true" "dump secret" "clone secret c2" \
    "update secret --set age=1" "copy secret --to-segment box" \
    "copy secret --to-db a"; do
	# shellcheck disable=SC2086
	as $UOUT segment $cmd
	refused "there is no segment 'secret'"
done
for cmd in "add box a@x" "remove box b@x" "members box"; do
	# shellcheck disable=SC2086
	as $UOUT segment $cmd
	refused "there is no segment 'box'"
done
as $UIN segment delete hidden --force
refused "there is no segment 'hidden'"
as $UIN segment recalc hidden
refused "there is no segment 'hidden'"
as $UIN segment dump secret
cmp -s "$tmp/out" "$tmp/secret.before" || { echo "FAIL: secret changed"; fail=1; }
as $UIN segment log secret
[ "$(grep -c Completed "$tmp/out")" = 1 ] ||
    { echo "FAIL: secret has new runs"; cat "$tmp/out"; fail=1; }
as $UIN segment members box
ok <<'EOF'
b@x
EOF
# A member of the groups acts on it.
as $UIN segment recalc secret
ok <<'EOF'
Recalculated segment 'secret' (run 2): added 0, removed 0, total 1.
EOF

# The store's owner and root see everything.
chown -R "$UOWN" "$S"
as $UOWN db ranges a
ok <<'EOF'
SLICE (%)  SEGMENTS
0-40       open
40-50      open, secret  OVERLAP
50-60      hidden, secret  OVERLAP
60-100     hidden
2 overlapping slices.
EOF
as root segment dump hidden
[ "$rc" = 0 ] || { echo "FAIL: root cannot see hidden"; fail=1; }

# A group must exist when it is added; one deleted from the system later
# does not lock the segment.
groupadd "$G3" || { echo "FAIL: groupadd"; fail=1; }
as root segment create gone --db a --static --group "$G3"
[ "$rc" = 0 ] || { echo "FAIL: $what: exit $rc"; cat "$tmp/err"; fail=1; }
groupdel "$G3"
as root segment edit gone --tag kept
ok <<'EOF'
Updated segment 'gone'.
EOF
as root segment edit gone --group "$G" --group "$G3"
ok <<'EOF'
Updated segment 'gone'.
EOF
as root segment edit gone --group "$G2x"
refused "segment 'gone': there is no Unix group '$G2x'"
as root segment create typo --db a --group "${G}x"
refused "segment 'typo': there is no Unix group '${G}x'"
exit $fail
