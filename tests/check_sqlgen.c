/*
 * The SQL compiler's exact output for representative trees: statement
 * text and parameters (as "reseg segment sql" prints them), quoting of
 * identifiers and values, range and limit with and without the server's
 * reseg_bucket(), "why", errors, and the bucket probe.  That these
 * statements select what the evaluator selects is tests/sqlgen_pg.sh's
 * part, on a real server.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "cond.h"
#include "eval.h"
#include "sqlgen.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

/* 2026-11-28T12:00:00Z */
#define NOW	INT64_C(1795867200)

static struct pdb_schema schema;
static struct sql_source src;
static struct sql_env env;
static const char *cols[] = { "email", "country", "birth_date", "tags",
    "city", "score", "seen_at", "vip", NULL };
static const char *evcols[] = { "amount", "sku", NULL };
static const char *seg_keys[] = { "a", "b\"c", "d\\e" };

static int
seg_cb(void *arg, const char *name, const char *const **keys, size_t *n,
    char **cause)
{
	(void)arg;
	if (strcmp(name, "Known") != 0) {
		*cause = xasprintf("no segment called %s", name);
		return -1;
	}
	*keys = seg_keys;
	*n = 3;
	return 0;
}

static void
setup(void)
{
	struct field *f, *ef;
	size_t n, en;
	char *cause = NULL;

	ck_assert_int_eq(schema_parse_fields("email:string,country:string,"
	    "birth_date:date,tags:tags,city:string,score:float,"
	    "seen_at:datetime,vip:bool", &f, &n, &cause), 0);
	ck_assert_int_eq(schema_parse_fields("amount:float,sku:string", &ef,
	    &en, &cause), 0);
	memset(&schema, 0, sizeof schema);
	schema.name = "crm";
	schema.fields = f;
	schema.nfields = (uint16_t)n;
	schema.event_fields = ef;
	schema.nevent_fields = (uint16_t)en;
	memset(&src, 0, sizeof src);
	src.table = "people";
	src.key_column = "email";
	src.order_column = "created";
	src.schema = &schema;
	src.columns = cols;
	memset(&env, 0, sizeof env);
	env.now = NOW;
	env.segment_keys = seg_cb;
}

static void
teardown(void)
{
	fields_free(schema.fields, schema.nfields);
	fields_free(schema.event_fields, schema.nevent_fields);
}

static void
with_events(void)
{
	src.events_table = "app.events";
	src.events_key = "email";
	src.events_name = "name";
	src.events_time = "at";
	src.event_columns = evcols;
	src.events_time_naive = 1;
}

/* The formatted statement of a script; range_in_sql into *rin. */
static char *
sql(const char *script, uint16_t lo, uint16_t hi, int64_t limit, int *rin)
{
	struct eval_query q;
	struct sql_stmt st;
	struct cond *c;
	char *cause = NULL, *s;

	c = cond_parse(script, &cause);
	ck_assert_msg(c != NULL, "%s", cause);
	q.cond = c;
	q.range_lo = lo;
	q.range_hi = hi;
	q.limit = limit;
	ck_assert_msg(sqlgen_segment(&src, &q, &env, &st, &cause) == 0, "%s",
	    cause);
	s = sqlgen_format(&st);
	if (rin != NULL)
		*rin = st.range_in_sql;
	sqlgen_stmt_free(&st);
	cond_free(c);
	return s;
}

static char *
sql_err(const char *script)
{
	struct eval_query q;
	struct sql_stmt st;
	struct cond *c;
	char *cause = NULL;

	c = cond_parse(script, &cause);
	ck_assert_msg(c != NULL, "%s", cause);
	q.cond = c;
	q.range_lo = 0;
	q.range_hi = 10000;
	q.limit = -1;
	ck_assert_int_eq(sqlgen_segment(&src, &q, &env, &st, &cause), -1);
	ck_assert_ptr_null(st.text);
	cond_free(c);
	return cause;
}

#define ck_sql(got, want) do {						\
	char *g_ = (got);						\
	ck_assert_str_eq(g_, want);					\
	free(g_);							\
} while (0)

START_TEST(fields_strings_dates_tags_and_limit)
{
	int rin;

	ck_sql(sql("country in (\"RU\", \"KZ\") and age(birth_date) between "
	    "25 and 40 or tags has none (\"vip\") or city contains \"OSC\" "
	    "and not score > 2.5", 0, 10000, 10, &rin),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p\n"
	    "WHERE (((p.\"country\" IS NOT NULL AND p.\"country\" <> '' AND "
	    "p.\"country\" = ANY($1::text[])) AND (p.\"birth_date\" IS NOT "
	    "NULL AND p.\"birth_date\" BETWEEN $2::date AND $3::date)) OR "
	    "(p.\"tags\" IS NULL OR cardinality(p.\"tags\") = 0 OR NOT "
	    "(p.\"tags\"::text[] && $4::text[])) OR ((p.\"city\" IS NOT NULL "
	    "AND p.\"city\" <> '' AND strpos(lower(p.\"city\" COLLATE \"C\"), "
	    "$5::text) > 0) AND NOT (p.\"score\" IS NOT NULL AND p.\"score\" > "
	    "$6::float8)))\n"
	    "ORDER BY p.\"created\" NULLS LAST, p.\"email\" COLLATE \"C\"\n"
	    "LIMIT $7::bigint;\n"
	    "-- $1 = '{\"RU\",\"KZ\"}'\n"
	    "-- $2 = '1985-11-29'\n"
	    "-- $3 = '2001-11-28'\n"
	    "-- $4 = '{\"vip\"}'\n"
	    "-- $5 = 'osc'\n"
	    "-- $6 = '2.5'\n"
	    "-- $7 = '10'\n");
	/* Without a range the limit is exact in SQL. */
	ck_assert_int_eq(rin, 1);
}
END_TEST

START_TEST(case_rules_and_empty_values)
{
	ck_sql(sql("city starts with \"St.\" or city ends with \"ÉB\" or "
	    "lower(city) = \"Moscow\" or city != \"x\" or vip is false or "
	    "country is empty or tags is not empty", 0, 10000, -1, NULL),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p\n"
	    "WHERE ((p.\"city\" IS NOT NULL AND p.\"city\" <> '' AND "
	    "starts_with(lower(p.\"city\" COLLATE \"C\"), $1::text)) OR "
	    "(p.\"city\" IS NOT NULL AND p.\"city\" <> '' AND "
	    "right(lower(p.\"city\" COLLATE \"C\"), $2::integer) = $3::text) OR "
	    "(p.\"city\" IS NOT NULL AND p.\"city\" <> '' AND "
	    "lower(p.\"city\" COLLATE \"C\") = $4::text) OR "
	    "(p.\"city\" IS NOT NULL AND p.\"city\" <> '' AND p.\"city\" <> "
	    "$5::text) OR p.\"vip\" IS FALSE OR (p.\"country\" IS NULL OR "
	    "p.\"country\" = '') OR (p.\"tags\" IS NOT NULL AND "
	    "cardinality(p.\"tags\") > 0));\n"
	    "-- $1 = 'st.'\n"
	    "-- $2 = '2'\n"
	    "-- $3 = 'Éb'\n"
	    "-- $4 = 'Moscow'\n"
	    "-- $5 = 'x'\n");
}
END_TEST

START_TEST(relative_dates_in_the_timezone)
{
	/* Berlin is UTC+1 on 2026-11-28: its local days start at 23:00Z. */
	env.tz = "Europe/Berlin";
	ck_sql(sql("seen_at on 2026-11-27 or seen_at within last 2 hours or "
	    "birth_date more than 3 days ago or days_since(seen_at) <= 1",
	    0, 10000, -1, NULL),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p\n"
	    "WHERE ((p.\"seen_at\" IS NOT NULL AND p.\"seen_at\" >= "
	    "$1::timestamptz AND p.\"seen_at\" < $2::timestamptz) OR "
	    "(p.\"seen_at\" IS NOT NULL AND p.\"seen_at\" >= $3::timestamptz "
	    "AND p.\"seen_at\" < $4::timestamptz) OR (p.\"birth_date\" IS NOT "
	    "NULL AND p.\"birth_date\" <= $5::date) OR (p.\"seen_at\" IS NOT "
	    "NULL AND p.\"seen_at\" >= $6::timestamptz));\n"
	    "-- $1 = '2026-11-26T23:00:00Z'\n"
	    "-- $2 = '2026-11-27T23:00:00Z'\n"
	    "-- $3 = '2026-11-28T10:00:00Z'\n"
	    "-- $4 = '2026-11-28T12:00:01Z'\n"
	    "-- $5 = '2026-11-24'\n"
	    "-- $6 = '2026-11-26T23:00:00Z'\n");
}
END_TEST

START_TEST(event_tests_one_grouped_subquery)
{
	with_events();
	env.tz = "Europe/Berlin";
	ck_sql(sql("did \"purchase\" where (amount > 100 and sku starts with "
	    "\"TV\") at least 2 times within last 30 days or "
	    "avg(amount) of \"purchase\" != 100 or first \"login\" on "
	    "2026-03-29 or not did \"x\"", 0, 10000, -1, NULL),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p\n"
	    "LEFT JOIN (SELECT e.\"email\" AS k,\n"
	    "    count(*) FILTER (WHERE e.\"name\" = $1::text AND (e.\"at\" AT "
	    "TIME ZONE 'UTC') >= $2::timestamptz AND (e.\"at\" AT TIME ZONE "
	    "'UTC') < $3::timestamptz AND ((e.\"amount\" IS NOT NULL AND "
	    "e.\"amount\" > $4::float8) AND (e.\"sku\" IS NOT NULL AND "
	    "e.\"sku\" <> '' AND starts_with(lower(e.\"sku\" COLLATE \"C\"), "
	    "$5::text)))) AS a1,\n"
	    "    (avg(e.\"amount\"::float8) FILTER (WHERE e.\"name\" = $7::text))"
	    "::float8 AS a2,\n"
	    "    min((e.\"at\" AT TIME ZONE 'UTC')) FILTER (WHERE e.\"name\" = "
	    "$9::text) AS a3,\n"
	    "    count(*) FILTER (WHERE e.\"name\" = $12::text) AS a4\n"
	    "  FROM \"app\".\"events\" AS e\n"
	    "  WHERE e.\"name\" = ANY($13::text[])\n"
	    "  GROUP BY e.\"email\") AS ev ON ev.k = p.\"email\"\n"
	    "WHERE ((COALESCE(ev.a1, 0) >= $6::bigint) OR (ev.a2 IS NOT NULL "
	    "AND NOT ev.a2 = $8::float8) OR (ev.a3 IS NOT NULL AND ev.a3 >= "
	    "$10::timestamptz AND ev.a3 < $11::timestamptz) OR NOT "
	    "COALESCE(ev.a4, 0) > 0);\n"
	    "-- $1 = 'purchase'\n"
	    "-- $2 = '2026-10-29T12:00:00Z'\n"
	    "-- $3 = '2026-11-28T12:00:01Z'\n"
	    "-- $4 = '100'\n"
	    "-- $5 = 'tv'\n"
	    "-- $6 = '2'\n"
	    "-- $7 = 'purchase'\n"
	    "-- $8 = '100'\n"
	    "-- $9 = 'login'\n"
	    "-- $10 = '2026-03-28T23:00:00Z'\n"
	    "-- $11 = '2026-03-29T22:00:00Z'\n"
	    "-- $12 = 'x'\n"
	    "-- $13 = '{\"purchase\",\"login\",\"x\"}'\n");
}
END_TEST

START_TEST(sums_counts_and_minimums)
{
	with_events();
	src.events_time_naive = 0;
	ck_sql(sql("sum(amount) of \"buy\" >= 500 and count of \"open\" "
	    "between 1 and 3 since 2026-01-01 and min(amount) of \"buy\" < 2 "
	    "and last \"login\" more than 14 days ago", 0, 10000, -1, NULL),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p\n"
	    "LEFT JOIN (SELECT e.\"email\" AS k,\n"
	    "    sum(e.\"amount\"::float8) FILTER (WHERE e.\"name\" = $1::text) "
	    "AS a1,\n"
	    "    count(*) FILTER (WHERE e.\"name\" = $3::text AND e.\"at\" >= "
	    "$4::timestamptz) AS a2,\n"
	    "    min(e.\"amount\"::float8) FILTER (WHERE e.\"name\" = $7::text) "
	    "AS a3,\n"
	    "    max(e.\"at\") FILTER (WHERE e.\"name\" = $9::text) AS a4\n"
	    "  FROM \"app\".\"events\" AS e\n"
	    "  WHERE e.\"name\" = ANY($11::text[])\n"
	    "  GROUP BY e.\"email\") AS ev ON ev.k = p.\"email\"\n"
	    "WHERE ((COALESCE(ev.a1, 0) >= $2::float8) AND (COALESCE(ev.a2, 0) "
	    "BETWEEN $5::bigint AND $6::bigint) AND (ev.a3 IS NOT NULL AND "
	    "ev.a3 < $8::float8) AND (ev.a4 IS NOT NULL AND ev.a4 < "
	    "$10::timestamptz));\n"
	    "-- $1 = 'buy'\n"
	    "-- $2 = '500'\n"
	    "-- $3 = 'open'\n"
	    "-- $4 = '2026-01-01T00:00:00Z'\n"
	    "-- $5 = '1'\n"
	    "-- $6 = '3'\n"
	    "-- $7 = 'buy'\n"
	    "-- $8 = '2'\n"
	    "-- $9 = 'login'\n"
	    "-- $10 = '2026-11-14T12:00:00Z'\n"
	    "-- $11 = '{\"buy\",\"open\",\"login\"}'\n");
}
END_TEST

START_TEST(identifiers_and_values_are_quoted)
{
	static const char *qcols[] = { "e\"mail", "Country Name", "birth_date",
	    "tags", "city", "score", "seen_at", "vip", NULL };

	src.table = "crm.Pro\"files";
	src.key_column = "e\"mail";
	src.order_column = NULL;
	src.columns = qcols;
	ck_sql(sql("country = \"O'Brien\\\\\" or in segment \"Known\"", 0,
	    10000, -1, NULL),
	    "SELECT p.\"e\"\"mail\"\n"
	    "FROM \"crm\".\"Pro\"\"files\" AS p\n"
	    "WHERE ((p.\"Country Name\" IS NOT NULL AND p.\"Country Name\" <> "
	    "'' AND p.\"Country Name\" = $1::text) OR p.\"e\"\"mail\" = "
	    "ANY($2::text[]));\n"
	    "-- $1 = 'O''Brien\\'\n"
	    "-- $2 = '{\"a\",\"b\\\"c\",\"d\\\\e\"}'\n");
}
END_TEST

START_TEST(range_and_limit)
{
	int rin;

	/* Without the server's function reseg applies range and limit. */
	ck_sql(sql("", 2000, 5000, 3, &rin),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p\n"
	    "ORDER BY p.\"created\" NULLS LAST, p.\"email\" COLLATE \"C\";\n");
	ck_assert_int_eq(rin, 0);
	ck_sql(sql("", 0, 10000, -1, &rin),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p;\n");
	ck_assert_int_eq(rin, 1);
	env.bucket_in_sql = 1;
	src.order_column = "city";
	ck_sql(sql("vip is true", 2000, 5000, 3, &rin),
	    "SELECT p.\"email\"\n"
	    "FROM \"people\" AS p\n"
	    "WHERE p.\"vip\" IS TRUE\n"
	    "  AND reseg_bucket(p.\"email\") >= $1::integer AND "
	    "reseg_bucket(p.\"email\") < $2::integer\n"
	    "ORDER BY p.\"city\" COLLATE \"C\" NULLS LAST, p.\"email\" COLLATE "
	    "\"C\"\n"
	    "LIMIT $3::bigint;\n"
	    "-- $1 = '2000'\n"
	    "-- $2 = '5000'\n"
	    "-- $3 = '3'\n");
	ck_assert_int_eq(rin, 1);
}
END_TEST

START_TEST(why_one_boolean_per_node)
{
	struct sql_stmt st;
	struct cond *c;
	char *cause = NULL, *s;

	with_events();
	c = cond_parse("vip is true and not (country = \"RU\" or did \"buy\" "
	    "where (sku = \"TV\"))", &cause);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(sqlgen_why(&src, c, &env, &st, &cause), 0);
	ck_assert_ptr_null(st.params[0]);
	st.params[0] = xstrdup("k@x");
	s = sqlgen_format(&st);
	ck_assert_str_eq(s,
	    "SELECT\n"
	    "  (p.\"vip\" IS TRUE AND NOT ((p.\"country\" IS NOT NULL AND "
	    "p.\"country\" <> '' AND p.\"country\" = $2::text) OR "
	    "COALESCE(ev.a1, 0) > 0)),\n"
	    "  p.\"vip\" IS TRUE,\n"
	    "  NOT ((p.\"country\" IS NOT NULL AND p.\"country\" <> '' AND "
	    "p.\"country\" = $2::text) OR COALESCE(ev.a1, 0) > 0),\n"
	    "  ((p.\"country\" IS NOT NULL AND p.\"country\" <> '' AND "
	    "p.\"country\" = $2::text) OR COALESCE(ev.a1, 0) > 0),\n"
	    "  (p.\"country\" IS NOT NULL AND p.\"country\" <> '' AND "
	    "p.\"country\" = $2::text),\n"
	    "  COALESCE(ev.a1, 0) > 0\n"
	    "FROM \"people\" AS p\n"
	    "LEFT JOIN (SELECT e.\"email\" AS k,\n"
	    "    count(*) FILTER (WHERE e.\"name\" = $3::text AND "
	    "(e.\"sku\" IS NOT NULL AND e.\"sku\" <> '' AND e.\"sku\" = "
	    "$4::text)) AS a1\n"
	    "  FROM \"app\".\"events\" AS e\n"
	    "  WHERE e.\"name\" = ANY($5::text[]) AND e.\"email\" = $1::text\n"
	    "  GROUP BY e.\"email\") AS ev ON ev.k = p.\"email\"\n"
	    "WHERE p.\"email\" = $1::text;\n"
	    "-- $1 = 'k@x'\n"
	    "-- $2 = 'RU'\n"
	    "-- $3 = 'buy'\n"
	    "-- $4 = 'TV'\n"
	    "-- $5 = '{\"buy\"}'\n");
	free(s);
	sqlgen_stmt_free(&st);
	cond_free(c);
}
END_TEST

START_TEST(format_escapes_control_characters)
{
	struct sql_stmt st;
	char *p[2], *s;

	p[0] = xstrdup("a\nb\\c'd");
	p[1] = NULL;
	st.text = xstrdup("SELECT $1::text, $2::text");
	st.params = p;
	st.nparams = 2;
	s = sqlgen_format(&st);
	ck_assert_str_eq(s, "SELECT $1::text, $2::text;\n"
	    "-- $1 = E'a\\nb\\\\c''d'\n"
	    "-- $2 = NULL\n");
	free(s);
	free(st.text);
	free(p[0]);
}
END_TEST

START_TEST(errors_name_the_place)
{
	char *e;

	e = sql_err("country = \"x\" and\n  contry = \"RU\"");
	ck_assert_str_eq(e, "line 2, column 3: There is no field 'contry' in "
	    "the database 'crm'.");
	free(e);
	e = sql_err("did \"buy\"");
	ck_assert_str_eq(e, "line 1, column 1: The database 'crm' has no "
	    "events table.");
	free(e);
	e = sql_err("in segment \"Nope\"");
	ck_assert_str_eq(e, "no segment called Nope");
	free(e);
	e = sql_err("score contains \"x\"");
	ck_assert_str_eq(e, "line 1, column 1: The operator 'contains' does "
	    "not apply to the float field 'score'.");
	free(e);
}
END_TEST

/* The rows a server with the right function returns to the probe. */
START_TEST(probe_accepts_only_the_right_buckets)
{
	const char *sqlt = sqlgen_probe_sql();
	const char *rows[16];
	char buf[16][8], *hex, *end;
	size_t n = 0, i, len;
	unsigned char key[2048];

	/* Each VALUES row's hex key, decoded here, gives its bucket. */
	for (hex = strstr(sqlt, "(0, '"); hex != NULL && n < 16;
	    hex = strstr(end, ", (")) {
		hex = strchr(hex, '\'') + 1;
		end = strchr(hex, '\'');
		len = (size_t)(end - hex) / 2;
		for (i = 0; i < len; i++) {
			unsigned v;

			ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
			key[i] = (unsigned char)v;
		}
		snprintf(buf[n], sizeof buf[n], "%u",
		    (unsigned)bucket_of_key(key, len));
		rows[n] = buf[n];
		n++;
	}
	ck_assert_uint_ge(n, 8);
	ck_assert_int_eq(sqlgen_probe_ok(rows, n), 1);
	ck_assert_int_eq(sqlgen_probe_ok(rows, n - 1), 0);
	snprintf(buf[3], sizeof buf[3], "%u",
	    (unsigned)(atoi(buf[3]) + 1) % 10000);
	ck_assert_int_eq(sqlgen_probe_ok(rows, n), 0);
	rows[3] = NULL;
	ck_assert_int_eq(sqlgen_probe_ok(rows, n), 0);
	ck_assert_ptr_nonnull(strstr(sqlgen_bucket_function(),
	    "IMMUTABLE STRICT PARALLEL SAFE"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sqlgen");
	TCase *tc = tcase_create("sqlgen");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fields_strings_dates_tags_and_limit);
	tcase_add_test(tc, case_rules_and_empty_values);
	tcase_add_test(tc, relative_dates_in_the_timezone);
	tcase_add_test(tc, event_tests_one_grouped_subquery);
	tcase_add_test(tc, sums_counts_and_minimums);
	tcase_add_test(tc, identifiers_and_values_are_quoted);
	tcase_add_test(tc, range_and_limit);
	tcase_add_test(tc, why_one_boolean_per_node);
	tcase_add_test(tc, format_escapes_control_characters);
	tcase_add_test(tc, errors_name_the_place);
	tcase_add_test(tc, probe_accepts_only_the_right_buckets);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
