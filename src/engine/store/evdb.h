/*
 * Events of a profile database (doc/storage.md, "Events"): what each
 * profile did, as columns in chunks of PDB_CHUNK_ROWS events.
 *
 * An event chunk is a set of columns in pdb's chunk layout (struct
 * col_chunk), kept in STORE_EVCOLS under (db id, column, chunk): the
 * profile number, the time, the event name, the event_id and one column
 * per event property (pdb_schema.event_fields).  A directory entry per
 * chunk (STORE_EVCHUNKS) gives its number of events and its earliest and
 * latest time, so a scan of a time window reads only the chunks that
 * overlap it.  Events are sorted by time before they are cut into chunks.
 * STORE_EVIDS maps each stored event_id to its chunk, so an event that
 * is already stored is recognised and skipped.
 */
#ifndef RESEG_EVDB_H
#define RESEG_EVDB_H

#include <stddef.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "pdb.h"
#include "schema.h"
#include "store.h"

/* Columns of an event chunk. */
#define EVDB_COL_PNO	0	/* FT_INT: the profile's number */
#define EVDB_COL_TIME	1	/* FT_DATETIME: UTC seconds */
#define EVDB_COL_NAME	2	/* FT_STRING: the event's name */
#define EVDB_COL_ID	3	/* FT_STRING: event_id, absent when none */
#define EVDB_COL_PROP	4	/* + index into pdb_schema.event_fields */

/* Names a file or a `where` may not give to an event property. */
int	 evdb_reserved_name(const char *);

/* One chunk's directory entry. */
struct evdb_chunk_info {
	uint32_t	 chunk;
	uint32_t	 nrows;
	int64_t		 tmin, tmax;	/* earliest and latest time */
};

/*
 * The directory of the database's event chunks, in chunk order (caller
 * frees *out).  Zero chunks is not an error.
 */
int	 evdb_chunks(struct store_txn *, const struct pdb_schema *,
	    struct evdb_chunk_info **out, size_t *n, char **cause);

/* One column of one chunk, like pdb_chunk (release with pdb_chunk_release). */
int	 evdb_column(struct store_txn *, const struct pdb_schema *, uint16_t col,
	    uint32_t chunk, struct col_chunk *, char **cause);

/*
 * Every column of a chunk decoded into vals[col * PDB_CHUNK_ROWS + row]
 * (evdb_schema's columns; strings copied into a, so they outlive the
 * transaction); *nrows is the chunk's number of events.
 */
int	 evdb_decode_chunk(struct store_txn *, const struct pdb_schema *,
	    uint32_t chunk, struct value *vals, uint32_t *nrows,
	    struct arena *a, char **cause);

/*
 * The columns of an event chunk as a schema, field i being column i:
 * "#profile" (int), "time" (datetime), "#event" (string), "#event_id"
 * (string), then the properties.  Conditions over events (a `where`) are
 * compiled against it: `time` and the properties are found by name; the
 * "#" names cannot be written in a script.  Free with schema_free.
 */
struct pdb_schema *evdb_schema(const struct pdb_schema *db);

/* One event to append; props has db->nevent_fields values. */
struct evdb_event {
	uint32_t	 pno;
	int64_t		 time;
	const char	*name;
	size_t		 namelen;
	const char	*id;		/* NULL: no event_id */
	size_t		 idlen;
	const struct value *props;
};

struct evdb_append_stats {
	uint64_t	 added;
	uint64_t	 duplicates;	/* event_id already stored or repeated */
};

/*
 * Appends events inside the caller's write transaction (sorted by time
 * first; an event whose event_id is stored already, or earlier in evs,
 * is skipped and counted).  For small sets: the demo, `segment test`,
 * tests.  Imports stream through events.h instead.
 */
int	 evdb_append(struct store_txn *, const struct pdb_schema *,
	    const struct evdb_event *evs, size_t n, struct evdb_append_stats *,
	    char **cause);

/*
 * 0 when no other live process is importing events into the database (a
 * mark left by a dead one is removed when the transaction is writable),
 * else -1 with the reason.  Dropping or pruning waits for an import.
 */
/*
 * The events import's mark (`events-import:DBID`): 1 with the pid and
 * whether that process still runs, 0 none, -1 error.
 */
int	 evdb_import_mark(struct store_txn *, const struct pdb_schema *,
	    long *pid, int *alive, char **cause);
int	 evdb_check_idle(struct store_txn *, const struct pdb_schema *,
	    char **cause);

/* Removes every event of the database (db drop), in the caller's txn. */
int	 evdb_drop_txn(struct store_txn *, uint32_t dbid, char **cause);

/*
 * Removes the events of the profiles in pnos (deleting profiles), in the
 * caller's write transaction; *removed counts them.
 */
int	 evdb_delete_profiles(struct store_txn *, const struct pdb_schema *,
	    const roaring_bitmap_t *pnos, uint64_t *removed, char **cause);

/*
 * Removes the events older than before (retention), in the caller's
 * write transaction: a chunk all older is removed, one that straddles
 * before is rewritten without its older events; their event_ids go too.
 * At most max_chunks chunks are touched (and as many orphans of a failed
 * import cleaned); *more says whether a further call has work left.
 * *removed is increased by the events removed.
 */
int	 evdb_prune_txn(struct store_txn *, const struct pdb_schema *,
	    int64_t before, size_t max_chunks, uint64_t *removed, int *more,
	    char **cause);

/* Number of events stored (from the directory). */
int	 evdb_count(struct store_txn *, const struct pdb_schema *,
	    uint64_t *n, char **cause);

/*
 * The streaming writer behind an events import, in bounded memory.
 * Events are gathered (their event_ids checked against the events
 * gathered) and, every EVDB_STAGE_ROWS, sorted by time and written as
 * full chunks in a write transaction of their own: "staged" chunks,
 * which have columns and event_ids but no directory entry, so no reader
 * sees them.  evdb_writer_commit writes the last chunk and then every
 * directory entry in one transaction: the import appears at once.  Until
 * then, or after evdb_writer_abort, or after a crash, the store is
 * logically unchanged; staged chunks left behind are removed by the next
 * writer or prune of the database.  A mark in STORE_META names the
 * importing process so that a second one is refused meanwhile.
 *
 * When the database's last chunk is not full, its events are taken into
 * the first chunks written and it is replaced at commit, so that many
 * small imports do not leave many small chunks.
 */
#define EVDB_STAGE_ROWS		(32 * PDB_CHUNK_ROWS)

struct evdb_writer;
/*
 * Cleans up after a failed import, marks the database as being imported
 * into, and reads its last chunk.  RESEG_EVSTAGE_ROWS (a number of
 * events) overrides EVDB_STAGE_ROWS, for tests.
 */
int	 evdb_writer_open(struct store *, const char *dbname,
	    struct evdb_writer **, char **cause);
/* The database's schema as the writer read it. */
const struct pdb_schema *evdb_writer_schema(const struct evdb_writer *);
/*
 * About how many events will come (a regular file's size tells), before
 * the first: the filter of the ids kept in runs is sized for them at
 * once instead of doubling as it fills (each filter costs every later
 * id a cache miss: 10,000,000 random ids took 18 s with four).
 */
void	 evdb_writer_expect(struct evdb_writer *, uint64_t events);
/*
 * Adds one event (copied): 0, or 1 when its event_id was given before
 * (skipped and counted), or -1 when staging failed.
 */
int	 evdb_writer_add(struct evdb_writer *, const struct evdb_event *,
	    char **cause);
/* Writes what is left and makes every event visible. */
int	 evdb_writer_commit(struct evdb_writer *, struct evdb_append_stats *,
	    char **cause);
/* Removes the staged chunks and the mark (failures leave orphans only). */
void	 evdb_writer_abort(struct evdb_writer *);
void	 evdb_writer_free(struct evdb_writer *);

#endif
