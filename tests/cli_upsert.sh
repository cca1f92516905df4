#!/bin/sh
# Small upserts at scattered keys into stored profiles (doc/storage.md,
# "Upsert and numbering"): the counts are exact, the named columns of
# the named rows change and nothing else does (whole exports compared),
# for every kind of column, CSV and JSON Lines, and reseg check passes.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-upsert-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

# 12,000 profiles: three chunks, the last one partial.
run db create shop --fields 'email:string,name:string,city:string,n:int,score:float,vip:bool,seen:date,at:datetime,tags:tags'
expect 0 <<'EOF2'
Created database 'shop' with 9 fields, key 'email'.
EOF2
awk 'BEGIN { print "email,name,city,n,score,vip,seen,at,tags"
    for (i = 0; i < 12000; i++)
	printf "p%d@x,name%d,c%d,%d,%d.5,%s,2026-01-%02d,2026-02-%02dT10:00:00Z,t%d\n",
	    i, i, i % 7, i, i, i % 2 ? "true" : "false", i % 28 + 1, i % 28 + 1, i % 3 }' \
    >"$tmp/all.csv"
run db import shop "$tmp/all.csv"
expect 0 <<'EOF2'
shop: 12000 rows: 12000 inserted, 0 updated, 0 unchanged, 0 rejected
EOF2
r db export shop >"$tmp/before.csv"

# Round 1, CSV naming name, city, n: 300 keys spread over the chunks
# (i = 7919 k mod 12000), by k mod 5: 0 all as stored; 1 a city no row
# has; 2 another stored city; 3 the city cleared; 4 n and the (unique)
# name changed.
awk 'BEGIN { print "email,city,n,name"
    for (k = 0; k < 300; k++) { i = k * 7919 % 12000; m = k % 5
	city = "c" i % 7; n = i; name = "name" i
	if (m == 1) city = "Riga"
	if (m == 2) city = "c" (i % 7 + 1) % 7
	if (m == 3) city = ""
	if (m == 4) { n = i + 1000000; name = "renamed" i }
	printf "p%d@x,%s,%d,%s\n", i, city, n, name } }' >"$tmp/u1.csv"
run db import shop "$tmp/u1.csv"
expect 0 <<'EOF2'
shop: 300 rows: 0 inserted, 240 updated, 60 unchanged, 0 rejected
EOF2
# The expected export: before.csv with the same changes (no field holds
# a comma or a quote, so the CSV splits on commas).
awk -F, -v OFS=, 'NR == FNR { if (FNR > 1) { split($1, e, "[p@]"); i = e[2]
	city[i] = $2; n[i] = $3; name[i] = $4 }; next }
    FNR > 1 { split($1, e, "[p@]"); i = e[2]
	if (i in city) { $3 = city[i]; $4 = n[i]; $2 = name[i] } }
    { print }' "$tmp/u1.csv" "$tmp/before.csv" >"$tmp/want1.csv"
r db export shop >"$tmp/after1.csv"
cmp -s "$tmp/want1.csv" "$tmp/after1.csv" ||
    { echo "FAIL: round 1: the export differs"; diff "$tmp/want1.csv" "$tmp/after1.csv" | head; fail=1; }

# Round 2, CSV naming score, vip, seen, at, tags at other keys, by k mod
# 4: 0 as stored; 1 tags changed; 2 score and vip changed; 3 seen
# cleared and at changed.
awk 'BEGIN { print "email,score,vip,seen,at,tags"
    for (k = 0; k < 400; k++) { i = (k * 4493 + 17) % 12000; m = k % 4
	score = i ".5"; vip = i % 2 ? "true" : "false"
	seen = sprintf("2026-01-%02d", i % 28 + 1)
	at = sprintf("2026-02-%02dT10:00:00Z", i % 28 + 1); tags = "t" i % 3
	if (m == 1) tags = "t9"
	if (m == 2) { score = (i + 1) ".25"; vip = i % 2 ? "false" : "true" }
	if (m == 3) { seen = ""; at = "2027-01-01T00:00:00Z" }
	printf "p%d@x,%s,%s,%s,%s,%s\n", i, score, vip, seen, at, tags } }' >"$tmp/u2.csv"
run db import shop "$tmp/u2.csv"
expect 0 <<'EOF2'
shop: 400 rows: 0 inserted, 300 updated, 100 unchanged, 0 rejected
EOF2
awk -F, -v OFS=, 'NR == FNR { if (FNR > 1) { split($1, e, "[p@]"); i = e[2]
	v[i] = $2 "," $3 "," $4 "," $5 "," $6 }; next }
    FNR > 1 { split($1, e, "[p@]"); i = e[2]
	if (i in v) { split(v[i], x, ","); $5 = x[1]; $6 = x[2]; $7 = x[3]
	    $8 = x[4]; $9 = x[5] } }
    { print }' "$tmp/u2.csv" "$tmp/after1.csv" >"$tmp/want2.csv"
r db export shop >"$tmp/after2.csv"
cmp -s "$tmp/want2.csv" "$tmp/after2.csv" ||
    { echo "FAIL: round 2: the export differs"; diff "$tmp/want2.csv" "$tmp/after2.csv" | head; fail=1; }

# Round 3, JSON Lines: each object names its own fields (city alone, n
# alone, or both); 60 keys, the last third as stored.
awk 'BEGIN { for (k = 0; k < 60; k++) { i = (k * 211 + 5) % 12000
	if (k < 20) printf "{\"email\":\"p%d@x\",\"city\":\"Oslo\"}\n", i
	else if (k < 40) printf "{\"email\":\"p%d@x\",\"n\":-%d}\n", i, i + 1
	else printf "{\"email\":\"p%d@x\",\"n\":%d,\"city\":\"c%d\"}\n", i, i, i % 7 } }' >"$tmp/u3.jsonl"
run db import shop "$tmp/u3.jsonl"
expect 0 <<'EOF2'
shop: 60 rows: 0 inserted, 40 updated, 20 unchanged, 0 rejected
EOF2
awk -F, -v OFS=, 'FNR > 1 { split($1, e, "[p@]"); i = e[2]
	for (k = 0; k < 40; k++) if ((k * 211 + 5) % 12000 == i) {
	    if (k < 20) $3 = "Oslo"; else $4 = -(i + 1) } }
    { print }' "$tmp/after2.csv" >"$tmp/want3.csv"
r db export shop >"$tmp/after3.csv"
cmp -s "$tmp/want3.csv" "$tmp/after3.csv" ||
    { echo "FAIL: round 3: the export differs"; diff "$tmp/want3.csv" "$tmp/after3.csv" | head; fail=1; }

run check
expect 0 <<'EOF2'
No problems found (databases: 1, profiles: 12000, segments: 0, events: 0).
EOF2
exit $fail
