/*
 * bench_scheduler: SEGMENTS scheduled segments on one store, all due in
 * the same minute, over a PROFILES-profile demo database.  Reports the
 * time until every one has run (from the slot to the last report on the
 * loop's thread) and the loop's responsiveness meanwhile: a periodic
 * 10 ms timer's lateness (max, mean, 99th percentile), against the same
 * timer on the idle loop just before the slot.
 *
 *	bench/bench_scheduler [SEGMENTS [PROFILES [THREADS]]]
 *
 * The wall clock is the real one shifted so the slot comes a second after
 * the segments are made (no waiting for a minute boundary); the
 * monotonic clock, timers and poll() are real.
 */
#include "config.h"

#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo.h"
#include "loop.h"
#include "scheduler.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

#define TICK_MS		10
#define MAX_TICKS	(1 << 20)

static _Atomic int64_t wall_shift;
static unsigned nerrors, ncompleted;

static void
bench_log(void *arg, enum sched_log level, const char *msg)
{
	(void)arg;
	if (level == SCHED_LOG_ERROR && nerrors++ == 0)
		fprintf(stderr, "bench_scheduler: %s\n", msg);
	else if (strstr(msg, " completed: ") != NULL)
		ncompleted++;
}

static int64_t
bench_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
bench_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
bench_wall(void)
{
	return (int64_t)time(NULL) + atomic_load(&wall_shift);
}

static int64_t
bench_clock_mono(void *arg)
{
	(void)arg;
	return bench_mono_ms();
}

static int64_t
bench_clock_wall(void *arg)
{
	(void)arg;
	return bench_wall();
}

static int
bench_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

struct ticker {
	struct loop_timer *t;
	int64_t		 deadline_us;
	int		 on;		/* recording */
	int64_t		*late;		/* lateness per tick, us */
	size_t		 n;
};

static void
bench_tick(struct loop *loop, void *arg)
{
	struct ticker *tk = arg;
	int64_t now = bench_mono_us();

	if (tk->on && tk->n < MAX_TICKS)
		tk->late[tk->n++] = now - tk->deadline_us;
	tk->deadline_us = now + TICK_MS * 1000;
	/* The loop's timers are in ms: round up so it never fires early. */
	loop_timer_at(tk->t, (tk->deadline_us + 999) / 1000);
	tk->deadline_us = ((tk->deadline_us + 999) / 1000) * 1000;
}

static uint64_t
bench_members(struct store *st)
{
	struct store_txn *txn;
	struct segment **segs;
	char *cause = NULL;
	uint64_t sum = 0;
	size_t n, i;

	if (store_read_begin(st, &txn, &cause) != 0)
		return 0;
	if (seg_list(txn, &segs, &n, &cause) == 0) {
		for (i = 0; i < n; i++)
			sum += segs[i]->nmembers;
		seg_list_free(segs, n);
	}
	free(cause);
	store_read_end(txn);
	return sum;
}

static int
bench_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
bench_report(const char *what, struct ticker *tk)
{
	int64_t max = 0, sum = 0;
	size_t i;

	if (tk->n == 0) {
		printf("%s: no ticks\n", what);
		return;
	}
	for (i = 0; i < tk->n; i++) {
		sum += tk->late[i];
		if (tk->late[i] > max)
			max = tk->late[i];
	}
	qsort(tk->late, tk->n, sizeof *tk->late, bench_cmp);
	printf("%s: %zu ticks of %d ms, lateness mean %.2f ms, p99 %.2f ms, "
	    "max %.2f ms\n", what, tk->n, TICK_MS, (double)sum / tk->n / 1000,
	    tk->late[tk->n * 99 / 100] / 1000.0, max / 1000.0);
}

int
main(int argc, char **argv)
{
	unsigned nseg = argc > 1 ? (unsigned)atoi(argv[1]) : 1000;
	unsigned nprof = argc > 2 ? (unsigned)atoi(argv[2]) : 100000;
	int nthreads = argc > 3 ? atoi(argv[3]) : 0;
	struct tu_clock clk = { bench_clock_mono, bench_clock_wall, NULL };
	struct scheduler_opts o;
	struct scheduler *sch;
	struct segment *s;
	struct store *st;
	struct loop *loop;
	struct ticker tk;
	char tmpl[] = "/tmp/bench_scheduler.XXXXXX", *dir, *cause = NULL;
	char text[128], where[128];
	int64_t slot, t0, t1, t_slot = 0, t_end;
	unsigned i;

	if (nseg == 0 || nprof == 0) {
		fprintf(stderr, "usage: bench_scheduler [SEGMENTS [PROFILES "
		    "[THREADS]]]\n");
		return 2;
	}
	if ((dir = mkdtemp(tmpl)) == NULL || store_open(dir, &st, &cause) != 0) {
		fprintf(stderr, "bench_scheduler: %s\n", cause ? cause : dir);
		return 1;
	}
	tu_set_clock(&clk);
	t0 = bench_mono_ms();
	if (demo_create(st, nprof, &cause) != 0) {
		fprintf(stderr, "bench_scheduler: %s\n", cause);
		return 1;
	}
	t1 = bench_mono_ms();
	printf("demo database: %u profiles in %.2f s\n", nprof,
	    (t1 - t0) / 1000.0);

	/* Every segment at the same minute, two minutes ahead. */
	slot = (bench_wall() / 60 + 2) * 60;
	snprintf(text, sizeof text, "daily at %02d:%02d UTC",
	    (int)(slot % 86400 / 3600), (int)(slot % 3600 / 60));
	for (i = 0; i < nseg; i++) {
		s = xmalloc(sizeof *s);
		seg_init(s);
		s->name = xasprintf("s%04u", i);
		s->db = xstrdup(DEMO_DB);
		switch (i % 4) {
		case 0:
			snprintf(where, sizeof where, "orders_count >= %u",
			    i % 20);
			break;
		case 1:
			snprintf(where, sizeof where, "total_spent > %u",
			    (i * 37) % 2000);
			break;
		case 2:
			snprintf(where, sizeof where, "orders_count >= %u and "
			    "subscribed_email = true", i % 10);
			break;
		default:
			snprintf(where, sizeof where, "orders_count < %u or "
			    "total_spent >= %u", i % 7, (i * 13) % 3000);
			break;
		}
		if ((s->cond = cond_parse(where, &cause)) == NULL ||
		    sched_parse(text, tu_now(), &s->sched, &cause) != 0) {
			fprintf(stderr, "bench_scheduler: %s: %s\n", where, cause);
			return 1;
		}
		s->has_sched = 1;
		if (seg_create(st, s, NULL, &cause) != 0) {
			fprintf(stderr, "bench_scheduler: %s\n", cause);
			return 1;
		}
		seg_free(s);
	}
	t0 = bench_mono_ms();
	printf("%u segments '%s' created in %.2f s\n", nseg, text,
	    (t0 - t1) / 1000.0);

	/* The wall clock now reads one second before the slot. */
	atomic_store(&wall_shift, slot - 1 - (int64_t)time(NULL));
	memset(&o, 0, sizeof o);
	o.grace = SCHEDULER_GRACE_DEFAULT;
	o.nthreads = nthreads;
	o.log = bench_log;
	loop = loop_new();
	if (scheduler_new(st, loop, &o, &sch, &cause) != 0) {
		fprintf(stderr, "bench_scheduler: %s\n", cause);
		return 1;
	}
	memset(&tk, 0, sizeof tk);
	tk.late = xcalloc(MAX_TICKS, sizeof *tk.late);
	tk.t = loop_timer_new(loop, bench_tick, &tk);
	tk.on = 1;
	bench_tick(loop, &tk);
	tk.n = 0;
	/* Idle until the slot: the baseline. */
	while (scheduler_runs(sch) == 0 && scheduler_busy(sch) == 0) {
		loop_run_once(loop, -1);
		if (t_slot == 0 && bench_wall() >= slot)
			t_slot = bench_mono_us();
	}
	bench_report("idle loop before the slot", &tk);
	tk.n = 0;
	while (scheduler_runs(sch) < nseg)
		loop_run_once(loop, -1);
	t_end = bench_mono_us();
	printf("%u runs over %u profiles: all done %.2f s after the slot "
	    "(%.2f ms per run, %s threads)\n", nseg, nprof,
	    (t_end - t_slot) / 1e6, (t_end - t_slot) / 1e3 / nseg,
	    nthreads == 0 ? "all" : argv[3]);
	bench_report("loop while the worker runs", &tk);
	printf("completed %u, failed %u, members in all: %llu\n", ncompleted,
	    nerrors, (unsigned long long)bench_members(st));
	scheduler_free(sch, 1);
	loop_timer_free(tk.t);
	loop_free(loop);
	store_close(st);
	free(tk.late);
	nftw(dir, bench_rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
