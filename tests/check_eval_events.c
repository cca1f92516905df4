/*
 * Event tests evaluated: exact member sets for every
 * construct over a small hand-made store, window edges at now - N days
 * and one second before, local dates of a non-UTC timezone across the
 * DST change, profiles without events, aggregates of none, where filters,
 * combinations with field predicates, not, or and in segment, several
 * tests in one pass, what the pass read (eval_stats), explanations, and
 * a generated store checked against a plain C reading of the semantics
 * with one and two threads.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "eval.h"
#include "evdb.h"
#include "pdb.h"
#include "segment.h"
#include "store.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

/* 2026-11-28T12:00:00Z */
#define NOW	INT64_C(1795867200)
#define D	INT64_C(86400)
#define NPROF	10
#define NOLD	12288		/* old logins: three full chunks */

static char *dir;
static struct store *st;
static roaring_bitmap_t *seg_s;
static const char *dbname = "t";	/* the database run() evaluates */

/* 2026-03-28T22:59:59Z .. : around the start of summer time in Berlin. */
static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	return (int64_t)tu_days_from_civil(y, mo, d) * D + h * 3600 + mi * 60 +
	    s;
}

struct ev {
	uint32_t	 pno;
	int64_t		 time;
	const char	*name;
	int		 has_amount;
	double		 amount;
	int		 has_qty;
	int64_t		 qty;
	const char	*sku;
	const char	*mailing;
};

static struct ev *evs;
static size_t nevs, evcap;

static void
add(uint32_t pno, int64_t t, const char *name, int has_amount, double amount,
    int has_qty, int64_t qty, const char *sku, const char *mailing)
{
	struct ev *e;

	/* Doubling: growing by one was quadratic under ASan's quarantine. */
	if (nevs == evcap) {
		evcap = evcap > 0 ? evcap * 2 : 1024;
		evs = xreallocarray(evs, evcap, sizeof *evs);
	}
	e = &evs[nevs++];
	e->pno = pno;
	e->time = t;
	e->name = name;
	e->has_amount = has_amount;
	e->amount = amount;
	e->has_qty = has_qty;
	e->qty = qty;
	e->sku = sku;
	e->mailing = mailing;
}

struct append_arg {
	const struct pdb_schema	*sc;
	struct evdb_event	*e;
	size_t			 n;
};

static int
append_cb(struct store_txn *t, void *arg, char **cause)
{
	struct append_arg *a = arg;
	struct evdb_append_stats stats;

	return evdb_append(t, a->sc, a->e, a->n, &stats, cause);
}

static int
profiles_cb(struct store_txn *t, void *arg, char **cause)
{
	struct pdb_upsert_stats us;

	return pdb_batch_apply(t, "t", arg, &us, cause);
}

static int
profiles_e_cb(struct store_txn *t, void *arg, char **cause)
{
	struct pdb_upsert_stats us;

	return pdb_batch_apply(t, "e", arg, &us, cause);
}

static struct pdb_schema *
open_db(void)
{
	return testlib_open_db(st, dbname);
}

/* The store: nprof profiles (n = number % 3) and the events in evs. */
static void
make_store(uint32_t nprof)
{
	struct field *f, *ef;
	size_t nf, nef, i;
	struct pdb_schema *sc;
	struct pdb_batch *b;
	struct value row[2], *props;
	struct evdb_event *e;
	struct append_arg a;
	char key[32], *cause = NULL;
	uint32_t p;

	dir = testlib_tempdir();
	ck_assert_int_eq(store_open(dir, &st, &cause), 0);
	ck_assert_int_eq(schema_parse_fields("key:string,n:int", &f, &nf,
	    &cause), 0);
	ck_assert_int_eq(schema_parse_fields("amount:float,qty:int,"
	    "sku:string,mailing:string", &ef, &nef, &cause), 0);
	if (pdb_create_events(st, "t", f, nf, "key", ef, nef, &cause) != 0)
		ck_abort_msg("pdb_create_events: %s", cause);
	fields_free(f, nf);
	fields_free(ef, nef);
	sc = open_db();
	b = pdb_batch_new(sc);
	for (p = 0; p < nprof; p++) {
		snprintf(key, sizeof key, "k%u", p);
		memset(row, 0, sizeof row);
		row[0].present = 1;
		row[0].u.s.p = key;
		row[0].u.s.len = (uint32_t)strlen(key);
		row[1].present = 1;
		row[1].u.i = p % 3;
		pdb_batch_add(b, row);
	}
	if (store_write(st, profiles_cb, b, &cause) != 0)
		ck_abort_msg("profiles: %s", cause);
	pdb_batch_free(b);
	schema_free(sc);
	sc = open_db();

	e = xcalloc(nevs > 0 ? nevs : 1, sizeof *e);
	props = xcalloc(nevs > 0 ? nevs * 4 : 1, sizeof *props);
	for (i = 0; i < nevs; i++) {
		e[i].pno = evs[i].pno;
		e[i].time = evs[i].time;
		e[i].name = evs[i].name;
		e[i].namelen = strlen(evs[i].name);
		e[i].props = &props[i * 4];
		props[i * 4].present = (uint8_t)evs[i].has_amount;
		props[i * 4].u.f = evs[i].amount;
		props[i * 4 + 1].present = (uint8_t)evs[i].has_qty;
		props[i * 4 + 1].u.i = evs[i].qty;
		if (evs[i].sku != NULL) {
			props[i * 4 + 2].present = 1;
			props[i * 4 + 2].u.s.p = evs[i].sku;
			props[i * 4 + 2].u.s.len = (uint32_t)strlen(evs[i].sku);
		}
		if (evs[i].mailing != NULL) {
			props[i * 4 + 3].present = 1;
			props[i * 4 + 3].u.s.p = evs[i].mailing;
			props[i * 4 + 3].u.s.len =
			    (uint32_t)strlen(evs[i].mailing);
		}
	}
	a.sc = sc;
	a.e = e;
	a.n = nevs;
	if (store_write(st, append_cb, &a, &cause) != 0)
		ck_abort_msg("evdb_append: %s", cause);
	free(e);
	free(props);
	schema_free(sc);
}

/*
 * The hand-made store (NOW = 2026-11-28T12:00:00Z, n = number % 3):
 *   0: purchases 1, 2, 3 days ago (amount 10, 20, 30.5; qty 1, 2, 3;
 *      TV-1, TV-2, PH-1); email_open 100 days ago
 *   1: purchase exactly 30 days ago (100, qty 1, TV-9); email_open 10
 *      days ago
 *   2: purchase 30 days and 1 second ago (5, qty 1, PH-2); email_open
 *      exactly 90 days ago
 *   3: no events at all
 *   4: purchases at 2026-03-28T22:59:59Z (amount 1) and 23:00:00Z (2):
 *      Berlin local 03-28 23:59:59 and 03-29 00:00:00
 *   5: purchases at 2026-03-29T21:59:59Z (3) and 22:00:00Z (4): Berlin
 *      local 03-29 23:59:59 and 03-30 00:00:00
 *   6: a login 2 hours ago
 *   7: a purchase 5 days ago without amount nor qty (TV-3)
 *   8: email_open "Black Friday" 7 days ago, email_click "Other"
 *   9: email_open "Black Friday" 7 days ago, email_click "Black Friday"
 * and NOLD logins 400 days ago (one a minute) over every profile but 3
 * in turn: 0, 1 and 2 get 1366, the others 1365 (6: 1366 with its
 * recent one).
 */
static void
setup(void)
{
	static const uint32_t who[] = { 0, 1, 2, 4, 5, 6, 7, 8, 9 };
	size_t i;

	nevs = 0;
	for (i = 0; i < NOLD; i++)
		add(who[i % 9], NOW - 400 * D + (int64_t)i * 60, "login", 0, 0,
		    0, 0, NULL, NULL);
	add(0, NOW - 1 * D, "purchase", 1, 10, 1, 1, "TV-1", NULL);
	add(0, NOW - 2 * D, "purchase", 1, 20, 1, 2, "TV-2", NULL);
	add(0, NOW - 3 * D, "purchase", 1, 30.5, 1, 3, "PH-1", NULL);
	add(0, NOW - 100 * D, "email_open", 0, 0, 0, 0, NULL, "Weekly");
	add(1, NOW - 30 * D, "purchase", 1, 100, 1, 1, "TV-9", NULL);
	add(1, NOW - 10 * D, "email_open", 0, 0, 0, 0, NULL, "Weekly");
	add(2, NOW - 30 * D - 1, "purchase", 1, 5, 1, 1, "PH-2", NULL);
	add(2, NOW - 90 * D, "email_open", 0, 0, 0, 0, NULL, "Weekly");
	add(4, utc(2026, 3, 28, 22, 59, 59), "purchase", 1, 1, 0, 0, NULL,
	    NULL);
	add(4, utc(2026, 3, 28, 23, 0, 0), "purchase", 1, 2, 0, 0, NULL, NULL);
	add(5, utc(2026, 3, 29, 21, 59, 59), "purchase", 1, 3, 0, 0, NULL,
	    NULL);
	add(5, utc(2026, 3, 29, 22, 0, 0), "purchase", 1, 4, 0, 0, NULL, NULL);
	add(6, NOW - 2 * 3600, "login", 0, 0, 0, 0, NULL, NULL);
	add(7, NOW - 5 * D, "purchase", 0, 0, 0, 0, "TV-3", NULL);
	add(8, NOW - 7 * D, "email_open", 0, 0, 0, 0, NULL, "Black Friday");
	add(8, NOW - 7 * D + 60, "email_click", 0, 0, 0, 0, NULL, "Other");
	add(9, NOW - 7 * D, "email_open", 0, 0, 0, 0, NULL, "Black Friday");
	add(9, NOW - 7 * D + 120, "email_click", 0, 0, 0, 0, NULL,
	    "Black Friday");
	make_store(NPROF);
	seg_s = roaring_bitmap_of(3, 0, 3, 9);
}

static void
teardown(void)
{
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
	free(evs);
	evs = NULL;
	evcap = 0;
	nevs = 0;
	roaring_bitmap_free(seg_s);
}

static const roaring_bitmap_t *
segment_of(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "S") == 0 ? seg_s : NULL;
}

/* Compiles and runs; *cause set (and NULL returned) on a compile error. */
static char *
run(const char *script, const char *tz, int nthreads, struct eval_stats *stp,
    char **cause)
{
	struct store_txn *txn;
	struct pdb_schema *sc;
	struct eval_query q;
	struct eval_env env;
	struct eval_prog *prog;
	roaring_bitmap_t *out;
	roaring_uint32_iterator_t it;
	struct strbuf sb = STRBUF_INIT;
	char *c2 = NULL;

	memset(&q, 0, sizeof q);
	q.cond = cond_parse(script, &c2);
	ck_assert_msg(q.cond != NULL, "%s: %s", script, c2);
	q.range_hi = 10000;
	q.limit = -1;
	memset(&env, 0, sizeof env);
	env.now = NOW;
	env.tz = tz;
	env.segment_members = segment_of;
	ck_assert_int_eq(store_read_begin(st, &txn, &c2), 0);
	ck_assert_int_eq(pdb_open(txn, dbname, &sc, &c2), 0);
	if (eval_compile(sc, &q, &env, &prog, cause) != 0) {
		store_read_end(txn);
		schema_free(sc);
		cond_free((struct cond *)q.cond);
		return NULL;
	}
	out = roaring_bitmap_create();
	ck_assert_msg(eval_run(prog, txn, nthreads, NULL, out, &c2) == 0,
	    "%s: %s", script, c2);
	if (stp != NULL)
		eval_stats(prog, stp);
	eval_free(prog);
	store_read_end(txn);
	schema_free(sc);
	cond_free((struct cond *)q.cond);
	roaring_init_iterator(out, &it);
	while (it.has_value) {
		sb_printf(&sb, "%s%u", sb.len > 0 ? "," : "",
		    it.current_value);
		roaring_advance_uint32_iterator(&it);
	}
	roaring_bitmap_free(out);
	return sb.buf != NULL ? sb_detach(&sb) : xstrdup("");
}

static void
expect_tz(const char *script, const char *tz, const char *members)
{
	char *cause = NULL, *got;

	got = run(script, tz, 0, NULL, &cause);
	ck_assert_msg(got != NULL, "%s: %s", script, cause);
	ck_assert_msg(strcmp(got, members) == 0, "%s [%s]: got {%s}, "
	    "expected {%s}", script, tz != NULL ? tz : "UTC", got, members);
	free(got);
}

static void
expect(const char *script, const char *members)
{
	expect_tz(script, NULL, members);
}

START_TEST(did_and_counts)
{
	expect("did \"purchase\"", "0,1,2,4,5,7");
	expect("did \"nothing\"", "");
	expect("not did \"nothing\"", "0,1,2,3,4,5,6,7,8,9");
	expect("did \"purchase\" within last 30 days", "0,1,7");
	expect("did \"purchase\" within last 720 hours", "0,1,7");
	expect("not did \"purchase\" within last 30 days", "2,3,4,5,6,8,9");
	expect("did \"email_open\" within last 90 days", "1,2,8,9");
	expect("did \"email_open\" within last 2160 hours", "1,2,8,9");
	expect("did \"email_open\" within last 89 days", "1,8,9");
	expect("did \"purchase\" at least 3 times within last 30 days", "0");
	expect("did \"purchase\" at least 3 times within last 30 days and "
	    "not did \"email_open\" within last 90 days", "0");
	expect("did \"purchase\" at most 1 times within last 30 days",
	    "1,2,3,4,5,6,7,8,9");
	expect("did \"purchase\" exactly 0 times", "3,6,8,9");
	expect("did \"purchase\" between 2 and 3 times", "0,4,5");
	expect("count of \"purchase\" < 2", "1,2,3,6,7,8,9");
	expect("count of \"purchase\" != 2", "0,1,2,3,6,7,8,9");
	expect("count of \"purchase\" >= 1 within last 30 days", "0,1,7");
	/* Over 255: four-byte counters; below: saturating bytes. */
	expect("did \"login\" at least 1366 times", "0,1,2,6");
	expect("did \"login\" exactly 1365 times", "4,5,7,8,9");
	expect("did \"login\" at least 3 times", "0,1,2,4,5,6,7,8,9");
	expect("did \"login\" at most 254 times", "3");
	expect("count of \"login\" > 254", "0,1,2,4,5,6,7,8,9");
	expect("did \"login\" within last 1 days", "6");
	expect("did \"login\" within last 1 hours", "");
	expect("did \"login\" within last 2 hours", "6");
}
END_TEST

START_TEST(first_and_last)
{
	expect("last \"login\" more than 14 days ago", "0,1,2,4,5,7,8,9");
	expect("not last \"login\" more than 14 days ago", "3,6");
	expect("last \"login\" within last 1 days", "6");
	expect("last \"login\" within last 3 hours", "6");
	expect("last \"login\" within last 1 hours", "");
	expect("last \"login\" more than 1 hours ago", "0,1,2,4,5,6,7,8,9");
	expect("last \"login\" more than 2 hours ago", "0,1,2,4,5,7,8,9");
	expect("first \"purchase\" within last 30 days", "0,1,7");
	expect("first \"purchase\" within last 3 days", "0");
	expect("last \"purchase\" more than 30 days ago", "2,4,5");
	expect("first \"login\" more than 399 days ago", "0,1,2,4,5,6,7,8,9");
	expect("first \"purchase\" more than 0 days ago", "0,1,2,4,5,7");
}
END_TEST

START_TEST(dates_across_dst)
{
	/* Berlin: 03-29 runs from 03-28T23:00:00Z to 03-29T21:59:59Z. */
	expect_tz("did \"purchase\" between 2026-03-29 and 2026-03-29",
	    "Europe/Berlin", "4,5");
	expect_tz("did \"purchase\" between 2026-03-29 and 2026-03-29", NULL,
	    "5");
	expect_tz("did \"purchase\" at least 2 times between 2026-03-29 and "
	    "2026-03-29", NULL, "5");
	expect_tz("did \"purchase\" at least 2 times between 2026-03-29 and "
	    "2026-03-29", "Europe/Berlin", "");
	expect_tz("did \"purchase\" exactly 1 times between 2026-03-29 and "
	    "2026-03-29", "Europe/Berlin", "4,5");
	expect_tz("did \"purchase\" since 2026-03-29", "Europe/Berlin",
	    "0,1,2,4,5,7");
	expect_tz("did \"purchase\" since 2026-03-29", NULL, "0,1,2,5,7");
	expect_tz("did \"purchase\" before 2026-03-29", "Europe/Berlin", "4");
	expect_tz("did \"purchase\" exactly 2 times before 2026-03-29", NULL,
	    "4");
	expect_tz("did \"purchase\" before 2026-03-30", "Europe/Berlin",
	    "4,5");
	expect_tz("count of \"purchase\" = 2 before 2026-03-30",
	    "Europe/Berlin", "4");
	expect_tz("last \"purchase\" on 2026-03-29", "Europe/Berlin", "4");
	expect_tz("last \"purchase\" on 2026-03-29", NULL, "5");
	expect_tz("first \"purchase\" on 2026-03-29", "Europe/Berlin", "5");
	expect_tz("first \"purchase\" on 2026-03-28", NULL, "4");
	expect_tz("first \"purchase\" before 2026-03-29", "Europe/Berlin",
	    "4");
	expect_tz("last \"purchase\" after 2026-03-29", "Europe/Berlin",
	    "0,1,2,5,7");
	expect_tz("last \"purchase\" after 2026-03-29", NULL, "0,1,2,7");
	expect_tz("first \"purchase\" between 2026-03-28 and 2026-03-29",
	    "Europe/Berlin", "4,5");
	expect_tz("last \"purchase\" between 2026-03-28 and 2026-03-29",
	    "Europe/Berlin", "4");
	expect_tz("did \"purchase\" where (time on 2026-03-29)",
	    "Europe/Berlin", "4,5");
	expect_tz("did \"purchase\" where (time on 2026-03-29)", NULL, "5");
}
END_TEST

START_TEST(aggregates)
{
	expect("sum(amount) of \"purchase\" >= 60", "0,1");
	expect("sum(amount) of \"purchase\" = 0", "3,6,7,8,9");
	expect("sum(qty) of \"purchase\" > 5", "0");
	expect("sum(qty) of \"purchase\" < 1.5", "1,2,3,4,5,6,7,8,9");
	expect("sum(amount) of \"purchase\" > 50 within last 30 days", "0,1");
	expect("sum(amount) of \"purchase\" > 50 within last 29 days", "0");
	/* avg, min and max of none have no value: every comparison false. */
	expect("avg(amount) of \"purchase\" > 10", "0,1");
	expect("avg(amount) of \"purchase\" != 100", "0,2,4,5");
	expect("not avg(amount) of \"purchase\" != 100", "1,3,6,7,8,9");
	expect("avg(qty) of \"purchase\" = 2", "0");
	expect("avg(amount) of \"purchase\" between 1.5 and 3.5", "4,5");
	expect("min(amount) of \"purchase\" < 2", "4");
	expect("min(qty) of \"purchase\" = 1", "0,1,2");
	expect("max(amount) of \"purchase\" != 4", "0,1,2,4");
	expect("max(amount) of \"purchase\" >= 30.5", "0,1");
	expect("max(qty) of \"purchase\" <= 3", "0,1,2");
	expect("min(amount) of \"purchase\" <= 1000 within last 4 days", "0");
}
END_TEST

START_TEST(where_filters)
{
	expect("did \"purchase\" where (sku starts with \"TV\")", "0,1,7");
	expect("did \"purchase\" where (sku = \"PH-2\")", "2");
	expect("did \"purchase\" where (amount > 25)", "0,1");
	expect("did \"purchase\" where (amount is empty)", "7");
	expect("count of \"purchase\" where (amount >= 10 and amount <= 30.5) "
	    "= 3", "0");
	expect("did \"purchase\" where (qty >= 2 or sku ends with \"-9\")",
	    "0,1");
	expect("did \"purchase\" where (time within last 2 days)", "0");
	expect("did \"purchase\" where (not sku contains \"tv\")",
	    "0,2,4,5");
	expect("sum(amount) of \"purchase\" where (sku starts with \"TV\") = 30",
	    "0");
	expect("last \"purchase\" where (sku = \"TV-1\") within last 1 days",
	    "0");
	expect("did \"email_open\" where (mailing = \"Black Friday\") and not "
	    "did \"email_click\" where (mailing = \"Black Friday\")", "8");
}
END_TEST

START_TEST(combinations)
{
	expect("did \"purchase\" and n = 1", "1,4,7");
	expect("did \"email_click\" or n = 2", "2,5,8,9");
	expect("in segment \"S\" and not did \"purchase\"", "3,9");
	expect("(did \"purchase\" within last 30 days or last \"login\" within "
	    "last 1 days) and not (n = 0)", "1,7");
	expect("not (did \"purchase\" or did \"login\")", "3");
	expect("did \"purchase\" within last 30 days or did \"purchase\" "
	    "within last 30 days and n = 5", "0,1,7");
	expect("(not did \"login\" or (did \"purchase\" at least 2 times and "
	    "(n = 2 or in segment \"S\"))) and not did \"email_click\"",
	    "0,3,5");
}
END_TEST

/* Bytes a chunk's pno, time and name columns hold per row. */
static uint64_t
bytes3(uint64_t nrows)
{
	return 3 * ((nrows + 63) / 64 * 8) + nrows * (8 + 8 + 4);
}

/* Without the time column: chunks wholly inside the window. */
static uint64_t
bytes2(uint64_t nrows)
{
	return 2 * ((nrows + 63) / 64 * 8) + nrows * (8 + 4);
}

START_TEST(reads_only_overlapping_chunks)
{
	struct eval_stats s;
	uint64_t recent = nevs - NOLD, total;
	char *cause = NULL, *got;

	total = 3 * bytes3(4096) + bytes3(recent);
	got = run("did \"purchase\" at least 3 times within last 30 days and "
	    "not did \"email_open\" within last 90 days", NULL, 0, &s, &cause);
	ck_assert_str_eq(got, "0");
	free(got);
	ck_assert_uint_eq(s.event_chunks, 4);
	ck_assert_uint_eq(s.event_chunks_read, 1);
	ck_assert_uint_eq(s.event_bytes, total);
	ck_assert_uint_eq(s.event_bytes_read, bytes3(recent));

	/* All time: every chunk, and no time column. */
	got = run("did \"login\" at least 1366 times", NULL, 0, &s, &cause);
	free(got);
	ck_assert_uint_eq(s.event_chunks_read, 4);
	ck_assert_uint_eq(s.event_bytes, total);
	ck_assert_uint_eq(s.event_bytes_read, 3 * bytes2(4096) +
	    bytes2(recent));
	got = run("did \"login\" at least 1366 times within last 401 days",
	    NULL, 0, &s, &cause);
	ck_assert_str_eq(got, "0,1,2,6");
	free(got);
	ck_assert_uint_eq(s.event_chunks_read, 4);
	ck_assert_uint_eq(s.event_bytes_read, 3 * bytes2(4096) +
	    bytes2(recent));
	/* The first login is exactly 400 days old: inside. */
	got = run("did \"login\" at least 1366 times within last 400 days",
	    NULL, 0, &s, &cause);
	ck_assert_str_eq(got, "0,1,2,6");
	free(got);
	ck_assert_uint_eq(s.event_bytes_read, 3 * bytes2(4096) +
	    bytes2(recent));
	/* 399 days: the oldest chunk straddles the window. */
	got = run("did \"login\" within last 399 days", NULL, 0, &s, &cause);
	ck_assert_str_eq(got, "0,1,2,4,5,6,7,8,9");
	free(got);
	ck_assert_uint_eq(s.event_bytes_read, bytes3(4096) + 2 *
	    bytes2(4096) + bytes2(recent));
	/*
	 * first reads the time column, and only the chunks up to the end of
	 * its test: the first login was earlier or there is none.
	 */
	got = run("first \"login\" more than 399 days ago", NULL, 0, &s,
	    &cause);
	ck_assert_str_eq(got, "0,1,2,4,5,6,7,8,9");
	free(got);
	ck_assert_uint_eq(s.event_chunks_read, 1);
	ck_assert_uint_eq(s.event_bytes_read, bytes3(4096));

	/* The last login within 1 day needs only events of the last day. */
	got = run("last \"login\" within last 1 days", NULL, 0, &s, &cause);
	free(got);
	ck_assert_uint_eq(s.event_chunks_read, 1);

	/* A where's column is read too (sku: codes, 4 bytes a row). */
	got = run("did \"purchase\" where (sku = \"TV-1\") within last 30 days",
	    NULL, 0, &s, &cause);
	ck_assert_str_eq(got, "0");
	free(got);
	ck_assert_uint_eq(s.event_bytes_read, bytes3(recent) +
	    (recent + 63) / 64 * 8 + recent * 4);

	/* No event test: nothing. */
	got = run("n = 1", NULL, 0, &s, &cause);
	ck_assert_str_eq(got, "1,4,7");
	free(got);
	ck_assert_uint_eq(s.event_chunks, 0);
	ck_assert_uint_eq(s.event_bytes, 0);
}
END_TEST

static int
compile_tree(const struct cond *c, char **cause)
{
	struct store_txn *txn;
	struct pdb_schema *sc;
	struct eval_query q;
	struct eval_env env;
	struct eval_prog *prog = NULL;
	char *c2 = NULL;
	int rc;

	memset(&q, 0, sizeof q);
	q.cond = c;
	q.range_hi = 10000;
	q.limit = -1;
	memset(&env, 0, sizeof env);
	env.now = NOW;
	ck_assert_int_eq(store_read_begin(st, &txn, &c2), 0);
	ck_assert_int_eq(pdb_open(txn, "t", &sc, &c2), 0);
	rc = eval_compile(sc, &q, &env, &prog, cause);
	eval_free(prog);
	schema_free(sc);
	store_read_end(txn);
	return rc;
}

START_TEST(compile_errors)
{
	struct cond *c;
	char *cause = NULL;

	ck_assert_ptr_null(run("sum(sku) of \"purchase\" > 1", NULL, 0, NULL,
	    &cause));
	ck_assert_str_eq(cause, "line 1, column 1: sum() takes an int or "
	    "float property, but 'sku' is of type string");
	free(cause);
	cause = NULL;
	ck_assert_ptr_null(run("n = 1 and avg(price) of \"purchase\" > 1",
	    NULL, 0, NULL, &cause));
	ck_assert_str_eq(cause, "line 1, column 11: unknown event property "
	    "'price'");
	free(cause);
	cause = NULL;
	ck_assert_ptr_null(run("did \"purchase\" where (colour = \"red\")",
	    NULL, 0, NULL, &cause));
	ck_assert_msg(strstr(cause, ": unknown event property 'colour'") !=
	    NULL, "%s", cause);
	free(cause);
	cause = NULL;

	/* Trees the parser never builds: a where over the profile. */
	c = cond_parse("did \"purchase\"", &cause);
	ck_assert_ptr_nonnull(c);
	c->where = cond_new(CK_IN_SEGMENT);
	c->where->segment = xstrdup("S");
	ck_assert_int_eq(compile_tree(c, &cause), -1);
	ck_assert_str_eq(cause, "'in segment' cannot be used inside 'where': "
	    "it tests the profile, not one event");
	free(cause);
	cause = NULL;
	cond_free(c->where);
	c->where = cond_parse("did \"login\"", &cause);
	ck_assert_int_eq(compile_tree(c, &cause), -1);
	ck_assert_str_eq(cause, "line 1, column 1: 'did' cannot be used "
	    "inside 'where': it tests the profile's events, 'where' tests "
	    "one event");
	free(cause);
	cause = NULL;
	cond_free(c);
	c = cond_parse("first \"login\" within last 3 days", &cause);
	c->window.kind = CW_LAST_DAYS;
	c->window.n = 3;
	ck_assert_int_eq(compile_tree(c, &cause), -1);
	ck_assert_str_eq(cause, "line 1, column 1: 'first' takes a time test, "
	    "not a window");
	free(cause);
	cond_free(c);
}
END_TEST

static char *
explain(const char *script, uint32_t pno, int *in)
{
	struct store_txn *txn;
	struct pdb_schema *sc;
	struct eval_query q;
	struct eval_env env;
	struct eval_prog *prog;
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;

	memset(&q, 0, sizeof q);
	q.cond = cond_parse(script, &cause);
	ck_assert_msg(q.cond != NULL, "%s", cause);
	q.range_hi = 10000;
	q.limit = -1;
	memset(&env, 0, sizeof env);
	env.now = NOW;
	env.segment_members = segment_of;
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, "t", &sc, &cause), 0);
	ck_assert_msg(eval_compile(sc, &q, &env, &prog, &cause) == 0, "%s",
	    cause);
	ck_assert_msg(eval_explain(prog, txn, pno, in, &sb, &cause) == 0,
	    "%s", cause);
	eval_free(prog);
	schema_free(sc);
	store_read_end(txn);
	cond_free((struct cond *)q.cond);
	return sb_detach(&sb);
}

START_TEST(explains)
{
	char *text;
	int in;

	text = explain("did \"purchase\" at least 3 times within last 30 days "
	    "and not did \"email_open\" within last 90 days", 0, &in);
	ck_assert_int_eq(in, 1);
	ck_assert_str_eq(text,
	    "Evaluated now, profile \"k0\" (number 0) is in.\n"
	    "Conditions: true\n"
	    "  all of (and) — true\n"
	    "    did \"purchase\" at least 3 times within last 30 days — true "
	    "(count = 3, first 2026-11-25T12:00:00Z, last "
	    "2026-11-27T12:00:00Z)\n"
	    "      2026-11-27T12:00:00Z purchase (amount = 10, qty = 1, "
	    "sku = \"TV-1\")\n"
	    "      2026-11-26T12:00:00Z purchase (amount = 20, qty = 2, "
	    "sku = \"TV-2\")\n"
	    "      2026-11-25T12:00:00Z purchase (amount = 30.5, qty = 3, "
	    "sku = \"PH-1\")\n"
	    "    not — true\n"
	    "      did \"email_open\" within last 90 days — false (count = 0)\n");
	free(text);

	/* Aggregates, none, and at most 5 of many events. */
	text = explain("avg(amount) of \"purchase\" > 1 or sum(amount) of "
	    "\"purchase\" = 0 or min(qty) of \"purchase\" < 5", 7, &in);
	ck_assert_int_eq(in, 1);
	ck_assert_str_eq(text,
	    "Evaluated now, profile \"k7\" (number 7) is in.\n"
	    "Conditions: true\n"
	    "  any of (or) — true\n"
	    "    avg(amount) of \"purchase\" > 1 — false (avg(amount) has no "
	    "value; count = 1, first 2026-11-23T12:00:00Z, last "
	    "2026-11-23T12:00:00Z)\n"
	    "      2026-11-23T12:00:00Z purchase (sku = \"TV-3\")\n"
	    "    sum(amount) of \"purchase\" = 0 — true (sum(amount) = 0; "
	    "count = 1, first 2026-11-23T12:00:00Z, last "
	    "2026-11-23T12:00:00Z)\n"
	    "      2026-11-23T12:00:00Z purchase (sku = \"TV-3\")\n"
	    "    min(qty) of \"purchase\" < 5 — false (min(qty) has no value; "
	    "count = 1, first 2026-11-23T12:00:00Z, last "
	    "2026-11-23T12:00:00Z)\n"
	    "      2026-11-23T12:00:00Z purchase (sku = \"TV-3\")\n");
	free(text);

	text = explain("last \"login\" more than 14 days ago", 6, &in);
	ck_assert_int_eq(in, 0);
	ck_assert_str_eq(text,
	    "Evaluated now, profile \"k6\" (number 6) is out.\n"
	    "Conditions: false\n"
	    "  last \"login\" more than 14 days ago — false (count = 1366, "
	    "first 2025-10-24T12:05:00Z, last 2026-11-28T10:00:00Z)\n"
	    "    2026-11-28T10:00:00Z login\n"
	    "    2025-11-02T00:41:00Z login\n"
	    "    2025-11-02T00:32:00Z login\n"
	    "    2025-11-02T00:23:00Z login\n"
	    "    2025-11-02T00:14:00Z login\n");
	free(text);

	text = explain("sum(amount) of \"purchase\" >= 60 within last 30 days",
	    3, &in);
	ck_assert_int_eq(in, 0);
	ck_assert_str_eq(text,
	    "Evaluated now, profile \"k3\" (number 3) is out.\n"
	    "Conditions: false\n"
	    "  sum(amount) of \"purchase\" >= 60 within last 30 days — false "
	    "(sum(amount) = 0; count = 0)\n");
	free(text);
}
END_TEST

/* A database with profiles and no events at all. */
START_TEST(no_events)
{
	struct field *f, *ef;
	size_t nf, nef;
	struct pdb_schema *sc;
	struct pdb_batch *b;
	struct value row[2];
	char key[8], *cause = NULL;
	uint32_t p;

	ck_assert_int_eq(schema_parse_fields("key:string,n:int", &f, &nf,
	    &cause), 0);
	ck_assert_int_eq(schema_parse_fields("amount:float", &ef, &nef,
	    &cause), 0);
	ck_assert_int_eq(pdb_create_events(st, "e", f, nf, "key", ef, nef,
	    &cause), 0);
	fields_free(f, nf);
	fields_free(ef, nef);
	dbname = "e";
	expect("did \"purchase\"", "");

	sc = open_db();
	b = pdb_batch_new(sc);
	for (p = 0; p < 3; p++) {
		snprintf(key, sizeof key, "e%u", p);
		memset(row, 0, sizeof row);
		row[0].present = 1;
		row[0].u.s.p = key;
		row[0].u.s.len = (uint32_t)strlen(key);
		pdb_batch_add(b, row);
	}
	ck_assert_int_eq(store_write(st, profiles_e_cb, b, &cause), 0);
	pdb_batch_free(b);
	schema_free(sc);
	expect("not did \"purchase\"", "0,1,2");
	expect("did \"purchase\"", "");
	expect("did \"purchase\" at most 0 times within last 3 days", "0,1,2");
	expect("sum(amount) of \"purchase\" = 0", "0,1,2");
	expect("avg(amount) of \"purchase\" = 0 or min(amount) of "
	    "\"purchase\" != 1 or max(amount) of \"purchase\" < 1", "");
	expect("not first \"purchase\" before 2030-01-01", "0,1,2");
	dbname = "t";
}
END_TEST

/* The segment commands: a dry run counts, why explains, a run stores. */
START_TEST(segment_ops)
{
	struct segment *s;
	struct recalc_opts o;
	struct run_record r;
	struct store_txn *txn;
	struct segment *got;
	roaring_bitmap_t *mem;
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;
	int in;

	testlib_setenv("RESEG_NOW", "2026-11-28T12:00:00Z");
	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup("Buyers");
	s->db = xstrdup("t");
	s->cond = cond_parse("did \"purchase\" at least 3 times within last "
	    "30 days and not did \"email_open\" within last 90 days", &cause);
	ck_assert_msg(s->cond != NULL, "%s", cause);
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);

	memset(&o, 0, sizeof o);
	o.type = RUN_MANUAL;
	o.initiator = "tester";
	o.dry_run = 1;
	ck_assert_msg(seg_recalc(st, "Buyers", &o, &r, &cause) == 0, "%s",
	    cause);
	ck_assert_uint_eq(r.added, 1);
	ck_assert_uint_eq(r.total, 1);
	run_record_clear(&r);

	ck_assert_msg(seg_why(st, "Buyers", "k2", &in, &sb, &cause) == 0, "%s",
	    cause);
	ck_assert_int_eq(in, 0);
	ck_assert_str_eq(sb.buf,
	    "Evaluated now, profile \"k2\" (number 2) is out.\n"
	    "Conditions: false\n"
	    "  all of (and) — false\n"
	    "    did \"purchase\" at least 3 times within last 30 days — false "
	    "(count = 0)\n"
	    "    not — false\n"
	    "      did \"email_open\" within last 90 days — true (count = 1, "
	    "first 2026-08-30T12:00:00Z, last 2026-08-30T12:00:00Z)\n"
	    "        2026-08-30T12:00:00Z email_open (mailing = \"Weekly\")\n"
	    "Segment 'Buyers' has not been calculated yet.\n");
	sb_free(&sb);

	o.dry_run = 0;
	ck_assert_msg(seg_recalc(st, "Buyers", &o, &r, &cause) == 0, "%s",
	    cause);
	ck_assert_uint_eq(r.total, 1);
	run_record_clear(&r);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "Buyers", &got, &cause), 0);
	ck_assert_int_eq(seg_members(txn, got->id, &mem, &cause), 0);
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(mem), 1);
	ck_assert(roaring_bitmap_contains(mem, 0));
	roaring_bitmap_free(mem);
	seg_free(got);
	store_read_end(txn);
	ck_assert_msg(seg_why(st, "Buyers", "k0", &in, &sb, &cause) == 0, "%s",
	    cause);
	ck_assert_int_eq(in, 1);
	ck_assert_msg(strstr(sb.buf, "is in.\n") != NULL, "%s", sb.buf);
	sb_free(&sb);
	testlib_setenv("RESEG_NOW", NULL);
}
END_TEST

/*
 * A generated store against the semantics read plainly: per profile,
 * each test over the list of its events.
 */
#define GPROF	3000
#define GEVS	60000

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Events of profile p (sorted by profile) are evs[gfrom[p] .. gfrom[p + 1]). */
static size_t gfrom[GPROF + 1];

static int
ev_by_pno(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	return x->pno < y->pno ? -1 : x->pno > y->pno;
}

static const char *const gnames[] = { "purchase", "email_open", "login" };

static void
setup_gen(void)
{
	size_t i;
	uint64_t r;

	nevs = 0;
	for (i = 0; i < GEVS; i++) {
		r = next();
		/* Profiles 0..GPROF-1 but every tenth has no events. */
		uint32_t p = (uint32_t)(r % GPROF);

		if (p % 10 == 3)
			p = (p + 1) % GPROF;
		add(p, NOW - (int64_t)((r >> 16) % (400 * D)) + 3600,
		    gnames[(r >> 48) % 3], (r >> 52) % 4 != 0,
		    (double)((r >> 40) % 2000) / 4.0, 1, (int64_t)((r >> 24) %
		    7) - 2, (r >> 56) % 2 ? "TV" : "PH", NULL);
	}
	make_store(GPROF);
	seg_s = roaring_bitmap_of(3, 0, 3, 9);
	/*
	 * The plain reading below looks at one profile's events only, so
	 * that it stays fast under the sanitizers.
	 */
	qsort(evs, nevs, sizeof *evs, ev_by_pno);
	memset(gfrom, 0, sizeof gfrom);
	for (i = 0; i < nevs; i++)
		gfrom[evs[i].pno + 1]++;
	for (i = 0; i < GPROF; i++)
		gfrom[i + 1] += gfrom[i];
}

struct gcase {
	const char	*script;
	/* Whether profile p matches, from the events in evs. */
	int		(*fn)(uint32_t p);
};

static int
g_count(uint32_t p, const char *name, int64_t lo, int64_t hi)
{
	size_t i;
	int n = 0;

	for (i = gfrom[p]; i < gfrom[p + 1]; i++)
		n += evs[i].pno == p && strcmp(evs[i].name, name) == 0 &&
		    evs[i].time >= lo && evs[i].time <= hi;
	return n;
}

static int
g1(uint32_t p)
{
	return g_count(p, "purchase", NOW - 30 * D, NOW) >= 3 &&
	    g_count(p, "email_open", NOW - 90 * D, NOW) == 0;
}

static int
g2(uint32_t p)
{
	int64_t last = INT64_MIN;
	size_t i;

	for (i = gfrom[p]; i < gfrom[p + 1]; i++) {
		if (evs[i].pno == p && strcmp(evs[i].name, "login") == 0 &&
		    evs[i].time > last)
			last = evs[i].time;
	}
	return last != INT64_MIN && last < NOW - 14 * D;
}

static int
g3(uint32_t p)
{
	double s = 0;
	size_t i, n = 0;

	for (i = gfrom[p]; i < gfrom[p + 1]; i++) {
		if (evs[i].pno == p && strcmp(evs[i].name, "purchase") == 0 &&
		    evs[i].has_amount && strcmp(evs[i].sku, "TV") == 0 &&
		    evs[i].time >= NOW - 200 * D && evs[i].time <= NOW) {
			s += evs[i].amount;
			n++;
		}
	}
	return n > 0 && s / (double)n > 200;
}

static int
g4(uint32_t p)
{
	int64_t s = 0;
	size_t i;

	for (i = gfrom[p]; i < gfrom[p + 1]; i++) {
		if (evs[i].pno == p && strcmp(evs[i].name, "email_open") == 0)
			s += evs[i].qty;
	}
	return s <= 5 || p % 3 == 1;
}

static int
g5(uint32_t p)
{
	int64_t first = INT64_MAX;
	size_t i;

	for (i = gfrom[p]; i < gfrom[p + 1]; i++) {
		if (evs[i].pno == p && strcmp(evs[i].name, "purchase") == 0 &&
		    evs[i].time < first)
			first = evs[i].time;
	}
	return first != INT64_MAX && first >= NOW - 100 * D &&
	    first <= NOW;
}

static int
g6(uint32_t p)
{
	double m = 0;
	size_t i;
	int have = 0;

	for (i = gfrom[p]; i < gfrom[p + 1]; i++) {
		if (evs[i].pno == p && strcmp(evs[i].name, "login") == 0 &&
		    evs[i].has_amount && evs[i].time >= NOW - 60 * D &&
		    evs[i].time <= NOW) {
			if (!have || evs[i].amount > m)
				m = evs[i].amount;
			have = 1;
		}
	}
	return !(have && m != 300);
}

START_TEST(generated)
{
	static const struct gcase cases[] = {
		{ "did \"purchase\" at least 3 times within last 30 days and "
		    "not did \"email_open\" within last 90 days", g1 },
		{ "last \"login\" more than 14 days ago", g2 },
		{ "avg(amount) of \"purchase\" where (sku = \"TV\") > 200 "
		    "within last 200 days", g3 },
		{ "sum(qty) of \"email_open\" <= 5 or n = 1", g4 },
		{ "first \"purchase\" within last 100 days", g5 },
		{ "not max(amount) of \"login\" != 300 within last 60 days",
		    g6 },
	};
	struct strbuf want = STRBUF_INIT;
	char *cause = NULL, *one, *two;
	size_t i;
	uint32_t p;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sb_reset(&want);
		for (p = 0; p < GPROF; p++) {
			if (cases[i].fn(p))
				sb_printf(&want, "%s%u", want.len > 0 ? "," :
				    "", p);
		}
		one = run(cases[i].script, NULL, 1, NULL, &cause);
		two = run(cases[i].script, NULL, 2, NULL, &cause);
		ck_assert_msg(strcmp(one, want.buf != NULL ? want.buf : "") ==
		    0, "%s: one thread differs", cases[i].script);
		ck_assert_msg(strcmp(two, one) == 0, "%s: two threads differ",
		    cases[i].script);
		free(one);
		free(two);
	}
	sb_free(&want);
}
END_TEST

static Suite *
events_suite(void)
{
	Suite *s = suite_create("eval_events");
	TCase *tc = tcase_create("small");
	TCase *gen = tcase_create("generated");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, did_and_counts);
	tcase_add_test(tc, first_and_last);
	tcase_add_test(tc, dates_across_dst);
	tcase_add_test(tc, aggregates);
	tcase_add_test(tc, where_filters);
	tcase_add_test(tc, combinations);
	tcase_add_test(tc, reads_only_overlapping_chunks);
	tcase_add_test(tc, compile_errors);
	tcase_add_test(tc, explains);
	tcase_add_test(tc, segment_ops);
	tcase_add_test(tc, no_events);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(gen, setup_gen, teardown);
	tcase_set_timeout(gen, 120);
	tcase_add_test(gen, generated);
	suite_add_tcase(s, gen);
	return s;
}

int
main(void)
{
	return testlib_run(events_suite());
}
