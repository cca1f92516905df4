/*
 * The segment form's model: no curses here, so check_form tests it.
 * Every check is the engine's (seg_parse_range, sched_parse,
 * sched_validate, value_parse_text, cond_check, seg_validate); this file
 * only decides which field a cause belongs to.  It owns the fields and
 * their causes, the conversion from and to struct segment, and the
 * script; the schedule fields are in form_model_sched.c, the conditions
 * tree in form_model_tree.c, the condition editor's predicates in
 * form_model_pred.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cond.h"
#include "form_model.h"
#include "form_model_int.h"
#include "i18n.h"
#include "pdb.h"
#include "sched.h"
#include "schema.h"
#include "segment.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"


void
fm_init(struct form_model *fm)
{
	memset(fm, 0, sizeof *fm);
	fm->kind = SEG_SCHEDULED;
	fm->freq = SCHED_DAILY;
	fm->cond = cond_new(CK_AND);
	fm_set_text(fm, FM_RANGE_LO, "0");
	fm_set_text(fm, FM_RANGE_HI, "100");
	fm_set_text(fm, FM_TIME, "09:00");
	fm_set_text(fm, FM_TZ, "UTC");
	fm_set_text(fm, FM_INTERVAL, "1");
}

void
fm_clear_errors(struct form_model *fm)
{
	int	 i;

	for (i = 0; i < FM_NFIELDS; i++) {
		free(fm->err[i]);
		fm->err[i] = NULL;
	}
	fm->err_line = fm->err_col = 0;
}

void
fm_free(struct form_model *fm)
{
	int	 i;

	fm_clear_errors(fm);
	for (i = 0; i < FM_NFIELDS; i++)
		free(fm->text[i]);
	cond_free(fm->cond);
	free(fm->script);
	free(fm->script_src);
	seg_free(fm->orig);
	memset(fm, 0, sizeof *fm);
}

const char *
fm_text(const struct form_model *fm, enum fm_field f)
{
	return fm->text[f] != NULL ? fm->text[f] : "";
}

void
fm_set_text(struct form_model *fm, enum fm_field f, const char *s)
{
	free(fm->text[f]);
	fm->text[f] = xstrdup(s != NULL ? s : "");
}

void
fm_set_error(struct form_model *fm, enum fm_field f, char *cause)
{
	free(fm->err[f]);
	fm->err[f] = cause != NULL ? cause : xstrdup(_("This value is not "
	    "valid."));
}

int
fm_has_errors(const struct form_model *fm)
{
	int	 i;

	for (i = 0; i < FM_NFIELDS; i++)
		if (fm->err[i] != NULL)
			return 1;
	return 0;
}

static char *
fm_join(char **v, size_t n)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	sb_puts(&sb, "");
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_puts(&sb, ", ");
		sb_puts(&sb, v[i]);
	}
	return sb_detach(&sb);
}

/* "a, b,,c " into its trimmed, non-empty parts. */
static void
fm_split(const char *s, char ***v, size_t *n)
{
	const char	*p, *e, *end;

	*v = NULL;
	*n = 0;
	for (p = s; p != NULL && *p != '\0'; p = *e == ',' ? e + 1 : e) {
		for (e = p; *e != '\0' && *e != ','; e++)
			;
		end = e;
		while (p < end && isspace((unsigned char)*p))
			p++;
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
		if (end == p)
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrndup(p, (size_t)(end - p));
	}
}

char *
fm_trim(const char *s)
{
	const char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* Hundredths of a percent as the shortest text ("12.5"). */
static void
fm_percent(uint16_t v, char *buf, size_t len)
{
	if (v % 100 == 0)
		snprintf(buf, len, "%u", (unsigned)(v / 100));
	else if (v % 10 == 0)
		snprintf(buf, len, "%u.%u", (unsigned)(v / 100),
		    (unsigned)(v % 100 / 10));
	else
		snprintf(buf, len, "%u.%02u", (unsigned)(v / 100),
		    (unsigned)(v % 100));
}

void
fm_from_segment(struct form_model *fm, const struct segment *s)
{
	char	 buf[64], *t;

	fm_free(fm);
	fm_init(fm);
	fm->orig = seg_clone(s);
	fm_set_text(fm, FM_NAME, s->name);
	fm_set_text(fm, FM_DB, s->db);
	fm->kind = s->kind;
	cond_free(fm->cond);
	fm->cond = fm_tree_root(s->cond != NULL ? cond_clone(s->cond) : NULL);
	if (s->where_text != NULL)
		fm->script_src = xstrdup(s->where_text);
	fm_percent(s->range_lo, buf, sizeof buf);
	fm_set_text(fm, FM_RANGE_LO, buf);
	fm_percent(s->range_hi, buf, sizeof buf);
	fm_set_text(fm, FM_RANGE_HI, buf);
	fm->limit_on = s->limit >= 0;
	if (s->limit >= 0) {
		snprintf(buf, sizeof buf, "%lld", (long long)s->limit);
		fm_set_text(fm, FM_LIMIT, buf);
	}
	t = fm_join(s->tags, s->ntags);
	fm_set_text(fm, FM_TAGS, t);
	free(t);
	t = fm_join(s->groups, s->ngroups);
	fm_set_text(fm, FM_GROUPS, t);
	free(t);
	fm->sched_on = s->has_sched;
	if (s->has_sched)
		fm_sched_from(fm, &s->sched);
}

/* ------------------------------------------------------------------ */
/* Script                                                               */
/* ------------------------------------------------------------------ */

int
fm_cause_position(const char *cause, int *line, int *col)
{
	const char	*p;

	if (cause == NULL)
		return -1;
	for (p = cause; *p != '\0'; p++)
		if (sscanf(p, "line %d, column %d", line, col) == 2)
			return 0;
	return -1;
}

/* The conditions of the definition: NULL for an empty tree. */
static struct cond *
fm_cond_out(const struct form_model *fm)
{
	if (fm->cond == NULL || fm->cond->nkids == 0)
		return NULL;
	if (fm->cond->kind == CK_AND && fm->cond->nkids == 1)
		return cond_clone(fm->cond->kids[0]);
	return cond_clone(fm->cond);
}

void
fm_script_from_tree(struct form_model *fm)
{
	struct cond	*c = fm_cond_out(fm);

	free(fm->script);
	if (fm->script_src != NULL && seg_where_text_ok(fm->script_src, c))
		fm->script = xstrdup(fm->script_src);
	else
		fm->script = fm->cond->nkids > 0 ? cond_print(fm->cond) :
		    xstrdup("");
	cond_free(c);
}

int
fm_script_apply(struct form_model *fm)
{
	struct cond	*c;
	char		*cause = NULL;

	free(fm->err[FM_COND]);
	fm->err[FM_COND] = NULL;
	fm->err_line = fm->err_col = 0;
	if ((c = cond_parse(fm->script != NULL ? fm->script : "",
	    &cause)) == NULL) {
		if (fm_cause_position(cause, &fm->err_line, &fm->err_col) != 0)
			fm->err_line = fm->err_col = 0;
		fm_set_error(fm, FM_COND, cause);
		return -1;
	}
	cond_free(fm->cond);
	fm->cond = fm_tree_root(c);
	free(fm->script_src);
	fm->script_src = xstrdup(fm->script != NULL ? fm->script : "");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Form -> segment                                                      */
/* ------------------------------------------------------------------ */

static void
fm_set_strv(char ***v, size_t *n, const char *text)
{
	fm_split(text, v, n);
}

static void
fm_cond_error(struct form_model *fm, char *cause)
{
	if (fm_cause_position(cause, &fm->err_line, &fm->err_col) != 0)
		fm->err_line = fm->err_col = 0;
	fm_set_error(fm, FM_COND, cause);
}

struct fm_exists {
	struct store_txn	*txn;
	const struct segment	*orig;
	const char		*name;
	int			 kept;
};

static void
fm_seg_kept(void *arg, const char *name)
{
	struct fm_exists *e = arg;

	if (strcmp(name, e->name) == 0)
		e->kept = 1;
}

/*
 * As seg_validate decides (segment.h): a segment the user cannot see is
 * unknown, and a reference the saved definition had stays, whether its
 * segment was deleted or is hidden.
 */
static int
fm_seg_exists(void *arg, const char *name)
{
	struct fm_exists *e = arg;
	struct segment	*s = NULL;
	char		*cause = NULL;
	int		 ok;

	e->name = name;
	e->kept = 0;
	if (e->orig != NULL && e->orig->cond != NULL)
		cond_segments(e->orig->cond, fm_seg_kept, e);
	if (e->kept)
		return 1;
	ok = seg_get(e->txn, name, &s, &cause) == 0 && access_can_see(s);
	seg_free(s);
	free(cause);
	return ok;
}

/* The definition's fields as typed, before any check. */
static struct segment *
fm_seg_new(const struct form_model *fm)
{
	struct segment	*s;

	s = xmalloc(sizeof *s);
	seg_init(s);
	if (fm->orig != NULL) {
		s->id = fm->orig->id;
		s->state = fm->orig->state;
		s->hook = fm->orig->hook != NULL ? xstrdup(fm->orig->hook) :
		    NULL;
	}
	s->name = fm_trim(fm_text(fm, FM_NAME));
	s->db = fm_trim(fm_text(fm, FM_DB));
	s->kind = fm->kind;
	fm_set_strv(&s->tags, &s->ntags, fm_text(fm, FM_TAGS));
	fm_set_strv(&s->groups, &s->ngroups, fm_text(fm, FM_GROUPS));
	return s;
}

/* Range and limit of a scheduled segment. */
static void
fm_out_range(struct form_model *fm, struct segment *s)
{
	char	*cause = NULL, *t, *lo, *hi;
	int64_t	 v;

	lo = fm_trim(fm_text(fm, FM_RANGE_LO));
	hi = fm_trim(fm_text(fm, FM_RANGE_HI));
	t = xasprintf("%s-%s", *lo != '\0' ? lo : "0",
	    *hi != '\0' ? hi : "100");
	if (seg_parse_range(t, &s->range_lo, &s->range_hi,
	    &cause) != 0)
		fm_set_error(fm, FM_RANGE_LO, cause);
	free(t);
	free(lo);
	free(hi);
	if (fm->limit_on) {
		t = fm_trim(fm_text(fm, FM_LIMIT));
		if (parse_int64(t, strlen(t), &v) != 0 || v < 1)
			fm_set_error(fm, FM_LIMIT, xasprintf(_("The "
			    "limit must be a whole number of at least "
			    "1, not '%s'."), t));
		else
			s->limit = v;
		free(t);
	}
}

/* Conditions, range, limit and schedule of a scheduled segment. */
static void
fm_out_scheduled(struct form_model *fm, struct store_txn *txn, int64_t now,
    struct segment *s)
{
	struct pdb_schema	*schema = NULL;
	struct fm_exists	 ex = { txn, fm->orig, NULL, 0 };
	char			*cause = NULL;

	if (fm->script_mode)
		fm_script_apply(fm);
	s->cond = fm_cond_out(fm);
	/* The script as written is saved beside the tree it says. */
	if (fm->script_src != NULL && seg_where_text_ok(fm->script_src,
	    s->cond))
		s->where_text = xstrdup(fm->script_src);
	if (fm->err[FM_COND] == NULL && fm->cond != NULL &&
	    fm_tree_empty_group(fm->cond) > 0)
		fm_set_error(fm, FM_COND, xstrdup(_("A group has no "
		    "conditions: add one to it or remove it.")));
	fm_out_range(fm, s);
	if (fm->sched_on) {
		if (fm_sched(fm, now, &s->sched, &cause) != 0)
			fm_set_error(fm, fm_sched_field(fm, now), cause);
		else
			s->has_sched = 1;
		cause = NULL;
	}
	if (txn != NULL && s->cond != NULL && *s->db != '\0' &&
	    fm->err[FM_COND] == NULL &&
	    pdb_open(txn, s->db, &schema, &cause) == 0) {
		if (cond_check(s->cond, schema, fm_seg_exists, &ex,
		    &cause) != 0)
			fm_cond_error(fm, cause);
		cause = NULL;
		schema_free(schema);
	}
	free(cause);
}

/*
 * seg_validate in steps, so that its cause lands on the right field:
 * name and database first, then the conditions, then the rest.
 */
static void
fm_validate(struct form_model *fm, struct store_txn *txn, int64_t now,
    const struct segment *s)
{
	struct pdb_schema *schema = NULL;
	struct segment	*step;
	char		*cause = NULL, *t;
	uint32_t	 self = fm->orig != NULL ? fm->orig->id : 0;

	step = seg_clone(s);
	cond_free(step->cond);
	step->cond = NULL;
	step->range_lo = 0;
	step->range_hi = 10000;
	step->limit = -1;
	step->has_sched = 0;
	if (seg_validate(txn, step, self, now, &cause) != 0) {
		if (pdb_open(txn, s->db, &schema, &t) != 0) {
			free(t);
			fm_set_error(fm, FM_DB, cause);
		} else {
			schema_free(schema);
			fm_set_error(fm, FM_NAME, cause);
		}
		seg_free(step);
		return;
	}
	step->cond = s->cond != NULL ? cond_clone(s->cond) : NULL;
	if (seg_validate(txn, step, self, now, &cause) != 0) {
		fm_cond_error(fm, cause);
		seg_free(step);
		return;
	}
	seg_free(step);
	if (seg_validate(txn, s, self, now, &cause) != 0)
		fm_set_error(fm, fm->sched_on ? FM_TIME : FM_NAME, cause);
}

int
fm_to_segment(struct form_model *fm, struct store_txn *txn, int64_t now,
    struct segment **out)
{
	struct segment	*s;

	*out = NULL;
	fm_clear_errors(fm);
	s = fm_seg_new(fm);
	/* At once, whatever else is wrong (the store checks it last). */
	if (*s->name == '\0')
		fm_set_error(fm, FM_NAME, xstrdup(_("Enter a name for the "
		    "segment.")));
	if (*s->db == '\0')
		fm_set_error(fm, FM_DB, xstrdup(_("Choose a database.")));
	if (s->kind == SEG_SCHEDULED)
		fm_out_scheduled(fm, txn, now, s);
	if (!fm_has_errors(fm) && txn != NULL)
		fm_validate(fm, txn, now, s);
	if (fm_has_errors(fm)) {
		seg_free(s);
		return -1;
	}
	*out = s;
	return 0;
}
