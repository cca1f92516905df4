#!/bin/sh
# The db commands and `reseg demo` end to end: exact outputs, exit codes,
# and the store left unchanged by a refused import.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-db-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
data=$top_srcdir/tests/data
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

same_files() {
	if ! cmp -s "$1" "$2"; then
		echo "FAIL: $3: $1 and $2 differ"; diff "$1" "$2" | head; fail=1
	fi
}

run db list
expect 0 <<'EOF'
No databases.
EOF

run db create people --fields 'email:string,name:string,age:int,tags:tags'
expect 0 <<'EOF'
Created database 'people' with 4 fields, key 'email'.
EOF

run db create people --fields 'email:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: a profile database named 'people' already exists
EOF

# Database names follow the rules of segment names.
run db create ' people' --fields 'email:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database name ' people' starts or ends with a blank
EOF
# Messages quote input with its control characters escaped as \xHH, so
# that a name cannot drive the terminal (or split the message's line).
run db create "$(printf 'a\tb')" --fields 'email:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database name 'a\x09b' holds a control character
EOF
run db create "$(printf 'x\033[2Jy\nz')" --fields 'email:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database name 'x\x1b[2Jy\x0az' holds a control character
EOF
run db create "$(printf 'caf\351')" --fields 'email:string'
expect 1 </dev/null
expect_err <<'EOF'
reseg: profile database name 'caf\xe9' is not UTF-8 text: invalid byte 0xE9
EOF
run db create 'a, b' --fields 'email:string'
expect 0 <<'EOF'
Created database 'a, b' with 1 field, key 'email'.
EOF
run db drop 'a, b' --yes
expect 0 <<'EOF'
Dropped database 'a, b'.
EOF

run db create other
expect 2 </dev/null
expect_err <<'EOF'
reseg: option '--fields' is required
Usage:
  reseg db create NAME --fields SPEC [--key FIELD] [--event-fields SPEC]
EOF

# BOM, CRLF, quotes, doubled quotes, an embedded newline.
run db import people "$data/people.csv"
expect 0 <<'EOF'
people: 3 rows: 3 inserted, 0 updated, 0 unchanged, 0 rejected
EOF

run db import people "$data/people.jsonl"
expect 0 <<'EOF'
people: 2 rows: 1 inserted, 1 updated, 0 unchanged, 0 rejected
EOF

run db export people
expect 0 <<'EOF'
email,name,age,tags
a@x.org,Anna,31,"vip,new"
b@x.org,"Smith, ""Bob""",41,
c@x.org,"two
lines",,solo
d@x.org,Dan,5,"a,b"
EOF
cp "$tmp/out" "$tmp/before.csv"

run db import people "$data/bad.csv"
expect 1 </dev/null
expect_err <<EOF
$data/bad.csv:2: age: expected an integer, found 'thirty'
$data/bad.csv:4: email: duplicate key 'z@x.org' (first on line 3)
$data/bad.csv:5: email: the key is empty
$data/bad.csv:6: expected 4 fields, found 3
$data/bad.csv:7: expected 4 fields, found 5
$data/bad.csv:8: the quoted field is never closed
reseg: import into database 'people' refused (6 errors); nothing was changed
EOF
run db export people
same_files "$tmp/before.csv" "$tmp/out" "refused import changed the store"
printf 'email,name,age,tags\nq@x.org,Q,"1\033]0;t\007\n2",\n' >"$tmp/esc.csv"
run db import people "$tmp/esc.csv"
expect 1 </dev/null
expect_err <<EOF
$tmp/esc.csv:2: age: expected an integer, found '1\\x1b]0;t\\x07\\x0a2'
reseg: import into database 'people' refused (1 error); nothing was changed
EOF

run db import people "$data/bad.csv" --reject-file "$tmp/rejects.jsonl"
expect 0 <<'EOF'
people: 7 rows: 1 inserted, 0 updated, 0 unchanged, 6 rejected
EOF
expect_err <<EOF
people: 6 rejected rows written to $tmp/rejects.jsonl
EOF
cp "$tmp/rejects.jsonl" "$tmp/out"
name="reject file"
expect 0 <<'EOF'
{"line":2,"reason":"age: expected an integer, found 'thirty'","record":"a@x.org,Anna,thirty,"}
{"line":4,"reason":"email: duplicate key 'z@x.org' (first on line 3)","record":"z@x.org,Zed2,2,"}
{"line":5,"reason":"email: the key is empty","record":",NoKey,3,"}
{"line":6,"reason":"expected 4 fields, found 3","record":"q@x.org,Q,4"}
{"line":7,"reason":"expected 4 fields, found 5","record":"w@x.org,W,5,,extra"}
{"line":8,"reason":"the quoted field is never closed","record":null}
EOF

# More than 20 errors: the first 20, then a count.
{
	echo "email,age"
	i=1
	while [ $i -le 25 ]; do echo "k$i@x,x$i"; i=$((i + 1)); done
} >"$tmp/many.csv"
run db import people "$tmp/many.csv"
expect 1 </dev/null
tail -n 3 "$tmp/err" >"$tmp/err3"; mv "$tmp/err3" "$tmp/err"
expect_err <<EOF
$tmp/many.csv:21: age: expected an integer, found 'x20'
... and 5 more errors
reseg: import into database 'people' refused (25 errors); nothing was changed
EOF

# Counts take their plural forms: one row, one more error.
{
	echo "email,age"
	i=1
	while [ $i -le 21 ]; do echo "k$i@x,x$i"; i=$((i + 1)); done
} >"$tmp/many.csv"
run db import people "$tmp/many.csv"
expect 1 </dev/null
tail -n 2 "$tmp/err" >"$tmp/err3"; mv "$tmp/err3" "$tmp/err"
expect_err <<EOF
... and 1 more error
reseg: import into database 'people' refused (21 errors); nothing was changed
EOF
printf 'email,age\none@x,1\n' >"$tmp/one.csv"
run db create single --fields 'email:string,age:int'
run db import single "$tmp/one.csv"
expect 0 <<'EOF'
single: 1 row: 1 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
run db drop single --yes

run db import people "$tmp/people.txt"
expect 2 </dev/null
# Standard input without --format is sniffed: nothing at all is an
# empty CSV file.
run db import people -
expect 1 </dev/null
expect_err <<'EOF'
stdin: the file is empty: a CSV file starts with a header row of field names
reseg: import into database 'people' refused (1 error); nothing was changed
EOF
run db import people "$data/people.csv" --format xml
expect 2 </dev/null
run db import nosuch "$data/people.csv"
expect 1 </dev/null
expect_err <<'EOF'
reseg: no profile database named 'nosuch'
EOF

# Export -> import into a new database gives the same data, both formats.
run db export people --format jsonl
cp "$tmp/out" "$tmp/people.jsonl"
run db export people -o "$tmp/people.csv"
expect 0 <<EOF
Exported 5 profiles of database 'people' to $tmp/people.csv.
EOF
run db export people
same_files "$tmp/people.csv" "$tmp/out" "export -o"
run db export people -o "$tmp/copy.jsonl"
same_files "$tmp/people.jsonl" "$tmp/copy.jsonl" "format from -o name"
for fmt in csv jsonl; do
	run db create "copy_$fmt" --fields 'email:string,name:string,age:int,tags:tags'
	stdin="$tmp/people.$fmt"
	run db import "copy_$fmt" - --format "$fmt"
	stdin=
	expect 0 <<EOF
copy_$fmt: 5 rows: 5 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
	run db export "copy_$fmt" --format "$fmt"
	same_files "$tmp/people.$fmt" "$tmp/out" "round trip $fmt"
done
# Importing the same file again changes nothing.
run db import copy_csv "$tmp/people.csv"
expect 0 <<'EOF'
copy_csv: 5 rows: 0 inserted, 0 updated, 5 unchanged, 0 rejected
EOF

# -o naming a pipe (or a device such as /dev/null) writes into it and
# leaves it what it was: a finished file must not be renamed over it.
mkfifo "$tmp/pipe"
timeout 10 cat "$tmp/pipe" >"$tmp/from-pipe" &
reader=$!
run db export people -o "$tmp/pipe"
wait "$reader"
expect 0 <<EOF
Exported 5 profiles of database 'people' to $tmp/pipe.
EOF
if [ ! -p "$tmp/pipe" ]; then echo "FAIL: export -o replaced a pipe"; fail=1; fi
same_files "$tmp/people.csv" "$tmp/from-pipe" "export -o into a pipe"

# A failed export leaves no file behind.
run db export people -o "$tmp/nodir/x.csv"
expect 1 </dev/null
if [ -e "$tmp/nodir" ]; then echo "FAIL: export left a file"; fail=1; fi

run db list
expect 0 <<'EOF'
NAME        PROFILES  FIELDS  KEY    SOURCE
copy_csv           5       4  email  local
copy_jsonl         5       4  email  local
people             5       4  email  local
EOF

# Columns line up by display width, not bytes (a Cyrillic name).
run db create клиенты --fields 'email:string'
run db list
expect 0 <<'EOF'
NAME        PROFILES  FIELDS  KEY    SOURCE
copy_csv           5       4  email  local
copy_jsonl         5       4  email  local
people             5       4  email  local
клиенты            0       1  email  local
EOF
run db drop клиенты --yes

run --json db list
expect 0 <<'EOF'
[{
		"name":	"copy_csv",
		"profiles":	5,
		"key":	"email",
		"created_at":	"2026-05-01T12:00:00Z",
		"fields":	[{
				"name":	"email",
				"type":	"string"
			}, {
				"name":	"name",
				"type":	"string"
			}, {
				"name":	"age",
				"type":	"int"
			}, {
				"name":	"tags",
				"type":	"tags"
			}],
		"event_fields":	[],
		"events":	0,
		"source":	"local"
	}, {
		"name":	"copy_jsonl",
		"profiles":	5,
		"key":	"email",
		"created_at":	"2026-05-01T12:00:00Z",
		"fields":	[{
				"name":	"email",
				"type":	"string"
			}, {
				"name":	"name",
				"type":	"string"
			}, {
				"name":	"age",
				"type":	"int"
			}, {
				"name":	"tags",
				"type":	"tags"
			}],
		"event_fields":	[],
		"events":	0,
		"source":	"local"
	}, {
		"name":	"people",
		"profiles":	5,
		"key":	"email",
		"created_at":	"2026-05-01T12:00:00Z",
		"fields":	[{
				"name":	"email",
				"type":	"string"
			}, {
				"name":	"name",
				"type":	"string"
			}, {
				"name":	"age",
				"type":	"int"
			}, {
				"name":	"tags",
				"type":	"tags"
			}],
		"event_fields":	[],
		"events":	0,
		"source":	"local"
	}]
EOF

run db show people
expect 0 <<'EOF'
Database:  people
Profiles:  5
Key:       email
Created:   2026-05-01T12:00:00Z
Fields:
  email                string
  name                 string
  age                  int
  tags                 tags
Events:    0
EOF

run db show people --json
expect 0 <<'EOF'
{
	"name":	"people",
	"profiles":	5,
	"key":	"email",
	"created_at":	"2026-05-01T12:00:00Z",
	"fields":	[{
			"name":	"email",
			"type":	"string"
		}, {
			"name":	"name",
			"type":	"string"
		}, {
			"name":	"age",
			"type":	"int"
		}, {
			"name":	"tags",
			"type":	"tags"
		}],
	"event_fields":	[],
	"events":	0,
	"source":	"local"
}
EOF

# JSON Lines spell tags as an array of strings only.
printf '{"email":"t@x","tags":"vip,x"}\n' >"$tmp/tags.jsonl"
run db import people "$tmp/tags.jsonl"
expect 1 </dev/null
expect_err <<EOF
$tmp/tags.jsonl:1: tags: expected an array of strings, found '"vip,x"'
reseg: import into database 'people' refused (1 error); nothing was changed
EOF

# A database in use by segments is not dropped; they are named.
run segment create B --db people --where 'age < 45'
run segment create A --db people --static
run db drop people
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'people' is used by segments: 'A', 'B'; delete them first
EOF
run segment delete A
run segment delete B
run db drop people --yes
expect 0 <<'EOF'
Dropped database 'people'.
EOF
run db drop people
expect 1 </dev/null
run db show people
expect 1 </dev/null

# The demo: the requested size, the same data on every run.
run demo --profiles 500
# Later lines list the example segments (their own tests check them).
head -n 1 "$tmp/out" >"$tmp/o2"; mv "$tmp/o2" "$tmp/out"
expect 0 <<EOF
Created database 'demo' with 500 profiles in $S.
EOF
run db export demo -o "$tmp/demo1.csv"
run demo --profiles 500
run db export demo -o "$tmp/demo2.csv"
same_files "$tmp/demo1.csv" "$tmp/demo2.csv" "demo is deterministic"
if [ "$(wc -l <"$tmp/demo1.csv")" -ne 501 ] ||
    [ "$(cut -d, -f1 "$tmp/demo1.csv" | sort -u | wc -l)" -ne 501 ]; then
	echo "FAIL: demo: 500 unique e-mail addresses expected"; fail=1
fi
head -n 1 "$tmp/demo1.csv" >"$tmp/out"
name="demo header"
expect 0 <<'EOF'
email,first_name,last_name,gender,birth_date,city,country,created_at,last_purchase_at,orders_count,total_spent,subscribed_email,tags
EOF
run demo --profiles 0
expect 2 </dev/null

# Help lines of commands without arguments end with the command name.
run --help
expect_lines=$(grep -c ' $' "$tmp/out")
[ "$rc" = 0 ] && [ "$expect_lines" = 0 ] ||
    { echo "FAIL: --help: $expect_lines lines end with a blank"; fail=1; }
run db --help
grep -qx '  reseg db list' "$tmp/out" && ! grep -q ' $' "$tmp/out" ||
    { echo "FAIL: db --help: 'reseg db list' line"; cat "$tmp/out"; fail=1; }
run status --help
grep -qx '  reseg status' "$tmp/out" ||
    { echo "FAIL: status --help"; cat "$tmp/out"; fail=1; }

exit $fail
