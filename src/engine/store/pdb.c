/*
 * Profile databases in columnar chunks.  See doc/storage.md.
 *
 * Chunk byte layout (native byte order, every section 8-byte aligned):
 *
 *	header	 u8 kind, u8 version, u16 0, u32 nrows, u32 ndict, u32 ncodes
 *	present	 u64[(nrows + 63) / 64]
 *	int, datetime: i64[nrows]	float: f64[nrows]
 *	date: i32[nrows]		bool: u8[nrows]	  bucket: u16[nrows]
 *	string:	 u32 codes[nrows], u32 dict_off[ndict + 1], dict bytes
 *	tags:	 u32 tag_off[nrows + 1], u32 codes[ncodes],
 *		 u32 dict_off[ndict + 1], dict bytes
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "i18n.h"
#include "pdb.h"
#include "timeutil.h"
#include "util.h"

#define PDB_VERSION	1
#define PDB_KIND_BUCKET	0xFF
#define PDB_HDR		16
#define PDB_WORDS	(PDB_CHUNK_ROWS / 64)

static size_t
pdb_pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void
pdb_col_key(uint8_t *k, uint32_t dbid, uint16_t field, uint32_t chunk)
{
	store_be32(k, dbid);
	store_be16(k + 4, field);
	store_be32(k + 6, chunk);
}

/* The chunk kind of a field, or of the bucket column. */
static int
pdb_kind(const struct pdb_schema *sc, uint16_t field)
{
	return field == PDB_COL_BUCKET ? PDB_KIND_BUCKET :
	    (int)sc->fields[field].type;
}

/* ------------------------------------------------------------------ */
/* Database records. */

static int
pdb_put_schema(struct store_txn *t, const struct pdb_schema *sc, char **cause)
{
	cJSON *j = schema_to_json(sc);
	char *text = cJSON_PrintUnformatted(j);
	int rc;

	cJSON_Delete(j);
	rc = store_put(t, STORE_DBS, sc->name, strlen(sc->name), text,
	    strlen(text), cause);
	cJSON_free(text);
	return rc;
}

static struct pdb_schema *
pdb_parse_record(const char *name, const void *val, size_t vlen, char **cause)
{
	cJSON *j = cJSON_ParseWithLength(val, vlen);
	struct pdb_schema *sc;

	if (j == NULL) {
		error_set(cause, _("profile database '%s': the record is "
		    "damaged"), name);
		return NULL;
	}
	sc = schema_from_json(j, cause);
	cJSON_Delete(j);
	return sc;
}

int
pdb_open(struct store_txn *t, const char *name, struct pdb_schema **out,
    char **cause)
{
	const void *val;
	size_t vlen;
	int rc;

	*out = NULL;
	rc = store_get(t, STORE_DBS, name, strlen(name), &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("no profile database named '%s'"),
		    name);
	if ((*out = pdb_parse_record(name, val, vlen, cause)) == NULL)
		return -1;
	return 0;
}

int
pdb_list(struct store_txn *t, struct pdb_schema ***out, size_t *n,
    char **cause)
{
	struct store_cursor *c;
	struct pdb_schema **v = NULL, *sc;
	const void *key, *val;
	size_t klen, vlen, i;
	char *name;
	int rc;

	*out = NULL;
	*n = 0;
	if ((c = store_cursor_open(t, STORE_DBS, NULL, 0, cause)) == NULL)
		return -1;
	/* LMDB orders names bytewise, which is the listing order. */
	while ((rc = store_cursor_next(c, &key, &klen, &val, &vlen,
	    cause)) == 0) {
		name = xstrndup(key, klen);
		sc = pdb_parse_record(name, val, vlen, cause);
		free(name);
		if (sc == NULL) {
			rc = -1;
			break;
		}
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = sc;
	}
	store_cursor_close(c);
	if (rc < 0) {
		for (i = 0; i < *n; i++)
			schema_free(v[i]);
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

struct pdb_create_arg {
	const char		*name;
	const struct field	*fields;
	size_t			 nfields;
	uint16_t		 key;
};

static int
pdb_create_cb(struct store_txn *t, void *arg, char **cause)
{
	struct pdb_create_arg *a = arg;
	struct pdb_schema sc;
	const void *val;
	size_t vlen;
	int rc;

	rc = store_get(t, STORE_DBS, a->name, strlen(a->name), &val, &vlen,
	    cause);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(cause, _("a profile database named '%s' "
		    "already exists"), a->name);
	memset(&sc, 0, sizeof sc);
	sc.name = (char *)a->name;
	sc.fields = (struct field *)a->fields;
	sc.nfields = (uint16_t)a->nfields;
	sc.key_field = a->key;
	sc.created_at = tu_now();
	if (store_next_id(t, "db", &sc.id, cause) != 0)
		return -1;
	return pdb_put_schema(t, &sc, cause);
}

int
pdb_create(struct store *st, const char *name, const struct field *fields,
    size_t nfields, const char *key_field, char **cause)
{
	struct pdb_create_arg a;
	size_t i, j;
	int key = -1;

	if (name == NULL || *name == '\0')
		return error_set(cause, _("a profile database needs a name"));
	if (nfields == 0)
		return error_set(cause, _("profile database '%s': at least one "
		    "field is needed"), name);
	if (nfields > 0xFFFE)
		return error_set(cause, _("profile database '%s': too many "
		    "fields"), name);
	if (key_field == NULL)
		key_field = "email";
	for (i = 0; i < nfields; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(fields[i].name, fields[j].name) == 0)
				return error_set(cause, _("profile database "
				    "'%s': field '%s' appears twice"), name,
				    fields[i].name);
		}
		if (strcmp(fields[i].name, key_field) == 0)
			key = (int)i;
	}
	if (key < 0)
		return error_set(cause, _("profile database '%s': the key field "
		    "'%s' is not among the fields"), name, key_field);
	if (fields[key].type != FT_STRING)
		return error_set(cause, _("profile database '%s': the key field "
		    "'%s' must be a string"), name, key_field);
	a.name = name;
	a.fields = fields;
	a.nfields = nfields;
	a.key = (uint16_t)key;
	return store_write(st, pdb_create_cb, &a, cause);
}

int
pdb_drop_txn(struct store_txn *t, const char *name, char **cause)
{
	struct pdb_schema *sc;
	uint8_t prefix[4];
	int rc;

	if (pdb_open(t, name, &sc, cause) != 0)
		return -1;
	store_be32(prefix, sc->id);
	rc = 0;
	if (store_del(t, STORE_DBS, name, strlen(name), cause) != 0 ||
	    store_del_prefix(t, STORE_KEYS, prefix, 4, cause) != 0 ||
	    store_del_prefix(t, STORE_COLS, prefix, 4, cause) != 0)
		rc = -1;
	schema_free(sc);
	return rc;
}


uint32_t
pdb_nchunks(const struct pdb_schema *sc)
{
	return (uint32_t)(((uint64_t)sc->nprofiles + PDB_CHUNK_ROWS - 1) /
	    PDB_CHUNK_ROWS);
}

/* ------------------------------------------------------------------ */
/* Reading chunks. */

static int
pdb_damaged(const struct pdb_schema *sc, uint16_t field, uint32_t chunk,
    char **cause)
{
	return error_set(cause, _("profile database '%s': chunk %u of field "
	    "%u is damaged"), sc->name, chunk, field);
}

static int
pdb_parse(const uint8_t *p, size_t vlen, int kind, struct col_chunk *c)
{
	const uint8_t *end = p + vlen;
	size_t words, need;
	uint32_t nrows, ndict, ncodes;
	enum field_type type;

	if (vlen < PDB_HDR || p[1] != PDB_VERSION || p[0] != kind)
		return -1;
	memcpy(&nrows, p + 4, 4);
	memcpy(&ndict, p + 8, 4);
	memcpy(&ncodes, p + 12, 4);
	if (nrows > PDB_CHUNK_ROWS)
		return -1;
	type = kind == PDB_KIND_BUCKET ? FT_INT : (enum field_type)kind;
	c->type = type;
	c->nrows = nrows;
	p += PDB_HDR;
	words = (nrows + 63) / 64;
	c->present = (const uint64_t *)(const void *)p;
	p += words * 8;
	if (kind == PDB_KIND_BUCKET) {
		c->u16 = (const uint16_t *)(const void *)p;
		p += pdb_pad8(2 * (size_t)nrows);
	} else {
		switch (type) {
		case FT_INT:
		case FT_DATETIME:
			c->i64 = (const int64_t *)(const void *)p;
			p += 8 * (size_t)nrows;
			break;
		case FT_FLOAT:
			c->f64 = (const double *)(const void *)p;
			p += 8 * (size_t)nrows;
			break;
		case FT_DATE:
			c->i32 = (const int32_t *)(const void *)p;
			p += pdb_pad8(4 * (size_t)nrows);
			break;
		case FT_BOOL:
			c->u8 = p;
			p += pdb_pad8(nrows);
			break;
		case FT_STRING:
			c->codes = (const uint32_t *)(const void *)p;
			p += pdb_pad8(4 * (size_t)nrows);
			break;
		case FT_TAGS:
			c->tag_off = (const uint32_t *)(const void *)p;
			p += pdb_pad8(4 * ((size_t)nrows + 1));
			c->codes = (const uint32_t *)(const void *)p;
			p += pdb_pad8(4 * (size_t)ncodes);
			break;
		}
		if (type == FT_STRING || type == FT_TAGS) {
			c->ndict = ndict;
			if (p + 4 * ((size_t)ndict + 1) > end)
				return -1;
			c->dict_off = (const uint32_t *)(const void *)p;
			p += pdb_pad8(4 * ((size_t)ndict + 1));
			c->dict_data = (const char *)p;
			need = c->dict_off[ndict];
			if (p + need > end)
				return -1;
			p += pdb_pad8(need);
		}
	}
	return p > end ? -1 : 0;
}

int
pdb_chunk(struct store_txn *t, const struct pdb_schema *sc, uint16_t field,
    uint32_t chunk, struct col_chunk *c, char **cause)
{
	uint8_t key[10];
	const void *val;
	size_t vlen;
	int rc;
	void *scratch = c->scratch;
	size_t scratch_size = c->scratch_size;

	memset(c, 0, sizeof *c);
	c->scratch = scratch;
	c->scratch_size = scratch_size;
	if (field != PDB_COL_BUCKET && field >= sc->nfields)
		return error_set(cause, _("profile database '%s' has no field "
		    "%u"), sc->name, field);
	pdb_col_key(key, sc->id, field, chunk);
	rc = store_get(t, STORE_COLS, key, sizeof key, &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("profile database '%s': chunk %u of "
		    "field %u is missing"), sc->name, chunk, field);
	if (((uintptr_t)val & 7) != 0) {
		/* LMDB only aligns values to 2 bytes in small nodes. */
		if (c->scratch_size < vlen) {
			free(c->scratch);
			c->scratch = xmalloc(vlen);
			c->scratch_size = vlen;
		}
		memcpy(c->scratch, val, vlen);
		val = c->scratch;
	}
	if (pdb_parse(val, vlen, pdb_kind(sc, field), c) != 0)
		return pdb_damaged(sc, field, chunk, cause);
	return 0;
}

void
pdb_chunk_release(struct col_chunk *c)
{
	free(c->scratch);
	c->scratch = NULL;
	c->scratch_size = 0;
}

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
		v->u.i = c->u16 != NULL ? c->u16[r] : c->i64[r];
		break;
	case FT_DATETIME:
		v->u.dt = c->i64[r];
		break;
	case FT_FLOAT:
		v->u.f = c->f64[r];
		break;
	case FT_DATE:
		v->u.date = c->i32[r];
		break;
	case FT_BOOL:
		v->u.b = c->u8[r];
		break;
	case FT_STRING:
		code = c->codes[r];
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

/* Every row of a chunk into vals[0..nrows), strings in the arena. */
static void
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
		if (pdb_chunk(t, sc, f, chunk, &c, cause) != 0) {
			pdb_chunk_release(&c);
			return -1;
		}
		if (r >= c.nrows) {
			pdb_chunk_release(&c);
			return pdb_damaged(sc, f, chunk, cause);
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
			if (!col_present(&c, r)) {
				rc = fn(arg, lo + r, "", 0);
				continue;
			}
			code = c.codes[r];
			rc = fn(arg, lo + r, c.dict_data + c.dict_off[code],
			    c.dict_off[code + 1] - c.dict_off[code]);
		}
	}
	pdb_chunk_release(&c);
	if (it != NULL)
		roaring_free_uint32_iterator(it);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Writing chunks. */

/* A fast hash for in-memory tables (not the range bucket hash). */
static uint64_t
pdb_fast_hash(const void *p, size_t n)
{
	const uint8_t *s = p;
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xFF51AFD7ED558CCDULL), w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0x94D049BB133111EBULL;
	}
	return bucket_fmix64(h);
}

/*
 * Per-chunk dictionary under construction: the distinct strings in one
 * growing buffer, codes in order of first appearance.
 */
struct pdb_dict {
	uint32_t	*slots;		/* code + 1, 0 empty */
	uint32_t	 nslots;
	uint32_t	*off;		/* n + 1 entries */
	uint32_t	 n, cap;
	char		*bytes;
	size_t		 bcap;
};

static void
pdb_dict_reset(struct pdb_dict *d)
{
	if (d->slots == NULL) {
		d->nslots = 64;
		d->slots = xmalloc(d->nslots * sizeof *d->slots);
	}
	memset(d->slots, 0, d->nslots * sizeof *d->slots);
	if (d->off == NULL) {
		d->cap = 64;
		d->off = xmalloc(((size_t)d->cap + 1) * sizeof *d->off);
	}
	d->n = 0;
	d->off[0] = 0;
}

static void
pdb_dict_free(struct pdb_dict *d)
{
	free(d->slots);
	free(d->off);
	free(d->bytes);
}

static void
pdb_dict_grow(struct pdb_dict *d)
{
	uint32_t i, s, mask;

	free(d->slots);
	d->nslots *= 2;
	d->slots = xcalloc(d->nslots, sizeof *d->slots);
	mask = d->nslots - 1;
	for (i = 0; i < d->n; i++) {
		s = (uint32_t)pdb_fast_hash(d->bytes + d->off[i],
		    d->off[i + 1] - d->off[i]) & mask;
		while (d->slots[s] != 0)
			s = (s + 1) & mask;
		d->slots[s] = i + 1;
	}
}

static uint32_t
pdb_dict_code(struct pdb_dict *d, const char *p, uint32_t len)
{
	uint32_t mask, s, c, end;

	if ((d->n + 1) * 2 > d->nslots)
		pdb_dict_grow(d);
	mask = d->nslots - 1;
	s = (uint32_t)pdb_fast_hash(p, len) & mask;
	while ((c = d->slots[s]) != 0) {
		c--;
		if (d->off[c + 1] - d->off[c] == len &&
		    memcmp(d->bytes + d->off[c], p, len) == 0)
			return c;
		s = (s + 1) & mask;
	}
	if (d->n == d->cap) {
		d->cap *= 2;
		d->off = xreallocarray(d->off, (size_t)d->cap + 1,
		    sizeof *d->off);
	}
	end = d->off[d->n];
	if ((size_t)end + len > d->bcap) {
		d->bcap = d->bcap == 0 ? 4096 : d->bcap;
		while ((size_t)end + len > d->bcap)
			d->bcap *= 2;
		d->bytes = xrealloc(d->bytes, d->bcap);
	}
	memcpy(d->bytes + end, p, len);
	d->off[d->n + 1] = end + len;
	d->slots[s] = d->n + 1;
	return d->n++;
}

/*
 * One column chunk under construction: rows are appended one by one in
 * their encoded form, then the chunk is written out in its byte layout.
 * Reused from chunk to chunk, so a chunk costs no allocation per row.
 */
struct pdb_bcol {
	int		 kind;		/* field type or PDB_KIND_BUCKET */
	uint32_t	 nrows;
	uint64_t	 present[PDB_WORDS];
	uint8_t		*fixed;		/* nrows values of pdb_width() bytes */
	uint32_t	*codes;		/* FT_STRING */
	uint32_t	*tag_off;	/* FT_TAGS: nrows + 1 */
	uint32_t	*tcodes;
	uint32_t	 ntcodes, tcap;
	struct pdb_dict	 dict;
};

static size_t
pdb_width(int kind)
{
	switch (kind) {
	case FT_INT:
	case FT_DATETIME:
	case FT_FLOAT:
		return 8;
	case FT_DATE:
		return 4;
	case FT_BOOL:
		return 1;
	case PDB_KIND_BUCKET:
		return 2;
	default:
		return 0;
	}
}

static void
pdb_bcol_reset(struct pdb_bcol *bc)
{
	bc->nrows = 0;
	memset(bc->present, 0, sizeof bc->present);
	bc->ntcodes = 0;
	if (bc->kind == FT_STRING || bc->kind == FT_TAGS)
		pdb_dict_reset(&bc->dict);
}

static void
pdb_bcol_init(struct pdb_bcol *bc, int kind)
{
	memset(bc, 0, sizeof *bc);
	bc->kind = kind;
	if (pdb_width(kind) > 0)
		bc->fixed = xcalloc(PDB_CHUNK_ROWS, pdb_width(kind));
	else if (kind == FT_STRING)
		bc->codes = xcalloc(PDB_CHUNK_ROWS, sizeof *bc->codes);
	else
		bc->tag_off = xcalloc(PDB_CHUNK_ROWS + 1, sizeof *bc->tag_off);
	pdb_bcol_reset(bc);
}

static void
pdb_bcol_free(struct pdb_bcol *bc)
{
	free(bc->fixed);
	free(bc->codes);
	free(bc->tag_off);
	free(bc->tcodes);
	pdb_dict_free(&bc->dict);
}

/* Appends one row (the chunk has room). */
static void
pdb_bcol_put(struct pdb_bcol *bc, const struct value *v)
{
	uint32_t r = bc->nrows++, i, n;
	int64_t i64;
	int32_t i32;

	if (bc->kind == FT_TAGS)
		bc->tag_off[r] = bc->ntcodes;
	if (!v->present) {
		switch (bc->kind) {
		case FT_STRING:
			bc->codes[r] = 0;
			break;
		case FT_TAGS:
			bc->tag_off[r + 1] = bc->ntcodes;
			break;
		default:
			memset(bc->fixed + r * pdb_width(bc->kind), 0,
			    pdb_width(bc->kind));
			break;
		}
		return;
	}
	bc->present[r >> 6] |= (uint64_t)1 << (r & 63);
	switch (bc->kind) {
	case FT_INT:
	case FT_DATETIME:
		i64 = bc->kind == FT_INT ? v->u.i : v->u.dt;
		memcpy(bc->fixed + 8 * (size_t)r, &i64, 8);
		break;
	case FT_FLOAT:
		memcpy(bc->fixed + 8 * (size_t)r, &v->u.f, 8);
		break;
	case FT_DATE:
		i32 = v->u.date;
		memcpy(bc->fixed + 4 * (size_t)r, &i32, 4);
		break;
	case FT_BOOL:
		bc->fixed[r] = v->u.b ? 1 : 0;
		break;
	case FT_STRING:
		bc->codes[r] = pdb_dict_code(&bc->dict, v->u.s.p, v->u.s.len);
		break;
	case FT_TAGS:
		n = v->u.tags.n;
		if (bc->ntcodes + n > bc->tcap) {
			bc->tcap = (bc->ntcodes + n) * 2;
			bc->tcodes = xreallocarray(bc->tcodes, bc->tcap,
			    sizeof *bc->tcodes);
		}
		for (i = 0; i < n; i++)
			bc->tcodes[bc->ntcodes++] = pdb_dict_code(&bc->dict,
			    v->u.tags.v[i], (uint32_t)strlen(v->u.tags.v[i]));
		bc->tag_off[r + 1] = bc->ntcodes;
		break;
	}
}

static void
pdb_bcol_put_bucket(struct pdb_bcol *bc, uint16_t b)
{
	uint32_t r = bc->nrows++;

	bc->present[r >> 6] |= (uint64_t)1 << (r & 63);
	memcpy(bc->fixed + 2 * (size_t)r, &b, 2);
}

/* Bytes of the chunk in its stored layout. */
static size_t
pdb_bcol_size(const struct pdb_bcol *bc)
{
	size_t n = bc->nrows, size = PDB_HDR + (n + 63) / 64 * 8;

	switch (bc->kind) {
	case FT_STRING:
		return size + pdb_pad8(4 * n) +
		    pdb_pad8(4 * ((size_t)bc->dict.n + 1)) +
		    pdb_pad8(bc->dict.off[bc->dict.n]);
	case FT_TAGS:
		return size + pdb_pad8(4 * (n + 1)) +
		    pdb_pad8(4 * (size_t)bc->ntcodes) +
		    pdb_pad8(4 * ((size_t)bc->dict.n + 1)) +
		    pdb_pad8(bc->dict.off[bc->dict.n]);
	default:
		return size + pdb_pad8(pdb_width(bc->kind) * n);
	}
}

/* Writes the chunk (pdb_bcol_size bytes, 8-byte aligned) to base. */
static void
pdb_bcol_write(const struct pdb_bcol *bc, uint8_t *base)
{
	size_t n = bc->nrows, words = (n + 63) / 64, len;
	uint32_t ndict = 0, ncodes = 0;
	uint8_t *p = base;

	/* Padding must not carry garbage into the store. */
	memset(base, 0, pdb_bcol_size(bc));
	if (bc->kind == FT_STRING || bc->kind == FT_TAGS)
		ndict = bc->dict.n;
	if (bc->kind == FT_TAGS)
		ncodes = bc->ntcodes;
	p[0] = (uint8_t)bc->kind;
	p[1] = PDB_VERSION;
	memcpy(p + 4, &bc->nrows, 4);
	memcpy(p + 8, &ndict, 4);
	memcpy(p + 12, &ncodes, 4);
	p += PDB_HDR;
	memcpy(p, bc->present, words * 8);
	p += words * 8;
	switch (bc->kind) {
	case FT_STRING:
		memcpy(p, bc->codes, 4 * n);
		p += pdb_pad8(4 * n);
		break;
	case FT_TAGS:
		memcpy(p, bc->tag_off, 4 * (n + 1));
		p += pdb_pad8(4 * (n + 1));
		if (ncodes > 0)
			memcpy(p, bc->tcodes, 4 * (size_t)ncodes);
		p += pdb_pad8(4 * (size_t)ncodes);
		break;
	default:
		memcpy(p, bc->fixed, pdb_width(bc->kind) * n);
		return;
	}
	memcpy(p, bc->dict.off, 4 * ((size_t)ndict + 1));
	p += pdb_pad8(4 * ((size_t)ndict + 1));
	len = bc->dict.off[ndict];
	if (len > 0)
		memcpy(p, bc->dict.bytes, len);
}

/* Writes a finished chunk builder into space reserved in the map. */
static int
pdb_bcol_store(struct store_txn *t, const struct pdb_bcol *bc, uint32_t dbid,
    uint16_t field, uint32_t chunk, char **cause)
{
	uint8_t key[10], *base;
	size_t size = pdb_bcol_size(bc);

	pdb_col_key(key, dbid, field, chunk);
	if ((base = store_reserve(t, STORE_COLS, key, sizeof key, size,
	    cause)) == NULL)
		return -1;
	pdb_bcol_write(bc, base);
	return 0;
}

/*
 * Encodes vals[0..nrows) of a column (or buckets[] for the bucket
 * column) and writes the chunk.
 */
static int
pdb_encode(struct store_txn *t, struct pdb_bcol *bc, uint32_t dbid,
    uint16_t field, uint32_t chunk, uint32_t nrows, const struct value *vals,
    const uint16_t *buckets, char **cause)
{
	uint32_t r;

	pdb_bcol_reset(bc);
	for (r = 0; r < nrows; r++) {
		if (field == PDB_COL_BUCKET)
			pdb_bcol_put_bucket(bc, buckets[r]);
		else
			pdb_bcol_put(bc, &vals[r]);
	}
	return pdb_bcol_store(t, bc, dbid, field, chunk, cause);
}

/*
 * Decodes a whole chunk into vals[] for modification; strings are
 * copied into the arena because the old chunk is overwritten.
 */
static int
pdb_decode_all(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t chunk, struct col_chunk *c, struct value *vals,
    uint16_t *buckets, struct arena *a, char **cause)
{
	if (pdb_chunk(t, sc, field, chunk, c, cause) != 0)
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

struct pdb_kview {
	const uint32_t	*codes;
	const uint32_t	*off;
	const char	*data;
};

struct pdb_batch {
	struct pdb_schema *sc;
	uint16_t	 ncols;		/* nfields + 1 (bucket last) */
	struct pdb_bcol	*cols;
	struct pdb_bblob **blobs;	/* [col][chunk] */
	size_t		 nblobs;	/* finished chunks */
	size_t		 blobcap;
	int		 sealed;	/* blobs[.][nblobs] holds the tail */
	struct pdb_kview *kview;	/* key column of each blob */
	size_t		 nrows;
	size_t		 nokey;		/* rows with an absent or empty key */
	uint64_t	*slots;		/* hash << 32 | row + 1, 0 empty */
	size_t		 nslots;
	uint32_t	*dup_row;	/* rows repeating an earlier key, */
	uint32_t	*dup_first;	/* and the rows they repeat */
	size_t		 ndup, dupcap;
};

static void
pdb_batch_key(const struct pdb_batch *b, size_t i, const char **p,
    uint32_t *len)
{
	size_t j = i / PDB_CHUNK_ROWS, r = i % PDB_CHUNK_ROWS;
	const struct pdb_bcol *kc;
	uint32_t c;

	if (j < b->nblobs) {
		c = b->kview[j].codes[r];
		*p = b->kview[j].data + b->kview[j].off[c];
		*len = b->kview[j].off[c + 1] - b->kview[j].off[c];
		return;
	}
	kc = &b->cols[b->sc->key_field];
	c = kc->codes[r];
	*p = kc->dict.bytes + kc->dict.off[c];
	*len = kc->dict.off[c + 1] - kc->dict.off[c];
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
	if (pdb_parse(bl->data, bl->size, FT_STRING, &c) != 0)
		abort();
	b->kview[b->nblobs].codes = c.codes;
	b->kview[b->nblobs].off = c.dict_off;
	b->kview[b->nblobs].data = c.dict_data;
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
	schema_free(b->sc);
	free(b);
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
pdb_batch_put(struct pdb_batch *b, const struct value *row, int add_dup,
    size_t *first)
{
	const struct value *k = &row[b->sc->key_field];
	size_t i = b->nrows, s = 0;
	uint32_t h = 0;
	uint16_t f;
	int haskey = k->present && k->u.s.len > 0;

	if (haskey) {
		h = (uint32_t)pdb_fast_hash(k->u.s.p, k->u.s.len);
		s = pdb_batch_probe(b, k->u.s.p, k->u.s.len, h);
		if (b->slots[s] != 0 && !add_dup) {
			*first = (uint32_t)b->slots[s] - 1;
			return 1;
		}
	}
	pdb_batch_unseal(b);
	for (f = 0; f < b->sc->nfields; f++)
		pdb_bcol_put(&b->cols[f], &row[f]);
	pdb_bcol_put_bucket(&b->cols[b->sc->nfields], haskey ?
	    bucket_of_key(k->u.s.p, k->u.s.len) : 0);
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
		b->slots[s] = (uint64_t)h << 32 | ((uint64_t)i + 1);
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

	pdb_batch_put(b, row, 1, &i);
	return i;
}

int
pdb_batch_add_unique(struct pdb_batch *b, const struct value *row,
    size_t *index)
{
	return pdb_batch_put(b, row, 0, index);
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

#define PDB_KEYPRE	16

struct pdb_keyref {
	uint8_t		 pre[PDB_KEYPRE];	/* first bytes, zero-padded */
	const char	*p;
	uint32_t	 len;
	uint32_t	 pno;
};

/* LMDB's order: bytewise, then the shorter first. */
static int
pdb_keyref_cmp(const void *a, const void *b)
{
	const struct pdb_keyref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int d = memcmp(x->p, y->p, n);

	if (d != 0)
		return d;
	return (x->len > y->len) - (x->len < y->len);
}

static void
pdb_keyref_set(struct pdb_keyref *k, const char *p, uint32_t len,
    uint32_t pno)
{
	memset(k->pre, 0, sizeof k->pre);
	memcpy(k->pre, p, len < PDB_KEYPRE ? len : PDB_KEYPRE);
	k->p = p;
	k->len = len;
	k->pno = pno;
}

/*
 * Sorts keys in LMDB's order: a most-significant-byte radix sort on the
 * copied prefix (no pointer chasing), then comparisons for what is left.
 * Bucket 0 holds the keys that end at this depth.
 */
static void
pdb_keysort(struct pdb_keyref *k, size_t n, size_t depth,
    struct pdb_keyref *tmp)
{
	size_t count[257], pos[257], i, b;
	struct pdb_keyref x;

	if (n < 24) {
		for (i = 1; i < n; i++) {
			x = k[i];
			for (b = i; b > 0 && pdb_keyref_cmp(&k[b - 1], &x) > 0;
			    b--)
				k[b] = k[b - 1];
			k[b] = x;
		}
		return;
	}
	if (depth >= PDB_KEYPRE) {
		qsort(k, n, sizeof *k, pdb_keyref_cmp);
		return;
	}
	memset(count, 0, sizeof count);
	for (i = 0; i < n; i++)
		count[k[i].len > depth ? k[i].pre[depth] + 1 : 0]++;
	for (b = 0, i = 0; b < 257; b++) {
		pos[b] = i;
		i += count[b];
	}
	for (i = 0; i < n; i++)
		tmp[pos[k[i].len > depth ? k[i].pre[depth] + 1 : 0]++] = k[i];
	memcpy(k, tmp, n * sizeof *k);
	for (b = 1, i = count[0]; b < 257; i += count[b++]) {
		if (count[b] > 1)
			pdb_keysort(k + i, count[b], depth + 1, tmp);
	}
}

static int
pdb_put_keys(struct store_txn *t, uint32_t dbid, struct pdb_keyref *keys,
    size_t n, char **cause)
{
	struct pdb_keyref *tmp = xreallocarray(NULL, n + 1, sizeof *tmp);
	uint8_t *k = NULL, val[4];
	size_t cap = 0, i;
	int rc = 0, append = 1;

	/* Sorted keys fill the B-tree page by page instead of at random. */
	pdb_keysort(keys, n, 0, tmp);
	free(tmp);
	for (i = 0; i < n && rc == 0; i++) {
		/* The key bytes are scattered over the batch: fetch ahead. */
		if (i + 8 < n)
			__builtin_prefetch(keys[i + 8].p);
		if (keys[i].len + 4 > cap) {
			cap = keys[i].len + 64;
			k = xrealloc(k, cap);
		}
		store_be32(k, dbid);
		memcpy(k + 4, keys[i].p, keys[i].len);
		store_be32(val, keys[i].pno);
		/* Appending holds until a key sorts before a stored one. */
		rc = append ? store_append(t, STORE_KEYS, k, keys[i].len + 4,
		    val, 4, cause) : 1;
		if (rc == 1) {
			append = 0;
			rc = store_put(t, STORE_KEYS, k, keys[i].len + 4, val,
			    4, cause);
		}
	}
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
	if (pdb_parse(bl->data, bl->size, b->cols[col].kind, c) != 0)
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

/*
 * General path, column by column: the batch's values of the column are
 * decoded, then every touched chunk is decoded, overlaid and rewritten.
 * assign[] is sorted by profile number; changed[row] says whether an
 * existing row differed.
 */
static int
pdb_write_chunks(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t oldn, const struct pdb_batch *b, const struct pdb_assign *assign,
    size_t nassign, uint8_t *changed, char **cause)
{
	struct value *vals, *bvals = NULL;
	uint16_t *buckets, *bbuckets = NULL;
	struct col_chunk c, bc;
	struct pdb_bcol enc;
	struct arena a = ARENA_INIT, ba = ARENA_INIT;
	size_t lo, hi, i, j, nb = b->nblobs + (b->sealed ? 1 : 0);
	uint32_t ch, nrows, r, nf = sc->nfields;
	int rc = 0, col;

	vals = xcalloc(PDB_CHUNK_ROWS, sizeof *vals);
	buckets = xcalloc(PDB_CHUNK_ROWS, sizeof *buckets);
	memset(&c, 0, sizeof c);
	memset(&enc, 0, sizeof enc);
	for (col = 0; col <= (int)nf && rc == 0; col++) {
		uint16_t field = col == (int)nf ? PDB_COL_BUCKET :
		    (uint16_t)col;

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
			nrows = sc->nprofiles - ch * PDB_CHUNK_ROWS;
			if (nrows > PDB_CHUNK_ROWS)
				nrows = PDB_CHUNK_ROWS;
			arena_reset(&a);
			memset(vals, 0, PDB_CHUNK_ROWS * sizeof *vals);
			if ((uint64_t)ch * PDB_CHUNK_ROWS < oldn &&
			    pdb_decode_all(t, sc, field, ch, &c, vals, buckets,
			    &a, cause) != 0) {
				rc = -1;
				break;
			}
			for (i = lo; i < hi; i++) {
				r = assign[i].pno % PDB_CHUNK_ROWS;
				if (field == PDB_COL_BUCKET) {
					buckets[r] = bbuckets[assign[i].row];
					continue;
				}
				if (assign[i].pno < oldn &&
				    !value_equal(sc->fields[field].type,
				    &vals[r], &bvals[assign[i].row]))
					changed[assign[i].row] = 1;
				vals[r] = bvals[assign[i].row];
			}
			rc = pdb_encode(t, &enc, sc->id, field, ch, nrows, vals,
			    buckets, cause);
		}
	}
	pdb_chunk_release(&c);
	pdb_bcol_free(&enc);
	free(vals);
	free(bvals);
	free(buckets);
	free(bbuckets);
	arena_free(&a);
	arena_free(&ba);
	return rc;
}

int
pdb_batch_apply(struct store_txn *t, const char *dbname, struct pdb_batch *b,
    struct pdb_upsert_stats *stats, char **cause)
{
	struct pdb_schema *sc = NULL;
	struct pdb_assign *assign = NULL;
	struct pdb_keyref *newkeys = NULL;
	uint8_t *changed = NULL, *dup = NULL;
	size_t i, d, nnew = 0, nold = 0;
	uint32_t oldn, pno, *pnos = NULL, len;
	const char *p;
	int rc = -1, found;

	memset(stats, 0, sizeof *stats);
	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	if (sc->nfields != b->sc->nfields || sc->id != b->sc->id) {
		error_set(cause, _("profile database '%s' changed while the "
		    "import was read"), dbname);
		goto out;
	}
	if (b->nokey > 0) {
		error_set(cause, _("profile database '%s': a row has no "
		    "value for the key field '%s'"), dbname,
		    sc->fields[sc->key_field].name);
		goto out;
	}
	if (b->nrows == 0) {
		rc = 0;
		goto out;
	}
	pdb_batch_seal(b);
	oldn = sc->nprofiles;
	pnos = xmalloc((b->nrows + 1) * sizeof *pnos);
	dup = xcalloc(b->nrows + 1, 1);
	newkeys = xmalloc((b->nrows + 1) * sizeof *newkeys);

	/* Pass 1: profile numbers, known keys looked up. */
	for (i = 0, d = 0; i < b->nrows; i++) {
		if (d < b->ndup && b->dup_row[d] == i) {
			/* A repeated key updates the row it repeats. */
			pnos[i] = pnos[b->dup_first[d++]];
			dup[i] = 1;
			continue;
		}
		pdb_batch_key(b, i, &p, &len);
		found = 1;
		if (oldn > 0) {
			found = pdb_lookup(t, sc, p, len, &pno, cause);
			if (found < 0)
				goto out;
		}
		if (found == 0) {
			pnos[i] = pno;
			nold++;
			continue;
		}
		if (sc->nprofiles == UINT32_MAX) {
			error_set(cause, _("profile database '%s' is full"),
			    dbname);
			goto out;
		}
		pnos[i] = sc->nprofiles++;
		pdb_keyref_set(&newkeys[nnew++], p, len, pnos[i]);
	}

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
		if (pdb_write_chunks(t, sc, oldn, b, assign, b->nrows, changed,
		    cause) != 0)
			goto out;
	}
	if (pdb_put_keys(t, sc->id, newkeys, nnew, cause) != 0)
		goto out;
	if (sc->nprofiles != oldn && pdb_put_schema(t, sc, cause) != 0)
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
	schema_free(sc);
	return rc;
}

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
		if (pdb_decode_all(t, sc, field, ch, &c, vals, NULL, &a,
		    cause) != 0)
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
