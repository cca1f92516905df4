#!/bin/sh
# The command line prints plain digits in every locale (README,
# "Counts"): scripts read its sentences and tables, so neither the C,
# English nor a Russian LC_NUMERIC groups them; only the terminal UI does
# (tests/screen/numbers.sh).
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-numbers-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
unset LANGUAGE LC_ALL LC_MESSAGES
LANG=C.UTF-8
export LANG
fail=0

. "$top_srcdir/tests/cli_lib.sh"

for l in en_US ru_RU; do
	locale -a 2>/dev/null | grep -qix "$l\.utf-\?8" ||
	    { echo "FAIL: no $l.UTF-8 locale (tools/dev deps generates it)"; exit 1; }
done

awk 'BEGIN { print "email,n"; for (i = 0; i < 1500; i++) print "p" i "@x," i }' >"$tmp/p.csv"
r db create d --fields 'email:string,n:int' >/dev/null || exit 1
LC_NUMERIC=ru_RU.UTF-8 run db import d "$tmp/p.csv"
expect 0 <<'EOF'
d: 1500 rows: 1500 inserted, 0 updated, 0 unchanged, 0 rejected
EOF
r segment create all --db d --where 'n >= 0' >/dev/null || exit 1

LC_NUMERIC=en_US.UTF-8 run segment recalc all --dry-run
expect 0 <<'EOF'
Dry run of segment 'all' (nothing saved): added 1500, removed 0, total 1500.
EOF

LC_NUMERIC=ru_RU.UTF-8 run segment recalc all
expect 0 <<'EOF'
Recalculated segment 'all' (run 1): added 1500, removed 0, total 1500.
EOF

LC_NUMERIC=ru_RU.UTF-8 run segment show all --json
grep -q '"profiles":[[:space:]]*1500,' "$tmp/out" ||
    { echo "FAIL: JSON counts are not plain digits:"; cat "$tmp/out"; fail=1; }

exit $fail
