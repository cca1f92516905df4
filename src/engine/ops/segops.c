/*
 * segops: actions on a segment's current members (copy to a database or
 * a static segment, bulk edit and its FIELD=VALUE parser, clone).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <roaring/roaring.h>

#include "access.h"
#include "attach.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "segops.h"
#include "util.h"

/* Rows copied between two store_release_pages. */
#define SEGOPS_RELEASE_ROWS	65536

/* The segment, if the caller may act on it and it has been updated. */
static int
segops_source(struct store_txn *txn, const char *name, struct segment **s,
    char **cause)
{
	if (access_get(txn, name, s, cause) != 0)
		return -1;
	if (seg_require_updated(*s, cause) != 0) {
		seg_free(*s);
		*s = NULL;
		return -1;
	}
	return 0;
}

void
segops_copy_result_free(struct segops_copy_result *r)
{
	size_t i;

	for (i = 0; i < r->nskipped; i++)
		free(r->skipped[i]);
	free(r->skipped);
	r->skipped = NULL;
	r->nskipped = 0;
}

struct segops_copy_arg {
	const char			*segment;
	const char			*dbname;
	struct segops_copy_result	*res;
	/* During the scan. */
	struct pdb_schema		*src, *dst;
	int				*map;	/* dst field -> src field, -1 */
	uint8_t				*named;	/* map[f] >= 0 */
	struct store			*store;
	struct pdb_batch		*batch;
	struct value			*row;
};

static int
segops_copy_row(void *arg0, uint32_t pno, const struct value *src)
{
	struct segops_copy_arg *a = arg0;
	uint16_t i;

	(void)pno;
	/*
	 * Only the fields both databases have are named: those the target
	 * alone has keep their values (empty for a new profile).
	 */
	for (i = 0; i < a->dst->nfields; i++)
		if (a->map[i] >= 0)
			a->row[i] = src[a->map[i]];
	pdb_batch_add_named(a->batch, a->row, a->named);
	/* The source's pages read so far go back to the page cache. */
	if (++a->res->profiles % SEGOPS_RELEASE_ROWS == 0)
		store_release_pages(a->store);
	return 0;
}

static int
segops_copy_db_cb(struct store_txn *txn, void *arg0, char **cause)
{
	struct segops_copy_arg *a = arg0;
	struct segment *s = NULL;
	roaring_bitmap_t *m = NULL;
	struct strbuf conflicts = STRBUF_INIT;
	const struct field *df, *sf;
	uint16_t i;
	int rc = -1, j;

	/* A retry after map growth starts from scratch. */
	segops_copy_result_free(a->res);
	memset(a->res, 0, sizeof *a->res);
	if (segops_source(txn, a->segment, &s, cause) != 0)
		return -1;
	if (strcmp(s->db, a->dbname) == 0) {
		error_set(cause, _("segment '%s' already belongs to database "
		    "'%s'; copy it into another database"), s->name, s->db);
		goto out;
	}
	if (pdb_open(txn, s->db, &a->src, cause) != 0 ||
	    pdb_open(txn, a->dbname, &a->dst, cause) != 0 ||
	    attach_refuse(a->dst, _("copying profiles into it"), cause) != 0)
		goto out;
	sf = &a->src->fields[a->src->key_field];
	df = &a->dst->fields[a->dst->key_field];
	if (strcmp(sf->name, df->name) != 0) {
		error_set(cause, _("cannot copy segment '%s' into database "
		    "'%s': its key is '%s', not '%s' as in database '%s'"),
		    s->name, a->dbname, df->name, sf->name, s->db);
		goto out;
	}
	a->map = xcalloc(a->dst->nfields, sizeof *a->map);
	a->named = xcalloc(a->dst->nfields, 1);
	for (i = 0; i < a->dst->nfields; i++) {
		df = &a->dst->fields[i];
		a->map[i] = schema_field_index(a->src, df->name);
		if (a->map[i] < 0)
			continue;
		a->named[i] = 1;
		sf = &a->src->fields[a->map[i]];
		if (sf->type != df->type)
			sb_printf(&conflicts, _("%sfield '%s' is %s in '%s' but "
			    "%s in '%s'"), conflicts.len ? "; " : "", df->name,
			    field_type_name(sf->type), s->db,
			    field_type_name(df->type), a->dbname);
	}
	if (conflicts.len != 0) {
		error_set(cause, _("cannot copy segment '%s' into database "
		    "'%s': %s"), s->name, a->dbname, conflicts.buf);
		goto out;
	}
	for (i = 0; i < a->src->nfields; i++) {
		j = schema_field_index(a->dst, a->src->fields[i].name);
		if (j >= 0)
			continue;
		a->res->skipped = xreallocarray(a->res->skipped,
		    a->res->nskipped + 1, sizeof *a->res->skipped);
		a->res->skipped[a->res->nskipped++] =
		    xstrdup(a->src->fields[i].name);
	}
	if (seg_members(txn, s->id, &m, cause) != 0)
		goto out;
	a->store = store_txn_store(txn);
	a->batch = pdb_batch_new(a->dst);
	a->row = xcalloc(a->dst->nfields, sizeof *a->row);
	if (pdb_scan_rows(txn, a->src, m, segops_copy_row, a, cause) != 0)
		goto out;
	if (pdb_batch_apply(txn, a->dbname, a->batch, &a->res->stats,
	    cause) != 0)
		goto out;
	rc = 0;
out:
	if (a->batch != NULL)
		pdb_batch_free(a->batch);
	a->batch = NULL;
	free(a->row);
	a->row = NULL;
	free(a->map);
	a->map = NULL;
	free(a->named);
	a->named = NULL;
	schema_free(a->src);
	schema_free(a->dst);
	a->src = a->dst = NULL;
	if (m != NULL)
		roaring_bitmap_free(m);
	sb_free(&conflicts);
	seg_free(s);
	return rc;
}

int
segops_copy_to_db(struct store *st, const char *segment, const char *dbname,
    struct segops_copy_result *res, char **cause)
{
	struct segops_copy_arg a;

	memset(&a, 0, sizeof a);
	memset(res, 0, sizeof *res);
	a.segment = segment;
	a.dbname = dbname;
	a.res = res;
	if (store_write(st, segops_copy_db_cb, &a, cause) != 0) {
		segops_copy_result_free(res);
		return -1;
	}
	return 0;
}

struct segops_keys {
	uint16_t	  key_field;
	char		**keys;
	size_t		  n;
};

static int
segops_key_row(void *arg, uint32_t pno, const struct value *row)
{
	struct segops_keys *k = arg;
	const struct value *v = &row[k->key_field];

	(void)pno;
	k->keys[k->n++] = xstrndup(v->u.s.p, v->u.s.len);
	return 0;
}

int
segops_copy_to_segment(struct store *st, const char *segment,
    const char *target, const char *initiator, uint64_t *added,
    uint64_t *already, char **cause)
{
	struct store_txn *txn;
	struct segment *s = NULL, *t = NULL;
	struct pdb_schema *db = NULL;
	roaring_bitmap_t *m = NULL;
	struct segops_keys k = { 0, NULL, 0 };
	struct seg_fill_result fr;
	size_t i;
	int rc = -1;

	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	if (segops_source(txn, segment, &s, cause) != 0)
		goto out;
	if (access_get(txn, target, &t, cause) != 0)
		goto out;
	if (s->id == t->id) {
		error_set(cause, _("segment '%s' cannot be copied into "
		    "itself"), s->name);
		goto out;
	}
	if (t->kind != SEG_STATIC) {
		error_set(cause, _("segment '%s' is scheduled: only a "
		    "recalculation changes its members; copy into a static "
		    "segment"), t->name);
		goto out;
	}
	if (strcmp(s->db, t->db) != 0) {
		error_set(cause, _("segment '%s' belongs to database '%s', not "
		    "'%s' like segment '%s'"), t->name, t->db, s->db, s->name);
		goto out;
	}
	if (pdb_open(txn, s->db, &db, cause) != 0 ||
	    seg_members(txn, s->id, &m, cause) != 0)
		goto out;
	k.key_field = db->key_field;
	k.keys = xcalloc(roaring_bitmap_get_cardinality(m) + 1,
	    sizeof *k.keys);
	if (pdb_scan_rows(txn, db, m, segops_key_row, &k, cause) != 0)
		goto out;
	rc = 0;
out:
	store_read_end(txn);
	if (rc == 0) {
		memset(&fr, 0, sizeof fr);
		rc = seg_fill(st, t->name, 0, (const char *const *)k.keys, k.n,
		    initiator, &fr, cause);
		if (rc == 0) {
			*added = fr.changed;
			*already = fr.unchanged;
		}
		seg_fill_result_free(&fr);
	}
	for (i = 0; i < k.n; i++)
		free(k.keys[i]);
	free(k.keys);
	if (m != NULL)
		roaring_bitmap_free(m);
	schema_free(db);
	seg_free(s);
	seg_free(t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Bulk edit input: FIELD=VALUE, one or a list                          */
/* ------------------------------------------------------------------ */

/* What is wrong with one assignment. */
enum segops_scan_err {
	SEGOPS_SCAN_OK,
	SEGOPS_SCAN_NO_EQUALS,		/* no '=' in it */
	SEGOPS_SCAN_NO_FIELD,		/* nothing before the '=' */
	SEGOPS_SCAN_OPEN_QUOTE,		/* the value's quote is not closed */
	SEGOPS_SCAN_AFTER_QUOTE		/* text after the closing quote */
};

/* One assignment as found in the text. */
struct segops_scan {
	const char	*field;		/* without the blanks of a list */
	size_t		 flen;
	const char	*value;		/* quoted: after the opening quote */
	size_t		 vlen;
	int		 quoted;	/* "" in the value stands for " */
	const char	*next;		/* past the assignment and its ';' */
};

/* The span a..e without leading and trailing blanks. */
static void
segops_scan_trim(const char **a, const char **e)
{
	while (*a < *e && isspace((unsigned char)**a))
		(*a)++;
	while (*e > *a && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* A list's value: quoted ("" is a quote, ';' allowed) or to the ';'. */
static enum segops_scan_err
segops_scan_value(const char *p, struct segops_scan *sc)
{
	const char	*e;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"') {
		for (e = p; *e != '\0' && *e != ';'; e++)
			;
		sc->next = *e == ';' ? e + 1 : e;
		segops_scan_trim(&p, &e);
		sc->value = p;
		sc->vlen = (size_t)(e - p);
		return SEGOPS_SCAN_OK;
	}
	sc->quoted = 1;
	sc->value = ++p;
	for (;; p++) {
		if (*p == '\0')
			return SEGOPS_SCAN_OPEN_QUOTE;
		if (*p == '"' && p[1] == '"')
			p++;
		else if (*p == '"')
			break;
	}
	sc->vlen = (size_t)(p - sc->value);
	for (p++; *p == ' ' || *p == '\t'; p++)
		;
	if (*p != '\0' && *p != ';')
		return SEGOPS_SCAN_AFTER_QUOTE;
	sc->next = *p == ';' ? p + 1 : p;
	return SEGOPS_SCAN_OK;
}

/*
 * The one FIELD=VALUE scanner of both inputs.  Alone (list 0) the field
 * runs to the first '=' and the value, literal, to the end of the text.
 * In a list the assignment ends at ';' outside quotes, blanks around the
 * field and an unquoted value are dropped, and a value may be quoted.
 */
static enum segops_scan_err
segops_scan(const char *p, int list, struct segops_scan *sc)
{
	const char	*eq, *a, *e;

	memset(sc, 0, sizeof *sc);
	for (eq = p; *eq != '\0' && *eq != '=' && (!list || *eq != ';'); eq++)
		;
	a = p;
	e = eq;
	if (list)
		segops_scan_trim(&a, &e);
	sc->field = a;
	sc->flen = (size_t)(e - a);
	if (*eq != '=')
		return SEGOPS_SCAN_NO_EQUALS;
	if (sc->flen == 0)
		return SEGOPS_SCAN_NO_FIELD;
	if (list)
		return segops_scan_value(eq + 1, sc);
	sc->value = eq + 1;
	sc->vlen = strlen(sc->value);
	sc->next = sc->value + sc->vlen;
	return SEGOPS_SCAN_OK;
}

int
segops_parse_set(const char *text, struct segops_set *set, char **cause)
{
	struct segops_scan sc;

	if (segops_scan(text, 0, &sc) != SEGOPS_SCAN_OK)
		return error_set(cause, _("'%s': expected FIELD=VALUE"), text);
	set->field = text;
	set->value = sc.value;
	return 0;
}

void
segops_sets_free(char **fields, char **values, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(fields[i]);
		free(values[i]);
	}
	free(fields);
	free(values);
}

/* The value of a scanned assignment, its quotes undone. */
static char *
segops_scan_text(const struct segops_scan *sc)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	if (!sc->quoted)
		return xstrndup(sc->value, sc->vlen);
	sb_puts(&sb, "");
	for (i = 0; i < sc->vlen; i++) {
		if (sc->value[i] == '"')
			i++;
		sb_putc(&sb, sc->value[i]);
	}
	return sb_detach(&sb);
}

/* One assignment of a list, number no, into *field and *value. */
static int
segops_parse_one(const char **pp, size_t no, char **field, char **value,
    char **cause)
{
	struct segops_scan	 sc;
	enum segops_scan_err	 err;
	char			*f;

	if ((err = segops_scan(*pp, 1, &sc)) == SEGOPS_SCAN_OK) {
		*field = xstrndup(sc.field, sc.flen);
		*value = segops_scan_text(&sc);
		*pp = sc.next;
		return 0;
	}
	if (err == SEGOPS_SCAN_NO_FIELD)
		return error_set(cause, _("Assignment %zu has no field name "
		    "before '='."), no);
	f = xstrndup(sc.field, sc.flen);
	if (err == SEGOPS_SCAN_NO_EQUALS)
		error_set(cause, _("Assignment %zu ('%s') is not FIELD=VALUE."),
		    no, f);
	else if (err == SEGOPS_SCAN_OPEN_QUOTE)
		error_set(cause, _("Assignment %zu (%s): the quote before the "
		    "value is not closed."), no, f);
	else
		error_set(cause, _("Assignment %zu (%s): text after the "
		    "closing quote; quote the whole value."), no, f);
	free(f);
	return -1;
}

int
segops_parse_sets(const char *text, char ***fields, char ***values,
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
		if (segops_parse_one(&p, k + 1, &f[k], &v[k], cause) != 0)
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
	segops_sets_free(f, v, k);
	return -1;
}

struct segops_update_arg {
	const char		*segment;
	const struct segops_set	*sets;
	size_t			 nsets;
	uint64_t		 changed;
	uint64_t		 members;
	int			 bad_value;	/* a value did not parse */
	int			 dry;		/* count only */
	/* During the scan. */
	struct pdb_schema	*db;
	int			*idx;
	struct value		*vals;
};

static int
segops_update_row(void *arg0, uint32_t pno, const struct value *row)
{
	struct segops_update_arg *a = arg0;
	size_t i;

	(void)pno;
	for (i = 0; i < a->nsets; i++) {
		if (!value_equal(a->db->fields[a->idx[i]].type,
		    &row[a->idx[i]], &a->vals[i])) {
			a->changed++;
			break;
		}
	}
	return 0;
}

static int
segops_update_cb(struct store_txn *txn, void *arg0, char **cause)
{
	struct segops_update_arg *a = arg0;
	struct segment *s = NULL;
	roaring_bitmap_t *m = NULL;
	struct arena arena = ARENA_INIT;
	char *why = NULL;
	const char *eq;
	char *fname;
	size_t i, j;
	uint64_t n;
	int rc = -1;

	a->changed = a->members = 0;
	if (segops_source(txn, a->segment, &s, cause) != 0)
		return -1;
	if (pdb_open(txn, s->db, &a->db, cause) != 0 ||
	    attach_refuse(a->db, _("editing profiles"), cause) != 0)
		goto out;
	a->idx = xcalloc(a->nsets, sizeof *a->idx);
	a->vals = xcalloc(a->nsets, sizeof *a->vals);
	for (i = 0; i < a->nsets; i++) {
		eq = strchr(a->sets[i].field, '=');
		fname = eq != NULL ? xstrndup(a->sets[i].field,
		    (size_t)(eq - a->sets[i].field)) :
		    xstrdup(a->sets[i].field);
		a->idx[i] = schema_field_index(a->db, fname);
		if (a->idx[i] < 0) {
			error_set(cause, _("database '%s' has no field '%s'"),
			    s->db, fname);
			free(fname);
			goto out;
		}
		if (a->idx[i] == a->db->key_field) {
			error_set(cause, _("the key field '%s' cannot be "
			    "changed by a bulk edit"), fname);
			free(fname);
			goto out;
		}
		for (j = 0; j < i; j++) {
			if (a->idx[j] == a->idx[i]) {
				error_set(cause, _("field '%s' is set twice"),
				    fname);
				free(fname);
				goto out;
			}
		}
		if (value_parse_text(a->db->fields[a->idx[i]].type,
		    a->sets[i].value, strlen(a->sets[i].value), &a->vals[i],
		    &arena, &why) != 0) {
			error_set(cause, "%s: %s", fname, why);
			a->bad_value = 1;
			free(why);
			free(fname);
			goto out;
		}
		free(fname);
	}
	/* Deleted profiles a scheduled segment keeps until its next run. */
	if (seg_members(txn, s->id, &m, cause) != 0 ||
	    pdb_drop_deleted(txn, a->db, m, cause) != 0)
		goto out;
	a->members = roaring_bitmap_get_cardinality(m);
	/* Count before writing: a profile changed in two fields counts once. */
	if (pdb_scan_rows(txn, a->db, m, segops_update_row, a, cause) != 0)
		goto out;
	for (i = 0; !a->dry && i < a->nsets; i++)
		if (pdb_set_field(txn, s->db, (uint16_t)a->idx[i], &a->vals[i],
		    m, &n, cause) != 0)
			goto out;
	rc = 0;
out:
	if (m != NULL)
		roaring_bitmap_free(m);
	arena_free(&arena);
	free(a->idx);
	free(a->vals);
	a->idx = NULL;
	a->vals = NULL;
	schema_free(a->db);
	a->db = NULL;
	seg_free(s);
	return rc;
}

static int
segops_update_do(struct store *st, const char *segment,
    const struct segops_set *sets, size_t nsets, int dry, uint64_t *changed,
    uint64_t *members, char **cause)
{
	struct segops_update_arg a;
	struct store_txn *txn;
	int rc;

	if (nsets == 0)
		return error_set(cause, _("nothing to change: no FIELD=VALUE "
		    "was given"));
	memset(&a, 0, sizeof a);
	a.segment = segment;
	a.sets = sets;
	a.nsets = nsets;
	a.dry = dry;
	if (dry) {
		if (store_read_begin(st, &txn, cause) != 0)
			return -1;
		rc = segops_update_cb(txn, &a, cause);
		store_read_end(txn);
	} else
		rc = store_write(st, segops_update_cb, &a, cause);
	if (rc != 0)
		return a.bad_value ? SEGOPS_BAD_VALUE : -1;
	*changed = a.changed;
	if (members != NULL)
		*members = a.members;
	return 0;
}

int
segops_update(struct store *st, const char *segment,
    const struct segops_set *sets, size_t nsets, uint64_t *changed,
    uint64_t *members, char **cause)
{
	return segops_update_do(st, segment, sets, nsets, 0, changed, members,
	    cause);
}

int
segops_update_preview(struct store *st, const char *segment,
    const struct segops_set *sets, size_t nsets, uint64_t *changed,
    uint64_t *members, char **cause)
{
	return segops_update_do(st, segment, sets, nsets, 1, changed, members,
	    cause);
}

int
segops_clone(struct store *st, const char *segment, const char *newname,
    struct segment **out, char **cause)
{
	struct store_txn *txn;
	struct segment *s, *c;
	int rc;

	if (newname == NULL || *newname == '\0')
		return error_set(cause, _("the clone of segment '%s' needs a "
		    "new name"), segment);
	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	rc = access_get(txn, segment, &s, cause);
	store_read_end(txn);
	if (rc != 0)
		return -1;
	c = seg_clone(s);
	free(c->name);
	c->name = xstrdup(newname);
	/*
	 * Two copies must not both run unasked; only a schedule runs
	 * unasked, and a segment without one has nothing to stop.
	 */
	c->state = c->kind == SEG_SCHEDULED && c->has_sched ? SEG_STOPPED :
	    SEG_ACTIVE;
	free(c->hook);
	c->hook = NULL;
	rc = seg_create(st, c, NULL, cause);
	if (rc == 0 && out != NULL)
		*out = c;
	else
		seg_free(c);
	seg_free(s);
	return rc;
}
