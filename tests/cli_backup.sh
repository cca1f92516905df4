#!/bin/sh
# reseg backup: a consistent, compacted copy taken while a reader holds a
# read transaction, a write lands and the scheduler runs; the copy opens
# with --store as it is and shows exactly what the store shows.  The
# directory's rules and modes.  Exact outputs and exit codes.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-backup-XXXXXX")
PID=
READER=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ -n "$READER" ] && kill $READER 2>/dev/null; rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

r demo --profiles 5000 >/dev/null || { echo "FAIL: demo"; exit 1; }
# A scenario's profiles live in the store too.
r object add scenario Welcome --segment 'Hand-picked' >/dev/null &&
    r scenario add-profiles Welcome --segment 'Hand-picked' >/dev/null ||
    { echo "FAIL: scenario"; exit 1; }

# A reader holds its read transaction: the export blocks on a full pipe
# (5000 profiles are far more than a pipe holds) until the fifo is read,
# after the backup.
mkfifo "$tmp/fifo"
r db export demo >"$tmp/fifo" &
READER=$!
exec 3<"$tmp/fifo"
sleep 1
kill -0 $READER 2>/dev/null || { echo "FAIL: the reader ended early"; fail=1; }

# The scheduler works meanwhile.
"$RESEG" --store "$S" daemon 2>"$tmp/daemon.log" &
PID=$!
i=0
while ! grep -q "scheduler started" "$tmp/daemon.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "FAIL: daemon did not start"; exit 1; }
	sleep 0.05
done

# A write after the reader began: the backup holds it.
printf 'email,first_name\nnew@backup.example,Newly\n' >"$tmp/new.csv"
r db import demo "$tmp/new.csv" >/dev/null || { echo "FAIL: import"; fail=1; }
r segment add 'Hand-picked' new@backup.example >/dev/null ||
    { echo "FAIL: add"; fail=1; }

run backup "$tmp/copy"
size=$(stat -c %s "$tmp/copy/data.mdb")
# Grouped by thousands, as counts are for people (the C locale: commas).
grouped=$(echo "$size" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')
expect 0 <<EOF
Backed up store $S to $tmp/copy ($grouped bytes).
EOF
kill -0 $READER 2>/dev/null || { echo "FAIL: the reader did not hold"; fail=1; }
cat <&3 >"$tmp/reader.csv"
exec 3<&-
wait $READER || { echo "FAIL: reader exit $?"; fail=1; }
READER=
kill -TERM $PID
wait $PID || { echo "FAIL: daemon exit $?"; fail=1; }
PID=
# The reader saw the state before the import, as its transaction began.
grep -q new@backup.example "$tmp/reader.csv" &&
    { echo "FAIL: the reader saw a later write"; fail=1; }
[ "$(wc -l <"$tmp/reader.csv")" = 5001 ] ||
    { echo "FAIL: the reader's export is cut"; fail=1; }

# Modes: 0700 directory, 0600 file; nothing but the data file (the lock
# file is made when the copy is opened).
check "backup modes" 0 "700 .
600 data.mdb" -- sh -c "cd '$tmp/copy' && stat -c '%a %n' . *"

# The copy is compacted: not bigger than the store's file.
[ "$size" -le "$(stat -c %s "$S/data.mdb")" ] ||
    { echo "FAIL: the copy is bigger than the store"; fail=1; }

# The copy shows exactly what the store shows.
same() {
	"$RESEG" --store "$S" "$@" >"$tmp/a" 2>&1
	"$RESEG" --store "$tmp/copy" "$@" >"$tmp/b" 2>&1
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "FAIL: $*: the copy differs"; diff "$tmp/a" "$tmp/b" | head
		fail=1
	fi
}
same segment list
same db list
same db export demo
same db export demo --format jsonl
same events stats demo
same object list
same hook
r segment list --json | sed -n 's/^.*"name":[[:space:]]*"\([^"]*\)".*$/\1/p' |
    sort -u >"$tmp/segs"
[ "$(wc -l <"$tmp/segs")" -gt 3 ] || { echo "FAIL: no segment names"; fail=1; }
while read -r seg; do
	same segment members "$seg"
	same segment log "$seg"
	same segment show "$seg"
done <"$tmp/segs"
"$RESEG" --store "$tmp/copy" segment members 'Hand-picked' |
    grep -q '^new@backup.example$' ||
    { echo "FAIL: the copy lacks the later write"; fail=1; }
# And it is a working store: a run there changes only the copy.
"$RESEG" --store "$tmp/copy" segment recalc 'Big spenders' >/dev/null ||
    { echo "FAIL: recalc in the copy"; fail=1; }

# The directory must be new or empty; a file or a non-empty directory
# is refused by name and left alone.
run backup "$tmp/copy"
expect 1 </dev/null
expect_err <<EOF
reseg: backup $tmp/copy: the directory is not empty; give a new or an empty one
EOF
: >"$tmp/file"
run backup "$tmp/file"
expect 1 </dev/null
expect_err <<EOF
reseg: backup $tmp/file: not a directory
EOF
run backup "$tmp/no/such"
expect 1 </dev/null
expect_err <<EOF
reseg: backup $tmp/no/such: cannot create the directory: No such file or directory
EOF
[ -e "$tmp/no" ] && { echo "FAIL: a parent was created"; fail=1; }
# An empty directory is used as it is.
mkdir "$tmp/empty"
run backup "$tmp/empty"
[ "$rc" = 0 ] && [ -f "$tmp/empty/data.mdb" ] ||
    { echo "FAIL: backup into an empty directory"; cat "$tmp/err"; fail=1; }
# Usage.
run backup
expect 2 </dev/null
run --json backup "$tmp/j"
expect 2 </dev/null
[ -e "$tmp/j" ] && { echo "FAIL: a refused --json wrote a backup"; fail=1; }

exit $fail
