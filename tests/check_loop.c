/*
 * The timer loop and the scheduler with an injected clock: 60 simulated
 * days across a DST change, a wall clock stepped back, a 3-day outage,
 * timer order and poll timeouts, and one scheduler per store.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drop.h"
#include "lock.h"
#include "loop.h"
#include "pdb.h"
#include "scheduler.h"
#include "segment.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

static char *tdir;
static struct store *st;
static struct loop *lp;
static struct scheduler *sch;
static struct strbuf logbuf;

/* The fake clocks; the worker thread reads the wall clock (tu_now). */
static _Atomic int64_t fake_wall;	/* seconds, UTC */
static _Atomic int64_t fake_mono;	/* ms */

static int64_t
fake_mono_ms(void *arg)
{
	(void)arg;
	return atomic_load(&fake_mono);
}

static int64_t
fake_wall_s(void *arg)
{
	(void)arg;
	return atomic_load(&fake_wall);
}

static const struct tu_clock fake_clock = { fake_mono_ms, fake_wall_s, NULL };

static int64_t
at(const char *iso)
{
	int64_t t;

	ck_assert_msg(tu_parse_datetime(iso, strlen(iso), 1, &t) == 0, "%s", iso);
	return t;
}

static const char *
iso(int64_t t, char *buf)
{
	return tu_format_datetime(t, buf);
}

static int
apply_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct pdb_upsert_stats stats;

	return pdb_batch_apply(txn, "db", arg, &stats, cause);
}

/* Database "db": five profiles, n = 0 ... 4. */
static void
make_db(void)
{
	struct field f[2] = { { (char *)"email", FT_STRING },
	    { (char *)"n", FT_INT } };
	struct pdb_schema *schema;
	struct pdb_batch *b;
	struct store_txn *txn;
	struct value row[2];
	char *cause = NULL, key[64];
	uint32_t i;

	ck_assert_msg(pdb_create(st, "db", f, 2, "email", &cause) == 0, "%s",
	    cause);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, "db", &schema, &cause), 0);
	store_read_end(txn);
	b = pdb_batch_new(schema);
	for (i = 0; i < 5; i++) {
		snprintf(key, sizeof key, "u%u@x.org", (unsigned)i);
		row[0].present = 1;
		row[0].u.s.p = key;
		row[0].u.s.len = (uint32_t)strlen(key);
		row[1].present = 1;
		row[1].u.i = i;
		pdb_batch_add(b, row);
	}
	ck_assert_msg(store_write(st, apply_cb, b, &cause) == 0, "%s", cause);
	schema_free(schema);
	pdb_batch_free(b);
}

static void
log_cb(void *arg, enum sched_log level, const char *msg)
{
	(void)arg;
	sb_printf(&logbuf, "%s %s\n", level == SCHED_LOG_ERROR ? "E" :
	    level == SCHED_LOG_WARNING ? "W" : "I", msg);
}

static void
setup(void)
{
	char *cause = NULL;

	tdir = testlib_tempdir();
	ck_assert_msg(store_open(tdir, &st, &cause) == 0, "%s", cause);
	atomic_store(&fake_wall, at("2026-06-01T12:00:00Z"));
	atomic_store(&fake_mono, 1000000);
	tu_set_clock(&fake_clock);
	make_db();
	memset(&logbuf, 0, sizeof logbuf);
	lp = NULL;
	sch = NULL;
}

static void
stop(void)
{
	scheduler_free(sch, 1);
	sch = NULL;
	loop_free(lp);
	lp = NULL;
}

static void
teardown(void)
{
	if (sch != NULL)
		stop();
	store_close(st);
	testlib_rmtree(tdir);
	free(tdir);
	free(logbuf.buf);
	tu_set_clock(NULL);
}

static void
new_seg(const char *name, const char *where, const char *schedule)
{
	struct segment *s = xmalloc(sizeof *s);
	char *cause = NULL;

	seg_init(s);
	s->name = xstrdup(name);
	s->db = xstrdup("db");
	s->cond = cond_parse(where, &cause);
	ck_assert_msg(s->cond != NULL, "%s", cause);
	ck_assert_msg(sched_parse(schedule, tu_now(), &s->sched, &cause) == 0,
	    "%s", cause);
	s->has_sched = 1;
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);
}

/*
 * Runs the loop until nothing is due at the current fake time, waiting for
 * the worker after every pass, so that a step is fully handled on return.
 */
static void
pump(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(loop_run_once(lp, 0), 0);
		scheduler_wait_idle(sch);
		if (loop_next_deadline(lp) > atomic_load(&fake_mono))
			return;
	}
	ck_abort_msg("the loop keeps finding due timers");
}

static void
start(int64_t grace)
{
	struct scheduler_opts o;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.grace = grace;
	o.nthreads = 1;
	o.log = log_cb;
	lp = loop_new();
	ck_assert_msg(scheduler_new(st, lp, &o, &sch, &cause) == 0, "%s",
	    cause);
	pump();
}

/* Both clocks move forward by secs (time passing). */
static void
advance(int64_t secs)
{
	atomic_fetch_add(&fake_wall, secs);
	atomic_fetch_add(&fake_mono, secs * 1000);
	pump();
}

/*
 * Lets time pass until the wall clock reads `until`, stopping at every
 * loop deadline on the way and at least every hour.
 */
static void
run_until(int64_t until)
{
	int64_t now, step, due;

	while ((now = atomic_load(&fake_wall)) < until) {
		step = until - now < 3600 ? until - now : 3600;
		due = loop_next_deadline(lp);
		if (due != INT64_MAX) {
			due = (due - atomic_load(&fake_mono) + 999) / 1000;
			if (due >= 1 && due < step)
				step = due;
		}
		advance(step);
	}
}

/* The run log of a segment: "status slot started total" per line. */
static char *
runlog(const char *name)
{
	struct store_txn *txn;
	struct segment *s;
	struct run_record *r;
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL, b1[TU_DATETIME_BUF], b2[TU_DATETIME_BUF];
	size_t n, i;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_msg(seg_get(txn, name, &s, &cause) == 0, "%s", cause);
	ck_assert_msg(seg_runs(txn, s->id, &r, &n, &cause) == 0, "%s", cause);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(r[i].type, RUN_AUTOMATIC);
		ck_assert_str_eq(r[i].initiator, "System");
		sb_printf(&sb, "%s %s %s %llu\n", run_status_name(r[i].status),
		    iso(r[i].slot, b1), iso(r[i].started_at, b2),
		    (unsigned long long)r[i].total);
	}
	run_records_free(r, n);
	seg_free(s);
	store_read_end(txn);
	if (sb.buf == NULL)
		sb_puts(&sb, "");
	return sb_detach(&sb);
}

#define LOG_IS(name, expect) do {					\
	char *got_ = runlog(name);					\
	ck_assert_str_eq(got_, expect);					\
	free(got_);							\
} while (0)

/* ------------------------------------------------------------------ */

/*
 * Daily at 02:30 New York for 60 days from 2026-02-20: 07:30Z until the
 * spring change on 2026-03-08 (02:30 does not exist that day and moves to
 * 03:30 EDT, which is 07:30Z too), 06:30Z from 2026-03-09 on.
 */
START_TEST(daily_sixty_days_dst)
{
	struct strbuf want = STRBUF_INIT;
	char buf[TU_DATETIME_BUF], *got;
	int32_t d, first, last, mar9;

	atomic_store(&fake_wall, at("2026-02-20T12:00:00Z"));
	new_seg("nightly", "n >= 2", "daily at 02:30 America/New_York");
	start(SCHEDULER_GRACE_DEFAULT);
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-02-21T07:30:00Z");
	run_until(at("2026-04-21T12:00:00Z"));
	ck_assert_int_eq(tu_parse_date("2026-02-21", 10, &first), 0);
	ck_assert_int_eq(tu_parse_date("2026-04-21", 10, &last), 0);
	ck_assert_int_eq(tu_parse_date("2026-03-09", 10, &mar9), 0);
	for (d = first; d <= last; d++) {
		int64_t t = (int64_t)d * 86400 + (d < mar9 ? 7 : 6) * 3600 +
		    30 * 60;

		sb_printf(&want, "Completed %s %s 3\n", iso(t, buf), buf);
	}
	got = runlog("nightly");
	ck_assert_str_eq(got, want.buf);
	free(got);
	free(want.buf);
	ck_assert_int_eq(scheduler_runs(sch), 60);
	ck_assert_int_eq(scheduler_skips(sch), 0);
	/* The days around the change, spelled out. */
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "(slot 2026-03-07T07:30:00Z)"));
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "(slot 2026-03-08T07:30:00Z)"));
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "(slot 2026-03-09T06:30:00Z)"));
	ck_assert_ptr_null(strstr(logbuf.buf, "W "));
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-04-22T06:30:00Z");
}
END_TEST

/* Stepped back an hour right after a run: the slot does not run again. */
START_TEST(clock_stepped_back)
{
	char buf[TU_DATETIME_BUF];

	new_seg("berlin", "n < 2", "daily at 02:30 Europe/Berlin");
	start(SCHEDULER_GRACE_DEFAULT);
	run_until(at("2026-06-02T00:30:05Z"));
	LOG_IS("berlin", "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:00Z 2\n");
	/* NTP steps the wall clock back; the loop notices at its next check. */
	atomic_fetch_sub(&fake_wall, 3600);
	atomic_fetch_add(&fake_mono, 1000);
	loop_check_clock(lp);
	scheduler_wait_idle(sch);
	/* Back 3600 s while 1 s passed: 3601 s against the monotonic clock. */
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "W the wall clock jumped by "
	    "-3601 seconds; recomputing the next runs\n"));
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-06-03T00:30:00Z");
	/* Living the rewound hour again runs nothing. */
	run_until(at("2026-06-02T00:31:00Z"));
	ck_assert_int_eq(scheduler_runs(sch), 1);
	run_until(at("2026-06-03T12:00:00Z"));
	LOG_IS("berlin",
	    "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:00Z 2\n"
	    "Completed 2026-06-03T00:30:00Z 2026-06-03T00:30:00Z 2\n");
	/* A new scheduler on a clock set before the slot: last_handled holds. */
	stop();
	atomic_store(&fake_wall, at("2026-06-03T00:00:00Z"));
	start(SCHEDULER_GRACE_DEFAULT);
	run_until(at("2026-06-03T12:00:00Z"));
	ck_assert_int_eq(scheduler_runs(sch), 0);
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-06-04T00:30:00Z");
	run_until(at("2026-06-04T01:00:00Z"));
	LOG_IS("berlin",
	    "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:00Z 2\n"
	    "Completed 2026-06-03T00:30:00Z 2026-06-03T00:30:00Z 2\n"
	    "Completed 2026-06-04T00:30:00Z 2026-06-04T00:30:00Z 2\n");
}
END_TEST

/*
 * A 3-day outage: the slots of 06-03, 06-04 and 06-05 are missed; at the
 * start on 06-05 12:00 the latest (06-05 00:30, 11.5 h ago) is within the
 * 24 h window and runs once; the older ones are neither run nor logged.
 */
START_TEST(outage_catch_up_once)
{
	new_seg("berlin", "n >= 1", "daily at 02:30 Europe/Berlin");
	start(SCHEDULER_GRACE_DEFAULT);
	run_until(at("2026-06-02T12:00:00Z"));
	stop();
	atomic_store(&fake_wall, at("2026-06-05T12:00:00Z"));
	atomic_fetch_add(&fake_mono, 3 * 86400 * 1000);
	start(SCHEDULER_GRACE_DEFAULT);
	ck_assert_int_eq(scheduler_runs(sch), 1);
	ck_assert_int_eq(scheduler_skips(sch), 0);
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "I segment 'berlin': catching "
	    "up the run missed at 2026-06-05T00:30:00Z\n"));
	run_until(at("2026-06-06T12:00:00Z"));
	LOG_IS("berlin",
	    "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:00Z 4\n"
	    "Completed 2026-06-05T00:30:00Z 2026-06-05T12:00:00Z 4\n"
	    "Completed 2026-06-06T00:30:00Z 2026-06-06T00:30:00Z 4\n");
	/* Restarting at once finds nothing missed. */
	stop();
	start(SCHEDULER_GRACE_DEFAULT);
	ck_assert_int_eq(scheduler_runs(sch) + scheduler_skips(sch), 0);
}
END_TEST

/*
 * Outside the window: the latest missed slot is logged once as Skipped
 * (at the time of the start, members unchanged) and the next slot runs.
 */
START_TEST(outage_skipped)
{
	new_seg("berlin", "n >= 1", "daily at 02:30 Europe/Berlin");
	start(SCHEDULER_GRACE_DEFAULT);
	run_until(at("2026-06-02T12:00:00Z"));
	stop();
	atomic_store(&fake_wall, at("2026-06-05T12:00:00Z"));
	start(6 * 3600);
	ck_assert_int_eq(scheduler_runs(sch), 0);
	ck_assert_int_eq(scheduler_skips(sch), 1);
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "W segment 'berlin': the run "
	    "of 2026-06-05T00:30:00Z was missed and is older than the catch-up "
	    "window; logged as Skipped\n"));
	run_until(at("2026-06-06T12:00:00Z"));
	LOG_IS("berlin",
	    "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:00Z 4\n"
	    "Skipped 2026-06-05T00:30:00Z 2026-06-05T12:00:00Z 4\n"
	    "Completed 2026-06-06T00:30:00Z 2026-06-06T00:30:00Z 4\n");
	/* Grace 0 disables catch-up: a missed slot is always Skipped. */
	stop();
	atomic_store(&fake_wall, at("2026-06-06T01:00:00Z"));
	start(0);
	ck_assert_int_eq(scheduler_runs(sch), 0);
	ck_assert_int_eq(scheduler_skips(sch), 0);	/* 06-06 already ran */
	stop();
	atomic_store(&fake_wall, at("2026-06-07T00:35:00Z"));
	start(0);
	ck_assert_int_eq(scheduler_skips(sch), 1);
}
END_TEST

/* A first slot still ahead (nothing before now) does not run at start. */
START_TEST(first_slot_ahead)
{
	char buf[TU_DATETIME_BUF];

	new_seg("later", "n >= 1", "once on 2026-06-03 at 10:00 UTC");
	start(SCHEDULER_GRACE_DEFAULT);
	ck_assert_int_eq(scheduler_runs(sch), 0);
	LOG_IS("later", "");
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-06-03T10:00:00Z");
	run_until(at("2026-06-03T11:00:00Z"));
	LOG_IS("later", "Completed 2026-06-03T10:00:00Z 2026-06-03T10:00:00Z 4\n");
}
END_TEST

/*
 * A slot due less than a minute before the start runs as on time (no
 * catch-up message) when catch-up is enabled, never beyond the window.
 */
START_TEST(start_slack)
{
	new_seg("berlin", "n >= 1", "daily at 02:30 Europe/Berlin");
	atomic_store(&fake_wall, at("2026-06-02T00:30:40Z"));
	start(SCHEDULER_GRACE_DEFAULT);
	LOG_IS("berlin", "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:40Z 4\n");
	ck_assert_ptr_null(strstr(logbuf.buf, "catching up"));
	stop();
	/* A window shorter than the slack: 40 s late is outside 30 s. */
	atomic_store(&fake_wall, at("2026-06-03T00:30:40Z"));
	start(30);
	ck_assert_int_eq(scheduler_runs(sch), 0);
	ck_assert_int_eq(scheduler_skips(sch), 1);
	stop();
	atomic_store(&fake_wall, at("2026-06-04T00:30:20Z"));
	start(30);
	ck_assert_int_eq(scheduler_runs(sch), 1);
	ck_assert_ptr_null(strstr(logbuf.buf, "catching up"));
	LOG_IS("berlin",
	    "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:40Z 4\n"
	    "Skipped 2026-06-03T00:30:00Z 2026-06-03T00:30:40Z 4\n"
	    "Completed 2026-06-04T00:30:00Z 2026-06-04T00:30:20Z 4\n");
}
END_TEST

/*
 * --catch-up-grace 0: a slot missed by any amount, 8 seconds or a second,
 * is Skipped; a slot at the very second of the start is not missed.
 */
START_TEST(grace_zero_skips_late_slot)
{
	new_seg("berlin", "n >= 1", "daily at 02:30 Europe/Berlin");
	atomic_store(&fake_wall, at("2026-06-02T00:30:08Z"));
	start(0);
	ck_assert_int_eq(scheduler_runs(sch), 0);
	ck_assert_int_eq(scheduler_skips(sch), 1);
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "W segment 'berlin': the run "
	    "of 2026-06-02T00:30:00Z was missed and is older than the catch-up "
	    "window; logged as Skipped\n"));
	stop();
	atomic_store(&fake_wall, at("2026-06-03T00:30:01Z"));
	start(0);
	ck_assert_int_eq(scheduler_skips(sch), 1);
	stop();
	atomic_store(&fake_wall, at("2026-06-04T00:30:00Z"));
	start(0);
	ck_assert_int_eq(scheduler_runs(sch), 1);
	ck_assert_int_eq(scheduler_skips(sch), 0);
	LOG_IS("berlin",
	    "Skipped 2026-06-02T00:30:00Z 2026-06-02T00:30:08Z 0\n"
	    "Skipped 2026-06-03T00:30:00Z 2026-06-03T00:30:01Z 0\n"
	    "Completed 2026-06-04T00:30:00Z 2026-06-04T00:30:00Z 4\n");
}
END_TEST

/*
 * Segments created, edited or stopped by another process while the
 * scheduler runs are picked up without a restart: the scheduler notices
 * the store changed and reads the segments again.
 */
START_TEST(picks_up_changes)
{
	struct segment *s;
	struct store_txn *txn;
	char buf[TU_DATETIME_BUF], *cause = NULL;

	new_seg("far", "n >= 1", "daily at 10:00 UTC");
	start(SCHEDULER_GRACE_DEFAULT);
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-06-02T10:00:00Z");
	advance(60);
	new_seg("soon", "n >= 2", "daily at 12:30 UTC");
	pump();
	advance(1);
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-06-01T12:30:00Z");
	run_until(at("2026-06-01T12:45:00Z"));
	LOG_IS("soon", "Completed 2026-06-01T12:30:00Z 2026-06-01T12:30:00Z 3\n");
	/* An edit moving "far" earlier. */
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_msg(seg_get(txn, "far", &s, &cause) == 0, "%s", cause);
	store_read_end(txn);
	ck_assert_msg(sched_parse("daily at 13:00 UTC", tu_now(), &s->sched,
	    &cause) == 0, "%s", cause);
	ck_assert_msg(seg_update(st, "far", s, &cause) == 0, "%s", cause);
	seg_free(s);
	pump();
	advance(1);
	ck_assert_str_eq(iso(scheduler_next(sch), buf), "2026-06-01T13:00:00Z");
	run_until(at("2026-06-01T13:05:00Z"));
	LOG_IS("far", "Completed 2026-06-01T13:00:00Z 2026-06-01T13:00:00Z 4\n");
	ck_assert_int_eq(scheduler_runs(sch), 2);
}
END_TEST

static struct strbuf fired;

static void
timer_cb(struct loop *loop, void *arg)
{
	sb_printf(&fired, "%s@%lld ", (const char *)arg,
	    (long long)(loop_mono_ms(loop) - 1000000));
}

/* Timers fire in deadline order; the timeout is earliest deadline - now. */
START_TEST(timer_order_and_timeout)
{
	struct loop_timer *a, *b, *c;

	memset(&fired, 0, sizeof fired);
	lp = loop_new();
	/* Only the minute check is armed: 30 s. */
	ck_assert_int_eq(loop_timeout(lp, -1), LOOP_CLOCK_CHECK_MS);
	ck_assert_int_eq(loop_timeout(lp, 500), 500);
	a = loop_timer_new(lp, timer_cb, (void *)"a");
	b = loop_timer_new(lp, timer_cb, (void *)"b");
	c = loop_timer_new(lp, timer_cb, (void *)"c");
	loop_timer_after(a, 300);
	loop_timer_after(b, 100);
	loop_timer_after(c, 200);
	ck_assert_int_eq(loop_timeout(lp, -1), 100);
	atomic_fetch_add(&fake_mono, 40);
	ck_assert_int_eq(loop_timeout(lp, -1), 60);
	atomic_fetch_add(&fake_mono, 210);		/* b and c overdue */
	ck_assert_int_eq(loop_timeout(lp, -1), 0);
	ck_assert_int_eq(loop_run_once(lp, -1), 0);
	ck_assert_str_eq(fired.buf, "b@250 c@250 ");
	ck_assert_int_eq(loop_timeout(lp, -1), 50);
	/* Re-arming moves a timer; a cancelled one never fires. */
	loop_timer_after(a, 1000);
	loop_timer_after(b, 20);
	loop_timer_after(c, 10);
	loop_timer_cancel(c);
	ck_assert_int_eq(loop_timeout(lp, -1), 20);
	atomic_fetch_add(&fake_mono, 5000);
	ck_assert_int_eq(loop_run_once(lp, 0), 0);
	ck_assert_str_eq(fired.buf, "b@250 c@250 b@5250 a@5250 ");
	ck_assert_int_eq(loop_timeout(lp, -1), LOOP_CLOCK_CHECK_MS - 5250);
	/* A wall-clock deadline 10 s of wall time from now. */
	loop_timer_free(b);
	loop_timer_free(c);
	loop_timer_at_wall(a, atomic_load(&fake_wall) + 10);
	ck_assert_int_eq(loop_timeout(lp, -1), 10000);
	atomic_fetch_add(&fake_mono, 10000);
	atomic_fetch_add(&fake_wall, 10);
	ck_assert_int_eq(loop_run_once(lp, 0), 0);
	ck_assert_str_eq(fired.buf, "b@250 c@250 b@5250 a@5250 a@15250 ");
	/* Only the minute check is left: due at 30 s after the last pass. */
	ck_assert_int_eq(loop_timeout(lp, -1), LOOP_CLOCK_CHECK_MS - 15250);
	loop_free(lp);
	lp = NULL;
	free(fired.buf);
}
END_TEST

/* With a scheduler: the timeout reaches to the next run when it is near. */
START_TEST(scheduler_timeout)
{
	atomic_store(&fake_wall, at("2026-06-02T00:29:00Z"));
	new_seg("berlin", "n >= 1", "daily at 02:30 Europe/Berlin");
	start(SCHEDULER_GRACE_DEFAULT);
	/* The minute check (30 s) comes before the run (60 s). */
	ck_assert_int_eq(loop_timeout(lp, -1), LOOP_CLOCK_CHECK_MS);
	advance(45);
	ck_assert_int_eq(loop_timeout(lp, -1), 15000);
	advance(15);
	LOG_IS("berlin", "Completed 2026-06-02T00:30:00Z 2026-06-02T00:30:00Z 4\n");
	/* Next run in a day: the minute check (re-armed at 45 s) is first. */
	ck_assert_int_eq(loop_timeout(lp, -1), 15000);
}
END_TEST

/* One scheduler per store: a second lock_acquire names the holder. */
START_TEST(one_scheduler_per_store)
{
	struct lock_holder h;
	struct lock *lk = NULL, *lk2 = NULL;
	char *cause = NULL, *msg, want[512], when[TU_DATETIME_BUF];
	int p1[2], p2[2], status;
	pid_t pid;
	char b = 0;

	ck_assert_int_eq(pipe(p1), 0);
	ck_assert_int_eq(pipe(p2), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (lock_acquire(tdir, &lk, NULL, &cause) != 0)
			_exit(2);
		if (write(p1[1], &b, 1) != 1 || read(p2[0], &b, 1) != 1)
			_exit(3);
		lock_release(lk);
		_exit(0);
	}
	ck_assert_int_eq(read(p1[0], &b, 1), 1);
	ck_assert_int_eq(lock_acquire(tdir, &lk2, &h, &cause), 1);
	ck_assert_ptr_null(cause);
	ck_assert_int_eq(h.pid, pid);
	ck_assert_int_eq(h.since, at("2026-06-01T12:00:00Z"));
	ck_assert_int_eq(lock_query(tdir, &h, &cause), 0);
	ck_assert_int_eq(h.pid, pid);
	msg = lock_describe("/s", &h);
	snprintf(want, sizeof want, "the scheduler of store /s is already held "
	    "by process %ld (%s) since %s", (long)pid, h.login,
	    tu_format_datetime(h.since, when));
	ck_assert_str_eq(msg, want);
	free(msg);
	ck_assert_int_eq(write(p2[1], &b, 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Released: the next one takes it, and a query sees no holder. */
	ck_assert_int_eq(lock_acquire(tdir, &lk2, &h, &cause), 0);
	ck_assert_int_eq(lock_query(tdir, &h, &cause), 0);
	ck_assert_int_eq(h.pid, getpid());
	lock_release(lk2);
	ck_assert_int_eq(lock_query(tdir, &h, &cause), 1);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}
END_TEST

/*
 * A query's shared probe (reseg status at that instant) is no holder: a
 * scheduler starting meanwhile waits for it instead of refusing with
 * "held by process 0".
 */
START_TEST(query_probe_is_no_holder)
{
	struct lock_holder h;
	struct lock *lk = NULL;
	char *cause = NULL, *path;
	int p1[2], status, fd;
	pid_t pid;
	char b = 0;

	path = xasprintf("%s/%s", tdir, LOCK_FILE);
	ck_assert_int_eq(pipe(p1), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		struct timespec ts = { 0, 150 * 1000000L };

		fd = open(path, O_RDWR | O_CREAT, 0600);
		if (fd == -1 || flock(fd, LOCK_SH) != 0)
			_exit(2);
		if (write(p1[1], &b, 1) != 1)
			_exit(3);
		nanosleep(&ts, NULL);
		_exit(0);
	}
	ck_assert_int_eq(read(p1[0], &b, 1), 1);
	memset(&h, 0, sizeof h);
	ck_assert_int_eq(lock_acquire(tdir, &lk, &h, &cause), 0);
	ck_assert_int_eq(h.pid, 0);
	ck_assert_int_eq(lock_query(tdir, &h, &cause), 0);
	ck_assert_int_eq(h.pid, getpid());
	lock_release(lk);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p1[0]);
	close(p1[1]);
	free(path);
}
END_TEST

/*
 * "in segment": a segment used by another due at the same slot runs
 * first; a run that cannot read the segment it uses (never calculated,
 * deleted) is logged as Error with its run id and the reason, in the run
 * log and in the scheduler's log line.
 */
START_TEST(uses_segment_runs)
{
	const char *p_b, *p_same;
	char *cause = NULL;

	new_seg("b", "n >= 2", "daily at 03:00 UTC");
	new_seg("a_same", "in segment \"b\" and n < 4", "daily at 03:00 UTC");
	new_seg("a_early", "in segment \"b\" and n < 4",
	    "daily at 02:00 UTC");
	start(SCHEDULER_GRACE_DEFAULT);
	run_until(at("2026-06-02T12:00:00Z"));
	LOG_IS("b", "Completed 2026-06-02T03:00:00Z 2026-06-02T03:00:00Z 3\n");
	LOG_IS("a_same",
	    "Completed 2026-06-02T03:00:00Z 2026-06-02T03:00:00Z 2\n");
	LOG_IS("a_early", "Error 2026-06-02T02:00:00Z 2026-06-02T02:00:00Z 0\n");
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "E segment 'a_early': "
	    "automatic run 1 (slot 2026-06-02T02:00:00Z) failed: its "
	    "condition uses segment 'b', which has not been calculated yet; "
	    "recalculate 'b' first\n"));
	p_b = strstr(logbuf.buf, "I segment 'b': automatic run 1 (slot "
	    "2026-06-02T03:00:00Z) completed");
	p_same = strstr(logbuf.buf, "I segment 'a_same': automatic run 1 "
	    "(slot 2026-06-02T03:00:00Z) completed: 2 added, 0 removed, 2 in "
	    "total\n");
	ck_assert_ptr_nonnull(p_b);
	ck_assert_ptr_nonnull(p_same);
	ck_assert(p_b < p_same);
	ck_assert_msg(drop_segment(st, "b", 1, &cause) == 0, "%s", cause);
	run_until(at("2026-06-03T12:00:00Z"));
	LOG_IS("a_same",
	    "Completed 2026-06-02T03:00:00Z 2026-06-02T03:00:00Z 2\n"
	    "Error 2026-06-03T03:00:00Z 2026-06-03T03:00:00Z 2\n");
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "E segment 'a_same': "
	    "automatic run 2 (slot 2026-06-03T03:00:00Z) failed: its "
	    "condition uses segment 'b', which no longer exists\n"));
	ck_assert_ptr_nonnull(strstr(logbuf.buf, "E segment 'a_early': "
	    "automatic run 2 (slot 2026-06-03T02:00:00Z) failed: its "
	    "condition uses segment 'b', which no longer exists\n"));
}
END_TEST

/*
 * Segments due at the same slot run as one batch (seg_recalc_batch):
 * each still has its own run record, log line and error, reported in
 * the order of the queue (by name at one depth).
 */
START_TEST(due_together)
{
	const char *p1, *p2, *p3;
	char *cause = NULL;

	new_seg("base", "n < 1", "daily at 01:00 UTC");
	new_seg("t3", "in segment \"base\" and n < 4", "daily at 03:00 UTC");
	new_seg("t1", "n < 3", "daily at 03:00 UTC");
	new_seg("t2", "n >= 3", "daily at 03:00 UTC");
	start(SCHEDULER_GRACE_DEFAULT);
	ck_assert_msg(drop_segment(st, "base", 1, &cause) == 0, "%s", cause);
	run_until(at("2026-06-02T12:00:00Z"));
	LOG_IS("t1", "Completed 2026-06-02T03:00:00Z 2026-06-02T03:00:00Z 3\n");
	LOG_IS("t2", "Completed 2026-06-02T03:00:00Z 2026-06-02T03:00:00Z 2\n");
	LOG_IS("t3", "Error 2026-06-02T03:00:00Z 2026-06-02T03:00:00Z 0\n");
	p1 = strstr(logbuf.buf, "I segment 't1': automatic run 1 (slot "
	    "2026-06-02T03:00:00Z) completed: 3 added, 0 removed, 3 in "
	    "total\n");
	p2 = strstr(logbuf.buf, "I segment 't2': automatic run 1 (slot "
	    "2026-06-02T03:00:00Z) completed: 2 added, 0 removed, 2 in "
	    "total\n");
	p3 = strstr(logbuf.buf, "E segment 't3': automatic run 1 (slot "
	    "2026-06-02T03:00:00Z) failed: its condition uses segment "
	    "'base', which no longer exists\n");
	ck_assert_ptr_nonnull(p1);
	ck_assert_ptr_nonnull(p2);
	ck_assert_ptr_nonnull(p3);
	ck_assert(p1 < p2 && p2 < p3);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("loop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, daily_sixty_days_dst);
	tcase_add_test(tc, clock_stepped_back);
	tcase_add_test(tc, outage_catch_up_once);
	tcase_add_test(tc, outage_skipped);
	tcase_add_test(tc, first_slot_ahead);
	tcase_add_test(tc, start_slack);
	tcase_add_test(tc, grace_zero_skips_late_slot);
	tcase_add_test(tc, picks_up_changes);
	tcase_add_test(tc, timer_order_and_timeout);
	tcase_add_test(tc, scheduler_timeout);
	tcase_add_test(tc, one_scheduler_per_store);
	tcase_add_test(tc, query_probe_is_no_holder);
	tcase_add_test(tc, uses_segment_runs);
	tcase_add_test(tc, due_together);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
