/*
 * The terminal UI's shared state and services: one struct tui per
 * process, the protocol of its views and a stack of them, the status
 * line, the modal helpers, background work.  The main loop (app.c)
 * joins keys, timers and worker completions in one poll().
 *
 * The modules of src/tui, lowest first: draw, keys and lineedit (no UI
 * state); tui (this header: tui.c, tui_*.c); widget, chart, actions;
 * the screens (view.h: view_*.c) and the help overlay; app (the loop
 * and start-up).  Each includes only headers of the modules before it
 * (tools/layercheck finds cycles).
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

#include "draw.h"
#include "lock.h"
#include "store.h"

struct loop;
struct loop_timer;
struct tz;
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

/* Who schedules the store's automatic runs (README, "Schedules and
 * the scheduler"). */
enum tui_sched_state {
	TUI_SCHED_NONE,		/* nobody can: the lock file is unusable */
	TUI_SCHED_OURS,		/* this process: tui.sched runs on tui.loop */
	TUI_SCHED_OTHER		/* another process: tui.holder says which */
};

/*
 * Views (tmux window modes, tig view ops): a screen of the UI is a
 * struct view with a table of operations filled with designated
 * initializers:
 *
 *	const struct view_ops view_list_ops = {
 *		.name = "segments",
 *		.title = N_("Segments"),
 *		.actions = view_list_actions,
 *		.open = view_list_open,
 *		.draw = view_list_draw,
 *		.key = view_list_key,
 *		...
 *	};
 *
 * draw() only reads the view's state (a snapshot loaded by open() or by
 * a refresh after notify()); it never changes data.  key() returns
 * VIEW_* bits; the loop redraws when VIEW_REDRAW is set.  The screens
 * themselves are declared in view.h.
 */
/* What key() returns (bits). */
#define VIEW_IGNORED	0x0	/* not for this view: try the global actions */
#define VIEW_HANDLED	0x1
#define VIEW_REDRAW	0x2	/* the view's body changed */
#define VIEW_RELAYOUT	0x4	/* sizes changed: resize() then redraw all */
#define VIEW_CLOSE	0x8	/* pop this view */

/* A line of help after a view's keys; words NULL: a heading (text). */
struct help_note {
	const char	*words;		/* N_() */
	const char	*text;		/* N_() */
};

struct view_ops {
	const char	*name;		/* "segments", "segment", "form" */
	const char	*title;		/* N_() label for the title line */
	/* Actions this view takes, ACT_NONE-terminated: key lookup, help. */
	const enum action *actions;
	int		(*open)(struct view *, char **cause);
	void		(*close)(struct view *);
	/* The body rectangle changed (also called once after open). */
	void		(*resize)(struct view *, struct tui_rect);
	void		(*draw)(struct view *, struct tui_rect);
	/* An action (ACT_NONE when the key is bound to none) and the raw key
	 * (a wint_t from get_wch, or KEY_* with is_keycode set). */
	int		(*key)(struct view *, enum action, int key,
			    int is_keycode);
	void		(*notify)(struct view *, const struct tui_event *);
	/* Optional: a title with details ("Segment: Active buyers"). */
	void		(*title_text)(struct view *, char *buf, size_t len);
	/* Optional: whether an action is available now; when not, *why
	 * (static, untranslated N_ string) says why; the key bar greys it. */
	int		(*enabled)(struct view *, enum action, const char **why);
	/* Optional: help after the keys, ending with { NULL, NULL }. */
	const struct help_note *notes;
	/* Optional: whether quitting now would lose unsaved changes. */
	int		(*unsaved)(struct view *);
	/* Optional: whether an action of `actions` applies where the view
	 * is now (the page's tab); the help lists, and keys reach, only
	 * those that do.  NULL: all of them. */
	int		(*offers)(struct view *, enum action);
	/* Optional: a mouse click at screen row y, column x (double: a
	 * double click); returns VIEW_* bits as key() does. */
	int		(*click)(struct view *, int y, int x, int dbl);
};

struct view {
	const struct view_ops *ops;
	struct tui	*tui;
	void		*data;		/* the view's own state */
	int		 dirty;
};

/* Allocates a view (data owned by the view; close() frees it). */
struct view *view_new(struct tui *, const struct view_ops *, void *data);

/*
 * The environment that changes how the UI looks, read once at start so
 * that drawing never calls getenv (reseg(1), ENVIRONMENT).
 */
struct tui_settings {
	int		 ascii;		/* RESEG_ASCII: no line drawing, Braille */
	int		 no_color;	/* NO_COLOR: monochrome */
	int		 escdelay;	/* ESCDELAY is set (curses reads it) */
	char		*chart;		/* RESEG_CHART: the chart's style, or NULL */
	char		*script;	/* RESEG_UI_SCRIPT: keys from this file */
	int		 no_mouse;	/* RESEG_NO_MOUSE: no mouse events */
};

/* The zone the UI shows times in (tui_zone; the time-zone key cycles). */
enum tui_zone_mode {
	TUI_ZONE_SEGMENT,	/* the segment's schedule zone, else UTC */
	TUI_ZONE_LOCAL,		/* the machine's zone */
	TUI_ZONE_UTC
};
#define TUI_ZONE_CACHE	8

struct tui {
	struct store	*store;
	struct tui_settings settings;
	int		 dirty;			/* TUI_DIRTY_* */
	int		 quit;			/* leave the loop */
	char		*quit_note;		/* printed after the screen ends */
	char		*focus;			/* a segment just created or
						   cloned: the list moves to it */
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
	int		 key_done;		/* the last key did what the
						   screen defines (headless
						   tests check it) */
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

	enum tui_zone_mode zone_mode;
	char		*local_zone;		/* tz_machine(), else "UTC" */
	struct tz	*zones[TUI_ZONE_CACHE];	/* opened zones, reused */
	int		 zone_next;		/* the slot replaced next */
	struct tui_session *session;		/* tui_session_set */
	size_t		 nsession;
};

/* A choice a screen keeps for the rest of the session. */
struct tui_session {
	char		*name;
	char		*value;
};

/*
 * What a screen remembers after it closes, until the UI quits (the
 * Profiles columns of a database): NULL when nothing was set.
 */
const char *tui_session_get(const struct tui *, const char *name);
void	 tui_session_set(struct tui *, const char *name, const char *value);

/*
 * The search's n and N in every list: of n rows, the first from cur on
 * (forward, round the end) or back from it for which match(arg, i) is
 * true, cur itself included unless skip; -1 when no row matches.
 */
int	 tui_find_around(int n, int cur, int forward, int skip,
	    int (*match)(void *arg, int i), void *arg);

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
/* Removes the status line's message (the text it spoke of changed). */
void	 tui_status_clear(struct tui *);
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

/*
 * Times (tui_time.c), the same on every screen: in the zone of
 * tui_zone, with its abbreviation.  sched_tz is the segment's schedule
 * zone (NULL or "" for a segment without a schedule: UTC); NULL for a
 * time of no segment.
 */
const char *tui_zone(struct tui *, const char *sched_tz);
/* "2026-12-03 14:50 MSK"; a dash for 0 (never). */
char	*tui_time(struct tui *, int64_t utc, const char *sched_tz, char *buf,
	    size_t len);
/* The list's: "in 3 h", "2 d ago" (tu_format_relative), else as
 * tui_time, without the year when narrow ("12-03 14:50 MSK"). */
char	*tui_time_rel(struct tui *, int64_t utc, const char *sched_tz,
	    int narrow, char *buf, size_t len);
/* LABEL of a local date (days since the epoch; the date itself, a
 * month, a quarter) followed by tui_zone's abbreviation at that day's
 * noon: "2026-12-03 MSK", "2026-Q4 MSK". */
char	*tui_day(struct tui *, int32_t day, const char *label,
	    const char *sched_tz, char *buf, size_t len);
/* The zone named, opened once (UTC when it cannot be). */
struct tz *tui_tz(struct tui *, const char *name);
/* Segment zone, local zone, UTC, and round; the key bar's label. */
void	 tui_zone_cycle(struct tui *);
const char *tui_zone_label(struct tui *, char *buf, size_t len);

/* Action lookup and names (actions.c). */
enum action actions_lookup(int key, const enum action *view_actions);
const char *actions_keys(enum action);		/* "^S F2" (untranslated) */
const char *actions_help(enum action);		/* translated */
/* A short label for the key bar ("Edit"), translated. */
const char *actions_short(enum action);
/* The first function key bound to the action ("F2"), or NULL. */
const char *actions_fkey(enum action);
/*
 * The key a name of actions.def stands for ("Enter", "^S", "F2", "q"):
 * its code, and in *keycode whether it is a KEY_* code rather than a
 * character (as get_wch says).  -1 when the name is not a key.
 */
int	 actions_key_code(const char *name, int *code, int *keycode);
/* Global actions, ACT_NONE-terminated. */
extern const enum action actions_global[];
/*
 * The actions the view offers where it is now (its actions that its
 * offers() accepts), ACT_NONE-terminated in out (max entries at most);
 * NULL for no view.
 */
const enum action *tui_view_actions(struct view *, enum action *out,
	    size_t max);

/* Lines the mouse wheel scrolls a notch. */
#define TUI_WHEEL_LINES	3

/* Help overlay (help.c). */
void	 help_draw(struct tui *);
int	 help_key(struct tui *, enum action, int key);
/* The actions the overlay takes, ACT_NONE-terminated. */
extern const enum action help_actions[];

#endif
