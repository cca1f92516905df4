# Helpers of the command-line tests that compare exact outputs (cli_*.sh).
# The test sets $S (the store), $tmp (a directory for run's files) where
# it uses run, and fail=0 before sourcing this file.

name=
rc=0

# run ARGS...: runs reseg on the test store, keeping stdout, stderr, status.
run() {
	name="$*"
	"$RESEG" --store "$S" "$@" >"$tmp/out" 2>"$tmp/err" <"${stdin:-/dev/null}"
	rc=$?
}

# expect RC: the exit status is RC and stdout is this here-document.
expect() {
	cat >"$tmp/want"
	if [ "$rc" != "$1" ]; then
		echo "FAIL: $name: exit $rc, want $1"; cat "$tmp/err"; fail=1
	fi
	if ! cmp -s "$tmp/want" "$tmp/out"; then
		echo "FAIL: $name: stdout differs"
		diff "$tmp/want" "$tmp/out"; fail=1
	fi
}

# expect_err: stderr is this here-document.
expect_err() {
	cat >"$tmp/want"
	if ! cmp -s "$tmp/want" "$tmp/err"; then
		echo "FAIL: $name: stderr differs"
		diff "$tmp/want" "$tmp/err"; fail=1
	fi
}

# check NAME EXPECTED_STATUS EXPECTED_OUTPUT -- command...
check() {
	name=$1 want_rc=$2 want=$3
	shift 4
	got=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
		echo "FAIL: $name (exit $rc, wanted $want_rc)"
		echo "--- wanted"; printf '%s\n' "$want"
		echo "--- got"; printf '%s\n' "$got"
		fail=1
	fi
}

# r ARGS...: reseg on the test store.
r() { "$RESEG" --store "$S" "$@"; }
