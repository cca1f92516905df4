/*
 * The test after a predicate's operand in the script language
 * (doc/conditions.md, "Script language"): the comparison or keyword
 * operator and the values it takes, each checked for its kind as it is
 * read, so that an error names what was expected after which words.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "i18n.h"
#include "util.h"

static int
script_value(struct script_parser *p, struct cond_value *v, const char *after)
{
	struct script_tok *t = script_peek(p, 0);

	memset(v, 0, sizeof *v);
	switch (t->type) {
	case ST_STRING:
		v->kind = CV_STRING;
		v->s = t->str;
		t->str = NULL;
		break;
	case ST_INT:
		v->kind = CV_INT;
		v->i = t->i;
		break;
	case ST_FLOAT:
		v->kind = CV_FLOAT;
		v->f = t->f;
		break;
	case ST_DATE:
		v->kind = CV_DATE;
		v->date = t->date;
		break;
	case ST_DATETIME:
		v->kind = CV_DATETIME;
		v->i = t->i;
		break;
	default:
		if (script_is_word(t, "true") || script_is_word(t, "false")) {
			v->kind = CV_BOOL;
			v->i = script_is_word(t, "true");
			break;
		}
		script_fail(p, t, _("expected a value after '%s'"), after);
		return -1;
	}
	script_next(p);
	return 0;
}

static void
script_push_value(struct cond *c, struct cond_value *v)
{
	c->values = xreallocarray(c->values, c->nvalues + 1,
	    sizeof *c->values);
	c->values[c->nvalues++] = *v;
}

/* A value after `after`, appended to c. */
static int
script_take_value(struct script_parser *p, struct cond *c, const char *after)
{
	struct cond_value v;

	if (script_value(p, &v, after) != 0)
		return -1;
	script_push_value(c, &v);
	return 0;
}

/*
 * A value that must be a token of this type (a non-negative one for
 * ST_INT), appended to c; else fails with expected (one %s: after).
 */
static int
script_take_typed(struct script_parser *p, struct cond *c,
    enum script_tok_type type, const char *expected, const char *after)
{
	struct script_tok *t = script_peek(p, 0);

	if (t->type != type || (type == ST_INT && t->i < 0)) {
		script_fail(p, t, expected, after);
		return -1;
	}
	return script_take_value(p, c, after);
}

static int
script_string(struct script_parser *p, struct cond *c, const char *after)
{
	return script_take_typed(p, c, ST_STRING, _("expected a string in "
	    "double quotes after '%s'"), after);
}

/* "(" value { "," value } ")"; strings only when only_strings. */
static int
script_list(struct script_parser *p, struct cond *c, const char *after,
    int only_strings)
{
	struct script_tok *t = script_peek(p, 0);

	if (t->type != ST_LPAREN) {
		script_fail(p, t, _("expected '(' after '%s'"), after);
		return -1;
	}
	script_next(p);
	for (;;) {
		t = script_peek(p, 0);
		if (only_strings) {
			if (t->type != ST_STRING) {
				script_fail(p, t, _("expected a string in "
				    "double quotes in the list of '%s'"),
				    after);
				return -1;
			}
		} else if (t->type == ST_RPAREN || t->type == ST_COMMA ||
		    t->type == ST_END) {
			script_fail(p, t, _("expected a value in the list of "
			    "'%s'"), after);
			return -1;
		}
		if (script_take_value(p, c, after) != 0)
			return -1;
		t = script_peek(p, 0);
		if (t->type == ST_RPAREN)
			break;
		if (t->type != ST_COMMA) {
			script_fail(p, t, _("expected ',' or ')' in the list "
			    "of '%s'"), after);
			return -1;
		}
		script_next(p);
	}
	script_next(p);
	return 0;
}

/* A non-negative count for within/more than. */
static int
script_count(struct script_parser *p, struct cond *c, const char *after)
{
	return script_take_typed(p, c, ST_INT, _("expected a whole number "
	    "after '%s'"), after);
}

static int
script_date(struct script_parser *p, struct cond *c, const char *after)
{
	return script_take_typed(p, c, ST_DATE, _("expected a date "
	    "YYYY-MM-DD after '%s'"), after);
}

int
script_between_and(struct script_parser *p)
{
	struct script_tok *t = script_peek(p, 0);

	if (!script_is_word(t, "and")) {
		script_fail(p, t, _("expected 'and' after the first "
		    "value of 'between'"));
		return -1;
	}
	script_next(p);
	return 0;
}

/* "between" value "and" value; "between" is the current token. */
static int
script_between(struct script_parser *p, struct cond *c,
    int (*value)(struct script_parser *, struct cond *, const char *after))
{
	c->op = CO_BETWEEN;
	script_next(p);
	if (value(p, c, "between") != 0 || script_between_and(p) != 0)
		return -1;
	return value(p, c, "and");
}

int
script_compare(struct script_parser *p, struct cond *c,
    int (*value)(struct script_parser *, struct cond *, const char *after))
{
	struct script_tok *t = script_peek(p, 0);

	if (t->type == ST_CMP) {
		c->op = t->cmp;
		script_next(p);
		return value(p, c, cond_op_name(c->op));
	}
	if (script_is_word(t, "between"))
		return script_between(p, c, value);
	return 1;
}

/*
 * "in query" NAME or "not in query" NAME, "query" being the current
 * token: c becomes a CK_IN_QUERY (op CO_IN or CO_NOT_IN already set).
 */
static int
script_in_query(struct script_parser *p, struct cond *c, const char *after)
{
	struct script_tok *t;

	if (c->func != CF_NONE) {
		script_fail_at(p, c->line, c->column, xasprintf(_("'%s' tests "
		    "a field's own value, not %s(%s)"), after,
		    cond_func_name(c->func), c->field));
		return -1;
	}
	script_next(p);
	t = script_peek(p, 0);
	if (t->type != ST_STRING) {
		script_fail(p, t, _("expected a query name in double quotes "
		    "after '%s'"), after);
		return -1;
	}
	c->kind = CK_IN_QUERY;
	c->query = t->str;
	t->str = NULL;
	script_next(p);
	return 0;
}

/* "not in" list or "not contains" string; "not" is the current token. */
static int
script_test_not(struct script_parser *p, struct cond *c)
{
	struct script_tok *t;

	script_next(p);
	t = script_peek(p, 0);
	if (script_is_word(t, "in")) {
		c->op = CO_NOT_IN;
		script_next(p);
		if (script_is_word(script_peek(p, 0), "query"))
			return script_in_query(p, c, "not in query");
		return script_list(p, c, "not in", 0);
	}
	if (script_is_word(t, "contains")) {
		c->op = CO_NOT_CONTAINS;
		script_next(p);
		return script_string(p, c, "not contains");
	}
	script_fail(p, t, _("expected 'in' or 'contains' after "
	    "'not'"));
	return -1;
}

/* "is" followed by "empty", "not empty", "true" or "false". */
static int
script_test_is(struct script_parser *p, struct cond *c)
{
	struct script_tok *t;

	script_next(p);
	t = script_peek(p, 0);
	if (script_is_word(t, "not")) {
		c->op = CO_IS_NOT_EMPTY;
		script_next(p);
		return script_expect_word(p, "empty", "is not");
	}
	if (script_is_word(t, "empty"))
		c->op = CO_IS_EMPTY;
	else if (script_is_word(t, "true"))
		c->op = CO_IS_TRUE;
	else if (script_is_word(t, "false"))
		c->op = CO_IS_FALSE;
	else {
		script_fail(p, t, _("expected 'empty', 'not empty', "
		    "'true' or 'false' after 'is'"));
		return -1;
	}
	script_next(p);
	return 0;
}

/* "has" string, or "has any|all|none" and a list of strings. */
static int
script_test_has(struct script_parser *p, struct cond *c)
{
	struct script_tok *t;

	script_next(p);
	t = script_peek(p, 0);
	if (t->type == ST_STRING) {
		c->op = CO_HAS;
		return script_string(p, c, "has");
	}
	if (script_is_word(t, "any"))
		c->op = CO_HAS_ANY;
	else if (script_is_word(t, "all"))
		c->op = CO_HAS_ALL;
	else if (script_is_word(t, "none"))
		c->op = CO_HAS_NONE;
	else {
		script_fail(p, t, _("expected a string, 'any', 'all' "
		    "or 'none' after 'has'"));
		return -1;
	}
	script_next(p);
	return script_list(p, c, cond_op_name(c->op), 1);
}

/* "within last N days|hours" or "within next N days". */
static int
script_test_within(struct script_parser *p, struct cond *c)
{
	struct script_tok *t;
	char ctx[64];

	script_next(p);
	t = script_peek(p, 0);
	if (script_is_word(t, "last")) {
		script_next(p);
		if (script_count(p, c, "within last") != 0)
			return -1;
		snprintf(ctx, sizeof ctx, "within last %lld",
		    (long long)c->values[0].i);
		t = script_peek(p, 0);
		if (script_is_word(t, "days"))
			c->op = CO_WITHIN_LAST_DAYS;
		else if (script_is_word(t, "hours"))
			c->op = CO_WITHIN_LAST_HOURS;
		else {
			script_fail(p, t, _("expected 'days' or "
			    "'hours' after '%s'"), ctx);
			return -1;
		}
		script_next(p);
		return 0;
	}
	if (script_is_word(t, "next")) {
		script_next(p);
		if (script_count(p, c, "within next") != 0)
			return -1;
		c->op = CO_WITHIN_NEXT_DAYS;
		snprintf(ctx, sizeof ctx, "within next %lld",
		    (long long)c->values[0].i);
		return script_expect_word(p, "days", ctx);
	}
	script_fail(p, t, _("expected 'last' or 'next' after "
	    "'within'"));
	return -1;
}

/* "more than N days ago". */
static int
script_test_more(struct script_parser *p, struct cond *c)
{
	char ctx[64];

	script_next(p);
	if (script_expect_word(p, "than", "more") != 0 ||
	    script_count(p, c, "more than") != 0)
		return -1;
	c->op = CO_MORE_THAN_DAYS_AGO;
	snprintf(ctx, sizeof ctx, "more than %lld",
	    (long long)c->values[0].i);
	if (script_expect_word(p, "days", ctx) != 0)
		return -1;
	snprintf(ctx, sizeof ctx, "more than %lld days",
	    (long long)c->values[0].i);
	return script_expect_word(p, "ago", ctx);
}

/* The test after an operand; c is the CK_PRED with its field set. */
int
script_test(struct script_parser *p, struct cond *c, const char *operand)
{
	struct script_tok *t = script_peek(p, 0);
	int rc;

	if ((rc = script_compare(p, c, script_take_value)) <= 0)
		return rc;
	if (script_is_word(t, "in")) {
		c->op = CO_IN;
		script_next(p);
		if (script_is_word(script_peek(p, 0), "query"))
			return script_in_query(p, c, "in query");
		return script_list(p, c, "in", 0);
	}
	if (script_is_word(t, "not"))
		return script_test_not(p, c);
	if (script_is_word(t, "contains")) {
		c->op = CO_CONTAINS;
		script_next(p);
		return script_string(p, c, "contains");
	}
	if (script_is_word(t, "starts") || script_is_word(t, "ends")) {
		c->op = script_is_word(t, "starts") ? CO_STARTS_WITH :
		    CO_ENDS_WITH;
		script_next(p);
		if (script_expect_word(p, "with", c->op == CO_STARTS_WITH ?
		    "starts" : "ends") != 0)
			return -1;
		return script_string(p, c, cond_op_name(c->op));
	}
	if (script_is_word(t, "is"))
		return script_test_is(p, c);
	if (script_is_word(t, "has"))
		return script_test_has(p, c);
	if (script_is_word(t, "within"))
		return script_test_within(p, c);
	if (script_is_word(t, "more"))
		return script_test_more(p, c);
	if (script_is_word(t, "before") || script_is_word(t, "after") ||
	    script_is_word(t, "on")) {
		c->op = script_is_word(t, "before") ? CO_BEFORE :
		    script_is_word(t, "after") ? CO_AFTER : CO_ON;
		script_next(p);
		return script_date(p, c, cond_op_name(c->op));
	}
	script_fail(p, t, _("expected an operator after '%s'"), operand);
	return -1;
}
