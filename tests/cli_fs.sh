#!/bin/sh
# A store on a read-only file system, or in a directory the user may not
# write, still answers the commands that read; a full disk is said to be
# one, with the store unchanged.  Needs root and mount (a read-only bind
# mount, a small tmpfs) and setpriv for the non-root reader; skipped (77)
# otherwise.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for mount"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-fs-XXXXXX")
mnt=$tmp/mnt
cleanup() {
	umount "$mnt" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
RESEG_NOW=2026-05-01T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

mkdir "$mnt" "$tmp/src"
if ! mount --bind "$tmp/src" "$mnt" 2>/dev/null; then
	echo "SKIP: mount is not allowed"; exit 77
fi
S=$tmp/src/s
printf 'email,name\na@x,Ann\nb@x,Bob\n' >"$tmp/p.csv"
r db create people --fields 'email:string,name:string' >/dev/null || exit 1
r db import people "$tmp/p.csv" >/dev/null || exit 1
r segment create ann --db people --where 'name = "Ann"' >/dev/null || exit 1
r segment recalc ann >/dev/null || exit 1
if ! mount -o remount,bind,ro "$mnt"; then
	echo "SKIP: a read-only bind mount is not allowed"; exit 77
fi
cp -p "$S/data.mdb" "$tmp/before.mdb"

# Read-only file system: readers work (status too: a query creates no
# scheduler.lock), writers are told why not.
S=$mnt/s
run db list
expect 0 <<'EOF'
NAME    PROFILES  FIELDS  KEY    SOURCE
people         2       2  email  local
EOF
run segment list
expect 0 <<'EOF'
NAME  KIND       DATABASE  STATE   PROFILES  LAST RUN              NEXT RUN  TAGS
ann   scheduled  people    active         1  2026-05-01T12:00:00Z  -
EOF
run segment export ann
expect 0 <<'EOF'
email,name
a@x,Ann
EOF
run status
expect 0 <<'EOF'
scheduler: none
running: none
stale: none
EOF
run db create other --fields 'email:string'
expect 1 </dev/null
expect_err <<EOF
reseg: store $S is read-only (Read-only file system); nothing was changed
EOF
run segment recalc ann
expect 1 </dev/null
expect_err <<EOF
reseg: store $S is read-only (Read-only file system); nothing was changed
EOF
umount "$mnt"
cmp -s "$tmp/before.mdb" "$tmp/src/s/data.mdb" || {
	echo "FAIL: the read-only store changed"; fail=1
}

# A directory the user may not write (lock file shared, data readable):
# the same, as a real non-root user.
if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	S=$tmp/src/s
	chmod 755 "$tmp" "$tmp/src" "$S"
	chmod 644 "$S/data.mdb"
	chmod 666 "$S/lock.mdb"
	# A copy nobody may run: the build tree may sit in a private home.
	cp "$RESEG" "$tmp/reseg" && chmod 755 "$tmp/reseg" || exit 1
	nb() {
		name="$*"
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    env HOME=/nonexistent "$tmp/reseg" --store "$S" "$@" \
		    >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
	}
	nb db list
	expect 0 <<'EOF'
NAME    PROFILES  FIELDS  KEY    SOURCE
people         2       2  email  local
EOF
	nb db create other --fields 'email:string'
	expect 1 </dev/null
	expect_err <<EOF
reseg: store $S is read-only (Permission denied); nothing was changed
EOF
fi

# A full disk: said so, and the store keeps what it had.
if mount -t tmpfs -o size=512k tmpfs "$mnt" 2>/dev/null; then
	S=$mnt/s
	r db create people --fields 'email:string,name:string' >/dev/null ||
	    exit 1
	awk 'BEGIN { print "email,name"
	    for (i = 0; i < 20000; i++) printf "user%d@example.com,name %d\n", i, i * 7919 }' \
	    >"$tmp/big.csv"
	run db import people "$tmp/big.csv"
	expect 1 </dev/null
	expect_err <<EOF
reseg: store $S: no space left on device; nothing was changed
EOF
	run db list
	expect 0 <<'EOF'
NAME    PROFILES  FIELDS  KEY    SOURCE
people         0       2  email  local
EOF
	umount "$mnt"
fi

exit $fail
