/*
 * A PostgreSQL server seen through libpq (README, "Attached PostgreSQL
 * databases"): connecting without a password in the store, reading a
 * table's columns and the field types they map to, and running what
 * sqlgen.h builds in one READ ONLY transaction with a statement timeout,
 * streaming the rows through a cursor.  Every failure carries the
 * server's (or libpq's) own message.
 */
#ifndef RESEG_PGSRC_H
#define RESEG_PGSRC_H

#include <stdatomic.h>
#include <stddef.h>

#include "schema.h"
#include "sqlgen.h"

/* A run's statement timeout when the attachment names none, in seconds. */
#define PGSRC_TIMEOUT_DEFAULT	300

struct pgsrc;

/*
 * Whether conninfo (key=value or a URI) parses and names no password:
 * secrets belong in ~/.pgpass, PGPASSFILE or a service file.  It loads
 * libpq first (pglib.h), so it fails too when libpq cannot be loaded;
 * pgsrc_connect begins with it.
 */
int	 pgsrc_conninfo_check(const char *conninfo, char **cause);
/*
 * The parse behind it: 1 when conninfo names a non-empty password, 0
 * when not, -1 when it does not parse (*err: libpq's message, to free
 * with PQfreemem; NULL when out of memory).  Only after a successful
 * pgsrc_conninfo_check or pglib_load.
 */
int	 pgsrc_conninfo_password(const char *conninfo, char **err);
int	 pgsrc_connect(const char *conninfo, struct pgsrc **, char **cause);
void	 pgsrc_close(struct pgsrc *);

struct pgsrc_column {
	char		*name;
	char		*type;		/* format_type(): "character varying(40)" */
	int		 mapped;	/* offered as a field of type ft */
	enum field_type	 ft;
	int		 textlike;	/* text, varchar, char */
	int		 timelike;	/* timestamptz, timestamp */
};

/*
 * The columns of [schema.]table in their order (each part of the name
 * taken as written, as a quoted identifier).  1 when there is no such
 * table or view.
 */
int	 pgsrc_columns(struct pgsrc *, const char *table,
	    struct pgsrc_column **, size_t *, char **cause);
void	 pgsrc_columns_free(struct pgsrc_column *, size_t);

/*
 * Runs sqlgen_probe_sql(): *ok is 1 when the server's reseg_bucket()
 * gives the buckets reseg computes, 0 when it differs or is missing.
 */
int	 pgsrc_probe(struct pgsrc *, int *ok, char **cause);

/*
 * Runs stmt in a READ ONLY transaction with statement_timeout (seconds;
 * 0: none) and calls fn with the first column of each row (SQL NULL is
 * skipped), in the server's order, a batch of rows at a time.  fn
 * returns non-zero to stop reading.  A non-zero *cancel (may be NULL)
 * cancels the statement on the server within a tenth of a second.
 */
typedef int (*pgsrc_row_fn)(void *arg, const char *value, size_t len);
int	 pgsrc_stream(struct pgsrc *, const struct sql_stmt *, int timeout,
	    atomic_int *cancel, pgsrc_row_fn, void *arg, char **cause);
/*
 * The first row of stmt (READ ONLY, with the timeout): *vals[i] is column
 * i's text or NULL.  Returns 1 when there is no row.
 */
int	 pgsrc_row(struct pgsrc *, const struct sql_stmt *, int timeout,
	    char ***vals, size_t *nvals, char **cause);
void	 pgsrc_row_free(char **, size_t);

#endif
