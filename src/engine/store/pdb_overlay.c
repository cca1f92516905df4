/*
 * A chunk's overlay: the few rows an upsert changed, kept beside the
 * chunk instead of writing the chunk again (doc/storage.md, "Overlays").
 * pdb_chunk merges it into every read; pdb_batch writes it and folds it
 * into the chunk once it holds PDB_OVERLAY_ROWS rows.
 *
 * Byte layout (native byte order; LMDB aligns a small value to 2 bytes
 * only, so every field is read with memcpy):
 *
 *	u8 kind, u8 version (1), u16 n
 *	u16 row[n]		ascending, below the chunk's nrows
 *	u8 present[n]		0 or 1
 *	fixed-width kinds:	pdb_width(kind) bytes a row, zeros if absent
 *	string:			u32 len[n] (0 if absent), then the bytes
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pdb_int.h"
#include "util.h"

#define PDB_OVERLAY_VERSION	1
#define PDB_OVERLAY_HDR		4

int
pdb_overlayable(int kind)
{
	return kind == FT_STRING || (kind != PDB_KIND_BUCKET &&
	    pdb_width(kind) > 0);
}

static uint16_t
pdb_ov_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint32_t
pdb_ov_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* A fixed-width row's stored bytes into v (which is present). */
static int
pdb_ov_fixed(int kind, const uint8_t *p, struct value *v)
{
	int32_t i32;

	switch (kind) {
	case FT_INT:
		memcpy(&v->u.i, p, 8);
		break;
	case FT_DATETIME:
		memcpy(&v->u.dt, p, 8);
		break;
	case FT_FLOAT:
		memcpy(&v->u.f, p, 8);
		break;
	case FT_DATE:
		memcpy(&i32, p, 4);
		v->u.date = i32;
		break;
	case FT_BOOL:
		if (p[0] > 1)
			return -1;
		v->u.b = p[0];
		break;
	}
	return 0;
}

int
pdb_overlay_parse(const void *val, size_t vlen, int kind, uint32_t nrows,
    struct pdb_overlay *ov, char *why, size_t whylen)
{
	const uint8_t *p = val, *pres, *body;
	size_t need, w = pdb_width(kind), bytes = 0, i;
	uint32_t n, len;

	ov->n = 0;
	if (!pdb_overlayable(kind))
		return pdb_why(why, whylen, "%s", _("its column takes no "
		    "overlay"));
	if (vlen < PDB_OVERLAY_HDR)
		return pdb_why(why, whylen, _("an overlay of %zu bytes"),
		    vlen);
	if (p[0] != kind || p[1] != PDB_OVERLAY_VERSION)
		return pdb_why(why, whylen, _("an overlay of kind %u, version "
		    "%u"), (unsigned)p[0], (unsigned)p[1]);
	n = pdb_ov_u16(p + 2);
	if (n == 0 || n > PDB_OVERLAY_ROWS)
		return pdb_why(why, whylen, _("an overlay of %u rows"), n);
	need = PDB_OVERLAY_HDR + 3 * (size_t)n + (kind == FT_STRING ? 4 :
	    w) * (size_t)n;
	if (vlen < need)
		return pdb_why(why, whylen, _("an overlay of %zu bytes, its "
		    "%u rows take at least %zu"), vlen, n, need);
	pres = p + PDB_OVERLAY_HDR + 2 * (size_t)n;
	body = pres + n;
	for (i = 0; i < n; i++) {
		struct value *v = &ov->vals[i];

		ov->rows[i] = pdb_ov_u16(p + PDB_OVERLAY_HDR + 2 * i);
		if (ov->rows[i] >= nrows || (i > 0 &&
		    ov->rows[i] <= ov->rows[i - 1]))
			return pdb_why(why, whylen, _("overlay row %u is out "
			    "of order or past the chunk's %u rows"),
			    ov->rows[i], nrows);
		memset(v, 0, sizeof *v);
		if (pres[i] > 1)
			return pdb_why(why, whylen, _("overlay row %u has a "
			    "presence byte of %u"), ov->rows[i],
			    (unsigned)pres[i]);
		v->present = pres[i];
		if (kind == FT_STRING) {
			len = pdb_ov_u32(body + 4 * i);
			if ((len > 0 && !v->present) || len > PDB_OVERLAY_BYTES)
				return pdb_why(why, whylen, _("overlay row %u "
				    "has a string of %u bytes"), ov->rows[i],
				    len);
			v->u.s.len = len;
			bytes += len;
		} else if (v->present && pdb_ov_fixed(kind, body + w * i,
		    v) != 0)
			return pdb_why(why, whylen, _("overlay row %u holds a "
			    "value its type cannot have"), ov->rows[i]);
	}
	if (vlen != need + bytes)
		return pdb_why(why, whylen, _("an overlay of %zu bytes, its "
		    "%u rows take %zu"), vlen, n, need + bytes);
	if (kind == FT_STRING) {
		const char *s = (const char *)body + 4 * (size_t)n;

		for (i = 0; i < n; i++) {
			ov->vals[i].u.s.p = s;
			s += ov->vals[i].u.s.len;
		}
	}
	ov->n = n;
	return 0;
}

size_t
pdb_overlay_size(int kind, const struct value *vals, size_t n)
{
	size_t size = PDB_OVERLAY_HDR + 3 * n, i;

	if (kind != FT_STRING)
		return size + pdb_width(kind) * n;
	size += 4 * n;
	for (i = 0; i < n; i++)
		if (vals[i].present)
			size += vals[i].u.s.len;
	return size;
}

void
pdb_overlay_write(int kind, const uint32_t *rows, const struct value *vals,
    size_t n, uint8_t *out)
{
	size_t w = pdb_width(kind), i;
	uint8_t *pres = out + PDB_OVERLAY_HDR + 2 * n, *body = pres + n, *s;
	uint16_t u16 = (uint16_t)n;
	uint32_t len;

	out[0] = (uint8_t)kind;
	out[1] = PDB_OVERLAY_VERSION;
	memcpy(out + 2, &u16, 2);
	s = body + 4 * n;
	for (i = 0; i < n; i++) {
		u16 = (uint16_t)rows[i];
		memcpy(out + PDB_OVERLAY_HDR + 2 * i, &u16, 2);
		pres[i] = vals[i].present ? 1 : 0;
		if (kind != FT_STRING) {
			pdb_fixed_bytes(kind, &vals[i], body + w * i);
			continue;
		}
		len = vals[i].present ? vals[i].u.s.len : 0;
		memcpy(body + 4 * i, &len, 4);
		if (len > 0)
			memcpy(s, vals[i].u.s.p, len);
		s += len;
	}
}

size_t
pdb_overlay_merge(const struct pdb_overlay *ov, const uint32_t *rows,
    const struct value *vals, size_t n, uint32_t *mrows,
    struct value *mvals)
{
	size_t i = 0, j = 0, m = 0;

	while (i < ov->n || j < n) {
		if (j == n || (i < ov->n && ov->rows[i] < rows[j])) {
			mrows[m] = ov->rows[i];
			mvals[m++] = ov->vals[i++];
			continue;
		}
		/* The newer value of a row both hold wins. */
		if (i < ov->n && ov->rows[i] == rows[j])
			i++;
		mrows[m] = rows[j];
		mvals[m++] = vals[j++];
	}
	return m;
}
