/*
 * The evaluator's public entry points (eval.h): compiling a query into a
 * program and freeing it, and a run: the chunk views of every column the
 * program reads are taken in the caller's transaction, the chunks are
 * shared among threads (eval_kernels.c), and the resulting bitsets go
 * through the limit into a roaring bitmap of members.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eval_int.h"
#include "i18n.h"
#include "tz.h"
#include "util.h"

/* Below this many chunks a second thread costs more than it saves. */
#define EVAL_MIN_PARALLEL	8

int
eval_compile(const struct pdb_schema *schema, const struct eval_query *q,
    const struct eval_env *env, struct eval_prog **out, char **cause)
{
	struct eval_prog *p;
	struct eval_env noenv;

	*out = NULL;
	if (env == NULL) {
		memset(&noenv, 0, sizeof noenv);
		env = &noenv;
	}
	if (q->range_lo > q->range_hi || q->range_hi > 10000)
		return error_set(cause, _("The range %u-%u is invalid."),
		    q->range_lo, q->range_hi);
	p = xcalloc(1, sizeof *p);
	p->tz = tz_open(env->tz, cause);
	if (p->tz == NULL) {
		free(p);
		return -1;
	}
	p->schema = schema_clone(schema);
	p->now = env->now;
	p->today = tz_local_date(p->tz, env->now);
	p->range_lo = q->range_lo;
	p->range_hi = q->range_hi;
	p->limit = q->limit;
	p->bucket_col = -1;
	if (q->cond != NULL) {
		p->cond = cond_clone(q->cond);
		p->root = eval_compile_node(p, env, p->cond, 0, cause);
		if (p->root == NULL) {
			eval_free(p);
			return -1;
		}
	}
	if (p->range_lo > 0 || p->range_hi < 10000) {
		p->cols = xreallocarray(p->cols, p->ncols + 1,
		    sizeof *p->cols);
		p->bucket_col = (int)p->ncols;
		p->cols[p->ncols++] = PDB_COL_BUCKET;
	}
	*out = p;
	return 0;
}

void
eval_free(struct eval_prog *p)
{
	if (p == NULL)
		return;
	eval_node_free(p->root);
	eval_events_free(p->ev);
	cond_free(p->cond);
	schema_free(p->schema);
	if (p->tz != NULL)
		tz_close(p->tz);
	free(p->cols);
	free(p);
}

int
eval_nthreads(int n, size_t nchunks)
{
	long cores;

	if (n <= 0) {
		cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 0 ? (int)cores : 1;
	}
	if (n > 64)
		n = 64;
	if (nchunks < EVAL_MIN_PARALLEL)
		n = 1;
	if ((size_t)n > nchunks)
		n = nchunks > 0 ? (int)nchunks : 1;
	return n;
}

/* Keeps the first `limit` set bits, clears the rest. */
static void
eval_apply_limit(uint64_t *res, size_t nwords, int64_t limit)
{
	uint64_t left = (uint64_t)limit, x;
	size_t i;
	int cnt;

	for (i = 0; i < nwords; i++) {
		if (left == 0) {
			res[i] = 0;
			continue;
		}
		cnt = __builtin_popcountll(res[i]);
		if ((uint64_t)cnt <= left) {
			left -= (uint64_t)cnt;
			continue;
		}
		x = res[i];
		while ((uint64_t)__builtin_popcountll(x) > left)
			x &= ~((uint64_t)1 << (63 - __builtin_clzll(x)));
		res[i] = x;
		left = 0;
	}
}

static void
eval_to_roaring(const uint64_t *res, size_t nwords, roaring_bitmap_t *out)
{
	uint32_t buf[4096];
	size_t i, n = 0;
	uint64_t x;

	for (i = 0; i < nwords; i++) {
		x = res[i];
		while (x != 0) {
			buf[n++] = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(x));
			x &= x - 1;
		}
		if (n > sizeof buf / sizeof buf[0] - 64) {
			roaring_bitmap_add_many(out, n, buf);
			n = 0;
		}
	}
	if (n > 0)
		roaring_bitmap_add_many(out, n, buf);
}

void
eval_release_views(struct col_chunk *views, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pdb_chunk_release(&views[i]);
	free(views);
}

/*
 * The chunk views of every column used, in the caller's thread; with
 * layout, only their layout is checked (the workers check the values).
 */
struct col_chunk *
eval_collect(struct eval_prog *p, struct store_txn *txn, uint32_t first,
    uint32_t n, int layout, char **cause)
{
	struct col_chunk *views;
	size_t i, k;
	uint32_t c;

	views = xcalloc((size_t)n * (p->ncols > 0 ? p->ncols : 1),
	    sizeof *views);
	for (c = 0; c < n; c++) {
		for (k = 0; k < p->ncols; k++) {
			i = (size_t)c * p->ncols + k;
			if ((layout ? pdb_chunk_layout : pdb_chunk)(txn,
			    p->schema, p->cols[k], first + c, &views[i],
			    cause) != 0) {
				/* A damaged chunk may have left a copy. */
				eval_release_views(views, i + 1);
				return NULL;
			}
		}
	}
	return views;
}

static int
eval_scan(struct eval_prog *p, struct store_txn *txn, int nthreads,
    const struct eval_progress *progress, uint64_t **resp, size_t *nwordsp,
    char **cause)
{
	struct eval_scan s;
	pthread_t tids[64];
	char *err;
	int i, n, started;
	size_t nwords;

	memset(&s, 0, sizeof s);
	s.p = p;
	s.nprofiles = p->schema->nprofiles;
	s.nchunks = pdb_nchunks(p->schema);
	s.progress = progress;
	atomic_init(&s.next, 0);
	atomic_init(&s.scanned, 0);
	atomic_init(&s.stop, 0);
	*resp = NULL;
	*nwordsp = 0;
	if (s.nchunks > 0 && s.nprofiles > (uint64_t)s.nchunks * PDB_CHUNK_ROWS)
		s.nprofiles = (uint64_t)s.nchunks * PDB_CHUNK_ROWS;
	atomic_init(&s.err, NULL);
	/* Each worker checks a chunk's values as it evaluates them. */
	s.views = eval_collect(p, txn, 0, s.nchunks, 1, cause);
	if (s.views == NULL)
		return -1;
	nwords = (size_t)s.nchunks * EVAL_WORDS;
	s.res = xcalloc(nwords > 0 ? nwords : 1, sizeof *s.res);

	n = eval_nthreads(nthreads, s.nchunks);
	started = 0;
	for (i = 1; i < n; i++) {
		if (pthread_create(&tids[started], NULL, eval_thread, &s) != 0)
			break;
		started++;
	}
	eval_thread(&s);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	eval_release_views(s.views, (size_t)s.nchunks * p->ncols);

	if ((err = atomic_load(&s.err)) != NULL) {
		free(s.res);
		error_set(cause, "%s", err);
		free(err);
		return -1;
	}
	if (atomic_load(&s.stop) || eval_cancelled(&s)) {
		free(s.res);
		return error_set(cause, _("recalculation cancelled"));
	}
	*resp = s.res;
	*nwordsp = nwords;
	return 0;
}

/*
 * Deleted profiles have only empty values, which conditions such as
 * "is empty" would match: they are taken out before the limit counts.
 */
static int
eval_drop_deleted(struct eval_prog *p, struct store_txn *txn, uint64_t *res,
    size_t nwords, char **cause)
{
	roaring_uint32_iterator_t it;
	roaring_bitmap_t *dead;
	uint32_t pno;

	if (p->schema->ndeleted == 0)
		return 0;
	if (pdb_deleted(txn, p->schema, &dead, cause) != 0)
		return -1;
	roaring_init_iterator(dead, &it);
	for (; it.has_value; roaring_advance_uint32_iterator(&it)) {
		pno = it.current_value;
		if (pno / 64 < nwords)
			res[pno / 64] &= ~((uint64_t)1 << (pno % 64));
	}
	roaring_bitmap_free(dead);
	return 0;
}

int
eval_run(struct eval_prog *p, struct store_txn *txn, int nthreads,
    const struct eval_progress *progress, roaring_bitmap_t *out, char **cause)
{
	uint64_t *res;
	size_t nwords;

	if (p->ev != NULL && eval_events_run(p, txn, nthreads, progress,
	    UINT32_MAX, cause) != 0)
		return -1;
	if (eval_scan(p, txn, nthreads, progress, &res, &nwords, cause) != 0)
		return -1;
	if (eval_drop_deleted(p, txn, res, nwords, cause) != 0) {
		free(res);
		return -1;
	}
	if (p->limit >= 0)
		eval_apply_limit(res, nwords, p->limit);
	eval_to_roaring(res, nwords, out);
	free(res);
	return 0;
}
