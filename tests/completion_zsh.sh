#!/bin/sh
# Shell completion for zsh (README, "Shell completion"): data/zsh/_reseg
# run in zsh with compadd, compset and _files stubbed, so that what it
# hands to zsh is compared exactly: the words (dequoted from the line)
# go to reseg __complete, its words to compadd, files and directories to
# _files.  Skipped (77) without zsh.
set -u
: "${RESEG:?}" "${top_srcdir:?}"
command -v zsh >/dev/null 2>&1 || { echo "SKIP: no zsh"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reseg-completion-zsh-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
S=$tmp/store
fail=0

r() { "$RESEG" --store "$S" "$@" >/dev/null || { echo "FAIL: set-up: $*"; exit 1; }; }
r db create people --fields 'email:string,age:int' --key email
r segment create 'Big spenders' --db people --static
r segment create 'Big savers' --db people --static
r segment create Adults --db people --where 'age >= 18'

# LINE (to the cursor, as typed) TAB what the script called, "|" apart.
cat >"$tmp/cases" <<'CASES'
reseg seg	compadd -U -- segment
reseg segment recalc -	compadd -U -- --dry-run
reseg segment recalc 	compadd -U -- Adults|Big savers|Big spenders
reseg segment recalc "Big s	compadd -U -- Big savers|Big spenders
reseg segment recalc Big\ sp	compadd -U -- Big spenders
reseg 'segment' recalc --dry-run A	compadd -U -- Adults
reseg segment create x --db=p	compadd -U -- --db=people
reseg segment members Adults --format 	compadd -U -- csv|jsonl|keys
reseg db import people 	_files
reseg segment create x --where-file=a	compset -P *=|_files
reseg --store 	_files -/
CASES

tab=$(printf '\t')
while IFS="$tab" read -r line want; do
	got=$(RESEG_STORE=$S LINE=$line zsh -f -c '
		calls=()
		compadd() { calls+=("compadd $1 $2 ${(j:|:)@[3,-1]}") }
		compset() { calls+=("compset $*") }
		_files() { calls+=("_files${1:+ $1}") }
		fpath=("$top_srcdir/data/zsh" $fpath)
		autoload -Uz _reseg
		words=("${(@z)LINE}")
		[[ $LINE == *" " ]] && words+=("")
		words[1]=$RESEG
		CURRENT=$#words
		PREFIX=$words[CURRENT]
		# In an open quote zsh leaves the quote out of PREFIX.
		sq=39
		[[ $PREFIX == [\"${(#)sq}]* ]] && PREFIX=${PREFIX[2,-1]}
		_reseg
		print -r -- "${(j:|:)calls}"')
	if [ "$got" != "$want" ]; then
		echo "FAIL: '$line': got '$got', want '$want'"
		fail=1
	fi
done <"$tmp/cases"
exit $fail
