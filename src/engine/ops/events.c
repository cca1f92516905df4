/*
 * events list, stats and prune over the event store (evdb.h); the
 * import is events_import.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "events.h"
#include "i18n.h"
#include "util.h"

/* Chunks pruned per write transaction. */
#define EVENTS_PRUNE_CHUNKS	64

/* ------------------------------------------------------------------ */
/* list */

/* A matching event found by the scan: where it is. */
struct events_ref {
	int64_t		 time;
	uint32_t	 chunk;
	uint32_t	 row;
	size_t		 idx;		/* place in the list */
};

/* Newer first: later time, then later chunk, then later row. */
static int
events_ref_newer(const struct events_ref *a, const struct events_ref *b)
{
	if (a->time != b->time)
		return a->time > b->time;
	if (a->chunk != b->chunk)
		return a->chunk > b->chunk;
	return a->row > b->row;
}

static int
events_ref_cmp_desc(const void *a, const void *b)
{
	const struct events_ref *x = a, *y = b;

	if (events_ref_newer(x, y))
		return -1;
	return events_ref_newer(y, x) ? 1 : 0;
}

static int
events_ref_cmp_chunk(const void *a, const void *b)
{
	const struct events_ref *x = a, *y = b;

	if (x->chunk != y->chunk)
		return x->chunk < y->chunk ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

static int
events_chunk_cmp_tmax(const void *a, const void *b)
{
	const struct evdb_chunk_info *x = a, *y = b;

	if (x->tmax != y->tmax)
		return x->tmax > y->tmax ? -1 : 1;
	return (x->chunk < y->chunk) - (x->chunk > y->chunk);
}

/*
 * The kept events: with a limit, a min-heap of the newest `limit` found
 * (the oldest on top); without one, all of them.
 */
struct events_top {
	struct events_ref	*v;
	size_t			 n, cap, limit;
};

static void
events_top_sift(struct events_top *h, size_t i)
{
	struct events_ref x;
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && events_ref_newer(&h->v[c], &h->v[c + 1]))
			c++;
		if (!events_ref_newer(&h->v[i], &h->v[c]))
			break;
		x = h->v[i];
		h->v[i] = h->v[c];
		h->v[c] = x;
		i = c;
	}
}

static void
events_top_add(struct events_top *h, const struct events_ref *r)
{
	struct events_ref x;
	size_t i, p;

	if (h->limit > 0 && h->n == h->limit) {
		if (!events_ref_newer(r, &h->v[0]))
			return;
		h->v[0] = *r;
		events_top_sift(h, 0);
		return;
	}
	if (h->n == h->cap) {
		h->cap = h->cap == 0 ? 256 : h->cap * 2;
		h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
	}
	h->v[h->n++] = *r;
	if (h->limit == 0)
		return;
	for (i = h->n - 1; i > 0; i = p) {
		p = (i - 1) / 2;
		if (!events_ref_newer(&h->v[p], &h->v[i]))
			break;
		x = h->v[i];
		h->v[i] = h->v[p];
		h->v[p] = x;
	}
}

/* The dictionary code of s in a string chunk, or -1. */
static long
events_code(const struct col_chunk *c, const char *s, size_t len)
{
	uint32_t i;

	for (i = 0; i < c->ndict; i++) {
		if (c->dict_off[i + 1] - c->dict_off[i] == len &&
		    memcmp(c->dict_data + c->dict_off[i], s, len) == 0)
			return (long)i;
	}
	return -1;
}

/* Finds the matching events of one chunk. */
static int
events_scan_chunk(struct store_txn *t, const struct pdb_schema *sc,
    const struct evdb_chunk_info *ci, const struct events_filter *f,
    int has_pno, uint32_t pno, struct events_top *top, char **cause)
{
	struct col_chunk tc, pc, nc;
	struct events_ref ref;
	long code = -1;
	uint32_t r;
	int rc = -1;

	memset(&tc, 0, sizeof tc);
	memset(&pc, 0, sizeof pc);
	memset(&nc, 0, sizeof nc);
	if (evdb_column(t, sc, EVDB_COL_TIME, ci->chunk, &tc, cause) != 0)
		goto out;
	if (has_pno && evdb_column(t, sc, EVDB_COL_PNO, ci->chunk, &pc,
	    cause) != 0)
		goto out;
	if (f->name != NULL) {
		if (evdb_column(t, sc, EVDB_COL_NAME, ci->chunk, &nc,
		    cause) != 0)
			goto out;
		if ((code = events_code(&nc, f->name, strlen(f->name))) < 0) {
			rc = 0;
			goto out;
		}
	}
	for (r = 0; r < tc.nrows; r++) {
		if (tc.i64[r] < f->from || tc.i64[r] >= f->to)
			continue;
		if (has_pno && (uint64_t)pc.i64[r] != pno)
			continue;
		if (f->name != NULL && nc.codes[r] != (uint32_t)code)
			continue;
		ref.time = tc.i64[r];
		ref.chunk = ci->chunk;
		ref.row = r;
		events_top_add(top, &ref);
	}
	rc = 0;
out:
	pdb_chunk_release(&tc);
	pdb_chunk_release(&pc);
	pdb_chunk_release(&nc);
	return rc;
}

/* The key of profile pno (from its chunk of the key column). */
static const char *
events_key(struct store_txn *t, const struct pdb_schema *sc, uint32_t pno,
    struct col_chunk *kc, uint32_t *kchunk, struct arena *a, char **cause)
{
	uint32_t ch = pno / PDB_CHUNK_ROWS, r = pno % PDB_CHUNK_ROWS, code;

	if (*kchunk != ch) {
		if (pdb_chunk(t, sc, sc->key_field, ch, kc, cause) != 0)
			return NULL;
		*kchunk = ch;
	}
	if (r >= kc->nrows || !col_present(kc, r))
		return "";
	code = kc->codes[r];
	return arena_strndup(a, kc->dict_data + kc->dict_off[code],
	    kc->dict_off[code + 1] - kc->dict_off[code]);
}

/* Turns the found references (sorted by chunk) into out->items[idx]. */
static int
events_fill(struct store_txn *t, const struct pdb_schema *sc,
    const struct events_ref *refs, size_t n, struct events_list *out,
    char **cause)
{
	struct col_chunk kc;
	struct value *vals, *v;
	struct events_item *it;
	struct arena ca = ARENA_INIT;
	uint16_t ncols = (uint16_t)(EVDB_COL_PROP + sc->nevent_fields), p;
	uint32_t nrows = 0, chunk = UINT32_MAX, kchunk = UINT32_MAX, r;
	size_t i;
	int rc = 0;

	memset(&kc, 0, sizeof kc);
	vals = xcalloc((size_t)ncols * PDB_CHUNK_ROWS, sizeof *vals);
	out->items = xcalloc(n + 1, sizeof *out->items);
	for (i = 0; i < n && rc == 0; i++) {
		if (refs[i].chunk != chunk) {
			chunk = refs[i].chunk;
			arena_reset(&ca);
			if ((rc = evdb_decode_chunk(t, sc, chunk, vals, &nrows,
			    &ca, cause)) != 0)
				break;
		}
		r = refs[i].row;
		if (r >= nrows) {
			rc = error_set(cause, _("profile database '%s': event "
			    "chunk %u changed while it was read"), sc->name,
			    chunk);
			break;
		}
		it = &out->items[refs[i].idx];
		it->time = refs[i].time;
		it->key = events_key(t, sc, (uint32_t)vals[r].u.i, &kc,
		    &kchunk, &out->arena, cause);
		if (it->key == NULL) {
			rc = -1;
			break;
		}
		v = &vals[EVDB_COL_NAME * PDB_CHUNK_ROWS + r];
		it->name = arena_strndup(&out->arena, v->present ? v->u.s.p :
		    "", v->present ? v->u.s.len : 0);
		v = &vals[EVDB_COL_ID * PDB_CHUNK_ROWS + r];
		it->id = v->present ? arena_strndup(&out->arena, v->u.s.p,
		    v->u.s.len) : NULL;
		it->props = arena_alloc(&out->arena,
		    ((size_t)sc->nevent_fields + 1) * sizeof *it->props);
		for (p = 0; p < sc->nevent_fields; p++)
			value_copy(sc->event_fields[p].type,
			    &vals[(size_t)(EVDB_COL_PROP + p) *
			    PDB_CHUNK_ROWS + r], &it->props[p], &out->arena);
	}
	if (rc == 0)
		out->n = n;
	pdb_chunk_release(&kc);
	arena_free(&ca);
	free(vals);
	return rc;
}

int
events_list(struct store_txn *t, const char *dbname,
    const struct events_filter *f, struct events_list *out, char **cause)
{
	struct pdb_schema *sc = NULL;
	struct evdb_chunk_info *dir = NULL;
	struct events_top top;
	size_t ndir = 0, i;
	uint32_t pno = 0;
	int rc, has_pno = 0;

	memset(out, 0, sizeof *out);
	memset(&top, 0, sizeof top);
	top.limit = f->limit;
	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	out->schema = sc;
	if (f->key != NULL) {
		rc = pdb_lookup(t, sc, f->key, strlen(f->key), &pno, cause);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return error_set(cause, _("database '%s' has no profile "
			    "with key '%s'"), dbname, f->key);
		has_pno = 1;
	}
	if (evdb_chunks(t, sc, &dir, &ndir, cause) != 0)
		return -1;
	/* Newest chunks first, so a limit stops the scan early. */
	if (ndir > 1)
		qsort(dir, ndir, sizeof *dir, events_chunk_cmp_tmax);
	rc = 0;
	for (i = 0; i < ndir && rc == 0; i++) {
		if (dir[i].tmax < f->from || dir[i].tmin >= f->to)
			continue;
		if (top.limit > 0 && top.n == top.limit &&
		    dir[i].tmax < top.v[0].time)
			break;
		rc = events_scan_chunk(t, sc, &dir[i], f, has_pno, pno, &top,
		    cause);
	}
	free(dir);
	if (rc == 0 && top.n > 0) {
		qsort(top.v, top.n, sizeof *top.v, events_ref_cmp_desc);
		for (i = 0; i < top.n; i++)
			top.v[i].idx = i;
		qsort(top.v, top.n, sizeof *top.v, events_ref_cmp_chunk);
		rc = events_fill(t, sc, top.v, top.n, out, cause);
	}
	free(top.v);
	return rc;
}

void
events_list_free(struct events_list *l)
{
	schema_free(l->schema);
	free(l->items);
	arena_free(&l->arena);
	memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ */
/* stats */

struct events_acc {
	uint64_t	count;
	int64_t		first, last;
};

static int
events_stat_cmp(const void *a, const void *b)
{
	const struct events_stat *x = a, *y = b;

	return strcmp(x->name, y->name);
}

int
events_stats(struct store_txn *t, const char *dbname,
    struct events_stat **out, size_t *nout, uint64_t *total, char **cause)
{
	struct pdb_schema *sc;
	struct evdb_chunk_info *dir = NULL;
	struct events_stat *st = NULL;
	struct events_acc *acc = NULL;
	struct col_chunk tc, nc;
	size_t ndir = 0, n = 0, i, k, acccap = 0;
	uint32_t r, d, len;
	const char *p;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	*total = 0;
	memset(&tc, 0, sizeof tc);
	memset(&nc, 0, sizeof nc);
	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	if (evdb_chunks(t, sc, &dir, &ndir, cause) != 0)
		goto out;
	for (i = 0; i < ndir; i++) {
		/* A long scan keeps a small resident set (store.h). */
		if (i % 256 == 255)
			store_release_pages(store_txn_store(t));
		if (evdb_column(t, sc, EVDB_COL_TIME, dir[i].chunk, &tc,
		    cause) != 0 || evdb_column(t, sc, EVDB_COL_NAME,
		    dir[i].chunk, &nc, cause) != 0)
			goto out;
		/* Per code of the chunk first, then per name. */
		if (nc.ndict > acccap) {
			acccap = nc.ndict;
			acc = xreallocarray(acc, acccap, sizeof *acc);
		}
		for (d = 0; d < nc.ndict; d++) {
			acc[d].count = 0;
			acc[d].first = INT64_MAX;
			acc[d].last = INT64_MIN;
		}
		for (r = 0; r < tc.nrows && r < nc.nrows; r++) {
			if (!col_present(&nc, r))
				continue;
			d = nc.codes[r];
			acc[d].count++;
			if (tc.i64[r] < acc[d].first)
				acc[d].first = tc.i64[r];
			if (tc.i64[r] > acc[d].last)
				acc[d].last = tc.i64[r];
		}
		for (d = 0; d < nc.ndict; d++) {
			if (acc[d].count == 0)
				continue;
			p = nc.dict_data + nc.dict_off[d];
			len = nc.dict_off[d + 1] - nc.dict_off[d];
			for (k = 0; k < n; k++) {
				if (strlen(st[k].name) == len &&
				    memcmp(st[k].name, p, len) == 0)
					break;
			}
			if (k == n) {
				st = xreallocarray(st, n + 1, sizeof *st);
				st[n].name = xstrndup(p, len);
				st[n].count = 0;
				st[n].first = INT64_MAX;
				st[n].last = INT64_MIN;
				n++;
			}
			st[k].count += acc[d].count;
			*total += acc[d].count;
			if (acc[d].first < st[k].first)
				st[k].first = acc[d].first;
			if (acc[d].last > st[k].last)
				st[k].last = acc[d].last;
		}
	}
	if (n > 1)
		qsort(st, n, sizeof *st, events_stat_cmp);
	*out = st;
	*nout = n;
	st = NULL;
	n = 0;
	rc = 0;
out:
	events_stats_free(st, n);
	pdb_chunk_release(&tc);
	pdb_chunk_release(&nc);
	free(acc);
	free(dir);
	schema_free(sc);
	return rc;
}

void
events_stats_free(struct events_stat *st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(st[i].name);
	free(st);
}

/* ------------------------------------------------------------------ */
/* prune */

struct events_prune_arg {
	const char	*dbname;
	int64_t		 before;
	uint64_t	 removed;
	int		 more;
};

/* One step: run again from scratch when the map grows. */
static int
events_prune_cb(struct store_txn *t, void *arg, char **cause)
{
	struct events_prune_arg *a = arg;
	struct pdb_schema *sc;
	int rc;

	if (pdb_open(t, a->dbname, &sc, cause) != 0)
		return -1;
	if (attach_refuse(sc, _("pruning events"), cause) != 0) {
		schema_free(sc);
		return -1;
	}
	a->removed = 0;
	rc = evdb_prune_txn(t, sc, a->before, EVENTS_PRUNE_CHUNKS,
	    &a->removed, &a->more, cause);
	schema_free(sc);
	return rc;
}

int
events_prune(struct store *st, const char *dbname, int64_t before,
    uint64_t *removed, char **cause)
{
	struct events_prune_arg a = { dbname, before, 0, 0 };

	*removed = 0;
	do {
		if (store_write(st, events_prune_cb, &a, cause) != 0)
			return -1;
		*removed += a.removed;
		/* Every step reads other pages of the event_id index. */
		store_release_pages(st);
	} while (a.more);
	return 0;
}
