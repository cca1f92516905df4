# Helpers of the access tests that run reseg as real Unix users
# (access.sh, access_refs.sh).  The test sets $S (the store), $tmp and
# fail=0 before sourcing this file.

# as USER ARGS...: runs reseg as USER (root when USER is root).
as() {
	u=$1
	shift
	what="$u: $*"
	if [ "$u" = root ]; then
		"$RESEG" --store "$S" "$@" >"$tmp/out" 2>"$tmp/err"
	else
		setpriv --reuid="$u" --regid=users --init-groups \
		    "$RESEG" --store "$S" "$@" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
}

# ok: exit 0 and stdout is this here-document.
ok() {
	cat >"$tmp/want"
	if [ "$rc" != 0 ]; then
		echo "FAIL: $what: exit $rc"; cat "$tmp/err"; fail=1
	fi
	if ! cmp -s "$tmp/want" "$tmp/out"; then
		echo "FAIL: $what: stdout"; diff "$tmp/want" "$tmp/out"; fail=1
	fi
}
