/*
 * Writing profiles as CSV (a header row in schema field order) or JSON
 * Lines (one object per profile, members in schema order), in profile
 * number order.  Database export and segment export share these.
 */
#ifndef RESEG_EXPORT_H
#define RESEG_EXPORT_H

#include <stdio.h>

#include <roaring/roaring.h>

#include "schema.h"
#include "store.h"

enum export_format {
	EXPORT_CSV,
	EXPORT_JSONL
};

/* "csv" or "jsonl" (also "ndjson"); 0 on success. */
int	 export_format_parse(const char *, enum export_format *);
/*
 * From a file name's extension, any case: .csv, or .jsonl, .ndjson and
 * .json (JSON Lines is a stream of JSON values, as jq reads a .json
 * file); 0 on success.
 */
int	 export_format_guess(const char *path, enum export_format *);
/*
 * The format of a stream that has no name (standard input) from its
 * first byte that is not a blank (space, tab, CR, LF): '{' is JSON
 * Lines, anything else (or no byte at all) CSV.  Returns a stream that
 * reads all of in, the bytes looked at first (fclose it; in stays open),
 * or NULL with *cause.
 */
FILE	*export_format_sniff(FILE *in, enum export_format *, char **cause);

/*
 * Writes the header (CSV) and every profile (only those in `only` when it
 * is not NULL) to out.  *count, when not NULL, receives the row count.
 */
int	 export_rows(struct store_txn *, const struct pdb_schema *,
	    const roaring_bitmap_t *only, enum export_format, FILE *out,
	    uint64_t *count, char **cause);

/*
 * Runs fn to produce the file at path: it writes to a temporary file in
 * the same directory and renames it over path only when fn and every
 * write succeeded, so an error never leaves a half-written file.  With
 * path NULL or "-", fn writes to stdout directly.
 */
typedef int (*export_write_fn)(FILE *, void *arg, char **cause);
int	 export_to_file(const char *path, export_write_fn, void *arg,
	    char **cause);

/*
 * A segment's per-profile deltas (`reseg segment export-history`): the
 * header "run,time,key,change", then one row per profile added or removed
 * by each run, oldest run first: run id, the run's end time, the key
 * (CSV-quoted when needed), "added" or "removed".
 */
int	 export_history(struct store_txn *, uint32_t segment_id, FILE *out,
	    uint64_t *count, char **cause);

/* A whole database to path (NULL or "-": stdout) in one read transaction. */
int	 export_db(struct store *, const char *dbname, enum export_format,
	    const char *path, uint64_t *count, char **cause);

#endif
