/*
 * The event tests of the script language (doc/conditions.md, "Events"):
 * did, first/last, count of and sum/avg/min/max(...) of, with their
 * where, count, comparison, time test and window.  Their words are not
 * keywords: a field may still be called `count` or `first`, so an event
 * test is recognised by what follows the word (script_event_ahead).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "i18n.h"
#include "util.h"

/* Words after an operand that begin a predicate's test (script_test.c). */
static const char *const script_test_words[] = {
	"between", "in", "not", "contains", "starts", "ends", "is", "has",
	"within", "more", "before", "after", "on"
};

static int
script_starts_test(const struct script_tok *t)
{
	size_t i;

	if (t->type == ST_CMP)
		return 1;
	for (i = 0; i < sizeof script_test_words /
	    sizeof script_test_words[0]; i++)
		if (script_is_word(t, script_test_words[i]))
			return 1;
	return 0;
}

static int
script_agg_word(const struct script_tok *t, enum cond_evtest *out)
{
	static const enum cond_evtest aggs[] = { CE_SUM, CE_AVG, CE_MIN,
	    CE_MAX };
	size_t i;

	for (i = 0; i < sizeof aggs / sizeof aggs[0]; i++) {
		if (script_is_word(t, cond_evtest_name(aggs[i]))) {
			if (out != NULL)
				*out = aggs[i];
			return 1;
		}
	}
	return 0;
}

int
script_event_ahead(struct script_parser *p)
{
	struct script_tok *t = script_peek(p, 0), *t1;

	if (t->type != ST_WORD)
		return 0;
	t1 = script_peek(p, 1);
	if (script_is_word(t, "did") || script_is_word(t, "first") ||
	    script_is_word(t, "last")) {
		if (t1->type == ST_STRING)
			return 2;
		/* A field of that name has a test next; nothing else does. */
		return script_starts_test(t1) ? 0 : 1;
	}
	if (script_is_word(t, "count"))
		return script_is_word(t1, "of") ? 2 : 0;
	if (script_agg_word(t, NULL))
		return t1->type == ST_LPAREN ? 2 : 0;
	return 0;
}

static void
script_push_int(struct cond *c, int64_t i)
{
	struct cond_value v;

	memset(&v, 0, sizeof v);
	v.kind = CV_INT;
	v.i = i;
	cond_add_value(c, &v);
}

/* A whole number (not negative unless signed) after `after` into *out. */
static int
script_event_int(struct script_parser *p, const char *after, int signed_ok,
    int64_t *out)
{
	struct script_tok *t = script_peek(p, 0);

	if (t->type != ST_INT || (!signed_ok && t->i < 0)) {
		script_fail(p, t, _("expected a whole number after '%s'"),
		    after);
		return -1;
	}
	*out = t->i;
	script_next(p);
	return 0;
}

static int
script_event_date(struct script_parser *p, const char *after, int32_t *out)
{
	struct script_tok *t = script_peek(p, 0);

	if (t->type != ST_DATE) {
		script_fail(p, t, _("expected a date YYYY-MM-DD after '%s'"),
		    after);
		return -1;
	}
	*out = t->date;
	script_next(p);
	return 0;
}

/* "days" or "hours" after ctx; *hours says which. */
static int
script_event_unit(struct script_parser *p, const char *ctx, int *hours)
{
	struct script_tok *t = script_peek(p, 0);

	if (script_is_word(t, "days"))
		*hours = 0;
	else if (script_is_word(t, "hours"))
		*hours = 1;
	else {
		script_fail(p, t, _("expected 'days' or 'hours' after '%s'"),
		    ctx);
		return -1;
	}
	script_next(p);
	return 0;
}

/* "within last N days|hours"; "within" is the current token. */
static int
script_event_within(struct script_parser *p, int64_t *n, int *hours)
{
	struct script_tok *t;
	char ctx[64];

	script_next(p);
	if (script_expect_word(p, "last", "within") != 0)
		return -1;
	t = script_peek(p, 0);
	if (script_event_int(p, "within last", 0, n) != 0)
		return -1;
	/* As the JSON form reads back (cond_event.c), no more. */
	if (*n > COND_WINDOW_MAX) {
		script_fail(p, t, _("'within last' takes a number up to %d"),
		    COND_WINDOW_MAX);
		return -1;
	}
	snprintf(ctx, sizeof ctx, "within last %lld", (long long)*n);
	return script_event_unit(p, ctx, hours);
}

/* "between D1 and D2"; "between" is the current token. */
static int
script_event_dates(struct script_parser *p, int32_t *from, int32_t *to)
{
	script_next(p);
	if (script_event_date(p, "between", from) != 0 ||
	    script_between_and(p) != 0)
		return -1;
	return script_event_date(p, "and", to);
}

static int
script_window_ahead(const struct script_tok *t)
{
	return script_is_word(t, "within") || script_is_word(t, "between") ||
	    script_is_word(t, "since") || script_is_word(t, "before");
}

/* An optional window: within last, between dates, since, before. */
static int
script_event_window(struct script_parser *p, struct cond *c)
{
	struct script_tok *t = script_peek(p, 0);
	struct cond_window *w = &c->window;
	int hours;

	if (script_is_word(t, "within")) {
		if (script_event_within(p, &w->n, &hours) != 0)
			return -1;
		w->kind = hours ? CW_LAST_HOURS : CW_LAST_DAYS;
	} else if (script_is_word(t, "between")) {
		if (script_event_dates(p, &w->from, &w->to) != 0)
			return -1;
		w->kind = CW_BETWEEN;
	} else if (script_is_word(t, "since")) {
		script_next(p);
		if (script_event_date(p, "since", &w->from) != 0)
			return -1;
		w->kind = CW_SINCE;
	} else if (script_is_word(t, "before")) {
		script_next(p);
		if (script_event_date(p, "before", &w->to) != 0)
			return -1;
		w->kind = CW_BEFORE;
	}
	return 0;
}

/* "times", or "time" after the number 1. */
static int
script_event_times(struct script_parser *p, const char *ctx, int64_t n)
{
	struct script_tok *t = script_peek(p, 0);

	if (script_is_word(t, "times") || (n == 1 &&
	    script_is_word(t, "time"))) {
		script_next(p);
		return 0;
	}
	script_fail(p, t, _("expected 'times' after '%s'"), ctx);
	return -1;
}

/* The count of did: at least|at most|exactly N times, between N and M. */
static int
script_event_count(struct script_parser *p, struct cond *c)
{
	struct script_tok *t = script_peek(p, 0);
	const char *word;
	char ctx[96];
	int64_t n, m;

	if (script_is_word(t, "between")) {
		script_next(p);
		if (script_event_int(p, "between", 0, &n) != 0)
			return -1;
		t = script_peek(p, 0);
		if (!script_is_word(t, "and")) {
			script_fail(p, t, _("expected 'and' after the first "
			    "value of 'between'"));
			return -1;
		}
		script_next(p);
		if (script_event_int(p, "and", 0, &m) != 0)
			return -1;
		snprintf(ctx, sizeof ctx, "between %lld and %lld",
		    (long long)n, (long long)m);
		c->op = CO_BETWEEN;
		script_push_int(c, n);
		script_push_int(c, m);
		return script_event_times(p, ctx, m);
	}
	if (script_is_word(t, "exactly")) {
		script_next(p);
		c->op = CO_EQ;
		word = "exactly";
	} else {
		script_next(p);		/* "at" */
		t = script_peek(p, 0);
		if (script_is_word(t, "least")) {
			c->op = CO_GE;
			word = "at least";
		} else if (script_is_word(t, "most")) {
			c->op = CO_LE;
			word = "at most";
		} else {
			script_fail(p, t, _("expected 'least' or 'most' after "
			    "'at'"));
			return -1;
		}
		script_next(p);
	}
	if (script_event_int(p, word, 0, &n) != 0)
		return -1;
	script_push_int(c, n);
	snprintf(ctx, sizeof ctx, "%s %lld", word, (long long)n);
	return script_event_times(p, ctx, n);
}

/* did E [where] [count] [window]: after the where. */
static int
script_event_did(struct script_parser *p, struct cond *c)
{
	struct script_tok *t = script_peek(p, 0), *t1;

	if (script_is_word(t, "between")) {
		t1 = script_peek(p, 1);
		if (t1->type == ST_INT)
			return script_event_count(p, c) != 0 ? -1 :
			    script_event_window(p, c);
		if (t1->type != ST_DATE) {
			script_fail(p, t1, _("expected a whole number or a date "
			    "YYYY-MM-DD after 'between'"));
			return -1;
		}
	} else if (script_is_word(t, "at") || script_is_word(t, "exactly")) {
		if (script_event_count(p, c) != 0)
			return -1;
	}
	return script_event_window(p, c);
}

/* The time test of first/last; ctx is the text before it. */
static int
script_event_time(struct script_parser *p, struct cond *c, const char *ctx)
{
	struct script_tok *t = script_peek(p, 0);
	struct cond_value v;
	char buf[64];
	int64_t n;
	int32_t from, to;
	int hours;

	memset(&v, 0, sizeof v);
	if (script_is_word(t, "within")) {
		if (script_event_within(p, &n, &hours) != 0)
			return -1;
		c->op = hours ? CO_WITHIN_LAST_HOURS : CO_WITHIN_LAST_DAYS;
		script_push_int(c, n);
		return 0;
	}
	if (script_is_word(t, "more")) {
		script_next(p);
		if (script_expect_word(p, "than", "more") != 0 ||
		    script_event_int(p, "more than", 0, &n) != 0)
			return -1;
		snprintf(buf, sizeof buf, "more than %lld", (long long)n);
		if (script_event_unit(p, buf, &hours) != 0)
			return -1;
		snprintf(buf, sizeof buf, "more than %lld %s", (long long)n,
		    hours ? "hours" : "days");
		if (script_expect_word(p, "ago", buf) != 0)
			return -1;
		c->op = hours ? CO_MORE_THAN_HOURS_AGO : CO_MORE_THAN_DAYS_AGO;
		script_push_int(c, n);
		return 0;
	}
	v.kind = CV_DATE;
	if (script_is_word(t, "between")) {
		c->op = CO_BETWEEN;
		if (script_event_dates(p, &from, &to) != 0)
			return -1;
		v.date = from;
		cond_add_value(c, &v);
		v.date = to;
		cond_add_value(c, &v);
		return 0;
	}
	if (script_is_word(t, "before") || script_is_word(t, "after") ||
	    script_is_word(t, "on")) {
		c->op = script_is_word(t, "before") ? CO_BEFORE :
		    script_is_word(t, "after") ? CO_AFTER : CO_ON;
		script_next(p);
		if (script_event_date(p, cond_op_name(c->op), &v.date) != 0)
			return -1;
		cond_add_value(c, &v);
		return 0;
	}
	if (script_is_word(t, "since")) {
		script_fail_at(p, t->line, t->column, xasprintf(_("'%s' takes "
		    "a time test, not a window"), cond_evtest_name(c->evtest)));
		return -1;
	}
	script_fail(p, t, _("expected a time test (within last, more than, "
	    "before, after, on or between) after '%s'"), ctx);
	return -1;
}

/* A value of count of (whole number) or of an aggregate (number). */
static int
script_event_number(struct script_parser *p, struct cond *c,
    const char *after)
{
	struct script_tok *t = script_peek(p, 0);
	struct cond_value v;

	memset(&v, 0, sizeof v);
	if (t->type == ST_INT) {
		v.kind = CV_INT;
		v.i = t->i;
	} else if (t->type == ST_FLOAT && c->evtest != CE_COUNT) {
		v.kind = CV_FLOAT;
		v.f = t->f;
	} else {
		script_fail(p, t, c->evtest == CE_COUNT ?
		    _("expected a whole number after '%s'") :
		    _("expected a number after '%s'"), after);
		return -1;
	}
	cond_add_value(c, &v);
	script_next(p);
	return 0;
}

/* cmp number, or between a and b, after ctx (count of, sum(...) of). */
static int
script_event_cmp(struct script_parser *p, struct cond *c, const char *ctx)
{
	int rc;

	if ((rc = script_compare(p, c, script_event_number)) <= 0)
		return rc;
	script_fail(p, script_peek(p, 0), _("expected a comparison (=, !=, "
	    "<, <=, >, >= or between) after '%s'"), ctx);
	return -1;
}

/* where "(" expr ")"; "where" is the current token. */
static int
script_event_where(struct script_parser *p, struct cond *c)
{
	struct script_tok *t;
	int line, column;

	script_next(p);
	t = script_peek(p, 0);
	if (t->type != ST_LPAREN) {
		script_fail(p, t, _("expected '(' after 'where'"));
		return -1;
	}
	line = t->line;
	column = t->column;
	script_next(p);
	p->in_where++;
	p->depth++;
	c->where = script_or(p, "where (");
	p->depth--;
	p->in_where--;
	if (c->where == NULL)
		return -1;
	t = script_peek(p, 0);
	if (t->type != ST_RPAREN) {
		script_fail(p, t, _("expected ')' for the '(' at line %d, "
		    "column %d"), line, column);
		return -1;
	}
	script_next(p);
	return 0;
}

struct cond *
script_event(struct script_parser *p)
{
	struct script_tok *t = script_peek(p, 0);
	struct cond *c;
	char *head = NULL, *ctx = NULL;
	int r;

	if (p->in_where) {
		script_fail_at(p, t->line, t->column, xasprintf(_("'%.*s' "
		    "cannot be used inside 'where': it tests the profile's "
		    "events, 'where' tests one event"), (int)t->len, t->p));
		return NULL;
	}
	c = cond_new(CK_EVENT);
	c->line = t->line;
	c->column = t->column;
	c->op = CO_GE;
	if (script_is_word(t, "count")) {
		c->evtest = CE_COUNT;
		script_next(p);
		script_next(p);
		head = xstrdup("count of");
	} else if (script_agg_word(t, &c->evtest)) {
		script_next(p);
		script_next(p);
		head = xasprintf("%s(", cond_evtest_name(c->evtest));
		if ((c->field = script_name(p, _("expected a property name "
		    "after '%s'"), head)) == NULL)
			goto fail;
		t = script_peek(p, 0);
		if (t->type != ST_RPAREN) {
			script_fail(p, t, _("expected ')' after the property "
			    "of '%s'"), head);
			goto fail;
		}
		script_next(p);
		free(head);
		head = xasprintf("%s(%s)", cond_evtest_name(c->evtest),
		    c->field);
		if (script_expect_word(p, "of", head) != 0)
			goto fail;
		free(head);
		head = xasprintf("%s(%s) of", cond_evtest_name(c->evtest),
		    c->field);
	} else {
		c->evtest = script_is_word(t, "did") ? CE_DID :
		    script_is_word(t, "first") ? CE_FIRST : CE_LAST;
		head = xstrdup(cond_evtest_name(c->evtest));
		script_next(p);
	}
	t = script_peek(p, 0);
	if (t->type != ST_STRING) {
		script_fail(p, t, _("expected an event name in double quotes "
		    "after '%s'"), head);
		goto fail;
	}
	if (*t->str == '\0') {
		script_fail_at(p, t->line, t->column,
		    xstrdup(_("an event name cannot be empty")));
		goto fail;
	}
	c->event = t->str;
	t->str = NULL;
	script_next(p);
	ctx = xasprintf("%s \"%s\"", head, c->event);
	if (script_is_word(script_peek(p, 0), "where") &&
	    script_event_where(p, c) != 0)
		goto fail;
	switch (c->evtest) {
	case CE_DID:
		r = script_event_did(p, c);
		break;
	case CE_FIRST:
	case CE_LAST:
		r = script_event_time(p, c, ctx);
		t = script_peek(p, 0);
		if (r == 0 && script_window_ahead(t)) {
			script_fail_at(p, t->line, t->column, xasprintf(
			    _("'%s' takes a time test, not a window"),
			    cond_evtest_name(c->evtest)));
			r = -1;
		}
		break;
	default:
		r = script_event_cmp(p, c, ctx);
		if (r == 0)
			r = script_event_window(p, c);
		break;
	}
	if (r != 0)
		goto fail;
	free(ctx);
	free(head);
	return c;

fail:
	free(ctx);
	free(head);
	cond_free(c);
	return NULL;
}
