#!/bin/sh
# Shell completion (README, "Shell completion"): data/bash-completion/reseg
# sourced in bash, COMPREPLY compared exactly for commands, a group's
# commands, a command's options, choices, segment and database names
# (names with blanks, a quoted word, --db=NAME) from a test store; and
# reseg __complete itself: what it answers for files and directories,
# and that it creates no store where there is none.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
command -v bash >/dev/null 2>&1 || { echo "SKIP: no bash"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-completion-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
fail=0

r() { "$RESEG" --store "$S" "$@" >/dev/null || { echo "FAIL: set-up: $*"; exit 1; }; }
r db create people --fields 'email:string,age:int' --key email
r db create shop --fields 'id:string' --key id
r segment create 'Big spenders' --db people --static
r segment create 'Big savers' --db people --static
r segment create Adults --db people --where 'age >= 18'

# The cases, one a line: LINE (to the cursor) TAB the expected COMPREPLY,
# its words joined by "|".
cat >"$tmp/cases" <<'CASES'
reseg 	backup|check|daemon|db|demo|events|help|hook|object|query|scenario|schedule|segment|status
reseg help se	segment
reseg help segment rec	recalc
reseg s	scenario|schedule|segment|status
reseg segment re	recalc|remove
reseg db 	alter|attach|create|delete-profiles|drop|export|import|list|ranges|refresh|show
reseg segment recalc -	--dry-run
reseg segment create x --	--db|--group|--limit|--range|--schedule|--static|--tag|--where|--where-file
reseg segment recalc 	Adults|Big savers|Big spenders
reseg segment recalc B	Big savers|Big spenders
reseg segment recalc "Big s	Big savers|Big spenders
reseg segment recalc 'Big sp	Big spenders
reseg segment recalc Big\ sa	Big savers
reseg segment recalc --dry-run A	Adults
reseg segment recalc Adults 	
reseg segment copy Adults --to-segment Big\ s	Big savers|Big spenders
reseg segment create x --db 	people|shop
reseg segment create x --db=p	people
reseg segment members Adults --format 	csv|jsonl|keys
reseg segment history Adults --group=w	week
reseg events list 	people|shop
reseg db show s	shop
reseg object add 	loyalty|mailing|scenario
reseg object add mailing m --segment A	Adults
reseg daemon -	--catch-up-grace|--syslog
reseg -	--help|--json|--store|--version
reseg --json segment st	start|stop
reseg nosuch 	
CASES

tab=$(printf '\t')
while IFS="$tab" read -r line want; do
	got=$(RESEG_STORE=$S LINE=$line bash -c '
		source "$top_srcdir/data/bash-completion/reseg"
		COMP_WORDBREAKS=$'"'"' \t\n"\x27><=;|&(:'"'"'
		COMP_LINE=$LINE COMP_POINT=${#LINE}
		COMP_WORDS=("$RESEG") COMP_CWORD=1
		_reseg
		IFS="|"; printf "%s\n" "${COMPREPLY[*]}"')
	if [ "$got" != "$want" ]; then
		echo "FAIL: '$line': got '$got', want '$want'"
		fail=1
	fi
done <"$tmp/cases"

# The store named on the line wins over $RESEG_STORE.
got=$(RESEG_STORE=$tmp/none "$RESEG" __complete bash '=' \
    "reseg --store $S segment show Ad")
[ "$got" = "words
Adults" ] || { echo "FAIL: --store on the line: '$got'"; fail=1; }

# What the helper answers besides words; no store is made by asking.
check() {
	got=$(RESEG_STORE=$tmp/none "$RESEG" __complete "$@" 2>&1)
	rc=$?
}
check bash '=' 'reseg db import people '
[ "$rc.$got" = "0.files" ] || { echo "FAIL: files: $rc '$got'"; fail=1; }
check bash '=' 'reseg --store '
[ "$rc.$got" = "0.dirs" ] || { echo "FAIL: dirs: $rc '$got'"; fail=1; }
check bash '=' 'reseg segment show '
[ "$rc.$got" = "0.words" ] || { echo "FAIL: no store: $rc '$got'"; fail=1; }
[ -e "$tmp/none" ] && { echo "FAIL: completion created a store"; fail=1; }
check zsh segment recalc 'Big sp'
[ "$rc.$got" = "0.words" ] || { echo "FAIL: zsh, no store: $rc '$got'"; fail=1; }
check bash
[ "$rc.$got" = "2.reseg: usage: reseg __complete bash WORDBREAKS LINE | zsh WORD..." ] ||
    { echo "FAIL: usage: $rc '$got'"; fail=1; }
exit $fail
