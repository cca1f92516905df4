/*
 * Event tests in the condition tree (doc/conditions.md, "Events"): their
 * names, copying and comparison, their shape and their JSON form.  The
 * script grammar of events is in script.c, their types in cond_check.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

static const char *const cond_evtests[] = {
	[CE_DID] = "did",
	[CE_FIRST] = "first",
	[CE_LAST] = "last",
	[CE_COUNT] = "count",
	[CE_SUM] = "sum",
	[CE_AVG] = "avg",
	[CE_MIN] = "min",
	[CE_MAX] = "max",
};
#define CE_NTESTS (CE_MAX + 1)

static const char *const cond_windows[] = {
	[CW_NONE] = "",
	[CW_LAST_DAYS] = "within_last_days",
	[CW_LAST_HOURS] = "within_last_hours",
	[CW_BETWEEN] = "between",
	[CW_SINCE] = "since",
	[CW_BEFORE] = "before",
};
#define CW_NKINDS (CW_BEFORE + 1)

/* The comparisons of did, of first and last, and of the others. */
static const enum cond_op cond_ev_counts[] = { CO_GE, CO_LE, CO_EQ,
    CO_BETWEEN };
static const enum cond_op cond_ev_cmps[] = { CO_EQ, CO_NE, CO_LT, CO_LE,
    CO_GT, CO_GE, CO_BETWEEN };
static const enum cond_op cond_ev_times[] = { CO_WITHIN_LAST_DAYS,
    CO_WITHIN_LAST_HOURS, CO_MORE_THAN_DAYS_AGO, CO_MORE_THAN_HOURS_AGO,
    CO_BEFORE, CO_AFTER, CO_ON, CO_BETWEEN };
#define CE_NOPS(a) (sizeof (a) / sizeof (a)[0])

const char *
cond_evtest_name(enum cond_evtest t)
{
	if ((unsigned)t >= CE_NTESTS)
		return "?";
	return cond_evtests[t];
}

int
cond_evtest_from_name(const char *s, enum cond_evtest *out)
{
	int i = cond_name_find(cond_evtests, 0, CE_NTESTS, s);

	if (i < 0)
		return -1;
	*out = (enum cond_evtest)i;
	return 0;
}

size_t
cond_evtest_ops(enum cond_evtest t, const enum cond_op **ops)
{
	switch (t) {
	case CE_DID:
		*ops = cond_ev_counts;
		return CE_NOPS(cond_ev_counts);
	case CE_FIRST:
	case CE_LAST:
		*ops = cond_ev_times;
		return CE_NOPS(cond_ev_times);
	default:
		*ops = cond_ev_cmps;
		return CE_NOPS(cond_ev_cmps);
	}
}

int
cond_has_events(const struct cond *c)
{
	size_t i;

	if (c == NULL)
		return 0;
	if (c->kind == CK_EVENT)
		return 1;
	for (i = 0; i < c->nkids; i++)
		if (cond_has_events(c->kids[i]))
			return 1;
	return 0;
}

int
cond_is_aggregate(enum cond_evtest t)
{
	return t == CE_SUM || t == CE_AVG || t == CE_MIN || t == CE_MAX;
}

void
cond_event_copy(struct cond *to, const struct cond *from)
{
	to->evtest = from->evtest;
	to->window = from->window;
	if (from->event != NULL)
		to->event = xstrdup(from->event);
	if (from->where != NULL)
		to->where = cond_clone(from->where);
}

int
cond_event_equal(const struct cond *a, const struct cond *b)
{
	const struct cond_window *wa = &a->window, *wb = &b->window;

	if (a->evtest != b->evtest || strcmp(a->event, b->event) != 0 ||
	    !cond_equal(a->where, b->where) || wa->kind != wb->kind)
		return 0;
	switch (wa->kind) {
	case CW_NONE:
		return 1;
	case CW_LAST_DAYS:
	case CW_LAST_HOURS:
		return wa->n == wb->n;
	case CW_BETWEEN:
		return wa->from == wb->from && wa->to == wb->to;
	case CW_SINCE:
		return wa->from == wb->from;
	case CW_BEFORE:
		return wa->to == wb->to;
	}
	return 0;
}

static int
cond_ops_member(enum cond_op op, const enum cond_op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ops[i] == op)
			return 1;
	return 0;
}

static int
cond_values_numeric(const struct cond_value *v, size_t n, int ints_only)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].kind != CV_INT && (ints_only || v[i].kind != CV_FLOAT))
			return 0;
	}
	return 1;
}

int
cond_event_shape(const struct cond *c, char **msg)
{
	size_t want, i;

	if (c->event == NULL || *c->event == '\0') {
		*msg = xstrdup(_("an event test needs an event name"));
		return -1;
	}
	if (cond_is_aggregate(c->evtest) != (c->field != NULL)) {
		*msg = c->field == NULL ?
		    xasprintf(_("'%s' needs a property"),
		    cond_evtest_name(c->evtest)) :
		    xasprintf(_("'%s' takes no property"),
		    cond_evtest_name(c->evtest));
		return -1;
	}
	want = c->op == CO_BETWEEN ? 2 : 1;
	switch (c->evtest) {
	case CE_DID:
		if (c->nvalues == 0)
			return 0;
		if (!cond_ops_member(c->op, cond_ev_counts,
		    CE_NOPS(cond_ev_counts)) || c->nvalues != want ||
		    !cond_values_numeric(c->values, c->nvalues, 1))
			goto bad_count;
		for (i = 0; i < c->nvalues; i++)
			if (c->values[i].i < 0)
				goto bad_count;
		return 0;
	case CE_FIRST:
	case CE_LAST:
		if (c->window.kind != CW_NONE) {
			*msg = xasprintf(_("'%s' takes a time test, not a "
			    "window"), cond_evtest_name(c->evtest));
			return -1;
		}
		if (!cond_ops_member(c->op, cond_ev_times,
		    CE_NOPS(cond_ev_times))) {
			*msg = xasprintf(_("'%s' needs a time test: within "
			    "last, more than ... ago, before, after, on or "
			    "between"), cond_evtest_name(c->evtest));
			return -1;
		}
		if (c->op == CO_BETWEEN) {
			if (c->nvalues != 2 || c->values[0].kind != CV_DATE ||
			    c->values[1].kind != CV_DATE) {
				*msg = xstrdup(_("'between' takes two dates"));
				return -1;
			}
			return 0;
		}
		if (c->op == CO_MORE_THAN_HOURS_AGO) {
			if (c->nvalues != 1 || c->values[0].kind != CV_INT ||
			    c->values[0].i < 0) {
				*msg = xstrdup(_("'more than N hours ago' takes "
				    "a number that is not negative"));
				return -1;
			}
			return 0;
		}
		return cond_pred_shape(c->op, c->values, c->nvalues, msg);
	case CE_COUNT:
	case CE_SUM:
	case CE_AVG:
	case CE_MIN:
	case CE_MAX:
		if (!cond_ops_member(c->op, cond_ev_cmps,
		    CE_NOPS(cond_ev_cmps))) {
			*msg = xasprintf(_("'%s' is compared with =, !=, <, "
			    "<=, >, >= or between"),
			    cond_evtest_name(c->evtest));
			return -1;
		}
		if (c->nvalues != want || !cond_values_numeric(c->values,
		    c->nvalues, c->evtest == CE_COUNT)) {
			if (want == 2)
				*msg = xstrdup(c->evtest == CE_COUNT ?
				    _("'between' takes two whole numbers") :
				    _("'between' takes two numbers"));
			else
				*msg = xasprintf(c->evtest == CE_COUNT ?
				    _("'%s' takes one whole number") :
				    _("'%s' takes one number"),
				    cond_op_name(c->op));
			return -1;
		}
		return 0;
	}
	*msg = xstrdup(_("unknown event test"));
	return -1;

bad_count:
	*msg = xstrdup(_("a count is 'at least N', 'at most N', 'exactly N' "
	    "or 'between N and M' times, N not negative"));
	return -1;
}

/* JSON form. */

static cJSON *
cond_window_to_json(const struct cond_window *w)
{
	char buf[TU_DATE_BUF];
	cJSON *o, *a, *d;

	o = cJSON_CreateObject();
	switch (w->kind) {
	case CW_NONE:
		break;
	case CW_LAST_DAYS:
	case CW_LAST_HOURS:
		cJSON_AddNumberToObject(o, cond_windows[w->kind],
		    (double)w->n);
		break;
	case CW_BETWEEN:
		a = cJSON_AddArrayToObject(o, "between");
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "date", tu_format_date(w->from, buf));
		cJSON_AddItemToArray(a, d);
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "date", tu_format_date(w->to, buf));
		cJSON_AddItemToArray(a, d);
		break;
	case CW_SINCE:
	case CW_BEFORE:
		d = cJSON_AddObjectToObject(o, cond_windows[w->kind]);
		cJSON_AddStringToObject(d, "date", tu_format_date(
		    w->kind == CW_SINCE ? w->from : w->to, buf));
		break;
	}
	return o;
}

void
cond_event_to_json(cJSON *o, const struct cond *c)
{
	cJSON *a;
	size_t i;

	cJSON_AddStringToObject(o, "event", c->event != NULL ? c->event : "");
	cJSON_AddStringToObject(o, "test", cond_evtest_name(c->evtest));
	if (c->field != NULL)
		cJSON_AddStringToObject(o, "property", c->field);
	if (c->where != NULL)
		cJSON_AddItemToObject(o, "where", cond_to_json(c->where));
	if (c->evtest != CE_DID || c->nvalues > 0) {
		cJSON_AddStringToObject(o, "op", cond_op_id(c->op));
		a = cJSON_AddArrayToObject(o, "values");
		for (i = 0; i < c->nvalues; i++)
			cJSON_AddItemToArray(a,
			    cond_value_json(&c->values[i]));
	}
	if (c->window.kind != CW_NONE)
		cJSON_AddItemToObject(o, "window",
		    cond_window_to_json(&c->window));
}

static int
cond_json_date(const cJSON *d, int32_t *out)
{
	const cJSON *s;

	s = cJSON_GetObjectItemCaseSensitive(d, "date");
	return cJSON_IsString(s) && strlen(s->valuestring) == 10 &&
	    tu_parse_date(s->valuestring, 10, out) == 0 ? 0 : -1;
}

static int
cond_window_from_json(const cJSON *j, struct cond_window *w, char **msg)
{
	const cJSON *m;
	int i;

	memset(w, 0, sizeof *w);
	if (!cJSON_IsObject(j) || j->child == NULL || j->child->next != NULL)
		goto bad;
	m = j->child;
	if ((i = cond_name_find(cond_windows, 1, CW_NKINDS, m->string)) < 0)
		goto bad;
	w->kind = (enum cond_window_kind)i;
	switch (w->kind) {
	case CW_LAST_DAYS:
	case CW_LAST_HOURS:
		if (!cJSON_IsNumber(m) || m->valuedouble < 0 ||
		    m->valuedouble > COND_WINDOW_MAX ||
		    m->valuedouble != (double)(int64_t)m->valuedouble)
			goto bad;
		w->n = (int64_t)m->valuedouble;
		return 0;
	case CW_BETWEEN:
		if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) != 2 ||
		    cond_json_date(cJSON_GetArrayItem(m, 0), &w->from) != 0 ||
		    cond_json_date(cJSON_GetArrayItem(m, 1), &w->to) != 0)
			goto bad;
		return 0;
	case CW_SINCE:
		if (cond_json_date(m, &w->from) != 0)
			goto bad;
		return 0;
	case CW_BEFORE:
		if (cond_json_date(m, &w->to) != 0)
			goto bad;
		return 0;
	case CW_NONE:
		break;
	}
bad:
	*msg = xstrdup(_("\"window\" must be an object with one member: "
	    "\"within_last_days\" or \"within_last_hours\" (a whole number), "
	    "\"between\" (two dates), \"since\" or \"before\" (a date)"));
	return -1;
}

/* The first event test in a tree, or NULL. */
static const struct cond *
cond_event_in(const struct cond *c)
{
	const struct cond *e;
	size_t i;

	if (c->kind == CK_EVENT)
		return c;
	for (i = 0; i < c->nkids; i++)
		if ((e = cond_event_in(c->kids[i])) != NULL)
			return e;
	return NULL;
}

struct cond *
cond_event_from_json(const cJSON *j, struct strbuf *path, char **cause)
{
	const cJSON *ev, *test, *prop, *where, *op, *vals, *win, *e;
	const struct cond *e2;
	struct cond_value v;
	struct cond *c;
	char *msg = NULL;
	size_t len, i = 0;

	ev = cJSON_GetObjectItemCaseSensitive(j, "event");
	if (!cJSON_IsString(ev) || *ev->valuestring == '\0') {
		cond_json_fail(cause, path,
		    _("\"event\" must be a non-empty string"));
		return NULL;
	}
	if (cond_json_utf8(ev->valuestring, "\"event\"", path, cause) != 0)
		return NULL;
	c = cond_new(CK_EVENT);
	c->event = xstrdup(ev->valuestring);
	c->op = CO_GE;
	test = cJSON_GetObjectItemCaseSensitive(j, "test");
	if (test == NULL)
		c->evtest = CE_DID;
	else if (!cJSON_IsString(test) ||
	    cond_evtest_from_name(test->valuestring, &c->evtest) != 0) {
		msg = xasprintf(_("unknown event test \"%s\" (expected did, "
		    "first, last, count, sum, avg, min or max)"),
		    cJSON_IsString(test) ? test->valuestring : "?");
		goto fail;
	}
	prop = cJSON_GetObjectItemCaseSensitive(j, "property");
	if (prop != NULL) {
		if (!cJSON_IsString(prop) || *prop->valuestring == '\0') {
			msg = xstrdup(_("\"property\" must be a non-empty "
			    "string"));
			goto fail;
		}
		if (cond_json_utf8(prop->valuestring, "\"property\"", path,
		    cause) != 0) {
			cond_free(c);
			return NULL;
		}
		c->field = xstrdup(prop->valuestring);
	}
	op = cJSON_GetObjectItemCaseSensitive(j, "op");
	if (op != NULL && (!cJSON_IsString(op) ||
	    cond_op_from_id(op->valuestring, &c->op) != 0)) {
		msg = xasprintf(_("unknown operator \"%s\""),
		    cJSON_IsString(op) ? op->valuestring : "?");
		goto fail;
	}
	vals = cJSON_GetObjectItemCaseSensitive(j, "values");
	if (vals != NULL && !cJSON_IsArray(vals)) {
		msg = xstrdup(_("\"values\" must be an array"));
		goto fail;
	}
	len = path->len;
	cJSON_ArrayForEach(e, vals) {
		sb_printf(path, "%svalues[%zu]", len != 0 ? "." : "", i++);
		if (cond_value_from_json(e, &v, path, cause) != 0) {
			cond_free(c);
			return NULL;
		}
		sb_truncate(path, len);
		cond_add_value(c, &v);
		free(v.s);
	}
	/*
	 * "did" at least once has neither: an "op" without "values" (a
	 * misspelt member) would be dropped without a word.
	 */
	if (c->evtest == CE_DID && op != NULL && c->nvalues == 0) {
		msg = xstrdup(_("a count is 'at least N', 'at most N', "
		    "'exactly N' or 'between N and M' times, N not negative"));
		goto fail;
	}
	win = cJSON_GetObjectItemCaseSensitive(j, "window");
	if (win != NULL && cond_window_from_json(win, &c->window, &msg) != 0)
		goto fail;
	where = cJSON_GetObjectItemCaseSensitive(j, "where");
	if (where != NULL) {
		sb_printf(path, "%swhere", len != 0 ? "." : "");
		c->where = cond_from_json_path(where, path, cause);
		sb_truncate(path, len);
		if (c->where == NULL) {
			cond_free(c);
			return NULL;
		}
	}
	/* As the script refuses it: a where tests one event, not events. */
	if (c->where != NULL && (e2 = cond_event_in(c->where)) != NULL) {
		msg = xasprintf(_("'%s' cannot be used inside 'where': it tests "
		    "the profile's events, 'where' tests one event"),
		    cond_evtest_name(e2->evtest));
		goto fail;
	}
	if (cond_event_shape(c, &msg) != 0)
		goto fail;
	return c;

fail:
	cond_free(c);
	cond_json_fail(cause, path, msg);
	free(msg);
	return NULL;
}
