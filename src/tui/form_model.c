/*
 * The segment form's model: no curses here, so check_form tests it.
 * Every check is the engine's (seg_parse_range, sched_parse,
 * sched_validate, value_parse_text, cond_check, seg_validate); this file
 * only decides which field a cause belongs to.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "form_model.h"
#include "i18n.h"
#include "pdb.h"
#include "sched.h"
#include "schema.h"
#include "segment.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

static const char *fm_weekday_names[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

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

static char *
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

struct cond *
fm_tree_root(struct cond *c)
{
	struct cond	*root;

	if (c != NULL && (c->kind == CK_AND || c->kind == CK_OR))
		return c;
	root = cond_new(CK_AND);
	if (c != NULL)
		cond_add_kid(root, c);
	return root;
}

void
fm_from_segment(struct form_model *fm, const struct segment *s)
{
	const struct sched	*sc = &s->sched;
	struct strbuf		 sb = STRBUF_INIT;
	char			 buf[64], *t;
	int			 d;

	fm_free(fm);
	fm_init(fm);
	fm->orig = seg_clone(s);
	fm_set_text(fm, FM_NAME, s->name);
	fm_set_text(fm, FM_DB, s->db);
	fm->kind = s->kind;
	cond_free(fm->cond);
	fm->cond = fm_tree_root(s->cond != NULL ? cond_clone(s->cond) : NULL);
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
	if (!s->has_sched)
		return;
	snprintf(buf, sizeof buf, "%02d:%02d", sc->hour, sc->minute);
	fm_set_text(fm, FM_TIME, buf);
	fm_set_text(fm, FM_TZ, sc->tz[0] != '\0' ? sc->tz : "UTC");
	fm->freq = sc->freq;
	snprintf(buf, sizeof buf, "%d", sc->interval > 0 ? sc->interval : 1);
	fm_set_text(fm, FM_INTERVAL, buf);
	if (sc->freq == SCHED_ONCE)
		fm_set_text(fm, FM_ONCE, tu_format_date(sc->once_date, buf));
	for (d = 0; d < 7; d++)
		if (sc->weekdays & (1u << d)) {
			if (sb.len > 0)
				sb_putc(&sb, ',');
			sb_puts(&sb, fm_weekday_names[d]);
		}
	sb_puts(&sb, "");
	fm_set_text(fm, FM_WEEKDAYS, sb.buf);
	sb_reset(&sb);
	for (d = 1; d <= 31; d++)
		if (sc->monthdays & (1u << d)) {
			if (sb.len > 0)
				sb_putc(&sb, ',');
			sb_printf(&sb, "%d", d);
		}
	if (sc->last_day) {
		if (sb.len > 0)
			sb_putc(&sb, ',');
		sb_puts(&sb, "last");
	}
	sb_puts(&sb, "");
	fm_set_text(fm, FM_MONTHDAYS, sb.buf);
	sb_free(&sb);
	if (sc->until >= 0 && sc->until != 0)
		fm_set_text(fm, FM_UNTIL, tu_format_date(sc->until, buf));
}

/* ------------------------------------------------------------------ */
/* Schedule                                                             */
/* ------------------------------------------------------------------ */

char *
fm_sched_text(const struct form_model *fm)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*time, *tz, *iv, *until, *list, buf[TU_DATE_BUF];
	int		 n1;

	if (!fm->sched_on)
		return NULL;
	time = fm_trim(fm_text(fm, FM_TIME));
	tz = fm_trim(fm_text(fm, FM_TZ));
	iv = fm_trim(fm_text(fm, FM_INTERVAL));
	until = fm_trim(fm_text(fm, FM_UNTIL));
	n1 = *iv == '\0' || strcmp(iv, "1") == 0;
	switch (fm->freq) {
	case SCHED_DAILY:
		if (n1)
			sb_printf(&sb, "daily at %s", time);
		else
			sb_printf(&sb, "every %s days at %s", iv, time);
		break;
	case SCHED_ONCE:
		list = fm_trim(fm_text(fm, FM_ONCE));
		sb_printf(&sb, "once on %s at %s", list, time);
		free(list);
		break;
	case SCHED_WEEKLY:
		list = fm_trim(fm_text(fm, FM_WEEKDAYS));
		for (char *p = list; *p != '\0'; p++)
			if (*p == ' ')
				*p = ',';
		if (n1)
			sb_printf(&sb, "weekly on %s at %s", list, time);
		else
			sb_printf(&sb, "every %s weeks on %s at %s", iv, list,
			    time);
		free(list);
		break;
	case SCHED_MONTHLY:
		list = fm_trim(fm_text(fm, FM_MONTHDAYS));
		for (char *p = list; *p != '\0'; p++)
			if (*p == ' ')
				*p = ',';
		sb_printf(&sb, "monthly on %s at %s", list, time);
		free(list);
		break;
	case SCHED_HOURLY:
		sb_printf(&sb, "every %s hours from %s", *iv != '\0' ? iv : "1",
		    time);
		break;
	}
	sb_printf(&sb, " %s", *tz != '\0' ? tz : "UTC");
	if (*until != '\0')
		sb_printf(&sb, " until %s", until);
	/* Editing keeps the day "every N" counts from. */
	if (fm->orig != NULL && fm->orig->has_sched &&
	    fm->orig->sched.freq == fm->freq && fm->freq != SCHED_ONCE &&
	    fm->orig->sched.anchor != 0)
		sb_printf(&sb, " starting %s",
		    tu_format_date(fm->orig->sched.anchor, buf));
	free(time);
	free(tz);
	free(iv);
	free(until);
	return sb_detach(&sb);
}

int
fm_sched(const struct form_model *fm, int64_t now, struct sched *sc,
    char **cause)
{
	char	*text;
	int	 rc;

	if ((text = fm_sched_text(fm)) == NULL)
		return error_set(cause, "%s", _("There is no schedule."));
	rc = sched_parse_stored(text, now, sc, cause);
	free(text);
	/*
	 * An unchanged schedule stays editable after its `until` or `once`
	 * has passed; a new or changed one must be valid now and able to
	 * run, as seg_validate will insist.
	 */
	if (rc == 0 && (fm->orig == NULL || !fm->orig->has_sched ||
	    !sched_equal(&fm->orig->sched, sc))) {
		rc = sched_validate(sc, now, cause);
		if (rc == 0)
			rc = sched_check_runs(sc, now, cause);
	}
	return rc;
}

/* Which schedule field a schedule cause belongs to. */
static enum fm_field
fm_sched_field(const struct form_model *fm, int64_t now)
{
	char	*t = fm_trim(fm_text(fm, FM_TZ)), *u;
	struct tz *zone;
	int32_t	 d;
	int	 h, m, ok, past = 0;
	char	 c;

	ok = *t == '\0' || tz_exists(t);
	if (!ok) {
		free(t);
		return FM_TZ;
	}
	u = fm_trim(fm_text(fm, FM_UNTIL));
	ok = *u == '\0' || tu_parse_date(u, strlen(u), &d) == 0;
	/* An `until` before today (in the schedule's zone) is the culprit. */
	if (ok && *u != '\0' && (zone = tz_open(t, NULL)) != NULL) {
		past = d < tz_local_date(zone, now);
		tz_close(zone);
	}
	free(u);
	free(t);
	if (!ok || past)
		return FM_UNTIL;
	if (sscanf(fm_text(fm, FM_TIME), "%d:%d%c", &h, &m, &c) != 2 ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return FM_TIME;
	switch (fm->freq) {
	case SCHED_ONCE:
		return FM_ONCE;
	case SCHED_WEEKLY:
		return FM_WEEKDAYS;
	case SCHED_MONTHLY:
		return FM_MONTHDAYS;
	default:
		return FM_INTERVAL;
	}
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

void
fm_script_from_tree(struct form_model *fm)
{
	free(fm->script);
	fm->script = fm->cond->nkids > 0 ? cond_print(fm->cond) : xstrdup("");
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

static void
fm_cond_error(struct form_model *fm, char *cause)
{
	if (fm_cause_position(cause, &fm->err_line, &fm->err_col) != 0)
		fm->err_line = fm->err_col = 0;
	fm_set_error(fm, FM_COND, cause);
}

static int
fm_seg_exists(void *arg, const char *name)
{
	struct segment	*s = NULL;
	char		*cause = NULL;
	int		 ok;

	ok = seg_get(arg, name, &s, &cause) == 0;
	seg_free(s);
	free(cause);
	return ok;
}

int
fm_to_segment(struct form_model *fm, struct store_txn *txn, int64_t now,
    struct segment **out)
{
	struct segment		*s, *step;
	struct pdb_schema	*schema = NULL;
	char			*cause = NULL, *t, *lo, *hi;
	int64_t			 v;
	uint32_t		 self = fm->orig != NULL ? fm->orig->id : 0;

	*out = NULL;
	fm_clear_errors(fm);
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
	/* At once, whatever else is wrong (the store checks it last). */
	if (*s->name == '\0')
		fm_set_error(fm, FM_NAME, xstrdup(_("Enter a name for the "
		    "segment.")));
	if (*s->db == '\0')
		fm_set_error(fm, FM_DB, xstrdup(_("Choose a database.")));
	if (s->kind == SEG_SCHEDULED) {
		if (fm->script_mode)
			fm_script_apply(fm);
		s->cond = fm_cond_out(fm);
		if (fm->err[FM_COND] == NULL && fm->cond != NULL &&
		    fm_tree_empty_group(fm->cond) > 0)
			fm_set_error(fm, FM_COND, xstrdup(_("A group has no "
			    "conditions: add one to it or remove it.")));
		lo = fm_trim(fm_text(fm, FM_RANGE_LO));
		hi = fm_trim(fm_text(fm, FM_RANGE_HI));
		t = xasprintf("%s-%s", *lo != '\0' ? lo : "0",
		    *hi != '\0' ? hi : "100");
		if (seg_parse_range(t, &s->range_lo, &s->range_hi,
		    &cause) != 0)
			fm_set_error(fm, FM_RANGE_LO, cause);
		cause = NULL;
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
			if (cond_check(s->cond, schema, fm_seg_exists, txn,
			    &cause) != 0)
				fm_cond_error(fm, cause);
			cause = NULL;
			schema_free(schema);
		}
		free(cause);
		cause = NULL;
	}
	if (fm_has_errors(fm) || txn == NULL)
		goto out;
	/* Name and database first, then the conditions, then the rest. */
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
		goto out;
	}
	step->cond = s->cond != NULL ? cond_clone(s->cond) : NULL;
	if (seg_validate(txn, step, self, now, &cause) != 0) {
		fm_cond_error(fm, cause);
		seg_free(step);
		goto out;
	}
	seg_free(step);
	if (seg_validate(txn, s, self, now, &cause) != 0)
		fm_set_error(fm, fm->sched_on ? FM_TIME : FM_NAME, cause);
out:
	if (fm_has_errors(fm)) {
		seg_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The tree                                                             */
/* ------------------------------------------------------------------ */

static int
fm_is_group(const struct cond *c)
{
	return c->kind == CK_AND || c->kind == CK_OR;
}

static void
fm_rows_add(struct cond *c, struct cond *parent, size_t index, int depth,
    struct fm_row **rows, size_t *n)
{
	size_t	 i;

	*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
	(*rows)[*n].node = c;
	(*rows)[*n].parent = parent;
	(*rows)[*n].index = index;
	(*rows)[*n].depth = depth;
	(*n)++;
	if (fm_is_group(c))
		for (i = 0; i < c->nkids; i++)
			fm_rows_add(c->kids[i], c, i, depth + 1, rows, n);
}

size_t
fm_tree_rows(struct cond *root, struct fm_row **rows)
{
	size_t	 n = 0;

	*rows = NULL;
	fm_rows_add(root, NULL, 0, 0, rows, &n);
	return n;
}

int
fm_tree_empty_group(struct cond *root)
{
	struct fm_row	*rows;
	size_t		 n, i;
	int		 found = -1;

	n = fm_tree_rows(root, &rows);
	for (i = 1; i < n && found < 0; i++)
		if (fm_is_group(rows[i].node) && rows[i].node->nkids == 0)
			found = (int)i;
	free(rows);
	return found;
}

int
fm_tree_find(struct cond *root, const struct cond *node)
{
	struct fm_row	*rows;
	size_t		 n, i;
	int		 found = -1;

	n = fm_tree_rows(root, &rows);
	for (i = 0; i < n; i++)
		if (rows[i].node == node)
			found = (int)i;
	free(rows);
	return found;
}

/* Inserts kid into group g at position at. */
static void
fm_insert(struct cond *g, size_t at, struct cond *kid)
{
	cond_add_kid(g, kid);
	if (at >= g->nkids)
		return;
	memmove(g->kids + at + 1, g->kids + at,
	    (g->nkids - 1 - at) * sizeof *g->kids);
	g->kids[at] = kid;
}

void
fm_tree_add(struct cond *root, int row, struct cond *kid)
{
	struct fm_row	*rows;
	size_t		 n;

	n = fm_tree_rows(root, &rows);
	if (row < 0 || (size_t)row >= n)
		cond_add_kid(root, kid);
	else if (fm_is_group(rows[row].node))
		cond_add_kid(rows[row].node, kid);
	else
		fm_insert(rows[row].parent, rows[row].index + 1, kid);
	free(rows);
}

int
fm_tree_replace(struct cond *root, int row, struct cond *node)
{
	struct fm_row	*rows;
	size_t		 n;
	int		 rc = -1;

	n = fm_tree_rows(root, &rows);
	if (row > 0 && (size_t)row < n) {
		cond_free(rows[row].parent->kids[rows[row].index]);
		rows[row].parent->kids[rows[row].index] = node;
		rc = 0;
	} else
		cond_free(node);
	free(rows);
	return rc;
}

int
fm_tree_remove(struct cond *root, int row)
{
	struct fm_row	*rows;
	struct cond	*g;
	size_t		 n, i;

	n = fm_tree_rows(root, &rows);
	if (row <= 0 || (size_t)row >= n) {
		free(rows);
		return -1;
	}
	g = rows[row].parent;
	i = rows[row].index;
	cond_free(g->kids[i]);
	memmove(g->kids + i, g->kids + i + 1,
	    (g->nkids - i - 1) * sizeof *g->kids);
	g->nkids--;
	free(rows);
	return 0;
}

int
fm_tree_move(struct cond *root, int row, int dir)
{
	struct fm_row	*rows;
	struct cond	*g, *tmp;
	size_t		 n, i, j;

	n = fm_tree_rows(root, &rows);
	if (row <= 0 || (size_t)row >= n) {
		free(rows);
		return -1;
	}
	g = rows[row].parent;
	i = rows[row].index;
	free(rows);
	if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= g->nkids))
		return -1;
	j = dir < 0 ? i - 1 : i + 1;
	tmp = g->kids[i];
	g->kids[i] = g->kids[j];
	g->kids[j] = tmp;
	return 0;
}

void
fm_tree_andor(struct cond *root, int row)
{
	struct fm_row	*rows;
	struct cond	*g = root;
	size_t		 n;

	n = fm_tree_rows(root, &rows);
	if (row >= 0 && (size_t)row < n)
		g = fm_is_group(rows[row].node) ? rows[row].node :
		    rows[row].parent;
	free(rows);
	g->kind = g->kind == CK_AND ? CK_OR : CK_AND;
}

void
fm_tree_clear(struct cond *root)
{
	size_t	 i;

	for (i = 0; i < root->nkids; i++)
		cond_free(root->kids[i]);
	root->nkids = 0;
}

char *
fm_row_text(const struct cond *c)
{
	if (c->kind == CK_AND)
		return xstrdup(_("ALL of these (AND)"));
	if (c->kind == CK_OR)
		return xstrdup(_("ANY of these (OR)"));
	return cond_print(c);
}

/* ------------------------------------------------------------------ */
/* Conditions from the editor                                           */
/* ------------------------------------------------------------------ */

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
static void
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
static void
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
static int
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

/* ------------------------------------------------------------------ */
/* Bulk edit assignments                                                */
/* ------------------------------------------------------------------ */

void
fm_assign_free(char **fields, char **values, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(fields[i]);
		free(values[i]);
	}
	free(fields);
	free(values);
}

/* One assignment at *pp (blanks skipped); moves *pp past its ';'. */
static int
fm_parse_assignment(const char **pp, size_t no, char **field, char **value,
    char **cause)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = *pp, *start, *eq;
	char		*piece;

	for (eq = p; *eq != '\0' && *eq != '=' && *eq != ';'; eq++)
		;
	if (*eq != '=') {
		piece = xstrndup(p, (size_t)(eq - p));
		*field = fm_trim(piece);
		error_set(cause, _("Assignment %zu ('%s') is not FIELD=VALUE."),
		    no, *field);
		free(piece);
		free(*field);
		return -1;
	}
	piece = xstrndup(p, (size_t)(eq - p));
	*field = fm_trim(piece);
	free(piece);
	if (**field == '\0') {
		free(*field);
		return error_set(cause, _("Assignment %zu has no field name "
		    "before '='."), no);
	}
	p = eq + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	sb_puts(&sb, "");
	if (*p == '"') {
		for (p++;; p++) {
			if (*p == '\0') {
				sb_free(&sb);
				error_set(cause, _("Assignment %zu (%s): the "
				    "quote before the value is not closed."),
				    no, *field);
				free(*field);
				return -1;
			}
			if (*p == '"' && p[1] == '"')
				p++;
			else if (*p == '"')
				break;
			sb_putc(&sb, *p);
		}
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		if (*p != '\0' && *p != ';') {
			sb_free(&sb);
			error_set(cause, _("Assignment %zu (%s): text after the "
			    "closing quote; quote the whole value."), no,
			    *field);
			free(*field);
			return -1;
		}
		*value = sb_detach(&sb);
	} else {
		for (start = p; *p != '\0' && *p != ';'; p++)
			;
		piece = xstrndup(start, (size_t)(p - start));
		*value = fm_trim(piece);
		free(piece);
		sb_free(&sb);
	}
	if (*p == ';')
		p++;
	*pp = p;
	return 0;
}

int
fm_parse_assignments(const char *text, char ***fields, char ***values,
    size_t *n, char **cause)
{
	const char	*p = text;
	char		**f = NULL, **v = NULL;
	size_t		 cap = 0, k = 0, i;

	*fields = *values = NULL;
	*n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		if (k == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			f = xreallocarray(f, cap, sizeof *f);
			v = xreallocarray(v, cap, sizeof *v);
		}
		if (fm_parse_assignment(&p, k + 1, &f[k], &v[k], cause) != 0)
			goto fail;
		for (i = 0; i < k; i++)
			if (strcmp(f[i], f[k]) == 0) {
				error_set(cause, _("Field '%s' is set twice "
				    "(assignments %zu and %zu)."), f[k], i + 1,
				    k + 1);
				k++;
				goto fail;
			}
		k++;
	}
	if (k == 0) {
		error_set(cause, "%s", _("Nothing to set: type FIELD=VALUE, "
		    "several separated by ';'."));
		goto fail;
	}
	*fields = f;
	*values = v;
	*n = k;
	return 0;
fail:
	fm_assign_free(f, v, k);
	return -1;
}
