/*
 * Segment definitions and their records in the store: validation, create,
 * edit, delete, reading, static filling, scheduler bookkeeping.
 * Recalculation is in recalc.c, history in history.c.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

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

static void
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

static int64_t
seg_json_int(const cJSON *o, const char *name, int64_t dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(it) ? (int64_t)it->valuedouble : dflt;
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
	s->range_lo = (uint16_t)seg_json_int(o, "range_lo", 0);
	s->range_hi = (uint16_t)seg_json_int(o, "range_hi", 10000);
	s->limit = seg_json_int(o, "limit", -1);
	it = cJSON_GetObjectItemCaseSensitive(o, "schedule");
	if (it != NULL && !cJSON_IsNull(it)) {
		if (sched_from_json(it, &s->sched, cause) != 0)
			goto fail;
		s->has_sched = 1;
	}
	it = cJSON_GetObjectItemCaseSensitive(o, "state");
	if (cJSON_IsString(it) && strcmp(it->valuestring, "stopped") == 0)
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

static int
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

static cJSON *
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

int
seg_load(struct store_txn *txn, uint32_t id, struct segment **out,
    char **cause)
{
	uint8_t key[4];
	cJSON *o;
	int found, rc;

	store_be32(key, id);
	o = seg_get_json(txn, STORE_SEGMENTS, key, 4, &found, cause);
	if (o == NULL) {
		if (!found)
			error_set(cause, _("there is no segment with id %u"),
			    (unsigned)id);
		return -1;
	}
	rc = seg_from_json(o, out, cause);
	cJSON_Delete(o);
	return rc;
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
	if (rc == 1 || vlen != 4)
		return error_set(cause, _("there is no segment '%s'"), name);
	*id = store_get_be32(val);
	return 0;
}

int
seg_save(struct store_txn *txn, const struct segment *s, char **cause)
{
	uint8_t key[4];

	store_be32(key, s->id);
	return seg_put_json(txn, STORE_SEGMENTS, key, 4, seg_to_json(s), cause);
}

/* ------------------------------------------------------------------ */
/* Run records                                                          */
/* ------------------------------------------------------------------ */

static cJSON *
seg_run_to_json(const struct run_record *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", r->id);
	cJSON_AddNumberToObject(o, "started_at", (double)r->started_at);
	cJSON_AddNumberToObject(o, "ended_at", (double)r->ended_at);
	cJSON_AddStringToObject(o, "type",
	    r->type == RUN_AUTOMATIC ? "automatic" : "manual");
	cJSON_AddStringToObject(o, "initiator",
	    r->initiator != NULL ? r->initiator : "");
	cJSON_AddNumberToObject(o, "added", (double)r->added);
	cJSON_AddNumberToObject(o, "removed", (double)r->removed);
	cJSON_AddNumberToObject(o, "total", (double)r->total);
	cJSON_AddNumberToObject(o, "status", r->status);
	if (r->error != NULL)
		cJSON_AddStringToObject(o, "error", r->error);
	cJSON_AddNumberToObject(o, "slot", (double)r->slot);
	cJSON_AddNumberToObject(o, "pid", (double)r->pid);
	cJSON_AddNumberToObject(o, "pid_start", (double)r->pid_start);
	return o;
}

static void
seg_run_from_json(const cJSON *o, struct run_record *r)
{
	const cJSON *it;

	memset(r, 0, sizeof *r);
	r->id = (uint32_t)seg_json_int(o, "id", 0);
	r->started_at = seg_json_int(o, "started_at", 0);
	r->ended_at = seg_json_int(o, "ended_at", 0);
	it = cJSON_GetObjectItemCaseSensitive(o, "type");
	r->type = cJSON_IsString(it) && strcmp(it->valuestring,
	    "automatic") == 0 ? RUN_AUTOMATIC : RUN_MANUAL;
	it = cJSON_GetObjectItemCaseSensitive(o, "initiator");
	r->initiator = xstrdup(cJSON_IsString(it) ? it->valuestring : "");
	r->added = (uint64_t)seg_json_int(o, "added", 0);
	r->removed = (uint64_t)seg_json_int(o, "removed", 0);
	r->total = (uint64_t)seg_json_int(o, "total", 0);
	r->status = (enum run_status)seg_json_int(o, "status", RUN_ERROR);
	it = cJSON_GetObjectItemCaseSensitive(o, "error");
	if (cJSON_IsString(it))
		r->error = xstrdup(it->valuestring);
	r->slot = seg_json_int(o, "slot", 0);
	r->pid = seg_json_int(o, "pid", 0);
	r->pid_start = (uint64_t)seg_json_int(o, "pid_start", 0);
}

static void
seg_run_key(uint8_t *key, uint32_t seg, uint32_t run)
{
	store_be32(key, seg);
	store_be32(key + 4, run);
}

int
seg_run_get(struct store_txn *txn, uint32_t seg, uint32_t run,
    struct run_record *r, char **cause)
{
	uint8_t key[8];
	cJSON *o;
	int found;

	seg_run_key(key, seg, run);
	o = seg_get_json(txn, STORE_RUNS, key, 8, &found, cause);
	if (o == NULL) {
		if (!found)
			error_set(cause, _("there is no run %u"), (unsigned)run);
		return -1;
	}
	seg_run_from_json(o, r);
	cJSON_Delete(o);
	return 0;
}

int
seg_run_put(struct store_txn *txn, uint32_t seg, const struct run_record *r,
    char **cause)
{
	uint8_t key[8];

	seg_run_key(key, seg, r->id);
	return seg_put_json(txn, STORE_RUNS, key, 8, seg_run_to_json(r), cause);
}

void
run_record_clear(struct run_record *r)
{
	free(r->initiator);
	free(r->error);
	memset(r, 0, sizeof *r);
}

void
run_records_free(struct run_record *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		run_record_clear(&v[i]);
	free(v);
}

int
seg_runs(struct store_txn *txn, uint32_t id, struct run_record **out,
    size_t *n, char **cause)
{
	struct store_cursor *c;
	struct run_record *v = NULL;
	const void *k, *val;
	size_t kl, vl, cnt = 0;
	uint8_t prefix[4];
	cJSON *o;
	int rc;

	store_be32(prefix, id);
	c = store_cursor_open(txn, STORE_RUNS, prefix, 4, cause);
	if (c == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &val, &vl, cause)) == 0) {
		o = cJSON_ParseWithLength(val, vl);
		if (o == NULL)
			continue;
		v = xreallocarray(v, cnt + 1, sizeof *v);
		seg_run_from_json(o, &v[cnt++]);
		cJSON_Delete(o);
	}
	store_cursor_close(c);
	if (rc < 0) {
		run_records_free(v, cnt);
		return -1;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Members and deltas                                                   */
/* ------------------------------------------------------------------ */

int
seg_members_put(struct store_txn *txn, uint32_t seg,
    const roaring_bitmap_t *bm, char **cause)
{
	uint8_t key[4];
	size_t size;
	char *p;

	store_be32(key, seg);
	size = roaring_bitmap_portable_size_in_bytes(bm);
	p = store_reserve(txn, STORE_MEMBERS, key, 4, size, cause);
	if (p == NULL)
		return -1;
	roaring_bitmap_portable_serialize(bm, p);
	return 0;
}

static roaring_bitmap_t *
seg_bitmap_read(const void *p, size_t len, char **cause)
{
	roaring_bitmap_t *bm;

	bm = roaring_bitmap_portable_deserialize_safe(p, len);
	if (bm == NULL)
		error_set(cause, _("a member set in the store is damaged"));
	return bm;
}

int
seg_members(struct store_txn *txn, uint32_t id, roaring_bitmap_t **out,
    char **cause)
{
	uint8_t key[4];
	const void *val;
	size_t vlen;
	int rc;

	store_be32(key, id);
	rc = store_get(txn, STORE_MEMBERS, key, 4, &val, &vlen, cause);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		*out = roaring_bitmap_create();
		return 0;
	}
	*out = seg_bitmap_read(val, vlen, cause);
	return *out == NULL ? -1 : 0;
}

/* A delta value: be32 length of the added bitmap, added, removed. */
int
seg_deltas_put(struct store_txn *txn, uint32_t seg, uint32_t run,
    const roaring_bitmap_t *added, const roaring_bitmap_t *removed,
    char **cause)
{
	uint8_t key[8];
	size_t sa, sr;
	uint8_t *p;

	seg_run_key(key, seg, run);
	sa = roaring_bitmap_portable_size_in_bytes(added);
	sr = roaring_bitmap_portable_size_in_bytes(removed);
	p = store_reserve(txn, STORE_DELTAS, key, 8, 4 + sa + sr, cause);
	if (p == NULL)
		return -1;
	store_be32(p, (uint32_t)sa);
	roaring_bitmap_portable_serialize(added, (char *)p + 4);
	roaring_bitmap_portable_serialize(removed, (char *)p + 4 + sa);
	return 0;
}

/* 1 when the run has no deltas. */
int
seg_deltas_get(struct store_txn *txn, uint32_t seg, uint32_t run,
    roaring_bitmap_t **added, roaring_bitmap_t **removed, char **cause)
{
	uint8_t key[8];
	const uint8_t *p;
	const void *val;
	size_t vlen, sa;
	int rc;

	seg_run_key(key, seg, run);
	rc = store_get(txn, STORE_DELTAS, key, 8, &val, &vlen, cause);
	if (rc != 0)
		return rc;
	p = val;
	if (vlen < 4 || (sa = store_get_be32(p)) > vlen - 4)
		return error_set(cause, _("a delta record in the store is "
		    "damaged"));
	*added = seg_bitmap_read(p + 4, sa, cause);
	if (*added == NULL)
		return -1;
	*removed = seg_bitmap_read(p + 4 + sa, vlen - 4 - sa, cause);
	if (*removed == NULL) {
		roaring_bitmap_free(*added);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Run owners                                                           */
/* ------------------------------------------------------------------ */

/* Field 22 of /proc/PID/stat: start time in clock ticks since boot. */
static uint64_t
seg_proc_start(int64_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;
	size_t n;
	int field;

	snprintf(path, sizeof path, "/proc/%" PRId64 "/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name may hold spaces; count fields after its ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	p++;
	for (field = 3; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %llu", &start) != 1)
		return 0;
	return start;
}

void
seg_self_owner(int64_t *pid, uint64_t *start)
{
	*pid = (int64_t)getpid();
	*start = seg_proc_start(*pid);
}

int
seg_run_owner_alive(const struct run_record *r)
{
	if (r->status != RUN_IN_PROGRESS || r->pid <= 0)
		return 0;
	if (kill((pid_t)r->pid, 0) != 0 && errno != EPERM)
		return 0;
	/* A recycled pid belongs to a process that started at another time. */
	if (r->pid_start != 0 && seg_proc_start(r->pid) != r->pid_start)
		return 0;
	return 1;
}

uint32_t
seg_check_running(struct store_txn *txn, struct segment *s)
{
	struct run_record r;
	uint32_t run = s->running_run_id;
	char *cause = NULL;

	if (run == 0)
		return 0;
	if (seg_run_get(txn, s->id, run, &r, &cause) != 0) {
		free(cause);
		s->running_run_id = 0;
		return run;
	}
	if (!seg_run_owner_alive(&r))
		s->running_run_id = 0;
	run_record_clear(&r);
	return s->running_run_id == 0 ? run : 0;
}

int
seg_stale(const struct segment *s, int64_t now, int64_t *due)
{
	int64_t slot, since;
	char *cause = NULL;

	if (s->kind != SEG_SCHEDULED || !s->has_sched ||
	    s->state != SEG_ACTIVE)
		return 0;
	if (sched_prev(&s->sched, now - SEG_STALE_SLACK, &slot, &cause) != 0) {
		free(cause);
		return 0;
	}
	since = s->last_success_at > s->active_since ? s->last_success_at :
	    s->active_since;
	if (slot <= since)
		return 0;
	if (due != NULL)
		*due = slot;
	return 1;
}

int
seg_sched_ended(const struct segment *s, int64_t now)
{
	int64_t next;
	char *cause = NULL;
	int rc;

	if (s->kind != SEG_SCHEDULED || !s->has_sched)
		return 0;
	rc = sched_next(&s->sched, now, &next, &cause);
	free(cause);
	return rc == 1;
}

int
seg_is_updating(const struct segment *s)
{
	return s->running_run_id != 0;
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
	uint32_t id;

	if (seg_lookup_id(txn, name, &id, cause) != 0)
		return -1;
	return seg_get_by_id(txn, id, out, cause);
}

static int
seg_cmp_name(const void *a, const void *b)
{
	const struct segment *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

int
seg_list_stored(struct store_txn *txn, struct segment ***out, size_t *n,
    char **cause)
{
	struct store_cursor *c;
	struct segment **v = NULL, *s;
	const void *k, *val;
	size_t kl, vl, cnt = 0;
	cJSON *o;
	int rc;

	c = store_cursor_open(txn, STORE_SEGMENTS, NULL, 0, cause);
	if (c == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &val, &vl, cause)) == 0) {
		o = cJSON_ParseWithLength(val, vl);
		if (o == NULL)
			continue;
		rc = seg_from_json(o, &s, cause);
		cJSON_Delete(o);
		if (rc != 0)
			break;
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

int
seg_next_run(const struct segment *s, int64_t now, int64_t *next,
    char **cause)
{
	if (s->kind != SEG_SCHEDULED || !s->has_sched || s->state != SEG_ACTIVE)
		return 1;
	return sched_next(&s->sched, now, next, cause);
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

/* cond_check's test for "in segment" names; arg is the transaction. */
static int
seg_exists_cb(void *arg, const char *name)
{
	struct store_txn *txn = arg;
	const void *val;
	size_t vlen;
	char *cause = NULL;
	int rc;

	rc = store_get(txn, STORE_SEGNAMES, name, strlen(name), &val, &vlen,
	    &cause);
	free(cause);
	return rc == 0;
}

struct seg_names {
	char	**v;
	size_t	  n;
};

static void
seg_names_add(void *arg, const char *name)
{
	struct seg_names *ns = arg;

	ns->v = xreallocarray(ns->v, ns->n + 1, sizeof *ns->v);
	ns->v[ns->n++] = xstrdup(name);
}

/*
 * Depth-first walk of "in segment" references from cond; path holds the
 * names from the segment being saved.  Returns -1 with the cycle in cause.
 */
static int
seg_check_cycle(struct store_txn *txn, const struct cond *cond,
    struct seg_names *path, int depth, char **cause)
{
	struct seg_names refs = { NULL, 0 };
	struct segment *s;
	struct strbuf sb = STRBUF_INIT;
	uint32_t id;
	size_t i, j;
	int rc = 0;
	char *c2 = NULL;

	if (cond == NULL || depth > 64)
		return 0;
	cond_segments(cond, seg_names_add, &refs);
	for (i = 0; i < refs.n && rc == 0; i++) {
		if (strcmp(refs.v[i], path->v[0]) == 0) {
			for (j = 0; j < path->n; j++)
				sb_printf(&sb, "%s -> ", path->v[j]);
			sb_puts(&sb, path->v[0]);
			rc = error_set(cause, _("segment '%s' would depend on "
			    "itself: %s"), path->v[0], sb.buf);
			sb_free(&sb);
			break;
		}
		if (seg_lookup_id(txn, refs.v[i], &id, &c2) != 0 ||
		    seg_load(txn, id, &s, &c2) != 0) {
			free(c2);
			c2 = NULL;
			continue;
		}
		seg_names_add(path, refs.v[i]);
		rc = seg_check_cycle(txn, s->cond, path, depth + 1, cause);
		free(path->v[--path->n]);
		seg_free(s);
	}
	seg_strv_free(refs.v, refs.n);
	return rc;
}

static int
seg_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Tags and groups are written as one comma-separated list (segment
 * dump, show, list), which trims its items: so each must read back the
 * same.
 */
static int
seg_check_labels(const struct segment *s, char **v, size_t n, int groups,
    char **cause)
{
	size_t i, j, len;

	for (i = 0; i < n; i++) {
		len = strlen(v[i]);
		for (j = 0; j < len; j++) {
			if ((unsigned char)v[i][j] < 0x20 || v[i][j] == ',')
				break;
		}
		if (len == 0 || j < len || seg_blank(v[i][0]) ||
		    seg_blank(v[i][len - 1]))
			return error_set(cause, groups ?
			    _("segment '%s': group '%s' may not be empty, hold "
			    "a comma or a control character, or start or end "
			    "with a blank") :
			    _("segment '%s': tag '%s' may not be empty, hold a "
			    "comma or a control character, or start or end "
			    "with a blank"), s->name, v[i]);
	}
	return 0;
}

/*
 * Whether s's schedule differs from the one stored for segment self_id
 * (0: a new segment).  Only a new or changed schedule is checked against
 * now, so that a segment whose schedule has ended stays editable.
 */
static int
seg_sched_changed(struct store_txn *txn, const struct segment *s,
    uint32_t self_id)
{
	struct segment *old;
	char *cause = NULL;
	int changed;

	if (self_id == 0)
		return 1;
	if (seg_load(txn, self_id, &old, &cause) != 0) {
		free(cause);
		return 1;
	}
	changed = old->kind != s->kind || !old->has_sched ||
	    !sched_equal(&old->sched, &s->sched);
	seg_free(old);
	return changed;
}

int
seg_validate(struct store_txn *txn, const struct segment *s, uint32_t self_id,
    int64_t now, char **cause)
{
	struct pdb_schema *schema = NULL;
	struct seg_names path = { NULL, 0 };
	char *c2 = NULL;
	uint32_t id;
	size_t i;
	int rc;

	if (s->name == NULL || *s->name == '\0')
		return error_set(cause, _("a segment needs a name"));
	for (i = 0; s->name[i] != '\0'; i++) {
		if ((unsigned char)s->name[i] < 0x20)
			return error_set(cause, _("segment name '%s' holds a "
			    "control character"), s->name);
	}
	if (seg_blank(s->name[0]) || seg_blank(s->name[i - 1]))
		return error_set(cause, _("segment name '%s' starts or ends "
		    "with a blank"), s->name);
	if (seg_check_labels(s, s->tags, s->ntags, 0, cause) != 0 ||
	    seg_check_labels(s, s->groups, s->ngroups, 1, cause) != 0)
		return -1;
	rc = store_get(txn, STORE_SEGNAMES, s->name, strlen(s->name),
	    &(const void *){ NULL }, &(size_t){ 0 }, cause);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (seg_lookup_id(txn, s->name, &id, cause) != 0)
			return -1;
		if (id != self_id)
			return error_set(cause, _("a segment named '%s' already "
			    "exists"), s->name);
	}
	if (s->db == NULL || *s->db == '\0')
		return error_set(cause, _("segment '%s' needs a database"),
		    s->name);
	if (pdb_open(txn, s->db, &schema, &c2) != 0) {
		error_set(cause, _("segment '%s': %s"), s->name, c2);
		free(c2);
		return -1;
	}
	if (s->kind == SEG_STATIC) {
		schema_free(schema);
		if ((s->cond != NULL && !(s->cond->kind == CK_AND &&
		    s->cond->nkids == 0)) || s->range_lo != 0 ||
		    s->range_hi != 10000 || s->limit != -1 || s->has_sched)
			return error_set(cause, _("segment '%s' is static: it "
			    "has no conditions, range, limit or schedule"),
			    s->name);
		return 0;
	}
	if (s->cond != NULL) {
		if (cond_check(s->cond, schema, seg_exists_cb, txn, &c2) != 0) {
			schema_free(schema);
			error_set(cause, _("segment '%s': %s"), s->name, c2);
			free(c2);
			return -1;
		}
	}
	schema_free(schema);
	seg_names_add(&path, s->name);
	rc = seg_check_cycle(txn, s->cond, &path, 0, cause);
	seg_strv_free(path.v, path.n);
	if (rc != 0)
		return -1;
	if (s->range_hi > 10000 || s->range_lo >= s->range_hi)
		return error_set(cause, _("segment '%s': the range start must "
		    "be below its end, both within 0-100"), s->name);
	if (s->limit != -1 && s->limit < 1)
		return error_set(cause, _("segment '%s': the limit must be at "
		    "least 1"), s->name);
	if (s->has_sched && seg_sched_changed(txn, s, self_id) &&
	    (sched_validate(&s->sched, now, &c2) != 0 ||
	    sched_check_runs(&s->sched, now, &c2) != 0)) {
		error_set(cause, _("segment '%s': schedule: %s"), s->name, c2);
		free(c2);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing definitions                                                  */
/* ------------------------------------------------------------------ */

struct seg_write_arg {
	const struct segment	*def;
	const char		*name;
	uint32_t		 id;
	int			 force;
	enum seg_state		 state;
	int64_t			 slot;
};

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
	s->id = old->id;
	s->created_at = old->created_at;
	s->updated_at = now;
	s->nmembers = old->nmembers;
	s->last_run_id = old->last_run_id;
	s->last_run_at = old->last_run_at;
	s->last_success_at = old->last_success_at;
	s->running_run_id = 0;
	s->run_seq = old->run_seq;
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

/* ------------------------------------------------------------------ */
/* Scheduler bookkeeping                                                */
/* ------------------------------------------------------------------ */

static int
seg_state_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_write_arg *a = arg;
	struct segment *s;
	int rc;

	if (seg_get(txn, a->name, &s, cause) != 0)
		return -1;
	if (s->kind != SEG_SCHEDULED || !s->has_sched) {
		error_set(cause, _("segment '%s' has no schedule to start or "
		    "stop"), s->name);
		seg_free(s);
		return -1;
	}
	/* Resuming does not catch up the slots missed while stopped. */
	if (a->state == SEG_ACTIVE && s->state == SEG_STOPPED)
		s->last_handled = s->active_since = tu_now();
	s->state = a->state;
	rc = seg_save(txn, s, cause);
	seg_free(s);
	return rc;
}

int
seg_set_state(struct store *st, const char *name, enum seg_state state,
    char **cause)
{
	struct seg_write_arg a = { .name = name, .state = state };

	return store_write(st, seg_state_cb, &a, cause);
}

static int
seg_handled_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_write_arg *a = arg;
	struct segment *s;
	int rc;

	if (seg_load(txn, a->id, &s, cause) != 0)
		return -1;
	if (a->slot > s->last_handled)
		s->last_handled = a->slot;
	rc = seg_save(txn, s, cause);
	seg_free(s);
	return rc;
}

int
seg_set_last_handled(struct store *st, uint32_t id, int64_t slot,
    char **cause)
{
	struct seg_write_arg a = { .id = id, .slot = slot };

	return store_write(st, seg_handled_cb, &a, cause);
}

static int
seg_skipped_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_write_arg *a = arg;
	struct run_record r;
	struct segment *s;
	int64_t now = tu_now();
	int rc;

	if (seg_load(txn, a->id, &s, cause) != 0)
		return -1;
	memset(&r, 0, sizeof r);
	r.id = ++s->run_seq;
	r.started_at = r.ended_at = now;
	r.type = RUN_AUTOMATIC;
	r.initiator = (char *)"System";
	r.status = RUN_SKIPPED;
	r.slot = a->slot;
	r.total = s->nmembers;
	if (a->slot > s->last_handled)
		s->last_handled = a->slot;
	rc = seg_run_put(txn, s->id, &r, cause);
	if (rc == 0)
		rc = seg_save(txn, s, cause);
	seg_free(s);
	return rc;
}

int
seg_log_skipped(struct store *st, uint32_t id, int64_t slot, char **cause)
{
	struct seg_write_arg a = { .id = id, .slot = slot };

	return store_write(st, seg_skipped_cb, &a, cause);
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
