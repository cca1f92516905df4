/*
 * Attached PostgreSQL databases: the source record, reading a table's
 * columns into fields, and runs on the server.  The key field is always
 * the first field of an attached database, so that a refresh which adds
 * or removes columns never moves the key chunks (those of field 0) that
 * number the keys.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "bucket.h"
#include "i18n.h"
#include "pgsrc.h"
#include "segment.h"
#include "segment_int.h"

int
attach_is(const struct pdb_schema *sc)
{
	return sc != NULL && sc->source != NULL;
}

const char *
attach_get(const struct pdb_schema *sc, const char *what)
{
	const cJSON *v, *ev;

	if (!attach_is(sc))
		return NULL;
	if (strncmp(what, "events_", 7) == 0) {
		ev = cJSON_GetObjectItemCaseSensitive(sc->source, "events");
		v = cJSON_GetObjectItemCaseSensitive(ev, what + 7);
	} else
		v = cJSON_GetObjectItemCaseSensitive(sc->source, what);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
attach_timeout(const struct pdb_schema *sc)
{
	const cJSON *v;

	v = cJSON_GetObjectItemCaseSensitive(sc->source, "timeout");
	return cJSON_IsNumber(v) ? (int)v->valuedouble : PGSRC_TIMEOUT_DEFAULT;
}

const char *
attach_pg_type(const struct pdb_schema *sc, int event, size_t i)
{
	const cJSON *t;

	t = event ? cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(sc->source, "events"), "types") :
	    cJSON_GetObjectItemCaseSensitive(sc->source, "types");
	t = cJSON_GetArrayItem(t, (int)i);
	return cJSON_IsString(t) ? t->valuestring : "?";
}

int
attach_refuse(const struct pdb_schema *sc, const char *what, char **cause)
{
	if (!attach_is(sc))
		return 0;
	return error_set(cause, _("profile database '%s' is attached from "
	    "PostgreSQL: %s is done in PostgreSQL, not in reseg"), sc->name,
	    what);
}

/* What a table's columns give. */
struct attach_read {
	struct field	*fields;
	size_t		 nfields;
	struct field	*evfields;
	size_t		 nevfields;
	cJSON		*source;
};

static void
attach_read_free(struct attach_read *r)
{
	fields_free(r->fields, r->nfields);
	fields_free(r->evfields, r->nevfields);
	cJSON_Delete(r->source);
	memset(r, 0, sizeof *r);
}

static const struct pgsrc_column *
attach_column(const struct pgsrc_column *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	}
	return NULL;
}

static int
attach_columns(struct pgsrc *pg, const char *table,
    struct pgsrc_column **v, size_t *n, char **cause)
{
	int rc;

	if ((rc = pgsrc_columns(pg, table, v, n, cause)) == 1)
		return error_set(cause, _("PostgreSQL has no table or view "
		    "'%s'"), table);
	return rc;
}

/* A column the attachment names: it must exist and be of its kind. */
static int
attach_need(const struct pgsrc_column *v, size_t n, const char *table,
    const char *col, const char *what, int textlike, int timelike,
    char **cause)
{
	const struct pgsrc_column *c;

	if ((c = attach_column(v, n, col)) == NULL)
		return error_set(cause, _("table '%s' has no column '%s' (the "
		    "%s)"), table, col, what);
	if (textlike && !c->textlike)
		return error_set(cause, _("column '%s' of table '%s' (the %s) "
		    "is %s; it must be text, varchar or char"), col, table,
		    what, c->type);
	if (timelike && !c->timelike)
		return error_set(cause, _("column '%s' of table '%s' (the %s) "
		    "is %s; it must be timestamptz or timestamp"), col, table,
		    what, c->type);
	return 0;
}

static void
attach_field_add(struct field **f, size_t *n, cJSON *types,
    const struct pgsrc_column *c)
{
	*f = xreallocarray(*f, *n + 1, sizeof **f);
	(*f)[*n].name = xstrdup(c->name);
	(*f)[*n].type = c->ft;
	(*n)++;
	cJSON_AddItemToArray(types, cJSON_CreateString(c->type));
}

static void
attach_str(cJSON *o, const char *k, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, k, v);
}

/* Connects and reads the columns of the table (and the events table). */
static int
attach_read(const struct attach_opts *o, struct attach_read *r, char **cause)
{
	struct pgsrc *pg = NULL;
	struct pgsrc_column *v = NULL, *ev = NULL;
	size_t n = 0, nev = 0, i;
	cJSON *types, *evo, *evtypes;
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (o->events_table != NULL && (o->events_key == NULL ||
	    o->events_name == NULL || o->events_time == NULL))
		return error_set(cause, "%s", _("an events table needs its "
		    "key, name and time columns"));
	if (pgsrc_connect(o->conninfo, &pg, cause) != 0)
		return -1;
	if (attach_columns(pg, o->table, &v, &n, cause) != 0 ||
	    attach_need(v, n, o->table, o->key, _("key"), 1, 0, cause) != 0)
		goto out;
	if (o->order != NULL && attach_need(v, n, o->table, o->order,
	    _("order"), 0, 0, cause) != 0)
		goto out;
	r->source = cJSON_CreateObject();
	cJSON_AddStringToObject(r->source, "type", "postgresql");
	cJSON_AddStringToObject(r->source, "conninfo", o->conninfo);
	cJSON_AddStringToObject(r->source, "table", o->table);
	cJSON_AddStringToObject(r->source, "key", o->key);
	attach_str(r->source, "order", o->order);
	cJSON_AddNumberToObject(r->source, "timeout", o->timeout < 0 ?
	    PGSRC_TIMEOUT_DEFAULT : o->timeout);
	types = cJSON_AddArrayToObject(r->source, "types");
	attach_field_add(&r->fields, &r->nfields, types,
	    attach_column(v, n, o->key));
	r->fields[0].type = FT_STRING;
	for (i = 0; i < n; i++) {
		if (v[i].mapped && strcmp(v[i].name, o->key) != 0)
			attach_field_add(&r->fields, &r->nfields, types, &v[i]);
	}
	if (o->events_table != NULL) {
		if (attach_columns(pg, o->events_table, &ev, &nev, cause) != 0 ||
		    attach_need(ev, nev, o->events_table, o->events_key,
		    _("events key"), 1, 0, cause) != 0 ||
		    attach_need(ev, nev, o->events_table, o->events_name,
		    _("event name"), 1, 0, cause) != 0 ||
		    attach_need(ev, nev, o->events_table, o->events_time,
		    _("event time"), 0, 1, cause) != 0)
			goto out;
		evo = cJSON_AddObjectToObject(r->source, "events");
		cJSON_AddStringToObject(evo, "table", o->events_table);
		cJSON_AddStringToObject(evo, "key", o->events_key);
		cJSON_AddStringToObject(evo, "name", o->events_name);
		cJSON_AddStringToObject(evo, "time", o->events_time);
		cJSON_AddStringToObject(evo, "time_type", attach_column(ev,
		    nev, o->events_time)->type);
		evtypes = cJSON_AddArrayToObject(evo, "types");
		for (i = 0; i < nev; i++) {
			if (!ev[i].mapped ||
			    strcmp(ev[i].name, o->events_key) == 0 ||
			    strcmp(ev[i].name, o->events_name) == 0 ||
			    strcmp(ev[i].name, o->events_time) == 0 ||
			    schema_event_name_reserved(ev[i].name))
				continue;
			attach_field_add(&r->evfields, &r->nevfields, evtypes,
			    &ev[i]);
		}
	}
	rc = 0;
out:
	if (rc != 0)
		attach_read_free(r);
	pgsrc_columns_free(v, n);
	pgsrc_columns_free(ev, nev);
	pgsrc_close(pg);
	return rc;
}

int
attach_create(struct store *st, const char *name,
    const struct attach_opts *o, char **cause)
{
	struct attach_read r;
	int rc;

	if (pgsrc_conninfo_check(o->conninfo, cause) != 0)
		return -1;
	if (attach_read(o, &r, cause) != 0)
		return -1;
	rc = pdb_create_source(st, name, r.fields, r.nfields, r.fields[0].name,
	    r.evfields, r.nevfields, r.source, cause);
	attach_read_free(&r);
	return rc;
}

/* The options an attachment was made with. */
static void
attach_opts_of(const struct pdb_schema *sc, struct attach_opts *o)
{
	memset(o, 0, sizeof *o);
	o->conninfo = attach_get(sc, "conninfo");
	o->table = attach_get(sc, "table");
	o->key = attach_get(sc, "key");
	o->order = attach_get(sc, "order");
	o->timeout = attach_timeout(sc);
	o->events_table = attach_get(sc, "events_table");
	o->events_key = attach_get(sc, "events_key");
	o->events_name = attach_get(sc, "events_name");
	o->events_time = attach_get(sc, "events_time");
}

struct attach_refresh_arg {
	const char		*name;
	struct attach_read	*r;
};

static int
attach_refresh_cb(struct store_txn *t, void *arg, char **cause)
{
	struct attach_refresh_arg *a = arg;
	struct pdb_schema *sc, *n;
	struct segment **v;
	size_t nseg, i;
	char *c2 = NULL;
	int rc = -1;

	if (pdb_open(t, a->name, &sc, cause) != 0)
		return -1;
	n = schema_clone(sc);
	fields_free(n->fields, n->nfields);
	fields_free(n->event_fields, n->nevent_fields);
	n->fields = a->r->fields;
	n->nfields = (uint16_t)a->r->nfields;
	n->event_fields = a->r->evfields;
	n->nevent_fields = (uint16_t)a->r->nevfields;
	if (seg_list_stored(t, &v, &nseg, cause) != 0)
		goto out;
	for (i = 0; i < nseg; i++) {
		if (strcmp(v[i]->db, a->name) != 0 || v[i]->cond == NULL)
			continue;
		if (cond_check(v[i]->cond, n, NULL, NULL, &c2) != 0) {
			error_set(cause, _("segment '%s' would no longer "
			    "check: %s; nothing was changed"), v[i]->name, c2);
			free(c2);
			break;
		}
	}
	if (i == nseg)
		rc = pdb_set_source_txn(t, a->name, a->r->fields,
		    a->r->nfields, a->r->evfields, a->r->nevfields,
		    a->r->source, cause);
	seg_list_free(v, nseg);
out:
	n->fields = NULL;
	n->nfields = 0;
	n->event_fields = NULL;
	n->nevent_fields = 0;
	schema_free(n);
	schema_free(sc);
	return rc;
}

/* Lines for the fields of `have` not in `other` (or of another type). */
static size_t
attach_diff(struct strbuf *sb, const struct field *have, size_t nhave,
    const struct field *other, size_t nother, const char *fmt)
{
	size_t i, j, n = 0;

	for (i = 0; i < nhave; i++) {
		for (j = 0; j < nother; j++) {
			if (strcmp(have[i].name, other[j].name) == 0 &&
			    have[i].type == other[j].type)
				break;
		}
		if (j == nother) {
			sb_printf(sb, fmt, have[i].name,
			    field_type_name(have[i].type));
			n++;
		}
	}
	return n;
}

int
attach_refresh(struct store *st, const char *name, struct strbuf *sb,
    char **cause)
{
	struct attach_refresh_arg a;
	struct attach_opts o;
	struct attach_read r;
	struct pdb_schema *sc;
	struct store_txn *t;
	size_t n;
	int rc;

	if (store_read_begin(st, &t, cause) != 0)
		return -1;
	rc = pdb_open(t, name, &sc, cause);
	store_read_end(t);
	if (rc != 0)
		return -1;
	if (!attach_is(sc)) {
		error_set(cause, _("profile database '%s' is not attached: "
		    "its fields are its own"), name);
		schema_free(sc);
		return -1;
	}
	attach_opts_of(sc, &o);
	rc = attach_read(&o, &r, cause);
	if (rc == 0) {
		a.name = name;
		a.r = &r;
		rc = store_write(st, attach_refresh_cb, &a, cause);
	}
	if (rc == 0) {
		n = attach_diff(sb, r.fields, r.nfields, sc->fields,
		    sc->nfields, _("Added field '%s' (%s).\n"));
		n += attach_diff(sb, sc->fields, sc->nfields, r.fields,
		    r.nfields, _("Removed field '%s' (%s).\n"));
		n += attach_diff(sb, r.evfields, r.nevfields, sc->event_fields,
		    sc->nevent_fields, _("Added event field '%s' (%s).\n"));
		n += attach_diff(sb, sc->event_fields, sc->nevent_fields,
		    r.evfields, r.nevfields,
		    _("Removed event field '%s' (%s).\n"));
		if (n == 0)
			sb_printf(sb, _("Database '%s': the fields are as "
			    "they were.\n"), name);
	}
	attach_read_free(&r);
	schema_free(sc);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Runs on the server. */

struct attach_src {
	struct sql_source	 src;
	const char		**cols;
	const char		**evcols;
	unsigned char		*naive;
	unsigned char		*evnaive;
};

/* A timestamp without time zone, which reseg reads as UTC. */
static int
attach_naive(const char *pgtype)
{
	return pgtype != NULL && strncmp(pgtype, "timestamp", 9) == 0 &&
	    strstr(pgtype, "without time zone") != NULL;
}

static void
attach_src_init(struct attach_src *a, const struct pdb_schema *sc)
{
	size_t i;

	memset(a, 0, sizeof *a);
	a->cols = xcalloc((size_t)sc->nfields + 1, sizeof *a->cols);
	a->naive = xcalloc((size_t)sc->nfields + 1, 1);
	for (i = 0; i < sc->nfields; i++) {
		a->cols[i] = sc->fields[i].name;
		a->naive[i] = (unsigned char)attach_naive(attach_pg_type(sc, 0,
		    i));
	}
	a->evcols = xcalloc((size_t)sc->nevent_fields + 1, sizeof *a->evcols);
	a->evnaive = xcalloc((size_t)sc->nevent_fields + 1, 1);
	for (i = 0; i < sc->nevent_fields; i++) {
		a->evcols[i] = sc->event_fields[i].name;
		a->evnaive[i] = (unsigned char)attach_naive(attach_pg_type(sc,
		    1, i));
	}
	a->src.naive = a->naive;
	a->src.event_naive = a->evnaive;
	a->src.events_time_naive = attach_naive(attach_get(sc,
	    "events_time_type"));
	a->src.table = attach_get(sc, "table");
	a->src.key_column = attach_get(sc, "key");
	a->src.order_column = attach_get(sc, "order");
	a->src.schema = sc;
	a->src.columns = a->cols;
	a->src.events_table = attach_get(sc, "events_table");
	a->src.events_key = attach_get(sc, "events_key");
	a->src.events_name = attach_get(sc, "events_name");
	a->src.events_time = attach_get(sc, "events_time");
	a->src.event_columns = a->evcols;
}

static void
attach_src_free(struct attach_src *a)
{
	free(a->cols);
	free(a->evcols);
	free(a->naive);
	free(a->evnaive);
}

/* Connects and runs the bucket probe into env->bucket_in_sql. */
static int
attach_connect(const struct pdb_schema *sc, struct sql_env *env,
    struct pgsrc **pg, char **cause)
{
	int ok;

	if (pgsrc_connect(attach_get(sc, "conninfo"), pg, cause) != 0)
		return -1;
	if (pgsrc_probe(*pg, &ok, cause) != 0) {
		pgsrc_close(*pg);
		*pg = NULL;
		return -1;
	}
	env->bucket_in_sql = ok;
	return 0;
}

void
attach_new_free(struct attach_new *nk)
{
	size_t i;

	if (nk->batch != NULL)
		pdb_batch_free(nk->batch);
	for (i = 0; i < nk->n; i++)
		free(nk->keys[i]);
	free(nk->keys);
	memset(nk, 0, sizeof *nk);
}

struct attach_scan_ctx {
	struct store_txn	*txn;
	const struct pdb_schema	*sc;
	const struct eval_query	*q;
	int			 range_in_sql;
	roaring_bitmap_t	*out;
	struct attach_new	*nk;
	struct value		*row;
	uint64_t		 count;
	char			*cause;
};

static int
attach_scan_row(void *arg, const char *key, size_t len)
{
	struct attach_scan_ctx *c = arg;
	uint16_t b;
	uint32_t pno;
	size_t idx;
	int rc;

	if (len == 0)
		return 0;
	if (len > STORE_KEY_MAX) {
		error_set(&c->cause, _("a key of table '%s' is %zu bytes long; "
		    "the limit is %d bytes"), attach_get(c->sc, "table"), len,
		    STORE_KEY_MAX);
		return 1;
	}
	if (!c->range_in_sql) {
		b = bucket_of_key(key, len);
		if (b < c->q->range_lo || b >= c->q->range_hi)
			return 0;
	}
	rc = pdb_lookup(c->txn, c->sc, key, len, &pno, &c->cause);
	if (rc < 0)
		return 1;
	if (rc == 0) {
		if (!roaring_bitmap_add_checked(c->out, pno))
			return 0;
	} else {
		c->row[c->sc->key_field].present = 1;
		c->row[c->sc->key_field].u.s.p = key;
		c->row[c->sc->key_field].u.s.len = (uint32_t)len;
		if (pdb_batch_add_unique(c->nk->batch, c->row, NULL,
		    pdb_key_hash(key, len), &idx) == 1)
			return 0;
		c->nk->keys = xreallocarray(c->nk->keys, c->nk->n + 1,
		    sizeof *c->nk->keys);
		c->nk->keys[c->nk->n] = xstrndup(key, len);
		roaring_bitmap_add(c->out, c->nk->base + (uint32_t)c->nk->n);
		c->nk->n++;
	}
	c->count++;
	return c->q->limit >= 0 && c->count >= (uint64_t)c->q->limit;
}

int
attach_scan(struct store_txn *txn, const struct pdb_schema *sc,
    const struct eval_query *q, const struct sql_env *env0,
    atomic_int *cancel, roaring_bitmap_t *out, struct attach_new *nk,
    char **cause)
{
	struct attach_scan_ctx c;
	struct attach_src as;
	struct sql_env env = *env0;
	struct sql_stmt stmt;
	struct pgsrc *pg = NULL;
	int rc = -1;

	memset(nk, 0, sizeof *nk);
	memset(&stmt, 0, sizeof stmt);
	memset(&c, 0, sizeof c);
	if (q->limit == 0)
		return 0;
	attach_src_init(&as, sc);
	if (attach_connect(sc, &env, &pg, cause) != 0)
		goto out;
	if (sqlgen_segment(&as.src, q, &env, &stmt, cause) != 0)
		goto out;
	nk->batch = pdb_batch_new(sc);
	nk->base = sc->nprofiles;
	c.txn = txn;
	c.sc = sc;
	c.q = q;
	c.range_in_sql = stmt.range_in_sql;
	c.out = out;
	c.nk = nk;
	c.row = xcalloc(sc->nfields, sizeof *c.row);
	rc = pgsrc_stream(pg, &stmt, attach_timeout(sc), cancel,
	    attach_scan_row, &c, cause);
	free(c.row);
	if (rc == 0 && c.cause != NULL)
		rc = error_set(cause, "%s", c.cause);
out:
	free(c.cause);
	if (rc != 0)
		attach_new_free(nk);
	sqlgen_stmt_free(&stmt);
	pgsrc_close(pg);
	attach_src_free(&as);
	return rc;
}

int
attach_commit(struct store_txn *txn, const char *db, struct attach_new *nk,
    roaring_bitmap_t *members, char **cause)
{
	struct pdb_upsert_stats stats;
	struct pdb_schema *sc;
	uint32_t pno;
	size_t i;
	int rc = -1;

	if (nk->n == 0)
		return 0;
	roaring_bitmap_remove_range(members, nk->base,
	    (uint64_t)nk->base + nk->n);
	if (pdb_batch_apply(txn, db, nk->batch, &stats, cause) != 0)
		return -1;
	if (pdb_open(txn, db, &sc, cause) != 0)
		return -1;
	for (i = 0; i < nk->n; i++) {
		if (pdb_lookup(txn, sc, nk->keys[i], strlen(nk->keys[i]), &pno,
		    cause) != 0) {
			error_set(cause, _("database '%s': key '%s' got no "
			    "number"), db, nk->keys[i]);
			goto out;
		}
		roaring_bitmap_add(members, pno);
	}
	rc = 0;
out:
	schema_free(sc);
	return rc;
}

int
attach_sql(const struct pdb_schema *sc, const struct eval_query *q,
    const struct sql_env *env0, char **text, char **cause)
{
	struct attach_src as;
	struct sql_env env = *env0;
	struct sql_stmt stmt;
	struct pgsrc *pg = NULL;
	int rc = -1;

	*text = NULL;
	memset(&stmt, 0, sizeof stmt);
	attach_src_init(&as, sc);
	/* The statement depends on the probe: ask the server when it answers. */
	if (attach_connect(sc, &env, &pg, cause) != 0)
		goto out;
	if (sqlgen_segment(&as.src, q, &env, &stmt, cause) != 0)
		goto out;
	*text = sqlgen_format(&stmt);
	rc = 0;
out:
	sqlgen_stmt_free(&stmt);
	pgsrc_close(pg);
	attach_src_free(&as);
	return rc;
}

/* The nodes of the tree in pre-order, as sqlgen_why numbers them. */
static void
attach_nodes(const struct cond *c, int depth, const struct cond ***v,
    int **depths, size_t *n)
{
	size_t i;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	*depths = xreallocarray(*depths, *n + 1, sizeof **depths);
	(*v)[*n] = c;
	(*depths)[*n] = depth;
	(*n)++;
	if (c->kind == CK_AND || c->kind == CK_OR || c->kind == CK_NOT) {
		for (i = 0; i < c->nkids; i++)
			attach_nodes(c->kids[i], depth + 1, v, depths, n);
	}
}

int
attach_why(const struct pdb_schema *sc, const struct cond *cond,
    const struct sql_env *env0, const char *key, int *holds, int *found,
    struct strbuf *sb, char **cause)
{
	struct attach_src as;
	struct sql_env env = *env0;
	struct sql_stmt stmt;
	struct pgsrc *pg = NULL;
	const struct cond **nodes = NULL;
	struct cond all;
	int *depths = NULL;
	char **vals = NULL, *text;
	size_t nvals = 0, nnodes = 0, i;
	int rc = -1, r;

	*holds = *found = 0;
	memset(&stmt, 0, sizeof stmt);
	attach_src_init(&as, sc);
	if (attach_connect(sc, &env, &pg, cause) != 0)
		goto out;
	/* No conditions: an empty "all of" is true for every row. */
	memset(&all, 0, sizeof all);
	all.kind = CK_AND;
	if (sqlgen_why(&as.src, cond != NULL ? cond : &all, &env, &stmt,
	    cause) != 0)
		goto out;
	/* $1 is the key: sqlgen leaves its place for the caller. */
	if (stmt.nparams > 0 && stmt.params[0] == NULL)
		stmt.params[0] = xstrdup(key);
	if ((r = pgsrc_row(pg, &stmt, attach_timeout(sc), &vals, &nvals,
	    cause)) < 0)
		goto out;
	rc = 0;
	if (r == 1)
		goto out;
	*found = 1;
	*holds = nvals > 0 && vals[0] != NULL && vals[0][0] == 't';
	if (cond == NULL) {
		sb_printf(sb, "%s", _("No conditions: every profile of the "
		    "table matches.\n"));
		goto out;
	}
	attach_nodes(cond, 0, &nodes, &depths, &nnodes);
	sb_printf(sb, "%s", _("The conditions, evaluated in PostgreSQL:\n"));
	for (i = 0; i < nnodes && i < nvals; i++) {
		if (nodes[i]->kind == CK_AND || nodes[i]->kind == CK_OR) {
			sb_printf(sb, "  %*s%-5s %s\n", depths[i] * 2, "",
			    vals[i] != NULL && vals[i][0] == 't' ? _("yes") :
			    _("no"), nodes[i]->kind == CK_AND ? _("all of:") :
			    _("any of:"));
			continue;
		}
		text = cond_print(nodes[i]);
		sb_printf(sb, "  %*s%-5s %s\n", depths[i] * 2, "",
		    vals[i] != NULL && vals[i][0] == 't' ? _("yes") : _("no"),
		    text);
		free(text);
	}
out:
	free(nodes);
	free(depths);
	pgsrc_row_free(vals, nvals);
	sqlgen_stmt_free(&stmt);
	pgsrc_close(pg);
	attach_src_free(&as);
	return rc;
}
