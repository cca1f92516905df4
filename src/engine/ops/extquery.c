/*
 * External data queries: add, run, drop, and the values of a run
 * (extquery.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "drop.h"
#include "extquery.h"
#include "i18n.h"
#include "pgquery.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

static int
extquery_put_new_cb(struct store_txn *txn, void *arg, char **cause)
{
	return extq_put(txn, arg, 1, cause);
}

static int
extquery_read(struct store *st, const char *name, struct extq **q,
    char **cause)
{
	struct store_txn *txn;
	int rc;

	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	rc = extq_get(txn, name, q, cause);
	store_read_end(txn);
	return rc;
}

int
extquery_add(struct store *st, const struct extq *def, char **cause)
{
	struct store_txn *txn;
	struct extq q;
	char *c2 = NULL;
	int taken;

	if (extq_check_name(def->name, cause) != 0)
		return -1;
	if (def->cache_minutes < 0)
		return error_set(cause, _("query '%s': the cache time must "
		    "not be negative"), def->name);
	if (def->timeout < 1)
		return error_set(cause, _("query '%s': the timeout must be at "
		    "least 1 second"), def->name);
	if (def->sql == NULL || def->sql[strspn(def->sql, " \t\r\n")] == '\0')
		return error_set(cause, _("query '%s' needs a statement"),
		    def->name);
	/* Before the server is asked: a taken name needs no round trip. */
	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	taken = extq_exists(txn, def->name);
	store_read_end(txn);
	if (taken)
		return error_set(cause, _("a query named '%s' already exists"),
		    def->name);
	if (pgq_conninfo_check(def->conninfo, &c2) != 0 ||
	    pgq_describe(def->conninfo, def->sql, def->timeout, &c2) != 0) {
		error_set(cause, _("query '%s': %s"), def->name, c2);
		free(c2);
		return -1;
	}
	memset(&q, 0, sizeof q);
	q.name = def->name;
	q.conninfo = def->conninfo;
	q.sql = def->sql;
	q.cache_minutes = def->cache_minutes;
	q.timeout = def->timeout;
	q.created_at = tu_now();
	return store_write(st, extquery_put_new_cb, &q, cause);
}

struct extquery_cache_arg {
	const struct extq	*fetched;	/* the definition fetched */
	char			**values;
	size_t			 n;
	int64_t			 at;
	struct extq		*out;		/* the record written */
};

/*
 * Writes the fetched values into the record, unless the query was
 * dropped or redefined meanwhile (then its cache is not these values).
 */
static int
extquery_cache_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct extquery_cache_arg *a = arg;
	struct extq *q;
	char **v;
	size_t i;

	extq_free(a->out);
	a->out = NULL;
	if (extq_get(txn, a->fetched->name, &q, cause) != 0)
		return -1;
	if (strcmp(q->conninfo, a->fetched->conninfo) != 0 ||
	    strcmp(q->sql, a->fetched->sql) != 0) {
		a->out = q;
		return 0;
	}
	v = xreallocarray(NULL, a->n + 1, sizeof *v);
	for (i = 0; i < a->n; i++)
		v[i] = xstrdup(a->values[i]);
	extq_set_cache(q, v, a->n, a->at);
	a->out = q;
	return extq_put(txn, q, 0, cause);
}

/*
 * Fetches q's values from its server and refreshes the cache; on
 * success *values (the caller's) and, when out is not NULL, the record
 * as written.
 */
static int
extquery_fetch(struct store *st, const struct extq *q, char ***values,
    size_t *n, struct extq **out, char **cause)
{
	struct extquery_cache_arg a;
	char *c2 = NULL;
	size_t i;

	if (pgq_fetch(q->conninfo, q->sql, q->timeout, values, n, &c2) != 0) {
		error_set(cause, _("query '%s': %s"), q->name, c2);
		free(c2);
		return -1;
	}
	memset(&a, 0, sizeof a);
	a.fetched = q;
	a.values = *values;
	a.n = *n;
	a.at = tu_now();
	if (store_write(st, extquery_cache_cb, &a, cause) != 0) {
		extq_free(a.out);
		for (i = 0; i < *n; i++)
			free((*values)[i]);
		free(*values);
		*values = NULL;
		*n = 0;
		return -1;
	}
	if (out != NULL)
		*out = a.out;
	else
		extq_free(a.out);
	return 0;
}

int
extquery_run(struct store *st, const char *name, struct extq **out,
    char **cause)
{
	struct extq *q;
	char **v;
	size_t n, i;
	int rc;

	*out = NULL;
	if (extquery_read(st, name, &q, cause) != 0)
		return -1;
	rc = extquery_fetch(st, q, &v, &n, out, cause);
	extq_free(q);
	if (rc == 0) {
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
	}
	return rc;
}

int
extquery_values(struct store *st, const char *name, int64_t now,
    char ***values, size_t *n, char **cause)
{
	struct extq *q;
	size_t i;
	int rc = 0;

	*values = NULL;
	*n = 0;
	if (extquery_read(st, name, &q, cause) != 0)
		return -1;
	if (extq_fresh(q, now)) {
		*values = xreallocarray(NULL, q->nvalues + 1,
		    sizeof **values);
		for (i = 0; i < q->nvalues; i++)
			(*values)[i] = xstrdup(q->values[i]);
		*n = q->nvalues;
	} else
		rc = extquery_fetch(st, q, values, n, NULL, cause);
	extq_free(q);
	return rc;
}

struct extquery_drop_arg {
	const char	*name;
	int		 in_use;
};

static void
extquery_uses(void *arg, const char *name)
{
	struct extquery_drop_arg *a = arg;

	if (strcmp(name, a->name) == 0)
		a->in_use = 1;
}

static int
extquery_drop_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct extquery_drop_arg *a = arg, u;
	struct segment **segs = NULL;
	struct strbuf sb = STRBUF_INIT;
	struct extq *q;
	size_t n = 0, i, hidden = 0;
	int rc = 0;

	if (extq_get(txn, a->name, &q, cause) != 0)
		return -1;
	extq_free(q);
	if (seg_list(txn, &segs, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		u.name = a->name;
		u.in_use = 0;
		cond_queries(segs[i]->cond, extquery_uses, &u);
		if (!u.in_use)
			continue;
		if (!access_can_see(segs[i])) {
			hidden++;
			continue;
		}
		sb_printf(&sb, "%s'%s'", sb.len > 0 ? ", " : "",
		    segs[i]->name);
	}
	if (sb.len > 0 || hidden > 0) {
		if (hidden > 0) {
			if (sb.len > 0)
				sb_puts(&sb, _(" and "));
			sb_printf(&sb, ngettext_("%zu segment you cannot see",
			    "%zu segments you cannot see", hidden), hidden);
		}
		a->in_use = 1;
		rc = error_set(cause, _("query '%s' is used by segments: %s; "
		    "change or delete them first"), a->name, sb.buf);
	} else
		rc = extq_del(txn, a->name, cause);
	sb_free(&sb);
	seg_list_free(segs, n);
	return rc;
}

int
extquery_drop(struct store *st, const char *name, char **cause)
{
	struct extquery_drop_arg a = { name, 0 };

	if (store_write(st, extquery_drop_cb, &a, cause) != 0)
		return a.in_use ? DROP_IN_USE : -1;
	return 0;
}

struct extquery_entry {
	char		*name;
	char		**values;
	size_t		 n;
};

struct extquery_set {
	struct store		*st;
	int64_t			 now;
	struct extquery_entry	*v;
	size_t			 n;
	int			 failed;
	char			*cause;
};

static void
extquery_prefetch_one(void *arg, const char *name)
{
	struct extquery_set *s = arg;
	struct extquery_entry e;

	if (s->failed)
		return;
	if (extquery_values(s->st, name, s->now, &e.values, &e.n,
	    &s->cause) != 0) {
		s->failed = 1;
		return;
	}
	e.name = xstrdup(name);
	s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
	s->v[s->n++] = e;
}

int
extquery_prefetch(struct store *st, const struct cond *c, int64_t now,
    struct extquery_set **out, char **cause)
{
	struct extquery_set *s;

	s = xcalloc(1, sizeof *s);
	s->st = st;
	s->now = now;
	cond_queries(c, extquery_prefetch_one, s);
	if (s->failed) {
		error_set(cause, "%s", s->cause);
		extquery_set_free(s);
		*out = NULL;
		return -1;
	}
	*out = s;
	return 0;
}

int
extquery_set_values(void *arg, const char *name, const char *const **values,
    size_t *n)
{
	struct extquery_set *s = arg;
	size_t i;

	for (i = 0; s != NULL && i < s->n; i++) {
		if (strcmp(s->v[i].name, name) == 0) {
			*values = (const char *const *)s->v[i].values;
			*n = s->v[i].n;
			return 0;
		}
	}
	return -1;
}

void
extquery_set_free(struct extquery_set *s)
{
	size_t i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		for (j = 0; j < s->v[i].n; j++)
			free(s->v[i].values[j]);
		free(s->v[i].values);
	}
	free(s->v);
	free(s->cause);
	free(s);
}
