/*
 * External data query records (extq.h): one JSON record per query in
 * the table `queries`, with its cache.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "extq.h"
#include "i18n.h"
#include "util.h"

int
extq_check_name(const char *name, char **cause)
{
	size_t i, n;

	if (name == NULL || *name == '\0')
		return error_set(cause, _("a query needs a name"));
	n = strlen(name);
	if (n > STORE_NAME_MAX)
		return error_set(cause, _("the query name is %zu bytes long; "
		    "the limit is %d bytes"), n, STORE_NAME_MAX);
	for (i = 0; i < n; i++) {
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return error_set(cause, _("query name '%s' holds a "
			    "control character"), name);
	}
	if (name[0] == ' ' || name[n - 1] == ' ')
		return error_set(cause, _("query name '%s' starts or ends "
		    "with a blank"), name);
	return 0;
}

void
extq_free(struct extq *q)
{
	size_t i;

	if (q == NULL)
		return;
	free(q->name);
	free(q->conninfo);
	free(q->sql);
	for (i = 0; i < q->nvalues; i++)
		free(q->values[i]);
	free(q->values);
	free(q);
}

void
extq_list_free(struct extq **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		extq_free(v[i]);
	free(v);
}

void
extq_set_cache(struct extq *q, char **values, size_t n, int64_t at)
{
	size_t i;

	for (i = 0; i < q->nvalues; i++)
		free(q->values[i]);
	free(q->values);
	q->values = values;
	q->nvalues = n;
	q->fetched_at = at;
}

int
extq_fresh(const struct extq *q, int64_t now)
{
	if (q->fetched_at == 0 || q->cache_minutes <= 0)
		return 0;
	return now >= q->fetched_at &&
	    now - q->fetched_at < q->cache_minutes * 60;
}

static char *
extq_str(const cJSON *o, const char *k)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(m) ? xstrdup(m->valuestring) : NULL;
}

static int64_t
extq_num(const cJSON *o, const char *k)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(m) ? (int64_t)m->valuedouble : 0;
}

static int
extq_decode(const char *name, const void *val, size_t vlen,
    struct extq **out, char **cause)
{
	cJSON *o;
	const cJSON *a, *e;
	struct extq *q;

	o = cJSON_ParseWithLength(val, vlen);
	if (o == NULL || !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return error_set(cause, _("the record of query '%s' is "
		    "damaged"), name);
	}
	q = xcalloc(1, sizeof *q);
	q->name = xstrdup(name);
	q->conninfo = extq_str(o, "conninfo");
	q->sql = extq_str(o, "sql");
	q->cache_minutes = extq_num(o, "cache");
	q->timeout = extq_num(o, "timeout");
	q->created_at = extq_num(o, "created_at");
	q->fetched_at = extq_num(o, "fetched_at");
	a = cJSON_GetObjectItemCaseSensitive(o, "values");
	if (cJSON_IsArray(a)) {
		q->values = xreallocarray(NULL, (size_t)cJSON_GetArraySize(a) +
		    1, sizeof *q->values);
		cJSON_ArrayForEach(e, a) {
			if (cJSON_IsString(e))
				q->values[q->nvalues++] =
				    xstrdup(e->valuestring);
		}
	}
	cJSON_Delete(o);
	if (q->conninfo == NULL || q->sql == NULL) {
		extq_free(q);
		return error_set(cause, _("the record of query '%s' is "
		    "damaged"), name);
	}
	*out = q;
	return 0;
}

int
extq_get(struct store_txn *txn, const char *name, struct extq **out,
    char **cause)
{
	const void *val;
	size_t vlen;
	int rc;

	*out = NULL;
	rc = store_get(txn, STORE_QUERIES, name, strlen(name), &val, &vlen,
	    cause);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return error_set(cause, _("there is no query '%s'"), name);
	return extq_decode(name, val, vlen, out, cause);
}

int
extq_exists(struct store_txn *txn, const char *name)
{
	const void *val;
	size_t vlen;
	char *cause = NULL;
	int rc;

	rc = store_get(txn, STORE_QUERIES, name, strlen(name), &val, &vlen,
	    &cause);
	free(cause);
	return rc == 0;
}

int
extq_put(struct store_txn *txn, const struct extq *q, int is_new,
    char **cause)
{
	cJSON *o, *a;
	char *text;
	size_t i;
	int rc;

	if (extq_check_name(q->name, cause) != 0)
		return -1;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", q->name);
	cJSON_AddStringToObject(o, "conninfo", q->conninfo);
	cJSON_AddStringToObject(o, "sql", q->sql);
	cJSON_AddNumberToObject(o, "cache", (double)q->cache_minutes);
	cJSON_AddNumberToObject(o, "timeout", (double)q->timeout);
	cJSON_AddNumberToObject(o, "created_at", (double)q->created_at);
	if (q->fetched_at != 0) {
		cJSON_AddNumberToObject(o, "fetched_at",
		    (double)q->fetched_at);
		a = cJSON_AddArrayToObject(o, "values");
		for (i = 0; i < q->nvalues; i++)
			cJSON_AddItemToArray(a,
			    cJSON_CreateString(q->values[i]));
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (is_new)
		rc = store_put_new(txn, STORE_QUERIES, q->name,
		    strlen(q->name), text, strlen(text), cause);
	else
		rc = store_put(txn, STORE_QUERIES, q->name, strlen(q->name),
		    text, strlen(text), cause);
	cJSON_free(text);
	if (rc == 1)
		return error_set(cause, _("a query named '%s' already exists"),
		    q->name);
	return rc;
}

int
extq_del(struct store_txn *txn, const char *name, char **cause)
{
	return store_del(txn, STORE_QUERIES, name, strlen(name), cause);
}

int
extq_list(struct store_txn *txn, struct extq ***out, size_t *n,
    char **cause)
{
	struct store_cursor *cur;
	const void *k, *v;
	size_t klen, vlen;
	struct extq *q;
	char *name;
	int rc;

	*out = NULL;
	*n = 0;
	if ((cur = store_cursor_open(txn, STORE_QUERIES, NULL, 0,
	    cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(cur, &k, &klen, &v, &vlen,
	    cause)) == 0) {
		name = xstrndup(k, klen);
		rc = extq_decode(name, v, vlen, &q, cause);
		free(name);
		if (rc != 0)
			break;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = q;
	}
	store_cursor_close(cur);
	if (rc < 0) {
		extq_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
