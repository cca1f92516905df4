/*
 * The engine's operations: dependent objects (users, detach, scenarios),
 * range map, segments as text (and `segment test` cases carrying events),
 * run hooks (JSON summary on stdin,
 * timeout, failure logged), bulk edit input (both forms) and counting.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "demo.h"
#include "demo_segments.h"
#include "hooks.h"
#include "objects.h"
#include "pdb.h"
#include "ranges.h"
#include "segment.h"
#include "segops.h"
#include "segtext.h"
#include "drop.h"
#include "evdb.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

static char *tmp;
static struct store *st;

struct apply_arg {
	struct pdb_batch *b;
};

static int
apply_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct apply_arg *a = arg;
	struct pdb_upsert_stats s;

	return pdb_batch_apply(txn, "a", a->b, &s, cause);
}

static void
load_profiles(void)
{
	static const char *const rows[][3] = {
		{ "a@x", "30", "Moscow" },
		{ "b@x", "40", "Paris" },
		{ "c@x", "25", "Moscow" },
		{ "d@x", "50", "Moscow" },
	};
	struct store_txn *txn;
	struct pdb_schema *db;
	struct apply_arg arg;
	struct arena ar = ARENA_INIT;
	struct value row[3];
	char *cause = NULL;
	size_t i, f;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, "a", &db, &cause), 0);
	store_read_end(txn);
	arg.b = pdb_batch_new(db);
	for (i = 0; i < 4; i++) {
		for (f = 0; f < 3; f++)
			ck_assert_int_eq(value_parse_text(db->fields[f].type,
			    rows[i][f], strlen(rows[i][f]), &row[f], &ar,
			    &cause), 0);
		pdb_batch_add(arg.b, row);
	}
	ck_assert_int_eq(store_write(st, apply_cb, &arg, &cause), 0);
	pdb_batch_free(arg.b);
	arena_free(&ar);
	schema_free(db);
}

static void
make_segment(const char *name, const char *script, const char *range)
{
	struct segment def;
	char *cause = NULL;

	seg_init(&def);
	def.name = (char *)name;
	def.db = (char *)"a";
	if (script != NULL)
		ck_assert_ptr_nonnull(def.cond = cond_parse(script, &cause));
	if (range != NULL)
		ck_assert_int_eq(seg_parse_range(range, &def.range_lo,
		    &def.range_hi, &cause), 0);
	if (seg_create(st, &def, NULL, &cause) != 0)
		ck_abort_msg("seg_create: %s", cause);
	cond_free(def.cond);
}

static void
recalc(const char *name, struct run_record *r)
{
	struct recalc_opts o;
	char *cause = NULL;

	memset(&o, 0, sizeof o);
	o.type = RUN_MANUAL;
	o.initiator = "tester";
	o.nthreads = 1;
	if (seg_recalc(st, name, &o, r, &cause) != 0)
		ck_abort_msg("seg_recalc: %s", cause);
}

static void
setup(void)
{
	struct field f[3] = {
		{ (char *)"email", FT_STRING },
		{ (char *)"age", FT_INT },
		{ (char *)"city", FT_STRING }
	};
	char *cause = NULL, *dir;

	testlib_setenv("RESEG_NOW", "2026-11-28T12:00:00Z");
	tmp = testlib_tempdir();
	dir = xasprintf("%s/store", tmp);
	if (store_open(dir, &st, &cause) != 0)
		ck_abort_msg("store_open: %s", cause);
	free(dir);
	access_init(st);
	ck_assert_int_eq(pdb_create(st, "a", f, 3, "email", &cause), 0);
	load_profiles();
	make_segment("moscow", "city = \"Moscow\"", NULL);
	make_segment("old", "age >= 40", "0-20");
}

static void
teardown(void)
{
	store_close(st);
	testlib_rmtree(tmp);
	free(tmp);
}

START_TEST(objects_users_and_detach)
{
	const char *segs[] = { "moscow", "old" };
	struct store_txn *txn;
	struct segment *s;
	struct object **v;
	char **users, *cause = NULL;
	size_t n, nv;
	uint64_t added, total;
	struct run_record r;

	ck_assert_int_eq(objects_add(st, OBJ_MAILING, "Welcome", segs, 2,
	    &cause), 0);
	ck_assert_int_eq(objects_add(st, OBJ_SCENARIO, "Onb", segs, 1,
	    &cause), 0);
	ck_assert_int_ne(objects_scenario_add(st, "Onb", "moscow", &added,
	    &total, &cause), 0);
	ck_assert_str_eq(cause, "segment 'moscow' has not been updated yet; "
	    "recalculate it first");
	free(cause);
	cause = NULL;
	recalc("moscow", &r);
	run_record_clear(&r);
	ck_assert_int_eq(objects_scenario_add(st, "Onb", "moscow", &added,
	    &total, &cause), 0);
	ck_assert_uint_eq(added, 3);
	ck_assert_uint_eq(total, 3);
	ck_assert_int_eq(objects_scenario_add(st, "Onb", "moscow", &added,
	    &total, &cause), 0);
	ck_assert_uint_eq(added, 0);
	ck_assert_uint_eq(total, 3);

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "moscow", &s, &cause), 0);
	ck_assert_int_eq(objects_segment_users(txn, s->id, &users, &n,
	    &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(users[0], "mailing 'Welcome'");
	ck_assert_str_eq(users[1], "scenario 'Onb'");
	objects_names_free(users, n);
	store_read_end(txn);

	seg_free(s);
	/* In use: refused without force, naming the objects. */
	ck_assert_int_eq(drop_segment(st, "moscow", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'moscow' is used by mailing "
	    "'Welcome', scenario 'Onb'");
	free(cause);
	cause = NULL;
	/* Forced: deleted, and the objects no longer reference it. */
	ck_assert_int_eq(drop_segment(st, "moscow", 1, &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(objects_list(txn, &v, &nv, &cause), 0);
	ck_assert_uint_eq(nv, 2);
	ck_assert_uint_eq(v[0]->type, OBJ_MAILING);
	ck_assert_uint_eq(v[0]->nsegments, 1);
	ck_assert_str_eq(v[0]->segnames[0], "old");
	ck_assert_uint_eq(v[1]->nsegments, 0);
	ck_assert_uint_eq(v[1]->type, OBJ_SCENARIO);
	ck_assert_uint_eq(v[1]->nprofiles, 3);
	objects_list_free(v, nv);
	store_read_end(txn);
	ck_assert_int_eq(objects_remove(st, OBJ_SCENARIO, "Onb", &cause), 0);
	ck_assert_int_ne(objects_remove(st, OBJ_SCENARIO, "Onb", &cause), 0);
	ck_assert_str_eq(cause, "there is no scenario 'Onb'");
	free(cause);
}
END_TEST

/* Every kind of user of a segment: objects, then "in segment" users. */
START_TEST(segment_users_all_kinds)
{
	const char *segs[] = { "moscow" };
	struct store_txn *txn;
	struct segment *s;
	char **users, *cause = NULL;
	size_t n, hidden;
	struct run_record r;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "moscow", &s, &cause), 0);
	ck_assert_int_eq(drop_segment_users(txn, s, &users, &n, &hidden,
	    &cause), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(hidden, 0);
	objects_names_free(users, n);
	store_read_end(txn);
	seg_free(s);

	recalc("moscow", &r);
	run_record_clear(&r);
	make_segment("uses", "in segment \"moscow\" and age >= 30", NULL);
	make_segment("also", "not in segment \"moscow\"", NULL);
	ck_assert_int_eq(objects_add(st, OBJ_LOYALTY, "Gold", segs, 1,
	    &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "moscow", &s, &cause), 0);
	ck_assert_int_eq(drop_segment_users(txn, s, &users, &n, &hidden,
	    &cause), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(hidden, 0);
	ck_assert_str_eq(users[0], "loyalty program 'Gold'");
	ck_assert_str_eq(users[1], "segment 'also'");
	ck_assert_str_eq(users[2], "segment 'uses'");
	objects_names_free(users, n);
	store_read_end(txn);
	seg_free(s);
	/* The refusal names the same users. */
	ck_assert_int_eq(drop_segment(st, "moscow", 0, &cause), DROP_IN_USE);
	ck_assert_str_eq(cause, "segment 'moscow' is used by loyalty program "
	    "'Gold', segment 'also', segment 'uses'");
	free(cause);
}
END_TEST

static int
detach_cb(struct store_txn *txn, void *arg, char **cause)
{
	return objects_detach_segment(txn, *(uint32_t *)arg, cause);
}

START_TEST(objects_detach)
{
	const char *segs[] = { "moscow", "old" };
	struct store_txn *txn;
	struct object *o;
	char *cause = NULL;
	uint32_t id = 1;

	ck_assert_int_eq(objects_add(st, OBJ_LOYALTY, "Gold", segs, 2,
	    &cause), 0);
	ck_assert_int_eq(store_write(st, detach_cb, &id, &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(objects_get(txn, OBJ_LOYALTY, "Gold", &o, &cause), 0);
	ck_assert_uint_eq(o->nsegments, 1);
	ck_assert_str_eq(o->segnames[0], "old");
	objects_free(o);
	store_read_end(txn);
}
END_TEST

START_TEST(ranges_map)
{
	struct store_txn *txn;
	struct ranges_map m;
	char *cause = NULL;

	make_segment("half", NULL, "10-50");
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(ranges_build(txn, "a", &m, &cause), 0);
	store_read_end(txn);
	ck_assert_uint_eq(m.nslices, 4);
	ck_assert_uint_eq(m.slices[0].lo, 0);
	ck_assert_uint_eq(m.slices[0].hi, 1000);
	ck_assert_str_eq(m.slices[0].owners[0], "old");
	ck_assert_uint_eq(m.slices[1].hi, 2000);
	ck_assert_uint_eq(m.slices[1].nowners, 2);
	ck_assert_str_eq(m.slices[1].owners[0], "half");
	ck_assert_str_eq(m.slices[1].owners[1], "old");
	ck_assert_uint_eq(m.slices[2].hi, 5000);
	ck_assert_uint_eq(m.slices[3].nowners, 0);
	ck_assert_uint_eq(m.noverlaps, 1);
	ck_assert_uint_eq(m.nfull, 1);
	ck_assert_str_eq(m.full[0], "moscow");
	ranges_free(&m);
}
END_TEST

START_TEST(segtext_round_trip)
{
	struct store_txn *txn;
	struct segment *s, *p;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	char *cause = NULL;
	int created;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(seg_get(txn, "old", &s, &cause), 0);
	store_read_end(txn);
	segtext_dump(s, &a);
	ck_assert_str_eq(a.buf, "# reseg segment\nname: old\ndatabase: a\n"
	    "kind: scheduled\nstate: active\ntags:\ngroups:\nrange: 0-20\n"
	    "limit: none\nschedule: none\nwhere:\n    `age` >= 40\n");
	ck_assert_int_eq(segtext_parse(a.buf, "f", &p, &cause), 0);
	segtext_dump(p, &b);
	ck_assert_str_eq(a.buf, b.buf);
	seg_free(p);
	ck_assert_int_eq(segtext_load(st, a.buf, "f", &created, &cause), 0);
	ck_assert_int_eq(created, 0);
	ck_assert_int_ne(segtext_parse("name: x\ndatabase: a\nlimit: 0\n", "f",
	    &p, &cause), 0);
	ck_assert_str_eq(cause, "f:3: limit must be a whole number of at "
	    "least 1 or 'none', not '0'");
	free(cause);
	cause = NULL;
	ck_assert_int_ne(segtext_parse("name: x\ndatabase: a\nkind: static\n"
	    "range: 0-10\n", "f", &p, &cause), 0);
	ck_assert_str_eq(cause, "f: a static segment has no state, range, "
	    "limit, schedule or conditions");
	free(cause);
	seg_free(s);
	sb_free(&a);
	sb_free(&b);
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f;

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* segtext_test of def over cases (JSON Lines unless the path says .csv). */
static int
run_cases(const char *def, const char *name, const char *cases,
    struct segtext_test_result *res, char **cause)
{
	char *path;
	int rc;

	path = xasprintf("%s/%s", tmp, name);
	write_file(path, cases);
	*cause = NULL;
	rc = segtext_test(st, def, "t.txt", path, NULL, res, cause);
	free(path);
	return rc;
}

/* The error segtext_test gives for cases, without the directory. */
static void
cases_refused(const char *def, const char *cases, const char *want)
{
	struct segtext_test_result res;
	char *cause = NULL, *prefix, *got;

	ck_assert_int_ne(run_cases(def, "bad.jsonl", cases, &res, &cause), 0);
	ck_assert_ptr_nonnull(cause);
	prefix = xasprintf("%s/", tmp);
	got = strncmp(cause, prefix, strlen(prefix)) == 0 ?
	    cause + strlen(prefix) : cause;
	ck_assert_str_eq(got, want);
	free(prefix);
	free(cause);
}

START_TEST(segtext_test_events)
{
	static const char def[] =
	    "name: buyers\ndatabase: ev\nkind: scheduled\n"
	    "schedule: daily at 09:00 Europe/Berlin\nwhere:\n"
	    "    did \"purchase\" where (amount >= 100) at least 2 times "
	    "within last 30 days\n"
	    "    or (did \"email_open\" where (mailing = \"BF\")\n"
	    "        and not did \"email_click\" where (mailing = \"BF\"))\n"
	    "    or did \"login\" between 2026-03-29 and 2026-03-29\n";
	static const char cases[] =
	    /* two big purchases in the window, the older one exactly on its edge */
	    "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-10-29T12:00:00Z\",\"amount\":100},"
	    "{\"event\":\"purchase\",\"time\":\"2026-11-28T13:00:00+01:00\",\"amount\":250.5,\"sku\":\"TV\"}]}\n"
	    /* one second too early */
	    "{\"email\":\"b\",\"expect\":\"out\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-10-29T11:59:59Z\",\"amount\":100},"
	    "{\"event\":\"purchase\",\"time\":\"2026-11-20T10:00:00Z\",\"amount\":300}]}\n"
	    /* too small */
	    "{\"email\":\"c\",\"expect\":\"out\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-11-20T10:00:00Z\",\"amount\":99.5},"
	    "{\"event\":\"purchase\",\"time\":\"2026-11-21T10:00:00Z\",\"amount\":300}]}\n"
	    /* the same event_id twice is one purchase */
	    "{\"email\":\"d\",\"expect\":\"out\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-11-20T10:00:00Z\",\"amount\":200,\"event_id\":\"o1\"},"
	    "{\"event\":\"purchase\",\"time\":\"2026-11-20T10:00:00Z\",\"amount\":200,\"event_id\":\"o1\"}]}\n"
	    /* opened but clicked another mailing / the same one */
	    "{\"email\":\"e\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"email_open\",\"time\":\"2026-11-20T10:00:00Z\",\"mailing\":\"BF\"},"
	    "{\"event\":\"email_click\",\"time\":\"2026-11-20T10:05:00Z\",\"mailing\":\"Spring\"}]}\n"
	    "{\"email\":\"f\",\"expect\":\"out\",\"events\":["
	    "{\"event\":\"email_open\",\"time\":\"2026-11-20T10:00:00Z\",\"mailing\":\"BF\"},"
	    "{\"event\":\"email_click\",\"time\":\"2026-11-20T10:05:00Z\",\"mailing\":\"BF\"}]}\n"
	    /* no events at all */
	    "{\"email\":\"g\",\"expect\":\"out\"}\n"
	    "{\"email\":\"h\",\"expect\":\"out\",\"events\":[]}\n"
	    /* Berlin's local 2026-03-29 starts at 2026-03-28T23:00:00Z */
	    "{\"email\":\"i\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"login\",\"time\":\"2026-03-28T23:00:00Z\"}]}\n"
	    "{\"email\":\"j\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"login\",\"time\":\"2026-03-28T22:59:59Z\"}]}\n";
	static const int want[] = { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0 };
	static const char one[] = "name: x\ndatabase: ev\nwhere:\n"
	    "    did \"purchase\"\n";
	struct segtext_test_result res;
	struct store_txn *txn;
	struct pdb_schema *db;
	struct evdb_chunk_info *chunks = NULL;
	size_t nchunks = 0;
	struct field f[2] = {
		{ (char *)"email", FT_STRING }, { (char *)"country", FT_STRING }
	};
	struct field ef[3] = {
		{ (char *)"amount", FT_FLOAT }, { (char *)"sku", FT_STRING },
		{ (char *)"mailing", FT_STRING }
	};
	char *cause = NULL;
	size_t i;

	ck_assert_int_eq(pdb_create_events(st, "ev", f, 2, "email", ef, 3,
	    &cause), 0);
	if (run_cases(def, "c.jsonl", cases, &res, &cause) != 0)
		ck_abort_msg("segtext_test: %s", cause);
	ck_assert_uint_eq(res.ncases, 10);
	for (i = 0; i < res.ncases; i++) {
		ck_assert_uint_eq(res.cases[i].line, i + 1);
		ck_assert_msg(res.cases[i].got_in == want[i],
		    "case %s: got %d", res.cases[i].key, res.cases[i].got_in);
	}
	/* j is expected in but is out: Berlin's 03-29 had not begun */
	ck_assert_uint_eq(res.failed, 1);
	segtext_test_result_free(&res);
	/*
	 * Nothing went into the real store; "ev" is not its first database
	 * (the scratch copy's id differs, which once failed every case).
	 */
	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, "ev", &db, &cause), 0);
	ck_assert_uint_eq(db->nprofiles, 0);
	ck_assert_int_eq(evdb_chunks(txn, db, &chunks, &nchunks, &cause), 0);
	ck_assert_uint_eq(nchunks, 0);
	free(chunks);
	schema_free(db);
	store_read_end(txn);

	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":{}}\n",
	    "bad.jsonl:1: events: expected an array of event objects");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\"}\n"
	    "{\"email\":\"b\",\"expect\":\"in\",\"events\":[{\"event\":\"x\","
	    "\"time\":\"2026-01-01T00:00:00Z\"},7]}\n",
	    "bad.jsonl:2: events[1]: expected a JSON object");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"time\":\"2026-01-01T00:00:00Z\"}]}\n",
	    "bad.jsonl:1: events[0]: the event has no name ('event')");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":3,\"time\":\"2026-01-01T00:00:00Z\"}]}\n",
	    "bad.jsonl:1: events[0].event: expected the event's name as a "
	    "string");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"purchase\"}]}\n",
	    "bad.jsonl:1: events[0]: the event has no 'time'");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"yesterday\"}]}\n",
	    "bad.jsonl:1: events[0].time: expected an ISO 8601 date and time "
	    "with Z or an offset, found 'yesterday'");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-01-01T00:00:00Z\","
	    "\"event_id\":5}]}\n",
	    "bad.jsonl:1: events[0].event_id: expected a string");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-01-01T00:00:00Z\","
	    "\"colour\":\"red\"}]}\n",
	    "bad.jsonl:1: events[0]: database 'ev' has no event property "
	    "'colour'");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-01-01T00:00:00Z\"},"
	    "{\"event\":\"purchase\",\"time\":\"2026-01-01T00:00:00Z\","
	    "\"amount\":\"lots\"}]}\n",
	    "bad.jsonl:1: events[1].amount: expected a number, found 'lots'");
	cases_refused(one, "{\"email\":\"a\",\"expect\":\"in\",\"events\":["
	    "{\"event\":\"purchase\",\"time\":\"2026-01-01T00:00:00Z\","
	    "\"email\":\"b\"}]}\n",
	    "bad.jsonl:1: events[0]: an event of a case is the case's own; "
	    "leave out 'email'");
	ck_assert_int_ne(run_cases(one, "bad.csv",
	    "email,expect,events\na,in,x\n", &res, &cause), 0);
	ck_assert_ptr_nonnull(strstr(cause, "bad.csv:1: CSV cases cannot "
	    "carry events: write the cases as JSON Lines"));
	free(cause);
}
END_TEST

START_TEST(hooks_summary_on_stdin)
{
	struct run_record r;
	char *cause = NULL, *cmd, *got, *want, *path, *log;
	int failed;

	path = xasprintf("%s/summary.json", tmp);
	cmd = xasprintf("cat >'%s'", path);
	ck_assert_int_eq(hooks_set_segment(st, "moscow", cmd, &cause), 0);
	recalc("moscow", &r);
	failed = hooks_run_after(st, "moscow", &r, &cause);
	ck_assert_int_eq(failed, 0);
	got = testlib_slurp(path);
	ck_assert_ptr_nonnull(got);
	want = xasprintf("{\"store\":\"%s/store\",\"segment\":\"moscow\","
	    "\"segment_id\":1,\"database\":\"a\",\"run\":{\"id\":1,"
	    "\"type\":\"Manual\",\"initiator\":\"tester\","
	    "\"started_at\":\"2026-11-28T12:00:00Z\","
	    "\"ended_at\":\"2026-11-28T12:00:00Z\",\"added\":3,"
	    "\"removed\":0,\"total\":3,\"status\":\"Completed\","
	    "\"error\":null}}\n", tmp);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);

	/* A failing hook is logged, with the store-wide one run as well. */
	ck_assert_int_eq(hooks_set_segment(st, "moscow", "exit 3", &cause), 0);
	ck_assert_int_eq(hooks_set_global(st, cmd, &cause), 0);
	unlink(path);
	failed = hooks_run_after(st, "moscow", &r, &cause);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(cause, "hook of segment 'moscow' (run 1): 'exit 3' "
	    "exited with status 3");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(access(path, F_OK), 0);
	/* The store-wide hook says it is the store-wide one. */
	ck_assert_int_eq(hooks_set_segment(st, "moscow", NULL, &cause), 0);
	ck_assert_int_eq(hooks_set_global(st, "exit 5", &cause), 0);
	ck_assert_int_eq(hooks_run_after(st, "moscow", &r, &cause), 1);
	ck_assert_str_eq(cause, "store-wide hook (segment 'moscow', run 1): "
	    "'exit 5' exited with status 5");
	free(cause);
	cause = NULL;

	/* Timeout: killed, logged. */
	ck_assert_int_eq(hooks_set_global(st, NULL, &cause), 0);
	ck_assert_int_eq(hooks_set_timeout(st, 1, &cause), 0);
	ck_assert_int_eq(hooks_set_segment(st, "moscow", "sleep 30", &cause),
	    0);
	failed = hooks_run_after(st, "moscow", &r, &cause);
	ck_assert_int_eq(failed, 1);
	ck_assert_str_eq(cause, "hook of segment 'moscow' (run 1): 'sleep 30' "
	    "did not finish within 1 second and was killed");
	free(cause);
	free(path);
	path = xasprintf("%s/store/hooks.log", tmp);
	log = testlib_slurp(path);
	ck_assert_ptr_nonnull(strstr(log, "2026-11-28T12:00:00Z hook of "
	    "segment 'moscow' (run 1): 'exit 3' exited with status 3\n"));
	ck_assert_ptr_nonnull(strstr(log, "'sleep 30' did not finish"));
	ck_assert_ptr_nonnull(strstr(log, "2026-11-28T12:00:00Z store-wide "
	    "hook (segment 'moscow', run 1): 'exit 5' exited with status 5\n"));
	free(log);
	free(path);
	free(cmd);
	run_record_clear(&r);
}
END_TEST

static off_t
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/*
 * hooks.log keeps the first 4 KiB of a hook's output with a note of the
 * rest, and is rotated to hooks.log.1 at 1 MiB.
 */
START_TEST(hooks_log_bounded)
{
	struct run_record r;
	char *cause = NULL, *path, *path1, *log, *want;
	const char *prefix;
	FILE *f;
	int i;

	path = xasprintf("%s/store/hooks.log", tmp);
	path1 = xasprintf("%s/store/hooks.log.1", tmp);
	recalc("moscow", &r);
	ck_assert_int_eq(hooks_set_segment(st, "moscow", "printf 'short'",
	    &cause), 0);
	ck_assert_int_eq(hooks_run_after(st, "moscow", &r, &cause), 0);
	log = testlib_slurp(path);
	ck_assert_str_eq(log, "2026-11-28T12:00:00Z hook of segment 'moscow' "
	    "(run 1) output: short\n");
	free(log);
	unlink(path);

	/* 5 MB of output: 4096 bytes and one line about the rest. */
	ck_assert_int_eq(hooks_set_segment(st, "moscow", "head -c 5000000 "
	    "/dev/zero | tr '\\0' x; echo tail >&2", &cause), 0);
	ck_assert_int_eq(hooks_run_after(st, "moscow", &r, &cause), 0);
	log = testlib_slurp(path);
	prefix = "2026-11-28T12:00:00Z hook of segment 'moscow' (run 1) "
	    "output: ";
	ck_assert_int_eq(strncmp(log, prefix, strlen(prefix)), 0);
	ck_assert_uint_eq(strspn(log + strlen(prefix), "x"), 4096);
	ck_assert_str_eq(log + strlen(prefix) + 4096, "\n2026-11-28T12:00:00Z hook of segment "
	    "'moscow' (run 1): 4995909 more bytes of output were dropped (only "
	    "the first 4096 are kept)\n");
	free(log);

	/* At 1 MiB the log moves to hooks.log.1, replacing an older one. */
	f = fopen(path1, "w");
	fputs("older\n", f);
	fclose(f);
	f = fopen(path, "a");
	for (i = 0; i < 1024; i++)
		fprintf(f, "%01023d\n", i);
	fclose(f);
	ck_assert_int_ge(file_size(path), 1024 * 1024);
	ck_assert_int_eq(hooks_set_segment(st, "moscow", "echo one; exit 4",
	    &cause), 0);
	ck_assert_int_eq(hooks_run_after(st, "moscow", &r, &cause), 1);
	free(cause);
	cause = NULL;
	ck_assert_int_ge(file_size(path1), 1024 * 1024);
	log = testlib_slurp(path);
	want = xasprintf("2026-11-28T12:00:00Z hook of segment 'moscow' "
	    "(run 1) output: one\n2026-11-28T12:00:00Z hook of segment 'moscow' "
	    "(run 1): 'echo one; exit 4' exited with status 4\n");
	ck_assert_str_eq(log, want);
	free(want);
	free(log);
	free(path);
	free(path1);
	run_record_clear(&r);
}
END_TEST

static void
check_sets_fail(const char *text, const char *want)
{
	char	**f, **v, *cause = NULL;
	size_t	 n = 99;

	ck_assert_int_eq(segops_parse_sets(text, &f, &v, &n, &cause), -1);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, want);
	free(cause);
}

/* The UI's bulk edit input: no limit on assignments, ';' inside quotes. */
START_TEST(bulk_edit_parse_list)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		**f, **v, *cause = NULL;
	size_t		 n, i;

	ck_assert_int_eq(segops_parse_sets(" country = RU ;note=\"a;b\";"
	    " quote=\"say \"\"hi\"\"\" ; empty= ;x=1=2", &f, &v, &n,
	    &cause), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(f[0], "country");
	ck_assert_str_eq(v[0], "RU");
	ck_assert_str_eq(f[1], "note");
	ck_assert_str_eq(v[1], "a;b");
	ck_assert_str_eq(v[2], "say \"hi\"");
	ck_assert_str_eq(f[3], "empty");
	ck_assert_str_eq(v[3], "");
	ck_assert_str_eq(f[4], "x");
	ck_assert_str_eq(v[4], "1=2");
	segops_sets_free(f, v, n);

	/* Far more than the 16 that used to be kept. */
	for (i = 0; i < 40; i++)
		sb_printf(&sb, "f%zu=%zu; ", i, i);
	ck_assert_int_eq(segops_parse_sets(sb.buf, &f, &v, &n, &cause), 0);
	ck_assert_uint_eq(n, 40);
	ck_assert_str_eq(f[39], "f39");
	ck_assert_str_eq(v[39], "39");
	segops_sets_free(f, v, n);
	sb_free(&sb);

	check_sets_fail("a=1; oops; b=2",
	    "Assignment 2 ('oops') is not FIELD=VALUE.");
	check_sets_fail("=1", "Assignment 1 has no field name before '='.");
	check_sets_fail("a=1; b=\"x;y",
	    "Assignment 2 (b): the quote before the value is not closed.");
	check_sets_fail("b=\"x\"y", "Assignment 1 (b): text after the "
	    "closing quote; quote the whole value.");
	check_sets_fail("a=1; a=2",
	    "Field 'a' is set twice (assignments 1 and 2).");
	check_sets_fail(" ; ;",
	    "Nothing to set: type FIELD=VALUE, several separated by ';'.");
}
END_TEST

/* The command line's: one assignment, the value literal to the end. */
START_TEST(bulk_edit_parse_one)
{
	struct segops_set set;
	const char	*text = " note = \"a;b\" =c";
	char		*cause = NULL;

	ck_assert_int_eq(segops_parse_set(text, &set, &cause), 0);
	ck_assert_ptr_eq(set.field, text);
	ck_assert_str_eq(set.value, " \"a;b\" =c");
	ck_assert_int_eq(segops_parse_set("=1", &set, &cause), -1);
	ck_assert_str_eq(cause, "'=1': expected FIELD=VALUE");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(segops_parse_set("age", &set, &cause), -1);
	ck_assert_str_eq(cause, "'age': expected FIELD=VALUE");
	free(cause);
}
END_TEST

START_TEST(bulk_edit_counts)
{
	struct segops_set sets[2];
	struct run_record r;
	char *cause = NULL;
	uint64_t changed, members;

	ck_assert_int_eq(segops_parse_set("age=30", &sets[0], &cause), 0);
	ck_assert_int_eq(segops_parse_set("city=Moscow", &sets[1], &cause), 0);
	ck_assert_int_ne(segops_update(st, "moscow", sets, 2, &changed,
	    &members, &cause), 0);
	free(cause);
	cause = NULL;
	recalc("moscow", &r);
	run_record_clear(&r);
	/* a@x has age 30 already and every member is in Moscow. */
	ck_assert_int_eq(segops_update(st, "moscow", sets, 2, &changed,
	    &members, &cause), 0);
	ck_assert_uint_eq(changed, 2);
	ck_assert_uint_eq(members, 3);
	ck_assert_int_eq(segops_update(st, "moscow", sets, 2, &changed,
	    &members, &cause), 0);
	ck_assert_uint_eq(changed, 0);
}
END_TEST

/* The state of a segment as stored, read back. */
static enum seg_state
stored_state(const char *name)
{
	struct store_txn *txn;
	struct segment *s;
	enum seg_state state;
	char *cause = NULL;

	ck_assert_int_eq(store_read_begin(st, &txn, &cause), 0);
	ck_assert_msg(seg_get(txn, name, &s, &cause) == 0, "%s", cause);
	state = s->state;
	seg_free(s);
	store_read_end(txn);
	return state;
}

/*
 * Only a schedule is stopped: a clone with one starts stopped and can be
 * started; a clone without one (scheduled by hand, static) is active,
 * and so is a stopped segment whose schedule is removed.
 */
START_TEST(clone_state)
{
	struct segment def, *c = NULL;
	char *cause = NULL;

	seg_init(&def);
	def.name = (char *)"daily";
	def.db = (char *)"a";
	ck_assert_int_eq(sched_parse("daily at 09:00 UTC", tu_now(),
	    &def.sched, &cause), 0);
	def.has_sched = 1;
	ck_assert_msg(seg_create(st, &def, NULL, &cause) == 0, "%s", cause);
	ck_assert_int_eq(segops_clone(st, "daily", "daily2", &c, &cause), 0);
	ck_assert_int_eq(c->state, SEG_STOPPED);
	seg_free(c);
	ck_assert_int_eq(stored_state("daily2"), SEG_STOPPED);
	ck_assert_int_eq(seg_set_state(st, "daily2", SEG_ACTIVE, &cause), 0);
	ck_assert_int_eq(stored_state("daily2"), SEG_ACTIVE);

	ck_assert_int_eq(segops_clone(st, "moscow", "moscow2", &c, &cause), 0);
	ck_assert_int_eq(c->kind, SEG_SCHEDULED);
	ck_assert_int_eq(c->has_sched, 0);
	ck_assert_int_eq(c->state, SEG_ACTIVE);
	seg_free(c);
	ck_assert_int_eq(stored_state("moscow2"), SEG_ACTIVE);
	ck_assert_int_eq(seg_set_state(st, "moscow2", SEG_ACTIVE, &cause), -1);
	ck_assert_str_eq(cause, "segment 'moscow2' has no schedule to start "
	    "or stop");
	free(cause);
	cause = NULL;

	seg_init(&def);
	def.name = (char *)"picked";
	def.db = (char *)"a";
	def.kind = SEG_STATIC;
	ck_assert_msg(seg_create(st, &def, NULL, &cause) == 0, "%s", cause);
	ck_assert_int_eq(segops_clone(st, "picked", "picked2", NULL, &cause),
	    0);
	ck_assert_int_eq(stored_state("picked2"), SEG_ACTIVE);

	/* Stopped, then its schedule removed: nothing is left to start. */
	ck_assert_int_eq(seg_set_state(st, "daily", SEG_STOPPED, &cause), 0);
	ck_assert_int_eq(stored_state("daily"), SEG_STOPPED);
	seg_init(&def);
	def.name = (char *)"daily";
	def.db = (char *)"a";
	def.state = SEG_STOPPED;
	ck_assert_msg(seg_update(st, "daily", &def, &cause) == 0, "%s", cause);
	ck_assert_int_eq(stored_state("daily"), SEG_ACTIVE);
}
END_TEST

/*
 * `reseg demo` over an existing demo: replacing it may delete only what
 * the demo made; a segment of the user's on it, or an object using one
 * of its segments, is named.
 */
START_TEST(demo_replace_check)
{
	const char *segs[] = { "Moscow VIP subscribers", "Mine" };
	char *cause = NULL;

	ck_assert_int_eq(demo_check_replace(st, &cause), 0);
	ck_assert_msg(demo_create(st, 20, &cause) == 0, "%s", cause);
	ck_assert_msg(demo_segments(st, NULL, &cause) == 0, "%s", cause);
	ck_assert_msg(demo_check_replace(st, &cause) == 0, "%s", cause);
	/* A second demo replaces its own segments. */
	ck_assert_msg(demo_segments(st, NULL, &cause) == 0, "%s", cause);
	ck_assert_msg(demo_check_replace(st, &cause) == 0, "%s", cause);

	ck_assert_int_eq(objects_add(st, OBJ_MAILING, "Bye", segs, 1, &cause),
	    0);
	ck_assert_int_eq(demo_check_replace(st, &cause), DEMO_IN_USE);
	ck_assert_str_eq(cause, "database 'demo' is used by what the demo did "
	    "not create: mailing 'Bye'");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(objects_remove(st, OBJ_MAILING, "Bye", &cause), 0);

	make_segment("other db", "age > 1", NULL);
	{
		struct segment def;

		seg_init(&def);
		def.name = (char *)"Mine";
		def.db = (char *)"demo";
		ck_assert_msg(seg_create(st, &def, NULL, &cause) == 0, "%s",
		    cause);
	}
	ck_assert_int_eq(objects_add(st, OBJ_SCENARIO, "Sc", segs, 2, &cause),
	    0);
	ck_assert_int_eq(demo_check_replace(st, &cause), DEMO_IN_USE);
	ck_assert_str_eq(cause, "database 'demo' is used by what the demo did "
	    "not create: segment 'Mine', scenario 'Sc'");
	free(cause);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ops");
	TCase *tc = tcase_create("ops");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, objects_users_and_detach);
	tcase_add_test(tc, objects_detach);
	tcase_add_test(tc, segment_users_all_kinds);
	tcase_add_test(tc, ranges_map);
	tcase_add_test(tc, segtext_round_trip);
	tcase_add_test(tc, segtext_test_events);
	tcase_add_test(tc, hooks_summary_on_stdin);
	tcase_add_test(tc, hooks_log_bounded);
	tcase_add_test(tc, bulk_edit_parse_list);
	tcase_add_test(tc, bulk_edit_parse_one);
	tcase_add_test(tc, bulk_edit_counts);
	tcase_add_test(tc, clone_state);
	tcase_add_test(tc, demo_replace_check);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
