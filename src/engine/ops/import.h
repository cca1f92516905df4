/*
 * Importing profiles from CSV or JSON Lines: every row is parsed and
 * checked first, then the valid rows are upserted by key in one write
 * transaction (pdb_batch).  Without a reject file any bad row refuses the
 * whole import and the store is left as it was; with one, the bad rows go
 * to the reject file and the rest are imported.
 *
 * Reject file format: JSON Lines, one object per rejected row,
 *   {"line":12,"reason":"age: expected ...","record":"<the row>"}
 * where line is the row's first line in the input, reason lists its
 * errors ("field: message", separated by "; ") and record is the row as
 * read (a CSV row re-quoted as one CSV line, a JSON line as it was).
 */
#ifndef RESEG_IMPORT_H
#define RESEG_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "export.h"
#include "pdb.h"
#include "store.h"

/* Details kept for the first errors; the rest are only counted. */
#define IMPORT_MAX_ERRORS	20

struct import_error {
	uint64_t	 line;		/* 0: not tied to a line */
	char		*field;		/* NULL: the whole row */
	char		*message;
};

typedef void (*import_progress_fn)(void *arg, uint64_t rows, uint64_t bytes);

struct import_opts {
	const char		*dbname;
	enum export_format	 format;
	const char		*source;	/* file name in messages ("-": stdin) */
	FILE			*reject;	/* NULL: all or nothing */
	import_progress_fn	 progress;	/* called every few thousand rows */
	void			*progress_arg;
};

struct import_result {
	uint64_t		 rows;		/* data rows read */
	uint64_t		 rejected;	/* rows with errors */
	struct pdb_upsert_stats	 stats;
	struct import_error	 errors[IMPORT_MAX_ERRORS];
	size_t			 nerrors;	/* details kept */
	uint64_t		 total_errors;	/* all errors */
};

/*
 * Reads in and imports it.  Returns 0 when the rows were applied (with a
 * reject file, some may have been rejected), -1 otherwise: *cause says
 * why, and when rows were bad, result->errors holds the first of them
 * ("FILE:LINE: field: message" by import_error_text).
 */
int	 import_run(struct store *, FILE *in, const struct import_opts *,
	    struct import_result *, char **cause);
/* "FILE:LINE: field: message" (caller frees). */
char	*import_error_text(const char *source, const struct import_error *);
void	 import_result_free(struct import_result *);

/*
 * For the events import, which reads JSON Lines alike.  Where a member's
 * value is in the JSON text of an object, found member by member so that
 * numbers can be read from their digits (a cJSON number is a double);
 * returns the number of members.
 */
struct import_span {
	const char	*p;
	size_t		 len;
};
size_t	 import_json_spans(const char *, size_t, struct import_span *,
	    size_t max);
/* A JSON member as a value of type t (sp: its text, or NULL). */
struct cJSON;
int	 import_json_value(enum field_type t, const struct cJSON *,
	    const struct import_span *sp, struct value *, struct arena *,
	    char **cause);

#endif
