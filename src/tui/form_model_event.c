/*
 * Event conditions in the segment form's model: the event editor's
 * choices (test, name, property, filters, count or comparison or time
 * test, window) from and into a CK_EVENT node, the typed values read like
 * a predicate's, and the filters of a where edited one by one.  The node
 * is checked by the engine (cond_check); this file only reads what was
 * typed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "form_model.h"
#include "form_model_int.h"
#include "i18n.h"
#include "schema.h"
#include "timeutil.h"
#include "util.h"

void
fm_event_init(struct fm_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->test = CE_DID;
	ev->op = CO_GE;
	ev->window = CW_NONE;
}

void
fm_event_free(struct fm_event *ev)
{
	free(ev->event);
	free(ev->prop);
	cond_free(ev->where);
	free(ev->values);
	free(ev->wvalues);
	fm_event_init(ev);
}

static int
fm_is_agg(enum cond_evtest t)
{
	return t == CE_SUM || t == CE_AVG || t == CE_MIN || t == CE_MAX;
}

/* The values of a node as the values box reads them ("2 and 5"). */
static char *
fm_event_values_text(const struct cond *c)
{
	char	*a, *b, *t;

	if (c->nvalues == 0)
		return xstrdup("");
	a = cond_value_print(&c->values[0]);
	if (c->nvalues < 2)
		return a;
	b = cond_value_print(&c->values[1]);
	t = xasprintf("%s and %s", a, b);
	free(a);
	free(b);
	return t;
}

void
fm_event_from_cond(struct fm_event *ev, const struct cond *c)
{
	char	 b1[TU_DATE_BUF], b2[TU_DATE_BUF];

	fm_event_free(ev);
	ev->test = c->evtest;
	ev->event = xstrdup(c->event != NULL ? c->event : "");
	if (c->field != NULL)
		ev->prop = xstrdup(c->field);
	if (c->where != NULL)
		ev->where = cond_clone(c->where);
	ev->counted = c->evtest != CE_DID || c->nvalues > 0;
	ev->op = c->op;
	ev->values = fm_event_values_text(c);
	ev->window = c->window.kind;
	switch (c->window.kind) {
	case CW_LAST_DAYS:
	case CW_LAST_HOURS:
		ev->wvalues = xasprintf("%lld", (long long)c->window.n);
		break;
	case CW_BETWEEN:
		ev->wvalues = xasprintf("%s and %s",
		    tu_format_date(c->window.from, b1),
		    tu_format_date(c->window.to, b2));
		break;
	case CW_SINCE:
		ev->wvalues = xstrdup(tu_format_date(c->window.from, b1));
		break;
	case CW_BEFORE:
		ev->wvalues = xstrdup(tu_format_date(c->window.to, b1));
		break;
	case CW_NONE:
		break;
	}
}

size_t
fm_event_ops(enum cond_evtest t, enum cond_op *out)
{
	const enum cond_op *ops;
	size_t n = cond_evtest_ops(t, &ops);

	memcpy(out, ops, n * sizeof *ops);
	return n;
}

const char *
fm_event_value_hint(enum cond_evtest t, enum cond_op op)
{
	if (t == CE_FIRST || t == CE_LAST) {
		switch (op) {
		case CO_WITHIN_LAST_DAYS: case CO_MORE_THAN_DAYS_AGO:
			return _("a number of days");
		case CO_WITHIN_LAST_HOURS: case CO_MORE_THAN_HOURS_AGO:
			return _("a number of hours");
		case CO_BETWEEN:
			return _("two dates: from, to (YYYY-MM-DD)");
		default:
			return _("a date, YYYY-MM-DD");
		}
	}
	if (op == CO_BETWEEN)
		return t == CE_DID || t == CE_COUNT ?
		    _("two whole numbers: from, to") :
		    _("two numbers: from, to");
	return t == CE_DID ? _("how many times, a whole number") :
	    t == CE_COUNT ? _("a whole number") : _("a number");
}

const char *
fm_window_hint(enum cond_window_kind w)
{
	switch (w) {
	case CW_LAST_DAYS:
		return _("a number of days");
	case CW_LAST_HOURS:
		return _("a number of hours");
	case CW_BETWEEN:
		return _("two dates: from, to (YYYY-MM-DD)");
	case CW_SINCE:
	case CW_BEFORE:
		return _("a date, YYYY-MM-DD");
	case CW_NONE:
		break;
	}
	return NULL;
}

static void
fm_free_split(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Typed values into cv, as many as the operator takes. */
static int
fm_event_read(const char *text, enum field_type rt, enum cond_op op,
    struct cond_value *cv, size_t *ncv, char **cause)
{
	char	**v;
	size_t	 n, i, want = op == CO_BETWEEN ? 2 : 1;
	int	 rc = 0;

	fm_split_values(text != NULL ? text : "", &v, &n);
	if (want == 2)
		fm_split_between(&v, &n);
	if (n != want)
		rc = error_set(cause, "%s", want == 2 ?
		    _("Two values are needed: from, to.") :
		    _("One value is needed."));
	for (i = 0; rc == 0 && i < n; i++) {
		if (fm_value(rt, op, v[i], &cv[i], cause) != 0)
			rc = -1;
	}
	*ncv = rc == 0 ? n : 0;
	fm_free_split(v, n);
	return rc;
}

int
fm_event_values(const struct fm_event *ev, struct cond *node, char **cause)
{
	struct cond_value cv[2];
	enum field_type	 rt;
	size_t		 n, i;

	free(node->values);
	node->values = NULL;
	node->nvalues = 0;
	node->op = ev->op;
	if (ev->test == CE_DID && !ev->counted) {
		node->op = CO_GE;
		return 0;
	}
	if (ev->test == CE_FIRST || ev->test == CE_LAST)
		rt = FT_DATE;
	else if (fm_is_agg(ev->test))
		rt = FT_FLOAT;
	else
		rt = FT_INT;
	if (fm_event_read(ev->values, rt, ev->op, cv, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++)
		cond_add_value(node, &cv[i]);
	return 0;
}

int
fm_event_window(const struct fm_event *ev, struct cond_window *w,
    char **cause)
{
	struct cond_value cv[2];
	size_t		 n;

	memset(w, 0, sizeof *w);
	w->kind = ev->window;
	switch (ev->window) {
	case CW_NONE:
		return 0;
	case CW_LAST_DAYS:
	case CW_LAST_HOURS:
		if (fm_event_read(ev->wvalues, FT_INT, CO_WITHIN_LAST_DAYS, cv,
		    &n, cause) != 0)
			return -1;
		w->n = cv[0].i;
		return 0;
	case CW_BETWEEN:
		if (fm_event_read(ev->wvalues, FT_DATE, CO_BETWEEN, cv, &n,
		    cause) != 0)
			return -1;
		w->from = cv[0].date;
		w->to = cv[1].date;
		return 0;
	case CW_SINCE:
	case CW_BEFORE:
		if (fm_event_read(ev->wvalues, FT_DATE, CO_ON, cv, &n,
		    cause) != 0)
			return -1;
		if (ev->window == CW_SINCE)
			w->from = cv[0].date;
		else
			w->to = cv[0].date;
		return 0;
	}
	return error_set(cause, "%s", _("Unknown window."));
}

int
fm_event_build(const struct pdb_schema *schema, const struct fm_event *ev,
    struct cond **out, char **cause)
{
	struct cond	*c;
	char		*name;

	*out = NULL;
	name = fm_trim(ev->event != NULL ? ev->event : "");
	if (*name == '\0') {
		free(name);
		return error_set(cause, "%s", _("Choose or type the event's "
		    "name."));
	}
	c = cond_new(CK_EVENT);
	c->evtest = ev->test;
	c->event = name;
	if (fm_is_agg(ev->test) && ev->prop != NULL)
		c->field = xstrdup(ev->prop);
	if (ev->where != NULL)
		c->where = cond_clone(ev->where);
	if (fm_event_values(ev, c, cause) != 0 || (ev->test != CE_FIRST &&
	    ev->test != CE_LAST && fm_event_window(ev, &c->window,
	    cause) != 0) || cond_check(c, schema, NULL, NULL, cause) != 0) {
		cond_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

struct pdb_schema *
fm_event_schema(const struct pdb_schema *db)
{
	struct pdb_schema *s;
	uint16_t	 i;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup(db->name);
	s->id = db->id;
	s->nfields = db->nevent_fields + 1;
	s->fields = xcalloc(s->nfields, sizeof *s->fields);
	for (i = 0; i < db->nevent_fields; i++) {
		s->fields[i].name = xstrdup(db->event_fields[i].name);
		s->fields[i].type = db->event_fields[i].type;
	}
	s->fields[i].name = xstrdup("time");
	s->fields[i].type = FT_DATETIME;
	s->key_field = i;
	return s;
}

/* A predicate, or "not" of one: a filter the form edits. */
static int
fm_is_filter(const struct cond *c)
{
	if (c->kind == CK_NOT && c->nkids == 1)
		c = c->kids[0];
	return c->kind == CK_PRED;
}

int
fm_where_filters(struct cond **where, struct cond ***out)
{
	struct cond	*w = *where;
	size_t		 i;

	*out = NULL;
	if (w == NULL)
		return 0;
	if (fm_is_filter(w)) {
		*out = where;
		return 1;
	}
	if (w->kind != CK_AND || w->nkids < 2)
		return -1;
	for (i = 0; i < w->nkids; i++)
		if (!fm_is_filter(w->kids[i]))
			return -1;
	*out = w->kids;
	return (int)w->nkids;
}

void
fm_where_add(struct cond **where, struct cond *filter)
{
	struct cond	*g;

	if (*where == NULL) {
		*where = filter;
		return;
	}
	if ((*where)->kind != CK_AND) {
		g = cond_new(CK_AND);
		cond_add_kid(g, *where);
		*where = g;
	}
	cond_add_kid(*where, filter);
}

void
fm_where_replace(struct cond **where, int i, struct cond *filter)
{
	struct cond	**f;
	int		 n = fm_where_filters(where, &f);

	if (i < 0 || i >= n) {
		cond_free(filter);
		return;
	}
	cond_free(f[i]);
	f[i] = filter;
}

void
fm_where_remove(struct cond **where, int i)
{
	struct cond	**f, *w = *where, *last;
	int		 n = fm_where_filters(where, &f);

	if (i < 0 || i >= n)
		return;
	if (n == 1) {
		cond_free(w);
		*where = NULL;
		return;
	}
	cond_free(w->kids[i]);
	memmove(w->kids + i, w->kids + i + 1,
	    (w->nkids - (size_t)i - 1) * sizeof *w->kids);
	w->nkids--;
	if (w->nkids == 1) {
		/* One filter left: the where is that predicate. */
		last = w->kids[0];
		w->nkids = 0;
		cond_free(w);
		*where = last;
	}
}
