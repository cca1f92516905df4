/*
 * The terminal UI's entry point and its one loop.
 *
 * Everything happens on the main thread inside the engine's loop
 * (loop.h), the only poll() of the process: the terminal, the self-pipe
 * of signals, the pipe the UI's worker threads write to when a job is
 * done and the scheduler's pipe are its descriptors; status expiry,
 * progress refresh, the one-second tick and the scheduler's next run are
 * its timers.  Handlers set dirty bits; the loop's prepare hook
 * (tui_prepare) paints the whole screen into curses' virtual screen and
 * calls doupdate() once per pass, so curses sends only what changed.
 *
 * The scheduler (SPEC 6) runs on that loop when this process holds the
 * store's scheduler lock; otherwise the status line names the holder and
 * the lock is tried again now and then.
 *
 * Worker threads run engine calls (a recalculation, a preview, an
 * export) and never touch curses; progress is read from atomics by the
 * loop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>
#include <term.h>

#include "draw.h"
#include "i18n.h"
#include "keys.h"
#include "lineedit.h"
#include "lock.h"
#include "loop.h"
#include "scheduler.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "tui_main.h"
#include "util.h"
#include "view.h"

#define TUI_STATUS_MS	4000	/* how long a status message stays */
#define TUI_PROGRESS_MS	100	/* progress refresh while a run is active */
#define TUI_TICK_MS	1000
#define TUI_PROMPT_MAX	1023	/* characters of a prompt's answer */
#define TUI_LOCK_RETRY_MS 10000	/* tries the scheduler lock again */
#define TUI_WORKERS	3	/* jobs at once: a run, a preview, an export */

enum tui_modal_type {
	TUI_MODAL_CONFIRM,
	TUI_MODAL_PROMPT,
	TUI_MODAL_CHOOSE
};

struct tui_modal {
	enum tui_modal_type type;
	char		*text;		/* question, label or title */
	char		*error;		/* prompt: why it asks again */
	void		*arg;
	tui_confirm_fn	 confirm;
	tui_prompt_fn	 changed;
	tui_prompt_fn	 done;
	tui_choose_fn	 choose;
	struct lineedit	 edit;		/* prompt: the answer */
	char		**items;
	size_t		 nitems;
	int		 sel, top;
};

/* A worker: one job on its own thread; the UI has TUI_WORKERS of them. */
struct worker {
	pthread_t	 thread;
	int		 busy;
	_Atomic int	 finished;
	tui_work_fn	 fn;
	tui_done_fn	 done;
	void		*arg;
	int		 rc;
	char		*cause;
	struct tui	*tui;
};

static int	tui_work_pipe[2] = { -1, -1 };	/* workers -> loop */

struct tui_recalc_job {
	char			*name;
	int			 dry_run;
	_Atomic uint64_t	 scanned;
	_Atomic uint64_t	 total;
	atomic_int		 cancel;
	struct run_record	 rec;
};

static int	tui_sig_quit;		/* set on the loop, not in a handler */
static int	tui_curses_up;
static struct termios tui_saved_termios;
static int	tui_have_termios;
static struct tui_recalc_job *tui_job;	/* the active recalculation */

/* ------------------------------------------------------------------ */
/* Terminal restoration on every exit path                              */
/* ------------------------------------------------------------------ */

static void
tui_end_curses(void)
{
	if (!tui_curses_up)
		return;
	tui_curses_up = 0;
	curs_set(1);
	endwin();
}

/*
 * A crash (abort on out of memory, a fault) cannot call endwin() from a
 * handler; restore the saved terminal modes and leave the alternate
 * screen with async-signal-safe calls, then die of the same signal.
 */
static void
tui_crash_handler(int sig)
{
	static const char reset[] = "\033[?1049l\033[?25h\033[0m\r\n";

	if (tui_have_termios)
		tcsetattr(STDIN_FILENO, TCSANOW, &tui_saved_termios);
	if (write(STDOUT_FILENO, reset, sizeof reset - 1) < 0) {
		/* Nothing more can be done while dying. */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGTERM, SIGINT, SIGHUP: delivered through the loop's self-pipe. */
static void
tui_quit_signal(struct loop *loop, int signo, void *arg)
{
	struct tui	*tui = arg;

	tui_sig_quit = 1;
	tui->quit = 1;
	loop_exit(loop);
}

static void
tui_signals(struct tui *tui)
{
	struct sigaction sa;

	loop_signal(tui->loop, SIGTERM, tui_quit_signal, tui);
	loop_signal(tui->loop, SIGINT, tui_quit_signal, tui);
	loop_signal(tui->loop, SIGHUP, tui_quit_signal, tui);
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_crash_handler;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int
tui_pipe(int fds[2])
{
	int	 i;

	if (pipe(fds) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

static void
tui_drain(int fd)
{
	char	 buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

/* ------------------------------------------------------------------ */
/* Small services                                                       */
/* ------------------------------------------------------------------ */

int64_t
tui_now_ms(void)
{
	return tu_mono_ms();
}

void
tui_dirty(struct tui *tui, int bits)
{
	tui->dirty |= bits;
}

static void
tui_vstatus(struct tui *tui, int error, const char *fmt, va_list ap)
{
	free(tui->status);
	tui->status = xvasprintf(fmt, ap);
	tui->status_error = error;
	tui->status_until_ms = tui_now_ms() + TUI_STATUS_MS * (error ? 2 : 1);
	tui_dirty(tui, TUI_DIRTY_STATUS);
}

void
tui_status(struct tui *tui, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tui_vstatus(tui, 0, fmt, ap);
	va_end(ap);
}

static void
tui_status_error(struct tui *tui, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tui_vstatus(tui, 1, fmt, ap);
	va_end(ap);
}

void
tui_error(struct tui *tui, char *cause)
{
	tui_status_error(tui, "%s", cause != NULL ? cause :
	    _("Something went wrong."));
	free(cause);
}

void
tui_status_clear_error(struct tui *tui)
{
	if (tui->status == NULL || !tui->status_error)
		return;
	free(tui->status);
	tui->status = NULL;
	tui->status_error = 0;
	tui_dirty(tui, TUI_DIRTY_STATUS);
}

struct store_txn *
tui_read_begin(struct tui *tui)
{
	struct store_txn *txn;
	char		*cause = NULL;

	if (store_read_begin(tui->store, &txn, &cause) != 0) {
		tui_error(tui, cause);
		return NULL;
	}
	return txn;
}

int
tui_read_end(struct tui *tui, struct store_txn *txn, int rc, char *cause)
{
	store_read_end(txn);
	if (rc != 0)
		tui_error(tui, cause);
	else
		free(cause);
	return rc;
}

struct view *
view_new(struct tui *tui, const struct view_ops *ops, void *data)
{
	struct view	*v;

	v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->tui = tui;
	v->data = data;
	v->dirty = 1;
	return v;
}

struct tui_rect
tui_body_rect(const struct tui *tui)
{
	struct tui_rect	 r;

	r.y = 1;
	r.x = 0;
	r.h = tui->rows - 3;
	r.w = tui->cols;
	if (r.h < 0)
		r.h = 0;
	return r;
}

struct view *
tui_top_view(struct tui *tui)
{
	return tui->nviews > 0 ? tui->views[tui->nviews - 1] : NULL;
}

static void
tui_view_free(struct view *v)
{
	if (v->ops->close != NULL)
		v->ops->close(v);
	free(v);
}

int
tui_push_view(struct tui *tui, struct view *v)
{
	char	*cause = NULL;

	if (tui->nviews == TUI_MAX_VIEWS) {
		tui_status_error(tui, "%s", _("Too many screens are open."));
		tui_view_free(v);
		return -1;
	}
	if (v->ops->open != NULL && v->ops->open(v, &cause) != 0) {
		tui_error(tui, cause);
		tui_view_free(v);
		return -1;
	}
	tui->views[tui->nviews++] = v;
	if (v->ops->resize != NULL)
		v->ops->resize(v, tui_body_rect(tui));
	tui->help = 0;
	tui_dirty(tui, TUI_DIRTY_ALL);
	return 0;
}

void
tui_pop_view(struct tui *tui)
{
	struct view	*v;

	if (tui->nviews == 0)
		return;
	v = tui->views[--tui->nviews];
	tui_view_free(v);
	/* What the closed view changed is shown by the one below. */
	tui_store_changed(tui);
	tui_dirty(tui, TUI_DIRTY_ALL);
}

void
tui_broadcast(struct tui *tui, const struct tui_event *ev)
{
	int	 i;

	if (ev->type == TUI_EV_STORE_CHANGED)
		tui_schedule_changed(tui);
	for (i = tui->nviews - 1; i >= 0; i--) {
		struct view *v = tui->views[i];

		if (v->ops->notify != NULL)
			v->ops->notify(v, ev);
	}
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

void
tui_store_changed(struct tui *tui)
{
	struct tui_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = TUI_EV_STORE_CHANGED;
	tui_broadcast(tui, &ev);
}

/* ------------------------------------------------------------------ */
/* Modal overlays                                                       */
/* ------------------------------------------------------------------ */

static void
tui_modal_free(struct tui_modal *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nitems; i++)
		free(m->items[i]);
	free(m->items);
	free(m->text);
	free(m->error);
	lineedit_free(&m->edit);
	free(m);
}

static struct tui_modal *
tui_modal_new(struct tui *tui, enum tui_modal_type type, void *arg)
{
	struct tui_modal *m;

	/* A new question replaces an unanswered one (its callback is not
	 * called: nothing was decided). */
	tui_modal_free(tui->modal);
	m = xcalloc(1, sizeof *m);
	m->type = type;
	m->arg = arg;
	tui->modal = m;
	tui_dirty(tui, TUI_DIRTY_ALL);
	return m;
}

void
tui_confirm(struct tui *tui, tui_confirm_fn fn, void *arg, const char *fmt,
    ...)
{
	struct tui_modal *m;
	va_list		 ap;

	m = tui_modal_new(tui, TUI_MODAL_CONFIRM, arg);
	m->confirm = fn;
	va_start(ap, fmt);
	m->text = xvasprintf(fmt, ap);
	va_end(ap);
}

void
tui_prompt_live(struct tui *tui, const char *label, const char *initial,
    tui_prompt_fn changed, tui_prompt_fn done, void *arg)
{
	struct tui_modal *m;

	m = tui_modal_new(tui, TUI_MODAL_PROMPT, arg);
	m->text = xstrdup(label);
	m->changed = changed;
	m->done = done;
	lineedit_init(&m->edit, TUI_PROMPT_MAX);
	lineedit_set(&m->edit, initial);
}

void
tui_prompt(struct tui *tui, const char *label, const char *initial,
    tui_prompt_fn fn, void *arg)
{
	tui_prompt_live(tui, label, initial, NULL, fn, arg);
}

void
tui_prompt_again(struct tui *tui, const char *label, const char *initial,
    tui_prompt_fn fn, void *arg, char *cause)
{
	tui_prompt_live(tui, label, initial, NULL, fn, arg);
	tui->modal->error = cause != NULL ? cause :
	    xstrdup(_("Something went wrong."));
}

void
tui_choose(struct tui *tui, const char *title, const char *const *items,
    size_t nitems, int current, tui_choose_fn fn, void *arg)
{
	struct tui_modal *m;
	size_t		 i;

	m = tui_modal_new(tui, TUI_MODAL_CHOOSE, arg);
	m->text = xstrdup(title);
	m->choose = fn;
	m->items = xcalloc(nitems > 0 ? nitems : 1, sizeof *m->items);
	for (i = 0; i < nitems; i++)
		m->items[i] = xstrdup(items[i]);
	m->nitems = nitems;
	m->sel = current >= 0 && (size_t)current < nitems ? current : 0;
}

/* Closes the modal before calling back, so the callback may open another. */
static void
tui_modal_answer(struct tui *tui, int yes, int index, int cancel)
{
	struct tui_modal *m = tui->modal;
	char		*text = NULL;

	tui->modal = NULL;
	tui_dirty(tui, TUI_DIRTY_ALL);
	switch (m->type) {
	case TUI_MODAL_CONFIRM:
		if (m->confirm != NULL)
			m->confirm(tui, m->arg, yes);
		break;
	case TUI_MODAL_PROMPT:
		if (!cancel)
			text = xstrdup(lineedit_text(&m->edit));
		if (m->done != NULL)
			m->done(tui, m->arg, text);
		free(text);
		break;
	case TUI_MODAL_CHOOSE:
		if (m->choose != NULL)
			m->choose(tui, m->arg, cancel ? -1 : index);
		break;
	}
	tui_modal_free(m);
}

static void
tui_prompt_key(struct tui *tui, struct tui_modal *m, wint_t ch, int keycode)
{
	char	*text;

	if (TUI_IS_ENTER((int)ch, keycode)) {
		tui_modal_answer(tui, 1, 0, 0);
		return;
	}
	if (TUI_IS_CHAR(ch, keycode, TUI_KEY_ESC) ||
	    TUI_IS_CHAR(ch, keycode, TUI_KEY_ABORT)) {
		tui_modal_answer(tui, 0, 0, 1);
		return;
	}
	switch (lineedit_key(&m->edit, (int)ch, keycode)) {
	case LE_REFUSED:
		beep();		/* full: the key is refused audibly */
		break;
	case LE_CHANGED:
		if (m->changed != NULL) {
			/* A copy: the callback may replace this modal. */
			text = xstrdup(lineedit_text(&m->edit));
			m->changed(tui, m->arg, text);
			free(text);
		}
		break;
	default:
		break;
	}
	tui_dirty(tui, TUI_DIRTY_ALL);
}

static const enum action tui_modal_actions[] = {
	ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END,
	ACT_ENTER, ACT_NONE
};

static void
tui_modal_key(struct tui *tui, wint_t ch, int keycode)
{
	struct tui_modal *m = tui->modal;
	enum action	 act;

	if (m->type == TUI_MODAL_PROMPT) {
		tui_prompt_key(tui, m, ch, keycode);
		return;
	}
	act = keycode || ch < KEY_MIN ?
	    actions_lookup((int)ch, tui_modal_actions) : ACT_NONE;
	if (m->type == TUI_MODAL_CONFIRM) {
		if (TUI_IS_CHAR(towlower(ch), keycode, TUI_KEY_YES) ||
		    act == ACT_ENTER)
			tui_modal_answer(tui, 1, 0, 0);
		else if (TUI_IS_CHAR(towlower(ch), keycode, TUI_KEY_NO) ||
		    act == ACT_BACK || act == ACT_QUIT)
			tui_modal_answer(tui, 0, 0, 1);
		return;
	}
	switch (act) {
	case ACT_UP:
		if (m->sel > 0)
			m->sel--;
		break;
	case ACT_DOWN:
		if ((size_t)m->sel + 1 < m->nitems)
			m->sel++;
		break;
	case ACT_PAGE_UP:
		m->sel = m->sel > 10 ? m->sel - 10 : 0;
		break;
	case ACT_PAGE_DOWN:
		m->sel += 10;
		if ((size_t)m->sel >= m->nitems)
			m->sel = m->nitems > 0 ? (int)m->nitems - 1 : 0;
		break;
	case ACT_HOME:
		m->sel = 0;
		break;
	case ACT_END:
		m->sel = m->nitems > 0 ? (int)m->nitems - 1 : 0;
		break;
	case ACT_ENTER:
		tui_modal_answer(tui, 1, m->nitems > 0 ? m->sel : -1,
		    m->nitems == 0);
		return;
	case ACT_BACK:
	case ACT_QUIT:
		tui_modal_answer(tui, 0, 0, 1);
		return;
	default:
		return;
	}
	tui_dirty(tui, TUI_DIRTY_ALL);
}

static void
tui_modal_draw(struct tui *tui)
{
	struct tui_modal *m = tui->modal;
	struct tui_rect	 r;
	int		 i, w, y, pre, h;
	size_t		 k;

	if (m->type == TUI_MODAL_PROMPT) {
		y = tui->rows - 2;
		/* Why the answer was refused, above the prompt asking again. */
		if (m->error != NULL)
			draw_text_pad(y - 1, 0, tui->cols, m->error, DR_ERROR);
		draw_fill(y, 0, tui->cols, DR_STATUS);
		pre = draw_text(y, 0, tui->cols / 2, m->text, DR_HEADER);
		pre += draw_text(y, pre, 1, " ", DR_NORMAL);
		lineedit_draw(&m->edit, y, pre, tui->cols - pre, DR_FIELD_FOCUS,
		    1);
		return;
	}
	if (m->type == TUI_MODAL_CONFIRM) {
		w = draw_width(m->text) + 6;
		if (w < 30)
			w = 30;
		if (w > tui->cols - 2)
			w = tui->cols - 2;
		/* A long question (what a bulk edit sets) is wrapped. */
		h = draw_wrapped_rows(w - 4, 0, m->text);
		if (h > tui->rows - 8)
			h = tui->rows - 8;
		if (h < 1)
			h = 1;
		r.w = w;
		r.h = h + 4;
		r.y = (tui->rows - r.h) / 2;
		r.x = (tui->cols - r.w) / 2;
		draw_box(r, _("Confirm"), 1);
		draw_wrapped(r.y + 1, r.x + 2, r.w - 4, r.y + 1 + h, 0, m->text,
		    DR_NORMAL);
		draw_text(r.y + h + 2, r.x + 2, r.w - 4,
		    _("Enter/y: yes   Esc/n: no"), DR_KEY);
		return;
	}
	w = draw_width(m->text) + 6;
	for (k = 0; k < m->nitems; k++)
		if (draw_width(m->items[k]) + 6 > w)
			w = draw_width(m->items[k]) + 6;
	if (w > tui->cols - 4)
		w = tui->cols - 4;
	h = (int)m->nitems + 2;
	if (h > tui->rows - 4)
		h = tui->rows - 4;
	if (h < 3)
		h = 3;
	r.w = w;
	r.h = h;
	r.y = (tui->rows - h) / 2;
	r.x = (tui->cols - w) / 2;
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + h - 2)
		m->top = m->sel - (h - 3);
	draw_box(r, m->text, 1);
	for (i = 0; i < h - 2 && (size_t)(m->top + i) < m->nitems; i++)
		draw_text_pad(r.y + 1 + i, r.x + 1, r.w - 2,
		    m->items[m->top + i], m->top + i == m->sel ? DR_CURSOR :
		    DR_NORMAL);
}

/* ------------------------------------------------------------------ */
/* Worker thread                                                        */
/* ------------------------------------------------------------------ */

static void *
tui_worker_main(void *p)
{
	struct worker	*w = p;
	char		 c = 'd';

	w->rc = w->fn(w->tui, w->arg, &w->cause);
	atomic_store(&w->finished, 1);
	if (write(tui_work_pipe[1], &c, 1) < 0) {
		/* A full pipe already wakes the loop. */
	}
	return NULL;
}

/* Whether every worker is taken (a new job would be refused). */
int
tui_work_busy(const struct tui *tui)
{
	int	 i;

	for (i = 0; i < TUI_WORKERS; i++)
		if (!tui->workers[i].busy)
			return 0;
	return 1;
}

int
tui_work(struct tui *tui, tui_work_fn fn, tui_done_fn done, void *arg,
    char **cause)
{
	struct worker	*w = NULL;
	sigset_t	 all, old;
	int		 rc, i;

	for (i = 0; i < TUI_WORKERS && w == NULL; i++)
		if (!tui->workers[i].busy)
			w = &tui->workers[i];
	if (w == NULL)
		return error_set(cause, "%s",
		    _("Other jobs are running; wait until one finishes."));
	w->fn = fn;
	w->done = done;
	w->arg = arg;
	w->rc = 0;
	w->cause = NULL;
	w->tui = tui;
	atomic_store(&w->finished, 0);
	w->busy = 1;
	/* Signals belong to the main thread's loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, tui_worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		w->busy = 0;
		return error_set(cause, _("Cannot start a worker thread: %s."),
		    strerror(rc));
	}
	return 0;
}

/* A worker said it is done: join it and run the completion. */
static void
tui_work_collect(struct loop *loop, int fd, short revents, void *arg)
{
	struct tui	*tui = arg;
	struct worker	*w;
	int		 i;

	tui_drain(fd);
	for (i = 0; i < TUI_WORKERS; i++) {
		w = &tui->workers[i];
		if (!w->busy || !atomic_load(&w->finished))
			continue;
		pthread_join(w->thread, NULL);
		w->busy = 0;
		if (w->done != NULL)
			w->done(tui, w->arg, w->rc, w->cause);
		else
			free(w->cause);
		w->cause = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Manual recalculation                                                 */
/* ------------------------------------------------------------------ */

static void
tui_recalc_progress(void *arg, uint64_t scanned, uint64_t total)
{
	struct tui_recalc_job *job = arg;

	atomic_store_explicit(&job->scanned, scanned, memory_order_relaxed);
	atomic_store_explicit(&job->total, total, memory_order_relaxed);
}

static int
tui_recalc_work(struct tui *tui, void *arg, char **cause)
{
	struct tui_recalc_job	*job = arg;
	struct recalc_opts	 opts;

	memset(&opts, 0, sizeof opts);
	opts.type = RUN_MANUAL;
	opts.initiator = util_login_name();
	opts.dry_run = job->dry_run;
	opts.progress = tui_recalc_progress;
	opts.progress_arg = job;
	opts.cancel = &job->cancel;
	return seg_recalc(tui->store, job->name, &opts, &job->rec, cause);
}

static void
tui_recalc_done(struct tui *tui, void *arg, int rc, char *cause)
{
	struct tui_recalc_job	*job = arg;
	struct tui_event	 ev;
	char			 a[32], b[32], c[32];

	memset(&ev, 0, sizeof ev);
	ev.type = TUI_EV_RUN_FINISHED;
	ev.segment = job->name;
	ev.segment_id = tui->run.segment_id;
	ev.failed = rc != 0;
	ev.message = cause;
	ev.data = &job->rec;
	tui->run.active = 0;
	tui_job = NULL;
	if (rc != 0)
		tui_status_error(tui, "%s", cause != NULL ? cause : "");
	else
		tui_status(tui, _("%s: %s added, %s removed, %s in total."),
		    job->name, draw_count(job->rec.added, a, sizeof a),
		    draw_count(job->rec.removed, b, sizeof b),
		    draw_count(job->rec.total, c, sizeof c));
	tui_broadcast(tui, &ev);
	free(cause);
	run_record_clear(&job->rec);
	free(tui->run.segment);
	tui->run.segment = NULL;
	free(job->name);
	free(job);
	tui_dirty(tui, TUI_DIRTY_ALL);
}

int
tui_recalc(struct tui *tui, const char *segment, int dry_run, char **cause)
{
	struct tui_recalc_job	*job;
	struct tui_event	 ev;

	if (tui->run.active)
		return error_set(cause, _("A recalculation of '%s' is running; "
		    "wait until it finishes."), tui->run.segment);
	job = xcalloc(1, sizeof *job);
	job->name = xstrdup(segment);
	job->dry_run = dry_run;
	if (tui_work(tui, tui_recalc_work, tui_recalc_done, job, cause) != 0) {
		free(job->name);
		free(job);
		return -1;
	}
	tui_job = job;
	tui->run.active = 1;
	tui->run.segment = xstrdup(segment);
	tui->run.dry_run = dry_run;
	tui->run.scanned = tui->run.total = 0;
	tui->run.started_ms = tui_now_ms();
	memset(&ev, 0, sizeof ev);
	ev.type = TUI_EV_RUN_STARTED;
	ev.segment = segment;
	tui_broadcast(tui, &ev);
	tui_dirty(tui, TUI_DIRTY_ALL);
	return 0;
}

void
tui_recalc_cancel(struct tui *tui)
{
	if (tui_job != NULL) {
		tui_job->cancel = 1;
		tui_status(tui, "%s", _("Cancelling the recalculation..."));
	}
}

/* Copies the worker's progress into tui.run; 1 when it moved. */
static int
tui_recalc_poll(struct tui *tui)
{
	uint64_t	 s, t;

	if (tui_job == NULL)
		return 0;
	s = atomic_load_explicit(&tui_job->scanned, memory_order_relaxed);
	t = atomic_load_explicit(&tui_job->total, memory_order_relaxed);
	if (s == tui->run.scanned && t == tui->run.total)
		return 0;
	tui->run.scanned = s;
	tui->run.total = t;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */

static void
tui_draw_title(struct tui *tui, struct view *v)
{
	char	 buf[256];

	draw_fill(0, 0, tui->cols, DR_TITLE);
	buf[0] = '\0';
	if (v != NULL && v->ops->title_text != NULL)
		v->ops->title_text(v, buf, sizeof buf);
	else if (v != NULL)
		snprintf(buf, sizeof buf, "%s", _(v->ops->title));
	draw_text(0, 0, tui->cols, " reseg ", DR_TITLE);
	draw_text(0, 7, tui->cols - 7, buf, DR_TITLE);
	if (tui->cols > 40)
		draw_text_right(0, tui->cols - 30, 29,
		    store_path(tui->store), DR_TITLE);
}

static void
tui_draw_status(struct tui *tui)
{
	int	 y = tui->rows - 2;
	char	*label;

	if (tui->run.active) {
		label = xasprintf(tui->run.dry_run ? _("preview of %s") :
		    _("recalculating %s"), tui->run.segment);
		draw_progress(y, 0, tui->cols, tui->run.scanned,
		    tui->run.total, label);
		free(label);
		if (tui->status != NULL && tui->status_error)
			draw_text_pad(y, 0, tui->cols, tui->status, DR_ERROR);
		return;
	}
	if (tui->status != NULL)
		draw_text_pad(y, 0, tui->cols, tui->status,
		    tui->status_error ? DR_ERROR : DR_STATUS);
	else if (tui->sched_state == TUI_SCHED_OTHER) {
		char	 t[32];

		/* Automatic runs happen elsewhere: say where. */
		draw_printf(y, 0, tui->cols, DR_STATUS,
		    _("Scheduler: process %ld (%s) since %s"),
		    (long)tui->holder.pid, tui->holder.login,
		    draw_time(tui->holder.since, t, sizeof t));
	} else
		draw_fill(y, 0, tui->cols, DR_STATUS);
}

static void
tui_redraw(struct tui *tui)
{
	struct view	*v = tui_top_view(tui);
	int		 caret = 0, cy = 0, cx = 0;

	if (tui->dirty & TUI_DIRTY_ALL)
		erase();
	if (tui->rows < 10 || tui->cols < 40) {
		erase();
		draw_text(0, 0, tui->cols, _("The terminal is too small."),
		    DR_ERROR);
	} else {
		tui_draw_title(tui, v);
		if (v != NULL && (tui->dirty & (TUI_DIRTY_ALL |
		    TUI_DIRTY_VIEW) || v->dirty)) {
			struct tui_rect r = tui_body_rect(tui);
			int i;

			for (i = 0; i < r.h; i++)
				draw_fill(r.y + i, 0, tui->cols, DR_NORMAL);
			draw_caret_reset();
			v->ops->draw(v, r);
			v->dirty = 0;
			/* Kept for passes that do not redraw the view. */
			tui->caret = draw_caret_get(&tui->caret_y,
			    &tui->caret_x);
		}
		caret = v != NULL && tui->caret;
		cy = tui->caret_y;
		cx = tui->caret_x;
		tui_draw_status(tui);
		draw_keybar(tui, tui->rows - 1);
		if (tui->help) {
			help_draw(tui);
			caret = 0;
		}
		if (tui->modal != NULL) {
			draw_caret_reset();
			tui_modal_draw(tui);
			caret = draw_caret_get(&cy, &cx);
		}
	}
	/*
	 * The status line and the key bar are drawn after the view: put the
	 * cursor back on the field being edited, else hide it.
	 */
	if (caret) {
		curs_set(1);
		move(cy, cx);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
	tui->dirty = 0;
}

static void
tui_resize(struct tui *tui)
{
	int	 i;

	getmaxyx(stdscr, tui->rows, tui->cols);
	for (i = 0; i < tui->nviews; i++) {
		struct view *v = tui->views[i];

		if (v->ops->resize != NULL)
			v->ops->resize(v, tui_body_rect(tui));
	}
	clearok(curscr, TRUE);
	tui_dirty(tui, TUI_DIRTY_ALL);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

static void
tui_global_action(struct tui *tui, enum action act)
{
	switch (act) {
	case ACT_HELP:
		tui->help = 1;
		tui->help_top = 0;
		tui_dirty(tui, TUI_DIRTY_ALL);
		break;
	case ACT_QUIT:
		if (tui->nviews > 1)
			tui_pop_view(tui);
		else
			tui->quit = 1;
		break;
	case ACT_BACK:
		if (tui->nviews > 1)
			tui_pop_view(tui);
		break;
	case ACT_QUIT_ALL:
		tui->quit = 1;
		break;
	case ACT_SEG_CANCEL:
		/* ^C: stop the run first; else get out, as Esc or q would. */
		if (tui->run.active)
			tui_recalc_cancel(tui);
		else if (tui->nviews > 1)
			tui_pop_view(tui);
		else
			tui->quit = 1;
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		tui_dirty(tui, TUI_DIRTY_ALL);
		break;
	default:
		break;
	}
}

static void
tui_key(struct tui *tui, wint_t ch, int keycode)
{
	struct view	*v = tui_top_view(tui);
	enum action	 act = ACT_NONE;
	int		 r = VIEW_IGNORED;

	if (keycode && ch == KEY_RESIZE) {
		tui_resize(tui);
		return;
	}
	if (tui->modal != NULL) {
		/* ^C answers a question or a prompt as Esc does. */
		tui_modal_key(tui, TUI_IS_CHAR(ch, keycode, TUI_KEY_CANCEL) ?
		    TUI_KEY_ESC : ch, keycode);
		return;
	}
	if (keycode || ch < KEY_MIN)
		act = actions_lookup((int)ch, v != NULL ? v->ops->actions :
		    NULL);
	if (tui->help) {
		if (help_key(tui, act, (int)ch))
			tui_dirty(tui, TUI_DIRTY_ALL);
		return;
	}
	if (v != NULL && v->ops->key != NULL)
		r = v->ops->key(v, act, (int)ch, keycode);
	if (r == VIEW_IGNORED) {
		tui_global_action(tui, act);
		return;
	}
	if (r & VIEW_RELAYOUT)
		tui_resize(tui);
	if (r & VIEW_REDRAW)
		tui_dirty(tui, TUI_DIRTY_VIEW);
	if ((r & VIEW_CLOSE) && tui_top_view(tui) == v) {
		if (tui->nviews > 1)
			tui_pop_view(tui);
		else
			tui->quit = 1;
	}
}

static void
tui_read_keys(struct tui *tui)
{
	wint_t	 ch;
	int	 rc;

	while (!tui->quit && (rc = get_wch(&ch)) != ERR)
		tui_key(tui, ch, rc == KEY_CODE_YES);
}

/* ------------------------------------------------------------------ */
/* The scheduler of the store (SPEC 6)                                  */
/* ------------------------------------------------------------------ */

static void
tui_sched_log(void *arg, enum sched_log level, const char *msg)
{
	struct tui	*tui = arg;

	if (level == SCHED_LOG_ERROR)
		tui_status_error(tui, _("Scheduler: %s"), msg);
	else
		tui_status(tui, _("Scheduler: %s"), msg);
}

/* After each automatic run or skip: the views reload what they show. */
static void
tui_sched_changed(void *arg)
{
	struct tui	*tui = arg;

	tui_store_changed(tui);
	tui_dirty(tui, TUI_DIRTY_STATUS);
}

/*
 * Becomes the store's scheduler when nobody else is (0), or notes who is
 * (1; tried again later); -1 when the lock cannot be used at all.  The
 * scheduler marks runs left by dead processes as interrupted.
 */
static int
tui_sched_start(struct tui *tui, int first)
{
	struct scheduler_opts o;
	sigset_t	 all, old;
	char		*cause = NULL;
	int		 rc;

	rc = lock_acquire(store_path(tui->store), &tui->lock, &tui->holder,
	    &cause);
	if (rc < 0) {
		tui->sched_state = TUI_SCHED_NONE;
		if (first)
			tui_error(tui, cause);
		else
			free(cause);
		return -1;
	}
	if (rc == 1) {
		if (tui->sched_state != TUI_SCHED_OTHER)
			tui_dirty(tui, TUI_DIRTY_STATUS);
		tui->sched_state = TUI_SCHED_OTHER;
		loop_timer_after(tui->lock_timer, TUI_LOCK_RETRY_MS);
		return 1;
	}
	memset(&o, 0, sizeof o);
	o.grace = SCHEDULER_GRACE_DEFAULT;
	o.log = tui_sched_log;
	o.changed = tui_sched_changed;
	o.arg = tui;
	/* The scheduler's thread inherits a full mask: signals are ours. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = scheduler_new(tui->store, tui->loop, &o, &tui->sched, &cause);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		lock_release(tui->lock);
		tui->lock = NULL;
		tui->sched_state = TUI_SCHED_NONE;
		tui_error(tui, cause);
		return -1;
	}
	if (!first && tui->sched_state == TUI_SCHED_OTHER)
		tui_status(tui, "%s", _("The other scheduler stopped; automatic "
		    "runs now happen in this window."));
	tui->sched_state = TUI_SCHED_OURS;
	tui_dirty(tui, TUI_DIRTY_STATUS);
	return 0;
}

static void
tui_lock_retry(struct loop *loop, void *arg)
{
	struct tui	*tui = arg;

	if (tui->sched_state == TUI_SCHED_OTHER)
		tui_sched_start(tui, 0);
}

void
tui_schedule_changed(struct tui *tui)
{
	if (tui->sched != NULL)
		scheduler_reload(tui->sched);
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */
/* ------------------------------------------------------------------ */

static void
tui_keys_cb(struct loop *loop, int fd, short revents, void *arg)
{
	struct tui	*tui = arg;

	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		tui->quit = 1;
		return;
	}
	tui_read_keys(tui);
}

/* The UI's own timer: progress, status expiry and the one-second tick. */
static void
tui_timer_cb(struct loop *loop, void *arg)
{
	struct tui	*tui = arg;
	struct tui_event ev;
	int64_t		 now = tui_now_ms();

	if (tui_recalc_poll(tui))
		tui_dirty(tui, TUI_DIRTY_STATUS);
	if (tui->status != NULL && tui->status_until_ms <= now &&
	    tui->modal == NULL) {
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
tui_prepare(struct loop *loop, void *arg)
{
	struct tui	*tui = arg;
	int64_t		 now = tui_now_ms(), deadline = tui->next_tick;

	tui_read_keys(tui);
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

static int
tui_start_curses(struct tui *tui)
{
	const char	*nc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	if (tcgetattr(STDIN_FILENO, &tui_saved_termios) == 0)
		tui_have_termios = 1;
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (newterm(NULL, stdout, stdin) == NULL)
		return -1;
	tui_curses_up = 1;
	atexit(tui_end_curses);
	set_escdelay(25);
	raw();			/* ^S, ^C and ^Q reach the UI as keys */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	nc = getenv("NO_COLOR");
	tui->color = has_colors() && (nc == NULL || *nc == '\0');
	draw_init(tui->color);
	tui->utf8 = draw_utf8();
	getmaxyx(stdscr, tui->rows, tui->cols);
	return 0;
}

int
tui_main(struct store *st, char **cause)
{
	struct tui	 tui;
	struct worker	 workers[TUI_WORKERS];
	char		*err = NULL;
	unsigned	 marked = 0;
	int		 i;

	memset(&tui, 0, sizeof tui);
	memset(workers, 0, sizeof workers);
	tui.store = st;
	if (tui_pipe(tui_work_pipe) != 0) {
		error_set(cause, _("cannot create a pipe: %s"),
		    strerror(errno));
		return 1;
	}
	tui.workers = workers;
	tui.loop = loop_new();
	if (tui_start_curses(&tui) != 0) {
		loop_free(tui.loop);
		for (i = 0; i < 2; i++) {
			close(tui_work_pipe[i]);
			tui_work_pipe[i] = -1;
		}
		error_set(cause, "%s", _("the terminal UI needs a terminal "
		    "(use a command for scripts; see 'reseg --help')"));
		return 1;
	}
	tui_signals(&tui);
	loop_fd_add(tui.loop, STDIN_FILENO, POLLIN, tui_keys_cb, &tui);
	loop_fd_add(tui.loop, tui_work_pipe[0], POLLIN, tui_work_collect, &tui);
	loop_add_prepare(tui.loop, tui_prepare, &tui);
	tui.timer = loop_timer_new(tui.loop, tui_timer_cb, &tui);
	tui.lock_timer = loop_timer_new(tui.loop, tui_lock_retry, &tui);
	tui.next_tick = tui_now_ms() + TUI_TICK_MS;
	/*
	 * Our own scheduler marks interrupted runs itself; under another
	 * one, runs of dead processes are marked here (live ones are left
	 * alone by seg_mark_interrupted).
	 */
	if (tui_sched_start(&tui, 1) != 0) {
		if (seg_mark_interrupted(tui.store, &marked, &err) != 0)
			tui_error(&tui, err);
		else if (marked > 0)
			tui_status(&tui, ngettext_("%u interrupted run was "
			    "marked as Error.", "%u interrupted runs were "
			    "marked as Error.", marked), marked);
	}
	if (tui_push_view(&tui, view_new(&tui, &view_list_ops, NULL)) == 0) {
		tui_dirty(&tui, TUI_DIRTY_ALL);
		while (!tui.quit && !loop_exiting(tui.loop))
			if (loop_run_once(tui.loop, -1) != 0)
				break;
	}
	/* An automatic run in progress ends as Error, nothing half done. */
	scheduler_free(tui.sched, 0);
	tui.sched = NULL;
	lock_release(tui.lock);
	tui.lock = NULL;
	/* Leave no thread behind: a running recalculation ends as Error. */
	tui_recalc_cancel(&tui);
	for (i = 0; i < TUI_WORKERS; i++) {
		if (!workers[i].busy)
			continue;
		pthread_join(workers[i].thread, NULL);
		free(workers[i].cause);
		workers[i].busy = 0;
	}
	if (tui_job != NULL) {
		run_record_clear(&tui_job->rec);
		free(tui_job->name);
		free(tui_job);
		tui_job = NULL;
	}
	while (tui.nviews > 0)
		tui_view_free(tui.views[--tui.nviews]);
	tui_modal_free(tui.modal);
	free(tui.status);
	free(tui.run.segment);
	tui_end_curses();
	loop_timer_free(tui.timer);
	loop_timer_free(tui.lock_timer);
	loop_free(tui.loop);
	for (i = 0; i < 2; i++) {
		close(tui_work_pipe[i]);
		tui_work_pipe[i] = -1;
	}
	return tui_sig_quit ? 1 : 0;
}
