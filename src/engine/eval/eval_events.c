/*
 * Event tests (doc/conditions.md, "Events"): did, count
 * of, first, last, sum/avg/min/max.  Each test of a segment's tree is
 * compiled once: its name, its window as UTC instants (local dates through
 * the segment's timezone), its `where` as a sub-program of the ordinary
 * predicate kernels over the events' columns (evdb_schema), and its
 * comparison as intervals.  Before the profile scan, one pass over the
 * event chunks whose [tmin, tmax] meets some test's window updates every
 * test's per-profile accumulators; then each test's comparison turns
 * them into a bitset over profiles, which the scan reads like `in
 * segment` (EK_EVENT), and the accumulators are freed.
 *
 * Memory per profile and test: did (at least once) one bit; counts one
 * byte when every bound of the comparison is below 255 (the counter
 * saturates there), else four; sum of ints, min, max, first and last
 * eight (min and max one bit more); sum of floats sixteen (a compensated
 * sum); avg twelve (ints) or twenty (floats).  Each further thread
 * keeps accumulators of its own (merged at the end) only while they stay
 * under EV_THREAD_BYTES; otherwise the pass runs in fewer threads.  The
 * caller's thread takes the chunks' column views (the read transaction
 * is its own) while the others already work on the chunks taken.
 *
 * Bytes read (eval_stats) count the per-row arrays of the columns: the
 * presence bits and the values or dictionary codes; the dictionaries,
 * small and per chunk, are left out of both totals.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval_int.h"
#include "evdb.h"
#include "i18n.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

#define EV_MIN		INT64_MIN
#define EV_MAX		INT64_MAX
#define EV_THREAD_BYTES	((size_t)32 << 20)
#define EV_WHY_EVENTS	5
/* Dates beyond these are unbounded (as eval_compile.c's). */
#define EV_DATE_MIN	(-1000000)
#define EV_DATE_MAX	3000000

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

/* One thread's accumulators of one test. */
struct ev_accs {
	uint64_t	*seen;
	uint8_t		*c8;
	uint32_t	*c32;
	int64_t		*i;
	double		*f;
	double		*fc;	/* float sums: the compensation */
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

/* One pass, shared by its threads. */
struct ev_pass {
	struct eval_prog	*p;
	struct eval_events	*ev;
	const struct evdb_chunk_info *rd;	/* the chunks read */
	size_t			 nrd;
	struct col_chunk	*views;		/* nrd x sub.ncols */
	uint8_t			*loaded;	/* nrd x sub.ncols */
	size_t			 np;		/* profiles, rounded to 64 */
	uint32_t		 why_pno;
	const struct eval_progress *progress;
	atomic_size_t		 next;
	atomic_size_t		 ready;		/* chunks whose views are taken */
	atomic_int		 stop;
};

/* One thread's state. */
struct ev_thread {
	struct ev_pass		*s;
	struct ev_accs		*a;		/* one per test */
	struct eval_worker	 w;
	uint64_t		 m[EVAL_WORDS];
	uint64_t		 t[EVAL_WORDS];
	pthread_t		 tid;
};

/* The first instant of local date d. */
static int64_t
ev_day(const struct eval_prog *p, int64_t d)
{
	if (d < EV_DATE_MIN)
		return EV_MIN;
	if (d >= EV_DATE_MAX)
		return EV_MAX;
	return tz_local_to_utc(p->tz, (int32_t)d, 0);
}

static int64_t
ev_ago(const struct eval_prog *p, int64_t n, int64_t unit)
{
	return p->now - eval_clamp(n, -EV_DATE_MAX, EV_DATE_MAX) * unit;
}

/* A date value of a time test or a window (a datetime: its local date). */
static int
ev_date(const struct eval_prog *p, const struct cond_value *v, int64_t *d)
{
	if (v->kind == CV_DATE)
		*d = v->date;
	else if (v->kind == CV_DATETIME)
		*d = tz_local_date(p->tz, v->i);
	else
		return -1;
	return 0;
}

static void
ev_add_ival(void *arg, int64_t lo, int64_t hi)
{
	struct eval_node *n = arg;

	if (lo > hi)
		return;
	n->iv = xreallocarray(n->iv, n->niv + 1, sizeof *n->iv);
	n->iv[n->niv].lo = lo;
	n->iv[n->niv].hi = hi;
	n->niv++;
}

/* Refuses a `where` that tests anything but `time` and properties. */
static int
ev_where_check(const struct pdb_schema *db, const struct cond *c,
    char **cause)
{
	size_t i;

	switch (c->kind) {
	case CK_PRED:
		if (strcmp(c->field, "time") != 0 &&
		    schema_event_field_index(db, c->field) < 0)
			return eval_cerr(c, cause, _("unknown event property "
			    "'%s'"), c->field);
		return 0;
	case CK_IN_SEGMENT:
		return eval_cerr(c, cause, "%s", _("'in segment' cannot be "
		    "used inside 'where': it tests the profile, not one "
		    "event"));
	case CK_EVENT:
		return eval_cerr(c, cause, _("'%s' cannot be used inside "
		    "'where': it tests the profile's events, 'where' tests "
		    "one event"), cond_evtest_name(c->evtest));
	default:
		for (i = 0; i < c->nkids; i++) {
			if (ev_where_check(db, c->kids[i], cause) != 0)
				return -1;
		}
		return 0;
	}
}

static int
ev_window(const struct eval_prog *p, struct ev_node *e, char **cause)
{
	const struct cond_window *w = &e->c->window;

	e->wlo = EV_MIN;
	e->whi = EV_MAX;
	switch (w->kind) {
	case CW_NONE:
		break;
	case CW_LAST_DAYS:
	case CW_LAST_HOURS:
		e->wlo = ev_ago(p, w->n, w->kind == CW_LAST_DAYS ? 86400 :
		    3600);
		e->whi = p->now;
		break;
	case CW_BETWEEN:
		e->wlo = ev_day(p, w->from);
		e->whi = ev_day(p, (int64_t)w->to + 1);
		if (e->whi != EV_MAX)
			e->whi--;
		break;
	case CW_SINCE:
		e->wlo = ev_day(p, w->from);
		break;
	case CW_BEFORE:
		e->whi = ev_day(p, w->to);
		if (e->whi != EV_MIN)
			e->whi--;
		break;
	default:
		return eval_cerr(e->c, cause, _("The condition tree is "
		    "malformed."));
	}
	if (w->kind != CW_NONE &&
	    (e->c->evtest == CE_FIRST || e->c->evtest == CE_LAST))
		return eval_cerr(e->c, cause, _("'%s' takes a time test, not a "
		    "window"), cond_evtest_name(e->c->evtest));
	return 0;
}

/* first/last: the time test as one interval of instants. */
static int
ev_time_test(const struct eval_prog *p, struct ev_node *e, char **cause)
{
	const struct cond *c = e->c;
	int64_t lo = EV_MIN, hi = EV_MAX, d, d2;

	if (c->nvalues < (c->op == CO_BETWEEN ? 2u : 1u))
		goto bad;
	switch (c->op) {
	case CO_WITHIN_LAST_DAYS:
	case CO_WITHIN_LAST_HOURS:
	case CO_MORE_THAN_DAYS_AGO:
	case CO_MORE_THAN_HOURS_AGO:
		if (c->values[0].kind != CV_INT)
			goto bad;
		d = ev_ago(p, c->values[0].i, c->op == CO_WITHIN_LAST_DAYS ||
		    c->op == CO_MORE_THAN_DAYS_AGO ? 86400 : 3600);
		if (c->op == CO_WITHIN_LAST_DAYS ||
		    c->op == CO_WITHIN_LAST_HOURS) {
			lo = d;
			hi = p->now;
		} else
			hi = d - 1;
		break;
	case CO_BEFORE:
	case CO_AFTER:
	case CO_ON:
		if (ev_date(p, &c->values[0], &d) != 0)
			goto bad;
		if (c->op == CO_BEFORE)
			hi = ev_day(p, d) - 1;
		else if (c->op == CO_AFTER)
			lo = ev_day(p, d + 1);
		else {
			lo = ev_day(p, d);
			hi = ev_day(p, d + 1) - 1;
		}
		break;
	case CO_BETWEEN:
		if (ev_date(p, &c->values[0], &d) != 0 ||
		    ev_date(p, &c->values[1], &d2) != 0)
			goto bad;
		lo = ev_day(p, d);
		hi = ev_day(p, d2 + 1) - 1;
		break;
	default:
		goto bad;
	}
	/* The extremes stand for "no event". */
	lo = eval_clamp(lo, EV_MIN + 1, EV_MAX - 1);
	hi = eval_clamp(hi, EV_MIN + 1, EV_MAX - 1);
	ev_add_ival(&e->cmp, lo, hi);
	/*
	 * The earliest event lies in [lo, hi] when one does and none is
	 * earlier than lo: events after hi cannot change that, so the pass
	 * reads only up to hi (the latest, symmetrically, from lo on).
	 */
	if (c->evtest == CE_FIRST)
		e->shi = hi;
	else
		e->slo = lo;
	return 0;
bad:
	return eval_cerr(c, cause, _("'%s' needs a time test: within last, "
	    "more than ... ago, before, after, on or between"),
	    cond_evtest_name(c->evtest));
}

/* Counts and aggregates: intervals of the value compared. */
static int
ev_compare(struct ev_node *e, char **cause)
{
	const struct cond *c = e->c;
	enum cond_op op = c->op;
	double v[2];
	size_t i, need = op == CO_BETWEEN ? 2 : 1;

	if (c->evtest == CE_DID && c->nvalues == 0) {
		e->acc = EA_SEEN;
		return 0;
	}
	if (!(op == CO_EQ || op == CO_NE || op == CO_LT || op == CO_LE ||
	    op == CO_GT || op == CO_GE || op == CO_BETWEEN) ||
	    (c->evtest == CE_DID && (op == CO_NE || op == CO_LT ||
	    op == CO_GT)) || c->nvalues != need)
		return eval_cerr(c, cause, _("'%s' is compared with =, !=, <, "
		    "<=, >, >= or between"), cond_evtest_name(c->evtest));
	for (i = 0; i < need; i++) {
		if (c->values[i].kind == CV_INT)
			v[i] = (double)c->values[i].i;
		else if (c->values[i].kind == CV_FLOAT &&
		    c->evtest != CE_DID && c->evtest != CE_COUNT) {
			v[i] = c->values[i].f;
		} else
			return eval_cerr(c, cause, need == 2 ?
			    _("'between' takes two numbers") :
			    _("'%s' takes one number"), cond_op_name(op));
	}
	e->cmpf = c->evtest == CE_AVG ||
	    ((c->evtest == CE_SUM || c->evtest == CE_MIN ||
	    c->evtest == CE_MAX) && e->propf);
	if (e->cmpf) {
		eval_add_float_cmp(&e->cmp, op, v, need);
		return 0;
	}
	eval_cmp_ivals(op, v, need, ev_add_ival, &e->cmp, &e->cmp.neg);
	if (c->evtest == CE_DID || c->evtest == CE_COUNT) {
		/* Bytes suffice when every bound lies below the saturation. */
		e->acc = EA_C8;
		for (i = 0; i < e->cmp.niv; i++) {
			if ((e->cmp.iv[i].lo != EV_MIN &&
			    e->cmp.iv[i].lo > 254) ||
			    (e->cmp.iv[i].hi != EV_MAX &&
			    e->cmp.iv[i].hi > 254))
				e->acc = EA_C32;
		}
	}
	return 0;
}

int
eval_events_compile(struct eval_prog *p, const struct eval_env *env,
    struct eval_node *n, char **cause)
{
	const struct cond *c = n->c;
	struct eval_events *ev;
	struct ev_node *e;
	int fi;

	if (p->ev == NULL) {
		ev = p->ev = xcalloc(1, sizeof *ev);
		ev->sub.schema = evdb_schema(p->schema);
		ev->sub.tz = p->tz;
		ev->sub.now = p->now;
		ev->sub.today = p->today;
		ev->sub.range_hi = 10000;
		ev->sub.limit = -1;
		ev->sub.bucket_col = -1;
		ev->colpno = eval_use_column(&ev->sub, EVDB_COL_PNO);
		ev->coltime = eval_use_column(&ev->sub, EVDB_COL_TIME);
		ev->colname = eval_use_column(&ev->sub, EVDB_COL_NAME);
	}
	ev = p->ev;
	if (c->event == NULL || *c->event == '\0')
		return eval_cerr(c, cause, "%s", _("an event test needs an "
		    "event name"));
	ev->v = xreallocarray(ev->v, ev->n + 1, sizeof *ev->v);
	e = &ev->v[ev->n];
	memset(e, 0, sizeof *e);
	n->evidx = ev->n++;
	e->c = c;
	e->propcol = -1;
	e->cmp.c = c;
	switch (c->evtest) {
	case CE_SUM:
	case CE_AVG:
	case CE_MIN:
	case CE_MAX:
		fi = c->field != NULL ? schema_event_field_index(p->schema,
		    c->field) : -1;
		if (fi < 0)
			return eval_cerr(c, cause, _("unknown event property "
			    "'%s'"), c->field != NULL ? c->field : "");
		if (p->schema->event_fields[fi].type != FT_INT &&
		    p->schema->event_fields[fi].type != FT_FLOAT)
			return eval_cerr(c, cause, _("%s() takes an int or "
			    "float property, but '%s' is of type %s"),
			    cond_evtest_name(c->evtest), c->field,
			    field_type_name(p->schema->event_fields[fi].type));
		e->propf = p->schema->event_fields[fi].type == FT_FLOAT;
		e->propcol = eval_use_column(&ev->sub,
		    (uint16_t)(EVDB_COL_PROP + fi));
		break;
	case CE_DID:
	case CE_COUNT:
	case CE_FIRST:
	case CE_LAST:
		break;
	default:
		return eval_cerr(c, cause, _("The condition tree is "
		    "malformed."));
	}
	if (ev_window(p, e, cause) != 0)
		return -1;
	e->slo = e->wlo;
	e->shi = e->whi;
	switch (c->evtest) {
	case CE_FIRST:
	case CE_LAST:
		e->acc = c->evtest == CE_FIRST ? EA_FIRST : EA_LAST;
		if (ev_time_test(p, e, cause) != 0)
			return -1;
		break;
	case CE_SUM:
		e->acc = e->propf ? EA_FSUM : EA_ISUM;
		break;
	case CE_AVG:
		e->acc = e->propf ? EA_FAVG : EA_IAVG;
		break;
	case CE_MIN:
		e->acc = e->propf ? EA_FMIN : EA_IMIN;
		break;
	case CE_MAX:
		e->acc = e->propf ? EA_FMAX : EA_IMAX;
		break;
	default:
		e->acc = EA_C32;
		break;
	}
	if (c->evtest != CE_FIRST && c->evtest != CE_LAST &&
	    ev_compare(e, cause) != 0)
		return -1;
	if (c->where != NULL) {
		if (ev_where_check(p->schema, c->where, cause) != 0)
			return -1;
		e->where = eval_compile_node(&ev->sub, env, c->where, 0, cause);
		if (e->where == NULL)
			return -1;
	}
	return 0;
}

static void
ev_why_clear(struct ev_why *y)
{
	free(y->events);
	memset(y, 0, sizeof *y);
	y->first = EV_MAX;
	y->last = EV_MIN;
	y->imin = EV_MAX;
	y->imax = EV_MIN;
	y->fmin = INFINITY;
	y->fmax = -INFINITY;
}

void
eval_events_free(struct eval_events *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->n; i++) {
		eval_node_free(ev->v[i].where);
		free(ev->v[i].cmp.iv);
		free(ev->v[i].cmp.fv);
		free(ev->v[i].need);
		free(ev->v[i].bits);
		free(ev->v[i].why.events);
	}
	free(ev->v);
	schema_free(ev->sub.schema);
	free(ev->sub.cols);
	free(ev);
}

const uint64_t *
eval_events_bits(const struct eval_prog *p, size_t i, uint32_t chunk)
{
	return p->ev->v[i].bits + (size_t)chunk * EVAL_WORDS;
}

/* Bytes of one column of a chunk that a scan reads (no dictionaries). */
static uint64_t
ev_col_bytes(enum field_type ft, uint32_t nrows)
{
	uint64_t w;

	switch (ft) {
	case FT_DATE:
		w = 4;
		break;
	case FT_BOOL:
		w = 1;
		break;
	case FT_STRING:
	case FT_TAGS:
		w = 4;
		break;
	default:
		w = 8;
		break;
	}
	return (uint64_t)(nrows + 63) / 64 * 8 + (uint64_t)nrows * w;
}

/* The columns a where tree reads, into need. */
static void
ev_where_cols(const struct eval_node *n, uint8_t *need)
{
	size_t i;

	if (n == NULL)
		return;
	if (n->kind == CK_PRED)
		need[n->col] = 1;
	for (i = 0; i < n->nkids; i++)
		ev_where_cols(n->kids[i], need);
}

static size_t
ev_acc_bytes(enum ev_acc k, size_t np)
{
	switch (k) {
	case EA_SEEN:
		return np / 8;
	case EA_C8:
		return np;
	case EA_C32:
		return np * 4;
	case EA_IAVG:
		return np * 12;
	case EA_FSUM:
		return np * 16;
	case EA_FAVG:
		return np * 20;
	case EA_IMIN:
	case EA_FMIN:
	case EA_IMAX:
	case EA_FMAX:
		return np * 8 + np / 8;
	default:
		return np * 8;
	}
}

/*
 * Float sums are compensated (Neumaier): the result does not depend on
 * how the chunks were split among threads, and is the correctly rounded
 * sum in all but contrived cases.
 */
static inline void
ev_fadd(double *s, double *c, double v)
{
	double t = *s + v;

	*c += fabs(*s) >= fabs(v) ? (*s - t) + v : (v - t) + *s;
	*s = t;
}

static void
ev_acc_alloc(struct ev_accs *a, enum ev_acc k, size_t np)
{
	size_t i;

	memset(a, 0, sizeof *a);
	switch (k) {
	case EA_SEEN:
		a->seen = xcalloc(np / 64, sizeof *a->seen);
		break;
	case EA_C8:
		a->c8 = xcalloc(np, 1);
		break;
	case EA_C32:
		a->c32 = xcalloc(np, sizeof *a->c32);
		break;
	case EA_ISUM:
		a->i = xcalloc(np, sizeof *a->i);
		break;
	case EA_FSUM:
		a->f = xcalloc(np, sizeof *a->f);
		a->fc = xcalloc(np, sizeof *a->fc);
		break;
	case EA_IAVG:
		a->i = xcalloc(np, sizeof *a->i);
		a->c32 = xcalloc(np, sizeof *a->c32);
		break;
	case EA_FAVG:
		a->f = xcalloc(np, sizeof *a->f);
		a->fc = xcalloc(np, sizeof *a->fc);
		a->c32 = xcalloc(np, sizeof *a->c32);
		break;
	case EA_IMIN:
	case EA_IMAX:
	case EA_FIRST:
	case EA_LAST:
		a->i = xreallocarray(NULL, np, sizeof *a->i);
		for (i = 0; i < np; i++)
			a->i[i] = k == EA_IMIN || k == EA_FIRST ? EV_MAX :
			    EV_MIN;
		if (k == EA_IMIN || k == EA_IMAX)
			a->seen = xcalloc(np / 64, sizeof *a->seen);
		break;
	case EA_FMIN:
	case EA_FMAX:
		a->f = xreallocarray(NULL, np, sizeof *a->f);
		for (i = 0; i < np; i++)
			a->f[i] = k == EA_FMIN ? INFINITY : -INFINITY;
		a->seen = xcalloc(np / 64, sizeof *a->seen);
		break;
	}
}

static void
ev_acc_free(struct ev_accs *a)
{
	free(a->seen);
	free(a->c8);
	free(a->c32);
	free(a->i);
	free(a->f);
	free(a->fc);
	memset(a, 0, sizeof *a);
}

/* Adds b into a (another thread's share of the same test). */
static void
ev_acc_merge(struct ev_accs *a, const struct ev_accs *b, enum ev_acc k,
    size_t np)
{
	size_t i;
	unsigned s;

	if (a->seen != NULL) {
		for (i = 0; i < np / 64; i++)
			a->seen[i] |= b->seen[i];
	}
	if (a->c32 != NULL) {
		for (i = 0; i < np; i++)
			a->c32[i] += b->c32[i];
	}
	switch (k) {
	case EA_C8:
		for (i = 0; i < np; i++) {
			s = (unsigned)a->c8[i] + b->c8[i];
			a->c8[i] = (uint8_t)(s > 255 ? 255 : s);
		}
		break;
	case EA_ISUM:
	case EA_IAVG:
		for (i = 0; i < np; i++)
			a->i[i] += b->i[i];
		break;
	case EA_FSUM:
	case EA_FAVG:
		for (i = 0; i < np; i++) {
			ev_fadd(&a->f[i], &a->fc[i], b->f[i]);
			a->fc[i] += b->fc[i];
		}
		break;
	case EA_IMIN:
	case EA_FIRST:
		for (i = 0; i < np; i++)
			a->i[i] = b->i[i] < a->i[i] ? b->i[i] : a->i[i];
		break;
	case EA_IMAX:
	case EA_LAST:
		for (i = 0; i < np; i++)
			a->i[i] = b->i[i] > a->i[i] ? b->i[i] : a->i[i];
		break;
	case EA_FMIN:
		for (i = 0; i < np; i++)
			a->f[i] = b->f[i] < a->f[i] ? b->f[i] : a->f[i];
		break;
	case EA_FMAX:
		for (i = 0; i < np; i++)
			a->f[i] = b->f[i] > a->f[i] ? b->f[i] : a->f[i];
		break;
	default:
		break;
	}
}

/* Code of the test's name in a chunk's dictionary, or -1. */
static int64_t
ev_name_code(const struct col_chunk *v, const char *name, size_t len)
{
	uint32_t i;

	for (i = 0; i < v->ndict; i++) {
		if (v->dict_off[i + 1] - v->dict_off[i] == len &&
		    memcmp(v->dict_data + v->dict_off[i], name, len) == 0)
			return i;
	}
	return -1;
}

/* The profile explained: its matching events of this chunk. */
static void
ev_why_rows(struct ev_node *e, const struct ev_pass *s, size_t k,
    const struct col_chunk *vw, const uint64_t *m, uint32_t nw)
{
	const struct eval_events *ev = s->ev;
	const int64_t *pno = vw[ev->colpno].i64, *tm = vw[ev->coltime].i64;
	const struct col_chunk *pv = e->propcol >= 0 ? &vw[e->propcol] : NULL;
	struct ev_why *y = &e->why;
	struct ev_whyev x;
	uint32_t w, r;
	uint64_t b;
	size_t j;

	for (w = 0; w < nw; w++) {
		for (b = m[w]; b != 0; b &= b - 1) {
			r = w * 64 + (uint32_t)__builtin_ctzll(b);
			if ((uint64_t)pno[r] != s->why_pno)
				continue;
			y->n++;
			if (tm[r] < y->first)
				y->first = tm[r];
			if (tm[r] > y->last)
				y->last = tm[r];
			if (pv != NULL && col_present(pv, r)) {
				y->nval++;
				if (e->propf) {
					ev_fadd(&y->fsum, &y->fsumc,
					    pv->f64[r]);
					y->fmin = fmin(y->fmin, pv->f64[r]);
					y->fmax = fmax(y->fmax, pv->f64[r]);
				} else {
					y->isum += pv->i64[r];
					if (pv->i64[r] < y->imin)
						y->imin = pv->i64[r];
					if (pv->i64[r] > y->imax)
						y->imax = pv->i64[r];
				}
			}
			/* Keep the newest, later rows winning ties. */
			x.time = tm[r];
			x.chunk = s->rd[k].chunk;
			x.row = r;
			j = y->nev;
			if (j == EV_WHY_EVENTS) {
				if (y->ev[j - 1].time > x.time)
					continue;
				j--;
			} else
				y->nev++;
			while (j > 0 && y->ev[j - 1].time <= x.time) {
				y->ev[j] = y->ev[j - 1];
				j--;
			}
			y->ev[j] = x;
		}
	}
}

/* Rows of m update the test's accumulators. */
static void
ev_update(const struct ev_node *e, struct ev_accs *a, const struct ev_pass *s,
    const struct col_chunk *vw, const uint64_t *m, uint32_t nw)
{
	const int64_t *pno = vw[s->ev->colpno].i64;
	const int64_t *tm = vw[s->ev->coltime].i64;
	const int64_t *iv = NULL;
	const double *fv = NULL;
	size_t np = s->np;
	uint32_t w, r;
	uint64_t b, q;

	if (e->propcol >= 0) {
		iv = vw[e->propcol].i64;
		fv = vw[e->propcol].f64;
	}
#define EACH_ROW(body) do {						\
	for (w = 0; w < nw; w++) {					\
		for (b = m[w]; b != 0; b &= b - 1) {			\
			r = w * 64 + (uint32_t)__builtin_ctzll(b);	\
			q = (uint64_t)pno[r];				\
			if (q >= np)					\
				continue;				\
			body;						\
		}							\
	}								\
} while (0)
	switch (e->acc) {
	case EA_SEEN:
		EACH_ROW(a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_C8:
		EACH_ROW(a->c8[q] += a->c8[q] != 255);
		break;
	case EA_C32:
		EACH_ROW(a->c32[q]++);
		break;
	case EA_ISUM:
		EACH_ROW(a->i[q] += iv[r]);
		break;
	case EA_FSUM:
		EACH_ROW(ev_fadd(&a->f[q], &a->fc[q], fv[r]));
		break;
	case EA_IAVG:
		EACH_ROW(a->i[q] += iv[r]; a->c32[q]++);
		break;
	case EA_FAVG:
		EACH_ROW(ev_fadd(&a->f[q], &a->fc[q], fv[r]); a->c32[q]++);
		break;
	case EA_IMIN:
		EACH_ROW(a->i[q] = iv[r] < a->i[q] ? iv[r] : a->i[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_IMAX:
		EACH_ROW(a->i[q] = iv[r] > a->i[q] ? iv[r] : a->i[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_FMIN:
		EACH_ROW(a->f[q] = fv[r] < a->f[q] ? fv[r] : a->f[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_FMAX:
		EACH_ROW(a->f[q] = fv[r] > a->f[q] ? fv[r] : a->f[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_FIRST:
		EACH_ROW(a->i[q] = tm[r] < a->i[q] ? tm[r] : a->i[q]);
		break;
	case EA_LAST:
		EACH_ROW(a->i[q] = tm[r] > a->i[q] ? tm[r] : a->i[q]);
		break;
	}
#undef EACH_ROW
}

/*
 * 64 bytes of 0 or 1 into the bits of a word: the byte loop comparing
 * 32-bit codes vectorises where building the word bit by bit does not.  Each
 * multiplication gathers 8 bytes into the top byte (no two partial
 * products meet, so nothing carries).
 */
static inline uint64_t
ev_pack(const uint8_t *eq)
{
	uint64_t v, bits = 0;
	int i;

	for (i = 0; i < 8; i++) {
		memcpy(&v, eq + i * 8, 8);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
		v = __builtin_bswap64(v);
#endif
		bits |= ((v * UINT64_C(0x0102040810204080)) >> 56) << (i * 8);
	}
	return bits;
}

/*
 * The events the pass reads for a test: first/last read only what can
 * decide them, but the profile explained sees every matching event.
 */
static inline int64_t
ev_slo(const struct ev_pass *s, const struct ev_node *e)
{
	return s->why_pno != UINT32_MAX ? e->wlo : e->slo;
}

static inline int64_t
ev_shi(const struct ev_pass *s, const struct ev_node *e)
{
	return s->why_pno != UINT32_MAX ? e->whi : e->shi;
}

/* Every test over read chunk k. */
static void
ev_chunk(struct ev_thread *t, size_t k)
{
	struct ev_pass *s = t->s;
	struct eval_events *ev = s->ev;
	const struct evdb_chunk_info *ci = &s->rd[k];
	const struct col_chunk *vw = s->views + k * ev->sub.ncols;
	const struct col_chunk *nm = &vw[ev->colname];
	const int64_t *tm = vw[ev->coltime].i64;
	uint32_t nrows = ci->nrows, nw = (nrows + 63) / 64, w, b, lim, code;
	uint64_t tail = (nrows & 63) == 0 ? ~(uint64_t)0 :
	    ((uint64_t)1 << (nrows & 63)) - 1, any, bits;
	struct ev_node *e;
	int64_t c, slo, shi;
	size_t j;
	/* Local, so the compiler knows it aliases no column. */
	uint8_t eq[64];

	for (j = 0; j < ev->n; j++) {
		e = &ev->v[j];
		slo = ev_slo(s, e);
		shi = ev_shi(s, e);
		if (ci->tmax < slo || ci->tmin > shi)
			continue;
		c = ev_name_code(nm, e->c->event, strlen(e->c->event));
		if (c < 0)
			continue;
		code = (uint32_t)c;
		any = 0;
		for (w = 0; w < nw; w++) {
			const uint32_t *x = nm->codes + (size_t)w * 64;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			if (lim == 64) {
				for (b = 0; b < 64; b++)
					eq[b] = x[b] == code;
				bits = ev_pack(eq);
			} else {
				bits = 0;
				for (b = 0; b < lim; b++)
					bits |= (uint64_t)(x[b] == code) << b;
			}
			t->m[w] = bits & nm->present[w];
			any |= t->m[w];
		}
		if (any == 0)
			continue;
		/* A chunk wholly inside the window needs no time test. */
		if (ci->tmin < slo || ci->tmax > shi) {
			uint64_t lo = (uint64_t)slo;
			uint64_t span = (uint64_t)shi - lo;

			any = 0;
			for (w = 0; w < nw; w++) {
				const int64_t *x = tm + (size_t)w * 64;

				if (t->m[w] == 0)
					continue;
				bits = 0;
				lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
				if (lim == 64) {
					for (b = 0; b < 64; b++)
						bits |= (uint64_t)((uint64_t)
						    x[b] - lo <= span) << b;
				} else {
					for (b = 0; b < lim; b++)
						bits |= (uint64_t)((uint64_t)
						    x[b] - lo <= span) << b;
				}
				t->m[w] &= bits;
				any |= t->m[w];
			}
			if (any == 0)
				continue;
		}
		if (e->where != NULL) {
			t->w.views = vw;
			t->w.nrows = nrows;
			t->w.chunk = ci->chunk;
			eval_node(&t->w, e->where, 0, t->t);
			for (w = 0; w < nw; w++)
				t->m[w] &= t->t[w];
		}
		if (nw > 0)
			t->m[nw - 1] &= tail;
		/* The profile explained: every matching event, valued or not. */
		if (s->why_pno != UINT32_MAX)
			ev_why_rows(e, s, k, vw, t->m, nw);
		/* Aggregates skip events without the property, as SQL does. */
		if (e->propcol >= 0) {
			for (w = 0; w < nw; w++)
				t->m[w] &= vw[e->propcol].present[w];
		}
		ev_update(e, &t->a[j], s, vw, t->m, nw);
	}
}

static int
ev_cancelled(const struct ev_pass *s)
{
	return s->progress != NULL && s->progress->cancel != NULL &&
	    *s->progress->cancel != 0;
}

static void *
ev_thread_main(void *arg)
{
	struct ev_thread *t = arg;
	struct ev_pass *s = t->s;
	size_t k;

	for (;;) {
		if (atomic_load(&s->stop))
			break;
		if (ev_cancelled(s)) {
			atomic_store(&s->stop, 1);
			break;
		}
		k = atomic_fetch_add(&s->next, 1);
		if (k >= s->nrd)
			break;
		/* The caller's thread is still taking this chunk's views. */
		while (atomic_load(&s->ready) <= k) {
			if (atomic_load(&s->stop))
				return NULL;
			sched_yield();
		}
		ev_chunk(t, k);
	}
	return NULL;
}

/* Whether value v lies in the test's intervals (before negation). */
static inline int
ev_in_i(const struct eval_node *c, int64_t v)
{
	size_t k;
	int m = 0;

	for (k = 0; k < c->niv; k++)
		m |= (uint64_t)v - (uint64_t)c->iv[k].lo <=
		    (uint64_t)c->iv[k].hi - (uint64_t)c->iv[k].lo;
	return m;
}

static inline int
ev_in_f(const struct eval_node *c, double v)
{
	size_t k;
	int m = 0;

	for (k = 0; k < c->nfv; k++)
		m |= (v >= c->fv[k].lo) & (v <= c->fv[k].hi);
	return m;
}

/* The test's comparison over the accumulators into e->bits. */
static void
ev_compare_all(struct ev_node *e, const struct ev_accs *a, size_t np,
    uint64_t nprof)
{
	const struct eval_node *c = &e->cmp;
	int neg = c->neg;
	size_t w, q;
	uint64_t bits, has;
	unsigned b;
	int m;

	for (w = 0; w < np / 64; w++) {
		bits = 0;
		if (e->acc == EA_SEEN)
			bits = a->seen[w];
		else {
			for (b = 0; b < 64; b++) {
				q = w * 64 + b;
				switch (e->acc) {
				case EA_C8:
					m = ev_in_i(c, a->c8[q]) ^ neg;
					break;
				case EA_C32:
					m = ev_in_i(c, a->c32[q]) ^ neg;
					break;
				case EA_ISUM:
					m = ev_in_i(c, a->i[q]) ^ neg;
					break;
				case EA_FSUM:
					m = ev_in_f(c, a->f[q] + a->fc[q]) ^
					    neg;
					break;
				case EA_IAVG:
					m = a->c32[q] != 0 && (ev_in_f(c,
					    (double)a->i[q] / a->c32[q]) ^ neg);
					break;
				case EA_FAVG:
					m = a->c32[q] != 0 && (ev_in_f(c,
					    (a->f[q] + a->fc[q]) / a->c32[q]) ^
					    neg);
					break;
				case EA_IMIN:
				case EA_IMAX:
					has = a->seen[w] >> b & 1;
					m = has && (ev_in_i(c, a->i[q]) ^ neg);
					break;
				case EA_FMIN:
				case EA_FMAX:
					has = a->seen[w] >> b & 1;
					m = has && (ev_in_f(c, a->f[q]) ^ neg);
					break;
				default:	/* first, last */
					m = ev_in_i(c, a->i[q]);
					break;
				}
				bits |= (uint64_t)(m != 0) << b;
			}
		}
		if (nprof < (w + 1) * 64)
			bits &= nprof <= w * 64 ? 0 :
			    ((uint64_t)1 << (nprof - w * 64)) - 1;
		e->bits[w] = bits;
	}
}

/* The chunks to read and which of their columns. */
static void
ev_plan(struct ev_pass *s, const struct evdb_chunk_info *all, size_t nall,
    struct evdb_chunk_info **rdp)
{
	struct eval_events *ev = s->ev;
	struct evdb_chunk_info *rd;
	size_t i, j, k, ncols = ev->sub.ncols;
	uint8_t *ld;
	int hit;

	rd = xcalloc(nall > 0 ? nall : 1, sizeof *rd);
	s->loaded = xcalloc(nall > 0 ? nall * ncols : 1, 1);
	s->nrd = 0;
	for (i = 0; i < nall; i++) {
		for (k = 0; k < ncols; k++)
			ev->stats.event_bytes += ev_col_bytes(ev->sub.schema->
			    fields[ev->sub.cols[k]].type, all[i].nrows);
		ld = s->loaded + s->nrd * ncols;
		hit = 0;
		for (j = 0; j < ev->n; j++) {
			if (all[i].tmax < ev_slo(s, &ev->v[j]) ||
			    all[i].tmin > ev_shi(s, &ev->v[j]))
				continue;
			hit = 1;
			for (k = 0; k < ncols; k++)
				ld[k] |= ev->v[j].need[k];
			if (s->why_pno != UINT32_MAX ||
			    all[i].tmin < ev_slo(s, &ev->v[j]) ||
			    all[i].tmax > ev_shi(s, &ev->v[j]))
				ld[ev->coltime] = 1;
		}
		if (!hit)
			continue;
		for (k = 0; k < ncols; k++) {
			if (ld[k])
				ev->stats.event_bytes_read += ev_col_bytes(
				    ev->sub.schema->fields[ev->sub.cols[k]].type,
				    all[i].nrows);
		}
		rd[s->nrd++] = all[i];
	}
	ev->stats.event_chunks = nall;
	ev->stats.event_chunks_read = s->nrd;
	*rdp = rd;
}

/*
 * The views of the planned columns, in the caller's thread (the read
 * transaction is its own); the other threads work on the chunks already
 * taken meanwhile.
 */
static int
ev_load(struct ev_pass *s, struct store_txn *txn, char **cause)
{
	struct eval_events *ev = s->ev;
	size_t k, i, ncols = ev->sub.ncols;
	struct col_chunk *v;

	for (k = 0; k < s->nrd && !atomic_load(&s->stop); k++) {
		for (i = 0; i < ncols; i++) {
			if (!s->loaded[k * ncols + i])
				continue;
			v = &s->views[k * ncols + i];
			if (evdb_column(txn, s->p->schema, ev->sub.cols[i],
			    s->rd[k].chunk, v, cause) != 0)
				goto fail;
			if (v->nrows != s->rd[k].nrows) {
				error_set(cause, _("profile database '%s': "
				    "column %u of event chunk %u is damaged"),
				    s->p->schema->name, ev->sub.cols[i],
				    s->rd[k].chunk);
				goto fail;
			}
		}
		atomic_store(&s->ready, k + 1);
	}
	return 0;
fail:
	atomic_store(&s->stop, 1);
	return -1;
}

static void
ev_unload(struct ev_pass *s)
{
	size_t i, n = s->nrd * s->ev->sub.ncols;

	if (s->views != NULL) {
		for (i = 0; i < n; i++) {
			if (s->loaded[i])
				pdb_chunk_release(&s->views[i]);
		}
	}
	free(s->views);
	free(s->loaded);
	s->views = NULL;
	s->loaded = NULL;
}

/* One event's line for an explanation: time, name, properties. */
static int
ev_why_line(struct eval_prog *p, struct store_txn *txn,
    const struct ev_whyev *x, struct strbuf *sb, char **cause)
{
	const struct pdb_schema *db = p->schema;
	struct col_chunk v;
	struct value val;
	char buf[TU_DATETIME_BUF];
	uint32_t r = x->row, a, i, code;
	uint16_t f;
	enum field_type ft;
	int nprops = 0;

	sb_printf(sb, "%s ", tu_format_datetime(x->time, buf));
	memset(&v, 0, sizeof v);
	for (f = EVDB_COL_NAME; f < EVDB_COL_PROP + db->nevent_fields; f++) {
		if (f == EVDB_COL_ID)
			continue;
		if (evdb_column(txn, db, f, x->chunk, &v, cause) != 0)
			return -1;
		if (r >= v.nrows) {
			pdb_chunk_release(&v);
			return error_set(cause, _("profile database '%s': "
			    "column %u of event chunk %u is damaged"),
			    db->name, f, x->chunk);
		}
		ft = v.type;
		if (f == EVDB_COL_NAME) {
			code = v.codes[r];
			if (code < v.ndict)
				sb_add(sb, v.dict_data + v.dict_off[code],
				    v.dict_off[code + 1] - v.dict_off[code]);
			pdb_chunk_release(&v);
			continue;
		}
		if (!col_present(&v, r) || (ft == FT_TAGS &&
		    v.tag_off[r] == v.tag_off[r + 1])) {
			pdb_chunk_release(&v);
			continue;
		}
		sb_puts(sb, nprops++ == 0 ? " (" : ", ");
		sb_printf(sb, "%s = ", db->event_fields[f -
		    EVDB_COL_PROP].name);
		memset(&val, 0, sizeof val);
		val.present = 1;
		switch (ft) {
		case FT_STRING:
		case FT_TAGS:
			sb_putc(sb, '"');
			a = ft == FT_STRING ? r : v.tag_off[r];
			for (i = a; i < (ft == FT_STRING ? r + 1 :
			    v.tag_off[r + 1]); i++) {
				code = v.codes[i];
				if (i > a)
					sb_putc(sb, ',');
				if (code < v.ndict)
					sb_add(sb, v.dict_data +
					    v.dict_off[code],
					    v.dict_off[code + 1] -
					    v.dict_off[code]);
			}
			sb_putc(sb, '"');
			break;
		case FT_INT:
			val.u.i = v.i64[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_DATETIME:
			val.u.dt = v.i64[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_FLOAT:
			val.u.f = v.f64[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_DATE:
			val.u.date = v.i32[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_BOOL:
			val.u.b = v.u8[r] != 0;
			value_format_text(ft, &val, sb);
			break;
		}
		pdb_chunk_release(&v);
	}
	if (nprops > 0)
		sb_putc(sb, ')');
	sb_putc(sb, '\n');
	return 0;
}

static int
ev_why_format(struct eval_prog *p, struct store_txn *txn, struct ev_node *e,
    char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < e->why.nev; i++) {
		if (ev_why_line(p, txn, &e->why.ev[i], &sb, cause) != 0) {
			sb_free(&sb);
			return -1;
		}
	}
	free(e->why.events);
	e->why.events = sb_detach(&sb);
	return 0;
}

static int
ev_nthreads(int n, size_t nrd, size_t accbytes)
{
	long cores;

	if (n <= 0) {
		cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 0 ? (int)cores : 1;
	}
	if (n > 64)
		n = 64;
	if (nrd < 8)
		n = 1;
	if ((size_t)n > nrd)
		n = nrd > 0 ? (int)nrd : 1;
	while (n > 1 && accbytes * (size_t)(n - 1) > EV_THREAD_BYTES)
		n--;
	return n;
}

int
eval_events_run(struct eval_prog *p, struct store_txn *txn, int nthreads,
    const struct eval_progress *progress, uint32_t why_pno, char **cause)
{
	struct eval_events *ev = p->ev;
	struct evdb_chunk_info *all = NULL, *rd = NULL;
	struct ev_thread *th = NULL;
	struct ev_pass s;
	size_t nall, i, j, accbytes, nwords;
	uint64_t nprof = p->schema->nprofiles;
	int n = 0, started = 0, loaded, rc = -1;

	memset(&ev->stats, 0, sizeof ev->stats);
	memset(&s, 0, sizeof s);
	s.p = p;
	s.ev = ev;
	s.why_pno = why_pno;
	s.progress = progress;
	s.np = ((size_t)nprof + 63) / 64 * 64;
	atomic_init(&s.next, 0);
	atomic_init(&s.ready, 0);
	atomic_init(&s.stop, 0);
	nwords = (size_t)pdb_nchunks(p->schema) * EVAL_WORDS;
	if (nwords < s.np / 64)
		nwords = s.np / 64;
	accbytes = 0;
	for (j = 0; j < ev->n; j++) {
		struct ev_node *e = &ev->v[j];

		free(e->need);
		e->need = xcalloc(ev->sub.ncols, 1);
		/*
		 * The time column only where a chunk straddles the window
		 * (ev_plan), unless first/last or the where read it.
		 */
		e->need[ev->colpno] = e->need[ev->colname] = 1;
		if (e->acc == EA_FIRST || e->acc == EA_LAST)
			e->need[ev->coltime] = 1;
		if (e->propcol >= 0)
			e->need[e->propcol] = 1;
		ev_where_cols(e->where, e->need);
		free(e->bits);
		e->bits = xcalloc(nwords > 0 ? nwords : 1, sizeof *e->bits);
		if (why_pno != UINT32_MAX)
			ev_why_clear(&e->why);
		accbytes += ev_acc_bytes(e->acc, s.np);
	}
	if (evdb_chunks(txn, p->schema, &all, &nall, cause) != 0)
		return -1;
	ev_plan(&s, all, nall, &rd);
	s.rd = rd;
	s.views = xcalloc(s.nrd > 0 ? s.nrd * ev->sub.ncols : 1,
	    sizeof *s.views);

	n = why_pno != UINT32_MAX ? 1 : ev_nthreads(nthreads, s.nrd,
	    accbytes);
	th = xcalloc((size_t)n, sizeof *th);
	for (i = 0; i < (size_t)n; i++) {
		th[i].s = &s;
		eval_worker_init(&th[i].w, &ev->sub);
		th[i].a = xcalloc(ev->n > 0 ? ev->n : 1, sizeof *th[i].a);
		for (j = 0; j < ev->n; j++)
			ev_acc_alloc(&th[i].a[j], ev->v[j].acc, s.np);
	}
	for (i = 1; i < (size_t)n; i++) {
		if (pthread_create(&th[i].tid, NULL, ev_thread_main,
		    &th[i]) != 0)
			break;
		started++;
	}
	loaded = ev_load(&s, txn, cause);
	if (loaded == 0)
		ev_thread_main(&th[0]);
	for (i = 1; i <= (size_t)started; i++)
		pthread_join(th[i].tid, NULL);
	if (loaded != 0)
		goto out;
	if (atomic_load(&s.stop) || ev_cancelled(&s)) {
		error_set(cause, "%s", _("recalculation cancelled"));
		goto out;
	}
	for (j = 0; j < ev->n; j++) {
		for (i = 1; i < (size_t)n; i++) {
			ev_acc_merge(&th[0].a[j], &th[i].a[j], ev->v[j].acc,
			    s.np);
			ev_acc_free(&th[i].a[j]);
		}
		ev_compare_all(&ev->v[j], &th[0].a[j], s.np, nprof);
		ev_acc_free(&th[0].a[j]);
	}
	if (why_pno != UINT32_MAX) {
		for (j = 0; j < ev->n; j++) {
			if (ev_why_format(p, txn, &ev->v[j], cause) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	if (th != NULL) {
		for (i = 0; i < (size_t)n; i++) {
			for (j = 0; j < ev->n; j++)
				ev_acc_free(&th[i].a[j]);
			free(th[i].a);
			eval_worker_done(&th[i].w);
		}
		free(th);
	}
	ev_unload(&s);
	free(rd);
	free(all);
	return rc;
}

void
eval_stats(const struct eval_prog *p, struct eval_stats *st)
{
	if (p->ev == NULL)
		memset(st, 0, sizeof *st);
	else
		*st = p->ev->stats;
}

void
eval_events_why(const struct eval_prog *p, size_t i, int indent,
    struct strbuf *sb)
{
	const struct ev_node *e = &p->ev->v[i];
	const struct ev_why *y = &e->why;
	const struct cond *c = e->c;
	char b1[TU_DATETIME_BUF], b2[TU_DATETIME_BUF];
	struct strbuf v = STRBUF_INIT;
	struct value val;
	const char *s, *nl;
	int k;

	sb_puts(sb, " (");
	if (c->evtest == CE_SUM || ((c->evtest == CE_AVG ||
	    c->evtest == CE_MIN || c->evtest == CE_MAX) && y->nval > 0)) {
		memset(&val, 0, sizeof val);
		val.present = 1;
		if (c->evtest == CE_AVG) {
			val.u.f = (e->propf ? y->fsum + y->fsumc :
			    (double)y->isum) /
			    (double)y->nval;
			value_format_text(FT_FLOAT, &val, &v);
		} else if (e->propf) {
			val.u.f = c->evtest == CE_SUM ? y->fsum + y->fsumc :
			    c->evtest == CE_MIN ? y->fmin : y->fmax;
			value_format_text(FT_FLOAT, &val, &v);
		} else {
			val.u.i = c->evtest == CE_SUM ? y->isum :
			    c->evtest == CE_MIN ? y->imin : y->imax;
			value_format_text(FT_INT, &val, &v);
		}
		sb_printf(sb, _("%s(%s) = %s; "), cond_evtest_name(c->evtest),
		    c->field, v.buf != NULL ? v.buf : "");
		sb_free(&v);
	} else if (c->evtest == CE_AVG || c->evtest == CE_MIN ||
	    c->evtest == CE_MAX)
		sb_printf(sb, _("%s(%s) has no value; "),
		    cond_evtest_name(c->evtest), c->field);
	sb_printf(sb, _("count = %llu"), (unsigned long long)y->n);
	if (y->n > 0)
		sb_printf(sb, _(", first %s, last %s"),
		    tu_format_datetime(y->first, b1),
		    tu_format_datetime(y->last, b2));
	sb_puts(sb, ")\n");
	for (s = y->events; s != NULL && *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		for (k = 0; k < indent; k++)
			sb_putc(sb, ' ');
		sb_add(sb, s, (size_t)(nl - s) + 1);
	}
}
