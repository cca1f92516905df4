/*
 * The column chunk codec: a stored chunk parsed into a col_chunk view
 * (pdb_chunk), and the chunk builder (pdb_bcol) that appends rows, with a
 * per-chunk string dictionary, and writes them out in the same layout.
 * See doc/storage.md, "Columns and chunks".
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

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "i18n.h"
#include "pdb.h"
#include "pdb_int.h"
#include "util.h"

static size_t
pdb_pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* ------------------------------------------------------------------ */
/* Reading chunks. */

/* Formats why a chunk is damaged into why (when not NULL); -1. */
static int __attribute__((format(printf, 3, 4)))
pdb_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * The name of a column in messages: its field, or the range buckets.
 */
const char *
pdb_col_name(const struct pdb_schema *sc, uint16_t field)
{
	if (field == PDB_COL_BUCKET)
		return _("(range bucket)");
	if (field < sc->nfields)
		return sc->fields[field].name;
	return "?";
}

int
pdb_damaged(const struct pdb_schema *sc, uint16_t field, uint32_t chunk,
    const char *why, char **cause)
{
	return error_set(cause, _("profile database '%s': field '%s', chunk "
	    "%u is damaged: %s"), sc->name, pdb_col_name(sc, field), chunk,
	    why);
}

/*
 * The layout of the bytes: header, and every section within vlen with
 * exactly the size the header gives.  Reads nothing past p + vlen.
 */
int
pdb_parse(const uint8_t *p, size_t vlen, int kind, struct col_chunk *c,
    char *why, size_t whylen)
{
	size_t words, need, at;
	uint32_t nrows, ndict, ncodes;
	uint16_t zero;
	enum field_type type;

	if (vlen < PDB_HDR)
		return pdb_why(why, whylen, _("%zu bytes, shorter than a chunk "
		    "header"), vlen);
	if (p[0] != kind)
		return pdb_why(why, whylen, _("kind %u, the field's is %u"),
		    p[0], (unsigned)kind);
	if (p[1] != PDB_VERSION)
		return pdb_why(why, whylen, _("chunk version %u, this reseg "
		    "reads %u"), p[1], PDB_VERSION);
	memcpy(&zero, p + 2, 2);
	memcpy(&nrows, p + 4, 4);
	memcpy(&ndict, p + 8, 4);
	memcpy(&ncodes, p + 12, 4);
	if (zero != 0)
		return pdb_why(why, whylen, _("the header's reserved bytes are "
		    "not zero"));
	if (nrows > PDB_CHUNK_ROWS)
		return pdb_why(why, whylen, _("%u rows, more than %u"), nrows,
		    PDB_CHUNK_ROWS);
	type = kind == PDB_KIND_BUCKET ? FT_INT : (enum field_type)kind;
	if (ndict != 0 && type != FT_STRING && type != FT_TAGS)
		return pdb_why(why, whylen, _("a dictionary of %u entries in "
		    "a column without one"), ndict);
	if (ncodes != 0 && type != FT_TAGS)
		return pdb_why(why, whylen, _("%u tag codes in a column "
		    "without tags"), ncodes);
	/* Every count below is at most vlen / 4, so no sum overflows. */
	if (ndict > vlen / 4 || ncodes > vlen / 4)
		return pdb_why(why, whylen, _("%zu bytes, too short for %u "
		    "dictionary entries and %u tag codes"), vlen, ndict,
		    ncodes);
	c->type = type;
	c->nrows = nrows;
	words = (nrows + 63) / 64;
	at = PDB_HDR;
	c->present = (const uint64_t *)(const void *)(p + at);
	at += words * 8;
	if (kind == PDB_KIND_BUCKET) {
		c->u16 = (const uint16_t *)(const void *)(p + at);
		at += pdb_pad8(2 * (size_t)nrows);
	} else {
		switch (type) {
		case FT_INT:
		case FT_DATETIME:
			c->i64 = (const int64_t *)(const void *)(p + at);
			at += 8 * (size_t)nrows;
			break;
		case FT_FLOAT:
			c->f64 = (const double *)(const void *)(p + at);
			at += 8 * (size_t)nrows;
			break;
		case FT_DATE:
			c->i32 = (const int32_t *)(const void *)(p + at);
			at += pdb_pad8(4 * (size_t)nrows);
			break;
		case FT_BOOL:
			c->u8 = p + at;
			at += pdb_pad8(nrows);
			break;
		case FT_STRING:
			c->codes = (const uint32_t *)(const void *)(p + at);
			at += pdb_pad8(4 * (size_t)nrows);
			break;
		case FT_TAGS:
			c->tag_off = (const uint32_t *)(const void *)(p + at);
			c->ncodes = ncodes;
			at += pdb_pad8(4 * ((size_t)nrows + 1));
			c->codes = (const uint32_t *)(const void *)(p + at);
			at += pdb_pad8(4 * (size_t)ncodes);
			break;
		default:
			return pdb_why(why, whylen, _("unknown kind %u"),
			    (unsigned)kind);
		}
		if (type == FT_STRING || type == FT_TAGS) {
			c->ndict = ndict;
			if (at + 4 * ((size_t)ndict + 1) > vlen)
				return pdb_why(why, whylen, _("%zu bytes, "
				    "shorter than its sections"), vlen);
			c->dict_off = (const uint32_t *)(const void *)(p + at);
			at += pdb_pad8(4 * ((size_t)ndict + 1));
			c->dict_data = (const char *)(p + at);
			need = c->dict_off[ndict];
			if (at > vlen || need > vlen - at)
				return pdb_why(why, whylen, _("dictionary of "
				    "%zu bytes past the chunk's end"), need);
			at += pdb_pad8(need);
		}
	}
	if (at != vlen)
		return pdb_why(why, whylen, _("%zu bytes, its header gives "
		    "%zu"), vlen, at);
	return 0;
}

/*
 * Tests over a chunk's arrays, four or eight lanes at a time (GCC and
 * Clang vector extensions; plain code where there is no SIMD): checking
 * a chunk must cost little next to evaluating it.  Values below 2^31 (or
 * 2^15) make "x < lim" the sign bit of x - lim, so each test is a
 * subtraction and an AND or OR per vector.
 */
typedef uint32_t pdb_u32x4 __attribute__((vector_size(16)));
typedef uint16_t pdb_u16x8 __attribute__((vector_size(16)));

/* Whether every one of v[0..n) is below lim. */
static int
pdb_all_below32(const uint32_t *v, uint32_t n, uint32_t lim)
{
	pdb_u32x4 x, l = { lim, lim, lim, lim }, a = ~(pdb_u32x4){ 0 },
	    o = { 0 };
	uint32_t i, as, os;

	if (lim > 0x7FFFFFFFU) {
		for (i = 0; i < n && v[i] < lim; i++)
			;
		return i == n;
	}
	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&x, v + i, sizeof x);
		a &= x - l;
		o |= x;
	}
	as = a[0] & a[1] & a[2] & a[3];
	os = o[0] | o[1] | o[2] | o[3];
	for (; i < n; i++) {
		as &= v[i] - lim;
		os |= v[i];
	}
	return (as >> 31) != 0 && (os >> 31) == 0;
}

static int
pdb_all_below16(const uint16_t *v, uint32_t n, uint16_t lim)
{
	pdb_u16x8 x, l = { lim, lim, lim, lim, lim, lim, lim, lim },
	    a = ~(pdb_u16x8){ 0 }, o = { 0 };
	uint32_t i;
	uint16_t as = 0xFFFF, os = 0;
	int k;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, v + i, sizeof x);
		a &= x - l;
		o |= x;
	}
	for (k = 0; k < 8; k++) {
		as &= a[k];
		os |= o[k];
	}
	for (; i < n; i++) {
		as &= (uint16_t)(v[i] - lim);
		os |= v[i];
	}
	return (as >> 15) != 0 && (os >> 15) == 0;
}

/* Whether any byte of v[0..n) is above 1. */
static int
pdb_any_above1(const uint8_t *v, uint32_t n)
{
	uint64_t w, acc = 0;
	uint32_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, v + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= v[i];
	return (acc & 0xFEFEFEFEFEFEFEFEULL) != 0;
}

/*
 * The first i < n with v[i + 1] below v[i], or with an offset past 2^31
 * (no chunk is that long), among v[0..n]; n when there is none.
 */
static uint32_t
pdb_disorder(const uint32_t *v, uint32_t n)
{
	pdb_u32x4 x, y, o = { 0 };
	uint32_t i, os;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&x, v + i, sizeof x);
		memcpy(&y, v + i + 1, sizeof y);
		o |= (y - x) | x | y;
	}
	os = o[0] | o[1] | o[2] | o[3];
	for (; i < n; i++)
		os |= (v[i + 1] - v[i]) | v[i] | v[i + 1];
	if ((os >> 31) == 0)
		return n;
	for (i = 0; i < n; i++)
		if (v[i + 1] < v[i] || v[i + 1] > 0x7FFFFFFFU)
			break;
	return i;
}

/* The largest of v[0..n) (a damaged chunk's message only). */
static uint32_t
pdb_max16(const uint16_t *v, uint32_t n)
{
	uint32_t i, m = 0;

	for (i = 0; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

/*
 * What the layout cannot tell: values that readers use as indexes or
 * bounds.  Once per chunk, a pass over its codes and offsets; only a
 * chunk found damaged is walked again to say where.
 */
int
pdb_validate(const struct col_chunk *c, char *why, size_t whylen)
{
	uint32_t n = c->nrows, words = (n + 63) / 64, r, i;

	if (n % 64 != 0 && (c->present[words - 1] >> (n % 64)) != 0)
		return pdb_why(why, whylen, _("presence bits set past its %u "
		    "rows"), n);
	if (c->u16 != NULL) {
		if (!pdb_all_below16(c->u16, n, PDB_BUCKETS))
			return pdb_why(why, whylen, _("a range bucket of %u, "
			    "above %u"), pdb_max16(c->u16, n), PDB_BUCKETS - 1);
		return 0;
	}
	if (c->type == FT_BOOL) {
		if (pdb_any_above1(c->u8, n))
			return pdb_why(why, whylen, _("a boolean byte that is "
			    "neither 0 nor 1"));
		return 0;
	}
	if (c->type != FT_STRING && c->type != FT_TAGS)
		return 0;
	if (c->dict_off[0] != 0)
		return pdb_why(why, whylen, _("the dictionary does not start "
		    "at offset 0"));
	if ((i = pdb_disorder(c->dict_off, c->ndict)) < c->ndict)
		return pdb_why(why, whylen, _("dictionary offsets out of order "
		    "at entry %u"), i + 1);
	if (c->type == FT_STRING) {
		if (pdb_all_below32(c->codes, n, c->ndict))
			return 0;
		/* Absent rows hold 0, which a chunk without entries lacks. */
		for (r = 0; r < n; r++) {
			if (c->codes[r] >= c->ndict &&
			    (c->codes[r] != 0 || col_present(c, r)))
				return pdb_why(why, whylen, _("row %u has "
				    "dictionary code %u, the dictionary has %u "
				    "entries"), r, c->codes[r], c->ndict);
		}
		return 0;
	}
	if (c->tag_off[0] != 0)
		return pdb_why(why, whylen, _("the tag offsets do not start at "
		    "0"));
	if ((i = pdb_disorder(c->tag_off, n)) < n)
		return pdb_why(why, whylen, _("tag offsets out of order at row "
		    "%u"), i);
	if (c->tag_off[n] != c->ncodes)
		return pdb_why(why, whylen, _("the tag offsets end at %u, the "
		    "chunk has %u tag codes"), c->tag_off[n], c->ncodes);
	if (!pdb_all_below32(c->codes, c->ncodes, c->ndict)) {
		for (i = 0; c->codes[i] < c->ndict; i++)
			;
		return pdb_why(why, whylen, _("tag code %u is %u, the "
		    "dictionary has %u entries"), i, c->codes[i], c->ndict);
	}
	return 0;
}

/*
 * Rows of a field with no stored chunk: the field was added to the
 * database after these profiles were stored, so each one lacks it.  Every
 * array points at zeros, as an absent value's row holds.
 */
static const uint64_t pdb_zeros[PDB_CHUNK_ROWS + 8];

void
pdb_chunk_absent(struct col_chunk *c, enum field_type type, uint32_t nrows)
{
	const void *z = pdb_zeros;

	c->type = type;
	c->nrows = nrows;
	c->present = pdb_zeros;
	c->i64 = z;
	c->f64 = z;
	c->i32 = z;
	c->u8 = z;
	c->u16 = z;
	c->codes = z;
	c->ndict = 0;
	c->dict_off = z;
	c->dict_data = z;
	c->tag_off = z;
}

/* Stored bytes into c, copied into c's scratch when not 8-byte aligned. */
static int
pdb_chunk_copy_parse(const void *val, size_t vlen, int kind,
    struct col_chunk *c, char *why, size_t whylen)
{
	void *scratch = c->scratch;
	size_t scratch_size = c->scratch_size;

	memset(c, 0, sizeof *c);
	c->scratch = scratch;
	c->scratch_size = scratch_size;
	if (vlen > 0 && ((uintptr_t)val & 7) != 0) {
		/* LMDB only aligns values to 2 bytes in small nodes. */
		if (c->scratch_size < vlen) {
			free(c->scratch);
			c->scratch = xmalloc(vlen);
			c->scratch_size = vlen;
		}
		memcpy(c->scratch, val, vlen);
		val = c->scratch;
	}
	return pdb_parse(val, vlen, kind, c, why, whylen);
}

int
pdb_chunk_view(const void *val, size_t vlen, int kind, struct col_chunk *c,
    char *why, size_t whylen)
{
	if (pdb_chunk_copy_parse(val, vlen, kind, c, why, whylen) != 0)
		return -1;
	return pdb_validate(c, why, whylen);
}

/* pdb_chunk, with the pass over the values only when validate is set. */
static int
pdb_chunk_get(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t chunk, struct col_chunk *c, int validate,
    char **cause)
{
	uint8_t key[10];
	const void *val;
	size_t vlen;
	char why[PDB_WHY];
	uint64_t left;
	uint32_t expect;
	int rc;

	if (field != PDB_COL_BUCKET && field >= sc->nfields)
		return error_set(cause, _("profile database '%s' has no field "
		    "%u"), sc->name, field);
	pdb_col_key(key, sc->id, field, chunk);
	rc = store_get(t, STORE_COLS, key, sizeof key, &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		/* A field added later has no chunks for older profiles. */
		if (field != PDB_COL_BUCKET && field != sc->key_field &&
		    chunk < pdb_nchunks(sc)) {
			left = sc->nprofiles - (uint64_t)chunk * PDB_CHUNK_ROWS;
			memset(c, 0, offsetof(struct col_chunk, scratch));
			pdb_chunk_absent(c, sc->fields[field].type,
			    left < PDB_CHUNK_ROWS ? (uint32_t)left :
			    PDB_CHUNK_ROWS);
			return 0;
		}
		return error_set(cause, _("profile database '%s': field '%s', "
		    "chunk %u is missing"), sc->name, pdb_col_name(sc, field),
		    chunk);
	}
	if (pdb_chunk_copy_parse(val, vlen, pdb_kind(sc, field), c, why,
	    sizeof why) != 0 || (validate && pdb_validate(c, why,
	    sizeof why) != 0))
		return pdb_damaged(sc, field, chunk, why, cause);
	/* Readers take a chunk's rows from the profile count. */
	if (chunk < pdb_nchunks(sc)) {
		left = sc->nprofiles - (uint64_t)chunk * PDB_CHUNK_ROWS;
		expect = left < PDB_CHUNK_ROWS ? (uint32_t)left :
		    PDB_CHUNK_ROWS;
		if (c->nrows != expect) {
			pdb_why(why, sizeof why, _("%u rows, the database's "
			    "profile count gives %u"), c->nrows, expect);
			return pdb_damaged(sc, field, chunk, why, cause);
		}
	}
	return 0;
}

int
pdb_chunk(struct store_txn *t, const struct pdb_schema *sc, uint16_t field,
    uint32_t chunk, struct col_chunk *c, char **cause)
{
	return pdb_chunk_get(t, sc, field, chunk, c, 1, cause);
}

int
pdb_chunk_layout(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t chunk, struct col_chunk *c, char **cause)
{
	return pdb_chunk_get(t, sc, field, chunk, c, 0, cause);
}

int
pdb_chunk_check(const struct pdb_schema *sc, uint16_t field, uint32_t chunk,
    const struct col_chunk *c, char **cause)
{
	char why[PDB_WHY];

	if (pdb_validate(c, why, sizeof why) != 0)
		return pdb_damaged(sc, field, chunk, why, cause);
	return 0;
}

void
pdb_chunk_release(struct col_chunk *c)
{
	free(c->scratch);
	c->scratch = NULL;
	c->scratch_size = 0;
}

/* ------------------------------------------------------------------ */
/* Writing chunks. */

/* A fast hash for in-memory tables (not the range bucket hash). */
uint64_t
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

void
pdb_bcol_reset(struct pdb_bcol *bc)
{
	bc->nrows = 0;
	memset(bc->present, 0, sizeof bc->present);
	bc->ntcodes = 0;
	if (bc->kind == FT_STRING || bc->kind == FT_TAGS)
		pdb_dict_reset(&bc->dict);
}

void
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

void
pdb_bcol_free(struct pdb_bcol *bc)
{
	free(bc->fixed);
	free(bc->codes);
	free(bc->tag_off);
	free(bc->tcodes);
	pdb_dict_free(&bc->dict);
}

/* Appends one row (the chunk has room). */
void
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

/* Bytes of the chunk in its stored layout. */
size_t
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
void
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
int
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
