/*
 * objects: the registry of dependent objects (mailings, scenarios,
 * loyalty programs) that use segments, and scenario profiles.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <roaring/roaring.h>

#include "access.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

static const char *const objects_type_names[OBJ_NTYPES] = {
	"mailing", "scenario", "loyalty"
};

const char *
objects_type_name(enum obj_type t)
{
	return objects_type_names[t];
}

int
objects_type_parse(const char *s, enum obj_type *t)
{
	int i;

	for (i = 0; i < OBJ_NTYPES; i++) {
		if (strcmp(s, objects_type_names[i]) == 0) {
			*t = (enum obj_type)i;
			return 0;
		}
	}
	return -1;
}

/* "type\0name": sorts by type, then name. */
static char *
objects_key(enum obj_type t, const char *name, size_t *len)
{
	const char *tn = objects_type_names[t];
	size_t tl = strlen(tn), nl = strlen(name);
	char *k = xmalloc(tl + 1 + nl);

	memcpy(k, tn, tl + 1);
	memcpy(k + tl + 1, name, nl);
	*len = tl + 1 + nl;
	return k;
}

/* "scenario\0name\0": the prefix of a scenario's per-database bitmaps. */
static char *
objects_members_prefix(const char *name, size_t *len, size_t extra)
{
	size_t nl = strlen(name);
	char *k = xmalloc(sizeof "scenario" + nl + 1 + extra);

	memcpy(k, "scenario", sizeof "scenario");
	memcpy(k + sizeof "scenario", name, nl);
	k[sizeof "scenario" + nl] = '\0';
	*len = sizeof "scenario" + nl + 1;
	return k;
}

void
objects_free(struct object *o)
{
	size_t i;

	if (o == NULL)
		return;
	free(o->name);
	free(o->segments);
	for (i = 0; i < o->nsegments; i++)
		free(o->segnames[i]);
	free(o->segnames);
	free(o);
}

void
objects_list_free(struct object **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		objects_free(v[i]);
	free(v);
}

void
objects_names_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static uint64_t
objects_scenario_count(struct store_txn *txn, const char *name, char **cause)
{
	struct store_cursor *c;
	const void *k, *v;
	size_t kl, vl, pl;
	char *prefix = objects_members_prefix(name, &pl, 0);
	roaring_bitmap_t *b;
	uint64_t n = 0;

	c = store_cursor_open(txn, STORE_OBJMEMBERS, prefix, pl, cause);
	free(prefix);
	if (c == NULL)
		return 0;
	while (store_cursor_next(c, &k, &kl, &v, &vl, cause) == 0) {
		b = roaring_bitmap_portable_deserialize_safe(v, vl);
		if (b != NULL) {
			n += roaring_bitmap_get_cardinality(b);
			roaring_bitmap_free(b);
		}
	}
	store_cursor_close(c);
	return n;
}

/*
 * An object record; only with names are segnames and a scenario's
 * nprofiles filled in (they cost a read per segment and per database).
 */
static struct object *
objects_decode(struct store_txn *txn, const void *val, size_t vlen,
    int names, char **cause)
{
	cJSON *j, *a, *e;
	struct object *o;
	struct segment *s;
	enum obj_type t;
	size_t i;

	j = cJSON_ParseWithLength(val, vlen);
	if (j == NULL) {
		error_set(cause, _("a dependent object record is damaged"));
		return NULL;
	}
	e = cJSON_GetObjectItemCaseSensitive(j, "type");
	if (!cJSON_IsString(e) || objects_type_parse(e->valuestring, &t) != 0 ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "name"))) {
		cJSON_Delete(j);
		error_set(cause, _("a dependent object record is damaged"));
		return NULL;
	}
	o = xcalloc(1, sizeof *o);
	o->type = t;
	o->name = xstrdup(cJSON_GetObjectItemCaseSensitive(j,
	    "name")->valuestring);
	e = cJSON_GetObjectItemCaseSensitive(j, "created_at");
	if (cJSON_IsNumber(e))
		o->created_at = (int64_t)e->valuedouble;
	a = cJSON_GetObjectItemCaseSensitive(j, "segments");
	o->segments = xcalloc((size_t)cJSON_GetArraySize(a) + 1,
	    sizeof *o->segments);
	o->segnames = xcalloc((size_t)cJSON_GetArraySize(a) + 1,
	    sizeof *o->segnames);
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsNumber(e))
			continue;
		i = o->nsegments++;
		o->segments[i] = (uint32_t)e->valuedouble;
		if (!names)
			continue;
		s = NULL;
		if (seg_get_by_id(txn, o->segments[i], &s, NULL) == 0) {
			o->segnames[i] = xstrdup(s->name);
			seg_free(s);
		} else
			o->segnames[i] = xasprintf("#%u", o->segments[i]);
	}
	cJSON_Delete(j);
	if (names && t == OBJ_SCENARIO)
		o->nprofiles = objects_scenario_count(txn, o->name, NULL);
	return o;
}

static int
objects_put(struct store_txn *txn, const struct object *o, char **cause)
{
	cJSON *j, *a;
	char *text, *key;
	size_t i, kl;
	int rc;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "type", objects_type_names[o->type]);
	cJSON_AddStringToObject(j, "name", o->name);
	a = cJSON_AddArrayToObject(j, "segments");
	for (i = 0; i < o->nsegments; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(o->segments[i]));
	cJSON_AddNumberToObject(j, "created_at", (double)o->created_at);
	text = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	key = objects_key(o->type, o->name, &kl);
	rc = store_put(txn, STORE_OBJECTS, key, kl, text, strlen(text), cause);
	free(key);
	free(text);
	return rc;
}

static int
objects_get_decoded(struct store_txn *txn, enum obj_type t, const char *name,
    int names, struct object **out, char **cause)
{
	const void *v;
	size_t vl, kl;
	char *key = objects_key(t, name, &kl);
	int rc;

	rc = store_get(txn, STORE_OBJECTS, key, kl, &v, &vl, cause);
	free(key);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("there is no %s '%s'"),
		    objects_type_names[t], name);
	*out = objects_decode(txn, v, vl, names, cause);
	return *out == NULL ? -1 : 0;
}

int
objects_get(struct store_txn *txn, enum obj_type t, const char *name,
    struct object **out, char **cause)
{
	return objects_get_decoded(txn, t, name, 1, out, cause);
}

struct objects_add_arg {
	enum obj_type		 type;
	const char		*name;
	const char *const	*segments;
	size_t			 nsegments;
};

static int
objects_add_cb(struct store_txn *txn, void *arg0, char **cause)
{
	struct objects_add_arg *arg = arg0;
	struct object o;
	struct segment *s;
	const void *v;
	size_t vl, kl, i, j;
	char *key;
	int rc;

	key = objects_key(arg->type, arg->name, &kl);
	rc = store_get(txn, STORE_OBJECTS, key, kl, &v, &vl, cause);
	free(key);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return error_set(cause, _("there is already a %s '%s'"),
		    objects_type_names[arg->type], arg->name);
	memset(&o, 0, sizeof o);
	o.type = arg->type;
	o.name = (char *)arg->name;
	o.created_at = tu_now();
	o.segments = xcalloc(arg->nsegments, sizeof *o.segments);
	for (i = 0; i < arg->nsegments; i++) {
		if (access_get(txn, arg->segments[i], &s, cause) != 0) {
			free(o.segments);
			return -1;
		}
		for (j = 0; j < o.nsegments; j++)
			if (o.segments[j] == s->id)
				break;
		if (j == o.nsegments)
			o.segments[o.nsegments++] = s->id;
		seg_free(s);
	}
	rc = objects_put(txn, &o, cause);
	free(o.segments);
	return rc;
}

static int
objects_valid_name(const char *name, char **cause)
{
	struct text_fault tf;
	const char *p;
	char *fault;

	if (name == NULL || *name == '\0')
		return error_set(cause, _("an object needs a name"));
	if (strlen(name) > STORE_NAME_MAX)
		return error_set(cause, _("the object name is %zu bytes long; "
		    "the limit is %d bytes"), strlen(name), STORE_NAME_MAX);
	if (text_find_fault(name, strlen(name), &tf)) {
		fault = text_fault_what(&tf);
		error_set(cause, _("object name '%s' is %s"), name, fault);
		free(fault);
		return -1;
	}
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			return error_set(cause,
			    _("object name '%s' contains a control character"),
			    name);
	return 0;
}

int
objects_add(struct store *st, enum obj_type t, const char *name,
    const char *const *segments, size_t nsegments, char **cause)
{
	struct objects_add_arg arg = { t, name, segments, nsegments };

	if (objects_valid_name(name, cause) != 0)
		return -1;
	if (nsegments == 0)
		return error_set(cause,
		    _("%s '%s' needs at least one segment"),
		    objects_type_names[t], name);
	return store_write(st, objects_add_cb, &arg, cause);
}

struct objects_remove_arg {
	enum obj_type	 type;
	const char	*name;
};

static int
objects_remove_cb(struct store_txn *txn, void *arg0, char **cause)
{
	struct objects_remove_arg *arg = arg0;
	const void *v;
	size_t vl, kl;
	char *key;
	int rc;

	key = objects_key(arg->type, arg->name, &kl);
	rc = store_get(txn, STORE_OBJECTS, key, kl, &v, &vl, cause);
	if (rc == 0)
		rc = store_del(txn, STORE_OBJECTS, key, kl, cause);
	else if (rc == 1)
		rc = error_set(cause, _("there is no %s '%s'"),
		    objects_type_names[arg->type], arg->name);
	free(key);
	if (rc != 0)
		return -1;
	if (arg->type == OBJ_SCENARIO) {
		key = objects_members_prefix(arg->name, &kl, 0);
		rc = store_del_prefix(txn, STORE_OBJMEMBERS, key, kl, cause);
		free(key);
	}
	return rc;
}

int
objects_remove(struct store *st, enum obj_type t, const char *name,
    char **cause)
{
	struct objects_remove_arg arg = { t, name };

	return store_write(st, objects_remove_cb, &arg, cause);
}

static int
objects_list_decoded(struct store_txn *txn, int names, struct object ***out,
    size_t *n, char **cause)
{
	struct store_cursor *c;
	struct object **v = NULL, *o;
	const void *k, *val;
	size_t kl, vl, cnt = 0;
	int rc;

	c = store_cursor_open(txn, STORE_OBJECTS, NULL, 0, cause);
	if (c == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &val, &vl, cause)) == 0) {
		if ((o = objects_decode(txn, val, vl, names, cause)) == NULL) {
			rc = -1;
			break;
		}
		v = xreallocarray(v, cnt + 1, sizeof *v);
		v[cnt++] = o;
	}
	store_cursor_close(c);
	if (rc < 0) {
		objects_list_free(v, cnt);
		return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

int
objects_list(struct store_txn *txn, struct object ***out, size_t *n,
    char **cause)
{
	return objects_list_decoded(txn, 1, out, n, cause);
}

int
objects_segment_users(struct store_txn *txn, uint32_t id, char ***users,
    size_t *n, char **cause)
{
	struct object **v;
	size_t nv, i, j, cnt = 0;
	char **out = NULL;

	if (objects_list_decoded(txn, 0, &v, &nv, cause) != 0)
		return -1;
	for (i = 0; i < nv; i++) {
		for (j = 0; j < v[i]->nsegments; j++)
			if (v[i]->segments[j] == id)
				break;
		if (j == v[i]->nsegments)
			continue;
		out = xreallocarray(out, cnt + 1, sizeof *out);
		switch (v[i]->type) {
		case OBJ_MAILING:
			out[cnt++] = xasprintf(_("mailing '%s'"), v[i]->name);
			break;
		case OBJ_SCENARIO:
			out[cnt++] = xasprintf(_("scenario '%s'"), v[i]->name);
			break;
		case OBJ_LOYALTY:
			out[cnt++] = xasprintf(_("loyalty program '%s'"),
			    v[i]->name);
			break;
		}
	}
	objects_list_free(v, nv);
	*users = out;
	*n = cnt;
	return 0;
}

int
objects_detach_segment(struct store_txn *txn, uint32_t id, char **cause)
{
	struct object **v;
	size_t nv, i, j, k;
	int rc = 0;

	if (objects_list_decoded(txn, 0, &v, &nv, cause) != 0)
		return -1;
	for (i = 0; i < nv && rc == 0; i++) {
		for (j = k = 0; j < v[i]->nsegments; j++)
			if (v[i]->segments[j] != id)
				v[i]->segments[k++] = v[i]->segments[j];
		if (k == v[i]->nsegments)
			continue;
		for (j = k; j < v[i]->nsegments; j++)
			free(v[i]->segnames[j]);
		v[i]->nsegments = k;
		rc = objects_put(txn, v[i], cause);
	}
	objects_list_free(v, nv);
	return rc;
}

struct objects_scen_arg {
	const char	*scenario;
	const char	*segment;
	uint64_t	 added;
	uint64_t	 total;
};

static int
objects_scenario_add_cb(struct store_txn *txn, void *arg0, char **cause)
{
	struct objects_scen_arg *arg = arg0;
	struct object *o = NULL;
	struct segment *s = NULL;
	struct pdb_schema *db = NULL;
	roaring_bitmap_t *m = NULL, *cur = NULL;
	const void *v;
	size_t vl, kl, sz;
	char *key = NULL;
	void *buf;
	uint64_t before;
	int rc = -1;

	if (objects_get_decoded(txn, OBJ_SCENARIO, arg->scenario, 0, &o,
	    cause) != 0)
		return -1;
	if (access_get(txn, arg->segment, &s, cause) != 0 ||
	    seg_require_updated(s, cause) != 0)
		goto out;
	if (pdb_open(txn, s->db, &db, cause) != 0)
		goto out;
	/* Deleted profiles a scheduled segment keeps until its next run. */
	if (seg_members(txn, s->id, &m, cause) != 0 ||
	    pdb_drop_deleted(txn, db, m, cause) != 0)
		goto out;
	key = objects_members_prefix(arg->scenario, &kl, 4);
	store_be32((uint8_t *)key + kl, db->id);
	kl += 4;
	rc = store_get(txn, STORE_OBJMEMBERS, key, kl, &v, &vl, cause);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		cur = roaring_bitmap_portable_deserialize_safe(v, vl);
		if (cur == NULL) {
			rc = error_set(cause,
			    _("the profiles of scenario '%s' are damaged"),
			    arg->scenario);
			goto out;
		}
	} else
		cur = roaring_bitmap_create();
	before = roaring_bitmap_get_cardinality(cur);
	roaring_bitmap_or_inplace(cur, m);
	arg->total = roaring_bitmap_get_cardinality(cur);
	arg->added = arg->total - before;
	rc = 0;
	if (arg->added == 0)
		goto out;
	roaring_bitmap_run_optimize(cur);
	sz = roaring_bitmap_portable_size_in_bytes(cur);
	buf = store_reserve(txn, STORE_OBJMEMBERS, key, kl, sz, cause);
	if (buf == NULL) {
		rc = -1;
		goto out;
	}
	roaring_bitmap_portable_serialize(cur, buf);
out:
	free(key);
	if (cur != NULL)
		roaring_bitmap_free(cur);
	if (m != NULL)
		roaring_bitmap_free(m);
	schema_free(db);
	seg_free(s);
	objects_free(o);
	return rc;
}

int
objects_scenario_add(struct store *st, const char *scenario,
    const char *segment, uint64_t *added, uint64_t *total, char **cause)
{
	struct objects_scen_arg arg = { scenario, segment, 0, 0 };

	if (store_write(st, objects_scenario_add_cb, &arg, cause) != 0)
		return -1;
	if (added != NULL)
		*added = arg.added;
	if (total != NULL)
		*total = arg.total;
	return 0;
}

void
objects_forgot_free(char **names, uint64_t *counts, size_t n)
{
	objects_names_free(names, n);
	free(counts);
}

int
objects_forget_profiles(struct store_txn *txn, uint32_t dbid,
    const roaring_bitmap_t *pnos, char ***names, uint64_t **counts,
    size_t *n, char **cause)
{
	struct store_cursor *c;
	const void *k, *v;
	const uint8_t *kb;
	size_t kl, vl, nkeys = 0, i, sz;
	char **keys = NULL;
	size_t *klens = NULL;
	roaring_bitmap_t **maps = NULL, *b;
	uint64_t gone;
	void *buf;
	int rc;

	*names = NULL;
	*counts = NULL;
	*n = 0;
	/* Read first, write after: the cursor does not see its own writes. */
	if ((c = store_cursor_open(txn, STORE_OBJMEMBERS, NULL, 0,
	    cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		kb = k;
		if (kl < sizeof "scenario" + 2 + 4 || kb[kl - 5] != '\0' ||
		    store_get_be32(kb + kl - 4) != dbid)
			continue;
		if ((b = roaring_bitmap_portable_deserialize_safe(v,
		    vl)) == NULL) {
			rc = error_set(cause, _("the profiles of scenario '%s' "
			    "are damaged"), (const char *)kb + sizeof "scenario");
			break;
		}
		gone = roaring_bitmap_and_cardinality(b, pnos);
		if (gone == 0) {
			roaring_bitmap_free(b);
			continue;
		}
		roaring_bitmap_andnot_inplace(b, pnos);
		keys = xreallocarray(keys, nkeys + 1, sizeof *keys);
		klens = xreallocarray(klens, nkeys + 1, sizeof *klens);
		maps = xreallocarray(maps, nkeys + 1, sizeof *maps);
		*names = xreallocarray(*names, nkeys + 1, sizeof **names);
		*counts = xreallocarray(*counts, nkeys + 1, sizeof **counts);
		keys[nkeys] = xmalloc(kl);
		memcpy(keys[nkeys], k, kl);
		klens[nkeys] = kl;
		maps[nkeys] = b;
		(*names)[nkeys] = xstrdup((const char *)kb + sizeof "scenario");
		(*counts)[nkeys] = gone;
		nkeys++;
	}
	store_cursor_close(c);
	*n = nkeys;
	for (i = 0; rc == 1 && i < nkeys; i++) {
		if (roaring_bitmap_is_empty(maps[i])) {
			if (store_del(txn, STORE_OBJMEMBERS, keys[i], klens[i],
			    cause) != 0)
				rc = -1;
			continue;
		}
		roaring_bitmap_run_optimize(maps[i]);
		sz = roaring_bitmap_portable_size_in_bytes(maps[i]);
		if ((buf = store_reserve(txn, STORE_OBJMEMBERS, keys[i],
		    klens[i], sz, cause)) == NULL)
			rc = -1;
		else
			roaring_bitmap_portable_serialize(maps[i], buf);
	}
	for (i = 0; i < nkeys; i++) {
		free(keys[i]);
		roaring_bitmap_free(maps[i]);
	}
	free(keys);
	free(klens);
	free(maps);
	if (rc != 1) {
		objects_forgot_free(*names, *counts, *n);
		*names = NULL;
		*counts = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
