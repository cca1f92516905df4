/*
 * Segment records in the store: the JSON form of a definition (and the
 * JSON helpers the run records share), loading and saving by id, the
 * name index, and the reads (seg_get, seg_list) that check whether an
 * in-progress run's owner is still alive.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "i18n.h"
#include "segment.h"
#include "segment_int.h"

/* ------------------------------------------------------------------ */
/* Records                                                              */
/* ------------------------------------------------------------------ */

static cJSON *
seg_strv_json(char **v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static void
seg_json_strv(const cJSON *a, char ***v, size_t *n)
{
	const cJSON *it;

	*v = NULL;
	*n = 0;
	if (!cJSON_IsArray(a))
		return;
	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it))
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrdup(it->valuestring);
	}
}

int64_t
seg_json_int(const cJSON *o, const char *name, int64_t dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(it) ? (int64_t)it->valuedouble : dflt;
}

int
seg_where_text_ok(const char *text, const struct cond *cond)
{
	struct cond *c;
	int ok;

	if ((c = cond_parse(text, NULL)) == NULL)
		return 0;
	if (c->kind == CK_AND && c->nkids == 0)
		ok = cond == NULL;
	else
		ok = cond != NULL && cond_equal(c, cond);
	cond_free(c);
	return ok;
}

static cJSON *
seg_to_json(const struct segment *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", s->id);
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddStringToObject(o, "kind",
	    s->kind == SEG_STATIC ? "static" : "scheduled");
	cJSON_AddStringToObject(o, "db", s->db);
	cJSON_AddItemToObject(o, "tags", seg_strv_json(s->tags, s->ntags));
	cJSON_AddItemToObject(o, "groups", seg_strv_json(s->groups, s->ngroups));
	if (s->cond != NULL)
		cJSON_AddItemToObject(o, "conditions", cond_to_json(s->cond));
	else
		cJSON_AddNullToObject(o, "conditions");
	/* Text that no longer says what the tree says is dropped here. */
	if (s->where_text != NULL && *s->where_text != '\0' &&
	    s->kind == SEG_SCHEDULED &&
	    seg_where_text_ok(s->where_text, s->cond))
		cJSON_AddStringToObject(o, "where_text", s->where_text);
	cJSON_AddNumberToObject(o, "range_lo", s->range_lo);
	cJSON_AddNumberToObject(o, "range_hi", s->range_hi);
	cJSON_AddNumberToObject(o, "limit", (double)s->limit);
	if (s->has_sched)
		cJSON_AddItemToObject(o, "schedule", sched_to_json(&s->sched));
	else
		cJSON_AddNullToObject(o, "schedule");
	cJSON_AddStringToObject(o, "state",
	    s->state == SEG_STOPPED ? "stopped" : "active");
	if (s->hook != NULL)
		cJSON_AddStringToObject(o, "hook", s->hook);
	cJSON_AddNumberToObject(o, "created_at", (double)s->created_at);
	cJSON_AddNumberToObject(o, "updated_at", (double)s->updated_at);
	cJSON_AddNumberToObject(o, "active_since", (double)s->active_since);
	cJSON_AddNumberToObject(o, "nmembers", (double)s->nmembers);
	cJSON_AddNumberToObject(o, "last_run_id", s->last_run_id);
	cJSON_AddNumberToObject(o, "last_run_at", (double)s->last_run_at);
	cJSON_AddNumberToObject(o, "last_success_at",
	    (double)s->last_success_at);
	cJSON_AddNumberToObject(o, "running_run_id", s->running_run_id);
	cJSON_AddNumberToObject(o, "last_handled", (double)s->last_handled);
	cJSON_AddNumberToObject(o, "run_seq", s->run_seq);
	return o;
}

static int
seg_from_json(const cJSON *o, struct segment **out, char **cause)
{
	struct segment *s;
	const cJSON *it;

	if (!cJSON_IsObject(o))
		return error_set(cause, _("not a JSON object"));
	it = cJSON_GetObjectItemCaseSensitive(o, "name");
	if (!cJSON_IsString(it) || *it->valuestring == '\0')
		return error_set(cause, _("no name"));
	it = cJSON_GetObjectItemCaseSensitive(o, "db");
	if (!cJSON_IsString(it) || *it->valuestring == '\0')
		return error_set(cause, _("no database"));
	s = xmalloc(sizeof *s);
	seg_init(s);
	s->id = (uint32_t)seg_json_int(o, "id", 0);
	it = cJSON_GetObjectItemCaseSensitive(o, "name");
	s->name = xstrdup(cJSON_IsString(it) ? it->valuestring : "");
	it = cJSON_GetObjectItemCaseSensitive(o, "kind");
	if (cJSON_IsString(it) && strcmp(it->valuestring, "static") == 0)
		s->kind = SEG_STATIC;
	it = cJSON_GetObjectItemCaseSensitive(o, "db");
	s->db = xstrdup(cJSON_IsString(it) ? it->valuestring : "");
	seg_json_strv(cJSON_GetObjectItemCaseSensitive(o, "tags"), &s->tags,
	    &s->ntags);
	seg_json_strv(cJSON_GetObjectItemCaseSensitive(o, "groups"), &s->groups,
	    &s->ngroups);
	it = cJSON_GetObjectItemCaseSensitive(o, "conditions");
	if (it != NULL && !cJSON_IsNull(it)) {
		s->cond = cond_from_json(it, cause);
		if (s->cond == NULL)
			goto fail;
	}
	it = cJSON_GetObjectItemCaseSensitive(o, "where_text");
	if (cJSON_IsString(it))
		s->where_text = xstrdup(it->valuestring);
	s->range_lo = (uint16_t)seg_json_int(o, "range_lo", 0);
	s->range_hi = (uint16_t)seg_json_int(o, "range_hi", 10000);
	s->limit = seg_json_int(o, "limit", -1);
	it = cJSON_GetObjectItemCaseSensitive(o, "schedule");
	if (it != NULL && !cJSON_IsNull(it)) {
		if (sched_from_json(it, &s->sched, cause) != 0)
			goto fail;
		s->has_sched = 1;
	}
	/*
	 * Only a schedule is stopped: a record written before that rule (a
	 * clone of a segment without one) reads as active, as it acts.
	 */
	it = cJSON_GetObjectItemCaseSensitive(o, "state");
	if (cJSON_IsString(it) && strcmp(it->valuestring, "stopped") == 0 &&
	    s->kind == SEG_SCHEDULED && s->has_sched)
		s->state = SEG_STOPPED;
	it = cJSON_GetObjectItemCaseSensitive(o, "hook");
	if (cJSON_IsString(it))
		s->hook = xstrdup(it->valuestring);
	s->created_at = seg_json_int(o, "created_at", 0);
	s->updated_at = seg_json_int(o, "updated_at", 0);
	s->active_since = seg_json_int(o, "active_since", s->created_at);
	s->nmembers = (uint64_t)seg_json_int(o, "nmembers", 0);
	s->last_run_id = (uint32_t)seg_json_int(o, "last_run_id", 0);
	s->last_run_at = seg_json_int(o, "last_run_at", 0);
	s->last_success_at = seg_json_int(o, "last_success_at", 0);
	s->running_run_id = (uint32_t)seg_json_int(o, "running_run_id", 0);
	s->last_handled = seg_json_int(o, "last_handled", 0);
	s->run_seq = (uint32_t)seg_json_int(o, "run_seq", 0);
	*out = s;
	return 0;
fail:
	seg_free(s);
	return -1;
}

int
seg_put_json(struct store_txn *txn, enum store_table t, const void *key,
    size_t klen, cJSON *o, char **cause)
{
	char *text;
	int rc;

	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	rc = store_put(txn, t, key, klen, text, strlen(text), cause);
	free(text);
	return rc;
}

cJSON *
seg_get_json(struct store_txn *txn, enum store_table t, const void *key,
    size_t klen, int *found, char **cause)
{
	const void *val;
	size_t vlen;
	cJSON *o;
	int rc;

	*found = 0;
	rc = store_get(txn, t, key, klen, &val, &vlen, cause);
	if (rc != 0)
		return NULL;
	*found = 1;
	o = cJSON_ParseWithLength(val, vlen);
	if (o == NULL)
		error_set(cause, _("a record of the store is not valid JSON"));
	return o;
}

/*
 * A stored segment record into *out: 0, or -1 with why it is damaged in
 * *cause (not valid JSON, a member missing or of the wrong kind, an id
 * other than its key's).
 */
static int
seg_parse_record(uint32_t id, const void *val, size_t vlen,
    struct segment **out, char **cause)
{
	cJSON *o;
	int rc;

	if ((o = cJSON_ParseWithLength(val, vlen)) == NULL)
		return error_set(cause, _("not valid JSON"));
	rc = seg_from_json(o, out, cause);
	cJSON_Delete(o);
	if (rc != 0)
		return -1;
	if ((*out)->id != id) {
		error_set(cause, _("its id is %u, its key's %u"),
		    (unsigned)(*out)->id, (unsigned)id);
		seg_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int
seg_load(struct store_txn *txn, uint32_t id, struct segment **out,
    char **cause)
{
	uint8_t key[4];
	const void *val;
	size_t vlen;
	char *why = NULL;
	int rc;

	store_be32(key, id);
	rc = store_get(txn, STORE_SEGMENTS, key, 4, &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("there is no segment with id %u"),
		    (unsigned)id);
	if (seg_parse_record(id, val, vlen, out, &why) != 0) {
		error_set(cause, _("the record of segment %u is damaged: %s"),
		    (unsigned)id, why);
		free(why);
		return -1;
	}
	return 0;
}

int
seg_lookup_id(struct store_txn *txn, const char *name, uint32_t *id,
    char **cause)
{
	const void *val;
	size_t vlen;
	int rc;

	rc = store_get(txn, STORE_SEGNAMES, name, strlen(name), &val, &vlen,
	    cause);
	if (rc < 0)
		return -1;
	if (rc == 1 || vlen != 4) {
		error_set(cause, _("there is no segment '%s'"), name);
		return 1;
	}
	*id = store_get_be32(val);
	return 0;
}

int
seg_save(struct store_txn *txn, const struct segment *s, char **cause)
{
	uint8_t key[4];

	if (seg_run_settle(txn, s, cause) != 0)
		return -1;
	store_be32(key, s->id);
	return seg_put_json(txn, STORE_SEGMENTS, key, 4, seg_to_json(s), cause);
}

/* ------------------------------------------------------------------ */
/* Reading                                                              */
/* ------------------------------------------------------------------ */

int
seg_get_by_id(struct store_txn *txn, uint32_t id, struct segment **out,
    char **cause)
{
	if (seg_load(txn, id, out, cause) != 0)
		return -1;
	seg_check_running(txn, *out);
	return 0;
}

int
seg_get(struct store_txn *txn, const char *name, struct segment **out,
    char **cause)
{
	uint8_t key[4];
	uint32_t id;
	const void *val;
	size_t vlen;
	char *why = NULL;
	int rc;

	if (seg_lookup_id(txn, name, &id, cause) != 0)
		return -1;
	store_be32(key, id);
	rc = store_get(txn, STORE_SEGMENTS, key, 4, &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("there is no segment with id %u"),
		    (unsigned)id);
	/* A damaged record is named by the name that found it. */
	if (seg_parse_record(id, val, vlen, out, &why) != 0) {
		error_set(cause, _("segment '%s' is damaged: %s"), name, why);
		free(why);
		return -1;
	}
	seg_check_running(txn, *out);
	return 0;
}

static int
seg_cmp_name(const void *a, const void *b)
{
	const struct segment *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/*
 * The name of segment id from the name index (a damaged record cannot
 * say it), or NULL.
 */
static char *
seg_name_of(struct store_txn *txn, uint32_t id)
{
	struct store_cursor *c;
	const void *k, *val;
	size_t kl, vl;
	char *name = NULL;

	if ((c = store_cursor_open(txn, STORE_SEGNAMES, NULL, 0, NULL)) ==
	    NULL)
		return NULL;
	while (store_cursor_next(c, &k, &kl, &val, &vl, NULL) == 0) {
		if (vl == 4 && store_get_be32(val) == id) {
			name = xstrndup(k, kl);
			break;
		}
	}
	store_cursor_close(c);
	return name;
}

/*
 * Every segment record; a damaged one becomes a placeholder with its
 * damage set (when damaged is not 0) or is left out.
 */
static int
seg_list_records(struct store_txn *txn, int damaged, struct segment ***out,
    size_t *n, char **cause)
{
	struct store_cursor *c;
	struct segment **v = NULL, *s;
	const void *k, *val;
	size_t kl, vl, cnt = 0;
	uint32_t id;
	char *why;
	int rc;

	c = store_cursor_open(txn, STORE_SEGMENTS, NULL, 0, cause);
	if (c == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &val, &vl, cause)) == 0) {
		id = kl == 4 ? store_get_be32(k) : 0;
		why = NULL;
		s = NULL;
		if (kl != 4)
			error_set(&why, _("its key is not a segment id"));
		else
			(void)seg_parse_record(id, val, vl, &s, &why);
		if (s == NULL) {
			if (!damaged) {
				free(why);
				continue;
			}
			s = xmalloc(sizeof *s);
			seg_init(s);
			s->id = id;
			if ((s->name = seg_name_of(txn, id)) == NULL)
				s->name = xasprintf("#%u", (unsigned)id);
			s->db = xstrdup("");
			s->damaged = why;
		}
		v = xreallocarray(v, cnt + 1, sizeof *v);
		v[cnt++] = s;
	}
	store_cursor_close(c);
	if (rc < 0) {
		seg_list_free(v, cnt);
		return -1;
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof *v, seg_cmp_name);
	*out = v;
	*n = cnt;
	return 0;
}

int
seg_list_stored(struct store_txn *txn, struct segment ***out, size_t *n,
    char **cause)
{
	return seg_list_records(txn, 0, out, n, cause);
}

int
seg_list_all(struct store_txn *txn, struct segment ***out, size_t *n,
    char **cause)
{
	size_t i;

	if (seg_list_records(txn, 1, out, n, cause) != 0)
		return -1;
	for (i = 0; i < *n; i++) {
		if ((*out)[i]->damaged == NULL)
			seg_check_running(txn, (*out)[i]);
	}
	return 0;
}

int
seg_list(struct store_txn *txn, struct segment ***out, size_t *n,
    char **cause)
{
	size_t i;

	if (seg_list_stored(txn, out, n, cause) != 0)
		return -1;
	for (i = 0; i < *n; i++)
		seg_check_running(txn, (*out)[i]);
	return 0;
}
