/*
 * Recalculation (README, "Segments"): one read scan, the diff against the
 * current members, and one write transaction for members, deltas, the
 * run record and the segment's statistics.  The In progress record is
 * written first in its own small transaction so other processes see the
 * run and refuse a second one; its owner's pid and start time tell a live
 * run from one a crash left behind.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "bucket.h"
#include "engine.h"
#include "eval.h"
#include "extquery.h"
#include "hooks.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "segment_int.h"
#include "timeutil.h"

struct recalc_ref {
	char			*name;
	roaring_bitmap_t	*members;
	char			*db;		/* the segment's database */
	char			**keys;		/* its members' keys (SQL) */
	size_t			 nkeys;
	int			 have_keys;
};

struct recalc_refs {
	struct store_txn	*txn;
	const struct segment	*self;		/* the segment run */
	int			 sql;		/* runs on an attached database */
	int			 automatic;	/* acts for nobody: seg_may_use */
	struct recalc_ref	*v;
	size_t			 n;
	int			 failed;
	char			*cause;
	struct extquery_set	*queries;	/* values of "in query" */
};

static const roaring_bitmap_t *
recalc_ref_members(void *arg, const char *name)
{
	struct recalc_refs *r = arg;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->v[i].name, name) == 0)
			return r->v[i].members;
	}
	return NULL;
}

/* Translating members of another database by key (seg_members_by_key). */
struct recalc_xlate {
	struct store_txn	*txn;
	const struct pdb_schema	*to;
	roaring_bitmap_t	*out;
	char			*cause;
};

static int
recalc_xlate_key(void *arg, uint32_t pno, const char *key, size_t len)
{
	struct recalc_xlate *x = arg;
	uint32_t here;
	int rc;

	(void)pno;
	rc = pdb_lookup(x->txn, x->to, key, len, &here, &x->cause);
	if (rc < 0)
		return -1;
	if (rc == 0)
		roaring_bitmap_add(x->out, here);
	return 0;
}

/*
 * "in segment" naming a segment of another database: its members are
 * profile numbers of that database, so they are taken over by key (the
 * same key is the same customer), as the SQL of an attached database
 * does; keys this database lacks are in no profile here.
 */
int
seg_members_by_key(struct store_txn *txn, const char *from_db,
    const char *to_db, roaring_bitmap_t **bm, char **cause)
{
	struct pdb_schema *from = NULL, *to = NULL;
	struct recalc_xlate x;
	int rc = -1;

	memset(&x, 0, sizeof x);
	if (pdb_open(txn, from_db, &from, cause) != 0 ||
	    pdb_open(txn, to_db, &to, cause) != 0)
		goto out;
	x.txn = txn;
	x.to = to;
	x.out = roaring_bitmap_create();
	if (pdb_scan_keys(txn, from, *bm, recalc_xlate_key, &x, cause) != 0) {
		if (x.cause != NULL) {
			free(*cause);
			*cause = x.cause;
			x.cause = NULL;
		}
		roaring_bitmap_free(x.out);
		goto out;
	}
	roaring_bitmap_free(*bm);
	*bm = x.out;
	rc = 0;
out:
	free(x.cause);
	if (from != NULL)
		schema_free(from);
	if (to != NULL)
		schema_free(to);
	return rc;
}

static void
recalc_ref_add(void *arg, const char *name)
{
	struct recalc_refs *r = arg;
	struct segment *s = NULL;
	roaring_bitmap_t *bm;
	uint32_t id;
	int rc;

	if (r->failed || recalc_ref_members(r, name) != NULL)
		return;
	rc = seg_lookup_id(r->txn, name, &id, &r->cause);
	if (rc == 0 && seg_load(r->txn, id, &s, &r->cause) != 0)
		rc = -1;
	/* One this run may not read is missing, in the same words. */
	if (rc == 0 && !seg_may_use(r->self, s, r->automatic)) {
		seg_free(s);
		s = NULL;
		rc = 1;
	}
	if (rc == 1) {
		/* Deleted, users and all, after this segment was saved. */
		free(r->cause);
		r->cause = NULL;
		error_set(&r->cause, _("its condition uses segment '%s', which "
		    "no longer exists"), name);
	}
	if (rc != 0 || seg_require_calculated(s, &r->cause) != 0 ||
	    seg_members(r->txn, id, &bm, &r->cause) != 0) {
		seg_free(s);
		r->failed = 1;
		return;
	}
	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	memset(&r->v[r->n], 0, sizeof r->v[r->n]);
	r->v[r->n].db = xstrdup(s->db);
	/* The evaluator over the store compares profile numbers. */
	if (r->self != NULL && strcmp(s->db, r->self->db) != 0 &&
	    !r->sql) {
		if (seg_members_by_key(r->txn, s->db, r->self->db, &bm,
		    &r->cause) != 0) {
			roaring_bitmap_free(bm);
			seg_free(s);
			r->failed = 1;
			return;
		}
		free(r->v[r->n].db);
		r->v[r->n].db = xstrdup(r->self->db);
	}
	seg_free(s);
	r->v[r->n].name = xstrdup(name);
	r->v[r->n].members = bm;
	r->n++;
}

static int
recalc_ref_key(void *arg, uint32_t pno, const char *key, size_t len)
{
	struct recalc_ref *ref = arg;

	(void)pno;
	ref->keys = xreallocarray(ref->keys, ref->nkeys + 1,
	    sizeof *ref->keys);
	ref->keys[ref->nkeys++] = xstrndup(key, len);
	return 0;
}

/* The keys of a used segment's members, for the SQL of "in segment". */
static int
recalc_ref_keys(void *arg, const char *name, const char *const **keys,
    size_t *nkeys, char **cause)
{
	struct recalc_refs *r = arg;
	size_t i;

	struct pdb_schema *db;
	int rc;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->v[i].name, name) != 0)
			continue;
		if (!r->v[i].have_keys) {
			if (pdb_open(r->txn, r->v[i].db, &db, cause) != 0)
				return -1;
			rc = pdb_scan_keys(r->txn, db, r->v[i].members,
			    recalc_ref_key, &r->v[i], cause);
			schema_free(db);
			if (rc != 0)
				return -1;
		}
		r->v[i].have_keys = 1;
		*keys = (const char *const *)r->v[i].keys;
		*nkeys = r->v[i].nkeys;
		return 0;
	}
	return error_set(cause, _("its condition uses segment '%s', which "
	    "no longer exists"), name);
}

static void
recalc_refs_free(struct recalc_refs *r)
{
	size_t i;
	size_t k;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].db);
		roaring_bitmap_free(r->v[i].members);
		for (k = 0; k < r->v[i].nkeys; k++)
			free(r->v[i].keys[k]);
		free(r->v[i].keys);
	}
	free(r->v);
	free(r->cause);
	extquery_set_free(r->queries);
}

/*
 * Compiles a segment's query; refs (in an open read transaction) gets
 * the members of the segments its conditions use.
 */
static int
recalc_compile(const struct segment *s, const struct pdb_schema *schema,
    int64_t now, struct recalc_refs *refs, struct eval_prog **ep,
    char **cause)
{
	struct eval_query q;
	struct eval_env env;

	if (s->cond != NULL)
		cond_segments(s->cond, recalc_ref_add, refs);
	if (refs->failed)
		return error_set(cause, "%s", refs->cause);
	q.cond = s->cond;
	q.range_lo = s->range_lo;
	q.range_hi = s->range_hi;
	q.limit = s->limit;
	memset(&env, 0, sizeof env);
	env.now = now;
	env.tz = s->has_sched ? s->sched.tz : NULL;
	env.segment_members = recalc_ref_members;
	env.arg = refs;
	env.query_values = extquery_set_values;
	env.qarg = refs->queries;
	return eval_compile(schema, &q, &env, ep, cause);
}

/* The query and SQL environment of a segment on an attached database. */
static int
recalc_sql_env(const struct segment *s, int64_t now,
    struct recalc_refs *refs, struct eval_query *q, struct sql_env *env,
    char **cause)
{
	if (s->cond != NULL)
		cond_segments(s->cond, recalc_ref_add, refs);
	if (refs->failed)
		return error_set(cause, "%s", refs->cause);
	q->cond = s->cond;
	q->range_lo = s->range_lo;
	q->range_hi = s->range_hi;
	q->limit = s->limit;
	memset(env, 0, sizeof *env);
	env->now = now;
	env->tz = s->has_sched ? s->sched.tz : NULL;
	env->segment_keys = recalc_ref_keys;
	env->arg = refs;
	env->query_values = extquery_set_values;
	env->qarg = refs->queries;
	return 0;
}

/*
 * Tests only: with RESEG_TEST_SLOW_RUN=MS every progress report of a
 * scan sleeps MS milliseconds (in slices, so a cancel is still seen at
 * once), which makes any run (manual, automatic, from the UI) last long
 * enough for a signal to land in it.
 */
static void
recalc_slow_progress(void *arg, uint64_t scanned, uint64_t total)
{
	const struct recalc_opts *o = arg;
	struct timespec ts = { 0, 10 * 1000000L };
	int left;

	if (o->progress != NULL)
		o->progress(o->progress_arg, scanned, total);
	for (left = engine_faults()->slow_run_ms; left > 0 &&
	    (o->cancel == NULL || !*o->cancel); left -= 10)
		nanosleep(&ts, NULL);
}

/* The scan's progress reports and cancel flag, as the options say. */
static void
recalc_progress(const struct recalc_opts *o, struct eval_progress *prog)
{
	prog->fn = o->progress;
	prog->arg = o->progress_arg;
	if (engine_faults()->slow_run_ms > 0) {
		prog->fn = recalc_slow_progress;
		prog->arg = (void *)o;
	}
	prog->cancel = o->cancel;
}

/*
 * Evaluates a segment's query in one read transaction; *out receives the
 * new members and *old the current ones.
 */
static int
recalc_evaluate(struct store *st, const struct segment *s, int64_t now,
    const struct recalc_opts *o, roaring_bitmap_t **out,
    roaring_bitmap_t **old, struct attach_new *nk, char **cause)
{
	struct eval_query q;
	struct sql_env senv;
	struct store_txn *txn;
	struct pdb_schema *schema = NULL;
	struct recalc_refs refs;
	struct eval_progress prog;
	struct eval_prog *ep = NULL;
	roaring_bitmap_t *bm = NULL;
	int rc = -1;

	*out = *old = NULL;
	memset(&refs, 0, sizeof refs);
	/* The servers of "in query" are asked before the store is read. */
	if (extquery_prefetch(st, s->cond, now, &refs.queries, cause) != 0)
		return -1;
	if (store_read_begin(st, &txn, cause) != 0) {
		recalc_refs_free(&refs);
		return -1;
	}
	refs.txn = txn;
	refs.self = s;
	refs.automatic = o->type == RUN_AUTOMATIC;
	if (pdb_open(txn, s->db, &schema, cause) != 0)
		goto out;
	refs.sql = attach_is(schema);
	if (attach_is(schema)) {
		bm = roaring_bitmap_create();
		if (recalc_sql_env(s, now, &refs, &q, &senv, cause) != 0 ||
		    attach_scan(txn, schema, &q, &senv, o->cancel, bm, nk,
		    cause) != 0)
			goto out;
		goto done;
	}
	if (recalc_compile(s, schema, now, &refs, &ep, cause) != 0)
		goto out;
	recalc_progress(o, &prog);
	bm = roaring_bitmap_create();
	if (eval_run(ep, txn, o->nthreads, &prog, bm, cause) != 0)
		goto out;
done:
	if (o->cancel != NULL && *o->cancel) {
		error_set(cause, "%s", _("recalculation cancelled"));
		goto out;
	}
	if (seg_members(txn, s->id, old, cause) != 0)
		goto out;
	*out = bm;
	bm = NULL;
	rc = 0;
out:
	if (bm != NULL)
		roaring_bitmap_free(bm);
	if (ep != NULL)
		eval_free(ep);
	if (schema != NULL)
		schema_free(schema);
	recalc_refs_free(&refs);
	store_read_end(txn);
	return rc;
}

struct recalc_arg {
	const char		*name;
	const struct recalc_opts *o;
	int64_t			 now;
	struct segment		*seg;		/* out of begin */
	struct run_record	 run;
	roaring_bitmap_t	*members;	/* new members, commit */
	struct attach_new	 newkeys;	/* attached: keys to number */
	const char		*error;		/* fail */
	int			 refused;
};

static int
recalc_begin_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct recalc_arg *a = arg;
	struct segment *s;
	uint32_t id;

	seg_free(a->seg);
	a->seg = NULL;
	run_record_clear(&a->run);
	a->refused = 0;
	if (seg_lookup_id(txn, a->name, &id, cause) != 0 ||
	    seg_load(txn, id, &s, cause) != 0) {
		a->refused = 1;
		return -1;
	}
	(void)seg_check_running(txn, s);
	if (s->kind != SEG_SCHEDULED) {
		error_set(cause, _("segment '%s' is static: it is filled by "
		    "hand, not recalculated"), s->name);
		goto refuse;
	}
	if (seg_refuse_updating(txn, s, cause) != 0)
		goto refuse;
	a->seg = s;
	if (a->o->dry_run)
		return 0;
	/* The stored records may still call dead runs In progress. */
	if (seg_runs_settle(txn, s, NULL, cause) != 0)
		return -1;
	memset(&a->run, 0, sizeof a->run);
	a->run.id = ++s->run_seq;
	a->run.started_at = a->now;
	a->run.type = a->o->type;
	a->run.initiator = xstrdup(a->o->initiator != NULL ?
	    a->o->initiator : (a->o->type == RUN_AUTOMATIC ? "System" :
	    util_login_name()));
	a->run.status = RUN_IN_PROGRESS;
	a->run.total = s->nmembers;
	a->run.slot = a->o->slot;
	seg_self_owner(&a->run);
	s->running_run_id = a->run.id;
	if (a->o->type == RUN_AUTOMATIC && a->o->slot > s->last_handled)
		s->last_handled = a->o->slot;
	if (seg_run_put(txn, s->id, &a->run, cause) != 0)
		return -1;
	return seg_save(txn, s, cause);
refuse:
	a->refused = 1;
	seg_free(s);
	return -1;
}

static int
recalc_commit_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct recalc_arg *a = arg;
	roaring_bitmap_t *old = NULL, *added = NULL, *removed = NULL;
	struct segment *s;
	struct run_record r;
	int rc = -1;

	if (seg_load(txn, a->seg->id, &s, cause) != 0)
		return -1;
	if (seg_members(txn, s->id, &old, cause) != 0)
		goto out;
	if (attach_commit(txn, s->db, &a->newkeys, a->members, cause) != 0)
		goto out;
	added = roaring_bitmap_andnot(a->members, old);
	removed = roaring_bitmap_andnot(old, a->members);
	r = a->run;
	r.ended_at = tu_now();
	if (r.ended_at < r.started_at)
		r.ended_at = r.started_at;
	r.added = roaring_bitmap_get_cardinality(added);
	r.removed = roaring_bitmap_get_cardinality(removed);
	r.total = roaring_bitmap_get_cardinality(a->members);
	r.status = RUN_COMPLETED;
	r.pid = 0;
	r.pid_start = 0;
	s->nmembers = r.total;
	s->last_run_id = r.id;
	s->last_run_at = s->last_success_at = r.ended_at;
	s->running_run_id = 0;
	if (seg_members_put(txn, s->id, a->members, cause) != 0 ||
	    seg_deltas_put(txn, s->id, r.id, added, removed, cause) != 0 ||
	    seg_run_put(txn, s->id, &r, cause) != 0 ||
	    seg_save(txn, s, cause) != 0)
		goto out;
	a->run.ended_at = r.ended_at;
	a->run.added = r.added;
	a->run.removed = r.removed;
	a->run.total = r.total;
	a->run.status = RUN_COMPLETED;
	a->run.pid = 0;
	a->run.pid_start = 0;
	rc = 0;
out:
	if (added != NULL)
		roaring_bitmap_free(added);
	if (removed != NULL)
		roaring_bitmap_free(removed);
	if (old != NULL)
		roaring_bitmap_free(old);
	seg_free(s);
	return rc;
}

static int
recalc_fail_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct recalc_arg *a = arg;
	struct segment *s;
	struct run_record r;
	int rc;

	if (seg_load(txn, a->seg->id, &s, cause) != 0)
		return -1;
	r = a->run;
	r.ended_at = tu_now();
	if (r.ended_at < r.started_at)
		r.ended_at = r.started_at;
	r.status = RUN_ERROR;
	r.error = (char *)a->error;
	r.total = s->nmembers;
	r.pid = 0;
	r.pid_start = 0;
	s->last_run_id = r.id;
	s->last_run_at = r.ended_at;
	if (s->running_run_id == r.id)
		s->running_run_id = 0;
	rc = seg_run_put(txn, s->id, &r, cause);
	if (rc == 0)
		rc = seg_save(txn, s, cause);
	if (rc == 0) {
		a->run.ended_at = r.ended_at;
		a->run.status = RUN_ERROR;
		a->run.total = r.total;
		a->run.pid = 0;
		a->run.pid_start = 0;
	}
	seg_free(s);
	return rc;
}

/*
 * A test asked (engine_faults) to die here, between scan and commit: the
 * store must then keep the previous members and log the run as
 * interrupted.
 */
static void
recalc_test_hook(const char *where)
{
	const char *v = engine_faults()->abort_at;

	if (v != NULL && strcmp(v, where) == 0)
		abort();
}

/* Which run of which segment failed, and why (the run's error text). */
static void
recalc_fail_cause(const struct recalc_arg *a, char **cause)
{
	error_set(cause, _("segment '%s' (run %u): %s"), a->seg->name,
	    (unsigned)a->run.id, a->error);
}

/*
 * A run failed with err: logged as Error (as well as the store lets it;
 * a failure to log is dropped, the run's own error being the one to
 * tell) and *cause says which run and why.
 */
static void
recalc_log_fail(struct store *st, struct recalc_arg *a, char *err,
    char **cause)
{
	char *c2 = NULL;

	a->error = err;
	if (store_write(st, recalc_fail_cb, a, &c2) != 0)
		free(c2);
	recalc_fail_cause(a, cause);
}

/*
 * The end of a run, done or failed (rc): its record into *out (when not
 * NULL), the hooks, and a's memory freed.
 */
static void
recalc_finish(struct store *st, struct recalc_arg *a, int rc, char *err,
    struct run_record *out)
{
	const struct recalc_opts *o = a->o;
	char *hc = NULL;

	if (rc != 0 && a->run.status == RUN_IN_PROGRESS)
		a->run.status = RUN_ERROR;
	if (rc != 0 && err != NULL) {
		free(a->run.error);
		a->run.error = xstrdup(err);
	}
	free(err);
	/*
	 * Hooks see every finished run (not dry runs), after its commit and
	 * outside any transaction; hooks.log records their failures, which
	 * never fail the run.
	 */
	if (!o->dry_run && a->seg != NULL && a->run.id != 0 &&
	    (a->run.status == RUN_COMPLETED || a->run.status == RUN_ERROR)) {
		if (rc == 0 && o->committed != NULL)
			o->committed(o->committed_arg, &a->run);
		(void)hooks_run_after(st, a->seg->name, &a->run, &hc);
		free(hc);
	}
	if (out != NULL)
		*out = a->run;
	else
		run_record_clear(&a->run);
	if (a->members != NULL)
		roaring_bitmap_free(a->members);
	a->members = NULL;
	attach_new_free(&a->newkeys);
	seg_free(a->seg);
	a->seg = NULL;
}

int
seg_recalc(struct store *st, const char *name, const struct recalc_opts *o,
    struct run_record *out, char **cause)
{
	struct recalc_arg a;
	roaring_bitmap_t *old = NULL, *added, *removed;
	char *err = NULL;
	int rc;

	memset(&a, 0, sizeof a);
	a.name = name;
	a.o = o;
	a.now = tu_now();
	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (store_write(st, recalc_begin_cb, &a, cause) != 0) {
		seg_free(a.seg);
		run_record_clear(&a.run);
		return -1;
	}
	if (recalc_evaluate(st, a.seg, a.now, o, &a.members, &old, &a.newkeys,
	    &err) != 0) {
		if (o->dry_run) {
			error_set(cause, _("segment '%s': %s"), a.seg->name,
			    err);
			free(err);
			seg_free(a.seg);
			return -1;
		}
		recalc_log_fail(st, &a, err, cause);
		goto done;
	}
	if (o->dry_run) {
		added = roaring_bitmap_andnot(a.members, old);
		removed = roaring_bitmap_andnot(old, a.members);
		a.run.started_at = a.now;
		a.run.ended_at = tu_now();
		a.run.type = o->type;
		a.run.initiator = xstrdup(o->initiator != NULL ? o->initiator :
		    util_login_name());
		a.run.added = roaring_bitmap_get_cardinality(added);
		a.run.removed = roaring_bitmap_get_cardinality(removed);
		a.run.total = roaring_bitmap_get_cardinality(a.members);
		a.run.status = RUN_COMPLETED;
		roaring_bitmap_free(added);
		roaring_bitmap_free(removed);
		rc = 0;
		goto done_ok;
	}
	recalc_test_hook("before-commit");
	if (store_write(st, recalc_commit_cb, &a, &err) != 0) {
		recalc_log_fail(st, &a, err, cause);
		goto done;
	}
	rc = 0;
	goto done_ok;
done:
	rc = -1;
done_ok:
	recalc_finish(st, &a, rc, err, out);
	if (old != NULL)
		roaring_bitmap_free(old);
	return rc;
}

/*
 * Walks the segments that call a run running.  With mark unset it only
 * says (1) whether one of them is dead: its record is gone or its owner
 * process is; with mark set, inside a write transaction, it closes each
 * dead run as interrupted (counted in *n) and forgets the running run.
 */
static int
recalc_dead_walk(struct store_txn *txn, int mark, unsigned *n, char **cause)
{
	struct segment **v, *s;
	struct run_record r;
	size_t nseg, i;
	char *c2 = NULL;
	int rc = 0, dead;

	if (seg_list_stored(txn, &v, &nseg, cause) != 0)
		return -1;
	for (i = 0; i < nseg && rc == 0; i++) {
		s = v[i];
		if (s->running_run_id == 0)
			continue;
		if (seg_run_get(txn, s->id, s->running_run_id, &r, &c2) != 0) {
			free(c2);
			c2 = NULL;
			if (!mark) {
				rc = 1;
				break;
			}
			s->running_run_id = 0;
			rc = seg_save(txn, s, cause);
			continue;
		}
		dead = !seg_run_owner_alive(&r);
		if (dead && !mark)
			rc = 1;
		else if (dead) {
			rc = seg_run_interrupt(txn, s->id, &r, s->nmembers,
			    cause);
			if (rc == 0) {
				s->running_run_id = 0;
				rc = seg_save(txn, s, cause);
			}
			(*n)++;
		}
		run_record_clear(&r);
	}
	seg_list_free(v, nseg);
	return rc;
}

static int
recalc_mark_cb(struct store_txn *txn, void *arg, char **cause)
{
	return recalc_dead_walk(txn, 1, arg, cause);
}

/* Whether some segment calls a run running whose owner is gone. */
static int
recalc_any_dead(struct store *st, char **cause)
{
	struct store_txn *txn;
	int dead;

	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	dead = recalc_dead_walk(txn, 0, NULL, cause);
	store_read_end(txn);
	return dead;
}

int
seg_mark_interrupted(struct store *st, unsigned *n, char **cause)
{
	unsigned cnt = 0;
	int dead;

	if (n != NULL)
		*n = 0;
	/* Most opens find nothing to mark: they need no write transaction. */
	if ((dead = recalc_any_dead(st, cause)) <= 0)
		return dead;
	if (store_write(st, recalc_mark_cb, &cnt, cause) != 0)
		return -1;
	if (n != NULL)
		*n = cnt;
	return 0;
}

/* The values of the queries segment name uses, before its read. */
static int
seg_why_queries(struct store *st, const char *name, int64_t now,
    struct extquery_set **qs, char **cause)
{
	struct store_txn *txn;
	struct segment *s = NULL;
	char *c2 = NULL;
	int rc;

	*qs = NULL;
	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	/* A missing segment is said by the read that follows. */
	rc = seg_get(txn, name, &s, &c2);
	store_read_end(txn);
	free(c2);
	if (rc != 0)
		return 0;
	if (s->kind != SEG_STATIC && extquery_prefetch(st, s->cond, now, qs,
	    &c2) != 0) {
		error_set(cause, _("segment '%s': %s"), s->name, c2);
		free(c2);
		seg_free(s);
		return -1;
	}
	seg_free(s);
	return 0;
}

/* "why" for a segment of an attached database: the server says. */
static int
recalc_why_sql(struct store_txn *txn, const struct segment *s,
    const struct pdb_schema *schema, struct recalc_refs *refs,
    const char *key, int *in, struct strbuf *sb, char **cause)
{
	struct eval_query q;
	struct sql_env env;
	roaring_bitmap_t *mem = NULL;
	uint32_t pno;
	uint16_t b;
	char *c2 = NULL;
	int found, holds, rc;

	*in = 0;
	if (recalc_sql_env(s, tu_now(), refs, &q, &env, &c2) != 0 ||
	    attach_why(schema, s->cond, &env, key, &holds, &found, sb,
	    &c2) != 0) {
		error_set(cause, _("segment '%s': %s"), s->name, c2);
		free(c2);
		return -1;
	}
	if (!found)
		return error_set(cause, _("table '%s' has no profile '%s'"),
		    attach_get(schema, "table"), key);
	rc = pdb_lookup(txn, schema, key, strlen(key), &pno, cause);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (seg_members(txn, s->id, &mem, cause) != 0)
			return -1;
		*in = roaring_bitmap_contains(mem, pno);
		roaring_bitmap_free(mem);
	}
	b = bucket_of_key(key, strlen(key));
	if (holds && (b < s->range_lo || b >= s->range_hi))
		sb_printf(sb, _("Its bucket %u is outside the range "
		    "%u.%02u-%u.%02u.\n"), (unsigned)b,
		    (unsigned)(s->range_lo / 100), (unsigned)(s->range_lo % 100),
		    (unsigned)(s->range_hi / 100), (unsigned)(s->range_hi % 100));
	else if (holds && s->limit >= 0 && !*in)
		sb_printf(sb, _("The conditions and the range hold; the limit "
		    "of %lld decides (in the order of the column '%s', then "
		    "the key).\n"), (long long)s->limit,
		    attach_get(schema, "order") != NULL ?
		    attach_get(schema, "order") : attach_get(schema, "key"));
	if (s->last_run_id == 0)
		sb_printf(sb, _("Segment '%s' has not been calculated yet.\n"),
		    s->name);
	else if (*in && !holds)
		sb_printf(sb, "%s", _("It is a member since the last run, but "
		    "would be removed by a recalculation now.\n"));
	else if (!*in && holds && b >= s->range_lo && b < s->range_hi &&
	    s->limit < 0)
		sb_printf(sb, "%s", _("It is not a member since the last run, "
		    "but would be added by a recalculation now.\n"));
	return 0;
}

int
seg_sql(struct store *st, const char *name, char **text, char **cause)
{
	struct store_txn *txn;
	struct segment *s = NULL;
	struct pdb_schema *schema = NULL;
	struct recalc_refs refs;
	struct eval_query q;
	struct sql_env env;
	char *c2 = NULL;
	int rc = -1;

	*text = NULL;
	memset(&refs, 0, sizeof refs);
	if (seg_why_queries(st, name, tu_now(), &refs.queries, cause) != 0)
		return -1;
	if (store_read_begin(st, &txn, cause) != 0) {
		recalc_refs_free(&refs);
		return -1;
	}
	refs.txn = txn;
	if (seg_get(txn, name, &s, cause) != 0)
		goto out;
	refs.self = s;
	if (pdb_open(txn, s->db, &schema, cause) != 0)
		goto out;
	refs.sql = attach_is(schema);
	if (!attach_is(schema)) {
		error_set(cause, _("segment '%s' runs in reseg: its database "
		    "'%s' is not attached from PostgreSQL"), s->name, s->db);
		goto out;
	}
	if (s->kind != SEG_SCHEDULED) {
		error_set(cause, _("segment '%s' is static: it is filled by "
		    "hand, not recalculated"), s->name);
		goto out;
	}
	if (recalc_sql_env(s, tu_now(), &refs, &q, &env, &c2) != 0 ||
	    attach_sql(schema, &q, &env, text, &c2) != 0) {
		error_set(cause, _("segment '%s': %s"), s->name, c2);
		free(c2);
		goto out;
	}
	rc = 0;
out:
	if (schema != NULL)
		schema_free(schema);
	recalc_refs_free(&refs);
	seg_free(s);
	store_read_end(txn);
	return rc;
}

/*
 * A key without a profile.  A deleted profile keeps no key (that is the
 * point of deleting it), so it cannot be told from one never imported;
 * what can be told is that the database has deleted profiles, and how
 * many of them the segment holds until its next run.
 */
static void
seg_why_missing(struct store_txn *txn, const struct segment *s,
    const struct pdb_schema *schema, const char *key, char **cause)
{
	roaring_bitmap_t *mem = NULL, *dead = NULL;
	uint64_t held = 0;

	if (schema->ndeleted == 0) {
		error_set(cause, _("database '%s' has no profile '%s'"), s->db,
		    key);
		return;
	}
	if (seg_members(txn, s->id, &mem, cause) != 0 ||
	    pdb_deleted(txn, schema, &dead, cause) != 0)
		goto out;
	held = roaring_bitmap_and_cardinality(mem, dead);
	if (held == 0)
		error_set(cause, _("database '%s' has no profile '%s' (never "
		    "imported, or deleted: a deleted profile keeps no key)"),
		    s->db, key);
	else
		error_set(cause, ngettext_("database '%s' has no profile '%s' "
		    "(never imported, or deleted: a deleted profile keeps no "
		    "key); segment '%s' holds %" PRIu64 " deleted profile until "
		    "its next run", "database '%s' has no profile '%s' (never "
		    "imported, or deleted: a deleted profile keeps no key); "
		    "segment '%s' holds %" PRIu64 " deleted profiles until its "
		    "next run", (unsigned long)held), s->db, key, s->name,
		    held);
out:
	if (dead != NULL)
		roaring_bitmap_free(dead);
	if (mem != NULL)
		roaring_bitmap_free(mem);
}

int
seg_why(struct store *st, const char *name, const char *key, int *in,
    struct strbuf *sb, char **cause)
{
	struct store_txn *txn;
	struct segment *s = NULL;
	struct pdb_schema *schema = NULL;
	struct recalc_refs refs;
	struct eval_prog *ep = NULL;
	roaring_bitmap_t *mem = NULL;
	uint32_t pno;
	char *c2 = NULL;
	int rc = -1, found, now_in = 0;
	int64_t now = tu_now();

	memset(&refs, 0, sizeof refs);
	if (seg_why_queries(st, name, now, &refs.queries, cause) != 0)
		return -1;
	if (store_read_begin(st, &txn, cause) != 0) {
		recalc_refs_free(&refs);
		return -1;
	}
	refs.txn = txn;
	if (seg_get(txn, name, &s, cause) != 0)
		goto out;
	refs.self = s;		/* a manual question: as the caller */
	if (pdb_open(txn, s->db, &schema, cause) != 0)
		goto out;
	refs.sql = attach_is(schema);
	if (attach_is(schema) && s->kind == SEG_SCHEDULED) {
		rc = recalc_why_sql(txn, s, schema, &refs, key, in, sb, cause);
		goto out;
	}
	found = pdb_lookup(txn, schema, key, strlen(key), &pno, cause);
	if (found < 0)
		goto out;
	if (found == 1) {
		seg_why_missing(txn, s, schema, key, cause);
		goto out;
	}
	if (seg_members(txn, s->id, &mem, cause) != 0)
		goto out;
	*in = roaring_bitmap_contains(mem, pno);
	if (s->kind == SEG_STATIC) {
		sb_printf(sb, *in ? _("'%s' was added to static segment '%s' "
		    "by hand.\n") : _("'%s' is not in static segment '%s': "
		    "nobody added it.\n"), key, s->name);
		rc = 0;
		goto out;
	}
	if (recalc_compile(s, schema, now, &refs, &ep, &c2) != 0) {
		error_set(cause, _("segment '%s': %s"), s->name, c2);
		free(c2);
		goto out;
	}
	if (eval_explain(ep, txn, pno, &now_in, sb, cause) != 0)
		goto out;
	if (s->last_run_id == 0)
		sb_printf(sb, _("Segment '%s' has not been calculated yet.\n"),
		    s->name);
	else if (now_in != *in)
		sb_printf(sb, *in ? _("It is a member since the last run, but "
		    "would be removed by a recalculation now.\n") :
		    _("It is not a member since the last run, but would be "
		    "added by a recalculation now.\n"));
	rc = 0;
out:
	if (mem != NULL)
		roaring_bitmap_free(mem);
	if (ep != NULL)
		eval_free(ep);
	if (schema != NULL)
		schema_free(schema);
	recalc_refs_free(&refs);
	seg_free(s);
	store_read_end(txn);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Segments due together (seg_recalc_batch)                             */
/* ------------------------------------------------------------------ */

/*
 * The members a slice of a batch holds until its commit: a slice takes
 * as many segments of one database as their results (at most a bit per
 * profile each) fit in this many bytes.
 */
#define RECALC_SLICE_BYTES	((size_t)32 << 20)

struct recalc_many {
	struct recalc_arg	*a;
	size_t			*idx;	/* the runs of this transaction */
	size_t			 n;
	char			**why;	/* begin: why a run was refused */
};

/*
 * Every run's In progress record in one transaction.  A refusal (static,
 * updating, gone) concerns its run only, which writes nothing; any other
 * failure undoes them all.
 */
static int
recalc_begin_many_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct recalc_many *m = arg;
	size_t k, i;

	for (k = 0; k < m->n; k++) {
		i = m->idx[k];
		free(m->why[i]);
		m->why[i] = NULL;
		if (recalc_begin_cb(txn, &m->a[i], &m->why[i]) == 0 ||
		    m->a[i].refused)
			continue;
		error_set(cause, "%s", m->why[i]);
		return -1;
	}
	return 0;
}

static int
recalc_commit_many_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct recalc_many *m = arg;
	size_t k;

	for (k = 0; k < m->n; k++) {
		if (recalc_commit_cb(txn, &m->a[m->idx[k]], cause) != 0)
			return -1;
	}
	return 0;
}

/*
 * Evaluates the runs idx[0..n) of one database (not an attached one) in
 * one read transaction and one pass over the columns they use; a run
 * whose query fails gets its text in err[i] and no members; when the
 * database cannot be read or the pass fails (a damaged chunk, a cancel),
 * every run gets the text.
 */
static void
recalc_evaluate_many(struct store *st, struct recalc_arg *a,
    const size_t *idx, size_t n, const struct recalc_opts *o, char **err)
{
	struct recalc_refs *refs = xcalloc(n, sizeof *refs);
	struct eval_prog **progs = xcalloc(n, sizeof *progs);
	roaring_bitmap_t **outs = xcalloc(n, sizeof *outs);
	size_t *which = xcalloc(n, sizeof *which);
	struct pdb_schema *schema = NULL;
	struct store_txn *txn = NULL;
	struct eval_progress prog;
	char *cause = NULL;
	size_t k, np = 0;

	/* The servers of "in query" are asked before the store is read. */
	for (k = 0; k < n; k++) {
		if (extquery_prefetch(st, a[idx[k]].seg->cond, a[idx[k]].now,
		    &refs[k].queries, &err[idx[k]]) != 0)
			refs[k].failed = 1;
	}
	if (store_read_begin(st, &txn, &cause) != 0 ||
	    pdb_open(txn, a[idx[0]].seg->db, &schema, &cause) != 0)
		goto fail;
	for (k = 0; k < n; k++) {
		if (refs[k].failed)
			continue;
		refs[k].txn = txn;
		refs[k].self = a[idx[k]].seg;
		refs[k].automatic = o->type == RUN_AUTOMATIC;
		if (recalc_compile(a[idx[k]].seg, schema, a[idx[k]].now,
		    &refs[k], &progs[np], &err[idx[k]]) != 0)
			continue;
		outs[np] = roaring_bitmap_create();
		which[np++] = idx[k];
	}
	recalc_progress(o, &prog);
	if (np > 0 && eval_run_many(progs, np, txn, o->nthreads, &prog, outs,
	    &cause) != 0)
		goto fail;
	if (np > 0 && o->cancel != NULL && *o->cancel) {
		error_set(&cause, "%s", _("recalculation cancelled"));
		goto fail;
	}
	for (k = 0; k < np; k++) {
		a[which[k]].members = outs[k];
		outs[k] = NULL;
	}
	goto out;
fail:
	for (k = 0; k < n; k++) {
		if (err[idx[k]] == NULL)
			err[idx[k]] = xstrdup(cause);
	}
out:
	for (k = 0; k < np; k++) {
		eval_free(progs[k]);
		if (outs[k] != NULL)
			roaring_bitmap_free(outs[k]);
	}
	for (k = 0; k < n; k++)
		recalc_refs_free(&refs[k]);
	if (schema != NULL)
		schema_free(schema);
	if (txn != NULL)
		store_read_end(txn);
	free(cause);
	free(refs);
	free(progs);
	free(outs);
	free(which);
}

/* Profiles of database db, to size the slices of a batch (0: unknown). */
static uint64_t
recalc_db_profiles(struct store *st, const char *db, int *attached)
{
	struct store_txn *txn;
	struct pdb_schema *schema;
	uint64_t n = 0;
	char *cause = NULL;

	*attached = 0;
	if (store_read_begin(st, &txn, &cause) != 0) {
		free(cause);
		return 0;
	}
	if (pdb_open(txn, db, &schema, &cause) == 0) {
		n = schema->nprofiles;
		*attached = attach_is(schema);
		schema_free(schema);
	} else
		free(cause);
	store_read_end(txn);
	return n;
}

/*
 * A slice of runs evaluated together: their commits in one transaction;
 * when it fails, each run commits alone as seg_recalc's does, and one
 * that still fails is logged as Error.
 */
static void
recalc_commit_slice(struct store *st, struct recalc_arg *a, size_t *idx,
    size_t n, char **err, char **cause)
{
	struct recalc_many m;
	struct run_record *saved;
	char *e = NULL;
	size_t k, i, nok = 0;

	for (k = 0; k < n; k++) {
		if (err[idx[k]] == NULL)
			idx[nok++] = idx[k];
	}
	if (nok == 0)
		return;
	recalc_test_hook("before-commit");
	m.a = a;
	m.idx = idx;
	m.n = nok;
	m.why = NULL;
	/* A commit that is undone must not leave its figures behind. */
	saved = xcalloc(nok, sizeof *saved);
	for (k = 0; k < nok; k++)
		saved[k] = a[idx[k]].run;
	if (nok > 1) {
		if (store_write(st, recalc_commit_many_cb, &m, &e) == 0) {
			free(saved);
			return;
		}
		free(e);
	}
	for (k = 0; k < nok; k++) {
		i = idx[k];
		a[i].run = saved[k];
		if (store_write(st, recalc_commit_cb, &a[i], &err[i]) == 0)
			continue;
		recalc_log_fail(st, &a[i], err[i], &cause[i]);
	}
	free(saved);
}

void
seg_recalc_batch(struct store *st, struct recalc_item *items, size_t n,
    const struct recalc_opts *o)
{
	struct recalc_opts *opts;
	struct recalc_arg *a;
	struct recalc_many m;
	char **err, **cause, *e = NULL;
	size_t *idx, *slice, i, j, k, q, ns, per, nidx;
	uint64_t nprof;
	int64_t now = tu_now();
	int attached, *done;

	if (n == 0)
		return;
	opts = xcalloc(n, sizeof *opts);
	a = xcalloc(n, sizeof *a);
	err = xcalloc(n, sizeof *err);
	cause = xcalloc(n, sizeof *cause);
	idx = xcalloc(n, sizeof *idx);
	slice = xcalloc(n, sizeof *slice);
	done = xcalloc(n, sizeof *done);
	for (i = 0; i < n; i++) {
		opts[i] = *o;
		opts[i].slot = items[i].slot;
		a[i].name = items[i].name;
		a[i].o = &opts[i];
		a[i].now = now;
		idx[i] = i;
		memset(&items[i].run, 0, sizeof items[i].run);
		items[i].cause = NULL;
	}
	m.a = a;
	m.idx = idx;
	m.n = n;
	m.why = cause;
	if (o->dry_run || store_write(st, recalc_begin_many_cb, &m, &e) != 0) {
		/* Nothing was written: each runs on its own. */
		free(e);
		for (i = 0; i < n; i++) {
			seg_free(a[i].seg);
			run_record_clear(&a[i].run);
			free(cause[i]);
			items[i].rc = seg_recalc(st, items[i].name, &opts[i],
			    &items[i].run, &items[i].cause);
		}
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (a[i].seg != NULL)
			continue;
		/* Refused: no run, as seg_recalc says. */
		items[i].rc = -1;
		items[i].cause = cause[i];
		cause[i] = NULL;
		done[i] = 1;
	}
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		/* This run's database: the runs on it not done yet. */
		nidx = 0;
		for (k = i; k < n; k++) {
			if (!done[k] && strcmp(a[k].seg->db, a[i].seg->db) == 0) {
				idx[nidx++] = k;
				done[k] = 1;
			}
		}
		nprof = recalc_db_profiles(st, a[i].seg->db, &attached);
		/* A result takes whole containers of 65536 bits. */
		per = attached ? 1 : RECALC_SLICE_BYTES /
		    ((nprof + 65535) / 65536 * 8192 + 1);
		if (per == 0)
			per = 1;
		for (k = 0; k < nidx; k += ns) {
			ns = nidx - k < per ? nidx - k : per;
			memcpy(slice, idx + k, ns * sizeof *slice);
			if (attached) {
				roaring_bitmap_t *old = NULL;

				if (recalc_evaluate(st, a[slice[0]].seg, now,
				    &opts[slice[0]], &a[slice[0]].members, &old,
				    &a[slice[0]].newkeys, &err[slice[0]]) == 0)
					roaring_bitmap_free(old);
			} else
				recalc_evaluate_many(st, a, slice, ns, o, err);
			for (q = 0; q < ns; q++) {
				j = slice[q];
				if (err[j] != NULL)
					recalc_log_fail(st, &a[j], err[j],
					    &cause[j]);
			}
			recalc_commit_slice(st, a, slice, ns, err, cause);
			/* In the order given, as seg_recalc would end each. */
			for (q = k; q < k + ns; q++) {
				j = idx[q];
				items[j].rc = err[j] != NULL ? -1 : 0;
				items[j].cause = cause[j];
				cause[j] = NULL;
				recalc_finish(st, &a[j], items[j].rc, err[j],
				    &items[j].run);
				err[j] = NULL;
			}
		}
	}
out:
	for (i = 0; i < n; i++) {
		free(err[i]);
		free(cause[i]);
	}
	free(opts);
	free(a);
	free(err);
	free(cause);
	free(idx);
	free(slice);
	free(done);
}
