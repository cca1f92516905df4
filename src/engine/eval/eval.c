/*
 * The evaluator's public entry points (eval.h): compiling a query into a
 * program and freeing it, and a run: the chunk views of every column the
 * program reads are taken in the caller's transaction, the chunks are
 * shared among threads (eval_kernels.c), each of which also takes the
 * deleted profiles out of its chunks' bits and counts them, and the bits
 * go through the limit into a roaring bitmap of members as whole
 * containers (eval_build).
 */
#include "config.h"

#include <endian.h>
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

/*
 * A roaring container holds 65536 profiles: EVAL_GROUP_CHUNKS chunks.
 * Up to EVAL_ARRAY_MAX members it is a sorted array, above a bitset;
 * EVAL_COOKIE_NO_RUN opens the library's portable format without run
 * containers (the format is the library's documented, stable one).
 */
#define EVAL_GROUP_CHUNKS	(65536 / PDB_CHUNK_ROWS)
#define EVAL_GROUP_WORDS	(65536 / 64)
#define EVAL_ARRAY_MAX		4096
#define EVAL_COOKIE_NO_RUN	12346

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

/*
 * The limit over the members the workers counted per chunk: whole
 * chunks are kept until the one where the limit falls, which is cut
 * word by word; the chunks after it in its group of EVAL_GROUP_CHUNKS
 * are cleared (later groups are left out by their count of 0).
 */
static void
eval_limit_chunks(uint64_t *res, uint32_t *counts, uint32_t nchunks,
    int64_t limit)
{
	uint64_t left = (uint64_t)limit;
	uint32_t c, end;

	for (c = 0; c < nchunks; c++) {
		if (counts[c] <= left) {
			left -= counts[c];
			continue;
		}
		eval_apply_limit(res + (size_t)c * EVAL_WORDS, EVAL_WORDS,
		    (int64_t)left);
		counts[c] = (uint32_t)left;
		end = (c / EVAL_GROUP_CHUNKS + 1) * EVAL_GROUP_CHUNKS;
		for (c++; c < nchunks; c++) {
			if (c < end)
				memset(res + (size_t)c * EVAL_WORDS, 0,
				    EVAL_WORDS * sizeof *res);
			counts[c] = 0;
		}
	}
}

static void
eval_put16(unsigned char *b, uint16_t v)
{
	v = htole16(v);
	memcpy(b, &v, sizeof v);
}

static void
eval_put32(unsigned char *b, uint32_t v)
{
	v = htole32(v);
	memcpy(b, &v, sizeof v);
}

/*
 * The members into out.  Each group of EVAL_GROUP_CHUNKS chunks is one
 * container of 65536 profiles, and the workers' bits of a group are
 * already the words of a bitset container: the result is written in the
 * library's portable format (a bitset container for more than 4096
 * members, a sorted array below) and read back in one call, which
 * copies whole containers instead of adding the members one by one.
 */
static int
eval_build(const uint64_t *res, const uint32_t *counts, uint32_t nchunks,
    roaring_bitmap_t *out, char **cause)
{
	uint32_t ngroups = (nchunks + EVAL_GROUP_CHUNKS - 1) /
	    EVAL_GROUP_CHUNKS, *card, g, c, n = 0, i;
	const uint64_t *w;
	unsigned char *buf, *at;
	size_t size, k;
	roaring_bitmap_t *bm;
	uint64_t x;

	card = xcalloc(ngroups > 0 ? ngroups : 1, sizeof *card);
	size = 8;
	for (g = 0; g < ngroups; g++) {
		for (c = g * EVAL_GROUP_CHUNKS; c < nchunks &&
		    c < (g + 1) * EVAL_GROUP_CHUNKS; c++)
			card[g] += counts[c];
		if (card[g] == 0)
			continue;
		n++;
		size += 8 + (card[g] > EVAL_ARRAY_MAX ? EVAL_GROUP_WORDS * 8 :
		    (size_t)card[g] * 2);
	}
	if (n == 0) {
		free(card);
		return 0;
	}
	buf = xmalloc(size);
	eval_put32(buf, EVAL_COOKIE_NO_RUN);
	eval_put32(buf + 4, n);
	at = buf + 8 + (size_t)n * 8;
	for (g = 0, i = 0; g < ngroups; g++) {
		if (card[g] == 0)
			continue;
		eval_put16(buf + 8 + (size_t)i * 4, (uint16_t)g);
		eval_put16(buf + 8 + (size_t)i * 4 + 2, (uint16_t)(card[g] - 1));
		eval_put32(buf + 8 + (size_t)n * 4 + (size_t)i * 4,
		    (uint32_t)(at - buf));
		i++;
		w = res + (size_t)g * EVAL_GROUP_WORDS;
		if (card[g] > EVAL_ARRAY_MAX) {
			for (k = 0; k < EVAL_GROUP_WORDS; k++) {
				x = htole64(w[k]);
				memcpy(at + k * 8, &x, 8);
			}
			at += EVAL_GROUP_WORDS * 8;
			continue;
		}
		for (k = 0; k < EVAL_GROUP_WORDS; k++) {
			for (x = w[k]; x != 0; x &= x - 1) {
				eval_put16(at, (uint16_t)(k * 64 +
				    (size_t)__builtin_ctzll(x)));
				at += 2;
			}
		}
	}
	free(card);
	bm = roaring_bitmap_portable_deserialize_safe((const char *)buf, size);
	free(buf);
	if (bm == NULL)
		return error_set(cause, "%s", _("out of memory"));
	roaring_bitmap_or_inplace(out, bm);
	roaring_bitmap_free(bm);
	return 0;
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
eval_collect_cols(const struct pdb_schema *schema, const uint16_t *cols,
    size_t ncols, struct store_txn *txn, uint32_t first, uint32_t n,
    int layout, char **cause)
{
	struct col_chunk *views;
	size_t i, k;
	uint32_t c;

	views = xcalloc((size_t)n * (ncols > 0 ? ncols : 1), sizeof *views);
	for (c = 0; c < n; c++) {
		for (k = 0; k < ncols; k++) {
			i = (size_t)c * ncols + k;
			if ((layout ? pdb_chunk_layout : pdb_chunk)(txn,
			    schema, cols[k], first + c, &views[i],
			    cause) != 0) {
				/* A damaged chunk may have left a copy. */
				eval_release_views(views, i + 1);
				return NULL;
			}
		}
	}
	return views;
}

struct col_chunk *
eval_collect(struct eval_prog *p, struct store_txn *txn, uint32_t first,
    uint32_t n, int layout, char **cause)
{
	return eval_collect_cols(p->schema, p->cols, p->ncols, txn, first, n,
	    layout, cause);
}

/*
 * Deleted profiles have only empty values, which conditions such as
 * "is empty" would match: their bits, which the workers take out before
 * the limit counts.  NULL when there are none.
 */
static int
eval_dead_words(struct eval_prog *p, struct store_txn *txn, size_t nwords,
    uint64_t **deadp, char **cause)
{
	roaring_uint32_iterator_t it;
	roaring_bitmap_t *dead;
	uint64_t *d;
	uint32_t pno;

	*deadp = NULL;
	if (p->schema->ndeleted == 0)
		return 0;
	if (pdb_deleted(txn, p->schema, &dead, cause) != 0)
		return -1;
	d = xcalloc(nwords > 0 ? nwords : 1, sizeof *d);
	roaring_init_iterator(dead, &it);
	for (; it.has_value; roaring_advance_uint32_iterator(&it)) {
		pno = it.current_value;
		if (pno / 64 < nwords)
			d[pno / 64] |= (uint64_t)1 << (pno % 64);
	}
	roaring_bitmap_free(dead);
	*deadp = d;
	return 0;
}

/*
 * One pass of the threads over every chunk for s->nprogs programs; each
 * one's members go into outs[j].  s holds the views and columns.
 */
static int
eval_pass(struct eval_scan *s, int nthreads, size_t nwords,
    roaring_bitmap_t **outs, char **cause)
{
	pthread_t tids[64];
	char *err;
	int i, n, started, rc = 0;
	size_t j;

	s->res = xcalloc(s->nprogs, sizeof *s->res);
	s->counts = xcalloc(s->nprogs, sizeof *s->counts);
	s->bytes = xcalloc(s->nprogs, sizeof *s->bytes);
	for (j = 0; j < s->nprogs; j++) {
		s->res[j] = xcalloc(nwords > 0 ? nwords : 1, sizeof **s->res);
		s->counts[j] = xcalloc(s->nchunks > 0 ? s->nchunks : 1,
		    sizeof **s->counts);
		atomic_init(&s->bytes[j], 0);
	}
	atomic_init(&s->next, 0);
	atomic_init(&s->scanned, 0);
	atomic_init(&s->stop, 0);
	atomic_init(&s->err, NULL);

	n = eval_nthreads(nthreads, s->nchunks);
	started = 0;
	for (i = 1; i < n; i++) {
		if (pthread_create(&tids[started], NULL, eval_thread, s) != 0)
			break;
		started++;
	}
	eval_thread(s);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);

	if ((err = atomic_load(&s->err)) != NULL) {
		error_set(cause, "%s", err);
		free(err);
		rc = -1;
	} else if (atomic_load(&s->stop) || eval_cancelled(s))
		rc = error_set(cause, _("recalculation cancelled"));
	for (j = 0; j < s->nprogs; j++) {
		s->progs[j]->stat_chunks = (uint64_t)s->nchunks *
		    s->progs[j]->ncols;
		s->progs[j]->stat_bytes = atomic_load(&s->bytes[j]);
		if (rc == 0 && s->progs[j]->limit >= 0)
			eval_limit_chunks(s->res[j], s->counts[j], s->nchunks,
			    s->progs[j]->limit);
		if (rc == 0)
			rc = eval_build(s->res[j], s->counts[j], s->nchunks,
			    outs[j], cause);
		free(s->res[j]);
		free(s->counts[j]);
	}
	free(s->res);
	free(s->counts);
	free(s->bytes);
	return rc;
}

/*
 * The programs' results take EVAL_WORDS words per chunk each: a pass
 * evaluates as many programs as fit in this many bytes, and the next
 * ones take another pass over the same views.
 */
#define EVAL_PASS_BYTES	((size_t)32 << 20)

static int
eval_scan(struct eval_prog **progs, size_t nprogs, struct store_txn *txn,
    int nthreads, const struct eval_progress *progress,
    roaring_bitmap_t **outs, char **cause)
{
	struct eval_scan s;
	const struct pdb_schema *schema = progs[0]->schema;
	uint64_t *dead = NULL;
	uint16_t *cols = NULL;
	size_t *map, *mapoff, nmap = 0, ncols = 0, nwords, per, first, j, k, u;
	uint32_t nchunks = pdb_nchunks(schema);
	int rc = 0;

	mapoff = xcalloc(nprogs, sizeof *mapoff);
	for (j = 0; j < nprogs; j++) {
		mapoff[j] = nmap;
		nmap += progs[j]->ncols;
	}
	map = xcalloc(nmap > 0 ? nmap : 1, sizeof *map);
	cols = xcalloc(nmap > 0 ? nmap : 1, sizeof *cols);
	for (j = 0; j < nprogs; j++) {
		for (k = 0; k < progs[j]->ncols; k++) {
			for (u = 0; u < ncols; u++)
				if (cols[u] == progs[j]->cols[k])
					break;
			if (u == ncols)
				cols[ncols++] = progs[j]->cols[k];
			map[mapoff[j] + k] = u;
		}
	}
	memset(&s, 0, sizeof s);
	s.schema = schema;
	s.cols = cols;
	s.ncols = ncols;
	s.map = map;
	s.mapoff = mapoff;
	s.identity = nprogs == 1 && ncols == progs[0]->ncols;
	s.nchunks = nchunks;
	s.nprofiles = schema->nprofiles;
	if (nchunks > 0 && s.nprofiles > (uint64_t)nchunks * PDB_CHUNK_ROWS)
		s.nprofiles = (uint64_t)nchunks * PDB_CHUNK_ROWS;
	s.progress = progress;
	/* Whole groups, so that a group's words are one bitset container. */
	nwords = ((size_t)nchunks + EVAL_GROUP_CHUNKS - 1) /
	    EVAL_GROUP_CHUNKS * EVAL_GROUP_WORDS;
	/* Each worker checks a chunk's values as it evaluates them. */
	s.views = eval_collect_cols(schema, cols, ncols, txn, 0, nchunks, 1,
	    cause);
	if (s.views == NULL ||
	    eval_dead_words(progs[0], txn, nwords, &dead, cause) != 0) {
		rc = -1;
		goto out;
	}
	s.dead = dead;
	per = EVAL_PASS_BYTES / (nwords > 0 ? nwords * 8 : 1);
	if (per == 0)
		per = 1;
	for (first = 0; first < nprogs && rc == 0; first += per) {
		s.progs = progs + first;
		s.nprogs = nprogs - first < per ? nprogs - first : per;
		s.mapoff = mapoff + first;
		rc = eval_pass(&s, nthreads, nwords, outs + first, cause);
	}
out:
	if (s.views != NULL)
		eval_release_views(s.views, (size_t)nchunks * ncols);
	free(dead);
	free(map);
	free(mapoff);
	free(cols);
	return rc;
}

int
eval_run(struct eval_prog *p, struct store_txn *txn, int nthreads,
    const struct eval_progress *progress, roaring_bitmap_t *out, char **cause)
{
	return eval_run_many(&p, 1, txn, nthreads, progress, &out, cause);
}

int
eval_run_many(struct eval_prog **progs, size_t n, struct store_txn *txn,
    int nthreads, const struct eval_progress *progress,
    roaring_bitmap_t **outs, char **cause)
{
	size_t j;

	if (n == 0)
		return 0;
	for (j = 0; j < n; j++) {
		if (progs[j]->ev != NULL && eval_events_run(progs[j], txn,
		    nthreads, progress, UINT32_MAX, cause) != 0)
			return -1;
	}
	return eval_scan(progs, n, txn, nthreads, progress, outs, cause);
}
