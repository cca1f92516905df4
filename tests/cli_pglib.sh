#!/bin/sh
# libpq is loaded at run time, only by what needs it (src/engine/sql/pglib.c):
# the binary does not link it, local work runs with it unloadable, and a
# command that needs it (db attach, query add) fails with the library's
# name and the loader's reason, exit 1, store unchanged.  No server needed:
# the library is loaded before any connection.  cli_query.sh covers runs.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-pglib-XXXXXX")
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"
trap 'rm -rf "$tmp"' EXIT

# The binary itself: neither libpq nor its chain (ssl, krb5, ldap).
ldd "$RESEG" >"$tmp/ldd" 2>&1 || { echo "FAIL: ldd $RESEG"; cat "$tmp/ldd"; exit 1; }
if grep -E 'libpq|libssl|libcrypto|libkrb5|libldap|libgssapi' "$tmp/ldd"; then
	echo "FAIL: $RESEG links libpq or its dependencies"
	fail=1
fi

RESEG_TEST_LIBPQ=$tmp/nonexistent/libpq.so.5
export RESEG_TEST_LIBPQ
why="PostgreSQL client library $tmp/nonexistent/libpq.so.5 could not be loaded: $tmp/nonexistent/libpq.so.5: cannot open shared object file: No such file or directory; install libpq5"
# expect_why PREFIX: stderr is "reseg: PREFIX" and the loader's message.
expect_why() {
	printf 'reseg: %s%s\n' "$1" "$why" >"$tmp/want_err"
	if ! cmp -s "$tmp/want_err" "$tmp/err"; then
		echo "FAIL: $name: stderr differs"
		diff "$tmp/want_err" "$tmp/err"; fail=1
	fi
}

# Local work never loads it.
printf 'email,age\na@x,1\nb@x,2\nc@x,30\n' >"$tmp/p.csv"
r db create d --fields 'email:string,age:int' --key email >/dev/null &&
    r db import d "$tmp/p.csv" >/dev/null &&
    r segment create s --db d --where 'age < 10' >/dev/null || exit 1
run segment recalc s
expect 0 <<'EOF'
Recalculated segment 's' (run 1): added 2, removed 0, total 2.
EOF
run segment members s
expect 0 <<'EOF'
a@x
b@x
EOF

# What needs it fails before connecting, and the store stays as it was.
run db attach p --postgres 'host=/nonexistent' --table people --key email
expect 1 </dev/null
expect_why ''
run query add q --postgres 'host=/nonexistent' --sql 'SELECT 1'
expect 1 </dev/null
expect_why "query 'q': "
run db list
expect 0 <<'EOF'
NAME  PROFILES  FIELDS  KEY    SOURCE
d            3       2  email  local
EOF
run query list
expect 0 <<'EOF'
No queries.
EOF

# A library without libpq's functions is refused too, by the missing name.
RESEG_TEST_LIBPQ=libc.so.6
run query add q --postgres 'host=/nonexistent' --sql 'SELECT 1'
expect 1 </dev/null
sed 's|: [^ ]*libc\.so\.6: undefined|: LIBC: undefined|' "$tmp/err" >"$tmp/err.sub"
mv "$tmp/err.sub" "$tmp/err"
expect_err <<'EOF'
reseg: query 'q': PostgreSQL client library libc.so.6 could not be loaded: LIBC: undefined symbol: PQcancel; install libpq5
EOF

# Without the hook libpq.so.5 loads: libpq itself parses the string.
unset RESEG_TEST_LIBPQ
run query add q --postgres 'nonsense' --sql 'SELECT 1'
expect 1 </dev/null
expect_err <<'EOF'
reseg: query 'q': invalid connection string: missing "=" after "nonsense" in connection info string
EOF

exit $fail
