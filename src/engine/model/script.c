/*
 * The parser of the script language (doc/conditions.md, "Script
 * language"): a recursive descent from "or" through "and" and "not" down
 * to parentheses, "in segment" and predicates, building the tree of
 * cond.h.  The test after a predicate's operand is script_test.c's, event
 * tests are script_event.c's; the first error stops the parse and names
 * its line and column.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "i18n.h"
#include "util.h"

/* Deepest nesting of '(' and 'not': the parser recurses once per level. */
#define SCRIPT_MAX_DEPTH 256

/* The token as "found ..." shows it. */
static char *
script_describe(const struct script_tok *t)
{
	if (t->type == ST_END)
		return xstrdup(_("end of script"));
	if (t->len > 40)
		return xasprintf(t->type == ST_STRING ? "%.37s..." :
		    "'%.37s...'", t->p);
	return xasprintf(t->type == ST_STRING ? "%.*s" : "'%.*s'",
	    (int)t->len, t->p);
}

void
script_fail_at(struct script_parser *p, int line, int column, char *msg)
{
	if (!p->failed)
		error_set(p->cause, _("line %d, column %d: %s"), line, column,
		    msg);
	p->failed = 1;
	free(msg);
}

void
script_fail(struct script_parser *p, const struct script_tok *t,
    const char *fmt, ...)
{
	char *what, *msg, *found;
	va_list ap;

	if (t->type == ST_ERR) {
		script_fail_at(p, t->line, t->column, xstrdup(t->err));
		return;
	}
	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	found = script_describe(t);
	msg = xasprintf(_("%s, found %s"), what, found);
	free(found);
	free(what);
	script_fail_at(p, t->line, t->column, msg);
}

static void
script_unexpected(struct script_parser *p, const struct script_tok *t)
{
	char *found;

	if (t->type == ST_ERR) {
		script_fail(p, t, "%s", "");
		return;
	}
	found = script_describe(t);
	script_fail_at(p, t->line, t->column,
	    xasprintf(_("unexpected %s"), found));
	free(found);
}

int
script_expect_word(struct script_parser *p, const char *w, const char *after)
{
	struct script_tok *t = script_peek(p, 0);

	if (!script_is_word(t, w)) {
		script_fail(p, t, _("expected '%s' after '%s'"), w, after);
		return -1;
	}
	script_next(p);
	return 0;
}

char *
script_name(struct script_parser *p, const char *expected, const char *after)
{
	struct script_tok *t = script_peek(p, 0);
	char *name;

	if (t->type == ST_QNAME) {
		name = t->str;
		t->str = NULL;
	} else if (t->type == ST_WORD && !script_is_keyword(t->p, t->len))
		name = xstrndup(t->p, t->len);
	else {
		script_fail(p, t, expected, after);
		return NULL;
	}
	script_next(p);
	return name;
}

/* A field name token into a new string, or NULL. */
static char *
script_field_name(struct script_parser *p, const char *after)
{
	return script_name(p, _("expected a field name after '%s'"), after);
}

static struct cond *
script_predicate(struct script_parser *p)
{
	struct script_tok *t = script_peek(p, 0), *t1;
	struct cond *c;
	enum cond_func func = CF_NONE;
	char *operand, fctx[32];
	int line = t->line, column = t->column;

	c = cond_new(CK_PRED);
	c->line = line;
	c->column = column;
	t1 = script_peek(p, 1);
	if (t->type == ST_WORD && t1->type == ST_LPAREN &&
	    script_is_func(t->p, t->len, &func)) {
		c->func = func;
		script_next(p);
		script_next(p);
		snprintf(fctx, sizeof fctx, "%s(", cond_func_name(func));
		if ((c->field = script_field_name(p, fctx)) == NULL)
			goto fail;
		t = script_peek(p, 0);
		if (t->type != ST_RPAREN) {
			script_fail(p, t, _("expected ')' after the field "
			    "name of '%s'"), fctx);
			goto fail;
		}
		script_next(p);
	} else if ((c->field = script_field_name(p, "")) == NULL)
		goto fail;
	if (func != CF_NONE)
		operand = xasprintf("%s(%s)", cond_func_name(func), c->field);
	else
		operand = xstrdup(c->field);
	if (script_test(p, c, operand) != 0) {
		free(operand);
		goto fail;
	}
	free(operand);
	return c;

fail:
	cond_free(c);
	return NULL;
}

static struct cond *
script_not(struct script_parser *p, const char *after)
{
	struct script_tok *t = script_peek(p, 0);
	struct cond *c, *kid;
	int line = t->line, column = t->column, event;
	char *found;

	if (t->type == ST_END) {
		if (after != NULL)
			script_fail(p, t, _("expected a condition after '%s'"),
			    after);
		else
			script_fail(p, t, _("expected a condition"));
		return NULL;
	}
	if ((script_is_word(t, "not") || t->type == ST_LPAREN) &&
	    p->depth >= SCRIPT_MAX_DEPTH) {
		script_fail_at(p, line, column, xasprintf(_("conditions are "
		    "nested more than %d levels deep"), SCRIPT_MAX_DEPTH));
		return NULL;
	}
	if (script_is_word(t, "not")) {
		script_next(p);
		p->depth++;
		kid = script_not(p, "not");
		p->depth--;
		if (kid == NULL)
			return NULL;
		c = cond_new(CK_NOT);
		c->line = line;
		c->column = column;
		cond_add_kid(c, kid);
		return c;
	}
	if (t->type == ST_LPAREN) {
		script_next(p);
		p->depth++;
		c = script_or(p, "(");
		p->depth--;
		if (c == NULL)
			return NULL;
		t = script_peek(p, 0);
		if (t->type != ST_RPAREN) {
			script_fail(p, t, _("expected ')' for the '(' at line "
			    "%d, column %d"), line, column);
			cond_free(c);
			return NULL;
		}
		script_next(p);
		return c;
	}
	if (script_is_word(t, "in")) {
		script_next(p);
		if (script_expect_word(p, "segment", "in") != 0)
			return NULL;
		t = script_peek(p, 0);
		if (t->type != ST_STRING) {
			script_fail(p, t, _("expected a segment name in double "
			    "quotes after 'in segment'"));
			return NULL;
		}
		/* As the JSON form: no segment has an empty name. */
		if (*t->str == '\0') {
			script_fail_at(p, t->line, t->column,
			    xstrdup(_("the segment name is empty")));
			return NULL;
		}
		c = cond_new(CK_IN_SEGMENT);
		c->line = line;
		c->column = column;
		c->segment = t->str;
		t->str = NULL;
		script_next(p);
		return c;
	}
	/* Before the keywords: `last "login" ...` starts with one. */
	event = script_event_ahead(p);
	if (event == 2 || (event == 1 && !p->in_where))
		return script_event(p);
	if (t->type == ST_WORD && script_is_keyword(t->p, t->len) &&
	    !script_is_word(t, "and") && !script_is_word(t, "or")) {
		found = script_describe(t);
		script_fail_at(p, t->line, t->column, xasprintf(_("%s is a "
		    "keyword; write `%.*s` for a field of that name"), found,
		    (int)t->len, t->p));
		free(found);
		return NULL;
	}
	if (t->type == ST_WORD && !script_is_word(t, "and") &&
	    !script_is_word(t, "or"))
		return script_predicate(p);
	if (t->type == ST_QNAME)
		return script_predicate(p);
	if (t->type == ST_STRING || t->type == ST_INT ||
	    t->type == ST_FLOAT || t->type == ST_DATE ||
	    t->type == ST_DATETIME) {
		script_fail(p, t, _("expected a field name"));
		return NULL;
	}
	script_unexpected(p, t);
	return NULL;
}

/* and_expr or or_expr: kind CK_AND over script_not, CK_OR over and. */
static struct cond *
script_chain(struct script_parser *p, enum cond_kind kind, const char *after)
{
	struct cond *first, *g, *kid;
	const char *w = kind == CK_AND ? "and" : "or";

	first = kind == CK_AND ? script_not(p, after) :
	    script_chain(p, CK_AND, after);
	if (first == NULL)
		return NULL;
	if (!script_is_word(script_peek(p, 0), w))
		return first;
	g = cond_new(kind);
	g->line = first->line;
	g->column = first->column;
	cond_add_kid(g, first);
	while (script_is_word(script_peek(p, 0), w)) {
		script_next(p);
		kid = kind == CK_AND ? script_not(p, w) :
		    script_chain(p, CK_AND, w);
		if (kid == NULL) {
			cond_free(g);
			return NULL;
		}
		cond_add_kid(g, kid);
	}
	return g;
}

struct cond *
script_or(struct script_parser *p, const char *after)
{
	return script_chain(p, CK_OR, after);
}

struct cond *
cond_parse(const char *script, char **cause)
{
	struct script_parser p;
	struct script_tok *t;
	struct cond *c = NULL;
	const unsigned char *s = (const unsigned char *)script;
	size_t n;
	int i;

	memset(&p, 0, sizeof p);
	p.src = script;
	p.line = p.column = 1;
	p.cause = cause;

	/* Positions count characters, so the text must be UTF-8 first. */
	while (*s != '\0') {
		if ((n = script_utf8_len(s)) == 0) {
			error_set(cause, _("line %d, column %d: invalid UTF-8"),
			    p.line, p.column);
			return NULL;
		}
		while (n-- > 0)
			script_advance(&p);
		s = (const unsigned char *)p.src + p.pos;
	}
	p.pos = 0;
	p.line = p.column = 1;

	t = script_peek(&p, 0);
	if (t->type == ST_END) {
		c = cond_new(CK_AND);
		c->line = c->column = 1;
		goto out;
	}
	if ((c = script_or(&p, NULL)) == NULL)
		goto out;
	t = script_peek(&p, 0);
	if (t->type == ST_RPAREN)
		script_unexpected(&p, t);
	else if (t->type != ST_END)
		script_fail(&p, t, _("expected 'and' or 'or'"));
	if (p.failed) {
		cond_free(c);
		c = NULL;
	}
out:
	for (i = 0; i < p.ntoks; i++)
		script_tok_clear(&p.toks[i]);
	if (c == NULL && !p.failed)
		error_set(cause, _("line 1, column 1: invalid script"));
	return c;
}
