/*
 * The top of the UI, private to app.c and app_script.c: the headless
 * mode that runs the real UI from a key script with no terminal and
 * dumps the screen as text (HACKING, "Screen tests").
 */
#ifndef RESEG_TUI_APP_H
#define RESEG_TUI_APP_H

#include "tui.h"

/*
 * Starts curses on /dev/null as a known terminal type (xterm) of the
 * size RESEG_UI_SIZE gives (COLSxROWS, default 80x24); -1 with *cause.
 */
int	 app_script_newterm(struct tui *, char **cause);
/*
 * Runs the script tui->settings.script names, one command a line, until
 * its end or until the UI quits; -1 with *cause on a bad line.
 */
int	 app_script_run(struct tui *, char **cause);
/* Closes what app_script_newterm opened (after endwin). */
void	 app_script_close(void);

#endif
