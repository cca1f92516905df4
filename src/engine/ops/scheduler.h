/*
 * The scheduler (README, "Schedules and the scheduler"): on top of the loop (loop.h) and the segments
 * engine (segment.h).  It computes every active scheduled segment's next
 * run from its stored schedule, arms one loop timer for the earliest, and
 * hands due segments to a worker thread that runs seg_recalc (Automatic,
 * "System").  The worker reports back through a pipe the loop watches, so
 * the loop never blocks and the worker never touches the terminal.
 *
 * Catch-up: a slot missed while no scheduler ran is run once at start
 * when the latest missed slot is within the grace window, else logged as
 * Skipped; last_handled (persisted per segment) makes a slot run at most
 * once, also when the wall clock steps back.
 *
 * The caller holds the scheduler lock (lock.h) before creating one.
 *
 * For tests only, RESEG_TEST_SLOW_RUN=MS makes every scan progress step
 * of an automatic run sleep MS milliseconds (a signal can land mid-run).
 */
#ifndef RESEG_SCHEDULER_H
#define RESEG_SCHEDULER_H

#include <stdint.h>

#include "loop.h"
#include "store.h"

struct scheduler;

enum sched_log { SCHED_LOG_INFO, SCHED_LOG_WARNING, SCHED_LOG_ERROR };

struct scheduler_opts {
	int64_t		 grace;		/* catch-up window, seconds; 0: none */
	int		 nthreads;	/* for seg_recalc; 0: every core */
	/* Log lines (already translated); called on the loop's thread. */
	void		(*log)(void *arg, enum sched_log, const char *msg);
	/* After each run or skip: the UI redraws. */
	void		(*changed)(void *arg);
	void		*arg;
};

#define SCHEDULER_GRACE_DEFAULT	(24 * 3600)

/*
 * Marks interrupted runs, computes the schedule and arms the timer.  Due
 * and caught-up slots start at the next loop pass.
 */
int	 scheduler_new(struct store *, struct loop *,
	    const struct scheduler_opts *, struct scheduler **, char **cause);
/*
 * Stops: abandons the queue, cancels the run in progress (it ends as
 * Error, nothing half committed) unless finish is set, and joins the
 * worker.  Logs (opts.log) the segment whose run was in progress, if any.
 */
void	 scheduler_free(struct scheduler *, int finish);
/* Recomputes every next run (after edits; the loop calls it on steps). */
void	 scheduler_reload(struct scheduler *);
/* Runs queued or in progress. */
unsigned scheduler_busy(const struct scheduler *);
/*
 * Blocks until the worker has finished everything queued, then reports
 * the results (log, changed) as the loop would: tests and benchmarks
 * drive the scheduler with an injected clock and no sleeping.
 */
void	 scheduler_wait_idle(struct scheduler *);
/* Automatic runs finished (any status) and slots skipped so far. */
uint64_t scheduler_runs(const struct scheduler *);
uint64_t scheduler_skips(const struct scheduler *);
/* Earliest next run over all segments (UTC), or INT64_MAX. */
int64_t	 scheduler_next(const struct scheduler *);

/* Parses a duration: "90" seconds, "30m", "24h", "2d"; 0 on success. */
int	 scheduler_parse_duration(const char *, int64_t *secs);

#endif
