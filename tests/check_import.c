#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "export.h"
#include "import.h"
#include "pdb.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "util.h"

#define FIELDS "email:string,name:string,age:int,score:float,ok:bool," \
	"born:date,seen:datetime,tags:tags"

static char *dir;
static struct store *store;

static void
make_db(const char *name)
{
	struct field *f = NULL;
	size_t n = 0;
	char *cause = NULL;

	ck_assert_int_eq(schema_parse_fields(FIELDS, &f, &n, &cause), 0);
	if (pdb_create(store, name, f, n, "email", &cause) != 0)
		ck_abort_msg("pdb_create: %s", cause);
	fields_free(f, n);
}

static void
setup(void)
{
	char *cause = NULL;

	dir = testlib_tempdir();
	if (store_open(dir, &store, &cause) != 0)
		ck_abort_msg("store_open: %s", cause);
	make_db("t");
}

static void
teardown(void)
{
	store_close(store);
	testlib_rmtree(dir);
	free(dir);
}

/*
 * Imports text; returns import_run's status.  *errs receives the error
 * lines joined by LF, *cause the summary (both freed by the caller).
 */
static int
import_text(const char *db, enum export_format fmt, const char *text,
    FILE *reject, struct import_result *res, char **errs, char **cause)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct import_opts o = { .dbname = db, .format = fmt,
	    .source = fmt == EXPORT_CSV ? "in.csv" : "in.jsonl",
	    .reject = reject };
	struct strbuf sb = STRBUF_INIT;
	char *line;
	size_t i;
	int rc;

	ck_assert_ptr_nonnull(in);
	*cause = NULL;
	rc = import_run(store, in, &o, res, cause);
	fclose(in);
	for (i = 0; i < res->nerrors; i++) {
		line = import_error_text(o.source, &res->errors[i]);
		sb_printf(&sb, "%s\n", line);
		free(line);
	}
	import_result_free(res);
	*errs = sb_detach(&sb);
	return rc;
}

static void
import_ok(const char *db, enum export_format fmt, const char *text,
    struct import_result *res)
{
	char *errs, *cause;

	if (import_text(db, fmt, text, NULL, res, &errs, &cause) != 0)
		ck_abort_msg("import failed: %s\n%s", cause, errs);
	free(errs);
}

static char *
export_text(const char *db, enum export_format fmt)
{
	struct pdb_schema *s = NULL;
	struct store_txn *txn;
	char *buf = NULL, *cause = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(store_read_begin(store, &txn, &cause), 0);
	if (pdb_open(txn, db, &s, &cause) != 0)
		ck_abort_msg("pdb_open: %s", cause);
	if (export_rows(txn, s, NULL, fmt, f, NULL, &cause) != 0)
		ck_abort_msg("export_rows: %s", cause);
	store_read_end(txn);
	schema_free(s);
	fclose(f);
	return buf;
}

static uint32_t
nprofiles(const char *db)
{
	struct pdb_schema *s = NULL;
	struct store_txn *txn;
	char *cause = NULL;
	uint32_t n;

	ck_assert_int_eq(store_read_begin(store, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, db, &s, &cause), 0);
	store_read_end(txn);
	n = s->nprofiles;
	schema_free(s);
	return n;
}

static const char base_csv[] =
    "email,name,age,score,ok,born,seen,tags\n"
    "a@x,Anna,30,1.5,true,1990-01-02,2026-01-01T10:00:00Z,\"vip,new\"\n"
    "b@x,\"Smith, Bob\",41,,false,,,\n"
    "c@x,\"say \"\"hi\"\"\n2nd line\",,-2.25,1,2000-02-29,"
    "2026-03-01T12:30:00+03:00,solo\n";

START_TEST(import_jsonl_type_errors)
{
	static const char bad[] =
	    "{\"email\":\"new@x\",\"age\":30}\n"
	    "{\"email\":\"b@x\",\"age\":\"thirty\"}\n"
	    "{\"email\":\"c@x\",\"ok\":\"maybe\",\"zzz\":1}\n"
	    "\n"
	    "[1,2]\n"
	    "{\"email\":\"d@x\",\n"
	    "{\"age\":5}\n"
	    "{\"email\":\"new@x\",\"tags\":[\"ok\",7]}\n"
	    "{\"email\":\"new@x\"}\n";
	struct import_result res;
	char *before, *after, *errs, *cause;

	import_ok("t", EXPORT_CSV, base_csv, &res);
	before = export_text("t", EXPORT_CSV);
	ck_assert_int_eq(import_text("t", EXPORT_JSONL, bad, NULL, &res, &errs,
	    &cause), -1);
	ck_assert_str_eq(errs,
	    "in.jsonl:2: age: expected an integer, found 'thirty'\n"
	    "in.jsonl:3: ok: expected true, false, 1 or 0, found 'maybe'\n"
	    "in.jsonl:3: zzz: no such field in database 't'\n"
	    "in.jsonl:5: expected a JSON object\n"
	    "in.jsonl:6: malformed JSON at column 15\n"
	    "in.jsonl:7: email: the key is empty\n"
	    "in.jsonl:8: tags: expected an array of strings, found '[\"ok\",7]'\n"
	    "in.jsonl:9: email: duplicate key 'new@x' (first on line 1)\n");
	ck_assert_str_eq(cause, "import into database 't' refused "
	    "(8 errors); nothing was changed");
	ck_assert_uint_eq(res.rows, 8);
	ck_assert_uint_eq(res.rejected, 7);
	after = export_text("t", EXPORT_CSV);
	ck_assert_str_eq(after, before);
	ck_assert_uint_eq(nprofiles("t"), 3);
	free(before);
	free(after);
	free(errs);
	free(cause);
}
END_TEST

/* A NUL byte used to end a JSON line (and a CSV value) without a word. */
START_TEST(import_not_text)
{
	static const char jl[] =
	    "{\"email\":\"n@x\",\"age\":3}\n"
	    "{\"email\":\"a@x\",\"name\":\"An\0na\"}\n"
	    "{\"email\":\"b@x\",\"name\":\"\xc3\xa9\xe9\"}\n";
	static const char csv[] = "email,name\nn@x,N\xc0\xaf\n";
	struct import_opts o = { .dbname = "t", .source = "in" };
	struct import_result res;
	char *before, *after, *line, *cause = NULL;
	FILE *in;

	import_ok("t", EXPORT_CSV, base_csv, &res);
	before = export_text("t", EXPORT_JSONL);
	o.format = EXPORT_JSONL;
	in = fmemopen((void *)jl, sizeof jl - 1, "r");
	ck_assert_int_eq(import_run(store, in, &o, &res, &cause), -1);
	fclose(in);
	ck_assert_uint_eq(res.nerrors, 2);
	line = import_error_text(o.source, &res.errors[0]);
	ck_assert_str_eq(line, "in:2: name: column 26: not UTF-8 text: "
	    "a NUL byte");
	free(line);
	line = import_error_text(o.source, &res.errors[1]);
	ck_assert_str_eq(line, "in:3: name: column 25: not UTF-8 text: invalid "
	    "byte 0xE9");
	free(line);
	import_result_free(&res);
	free(cause);
	cause = NULL;
	o.format = EXPORT_CSV;
	in = fmemopen((void *)csv, sizeof csv - 1, "r");
	ck_assert_int_eq(import_run(store, in, &o, &res, &cause), -1);
	fclose(in);
	ck_assert_uint_eq(res.nerrors, 1);
	line = import_error_text(o.source, &res.errors[0]);
	ck_assert_str_eq(line, "in:2: name: not UTF-8 text: invalid byte "
	    "0xC0");
	free(line);
	import_result_free(&res);
	free(cause);
	after = export_text("t", EXPORT_JSONL);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}
END_TEST

START_TEST(import_failure_changes_nothing)
{
	/* Valid updates and inserts, one bad row: nothing may land. */
	static const char bad[] =
	    "email,age,name\n"
	    "a@x,31,Anna\n"
	    "z@x,5,Zed\n"
	    "b@x,4x,Bob\n"
	    "y@x,1\n";
	struct import_result res;
	char *before, *beforej, *after, *errs, *cause;

	import_ok("t", EXPORT_CSV, base_csv, &res);
	before = export_text("t", EXPORT_CSV);
	beforej = export_text("t", EXPORT_JSONL);
	ck_assert_int_eq(import_text("t", EXPORT_CSV, bad, NULL, &res, &errs,
	    &cause), -1);
	ck_assert_str_eq(errs,
	    "in.csv:4: age: expected an integer, found '4x'\n"
	    "in.csv:5: expected 3 fields, found 2\n");
	after = export_text("t", EXPORT_CSV);
	ck_assert_str_eq(after, before);
	free(after);
	after = export_text("t", EXPORT_JSONL);
	ck_assert_str_eq(after, beforej);
	ck_assert_uint_eq(nprofiles("t"), 3);
	free(before);
	free(beforej);
	free(after);
	free(errs);
	free(cause);
}
END_TEST

START_TEST(import_header_errors)
{
	struct import_result res;
	char *errs, *cause;

	ck_assert_int_eq(import_text("t", EXPORT_CSV,
	    "name,bogus,name\nx,y,z\n", NULL, &res, &errs, &cause), -1);
	ck_assert_str_eq(errs,
	    "in.csv:1: bogus: no such field in database 't'\n"
	    "in.csv:1: name: the column appears twice\n"
	    "in.csv:1: email: the key field has no column\n");
	free(errs);
	free(cause);
	ck_assert_int_eq(import_text("t", EXPORT_CSV, "", NULL, &res, &errs,
	    &cause), -1);
	ck_assert_str_eq(errs, "in.csv: the file is empty: a CSV file starts "
	    "with a header row of field names\n");
	free(errs);
	free(cause);
	ck_assert_uint_eq(nprofiles("t"), 0);
}
END_TEST

START_TEST(import_reject_file)
{
	static const char mixed[] =
	    "email,age,tags\n"
	    "a@x,1,\n"
	    "b@x,\"1,5\",x\n"
	    "c@x,3,\"p,q\"\n"
	    "a@x,2,\n"
	    ",4,\n"
	    "d@x,\"x\"y\n"
	    "e@x,5,\n";
	struct import_result res;
	char *buf = NULL, *errs, *cause, *got;
	size_t len = 0;
	FILE *rej = open_memstream(&buf, &len);

	ck_assert_int_eq(import_text("t", EXPORT_CSV, mixed, rej, &res, &errs,
	    &cause), 0);
	fclose(rej);
	ck_assert_uint_eq(res.rows, 7);
	ck_assert_uint_eq(res.rejected, 4);
	ck_assert_uint_eq(res.stats.inserted, 3);
	ck_assert_str_eq(buf,
	    "{\"line\":3,\"reason\":\"age: expected an integer, found '1,5'\","
	    "\"record\":\"b@x,\\\"1,5\\\",x\"}\n"
	    "{\"line\":5,\"reason\":\"email: duplicate key 'a@x' (first on "
	    "line 2)\",\"record\":\"a@x,2,\"}\n"
	    "{\"line\":6,\"reason\":\"email: the key is empty\","
	    "\"record\":\",4,\"}\n"
	    "{\"line\":7,\"reason\":\"unexpected character after a closing quote\","
	    "\"record\":null}\n");
	got = export_text("t", EXPORT_CSV);
	ck_assert_str_eq(got, "email,name,age,score,ok,born,seen,tags\n"
	    "a@x,,1,,,,,\nc@x,,3,,,,,\"p,q\"\ne@x,,5,,,,,\n");
	free(got);
	free(buf);
	free(errs);
	free(cause);
}
END_TEST

START_TEST(import_upsert_keeps_number)
{
	struct import_result res;
	struct pdb_schema *s = NULL;
	struct store_txn *txn;
	struct arena a = ARENA_INIT;
	struct value row[8];
	char *cause = NULL;
	uint32_t pno;

	import_ok("t", EXPORT_CSV, base_csv, &res);
	ck_assert_uint_eq(res.stats.inserted, 3);
	import_ok("t", EXPORT_JSONL,
	    "{\"email\":\"d@x\",\"age\":7}\n"
	    "{\"email\":\"b@x\",\"name\":\"Smith, Bob\",\"age\":42,"
	    "\"ok\":false}\n"
	    "{\"email\":\"a@x\",\"name\":\"Anna\",\"age\":30,\"score\":1.5,"
	    "\"ok\":true,\"born\":\"1990-01-02\","
	    "\"seen\":\"2026-01-01T10:00:00Z\",\"tags\":[\"vip\",\"new\"]}\n",
	    &res);
	ck_assert_uint_eq(res.rows, 3);
	ck_assert_uint_eq(res.stats.inserted, 1);
	ck_assert_uint_eq(res.stats.updated, 1);
	ck_assert_uint_eq(res.stats.unchanged, 1);
	ck_assert_int_eq(store_read_begin(store, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, "t", &s, &cause), 0);
	ck_assert_int_eq(pdb_lookup(txn, s, "b@x", 3, &pno, &cause), 0);
	ck_assert_uint_eq(pno, 1);
	ck_assert_int_eq(pdb_get_row(txn, s, pno, row, &a, &cause), 0);
	ck_assert(row[2].present);
	ck_assert_int_eq(row[2].u.i, 42);
	ck_assert_int_eq(pdb_lookup(txn, s, "d@x", 3, &pno, &cause), 0);
	ck_assert_uint_eq(pno, 3);
	ck_assert_int_eq(pdb_lookup(txn, s, "a@x", 3, &pno, &cause), 0);
	ck_assert_uint_eq(pno, 0);
	store_read_end(txn);
	ck_assert_uint_eq(s->nprofiles, 4);
	schema_free(s);
	arena_free(&a);
}
END_TEST

static void
round_trip(enum export_format fmt)
{
	struct import_result res;
	char *first, *second, *again;

	import_ok("t", EXPORT_CSV, base_csv, &res);
	import_ok("t", EXPORT_JSONL,
	    "{\"email\":\"ü@x\",\"tags\":[\"a b\",\"ç\"],\"score\":0.1,"
	    "\"seen\":\"1969-12-31T23:59:59Z\",\"name\":\"\"}\n", &res);
	first = export_text("t", fmt);
	make_db("u");
	import_ok("u", fmt, first, &res);
	ck_assert_uint_eq(res.stats.inserted, 4);
	second = export_text("u", fmt);
	ck_assert_str_eq(second, first);
	again = export_text("u", fmt == EXPORT_CSV ? EXPORT_JSONL : EXPORT_CSV);
	free(second);
	second = export_text("t", fmt == EXPORT_CSV ? EXPORT_JSONL : EXPORT_CSV);
	ck_assert_str_eq(again, second);
	free(first);
	free(second);
	free(again);
}

START_TEST(import_round_trip_csv)
{
	round_trip(EXPORT_CSV);
}
END_TEST

START_TEST(import_round_trip_jsonl)
{
	round_trip(EXPORT_JSONL);
}
END_TEST

START_TEST(export_exact_output)
{
	struct import_result res;
	char *got;

	import_ok("t", EXPORT_CSV, base_csv, &res);
	got = export_text("t", EXPORT_CSV);
	/* Booleans and datetimes come back in their canonical forms. */
	ck_assert_str_eq(got,
	    "email,name,age,score,ok,born,seen,tags\n"
	    "a@x,Anna,30,1.5,true,1990-01-02,2026-01-01T10:00:00Z,\"vip,new\"\n"
	    "b@x,\"Smith, Bob\",41,,false,,,\n"
	    "c@x,\"say \"\"hi\"\"\n2nd line\",,-2.25,true,2000-02-29,"
	    "2026-03-01T09:30:00Z,solo\n");
	free(got);
}
END_TEST

/*
 * Every int64 and every finite double survives export and import in
 * both formats: JSON numbers are read from their digits, not through a
 * double, and CSV takes subnormal floats.
 */
START_TEST(import_extreme_numbers)
{
	static const char jsonl[] =
	    "{\"email\":\"a@x\",\"age\":1152921504606846977,"
	    "\"score\":5e-324}\n"
	    "{\"email\":\"b@x\",\"age\":-9223372036854775808,"
	    "\"score\":-0}\n"
	    "{ \"tags\" : [\" ]\\\"}\", \"]\"] , \"email\" : \"c@x\" , "
	    "\"age\" : 9223372036854775807 , "
	    "\"score\" : 1.7976931348623157e308 }\n"
	    "{\"email\":\"d@x\",\"age\":1e3,\"score\":2.2250738585072014e-308}\n";
	static const char expect[] =
	    "email,name,age,score,ok,born,seen,tags\n"
	    "a@x,,1152921504606846977,5e-324,,,,\n"
	    "b@x,,-9223372036854775808,-0,,,,\n"
	    "c@x,,9223372036854775807,1.7976931348623157e+308,,,,"
	    "\"]\"\"},]\"\n"
	    "d@x,,1000,2.2250738585072014e-308,,,,\n";
	struct import_result res;
	char *csv, *json, *got, *errs, *cause;
	enum export_format fmt;

	import_ok("t", EXPORT_JSONL, jsonl, &res);
	csv = export_text("t", EXPORT_CSV);
	ck_assert_str_eq(csv, expect);
	json = export_text("t", EXPORT_JSONL);
	for (fmt = EXPORT_CSV; fmt <= EXPORT_JSONL; fmt++) {
		make_db(fmt == EXPORT_CSV ? "u" : "v");
		import_ok(fmt == EXPORT_CSV ? "u" : "v", fmt,
		    fmt == EXPORT_CSV ? csv : json, &res);
		got = export_text(fmt == EXPORT_CSV ? "u" : "v", EXPORT_CSV);
		ck_assert_str_eq(got, expect);
		free(got);
	}
	free(csv);
	free(json);

	/* Out of range: the message quotes the file, not a rounded double. */
	ck_assert_int_eq(import_text("t", EXPORT_JSONL,
	    "{\"email\":\"e@x\",\"age\":9223372036854775808}\n"
	    "{\"email\":\"f@x\",\"score\":1e400}\n"
	    "{\"email\":\"g@x\",\"age\":1.5}\n"
	    "{\"email\":\"h@x\",\"tags\":[\"a\",\"b,c\"]}\n",
	    NULL, &res, &errs, &cause), -1);
	ck_assert_str_eq(errs,
	    "in.jsonl:1: age: expected an integer, found "
	    "'9223372036854775808'\n"
	    "in.jsonl:2: score: expected a number, found '1e400'\n"
	    "in.jsonl:3: age: expected an integer, found '1.5'\n"
	    "in.jsonl:4: tags: expected tags without commas, found "
	    "'[\"a\",\"b,c\"]'\n");
	free(errs);
	free(cause);
}
END_TEST

/*
 * Checks every profile's range bucket against its key's and returns
 * how many profiles were checked.
 */
static uint32_t
check_buckets(const char *db)
{
	struct pdb_schema *s = NULL;
	struct store_txn *txn;
	struct col_chunk kc, bc;
	char *cause = NULL;
	uint32_t ch, r, c, n = 0;

	memset(&kc, 0, sizeof kc);
	memset(&bc, 0, sizeof bc);
	ck_assert_int_eq(store_read_begin(store, &txn, &cause), 0);
	ck_assert_int_eq(pdb_open(txn, db, &s, &cause), 0);
	for (ch = 0; ch * PDB_CHUNK_ROWS < s->nprofiles; ch++) {
		ck_assert_int_eq(pdb_chunk(txn, s, s->key_field, ch, &kc,
		    &cause), 0);
		ck_assert_int_eq(pdb_chunk(txn, s, PDB_COL_BUCKET, ch, &bc,
		    &cause), 0);
		for (r = 0; r < kc.nrows && ch * PDB_CHUNK_ROWS + r <
		    s->nprofiles; r++, n++) {
			ck_assert(col_present(&kc, r));
			c = kc.codes[r];
			ck_assert_uint_eq(bc.u16[r], bucket_of_key(kc.dict_data +
			    kc.dict_off[c], kc.dict_off[c + 1] - kc.dict_off[c]));
		}
	}
	pdb_chunk_release(&kc);
	pdb_chunk_release(&bc);
	store_read_end(txn);
	schema_free(s);
	return n;
}

/* Rows lo..hi-1 as CSV, ages plus d. */
static char *
bucket_rows(unsigned lo, unsigned hi, unsigned d)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned i;

	sb_printf(&sb, "email,age\n");
	for (i = lo; i < hi; i++)
		sb_printf(&sb, "user%u@bucket.example,%u\n", i, i % 90 + d);
	return sb_detach(&sb);
}

/* Writes text (and frees it) to the file at path. */
static void
write_text(const char *path, char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	free(text);
}

/* Imports the CSV file at path (a regular file: staged in a thread). */
static void
import_file(const char *path, struct pdb_upsert_stats *st)
{
	struct import_opts o = { .dbname = "t", .format = EXPORT_CSV,
	    .source = "in.csv" };
	struct import_result res;
	char *cause = NULL;
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	if (import_run(store, f, &o, &res, &cause) != 0)
		ck_abort_msg("import failed: %s", cause);
	fclose(f);
	*st = res.stats;
	import_result_free(&res);
}

/*
 * The rows read are staged with their range buckets computed in the
 * staging step, not as they are read: every profile's bucket is its
 * key's, whether its batch was staged whole (a fresh import, from a
 * pipe or from a file) or its rows were sorted out (new keys among
 * stored ones).
 */
START_TEST(import_buckets)
{
	struct import_result res;
	struct pdb_upsert_stats st;
	char *text, *path;

	setenv("RESEG_IMPORT_ROWS", "4096", 1);
	text = bucket_rows(0, 10000, 0);
	import_ok("t", EXPORT_CSV, text, &res);
	free(text);
	ck_assert_uint_eq(check_buckets("t"), 10000);
	/* From a regular file: staged in a second thread. */
	path = xasprintf("%s/rows.csv", dir);
	write_text(path, bucket_rows(8000, 20000, 1));
	import_file(path, &st);
	ck_assert_uint_eq(st.inserted, 10000);
	ck_assert_uint_eq(st.updated, 2000);
	/*
	 * The new keys went into the key index among stored ones (the
	 * ones that cannot be appended, last first): each is found again.
	 */
	import_file(path, &st);
	ck_assert_uint_eq(st.inserted, 0);
	ck_assert_uint_eq(st.unchanged, 12000);
	unsetenv("RESEG_IMPORT_ROWS");
	ck_assert_uint_eq(check_buckets("t"), 20000);
	/*
	 * A file of one batch is written by one transaction, which
	 * computes the buckets of its new rows itself.
	 */
	write_text(path, bucket_rows(19900, 20300, 2));
	import_file(path, &st);
	ck_assert_uint_eq(st.inserted, 300);
	ck_assert_uint_eq(st.updated, 100);
	ck_assert_uint_eq(st.unchanged, 0);
	free(path);
	ck_assert_uint_eq(check_buckets("t"), 20300);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, import_jsonl_type_errors);
	tcase_add_test(tc, import_failure_changes_nothing);
	tcase_add_test(tc, import_not_text);
	tcase_add_test(tc, import_header_errors);
	tcase_add_test(tc, import_reject_file);
	tcase_add_test(tc, import_upsert_keeps_number);
	tcase_add_test(tc, import_round_trip_csv);
	tcase_add_test(tc, import_round_trip_jsonl);
	tcase_add_test(tc, export_exact_output);
	tcase_add_test(tc, import_extreme_numbers);
	tcase_add_test(tc, import_buckets);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
