/*
 * Type checking of condition trees against a database schema, and the
 * operator table the form editor offers (doc/conditions.md).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

#define B(op) (UINT32_C(1) << (op))
#define OPS_CMP (B(CO_EQ) | B(CO_NE) | B(CO_LT) | B(CO_LE) | B(CO_GT) | \
	B(CO_GE) | B(CO_BETWEEN))
#define OPS_EMPTY (B(CO_IS_EMPTY) | B(CO_IS_NOT_EMPTY))
#define OPS_DATE (OPS_CMP | OPS_EMPTY | B(CO_WITHIN_LAST_DAYS) | \
	B(CO_WITHIN_NEXT_DAYS) | B(CO_MORE_THAN_DAYS_AGO) | B(CO_BEFORE) | \
	B(CO_AFTER) | B(CO_ON))

/* The operators of each (result) type, as bits of enum cond_op. */
static const uint32_t cond_type_ops[FT_COUNT] = {
	[FT_STRING] = B(CO_EQ) | B(CO_NE) | B(CO_IN) | B(CO_NOT_IN) |
	    B(CO_CONTAINS) | B(CO_NOT_CONTAINS) | B(CO_STARTS_WITH) |
	    B(CO_ENDS_WITH) | OPS_EMPTY,
	[FT_INT] = OPS_CMP | B(CO_IN) | B(CO_NOT_IN) | OPS_EMPTY,
	[FT_FLOAT] = OPS_CMP | B(CO_IN) | B(CO_NOT_IN) | OPS_EMPTY,
	[FT_BOOL] = B(CO_EQ) | B(CO_NE) | OPS_EMPTY | B(CO_IS_TRUE) |
	    B(CO_IS_FALSE),
	[FT_DATE] = OPS_DATE,
	[FT_DATETIME] = OPS_DATE | B(CO_WITHIN_LAST_HOURS),
	[FT_TAGS] = OPS_EMPTY | B(CO_HAS) | B(CO_HAS_ANY) | B(CO_HAS_ALL) |
	    B(CO_HAS_NONE),
};

int
cond_func_type(enum field_type ft, enum cond_func f, enum field_type *out)
{
	switch (f) {
	case CF_NONE:
		*out = ft;
		return 0;
	case CF_AGE:
	case CF_DAYS_SINCE:
	case CF_DAYS_UNTIL:
		if (ft != FT_DATE && ft != FT_DATETIME)
			return -1;
		*out = FT_INT;
		return 0;
	case CF_LENGTH:
		if (ft != FT_STRING && ft != FT_TAGS)
			return -1;
		*out = FT_INT;
		return 0;
	case CF_LOWER:
		if (ft != FT_STRING)
			return -1;
		*out = FT_STRING;
		return 0;
	}
	return -1;
}

size_t
cond_ops_for(enum field_type ft, enum cond_func f, enum cond_op *out)
{
	enum field_type rt;
	size_t n = 0;
	int op;

	if ((unsigned)ft >= FT_COUNT || cond_func_type(ft, f, &rt) != 0)
		return 0;
	for (op = 0; op < CO_COUNT; op++)
		if (cond_type_ops[rt] & B(op))
			out[n++] = (enum cond_op)op;
	return n;
}

int
cond_op_valid(enum field_type ft, enum cond_func f, enum cond_op op)
{
	enum field_type rt;

	if ((unsigned)ft >= FT_COUNT || (unsigned)op >= CO_COUNT ||
	    cond_func_type(ft, f, &rt) != 0)
		return 0;
	return (cond_type_ops[rt] & B(op)) != 0;
}

static int
cond_check_fail(const struct cond *c, char **cause, char *msg)
{
	if (c->line > 0)
		error_set(cause, _("line %d, column %d: %s"), c->line,
		    c->column, msg);
	else
		error_set(cause, "%s", msg);
	free(msg);
	return -1;
}

/*
 * "int field 'orders_count'", "float property 'amount'" (in an event
 * test's where) or "age(birth_date)".
 */
static char *
cond_operand_desc(const struct cond *c, enum field_type ft, int where)
{
	if (c->func != CF_NONE)
		return xasprintf("%s(%s)", cond_func_name(c->func), c->field);
	if (where)
		return xasprintf(_("%s property '%s'"), field_type_name(ft),
		    c->field);
	return xasprintf(_("%s field '%s'"), field_type_name(ft), c->field);
}

static int
cond_value_fits(enum field_type rt, const struct cond_value *v)
{
	switch (rt) {
	case FT_STRING:
	case FT_TAGS:
		return v->kind == CV_STRING;
	case FT_INT:
		return v->kind == CV_INT;
	case FT_FLOAT:
		return v->kind == CV_INT || v->kind == CV_FLOAT;
	case FT_BOOL:
		return v->kind == CV_BOOL;
	case FT_DATE:
	case FT_DATETIME:
		return v->kind == CV_DATE || v->kind == CV_DATETIME;
	}
	return 0;
}

static char *
cond_value_desc(const struct cond_value *v)
{
	char *lit, *s;

	lit = cond_value_print(v);
	switch (v->kind) {
	case CV_STRING:
		s = xasprintf(_("string %s"), lit);
		break;
	case CV_INT:
		s = xasprintf(_("integer %s"), lit);
		break;
	case CV_FLOAT:
		s = xasprintf(_("number %s"), lit);
		break;
	case CV_DATE:
		s = xasprintf(_("date %s"), lit);
		break;
	case CV_DATETIME:
		s = xasprintf(_("date-time %s"), lit);
		break;
	default:
		return lit;
	}
	free(lit);
	return s;
}

static int
cond_check_value(const struct cond *c, enum field_type ft, enum field_type rt,
    int where, const struct cond_value *v, char **cause)
{
	static const char *expected[FT_COUNT] = {
		N_("a string"), N_("an integer"), N_("a number"),
		N_("true or false"), N_("a date or date-time"),
		N_("a date or date-time"), N_("a string")
	};
	char *operand, *found, *msg;
	int32_t d;
	int64_t dt;
	const char *hint = "";

	if (cond_value_fits(rt, v))
		return 0;
	if ((rt == FT_DATE || rt == FT_DATETIME) && v->kind == CV_STRING &&
	    (tu_parse_date(v->s, strlen(v->s), &d) == 0 ||
	    tu_parse_datetime(v->s, strlen(v->s), 1, &dt) == 0))
		hint = _(" (write dates without quotes)");
	else if (rt == FT_BOOL && v->kind == CV_STRING &&
	    (strcmp(v->s, "true") == 0 || strcmp(v->s, "false") == 0))
		hint = _(" (write true and false without quotes)");
	operand = cond_operand_desc(c, ft, where);
	found = cond_value_desc(v);
	msg = xasprintf(_("expected %s for %s, found %s%s"),
	    _(expected[rt]), operand, found, hint);
	free(found);
	free(operand);
	return cond_check_fail(c, cause, msg);
}

/*
 * where: c is in an event test's where, and s is the event view of the
 * schema (cond_event_view): `time` and the event properties.
 */
static int
cond_check_pred(const struct cond *c, const struct pdb_schema *s, int where,
    char **cause)
{
	static const char *func_takes[] = {
		[CF_AGE] = N_("a date or datetime"),
		[CF_DAYS_SINCE] = N_("a date or datetime"),
		[CF_DAYS_UNTIL] = N_("a date or datetime"),
		[CF_LENGTH] = N_("a string or tags"),
		[CF_LOWER] = N_("a string"),
	};
	enum field_type ft, rt;
	char *msg = NULL, *operand;
	size_t i;
	int idx;

	idx = s != NULL && c->field != NULL ? schema_field_index(s, c->field) :
	    -1;
	if (idx < 0 && where)
		return cond_check_fail(c, cause, xasprintf(_("unknown event "
		    "property '%s'"), c->field != NULL ? c->field : ""));
	if (idx < 0)
		return cond_check_fail(c, cause, xasprintf(_("unknown field "
		    "'%s' in database '%s'"), c->field != NULL ? c->field : "",
		    s != NULL && s->name != NULL ? s->name : ""));
	ft = s->fields[idx].type;
	if ((unsigned)ft >= FT_COUNT)
		return cond_check_fail(c, cause, xasprintf(_("field '%s' has "
		    "an unknown type"), c->field));
	if (cond_func_type(ft, c->func, &rt) != 0)
		return cond_check_fail(c, cause, xasprintf(where ?
		    _("%s() takes %s property, but '%s' is of type %s") :
		    _("%s() takes %s field, but '%s' is of type %s"),
		    cond_func_name(c->func), _(func_takes[c->func]), c->field,
		    field_type_name(ft)));
	if (!cond_op_valid(ft, c->func, c->op)) {
		operand = cond_operand_desc(c, ft, where);
		if (c->func != CF_NONE)
			msg = xasprintf(rt == FT_INT ? _("'%s' cannot be used "
			    "with %s, which gives an int") : _("'%s' cannot "
			    "be used with %s, which gives a string"),
			    cond_op_name(c->op), operand);
		else
			msg = xasprintf(_("'%s' cannot be used with %s"),
			    cond_op_name(c->op), operand);
		free(operand);
		return cond_check_fail(c, cause, msg);
	}
	if (cond_pred_shape(c->op, c->values, c->nvalues, &msg) != 0)
		return cond_check_fail(c, cause, msg);
	switch (c->op) {
	case CO_EQ: case CO_NE: case CO_LT: case CO_LE: case CO_GT: case CO_GE:
	case CO_BETWEEN: case CO_IN: case CO_NOT_IN:
		for (i = 0; i < c->nvalues; i++)
			if (cond_check_value(c, ft, rt, where,
			    &c->values[i], cause) != 0)
				return -1;
		/* Dates compare as local dates, date-times as instants. */
		for (i = 1; i < c->nvalues; i++)
			if ((rt == FT_DATE || rt == FT_DATETIME) &&
			    c->values[i].kind != c->values[0].kind)
				return cond_check_fail(c, cause, xasprintf(
				    _("the values of '%s' must be all dates or "
				    "all date-times"), cond_op_name(c->op)));
		break;
	default:
		break;
	}
	return 0;
}

static int cond_check_node(const struct cond *, const struct pdb_schema *,
    int (*)(void *, const char *), void *, int, int, char **);

/*
 * The schema an event test's where is checked against: `time` (a
 * datetime) and the event properties as its fields.  Shares the names of
 * s; free only view->fields.
 */
static void
cond_event_view(const struct pdb_schema *s, struct pdb_schema *view)
{
	static char time_name[] = "time";
	uint16_t i, n = s != NULL ? s->nevent_fields : 0;

	memset(view, 0, sizeof *view);
	view->name = s != NULL ? s->name : NULL;
	view->fields = xreallocarray(NULL, (size_t)n + 1,
	    sizeof *view->fields);
	view->fields[0].name = time_name;
	view->fields[0].type = FT_DATETIME;
	for (i = 0; i < n; i++)
		view->fields[i + 1] = s->event_fields[i];
	view->nfields = (uint16_t)(n + 1);
}

/* Whether a > b, for two values of one event test (numbers or dates). */
static int
cond_event_greater(const struct cond_value *a, const struct cond_value *b)
{
	double x, y;

	if (a->kind == CV_DATE && b->kind == CV_DATE)
		return a->date > b->date;
	if (a->kind == CV_INT && b->kind == CV_INT)
		return a->i > b->i;
	x = a->kind == CV_INT ? (double)a->i : a->f;
	y = b->kind == CV_INT ? (double)b->i : b->f;
	return x > y;
}

static int
cond_check_event(const struct cond *c, const struct pdb_schema *s,
    char **cause)
{
	struct pdb_schema view;
	const struct cond_window *w = &c->window;
	enum field_type ft;
	char *msg = NULL, *a, *b, buf[2][TU_DATE_BUF];
	int idx, r;

	if (cond_event_shape(c, &msg) != 0)
		return cond_check_fail(c, cause, msg);
	if (c->func != CF_NONE)
		return cond_check_fail(c, cause, xasprintf(_("%s() cannot be "
		    "used with an event test"), cond_func_name(c->func)));
	if (cond_is_aggregate(c->evtest)) {
		if (strcmp(c->field, "time") == 0)
			ft = FT_DATETIME;
		else {
			idx = s != NULL ? schema_event_field_index(s,
			    c->field) : -1;
			if (idx < 0)
				return cond_check_fail(c, cause, xasprintf(
				    _("unknown event property '%s'"),
				    c->field));
			ft = s->event_fields[idx].type;
		}
		if (ft != FT_INT && ft != FT_FLOAT)
			return cond_check_fail(c, cause, xasprintf(_("%s() "
			    "takes an int or float property, but '%s' is of "
			    "type %s"), cond_evtest_name(c->evtest), c->field,
			    field_type_name(ft)));
	}
	if (c->op == CO_BETWEEN && c->nvalues == 2 &&
	    cond_event_greater(&c->values[0], &c->values[1])) {
		a = cond_value_print(&c->values[0]);
		b = cond_value_print(&c->values[1]);
		msg = xasprintf(c->values[0].kind == CV_DATE ?
		    _("'between' needs the earlier date first, found %s and "
		    "%s") : _("'between' needs the smaller number first, "
		    "found %s and %s"), a, b);
		free(a);
		free(b);
		return cond_check_fail(c, cause, msg);
	}
	if ((w->kind == CW_LAST_DAYS || w->kind == CW_LAST_HOURS) && w->n < 0)
		return cond_check_fail(c, cause, xstrdup(_("'within last' "
		    "takes a number that is not negative")));
	/* The JSON form reads no more back (cond_event.c). */
	if ((w->kind == CW_LAST_DAYS || w->kind == CW_LAST_HOURS) &&
	    w->n > COND_WINDOW_MAX)
		return cond_check_fail(c, cause, xasprintf(_("'within last' "
		    "takes a number up to %d"), COND_WINDOW_MAX));
	if (w->kind == CW_BETWEEN && w->from > w->to)
		return cond_check_fail(c, cause, xasprintf(_("'between' "
		    "needs the earlier date first, found %s and %s"),
		    tu_format_date(w->from, buf[0]),
		    tu_format_date(w->to, buf[1])));
	if (c->where == NULL)
		return 0;
	cond_event_view(s, &view);
	r = cond_check_node(c->where, &view, NULL, NULL, 0, 1, cause);
	free(view.fields);
	return r;
}

/*
 * "in query" compares the field's canonical text with the query's values,
 * which is exact only for the types whose text has one spelling: strings,
 * whole numbers, dates (YYYY-MM-DD) and tags (each tag).
 */
static int
cond_check_in_query(const struct cond *c, const struct pdb_schema *s,
    char **cause)
{
	enum field_type ft;
	int idx;

	if (c->query == NULL || *c->query == '\0')
		return cond_check_fail(c, cause,
		    xstrdup(_("'in query' needs a query name")));
	if (c->op != CO_IN && c->op != CO_NOT_IN)
		return cond_check_fail(c, cause,
		    xstrdup(_("'in query' is either 'in' or 'not in'")));
	if (c->func != CF_NONE)
		return cond_check_fail(c, cause, xasprintf(_("'in query' "
		    "tests a field's own value, not %s(%s)"),
		    cond_func_name(c->func), c->field));
	idx = s != NULL && c->field != NULL ? schema_field_index(s, c->field) :
	    -1;
	if (idx < 0)
		return cond_check_fail(c, cause, xasprintf(_("unknown field "
		    "'%s' in database '%s'"), c->field != NULL ? c->field : "",
		    s != NULL && s->name != NULL ? s->name : ""));
	ft = s->fields[idx].type;
	if (ft != FT_STRING && ft != FT_INT && ft != FT_DATE && ft != FT_TAGS)
		return cond_check_fail(c, cause, xasprintf(_("'in query' "
		    "takes a string, int, date or tags field, but '%s' is of "
		    "type %s"), c->field, field_type_name(ft)));
	return 0;
}

static int
cond_check_queries_walk(const struct cond *c,
    int (*query_exists)(void *, const char *), void *arg, char **cause)
{
	size_t i;

	if (c->kind == CK_IN_QUERY && c->query != NULL &&
	    !query_exists(arg, c->query))
		return cond_check_fail(c, cause, xasprintf(_("unknown query "
		    "'%s'"), c->query));
	for (i = 0; i < c->nkids; i++)
		if (cond_check_queries_walk(c->kids[i], query_exists, arg,
		    cause) != 0)
			return -1;
	return 0;
}

int
cond_check_queries(const struct cond *c,
    int (*query_exists)(void *, const char *), void *arg, char **cause)
{
	if (c == NULL)
		return 0;
	return cond_check_queries_walk(c, query_exists, arg, cause);
}

/*
 * root: the whole tree, where an empty "and" means every profile.  Any
 * other empty group is refused, as cond_from_json refuses it: what is
 * saved must read back.  where: c is in an event test's where, and s is
 * its event view (cond_event_view).
 */
static int
cond_check_node(const struct cond *c, const struct pdb_schema *s,
    int (*segment_exists)(void *, const char *), void *arg, int root,
    int where, char **cause)
{
	size_t i;

	switch (c->kind) {
	case CK_AND:
	case CK_OR:
		if (c->nkids == 0 && !(root && c->kind == CK_AND))
			return cond_check_fail(c, cause, xstrdup(_("a group "
			    "has no conditions: add one to it or remove it")));
		for (i = 0; i < c->nkids; i++)
			if (cond_check_node(c->kids[i], s, segment_exists, arg,
			    0, where, cause) != 0)
				return -1;
		return 0;
	case CK_NOT:
		if (c->nkids != 1)
			return cond_check_fail(c, cause,
			    xstrdup(_("'not' needs exactly one condition")));
		return cond_check_node(c->kids[0], s, segment_exists, arg, 0,
		    where, cause);
	case CK_PRED:
		return cond_check_pred(c, s, where, cause);
	case CK_IN_SEGMENT:
		if (where)
			return cond_check_fail(c, cause, xstrdup(_("'in "
			    "segment' cannot be used inside 'where': it tests "
			    "the profile, not one event")));
		if (c->segment == NULL || *c->segment == '\0')
			return cond_check_fail(c, cause,
			    xstrdup(_("'in segment' needs a segment name")));
		if (segment_exists != NULL && !segment_exists(arg, c->segment))
			return cond_check_fail(c, cause, xasprintf(_("unknown "
			    "segment '%s'"), c->segment));
		return 0;
	case CK_EVENT:
		if (where)
			return cond_check_fail(c, cause, xasprintf(_("'%s' "
			    "cannot be used inside 'where': it tests the "
			    "profile's events, 'where' tests one event"),
			    cond_evtest_name(c->evtest)));
		return cond_check_event(c, s, cause);
	case CK_IN_QUERY:
		if (where)
			return cond_check_fail(c, cause, xstrdup(_("'in query' "
			    "cannot be used inside 'where': it tests the "
			    "profile, not one event")));
		return cond_check_in_query(c, s, cause);
	}
	return cond_check_fail(c, cause, xstrdup(_("unknown kind of "
	    "condition")));
}

int
cond_check(const struct cond *c, const struct pdb_schema *s,
    int (*segment_exists)(void *, const char *), void *arg, char **cause)
{
	return cond_check_node(c, s, segment_exists, arg, 1, 0, cause);
}
