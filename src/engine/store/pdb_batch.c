/*
 * Batch upsert and bulk edit: rows are collected already encoded as
 * column chunks, their keys deduplicated in a hash table, then applied in
 * one write transaction (whole chunks copied as they are when the batch
 * only appends; else the changed rows of the named columns patched into
 * their chunks, and the chunks that gain rows decoded, overlaid and
 * rewritten).  See doc/storage.md, "Upsert and numbering".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "i18n.h"
#include "pdb.h"
#include "pdb_int.h"
#include "util.h"

/*
 * Decodes a whole chunk into vals[] for modification; strings are
 * copied into the arena because the old chunk is overwritten.  The
 * stored chunk holds the rows of the first oldn profiles (sc's count may
 * already include the batch's new ones).
 */
static int
pdb_decode_all(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t oldn, uint16_t field, uint32_t chunk, struct col_chunk *c,
    struct value *vals, uint16_t *buckets, struct arena *a, char **cause)
{
	struct pdb_schema old = *sc;

	old.nprofiles = oldn;
	if (pdb_chunk(t, &old, field, chunk, c, cause) != 0)
		return -1;
	if (field == PDB_COL_BUCKET)
		memcpy(buckets, c->u16, 2 * (size_t)c->nrows);
	else
		pdb_chunk_values(c, vals, a);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Batches. */

/*
 * A batch holds its rows already encoded: for every column (the fields,
 * then the bucket column) a builder for the chunk of rows being added,
 * and the finished chunks of PDB_CHUNK_ROWS batch rows in their stored
 * layout.  A key hash table (row numbers and 32-bit hashes) finds
 * duplicates; the key bytes are read back from the key column.
 */
struct pdb_bblob {
	uint8_t		*data;
	size_t		 size;
};

struct pdb_batch {
	struct pdb_schema *sc;
	uint16_t	 ncols;		/* nfields + 1 (bucket last) */
	struct pdb_bcol	*cols;
	struct pdb_bblob **blobs;	/* [col][chunk] */
	size_t		 nblobs;	/* finished chunks */
	size_t		 blobcap;
	int		 sealed;	/* blobs[.][nblobs] holds the tail */
	struct col_chunk *kview;	/* key column of each blob (packed) */
	size_t		 nrows;
	size_t		 nokey;		/* rows with an absent or empty key */
	uint64_t	*slots;		/* hash << 32 | row + 1, 0 empty */
	size_t		 nslots;
	uint32_t	*dup_row;	/* rows repeating an earlier key, */
	uint32_t	*dup_first;	/* and the rows they repeat */
	size_t		 ndup, dupcap;
	/*
	 * keep[f]: bit i set when row i does not name field f, so an
	 * existing profile keeps its value; NULL until some row leaves f
	 * out (a batch that names every field costs nothing).
	 */
	uint64_t	**keep;
	size_t		 keepcap;	/* words of each keep[f] */
	size_t		*nkept;		/* rows with their bit in keep[f] */
	int		 allnew;	/* no key is stored: no lookups */
	/*
	 * Staging into key runs: the new keys, sorted, are kept here for
	 * pdb_batch_write_run instead of being put into the key index.
	 */
	int		 to_runs;
	struct pdb_keyref *runkeys;
	size_t		 nrunkeys;
	int		 lazy_buckets;	/* rows' buckets 0 until filled */
};

static void
pdb_batch_key(const struct pdb_batch *b, size_t i, const char **p,
    uint32_t *len)
{
	size_t j = i / PDB_CHUNK_ROWS, r = i % PDB_CHUNK_ROWS;
	const struct pdb_bcol *kc;
	uint32_t c;

	if (j < b->nblobs) {
		c = col_code(&b->kview[j], r);
		*p = b->kview[j].dict_data + b->kview[j].dict_off[c];
		*len = b->kview[j].dict_off[c + 1] - b->kview[j].dict_off[c];
		return;
	}
	kc = &b->cols[b->sc->key_field];
	c = kc->codes[r];
	*p = kc->dict.bytes + kc->dict.off[c];
	*len = kc->dict.off[c + 1] - kc->dict.off[c];
}

void
pdb_batch_row_key(const struct pdb_batch *b, size_t i, const char **p,
    size_t *len)
{
	uint32_t l;

	pdb_batch_key(b, i, p, &l);
	*len = l;
}

struct pdb_batch *
pdb_batch_new(const struct pdb_schema *sc)
{
	struct pdb_batch *b = xcalloc(1, sizeof *b);
	uint16_t f;

	b->sc = schema_clone(sc);
	b->ncols = (uint16_t)(sc->nfields + 1);
	b->cols = xcalloc(b->ncols, sizeof *b->cols);
	b->blobs = xcalloc(b->ncols, sizeof *b->blobs);
	for (f = 0; f < b->ncols; f++)
		pdb_bcol_init(&b->cols[f], f == sc->nfields ? PDB_KIND_BUCKET :
		    (int)sc->fields[f].type);
	b->nslots = 1024;
	b->slots = xcalloc(b->nslots, sizeof *b->slots);
	b->keep = xcalloc(sc->nfields, sizeof *b->keep);
	b->nkept = xcalloc(sc->nfields + 1, sizeof *b->nkept);
	return b;
}

/* Drops the tail chunk written by pdb_batch_seal. */
static void
pdb_batch_unseal(struct pdb_batch *b)
{
	uint16_t f;

	if (!b->sealed)
		return;
	for (f = 0; f < b->ncols; f++) {
		free(b->blobs[f][b->nblobs].data);
		b->blobs[f][b->nblobs].data = NULL;
	}
	b->sealed = 0;
}

/* Writes the builders out as blobs[.][nblobs]; full chunks are kept. */
static void
pdb_batch_emit(struct pdb_batch *b)
{
	struct pdb_bblob *bl;
	struct col_chunk c;
	uint16_t f;

	if (b->nblobs + 1 >= b->blobcap) {
		b->blobcap = b->blobcap == 0 ? 64 : b->blobcap * 2;
		for (f = 0; f < b->ncols; f++)
			b->blobs[f] = xreallocarray(b->blobs[f], b->blobcap,
			    sizeof **b->blobs);
		b->kview = xreallocarray(b->kview, b->blobcap,
		    sizeof *b->kview);
	}
	for (f = 0; f < b->ncols; f++) {
		bl = &b->blobs[f][b->nblobs];
		bl->size = pdb_bcol_size(&b->cols[f]);
		bl->data = xmalloc(bl->size);
		pdb_bcol_write(&b->cols[f], bl->data);
	}
	bl = &b->blobs[b->sc->key_field][b->nblobs];
	memset(&c, 0, sizeof c);
	if (pdb_parse(bl->data, bl->size, FT_STRING, &c, NULL, 0) != 0)
		abort();
	b->kview[b->nblobs] = c;
}

/* Makes every row available as a blob (idempotent until the next add). */
static void
pdb_batch_seal(struct pdb_batch *b)
{
	if (b->sealed || b->cols[0].nrows == 0)
		return;
	pdb_batch_emit(b);
	b->sealed = 1;
}

void
pdb_batch_free(struct pdb_batch *b)
{
	size_t j, n;
	uint16_t f;

	if (b == NULL)
		return;
	n = b->nblobs + (b->sealed ? 1 : 0);
	for (f = 0; f < b->ncols; f++) {
		for (j = 0; j < n; j++)
			free(b->blobs[f][j].data);
		free(b->blobs[f]);
		pdb_bcol_free(&b->cols[f]);
	}
	free(b->blobs);
	free(b->cols);
	free(b->kview);
	free(b->slots);
	free(b->dup_row);
	free(b->dup_first);
	for (f = 0; f < b->sc->nfields; f++)
		free(b->keep[f]);
	free(b->keep);
	free(b->nkept);
	free(b->runkeys);
	schema_free(b->sc);
	free(b);
}

/* Whether batch row i leaves field f as stored. */
static int
pdb_batch_kept(const struct pdb_batch *b, uint16_t f, size_t i)
{
	return b->keep[f] != NULL && (b->keep[f][i >> 6] >> (i & 63) & 1);
}

static void
pdb_batch_set_keep(struct pdb_batch *b, uint16_t f, size_t i)
{
	size_t need = i / 64 + 1, cap, g;

	if (need > b->keepcap) {
		for (cap = b->keepcap ? b->keepcap : 64; cap < need; cap *= 2)
			;
		for (g = 0; g < b->sc->nfields; g++) {
			if (b->keep[g] == NULL)
				continue;
			b->keep[g] = xreallocarray(b->keep[g], cap,
			    sizeof **b->keep);
			memset(b->keep[g] + b->keepcap, 0,
			    (cap - b->keepcap) * sizeof **b->keep);
		}
		b->keepcap = cap;
	}
	if (b->keep[f] == NULL)
		b->keep[f] = xcalloc(b->keepcap, sizeof **b->keep);
	b->keep[f][i >> 6] |= (uint64_t)1 << (i & 63);
	b->nkept[f]++;
}

size_t
pdb_batch_rows(const struct pdb_batch *b)
{
	return b->nrows;
}

static void
pdb_batch_rehash(struct pdb_batch *b)
{
	uint64_t *old = b->slots;
	size_t on = b->nslots, i, s, mask;

	b->nslots *= 2;
	b->slots = xcalloc(b->nslots, sizeof *b->slots);
	mask = b->nslots - 1;
	for (i = 0; i < on; i++) {
		if (old[i] == 0)
			continue;
		for (s = (old[i] >> 32) & mask; b->slots[s] != 0;
		    s = (s + 1) & mask)
			;
		b->slots[s] = old[i];
	}
	free(old);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t
pdb_batch_probe(const struct pdb_batch *b, const char *key, size_t len,
    uint32_t h)
{
	size_t s, mask = b->nslots - 1;
	const char *p;
	uint32_t l, row;

	for (s = h & mask; b->slots[s] != 0; s = (s + 1) & mask) {
		if ((uint32_t)(b->slots[s] >> 32) != h)
			continue;
		row = (uint32_t)b->slots[s] - 1;
		pdb_batch_key(b, row, &p, &l);
		if (l == len && memcmp(p, key, len) == 0)
			break;
	}
	return s;
}

void
pdb_batch_prefetch(const struct pdb_batch *b, uint64_t h)
{
	__builtin_prefetch(&b->slots[(uint32_t)h & (b->nslots - 1)]);
}

long
pdb_batch_find(const struct pdb_batch *b, const char *key, size_t len)
{
	size_t s = pdb_batch_probe(b, key, len,
	    (uint32_t)pdb_fast_hash(key, len));

	return b->slots[s] != 0 ? (long)(uint32_t)b->slots[s] - 1 : -1;
}

/*
 * Adds the row; when add_dup is 0 and the key is already in the batch,
 * the row is not added and the earlier row is returned in *first.
 */
static int
pdb_batch_put(struct pdb_batch *b, const struct value *row,
    const uint8_t *named, int add_dup, const uint64_t *hash, size_t *first)
{
	const struct value *k = &row[b->sc->key_field];
	size_t i = b->nrows, s = 0;
	uint64_t h = 0;
	uint16_t f;
	int haskey = k->present && k->u.s.len > 0;

	if (haskey) {
		h = hash != NULL ? *hash : pdb_fast_hash(k->u.s.p, k->u.s.len);
		s = pdb_batch_probe(b, k->u.s.p, k->u.s.len, (uint32_t)h);
		if (b->slots[s] != 0 && !add_dup) {
			*first = (uint32_t)b->slots[s] - 1;
			return 1;
		}
	}
	pdb_batch_unseal(b);
	for (f = 0; f < b->sc->nfields; f++) {
		if (named != NULL && !named[f] && f != b->sc->key_field) {
			pdb_bcol_put(&b->cols[f], &(struct value){ 0 });
			pdb_batch_set_keep(b, f, i);
		} else if (f == b->sc->key_field && haskey &&
		    b->slots[s] == 0 && b->cols[f].kind == FT_STRING)
			/* Not in the batch, so not in its chunk's dictionary. */
			pdb_bcol_put_new_string(&b->cols[f], k->u.s.p,
			    (uint32_t)k->u.s.len, h);
		else
			pdb_bcol_put(&b->cols[f], &row[f]);
	}
	pdb_bcol_put_bucket(&b->cols[b->sc->nfields], haskey &&
	    !b->lazy_buckets ? bucket_of_key(k->u.s.p, k->u.s.len) : 0);
	b->nrows++;
	if (!haskey)
		b->nokey++;
	else if (b->slots[s] != 0) {
		/* A repeated key: the later row wins at apply. */
		if (b->ndup == b->dupcap) {
			b->dupcap = b->dupcap ? b->dupcap * 2 : 64;
			b->dup_row = xreallocarray(b->dup_row, b->dupcap,
			    sizeof *b->dup_row);
			b->dup_first = xreallocarray(b->dup_first, b->dupcap,
			    sizeof *b->dup_first);
		}
		b->dup_row[b->ndup] = (uint32_t)i;
		b->dup_first[b->ndup++] = (uint32_t)b->slots[s] - 1;
	} else {
		b->slots[s] = (uint64_t)(uint32_t)h << 32 | ((uint64_t)i + 1);
		if (b->nrows * 2 > b->nslots)
			pdb_batch_rehash(b);
	}
	if (b->cols[0].nrows == PDB_CHUNK_ROWS) {
		pdb_batch_emit(b);
		b->nblobs++;
		for (f = 0; f < b->ncols; f++)
			pdb_bcol_reset(&b->cols[f]);
	}
	*first = i;
	return 0;
}

size_t
pdb_batch_add(struct pdb_batch *b, const struct value *row)
{
	size_t i;

	pdb_batch_put(b, row, NULL, 1, NULL, &i);
	return i;
}

int
pdb_batch_add_unique(struct pdb_batch *b, const struct value *row,
    const uint8_t *named, uint64_t h, size_t *index)
{
	return pdb_batch_put(b, row, named, 0, &h, index);
}

size_t
pdb_batch_add_named(struct pdb_batch *b, const struct value *row,
    const uint8_t *named)
{
	size_t i;

	pdb_batch_put(b, row, named, 1, NULL, &i);
	return i;
}

/* Batch rows sorted by profile number, for the chunk walk. */
struct pdb_assign {
	uint32_t	pno;
	uint32_t	row;
};

static int
pdb_assign_cmp(const void *a, const void *b)
{
	const struct pdb_assign *x = a, *y = b;

	if (x->pno != y->pno)
		return x->pno < y->pno ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Chunks read between two store_release_pages. */
#define PDB_RELEASE_CHUNKS	8

/* Keys written between two store_release_pages. */
#define PDB_RELEASE_KEYS	768

/* pre: the key's bytes from at on, zero-padded. */
static inline void
pdb_keyref_window(struct pdb_keyref *k, size_t at)
{
	size_t n = k->len > at ? k->len - at : 0;

	memset(k->pre, 0, sizeof k->pre);
	memcpy(k->pre, k->p + at, n < PDB_KEYPRE ? n : PDB_KEYPRE);
}

void
pdb_keyref_set(struct pdb_keyref *k, const char *p, uint32_t len,
    uint32_t pno)
{
	k->p = p;
	k->len = len;
	k->pno = pno;
	pdb_keyref_window(k, 0);
}

/*
 * LMDB's order (bytewise, then the shorter first) of two keys whose
 * first `from` bytes are the same and whose windows start at base: the
 * key bytes are read only past the window.  Zero padding compares equal
 * to zero bytes, and then the shorter key is the first, as it is.
 */
static int
pdb_keyref_cmp(const struct pdb_keyref *x, const struct pdb_keyref *y,
    size_t base, size_t from)
{
	size_t end = base + PDB_KEYPRE, n;
	int d;

	if ((d = memcmp(x->pre + (from - base), y->pre + (from - base),
	    end - from)) != 0)
		return d;
	if (x->len > end && y->len > end) {
		n = (x->len < y->len ? x->len : y->len) - end;
		if ((d = memcmp(x->p + end, y->p + end, n)) != 0)
			return d;
	}
	return (x->len > y->len) - (x->len < y->len);
}

/*
 * How many bytes from depth on every key of k[0..n) has and shares, up
 * to the window's end.
 */
static size_t
pdb_keyref_common(const struct pdb_keyref *k, size_t n, size_t depth,
    size_t base)
{
	size_t i, j, at = depth - base, common = PDB_KEYPRE - at;

	for (i = 0; i < n && common > 0; i++) {
		if (k[i].len - depth < common)
			common = k[i].len > depth ? k[i].len - depth : 0;
		for (j = 0; j < common && k[i].pre[at + j] == k[0].pre[at + j];
		    j++)
			;
		common = j;
	}
	return common;
}

/*
 * Sorts keys in LMDB's order: a most-significant-byte radix sort on a
 * window of 16 bytes copied from each key (no pointer chasing), the
 * next 16 bytes copied in when the window is used up (e-mail addresses
 * of one name share their first 16 bytes), the bytes all keys share
 * skipped at once.  The keys share their first depth bytes; bucket 0
 * holds those that end there.
 */
static void
pdb_keysort(struct pdb_keyref *k, size_t n, size_t depth, size_t base,
    struct pdb_keyref *tmp)
{
	size_t count[257], pos[257], i, b, skip;
	struct pdb_keyref x;

	if (n < 24) {
		for (i = 1; i < n; i++) {
			x = k[i];
			for (b = i; b > 0 && pdb_keyref_cmp(&k[b - 1], &x,
			    base, depth) > 0; b--)
				k[b] = k[b - 1];
			k[b] = x;
		}
		return;
	}
	do {
		if (depth - base == PDB_KEYPRE) {
			for (i = 0; i < n; i++)
				pdb_keyref_window(&k[i], depth);
			base = depth;
		}
		skip = pdb_keyref_common(k, n, depth, base);
		depth += skip;
	} while (skip > 0);
	memset(count, 0, sizeof count);
	for (i = 0; i < n; i++)
		count[k[i].len > depth ? k[i].pre[depth - base] + 1 : 0]++;
	for (b = 0, i = 0; b < 257; b++) {
		pos[b] = i;
		i += count[b];
	}
	for (i = 0; i < n; i++)
		tmp[pos[k[i].len > depth ? k[i].pre[depth - base] + 1 : 0]++] =
		    k[i];
	memcpy(k, tmp, n * sizeof *k);
	for (b = 1, i = count[0]; b < 257; i += count[b++]) {
		if (count[b] > 1)
			pdb_keysort(k + i, count[b], depth + 1, base, tmp);
	}
}

void
pdb_keyrefs_sort(struct pdb_keyref *keys, size_t n)
{
	struct pdb_keyref *tmp = xreallocarray(NULL, n + 1, sizeof *tmp);

	pdb_keysort(keys, n, 0, 0, tmp);
	free(tmp);
}

int
pdb_put_key(struct store_cursor *cur, uint32_t dbid,
    const struct pdb_keyref *key, uint8_t **k, size_t *cap, int append,
    char **cause)
{
	uint8_t val[4];

	if (key->len + 4 > *cap) {
		*cap = key->len + 64;
		*k = xrealloc(*k, *cap);
	}
	store_be32(*k, dbid);
	memcpy(*k + 4, key->p, key->len);
	store_be32(val, key->pno);
	return store_cursor_put(cur, *k, key->len + 4, val, 4, append, cause);
}

/*
 * The key put i-th: ascending before split (the keys appended), from
 * the last down after it.
 */
static inline size_t
pdb_put_order(size_t i, size_t split, size_t n)
{
	return i < split ? i : n - 1 - (i - split);
}

static int
pdb_put_keys(struct store_txn *t, uint32_t dbid, struct pdb_keyref *keys,
    size_t n, char **cause)
{
	struct store_cursor *cur;
	uint8_t *k = NULL;
	size_t cap = 0, i, at, split = n;	/* split: the first not appended */
	int rc = 0;

	/* Sorted keys fill the B-tree page by page instead of at random. */
	pdb_keyrefs_sort(keys, n);
	/*
	 * Through one cursor: a key that falls in the leaf the one before
	 * went to is put there without a search from the root (importing
	 * 10 million keys, the reading thread's waits for the staging one
	 * fell from 1.9-2.0 s to 1.4-1.6 s in all).  The keys that cannot
	 * be appended are put in descending order: LMDB's page splits then
	 * leave the index's leaves fuller (measured, 10,000,000 demo
	 * profiles: a store of 1,544 MiB instead of 1,706, and a tenth
	 * less CPU time).
	 */
	if ((cur = store_cursor_open(t, STORE_KEYS, NULL, 0, cause)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		at = pdb_put_order(i, split, n);
		/* The key bytes are scattered over the batch: fetch ahead. */
		if (i + 8 < n)
			__builtin_prefetch(keys[pdb_put_order(i + 8, split,
			    n)].p);
		/*
		 * Each leaf page read maps its neighbours too: let them go
		 * now and then, or a big batch maps the whole index.
		 */
		if (i % PDB_RELEASE_KEYS == PDB_RELEASE_KEYS - 1)
			store_release_pages(store_txn_store(t));
		rc = pdb_put_key(cur, dbid, &keys[at], &k, &cap, i < split,
		    cause);
		if (rc == 1) {
			/*
			 * Appending holds until a key sorts before a stored
			 * one; the rest go in from the last down.
			 */
			split = i;
			rc = pdb_put_key(cur, dbid, &keys[n - 1], &k, &cap, 0,
			    cause);
		}
	}
	store_cursor_close(cur);
	free(k);
	return rc == 0 ? 0 : -1;
}

/* The parsed blob of one column of batch chunk j. */
static void
pdb_batch_view(const struct pdb_batch *b, uint16_t col, size_t j,
    struct col_chunk *c)
{
	const struct pdb_bblob *bl = &b->blobs[col][j];

	memset(c, 0, sizeof *c);
	if (pdb_parse(bl->data, bl->size, b->cols[col].kind, c, NULL,
	    0) != 0)
		abort();
}

/*
 * Fast path: the batch holds only new keys, none twice, and starts a
 * chunk, so batch chunk j is stored chunk first + j as it is.
 */
static int
pdb_write_blobs(struct store_txn *t, const struct pdb_schema *sc,
    const struct pdb_batch *b, uint32_t first, char **cause)
{
	size_t j, n = b->nblobs + (b->sealed ? 1 : 0);
	uint16_t col;
	uint8_t key[10], *dst;

	for (col = 0; col < b->ncols; col++) {
		for (j = 0; j < n; j++) {
			pdb_col_key(key, sc->id, col == sc->nfields ?
			    PDB_COL_BUCKET : col, first + (uint32_t)j);
			if ((dst = store_reserve(t, STORE_COLS, key, sizeof key,
			    b->blobs[col][j].size, cause)) == NULL)
				return -1;
			memcpy(dst, b->blobs[col][j].data, b->blobs[col][j].size);
		}
	}
	return 0;
}

/* Room for the rows of one chunk a patch changes. */
struct pdb_patchbuf {
	uint32_t	*rows;
	struct value	*vals;
	struct col_chunk c;
	struct arena	 a;
};

/*
 * Changed rows pb->rows[0..n) of a stored chunk (pb->c, its overlay
 * merged): put in the chunk's overlay with those it holds while it stays
 * small, else the chunk is written again with all of them (which drops
 * the overlay).  A small upsert then writes a few bytes beside each chunk
 * it touches instead of the chunk (doc/storage.md, "Overlays").
 */
static int
pdb_overlay_update(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t ch, struct pdb_patchbuf *pb, size_t n,
    char **cause)
{
	int kind = (int)sc->fields[field].type, rc;
	struct pdb_overlay ov;
	uint32_t mrows[PDB_OVERLAY_ROWS];
	struct value mvals[PDB_OVERLAY_ROWS];
	uint8_t key[PDB_OVERLAY_KEY], *buf;
	char why[PDB_WHY];
	const void *val;
	size_t vlen, m, size;

	if (pb->c.missing || !pdb_overlayable(kind) || n > PDB_OVERLAY_ROWS)
		goto whole;
	pdb_overlay_key(key, sc->id, field, ch);
	ov.n = 0;
	if ((rc = store_get(t, STORE_COLS, key, sizeof key, &val, &vlen,
	    cause)) < 0)
		return -1;
	/* pdb_chunk_copy merged it already, so it parsed then. */
	if (rc == 0 && pdb_overlay_parse(val, vlen, kind, pb->c.nrows, &ov,
	    why, sizeof why) != 0)
		return pdb_damaged(sc, field, ch, why, cause);
	if (ov.n + n > PDB_OVERLAY_ROWS)
		goto whole;
	m = pdb_overlay_merge(&ov, pb->rows, pb->vals, n, mrows, mvals);
	if ((size = pdb_overlay_size(kind, mvals, m)) > PDB_OVERLAY_BYTES)
		goto whole;
	/* Written apart: its strings may be in the page the put changes. */
	buf = xmalloc(size);
	pdb_overlay_write(kind, mrows, mvals, m, buf);
	rc = store_put(t, STORE_COLS, key, sizeof key, buf, size, cause);
	free(buf);
	return rc;
whole:
	return pdb_patch(t, &pb->c, kind, sc->id, field, ch, pb->rows,
	    pb->vals, n, cause) == 0 ? 0 : -1;
}

/*
 * A chunk of stored rows only, in a column some batch row names: the
 * rows whose value differs from the stored one are patched in
 * (pdb_patch) and the others copied as they are, without decoding the
 * chunk; a chunk none of whose rows changes (or any, when dry: the
 * comparison alone) is not written.  1 when the
 * chunk must be decoded and encoded whole instead (tags, many strings).
 */
static int
pdb_patch_chunk(struct store_txn *t, const struct pdb_schema *old,
    const struct pdb_batch *b, uint16_t field, uint32_t ch,
    const struct pdb_assign *assign, size_t lo, size_t hi,
    const struct value *bvals, uint8_t *changed, struct pdb_patchbuf *pb,
    int dry, char **cause)
{
	enum field_type type = old->fields[field].type;
	const struct value *cur;
	struct value ov;
	size_t i, n = 0;
	uint32_t r, row;

	if (!pdb_patchable((int)type, hi - lo))
		return 1;
	arena_reset(&pb->a);
	/* A comparison reads only the rows named: no plain copy. */
	if ((dry ? pdb_chunk_packed : pdb_chunk_copy)(t, old, field, ch,
	    &pb->c, cause) != 0)
		return -1;
	for (i = lo; i < hi; i++) {
		row = assign[i].row;
		if (pdb_batch_kept(b, field, row))
			continue;
		r = assign[i].pno % PDB_CHUNK_ROWS;
		/* A repeated key compares with the row it repeats. */
		if (n > 0 && pb->rows[n - 1] == r)
			cur = &pb->vals[n - 1];
		else {
			pdb_chunk_row(&pb->c, r, &ov, &pb->a);
			cur = &ov;
		}
		if (value_equal(type, cur, &bvals[row]))
			continue;
		changed[row] = 1;
		if (n == 0 || pb->rows[n - 1] != r)
			pb->rows[n++] = r;
		pb->vals[n - 1] = bvals[row];
	}
	if (n == 0 || dry)
		return 0;
	return pdb_overlay_update(t, old, field, ch, pb, n, cause);
}

/*
 * General path, column by column.  A column no batch row names is left
 * alone, but for the chunks of new rows.  In the others the batch's
 * values of the column are decoded; a chunk of stored rows only is
 * patched (pdb_patch_chunk), a chunk that gains rows (or of tags) is
 * decoded, overlaid and written whole.  assign[] is sorted by profile
 * number; nnew rows are new; changed[row] says whether an existing row
 * differed.
 */
static int
pdb_write_chunks(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t oldn, const struct pdb_batch *b, const struct pdb_assign *assign,
    size_t nassign, size_t nnew, uint8_t *changed, int dry, char **cause)
{
	struct value *vals, *bvals = NULL;
	uint16_t *buckets, *bbuckets = NULL;
	struct col_chunk c, bc;
	struct pdb_bcol enc;
	struct pdb_patchbuf pb;
	struct pdb_schema old = *sc;
	struct arena a = ARENA_INIT, ba = ARENA_INIT;
	size_t lo, hi, i, j, nb = b->nblobs + (b->sealed ? 1 : 0), nread = 0;
	uint32_t ch, nrows, r, nf = sc->nfields;
	int rc = 0, col, dirty, named;

	old.nprofiles = oldn;
	vals = xcalloc(PDB_CHUNK_ROWS, sizeof *vals);
	buckets = xcalloc(PDB_CHUNK_ROWS, sizeof *buckets);
	memset(&c, 0, sizeof c);
	memset(&enc, 0, sizeof enc);
	memset(&pb, 0, sizeof pb);
	pb.rows = xmalloc((nassign + 1) * sizeof *pb.rows);
	pb.vals = xmalloc((nassign + 1) * sizeof *pb.vals);
	pb.a = (struct arena)ARENA_INIT;
	for (col = 0; col <= (int)nf && rc == 0; col++) {
		uint16_t field = col == (int)nf ? PDB_COL_BUCKET :
		    (uint16_t)col;

		/*
		 * A stored row keeps its key (it was found by it) and so its
		 * range bucket; a field no row names stays as stored.
		 */
		named = col < (int)nf && field != sc->key_field &&
		    b->nkept[field] < b->nrows;
		if (!named && nnew == 0)
			continue;
		pdb_bcol_free(&enc);
		pdb_bcol_init(&enc, pdb_kind(sc, field));
		arena_reset(&ba);
		if (field == PDB_COL_BUCKET)
			bbuckets = xreallocarray(bbuckets, b->nrows + 1,
			    sizeof *bbuckets);
		else
			bvals = xreallocarray(bvals, b->nrows + 1,
			    sizeof *bvals);
		for (j = 0; j < nb; j++) {
			pdb_batch_view(b, (uint16_t)col, j, &bc);
			if (field == PDB_COL_BUCKET) {
				memcpy(bbuckets + j * PDB_CHUNK_ROWS, bc.u16,
				    2 * (size_t)bc.nrows);
				continue;
			}
			pdb_chunk_values(&bc, &bvals[j * PDB_CHUNK_ROWS], &ba);
		}
		for (lo = 0; lo < nassign && rc == 0; lo = hi) {
			ch = assign[lo].pno / PDB_CHUNK_ROWS;
			for (hi = lo; hi < nassign &&
			    assign[hi].pno / PDB_CHUNK_ROWS == ch; hi++)
				;
			/*
			 * A chunk read maps its neighbours' pages too (some
			 * 300 KiB each here): 2,400 chunks of an update of
			 * 1,000 random rows mapped 150 MiB between two
			 * releases a column.
			 */
			if (++nread % PDB_RELEASE_CHUNKS == 0)
				store_release_pages(store_txn_store(t));
			if (assign[hi - 1].pno < oldn) {
				if (!named)
					continue;
				rc = pdb_patch_chunk(t, &old, b, field, ch,
				    assign, lo, hi, bvals, changed, &pb, dry,
				    cause);
				if (rc <= 0)
					continue;
				rc = 0;
			}
			nrows = sc->nprofiles - ch * PDB_CHUNK_ROWS;
			if (nrows > PDB_CHUNK_ROWS)
				nrows = PDB_CHUNK_ROWS;
			arena_reset(&a);
			memset(vals, 0, PDB_CHUNK_ROWS * sizeof *vals);
			if ((uint64_t)ch * PDB_CHUNK_ROWS < oldn &&
			    pdb_decode_all(t, sc, oldn, field, ch, &c, vals,
			    buckets, &a, cause) != 0) {
				rc = -1;
				break;
			}
			/* A chunk whose rows all stay as stored is not rewritten. */
			dirty = 0;
			for (i = lo; i < hi; i++) {
				r = assign[i].pno % PDB_CHUNK_ROWS;
				if (assign[i].pno >= oldn)
					dirty = 1;
				if (field == PDB_COL_BUCKET) {
					buckets[r] = bbuckets[assign[i].row];
					continue;
				}
				/* Not named: stored (or empty) as it is. */
				if (pdb_batch_kept(b, field, assign[i].row))
					continue;
				if (assign[i].pno < oldn &&
				    !value_equal(sc->fields[field].type,
				    &vals[r], &bvals[assign[i].row]))
					changed[assign[i].row] = dirty = 1;
				vals[r] = bvals[assign[i].row];
			}
			if (dirty && !dry)
				rc = pdb_encode(t, &enc, sc->id, field, ch,
				    nrows, vals, buckets, cause);
		}
		/* The column's stored chunks were read through the map. */
		store_release_pages(store_txn_store(t));
	}
	pdb_chunk_release(&c);
	pdb_chunk_release(&pb.c);
	pdb_bcol_free(&enc);
	free(vals);
	free(bvals);
	free(buckets);
	free(bbuckets);
	free(pb.rows);
	free(pb.vals);
	arena_free(&a);
	arena_free(&ba);
	arena_free(&pb.a);
	return rc;
}

/* Key lookups between two store_release_pages. */
#define PDB_RELEASE_EVERY	256

/*
 * Pass 1 of an apply: the profile number of every batch row.  Known keys
 * are looked up (*nold counts them); new ones are numbered from
 * sc->nprofiles on and listed in newkeys[*nnew]; a repeated key updates
 * the row it repeats (dup[i] = 1).
 */
static int
pdb_batch_number(struct store_txn *t, struct pdb_schema *sc,
    const struct pdb_batch *b, uint32_t oldn, uint32_t *pnos, uint8_t *dup,
    struct pdb_keyref *newkeys, size_t *nnew, size_t *nold, char **cause)
{
	size_t i, d, looked = 0;
	uint32_t pno, len;
	const char *p;
	int found;

	for (i = 0, d = 0; i < b->nrows; i++) {
		if (d < b->ndup && b->dup_row[d] == i) {
			/* A repeated key updates the row it repeats. */
			pnos[i] = pnos[b->dup_first[d++]];
			dup[i] = 1;
			continue;
		}
		pdb_batch_key(b, i, &p, &len);
		found = 1;
		if (oldn > 0 && !b->allnew) {
			found = pdb_lookup(t, sc, p, len, &pno, cause);
			if (found < 0)
				return -1;
			/*
			 * Each lookup at a random key maps a leaf page of the
			 * key index and the kernel maps its neighbours too:
			 * 1,000 lookups would add 80 MB of page cache to the
			 * resident set.
			 */
			if (++looked % PDB_RELEASE_EVERY == 0)
				store_release_pages(store_txn_store(t));
		}
		if (found == 0) {
			pnos[i] = pno;
			(*nold)++;
			continue;
		}
		if (sc->nprofiles == UINT32_MAX)
			return error_set(cause, _("profile database '%s' is "
			    "full"), sc->name);
		pnos[i] = sc->nprofiles++;
		pdb_keyref_set(&newkeys[(*nnew)++], p, len, pnos[i]);
	}
	return 0;
}

void
pdb_batch_set_new(struct pdb_batch *b)
{
	b->allnew = 1;
}

uint64_t
pdb_key_hash(const char *key, size_t len)
{
	return pdb_fast_hash(key, len);
}

int
pdb_batch_apply(struct store_txn *t, const char *dbname, struct pdb_batch *b,
    struct pdb_upsert_stats *stats, char **cause)
{
	return pdb_batch_apply_touched(t, dbname, b, stats, NULL, cause);
}

/* Computes the range buckets a sealed batch's rows were added without. */
static void
pdb_batch_fill_buckets(struct pdb_batch *b)
{
	struct pdb_bblob *bl;
	struct col_chunk kc, bc;
	const char *p;
	uint32_t len;
	uint16_t v;
	size_t j, n, r;

	if (!b->lazy_buckets)
		return;
	n = b->nblobs + (b->sealed ? 1 : 0);
	for (j = 0; j < n; j++) {
		kc = b->kview[j];
		bl = &b->blobs[b->sc->nfields][j];
		memset(&bc, 0, sizeof bc);
		if (pdb_parse(bl->data, bl->size, PDB_KIND_BUCKET, &bc, NULL,
		    0) != 0 || bc.u16 == NULL || bc.nrows != kc.nrows)
			abort();	/* written by pdb_bcol_write just now */
		for (r = 0; r < bc.nrows; r++) {
			if (!col_present(&kc, (uint32_t)r))
				continue;
			pdb_batch_key(b, j * PDB_CHUNK_ROWS + r, &p, &len);
			if (len == 0)
				continue;
			v = bucket_of_key(p, len);
			/* The blob is the batch's own, parsed in place. */
			memcpy((uint8_t *)bc.u16 + 2 * r, &v, 2);
		}
	}
	b->lazy_buckets = 0;
}

/*
 * The batch's rows into sc's database: numbered, written, their new keys
 * indexed; the schema record with the new count unless staging (sc's
 * nprofiles is then where the staged profiles end).
 */
static int
pdb_batch_write(struct store_txn *t, struct pdb_schema *sc,
    struct pdb_batch *b, struct pdb_upsert_stats *stats,
    roaring_bitmap_t *touched, int staging, char **cause)
{
	struct pdb_assign *assign = NULL;
	struct pdb_keyref *newkeys = NULL;
	uint8_t *changed = NULL, *dup = NULL;
	size_t i, nnew = 0, nold = 0;
	uint32_t oldn, *pnos = NULL;
	int rc = -1;

	if (sc->nfields != b->sc->nfields || sc->id != b->sc->id) {
		error_set(cause, _("profile database '%s' changed while the "
		    "import was read"), sc->name);
		goto out;
	}
	if (b->nokey > 0) {
		error_set(cause, _("profile database '%s': a row has no "
		    "value for the key field '%s'"), sc->name,
		    sc->fields[sc->key_field].name);
		goto out;
	}
	if (b->nrows == 0) {
		rc = 0;
		goto out;
	}
	pdb_batch_seal(b);
	pdb_batch_fill_buckets(b);
	oldn = sc->nprofiles;
	pnos = xmalloc((b->nrows + 1) * sizeof *pnos);
	dup = xcalloc(b->nrows + 1, 1);
	newkeys = xmalloc((b->nrows + 1) * sizeof *newkeys);

	if (pdb_batch_number(t, sc, b, oldn, pnos, dup, newkeys, &nnew, &nold,
	    cause) != 0)
		goto out;

	changed = xcalloc(b->nrows + 1, 1);
	if (nold == 0 && b->ndup == 0 && oldn % PDB_CHUNK_ROWS == 0) {
		if (pdb_write_blobs(t, sc, b, oldn / PDB_CHUNK_ROWS,
		    cause) != 0)
			goto out;
	} else {
		/* Rows ordered by profile number (a later duplicate wins). */
		assign = xmalloc((b->nrows + 1) * sizeof *assign);
		for (i = 0; i < b->nrows; i++) {
			assign[i].pno = pnos[i];
			assign[i].row = (uint32_t)i;
		}
		qsort(assign, b->nrows, sizeof *assign, pdb_assign_cmp);
		if (pdb_write_chunks(t, sc, oldn, b, assign, b->nrows, nnew,
		    changed, 0, cause) != 0)
			goto out;
	}
	if (b->to_runs) {
		/* A second run of the transaction sorts them again. */
		pdb_keyrefs_sort(newkeys, nnew);
		free(b->runkeys);
		b->runkeys = newkeys;
		b->nrunkeys = nnew;
		newkeys = NULL;
	} else if (pdb_put_keys(t, sc->id, newkeys, nnew, cause) != 0)
		goto out;
	if (touched != NULL)
		roaring_bitmap_add_many(touched, b->nrows, pnos);
	if (!staging && sc->nprofiles != oldn &&
	    pdb_put_schema(t, sc, cause) != 0)
		goto out;
	for (i = 0; i < b->nrows; i++) {
		if (dup[i])
			continue;
		if (pnos[i] >= oldn)
			stats->inserted++;
		else if (changed[i])
			stats->updated++;
		else
			stats->unchanged++;
	}
	rc = 0;
out:
	free(pnos);
	free(dup);
	free(changed);
	free(newkeys);
	free(assign);
	return rc;
}

int
pdb_batch_apply_touched(struct store_txn *t, const char *dbname,
    struct pdb_batch *b, struct pdb_upsert_stats *stats,
    roaring_bitmap_t *touched, char **cause)
{
	struct pdb_schema *sc = NULL;
	int rc;

	memset(stats, 0, sizeof *stats);
	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	/* Numbers an import has staged are not free. */
	rc = pdb_check_idle(t, sc, cause) != 0 ? -1 :
	    pdb_batch_write(t, sc, b, stats, touched, 0, cause);
	schema_free(sc);
	return rc;
}

void
pdb_batch_finish(struct pdb_batch *b)
{
	pdb_batch_seal(b);
}

void
pdb_batch_defer_buckets(struct pdb_batch *b)
{
	if (b->nrows == 0)
		b->lazy_buckets = 1;
}

int
pdb_batch_stage(struct store_txn *t, const struct pdb_schema *sc,
    struct pdb_batch *b, uint32_t first, int to_runs, char **cause)
{
	struct pdb_upsert_stats st;
	struct pdb_schema *at = schema_clone(sc);
	int rc;

	/* The staged profiles so far are the database, for the writing. */
	at->nprofiles = first;
	b->allnew = 1;
	b->to_runs = to_runs;
	rc = pdb_batch_write(t, at, b, &st, NULL, 1, cause);
	schema_free(at);
	return rc;
}

int
pdb_batch_write_run(struct pdb_batch *b, struct pdb_keyruns *kr,
    struct pdb_keyrun **run, char **cause)
{
	int rc;

	*run = NULL;
	if (b->nrunkeys == 0)
		return 0;
	rc = pdb_keyruns_write(kr, b->runkeys, b->nrunkeys, run, cause);
	free(b->runkeys);
	b->runkeys = NULL;
	b->nrunkeys = 0;
	return rc;
}

int
pdb_batch_compare(struct store_txn *t, const struct pdb_schema *sc,
    struct pdb_batch *b, const uint32_t *pnos, uint8_t *changed,
    char **cause)
{
	struct pdb_assign *assign;
	size_t i, n;
	int rc;

	memset(changed, 0, b->nrows);
	if (b->nrows == 0)
		return 0;
	pdb_batch_seal(b);
	assign = xmalloc(b->nrows * sizeof *assign);
	for (i = 0, n = 0; i < b->nrows; i++) {
		if (pnos[i] >= sc->nprofiles)
			continue;
		assign[n].pno = pnos[i];
		assign[n++].row = (uint32_t)i;
	}
	qsort(assign, n, sizeof *assign, pdb_assign_cmp);
	rc = n == 0 ? 0 : pdb_write_chunks(t, sc, sc->nprofiles, b, assign, n,
	    0, changed, 1, cause);
	free(assign);
	return rc;
}

void
pdb_batch_take(struct pdb_batch *dst, struct pdb_batch *src,
    const uint32_t *rows, size_t n)
{
	struct value *vals, *row;
	struct col_chunk c;
	struct arena a = ARENA_INIT;
	uint8_t *named;
	uint16_t f, nf = src->sc->nfields;
	size_t i, j, r;

	if (n == 0)
		return;
	pdb_batch_seal(src);
	vals = xcalloc((size_t)nf * PDB_CHUNK_ROWS, sizeof *vals);
	row = xcalloc(nf, sizeof *row);
	named = xcalloc(nf, 1);
	/* Chunk by chunk of the batch: its rows decoded, those taken added. */
	for (i = 0; i < n; ) {
		j = rows[i] / PDB_CHUNK_ROWS;
		arena_reset(&a);
		for (f = 0; f < nf; f++) {
			pdb_batch_view(src, f, j, &c);
			pdb_chunk_values(&c, vals + (size_t)f * PDB_CHUNK_ROWS,
			    &a);
		}
		for (; i < n && rows[i] / PDB_CHUNK_ROWS == j; i++) {
			r = rows[i] % PDB_CHUNK_ROWS;
			for (f = 0; f < nf; f++) {
				row[f] = vals[(size_t)f * PDB_CHUNK_ROWS + r];
				named[f] = !pdb_batch_kept(src, f, rows[i]);
			}
			pdb_batch_add_named(dst, row, named);
		}
	}
	free(vals);
	free(row);
	free(named);
	arena_free(&a);
}

/* ------------------------------------------------------------------ */
/* Bulk edit. */

int
pdb_set_field(struct store_txn *t, const char *dbname, uint16_t field,
    const struct value *v, const roaring_bitmap_t *pnos, uint64_t *changed,
    char **cause)
{
	struct pdb_schema *sc = NULL;
	struct value *vals = NULL;
	struct col_chunk c;
	struct pdb_bcol enc;
	struct arena a = ARENA_INIT;
	roaring_uint32_iterator_t it;
	uint32_t ch, r, nrows;
	int rc = -1, dirty;

	*changed = 0;
	memset(&c, 0, sizeof c);
	memset(&enc, 0, sizeof enc);
	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	if (pdb_check_idle(t, sc, cause) != 0)
		goto out;
	if (field >= sc->nfields) {
		error_set(cause, _("profile database '%s' has no field %u"),
		    dbname, field);
		goto out;
	}
	if (field == sc->key_field) {
		error_set(cause, _("profile database '%s': the key field '%s' "
		    "cannot be set for many profiles at once"), dbname,
		    sc->fields[field].name);
		goto out;
	}
	vals = xcalloc(PDB_CHUNK_ROWS, sizeof *vals);
	pdb_bcol_init(&enc, (int)sc->fields[field].type);
	roaring_init_iterator(pnos, &it);
	while (it.has_value && it.current_value < sc->nprofiles) {
		ch = it.current_value / PDB_CHUNK_ROWS;
		arena_reset(&a);
		if (pdb_decode_all(t, sc, sc->nprofiles, field, ch, &c, vals,
		    NULL, &a, cause) != 0)
			goto out;
		nrows = c.nrows;
		dirty = 0;
		while (it.has_value &&
		    it.current_value / PDB_CHUNK_ROWS == ch) {
			r = it.current_value % PDB_CHUNK_ROWS;
			if (r < nrows && !value_equal(sc->fields[field].type,
			    &vals[r], v)) {
				vals[r] = *v;
				(*changed)++;
				dirty = 1;
			}
			roaring_advance_uint32_iterator(&it);
		}
		if (dirty && pdb_encode(t, &enc, sc->id, field, ch, nrows,
		    vals, NULL, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	pdb_chunk_release(&c);
	pdb_bcol_free(&enc);
	free(vals);
	arena_free(&a);
	schema_free(sc);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Deletion (right to erasure). */

/* Removes a key from the key index. */
static int
pdb_unindex(struct store_txn *t, const struct pdb_schema *sc,
    const struct value *key, char **cause)
{
	uint8_t *k;
	int rc;

	k = xmalloc((size_t)key->u.s.len + 4);
	store_be32(k, sc->id);
	memcpy(k + 4, key->u.s.p, key->u.s.len);
	rc = store_del(t, STORE_KEYS, k, (size_t)key->u.s.len + 4, cause);
	free(k);
	return rc;
}

/* Clears the rows of pnos in every chunk of one field that holds any. */
static int
pdb_clear_field(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, const roaring_bitmap_t *pnos, struct value *vals,
    struct pdb_bcol *enc, struct col_chunk *c, struct arena *a,
    char **cause)
{
	roaring_uint32_iterator_t it;
	uint32_t ch, r, nrows;
	int dirty;

	roaring_init_iterator(pnos, &it);
	while (it.has_value) {
		ch = it.current_value / PDB_CHUNK_ROWS;
		arena_reset(a);
		if (pdb_chunk(t, sc, field, ch, c, cause) != 0)
			return -1;
		pdb_chunk_values(c, vals, a);
		nrows = c->nrows;
		dirty = 0;
		while (it.has_value &&
		    it.current_value / PDB_CHUNK_ROWS == ch) {
			r = it.current_value % PDB_CHUNK_ROWS;
			if (r < nrows && vals[r].present) {
				if (field == sc->key_field &&
				    pdb_unindex(t, sc, &vals[r], cause) != 0)
					return -1;
				memset(&vals[r], 0, sizeof vals[r]);
				dirty = 1;
			}
			roaring_advance_uint32_iterator(&it);
		}
		if (dirty && pdb_encode(t, enc, sc->id, field, ch, nrows, vals,
		    NULL, cause) != 0)
			return -1;
	}
	return 0;
}

int
pdb_delete_txn(struct store_txn *t, const char *dbname,
    const roaring_bitmap_t *pnos, char **cause)
{
	struct pdb_schema *sc = NULL;
	struct value *vals = NULL;
	struct col_chunk c;
	struct pdb_bcol enc;
	struct arena a = ARENA_INIT;
	roaring_bitmap_t *dead = NULL;
	char mark[32], *buf = NULL;
	size_t size;
	uint16_t f;
	int rc = -1;

	memset(&c, 0, sizeof c);
	memset(&enc, 0, sizeof enc);
	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	if (pdb_check_idle(t, sc, cause) != 0)
		goto out;
	if (roaring_bitmap_is_empty(pnos)) {
		rc = 0;
		goto out;
	}
	if (pdb_deleted(t, sc, &dead, cause) != 0)
		goto out;
	if (roaring_bitmap_maximum(pnos) >= sc->nprofiles ||
	    roaring_bitmap_intersect(dead, pnos)) {
		error_set(cause, _("profile database '%s': a profile to delete "
		    "does not exist"), dbname);
		goto out;
	}
	vals = xcalloc(PDB_CHUNK_ROWS, sizeof *vals);
	for (f = 0; f < sc->nfields; f++) {
		pdb_bcol_init(&enc, (int)sc->fields[f].type);
		rc = pdb_clear_field(t, sc, f, pnos, vals, &enc, &c, &a, cause);
		pdb_bcol_free(&enc);
		memset(&enc, 0, sizeof enc);
		if (rc != 0)
			goto out;
	}
	rc = -1;
	roaring_bitmap_or_inplace(dead, pnos);
	roaring_bitmap_run_optimize(dead);
	size = roaring_bitmap_portable_size_in_bytes(dead);
	buf = xmalloc(size);
	roaring_bitmap_portable_serialize(dead, buf);
	pdb_deleted_key(mark, sizeof mark, sc->id);
	sc->ndeleted = (uint32_t)roaring_bitmap_get_cardinality(dead);
	if (store_put(t, STORE_META, mark, strlen(mark), buf, size,
	    cause) != 0 || pdb_put_schema(t, sc, cause) != 0)
		goto out;
	rc = 0;
out:
	free(buf);
	if (dead != NULL)
		roaring_bitmap_free(dead);
	pdb_chunk_release(&c);
	pdb_bcol_free(&enc);
	free(vals);
	arena_free(&a);
	schema_free(sc);
	return rc;
}
