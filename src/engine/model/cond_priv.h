/*
 * Shared between the condition files (cond.c, cond_check.c) and the
 * script language's files: the lexer (script_lex.c), the parser
 * (script.c), the grammar of a predicate's test (script_test.c), of an
 * event test (script_event.c) and the printer (script_print.c).  Not a
 * public API.
 */
#ifndef RESEG_COND_PRIV_H
#define RESEG_COND_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "cond.h"

/*
 * Whether the values of a predicate fit its operator's grammar (count
 * and, for has/contains/within/before..., kind); *msg (no location) on
 * failure.
 */
int	 cond_pred_shape(enum cond_op, const struct cond_value *, size_t,
	    char **msg);

/* cond.c: the index of s in names[from..n), or -1. */
int	 cond_name_find(const char *const *names, int from, int n,
	    const char *s);

/* cond.c: the JSON form, shared with cond_event.c. */
struct strbuf;
/* "conditions at PATH: msg" into *cause; returns -1. */
int	 cond_json_fail(char **cause, const struct strbuf *path,
	    const char *msg);
/*
 * 0 when s is UTF-8 text, else -1 with "conditions at PATH: WHAT is not
 * UTF-8 text: ..." (what: "\"field\"", "the string"): a name or value
 * that is not text could never be written as a script again.
 */
int	 cond_json_utf8(const char *s, const char *what,
	    const struct strbuf *path, char **cause);
int	 cond_value_from_json(const cJSON *, struct cond_value *,
	    const struct strbuf *path, char **cause);
cJSON	*cond_value_json(const struct cond_value *);
/* cond_from_json with path naming where j is (for messages). */
struct cond *cond_from_json_path(const cJSON *j, struct strbuf *path,
	    char **cause);

/* cond_event.c: event tests (CK_EVENT). */
/* The largest N of a window's "within last N days|hours". */
#define COND_WINDOW_MAX 1000000000
int	 cond_is_aggregate(enum cond_evtest);
/* Copies the event members (not field, op, values) of from into to. */
void	 cond_event_copy(struct cond *to, const struct cond *from);
/* The event members only; the caller compares field, op and values. */
int	 cond_event_equal(const struct cond *, const struct cond *);
/* Whether test, property, count or comparison, window fit; *msg if not. */
int	 cond_event_shape(const struct cond *, char **msg);
void	 cond_event_to_json(cJSON *o, const struct cond *);
struct cond *cond_event_from_json(const cJSON *, struct strbuf *path,
	    char **cause);

/* The script language (doc/conditions.md, "Script language"). */
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

struct script_parser {
	const char	*src;
	size_t		 pos;
	int		 line, column;
	struct script_tok toks[SCRIPT_LOOKAHEAD];
	int		 ntoks;
	char		**cause;
	int		 failed;
	int		 depth;		/* open '(' and 'not' */
	int		 in_where;	/* inside an event test's where */
};

/* script_lex.c: words and characters, also for the printer. */
int	 script_is_keyword(const char *, size_t);
int	 script_is_func(const char *, size_t, enum cond_func *);
int	 script_word_char(unsigned char);
int	 script_digit(unsigned char);
/* Length of the valid UTF-8 sequence at s, or 0. */
size_t	 script_utf8_len(const unsigned char *s);
void	 script_advance(struct script_parser *);

/* script_lex.c: the token stream, k tokens ahead (k < SCRIPT_LOOKAHEAD). */
struct script_tok *script_peek(struct script_parser *, int k);
void	 script_next(struct script_parser *);
void	 script_tok_clear(struct script_tok *);
int	 script_is_word(const struct script_tok *, const char *);

/*
 * script.c: fails at token t with the lexer's message when t is bad,
 * else with the expectation (a format with one %s for what was found).
 * Only the first failure of a parse is kept.
 */
void	 script_fail(struct script_parser *, const struct script_tok *t,
	    const char *expected, ...) __attribute__((format(printf, 3, 4)));
/* script.c: consumes the word w or fails with "expected 'w' after 'after'". */
int	 script_expect_word(struct script_parser *, const char *w,
	    const char *after);
/* script.c: fails at a position with msg (freed), if nothing failed yet. */
void	 script_fail_at(struct script_parser *, int line, int column,
	    char *msg);
/*
 * script.c: a name (a word or back-quoted) into a new string, or NULL
 * after failing with expected (a format with one %s: after).
 */
char	*script_name(struct script_parser *, const char *expected,
	    const char *after);
/* script.c: an expression (or_expr); after names what came before. */
struct cond *script_or(struct script_parser *, const char *after);

/*
 * script_event.c: whether the tokens ahead start an event test: 2 when
 * they surely do (did "E", count of, sum(), 1 when they can only be one
 * with an error (did with no name), 0 when they are a predicate.
 */
int	 script_event_ahead(struct script_parser *);
/* script_event.c: the event test at the current token. */
struct cond *script_event(struct script_parser *);

/* script_test.c: the "and" after the first value of "between". */
int	 script_between_and(struct script_parser *);
/*
 * script_test.c: a comparison (op value, or between value and value)
 * into c, value reading one value after its argument: 0, -1 after a
 * failure, or 1 when the current token starts none.
 */
int	 script_compare(struct script_parser *, struct cond *,
	    int (*value)(struct script_parser *, struct cond *,
	    const char *after));
/* script_test.c: the test after an operand into c (a CK_PRED). */
int	 script_test(struct script_parser *, struct cond *c,
	    const char *operand);

#endif
