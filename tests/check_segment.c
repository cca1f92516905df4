/* Segment definitions: validation messages, ranges, immutability, filling. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "objects.h"
#include "pdb.h"
#include "sched.h"
#include "segment.h"
#include "segtext.h"
#include "drop.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

static char *tdir;
static struct store *st;

static void
setup(void)
{
	struct field f[2] = { { (char *)"email", FT_STRING },
	    { (char *)"n", FT_INT } };
	char *cause = NULL;

	tdir = testlib_tempdir();
	ck_assert_msg(store_open(tdir, &st, &cause) == 0, "%s", cause);
	ck_assert_int_eq(pdb_create(st, "db1", f, 2, "email", &cause), 0);
	ck_assert_int_eq(pdb_create(st, "db2", f, 2, "email", &cause), 0);
}

static void
teardown(void)
{
	store_close(st);
	testlib_rmtree(tdir);
	free(tdir);
}

static struct segment *
mkseg(const char *name, const char *db, const char *script)
{
	struct segment *s;
	char *cause = NULL;

	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup(name);
	s->db = xstrdup(db);
	if (script != NULL) {
		s->cond = cond_parse(script, &cause);
		ck_assert_msg(s->cond != NULL, "%s", cause);
	}
	return s;
}

/* Creating s fails with exactly msg. */
static void
create_fails(struct segment *s, const char *msg)
{
	char *cause = NULL;

	ck_assert_int_eq(seg_create(st, s, NULL, &cause), -1);
	ck_assert_str_eq(cause, msg);
	free(cause);
	seg_free(s);
}

static void
create_ok(struct segment *s)
{
	char *cause = NULL;

	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	seg_free(s);
}

START_TEST(test_range_parse)
{
	static const struct {
		const char	*in;
		int		 lo, hi;
		const char	*err;
	} t[] = {
		{ "0-20", 0, 2000, NULL },
		{ "80-100", 8000, 10000, NULL },
		{ "12.5-80.25", 1250, 8025, NULL },
		{ "0.01-0.02", 1, 2, NULL },
		{ "80-20", 0, 0, "range '80-20': the start must be below the end" },
		{ "20-20", 0, 0, "range '20-20': the start must be below the end" },
		{ "0-101", 0, 0, "range '0-101': the end must be at most 100" },
		{ "1.234-5", 0, 0,
		    "range '1.234-5': percentages have at most two decimals" },
		{ "abc", 0, 0, "range 'abc' is not of the form A-B (percent, "
		    "for example 0-20)" },
		{ "-5-10", 0, 0, "range '-5-10' is not of the form A-B (percent, "
		    "for example 0-20)" },
		{ "5.-10", 0, 0, "range '5.-10' is not of the form A-B (percent, "
		    "for example 0-20)" },
	};
	char buf[SEG_RANGE_BUF], *cause;
	uint16_t lo, hi;
	size_t i;

	for (i = 0; i < sizeof t / sizeof *t; i++) {
		cause = NULL;
		if (t[i].err == NULL) {
			ck_assert_msg(seg_parse_range(t[i].in, &lo, &hi,
			    &cause) == 0, "%s: %s", t[i].in, cause);
			ck_assert_int_eq(lo, t[i].lo);
			ck_assert_int_eq(hi, t[i].hi);
			ck_assert_str_eq(seg_format_range(lo, hi, buf), t[i].in);
		} else {
			ck_assert_int_eq(seg_parse_range(t[i].in, &lo, &hi,
			    &cause), -1);
			ck_assert_str_eq(cause, t[i].err);
			free(cause);
		}
	}
}
END_TEST

START_TEST(test_validation)
{
	struct segment *s;
	char *cause = NULL;

	create_fails(mkseg("", "db1", NULL), "a segment needs a name");
	create_fails(mkseg("A", "", NULL), "segment 'A' needs a database");
	create_ok(mkseg("A", "db1", "n > 1"));
	create_fails(mkseg("A", "db1", "n > 2"),
	    "a segment named 'A' already exists");
	s = mkseg("B", "db1", NULL);
	s->limit = 0;
	create_fails(s, "segment 'B': the limit must be at least 1");
	s = mkseg("B", "db1", NULL);
	s->kind = SEG_STATIC;
	s->limit = 5;
	create_fails(s, "segment 'B' is static: it has no conditions, range, "
	    "limit or schedule");
	s = mkseg("B", "db1", "in segment \"A\"");
	create_ok(s);
	/* A cycle through "in segment" is refused when saved. */
	s = mkseg("A", "db1", "in segment \"B\" and n > 1");
	ck_assert_int_eq(seg_update(st, "A", s, &cause), -1);
	ck_assert_str_eq(cause, "segment 'A' would depend on itself: "
	    "'A' -> 'B' -> 'A'");
	free(cause);
	cause = NULL;
	seg_free(s);
	/* The database is fixed once saved. */
	s = mkseg("A", "db2", "n > 1");
	ck_assert_int_eq(seg_update(st, "A", s, &cause), -1);
	ck_assert_str_eq(cause,
	    "the database of segment 'A' cannot be changed (it is 'db1')");
	free(cause);
	cause = NULL;
	seg_free(s);
	/* Deleting a segment in use needs force. */
	ck_assert_int_eq(drop_segment(st, "A", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'A' is used by segment 'B'");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(drop_segment(st, "missing", 0, &cause), -1);
	ck_assert_str_eq(cause, "there is no segment 'missing'");
	free(cause);
}
END_TEST

START_TEST(test_rename_and_list)
{
	struct store_txn *txn;
	struct segment **v, *s;
	char *cause = NULL;
	size_t n;

	create_ok(mkseg("zeta", "db1", "n > 1"));
	create_ok(mkseg("alpha", "db2", NULL));
	s = mkseg("beta", "db1", "n > 3");
	s->limit = 7;
	ck_assert_int_eq(seg_update(st, "zeta", s, &cause), 0);
	seg_free(s);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_list(txn, &v, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0]->name, "alpha");
	ck_assert_str_eq(v[1]->name, "beta");
	ck_assert_int_eq(v[1]->limit, 7);
	seg_list_free(v, n);
	ck_assert_int_eq(seg_get(txn, "zeta", &s, &cause), -1);
	ck_assert_str_eq(cause, "there is no segment 'zeta'");
	free(cause);
	store_read_end(txn);
}
END_TEST

/* seg_delete with dependent objects and segments, refused and forced. */
START_TEST(test_delete_dependents)
{
	const char *segs[] = { "X" };
	struct store_txn *txn;
	struct segment **v, *s;
	struct object *o;
	char *cause = NULL;
	size_t n;

	create_ok(mkseg("X", "db1", "n > 1"));
	create_ok(mkseg("Y", "db1", "in segment \"X\""));
	create_ok(mkseg("Z", "db1", "not in segment \"X\" or n < 0"));
	create_ok(mkseg("W", "db1", "n > 2"));
	ck_assert_int_eq(objects_add(st, OBJ_MAILING, "Welcome", segs, 1,
	    &cause), 0);
	ck_assert_int_eq(objects_add(st, OBJ_LOYALTY, "Gold", segs, 1,
	    &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_dependents(txn, "X", &v, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0]->name, "Y");
	ck_assert_str_eq(v[1]->name, "Z");
	seg_list_free(v, n);
	ck_assert_int_eq(seg_dependents(txn, "W", &v, &n, &cause), 0);
	ck_assert_uint_eq(n, 0);
	seg_list_free(v, n);
	store_read_end(txn);

	ck_assert_int_eq(drop_segment(st, "X", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'X' is used by loyalty program "
	    "'Gold', mailing 'Welcome', segment 'Y', segment 'Z'");
	free(cause);
	cause = NULL;
	/* Only objects: still refused. */
	s = mkseg("Y", "db1", "n > 5");
	ck_assert_int_eq(seg_update(st, "Y", s, &cause), 0);
	seg_free(s);
	ck_assert_int_eq(drop_segment(st, "Z", 1, &cause), 0);
	ck_assert_int_eq(drop_segment(st, "X", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'X' is used by loyalty program "
	    "'Gold', mailing 'Welcome'");
	free(cause);
	cause = NULL;
	/* Forced: deleted, and detached from the objects at once. */
	ck_assert_int_eq(drop_segment(st, "X", 1, &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "X", &s, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(objects_get(txn, OBJ_MAILING, "Welcome", &o, &cause),
	    0);
	ck_assert_uint_eq(o->nsegments, 0);
	objects_free(o);
	store_read_end(txn);
	/* A segment nobody uses goes without force. */
	ck_assert_int_eq(drop_segment(st, "W", 0, &cause), 0);
}
END_TEST

static const char *const keys[] = { "a@x" };

START_TEST(test_scheduled_refuses_filling)
{
	struct seg_fill_result res;
	char *cause = NULL;

	create_ok(mkseg("S", "db1", "n > 1"));
	ck_assert_int_eq(seg_fill(st, "S", 0, keys, 1, "tester", &res, &cause),
	    -1);
	ck_assert_str_eq(cause, "segment 'S' is scheduled: only a "
	    "recalculation changes its members");
	free(cause);
}
END_TEST

/* A renamed segment stays the one its users mean by "in segment". */
START_TEST(test_rename_follows_users)
{
	struct store_txn *txn;
	struct segment *s, **v;
	char *cause = NULL, *text;
	size_t n;

	create_ok(mkseg("A", "db1", "n > 1"));
	create_ok(mkseg("B", "db1", "in segment \"A\" and n < 9"));
	create_ok(mkseg("C", "db1", "not in segment \"A\" or "
	    "(in segment \"B\" and in segment \"A\")"));
	s = mkseg("Новый A", "db1", "n > 2");
	ck_assert_msg(seg_update(st, "A", s, &cause) == 0, "%s", cause);
	seg_free(s);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "B", &s, &cause), 0);
	text = cond_print(s->cond);
	ck_assert_str_eq(text, "in segment \"Новый A\" and n < 9");
	free(text);
	seg_free(s);
	ck_assert_int_eq(seg_get(txn, "C", &s, &cause), 0);
	text = cond_print(s->cond);
	ck_assert_str_eq(text, "not in segment \"Новый A\" or "
	    "(in segment \"B\" and in segment \"Новый A\")");
	free(text);
	seg_free(s);
	ck_assert_int_eq(seg_dependents(txn, "Новый A", &v, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	seg_list_free(v, n);
	store_read_end(txn);
	/* So it is still protected from deletion. */
	ck_assert_int_eq(drop_segment(st, "Новый A", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'Новый A' is used by segment 'B', "
	    "segment 'C'");
	free(cause);
}
END_TEST

/*
 * The where: text as written stays while the conditions are those it
 * says: a definition without text (the form) keeps it, other conditions
 * drop it, and a rename that cannot be followed in the text drops it.
 */
static char *
where_text_of(const char *name)
{
	struct store_txn *txn;
	struct segment *s;
	char *cause = NULL, *text;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_msg(seg_get(txn, name, &s, &cause) == 0, "%s", cause);
	store_read_end(txn);
	text = s->where_text != NULL ? xstrdup(s->where_text) : NULL;
	seg_free(s);
	return text;
}

START_TEST(test_where_text_kept)
{
	const char *kept = "# big ones\nn > 1   # at least two\n";
	struct segment *s;
	char *cause = NULL, *text;

	s = mkseg("A", "db1", "n > 1");
	s->where_text = xstrdup(kept);
	create_ok(s);
	text = where_text_of("A");
	ck_assert_str_eq(text, kept);
	free(text);
	/* The form: the same tree, no text of its own. */
	s = mkseg("A", "db1", "(n > 1)");
	s->limit = 5;
	ck_assert_msg(seg_update(st, "A", s, &cause) == 0, "%s", cause);
	seg_free(s);
	text = where_text_of("A");
	ck_assert_str_eq(text, kept);
	free(text);
	/* Text that says something else is never stored. */
	s = mkseg("A", "db1", "n > 1");
	s->where_text = xstrdup("n > 2\n");
	ck_assert_msg(seg_update(st, "A", s, &cause) == 0, "%s", cause);
	seg_free(s);
	ck_assert_ptr_null(where_text_of("A"));
	/* Followed through a rename where the text allows it... */
	s = mkseg("B", "db1", "in segment \"A\" and n < 9");
	s->where_text = xstrdup("in segment \"A\"  # A's\n  and n < 9\n");
	create_ok(s);
	/* ...not where the old name is also a value. */
	s = mkseg("C", "db1", "in segment \"A\" or email = \"A\"");
	s->where_text = xstrdup("in segment \"A\" or email = \"A\"  # ?\n");
	create_ok(s);
	s = mkseg("A2", "db1", "n > 1");
	ck_assert_msg(seg_update(st, "A", s, &cause) == 0, "%s", cause);
	seg_free(s);
	text = where_text_of("B");
	ck_assert_str_eq(text, "in segment \"A2\"  # A's\n  and n < 9\n");
	free(text);
	ck_assert_ptr_null(where_text_of("C"));
}
END_TEST

static struct segment *
mklabels(const char *name, const char *tag, const char *group)
{
	struct segment *s = mkseg(name, "db1", "n > 1");

	s->tags = xcalloc(1, sizeof *s->tags);
	s->tags[s->ntags++] = xstrdup(tag);
	s->groups = xcalloc(1, sizeof *s->groups);
	s->groups[s->ngroups++] = xstrdup(group);
	return s;
}

/*
 * Names, tags and groups read back the same from segment dump (whose
 * lists are comma-separated and trimmed); others are refused.
 */
START_TEST(test_labels_round_trip)
{
	struct segment *s, *back;
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;

	create_fails(mklabels(" sp", "t", "g"),
	    "segment name ' sp' starts or ends with a blank");
	create_fails(mklabels("sp ", "t", "g"),
	    "segment name 'sp ' starts or ends with a blank");
	create_fails(mklabels("sp", "x,y", "g"), "segment 'sp': tag 'x,y' "
	    "may not be empty, hold a comma or a control character, or start "
	    "or end with a blank");
	create_fails(mklabels("sp", "x ", "g"), "segment 'sp': tag 'x ' "
	    "may not be empty, hold a comma or a control character, or start "
	    "or end with a blank");
	create_fails(mklabels("sp", "", "g"), "segment 'sp': tag '' "
	    "may not be empty, hold a comma or a control character, or start "
	    "or end with a blank");
	create_fails(mklabels("sp", "t", "a,b"), "segment 'sp': group 'a,b' "
	    "may not be empty, hold a comma or a control character, or start "
	    "or end with a blank");

	create_fails(mklabels("sp\xff", "t", "g"),
	    "segment name 'sp\xff' is not UTF-8 text: invalid byte 0xFF");
	create_fails(mklabels("sp", "t\xc3", "g"), "segment 'sp': tag "
	    "'t\xc3' is not UTF-8 text: invalid byte 0xC3");
	create_fails(mklabels("sp", "t", "\xe2\x82"), "segment 'sp': group "
	    "'\xe2\x82' is not UTF-8 text: invalid byte 0xE2");
	s = mklabels("a b, c", "ок тег", "root");
	ck_assert_msg(seg_create(st, s, NULL, &cause) == 0, "%s", cause);
	segtext_dump(s, &sb);
	ck_assert_msg(segtext_parse(sb.buf, "t.seg", &back, &cause) == 0, "%s",
	    cause);
	ck_assert_str_eq(back->name, "a b, c");
	ck_assert_uint_eq(back->ntags, 1);
	ck_assert_str_eq(back->tags[0], "ок тег");
	ck_assert_uint_eq(back->ngroups, 1);
	ck_assert_str_eq(back->groups[0], "root");
	seg_free(back);
	seg_free(s);
	sb_free(&sb);
}
END_TEST

static struct segment *
mksched(const char *name, const char *text)
{
	struct segment *s = mkseg(name, "db1", "n > 1");
	char *cause = NULL;

	ck_assert_msg(sched_parse(text, tu_now(), &s->sched, &cause) == 0,
	    "%s: %s", text, cause);
	s->has_sched = 1;
	return s;
}

static void
update_sched(const char *name, const char *text, const char *msg)
{
	struct segment *s = mksched(name, text);
	char *cause = NULL;

	if (msg == NULL)
		ck_assert_msg(seg_update(st, name, s, &cause) == 0, "%s: %s",
		    text, cause);
	else {
		ck_assert_int_eq(seg_update(st, name, s, &cause), -1);
		ck_assert_str_eq(cause, msg);
		free(cause);
	}
	seg_free(s);
}

/*
 * A new or changed schedule must have a run after now; an unchanged one
 * is not checked again, so an ended segment stays editable and shows as
 * ended.
 */
START_TEST(test_ended_schedule)
{
	struct store_txn *txn;
	struct segment *s;
	char *cause = NULL;

	testlib_setenv("RESEG_NOW", "2026-11-28T12:00:00Z");
	create_fails(mksched("O", "once on 2026-11-01 at 10:00 UTC"),
	    "segment 'O': schedule: the schedule has no run after now (once "
	    "on 2026-11-01 at 10:00 UTC is past)");
	create_fails(mksched("O", "once on 2026-11-28 at 12:00 UTC"),
	    "segment 'O': schedule: the schedule has no run after now (once "
	    "on 2026-11-28 at 12:00 UTC is past)");
	create_fails(mksched("D", "daily at 10:00 UTC until 2026-11-28"),
	    "segment 'D': schedule: the schedule has no run after now (daily "
	    "at 10:00 UTC until 2026-11-28 is past)");
	create_ok(mksched("D", "daily at 13:00 UTC until 2026-11-28"));
	create_ok(mksched("O", "once on 2026-11-29 at 10:00 UTC"));
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "D", &s, &cause), 0);
	store_read_end(txn);
	ck_assert_int_eq(seg_sched_ended(s, tu_now()), 0);
	/* 13:00 on the last day is its last run. */
	ck_assert_int_eq(seg_sched_ended(s, tu_now() + 3600 - 1), 0);
	ck_assert_int_eq(seg_sched_ended(s, tu_now() + 3600), 1);

	/* A week later both have ended but can still be edited. */
	testlib_setenv("RESEG_NOW", "2026-12-05T12:00:00Z");
	ck_assert_int_eq(seg_sched_ended(s, tu_now()), 1);
	free(s->tags);
	s->tags = xcalloc(1, sizeof *s->tags);
	s->tags[0] = xstrdup("kept");
	s->ntags = 1;
	ck_assert_msg(seg_update(st, "D", s, &cause) == 0, "%s", cause);
	s->state = SEG_STOPPED;
	ck_assert_int_eq(seg_sched_ended(s, tu_now()), 1);
	s->has_sched = 0;
	ck_assert_int_eq(seg_sched_ended(s, tu_now()), 0);
	seg_free(s);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "O", &s, &cause), 0);
	ck_assert_int_eq(seg_validate(txn, s, s->id, tu_now(), &cause), 0);
	/* The same schedule on a new segment is refused. */
	ck_assert_int_eq(seg_validate(txn, s, 0, tu_now(), &cause), -1);
	free(cause);
	cause = NULL;
	store_read_end(txn);
	ck_assert_int_eq(seg_sched_ended(s, tu_now()), 1);
	seg_free(s);
	/* A changed schedule is checked against now. */
	s = mksched("D", "daily at 13:00 UTC until 2026-12-05");
	s->sched.until = tu_days_from_civil(2026, 12, 1);
	ck_assert_int_eq(seg_update(st, "D", s, &cause), -1);
	ck_assert_str_eq(cause, "segment 'D': schedule: the until date "
	    "2026-12-01 (deactivate after) is before today (2026-12-05 in "
	    "UTC)");
	free(cause);
	cause = NULL;
	seg_free(s);
	update_sched("O", "once on 2026-12-05 at 11:00 UTC",
	    "segment 'O': schedule: the schedule has no run after now (once "
	    "on 2026-12-05 at 11:00 UTC is past)");
	update_sched("O", "once on 2026-12-05 at 13:00 UTC", NULL);
	update_sched("D", "daily at 13:00 UTC until 2026-12-05", NULL);
	testlib_setenv("RESEG_NOW", NULL);
}
END_TEST

/*
 * Access groups fail closed: a process that never said who it is (no
 * access_init, which engine_open calls) sees only segments without
 * groups; once it has, the store's owner sees every segment.
 */
START_TEST(test_access_fails_closed)
{
	struct segment *open = mkseg("Open", "db1", "n > 1");
	struct segment *closed = mklabels("Closed", "t", "root");
	char *cause = NULL;

	ck_assert_int_eq(access_is_privileged(), 0);
	ck_assert_int_eq(access_can_see(open), 1);
	ck_assert_int_eq(access_can_see(closed), 0);
	ck_assert_int_eq(access_check(closed, &cause), -1);
	ck_assert_str_eq(cause, "there is no segment 'Closed'");
	free(cause);
	access_init(st);	/* this process made the store: its owner */
	ck_assert_int_eq(access_is_privileged(), 1);
	ck_assert_int_eq(access_can_see(closed), 1);
	seg_free(open);
	seg_free(closed);
}
END_TEST

/*
 * A segment the caller cannot see is "there is no segment" everywhere:
 * saving a definition neither confirms it ("already exists") nor lets a
 * new "in segment" read it; a group must exist when it is added.
 */
START_TEST(test_hidden_names)
{
	struct segment *s;
	char *cause = NULL;

	/* Before access_init the process sees no segment with groups. */
	create_ok(mklabels("Closed", "t", "root"));
	create_ok(mkseg("Open", "db1", "n > 1"));
	create_fails(mklabels("Closed", "t", "root"),
	    "the segment name 'Closed' is not available");
	create_fails(mkseg("Closed", "db2", NULL),
	    "the segment name 'Closed' is not available");
	create_fails(mkseg("Open", "db1", NULL),
	    "a segment named 'Open' already exists");
	s = mkseg("Open", "db1", "n > 2");
	s->name[0] = 'X';
	ck_assert_int_eq(seg_create(st, s, NULL, &cause), 0);
	/* Renaming onto the hidden one is refused the same way. */
	free(s->name);
	s->name = xstrdup("Closed");
	ck_assert_int_eq(seg_update(st, "Xpen", s, &cause), -1);
	ck_assert_str_eq(cause, "the segment name 'Closed' is not available");
	free(cause);
	seg_free(s);
	create_fails(mkseg("U", "db1", "in segment \"Closed\""),
	    "segment 'U': line 1, column 1: unknown segment 'Closed'");
	create_fails(mklabels("G", "t", "rsg-no-such-group"),
	    "segment 'G': there is no Unix group 'rsg-no-such-group'");
	/* The store's owner sees it: the usual answers. */
	access_init(st);
	create_fails(mkseg("Closed", "db2", NULL),
	    "a segment named 'Closed' already exists");
	create_ok(mkseg("U", "db1", "in segment \"Closed\""));
}
END_TEST

/*
 * The run object of doc/json.md, shared by the hooks and --json: every
 * field always there, null for no value (a dry run's id, a running
 * run's end, a successful run's error).
 */
START_TEST(test_run_json)
{
	static const char *const want[] = {
		"{\"id\":3,\"type\":\"Automatic\",\"initiator\":\"System\","
		    "\"started_at\":\"2026-11-28T12:00:00Z\","
		    "\"ended_at\":\"2026-11-28T12:00:05Z\",\"added\":2,"
		    "\"removed\":1,\"total\":7,\"status\":\"Error\","
		    "\"error\":\"disk full\"}",
		"{\"id\":null,\"type\":\"Manual\",\"initiator\":\"alice\","
		    "\"started_at\":\"2026-11-28T12:00:00Z\","
		    "\"ended_at\":null,\"added\":0,\"removed\":0,"
		    "\"total\":0,\"status\":\"In progress\",\"error\":null}",
	};
	struct run_record r[2];
	cJSON *j;
	char *text;
	size_t i;

	memset(r, 0, sizeof r);
	r[0].id = 3;
	r[0].type = RUN_AUTOMATIC;
	r[0].initiator = "System";
	r[0].started_at = 1795867200;
	r[0].ended_at = 1795867205;
	r[0].added = 2;
	r[0].removed = 1;
	r[0].total = 7;
	r[0].status = RUN_ERROR;
	r[0].error = "disk full";
	r[1].type = RUN_MANUAL;
	r[1].initiator = "alice";
	r[1].started_at = 1795867200;
	r[1].status = RUN_IN_PROGRESS;
	for (i = 0; i < 2; i++) {
		j = run_record_json(&r[i]);
		text = cJSON_PrintUnformatted(j);
		ck_assert_str_eq(text, want[i]);
		cJSON_free(text);
		cJSON_Delete(j);
	}
}
END_TEST

static struct segment *
mkstatic(const char *name, const char *db)
{
	struct segment *s = mkseg(name, db, NULL);

	s->kind = SEG_STATIC;
	return s;
}

static int
add_profiles_cb(struct store_txn *t, void *arg, char **cause)
{
	struct pdb_upsert_stats stats;

	return pdb_batch_apply(t, "db1", arg, &stats, cause);
}

/*
 * seg_with_member: the segments of the profile's database it is a
 * member of, by name; another database's segments and those without it
 * are left out.
 */
START_TEST(test_with_member)
{
	static const char *const ab[] = { "a@x", "b@x" };
	static const char *const a[] = { "a@x" };
	struct seg_fill_result res;
	struct pdb_schema *sc = testlib_open_db(st, "db1");
	struct pdb_batch *b = pdb_batch_new(sc);
	struct arena ar = ARENA_INIT;
	struct store_txn *t;
	struct segment **segs;
	struct value row[2];
	size_t n, i;
	char *cause = NULL;

	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(value_parse_text(FT_STRING, ab[i], 3, &row[0],
		    &ar, &cause), 0);
		row[1].present = 0;
		pdb_batch_add(b, row);
	}
	ck_assert_msg(store_write(st, add_profiles_cb, b, &cause) == 0, "%s",
	    cause);
	pdb_batch_free(b);
	arena_free(&ar);
	create_ok(mkstatic("Zeta", "db1"));
	create_ok(mkstatic("Alpha", "db1"));
	create_ok(mkstatic("Only b", "db1"));
	create_ok(mkstatic("Other db", "db2"));
	ck_assert_int_eq(seg_fill(st, "Zeta", 0, ab, 2, "t", &res, &cause), 0);
	seg_fill_result_free(&res);
	ck_assert_int_eq(seg_fill(st, "Alpha", 0, a, 1, "t", &res, &cause), 0);
	seg_fill_result_free(&res);
	ck_assert_int_eq(seg_fill(st, "Only b", 0, ab + 1, 1, "t", &res,
	    &cause), 0);
	seg_fill_result_free(&res);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	/* Profile 0 is a@x. */
	ck_assert_int_eq(seg_with_member(t, "db1", 0, &segs, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(segs[0]->name, "Alpha");
	ck_assert_str_eq(segs[1]->name, "Zeta");
	seg_list_free(segs, n);
	ck_assert_int_eq(seg_with_member(t, "db1", 1, &segs, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(segs[0]->name, "Only b");
	ck_assert_str_eq(segs[1]->name, "Zeta");
	seg_list_free(segs, n);
	ck_assert_int_eq(seg_with_member(t, "db2", 0, &segs, &n, &cause), 0);
	ck_assert_uint_eq(n, 0);
	seg_list_free(segs, n);
	store_read_end(t);
	schema_free(sc);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("segment");
	TCase *tc = tcase_create("segment");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_range_parse);
	tcase_add_test(tc, test_validation);
	tcase_add_test(tc, test_rename_and_list);
	tcase_add_test(tc, test_scheduled_refuses_filling);
	tcase_add_test(tc, test_delete_dependents);
	tcase_add_test(tc, test_rename_follows_users);
	tcase_add_test(tc, test_where_text_kept);
	tcase_add_test(tc, test_labels_round_trip);
	tcase_add_test(tc, test_ended_schedule);
	tcase_add_test(tc, test_access_fails_closed);
	tcase_add_test(tc, test_hidden_names);
	tcase_add_test(tc, test_run_json);
	tcase_add_test(tc, test_with_member);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
