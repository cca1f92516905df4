/* Recalculation: range, limit, diffs, dry runs, failures, kills, history. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bucket.h"
#include "hooks.h"
#include "pdb.h"
#include "proc.h"
#include "segment.h"
#include "segment_int.h"
#include "drop.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

static char *tdir;
static struct store *st;
static int64_t fake_now;

static int64_t
fake_wall(void *arg)
{
	(void)arg;
	return fake_now;
}

static int64_t
fake_mono(void *arg)
{
	(void)arg;
	return 0;
}

static const struct tu_clock fake_clock = { fake_mono, fake_wall, NULL };

static void
mkkey(char *buf, size_t len, uint32_t i)
{
	snprintf(buf, len, "user%u@example.com", (unsigned)i);
}

/* Database "db" with n profiles: email (key), n:int = profile index. */
static int
apply_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct pdb_upsert_stats stats;

	return pdb_batch_apply(txn, "db", arg, &stats, cause);
}

static void
make_db2(uint32_t n)
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
	for (i = 0; i < n; i++) {
		mkkey(key, sizeof key, i);
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
setup(void)
{
	char *cause = NULL;

	tdir = testlib_tempdir();
	ck_assert_msg(store_open(tdir, &st, &cause) == 0, "%s", cause);
	fake_now = 1795867200;	/* 2026-11-28T12:00:00Z */
	tu_set_clock(&fake_clock);
}

static void
teardown(void)
{
	store_close(st);
	testlib_rmtree(tdir);
	free(tdir);
	tu_set_clock(NULL);
}

static void
new_seg(const char *name, const char *script, const char *range,
    int64_t limit)
{
	struct segment *s;
	char *cause = NULL;

	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup(name);
	s->db = xstrdup("db");
	if (script != NULL) {
		s->cond = cond_parse(script, &cause);
		ck_assert_msg(s->cond != NULL, "%s", cause);
	}
	if (range != NULL)
		ck_assert_msg(seg_parse_range(range, &s->range_lo, &s->range_hi,
		    &cause) == 0, "%s", cause);
	s->limit = limit;
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);
}

static void
recalc(const char *name, int dry, struct run_record *r)
{
	struct recalc_opts o;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.type = RUN_MANUAL;
	o.initiator = "tester";
	o.dry_run = dry;
	ck_assert_msg(seg_recalc(st, name, &o, r, &cause) == 0, "%s", cause);
}

static roaring_bitmap_t *
members(const char *name)
{
	struct store_txn *txn;
	struct segment *s;
	roaring_bitmap_t *bm;
	char *cause = NULL;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_msg(seg_get(txn, name, &s, &cause) == 0, "%s", cause);
	ck_assert_int_eq(seg_members(txn, s->id, &bm, &cause), 0);
	seg_free(s);
	store_read_end(txn);
	return bm;
}

static struct run_record *
runs(const char *name, size_t *n)
{
	struct store_txn *txn;
	struct segment *s;
	struct run_record *v;
	char *cause = NULL;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_msg(seg_get(txn, name, &s, &cause) == 0, "%s", cause);
	ck_assert_int_eq(seg_runs(txn, s->id, &v, n, &cause), 0);
	seg_free(s);
	store_read_end(txn);
	return v;
}

START_TEST(test_ranges)
{
	roaring_bitmap_t *a, *b, *all, *and;
	struct run_record r;
	uint64_t na, nb;

	make_db2(100000);
	new_seg("low", NULL, "0-20", -1);
	new_seg("high", NULL, "80-100", -1);
	new_seg("all", NULL, "0-100", -1);
	recalc("low", 0, &r);
	run_record_clear(&r);
	recalc("high", 0, &r);
	run_record_clear(&r);
	recalc("all", 0, &r);
	ck_assert_uint_eq(r.total, 100000);
	run_record_clear(&r);
	a = members("low");
	b = members("high");
	all = members("all");
	and = roaring_bitmap_and(a, b);
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(and), 0);
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(all), 100000);
	na = roaring_bitmap_get_cardinality(a);
	nb = roaring_bitmap_get_cardinality(b);
	ck_assert_msg(na >= 19000 && na <= 21000, "0-20 kept %lu",
	    (unsigned long)na);
	ck_assert_msg(nb >= 19000 && nb <= 21000, "80-100 kept %lu",
	    (unsigned long)nb);
	roaring_bitmap_free(and);
	roaring_bitmap_free(a);
	roaring_bitmap_free(b);
	roaring_bitmap_free(all);
}
END_TEST

START_TEST(test_limit_after_range)
{
	roaring_bitmap_t *got, *want;
	struct run_record r;
	char key[64];
	uint32_t i;

	make_db2(5000);
	new_seg("lim", "n >= 100", "10-60.5", 120);
	recalc("lim", 0, &r);
	want = roaring_bitmap_create();
	for (i = 100; i < 5000 && roaring_bitmap_get_cardinality(want) < 120;
	    i++) {
		mkkey(key, sizeof key, i);
		if (bucket_of_key(key, strlen(key)) >= 1000 &&
		    bucket_of_key(key, strlen(key)) < 6050)
			roaring_bitmap_add(want, i);
	}
	got = members("lim");
	ck_assert_uint_eq(r.total, 120);
	ck_assert_uint_eq(r.added, 120);
	ck_assert(roaring_bitmap_equals(got, want));
	run_record_clear(&r);
	/* Second run, nothing changed. */
	recalc("lim", 0, &r);
	ck_assert_uint_eq(r.added, 0);
	ck_assert_uint_eq(r.removed, 0);
	ck_assert_uint_eq(r.total, 120);
	ck_assert_uint_eq(r.id, 2);
	ck_assert_int_eq(r.status, RUN_COMPLETED);
	run_record_clear(&r);
	roaring_bitmap_free(got);
	roaring_bitmap_free(want);
}
END_TEST

START_TEST(test_dry_run)
{
	roaring_bitmap_t *got;
	struct run_record r, *v;
	size_t n;

	make_db2(1000);
	new_seg("d", "n < 10", NULL, -1);
	recalc("d", 1, &r);
	ck_assert_uint_eq(r.id, 0);
	ck_assert_uint_eq(r.added, 10);
	ck_assert_uint_eq(r.removed, 0);
	ck_assert_uint_eq(r.total, 10);
	run_record_clear(&r);
	got = members("d");
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(got), 0);
	roaring_bitmap_free(got);
	v = runs("d", &n);
	ck_assert_uint_eq(n, 0);
	run_records_free(v, n);
}
END_TEST

START_TEST(test_error_keeps_members)
{
	struct recalc_opts o;
	struct run_record r, *v;
	roaring_bitmap_t *got;
	char *cause = NULL;
	size_t n;

	make_db2(1000);
	new_seg("base", "n < 10", NULL, -1);
	new_seg("user", "in segment \"base\" and n < 5", NULL, -1);
	recalc("base", 0, &r);
	run_record_clear(&r);
	recalc("user", 0, &r);
	ck_assert_uint_eq(r.total, 5);
	run_record_clear(&r);
	ck_assert_int_eq(drop_segment(st, "base", 1, &cause), 0);
	memset(&o, 0, sizeof o);
	o.initiator = "tester";
	/* Which run of which segment failed, and why. */
	ck_assert_int_eq(seg_recalc(st, "user", &o, &r, &cause), -1);
	ck_assert_str_eq(cause, "segment 'user' (run 2): its condition uses "
	    "segment 'base', which no longer exists");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(r.status, RUN_ERROR);
	ck_assert_uint_eq(r.id, 2);
	ck_assert_str_eq(r.error, "its condition uses segment 'base', which "
	    "no longer exists");
	run_record_clear(&r);
	got = members("user");
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(got), 5);
	roaring_bitmap_free(got);
	v = runs("user", &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[1].status, RUN_ERROR);
	ck_assert_str_eq(v[1].error, "its condition uses segment 'base', "
	    "which no longer exists");
	ck_assert_uint_eq(v[1].total, 5);
	run_records_free(v, n);
}
END_TEST

/*
 * "in segment" of a scheduled segment that has never been calculated
 * fails the run (a dry run, `why`) with the remedy, never a silent
 * empty set; a static segment is read as filled, even when empty.
 */
START_TEST(test_uses_never_calculated)
{
	static const char why_not[] = "its condition uses segment 'base', "
	    "which has not been calculated yet; recalculate 'base' first";
	struct recalc_opts o;
	struct run_record r, *v;
	struct segment *s;
	struct strbuf sb = STRBUF_INIT;
	roaring_bitmap_t *got;
	char *cause = NULL, *want;
	size_t n;
	int in = -1;

	make_db2(100);
	new_seg("base", "n < 10", NULL, -1);
	new_seg("user", "in segment \"base\" and n < 5", NULL, -1);
	memset(&o, 0, sizeof o);
	o.initiator = "tester";
	o.dry_run = 1;
	ck_assert_int_eq(seg_recalc(st, "user", &o, &r, &cause), -1);
	want = xasprintf("segment 'user': %s", why_not);
	ck_assert_str_eq(cause, want);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(seg_why(st, "user", "user3@example.com", &in, &sb, &cause), -1);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	sb_free(&sb);
	v = runs("user", &n);
	ck_assert_uint_eq(n, 0);
	run_records_free(v, n);
	o.dry_run = 0;
	ck_assert_int_eq(seg_recalc(st, "user", &o, &r, &cause), -1);
	want = xasprintf("segment 'user' (run 1): %s", why_not);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	cause = NULL;
	ck_assert_uint_eq(r.id, 1);
	ck_assert_int_eq(r.status, RUN_ERROR);
	ck_assert_str_eq(r.error, why_not);
	run_record_clear(&r);
	v = runs("user", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(v[0].status, RUN_ERROR);
	ck_assert_str_eq(v[0].error, why_not);
	run_records_free(v, n);
	/* Calculated once, it is used. */
	recalc("base", 0, &r);
	run_record_clear(&r);
	recalc("user", 0, &r);
	ck_assert_uint_eq(r.id, 2);
	ck_assert_uint_eq(r.total, 5);
	run_record_clear(&r);
	/* A static segment never filled is an empty set, not an error. */
	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup("picked");
	s->db = xstrdup("db");
	s->kind = SEG_STATIC;
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);
	new_seg("notpicked", "not in segment \"picked\" and n < 3", NULL, -1);
	recalc("notpicked", 0, &r);
	ck_assert_uint_eq(r.total, 3);
	run_record_clear(&r);
	got = members("notpicked");
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(got), 3);
	roaring_bitmap_free(got);
}
END_TEST

/* The caller of test_refs_access: in group "users", not in "daemon". */
static int
see_users(const struct segment *s)
{
	size_t i;

	if (s->ngroups == 0)
		return 1;
	for (i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i], "users") == 0)
			return 1;
	return 0;
}

static int
see_all(const struct segment *s)
{
	(void)s;
	return 1;
}

static void
new_grouped(const char *name, const char *script, const char *g1,
    const char *g2)
{
	struct segment *s;
	char *cause = NULL;

	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup(name);
	s->db = xstrdup("db");
	s->cond = cond_parse(script, &cause);
	ck_assert_msg(s->cond != NULL, "%s", cause);
	s->groups = xcalloc(2, sizeof *s->groups);
	if (g1 != NULL)
		s->groups[s->ngroups++] = xstrdup(g1);
	if (g2 != NULL)
		s->groups[s->ngroups++] = xstrdup(g2);
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);
}

/* Runs name as type; NULL: it completed with total members. */
static void
run_as(const char *name, enum run_type type, int dry, const char *want,
    uint64_t total)
{
	struct recalc_opts o;
	struct run_record r;
	char *cause = NULL;
	int rc;

	memset(&o, 0, sizeof o);
	o.type = type;
	o.initiator = type == RUN_AUTOMATIC ? "System" : "tester";
	o.dry_run = dry;
	rc = seg_recalc(st, name, &o, &r, &cause);
	if (want == NULL) {
		ck_assert_msg(rc == 0, "%s: %s", name, cause);
		ck_assert_uint_eq(r.total, total);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(cause, want);
		free(cause);
	}
	run_record_clear(&r);
}

/*
 * Who a run acts for (README, "Dependent objects and access groups"): a
 * manual run reads only segments its caller sees; an automatic one only
 * those every reader of the running segment sees.  The groups are Unix
 * groups every Debian system has.
 */
START_TEST(test_refs_access)
{
	static const char gone_g2[] = "its condition uses segment 'g2', "
	    "which no longer exists";
	static const char gone_g1[] = "its condition uses segment 'g1', "
	    "which no longer exists";
	struct strbuf sb = STRBUF_INIT;
	struct run_record r;
	char *cause = NULL, *want;
	int in = -1;

	make_db2(100);
	seg_set_visibility(see_all);
	new_seg("base", "n < 10", NULL, -1);
	new_grouped("g1", "n < 20", "users", NULL);
	new_grouped("g2", "n < 30", "daemon", NULL);
	new_seg("pub", "in segment \"g1\" and n < 5", NULL, -1);
	new_seg("hid", "in segment \"g2\"", NULL, -1);
	new_seg("pubbase", "in segment \"base\"", NULL, -1);
	new_grouped("same", "in segment \"g1\" and in segment \"base\"",
	    "users", NULL);
	new_grouped("wider", "in segment \"g1\"", "users", "root");
	recalc("base", 0, &r);
	run_record_clear(&r);
	recalc("g1", 0, &r);
	run_record_clear(&r);
	recalc("g2", 0, &r);
	run_record_clear(&r);
	seg_set_visibility(see_users);

	/* Manual: as the caller, who sees g1 but not g2. */
	run_as("pub", RUN_MANUAL, 0, NULL, 5);
	want = xasprintf("segment 'hid': %s", gone_g2);
	run_as("hid", RUN_MANUAL, 1, want, 0);
	ck_assert_int_eq(seg_why(st, "hid", "user3@example.com", &in, &sb,
	    &cause), -1);
	ck_assert_str_eq(cause, want);
	free(cause);
	cause = NULL;
	free(want);
	want = xasprintf("segment 'hid' (run 1): %s", gone_g2);
	run_as("hid", RUN_MANUAL, 0, want, 0);
	free(want);

	/* Automatic: as every reader of the segment run. */
	want = xasprintf("segment 'pub' (run 2): %s", gone_g1);
	run_as("pub", RUN_AUTOMATIC, 0, want, 0);
	free(want);
	want = xasprintf("segment 'wider' (run 1): %s", gone_g1);
	run_as("wider", RUN_AUTOMATIC, 0, want, 0);
	free(want);
	run_as("same", RUN_AUTOMATIC, 0, NULL, 10);
	run_as("pubbase", RUN_AUTOMATIC, 0, NULL, 10);
	/* Nor does the scheduler read what its own user cannot see. */
	seg_set_visibility(NULL);
	want = xasprintf("segment 'same' (run 2): %s", gone_g1);
	run_as("same", RUN_AUTOMATIC, 0, want, 0);
	free(want);
	sb_free(&sb);
}
END_TEST

/* seg_may_use's rule, one pair at a time. */
START_TEST(test_may_use)
{
	struct segment a, b;
	char *ga[2] = { (char *)"users", (char *)"root" };
	char *gb[2] = { (char *)"root", (char *)"users" };

	seg_set_visibility(see_all);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	ck_assert_int_eq(seg_may_use(&a, &b, 1), 1);
	b.groups = gb;
	b.ngroups = 2;
	ck_assert_int_eq(seg_may_use(&a, &b, 0), 1);
	ck_assert_int_eq(seg_may_use(&a, &b, 1), 0);
	a.groups = ga;
	a.ngroups = 2;
	ck_assert_int_eq(seg_may_use(&a, &b, 1), 1);
	b.ngroups = 1;		/* root only */
	ck_assert_int_eq(seg_may_use(&a, &b, 1), 0);
	a.ngroups = 1;		/* users only */
	ck_assert_int_eq(seg_may_use(&a, &b, 1), 0);
	b.groups = ga;		/* users only */
	ck_assert_int_eq(seg_may_use(&a, &b, 1), 1);
	seg_set_visibility(see_users);
	b.groups = gb;		/* root only, which the caller is not in */
	a.groups = gb;
	ck_assert_int_eq(seg_may_use(&a, &b, 0), 0);
	ck_assert_int_eq(seg_may_use(&a, &b, 1), 0);
	seg_set_visibility(NULL);
}
END_TEST

/*
 * Deleting a segment or dropping a database names only the users the
 * caller may see (outside access_init: those without groups) and counts
 * the others.
 */
START_TEST(test_drop_hidden_users)
{
	char *cause = NULL;

	make_db2(10);
	seg_set_visibility(see_all);
	new_seg("base", "n < 5", NULL, -1);
	new_seg("pub", "in segment \"base\"", NULL, -1);
	new_grouped("h1", "in segment \"base\"", "users", NULL);
	ck_assert_int_eq(drop_segment(st, "base", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'base' is used by segment 'pub' "
	    "and 1 segment you cannot see");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(drop_database(st, "db", &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "database 'db' is used by segments: 'base', "
	    "'pub' and 1 segment you cannot see; delete them first");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(drop_segment(st, "pub", 0, &cause), 0);
	new_grouped("h2", "n < 3", "daemon", NULL);
	ck_assert_int_eq(drop_segment(st, "base", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'base' is used by 1 segment you "
	    "cannot see");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(drop_segment(st, "base", 1, &cause), 0);
	ck_assert_int_eq(drop_database(st, "db", &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "database 'db' is used by 2 segments you "
	    "cannot see");
	free(cause);
	seg_set_visibility(NULL);
}
END_TEST

/*
 * A reference the stored definition had stays valid for saving whether
 * its segment is hidden or deleted (telling them apart would leak); for
 * a run (seg_validate_run) both are unknown.
 */
START_TEST(test_kept_refs)
{
	struct store_txn *txn;
	struct segment *s;
	char *cause = NULL;
	const char *name;
	int i;

	make_db2(10);
	seg_set_visibility(see_all);
	new_grouped("hidden", "n < 5", "daemon", NULL);
	new_seg("gone", "n < 5", NULL, -1);
	new_seg("uh", "in segment \"hidden\"", NULL, -1);
	new_seg("ug", "in segment \"gone\"", NULL, -1);
	ck_assert_int_eq(drop_segment(st, "gone", 1, &cause), 0);
	seg_set_visibility(see_users);
	for (i = 0; i < 2; i++) {
		name = i == 0 ? "uh" : "ug";
		ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
		ck_assert_msg(seg_get(txn, name, &s, &cause) == 0, "%s", cause);
		ck_assert_msg(seg_validate(txn, s, s->id, fake_now, &cause) == 0,
		    "%s", cause);
		ck_assert_int_eq(seg_validate_run(txn, s, s->id, fake_now,
		    &cause), -1);
		ck_assert_str_eq(cause, i == 0 ? "segment 'uh': unknown "
		    "segment 'hidden'" : "segment 'ug': unknown segment "
		    "'gone'");
		free(cause);
		cause = NULL;
		/* A new reference to either is unknown. */
		ck_assert_int_eq(seg_validate(txn, s, 0, fake_now, &cause), -1);
		free(cause);
		cause = NULL;
		seg_free(s);
		store_read_end(txn);
	}
	seg_set_visibility(NULL);
}
END_TEST

START_TEST(test_killed_run)
{
	struct run_record r, *v;
	struct store_txn *txn;
	struct segment *s;
	roaring_bitmap_t *got;
	char *cause = NULL;
	unsigned marked = 9;
	size_t n;
	pid_t pid;
	int status;

	make_db2(2000);
	new_seg("k", "n < 100", NULL, -1);
	recalc("k", 0, &r);
	run_record_clear(&r);
	/* Change the definition so the killed run would have changed members. */
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "k", &s, &cause), 0);
	store_read_end(txn);
	cond_free(s->cond);
	s->cond = cond_parse("n < 50", &cause);
	ck_assert_int_eq(seg_update(st, "k", s, &cause), 0);
	seg_free(s);
	store_close(st);
	st = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct store *cst;
		struct recalc_opts o;

		signal(SIGABRT, SIG_DFL);
		testlib_setenv("RESEG_TEST_ABORT", "before-commit");
		if (store_open(tdir, &cst, &cause) != 0)
			_exit(3);
		memset(&o, 0, sizeof o);
		o.initiator = "child";
		seg_recalc(cst, "k", &o, &r, &cause);
		_exit(4);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGABRT);
	ck_assert_int_eq(store_open(tdir, &st, &cause), 0);
	got = members("k");
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(got), 100);
	roaring_bitmap_free(got);
	v = runs("k", &n);
	ck_assert_uint_eq(n, 2);
	/* Its owner is gone: it reads as interrupted before it is marked. */
	ck_assert_int_eq(v[1].status, RUN_ERROR);
	ck_assert_str_eq(v[1].error, "interrupted");
	run_records_free(v, n);
	/* The owner is dead: the segment does not count as updating. */
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "k", &s, &cause), 0);
	ck_assert_int_eq(seg_is_updating(s), 0);
	seg_free(s);
	store_read_end(txn);
	ck_assert_int_eq(seg_mark_interrupted(st, &marked, &cause), 0);
	ck_assert_uint_eq(marked, 1);
	v = runs("k", &n);
	ck_assert_int_eq(v[1].status, RUN_ERROR);
	ck_assert_str_eq(v[1].error, "interrupted");
	ck_assert_uint_eq(v[1].total, 100);
	run_records_free(v, n);
	recalc("k", 0, &r);
	ck_assert_uint_eq(r.id, 3);
	ck_assert_uint_eq(r.removed, 50);
	ck_assert_uint_eq(r.total, 50);
	run_record_clear(&r);
}
END_TEST

struct nested {
	int	 done;
	char	*cause;
};

static void
nested_progress(void *arg, uint64_t scanned, uint64_t total)
{
	struct nested *nd = arg;
	struct recalc_opts o;
	struct run_record r;

	(void)scanned;
	(void)total;
	if (__atomic_exchange_n(&nd->done, 1, __ATOMIC_SEQ_CST))
		return;
	memset(&o, 0, sizeof o);
	o.initiator = "other";
	if (seg_recalc(st, "u", &o, &r, &nd->cause) == 0)
		nd->cause = xstrdup("accepted");
	run_record_clear(&r);
}

START_TEST(test_refused_while_updating)
{
	struct recalc_opts o;
	struct run_record r;
	struct nested nd = { 0, NULL };
	char *cause = NULL;

	make_db2(10000);
	new_seg("u", "n < 10", NULL, -1);
	memset(&o, 0, sizeof o);
	o.initiator = "tester";
	o.nthreads = 1;
	o.progress = nested_progress;
	o.progress_arg = &nd;
	ck_assert_msg(seg_recalc(st, "u", &o, &r, &cause) == 0, "%s", cause);
	run_record_clear(&r);
	ck_assert_int_eq(nd.done, 1);
	ck_assert_str_eq(nd.cause, "segment 'u' is updating (run 1 started "
	    "2026-11-28T12:00:00Z); try again when it finishes");
	free(nd.cause);
}
END_TEST

/*
 * While a run is in progress every reader sees the segment as updating,
 * even after the owner's memory grew (the owner check reads the process
 * start time, field 22 of /proc/PID/stat, not a field that changes).
 */
struct seen_updating {
	int	 calls;
	int	 updating;
};

static void
seen_progress(void *arg, uint64_t scanned, uint64_t total)
{
	struct seen_updating *su = arg;
	struct store_txn *txn;
	struct segment *s = NULL;
	char *cause = NULL, *big;
	size_t n = 64 << 20;

	(void)scanned;
	(void)total;
	if (su->calls++ > 0)
		return;
	big = malloc(n);
	ck_assert_ptr_nonnull(big);
	memset(big, 1, n);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_msg(seg_get(txn, "v", &s, &cause) == 0, "%s", cause);
	su->updating = seg_is_updating(s);
	seg_free(s);
	store_read_end(txn);
	free(big);
}

START_TEST(test_updating_visible)
{
	struct recalc_opts o;
	struct run_record r;
	struct seen_updating su = { 0, 0 };
	char *cause = NULL;

	make_db2(10000);
	new_seg("v", "n < 10", NULL, -1);
	memset(&o, 0, sizeof o);
	o.initiator = "tester";
	o.nthreads = 1;
	o.progress = seen_progress;
	o.progress_arg = &su;
	ck_assert_msg(seg_recalc(st, "v", &o, &r, &cause) == 0, "%s", cause);
	run_record_clear(&r);
	ck_assert_int_ge(su.calls, 1);
	ck_assert_int_eq(su.updating, 1);
}
END_TEST

static const char *const fill_keys1[] = { "user1@example.com",
	"user2@example.com", "nobody@example.com" };
static const char *const fill_keys2[] = { "user1@example.com" };

START_TEST(test_history_and_members_at)
{
	struct seg_fill_result res;
	struct hist_point *p;
	struct store_txn *txn;
	struct segment *s;
	struct run_record r;
	roaring_bitmap_t *bm;
	char *cause = NULL;
	size_t n;

	make_db2(100);
	new_seg("sch", "n < 10", NULL, -1);
	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup("st");
	s->db = xstrdup("db");
	s->kind = SEG_STATIC;
	ck_assert_int_eq(seg_create(st, s, NULL, &cause), 0);
	seg_free(s);
	/* Day 1: a run, and a manual fill. */
	recalc("sch", 0, &r);
	run_record_clear(&r);
	ck_assert_int_eq(seg_fill(st, "st", 0, fill_keys1, 3, "tester", &res,
	    &cause), 0);
	ck_assert_uint_eq(res.changed, 2);
	ck_assert_uint_eq(res.nunknown, 1);
	ck_assert_str_eq(res.unknown[0], "nobody@example.com");
	seg_fill_result_free(&res);
	/* Day 2 (next month): remove one. */
	fake_now += 5 * 86400;	/* 2026-12-03 */
	ck_assert_int_eq(seg_fill(st, "st", 1, fill_keys2, 1, "tester", &res,
	    &cause), 0);
	ck_assert_uint_eq(res.changed, 1);
	seg_fill_result_free(&res);
	fake_now += 3600;
	ck_assert_int_eq(seg_fill(st, "st", 0, fill_keys2, 1, "tester", &res,
	    &cause), 0);
	seg_fill_result_free(&res);

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "st", &s, &cause), 0);
	ck_assert_int_eq(seg_history(txn, s->id, HIST_RUN, INT64_MIN,
	    INT64_MAX, NULL, &p, &n, &cause), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(p[0].total, 2);
	ck_assert_uint_eq(p[0].added_manual, 2);
	ck_assert_uint_eq(p[1].total, 1);
	ck_assert_uint_eq(p[1].removed_manual, 1);
	free(p);
	ck_assert_int_eq(seg_history(txn, s->id, HIST_MONTH, INT64_MIN,
	    INT64_MAX, "UTC", &p, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(p[0].day, tu_days_from_civil(2026, 11, 1));
	ck_assert_uint_eq(p[0].nruns, 1);
	ck_assert_int_eq(p[1].day, tu_days_from_civil(2026, 12, 1));
	ck_assert_uint_eq(p[1].nruns, 2);
	ck_assert_uint_eq(p[1].total, 2);
	ck_assert_uint_eq(p[1].added_manual, 1);
	ck_assert_uint_eq(p[1].removed_manual, 1);
	ck_assert_uint_eq(p[1].added_auto, 0);
	free(p);
	/* Only December. */
	ck_assert_int_eq(seg_history(txn, s->id, HIST_DAY, 1795867200 + 86400,
	    INT64_MAX, "UTC", &p, &n, &cause), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(p[0].day, tu_days_from_civil(2026, 12, 3));
	free(p);
	ck_assert_int_eq(seg_members_at(txn, s->id, 1795867200 - 1, &bm,
	    &cause), 0);
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(bm), 0);
	roaring_bitmap_free(bm);
	ck_assert_int_eq(seg_members_at(txn, s->id, 1795867200, &bm,
	    &cause), 0);
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(bm), 2);
	ck_assert(roaring_bitmap_contains(bm, 1));
	ck_assert(roaring_bitmap_contains(bm, 2));
	roaring_bitmap_free(bm);
	ck_assert_int_eq(seg_members_at(txn, s->id, 1795867200 + 5 * 86400,
	    &bm, &cause), 0);
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(bm), 1);
	ck_assert(roaring_bitmap_contains(bm, 2));
	roaring_bitmap_free(bm);
	seg_free(s);
	ck_assert_int_eq(seg_get(txn, "sch", &s, &cause), 0);
	ck_assert_int_eq(seg_history(txn, s->id, HIST_DAY, INT64_MIN,
	    INT64_MAX, NULL, &p, &n, &cause), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(p[0].added_auto, 0);
	ck_assert_uint_eq(p[0].added_manual, 10);
	ck_assert_uint_eq(p[0].total, 10);
	free(p);
	seg_free(s);
	store_read_end(txn);
}
END_TEST

struct cancel_arg {
	atomic_int	 flag;
	unsigned	 calls;
};

/* Progress callback that asks for cancellation at the first report. */
static void
cancel_progress(void *arg, uint64_t scanned, uint64_t total)
{
	struct cancel_arg *c = arg;

	(void)scanned;
	(void)total;
	c->calls++;
	c->flag = 1;
}

static void
cancelled_recalc(const char *name, struct cancel_arg *c, struct run_record *r,
    const char *want)
{
	struct recalc_opts o;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.type = RUN_MANUAL;
	o.initiator = "tester";
	o.nthreads = 1;
	o.progress = cancel_progress;
	o.progress_arg = c;
	o.cancel = &c->flag;
	ck_assert_int_eq(seg_recalc(st, name, &o, r, &cause), -1);
	ck_assert_str_eq(cause, want);
	free(cause);
}

START_TEST(test_cancel)
{
	struct cancel_arg c = { 0, 0 };
	struct run_record r, *v;
	struct segment *s;
	roaring_bitmap_t *got;
	char *cause = NULL;
	size_t n;

	make_db2(1000);
	new_seg("c", "n < 10", NULL, -1);
	recalc("c", 0, &r);
	ck_assert_uint_eq(r.total, 10);
	run_record_clear(&r);
	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup("c");
	s->db = xstrdup("db");
	s->cond = cond_parse("n < 20", &cause);
	ck_assert_msg(seg_update(st, "c", s, &cause) == 0, "%s", cause);
	seg_free(s);
	cancelled_recalc("c", &c, &r,
	    "segment 'c' (run 2): recalculation cancelled");
	ck_assert_uint_ge(c.calls, 1);
	ck_assert_uint_eq(r.id, 2);
	ck_assert_int_eq(r.status, RUN_ERROR);
	ck_assert_str_eq(r.error, "recalculation cancelled");
	run_record_clear(&r);
	got = members("c");
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(got), 10);
	roaring_bitmap_free(got);
	v = runs("c", &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[1].status, RUN_ERROR);
	ck_assert_str_eq(v[1].error, "recalculation cancelled");
	ck_assert_uint_eq(v[1].added, 0);
	ck_assert_uint_eq(v[1].total, 10);
	run_records_free(v, n);
	/* Not updating any more: the next run goes through. */
	recalc("c", 0, &r);
	ck_assert_uint_eq(r.id, 3);
	ck_assert_uint_eq(r.added, 10);
	ck_assert_uint_eq(r.total, 20);
	run_record_clear(&r);
}
END_TEST

/* The hook runs after Completed and Error runs, never after a dry run. */
START_TEST(test_hooks_after_runs)
{
	struct cancel_arg c = { 0, 0 };
	struct run_record r;
	char *cause = NULL, *cmd, *path, buf[256];
	FILE *f;
	size_t len;

	make_db2(100);
	new_seg("h", "n < 10", NULL, -1);
	path = xasprintf("%s/hook.out", tdir);
	cmd = xasprintf("printf '%%s %%s\\n' \"$RESEG_RUN_ID\" "
	    "\"$RESEG_STATUS\" >>'%s'", path);
	ck_assert_msg(hooks_set_segment(st, "h", cmd, &cause) == 0, "%s",
	    cause);
	recalc("h", 1, &r);
	run_record_clear(&r);
	recalc("h", 0, &r);
	run_record_clear(&r);
	cancelled_recalc("h", &c, &r,
	    "segment 'h' (run 2): recalculation cancelled");
	run_record_clear(&r);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	len = fread(buf, 1, sizeof buf - 1, f);
	buf[len] = '\0';
	fclose(f);
	ck_assert_str_eq(buf, "1 Completed\n2 Error\n");
	free(cmd);
	free(path);
}
END_TEST

/*
 * Segments due together (seg_recalc_batch) against the same runs one by
 * one on a copy of the store: the same members, run records (ids,
 * slots, figures, errors), refusals, causes and hook runs, over two
 * rounds so that the second has deltas.
 */
static const char *batch_names[] = { "a", "b", "e", "c", "s", "user",
    "ghost" };
#define NBATCH	(sizeof batch_names / sizeof batch_names[0])

static void
batch_update_db(void)
{
	struct pdb_schema *schema;
	struct pdb_batch *b;
	struct store_txn *txn;
	struct value row[2];
	char *cause = NULL, key[64];
	uint32_t i;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, "db", &schema, &cause), 0);
	store_read_end(txn);
	b = pdb_batch_new(schema);
	for (i = 0; i < 300; i++) {
		mkkey(key, sizeof key, i * 7);
		row[0].present = 1;
		row[0].u.s.p = key;
		row[0].u.s.len = (uint32_t)strlen(key);
		row[1].present = 1;
		row[1].u.i = 60000 + i;
		pdb_batch_add(b, row);
	}
	ck_assert_msg(store_write(st, apply_cb, b, &cause) == 0, "%s", cause);
	schema_free(schema);
	pdb_batch_free(b);
}

static void
batch_populate(const char *hookfile)
{
	struct field f[2] = { { (char *)"email", FT_STRING },
	    { (char *)"n", FT_INT } };
	struct segment *s;
	struct run_record r;
	char *cause = NULL, *cmd;

	make_db2(70000);
	new_seg("a", "n < 100", NULL, -1);
	new_seg("b", "n >= 5000", "10-60", -1);
	new_seg("c", "n < 60000", NULL, 1234);
	/* A segment of another database, empty, between those of "db". */
	ck_assert_msg(pdb_create(st, "db2", f, 2, "email", &cause) == 0, "%s",
	    cause);
	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup("e");
	s->db = xstrdup("db2");
	s->cond = cond_parse("n < 5", &cause);
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);
	new_seg("base", "n < 10", NULL, -1);
	new_seg("user", "in segment \"base\" and n < 5", NULL, -1);
	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup("s");
	s->db = xstrdup("db");
	s->kind = SEG_STATIC;
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);
	recalc("base", 0, &r);
	run_record_clear(&r);
	recalc("user", 0, &r);
	run_record_clear(&r);
	/* "user" now fails: the segment it uses is gone. */
	ck_assert_int_eq(drop_segment(st, "base", 1, &cause), 0);
	cmd = xasprintf("printf '%%s %%s %%s\\n' \"$RESEG_SEGMENT\" "
	    "\"$RESEG_RUN_ID\" \"$RESEG_STATUS\" >>'%s'", hookfile);
	ck_assert_msg(hooks_set_segment(st, "a", cmd, &cause) == 0, "%s",
	    cause);
	ck_assert_msg(hooks_set_segment(st, "user", cmd, &cause) == 0, "%s",
	    cause);
	free(cmd);
}

/* Members and run log of every segment of the batch, as text. */
static void
batch_summary(struct strbuf *sb)
{
	struct run_record *v;
	roaring_bitmap_t *bm;
	roaring_uint32_iterator_t it;
	uint64_t h;
	size_t i, k, n;

	for (i = 0; i < NBATCH; i++) {
		if (strcmp(batch_names[i], "ghost") == 0)
			continue;
		bm = members(batch_names[i]);
		h = 1469598103934665603ULL;
		roaring_init_iterator(bm, &it);
		for (; it.has_value; roaring_advance_uint32_iterator(&it))
			h = (h ^ it.current_value) * 1099511628211ULL;
		sb_printf(sb, "%s: %llu members, hash %llx\n", batch_names[i],
		    (unsigned long long)roaring_bitmap_get_cardinality(bm),
		    (unsigned long long)h);
		roaring_bitmap_free(bm);
		v = runs(batch_names[i], &n);
		for (k = 0; k < n; k++)
			sb_printf(sb, "  run %u %d %d %s %lld-%lld slot %lld "
			    "+%llu -%llu =%llu %s\n", v[k].id, (int)v[k].status,
			    (int)v[k].type, v[k].initiator,
			    (long long)v[k].started_at,
			    (long long)v[k].ended_at, (long long)v[k].slot,
			    (unsigned long long)v[k].added,
			    (unsigned long long)v[k].removed,
			    (unsigned long long)v[k].total,
			    v[k].error != NULL ? v[k].error : "-");
		run_records_free(v, n);
	}
}

static void
batch_round(int batch, int64_t slot, struct strbuf *sb)
{
	struct recalc_item items[NBATCH];
	struct recalc_opts o;
	size_t i;

	memset(&o, 0, sizeof o);
	o.type = RUN_AUTOMATIC;
	o.initiator = "System";
	memset(items, 0, sizeof items);
	for (i = 0; i < NBATCH; i++) {
		items[i].name = batch_names[i];
		items[i].slot = slot;
	}
	if (batch)
		seg_recalc_batch(st, items, NBATCH, &o);
	else {
		for (i = 0; i < NBATCH; i++) {
			o.slot = slot;
			items[i].rc = seg_recalc(st, items[i].name, &o,
			    &items[i].run, &items[i].cause);
		}
	}
	for (i = 0; i < NBATCH; i++) {
		sb_printf(sb, "%s: rc %d, run %u status %d total %llu: %s\n",
		    items[i].name, items[i].rc, items[i].run.id,
		    (int)items[i].run.status,
		    (unsigned long long)items[i].run.total,
		    items[i].cause != NULL ? items[i].cause : "-");
		free(items[i].cause);
		run_record_clear(&items[i].run);
	}
}

static char *
batch_story(int batch)
{
	struct strbuf sb = STRBUF_INIT;
	char *hookfile = xasprintf("%s/hooks.out", tdir), buf[4096];
	FILE *f;
	size_t len;

	batch_populate(hookfile);
	batch_round(batch, fake_now - 60, &sb);
	batch_summary(&sb);
	batch_update_db();
	fake_now += 3600;
	batch_round(batch, fake_now - 60, &sb);
	batch_summary(&sb);
	f = fopen(hookfile, "r");
	ck_assert_ptr_nonnull(f);
	len = fread(buf, 1, sizeof buf - 1, f);
	buf[len] = '\0';
	fclose(f);
	sb_printf(&sb, "hooks:\n%s", buf);
	free(hookfile);
	return sb_detach(&sb);
}

START_TEST(test_batch_like_one_by_one)
{
	char *one, *many, *cause = NULL;
	int64_t start = fake_now;

	one = batch_story(0);
	/* The same story on a new store. */
	store_close(st);
	testlib_rmtree(tdir);
	free(tdir);
	tdir = testlib_tempdir();
	ck_assert_msg(store_open(tdir, &st, &cause) == 0, "%s", cause);
	fake_now = start;
	many = batch_story(1);
	ck_assert_str_eq(many, one);
	/* What they agree on is the story told here. */
	ck_assert_ptr_nonnull(strstr(one, "a: rc 0, run 1 status 1 total 100: -\n"));
	ck_assert_ptr_nonnull(strstr(one, "a: rc 0, run 2 status 1 total 85: -\n"));
	ck_assert_ptr_nonnull(strstr(one, "e: rc 0, run 2 status 1 total 0: -\n"));
	ck_assert_ptr_nonnull(strstr(one, "c: 1234 members"));
	ck_assert_ptr_nonnull(strstr(one, "  run 2 1 1 System "
	    "1795870800-1795870800 slot 1795870740 +177 -177 =1234 -\n"));
	ck_assert_ptr_nonnull(strstr(one, "s: rc -1, run 0 status 0 total 0: "
	    "segment 's' is static: it is filled by hand, not "
	    "recalculated\n"));
	ck_assert_ptr_nonnull(strstr(one, "user: rc -1, run 3 status 2 "
	    "total 5: segment 'user' (run 3): its condition uses segment "
	    "'base', which no longer exists\n"));
	ck_assert_ptr_nonnull(strstr(one, "ghost: rc -1, run 0 status 0 "
	    "total 0: there is no segment 'ghost'\n"));
	ck_assert_ptr_nonnull(strstr(one, "hooks:\na 1 Completed\nuser 2 "
	    "Error\na 2 Completed\nuser 3 Error\n"));
	free(one);
	free(many);
}
END_TEST

/*
 * A run in progress belongs to its process while that process runs: the
 * same pid with another start time, or in another boot, is not it; a
 * record without a boot (older versions) goes by pid and start time.
 */
START_TEST(test_run_owner_identity)
{
	struct run_record r;

	memset(&r, 0, sizeof r);
	r.status = RUN_IN_PROGRESS;
	seg_self_owner(&r);
	ck_assert_int_eq(r.pid, (int64_t)getpid());
	ck_assert_uint_ne(r.pid_start, 0);
	ck_assert_int_eq(seg_run_owner_alive(&r), 1);
	r.pid_boot[3] ^= 1;
	ck_assert_int_eq(seg_run_owner_alive(&r), 0);
	memset(r.pid_boot, 0, sizeof r.pid_boot);
	ck_assert_int_eq(seg_run_owner_alive(&r), 1);
	r.pid_start++;
	ck_assert_int_eq(seg_run_owner_alive(&r), 0);
	seg_self_owner(&r);
	r.status = RUN_COMPLETED;
	ck_assert_int_eq(seg_run_owner_alive(&r), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("recalc");
	TCase *tc = tcase_create("recalc");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_limit_after_range);
	tcase_add_test(tc, test_dry_run);
	tcase_add_test(tc, test_error_keeps_members);
	tcase_add_test(tc, test_uses_never_calculated);
	tcase_add_test(tc, test_killed_run);
	tcase_add_test(tc, test_refused_while_updating);
	tcase_add_test(tc, test_updating_visible);
	tcase_add_test(tc, test_history_and_members_at);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_hooks_after_runs);
	tcase_add_test(tc, test_refs_access);
	tcase_add_test(tc, test_may_use);
	tcase_add_test(tc, test_drop_hidden_users);
	tcase_add_test(tc, test_kept_refs);
	tcase_add_test(tc, test_batch_like_one_by_one);
	tcase_add_test(tc, test_run_owner_identity);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
