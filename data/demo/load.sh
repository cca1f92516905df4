#!/bin/sh
# Loads the reseg demo data into a store: the profile database "shop"
# (40 profiles from profiles.csv), four scheduled segments and one static
# segment from the *.seg files, then recalculates the scheduled ones.
#
#   sh load.sh                 # the default store (or $RESEG_STORE)
#   sh load.sh --store DIR     # another store
#   RESEG=/path/to/reseg sh load.sh
#
# The dates in profiles.csv are around 2026-12-01; set
# RESEG_NOW=2026-12-01T12:00:00Z to get the member counts in ./README.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
reseg=${RESEG:-reseg}

"$reseg" "$@" db create shop --key email --fields \
'email:string,first_name:string,city:string,country:string,birth_date:date,'\
'signed_up_at:datetime,last_order_at:datetime,orders:int,spent:float,'\
'subscribed:bool,tags:tags'
"$reseg" "$@" db import shop "$dir/profiles.csv"
for f in "$dir"/[0-9]*.seg; do
	"$reseg" "$@" segment load "$f"
done
"$reseg" "$@" segment add Hand-picked --from-file "$dir/hand-picked.keys"
# Dependencies first: "Lapsed subscribers" uses "Active buyers".
for s in "Active buyers" "Moscow VIP" "Lapsed subscribers" "Test group 20%"; do
	"$reseg" "$@" segment recalc "$s"
done
"$reseg" "$@" segment test "$dir/10-active-buyers.seg" \
    "$dir/active-buyers.cases.csv"
