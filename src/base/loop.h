/*
 * The main loop: one thread, one poll().  Timers run on a monotonic
 * clock and are re-armed from their callbacks; file descriptors (the
 * terminal, the scheduler's worker pipe) have callbacks; signals arrive
 * through a self-pipe and are handled in the loop, never in the handler.
 *
 * Each pass: prepare hooks (the UI redraws there, once), then poll() with
 * the earliest timer deadline minus now as the timeout, then signals, fd
 * callbacks and expired timers.  Every minute (or more often) the loop
 * compares the wall clock with the monotonic one; when they drift apart
 * (clock set, NTP step, suspend) the step hooks run so that the scheduler
 * turns its calendar times into deadlines again.
 *
 * The clock is the process's one (tu_set_clock), so tests simulate days
 * in milliseconds.
 */
#ifndef RESEG_LOOP_H
#define RESEG_LOOP_H

#include <stdint.h>

struct loop;
struct loop_timer;

typedef void (*loop_timer_fn)(struct loop *, void *arg);
typedef void (*loop_fd_fn)(struct loop *, int fd, short revents, void *arg);
typedef void (*loop_hook_fn)(struct loop *, void *arg);
typedef void (*loop_signal_fn)(struct loop *, int signo, void *arg);
/* Wall clock stepped by `delta` seconds relative to the monotonic clock. */
typedef void (*loop_step_fn)(struct loop *, int64_t delta, void *arg);

struct loop *loop_new(void);
void	 loop_free(struct loop *);
/* The process's clock (timeutil.h): the loop keeps none of its own. */
int64_t	 loop_mono_ms(struct loop *);

/* Timers start disarmed; arming an armed timer moves it. */
struct loop_timer *loop_timer_new(struct loop *, loop_timer_fn, void *arg);
void	 loop_timer_free(struct loop_timer *);
void	 loop_timer_at(struct loop_timer *, int64_t mono_ms);
void	 loop_timer_after(struct loop_timer *, int64_t ms);
/* Fires when the wall clock reads `wall` (recomputed on steps by the caller). */
void	 loop_timer_at_wall(struct loop_timer *, int64_t wall);
void	 loop_timer_cancel(struct loop_timer *);
int	 loop_timer_armed(const struct loop_timer *);

/* Watches fd for events (POLLIN ...); one callback per fd. */
int	 loop_fd_add(struct loop *, int fd, short events, loop_fd_fn, void *arg);
void	 loop_fd_remove(struct loop *, int fd);

/* Runs before each poll(): draw here.  Several hooks run in order added. */
void	 loop_add_prepare(struct loop *, loop_hook_fn, void *arg);
/* Runs when a wall clock step of more than two seconds is noticed. */
void	 loop_add_step(struct loop *, loop_step_fn, void *arg);
/* Routes signo through the self-pipe to fn (SA_RESTART, in the loop). */
int	 loop_signal(struct loop *, int signo, loop_signal_fn, void *arg);

/*
 * One pass; waits at most max_wait_ms (-1: until the next deadline or
 * event; 0: never blocks).  Returns -1 when poll() fails, else 0.
 */
int	 loop_run_once(struct loop *, int max_wait_ms);
/* Passes until loop_exit. */
int	 loop_run(struct loop *);
void	 loop_exit(struct loop *);
int	 loop_exiting(const struct loop *);
/*
 * The poll() timeout the next pass uses: the earliest deadline minus now
 * (0 when overdue or exiting; -1 when nothing is armed), capped at
 * max_wait_ms when that is not -1.
 */
int	 loop_timeout(struct loop *, int max_wait_ms);
/* Earliest armed deadline (mono ms), or INT64_MAX. */
int64_t	 loop_next_deadline(struct loop *);
/* Checks the wall clock against the monotonic one now (tests, resume). */
void	 loop_check_clock(struct loop *);

/* How often the wall clock is compared, in ms (at most a minute). */
#define LOOP_CLOCK_CHECK_MS	30000

#endif
