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
#include <time.h>

#include "bucket.h"
#include "i18n.h"
#include "pdb.h"
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

static uint64_t
pdb_hash(const void *p, size_t n)
{
	return bucket_fmix64(bucket_fnv1a64(p, n));
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
	sc.created_at = (int64_t)time(NULL);
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

static int
pdb_drop_cb(struct store_txn *t, void *arg, char **cause)
{
	const char *name = arg;
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

int
pdb_drop(struct store *st, const char *name, char **cause)
{
	return store_write(st, pdb_drop_cb, (void *)name, cause);
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

int
pdb_chunk(struct store_txn *t, const struct pdb_schema *sc, uint16_t field,
    uint32_t chunk, struct col_chunk *c, char **cause)
{
	uint8_t key[10];
	const void *val;
	const uint8_t *p, *end;
	size_t vlen, words, need;
	uint32_t nrows, ndict, ncodes;
	enum field_type type;
	int rc, kind;
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
	p = val;
	end = p + vlen;
	if (vlen < PDB_HDR || p[1] != PDB_VERSION)
		return pdb_damaged(sc, field, chunk, cause);
	kind = p[0];
	memcpy(&nrows, p + 4, 4);
	memcpy(&ndict, p + 8, 4);
	memcpy(&ncodes, p + 12, 4);
	if (field == PDB_COL_BUCKET) {
		if (kind != PDB_KIND_BUCKET)
			return pdb_damaged(sc, field, chunk, cause);
		type = FT_INT;
	} else {
		type = sc->fields[field].type;
		if (kind != (int)type)
			return pdb_damaged(sc, field, chunk, cause);
	}
	if (nrows > PDB_CHUNK_ROWS)
		return pdb_damaged(sc, field, chunk, cause);
	c->type = type;
	c->nrows = nrows;
	p += PDB_HDR;
	words = (nrows + 63) / 64;
	c->present = (const uint64_t *)p;
	p += words * 8;
	if (field == PDB_COL_BUCKET) {
		c->u16 = (const uint16_t *)p;
		p += pdb_pad8(2 * (size_t)nrows);
	} else {
		switch (type) {
		case FT_INT:
		case FT_DATETIME:
			c->i64 = (const int64_t *)p;
			p += 8 * (size_t)nrows;
			break;
		case FT_FLOAT:
			c->f64 = (const double *)p;
			p += 8 * (size_t)nrows;
			break;
		case FT_DATE:
			c->i32 = (const int32_t *)p;
			p += pdb_pad8(4 * (size_t)nrows);
			break;
		case FT_BOOL:
			c->u8 = p;
			p += pdb_pad8(nrows);
			break;
		case FT_STRING:
			c->codes = (const uint32_t *)p;
			p += pdb_pad8(4 * (size_t)nrows);
			break;
		case FT_TAGS:
			c->tag_off = (const uint32_t *)p;
			p += pdb_pad8(4 * ((size_t)nrows + 1));
			c->codes = (const uint32_t *)p;
			p += pdb_pad8(4 * (size_t)ncodes);
			break;
		}
		if (type == FT_STRING || type == FT_TAGS) {
			c->ndict = ndict;
			if (p + 4 * ((size_t)ndict + 1) > end)
				return pdb_damaged(sc, field, chunk, cause);
			c->dict_off = (const uint32_t *)p;
			p += pdb_pad8(4 * ((size_t)ndict + 1));
			c->dict_data = (const char *)p;
			need = c->dict_off[ndict];
			if (p + need > end)
				return pdb_damaged(sc, field, chunk, cause);
			p += pdb_pad8(need);
		}
	}
	if (p > end)
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
 * row of the chunk can point at them.
 */
static const char **
pdb_dict_strings(const struct col_chunk *c, struct arena *a)
{
	const char **d;
	uint32_t i;

	d = arena_alloc(a, ((size_t)c->ndict + 1) * sizeof *d);
	for (i = 0; i < c->ndict; i++)
		d[i] = arena_strndup(a, c->dict_data + c->dict_off[i],
		    c->dict_off[i + 1] - c->dict_off[i]);
	return d;
}

/* Row r of a chunk into v; dict from pdb_dict_strings for strings/tags. */
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
		v->u.s.p = dict[code];
		v->u.s.len = c->dict_off[code + 1] - c->dict_off[code];
		break;
	case FT_TAGS:
		n = c->tag_off[r + 1] - c->tag_off[r];
		tags = arena_alloc(a, ((size_t)n + 1) * sizeof *tags);
		for (i = 0; i < n; i++)
			tags[i] = dict[c->codes[c->tag_off[r] + i]];
		v->u.tags.v = tags;
		v->u.tags.n = n;
		break;
	}
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
	const char **dict = NULL;
	uint16_t f;
	uint32_t chunk = pno / PDB_CHUNK_ROWS, r = pno % PDB_CHUNK_ROWS;
	struct value *tmp;

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
		tmp = &row[f];
		if (c.type == FT_STRING && col_present(&c, r)) {
			uint32_t code = c.codes[r];

			memset(tmp, 0, sizeof *tmp);
			tmp->present = 1;
			tmp->u.s.len = c.dict_off[code + 1] - c.dict_off[code];
			tmp->u.s.p = arena_strndup(a, c.dict_data +
			    c.dict_off[code], tmp->u.s.len);
			continue;
		}
		if (c.type == FT_TAGS)
			dict = pdb_dict_strings(&c, a);
		pdb_chunk_value(&c, dict, r, tmp, a);
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
			dicts[f] = NULL;
			if (cols[f].type == FT_STRING ||
			    cols[f].type == FT_TAGS)
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

/* ------------------------------------------------------------------ */
/* Writing chunks. */

/* Per-chunk string dictionary under construction. */
struct pdb_dict {
	uint32_t	*slots;		/* code + 1, 0 empty */
	uint32_t	 nslots;
	const char	**str;
	uint32_t	*len;
	uint32_t	 n, cap;
	size_t		 bytes;
};

static void
pdb_dict_reset(struct pdb_dict *d, uint32_t expect)
{
	uint32_t want = 16;

	while (want < expect * 2)
		want *= 2;
	if (want != d->nslots) {
		free(d->slots);
		d->slots = xmalloc(want * sizeof *d->slots);
		d->nslots = want;
	}
	memset(d->slots, 0, d->nslots * sizeof *d->slots);
	d->n = 0;
	d->bytes = 0;
}

static void
pdb_dict_free(struct pdb_dict *d)
{
	free(d->slots);
	free(d->str);
	free(d->len);
}

static void
pdb_dict_grow(struct pdb_dict *d)
{
	uint32_t *old = d->slots, on = d->nslots, i, s, mask;

	d->nslots = on * 2;
	d->slots = xcalloc(d->nslots, sizeof *d->slots);
	mask = d->nslots - 1;
	for (i = 0; i < on; i++) {
		if (old[i] == 0)
			continue;
		s = (uint32_t)pdb_hash(d->str[old[i] - 1], d->len[old[i] - 1]) &
		    mask;
		while (d->slots[s] != 0)
			s = (s + 1) & mask;
		d->slots[s] = old[i];
	}
	free(old);
}

static uint32_t
pdb_dict_code(struct pdb_dict *d, const char *p, uint32_t len)
{
	uint32_t mask, s, c;

	if ((d->n + 1) * 2 > d->nslots)
		pdb_dict_grow(d);
	mask = d->nslots - 1;
	s = (uint32_t)pdb_hash(p, len) & mask;
	while ((c = d->slots[s]) != 0) {
		c--;
		if (d->len[c] == len && memcmp(d->str[c], p, len) == 0)
			return c;
		s = (s + 1) & mask;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->str = xreallocarray(d->str, d->cap, sizeof *d->str);
		d->len = xreallocarray(d->len, d->cap, sizeof *d->len);
	}
	d->str[d->n] = p;
	d->len[d->n] = len;
	d->bytes += len;
	d->slots[s] = d->n + 1;
	return d->n++;
}

/* Reusable encoder state, so a chunk costs no allocation per row. */
struct pdb_enc {
	struct pdb_dict	 dict;
	uint32_t	 codes[PDB_CHUNK_ROWS];
	uint32_t	*tcodes;
	uint32_t	 ntcodes, tcap;
	uint32_t	 tag_off[PDB_CHUNK_ROWS + 1];
};

static void
pdb_enc_free(struct pdb_enc *e)
{
	if (e == NULL)
		return;
	pdb_dict_free(&e->dict);
	free(e->tcodes);
	free(e);
}

/*
 * Encodes vals[0..nrows) of a column and writes the chunk straight into
 * space reserved in the map.
 */
static int
pdb_encode(struct store_txn *t, struct pdb_enc *e, uint32_t dbid,
    uint16_t field, uint32_t chunk, enum field_type type, uint32_t nrows,
    const struct value *vals, const uint16_t *buckets, char **cause)
{
	uint8_t key[10], *p, *base;
	uint64_t *present;
	size_t size, words = (nrows + 63) / 64;
	uint32_t r, i, ndict = 0, off;
	int kind = field == PDB_COL_BUCKET ? PDB_KIND_BUCKET : (int)type;

	size = PDB_HDR + words * 8;
	if (field == PDB_COL_BUCKET)
		size += pdb_pad8(2 * (size_t)nrows);
	else {
		switch (type) {
		case FT_INT:
		case FT_DATETIME:
		case FT_FLOAT:
			size += 8 * (size_t)nrows;
			break;
		case FT_DATE:
			size += pdb_pad8(4 * (size_t)nrows);
			break;
		case FT_BOOL:
			size += pdb_pad8(nrows);
			break;
		case FT_STRING:
			pdb_dict_reset(&e->dict, nrows);
			for (r = 0; r < nrows; r++)
				e->codes[r] = vals[r].present ?
				    pdb_dict_code(&e->dict, vals[r].u.s.p,
				    vals[r].u.s.len) : 0;
			ndict = e->dict.n;
			size += pdb_pad8(4 * (size_t)nrows) +
			    pdb_pad8(4 * ((size_t)ndict + 1)) +
			    pdb_pad8(e->dict.bytes);
			break;
		case FT_TAGS:
			pdb_dict_reset(&e->dict, 64);
			e->ntcodes = 0;
			for (r = 0; r < nrows; r++) {
				e->tag_off[r] = e->ntcodes;
				if (!vals[r].present)
					continue;
				if (e->ntcodes + vals[r].u.tags.n > e->tcap) {
					e->tcap = (e->ntcodes +
					    vals[r].u.tags.n) * 2;
					e->tcodes = xreallocarray(e->tcodes,
					    e->tcap, sizeof *e->tcodes);
				}
				for (i = 0; i < vals[r].u.tags.n; i++) {
					const char *s = vals[r].u.tags.v[i];

					e->tcodes[e->ntcodes++] =
					    pdb_dict_code(&e->dict, s,
					    (uint32_t)strlen(s));
				}
			}
			e->tag_off[nrows] = e->ntcodes;
			ndict = e->dict.n;
			size += pdb_pad8(4 * ((size_t)nrows + 1)) +
			    pdb_pad8(4 * (size_t)e->ntcodes) +
			    pdb_pad8(4 * ((size_t)ndict + 1)) +
			    pdb_pad8(e->dict.bytes);
			break;
		}
	}

	pdb_col_key(key, dbid, field, chunk);
	if ((base = store_reserve(t, STORE_COLS, key, sizeof key, size,
	    cause)) == NULL)
		return -1;
	/* Reserved space is uninitialised: padding must not leak garbage. */
	memset(base, 0, size);
	p = base;
	p[0] = (uint8_t)kind;
	p[1] = PDB_VERSION;
	memcpy(p + 4, &nrows, 4);
	memcpy(p + 8, &ndict, 4);
	memcpy(p + 12, type == FT_TAGS && field != PDB_COL_BUCKET ?
	    &e->ntcodes : &(uint32_t){ 0 }, 4);
	p += PDB_HDR;
	present = (uint64_t *)(void *)p;
	p += words * 8;
	if (field == PDB_COL_BUCKET) {
		uint16_t *u = (uint16_t *)(void *)p;

		memset(present, 0xFF, words * 8);
		if (nrows % 64 != 0)
			present[words - 1] = ((uint64_t)1 << (nrows % 64)) - 1;
		memcpy(u, buckets, 2 * (size_t)nrows);
		return 0;
	}
	for (r = 0; r < nrows; r++) {
		if (vals[r].present)
			present[r >> 6] |= (uint64_t)1 << (r & 63);
	}
	switch (type) {
	case FT_INT:
	case FT_DATETIME: {
		int64_t *v = (int64_t *)(void *)p;

		for (r = 0; r < nrows; r++)
			v[r] = vals[r].present ? vals[r].u.i : 0;
		break;
	}
	case FT_FLOAT: {
		double *v = (double *)(void *)p;

		for (r = 0; r < nrows; r++)
			v[r] = vals[r].present ? vals[r].u.f : 0;
		break;
	}
	case FT_DATE: {
		int32_t *v = (int32_t *)(void *)p;

		for (r = 0; r < nrows; r++)
			v[r] = vals[r].present ? vals[r].u.date : 0;
		break;
	}
	case FT_BOOL:
		for (r = 0; r < nrows; r++)
			p[r] = vals[r].present && vals[r].u.b ? 1 : 0;
		break;
	case FT_STRING:
	case FT_TAGS: {
		uint32_t *doff;

		if (type == FT_STRING) {
			memcpy(p, e->codes, 4 * (size_t)nrows);
			p += pdb_pad8(4 * (size_t)nrows);
		} else {
			memcpy(p, e->tag_off, 4 * ((size_t)nrows + 1));
			p += pdb_pad8(4 * ((size_t)nrows + 1));
			if (e->ntcodes > 0)
				memcpy(p, e->tcodes, 4 * (size_t)e->ntcodes);
			p += pdb_pad8(4 * (size_t)e->ntcodes);
		}
		doff = (uint32_t *)(void *)p;
		p += pdb_pad8(4 * ((size_t)ndict + 1));
		off = 0;
		for (i = 0; i < ndict; i++) {
			doff[i] = off;
			memcpy(p + off, e->dict.str[i], e->dict.len[i]);
			off += e->dict.len[i];
		}
		doff[ndict] = off;
		break;
	}
	}
	return 0;
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
	const char **dict = NULL;
	uint32_t r;

	if (pdb_chunk(t, sc, field, chunk, c, cause) != 0)
		return -1;
	if (field == PDB_COL_BUCKET) {
		memcpy(buckets, c->u16, 2 * (size_t)c->nrows);
		return 0;
	}
	if (c->type == FT_STRING || c->type == FT_TAGS)
		dict = pdb_dict_strings(c, a);
	for (r = 0; r < c->nrows; r++)
		pdb_chunk_value(c, dict, r, &vals[r], a);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Batches. */

#define PDB_BATCH_BLOCK	4096	/* rows per block of batch storage */

struct pdb_batch {
	struct pdb_schema *sc;
	struct value	**blocks;	/* PDB_BATCH_BLOCK rows each */
	size_t		 nblocks;
	size_t		 nrows;
	struct arena	 mem;
	uint64_t	*hashes;	/* key hash per row */
	size_t		 hcap;
	uint32_t	*slots;		/* row + 1, 0 empty */
	size_t		 nslots;
};

static struct value *
pdb_batch_row(const struct pdb_batch *b, size_t i)
{
	return b->blocks[i / PDB_BATCH_BLOCK] +
	    (i % PDB_BATCH_BLOCK) * b->sc->nfields;
}

struct pdb_batch *
pdb_batch_new(const struct pdb_schema *sc)
{
	struct pdb_batch *b = xcalloc(1, sizeof *b);

	b->sc = schema_clone(sc);
	b->nslots = 1024;
	b->slots = xcalloc(b->nslots, sizeof *b->slots);
	return b;
}

void
pdb_batch_free(struct pdb_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nblocks; i++)
		free(b->blocks[i]);
	free(b->blocks);
	arena_free(&b->mem);
	free(b->hashes);
	free(b->slots);
	schema_free(b->sc);
	free(b);
}

size_t
pdb_batch_rows(const struct pdb_batch *b)
{
	return b->nrows;
}

static const struct value *
pdb_batch_key(const struct pdb_batch *b, size_t i)
{
	return &pdb_batch_row(b, i)[b->sc->key_field];
}

static void
pdb_batch_rehash(struct pdb_batch *b)
{
	size_t i, s, mask;

	free(b->slots);
	b->nslots *= 2;
	b->slots = xcalloc(b->nslots, sizeof *b->slots);
	mask = b->nslots - 1;
	for (i = 0; i < b->nrows; i++) {
		s = b->hashes[i] & mask;
		while (b->slots[s] != 0) {
			const struct value *k = pdb_batch_key(b,
			    b->slots[s] - 1);

			/* Keep the first row of a duplicated key. */
			if (b->hashes[b->slots[s] - 1] == b->hashes[i] &&
			    k->u.s.len == pdb_batch_key(b, i)->u.s.len &&
			    memcmp(k->u.s.p, pdb_batch_key(b, i)->u.s.p,
			    k->u.s.len) == 0)
				break;
			s = (s + 1) & mask;
		}
		if (b->slots[s] == 0)
			b->slots[s] = (uint32_t)i + 1;
	}
}

long
pdb_batch_find(const struct pdb_batch *b, const char *key, size_t len)
{
	uint64_t h = pdb_hash(key, len);
	size_t s, mask = b->nslots - 1;
	const struct value *k;

	for (s = h & mask; b->slots[s] != 0; s = (s + 1) & mask) {
		if (b->hashes[b->slots[s] - 1] != h)
			continue;
		k = pdb_batch_key(b, b->slots[s] - 1);
		if (k->u.s.len == len && memcmp(k->u.s.p, key, len) == 0)
			return (long)b->slots[s] - 1;
	}
	return -1;
}

size_t
pdb_batch_add(struct pdb_batch *b, const struct value *row)
{
	struct value *dst;
	const struct value *k;
	size_t i = b->nrows, s, mask;
	uint16_t f, nf = b->sc->nfields;
	uint32_t j;
	const char **tags;

	if (i % PDB_BATCH_BLOCK == 0) {
		b->blocks = xreallocarray(b->blocks, b->nblocks + 1,
		    sizeof *b->blocks);
		b->blocks[b->nblocks++] = xmalloc(PDB_BATCH_BLOCK *
		    (size_t)nf * sizeof **b->blocks);
	}
	dst = pdb_batch_row(b, i);
	for (f = 0; f < nf; f++) {
		dst[f] = row[f];
		if (!row[f].present)
			continue;
		switch (b->sc->fields[f].type) {
		case FT_STRING:
			dst[f].u.s.p = arena_strndup(&b->mem, row[f].u.s.p,
			    row[f].u.s.len);
			break;
		case FT_TAGS:
			tags = arena_alloc(&b->mem, ((size_t)row[f].u.tags.n +
			    1) * sizeof *tags);
			for (j = 0; j < row[f].u.tags.n; j++)
				tags[j] = arena_strndup(&b->mem,
				    row[f].u.tags.v[j],
				    strlen(row[f].u.tags.v[j]));
			dst[f].u.tags.v = tags;
			break;
		default:
			break;
		}
	}
	k = &dst[b->sc->key_field];
	if (!k->present) {
		/* Keyless rows are refused at apply; hash them as "". */
		dst[b->sc->key_field].u.s.p = "";
		dst[b->sc->key_field].u.s.len = 0;
	}
	if (i == b->hcap) {
		b->hcap = b->hcap ? b->hcap * 2 : 1024;
		b->hashes = xreallocarray(b->hashes, b->hcap,
		    sizeof *b->hashes);
	}
	b->hashes[i] = pdb_hash(k->u.s.p, k->u.s.len);
	b->nrows++;
	if (b->nrows * 2 > b->nslots)
		pdb_batch_rehash(b);
	else if (pdb_batch_find(b, k->u.s.p, k->u.s.len) < 0) {
		mask = b->nslots - 1;
		for (s = b->hashes[i] & mask; b->slots[s] != 0;
		    s = (s + 1) & mask)
			;
		b->slots[s] = (uint32_t)i + 1;
	}
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

struct pdb_keyref {
	const char	*p;
	uint32_t	 len;
	uint32_t	 pno;
};

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

static int
pdb_put_keys(struct store_txn *t, uint32_t dbid, struct pdb_keyref *keys,
    size_t n, char **cause)
{
	uint8_t *k = NULL, val[4];
	size_t cap = 0, i;
	int rc = 0, append = 1;

	/* Sorted keys fill the B-tree page by page instead of at random. */
	qsort(keys, n, sizeof *keys, pdb_keyref_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		if (keys[i].len + 4 > cap) {
			cap = keys[i].len + 64;
			k = xrealloc(k, cap);
		}
		store_be32(k, dbid);
		memcpy(k + 4, keys[i].p, keys[i].len);
		store_be32(val, keys[i].pno);
		if (append) {
			rc = store_append(t, STORE_KEYS, k, keys[i].len + 4,
			    val, 4, cause);
			if (rc == 1) {
				append = 0;
				rc = store_put(t, STORE_KEYS, k,
				    keys[i].len + 4, val, 4, cause);
			}
		} else
			rc = store_put(t, STORE_KEYS, k, keys[i].len + 4, val,
			    4, cause);
	}
	free(k);
	return rc == 0 ? 0 : -1;
}

/*
 * Rewrites every touched chunk of every column.  assign[] is sorted by
 * profile number; changed[row] says whether an existing row differed.
 */
static int
pdb_write_chunks(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t oldn, struct pdb_batch *b, const struct pdb_assign *assign,
    size_t nassign, uint8_t *changed, char **cause)
{
	struct value *vals;
	uint16_t *buckets;
	struct col_chunk c;
	struct pdb_enc *e;
	struct arena a = ARENA_INIT;
	size_t lo, hi, i;
	uint32_t ch, nrows, r, f, nf = sc->nfields;
	const struct value *src, *k;
	int rc = 0, col;

	vals = xcalloc(PDB_CHUNK_ROWS, sizeof *vals);
	buckets = xcalloc(PDB_CHUNK_ROWS, sizeof *buckets);
	e = xcalloc(1, sizeof *e);
	memset(&c, 0, sizeof c);
	for (lo = 0; lo < nassign && rc == 0; lo = hi) {
		ch = assign[lo].pno / PDB_CHUNK_ROWS;
		for (hi = lo; hi < nassign &&
		    assign[hi].pno / PDB_CHUNK_ROWS == ch; hi++)
			;
		nrows = sc->nprofiles - ch * PDB_CHUNK_ROWS;
		if (nrows > PDB_CHUNK_ROWS)
			nrows = PDB_CHUNK_ROWS;
		/* The fields, then the hidden bucket column (col == nf). */
		for (col = 0; col <= (int)nf && rc == 0; col++) {
			uint16_t field = col == (int)nf ? PDB_COL_BUCKET :
			    (uint16_t)col;

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
				src = pdb_batch_row(b, assign[i].row);
				if (field == PDB_COL_BUCKET) {
					if (assign[i].pno >= oldn) {
						k = &src[sc->key_field];
						buckets[r] = bucket_of_key(
						    k->u.s.p, k->u.s.len);
					}
					continue;
				}
				f = field;
				if (assign[i].pno < oldn &&
				    !value_equal(sc->fields[f].type, &vals[r],
				    &src[f]))
					changed[assign[i].row] = 1;
				vals[r] = src[f];
			}
			rc = pdb_encode(t, e, sc->id, field, ch,
			    field == PDB_COL_BUCKET ? FT_INT :
			    sc->fields[field].type, nrows, vals, buckets,
			    cause);
		}
	}
	pdb_chunk_release(&c);
	pdb_enc_free(e);
	free(vals);
	free(buckets);
	arena_free(&a);
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
	size_t i, nnew = 0, nold = 0, nassign = 0;
	uint32_t oldn, pno, *pnos = NULL;
	const struct value *k;
	long first;
	int rc = -1, found;

	memset(stats, 0, sizeof *stats);
	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	if (sc->nfields != b->sc->nfields || sc->id != b->sc->id) {
		error_set(cause, _("profile database '%s' changed while the "
		    "import was read"), dbname);
		goto out;
	}
	oldn = sc->nprofiles;
	pnos = xmalloc((b->nrows + 1) * sizeof *pnos);
	dup = xcalloc(b->nrows + 1, 1);
	changed = xcalloc(b->nrows + 1, 1);
	newkeys = xmalloc((b->nrows + 1) * sizeof *newkeys);

	/* Pass 1: profile numbers, known keys first looked up. */
	for (i = 0; i < b->nrows; i++) {
		k = pdb_batch_key(b, i);
		if (!pdb_batch_row(b, i)[sc->key_field].present ||
		    k->u.s.len == 0) {
			error_set(cause, _("profile database '%s': a row has no "
			    "value for the key field '%s'"), dbname,
			    sc->fields[sc->key_field].name);
			goto out;
		}
		first = pdb_batch_find(b, k->u.s.p, k->u.s.len);
		if (first >= 0 && (size_t)first < i) {
			/* A repeated key updates the row it repeats. */
			pnos[i] = pnos[first];
			dup[i] = 1;
			continue;
		}
		found = 1;
		if (oldn > 0) {
			found = pdb_lookup(t, sc, k->u.s.p, k->u.s.len, &pno,
			    cause);
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
		newkeys[nnew].p = k->u.s.p;
		newkeys[nnew].len = k->u.s.len;
		newkeys[nnew].pno = pnos[i];
		nnew++;
	}

	/* Pass 2: rows ordered by profile number (a later duplicate wins). */
	assign = xmalloc((b->nrows + 1) * sizeof *assign);
	for (i = 0; i < b->nrows; i++) {
		assign[nassign].pno = pnos[i];
		assign[nassign].row = (uint32_t)i;
		nassign++;
	}
	if (nold > 0 || nnew < b->nrows)
		qsort(assign, nassign, sizeof *assign, pdb_assign_cmp);
	if (pdb_write_chunks(t, sc, oldn, b, assign, nassign, changed,
	    cause) != 0)
		goto out;
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
	struct pdb_enc *e = NULL;
	struct arena a = ARENA_INIT;
	roaring_uint32_iterator_t it;
	uint32_t ch, r, nrows;
	int rc = -1, dirty;

	*changed = 0;
	memset(&c, 0, sizeof c);
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
	e = xcalloc(1, sizeof *e);
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
		if (dirty && pdb_encode(t, e, sc->id, field, ch,
		    sc->fields[field].type, nrows, vals, NULL, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	pdb_chunk_release(&c);
	pdb_enc_free(e);
	free(vals);
	arena_free(&a);
	schema_free(sc);
	return rc;
}
