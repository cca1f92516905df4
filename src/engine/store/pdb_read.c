/*
 * Reading profiles: chunk rows decoded into typed values, key lookups,
 * single rows, and the row and key scans.  The per-row decoding stays in
 * this file, with the scans that call it for every row and field.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pdb.h"
#include "pdb_int.h"
#include "util.h"

/*
 * Turns a chunk's dictionary into NUL-terminated strings once, so every
 * row of the chunk can point at them; NULL for a column without one.
 */
static const char **
pdb_dict_strings(const struct col_chunk *c, struct arena *a)
{
	const char **d;
	uint32_t i;

	if (c->type != FT_STRING && c->type != FT_TAGS)
		return NULL;
	d = arena_alloc(a, ((size_t)c->ndict + 1) * sizeof *d);
	for (i = 0; i < c->ndict; i++)
		d[i] = arena_strndup(a, c->dict_data + c->dict_off[i],
		    c->dict_off[i + 1] - c->dict_off[i]);
	return d;
}

/* Dictionary entry code as a string: from dict, else copied into a. */
static const char *
pdb_dict_entry(const struct col_chunk *c, const char **dict, uint32_t code,
    struct arena *a)
{
	if (dict != NULL)
		return dict[code];
	return arena_strndup(a, c->dict_data + c->dict_off[code],
	    c->dict_off[code + 1] - c->dict_off[code]);
}

/*
 * Row r of a chunk into v.  dict (pdb_dict_strings) serves the rows of a
 * whole chunk; NULL copies only what this row uses (a single row).
 */
static void
pdb_chunk_value(const struct col_chunk *c, const char **dict, uint32_t r,
    struct value *v, struct arena *a)
{
	uint32_t code, i, n;
	const char **tags;

	memset(v, 0, sizeof *v);
	if (!col_present(c, r))
		return;
	v->present = 1;
	switch (c->type) {
	case FT_INT:
		v->u.i = c->u16 != NULL ? c->u16[r] : col_int(c, r);
		break;
	case FT_DATETIME:
		v->u.dt = col_int(c, r);
		break;
	case FT_FLOAT:
		v->u.f = c->f64[r];
		break;
	case FT_DATE:
		v->u.date = (int32_t)col_int(c, r);
		break;
	case FT_BOOL:
		v->u.b = c->u8[r];
		break;
	case FT_STRING:
		code = col_code(c, r);
		v->u.s.p = pdb_dict_entry(c, dict, code, a);
		v->u.s.len = c->dict_off[code + 1] - c->dict_off[code];
		break;
	case FT_TAGS:
		n = c->tag_off[r + 1] - c->tag_off[r];
		tags = arena_alloc(a, ((size_t)n + 1) * sizeof *tags);
		for (i = 0; i < n; i++)
			tags[i] = pdb_dict_entry(c, dict,
			    c->codes[c->tag_off[r] + i], a);
		v->u.tags.v = tags;
		v->u.tags.n = n;
		break;
	}
}

/* Row r of a chunk into v, its strings copied into the arena. */
void
pdb_chunk_row(const struct col_chunk *c, uint32_t r, struct value *v,
    struct arena *a)
{
	pdb_chunk_value(c, NULL, r, v, a);
}

/* Every row of a chunk into vals[0..nrows), strings in the arena. */
void
pdb_chunk_values(const struct col_chunk *c, struct value *vals,
    struct arena *a)
{
	const char **dict = pdb_dict_strings(c, a);
	uint32_t r;

	for (r = 0; r < c->nrows; r++)
		pdb_chunk_value(c, dict, r, &vals[r], a);
}

int
pdb_lookup(struct store_txn *t, const struct pdb_schema *sc, const char *key,
    size_t len, uint32_t *pno, char **cause)
{
	int rc = pdb_lookup_staged(t, sc, key, len, pno, cause);

	/* Staged by an import, not published: nobody's yet. */
	if (rc == 0 && *pno >= sc->nprofiles)
		return 1;
	return rc;
}

int
pdb_lookup_staged(struct store_txn *t, const struct pdb_schema *sc,
    const char *key, size_t len, uint32_t *pno, char **cause)
{
	uint8_t stackbuf[256], *k;
	const void *val;
	size_t vlen;
	int rc;

	k = len + 4 <= sizeof stackbuf ? stackbuf : xmalloc(len + 4);
	store_be32(k, sc->id);
	memcpy(k + 4, key, len);
	rc = store_get(t, STORE_KEYS, k, len + 4, &val, &vlen, cause);
	if (k != stackbuf)
		free(k);
	if (rc != 0)
		return rc;
	if (vlen != 4)
		return error_set(cause, _("profile database '%s': the key "
		    "index is damaged"), sc->name);
	*pno = store_get_be32(val);
	return 0;
}

int
pdb_get_row(struct store_txn *t, const struct pdb_schema *sc, uint32_t pno,
    struct value *row, struct arena *a, char **cause)
{
	struct col_chunk c;
	uint16_t f;
	uint32_t chunk = pno / PDB_CHUNK_ROWS, r = pno % PDB_CHUNK_ROWS;

	if (pno >= sc->nprofiles)
		return error_set(cause, _("profile database '%s' has no profile "
		    "number %u"), sc->name, pno);
	memset(&c, 0, sizeof c);
	for (f = 0; f < sc->nfields; f++) {
		/* One row: read it packed rather than unpack the chunk. */
		if (pdb_chunk_packed(t, sc, f, chunk, &c, cause) != 0) {
			pdb_chunk_release(&c);
			return -1;
		}
		if (r >= c.nrows) {
			pdb_chunk_release(&c);
			return pdb_damaged(sc, f, chunk, _("too few rows"),
			    cause);
		}
		pdb_chunk_value(&c, NULL, r, &row[f], a);
	}
	pdb_chunk_release(&c);
	return 0;
}

int
pdb_scan_rows(struct store_txn *t, const struct pdb_schema *sc,
    const roaring_bitmap_t *only, pdb_row_fn fn, void *arg, char **cause)
{
	struct col_chunk *cols;
	const char ***dicts;
	struct value *row;
	struct arena a = ARENA_INIT, ra = ARENA_INIT;
	uint32_t nchunks = pdb_nchunks(sc), ch, r, lo;
	uint16_t f, nf = sc->nfields;
	int rc = 0;

	cols = xcalloc(nf, sizeof *cols);
	dicts = xcalloc(nf, sizeof *dicts);
	row = xcalloc(nf, sizeof *row);
	for (ch = 0; ch < nchunks && rc == 0; ch++) {
		lo = ch * PDB_CHUNK_ROWS;
		if (only != NULL && roaring_bitmap_range_cardinality(only, lo,
		    (uint64_t)lo + PDB_CHUNK_ROWS) == 0)
			continue;
		arena_reset(&a);
		for (f = 0; f < nf; f++) {
			if (pdb_chunk(t, sc, f, ch, &cols[f], cause) != 0) {
				rc = -1;
				break;
			}
			dicts[f] = pdb_dict_strings(&cols[f], &a);
		}
		if (rc != 0)
			break;
		for (r = 0; r < cols[0].nrows; r++) {
			if (only != NULL && !roaring_bitmap_contains(only,
			    lo + r))
				continue;
			/* A deleted profile has no key. */
			if (!col_present(&cols[sc->key_field], r))
				continue;
			arena_reset(&ra);
			for (f = 0; f < nf; f++)
				pdb_chunk_value(&cols[f], dicts[f], r, &row[f],
				    &ra);
			if ((rc = fn(arg, lo + r, row)) != 0)
				break;
		}
	}
	for (f = 0; f < nf; f++)
		pdb_chunk_release(&cols[f]);
	free(cols);
	free(dicts);
	free(row);
	arena_free(&a);
	arena_free(&ra);
	return rc;
}

int
pdb_scan_keys(struct store_txn *t, const struct pdb_schema *sc,
    const roaring_bitmap_t *only, pdb_key_fn fn, void *arg, char **cause)
{
	struct col_chunk c;
	roaring_uint32_iterator_t *it = NULL;
	uint32_t nchunks = pdb_nchunks(sc), ch, r, lo, code;
	int rc = 0;

	memset(&c, 0, sizeof c);
	if (only != NULL)
		it = roaring_create_iterator(only);
	for (ch = 0; ch < nchunks && rc == 0; ch++) {
		lo = ch * PDB_CHUNK_ROWS;
		if (it != NULL) {
			if (!it->has_value)
				break;
			if (it->current_value >= lo + PDB_CHUNK_ROWS) {
				ch = it->current_value / PDB_CHUNK_ROWS - 1;
				continue;
			}
		}
		if (pdb_chunk(t, sc, sc->key_field, ch, &c, cause) != 0) {
			rc = -1;
			break;
		}
		for (r = 0; r < c.nrows && rc == 0; r++) {
			if (it != NULL) {
				if (!it->has_value ||
				    it->current_value >= lo + c.nrows)
					break;
				r = it->current_value - lo;
				roaring_advance_uint32_iterator(it);
			}
			/* A deleted profile has no key. */
			if (!col_present(&c, r))
				continue;
			code = col_code(&c, r);
			rc = fn(arg, lo + r, c.dict_data + c.dict_off[code],
			    c.dict_off[code + 1] - c.dict_off[code]);
		}
	}
	pdb_chunk_release(&c);
	if (it != NULL)
		roaring_free_uint32_iterator(it);
	return rc;
}

int
pdb_deleted(struct store_txn *t, const struct pdb_schema *sc,
    roaring_bitmap_t **out, char **cause)
{
	const void *val;
	size_t vlen;
	char mark[32];
	int rc;

	*out = NULL;
	if (sc->ndeleted == 0) {
		*out = roaring_bitmap_create();
		return 0;
	}
	pdb_deleted_key(mark, sizeof mark, sc->id);
	rc = store_get(t, STORE_META, mark, strlen(mark), &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 0)
		*out = roaring_bitmap_portable_deserialize_safe(val, vlen);
	if (*out == NULL ||
	    roaring_bitmap_get_cardinality(*out) != sc->ndeleted ||
	    roaring_bitmap_maximum(*out) >= sc->nprofiles) {
		if (*out != NULL)
			roaring_bitmap_free(*out);
		*out = NULL;
		return error_set(cause, _("profile database '%s': the set of "
		    "deleted profiles is damaged"), sc->name);
	}
	return 0;
}

int
pdb_drop_deleted(struct store_txn *t, const struct pdb_schema *sc,
    roaring_bitmap_t *bm, char **cause)
{
	roaring_bitmap_t *dead;

	if (sc->ndeleted == 0)
		return 0;
	if (pdb_deleted(t, sc, &dead, cause) != 0)
		return -1;
	roaring_bitmap_andnot_inplace(bm, dead);
	roaring_bitmap_free(dead);
	return 0;
}
