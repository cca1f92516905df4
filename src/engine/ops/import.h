/*
 * Importing profiles from CSV or JSON Lines: every row is parsed and
 * checked first, then the valid rows are upserted by key in one write
 * transaction (pdb_batch).  A row changes only the fields it names (an
 * empty cell or null clears one), unless opts->replace.  Without a reject file any bad row refuses the
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
#include "util.h"

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
	/*
	 * Profiles: a field the row does not name (a column absent from
	 * the header, a member absent from the object) is emptied; else
	 * an existing profile keeps its stored value there.
	 */
	int			 replace;
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
 * For the events import, which reads its input alike: one read of the
 * rows, CSV or JSON Lines by opts->format, with the counts and the first
 * errors kept in the caller's result and the bad rows written to the
 * reject file; the hooks do what the rows mean.
 */
struct csv_field;
struct cJSON;
struct jsonscan;
struct jsonscan_member;
/* Where a member's value is in the JSON text of an object. */
struct import_span {
	const char	*p;
	size_t		 len;
};
struct import_reader {
	const struct import_opts *o;
	/* The result's counts and first errors. */
	uint64_t		*rows, *rejected, *total_errors;
	struct import_error	*errors;
	size_t			*nerrors;
	const char		*csv_empty;	/* an empty CSV file's error */
	struct strbuf		 reason;	/* the row's errors */
	struct arena		 arena;		/* the row's values */
	int			 fatal;		/* refuse everything */
	int			 stop;		/* set by a hook: stop */
	uint64_t		 bytes;		/* read so far */
	void			*arg;		/* the hooks' */
	/* A new row: reset what it fills. */
	void	(*start_row)(void *arg);
	/* The header; -1 (after an error) when it is unusable. */
	int	(*csv_header)(void *arg, const struct csv_field *, size_t n);
	/* A row with as many fields as the header. */
	void	(*csv_row)(void *arg, uint64_t line,
		    const struct csv_field *, size_t n);
	/* A JSON line's object and its members' value spans (NULL: none). */
	void	(*json_object)(void *arg, uint64_t line,
		    const struct cJSON *, const struct import_span *spans,
		    size_t nspans);
	/*
	 * Optional, the fast path: a JSON line that is a flat object, as
	 * the scanner read it (jsonscan.h).  Returns 0 when it filled the
	 * row exactly as json_object would, without an error; -1 (having
	 * recorded nothing) hands the line to json_object, after start_row,
	 * to say what is wrong with it.
	 */
	int	(*json_members)(void *arg, uint64_t line, const char *text,
		    size_t len, const struct jsonscan *);
	struct jsonscan		*js;		/* the fast path's scanner */
	/* The row read: 0 when it is taken, -1 to reject it. */
	int	(*finish_row)(void *arg, uint64_t line);
};

/* The counting part of a reader for res, any result with those fields. */
#define IMPORT_READER_INIT(opts, res) {				\
	.o = (opts), .rows = &(res)->rows,				\
	.rejected = &(res)->rejected,					\
	.total_errors = &(res)->total_errors,				\
	.errors = (res)->errors, .nerrors = &(res)->nerrors }

/* Reads in through the hooks; -1 when the input is unusable. */
int	 import_read(struct import_reader *, FILE *in);
void	 import_reader_free(struct import_reader *);
/* Records one error of the current row (line 0: of the whole input). */
void	 import_row_error(struct import_reader *, uint64_t line,
	    const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* Whether the reject file was written; -1 and *cause when it was not. */
int	 import_reject_flush(const struct import_opts *, char **cause);
void	 import_errors_free(struct import_error *, size_t *n);
/* A JSON member as a value of type t (sp: its text, or NULL). */
int	 import_json_value(enum field_type t, const struct cJSON *,
	    const struct import_span *sp, struct value *, struct arena *,
	    char **cause);
/*
 * A scanned member as a value of type t: 0 with the value import_json_value
 * gives the same member, or -1 (nothing to free) when it would fail or
 * the member is not of the common kinds; json_object must read it then.
 */
int	 import_member_value(enum field_type t, const struct jsonscan *,
	    const struct jsonscan_member *, struct value *, struct arena *);

#endif
