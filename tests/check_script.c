/* The script language: round trips, canonical printing, exact errors. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "testlib.h"
#include "util.h"

/*
 * Every construct of the script language (doc/conditions.md), each
 * already in canonical form.
 */
static const char *canonical[] = {
	"",
	"x = 1",
	"x != -3",
	"x < 2.5",
	"x <= -0.25",
	"x > 3.0",
	"x >= 1e+300",
	"x = \"a \\\"quoted\\\" \\\\ word\"",
	"x = \"Пётр\"",
	"x = true",
	"x != false",
	"d = 2026-01-31",
	"t >= 2026-03-08T07:30:00Z",
	"age(birth_date) between 25 and 40",
	"x between 2026-01-01 and 2026-12-31",
	"country in (\"RU\", \"KZ\", \"BY\")",
	"n not in (1, 2.5, true, 2026-01-01)",
	"email contains \"@example\"",
	"email not contains \"spam\"",
	"name starts with \"An\"",
	"name ends with \"ov\"",
	"phone is empty",
	"phone is not empty",
	"subscribed is true",
	"subscribed is false",
	"tags has \"vip\"",
	"tags has any (\"a\", \"b\")",
	"tags has all (\"a\")",
	"tags has none (\"x\", \"y\")",
	"seen within last 30 days",
	"seen within last 6 hours",
	"renewal within next 7 days",
	"seen more than 90 days ago",
	"d before 2026-01-01",
	"d after 2026-01-01",
	"d on 2026-01-01",
	"days_since(seen) <= 3",
	"days_until(renewal) >= 1",
	"length(tags) > 2",
	"lower(city) = \"moscow\"",
	"in segment \"Churned\"",
	"not in segment \"Churned \\\"old\\\"\"",
	"not x = 1",
	"not not x = 1",
	"email in query \"VIP\"",
	"email not in query \"VIP \\\"old\\\"\"",
	"not n in query \"Q\" and query in query \"query\"",
	"not (a = 1 and b = 2)",
	"not (a = 1 or b = 2)",
	"a = 1 and b = 2 and c = 3",
	"a = 1 or b = 2 or c = 3",
	"(a = 1 and b = 2) or c = 3",
	"a = 1 and (b = 2 or c = 3)",
	"(a = 1 and b = 2) and c = 3",
	"(a = 1 or b = 2) or c = 3",
	"a = 1 or (b = 2 or c = 3)",
	"`first name` = \"Ann\"",
	"`and` = 1",
	"`age` > 30",
	"`weird\\`name\\\\` = 1",
	"`2nd` = 1",
	"`e-mail` is empty",
	"поле = 1",
	"age(`birth date`) >= 18",
	"x = 9223372036854775807",
	"x = -9223372036854775808",
	"x = 0.1",
	"x = -0.0",
	"x = 4.94065645841247e-324",
	"x = 2.2250738585072e-308",
	"(country in (\"RU\", \"KZ\", \"BY\") and age(birth_date) between 25 "
	    "and 40) or (orders_count >= 3 and last_purchase_at within last 30 "
	    "days)",
	"subscribed_email is true and tags has \"vip\" and not in segment "
	    "\"Churned\"",
	/* Event tests (doc/conditions.md, "Events"). */
	"did \"purchase\"",
	"did \"purchase\" at least 3 times",
	"did \"purchase\" at least 1 time",
	"did \"purchase\" at most 0 times",
	"did \"purchase\" exactly 2 times",
	"did \"purchase\" between 2 and 5 times",
	"did \"purchase\" between 0 and 1 time",
	"did \"purchase\" within last 30 days",
	"did \"login\" within last 12 hours",
	"did \"purchase\" between 2026-01-01 and 2026-01-31",
	"did \"purchase\" since 2026-01-01",
	"did \"purchase\" before 2026-01-01",
	"did \"purchase\" at least 3 times within last 30 days",
	"did \"purchase\" between 1 and 2 times between 2026-01-01 and "
	    "2026-02-01",
	"did \"purchase\" where (amount > 100 and sku starts with \"TV\")",
	"did \"purchase\" where (amount > 100) exactly 0 times since "
	    "2026-03-01",
	"did \"e\" where ((a = 1 or b = 2) and not c is empty)",
	"did \"e\" where (time within last 3 hours or time before "
	    "2026-01-01)",
	"did \"e\" where (days_since(time) > 3 and count = 1)",
	"did \"email \\\"open\\\"\"",
	"first \"purchase\" within last 30 days",
	"first \"purchase\" within last 2 hours",
	"last \"login\" more than 14 days ago",
	"last \"login\" more than 6 hours ago",
	"last \"login\" before 2026-01-01",
	"first \"signup\" after 2025-12-31",
	"last \"login\" on 2026-02-28",
	"first \"purchase\" between 2026-01-01 and 2026-06-30",
	"last \"purchase\" where (amount >= 10.5) within last 7 days",
	"count of \"purchase\" = 0",
	"count of \"purchase\" != 2",
	"count of \"purchase\" < 3 within last 30 days",
	"count of \"purchase\" <= -1",
	"count of \"purchase\" > 10 since 2026-01-01",
	"count of \"purchase\" >= 3 before 2026-01-01",
	"count of \"purchase\" between 2 and 4 between 2026-01-01 and "
	    "2026-12-31",
	"count of \"open\" where (mailing = \"BF\") >= 1 within last 48 "
	    "hours",
	"sum(amount) of \"purchase\" >= 500 within last 365 days",
	"sum(amount) of \"purchase\" > 99.5",
	"avg(amount) of \"purchase\" between 10 and 20.5",
	"min(qty) of \"purchase\" = 1",
	"max(amount) of \"purchase\" where (sku in (\"a\", \"b\")) < "
	    "1000000.0 since 2026-01-01",
	"sum(`first name`) of \"x\" = 1",
	"sum(`and`) of \"x\" = 1",
	"sum(time) of \"x\" = 1.0",
	"not did \"email_open\" within last 90 days",
	"not not did \"x\"",
	"did \"email_open\" where (mailing = \"Black Friday\") and not did "
	    "\"email_click\" where (mailing = \"Black Friday\")",
	"did \"a\" or did \"b\" or last \"c\" on 2026-01-01",
	"(did \"a\" and x = 1) or (count of \"b\" = 2 and in segment "
	    "\"S\")",
	"not (did \"a\" or first \"b\" before 2026-01-01)",
	"x = 1 and (did \"a\" or y = 2)",
	/* Fields named like the words of event tests stay fields. */
	"count = 1",
	"first = \"Ann\" and did != 3",
	"did is empty and times > 2 and where = 1 and since = 2",
	"sum = 1 and avg between 1 and 2 and min in (1) and max is not empty",
	"of = 1 and at = 2 and least = 3 and exactly = 4 and time > 5",
	"`last` = 1",
	"length(count) > 1",
	"days_since(first) <= 3",
};

static struct cond *
parse_ok(const char *s)
{
	char *cause = NULL;
	struct cond *c;

	c = cond_parse(s, &cause);
	if (c == NULL)
		ck_abort_msg("parse of '%s' failed: %s", s, cause);
	ck_assert_ptr_null(cause);
	return c;
}

START_TEST(round_trip)
{
	const char *s = canonical[_i];
	struct cond *c, *c2, *c3;
	char *printed, *printed2, *cause = NULL;
	cJSON *j;

	c = parse_ok(s);
	printed = cond_print(c);
	ck_assert_str_eq(printed, s);
	c2 = parse_ok(printed);
	ck_assert(cond_equal(c, c2));
	printed2 = cond_print(c2);
	ck_assert_str_eq(printed2, printed);

	j = cond_to_json(c);
	c3 = cond_from_json(j, &cause);
	ck_assert_ptr_null(cause);
	ck_assert_ptr_nonnull(c3);
	ck_assert(cond_equal(c, c3));
	cJSON_Delete(j);
	cond_free(c3);

	c3 = cond_clone(c);
	ck_assert(cond_equal(c, c3));
	cond_free(c3);
	free(printed);
	free(printed2);
	cond_free(c);
	cond_free(c2);
}
END_TEST

/*
 * Names that look like dates, numbers, keywords or functions, or hold
 * quotes, back-quotes, brackets, blanks and newlines: a tree that names
 * them prints as a script that parses back to the same tree, and its
 * JSON reads back the same.
 */
static const char *odd_names[] = {
	"2026-01-01", "2026-01-01T10:00:00Z", "1e5", "-3", "0x10", "3.0",
	"and", "or", "not", "in", "segment", "in segment", "is", "empty",
	"true", "did", "count", "count of", "sum", "age", "lower", "days",
	"a]b", "]", "[x]", "a`b", "`", "``", "\\", "a\\`", "a\"b", "\"",
	"x y", " lead", "trail ", "a\nb", "#not a comment", "a,b", "(", ")",
	"a=b", "na\xc3\xafve", "\xd1\x82\xd0\xb5\xd1\x81\xd1\x82", "_",
	"x-y", "x.y",
};

static void
names_check(struct cond *c, const char *name)
{
	struct cond *c2, *c3;
	char *printed, *cause = NULL;
	cJSON *j;

	printed = cond_print(c);
	c2 = cond_parse(printed, &cause);
	ck_assert_msg(c2 != NULL, "'%s' printed as %s: %s", name, printed,
	    cause);
	ck_assert_msg(cond_equal(c, c2), "'%s' printed as %s reads back "
	    "otherwise", name, printed);
	j = cond_to_json(c);
	c3 = cond_from_json(j, &cause);
	ck_assert_msg(c3 != NULL, "'%s': %s", name, cause);
	ck_assert(cond_equal(c, c3));
	cJSON_Delete(j);
	cond_free(c3);
	cond_free(c2);
	free(printed);
}

START_TEST(names_round_trip)
{
	const char *name = odd_names[_i];
	struct cond_value v = { .kind = CV_STRING, .s = (char *)name };
	struct cond *c, *g;

	c = cond_new(CK_IN_SEGMENT);
	c->segment = xstrdup(name);
	names_check(c, name);
	g = cond_new(CK_NOT);
	cond_add_kid(g, c);
	names_check(g, name);
	cond_free(g);

	c = cond_new_pred(name, CF_NONE, CO_EQ);
	cond_add_value(c, &v);
	names_check(c, name);
	cond_free(c);
	c = cond_new_pred(name, CF_LENGTH, CO_IS_EMPTY);
	names_check(c, name);
	cond_free(c);

	c = cond_new(CK_EVENT);
	c->evtest = CE_SUM;
	c->event = xstrdup(name);
	c->field = xstrdup(name);
	c->op = CO_GT;
	v.kind = CV_INT;
	v.i = 3;
	cond_add_value(c, &v);
	names_check(c, name);
	cond_free(c);
}
END_TEST

/* Input and its canonical print: case, comments, blanks, parentheses. */
static const struct {
	const char *in, *out;
} normalised[] = {
	{ "X = 1 AND Y = 2 Or NOT z Is Not Empty",
	    "(X = 1 and Y = 2) or not z is not empty" },
	{ "# only a comment\n   \n# another", "" },
	{ "  \t\n", "" },
	{ "x=1 # trailing comment with \"quotes\" and (parens\nand y=2",
	    "x = 1 and y = 2" },
	{ "((x = 1))", "x = 1" },
	{ "(x = 1 and y = 2)", "x = 1 and y = 2" },
	{ "a = 1 and b = 2 or c = 3 and d = 4",
	    "(a = 1 and b = 2) or (c = 3 and d = 4)" },
	{ "AGE(Birth_Date) BETWEEN 25 AND 40", "age(Birth_Date) between 25 and 40" },
	{ "t HAS ANY (\"a\",\"b\")", "t has any (\"a\", \"b\")" },
	{ "s WITHIN LAST 3 HOURS", "s within last 3 hours" },
	{ "NOT IN SEGMENT \"x\"", "not in segment \"x\"" },
	{ "x = TRUE", "x = true" },
	{ "x = 1.50", "x = 1.5" },
	{ "x = 2E3", "x = 2000.0" },
	{ "x = 5e-324", "x = 4.94065645841247e-324" },
	{ "x = -5E-324", "x = -4.94065645841247e-324" },
	{ "x = 1e-400", "x = 0.0" },
	{ "t = 2026-03-08T02:30:00-05:00", "t = 2026-03-08T07:30:00Z" },
	{ "t = 2026-03-08t02:30+0530", "t = 2026-03-07T21:00:00Z" },
	{ "`x` = 1", "x = 1" },
	{ "x IS TRUE", "x is true" },
	{ "x=1", "x = 1" },
	{ "DID \"x\" AT LEAST 1 TIME WITHIN LAST 3 DAYS",
	    "did \"x\" at least 1 time within last 3 days" },
	{ "did \"x\" at least 1 times", "did \"x\" at least 1 time" },
	{ "did \"x\" between 2 and 1 time", "did \"x\" between 2 and 1 time" },
	{ "did \"x\" where ((a = 1))", "did \"x\" where (a = 1)" },
	{ "did\"x\"where(a=1 AND b=2)exactly 2 times since 2026-01-01",
	    "did \"x\" where (a = 1 and b = 2) exactly 2 times since "
	    "2026-01-01" },
	{ "did \"x\" where (a = 1 and b = 2 or c = 3)",
	    "did \"x\" where ((a = 1 and b = 2) or c = 3)" },
	{ "Last \"login\" More Than 14 Days Ago",
	    "last \"login\" more than 14 days ago" },
	{ "COUNT OF \"x\" >= 3", "count of \"x\" >= 3" },
	{ "SUM(amount) Of \"x\" > 1.50", "sum(amount) of \"x\" > 1.5" },
	{ "sum(`amount`) of \"x\" > 1", "sum(amount) of \"x\" > 1" },
	{ "(did \"a\")", "did \"a\"" },
	{ "did \"a\" and did \"b\" or did \"c\"",
	    "(did \"a\" and did \"b\") or did \"c\"" },
	{ "did \"x\" # a comment\n  within last 3 days",
	    "did \"x\" within last 3 days" },
};

START_TEST(normalises)
{
	struct cond *c;
	char *printed;

	c = parse_ok(normalised[_i].in);
	printed = cond_print(c);
	ck_assert_str_eq(printed, normalised[_i].out);
	free(printed);
	cond_free(c);
}
END_TEST

static const struct {
	const char *script, *error;
} malformed[] = {
	{ "and x = 1", "line 1, column 1: unexpected 'and'" },
	/* No more than the JSON form reads back. */
	{ "did \"e\" within last 1000000001 days", "line 1, column 21: "
	    "'within last' takes a number up to 1000000000, found "
	    "'1000000001'" },
	{ "count of \"e\" > 1 within last 1000000001 hours", "line 1, "
	    "column 30: 'within last' takes a number up to 1000000000, found "
	    "'1000000001'" },
	{ "x in query VIP", "line 1, column 12: expected a query name in "
	    "double quotes after 'in query', found 'VIP'" },
	{ "x not in query", "line 1, column 15: expected a query name in "
	    "double quotes after 'not in query', found end of script" },
	{ "lower(x) in query \"Q\"", "line 1, column 1: 'in query' tests a "
	    "field's own value, not lower(x)" },
	{ "x = 1 and", "line 1, column 10: expected a condition after 'and', "
	    "found end of script" },
	{ "x = 1 and\n  x between and 3", "line 2, column 13: expected a "
	    "value after 'between', found 'and'" },
	{ "x = \"abc", "line 1, column 5: unterminated string" },
	{ "x = 1 and\ny = \"abc\nz", "line 2, column 5: unterminated string" },
	{ "x = 1 y = 2", "line 1, column 7: expected 'and' or 'or', "
	    "found 'y'" },
	{ "(x = 1", "line 1, column 7: expected ')' for the '(' at line 1, "
	    "column 1, found end of script" },
	{ "x = 1)", "line 1, column 6: unexpected ')'" },
	{ "x", "line 1, column 2: expected an operator after 'x', found end "
	    "of script" },
	{ "age(b) like 3", "line 1, column 8: expected an operator after "
	    "'age(b)', found 'like'" },
	{ "x >", "line 1, column 4: expected a value after '>', found end of "
	    "script" },
	{ "x = 1 or or y = 2", "line 1, column 10: unexpected 'or'" },
	{ "x in 1", "line 1, column 6: expected '(' after 'in', found '1'" },
	{ "x in ()", "line 1, column 7: expected a value in the list of "
	    "'in', found ')'" },
	{ "x in (1 2)", "line 1, column 9: expected ',' or ')' in the list "
	    "of 'in', found '2'" },
	{ "x not in (1,", "line 1, column 13: expected a value in the list "
	    "of 'not in', found end of script" },
	{ "x not like \"a\"", "line 1, column 7: expected 'in' or 'contains' "
	    "after 'not', found 'like'" },
	{ "x contains 3", "line 1, column 12: expected a string in double "
	    "quotes after 'contains', found '3'" },
	{ "x starts \"a\"", "line 1, column 10: expected 'with' after "
	    "'starts', found \"a\"" },
	{ "x is maybe", "line 1, column 6: expected 'empty', 'not empty', "
	    "'true' or 'false' after 'is', found 'maybe'" },
	{ "x is not true", "line 1, column 10: expected 'empty' after "
	    "'is not', found 'true'" },
	{ "x has 3", "line 1, column 7: expected a string, 'any', 'all' or "
	    "'none' after 'has', found '3'" },
	{ "x has any \"a\"", "line 1, column 11: expected '(' after 'has "
	    "any', found \"a\"" },
	{ "x has all (\"a\", 2)", "line 1, column 17: expected a string in "
	    "double quotes in the list of 'has all', found '2'" },
	{ "x within 3 days", "line 1, column 10: expected 'last' or 'next' "
	    "after 'within', found '3'" },
	{ "x within last days", "line 1, column 15: expected a whole number "
	    "after 'within last', found 'days'" },
	{ "x within last -3 days", "line 1, column 15: expected a whole "
	    "number after 'within last', found '-3'" },
	{ "x within last 1.5 days", "line 1, column 15: expected a whole "
	    "number after 'within last', found '1.5'" },
	{ "x within last 3 weeks", "line 1, column 17: expected 'days' or "
	    "'hours' after 'within last 3', found 'weeks'" },
	{ "x within next 3 hours", "line 1, column 17: expected 'days' after "
	    "'within next 3', found 'hours'" },
	{ "x more 3 days ago", "line 1, column 8: expected 'than' after "
	    "'more', found '3'" },
	{ "x more than 3 days", "line 1, column 19: expected 'ago' after "
	    "'more than 3 days', found end of script" },
	{ "x more than 3 ago", "line 1, column 15: expected 'days' after "
	    "'more than 3', found 'ago'" },
	{ "x before \"2026-01-01\"", "line 1, column 10: expected a date "
	    "YYYY-MM-DD after 'before', found \"2026-01-01\"" },
	{ "x on 2026-01-01T00:00:00Z", "line 1, column 6: expected a date "
	    "YYYY-MM-DD after 'on', found '2026-01-01T00:00:00Z'" },
	{ "x on 2026-02-30", "line 1, column 6: invalid date '2026-02-30' "
	    "(expected YYYY-MM-DD)" },
	{ "x = 2026-1-5", "line 1, column 5: invalid date '2026-1-5' "
	    "(expected YYYY-MM-DD)" },
	{ "x = 2026-01-01T10:00", "line 1, column 5: invalid date-time "
	    "'2026-01-01T10:00' (expected YYYY-MM-DDTHH:MM[:SS] with Z or an "
	    "offset such as +03:00)" },
	{ "x = 12abc", "line 1, column 5: invalid number '12abc'" },
	{ "x = 1.", "line 1, column 5: invalid number '1.'" },
	{ "x = 99999999999999999999", "line 1, column 5: number "
	    "'99999999999999999999' is out of range" },
	{ "x = 1e999", "line 1, column 5: number '1e999' is out of range" },
	{ "x = -1.8e308", "line 1, column 5: number '-1.8e308' is out of "
	    "range" },
	{ "x = 1 & y = 2", "line 1, column 7: unexpected character '&'" },
	{ "x = @", "line 1, column 5: unexpected character '@'" },
	{ "\"Пётр\" = 1 ¤", "line 1, column 1: expected a field name, found "
	    "\"Пётр\"" },
	{ "x = \"Пётр\" ¤", "line 1, column 12: expected 'and' or 'or', "
	    "found '¤'" },
	{ "between = 3", "line 1, column 1: 'between' is a keyword; write "
	    "`between` for a field of that name" },
	{ "age(1) > 3", "line 1, column 5: expected a field name after "
	    "'age(', found '1'" },
	{ "age(x > 3", "line 1, column 7: expected ')' after the field name "
	    "of 'age(', found '>'" },
	{ "in \"Churned\"", "line 1, column 4: expected 'segment' after "
	    "'in', found \"Churned\"" },
	{ "in segment Churned", "line 1, column 12: expected a segment name "
	    "in double quotes after 'in segment', found 'Churned'" },
	{ "not", "line 1, column 4: expected a condition after 'not', found "
	    "end of script" },
	{ "()", "line 1, column 2: unexpected ')'" },
	{ "x = \"a\\q\"", "line 1, column 7: unknown escape in string; only "
	    "\\\" and \\\\ are allowed" },
	{ "x = ``", "line 1, column 5: empty field name" },
	{ "`x = 1", "line 1, column 1: unterminated field name" },
	{ "= 3", "line 1, column 1: unexpected '='" },
	{ "x == 3", "line 1, column 4: expected a value after '=', found "
	    "'='" },
	{ "x between 1 or 2", "line 1, column 13: expected 'and' after the "
	    "first value of 'between', found 'or'" },
	{ "x = - 3", "line 1, column 5: unexpected character '-'" },
	{ "x = 1 and\n\t# comment\n  (y = 2 or", "line 3, column 12: "
	    "expected a condition after 'or', found end of script" },
	{ "x = \"\xff\"", "line 1, column 6: invalid UTF-8" },
	{ "x = 1 and\n  `y\xc3(` = 2", "line 2, column 5: invalid UTF-8" },
	{ "x = 1 or in segment \"\xed\xa0\x80\"",
	    "line 1, column 22: invalid UTF-8" },
	/* The JSON form has no empty segment name either. */
	{ "not in segment \"\"", "line 1, column 16: the segment name is "
	    "empty" },
	{ "x = \"a very long string that goes on and on and on\" y",
	    "line 1, column 53: expected 'and' or 'or', found 'y'" },
	{ "x = 1 \"a very long string that goes on and on and on\"",
	    "line 1, column 7: expected 'and' or 'or', found \"a very long "
	    "string that goes on and ..." },
	/* Event tests. */
	{ "did",
	    "line 1, column 4: expected an event name in double quotes "
	    "after 'did', found end of script" },
	{ "did purchase",
	    "line 1, column 5: expected an event name in double quotes "
	    "after 'did', found 'purchase'" },
	{ "x = 1 and\n  first",
	    "line 2, column 8: expected an event name in double quotes "
	    "after 'first', found end of script" },
	{ "did \"\"",
	    "line 1, column 5: an event name cannot be empty" },
	{ "did \"abc",
	    "line 1, column 5: unterminated string" },
	{ "did \"p\" at 3 times",
	    "line 1, column 12: expected 'least' or 'most' after 'at', "
	    "found '3'" },
	{ "did \"p\" at least times",
	    "line 1, column 18: expected a whole number after 'at "
	    "least', found 'times'" },
	{ "did \"p\" at least 3",
	    "line 1, column 19: expected 'times' after 'at least 3', "
	    "found end of script" },
	{ "did \"p\" at least 3 time",
	    "line 1, column 20: expected 'times' after 'at least 3', "
	    "found 'time'" },
	{ "did \"p\" at most 2.5 times",
	    "line 1, column 17: expected a whole number after 'at "
	    "most', found '2.5'" },
	{ "did \"p\" exactly -1 times",
	    "line 1, column 17: expected a whole number after "
	    "'exactly', found '-1'" },
	{ "did \"p\" between 1 3 times",
	    "line 1, column 19: expected 'and' after the first value of "
	    "'between', found '3'" },
	{ "did \"p\" between 1 and 3",
	    "line 1, column 24: expected 'times' after 'between 1 and "
	    "3', found end of script" },
	{ "did \"p\" between x and 3 times",
	    "line 1, column 17: expected a whole number or a date "
	    "YYYY-MM-DD after 'between', found 'x'" },
	{ "did \"p\" between 2026-01-01 2026-02-01",
	    "line 1, column 28: expected 'and' after the first value of "
	    "'between', found '2026-02-01'" },
	{ "did \"p\" between 2026-01-01 and 3",
	    "line 1, column 32: expected a date YYYY-MM-DD after 'and', "
	    "found '3'" },
	{ "did \"p\" within 3 days",
	    "line 1, column 16: expected 'last' after 'within', found "
	    "'3'" },
	{ "did \"p\" within last 3 weeks",
	    "line 1, column 23: expected 'days' or 'hours' after "
	    "'within last 3', found 'weeks'" },
	{ "did \"p\" within last -3 days",
	    "line 1, column 21: expected a whole number after 'within "
	    "last', found '-3'" },
	{ "did \"p\" since \"2026-01-01\"",
	    "line 1, column 15: expected a date YYYY-MM-DD after "
	    "'since', found \"2026-01-01\"" },
	{ "did \"p\" before 2026-01-01T00:00:00Z",
	    "line 1, column 16: expected a date YYYY-MM-DD after "
	    "'before', found '2026-01-01T00:00:00Z'" },
	{ "did \"p\" at least 3 times at least 4 times",
	    "line 1, column 26: expected 'and' or 'or', found 'at'" },
	{ "did \"p\" within last 3 days since 2026-01-01",
	    "line 1, column 28: expected 'and' or 'or', found 'since'" },
	{ "did \"p\" where amount > 1",
	    "line 1, column 15: expected '(' after 'where', found "
	    "'amount'" },
	{ "did \"p\" where (amount > 1",
	    "line 1, column 26: expected ')' for the '(' at line 1, "
	    "column 15, found end of script" },
	{ "did \"p\" where (\n  amount > 1 and",
	    "line 2, column 17: expected a condition after 'and', found "
	    "end of script" },
	{ "did \"p\" where ()",
	    "line 1, column 16: unexpected ')'" },
	{ "did \"p\" where (amount like 1)",
	    "line 1, column 23: expected an operator after 'amount', "
	    "found 'like'" },
	{ "did \"p\" where (did \"x\")",
	    "line 1, column 16: 'did' cannot be used inside 'where': it "
	    "tests the profile's events, 'where' tests one event" },
	{ "did \"p\" where (x = 1 or not count of \"x\" > 1)",
	    "line 1, column 29: 'count' cannot be used inside 'where': "
	    "it tests the profile's events, 'where' tests one event" },
	{ "did \"p\" where (sum(a) of \"x\" > 1)",
	    "line 1, column 16: 'sum' cannot be used inside 'where': it "
	    "tests the profile's events, 'where' tests one event" },
	{ "did \"p\" where (first)",
	    "line 1, column 21: expected an operator after 'first', "
	    "found ')'" },
	{ "first \"x\"",
	    "line 1, column 10: expected a time test (within last, more "
	    "than, before, after, on or between) after 'first \"x\"', "
	    "found end of script" },
	{ "last \"x\" where (a = 1) = 3",
	    "line 1, column 24: expected a time test (within last, more "
	    "than, before, after, on or between) after 'last \"x\"', "
	    "found '='" },
	{ "first \"x\" since 2026-01-01",
	    "line 1, column 11: 'first' takes a time test, not a window" },
	{ "first \"x\" within last 3 days within last 5 days",
	    "line 1, column 30: 'first' takes a time test, not a window" },
	{ "last \"x\" before 2026-01-01 between 2026-01-01 and 2026-01-02",
	    "line 1, column 28: 'last' takes a time test, not a window" },
	{ "last \"x\" within next 3 days",
	    "line 1, column 17: expected 'last' after 'within', found "
	    "'next'" },
	{ "last \"x\" more than 3 ago",
	    "line 1, column 22: expected 'days' or 'hours' after 'more "
	    "than 3', found 'ago'" },
	{ "last \"x\" more than 3 days",
	    "line 1, column 26: expected 'ago' after 'more than 3 "
	    "days', found end of script" },
	{ "last \"x\" more 3 days ago",
	    "line 1, column 15: expected 'than' after 'more', found '3'" },
	{ "last \"x\" on 5",
	    "line 1, column 13: expected a date YYYY-MM-DD after 'on', "
	    "found '5'" },
	{ "count of x > 1",
	    "line 1, column 10: expected an event name in double quotes "
	    "after 'count of', found 'x'" },
	{ "count of \"x\"",
	    "line 1, column 13: expected a comparison (=, !=, <, <=, >, "
	    ">= or between) after 'count of \"x\"', found end of script" },
	{ "count of \"x\" at least 3 times",
	    "line 1, column 14: expected a comparison (=, !=, <, <=, >, "
	    ">= or between) after 'count of \"x\"', found 'at'" },
	{ "count of \"x\" > 1.5",
	    "line 1, column 16: expected a whole number after '>', "
	    "found '1.5'" },
	{ "count of \"x\" between 1 or 3",
	    "line 1, column 24: expected 'and' after the first value of "
	    "'between', found 'or'" },
	{ "count of \"x\" > 1 within last 3",
	    "line 1, column 31: expected 'days' or 'hours' after "
	    "'within last 3', found end of script" },
	{ "sum(amount) \"x\" > 1",
	    "line 1, column 13: expected 'of' after 'sum(amount)', "
	    "found \"x\"" },
	{ "sum(amount of \"x\" > 1",
	    "line 1, column 12: expected ')' after the property of "
	    "'sum(', found 'of'" },
	{ "avg() of \"x\" > 1",
	    "line 1, column 5: expected a property name after 'avg(', "
	    "found ')'" },
	{ "min(between) of \"x\" > 1",
	    "line 1, column 5: expected a property name after 'min(', "
	    "found 'between'" },
	{ "max(amount) of \"x\" > true",
	    "line 1, column 22: expected a number after '>', found "
	    "'true'" },
	{ "max(amount) of \"x\"",
	    "line 1, column 19: expected a comparison (=, !=, <, <=, >, "
	    ">= or between) after 'max(amount) of \"x\"', found end of "
	    "script" },
	{ "sum(amount) of \"x\" between 1 and",
	    "line 1, column 33: expected a number after 'and', found "
	    "end of script" },
	{ "did \"x\" foo",
	    "line 1, column 9: expected 'and' or 'or', found 'foo'" },
	{ "last = 3",
	    "line 1, column 1: 'last' is a keyword; write `last` for a "
	    "field of that name" },
	{ "did = ",
	    "line 1, column 7: expected a value after '=', found end of "
	    "script" },
	{ "count >",
	    "line 1, column 8: expected a value after '>', found end of "
	    "script" },
	{ "sum of \"x\" > 1",
	    "line 1, column 5: expected an operator after 'sum', found "
	    "'of'" },
};

START_TEST(errors)
{
	struct cond *c;
	char *cause = NULL;

	c = cond_parse(malformed[_i].script, &cause);
	ck_assert_msg(c == NULL, "'%s' parsed", malformed[_i].script);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, malformed[_i].error);
	free(cause);
}
END_TEST

START_TEST(positions)
{
	struct cond *c;

	c = parse_ok("# head\n  x = 1 and\n\tnot in segment \"S\" and "
	    "«ё» = 2 or (y is empty)");
	ck_assert_int_eq(c->kind, CK_OR);
	ck_assert_int_eq(c->line, 2);
	ck_assert_int_eq(c->column, 3);
	ck_assert_int_eq(c->kids[0]->kind, CK_AND);
	ck_assert_int_eq(c->kids[0]->kids[0]->line, 2);
	ck_assert_int_eq(c->kids[0]->kids[0]->column, 3);
	ck_assert_int_eq(c->kids[0]->kids[1]->kind, CK_NOT);
	ck_assert_int_eq(c->kids[0]->kids[1]->line, 3);
	ck_assert_int_eq(c->kids[0]->kids[1]->column, 2);
	ck_assert_int_eq(c->kids[0]->kids[1]->kids[0]->kind, CK_IN_SEGMENT);
	ck_assert_int_eq(c->kids[0]->kids[1]->kids[0]->column, 6);
	/* Columns count characters: the field starts after "not ... and ". */
	ck_assert_str_eq(c->kids[0]->kids[2]->field, "«ё»");
	ck_assert_int_eq(c->kids[0]->kids[2]->column, 25);
	ck_assert_int_eq(c->kids[1]->line, 3);
	ck_assert_int_eq(c->kids[1]->column, 37);
	cond_free(c);

	/* Event tests and their where trees keep their positions. */
	c = parse_ok("x = 1 or\n  not did \"ё\" where (a = 1 and\n"
	    "\t(b = 2 or c = 3)) and sum(s) of \"e\" > 1");
	ck_assert_int_eq(c->kids[1]->kind, CK_AND);
	ck_assert_int_eq(c->kids[1]->kids[0]->kind, CK_NOT);
	ck_assert_int_eq(c->kids[1]->kids[0]->line, 2);
	ck_assert_int_eq(c->kids[1]->kids[0]->column, 3);
	ck_assert_int_eq(c->kids[1]->kids[0]->kids[0]->kind, CK_EVENT);
	ck_assert_int_eq(c->kids[1]->kids[0]->kids[0]->line, 2);
	ck_assert_int_eq(c->kids[1]->kids[0]->kids[0]->column, 7);
	ck_assert_int_eq(c->kids[1]->kids[0]->kids[0]->where->kind, CK_AND);
	ck_assert_int_eq(c->kids[1]->kids[0]->kids[0]->where->kids[0]->line,
	    2);
	ck_assert_int_eq(
	    c->kids[1]->kids[0]->kids[0]->where->kids[0]->column, 22);
	ck_assert_int_eq(
	    c->kids[1]->kids[0]->kids[0]->where->kids[1]->kids[1]->line, 3);
	ck_assert_int_eq(
	    c->kids[1]->kids[0]->kids[0]->where->kids[1]->kids[1]->column, 12);
	ck_assert_int_eq(c->kids[1]->kids[1]->kind, CK_EVENT);
	ck_assert_int_eq(c->kids[1]->kids[1]->line, 3);
	ck_assert_int_eq(c->kids[1]->kids[1]->column, 24);
	cond_free(c);
}
END_TEST

START_TEST(tree_shape)
{
	struct cond *c, *c2;

	c = parse_ok("x not in (1, 2) and not x in (3) and not in segment "
	    "\"S\"");
	ck_assert_int_eq(c->kind, CK_AND);
	ck_assert_uint_eq(c->nkids, 3);
	ck_assert_int_eq(c->kids[0]->kind, CK_PRED);
	ck_assert_int_eq(c->kids[0]->op, CO_NOT_IN);
	ck_assert_uint_eq(c->kids[0]->nvalues, 2);
	ck_assert_int_eq(c->kids[1]->kind, CK_NOT);
	ck_assert_int_eq(c->kids[1]->kids[0]->op, CO_IN);
	ck_assert_int_eq(c->kids[2]->kind, CK_NOT);
	ck_assert_int_eq(c->kids[2]->kids[0]->kind, CK_IN_SEGMENT);
	ck_assert_str_eq(c->kids[2]->kids[0]->segment, "S");
	cond_free(c);

	/* not binds tighter than and, and tighter than or. */
	c = parse_ok("not a = 1 and b = 2 or c = 3");
	ck_assert_int_eq(c->kind, CK_OR);
	ck_assert_int_eq(c->kids[0]->kind, CK_AND);
	ck_assert_int_eq(c->kids[0]->kids[0]->kind, CK_NOT);
	cond_free(c);

	c = parse_ok("");
	ck_assert_int_eq(c->kind, CK_AND);
	ck_assert_uint_eq(c->nkids, 0);
	cond_free(c);

	/* Event tests: every member (cond.h). */
	c = parse_ok("did \"p\"");
	ck_assert_int_eq(c->kind, CK_EVENT);
	ck_assert_int_eq(c->evtest, CE_DID);
	ck_assert_str_eq(c->event, "p");
	ck_assert_ptr_null(c->field);
	ck_assert_ptr_null(c->where);
	ck_assert_int_eq(c->op, CO_GE);
	ck_assert_uint_eq(c->nvalues, 0);
	ck_assert_int_eq(c->window.kind, CW_NONE);
	ck_assert_int_eq(c->func, CF_NONE);
	cond_free(c);

	c = parse_ok("not did \"p\" where (a = 1) between 2 and 5 times "
	    "between 2026-01-02 and 2026-01-03 or x = 1");
	ck_assert_int_eq(c->kind, CK_OR);
	ck_assert_int_eq(c->kids[0]->kind, CK_NOT);
	ck_assert_int_eq(c->kids[0]->kids[0]->kind, CK_EVENT);
	c2 = c->kids[0]->kids[0];
	ck_assert_int_eq(c2->op, CO_BETWEEN);
	ck_assert_uint_eq(c2->nvalues, 2);
	ck_assert_int_eq(c2->values[0].kind, CV_INT);
	ck_assert_int_eq(c2->values[0].i, 2);
	ck_assert_int_eq(c2->values[1].i, 5);
	ck_assert_int_eq(c2->window.kind, CW_BETWEEN);
	ck_assert_int_eq(c2->window.from, 20455);
	ck_assert_int_eq(c2->window.to, 20456);
	ck_assert_int_eq(c2->where->kind, CK_PRED);
	ck_assert_str_eq(c2->where->field, "a");
	cond_free(c);

	c = parse_ok("did \"p\" at most 0 times since 2026-01-02 and "
	    "did \"p\" exactly 7 times before 2026-01-03 and did \"p\" "
	    "within last 5 hours");
	ck_assert_int_eq(c->kids[0]->op, CO_LE);
	ck_assert_int_eq(c->kids[0]->values[0].i, 0);
	ck_assert_int_eq(c->kids[0]->window.kind, CW_SINCE);
	ck_assert_int_eq(c->kids[0]->window.from, 20455);
	ck_assert_int_eq(c->kids[1]->op, CO_EQ);
	ck_assert_int_eq(c->kids[1]->values[0].i, 7);
	ck_assert_int_eq(c->kids[1]->window.kind, CW_BEFORE);
	ck_assert_int_eq(c->kids[1]->window.to, 20456);
	ck_assert_int_eq(c->kids[2]->window.kind, CW_LAST_HOURS);
	ck_assert_int_eq(c->kids[2]->window.n, 5);
	cond_free(c);

	c = parse_ok("last \"l\" more than 2 hours ago and first \"f\" "
	    "between 2026-01-02 and 2026-01-03 and count of \"c\" != 4 "
	    "within last 9 days and max(`a b`) of \"m\" < 2.5");
	ck_assert_int_eq(c->kids[0]->evtest, CE_LAST);
	ck_assert_int_eq(c->kids[0]->op, CO_MORE_THAN_HOURS_AGO);
	ck_assert_int_eq(c->kids[0]->values[0].i, 2);
	ck_assert_int_eq(c->kids[0]->window.kind, CW_NONE);
	ck_assert_int_eq(c->kids[1]->evtest, CE_FIRST);
	ck_assert_int_eq(c->kids[1]->op, CO_BETWEEN);
	ck_assert_int_eq(c->kids[1]->values[0].kind, CV_DATE);
	ck_assert_int_eq(c->kids[1]->values[1].date, 20456);
	ck_assert_int_eq(c->kids[2]->evtest, CE_COUNT);
	ck_assert_int_eq(c->kids[2]->op, CO_NE);
	ck_assert_int_eq(c->kids[2]->window.kind, CW_LAST_DAYS);
	ck_assert_int_eq(c->kids[2]->window.n, 9);
	ck_assert_int_eq(c->kids[3]->evtest, CE_MAX);
	ck_assert_str_eq(c->kids[3]->field, "a b");
	ck_assert_int_eq(c->kids[3]->values[0].kind, CV_FLOAT);
	cond_free(c);

	/* Words of event tests are fields when a test follows them. */
	c = parse_ok("count = 1 and first >= 2 and did is empty");
	ck_assert_int_eq(c->kids[0]->kind, CK_PRED);
	ck_assert_str_eq(c->kids[0]->field, "count");
	ck_assert_str_eq(c->kids[1]->field, "first");
	ck_assert_str_eq(c->kids[2]->field, "did");
	cond_free(c);

	c = parse_ok("x = 3 and y = 3.0 and z = 2026-01-02 and "
	    "w = 1970-01-01T00:01:00+00:01 and v = FALSE");
	ck_assert_int_eq(c->kids[0]->values[0].kind, CV_INT);
	ck_assert_int_eq(c->kids[0]->values[0].i, 3);
	ck_assert_int_eq(c->kids[1]->values[0].kind, CV_FLOAT);
	ck_assert_double_eq(c->kids[1]->values[0].f, 3.0);
	ck_assert_int_eq(c->kids[2]->values[0].kind, CV_DATE);
	ck_assert_int_eq(c->kids[2]->values[0].date, 20455);
	ck_assert_int_eq(c->kids[3]->values[0].kind, CV_DATETIME);
	ck_assert_int_eq(c->kids[3]->values[0].i, 0);
	ck_assert_int_eq(c->kids[4]->values[0].kind, CV_BOOL);
	ck_assert_int_eq(c->kids[4]->values[0].i, 0);
	cond_free(c);
}
END_TEST

/* Trees the form builds that the grammar cannot spell keep their meaning. */
START_TEST(print_form_groups)
{
	struct cond *top, *g, *p;
	struct cond_value v = { .kind = CV_INT, .i = 1 };
	char *s;

	top = cond_new(CK_OR);
	g = cond_new(CK_AND);
	p = cond_new_pred("a", CF_NONE, CO_EQ);
	cond_add_value(p, &v);
	cond_add_kid(g, p);
	cond_add_kid(top, g);
	s = cond_print(top);
	ck_assert_str_eq(s, "a = 1");
	free(s);
	g = cond_new(CK_AND);
	p = cond_new_pred("b", CF_NONE, CO_IS_EMPTY);
	cond_add_kid(g, p);
	p = cond_new_pred("c", CF_NONE, CO_IS_TRUE);
	cond_add_kid(g, p);
	cond_add_kid(top, g);
	s = cond_print(top);
	ck_assert_str_eq(s, "a = 1 or (b is empty and c is true)");
	free(s);
	cond_free(top);
}
END_TEST

/* Deep nesting is refused with a message instead of overflowing the stack. */
static char *
nested(const char *open, size_t depth, const char *close)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < depth; i++)
		sb_puts(&sb, open);
	sb_puts(&sb, "x = 1");
	for (i = 0; close != NULL && i < depth; i++)
		sb_puts(&sb, close);
	return sb_detach(&sb);
}

START_TEST(deep_nesting)
{
	struct cond *c;
	char *s, *cause = NULL;

	s = nested("(", 256, ")");
	c = parse_ok(s);
	cond_free(c);
	free(s);
	s = nested("not ", 256, NULL);
	c = parse_ok(s);
	ck_assert_int_eq(c->kind, CK_NOT);
	cond_free(c);
	free(s);

	s = nested("(", 257, ")");
	ck_assert_ptr_null(cond_parse(s, &cause));
	ck_assert_str_eq(cause, "line 1, column 257: conditions are nested "
	    "more than 256 levels deep");
	free(cause);
	cause = NULL;
	free(s);
	s = nested("not (", 500000, ")");
	ck_assert_ptr_null(cond_parse(s, &cause));
	ck_assert_str_eq(cause, "line 1, column 641: conditions are nested "
	    "more than 256 levels deep");
	free(cause);
	free(s);
}
END_TEST

/* A float literal is accepted exactly when the importer accepts it. */
START_TEST(floats_as_importer)
{
	static const char *nums[] = { "5e-324", "4.9e-324", "2.5e-324",
	    "1e-400", "-1e-320", "2.2250738585072011e-308",
	    "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e309", "0.5e-323" };
	struct cond *c;
	char *script, *cause, *printed;
	double d, want;
	size_t i;
	int imported;

	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		imported = parse_double(nums[i], strlen(nums[i]), &want) == 0 &&
		    isfinite(want);
		script = xasprintf("x = %s", nums[i]);
		cause = NULL;
		c = cond_parse(script, &cause);
		ck_assert_msg((c != NULL) == imported, "%s: %s", script,
		    cause != NULL ? cause : "parsed");
		if (c != NULL) {
			/* The value survives printing and parsing again. */
			printed = cond_print(c);
			cond_free(c);
			c = parse_ok(printed);
			ck_assert_int_eq(c->kind, CK_PRED);
			ck_assert_uint_eq(c->nvalues, 1);
			d = c->values[0].f;
			ck_assert_msg(memcmp(&d, &want, sizeof d) == 0,
			    "%s: %.17g, want %.17g", printed, d, want);
			free(printed);
			cond_free(c);
		} else {
			printed = xasprintf("line 1, column 5: number '%s' is "
			    "out of range", nums[i]);
			ck_assert_str_eq(cause, printed);
			free(printed);
			free(cause);
		}
		free(script);
	}
}
END_TEST

/*
 * The tokens an editor colours: every byte in one token, in order,
 * comments and blanks kept, words told apart, bad tokens whole.
 */
START_TEST(tokens)
{
	static const struct {
		const char	*script;
		const char	*want;	/* type:text, one per token */
	} cases[] = {
		{ "# top\nage(birth_date) between 25 and 40",
		    "C:# top B:\n F:age P:( N:birth_date P:) B:  K:between "
		    "B:  #:25 B:  K:and B:  #:40" },
		{ "`first name` != \"a \\\" b\" or d >= 2026-01-31",
		    "Q:`first name` B:  O:!= B:  S:\"a \\\" b\" B:  K:or B:  "
		    "N:d B:  O:>= B:  #:2026-01-31" },
		{ "count of \"login\" >= 3 where (amount > 1.5)",
		    "W:count B:  W:of B:  S:\"login\" B:  O:>= B:  #:3 B:  "
		    "W:where B:  P:( N:amount B:  O:> B:  #:1.5 P:)" },
		{ "x = \"open", "N:x B:  O:= B:  E:\"open" },
		{ "x = \"a\\q\" and é; 12x", "N:x B:  O:= B:  E:\"a\\q\" B:  "
		    "K:and B:  N:é E:; B:  E:12x" },
		{ "", "" },
	};
	static const char types[] = "BCKWFNQS#OPE";
	struct cond_token *t;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i, k, n, off;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = cond_tokens(cases[i].script, &t);
		sb_reset(&sb);
		off = 0;
		for (k = 0; k < n; k++) {
			ck_assert_uint_eq(t[k].off, off);
			off += t[k].len;
			sb_printf(&sb, "%s%c:%.*s", k > 0 ? " " : "",
			    types[t[k].type], (int)t[k].len,
			    cases[i].script + t[k].off);
		}
		ck_assert_uint_eq(off, strlen(cases[i].script));
		ck_assert_str_eq(sb.buf != NULL ? sb.buf : "", cases[i].want);
		if (i == 1)
			ck_assert_str_eq(t[0].name, "first name");
		cond_tokens_free(t, n);
	}
	sb_free(&sb);
	/* The words completion offers: sorted, the functions among them. */
	{
		const char *const *w = cond_script_words();

		for (k = 1; w[k] != NULL; k++)
			ck_assert_int_lt(strcmp(w[k - 1], w[k]), 0);
		/* Each is a word of the language, never a field's name. */
		for (k = 0; w[k] != NULL; k++) {
			n = cond_tokens(w[k], &t);
			ck_assert_uint_eq(n, 1);
			ck_assert_msg(t[0].type == COND_TOK_KEYWORD ||
			    t[0].type == COND_TOK_WORD ||
			    t[0].type == COND_TOK_FUNC, "%s", w[k]);
			cond_tokens_free(t, n);
		}
		for (k = 0; w[k] != NULL && strcmp(w[k], "days_since") != 0;
		    k++)
			;
		ck_assert_ptr_nonnull(w[k]);
	}
	/* Field names as a script writes them. */
	{
		char *f;

		f = cond_field_script("city");
		ck_assert_str_eq(f, "city");
		free(f);
		f = cond_field_script("in");
		ck_assert_str_eq(f, "`in`");
		free(f);
		f = cond_field_script("a`b");
		ck_assert_str_eq(f, "`a\\`b`");
		free(f);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("script");

	tcase_add_loop_test(tc, round_trip, 0,
	    sizeof canonical / sizeof canonical[0]);
	tcase_add_loop_test(tc, normalises, 0,
	    sizeof normalised / sizeof normalised[0]);
	tcase_add_loop_test(tc, errors, 0,
	    sizeof malformed / sizeof malformed[0]);
	tcase_add_test(tc, positions);
	tcase_add_loop_test(tc, names_round_trip, 0,
	    (int)(sizeof odd_names / sizeof odd_names[0]));
	tcase_add_test(tc, floats_as_importer);
	tcase_add_test(tc, tree_shape);
	tcase_add_test(tc, print_form_groups);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, tokens);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
