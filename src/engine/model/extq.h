/*
 * External data queries (README, "External data queries"): a named
 * PostgreSQL statement whose first column gives the set of values that
 * "FIELD in query NAME" tests, with the last values it returned cached
 * in the store.  This module owns the records (table `queries`,
 * doc/storage.md); running them is pgquery.h's, deciding when to run
 * them extquery.h's.
 */
#ifndef RESEG_EXTQ_H
#define RESEG_EXTQ_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A statement's time limit when none is given, in seconds. */
#define EXTQ_DEFAULT_TIMEOUT	60

struct extq {
	char		*name;
	char		*conninfo;	/* libpq conninfo or URI, no password */
	char		*sql;
	int64_t		 cache_minutes;	/* 0: fetch before every use */
	int64_t		 timeout;	/* statement timeout, seconds */
	int64_t		 created_at;
	/* The cache: values as of fetched_at (0: never fetched). */
	int64_t		 fetched_at;
	char		**values;
	size_t		 nvalues;
};

/* A name a query may have: -1 with the reason when it may not. */
int	 extq_check_name(const char *name, char **cause);
/* 0 with *out, or -1 ("there is no query 'Q'"). */
int	 extq_get(struct store_txn *, const char *name, struct extq **out,
	    char **cause);
int	 extq_exists(struct store_txn *, const char *name);
/* Stores q; with is_new, refused when the name is taken. */
int	 extq_put(struct store_txn *, const struct extq *q, int is_new,
	    char **cause);
int	 extq_del(struct store_txn *, const char *name, char **cause);
/* Every query, by name. */
int	 extq_list(struct store_txn *, struct extq ***out, size_t *n,
	    char **cause);
/* Whether the cache may serve a use at now (younger than cache_minutes). */
int	 extq_fresh(const struct extq *, int64_t now);
/* Replaces the cached values (taking values) as of at. */
void	 extq_set_cache(struct extq *, char **values, size_t n, int64_t at);
void	 extq_free(struct extq *);
void	 extq_list_free(struct extq **, size_t);

#endif
