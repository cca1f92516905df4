#!/bin/sh
# reseg check: a clean store passes with its exact summary; each kind of
# damage tests/damage can inject is named on its own line (table: what)
# and makes the exit status 1.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
DAMAGE=${DAMAGE:-./tests/damage}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-check-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

# Database id 1; segments Old 1, Bobs 2, Buyers 3.
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
r segment create Picked --db shop --static >/dev/null
r segment add Picked a@x.org >/dev/null
cp -R "$S" "$tmp/clean"

fresh() { rm -rf "$S"; cp -R "$tmp/clean" "$S"; }
damage() { "$DAMAGE" "$S" "$@" || { echo "FAIL: damage $*"; fail=1; }; }

run check
expect 0 <<'EOF'
No problems found (databases: 1, profiles: 3, segments: 4, events: 3).
EOF
run --json check
expect 0 <<'EOF'
{
	"problems":	[],
	"databases":	1,
	"profiles":	3,
	"segments":	4,
	"events":	3
}
EOF
# The demo store, events and all, passes too.
"$RESEG" --store "$tmp/demo" demo --profiles 5000 >/dev/null
"$RESEG" --store "$tmp/demo" check >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q '^No problems found (databases: 1, profiles: 5000, segments: 9, events: ' "$tmp/out" ||
    { echo "FAIL: check of the demo store"; cat "$tmp/out"; fail=1; }

# --- Chunks: the readers' own validation, in the same words.
fresh
damage chunk shop name 0 25 ff
damage chunk shop age 0 16 0f
damage chunk shop bucket 0 24 ffff
damage chunk shop tags 0 1 09
run check
expect 1 <<'EOF'
cols: profile database 'shop': field 'name', chunk 0 is damaged: row 1 has dictionary code 255, the dictionary has 3 entries
cols: profile database 'shop': field 'age', chunk 0 is damaged: presence bits set past its 3 rows
cols: profile database 'shop': field 'tags', chunk 0 is damaged: chunk version 9, this reseg reads 1 and 2
cols: profile database 'shop': field '(range bucket)', chunk 0 is damaged: a range bucket of 65535, above 9999
4 problems found.
EOF
run --json check
expect 1 <<'EOF'
{
	"problems":	[{
			"table":	"cols",
			"key":	"shop/name/0",
			"message":	"profile database 'shop': field 'name', chunk 0 is damaged: row 1 has dictionary code 255, the dictionary has 3 entries"
		}, {
			"table":	"cols",
			"key":	"shop/age/0",
			"message":	"profile database 'shop': field 'age', chunk 0 is damaged: presence bits set past its 3 rows"
		}, {
			"table":	"cols",
			"key":	"shop/tags/0",
			"message":	"profile database 'shop': field 'tags', chunk 0 is damaged: chunk version 9, this reseg reads 1 and 2"
		}, {
			"table":	"cols",
			"key":	"shop/bucket/0",
			"message":	"profile database 'shop': field '(range bucket)', chunk 0 is damaged: a range bucket of 65535, above 9999"
		}],
	"databases":	1,
	"profiles":	3,
	"segments":	4,
	"events":	3
}
EOF

# --- Range buckets that are not their keys': one line for the chunk
# (b@x.org's is 1260: FNV-1a 64 and fmix64, modulo 10000).
fresh
damage chunk shop bucket 0 26 0100
run check
expect 1 <<'EOF'
cols: profile database 'shop': 1 profile of chunk 0 has a range bucket other than its key's (profile 1: 1, its key's 1260)
1 problem found.
EOF
damage chunk shop bucket 0 28 0200
run check
expect 1 <<'EOF'
cols: profile database 'shop': 2 profiles of chunk 0 have a range bucket other than their keys' (profile 1: 1, its key's 1260)
1 problem found.
EOF

# --- Dictionary offsets; a chunk beyond the profiles; a missing chunk.
fresh
damage chunk shop name 0 36 07
damage put cols 00000001000000000005 00
damage del cols 00000001000000000000
run check
expect 1 <<'EOF'
cols: profile database 'shop': field 'email', chunk 0 is missing
cols: profile database 'shop': field 'name', chunk 0 is damaged: dictionary offsets out of order at entry 2
cols: profile database 'shop': a chunk 5 of column 0, beyond its fields and profiles
3 problems found.
EOF
# A field added later has no chunks for the profiles before: not a problem.
fresh
damage del cols 00000001000200000000
run check
expect 0 <<'EOF'
No problems found (databases: 1, profiles: 3, segments: 4, events: 3).
EOF

# --- Overlays: the rows a small upsert changed, beside their chunk, pass
# and are read; a damaged one is its chunk's damage; one whose chunk is
# not stored is stray.
fresh
printf 'email,age\nb@x.org,41\n' >"$tmp/u.csv"
r db import shop "$tmp/u.csv" >/dev/null
run check
expect 0 <<'EOF'
No problems found (databases: 1, profiles: 3, segments: 4, events: 3).
EOF
run db export shop
expect 0 <<'EOF'
email,name,age,tags,vip
a@x.org,Ann,30,"x,y",true
b@x.org,Bob,41,z,false
c@x.org,Cy,50,,true
EOF
damage put cols 0000000100020000000000 "$(hex junk!)"
damage put cols 0000000100010000000700 00
run check
expect 1 <<'EOF'
cols: profile database 'shop': field 'age', chunk 0 is damaged: an overlay of kind 106, version 117
cols: an overlay of chunk 7 of column 1, which is not stored
2 problems found.
EOF

# --- The key index and the key column, both ways.
fresh
damage put keys 00000001"$(hex z@x.org)" 00000001
damage del keys 00000001"$(hex a@x.org)"
run check
expect 1 <<'EOF'
keys: profile database 'shop': the key index gives 'z@x.org' profile 1, whose key is 'b@x.org'
keys: profile database 'shop': profile 0 has key 'a@x.org', which the key index lacks
2 problems found.
EOF

# --- Deleted profiles keep no key, and only they lack one.
fresh
r db delete-profiles shop b@x.org --yes >/dev/null || fail=1
run check
expect 0 <<'EOF'
No problems found (databases: 1, profiles: 2, segments: 4, events: 1).
EOF
damage del meta "$(hex deleted:1)"
run check
expect 1 <<'EOF'
meta: profile database 'shop': the set of deleted profiles is damaged
keys: profile database 'shop': profile 1 has no key and is not deleted
2 problems found.
EOF

# --- Members beyond the profiles, counts, runs, deltas, names, counters.
fresh
damage member Old 99
damage segment Bobs '{"id": 2, "name": "Bo'
damage put runs 0000000300000001 7b
damage put deltas 0000000300000001 00000009
damage put segnames "$(hex Ghost)" 00000009
damage put meta "$(hex counter:segment)" 00000002
damage put members 00000063 3a30000000000000
run check
expect 1 <<'EOF'
segments: segment 'Bobs' is damaged: not valid JSON
runs: segment 'Buyers': the record of run 1 is damaged
deltas: segment 'Buyers': the changes of run 1 are damaged
members: segment 'Old': the members hold profile 99, database 'shop' has 3 profiles
members: segment 'Old': 3 members, its record says 2
segnames: the name 'Ghost' leads to no segment of that name
members: records of segment id 99, which no segment has
meta: the segment counter is 2, below the id 4 in use
8 problems found.
EOF

# --- Events: a profile number past the profiles, an event_id leading
# nowhere, a column whose rows disagree with the directory.
fresh
damage evcol shop 0 0 24 6300000000000000
damage put evids 00000001"$(hex zz)" 00000063
damage evcol shop 4 0 4 02
run check
expect 1 <<'EOF'
evcols: profile database 'shop': event 0 of chunk 0 names profile 99, the database has 3
evcols: profile database 'shop': events: column 'amount' of chunk 0 is damaged: 48 bytes, its header gives 40
evids: profile database 'shop': event_id 'zz' points at no event chunk
3 problems found.
EOF

# --- A database record that does not read: its chunks and keys belong
# to no database any more, its segments to a missing one.
fresh
damage put dbs "$(hex shop)" 7b
run check
expect 1 <<'EOF'
dbs: profile database 'shop': the record is damaged
cols: chunks of database id 1, which no database has
evcols: chunks of database id 1, which no database has
keys: records of database id 1, which no database has
evchunks: records of database id 1, which no database has
evids: records of database id 1, which no database has
segments: segment 'Bobs': its database 'shop' does not exist
segments: segment 'Buyers': its database 'shop' does not exist
segments: segment 'Old': its database 'shop' does not exist
segments: segment 'Picked': its database 'shop' does not exist
10 problems found.
EOF

exit $fail
