/*
 * Running external data queries on PostgreSQL through libpq (README,
 * "External data queries").  Every statement runs in a READ ONLY
 * transaction with a statement timeout, DateStyle ISO and UTF-8, so a
 * date comes back as YYYY-MM-DD and a query cannot change the server's
 * data.  Messages carry the server's own words.
 */
#ifndef RESEG_PGQUERY_H
#define RESEG_PGQUERY_H

#include <stddef.h>
#include <stdint.h>

/*
 * Refuses a connection string (key=value or URI) that cannot be parsed
 * or that holds a password: ~/.pgpass, PGPASSFILE or a service file
 * keep secrets, the store never does.
 */
int	 pgq_conninfo_check(const char *conninfo, char **cause);
/*
 * Checks a statement without running it: the server parses and
 * describes it (PREPARE); it must return at least one column and take
 * no parameters.
 */
int	 pgq_describe(const char *conninfo, const char *sql, int64_t timeout,
	    char **cause);
/*
 * Runs the statement and returns the first column of its rows as text
 * (NULLs left out), streamed row by row (single-row mode).
 */
int	 pgq_fetch(const char *conninfo, const char *sql, int64_t timeout,
	    char ***values, size_t *n, char **cause);

#endif
