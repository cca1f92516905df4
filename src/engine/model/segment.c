/*
 * Segment definitions: their in-memory form (init, clone, free, range
 * text), create, edit and delete in the store, and filling a static
 * segment by hand.  Records and reads are in segment_record.c, validation
 * in segment_validate.c, runs, members and the scheduler's bookkeeping in
 * segment_runs.c; recalculation is recalc.c's, history history.c's.  See
 * README, "Segments".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "segment_int.h"
#include "timeutil.h"

const char *
run_type_name(enum run_type t)
{
	return t == RUN_AUTOMATIC ? N_("Automatic") : N_("Manual");
}

const char *
run_status_name(enum run_status s)
{
	switch (s) {
	case RUN_IN_PROGRESS:
		return N_("In progress");
	case RUN_COMPLETED:
		return N_("Completed");
	case RUN_ERROR:
		return N_("Error");
	case RUN_SKIPPED:
		return N_("Skipped");
	}
	return "?";
}

static void
run_json_time(cJSON *o, const char *name, int64_t t)
{
	char buf[TU_DATETIME_BUF];

	if (t == 0)
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddStringToObject(o, name, tu_format_datetime(t, buf));
}

cJSON *
run_record_json(const struct run_record *r)
{
	cJSON *o = cJSON_CreateObject();

	/* A dry run has no id: nothing was logged. */
	if (r->id != 0)
		cJSON_AddNumberToObject(o, "id", r->id);
	else
		cJSON_AddNullToObject(o, "id");
	cJSON_AddStringToObject(o, "type", run_type_name(r->type));
	cJSON_AddStringToObject(o, "initiator",
	    r->initiator != NULL ? r->initiator : "");
	run_json_time(o, "started_at", r->started_at);
	run_json_time(o, "ended_at", r->ended_at);
	cJSON_AddNumberToObject(o, "added", (double)r->added);
	cJSON_AddNumberToObject(o, "removed", (double)r->removed);
	cJSON_AddNumberToObject(o, "total", (double)r->total);
	cJSON_AddStringToObject(o, "status", run_status_name(r->status));
	if (r->error != NULL)
		cJSON_AddStringToObject(o, "error", r->error);
	else
		cJSON_AddNullToObject(o, "error");
	return o;
}

/* One percent figure with at most two decimals, in hundredths. */
static int
seg_parse_percent(const char *p, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	size_t i = 0, dec = 0;
	int dot = 0;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] == '.') {
			if (dot || i == 0 || i + 1 == len)
				return -1;
			dot = 1;
			continue;
		}
		if (p[i] < '0' || p[i] > '9')
			return -1;
		if (dot && ++dec > 2)
			return -2;
		if (v > 100000)
			return -3;
		v = v * 10 + (uint32_t)(p[i] - '0');
	}
	while (dec++ < 2)
		v *= 10;
	*out = v;
	return 0;
}

int
seg_parse_range(const char *text, uint16_t *lo, uint16_t *hi, char **cause)
{
	const char *dash;
	uint32_t a, b;
	int ra, rb;

	dash = strchr(text, '-');
	if (dash == NULL)
		return error_set(cause, _("range '%s' is not of the form A-B "
		    "(percent, for example 0-20)"), text);
	ra = seg_parse_percent(text, (size_t)(dash - text), &a);
	rb = seg_parse_percent(dash + 1, strlen(dash + 1), &b);
	if (ra == -2 || rb == -2)
		return error_set(cause, _("range '%s': percentages have at most "
		    "two decimals"), text);
	if (ra != 0 || rb != 0)
		return error_set(cause, _("range '%s' is not of the form A-B "
		    "(percent, for example 0-20)"), text);
	if (b > 10000)
		return error_set(cause, _("range '%s': the end must be at most "
		    "100"), text);
	if (a >= b)
		return error_set(cause, _("range '%s': the start must be below "
		    "the end"), text);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static void
seg_format_percent(uint16_t v, char *p)
{
	if (v % 100 == 0)
		sprintf(p, "%u", v / 100);
	else if (v % 10 == 0)
		sprintf(p, "%u.%u", v / 100, (v % 100) / 10);
	else
		sprintf(p, "%u.%02u", v / 100, v % 100);
}

char *
seg_format_range(uint16_t lo, uint16_t hi, char *buf)
{
	char a[8], b[8];

	seg_format_percent(lo, a);
	seg_format_percent(hi, b);
	snprintf(buf, SEG_RANGE_BUF, "%s-%s", a, b);
	return buf;
}

void
seg_init(struct segment *s)
{
	memset(s, 0, sizeof *s);
	s->kind = SEG_SCHEDULED;
	s->range_lo = 0;
	s->range_hi = 10000;
	s->limit = -1;
	s->state = SEG_ACTIVE;
	s->last_handled = 0;
}

static char **
seg_strv_dup(char **v, size_t n)
{
	char **out;
	size_t i;

	if (n == 0)
		return NULL;
	out = xcalloc(n, sizeof *out);
	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

void
seg_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

struct segment *
seg_clone(const struct segment *s)
{
	struct segment *c;

	c = xmalloc(sizeof *c);
	*c = *s;
	c->name = s->name != NULL ? xstrdup(s->name) : NULL;
	c->db = s->db != NULL ? xstrdup(s->db) : NULL;
	c->tags = seg_strv_dup(s->tags, s->ntags);
	c->groups = seg_strv_dup(s->groups, s->ngroups);
	c->cond = s->cond != NULL ? cond_clone(s->cond) : NULL;
	c->hook = s->hook != NULL ? xstrdup(s->hook) : NULL;
	c->where_text = s->where_text != NULL ? xstrdup(s->where_text) : NULL;
	c->damaged = s->damaged != NULL ? xstrdup(s->damaged) : NULL;
	return c;
}

void
seg_free(struct segment *s)
{
	if (s == NULL)
		return;
	free(s->name);
	free(s->db);
	seg_strv_free(s->tags, s->ntags);
	seg_strv_free(s->groups, s->ngroups);
	if (s->cond != NULL)
		cond_free(s->cond);
	free(s->hook);
	free(s->where_text);
	free(s->damaged);
	free(s);
}

void
seg_list_free(struct segment **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		seg_free(v[i]);
	free(v);
}

/* ------------------------------------------------------------------ */
/* Writing definitions                                                  */
/* ------------------------------------------------------------------ */

struct seg_write_arg {
	const struct segment	*def;
	const char		*name;
	uint32_t		 id;
};

/*
 * Stopping pauses a schedule: a segment without one (static, or
 * recalculated only by hand) has nothing to stop and is saved active, so
 * that its state never asks for a start that would be refused.
 */
static void
seg_fit_state(struct segment *s)
{
	if (s->kind != SEG_SCHEDULED || !s->has_sched)
		s->state = SEG_ACTIVE;
}

static int
seg_create_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_write_arg *a = arg;
	struct segment *s;
	uint8_t key[4];
	int64_t now = tu_now();
	int rc;

	if (seg_validate(txn, a->def, 0, now, cause) != 0)
		return -1;
	s = seg_clone(a->def);
	seg_fit_state(s);
	if (store_next_id(txn, "segment", &s->id, cause) != 0) {
		seg_free(s);
		return -1;
	}
	s->created_at = s->updated_at = now;
	s->nmembers = 0;
	s->last_run_id = 0;
	s->last_run_at = s->last_success_at = 0;
	s->running_run_id = 0;
	s->last_handled = s->active_since = now;
	s->run_seq = 0;
	store_be32(key, s->id);
	rc = seg_save(txn, s, cause);
	if (rc == 0)
		rc = store_put(txn, STORE_SEGNAMES, s->name, strlen(s->name),
		    key, 4, cause);
	a->id = s->id;
	seg_free(s);
	return rc;
}

int
seg_create(struct store *st, const struct segment *def, uint32_t *id,
    char **cause)
{
	struct seg_write_arg a = { .def = def };

	if (store_write(st, seg_create_cb, &a, cause) != 0)
		return -1;
	if (id != NULL)
		*id = a.id;
	return 0;
}

int
seg_refuse_updating(struct store_txn *txn, const struct segment *s,
    char **cause)
{
	struct run_record r;
	char buf[TU_DATETIME_BUF];

	if (!seg_is_updating(s))
		return 0;
	if (seg_run_get(txn, s->id, s->running_run_id, &r, NULL) != 0)
		memset(&r, 0, sizeof r);
	error_set(cause, _("segment '%s' is updating (run %u started %s); "
	    "try again when it finishes"), s->name, (unsigned)s->running_run_id,
	    tu_format_datetime(r.started_at, buf));
	run_record_clear(&r);
	return -1;
}

static void
seg_quote(struct strbuf *sb, const char *s)
{
	sb_putc(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}

/*
 * The kept where: text follows a renamed segment too: each "from" as
 * the canonical script quotes it becomes "to".  When the result does
 * not say what the renamed tree says (the name was written another
 * way), seg_save drops the text and the canonical script stands.
 */
static void
seg_where_text_rename(struct segment *s, const char *from, const char *to)
{
	struct strbuf qf = STRBUF_INIT, qt = STRBUF_INIT, out = STRBUF_INIT;
	const char *p, *hit;

	if (s->where_text == NULL)
		return;
	seg_quote(&qf, from);
	seg_quote(&qt, to);
	for (p = s->where_text; (hit = strstr(p, qf.buf)) != NULL;
	    p = hit + qf.len) {
		sb_printf(&out, "%.*s", (int)(hit - p), p);
		sb_puts(&out, qt.buf);
	}
	sb_puts(&out, p);
	free(s->where_text);
	s->where_text = xstrdup(out.buf != NULL ? out.buf : "");
	sb_free(&qf);
	sb_free(&qt);
	sb_free(&out);
}

/* Segments using a renamed one through "in segment" follow the new name. */
static int
seg_rename_users(struct store_txn *txn, const char *from, const char *to,
    char **cause)
{
	struct segment **segs = NULL;
	size_t n = 0, i;
	int rc;

	if (seg_dependents(txn, from, &segs, &n, cause) != 0)
		return -1;
	for (i = 0, rc = 0; rc == 0 && i < n; i++) {
		cond_rename_segment(segs[i]->cond, from, to);
		seg_where_text_rename(segs[i], from, to);
		rc = seg_save(txn, segs[i], cause);
	}
	seg_list_free(segs, n);
	return rc;
}

static int
seg_update_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_write_arg *a = arg;
	struct segment *old, *s;
	uint8_t key[4];
	int64_t now = tu_now();
	int rc;

	if (seg_get(txn, a->name, &old, cause) != 0)
		return -1;
	if (a->def->db == NULL || strcmp(a->def->db, old->db) != 0) {
		error_set(cause, _("the database of segment '%s' cannot be "
		    "changed (it is '%s')"), old->name, old->db);
		goto fail;
	}
	if (a->def->kind != old->kind) {
		error_set(cause, _("the kind of segment '%s' cannot be changed "
		    "(it is %s)"), old->name, old->kind == SEG_STATIC ?
		    _("static") : _("scheduled"));
		goto fail;
	}
	if (seg_refuse_updating(txn, old, cause) != 0)
		goto fail;
	if (seg_validate(txn, a->def, old->id, now, cause) != 0)
		goto fail;
	s = seg_clone(a->def);
	seg_fit_state(s);
	s->id = old->id;
	s->created_at = old->created_at;
	s->updated_at = now;
	s->nmembers = old->nmembers;
	s->last_run_id = old->last_run_id;
	s->last_run_at = old->last_run_at;
	s->last_success_at = old->last_success_at;
	s->running_run_id = 0;
	s->run_seq = old->run_seq;
	/*
	 * A definition that comes without the text as written (the form,
	 * --where) keeps the stored one while the conditions are the same;
	 * seg_save drops it when they differ.
	 */
	if (s->where_text == NULL && old->where_text != NULL)
		s->where_text = xstrdup(old->where_text);
	/* A changed schedule starts afresh: no catch-up of older slots. */
	if (s->has_sched != old->has_sched || (s->has_sched &&
	    !sched_equal(&s->sched, &old->sched)))
		s->last_handled = s->active_since = now;
	else {
		s->last_handled = old->last_handled;
		s->active_since = old->active_since;
	}
	rc = seg_save(txn, s, cause);
	if (rc == 0 && strcmp(s->name, old->name) != 0) {
		store_be32(key, s->id);
		rc = store_del(txn, STORE_SEGNAMES, old->name,
		    strlen(old->name), cause);
		if (rc == 0)
			rc = store_put(txn, STORE_SEGNAMES, s->name,
			    strlen(s->name), key, 4, cause);
		if (rc == 0)
			rc = seg_rename_users(txn, old->name, s->name, cause);
	}
	seg_free(s);
	seg_free(old);
	return rc;
fail:
	seg_free(old);
	return -1;
}

int
seg_update(struct store *st, const char *name, const struct segment *def,
    char **cause)
{
	struct seg_write_arg a = { .def = def, .name = name };

	return store_write(st, seg_update_cb, &a, cause);
}

struct seg_users {
	const char	*name;
	size_t		 n;
};

static void
seg_users_cb(void *arg, const char *name)
{
	struct seg_users *u = arg;

	if (strcmp(name, u->name) == 0)
		u->n++;
}

int
seg_dependents(struct store_txn *txn, const char *name, struct segment ***out,
    size_t *nout, char **cause)
{
	struct segment **all = NULL;
	struct seg_users u;
	size_t n = 0, i, j;

	*out = NULL;
	*nout = 0;
	if (seg_list(txn, &all, &n, cause) != 0)
		return -1;
	u.name = name;
	for (i = j = 0; i < n; i++) {
		u.n = 0;
		if (all[i]->cond != NULL && strcmp(all[i]->name, name) != 0)
			cond_segments(all[i]->cond, seg_users_cb, &u);
		if (u.n != 0)
			all[j++] = all[i];
		else
			seg_free(all[i]);
	}
	if (j == 0) {
		free(all);
		all = NULL;
	}
	*out = all;
	*nout = j;
	return 0;
}

int
seg_delete_txn(struct store_txn *txn, const struct segment *s, char **cause)
{
	uint8_t key[4];
	int rc;

	if (seg_refuse_updating(txn, s, cause) != 0)
		return -1;
	store_be32(key, s->id);
	rc = store_del(txn, STORE_SEGMENTS, key, 4, cause);
	if (rc == 0)
		rc = store_del(txn, STORE_SEGNAMES, s->name, strlen(s->name),
		    cause);
	if (rc == 0)
		rc = store_del(txn, STORE_MEMBERS, key, 4, cause);
	if (rc == 0)
		rc = store_del_prefix(txn, STORE_RUNS, key, 4, cause);
	if (rc == 0)
		rc = store_del_prefix(txn, STORE_DELTAS, key, 4, cause);
	return rc;
}

int
seg_updated(const struct segment *s)
{
	return s->last_run_at != 0 || s->last_success_at != 0;
}

int
seg_require_updated(const struct segment *s, char **cause)
{
	if (seg_updated(s))
		return 0;
	return error_set(cause, _("segment '%s' has not been updated yet; "
	    "recalculate it first"), s->name);
}

int
seg_require_calculated(const struct segment *s, char **cause)
{
	if (s->kind == SEG_STATIC || s->last_success_at != 0)
		return 0;
	return error_set(cause, _("its condition uses segment '%s', which "
	    "has not been calculated yet; recalculate '%s' first"), s->name,
	    s->name);
}

/* ------------------------------------------------------------------ */
/* Static filling                                                       */
/* ------------------------------------------------------------------ */

struct seg_fill_arg {
	const char		*name;
	int			 remove;
	const char *const	*keys;
	size_t			 nkeys;
	const char		*initiator;
	struct seg_fill_result	*res;
};

static void
seg_fill_reset(struct seg_fill_result *res)
{
	seg_fill_result_free(res);
	memset(res, 0, sizeof *res);
}

void
seg_fill_result_free(struct seg_fill_result *res)
{
	seg_strv_free(res->unknown, res->nunknown);
	res->unknown = NULL;
	res->nunknown = 0;
	run_record_clear(&res->run);
}

static int
seg_fill_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_fill_arg *a = arg;
	struct seg_fill_result *res = a->res;
	struct pdb_schema *schema = NULL;
	roaring_bitmap_t *mem = NULL, *delta = NULL, *empty = NULL;
	struct segment *s;
	struct run_record r;
	uint32_t pno;
	int64_t now = tu_now();
	size_t i;
	int rc = -1, found;

	/* store_write may run this again after growing the map. */
	seg_fill_reset(res);
	if (seg_get(txn, a->name, &s, cause) != 0)
		return -1;
	if (s->kind != SEG_STATIC) {
		error_set(cause, _("segment '%s' is scheduled: only a "
		    "recalculation changes its members"), s->name);
		goto out;
	}
	if (pdb_open(txn, s->db, &schema, cause) != 0)
		goto out;
	if (seg_members(txn, s->id, &mem, cause) != 0)
		goto out;
	delta = roaring_bitmap_create();
	for (i = 0; i < a->nkeys; i++) {
		found = pdb_lookup(txn, schema, a->keys[i], strlen(a->keys[i]),
		    &pno, cause);
		if (found < 0)
			goto out;
		if (found == 1) {
			res->unknown = xreallocarray(res->unknown,
			    res->nunknown + 1, sizeof *res->unknown);
			res->unknown[res->nunknown++] = xstrdup(a->keys[i]);
			continue;
		}
		if (roaring_bitmap_contains(mem, pno) != !a->remove &&
		    !roaring_bitmap_contains(delta, pno))
			roaring_bitmap_add(delta, pno);
		else
			res->unchanged++;
	}
	res->changed = roaring_bitmap_get_cardinality(delta);
	if (res->changed == 0) {
		rc = 0;
		goto out;
	}
	if (a->remove)
		roaring_bitmap_andnot_inplace(mem, delta);
	else
		roaring_bitmap_or_inplace(mem, delta);
	empty = roaring_bitmap_create();
	memset(&r, 0, sizeof r);
	r.id = ++s->run_seq;
	r.started_at = r.ended_at = now;
	r.type = RUN_MANUAL;
	r.initiator = (char *)a->initiator;
	r.added = a->remove ? 0 : res->changed;
	r.removed = a->remove ? res->changed : 0;
	r.total = roaring_bitmap_get_cardinality(mem);
	r.status = RUN_COMPLETED;
	s->nmembers = r.total;
	s->last_run_id = r.id;
	s->last_run_at = s->last_success_at = now;
	if (seg_members_put(txn, s->id, mem, cause) != 0 ||
	    seg_deltas_put(txn, s->id, r.id, a->remove ? empty : delta,
	    a->remove ? delta : empty, cause) != 0 ||
	    seg_run_put(txn, s->id, &r, cause) != 0 ||
	    seg_save(txn, s, cause) != 0)
		goto out;
	res->run = r;
	res->run.initiator = xstrdup(a->initiator);
	rc = 0;
out:
	if (empty != NULL)
		roaring_bitmap_free(empty);
	if (delta != NULL)
		roaring_bitmap_free(delta);
	if (mem != NULL)
		roaring_bitmap_free(mem);
	if (schema != NULL)
		schema_free(schema);
	seg_free(s);
	return rc;
}

int
seg_forget_profiles(struct store_txn *txn, struct segment *s,
    const roaring_bitmap_t *pnos, const char *initiator, uint64_t *n,
    uint32_t *run, char **cause)
{
	roaring_bitmap_t *mem = NULL, *gone = NULL, *empty = NULL;
	struct run_record r;
	int64_t now = tu_now();
	int rc = -1;

	*n = 0;
	*run = 0;
	if (seg_members(txn, s->id, &mem, cause) != 0)
		return -1;
	gone = roaring_bitmap_and(mem, pnos);
	*n = roaring_bitmap_get_cardinality(gone);
	if (*n == 0 || s->kind != SEG_STATIC) {
		rc = 0;
		goto out;
	}
	roaring_bitmap_andnot_inplace(mem, gone);
	empty = roaring_bitmap_create();
	memset(&r, 0, sizeof r);
	r.id = ++s->run_seq;
	r.started_at = r.ended_at = now;
	r.type = RUN_MANUAL;
	r.initiator = (char *)initiator;
	r.removed = *n;
	r.total = roaring_bitmap_get_cardinality(mem);
	r.status = RUN_COMPLETED;
	s->nmembers = r.total;
	s->last_run_id = r.id;
	s->last_run_at = s->last_success_at = now;
	if (seg_members_put(txn, s->id, mem, cause) != 0 ||
	    seg_deltas_put(txn, s->id, r.id, empty, gone, cause) != 0 ||
	    seg_run_put(txn, s->id, &r, cause) != 0 ||
	    seg_save(txn, s, cause) != 0)
		goto out;
	*run = r.id;
	rc = 0;
out:
	if (empty != NULL)
		roaring_bitmap_free(empty);
	roaring_bitmap_free(gone);
	roaring_bitmap_free(mem);
	return rc;
}

int
seg_fill(struct store *st, const char *name, int remove,
    const char *const *keys, size_t nkeys, const char *initiator,
    struct seg_fill_result *res, char **cause)
{
	struct seg_fill_arg a = { name, remove, keys, nkeys,
	    initiator != NULL ? initiator : util_login_name(), res };

	memset(res, 0, sizeof *res);
	if (store_write(st, seg_fill_cb, &a, cause) != 0) {
		seg_fill_reset(res);
		return -1;
	}
	return 0;
}
