# Helpers of the headless screen tests (HACKING, "Screen tests"): the
# real UI runs from a key script with no terminal (RESEG_UI_SCRIPT) and
# its screens, dumped as text, are compared exactly.  Each test works in
# a fresh directory with the store at ./store, so the title line does
# not depend on where the test runs.  Sourced by tests/screen/*.sh.

: "${RESEG:?RESEG must name the reseg binary}"
RESEG_NOW=2026-11-28T12:00:00Z
TZ=UTC
LC_ALL=C.UTF-8
export RESEG_NOW TZ LC_ALL
unset NO_COLOR RESEG_ASCII RESEG_CHART RESEG_UI_SIZE LANGUAGE

TMP=$(mktemp -d "${TMPDIR:-/tmp}/reseg-screen.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 99
status=0

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

# The CLI on ./store.
R()
{
	"$RESEG" --store store "$@"
}

# The demo store of the tmux tests.
demo()
{
	R demo --profiles "${PROFILES:-2000}" >/dev/null || fail "demo"
}

# Runs the UI on ./store with the key script read from stdin.
ui()
{
	cat >script
	RESEG_UI_SCRIPT=script "$RESEG" --store store ||
	    fail "the UI failed on the script above line $(wc -l <script)"
}

# The dump named $1 must be the text on stdin, row for row.
expect()
{
	cat >"$1.want"
	if ! cmp -s "$1.want" "$1"; then
		echo "FAIL: screen $1 differs (- expected, + shown):"
		diff -u "$1.want" "$1" | tail -n +3
		status=1
	fi
}

# Writes LOGIN for the login name of the runs this user started (the
# Initiator column of a log), keeping the columns after it in place.
unlogin()
{
	awk -v u="$(id -un)" '
	/ Manual / && (i = index($0, " " u " ")) > 0 {
		rest = substr($0, i + 1 + length(u))
		match(rest, /^ +/)
		n = RLENGTH + length(u) - 5
		if (n < 1)
			n = 1
		$0 = substr($0, 1, i) "LOGIN" sprintf("%" n "s", "") \
		    substr(rest, RLENGTH + 1)
	}
	{ print }' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
