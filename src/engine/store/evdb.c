/*
 * The event store: the chunk directory, column reads, the events'
 * schema, and the operations that remove events (drop, deleted profiles,
 * retention).  Writing new events is evdb_write.c's.  See
 * doc/storage.md, "Events".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evdb.h"
#include "evdb_int.h"
#include "i18n.h"
#include "pdb_int.h"
#include "util.h"

int
evdb_reserved_name(const char *name)
{
	return schema_event_name_reserved(name);
}

enum field_type
evdb_col_type(const struct pdb_schema *sc, uint16_t col)
{
	switch (col) {
	case EVDB_COL_PNO:
		return FT_INT;
	case EVDB_COL_TIME:
		return FT_DATETIME;
	case EVDB_COL_NAME:
	case EVDB_COL_ID:
		return FT_STRING;
	default:
		return sc->event_fields[col - EVDB_COL_PROP].type;
	}
}

static void
evdb_get_be64(const uint8_t *p, int64_t *v)
{
	uint64_t u = 0;
	int i;

	for (i = 0; i < 8; i++)
		u = u << 8 | p[i];
	*v = (int64_t)u;
}

static void
evdb_be64(uint8_t *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (uint8_t)u;
		u >>= 8;
	}
}

static int
evdb_parse_dir(const struct pdb_schema *sc, uint32_t chunk, const void *val,
    size_t vlen, struct evdb_chunk_info *ci, char **cause)
{
	const uint8_t *p = val;

	if (vlen != EVDB_DIR_SIZE || p[0] != EVDB_DIR_VERSION)
		return error_set(cause, _("profile database '%s': the entry "
		    "of event chunk %u is damaged"), sc->name, chunk);
	ci->chunk = chunk;
	ci->nrows = store_get_be32(p + 4);
	evdb_get_be64(p + 8, &ci->tmin);
	evdb_get_be64(p + 16, &ci->tmax);
	if (ci->nrows == 0 || ci->nrows > PDB_CHUNK_ROWS)
		return error_set(cause, _("profile database '%s': the entry "
		    "of event chunk %u is damaged"), sc->name, chunk);
	return 0;
}

int
evdb_put_dir(struct store_txn *t, uint32_t dbid,
    const struct evdb_chunk_info *ci, char **cause)
{
	uint8_t k[8], v[EVDB_DIR_SIZE];

	evdb_dir_key(k, dbid, ci->chunk);
	memset(v, 0, sizeof v);
	v[0] = EVDB_DIR_VERSION;
	store_be32(v + 4, ci->nrows);
	evdb_be64(v + 8, ci->tmin);
	evdb_be64(v + 16, ci->tmax);
	return store_put(t, STORE_EVCHUNKS, k, sizeof k, v, sizeof v, cause);
}

int
evdb_get_dir(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t chunk, struct evdb_chunk_info *ci, char **cause)
{
	uint8_t k[8];
	const void *val;
	size_t vlen;
	int rc;

	evdb_dir_key(k, sc->id, chunk);
	rc = store_get(t, STORE_EVCHUNKS, k, sizeof k, &val, &vlen, cause);
	if (rc != 0)
		return rc;
	return evdb_parse_dir(sc, chunk, val, vlen, ci, cause);
}

int
evdb_chunks(struct store_txn *t, const struct pdb_schema *sc,
    struct evdb_chunk_info **out, size_t *n, char **cause)
{
	struct store_cursor *c;
	struct evdb_chunk_info *v = NULL;
	const void *key, *val;
	size_t klen, vlen, cap = 0;
	uint8_t prefix[4];
	int rc;

	*out = NULL;
	*n = 0;
	store_be32(prefix, sc->id);
	if ((c = store_cursor_open(t, STORE_EVCHUNKS, prefix, sizeof prefix,
	    cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &key, &klen, &val, &vlen,
	    cause)) == 0) {
		if (klen != 8) {
			rc = error_set(cause, _("profile database '%s': the "
			    "event directory is damaged"), sc->name);
			break;
		}
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		if ((rc = evdb_parse_dir(sc, store_get_be32((const uint8_t *)
		    key + 4), val, vlen, &v[*n], cause)) != 0)
			break;
		(*n)++;
	}
	store_cursor_close(c);
	if (rc < 0) {
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

int
evdb_count(struct store_txn *t, const struct pdb_schema *sc, uint64_t *n,
    char **cause)
{
	struct evdb_chunk_info *dir;
	size_t ndir, i;

	*n = 0;
	if (evdb_chunks(t, sc, &dir, &ndir, cause) != 0)
		return -1;
	for (i = 0; i < ndir; i++)
		*n += dir[i].nrows;
	free(dir);
	return 0;
}

/* A column of an event chunk in messages. */
static const char *
evdb_col_name(const struct pdb_schema *sc, uint16_t col)
{
	static const char *const names[EVDB_COL_PROP] = { "profile", "time",
	    "event", "event_id" };

	return col < EVDB_COL_PROP ? names[col] :
	    sc->event_fields[col - EVDB_COL_PROP].name;
}

int
evdb_column(struct store_txn *t, const struct pdb_schema *sc, uint16_t col,
    uint32_t chunk, struct col_chunk *c, char **cause)
{
	struct evdb_chunk_info ci;
	uint8_t key[10];
	const void *val;
	size_t vlen;
	char why[PDB_WHY];
	int rc;

	if (col >= evdb_ncols(sc))
		return error_set(cause, _("profile database '%s' has no event "
		    "column %u"), sc->name, col);
	/* Readers take the number of rows from the directory entry. */
	rc = evdb_get_dir(t, sc, chunk, &ci, cause);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("profile database '%s' has no event "
		    "chunk %u"), sc->name, chunk);
	pdb_col_key(key, sc->id, col, chunk);
	rc = store_get(t, STORE_EVCOLS, key, sizeof key, &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (pdb_chunk_view(val, vlen, (int)evdb_col_type(sc, col),
		    c, why, sizeof why) != 0)
			goto damaged;
		if (c->nrows != ci.nrows) {
			snprintf(why, sizeof why, _("%u rows, its directory "
			    "entry gives %u"), c->nrows, ci.nrows);
			goto damaged;
		}
		return 0;
	}
	/* A property added later: the chunk's events lack it. */
	if (col >= EVDB_COL_PROP) {
		memset(c, 0, offsetof(struct col_chunk, scratch));
		pdb_chunk_absent(c, evdb_col_type(sc, col), ci.nrows);
		return 0;
	}
	return error_set(cause, _("profile database '%s': events: column "
	    "'%s' of chunk %u is missing"), sc->name, evdb_col_name(sc, col),
	    chunk);
damaged:
	return error_set(cause, _("profile database '%s': events: column "
	    "'%s' of chunk %u is damaged: %s"), sc->name,
	    evdb_col_name(sc, col), chunk, why);
}

struct pdb_schema *
evdb_schema(const struct pdb_schema *db)
{
	static const char *const names[EVDB_COL_PROP] = { "#profile", "time",
	    "#event", "#event_id" };
	struct pdb_schema *sc = xcalloc(1, sizeof *sc);
	uint16_t i, n = evdb_ncols(db);

	sc->name = xstrdup(db->name);
	sc->id = db->id;
	sc->created_at = db->created_at;
	sc->nfields = n;
	sc->fields = xcalloc(n, sizeof *sc->fields);
	for (i = 0; i < n; i++) {
		sc->fields[i].name = xstrdup(i < EVDB_COL_PROP ? names[i] :
		    db->event_fields[i - EVDB_COL_PROP].name);
		sc->fields[i].type = evdb_col_type(db, i);
	}
	sc->key_field = EVDB_COL_NAME;
	return sc;
}

int
evdb_decode_chunk(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t chunk, struct value *vals, uint32_t *nrows, struct arena *a,
    char **cause)
{
	struct col_chunk c;
	uint16_t col, n = evdb_ncols(sc);
	int rc = 0;

	memset(&c, 0, sizeof c);
	*nrows = 0;
	for (col = 0; col < n && rc == 0; col++) {
		if ((rc = evdb_column(t, sc, col, chunk, &c, cause)) != 0)
			break;
		if (col == 0)
			*nrows = c.nrows;
		else if (c.nrows != *nrows) {
			rc = error_set(cause, _("profile database '%s': "
			    "column %u of event chunk %u is damaged"), sc->name,
			    col, chunk);
			break;
		}
		pdb_chunk_values(&c, vals + (size_t)col * PDB_CHUNK_ROWS, a);
	}
	pdb_chunk_release(&c);
	return rc;
}

int
evdb_del_id(struct store_txn *t, uint32_t dbid, const char *id, size_t len,
    uint32_t chunk, char **cause)
{
	uint8_t stackbuf[256], *k;
	const void *val;
	size_t vlen;
	int rc;

	k = len + 4 <= sizeof stackbuf ? stackbuf : xmalloc(len + 4);
	store_be32(k, dbid);
	memcpy(k + 4, id, len);
	rc = store_get(t, STORE_EVIDS, k, len + 4, &val, &vlen, cause);
	if (rc == 0 && vlen == 4 && store_get_be32(val) == chunk)
		rc = store_del(t, STORE_EVIDS, k, len + 4, cause);
	else if (rc == 1)
		rc = 0;
	if (k != stackbuf)
		free(k);
	return rc < 0 ? -1 : 0;
}

int
evdb_remove_chunk(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t chunk, const struct value *ids, uint32_t nrows, char **cause)
{
	uint8_t key[10];
	uint16_t col, n = evdb_ncols(sc);
	uint32_t r;

	for (r = 0; r < nrows; r++) {
		if (ids[r].present && evdb_del_id(t, sc->id, ids[r].u.s.p,
		    ids[r].u.s.len, chunk, cause) != 0)
			return -1;
	}
	for (col = 0; col < n; col++) {
		pdb_col_key(key, sc->id, col, chunk);
		if (store_del(t, STORE_EVCOLS, key, sizeof key, cause) != 0)
			return -1;
	}
	evdb_dir_key(key, sc->id, chunk);
	return store_del(t, STORE_EVCHUNKS, key, 8, cause);
}

int
evdb_drop_txn(struct store_txn *t, uint32_t dbid, char **cause)
{
	uint8_t prefix[4];

	char mark[32];

	store_be32(prefix, dbid);
	snprintf(mark, sizeof mark, "events-import:%u", dbid);
	if (store_del(t, STORE_META, mark, strlen(mark), cause) != 0 ||
	    store_del_prefix(t, STORE_EVCOLS, prefix, 4, cause) != 0 ||
	    store_del_prefix(t, STORE_EVCHUNKS, prefix, 4, cause) != 0 ||
	    store_del_prefix(t, STORE_EVIDS, prefix, 4, cause) != 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Removing some events of a chunk. */

/* Which rows of a chunk go: keep[r] is 0 for them. */
typedef void (*evdb_keep_fn)(void *arg, const struct value *pno,
    const struct value *time, uint32_t nrows, uint8_t *keep);

/*
 * Rewrites a chunk without the rows keep_fn drops (in place, under the
 * same number), or removes it when none is left; *removed counts them.
 */
static int
evdb_filter_chunk(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t chunk, evdb_keep_fn keep_fn, void *arg, struct value *vals,
    struct arena *a, uint64_t *removed, char **cause)
{
	struct evdb_chunk_info ci;
	struct pdb_bcol bc;
	uint8_t keep[PDB_CHUNK_ROWS], key[10], *dst;
	uint16_t col, ncols = evdb_ncols(sc);
	uint32_t nrows, r, nkeep = 0;
	const struct value *ids;
	int64_t tm;

	arena_reset(a);
	if (evdb_decode_chunk(t, sc, chunk, vals, &nrows, a, cause) != 0)
		return -1;
	keep_fn(arg, vals + EVDB_COL_PNO * PDB_CHUNK_ROWS,
	    vals + EVDB_COL_TIME * PDB_CHUNK_ROWS, nrows, keep);
	for (r = 0; r < nrows; r++)
		nkeep += keep[r] != 0;
	if (nkeep == nrows)
		return 0;
	*removed += nrows - nkeep;
	ids = vals + EVDB_COL_ID * PDB_CHUNK_ROWS;
	if (nkeep == 0)
		return evdb_remove_chunk(t, sc, chunk, ids, nrows, cause);
	for (r = 0; r < nrows; r++) {
		if (!keep[r] && ids[r].present && evdb_del_id(t, sc->id,
		    ids[r].u.s.p, ids[r].u.s.len, chunk, cause) != 0)
			return -1;
	}
	ci.chunk = chunk;
	ci.nrows = nkeep;
	ci.tmin = INT64_MAX;
	ci.tmax = INT64_MIN;
	for (r = 0; r < nrows; r++) {
		if (!keep[r])
			continue;
		tm = vals[EVDB_COL_TIME * PDB_CHUNK_ROWS + r].u.dt;
		if (tm < ci.tmin)
			ci.tmin = tm;
		if (tm > ci.tmax)
			ci.tmax = tm;
	}
	for (col = 0; col < ncols; col++) {
		pdb_bcol_init(&bc, (int)evdb_col_type(sc, col));
		bc.pack = 0;	/* as evdb_write.c: plain */
		for (r = 0; r < nrows; r++) {
			if (keep[r])
				pdb_bcol_put(&bc, &vals[(size_t)col *
				    PDB_CHUNK_ROWS + r]);
		}
		pdb_col_key(key, sc->id, col, chunk);
		dst = store_reserve(t, STORE_EVCOLS, key, sizeof key,
		    pdb_bcol_size(&bc), cause);
		if (dst != NULL)
			pdb_bcol_write(&bc, dst);
		pdb_bcol_free(&bc);
		if (dst == NULL)
			return -1;
	}
	return evdb_put_dir(t, sc->id, &ci, cause);
}

static void
evdb_keep_profiles(void *arg, const struct value *pno,
    const struct value *time, uint32_t nrows, uint8_t *keep)
{
	const roaring_bitmap_t *gone = arg;
	uint32_t r;

	(void)time;
	for (r = 0; r < nrows; r++)
		keep[r] = !roaring_bitmap_contains(gone, (uint32_t)pno[r].u.i);
}

static void
evdb_keep_recent(void *arg, const struct value *pno,
    const struct value *time, uint32_t nrows, uint8_t *keep)
{
	int64_t before = *(const int64_t *)arg;
	uint32_t r;

	(void)pno;
	for (r = 0; r < nrows; r++)
		keep[r] = time[r].u.dt >= before;
}

/* Chunks and values for a walk that removes events. */
struct evdb_walk {
	struct evdb_chunk_info	*dir;
	size_t			 ndir;
	struct value		*vals;
	struct arena		 a;
};

static int
evdb_walk_begin(struct store_txn *t, const struct pdb_schema *sc,
    struct evdb_walk *w, char **cause)
{
	memset(w, 0, sizeof *w);
	if (evdb_check_idle(t, sc, cause) != 0)
		return -1;
	if (evdb_chunks(t, sc, &w->dir, &w->ndir, cause) != 0)
		return -1;
	w->vals = xcalloc((size_t)evdb_ncols(sc) * PDB_CHUNK_ROWS,
	    sizeof *w->vals);
	return 0;
}

static void
evdb_walk_end(struct evdb_walk *w)
{
	free(w->dir);
	free(w->vals);
	arena_free(&w->a);
}

int
evdb_delete_profiles(struct store_txn *t, const struct pdb_schema *sc,
    const roaring_bitmap_t *pnos, uint64_t *removed, char **cause)
{
	struct evdb_walk w;
	size_t i;
	int rc = 0;

	*removed = 0;
	if (roaring_bitmap_is_empty(pnos))
		return 0;
	if (evdb_walk_begin(t, sc, &w, cause) != 0) {
		evdb_walk_end(&w);
		return -1;
	}
	for (i = 0; i < w.ndir && rc == 0; i++)
		rc = evdb_filter_chunk(t, sc, w.dir[i].chunk,
		    evdb_keep_profiles, (void *)pnos, w.vals, &w.a, removed,
		    cause);
	evdb_walk_end(&w);
	return rc;
}

int
evdb_prune_txn(struct store_txn *t, const struct pdb_schema *sc,
    int64_t before, size_t max_chunks, uint64_t *removed, int *more,
    char **cause)
{
	struct evdb_walk w;
	size_t i, done = 0;
	int rc = 0, left = 0;

	*more = 0;
	if (evdb_walk_begin(t, sc, &w, cause) != 0 ||
	    evdb_clean_orphans(t, sc, max_chunks, &left, cause) != 0) {
		evdb_walk_end(&w);
		return -1;
	}
	for (i = 0; i < w.ndir && rc == 0; i++) {
		if (w.dir[i].tmin >= before)
			continue;
		if (done == max_chunks) {
			*more = 1;
			break;
		}
		done++;
		rc = evdb_filter_chunk(t, sc, w.dir[i].chunk, evdb_keep_recent,
		    &before, w.vals, &w.a, removed, cause);
	}
	if (left)
		*more = 1;
	evdb_walk_end(&w);
	return rc;
}
