/*
 * The terminal UI: one struct tui per process, a stack of views, one
 * poll() loop (tui.c) that joins keys, timers and worker completions.
 *
 * Redraw discipline (tmux): handlers never draw.  They set dirty bits
 * (tui_dirty, view->dirty) and the loop draws once per pass, in one
 * place, followed by a single doupdate().  Signal handlers only set
 * flags.  Worker threads never touch curses: they post completions that
 * the loop hands to the views' notify().
 *
 * Modal helpers (confirm, prompt, choose) are overlays, not nested loops:
 * they take a callback that runs from the loop when the user answers.
 */
#ifndef RESEG_TUI_H
#define RESEG_TUI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "lock.h"
#include "store.h"

struct loop;
struct loop_timer;
struct scheduler;
struct view;
struct tui;
struct tui_modal;
struct worker;

/* enum action from actions.def: ACT_HELP, ACT_QUIT, ... */
enum action {
	ACT_NONE = 0,
#define ACTION(id, name, keys, help) ACT_##id,
#include "actions.def"
#undef ACTION
	ACT_COUNT
};

/* Bits of tui.dirty. */
#define TUI_DIRTY_VIEW		0x1	/* the top view's body */
#define TUI_DIRTY_STATUS	0x2	/* status line, progress, key bar */
#define TUI_DIRTY_ALL		0x4	/* clear and redraw everything */

/* Screen layout: title line, the view's body, status line, key bar. */
struct tui_rect {
	int		 y, x;
	int		 h, w;
};

/* A recalculation the UI started (one at a time) and its progress. */
struct tui_run {
	int		 active;
	char		*segment;		/* name */
	uint32_t	 segment_id;
	int		 dry_run;
	uint64_t	 scanned;		/* read on the main thread */
	uint64_t	 total;
	int64_t		 started_ms;		/* monotonic */
};

/* What a view's notify() receives. */
enum tui_event_type {
	TUI_EV_RUN_STARTED,	/* the UI's worker began a run */
	TUI_EV_RUN_PROGRESS,	/* tui.run.scanned changed */
	TUI_EV_RUN_FINISHED,	/* run (or dry run) ended: status, message */
	TUI_EV_STORE_CHANGED,	/* segments changed (a save, a scheduler run) */
	TUI_EV_TICK		/* once a second: times like "next run" move */
};

struct tui_event {
	enum tui_event_type type;
	const char	*segment;	/* may be NULL */
	uint32_t	 segment_id;
	int		 failed;	/* RUN_FINISHED: non-zero on error */
	const char	*message;	/* RUN_FINISHED: the cause, if failed */
	const void	*data;		/* RUN_FINISHED: struct run_record * */
};

/* Callbacks of the modal helpers; they run from the loop. */
typedef void (*tui_confirm_fn)(struct tui *, void *arg, int yes);
/* text is NULL when the prompt was cancelled. */
typedef void (*tui_prompt_fn)(struct tui *, void *arg, const char *text);
/* index is -1 when the choice was cancelled. */
typedef void (*tui_choose_fn)(struct tui *, void *arg, int index);
/* Work done on the worker thread (never touching curses). */
typedef int (*tui_work_fn)(struct tui *, void *arg, char **cause);
/* Completion, on the main thread. */
typedef void (*tui_done_fn)(struct tui *, void *arg, int rc, char *cause);

#define TUI_MAX_VIEWS	16

/* Who schedules the store's automatic runs (SPEC 6). */
enum tui_sched_state {
	TUI_SCHED_NONE,		/* nobody can: the lock file is unusable */
	TUI_SCHED_OURS,		/* this process: tui.sched runs on tui.loop */
	TUI_SCHED_OTHER		/* another process: tui.holder says which */
};

struct tui {
	struct store	*store;
	int		 dirty;			/* TUI_DIRTY_* */
	int		 quit;			/* leave the loop */
	int		 utf8;			/* the locale's charset is UTF-8 */
	int		 color;			/* has_colors() and no NO_COLOR */
	int		 rows, cols;		/* screen size */

	struct view	*views[TUI_MAX_VIEWS];	/* views[nviews - 1] is on top */
	int		 nviews;

	char		*status;		/* status line message, or NULL */
	int		 status_error;		/* draw it as an error */
	int64_t		 status_until_ms;	/* clear after (monotonic) */

	struct tui_run	 run;

	struct tui_modal *modal;		/* confirm/prompt/choose, or NULL */
	int		 help;			/* help overlay shown */
	int		 help_top;		/* its scroll position */
	int		 caret;			/* the view shows a text cursor */
	int		 caret_y, caret_x;	/* there (draw_caret) */
	struct worker	*workers;		/* TUI_WORKERS of them */

	struct loop	*loop;			/* the one poll() (loop.h) */
	struct loop_timer *timer;		/* status, progress, tick */
	struct loop_timer *lock_timer;		/* tries the lock again */
	int64_t		 next_tick;		/* monotonic ms */
	enum tui_sched_state sched_state;
	struct scheduler *sched;		/* when ours */
	struct lock	*lock;
	struct lock_holder holder;		/* when another's */
};

/* Monotonic milliseconds. */
int64_t	 tui_now_ms(void);

/* Marks parts of the screen for the next redraw. */
void	 tui_dirty(struct tui *, int bits);

/* Views: push takes ownership, calls open(); pop calls close() and frees. */
int	 tui_push_view(struct tui *, struct view *);
void	 tui_pop_view(struct tui *);
struct view *tui_top_view(struct tui *);
/* The body area a view draws into (below the title, above the status). */
struct tui_rect tui_body_rect(const struct tui *);

/* A message on the status line for a few seconds (printf format). */
void	 tui_status(struct tui *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The same, drawn as an error; takes and frees cause (may be NULL). */
void	 tui_error(struct tui *, char *cause);
/* Removes an error from the status line (a closing form's complaints). */
void	 tui_status_clear_error(struct tui *);

/*
 * The UI's read transaction.  tui_read_begin returns NULL when it cannot
 * begin, the reason shown on the status line.  tui_read_end ends it and,
 * when rc is not 0, shows cause as tui_error does (cause is taken in
 * either case); it returns rc:
 *
 *	if ((txn = tui_read_begin(tui)) == NULL)
 *		return;
 *	rc = seg_get(txn, name, &s, &cause);
 *	if (tui_read_end(tui, txn, rc, cause) != 0)
 *		return;
 */
struct store_txn *tui_read_begin(struct tui *);
int	 tui_read_end(struct tui *, struct store_txn *, int rc, char *cause);

/* A yes/no question in a box; Enter/y = yes, Esc/n/q = no. */
void	 tui_confirm(struct tui *, tui_confirm_fn, void *arg,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A one-line text input on the status line, initially `initial`. */
void	 tui_prompt(struct tui *, const char *label, const char *initial,
	    tui_prompt_fn, void *arg);
/* The same, calling changed(text) after every edit (a live filter). */
void	 tui_prompt_live(struct tui *, const char *label, const char *initial,
	    tui_prompt_fn changed, tui_prompt_fn done, void *arg);
/* tui_prompt with the reason for asking again shown above it; takes
 * and frees cause. */
void	 tui_prompt_again(struct tui *, const char *label, const char *initial,
	    tui_prompt_fn, void *arg, char *cause);
/* A list to pick from (items copied); `current` is preselected. */
void	 tui_choose(struct tui *, const char *title, const char *const *items,
	    size_t nitems, int current, tui_choose_fn, void *arg);

/*
 * Runs fn(arg) on a worker thread (a few jobs at a time; -1 with *cause
 * when all are busy); done(arg, rc, cause) runs later on the main thread.
 * tui_work_busy says whether a new job would be refused.
 */
int	 tui_work(struct tui *, tui_work_fn, tui_done_fn, void *arg,
	    char **cause);
int	 tui_work_busy(const struct tui *);

/*
 * Starts a manual recalculation (or dry run) of a segment on the worker,
 * with progress in tui.run; views get TUI_EV_RUN_STARTED, _PROGRESS and
 * _FINISHED.  Refused (-1, *cause) while another run is active.
 */
int	 tui_recalc(struct tui *, const char *segment, int dry_run,
	    char **cause);
/* Asks the running recalculation to stop. */
void	 tui_recalc_cancel(struct tui *);

/* A schedule was edited: the scheduler (when ours) recomputes. */
void	 tui_schedule_changed(struct tui *);

/* Sends an event to every view on the stack (top first); a
 * TUI_EV_STORE_CHANGED also makes the scheduler recompute. */
void	 tui_broadcast(struct tui *, const struct tui_event *);
/* Broadcasts TUI_EV_STORE_CHANGED: the views reload their snapshots. */
void	 tui_store_changed(struct tui *);

/* Action lookup and names (actions.c). */
enum action actions_lookup(int key, const enum action *view_actions);
const char *actions_keys(enum action);		/* "^S F2" (untranslated) */
const char *actions_help(enum action);		/* translated */
/* A short label for the key bar ("Edit"), translated. */
const char *actions_short(enum action);
/* The first function key bound to the action ("F2"), or NULL. */
const char *actions_fkey(enum action);
/* Global actions, ACT_NONE-terminated. */
extern const enum action actions_global[];

/* Help overlay (help.c). */
void	 help_draw(struct tui *);
int	 help_key(struct tui *, enum action, int key);

#endif
