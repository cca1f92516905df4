#!/bin/sh
# db import end to end: a row changes only the fields it names (CSV
# columns, JSON members), an empty cell or null clears, --replace empties
# the rest; the summary's counts; copying a segment into a database;
# NUL characters refused by field and line; export -> import round trips.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-import-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

# imp FORMAT [ARGS...]: db import shop from the here-document.
imp() {
	fmt=$1
	shift
	cat >"$tmp/in"
	stdin=$tmp/in run db import shop - --format "$fmt" "$@"
}

run db create shop --fields 'email:string,name:string,age:int,vip:bool,tags:tags,seen:date'
expect 0 <<'EOF'
Created database 'shop' with 6 fields, key 'email'.
EOF
imp csv <<'EOF'
email,name,age,vip,tags,seen
femi@shop.example,Femi,30,true,"a,b",2026-01-02
bo@shop.example,Bo,41,false,c,2025-12-31
EOF
expect 0 <<'EOF'
shop: 2 rows: 2 inserted, 0 updated, 0 unchanged, 0 rejected
EOF

# A CSV with some of the columns: the others are kept; a new profile
# gets empty values there.  A row naming only stored values is unchanged.
imp csv <<'EOF'
email,name
femi@shop.example,Femi A.
bo@shop.example,Bo
new@shop.example,New
EOF
expect 0 <<'EOF'
shop: 3 rows: 1 inserted, 1 updated, 1 unchanged, 0 rejected
EOF
run db export shop
expect 0 <<'EOF'
email,name,age,vip,tags,seen
femi@shop.example,Femi A.,30,true,"a,b",2026-01-02
bo@shop.example,Bo,41,false,c,2025-12-31
new@shop.example,New,,,,
EOF

# An empty cell clears; the key column alone changes nothing.
imp csv <<'EOF'
seen,email,tags
,femi@shop.example,
2025-12-31,bo@shop.example,c
EOF
expect 0 <<'EOF'
shop: 2 rows: 0 inserted, 1 updated, 1 unchanged, 0 rejected
EOF
imp csv <<'EOF'
email
femi@shop.example
other@shop.example
EOF
expect 0 <<'EOF'
shop: 2 rows: 1 inserted, 0 updated, 1 unchanged, 0 rejected
EOF
run db export shop
expect 0 <<'EOF'
email,name,age,vip,tags,seen
femi@shop.example,Femi A.,30,true,,
bo@shop.example,Bo,41,false,c,2025-12-31
new@shop.example,New,,,,
other@shop.example,,,,,
EOF

# JSON Lines: each object names its own members; null clears.
imp jsonl <<'EOF'
{"email":"bo@shop.example","age":null}
{"email":"femi@shop.example","tags":["x"],"vip":true}
{"name":"Newer","email":"new@shop.example"}
{"email":"other@shop.example"}
{"email":"j@shop.example","vip":false}
EOF
expect 0 <<'EOF'
shop: 5 rows: 1 inserted, 3 updated, 1 unchanged, 0 rejected
EOF
run db export shop --format jsonl
expect 0 <<'EOF'
{"email":"femi@shop.example","name":"Femi A.","age":30,"vip":true,"tags":["x"],"seen":null}
{"email":"bo@shop.example","name":"Bo","age":null,"vip":false,"tags":["c"],"seen":"2025-12-31"}
{"email":"new@shop.example","name":"Newer","age":null,"vip":null,"tags":null,"seen":null}
{"email":"other@shop.example","name":null,"age":null,"vip":null,"tags":null,"seen":null}
{"email":"j@shop.example","name":null,"age":null,"vip":false,"tags":null,"seen":null}
EOF

# --replace: what a row does not name is emptied (CSV and JSON Lines).
imp csv --replace <<'EOF'
email,name
femi@shop.example,Femi A.
EOF
expect 0 <<'EOF'
shop: 1 row: 0 inserted, 1 updated, 0 unchanged, 0 rejected
EOF
imp jsonl --replace <<'EOF'
{"email":"bo@shop.example","age":7}
{"email":"other@shop.example"}
EOF
expect 0 <<'EOF'
shop: 2 rows: 0 inserted, 1 updated, 1 unchanged, 0 rejected
EOF
run db export shop
expect 0 <<'EOF'
email,name,age,vip,tags,seen
femi@shop.example,Femi A.,,,,
bo@shop.example,,7,,,
new@shop.example,Newer,,,,
other@shop.example,,,,,
j@shop.example,,,false,,
EOF
run events import shop - --replace
expect 2 </dev/null

# Copying a segment into a database: fields only the target has are
# kept (empty for a new profile), an empty source value clears.
run db create crm --fields 'email:string,name:string,note:string'
run db create src --fields 'email:string,name:string,age:int'
printf 'email,name,note\nbo@shop.example,Robert,call back\n' >"$tmp/crm.csv"
run db import crm "$tmp/crm.csv"
printf 'email,name,age\nbo@shop.example,,3\nzed@shop.example,Zed,4\n' >"$tmp/src.csv"
run db import src "$tmp/src.csv"
run segment create all --db src --static
stdin=/dev/null run segment add all bo@shop.example zed@shop.example
run segment copy all --to-db crm
expect 0 <<'EOF'
Copied 2 profiles of segment 'all' into database 'crm': 1 new, 1 updated, 0 unchanged.
Fields not in database 'crm', not copied: age
EOF
run db export crm
expect 0 <<'EOF'
email,name,note
bo@shop.example,,call back
zed@shop.example,Zed,
EOF

# NUL characters: refused with the line and the field, nothing imported.
run db export shop --format jsonl
cp "$tmp/out" "$tmp/before"
printf 'email,name\n\0\0evil@x.org,a\nb@x,N\0ame\n' >"$tmp/nul.csv"
run db import shop "$tmp/nul.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/nul.csv:2: email: not UTF-8 text: a NUL byte
$tmp/nul.csv:3: name: not UTF-8 text: a NUL byte
reseg: import into database 'shop' refused (2 errors); nothing was changed
EOF
cat >"$tmp/nul.jsonl" <<'EOF'
{"email":"\u0000\u0000evil@x.org"}
{"email":"b@x","name":"N\u0000ame"}
{"email":"c@x","na\u0000me":"x"}
{"email":"d@x","tags":["ok","a\u0000"]}
{"email":"e@x","name":"a\\u0000 is text"}
EOF
run db import shop "$tmp/nul.jsonl"
expect 1 </dev/null
expect_err <<EOF
$tmp/nul.jsonl:1: email: the value holds a NUL character (\\u0000)
$tmp/nul.jsonl:2: name: the value holds a NUL character (\\u0000)
$tmp/nul.jsonl:3: member 2: its name holds a NUL character (\\u0000)
$tmp/nul.jsonl:4: tags: the value holds a NUL character (\\u0000)
reseg: import into database 'shop' refused (4 errors); nothing was changed
EOF
printf 'email\0x,name\na,b\n' >"$tmp/nulhead.csv"
run db import shop "$tmp/nulhead.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/nulhead.csv:1: field 1: not UTF-8 text: a NUL byte
reseg: import into database 'shop' refused (1 error); nothing was changed
EOF
run db export shop --format jsonl
if ! cmp -s "$tmp/before" "$tmp/out"; then
	echo "FAIL: a refused import changed the store"; fail=1
fi
run db import shop "$tmp/nul.jsonl" --reject-file "$tmp/rej"
expect 0 <<'EOF'
shop: 5 rows: 1 inserted, 0 updated, 0 unchanged, 4 rejected
EOF
run db export shop --format jsonl
tail -n 1 "$tmp/out" >"$tmp/last"
cp "$tmp/last" "$tmp/out"
name="the escaped backslash is text"
expect 0 <<'EOF'
{"email":"e@x","name":"a\\u0000 is text","age":null,"vip":null,"tags":null,"seen":null}
EOF

# Export -> import into an empty database -> export: the same bytes.
imp jsonl <<'EOF'
{"email":"q@x","name":"Smith, \"Bob\"\nsecond line\r\ttab","tags":["x y","c\"d","\u00e9"]}
{"email":"\u00e9t\u00e9@x","name":"\u4e2d\u6587 \ud83d\ude00","age":-9223372036854775808}
{"email":"=1+2@x","name":"","tags":[]}
EOF
expect 0 <<'EOF'
shop: 3 rows: 3 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
for fmt in csv jsonl; do
	run db export shop --format "$fmt" -o "$tmp/one.$fmt"
	run db drop copy --yes
	run db create copy --fields 'email:string,name:string,age:int,vip:bool,tags:tags,seen:date'
	run db import copy "$tmp/one.$fmt"
	expect 0 <<'EOF'
copy: 9 rows: 9 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
	run db export copy --format "$fmt" -o "$tmp/two.$fmt"
	if ! cmp -s "$tmp/one.$fmt" "$tmp/two.$fmt"; then
		echo "FAIL: $fmt round trip"; diff "$tmp/one.$fmt" "$tmp/two.$fmt"
		fail=1
	fi
	run db import copy "$tmp/one.$fmt"
	expect 0 <<'EOF'
copy: 9 rows: 0 inserted, 0 updated, 9 unchanged, 0 rejected
EOF
done

# The file is applied in batches as it is read (RESEG_IMPORT_ROWS rows
# here): a key repeated in a later batch is still refused, and what a row
# leaves out is kept whichever batch wrote the profile before.
RESEG_IMPORT_ROWS=2
export RESEG_IMPORT_ROWS
run db create b --fields 'email:string,n:int,s:string'
printf 'email,n,s\na,1,x\nb,2,y\nc,3,z\nd,4,w\ne,5,v\n' >"$tmp/b1.csv"
run db import b "$tmp/b1.csv"
expect 0 <<'EOF'
b: 5 rows: 5 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
printf 'email,s\nc,Z\nf,F\na,x\nc,again\ng,G\nf,twice\n' >"$tmp/b2.csv"
run db import b "$tmp/b2.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/b2.csv:5: email: duplicate key 'c' (first before line 4)
$tmp/b2.csv:7: email: duplicate key 'f' (first on line 3)
reseg: import into database 'b' refused (2 errors); nothing was changed
EOF
run db import b "$tmp/b2.csv" --reject-file "$tmp/rej"
expect 0 <<'EOF'
b: 6 rows: 2 inserted, 1 updated, 1 unchanged, 2 rejected
EOF
cp "$tmp/rej" "$tmp/out"
name="reject file of batches"
expect 0 <<'EOF'
{"line":5,"reason":"email: duplicate key 'c' (first before line 4)","record":"c,again"}
{"line":7,"reason":"email: duplicate key 'f' (first on line 3)","record":"f,twice"}
EOF
printf '{"email":"b","n":null}\n{"email":"b","s":"B"}\n' >"$tmp/b3.jsonl"
run db import b "$tmp/b3.jsonl"
expect 1 </dev/null
expect_err <<EOF
$tmp/b3.jsonl:2: email: duplicate key 'b' (first on line 1)
reseg: import into database 'b' refused (1 error); nothing was changed
EOF
run db export b
expect 0 <<'EOF'
email,n,s
a,1,x
b,2,y
c,3,Z
d,4,w
e,5,v
f,,F
g,,G
EOF

# The new keys of staged batches stay out of the key index, in sorted
# runs of their own, until the import merges them into it at its end: a
# key repeated from an earlier run is still found.
run db create r --fields 'email:string,n:int'
printf 'email,n\nm,1\nc,2\nx,3\na,4\nq,5\nc,6\nz,7\n' >"$tmp/r1.csv"
run db import r "$tmp/r1.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/r1.csv:7: email: duplicate key 'c' (first before line 6)
reseg: import into database 'r' refused (1 error); nothing was changed
EOF
# With a reject file the repeat is left out and the rest imported; the
# same from a pipe, where nothing runs in a second thread.
run db create rj --fields 'email:string,n:int'
run db import rj "$tmp/r1.csv" --reject-file "$tmp/rej"
expect 0 <<'EOF'
rj: 7 rows: 6 inserted, 0 updated, 0 unchanged, 1 rejected
EOF
cp "$tmp/rej" "$tmp/out"
name="reject file of a repeat found in the runs"
expect 0 <<'EOF'
{"line":7,"reason":"email: duplicate key 'c' (first before line 6)","record":"c,6"}
EOF
run db export rj
expect 0 <<'EOF'
email,n
m,1
c,2
x,3
a,4
q,5
z,7
EOF
run db create rp --fields 'email:string,n:int'
stdin=$tmp/r1.csv run db import rp - --format csv
expect 1 </dev/null
expect_err <<'EOF'
stdin:7: email: duplicate key 'c' (first before line 6)
reseg: import into database 'rp' refused (1 error); nothing was changed
EOF
unset stdin
# Keys in no order, merged among the keys of a later database (which
# sort after them, so that none can be appended): every key is found at
# its number by the next import, and check finds the index whole.
run db create r2 --fields 'email:string,n:int'
printf 'email,n\nlast,1\n' >"$tmp/r2.csv"
run db import r2 "$tmp/r2.csv"
awk 'BEGIN { print "email,n"; for (i = 0; i < 301; i++)
    printf "k%d@r,%d\n", (i * 7919) % 301, i }' >"$tmp/r3.csv"
run db import r "$tmp/r3.csv"
expect 0 <<'EOF'
r: 301 rows: 301 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
run db export r
cmp -s "$tmp/r3.csv" "$tmp/out" || { echo "FAIL: keys from runs: export differs"; fail=1; }
awk -F, 'NR == 1 { print; next } { printf "%s,%d\n", $1, $2 + ($2 % 2) }' \
    "$tmp/r3.csv" >"$tmp/r4.csv"
run db import r "$tmp/r4.csv"
expect 0 <<'EOF'
r: 301 rows: 0 inserted, 150 updated, 151 unchanged, 0 rejected
EOF
run db export r
cmp -s "$tmp/r4.csv" "$tmp/out" || { echo "FAIL: keys from runs: update differs"; fail=1; }
run db export r2
expect 0 <<'EOF'
email,n
last,1
EOF
run check
expect 0 <<'EOF'
No problems found (databases: 9, profiles: 337, segments: 1, events: 0).
EOF

# When the map must grow the import runs again from the start of its
# input: a file is read again, standard input through a spool file.
RESEG_MAPSIZE=65536
export RESEG_MAPSIZE
RESEG_IMPORT_ROWS=500
awk 'BEGIN { print "email,n,s"; for (i = 0; i < 3000; i++) printf "k%05d@x,%d,text %d\n", i, i, i }' >"$tmp/big.csv"
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "{\"email\":\"k%05d@x\",\"n\":%d}\n", i, -i }' >"$tmp/big.jsonl"
S=$tmp/grow1
run db create big --fields 'email:string,n:int,s:string'
run db import big "$tmp/big.csv" --reject-file "$tmp/rej"
expect 0 <<'EOF'
big: 3000 rows: 3000 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
[ -s "$tmp/rej" ] && { echo "FAIL: reject file not empty"; fail=1; }
run db export big -o "$tmp/big.out.csv"
if ! cmp -s "$tmp/big.csv" "$tmp/big.out.csv"; then
	echo "FAIL: import over a map growth"; fail=1
fi
S=$tmp/grow2
run db create big --fields 'email:string,n:int,s:string'
stdin=$tmp/big.csv
cat "$tmp/big.csv" | "$RESEG" --store "$S" db import big - >"$tmp/out" 2>"$tmp/err"
rc=$?
name="stdin over a map growth"
expect 0 <<'EOF'
big: 3000 rows: 3000 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
cat "$tmp/big.jsonl" | "$RESEG" --store "$S" db import big - >"$tmp/out" 2>"$tmp/err"
rc=$?
expect 0 <<'EOF'
big: 3000 rows: 0 inserted, 2999 updated, 1 unchanged, 0 rejected
EOF
unset stdin
run db export big --format jsonl
head -n 2 "$tmp/out" >"$tmp/head"
cp "$tmp/head" "$tmp/out"
name="merged over a map growth"
expect 0 <<'EOF'
{"email":"k00000@x","n":0,"s":"text 0"}
{"email":"k00001@x","n":-1,"s":"text 1"}
EOF
ls -A "$S" >"$tmp/out"
name="no spool file left"
expect 0 <<'EOF'
data.mdb
lock.mdb
EOF
unset RESEG_MAPSIZE RESEG_IMPORT_ROWS

# kill -9 in the middle of an import (its batches applied, the input not
# ended yet): the store is as it was, and the next import works.
S=$tmp/kill
RESEG_IMPORT_ROWS=500
export RESEG_IMPORT_ROWS
run db create k --fields 'email:string,n:int,s:string'
printf 'email,n,s\nk00001@x,7,old\n' >"$tmp/k0.csv"
run db import k "$tmp/k0.csv"
run db export k
cp "$tmp/out" "$tmp/before"
mkfifo "$tmp/fifo"
"$RESEG" --store "$S" db import k - --format csv <"$tmp/fifo" >/dev/null 2>&1 &
pid=$!
exec 3>"$tmp/fifo"
cat "$tmp/big.csv" >&3
sleep 1
kill -9 "$pid"
wait "$pid" 2>/dev/null
exec 3>&-
run db export k
if ! cmp -s "$tmp/before" "$tmp/out"; then
	echo "FAIL: a killed import changed the store"; fail=1
fi
ls -A "$S" >"$tmp/out"
name="no spool file left after kill -9"
expect 0 <<'EOF'
data.mdb
lock.mdb
EOF
run db import k "$tmp/big.csv"
expect 0 <<'EOF'
k: 3000 rows: 2999 inserted, 1 updated, 0 unchanged, 0 rejected
EOF
unset RESEG_IMPORT_ROWS

# The JSON Lines reader: a flat object is read in one pass; anything it
# does not take goes through cJSON, which says what is wrong as before.
# Escapes and surrogate pairs, int64 limits, a float's exponent, tags.
run db create js --fields 'email:string,name:string,age:int,vip:bool,tags:tags,score:float'
cat >"$tmp/js.jsonl" <<'EOF'
{"email":"a@x","name":"tab\tnew\nline \"q\" back\\ slash\/ \u00e9\u4E2D \ud83d\ude00","tags":[" \u0078 ","y\uD83D\uDE00","x",""]}
 { "email" : "b@x" , "age" : 9223372036854775807 , "score" : 1.5e300 , "vip" : true } 
{"email":"c@x","age":-9223372036854775808,"score":-2.50,"tags":[]}
{"em\u0061il":"d@x","age":1e3,"name":null}
EOF
run db import js "$tmp/js.jsonl"
expect 0 <<'EOF'
js: 4 rows: 4 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
run db export js --format jsonl
expect 0 <<'EOF'
{"email":"a@x","name":"tab\tnew\nline \"q\" back\\ slash/ é中 😀","age":null,"vip":null,"tags":["x","y😀"],"score":null}
{"email":"b@x","name":null,"age":9223372036854775807,"vip":true,"tags":null,"score":1.5e+300}
{"email":"c@x","name":null,"age":-9223372036854775808,"vip":null,"tags":null,"score":-2.5}
{"email":"d@x","name":null,"age":1000,"vip":null,"tags":null,"score":null}
EOF
# Refused, each with its line: numbers out of range, a member named
# twice (refused, not "last wins"), nested values at any depth, lone
# surrogates, \u0000, bytes that are not UTF-8, values of the wrong kind.
printf '%s\n' '{"email":"e@x","age":9223372036854775808}' \
    '{"email":"f@x","age":1.5,"score":1e999}' \
    '{"email":"g@x","name":"x","name":"y"}' \
    '{"email":"h@x","name":{"first":"x"}}' \
    '{"email":"i@x","tags":[["x"]]}' \
    '{"email":"j@x","name":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}' \
    '{"email":"k@x","name":"\ud83d"}' \
    '{"email":"l@x","name":"\ude00\ud83d"}' \
    '{"email":"m@x","name":"a\u0000"}' \
    '{"email":"n@x","vip":1,"tags":"a,b"}' \
    '{"email":"o@x","tags":["a,b"],"bogus":1}' >"$tmp/bad.jsonl"
printf '{"email":"p@x","name":"caf\303"}\n{"email":"q@x","name":"\377"}\n' \
    >>"$tmp/bad.jsonl"
run db import js "$tmp/bad.jsonl"
expect 1 </dev/null
expect_err <<EOF
$tmp/bad.jsonl:1: age: expected an integer, found '9223372036854775808'
$tmp/bad.jsonl:2: age: expected an integer, found '1.5'
$tmp/bad.jsonl:2: score: expected a number, found '1e999'
$tmp/bad.jsonl:3: name: the member appears twice
$tmp/bad.jsonl:4: name: expected a string, found '{"first":"x"}'
$tmp/bad.jsonl:5: tags: expected an array of strings, found '[["x"]]'
$tmp/bad.jsonl:6: name: expected a string, found '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]...'
$tmp/bad.jsonl:7: malformed JSON at column 24
$tmp/bad.jsonl:8: malformed JSON at column 24
$tmp/bad.jsonl:9: name: the value holds a NUL character (\\u0000)
$tmp/bad.jsonl:10: vip: expected true, false, 1 or 0, found '1'
$tmp/bad.jsonl:10: tags: expected an array of strings, found '"a,b"'
$tmp/bad.jsonl:11: tags: expected tags without commas, found '["a,b"]'
$tmp/bad.jsonl:11: bogus: no such field in database 'js'
$tmp/bad.jsonl:12: name: column 27: not UTF-8 text: invalid byte 0xC3
$tmp/bad.jsonl:13: name: column 24: not UTF-8 text: invalid byte 0xFF
reseg: import into database 'js' refused (16 errors); nothing was changed
EOF

# Several write transactions: new profiles are staged beyond the count
# (RESEG_IMPORT_ROWS=1000: a transaction per 1000 rows), the changed
# rows of stored profiles and the end of the last stored chunk wait for
# the last one.  While the import is paused after a staging transaction
# (RESEG_TEST_IMPORT_PAUSE), readers see the old state, a staged key is
# nobody's, check passes with a note, other writers of the database wait.
S=$tmp/stage
RESEG_IMPORT_ROWS=1000
export RESEG_IMPORT_ROWS
run db create st --fields 'email:string,n:int'
awk 'BEGIN { print "email,n"; for (i = 0; i < 5000; i++) printf "o%05d@x,%d\n", i, i }' >"$tmp/st0.csv"
awk 'BEGIN { print "email,n"; for (i = 0; i < 10; i++) printf "o%05d@x,-%d\n", i, i + 1
    for (i = 0; i < 10000; i++) printf "s%05d@x,%d\n", i, i }' >"$tmp/st1.csv"
run db import st "$tmp/st0.csv"
"$RESEG" --store "$S" db export st >"$tmp/st.before"
gate=$tmp/gate
# stage_begin: the import of st1.csv, paused after its first staging.
stage_begin() {
	rm -f "$gate.staged"
	touch "$gate"
	RESEG_TEST_IMPORT_PAUSE=$gate "$RESEG" --store "$S" db import st \
	    "$tmp/st1.csv" >"$tmp/st.out" 2>&1 &
	pid=$!
	i=0
	while [ ! -e "$gate.staged" ] && [ $i -lt 500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	[ -e "$gate.staged" ] || { echo "FAIL: the import did not stage"; fail=1; }
}
stage_begin
run db list
expect 0 <<'EOF'
NAME  PROFILES  FIELDS  KEY    SOURCE
st        5000       2  email  local
EOF
run segment create stall --db st --where 'n > -100'
run segment recalc stall
run segment members stall
[ "$(wc -l <"$tmp/out")" = 5000 ] ||
    { echo "FAIL: members while staged: $(wc -l <"$tmp/out")"; fail=1; }
"$RESEG" --store "$S" db export st >"$tmp/out"
cmp -s "$tmp/out" "$tmp/st.before" || { echo "FAIL: export while staged"; fail=1; }
run segment why stall s09999@x
expect_err <<'EOF'
reseg: database 'st' has no profile 's09999@x'
EOF
run db delete-profiles st o00001@x --yes
expect 1 </dev/null
expect_err <<EOF
reseg: process $pid is importing profiles into database 'st'; try again when it is done
EOF
run db import st "$tmp/st0.csv"
expect 1 </dev/null
expect_err <<EOF
reseg: process $pid is importing profiles into database 'st'; try again when it is done
EOF
run check
expect 0 <<EOF
note: profile database 'st': process $pid is importing profiles; what it has staged is not counted
No problems found (databases: 1, profiles: 5000, segments: 1, events: 0).
EOF
rm -f "$gate"
wait "$pid"
rc=$?
cp "$tmp/st.out" "$tmp/out"
name="staged import"
expect 0 <<'EOF'
st: 10010 rows: 10000 inserted, 10 updated, 0 unchanged, 0 rejected
EOF
run check
expect 0 <<'EOF'
No problems found (databases: 1, profiles: 15000, segments: 1, events: 0).
EOF
"$RESEG" --store "$S" db export st >"$tmp/st.after"
sed -n '2p;5002p;15001p' "$tmp/st.after" >"$tmp/out"
name="staged import: its profiles"
expect 0 <<'EOF'
o00000@x,-1
s00000@x,0
s09999@x,9999
EOF

# stage_killed: a new store of st0.csv, and the import of st1.csv killed
# after its first staging.
stage_killed() {
	rm -rf "$S"
	run db create st --fields 'email:string,n:int'
	run db import st "$tmp/st0.csv"
	stage_begin
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	rm -f "$gate"
}

# check_interrupted PID: check notes the import of PID as interrupted.
check_interrupted() {
	run check
	expect 0 <<EOF
note: profile database 'st': an import (process $1) was interrupted; the next write to the database removes what it staged
No problems found (databases: 1, profiles: 5000, segments: 0, events: 0).
EOF
}

# import_after WHAT: st1.csv imported whole over what a killed import
# left, and nothing else.
import_after() {
	run db import st "$tmp/st1.csv"
	expect 0 <<'EOF'
st: 10010 rows: 10000 inserted, 10 updated, 0 unchanged, 0 rejected
EOF
	"$RESEG" --store "$S" db export st >"$tmp/out"
	cmp -s "$tmp/out" "$tmp/st.after" ||
	    { echo "FAIL: the import after $1"; fail=1; }
	run check
	expect 0 <<'EOF'
No problems found (databases: 1, profiles: 15000, segments: 0, events: 0).
EOF
}

# Killed while paused: the old state; check passes with a note; the next
# import removes the leftovers first, and so does any other writer of
# the database (delete-profiles here).
for next in import delete; do
	stage_killed
	"$RESEG" --store "$S" db export st >"$tmp/out"
	cmp -s "$tmp/out" "$tmp/st.before" ||
	    { echo "FAIL: a killed staged import ($next) changed the store"; fail=1; }
	check_interrupted "$pid"
	if [ $next = import ]; then
		import_after "a killed one"
	else
		run db delete-profiles st o00001@x --yes
		expect 0 <<'EOF'
Deleted 1 profile from database 'st'.
EOF
		run check
		expect 0 <<'EOF'
No problems found (databases: 1, profiles: 4999, segments: 0, events: 0).
EOF
		# The staged keys went with the chunks: new again (and the
		# deleted one).
		run db import st "$tmp/st1.csv"
		expect 0 <<'EOF'
st: 10010 rows: 10001 inserted, 9 updated, 0 unchanged, 0 rejected
EOF
	fi
done

# A mark is the importer's pid, start time and boot: after the importer
# died, a process given its pid is not taken for it (the next import
# cleans up), while a mark of the pid alone (older versions) still counts
# while that pid runs.
DAMAGE=${DAMAGE:-./tests/damage}
stage_killed
sleep 300 &
other=$!
key=$(printf 'profiles-import:1' | od -An -tx1 | tr -d ' \n')
boot=$(tr -d -- '-\n' </proc/sys/kernel/random/boot_id)
"$DAMAGE" "$S" put meta "$key" "$(printf '%08x' "$other")0000000000000001$boot" ||
    { echo "FAIL: damage put meta"; fail=1; }
check_interrupted "$other"
# The process itself (its start time from /proc), and a mark of its pid
# alone: both hold the database.
start=$(sed 's/.*) //' "/proc/$other/stat" | awk '{ print $20 }')
for mark in "$(printf '%08x%016x' "$other" "$start")$boot" \
    "$(printf '%08x' "$other")"; do
	"$DAMAGE" "$S" put meta "$key" "$mark" ||
	    { echo "FAIL: damage put meta"; fail=1; }
	run db import st "$tmp/st1.csv"
	expect 1 </dev/null
	expect_err <<EOF
reseg: process $other is importing profiles into database 'st'; try again when it is done
EOF
done
"$DAMAGE" "$S" put meta "$key" "$(printf '%08x' "$other")0000000000000001$boot" ||
    { echo "FAIL: damage put meta"; fail=1; }
import_after "a mark of a reused pid"
kill "$other"
wait "$other" 2>/dev/null
unset RESEG_IMPORT_ROWS

exit $fail
