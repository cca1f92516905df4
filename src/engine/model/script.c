/*
 * The script language of conditions (SPEC 2): a lexer, a recursive
 * descent parser building the tree of cond.h, and the printer giving the
 * canonical text of a tree.  Positions are 1-based; columns count
 * characters (UTF-8 sequences), not bytes.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

enum script_tok_type {
	ST_END,
	ST_WORD,		/* identifier or keyword */
	ST_QNAME,		/* `back-quoted name` */
	ST_STRING,
	ST_INT,
	ST_FLOAT,
	ST_DATE,
	ST_DATETIME,
	ST_LPAREN,
	ST_RPAREN,
	ST_COMMA,
	ST_CMP,
	ST_ERR
};

struct script_tok {
	enum script_tok_type type;
	const char	*p;		/* source text */
	size_t		 len;
	int		 line, column;
	char		*str;		/* ST_STRING, ST_QNAME: decoded */
	int64_t		 i;		/* ST_INT, ST_DATETIME */
	double		 f;
	int32_t		 date;
	enum cond_op	 cmp;
	char		*err;		/* ST_ERR: message without location */
};

#define SCRIPT_LOOKAHEAD 3

/* Deepest nesting of '(' and 'not': the parser recurses once per level. */
#define SCRIPT_MAX_DEPTH 256

struct script_parser {
	const char	*src;
	size_t		 pos;
	int		 line, column;
	struct script_tok toks[SCRIPT_LOOKAHEAD];
	int		 ntoks;
	char		**cause;
	int		 failed;
	int		 depth;		/* open '(' and 'not' */
};

/* Words that are never read as a plain field name (see doc/conditions.md). */
static const char *script_keywords[] = {
	"after", "ago", "all", "and", "any", "before", "between", "contains",
	"days", "empty", "ends", "false", "has", "hours", "in", "is", "last",
	"more", "next", "none", "not", "on", "or", "segment", "starts", "than",
	"true", "with", "within"
};

static int
script_is_keyword(const char *p, size_t len)
{
	size_t i, kl;

	for (i = 0; i < sizeof script_keywords / sizeof script_keywords[0];
	    i++) {
		kl = strlen(script_keywords[i]);
		if (ascii_strncasecmp_n(p, len, script_keywords[i], kl) == 0)
			return 1;
	}
	return 0;
}

static int
script_is_func(const char *p, size_t len, enum cond_func *out)
{
	enum cond_func f;
	const char *name;

	for (f = CF_AGE; f <= CF_LOWER; f++) {
		name = cond_func_name(f);
		if (ascii_strncasecmp_n(p, len, name, strlen(name)) == 0) {
			if (out != NULL)
				*out = f;
			return 1;
		}
	}
	return 0;
}

/* Lexer. */

static int
script_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static int
script_num_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
	    c == '+' || c == '-';
}

static int
script_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static void
script_advance(struct script_parser *p)
{
	unsigned char c = (unsigned char)p->src[p->pos++];

	if (c == '\n') {
		p->line++;
		p->column = 1;
	} else if ((c & 0xc0) != 0x80)
		p->column++;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
script_utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

static void
script_tok_error(struct script_tok *t, char *msg)
{
	t->type = ST_ERR;
	t->err = msg;
}

/* A quoted string or name; the opening quote is at p->pos. */
static void
script_lex_quoted(struct script_parser *p, struct script_tok *t, char q)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char c;

	script_advance(p);
	for (;;) {
		c = (unsigned char)p->src[p->pos];
		if (c == '\0') {
			sb_free(&sb);
			script_tok_error(t, xstrdup(q == '"' ?
			    _("unterminated string") :
			    _("unterminated field name")));
			return;
		}
		if (c == (unsigned char)q)
			break;
		if (c == '\\') {
			c = (unsigned char)p->src[p->pos + 1];
			if (c != (unsigned char)q && c != '\\') {
				sb_free(&sb);
				t->line = p->line;
				t->column = p->column;
				script_tok_error(t, q == '"' ?
				    xstrdup(_("unknown escape in string; "
				    "only \\\" and \\\\ are allowed")) :
				    xstrdup(_("unknown escape in field name; "
				    "only \\` and \\\\ are allowed")));
				return;
			}
			sb_putc(&sb, (char)c);
			script_advance(p);
			script_advance(p);
			continue;
		}
		sb_putc(&sb, (char)c);
		script_advance(p);
	}
	script_advance(p);
	t->type = q == '"' ? ST_STRING : ST_QNAME;
	t->str = sb.buf != NULL ? sb_detach(&sb) : xstrdup("");
	if (t->type == ST_QNAME && *t->str == '\0') {
		free(t->str);
		t->str = NULL;
		script_tok_error(t, xstrdup(_("empty field name")));
	}
}

static void
script_lex_number(struct script_parser *p, struct script_tok *t)
{
	const char *s = p->src + p->pos;
	size_t n = 0, i = 0, j;
	char *copy;
	int frac = 0, expo = 0;

	if (s[n] == '-')
		n++;
	while (script_num_char((unsigned char)s[n]))
		n++;
	while (p->src + p->pos < s + n)
		script_advance(p);
	t->len = n;

	/* A date starts with four digits and a dash. */
	if (n >= 5 && script_digit(s[0]) && script_digit(s[1]) &&
	    script_digit(s[2]) && script_digit(s[3]) && s[4] == '-') {
		if (n == 10 && tu_parse_date(s, n, &t->date) == 0) {
			t->type = ST_DATE;
			return;
		}
		if (n > 10 && tu_parse_datetime(s, n, 1, &t->i) == 0 &&
		    s[10] != ' ') {
			t->type = ST_DATETIME;
			return;
		}
		script_tok_error(t, n <= 10 ?
		    xasprintf(_("invalid date '%.*s' (expected YYYY-MM-DD)"),
		    (int)n, s) :
		    xasprintf(_("invalid date-time '%.*s' (expected "
		    "YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as "
		    "+03:00)"), (int)n, s));
		return;
	}

	if (s[i] == '-')
		i++;
	j = i;
	while (i < n && script_digit(s[i]))
		i++;
	if (i == j)
		goto bad;
	if (i < n && s[i] == '.') {
		j = ++i;
		while (i < n && script_digit(s[i]))
			i++;
		if (i == j)
			goto bad;
		frac = 1;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		j = i;
		while (i < n && script_digit(s[i]))
			i++;
		if (i == j)
			goto bad;
		expo = 1;
	}
	if (i != n)
		goto bad;
	if (!frac && !expo) {
		if (parse_int64(s, n, &t->i) != 0)
			goto range;
		t->type = ST_INT;
		return;
	}
	copy = xstrndup(s, n);
	t->f = strtod(copy, NULL);
	free(copy);
	/*
	 * As parse_double (the importer): an underflow gives the nearest
	 * subnormal or zero and is accepted; only an overflow is refused.
	 */
	if (!isfinite(t->f))
		goto range;
	t->type = ST_FLOAT;
	return;

bad:
	script_tok_error(t, xasprintf(_("invalid number '%.*s'"), (int)n, s));
	return;
range:
	script_tok_error(t, xasprintf(_("number '%.*s' is out of range"),
	    (int)n, s));
}

static void
script_lex(struct script_parser *p, struct script_tok *t)
{
	unsigned char c;
	size_t n;

	memset(t, 0, sizeof *t);
	for (;;) {
		c = (unsigned char)p->src[p->pos];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '\f' || c == '\v')
			script_advance(p);
		else if (c == '#') {
			while (p->src[p->pos] != '\0' &&
			    p->src[p->pos] != '\n')
				script_advance(p);
		} else
			break;
	}
	t->p = p->src + p->pos;
	t->line = p->line;
	t->column = p->column;
	t->len = 1;
	switch (c) {
	case '\0':
		t->type = ST_END;
		t->len = 0;
		return;
	case '(':
		t->type = ST_LPAREN;
		script_advance(p);
		return;
	case ')':
		t->type = ST_RPAREN;
		script_advance(p);
		return;
	case ',':
		t->type = ST_COMMA;
		script_advance(p);
		return;
	case '=':
		t->type = ST_CMP;
		t->cmp = CO_EQ;
		script_advance(p);
		return;
	case '<':
	case '>':
		t->type = ST_CMP;
		script_advance(p);
		if (p->src[p->pos] == '=') {
			script_advance(p);
			t->len = 2;
			t->cmp = c == '<' ? CO_LE : CO_GE;
		} else
			t->cmp = c == '<' ? CO_LT : CO_GT;
		return;
	case '!':
		if (p->src[p->pos + 1] == '=') {
			t->type = ST_CMP;
			t->cmp = CO_NE;
			t->len = 2;
			script_advance(p);
			script_advance(p);
			return;
		}
		break;
	case '"':
	case '`':
		script_lex_quoted(p, t, (char)c);
		t->len = (size_t)(p->src + p->pos - t->p);
		return;
	}
	if (script_digit(c) || (c == '-' && script_digit(p->src[p->pos + 1]))) {
		script_lex_number(p, t);
		return;
	}
	if (script_word_char(c)) {
		n = 0;
		while (script_word_char((unsigned char)t->p[n]))
			n++;
		while (p->src + p->pos < t->p + n)
			script_advance(p);
		t->type = ST_WORD;
		t->len = n;
		return;
	}
	n = script_utf8_len((const unsigned char *)t->p);
	script_tok_error(t, xasprintf(_("unexpected character '%.*s'"),
	    (int)(n == 0 ? 1 : n), t->p));
	script_advance(p);
}

static void
script_tok_clear(struct script_tok *t)
{
	free(t->str);
	free(t->err);
	t->str = t->err = NULL;
}

/* Parser. */

static struct script_tok *
script_peek(struct script_parser *p, int k)
{
	while (p->ntoks <= k) {
		if (p->ntoks > 0 && p->toks[p->ntoks - 1].type == ST_END)
			return &p->toks[p->ntoks - 1];
		script_lex(p, &p->toks[p->ntoks++]);
	}
	return &p->toks[k];
}

static void
script_next(struct script_parser *p)
{
	if (p->ntoks == 0)
		script_peek(p, 0);
	script_tok_clear(&p->toks[0]);
	memmove(&p->toks[0], &p->toks[1],
	    (size_t)(p->ntoks - 1) * sizeof p->toks[0]);
	p->ntoks--;
}

static int
script_is_word(const struct script_tok *t, const char *w)
{
	return t->type == ST_WORD &&
	    ascii_strncasecmp_n(t->p, t->len, w, strlen(w)) == 0;
}

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

static void
script_fail_at(struct script_parser *p, int line, int column, char *msg)
{
	if (!p->failed)
		error_set(p->cause, _("line %d, column %d: %s"), line, column,
		    msg);
	p->failed = 1;
	free(msg);
}

/*
 * Fails at token t: with the lexer's message when t is bad, else with
 * the expectation (a format with one %s for what was found).
 */
static void
script_fail(struct script_parser *p, const struct script_tok *t,
    const char *expected, ...) __attribute__((format(printf, 3, 4)));

static void
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

/* Consumes the word w or fails with "expected 'w' after 'after'". */
static int
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

static int
script_date(struct script_parser *p, struct cond *c, const char *after)
{
	return script_take_typed(p, c, ST_DATE, _("expected a date "
	    "YYYY-MM-DD after '%s'"), after);
}

/* The test after an operand; c is the CK_PRED with its field set. */
static int
script_test(struct script_parser *p, struct cond *c, const char *operand)
{
	struct script_tok *t = script_peek(p, 0);
	char ctx[64];

	if (t->type == ST_CMP) {
		c->op = t->cmp;
		script_next(p);
		return script_take_value(p, c, cond_op_name(c->op));
	}
	if (script_is_word(t, "between")) {
		c->op = CO_BETWEEN;
		script_next(p);
		if (script_take_value(p, c, "between") != 0)
			return -1;
		t = script_peek(p, 0);
		if (!script_is_word(t, "and")) {
			script_fail(p, t, _("expected 'and' after the first "
			    "value of 'between'"));
			return -1;
		}
		script_next(p);
		return script_take_value(p, c, "and");
	}
	if (script_is_word(t, "in")) {
		c->op = CO_IN;
		script_next(p);
		return script_list(p, c, "in", 0);
	}
	if (script_is_word(t, "not")) {
		script_next(p);
		t = script_peek(p, 0);
		if (script_is_word(t, "in")) {
			c->op = CO_NOT_IN;
			script_next(p);
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
	if (script_is_word(t, "is")) {
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
	if (script_is_word(t, "has")) {
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
	if (script_is_word(t, "within")) {
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
	if (script_is_word(t, "more")) {
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

static struct cond *script_or(struct script_parser *, const char *);

/* A field name token (word or back-quoted) into a new string, or NULL. */
static char *
script_field_name(struct script_parser *p, const char *after)
{
	struct script_tok *t = script_peek(p, 0);
	char *name;

	if (t->type == ST_QNAME) {
		name = t->str;
		t->str = NULL;
	} else if (t->type == ST_WORD && !script_is_keyword(t->p, t->len))
		name = xstrndup(t->p, t->len);
	else {
		script_fail(p, t, _("expected a field name after '%s'"),
		    after);
		return NULL;
	}
	script_next(p);
	return name;
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
	int line = t->line, column = t->column;
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
		c = cond_new(CK_IN_SEGMENT);
		c->line = line;
		c->column = column;
		c->segment = t->str;
		t->str = NULL;
		script_next(p);
		return c;
	}
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

static struct cond *
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

/* Printer. */

static void
script_print_quoted(struct strbuf *sb, const char *s, char q)
{
	sb_putc(sb, q);
	for (; *s != '\0'; s++) {
		if (*s == q || *s == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *s);
	}
	sb_putc(sb, q);
}

static void
script_print_field(struct strbuf *sb, const char *f)
{
	size_t i, len = strlen(f);
	int plain;

	plain = len > 0 && !script_digit((unsigned char)f[0]) &&
	    !script_is_keyword(f, len) && !script_is_func(f, len, NULL);
	for (i = 0; i < len && plain; i++)
		if (!script_word_char((unsigned char)f[i]))
			plain = 0;
	if (plain)
		sb_puts(sb, f);
	else
		script_print_quoted(sb, f, '`');
}

static void
script_print_float(struct strbuf *sb, double f)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.15g", f);
	if (strtod(buf, NULL) != f)
		snprintf(buf, sizeof buf, "%.17g", f);
	sb_puts(sb, buf);
	/* Keep the kind: 3.0 must not read back as the integer 3. */
	if (strpbrk(buf, ".eEn") == NULL)
		sb_puts(sb, ".0");
}

static void
script_print_value(struct strbuf *sb, const struct cond_value *v)
{
	char buf[TU_DATETIME_BUF + 8];

	switch (v->kind) {
	case CV_STRING:
		script_print_quoted(sb, v->s != NULL ? v->s : "", '"');
		break;
	case CV_INT:
		sb_printf(sb, "%lld", (long long)v->i);
		break;
	case CV_FLOAT:
		script_print_float(sb, v->f);
		break;
	case CV_DATE:
		sb_puts(sb, tu_format_date(v->date, buf));
		break;
	case CV_DATETIME:
		sb_puts(sb, tu_format_datetime(v->i, buf));
		break;
	case CV_BOOL:
		sb_puts(sb, v->i ? "true" : "false");
		break;
	}
}

char *
cond_value_print(const struct cond_value *v)
{
	struct strbuf sb = STRBUF_INIT;

	script_print_value(&sb, v);
	return sb_detach(&sb);
}

static void
script_print_values(struct strbuf *sb, const struct cond *c, size_t from)
{
	size_t i;

	for (i = from; i < c->nvalues; i++) {
		if (i > from)
			sb_puts(sb, ", ");
		script_print_value(sb, &c->values[i]);
	}
}

static void
script_print_pred(struct strbuf *sb, const struct cond *c)
{
	long long n = c->nvalues > 0 ? (long long)c->values[0].i : 0;

	if (c->func != CF_NONE) {
		sb_printf(sb, "%s(", cond_func_name(c->func));
		script_print_field(sb, c->field != NULL ? c->field : "");
		sb_putc(sb, ')');
	} else
		script_print_field(sb, c->field != NULL ? c->field : "");
	sb_putc(sb, ' ');
	switch (c->op) {
	case CO_EQ: case CO_NE: case CO_LT: case CO_LE: case CO_GT: case CO_GE:
	case CO_CONTAINS: case CO_NOT_CONTAINS: case CO_STARTS_WITH:
	case CO_ENDS_WITH: case CO_HAS: case CO_BEFORE: case CO_AFTER:
	case CO_ON:
		sb_printf(sb, "%s ", cond_op_name(c->op));
		script_print_values(sb, c, 0);
		break;
	case CO_BETWEEN:
		sb_puts(sb, "between ");
		if (c->nvalues > 0)
			script_print_value(sb, &c->values[0]);
		sb_puts(sb, " and ");
		if (c->nvalues > 1)
			script_print_value(sb, &c->values[1]);
		break;
	case CO_IN: case CO_NOT_IN: case CO_HAS_ANY: case CO_HAS_ALL:
	case CO_HAS_NONE:
		sb_printf(sb, "%s (", cond_op_name(c->op));
		script_print_values(sb, c, 0);
		sb_putc(sb, ')');
		break;
	case CO_IS_EMPTY: case CO_IS_NOT_EMPTY: case CO_IS_TRUE:
	case CO_IS_FALSE:
		sb_puts(sb, cond_op_name(c->op));
		break;
	case CO_WITHIN_LAST_DAYS:
		sb_printf(sb, "within last %lld days", n);
		break;
	case CO_WITHIN_LAST_HOURS:
		sb_printf(sb, "within last %lld hours", n);
		break;
	case CO_WITHIN_NEXT_DAYS:
		sb_printf(sb, "within next %lld days", n);
		break;
	case CO_MORE_THAN_DAYS_AGO:
		sb_printf(sb, "more than %lld days ago", n);
		break;
	}
}

enum script_ctx { SC_TOP, SC_OR, SC_AND, SC_NOT };

static void
script_print_node(struct strbuf *sb, const struct cond *c, enum script_ctx ctx)
{
	size_t i;
	int paren;

	/* A group of one prints as its only condition (doc/conditions.md). */
	while ((c->kind == CK_AND || c->kind == CK_OR) && c->nkids == 1)
		c = c->kids[0];
	switch (c->kind) {
	case CK_AND:
	case CK_OR:
		if (c->nkids == 0) {
			if (ctx != SC_TOP)
				sb_puts(sb, "()");
			return;
		}
		/*
		 * Every nested group keeps its parentheses: same-kind nesting
		 * because the tree says so, "and" inside "or" because few
		 * readers remember which binds tighter.
		 */
		paren = ctx != SC_TOP;
		if (paren)
			sb_putc(sb, '(');
		for (i = 0; i < c->nkids; i++) {
			if (i > 0)
				sb_puts(sb, c->kind == CK_AND ? " and " :
				    " or ");
			script_print_node(sb, c->kids[i],
			    c->kind == CK_AND ? SC_AND : SC_OR);
		}
		if (paren)
			sb_putc(sb, ')');
		break;
	case CK_NOT:
		sb_puts(sb, "not ");
		if (c->nkids > 0)
			script_print_node(sb, c->kids[0], SC_NOT);
		break;
	case CK_PRED:
		script_print_pred(sb, c);
		break;
	case CK_IN_SEGMENT:
		sb_puts(sb, "in segment ");
		script_print_quoted(sb, c->segment != NULL ? c->segment : "",
		    '"');
		break;
	}
}

char *
cond_print(const struct cond *c)
{
	struct strbuf sb = STRBUF_INIT;

	script_print_node(&sb, c, SC_TOP);
	return sb_detach(&sb);
}
