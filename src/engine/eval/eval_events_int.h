/*
 * What the event tests' files share (not a public API): eval_events.c
 * compiles each test into a node, eval_events_pass.c runs the pass over
 * the event chunks into each node's bits, eval_events_why.c gathers and
 * shows what a test found for the profile explained.
 */
#ifndef RESEG_EVAL_EVENTS_INT_H
#define RESEG_EVAL_EVENTS_INT_H

#include <math.h>

#include "eval_int.h"

#define EV_MIN		INT64_MIN
#define EV_MAX		INT64_MAX
#define EV_WHY_EVENTS	5

/* What a test accumulates per profile. */
enum ev_acc {
	EA_SEEN,		/* did, at least once: a bit */
	EA_C8,			/* a count, saturating at 255 */
	EA_C32,			/* a count */
	EA_ISUM, EA_FSUM,	/* sum of an int / float property */
	EA_IAVG, EA_FAVG,	/* sum and count of values */
	EA_IMIN, EA_FMIN,	/* and the seen bit */
	EA_IMAX, EA_FMAX,
	EA_FIRST, EA_LAST	/* earliest / latest time */
};

/* A matching event of the profile explained. */
struct ev_whyev {
	int64_t		 time;
	uint32_t	 chunk;
	uint32_t	 row;
};

/* What one test found for the profile explained (eval_explain). */
struct ev_why {
	uint64_t	 n;		/* matching events */
	uint64_t	 nval;		/* of them with the property */
	int64_t		 first, last;
	int64_t		 isum, imin, imax;
	double		 fsum, fsumc, fmin, fmax;
	struct ev_whyev	 ev[EV_WHY_EVENTS];	/* newest first */
	size_t		 nev;
	char		*events;	/* their lines, formatted after the pass */
};

struct ev_node {
	const struct cond *c;
	struct eval_node *where;	/* over sub's columns; NULL: all */
	int64_t		 wlo, whi;	/* the window (inclusive) */
	int64_t		 slo, shi;	/* the events the pass reads */
	enum ev_acc	 acc;
	int		 propcol;	/* index into sub.cols; -1 */
	int		 propf;		/* the property is a float */
	struct eval_node cmp;		/* the comparison: iv (or fv) and neg */
	int		 cmpf;		/* compare as doubles (fv) */
	uint8_t		*need;		/* sub.ncols: columns read */
	uint64_t	*bits;		/* the result over profiles */
	struct ev_why	 why;
};

struct eval_events {
	struct eval_prog sub;		/* the events' schema and columns */
	struct ev_node	*v;
	size_t		 n;
	int		 colpno, coltime, colname;
	struct eval_stats stats;
};

/*
 * Float sums are compensated (Neumaier): the result does not depend on
 * how the chunks were split among threads, and is the correctly rounded
 * sum in all but contrived cases.
 */
static inline void
eval_fadd(double *s, double *c, double v)
{
	double t = *s + v;

	*c += fabs(*s) >= fabs(v) ? (*s - t) + v : (v - t) + *s;
	*s = t;
}

/* eval_events_why.c: the profile explained. */
void	 eval_events_why_clear(struct ev_why *);
/* Keeps the rows of m (chunk's views vw) that are why_pno's events. */
void	 eval_events_why_rows(struct ev_node *, const struct eval_events *,
	    uint32_t why_pno, uint32_t chunk, const struct col_chunk *vw,
	    const uint64_t *m, uint32_t nw);
/* The lines of the events kept, once the pass is over. */
int	 eval_events_why_format(struct eval_prog *, struct store_txn *,
	    struct ev_node *, char **cause);

#endif
