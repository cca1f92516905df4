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

# 10. Standard input without --format: the first byte that is not a blank
# tells ('{': JSON Lines, else CSV); export names tell the format as
# import names do, and a name that does not is refused.
printf '\n  {"email":"j1@x","age":31,"city":"Moscow"}\n\n{"email":"j2@x","age":20}\n' >"$tmp/in.jsonl"
stdin=$tmp/in.jsonl run db import a -
expect 0 <<'EOF'
a: 2 rows: 2 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
printf 'email,age\nc1@x,40\nc2@x,x\n' >"$tmp/in.csv"
stdin=$tmp/in.csv run db import a -
expect 1 </dev/null
expect_err <<'EOF'
stdin:3: age: expected an integer, found 'x'
reseg: import into database 'a' refused (1 error); nothing was changed
EOF
printf '\n{"email":"j3@x","age":"x"}\n' >"$tmp/bad.jsonl"
stdin=$tmp/bad.jsonl run db import a -
expect 1 </dev/null
expect_err <<'EOF'
stdin:2: age: expected an integer, found 'x'
reseg: import into database 'a' refused (1 error); nothing was changed
EOF
stdin=/dev/null run db import a -
expect 1 </dev/null
expect_err <<'EOF'
stdin: the file is empty: a CSV file starts with a header row of field names
reseg: import into database 'a' refused (1 error); nothing was changed
EOF
run db import a "$tmp/in.txt"
expect 2 </dev/null
expect_err <<EOF
reseg: cannot tell the format of '$tmp/in.txt' from its name (.csv, .jsonl, .ndjson or .json); use --format
Usage:
  reseg db import NAME FILE|- [--format csv|jsonl] [--reject-file F] [--replace]
EOF
# A pipe or a device is read like standard input, and written as CSV.
printf '%s\n' '{"email":"j1@x","age":31,"city":"Moscow"}' >"$tmp/dev.jsonl"
name="db import a /dev/stdin (a pipe)"
cat "$tmp/dev.jsonl" | "$RESEG" --store "$S" db import a /dev/stdin \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
expect 0 <<'EOF'
a: 1 row: 0 inserted, 0 updated, 1 unchanged, 0 rejected
EOF
run db export a -o /dev/null
expect 0 <<'EOF'
Exported 2 profiles of database 'a' to /dev/null.
EOF
run db import a "$tmp/in.csv" --format xml
expect 2 </dev/null
expect_err <<'EOF'
reseg: unknown format 'xml' (use csv or jsonl)
Usage:
  reseg db import NAME FILE|- [--format csv|jsonl] [--reject-file F] [--replace]
EOF
for f in x.json x.JSONL x.ndjson x.csv; do
	run db export a -o "$tmp/$f"
	expect 0 <<EOF
Exported 2 profiles of database 'a' to $tmp/$f.
EOF
done
printf '%s\n' '{"email":"j1@x","age":31,"city":"Moscow"}' \
    '{"email":"j2@x","age":20,"city":null}' >"$tmp/want"
same_files "$tmp/want" "$tmp/x.json" "export to x.json"
same_files "$tmp/want" "$tmp/x.JSONL" "export to x.JSONL"
same_files "$tmp/want" "$tmp/x.ndjson" "export to x.ndjson"
printf 'email,age,city\nj1@x,31,Moscow\nj2@x,20,\n' >"$tmp/want"
same_files "$tmp/want" "$tmp/x.csv" "export to x.csv"
run db export a -o "$tmp/x.txt"
expect 2 </dev/null
expect_err <<EOF
reseg: cannot tell the format of '$tmp/x.txt' from its name (.csv, .jsonl, .ndjson or .json); use --format
Usage:
  reseg db export NAME [--format csv|jsonl] [-o FILE]
EOF
[ -e "$tmp/x.txt" ] && { echo "FAIL: x.txt written"; fail=1; }
run db export a -o "$tmp/x.txt" --format jsonl
expect 0 <<EOF
Exported 2 profiles of database 'a' to $tmp/x.txt.
EOF
same_files "$tmp/x.json" "$tmp/x.txt" "--format over the name"
run db export a -o -
expect 0 <"$tmp/x.csv"
r segment create everyone --db a >/dev/null
r segment recalc everyone >/dev/null
run segment export everyone -o "$tmp/s.json"
expect 0 <<EOF
Exported 2 profiles of segment 'everyone' to $tmp/s.json.
EOF
same_files "$tmp/x.json" "$tmp/s.json" "segment export to s.json"
run segment export everyone -o "$tmp/s"
expect 2 </dev/null
expect_err <<EOF
reseg: cannot tell the format of '$tmp/s' from its name (.csv, .jsonl, .ndjson or .json); use --format
Usage:
  reseg segment export NAME [--format csv|jsonl] [-o FILE]
EOF
# segment test reads its cases the same way.
printf 'name: adults\ndatabase: a\nwhere:\n    age >= 30\n' >"$tmp/adults.seg"
printf '\n{"email":"t1","age":30,"expect":"in"}\n{"email":"t2","age":29,"expect":"out"}\n' >"$tmp/cases"
stdin=$tmp/cases run segment test "$tmp/adults.seg" -
expect 0 <<'EOF'
ok    stdin:2: t1 is in
ok    stdin:3: t2 is out
2 cases: 2 passed, 0 failed.
EOF
printf 'email,age,expect\nt1,30,in\nt2,29,in\n' >"$tmp/cases"
stdin=$tmp/cases run segment test "$tmp/adults.seg" -
expect 1 <<'EOF'
ok    stdin:2: t1 is in
FAIL  stdin:3: t2 is out, expected in
2 cases: 1 passed, 1 failed.
EOF
run segment test "$tmp/adults.seg" "$tmp/cases"
expect 2 </dev/null
expect_err <<EOF
reseg: cannot tell the format of '$tmp/cases' from its name (.csv, .jsonl, .ndjson or .json); use --format
Usage:
  reseg segment test FILE CASES [--format csv|jsonl]
EOF
run segment test "$tmp/adults.seg" "$tmp/cases" --format csv
expect 1 <<EOF
ok    $tmp/cases:2: t1 is in
FAIL  $tmp/cases:3: t2 is out, expected in
2 cases: 1 passed, 1 failed.
EOF
# events import: the same sniffing.
r db create shop --fields 'email:string' --event-fields 'sku:string' >/dev/null
printf 'email\ne1\n' | r db import shop - >/dev/null
# A JSON member's name in a row's error (it was read after its object
# was freed).
printf '{"email":"e2","event":"view","time":"2026-11-01T10:00:00Z"}\n' >"$tmp/ev"
stdin=$tmp/ev run events import shop -
expect 1 </dev/null
expect_err <<'EOF'
stdin:1: email: no profile with key 'e2'
reseg: events import into database 'shop' refused (1 error); nothing was changed
EOF
printf '{"email":"e1","event":"view","time":"2026-11-01T10:00:00Z","sku":"A"}\n' >"$tmp/ev"
stdin=$tmp/ev run events import shop -
expect 0 <<'EOF'
shop: 1 row: 1 imported, 0 duplicates, 0 rejected
EOF
printf 'email,event,time,sku\ne1,buy,2026-11-02T10:00:00Z,A\n' >"$tmp/ev"
stdin=$tmp/ev run events import shop -
expect 0 <<'EOF'
shop: 1 row: 1 imported, 0 duplicates, 0 rejected
EOF

# 11. Run hooks: the JSON on stdin is one line of JSON Lines; hooks.log
# names the hook, its segment and run, and the time on every line; the
# result of a recalc is out before the hooks run, and a hook's
# background children are not waited for.
r segment hook everyone --set "cat >>'$tmp/runs.jsonl'" >/dev/null
run segment recalc everyone
expect 0 <<'EOF'
Recalculated segment 'everyone' (run 2): added 0, removed 0, total 2.
EOF
run segment recalc everyone
cat >"$tmp/want" <<EOF
{"store":"$S","segment":"everyone","segment_id":4,"database":"a","run":{"id":2,"type":"Manual","initiator":"$(id -un)","started_at":"2026-11-28T12:00:00Z","ended_at":"2026-11-28T12:00:00Z","added":0,"removed":0,"total":2,"status":"Completed","error":null}}
{"store":"$S","segment":"everyone","segment_id":4,"database":"a","run":{"id":3,"type":"Manual","initiator":"$(id -un)","started_at":"2026-11-28T12:00:00Z","ended_at":"2026-11-28T12:00:00Z","added":0,"removed":0,"total":2,"status":"Completed","error":null}}
EOF
same_files "$tmp/want" "$tmp/runs.jsonl" "hook input as JSON Lines"
r hook --set 'echo hi; echo there >&2; exit 4' >/dev/null
run segment recalc everyone
expect 0 <<'EOF'
Recalculated segment 'everyone' (run 4): added 0, removed 0, total 2.
EOF
r segment hook everyone --set 'exit 3' >/dev/null
r hook --clear >/dev/null
run segment recalc everyone
cat >"$tmp/want" <<'EOF'
2026-11-28T12:00:00Z store-wide hook (segment 'everyone', run 4) output: hi
2026-11-28T12:00:00Z store-wide hook (segment 'everyone', run 4) output: there
2026-11-28T12:00:00Z store-wide hook (segment 'everyone', run 4): 'echo hi; echo there >&2; exit 4' exited with status 4
2026-11-28T12:00:00Z hook of segment 'everyone' (run 5): 'exit 3' exited with status 3
EOF
same_files "$tmp/want" "$S/hooks.log" "hooks.log"
# The result line is written before the hook (which sleeps first) ends.
r segment hook everyone --set "sleep 2; echo hook >>'$tmp/order'" >/dev/null
"$RESEG" --store "$S" segment recalc everyone |
    { read -r line; echo "$line" >>"$tmp/order"; cat >/dev/null; }
cat >"$tmp/want" <<'EOF'
Recalculated segment 'everyone' (run 6): added 0, removed 0, total 2.
hook
EOF
same_files "$tmp/want" "$tmp/order" "the result before the hook"
# A child left running in the background (holding the hook's output
# open) is not waited for: the recalc ends with the hook's own process.
r segment hook everyone --set '(sleep 20; echo late) &' >/dev/null
t0=$(date +%s)
run segment recalc everyone
t1=$(date +%s)
expect 0 <<'EOF'
Recalculated segment 'everyone' (run 7): added 0, removed 0, total 2.
EOF
[ $((t1 - t0)) -lt 10 ] ||
    { echo "FAIL: recalc waited $((t1 - t0)) s for a background child"; fail=1; }

# 12. hooks.log is a store file: created 0600 whatever the umask.
rm -f "$S/hooks.log"
r segment hook everyone --set 'echo logged' >/dev/null
(umask 0; r segment recalc everyone >/dev/null)
check "hooks.log mode" 0 "600" -- stat -c %a "$S/hooks.log"

exit $fail
