#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drop.h"
#include "evdb.h"
#include "events.h"
#include "pdb.h"
#include "schema.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

/* 2026-01-01T00:00:00Z */
#define T0	INT64_C(1767225600)

static char *dir;
static struct store *st;

static void
setup(void)
{
	char *cause = NULL;

	dir = testlib_tempdir();
	if (store_open(dir, &st, &cause) != 0)
		ck_abort_msg("store_open: %s", cause);
	unsetenv("RESEG_EVSTAGE_ROWS");
}

static void
teardown(void)
{
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}

static void
make_db(const char *name, const char *evspec)
{
	struct field *f, *ef = NULL;
	size_t n, ne = 0;
	char *cause = NULL;

	ck_assert_int_eq(schema_parse_fields("email:string,age:int", &f, &n,
	    &cause), 0);
	if (evspec != NULL)
		ck_assert_int_eq(schema_parse_fields(evspec, &ef, &ne, &cause),
		    0);
	if (pdb_create_events(st, name, f, n, "email", ef, ne, &cause) != 0)
		ck_abort_msg("pdb_create_events: %s", cause);
	fields_free(f, n);
	fields_free(ef, ne);
}

static struct pdb_schema *
open_db(const char *name)
{
	return testlib_open_db(st, name);
}

struct append_arg {
	const struct pdb_schema		*sc;
	const struct evdb_event		*evs;
	size_t				 n;
	struct evdb_append_stats	 stats;
};

static int
append_cb(struct store_txn *t, void *arg, char **cause)
{
	struct append_arg *a = arg;

	return evdb_append(t, a->sc, a->evs, a->n, &a->stats, cause);
}

/* Appends n events; *added and *dups from the stats. */
static void
append(const char *db, const struct evdb_event *evs, size_t n,
    uint64_t *added, uint64_t *dups)
{
	struct append_arg a = { NULL, evs, n, { 0, 0 } };
	char *cause = NULL;

	a.sc = open_db(db);
	if (store_write(st, append_cb, &a, &cause) != 0)
		ck_abort_msg("evdb_append: %s", cause);
	schema_free((struct pdb_schema *)a.sc);
	*added = a.stats.added;
	*dups = a.stats.duplicates;
}

/* Event i: profile i % 7, time T0 + perm(i) hours, name by i % 3. */
static const char *const names[] = { "purchase", "login", "email_open" };

static void
make_events(struct evdb_event *evs, struct value *props, char (*ids)[32],
    size_t n, size_t first, int64_t (*timef)(size_t))
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		k = first + i;
		evs[i].pno = (uint32_t)(k % 7);
		evs[i].time = timef(k);
		evs[i].name = names[k % 3];
		evs[i].namelen = strlen(names[k % 3]);
		snprintf(ids[i], 32, "ev%zu", k);
		evs[i].id = ids[i];
		evs[i].idlen = strlen(ids[i]);
		memset(&props[2 * i], 0, 2 * sizeof *props);
		if (k % 3 == 0) {
			props[2 * i].present = 1;
			props[2 * i].u.f = (double)k + 0.5;
			props[2 * i + 1].present = 1;
			props[2 * i + 1].u.s.p = "TV-1";
			props[2 * i + 1].u.s.len = 4;
		}
		evs[i].props = &props[2 * i];
	}
}

/* Times in reverse order of arrival, so that sorting shows. */
static int64_t
time_rev(size_t k)
{
	return T0 + (int64_t)(100000 - k) * 3600;
}

static int64_t
time_fwd(size_t k)
{
	return T0 + (int64_t)k * 3600;
}

struct batch {
	struct evdb_event	*evs;
	struct value		*props;
	char			(*ids)[32];
};

static void
batch_make(struct batch *b, size_t n, size_t first, int64_t (*timef)(size_t))
{
	b->evs = xcalloc(n + 1, sizeof *b->evs);
	b->props = xcalloc(2 * n + 2, sizeof *b->props);
	b->ids = xcalloc(n + 1, sizeof *b->ids);
	make_events(b->evs, b->props, b->ids, n, first, timef);
}

static void
batch_free(struct batch *b)
{
	free(b->evs);
	free(b->props);
	free(b->ids);
}

static void
dir_read(const char *db, struct evdb_chunk_info **ci, size_t *n)
{
	struct pdb_schema *sc = open_db(db);
	struct store_txn *t;
	char *cause = NULL;

	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	if (evdb_chunks(t, sc, ci, n, &cause) != 0)
		ck_abort_msg("evdb_chunks: %s", cause);
	store_read_end(t);
	schema_free(sc);
}

static uint64_t
count(const char *db)
{
	struct evdb_chunk_info *ci;
	size_t n, i;
	uint64_t total = 0;

	dir_read(db, &ci, &n);
	for (i = 0; i < n; i++)
		total += ci[i].nrows;
	free(ci);
	return total;
}

START_TEST(test_reserved_and_schema)
{
	struct pdb_schema *sc, *es;

	ck_assert_int_eq(evdb_reserved_name("key"), 1);
	ck_assert_int_eq(evdb_reserved_name("event"), 1);
	ck_assert_int_eq(evdb_reserved_name("time"), 1);
	ck_assert_int_eq(evdb_reserved_name("event_id"), 1);
	ck_assert_int_eq(evdb_reserved_name("amount"), 0);
	make_db("shop", "amount:float,sku:string");
	sc = open_db("shop");
	es = evdb_schema(sc);
	ck_assert_int_eq(es->nfields, 6);
	ck_assert_str_eq(es->fields[0].name, "#profile");
	ck_assert_int_eq(es->fields[0].type, FT_INT);
	ck_assert_str_eq(es->fields[1].name, "time");
	ck_assert_int_eq(es->fields[1].type, FT_DATETIME);
	ck_assert_str_eq(es->fields[2].name, "#event");
	ck_assert_int_eq(es->fields[2].type, FT_STRING);
	ck_assert_str_eq(es->fields[3].name, "#event_id");
	ck_assert_int_eq(es->fields[3].type, FT_STRING);
	ck_assert_str_eq(es->fields[4].name, "amount");
	ck_assert_int_eq(es->fields[4].type, FT_FLOAT);
	ck_assert_str_eq(es->fields[5].name, "sku");
	ck_assert_int_eq(es->fields[5].type, FT_STRING);
	schema_free(es);
	schema_free(sc);
}
END_TEST

START_TEST(test_roundtrip_sorted)
{
	struct batch b;
	struct evdb_chunk_info *ci;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct col_chunk c;
	char *cause = NULL;
	uint64_t added, dups;
	size_t n;
	uint32_t r;

	make_db("shop", "amount:float,sku:string");
	batch_make(&b, 10, 0, time_rev);
	append("shop", b.evs, 10, &added, &dups);
	ck_assert_uint_eq(added, 10);
	ck_assert_uint_eq(dups, 0);
	dir_read("shop", &ci, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(ci[0].chunk, 0);
	ck_assert_uint_eq(ci[0].nrows, 10);
	ck_assert_int_eq(ci[0].tmin, time_rev(9));
	ck_assert_int_eq(ci[0].tmax, time_rev(0));
	free(ci);

	sc = open_db("shop");
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	/* Sorted by time: row r holds event 9 - r. */
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_TIME, 0, &c, &cause), 0);
	ck_assert_uint_eq(c.nrows, 10);
	for (r = 0; r < 10; r++)
		ck_assert_int_eq(c.i64[r], time_rev(9 - r));
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_PNO, 0, &c, &cause), 0);
	for (r = 0; r < 10; r++)
		ck_assert_int_eq(c.i64[r], (9 - r) % 7);
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_NAME, 0, &c, &cause), 0);
	ck_assert_uint_eq(c.ndict, 3);
	ck_assert_int_eq(strncmp(c.dict_data + c.dict_off[c.codes[0]],
	    "purchase", 8), 0);		/* event 9 */
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_ID, 0, &c, &cause), 0);
	ck_assert_int_eq(col_present(&c, 0), 1);
	ck_assert_int_eq(strncmp(c.dict_data + c.dict_off[c.codes[0]], "ev9",
	    3), 0);
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_PROP, 0, &c, &cause), 0);
	ck_assert_int_eq(c.type, FT_FLOAT);
	ck_assert_int_eq(col_present(&c, 0), 1);	/* event 9 */
	ck_assert(c.f64[0] == 9.5);
	ck_assert_int_eq(col_present(&c, 1), 0);	/* event 8 */
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_PROP + 2, 0, &c, &cause),
	    -1);
	ck_assert_str_eq(cause, "profile database 'shop' has no event column 6");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_TIME, 1, &c, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'shop' has no event chunk 1");
	free(cause);
	pdb_chunk_release(&c);
	store_read_end(t);
	schema_free(sc);
	batch_free(&b);
}
END_TEST

START_TEST(test_duplicates)
{
	struct batch b;
	uint64_t added, dups;

	make_db("shop", "amount:float,sku:string");
	batch_make(&b, 20, 0, time_fwd);
	/* ev5 twice in one call: the second is skipped. */
	b.evs[6].id = b.evs[5].id;
	b.evs[6].idlen = b.evs[5].idlen;
	append("shop", b.evs, 10, &added, &dups);
	ck_assert_uint_eq(added, 9);
	ck_assert_uint_eq(dups, 1);
	/* Again, plus ten new ones: only those are added. */
	append("shop", b.evs, 20, &added, &dups);
	ck_assert_uint_eq(added, 10);
	ck_assert_uint_eq(dups, 10);
	append("shop", b.evs, 20, &added, &dups);
	ck_assert_uint_eq(added, 0);
	ck_assert_uint_eq(dups, 20);
	ck_assert_uint_eq(count("shop"), 19);
	/* Events without an event_id are never duplicates. */
	b.evs[0].id = NULL;
	b.evs[0].idlen = 0;
	append("shop", b.evs, 1, &added, &dups);
	append("shop", b.evs, 1, &added, &dups);
	ck_assert_uint_eq(added, 1);
	ck_assert_uint_eq(count("shop"), 21);
	batch_free(&b);
}
END_TEST

START_TEST(test_chunk_fill)
{
	struct batch b;
	struct evdb_chunk_info *ci;
	uint64_t added, dups;
	size_t n;

	make_db("shop", "amount:float,sku:string");
	batch_make(&b, 5300, 0, time_fwd);
	append("shop", b.evs, 5000, &added, &dups);
	ck_assert_uint_eq(added, 5000);
	dir_read("shop", &ci, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(ci[0].chunk, 0);
	ck_assert_uint_eq(ci[0].nrows, 4096);
	ck_assert_uint_eq(ci[1].chunk, 1);
	ck_assert_uint_eq(ci[1].nrows, 904);
	free(ci);
	/* Small appends fill the last chunk instead of adding chunks. */
	append("shop", b.evs + 5000, 100, &added, &dups);
	append("shop", b.evs + 5100, 200, &added, &dups);
	dir_read("shop", &ci, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(ci[0].chunk, 0);
	ck_assert_uint_eq(ci[1].chunk, 3);
	ck_assert_uint_eq(ci[1].nrows, 1204);
	ck_assert_int_eq(ci[1].tmin, time_fwd(4096));
	ck_assert_int_eq(ci[1].tmax, time_fwd(5299));
	free(ci);
	/* The event_ids of the replaced chunk still find their events. */
	append("shop", b.evs, 5300, &added, &dups);
	ck_assert_uint_eq(added, 0);
	ck_assert_uint_eq(dups, 5300);
	ck_assert_uint_eq(count("shop"), 5300);
	batch_free(&b);
}
END_TEST

struct prune_arg {
	const struct pdb_schema	*sc;
	int64_t			 before;
	size_t			 max;
	uint64_t		 removed;
	int			 more;
};

static int
prune_cb(struct store_txn *t, void *arg, char **cause)
{
	struct prune_arg *a = arg;

	return evdb_prune_txn(t, a->sc, a->before, a->max, &a->removed,
	    &a->more, cause);
}

START_TEST(test_prune)
{
	struct batch b;
	struct evdb_chunk_info *ci;
	struct prune_arg pa;
	uint64_t added, dups;
	char *cause = NULL;
	size_t n;

	make_db("shop", "amount:float,sku:string");
	batch_make(&b, 10000, 0, time_fwd);
	append("shop", b.evs, 10000, &added, &dups);
	/* Chunks: [0, 4096), [4096, 8192), [8192, 10000). */
	memset(&pa, 0, sizeof pa);
	pa.sc = open_db("shop");
	pa.before = time_fwd(5000);
	pa.max = 1;
	ck_assert_int_eq(store_write(st, prune_cb, &pa, &cause), 0);
	ck_assert_uint_eq(pa.removed, 4096);
	ck_assert_int_eq(pa.more, 1);
	pa.more = 0;
	pa.max = 64;
	ck_assert_int_eq(store_write(st, prune_cb, &pa, &cause), 0);
	ck_assert_uint_eq(pa.removed, 5000);
	ck_assert_int_eq(pa.more, 0);
	dir_read("shop", &ci, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(ci[0].chunk, 1);
	ck_assert_uint_eq(ci[0].nrows, 8192 - 5000);
	ck_assert_int_eq(ci[0].tmin, time_fwd(5000));
	ck_assert_int_eq(ci[0].tmax, time_fwd(8191));
	free(ci);
	/* Nothing older is left. */
	ck_assert_int_eq(store_write(st, prune_cb, &pa, &cause), 0);
	ck_assert_uint_eq(pa.removed, 5000);
	/* The pruned event_ids are gone: importing them again adds them. */
	append("shop", b.evs, 5001, &added, &dups);
	ck_assert_uint_eq(added, 5000);
	ck_assert_uint_eq(dups, 1);
	ck_assert_uint_eq(count("shop"), 10000);
	schema_free((struct pdb_schema *)pa.sc);
	batch_free(&b);
}
END_TEST

struct delp_arg {
	const struct pdb_schema	*sc;
	roaring_bitmap_t	*pnos;
	uint64_t		 removed;
};

static int
delp_cb(struct store_txn *t, void *arg, char **cause)
{
	struct delp_arg *a = arg;

	return evdb_delete_profiles(t, a->sc, a->pnos, &a->removed, cause);
}

START_TEST(test_delete_profiles_and_drop)
{
	struct batch b;
	struct delp_arg da;
	struct store_txn *t;
	struct pdb_schema *sc;
	uint64_t added, dups, n;
	char *cause = NULL;

	make_db("shop", "amount:float,sku:string");
	batch_make(&b, 7000, 0, time_fwd);
	append("shop", b.evs, 7000, &added, &dups);
	da.sc = open_db("shop");
	da.pnos = roaring_bitmap_of(2, 1, 3);
	da.removed = 0;
	ck_assert_int_eq(store_write(st, delp_cb, &da, &cause), 0);
	ck_assert_uint_eq(da.removed, 2000);	/* 7000 / 7 each */
	ck_assert_uint_eq(count("shop"), 5000);
	/* Their event_ids went with them. */
	append("shop", b.evs, 7000, &added, &dups);
	ck_assert_uint_eq(added, 2000);
	roaring_bitmap_free(da.pnos);
	schema_free((struct pdb_schema *)da.sc);

	sc = open_db("shop");
	ck_assert_int_eq(drop_database(st, "shop", &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(evdb_count(t, sc, &n, &cause), 0);
	ck_assert_uint_eq(n, 0);
	store_read_end(t);
	schema_free(sc);
	batch_free(&b);
}
END_TEST

static int
apply_cb(struct store_txn *t, void *arg, char **cause)
{
	struct pdb_upsert_stats us;

	return pdb_batch_apply(t, "shop", arg, &us, cause);
}

START_TEST(test_added_fields_absent)
{
	struct batch b;
	struct field *f, *ef;
	size_t nf, ne;
	struct pdb_schema *sc;
	struct store_txn *t;
	struct col_chunk c;
	struct pdb_batch *pb;
	struct value row[3];
	struct arena a = ARENA_INIT;
	uint64_t added, dups;
	char *cause = NULL;

	make_db("shop", "amount:float,sku:string");
	batch_make(&b, 10, 0, time_fwd);
	append("shop", b.evs, 10, &added, &dups);
	/* A profile before the alter. */
	sc = open_db("shop");
	pb = pdb_batch_new(sc);
	memset(row, 0, sizeof row);
	row[0].present = 1;
	row[0].u.s.p = "a@x";
	row[0].u.s.len = 3;
	row[1].present = 1;
	row[1].u.i = 41;
	pdb_batch_add(pb, row);
	ck_assert_int_eq(store_write(st, apply_cb, pb, &cause), 0);
	pdb_batch_free(pb);
	schema_free(sc);

	ck_assert_int_eq(schema_parse_fields("city:string", &f, &nf, &cause),
	    0);
	ck_assert_int_eq(schema_parse_fields("channel:string", &ef, &ne,
	    &cause), 0);
	ck_assert_int_eq(pdb_alter(st, "shop", f, nf, ef, ne, &cause), 0);
	ck_assert_int_eq(pdb_alter(st, "shop", f, nf, NULL, 0, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'shop' already has a field "
	    "'city'");
	free(cause);
	cause = NULL;
	ck_assert_int_eq(pdb_alter(st, "shop", NULL, 0, ef, ne, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'shop' already has an event "
	    "field 'channel'");
	free(cause);
	cause = NULL;
	fields_free(f, nf);
	fields_free(ef, ne);
	ck_assert_int_eq(schema_parse_fields("time:int", &ef, &ne, &cause), 0);
	ck_assert_int_eq(pdb_alter(st, "shop", NULL, 0, ef, ne, &cause), -1);
	ck_assert_str_eq(cause, "profile database 'shop': 'time' is not an "
	    "event property but a part of every event (key, event, time, "
	    "event_id)");
	free(cause);
	cause = NULL;
	fields_free(ef, ne);

	sc = open_db("shop");
	ck_assert_int_eq(sc->nfields, 3);
	ck_assert_int_eq(sc->nevent_fields, 3);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(evdb_column(t, sc, EVDB_COL_PROP + 2, 0, &c, &cause),
	    0);
	ck_assert_int_eq(c.type, FT_STRING);
	ck_assert_uint_eq(c.nrows, 10);
	ck_assert_int_eq(col_present(&c, 0), 0);
	ck_assert_int_eq(col_present(&c, 9), 0);
	/* The profile reads the added field as absent. */
	ck_assert_int_eq(pdb_get_row(t, sc, 0, row, &a, &cause), 0);
	ck_assert_int_eq(row[1].present, 1);
	ck_assert_int_eq(row[1].u.i, 41);
	ck_assert_int_eq(row[2].present, 0);
	store_read_end(t);
	pdb_chunk_release(&c);
	schema_free(sc);
	arena_free(&a);
	/* A later append fills the last chunk and stores the new column. */
	b.evs[10 - 1].id = "new";
	b.evs[10 - 1].idlen = 3;
	append("shop", b.evs + 9, 1, &added, &dups);
	ck_assert_uint_eq(added, 1);
	ck_assert_uint_eq(count("shop"), 11);
	batch_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* events_import */

/* Database "shop" with profiles a@x and b@x. */
static void
make_shop(void)
{
	struct pdb_schema *sc;
	struct pdb_batch *pb;
	struct value row[2];
	char *cause = NULL;
	const char *keys[] = { "a@x", "b@x" };
	int i;

	make_db("shop", "amount:float,sku:string");
	sc = open_db("shop");
	pb = pdb_batch_new(sc);
	for (i = 0; i < 2; i++) {
		memset(row, 0, sizeof row);
		row[0].present = 1;
		row[0].u.s.p = keys[i];
		row[0].u.s.len = 3;
		pdb_batch_add(pb, row);
	}
	ck_assert_int_eq(store_write(st, apply_cb, pb, &cause), 0);
	pdb_batch_free(pb);
	schema_free(sc);
}

static FILE *
text_file(const char *text)
{
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	rewind(f);
	return f;
}

/* Imports text; returns the rc, with cause and the errors joined. */
static int
import_text(const char *text, enum export_format fmt, FILE *reject,
    struct events_import_result *res, char **cause, char **errors)
{
	struct import_opts o = { 0 };
	struct strbuf sb = STRBUF_INIT;
	FILE *f = text_file(text);
	char *e;
	size_t i;
	int rc;

	o.dbname = "shop";
	o.format = fmt;
	o.source = fmt == EXPORT_CSV ? "ev.csv" : "ev.jsonl";
	o.reject = reject;
	*cause = NULL;
	rc = events_import(st, f, &o, res, cause);
	fclose(f);
	for (i = 0; i < res->nerrors; i++) {
		e = import_error_text(o.source, &res->errors[i]);
		sb_puts(&sb, e);
		sb_putc(&sb, '\n');
		free(e);
	}
	sb_puts(&sb, "");
	*errors = sb_detach(&sb);
	events_import_result_free(res);
	return rc;
}

/* events stats as one string: "name count first last\n"... */
static char *
stats_text(void)
{
	struct store_txn *t;
	struct events_stat *sv;
	struct strbuf sb = STRBUF_INIT;
	uint64_t total;
	size_t n, i;
	char *cause = NULL;

	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	if (events_stats(t, "shop", &sv, &n, &total, &cause) != 0)
		ck_abort_msg("events_stats: %s", cause);
	store_read_end(t);
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s %" PRIu64 " %" PRId64 " %" PRId64 "\n",
		    sv[i].name, sv[i].count, sv[i].first, sv[i].last);
	sb_printf(&sb, "total %" PRIu64 "\n", total);
	events_stats_free(sv, n);
	return sb_detach(&sb);
}

static const char *good_csv =
    "key,event,time,event_id,amount,sku\n"
    "a@x,purchase,2026-01-05T10:00:00Z,e1,12.5,TV-1\n"
    "b@x,login,2026-01-06T10:00:00Z,e2,,\n"
    "email_is_not_needed_here@x,login,2026-01-07T10:00:00+03:00,e3,,\n";

START_TEST(test_import_csv)
{
	struct events_import_result res;
	char *cause, *errors, *s;
	const char *text =
	    "email,event,time,event_id,amount,sku\n"
	    "a@x,purchase,2026-01-05T10:00:00Z,e1,12.5,TV-1\n"
	    "b@x,login,2026-01-06T10:00:00Z,e2,,\n"
	    "a@x,login,2026-01-07T10:00:00+03:00,e3,,\n"
	    "a@x,login,2026-01-08T10:00:00Z,e3,,\n";

	(void)good_csv;
	make_shop();
	ck_assert_int_eq(import_text(text, EXPORT_CSV, NULL, &res, &cause,
	    &errors), 0);
	ck_assert_str_eq(errors, "");
	free(errors);
	ck_assert_uint_eq(res.rows, 4);
	ck_assert_uint_eq(res.imported, 3);
	ck_assert_uint_eq(res.duplicates, 1);
	ck_assert_uint_eq(res.rejected, 0);
	s = stats_text();
	ck_assert_str_eq(s, "login 2 1767693600 1767769200\n"
	    "purchase 1 1767607200 1767607200\ntotal 3\n");
	free(s);
	/* Again: nothing new. */
	ck_assert_int_eq(import_text(text, EXPORT_CSV, NULL, &res, &cause,
	    &errors), 0);
	free(errors);
	ck_assert_uint_eq(res.imported, 0);
	ck_assert_uint_eq(res.duplicates, 4);
	s = stats_text();
	ck_assert_str_eq(s, "login 2 1767693600 1767769200\n"
	    "purchase 1 1767607200 1767607200\ntotal 3\n");
	free(s);
}
END_TEST

START_TEST(test_import_errors)
{
	struct events_import_result res;
	char *cause, *errors, *before, *after;

	make_shop();
	ck_assert_int_eq(import_text("key,event,time,event_id\n"
	    "a@x,open,2026-01-01T00:00:00Z,k1\n", EXPORT_CSV, NULL, &res,
	    &cause, &errors), 0);
	free(errors);
	before = stats_text();

	ck_assert_int_eq(import_text("key,event,time,event_id,amount,sku\n"
	    "a@x,purchase,2026-01-05,e1,12.5,TV-1\n"
	    "z@x,login,2026-01-06T10:00:00Z,e2,,\n"
	    "a@x,login,2026-01-07T10:00:00+03:00,,abc,\n"
	    "b@x,,2026-01-07T10:00:00Z,,,\n"
	    "b@x,login,2026-01-07T10:00:00Z\n"
	    "a@x,login,2026-01-09T10:00:00Z,e9,,\n", EXPORT_CSV, NULL, &res,
	    &cause, &errors), -1);
	ck_assert_str_eq(errors,
	    "ev.csv:2: time: expected an ISO 8601 date and time with Z or an "
	    "offset, found '2026-01-05'\n"
	    "ev.csv:3: key: no profile with key 'z@x'\n"
	    "ev.csv:4: amount: expected a number, found 'abc'\n"
	    "ev.csv:5: event: the event name is empty\n"
	    "ev.csv:6: expected 6 fields, found 3\n");
	ck_assert_str_eq(cause, "events import into database 'shop' refused "
	    "(5 errors); nothing was changed");
	ck_assert_uint_eq(res.rows, 6);
	ck_assert_uint_eq(res.imported, 0);
	free(cause);
	free(errors);

	ck_assert_int_eq(import_text("email,event,colour,event\n", EXPORT_CSV,
	    NULL, &res, &cause, &errors), -1);
	ck_assert_str_eq(errors,
	    "ev.csv:1: colour: not a column of an event file of database "
	    "'shop' (key or email, event, time, event_id, amount, sku)\n"
	    "ev.csv:1: event: the column appears twice\n"
	    "ev.csv:1: the time column is missing\n");
	free(cause);
	free(errors);
	ck_assert_int_eq(import_text("event,time\n", EXPORT_CSV, NULL, &res,
	    &cause, &errors), -1);
	ck_assert_str_eq(errors,
	    "ev.csv:1: the key column is missing (key or email)\n");
	free(cause);
	free(errors);
	ck_assert_int_eq(import_text("", EXPORT_CSV, NULL, &res, &cause,
	    &errors), -1);
	ck_assert_str_eq(errors, "ev.csv: the file is empty: a CSV file "
	    "starts with a header row of column names\n");
	free(cause);
	free(errors);

	after = stats_text();
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_import_jsonl)
{
	struct events_import_result res;
	char *cause, *errors, *s;
	const char *text =
	    "{\"key\":\"a@x\",\"event\":\"purchase\",\"time\":"
	    "\"2026-01-05T10:00:00Z\",\"event_id\":17,\"amount\":3,"
	    "\"sku\":\"TV\"}\n"
	    "\n"
	    "{\"email\":\"b@x\",\"event\":\"login\",\"time\":"
	    "\"2026-01-06T10:00:00Z\",\"event_id\":null,\"amount\":null}\n";

	make_shop();
	ck_assert_int_eq(import_text(text, EXPORT_JSONL, NULL, &res, &cause,
	    &errors), 0);
	ck_assert_str_eq(errors, "");
	free(errors);
	ck_assert_uint_eq(res.rows, 2);
	ck_assert_uint_eq(res.imported, 2);
	s = stats_text();
	ck_assert_str_eq(s, "login 1 1767693600 1767693600\n"
	    "purchase 1 1767607200 1767607200\ntotal 2\n");
	free(s);
	/* The numeric event_id 17 is stored as "17". */
	ck_assert_int_eq(import_text("key,event,time,event_id\n"
	    "a@x,purchase,2026-01-05T10:00:00Z,17\n", EXPORT_CSV, NULL, &res,
	    &cause, &errors), 0);
	free(errors);
	ck_assert_uint_eq(res.duplicates, 1);

	ck_assert_int_eq(import_text(
	    "{\"key\":\"a@x\",\"event\":5,\"time\":\"2026-01-01T00:00:00Z\","
	    "\"colour\":1}\n"
	    "{\"event\":\"x\",\"time\":\"2026-01-01T00:00:00Z\"}\n"
	    "{\"key\":\"a@x\",\"event\":\"x\",\"time\":\"yesterday\"}\n"
	    "[1]\n"
	    "{\"key\":\"a@x\",\"event\":\"x\",\"time\":\"2026-01-01T00:00:00Z\","
	    "\"amount\":\"many\",\"key\":\"b@x\"}\n", EXPORT_JSONL, NULL,
	    &res, &cause, &errors), -1);
	ck_assert_str_eq(errors,
	    "ev.jsonl:1: event: expected a string\n"
	    "ev.jsonl:1: colour: not a column of an event file of database "
	    "'shop' (key or email, event, time, event_id, amount, sku)\n"
	    "ev.jsonl:2: key: the member is missing\n"
	    "ev.jsonl:3: time: expected an ISO 8601 date and time with Z or "
	    "an offset, found 'yesterday'\n"
	    "ev.jsonl:4: expected a JSON object\n"
	    "ev.jsonl:5: amount: expected a number, found 'many'\n"
	    "ev.jsonl:5: key: the member appears twice\n");
	ck_assert_str_eq(cause, "events import into database 'shop' refused "
	    "(7 errors); nothing was changed");
	free(cause);
	free(errors);
}
END_TEST

START_TEST(test_import_reject_file)
{
	struct events_import_result res;
	char *cause, *errors, *s;
	FILE *rej = tmpfile();

	make_shop();
	ck_assert_int_eq(import_text("key,event,time,event_id,amount,sku\n"
	    "a@x,purchase,2026-01-05T10:00:00Z,e1,12.5,TV-1\n"
	    "z@x,login,2026-01-06T10:00:00Z,e2,,\n"
	    "b@x,\"lo,gin\",2026-01-07T10:00:00Z,,x,\n"
	    "b@x,login,2026-01-07T10:00:00Z,e1,,\n", EXPORT_CSV, rej, &res,
	    &cause, &errors), 0);
	free(errors);
	ck_assert_uint_eq(res.rows, 4);
	ck_assert_uint_eq(res.imported, 1);
	ck_assert_uint_eq(res.duplicates, 1);
	ck_assert_uint_eq(res.rejected, 2);
	fflush(rej);
	rewind(rej);
	{
		char buf[4096];
		size_t n = fread(buf, 1, sizeof buf - 1, rej);

		buf[n] = '\0';
		ck_assert_str_eq(buf,
		    "{\"line\":3,\"reason\":\"key: no profile with key 'z@x'\","
		    "\"record\":\"z@x,login,2026-01-06T10:00:00Z,e2,,\"}\n"
		    "{\"line\":4,\"reason\":\"amount: expected a number, found "
		    "'x'\",\"record\":\"b@x,\\\"lo,gin\\\",2026-01-07T10:00:00Z,"
		    ",x,\"}\n");
	}
	fclose(rej);
	s = stats_text();
	ck_assert_str_eq(s, "purchase 1 1767607200 1767607200\ntotal 1\n");
	free(s);
}
END_TEST

/* Counts the keys of a table that belong to database 1. */
static size_t
table_keys(enum store_table tb)
{
	struct store_txn *t;
	struct store_cursor *c;
	const void *k, *v;
	size_t kl, vl, n = 0;
	char *cause = NULL;

	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	c = store_cursor_open(t, tb, NULL, 0, &cause);
	ck_assert_ptr_nonnull(c);
	while (store_cursor_next(c, &k, &kl, &v, &vl, &cause) == 0)
		n++;
	store_cursor_close(c);
	store_read_end(t);
	return n;
}

START_TEST(test_import_failed_staged)
{
	struct events_import_result res;
	struct strbuf big = STRBUF_INIT;
	char *cause, *errors, *before, *after;
	size_t cols, ids, i;

	make_shop();
	ck_assert_int_eq(import_text(good_csv, EXPORT_CSV, NULL, &res, &cause,
	    &errors), -1);
	free(cause);
	free(errors);
	ck_assert_int_eq(import_text("key,event,time,event_id\n"
	    "a@x,open,2026-01-01T00:00:00Z,k1\n", EXPORT_CSV, NULL, &res,
	    &cause, &errors), 0);
	free(errors);
	before = stats_text();
	cols = table_keys(STORE_EVCOLS);
	ids = table_keys(STORE_EVIDS);
	/* Small stages: chunks are staged before the bad last row. */
	setenv("RESEG_EVSTAGE_ROWS", "1", 1);
	sb_puts(&big, "key,event,time,event_id\n");
	for (i = 0; i < 20000; i++)
		sb_printf(&big, "%s,open,2026-02-01T00:00:%02zuZ,x%zu\n",
		    i % 2 ? "a@x" : "b@x", i % 60, i);
	sb_puts(&big, "q@x,open,2026-02-01T00:00:00Z,last\n");
	ck_assert_int_eq(import_text(big.buf, EXPORT_CSV, NULL, &res, &cause,
	    &errors), -1);
	ck_assert_str_eq(errors, "ev.csv:20002: key: no profile with key "
	    "'q@x'\n");
	free(cause);
	free(errors);
	after = stats_text();
	ck_assert_str_eq(before, after);
	ck_assert_uint_eq(table_keys(STORE_EVCOLS), cols);
	ck_assert_uint_eq(table_keys(STORE_EVIDS), ids);
	free(after);
	/* Without the bad row: the staged chunks and the last one. */
	sb_truncate(&big, big.len - strlen("q@x,open,2026-02-01T00:00:00Z,"
	    "last\n"));
	ck_assert_int_eq(import_text(big.buf, EXPORT_CSV, NULL, &res, &cause,
	    &errors), 0);
	free(errors);
	ck_assert_uint_eq(res.imported, 20000);
	ck_assert_uint_eq(count("shop"), 20001);
	ck_assert_uint_eq(table_keys(STORE_EVIDS), 20001);
	/* 20001 events: 4 full chunks and one of 3617. */
	ck_assert_uint_eq(table_keys(STORE_EVCHUNKS), 5);
	ck_assert_uint_eq(table_keys(STORE_EVCOLS), 5 * 6);
	ck_assert_int_eq(import_text(big.buf, EXPORT_CSV, NULL, &res, &cause,
	    &errors), 0);
	free(errors);
	ck_assert_uint_eq(res.imported, 0);
	ck_assert_uint_eq(res.duplicates, 20000);
	/* Known and new event_ids mixed, over several rounds. */
	sb_reset(&big);
	sb_puts(&big, "key,event,time,event_id\n");
	for (i = 0; i < 30000; i++)
		sb_printf(&big, "a@x,open,2026-03-01T00:00:%02zuZ,x%zu\n",
		    i % 60, i % 3 == 0 ? i : i + 100000);
	ck_assert_int_eq(import_text(big.buf, EXPORT_CSV, NULL, &res, &cause,
	    &errors), 0);
	free(errors);
	/* i % 3 == 0 below 20000 is known: 6667 of them. */
	ck_assert_uint_eq(res.duplicates, 6667);
	ck_assert_uint_eq(res.imported, 30000 - 6667);
	ck_assert_uint_eq(count("shop"), 20001 + 30000 - 6667);
	ck_assert_uint_eq(table_keys(STORE_EVIDS), 20001 + 30000 - 6667);
	sb_free(&big);
	free(before);
}
END_TEST

/*
 * An import's event_ids go into runs, merged into `evids` at its end,
 * unless a round's ids follow every id before them (then straight into
 * the index): ids in no order, and ids in order after a first round,
 * each with repeats of ids that only a run holds when they come.
 */
START_TEST(test_import_ids_runs)
{
	static const char *const prefix[] = { "y", "z" };
	struct events_import_result res;
	struct strbuf big = STRBUF_INIT;
	char *cause, *errors;
	size_t i, id, round, ids = 0, events = 0;

	make_shop();
	setenv("RESEG_EVSTAGE_ROWS", "1", 1);
	for (round = 0; round < 2; round++) {
		sb_reset(&big);
		sb_puts(&big, "key,event,time,event_id\n");
		for (i = 0; i < 30000; i++) {
			/* No order, then in order; ten repeats at the end. */
			id = round == 0 ? i * 7919 % 30000 : i;
			if (i >= 20000 && i % 1000 == 0)
				id = round == 0 ? (i - 20000) * 7919 % 30000 :
				    i - 20000;
			sb_printf(&big, "%s,open,2026-02-01T00:%02zu:00Z,"
			    "%s%05zu\n", i % 2 ? "a@x" : "b@x", i % 60,
			    prefix[round], id);
		}
		ck_assert_int_eq(import_text(big.buf, EXPORT_CSV, NULL, &res,
		    &cause, &errors), 0);
		free(errors);
		ck_assert_uint_eq(res.duplicates, 10);
		ck_assert_uint_eq(res.imported, 29990);
		ids += 29990;
		events += 29990;
		ck_assert_uint_eq(table_keys(STORE_EVIDS), ids);
		ck_assert_uint_eq(count("shop"), events);
		/* Every id is found in the index: all repeats now. */
		ck_assert_int_eq(import_text(big.buf, EXPORT_CSV, NULL, &res,
		    &cause, &errors), 0);
		free(errors);
		ck_assert_uint_eq(res.imported, 0);
		ck_assert_uint_eq(res.duplicates, 30000);
	}
	ck_assert_uint_eq(count("shop"), 2 * 29990);
	sb_free(&big);
}
END_TEST

static Suite *
events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("evdb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_reserved_and_schema);
	tcase_add_test(tc, test_roundtrip_sorted);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_chunk_fill);
	tcase_add_test(tc, test_prune);
	tcase_add_test(tc, test_delete_profiles_and_drop);
	tcase_add_test(tc, test_added_fields_absent);
	suite_add_tcase(s, tc);
	tc = tcase_create("import");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_import_csv);
	tcase_add_test(tc, test_import_errors);
	tcase_add_test(tc, test_import_jsonl);
	tcase_add_test(tc, test_import_reject_file);
	tcase_add_test(tc, test_import_failed_staged);
	tcase_add_test(tc, test_import_ids_runs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return testlib_run(events_suite());
}
