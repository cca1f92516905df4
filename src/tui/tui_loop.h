/*
 * What the main loop (app.c) drives of the tui module: starting and
 * stopping the workers and the scheduler hand-over, a key from the
 * terminal (or from a key script), the redraw pass, a new screen size,
 * the progress of a run, and freeing the UI's state at the end.
 */
#ifndef RESEG_TUI_LOOP_H
#define RESEG_TUI_LOOP_H

#include <wchar.h>

#include "tui.h"

/* The worker threads and their pipe on tui->loop; -1 with *cause. */
int	 tui_work_start(struct tui *, char **cause);
/* Cancels a run and joins every worker (their completions are dropped). */
void	 tui_work_stop(struct tui *);
/* Whether no worker is busy. */
int	 tui_work_idle(const struct tui *);
/* Copies the worker's progress into tui.run; 1 when it moved. */
int	 tui_recalc_poll(struct tui *);

/* Takes the scheduler lock (or notes its holder); marks interrupted runs. */
void	 tui_sched_init(struct tui *);
/* Whether our scheduler (if any) has no run queued or in progress. */
int	 tui_sched_idle(const struct tui *);
/*
 * When our scheduler has a run ahead: a sentence saying that automatic
 * runs stop with the UI (and when the next was due), else NULL.
 */
char	*tui_sched_quit_note(struct tui *);
/* Stops our scheduler (a run in progress ends as Error), frees the lock. */
void	 tui_sched_stop(struct tui *);

/* One key: a wint_t from get_wch, or a KEY_* code when keycode. */
void	 tui_key(struct tui *, wint_t ch, int keycode);
/* The one paint of a pass, ending with doupdate(). */
void	 tui_redraw(struct tui *);
/* Reads the screen size and lays the views out again. */
void	 tui_resize(struct tui *);

/* Frees the views, the modal and the messages (before endwin). */
void	 tui_state_free(struct tui *);
/* Closes the zones tui_tz opened. */
void	 tui_zone_free(struct tui *);

#endif
