/*
 * One condition from the segment form's condition editor: the operators'
 * value counts and input hints, the typed values parsed by the field's
 * type (value_parse_text), the predicate checked with cond_check, and a
 * predicate's values printed back for editing.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "form_model.h"
#include "form_model_int.h"
#include "i18n.h"
#include "schema.h"
#include "timeutil.h"
#include "util.h"

int
fm_op_nvalues(enum cond_op op)
{
	switch (op) {
	case CO_IS_EMPTY: case CO_IS_NOT_EMPTY: case CO_IS_TRUE:
	case CO_IS_FALSE:
		return 0;
	case CO_BETWEEN:
		return 2;
	case CO_IN: case CO_NOT_IN: case CO_HAS_ANY: case CO_HAS_ALL:
	case CO_HAS_NONE:
		return -1;
	default:
		return 1;
	}
}

const char *
fm_value_hint(enum field_type t, enum cond_op op)
{
	switch (op) {
	case CO_WITHIN_LAST_DAYS: case CO_WITHIN_NEXT_DAYS:
	case CO_MORE_THAN_DAYS_AGO:
		return _("a number of days");
	case CO_WITHIN_LAST_HOURS:
		return _("a number of hours");
	case CO_BEFORE: case CO_AFTER: case CO_ON:
		return _("a date, YYYY-MM-DD");
	default:
		break;
	}
	if (fm_op_nvalues(op) == 2)
		return _("two values: from, to");
	if (fm_op_nvalues(op) < 0)
		return _("one or more values, comma-separated");
	switch (t) {
	case FT_INT:
		return _("a whole number");
	case FT_FLOAT:
		return _("a number");
	case FT_BOOL:
		return _("true or false");
	case FT_DATE:
		return _("a date, YYYY-MM-DD");
	case FT_DATETIME:
		return _("a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM:SSZ");
	default:
		return _("a text");
	}
}

/* Comma-separated values; "..." holds commas (\" and \\ escape). */
void
fm_split_values(const char *s, char ***v, size_t *n)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = s;

	*v = NULL;
	*n = 0;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		sb_reset(&sb);
		sb_puts(&sb, "");
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				sb_putc(&sb, *p);
			}
			if (*p == '"')
				p++;
			while (*p != '\0' && *p != ',')
				p++;
		} else {
			const char *e = p;

			while (*e != '\0' && *e != ',')
				e++;
			while (e > p && isspace((unsigned char)e[-1]))
				e--;
			sb_add(&sb, p, (size_t)(e - p));
			p = e;
			while (*p != '\0' && *p != ',')
				p++;
		}
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrdup(sb.buf);
		if (*p == ',')
			p++;
	}
	sb_free(&sb);
}

/* "A and B" for between, when there is no comma. */
void
fm_split_between(char ***v, size_t *n)
{
	char	*s, *p;

	if (*n != 1)
		return;
	s = (*v)[0];
	for (p = s; *p != '\0'; p++)
		if (ascii_strncasecmp_n(p, strlen(p) < 5 ? strlen(p) : 5,
		    " and ", 5) == 0) {
			*v = xreallocarray(*v, 2, sizeof **v);
			(*v)[1] = fm_trim(p + 5);
			*p = '\0';
			(*v)[0] = fm_trim(s);
			free(s);
			*n = 2;
			return;
		}
}

/* One typed value into a condition value of the right kind. */
int
fm_value(enum field_type rt, enum cond_op op, const char *text,
    struct cond_value *cv, char **cause)
{
	struct arena	 a = ARENA_INIT;
	struct value	 v;
	int64_t		 i;
	int		 rc = 0;

	memset(cv, 0, sizeof *cv);
	switch (op) {
	case CO_WITHIN_LAST_DAYS: case CO_WITHIN_LAST_HOURS:
	case CO_WITHIN_NEXT_DAYS: case CO_MORE_THAN_DAYS_AGO:
	case CO_MORE_THAN_HOURS_AGO:
		rt = FT_INT;
		break;
	case CO_BEFORE: case CO_AFTER: case CO_ON:
		rt = FT_DATE;
		break;
	case CO_CONTAINS: case CO_NOT_CONTAINS: case CO_STARTS_WITH:
	case CO_ENDS_WITH: case CO_HAS: case CO_HAS_ANY: case CO_HAS_ALL:
	case CO_HAS_NONE:
		rt = FT_STRING;
		break;
	default:
		break;
	}
	if (rt == FT_STRING || rt == FT_TAGS) {
		cv->kind = CV_STRING;
		cv->s = (char *)text;
		return 0;
	}
	if (rt == FT_FLOAT && parse_int64(text, strlen(text), &i) == 0) {
		cv->kind = CV_INT;
		cv->i = i;
		return 0;
	}
	if (rt == FT_DATETIME && tu_parse_date(text, strlen(text),
	    &cv->date) == 0) {
		cv->kind = CV_DATE;
		return 0;
	}
	if (value_parse_text(rt, text, strlen(text), &v, &a, cause) != 0) {
		arena_free(&a);
		return -1;
	}
	if (!v.present)
		rc = error_set(cause, "%s", _("A value is missing."));
	switch (rt) {
	case FT_INT:
		cv->kind = CV_INT;
		cv->i = v.u.i;
		break;
	case FT_FLOAT:
		cv->kind = CV_FLOAT;
		cv->f = v.u.f;
		break;
	case FT_BOOL:
		cv->kind = CV_BOOL;
		cv->i = v.u.b;
		break;
	case FT_DATE:
		cv->kind = CV_DATE;
		cv->date = v.u.date;
		break;
	case FT_DATETIME:
		cv->kind = CV_DATETIME;
		cv->i = v.u.dt;
		break;
	default:
		break;
	}
	arena_free(&a);
	return rc;
}

int
fm_pred_build(const struct pdb_schema *schema, const char *field,
    enum cond_func func, enum cond_op op, const char *values,
    struct cond **out, char **cause)
{
	struct cond		*c;
	struct cond_value	 cv;
	enum field_type		 ft, rt;
	char			**v;
	size_t			 n, i;
	int			 idx, want, rc = -1;

	*out = NULL;
	if ((idx = schema_field_index(schema, field)) < 0)
		return error_set(cause, _("There is no field '%s' in database "
		    "'%s'."), field, schema->name);
	ft = schema->fields[idx].type;
	if (cond_func_type(ft, func, &rt) != 0)
		rt = ft;
	fm_split_values(values != NULL ? values : "", &v, &n);
	want = fm_op_nvalues(op);
	if (want == 2)
		fm_split_between(&v, &n);
	if (want == 0 && n != 0)
		error_set(cause, _("'%s' takes no value."), cond_op_name(op));
	else if (want > 0 && n != (size_t)want)
		error_set(cause, want == 1 ? _("'%s' takes one value.") :
		    _("'%s' takes two values: from, to."), cond_op_name(op));
	else if (want < 0 && n == 0)
		error_set(cause, _("'%s' takes one or more values, "
		    "comma-separated."), cond_op_name(op));
	else {
		c = cond_new_pred(field, func, op);
		for (i = 0; i < n; i++) {
			if (fm_value(rt, op, v[i], &cv, cause) != 0)
				break;
			cond_add_value(c, &cv);
		}
		if (i == n && cond_check(c, schema, NULL, NULL, cause) == 0) {
			*out = c;
			rc = 0;
		} else
			cond_free(c);
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc;
}

char *
fm_pred_values_text(const struct cond *c)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p;
	char		*lit;
	size_t		 i;

	sb_puts(&sb, "");
	for (i = 0; i < c->nvalues; i++) {
		if (i > 0)
			sb_puts(&sb, ", ");
		if (c->values[i].kind != CV_STRING) {
			lit = cond_value_print(&c->values[i]);
			sb_puts(&sb, lit);
			free(lit);
			continue;
		}
		p = c->values[i].s;
		if (strpbrk(p, ",\"") == NULL && *p != '\0' &&
		    !isspace((unsigned char)*p) &&
		    !isspace((unsigned char)p[strlen(p) - 1])) {
			sb_puts(&sb, p);
			continue;
		}
		sb_putc(&sb, '"');
		for (; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				sb_putc(&sb, '\\');
			sb_putc(&sb, *p);
		}
		sb_putc(&sb, '"');
	}
	return sb_detach(&sb);
}
