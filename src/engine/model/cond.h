/*
 * The condition tree of a segment (doc/conditions.md): the one model behind the
 * form editor, the JSON stored in LMDB and the script language.  It says
 * nothing about evaluation; eval.c is one back end over it (the LMDB
 * columns), a SQL compiler can be another.
 *
 * The JSON schema is documented in doc/conditions.md.
 */
#ifndef RESEG_COND_H
#define RESEG_COND_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "schema.h"

enum cond_kind {
	CK_AND,			/* all kids; no kids = true */
	CK_OR,			/* any kid; no kids = false */
	CK_NOT,			/* one kid */
	CK_PRED,		/* operand test */
	CK_IN_SEGMENT,		/* in segment "name" (not: CK_NOT around it) */
	CK_EVENT,		/* a test of the profile's events (below) */
	CK_IN_QUERY		/* field in|not in query "name" */
};

enum cond_func {
	CF_NONE,
	CF_AGE,			/* full years from the date to today */
	CF_DAYS_SINCE,		/* today - date, in days */
	CF_DAYS_UNTIL,		/* date - today, in days */
	CF_LENGTH,		/* characters of a string, tags in a set */
	CF_LOWER		/* ASCII lower case */
};

enum cond_op {
	CO_EQ, CO_NE, CO_LT, CO_LE, CO_GT, CO_GE,
	CO_BETWEEN,		/* 2 values, inclusive */
	CO_IN, CO_NOT_IN,	/* 1+ values */
	CO_CONTAINS, CO_NOT_CONTAINS, CO_STARTS_WITH, CO_ENDS_WITH,
	CO_IS_EMPTY, CO_IS_NOT_EMPTY,
	CO_IS_TRUE, CO_IS_FALSE,
	CO_HAS,			/* 1 string */
	CO_HAS_ANY, CO_HAS_ALL, CO_HAS_NONE,	/* 1+ strings */
	CO_WITHIN_LAST_DAYS, CO_WITHIN_LAST_HOURS, CO_WITHIN_NEXT_DAYS,
	CO_MORE_THAN_DAYS_AGO,	/* 1 integer */
	CO_BEFORE, CO_AFTER, CO_ON,	/* 1 date */
	CO_MORE_THAN_HOURS_AGO	/* 1 integer; only the time test of first/last */
};
#define CO_COUNT (CO_MORE_THAN_HOURS_AGO + 1)

enum cond_vkind {
	CV_STRING,
	CV_INT,
	CV_FLOAT,
	CV_DATE,		/* unquoted YYYY-MM-DD in scripts */
	CV_DATETIME,		/* unquoted ISO 8601 with zone in scripts */
	CV_BOOL
};

struct cond_value {
	enum cond_vkind	 kind;
	char		*s;		/* CV_STRING (UTF-8, NUL-terminated) */
	int64_t		 i;		/* CV_INT; CV_DATETIME (UTC secs); CV_BOOL */
	double		 f;		/* CV_FLOAT */
	int32_t		 date;		/* CV_DATE (days since epoch) */
};

/*
 * Event tests (doc/conditions.md, "Events"):
 *   did E [where] [count] [window]
 *   first|last E [where] time_test
 *   count of E [where] cmp int [window]
 *   sum|avg|min|max(property) of E [where] cmp number [window]
 */
enum cond_evtest {
	CE_DID,
	CE_FIRST,
	CE_LAST,
	CE_COUNT,
	CE_SUM,
	CE_AVG,
	CE_MIN,
	CE_MAX
};

/* Which events count, by time. */
enum cond_window_kind {
	CW_NONE,		/* all time */
	CW_LAST_DAYS,		/* within last N days: now - N*24h <= t <= now */
	CW_LAST_HOURS,		/* within last N hours */
	CW_BETWEEN,		/* between D1 and D2, local dates, inclusive */
	CW_SINCE,		/* since D: from the start of local date D */
	CW_BEFORE		/* before D: before the start of local date D */
};

struct cond_window {
	enum cond_window_kind kind;
	int64_t		 n;		/* CW_LAST_DAYS, CW_LAST_HOURS */
	/* Days since the epoch: CW_BETWEEN from..to, CW_SINCE from, CW_BEFORE to. */
	int32_t		 from, to;
};

struct cond {
	enum cond_kind	 kind;
	struct cond	**kids;		/* CK_AND, CK_OR, CK_NOT */
	size_t		 nkids;
	/* CK_PRED */
	char		*field;
	enum cond_func	 func;
	enum cond_op	 op;
	struct cond_value *values;
	size_t		 nvalues;
	/* CK_IN_SEGMENT */
	char		*segment;
	/*
	 * CK_IN_QUERY: field (func CF_NONE) is tested against the first
	 * column of the external query named query; op is CO_IN or
	 * CO_NOT_IN (false for an empty value, as "not in (...)").
	 */
	char		*query;
	/*
	 * CK_EVENT.  field is the property of CE_SUM..CE_MAX (NULL
	 * otherwise); func is CF_NONE.  op and values are:
	 *   CE_DID: the count; nvalues 0 means "at least once", else
	 *     CO_GE (at least), CO_LE (at most), CO_EQ (exactly) with one
	 *     CV_INT, or CO_BETWEEN with two;
	 *   CE_COUNT, aggregates: CO_EQ..CO_GE or CO_BETWEEN with ints
	 *     (aggregates: ints or floats);
	 *   CE_FIRST, CE_LAST: the time test, one of CO_WITHIN_LAST_DAYS,
	 *     CO_WITHIN_LAST_HOURS, CO_MORE_THAN_DAYS_AGO,
	 *     CO_MORE_THAN_HOURS_AGO (one CV_INT), CO_BEFORE, CO_AFTER,
	 *     CO_ON (one CV_DATE), CO_BETWEEN (two CV_DATE); window is
	 *     CW_NONE.
	 * where is a tree over the event's properties and `time` (its
	 * CK_PRED fields name them), NULL for every event of that name.
	 */
	enum cond_evtest evtest;
	char		*event;
	struct cond	*where;
	struct cond_window window;
	/* Where the node started in its script (1-based), 0 when unknown. */
	int		 line, column;
};

/*
 * Parses a script.  On error *cause is "line L, column C: message", e.g.
 * "line 2, column 14: expected a value after 'between', found 'and'".
 * An empty script (only blanks and comments) gives an empty CK_AND.
 */
struct cond *cond_parse(const char *script, char **cause);
/*
 * The tokens of a script as an editor colours them: every byte of the
 * text is in one token (blanks too), in order.  Words are told apart
 * without parsing: the reserved keywords, the words the grammar reads
 * as a keyword where it expects one and as a field name elsewhere
 * (did, count, of, times...), function names, and plain names.  A bad
 * token (an unterminated string, an invalid number) is COND_TOK_ERROR.
 */
enum cond_tok {
	COND_TOK_BLANK,
	COND_TOK_COMMENT,	/* # to the end of the line */
	COND_TOK_KEYWORD,	/* reserved: and, or, not, in, between... */
	COND_TOK_WORD,		/* did, count, of, where, times...: either */
	COND_TOK_FUNC,		/* age, days_since, lower... */
	COND_TOK_NAME,		/* a field name */
	COND_TOK_QNAME,		/* a `back-quoted` field name */
	COND_TOK_STRING,
	COND_TOK_NUMBER,	/* numbers, dates, date-times */
	COND_TOK_OP,		/* = != < <= > >= */
	COND_TOK_PUNCT,		/* ( ) , */
	COND_TOK_ERROR
};

struct cond_token {
	enum cond_tok	 type;
	size_t		 off, len;	/* bytes of the script */
	char		*name;		/* NAME, QNAME, WORD: the name */
};

/* The tokens of script into *out (cond_tokens_free); returns how many. */
size_t	 cond_tokens(const char *script, struct cond_token **out);
void	 cond_tokens_free(struct cond_token *, size_t);
/*
 * Every word of the script language (keywords, the grammar's other
 * words, function names), sorted, NULL-terminated: for completion.
 */
const char *const *cond_script_words(void);
/* A field name as a script writes it: back-quoted when it must be. */
char	*cond_field_script(const char *name);
/* The canonical script of a tree; parsing it gives an equal tree. */
char	*cond_print(const struct cond *);
cJSON	*cond_to_json(const struct cond *);
struct cond *cond_from_json(const cJSON *, char **cause);
struct cond *cond_clone(const struct cond *);
int	 cond_equal(const struct cond *, const struct cond *);
void	 cond_free(struct cond *);
/*
 * An error about node c for a back end (the evaluator, the SQL
 * compiler): *cause is the message, after "line L, column C: " when the
 * node came from a script.  Returns -1.
 */
int	 cond_error(const struct cond *c, char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Names of operators/functions as the script writes them ("starts with"). */
const char *cond_op_name(enum cond_op);
const char *cond_func_name(enum cond_func);

/*
 * Whether an operator applies to a field of this type (through func):
 * the form editor offers exactly these.
 */
int	 cond_op_valid(enum field_type, enum cond_func, enum cond_op);

/*
 * Type check against a database schema when a segment is saved: unknown
 * field, operator not valid for the type, wrong value type, bad date,
 * unknown segment; event tests against the schema's event properties
 * (unknown property, sum of a string, a window on first/last, a where
 * that tests anything but `time` and properties).  segment_exists may be
 * NULL (then any name passes).
 * *cause carries "line L, column C: ..." when the node has a position.
 */
int	 cond_check(const struct cond *, const struct pdb_schema *,
	    int (*segment_exists)(void *arg, const char *name), void *arg,
	    char **cause);

/*
 * The operators valid for a field of this type through func, in enum
 * order, into out (room for CO_COUNT); returns how many.  0 when func
 * does not apply to the type.
 */
size_t	 cond_ops_for(enum field_type, enum cond_func, enum cond_op *out);
/* The type func gives for a field of type ft; -1 when it does not apply. */
int	 cond_func_type(enum field_type ft, enum cond_func, enum field_type *out);

/* Building trees (the form editor, tests). */
struct cond *cond_new(enum cond_kind);
/* A CK_PRED with a copy of field and no values yet. */
struct cond *cond_new_pred(const char *field, enum cond_func, enum cond_op);
void	 cond_add_kid(struct cond *group, struct cond *kid);
/* Appends a copy of v (its string is copied) to a CK_PRED. */
void	 cond_add_value(struct cond *pred, const struct cond_value *v);
/* The literal of one value as a script writes it ("RU" quoted, 2026-01-01). */
char	*cond_value_print(const struct cond_value *);

/* Stable operator identifiers of the JSON form ("not_in", "within_last_days"). */
const char *cond_op_id(enum cond_op);
int	 cond_op_from_id(const char *, enum cond_op *);
int	 cond_func_from_name(const char *, enum cond_func *);

/* Script words of an event test ("did", "sum") and of its JSON "test". */
const char *cond_evtest_name(enum cond_evtest);
int	 cond_evtest_from_name(const char *, enum cond_evtest *);
/* The comparisons event test t takes, in the order to offer them. */
size_t	 cond_evtest_ops(enum cond_evtest, const enum cond_op **ops);
/* Whether the tree has a CK_EVENT anywhere (not inside a where). */
int	 cond_has_events(const struct cond *);

/* Calls fn for each distinct segment name used by "in segment". */
void	 cond_segments(const struct cond *, void (*fn)(void *, const char *),
	    void *arg);
/* Renames every "in segment" of from to to; returns how many. */
size_t	 cond_rename_segment(struct cond *, const char *from, const char *to);
/* Calls fn for each distinct query name used by "in query". */
void	 cond_queries(const struct cond *, void (*fn)(void *, const char *),
	    void *arg);
/*
 * Refuses (-1, "line L, column C: unknown query 'Q'") the first "in
 * query" whose name query_exists(arg, name) denies.
 */
int	 cond_check_queries(const struct cond *,
	    int (*query_exists)(void *arg, const char *name), void *arg,
	    char **cause);

#endif
