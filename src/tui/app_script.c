/*
 * Headless runs for screen tests (HACKING, "Screen tests"), after tig's
 * test mode: with RESEG_UI_SCRIPT=FILE the real UI runs on curses with
 * no terminal (newterm on /dev/null), takes its keys from FILE instead
 * of the keyboard and writes the screen to text files, so a test
 * compares a screen's layout exactly.  After every command the loop runs
 * until the UI is idle (nothing to draw, no worker or automatic run
 * busy), so dumps do not depend on timing; for the same reason the
 * status line's message stays until a `wait`.
 *
 * Commands, one a line (blank lines and lines starting with # skipped):
 *	key NAME...		keys by their actions.def names (Enter, F2, ^S, q)
 *	type TEXT		the characters of TEXT, one key each
 *	dump PATH		the screen as UTF-8, one line a row, blanks trimmed
 *	resize COLSxROWS	a new screen size
 *	wait			idle, then the status message times out
 *	mouse click|double COL ROW	a click of the first button (0-based)
 *	mouse wheel up|down COL ROW	a notch of the wheel
 *	done			fail unless the last key or click did
 *				what the screen defines for it
 *
 * The messages of this developer interface are not translated.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "app.h"
#include "loop.h"
#include "tui.h"
#include "tui_loop.h"
#include "util.h"

#define APP_SCRIPT_TERM	"xterm"
#define APP_SCRIPT_WAIT_MS 10	/* a poll while a worker is busy */

static FILE	*app_script_in, *app_script_out;

/* "COLSxROWS" into *cols, *rows (at least 1 each). */
static int
app_script_size(const char *s, int *cols, int *rows)
{
	char	 x;
	int	 n = -1;

	if (sscanf(s, "%d%c%d%n", cols, &x, rows, &n) != 3 || n < 0 ||
	    s[n] != '\0' || x != 'x' || *cols < 1 || *rows < 1)
		return -1;
	return 0;
}

int
app_script_newterm(struct tui *tui, char **cause)
{
	const char	*size = getenv("RESEG_UI_SIZE");
	int		 cols = 80, rows = 24;

	if (size != NULL && *size != '\0' &&
	    app_script_size(size, &cols, &rows) != 0)
		return error_set(cause, "RESEG_UI_SIZE: '%s' is not COLSxROWS",
		    size);
	app_script_in = fopen("/dev/null", "r");
	app_script_out = fopen("/dev/null", "w");
	if (app_script_in == NULL || app_script_out == NULL) {
		app_script_close();
		return error_set(cause, "/dev/null: %s", strerror(errno));
	}
	if (newterm(APP_SCRIPT_TERM, app_script_out, app_script_in) == NULL) {
		app_script_close();
		return error_set(cause, "cannot start curses on terminal type "
		    "%s", APP_SCRIPT_TERM);
	}
	resizeterm(rows, cols);
	(void)tui;
	return 0;
}

void
app_script_close(void)
{
	if (app_script_in != NULL)
		fclose(app_script_in);
	if (app_script_out != NULL)
		fclose(app_script_out);
	app_script_in = app_script_out = NULL;
}

/* Runs the loop until nothing is left to draw or to wait for. */
static void
app_script_idle(struct tui *tui)
{
	int	 wait = 0;

	for (;;) {
		loop_run_once(tui->loop, wait);
		if (tui->quit || loop_exiting(tui->loop))
			return;
		if (!tui->dirty && tui_work_idle(tui) && tui_sched_idle(tui))
			return;
		wait = tui->dirty ? 0 : APP_SCRIPT_WAIT_MS;
	}
}

/* The line-drawing characters curses keeps as ACS codes, in Unicode. */
static wchar_t
app_script_acs(wchar_t c)
{
	static const struct {
		char	 acs;
		wchar_t	 wc;
	} map[] = {
		{ 'j', 0x2518 }, { 'k', 0x2510 }, { 'l', 0x250c },
		{ 'm', 0x2514 }, { 'n', 0x253c }, { 'q', 0x2500 },
		{ 't', 0x251c }, { 'u', 0x2524 }, { 'v', 0x2534 },
		{ 'w', 0x252c }, { 'x', 0x2502 }
	};
	size_t	 i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (c == (wchar_t)map[i].acs)
			return map[i].wc;
	return c;
}

/* One row of stdscr (what the last redraw sent) as UTF-8 into sb. */
static void
app_script_row(struct strbuf *sb, int y, int cols)
{
	cchar_t		 cc;
	wchar_t		 wch[CCHARW_MAX + 1];
	attr_t		 attr;
	short		 pair;
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 n, k, keep;
	int		 x, w;

	sb_reset(sb);
	keep = 0;
	for (x = 0; x < cols; x++) {
		if (mvwin_wch(stdscr, y, x, &cc) == ERR ||
		    getcchar(&cc, wch, &attr, &pair, NULL) == ERR)
			break;
		if (wch[0] == L'\0')
			wch[0] = L' ', wch[1] = L'\0';
		if (attr & A_ALTCHARSET)
			wch[0] = app_script_acs(wch[0]);
		for (k = 0; wch[k] != L'\0'; k++) {
			memset(&ps, 0, sizeof ps);
			if ((n = wcrtomb(mb, wch[k], &ps)) != (size_t)-1)
				sb_add(sb, mb, n);
		}
		if (wch[0] != L' ')
			keep = sb->len;
		/* A wide character's second cell repeats it. */
		if ((w = wcwidth(wch[0])) > 1)
			x += w - 1;
	}
	sb_truncate(sb, keep);
	sb_putc(sb, '\n');
}

static int
app_script_dump(const char *path, char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	FILE		*f;
	int		 y, oy, ox, rows, cols, rc = 0;

	if ((f = fopen(path, "w")) == NULL)
		return error_set(cause, "%s: %s", path, strerror(errno));
	getyx(stdscr, oy, ox);
	getmaxyx(stdscr, rows, cols);
	for (y = 0; y < rows; y++) {
		app_script_row(&sb, y, cols);
		fwrite(sb.buf, 1, sb.len, f);
	}
	wmove(stdscr, oy, ox);
	sb_free(&sb);
	if (fclose(f) != 0)
		rc = error_set(cause, "%s: %s", path, strerror(errno));
	return rc;
}

static int
app_script_keys(struct tui *tui, char *names, char **cause)
{
	char	*name, *save = NULL;
	int	 code, keycode;

	for (name = strtok_r(names, " \t", &save); name != NULL &&
	    !tui->quit; name = strtok_r(NULL, " \t", &save)) {
		if (actions_key_code(name, &code, &keycode) != 0)
			return error_set(cause, "no key is named '%s'", name);
		tui_key(tui, (wint_t)code, keycode);
		app_script_idle(tui);
	}
	return 0;
}

static int
app_script_type(struct tui *tui, const char *text, char **cause)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 n;

	memset(&ps, 0, sizeof ps);
	while (*text != '\0' && !tui->quit) {
		n = mbrtowc(&wc, text, strlen(text), &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			return error_set(cause, "'%s' is not text of this "
			    "locale", text);
		text += n;
		tui_key(tui, (wint_t)wc, 0);
		app_script_idle(tui);
	}
	return 0;
}

/*
 * A mouse event queued as the terminal's would be (ungetmouse puts it
 * with KEY_MOUSE in curses' input), so that it reaches the UI through
 * get_wch and getmouse as a real one does.
 */
static int
app_script_mouse(struct tui *tui, const char *arg, char **cause)
{
	MEVENT	 ev;
	char	 what[16], dir[16];
	int	 n = -1;

	memset(&ev, 0, sizeof ev);
	if (sscanf(arg, "wheel %15s %d %d%n", dir, &ev.x, &ev.y, &n) == 3 &&
	    arg[n] == '\0' && (strcmp(dir, "up") == 0 ||
	    strcmp(dir, "down") == 0))
		ev.bstate = strcmp(dir, "up") == 0 ? BUTTON4_PRESSED :
		    BUTTON5_PRESSED;
	else if (sscanf(arg, "%15s %d %d%n", what, &ev.x, &ev.y, &n) == 3 &&
	    arg[n] == '\0' && (strcmp(what, "click") == 0 ||
	    strcmp(what, "double") == 0))
		ev.bstate = strcmp(what, "click") == 0 ? BUTTON1_CLICKED :
		    BUTTON1_DOUBLE_CLICKED;
	else
		return error_set(cause, "'mouse %s' is not 'mouse click|double "
		    "COL ROW' or 'mouse wheel up|down COL ROW'", arg);
	tui->key_done = 0;
	if (ungetmouse(&ev) != OK) {
		/* With the mouse off (RESEG_NO_MOUSE) no event arrives. */
		if (tui->settings.no_mouse)
			return 0;
		return error_set(cause, "curses refused the mouse event");
	}
	app_script_idle(tui);
	return 0;
}

static int
app_script_line(struct tui *tui, char *line, char **cause)
{
	char	*arg;
	int	 cols, rows;

	if ((arg = strchr(line, ' ')) != NULL)
		*arg++ = '\0';
	else
		arg = line + strlen(line);
	if (strcmp(line, "key") == 0)
		return app_script_keys(tui, arg, cause);
	if (strcmp(line, "type") == 0)
		return app_script_type(tui, arg, cause);
	if (strcmp(line, "mouse") == 0)
		return app_script_mouse(tui, arg, cause);
	if (strcmp(line, "done") == 0 && *arg == '\0') {
		if (!tui->key_done)
			return error_set(cause, "the last key or click did "
			    "nothing this screen defines");
		return 0;
	}
	if (strcmp(line, "dump") == 0 && *arg != '\0')
		return app_script_dump(arg, cause);
	if (strcmp(line, "resize") == 0) {
		if (app_script_size(arg, &cols, &rows) != 0)
			return error_set(cause, "'%s' is not COLSxROWS", arg);
		resizeterm(rows, cols);
		tui_resize(tui);
		app_script_idle(tui);
		return 0;
	}
	if (strcmp(line, "wait") == 0 && *arg == '\0') {
		app_script_idle(tui);
		if (tui->status != NULL && tui->modal == NULL) {
			free(tui->status);
			tui->status = NULL;
			tui_dirty(tui, TUI_DIRTY_STATUS);
			app_script_idle(tui);
		}
		return 0;
	}
	return error_set(cause, "unknown command '%s'", line);
}

int
app_script_run(struct tui *tui, char **cause)
{
	FILE		*f;
	char		*line = NULL, *err = NULL;
	size_t		 cap = 0, len;
	ssize_t		 got;
	unsigned	 n = 0;
	int		 rc = 0;

	if ((f = fopen(tui->settings.script, "r")) == NULL)
		return error_set(cause, "%s: %s", tui->settings.script,
		    strerror(errno));
	app_script_idle(tui);
	while (rc == 0 && !tui->quit && (got = getline(&line, &cap, f)) != -1) {
		n++;
		if (text_check(line, (size_t)got, tui->settings.script, n,
		    cause) != 0) {
			rc = -1;
			break;
		}
		len = strlen(line);
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (app_script_line(tui, line, &err) != 0) {
			rc = error_set(cause, "%s:%u: %s",
			    tui->settings.script, n, err);
			free(err);
			err = NULL;
		}
	}
	free(line);
	fclose(f);
	return rc;
}
