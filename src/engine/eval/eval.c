/*
 * Compiled evaluation of a condition tree over the LMDB columns.
 *
 * eval_compile turns every predicate into a test on one column with its
 * constants already resolved: relative dates, age(), days_since() and
 * days_until() become absolute intervals of the stored values, so the
 * scan compares raw numbers.  eval_run evaluates a chunk of 4096 rows
 * at a time into bitsets of 64-bit words and combines them word-wise;
 * string and tag tests are decided once per dictionary entry of a chunk.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval.h"
#include "i18n.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

#define EVAL_WORDS	(PDB_CHUNK_ROWS / 64)
#define EVAL_NEG_INF	INT64_MIN
#define EVAL_POS_INF	INT64_MAX
/* Dates beyond these (years -768 .. 10000) are treated as unbounded. */
#define EVAL_DATE_MIN	(-1000000)
#define EVAL_DATE_MAX	3000000
/* Below this many chunks a second thread costs more than it saves. */
#define EVAL_MIN_PARALLEL	8

enum eval_kind {
	EK_CONST,	/* is empty / is not empty on fixed-width columns */
	EK_I64,		/* int, datetime */
	EK_I32,		/* date */
	EK_U8,		/* bool (0/1) */
	EK_F64,		/* float */
	EK_STR,		/* per dictionary code */
	EK_TAGS,	/* per row over its tag codes */
	EK_SEGMENT	/* in segment */
};

struct eval_ival {
	int64_t		lo, hi;		/* inclusive */
};

struct eval_fival {
	double		lo, hi;		/* inclusive */
};

struct eval_node {
	enum cond_kind	  kind;
	struct eval_node **kids;
	size_t		  nkids;
	const struct cond *c;

	/* CK_PRED */
	enum eval_kind	  ek;
	int		  col;		/* index into prog->cols */
	uint16_t	  field;
	enum field_type	  ft;
	int		  neg;		/* negate the test on present values */
	int		  empty_true;	/* result for an empty value */
	int		  const_l;	/* EK_CONST: result for present values */
	struct eval_ival *iv;
	size_t		  niv;
	struct eval_fival *fv;
	size_t		  nfv;
	/* CK_IN_SEGMENT */
	const roaring_bitmap_t *seg;
};

struct eval_prog {
	struct pdb_schema *schema;
	struct cond	*cond;		/* our copy; NULL = everyone */
	struct eval_node *root;
	struct tz	*tz;
	int64_t		 now;
	int32_t		 today;
	uint16_t	 range_lo, range_hi;
	int64_t		 limit;
	uint16_t	*cols;		/* fields read, bucket last if needed */
	size_t		 ncols;
	int		 bucket_col;	/* -1 when the range keeps everyone */
	int		 depth;		/* deepest nesting, for scratch space */
};

struct eval_worker {
	const struct eval_prog	*p;
	const struct col_chunk	*views;	/* this chunk's, one per column */
	uint32_t		 chunk;
	uint32_t		 nrows;
	uint64_t		*stack;
	uint8_t			*lut;
	size_t			 lutcap;
	uint64_t		*mlut;
	size_t			 mlutcap;
};

/* ------------------------------------------------------------------ */
/* Compilation                                                          */
/* ------------------------------------------------------------------ */

static int
eval_cerr(const struct cond *c, char **cause, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
eval_cerr(const struct cond *c, char **cause, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (c != NULL && c->line > 0)
		error_set(cause, _("line %d, column %d: %s"), c->line,
		    c->column, msg);
	else
		error_set(cause, "%s", msg);
	free(msg);
	return -1;
}

static void
eval_add_ival(struct eval_node *n, int64_t lo, int64_t hi)
{
	if (lo > hi)
		return;		/* matches nothing */
	n->iv = xreallocarray(n->iv, n->niv + 1, sizeof *n->iv);
	n->iv[n->niv].lo = lo;
	n->iv[n->niv].hi = hi;
	n->niv++;
}

static void
eval_add_fival(struct eval_node *n, double lo, double hi)
{
	if (!(lo <= hi))
		return;
	n->fv = xreallocarray(n->fv, n->nfv + 1, sizeof *n->fv);
	n->fv[n->nfv].lo = lo;
	n->fv[n->nfv].hi = hi;
	n->nfv++;
}

/* Full years from birth date b to date t (Feb 29 birthdays: on Mar 1). */
static int64_t
eval_age(int32_t b, int32_t t)
{
	int by, bm, bd, ty, tm, td;

	tu_civil_from_days(b, &by, &bm, &bd);
	tu_civil_from_days(t, &ty, &tm, &td);
	return (int64_t)ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
}

/* The latest birth date whose age today is at least a. */
static int32_t
eval_age_max_birth(int64_t a, int32_t today)
{
	int ty, tm, td, y, d;
	int32_t b;

	tu_civil_from_days(today, &ty, &tm, &td);
	y = (int)(ty - a);
	d = td;
	if (d > tu_days_in_month(y, tm))
		d = tu_days_in_month(y, tm);
	b = tu_days_from_civil(y, tm, d);
	while (eval_age(b + 1, today) >= a)
		b++;
	while (eval_age(b, today) < a)
		b--;
	return b;
}

static int64_t
eval_clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * Turns an interval of a function's value (age, days since, days until)
 * into an interval of dates.
 */
static void
eval_func_to_dates(enum cond_func f, int32_t today, int64_t a, int64_t b,
    int64_t *lo, int64_t *hi)
{
	switch (f) {
	case CF_AGE:
		*hi = a == EVAL_NEG_INF ? EVAL_POS_INF :
		    eval_age_max_birth(eval_clamp(a, -20000, 20000), today);
		*lo = b == EVAL_POS_INF ? EVAL_NEG_INF :
		    eval_age_max_birth(eval_clamp(b, -20000, 20000) + 1,
		    today) + 1;
		break;
	case CF_DAYS_SINCE:
		*lo = b == EVAL_POS_INF ? EVAL_NEG_INF : today - eval_clamp(b,
		    EVAL_DATE_MIN, EVAL_DATE_MAX);
		*hi = a == EVAL_NEG_INF ? EVAL_POS_INF : today - eval_clamp(a,
		    EVAL_DATE_MIN, EVAL_DATE_MAX);
		break;
	default:	/* CF_DAYS_UNTIL */
		*lo = a == EVAL_NEG_INF ? EVAL_NEG_INF : today + eval_clamp(a,
		    EVAL_DATE_MIN, EVAL_DATE_MAX);
		*hi = b == EVAL_POS_INF ? EVAL_POS_INF : today + eval_clamp(b,
		    EVAL_DATE_MIN, EVAL_DATE_MAX);
		break;
	}
}

/* The first instant of local date d. */
static int64_t
eval_day_start(const struct eval_prog *p, int64_t d)
{
	return tz_local_to_utc(p->tz, (int32_t)eval_clamp(d, EVAL_DATE_MIN,
	    EVAL_DATE_MAX), 0);
}

/*
 * Adds an interval of local dates to a date or datetime predicate: a
 * datetime matches when its local date lies in the interval.
 */
static void
eval_add_dates(const struct eval_prog *p, struct eval_node *n, int64_t lo,
    int64_t hi)
{
	if (n->ft == FT_DATETIME) {
		if (lo > hi)
			return;
		eval_add_ival(n, lo == EVAL_NEG_INF || lo < EVAL_DATE_MIN ?
		    EVAL_NEG_INF : eval_day_start(p, lo),
		    hi == EVAL_POS_INF || hi >= EVAL_DATE_MAX ? EVAL_POS_INF :
		    eval_day_start(p, hi + 1) - 1);
		return;
	}
	eval_add_ival(n, lo, hi);
}

/*
 * A constant as a number of the predicate's domain; *exact is 0 when a
 * float constant lies between two integers.
 */
static int
eval_const_num(const struct eval_prog *p, const struct cond_value *v,
    int want_date, double *out)
{
	switch (v->kind) {
	case CV_INT:
	case CV_BOOL:
		if (want_date)
			return -1;
		*out = (double)v->i;
		return 0;
	case CV_FLOAT:
		if (want_date)
			return -1;
		*out = v->f;
		return 0;
	case CV_DATE:
		if (!want_date)
			return -1;
		*out = v->date;
		return 0;
	case CV_DATETIME:
		if (!want_date)
			return -1;
		*out = tz_local_date(p->tz, v->i);
		return 0;
	default:
		return -1;
	}
}

/*
 * Builds the integer intervals of a comparison operator (=, <, between,
 * in, ...) from double constants; lo..hi inclusive.  Returns -1 when the
 * operator is not a comparison.
 */
static int
eval_cmp_ivals(enum cond_op op, const double *v, size_t nv,
    void (*add)(void *, int64_t, int64_t), void *arg, int *neg)
{
	size_t i;
	double c;

#define TOI(x) ((x) <= -9.2e18 ? EVAL_NEG_INF + 1 : (x) >= 9.2e18 ? \
	    EVAL_POS_INF - 1 : (int64_t)(x))
	*neg = 0;
	c = v[0];
	switch (op) {
	case CO_EQ:
	case CO_NE:
		*neg = op == CO_NE;
		if (c == floor(c))
			add(arg, TOI(c), TOI(c));
		return 0;
	case CO_IN:
	case CO_NOT_IN:
		*neg = op == CO_NOT_IN;
		for (i = 0; i < nv; i++) {
			if (v[i] == floor(v[i]))
				add(arg, TOI(v[i]), TOI(v[i]));
		}
		return 0;
	case CO_LT:
		add(arg, EVAL_NEG_INF, TOI(ceil(c)) - 1);
		return 0;
	case CO_LE:
		add(arg, EVAL_NEG_INF, TOI(floor(c)));
		return 0;
	case CO_GT:
		add(arg, TOI(floor(c)) + 1, EVAL_POS_INF);
		return 0;
	case CO_GE:
		add(arg, TOI(ceil(c)), EVAL_POS_INF);
		return 0;
	case CO_BETWEEN:
		add(arg, TOI(ceil(v[0])), TOI(floor(v[1])));
		return 0;
	default:
		return -1;
	}
#undef TOI
}

struct eval_addctx {
	const struct eval_prog	*p;
	struct eval_node	*n;
	enum cond_func		 func;
	int			 dates;
};

static void
eval_add_cb(void *arg, int64_t lo, int64_t hi)
{
	struct eval_addctx *a = arg;
	int64_t dlo, dhi;

	if (lo > hi)
		return;
	if (a->func == CF_AGE || a->func == CF_DAYS_SINCE ||
	    a->func == CF_DAYS_UNTIL) {
		eval_func_to_dates(a->func, a->p->today, lo, hi, &dlo, &dhi);
		eval_add_dates(a->p, a->n, dlo, dhi);
	} else if (a->dates)
		eval_add_dates(a->p, a->n, lo, hi);
	else
		eval_add_ival(a->n, lo, hi);
}

static void
eval_add_float_cmp(struct eval_node *n, enum cond_op op, const double *v,
    size_t nv)
{
	size_t i;

	switch (op) {
	case CO_EQ:
	case CO_NE:
		n->neg = op == CO_NE;
		eval_add_fival(n, v[0], v[0]);
		break;
	case CO_IN:
	case CO_NOT_IN:
		n->neg = op == CO_NOT_IN;
		for (i = 0; i < nv; i++)
			eval_add_fival(n, v[i], v[i]);
		break;
	case CO_LT:
		eval_add_fival(n, -INFINITY, nextafter(v[0], -INFINITY));
		break;
	case CO_LE:
		eval_add_fival(n, -INFINITY, v[0]);
		break;
	case CO_GT:
		eval_add_fival(n, nextafter(v[0], INFINITY), INFINITY);
		break;
	case CO_GE:
		eval_add_fival(n, v[0], INFINITY);
		break;
	default:	/* CO_BETWEEN */
		eval_add_fival(n, v[0], v[1]);
		break;
	}
}

static int
eval_is_cmp(enum cond_op op)
{
	return op == CO_EQ || op == CO_NE || op == CO_LT || op == CO_LE ||
	    op == CO_GT || op == CO_GE || op == CO_BETWEEN || op == CO_IN ||
	    op == CO_NOT_IN;
}

static int
eval_want_values(const struct cond *c, char **cause)
{
	size_t need = 1;

	if (c->op == CO_BETWEEN)
		need = 2;
	if (c->nvalues < need)
		return eval_cerr(c, cause,
		    _("'%s' on field '%s' needs %zu value(s)."),
		    cond_op_name(c->op), c->field, need);
	return 0;
}

static int
eval_bad_op(const struct cond *c, enum field_type ft, char **cause)
{
	if (c->func != CF_NONE)
		return eval_cerr(c, cause,
		    _("The operator '%s' does not apply to %s(%s) (a %s field)."),
		    cond_op_name(c->op), cond_func_name(c->func), c->field,
		    field_type_name(ft));
	return eval_cerr(c, cause,
	    _("The operator '%s' does not apply to the %s field '%s'."),
	    cond_op_name(c->op), field_type_name(ft), c->field);
}

static int
eval_bad_value(const struct cond *c, char **cause)
{
	return eval_cerr(c, cause,
	    _("A value of '%s' on field '%s' has the wrong type."),
	    cond_op_name(c->op), c->field);
}

/* Relative and calendar tests: within, more than ... ago, before/after/on. */
static int
eval_compile_when(const struct eval_prog *p, struct eval_node *n,
    const struct cond *c, char **cause)
{
	int64_t k, secs;
	int32_t d;
	int dt = n->ft == FT_DATETIME;

	if (c->op == CO_BEFORE || c->op == CO_AFTER || c->op == CO_ON) {
		if (c->values[0].kind == CV_DATE)
			d = c->values[0].date;
		else if (c->values[0].kind == CV_DATETIME)
			d = tz_local_date(p->tz, c->values[0].i);
		else
			return eval_bad_value(c, cause);
		if (c->op == CO_BEFORE)
			eval_add_dates(p, n, EVAL_NEG_INF, (int64_t)d - 1);
		else if (c->op == CO_AFTER)
			eval_add_dates(p, n, (int64_t)d + 1, EVAL_POS_INF);
		else
			eval_add_dates(p, n, d, d);
		return 0;
	}
	if (c->values[0].kind != CV_INT)
		return eval_bad_value(c, cause);
	k = eval_clamp(c->values[0].i, -EVAL_DATE_MAX, EVAL_DATE_MAX);
	secs = c->op == CO_WITHIN_LAST_HOURS ? k * 3600 : k * 86400;
	switch (c->op) {
	case CO_WITHIN_LAST_DAYS:
		if (dt)
			eval_add_ival(n, p->now - secs, p->now);
		else
			eval_add_ival(n, p->today - k, p->today);
		break;
	case CO_WITHIN_LAST_HOURS:
		if (dt)
			eval_add_ival(n, p->now - secs, p->now);
		else
			eval_add_ival(n, tz_local_date(p->tz, p->now - secs),
			    p->today);
		break;
	case CO_WITHIN_NEXT_DAYS:
		if (dt)
			eval_add_ival(n, p->now, p->now + secs);
		else
			eval_add_ival(n, p->today, p->today + k);
		break;
	default:	/* CO_MORE_THAN_DAYS_AGO */
		if (dt)
			eval_add_ival(n, EVAL_NEG_INF, p->now - secs - 1);
		else
			eval_add_ival(n, EVAL_NEG_INF, p->today - k - 1);
		break;
	}
	return 0;
}

static int
eval_compile_pred(struct eval_prog *p, struct eval_node *n,
    const struct cond *c, char **cause)
{
	struct eval_addctx a;
	double v[64], *vals = v;
	size_t i;
	int fi, dates, rc = -1;
	enum field_type ft, rt;

	fi = schema_field_index(p->schema, c->field);
	if (fi < 0)
		return eval_cerr(c, cause, _("There is no field '%s' in the "
		    "database '%s'."), c->field, p->schema->name);
	ft = p->schema->fields[fi].type;
	n->field = (uint16_t)fi;
	n->ft = ft;
	for (i = 0; i < p->ncols; i++) {
		if (p->cols[i] == n->field)
			break;
	}
	if (i == p->ncols) {
		p->cols = xreallocarray(p->cols, p->ncols + 1,
		    sizeof *p->cols);
		p->cols[p->ncols++] = n->field;
	}
	n->col = (int)i;

	if (c->op == CO_IS_EMPTY || c->op == CO_IS_NOT_EMPTY) {
		n->empty_true = c->op == CO_IS_EMPTY;
		n->const_l = !n->empty_true;
		n->ek = ft == FT_STRING ? EK_STR : ft == FT_TAGS ? EK_TAGS :
		    EK_CONST;
		return 0;
	}
	if (c->op != CO_IS_TRUE && c->op != CO_IS_FALSE &&
	    eval_want_values(c, cause) != 0)
		return -1;

	if (cond_func_type(ft, c->func, &rt) != 0)
		return eval_bad_op(c, ft, cause);

	/* Strings and tags are tested per dictionary entry at run time. */
	if ((ft == FT_STRING || ft == FT_TAGS) && c->func != CF_LENGTH) {
		n->ek = ft == FT_STRING ? EK_STR : EK_TAGS;
		if (ft == FT_TAGS && c->op != CO_HAS && c->op != CO_HAS_ANY &&
		    c->op != CO_HAS_ALL && c->op != CO_HAS_NONE)
			return eval_bad_op(c, ft, cause);
		if (ft == FT_STRING && (c->op == CO_HAS || c->op == CO_HAS_ANY ||
		    c->op == CO_HAS_ALL || c->op == CO_HAS_NONE ||
		    !(eval_is_cmp(c->op) || c->op == CO_CONTAINS ||
		    c->op == CO_NOT_CONTAINS || c->op == CO_STARTS_WITH ||
		    c->op == CO_ENDS_WITH)))
			return eval_bad_op(c, ft, cause);
		for (i = 0; i < c->nvalues; i++) {
			if (c->values[i].kind != CV_STRING)
				return eval_bad_value(c, cause);
		}
		n->neg = c->op == CO_NE || c->op == CO_NOT_IN ||
		    c->op == CO_NOT_CONTAINS || c->op == CO_HAS_NONE;
		n->empty_true = c->op == CO_HAS_NONE;
		return 0;
	}

	if (ft == FT_BOOL && (c->op == CO_IS_TRUE || c->op == CO_IS_FALSE)) {
		n->ek = EK_U8;
		eval_add_ival(n, c->op == CO_IS_TRUE, c->op == CO_IS_TRUE);
		return 0;
	}
	if (c->op == CO_WITHIN_LAST_DAYS || c->op == CO_WITHIN_LAST_HOURS ||
	    c->op == CO_WITHIN_NEXT_DAYS || c->op == CO_MORE_THAN_DAYS_AGO ||
	    c->op == CO_BEFORE || c->op == CO_AFTER || c->op == CO_ON) {
		if ((ft != FT_DATE && ft != FT_DATETIME) || c->func != CF_NONE)
			return eval_bad_op(c, ft, cause);
		n->ek = ft == FT_DATE ? EK_I32 : EK_I64;
		return eval_compile_when(p, n, c, cause);
	}
	if (!eval_is_cmp(c->op))
		return eval_bad_op(c, ft, cause);

	if (c->nvalues > sizeof v / sizeof v[0])
		vals = xreallocarray(NULL, c->nvalues, sizeof *vals);
	/* Dates compare as local dates unless both sides are instants. */
	dates = c->func == CF_NONE && (ft == FT_DATE || (ft == FT_DATETIME &&
	    c->values[0].kind == CV_DATE));
	for (i = 0; i < c->nvalues; i++) {
		if (ft == FT_DATETIME && !dates && c->func == CF_NONE) {
			if (c->values[i].kind != CV_DATETIME)
				goto badvalue;
			vals[i] = (double)c->values[i].i;
			continue;
		}
		if (ft == FT_BOOL && c->values[i].kind != CV_BOOL &&
		    c->values[i].kind != CV_INT)
			goto badvalue;
		if (eval_const_num(p, &c->values[i], dates, &vals[i]) != 0)
			goto badvalue;
	}
	if (ft == FT_FLOAT) {
		n->ek = EK_F64;
		eval_add_float_cmp(n, c->op, vals, c->nvalues);
		rc = 0;
		goto out;
	}
	if (ft == FT_DATETIME && !dates && c->func == CF_NONE) {
		/* Instants: use the exact integers, not their doubles. */
		int64_t lo = c->values[0].i;

		n->ek = EK_I64;
		switch (c->op) {
		case CO_EQ:
		case CO_NE:
			n->neg = c->op == CO_NE;
			eval_add_ival(n, lo, lo);
			break;
		case CO_IN:
		case CO_NOT_IN:
			n->neg = c->op == CO_NOT_IN;
			for (i = 0; i < c->nvalues; i++)
				eval_add_ival(n, c->values[i].i,
				    c->values[i].i);
			break;
		case CO_LT:
			eval_add_ival(n, EVAL_NEG_INF, lo - 1);
			break;
		case CO_LE:
			eval_add_ival(n, EVAL_NEG_INF, lo);
			break;
		case CO_GT:
			eval_add_ival(n, lo + 1, EVAL_POS_INF);
			break;
		case CO_GE:
			eval_add_ival(n, lo, EVAL_POS_INF);
			break;
		default:
			eval_add_ival(n, lo, c->values[1].i);
			break;
		}
		rc = 0;
		goto out;
	}
	n->ek = c->func == CF_LENGTH ? (ft == FT_STRING ? EK_STR : EK_TAGS) :
	    ft == FT_DATE ? EK_I32 : ft == FT_BOOL ? EK_U8 : EK_I64;
	a.p = p;
	a.n = n;
	a.func = c->func;
	a.dates = dates;
	eval_cmp_ivals(c->op, vals, c->nvalues, eval_add_cb, &a, &n->neg);
	rc = 0;
	goto out;

badvalue:
	eval_bad_value(c, cause);
out:
	if (vals != v)
		free(vals);
	return rc;
}

static void
eval_node_free(struct eval_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		eval_node_free(n->kids[i]);
	free(n->kids);
	free(n->iv);
	free(n->fv);
	free(n);
}

static struct eval_node *
eval_compile_node(struct eval_prog *p, const struct eval_env *env,
    const struct cond *c, int depth, char **cause)
{
	struct eval_node *n;
	size_t i;

	n = xcalloc(1, sizeof *n);
	n->kind = c->kind;
	n->c = c;
	if (depth > p->depth)
		p->depth = depth;
	switch (c->kind) {
	case CK_AND:
	case CK_OR:
	case CK_NOT:
		if (c->kind == CK_NOT && c->nkids != 1) {
			eval_cerr(c, cause, _("'not' needs exactly one "
			    "condition."));
			goto fail;
		}
		n->kids = xcalloc(c->nkids > 0 ? c->nkids : 1,
		    sizeof *n->kids);
		for (i = 0; i < c->nkids; i++) {
			n->kids[i] = eval_compile_node(p, env, c->kids[i],
			    depth + 1, cause);
			if (n->kids[i] == NULL)
				goto fail;
			n->nkids++;
		}
		return n;
	case CK_IN_SEGMENT:
		n->ek = EK_SEGMENT;
		if (env->segment_members != NULL)
			n->seg = env->segment_members(env->arg, c->segment);
		if (n->seg == NULL) {
			eval_cerr(c, cause, _("The segment \"%s\" used by "
			    "'in segment' does not exist."), c->segment);
			goto fail;
		}
		return n;
	case CK_PRED:
		if (eval_compile_pred(p, n, c, cause) != 0)
			goto fail;
		return n;
	}
	eval_cerr(c, cause, _("The condition tree is malformed."));
fail:
	eval_node_free(n);
	return NULL;
}

int
eval_compile(const struct pdb_schema *schema, const struct eval_query *q,
    const struct eval_env *env, struct eval_prog **out, char **cause)
{
	struct eval_prog *p;
	struct eval_env noenv;

	*out = NULL;
	if (env == NULL) {
		memset(&noenv, 0, sizeof noenv);
		env = &noenv;
	}
	if (q->range_lo > q->range_hi || q->range_hi > 10000)
		return error_set(cause, _("The range %u-%u is invalid."),
		    q->range_lo, q->range_hi);
	p = xcalloc(1, sizeof *p);
	p->tz = tz_open(env->tz, cause);
	if (p->tz == NULL) {
		free(p);
		return -1;
	}
	p->schema = schema_clone(schema);
	p->now = env->now;
	p->today = tz_local_date(p->tz, env->now);
	p->range_lo = q->range_lo;
	p->range_hi = q->range_hi;
	p->limit = q->limit;
	p->bucket_col = -1;
	if (q->cond != NULL) {
		p->cond = cond_clone(q->cond);
		p->root = eval_compile_node(p, env, p->cond, 0, cause);
		if (p->root == NULL) {
			eval_free(p);
			return -1;
		}
	}
	if (p->range_lo > 0 || p->range_hi < 10000) {
		p->cols = xreallocarray(p->cols, p->ncols + 1,
		    sizeof *p->cols);
		p->bucket_col = (int)p->ncols;
		p->cols[p->ncols++] = PDB_COL_BUCKET;
	}
	*out = p;
	return 0;
}

void
eval_free(struct eval_prog *p)
{
	if (p == NULL)
		return;
	eval_node_free(p->root);
	cond_free(p->cond);
	schema_free(p->schema);
	if (p->tz != NULL)
		tz_close(p->tz);
	free(p->cols);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Evaluation of one chunk                                              */
/* ------------------------------------------------------------------ */

static uint32_t
eval_nwords(uint32_t nrows)
{
	return (nrows + 63) / 64;
}

static uint64_t
eval_tail_mask(uint32_t nrows)
{
	return (nrows & 63) == 0 ? ~(uint64_t)0 :
	    ((uint64_t)1 << (nrows & 63)) - 1;
}

/*
 * The column tests below repeat their inner loop for a full word: with a
 * constant count of 64 the compiler vectorises it, which the tail cannot.
 */
static void
eval_m_i64(const struct eval_node *n, const int64_t *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	size_t k;

	memset(m, 0, nw * sizeof *m);
	for (k = 0; k < n->niv; k++) {
		uint64_t lo = (uint64_t)n->iv[k].lo;
		uint64_t span = (uint64_t)n->iv[k].hi - lo;

		for (w = 0; w < nw; w++) {
			const int64_t *x = a + (size_t)w * 64;
			uint64_t bits = 0;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			if (lim == 64) {
				for (b = 0; b < 64; b++)
					bits |= (uint64_t)((uint64_t)x[b] - lo
					    <= span) << b;
			} else {
				for (b = 0; b < lim; b++)
					bits |= (uint64_t)((uint64_t)x[b] - lo
					    <= span) << b;
			}
			m[w] |= bits;
		}
	}
}

static void
eval_m_i32(const struct eval_node *n, const int32_t *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	size_t k;

	memset(m, 0, nw * sizeof *m);
	for (k = 0; k < n->niv; k++) {
		int64_t l = n->iv[k].lo, h = n->iv[k].hi;
		uint32_t lo, span;

		if (h < INT32_MIN || l > INT32_MAX)
			continue;
		l = eval_clamp(l, INT32_MIN, INT32_MAX);
		h = eval_clamp(h, INT32_MIN, INT32_MAX);
		lo = (uint32_t)(int32_t)l;
		span = (uint32_t)(int32_t)h - lo;
		for (w = 0; w < nw; w++) {
			const int32_t *x = a + (size_t)w * 64;
			uint64_t bits = 0;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			if (lim == 64) {
				for (b = 0; b < 64; b++)
					bits |= (uint64_t)((uint32_t)x[b] - lo
					    <= span) << b;
			} else {
				for (b = 0; b < lim; b++)
					bits |= (uint64_t)((uint32_t)x[b] - lo
					    <= span) << b;
			}
			m[w] |= bits;
		}
	}
}

static void
eval_m_u8(const struct eval_node *n, const uint8_t *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	uint8_t ok[2] = { 0, 0 };
	size_t k;

	for (k = 0; k < n->niv; k++) {
		if (n->iv[k].lo <= 0 && n->iv[k].hi >= 0)
			ok[0] = 1;
		if (n->iv[k].lo <= 1 && n->iv[k].hi >= 1)
			ok[1] = 1;
	}
	for (w = 0; w < nw; w++) {
		const uint8_t *x = a + (size_t)w * 64;
		uint64_t bits = 0;

		lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
		for (b = 0; b < lim; b++)
			bits |= (uint64_t)ok[x[b] != 0] << b;
		m[w] = bits;
	}
}

static void
eval_m_f64(const struct eval_node *n, const double *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	size_t k;

	memset(m, 0, nw * sizeof *m);
	for (k = 0; k < n->nfv; k++) {
		double lo = n->fv[k].lo, hi = n->fv[k].hi;

		for (w = 0; w < nw; w++) {
			const double *x = a + (size_t)w * 64;
			uint64_t bits = 0;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			for (b = 0; b < lim; b++)
				bits |= (uint64_t)((x[b] >= lo) &
				    (x[b] <= hi)) << b;
			m[w] |= bits;
		}
	}
}

static int
eval_in_ivals(const struct eval_node *n, int64_t v)
{
	size_t k;

	for (k = 0; k < n->niv; k++) {
		if (v >= n->iv[k].lo && v <= n->iv[k].hi)
			return 1;
	}
	return 0;
}

static size_t
eval_utf8_len(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	}
	return n;
}

static int
eval_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Byte order of s (lowered when asked) against t. */
static int
eval_strcmp(const char *s, size_t sl, const char *t, size_t tl, int lower)
{
	size_t i, k = sl < tl ? sl : tl;
	int a, b;

	for (i = 0; i < k; i++) {
		a = (unsigned char)s[i];
		b = (unsigned char)t[i];
		if (lower)
			a = eval_lower(a);
		if (a != b)
			return a - b;
	}
	return (sl > tl) - (sl < tl);
}

/* A string predicate on one non-empty dictionary entry. */
static int
eval_str_test(const struct eval_node *n, const char *s, size_t len)
{
	const struct cond *c = n->c;
	const struct cond_value *v = c->values;
	int lower = c->func == CF_LOWER, m = 0;
	size_t i, vl;

	if (c->op == CO_IS_EMPTY || c->op == CO_IS_NOT_EMPTY)
		return n->const_l;
	if (c->func == CF_LENGTH)
		return eval_in_ivals(n, (int64_t)eval_utf8_len(s, len)) ^
		    n->neg;
	vl = v != NULL && v[0].s != NULL ? strlen(v[0].s) : 0;
	switch (c->op) {
	case CO_EQ:
	case CO_NE:
	case CO_IN:
	case CO_NOT_IN:
		for (i = 0; i < c->nvalues && !m; i++)
			m = eval_strcmp(s, len, v[i].s, strlen(v[i].s),
			    lower) == 0;
		break;
	case CO_LT:
		m = eval_strcmp(s, len, v[0].s, vl, lower) < 0;
		break;
	case CO_LE:
		m = eval_strcmp(s, len, v[0].s, vl, lower) <= 0;
		break;
	case CO_GT:
		m = eval_strcmp(s, len, v[0].s, vl, lower) > 0;
		break;
	case CO_GE:
		m = eval_strcmp(s, len, v[0].s, vl, lower) >= 0;
		break;
	case CO_BETWEEN:
		m = eval_strcmp(s, len, v[0].s, vl, lower) >= 0 &&
		    eval_strcmp(s, len, v[1].s, strlen(v[1].s), lower) <= 0;
		break;
	case CO_CONTAINS:
	case CO_NOT_CONTAINS:
		m = ascii_casestr(s, len, v[0].s, vl);
		break;
	case CO_STARTS_WITH:
		m = len >= vl && ascii_strncasecmp_n(s, vl, v[0].s, vl) == 0;
		break;
	case CO_ENDS_WITH:
		m = len >= vl && ascii_strncasecmp_n(s + len - vl, vl, v[0].s,
		    vl) == 0;
		break;
	default:
		break;
	}
	return m ^ n->neg;
}

static void
eval_grow(struct eval_worker *w, size_t n)
{
	if (n > w->lutcap) {
		w->lutcap = n + n / 2 + 64;
		free(w->lut);
		w->lut = xmalloc(w->lutcap);
	}
	if (n > w->mlutcap) {
		w->mlutcap = n + n / 2 + 64;
		free(w->mlut);
		w->mlut = xreallocarray(NULL, w->mlutcap, sizeof *w->mlut);
	}
}

/*
 * Strings: decide each dictionary entry once, then look the codes up.
 * The result already accounts for empty values (absent or "").
 */
static void
eval_p_str(struct eval_worker *w, const struct eval_node *n,
    const struct col_chunk *v, uint64_t *out)
{
	uint32_t nrows = w->nrows, nw = eval_nwords(nrows), i, b, lim;
	uint64_t e = n->empty_true ? ~(uint64_t)0 : 0;

	eval_grow(w, v->ndict + 1);
	w->lut[v->ndict] = 0;
	for (i = 0; i < v->ndict; i++) {
		uint32_t len = v->dict_off[i + 1] - v->dict_off[i];

		w->lut[i] = len == 0 ? (uint8_t)n->empty_true :
		    (uint8_t)eval_str_test(n, v->dict_data + v->dict_off[i],
		    len);
	}
	for (i = 0; i < nw; i++) {
		const uint32_t *x = v->codes + (size_t)i * 64;
		uint64_t bits = 0;

		lim = nrows - i * 64 < 64 ? nrows - i * 64 : 64;
		for (b = 0; b < lim; b++)
			bits |= (uint64_t)w->lut[x[b] < v->ndict ? x[b] :
			    v->ndict] << b;
		out[i] = (v->present[i] & bits) | (~v->present[i] & e);
	}
}

/* Tags: per dictionary entry which of the values it equals, then rows. */
static void
eval_p_tags(struct eval_worker *w, const struct eval_node *n,
    const struct col_chunk *v, uint64_t *out)
{
	const struct cond *c = n->c;
	uint32_t nrows = w->nrows, nw = eval_nwords(nrows), i, r, k;
	uint64_t full, have, bits;
	size_t j, nv = c->nvalues;
	int res;

	eval_grow(w, v->ndict + 1);
	full = nv >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nv) - 1;
	for (i = 0; i < v->ndict && c->func != CF_LENGTH; i++) {
		const char *s = v->dict_data + v->dict_off[i];
		uint32_t len = v->dict_off[i + 1] - v->dict_off[i];

		w->mlut[i] = 0;
		for (j = 0; j < nv; j++) {
			if (eval_strcmp(s, len, c->values[j].s,
			    strlen(c->values[j].s), 0) == 0)
				w->mlut[i] |= (uint64_t)1 << (j < 63 ? j : 63);
		}
	}
	memset(out, 0, nw * sizeof *out);
	for (r = 0; r < nrows; r++) {
		uint32_t a = v->tag_off[r], z = v->tag_off[r + 1];

		if (!col_present(v, r) || a == z)
			res = n->empty_true;
		else if (c->op == CO_IS_EMPTY || c->op == CO_IS_NOT_EMPTY)
			res = n->const_l;
		else if (c->func == CF_LENGTH)
			res = eval_in_ivals(n, (int64_t)(z - a)) ^ n->neg;
		else {
			have = 0;
			for (k = a; k < z; k++)
				have |= v->codes[k] < v->ndict ?
				    w->mlut[v->codes[k]] : 0;
			if (c->op == CO_HAS_ALL)
				res = (have & full) == full;
			else
				res = (have != 0) ^ n->neg;
		}
		bits = (uint64_t)(res != 0) << (r & 63);
		out[r >> 6] |= bits;
	}
}

static void
eval_p_segment(struct eval_worker *w, const struct eval_node *n,
    uint64_t *out)
{
	roaring_uint32_iterator_t it;
	uint32_t base = w->chunk * PDB_CHUNK_ROWS, r;

	memset(out, 0, eval_nwords(w->nrows) * sizeof *out);
	roaring_init_iterator(n->seg, &it);
	if (!roaring_move_uint32_iterator_equalorlarger(&it, base))
		return;
	while (it.has_value && it.current_value < base + w->nrows) {
		r = it.current_value - base;
		out[r >> 6] |= (uint64_t)1 << (r & 63);
		roaring_advance_uint32_iterator(&it);
	}
}

static void
eval_p(struct eval_worker *w, const struct eval_node *n, uint64_t *out)
{
	const struct col_chunk *v;
	uint32_t nw = eval_nwords(w->nrows), i;
	uint64_t e = n->empty_true ? ~(uint64_t)0 : 0;

	if (n->ek == EK_SEGMENT) {
		eval_p_segment(w, n, out);
		return;
	}
	v = &w->views[n->col];
	switch (n->ek) {
	case EK_STR:
		eval_p_str(w, n, v, out);
		return;
	case EK_TAGS:
		eval_p_tags(w, n, v, out);
		return;
	case EK_CONST:
		for (i = 0; i < nw; i++)
			out[i] = n->const_l ? ~(uint64_t)0 : 0;
		break;
	case EK_I64:
		eval_m_i64(n, v->i64, w->nrows, out);
		break;
	case EK_I32:
		eval_m_i32(n, v->i32, w->nrows, out);
		break;
	case EK_U8:
		eval_m_u8(n, v->u8, w->nrows, out);
		break;
	default:
		eval_m_f64(n, v->f64, w->nrows, out);
		break;
	}
	if (n->neg) {
		for (i = 0; i < nw; i++)
			out[i] = ~out[i];
	}
	for (i = 0; i < nw; i++)
		out[i] = (v->present[i] & out[i]) | (~v->present[i] & e);
}

static int
eval_any(const uint64_t *m, uint32_t nw)
{
	uint32_t i;

	for (i = 0; i < nw; i++) {
		if (m[i] != 0)
			return 1;
	}
	return 0;
}

/* Evaluates node n over the worker's chunk; bits past nrows end up 0. */
static void
eval_node(struct eval_worker *w, const struct eval_node *n, int depth,
    uint64_t *out)
{
	uint32_t nw = eval_nwords(w->nrows), i;
	uint64_t *tmp = w->stack + (size_t)depth * EVAL_WORDS, tail;
	size_t k;

	tail = eval_tail_mask(w->nrows);
	switch (n->kind) {
	case CK_AND:
	case CK_OR:
		if (n->nkids == 0) {
			for (i = 0; i < nw; i++)
				out[i] = n->kind == CK_AND ? ~(uint64_t)0 : 0;
			break;
		}
		eval_node(w, n->kids[0], depth + 1, out);
		for (k = 1; k < n->nkids; k++) {
			if (n->kind == CK_AND && !eval_any(out, nw))
				break;
			eval_node(w, n->kids[k], depth + 1, tmp);
			if (n->kind == CK_AND) {
				for (i = 0; i < nw; i++)
					out[i] &= tmp[i];
			} else {
				for (i = 0; i < nw; i++)
					out[i] |= tmp[i];
			}
		}
		break;
	case CK_NOT:
		eval_node(w, n->kids[0], depth + 1, out);
		for (i = 0; i < nw; i++)
			out[i] = ~out[i];
		break;
	default:
		eval_p(w, n, out);
		break;
	}
	if (nw > 0)
		out[nw - 1] &= tail;
}

/* Conditions and range for one chunk into out (EVAL_WORDS words). */
static void
eval_chunk(struct eval_worker *w, uint32_t chunk,
    const struct col_chunk *views, uint32_t nrows, uint64_t *out)
{
	const struct eval_prog *p = w->p;
	uint32_t nw = eval_nwords(nrows), i, b, lim;

	w->chunk = chunk;
	w->views = views;
	w->nrows = nrows;
	if (p->root != NULL)
		eval_node(w, p->root, 0, out);
	else {
		for (i = 0; i < nw; i++)
			out[i] = ~(uint64_t)0;
		if (nw > 0)
			out[nw - 1] &= eval_tail_mask(nrows);
	}
	if (p->bucket_col >= 0) {
		const uint16_t *bk = views[p->bucket_col].u16;
		uint16_t lo = p->range_lo;
		uint16_t span = (uint16_t)(p->range_hi - p->range_lo);

		for (i = 0; i < nw; i++) {
			uint64_t bits = 0;

			if (out[i] == 0)
				continue;
			lim = nrows - i * 64 < 64 ? nrows - i * 64 : 64;
			for (b = 0; b < lim; b++)
				bits |= (uint64_t)((uint16_t)(bk[i * 64 + b] -
				    lo) < span) << b;
			out[i] &= bits;
		}
	}
}

static void
eval_worker_init(struct eval_worker *w, const struct eval_prog *p)
{
	memset(w, 0, sizeof *w);
	w->p = p;
	w->stack = xcalloc((size_t)(p->depth + 2) * EVAL_WORDS,
	    sizeof *w->stack);
}

static void
eval_worker_done(struct eval_worker *w)
{
	free(w->stack);
	free(w->lut);
	free(w->mlut);
}

/* ------------------------------------------------------------------ */
/* Runs                                                                 */
/* ------------------------------------------------------------------ */

struct eval_scan {
	struct eval_prog	*p;
	struct col_chunk	*views;	/* nchunks x ncols */
	uint32_t		 nchunks;
	uint64_t		 nprofiles;
	uint64_t		*res;	/* EVAL_WORDS words per chunk */
	const struct eval_progress *progress;
	atomic_uint		 next;
	atomic_ullong		 scanned;
	atomic_int		 stop;
};

/* Rows of chunk c among nprofiles. */
static uint32_t
eval_chunk_rows(uint64_t nprofiles, uint32_t c)
{
	uint64_t left = nprofiles - (uint64_t)c * PDB_CHUNK_ROWS;

	return left < PDB_CHUNK_ROWS ? (uint32_t)left : PDB_CHUNK_ROWS;
}

static int
eval_cancelled(const struct eval_scan *s)
{
	return s->progress != NULL && s->progress->cancel != NULL &&
	    *s->progress->cancel != 0;
}

static void *
eval_thread(void *arg)
{
	struct eval_scan *s = arg;
	struct eval_worker w;
	uint32_t c, nrows;
	uint64_t done;

	eval_worker_init(&w, s->p);
	for (;;) {
		if (atomic_load(&s->stop))
			break;
		if (eval_cancelled(s)) {
			atomic_store(&s->stop, 1);
			break;
		}
		c = atomic_fetch_add(&s->next, 1);
		if (c >= s->nchunks)
			break;
		nrows = eval_chunk_rows(s->nprofiles, c);
		eval_chunk(&w, c, s->views + (size_t)c * s->p->ncols, nrows,
		    s->res + (size_t)c * EVAL_WORDS);
		done = atomic_fetch_add(&s->scanned, nrows) + nrows;
		if (s->progress != NULL && s->progress->fn != NULL)
			s->progress->fn(s->progress->arg, done, s->nprofiles);
	}
	eval_worker_done(&w);
	return NULL;
}

static int
eval_nthreads(int n, uint32_t nchunks)
{
	long cores;

	if (n <= 0) {
		cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 0 ? (int)cores : 1;
	}
	if (n > 64)
		n = 64;
	if (nchunks < EVAL_MIN_PARALLEL)
		n = 1;
	if ((uint32_t)n > nchunks)
		n = nchunks > 0 ? (int)nchunks : 1;
	return n;
}

/* Keeps the first `limit` set bits, clears the rest. */
static void
eval_apply_limit(uint64_t *res, size_t nwords, int64_t limit)
{
	uint64_t left = (uint64_t)limit, x;
	size_t i;
	int cnt;

	for (i = 0; i < nwords; i++) {
		if (left == 0) {
			res[i] = 0;
			continue;
		}
		cnt = __builtin_popcountll(res[i]);
		if ((uint64_t)cnt <= left) {
			left -= (uint64_t)cnt;
			continue;
		}
		x = res[i];
		while ((uint64_t)__builtin_popcountll(x) > left)
			x &= ~((uint64_t)1 << (63 - __builtin_clzll(x)));
		res[i] = x;
		left = 0;
	}
}

static void
eval_to_roaring(const uint64_t *res, size_t nwords, roaring_bitmap_t *out)
{
	uint32_t buf[4096];
	size_t i, n = 0;
	uint64_t x;

	for (i = 0; i < nwords; i++) {
		x = res[i];
		while (x != 0) {
			buf[n++] = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(x));
			x &= x - 1;
		}
		if (n > sizeof buf / sizeof buf[0] - 64) {
			roaring_bitmap_add_many(out, n, buf);
			n = 0;
		}
	}
	if (n > 0)
		roaring_bitmap_add_many(out, n, buf);
}

static void
eval_release_views(struct col_chunk *views, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pdb_chunk_release(&views[i]);
	free(views);
}

/* The chunk views of every column used, in the caller's thread. */
static struct col_chunk *
eval_collect(struct eval_prog *p, struct store_txn *txn, uint32_t first,
    uint32_t n, char **cause)
{
	struct col_chunk *views;
	size_t i, k;
	uint32_t c;

	views = xcalloc((size_t)n * (p->ncols > 0 ? p->ncols : 1),
	    sizeof *views);
	for (c = 0; c < n; c++) {
		for (k = 0; k < p->ncols; k++) {
			i = (size_t)c * p->ncols + k;
			if (pdb_chunk(txn, p->schema, p->cols[k], first + c,
			    &views[i], cause) != 0) {
				eval_release_views(views, i);
				return NULL;
			}
		}
	}
	return views;
}

static int
eval_scan(struct eval_prog *p, struct store_txn *txn, int nthreads,
    const struct eval_progress *progress, uint64_t **resp, size_t *nwordsp,
    char **cause)
{
	struct eval_scan s;
	pthread_t tids[64];
	int i, n, started;
	size_t nwords;

	memset(&s, 0, sizeof s);
	s.p = p;
	s.nprofiles = p->schema->nprofiles;
	s.nchunks = pdb_nchunks(p->schema);
	s.progress = progress;
	atomic_init(&s.next, 0);
	atomic_init(&s.scanned, 0);
	atomic_init(&s.stop, 0);
	*resp = NULL;
	*nwordsp = 0;
	if (s.nchunks > 0 && s.nprofiles > (uint64_t)s.nchunks * PDB_CHUNK_ROWS)
		s.nprofiles = (uint64_t)s.nchunks * PDB_CHUNK_ROWS;
	s.views = eval_collect(p, txn, 0, s.nchunks, cause);
	if (s.views == NULL)
		return -1;
	nwords = (size_t)s.nchunks * EVAL_WORDS;
	s.res = xcalloc(nwords > 0 ? nwords : 1, sizeof *s.res);

	n = eval_nthreads(nthreads, s.nchunks);
	started = 0;
	for (i = 1; i < n; i++) {
		if (pthread_create(&tids[started], NULL, eval_thread, &s) != 0)
			break;
		started++;
	}
	eval_thread(&s);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	eval_release_views(s.views, (size_t)s.nchunks * p->ncols);

	if (atomic_load(&s.stop) || eval_cancelled(&s)) {
		free(s.res);
		return error_set(cause, _("recalculation cancelled"));
	}
	*resp = s.res;
	*nwordsp = nwords;
	return 0;
}

int
eval_run(struct eval_prog *p, struct store_txn *txn, int nthreads,
    const struct eval_progress *progress, roaring_bitmap_t *out, char **cause)
{
	uint64_t *res;
	size_t nwords;

	if (eval_scan(p, txn, nthreads, progress, &res, &nwords, cause) != 0)
		return -1;
	if (p->limit >= 0)
		eval_apply_limit(res, nwords, p->limit);
	eval_to_roaring(res, nwords, out);
	free(res);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Explaining one profile                                               */
/* ------------------------------------------------------------------ */

struct eval_why {
	struct eval_prog	*p;
	struct eval_worker	*w;
	const struct value	*row;
	uint32_t		 r;
	struct strbuf		*sb;
};

static void
eval_put_value(const struct eval_prog *p, uint16_t fi, const struct value *v,
    struct strbuf *sb)
{
	enum field_type ft = p->schema->fields[fi].type;
	const char *name = p->schema->fields[fi].name;

	if (!v->present ||
	    (ft == FT_STRING && v->u.s.len == 0) ||
	    (ft == FT_TAGS && v->u.tags.n == 0)) {
		sb_printf(sb, _("%s is empty"), name);
		return;
	}
	sb_printf(sb, "%s = ", name);
	if (ft == FT_STRING || ft == FT_TAGS)
		sb_putc(sb, '"');
	value_format_text(ft, v, sb);
	if (ft == FT_STRING || ft == FT_TAGS)
		sb_putc(sb, '"');
}

/* The value a function computes, for explanations. */
static void
eval_put_func(const struct eval_prog *p, const struct cond *c,
    const struct value *v, enum field_type ft, struct strbuf *sb)
{
	int32_t d;
	size_t i;

	if (!v->present || c->func == CF_NONE)
		return;
	sb_printf(sb, ", %s(%s) = ", cond_func_name(c->func), c->field);
	switch (c->func) {
	case CF_AGE:
	case CF_DAYS_SINCE:
	case CF_DAYS_UNTIL:
		d = ft == FT_DATE ? v->u.date : tz_local_date(p->tz, v->u.dt);
		if (c->func == CF_AGE)
			sb_printf(sb, "%lld", (long long)eval_age(d, p->today));
		else if (c->func == CF_DAYS_SINCE)
			sb_printf(sb, "%lld", (long long)p->today - d);
		else
			sb_printf(sb, "%lld", (long long)d - p->today);
		break;
	case CF_LENGTH:
		sb_printf(sb, "%zu", ft == FT_TAGS ? (size_t)v->u.tags.n :
		    eval_utf8_len(v->u.s.p, v->u.s.len));
		break;
	default:
		sb_putc(sb, '"');
		for (i = 0; i < v->u.s.len; i++)
			sb_putc(sb, (char)eval_lower((unsigned char)v->u.s.p[i]));
		sb_putc(sb, '"');
		break;
	}
}

static int
eval_why_node(struct eval_why *y, const struct eval_node *n, int depth)
{
	uint64_t *bits = y->w->stack + (size_t)(y->p->depth + 1) * EVAL_WORDS;
	const char *verdict;
	char *text;
	size_t k;
	int res, i;

	/* The top of the stack is free: eval_node uses depth+1 and below. */
	eval_node(y->w, n, depth, bits);
	res = (int)((bits[y->r >> 6] >> (y->r & 63)) & 1);
	verdict = res ? _("true") : _("false");
	for (i = 0; i < depth + 1; i++)
		sb_puts(y->sb, "  ");
	switch (n->kind) {
	case CK_AND:
		sb_printf(y->sb, _("all of (and) — %s\n"), verdict);
		break;
	case CK_OR:
		sb_printf(y->sb, _("any of (or) — %s\n"), verdict);
		break;
	case CK_NOT:
		sb_printf(y->sb, _("not — %s\n"), verdict);
		break;
	default:
		text = cond_print(n->c);
		sb_printf(y->sb, "%s — %s", text, verdict);
		free(text);
		if (n->kind == CK_PRED) {
			sb_puts(y->sb, " (");
			eval_put_value(y->p, n->field, &y->row[n->field],
			    y->sb);
			eval_put_func(y->p, n->c, &y->row[n->field], n->ft,
			    y->sb);
			sb_putc(y->sb, ')');
		}
		sb_putc(y->sb, '\n');
		break;
	}
	for (k = 0; k < n->nkids; k++)
		eval_why_node(y, n->kids[k], depth + 1);
	return res;
}

static void
eval_put_pct(uint16_t h, struct strbuf *sb)
{
	if (h % 100 == 0)
		sb_printf(sb, "%u", h / 100);
	else if (h % 10 == 0)
		sb_printf(sb, "%u.%u", h / 100, (h % 100) / 10);
	else
		sb_printf(sb, "%u.%02u", h / 100, h % 100);
}

int
eval_explain(struct eval_prog *p, struct store_txn *txn, uint32_t pno,
    int *in, struct strbuf *sb, char **cause)
{
	struct eval_worker w;
	struct eval_why y;
	struct col_chunk *views;
	struct value *row;
	struct arena arena = ARENA_INIT;
	struct strbuf body = STRBUF_INIT;
	const struct value *key;
	roaring_bitmap_t *all;
	uint64_t nprof = p->schema->nprofiles, rank;
	uint32_t chunk = pno / PDB_CHUNK_ROWS, nrows, bucket;
	int cond_ok = 1, range_ok = 1, rc = -1;
	int64_t limit;

	*in = 0;
	if (pno >= nprof)
		return error_set(cause, _("There is no profile number %u in "
		    "the database '%s'."), pno, p->schema->name);
	row = xcalloc(p->schema->nfields, sizeof *row);
	if (pdb_get_row(txn, p->schema, pno, row, &arena, cause) != 0)
		goto out;
	views = eval_collect(p, txn, chunk, 1, cause);
	if (views == NULL)
		goto out;
	nrows = eval_chunk_rows(nprof, chunk);
	eval_worker_init(&w, p);
	w.chunk = chunk;
	w.views = views;
	w.nrows = nrows;
	key = &row[p->schema->key_field];

	/* The tree's lines are written first, then the verdict before them. */
	y.p = p;
	y.w = &w;
	y.row = row;
	y.r = pno % PDB_CHUNK_ROWS;
	y.sb = &body;
	if (p->root == NULL)
		sb_printf(&body, _("  no conditions: every profile matches\n"));
	else
		cond_ok = eval_why_node(&y, p->root, 0);
	if (p->bucket_col >= 0) {
		bucket = views[p->bucket_col].u16[y.r];
		range_ok = bucket >= p->range_lo && bucket < p->range_hi;
	} else
		bucket = 0;

	if (cond_ok && range_ok && p->limit >= 0) {
		limit = p->limit;
		p->limit = -1;
		all = roaring_bitmap_create();
		rc = eval_run(p, txn, 0, NULL, all, cause);
		p->limit = limit;
		if (rc != 0) {
			roaring_bitmap_free(all);
			goto done;
		}
		rank = roaring_bitmap_rank(all, pno);
		roaring_bitmap_free(all);
	} else
		rank = 0;
	*in = cond_ok && range_ok &&
	    (p->limit < 0 || rank <= (uint64_t)p->limit);

	/* Today's evaluation; the caller says what is stored. */
	sb_printf(sb, *in ? _("Evaluated now, profile \"%.*s\" "
	    "(number %u) is in.\n") : _("Evaluated now, profile "
	    "\"%.*s\" (number %u) is out.\n"),
	    (int)(key->present ? key->u.s.len : 0),
	    key->present ? key->u.s.p : "", pno);
	sb_printf(sb, _("Conditions: %s\n"), cond_ok ? _("true") :
	    _("false"));
	sb_add(sb, body.buf != NULL ? body.buf : "", body.len);
	if (cond_ok && p->bucket_col >= 0) {
		sb_printf(sb, range_ok ? _("Range: bucket %u is inside ") :
		    _("Range: bucket %u is outside "), bucket);
		eval_put_pct(p->range_lo, sb);
		sb_putc(sb, '-');
		eval_put_pct(p->range_hi, sb);
		sb_puts(sb, "%\n");
	}
	if (cond_ok && range_ok && p->limit >= 0)
		sb_printf(sb, _("Limit: the limit of %lld kept the first %lld "
		    "matching profiles; this one is number %llu among "
		    "them.\n"), (long long)p->limit, (long long)p->limit,
		    (unsigned long long)rank);
	rc = 0;
done:
	eval_worker_done(&w);
	eval_release_views(views, p->ncols);
out:
	sb_free(&body);
	free(row);
	arena_free(&arena);
	return rc;
}
