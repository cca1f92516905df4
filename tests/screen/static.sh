#!/bin/sh
# A static segment filled by hand in the UI (headless, see HACKING): on
# its Profiles block - proposes the selected profile's key and removes
# it; + adds profiles by key, naming a key no profile has; both are
# logged as Manual runs, as `segment add` and `remove` are.  A scheduled
# segment says why it cannot be filled by hand.
. "$top_srcdir/tests/screen/lib.sh"

demo
first=$(R segment members Hand-picked | head -1)
other=$(R segment members "Moscow VIP subscribers" | head -1)
ui <<EOF
resize 132x24
key Down Down Down Enter Tab -
dump remove-ask
key Enter
dump removed
key +
type $other nobody@example.org
key Enter
dump added
key q Home +
dump scheduled
EOF
grep -qx "Remove the profiles with keys: $first" remove-ask ||
    fail "no proposal: $(cat remove-ask)"
R segment members Hand-picked | grep -qx "$first" && fail "$first still in"
R segment members Hand-picked | grep -qx "$other" || fail "$other not added"
[ "$(R segment members Hand-picked | wc -l)" = 25 ] ||
    fail "members: $(R segment members Hand-picked | wc -l)"
sed -n 23p removed | grep -qx "Removed 1 from 'Hand-picked' (0 were not in it)." ||
    fail "removed: $(sed -n 23p removed)"
sed -n 23p added | grep -qx "Added 1 to 'Hand-picked' (0 were already in it). No profile has the key 'nobody@example.org'." ||
    fail "added: $(sed -n 23p added)"
sed -n 23p scheduled | grep -qx "Only a static segment is filled by hand; this one changes when it is recalculated." ||
    fail "scheduled: $(sed -n 23p scheduled)"
[ "$(R segment log Hand-picked | grep -c Manual)" -ge 3 ] ||
    fail "log: $(R segment log Hand-picked)"
exit $status
