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

static struct pdb_schema form_schema = {
	"demo", 1, form_fields, 7, 0, 0, 0, NULL, 0
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

int
main(void)
{
	Suite	*s = suite_create("form");
	TCase	*tc = tcase_create("model");

	tcase_add_test(tc, test_pred_build);
	tcase_add_test(tc, test_tree_ops);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_name_first);
	tcase_add_test(tc, test_script);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_ended_schedule_editable);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
