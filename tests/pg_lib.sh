# Real PostgreSQL servers for the tests of attached databases and queries.
# Each server is initialised in a temporary directory, listens only on a
# Unix socket there (no TCP port, so tests may run side by side), trusts
# local connections, and is stopped when the test exits, also on failure.
#
#   . tests/pg_lib.sh            (after setting fail=0 if the test uses it)
#   pg_start NAME                starts a server; sets pg_NAME to its conninfo
#   pg_sql NAME 'SQL'            runs SQL there (stops at the first error)
#   pg_stop NAME                 stops it early (e.g. to test a lost server)
#
# PostgreSQL refuses to run as root: as root the servers run as the
# `postgres` user the Debian package creates, otherwise as the caller.
# Without the server binaries the test is skipped (exit 77), except on CI,
# where tools/dev installs them and a missing server is a failure.
# The EXIT trap set here stops the servers; a test that sets its own EXIT
# trap afterwards must call pg_stop_all in it.

pg_bindir=${PG_BINDIR:-}
if [ -z "$pg_bindir" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && pg_bindir=$d
	done
fi
if [ -z "$pg_bindir" ] || [ ! -x "$pg_bindir/pg_ctl" ]; then
	echo "PostgreSQL server binaries not found (install postgresql-15)" >&2
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi

pg_root=$(mktemp -d "${TMPDIR:-/tmp}/reseg-pg.XXXXXX")
chmod 0755 "$pg_root"
pg_names=

if [ "$(id -u)" = 0 ]; then
	pg_user=postgres
	pg_as() { runuser -u postgres -- "$@"; }
else
	pg_user=$(id -un)
	pg_as() { "$@"; }
fi

pg_start() {
	_d=$pg_root/$1
	mkdir -p "$_d/sock"
	[ "$pg_user" = postgres ] && [ "$(id -u)" = 0 ] && chown -R postgres "$_d"
	if ! pg_as "$pg_bindir/initdb" -D "$_d/data" -U postgres -A trust \
	    -E UTF8 --locale=C --no-sync >"$_d/initdb.log" 2>&1; then
		echo "initdb of $1 failed:" >&2; cat "$_d/initdb.log" >&2
		exit 1
	fi
	if ! pg_as "$pg_bindir/pg_ctl" -D "$_d/data" -l "$_d/server.log" -w \
	    -o "-k $_d/sock -c listen_addresses= -c fsync=off -c full_page_writes=off" \
	    start >/dev/null 2>&1; then
		echo "the PostgreSQL server $1 did not start:" >&2
		cat "$_d/server.log" >&2
		exit 1
	fi
	pg_names="$pg_names $1"
	eval "pg_$1=\"host=$_d/sock port=5432 user=postgres dbname=postgres\""
}

pg_stop() {
	pg_as "$pg_bindir/pg_ctl" -D "$pg_root/$1/data" -m immediate -w stop \
	    >/dev/null 2>&1
}

pg_sql() {
	eval "_c=\$pg_$1"
	shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$_c" -c "$1"
}

pg_stop_all() {
	for _n in $pg_names; do
		pg_stop "$_n"
	done
	rm -rf "$pg_root"
}
trap 'pg_stop_all' EXIT
trap 'exit 1' INT TERM
