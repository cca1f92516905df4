#!/bin/sh
# Damaged stores: a chunk with bytes flipped (tests/damage writes them
# through the store API at a known offset), a damaged segment record, a
# truncated or empty data.mdb.  Every command that reads the damage fails
# with a message naming it and exit status 1 (3 for a store that cannot
# be opened), never a signal; what the damage does not touch still works.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
DAMAGE=${DAMAGE:-./tests/damage}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-damage-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

# Three profiles in one chunk of 3 rows, so each column's layout is
# known: header 16 bytes (the packed width at 2), presence bits 16..24,
# then the values at 24 (int, packed: i64 base, then u8[3] at 32;
# string, packed: u8 codes[3] padded to 8, then dict_off[] at 32; tags
# and bool are not packed).
r db create shop --fields 'email:string,name:string,age:int,tags:tags,vip:bool' \
    --event-fields 'amount:float' >/dev/null
printf 'email,name,age,tags,vip\na@x.org,Ann,30,"x,y",true\nb@x.org,Bob,40,z,false\nc@x.org,Cy,50,,true\n' \
    >"$tmp/p.csv"
r db import shop "$tmp/p.csv" >/dev/null
printf 'key,event,time,event_id,amount\na@x.org,buy,2026-04-01T09:00:00Z,o1,10\nb@x.org,buy,2026-04-02T09:00:00Z,o2,20\nb@x.org,view,2026-04-03T09:00:00Z,,\n' \
    >"$tmp/ev.csv"
r events import shop "$tmp/ev.csv" >/dev/null
r segment create Old --db shop --where 'age >= 40' >/dev/null
r segment create Bobs --db shop --where 'name = "Bob"' >/dev/null
r segment create Buyers --db shop --where 'did "buy" at least 1 times within last 90 days' >/dev/null
for s in Old Bobs Buyers; do r segment recalc "$s" >/dev/null; done
cp -R "$S" "$tmp/clean"

fresh() { rm -rf "$S"; cp -R "$tmp/clean" "$S"; }
damage() { "$DAMAGE" "$S" "$@" || { echo "FAIL: damage $*"; fail=1; }; }

# --- A string chunk's code past its dictionary (the SIGSEGV of export).
fresh
damage chunk shop name 0 25 ff
msg="reseg: profile database 'shop': field 'name', chunk 0 is damaged: row 1 has dictionary code 255, the dictionary has 3 entries"
run db export shop
expect 1 </dev/null
printf '%s\n' "$msg" | expect_err
run segment members Old --format csv
expect 1 </dev/null
printf '%s\n' "$msg" | expect_err
run segment recalc Bobs
expect 1 </dev/null
printf "reseg: segment 'Bobs' (run 2): %s\n" "${msg#reseg: }" | expect_err
# A segment whose conditions do not read the column still works.
run segment recalc Old
expect 0 <<'EOF'
Recalculated segment 'Old' (run 2): added 0, removed 0, total 2.
EOF

# --- The key column: members as keys read it.
fresh
damage chunk shop email 0 24 07
run segment members Old
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop': field 'email', chunk 0 is damaged: row 0 has dictionary code 7, the dictionary has 3 entries
EOF

# --- Presence bits past the chunk's rows, in the column a run reads.
fresh
damage chunk shop age 0 16 0f
run segment recalc Old
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'Old' (run 2): profile database 'shop': field 'age', chunk 0 is damaged: presence bits set past its 3 rows
EOF
run db export shop
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop': field 'age', chunk 0 is damaged: presence bits set past its 3 rows
EOF

# --- A header whose row count does not fit the bytes.
fresh
damage chunk shop age 0 4 09
run db export shop --format jsonl
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop': field 'age', chunk 0 is damaged: 40 bytes, its header gives 48
EOF

# --- A packed width the column's type does not use (3 bytes a row).
fresh
damage chunk shop age 0 2 03
run segment recalc Old
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'Old' (run 2): profile database 'shop': field 'age', chunk 0 is damaged: packed at 3 bytes a row, a width this column's type does not use
EOF

# --- Packed values past the type (base INT64_MAX).
fresh
damage chunk shop age 0 24 ffffffffffffff7f
run segment recalc Old
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'Old' (run 2): profile database 'shop': field 'age', chunk 0 is damaged: packed values past the range of the column's type
EOF

# --- Tag offsets out of order; a boolean byte that is not 0 or 1.
fresh
damage chunk shop tags 0 28 05000000
run db export shop
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop': field 'tags', chunk 0 is damaged: tag offsets out of order at row 1
EOF
fresh
damage chunk shop vip 0 24 02
run db export shop
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database 'shop': field 'vip', chunk 0 is damaged: a boolean byte that is neither 0 nor 1
EOF

# --- An event chunk's name code past its dictionary.
fresh
damage evcol shop 2 0 28 09000000
evmsg="profile database 'shop': events: column 'event' of chunk 0 is damaged: row 1 has dictionary code 9, the dictionary has 2 entries"
run segment recalc Buyers
expect 1 </dev/null
printf "reseg: segment 'Buyers' (run 2): %s\n" "$evmsg" | expect_err
run events stats shop
expect 1 </dev/null
printf 'reseg: %s\n' "$evmsg" | expect_err

# --- A damaged segment record hides only itself.
fresh
damage segment Bobs '{"id": 2, "name": "Bo'
run segment list
expect 0 <<'EOF'
NAME    KIND       DATABASE  STATE    PROFILES  LAST RUN              NEXT RUN  TAGS
Bobs    -          -         damaged         -  -                     -
Buyers  scheduled  shop      active          2  2026-05-01T12:00:00Z  -
Old     scheduled  shop      active          2  2026-05-01T12:00:00Z  -
EOF
expect_err <<'EOF'
reseg: segment 'Bobs' is damaged: not valid JSON (see 'reseg check')
EOF
run --json segment list --state damaged
expect 0 <<'EOF'
[{
		"name":	"Bobs",
		"kind":	null,
		"database":	null,
		"state":	"damaged",
		"stale":	false,
		"profiles":	null,
		"last_run_at":	null,
		"next_run_at":	null,
		"tags":	[],
		"damage":	"not valid JSON"
	}]
EOF
for cmd in show members recalc log script; do
	run segment $cmd Bobs
	expect 1 </dev/null
	expect_err <<'EOF'
reseg: segment 'Bobs' is damaged: not valid JSON
EOF
done
run segment recalc Old
expect 0 <<'EOF'
Recalculated segment 'Old' (run 2): added 0, removed 0, total 2.
EOF
# A record that parses but lacks what every segment has.
damage segment Bobs '{"id": 2, "name": "Bobs"}'
run segment show Bobs
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'Bobs' is damaged: no database
EOF
# One whose id is not its key's: the name comes from the name index.
damage segment Bobs '{"id": 7, "name": "Other", "db": "shop"}'
run segment list --state damaged
expect 0 <<'EOF'
NAME  KIND  DATABASE  STATE    PROFILES  LAST RUN  NEXT RUN  TAGS
Bobs  -     -         damaged         -  -         -
EOF
expect_err <<'EOF'
reseg: segment 'Bobs' is damaged: its id is 7, its key's 2 (see 'reseg check')
EOF

# --- A truncated data.mdb is refused at open (it was SIGBUS), an empty
# or headless one is damaged, not a new store.
fresh
size=$(wc -c <"$S/data.mdb")
truncate -s 51200 "$S/data.mdb"
run db list
expect 3 </dev/null
printf "reseg: store %s is damaged: data.mdb has 51200 bytes, its pages need %s (the file was cut short); restore the store from a backup\n" \
    "$S" "$size" | expect_err
truncate -s 0 "$S/data.mdb"
run db list
expect 3 </dev/null
printf "reseg: store %s is damaged: data.mdb is empty; restore the store from a backup, or remove the directory to start a new store\n" \
    "$S" | expect_err
[ "$(wc -c <"$S/data.mdb")" = 0 ] || { echo "FAIL: the empty data.mdb was written"; fail=1; }
truncate -s 100 "$S/data.mdb"
run db list
expect 3 </dev/null
printf "reseg: store %s is damaged: data.mdb does not start with a valid header (MDB_INVALID: File is not an LMDB file); restore the store from a backup\n" \
    "$S" | expect_err
# A store's other files without its data file: the data is lost.
rm -f "$S/data.mdb"
run db list
expect 3 </dev/null
printf "reseg: store %s is damaged: data.mdb is missing but lock.mdb is there; restore the store from a backup, or remove the directory to start a new store\n" \
    "$S" | expect_err
[ ! -e "$S/data.mdb" ] || { echo "FAIL: a new data.mdb was made"; fail=1; }
# A missing directory, an empty one, and one without a store's files
# are new stores.
mkdir "$tmp/other"; echo notes >"$tmp/other/notes.txt"
"$RESEG" --store "$tmp/other" db list >"$tmp/out" 2>&1
[ $? = 0 ] && [ "$(cat "$tmp/out")" = "No databases." ] ||
    { echo "FAIL: a directory of other files"; cat "$tmp/out"; fail=1; }
rm -rf "$S"
run db list
expect 0 <<'EOF'
No databases.
EOF
rm -rf "$S"; mkdir "$S"
run db list
expect 0 <<'EOF'
No databases.
EOF

exit $fail
