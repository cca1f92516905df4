#!/bin/sh
# Issue 13, items 9-11: the `where:` text as written survives dump and
# load; formats sniffed from stdin and inferred from output names; the
# hook's stdin and hooks.log.  Exact outputs and exit codes.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-text-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

same_files() {
	if ! cmp -s "$1" "$2"; then
		echo "FAIL: $3: $1 and $2 differ"; diff "$1" "$2"; fail=1
	fi
}

r db create a --fields 'email:string,age:int,city:string' >/dev/null
r segment create vips --db a --static >/dev/null

# 9. The script under where: is kept as written: comments, line breaks
# and blank lines; show, script and why use the tree.
cat >"$tmp/buyers.seg" <<'EOF'
# reseg segment
name: buyers
database: a
kind: scheduled
state: active
tags:
groups:
range: 0-100
limit: none
schedule: none
where:
    # grown-ups in Moscow
    city = "Moscow"
        and age >= 30   # counted in years

    # and the VIPs
    or in segment "vips"
EOF
run segment load "$tmp/buyers.seg"
expect 0 <<'EOF'
Created segment 'buyers'.
EOF
run segment dump buyers
same_files "$tmp/buyers.seg" "$tmp/out" "dump after load"
run segment script buyers
expect 0 <<'EOF'
(city = "Moscow" and `age` >= 30) or in segment "vips"
EOF
run segment show buyers
grep -A1 '^Conditions:' "$tmp/out" >"$tmp/cond"
printf '%s\n' 'Conditions:' \
    '  (city = "Moscow" and `age` >= 30) or in segment "vips"' >"$tmp/want"
same_files "$tmp/want" "$tmp/cond" "show uses the tree"
# Loading the dump again changes nothing; a tab indent, trailing blanks,
# CRLF and blank lines around the script are not part of the text.
run segment load "$tmp/buyers.seg"
expect 0 <<'EOF'
Updated segment 'buyers'.
EOF
run segment dump buyers
same_files "$tmp/buyers.seg" "$tmp/out" "dump after a second load"
{ sed -n '1,11p' "$tmp/buyers.seg"; printf '\n'
  sed -n '12,$p' "$tmp/buyers.seg" | sed 's/^    /\t/; s/$/  \r/'
  printf '\n\n'; } >"$tmp/tabs.seg"
run segment load "$tmp/tabs.seg"
run segment dump buyers
same_files "$tmp/buyers.seg" "$tmp/out" "tabs, blanks and CRLF"
# Other edits keep the text while the conditions stay the same.
run segment edit buyers --range 0-50 --where 'city="Moscow" and age>=30 or in segment "vips"'
sed 's/^range: 0-100$/range: 0-50/' "$tmp/buyers.seg" >"$tmp/want"
run segment dump buyers
same_files "$tmp/want" "$tmp/out" "an edit of the range"
# A renamed segment is renamed in the text too.
run segment edit vips --name 'VIP people'
sed 's/^range: 0-100$/range: 0-50/; s/"vips"/"VIP people"/' \
    "$tmp/buyers.seg" >"$tmp/want"
run segment dump buyers
same_files "$tmp/want" "$tmp/out" "a rename of the segment used"
# Other conditions replace the text by the canonical script.
run segment edit buyers --where 'city = "Paris"  # just Paris'
run segment dump buyers
tail -2 "$tmp/out" >"$tmp/tail"
printf '%s\n' 'where:' '    city = "Paris"' >"$tmp/want"
same_files "$tmp/want" "$tmp/tail" "--where replaces the text"
# Comments alone (every profile) are kept too; a file without a script
# leaves none behind.
printf 'name: all\ndatabase: a\nwhere:\n    # everyone, for now\n' >"$tmp/all.seg"
run segment load "$tmp/all.seg"
run segment dump all
tail -2 "$tmp/out" >"$tmp/tail"
printf '%s\n' 'where:' '    # everyone, for now' >"$tmp/want"
same_files "$tmp/want" "$tmp/tail" "comments alone"
printf 'name: all\ndatabase: a\nwhere:\n' >"$tmp/all.seg"
run segment load "$tmp/all.seg"
run segment dump all
tail -1 "$tmp/out" >"$tmp/tail"
printf '%s\n' 'where:' >"$tmp/want"
same_files "$tmp/want" "$tmp/tail" "no script"

exit $fail
