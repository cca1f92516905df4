/*
 * Events of a profile database (README, "Events: import, list, stats,
 * prune"): importing them from CSV or JSON Lines, listing them newest
 * first, counting them per name, and removing the old ones.  The store
 * side is evdb.h.
 *
 * An event file names the profile (`key`, or the database's key field),
 * the event's name (`event`), its time (`time`, ISO 8601 with Z or an
 * offset), optionally an `event_id`, and declared event properties.
 * Import is streamed in bounded memory (evdb_writer) and all or nothing
 * like a profile import (import.h): without a reject file any bad row
 * refuses the whole import and the store is left as it was; with one,
 * the bad rows go to it, in import.h's reject format, and the rest is
 * imported.  An event whose event_id is stored already, or came earlier
 * in the file, is skipped and counted as a duplicate.
 */
#ifndef RESEG_EVENTS_H
#define RESEG_EVENTS_H

#include <stdint.h>
#include <stdio.h>

#include "evdb.h"
#include "import.h"
#include "store.h"

struct events_import_result {
	uint64_t		 rows;		/* data rows read */
	uint64_t		 imported;	/* events added */
	uint64_t		 duplicates;	/* skipped: event_id known */
	uint64_t		 rejected;	/* rows with errors */
	struct import_error	 errors[IMPORT_MAX_ERRORS];
	size_t			 nerrors;	/* details kept */
	uint64_t		 total_errors;	/* all errors */
};

/*
 * Reads in and imports its events into opts->dbname (the options are
 * a profile import's).  Returns 0 when they were imported, -1 otherwise:
 * *cause says why, and result->errors holds the first bad rows
 * (import_error_text formats them).
 */
int	 events_import(struct store *, FILE *in, const struct import_opts *,
	    struct events_import_result *, char **cause);
void	 events_import_result_free(struct events_import_result *);

/* Which events events_list returns. */
struct events_filter {
	const char	*key;		/* NULL: every profile */
	const char	*name;		/* NULL: every name */
	int64_t		 from;		/* from <= time */
	int64_t		 to;		/* time < to */
	size_t		 limit;		/* 0: all */
};

struct events_item {
	int64_t		 time;
	const char	*key;
	const char	*name;
	const char	*id;		/* NULL: none */
	struct value	*props;		/* schema->nevent_fields values */
};

struct events_list {
	struct pdb_schema	*schema;
	struct events_item	*items;
	size_t			 n;
	struct arena		 arena;
};

/* The matching events, newest first (ties: the later stored first). */
int	 events_list(struct store_txn *, const char *dbname,
	    const struct events_filter *, struct events_list *, char **cause);
void	 events_list_free(struct events_list *);

struct events_stat {
	char		*name;
	uint64_t	 count;
	int64_t		 first, last;
};

/* Per event name (in byte order): count, earliest and latest time. */
int	 events_stats(struct store_txn *, const char *dbname,
	    struct events_stat **, size_t *n, uint64_t *total, char **cause);
void	 events_stats_free(struct events_stat *, size_t);

/*
 * Removes the events older than before, in bounded write transactions
 * (each one leaves the store consistent); *removed counts them.
 */
int	 events_prune(struct store *, const char *dbname, int64_t before,
	    uint64_t *removed, char **cause);

#endif
