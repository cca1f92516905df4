/*
 * Attached PostgreSQL databases (README, "Attached PostgreSQL
 * databases"): a profile database whose profiles live in a PostgreSQL
 * table.  The store keeps its schema (the fields read from the table's
 * columns), the source record (the schema's `source`: conninfo, table,
 * key, order, timeout, events table, PostgreSQL types) and the keys met
 * by runs, each with a profile number, so members, deltas, history and
 * hooks work as for a stored database.  Recalculations and "why" run
 * the conditions inside PostgreSQL (sqlgen.h, pgsrc.h).
 */
#ifndef RESEG_ATTACH_H
#define RESEG_ATTACH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "eval.h"
#include "pdb.h"
#include "sqlgen.h"
#include "store.h"
#include "util.h"

struct attach_opts {
	const char	*conninfo;
	const char	*table;		/* [schema.]table */
	const char	*key;		/* text-like column */
	const char	*order;		/* NULL: the key */
	int		 timeout;	/* seconds; -1: the default */
	const char	*events_table;	/* NULL: no events */
	const char	*events_key;
	const char	*events_name;
	const char	*events_time;
};

/* Connects, reads the columns and stores the database. */
int	 attach_create(struct store *, const char *name,
	    const struct attach_opts *, char **cause);
/*
 * Reads the columns again; sb gets a line per field added or removed.
 * Refused, changing nothing, when a segment's conditions no longer
 * check against the new fields.
 */
int	 attach_refresh(struct store *, const char *name, struct strbuf *,
	    char **cause);

/* Reading an attached database's source record. */
int	 attach_is(const struct pdb_schema *);
/* "conninfo", "table", "key", "order", "events_table", ...; NULL if unset. */
const char *attach_get(const struct pdb_schema *, const char *what);
int	 attach_timeout(const struct pdb_schema *);
/* The PostgreSQL type of field i (event: of event field i). */
const char *attach_pg_type(const struct pdb_schema *, int event, size_t i);
/*
 * The refusal of an operation that needs the profiles' values in the
 * store (import, export, profile edits): -1 with *cause for an attached
 * database, else 0.
 */
int	 attach_refuse(const struct pdb_schema *, const char *what,
	    char **cause);

/*
 * The keys a run met that had no profile number yet, in the order met:
 * they get provisional numbers base, base + 1, ... in the members, which
 * attach_commit replaces by real ones.
 */
struct attach_new {
	struct pdb_batch *batch;
	char		**keys;
	size_t		 n;
	uint32_t	 base;
};
void	 attach_new_free(struct attach_new *);

/*
 * Runs a segment's query on the server (inside the caller's read
 * transaction, for the key numbers): out gets the members, range and
 * limit applied; new keys go to nk.
 */
int	 attach_scan(struct store_txn *, const struct pdb_schema *,
	    const struct eval_query *, const struct sql_env *,
	    atomic_int *cancel, roaring_bitmap_t *out, struct attach_new *nk,
	    char **cause);
/* In the run's write transaction: numbers for nk's keys in members. */
int	 attach_commit(struct store_txn *, const char *db,
	    struct attach_new *nk, roaring_bitmap_t *members, char **cause);
/* The statement attach_scan would run (reseg segment sql). */
int	 attach_sql(const struct pdb_schema *, const struct eval_query *,
	    const struct sql_env *, char **text, char **cause);
/*
 * "reseg segment why" on the server: lines per condition (held or not)
 * into sb; *holds says whether the conditions hold, *found whether the
 * key is in the table.
 */
int	 attach_why(const struct pdb_schema *, const struct cond *,
	    const struct sql_env *, const char *key, int *holds, int *found,
	    struct strbuf *, char **cause);

#endif
