/*
 * What runs leave in the store: run records (the log), members and
 * per-run deltas; the owner of an in-progress run (pid and start time)
 * and whether it is still alive; the schedule's view of a segment (next
 * run, stale, ended) and the scheduler's bookkeeping (stop and start,
 * last slot handled, Skipped runs).  See README, "Schedules and the
 * scheduler".
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
#include "proc.h"
#include "segment.h"
#include "segment_int.h"
#include "timeutil.h"

/* ------------------------------------------------------------------ */
/* Run records                                                          */
/* ------------------------------------------------------------------ */

static cJSON *
seg_run_to_json(const struct run_record *r)
{
	cJSON *o = cJSON_CreateObject();
	char boot[2 * PROC_BOOT_ID + 1];
	int i;

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
	if (r->pid != 0) {
		for (i = 0; i < PROC_BOOT_ID; i++)
			snprintf(boot + 2 * i, 3, "%02x", r->pid_boot[i]);
		cJSON_AddStringToObject(o, "pid_boot", boot);
	}
	return o;
}

static void
seg_run_from_json(const cJSON *o, struct run_record *r)
{
	const cJSON *it;
	unsigned x;
	int i;

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
	/* Older records have no boot: the pid and start time alone. */
	it = cJSON_GetObjectItemCaseSensitive(o, "pid_boot");
	if (cJSON_IsString(it) && strlen(it->valuestring) == 2 * PROC_BOOT_ID)
		for (i = 0; i < PROC_BOOT_ID; i++)
			if (sscanf(it->valuestring + 2 * i, "%2x", &x) == 1)
				r->pid_boot[i] = (uint8_t)x;
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
seg_runs_stored(struct store_txn *txn, uint32_t id, struct run_record **out,
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

/*
 * A run whose owner is gone reads as what the next write will make of it
 * (Error, "interrupted"), also for a reader who may not write the store.
 */
int
seg_runs(struct store_txn *txn, uint32_t id, struct run_record **out,
    size_t *n, char **cause)
{
	struct run_record *r;
	size_t i;

	if (seg_runs_stored(txn, id, out, n, cause) != 0)
		return -1;
	for (i = 0; i < *n; i++) {
		r = &(*out)[i];
		if (r->status != RUN_IN_PROGRESS || seg_run_owner_alive(r))
			continue;
		r->status = RUN_ERROR;
		free(r->error);
		r->error = xstrdup(_("interrupted"));
		r->pid = 0;
		r->pid_start = 0;
	}
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

int
seg_with_member(struct store_txn *txn, const char *db, uint32_t pno,
    struct segment ***out, size_t *n, char **cause)
{
	struct segment **all = NULL;
	roaring_bitmap_t *bm;
	size_t nall = 0, i;

	*out = NULL;
	*n = 0;
	if (seg_list(txn, &all, &nall, cause) != 0)
		return -1;
	*out = xcalloc(nall + 1, sizeof **out);
	for (i = 0; i < nall; i++) {
		if (strcmp(all[i]->db, db) != 0) {
			seg_free(all[i]);
			continue;
		}
		if (seg_members(txn, all[i]->id, &bm, cause) != 0) {
			for (; i < nall; i++)
				seg_free(all[i]);
			free(all);
			seg_list_free(*out, *n);
			*out = NULL;
			*n = 0;
			return -1;
		}
		if (roaring_bitmap_contains(bm, pno))
			(*out)[(*n)++] = all[i];
		else
			seg_free(all[i]);
		roaring_bitmap_free(bm);
	}
	free(all);
	return 0;
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

void
seg_self_owner(struct run_record *r)
{
	r->pid = (int64_t)getpid();
	r->pid_start = proc_start_ticks((long)r->pid);
	proc_boot_id(r->pid_boot);
}

int
seg_run_owner_alive(const struct run_record *r)
{
	return r->status == RUN_IN_PROGRESS &&
	    proc_alive((long)r->pid, r->pid_start, r->pid_boot);
}

int
seg_run_interrupt(struct store_txn *txn, uint32_t seg, struct run_record *r,
    uint64_t total, char **cause)
{
	if (r->status != RUN_IN_PROGRESS)
		return 0;
	r->status = RUN_ERROR;
	r->ended_at = tu_now();
	if (r->ended_at < r->started_at)
		r->ended_at = r->started_at;
	free(r->error);
	r->error = xstrdup(_("interrupted"));
	r->total = total;
	r->pid = 0;
	r->pid_start = 0;
	return seg_run_put(txn, seg, r, cause);
}

/*
 * Before a segment record replaces the stored one: a run the stored one
 * calls running, which the new one drops, is closed as interrupted when
 * its owner is gone, so that no edit, rename or stop made after a crash
 * leaves its run In progress with nothing pointing at it any more.
 */
int
seg_run_settle(struct store_txn *txn, const struct segment *s, char **cause)
{
	struct segment *old = NULL;
	struct run_record r;
	char *c2 = NULL;
	int rc = 0;

	if (seg_load(txn, s->id, &old, &c2) != 0) {
		/* A new segment, or a record replaced whole anyway. */
		free(c2);
		return 0;
	}
	if (old->running_run_id != 0 &&
	    old->running_run_id != s->running_run_id &&
	    seg_run_get(txn, s->id, old->running_run_id, &r, &c2) == 0) {
		if (!seg_run_owner_alive(&r))
			rc = seg_run_interrupt(txn, s->id, &r, old->nmembers,
			    cause);
		run_record_clear(&r);
	}
	free(c2);
	seg_free(old);
	return rc;
}

int
seg_runs_settle(struct store_txn *txn, const struct segment *s,
    unsigned *n, char **cause)
{
	struct run_record *v;
	size_t cnt, i;
	int rc = 0;

	if (seg_runs_stored(txn, s->id, &v, &cnt, cause) != 0)
		return -1;
	for (i = 0; i < cnt && rc == 0; i++) {
		if (v[i].status != RUN_IN_PROGRESS ||
		    seg_run_owner_alive(&v[i]))
			continue;
		rc = seg_run_interrupt(txn, s->id, &v[i], s->nmembers, cause);
		if (rc == 0 && n != NULL)
			(*n)++;
	}
	run_records_free(v, cnt);
	return rc;
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

/* ------------------------------------------------------------------ */
/* The schedule's view of a segment                                    */
/* ------------------------------------------------------------------ */

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

int
seg_next_run(const struct segment *s, int64_t now, int64_t *next,
    char **cause)
{
	if (s->kind != SEG_SCHEDULED || !s->has_sched || s->state != SEG_ACTIVE)
		return 1;
	return sched_next(&s->sched, now, next, cause);
}

/* ------------------------------------------------------------------ */
/* Scheduler bookkeeping                                                */
/* ------------------------------------------------------------------ */

struct seg_sched_arg {
	const char		*name;
	uint32_t		 id;
	enum seg_state		 state;
	int64_t			 slot;
};

static int
seg_state_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_sched_arg *a = arg;
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
	struct seg_sched_arg a = { .name = name, .state = state };

	return store_write(st, seg_state_cb, &a, cause);
}

static int
seg_handled_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_sched_arg *a = arg;
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
	struct seg_sched_arg a = { .id = id, .slot = slot };

	return store_write(st, seg_handled_cb, &a, cause);
}

static int
seg_skipped_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct seg_sched_arg *a = arg;
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
	struct seg_sched_arg a = { .id = id, .slot = slot };

	return store_write(st, seg_skipped_cb, &a, cause);
}
