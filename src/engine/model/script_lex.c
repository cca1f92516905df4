/*
 * The lexer of the script language (doc/conditions.md, "Script
 * language"): keywords, function names, numbers, dates, quoted strings
 * and names, comments, and the token stream the parser peeks into.
 * Positions are 1-based; columns count characters (UTF-8 sequences), not
 * bytes.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cond_priv.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

/* Words that are never read as a plain field name (see doc/conditions.md). */
static const char *script_keywords[] = {
	"after", "ago", "all", "and", "any", "before", "between", "contains",
	"days", "empty", "ends", "false", "has", "hours", "in", "is", "last",
	"more", "next", "none", "not", "on", "or", "segment", "starts", "than",
	"true", "with", "within"
};

int
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

int
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

int
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

int
script_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

void
script_advance(struct script_parser *p)
{
	unsigned char c = (unsigned char)p->src[p->pos++];

	if (c == '\n') {
		p->line++;
		p->column = 1;
	} else if ((c & 0xc0) != 0x80)
		p->column++;
}

size_t
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

void
script_tok_clear(struct script_tok *t)
{
	free(t->str);
	free(t->err);
	t->str = t->err = NULL;
}

struct script_tok *
script_peek(struct script_parser *p, int k)
{
	while (p->ntoks <= k) {
		if (p->ntoks > 0 && p->toks[p->ntoks - 1].type == ST_END)
			return &p->toks[p->ntoks - 1];
		script_lex(p, &p->toks[p->ntoks++]);
	}
	return &p->toks[k];
}

void
script_next(struct script_parser *p)
{
	if (p->ntoks == 0)
		script_peek(p, 0);
	script_tok_clear(&p->toks[0]);
	memmove(&p->toks[0], &p->toks[1],
	    (size_t)(p->ntoks - 1) * sizeof p->toks[0]);
	p->ntoks--;
}

int
script_is_word(const struct script_tok *t, const char *w)
{
	return t->type == ST_WORD &&
	    ascii_strncasecmp_n(t->p, t->len, w, strlen(w)) == 0;
}

/*
 * Words the grammar reads as keywords only where it expects them (event
 * tests, "in query"); a field may have one of these names.
 */
static const char *const script_soft_words[] = {
	"at", "avg", "count", "did", "exactly", "first", "least", "max",
	"min", "most", "of", "query", "since", "sum", "time", "times", "where"
};

/* All of them, and the functions, sorted (cond_script_words). */
static const char *const script_all_words[] = {
	"after", "age", "ago", "all", "and", "any", "at", "avg", "before",
	"between", "contains", "count", "days", "days_since", "days_until",
	"did", "empty", "ends", "exactly", "false", "first", "has", "hours",
	"in", "is", "last", "least", "length", "lower", "max", "min", "more",
	"most", "next", "none", "not", "of", "on", "or", "query", "segment",
	"since", "starts", "sum", "than", "time", "times", "true", "where",
	"with", "within", NULL
};

const char *const *
cond_script_words(void)
{
	return script_all_words;
}

static enum cond_tok
script_word_tok(const char *p, size_t len)
{
	size_t i;

	if (script_is_keyword(p, len))
		return COND_TOK_KEYWORD;
	for (i = 0; i < sizeof script_soft_words / sizeof script_soft_words[0];
	    i++)
		if (ascii_strncasecmp_n(p, len, script_soft_words[i],
		    strlen(script_soft_words[i])) == 0)
			return COND_TOK_WORD;
	if (script_is_func(p, len, NULL))
		return COND_TOK_FUNC;
	return COND_TOK_NAME;
}

/* Past a bad quoted token: to its closing quote, or the end. */
static size_t
script_skip_quoted(const char *src, size_t i, size_t start)
{
	char q = src[start];

	if (i <= start)
		i = start + 1;
	while (src[i] != '\0' && src[i] != q) {
		if (src[i] == '\\' && src[i + 1] != '\0')
			i++;
		i++;
	}
	return src[i] == q ? i + 1 : i;
}

size_t
cond_tokens(const char *src, struct cond_token **out)
{
	struct script_parser p;
	struct script_tok t;
	struct cond_token *v = NULL, *k;
	size_t n = 0, cap = 0, start;
	unsigned char c;

	memset(&p, 0, sizeof p);
	p.src = src != NULL ? src : "";
	p.line = p.column = 1;
	for (;;) {
		start = p.pos;
		c = (unsigned char)p.src[p.pos];
		if (c == '\0')
			break;
		if (n == cap) {
			cap = cap > 0 ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		k = &v[n++];
		memset(k, 0, sizeof *k);
		k->off = start;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '\f' || c == '\v') {
			while ((c = (unsigned char)p.src[p.pos]) == ' ' ||
			    c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
			    c == '\v')
				script_advance(&p);
			k->type = COND_TOK_BLANK;
		} else if (c == '#') {
			while (p.src[p.pos] != '\0' && p.src[p.pos] != '\n')
				script_advance(&p);
			k->type = COND_TOK_COMMENT;
		} else {
			script_lex(&p, &t);
			switch (t.type) {
			case ST_WORD:
				k->type = script_word_tok(t.p, t.len);
				if (k->type == COND_TOK_NAME ||
				    k->type == COND_TOK_WORD)
					k->name = xstrndup(t.p, t.len);
				break;
			case ST_QNAME:
				k->type = COND_TOK_QNAME;
				k->name = t.str;
				t.str = NULL;
				break;
			case ST_STRING:
				k->type = COND_TOK_STRING;
				break;
			case ST_INT:
			case ST_FLOAT:
			case ST_DATE:
			case ST_DATETIME:
				k->type = COND_TOK_NUMBER;
				break;
			case ST_CMP:
				k->type = COND_TOK_OP;
				break;
			case ST_LPAREN:
			case ST_RPAREN:
			case ST_COMMA:
				k->type = COND_TOK_PUNCT;
				break;
			default:
				k->type = COND_TOK_ERROR;
				/* A bad string runs to its quote; a stray
				 * character is one whole character. */
				if (c == '"' || c == '`')
					p.pos = script_skip_quoted(p.src,
					    p.pos, start);
				else
					while ((p.src[p.pos] & 0xc0) == 0x80)
						p.pos++;
				break;
			}
			script_tok_clear(&t);
			if (p.pos <= start)	/* never stall */
				p.pos = start + 1;
		}
		k->len = p.pos - start;
	}
	*out = v;
	return n;
}

void
cond_tokens_free(struct cond_token *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}
