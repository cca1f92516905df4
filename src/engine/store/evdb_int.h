/*
 * Shared by the files of the event store (evdb.c, evdb_write.c); not a
 * public API.  The layout is in doc/storage.md, "Events".
 */
#ifndef RESEG_EVDB_INT_H
#define RESEG_EVDB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "evdb.h"

/*
 * A directory entry (STORE_EVCHUNKS value), big-endian:
 *	u8 version, u8[3] zero, u32 nrows, i64 tmin, i64 tmax
 */
#define EVDB_DIR_VERSION	1
#define EVDB_DIR_SIZE		24

static inline void
evdb_dir_key(uint8_t *k, uint32_t dbid, uint32_t chunk)
{
	store_be32(k, dbid);
	store_be32(k + 4, chunk);
}

/* Number of columns of the database's event chunks. */
static inline uint16_t
evdb_ncols(const struct pdb_schema *sc)
{
	return (uint16_t)(EVDB_COL_PROP + sc->nevent_fields);
}

/* evdb.c */
enum field_type evdb_col_type(const struct pdb_schema *, uint16_t col);
int	 evdb_put_dir(struct store_txn *, uint32_t dbid,
	    const struct evdb_chunk_info *, char **cause);
/* 0 found, 1 no such chunk, -1 error. */
int	 evdb_get_dir(struct store_txn *, const struct pdb_schema *,
	    uint32_t chunk, struct evdb_chunk_info *, char **cause);
/*
 * Removes a chunk: its columns, its directory entry and the event_ids
 * that point at it.  ids are the chunk's event_id column (decoded).
 */
int	 evdb_remove_chunk(struct store_txn *, const struct pdb_schema *,
	    uint32_t chunk, const struct value *ids, uint32_t nrows,
	    char **cause);
/* Deletes the event_id key when it points at chunk. */
int	 evdb_del_id(struct store_txn *, uint32_t dbid, const char *id,
	    size_t len, uint32_t chunk, char **cause);

/* evdb_write.c */
/*
 * The staged chunks left by an import that did not finish: chunks with
 * columns but no directory entry.  Removes up to max of them (with their
 * event_ids); *left is set when more remain.
 */
int	 evdb_clean_orphans(struct store_txn *, const struct pdb_schema *,
	    size_t max, int *left, char **cause);

#endif
