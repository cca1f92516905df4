/* The condition model: JSON form, type checking, operator table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "testlib.h"
#include "util.h"

static struct field demo_fields[] = {
	{ "email", FT_STRING }, { "orders_count", FT_INT },
	{ "score", FT_FLOAT }, { "subscribed", FT_BOOL },
	{ "birth_date", FT_DATE }, { "last_seen", FT_DATETIME },
	{ "tags", FT_TAGS }, { "city", FT_STRING },
};
static struct field demo_event_fields[] = {
	{ "amount", FT_FLOAT }, { "qty", FT_INT }, { "sku", FT_STRING },
	{ "mailing", FT_STRING }, { "gift", FT_BOOL }, { "labels", FT_TAGS },
	{ "shipped", FT_DATE }, { "count", FT_INT },
};
static struct pdb_schema demo = {
	.name = "demo", .fields = demo_fields, .nfields = 8,
	.event_fields = demo_event_fields, .nevent_fields = 8,
};
/* A database without event properties. */
static struct pdb_schema plain = {
	.name = "plain", .fields = demo_fields, .nfields = 8,
};

static struct cond *
parse_ok(const char *s)
{
	char *cause = NULL;
	struct cond *c;

	c = cond_parse(s, &cause);
	if (c == NULL)
		ck_abort_msg("parse of '%s' failed: %s", s, cause);
	return c;
}

static struct cond *
json_tree(const char *text, char **cause)
{
	cJSON *j;
	struct cond *c;

	j = cJSON_Parse(text);
	ck_assert_ptr_nonnull(j);
	c = cond_from_json(j, cause);
	cJSON_Delete(j);
	return c;
}

static char *
json_text(const struct cond *c)
{
	cJSON *j = cond_to_json(c);
	char *s = cJSON_PrintUnformatted(j);

	cJSON_Delete(j);
	return s;
}

/* The documented schema, member by member (doc/conditions.md). */
START_TEST(json_schema)
{
	struct cond *c;
	char *s;

	c = parse_ok("(country in (\"RU\", \"KZ\") and age(birth_date) "
	    "between 25 and 40) or not in segment \"Churned\" or "
	    "not x = 1.5 or d on 2026-01-01 or t > 2026-03-08T02:30:00-05:00 "
	    "or f = 3.0 or b = true or s within last 30 days or g is empty");
	s = json_text(c);
	ck_assert_str_eq(s, "{\"or\":[{\"and\":["
	    "{\"field\":\"country\",\"op\":\"in\",\"values\":[\"RU\",\"KZ\"]},"
	    "{\"field\":\"birth_date\",\"func\":\"age\",\"op\":\"between\","
	    "\"values\":[25,40]}]},"
	    "{\"not\":{\"in_segment\":\"Churned\"}},"
	    "{\"not\":{\"field\":\"x\",\"op\":\"eq\",\"values\":[1.5]}},"
	    "{\"field\":\"d\",\"op\":\"on\",\"values\":[{\"date\":"
	    "\"2026-01-01\"}]},"
	    "{\"field\":\"t\",\"op\":\"gt\",\"values\":[{\"datetime\":"
	    "\"2026-03-08T07:30:00Z\"}]},"
	    "{\"field\":\"f\",\"op\":\"eq\",\"values\":[{\"float\":3}]},"
	    "{\"field\":\"b\",\"op\":\"eq\",\"values\":[true]},"
	    "{\"field\":\"s\",\"op\":\"within_last_days\",\"values\":[30]},"
	    "{\"field\":\"g\",\"op\":\"is_empty\",\"values\":[]}]}");
	free(s);
	cond_free(c);

	c = parse_ok("");
	s = json_text(c);
	ck_assert_str_eq(s, "{\"and\":[]}");
	free(s);
	cond_free(c);
}
END_TEST

/* Event tests in JSON, member by member (doc/conditions.md, "Events"). */
static const struct {
	const char *script, *json;
} event_json[] = {
	{ "did \"purchase\"", "{\"event\":\"purchase\",\"test\":\"did\"}" },
	{ "did \"purchase\" at least 3 times within last 30 days",
	    "{\"event\":\"purchase\",\"test\":\"did\",\"op\":\"ge\","
	    "\"values\":[3],\"window\":{\"within_last_days\":30}}" },
	{ "did \"purchase\" at most 2 times within last 6 hours",
	    "{\"event\":\"purchase\",\"test\":\"did\",\"op\":\"le\","
	    "\"values\":[2],\"window\":{\"within_last_hours\":6}}" },
	{ "did \"purchase\" exactly 0 times since 2026-01-01",
	    "{\"event\":\"purchase\",\"test\":\"did\",\"op\":\"eq\","
	    "\"values\":[0],\"window\":{\"since\":{\"date\":"
	    "\"2026-01-01\"}}}" },
	{ "did \"purchase\" between 1 and 2 times before 2026-01-01",
	    "{\"event\":\"purchase\",\"test\":\"did\",\"op\":\"between\","
	    "\"values\":[1,2],\"window\":{\"before\":{\"date\":"
	    "\"2026-01-01\"}}}" },
	{ "did \"purchase\" where (amount > 100 and sku starts with \"TV\") "
	    "between 2026-01-01 and 2026-01-31",
	    "{\"event\":\"purchase\",\"test\":\"did\",\"where\":{\"and\":["
	    "{\"field\":\"amount\",\"op\":\"gt\",\"values\":[100]},"
	    "{\"field\":\"sku\",\"op\":\"starts_with\",\"values\":"
	    "[\"TV\"]}]},\"window\":{\"between\":[{\"date\":\"2026-01-01\"},"
	    "{\"date\":\"2026-01-31\"}]}}" },
	{ "last \"login\" more than 14 days ago",
	    "{\"event\":\"login\",\"test\":\"last\",\"op\":"
	    "\"more_than_days_ago\",\"values\":[14]}" },
	{ "first \"login\" more than 3 hours ago",
	    "{\"event\":\"login\",\"test\":\"first\",\"op\":"
	    "\"more_than_hours_ago\",\"values\":[3]}" },
	{ "first \"purchase\" between 2026-01-01 and 2026-02-01",
	    "{\"event\":\"purchase\",\"test\":\"first\",\"op\":\"between\","
	    "\"values\":[{\"date\":\"2026-01-01\"},{\"date\":"
	    "\"2026-02-01\"}]}" },
	{ "count of \"open\" where (mailing = \"BF\") < 2",
	    "{\"event\":\"open\",\"test\":\"count\",\"where\":{\"field\":"
	    "\"mailing\",\"op\":\"eq\",\"values\":[\"BF\"]},\"op\":\"lt\","
	    "\"values\":[2]}" },
	{ "sum(amount) of \"purchase\" >= 500 within last 365 days",
	    "{\"event\":\"purchase\",\"test\":\"sum\",\"property\":"
	    "\"amount\",\"op\":\"ge\",\"values\":[500],\"window\":"
	    "{\"within_last_days\":365}}" },
	{ "avg(amount) of \"purchase\" between 2.5 and 3.0",
	    "{\"event\":\"purchase\",\"test\":\"avg\",\"property\":"
	    "\"amount\",\"op\":\"between\",\"values\":[2.5,{\"float\":3}]}" },
	{ "not did \"email_open\" within last 90 days",
	    "{\"not\":{\"event\":\"email_open\",\"test\":\"did\","
	    "\"window\":{\"within_last_days\":90}}}" },
};

START_TEST(json_events)
{
	struct cond *c, *c2;
	char *s, *cause = NULL, *printed;

	c = parse_ok(event_json[_i].script);
	s = json_text(c);
	ck_assert_str_eq(s, event_json[_i].json);
	c2 = json_tree(s, &cause);
	ck_assert_msg(c2 != NULL, "%s: %s", s, cause);
	ck_assert(cond_equal(c, c2));
	printed = cond_print(c2);
	ck_assert_str_eq(printed, event_json[_i].script);
	free(printed);
	free(s);
	cond_free(c2);
	cond_free(c);
}
END_TEST

/* Tree -> JSON -> tree for trees the script cannot spell too. */
START_TEST(json_round_trip)
{
	static const char *docs[] = {
		"{\"and\":[]}",
		"{\"or\":[{\"and\":[{\"field\":\"a\",\"op\":\"eq\","
		    "\"values\":[1]}]}]}",
		"{\"and\":[{\"or\":[{\"field\":\"a\",\"op\":\"is_true\","
		    "\"values\":[]}]},{\"and\":[{\"in_segment\":\"S\"}]}]}",
		"{\"field\":\"n\",\"op\":\"in\",\"values\":[9007199254740992,"
		    "{\"int\":\"9223372036854775807\"},{\"int\":"
		    "\"-9223372036854775808\"},{\"float\":-0},0.1,"
		    "{\"float\":1e+300},\"\",\"é\\\"\",0.30000000000000004,"
		    "{\"float\":-12345678901234568},1234567890123456,false]}",
		"{\"field\":\"d\",\"op\":\"between\",\"values\":["
		    "{\"date\":\"1900-02-28\"},{\"datetime\":"
		    "\"2100-12-31T23:59:59Z\"}]}",
		"{\"field\":\"a b\",\"func\":\"lower\",\"op\":\"starts_with\","
		    "\"values\":[\"x\"]}",
		"{\"not\":{\"not\":{\"field\":\"t\",\"op\":\"has_none\","
		    "\"values\":[\"a\",\"b\"]}}}",
		"{\"or\":[{\"field\":\"email\",\"in_query\":\"VIP\"},"
		    "{\"not\":{\"field\":\"n\",\"not_in_query\":\"Q\"}}]}",
	};
	struct cond *c, *c2;
	char *s, *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		c = json_tree(docs[i], &cause);
		ck_assert_msg(c != NULL, "%s: %s", docs[i], cause);
		s = json_text(c);
		ck_assert_str_eq(s, docs[i]);
		c2 = json_tree(s, &cause);
		ck_assert(cond_equal(c, c2));
		free(s);
		cond_free(c2);
		cond_free(c);
	}

	/* Plain fractional numbers read as floats, integral as ints. */
	c = json_tree("{\"field\":\"x\",\"op\":\"in\",\"values\":[2.5,3,"
	    "{\"int\":4}]}", &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->values[0].kind, CV_FLOAT);
	ck_assert_int_eq(c->values[1].kind, CV_INT);
	ck_assert_int_eq(c->values[2].kind, CV_INT);
	ck_assert_int_eq(c->values[2].i, 4);
	cond_free(c);
}
END_TEST

#define W "\"window\" must be an object with one member: " \
	"\"within_last_days\" or \"within_last_hours\" (a whole number), " \
	"\"between\" (two dates), \"since\" or \"before\" (a date)"

static const struct {
	const char *json, *error;
} bad_json[] = {
	{ "[]", "conditions: expected an object" },
	{ "{}", "conditions: expected a member \"and\", \"or\", \"not\", "
	    "\"in_segment\", \"in_query\", \"not_in_query\", \"field\" or "
	    "\"event\"" },
	{ "{\"field\":\"a\",\"in_query\":\"\"}", "conditions: \"in_query\" "
	    "must be a non-empty string" },
	{ "{\"not\":{\"field\":\"a\",\"not_in_query\":1}}", "conditions at "
	    "not: \"not_in_query\" must be a non-empty string" },
	{ "{\"in_query\":\"Q\"}", "conditions: \"field\" must be a "
	    "non-empty string" },
	{ "{\"field\":\"a\",\"in_query\":\"Q\",\"not_in_query\":\"Q\"}",
	    "conditions: a condition has either \"in_query\" or "
	    "\"not_in_query\", not both" },
	{ "{\"and\":{}}", "conditions: \"and\" must be an array of "
	    "conditions" },
	{ "{\"or\":[]}", "conditions: an \"or\" group needs at least one "
	    "condition" },
	{ "{\"and\":[{\"and\":[]}]}", "conditions at and[0]: an \"and\" "
	    "group inside other conditions needs at least one condition" },
	{ "{\"and\":[{\"field\":\"a\",\"op\":\"eq\",\"values\":[1]},"
	    "{\"or\":[{\"field\":\"b\",\"op\":\"like\"}]}]}",
	    "conditions at and[1].or[0]: unknown operator \"like\"" },
	{ "{\"field\":\"\",\"op\":\"eq\",\"values\":[1]}",
	    "conditions: \"field\" must be a non-empty string" },
	{ "{\"field\":\"a\",\"op\":3}", "conditions: \"op\" must be a "
	    "string" },
	{ "{\"field\":\"a\",\"func\":\"upper\",\"op\":\"eq\","
	    "\"values\":[\"A\"]}", "conditions: unknown function \"upper\" "
	    "(expected age, days_since, days_until, length or lower)" },
	{ "{\"field\":\"a\",\"op\":\"eq\",\"values\":1}",
	    "conditions: \"values\" must be an array" },
	{ "{\"field\":\"a\",\"op\":\"eq\",\"values\":[]}",
	    "conditions: '=' takes 1 value, found 0" },
	{ "{\"field\":\"a\",\"op\":\"between\",\"values\":[1]}",
	    "conditions: 'between' takes 2 values, found 1" },
	{ "{\"field\":\"a\",\"op\":\"is_empty\",\"values\":[1]}",
	    "conditions: 'is empty' takes 0 values, found 1" },
	{ "{\"field\":\"a\",\"op\":\"in\",\"values\":[]}",
	    "conditions: 'in' takes at least one value" },
	{ "{\"field\":\"a\",\"op\":\"has_any\",\"values\":[\"a\",1]}",
	    "conditions: 'has any' takes strings only" },
	{ "{\"field\":\"a\",\"op\":\"within_last_days\",\"values\":[-1]}",
	    "conditions: 'within last N days' takes a number that is not "
	    "negative" },
	{ "{\"field\":\"a\",\"op\":\"within_next_days\",\"values\":[1.5]}",
	    "conditions: 'within next N days' takes a whole number" },
	{ "{\"field\":\"a\",\"op\":\"before\",\"values\":[\"2026-01-01\"]}",
	    "conditions: 'before' takes a date" },
	{ "{\"not\":{\"field\":\"a\",\"op\":\"eq\",\"values\":[null]}}",
	    "conditions at not.values[0]: expected a value: a string, a "
	    "number, true, false or an object with one member \"date\", "
	    "\"datetime\", \"float\" or \"int\"" },
	{ "{\"field\":\"a\",\"op\":\"eq\",\"values\":[{\"date\":"
	    "\"2026-02-30\"}]}", "conditions at values[0]: expected a date "
	    "YYYY-MM-DD in \"date\"" },
	{ "{\"field\":\"a\",\"op\":\"eq\",\"values\":[{\"datetime\":"
	    "\"2026-02-01T10:00\"}]}", "conditions at values[0]: expected an "
	    "ISO 8601 date-time with a zone such as \"2026-01-31T09:00:00Z\" "
	    "in \"datetime\"" },
	{ "{\"field\":\"a\",\"op\":\"eq\",\"values\":[{\"time\":1}]}",
	    "conditions at values[0]: unknown value kind \"time\" (expected "
	    "\"date\", \"datetime\", \"float\" or \"int\")" },
	{ "{\"field\":\"a\",\"op\":\"eq\",\"values\":[{\"int\":\"x1\"}]}",
	    "conditions at values[0]: expected a whole number (or its decimal "
	    "text) in \"int\"" },
	{ "{\"in_segment\":\"\"}", "conditions: \"in_segment\" must be a "
	    "non-empty string" },
	/* Event tests. */
	{ "{\"event\":\"\"}", "conditions: \"event\" must be a non-empty "
	    "string" },
	{ "{\"event\":\"x\",\"where\":{\"and\":[{\"field\":\"a\",\"op\":"
	    "\"eq\",\"values\":[1]},{\"event\":\"b\",\"test\":\"count\","
	    "\"op\":\"eq\",\"values\":[2]}]}}", "conditions: 'count' cannot "
	    "be used inside 'where': it tests the profile's events, 'where' "
	    "tests one event" },
	{ "{\"field\":\"login\",\"op\":\"more_than_hours_ago\","
	    "\"values\":[3]}", "conditions: unknown operator "
	    "\"more_than_hours_ago\"" },
	{ "{\"field\":\"a\",\"in_query\":\"q\xff\"}",
	    "conditions: \"in_query\" is not UTF-8 text: invalid byte 0xFF" },
	{ "{\"or\":[{\"event\":3}]}", "conditions at or[0]: \"event\" must be "
	    "a non-empty string" },
	{ "{\"event\":\"x\",\"test\":\"often\"}", "conditions: unknown event "
	    "test \"often\" (expected did, first, last, count, sum, avg, min "
	    "or max)" },
	{ "{\"event\":\"x\",\"test\":1}", "conditions: unknown event test "
	    "\"?\" (expected did, first, last, count, sum, avg, min or max)" },
	{ "{\"event\":\"x\",\"test\":\"sum\",\"op\":\"ge\",\"values\":[1]}",
	    "conditions: 'sum' needs a property" },
	{ "{\"event\":\"x\",\"property\":\"amount\"}", "conditions: 'did' "
	    "takes no property" },
	{ "{\"event\":\"x\",\"test\":\"avg\",\"property\":\"\"}",
	    "conditions: \"property\" must be a non-empty string" },
	{ "{\"event\":\"x\",\"op\":\"often\",\"values\":[1]}",
	    "conditions: unknown operator \"often\"" },
	{ "{\"event\":\"x\",\"op\":\"ge\",\"values\":3}",
	    "conditions: \"values\" must be an array" },
	{ "{\"not\":{\"event\":\"x\",\"op\":\"ge\",\"values\":[null]}}",
	    "conditions at not.values[0]: expected a value: a string, a "
	    "number, true, false or an object with one member \"date\", "
	    "\"datetime\", \"float\" or \"int\"" },
	{ "{\"event\":\"x\",\"op\":\"gt\",\"values\":[1]}", "conditions: a "
	    "count is 'at least N', 'at most N', 'exactly N' or 'between N "
	    "and M' times, N not negative" },
	{ "{\"event\":\"x\",\"op\":\"ge\",\"values\":[-1]}", "conditions: "
	    "a count is 'at least N', 'at most N', 'exactly N' or 'between N "
	    "and M' times, N not negative" },
	{ "{\"event\":\"x\",\"op\":\"between\",\"values\":[1,2.5]}",
	    "conditions: a count is 'at least N', 'at most N', 'exactly N' "
	    "or 'between N and M' times, N not negative" },
	{ "{\"event\":\"x\",\"window\":{\"within_last_days\":-1}}",
	    "conditions: " W },
	{ "{\"event\":\"x\",\"window\":{\"within_last_hours\":1.5}}",
	    "conditions: " W },
	{ "{\"event\":\"x\",\"window\":{\"since\":\"2026-01-01\"}}",
	    "conditions: " W },
	{ "{\"event\":\"x\",\"window\":{\"between\":[{\"date\":"
	    "\"2026-01-01\"}]}}", "conditions: " W },
	{ "{\"event\":\"x\",\"window\":{\"since\":{\"date\":\"2026-01-01\"},"
	    "\"before\":{\"date\":\"2026-02-01\"}}}", "conditions: " W },
	{ "{\"event\":\"x\",\"window\":{\"lately\":1}}", "conditions: "
	    W },
	/* Found by fuzzing: the "op" of a count whose "values" is misspelt. */
	{ "{\"event\":\"purchase\",\"test\":\"did\",\"op\":\"between\","
	    "\"valu0s\":[0,1]}", "conditions: a count is 'at least N', 'at most "
	    "N', 'exactly N' or 'between N and M' times, N not negative" },
	/* Text that is not UTF-8 could not be written as a script again. */
	{ "{\"and\":[{\"field\":\"a\xff\",\"op\":\"is_empty\"}]}",
	    "conditions at and[0]: \"field\" is not UTF-8 text: invalid byte "
	    "0xFF" },
	{ "{\"not\":{\"in_segment\":\"seg\xc3(\"}}", "conditions at not: "
	    "\"in_segment\" is not UTF-8 text: invalid byte 0xC3" },
	{ "{\"field\":\"a\",\"op\":\"in\",\"values\":[\"ok\",\"\xed\xa0\x80\"]}",
	    "conditions at values[1]: the string is not UTF-8 text: invalid "
	    "byte 0xED" },
	{ "{\"event\":\"b\xc0\xafuy\"}", "conditions: \"event\" is not UTF-8 "
	    "text: invalid byte 0xC0" },
	{ "{\"event\":\"x\",\"test\":\"sum\",\"property\":\"\xf8\",\"op\":"
	    "\"gt\",\"values\":[1]}", "conditions: \"property\" is not UTF-8 "
	    "text: invalid byte 0xF8" },
	{ "{\"event\":\"x\",\"where\":{\"field\":\"sku\",\"op\":\"eq\","
	    "\"values\":[\"\x80\"]}}", "conditions at where.values[0]: the "
	    "string is not UTF-8 text: invalid byte 0x80" },
	{ "{\"event\":\"x\",\"where\":{\"and\":[]}}", "conditions at where: "
	    "an \"and\" group inside other conditions needs at least one "
	    "condition" },
	{ "{\"and\":[{\"event\":\"x\",\"where\":{\"or\":[{\"field\":\"a\","
	    "\"op\":\"like\"}]}}]}", "conditions at and[0].where.or[0]: "
	    "unknown operator \"like\"" },
	{ "{\"event\":\"x\",\"test\":\"first\",\"op\":\"within_last_days\","
	    "\"values\":[3],\"window\":{\"since\":{\"date\":\"2026-01-01\"}}}",
	    "conditions: 'first' takes a time test, not a window" },
	{ "{\"event\":\"x\",\"test\":\"last\"}", "conditions: 'last' needs a "
	    "time test: within last, more than ... ago, before, after, on or "
	    "between" },
	{ "{\"event\":\"x\",\"test\":\"last\",\"op\":\"within_next_days\","
	    "\"values\":[3]}", "conditions: 'last' needs a time test: within "
	    "last, more than ... ago, before, after, on or between" },
	{ "{\"event\":\"x\",\"test\":\"last\",\"op\":\"between\","
	    "\"values\":[1,2]}", "conditions: 'between' takes two dates" },
	{ "{\"event\":\"x\",\"test\":\"first\",\"op\":"
	    "\"more_than_hours_ago\",\"values\":[-1]}", "conditions: 'more "
	    "than N hours ago' takes a number that is not negative" },
	{ "{\"event\":\"x\",\"test\":\"first\",\"op\":\"within_last_days\","
	    "\"values\":[-1]}", "conditions: 'within last N days' takes a "
	    "number that is not negative" },
	{ "{\"event\":\"x\",\"test\":\"first\",\"op\":\"on\",\"values\":"
	    "[\"2026-01-01\"]}", "conditions: 'on' takes a date" },
	{ "{\"event\":\"x\",\"test\":\"sum\",\"property\":\"a\",\"op\":"
	    "\"contains\",\"values\":[\"a\"]}", "conditions: 'sum' is compared "
	    "with =, !=, <, <=, >, >= or between" },
	{ "{\"event\":\"x\",\"test\":\"count\",\"op\":\"ge\",\"values\":"
	    "[1.5]}", "conditions: '>=' takes one whole number" },
	{ "{\"event\":\"x\",\"test\":\"count\",\"op\":\"between\","
	    "\"values\":[1]}", "conditions: 'between' takes two whole numbers" },
	{ "{\"event\":\"x\",\"test\":\"max\",\"property\":\"a\",\"op\":"
	    "\"eq\",\"values\":[\"1\"]}", "conditions: '=' takes one number" },
	{ "{\"event\":\"x\",\"test\":\"min\",\"property\":\"a\",\"op\":"
	    "\"between\",\"values\":[1,true]}", "conditions: 'between' takes "
	    "two numbers" },
};

START_TEST(json_errors)
{
	struct cond *c;
	char *cause = NULL;

	c = json_tree(bad_json[_i].json, &cause);
	ck_assert_msg(c == NULL, "%s was accepted", bad_json[_i].json);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, bad_json[_i].error);
	free(cause);
}
END_TEST

static int
segment_exists(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "Churned") == 0;
}

static const char *good_scripts[] = {
	"",
	"email in query \"Q\" and orders_count not in query \"Q\" and "
	    "birth_date in query \"Q\" and not tags in query \"Q\"",
	"score = 2 and score between 1 and 2.5 and score in (1, 2.5)",
	"subscribed is true and subscribed != false and subscribed is empty",
	"birth_date > 2026-01-01T00:00:00Z and birth_date before 2000-01-01",
	"birth_date within last 3 days and birth_date more than 5 days ago",
	"last_seen within last 3 hours and last_seen within next 2 days",
	"length(tags) > 2 and length(email) between 1 and 5",
	"lower(email) contains \"a\" and lower(city) in (\"moscow\")",
	"age(birth_date) between 25 and 40 and days_since(last_seen) < 3",
	"days_until(birth_date) >= 0",
	"not in segment \"Churned\" and tags has \"vip\"",
	"email starts with \"a\" and email ends with \"z\" and email not "
	    "contains \"x\" and email not in (\"a\")",
	"tags has any (\"a\") and tags has all (\"b\") and tags has none "
	    "(\"c\") and tags is not empty",
	"orders_count >= 3 and orders_count not in (1, 2)",
	/* Event tests: where over `time` and the event properties. */
	"did \"purchase\" at least 3 times within last 30 days and not did "
	    "\"email_open\" within last 90 days",
	"did \"purchase\" where (amount > 100 and sku starts with \"TV\")",
	"did \"purchase\" where (qty between 1 and 3 and amount in (1, 2.5) "
	    "and gift is true and labels has any (\"a\") and shipped before "
	    "2026-01-01 and lower(sku) contains \"tv\" and length(labels) > 1)",
	"did \"login\" where (time within last 3 hours and days_since(time) "
	    "< 3 and time > 2026-01-01T00:00:00Z and time on 2026-01-01)",
	"did \"e\" where (count = 2) between 0 and 0 times between "
	    "2026-01-01 and 2026-01-01",
	"last \"login\" more than 14 days ago or first \"purchase\" between "
	    "2026-01-01 and 2026-01-01",
	"count of \"purchase\" between 3 and 3 since 2026-01-01",
	"did \"e\" within last 1000000000 days and did \"e\" within last 0 "
	    "hours",
	"sum(amount) of \"purchase\" >= 500 within last 365 days",
	"avg(qty) of \"purchase\" > 2.5 and min(amount) of \"purchase\" = 1 "
	    "and max(count) of \"purchase\" between 1 and 1.5",
	"(did \"purchase\" or orders_count > 1) and not (in segment "
	    "\"Churned\" or last \"login\" on 2026-01-01)",
};

/* A database without event properties: did/first/last/count and `time`. */
static const char *plain_scripts[] = {
	"did \"purchase\" where (time within last 30 days)",
	"first \"login\" before 2026-01-01 and last \"login\" after "
	    "2026-01-01",
	"count of \"open\" where (time before 2026-01-01) >= 1",
};

START_TEST(check_plain)
{
	struct cond *c;
	char *cause = NULL;

	c = parse_ok(plain_scripts[_i]);
	ck_assert_msg(cond_check(c, &plain, NULL, NULL, &cause) == 0,
	    "%s: %s", plain_scripts[_i], cause);
	cond_free(c);
}
END_TEST

START_TEST(check_accepts)
{
	struct cond *c;
	char *cause = NULL;

	c = parse_ok(good_scripts[_i]);
	ck_assert_msg(cond_check(c, &demo, segment_exists, NULL,
	    &cause) == 0, "%s: %s", good_scripts[_i], cause);
	cond_free(c);
}
END_TEST

static const struct {
	const char *script, *error;
} type_errors[] = {
	{ "email = \"a\" or score in query \"Q\"", "line 1, column 16: 'in "
	    "query' takes a string, int, date or tags field, but 'score' is "
	    "of type float" },
	{ "last_seen not in query \"Q\"", "line 1, column 1: 'in query' "
	    "takes a string, int, date or tags field, but 'last_seen' is of "
	    "type datetime" },
	{ "mail in query \"Q\"", "line 1, column 1: unknown field 'mail' in "
	    "database 'demo'" },
	{ "did \"e\" where (sku in query \"Q\")", "line 1, column 16: 'in "
	    "query' cannot be used inside 'where': it tests the profile, not "
	    "one event" },
	{ "contry = \"RU\"", "line 1, column 1: unknown field 'contry' in "
	    "database 'demo'" },
	{ "email = \"a\" and\n  `Email` is empty", "line 2, column 3: "
	    "unknown field 'Email' in database 'demo'" },
	{ "age(email) > 3", "line 1, column 1: age() takes a date or "
	    "datetime field, but 'email' is of type string" },
	{ "length(orders_count) > 1", "line 1, column 1: length() takes a "
	    "string or tags field, but 'orders_count' is of type int" },
	{ "lower(tags) has \"x\"", "line 1, column 1: lower() takes a string "
	    "field, but 'tags' is of type tags" },
	{ "tags > 3", "line 1, column 1: '>' cannot be used with tags field "
	    "'tags'" },
	{ "tags = \"vip\"", "line 1, column 1: '=' cannot be used with tags "
	    "field 'tags'" },
	{ "email > \"a\"", "line 1, column 1: '>' cannot be used with string "
	    "field 'email'" },
	{ "email is true", "line 1, column 1: 'is true' cannot be used with "
	    "string field 'email'" },
	{ "subscribed in (true)", "line 1, column 1: 'in' cannot be used "
	    "with bool field 'subscribed'" },
	{ "birth_date within last 3 hours", "line 1, column 1: 'within last "
	    "N hours' cannot be used with date field 'birth_date'" },
	{ "x = 1 or age(birth_date) contains \"3\"", "line 1, column 1: "
	    "unknown field 'x' in database 'demo'" },
	{ "email = \"x\" or age(birth_date) contains \"3\"",
	    "line 1, column 16: 'contains' cannot be used with "
	    "age(birth_date), which gives an int" },
	{ "lower(email) > \"a\"", "line 1, column 1: '>' cannot be used with "
	    "lower(email), which gives a string" },
	{ "orders_count = \"3\"", "line 1, column 1: expected an integer for "
	    "int field 'orders_count', found string \"3\"" },
	{ "orders_count = 2.5", "line 1, column 1: expected an integer for "
	    "int field 'orders_count', found number 2.5" },
	{ "orders_count = true", "line 1, column 1: expected an integer for "
	    "int field 'orders_count', found true" },
	{ "score between 1 and \"2\"", "line 1, column 1: expected a number "
	    "for float field 'score', found string \"2\"" },
	{ "subscribed = \"true\"", "line 1, column 1: expected true or false "
	    "for bool field 'subscribed', found string \"true\" (write true "
	    "and false without quotes)" },
	{ "birth_date = \"2026-01-01\"", "line 1, column 1: expected a date "
	    "or date-time for date field 'birth_date', found string "
	    "\"2026-01-01\" (write dates without quotes)" },
	{ "last_seen < 5", "line 1, column 1: expected a date or date-time "
	    "for datetime field 'last_seen', found integer 5" },
	{ "age(birth_date) = \"x\"", "line 1, column 1: expected an integer "
	    "for age(birth_date), found string \"x\"" },
	{ "city in (\"a\", 1)", "line 1, column 1: expected a string for "
	    "string field 'city', found integer 1" },
	{ "email = 2026-01-01", "line 1, column 1: expected a string for "
	    "string field 'email', found date 2026-01-01" },
	{ "not in segment \"Nope\"", "line 1, column 5: unknown segment "
	    "'Nope'" },
	{ "last_seen between 2026-01-01T00:00:00Z and 2026-02-01",
	    "line 1, column 1: the values of 'between' must be all dates or "
	    "all date-times" },
	/* Event tests. */
	{ "x = 1 or did \"e\"", "line 1, column 1: unknown field 'x' in "
	    "database 'demo'" },
	{ "email = \"a\" or did \"e\" where (colour = \"red\")",
	    "line 1, column 31: unknown event property 'colour'" },
	{ "did \"e\" where (email = \"a\")", "line 1, column 16: unknown "
	    "event property 'email'" },
	{ "did \"e\" where (amount > 1 and\n  `Time` is empty)", "line 2, "
	    "column 3: unknown event property 'Time'" },
	{ "did \"e\" where (sku > \"a\")", "line 1, column 16: '>' cannot be "
	    "used with string property 'sku'" },
	{ "did \"e\" where (qty = 2.5)", "line 1, column 16: expected an "
	    "integer for int property 'qty', found number 2.5" },
	{ "did \"e\" where (shipped = \"2026-01-01\")", "line 1, column 16: "
	    "expected a date or date-time for date property 'shipped', found "
	    "string \"2026-01-01\" (write dates without quotes)" },
	{ "did \"e\" where (age(sku) > 3)", "line 1, column 16: age() takes a "
	    "date or datetime property, but 'sku' is of type string" },
	{ "did \"e\" where (labels = \"a\")", "line 1, column 16: '=' cannot "
	    "be used with tags property 'labels'" },
	{ "did \"e\" where (time within next 3 days and time > 5)",
	    "line 1, column 44: expected a date or date-time for datetime "
	    "property 'time', found integer 5" },
	{ "did \"e\" where (in segment \"Churned\")", "line 1, column 16: "
	    "'in segment' cannot be used inside 'where': it tests the "
	    "profile, not one event" },
	{ "did \"e\" where (not in segment \"Nope\")", "line 1, column 20: "
	    "'in segment' cannot be used inside 'where': it tests the "
	    "profile, not one event" },
	{ "sum(colour) of \"e\" > 1", "line 1, column 1: unknown event "
	    "property 'colour'" },
	{ "x = 1 or\n sum(sku) of \"e\" > 1", "line 1, column 1: unknown "
	    "field 'x' in database 'demo'" },
	{ "orders_count = 1 or\n sum(sku) of \"e\" > 1", "line 2, column 2: "
	    "sum() takes an int or float property, but 'sku' is of type "
	    "string" },
	{ "avg(gift) of \"e\" > 1", "line 1, column 1: avg() takes an int or "
	    "float property, but 'gift' is of type bool" },
	{ "min(shipped) of \"e\" > 1", "line 1, column 1: min() takes an int "
	    "or float property, but 'shipped' is of type date" },
	{ "max(time) of \"e\" > 1", "line 1, column 1: max() takes an int or "
	    "float property, but 'time' is of type datetime" },
	{ "max(labels) of \"e\" > 1", "line 1, column 1: max() takes an int "
	    "or float property, but 'labels' is of type tags" },
	{ "count of \"e\" between 3 and 2", "line 1, column 1: 'between' "
	    "needs the smaller number first, found 3 and 2" },
	{ "did \"e\" between 5 and 1 times", "line 1, column 1: 'between' "
	    "needs the smaller number first, found 5 and 1" },
	{ "sum(amount) of \"e\" between 2.5 and 2", "line 1, column 1: "
	    "'between' needs the smaller number first, found 2.5 and 2" },
	{ "not last \"e\" between 2026-02-01 and 2026-01-31", "line 1, "
	    "column 5: 'between' needs the earlier date first, found "
	    "2026-02-01 and 2026-01-31" },
	{ "did \"e\" between 2026-02-01 and 2026-01-31", "line 1, column 1: "
	    "'between' needs the earlier date first, found 2026-02-01 and "
	    "2026-01-31" },
	{ "count of \"e\" > 1 between 2026-02-01 and 2026-01-31", "line 1, "
	    "column 1: 'between' needs the earlier date first, found "
	    "2026-02-01 and 2026-01-31" },
	{ "did \"e\" where (did = 1) and in segment \"Nope\"", "line 1, "
	    "column 16: unknown event property 'did'" },
	{ "did \"e\" and in segment \"Nope\"", "line 1, column 13: unknown "
	    "segment 'Nope'" },
};

START_TEST(check_errors)
{
	struct cond *c;
	char *cause = NULL;

	c = parse_ok(type_errors[_i].script);
	ck_assert_int_eq(cond_check(c, &demo, segment_exists, NULL, &cause),
	    -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, type_errors[_i].error);
	free(cause);
	cond_free(c);
}
END_TEST

/* Trees from JSON have no position; the message has none either. */
START_TEST(check_without_position)
{
	struct cond *c;
	char *cause = NULL;

	c = json_tree("{\"field\":\"tags\",\"op\":\"gt\",\"values\":[3]}",
	    &cause);
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
	ck_assert_str_eq(cause, "'>' cannot be used with tags field 'tags'");
	free(cause);
	cause = NULL;
	cond_free(c);

	/* Without a callback every segment name passes. */
	c = parse_ok("in segment \"Anything\"");
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), 0);
	cond_free(c);

	/*
	 * An empty group (a form can build one) would be saved as JSON that
	 * cond_from_json refuses: refused here.  The empty tree is fine.
	 */
	c = cond_new(CK_AND);
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), 0);
	cond_add_kid(c, parse_ok("orders_count > 3"));
	cond_add_kid(c, cond_new(CK_OR));
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
	ck_assert_str_eq(cause, "a group has no conditions: add one to it or "
	    "remove it");
	free(cause);
	cause = NULL;
	cond_free(c);
	c = cond_new(CK_OR);
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
	free(cause);
	cond_free(c);
}
END_TEST

/* Event trees a form or JSON can build but the script cannot spell. */
START_TEST(check_events_built)
{
	static const struct {
		const char *json, *error;
	} built[] = {
		{ "{\"event\":\"e\",\"where\":{\"field\":\"orders_count\","
		    "\"op\":\"eq\",\"values\":[1]}}", "unknown event property "
		    "'orders_count'" },
		{ "{\"event\":\"e\",\"test\":\"sum\",\"property\":\"x\","
		    "\"op\":\"eq\",\"values\":[1]}", "unknown event property "
		    "'x'" },
	};
	struct cond *c;
	char *cause = NULL;
	size_t i;

	/*
	 * Neither the script nor the JSON form lets an event test into a
	 * where; a tree built by hand (the form) is refused at the check.
	 */
	c = cond_parse("did \"e\"", &cause);
	ck_assert_ptr_nonnull(c);
	c->where = cond_parse("not count of \"f\" = 1", &cause);
	ck_assert_ptr_nonnull(c->where);
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
	ck_assert_str_eq(cause, "line 1, column 5: 'count' cannot be used "
	    "inside 'where': it tests the profile's events, 'where' tests one "
	    "event");
	free(cause);
	cause = NULL;
	cond_free(c);

	for (i = 0; i < sizeof built / sizeof built[0]; i++) {
		c = json_tree(built[i].json, &cause);
		ck_assert_msg(c != NULL, "%s: %s", built[i].json, cause);
		ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
		ck_assert_str_eq(cause, built[i].error);
		free(cause);
		cause = NULL;
		cond_free(c);
	}

	/* A form's tree: the shape is checked at save too. */
	c = cond_new(CK_EVENT);
	c->evtest = CE_FIRST;
	c->event = xstrdup("login");
	c->op = CO_BEFORE;
	c->window.kind = CW_LAST_DAYS;
	c->window.n = 3;
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
	ck_assert_str_eq(cause, "'first' takes a time test, not a window");
	free(cause);
	cause = NULL;
	c->evtest = CE_DID;
	c->window.n = -1;
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
	ck_assert_str_eq(cause, "'within last' takes a number that is not "
	    "negative");
	free(cause);
	cause = NULL;
	c->window.n = 0;
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), 0);
	free(c->event);
	c->event = xstrdup("");
	ck_assert_int_eq(cond_check(c, &demo, NULL, NULL, &cause), -1);
	ck_assert_str_eq(cause, "an event test needs an event name");
	free(cause);
	cond_free(c);
}
END_TEST

START_TEST(operator_table)
{
	enum cond_op ops[CO_COUNT];
	enum field_type t;
	size_t n;

	n = cond_ops_for(FT_STRING, CF_NONE, ops);
	ck_assert_uint_eq(n, 10);
	ck_assert_int_eq(ops[0], CO_EQ);
	ck_assert_int_eq(ops[2], CO_IN);
	ck_assert_int_eq(ops[9], CO_IS_NOT_EMPTY);
	ck_assert_uint_eq(cond_ops_for(FT_INT, CF_NONE, ops), 11);
	ck_assert_uint_eq(cond_ops_for(FT_FLOAT, CF_NONE, ops), 11);
	n = cond_ops_for(FT_BOOL, CF_NONE, ops);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(ops[5], CO_IS_FALSE);
	ck_assert_uint_eq(cond_ops_for(FT_DATE, CF_NONE, ops), 15);
	ck_assert_uint_eq(cond_ops_for(FT_DATETIME, CF_NONE, ops), 16);
	n = cond_ops_for(FT_TAGS, CF_NONE, ops);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(ops[2], CO_HAS);
	ck_assert_int_eq(ops[5], CO_HAS_NONE);
	ck_assert_uint_eq(cond_ops_for(FT_TAGS, CF_LENGTH, ops), 11);
	ck_assert_uint_eq(cond_ops_for(FT_DATE, CF_AGE, ops), 11);
	ck_assert_uint_eq(cond_ops_for(FT_STRING, CF_LOWER, ops), 10);
	ck_assert_uint_eq(cond_ops_for(FT_INT, CF_AGE, ops), 0);
	ck_assert_uint_eq(cond_ops_for(FT_TAGS, CF_LOWER, ops), 0);

	ck_assert(cond_op_valid(FT_DATETIME, CF_NONE, CO_WITHIN_LAST_HOURS));
	ck_assert(!cond_op_valid(FT_DATE, CF_NONE, CO_WITHIN_LAST_HOURS));
	ck_assert(!cond_op_valid(FT_STRING, CF_NONE, CO_LT));
	ck_assert(cond_op_valid(FT_STRING, CF_LENGTH, CO_LT));
	ck_assert(!cond_op_valid(FT_BOOL, CF_NONE, CO_IN));

	ck_assert_int_eq(cond_func_type(FT_DATETIME, CF_DAYS_UNTIL, &t), 0);
	ck_assert_int_eq(t, FT_INT);
	ck_assert_int_eq(cond_func_type(FT_BOOL, CF_LENGTH, &t), -1);
}
END_TEST

START_TEST(names)
{
	enum cond_op op;
	enum cond_func f;
	int i;

	ck_assert_str_eq(cond_op_name(CO_STARTS_WITH), "starts with");
	ck_assert_str_eq(cond_op_name(CO_NE), "!=");
	ck_assert_str_eq(cond_op_id(CO_NOT_IN), "not_in");
	ck_assert_str_eq(cond_func_name(CF_DAYS_SINCE), "days_since");
	for (i = 0; i < CO_COUNT; i++) {
		ck_assert_int_eq(cond_op_from_id(cond_op_id(i), &op), 0);
		ck_assert_int_eq(op, i);
	}
	ck_assert_int_eq(cond_op_from_id("=", &op), -1);
	ck_assert_int_eq(cond_func_from_name("lower", &f), 0);
	ck_assert_int_eq(f, CF_LOWER);
	ck_assert_int_eq(cond_func_from_name("", &f), -1);
}
END_TEST

static void
collect(void *arg, const char *name)
{
	struct strbuf *sb = arg;

	sb_printf(sb, "%s;", name);
}

START_TEST(segments_used)
{
	struct strbuf sb = STRBUF_INIT;
	struct cond *c;

	c = parse_ok("in segment \"B\" or (not in segment \"A\" and x = 1) or "
	    "in segment \"B\" or not not in segment \"C\"");
	cond_segments(c, collect, &sb);
	ck_assert_str_eq(sb.buf, "B;A;C;");
	sb_free(&sb);
	cond_free(c);
}
END_TEST

static int
query_known(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "A") == 0;
}

START_TEST(queries_used)
{
	struct strbuf sb = STRBUF_INIT;
	struct cond *c;
	char *cause = NULL;

	c = parse_ok("x in query \"B\" or (y not in query \"A\" and x = 1) or "
	    "not z in query \"B\" or in segment \"C\"");
	cond_queries(c, collect, &sb);
	ck_assert_str_eq(sb.buf, "B;A;");
	ck_assert_int_eq(cond_check_queries(c, query_known, NULL, &cause), -1);
	ck_assert_str_eq(cause, "line 1, column 1: unknown query 'B'");
	free(cause);
	sb_free(&sb);
	cond_free(c);
	c = parse_ok("x = 1 and\n  y not in query \"A\"");
	ck_assert_int_eq(cond_check_queries(c, query_known, NULL, &cause), 0);
	cond_free(c);
}
END_TEST

START_TEST(equal_and_clone)
{
	struct cond *a, *b;

	a = parse_ok("x = 1 and y = \"a\"");
	b = parse_ok("x = 1\n and y = \"a\"");
	ck_assert(cond_equal(a, b));		/* positions differ */
	cond_free(b);
	b = parse_ok("x = 1.0 and y = \"a\"");
	ck_assert(!cond_equal(a, b));		/* int vs float */
	cond_free(b);
	b = parse_ok("x = 1 and y = \"A\"");
	ck_assert(!cond_equal(a, b));
	cond_free(b);
	b = parse_ok("x = 1 or y = \"a\"");
	ck_assert(!cond_equal(a, b));
	cond_free(b);
	b = cond_clone(a);
	ck_assert(cond_equal(a, b));
	ck_assert_int_eq(b->kids[1]->line, 1);
	ck_assert_int_eq(b->kids[1]->column, 11);
	cond_free(b);
	cond_free(a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cond");
	TCase *tc = tcase_create("cond");

	tcase_add_test(tc, json_schema);
	tcase_add_test(tc, json_round_trip);
	tcase_add_loop_test(tc, json_errors, 0,
	    sizeof bad_json / sizeof bad_json[0]);
	tcase_add_loop_test(tc, check_accepts, 0,
	    sizeof good_scripts / sizeof good_scripts[0]);
	tcase_add_loop_test(tc, check_errors, 0,
	    sizeof type_errors / sizeof type_errors[0]);
	tcase_add_loop_test(tc, check_plain, 0,
	    sizeof plain_scripts / sizeof plain_scripts[0]);
	tcase_add_loop_test(tc, json_events, 0,
	    sizeof event_json / sizeof event_json[0]);
	tcase_add_test(tc, check_events_built);
	tcase_add_test(tc, check_without_position);
	tcase_add_test(tc, operator_table);
	tcase_add_test(tc, names);
	tcase_add_test(tc, segments_used);
	tcase_add_test(tc, queries_used);
	tcase_add_test(tc, equal_and_clone);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
