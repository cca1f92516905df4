/*
 * Shared by the files of the pdb module (pdb.c, pdb_chunk.c, pdb_read.c,
 * pdb_batch.c) and by the event store (evdb.c), which keeps its events in
 * the same chunk layout; not a public API.  The chunk byte layout is
 * described at the top of pdb_chunk.c and in doc/storage.md.
 */
#ifndef RESEG_PDB_INT_H
#define RESEG_PDB_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pdb.h"

#define PDB_VERSION	1
#define PDB_VERSION_PACKED 2	/* doc/storage.md, "Packed chunks" */
#define PDB_KIND_BUCKET	0xFF
#define PDB_HDR		16
#define PDB_WORDS	(PDB_CHUNK_ROWS / 64)
#define PDB_BUCKETS	10000	/* range buckets 0..9999 (bucket.h) */
#define PDB_WHY		160	/* room for why a chunk is damaged */

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

/*
 * One column chunk under construction: rows are appended one by one in
 * their encoded form, then the chunk is written out in its byte layout.
 * Reused from chunk to chunk, so a chunk costs no allocation per row.
 */
struct pdb_bcol {
	int		 kind;		/* field type or PDB_KIND_BUCKET */
	int		 pack;		/* written packed where it fits */
	uint32_t	 width;		/* the layout pdb_bcol_size planned */
	int64_t		 base;
	uint32_t	 nrows;
	uint64_t	 present[PDB_WORDS];
	uint8_t		*fixed;		/* nrows values of pdb_width() bytes */
	uint32_t	*codes;		/* FT_STRING */
	uint32_t	*tag_off;	/* FT_TAGS: nrows + 1 */
	uint32_t	*tcodes;
	uint32_t	 ntcodes, tcap;
	struct pdb_dict	 dict;
};

static inline void
pdb_col_key(uint8_t *k, uint32_t dbid, uint16_t field, uint32_t chunk)
{
	store_be32(k, dbid);
	store_be16(k + 4, field);
	store_be32(k + 6, chunk);
}

/* The chunk kind of a field, or of the bucket column. */
static inline int
pdb_kind(const struct pdb_schema *sc, uint16_t field)
{
	return field == PDB_COL_BUCKET ? PDB_KIND_BUCKET :
	    (int)sc->fields[field].type;
}

/* Inline: a batch appends one bucket for every row it adds. */
static inline void
pdb_bcol_put_bucket(struct pdb_bcol *bc, uint16_t b)
{
	uint32_t r = bc->nrows++;

	bc->present[r >> 6] |= (uint64_t)1 << (r & 63);
	memcpy(bc->fixed + 2 * (size_t)r, &b, 2);
}

/* The STORE_META key of a database's deleted profile numbers. */
static inline void
pdb_deleted_key(char *buf, size_t size, uint32_t dbid)
{
	snprintf(buf, size, "deleted:%u", dbid);
}

/* pdb.c: writes the database's schema record. */
int	 pdb_put_schema(struct store_txn *, const struct pdb_schema *,
	    char **cause);

/*
 * Whether a chunk of this kind may be packed at width bytes a row: ints
 * and datetimes at 1, 2 or 4, dates at 1 or 2, string codes at 1 or 2.
 */
static inline int
pdb_packable(int kind, uint32_t width)
{
	switch (kind) {
	case FT_INT:
	case FT_DATETIME:
		return width == 1 || width == 2 || width == 4;
	case FT_DATE:
	case FT_STRING:
		return width == 1 || width == 2;
	default:
		return 0;
	}
}

/* Formats why a chunk is damaged into why (when not NULL); -1. */
int	 pdb_why(char *why, size_t whylen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Bytes a row of a fixed-width kind takes unpacked; 0 for the others. */
size_t	 pdb_width(int kind);
/* A fixed-width value as stored (zeros when absent), pdb_width bytes. */
void	 pdb_fixed_bytes(int kind, const struct value *, uint8_t *out);

/*
 * pdb_overlay.c: a chunk's overlay, the rows an upsert changed since the
 * chunk was last written (doc/storage.md, "Overlays").  It is stored
 * under the chunk's key and one more byte, 0, so it follows the chunk in
 * the table; pdb_chunk merges it into every read.
 */
#define PDB_OVERLAY_ROWS	32	/* more, and the chunk is written */
#define PDB_OVERLAY_BYTES	1536	/* so it stays in its leaf page */
#define PDB_OVERLAY_KEY		11
struct pdb_overlay {
	size_t		 n;
	uint32_t	 rows[PDB_OVERLAY_ROWS];
	/* Strings point into the parsed bytes. */
	struct value	 vals[PDB_OVERLAY_ROWS];
};

static inline void
pdb_overlay_key(uint8_t *k, uint32_t dbid, uint16_t field, uint32_t chunk)
{
	pdb_col_key(k, dbid, field, chunk);
	k[10] = 0;
}

/* Whether a column of this kind takes overlays (not tags nor buckets). */
int	 pdb_overlayable(int kind);
/*
 * The overlay's rows and values, for a chunk of nrows rows; -1 (why
 * says what is wrong) when the bytes hold no overlay of this kind.
 */
int	 pdb_overlay_parse(const void *, size_t, int kind, uint32_t nrows,
	    struct pdb_overlay *, char *why, size_t whylen);
/* The bytes an overlay of these n values takes. */
size_t	 pdb_overlay_size(int kind, const struct value *vals, size_t n);
/* Writes it (rows ascending, distinct, below 65536). */
void	 pdb_overlay_write(int kind, const uint32_t *rows,
	    const struct value *vals, size_t n, uint8_t *out);
/*
 * The rows of ov with rows[0..n) (ascending) put over them, into
 * mrows/mvals (room for ov->n + n); returns how many.
 */
size_t	 pdb_overlay_merge(const struct pdb_overlay *ov, const uint32_t *rows,
	    const struct value *vals, size_t n, uint32_t *mrows,
	    struct value *mvals);

/* pdb_chunk.c: parsing a stored chunk (doc/storage.md, "Validation"). */
/* A column's name in messages: its field's, or the range buckets'. */
const char *pdb_col_name(const struct pdb_schema *, uint16_t field);
/* "profile database 'D': field 'F', chunk N is damaged: WHY"; -1. */
int	 pdb_damaged(const struct pdb_schema *, uint16_t field, uint32_t chunk,
	    const char *why, char **cause);
/*
 * 0, or -1 when the bytes do not hold a chunk of this kind with exactly
 * the sections its header gives (why, when not NULL, says what is
 * wrong).  Reads nothing outside the vlen bytes.
 */
int	 pdb_parse(const uint8_t *, size_t, int kind, struct col_chunk *,
	    char *why, size_t whylen);
/*
 * 0, or -1 when a parsed chunk holds what a reader would use out of
 * bounds: a dictionary code or tag code not below ndict, offsets out of
 * order, presence bits past nrows, a bucket above 9999, a boolean byte
 * other than 0 and 1.  One pass per chunk.
 */
int	 pdb_validate(const struct col_chunk *, char *why, size_t whylen);
/*
 * A packed chunk's rows into plain arrays (c's private plain buffer), as
 * the readers other than the scan take them; nothing for other chunks.
 */
void	 pdb_unpack(struct col_chunk *);
/*
 * pdb_parse, pdb_validate and pdb_unpack on stored bytes, copied into
 * c's scratch first when they are not 8-byte aligned (c's scratch is
 * kept: pdb_chunk_release).
 */
int	 pdb_chunk_view(const void *, size_t, int kind, struct col_chunk *,
	    char *why, size_t whylen);
/*
 * nrows absent values of a type (a field added after they were stored);
 * sets every member but the scratch.
 */
void	 pdb_chunk_absent(struct col_chunk *, enum field_type, uint32_t nrows);

/*
 * pdb_chunk_packed, with the stored bytes always copied into c's
 * scratch: the view stays valid while the same chunk is written again
 * in the transaction (a put may move a value within a page it dirtied).
 */
int	 pdb_chunk_copy(struct store_txn *, const struct pdb_schema *,
	    uint16_t field, uint32_t chunk, struct col_chunk *, char **cause);
/*
 * pdb_chunk, but a packed chunk stays packed (col_int, col_code and
 * pdb_chunk_row read it): for a reader of a few rows of a chunk.
 */
int	 pdb_chunk_packed(struct store_txn *, const struct pdb_schema *,
	    uint16_t field, uint32_t chunk, struct col_chunk *, char **cause);
/*
 * Whether pdb_patch can write a chunk of this kind with n rows changed
 * for less than decoding and encoding it whole.
 */
int	 pdb_patchable(int kind, size_t n);
/*
 * Writes chunk `chunk' of a column again as old (a view that outlives
 * the write: pdb_chunk_copy) with rows[i] set to vals[i] (n rows,
 * ascending, distinct), without decoding the other rows: packed values
 * that stay within the chunk's range are overwritten in its packed
 * rows, other fixed-width values in a plain copy; a string chunk keeps
 * its dictionary, gains the values it lacks and loses the entries no row
 * uses any more.  old may be unpacked.  Not for tags or the bucket
 * column.
 */
int	 pdb_patch(struct store_txn *, struct col_chunk *old, int kind,
	    uint32_t dbid, uint16_t field, uint32_t chunk, const uint32_t *rows,
	    const struct value *vals, size_t n, char **cause);

/*
 * pdb_batch.c: a batch's new keys in LMDB's order (bytewise, then the
 * shorter first), for writing them into the key index.
 */
#define PDB_KEYPRE	16
struct pdb_keyref {
	uint8_t		 pre[PDB_KEYPRE];	/* bytes of the sort's window */
	const char	*p;
	uint32_t	 len;
	uint32_t	 pno;
};
void	 pdb_keyref_set(struct pdb_keyref *, const char *p, uint32_t len,
	    uint32_t pno);
void	 pdb_keyrefs_sort(struct pdb_keyref *, size_t n);
/*
 * Puts db id + key -> its profile number through cur (store_cursor_put,
 * append as there), the key built in *k (grown to *cap).
 */
int	 pdb_put_key(struct store_cursor *cur, uint32_t dbid,
	    const struct pdb_keyref *key, uint8_t **k, size_t *cap,
	    int append, char **cause);
/* pdb_keyruns.c: keys[0..n), sorted, as a new run of the file. */
int	 pdb_keyruns_write(struct pdb_keyruns *, const struct pdb_keyref *keys,
	    size_t n, struct pdb_keyrun **run, char **cause);

/* pdb_chunk.c: building chunks. */
/* A fast hash for in-memory tables (not the range bucket hash). */
uint64_t pdb_fast_hash(const void *, size_t);
void	 pdb_bcol_init(struct pdb_bcol *, int kind);
void	 pdb_bcol_reset(struct pdb_bcol *);
void	 pdb_bcol_free(struct pdb_bcol *);
/* Appends one row (the chunk has room). */
void	 pdb_bcol_put(struct pdb_bcol *, const struct value *);
/*
 * Adds a string that no earlier row of the chunk holds (a key new to its
 * batch), h being its pdb_fast_hash: no dictionary entry is compared.
 */
void	 pdb_bcol_put_new_string(struct pdb_bcol *, const char *p,
	    uint32_t len, uint64_t h);
/*
 * Bytes of the chunk in its stored layout, which it plans (packed or
 * not) for pdb_bcol_write: call it after the last row is put.
 */
size_t	 pdb_bcol_size(struct pdb_bcol *);
/* Writes the chunk (pdb_bcol_size bytes, 8-byte aligned) to base. */
void	 pdb_bcol_write(const struct pdb_bcol *, uint8_t *base);
/*
 * Encodes vals[0..nrows) of a column (or buckets[] for the bucket
 * column) and writes the chunk.
 */
int	 pdb_encode(struct store_txn *, struct pdb_bcol *, uint32_t dbid,
	    uint16_t field, uint32_t chunk, uint32_t nrows,
	    const struct value *vals, const uint16_t *buckets, char **cause);

/* pdb_read.c: every row of a chunk into vals[0..nrows), strings in a. */
void	 pdb_chunk_values(const struct col_chunk *, struct value *vals,
	    struct arena *a);
/* pdb_read.c: row r of a chunk into v, strings in a. */
void	 pdb_chunk_row(const struct col_chunk *, uint32_t r, struct value *v,
	    struct arena *a);

#endif
