/*
 * The single-threaded poll() loop (see loop.h).  A handful of timers and
 * descriptors at most, so plain arrays scanned linearly are enough.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "timeutil.h"
#include "util.h"

struct loop_timer {
	struct loop	*loop;
	loop_timer_fn	 fn;
	void		*arg;
	int64_t		 deadline;
	int		 armed;
	int		 dead;
};

struct loop_fd {
	int		 fd;
	short		 events;
	loop_fd_fn	 fn;
	void		*arg;
};

struct loop_hook {
	loop_hook_fn	 fn;
	loop_step_fn	 step;
	void		*arg;
};

struct loop_sig {
	int		 signo;
	loop_signal_fn	 fn;
	void		*arg;
};

struct loop {
	struct loop_timer **timers;
	size_t		 ntimers;
	int		 dispatching;

	struct loop_fd	*fds;
	size_t		 nfds;

	struct loop_hook *prepare;
	size_t		 nprepare;
	struct loop_hook *steps;
	size_t		 nsteps;
	struct loop_sig	*sigs;
	size_t		 nsigs;

	struct loop_timer *check;	/* wall clock comparison */
	int64_t		 offset;	/* wall ms - mono ms at the last check */
	int		 exiting;
};

/* The self-pipe: one per process, as signal dispositions are. */
static int loop_sigpipe[2] = { -1, -1 };

int64_t
loop_mono_ms(struct loop *loop)
{
	(void)loop;
	return tu_mono_ms();
}

static void
loop_check_cb(struct loop *loop, void *arg)
{
	loop_check_clock(loop);
	loop_timer_after(loop->check, LOOP_CLOCK_CHECK_MS);
}

void
loop_check_clock(struct loop *loop)
{
	int64_t off = tu_now_ms() - loop_mono_ms(loop), delta;
	size_t i;

	delta = off - loop->offset;
	loop->offset = off;
	if (delta >= -2000 && delta <= 2000)
		return;
	for (i = 0; i < loop->nsteps; i++)
		loop->steps[i].step(loop, delta / 1000, loop->steps[i].arg);
}

struct loop *
loop_new(void)
{
	struct loop *loop = xcalloc(1, sizeof *loop);

	loop->offset = tu_now_ms() - tu_mono_ms();
	loop->check = loop_timer_new(loop, loop_check_cb, NULL);
	loop_timer_after(loop->check, LOOP_CLOCK_CHECK_MS);
	return loop;
}

static void
loop_timer_reap(struct loop *loop)
{
	size_t i, j = 0;

	for (i = 0; i < loop->ntimers; i++) {
		if (loop->timers[i]->dead)
			free(loop->timers[i]);
		else
			loop->timers[j++] = loop->timers[i];
	}
	loop->ntimers = j;
}

void
loop_free(struct loop *loop)
{
	size_t i;

	if (loop == NULL)
		return;
	for (i = 0; i < loop->ntimers; i++)
		free(loop->timers[i]);
	free(loop->timers);
	free(loop->fds);
	free(loop->prepare);
	free(loop->steps);
	for (i = 0; i < loop->nsigs; i++)
		signal(loop->sigs[i].signo, SIG_DFL);
	free(loop->sigs);
	free(loop);
}

struct loop_timer *
loop_timer_new(struct loop *loop, loop_timer_fn fn, void *arg)
{
	struct loop_timer *t = xcalloc(1, sizeof *t);

	t->loop = loop;
	t->fn = fn;
	t->arg = arg;
	loop->timers = xreallocarray(loop->timers, loop->ntimers + 1,
	    sizeof *loop->timers);
	loop->timers[loop->ntimers++] = t;
	return t;
}

void
loop_timer_free(struct loop_timer *t)
{
	if (t == NULL)
		return;
	t->dead = 1;
	t->armed = 0;
	if (!t->loop->dispatching)
		loop_timer_reap(t->loop);
}

void
loop_timer_at(struct loop_timer *t, int64_t mono_ms)
{
	t->deadline = mono_ms;
	t->armed = 1;
}

void
loop_timer_after(struct loop_timer *t, int64_t ms)
{
	loop_timer_at(t, loop_mono_ms(t->loop) + (ms < 0 ? 0 : ms));
}

void
loop_timer_at_wall(struct loop_timer *t, int64_t wall)
{
	int64_t ms = wall * 1000 - tu_now_ms();

	loop_timer_after(t, ms);
}

void
loop_timer_cancel(struct loop_timer *t)
{
	t->armed = 0;
}

int
loop_timer_armed(const struct loop_timer *t)
{
	return t->armed;
}

int
loop_fd_add(struct loop *loop, int fd, short events, loop_fd_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < loop->nfds; i++)
		if (loop->fds[i].fd == fd)
			break;
	if (i == loop->nfds) {
		loop->fds = xreallocarray(loop->fds, loop->nfds + 1,
		    sizeof *loop->fds);
		loop->nfds++;
	}
	loop->fds[i].fd = fd;
	loop->fds[i].events = events;
	loop->fds[i].fn = fn;
	loop->fds[i].arg = arg;
	return 0;
}

void
loop_fd_remove(struct loop *loop, int fd)
{
	size_t i;

	for (i = 0; i < loop->nfds; i++)
		if (loop->fds[i].fd == fd) {
			/* Disabled in place: the pass in progress may index it. */
			loop->fds[i].fd = -1;
			loop->fds[i].fn = NULL;
		}
}

void
loop_add_prepare(struct loop *loop, loop_hook_fn fn, void *arg)
{
	loop->prepare = xreallocarray(loop->prepare, loop->nprepare + 1,
	    sizeof *loop->prepare);
	loop->prepare[loop->nprepare].fn = fn;
	loop->prepare[loop->nprepare++].arg = arg;
}

void
loop_add_step(struct loop *loop, loop_step_fn fn, void *arg)
{
	loop->steps = xreallocarray(loop->steps, loop->nsteps + 1,
	    sizeof *loop->steps);
	loop->steps[loop->nsteps].step = fn;
	loop->steps[loop->nsteps++].arg = arg;
}

static void
loop_sig_handler(int signo)
{
	unsigned char b = (unsigned char)signo;
	int saved = errno;
	ssize_t n;

	n = write(loop_sigpipe[1], &b, 1);
	(void)n;
	errno = saved;
}

static void
loop_sig_read(struct loop *loop, int fd, short revents, void *arg)
{
	unsigned char buf[64];
	ssize_t n, i;
	size_t j;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++)
			for (j = 0; j < loop->nsigs; j++)
				if (loop->sigs[j].signo == buf[i])
					loop->sigs[j].fn(loop, buf[i],
					    loop->sigs[j].arg);
	}
}

int
loop_signal(struct loop *loop, int signo, loop_signal_fn fn, void *arg)
{
	struct sigaction sa;
	int i;

	if (loop_sigpipe[0] == -1) {
		if (pipe(loop_sigpipe) != 0)
			return -1;
		for (i = 0; i < 2; i++) {
			fcntl(loop_sigpipe[i], F_SETFL, O_NONBLOCK);
			fcntl(loop_sigpipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	loop_fd_add(loop, loop_sigpipe[0], POLLIN, loop_sig_read, NULL);
	loop->sigs = xreallocarray(loop->sigs, loop->nsigs + 1,
	    sizeof *loop->sigs);
	loop->sigs[loop->nsigs].signo = signo;
	loop->sigs[loop->nsigs].fn = fn;
	loop->sigs[loop->nsigs++].arg = arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_sig_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return sigaction(signo, &sa, NULL);
}

int64_t
loop_next_deadline(struct loop *loop)
{
	int64_t best = INT64_MAX;
	size_t i;

	for (i = 0; i < loop->ntimers; i++)
		if (loop->timers[i]->armed && loop->timers[i]->deadline < best)
			best = loop->timers[i]->deadline;
	return best;
}

static void
loop_run_timers(struct loop *loop)
{
	struct loop_timer **due;
	int64_t now = loop_mono_ms(loop);
	size_t i, n = 0, count = loop->ntimers;

	due = xcalloc(count + 1, sizeof *due);
	for (i = 0; i < count; i++)
		if (loop->timers[i]->armed && loop->timers[i]->deadline <= now)
			due[n++] = loop->timers[i];
	/* Earliest first, so the order of firing is the order of deadlines. */
	for (i = 1; i < n; i++) {
		struct loop_timer *t = due[i];
		size_t j = i;

		while (j > 0 && due[j - 1]->deadline > t->deadline) {
			due[j] = due[j - 1];
			j--;
		}
		due[j] = t;
	}
	loop->dispatching = 1;
	for (i = 0; i < n; i++) {
		if (due[i]->dead || !due[i]->armed || due[i]->deadline > now)
			continue;
		due[i]->armed = 0;
		due[i]->fn(loop, due[i]->arg);
	}
	loop->dispatching = 0;
	loop_timer_reap(loop);
	free(due);
}

int
loop_timeout(struct loop *loop, int max_wait_ms)
{
	int64_t deadline, wait;

	if (loop->exiting)
		return 0;
	deadline = loop_next_deadline(loop);
	if (deadline == INT64_MAX)
		wait = -1;
	else {
		wait = deadline - loop_mono_ms(loop);
		if (wait < 0)
			wait = 0;
	}
	if (max_wait_ms >= 0 && (wait < 0 || wait > max_wait_ms))
		wait = max_wait_ms;
	return wait > INT_MAX ? INT_MAX : (int)wait;
}

int
loop_run_once(struct loop *loop, int max_wait_ms)
{
	struct pollfd *pfd;
	size_t i, n;
	int rc, timeout;

	for (i = 0; i < loop->nprepare; i++)
		loop->prepare[i].fn(loop, loop->prepare[i].arg);
	timeout = loop_timeout(loop, max_wait_ms);

	n = loop->nfds;
	pfd = xcalloc(n + 1, sizeof *pfd);
	for (i = 0; i < n; i++) {
		pfd[i].fd = loop->fds[i].fd;
		pfd[i].events = loop->fds[i].events;
	}
	rc = poll(pfd, n, timeout);
	if (rc == -1 && errno != EINTR) {
		free(pfd);
		return -1;
	}
	for (i = 0; rc > 0 && i < n; i++) {
		if (pfd[i].revents == 0 || pfd[i].fd < 0)
			continue;
		if (loop->fds[i].fd == pfd[i].fd && loop->fds[i].fn != NULL)
			loop->fds[i].fn(loop, pfd[i].fd, pfd[i].revents,
			    loop->fds[i].arg);
	}
	free(pfd);
	/* Compacts removed descriptors now that nobody indexes them. */
	for (i = n = 0; i < loop->nfds; i++)
		if (loop->fds[i].fd >= 0)
			loop->fds[n++] = loop->fds[i];
	loop->nfds = n;
	loop_run_timers(loop);
	return 0;
}

int
loop_run(struct loop *loop)
{
	while (!loop->exiting)
		if (loop_run_once(loop, -1) != 0)
			return -1;
	return 0;
}

void
loop_exit(struct loop *loop)
{
	loop->exiting = 1;
}

int
loop_exiting(const struct loop *loop)
{
	return loop->exiting;
}
