#!/bin/sh
# The store's sharing model (README, "The store") with real users and a
# group: a store directory that is group-writable and setgid is shared,
# and every file in it (data.mdb, lock.mdb, scheduler.lock, hooks.log) is
# 0660 with its group whoever creates it first; any other store is one
# owner's (0700, files 0600).  Needs root; skipped (77) otherwise.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
[ "$(id -u)" = 0 ] || { echo "SKIP: not root"; exit 77; }
for t in useradd groupadd userdel groupdel setpriv stat; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: no $t"; exit 77; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-shared-XXXXXX")
sfx=$$
G=rsg_s$sfx
U1=rsg_a$sfx
U2=rsg_b$sfx
cleanup() {
	for u in $U1 $U2; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
groupadd "$G" &&
useradd -M -N -g users -G "$G" "$U1" &&
useradd -M -N -g users -G "$G" "$U2" || { echo "FAIL: cannot create users"; exit 1; }
chmod 755 "$tmp"
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0

# as USER STORE ARGS...: reseg as USER with a umask of 077.
as() {
	u=$1 st=$2
	shift 2
	(umask 077; setpriv --reuid="$u" --regid=users --init-groups \
	    "$RESEG" --store "$st" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 0 ] || { echo "FAIL: $u: $*: exit $rc"; cat "$tmp/err"; fail=1; }
}

# daemon_briefly USER STORE: USER's scheduler takes the lock (creating
# scheduler.lock), then stops; `status` only reads the lock file.
daemon_briefly() {
	(umask 077; exec setpriv --reuid="$1" --regid=users --init-groups \
	    "$RESEG" --store "$2" daemon) >"$tmp/dout" 2>&1 &
	dpid=$!
	i=0
	while [ ! -e "$2/scheduler.lock" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
	kill -TERM "$dpid" 2>/dev/null
	wait "$dpid"
	drc=$?
	[ $drc = 0 ] || { echo "FAIL: $1: daemon: exit $drc"; cat "$tmp/dout"; fail=1; }
}

S=$tmp/shared
mkdir "$S" && chgrp "$G" "$S" && chmod 2770 "$S"
as "$U1" "$S" db create d --fields 'email:string'
# The other member's scheduler creates the lock first.
daemon_briefly "$U2" "$S"
as "$U2" "$S" status
printf 'email\nx@y\n' >"$tmp/p.csv"; chmod 644 "$tmp/p.csv"
as "$U2" "$S" db import d "$tmp/p.csv"
as "$U2" "$S" segment create A --db d --where 'email != ""'
as "$U2" "$S" segment recalc A
# The owner's status and another run work after them.
as "$U1" "$S" status
as "$U1" "$S" segment recalc A
daemon_briefly "$U1" "$S"
got=$(cd "$S" && stat -c '%a %G %n' data.mdb lock.mdb scheduler.lock)
want="660 $G data.mdb
660 $G lock.mdb
660 $G scheduler.lock"
[ "$got" = "$want" ] || { echo "FAIL: shared modes"; echo "$got"; fail=1; }

# One owner's store: 0700 and 0600 files, as before.
P=$tmp/private
mkdir "$P" && chown "$U1" "$P"
as "$U1" "$P" db create d --fields 'email:string'
daemon_briefly "$U1" "$P"
as "$U1" "$P" status
got=$(cd "$P" && stat -c '%a %n' . data.mdb lock.mdb scheduler.lock)
want="755 .
600 data.mdb
600 lock.mdb
600 scheduler.lock"
[ "$got" = "$want" ] || { echo "FAIL: private modes"; echo "$got"; fail=1; }
exit $fail
