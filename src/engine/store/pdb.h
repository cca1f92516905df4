/*
 * Profile databases: creation, listing, the columnar profile layout,
 * batch upsert and reads.  See doc/storage.md for the layout.
 *
 * A profile's number is its position (0, 1, 2, ...) in creation order;
 * it never changes, and every member set is a bitmap of these numbers.
 * Each field of a database is stored as chunks of PDB_CHUNK_ROWS values
 * (STORE_COLS key: db id, field index, chunk index), so a scan reads only
 * the fields it needs.  A hidden column PDB_COL_BUCKET holds each
 * profile's range bucket (uint16; RANGE AND LIMIT in reseg(1)), computed
 * once at insert.
 */
#ifndef RESEG_PDB_H
#define RESEG_PDB_H

#include <stddef.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "schema.h"
#include "store.h"

#define PDB_CHUNK_ROWS	4096
#define PDB_COL_BUCKET	0xFFFF

/*
 * A read-only view of one chunk of one column.  Arrays are aligned for
 * their type.  Valid while the read transaction lives and until the next
 * pdb_chunk() call with the same struct; pdb_chunk_release frees the copy
 * made when LMDB handed back unaligned memory.
 */
struct col_chunk {
	enum field_type	 type;		/* bucket column: FT_INT */
	uint32_t	 nrows;
	const uint64_t	*present;	/* bit r of word r/64: value present */
	/* Fixed-width values, indexed by row (absent rows hold 0). */
	const int64_t	*i64;		/* FT_INT, FT_DATETIME */
	const double	*f64;		/* FT_FLOAT */
	const int32_t	*i32;		/* FT_DATE */
	const uint8_t	*u8;		/* FT_BOOL */
	const uint16_t	*u16;		/* PDB_COL_BUCKET */
	/*
	 * FT_STRING: each row holds a code into this chunk's dictionary of
	 * distinct values; entry c is dict_data[dict_off[c] .. dict_off[c+1]).
	 * FT_TAGS: the dictionary holds the distinct tags of the chunk and
	 * row r's tags are codes[tag_off[r] .. tag_off[r+1]).
	 */
	const uint32_t	*codes;
	uint32_t	 ndict;
	const uint32_t	*dict_off;	/* ndict + 1 entries */
	const char	*dict_data;
	const uint32_t	*tag_off;	/* FT_TAGS: nrows + 1 entries */
	uint32_t	 ncodes;	/* FT_TAGS: entries of codes */
	/*
	 * A packed chunk (doc/storage.md, "Packed chunks") as only the scan
	 * sees it (pdb_chunk_layout; the other readers get the plain
	 * arrays): width bytes a row at packed, 1, 2 or 4.  An int, date or
	 * datetime row is base plus its unsigned packed value, a string
	 * row's code is its packed value; i64, i32 and codes are then NULL.
	 * width is 0 when the arrays above are the plain ones.
	 */
	uint32_t	 width;
	int64_t		 base;
	const void	*packed;
	int		 missing;	/* no chunk stored (a field added later) */
	/*
	 * pdb_chunk_layout only: the chunk's overlay (NULL: none), which
	 * pdb_chunk_merged merges into a copy of the stored bytes.
	 */
	const void	*overlay, *stored;
	size_t		 overlay_len, stored_len;
	void		*scratch;	/* private: aligned copy, if any */
	size_t		 scratch_size;
	void		*plain;		/* private: a packed chunk unpacked */
	size_t		 plain_size;
};

static inline int
col_present(const struct col_chunk *c, uint32_t r)
{
	return (int)((c->present[r >> 6] >> (r & 63)) & 1);
}

/* Row r's packed value (width 1, 2 or 4). */
static inline uint32_t
col_packed(const struct col_chunk *c, uint32_t r)
{
	switch (c->width) {
	case 1:
		return ((const uint8_t *)c->packed)[r];
	case 2:
		return ((const uint16_t *)c->packed)[r];
	default:
		return ((const uint32_t *)c->packed)[r];
	}
}

/* Row r of an int, datetime or date chunk, packed or not. */
static inline int64_t
col_int(const struct col_chunk *c, uint32_t r)
{
	if (c->width != 0)
		return (int64_t)((uint64_t)c->base + col_packed(c, r));
	return c->type == FT_DATE ? c->i32[r] : c->i64[r];
}

/* Row r's dictionary code in a string chunk, packed or not. */
static inline uint32_t
col_code(const struct col_chunk *c, uint32_t r)
{
	return c->width != 0 ? col_packed(c, r) : c->codes[r];
}

int	 pdb_create(struct store *, const char *name, const struct field *,
	    size_t nfields, const char *key_field, char **cause);
/*
 * pdb_create with the properties of the database's events (evdb.h):
 * their names are neither reserved (schema_event_name_reserved) nor
 * repeated.
 */
#define PDB_MAX_EVENT_FIELDS	0xFF00
int	 pdb_create_events(struct store *, const char *name,
	    const struct field *, size_t nfields, const char *key_field,
	    const struct field *evfields, size_t nevfields, char **cause);
/*
 * An attached database (schema.h, source): pdb_create_events with the
 * source record, which the store keeps without reading it.  Its profiles
 * hold only keys (pdb_batch rows with the key alone), numbered as they
 * are first seen.  pdb_set_source_txn replaces the fields, event fields
 * and source of an attached database whose key field is the first and
 * stays so (its key chunks are those of field 0).
 */
int	 pdb_create_source(struct store *, const char *name,
	    const struct field *, size_t nfields, const char *key_field,
	    const struct field *evfields, size_t nevfields,
	    const cJSON *source, char **cause);
int	 pdb_set_source_txn(struct store_txn *, const char *name,
	    const struct field *, size_t nfields, const struct field *evfields,
	    size_t nevfields, const cJSON *source, char **cause);
/*
 * Adds profile fields and event properties to a database, all or none,
 * in one write transaction.  Profiles and events stored before read the
 * new fields as absent (they have no chunks for them).
 */
int	 pdb_alter(struct store *, const char *name, const struct field *,
	    size_t nfields, const struct field *evfields, size_t nevfields,
	    char **cause);
/*
 * Removes the database, its profiles and keys in the caller's write
 * transaction.  Whether segments still use it is for the caller to ask
 * (drop.h).
 */
int	 pdb_drop_txn(struct store_txn *, const char *name, char **cause);
int	 pdb_open(struct store_txn *, const char *name, struct pdb_schema **,
	    char **cause);
int	 pdb_list(struct store_txn *, struct pdb_schema ***, size_t *,
	    char **cause);

uint32_t pdb_nchunks(const struct pdb_schema *);
/* field is a field index or PDB_COL_BUCKET. */
int	 pdb_chunk(struct store_txn *, const struct pdb_schema *, uint16_t field,
	    uint32_t chunk, struct col_chunk *, char **cause);
void	 pdb_chunk_release(struct col_chunk *);
/*
 * pdb_chunk in two steps, for a reader that checks each chunk on the
 * thread that reads it, just before (eval's workers): pdb_chunk_layout
 * checks the header, sizes and row count, pdb_chunk_check the codes,
 * offsets and bits (doc/storage.md, "Validation").  Nothing may read a
 * chunk's values between the two.
 */
int	 pdb_chunk_layout(struct store_txn *, const struct pdb_schema *,
	    uint16_t field, uint32_t chunk, struct col_chunk *, char **cause);
int	 pdb_chunk_check(const struct pdb_schema *, uint16_t field,
	    uint32_t chunk, const struct col_chunk *, char **cause);
/*
 * A view pdb_chunk_layout left with an overlay, after pdb_chunk_check:
 * the chunk with the overlay's rows put in, into out, whose scratch the
 * reader keeps from chunk to chunk (pdb_chunk_release at the end).
 */
int	 pdb_chunk_merged(const struct pdb_schema *, uint16_t field,
	    uint32_t chunk, const struct col_chunk *view, struct col_chunk *out,
	    char **cause);

/*
 * 0 found, 1 no such key, -1 error.  A key whose number is not below the
 * database's nprofiles is one an import has staged but not published
 * (doc/storage.md, "Streaming profile import"): absent.
 */
int	 pdb_lookup(struct store_txn *, const struct pdb_schema *,
	    const char *key, size_t len, uint32_t *pno, char **cause);
/* pdb_lookup with staged keys too: for the import that staged them. */
int	 pdb_lookup_staged(struct store_txn *, const struct pdb_schema *,
	    const char *key, size_t len, uint32_t *pno, char **cause);
/* Decodes one profile into row[nfields] (memory from the arena). */
int	 pdb_get_row(struct store_txn *, const struct pdb_schema *, uint32_t pno,
	    struct value *row, struct arena *, char **cause);

/*
 * Calls fn for each profile (only those in `only` when it is not NULL),
 * in profile-number order, decoding chunk by chunk.  fn returns 0 to go
 * on, non-zero to stop (that value is returned).
 */
typedef int (*pdb_row_fn)(void *arg, uint32_t pno, const struct value *row);
int	 pdb_scan_rows(struct store_txn *, const struct pdb_schema *,
	    const roaring_bitmap_t *only, pdb_row_fn, void *arg, char **cause);

/*
 * The members (profile numbers) sorted by field's values (pdb_order.c):
 * ascending, the empty value first, or descending; equal values in
 * profile-number order either way.  *order (n numbers) is the caller's
 * to free.
 */
int	 pdb_sort_members(struct store_txn *, const struct pdb_schema *,
	    const roaring_bitmap_t *members, uint16_t field, int descending,
	    uint32_t **order, size_t *n, char **cause);

/*
 * The members with a field whose text (as value_format_text writes it)
 * match() accepts, in *found (the caller's to free).
 */
typedef int (*pdb_match_fn)(void *arg, const char *text);
int	 pdb_match_members(struct store_txn *, const struct pdb_schema *,
	    const roaring_bitmap_t *members, pdb_match_fn, void *arg,
	    roaring_bitmap_t **found, char **cause);

/*
 * Like pdb_scan_rows, but reads only the key column: fn gets each
 * profile's key (not NUL-terminated).  Both scans skip deleted profiles
 * (those without a key: pdb_delete_txn).
 */
typedef int (*pdb_key_fn)(void *arg, uint32_t pno, const char *key,
    size_t len);
int	 pdb_scan_keys(struct store_txn *, const struct pdb_schema *,
	    const roaring_bitmap_t *only, pdb_key_fn, void *arg, char **cause);

/*
 * Batch upsert: rows are collected in memory, already encoded as column
 * chunks, then applied inside one write transaction.  New keys get the
 * next profile numbers in batch order; known keys are updated in place
 * and keep their number.  A batch may be applied again (a transaction
 * retried after the map grew).
 */
struct pdb_batch;
struct pdb_batch *pdb_batch_new(const struct pdb_schema *);
void	 pdb_batch_free(struct pdb_batch *);
/* Copies row[nfields]; the key must be present.  Returns the row index. */
size_t	 pdb_batch_add(struct pdb_batch *, const struct value *row);
size_t	 pdb_batch_rows(const struct pdb_batch *);
/*
 * Like pdb_batch_add, but only the fields f with named[f] set (every
 * field when named is NULL) are written: an existing profile keeps the
 * stored values of the others, a new one gets empty values there.  The
 * key is always named.
 */
size_t	 pdb_batch_add_named(struct pdb_batch *, const struct value *row,
	    const uint8_t *named);
/*
 * Like pdb_batch_add_named, but a row whose key is already in the batch
 * is not added: returns 1 with the earlier row's index in *index, else 0
 * with the new row's index.  h is the key's pdb_key_hash (0 for a row
 * without a key).
 */
int	 pdb_batch_add_unique(struct pdb_batch *, const struct value *row,
	    const uint8_t *named, uint64_t h, size_t *index);
/*
 * Starts loading the batch's slot for a key (h: its pdb_key_hash), so a
 * caller that knows the key early overlaps the cache miss of the add.
 */
void	 pdb_batch_prefetch(const struct pdb_batch *, uint64_t h);
/* The key of row i (not NUL-terminated). */
void	 pdb_batch_row_key(const struct pdb_batch *, size_t i, const char **p,
	    size_t *len);
/* Row index of key within the batch (its first row), or -1. */
long	 pdb_batch_find(const struct pdb_batch *, const char *key, size_t len);

struct pdb_upsert_stats {
	uint64_t	inserted;
	uint64_t	updated;	/* an existing key whose values changed */
	uint64_t	unchanged;	/* an existing key with the same values
					   in every field the row names */
};
/* Applies the batch inside the caller's write transaction. */
int	 pdb_batch_apply(struct store_txn *, const char *dbname,
	    struct pdb_batch *, struct pdb_upsert_stats *, char **cause);
/* Like pdb_batch_apply; adds the profile number of every row to touched. */
int	 pdb_batch_apply_touched(struct store_txn *, const char *dbname,
	    struct pdb_batch *, struct pdb_upsert_stats *,
	    roaring_bitmap_t *touched, char **cause);
/*
 * The caller vouches that no key of the batch is stored (nor repeated):
 * applying it numbers every row as new without looking its key up.
 */
void	 pdb_batch_set_new(struct pdb_batch *);
/*
 * Staging (a profile import in several write transactions; doc/storage.md,
 * "Streaming profile import").  pdb_batch_stage writes the rows of a
 * batch of new keys (pdb_batch_set_new) as profiles first, first + 1, ...
 * (their chunks and key index entries) and leaves the schema record as
 * it is, so no reader sees them: first is at least the end of the last
 * chunk of sc's profiles, and a staged chunk left part-filled is
 * continued by the next call.  (The import's last transaction also
 * calls it with first = nprofiles, to fill the last chunk, before it
 * raises the count.)  pdb_batch_compare sets changed[i] when
 * batch row i, the stored profile pnos[i], would change a value it
 * names (rows whose pnos[i] is not below nprofiles are skipped); nothing
 * is written.  pdb_batch_take copies rows
 * rows[0..n) (ascending) of src into dst, with the fields they name.
 */
/*
 * Encodes the batch's last rows: then pdb_batch_find may read it on one
 * thread while pdb_batch_stage writes it out on another.
 */
void	 pdb_batch_finish(struct pdb_batch *);
/*
 * Rows added to the (empty) batch from now on get their range bucket
 * from pdb_batch_stage, not as they are added: an import adds rows in
 * its reading thread and stages them in another.  Only for a batch that
 * is staged, or whose rows pdb_batch_take copies (which computes them).
 */
void	 pdb_batch_defer_buckets(struct pdb_batch *);
int	 pdb_batch_stage(struct store_txn *, const struct pdb_schema *sc,
	    struct pdb_batch *, uint32_t first, int to_runs, char **cause);
int	 pdb_batch_compare(struct store_txn *, const struct pdb_schema *sc,
	    struct pdb_batch *, const uint32_t *pnos, uint8_t *changed,
	    char **cause);
void	 pdb_batch_take(struct pdb_batch *dst, struct pdb_batch *src,
	    const uint32_t *rows, size_t n);

/*
 * Key runs (doc/storage.md, "Key runs"): an import's staged keys kept
 * out of the key index until the end, in a file of its own that goes
 * with the process (unlinked when made, in dir: the store's directory),
 * then merged into the index in key order.  pdb_batch_stage with
 * to_runs writes a batch's rows but keeps its new keys, sorted;
 * pdb_batch_write_run then (after the staging transaction committed,
 * as store_write may run it twice) writes them as a run, *run NULL when
 * there were none.  A run is written on one thread (the staging one)
 * while pdb_keyruns_find reads the runs added before it on another;
 * pdb_keyruns_add, on the reading thread, makes it one of them.
 * pdb_keyruns_find: 0 found (*pno), 1 not in any run, -1 error.
 * pdb_keyruns_merge puts the keys of every run into a table keyed by
 * db id (be32) + key bytes (the key index, or an events import's
 * `evids`) in one write transaction, from where the last committed one stopped, up
 * to max keys and the pages it may hold in memory (*more set when keys
 * are left); call pdb_keyruns_merged after each commit.  Merged keys are staged ones: pdb_lookup ignores them
 * until the import publishes, and pdb_clean_staged removes them.
 */
struct pdb_keyruns;
struct pdb_keyrun;
int	 pdb_keyruns_open(const char *dir, struct pdb_keyruns **,
	    char **cause);
void	 pdb_keyruns_free(struct pdb_keyruns *);
int	 pdb_batch_write_run(struct pdb_batch *, struct pdb_keyruns *,
	    struct pdb_keyrun **run, char **cause);
void	 pdb_keyruns_add(struct pdb_keyruns *, struct pdb_keyrun *);
int	 pdb_keyruns_find(struct pdb_keyruns *, const char *key, size_t len,
	    uint32_t *pno, char **cause);
uint64_t pdb_keyruns_count(const struct pdb_keyruns *);
size_t	 pdb_keyruns_nruns(const struct pdb_keyruns *);
int	 pdb_keyruns_merge(struct store_txn *, enum store_table,
	    const struct pdb_schema *, struct pdb_keyruns *, size_t max,
	    int *more, char **cause);
void	 pdb_keyruns_merged(struct pdb_keyruns *);
/*
 * The whole merge: fn (which calls pdb_keyruns_merge, setting *more) in
 * write transactions committed as staging ones are (MDB_NOMETASYNC),
 * until no key is left, after room for the keys is made in the map.
 */
int	 pdb_keyruns_merge_all(struct store *, struct pdb_keyruns *,
	    store_write_fn fn, void *arg, const int *more, char **cause);
uint64_t pdb_keyruns_merged_count(const struct pdb_keyruns *);

/*
 * The import mark (`profiles-import:DBID` in meta, the importer's pid)
 * while an import stages profiles.  pdb_import_mark: 1 and the pid when
 * set (*alive as store_mark_get gives it, unless NULL), else 0.
 * pdb_import_busy refuses (-1) when a live process other
 * than this one holds it.  pdb_check_idle is what every other writer of
 * the database's profiles calls first: pdb_import_busy, then, when the
 * importer died, its leftovers removed (pdb_clean_staged) and the mark
 * with them.  pdb_clean_staged removes up to max staged chunks (every
 * column's, and the key index entries of their keys), *left set when
 * some remain.  pdb_import_claim cleans up to max and, when nothing is
 * left, sets this process's mark; pdb_import_unmark removes it.
 */
int	 pdb_import_mark(struct store_txn *, const struct pdb_schema *,
	    long *pid, int *alive, char **cause);
int	 pdb_import_busy(struct store_txn *, const struct pdb_schema *,
	    char **cause);
int	 pdb_check_idle(struct store_txn *, const struct pdb_schema *,
	    char **cause);
int	 pdb_clean_staged(struct store_txn *, const struct pdb_schema *,
	    size_t max, int *left, char **cause);
int	 pdb_import_claim(struct store_txn *, const struct pdb_schema *,
	    size_t max, int *left, char **cause);
int	 pdb_import_unmark(struct store_txn *, const struct pdb_schema *,
	    char **cause);
/*
 * The import's last transaction, after its updates: the database's
 * count becomes nprofiles (the staged profiles appear) and the mark goes.
 */
int	 pdb_import_publish(struct store_txn *, const char *dbname,
	    uint32_t nprofiles, char **cause);

/* A 64-bit hash of a key, for the callers' own tables of keys. */
uint64_t pdb_key_hash(const char *key, size_t len);

/*
 * Deletes the profiles in pnos (right to erasure) inside the caller's
 * write transaction: every value, the key included, is cleared and the
 * key leaves the key index, so nothing of the profile stays but its
 * number and its range bucket (16 bits of the key's hash).  The numbers
 * join the database's deleted set (pdb_deleted) and are never given
 * again: nprofiles keeps counting, ndeleted grows.  Numbers already
 * deleted or not below nprofiles are refused.  Events, segments and
 * scenarios are the caller's (evdb.h, the model).
 */
int	 pdb_delete_txn(struct store_txn *, const char *dbname,
	    const roaring_bitmap_t *pnos, char **cause);
/*
 * The database's deleted profile numbers (a new bitmap, empty when
 * there are none; the caller frees it).
 */
int	 pdb_deleted(struct store_txn *, const struct pdb_schema *,
	    roaring_bitmap_t **, char **cause);
/*
 * Takes the deleted profiles out of bm (the members a scheduled segment
 * keeps until its next run, for one).
 */
int	 pdb_drop_deleted(struct store_txn *, const struct pdb_schema *,
	    roaring_bitmap_t *bm, char **cause);

/*
 * Sets one field to one value for every profile in pnos (bulk edit),
 * inside the caller's write transaction; *changed counts the profiles
 * whose value differed.
 */
int	 pdb_set_field(struct store_txn *, const char *dbname, uint16_t field,
	    const struct value *, const roaring_bitmap_t *pnos, uint64_t *changed,
	    char **cause);

#endif
