#!/bin/sh
# Confirmation of destructive commands (issue 13, item 17): db drop,
# segment delete --force of a segment in use, segment update.  Without a
# terminal and without --yes they refuse (exit 1) and change nothing; on a
# terminal (script(1) gives one) they ask "[y/N]": y/yes goes on, n and
# the end of input abort.  segment update --dry-run says how many
# profiles would change.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-cli-confirm-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
RESEG_NOW=2026-11-28T12:00:00Z
export RESEG_NOW
fail=0
. "$top_srcdir/tests/cli_lib.sh"

printf 'email,age,city\na@x,30,Moscow\nb@x,40,Paris\nc@x,25,Moscow\n' >"$tmp/p.csv"
r db create people --fields 'email:string,age:int,city:string' >/dev/null &&
    r db import people "$tmp/p.csv" >/dev/null &&
    r db create other --fields 'email:string' >/dev/null &&
    r segment create M --db people --where 'city = "Moscow"' >/dev/null &&
    r segment recalc M >/dev/null &&
    r segment create U --db people --where 'in segment "M"' >/dev/null &&
    r segment create free --db people >/dev/null ||
    { echo "FAIL: set-up"; exit 1; }

# state: what the commands below may change.
state() {
	r db export people
	r db list
	r segment list
}
state >"$tmp/state0"
unchanged() {
	state >"$tmp/state"
	cmp -s "$tmp/state0" "$tmp/state" ||
	    { echo "FAIL: $name changed the store"; diff "$tmp/state0" "$tmp/state"; fail=1; }
}

# --- no terminal, no --yes: refused ---------------------------------

run db drop other
expect 1 </dev/null
expect_err <<'EOF'
reseg: Drop database 'other' with its 0 profiles and their events?
reseg: standard input is not a terminal: pass --yes to confirm; nothing was changed
EOF
unchanged
# A database in use is refused before anything is asked.
run db drop people
expect 1 </dev/null
expect_err <<'EOF'
reseg: database 'people' is used by segments: 'M', 'U', 'free'; delete them first
EOF
run db drop nosuch
expect 1 </dev/null
expect_err <<'EOF'
reseg: no profile database named 'nosuch'
EOF

run segment update M --set age=33
expect 1 </dev/null
expect_err <<'EOF'
reseg: Set age=33 in segment 'M': 2 of 2 profiles would change.  Go on?
reseg: standard input is not a terminal: pass --yes to confirm; nothing was changed
EOF
unchanged
run segment update M --set age=33 --set city=Moscow --dry-run
expect 0 <<'EOF'
Dry run of updating segment 'M' (nothing saved): 2 of 2 profiles would change.
EOF
expect_err </dev/null
unchanged
# Nothing would change: nothing to confirm.
run segment update M --set city=Moscow
expect 0 <<'EOF'
Updated segment 'M': 0 of 2 profiles changed.
EOF
unchanged

run segment delete M --force
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'M' is used by segment 'U'; delete it anyway?
reseg: standard input is not a terminal: pass --yes to confirm; nothing was changed
EOF
unchanged
run segment delete M
expect 1 </dev/null
expect_err <<'EOF'
reseg: segment 'M' is used by segment 'U'; use --force to delete it anyway
EOF
unchanged
# --force on a segment nobody uses overrides nothing: no question.
run segment delete free --force
expect 0 <<'EOF'
Deleted segment 'free'.
EOF
r segment create free --db people >/dev/null
state >"$tmp/state0"

# --- --yes ----------------------------------------------------------

run segment update M --set age=33 --yes
expect 0 <<'EOF'
Updated segment 'M': 2 of 2 profiles changed.
EOF
run db drop other --yes
expect 0 <<'EOF'
Dropped database 'other'.
EOF
state >"$tmp/state0"

# --- on a terminal ----------------------------------------------------

if ! command -v script >/dev/null 2>&1 ||
    ! script -qec true /dev/null </dev/null >/dev/null 2>&1; then
	echo "SKIP: no script(1): the terminal questions are not tested"
	exit $fail
fi

# tty ANSWER ARGS...: reseg on a terminal, ANSWER typed after a second
# ("" types nothing: the end of input); $tmp/out is what the terminal
# showed, without its CRs and an echo of the answer.
on_tty() {
	answer=$1
	shift
	name="tty '$answer' $*"
	(sleep 1; [ -n "$answer" ] && printf '%s\n' "$answer") |
	    script -qec "stty -echo; \"$RESEG\" --store \"$S\" $*; echo \"rc=\$?\"" \
	    /dev/null >"$tmp/raw" 2>&1
	tr -d '\r' <"$tmp/raw" | sed "1{/^$answer\$/d;}" >"$tmp/out"
	rc=0
}

on_tty n segment update M --set age=1
expect 0 <<'EOF'
Set age=1 in segment 'M': 2 of 2 profiles would change.  Go on? [y/N] reseg: aborted: nothing was changed
rc=1
EOF
unchanged
on_tty '' segment update M --set age=1
expect 0 <<'EOF'
Set age=1 in segment 'M': 2 of 2 profiles would change.  Go on? [y/N] 
reseg: aborted: nothing was changed
rc=1
EOF
unchanged
on_tty y segment update M --set age=1
expect 0 <<'EOF'
Set age=1 in segment 'M': 2 of 2 profiles would change.  Go on? [y/N] Updated segment 'M': 2 of 2 profiles changed.
rc=0
EOF
on_tty no segment delete M --force
expect 0 <<'EOF'
segment 'M' is used by segment 'U'; delete it anyway? [y/N] reseg: aborted: nothing was changed
rc=1
EOF
on_tty yes segment delete M --force
expect 0 <<'EOF'
segment 'M' is used by segment 'U'; delete it anyway? [y/N] Deleted segment 'M'.
rc=0
EOF
r db create gone --fields 'email:string' >/dev/null
on_tty Y db drop gone
expect 0 <<'EOF'
Drop database 'gone' with its 0 profiles and their events? [y/N] Dropped database 'gone'.
rc=0
EOF

exit $fail
