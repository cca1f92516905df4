#!/bin/sh
# tests/sqlgen_pg.sh over a sharded table: three servers, a coordinator
# whose profiles and events tables are partitioned by hash of the key
# over postgres_fdw foreign tables on the two others.  The statements are
# the same; the members must again be those of the store.
SQLGEN_FDW=1
. "${top_srcdir:-..}/tests/sqlgen_pg.sh"
