/*
 * The scheduler (see scheduler.h).  The loop's thread decides what runs
 * and when; one worker thread does every store write of the scheduler
 * (runs, Skipped entries), so a long commit never stalls the loop.  The
 * runs due together at one "in segment" depth are handed over at once
 * and share their work (seg_recalc_batch).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "i18n.h"
#include "scheduler.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

/*
 * With catch-up enabled, a slot this close before the scheduler started
 * (a service started a little late) runs as on time, not as a catch-up;
 * never more than the window, and not at all with catch-up disabled: a
 * window of 0 skips a slot missed by any amount.
 */
#define SCHED_START_SLACK	60
/*
 * Other processes edit, create, start and stop segments while this one
 * schedules.  An inotify watch on the store's data file says when it
 * changed; the segments are read again SCHED_WATCH_DELAY_MS later, so a
 * burst of commits costs one reading.  Without inotify the file's size
 * and time are looked at every SCHED_WATCH_POLL_MS.
 */
#define SCHED_WATCH_DELAY_MS	200
#define SCHED_WATCH_POLL_MS	2000

struct sched_job {
	uint32_t	 id;
	char		*name;
	int64_t		 slot;
	int		 skip;		/* log Skipped instead of running */
	int		 catchup;
	int		 depth;		/* "in segment" depth: used ones first */
	/* Filled by the worker. */
	int		 rc;
	char		*cause;
	struct run_record run;
	struct sched_job *next;
};

struct sched_seen {
	uint32_t	 id;
	int64_t		 slot;
};

struct scheduler {
	struct store	*store;
	struct loop	*loop;
	struct scheduler_opts opts;
	struct loop_timer *timer;
	struct loop_timer *watch;	/* store changes by other processes */
	char		*datafile;
	struct stat	 datastat;
	int		 inotify;	/* -1: polling instead */
	int64_t		 started;	/* wall clock at start */
	int64_t		 next;

	/* Highest slot handed to the worker per segment. */
	struct sched_seen *seen;
	size_t		 nseen;

	pthread_t	 thread;
	pthread_mutex_t	 mtx;
	pthread_cond_t	 cond;
	pthread_cond_t	 idle;		/* the worker finished a job */
	struct sched_job *queue, *done;
	struct sched_job *current;	/* the jobs the worker is on */
	int		 stopping;
	atomic_int	 cancel;
	int		 pipe[2];

	unsigned	 busy;
	uint64_t	 runs, skips;
};

static void
sched_log(struct scheduler *s, enum sched_log level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sched_log(struct scheduler *s, enum sched_log level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (s->opts.log == NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	s->opts.log(s->opts.arg, level, msg);
	free(msg);
}

static void
sched_job_free(struct sched_job *j)
{
	free(j->name);
	free(j->cause);
	run_record_clear(&j->run);
	free(j);
}

static int64_t *
sched_seen_slot(struct scheduler *s, uint32_t id)
{
	size_t i;

	for (i = 0; i < s->nseen; i++)
		if (s->seen[i].id == id)
			return &s->seen[i].slot;
	s->seen = xreallocarray(s->seen, s->nseen + 1, sizeof *s->seen);
	s->seen[s->nseen].id = id;
	s->seen[s->nseen].slot = INT64_MIN;
	return &s->seen[s->nseen++].slot;
}

/* ------------------------------------------------------------------ */
/* The worker                                                           */
/* ------------------------------------------------------------------ */

static void
sched_work(struct scheduler *s, struct sched_job *j)
{
	struct recalc_opts o;
	struct recalc_item *items;
	struct sched_job *k;
	size_t n = 0, i;

	if (j->skip) {
		j->rc = seg_log_skipped(s->store, j->id, j->slot, &j->cause);
		return;
	}
	memset(&o, 0, sizeof o);
	o.type = RUN_AUTOMATIC;
	o.initiator = "System";
	o.nthreads = s->opts.nthreads;
	o.cancel = &s->cancel;
	for (k = j; k != NULL; k = k->next)
		n++;
	if (n == 1) {
		o.slot = j->slot;
		j->rc = seg_recalc(s->store, j->name, &o, &j->run, &j->cause);
	} else {
		items = xcalloc(n, sizeof *items);
		for (k = j, i = 0; k != NULL; k = k->next, i++) {
			items[i].name = k->name;
			items[i].slot = k->slot;
		}
		seg_recalc_batch(s->store, items, n, &o);
		for (k = j, i = 0; k != NULL; k = k->next, i++) {
			k->rc = items[i].rc;
			k->cause = items[i].cause;
			k->run = items[i].run;
		}
		free(items);
	}
	for (k = j; k != NULL; k = k->next) {
		char *c2 = NULL;

		if (k->rc == 0 || k->run.id != 0)
			continue;
		/* Refused (a manual run is in progress): the slot is spent. */
		if (seg_set_last_handled(s->store, k->id, k->slot, &c2) != 0)
			free(c2);
	}
}

/*
 * The jobs at the head of the queue the worker takes at once: runs due
 * together at one "in segment" depth share their work
 * (seg_recalc_batch); a Skipped entry goes alone.
 */
static struct sched_job *
sched_take(struct scheduler *s)
{
	struct sched_job *j = s->queue, *tail = j, *k;

	s->queue = j->next;
	j->next = NULL;
	if (j->skip)
		return j;
	while (s->queue != NULL && !s->queue->skip &&
	    s->queue->depth == j->depth) {
		/* A segment's next slot waits for its run before. */
		for (k = j; k != NULL && k->id != s->queue->id; k = k->next)
			;
		if (k != NULL)
			break;
		tail->next = s->queue;
		tail = s->queue;
		s->queue = tail->next;
		tail->next = NULL;
	}
	return j;
}

static void *
sched_worker(void *arg)
{
	struct scheduler *s = arg;
	struct sched_job *j, *k;
	unsigned char b = 1;
	ssize_t n;

	pthread_mutex_lock(&s->mtx);
	for (;;) {
		while (s->queue == NULL && !s->stopping)
			pthread_cond_wait(&s->cond, &s->mtx);
		if (s->stopping)
			break;
		j = sched_take(s);
		s->current = j;
		pthread_mutex_unlock(&s->mtx);
		sched_work(s, j);
		pthread_mutex_lock(&s->mtx);
		s->current = NULL;
		/* The done list is newest first. */
		while ((k = j) != NULL) {
			j = k->next;
			k->next = s->done;
			s->done = k;
		}
		n = write(s->pipe[1], &b, 1);
		(void)n;
		pthread_cond_broadcast(&s->idle);
	}
	pthread_mutex_unlock(&s->mtx);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The loop's side                                                      */
/* ------------------------------------------------------------------ */

static void
sched_report(struct scheduler *s, struct sched_job *j)
{
	char when[TU_DATETIME_BUF];

	tu_format_datetime(j->slot, when);
	if (j->skip) {
		if (j->rc != 0)
			sched_log(s, SCHED_LOG_ERROR, _("segment '%s': cannot "
			    "log the missed run of %s: %s"), j->name, when,
			    j->cause != NULL ? j->cause : "");
		else
			sched_log(s, SCHED_LOG_WARNING, _("segment '%s': the "
			    "run of %s was missed and is older than the "
			    "catch-up window; logged as Skipped"), j->name,
			    when);
		s->skips++;
		return;
	}
	s->runs++;
	if (j->rc == 0)
		sched_log(s, SCHED_LOG_INFO, _("segment '%s': automatic run "
		    "%u (slot %s) completed: %llu added, %llu removed, %llu "
		    "in total"), j->name, j->run.id, when,
		    (unsigned long long)j->run.added,
		    (unsigned long long)j->run.removed,
		    (unsigned long long)j->run.total);
	else if (j->run.id != 0 && j->run.error != NULL)
		sched_log(s, SCHED_LOG_ERROR, _("segment '%s': automatic run "
		    "%u (slot %s) failed: %s"), j->name, j->run.id, when,
		    j->run.error);
	else
		sched_log(s, SCHED_LOG_ERROR, _("segment '%s': automatic run "
		    "(slot %s) failed: %s"), j->name, when,
		    j->cause != NULL ? j->cause : _("unknown error"));
}

static void
sched_collect(struct scheduler *s)
{
	struct sched_job *list, *j, *rev = NULL;

	pthread_mutex_lock(&s->mtx);
	list = s->done;
	s->done = NULL;
	pthread_mutex_unlock(&s->mtx);
	/* The done list is newest first; report in the order of running. */
	while (list != NULL) {
		j = list;
		list = j->next;
		j->next = rev;
		rev = j;
	}
	while (rev != NULL) {
		j = rev;
		rev = j->next;
		sched_report(s, j);
		s->busy--;
		sched_job_free(j);
	}
	if (s->opts.changed != NULL)
		s->opts.changed(s->opts.arg);
}

static void
sched_pipe_cb(struct loop *loop, int fd, short revents, void *arg)
{
	struct scheduler *s = arg;
	unsigned char buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
	sched_collect(s);
}

struct sched_depth {
	struct segment	**segs;
	size_t		 n;
	int		*depth;		/* -1 unknown, -2 visiting */
};

static int sched_depth_of(struct sched_depth *, size_t);

struct sched_depth_ref {
	struct sched_depth *d;
	int		 max;
};

static void
sched_depth_ref(void *arg, const char *name)
{
	struct sched_depth_ref *r = arg;
	size_t i;
	int dd;

	for (i = 0; i < r->d->n; i++)
		if (strcmp(r->d->segs[i]->name, name) == 0) {
			dd = sched_depth_of(r->d, i);
			if (dd + 1 > r->max)
				r->max = dd + 1;
			return;
		}
}

static int
sched_depth_of(struct sched_depth *d, size_t i)
{
	struct sched_depth_ref r = { d, 0 };

	if (d->depth[i] >= 0)
		return d->depth[i];
	if (d->depth[i] == -2)
		return 0;	/* a cycle: refused on save, ignored here */
	d->depth[i] = -2;
	if (d->segs[i]->cond != NULL)
		cond_segments(d->segs[i]->cond, sched_depth_ref, &r);
	d->depth[i] = r.max;
	return r.max;
}

static int
sched_job_cmp(const void *a, const void *b)
{
	const struct sched_job *x = *(struct sched_job *const *)a;
	const struct sched_job *y = *(struct sched_job *const *)b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
sched_enqueue(struct scheduler *s, struct sched_job **jobs, size_t n)
{
	struct sched_job **tail;
	size_t i;

	if (n == 0)
		return;
	qsort(jobs, n, sizeof *jobs, sched_job_cmp);
	pthread_mutex_lock(&s->mtx);
	for (tail = &s->queue; *tail != NULL; tail = &(*tail)->next)
		;
	for (i = 0; i < n; i++) {
		*tail = jobs[i];
		tail = &jobs[i]->next;
		s->busy++;
	}
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->mtx);
}

void
scheduler_reload(struct scheduler *s)
{
	struct store_txn *txn = NULL;
	struct segment **segs = NULL;
	struct sched_depth d;
	struct sched_job **jobs, *j;
	char *cause = NULL, when[TU_DATETIME_BUF];
	int64_t now = tu_now(), base, latest, next, best = INT64_MAX, slack;
	int64_t *seen;
	size_t n = 0, i, njobs = 0;
	int rc;

	if (store_read_begin(s->store, &txn, &cause) != 0 ||
	    seg_list(txn, &segs, &n, &cause) != 0) {
		if (txn != NULL)
			store_read_end(txn);
		sched_log(s, SCHED_LOG_ERROR, _("cannot read the segments: %s"),
		    cause);
		free(cause);
		/* Tries again in a minute rather than never. */
		loop_timer_after(s->timer, 60000);
		return;
	}
	store_read_end(txn);
	d.segs = segs;
	d.n = n;
	d.depth = xcalloc(n + 1, sizeof *d.depth);
	for (i = 0; i < n; i++)
		d.depth[i] = -1;
	jobs = xcalloc(n + 1, sizeof *jobs);
	slack = s->opts.grace < SCHED_START_SLACK ? s->opts.grace :
	    SCHED_START_SLACK;
	for (i = 0; i < n; i++) {
		struct segment *sg = segs[i];

		if (sg->kind != SEG_SCHEDULED || !sg->has_sched ||
		    sg->state != SEG_ACTIVE)
			continue;
		seen = sched_seen_slot(s, sg->id);
		base = sg->last_handled > *seen ? sg->last_handled : *seen;
		/* 1: no slot before now yet (a first run still ahead). */
		rc = sched_prev(&sg->sched, now, &latest, &cause);
		if (rc < 0) {
			sched_log(s, SCHED_LOG_ERROR, _("segment '%s': %s"),
			    sg->name, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (rc == 0 && latest > base) {
			j = xcalloc(1, sizeof *j);
			j->id = sg->id;
			j->name = xstrdup(sg->name);
			j->slot = latest;
			j->depth = sched_depth_of(&d, i);
			if (latest < s->started - slack) {
				if (s->opts.grace > 0 &&
				    now - latest <= s->opts.grace) {
					j->catchup = 1;
					sched_log(s, SCHED_LOG_INFO, _("segment "
					    "'%s': catching up the run missed "
					    "at %s"), sg->name,
					    tu_format_datetime(latest, when));
				} else
					j->skip = 1;
			}
			jobs[njobs++] = j;
			*seen = latest;
			base = latest;
		}
		if (sched_next(&sg->sched, now > base ? now : base, &next,
		    &cause) == 0 && next < best)
			best = next;
		free(cause);
		cause = NULL;
	}
	sched_enqueue(s, jobs, njobs);
	free(jobs);
	free(d.depth);
	seg_list_free(segs, n);
	s->next = best;
	if (best == INT64_MAX)
		loop_timer_cancel(s->timer);
	else
		loop_timer_at_wall(s->timer, best);
}

static void
sched_timer_cb(struct loop *loop, void *arg)
{
	scheduler_reload(arg);
}

/* Whether the store's data file differs from when it was last looked at. */
static int
sched_store_changed(struct scheduler *s)
{
	struct stat st;
	int changed;

	if (stat(s->datafile, &st) != 0)
		return 1;
	changed = st.st_ino != s->datastat.st_ino ||
	    st.st_size != s->datastat.st_size ||
	    st.st_mtim.tv_sec != s->datastat.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != s->datastat.st_mtim.tv_nsec;
	s->datastat = st;
	return changed;
}

static void
sched_watch_cb(struct loop *loop, void *arg)
{
	struct scheduler *s = arg;

	if (s->inotify != -1) {
		scheduler_reload(s);
		return;
	}
	if (sched_store_changed(s))
		scheduler_reload(s);
	loop_timer_after(s->watch, SCHED_WATCH_POLL_MS);
}

static void
sched_inotify_cb(struct loop *loop, int fd, short revents, void *arg)
{
	struct scheduler *s = arg;
	char buf[4096];

	while (read(fd, buf, sizeof buf) > 0)
		;
	if (!loop_timer_armed(s->watch))
		loop_timer_after(s->watch, SCHED_WATCH_DELAY_MS);
}

static void
sched_watch_start(struct scheduler *s)
{
	s->datafile = xasprintf("%s/data.mdb", store_path(s->store));
	s->watch = loop_timer_new(s->loop, sched_watch_cb, s);
	s->inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->inotify != -1 && inotify_add_watch(s->inotify, s->datafile,
	    IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF) == -1) {
		close(s->inotify);
		s->inotify = -1;
	}
	if (s->inotify != -1)
		loop_fd_add(s->loop, s->inotify, POLLIN, sched_inotify_cb, s);
	else {
		(void)sched_store_changed(s);
		loop_timer_after(s->watch, SCHED_WATCH_POLL_MS);
	}
}

static void
sched_step_cb(struct loop *loop, int64_t delta, void *arg)
{
	struct scheduler *s = arg;

	sched_log(s, SCHED_LOG_WARNING, ngettext_("the wall clock jumped by "
	    "%lld second; recomputing the next runs", "the wall clock jumped "
	    "by %lld seconds; recomputing the next runs",
	    (unsigned long)llabs((long long)delta)), (long long)delta);
	scheduler_reload(s);
}

int
scheduler_new(struct store *st, struct loop *loop,
    const struct scheduler_opts *opts, struct scheduler **out, char **cause)
{
	struct scheduler *s;
	unsigned marked = 0;
	int i;

	if (seg_mark_interrupted(st, &marked, cause) != 0)
		return -1;
	marked += engine_take_interrupted();
	s = xcalloc(1, sizeof *s);
	s->store = st;
	s->loop = loop;
	s->opts = *opts;
	s->started = tu_now();
	s->next = INT64_MAX;
	if (pipe(s->pipe) != 0) {
		error_set(cause, _("cannot create the scheduler's pipe: %s"),
		    strerror(errno));
		free(s);
		return -1;
	}
	for (i = 0; i < 2; i++) {
		fcntl(s->pipe[i], F_SETFL, O_NONBLOCK);
		fcntl(s->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&s->mtx, NULL);
	pthread_cond_init(&s->cond, NULL);
	pthread_cond_init(&s->idle, NULL);
	if (pthread_create(&s->thread, NULL, sched_worker, s) != 0) {
		error_set(cause, _("cannot start the scheduler's worker "
		    "thread"));
		close(s->pipe[0]);
		close(s->pipe[1]);
		free(s);
		return -1;
	}
	if (marked > 0)
		sched_log(s, SCHED_LOG_WARNING, ngettext_("%u run left in "
		    "progress by a crash was marked as interrupted",
		    "%u runs left in progress by a crash were marked as "
		    "interrupted", marked), marked);
	loop_fd_add(loop, s->pipe[0], POLLIN, sched_pipe_cb, s);
	loop_add_step(loop, sched_step_cb, s);
	s->timer = loop_timer_new(loop, sched_timer_cb, s);
	/* The first computation runs at the first pass, not inside new(). */
	loop_timer_after(s->timer, 0);
	sched_watch_start(s);
	*out = s;
	return 0;
}

void
scheduler_free(struct scheduler *s, int finish)
{
	struct sched_job *j;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->mtx);
	while ((j = s->queue) != NULL) {
		s->queue = j->next;
		s->busy--;
		sched_job_free(j);
	}
	s->stopping = 1;
	for (j = s->current; j != NULL; j = j->next) {
		char when[TU_DATETIME_BUF];

		tu_format_datetime(j->slot, when);
		if (finish)
			sched_log(s, SCHED_LOG_INFO, _("segment '%s': waiting "
			    "for the run in progress (slot %s) to finish"),
			    j->name, when);
		else
			sched_log(s, SCHED_LOG_WARNING, _("segment '%s': the "
			    "run in progress (slot %s) is abandoned; it is "
			    "logged as Error and the members stay as they "
			    "were"), j->name, when);
	}
	if (!finish)
		s->cancel = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->mtx);
	pthread_join(s->thread, NULL);
	sched_collect(s);
	loop_fd_remove(s->loop, s->pipe[0]);
	loop_timer_free(s->timer);
	loop_timer_free(s->watch);
	if (s->inotify != -1) {
		loop_fd_remove(s->loop, s->inotify);
		close(s->inotify);
	}
	free(s->datafile);
	close(s->pipe[0]);
	close(s->pipe[1]);
	pthread_mutex_destroy(&s->mtx);
	pthread_cond_destroy(&s->cond);
	pthread_cond_destroy(&s->idle);
	free(s->seen);
	free(s);
}

unsigned
scheduler_busy(const struct scheduler *s)
{
	return s->busy;
}

void
scheduler_wait_idle(struct scheduler *s)
{
	unsigned char buf[64];

	pthread_mutex_lock(&s->mtx);
	while (s->queue != NULL || s->current != NULL)
		pthread_cond_wait(&s->idle, &s->mtx);
	pthread_mutex_unlock(&s->mtx);
	while (read(s->pipe[0], buf, sizeof buf) > 0)
		;
	sched_collect(s);
}

uint64_t
scheduler_runs(const struct scheduler *s)
{
	return s->runs;
}

uint64_t
scheduler_skips(const struct scheduler *s)
{
	return s->skips;
}

int64_t
scheduler_next(const struct scheduler *s)
{
	return s->next;
}

int
scheduler_parse_duration(const char *text, int64_t *secs)
{
	size_t len = strlen(text);
	int64_t v, mult = 1;

	if (len == 0)
		return -1;
	switch (text[len - 1]) {
	case 's':
		len--;
		break;
	case 'm':
		mult = 60;
		len--;
		break;
	case 'h':
		mult = 3600;
		len--;
		break;
	case 'd':
		mult = 86400;
		len--;
		break;
	}
	if (len == 0 || parse_int64(text, len, &v) != 0 || v < 0 ||
	    v > INT64_MAX / mult / 2)
		return -1;
	*secs = v * mult;
	return 0;
}
