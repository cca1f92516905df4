/*
 * The events pass (eval_events.c's overview): one pass over the event
 * chunks whose [tmin, tmax] meets some test's window updates every test's
 * per-profile accumulators; then each test's comparison turns them into
 * a bitset over profiles, and the accumulators are freed.
 *
 * Memory per profile and test: did (at least once) one bit; counts one
 * byte when every bound of the comparison is below 255 (the counter
 * saturates there), else four; sum of ints, min, max, first and last
 * eight (min and max one bit more); sum of floats sixteen (a compensated
 * sum); avg twelve (ints) or twenty (floats).  Each further thread
 * keeps accumulators of its own (merged at the end) only while they stay
 * under EV_THREAD_BYTES; otherwise the pass runs in fewer threads.  The
 * caller's thread takes the chunks' column views (the read transaction
 * is its own) while the others already work on the chunks taken.
 *
 * Bytes read (eval_stats) count the per-row arrays of the columns: the
 * presence bits and the values or dictionary codes; the dictionaries,
 * small and per chunk, are left out of both totals.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "eval_events_int.h"
#include "evdb.h"
#include "i18n.h"
#include "util.h"

#define EV_THREAD_BYTES	((size_t)32 << 20)

/* One thread's accumulators of one test. */
struct ev_accs {
	uint64_t	*seen;
	uint8_t		*c8;
	uint32_t	*c32;
	int64_t		*i;
	double		*f;
	double		*fc;	/* float sums: the compensation */
};

/* One pass, shared by its threads. */
struct ev_pass {
	struct eval_prog	*p;
	struct eval_events	*ev;
	const struct evdb_chunk_info *rd;	/* the chunks read */
	size_t			 nrd;
	struct col_chunk	*views;		/* nrd x sub.ncols */
	uint8_t			*loaded;	/* nrd x sub.ncols */
	size_t			 np;		/* profiles, rounded to 64 */
	uint32_t		 why_pno;
	const struct eval_progress *progress;
	atomic_size_t		 next;
	atomic_size_t		 ready;		/* chunks whose views are taken */
	atomic_int		 stop;
};

/* One thread's state. */
struct ev_thread {
	struct ev_pass		*s;
	struct ev_accs		*a;		/* one per test */
	struct eval_worker	 w;
	uint64_t		 m[EVAL_WORDS];
	uint64_t		 t[EVAL_WORDS];
	pthread_t		 tid;
};

const uint64_t *
eval_events_bits(const struct eval_prog *p, size_t i, uint32_t chunk)
{
	return p->ev->v[i].bits + (size_t)chunk * EVAL_WORDS;
}

/* Bytes of one column of a chunk that a scan reads (no dictionaries). */
static uint64_t
ev_col_bytes(enum field_type ft, uint32_t nrows)
{
	uint64_t w;

	switch (ft) {
	case FT_DATE:
		w = 4;
		break;
	case FT_BOOL:
		w = 1;
		break;
	case FT_STRING:
	case FT_TAGS:
		w = 4;
		break;
	default:
		w = 8;
		break;
	}
	return (uint64_t)(nrows + 63) / 64 * 8 + (uint64_t)nrows * w;
}

/* The columns a where tree reads, into need. */
static void
ev_where_cols(const struct eval_node *n, uint8_t *need)
{
	size_t i;

	if (n == NULL)
		return;
	if (n->kind == CK_PRED)
		need[n->col] = 1;
	for (i = 0; i < n->nkids; i++)
		ev_where_cols(n->kids[i], need);
}

static size_t
ev_acc_bytes(enum ev_acc k, size_t np)
{
	switch (k) {
	case EA_SEEN:
		return np / 8;
	case EA_C8:
		return np;
	case EA_C32:
		return np * 4;
	case EA_IAVG:
		return np * 12;
	case EA_FSUM:
		return np * 16;
	case EA_FAVG:
		return np * 20;
	case EA_IMIN:
	case EA_FMIN:
	case EA_IMAX:
	case EA_FMAX:
		return np * 8 + np / 8;
	default:
		return np * 8;
	}
}

static void
ev_acc_alloc(struct ev_accs *a, enum ev_acc k, size_t np)
{
	size_t i;

	memset(a, 0, sizeof *a);
	switch (k) {
	case EA_SEEN:
		a->seen = xcalloc(np / 64, sizeof *a->seen);
		break;
	case EA_C8:
		a->c8 = xcalloc(np, 1);
		break;
	case EA_C32:
		a->c32 = xcalloc(np, sizeof *a->c32);
		break;
	case EA_ISUM:
		a->i = xcalloc(np, sizeof *a->i);
		break;
	case EA_FSUM:
		a->f = xcalloc(np, sizeof *a->f);
		a->fc = xcalloc(np, sizeof *a->fc);
		break;
	case EA_IAVG:
		a->i = xcalloc(np, sizeof *a->i);
		a->c32 = xcalloc(np, sizeof *a->c32);
		break;
	case EA_FAVG:
		a->f = xcalloc(np, sizeof *a->f);
		a->fc = xcalloc(np, sizeof *a->fc);
		a->c32 = xcalloc(np, sizeof *a->c32);
		break;
	case EA_IMIN:
	case EA_IMAX:
	case EA_FIRST:
	case EA_LAST:
		a->i = xreallocarray(NULL, np, sizeof *a->i);
		for (i = 0; i < np; i++)
			a->i[i] = k == EA_IMIN || k == EA_FIRST ? EV_MAX :
			    EV_MIN;
		if (k == EA_IMIN || k == EA_IMAX)
			a->seen = xcalloc(np / 64, sizeof *a->seen);
		break;
	case EA_FMIN:
	case EA_FMAX:
		a->f = xreallocarray(NULL, np, sizeof *a->f);
		for (i = 0; i < np; i++)
			a->f[i] = k == EA_FMIN ? INFINITY : -INFINITY;
		a->seen = xcalloc(np / 64, sizeof *a->seen);
		break;
	}
}

static void
ev_acc_free(struct ev_accs *a)
{
	free(a->seen);
	free(a->c8);
	free(a->c32);
	free(a->i);
	free(a->f);
	free(a->fc);
	memset(a, 0, sizeof *a);
}

/* Adds b into a (another thread's share of the same test). */
static void
ev_acc_merge(struct ev_accs *a, const struct ev_accs *b, enum ev_acc k,
    size_t np)
{
	size_t i;
	unsigned s;

	if (a->seen != NULL) {
		for (i = 0; i < np / 64; i++)
			a->seen[i] |= b->seen[i];
	}
	if (a->c32 != NULL) {
		for (i = 0; i < np; i++)
			a->c32[i] += b->c32[i];
	}
	switch (k) {
	case EA_C8:
		for (i = 0; i < np; i++) {
			s = (unsigned)a->c8[i] + b->c8[i];
			a->c8[i] = (uint8_t)(s > 255 ? 255 : s);
		}
		break;
	case EA_ISUM:
	case EA_IAVG:
		for (i = 0; i < np; i++)
			a->i[i] += b->i[i];
		break;
	case EA_FSUM:
	case EA_FAVG:
		for (i = 0; i < np; i++) {
			eval_fadd(&a->f[i], &a->fc[i], b->f[i]);
			a->fc[i] += b->fc[i];
		}
		break;
	case EA_IMIN:
	case EA_FIRST:
		for (i = 0; i < np; i++)
			a->i[i] = b->i[i] < a->i[i] ? b->i[i] : a->i[i];
		break;
	case EA_IMAX:
	case EA_LAST:
		for (i = 0; i < np; i++)
			a->i[i] = b->i[i] > a->i[i] ? b->i[i] : a->i[i];
		break;
	case EA_FMIN:
		for (i = 0; i < np; i++)
			a->f[i] = b->f[i] < a->f[i] ? b->f[i] : a->f[i];
		break;
	case EA_FMAX:
		for (i = 0; i < np; i++)
			a->f[i] = b->f[i] > a->f[i] ? b->f[i] : a->f[i];
		break;
	default:
		break;
	}
}

/* Code of the test's name in a chunk's dictionary, or -1. */
static int64_t
ev_name_code(const struct col_chunk *v, const char *name, size_t len)
{
	uint32_t i;

	for (i = 0; i < v->ndict; i++) {
		if (v->dict_off[i + 1] - v->dict_off[i] == len &&
		    memcmp(v->dict_data + v->dict_off[i], name, len) == 0)
			return i;
	}
	return -1;
}

/* Rows of m update the test's accumulators. */
static void
ev_update(const struct ev_node *e, struct ev_accs *a, const struct ev_pass *s,
    const struct col_chunk *vw, const uint64_t *m, uint32_t nw)
{
	const int64_t *pno = vw[s->ev->colpno].i64;
	const int64_t *tm = vw[s->ev->coltime].i64;
	const int64_t *iv = NULL;
	const double *fv = NULL;
	size_t np = s->np;
	uint32_t w, r;
	uint64_t b, q;

	if (e->propcol >= 0) {
		iv = vw[e->propcol].i64;
		fv = vw[e->propcol].f64;
	}
#define EACH_ROW(body) do {						\
	for (w = 0; w < nw; w++) {					\
		for (b = m[w]; b != 0; b &= b - 1) {			\
			r = w * 64 + (uint32_t)__builtin_ctzll(b);	\
			q = (uint64_t)pno[r];				\
			if (q >= np)					\
				continue;				\
			body;						\
		}							\
	}								\
} while (0)
	switch (e->acc) {
	case EA_SEEN:
		EACH_ROW(a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_C8:
		EACH_ROW(a->c8[q] += a->c8[q] != 255);
		break;
	case EA_C32:
		EACH_ROW(a->c32[q]++);
		break;
	case EA_ISUM:
		EACH_ROW(a->i[q] += iv[r]);
		break;
	case EA_FSUM:
		EACH_ROW(eval_fadd(&a->f[q], &a->fc[q], fv[r]));
		break;
	case EA_IAVG:
		EACH_ROW(a->i[q] += iv[r]; a->c32[q]++);
		break;
	case EA_FAVG:
		EACH_ROW(eval_fadd(&a->f[q], &a->fc[q], fv[r]); a->c32[q]++);
		break;
	case EA_IMIN:
		EACH_ROW(a->i[q] = iv[r] < a->i[q] ? iv[r] : a->i[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_IMAX:
		EACH_ROW(a->i[q] = iv[r] > a->i[q] ? iv[r] : a->i[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_FMIN:
		EACH_ROW(a->f[q] = fv[r] < a->f[q] ? fv[r] : a->f[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_FMAX:
		EACH_ROW(a->f[q] = fv[r] > a->f[q] ? fv[r] : a->f[q];
		    a->seen[q >> 6] |= (uint64_t)1 << (q & 63));
		break;
	case EA_FIRST:
		EACH_ROW(a->i[q] = tm[r] < a->i[q] ? tm[r] : a->i[q]);
		break;
	case EA_LAST:
		EACH_ROW(a->i[q] = tm[r] > a->i[q] ? tm[r] : a->i[q]);
		break;
	}
#undef EACH_ROW
}

/*
 * 64 bytes of 0 or 1 into the bits of a word: the byte loop comparing
 * 32-bit codes vectorises where building the word bit by bit does not.  Each
 * multiplication gathers 8 bytes into the top byte (no two partial
 * products meet, so nothing carries).
 */
static inline uint64_t
ev_pack(const uint8_t *eq)
{
	uint64_t v, bits = 0;
	int i;

	for (i = 0; i < 8; i++) {
		memcpy(&v, eq + i * 8, 8);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
		v = __builtin_bswap64(v);
#endif
		bits |= ((v * UINT64_C(0x0102040810204080)) >> 56) << (i * 8);
	}
	return bits;
}

/*
 * The events the pass reads for a test: first/last read only what can
 * decide them, but the profile explained sees every matching event.
 */
static inline int64_t
ev_slo(const struct ev_pass *s, const struct ev_node *e)
{
	return s->why_pno != UINT32_MAX ? e->wlo : e->slo;
}

static inline int64_t
ev_shi(const struct ev_pass *s, const struct ev_node *e)
{
	return s->why_pno != UINT32_MAX ? e->whi : e->shi;
}

/* Every test over read chunk k. */
static void
ev_chunk(struct ev_thread *t, size_t k)
{
	struct ev_pass *s = t->s;
	struct eval_events *ev = s->ev;
	const struct evdb_chunk_info *ci = &s->rd[k];
	const struct col_chunk *vw = s->views + k * ev->sub.ncols;
	const struct col_chunk *nm = &vw[ev->colname];
	const int64_t *tm = vw[ev->coltime].i64;
	uint32_t nrows = ci->nrows, nw = (nrows + 63) / 64, w, b, lim, code;
	uint64_t tail = (nrows & 63) == 0 ? ~(uint64_t)0 :
	    ((uint64_t)1 << (nrows & 63)) - 1, any, bits;
	struct ev_node *e;
	int64_t c, slo, shi;
	size_t j;
	/* Local, so the compiler knows it aliases no column. */
	uint8_t eq[64];

	for (j = 0; j < ev->n; j++) {
		e = &ev->v[j];
		slo = ev_slo(s, e);
		shi = ev_shi(s, e);
		if (ci->tmax < slo || ci->tmin > shi)
			continue;
		c = ev_name_code(nm, e->c->event, strlen(e->c->event));
		if (c < 0)
			continue;
		code = (uint32_t)c;
		any = 0;
		for (w = 0; w < nw; w++) {
			const uint32_t *x = nm->codes + (size_t)w * 64;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			if (lim == 64) {
				for (b = 0; b < 64; b++)
					eq[b] = x[b] == code;
				bits = ev_pack(eq);
			} else {
				bits = 0;
				for (b = 0; b < lim; b++)
					bits |= (uint64_t)(x[b] == code) << b;
			}
			t->m[w] = bits & nm->present[w];
			any |= t->m[w];
		}
		if (any == 0)
			continue;
		/* A chunk wholly inside the window needs no time test. */
		if (ci->tmin < slo || ci->tmax > shi) {
			uint64_t lo = (uint64_t)slo;
			uint64_t span = (uint64_t)shi - lo;

			any = 0;
			for (w = 0; w < nw; w++) {
				const int64_t *x = tm + (size_t)w * 64;

				if (t->m[w] == 0)
					continue;
				bits = 0;
				lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
				if (lim == 64) {
					for (b = 0; b < 64; b++)
						bits |= (uint64_t)((uint64_t)
						    x[b] - lo <= span) << b;
				} else {
					for (b = 0; b < lim; b++)
						bits |= (uint64_t)((uint64_t)
						    x[b] - lo <= span) << b;
				}
				t->m[w] &= bits;
				any |= t->m[w];
			}
			if (any == 0)
				continue;
		}
		if (e->where != NULL) {
			t->w.views = vw;
			t->w.nrows = nrows;
			t->w.chunk = ci->chunk;
			eval_node(&t->w, e->where, 0, t->t);
			for (w = 0; w < nw; w++)
				t->m[w] &= t->t[w];
		}
		if (nw > 0)
			t->m[nw - 1] &= tail;
		/* The profile explained: every matching event, valued or not. */
		if (s->why_pno != UINT32_MAX)
			eval_events_why_rows(e, ev, s->why_pno, ci->chunk,
			    vw, t->m, nw);
		/* Aggregates skip events without the property, as SQL does. */
		if (e->propcol >= 0) {
			for (w = 0; w < nw; w++)
				t->m[w] &= vw[e->propcol].present[w];
		}
		ev_update(e, &t->a[j], s, vw, t->m, nw);
	}
}

static void *
ev_thread_main(void *arg)
{
	struct ev_thread *t = arg;
	struct ev_pass *s = t->s;
	size_t k;

	for (;;) {
		if (atomic_load(&s->stop))
			break;
		if (eval_progress_cancelled(s->progress)) {
			atomic_store(&s->stop, 1);
			break;
		}
		k = atomic_fetch_add(&s->next, 1);
		if (k >= s->nrd)
			break;
		/* The caller's thread is still taking this chunk's views. */
		while (atomic_load(&s->ready) <= k) {
			if (atomic_load(&s->stop))
				return NULL;
			sched_yield();
		}
		ev_chunk(t, k);
	}
	return NULL;
}

/* Whether value v lies in the test's intervals (before negation). */
static inline int
ev_in_i(const struct eval_node *c, int64_t v)
{
	size_t k;
	int m = 0;

	for (k = 0; k < c->niv; k++)
		m |= (uint64_t)v - (uint64_t)c->iv[k].lo <=
		    (uint64_t)c->iv[k].hi - (uint64_t)c->iv[k].lo;
	return m;
}

static inline int
ev_in_f(const struct eval_node *c, double v)
{
	size_t k;
	int m = 0;

	for (k = 0; k < c->nfv; k++)
		m |= (v >= c->fv[k].lo) & (v <= c->fv[k].hi);
	return m;
}

/* The test's comparison over the accumulators into e->bits. */
static void
ev_compare_all(struct ev_node *e, const struct ev_accs *a, size_t np,
    uint64_t nprof)
{
	const struct eval_node *c = &e->cmp;
	int neg = c->neg;
	size_t w, q;
	uint64_t bits, has;
	unsigned b;
	int m;

	for (w = 0; w < np / 64; w++) {
		bits = 0;
		if (e->acc == EA_SEEN)
			bits = a->seen[w];
		else {
			for (b = 0; b < 64; b++) {
				q = w * 64 + b;
				switch (e->acc) {
				case EA_C8:
					m = ev_in_i(c, a->c8[q]) ^ neg;
					break;
				case EA_C32:
					m = ev_in_i(c, a->c32[q]) ^ neg;
					break;
				case EA_ISUM:
					m = ev_in_i(c, a->i[q]) ^ neg;
					break;
				case EA_FSUM:
					m = ev_in_f(c, a->f[q] + a->fc[q]) ^
					    neg;
					break;
				case EA_IAVG:
					m = a->c32[q] != 0 && (ev_in_f(c,
					    (double)a->i[q] / a->c32[q]) ^ neg);
					break;
				case EA_FAVG:
					m = a->c32[q] != 0 && (ev_in_f(c,
					    (a->f[q] + a->fc[q]) / a->c32[q]) ^
					    neg);
					break;
				case EA_IMIN:
				case EA_IMAX:
					has = a->seen[w] >> b & 1;
					m = has && (ev_in_i(c, a->i[q]) ^ neg);
					break;
				case EA_FMIN:
				case EA_FMAX:
					has = a->seen[w] >> b & 1;
					m = has && (ev_in_f(c, a->f[q]) ^ neg);
					break;
				default:	/* first, last */
					m = ev_in_i(c, a->i[q]);
					break;
				}
				bits |= (uint64_t)(m != 0) << b;
			}
		}
		if (nprof < (w + 1) * 64)
			bits &= nprof <= w * 64 ? 0 :
			    ((uint64_t)1 << (nprof - w * 64)) - 1;
		e->bits[w] = bits;
	}
}

/* The chunks to read and which of their columns. */
static void
ev_plan(struct ev_pass *s, const struct evdb_chunk_info *all, size_t nall,
    struct evdb_chunk_info **rdp)
{
	struct eval_events *ev = s->ev;
	struct evdb_chunk_info *rd;
	size_t i, j, k, ncols = ev->sub.ncols;
	uint8_t *ld;
	int hit;

	rd = xcalloc(nall > 0 ? nall : 1, sizeof *rd);
	s->loaded = xcalloc(nall > 0 ? nall * ncols : 1, 1);
	s->nrd = 0;
	for (i = 0; i < nall; i++) {
		for (k = 0; k < ncols; k++)
			ev->stats.event_bytes += ev_col_bytes(ev->sub.schema->
			    fields[ev->sub.cols[k]].type, all[i].nrows);
		ld = s->loaded + s->nrd * ncols;
		hit = 0;
		for (j = 0; j < ev->n; j++) {
			if (all[i].tmax < ev_slo(s, &ev->v[j]) ||
			    all[i].tmin > ev_shi(s, &ev->v[j]))
				continue;
			hit = 1;
			for (k = 0; k < ncols; k++)
				ld[k] |= ev->v[j].need[k];
			if (s->why_pno != UINT32_MAX ||
			    all[i].tmin < ev_slo(s, &ev->v[j]) ||
			    all[i].tmax > ev_shi(s, &ev->v[j]))
				ld[ev->coltime] = 1;
		}
		if (!hit)
			continue;
		for (k = 0; k < ncols; k++) {
			if (ld[k])
				ev->stats.event_bytes_read += ev_col_bytes(
				    ev->sub.schema->fields[ev->sub.cols[k]].type,
				    all[i].nrows);
		}
		rd[s->nrd++] = all[i];
	}
	ev->stats.event_chunks = nall;
	ev->stats.event_chunks_read = s->nrd;
	*rdp = rd;
}

/*
 * The views of the planned columns, in the caller's thread (the read
 * transaction is its own); the other threads work on the chunks already
 * taken meanwhile.
 */
static int
ev_load(struct ev_pass *s, struct store_txn *txn, char **cause)
{
	struct eval_events *ev = s->ev;
	size_t k, i, ncols = ev->sub.ncols;
	struct col_chunk *v;

	for (k = 0; k < s->nrd && !atomic_load(&s->stop); k++) {
		for (i = 0; i < ncols; i++) {
			if (!s->loaded[k * ncols + i])
				continue;
			v = &s->views[k * ncols + i];
			if (evdb_column(txn, s->p->schema, ev->sub.cols[i],
			    s->rd[k].chunk, v, cause) != 0)
				goto fail;
			if (v->nrows != s->rd[k].nrows) {
				error_set(cause, _("profile database '%s': "
				    "column %u of event chunk %u is damaged"),
				    s->p->schema->name, ev->sub.cols[i],
				    s->rd[k].chunk);
				goto fail;
			}
		}
		atomic_store(&s->ready, k + 1);
	}
	return 0;
fail:
	atomic_store(&s->stop, 1);
	return -1;
}

static void
ev_unload(struct ev_pass *s)
{
	size_t i, n = s->nrd * s->ev->sub.ncols;

	if (s->views != NULL) {
		for (i = 0; i < n; i++) {
			if (s->loaded[i])
				pdb_chunk_release(&s->views[i]);
		}
	}
	free(s->views);
	free(s->loaded);
	s->views = NULL;
	s->loaded = NULL;
}

static int
ev_nthreads(int n, size_t nrd, size_t accbytes)
{
	n = eval_nthreads(n, nrd);
	while (n > 1 && accbytes * (size_t)(n - 1) > EV_THREAD_BYTES)
		n--;
	return n;
}

int
eval_events_run(struct eval_prog *p, struct store_txn *txn, int nthreads,
    const struct eval_progress *progress, uint32_t why_pno, char **cause)
{
	struct eval_events *ev = p->ev;
	struct evdb_chunk_info *all = NULL, *rd = NULL;
	struct ev_thread *th = NULL;
	struct ev_pass s;
	size_t nall, i, j, accbytes, nwords;
	uint64_t nprof = p->schema->nprofiles;
	int n = 0, started = 0, loaded, rc = -1;

	memset(&ev->stats, 0, sizeof ev->stats);
	memset(&s, 0, sizeof s);
	s.p = p;
	s.ev = ev;
	s.why_pno = why_pno;
	s.progress = progress;
	s.np = ((size_t)nprof + 63) / 64 * 64;
	atomic_init(&s.next, 0);
	atomic_init(&s.ready, 0);
	atomic_init(&s.stop, 0);
	nwords = (size_t)pdb_nchunks(p->schema) * EVAL_WORDS;
	if (nwords < s.np / 64)
		nwords = s.np / 64;
	accbytes = 0;
	for (j = 0; j < ev->n; j++) {
		struct ev_node *e = &ev->v[j];

		free(e->need);
		e->need = xcalloc(ev->sub.ncols, 1);
		/*
		 * The time column only where a chunk straddles the window
		 * (ev_plan), unless first/last or the where read it.
		 */
		e->need[ev->colpno] = e->need[ev->colname] = 1;
		if (e->acc == EA_FIRST || e->acc == EA_LAST)
			e->need[ev->coltime] = 1;
		if (e->propcol >= 0)
			e->need[e->propcol] = 1;
		ev_where_cols(e->where, e->need);
		free(e->bits);
		e->bits = xcalloc(nwords > 0 ? nwords : 1, sizeof *e->bits);
		if (why_pno != UINT32_MAX)
			eval_events_why_clear(&e->why);
		accbytes += ev_acc_bytes(e->acc, s.np);
	}
	if (evdb_chunks(txn, p->schema, &all, &nall, cause) != 0)
		return -1;
	ev_plan(&s, all, nall, &rd);
	s.rd = rd;
	s.views = xcalloc(s.nrd > 0 ? s.nrd * ev->sub.ncols : 1,
	    sizeof *s.views);

	n = why_pno != UINT32_MAX ? 1 : ev_nthreads(nthreads, s.nrd,
	    accbytes);
	th = xcalloc((size_t)n, sizeof *th);
	for (i = 0; i < (size_t)n; i++) {
		th[i].s = &s;
		eval_worker_init(&th[i].w, &ev->sub);
		th[i].a = xcalloc(ev->n > 0 ? ev->n : 1, sizeof *th[i].a);
		for (j = 0; j < ev->n; j++)
			ev_acc_alloc(&th[i].a[j], ev->v[j].acc, s.np);
	}
	for (i = 1; i < (size_t)n; i++) {
		if (pthread_create(&th[i].tid, NULL, ev_thread_main,
		    &th[i]) != 0)
			break;
		started++;
	}
	loaded = ev_load(&s, txn, cause);
	if (loaded == 0)
		ev_thread_main(&th[0]);
	for (i = 1; i <= (size_t)started; i++)
		pthread_join(th[i].tid, NULL);
	if (loaded != 0)
		goto out;
	if (atomic_load(&s.stop) || eval_progress_cancelled(s.progress)) {
		error_set(cause, "%s", _("recalculation cancelled"));
		goto out;
	}
	for (j = 0; j < ev->n; j++) {
		for (i = 1; i < (size_t)n; i++) {
			ev_acc_merge(&th[0].a[j], &th[i].a[j], ev->v[j].acc,
			    s.np);
			ev_acc_free(&th[i].a[j]);
		}
		ev_compare_all(&ev->v[j], &th[0].a[j], s.np, nprof);
		ev_acc_free(&th[0].a[j]);
	}
	if (why_pno != UINT32_MAX) {
		for (j = 0; j < ev->n; j++) {
			if (eval_events_why_format(p, txn, &ev->v[j],
			    cause) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	if (th != NULL) {
		for (i = 0; i < (size_t)n; i++) {
			for (j = 0; j < ev->n; j++)
				ev_acc_free(&th[i].a[j]);
			free(th[i].a);
			eval_worker_done(&th[i].w);
		}
		free(th);
	}
	ev_unload(&s);
	free(rd);
	free(all);
	return rc;
}

void
eval_stats(const struct eval_prog *p, struct eval_stats *st)
{
	if (p->ev == NULL)
		memset(st, 0, sizeof *st);
	else
		*st = p->ev->stats;
	st->chunks_read = p->stat_chunks;
	st->bytes_read = p->stat_bytes;
}

