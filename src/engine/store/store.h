/*
 * The LMDB store: one environment (a directory) holding every table of
 * reseg.  This is the only module that calls mdb_*; everything else sees
 * tables, byte keys and byte values.
 *
 * Writes go through store_write(): it runs a callback inside one write
 * transaction and commits it.  When the map is full the transaction is
 * aborted, the map is doubled and the callback runs again from scratch,
 * so a callback must only change the store through its transaction (no
 * side effects elsewhere that a second run would repeat).
 */
#ifndef RESEG_STORE_H
#define RESEG_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Bumped when the on-disk layout changes incompatibly. */
#define STORE_SCHEMA_VERSION	1

/*
 * Size limits, in bytes (README, "Limits"), derived from the longest
 * LMDB key, mdb_env_get_maxkeysize (store_open refuses an LMDB built
 * with a shorter one), and the key layouts of doc/storage.md.  They are
 * checked where input arrives, so that a row or a name over the limit is
 * reported like any bad value and never reaches LMDB.
 */
#define STORE_MAX_KEY		511
/* A profile key: `keys` is db id (be32) + key bytes. */
#define STORE_KEY_MAX		(STORE_MAX_KEY - 4)
/* An event_id: `evids` is db id (be32) + event_id bytes. */
#define STORE_EVENT_ID_MAX	(STORE_MAX_KEY - 4)
/*
 * Segment, database and object names, and event names: the longest
 * name key is STORE_OBJMEMBERS' "scenario\0NAME\0" + db id (be32), 496
 * bytes at most; 255 is a file name's limit too (segment dump writes
 * NAME.seg).
 */
#define STORE_NAME_MAX		255
/* A string value, and each tag of a tags value. */
#define STORE_STRING_MAX	65535

struct store;
struct store_txn;
struct store_cursor;

enum store_table {
	STORE_META,		/* text key -> value (schema_version, id counters) */
	STORE_DBS,		/* database name -> database record (JSON) */
	STORE_KEYS,		/* db id (be32) + key bytes -> profile number (be32) */
	STORE_COLS,		/* db id (be32) + field (be16) + chunk (be32) -> chunk */
	STORE_SEGMENTS,		/* segment id (be32) -> segment record (JSON) */
	STORE_SEGNAMES,		/* segment name -> segment id (be32) */
	STORE_MEMBERS,		/* segment id (be32) -> roaring bitmap (portable) */
	STORE_RUNS,		/* segment id (be32) + run id (be32) -> run (JSON) */
	STORE_DELTAS,		/* segment id (be32) + run id (be32) -> delta bitmaps */
	STORE_OBJECTS,		/* "type\0name" -> dependent object (JSON) */
	STORE_OBJMEMBERS,	/* "type\0name\0" + db id (be32) -> bitmap */
	STORE_EVCOLS,		/* db id (be32) + column (be16) + chunk (be32) -> event chunk */
	STORE_EVCHUNKS,		/* db id (be32) + chunk (be32) -> chunk directory entry */
	STORE_EVIDS,		/* db id (be32) + event_id bytes -> event chunk (be32) */
	STORE_QUERIES,		/* external query name -> query record (JSON) */
	STORE_NTABLES
};

/*
 * Opens (creating when missing, mode 0700 directory / 0600 files) the
 * store at dir, clears stale readers, checks the schema version.
 * RESEG_MAPSIZE (bytes) overrides the initial map size, for tests; a
 * value that is not a whole number of bytes (at least 64 KiB) is refused.
 */
int	 store_open(const char *dir, struct store **, char **cause);
/*
 * The initial map size: RESEG_MAPSIZE, else the default; -1 with cause
 * when RESEG_MAPSIZE is set but malformed (engine_init checks it first,
 * as it does RESEG_NOW).
 */
int	 store_map_size_env(uint64_t *, char **cause);
void	 store_close(struct store *);
const char *store_path(const struct store *);
uint64_t store_map_size(const struct store *);
/*
 * Gives back the map pages this process has touched (they stay in the
 * page cache), so that a long run of write transactions over a large
 * store, such as an events import, keeps a small resident set.
 */
void	 store_release_pages(struct store *);
/*
 * Grows the map, before a write transaction, so that bytes more than
 * the store uses fit without the transaction failing and running again
 * (store_write); a hint, no error when it cannot tell.
 */
int	 store_reserve_room(struct store *, uint64_t bytes, char **cause);
/* $RESEG_STORE, else $XDG_DATA_HOME/reseg, else ~/.local/share/reseg. */
char	*store_default_dir(void);
/* Whether dir (NULL: the default place) holds a store; creates nothing. */
int	 store_exists(const char *dir);

/*
 * Writes a consistent, compacted copy of the store to dir/data.mdb, a
 * store that store_open opens as it is.  The copy reads in one read
 * transaction of its own: writers and other readers go on meanwhile.
 * dir must not exist (it is created, mode 0700) or be an empty
 * directory; the file is 0600.  *bytes is the copy's size.  On failure
 * the file (and a directory made here) is removed.
 */
int	 store_backup(struct store *, const char *dir, uint64_t *bytes,
	    char **cause);

/* Read transactions may be handed between threads (MDB_NOTLS). */
int	 store_read_begin(struct store *, struct store_txn **, char **cause);
void	 store_read_end(struct store_txn *);

typedef int (*store_write_fn)(struct store_txn *, void *arg, char **cause);
/* Runs fn in one write transaction; commits when it returns 0. */
int	 store_write(struct store *, store_write_fn, void *arg, char **cause);
/*
 * Like store_write, but the commit waits for the data pages only, not
 * for the page that makes them the store's state (LMDB's
 * MDB_NOMETASYNC): the store stays whole, but a crash of the system
 * (not of the process) may undo this transaction.  For transactions
 * whose work no reader sees until a later store_write makes it count,
 * such as an import's staging (whose sync then writes this one's too).
 */
int	 store_write_nometasync(struct store *, store_write_fn, void *arg,
	    char **cause);
/*
 * Tests only (engine_init: RESEG_TEST_KILL_WRITE=N): the process kills
 * itself (SIGKILL, as kill -9 would) just before the commit of its Nth
 * write transaction, counted from 1; 0 turns it off.
 */
void	 store_test_kill_write(unsigned n);
/* True inside store_write's callback. */
int	 store_txn_writable(const struct store_txn *);
struct store *store_txn_store(struct store_txn *);

/* 0 found, 1 not found, -1 error.  The value stays valid until txn end. */
int	 store_get(struct store_txn *, enum store_table, const void *key,
	    size_t klen, const void **val, size_t *vlen, char **cause);
/*
 * store_get, and the record right after key in the table's order too:
 * *nkey and *nval, NULL when key is the table's last.  For a value with
 * a companion stored under the next key (a chunk's pending changes,
 * doc/storage.md "Overlays"), in one search of the tree.
 */
int	 store_get_next(struct store_txn *, enum store_table, const void *key,
	    size_t klen, const void **val, size_t *vlen, const void **nkey,
	    size_t *nklen, const void **nval, size_t *nvlen, char **cause);
int	 store_put(struct store_txn *, enum store_table, const void *key,
	    size_t klen, const void *val, size_t vlen, char **cause);
/* Like store_put, but returns 1, writing nothing, when key is there. */
int	 store_put_new(struct store_txn *, enum store_table, const void *key,
	    size_t klen, const void *val, size_t vlen, char **cause);
/* Reserves vlen bytes for key and returns where to write them (or NULL). */
void	*store_reserve(struct store_txn *, enum store_table, const void *key,
	    size_t klen, size_t vlen, char **cause);
/* Deleting an absent key is not an error. */
int	 store_del(struct store_txn *, enum store_table, const void *key,
	    size_t klen, char **cause);
int	 store_del_prefix(struct store_txn *, enum store_table,
	    const void *prefix, size_t plen, char **cause);

/* Iterates the keys that start with prefix (all keys when plen is 0). */
struct store_cursor *store_cursor_open(struct store_txn *, enum store_table,
	    const void *prefix, size_t plen, char **cause);
/* 0 item, 1 end, -1 error. */
int	 store_cursor_next(struct store_cursor *, const void **key, size_t *klen,
	    const void **val, size_t *vlen, char **cause);
void	 store_cursor_close(struct store_cursor *);
/*
 * Places the cursor at the first key after key, whatever its prefix: 0
 * with that key in *fkey (valid until the transaction changes the
 * table), 1 when no key sorts after key, -1 error.
 */
/* The table's last key, whatever the prefix: 0, 1 when empty, -1. */
int	 store_cursor_last(struct store_cursor *, const void **key,
	    size_t *klen, char **cause);
int	 store_cursor_after(struct store_cursor *, const void *key, size_t klen,
	    const void **fkey, size_t *fklen, char **cause);
/*
 * Writes through a cursor of a write transaction (prefix unused): keys
 * put in ascending order that fall in the leaf page the cursor is on
 * are placed there without searching the tree from its root.  append:
 * the key must sort after every key of the table (LMDB's fast append,
 * MDB_APPEND); 1, writing nothing, when it does not.  0 written, -1
 * error.
 */
int	 store_cursor_put(struct store_cursor *, const void *key, size_t klen,
	    const void *val, size_t vlen, int append, char **cause);

/*
 * A writer's mark in STORE_META under key: its pid (be32), its start
 * time (be64, clock ticks since boot) and the boot's id (16 bytes), so
 * that other processes wait while it lives and clean up after it when it
 * died (the profile and event imports).  store_mark_get: 1 a mark, with
 * *pid (0 when unreadable) and *alive: whether that process is another
 * than this one and still runs, which a process given the same pid later
 * is not; 0 none, -1 error.  A mark of the pid alone (older versions)
 * counts while the pid runs.
 */
int	 store_mark_get(struct store_txn *, const char *key, long *pid,
	    int *alive, char **cause);
int	 store_mark_put(struct store_txn *, const char *key, char **cause);

/* Next value of a named counter in STORE_META (starts at 1). */
int	 store_next_id(struct store_txn *, const char *counter, uint32_t *id,
	    char **cause);

/* Big-endian key helpers: big-endian keys sort numerically in LMDB. */
static inline void
store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* LMDB's order of two keys: bytewise, then the shorter first. */
static inline int
store_key_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int d = memcmp(a, b, alen < blen ? alen : blen);

	return d != 0 ? d : (alen > blen) - (alen < blen);
}

static inline uint32_t
store_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void
store_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

#endif
