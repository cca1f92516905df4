#!/bin/sh
# Segments with event conditions end to end: a dry run, a run, and
# `segment why` with each event test's count or aggregate and the newest
# matching events (at most 5), with exact outputs.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-segev-XXXXXX")
trap 'rm -rf "$T"' EXIT
S="$T/store"
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0

. "$top_srcdir/tests/cli_lib.sh"

r db create shop --fields 'email:string,age:int' \
    --event-fields 'amount:float,sku:string' >/dev/null || exit 1
printf 'email,age\na@x,30\nb@x,41\nc@x,25\n' >"$T/p.csv"
r db import shop "$T/p.csv" >/dev/null || exit 1
# a@x: 6 purchases in the last 30 days, no open; b@x: 3 purchases, the
# oldest exactly 30 days ago, and an open; c@x: one purchase 31 days ago.
cat >"$T/ev.csv" <<'EOF'
key,event,time,amount,sku
a@x,purchase,2026-11-20T10:00:00Z,10,TV-1
a@x,purchase,2026-11-21T10:00:00Z,20.5,TV-2
a@x,purchase,2026-11-22T10:00:00Z,30,PH-1
a@x,purchase,2026-11-23T10:00:00Z,,PH-2
a@x,purchase,2026-11-24T10:00:00Z,50,TV-3
a@x,purchase,2026-11-25T10:00:00Z,60,TV-4
b@x,purchase,2026-10-29T12:00:00Z,5,PH-1
b@x,purchase,2026-11-01T12:00:00Z,5,PH-1
b@x,purchase,2026-11-02T12:00:00Z,5,PH-1
b@x,email_open,2026-11-10T08:00:00Z,,
c@x,purchase,2026-10-28T11:59:59Z,99,TV-9
EOF
r events import shop "$T/ev.csv" >/dev/null || exit 1

r segment create Buyers --db shop --where 'did "purchase" at least 3 times within last 30 days and not did "email_open" within last 90 days' >/dev/null || exit 1
r segment create Spenders --db shop --where 'sum(amount) of "purchase" where (sku starts with "TV") >= 100 within last 30 days or avg(amount) of "purchase" > 90' >/dev/null || exit 1

check dry-run 0 "Dry run of segment 'Buyers' (nothing saved): added 1, removed 0, total 1." -- \
    r segment recalc Buyers --dry-run
check why-before 0 "'b@x' is not in segment 'Buyers'.
Evaluated now, profile \"b@x\" (number 1) is out.
Conditions: false
  all of (and) — false
    did \"purchase\" at least 3 times within last 30 days — true (count = 3, first 2026-10-29T12:00:00Z, last 2026-11-02T12:00:00Z)
      2026-11-02T12:00:00Z purchase (amount = 5, sku = \"PH-1\")
      2026-11-01T12:00:00Z purchase (amount = 5, sku = \"PH-1\")
      2026-10-29T12:00:00Z purchase (amount = 5, sku = \"PH-1\")
    not — false
      did \"email_open\" within last 90 days — true (count = 1, first 2026-11-10T08:00:00Z, last 2026-11-10T08:00:00Z)
        2026-11-10T08:00:00Z email_open
Segment 'Buyers' has not been calculated yet." -- r segment why Buyers b@x
check recalc 0 "Recalculated segment 'Buyers' (run 1): added 1, removed 0, total 1." -- \
    r segment recalc Buyers
check why-member 0 "'a@x' is in segment 'Buyers'.
Evaluated now, profile \"a@x\" (number 0) is in.
Conditions: true
  all of (and) — true
    did \"purchase\" at least 3 times within last 30 days — true (count = 6, first 2026-11-20T10:00:00Z, last 2026-11-25T10:00:00Z)
      2026-11-25T10:00:00Z purchase (amount = 60, sku = \"TV-4\")
      2026-11-24T10:00:00Z purchase (amount = 50, sku = \"TV-3\")
      2026-11-23T10:00:00Z purchase (sku = \"PH-2\")
      2026-11-22T10:00:00Z purchase (amount = 30, sku = \"PH-1\")
      2026-11-21T10:00:00Z purchase (amount = 20.5, sku = \"TV-2\")
    not — true
      did \"email_open\" within last 90 days — false (count = 0)" -- r segment why Buyers a@x
check spenders 0 "Recalculated segment 'Spenders' (run 1): added 2, removed 0, total 2." -- \
    r segment recalc Spenders
check why-aggregates 0 "'c@x' is in segment 'Spenders'.
Evaluated now, profile \"c@x\" (number 2) is in.
Conditions: true
  any of (or) — true
    sum(amount) of \"purchase\" where (sku starts with \"TV\") >= 100 within last 30 days — false (sum(amount) = 0; count = 0)
    avg(amount) of \"purchase\" > 90 — true (avg(amount) = 99; count = 1, first 2026-10-28T11:59:59Z, last 2026-10-28T11:59:59Z)
      2026-10-28T11:59:59Z purchase (amount = 99, sku = \"TV-9\")" -- r segment why Spenders c@x
check why-sum 0 "'a@x' is in segment 'Spenders'.
Evaluated now, profile \"a@x\" (number 0) is in.
Conditions: true
  any of (or) — true
    sum(amount) of \"purchase\" where (sku starts with \"TV\") >= 100 within last 30 days — true (sum(amount) = 140.5; count = 4, first 2026-11-20T10:00:00Z, last 2026-11-25T10:00:00Z)
      2026-11-25T10:00:00Z purchase (amount = 60, sku = \"TV-4\")
      2026-11-24T10:00:00Z purchase (amount = 50, sku = \"TV-3\")
      2026-11-21T10:00:00Z purchase (amount = 20.5, sku = \"TV-2\")
      2026-11-20T10:00:00Z purchase (amount = 10, sku = \"TV-1\")
    avg(amount) of \"purchase\" > 90 — false (avg(amount) = 34.1; count = 6, first 2026-11-20T10:00:00Z, last 2026-11-25T10:00:00Z)
      2026-11-25T10:00:00Z purchase (amount = 60, sku = \"TV-4\")
      2026-11-24T10:00:00Z purchase (amount = 50, sku = \"TV-3\")
      2026-11-23T10:00:00Z purchase (sku = \"PH-2\")
      2026-11-22T10:00:00Z purchase (amount = 30, sku = \"PH-1\")
      2026-11-21T10:00:00Z purchase (amount = 20.5, sku = \"TV-2\")" -- r segment why Spenders a@x

exit $fail
