/*
 * What sqlgen's files share (not a public API): the compiler's state, the
 * integer intervals every bound becomes, and the helpers that write
 * quoted identifiers, parameters, field values and intervals.  sqlgen.c
 * compiles the tree and its predicates, sqlgen_event.c the event tests.
 */
#ifndef RESEG_SQLGEN_INT_H
#define RESEG_SQLGEN_INT_H

#include <stdint.h>

#include "sqlgen.h"
#include "util.h"

#define SG_NEG		INT64_MIN
#define SG_POS		INT64_MAX
/* As eval_compile.c: dates beyond these are unbounded. */
#define SG_DATE_MIN	(-1000000)
#define SG_DATE_MAX	3000000
/* What PostgreSQL reads as ISO dates: years 0001 to 9999. */
#define SG_PG_MIN_DAYS	(-719162)
#define SG_PG_MIN_SECS	(INT64_C(-719162) * 86400)

/* Domains of integer intervals, by how they are written in SQL. */
enum sg_dom {
	SD_INT,			/* bigint */
	SD_DATE,		/* date: days */
	SD_TIME			/* timestamptz: UTC seconds */
};

struct sg_ivs {
	int64_t		*lo, *hi;
	size_t		 n;
};

struct sg {
	const struct sql_source	*src;
	const struct sql_env	*env;
	struct tz		*tz;
	int64_t			 now;
	int32_t			 today;
	char			**params;
	size_t			 nparams;
	char			**cause;
	/* The event tests: aggregates of the events subquery, by node. */
	struct strbuf		 aggs;
	const struct cond	**evnodes;
	size_t			 nev;
	char			**names;	/* distinct event names */
	size_t			 nnames;
	/* sqlgen_why: each node's expression, in pre-order. */
	char			**nodes;
	size_t			 nnodes;
	int			 record;
};

/* The value of a field: its SQL and type. */
struct sg_col {
	char		*x;
	enum field_type	 ft;
};

static inline int64_t
sg_clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* "name" with inner quotes doubled. */
void	 sg_ident(struct strbuf *, const char *);
/* Binds text (taken over) as the next parameter: "$n::cast". */
void	 sg_param(struct sg *, struct strbuf *, char *text, const char *cast);
/* The column a field reads (events: a property or `time`). */
int	 sg_field(struct sg *, const struct cond *, int events,
	    struct sg_col *);
void	 sg_ivs_add(struct sg_ivs *, int64_t lo, int64_t hi);
void	 sg_ivs_free(struct sg_ivs *);
/* Intervals of x as SQL, never NULL for a non-NULL x. */
void	 sg_ivals(struct sg *, struct strbuf *, const char *x, enum sg_dom,
	    const struct sg_ivs *, int neg);
/* A comparison of doubles. */
void	 sg_float(struct sg *, struct strbuf *, const char *x, enum cond_op,
	    const double *v, size_t nv);
/* A node of the tree (events: of a `where`). */
int	 sg_node(struct sg *, struct strbuf *, const struct cond *,
	    int events);
/* sqlgen_event.c: an event test, and its aggregate in g->aggs. */
int	 sg_event(struct sg *, struct strbuf *, const struct cond *);

#endif
