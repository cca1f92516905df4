/*
 * Compiling a condition tree into an evaluation program (see eval.h):
 * every predicate becomes a test on one column with its constants
 * resolved.  Relative dates, age(), days_since() and days_until() turn
 * into absolute intervals of the stored values, so the scan compares raw
 * numbers; a test that does not apply to its field's type is refused
 * here, with the position of the condition in its script.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_int.h"
#include "i18n.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

#define EVAL_NEG_INF	INT64_MIN
#define EVAL_POS_INF	INT64_MAX

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
int64_t
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

/*
 * Turns an interval of a function's value (age, days since, days until)
 * into an interval of dates.
 */
void
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
int
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

void
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
		return cond_error(c, cause,
		    ngettext_("'%s' on field '%s' needs %zu value.",
		    "'%s' on field '%s' needs %zu values.", need),
		    cond_op_name(c->op), c->field, need);
	return 0;
}

static int
eval_bad_op(const struct cond *c, enum field_type ft, char **cause)
{
	if (c->func != CF_NONE)
		return cond_error(c, cause,
		    _("The operator '%s' does not apply to %s(%s) (a %s field)."),
		    cond_op_name(c->op), cond_func_name(c->func), c->field,
		    field_type_name(ft));
	return cond_error(c, cause,
	    _("The operator '%s' does not apply to the %s field '%s'."),
	    cond_op_name(c->op), field_type_name(ft), c->field);
}

static int
eval_bad_value(const struct cond *c, char **cause)
{
	return cond_error(c, cause,
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

/* Resolves the predicate's field and adds its column to those read. */
static int
eval_pred_column(struct eval_prog *p, struct eval_node *n,
    const struct cond *c, char **cause)
{
	int fi;

	fi = schema_field_index(p->schema, c->field);
	if (fi < 0)
		return cond_error(c, cause, _("There is no field '%s' in the "
		    "database '%s'."), c->field, p->schema->name);
	n->field = (uint16_t)fi;
	n->ft = p->schema->fields[fi].type;
	n->col = eval_use_column(p, n->field);
	return 0;
}

int
eval_use_column(struct eval_prog *p, uint16_t field)
{
	size_t i;

	for (i = 0; i < p->ncols; i++) {
		if (p->cols[i] == field)
			return (int)i;
	}
	p->cols = xreallocarray(p->cols, p->ncols + 1, sizeof *p->cols);
	p->cols[p->ncols++] = field;
	return (int)i;
}

/*
 * Strings and tags (other than length()): only the operator and the
 * kinds of the values are checked here, the test itself runs once per
 * dictionary entry of each chunk.
 */
static int
eval_compile_text(struct eval_node *n, const struct cond *c, char **cause)
{
	enum field_type ft = n->ft;
	size_t i;

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

/* Instants against instants: the exact integers, not their doubles. */
static void
eval_add_instants(struct eval_node *n, const struct cond *c)
{
	int64_t lo = c->values[0].i;
	size_t i;

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
			eval_add_ival(n, c->values[i].i, c->values[i].i);
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
}

/* Comparisons (=, <, between, in, ...) of numbers, dates and lengths. */
static int
eval_compile_cmp(struct eval_prog *p, struct eval_node *n,
    const struct cond *c, char **cause)
{
	struct eval_addctx a;
	double v[64], *vals = v;
	enum field_type ft = n->ft;
	size_t i;
	int dates, rc = -1;

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
		eval_add_instants(n, c);
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

static int
eval_compile_pred(struct eval_prog *p, struct eval_node *n,
    const struct cond *c, char **cause)
{
	enum field_type ft, rt;

	if (eval_pred_column(p, n, c, cause) != 0)
		return -1;
	ft = n->ft;

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
	if ((ft == FT_STRING || ft == FT_TAGS) && c->func != CF_LENGTH)
		return eval_compile_text(n, c, cause);

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
	return eval_compile_cmp(p, n, c, cause);
}

static int
eval_qstr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
eval_qint_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
eval_qstr_has(const struct eval_node *n, const char *s, size_t len)
{
	size_t lo = 0, hi = n->nqstr, mid, tl;
	const char *t;
	int d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		t = n->qstr[mid];
		tl = strlen(t);
		d = memcmp(s, t, len < tl ? len : tl);
		if (d == 0)
			d = (len > tl) - (len < tl);
		if (d == 0)
			return 1;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * The number a query value stands for, when the value is exactly the
 * field's canonical text of it ("42", not "042" or "42.0"; a date
 * YYYY-MM-DD): the field's text is what the query's values are compared
 * with.
 */
static int
eval_query_number(enum field_type ft, const char *s, int64_t *out)
{
	char buf[32];
	long long v;
	int32_t d;
	char *end;

	if (ft == FT_DATE) {
		if (tu_parse_date(s, strlen(s), &d) != 0 ||
		    strcmp(tu_format_date(d, buf), s) != 0)
			return -1;
		*out = d;
		return 0;
	}
	if (*s == '\0' || *s == ' ' || *s == '+')
		return -1;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -1;
	snprintf(buf, sizeof buf, "%lld", v);
	if (strcmp(buf, s) != 0)
		return -1;
	*out = v;
	return 0;
}

static int
eval_compile_in_query(struct eval_prog *p, const struct eval_env *env,
    struct eval_node *n, const struct cond *c, char **cause)
{
	const char *const *vals = NULL;
	size_t nvals = 0, i;
	int64_t x;

	if (c->func != CF_NONE)
		return cond_error(c, cause, _("'in query' tests a field's own "
		    "value, not %s(%s)."), cond_func_name(c->func), c->field);
	if (eval_pred_column(p, n, c, cause) != 0)
		return -1;
	if (env->query_values == NULL || env->query_values(env->qarg,
	    c->query, &vals, &nvals) != 0)
		return cond_error(c, cause, _("The values of the query \"%s\" "
		    "used by 'in query' are not available."), c->query);
	n->neg = c->op == CO_NOT_IN;
	n->empty_true = 0;
	n->nqvalues = nvals;
	switch (n->ft) {
	case FT_STRING:
	case FT_TAGS:
		n->ek = n->ft == FT_STRING ? EK_STR : EK_TAGS;
		n->qstr = xreallocarray(NULL, nvals + 1, sizeof *n->qstr);
		for (i = 0; i < nvals; i++)
			n->qstr[i] = vals[i];
		n->nqstr = nvals;
		qsort(n->qstr, nvals, sizeof *n->qstr, eval_qstr_cmp);
		return 0;
	case FT_INT:
	case FT_DATE:
		n->ek = n->ft == FT_INT ? EK_QI64 : EK_QI32;
		n->qint = xreallocarray(NULL, nvals + 1, sizeof *n->qint);
		for (i = 0; i < nvals; i++) {
			if (eval_query_number(n->ft, vals[i], &x) == 0)
				n->qint[n->nqint++] = x;
		}
		qsort(n->qint, n->nqint, sizeof *n->qint, eval_qint_cmp);
		return 0;
	default:
		return cond_error(c, cause, _("'in query' takes a string, int, "
		    "date or tags field, but '%s' is of type %s."), c->field,
		    field_type_name(n->ft));
	}
}

void
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
	free(n->qstr);
	free(n->qint);
	free(n);
}

struct eval_node *
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
			cond_error(c, cause, _("'not' needs exactly one "
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
			cond_error(c, cause, _("The segment \"%s\" used by "
			    "'in segment' does not exist."), c->segment);
			goto fail;
		}
		return n;
	case CK_PRED:
		if (eval_compile_pred(p, n, c, cause) != 0)
			goto fail;
		return n;
	case CK_EVENT:
		n->ek = EK_EVENT;
		if (eval_events_compile(p, env, n, cause) != 0)
			goto fail;
		return n;
	case CK_IN_QUERY:
		if (eval_compile_in_query(p, env, n, c, cause) != 0)
			goto fail;
		return n;
	}
	cond_error(c, cause, _("The condition tree is malformed."));
fail:
	eval_node_free(n);
	return NULL;
}

