# Helpers of the tmux UI tests (tmux regress/ style): a private tmux
# server per test, a store prepared with the CLI, send-keys, and bounded
# polling of capture-pane.  Sourced by tests/tui/*.sh.

: "${RESEG:?RESEG must name the reseg binary}"
RESEG_NOW=2026-11-28T12:00:00Z
TZ=UTC
LC_ALL=C.UTF-8
export RESEG_NOW TZ LC_ALL
unset NO_COLOR

TMUX_SOCK=reseg$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/reseg-tui.XXXXXX")
T="tmux -L $TMUX_SOCK -f /dev/null"

BG_PIDS=		# background processes a test started (a daemon)

tui_cleanup()
{
	for p in $BG_PIDS; do
		kill "$p" 2>/dev/null
	done
	$T kill-server 2>/dev/null
	rm -rf "$TMP"
}
trap tui_cleanup EXIT

fail()
{
	echo "FAIL: $*" >&2
	echo "--- screen ---" >&2
	$T capture-pane -p >&2 2>/dev/null
	exit 1
}

# Prepares the demo store and starts the UI at 80x24.
tui_start()
{
	"$RESEG" --store "$TMP/store" demo --profiles "${PROFILES:-2000}" \
	    >/dev/null || fail "demo"
	$T new-session -d -x 80 -y 24 \
	    "$RESEG --store $TMP/store; echo EXITED \$?; sleep 30" ||
	    fail "tmux new-session"
}

screen()
{
	$T capture-pane -p
}

# Waits (at most $WAIT_SECS, default 5 s) until the screen shows the
# fixed string.
wait_for()
{
	i=0
	while [ $i -lt $((${WAIT_SECS:-5} * 10)) ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "the screen never showed '$1'"
}

# Waits at most $1 seconds until the screen shows the fixed string $2.
wait_for_secs()
{
	i=0
	while [ $i -lt $(($1 * 10)) ]; do
		if screen | grep -qF -- "$2"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "the screen never showed '$2' within $1 s"
}

# Waits until the screen no longer shows the fixed string.
wait_gone()
{
	i=0
	while [ $i -lt $((${WAIT_SECS:-5} * 10)) ]; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	fail "the screen still shows '$1'"
}

# Sends keys, then pauses $KEY_DELAY seconds if that is set.
keys()
{
	$T send-keys "$@"
	if [ -n "${KEY_DELAY:-}" ]; then
		sleep "$KEY_DELAY"
	fi
}
