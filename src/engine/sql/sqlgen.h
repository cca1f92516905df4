/*
 * The condition tree compiled to one PostgreSQL statement (doc/sql.md): the
 * SQL back end of cond.h, beside eval.h's LMDB one.  It knows nothing of
 * connections; pgsrc.h runs what it builds.  Values are bound parameters
 * ($1, $2, ... in their text form), never pasted into the SQL text, and
 * every identifier is quoted, so a field value or a column name cannot
 * change the statement.
 */
#ifndef RESEG_SQLGEN_H
#define RESEG_SQLGEN_H

#include <stddef.h>
#include <stdint.h>

#include "cond.h"
#include "eval.h"
#include "schema.h"

/* Where an attached database's profiles and events live. */
struct sql_source {
	const char	*table;		/* [schema.]table, as the user gave it */
	const char	*key_column;	/* text-like, unique */
	const char	*order_column;	/* the limit's order; NULL: the key */
	/* The fields offered: columns[i] is the column of schema->fields[i]. */
	const struct pdb_schema *schema;
	const char *const *columns;
	/* The events table; NULL when the database has none. */
	const char	*events_table;
	const char	*events_key;	/* the profile key of each event */
	const char	*events_name;	/* the event's name (text) */
	const char	*events_time;	/* timestamptz or timestamp (UTC) */
	/* event_columns[i] is the column of schema->event_fields[i]. */
	const char *const *event_columns;
	/*
	 * Datetime columns of type timestamp (without time zone), which
	 * are read as UTC: naive[i] non-zero for columns[i], event_naive[i]
	 * for event_columns[i], events_time_naive for events_time.  NULL
	 * and 0 mean timestamptz.
	 */
	const unsigned char *naive;
	const unsigned char *event_naive;
	int		 events_time_naive;
};

struct sql_env {
	int64_t		 now;		/* the run's start (UTC seconds) */
	const char	*tz;		/* IANA zone for dates; NULL = UTC */
	/*
	 * The keys of the current members of a segment used by "in segment"
	 * (the caller owns them; they must outlive the statement).  Returns
	 * -1 with *cause set when there is no such segment.
	 */
	int		(*segment_keys)(void *arg, const char *name,
			    const char *const **keys, size_t *nkeys, char **cause);
	void		*arg;
	/*
	 * The values of the external query used by "in query" (as eval_env's
	 * query_values: the first column of its rows, as text, fetched before
	 * the statement is built).  Returns -1 when there are none for the
	 * name.
	 */
	int		(*query_values)(void *qarg, const char *name,
			    const char *const **values, size_t *n);
	void		*qarg;
	/*
	 * Non-zero when the server's reseg_bucket(text) passed the
	 * conformance probe (sqlgen_probe_*): the statement then applies the
	 * range, and the limit with it, itself.
	 */
	int		 bucket_in_sql;
};

/*
 * The statement of a recalculation.  It returns one column, the key as
 * text, one row per member candidate.  When range_in_sql is 0 the caller
 * keeps the rows whose bucket_of_key() is in the range and stops after the
 * limit; rows come in limit order (order column, then key) whenever the
 * query has a limit, so the caller may stop reading early.
 */
struct sql_stmt {
	char		*text;
	char		**params;	/* text form of $1.., NULL for SQL NULL */
	size_t		 nparams;
	int		 range_in_sql;
};

int	 sqlgen_segment(const struct sql_source *, const struct eval_query *,
	    const struct sql_env *, struct sql_stmt *, char **cause);
/*
 * For "reseg segment why" on an attached database: a statement over the
 * row of one key ($1) returning one boolean column per node of the tree
 * in cond walk order (pre-order), so the caller can say which conditions
 * held.  No row: the key is not in the table.  params[0] is left NULL for
 * the caller to set to the key; the nodes of an event test's `where`
 * belong to their test and have no column of their own.
 */
int	 sqlgen_why(const struct sql_source *, const struct cond *,
	    const struct sql_env *, struct sql_stmt *, char **cause);
/* The statement as "reseg segment sql" prints it: text, then parameters. */
char	*sqlgen_format(const struct sql_stmt *);
void	 sqlgen_stmt_free(struct sql_stmt *);

/*
 * The bucket of section "Range and limit" as a SQL function
 * reseg_bucket(text) returns integer (pure SQL, IMMUTABLE PARALLEL SAFE),
 * for an operator to install (Citus: then create_distributed_function),
 * and the probe: a statement returning reseg_bucket() of fixed keys
 * whose buckets reseg knows; sqlgen_probe_ok() compares the rows.
 */
const char *sqlgen_bucket_function(void);
const char *sqlgen_probe_sql(void);
int	 sqlgen_probe_ok(const char *const *rows, size_t nrows);

#endif
