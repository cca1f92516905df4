/*
 * External data queries (README, "External data queries"): adding one
 * after the server has checked its statement, running it, dropping it
 * while no segment uses it, and the values a run of "FIELD in query
 * NAME" tests: the cache when it is younger than the query's minutes,
 * else a fresh fetch that refreshes the cache.  Every fetch happens
 * outside any store transaction (a slow server never holds the store);
 * the cache is then written in a transaction of its own.
 */
#ifndef RESEG_EXTQUERY_H
#define RESEG_EXTQUERY_H

#include <stddef.h>
#include <stdint.h>

#include "cond.h"
#include "extq.h"
#include "store.h"

/*
 * Stores a new query (name, conninfo, sql, cache_minutes, timeout of
 * def) after checking the name, the conninfo (no password) and the
 * statement on the server (it parses, takes no parameters, returns a
 * column), without running it: the cache stays empty until first use.
 */
int	 extquery_add(struct store *, const struct extq *def, char **cause);
/* Runs the query now and refreshes its cache; *out is the new record. */
int	 extquery_run(struct store *, const char *name, struct extq **out,
	    char **cause);
/*
 * Forgets the query.  While segments use it: DROP_IN_USE (drop.h) and
 * "query 'Q' is used by segments: 'A', 'B'; change or delete them first"
 * (those the caller cannot see counted, not named).
 */
int	 extquery_drop(struct store *, const char *name, char **cause);
/*
 * The values of query name for a use at now, as a run sees them (the
 * cache if fresh, else fetched, and the cache refreshed); the caller
 * frees each value and the array.  A failed fetch: -1 with "query 'Q':
 * " and the server's message.  The SQL back end binds these as its
 * text[] parameter of "in query".
 */
int	 extquery_values(struct store *, const char *name, int64_t now,
	    char ***values, size_t *n, char **cause);

/* The values of every query a condition tree uses, fetched for a run. */
struct extquery_set;
int	 extquery_prefetch(struct store *, const struct cond *, int64_t now,
	    struct extquery_set **, char **cause);
/* eval_env's query_values over a set (qarg: the set). */
int	 extquery_set_values(void *set, const char *name,
	    const char *const **values, size_t *n);
void	 extquery_set_free(struct extquery_set *);

#endif
