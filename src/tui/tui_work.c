/*
 * Background work (tui.h): a few worker threads run engine calls (a
 * recalculation, a preview, an export) and never touch curses; each
 * writes to a pipe when done and the loop runs the completion on the
 * main thread.  The UI's manual recalculation is one such job, its
 * progress read from atomics by the loop's timer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "i18n.h"
#include "loop.h"
#include "segment.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_loop.h"
#include "util.h"

#define TUI_WORKERS	3	/* jobs at once: a run, a preview, an export */

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

static struct tui_recalc_job *tui_job;	/* the active recalculation */

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
tui_work_idle(const struct tui *tui)
{
	int	 i;

	for (i = 0; i < TUI_WORKERS; i++)
		if (tui->workers[i].busy)
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

/* The workers and the pipe they wake the loop with (watched from now). */
int
tui_work_start(struct tui *tui, char **cause)
{
	if (tui_pipe(tui_work_pipe) != 0)
		return error_set(cause, _("cannot create a pipe: %s"),
		    strerror(errno));
	tui->workers = xcalloc(TUI_WORKERS, sizeof *tui->workers);
	loop_fd_add(tui->loop, tui_work_pipe[0], POLLIN, tui_work_collect,
	    tui);
	return 0;
}

/* Leaves no thread behind: a running recalculation ends as Error. */
void
tui_work_stop(struct tui *tui)
{
	int	 i;

	tui_recalc_cancel(tui);
	for (i = 0; i < TUI_WORKERS && tui->workers != NULL; i++) {
		if (!tui->workers[i].busy)
			continue;
		pthread_join(tui->workers[i].thread, NULL);
		free(tui->workers[i].cause);
		tui->workers[i].busy = 0;
	}
	if (tui_job != NULL) {
		run_record_clear(&tui_job->rec);
		free(tui_job->name);
		free(tui_job);
		tui_job = NULL;
	}
	free(tui->workers);
	tui->workers = NULL;
	if (tui_work_pipe[0] != -1)
		loop_fd_remove(tui->loop, tui_work_pipe[0]);
	for (i = 0; i < 2; i++) {
		if (tui_work_pipe[i] != -1)
			close(tui_work_pipe[i]);
		tui_work_pipe[i] = -1;
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
int
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
