/*
 * Shared by the files of the segment module (segment.c, segment_record.c,
 * segment_validate.c, segment_runs.c, history.c) and by recalc.c; not a
 * public API.
 */
#ifndef RESEG_SEGMENT_INT_H
#define RESEG_SEGMENT_INT_H

#include <cjson/cJSON.h>

#include "segment.h"

/* Segment record in a transaction (decoded as stored: no liveness check). */
int	 seg_load(struct store_txn *, uint32_t id, struct segment **,
	    char **cause);
/* seg_list with every record as stored (no liveness check). */
int	 seg_list_stored(struct store_txn *, struct segment ***, size_t *,
	    char **cause);
/*
 * Clears s->running_run_id when the owner of that run has died (or its
 * record is gone); returns the id cleared, else 0.  The stored run
 * record may still say In progress.
 */
uint32_t seg_check_running(struct store_txn *, struct segment *);
/* 0 found, 1 no such segment, -1 a store error; *cause says which. */
int	 seg_lookup_id(struct store_txn *, const char *name, uint32_t *id,
	    char **cause);
int	 seg_save(struct store_txn *, const struct segment *, char **cause);

int	 seg_run_get(struct store_txn *, uint32_t seg, uint32_t run,
	    struct run_record *, char **cause);
int	 seg_run_put(struct store_txn *, uint32_t seg, const struct run_record *,
	    char **cause);

int	 seg_members_put(struct store_txn *, uint32_t seg,
	    const roaring_bitmap_t *, char **cause);
int	 seg_deltas_put(struct store_txn *, uint32_t seg, uint32_t run,
	    const roaring_bitmap_t *added, const roaring_bitmap_t *removed,
	    char **cause);
int	 seg_deltas_get(struct store_txn *, uint32_t seg, uint32_t run,
	    roaring_bitmap_t **added, roaring_bitmap_t **removed, char **cause);

/* segment.c: frees n strings and the vector. */
void	 seg_strv_free(char **, size_t n);

/* segment_record.c: JSON records, shared with the run records. */
int64_t	 seg_json_int(const cJSON *, const char *name, int64_t dflt);
/* Stores o as unformatted JSON under key; o is deleted. */
int	 seg_put_json(struct store_txn *, enum store_table, const void *key,
	    size_t klen, cJSON *o, char **cause);
/*
 * The parsed record under key, or NULL: *found says whether it exists,
 * *cause is set when the lookup fails or the record is not JSON.
 */
cJSON	*seg_get_json(struct store_txn *, enum store_table, const void *key,
	    size_t klen, int *found, char **cause);

/* seg_runs as stored: In progress even when the owner is gone. */
int	 seg_runs_stored(struct store_txn *, uint32_t id, struct run_record **,
	    size_t *, char **cause);
/*
 * Closes In progress run r of segment seg as Error "interrupted" with
 * total members (nothing when r is not In progress).
 */
int	 seg_run_interrupt(struct store_txn *, uint32_t seg,
	    struct run_record *r, uint64_t total, char **cause);
/* Called by seg_save: closes the stored record's running run if dropped. */
int	 seg_run_settle(struct store_txn *, const struct segment *,
	    char **cause);
/*
 * Closes every In progress run of s whose owner is gone (runs a crash
 * left behind, also ones older stores lost track of); *n (may be NULL)
 * is incremented by how many.
 */
int	 seg_runs_settle(struct store_txn *, const struct segment *,
	    unsigned *n, char **cause);
/* Whether the owner of an in-progress run is still alive. */
int	 seg_run_owner_alive(const struct run_record *);
/* This process as r's owner: pid, start time and boot (in progress). */
void	 seg_self_owner(struct run_record *);

#endif
