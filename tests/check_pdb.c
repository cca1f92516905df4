#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bucket.h"
#include "pdb.h"
#include "pdb_int.h"
#include "schema.h"
#include "drop.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

#define NROWS	10000

static char *dir;
static struct store *st;

static void
setup(void)
{
	char *cause = NULL;

	dir = testlib_tempdir();
	if (store_open(dir, &st, &cause) != 0)
		ck_abort_msg("store_open: %s", cause);
}

static void
teardown(void)
{
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}

static const char *spec = "email:string,age:int,score:float,vip:bool,"
    "born:date,seen:datetime,tags:tags,city:string";

static void
make_db(const char *name)
{
	struct field *f;
	size_t n;
	char *cause = NULL;

	ck_assert_int_eq(schema_parse_fields(spec, &f, &n, &cause), 0);
	if (pdb_create(st, name, f, n, "email", &cause) != 0)
		ck_abort_msg("pdb_create: %s", cause);
	fields_free(f, n);
}

/* Row i as CSV text fields; every 7th row has empty values. */
static void
text_row(uint32_t i, int version, char cols[8][64])
{
	static const char *const cities[] = { "Moscow", "Kazan", "Omsk", "" };

	snprintf(cols[0], 64, "user%u@example.com", i);
	snprintf(cols[1], 64, "%u", i % 7 == 3 ? 0 : i * 3 + (uint32_t)version);
	if (i % 7 == 3)
		cols[1][0] = '\0';
	snprintf(cols[2], 64, i % 7 == 4 ? "" : "%u.25", i);
	snprintf(cols[3], 64, "%s", i % 7 == 5 ? "" : i % 2 ? "true" : "0");
	snprintf(cols[4], 64, "%s", i % 7 == 6 ? "" : "1990-05-17");
	snprintf(cols[5], 64, "2026-01-%02uT09:00:00+03:00", 1 + i % 28);
	snprintf(cols[6], 64, "%s", i % 3 == 0 ? "" : i % 3 == 1 ? "vip" :
	    "vip,new,x");
	snprintf(cols[7], 64, "%s", cities[i % 4]);
}

/* The key hash pdb_batch_add_unique takes for row. */
static uint64_t
row_key_hash(const struct pdb_schema *sc, const struct value *row)
{
	const struct value *k = &row[sc->key_field];

	return pdb_key_hash(k->u.s.p, k->u.s.len);
}

static void
parse_row(const struct pdb_schema *sc, uint32_t i, int version,
    struct value *row, struct arena *a)
{
	char cols[8][64], *cause = NULL;
	uint16_t f;

	text_row(i, version, cols);
	for (f = 0; f < sc->nfields; f++) {
		if (value_parse_text(sc->fields[f].type, cols[f],
		    strlen(cols[f]), &row[f], a, &cause) != 0)
			ck_abort_msg("parse %u/%u: %s", i, f, cause);
	}
}

struct apply_arg {
	const char		*db;
	struct pdb_batch	*b;
	struct pdb_upsert_stats	 stats;
};

static int
apply_cb(struct store_txn *t, void *arg, char **cause)
{
	struct apply_arg *a = arg;

	return pdb_batch_apply(t, a->db, a->b, &a->stats, cause);
}

static struct pdb_schema *
open_db(const char *name)
{
	return testlib_open_db(st, name);
}

static void
load(const char *name, uint32_t from, uint32_t to, int version,
    struct pdb_upsert_stats *stats)
{
	struct pdb_schema *sc = open_db(name);
	struct apply_arg a;
	struct arena ar = ARENA_INIT;
	struct value row[8];
	char *cause = NULL;
	uint32_t i;

	a.db = name;
	a.b = pdb_batch_new(sc);
	for (i = from; i < to; i++) {
		arena_reset(&ar);
		parse_row(sc, i, version, row, &ar);
		ck_assert_uint_eq(pdb_batch_add(a.b, row), i - from);
	}
	ck_assert_uint_eq(pdb_batch_rows(a.b), to - from);
	if (store_write(st, apply_cb, &a, &cause) != 0)
		ck_abort_msg("apply: %s", cause);
	*stats = a.stats;
	pdb_batch_free(a.b);
	arena_free(&ar);
	schema_free(sc);
}

static void
row_text(const struct pdb_schema *sc, const struct value *row,
    struct strbuf *sb)
{
	uint16_t f;

	sb_reset(sb);
	for (f = 0; f < sc->nfields; f++) {
		if (f > 0)
			sb_putc(sb, '|');
		value_format_text(sc->fields[f].type, &row[f], sb);
	}
}

static char *
expect_text(uint32_t i, int version)
{
	char cols[8][64], buf[64];
	int64_t s;

	text_row(i, version, cols);
	if (cols[3][0] == '0')
		strcpy(cols[3], "false");
	tu_parse_datetime(cols[5], strlen(cols[5]), 1, &s);
	return xasprintf("%s|%s|%s|%s|%s|%s|%s|%s", cols[0], cols[1], cols[2],
	    cols[3], cols[4], tu_format_datetime(s, buf), cols[6], cols[7]);
}

START_TEST(pdb_round_trip)
{
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct arena a = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct value row[8];
	struct col_chunk c;
	char *cause = NULL, *want;
	uint32_t i, pno;

	make_db("p");
	load("p", 0, NROWS, 0, &stats);
	ck_assert_uint_eq(stats.inserted, NROWS);
	ck_assert_uint_eq(stats.updated, 0);
	sc = open_db("p");
	ck_assert_uint_eq(sc->nprofiles, NROWS);
	ck_assert_uint_eq(pdb_nchunks(sc), 3);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	for (i = 0; i < NROWS; i++) {
		arena_reset(&a);
		if (pdb_get_row(t, sc, i, row, &a, &cause) != 0)
			ck_abort_msg("get_row: %s", cause);
		row_text(sc, row, &sb);
		want = expect_text(i, 0);
		ck_assert_str_eq(sb.buf, want);
		free(want);
	}
	/* Lookup finds creation order numbers. */
	ck_assert_int_eq(pdb_lookup(t, sc, "user4097@example.com", 20, &pno,
	    &cause), 0);
	ck_assert_uint_eq(pno, 4097);
	ck_assert_int_eq(pdb_lookup(t, sc, "nobody", 6, &pno, &cause), 1);
	/* The bucket column holds bucket_of_key of every key. */
	memset(&c, 0, sizeof c);
	for (i = 0; i < NROWS; i++) {
		if (i % PDB_CHUNK_ROWS == 0)
			ck_assert_int_eq(pdb_chunk(t, sc, PDB_COL_BUCKET,
			    i / PDB_CHUNK_ROWS, &c, &cause), 0);
		want = xasprintf("user%u@example.com", i);
		ck_assert_uint_eq(c.u16[i % PDB_CHUNK_ROWS],
		    bucket_of_key(want, strlen(want)));
		free(want);
	}
	ck_assert_uint_eq(c.nrows, NROWS - 2 * PDB_CHUNK_ROWS);
	/* Fixed-width arrays come back aligned and typed. */
	ck_assert_int_eq(pdb_chunk(t, sc, 1, 1, &c, &cause), 0);
	ck_assert_uint_eq((uintptr_t)c.i64 % 8, 0);
	ck_assert_int_eq(c.i64[5], (4096 + 5) * 3);
	ck_assert_int_eq(col_present(&c, 5), 1);
	/* Row 4096 + 2 has i % 7 == 3: an empty age. */
	ck_assert_int_eq(col_present(&c, 2), 0);
	ck_assert_int_eq(c.i64[2], 0);
	ck_assert_int_eq(pdb_chunk(t, sc, 7, 0, &c, &cause), 0);
	ck_assert_uint_eq(c.ndict, 3);	/* "" is the empty value */
	pdb_chunk_release(&c);
	store_read_end(t);
	schema_free(sc);
	sb_free(&sb);
	arena_free(&a);
}
END_TEST

struct collect {
	struct strbuf	pnos;
	uint32_t	count;
	uint32_t	stop_after;
};

/* Key of each row: from whole rows (keyed by the schema's key field). */
struct collect_keys {
	struct strbuf	 text;
	uint16_t	 key_field;
	uint32_t	 stop_after, count;
};

static int
collect_row_keys(void *arg, uint32_t pno, const struct value *row)
{
	struct collect_keys *c = arg;
	const struct value *k = &row[c->key_field];

	sb_printf(&c->text, "%u:%.*s ", pno, k->present ? (int)k->u.s.len : 0,
	    k->present ? k->u.s.p : "");
	return ++c->count == c->stop_after ? 7 : 0;
}

static int
collect_keys_cb(void *arg, uint32_t pno, const char *key, size_t len)
{
	struct collect_keys *c = arg;

	sb_printf(&c->text, "%u:%.*s ", pno, (int)len, key);
	return ++c->count == c->stop_after ? 7 : 0;
}

static int
collect_cb(void *arg, uint32_t pno, const struct value *row)
{
	struct collect *c = arg;

	(void)row;
	sb_printf(&c->pnos, "%u ", pno);
	if (++c->count == c->stop_after)
		return 7;
	return 0;
}

START_TEST(pdb_upsert_and_scan)
{
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct arena a = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct value row[8];
	struct collect col;
	roaring_bitmap_t *only;
	char *cause = NULL, *want;
	uint32_t pno;

	make_db("p");
	load("p", 0, 5000, 0, &stats);
	/* 4000..5999: 1000 known (values changed), 1000 new. */
	load("p", 4000, 6000, 1, &stats);
	ck_assert_uint_eq(stats.inserted, 1000);
	/* Rows with an empty age (i % 7 == 3) do not change. */
	ck_assert_uint_eq(stats.updated, 1000 - 143);
	ck_assert_uint_eq(stats.unchanged, 143);
	load("p", 4500, 4600, 1, &stats);
	ck_assert_uint_eq(stats.inserted, 0);
	ck_assert_uint_eq(stats.updated, 0);
	ck_assert_uint_eq(stats.unchanged, 100);

	sc = open_db("p");
	ck_assert_uint_eq(sc->nprofiles, 6000);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_lookup(t, sc, "user4001@example.com", 20, &pno,
	    &cause), 0);
	ck_assert_uint_eq(pno, 4001);
	ck_assert_int_eq(pdb_get_row(t, sc, 4001, row, &a, &cause), 0);
	row_text(sc, row, &sb);
	want = expect_text(4001, 1);
	ck_assert_str_eq(sb.buf, want);
	free(want);
	ck_assert_int_eq(pdb_get_row(t, sc, 3999, row, &a, &cause), 0);
	row_text(sc, row, &sb);
	want = expect_text(3999, 0);
	ck_assert_str_eq(sb.buf, want);
	free(want);

	/* Scan with a filter: profile-number order, only those rows. */
	only = roaring_bitmap_of(7, 5, 5000, 3, 4095, 4096, 7, 99999);
	memset(&col, 0, sizeof col);
	ck_assert_int_eq(pdb_scan_rows(t, sc, only, collect_cb, &col, &cause),
	    0);
	ck_assert_str_eq(col.pnos.buf, "3 5 7 4095 4096 5000 ");
	sb_free(&col.pnos);
	memset(&col, 0, sizeof col);
	col.stop_after = 4;
	ck_assert_int_eq(pdb_scan_rows(t, sc, only, collect_cb, &col, &cause),
	    7);
	ck_assert_str_eq(col.pnos.buf, "3 5 7 4095 ");
	sb_free(&col.pnos);
	memset(&col, 0, sizeof col);
	ck_assert_int_eq(pdb_scan_rows(t, sc, NULL, collect_cb, &col, &cause),
	    0);
	ck_assert_uint_eq(col.count, 6000);
	sb_free(&col.pnos);
	/* The key-only scan (history export) sees the same keys. */
	{
		roaring_bitmap_t *sets[3];
		struct collect_keys rk, kk;
		int i, want_rc;

		sets[0] = only;
		sets[1] = NULL;
		sets[2] = roaring_bitmap_from_range(4090, 8200, 3);
		for (i = 0; i < 6; i++) {
			memset(&rk, 0, sizeof rk);
			memset(&kk, 0, sizeof kk);
			rk.key_field = sc->key_field;
			rk.stop_after = kk.stop_after = i >= 3 ? 5 : 0;
			want_rc = pdb_scan_rows(t, sc, sets[i % 3],
			    collect_row_keys, &rk, &cause);
			ck_assert_int_eq(pdb_scan_keys(t, sc, sets[i % 3],
			    collect_keys_cb, &kk, &cause), want_rc);
			ck_assert_str_eq(kk.text.buf, rk.text.buf);
			sb_free(&rk.text);
			sb_free(&kk.text);
		}
		roaring_bitmap_free(sets[2]);
	}
	roaring_bitmap_free(only);
	store_read_end(t);
	schema_free(sc);
	sb_free(&sb);
	arena_free(&a);
}
END_TEST

struct set_arg {
	uint16_t		 field;
	struct value		 v;
	roaring_bitmap_t	*pnos;
	uint64_t		 changed;
};

static int
set_cb(struct store_txn *t, void *arg, char **cause)
{
	struct set_arg *s = arg;

	return pdb_set_field(t, "p", s->field, &s->v, s->pnos, &s->changed,
	    cause);
}

START_TEST(pdb_bulk_set)
{
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct arena a = ARENA_INIT;
	struct value row[8];
	struct set_arg s;
	char *cause = NULL;

	make_db("p");
	load("p", 0, 5000, 0, &stats);
	memset(&s, 0, sizeof s);
	s.field = 7;
	s.v.present = 1;
	s.v.u.s.p = "Kazan";
	s.v.u.s.len = 5;
	/* Rows 1 and 4097 are already Kazan (i % 4 == 1). */
	s.pnos = roaring_bitmap_of(4, 0, 1, 4097, 4098);
	ck_assert_int_eq(store_write(st, set_cb, &s, &cause), 0);
	ck_assert_uint_eq(s.changed, 2);
	ck_assert_int_eq(store_write(st, set_cb, &s, &cause), 0);
	ck_assert_uint_eq(s.changed, 0);
	sc = open_db("p");
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_get_row(t, sc, 4098, row, &a, &cause), 0);
	ck_assert_str_eq(row[7].u.s.p, "Kazan");
	ck_assert_str_eq(row[0].u.s.p, "user4098@example.com");
	ck_assert_int_eq(pdb_get_row(t, sc, 2, row, &a, &cause), 0);
	ck_assert_str_eq(row[7].u.s.p, "Omsk");
	store_read_end(t);
	/* The key cannot be bulk edited. */
	s.field = 0;
	ck_assert_int_eq(store_write(st, set_cb, &s, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'p': the key field 'email' "
	    "cannot be set for many profiles at once");
	free(cause);
	roaring_bitmap_free(s.pnos);
	schema_free(sc);
	arena_free(&a);
}
END_TEST

struct del_arg {
	const char		*db;
	roaring_bitmap_t	*pnos;
};

static int
del_cb(struct store_txn *t, void *arg, char **cause)
{
	struct del_arg *d = arg;

	return pdb_delete_txn(t, d->db, d->pnos, cause);
}

static int
count_key(void *arg, uint32_t pno, const char *key, size_t len)
{
	(void)pno;
	(void)key;
	(void)len;
	(*(uint32_t *)arg)++;
	return 0;
}

/*
 * Deleted profiles: every value and the key cleared, the key index
 * entry gone, scans skip them, the numbers are kept in the deleted set
 * and never given again; deleting again is refused, drop forgets them.
 */
START_TEST(pdb_delete_profiles)
{
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct arena a = ARENA_INIT;
	struct value row[8];
	struct del_arg d = { "p", NULL };
	roaring_bitmap_t *dead;
	char *cause = NULL;
	uint32_t pno, n = 0;
	uint16_t f;

	make_db("p");
	load("p", 0, 5000, 0, &stats);
	/* Across two chunks; row 3 has empty values already. */
	d.pnos = roaring_bitmap_of(3, 3, 10, 4097);
	ck_assert_int_eq(store_write(st, del_cb, &d, &cause), 0);
	sc = open_db("p");
	ck_assert_uint_eq(sc->nprofiles, 5000);
	ck_assert_uint_eq(sc->ndeleted, 3);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_lookup(t, sc, "user10@example.com", 18, &pno,
	    &cause), 1);
	ck_assert_int_eq(pdb_lookup(t, sc, "user11@example.com", 18, &pno,
	    &cause), 0);
	ck_assert_uint_eq(pno, 11);
	ck_assert_int_eq(pdb_get_row(t, sc, 4097, row, &a, &cause), 0);
	for (f = 0; f < sc->nfields; f++)
		ck_assert_int_eq(row[f].present, 0);
	ck_assert_int_eq(pdb_get_row(t, sc, 4098, row, &a, &cause), 0);
	ck_assert_str_eq(row[0].u.s.p, "user4098@example.com");
	ck_assert_int_eq(pdb_scan_keys(t, sc, NULL, count_key, &n, &cause), 0);
	ck_assert_uint_eq(n, 4997);
	ck_assert_int_eq(pdb_deleted(t, sc, &dead, &cause), 0);
	ck_assert(roaring_bitmap_equals(dead, d.pnos));
	roaring_bitmap_free(dead);
	store_read_end(t);
	schema_free(sc);

	/* Deleted numbers are not deleted again, nor numbers never given. */
	ck_assert_int_eq(store_write(st, del_cb, &d, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'p': a profile to delete "
	    "does not exist");
	free(cause);
	cause = NULL;
	roaring_bitmap_free(d.pnos);
	d.pnos = roaring_bitmap_of(1, 5000);
	ck_assert_int_eq(store_write(st, del_cb, &d, &cause), -1);
	free(cause);
	cause = NULL;

	/* The key comes back as a new profile with a new number. */
	load("p", 10, 11, 0, &stats);
	ck_assert_uint_eq(stats.inserted, 1);
	sc = open_db("p");
	ck_assert_uint_eq(sc->nprofiles, 5001);
	ck_assert_uint_eq(sc->ndeleted, 3);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_lookup(t, sc, "user10@example.com", 18, &pno,
	    &cause), 0);
	ck_assert_uint_eq(pno, 5000);
	store_read_end(t);
	schema_free(sc);

	/* Drop forgets the deleted set with the database. */
	ck_assert_int_eq(drop_database(st, "p", &cause), 0);
	make_db("p");
	sc = open_db("p");
	ck_assert_uint_eq(sc->ndeleted, 0);
	schema_free(sc);
	roaring_bitmap_free(d.pnos);
	arena_free(&a);
}
END_TEST

START_TEST(pdb_create_list_drop)
{
	struct field *f;
	size_t n;
	struct pdb_schema **list, *sc;
	struct pdb_upsert_stats stats;
	struct store_txn *t;
	char *cause = NULL;

	make_db("zeta");
	make_db("alpha");
	ck_assert_int_eq(schema_parse_fields(spec, &f, &n, &cause), 0);
	ck_assert_int_eq(pdb_create(st, "alpha", f, n, "email", &cause), -1);
	ck_assert_str_eq(cause, "a profile database named 'alpha' already "
	    "exists");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(pdb_create(st, "x", f, n, "age", &cause), -1);
	ck_assert_str_eq(cause, "profile database 'x': the key field 'age' "
	    "must be a string");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(pdb_create(st, "x", f, n, "nope", &cause), -1);
	ck_assert_str_eq(cause, "profile database 'x': the key field 'nope' "
	    "is not among the fields");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(pdb_create(st, "", f, n, "email", &cause), -1);
	free(cause);
	cause = NULL;
	fields_free(f, n);
	ck_assert_int_eq(schema_parse_fields("a:int,a:string", &f, &n, &cause),
	    -1);
	ck_assert_str_eq(cause, "field 'a' appears twice");
	free(cause);
	cause = NULL;

	load("alpha", 0, 100, 0, &stats);
	load("zeta", 0, 50, 0, &stats);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_list(t, &list, &n, &cause), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0]->name, "alpha");
	ck_assert_uint_eq(list[0]->nprofiles, 100);
	ck_assert_uint_eq(list[0]->id, 2);
	ck_assert_str_eq(list[1]->name, "zeta");
	ck_assert_uint_eq(list[1]->id, 1);
	schema_free(list[0]);
	schema_free(list[1]);
	free(list);
	store_read_end(t);

	ck_assert_int_eq(drop_database(st, "alpha", &cause), 0);
	ck_assert_int_eq(drop_database(st, "alpha", &cause), -1);
	ck_assert_str_eq(cause, "no profile database named 'alpha'");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_open(t, "alpha", &sc, &cause), -1);
	ck_assert_str_eq(cause, "no profile database named 'alpha'");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(pdb_list(t, &list, &n, &cause), 0);
	ck_assert_uint_eq(n, 1);
	schema_free(list[0]);
	free(list);
	/* zeta's profiles survive alpha's drop. */
	sc = open_db("zeta");
	{
		uint32_t pno;

		ck_assert_int_eq(pdb_lookup(t, sc, "user7@example.com", 17,
		    &pno, &cause), 0);
		ck_assert_uint_eq(pno, 7);
	}
	schema_free(sc);
	store_read_end(t);
	/* A recreated alpha starts empty. */
	make_db("alpha");
	sc = open_db("alpha");
	ck_assert_uint_eq(sc->nprofiles, 0);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	{
		uint32_t pno;

		ck_assert_int_eq(pdb_lookup(t, sc, "user7@example.com", 17,
		    &pno, &cause), 1);
	}
	store_read_end(t);
	schema_free(sc);
}
END_TEST

START_TEST(value_rules)
{
	struct arena a = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct value v;
	char *cause = NULL;
	cJSON *j;
	char *s;

	ck_assert_int_eq(value_parse_text(FT_INT, "abc", 3, &v, &a, &cause),
	    -1);
	ck_assert_str_eq(cause, "expected an integer, found 'abc'");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(value_parse_text(FT_BOOL, "TRUE", 4, &v, &a, &cause),
	    0);
	ck_assert_int_eq(v.u.b, 1);
	ck_assert_int_eq(value_parse_text(FT_BOOL, "yes", 3, &v, &a, &cause),
	    -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(value_parse_text(FT_FLOAT, "0.1", 3, &v, &a, &cause),
	    0);
	value_format_text(FT_FLOAT, &v, &sb);
	ck_assert_str_eq(sb.buf, "0.1");
	sb_reset(&sb);
	v.u.f = 1.0 / 3.0;
	value_format_text(FT_FLOAT, &v, &sb);
	ck_assert_str_eq(sb.buf, "0.3333333333333333");
	sb_reset(&sb);
	v.u.f = 0.1 + 0.2;
	value_format_text(FT_FLOAT, &v, &sb);
	ck_assert_str_eq(sb.buf, "0.30000000000000004");
	sb_reset(&sb);
	ck_assert_int_eq(value_parse_text(FT_DATETIME,
	    "2026-01-31T12:00:00+03:00", 25, &v, &a, &cause), 0);
	value_format_text(FT_DATETIME, &v, &sb);
	ck_assert_str_eq(sb.buf, "2026-01-31T09:00:00Z");
	sb_reset(&sb);
	ck_assert_int_eq(value_parse_text(FT_TAGS, "vip, new,,vip", 13, &v, &a,
	    &cause), 0);
	ck_assert_uint_eq(v.u.tags.n, 2);
	j = value_to_json(FT_TAGS, &v);
	s = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(s, "[\"vip\",\"new\"]");
	cJSON_free(s);
	cJSON_Delete(j);
	ck_assert_int_eq(value_parse_text(FT_STRING, "", 0, &v, &a, &cause), 0);
	ck_assert_int_eq(v.present, 0);
	ck_assert_int_eq(value_from_json(FT_INT, NULL, &v, &a, &cause), 0);
	ck_assert_int_eq(v.present, 0);
	/* Tags in JSON are an array of strings, never "a,b". */
	j = cJSON_Parse("\"vip,new\"");
	ck_assert_int_eq(value_from_json(FT_TAGS, j, &v, &a, &cause), -1);
	ck_assert_str_eq(cause, "expected an array of strings, found "
	    "'\"vip,new\"'");
	free(cause);
	cause = NULL;
	cJSON_Delete(j);
	j = cJSON_Parse("9007199254740993");
	ck_assert_int_eq(value_from_json(FT_INT, j, &v, &a, &cause), -1);
	cJSON_Delete(j);
	free(cause);
	cause = NULL;
	v.present = 1;
	v.u.i = INT64_MAX;
	j = value_to_json(FT_INT, &v);
	s = cJSON_PrintUnformatted(j);
	ck_assert_str_eq(s, "9223372036854775807");
	cJSON_free(s);
	cJSON_Delete(j);
	sb_free(&sb);
	arena_free(&a);
}
END_TEST

struct twice_arg {
	struct pdb_batch	*b;
	struct pdb_upsert_stats	 stats;
	int			 calls;
};

/* Applies the batch, aborting the first time (as a map resize does). */
static int
twice_cb(struct store_txn *t, void *arg, char **cause)
{
	struct twice_arg *a = arg;

	if (pdb_batch_apply(t, "p", a->b, &a->stats, cause) != 0)
		return -1;
	if (a->calls++ == 0)
		return error_set(cause, "retry");
	return 0;
}

/*
 * The encoded batch: duplicates within it, keys found across finished
 * chunks and the open one, a batch applied again after an abort, the
 * appending fast path and the general path giving the same rows, and
 * keys sharing long prefixes sorted and found.
 */
START_TEST(pdb_batch_paths)
{
	struct pdb_upsert_stats stats;
	struct twice_arg ta;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct arena a = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;
	struct value row[8];
	char *cause = NULL, *want, key[64];
	size_t idx;
	uint32_t i, pno;

	make_db("p");
	load("p", 0, 4096, 0, &stats);		/* one full chunk */
	sc = open_db("p");
	memset(&ta, 0, sizeof ta);
	ta.b = pdb_batch_new(sc);
	for (i = 4096; i < 9000; i++) {
		arena_reset(&a);
		parse_row(sc, i, 0, row, &a);
		ck_assert_int_eq(pdb_batch_add_unique(ta.b, row, NULL,
		    row_key_hash(sc, row), &idx), 0);
		ck_assert_uint_eq(idx, i - 4096);
	}
	/* A repeated key is refused and names the first row. */
	arena_reset(&a);
	parse_row(sc, 4100, 1, row, &a);
	ck_assert_int_eq(pdb_batch_add_unique(ta.b, row, NULL,
	    row_key_hash(sc, row), &idx), 1);
	ck_assert_uint_eq(idx, 4);
	ck_assert_int_eq(pdb_batch_find(ta.b, "user4100@example.com", 20), 4);
	ck_assert_int_eq(pdb_batch_find(ta.b, "user8999@example.com", 20),
	    8999 - 4096);
	ck_assert_int_eq(pdb_batch_find(ta.b, "user9000@example.com", 20), -1);
	ck_assert_uint_eq(pdb_batch_rows(ta.b), 9000 - 4096);
	ck_assert_int_eq(store_write(st, twice_cb, &ta, &cause), -1);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(store_write(st, twice_cb, &ta, &cause), 0);
	ck_assert_uint_eq(ta.stats.inserted, 9000 - 4096);
	pdb_batch_free(ta.b);
	schema_free(sc);

	/* General path: a duplicate (the later row wins) and new rows. */
	sc = open_db("p");
	memset(&ta, 0, sizeof ta);
	ta.calls = 1;
	ta.b = pdb_batch_new(sc);
	for (i = 8990; i < 9010; i++) {
		arena_reset(&a);
		parse_row(sc, i, 0, row, &a);
		pdb_batch_add(ta.b, row);
	}
	arena_reset(&a);
	parse_row(sc, 9005, 1, row, &a);
	ck_assert_uint_eq(pdb_batch_add(ta.b, row), 20);
	ck_assert_int_eq(store_write(st, twice_cb, &ta, &cause), 0);
	ck_assert_uint_eq(ta.stats.inserted, 10);
	ck_assert_uint_eq(ta.stats.unchanged, 10);
	pdb_batch_free(ta.b);
	schema_free(sc);

	sc = open_db("p");
	ck_assert_uint_eq(sc->nprofiles, 9010);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	for (i = 0; i < 9010; i++) {
		arena_reset(&a);
		if (pdb_get_row(t, sc, i, row, &a, &cause) != 0)
			ck_abort_msg("get_row: %s", cause);
		row_text(sc, row, &sb);
		want = expect_text(i, i == 9005 ? 1 : 0);
		ck_assert_str_eq(sb.buf, want);
		free(want);
		snprintf(key, sizeof key, "user%u@example.com", i);
		ck_assert_int_eq(pdb_lookup(t, sc, key, strlen(key), &pno,
		    &cause), 0);
		ck_assert_uint_eq(pno, i);
	}
	store_read_end(t);
	schema_free(sc);

	/* Keys alike in their first 16 bytes and keys that are prefixes. */
	make_db("k");
	sc = open_db("k");
	memset(&ta, 0, sizeof ta);
	ta.b = pdb_batch_new(sc);
	memset(row, 0, sizeof row);
	for (i = 0; i < 300; i++) {
		arena_reset(&a);
		if (i % 3 == 0)
			snprintf(key, sizeof key, "%.*s",
			    (int)(1 + i / 3 % 20), "abcdefghijklmnopqrstuvwxyz");
		else
			snprintf(key, sizeof key, "shared.prefix.of.keys-%u",
			    (i * 7919) % 1000);
		row[0].present = 1;
		row[0].u.s.p = arena_strndup(&a, key, strlen(key));
		row[0].u.s.len = (uint32_t)strlen(key);
		pdb_batch_add_unique(ta.b, row, NULL, pdb_key_hash(key,
		    strlen(key)), &idx);
	}
	{
		struct apply_arg aa = { "k", ta.b, { 0, 0, 0 } };

		ck_assert_int_eq(store_write(st, apply_cb, &aa, &cause), 0);
		ck_assert_uint_eq(aa.stats.inserted, pdb_batch_rows(ta.b));
	}
	schema_free(sc);
	sc = open_db("k");
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	for (i = 0; i < sc->nprofiles; i++) {
		arena_reset(&a);
		ck_assert_int_eq(pdb_get_row(t, sc, i, row, &a, &cause), 0);
		ck_assert_int_eq(pdb_lookup(t, sc, row[0].u.s.p,
		    row[0].u.s.len, &pno, &cause), 0);
		ck_assert_uint_eq(pno, i);
	}
	store_read_end(t);
	pdb_batch_free(ta.b);
	schema_free(sc);
	sb_free(&sb);
	arena_free(&a);
}
END_TEST

/*
 * The reference: the shortest %g form that reads back exactly, written
 * in fixed notation instead when %g chose an exponent for a value in
 * [1e-4, 1e15) ("1000", not "1e+03").
 */
static void
ref_double(double d, char *buf, size_t size)
{
	int prec, exp10;
	double a = d < 0 ? -d : d;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (strchr(buf, 'e') != NULL && a >= 1e-4 && a < 1e15) {
		exp10 = atoi(strchr(buf, 'e') + 1);
		snprintf(buf, size, "%.*f", prec - 1 - exp10 > 0 ?
		    prec - 1 - exp10 : 0, d);
	}
}

static void
check_float_text(double d)
{
	struct strbuf sb = STRBUF_INIT;
	struct value v = { .present = 1 };
	char ref[64];

	v.u.f = d;
	ref_double(d, ref, sizeof ref);
	value_format_text(FT_FLOAT, &v, &sb);
	ck_assert_msg(strcmp(sb.buf, ref) == 0, "%.17g: '%s', expected '%s'",
	    d, sb.buf, ref);
	sb_free(&sb);
}

/* Exports format without printf or cJSON trees; floats as the reference. */
START_TEST(value_fast_formats)
{
	static const double fixed[] = { 0, -0.0, 1, -1, 10, 100, 1e15, 1e16,
	    123456789012345.0, 12345678901234.5, 0.1, 0.0001, 0.00012, 0.00001,
	    1e-5, 9493.33, -9493.33, 0.5, 2.675, 1e300, 5e-324, 1.5e-7,
	    999999999999999.0, 0.30000000000000004, 1234.5678, 100.5, 70,
	    4096.25, 1e-4 * 3 };
	static const int64_t ints[] = { 0, 1, -1, 9, 10, -10, 1234567890123,
	    INT64_MAX, INT64_MIN };
	static const char *strs[] = { "", "plain", "quote\"back\\slash",
	    "ctl\b\f\n\r\t\x01\x1f end", "Светлана", "a\x7f" "b", "/slash" };
	struct strbuf sb = STRBUF_INIT;
	struct value v = { .present = 1 };
	const char *tags[] = { "vip", "new\"", "x\ny" };
	char *text, buf[64];
	cJSON *j;
	double d;
	size_t i;
	int k;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		check_float_text(fixed[i]);
	srandom(7);
	for (i = 0; i < 200000; i++) {
		k = (int)(random() % 4);
		d = (double)(random() % 100000000) / (k == 0 ? 100.0 :
		    k == 1 ? 1000.0 : k == 2 ? 7.0 : 1e6);
		if (random() % 2)
			d = -d;
		check_float_text(d);
		check_float_text(d * 1e10);
	}
	for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		v.u.i = ints[i];
		sb_reset(&sb);
		value_format_text(FT_INT, &v, &sb);
		snprintf(buf, sizeof buf, "%" PRId64, ints[i]);
		ck_assert_str_eq(sb.buf, buf);
	}
	/* Dates and times, against printf, across the supported years. */
	for (i = 0; i < 4000; i++) {
		int32_t day = (int32_t)(i * 911) - 719000;
		int y, m, dd;

		tu_civil_from_days(day, &y, &m, &dd);
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
		ck_assert_str_eq(tu_format_date(day, (char[TU_DATE_BUF]){ 0 }),
		    buf);
		snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y,
		    m, dd, (int)(i % 24), (int)(i * 7 % 60), (int)(i * 13 % 60));
		ck_assert_str_eq(tu_format_datetime((int64_t)day * 86400 +
		    (int64_t)(i % 24) * 3600 + (int64_t)(i * 7 % 60) * 60 +
		    (int64_t)(i * 13 % 60), (char[TU_DATETIME_BUF]){ 0 }), buf);
	}
	/* JSON: the same text as cJSON_PrintUnformatted of value_to_json. */
	for (i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		v.u.s.p = strs[i];
		v.u.s.len = strlen(strs[i]);
		sb_reset(&sb);
		value_format_json(FT_STRING, &v, &sb);
		j = value_to_json(FT_STRING, &v);
		text = cJSON_PrintUnformatted(j);
		ck_assert_str_eq(sb.buf, text);
		cJSON_free(text);
		cJSON_Delete(j);
	}
	/* cJSON stops a string at a NUL. */
	v.u.s.p = "ab\0cd";
	v.u.s.len = 5;
	sb_reset(&sb);
	value_format_json(FT_STRING, &v, &sb);
	ck_assert_str_eq(sb.buf, "\"ab\"");
	v.u.tags.v = tags;
	for (v.u.tags.n = 0; v.u.tags.n <= 3; v.u.tags.n++) {
		sb_reset(&sb);
		value_format_json(FT_TAGS, &v, &sb);
		j = value_to_json(FT_TAGS, &v);
		text = cJSON_PrintUnformatted(j);
		ck_assert_str_eq(sb.buf, text);
		cJSON_free(text);
		cJSON_Delete(j);
	}
	v.present = 0;
	sb_reset(&sb);
	value_format_json(FT_DATE, &v, &sb);
	ck_assert_str_eq(sb.buf, "null");
	sb_free(&sb);
}
END_TEST

/*
 * Every bit of every column's chunk flipped in turn, and every shorter
 * length: each reader either reads a valid chunk or fails naming it, and
 * never reads outside the value (the sanitizer build would say so).  All
 * in one write transaction, abandoned at the end.
 */
struct flip_arg {
	struct pdb_schema	*sc;
	uint64_t		 nfail, nread;
};

static int
flip_row_cb(void *arg, uint32_t pno, const struct value *row)
{
	(void)arg;
	(void)pno;
	(void)row;
	return 0;
}

static int
flip_key_cb(void *arg, uint32_t pno, const char *key, size_t len)
{
	(void)arg;
	(void)pno;
	(void)key;
	(void)len;
	return 0;
}

/* Runs every reader over the database; 0 or -1 with a cause naming it. */
static int
flip_read(struct store_txn *t, struct flip_arg *fa, uint16_t field,
    uint32_t chunk)
{
	struct arena a = ARENA_INIT;
	struct value row[8];
	struct col_chunk c;
	char *cause = NULL, want[128];
	int rc;

	memset(&c, 0, sizeof c);
	rc = pdb_scan_rows(t, fa->sc, NULL, flip_row_cb, NULL, &cause);
	if (rc == 0)
		rc = pdb_scan_keys(t, fa->sc, NULL, flip_key_cb, NULL, &cause);
	if (rc == 0)
		rc = pdb_get_row(t, fa->sc, chunk * PDB_CHUNK_ROWS + 2, row, &a,
		    &cause);
	if (rc == 0)
		rc = pdb_chunk(t, fa->sc, field, chunk, &c, &cause);
	pdb_chunk_release(&c);
	arena_free(&a);
	if (rc == 0) {
		fa->nread++;
		return 0;
	}
	snprintf(want, sizeof want, "profile database 'p': field '%s', "
	    "chunk %u is ", field == PDB_COL_BUCKET ? "(range bucket)" :
	    fa->sc->fields[field].name, chunk);
	if (strncmp(cause, want, strlen(want)) != 0)
		ck_abort_msg("field %u: %s", field, cause);
	free(cause);
	fa->nfail++;
	return -1;
}

static int
flip_cb(struct store_txn *t, void *arg, char **cause)
{
	struct flip_arg *fa = arg;
	uint8_t key[10], *orig, *copy;
	const void *val;
	size_t vlen, off, len;
	uint16_t f, field;
	int bit;

	for (f = 0; f <= fa->sc->nfields; f++) {
		field = f == fa->sc->nfields ? PDB_COL_BUCKET : f;
		store_be32(key, fa->sc->id);
		store_be16(key + 4, field);
		store_be32(key + 6, 1);
		ck_assert_int_eq(store_get(t, STORE_COLS, key, sizeof key,
		    &val, &vlen, cause), 0);
		orig = xmalloc(vlen);
		copy = xmalloc(vlen);
		memcpy(orig, val, vlen);
		for (off = 0; off < vlen; off++) {
			for (bit = 0; bit < 8; bit++) {
				memcpy(copy, orig, vlen);
				copy[off] ^= (uint8_t)(1 << bit);
				ck_assert_int_eq(store_put(t, STORE_COLS, key,
				    sizeof key, copy, vlen, cause), 0);
				(void)flip_read(t, fa, field, 1);
			}
		}
		for (len = 0; len < vlen; len++) {
			ck_assert_int_eq(store_put(t, STORE_COLS, key,
			    sizeof key, orig, len, cause), 0);
			ck_assert_int_eq(flip_read(t, fa, field, 1), -1);
		}
		ck_assert_int_eq(store_put(t, STORE_COLS, key, sizeof key,
		    orig, vlen, cause), 0);
		ck_assert_int_eq(flip_read(t, fa, field, 1), 0);
		free(orig);
		free(copy);
	}
	return error_set(cause, "abandoned");
}

START_TEST(pdb_flipped_bits)
{
	struct pdb_upsert_stats stats;
	struct flip_arg fa;
	char *cause = NULL;

	make_db("p");
	/* Chunk 1 holds 7 rows: every kind of value, absent ones too. */
	load("p", 0, PDB_CHUNK_ROWS + 7, 0, &stats);
	memset(&fa, 0, sizeof fa);
	fa.sc = open_db("p");
	ck_assert_int_eq(store_write(st, flip_cb, &fa, &cause), -1);
	ck_assert_str_eq(cause, "abandoned");
	free(cause);
	/* Both outcomes happen: the check is neither blind nor all-refusing. */
	ck_assert_uint_gt(fa.nfail, 1000);
	ck_assert_uint_gt(fa.nread, 1000);
	schema_free(fa.sc);
}
END_TEST

/* Writes junk over chunk `chunk' of field `field' (damage). */
static int
damage_cb(struct store_txn *t, void *arg, char **cause)
{
	const uint16_t *where = arg;
	uint8_t key[10];

	store_be32(key, where[2]);
	store_be16(key + 4, where[0]);
	store_be32(key + 6, where[1]);
	return store_put(t, STORE_COLS, key, sizeof key, "junk!", 5, cause);
}

/* Writes "junk!" under an overlay key. */
static int
junk_cb(struct store_txn *t, void *arg, char **cause)
{
	return store_put(t, STORE_COLS, arg, PDB_OVERLAY_KEY, "junk!", 5,
	    cause);
}

/* Adds row i of version 0 with the named fields set as given. */
static void
add_patch_row(struct pdb_batch *b, const struct pdb_schema *sc, uint32_t i,
    const char *age, const char *city, struct arena *a)
{
	static const uint8_t named[8] = { 1, 1, 0, 0, 0, 0, 0, 1 };
	struct value row[8];
	char *cause = NULL;

	parse_row(sc, i, 0, row, a);
	ck_assert_int_eq(value_parse_text(FT_INT, age, strlen(age), &row[1], a,
	    &cause), 0);
	ck_assert_int_eq(value_parse_text(FT_STRING, city, strlen(city),
	    &row[7], a, &cause), 0);
	pdb_batch_add_named(b, row, named);
}

/*
 * Stored rows updated in a few columns: the columns no row names are
 * not read (a damaged chunk there does not matter), the changed rows
 * are patched into their chunks, a string chunk keeps its dictionary and
 * gains only the new value, a value cleared drops nothing still used,
 * and the counts are exact (a repeated key: the later row wins).
 */
START_TEST(pdb_patch_paths)
{
	struct pdb_upsert_stats stats;
	struct apply_arg aa;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct col_chunk c;
	struct arena a = ARENA_INIT;
	char *cause = NULL;
	uint16_t where[3];

	make_db("p");
	load("p", 0, 2 * PDB_CHUNK_ROWS + 8, 0, &stats);
	sc = open_db("p");
	where[0] = 4;		/* born */
	where[1] = 0;
	where[2] = (uint16_t)sc->id;
	ck_assert_int_eq(store_write(st, damage_cb, where, &cause), 0);

	memset(&aa, 0, sizeof aa);
	aa.db = "p";
	aa.b = pdb_batch_new(sc);
	add_patch_row(aa.b, sc, 10, "7", "Riga", &a);	/* updated */
	add_patch_row(aa.b, sc, 11, "33", "", &a);	/* as stored */
	add_patch_row(aa.b, sc, 4100, "12300", "", &a);	/* city cleared */
	add_patch_row(aa.b, sc, 4101, "12303", "Kazan", &a); /* as stored */
	add_patch_row(aa.b, sc, 10, "8", "Riga", &a);	/* later wins */
	if (store_write(st, apply_cb, &aa, &cause) != 0)
		ck_abort_msg("apply: %s", cause);
	ck_assert_uint_eq(aa.stats.inserted, 0);
	ck_assert_uint_eq(aa.stats.updated, 2);
	ck_assert_uint_eq(aa.stats.unchanged, 2);
	pdb_batch_free(aa.b);

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_chunk(t, sc, 1, 0, &c, &cause), 0);
	ck_assert_int_eq(c.i64[10], 8);
	ck_assert_int_eq(c.i64[11], 33);
	ck_assert_int_eq(c.i64[12], 36);
	ck_assert_int_eq(pdb_chunk(t, sc, 7, 0, &c, &cause), 0);
	/* Moscow, Kazan, Omsk, then Riga; row 10 was Omsk. */
	ck_assert_uint_eq(c.ndict, 4);
	ck_assert_int_eq(memcmp(c.dict_data + c.dict_off[3], "Riga", 4), 0);
	ck_assert_uint_eq(c.codes[10], 3);
	ck_assert_int_eq(col_present(&c, 11), 0);
	ck_assert_uint_eq(c.codes[12], 0);
	ck_assert_int_eq(pdb_chunk(t, sc, 7, 1, &c, &cause), 0);
	ck_assert_uint_eq(c.ndict, 3);
	ck_assert_int_eq(col_present(&c, 4100 - PDB_CHUNK_ROWS), 0);
	ck_assert_uint_eq(c.codes[4100 - PDB_CHUNK_ROWS], 0);
	ck_assert_int_eq(col_present(&c, 4101 - PDB_CHUNK_ROWS), 1);
	/* The damaged column was not rewritten. */
	ck_assert_int_eq(pdb_chunk(t, sc, 4, 0, &c, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'p': field 'born', chunk 0 "
	    "is damaged: 5 bytes, shorter than a chunk header");
	free(cause);
	store_read_end(t);
	pdb_chunk_release(&c);
	schema_free(sc);
	arena_free(&a);
}
END_TEST

/*
 * Sets age and city (cities NULL: Kazan) of rows[0..n) of database p in
 * one transaction; returns how many rows it counted updated.
 */
static size_t
patch_rows(const struct pdb_schema *sc, const uint32_t *rows,
    const char *const *ages, const char *const *cities, size_t n)
{
	struct apply_arg aa;
	struct arena a = ARENA_INIT;
	char *cause = NULL;
	size_t i;

	memset(&aa, 0, sizeof aa);
	aa.db = "p";
	aa.b = pdb_batch_new(sc);
	for (i = 0; i < n; i++)
		add_patch_row(aa.b, sc, rows[i], ages[i], cities != NULL ?
		    cities[i] : "Kazan", &a);
	if (store_write(st, apply_cb, &aa, &cause) != 0)
		ck_abort_msg("apply: %s", cause);
	pdb_batch_free(aa.b);
	arena_free(&a);
	return aa.stats.updated;
}

/* Patches rows of database p's age (and city) in one transaction. */
static void
patch_ages(const struct pdb_schema *sc, const uint32_t *rows,
    const char *const *ages, size_t n)
{
	patch_rows(sc, rows, ages, NULL, n);
}

/* Sets the city of row i of database p (its age as loaded). */
static void
patch_city(const struct pdb_schema *sc, uint32_t i, const char *city)
{
	struct apply_arg aa;
	struct arena a = ARENA_INIT;
	char *cause = NULL, age[16];

	memset(&aa, 0, sizeof aa);
	aa.db = "p";
	aa.b = pdb_batch_new(sc);
	snprintf(age, sizeof age, "%u", i * 3);
	add_patch_row(aa.b, sc, i, age, city, &a);
	if (store_write(st, apply_cb, &aa, &cause) != 0)
		ck_abort_msg("apply: %s", cause);
	ck_assert_uint_eq(aa.stats.updated, 1);
	pdb_batch_free(aa.b);
	arena_free(&a);
}

/* Chunk 0 of p's city: its dictionary, "|"-joined, and row r's code. */
static char *
city_dict(const struct pdb_schema *sc, uint32_t r, uint32_t *code,
    int *present)
{
	struct strbuf sb = STRBUF_INIT;
	struct store_txn *t;
	struct col_chunk c;
	char *cause = NULL;
	uint32_t e;

	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	if (pdb_chunk(t, sc, 7, 0, &c, &cause) != 0)
		ck_abort_msg("chunk: %s", cause);
	for (e = 0; e < c.ndict; e++)
		sb_printf(&sb, "%s%.*s", e > 0 ? "|" : "",
		    (int)(c.dict_off[e + 1] - c.dict_off[e]),
		    c.dict_data + c.dict_off[e]);
	*code = c.codes[r];
	*present = col_present(&c, r);
	store_read_end(t);
	pdb_chunk_release(&c);
	return sb_detach(&sb);
}

/*
 * A string chunk changed to values its dictionary holds keeps the
 * dictionary as it is, unless an entry would be left unused, which goes
 * (and a value it lacks is added): a dictionary never holds a value no
 * row has.
 */
START_TEST(pdb_patch_codes_dictionary)
{
	static const struct {
		uint32_t	 row;
		const char	*city, *dict;
		uint32_t	 code;
	} step[] = {
		{ 30, "Riga", "Moscow|Kazan|Omsk|Riga", 3 },	/* was Omsk */
		{ 30, "Kazan", "Moscow|Kazan|Omsk", 1 },	/* Riga's row */
		{ 28, "Omsk", "Moscow|Kazan|Omsk", 2 },		/* was Moscow */
		{ 29, "", "Moscow|Kazan|Omsk", 0 },		/* was Kazan */
	};
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	uint32_t code;
	size_t i;
	int present;
	char *d;

	make_db("p");
	load("p", 0, PDB_CHUNK_ROWS + 8, 0, &stats);
	sc = open_db("p");
	for (i = 0; i < sizeof step / sizeof step[0]; i++) {
		patch_city(sc, step[i].row, step[i].city);
		d = city_dict(sc, step[i].row, &code, &present);
		ck_assert_str_eq(d, step[i].dict);
		ck_assert_uint_eq(code, step[i].code);
		ck_assert_int_eq(present, *step[i].city != '\0');
		free(d);
	}
	d = city_dict(sc, 32, &code, &present);
	ck_assert_uint_eq(code, 0);		/* Moscow, as loaded */
	free(d);
	schema_free(sc);
}
END_TEST

/* Field f's chunk ch as the scan sees it (packed) and as others do. */
static void
both_views(struct store_txn *t, const struct pdb_schema *sc, uint16_t f,
    uint32_t ch, struct col_chunk *raw, struct col_chunk *plain)
{
	char *cause = NULL;

	struct col_chunk m;

	memset(&m, 0, sizeof m);
	if (pdb_chunk_layout(t, sc, f, ch, raw, &cause) != 0 ||
	    pdb_chunk_check(sc, f, ch, raw, &cause) != 0 ||
	    pdb_chunk(t, sc, f, ch, plain, &cause) != 0)
		ck_abort_msg("chunk: %s", cause);
	/* The scan's workers merge an overlay into a copy of their own. */
	if (raw->overlay != NULL) {
		if (pdb_chunk_merged(sc, f, ch, raw, &m, &cause) != 0)
			ck_abort_msg("merge: %s", cause);
		pdb_chunk_release(raw);
		*raw = m;
	}
	ck_assert_uint_eq(plain->width, 0);
}

/*
 * Packed chunks: each column takes the narrowest width its chunk's
 * values fit (text_row: age i * 3, born one date, seen 28 days of
 * seconds, city 3 codes, email 4096 distinct); the other readers get
 * the same rows as plain arrays, absent rows 0; an update widens the
 * chunk to what its new values need, and back to plain past 2^32.
 */
START_TEST(pdb_packed_layout)
{
	static const uint32_t r10[] = { 10 }, r11[] = { 11 },
	    r4096[] = { PDB_CHUNK_ROWS, PDB_CHUNK_ROWS + 1 };
	static const char *const inrange[] = { "12488", "" };
	static const char *const wide[] = { "100000" }, *const neg[] = {
	    "-7" }, *const huge[] = { "5000000000" };
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct col_chunk raw, c;
	char *cause = NULL;
	uint32_t r;

	make_db("p");
	load("p", 0, PDB_CHUNK_ROWS + 8, 0, &stats);
	sc = open_db("p");
	memset(&raw, 0, sizeof raw);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	/* age: 0 .. 12285 in chunk 0, 12288 .. 12309 in chunk 1. */
	both_views(t, sc, 1, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 2);
	ck_assert_int_eq(raw.base, 0);
	ck_assert_ptr_null(raw.i64);
	for (r = 0; r < PDB_CHUNK_ROWS; r++) {
		ck_assert_int_eq(col_present(&c, r), r % 7 != 3);
		ck_assert_int_eq(c.i64[r], r % 7 == 3 ? 0 : r * 3);
		if (r % 7 != 3)
			ck_assert_int_eq(col_int(&raw, r), r * 3);
	}
	both_views(t, sc, 1, 1, &raw, &c);
	ck_assert_uint_eq(raw.width, 1);
	ck_assert_int_eq(raw.base, PDB_CHUNK_ROWS * 3);
	ck_assert_int_eq(c.i64[7], (PDB_CHUNK_ROWS + 7) * 3);
	/* born: one date, absent rows 0 in the plain array. */
	both_views(t, sc, 4, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 1);
	ck_assert_int_eq(c.i32[0], c.i32[1]);
	ck_assert_int_eq(c.i32[6], 0);
	/* seen: 27 days of seconds. */
	both_views(t, sc, 5, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 4);
	ck_assert_int_eq(c.i64[27] - c.i64[0], 27 * 86400);
	/* city: 3 entries, a byte a code; email: 4096, two. */
	both_views(t, sc, 7, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 1);
	ck_assert_uint_eq(c.ndict, 3);
	ck_assert_uint_eq(col_code(&raw, 5), c.codes[5]);
	both_views(t, sc, 0, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 2);
	ck_assert_uint_eq(c.ndict, PDB_CHUNK_ROWS);
	ck_assert_uint_eq(c.codes[4095], 4095);
	/* Floats, booleans and tags stay plain. */
	both_views(t, sc, 2, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 0);
	store_read_end(t);

	/*
	 * Values within the chunk's range are written into its packed
	 * rows: the least one raised, the base stays below the new least.
	 */
	patch_ages(sc, r4096, inrange, 2);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 1, &raw, &c);
	ck_assert_uint_eq(raw.width, 1);
	ck_assert_int_eq(raw.base, PDB_CHUNK_ROWS * 3);
	ck_assert_int_eq(col_int(&raw, 0), PDB_CHUNK_ROWS * 3 + 200);
	ck_assert_int_eq(c.i64[0], PDB_CHUNK_ROWS * 3 + 200);
	ck_assert_int_eq(col_present(&raw, 1), 0);
	ck_assert_uint_eq(col_packed(&raw, 1), 0);
	ck_assert_int_eq(c.i64[1], 0);
	ck_assert_int_eq(c.i64[3], (PDB_CHUNK_ROWS + 3) * 3);
	store_read_end(t);

	patch_ages(sc, r10, wide, 1);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 4);
	ck_assert_int_eq(c.i64[10], 100000);
	ck_assert_int_eq(c.i64[12], 36);
	store_read_end(t);

	patch_ages(sc, r11, neg, 1);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 4);
	ck_assert_int_eq(raw.base, -7);
	ck_assert_int_eq(c.i64[11], -7);
	ck_assert_int_eq(col_int(&raw, 12), 36);
	store_read_end(t);

	patch_ages(sc, r10, huge, 1);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 0, &raw, &c);
	ck_assert_uint_eq(raw.width, 0);
	ck_assert_int_eq(raw.i64[10], 5000000000LL);
	ck_assert_int_eq(c.i64[11], -7);
	ck_assert_int_eq(c.i64[3], 0);
	store_read_end(t);
	pdb_chunk_release(&raw);
	pdb_chunk_release(&c);
	schema_free(sc);
}
END_TEST

/*
 * A copy of what p's column f stores for chunk ch: the chunk, or with
 * overlay its overlay; NULL when there is none.
 */
static uint8_t *
stored(const struct pdb_schema *sc, uint16_t f, uint32_t ch, int overlay,
    size_t *len)
{
	struct store_txn *t;
	uint8_t key[PDB_OVERLAY_KEY], *copy = NULL;
	const void *v;
	char *cause = NULL;
	int rc;

	pdb_overlay_key(key, sc->id, f, ch);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	rc = store_get(t, STORE_COLS, key, overlay ? PDB_OVERLAY_KEY : 10, &v,
	    len, &cause);
	ck_assert_int_ge(rc, 0);
	if (rc == 0) {
		copy = xmalloc(*len + 1);
		memcpy(copy, v, *len);
	}
	store_read_end(t);
	return copy;
}

/* The rows of p's column f, chunk ch, in its overlay (0 without one). */
static size_t
overlay_rows(const struct pdb_schema *sc, uint16_t f, uint32_t ch)
{
	struct pdb_overlay ov;
	uint8_t *v;
	size_t len;

	if ((v = stored(sc, f, ch, 1, &len)) == NULL)
		return 0;
	ck_assert_int_eq(pdb_overlay_parse(v, len, (int)sc->fields[f].type,
	    PDB_CHUNK_ROWS, &ov, NULL, 0), 0);
	free(v);
	return ov.n;
}

/*
 * A few changed rows of a chunk go to its overlay, which leaves the
 * chunk's bytes as they were and which every reader merges: a value
 * within the packed range, one below it, a cleared one, a string the
 * dictionary lacks.  A later change of the same row wins; past
 * PDB_OVERLAY_ROWS rows the chunk is written with them all and the
 * overlay goes, as it does when a profile of the chunk is deleted.  A
 * damaged overlay is named as its chunk's damage.
 */
START_TEST(pdb_overlay_rows)
{
	static const uint32_t r3[] = { 10, 11, 12 }, r2[] = { 10, 20 },
	    r1[] = { PDB_CHUNK_ROWS + 1 };
	static const char *const a3[] = { "100", "-7", "" },
	    *const c3[] = { "Riga", "", "Kazan" },
	    *const a2[] = { "101", "5" }, *const c2[] = { "Riga", "Omsk" },
	    *const a1[] = { "9" }, *const c1[] = { "Omsk" };
	struct pdb_upsert_stats stats;
	struct del_arg d = { "p", NULL };
	struct pdb_schema *sc;
	struct store_txn *t;
	struct col_chunk raw, c;
	uint32_t rows[PDB_OVERLAY_ROWS], r;
	char ages[PDB_OVERLAY_ROWS][16], *cause = NULL;
	const char *ap[PDB_OVERLAY_ROWS], *cp[PDB_OVERLAY_ROWS];
	uint8_t *age0, *city0, *now, key[PDB_OVERLAY_KEY];
	size_t alen, clen, len, i;

	make_db("p");
	load("p", 0, PDB_CHUNK_ROWS + 8, 0, &stats);
	sc = open_db("p");
	age0 = stored(sc, 1, 0, 0, &alen);
	city0 = stored(sc, 7, 0, 0, &clen);
	ck_assert_ptr_nonnull(age0);
	ck_assert_uint_eq(patch_rows(sc, r3, a3, c3, 3), 3);
	ck_assert_uint_eq(overlay_rows(sc, 1, 0), 3);
	/* Row 11's city was empty already: only changed rows go in. */
	ck_assert_uint_eq(overlay_rows(sc, 7, 0), 2);
	ck_assert_uint_eq(overlay_rows(sc, 1, 1), 0);
	ck_assert_uint_eq(overlay_rows(sc, 2, 0), 0);
	now = stored(sc, 1, 0, 0, &len);
	ck_assert(len == alen && memcmp(now, age0, len) == 0);
	free(now);
	now = stored(sc, 7, 0, 0, &len);
	ck_assert(len == clen && memcmp(now, city0, len) == 0);
	free(now);

	memset(&raw, 0, sizeof raw);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 0, &raw, &c);
	ck_assert_int_eq(c.i64[10], 100);
	ck_assert_int_eq(c.i64[11], -7);
	ck_assert_int_eq(col_present(&c, 12), 0);
	ck_assert_int_eq(c.i64[12], 0);
	ck_assert_int_eq(c.i64[13], 39);
	ck_assert_int_eq(raw.base, -7);
	ck_assert_int_eq(col_int(&raw, 11), -7);
	ck_assert_int_eq(col_int(&raw, 10), 100);
	/* Row 10 was Omsk, 11 empty, 12 Moscow. */
	both_views(t, sc, 7, 0, &raw, &c);
	ck_assert_uint_eq(c.ndict, 4);
	ck_assert_int_eq(memcmp(c.dict_data + c.dict_off[3], "Riga", 4), 0);
	ck_assert_uint_eq(c.codes[10], 3);
	ck_assert_int_eq(col_present(&c, 11), 0);
	ck_assert_uint_eq(c.codes[12], 1);
	store_read_end(t);

	/* The same row again: one entry, the later value. */
	ck_assert_uint_eq(patch_rows(sc, r2, a2, c2, 2), 2);
	ck_assert_uint_eq(overlay_rows(sc, 1, 0), 4);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 0, &raw, &c);
	ck_assert_int_eq(c.i64[10], 101);
	ck_assert_int_eq(c.i64[11], -7);
	ck_assert_int_eq(c.i64[20], 5);
	store_read_end(t);

	/* 28 more rows make 32: still an overlay; one more folds it. */
	for (i = 0; i < 28; i++) {
		rows[i] = 100 + (uint32_t)i;
		snprintf(ages[i], sizeof ages[i], "%zu", 7000 + i);
		ap[i] = ages[i];
		cp[i] = "Riga";
	}
	ck_assert_uint_eq(patch_rows(sc, rows, ap, cp, 28), 28);
	ck_assert_uint_eq(overlay_rows(sc, 1, 0), PDB_OVERLAY_ROWS);
	now = stored(sc, 1, 0, 0, &len);
	ck_assert(len == alen && memcmp(now, age0, len) == 0);
	free(now);
	rows[0] = 4000;
	ap[0] = "1";
	ck_assert_uint_eq(patch_rows(sc, rows, ap, cp, 1), 1);
	ck_assert_uint_eq(overlay_rows(sc, 1, 0), 0);
	/* City changed in 10, 12, 20, 100..127 and 4000: 32 rows. */
	ck_assert_uint_eq(overlay_rows(sc, 7, 0), PDB_OVERLAY_ROWS);
	now = stored(sc, 1, 0, 0, &len);
	ck_assert(len != alen || memcmp(now, age0, len) != 0);
	free(now);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 0, &raw, &c);
	ck_assert_int_eq(c.i64[10], 101);
	ck_assert_int_eq(c.i64[11], -7);
	ck_assert_int_eq(col_present(&c, 12), 0);
	ck_assert_int_eq(c.i64[20], 5);
	for (r = 100; r < 128; r++)
		ck_assert_int_eq(c.i64[r], 7000 + r - 100);
	ck_assert_int_eq(c.i64[4000], 1);
	ck_assert_int_eq(c.i64[4001], 4001 * 3);
	both_views(t, sc, 7, 0, &raw, &c);
	ck_assert_uint_eq(c.codes[10], 3);
	ck_assert_uint_eq(c.codes[4000], 3);
	store_read_end(t);

	/* Deleting a profile writes its chunks whole. */
	ck_assert_uint_eq(patch_rows(sc, r1, a1, c1, 1), 1);
	ck_assert_uint_eq(overlay_rows(sc, 1, 1), 1);
	d.pnos = roaring_bitmap_of(1, PDB_CHUNK_ROWS + 3);
	ck_assert_int_eq(store_write(st, del_cb, &d, &cause), 0);
	roaring_bitmap_free(d.pnos);
	ck_assert_uint_eq(overlay_rows(sc, 1, 1), 0);
	schema_free(sc);
	sc = open_db("p");
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	both_views(t, sc, 1, 1, &raw, &c);
	ck_assert_int_eq(c.i64[1], 9);
	ck_assert_int_eq(col_present(&c, 3), 0);
	store_read_end(t);

	pdb_overlay_key(key, sc->id, 1, 1);
	ck_assert_int_eq(store_write(st, junk_cb, key, &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_chunk(t, sc, 1, 1, &c, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'p': field 'age', chunk 1 "
	    "is damaged: an overlay of kind 106, version 117");
	free(cause);
	store_read_end(t);
	pdb_chunk_release(&raw);
	pdb_chunk_release(&c);
	free(age0);
	free(city0);
	schema_free(sc);
}
END_TEST

/*
 * A packed chunk the writer never makes is refused: string codes of a
 * byte for 300 entries, a base that takes the values past the type.
 */
START_TEST(pdb_packed_damaged)
{
	struct pdb_bcol bc;
	struct col_chunk c;
	struct value v;
	char why[PDB_WHY], text[16];
	uint8_t *bytes;
	uint16_t width = 1;
	int64_t base = INT64_MAX - 5;
	size_t size;
	uint32_t r;

	memset(&c, 0, sizeof c);
	memset(&v, 0, sizeof v);
	pdb_bcol_init(&bc, FT_STRING);
	v.present = 1;
	for (r = 0; r < 300; r++) {
		snprintf(text, sizeof text, "s%u", r);
		v.u.s.p = text;
		v.u.s.len = (uint32_t)strlen(text);
		pdb_bcol_put(&bc, &v);
	}
	size = pdb_bcol_size(&bc);
	bytes = xmalloc(size);
	pdb_bcol_write(&bc, bytes);
	ck_assert_int_eq(bytes[1], 2);
	ck_assert_int_eq(pdb_chunk_view(bytes, size, FT_STRING, &c, why,
	    sizeof why), 0);
	ck_assert_str_eq(c.dict_data + c.dict_off[c.codes[299]], "s299");
	memcpy(bytes + 2, &width, 2);
	ck_assert_int_eq(pdb_chunk_view(bytes, size, FT_STRING, &c, why,
	    sizeof why), -1);
	ck_assert_str_eq(why, "300 dictionary entries, more than 1-byte "
	    "codes hold");
	free(bytes);
	pdb_bcol_free(&bc);

	pdb_bcol_init(&bc, FT_INT);
	for (r = 0; r < 3; r++) {
		v.u.i = (int64_t)r * 3;	/* 0, 3, 6: width 1 */
		pdb_bcol_put(&bc, &v);
	}
	size = pdb_bcol_size(&bc);
	bytes = xmalloc(size);
	pdb_bcol_write(&bc, bytes);
	ck_assert_int_eq(pdb_chunk_view(bytes, size, FT_INT, &c, why,
	    sizeof why), 0);
	ck_assert_int_eq(c.i64[2], 6);
	/* INT64_MAX - 5 + 6 is past INT64_MAX; + 3 is not. */
	memcpy(bytes + PDB_HDR + 8, &base, 8);
	ck_assert_int_eq(pdb_chunk_view(bytes, size, FT_INT, &c, why,
	    sizeof why), -1);
	ck_assert_str_eq(why, "packed values past the range of the column's "
	    "type");
	bytes[PDB_HDR + 16 + 2] = 5;
	ck_assert_int_eq(pdb_chunk_view(bytes, size, FT_INT, &c, why,
	    sizeof why), 0);
	ck_assert_int_eq(c.i64[2], INT64_MAX);
	free(bytes);
	pdb_bcol_free(&bc);
	pdb_chunk_release(&c);
}
END_TEST

/* Accepts a text equal to arg. */
static int
match_eq(void *arg, const char *text)
{
	return strcmp(text, arg) == 0;
}

/* The members pdb_match_members finds for text, as "1 5 9". */
static const char *
matches(struct store_txn *t, const struct pdb_schema *sc,
    const roaring_bitmap_t *m, const char *text)
{
	static char	 buf[256];
	roaring_bitmap_t *found = NULL;
	roaring_uint32_iterator_t *it;
	char		*cause = NULL;
	size_t		 len = 0;

	if (pdb_match_members(t, sc, m, match_eq, (void *)text, &found,
	    &cause) != 0)
		ck_abort_msg("pdb_match_members: %s", cause);
	buf[0] = '\0';
	it = roaring_create_iterator(found);
	for (; it->has_value; roaring_advance_uint32_iterator(it))
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%u",
		    len > 0 ? " " : "", it->current_value);
	roaring_free_uint32_iterator(it);
	roaring_bitmap_free(found);
	return buf;
}

/*
 * pdb_sort_members: rows 0..29 (loaded by text_row) of members {1, 3,
 * 4, ..., 29}: by age (i * 3, empty for i % 7 == 3) ascending with the
 * empty first, descending with the empty last; by city with ties in
 * profile-number order either way; an unknown field refused.
 * pdb_match_members: the members with a field of the text given.
 */
START_TEST(pdb_order_members)
{
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	struct store_txn *t;
	roaring_bitmap_t *m = roaring_bitmap_create();
	uint32_t *order = NULL, i;
	size_t n;
	char *cause = NULL;
	struct strbuf sb = STRBUF_INIT;

	make_db("o");
	load("o", 0, 30, 0, &stats);
	sc = open_db("o");
	for (i = 1; i < 30; i++)
		if (i != 2)
			roaring_bitmap_add(m, i);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	/* age: rows 3, 10, 17, 24 are empty, the rest i * 3. */
	ck_assert_int_eq(pdb_sort_members(t, sc, m, 1, 0, &order, &n,
	    &cause), 0);
	ck_assert_uint_eq(n, 28);
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s%u", i > 0 ? " " : "", order[i]);
	ck_assert_str_eq(sb.buf, "3 10 17 24 1 4 5 6 7 8 9 11 12 13 14 15 "
	    "16 18 19 20 21 22 23 25 26 27 28 29");
	free(order);
	ck_assert_int_eq(pdb_sort_members(t, sc, m, 1, 1, &order, &n,
	    &cause), 0);
	sb_reset(&sb);
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s%u", i > 0 ? " " : "", order[i]);
	ck_assert_str_eq(sb.buf, "29 28 27 26 25 23 22 21 20 19 18 16 15 14 "
	    "13 12 11 9 8 7 6 5 4 1 3 10 17 24");
	free(order);
	/* city descending: Omsk, Moscow, Kazan, "" (i % 4 = 2, 0, 1, 3);
	 * ties by number. */
	ck_assert_int_eq(pdb_sort_members(t, sc, m, 7, 1, &order, &n,
	    &cause), 0);
	sb_reset(&sb);
	for (i = 0; i < 8; i++)
		sb_printf(&sb, "%s%u", i > 0 ? " " : "", order[i]);
	ck_assert_str_eq(sb.buf, "6 10 14 18 22 26 4 8");
	/* Matches: any field, as value_format_text writes it. */
	ck_assert_str_eq(matches(t, sc, m, "Kazan"), "1 5 9 13 17 21 25 29");
	ck_assert_str_eq(matches(t, sc, m, "user13@example.com"), "13");
	ck_assert_str_eq(matches(t, sc, m, "60"), "20");
	/* vip: odd rows, empty where i % 7 == 5 (5, 19). */
	ck_assert_str_eq(matches(t, sc, m, "true"), "1 3 7 9 11 13 15 17 21 "
	    "23 25 27 29");
	/* Row 2 is not a member. */
	ck_assert_str_eq(matches(t, sc, m, "user2@example.com"), "");
	free(order);
	ck_assert_int_eq(pdb_sort_members(t, sc, m, 8, 0, &order, &n,
	    &cause), -1);
	ck_assert_str_eq(cause, "database 'o' has no field number 9");
	ck_assert_ptr_null(order);
	free(cause);
	store_read_end(t);
	sb_free(&sb);
	roaring_bitmap_free(m);
	schema_free(sc);
}
END_TEST

/* LMDB's order, the plain way: bytewise, then the shorter first. */
static int
keyref_plain_cmp(const void *a, const void *b)
{
	const struct pdb_keyref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int d = memcmp(x->p, y->p, n);

	return d != 0 ? d : (x->len > y->len) - (x->len < y->len);
}

/*
 * The new keys' sort agrees with a plain comparison sort on keys built
 * to catch a radix sort out: long shared prefixes (past one and two
 * 16-byte windows), keys that are prefixes of others, zero bytes
 * against the window's padding (in a bucket too big for the insertion
 * sort), buckets of every size.
 */
START_TEST(pdb_keys_sorted)
{
	static const char *const stems[] = { "", "a", "ab",
	    "alexander.kuznetsov", "alexander.kuznetsov.a.long.stem.x",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" };
	enum { N = 20000, Z = 80 };
	struct pdb_keyref *got, *want;
	char *bytes;
	size_t i, j, at = 0, len, cap = (size_t)N * 80;
	uint64_t seed = 42;

	bytes = xmalloc(cap);
	got = xcalloc(N, sizeof *got);
	want = xcalloc(N, sizeof *want);
	/* "zz" and 0-39 zero bytes; "yy", 0-39 zero bytes and a "c". */
	for (i = 0; i < Z; i++) {
		len = 2 + i % 40;
		memset(bytes + at, 0, len + 1);
		memcpy(bytes + at, i < 40 ? "zz" : "yy", 2);
		if (i >= 40)
			bytes[at + len++] = 'c';
		pdb_keyref_set(&got[i], bytes + at, (uint32_t)len, (uint32_t)i);
		at += len;
	}
	for (i = Z; i < N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		len = strlen(stems[(seed >> 33) % 6]);
		memcpy(bytes + at, stems[(seed >> 33) % 6], len);
		for (j = 0; j < (seed >> 40) % 24; j++)
			bytes[at + len++] = "ab\0c"[(seed >> (j % 32)) & 3];
		pdb_keyref_set(&got[i], bytes + at, (uint32_t)len, (uint32_t)i);
		at += len;
	}
	memcpy(want, got, N * sizeof *got);
	pdb_keyrefs_sort(got, N);
	qsort(want, N, sizeof *want, keyref_plain_cmp);
	for (i = 0; i < N; i++) {
		/* Equal keys may come in either order: compare the bytes. */
		ck_assert_uint_eq(got[i].len, want[i].len);
		ck_assert_int_eq(memcmp(got[i].p, want[i].p, got[i].len), 0);
	}
	free(bytes);
	free(got);
	free(want);
}
END_TEST

/* Key runs: the keys of three runs, the i-th key "k" + i, profile i. */
struct runs_merge {
	struct pdb_keyruns	*kr;
	const char		*db;
	size_t			 max;
	int			 more, fail;
};

static int
runs_merge_cb(struct store_txn *t, void *arg, char **cause)
{
	struct runs_merge *m = arg;
	struct pdb_schema *sc;
	int rc;

	if (pdb_open(t, m->db, &sc, cause) != 0)
		return -1;
	rc = pdb_keyruns_merge(t, STORE_KEYS, sc, m->kr, m->max, &m->more,
	    cause);
	schema_free(sc);
	if (rc == 0 && m->fail)
		return error_set(cause, "undone");
	return rc;
}

struct put_one {
	const uint8_t	*key, *val;
	size_t		 klen, vlen;
};

static int
put_one_cb(struct store_txn *t, void *arg, char **cause)
{
	struct put_one *p = arg;

	return store_put(t, STORE_KEYS, p->key, p->klen, p->val, p->vlen,
	    cause);
}

/* Runs r of nruns: the keys k<i> with i % nruns == r, i < n. */
static void
runs_make(struct pdb_keyruns *kr, size_t nruns, size_t n, char (*names)[16],
    size_t dup)
{
	struct pdb_keyref *refs = xcalloc(n + 1, sizeof *refs);
	struct pdb_keyrun *run;
	size_t r, i, m;
	char *cause = NULL;

	for (r = 0; r < nruns; r++) {
		for (i = r, m = 0; i < n; i += nruns)
			pdb_keyref_set(&refs[m++], names[i],
			    (uint32_t)strlen(names[i]), (uint32_t)i);
		/* A key of run 0 again in the last run. */
		if (r == nruns - 1 && dup < n)
			pdb_keyref_set(&refs[m++], names[dup],
			    (uint32_t)strlen(names[dup]), 7);
		pdb_keyrefs_sort(refs, m);
		if (pdb_keyruns_write(kr, refs, m, &run, &cause) != 0)
			ck_abort_msg("pdb_keyruns_write: %s", cause);
		pdb_keyruns_add(kr, run);
	}
	free(refs);
}

START_TEST(pdb_key_runs)
{
	enum { N = 3000 };
	static const char *const absent[] = { "", "a", "j", "k", "k3000",
	    "k00", "k1a", "k2999z", "l", "k10000" };
	char (*names)[16] = xcalloc(N, sizeof *names), *cause = NULL;
	struct runs_merge m = { .db = "a", .max = 250 };
	struct put_one put;
	struct store_txn *t;
	struct store_cursor *cur;
	struct pdb_schema *sa, *sb;
	const void *k, *v;
	size_t kl, vl, i, n, txns;
	uint8_t bkey[8], bval[4] = { 0, 0, 0, 9 }, prefix[4];
	uint32_t pno;

	make_db("a");
	make_db("b");
	for (i = 0; i < N; i++)
		snprintf(names[i], sizeof names[i], "k%zu", i);
	ck_assert_int_eq(pdb_keyruns_open(store_path(st), &m.kr, &cause), 0);
	runs_make(m.kr, 3, N, names, SIZE_MAX);
	ck_assert_uint_eq(pdb_keyruns_count(m.kr), N);
	ck_assert_uint_eq(pdb_keyruns_nruns(m.kr), 3);
	/* Every key in its run, whichever block; no other. */
	for (i = 0; i < N; i++) {
		pno = UINT32_MAX;
		ck_assert_int_eq(pdb_keyruns_find(m.kr, names[i],
		    strlen(names[i]), &pno, &cause), 0);
		ck_assert_uint_eq(pno, i);
	}
	for (i = 0; i < sizeof absent / sizeof *absent; i++)
		ck_assert_msg(pdb_keyruns_find(m.kr, absent[i],
		    strlen(absent[i]), &pno, &cause) == 1, "found '%s'",
		    absent[i]);

	/* A key of database b, after all of a's: a's cannot be appended. */
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(pdb_open(t, "a", &sa, &cause), 0);
	ck_assert_int_eq(pdb_open(t, "b", &sb, &cause), 0);
	store_read_end(t);
	ck_assert_uint_gt(sb->id, sa->id);
	store_be32(bkey, sb->id);
	memcpy(bkey + 4, "zzzz", 4);
	put.key = bkey;
	put.klen = sizeof bkey;
	put.val = bval;
	put.vlen = sizeof bval;
	ck_assert_int_eq(store_write(st, put_one_cb, &put, &cause), 0);

	/* An undone transaction leaves nothing, and the next starts over. */
	m.fail = 1;
	ck_assert_int_ne(store_write(st, runs_merge_cb, &m, &cause), 0);
	ck_assert_str_eq(cause, "undone");
	free(cause);
	cause = NULL;
	m.fail = 0;
	txns = 0;
	do {
		if (store_write(st, runs_merge_cb, &m, &cause) != 0)
			ck_abort_msg("merge: %s", cause);
		pdb_keyruns_merged(m.kr);
		txns++;
		/* One undone in the middle, too. */
		if (txns == 3) {
			m.fail = 1;
			ck_assert_int_ne(store_write(st, runs_merge_cb, &m,
			    &cause), 0);
			free(cause);
			cause = NULL;
			m.fail = 0;
		}
	} while (m.more);
	ck_assert_uint_eq(txns, N / 250);
	ck_assert_uint_eq(pdb_keyruns_merged_count(m.kr), N);
	pdb_keyruns_free(m.kr);

	/* a's index: every key once, in order, with its number. */
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	store_be32(prefix, sa->id);
	cur = store_cursor_open(t, STORE_KEYS, prefix, sizeof prefix, &cause);
	ck_assert_ptr_nonnull(cur);
	n = 0;
	while (store_cursor_next(cur, &k, &kl, &v, &vl, &cause) == 0) {
		ck_assert_uint_eq(vl, 4);
		pno = store_get_be32(v);
		ck_assert_uint_lt(pno, N);
		ck_assert_uint_eq(kl - 4, strlen(names[pno]));
		ck_assert_int_eq(memcmp((const char *)k + 4, names[pno],
		    kl - 4), 0);
		n++;
	}
	store_cursor_close(cur);
	ck_assert_uint_eq(n, N);
	ck_assert_int_eq(store_get(t, STORE_KEYS, bkey, sizeof bkey, &v, &vl,
	    &cause), 0);
	ck_assert_int_eq(memcmp(v, bval, 4), 0);
	store_read_end(t);
	schema_free(sa);
	schema_free(sb);

	/* A key in two runs is refused, not indexed twice. */
	ck_assert_int_eq(pdb_keyruns_open(store_path(st), &m.kr, &cause), 0);
	runs_make(m.kr, 3, 30, names, 12);
	m.db = "b";
	m.max = SIZE_MAX;
	ck_assert_int_ne(store_write(st, runs_merge_cb, &m, &cause), 0);
	ck_assert_str_eq(cause, "profile database 'b': the import's key runs "
	    "repeat a key");
	free(cause);
	pdb_keyruns_free(m.kr);
	free(names);
}
END_TEST

/* A run that cannot be written is an error that names the directory. */
START_TEST(pdb_key_runs_write_error)
{
	enum { N = 20000 };
	struct pdb_keyruns *kr;
	struct pdb_keyref *refs = xcalloc(N, sizeof *refs);
	struct pdb_keyrun *run = NULL;
	struct rlimit rl = { 65536, 65536 };
	char (*names)[16] = xcalloc(N, sizeof *names), *cause = NULL, *want;
	size_t i;

	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "key%06zu", i);
		pdb_keyref_set(&refs[i], names[i], 9, (uint32_t)i);
	}
	ck_assert_int_eq(pdb_keyruns_open(store_path(st), &kr, &cause), 0);
	/* Files of this process end at 64 KiB; the run needs 300 KB. */
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(pdb_keyruns_write(kr, refs, N, &run, &cause), -1);
	ck_assert_ptr_null(run);
	want = xasprintf("cannot write the import's key runs in %s: %s",
	    store_path(st), strerror(EFBIG));
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	ck_assert_uint_eq(pdb_keyruns_count(kr), 0);
	pdb_keyruns_free(kr);
	free(refs);
	free(names);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pdb");
	TCase *tc = tcase_create("pdb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pdb_round_trip);
	tcase_add_test(tc, pdb_upsert_and_scan);
	tcase_add_test(tc, pdb_bulk_set);
	tcase_add_test(tc, pdb_delete_profiles);
	tcase_add_test(tc, pdb_create_list_drop);
	tcase_add_test(tc, value_rules);
	tcase_add_test(tc, value_fast_formats);
	tcase_add_test(tc, pdb_batch_paths);
	tcase_add_test(tc, pdb_flipped_bits);
	tcase_add_test(tc, pdb_patch_paths);
	tcase_add_test(tc, pdb_packed_layout);
	tcase_add_test(tc, pdb_packed_damaged);
	tcase_add_test(tc, pdb_order_members);
	tcase_add_test(tc, pdb_keys_sorted);
	tcase_add_test(tc, pdb_key_runs);
	tcase_add_test(tc, pdb_key_runs_write_error);
	tcase_add_test(tc, pdb_patch_codes_dictionary);
	tcase_add_test(tc, pdb_overlay_rows);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
