/*
 * The condition tree compiled to one PostgreSQL statement (sqlgen.h,
 * doc/sql.md).  It must select exactly the profiles eval.c selects over
 * the same data, so every bound is computed here in C the way eval.c
 * computes it (eval_cmp_ivals, eval_func_to_dates, the same timezone
 * arithmetic) and bound as a parameter: the server's TimeZone, DateStyle
 * or collation never enter into it.  Every predicate yields true or false,
 * never NULL, so NOT keeps the two-valued logic of the conditions.
 *
 * Event tests become aggregates with FILTER clauses of one subquery over
 * the events table grouped by its key, LEFT JOINed to the profiles on the
 * key: one pass over the events, as eval's, and a join of two tables on
 * their distribution column, which Citus pushes down whole.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlgen_int.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

/* "name" with inner quotes doubled. */
void
sg_ident(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}

/* [schema.]table, each part quoted. */
static void
sg_table(struct strbuf *sb, const char *t)
{
	const char *dot = strchr(t, '.');
	char *s;

	if (dot == NULL) {
		sg_ident(sb, t);
		return;
	}
	s = xstrndup(t, (size_t)(dot - t));
	sg_ident(sb, s);
	free(s);
	sb_putc(sb, '.');
	sg_ident(sb, dot + 1);
}

/* Binds text (taken over) as the next parameter: "$n::cast". */
void
sg_param(struct sg *g, struct strbuf *sb, char *text, const char *cast)
{
	g->params = xreallocarray(g->params, g->nparams + 1,
	    sizeof *g->params);
	g->params[g->nparams++] = text;
	sb_printf(sb, "$%zu::%s", g->nparams, cast);
}

static void
sg_param_i(struct sg *g, struct strbuf *sb, int64_t v)
{
	sg_param(g, sb, xasprintf("%" PRId64, v), "bigint");
}

static char *
sg_text_of(enum sg_dom d, int64_t v)
{
	char buf[32];

	switch (d) {
	case SD_DATE:
		return xstrdup(tu_format_date((int32_t)v, buf));
	case SD_TIME:
		return xstrdup(tu_format_datetime(v, buf));
	default:
		return xasprintf("%" PRId64, v);
	}
}

static const char *
sg_cast_of(enum sg_dom d)
{
	return d == SD_DATE ? "date" : d == SD_TIME ? "timestamptz" :
	    "bigint";
}

/* ASCII lower case, as the conditions' case rules. */
static void
sg_lower(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

/* Characters of UTF-8 text. */
static size_t
sg_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	}
	return n;
}

/* An array literal of strings: {"a","b\"c"}. */
static char *
sg_array(const char *const *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	size_t i;

	sb_putc(&sb, '{');
	for (i = 0; i < n; i++) {
		sb_puts(&sb, i > 0 ? ",\"" : "\"");
		for (s = v[i]; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				sb_putc(&sb, '\\');
			sb_putc(&sb, *s);
		}
		sb_putc(&sb, '"');
	}
	sb_putc(&sb, '}');
	return sb_detach(&sb);
}

static char *
sg_value_array(const struct cond *c)
{
	const char **v;
	char *s;
	size_t i;

	v = xreallocarray(NULL, c->nvalues > 0 ? c->nvalues : 1, sizeof *v);
	for (i = 0; i < c->nvalues; i++)
		v[i] = c->values[i].s;
	s = sg_array(v, c->nvalues);
	free(v);
	return s;
}

/* The column a field reads, as SQL (timestamp columns read as UTC). */
int
sg_field(struct sg *g, const struct cond *c, int events, struct sg_col *col)
{
	const struct sql_source *src = g->src;
	struct strbuf sb = STRBUF_INIT;
	const char *name;
	int fi, naive;

	if (events && strcmp(c->field, "time") == 0) {
		name = src->events_time;
		naive = src->events_time_naive;
		col->ft = FT_DATETIME;
	} else if (events) {
		fi = schema_event_field_index(src->schema, c->field);
		if (fi < 0)
			return cond_error(c, g->cause, _("unknown event "
			    "property '%s'"), c->field);
		name = src->event_columns[fi];
		naive = src->event_naive != NULL && src->event_naive[fi];
		col->ft = src->schema->event_fields[fi].type;
	} else {
		fi = schema_field_index(src->schema, c->field);
		if (fi < 0)
			return cond_error(c, g->cause, _("There is no field "
			    "'%s' in the database '%s'."), c->field,
			    src->schema->name);
		name = src->columns[fi];
		naive = src->naive != NULL && src->naive[fi];
		col->ft = src->schema->fields[fi].type;
	}
	if (naive && col->ft == FT_DATETIME)
		sb_putc(&sb, '(');
	sb_puts(&sb, events ? "e." : "p.");
	sg_ident(&sb, name);
	if (naive && col->ft == FT_DATETIME)
		sb_puts(&sb, " AT TIME ZONE 'UTC')");
	col->x = sb_detach(&sb);
	return 0;
}

/* SQL true when a value is present (strings: non-empty; tags: any). */
static void
sg_present(struct strbuf *sb, const char *x, enum field_type ft)
{
	if (ft == FT_STRING)
		sb_printf(sb, "%s IS NOT NULL AND %s <> ''", x, x);
	else if (ft == FT_TAGS)
		sb_printf(sb, "%s IS NOT NULL AND cardinality(%s) > 0", x, x);
	else
		sb_printf(sb, "%s IS NOT NULL", x);
}

static void
sg_empty(struct strbuf *sb, const char *x, enum field_type ft)
{
	if (ft == FT_STRING)
		sb_printf(sb, "(%s IS NULL OR %s = '')", x, x);
	else if (ft == FT_TAGS)
		sb_printf(sb, "(%s IS NULL OR cardinality(%s) = 0)", x, x);
	else
		sb_printf(sb, "%s IS NULL", x);
}

void
sg_ivs_add(struct sg_ivs *v, int64_t lo, int64_t hi)
{
	if (lo > hi)
		return;		/* matches nothing */
	v->lo = xreallocarray(v->lo, v->n + 1, sizeof *v->lo);
	v->hi = xreallocarray(v->hi, v->n + 1, sizeof *v->hi);
	v->lo[v->n] = lo;
	v->hi[v->n] = hi;
	v->n++;
}

void
sg_ivs_free(struct sg_ivs *v)
{
	free(v->lo);
	free(v->hi);
	memset(v, 0, sizeof *v);
}

/*
 * Intervals of x as SQL, true or false and never NULL for a non-NULL x.
 * Instants [lo, hi] are written lo <= x < hi + 1s, so a fraction of a
 * second counts as its whole second, as the store keeps it.  Bounds past
 * what PostgreSQL reads as ISO dates (years 1 to 9999) are unbounded.
 */
void
sg_ivals(struct sg *g, struct strbuf *sb, const char *x, enum sg_dom d,
    const struct sg_ivs *v, int neg)
{
	struct strbuf arr = STRBUF_INIT;
	int64_t lo, hi, min = SG_NEG, max = SG_POS;
	size_t i, k = 0, single = 0;
	int first = 1;

	if (d == SD_DATE) {
		min = SG_PG_MIN_DAYS;
		max = TU_MAX_DAYS;
	} else if (d == SD_TIME) {
		min = SG_PG_MIN_SECS;
		max = TU_MAX_SECS - 1;	/* hi + 1 stays a year-9999 time */
	}
	if (neg)
		sb_puts(sb, "NOT ");
	for (i = 0; i < v->n; i++) {
		if (v->lo[i] <= max && v->hi[i] >= min)
			k++;
		if (v->lo[i] == v->hi[i] && v->lo[i] >= min &&
		    v->hi[i] <= max)
			single++;
	}
	if (k == 0) {
		sb_puts(sb, "false");
		return;
	}
	if (d != SD_TIME && single == v->n && single > 1) {
		sb_putc(&arr, '{');
		for (i = 0; i < v->n; i++) {
			char *s = sg_text_of(d, v->lo[i]);

			sb_printf(&arr, "%s%s", i > 0 ? "," : "", s);
			free(s);
		}
		sb_putc(&arr, '}');
		sb_printf(sb, "%s = ANY(", x);
		sg_param(g, sb, sb_detach(&arr), d == SD_DATE ? "date[]" :
		    "bigint[]");
		sb_putc(sb, ')');
		return;
	}
	if (k > 1 || neg)
		sb_putc(sb, '(');
	for (i = 0; i < v->n; i++) {
		if (v->lo[i] > max || v->hi[i] < min)
			continue;
		lo = v->lo[i] < min ? SG_NEG : v->lo[i];
		hi = v->hi[i] > max ? SG_POS : v->hi[i];
		if (!first)
			sb_puts(sb, " OR ");
		first = 0;
		if (lo == SG_NEG && hi == SG_POS) {
			sb_puts(sb, "true");
			continue;
		}
		if (d != SD_TIME && lo == hi) {
			sb_printf(sb, "%s = ", x);
			sg_param(g, sb, sg_text_of(d, lo), sg_cast_of(d));
			continue;
		}
		if (d == SD_TIME && lo != SG_NEG && hi != SG_POS) {
			if (k > 1)
				sb_putc(sb, '(');
			sb_printf(sb, "%s >= ", x);
			sg_param(g, sb, sg_text_of(d, lo), sg_cast_of(d));
			sb_printf(sb, " AND %s < ", x);
			sg_param(g, sb, sg_text_of(d, hi + 1), sg_cast_of(d));
			if (k > 1)
				sb_putc(sb, ')');
			continue;
		}
		if (lo == SG_NEG && d == SD_TIME) {
			sb_printf(sb, "%s < ", x);
			sg_param(g, sb, sg_text_of(d, hi + 1), sg_cast_of(d));
		} else if (lo == SG_NEG) {
			sb_printf(sb, "%s <= ", x);
			sg_param(g, sb, sg_text_of(d, hi), sg_cast_of(d));
		} else if (hi == SG_POS) {
			sb_printf(sb, "%s >= ", x);
			sg_param(g, sb, sg_text_of(d, lo), sg_cast_of(d));
		} else {
			sb_printf(sb, "%s BETWEEN ", x);
			sg_param(g, sb, sg_text_of(d, lo), sg_cast_of(d));
			sb_puts(sb, " AND ");
			sg_param(g, sb, sg_text_of(d, hi), sg_cast_of(d));
		}
	}
	if (k > 1 || neg)
		sb_putc(sb, ')');
}

/* A comparison of doubles, written as such (eval_add_float_cmp). */
void
sg_float(struct sg *g, struct strbuf *sb, const char *x, enum cond_op op,
    const double *v, size_t nv)
{
	struct strbuf arr = STRBUF_INIT;
	const char *o = "=";
	size_t i;

	switch (op) {
	case CO_IN:
	case CO_NOT_IN:
		sb_putc(&arr, '{');
		for (i = 0; i < nv; i++)
			sb_printf(&arr, "%s%.17g", i > 0 ? "," : "", v[i]);
		sb_putc(&arr, '}');
		sb_printf(sb, "%s %s(", x, op == CO_IN ? "= ANY" : "<> ALL");
		sg_param(g, sb, sb_detach(&arr), "float8[]");
		sb_putc(sb, ')');
		return;
	case CO_BETWEEN:
		sb_printf(sb, "%s BETWEEN ", x);
		sg_param(g, sb, xasprintf("%.17g", v[0]), "float8");
		sb_puts(sb, " AND ");
		sg_param(g, sb, xasprintf("%.17g", v[1]), "float8");
		return;
	case CO_NE:
		o = "<>";
		break;
	case CO_LT:
		o = "<";
		break;
	case CO_LE:
		o = "<=";
		break;
	case CO_GT:
		o = ">";
		break;
	case CO_GE:
		o = ">=";
		break;
	default:
		break;
	}
	sb_printf(sb, "%s %s ", x, o);
	sg_param(g, sb, xasprintf("%.17g", v[0]), "float8");
}

static int
sg_is_cmp(enum cond_op op)
{
	return op == CO_EQ || op == CO_NE || op == CO_LT || op == CO_LE ||
	    op == CO_GT || op == CO_GE || op == CO_BETWEEN || op == CO_IN ||
	    op == CO_NOT_IN;
}

static int
sg_bad_op(struct sg *g, const struct cond *c, enum field_type ft)
{
	if (c->func != CF_NONE)
		return cond_error(c, g->cause,
		    _("The operator '%s' does not apply to %s(%s) (a %s field)."),
		    cond_op_name(c->op), cond_func_name(c->func), c->field,
		    field_type_name(ft));
	return cond_error(c, g->cause,
	    _("The operator '%s' does not apply to the %s field '%s'."),
	    cond_op_name(c->op), field_type_name(ft), c->field);
}

static int
sg_bad_value(struct sg *g, const struct cond *c)
{
	return cond_error(c, g->cause,
	    _("A value of '%s' on field '%s' has the wrong type."),
	    cond_op_name(c->op), c->field);
}

/* The first instant of local date d (eval_compile.c's eval_day_start). */
static int64_t
sg_day_start(const struct sg *g, int64_t d)
{
	return tz_local_to_utc(g->tz, (int32_t)sg_clamp(d, SG_DATE_MIN,
	    SG_DATE_MAX), 0);
}

/* Local dates lo..hi of a date or datetime field (eval_add_dates). */
static void
sg_add_dates(const struct sg *g, struct sg_ivs *v, enum field_type ft,
    int64_t lo, int64_t hi)
{
	if (ft == FT_DATETIME) {
		if (lo > hi)
			return;
		sg_ivs_add(v, lo == SG_NEG || lo < SG_DATE_MIN ? SG_NEG :
		    sg_day_start(g, lo), hi == SG_POS || hi >= SG_DATE_MAX ?
		    SG_POS : sg_day_start(g, hi + 1) - 1);
		return;
	}
	sg_ivs_add(v, lo, hi);
}

/* Strings and tags (but length()). */
static int
sg_text(struct sg *g, struct strbuf *sb, const struct cond *c,
    const struct sg_col *col)
{
	const char *x = col->x;
	char *lx, *s;
	size_t i;

	for (i = 0; i < c->nvalues; i++) {
		if (c->values[i].kind != CV_STRING)
			return sg_bad_value(g, c);
	}
	if (col->ft == FT_TAGS) {
		if (c->op == CO_HAS_NONE) {
			sb_printf(sb, "(%s IS NULL OR cardinality(%s) = 0 OR "
			    "NOT (%s::text[] && ", x, x, x);
			sg_param(g, sb, sg_value_array(c), "text[]");
			sb_puts(sb, "))");
			return 0;
		}
		sb_putc(sb, '(');
		sg_present(sb, x, FT_TAGS);
		sb_puts(sb, " AND ");
		if (c->op == CO_HAS && c->nvalues == 1) {
			sg_param(g, sb, xstrdup(c->values[0].s), "text");
			sb_printf(sb, " = ANY(%s::text[]))", x);
			return 0;
		}
		if (c->op == CO_HAS || c->op == CO_HAS_ANY)
			sb_printf(sb, "%s::text[] && ", x);
		else if (c->op == CO_HAS_ALL)
			sb_printf(sb, "%s::text[] @> ", x);
		else
			return sg_bad_op(g, c, FT_TAGS);
		sg_param(g, sb, sg_value_array(c), "text[]");
		sb_putc(sb, ')');
		return 0;
	}
	if (c->op == CO_HAS || c->op == CO_HAS_ANY || c->op == CO_HAS_ALL ||
	    c->op == CO_HAS_NONE || !(sg_is_cmp(c->op) ||
	    c->op == CO_CONTAINS || c->op == CO_NOT_CONTAINS ||
	    c->op == CO_STARTS_WITH || c->op == CO_ENDS_WITH))
		return sg_bad_op(g, c, FT_STRING);
	/* ASCII case only: lower() under "C" leaves other letters alone. */
	lx = xasprintf("lower(%s COLLATE \"C\")", x);
	sb_putc(sb, '(');
	sg_present(sb, x, FT_STRING);
	sb_puts(sb, " AND ");
	switch (c->op) {
	case CO_EQ:
	case CO_NE:
		sb_printf(sb, "%s %s ", c->func == CF_LOWER ? lx : x,
		    c->op == CO_EQ ? "=" : "<>");
		sg_param(g, sb, xstrdup(c->values[0].s), "text");
		break;
	case CO_IN:
	case CO_NOT_IN:
		sb_printf(sb, "%s %s(", c->func == CF_LOWER ? lx : x,
		    c->op == CO_IN ? "= ANY" : "<> ALL");
		sg_param(g, sb, sg_value_array(c), "text[]");
		sb_putc(sb, ')');
		break;
	case CO_LT:
	case CO_LE:
	case CO_GT:
	case CO_GE:
	case CO_BETWEEN:
		/* Byte order, as the store compares. */
		if (c->func == CF_LOWER)
			sb_puts(sb, lx);
		else
			sb_printf(sb, "%s COLLATE \"C\"", x);
		sb_printf(sb, " %s ", c->op == CO_LT ? "<" : c->op == CO_LE ?
		    "<=" : c->op == CO_GT ? ">" : c->op == CO_GE ? ">=" :
		    "BETWEEN");
		sg_param(g, sb, xstrdup(c->values[0].s), "text");
		if (c->op == CO_BETWEEN) {
			sb_puts(sb, " AND ");
			sg_param(g, sb, xstrdup(c->values[1].s), "text");
		}
		break;
	case CO_CONTAINS:
	case CO_NOT_CONTAINS:
		s = xstrdup(c->values[0].s);
		sg_lower(s);
		sb_printf(sb, "strpos(%s, ", lx);
		sg_param(g, sb, s, "text");
		sb_printf(sb, ") %s 0", c->op == CO_CONTAINS ? ">" : "=");
		break;
	case CO_STARTS_WITH:
		s = xstrdup(c->values[0].s);
		sg_lower(s);
		sb_printf(sb, "starts_with(%s, ", lx);
		sg_param(g, sb, s, "text");
		sb_putc(sb, ')');
		break;
	default:	/* CO_ENDS_WITH */
		s = xstrdup(c->values[0].s);
		sg_lower(s);
		sb_printf(sb, "right(%s, ", lx);
		sg_param(g, sb, xasprintf("%zu", sg_utf8_len(s)), "integer");
		sb_puts(sb, ") = ");
		sg_param(g, sb, s, "text");
		break;
	}
	sb_putc(sb, ')');
	free(lx);
	return 0;
}

/* Relative and calendar tests (eval_compile_when). */
static int
sg_when(struct sg *g, struct strbuf *sb, const struct cond *c,
    const struct sg_col *col)
{
	struct sg_ivs v = { NULL, NULL, 0 };
	int64_t k, secs;
	int32_t d;
	int dt = col->ft == FT_DATETIME;

	if (c->op == CO_BEFORE || c->op == CO_AFTER || c->op == CO_ON) {
		if (c->values[0].kind == CV_DATE)
			d = c->values[0].date;
		else if (c->values[0].kind == CV_DATETIME)
			d = tz_local_date(g->tz, c->values[0].i);
		else
			return sg_bad_value(g, c);
		if (c->op == CO_BEFORE)
			sg_add_dates(g, &v, col->ft, SG_NEG, (int64_t)d - 1);
		else if (c->op == CO_AFTER)
			sg_add_dates(g, &v, col->ft, (int64_t)d + 1, SG_POS);
		else
			sg_add_dates(g, &v, col->ft, d, d);
	} else {
		if (c->values[0].kind != CV_INT)
			return sg_bad_value(g, c);
		k = sg_clamp(c->values[0].i, -SG_DATE_MAX, SG_DATE_MAX);
		secs = c->op == CO_WITHIN_LAST_HOURS ? k * 3600 : k * 86400;
		switch (c->op) {
		case CO_WITHIN_LAST_DAYS:
			if (dt)
				sg_ivs_add(&v, g->now - secs, g->now);
			else
				sg_ivs_add(&v, g->today - k, g->today);
			break;
		case CO_WITHIN_LAST_HOURS:
			if (dt)
				sg_ivs_add(&v, g->now - secs, g->now);
			else
				sg_ivs_add(&v, tz_local_date(g->tz,
				    g->now - secs), g->today);
			break;
		case CO_WITHIN_NEXT_DAYS:
			if (dt)
				sg_ivs_add(&v, g->now, g->now + secs);
			else
				sg_ivs_add(&v, g->today, g->today + k);
			break;
		default:	/* CO_MORE_THAN_DAYS_AGO */
			if (dt)
				sg_ivs_add(&v, SG_NEG, g->now - secs - 1);
			else
				sg_ivs_add(&v, SG_NEG, g->today - k - 1);
			break;
		}
	}
	sb_putc(sb, '(');
	sg_present(sb, col->x, col->ft);
	sb_puts(sb, " AND ");
	sg_ivals(g, sb, col->x, dt ? SD_TIME : SD_DATE, &v, 0);
	sb_putc(sb, ')');
	sg_ivs_free(&v);
	return 0;
}

struct sg_addctx {
	const struct sg	*g;
	struct sg_ivs	*v;
	enum field_type	 ft;
	enum cond_func	 func;
	int		 dates;
};

static void
sg_add_cb(void *arg, int64_t lo, int64_t hi)
{
	struct sg_addctx *a = arg;
	int64_t dlo, dhi;

	if (lo > hi)
		return;
	if (a->func == CF_AGE || a->func == CF_DAYS_SINCE ||
	    a->func == CF_DAYS_UNTIL) {
		eval_func_to_dates(a->func, a->g->today, lo, hi, &dlo, &dhi);
		sg_add_dates(a->g, a->v, a->ft, dlo, dhi);
	} else if (a->dates)
		sg_add_dates(a->g, a->v, a->ft, lo, hi);
	else
		sg_ivs_add(a->v, lo, hi);
}

/* Comparisons of numbers, dates, booleans and lengths (eval_compile_cmp). */
static int
sg_cmp(struct sg *g, struct strbuf *sb, const struct cond *c,
    const struct sg_col *col)
{
	struct sg_ivs v = { NULL, NULL, 0 };
	struct sg_addctx a;
	enum field_type ft = col->ft;
	double *vals;
	char *x;
	size_t i;
	int dates, neg = 0, ok[2];

	vals = xreallocarray(NULL, c->nvalues, sizeof *vals);
	dates = c->func == CF_NONE && (ft == FT_DATE || (ft == FT_DATETIME &&
	    c->values[0].kind == CV_DATE));
	for (i = 0; i < c->nvalues; i++) {
		const struct cond_value *cv = &c->values[i];

		if (ft == FT_DATETIME && !dates && c->func == CF_NONE) {
			if (cv->kind != CV_DATETIME)
				goto bad;
			continue;
		}
		if (ft == FT_BOOL && cv->kind != CV_BOOL && cv->kind != CV_INT)
			goto bad;
		if (dates && cv->kind == CV_DATE)
			vals[i] = cv->date;
		else if (dates && cv->kind == CV_DATETIME)
			vals[i] = tz_local_date(g->tz, cv->i);
		else if (!dates && (cv->kind == CV_INT || cv->kind == CV_BOOL))
			vals[i] = (double)cv->i;
		else if (!dates && cv->kind == CV_FLOAT)
			vals[i] = cv->f;
		else
			goto bad;
	}
	sb_putc(sb, '(');
	sg_present(sb, col->x, ft);
	sb_puts(sb, " AND ");
	if (ft == FT_FLOAT) {
		sg_float(g, sb, col->x, c->op, vals, c->nvalues);
		goto done;
	}
	if (ft == FT_DATETIME && !dates && c->func == CF_NONE) {
		/* Instants against instants: the exact integers. */
		int64_t lo = c->values[0].i;

		switch (c->op) {
		case CO_EQ:
		case CO_NE:
			neg = c->op == CO_NE;
			sg_ivs_add(&v, lo, lo);
			break;
		case CO_IN:
		case CO_NOT_IN:
			neg = c->op == CO_NOT_IN;
			for (i = 0; i < c->nvalues; i++)
				sg_ivs_add(&v, c->values[i].i,
				    c->values[i].i);
			break;
		case CO_LT:
			sg_ivs_add(&v, SG_NEG, lo - 1);
			break;
		case CO_LE:
			sg_ivs_add(&v, SG_NEG, lo);
			break;
		case CO_GT:
			sg_ivs_add(&v, lo + 1, SG_POS);
			break;
		case CO_GE:
			sg_ivs_add(&v, lo, SG_POS);
			break;
		default:
			sg_ivs_add(&v, lo, c->values[1].i);
			break;
		}
		sg_ivals(g, sb, col->x, SD_TIME, &v, neg);
		goto done;
	}
	a.g = g;
	a.v = &v;
	a.ft = ft;
	a.func = c->func;
	a.dates = dates;
	eval_cmp_ivals(c->op, vals, c->nvalues, sg_add_cb, &a, &neg);
	if (ft == FT_BOOL) {
		ok[0] = ok[1] = 0;
		for (i = 0; i < v.n; i++) {
			ok[0] |= v.lo[i] <= 0 && v.hi[i] >= 0;
			ok[1] |= v.lo[i] <= 1 && v.hi[i] >= 1;
		}
		ok[0] ^= neg;
		ok[1] ^= neg;
		if (ok[0] && ok[1])
			sb_puts(sb, "true");
		else if (ok[0] || ok[1])
			sb_printf(sb, "%s IS %s", col->x, ok[1] ? "TRUE" :
			    "FALSE");
		else
			sb_puts(sb, "false");
		goto done;
	}
	if (c->func == CF_LENGTH) {
		x = xasprintf(ft == FT_STRING ? "char_length(%s)" :
		    "cardinality(%s)", col->x);
		sg_ivals(g, sb, x, SD_INT, &v, neg);
		free(x);
	} else
		sg_ivals(g, sb, col->x, ft == FT_DATE ? SD_DATE :
		    ft == FT_DATETIME ? SD_TIME : SD_INT, &v, neg);
done:
	sb_putc(sb, ')');
	sg_ivs_free(&v);
	free(vals);
	return 0;
bad:
	free(vals);
	return sg_bad_value(g, c);
}

static int
sg_pred(struct sg *g, struct strbuf *sb, const struct cond *c, int events)
{
	struct sg_col col;
	enum field_type rt;
	size_t need = c->op == CO_BETWEEN ? 2 : 1;
	int rc = -1;

	if (sg_field(g, c, events, &col) != 0)
		return -1;
	if (c->op == CO_IS_EMPTY) {
		sg_empty(sb, col.x, col.ft);
		rc = 0;
		goto out;
	}
	if (c->op == CO_IS_NOT_EMPTY) {
		sb_putc(sb, '(');
		sg_present(sb, col.x, col.ft);
		sb_putc(sb, ')');
		rc = 0;
		goto out;
	}
	if (c->op != CO_IS_TRUE && c->op != CO_IS_FALSE &&
	    c->nvalues < need) {
		cond_error(c, g->cause, ngettext_("'%s' on field '%s' needs "
		    "%zu value.", "'%s' on field '%s' needs %zu values.", need),
		    cond_op_name(c->op), c->field, need);
		goto out;
	}
	if (cond_func_type(col.ft, c->func, &rt) != 0) {
		sg_bad_op(g, c, col.ft);
		goto out;
	}
	if ((col.ft == FT_STRING || col.ft == FT_TAGS) &&
	    c->func != CF_LENGTH) {
		rc = sg_text(g, sb, c, &col);
		goto out;
	}
	if (col.ft == FT_BOOL && (c->op == CO_IS_TRUE ||
	    c->op == CO_IS_FALSE)) {
		sb_printf(sb, "%s IS %s", col.x, c->op == CO_IS_TRUE ?
		    "TRUE" : "FALSE");
		rc = 0;
		goto out;
	}
	if (c->op == CO_WITHIN_LAST_DAYS || c->op == CO_WITHIN_LAST_HOURS ||
	    c->op == CO_WITHIN_NEXT_DAYS || c->op == CO_MORE_THAN_DAYS_AGO ||
	    c->op == CO_BEFORE || c->op == CO_AFTER || c->op == CO_ON) {
		if ((col.ft != FT_DATE && col.ft != FT_DATETIME) ||
		    c->func != CF_NONE)
			sg_bad_op(g, c, col.ft);
		else
			rc = sg_when(g, sb, c, &col);
		goto out;
	}
	if (!sg_is_cmp(c->op)) {
		sg_bad_op(g, c, col.ft);
		goto out;
	}
	rc = sg_cmp(g, sb, c, &col);
out:
	free(col.x);
	return rc;
}

static int
sg_segment_test(struct sg *g, struct strbuf *sb, const struct cond *c)
{
	const char *const *keys = NULL;
	char *cause = NULL;
	size_t n = 0;

	if (g->env->segment_keys == NULL ||
	    g->env->segment_keys(g->env->arg, c->segment, &keys, &n,
	    &cause) != 0) {
		if (cause != NULL) {
			error_set(g->cause, "%s", cause);
			free(cause);
			return -1;
		}
		return cond_error(c, g->cause, _("The segment \"%s\" used by "
		    "'in segment' does not exist."), c->segment);
	}
	sb_puts(sb, "p.");
	sg_ident(sb, g->src->key_column);
	sb_puts(sb, " = ANY(");
	sg_param(g, sb, sg_array(keys, n), "text[]");
	sb_putc(sb, ')');
	return 0;
}

/*
 * FIELD [not] in query "Q": the query's values, fetched by the caller, go
 * in as one text[] parameter, like the members of "in segment".  The
 * column is compared in the text form the store compares (plain decimal
 * ints, YYYY-MM-DD dates), and an empty value is in no set and not in
 * none, as for "in (...)".
 */
static int
sg_query_test(struct sg *g, struct strbuf *sb, const struct cond *c)
{
	const char *const *v = NULL;
	struct sg_col col;
	size_t n = 0;
	int neg = c->op == CO_NOT_IN;

	if (g->env->query_values == NULL ||
	    g->env->query_values(g->env->qarg, c->query, &v, &n) != 0)
		return cond_error(c, g->cause, _("unknown query '%s'"),
		    c->query);
	if (sg_field(g, c, 0, &col) != 0)
		return -1;
	sb_putc(sb, '(');
	sg_present(sb, col.x, col.ft);
	sb_puts(sb, neg ? " AND NOT " : " AND ");
	switch (col.ft) {
	case FT_TAGS:
		sb_printf(sb, "%s && ", col.x);
		break;
	case FT_INT:
		sb_printf(sb, "%s::text = ANY(", col.x);
		break;
	case FT_DATE:
		sb_printf(sb, "to_char(%s, 'YYYY-MM-DD') = ANY(", col.x);
		break;
	case FT_STRING:
		sb_printf(sb, "%s = ANY(", col.x);
		break;
	default:
		free(col.x);
		return cond_error(c, g->cause, _("'in query' tests string, "
		    "int, date and tags fields; '%s' is a %s field"), c->field,
		    field_type_name(col.ft));
	}
	sg_param(g, sb, sg_array(v, n), "text[]");
	if (col.ft != FT_TAGS)
		sb_putc(sb, ')');
	sb_putc(sb, ')');
	free(col.x);
	return 0;
}

int
sg_node(struct sg *g, struct strbuf *sb, const struct cond *c, int events)
{
	size_t i, start = sb->len, slot = 0;
	int rc = 0;

	/* sqlgen_why: the profile's nodes, not those of a where. */
	if (g->record && !events) {
		slot = g->nnodes++;
		g->nodes = xreallocarray(g->nodes, g->nnodes,
		    sizeof *g->nodes);
		g->nodes[slot] = NULL;
	}
	switch (c->kind) {
	case CK_AND:
	case CK_OR:
		if (c->nkids == 0) {
			sb_puts(sb, c->kind == CK_AND ? "true" : "false");
			break;
		}
		sb_putc(sb, '(');
		for (i = 0; i < c->nkids && rc == 0; i++) {
			if (i > 0)
				sb_puts(sb, c->kind == CK_AND ? " AND " :
				    " OR ");
			rc = sg_node(g, sb, c->kids[i], events);
		}
		sb_putc(sb, ')');
		break;
	case CK_NOT:
		if (c->nkids != 1)
			return cond_error(c, g->cause, _("'not' needs exactly "
			    "one condition."));
		sb_puts(sb, "NOT ");
		rc = sg_node(g, sb, c->kids[0], events);
		break;
	case CK_PRED:
		rc = sg_pred(g, sb, c, events);
		break;
	case CK_IN_SEGMENT:
		if (events)
			return cond_error(c, g->cause, "%s", _("'in segment' "
			    "cannot be used inside 'where': it tests the "
			    "profile, not one event"));
		rc = sg_segment_test(g, sb, c);
		break;
	case CK_IN_QUERY:
		if (events)
			return cond_error(c, g->cause, "%s", _("'in query' "
			    "cannot "
			    "be used inside 'where': it tests the profile, not "
			    "one event"));
		rc = sg_query_test(g, sb, c);
		break;
	case CK_EVENT:
		if (events)
			return cond_error(c, g->cause, _("'%s' cannot be used "
			    "inside 'where': it tests the profile's events, "
			    "'where' tests one event"),
			    cond_evtest_name(c->evtest));
		rc = sg_event(g, sb, c);
		break;
	default:
		return cond_error(c, g->cause, _("The condition tree is "
		    "malformed."));
	}
	if (rc == 0 && g->record && !events)
		g->nodes[slot] = xstrndup(sb->buf + start, sb->len - start);
	return rc;
}

static int
sg_init(struct sg *g, const struct sql_source *src, const struct sql_env *env,
    char **cause)
{
	memset(g, 0, sizeof *g);
	g->src = src;
	g->env = env;
	g->cause = cause;
	g->tz = tz_open(env->tz, cause);
	if (g->tz == NULL)
		return -1;
	g->now = env->now;
	g->today = tz_local_date(g->tz, env->now);
	return 0;
}

static void
sg_done(struct sg *g)
{
	size_t i;

	for (i = 0; i < g->nparams; i++)
		free(g->params[i]);
	free(g->params);
	for (i = 0; i < g->nnames; i++)
		free(g->names[i]);
	free(g->names);
	for (i = 0; i < g->nnodes; i++)
		free(g->nodes[i]);
	free(g->nodes);
	free(g->evnodes);
	sb_free(&g->aggs);
	if (g->tz != NULL)
		tz_close(g->tz);
}

/* FROM the profiles [LEFT JOIN the events' aggregates]. */
static void
sg_from(struct sg *g, struct strbuf *sb, int why)
{
	const struct sql_source *src = g->src;

	sb_puts(sb, "\nFROM ");
	sg_table(sb, src->table);
	sb_puts(sb, " AS p");
	if (g->nev == 0)
		return;
	sb_puts(sb, "\nLEFT JOIN (SELECT e.");
	sg_ident(sb, src->events_key);
	sb_printf(sb, " AS k%s\n  FROM ", g->aggs.buf);
	sg_table(sb, src->events_table);
	sb_puts(sb, " AS e\n  WHERE e.");
	sg_ident(sb, src->events_name);
	sb_puts(sb, " = ANY(");
	sg_param(g, sb, sg_array((const char *const *)g->names, g->nnames),
	    "text[]");
	sb_putc(sb, ')');
	if (why) {
		sb_puts(sb, " AND e.");
		sg_ident(sb, src->events_key);
		sb_puts(sb, " = $1::text");
	}
	sb_puts(sb, "\n  GROUP BY e.");
	sg_ident(sb, src->events_key);
	sb_puts(sb, ") AS ev ON ev.k = p.");
	sg_ident(sb, src->key_column);
}

static void
sg_take(struct sg *g, struct sql_stmt *out, struct strbuf *sb)
{
	out->text = sb_detach(sb);
	out->params = g->params;
	out->nparams = g->nparams;
	g->params = NULL;
	g->nparams = 0;
}

int
sqlgen_segment(const struct sql_source *src, const struct eval_query *q,
    const struct sql_env *env, struct sql_stmt *out, char **cause)
{
	struct strbuf sb = STRBUF_INIT, where = STRBUF_INIT;
	struct sg g;
	int full, fi, has_where = 0, rc = -1;

	memset(out, 0, sizeof *out);
	if (q->range_lo > q->range_hi || q->range_hi > 10000)
		return error_set(cause, _("The range %u-%u is invalid."),
		    q->range_lo, q->range_hi);
	if (sg_init(&g, src, env, cause) != 0)
		return -1;
	full = q->range_lo == 0 && q->range_hi == 10000;
	if (q->cond != NULL && !(q->cond->kind == CK_AND &&
	    q->cond->nkids == 0)) {
		if (sg_node(&g, &where, q->cond, 0) != 0)
			goto out;
		has_where = 1;
	}
	sb_puts(&sb, "SELECT p.");
	sg_ident(&sb, src->key_column);
	sg_from(&g, &sb, 0);
	if (has_where)
		sb_printf(&sb, "\nWHERE %s", where.buf);
	out->range_in_sql = full || env->bucket_in_sql;
	if (!full && env->bucket_in_sql) {
		sb_puts(&sb, has_where ? "\n  AND " : "\nWHERE ");
		sb_puts(&sb, "reseg_bucket(p.");
		sg_ident(&sb, src->key_column);
		sb_puts(&sb, ") >= ");
		sg_param(&g, &sb, xasprintf("%u", q->range_lo), "integer");
		sb_puts(&sb, " AND reseg_bucket(p.");
		sg_ident(&sb, src->key_column);
		sb_puts(&sb, ") < ");
		sg_param(&g, &sb, xasprintf("%u", q->range_hi), "integer");
	}
	if (q->limit >= 0) {
		/* Rows without an order value come last, then by key. */
		sb_puts(&sb, "\nORDER BY ");
		if (src->order_column != NULL &&
		    strcmp(src->order_column, src->key_column) != 0) {
			sb_puts(&sb, "p.");
			sg_ident(&sb, src->order_column);
			for (fi = 0; fi < src->schema->nfields; fi++) {
				if (strcmp(src->columns[fi],
				    src->order_column) == 0)
					break;
			}
			if (fi < src->schema->nfields &&
			    src->schema->fields[fi].type == FT_STRING)
				sb_puts(&sb, " COLLATE \"C\"");
			sb_puts(&sb, " NULLS LAST, ");
		}
		sb_puts(&sb, "p.");
		sg_ident(&sb, src->key_column);
		sb_puts(&sb, " COLLATE \"C\"");
		if (out->range_in_sql) {
			sb_puts(&sb, "\nLIMIT ");
			sg_param_i(&g, &sb, q->limit);
		}
	}
	sg_take(&g, out, &sb);
	rc = 0;
out:
	sb_free(&sb);
	sb_free(&where);
	sg_done(&g);
	return rc;
}

int
sqlgen_why(const struct sql_source *src, const struct cond *cond,
    const struct sql_env *env, struct sql_stmt *out, char **cause)
{
	struct strbuf sb = STRBUF_INIT, where = STRBUF_INIT;
	struct sg g;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (sg_init(&g, src, env, cause) != 0)
		return -1;
	/* $1 is the key. */
	g.params = xreallocarray(NULL, 1, sizeof *g.params);
	g.params[0] = NULL;
	g.nparams = 1;
	g.record = 1;
	if (cond != NULL && sg_node(&g, &where, cond, 0) != 0)
		goto out;
	sb_puts(&sb, "SELECT");
	for (i = 0; i < g.nnodes; i++)
		sb_printf(&sb, "%s\n  %s", i > 0 ? "," : "", g.nodes[i]);
	sg_from(&g, &sb, 1);
	sb_puts(&sb, "\nWHERE p.");
	sg_ident(&sb, src->key_column);
	sb_puts(&sb, " = $1::text");
	sg_take(&g, out, &sb);
	rc = 0;
out:
	sb_free(&sb);
	sb_free(&where);
	sg_done(&g);
	return rc;
}

/* A parameter as a SQL literal, for reading (and pasting into psql). */
static void
sg_literal(struct strbuf *sb, const char *s)
{
	const char *p;
	int esc = 0;

	if (s == NULL) {
		sb_puts(sb, "NULL");
		return;
	}
	for (p = s; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			esc = 1;
	}
	sb_puts(sb, esc ? "E'" : "'");
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			sb_puts(sb, "''");
		else if (esc && *p == '\\')
			sb_puts(sb, "\\\\");
		else if (esc && *p == '\n')
			sb_puts(sb, "\\n");
		else if (esc && *p == '\t')
			sb_puts(sb, "\\t");
		else if (esc && ((unsigned char)*p < 0x20 || *p == 0x7f))
			sb_printf(sb, "\\x%02x", (unsigned char)*p);
		else
			sb_putc(sb, *p);
	}
	sb_putc(sb, '\'');
}

char *
sqlgen_format(const struct sql_stmt *st)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	sb_printf(&sb, "%s;\n", st->text != NULL ? st->text : "");
	for (i = 0; i < st->nparams; i++) {
		sb_printf(&sb, "-- $%zu = ", i + 1);
		sg_literal(&sb, st->params[i]);
		sb_putc(&sb, '\n');
	}
	return sb_detach(&sb);
}

void
sqlgen_stmt_free(struct sql_stmt *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nparams; i++)
		free(st->params[i]);
	free(st->params);
	free(st->text);
	memset(st, 0, sizeof *st);
}
