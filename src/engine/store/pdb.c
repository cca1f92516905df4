/*
 * Profile database records: create, open, list and drop a database (its
 * schema record in the dbs table).  The profiles themselves live in column
 * chunks: their byte layout is pdb_chunk.c's, reads and scans pdb_read.c's,
 * upserts and bulk edits pdb_batch.c's.  See doc/storage.md.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pdb.h"
#include "pdb_int.h"
#include "timeutil.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Database records. */

int
pdb_put_schema(struct store_txn *t, const struct pdb_schema *sc, char **cause)
{
	cJSON *j = schema_to_json(sc);
	char *text = cJSON_PrintUnformatted(j);
	int rc;

	cJSON_Delete(j);
	rc = store_put(t, STORE_DBS, sc->name, strlen(sc->name), text,
	    strlen(text), cause);
	cJSON_free(text);
	return rc;
}

static struct pdb_schema *
pdb_parse_record(const char *name, const void *val, size_t vlen, char **cause)
{
	cJSON *j = cJSON_ParseWithLength(val, vlen);
	struct pdb_schema *sc;

	if (j == NULL) {
		error_set(cause, _("profile database '%s': the record is "
		    "damaged"), name);
		return NULL;
	}
	sc = schema_from_json(j, cause);
	cJSON_Delete(j);
	return sc;
}

int
pdb_open(struct store_txn *t, const char *name, struct pdb_schema **out,
    char **cause)
{
	const void *val;
	size_t vlen;
	int rc;

	*out = NULL;
	rc = store_get(t, STORE_DBS, name, strlen(name), &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("no profile database named '%s'"),
		    name);
	if ((*out = pdb_parse_record(name, val, vlen, cause)) == NULL)
		return -1;
	return 0;
}

int
pdb_list(struct store_txn *t, struct pdb_schema ***out, size_t *n,
    char **cause)
{
	struct store_cursor *c;
	struct pdb_schema **v = NULL, *sc;
	const void *key, *val;
	size_t klen, vlen, i;
	char *name;
	int rc;

	*out = NULL;
	*n = 0;
	if ((c = store_cursor_open(t, STORE_DBS, NULL, 0, cause)) == NULL)
		return -1;
	/* LMDB orders names bytewise, which is the listing order. */
	while ((rc = store_cursor_next(c, &key, &klen, &val, &vlen,
	    cause)) == 0) {
		name = xstrndup(key, klen);
		sc = pdb_parse_record(name, val, vlen, cause);
		free(name);
		if (sc == NULL) {
			rc = -1;
			break;
		}
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = sc;
	}
	store_cursor_close(c);
	if (rc < 0) {
		for (i = 0; i < *n; i++)
			schema_free(v[i]);
		free(v);
		*n = 0;
		return -1;
	}
	*out = v;
	return 0;
}

struct pdb_create_arg {
	const char		*name;
	const struct field	*fields;
	size_t			 nfields;
	uint16_t		 key;
	const struct field	*evfields;
	size_t			 nevfields;
	const cJSON		*source;
};

static int
pdb_create_cb(struct store_txn *t, void *arg, char **cause)
{
	struct pdb_create_arg *a = arg;
	struct pdb_schema sc;
	const void *val;
	size_t vlen;
	int rc;

	rc = store_get(t, STORE_DBS, a->name, strlen(a->name), &val, &vlen,
	    cause);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(cause, _("a profile database named '%s' "
		    "already exists"), a->name);
	memset(&sc, 0, sizeof sc);
	sc.name = (char *)a->name;
	sc.fields = (struct field *)a->fields;
	sc.nfields = (uint16_t)a->nfields;
	sc.key_field = a->key;
	sc.event_fields = (struct field *)a->evfields;
	sc.nevent_fields = (uint16_t)a->nevfields;
	sc.source = (cJSON *)a->source;
	sc.created_at = tu_now();
	if (store_next_id(t, "db", &sc.id, cause) != 0)
		return -1;
	return pdb_put_schema(t, &sc, cause);
}

/* An event property's name is neither reserved nor taken. */
static int
pdb_event_field_ok(const char *db, const struct field *have, size_t nhave,
    const char *name, char **cause)
{
	size_t i;

	if (schema_event_name_reserved(name))
		return error_set(cause, _("profile database '%s': '%s' is not "
		    "an event property but a part of every event (key, event, "
		    "time, event_id)"), db, name);
	for (i = 0; i < nhave; i++) {
		if (strcmp(have[i].name, name) == 0)
			return error_set(cause, _("profile database '%s' already "
			    "has an event field '%s'"), db, name);
	}
	return 0;
}

int
pdb_create(struct store *st, const char *name, const struct field *fields,
    size_t nfields, const char *key_field, char **cause)
{
	return pdb_create_events(st, name, fields, nfields, key_field, NULL, 0,
	    cause);
}

int
pdb_create_events(struct store *st, const char *name,
    const struct field *fields, size_t nfields, const char *key_field,
    const struct field *evfields, size_t nevfields, char **cause)
{
	return pdb_create_source(st, name, fields, nfields, key_field,
	    evfields, nevfields, NULL, cause);
}

int
pdb_create_source(struct store *st, const char *name,
    const struct field *fields, size_t nfields, const char *key_field,
    const struct field *evfields, size_t nevfields, const cJSON *source,
    char **cause)
{
	struct pdb_create_arg a;
	struct text_fault tf;
	char *fault;
	size_t i, j;
	int key = -1;

	if (name == NULL || *name == '\0')
		return error_set(cause, _("a profile database needs a name"));
	if (strlen(name) > STORE_NAME_MAX)
		return error_set(cause, _("the profile database name is %zu "
		    "bytes long; the limit is %d bytes"), strlen(name),
		    STORE_NAME_MAX);
	/* The rules of segment names (seg_validate): text reads it back. */
	if (text_find_fault(name, strlen(name), &tf)) {
		fault = text_fault_what(&tf);
		error_set(cause, _("profile database name '%s' is %s"), name,
		    fault);
		free(fault);
		return -1;
	}
	for (i = 0; name[i] != '\0'; i++) {
		if ((unsigned char)name[i] < 0x20)
			return error_set(cause, _("profile database name '%s' "
			    "holds a control character"), name);
	}
	if (name[0] == ' ' || name[0] == '\t' || name[i - 1] == ' ' ||
	    name[i - 1] == '\t')
		return error_set(cause, _("profile database name '%s' starts "
		    "or ends with a blank"), name);
	if (nfields == 0)
		return error_set(cause, _("profile database '%s': at least one "
		    "field is needed"), name);
	if (nfields > 0xFFFE || nevfields > PDB_MAX_EVENT_FIELDS)
		return error_set(cause, _("profile database '%s': too many "
		    "fields"), name);
	if (key_field == NULL)
		key_field = "email";
	for (i = 0; i < nfields; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(fields[i].name, fields[j].name) == 0)
				return error_set(cause, _("profile database "
				    "'%s': field '%s' appears twice"), name,
				    fields[i].name);
		}
		if (strcmp(fields[i].name, key_field) == 0)
			key = (int)i;
	}
	if (key < 0)
		return error_set(cause, _("profile database '%s': the key field "
		    "'%s' is not among the fields"), name, key_field);
	if (fields[key].type != FT_STRING)
		return error_set(cause, _("profile database '%s': the key field "
		    "'%s' must be a string"), name, key_field);
	for (i = 0; i < nevfields; i++) {
		if (pdb_event_field_ok(name, evfields, i, evfields[i].name,
		    cause) != 0)
			return -1;
	}
	a.name = name;
	a.fields = fields;
	a.nfields = nfields;
	a.key = (uint16_t)key;
	a.evfields = evfields;
	a.nevfields = nevfields;
	a.source = source;
	return store_write(st, pdb_create_cb, &a, cause);
}

struct pdb_alter_arg {
	const char		*name;
	const struct field	*fields;
	size_t			 nfields;
	const struct field	*evfields;
	size_t			 nevfields;
};

static void
pdb_fields_append(struct field **f, uint16_t *n, const struct field *add)
{
	*f = xreallocarray(*f, (size_t)*n + 1, sizeof **f);
	(*f)[*n].name = xstrdup(add->name);
	(*f)[*n].type = add->type;
	(*n)++;
}

static int
pdb_alter_cb(struct store_txn *t, void *arg, char **cause)
{
	struct pdb_alter_arg *a = arg;
	struct pdb_schema *sc;
	size_t i;
	int rc = -1;

	if (pdb_open(t, a->name, &sc, cause) != 0)
		return -1;
	if (pdb_import_busy(t, sc, cause) != 0)
		goto out;
	if (sc->source != NULL) {
		error_set(cause, _("profile database '%s' is attached from "
		    "PostgreSQL: its fields are the table's columns, read "
		    "again by a refresh"), a->name);
		goto out;
	}
	if ((size_t)sc->nfields + a->nfields > 0xFFFE ||
	    (size_t)sc->nevent_fields + a->nevfields > PDB_MAX_EVENT_FIELDS) {
		error_set(cause, _("profile database '%s': too many fields"),
		    a->name);
		goto out;
	}
	for (i = 0; i < a->nfields; i++) {
		if (schema_field_index(sc, a->fields[i].name) >= 0) {
			error_set(cause, _("profile database '%s' already has a "
			    "field '%s'"), a->name, a->fields[i].name);
			goto out;
		}
		pdb_fields_append(&sc->fields, &sc->nfields, &a->fields[i]);
	}
	for (i = 0; i < a->nevfields; i++) {
		if (pdb_event_field_ok(a->name, sc->event_fields,
		    sc->nevent_fields, a->evfields[i].name, cause) != 0)
			goto out;
		pdb_fields_append(&sc->event_fields, &sc->nevent_fields,
		    &a->evfields[i]);
	}
	rc = pdb_put_schema(t, sc, cause);
out:
	schema_free(sc);
	return rc;
}

int
pdb_alter(struct store *st, const char *name, const struct field *fields,
    size_t nfields, const struct field *evfields, size_t nevfields,
    char **cause)
{
	struct pdb_alter_arg a = { name, fields, nfields, evfields,
	    nevfields };

	if (nfields == 0 && nevfields == 0)
		return error_set(cause, _("profile database '%s': nothing to "
		    "change"), name);
	return store_write(st, pdb_alter_cb, &a, cause);
}

int
pdb_set_source_txn(struct store_txn *t, const char *name,
    const struct field *fields, size_t nfields, const struct field *evfields,
    size_t nevfields, const cJSON *source, char **cause)
{
	struct pdb_schema *sc, n;
	int rc;

	if (pdb_open(t, name, &sc, cause) != 0)
		return -1;
	if (sc->source == NULL || nfields == 0 || sc->key_field != 0 ||
	    strcmp(fields[0].name, sc->fields[0].name) != 0 ||
	    fields[0].type != FT_STRING) {
		schema_free(sc);
		return error_set(cause, _("profile database '%s' is not "
		    "attached, or its key changed"), name);
	}
	n = *sc;
	n.fields = (struct field *)fields;
	n.nfields = (uint16_t)nfields;
	n.event_fields = (struct field *)evfields;
	n.nevent_fields = (uint16_t)nevfields;
	n.source = (cJSON *)source;
	rc = pdb_put_schema(t, &n, cause);
	schema_free(sc);
	return rc;
}

int
pdb_drop_txn(struct store_txn *t, const char *name, char **cause)
{
	struct pdb_schema *sc;
	uint8_t prefix[4];
	char mark[32];
	int rc;

	if (pdb_open(t, name, &sc, cause) != 0)
		return -1;
	store_be32(prefix, sc->id);
	rc = 0;
	pdb_deleted_key(mark, sizeof mark, sc->id);
	/* A dead importer's staged profiles go with the rest. */
	if (pdb_import_busy(t, sc, cause) != 0 ||
	    pdb_import_unmark(t, sc, cause) != 0 ||
	    store_del(t, STORE_DBS, name, strlen(name), cause) != 0 ||
	    store_del(t, STORE_META, mark, strlen(mark), cause) != 0 ||
	    store_del_prefix(t, STORE_KEYS, prefix, 4, cause) != 0 ||
	    store_del_prefix(t, STORE_COLS, prefix, 4, cause) != 0)
		rc = -1;
	schema_free(sc);
	return rc;
}

uint32_t
pdb_nchunks(const struct pdb_schema *sc)
{
	return (uint32_t)(((uint64_t)sc->nprofiles + PDB_CHUNK_ROWS - 1) /
	    PDB_CHUNK_ROWS);
}
