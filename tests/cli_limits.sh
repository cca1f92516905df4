#!/bin/sh
# Size limits (README, "Limits"): keys, event_ids, names and string values
# over them are refused where they arrive, with the place named, and
# never reach LMDB (whose own refusal is MDB_BAD_VALSIZE for the whole
# import).
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-limits-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

# rep CHAR N: CHAR repeated N times.
rep() { awk -v c="$1" -v n="$2" 'BEGIN { s = ""; while (n-- > 0) s = s c; print s }'; }

k507=$(rep b 507)
k508=$(rep a 508)
n255=$(rep n 255)
n256=$(rep n 256)
n600=$(rep m 600)
v65535=$(rep v 65535)
v65536=$(rep v 65536)

r db create people --fields 'email:string,name:string,tags:tags' >/dev/null ||
    exit 1
r db create shop --fields 'email:string' --event-fields 'sku:string' \
    >/dev/null || exit 1
printf 'email\nx@y\n' >"$tmp/shop.csv"
r db import shop "$tmp/shop.csv" >/dev/null || exit 1

# A key of 507 bytes is taken, one of 508 is a bad value of its line.
printf 'email,name,tags\nx@y,ok,\n%s,long,\n%s,fine,%s\n' "$k508" "$k507" \
    "$v65535" >"$tmp/p.csv"
run db import people "$tmp/p.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/p.csv:3: email: the key is 508 bytes long; the limit is 507 bytes
reseg: import into database 'people' refused (1 error); nothing was changed
EOF
run db show people
grep -q '^Profiles: *0$' "$tmp/out" || {
	echo "FAIL: the refused import changed the store"; cat "$tmp/out"
	fail=1
}
run db import people "$tmp/p.csv" --reject-file "$tmp/rej.jsonl"
expect 0 <<'EOF'
people: 3 rows: 2 inserted, 0 updated, 0 unchanged, 1 rejected
EOF
expect_err <<EOF
people: 1 rejected row written to $tmp/rej.jsonl
EOF
printf '{"line":3,"reason":"email: the key is 508 bytes long; the limit is 507 bytes","record":"%s,long,"}\n' \
    "$k508" >"$tmp/want-rej"
cmp -s "$tmp/want-rej" "$tmp/rej.jsonl" || {
	echo "FAIL: the reject file differs"; fail=1
}
run db export people
expect 0 <<EOF
email,name,tags
x@y,ok,
$k507,fine,$v65535
EOF

# JSON Lines the same; string values and tags over 65535 bytes.
printf '{"email":"%s"}\n{"email":"q@y","name":"%s"}\n{"email":"t@y","tags":["%s"]}\n' \
    "$k508" "$v65536" "$v65536" >"$tmp/p.jsonl"
run db import people "$tmp/p.jsonl"
expect 1 </dev/null
expect_err <<EOF
$tmp/p.jsonl:1: email: the key is 508 bytes long; the limit is 507 bytes
$tmp/p.jsonl:2: name: the value is 65536 bytes long; the limit is 65535 bytes
$tmp/p.jsonl:3: tags: a tag is 65536 bytes long; the limit is 65535 bytes
reseg: import into database 'people' refused (3 errors); nothing was changed
EOF

# Events: the key, the event name and the event_id.
printf 'key,event,time,event_id,sku\nx@y,buy,2026-01-01T00:00:00Z,%s,a\nx@y,%s,2026-01-01T00:00:00Z,,a\n%s,buy,2026-01-01T00:00:00Z,,a\nx@y,buy,2026-01-01T00:00:00Z,,%s\nx@y,%s,2026-01-02T00:00:00Z,%s,a\n' \
    "$k508" "$n256" "$k508" "$v65536" "$n255" "$k507" >"$tmp/e.csv"
run events import shop "$tmp/e.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/e.csv:2: event_id: the event_id is 508 bytes long; the limit is 507 bytes
$tmp/e.csv:3: event: the event name is 256 bytes long; the limit is 255 bytes
$tmp/e.csv:4: key: the key is 508 bytes long; the limit is 507 bytes
$tmp/e.csv:5: sku: the value is 65536 bytes long; the limit is 65535 bytes
reseg: events import into database 'shop' refused (4 errors); nothing was changed
EOF
run events import shop "$tmp/e.csv" --reject-file "$tmp/erej.jsonl"
expect 0 <<'EOF'
shop: 5 rows: 1 imported, 0 duplicates, 4 rejected
EOF

# Names: databases, segments (create, rename, load) and objects.
run db create "$n256" --fields 'email:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: the profile database name is 256 bytes long; the limit is 255 bytes
EOF
run db create "$n600" --fields 'email:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: the profile database name is 600 bytes long; the limit is 255 bytes
EOF
run db create "$n255" --fields 'email:string'
expect 0 <<EOF
Created database '$n255' with 1 field, key 'email'.
EOF
run segment create "$n600" --db people --where 'name = "x"'
expect 1 </dev/null
expect_err <<'EOF'
reseg: the segment name is 600 bytes long; the limit is 255 bytes
EOF
run segment create s1 --db people --where 'name = "x"'
expect 0 <<'EOF'
Created scheduled segment 's1' on database 'people'.
EOF
run segment edit s1 --name "$n256"
expect 1 </dev/null
expect_err <<'EOF'
reseg: the segment name is 256 bytes long; the limit is 255 bytes
EOF
r segment dump s1 | sed "s/^name: s1\$/name: $n600/" >"$tmp/long.seg"
run segment load "$tmp/long.seg"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/long.seg: the segment name is 600 bytes long; the limit is 255 bytes
EOF
run segment show "$n600"
expect 1 </dev/null
expect_err <<EOF
reseg: there is no segment '$n600'
EOF
run object add mailing "$n256" --segment s1
expect 1 </dev/null
expect_err <<'EOF'
reseg: the object name is 256 bytes long; the limit is 255 bytes
EOF

# segment test's cases: the same limits, with the case's place.
r segment dump s1 >"$tmp/s1.seg"
printf '{"email":"%s","expect":"out"}\n' "$k508" >"$tmp/c1.jsonl"
run segment test "$tmp/s1.seg" "$tmp/c1.jsonl"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/c1.jsonl:1: email: the key is 508 bytes long; the limit is 507 bytes
EOF
r segment create s3 --db shop --where 'email = "x@y"' >/dev/null || exit 1
r segment dump s3 >"$tmp/s3.seg"
printf '{"email":"a@y","expect":"out","events":[{"event":"%s","time":"2026-01-01T00:00:00Z"}]}\n{"email":"b@y","expect":"out","events":[{"event":"buy","time":"2026-01-01T00:00:00Z","event_id":"%s"}]}\n' \
    "$n256" "$k508" >"$tmp/c3.jsonl"
run segment test "$tmp/s3.seg" "$tmp/c3.jsonl"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/c3.jsonl:1: events[0].event: the event name is 256 bytes long; the limit is 255 bytes
EOF
sed 1d "$tmp/c3.jsonl" >"$tmp/c4.jsonl"
run segment test "$tmp/s3.seg" "$tmp/c4.jsonl"
expect 1 </dev/null
expect_err <<EOF
reseg: $tmp/c4.jsonl:1: events[0].event_id: the event_id is 508 bytes long; the limit is 507 bytes
EOF

# A directory given as an input file is said to be one (it reads as an
# empty file otherwise).
mkdir "$tmp/dir" "$tmp/dir.csv"
run db import people "$tmp/dir"
expect 1 </dev/null
expect_err <<EOF
reseg: cannot open $tmp/dir: it is a directory, not a file
EOF
run db import people "$tmp/dir.csv"
expect 1 </dev/null
expect_err <<EOF
reseg: cannot open $tmp/dir.csv: it is a directory, not a file
EOF
run events import shop "$tmp/dir" --format csv
expect 1 </dev/null
expect_err <<EOF
reseg: cannot open $tmp/dir: it is a directory, not a file
EOF
run segment load "$tmp/dir"
expect 1 </dev/null
expect_err <<EOF
reseg: cannot open '$tmp/dir': it is a directory, not a file
EOF
run segment create s2 --db people --where-file "$tmp/dir"
expect 1 </dev/null
expect_err <<EOF
reseg: cannot open '$tmp/dir': it is a directory, not a file
EOF

exit $fail
