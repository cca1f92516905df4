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
int
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
	uint16_t width;
	enum field_type type;

	if (vlen < PDB_HDR)
		return pdb_why(why, whylen, _("%zu bytes, shorter than a chunk "
		    "header"), vlen);
	if (p[0] != kind)
		return pdb_why(why, whylen, _("kind %u, the field's is %u"),
		    p[0], (unsigned)kind);
	if (p[1] != PDB_VERSION && p[1] != PDB_VERSION_PACKED)
		return pdb_why(why, whylen, _("chunk version %u, this reseg "
		    "reads %u and %u"), p[1], PDB_VERSION, PDB_VERSION_PACKED);
	memcpy(&width, p + 2, 2);
	memcpy(&nrows, p + 4, 4);
	memcpy(&ndict, p + 8, 4);
	memcpy(&ncodes, p + 12, 4);
	if (p[1] == PDB_VERSION && width != 0)
		return pdb_why(why, whylen, _("the header's reserved bytes are "
		    "not zero"));
	if (p[1] == PDB_VERSION_PACKED && !pdb_packable(kind, width))
		return pdb_why(why, whylen, _("packed at %u bytes a row, a "
		    "width this column's type does not use"), width);
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
	if (p[1] == PDB_VERSION_PACKED) {
		c->width = width;
		if (type != FT_STRING) {
			if (at + 8 > vlen)
				return pdb_why(why, whylen, _("%zu bytes, "
				    "shorter than its sections"), vlen);
			memcpy(&c->base, p + at, 8);
			at += 8;
		}
		c->packed = p + at;
		at += pdb_pad8((size_t)width * nrows);
	} else if (kind == PDB_KIND_BUCKET) {
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
	}
	/* Every code must fit the width (the scan narrows its tests). */
	if (c->width != 0 && type == FT_STRING && (uint64_t)ndict >
	    (uint64_t)1 << (8 * c->width))
		return pdb_why(why, whylen, _("%u dictionary entries, more "
		    "than %u-byte codes hold"), ndict, c->width);
	if (type == FT_STRING || type == FT_TAGS) {
		c->ndict = ndict;
		if (at + 4 * ((size_t)ndict + 1) > vlen)
			return pdb_why(why, whylen, _("%zu bytes, shorter than "
			    "its sections"), vlen);
		c->dict_off = (const uint32_t *)(const void *)(p + at);
		at += pdb_pad8(4 * ((size_t)ndict + 1));
		c->dict_data = (const char *)(p + at);
		need = c->dict_off[ndict];
		if (at > vlen || need > vlen - at)
			return pdb_why(why, whylen, _("dictionary of %zu bytes "
			    "past the chunk's end"), need);
		at += pdb_pad8(need);
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

typedef uint8_t pdb_u8x16 __attribute__((vector_size(16)));
typedef int8_t pdb_i8x16 __attribute__((vector_size(16)));
typedef int16_t pdb_i16x8 __attribute__((vector_size(16)));

/* Whether every packed code of a string chunk is below lim. */
static int
pdb_packed_below(const struct col_chunk *c, uint32_t lim)
{
	const uint8_t *p8 = c->packed;
	const uint16_t *p16 = c->packed;
	uint32_t i, n = c->nrows, k;
	pdb_u8x16 x8, l8;
	pdb_u16x8 x16, l16;
	pdb_i8x16 a8 = { 0 };
	pdb_i16x8 a16 = { 0 };
	int any = 0;

	if (c->width == 1) {
		if (lim > 0xFF)
			return 1;
		l8 = (pdb_u8x16){ 0 } + (uint8_t)lim;
		for (i = 0; i + 16 <= n; i += 16) {
			memcpy(&x8, p8 + i, sizeof x8);
			a8 |= x8 >= l8;
		}
		for (k = 0; k < 16; k++)
			any |= a8[k];
		for (; i < n; i++)
			any |= p8[i] >= lim;
		return !any;
	}
	if (lim > 0xFFFF)
		return 1;
	l16 = (pdb_u16x8){ 0 } + (uint16_t)lim;
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x16, p16 + i, sizeof x16);
		a16 |= x16 >= l16;
	}
	for (k = 0; k < 8; k++)
		any |= a16[k];
	for (; i < n; i++)
		any |= p16[i] >= lim;
	return !any;
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
/*
 * Whether every packed value of an int, datetime or date chunk, added to
 * its base, stays within the type (only a chunk based near the end of
 * the range needs the pass over its values).
 */
static int
pdb_packed_fits(const struct col_chunk *c)
{
	uint64_t room;
	uint32_t r;

	if (c->type == FT_DATE) {
		if (c->base < INT32_MIN || c->base > INT32_MAX)
			return 0;
		room = (uint64_t)(INT32_MAX - c->base);
	} else
		room = (uint64_t)INT64_MAX - (uint64_t)c->base;
	if (room >= 0xFFFFFFFFU)
		return 1;
	for (r = 0; r < c->nrows; r++) {
		if (col_packed(c, r) > room)
			return 0;
	}
	return 1;
}

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
	if (c->width != 0 && c->type != FT_STRING) {
		if (!pdb_packed_fits(c))
			return pdb_why(why, whylen, _("packed values past the "
			    "range of the column's type"));
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
		if (c->width != 0 ? pdb_packed_below(c, c->ndict) :
		    pdb_all_below32(c->codes, n, c->ndict))
			return 0;
		/* Absent rows hold 0, which a chunk without entries lacks. */
		for (r = 0; r < n; r++) {
			if (col_code(c, r) >= c->ndict &&
			    (col_code(c, r) != 0 || col_present(c, r)))
				return pdb_why(why, whylen, _("row %u has "
				    "dictionary code %u, the dictionary has %u "
				    "entries"), r, col_code(c, r), c->ndict);
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

/*
 * Stored bytes into c, copied into c's scratch when not 8-byte aligned
 * (or always, when copy is set).
 */
static int
pdb_chunk_copy_parse(const void *val, size_t vlen, int kind,
    struct col_chunk *c, int copy, char *why, size_t whylen)
{
	void *scratch = c->scratch, *plain = c->plain;
	size_t scratch_size = c->scratch_size, plain_size = c->plain_size;

	memset(c, 0, sizeof *c);
	c->scratch = scratch;
	c->scratch_size = scratch_size;
	c->plain = plain;
	c->plain_size = plain_size;
	if (vlen > 0 && (copy || ((uintptr_t)val & 7) != 0)) {
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

/* All ones when row r is present, else 0 (no branch: rows are random). */
static inline uint64_t
pdb_row_mask(const uint64_t *present, uint32_t r)
{
	return -((present[r >> 6] >> (r & 63)) & 1);
}

/*
 * out[r] = base + packed row r, masked by the presence bits, for T the
 * packed width's type and O the plain one: one loop per width.
 */
#define PDB_UNPACK(T, O, out, c, base, n) do {				\
	const T *x_ = (c)->packed;					\
	uint32_t r_;							\
									\
	for (r_ = 0; r_ < (n); r_++)					\
		(out)[r_] = (O)((base + x_[r_]) &			\
		    pdb_row_mask((c)->present, r_));			\
} while (0)

void
pdb_unpack(struct col_chunk *c)
{
	uint32_t n = c->nrows, wd = c->width;
	uint64_t base = (uint64_t)c->base;
	size_t size;
	int64_t *i64;
	int32_t *i32;
	uint32_t *codes;

	if (wd == 0)
		return;
	size = (size_t)(n > 0 ? n : 1) * (c->type == FT_INT ||
	    c->type == FT_DATETIME ? 8 : 4);
	if (c->plain_size < size) {
		free(c->plain);
		c->plain = xmalloc(size);
		c->plain_size = size;
	}
	/* Absent rows hold 0 in plain arrays. */
	switch (c->type) {
	case FT_INT:
	case FT_DATETIME:
		i64 = c->plain;
		if (wd == 1)
			PDB_UNPACK(uint8_t, int64_t, i64, c, base, n);
		else if (wd == 2)
			PDB_UNPACK(uint16_t, int64_t, i64, c, base, n);
		else
			PDB_UNPACK(uint32_t, int64_t, i64, c, base, n);
		c->i64 = i64;
		break;
	case FT_DATE:
		i32 = c->plain;
		if (wd == 1)
			PDB_UNPACK(uint8_t, int32_t, i32, c, base, n);
		else
			PDB_UNPACK(uint16_t, int32_t, i32, c, base, n);
		c->i32 = i32;
		break;
	default:
		codes = c->plain;
		if (wd == 1)
			PDB_UNPACK(uint8_t, uint32_t, codes, c, 0, n);
		else
			PDB_UNPACK(uint16_t, uint32_t, codes, c, 0, n);
		c->codes = codes;
		break;
	}
	c->width = 0;
	c->base = 0;
	c->packed = NULL;
}

int
pdb_chunk_view(const void *val, size_t vlen, int kind, struct col_chunk *c,
    char *why, size_t whylen)
{
	if (pdb_chunk_copy_parse(val, vlen, kind, c, 0, why, whylen) != 0 ||
	    pdb_validate(c, why, whylen) != 0)
		return -1;
	pdb_unpack(c);
	return 0;
}

static void pdb_patch_mem(struct col_chunk *, int kind,
    const struct pdb_overlay *, uint8_t **mem, size_t *size);
static void pdb_present_set(uint8_t *, uint32_t r, int on);
static int pdb_packed_put(uint8_t *out, uint32_t w, int64_t base, int kind,
    const struct value *, uint32_t r);

/*
 * The dictionary entry of each present value of vals[0..n) in a string
 * chunk, into codes (0 for an absent one); -1 when a value is not in it.
 */
static int
pdb_codes_of(const struct col_chunk *c, const struct value *vals, size_t n,
    uint32_t *codes)
{
	const char *p;
	uint32_t e, len;
	size_t i;

	for (i = 0; i < n; i++) {
		codes[i] = 0;
		if (!vals[i].present)
			continue;
		for (e = 0; e < c->ndict; e++) {
			p = c->dict_data + c->dict_off[e];
			len = c->dict_off[e + 1] - c->dict_off[e];
			if (len == vals[i].u.s.len && bytes_same(p,
			    vals[i].u.s.p, len))
				break;
		}
		if (e == c->ndict)
			return -1;
		codes[i] = e;
	}
	return 0;
}

/* Whether some present row keeps code e once rows[0..n) change. */
static int
pdb_code_kept(const struct col_chunk *c, const uint32_t *rows,
    const struct value *vals, const uint32_t *codes, size_t n, uint8_t e)
{
	const uint8_t *packed = c->packed, *p = packed, *end = packed +
	    c->nrows;
	uint32_t r;
	size_t i;

	for (i = 0; i < n; i++)
		if (vals[i].present && codes[i] == e)
			return 1;
	while ((p = memchr(p, e, (size_t)(end - p))) != NULL) {
		r = (uint32_t)(p - packed);
		p++;
		if (!col_present(c, r))
			continue;
		for (i = 0; i < n && rows[i] != r; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/*
 * The codes of the values rows[0..n) of a string chunk of byte codes
 * take, when its dictionary holds them all and every entry a changed
 * row held still has a row (a dictionary never holds a value no row
 * has); else -1.
 */
static int
pdb_codes_in_place(const struct col_chunk *c, const uint32_t *rows,
    const struct value *vals, size_t n, uint32_t *codes)
{
	const uint8_t *packed = c->packed;
	size_t i;

	if (c->width != 1 || c->ndict == 0 ||
	    pdb_codes_of(c, vals, n, codes) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (col_present(c, rows[i]) && (!vals[i].present ||
		    codes[i] != packed[rows[i]]) && !pdb_code_kept(c, rows,
		    vals, codes, n, packed[rows[i]]))
			return -1;
	return 0;
}

/*
 * The overlay written into the chunk's own copy (c views its scratch)
 * when its layout does not change: packed values within the base and
 * width, plain fixed-width values, string values the dictionary of a
 * chunk of byte codes holds without leaving an entry unused.  One copy
 * of the stored bytes and a write a row, where pdb_patch_mem plans and
 * writes the chunk again: the scan reads every chunk of a store that has
 * taken many small upserts this way.  1, changing nothing, when it does
 * not apply.
 */
static int
pdb_merge_in_place(struct col_chunk *c, int kind, const struct pdb_overlay *ov)
{
	uint32_t code[PDB_OVERLAY_ROWS];
	uint8_t *present = (uint8_t *)(uintptr_t)c->present;
	uint8_t *packed = (uint8_t *)(uintptr_t)c->packed;
	size_t i, w = pdb_width(kind);

	if (kind == FT_STRING) {
		if (pdb_codes_in_place(c, ov->rows, ov->vals, ov->n, code) != 0)
			return 1;
		for (i = 0; i < ov->n; i++) {
			packed[ov->rows[i]] = (uint8_t)code[i];
			pdb_present_set(present, ov->rows[i],
			    ov->vals[i].present);
		}
		return 0;
	}
	if (c->width != 0) {
		for (i = 0; i < ov->n; i++)
			if (pdb_packed_put(NULL, c->width, c->base, kind,
			    &ov->vals[i], 0) != 0)
				return 1;
		for (i = 0; i < ov->n; i++) {
			pdb_packed_put(packed, c->width, c->base, kind,
			    &ov->vals[i], ov->rows[i]);
			pdb_present_set(present, ov->rows[i],
			    ov->vals[i].present);
		}
		return 0;
	}
	for (i = 0; i < ov->n; i++) {
		uint8_t *arr = (uint8_t *)(uintptr_t)(kind == FT_FLOAT ?
		    (const void *)c->f64 : kind == FT_DATE ?
		    (const void *)c->i32 : kind == FT_BOOL ?
		    (const void *)c->u8 : (const void *)c->i64);

		pdb_fixed_bytes(kind, &ov->vals[i], arr + w * ov->rows[i]);
		pdb_present_set(present, ov->rows[i], ov->vals[i].present);
	}
	return 0;
}

/*
 * A parsed chunk with its overlay's rows put in: c then views a merged
 * copy in its scratch (the stored bytes copied there already, for the
 * change in place).
 */
static int
pdb_chunk_merge(struct col_chunk *c, int kind, const void *oval, size_t olen,
    char *why, size_t whylen)
{
	struct pdb_overlay ov;
	uint8_t *mem;
	size_t size;

	if (pdb_overlay_parse(oval, olen, kind, c->nrows, &ov, why,
	    whylen) != 0)
		return -1;
	if (pdb_merge_in_place(c, kind, &ov) == 0)
		return 0;
	pdb_patch_mem(c, kind, &ov, &mem, &size);
	/* c may view its scratch, which mem replaces only now. */
	free(c->scratch);
	c->scratch = mem;
	c->scratch_size = size;
	if (pdb_chunk_copy_parse(mem, size, kind, c, 0, why, whylen) != 0)
		abort();
	return 0;
}

/*
 * pdb_chunk, with the pass over the values only when validate is set,
 * the bytes always copied when copy is, and a packed chunk unpacked when
 * unpack is.
 */
static int
pdb_chunk_get(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t chunk, struct col_chunk *c, int validate,
    int copy, int unpack, char **cause)
{
	uint8_t key[10];
	const void *val, *nkey, *oval;
	size_t vlen, nklen, olen;
	char why[PDB_WHY];
	uint64_t left;
	uint32_t expect;
	int rc, overlay;

	if (field != PDB_COL_BUCKET && field >= sc->nfields)
		return error_set(cause, _("profile database '%s' has no field "
		    "%u"), sc->name, field);
	pdb_col_key(key, sc->id, field, chunk);
	rc = store_get_next(t, STORE_COLS, key, sizeof key, &val, &vlen, &nkey,
	    &nklen, &oval, &olen, cause);
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
			c->missing = 1;
			return 0;
		}
		return error_set(cause, _("profile database '%s': field '%s', "
		    "chunk %u is missing"), sc->name, pdb_col_name(sc, field),
		    chunk);
	}
	/* The overlay's key is the chunk's and a 0: the next one. */
	overlay = nklen == PDB_OVERLAY_KEY && memcmp(nkey, key,
	    sizeof key) == 0;
	if (pdb_chunk_copy_parse(val, vlen, pdb_kind(sc, field), c,
	    copy || (overlay && validate), why, sizeof why) != 0 || (validate &&
	    pdb_validate(c, why, sizeof why) != 0))
		return pdb_damaged(sc, field, chunk, why, cause);
	if (overlay && !validate) {
		/* The scan's workers merge it, on both cores. */
		c->overlay = oval;
		c->overlay_len = olen;
		c->stored = val;
		c->stored_len = vlen;
	} else if (overlay && pdb_chunk_merge(c, pdb_kind(sc, field), oval,
	    olen, why, sizeof why) != 0)
		return pdb_damaged(sc, field, chunk, why, cause);
	if (unpack)
		pdb_unpack(c);
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
	return pdb_chunk_get(t, sc, field, chunk, c, 1, 0, 1, cause);
}

int
pdb_chunk_packed(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t chunk, struct col_chunk *c, char **cause)
{
	return pdb_chunk_get(t, sc, field, chunk, c, 1, 0, 0, cause);
}

int
pdb_chunk_copy(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t chunk, struct col_chunk *c, char **cause)
{
	return pdb_chunk_get(t, sc, field, chunk, c, 1, 1, 0, cause);
}

int
pdb_chunk_layout(struct store_txn *t, const struct pdb_schema *sc,
    uint16_t field, uint32_t chunk, struct col_chunk *c, char **cause)
{
	return pdb_chunk_get(t, sc, field, chunk, c, 0, 0, 0, cause);
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

int
pdb_chunk_merged(const struct pdb_schema *sc, uint16_t field, uint32_t chunk,
    const struct col_chunk *view, struct col_chunk *out, char **cause)
{
	int kind = pdb_kind(sc, field);
	char why[PDB_WHY];

	/* out's scratch is reused from chunk to chunk: no new pages. */
	if (pdb_chunk_copy_parse(view->stored, view->stored_len, kind, out, 1,
	    why, sizeof why) != 0 || pdb_chunk_merge(out, kind, view->overlay,
	    view->overlay_len, why, sizeof why) != 0)
		return pdb_damaged(sc, field, chunk, why, cause);
	return 0;
}

void
pdb_chunk_release(struct col_chunk *c)
{
	free(c->scratch);
	c->scratch = NULL;
	c->scratch_size = 0;
	free(c->plain);
	c->plain = NULL;
	c->plain_size = 0;
}

/* ------------------------------------------------------------------ */
/* Writing chunks. */

/* A fast hash for in-memory tables (not the range bucket hash). */
uint64_t
pdb_fast_hash(const void *p, size_t n)
{
	const uint8_t *s = p, *end = s + n;
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xFF51AFD7ED558CCDULL), w;
	uint32_t x, y;

	/*
	 * Whole words, then the last bytes in one load that may overlap
	 * them (the length is in h): no copy of a variable length.
	 */
	if (n >= 8) {
		while (end - s > 8) {
			memcpy(&w, s, 8);
			h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
			h ^= h >> 31;
			s += 8;
		}
		memcpy(&w, end - 8, 8);
	} else if (n >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, end - 4, 4);
		w = (uint64_t)x << 32 | y;
	} else if (n > 0)
		w = (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | end[-1];
	else
		w = 0;
	return bucket_fmix64((h ^ w) * 0x94D049BB133111EBULL);
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

/*
 * The code of p in the dictionary, added when it is not there (h: its
 * pdb_fast_hash; fresh: the caller knows it is not there, so no entry is
 * compared with it).
 */
static uint32_t
pdb_dict_code_hashed(struct pdb_dict *d, const char *p, uint32_t len,
    uint32_t h, int fresh)
{
	uint32_t mask, s, c, end;

	if ((d->n + 1) * 2 > d->nslots)
		pdb_dict_grow(d);
	mask = d->nslots - 1;
	s = h & mask;
	while ((c = d->slots[s]) != 0) {
		c--;
		if (!fresh && d->off[c + 1] - d->off[c] == len &&
		    bytes_same(d->bytes + d->off[c], p, len))
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

static uint32_t
pdb_dict_code(struct pdb_dict *d, const char *p, uint32_t len)
{
	return pdb_dict_code_hashed(d, p, len, (uint32_t)pdb_fast_hash(p, len),
	    0);
}

size_t
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
	bc->pack = 1;
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

void
pdb_bcol_put_new_string(struct pdb_bcol *bc, const char *p, uint32_t len,
    uint64_t h)
{
	uint32_t r = bc->nrows++;

	bc->present[r >> 6] |= (uint64_t)1 << (r & 63);
	bc->codes[r] = pdb_dict_code_hashed(&bc->dict, p, len, (uint32_t)h, 1);
}

/*
 * A chunk's rows in plain arrays before they are laid out: what a
 * builder holds, or a stored chunk with some rows changed (pdb_patch).
 */
struct pdb_shape {
	int		 kind;
	uint32_t	 nrows;
	const uint64_t	*present;
	const void	*fixed;		/* fixed-width kinds */
	const uint32_t	*codes;		/* strings: a row's; tags: all */
	const uint32_t	*tag_off;	/* tags */
	uint32_t	 ncodes;	/* tags */
	uint32_t	 ndict;
	const uint32_t	*dict_off;
	const char	*dict_bytes;
	uint32_t	 width;		/* packed bytes a row; 0 plain */
	int64_t		 base;
	const void	*packed;	/* rows already packed, or NULL */
};

/*
 * How a chunk is laid out: packed (doc/storage.md, "Packed chunks") when
 * pack is set and its values fit, as an int, date or datetime column's
 * do when their spread within the chunk is below 2^32 (most: counts,
 * dates of a few years), and a string column's codes always (a chunk
 * has at most 4096 distinct values).  Plain otherwise.
 */
static void
pdb_shape_plan(struct pdb_shape *s, int pack)
{
	const int64_t *i64 = s->fixed;
	const int32_t *i32 = s->fixed;
	int64_t lo = INT64_MAX, hi = INT64_MIN, v, lv, hv;
	uint64_t span, m;
	uint32_t r;

	s->width = 0;
	s->base = 0;
	if (!pack)
		return;
	if (s->kind == FT_STRING) {
		s->width = s->ndict <= 0x100 ? 1 : s->ndict <= 0x10000 ? 2 : 0;
		return;
	}
	if (s->kind != FT_INT && s->kind != FT_DATETIME && s->kind != FT_DATE)
		return;
	/* Absent rows count as the bound they cannot move. */
	for (r = 0; r < s->nrows; r++) {
		m = pdb_row_mask(s->present, r);
		v = s->kind == FT_DATE ? i32[r] : i64[r];
		lv = (int64_t)(((uint64_t)v & m) | ((uint64_t)INT64_MAX & ~m));
		hv = (int64_t)(((uint64_t)v & m) | ((uint64_t)INT64_MIN & ~m));
		lo = lv < lo ? lv : lo;
		hi = hv > hi ? hv : hi;
	}
	if (lo > hi)
		lo = hi = 0;
	span = (uint64_t)hi - (uint64_t)lo;
	s->base = lo;
	if (span <= 0xFF)
		s->width = 1;
	else if (span <= 0xFFFF)
		s->width = 2;
	else if (span <= 0xFFFFFFFFU && s->kind != FT_DATE)
		s->width = 4;
}

static size_t
pdb_shape_size(const struct pdb_shape *s)
{
	size_t n = s->nrows, size = PDB_HDR + (n + 63) / 64 * 8;

	if (s->width != 0 && s->kind != FT_STRING)
		return size + 8 + pdb_pad8(s->width * n);
	switch (s->kind) {
	case FT_STRING:
		size += pdb_pad8((s->width != 0 ? s->width : 4) * n);
		break;
	case FT_TAGS:
		size += pdb_pad8(4 * (n + 1)) + pdb_pad8(4 * (size_t)s->ncodes);
		break;
	default:
		return size + pdb_pad8(pdb_width(s->kind) * n);
	}
	return size + pdb_pad8(4 * ((size_t)s->ndict + 1)) +
	    pdb_pad8(s->dict_off[s->ndict]);
}

/*
 * out[r] = value r less base, masked by the presence bits, as T: one loop
 * for each plain type I and packed width.
 */
#define PDB_PACK(T, I, out, s, n) do {					\
	const I *v_ = (s)->kind == FT_STRING ? (const void *)(s)->codes :	\
	    (s)->fixed;							\
	T *o_ = (T *)(void *)(out);					\
	uint32_t r_;							\
									\
	for (r_ = 0; r_ < (n); r_++)					\
		o_[r_] = (T)(((uint64_t)(int64_t)v_[r_] -		\
		    (uint64_t)(s)->base) & pdb_row_mask((s)->present, r_)); \
} while (0)

/* The packed rows of a shape at out (aligned for its width). */
static void
pdb_shape_pack(const struct pdb_shape *s, uint8_t *out)
{
	uint32_t n = s->nrows;

	if (s->kind == FT_STRING) {
		if (s->width == 1)
			PDB_PACK(uint8_t, uint32_t, out, s, n);
		else
			PDB_PACK(uint16_t, uint32_t, out, s, n);
	} else if (s->kind == FT_DATE) {
		if (s->width == 1)
			PDB_PACK(uint8_t, int32_t, out, s, n);
		else
			PDB_PACK(uint16_t, int32_t, out, s, n);
	} else if (s->width == 1)
		PDB_PACK(uint8_t, int64_t, out, s, n);
	else if (s->width == 2)
		PDB_PACK(uint16_t, int64_t, out, s, n);
	else
		PDB_PACK(uint32_t, int64_t, out, s, n);
}

/* Writes the chunk (pdb_shape_size bytes, 8-byte aligned) to base. */
static void
pdb_shape_write(const struct pdb_shape *s, uint8_t *base)
{
	size_t n = s->nrows, words = (n + 63) / 64, len;
	uint32_t ncodes = s->kind == FT_TAGS ? s->ncodes : 0;
	uint16_t width = (uint16_t)s->width;
	uint8_t *p = base;

	/* Padding must not carry garbage into the store. */
	memset(base, 0, pdb_shape_size(s));
	p[0] = (uint8_t)s->kind;
	p[1] = width != 0 ? PDB_VERSION_PACKED : PDB_VERSION;
	memcpy(p + 2, &width, 2);
	memcpy(p + 4, &s->nrows, 4);
	memcpy(p + 8, &s->ndict, 4);
	memcpy(p + 12, &ncodes, 4);
	p += PDB_HDR;
	memcpy(p, s->present, words * 8);
	p += words * 8;
	if (width != 0) {
		if (s->kind != FT_STRING) {
			memcpy(p, &s->base, 8);
			p += 8;
		}
		if (s->packed != NULL)
			memcpy(p, s->packed, (size_t)width * n);
		else
			pdb_shape_pack(s, p);
		if (s->kind != FT_STRING)
			return;
		p += pdb_pad8(width * n);
	} else {
		switch (s->kind) {
		case FT_STRING:
			memcpy(p, s->codes, 4 * n);
			p += pdb_pad8(4 * n);
			break;
		case FT_TAGS:
			memcpy(p, s->tag_off, 4 * (n + 1));
			p += pdb_pad8(4 * (n + 1));
			if (ncodes > 0)
				memcpy(p, s->codes, 4 * (size_t)ncodes);
			p += pdb_pad8(4 * (size_t)ncodes);
			break;
		default:
			memcpy(p, s->fixed, pdb_width(s->kind) * n);
			return;
		}
	}
	memcpy(p, s->dict_off, 4 * ((size_t)s->ndict + 1));
	p += pdb_pad8(4 * ((size_t)s->ndict + 1));
	len = s->dict_off[s->ndict];
	if (len > 0)
		memcpy(p, s->dict_bytes, len);
}

/* A builder's rows as a shape, with the layout pdb_bcol_size planned. */
static void
pdb_bcol_shape(const struct pdb_bcol *bc, struct pdb_shape *s)
{
	memset(s, 0, sizeof *s);
	s->kind = bc->kind;
	s->nrows = bc->nrows;
	s->present = bc->present;
	s->fixed = bc->fixed;
	s->codes = bc->kind == FT_TAGS ? bc->tcodes : bc->codes;
	s->tag_off = bc->tag_off;
	s->ncodes = bc->ntcodes;
	if (bc->kind == FT_STRING || bc->kind == FT_TAGS) {
		s->ndict = bc->dict.n;
		s->dict_off = bc->dict.off;
		s->dict_bytes = bc->dict.bytes;
	}
	s->width = bc->width;
	s->base = bc->base;
}

/* Plans the chunk's layout (a pass over its values) and sizes it. */
size_t
pdb_bcol_size(struct pdb_bcol *bc)
{
	struct pdb_shape s;

	pdb_bcol_shape(bc, &s);
	pdb_shape_plan(&s, bc->pack);
	bc->width = s.width;
	bc->base = s.base;
	return pdb_shape_size(&s);
}

/* Writes the chunk (pdb_bcol_size bytes, 8-byte aligned) to base. */
void
pdb_bcol_write(const struct pdb_bcol *bc, uint8_t *base)
{
	struct pdb_shape s;

	pdb_bcol_shape(bc, &s);
	pdb_shape_write(&s, base);
}

/*
 * A chunk written whole takes in its overlay's rows, so the overlay goes
 * (first: deleting may move the page a reserved value is on).
 */
static int
pdb_overlay_drop(struct store_txn *t, const uint8_t *key, char **cause)
{
	uint8_t ok[PDB_OVERLAY_KEY];

	memcpy(ok, key, 10);
	ok[10] = 0;
	return store_del(t, STORE_COLS, ok, sizeof ok, cause);
}

/*
 * Where a patched chunk goes: under key in the store, or, when t is
 * NULL, into a buffer of its own (mem, size bytes; the caller frees it):
 * a reader merging an overlay.
 */
struct pdb_dest {
	struct store_txn *t;
	const uint8_t	*key;
	uint8_t		*mem;
	size_t		 size;
};

/*
 * Writes a shape to d, packed where it fits; rows that come packed keep
 * their width and base.
 */
static int
pdb_shape_store(struct pdb_dest *d, struct pdb_shape *s, char **cause)
{
	uint8_t *base;
	size_t size;

	if (s->packed == NULL)
		pdb_shape_plan(s, 1);
	size = pdb_shape_size(s);
	if (d->t == NULL) {
		d->mem = xmalloc(size);
		d->size = size;
		pdb_shape_write(s, d->mem);
		return 0;
	}
	if (pdb_overlay_drop(d->t, d->key, cause) != 0 ||
	    (base = store_reserve(d->t, STORE_COLS, d->key, 10, size,
	    cause)) == NULL)
		return -1;
	pdb_shape_write(s, base);
	return 0;
}

/* Writes a finished chunk builder into space reserved in the map. */
static int
pdb_bcol_store(struct store_txn *t, struct pdb_bcol *bc, uint32_t dbid,
    uint16_t field, uint32_t chunk, char **cause)
{
	uint8_t key[10], *base;
	size_t size = pdb_bcol_size(bc);

	pdb_col_key(key, dbid, field, chunk);
	if (pdb_overlay_drop(t, key, cause) != 0 ||
	    (base = store_reserve(t, STORE_COLS, key, sizeof key, size,
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

/* ------------------------------------------------------------------ */
/* Patching chunks: a few rows changed, the others copied as they are. */

/*
 * Past this many changed rows a string chunk is encoded again whole:
 * each changed value is looked for in the dictionary one entry after the
 * other, and the dictionary of a high-cardinality field (e-mails) has as
 * many entries as the chunk has rows.
 */
#define PDB_PATCH_STRINGS	64

int
pdb_patchable(int kind, size_t n)
{
	if (kind == PDB_KIND_BUCKET)
		return 0;
	if (pdb_width(kind) > 0)
		return 1;
	return kind == FT_STRING && n <= PDB_PATCH_STRINGS;
}

/* Sets or clears bit r of the presence words at p (any alignment). */
static void
pdb_present_set(uint8_t *p, uint32_t r, int on)
{
	uint64_t w;

	memcpy(&w, p + 8 * (size_t)(r >> 6), 8);
	if (on)
		w |= (uint64_t)1 << (r & 63);
	else
		w &= ~((uint64_t)1 << (r & 63));
	memcpy(p + 8 * (size_t)(r >> 6), &w, 8);
}

void
pdb_fixed_bytes(int kind, const struct value *v, uint8_t *out)
{
	int64_t i64;
	int32_t i32;

	memset(out, 0, pdb_width(kind));
	if (!v->present)
		return;
	switch (kind) {
	case FT_INT:
	case FT_DATETIME:
		i64 = kind == FT_INT ? v->u.i : v->u.dt;
		memcpy(out, &i64, 8);
		break;
	case FT_FLOAT:
		memcpy(out, &v->u.f, 8);
		break;
	case FT_DATE:
		i32 = v->u.date;
		memcpy(out, &i32, 4);
		break;
	case FT_BOOL:
		out[0] = v->u.b ? 1 : 0;
		break;
	}
}

/*
 * Sets row r of a packed chunk's rows (out, w bytes a row) to v relative
 * to base, when it is within the width's reach; else returns -1.  With
 * out NULL, only says whether it is.
 */
static int
pdb_packed_put(uint8_t *out, uint32_t w, int64_t base, int kind,
    const struct value *v, uint32_t r)
{
	uint64_t off;
	uint32_t u32;
	uint16_t u16;

	if (!v->present)
		off = 0;	/* what pdb_shape_pack writes for absent rows */
	else {
		off = (uint64_t)(kind == FT_DATE ? (int64_t)v->u.date :
		    kind == FT_INT ? v->u.i : v->u.dt) - (uint64_t)base;
		if (off > (w == 1 ? 0xFFu : w == 2 ? 0xFFFFu : 0xFFFFFFFFu))
			return -1;
	}
	if (out == NULL)
		return 0;
	if (w == 1)
		out[r] = (uint8_t)off;
	else if (w == 2) {
		u16 = (uint16_t)off;
		memcpy(out + 2 * (size_t)r, &u16, 2);
	} else {
		u32 = (uint32_t)off;
		memcpy(out + 4 * (size_t)r, &u32, 4);
	}
	return 0;
}

/*
 * A packed chunk whose new values all fall within its range keeps its
 * base and width: the changed rows are overwritten in a copy of its
 * packed rows, and no other row is decoded.  Returns 1 when some value
 * does not fit.  The base may then be below the chunk's least value,
 * which readers do not assume it is.
 */
static int
pdb_patch_packed(struct pdb_dest *d, const struct col_chunk *old, int kind,
    const uint32_t *rows, const struct value *vals, size_t n, char **cause)
{
	uint32_t nrows = old->nrows, words = (nrows + 63) / 64, w = old->width;
	uint64_t present[PDB_WORDS];
	struct pdb_shape s;
	uint8_t *packed;
	size_t i;
	int rc;

	packed = xmalloc((size_t)w * nrows + 8);
	memcpy(packed, old->packed, (size_t)w * nrows);
	memcpy(present, old->present, (size_t)words * 8);
	for (i = 0; i < n; i++) {
		if (pdb_packed_put(packed, w, old->base, kind, &vals[i],
		    rows[i]) != 0) {
			free(packed);
			return 1;
		}
		pdb_present_set((uint8_t *)present, rows[i], vals[i].present);
	}
	memset(&s, 0, sizeof s);
	s.kind = kind;
	s.nrows = nrows;
	s.present = present;
	s.width = w;
	s.base = old->base;
	s.packed = packed;
	rc = pdb_shape_store(d, &s, cause);
	free(packed);
	return rc;
}

static int
pdb_patch_fixed(struct pdb_dest *d, struct col_chunk *old, int kind,
    const uint32_t *rows, const struct value *vals, size_t n, char **cause)
{
	uint32_t nrows = old->nrows, words = (nrows + 63) / 64;
	uint64_t present[PDB_WORDS];
	size_t w, i;
	struct pdb_shape s;
	const void *src;
	uint8_t *arr;
	int rc;

	if (old->width != 0 && (rc = pdb_patch_packed(d, old, kind, rows, vals,
	    n, cause)) <= 0)
		return rc;
	pdb_unpack(old);
	w = pdb_width(kind);
	switch (kind) {
	case FT_DATE:
		src = old->i32;
		break;
	case FT_BOOL:
		src = old->u8;
		break;
	case FT_FLOAT:
		src = old->f64;
		break;
	default:
		src = old->i64;
		break;
	}
	arr = xmalloc(w * nrows + 8);
	memcpy(arr, src, w * nrows);
	memcpy(present, old->present, (size_t)words * 8);
	for (i = 0; i < n; i++) {
		pdb_present_set((uint8_t *)present, rows[i], vals[i].present);
		pdb_fixed_bytes(kind, &vals[i], arr + w * rows[i]);
	}
	memset(&s, 0, sizeof s);
	s.kind = kind;
	s.nrows = nrows;
	s.present = present;
	s.fixed = arr;
	rc = pdb_shape_store(d, &s, cause);
	free(arr);
	return rc;
}

/* Dictionary entry e of a patched string chunk: old ones, then new. */
static void
pdb_patch_entry(const struct col_chunk *old, const struct value **newv,
    uint32_t e, const char **p, uint32_t *len)
{
	if (e < old->ndict) {
		*p = old->dict_data + old->dict_off[e];
		*len = old->dict_off[e + 1] - old->dict_off[e];
	} else {
		*p = newv[e - old->ndict]->u.s.p;
		*len = newv[e - old->ndict]->u.s.len;
	}
}

/*
 * A string chunk of a byte a code whose changed rows take values its
 * dictionary holds, leaving none of its entries unused, keeps its
 * dictionary: the changed codes are overwritten in a copy of its packed
 * rows.  Returns 1 when that does not apply (a new value, an entry no
 * row would use, codes of two bytes).
 */
static int
pdb_patch_codes(struct pdb_dest *d, const struct col_chunk *old,
    const uint32_t *rows, const struct value *vals, size_t n, char **cause)
{
	uint32_t nrows = old->nrows, words = (nrows + 63) / 64, *codes;
	uint64_t present[PDB_WORDS];
	struct pdb_shape sh;
	uint8_t *packed = NULL;
	size_t i;
	int rc = 1;

	/*
	 * Up to 256 entries: a search that finds no value costs little
	 * before pdb_patch_strings searches again.
	 */
	codes = xmalloc((n + 1) * sizeof *codes);
	if (pdb_codes_in_place(old, rows, vals, n, codes) != 0)
		goto out;
	packed = xmalloc((size_t)nrows + 8);
	memcpy(packed, old->packed, nrows);
	memcpy(present, old->present, (size_t)words * 8);
	for (i = 0; i < n; i++) {
		pdb_present_set((uint8_t *)present, rows[i], vals[i].present);
		packed[rows[i]] = (uint8_t)codes[i];
	}
	memset(&sh, 0, sizeof sh);
	sh.kind = FT_STRING;
	sh.nrows = nrows;
	sh.present = present;
	sh.ndict = old->ndict;
	sh.dict_off = old->dict_off;
	sh.dict_bytes = old->dict_data;
	sh.width = 1;
	sh.packed = packed;
	rc = pdb_shape_store(d, &sh, cause);
out:
	free(codes);
	free(packed);
	return rc;
}

static int
pdb_patch_strings(struct pdb_dest *d, struct col_chunk *old,
    const uint32_t *rows, const struct value *vals, size_t n, char **cause)
{
	uint32_t nrows = old->nrows, words = (nrows + 63) / 64;
	uint32_t nnew = 0, ndict = 0, nall, e, r, len, off;
	uint64_t present[PDB_WORDS];
	const struct value **newv;
	uint32_t *codes, *remap, *doff = NULL;
	struct pdb_shape sh;
	uint8_t *used;
	char *dbytes = NULL;
	const char *s;
	size_t i, bytes = 0;
	int rc;

	if ((rc = pdb_patch_codes(d, old, rows, vals, n, cause)) <= 0)
		return rc;
	rc = -1;
	pdb_unpack(old);
	newv = xcalloc(n + 1, sizeof *newv);
	codes = xmalloc(((size_t)nrows + 1) * sizeof *codes);
	memcpy(codes, old->codes, 4 * (size_t)nrows);
	memcpy(present, old->present, (size_t)words * 8);
	for (i = 0; i < n; i++) {
		r = rows[i];
		if (!vals[i].present) {
			present[r >> 6] &= ~((uint64_t)1 << (r & 63));
			codes[r] = 0;
			continue;
		}
		present[r >> 6] |= (uint64_t)1 << (r & 63);
		for (e = 0; e < old->ndict + nnew; e++) {
			pdb_patch_entry(old, newv, e, &s, &len);
			if (len == vals[i].u.s.len &&
			    memcmp(s, vals[i].u.s.p, len) == 0)
				break;
		}
		if (e == old->ndict + nnew)
			newv[nnew++] = &vals[i];
		codes[r] = e;
	}
	/* Entries only the changed rows used are dropped. */
	nall = old->ndict + nnew;
	used = xcalloc((size_t)nall + 1, 1);
	remap = xmalloc(((size_t)nall + 1) * sizeof *remap);
	for (r = 0; r < nrows; r++)
		if (present[r >> 6] >> (r & 63) & 1)
			used[codes[r]] = 1;
	for (e = 0; e < nall; e++) {
		if (!used[e])
			continue;
		remap[e] = ndict++;
		pdb_patch_entry(old, newv, e, &s, &len);
		bytes += len;
	}
	doff = xmalloc(((size_t)ndict + 1) * sizeof *doff);
	dbytes = xmalloc(bytes + 1);
	off = 0;
	for (e = 0; e < nall; e++) {
		if (!used[e])
			continue;
		doff[remap[e]] = off;
		pdb_patch_entry(old, newv, e, &s, &len);
		memcpy(dbytes + off, s, len);
		off += len;
	}
	doff[ndict] = off;
	for (r = 0; r < nrows; r++)
		codes[r] = present[r >> 6] >> (r & 63) & 1 ?
		    remap[codes[r]] : 0;
	memset(&sh, 0, sizeof sh);
	sh.kind = FT_STRING;
	sh.nrows = nrows;
	sh.present = present;
	sh.codes = codes;
	sh.ndict = ndict;
	sh.dict_off = doff;
	sh.dict_bytes = dbytes;
	if (pdb_shape_store(d, &sh, cause) != 0)
		goto out;
	rc = 0;
out:
	free(newv);
	free(codes);
	free(used);
	free(remap);
	free(doff);
	free(dbytes);
	return rc;
}

int
pdb_patch(struct store_txn *t, struct col_chunk *old, int kind,
    uint32_t dbid, uint16_t field, uint32_t chunk, const uint32_t *rows,
    const struct value *vals, size_t n, char **cause)
{
	uint8_t key[10];
	struct pdb_dest d = { t, key, NULL, 0 };

	pdb_col_key(key, dbid, field, chunk);
	if (kind == FT_STRING)
		return pdb_patch_strings(&d, old, rows, vals, n, cause);
	return pdb_patch_fixed(&d, old, kind, rows, vals, n, cause);
}

/*
 * A chunk's overlay merged into a copy of it in memory (its own buffer,
 * *mem, 8-byte aligned), in the layout the chunk would be written with.
 */
static void
pdb_patch_mem(struct col_chunk *old, int kind, const struct pdb_overlay *ov,
    uint8_t **mem, size_t *size)
{
	struct pdb_dest d = { NULL, NULL, NULL, 0 };

	/* Writing to memory cannot fail. */
	if ((kind == FT_STRING ? pdb_patch_strings(&d, old, ov->rows, ov->vals,
	    ov->n, NULL) : pdb_patch_fixed(&d, old, kind, ov->rows, ov->vals,
	    ov->n, NULL)) != 0)
		abort();
	*mem = d.mem;
	*size = d.size;
}
