#!/bin/sh
# Same key, same meaning: on every screen (the list, each block of the
# segment page, the form, a list to choose from, the help) every key the
# help overlay lists does what the screen defines for it (the driver's
# `done` fails the script otherwise), the help lists only what the
# screen takes where it is opened (exact dumps of the Profiles and
# History blocks' help), and a key the help leaves out does nothing
# there.

. "${srcdir:-.}/tests/screen/lib.sh"

PROFILES=300 demo

# The keys listed by the help dump $1: the column after the box's edge,
# one name a line.
help_keys()
{
	awk -F '│' 'NF >= 3 && $2 ~ /^ [^ ]/ {
		h++; on = h == 1 || $2 ~ /^ Every screen /; next }
	    NF >= 3 && on && $2 ~ /^  [^ ]/ { print substr($2, 3, 12) }' "$1" |
	    tr ' ' '\n' | sed '/^$/d' | sort -u
}

# walk NAME KEYS: opens the screen with KEYS, reads its help at a size
# where it fits, then presses each key listed on a fresh UI and checks
# that the key was taken.
walk()
{
	name=$1
	shift
	RESEG_UI_SIZE=100x70
	export RESEG_UI_SIZE
	ui <<EOF
key $*
key F1
dump $name.help
EOF
	help_keys "$name.help" >"$name.keys"
	[ "$(wc -l <"$name.keys")" -ge 8 ] ||
	    fail "$name: the help lists $(wc -l <"$name.keys") keys"
	while read -r k; do
		cat >script <<EOF
key $*
key $k
done
EOF
		RESEG_UI_SCRIPT=script "$RESEG" --store store 2>err ||
		    { echo "FAIL: $name: key $k: $(cat err)" >&2; status=1; }
	done <"$name.keys"
	unset RESEG_UI_SIZE
}

walk list ""
walk overview Enter
walk profiles Enter Tab
walk history Enter Tab Tab
walk log Enter Tab Tab Tab
walk dependents Enter Tab Tab Tab Tab
walk form i
walk static-page Down Down Down Enter

# Every screen lists the shared keys, and g/G, j/k where rows move.
for s in list profiles log; do
	for k in g G j k PgUp PgDn Home End / n N q Esc ^L; do
		grep -Fqx -- "$k" "$s.keys" || fail "$s: the help lacks $k"
	done
done
for k in h l g G p P o; do
	grep -Fqx -- "$k" history.keys || fail "history: the help lacks $k"
done

# Where nothing moves (the Overview), j and / are not listed, and they
# do nothing there.
for k in j k / n '<'; do
	grep -Fqx -- "$k" overview.keys && fail "overview: the help lists $k"
	printf 'key Enter\nkey %s\ndone\n' "$k" >script
	RESEG_UI_SCRIPT=script "$RESEG" --store store 2>err &&
	    fail "overview: key $k was taken"
	grep -q "did nothing this screen defines" err ||
	    fail "overview: key $k: $(cat err)"
done

# A list to choose from (the sort column's): every movement key, the
# filter and its matches, then Enter chooses and Esc or q closes it.
for k in Up Down j k PgUp PgDn Home End g G / n N Enter Esc q; do
	printf 'key Enter Tab <\nkey %s\ndone\n' "$k" >script
	RESEG_UI_SCRIPT=script "$RESEG" --store store 2>err ||
	    { echo "FAIL: chooser: key $k: $(cat err)" >&2; status=1; }
done

# The help itself: its scroll keys, and any other key closes it.
for k in Up Down j k PgUp PgDn Home End g G x; do
	printf 'key ?\nkey %s\ndone\n' "$k" >script
	RESEG_UI_SCRIPT=script "$RESEG" --store store 2>err ||
	    { echo "FAIL: help: key $k: $(cat err)" >&2; status=1; }
done

ui <<'EOF'
key Enter Tab ?
dump profiles-help
key Esc Tab ?
dump history-help
EOF
expect profiles-help <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Da┌ Help: keys ──────────────────────────────────────────────────────────────┐
Sc│ Segment                                                                  │
La│  Tab          Next field or block                                        │
r:│  BTab         Previous field or block                                    │
 O│  Up k         Move up                                                    │
em│  Down j       Move down                                                  │
sv│  Left h       Move left                                                  │
di│  Right l      Move right                                                 │
ol│  PgUp ^B      Page up                                                    │
ek│  PgDn ^F      Page down                                                  │t…
r.│  Home g       First line                                                 │
a.│  End G        Last line                                                  │
a.│  /            Filter or search                                           │t…
m.│  n            Next match of the filter or search                         │a
al│  N            Previous match of the filter or search                     │t…
na│  Enter        Open or choose                                             │
da│  < >          Choose the column to sort by                               │
k.│  I            Reverse the sort order                                     │
ar│  F            Choose and order the columns shown                         │
ek│  r F6         Manual recalculation                                       │
1-│ Up/Down, PgUp/PgDn, Home/End scroll; any other key closes this help.     │
  └──────────────────────────────────────────────────────────────────────────┘
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF
expect history-help <<'EOF'
 reseg Segment: Active buyers CIS                                         store
Da┌ Help: keys ──────────────────────────────────────────────────────────────┐
Sc│ Segment                                                                  │
La│  Tab          Next field or block                                        │
r:│  BTab         Previous field or block                                    │
 O│  Left h       Move left                                                  │
Pe│  Right l      Move right                                                 │
  │  Home g       First line                                                 │
  │  End G        Last line                                                  │
  │  r F6         Manual recalculation                                       │
  │  s            Stop or start the schedule                                 │
  │  S            Reconfigure the schedule                                   │
  │  e F4         Edit the segment                                           │
  │  D            Delete the conditions                                      │
  │  a            Update history chart                                       │
  │  p            Next period preset                                         │
  │  P            Custom period                                              │
  │  o            Next grouping                                              │
  │  v            Show members, or members added and removed                 │
20│  b            Copy profiles to a database                                │
au│  c            Copy profiles to a static segment                          │
Le│ Up/Down, PgUp/PgDn, Home/End scroll; any other key closes this help.     │
  └──────────────────────────────────────────────────────────────────────────┘
F6Recalc F4Edit F7New F5Clone F8Delete F1Help F10Quit        Times: segment zone
EOF

exit $status
