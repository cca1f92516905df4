/*
 * The condition tree: construction, copying, comparison and the JSON form
 * documented in doc/conditions.md.  The script language is in script.c,
 * type checking in cond_check.c.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

static const struct {
	const char	*name;		/* as the script writes it */
	const char	*id;		/* the JSON form */
} cond_ops[CO_COUNT] = {
	[CO_EQ] = { "=", "eq" },
	[CO_NE] = { "!=", "ne" },
	[CO_LT] = { "<", "lt" },
	[CO_LE] = { "<=", "le" },
	[CO_GT] = { ">", "gt" },
	[CO_GE] = { ">=", "ge" },
	[CO_BETWEEN] = { "between", "between" },
	[CO_IN] = { "in", "in" },
	[CO_NOT_IN] = { "not in", "not_in" },
	[CO_CONTAINS] = { "contains", "contains" },
	[CO_NOT_CONTAINS] = { "not contains", "not_contains" },
	[CO_STARTS_WITH] = { "starts with", "starts_with" },
	[CO_ENDS_WITH] = { "ends with", "ends_with" },
	[CO_IS_EMPTY] = { "is empty", "is_empty" },
	[CO_IS_NOT_EMPTY] = { "is not empty", "is_not_empty" },
	[CO_IS_TRUE] = { "is true", "is_true" },
	[CO_IS_FALSE] = { "is false", "is_false" },
	[CO_HAS] = { "has", "has" },
	[CO_HAS_ANY] = { "has any", "has_any" },
	[CO_HAS_ALL] = { "has all", "has_all" },
	[CO_HAS_NONE] = { "has none", "has_none" },
	[CO_WITHIN_LAST_DAYS] = { "within last N days", "within_last_days" },
	[CO_WITHIN_LAST_HOURS] = { "within last N hours",
	    "within_last_hours" },
	[CO_WITHIN_NEXT_DAYS] = { "within next N days", "within_next_days" },
	[CO_MORE_THAN_DAYS_AGO] = { "more than N days ago",
	    "more_than_days_ago" },
	[CO_BEFORE] = { "before", "before" },
	[CO_AFTER] = { "after", "after" },
	[CO_ON] = { "on", "on" },
	[CO_MORE_THAN_HOURS_AGO] = { "more than N hours ago",
	    "more_than_hours_ago" },
};

static const char *cond_funcs[] = {
	[CF_NONE] = "",
	[CF_AGE] = "age",
	[CF_DAYS_SINCE] = "days_since",
	[CF_DAYS_UNTIL] = "days_until",
	[CF_LENGTH] = "length",
	[CF_LOWER] = "lower",
};
#define CF_COUNT (CF_LOWER + 1)

/* Doubles hold every integer up to 2^53 exactly. */
#define COND_JSON_INT_MAX 9007199254740992LL

const char *
cond_op_name(enum cond_op op)
{
	if ((unsigned)op >= CO_COUNT)
		return "?";
	return cond_ops[op].name;
}

const char *
cond_op_id(enum cond_op op)
{
	if ((unsigned)op >= CO_COUNT)
		return "?";
	return cond_ops[op].id;
}

int
cond_op_from_id(const char *s, enum cond_op *out)
{
	int i;

	for (i = 0; i < CO_COUNT; i++) {
		if (strcmp(cond_ops[i].id, s) == 0) {
			*out = (enum cond_op)i;
			return 0;
		}
	}
	return -1;
}

const char *
cond_func_name(enum cond_func f)
{
	if ((unsigned)f >= CF_COUNT)
		return "?";
	return cond_funcs[f];
}

int
cond_name_find(const char *const *names, int from, int n, const char *s)
{
	int i;

	for (i = from; i < n; i++) {
		if (strcmp(names[i], s) == 0)
			return i;
	}
	return -1;
}

int
cond_func_from_name(const char *s, enum cond_func *out)
{
	int i = cond_name_find(cond_funcs, 1, CF_COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum cond_func)i;
	return 0;
}

struct cond *
cond_new(enum cond_kind kind)
{
	struct cond *c;

	c = xcalloc(1, sizeof *c);
	c->kind = kind;
	return c;
}

struct cond *
cond_new_pred(const char *field, enum cond_func func, enum cond_op op)
{
	struct cond *c;

	c = cond_new(CK_PRED);
	c->field = xstrdup(field);
	c->func = func;
	c->op = op;
	return c;
}

void
cond_add_kid(struct cond *g, struct cond *kid)
{
	g->kids = xreallocarray(g->kids, g->nkids + 1, sizeof *g->kids);
	g->kids[g->nkids++] = kid;
}

void
cond_add_value(struct cond *c, const struct cond_value *v)
{
	struct cond_value *nv;

	c->values = xreallocarray(c->values, c->nvalues + 1,
	    sizeof *c->values);
	nv = &c->values[c->nvalues++];
	*nv = *v;
	if (v->kind == CV_STRING)
		nv->s = xstrdup(v->s != NULL ? v->s : "");
	else
		nv->s = NULL;
}

void
cond_free(struct cond *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	for (i = 0; i < c->nvalues; i++)
		free(c->values[i].s);
	free(c->values);
	free(c->field);
	free(c->segment);
	free(c->query);
	free(c->event);
	cond_free(c->where);
	free(c);
}

struct cond *
cond_clone(const struct cond *c)
{
	struct cond *n;
	size_t i;

	n = cond_new(c->kind);
	n->func = c->func;
	n->op = c->op;
	n->line = c->line;
	n->column = c->column;
	if (c->field != NULL)
		n->field = xstrdup(c->field);
	if (c->segment != NULL)
		n->segment = xstrdup(c->segment);
	if (c->query != NULL)
		n->query = xstrdup(c->query);
	for (i = 0; i < c->nkids; i++)
		cond_add_kid(n, cond_clone(c->kids[i]));
	for (i = 0; i < c->nvalues; i++)
		cond_add_value(n, &c->values[i]);
	if (c->kind == CK_EVENT)
		cond_event_copy(n, c);
	return n;
}

static int
cond_value_equal(const struct cond_value *a, const struct cond_value *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case CV_STRING:
		return strcmp(a->s, b->s) == 0;
	case CV_INT:
	case CV_DATETIME:
		return a->i == b->i;
	case CV_BOOL:
		return (a->i != 0) == (b->i != 0);
	case CV_FLOAT:
		/* Bitwise, so that -0.0 and 0.0 stay apart as printed. */
		return memcmp(&a->f, &b->f, sizeof a->f) == 0;
	case CV_DATE:
		return a->date == b->date;
	}
	return 0;
}

static int
cond_str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
cond_equal(const struct cond *a, const struct cond *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->kind != b->kind || a->nkids != b->nkids)
		return 0;
	switch (a->kind) {
	case CK_AND:
	case CK_OR:
	case CK_NOT:
		for (i = 0; i < a->nkids; i++)
			if (!cond_equal(a->kids[i], b->kids[i]))
				return 0;
		return 1;
	case CK_PRED:
	case CK_EVENT:
		if (!cond_str_equal(a->field, b->field) || a->func != b->func ||
		    a->op != b->op || a->nvalues != b->nvalues)
			return 0;
		for (i = 0; i < a->nvalues; i++)
			if (!cond_value_equal(&a->values[i], &b->values[i]))
				return 0;
		return a->kind == CK_PRED || cond_event_equal(a, b);
	case CK_IN_SEGMENT:
		return cond_str_equal(a->segment, b->segment);
	case CK_IN_QUERY:
		return cond_str_equal(a->field, b->field) && a->op == b->op &&
		    cond_str_equal(a->query, b->query);
	}
	return 0;
}

/* The name a node of kind "in segment" or "in query" refers to. */
static const char *
cond_ref_name(const struct cond *c, enum cond_kind kind)
{
	if (c->kind != kind)
		return NULL;
	return kind == CK_IN_SEGMENT ? c->segment : c->query;
}

/* Calls fn once for each distinct name nodes of kind refer to. */
static void
cond_refs_walk(const struct cond *c, enum cond_kind kind, char ***seen,
    size_t *n, void (*fn)(void *, const char *), void *arg)
{
	const char *name = cond_ref_name(c, kind);
	size_t i;

	if (name != NULL) {
		for (i = 0; i < *n; i++)
			if (strcmp((*seen)[i], name) == 0)
				return;
		*seen = xreallocarray(*seen, *n + 1, sizeof **seen);
		(*seen)[(*n)++] = (char *)name;
		fn(arg, name);
		return;
	}
	for (i = 0; i < c->nkids; i++)
		cond_refs_walk(c->kids[i], kind, seen, n, fn, arg);
}

static void
cond_refs(const struct cond *c, enum cond_kind kind,
    void (*fn)(void *, const char *), void *arg)
{
	char **seen = NULL;
	size_t n = 0;

	if (c != NULL)
		cond_refs_walk(c, kind, &seen, &n, fn, arg);
	free(seen);
}

void
cond_segments(const struct cond *c, void (*fn)(void *, const char *),
    void *arg)
{
	cond_refs(c, CK_IN_SEGMENT, fn, arg);
}

void
cond_queries(const struct cond *c, void (*fn)(void *, const char *),
    void *arg)
{
	cond_refs(c, CK_IN_QUERY, fn, arg);
}

size_t
cond_rename_segment(struct cond *c, const char *from, const char *to)
{
	size_t i, n = 0;

	if (c == NULL)
		return 0;
	if (c->kind == CK_IN_SEGMENT && c->segment != NULL &&
	    strcmp(c->segment, from) == 0) {
		free(c->segment);
		c->segment = xstrdup(to);
		return 1;
	}
	for (i = 0; i < c->nkids; i++)
		n += cond_rename_segment(c->kids[i], from, to);
	return n;
}

/* JSON form. */

/*
 * cJSON prints numbers with 15 significant digits and accepts a nearly
 * equal read-back, so numbers it would round are written as raw text.
 */
static cJSON *
cond_json_number(double d)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.15g", d);
	if (strtod(buf, NULL) == d && signbit(d) == signbit(strtod(buf,
	    NULL)))
		return cJSON_CreateNumber(d);
	snprintf(buf, sizeof buf, "%.17g", d);
	return cJSON_CreateRaw(buf);
}

cJSON *
cond_value_json(const struct cond_value *v)
{
	char buf[TU_DATETIME_BUF + 8], num[32];
	cJSON *o;

	switch (v->kind) {
	case CV_STRING:
		return cJSON_CreateString(v->s);
	case CV_INT:
		if (v->i > COND_JSON_INT_MAX || v->i < -COND_JSON_INT_MAX) {
			o = cJSON_CreateObject();
			snprintf(num, sizeof num, "%lld", (long long)v->i);
			cJSON_AddStringToObject(o, "int", num);
			return o;
		}
		return cond_json_number((double)v->i);
	case CV_FLOAT:
		/* An integral float would read back as an int: mark it. */
		if (v->f == floor(v->f)) {
			o = cJSON_CreateObject();
			cJSON_AddItemToObject(o, "float", cond_json_number(v->f));
			return o;
		}
		return cond_json_number(v->f);
	case CV_DATE:
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "date", tu_format_date(v->date, buf));
		return o;
	case CV_DATETIME:
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "datetime",
		    tu_format_datetime(v->i, buf));
		return o;
	case CV_BOOL:
		return cJSON_CreateBool(v->i != 0);
	}
	return cJSON_CreateNull();
}

cJSON *
cond_to_json(const struct cond *c)
{
	cJSON *o, *a;
	size_t i;

	o = cJSON_CreateObject();
	switch (c->kind) {
	case CK_AND:
	case CK_OR:
		a = cJSON_AddArrayToObject(o, c->kind == CK_AND ? "and" : "or");
		for (i = 0; i < c->nkids; i++)
			cJSON_AddItemToArray(a, cond_to_json(c->kids[i]));
		break;
	case CK_NOT:
		if (c->nkids == 1)
			cJSON_AddItemToObject(o, "not", cond_to_json(c->kids[0]));
		else
			cJSON_AddItemToObject(o, "not", cJSON_CreateObject());
		break;
	case CK_PRED:
		cJSON_AddStringToObject(o, "field", c->field != NULL ?
		    c->field : "");
		if (c->func != CF_NONE)
			cJSON_AddStringToObject(o, "func",
			    cond_func_name(c->func));
		cJSON_AddStringToObject(o, "op", cond_op_id(c->op));
		a = cJSON_AddArrayToObject(o, "values");
		for (i = 0; i < c->nvalues; i++)
			cJSON_AddItemToArray(a, cond_value_json(&c->values[i]));
		break;
	case CK_IN_SEGMENT:
		cJSON_AddStringToObject(o, "in_segment", c->segment != NULL ?
		    c->segment : "");
		break;
	case CK_EVENT:
		cond_event_to_json(o, c);
		break;
	case CK_IN_QUERY:
		cJSON_AddStringToObject(o, "field", c->field != NULL ?
		    c->field : "");
		cJSON_AddStringToObject(o, c->op == CO_NOT_IN ?
		    "not_in_query" : "in_query", c->query != NULL ?
		    c->query : "");
		break;
	}
	return o;
}

int
cond_json_fail(char **cause, const struct strbuf *path, const char *msg)
{
	if (path->len == 0)
		return error_set(cause, _("conditions: %s"), msg);
	return error_set(cause, _("conditions at %s: %s"), path->buf, msg);
}

int
cond_json_utf8(const char *s, const char *what, const struct strbuf *path,
    char **cause)
{
	struct text_fault tf;
	char *fault, *msg;

	if (!text_find_fault(s, strlen(s), &tf))
		return 0;
	fault = text_fault_what(&tf);
	/* TRANSLATORS: "\"field\" is not UTF-8 text: invalid byte 0xFF". */
	msg = xasprintf(_("%s is %s"), what, fault);
	cond_json_fail(cause, path, msg);
	free(msg);
	free(fault);
	return -1;
}

int
cond_value_from_json(const cJSON *j, struct cond_value *v,
    const struct strbuf *path, char **cause)
{
	const cJSON *m;
	char *msg;
	int r;

	memset(v, 0, sizeof *v);
	if (cJSON_IsString(j)) {
		if (cond_json_utf8(j->valuestring, _("the string"), path,
		    cause) != 0)
			return -1;
		v->kind = CV_STRING;
		v->s = xstrdup(j->valuestring);
		return 0;
	}
	if (cJSON_IsBool(j)) {
		v->kind = CV_BOOL;
		v->i = cJSON_IsTrue(j) ? 1 : 0;
		return 0;
	}
	if (cJSON_IsNumber(j)) {
		if (!isfinite(j->valuedouble))
			return cond_json_fail(cause, path,
			    _("a number must be finite"));
		if (j->valuedouble == floor(j->valuedouble) &&
		    fabs(j->valuedouble) <= (double)COND_JSON_INT_MAX) {
			v->kind = CV_INT;
			v->i = (int64_t)j->valuedouble;
		} else {
			v->kind = CV_FLOAT;
			v->f = j->valuedouble;
		}
		return 0;
	}
	if (!cJSON_IsObject(j) || j->child == NULL || j->child->next != NULL)
		return cond_json_fail(cause, path, _("expected a value: a "
		    "string, a number, true, false or an object with one "
		    "member \"date\", \"datetime\", \"float\" or \"int\""));
	m = j->child;
	if (strcmp(m->string, "date") == 0) {
		v->kind = CV_DATE;
		if (!cJSON_IsString(m) || tu_parse_date(m->valuestring,
		    strlen(m->valuestring), &v->date) != 0 ||
		    strlen(m->valuestring) != 10)
			goto bad_date;
		return 0;
	}
	if (strcmp(m->string, "datetime") == 0) {
		v->kind = CV_DATETIME;
		if (!cJSON_IsString(m) || tu_parse_datetime(m->valuestring,
		    strlen(m->valuestring), 1, &v->i) != 0) {
			msg = xasprintf(_("expected an ISO 8601 date-time with "
			    "a zone such as \"2026-01-31T09:00:00Z\" in "
			    "\"datetime\""));
			goto fail;
		}
		return 0;
	}
	if (strcmp(m->string, "float") == 0) {
		v->kind = CV_FLOAT;
		if (!cJSON_IsNumber(m) || !isfinite(m->valuedouble)) {
			msg = xstrdup(_("expected a number in \"float\""));
			goto fail;
		}
		v->f = m->valuedouble;
		return 0;
	}
	if (strcmp(m->string, "int") == 0) {
		v->kind = CV_INT;
		if (cJSON_IsString(m) && parse_int64(m->valuestring,
		    strlen(m->valuestring), &v->i) == 0)
			return 0;
		if (cJSON_IsNumber(m) &&
		    m->valuedouble == floor(m->valuedouble) &&
		    fabs(m->valuedouble) <= (double)COND_JSON_INT_MAX) {
			v->i = (int64_t)m->valuedouble;
			return 0;
		}
		msg = xstrdup(_("expected a whole number (or its decimal text) "
		    "in \"int\""));
		goto fail;
	}
	msg = xasprintf(_("unknown value kind \"%s\" (expected \"date\", "
	    "\"datetime\", \"float\" or \"int\")"), m->string);
	goto fail;

bad_date:
	msg = xstrdup(_("expected a date YYYY-MM-DD in \"date\""));
fail:
	r = cond_json_fail(cause, path, msg);
	free(msg);
	return r;
}

/* How many values each operator takes: exactly n, or at least 1 (-1). */
static int
cond_op_arity(enum cond_op op)
{
	switch (op) {
	case CO_BETWEEN:
		return 2;
	case CO_IN:
	case CO_NOT_IN:
	case CO_HAS_ANY:
	case CO_HAS_ALL:
	case CO_HAS_NONE:
		return -1;
	case CO_IS_EMPTY:
	case CO_IS_NOT_EMPTY:
	case CO_IS_TRUE:
	case CO_IS_FALSE:
		return 0;
	default:
		return 1;
	}
}

/*
 * The value kind an operator's grammar fixes (doc/conditions.md), or -1 when any
 * value fits.  Trees that keep to it always print as a valid script.
 */
static int
cond_op_vkind(enum cond_op op)
{
	switch (op) {
	case CO_CONTAINS:
	case CO_NOT_CONTAINS:
	case CO_STARTS_WITH:
	case CO_ENDS_WITH:
	case CO_HAS:
	case CO_HAS_ANY:
	case CO_HAS_ALL:
	case CO_HAS_NONE:
		return CV_STRING;
	case CO_WITHIN_LAST_DAYS:
	case CO_WITHIN_LAST_HOURS:
	case CO_WITHIN_NEXT_DAYS:
	case CO_MORE_THAN_DAYS_AGO:
		return CV_INT;
	case CO_BEFORE:
	case CO_AFTER:
	case CO_ON:
		return CV_DATE;
	default:
		return -1;
	}
}

int
cond_pred_shape(enum cond_op op, const struct cond_value *v, size_t n,
    char **msg)
{
	int arity, vk;
	size_t i;

	arity = cond_op_arity(op);
	if (arity >= 0 && n != (size_t)arity) {
		*msg = xasprintf(ngettext_("'%s' takes %d value, found %zu",
		    "'%s' takes %d values, found %zu", arity),
		    cond_op_name(op), arity, n);
		return -1;
	}
	if (arity < 0 && n == 0) {
		*msg = xasprintf(_("'%s' takes at least one value"),
		    cond_op_name(op));
		return -1;
	}
	vk = cond_op_vkind(op);
	for (i = 0; i < n && vk >= 0; i++) {
		if ((int)v[i].kind != vk) {
			*msg = xasprintf(vk == CV_STRING ?
			    _("'%s' takes strings only") : vk == CV_INT ?
			    _("'%s' takes a whole number") :
			    _("'%s' takes a date"), cond_op_name(op));
			return -1;
		}
		if (vk == CV_INT && v[i].i < 0) {
			*msg = xasprintf(_("'%s' takes a number that is not "
			    "negative"), cond_op_name(op));
			return -1;
		}
	}
	return 0;
}


static struct cond *
cond_group_from_json(enum cond_kind kind, const cJSON *a, struct strbuf *path,
    char **cause)
{
	struct cond *c, *kid;
	const cJSON *e;
	size_t len, i = 0;
	const char *name = kind == CK_AND ? "and" : "or";

	if (!cJSON_IsArray(a)) {
		cond_json_fail(cause, path, kind == CK_AND ?
		    _("\"and\" must be an array of conditions") :
		    _("\"or\" must be an array of conditions"));
		return NULL;
	}
	c = cond_new(kind);
	len = path->len;
	cJSON_ArrayForEach(e, a) {
		if (len != 0)
			sb_putc(path, '.');
		sb_printf(path, "%s[%zu]", name, i++);
		kid = cond_from_json_path(e, path, cause);
		sb_truncate(path, len);
		if (kid == NULL) {
			cond_free(c);
			return NULL;
		}
		cond_add_kid(c, kid);
	}
	return c;
}

static struct cond *
cond_pred_from_json(const cJSON *j, struct strbuf *path, char **cause)
{
	const cJSON *f, *fn, *op, *vals, *e;
	struct cond_value v;
	struct cond *c;
	enum cond_func func = CF_NONE;
	enum cond_op o;
	char *msg = NULL;
	size_t len, i = 0;

	f = cJSON_GetObjectItemCaseSensitive(j, "field");
	if (!cJSON_IsString(f) || *f->valuestring == '\0') {
		cond_json_fail(cause, path,
		    _("\"field\" must be a non-empty string"));
		return NULL;
	}
	if (cond_json_utf8(f->valuestring, "\"field\"", path, cause) != 0)
		return NULL;
	fn = cJSON_GetObjectItemCaseSensitive(j, "func");
	if (fn != NULL && !cJSON_IsNull(fn) && (!cJSON_IsString(fn) ||
	    (*fn->valuestring != '\0' &&
	    cond_func_from_name(fn->valuestring, &func) != 0))) {
		msg = xasprintf(_("unknown function \"%s\" (expected age, "
		    "days_since, days_until, length or lower)"),
		    cJSON_IsString(fn) ? fn->valuestring : "?");
		goto fail;
	}
	op = cJSON_GetObjectItemCaseSensitive(j, "op");
	if (!cJSON_IsString(op)) {
		cond_json_fail(cause, path, _("\"op\" must be a string"));
		return NULL;
	}
	/* "more than N hours ago" is only the time test of first/last. */
	if (cond_op_from_id(op->valuestring, &o) != 0 ||
	    o == CO_MORE_THAN_HOURS_AGO) {
		msg = xasprintf(_("unknown operator \"%s\""), op->valuestring);
		goto fail;
	}
	vals = cJSON_GetObjectItemCaseSensitive(j, "values");
	if (vals != NULL && !cJSON_IsArray(vals)) {
		cond_json_fail(cause, path, _("\"values\" must be an array"));
		return NULL;
	}
	c = cond_new_pred(f->valuestring, func, o);
	len = path->len;
	cJSON_ArrayForEach(e, vals) {
		sb_printf(path, "%svalues[%zu]", len != 0 ? "." : "", i++);
		if (cond_value_from_json(e, &v, path, cause) != 0) {
			cond_free(c);
			return NULL;
		}
		sb_truncate(path, len);
		c->values = xreallocarray(c->values, c->nvalues + 1,
		    sizeof *c->values);
		c->values[c->nvalues++] = v;
	}
	if (cond_pred_shape(o, c->values, c->nvalues, &msg) != 0) {
		cond_free(c);
		goto fail;
	}
	return c;

fail:
	cond_json_fail(cause, path, msg);
	free(msg);
	return NULL;
}

/* {"field": F, "in_query": Q} or {"field": F, "not_in_query": Q}. */
static struct cond *
cond_in_query_from_json(const cJSON *j, const cJSON *m, struct strbuf *path,
    char **cause)
{
	const cJSON *f;
	struct cond *c;

	if (cJSON_GetObjectItemCaseSensitive(j, "in_query") != NULL &&
	    cJSON_GetObjectItemCaseSensitive(j, "not_in_query") != NULL) {
		cond_json_fail(cause, path, _("a condition has either "
		    "\"in_query\" or \"not_in_query\", not both"));
		return NULL;
	}
	if (!cJSON_IsString(m) || *m->valuestring == '\0') {
		cond_json_fail(cause, path, strcmp(m->string, "in_query") == 0 ?
		    _("\"in_query\" must be a non-empty string") :
		    _("\"not_in_query\" must be a non-empty string"));
		return NULL;
	}
	if (cond_json_utf8(m->valuestring, strcmp(m->string, "in_query") ==
	    0 ? "\"in_query\"" : "\"not_in_query\"", path, cause) != 0)
		return NULL;
	f = cJSON_GetObjectItemCaseSensitive(j, "field");
	if (!cJSON_IsString(f) || *f->valuestring == '\0') {
		cond_json_fail(cause, path,
		    _("\"field\" must be a non-empty string"));
		return NULL;
	}
	if (cond_json_utf8(f->valuestring, "\"field\"", path, cause) != 0)
		return NULL;
	c = cond_new(CK_IN_QUERY);
	c->field = xstrdup(f->valuestring);
	c->op = strcmp(m->string, "in_query") == 0 ? CO_IN : CO_NOT_IN;
	c->query = xstrdup(m->valuestring);
	return c;
}

struct cond *
cond_from_json_path(const cJSON *j, struct strbuf *path, char **cause)
{
	const cJSON *m;
	struct cond *c, *kid;
	size_t len;

	if (!cJSON_IsObject(j)) {
		cond_json_fail(cause, path, _("expected an object"));
		return NULL;
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(j, "and")) != NULL) {
		/* Only a whole tree may be empty (no conditions). */
		if (path->len != 0 && cJSON_IsArray(m) &&
		    cJSON_GetArraySize(m) == 0) {
			cond_json_fail(cause, path, _("an \"and\" group "
			    "inside other conditions needs at least one "
			    "condition"));
			return NULL;
		}
		return cond_group_from_json(CK_AND, m, path, cause);
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(j, "or")) != NULL) {
		if (cJSON_IsArray(m) && cJSON_GetArraySize(m) == 0) {
			cond_json_fail(cause, path,
			    _("an \"or\" group needs at least one condition"));
			return NULL;
		}
		return cond_group_from_json(CK_OR, m, path, cause);
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(j, "not")) != NULL) {
		len = path->len;
		sb_puts(path, len != 0 ? ".not" : "not");
		kid = cond_from_json_path(m, path, cause);
		sb_truncate(path, len);
		if (kid == NULL)
			return NULL;
		c = cond_new(CK_NOT);
		cond_add_kid(c, kid);
		return c;
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(j, "in_segment")) != NULL) {
		if (!cJSON_IsString(m) || *m->valuestring == '\0') {
			cond_json_fail(cause, path, _("\"in_segment\" must be "
			    "a non-empty string"));
			return NULL;
		}
		if (cond_json_utf8(m->valuestring, "\"in_segment\"", path,
		    cause) != 0)
			return NULL;
		c = cond_new(CK_IN_SEGMENT);
		c->segment = xstrdup(m->valuestring);
		return c;
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(j, "in_query")) != NULL ||
	    (m = cJSON_GetObjectItemCaseSensitive(j, "not_in_query")) != NULL)
		return cond_in_query_from_json(j, m, path, cause);
	if (cJSON_GetObjectItemCaseSensitive(j, "field") != NULL)
		return cond_pred_from_json(j, path, cause);
	if (cJSON_GetObjectItemCaseSensitive(j, "event") != NULL)
		return cond_event_from_json(j, path, cause);
	cond_json_fail(cause, path, _("expected a member \"and\", \"or\", "
	    "\"not\", \"in_segment\", \"in_query\", \"not_in_query\", "
	    "\"field\" or \"event\""));
	return NULL;
}

struct cond *
cond_from_json(const cJSON *j, char **cause)
{
	struct strbuf path = STRBUF_INIT;
	struct cond *c;

	c = cond_from_json_path(j, &path, cause);
	sb_free(&path);
	return c;
}

int
cond_error(const struct cond *c, char **cause, const char *fmt, ...)
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
