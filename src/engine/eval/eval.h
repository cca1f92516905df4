/*
 * Evaluation of a condition tree over the LMDB columns (one back end of
 * cond.h).  A tree is compiled once per run against a schema; the
 * compiled program evaluates whole chunks into bitsets, reads only the
 * columns its predicates use, resolves string predicates once per chunk
 * dictionary, allocates nothing per profile, and splits the chunks over
 * several threads.
 */
#ifndef RESEG_EVAL_H
#define RESEG_EVAL_H

#include <stdatomic.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "cond.h"
#include "pdb.h"
#include "store.h"

struct eval_env {
	int64_t		 now;		/* the run's start (UTC seconds) */
	const char	*tz;		/* IANA zone for dates; NULL = UTC */
	/*
	 * Current members of a segment used by "in segment" (not owned;
	 * must outlive the run).  Returns NULL when there is no such segment.
	 */
	const roaring_bitmap_t *(*segment_members)(void *arg, const char *name);
	void		*arg;
	/*
	 * The values of the external query used by "in query" (the first
	 * column of its rows, as text; not owned, must outlive the run).
	 * Returns -1 when the caller has none for that name.  NULL: no
	 * query is available.
	 */
	int		(*query_values)(void *qarg, const char *name,
			    const char *const **values, size_t *n);
	void		*qarg;
};

/* What a segment keeps after its conditions (reseg(1), RANGE AND LIMIT). */
struct eval_query {
	const struct cond *cond;	/* NULL: every profile */
	uint16_t	 range_lo;	/* keep lo <= bucket < hi; 0..10000 */
	uint16_t	 range_hi;
	int64_t		 limit;		/* -1: no limit */
};

struct eval_progress {
	/* Called from the scanning threads; must be thread-safe and cheap. */
	void		(*fn)(void *arg, uint64_t scanned, uint64_t total);
	void		*arg;
	atomic_int	*cancel;	/* set non-zero to stop the scan */
};

struct eval_prog;

int	 eval_compile(const struct pdb_schema *, const struct eval_query *,
	    const struct eval_env *, struct eval_prog **, char **cause);
/*
 * Runs the program inside a read transaction; out receives the members
 * (profile numbers).  nthreads 0 means "as many as there are cores".
 */
int	 eval_run(struct eval_prog *, struct store_txn *, int nthreads,
	    const struct eval_progress *, roaring_bitmap_t *out, char **cause);
/*
 * eval_run for n programs compiled against one database's schema, in
 * one pass over the chunks of the columns they read: each chunk is
 * evaluated by every program while it is in the cache (many segments due
 * together).  outs[j] receives program j's members.  A damaged chunk or
 * a cancel fails them all.
 */
int	 eval_run_many(struct eval_prog **, size_t n, struct store_txn *,
	    int nthreads, const struct eval_progress *, roaring_bitmap_t **outs,
	    char **cause);
void	 eval_free(struct eval_prog *);

/*
 * What the last eval_run read of the event store (event conditions,
 * doc/storage.md "Events"): chunks in the database and chunks read, and
 * the bytes of the columns the conditions use, over all chunks and over
 * the chunks read.  All 0 when the conditions test no events.  And of
 * the profile columns: the column chunks the scan took, and the bytes of
 * column data its tests read (presence bits, values or codes, a string
 * chunk's dictionary, and the result bits): a column tested twice counts
 * twice, a chunk an "and" already found empty is not read further.
 */
struct eval_stats {
	uint64_t	 event_chunks;
	uint64_t	 event_chunks_read;
	uint64_t	 event_bytes;
	uint64_t	 event_bytes_read;
	uint64_t	 chunks_read;
	uint64_t	 bytes_read;
};
void	 eval_stats(const struct eval_prog *, struct eval_stats *);

/*
 * The bounds every back end must agree on to the day (sqlgen.c uses them
 * too): a comparison (=, <, between, in, ...) of double constants as
 * inclusive intervals of integers passed to add (INT64_MIN / INT64_MAX:
 * unbounded), *neg set for !=, not in; -1 when op is not a comparison.
 * And an interval [a, b] of age(), days_since() or days_until() at local
 * date today as the interval of dates *lo..*hi that give it.
 */
int	 eval_cmp_ivals(enum cond_op, const double *v, size_t nv,
	    void (*add)(void *, int64_t, int64_t), void *arg, int *neg);
void	 eval_func_to_dates(enum cond_func, int32_t today, int64_t a,
	    int64_t b, int64_t *lo, int64_t *hi);

/*
 * The instants an event test keeps, as the interval [*lo, *hi] of UTC
 * seconds (INT64_MIN / INT64_MAX: open) at now in zone tz: its window,
 * and for first/last its time test.  -1 when the test is malformed.
 * The SQL compiler binds the same bounds the store's evaluator uses.
 */
struct tz;
int	 eval_event_window(const struct cond *, int64_t now, const struct tz *,
	    int64_t *lo, int64_t *hi);
int	 eval_event_time(const struct cond *, int64_t now, const struct tz *,
	    int64_t *lo, int64_t *hi);

/*
 * Explains one profile ("reseg segment why"): appends lines saying
 * which condition, the range or the limit decided, with the values of the
 * fields involved.  *in is set to 1 when the profile is a member.
 */
int	 eval_explain(struct eval_prog *, struct store_txn *, uint32_t pno,
	    int *in, struct strbuf *, char **cause);

#endif
