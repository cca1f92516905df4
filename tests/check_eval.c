/*
 * Compiled evaluation: exact member sets for every operator and type,
 * empty values, groups, in segment, range, limit, threads, timezones,
 * cancellation and explanations.  The dataset is a function of the
 * profile number, and each expectation is written here as plain C over
 * that function, independently of the engine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "cond.h"
#include "eval.h"
#include "pdb.h"
#include "pdb_int.h"
#include "store.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

/* 2026-11-28T12:00:00Z */
#define NOW	INT64_C(1795867200)
#define TODAY	20785		/* 2026-11-28 */

static const char *cities[] = { "Moscow", "moscow", "Berlin",
    "Новосибирск", NULL };

struct fixture {
	char		*dir;
	struct store	*st;
	uint32_t	 n;
};

/* The dataset: profile i's values. */
static int n_empty(uint32_t i) { return i % 7 == 0; }
static int64_t n_val(uint32_t i) { return i % 10; }
static int f_empty(uint32_t i) { return i % 11 == 0; }
static double f_val(uint32_t i) { return (double)(i % 20) / 4.0 - 1.0; }
static int b_empty(uint32_t i) { return i % 13 == 0; }
static int b_val(uint32_t i) { return i % 3 == 0; }
static int d_empty(uint32_t i) { return i % 17 == 0; }
static int32_t d_val(uint32_t i) { return TODAY - (int32_t)(i % 400); }
static int t_empty(uint32_t i) { return i % 19 == 0; }
static int64_t t_val(uint32_t i) { return NOW - (int64_t)i * 3600; }
static const char *s_val(uint32_t i) { return cities[i % 5]; }
static int tag_vip(uint32_t i) { return i % 4 == 1 || i % 4 == 2; }
static int tag_news(uint32_t i) { return i % 4 == 2 || i % 4 == 3; }

static const char *fixture_fields =
    "key:string,n:int,f:float,b:bool,d:date,t:datetime,s:string,tags:tags";

static int
fixture_apply(struct store_txn *txn, void *arg, char **cause)
{
	struct pdb_upsert_stats st;

	return pdb_batch_apply(txn, "t", arg, &st, cause);
}

static void
fixture_make(struct fixture *fx, uint32_t n)
{
	struct field *fields;
	struct pdb_schema *schema;
	struct store_txn *txn;
	struct pdb_batch *b;
	struct value row[8];
	const char *tv[2];
	char key[32], *cause = NULL;
	size_t nf;
	uint32_t i;

	fx->dir = testlib_tempdir();
	fx->n = n;
	ck_assert_msg(store_open(fx->dir, &fx->st, &cause) == 0, "%s", cause);
	ck_assert(schema_parse_fields(fixture_fields, &fields, &nf,
	    &cause) == 0);
	ck_assert_msg(pdb_create(fx->st, "t", fields, nf, "key", &cause) == 0,
	    "%s", cause);
	fields_free(fields, nf);
	ck_assert(store_read_begin(fx->st, &txn, &cause) == 0);
	ck_assert_msg(pdb_open(txn, "t", &schema, &cause) == 0, "%s", cause);
	store_read_end(txn);
	b = pdb_batch_new(schema);
	for (i = 0; i < n; i++) {
		memset(row, 0, sizeof row);
		snprintf(key, sizeof key, "k%05u", i);
		row[0].present = 1;
		row[0].u.s.p = key;
		row[0].u.s.len = (uint32_t)strlen(key);
		row[1].present = !n_empty(i);
		row[1].u.i = n_empty(i) ? 0 : n_val(i);
		row[2].present = !f_empty(i);
		row[2].u.f = f_empty(i) ? 0 : f_val(i);
		row[3].present = !b_empty(i);
		row[3].u.b = b_empty(i) ? 0 : b_val(i);
		row[4].present = !d_empty(i);
		row[4].u.date = d_empty(i) ? 0 : d_val(i);
		row[5].present = !t_empty(i);
		row[5].u.dt = t_empty(i) ? 0 : t_val(i);
		row[6].present = s_val(i) != NULL;
		if (s_val(i) != NULL) {
			row[6].u.s.p = s_val(i);
			row[6].u.s.len = (uint32_t)strlen(s_val(i));
		}
		tv[0] = tv[1] = NULL;
		row[7].u.tags.n = 0;
		if (tag_vip(i))
			tv[row[7].u.tags.n++] = "vip";
		if (tag_news(i))
			tv[row[7].u.tags.n++] = "news";
		row[7].present = row[7].u.tags.n > 0;
		row[7].u.tags.v = tv;
		pdb_batch_add(b, row);
	}
	ck_assert_msg(store_write(fx->st, fixture_apply, b, &cause) == 0, "%s",
	    cause);
	pdb_batch_free(b);
	schema_free(schema);
}

static void
fixture_free(struct fixture *fx)
{
	store_close(fx->st);
	testlib_rmtree(fx->dir);
	free(fx->dir);
}

static struct fixture fx;
static roaring_bitmap_t *seg_s;

static void
setup_small(void)
{
	fixture_make(&fx, 300);
	seg_s = roaring_bitmap_of(4, 1, 2, 3, 100);
}

static void
setup_big(void)
{
	fixture_make(&fx, 40000);
	seg_s = roaring_bitmap_of(4, 1, 2, 3, 100);
}

static void
teardown(void)
{
	fixture_free(&fx);
	roaring_bitmap_free(seg_s);
}

static const roaring_bitmap_t *
members_of(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "S") == 0 ? seg_s : NULL;
}

/* The values of the external queries "in query" tests. */
static const char *q_cities[] = { "Berlin", "moscow" };
/* Only "3" and "9" are the canonical text of an int. */
static const char *q_nums[] = { "3", "007", "4.0", "+5", " 6", "-0", "9",
    "x", "" };
static const char *q_days[] = { "2026-11-28", "2026-11-27", "2026-1-26" };
static const char *q_tags[] = { "news", "other" };

static int
values_of(void *arg, const char *name, const char *const **v, size_t *n)
{
	(void)arg;
#define Q(s, a) if (strcmp(name, s) == 0) { *v = a; \
	    *n = sizeof a / sizeof a[0]; return 0; }
	Q("cities", q_cities);
	Q("nums", q_nums);
	Q("days", q_days);
	Q("tags", q_tags);
#undef Q
	return -1;
}

struct runopts {
	const char	*tz;
	uint16_t	 lo, hi;
	int64_t		 limit;
	int		 threads;
	atomic_int	*cancel;
};

static int
run_opts(const char *script, const struct runopts *o, roaring_bitmap_t *out,
    char **cause)
{
	struct eval_env env = { NOW, o->tz, members_of, NULL, values_of,
	    NULL };
	struct eval_query q;
	struct eval_progress pr = { NULL, NULL, o->cancel };
	struct eval_prog *prog;
	struct pdb_schema *schema;
	struct store_txn *txn;
	struct cond *c;
	int rc;

	c = cond_parse(script, cause);
	ck_assert_msg(c != NULL, "%s: %s", script, *cause);
	q.cond = c;
	q.range_lo = o->lo;
	q.range_hi = o->hi;
	q.limit = o->limit;
	ck_assert(store_read_begin(fx.st, &txn, cause) == 0);
	ck_assert(pdb_open(txn, "t", &schema, cause) == 0);
	rc = eval_compile(schema, &q, &env, &prog, cause);
	if (rc == 0) {
		rc = eval_run(prog, txn, o->threads, &pr, out, cause);
		eval_free(prog);
	}
	schema_free(schema);
	store_read_end(txn);
	cond_free(c);
	return rc;
}

static roaring_bitmap_t *
run(const char *script, const char *tz, int threads)
{
	struct runopts o = { tz, 0, 10000, -1, threads, NULL };
	roaring_bitmap_t *out = roaring_bitmap_create();
	char *cause = NULL;

	ck_assert_msg(run_opts(script, &o, out, &cause) == 0, "%s: %s", script,
	    cause);
	return out;
}

typedef int (*expect_fn)(uint32_t);

static void
check_set(const char *script, const roaring_bitmap_t *got,
    const roaring_bitmap_t *want)
{
	uint32_t i;

	if (roaring_bitmap_equals(got, want))
		return;
	for (i = 0; i < fx.n; i++) {
		if (roaring_bitmap_contains(got, i) !=
		    roaring_bitmap_contains(want, i))
			break;
	}
	ck_abort_msg("%s: got %llu members, want %llu; first difference at "
	    "profile %u (got %d)", script,
	    (unsigned long long)roaring_bitmap_get_cardinality(got),
	    (unsigned long long)roaring_bitmap_get_cardinality(want), i,
	    (int)roaring_bitmap_contains(got, i));
}

static void
expect_tz(const char *script, const char *tz, expect_fn fn)
{
	roaring_bitmap_t *got = run(script, tz, 1), *want;
	uint32_t i;

	want = roaring_bitmap_create();
	for (i = 0; i < fx.n; i++) {
		if (fn(i))
			roaring_bitmap_add(want, i);
	}
	check_set(script, got, want);
	roaring_bitmap_free(got);
	roaring_bitmap_free(want);
}

static void
expect(const char *script, expect_fn fn)
{
	expect_tz(script, NULL, fn);
}

#define N_OK(i)	(!n_empty(i))
static int e_n_eq3(uint32_t i) { return N_OK(i) && n_val(i) == 3; }
static int e_n_ne3(uint32_t i) { return N_OK(i) && n_val(i) != 3; }
static int e_not_n_eq3(uint32_t i) { return !e_n_eq3(i); }
static int e_n_lt3(uint32_t i) { return N_OK(i) && n_val(i) < 3; }
static int e_n_le3(uint32_t i) { return N_OK(i) && n_val(i) <= 3; }
static int e_n_gt7(uint32_t i) { return N_OK(i) && n_val(i) > 7; }
static int e_n_ge8(uint32_t i) { return N_OK(i) && n_val(i) >= 8; }
static int e_n_btw(uint32_t i) { return N_OK(i) && n_val(i) >= 2 && n_val(i) <= 4; }
static int e_n_in(uint32_t i) { return N_OK(i) && (n_val(i) == 1 || n_val(i) == 5); }
static int e_n_notin(uint32_t i) { return N_OK(i) && n_val(i) != 1 && n_val(i) != 5; }
static int e_n_empty(uint32_t i) { return n_empty(i); }
static int e_n_nempty(uint32_t i) { return !n_empty(i); }
static int e_n_lt25(uint32_t i) { return N_OK(i) && n_val(i) <= 2; }
static int e_none(uint32_t i) { (void)i; return 0; }
static int e_all(uint32_t i) { (void)i; return 1; }

START_TEST(ints)
{
	expect("n = 3", e_n_eq3);
	expect("n != 3", e_n_ne3);
	expect("not n = 3", e_not_n_eq3);
	expect("n < 3", e_n_lt3);
	expect("n <= 3", e_n_le3);
	expect("n > 7", e_n_gt7);
	expect("n >= 8", e_n_ge8);
	expect("n between 2 and 4", e_n_btw);
	expect("n between 4 and 2", e_none);
	expect("n in (1, 5)", e_n_in);
	expect("n not in (1, 5)", e_n_notin);
	expect("n is empty", e_n_empty);
	expect("n is not empty", e_n_nempty);
	expect("n < 2.5", e_n_lt25);
	expect("n = 2.5", e_none);
	expect("", e_all);
}
END_TEST

#define F_OK(i)	(!f_empty(i))
static int e_f_gt15(uint32_t i) { return F_OK(i) && f_val(i) > 1.5; }
static int e_f_eq(uint32_t i) { return F_OK(i) && f_val(i) == 0.25; }
static int e_f_btw(uint32_t i) { return F_OK(i) && f_val(i) >= -1 && f_val(i) <= 0; }
static int e_f_lt0(uint32_t i) { return F_OK(i) && f_val(i) < 0; }
static int e_f_ne0(uint32_t i) { return F_OK(i) && f_val(i) != 0; }

START_TEST(floats)
{
	expect("f > 1.5", e_f_gt15);
	expect("f = 0.25", e_f_eq);
	expect("f between -1 and 0", e_f_btw);
	expect("f < 0", e_f_lt0);
	expect("f != 0", e_f_ne0);
}
END_TEST

#define B_OK(i)	(!b_empty(i))
static int e_b_true(uint32_t i) { return B_OK(i) && b_val(i); }
static int e_b_false(uint32_t i) { return B_OK(i) && !b_val(i); }
static int e_not_b_true(uint32_t i) { return !e_b_true(i); }
static int e_b_ne_true(uint32_t i) { return B_OK(i) && !b_val(i); }

START_TEST(bools)
{
	expect("b is true", e_b_true);
	expect("b is false", e_b_false);
	expect("b = true", e_b_true);
	expect("b = false", e_b_false);
	expect("b != true", e_b_ne_true);
	expect("not b is true", e_not_b_true);
}
END_TEST

#define S(i)	s_val(i)
static int e_s_eq(uint32_t i) { return S(i) && strcmp(S(i), "Moscow") == 0; }
static int e_s_ne(uint32_t i) { return S(i) && strcmp(S(i), "Moscow") != 0; }
static int e_s_in(uint32_t i) { return S(i) && (strcmp(S(i), "Moscow") == 0 || strcmp(S(i), "Berlin") == 0); }
static int e_s_notin(uint32_t i) { return S(i) && !e_s_in(i); }
static int e_s_osc(uint32_t i) { return S(i) && strstr(S(i), "osc") != NULL; }
static int e_s_nosc(uint32_t i) { return S(i) && strstr(S(i), "osc") == NULL; }
static int e_not_s_osc(uint32_t i) { return !e_s_osc(i); }
static int e_s_lin(uint32_t i) { return S(i) && strcmp(S(i), "Berlin") == 0; }
static int e_s_len6(uint32_t i) { return S(i) && i % 5 <= 2; }
static int e_s_len11(uint32_t i) { return S(i) && i % 5 == 3; }
static int e_s_empty(uint32_t i) { return S(i) == NULL; }
static int e_s_cyr(uint32_t i) { return S(i) && i % 5 == 3; }
static int e_s_lt(uint32_t i) { return S(i) && strcmp(S(i), "Moscow") < 0; }
static int e_s_berlin_n(uint32_t i) { return S(i) && strcmp(S(i), "Berlin") != 0; }
static int e_s_nsk(uint32_t i) { return S(i) && i % 5 == 3; }
static int e_s_not_nsk(uint32_t i) { return S(i) && i % 5 != 3; }

START_TEST(strings)
{
	expect("s = \"Moscow\"", e_s_eq);
	expect("s = \"MOSCOW\"", e_none);
	expect("s != \"Moscow\"", e_s_ne);
	expect("s in (\"Moscow\", \"Berlin\")", e_s_in);
	expect("s not in (\"Moscow\", \"Berlin\")", e_s_notin);
	expect("s contains \"OSC\"", e_s_osc);
	expect("s not contains \"osc\"", e_s_nosc);
	/*
	 * A chunk's dictionary is searched as one run of bytes; a match
	 * across two entries ("Moscow|moscow|Berlin|Новосибирск") is none.
	 */
	expect("s contains \"wm\"", e_none);
	expect("s contains \"WBER\"", e_none);
	expect("s contains \"linН\"", e_none);
	expect("s not contains \"lin\"", e_s_berlin_n);
	expect("s contains \"сиб\"", e_s_nsk);
	expect("s contains \"ск\"", e_s_nsk);
	expect("s not contains \"Новосибирск\"", e_s_not_nsk);
	expect("s contains \"Новосибирскк\"", e_none);
	expect("not s contains \"osc\"", e_not_s_osc);
	expect("s starts with \"mO\"", e_s_osc);
	expect("s ends with \"LIN\"", e_s_lin);
	expect("lower(s) = \"moscow\"", e_s_osc);
	expect("lower(s) = \"Moscow\"", e_none);
	expect("length(s) = 6", e_s_len6);
	expect("length(s) > 6", e_s_len11);
	expect("s is empty", e_s_empty);
	expect("s starts with \"Новосиб\"", e_s_cyr);
	expect("s < \"Moscow\"", e_s_lt);
}
END_TEST

static int e_t_vip(uint32_t i) { return tag_vip(i); }
static int e_t_any(uint32_t i) { return tag_news(i); }
static int e_t_all(uint32_t i) { return tag_vip(i) && tag_news(i); }
static int e_t_none(uint32_t i) { return !tag_vip(i); }
static int e_t_empty(uint32_t i) { return i % 4 == 0; }
static int e_t_len1(uint32_t i) { return i % 4 == 1 || i % 4 == 3; }

START_TEST(tags)
{
	expect("tags has \"vip\"", e_t_vip);
	expect("tags has \"VIP\"", e_none);
	expect("tags has any (\"news\", \"x\")", e_t_any);
	expect("tags has all (\"vip\", \"news\")", e_t_all);
	expect("tags has all (\"vip\", \"news\", \"x\")", e_none);
	expect("tags has none (\"vip\")", e_t_none);
	expect("tags is empty", e_t_empty);
	expect("length(tags) = 1", e_t_len1);
	expect("length(tags) = 2", e_t_all);
}
END_TEST

#define D_OK(i)	(!d_empty(i))
static int e_d_last30(uint32_t i) { return D_OK(i) && i % 400 <= 30; }
static int e_d_more300(uint32_t i) { return D_OK(i) && i % 400 > 300; }
static int e_d_next(uint32_t i) { return D_OK(i) && i % 400 == 0; }
static int e_d_before(uint32_t i) { return D_OK(i) && d_val(i) < tu_days_from_civil(2026, 1, 1); }
static int e_d_on(uint32_t i) { return D_OK(i) && i % 400 == 1; }
static int e_d_after(uint32_t i) { return D_OK(i) && i % 400 < 1; }
static int e_d_age1(uint32_t i) { return D_OK(i) && i % 400 >= 365; }
static int e_d_since(uint32_t i) { return D_OK(i) && i % 400 >= 10 && i % 400 <= 20; }
static int e_d_until(uint32_t i) { return D_OK(i) && i % 400 >= 2; }

START_TEST(dates)
{
	expect("d within last 30 days", e_d_last30);
	expect("d more than 300 days ago", e_d_more300);
	expect("d within next 5 days", e_d_next);
	expect("d before 2026-01-01", e_d_before);
	expect("d on 2026-11-27", e_d_on);
	expect("d after 2026-11-27", e_d_after);
	expect("age(d) >= 1", e_d_age1);
	expect("days_since(d) between 10 and 20", e_d_since);
	expect("days_until(d) <= -2", e_d_until);
	expect("d = 2026-11-27", e_d_on);
}
END_TEST

#define T_OK(i)	(!t_empty(i))
static int e_t_5h(uint32_t i) { return T_OK(i) && i <= 5; }
static int e_t_2d(uint32_t i) { return T_OK(i) && i <= 48; }
static int e_t_10d(uint32_t i) { return T_OK(i) && i > 240; }
static int e_t_on_utc(uint32_t i) { return T_OK(i) && i >= 13 && i <= 36; }
static int e_t_on_ist(uint32_t i) { return T_OK(i) && i >= 18 && i <= 41; }
static int e_t_next(uint32_t i) { return T_OK(i) && i == 0; }
static int e_t_since1(uint32_t i) { return T_OK(i) && i >= 13 && i <= 36; }
static int e_t_ge(uint32_t i) { return T_OK(i) && i <= 12; }

START_TEST(datetimes)
{
	expect("t within last 5 hours", e_t_5h);
	expect("t within last 2 days", e_t_2d);
	expect("t more than 10 days ago", e_t_10d);
	expect("t within next 3 days", e_t_next);
	expect("t on 2026-11-27", e_t_on_utc);
	expect_tz("t on 2026-11-27", "Asia/Kolkata", e_t_on_ist);
	expect("days_since(t) = 1", e_t_since1);
	expect("t >= 2026-11-28T00:00:00Z", e_t_ge);
	expect("t >= 2026-11-28", e_t_ge);
}
END_TEST

static int e_grp(uint32_t i) { return (e_n_in(i) || e_s_lin(i)) && e_b_true(i); }
static int e_notgrp(uint32_t i) { return !(e_n_eq3(i) || e_s_eq(i)); }
static int e_nested(uint32_t i) { return e_t_vip(i) && !(e_d_last30(i) && !e_b_true(i)); }

START_TEST(groups)
{
	expect("(n in (1, 5) or s = \"Berlin\") and b is true", e_grp);
	expect("not (n = 3 or s = \"Moscow\")", e_notgrp);
	expect("tags has \"vip\" and not (d within last 30 days and "
	    "not b is true)", e_nested);
}
END_TEST

static int e_seg(uint32_t i) { return i == 1 || i == 2 || i == 3 || i == 100; }
static int e_nseg(uint32_t i) { return !e_seg(i); }
static int e_seg_n(uint32_t i) { return e_seg(i) && e_n_lt3(i); }

START_TEST(in_segment)
{
	struct runopts o = { NULL, 0, 10000, -1, 1, NULL };
	roaring_bitmap_t *out = roaring_bitmap_create();
	char *cause = NULL;

	expect("in segment \"S\"", e_seg);
	expect("not in segment \"S\"", e_nseg);
	expect("in segment \"S\" and n < 3", e_seg_n);
	ck_assert_int_eq(run_opts("in segment \"Nope\"", &o, out, &cause), -1);
	ck_assert_str_eq(cause, "line 1, column 1: The segment \"Nope\" used "
	    "by 'in segment' does not exist.");
	free(cause);
	roaring_bitmap_free(out);
}
END_TEST

static uint16_t
bucket_of(uint32_t i)
{
	char key[32];

	snprintf(key, sizeof key, "k%05u", i);
	return bucket_of_key(key, strlen(key));
}

static int e_q_city(uint32_t i) { return s_val(i) != NULL &&
    (strcmp(s_val(i), "Berlin") == 0 || strcmp(s_val(i), "moscow") == 0); }
static int e_q_ncity(uint32_t i) { return s_val(i) != NULL && !e_q_city(i); }
static int e_q_n(uint32_t i) { return N_OK(i) && (n_val(i) == 3 ||
    n_val(i) == 9); }
static int e_q_nn(uint32_t i) { return N_OK(i) && !e_q_n(i); }
static int e_q_notn(uint32_t i) { return !e_q_n(i); }
static int e_q_d(uint32_t i) { return !d_empty(i) && (d_val(i) == TODAY ||
    d_val(i) == TODAY - 1); }
static int e_q_t(uint32_t i) { return tag_news(i); }
static int e_q_nt(uint32_t i) { return tag_vip(i) && !tag_news(i); }

START_TEST(in_query)
{
	struct runopts o = { NULL, 0, 10000, -1, 1, NULL };
	roaring_bitmap_t *out = roaring_bitmap_create();
	char *cause = NULL;

	expect("s in query \"cities\"", e_q_city);
	expect("s not in query \"cities\"", e_q_ncity);
	expect("n in query \"nums\"", e_q_n);
	expect("n not in query \"nums\"", e_q_nn);
	expect("not n in query \"nums\"", e_q_notn);
	expect("d in query \"days\"", e_q_d);
	expect("tags in query \"tags\"", e_q_t);
	expect("tags not in query \"tags\"", e_q_nt);
	ck_assert_int_eq(run_opts("n < 3 or s in query \"Nope\"", &o, out,
	    &cause), -1);
	ck_assert_str_eq(cause, "line 1, column 10: The values of the query "
	    "\"Nope\" used by 'in query' are not available.");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(run_opts("f in query \"nums\"", &o, out, &cause),
	    -1);
	ck_assert_str_eq(cause, "line 1, column 1: 'in query' takes a string, "
	    "int, date or tags field, but 'f' is of type float.");
	free(cause);
	roaring_bitmap_free(out);
}
END_TEST

START_TEST(range_and_limit)
{
	struct runopts o = { NULL, 0, 2000, -1, 1, NULL };
	roaring_bitmap_t *out, *want;
	char *cause = NULL;
	uint32_t i, kept = 0;

	/* Range after the conditions. */
	out = roaring_bitmap_create();
	want = roaring_bitmap_create();
	ck_assert(run_opts("n is not empty", &o, out, &cause) == 0);
	for (i = 0; i < fx.n; i++) {
		if (N_OK(i) && bucket_of(i) < 2000)
			roaring_bitmap_add(want, i);
	}
	ck_assert_uint_gt(roaring_bitmap_get_cardinality(want), 20);
	check_set("range 0-20", out, want);
	roaring_bitmap_free(out);
	roaring_bitmap_free(want);

	/* 80-100 never meets 0-20; 0-100 keeps all. */
	o.lo = 8000;
	o.hi = 10000;
	out = roaring_bitmap_create();
	want = roaring_bitmap_create();
	ck_assert(run_opts("", &o, out, &cause) == 0);
	for (i = 0; i < fx.n; i++) {
		if (bucket_of(i) >= 8000)
			roaring_bitmap_add(want, i);
	}
	check_set("range 80-100", out, want);
	roaring_bitmap_free(out);
	roaring_bitmap_free(want);

	/* The limit keeps the first N after the range. */
	o.lo = 1234;
	o.hi = 7777;
	o.limit = 25;
	out = roaring_bitmap_create();
	want = roaring_bitmap_create();
	ck_assert(run_opts("b is not empty", &o, out, &cause) == 0);
	for (i = 0; i < fx.n && kept < 25; i++) {
		if (B_OK(i) && bucket_of(i) >= 1234 && bucket_of(i) < 7777) {
			roaring_bitmap_add(want, i);
			kept++;
		}
	}
	ck_assert_uint_eq(kept, 25);
	check_set("range 12.34-77.77 limit 25", out, want);
	roaring_bitmap_free(out);
	roaring_bitmap_free(want);

	/* Limit 0 keeps nobody. */
	o.limit = 0;
	out = roaring_bitmap_create();
	ck_assert(run_opts("", &o, out, &cause) == 0);
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(out), 0);
	roaring_bitmap_free(out);
}
END_TEST

static int e_complex(uint32_t i)
{
	return (e_s_osc(i) && e_n_btw(i)) || (e_t_vip(i) && e_d_last30(i)) ||
	    (!e_b_true(i) && e_f_gt15(i) && !e_t_any(i));
}

START_TEST(threads_agree)
{
	const char *q = "(s contains \"osc\" and n between 2 and 4) or "
	    "(tags has \"vip\" and d within last 30 days) or "
	    "(not b is true and f > 1.5 and not tags has any (\"news\"))";
	roaring_bitmap_t *one, *two, *all;

	expect(q, e_complex);
	one = run(q, NULL, 1);
	two = run(q, NULL, 2);
	all = run(q, NULL, 0);
	ck_assert(roaring_bitmap_equals(one, two));
	ck_assert(roaring_bitmap_equals(one, all));
	ck_assert_uint_gt(roaring_bitmap_get_cardinality(one), 5000);
	roaring_bitmap_free(one);
	roaring_bitmap_free(two);
	roaring_bitmap_free(all);
}
END_TEST

/*
 * Several roaring containers (65536 profiles each, the last one partly
 * filled): the workers' bits become whole containers, bitsets for more
 * than 4096 members, arrays below, none for a group without members.
 */
#define GROUPS_N	140000

static int e_g_ref(uint32_t i)
{
	return (e_s_in(i) && e_d_last30(i)) ||
	    (N_OK(i) && n_val(i) >= 3 && T_OK(i) && i <= 72000);
}
static int e_g_sel(uint32_t i) { return e_s_lin(i) && N_OK(i) && n_val(i) == 2; }
static int e_g_pre(uint32_t i) { return e_s_osc(i); }
static int e_g_list(uint32_t i) { return e_s_in(i) || e_s_cyr(i); }
static int e_g_tempty(uint32_t i) { return t_empty(i); }
static int e_g_mix(uint32_t i)
{
	return (e_b_true(i) && e_f_gt15(i)) || (S(i) &&
	    strcmp(S(i), "moscow") == 0 && e_n_eq3(i)) ||
	    (N_OK(i) && n_val(i) == 0);
}
static int e_g_sparse(uint32_t i) { return e_d_on(i) && N_OK(i) && n_val(i) == 1; }
static int e_g_first(uint32_t i) { return T_OK(i) && i <= 2400; }

static const struct {
	const char	*script;
	expect_fn	 fn;
} group_classes[] = {
	{ "(s in (\"Moscow\", \"Berlin\") and d within last 30 days) or "
	    "(n >= 3 and t within last 3000 days)", e_g_ref },
	{ "s = \"Berlin\" and n between 2 and 2", e_g_sel },
	{ "s contains \"osc\"", e_s_osc },
	{ "s starts with \"mo\"", e_g_pre },
	{ "s in (\"Moscow\", \"Berlin\", \"Новосибирск\", \"Kazan\", "
	    "\"Omsk\")", e_g_list },
	{ "tags has any (\"news\", \"promo\")", e_t_any },
	{ "t is empty", e_g_tempty },
	{ "(b is true and f > 1.5) or (s = \"moscow\" and n = 3) or n = 0",
	    e_g_mix },
	{ "d on 2026-11-27 and n = 1", e_g_sparse },
	{ "t within last 100 days", e_g_first },
	{ "", e_all },
};

static void
setup_groups(void)
{
	fixture_make(&fx, GROUPS_N);
	seg_s = roaring_bitmap_of(4, 1, 2, 3, 100);
}

static roaring_bitmap_t *
want_of(expect_fn fn, const roaring_bitmap_t *dead, int64_t limit)
{
	roaring_bitmap_t *want = roaring_bitmap_create();
	uint32_t i;

	for (i = 0; i < fx.n && limit != 0; i++) {
		if (fn(i) && (dead == NULL || !roaring_bitmap_contains(dead,
		    i))) {
			roaring_bitmap_add(want, i);
			limit--;
		}
	}
	return want;
}

static void
groups_check(const roaring_bitmap_t *dead, int64_t limit)
{
	struct runopts o = { NULL, 0, 10000, limit, 1, NULL };
	roaring_bitmap_t *one, *two, *want;
	char *cause = NULL, what[400];
	size_t k;

	for (k = 0; k < sizeof group_classes / sizeof group_classes[0]; k++) {
		want = want_of(group_classes[k].fn, dead, limit);
		snprintf(what, sizeof what, "%s (limit %lld)",
		    group_classes[k].script, (long long)limit);
		one = roaring_bitmap_create();
		two = roaring_bitmap_create();
		o.threads = 1;
		ck_assert_msg(run_opts(group_classes[k].script, &o, one,
		    &cause) == 0, "%s", cause);
		o.threads = 2;
		ck_assert_msg(run_opts(group_classes[k].script, &o, two,
		    &cause) == 0, "%s", cause);
		check_set(what, one, want);
		check_set(what, two, want);
		roaring_bitmap_free(one);
		roaring_bitmap_free(two);
		roaring_bitmap_free(want);
	}
}

/*
 * Every class in one shared pass (eval_run_many), with the limit on
 * every other program, and once more with a range: the same members as
 * each program run alone.
 */
static void
groups_many(const roaring_bitmap_t *dead, int64_t limit)
{
	enum { NC = sizeof group_classes / sizeof group_classes[0] };
	struct eval_env env = { NOW, NULL, members_of, NULL, values_of,
	    NULL };
	struct runopts o = { NULL, 1234, 7777, -1, 1, NULL };
	struct eval_prog *progs[NC + 1];
	roaring_bitmap_t *outs[NC + 1], *want;
	struct eval_query q;
	struct pdb_schema *schema;
	struct store_txn *txn;
	struct cond *conds[NC + 1];
	char *cause = NULL, what[400];
	size_t k;

	ck_assert(store_read_begin(fx.st, &txn, &cause) == 0);
	ck_assert(pdb_open(txn, "t", &schema, &cause) == 0);
	for (k = 0; k <= NC; k++) {
		conds[k] = cond_parse(group_classes[k % NC].script, &cause);
		ck_assert_msg(conds[k] != NULL, "%s", cause);
		q.cond = conds[k];
		q.range_lo = k == NC ? 1234 : 0;
		q.range_hi = k == NC ? 7777 : 10000;
		q.limit = k % 2 == 1 && k < NC ? limit : -1;
		ck_assert(eval_compile(schema, &q, &env, &progs[k],
		    &cause) == 0);
		outs[k] = roaring_bitmap_create();
	}
	ck_assert_msg(eval_run_many(progs, NC + 1, txn, 2, NULL, outs,
	    &cause) == 0, "%s", cause);
	for (k = 0; k < NC; k++) {
		want = want_of(group_classes[k].fn, dead, k % 2 == 1 ? limit :
		    -1);
		snprintf(what, sizeof what, "shared pass: %s (limit %lld)",
		    group_classes[k].script, (long long)(k % 2 == 1 ? limit :
		    -1));
		check_set(what, outs[k], want);
		roaring_bitmap_free(want);
	}
	store_read_end(txn);
	want = roaring_bitmap_create();
	ck_assert(run_opts(group_classes[0].script, &o, want, &cause) == 0);
	ck_assert_uint_gt(roaring_bitmap_get_cardinality(want), 1000);
	check_set("shared pass with a range", outs[NC], want);
	roaring_bitmap_free(want);
	for (k = 0; k <= NC; k++) {
		eval_free(progs[k]);
		cond_free(conds[k]);
		roaring_bitmap_free(outs[k]);
	}
	schema_free(schema);
}

/*
 * Rewrites columns n, d, t and s of database t plain (chunk version 1,
 * as stores written before packing hold them).
 */
static int
groups_unpack_cb(struct store_txn *txn, void *arg, char **cause)
{
	static const uint16_t cols[] = { 1, 4, 5, 6 };
	struct pdb_schema *schema;
	struct col_chunk c;
	struct pdb_bcol bc;
	struct value *vals = xcalloc(PDB_CHUNK_ROWS, sizeof *vals);
	struct arena a = ARENA_INIT;
	uint32_t ch;
	size_t k;
	int rc = 0;

	(void)arg;
	memset(&c, 0, sizeof c);
	if (pdb_open(txn, "t", &schema, cause) != 0)
		return -1;
	for (k = 0; k < sizeof cols / sizeof cols[0] && rc == 0; k++) {
		pdb_bcol_init(&bc, (int)schema->fields[cols[k]].type);
		bc.pack = 0;
		for (ch = 0; ch < pdb_nchunks(schema) && rc == 0; ch++) {
			arena_reset(&a);
			rc = pdb_chunk(txn, schema, cols[k], ch, &c, cause);
			if (rc == 0) {
				pdb_chunk_values(&c, vals, &a);
				rc = pdb_encode(txn, &bc, schema->id, cols[k],
				    ch, c.nrows, vals, NULL, cause);
			}
		}
		pdb_bcol_free(&bc);
	}
	pdb_chunk_release(&c);
	arena_free(&a);
	free(vals);
	schema_free(schema);
	return rc;
}

/*
 * Plain chunks (a store written before packing) give the same members
 * as packed ones, through the plain loops of the scan.
 */
START_TEST(groups_plain_chunks)
{
	struct pdb_schema *schema;
	struct store_txn *txn;
	struct col_chunk c;
	char *cause = NULL;

	memset(&c, 0, sizeof c);
	ck_assert(store_read_begin(fx.st, &txn, &cause) == 0);
	ck_assert(pdb_open(txn, "t", &schema, &cause) == 0);
	ck_assert(pdb_chunk_layout(txn, schema, 1, 0, &c, &cause) == 0);
	ck_assert_uint_eq(c.width, 1);
	store_read_end(txn);
	ck_assert_msg(store_write(fx.st, groups_unpack_cb, NULL, &cause) == 0,
	    "%s", cause);
	ck_assert(store_read_begin(fx.st, &txn, &cause) == 0);
	ck_assert(pdb_chunk_layout(txn, schema, 1, 0, &c, &cause) == 0);
	ck_assert_uint_eq(c.width, 0);
	ck_assert(pdb_chunk_layout(txn, schema, 6, 3, &c, &cause) == 0);
	ck_assert_uint_eq(c.width, 0);
	store_read_end(txn);
	pdb_chunk_release(&c);
	schema_free(schema);
	groups_check(NULL, -1);
	groups_check(NULL, 70001);
}
END_TEST

START_TEST(groups_threads_agree)
{
	roaring_bitmap_t *all = run("", NULL, 2);

	ck_assert_uint_eq(roaring_bitmap_get_cardinality(all), GROUPS_N);
	roaring_bitmap_free(all);
	groups_check(NULL, -1);
	/* Cut inside the second container, and inside a chunk. */
	groups_check(NULL, 70001);
	groups_check(NULL, 3);
	groups_many(NULL, 70001);
}
END_TEST

static int
groups_delete(struct store_txn *txn, void *arg, char **cause)
{
	return pdb_delete_txn(txn, "t", arg, cause);
}

START_TEST(groups_deleted)
{
	roaring_bitmap_t *dead = roaring_bitmap_create();
	char *cause = NULL;
	uint32_t i;

	/* A whole chunk, single profiles, and the last one. */
	roaring_bitmap_add_range(dead, 66000, 66000 + 4096);
	for (i = 5; i < GROUPS_N; i += 997)
		roaring_bitmap_add(dead, i);
	roaring_bitmap_add(dead, GROUPS_N - 1);
	ck_assert_msg(store_write(fx.st, groups_delete, dead, &cause) == 0,
	    "%s", cause);
	groups_check(dead, -1);
	groups_check(dead, 70001);
	groups_many(dead, 5000);
	roaring_bitmap_free(dead);
}
END_TEST

START_TEST(cancel)
{
	atomic_int stop = 1;
	struct runopts o = { NULL, 0, 10000, -1, 2, &stop };
	roaring_bitmap_t *out = roaring_bitmap_create();
	char *cause = NULL;

	ck_assert_int_eq(run_opts("n = 1", &o, out, &cause), -1);
	ck_assert_str_eq(cause, "recalculation cancelled");
	ck_assert_uint_eq(roaring_bitmap_get_cardinality(out), 0);
	free(cause);
	roaring_bitmap_free(out);
}
END_TEST

START_TEST(compile_errors)
{
	struct runopts o = { NULL, 0, 10000, -1, 1, NULL };
	roaring_bitmap_t *out = roaring_bitmap_create();
	char *cause = NULL;

	ck_assert_int_eq(run_opts("nosuch = 1", &o, out, &cause), -1);
	ck_assert_str_eq(cause, "line 1, column 1: There is no field 'nosuch' "
	    "in the database 't'.");
	free(cause);
	cause = NULL;
	o.tz = "Mars/Olympus";
	ck_assert_int_eq(run_opts("n = 1", &o, out, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	roaring_bitmap_free(out);
}
END_TEST

static char *
explain(const char *script, uint16_t lo, uint16_t hi, int64_t limit,
    uint32_t pno, int *in)
{
	struct eval_env env = { NOW, NULL, members_of, NULL, values_of,
	    NULL };
	struct eval_query q;
	struct eval_prog *prog;
	struct pdb_schema *schema;
	struct store_txn *txn;
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;

	q.cond = cond_parse(script, &cause);
	ck_assert_msg(q.cond != NULL, "%s", cause);
	q.range_lo = lo;
	q.range_hi = hi;
	q.limit = limit;
	ck_assert(store_read_begin(fx.st, &txn, &cause) == 0);
	ck_assert(pdb_open(txn, "t", &schema, &cause) == 0);
	ck_assert_msg(eval_compile(schema, &q, &env, &prog, &cause) == 0, "%s",
	    cause);
	ck_assert_msg(eval_explain(prog, txn, pno, in, &sb, &cause) == 0, "%s",
	    cause);
	eval_free(prog);
	schema_free(schema);
	store_read_end(txn);
	cond_free((struct cond *)q.cond);
	return sb_detach(&sb);
}

START_TEST(explains)
{
	char *text;
	int in;

	/* Profile 3: n = 3, s = "Новосибирск", b true. */
	text = explain("n in (1, 3) and s = \"Berlin\"", 0, 10000, -1, 3, &in);
	ck_assert_int_eq(in, 0);
	ck_assert_str_eq(text,
	    "Evaluated now, profile \"k00003\" (number 3) is out.\n"
	    "Conditions: false\n"
	    "  all of (and) — false\n"
	    "    n in (1, 3) — true (n = 3)\n"
	    "    s = \"Berlin\" — false (s = \"Новосибирск\")\n");
	free(text);

	/* Profile 3 against the query "nums" (3 and 9 count). */
	text = explain("n in query \"nums\"", 0, 10000, -1, 3, &in);
	ck_assert_int_eq(in, 1);
	ck_assert_str_eq(text,
	    "Evaluated now, profile \"k00003\" (number 3) is in.\n"
	    "Conditions: true\n"
	    "  n in query \"nums\" — true (n = 3; query \"nums\" has 9 "
	    "values)\n");
	free(text);

	/* Profile 7: n is empty. */
	text = explain("not n = 1", 0, 10000, -1, 7, &in);
	ck_assert_int_eq(in, 1);
	ck_assert_msg(strstr(text, "(n is empty)") != NULL, "%s", text);
	free(text);

	/* Range and limit. */
	text = explain("", 0, bucket_of(10), -1, 10, &in);
	ck_assert_int_eq(in, 0);
	ck_assert_msg(strstr(text, "is outside") != NULL, "%s", text);
	free(text);
	text = explain("", 0, 10000, 5, 10, &in);
	ck_assert_int_eq(in, 0);
	ck_assert_msg(strstr(text, "the limit of 5 kept the first 5 matching "
	    "profiles; this one is number 11 among them") != NULL, "%s", text);
	free(text);
}
END_TEST

static Suite *
eval_suite(void)
{
	Suite *s = suite_create("eval");
	TCase *tc = tcase_create("small");
	TCase *big = tcase_create("big");
	TCase *gr = tcase_create("groups");

	tcase_add_checked_fixture(tc, setup_small, teardown);
	tcase_add_test(tc, ints);
	tcase_add_test(tc, floats);
	tcase_add_test(tc, bools);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, tags);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, datetimes);
	tcase_add_test(tc, groups);
	tcase_add_test(tc, in_segment);
	tcase_add_test(tc, in_query);
	tcase_add_test(tc, range_and_limit);
	tcase_add_test(tc, compile_errors);
	tcase_add_test(tc, explains);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(big, setup_big, teardown);
	tcase_add_test(big, threads_agree);
	tcase_add_test(big, cancel);
	suite_add_tcase(s, big);
	tcase_add_checked_fixture(gr, setup_groups, teardown);
	tcase_add_test(gr, groups_threads_agree);
	tcase_add_test(gr, groups_deleted);
	tcase_add_test(gr, groups_plain_chunks);
	tcase_set_timeout(gr, 120);
	suite_add_tcase(s, gr);
	return s;
}

int
main(void)
{
	return testlib_run(eval_suite());
}
