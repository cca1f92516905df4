/*
 * The terminal UI's entry point (tui_main.h) and its one loop: the top
 * of src/tui, the one file that knows the first screen.
 *
 * Everything happens on the main thread inside the engine's loop
 * (loop.h), the only poll() of the process: the terminal, the self-pipe
 * of signals, the pipe the UI's worker threads write to when a job is
 * done and the scheduler's pipe are its descriptors; status expiry,
 * progress refresh, the one-second tick and the scheduler's next run are
 * its timers.  Handlers set dirty bits; the loop's prepare hook
 * (app_prepare) has the whole screen painted into curses' virtual screen
 * and sent with one doupdate() per pass, so curses sends only what
 * changed.  The terminal is given back on every exit path.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "app.h"
#include "draw.h"
#include "i18n.h"
#include "loop.h"
#include "tui.h"
#include "tui_loop.h"
#include "tui_main.h"
#include "util.h"
#include "view.h"

#define TUI_PROGRESS_MS	100	/* progress refresh while a run is active */
#define TUI_TICK_MS	1000

static int	app_sig_quit;		/* set on the loop, not in a handler */
static int	app_curses_up;
static struct termios app_saved_termios;
static int	app_have_termios;

/* ------------------------------------------------------------------ */
/* Terminal restoration on every exit path                              */
/* ------------------------------------------------------------------ */

static void
app_end_curses(void)
{
	if (!app_curses_up)
		return;
	app_curses_up = 0;
	curs_set(1);
	endwin();
}

/*
 * A crash (abort on out of memory, a fault) cannot call endwin() from a
 * handler; restore the saved terminal modes and leave the alternate
 * screen with async-signal-safe calls, then die of the same signal.
 */
static void
app_crash_handler(int sig)
{
	static const char reset[] = "\033[?1049l\033[?25h\033[0m\r\n";

	if (app_have_termios)
		tcsetattr(STDIN_FILENO, TCSANOW, &app_saved_termios);
	if (write(STDOUT_FILENO, reset, sizeof reset - 1) < 0) {
		/* Nothing more can be done while dying. */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGTERM, SIGINT, SIGHUP: delivered through the loop's self-pipe. */
static void
app_quit_signal(struct loop *loop, int signo, void *arg)
{
	struct tui	*tui = arg;

	app_sig_quit = 1;
	tui->quit = 1;
	loop_exit(loop);
}

static void
app_signals(struct tui *tui)
{
	struct sigaction sa;

	loop_signal(tui->loop, SIGTERM, app_quit_signal, tui);
	loop_signal(tui->loop, SIGINT, app_quit_signal, tui);
	loop_signal(tui->loop, SIGHUP, app_quit_signal, tui);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = app_crash_handler;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */
/* ------------------------------------------------------------------ */

static void
app_read_keys(struct tui *tui)
{
	wint_t	 ch;
	int	 rc;

	while (!tui->quit && (rc = get_wch(&ch)) != ERR)
		tui_key(tui, ch, rc == KEY_CODE_YES);
}

static void
app_keys_cb(struct loop *loop, int fd, short revents, void *arg)
{
	struct tui	*tui = arg;

	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		tui->quit = 1;
		return;
	}
	app_read_keys(tui);
}

/* The UI's own timer: progress, status expiry and the one-second tick. */
static void
app_timer_cb(struct loop *loop, void *arg)
{
	struct tui	*tui = arg;
	struct tui_event ev;
	int64_t		 now = tui_now_ms();

	if (tui_recalc_poll(tui))
		tui_dirty(tui, TUI_DIRTY_STATUS);
	/* A key script's dumps show the message until its `wait`. */
	if (tui->status != NULL && tui->status_until_ms <= now &&
	    tui->modal == NULL && tui->settings.script == NULL) {
		free(tui->status);
		tui->status = NULL;
		tui_dirty(tui, TUI_DIRTY_STATUS);
	}
	if (now >= tui->next_tick) {
		tui->next_tick = now + TUI_TICK_MS;
		memset(&ev, 0, sizeof ev);
		ev.type = TUI_EV_TICK;
		tui_broadcast(tui, &ev);
	}
}

/*
 * Before each poll(): keys that arrived with a signal (SIGWINCH becomes
 * KEY_RESIZE in get_wch after EINTR), the one redraw of the pass, and
 * the UI timer armed at its earliest deadline.
 */
static void
app_prepare(struct loop *loop, void *arg)
{
	struct tui	*tui = arg;
	int64_t		 now = tui_now_ms(), deadline = tui->next_tick;

	app_read_keys(tui);
	if (tui->quit) {
		loop_exit(loop);
		return;
	}
	if (tui->dirty)
		tui_redraw(tui);
	if (tui->status != NULL && tui->status_until_ms < deadline)
		deadline = tui->status_until_ms;
	if (tui->run.active && now + TUI_PROGRESS_MS < deadline)
		deadline = now + TUI_PROGRESS_MS;
	loop_timer_after(tui->timer, deadline - now);
}

/* The environment the UI reads, read once (reseg(1), ENVIRONMENT). */
static void
app_settings(struct tui_settings *set)
{
	const char	*v;

	v = getenv("RESEG_ASCII");
	set->ascii = v != NULL && *v != '\0';
	v = getenv("NO_COLOR");
	set->no_color = v != NULL && *v != '\0';
	set->escdelay = getenv("ESCDELAY") != NULL;
	v = getenv("RESEG_CHART");
	set->chart = v != NULL ? xstrdup(v) : NULL;
	v = getenv("RESEG_UI_SCRIPT");
	set->script = v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	v = getenv("RESEG_NO_MOUSE");
	set->no_mouse = v != NULL && *v != '\0';
}

static int
app_start_curses(struct tui *tui, char **cause)
{
	if (tui->settings.script != NULL) {
		if (app_script_newterm(tui, cause) != 0)
			return -1;
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			goto noterm;
		if (tcgetattr(STDIN_FILENO, &app_saved_termios) == 0)
			app_have_termios = 1;
		if (!tui->settings.escdelay)
			set_escdelay(25);
		if (newterm(NULL, stdout, stdin) == NULL)
			goto noterm;
	}
	app_curses_up = 1;
	atexit(app_end_curses);
	set_escdelay(25);
	raw();			/* ^S, ^C and ^Q reach the UI as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* The wheel scrolls, a click selects; the terminal's own selection
	 * then needs Shift, so RESEG_NO_MOUSE leaves the mouse to it. */
	if (!tui->settings.no_mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
		    BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	curs_set(0);
	tui->color = has_colors() && !tui->settings.no_color;
	draw_init(tui->color, tui->settings.ascii);
	tui->utf8 = draw_utf8();
	getmaxyx(stdscr, tui->rows, tui->cols);
	return 0;
noterm:
	return error_set(cause, "%s", _("the terminal UI needs a terminal "
	    "(use a command for scripts; see 'reseg --help')"));
}

int
tui_main(struct store *st, char **cause)
{
	struct tui	 tui;
	int		 rc = 0;

	memset(&tui, 0, sizeof tui);
	tui.store = st;
	app_settings(&tui.settings);
	tui.loop = loop_new();
	if (tui_work_start(&tui, cause) != 0) {
		loop_free(tui.loop);
		return 1;
	}
	if (app_start_curses(&tui, cause) != 0) {
		tui_work_stop(&tui);
		tui_state_free(&tui);
		loop_free(tui.loop);
		return 1;
	}
	app_signals(&tui);
	if (tui.settings.script == NULL)
		loop_fd_add(tui.loop, STDIN_FILENO, POLLIN, app_keys_cb, &tui);
	loop_add_prepare(tui.loop, app_prepare, &tui);
	tui.timer = loop_timer_new(tui.loop, app_timer_cb, &tui);
	tui.next_tick = tui_now_ms() + TUI_TICK_MS;
	tui_sched_init(&tui);
	if (tui_push_view(&tui, view_new(&tui, &view_list_ops, NULL)) == 0) {
		tui_dirty(&tui, TUI_DIRTY_ALL);
		if (tui.settings.script != NULL)
			rc = app_script_run(&tui, cause);
		else
			while (!tui.quit && !loop_exiting(tui.loop))
				if (loop_run_once(tui.loop, -1) != 0)
					break;
	}
	tui_sched_stop(&tui);
	tui_work_stop(&tui);
	tui_state_free(&tui);
	app_end_curses();
	/* Said once the terminal is back, where it stays readable. */
	if (tui.quit_note != NULL && !app_sig_quit)
		fprintf(stderr, "reseg: %s\n", tui.quit_note);
	free(tui.quit_note);
	app_script_close();
	loop_timer_free(tui.timer);
	loop_free(tui.loop);
	return app_sig_quit || rc != 0 ? 1 : 0;
}
