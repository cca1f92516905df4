/*
 * Writing events: the buffer of gathered events (deduplicated by
 * event_id), the staging of full chunks in bounded write transactions,
 * the commit that adds their directory entries, the clean-up of staged
 * chunks an import left behind, and evdb_append for small sets inside a
 * caller's transaction.  See evdb.h and doc/storage.md, "Events".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bloom.h"
#include "evdb.h"
#include "evdb_int.h"
#include "i18n.h"
#include "pdb_int.h"
#include "util.h"

/* Orphan chunks removed per write transaction. */
#define EVDB_CLEAN_CHUNKS	64

/* One gathered event; its strings and properties are in the arena. */
struct evdb_row {
	int64_t		 time;
	const char	*name;
	const char	*id;		/* NULL: no event_id */
	struct value	*props;
	uint32_t	 pno;
	uint32_t	 namelen;
	uint32_t	 idlen;
	uint8_t		 carried;	/* from the replaced last chunk */
};

/* An event_id of the replaced chunk and the chunk its event went to. */
struct evdb_remap {
	char		*id;
	size_t		 len;
	uint32_t	 chunk;
};

/* What one staging transaction did, kept only once it commits. */
struct evdb_pending {
	struct evdb_chunk_info	*chunks;
	size_t			 nchunks, cap;
	struct evdb_remap	*remap;	/* ids point into the arena */
	size_t			 nremap, remapcap;
	uint64_t		 added, dups;
	size_t			 written;	/* kept rows written */
	/* Into a run (an import's): the ids written, in key order. */
	struct pdb_keyref	*runids;
	size_t			 nrunids;
	const char		*maxid;		/* the round's last id */
	size_t			 maxidlen;
};

struct evdb_writer {
	struct store		*st;	/* NULL: inside the caller's txn */
	char			*dbname;
	struct pdb_schema	*sc;
	size_t			 stage_rows;
	int			 marked;
	int			 again;	/* open: orphans are left to clean */

	struct evdb_row		*rows;
	size_t			 nrows, cap;
	size_t			 nnew;	/* rows not carried */
	struct arena		 arena, spare;
	uint64_t		*slots;	/* event_id hash: hash << 32 | row + 1 */
	size_t			 nslots;

	uint32_t		 next_chunk;
	int			 refill;	/* the last chunk is replaced */
	uint32_t		 refill_chunk;
	struct evdb_chunk_info	*staged;
	size_t			 nstaged, stagedcap;
	struct evdb_remap	*remap;
	size_t			 nremap, remapcap;
	uint64_t		 added, dups;

	struct pdb_bcol		*bcols;
	uint8_t			*drop;	/* per row: stored already */
	size_t			*kept;	/* rows written, in time order */
	size_t			 nkept;
	struct evdb_pending	 p;
	int			 final;
	/*
	 * An import's event_ids (st set): each round's go into a run of
	 * their own instead of into `evids`, which ids in no order would
	 * have copied most of a round, and are merged into it before the
	 * import publishes (doc/storage.md, "Key runs"); the filter tells
	 * which ids may be in a run already.
	 */
	struct pdb_keyruns	*idruns;
	struct bloom		 idseen;
	char			*idmax;		/* the last id of the rounds */
	size_t			 idmaxlen;
};

/* ------------------------------------------------------------------ */
/* The import mark. */

static void
evdb_mark_key(char *buf, size_t size, uint32_t dbid)
{
	snprintf(buf, size, "events-import:%u", dbid);
}

int
evdb_import_mark(struct store_txn *t, const struct pdb_schema *sc,
    long *pid, int *alive, char **cause)
{
	char key[32];

	evdb_mark_key(key, sizeof key, sc->id);
	return store_mark_get(t, key, pid, alive, cause);
}

int
evdb_check_idle(struct store_txn *t, const struct pdb_schema *sc,
    char **cause)
{
	char key[32];
	long pid;
	int rc, alive;

	if ((rc = evdb_import_mark(t, sc, &pid, &alive, cause)) <= 0)
		return rc;
	if (pid == (long)getpid())
		return 0;
	if (alive)
		return error_set(cause, _("process %ld is importing events into "
		    "database '%s'; try again when it is done"), pid, sc->name);
	/* The importer died: its staged chunks are orphans now. */
	if (store_txn_writable(t))
		return store_del(t, STORE_META, key, strlen(key), cause);
	return 0;
}

static int
evdb_set_mark(struct store_txn *t, uint32_t dbid, int on, char **cause)
{
	char key[32];

	evdb_mark_key(key, sizeof key, dbid);
	if (!on)
		return store_del(t, STORE_META, key, strlen(key), cause);
	return store_mark_put(t, key, cause);
}

/* ------------------------------------------------------------------ */
/* Orphans: staged chunks that never made it into the directory. */

static int
evdb_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int
evdb_clean_orphans(struct store_txn *t, const struct pdb_schema *sc,
    size_t max, int *left, char **cause)
{
	struct evdb_chunk_info *dir = NULL;
	struct store_cursor *c;
	struct col_chunk ids;
	struct value *idv = NULL;
	struct arena a = ARENA_INIT;
	uint32_t *known = NULL, *orphans = NULL, ch;
	size_t ndir = 0, norph = 0, i;
	const void *key, *val;
	size_t klen, vlen;
	uint8_t prefix[6];
	int rc;

	*left = 0;
	memset(&ids, 0, sizeof ids);
	if (evdb_chunks(t, sc, &dir, &ndir, cause) != 0)
		return -1;
	known = xcalloc(ndir + 1, sizeof *known);
	for (i = 0; i < ndir; i++)
		known[i] = dir[i].chunk;
	free(dir);
	store_be32(prefix, sc->id);
	store_be16(prefix + 4, EVDB_COL_PNO);
	if ((c = store_cursor_open(t, STORE_EVCOLS, prefix, sizeof prefix,
	    cause)) == NULL) {
		free(known);
		return -1;
	}
	while ((rc = store_cursor_next(c, &key, &klen, &val, &vlen,
	    cause)) == 0) {
		if (klen != 10)
			continue;
		ch = store_get_be32((const uint8_t *)key + 6);
		if (bsearch(&ch, known, ndir, sizeof *known,
		    evdb_u32_cmp) != NULL)
			continue;
		if (norph == max) {
			*left = 1;
			break;
		}
		orphans = xreallocarray(orphans, norph + 1, sizeof *orphans);
		orphans[norph++] = ch;
	}
	store_cursor_close(c);
	free(known);
	if (rc < 0) {
		free(orphans);
		return -1;
	}
	idv = xcalloc(PDB_CHUNK_ROWS, sizeof *idv);
	for (i = 0, rc = 0; i < norph && rc == 0; i++) {
		uint8_t k[10];
		const void *v;
		size_t vl;

		/* The event_ids are copied: deleting moves LMDB's pages. */
		arena_reset(&a);
		pdb_col_key(k, sc->id, EVDB_COL_ID, orphans[i]);
		rc = store_get(t, STORE_EVCOLS, k, sizeof k, &v, &vl, cause);
		if (rc < 0)
			break;
		ids.nrows = 0;
		if (rc == 0 && pdb_chunk_view(v, vl, FT_STRING, &ids, NULL,
		    0) == 0)
			pdb_chunk_values(&ids, idv, &a);
		else
			ids.nrows = 0;
		rc = evdb_remove_chunk(t, sc, orphans[i], idv, ids.nrows,
		    cause);
	}
	pdb_chunk_release(&ids);
	arena_free(&a);
	free(idv);
	free(orphans);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* The buffer. */

static size_t
evdb_stage_rows(void)
{
	const char *s = getenv("RESEG_EVSTAGE_ROWS");
	int64_t v;

	if (s != NULL && parse_int64(s, strlen(s), &v) == 0 && v >= 1 &&
	    v <= 64 * (int64_t)EVDB_STAGE_ROWS)
		return (size_t)v;
	return EVDB_STAGE_ROWS;
}

static struct evdb_writer *
evdb_writer_new(struct store *st, const struct pdb_schema *sc)
{
	struct evdb_writer *w = xcalloc(1, sizeof *w);

	w->st = st;
	w->sc = schema_clone(sc);
	w->dbname = xstrdup(sc->name);
	w->stage_rows = evdb_stage_rows();
	w->nslots = 1024;
	w->slots = xcalloc(w->nslots, sizeof *w->slots);
	return w;
}

static void
evdb_writer_bcols(struct evdb_writer *w)
{
	uint16_t col, n = evdb_ncols(w->sc);

	if (w->bcols != NULL)
		return;
	w->bcols = xcalloc(n, sizeof *w->bcols);
	for (col = 0; col < n; col++) {
		pdb_bcol_init(&w->bcols[col], (int)evdb_col_type(w->sc, col));
		/*
		 * Event columns stay plain: every reader takes them through
		 * pdb_chunk_view, which would unpack them on each read.
		 */
		w->bcols[col].pack = 0;
	}
}

static void
evdb_pending_reset(struct evdb_pending *p)
{
	p->nchunks = 0;
	p->nremap = 0;
	p->added = 0;
	p->dups = 0;
	p->written = 0;
	p->nrunids = 0;
	p->maxid = NULL;
	p->maxidlen = 0;
}

void
evdb_writer_free(struct evdb_writer *w)
{
	size_t i;
	uint16_t col;

	if (w == NULL)
		return;
	if (w->bcols != NULL) {
		for (col = 0; col < evdb_ncols(w->sc); col++)
			pdb_bcol_free(&w->bcols[col]);
		free(w->bcols);
	}
	for (i = 0; i < w->nremap; i++)
		free(w->remap[i].id);
	free(w->remap);
	free(w->staged);
	free(w->rows);
	free(w->slots);
	free(w->drop);
	free(w->kept);
	free(w->p.chunks);
	free(w->p.remap);
	free(w->p.runids);
	pdb_keyruns_free(w->idruns);
	bloom_free(&w->idseen);
	free(w->idmax);
	arena_free(&w->arena);
	arena_free(&w->spare);
	schema_free(w->sc);
	free(w->dbname);
	free(w);
}

const struct pdb_schema *
evdb_writer_schema(const struct evdb_writer *w)
{
	return w->sc;
}

/* Copies the row's strings and properties into a. */
static void
evdb_row_copy(const struct pdb_schema *sc, struct evdb_row *r,
    const struct value *props, struct arena *a)
{
	uint16_t i, n = sc->nevent_fields;
	struct value *pv;

	r->name = arena_strndup(a, r->name, r->namelen);
	if (r->id != NULL)
		r->id = arena_strndup(a, r->id, r->idlen);
	pv = n > 0 ? arena_alloc(a, n * sizeof *pv) : NULL;
	for (i = 0; i < n; i++)
		value_copy(sc->event_fields[i].type, &props[i], &pv[i], a);
	r->props = pv;
}

/* The slot holding id, or the empty one where it would go. */
static size_t
evdb_id_probe(const struct evdb_writer *w, const char *id, uint32_t len,
    uint32_t h)
{
	size_t s, mask = w->nslots - 1;
	const struct evdb_row *r;

	for (s = h & mask; w->slots[s] != 0; s = (s + 1) & mask) {
		if ((uint32_t)(w->slots[s] >> 32) != h)
			continue;
		r = &w->rows[(uint32_t)w->slots[s] - 1];
		if (r->idlen == len && memcmp(r->id, id, len) == 0)
			break;
	}
	return s;
}

static void
evdb_id_rehash(struct evdb_writer *w, size_t want)
{
	size_t i, s;
	uint32_t h;

	while (w->nslots < want * 2)
		w->nslots *= 2;
	free(w->slots);
	w->slots = xcalloc(w->nslots, sizeof *w->slots);
	for (i = 0; i < w->nrows; i++) {
		if (w->rows[i].id == NULL)
			continue;
		h = (uint32_t)pdb_fast_hash(w->rows[i].id, w->rows[i].idlen);
		s = evdb_id_probe(w, w->rows[i].id, w->rows[i].idlen, h);
		w->slots[s] = (uint64_t)h << 32 | ((uint64_t)i + 1);
	}
}

/* Adds a row to the buffer: 1 when its event_id is there already. */
static int
evdb_buffer_add(struct evdb_writer *w, const struct evdb_event *ev,
    int carried)
{
	struct evdb_row *r;
	size_t s = 0;
	uint32_t h = 0;

	if (ev->id != NULL) {
		h = (uint32_t)pdb_fast_hash(ev->id, ev->idlen);
		s = evdb_id_probe(w, ev->id, (uint32_t)ev->idlen, h);
		if (w->slots[s] != 0)
			return 1;
	}
	if (w->nrows == w->cap) {
		w->cap = w->cap == 0 ? 1024 : w->cap * 2;
		w->rows = xreallocarray(w->rows, w->cap, sizeof *w->rows);
	}
	r = &w->rows[w->nrows];
	r->time = ev->time;
	r->pno = ev->pno;
	r->name = ev->name;
	r->namelen = (uint32_t)ev->namelen;
	r->id = ev->id;
	r->idlen = (uint32_t)ev->idlen;
	r->carried = (uint8_t)carried;
	evdb_row_copy(w->sc, r, ev->props, &w->arena);
	if (ev->id != NULL) {
		w->slots[s] = (uint64_t)h << 32 | ((uint64_t)w->nrows + 1);
		if ((w->nrows + 1) * 2 > w->nslots)
			evdb_id_rehash(w, w->nrows + 1);
	}
	w->nrows++;
	if (!carried)
		w->nnew++;
	return 0;
}

/*
 * Reads the directory's last chunk: new chunks are numbered after it, and
 * when it is not full its events join the buffer (carried) to replace it.
 */
static int
evdb_load_last(struct store_txn *t, struct evdb_writer *w, char **cause)
{
	struct evdb_chunk_info *dir = NULL, last;
	struct evdb_event ev;
	struct value *vals, *props;
	struct arena a = ARENA_INIT;
	uint16_t col, ncols = evdb_ncols(w->sc), np = w->sc->nevent_fields;
	uint32_t nrows, r;
	size_t ndir;
	int rc = 0;

	arena_reset(&w->arena);
	w->nrows = w->nnew = 0;
	memset(w->slots, 0, w->nslots * sizeof *w->slots);
	w->refill = 0;
	w->next_chunk = 0;
	if (evdb_chunks(t, w->sc, &dir, &ndir, cause) != 0)
		return -1;
	if (ndir == 0) {
		free(dir);
		return 0;
	}
	last = dir[ndir - 1];
	free(dir);
	w->next_chunk = last.chunk + 1;
	if (last.nrows >= PDB_CHUNK_ROWS)
		return 0;
	vals = xcalloc((size_t)ncols * PDB_CHUNK_ROWS, sizeof *vals);
	props = xcalloc(np + 1, sizeof *props);
	if (evdb_decode_chunk(t, w->sc, last.chunk, vals, &nrows, &a,
	    cause) != 0)
		rc = -1;
	for (r = 0; rc == 0 && r < nrows; r++) {
		const struct value *name = &vals[EVDB_COL_NAME *
		    PDB_CHUNK_ROWS + r];
		const struct value *id = &vals[EVDB_COL_ID * PDB_CHUNK_ROWS + r];

		ev.pno = (uint32_t)vals[r].u.i;
		ev.time = vals[EVDB_COL_TIME * PDB_CHUNK_ROWS + r].u.dt;
		ev.name = name->present ? name->u.s.p : "";
		ev.namelen = name->present ? name->u.s.len : 0;
		ev.id = id->present ? id->u.s.p : NULL;
		ev.idlen = id->present ? id->u.s.len : 0;
		for (col = EVDB_COL_PROP; col < ncols; col++)
			props[col - EVDB_COL_PROP] = vals[(size_t)col *
			    PDB_CHUNK_ROWS + r];
		ev.props = props;
		(void)evdb_buffer_add(w, &ev, 1);
	}
	if (rc == 0) {
		w->refill = 1;
		w->refill_chunk = last.chunk;
	}
	free(vals);
	free(props);
	arena_free(&a);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Staging. */

/* An event_id to look up and store, and its row. */
struct evdb_idref {
	uint64_t	 pre;		/* first 8 bytes, big-endian */
	const char	*id;
	uint32_t	 len;
	uint32_t	 row;
};

/* LMDB's key order, so that lookups and puts walk the B-tree in order. */
static int
evdb_idref_cmp(const void *a, const void *b)
{
	const struct evdb_idref *x = a, *y = b;
	size_t n;
	int d;

	if (x->pre != y->pre)
		return x->pre < y->pre ? -1 : 1;
	n = x->len < y->len ? x->len : y->len;
	d = n > 8 ? memcmp(x->id + 8, y->id + 8, n - 8) : 0;
	if (d != 0)
		return d;
	return (x->len > y->len) - (x->len < y->len);
}

static uint64_t
evdb_prefix(const char *p, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		v = v << 8 | (i < len ? (uint8_t)p[i] : 0);
	return v;
}

/* Sort keys for the rows: time, then place (the order of arrival). */
struct evdb_tkey {
	int64_t		 time;
	uint64_t	 row;
};

static int
evdb_tkey_cmp(const void *a, const void *b)
{
	const struct evdb_tkey *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/*
 * Sorts the rows by time, keeping the order of arrival among equal
 * times (a row's place follows its arrival: the rows left from a round
 * are sorted and come before those added since).
 */
static void
evdb_sort(struct evdb_writer *w)
{
	struct evdb_tkey *k;
	struct evdb_row *sorted;
	size_t i;

	if (w->nrows < 2)
		return;
	k = xreallocarray(NULL, w->nrows, sizeof *k);
	for (i = 0; i < w->nrows; i++) {
		k[i].time = w->rows[i].time;
		k[i].row = i;
	}
	for (i = 1; i < w->nrows && evdb_tkey_cmp(&k[i - 1], &k[i]) < 0; i++)
		;
	if (i < w->nrows) {
		qsort(k, w->nrows, sizeof *k, evdb_tkey_cmp);
		sorted = xreallocarray(NULL, w->cap, sizeof *sorted);
		for (i = 0; i < w->nrows; i++)
			sorted[i] = w->rows[k[i].row];
		free(w->rows);
		w->rows = sorted;
	}
	free(k);
}

/* Writes the chunk of rows kept[lo..hi) as chunk number ch. */
static int
evdb_write_chunk(struct store_txn *t, struct evdb_writer *w, size_t lo,
    size_t hi, uint32_t ch, char **cause)
{
	const struct pdb_schema *sc = w->sc;
	struct pdb_bcol *bc;
	struct value v;
	const struct evdb_row *r;
	uint16_t col, ncols = evdb_ncols(sc);
	uint8_t key[10], *dst;
	size_t i;

	for (col = 0; col < ncols; col++) {
		bc = &w->bcols[col];
		pdb_bcol_reset(bc);
		for (i = lo; i < hi; i++) {
			r = &w->rows[w->kept[i]];
			memset(&v, 0, sizeof v);
			v.present = 1;
			switch (col) {
			case EVDB_COL_PNO:
				v.u.i = r->pno;
				break;
			case EVDB_COL_TIME:
				v.u.dt = r->time;
				break;
			case EVDB_COL_NAME:
				v.u.s.p = r->name;
				v.u.s.len = r->namelen;
				break;
			case EVDB_COL_ID:
				v.present = r->id != NULL;
				v.u.s.p = r->id;
				v.u.s.len = r->idlen;
				break;
			default:
				v = r->props[col - EVDB_COL_PROP];
				break;
			}
			pdb_bcol_put(bc, &v);
		}
		pdb_col_key(key, sc->id, col, ch);
		if ((dst = store_reserve(t, STORE_EVCOLS, key, sizeof key,
		    pdb_bcol_size(bc), cause)) == NULL)
			return -1;
		pdb_bcol_write(bc, dst);
	}
	return 0;
}

/* The chunk of each kept row written by this round (UINT32_MAX: none). */
static size_t
evdb_plan(struct evdb_writer *w, const uint8_t *drop, uint32_t *chunk_of)
{
	size_t i, nwrite;

	w->nkept = 0;
	for (i = 0; i < w->nrows; i++) {
		chunk_of[i] = UINT32_MAX;
		if (!drop[i])
			w->kept[w->nkept++] = i;
	}
	nwrite = w->final ? w->nkept : w->nkept / PDB_CHUNK_ROWS *
	    PDB_CHUNK_ROWS;
	/* Nothing new: the last chunk stays as it is. */
	if (w->final && w->nstaged == 0 && w->nkept > 0) {
		for (i = 0; i < w->nkept && w->rows[w->kept[i]].carried; i++)
			;
		if (i == w->nkept)
			nwrite = 0;
	}
	for (i = 0; i < nwrite; i++)
		chunk_of[w->kept[i]] = w->next_chunk +
		    (uint32_t)(i / PDB_CHUNK_ROWS);
	return nwrite;
}

/* Event_ids looked up or put between two store_release_pages. */
#define EVDB_RELEASE_IDS	768

/*
 * The `evids` key of an id (db id, be32, then the id) in *k: stackbuf
 * while it fits, else memory grown to *kcap (freed by the caller when
 * *k is not stackbuf).  Returns its length.
 */
static size_t
evdb_id_key(uint32_t dbid, const struct evdb_idref *r, uint8_t **k,
    size_t *kcap, uint8_t *stackbuf)
{
	if (r->len + 4 > *kcap) {
		*kcap = r->len + 64;
		*k = *k == stackbuf ? xmalloc(*kcap) : xrealloc(*k, *kcap);
	}
	store_be32(*k, dbid);
	memcpy(*k + 4, r->id, r->len);
	return r->len + 4;
}

/*
 * Whether an import's round puts its ids into `evids` itself rather than
 * into a run: when they all sort after every key there and every id of
 * the rounds before, as ids given in order do (a few pages a round at
 * the index's end, and nothing to merge).  The first round goes into a
 * run, as nothing tells yet whether the ids come in order: in no order,
 * ids put into the index would spread over all of it, and the runs'
 * merge could then append none.  1 yes, 0 no, -1 error.
 */
static int
evdb_ids_append(struct store_txn *t, const struct evdb_writer *w,
    const struct evdb_idref *idrefs, size_t nids, char **cause)
{
	struct store_cursor *cur;
	const void *last;
	uint8_t stackbuf[256], *k = stackbuf;
	size_t lastlen, kcap = sizeof stackbuf, klen;
	int rc;

	if (w->idruns == NULL || nids == 0)
		return 1;
	/* No id yet (the first round): nothing tells the order. */
	if (w->idmax == NULL || store_key_cmp(idrefs[0].id, idrefs[0].len,
	    w->idmax, w->idmaxlen) <= 0)
		return 0;
	if ((cur = store_cursor_open(t, STORE_EVIDS, NULL, 0, cause)) == NULL)
		return -1;
	rc = store_cursor_last(cur, &last, &lastlen, cause);
	if (rc == 0) {
		klen = evdb_id_key(w->sc->id, &idrefs[0], &k, &kcap, stackbuf);
		rc = store_key_cmp(k, klen, last, lastlen) > 0;
		if (k != stackbuf)
			free(k);
	}
	store_cursor_close(cur);
	return rc;
}

/*
 * An import's round: finds the rows whose event_id is stored or in an
 * earlier round's run (duplicates), plans the chunks of the rest, and
 * keeps the ids of the rows written, in key order, for their run.
 * Nothing is written to `evids`.
 */
static int
evdb_stage_ids_runs(struct store_txn *t, struct evdb_writer *w,
    struct evdb_idref *idrefs, size_t nids, uint32_t *chunk_of,
    size_t *nwrite, char **cause)
{
	const struct pdb_schema *sc = w->sc;
	struct evdb_pending *p = &w->p;
	uint8_t stackbuf[256], *k = stackbuf;
	uint32_t pno;
	size_t kcap = sizeof stackbuf, i, klen;
	const void *v;
	size_t vlen;
	int rc = 0;

	memset(w->drop, 0, w->nrows + 1);
	for (i = 0; i < nids; i++) {
		if (i % EVDB_RELEASE_IDS == EVDB_RELEASE_IDS - 1)
			store_release_pages(store_txn_store(t));
		klen = evdb_id_key(sc->id, &idrefs[i], &k, &kcap, stackbuf);
		rc = store_get(t, STORE_EVIDS, k, klen, &v, &vlen, cause);
		if (rc == 1 && bloom_maybe(&w->idseen, pdb_key_hash(
		    idrefs[i].id, idrefs[i].len)))
			rc = pdb_keyruns_find(w->idruns, idrefs[i].id,
			    idrefs[i].len, &pno, cause);
		if (rc < 0)
			goto out;
		if (rc == 0) {
			w->drop[idrefs[i].row] = 1;
			p->dups++;
		}
	}
	rc = 0;
	*nwrite = evdb_plan(w, w->drop, chunk_of);
	p->runids = xreallocarray(p->runids, nids + 1, sizeof *p->runids);
	for (i = 0; i < nids; i++) {
		uint32_t row = idrefs[i].row;

		if (!w->drop[row] && chunk_of[row] != UINT32_MAX)
			pdb_keyref_set(&p->runids[p->nrunids++],
			    idrefs[i].id, idrefs[i].len, chunk_of[row]);
	}
out:
	if (k != stackbuf)
		free(k);
	return rc;
}

/*
 * Stores the new event_ids (in key order) and finds the stored ones,
 * whose rows are duplicates.  Optimistically, each id is added with the
 * chunk its row gets when none is a duplicate, in one B-tree descent; a
 * duplicate moves the rows after it, and then the ids whose chunk
 * changed are written again.
 */
static int
evdb_stage_ids(struct store_txn *t, struct evdb_writer *w,
    struct evdb_idref *idrefs, size_t nids, uint32_t *chunk_of,
    size_t *nwrite, char **cause)
{
	const struct pdb_schema *sc = w->sc;
	uint8_t stackbuf[256], *k = stackbuf, val[4];
	uint32_t *tentative;
	size_t kcap = sizeof stackbuf, i, moved = 0, klen;
	const void *v;
	size_t vlen;
	int rc = 0;

	memset(w->drop, 0, w->nrows + 1);
	*nwrite = evdb_plan(w, w->drop, chunk_of);
	tentative = xreallocarray(NULL, w->nrows + 1, sizeof *tentative);
	memcpy(tentative, chunk_of, w->nrows * sizeof *tentative);
	for (i = 0; i < nids; i++) {
		/*
		 * Each leaf read maps its neighbours too: event_ids in no
		 * order read most of a large index in one round.
		 */
		if (i % EVDB_RELEASE_IDS == EVDB_RELEASE_IDS - 1)
			store_release_pages(store_txn_store(t));
		klen = evdb_id_key(sc->id, &idrefs[i], &k, &kcap, stackbuf);
		/*
		 * An import comes here only with ids after every id of its
		 * earlier rounds (evdb_ids_append): none is in a run.
		 */
		if (tentative[idrefs[i].row] == UINT32_MAX)
			rc = store_get(t, STORE_EVIDS, k, klen, &v, &vlen,
			    cause);
		else {
			store_be32(val, tentative[idrefs[i].row]);
			rc = store_put_new(t, STORE_EVIDS, k, klen, val,
			    sizeof val, cause);
			if (rc == 0)
				continue;
			rc = rc == 1 ? 0 : -1;
		}
		if (rc < 0)
			goto out;
		if (rc == 0) {
			w->drop[idrefs[i].row] = 1;
			w->p.dups++;
			if (tentative[idrefs[i].row] != UINT32_MAX)
				moved = 1;
		}
	}
	rc = 0;
	if (w->p.dups > 0)
		*nwrite = evdb_plan(w, w->drop, chunk_of);
	if (!moved)
		goto out;
	for (i = 0; i < nids; i++) {
		uint32_t row = idrefs[i].row;

		if (w->drop[row] || tentative[row] == chunk_of[row])
			continue;
		klen = evdb_id_key(sc->id, &idrefs[i], &k, &kcap, stackbuf);
		if (chunk_of[row] == UINT32_MAX)
			rc = store_del(t, STORE_EVIDS, k, klen, cause);
		else {
			store_be32(val, chunk_of[row]);
			rc = store_put(t, STORE_EVIDS, k, klen, val,
			    sizeof val, cause);
		}
		if (rc != 0)
			goto out;
	}
out:
	if (k != stackbuf)
		free(k);
	free(tentative);
	return rc;
}

/*
 * Inside a write transaction, and run again from scratch when the map
 * grows: drops the rows whose event_id is stored, writes the full chunks
 * of the rest (all of it when final) and their event_ids.  Its results
 * are in w->p until evdb_stage_done keeps them.  The rows are sorted.
 */
static int
evdb_stage(struct store_txn *t, struct evdb_writer *w, char **cause)
{
	struct evdb_pending *p = &w->p;
	struct evdb_chunk_info *ci;
	struct evdb_idref *idrefs;
	const struct evdb_row *r;
	uint32_t *chunk_of, ch;
	size_t i, lo, hi, nwrite, nids = 0;
	int rc;

	evdb_pending_reset(p);
	evdb_writer_bcols(w);
	w->drop = xreallocarray(w->drop, w->nrows + 1, 1);
	w->kept = xreallocarray(w->kept, w->nrows + 1, sizeof *w->kept);
	chunk_of = xreallocarray(NULL, w->nrows + 1, sizeof *chunk_of);
	idrefs = xreallocarray(NULL, w->nrows + 1, sizeof *idrefs);
	for (i = 0; i < w->nrows; i++) {
		r = &w->rows[i];
		if (r->id == NULL || r->carried)
			continue;
		idrefs[nids].pre = evdb_prefix(r->id, r->idlen);
		idrefs[nids].id = r->id;
		idrefs[nids].len = r->idlen;
		idrefs[nids++].row = (uint32_t)i;
	}
	qsort(idrefs, nids, sizeof *idrefs, evdb_idref_cmp);
	if (nids > 0) {
		w->p.maxid = idrefs[nids - 1].id;
		w->p.maxidlen = idrefs[nids - 1].len;
	}
	if ((rc = evdb_ids_append(t, w, idrefs, nids, cause)) < 0)
		goto out;
	rc = rc == 0 ? evdb_stage_ids_runs(t, w, idrefs, nids, chunk_of,
	    &nwrite, cause) : evdb_stage_ids(t, w, idrefs, nids, chunk_of,
	    &nwrite, cause);
	if (rc != 0)
		goto out;
	for (lo = 0; lo < nwrite; lo = hi) {
		hi = lo + PDB_CHUNK_ROWS < nwrite ? lo + PDB_CHUNK_ROWS :
		    nwrite;
		ch = w->next_chunk + (uint32_t)p->nchunks;
		if ((rc = evdb_write_chunk(t, w, lo, hi, ch, cause)) != 0)
			goto out;
		if (p->nchunks == p->cap) {
			p->cap = p->cap == 0 ? 64 : p->cap * 2;
			p->chunks = xreallocarray(p->chunks, p->cap,
			    sizeof *p->chunks);
		}
		ci = &p->chunks[p->nchunks++];
		ci->chunk = ch;
		ci->nrows = (uint32_t)(hi - lo);
		ci->tmin = w->rows[w->kept[lo]].time;
		ci->tmax = w->rows[w->kept[hi - 1]].time;
		for (i = lo; i < hi; i++) {
			r = &w->rows[w->kept[i]];
			if (!r->carried) {
				p->added++;
				continue;
			}
			if (r->id == NULL)
				continue;
			/* Its id moves at commit, when the old chunk goes. */
			if (p->nremap == p->remapcap) {
				p->remapcap = p->remapcap == 0 ? 256 :
				    p->remapcap * 2;
				p->remap = xreallocarray(p->remap, p->remapcap,
				    sizeof *p->remap);
			}
			p->remap[p->nremap].id = (char *)r->id;
			p->remap[p->nremap].len = r->idlen;
			p->remap[p->nremap++].chunk = ch;
		}
	}
	p->written = nwrite;
out:
	free(idrefs);
	free(chunk_of);
	return rc;
}

/*
 * An import's round committed: the ids it wrote become a run (before the
 * rows' arena holding them is reused), and the filter learns them.
 */
static int
evdb_stage_run(struct evdb_writer *w, char **cause)
{
	struct evdb_pending *p = &w->p;
	struct pdb_keyrun *run;
	size_t i;

	if (w->idruns == NULL)
		return 0;
	if (p->maxid != NULL && (w->idmax == NULL || store_key_cmp(p->maxid,
	    p->maxidlen, w->idmax, w->idmaxlen) > 0)) {
		free(w->idmax);
		w->idmax = xmalloc(p->maxidlen + 1);
		memcpy(w->idmax, p->maxid, p->maxidlen);
		w->idmaxlen = p->maxidlen;
	}
	if (p->nrunids == 0)
		return 0;
	if (pdb_keyruns_write(w->idruns, p->runids, p->nrunids, &run,
	    cause) != 0)
		return -1;
	pdb_keyruns_add(w->idruns, run);
	for (i = 0; i < p->nrunids; i++)
		bloom_add(&w->idseen, pdb_key_hash(p->runids[i].p,
		    p->runids[i].len));
	return 0;
}

/* Keeps what a committed evdb_stage did; the buffer keeps the rest. */
static void
evdb_stage_done(struct evdb_writer *w)
{
	struct evdb_pending *p = &w->p;
	struct arena tmp;
	struct evdb_row *r;
	size_t i, n;

	if (w->nstaged + p->nchunks > w->stagedcap) {
		w->stagedcap = (w->nstaged + p->nchunks) * 2;
		w->staged = xreallocarray(w->staged, w->stagedcap,
		    sizeof *w->staged);
	}
	if (p->nchunks > 0)
		memcpy(w->staged + w->nstaged, p->chunks,
		    p->nchunks * sizeof *p->chunks);
	w->nstaged += p->nchunks;
	w->next_chunk += (uint32_t)p->nchunks;
	if (w->nremap + p->nremap > w->remapcap) {
		w->remapcap = (w->nremap + p->nremap) * 2;
		w->remap = xreallocarray(w->remap, w->remapcap,
		    sizeof *w->remap);
	}
	for (i = 0; i < p->nremap; i++) {
		w->remap[w->nremap] = p->remap[i];
		w->remap[w->nremap++].id = xstrndup(p->remap[i].id,
		    p->remap[i].len);
	}
	w->added += p->added;
	w->dups += p->dups;
	/* The rows left (kept is ascending) move to a fresh arena. */
	n = 0;
	w->nnew = 0;
	for (i = p->written; i < w->nkept; i++) {
		r = &w->rows[w->kept[i]];
		w->rows[n] = *r;
		evdb_row_copy(w->sc, &w->rows[n], r->props, &w->spare);
		if (!w->rows[n].carried)
			w->nnew++;
		n++;
	}
	w->nrows = n;
	tmp = w->arena;
	w->arena = w->spare;
	w->spare = tmp;
	arena_reset(&w->spare);
	evdb_id_rehash(w, n);
	evdb_pending_reset(p);
}

static int
evdb_stage_cb(struct store_txn *t, void *arg, char **cause)
{
	return evdb_stage(t, arg, cause);
}

/* Stages the buffer (sorted by time) in a transaction of its own. */
static int
evdb_flush(struct evdb_writer *w, int final, char **cause)
{
	evdb_sort(w);
	w->final = final;
	if (store_write(w->st, evdb_stage_cb, w, cause) != 0 ||
	    evdb_stage_run(w, cause) != 0)
		return -1;
	evdb_stage_done(w);
	/* The B-tree pages this round read would otherwise add up. */
	store_release_pages(w->st);
	return 0;
}

/* The directory entries of the staged chunks: the events appear. */
static int
evdb_publish(struct store_txn *t, struct evdb_writer *w, char **cause)
{
	const struct pdb_schema *sc = w->sc;
	uint8_t key[10], val[4];
	uint16_t col;
	size_t i;

	if (w->refill) {
		/* Its events are in the staged chunks; its ids move below. */
		for (col = 0; col < evdb_ncols(sc); col++) {
			pdb_col_key(key, sc->id, col, w->refill_chunk);
			if (store_del(t, STORE_EVCOLS, key, sizeof key,
			    cause) != 0)
				return -1;
		}
		evdb_dir_key(key, sc->id, w->refill_chunk);
		if (store_del(t, STORE_EVCHUNKS, key, 8, cause) != 0)
			return -1;
	}
	for (i = 0; i < w->nstaged; i++) {
		if (evdb_put_dir(t, sc->id, &w->staged[i], cause) != 0)
			return -1;
	}
	for (i = 0; i < w->nremap; i++) {
		uint8_t *k = xmalloc(w->remap[i].len + 4);
		int rc;

		store_be32(k, sc->id);
		memcpy(k + 4, w->remap[i].id, w->remap[i].len);
		store_be32(val, w->remap[i].chunk);
		rc = store_put(t, STORE_EVIDS, k, w->remap[i].len + 4, val,
		    sizeof val, cause);
		free(k);
		if (rc != 0)
			return -1;
	}
	if (w->marked)
		return evdb_set_mark(t, sc->id, 0, cause);
	return 0;
}

static int
evdb_publish_cb(struct store_txn *t, void *arg, char **cause)
{
	return evdb_publish(t, arg, cause);
}

/* ------------------------------------------------------------------ */
/* The writer's life. */

static int
evdb_open_cb(struct store_txn *t, void *arg, char **cause)
{
	struct evdb_writer *w = arg;
	struct pdb_schema *sc;

	if (pdb_open(t, w->dbname, &sc, cause) != 0)
		return -1;
	if (sc->id != w->sc->id) {
		schema_free(sc);
		return error_set(cause, _("database '%s' changed during the "
		    "import; nothing was imported"), w->dbname);
	}
	schema_free(w->sc);
	w->sc = sc;
	if (evdb_check_idle(t, sc, cause) != 0)
		return -1;
	if (evdb_clean_orphans(t, sc, EVDB_CLEAN_CHUNKS, &w->again,
	    cause) != 0)
		return -1;
	if (w->again)
		return 0;
	if (evdb_set_mark(t, sc->id, 1, cause) != 0)
		return -1;
	return evdb_load_last(t, w, cause);
}

int
evdb_writer_open(struct store *st, const char *dbname,
    struct evdb_writer **out, char **cause)
{
	struct store_txn *t;
	struct pdb_schema *sc;
	struct evdb_writer *w;

	*out = NULL;
	if (store_read_begin(st, &t, cause) != 0)
		return -1;
	if (pdb_open(t, dbname, &sc, cause) != 0) {
		store_read_end(t);
		return -1;
	}
	store_read_end(t);
	w = evdb_writer_new(st, sc);
	schema_free(sc);
	do {
		if (store_write(st, evdb_open_cb, w, cause) != 0) {
			evdb_writer_free(w);
			return -1;
		}
	} while (w->again);
	w->marked = 1;
	if (pdb_keyruns_open(store_path(st), &w->idruns, cause) != 0) {
		evdb_writer_abort(w);
		evdb_writer_free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void
evdb_writer_expect(struct evdb_writer *w, uint64_t events)
{
	if (w->idseen.nf == 0 && events < SIZE_MAX / 2)
		w->idseen.plan = (size_t)events;
}

int
evdb_writer_add(struct evdb_writer *w, const struct evdb_event *ev,
    char **cause)
{
	if (evdb_buffer_add(w, ev, 0) != 0) {
		w->dups++;
		return 1;
	}
	if (w->nrows >= w->stage_rows && w->nrows >= 2 * PDB_CHUNK_ROWS &&
	    evdb_flush(w, 0, cause) != 0)
		return -1;
	return 0;
}

static int
evdb_unmark_cb(struct store_txn *t, void *arg, char **cause)
{
	struct evdb_writer *w = arg;

	return evdb_set_mark(t, w->sc->id, 0, cause);
}

static int
evdb_merge_cb(struct store_txn *t, void *arg, char **cause)
{
	struct evdb_writer *w = arg;

	return pdb_keyruns_merge(t, STORE_EVIDS, w->sc, w->idruns, SIZE_MAX,
	    &w->again, cause);
}

/*
 * The runs' event_ids into `evids`, in bounded transactions; they point
 * at staged chunks, which no reader looks at until the publishing.
 */
static int
evdb_merge_ids(struct evdb_writer *w, char **cause)
{
	return pdb_keyruns_merge_all(w->st, w->idruns, evdb_merge_cb, w,
	    &w->again, cause);
}

int
evdb_writer_commit(struct evdb_writer *w, struct evdb_append_stats *stats,
    char **cause)
{
	memset(stats, 0, sizeof *stats);
	if ((w->nnew > 0 || w->nstaged > 0) && w->nrows > 0 &&
	    evdb_flush(w, 1, cause) != 0)
		return -1;
	if (w->nstaged == 0) {
		if (store_write(w->st, evdb_unmark_cb, w, cause) != 0)
			return -1;
	} else if (evdb_merge_ids(w, cause) != 0 ||
	    store_write(w->st, evdb_publish_cb, w, cause) != 0)
		return -1;
	w->marked = 0;
	stats->added = w->added;
	stats->duplicates = w->dups;
	return 0;
}

static int
evdb_clean_cb(struct store_txn *t, void *arg, char **cause)
{
	struct evdb_writer *w = arg;

	return evdb_clean_orphans(t, w->sc, EVDB_CLEAN_CHUNKS, &w->again,
	    cause);
}

void
evdb_writer_abort(struct evdb_writer *w)
{
	char *cause = NULL;

	if (w->st == NULL || !w->marked)
		return;
	do {
		w->again = 0;
		if (store_write(w->st, evdb_clean_cb, w, &cause) != 0)
			break;
	} while (w->again);
	free(cause);
	cause = NULL;
	(void)store_write(w->st, evdb_unmark_cb, w, &cause);
	free(cause);
	w->marked = 0;
}

/* ------------------------------------------------------------------ */
/* Small sets inside the caller's transaction. */

int
evdb_append(struct store_txn *t, const struct pdb_schema *sc,
    const struct evdb_event *evs, size_t n, struct evdb_append_stats *stats,
    char **cause)
{
	struct evdb_writer *w;
	size_t i;
	int left, rc = -1;

	memset(stats, 0, sizeof *stats);
	if (n == 0)
		return 0;
	if (evdb_check_idle(t, sc, cause) != 0 ||
	    evdb_clean_orphans(t, sc, SIZE_MAX, &left, cause) != 0)
		return -1;
	w = evdb_writer_new(NULL, sc);
	if (evdb_load_last(t, w, cause) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (evdb_buffer_add(w, &evs[i], 0) != 0)
			w->dups++;
	}
	evdb_sort(w);
	w->final = 1;
	if (evdb_stage(t, w, cause) != 0)
		goto out;
	evdb_stage_done(w);
	if (w->nstaged > 0 && evdb_publish(t, w, cause) != 0)
		goto out;
	stats->added = w->added;
	stats->duplicates = w->dups;
	rc = 0;
out:
	evdb_writer_free(w);
	return rc;
}
