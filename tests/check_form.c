/* The segment form's model: field validation, tree editing, round trip. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "cond.h"
#include "form_model.h"
#include "schema.h"
#include "segment.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

/* 2026-11-28T12:00:00Z */
#define NOW	1795867200

static struct field form_fields[] = {
	{ "email", FT_STRING }, { "country", FT_STRING }, { "orders", FT_INT },
	{ "birth_date", FT_DATE }, { "tags", FT_TAGS }, { "ok", FT_BOOL },
	{ "spent", FT_FLOAT }
};

static struct field form_event_fields[] = {
	{ "amount", FT_FLOAT }, { "sku", FT_STRING }, { "mailing", FT_STRING },
	{ "qty", FT_INT }
};

static struct pdb_schema form_schema = {
	.name = "demo", .id = 1, .fields = form_fields, .nfields = 7,
	.event_fields = form_event_fields, .nevent_fields = 4
};

static struct cond *
pred(const char *field, enum cond_op op, const char *values)
{
	struct cond	*c = NULL;
	char		*cause = NULL;

	ck_assert_msg(fm_pred_build(&form_schema, field, CF_NONE, op, values,
	    &c, &cause) == 0, "%s", cause != NULL ? cause : "");
	return c;
}

static void
check_print(const struct cond *c, const char *want)
{
	char	*s = cond_print(c);

	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(test_pred_build)
{
	struct cond	*c;
	char		*cause = NULL, *t;

	c = pred("country", CO_IN, "RU, KZ,\"A, B\"");
	check_print(c, "country in (\"RU\", \"KZ\", \"A, B\")");
	t = fm_pred_values_text(c);
	ck_assert_str_eq(t, "RU, KZ, \"A, B\"");
	free(t);
	cond_free(c);
	c = pred("orders", CO_BETWEEN, "25 and 40");
	check_print(c, "orders between 25 and 40");
	cond_free(c);
	c = pred("birth_date", CO_BEFORE, "2000-01-31");
	check_print(c, "birth_date before 2000-01-31");
	cond_free(c);
	c = pred("tags", CO_HAS_ANY, "vip, promo");
	check_print(c, "tags has any (\"vip\", \"promo\")");
	cond_free(c);
	c = pred("ok", CO_IS_TRUE, "");
	check_print(c, "ok is true");
	cond_free(c);
	c = pred("spent", CO_GE, "10.5");
	check_print(c, "spent >= 10.5");
	cond_free(c);
	ck_assert_int_eq(fm_pred_build(&form_schema, "orders", CF_NONE, CO_EQ,
	    "abc", &c, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(fm_pred_build(&form_schema, "orders", CF_NONE,
	    CO_BETWEEN, "1", &c, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(fm_pred_build(&form_schema, "birth_date", CF_NONE,
	    CO_ON, "2026-13-01", &c, &cause), -1);
	free(cause);
}
END_TEST

START_TEST(test_tree_ops)
{
	struct cond	*root = fm_tree_root(NULL), *a, *b, *g;
	struct fm_row	*rows;
	size_t		 n;

	a = pred("country", CO_EQ, "RU");
	b = pred("orders", CO_GT, "30");
	fm_tree_add(root, 0, a);
	fm_tree_add(root, 1, b);
	check_print(root, "country = \"RU\" and orders > 30");
	ck_assert_int_eq(fm_tree_move(root, 2, -1), 0);
	check_print(root, "orders > 30 and country = \"RU\"");
	ck_assert_int_eq(fm_tree_move(root, 1, -1), -1);
	g = cond_new(CK_OR);
	fm_tree_add(root, 2, g);
	ck_assert_int_eq(fm_tree_find(root, g), 3);
	fm_tree_add(root, 3, pred("ok", CO_IS_TRUE, ""));
	fm_tree_add(root, 3, pred("tags", CO_HAS, "vip"));
	n = fm_tree_rows(root, &rows);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(rows[4].depth, 2);
	free(rows);
	check_print(root, "orders > 30 and country = \"RU\" and (ok is true or "
	    "tags has \"vip\")");
	fm_tree_andor(root, 1);
	ck_assert_int_eq(root->kind, CK_OR);
	fm_tree_andor(root, 0);
	fm_tree_andor(root, 3);
	fm_tree_andor(root, 3);
	ck_assert_int_eq(fm_tree_remove(root, 4), 0);
	ck_assert_int_eq(fm_tree_remove(root, 0), -1);
	fm_tree_replace(root, 1, pred("orders", CO_LT, "20"));
	ck_assert_int_eq(root->kind, CK_AND);
	ck_assert_int_eq(g->kind, CK_OR);
	ck_assert_uint_eq(g->nkids, 1);
	check_print(g->kids[0], "tags has \"vip\"");
	check_print(root->kids[0], "orders < 20");
	fm_tree_clear(root);
	ck_assert_uint_eq(root->nkids, 0);
	cond_free(root);
}
END_TEST

START_TEST(test_fields)
{
	struct form_model fm;
	struct segment	*s;

	fm_init(&fm);
	fm_set_text(&fm, FM_NAME, "Form test");
	fm_set_text(&fm, FM_DB, "demo");
	fm_set_text(&fm, FM_RANGE_LO, "80");
	fm_set_text(&fm, FM_RANGE_HI, "20");
	fm.limit_on = 1;
	fm_set_text(&fm, FM_LIMIT, "0");
	fm.sched_on = 1;
	fm_set_text(&fm, FM_TZ, "Mars/Olympus");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_nonnull(fm.err[FM_RANGE_LO]);
	ck_assert_ptr_nonnull(fm.err[FM_LIMIT]);
	ck_assert_ptr_nonnull(fm.err[FM_TZ]);
	ck_assert_ptr_null(fm.err[FM_NAME]);
	fm_set_text(&fm, FM_TZ, "UTC");
	fm_set_text(&fm, FM_TIME, "25:00");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_nonnull(fm.err[FM_TIME]);
	fm_set_text(&fm, FM_TIME, "06:30");
	fm.freq = SCHED_WEEKLY;
	fm_set_text(&fm, FM_WEEKDAYS, "mon,funday");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_nonnull(fm.err[FM_WEEKDAYS]);
	fm_free(&fm);
}
END_TEST

/* An empty name is reported at once, whatever else is wrong or missing. */
START_TEST(test_name_first)
{
	struct form_model fm;
	struct segment	*s;

	fm_init(&fm);
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_nonnull(fm.err[FM_NAME]);
	ck_assert_str_eq(fm.err[FM_NAME], "Enter a name for the segment.");
	ck_assert_ptr_nonnull(fm.err[FM_DB]);
	fm_set_text(&fm, FM_DB, "demo");
	fm.limit_on = 1;
	fm_set_text(&fm, FM_LIMIT, "0");
	fm_set_text(&fm, FM_NAME, "   ");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_nonnull(fm.err[FM_NAME]);
	ck_assert_ptr_nonnull(fm.err[FM_LIMIT]);
	ck_assert_ptr_null(fm.err[FM_DB]);
	fm_set_text(&fm, FM_NAME, "Named");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_null(fm.err[FM_NAME]);
	fm_free(&fm);
}
END_TEST

START_TEST(test_script)
{
	struct form_model fm;
	int		 l = 0, c = 0;

	fm_init(&fm);
	fm.script = strdup("country = \"RU\"\n  and orders between 1 and");
	ck_assert_int_eq(fm_script_apply(&fm), -1);
	ck_assert_ptr_nonnull(fm.err[FM_COND]);
	ck_assert_int_eq(fm.err_line, 2);
	ck_assert_int_gt(fm.err_col, 0);
	free(fm.script);
	fm.script = strdup("country = \"RU\" or orders > 3");
	ck_assert_int_eq(fm_script_apply(&fm), 0);
	ck_assert_ptr_null(fm.err[FM_COND]);
	ck_assert_int_eq(fm.cond->kind, CK_OR);
	ck_assert_int_eq(fm_cause_position("line 3, column 7: x", &l, &c), 0);
	ck_assert_int_eq(l, 3);
	ck_assert_int_eq(c, 7);
	fm_free(&fm);
}
END_TEST

/* Comments stay: tree <-> script, and saved as the where_text. */
START_TEST(test_script_comments)
{
	const char	*text = "# the best ones\ncountry = \"RU\"  # only RU\n"
			    "  and orders >= 3";
	struct form_model fm, fm2;
	struct segment	*s;

	fm_init(&fm);
	fm_set_text(&fm, FM_NAME, "Commented");
	fm_set_text(&fm, FM_DB, "demo");
	fm.script = strdup(text);
	ck_assert_int_eq(fm_script_apply(&fm), 0);
	/* Back to the script, the tree unchanged: the text as written. */
	fm_script_from_tree(&fm);
	ck_assert_str_eq(fm.script, text);
	fm.script_mode = 1;
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), 0);
	ck_assert_str_eq(s->where_text, text);
	/* Opened again from the saved segment: still there. */
	fm_init(&fm2);
	fm_from_segment(&fm2, s);
	fm_script_from_tree(&fm2);
	ck_assert_str_eq(fm2.script, text);
	/* A change in the tree: the text no longer says it, printed. */
	fm_tree_add(fm2.cond, 0, pred("orders", CO_LE, "9"));
	fm_script_from_tree(&fm2);
	ck_assert_str_eq(fm2.script, "country = \"RU\" and orders >= 3 and "
	    "orders <= 9");
	seg_free(s);
	fm_free(&fm);
	fm_free(&fm2);
}
END_TEST

START_TEST(test_round_trip)
{
	struct form_model fm, fm2;
	struct segment	*s, *s2;
	char		*t;

	fm_init(&fm);
	fm_set_text(&fm, FM_NAME, " Buyers ");
	fm_set_text(&fm, FM_DB, "demo");
	fm_tree_add(fm.cond, 0, pred("country", CO_IN, "RU, KZ"));
	fm_tree_add(fm.cond, 1, pred("orders", CO_GE, "18"));
	fm_set_text(&fm, FM_RANGE_LO, "12.5");
	fm_set_text(&fm, FM_RANGE_HI, "80.25");
	fm.limit_on = 1;
	fm_set_text(&fm, FM_LIMIT, "500");
	fm.sched_on = 1;
	fm.freq = SCHED_MONTHLY;
	fm_set_text(&fm, FM_MONTHDAYS, "1, 15, last");
	fm_set_text(&fm, FM_TIME, "08:00");
	fm_set_text(&fm, FM_TZ, "Europe/Berlin");
	fm_set_text(&fm, FM_UNTIL, "2027-01-31");
	fm_set_text(&fm, FM_TAGS, "vip, newsletter,");
	fm_set_text(&fm, FM_GROUPS, "marketing");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), 0);
	ck_assert_str_eq(s->name, "Buyers");
	ck_assert_uint_eq(s->range_lo, 1250);
	ck_assert_uint_eq(s->range_hi, 8025);
	ck_assert_int_eq(s->limit, 500);
	ck_assert_uint_eq(s->ntags, 2);
	ck_assert_str_eq(s->tags[1], "newsletter");
	t = sched_format(&s->sched);
	ck_assert_str_eq(t, "monthly on 1,15,last at 08:00 Europe/Berlin "
	    "until 2027-01-31");
	free(t);
	check_print(s->cond, "country in (\"RU\", \"KZ\") and orders >= 18");
	fm_init(&fm2);
	fm_from_segment(&fm2, s);
	ck_assert_str_eq(fm_text(&fm2, FM_RANGE_LO), "12.5");
	ck_assert_str_eq(fm_text(&fm2, FM_RANGE_HI), "80.25");
	ck_assert_str_eq(fm_text(&fm2, FM_MONTHDAYS), "1,15,last");
	ck_assert_str_eq(fm_text(&fm2, FM_TAGS), "vip, newsletter");
	ck_assert_int_eq(fm_to_segment(&fm2, NULL, NOW, &s2), 0);
	ck_assert(cond_equal(s->cond, s2->cond));
	ck_assert_int_eq(memcmp(&s->sched, &s2->sched, sizeof s->sched), 0);
	ck_assert_int_eq(s2->limit, 500);
	seg_free(s);
	seg_free(s2);
	fm_free(&fm);
	fm_free(&fm2);
}
END_TEST

/* A filter of a where, built by the predicate editor over the events. */
static struct cond *
filter(const char *field, enum cond_op op, const char *values)
{
	struct pdb_schema *es = fm_event_schema(&form_schema);
	struct cond	*c = NULL;
	char		*cause = NULL;

	ck_assert_msg(fm_pred_build(es, field, CF_NONE, op, values, &c,
	    &cause) == 0, "%s", cause != NULL ? cause : "");
	schema_free(es);
	return c;
}

/* The node of the editor's choices, printed. */
static void
check_event(const struct fm_event *ev, const char *want)
{
	struct fm_event	 back;
	struct cond	*c = NULL, *c2 = NULL;
	char		*cause = NULL;

	ck_assert_msg(fm_event_build(&form_schema, ev, &c, &cause) == 0, "%s",
	    cause != NULL ? cause : "");
	check_print(c, want);
	/* Opened again in the editor, it builds the same node. */
	fm_event_init(&back);
	fm_event_from_cond(&back, c);
	ck_assert_int_eq(fm_event_build(&form_schema, &back, &c2, &cause), 0);
	ck_assert(cond_equal(c, c2));
	check_print(c2, want);
	fm_event_free(&back);
	cond_free(c);
	cond_free(c2);
}

static void
check_event_fails(const struct fm_event *ev, const char *want)
{
	struct cond	*c = NULL;
	char		*cause = NULL;

	ck_assert_int_eq(fm_event_build(&form_schema, ev, &c, &cause), -1);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(cause, want);
	free(cause);
}

static void
ev_set(struct fm_event *ev, enum cond_evtest t, const char *name,
    const char *prop, int counted, enum cond_op op, const char *values,
    enum cond_window_kind w, const char *wvalues)
{
	fm_event_free(ev);
	ev->test = t;
	ev->event = strdup(name);
	ev->prop = prop != NULL ? strdup(prop) : NULL;
	ev->counted = counted;
	ev->op = op;
	ev->values = values != NULL ? strdup(values) : NULL;
	ev->window = w;
	ev->wvalues = wvalues != NULL ? strdup(wvalues) : NULL;
}

START_TEST(test_event_build)
{
	struct fm_event	 ev;
	struct pdb_schema *es;
	enum cond_op	 ops[CO_COUNT];

	fm_event_init(&ev);
	ev_set(&ev, CE_DID, "purchase", NULL, 0, CO_GE, NULL, CW_NONE, NULL);
	check_event(&ev, "did \"purchase\"");
	ev_set(&ev, CE_DID, " purchase ", NULL, 1, CO_GE, "3", CW_LAST_DAYS,
	    "30");
	check_event(&ev, "did \"purchase\" at least 3 times within last 30 "
	    "days");
	ev_set(&ev, CE_DID, "email_open", NULL, 1, CO_BETWEEN, "2 and 5",
	    CW_BETWEEN, "2026-01-01, 2026-03-31");
	check_event(&ev, "did \"email_open\" between 2 and 5 times between "
	    "2026-01-01 and 2026-03-31");
	ev_set(&ev, CE_DID, "login", NULL, 1, CO_EQ, "0", CW_LAST_HOURS, "48");
	check_event(&ev, "did \"login\" exactly 0 times within last 48 hours");
	ev_set(&ev, CE_DID, "purchase", NULL, 1, CO_LE, "1", CW_SINCE,
	    "2026-06-01");
	check_event(&ev, "did \"purchase\" at most 1 time since 2026-06-01");
	ev_set(&ev, CE_COUNT, "email_click", NULL, 1, CO_LT, "2", CW_BEFORE,
	    "2026-11-01");
	check_event(&ev, "count of \"email_click\" < 2 before 2026-11-01");
	ev_set(&ev, CE_SUM, "purchase", "amount", 1, CO_GE, "500",
	    CW_LAST_DAYS, "365");
	check_event(&ev, "sum(amount) of \"purchase\" >= 500 within last 365 "
	    "days");
	ev_set(&ev, CE_AVG, "purchase", "qty", 1, CO_BETWEEN, "1.5, 2",
	    CW_NONE, NULL);
	check_event(&ev, "avg(qty) of \"purchase\" between 1.5 and 2");
	ev_set(&ev, CE_LAST, "login", NULL, 1, CO_MORE_THAN_DAYS_AGO, "14",
	    CW_LAST_DAYS, "7");
	/* first and last take a time test; a window chosen before is left. */
	check_event(&ev, "last \"login\" more than 14 days ago");
	ev_set(&ev, CE_FIRST, "purchase", NULL, 1, CO_BETWEEN,
	    "2026-01-01 and 2026-01-31", CW_NONE, NULL);
	check_event(&ev, "first \"purchase\" between 2026-01-01 and "
	    "2026-01-31");
	ev_set(&ev, CE_LAST, "login", NULL, 1, CO_MORE_THAN_HOURS_AGO, "6",
	    CW_NONE, NULL);
	check_event(&ev, "last \"login\" more than 6 hours ago");

	/* Filters: the predicate editor over the properties and `time`. */
	ev_set(&ev, CE_DID, "purchase", NULL, 0, CO_GE, NULL, CW_NONE, NULL);
	fm_where_add(&ev.where, filter("amount", CO_GT, "100"));
	check_event(&ev, "did \"purchase\" where (amount > 100)");
	fm_where_add(&ev.where, filter("sku", CO_STARTS_WITH, "TV"));
	fm_where_add(&ev.where, filter("time", CO_WITHIN_LAST_DAYS, "7"));
	check_event(&ev, "did \"purchase\" where (amount > 100 and sku starts "
	    "with \"TV\" and time within last 7 days)");
	fm_where_replace(&ev.where, 0, filter("amount", CO_BETWEEN,
	    "10 and 20.5"));
	fm_where_remove(&ev.where, 1);
	check_event(&ev, "did \"purchase\" where (amount between 10 and 20.5 "
	    "and time within last 7 days)");
	fm_where_remove(&ev.where, 0);
	ck_assert_int_eq(ev.where->kind, CK_PRED);
	check_event(&ev, "did \"purchase\" where (time within last 7 days)");
	fm_where_remove(&ev.where, 0);
	ck_assert_ptr_null(ev.where);
	es = fm_event_schema(&form_schema);
	ck_assert_int_eq(es->nfields, 5);
	ck_assert_str_eq(es->fields[4].name, "time");
	ck_assert_int_eq(es->fields[4].type, FT_DATETIME);
	schema_free(es);

	/* What each test offers after it. */
	ck_assert_uint_eq(fm_event_ops(CE_DID, ops), 4);
	ck_assert_int_eq(ops[3], CO_BETWEEN);
	ck_assert_uint_eq(fm_event_ops(CE_LAST, ops), 8);
	ck_assert_int_eq(ops[3], CO_MORE_THAN_HOURS_AGO);
	ck_assert_uint_eq(fm_event_ops(CE_MAX, ops), 7);
	ck_assert_str_eq(fm_event_value_hint(CE_DID, CO_GE),
	    "how many times, a whole number");
	ck_assert_str_eq(fm_window_hint(CW_BETWEEN),
	    "two dates: from, to (YYYY-MM-DD)");
	ck_assert_ptr_null(fm_window_hint(CW_NONE));

	/* Validation messages. */
	ev_set(&ev, CE_DID, "  ", NULL, 0, CO_GE, NULL, CW_NONE, NULL);
	check_event_fails(&ev, "Choose or type the event's name.");
	ev_set(&ev, CE_DID, "purchase", NULL, 1, CO_GE, "", CW_NONE, NULL);
	check_event_fails(&ev, "One value is needed.");
	ev_set(&ev, CE_DID, "purchase", NULL, 1, CO_BETWEEN, "3", CW_NONE,
	    NULL);
	check_event_fails(&ev, "Two values are needed: from, to.");
	ev_set(&ev, CE_COUNT, "purchase", NULL, 1, CO_GT, "three", CW_NONE,
	    NULL);
	check_event_fails(&ev, "expected an integer, found 'three'");
	ev_set(&ev, CE_DID, "purchase", NULL, 0, CO_GE, NULL, CW_SINCE,
	    "2026-02-30");
	check_event_fails(&ev, "expected a date YYYY-MM-DD, found "
	    "'2026-02-30'");
	ev_set(&ev, CE_SUM, "purchase", "sku", 1, CO_GT, "1", CW_NONE, NULL);
	check_event_fails(&ev, "sum() takes an int or float property, but "
	    "'sku' is of type string");
	ev_set(&ev, CE_DID, "purchase", NULL, 0, CO_GE, NULL, CW_BETWEEN,
	    "2026-03-31 and 2026-01-01");
	check_event_fails(&ev, "'between' needs the earlier date first, found "
	    "2026-03-31 and 2026-01-01");
	fm_event_free(&ev);
}
END_TEST

/*
 * Event conditions from a script into the form, each reopened in the
 * editor unchanged, then saved and loaded back: the same script.  A where
 * with an or is not the form's to edit, and is kept whole.
 */
START_TEST(test_event_round_trip)
{
	static const char script[] = "did \"purchase\" at least 3 times "
	    "within last 30 days and not did \"email_open\" where (mailing = "
	    "\"Black Friday\" or mailing = \"Cyber Monday\") and last "
	    "\"login\" more than 14 days ago and (sum(amount) of \"purchase\" "
	    ">= 500 within last 365 days or country = \"RU\")";
	struct form_model fm, fm2;
	struct fm_event	 ev;
	struct segment	*s, *s2;
	struct fm_row	*rows;
	struct cond	*node, *c, **f;
	cJSON		*j;
	char		*cause = NULL, *t;
	size_t		 n, i, nev = 0;

	fm_init(&fm);
	fm_set_text(&fm, FM_NAME, "Buyers");
	fm_set_text(&fm, FM_DB, "demo");
	fm.script = strdup(script);
	ck_assert_int_eq(fm_script_apply(&fm), 0);
	n = fm_tree_rows(fm.cond, &rows);
	ck_assert_uint_eq(n, 7);
	fm_event_init(&ev);
	for (i = 1; i < n; i++) {
		node = rows[i].node;
		if (node->kind == CK_NOT)
			node = node->kids[0];
		if (node->kind != CK_EVENT)
			continue;
		nev++;
		fm_event_from_cond(&ev, node);
		ck_assert_msg(fm_event_build(&form_schema, &ev, &c, &cause) ==
		    0, "%s", cause != NULL ? cause : "");
		ck_assert(cond_equal(c, node));
		cond_free(c);
		fm_event_free(&ev);
	}
	ck_assert_uint_eq(nev, 4);
	/* The or in the where: kept whole, not offered as filters. */
	c = rows[2].node->kids[0];
	ck_assert_int_eq(fm_where_filters(&c->where, &f), -1);
	t = fm_row_text(rows[3].node);
	ck_assert_str_eq(t, "last \"login\" more than 14 days ago");
	free(t);
	free(rows);

	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), 0);
	check_print(s->cond, script);
	/* Through the stored JSON and back into a form. */
	j = cond_to_json(s->cond);
	c = cond_from_json(j, &cause);
	cJSON_Delete(j);
	ck_assert_ptr_nonnull(c);
	ck_assert(cond_equal(c, s->cond));
	cond_free(s->cond);
	s->cond = c;
	fm_init(&fm2);
	fm_from_segment(&fm2, s);
	fm_script_from_tree(&fm2);
	ck_assert_str_eq(fm2.script, script);
	ck_assert_int_eq(fm_to_segment(&fm2, NULL, NOW, &s2), 0);
	ck_assert(cond_equal(s->cond, s2->cond));
	seg_free(s);
	seg_free(s2);
	fm_free(&fm);
	fm_free(&fm2);
}
END_TEST

/*
 * A segment past its `until` keeps an editable form while its schedule is
 * unchanged; a new form with the same schedule is refused on the field.
 */
START_TEST(test_ended_schedule_editable)
{
	struct form_model fm, fm2;
	struct segment	*s, *s2;
	int64_t		 later;

	fm_init(&fm);
	fm_set_text(&fm, FM_NAME, "Ends");
	fm_set_text(&fm, FM_DB, "demo");
	fm.sched_on = 1;
	fm.freq = SCHED_DAILY;
	fm_set_text(&fm, FM_TIME, "08:00");
	fm_set_text(&fm, FM_TZ, "UTC");
	fm_set_text(&fm, FM_UNTIL, "2027-01-31");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), 0);
	ck_assert_int_eq(tu_parse_datetime("2027-03-01T00:00:00Z", 20, 1,
	    &later), 0);
	fm_init(&fm2);
	fm_from_segment(&fm2, s);
	fm_set_text(&fm2, FM_TAGS, "archived");
	ck_assert_int_eq(fm_to_segment(&fm2, NULL, later, &s2), 0);
	ck_assert_str_eq(s2->tags[0], "archived");
	seg_free(s2);
	fm_free(&fm2);
	/* The same schedule typed anew, after its end: refused. */
	ck_assert_int_eq(fm_to_segment(&fm, NULL, later, &s2), -1);
	ck_assert_ptr_nonnull(fm.err[FM_UNTIL]);
	seg_free(s);
	fm_free(&fm);
}
END_TEST

/* A date before 1970 is refused on the until field, not dropped. */
START_TEST(test_until_out_of_range)
{
	struct form_model fm;
	struct segment	*s;

	fm_init(&fm);
	fm_set_text(&fm, FM_NAME, "Old");
	fm_set_text(&fm, FM_DB, "demo");
	fm.sched_on = 1;
	fm.freq = SCHED_DAILY;
	fm_set_text(&fm, FM_TIME, "08:00");
	fm_set_text(&fm, FM_TZ, "UTC");
	fm_set_text(&fm, FM_UNTIL, "1969-12-31");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_nonnull(fm.err[FM_UNTIL]);
	ck_assert_str_eq(fm.err[FM_UNTIL], "the until date 1969-12-31 is out "
	    "of range (1970-01-01 to 9999-12-31)");
	fm_free(&fm);
}
END_TEST

/* A run once with no date yet: asked for, not "invalid once date 'at'". */
START_TEST(test_once_without_date)
{
	struct form_model fm;
	struct segment	*s;

	fm_init(&fm);
	fm_set_text(&fm, FM_NAME, "Once");
	fm_set_text(&fm, FM_DB, "demo");
	fm.sched_on = 1;
	fm.freq = SCHED_ONCE;
	fm_set_text(&fm, FM_TIME, "09:00");
	fm_set_text(&fm, FM_TZ, "UTC");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), -1);
	ck_assert_ptr_nonnull(fm.err[FM_ONCE]);
	ck_assert_str_eq(fm.err[FM_ONCE],
	    "Type the date of the run (YYYY-MM-DD).");
	fm_set_text(&fm, FM_ONCE, "2026-12-24");
	ck_assert_int_eq(fm_to_segment(&fm, NULL, NOW, &s), 0);
	ck_assert_int_eq(s->sched.freq, SCHED_ONCE);
	seg_free(s);
	fm_free(&fm);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("form");
	TCase	*tc = tcase_create("model");

	tcase_add_test(tc, test_pred_build);
	tcase_add_test(tc, test_until_out_of_range);
	tcase_add_test(tc, test_tree_ops);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_name_first);
	tcase_add_test(tc, test_script);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_script_comments);
	tcase_add_test(tc, test_event_build);
	tcase_add_test(tc, test_event_round_trip);
	tcase_add_test(tc, test_ended_schedule_editable);
	tcase_add_test(tc, test_once_without_date);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
