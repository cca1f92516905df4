/*
 * The scheduler hand-over (README, "Schedules and the scheduler"): the
 * store's automatic runs happen in the process that holds its scheduler
 * lock.  When the lock is free the UI takes it and runs the engine's
 * scheduler on its loop; when another process holds it the status line
 * names the holder and the lock is tried again now and then, so the UI
 * takes over when that process stops.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "i18n.h"
#include "lock.h"
#include "loop.h"
#include "scheduler.h"
#include "segment.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_loop.h"
#include "tz.h"
#include "util.h"

#define TUI_LOCK_RETRY_MS 10000	/* tries the scheduler lock again */

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

/*
 * Becomes the store's scheduler, or notes who is.  Our own scheduler
 * marks interrupted runs itself; under another one, runs of dead
 * processes are marked here (live ones are left alone by
 * seg_mark_interrupted).
 */
void
tui_sched_init(struct tui *tui)
{
	char		*err = NULL;
	unsigned	 marked = 0;

	tui->lock_timer = loop_timer_new(tui->loop, tui_lock_retry, tui);
	if (tui_sched_start(tui, 1) != 0) {
		if (seg_mark_interrupted(tui->store, &marked, &err) != 0)
			tui_error(tui, err);
		else if ((marked += engine_take_interrupted()) > 0)
			tui_status(tui, ngettext_("%u interrupted run was "
			    "marked as Error.", "%u interrupted runs were "
			    "marked as Error.", marked), marked);
	}
}

int
tui_sched_idle(const struct tui *tui)
{
	return tui->sched == NULL || scheduler_busy(tui->sched) == 0;
}

char *
tui_sched_quit_note(struct tui *tui)
{
	char	 when[TZ_TIME_BUF];
	int64_t	 next;

	if (tui->sched == NULL ||
	    (next = scheduler_next(tui->sched)) == INT64_MAX || next <= 0)
		return NULL;
	return xasprintf(_("The scheduler stops with this window: the next "
	    "automatic run (%s) waits until a daemon (reseg daemon) or "
	    "another reseg window takes over."), tui_time(tui,
	    next, NULL, when, sizeof when));
}

/* An automatic run in progress ends as Error, nothing half done. */
void
tui_sched_stop(struct tui *tui)
{
	scheduler_free(tui->sched, 0);
	tui->sched = NULL;
	lock_release(tui->lock);
	tui->lock = NULL;
	loop_timer_free(tui->lock_timer);
	tui->lock_timer = NULL;
}
