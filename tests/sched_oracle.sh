#!/bin/sh
# Next-run times of `reseg schedule next` against an independent oracle
# (dateutil.rrule + zoneinfo, Debian's python3-dateutil).
: "${top_srcdir:=$(dirname "$0")/..}"
: "${RESEG:=reseg}"
export RESEG
unset RESEG_NOW
exec /usr/bin/python3 "$top_srcdir/tests/sched_oracle.py"
