/*
 * The printer of the script language: the canonical text of a condition
 * tree (cond_print) and of a single value (cond_value_print), which the
 * parser reads back to an equivalent tree (doc/conditions.md, "Script
 * language").  Field names that could read as keywords, functions or
 * numbers are back-quoted; floats keep their kind.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "cond_priv.h"
#include "timeutil.h"
#include "util.h"

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

char *
cond_field_script(const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	script_print_field(&sb, name);
	return sb_detach(&sb);
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

/* The operator and values of a predicate (or an event's comparison). */
static void
script_print_test(struct strbuf *sb, const struct cond *c)
{
	long long n = c->nvalues > 0 ? (long long)c->values[0].i : 0;

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
	case CO_MORE_THAN_HOURS_AGO:
		sb_printf(sb, "more than %lld hours ago", n);
		break;
	}
}

static void
script_print_pred(struct strbuf *sb, const struct cond *c)
{
	if (c->func != CF_NONE) {
		sb_printf(sb, "%s(", cond_func_name(c->func));
		script_print_field(sb, c->field != NULL ? c->field : "");
		sb_putc(sb, ')');
	} else
		script_print_field(sb, c->field != NULL ? c->field : "");
	sb_putc(sb, ' ');
	script_print_test(sb, c);
}

enum script_ctx { SC_TOP, SC_OR, SC_AND, SC_NOT };

static void script_print_node(struct strbuf *, const struct cond *,
    enum script_ctx);

static void
script_print_window(struct strbuf *sb, const struct cond_window *w)
{
	char buf[TU_DATE_BUF];

	switch (w->kind) {
	case CW_NONE:
		break;
	case CW_LAST_DAYS:
		sb_printf(sb, " within last %lld days", (long long)w->n);
		break;
	case CW_LAST_HOURS:
		sb_printf(sb, " within last %lld hours", (long long)w->n);
		break;
	case CW_BETWEEN:
		sb_printf(sb, " between %s", tu_format_date(w->from, buf));
		sb_printf(sb, " and %s", tu_format_date(w->to, buf));
		break;
	case CW_SINCE:
		sb_printf(sb, " since %s", tu_format_date(w->from, buf));
		break;
	case CW_BEFORE:
		sb_printf(sb, " before %s", tu_format_date(w->to, buf));
		break;
	}
}

/* The count of did: "at least 3 times", "exactly 1 time". */
static void
script_print_count(struct strbuf *sb, const struct cond *c)
{
	const char *word;

	if (c->nvalues == 0)
		return;
	switch (c->op) {
	case CO_BETWEEN:
		word = "between";
		break;
	case CO_LE:
		word = "at most";
		break;
	case CO_EQ:
		word = "exactly";
		break;
	default:
		word = "at least";
		break;
	}
	sb_printf(sb, " %s ", word);
	script_print_value(sb, &c->values[0]);
	if (c->op == CO_BETWEEN && c->nvalues > 1) {
		sb_puts(sb, " and ");
		script_print_value(sb, &c->values[1]);
	}
	sb_puts(sb, c->values[c->nvalues - 1].kind == CV_INT &&
	    c->values[c->nvalues - 1].i == 1 ? " time" : " times");
}

static void
script_print_event(struct strbuf *sb, const struct cond *c)
{
	const char *name = cond_evtest_name(c->evtest);

	switch (c->evtest) {
	case CE_COUNT:
		sb_puts(sb, "count of ");
		break;
	case CE_SUM:
	case CE_AVG:
	case CE_MIN:
	case CE_MAX:
		sb_printf(sb, "%s(", name);
		script_print_field(sb, c->field != NULL ? c->field : "");
		sb_puts(sb, ") of ");
		break;
	default:
		sb_printf(sb, "%s ", name);
		break;
	}
	script_print_quoted(sb, c->event != NULL ? c->event : "", '"');
	if (c->where != NULL) {
		sb_puts(sb, " where (");
		script_print_node(sb, c->where, SC_TOP);
		sb_putc(sb, ')');
	}
	switch (c->evtest) {
	case CE_DID:
		script_print_count(sb, c);
		script_print_window(sb, &c->window);
		break;
	case CE_FIRST:
	case CE_LAST:
		/* The time test reads as a predicate's. */
		sb_putc(sb, ' ');
		script_print_test(sb, c);
		break;
	default:
		sb_putc(sb, ' ');
		script_print_test(sb, c);
		script_print_window(sb, &c->window);
		break;
	}
}

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
	case CK_EVENT:
		script_print_event(sb, c);
		break;
	case CK_IN_QUERY:
		script_print_field(sb, c->field != NULL ? c->field : "");
		sb_puts(sb, c->op == CO_NOT_IN ? " not in query " :
		    " in query ");
		script_print_quoted(sb, c->query != NULL ? c->query : "",
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
