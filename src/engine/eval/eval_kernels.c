/*
 * The scan's inner loops: evaluating a compiled program over one chunk
 * of 4096 rows into bitsets of 64-bit words.  Fixed-width columns are
 * compared against the intervals eval_compile_node resolved; string and
 * tag tests are decided once per dictionary entry of the chunk and then
 * looked up per row; and, or and not combine the bitsets word-wise.
 * eval_thread feeds chunks to these loops, so the per-chunk step and the
 * column tests stay in this one file where the compiler can inline them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "eval_int.h"
#include "util.h"

static uint32_t
eval_nwords(uint32_t nrows)
{
	return (nrows + 63) / 64;
}

static uint64_t
eval_tail_mask(uint32_t nrows)
{
	return (nrows & 63) == 0 ? ~(uint64_t)0 :
	    ((uint64_t)1 << (nrows & 63)) - 1;
}

/*
 * The column tests below repeat their inner loop for a full word: with a
 * constant count of 64 the compiler vectorises it, which the tail cannot.
 */
static void
eval_m_i64(const struct eval_node *n, const int64_t *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	size_t k;

	memset(m, 0, nw * sizeof *m);
	for (k = 0; k < n->niv; k++) {
		uint64_t lo = (uint64_t)n->iv[k].lo;
		uint64_t span = (uint64_t)n->iv[k].hi - lo;

		for (w = 0; w < nw; w++) {
			const int64_t *x = a + (size_t)w * 64;
			uint64_t bits = 0;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			if (lim == 64) {
				for (b = 0; b < 64; b++)
					bits |= (uint64_t)((uint64_t)x[b] - lo
					    <= span) << b;
			} else {
				for (b = 0; b < lim; b++)
					bits |= (uint64_t)((uint64_t)x[b] - lo
					    <= span) << b;
			}
			m[w] |= bits;
		}
	}
}

static void
eval_m_i32(const struct eval_node *n, const int32_t *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	size_t k;

	memset(m, 0, nw * sizeof *m);
	for (k = 0; k < n->niv; k++) {
		int64_t l = n->iv[k].lo, h = n->iv[k].hi;
		uint32_t lo, span;

		if (h < INT32_MIN || l > INT32_MAX)
			continue;
		l = eval_clamp(l, INT32_MIN, INT32_MAX);
		h = eval_clamp(h, INT32_MIN, INT32_MAX);
		lo = (uint32_t)(int32_t)l;
		span = (uint32_t)(int32_t)h - lo;
		for (w = 0; w < nw; w++) {
			const int32_t *x = a + (size_t)w * 64;
			uint64_t bits = 0;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			if (lim == 64) {
				for (b = 0; b < 64; b++)
					bits |= (uint64_t)((uint32_t)x[b] - lo
					    <= span) << b;
			} else {
				for (b = 0; b < lim; b++)
					bits |= (uint64_t)((uint32_t)x[b] - lo
					    <= span) << b;
			}
			m[w] |= bits;
		}
	}
}

/*
 * The bits of the 64 rows at x whose value less lo is at most span, for
 * packed rows of 1 and 2 bytes: sixteen rows a compare where SSE2 is
 * there (every x86-64), whose movemask the compiler would not find.
 */
static inline uint64_t
eval_bits8(const uint8_t *x, uint8_t lo, uint8_t span)
{
	uint64_t bits = 0;
	int k;
#ifdef __SSE2__
	__m128i l = _mm_set1_epi8((char)lo), sp = _mm_set1_epi8((char)span);
	__m128i z = _mm_setzero_si128(), v;

	for (k = 0; k < 4; k++) {
		v = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)
		    (x + 16 * k)), l);
		v = _mm_cmpeq_epi8(_mm_subs_epu8(v, sp), z);
		bits |= (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * k);
	}
#else
	for (k = 0; k < 64; k++)
		bits |= (uint64_t)((uint8_t)(x[k] - lo) <= span) << k;
#endif
	return bits;
}

static inline uint64_t
eval_bits16(const uint16_t *x, uint16_t lo, uint16_t span)
{
	uint64_t bits = 0;
	int k;
#ifdef __SSE2__
	__m128i l = _mm_set1_epi16((short)lo), sp = _mm_set1_epi16((short)span);
	__m128i z = _mm_setzero_si128(), a, b;

	for (k = 0; k < 4; k++) {
		a = _mm_sub_epi16(_mm_loadu_si128((const __m128i *)(const void *)
		    (x + 16 * k)), l);
		b = _mm_sub_epi16(_mm_loadu_si128((const __m128i *)(const void *)
		    (x + 16 * k + 8)), l);
		a = _mm_cmpeq_epi16(_mm_subs_epu16(a, sp), z);
		b = _mm_cmpeq_epi16(_mm_subs_epu16(b, sp), z);
		bits |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_packs_epi16(a,
		    b)) << (16 * k);
	}
#else
	for (k = 0; k < 64; k++)
		bits |= (uint64_t)((uint16_t)(x[k] - lo) <= span) << k;
#endif
	return bits;
}

static inline uint64_t
eval_bits32(const uint32_t *x, uint32_t lo, uint32_t span)
{
	uint64_t bits = 0;
	int k;

	for (k = 0; k < 64; k++)
		bits |= (uint64_t)(x[k] - lo <= span) << k;
	return bits;
}

/*
 * The bits of rows w * 64 .. of a packed chunk whose packed value less
 * lo is at most span (lim rows; a full word takes the fast path).
 */
static uint64_t
eval_bits_packed(const struct col_chunk *v, uint32_t w, uint32_t lim,
    uint32_t lo, uint32_t span)
{
	uint32_t at = w * 64, b;
	uint64_t bits = 0;

	if (lim == 64) {
		if (v->width == 1)
			return eval_bits8((const uint8_t *)v->packed + at,
			    (uint8_t)lo, (uint8_t)span);
		if (v->width == 2)
			return eval_bits16((const uint16_t *)v->packed + at,
			    (uint16_t)lo, (uint16_t)span);
		return eval_bits32((const uint32_t *)v->packed + at, lo, span);
	}
	for (b = 0; b < lim; b++)
		bits |= (uint64_t)(col_packed(v, at + b) - lo <= span) << b;
	return bits;
}

static void
eval_m_packed(const struct eval_node *n, const struct col_chunk *v,
    uint32_t nrows, uint64_t *m)
{
	uint64_t top = v->width == 4 ? 0xFFFFFFFFU :
	    ((uint64_t)1 << (8 * v->width)) - 1, lo, hi;
	uint32_t nw = eval_nwords(nrows), w;
	size_t k;

	memset(m, 0, nw * sizeof *m);
	for (k = 0; k < n->niv; k++) {
		/* The interval less the base, within 0 .. top. */
		if (n->iv[k].hi < v->base)
			continue;
		lo = n->iv[k].lo <= v->base ? 0 :
		    (uint64_t)n->iv[k].lo - (uint64_t)v->base;
		hi = (uint64_t)n->iv[k].hi - (uint64_t)v->base;
		if (lo > top)
			continue;
		hi = hi < top ? hi : top;
		for (w = 0; w < nw; w++)
			m[w] |= eval_bits_packed(v, w,
			    nrows - w * 64 < 64 ? nrows - w * 64 : 64,
			    (uint32_t)lo, (uint32_t)(hi - lo));
	}
}

static void
eval_m_u8(const struct eval_node *n, const uint8_t *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	uint8_t ok[2] = { 0, 0 };
	size_t k;

	for (k = 0; k < n->niv; k++) {
		if (n->iv[k].lo <= 0 && n->iv[k].hi >= 0)
			ok[0] = 1;
		if (n->iv[k].lo <= 1 && n->iv[k].hi >= 1)
			ok[1] = 1;
	}
	for (w = 0; w < nw; w++) {
		const uint8_t *x = a + (size_t)w * 64;
		uint64_t bits = 0;

		lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
		for (b = 0; b < lim; b++)
			bits |= (uint64_t)ok[x[b] != 0] << b;
		m[w] = bits;
	}
}

static void
eval_m_f64(const struct eval_node *n, const double *a, uint32_t nrows,
    uint64_t *m)
{
	uint32_t nw = eval_nwords(nrows), w, b, lim;
	size_t k;

	memset(m, 0, nw * sizeof *m);
	for (k = 0; k < n->nfv; k++) {
		double lo = n->fv[k].lo, hi = n->fv[k].hi;

		for (w = 0; w < nw; w++) {
			const double *x = a + (size_t)w * 64;
			uint64_t bits = 0;

			lim = nrows - w * 64 < 64 ? nrows - w * 64 : 64;
			for (b = 0; b < lim; b++)
				bits |= (uint64_t)((x[b] >= lo) &
				    (x[b] <= hi)) << b;
			m[w] |= bits;
		}
	}
}

static int
eval_in_ivals(const struct eval_node *n, int64_t v)
{
	size_t k;

	for (k = 0; k < n->niv; k++) {
		if (v >= n->iv[k].lo && v <= n->iv[k].hi)
			return 1;
	}
	return 0;
}

/* Byte order of s (lowered when asked) against t. */
static int
eval_strcmp(const char *s, size_t sl, const char *t, size_t tl, int lower)
{
	size_t i, k = sl < tl ? sl : tl;
	int a, b;

	for (i = 0; i < k; i++) {
		a = (unsigned char)s[i];
		b = (unsigned char)t[i];
		if (lower)
			a = eval_lower(a);
		if (a != b)
			return a - b;
	}
	return (sl > tl) - (sl < tl);
}

/* A string predicate on one non-empty dictionary entry. */
static int
eval_str_test(const struct eval_node *n, const char *s, size_t len)
{
	const struct cond *c = n->c;
	const struct cond_value *v = c->values;
	int lower = c->func == CF_LOWER, m = 0;
	size_t i, vl;

	if (n->kind == CK_IN_QUERY)
		return eval_qstr_has(n, s, len) ^ n->neg;
	if (c->op == CO_IS_EMPTY || c->op == CO_IS_NOT_EMPTY)
		return n->const_l;
	if (c->func == CF_LENGTH)
		return eval_in_ivals(n, (int64_t)eval_utf8_len(s, len)) ^
		    n->neg;
	vl = v != NULL && v[0].s != NULL ? strlen(v[0].s) : 0;
	switch (c->op) {
	case CO_EQ:
	case CO_NE:
	case CO_IN:
	case CO_NOT_IN:
		for (i = 0; i < c->nvalues && !m; i++)
			m = eval_strcmp(s, len, v[i].s, strlen(v[i].s),
			    lower) == 0;
		break;
	case CO_LT:
		m = eval_strcmp(s, len, v[0].s, vl, lower) < 0;
		break;
	case CO_LE:
		m = eval_strcmp(s, len, v[0].s, vl, lower) <= 0;
		break;
	case CO_GT:
		m = eval_strcmp(s, len, v[0].s, vl, lower) > 0;
		break;
	case CO_GE:
		m = eval_strcmp(s, len, v[0].s, vl, lower) >= 0;
		break;
	case CO_BETWEEN:
		m = eval_strcmp(s, len, v[0].s, vl, lower) >= 0 &&
		    eval_strcmp(s, len, v[1].s, strlen(v[1].s), lower) <= 0;
		break;
	case CO_CONTAINS:
	case CO_NOT_CONTAINS:
		m = ascii_casestr(s, len, v[0].s, vl);
		break;
	case CO_STARTS_WITH:
		m = len >= vl && ascii_strncasecmp_n(s, vl, v[0].s, vl) == 0;
		break;
	case CO_ENDS_WITH:
		m = len >= vl && ascii_strncasecmp_n(s + len - vl, vl, v[0].s,
		    vl) == 0;
		break;
	default:
		break;
	}
	return m ^ n->neg;
}

static void
eval_grow(struct eval_worker *w, size_t n)
{
	if (n > w->lutcap) {
		w->lutcap = n + n / 2 + 64;
		free(w->lut);
		w->lut = xmalloc(w->lutcap);
	}
	if (n > w->mlutcap) {
		w->mlutcap = n + n / 2 + 64;
		free(w->mlut);
		w->mlut = xreallocarray(NULL, w->mlutcap, sizeof *w->mlut);
	}
}

static int
eval_has_ascii_letter(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
			return 1;
	return 0;
}

/*
 * ASCII lower case of n bytes, eight at a time: per byte, the high bit of
 * (b & 0x7f) + (0x80 - 'A') says b >= 'A', that of (b & 0x7f) + (0x80 -
 * 'Z' - 1) says b > 'Z'; bytes >= 0x80 (UTF-8) are left alone.
 */
static void
eval_fold_ascii(char *dst, const char *src, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t x, h, up;
	size_t k = 0;

	for (; k + 8 <= n; k += 8) {
		memcpy(&x, src + k, 8);
		h = x & ~high;
		up = (h + ones * (0x80 - 'A')) & ~(h + ones * (0x80 - 'Z' - 1)) &
		    ~x & high;
		x |= up >> 2;
		memcpy(dst + k, &x, 8);
	}
	for (; k < n; k++)
		dst[k] = (char)eval_lower((unsigned char)src[k]);
}

/*
 * `contains` over a whole chunk dictionary with one memmem instead of a
 * search per entry: the entries lie end to end in dict_data, so a match
 * belongs to the entry whose span holds it whole, and the search resumes
 * at the next entry.  With high-cardinality fields (e-mails, names) this
 * is what makes a substring test cost bytes, not entries.  ASCII case is
 * ignored by searching a lower-cased copy when the needle has letters.
 */
static void
eval_lut_contains(struct eval_worker *w, const struct eval_node *n,
    const struct col_chunk *v)
{
	const char *needle = n->c->values[0].s, *hay = v->dict_data, *p;
	char lneedle[256];
	size_t nl = strlen(needle), hl, pos, off;
	uint32_t i;
	uint8_t miss = (uint8_t)n->neg, hit = (uint8_t)!n->neg;

	for (i = 0; i < v->ndict; i++)
		w->lut[i] = v->dict_off[i + 1] == v->dict_off[i] ?
		    (uint8_t)n->empty_true : miss;
	if (v->ndict == 0)
		return;
	hay += v->dict_off[0];
	hl = v->dict_off[v->ndict] - v->dict_off[0];
	if (eval_has_ascii_letter(needle, nl)) {
		if (hl > w->foldcap) {
			w->foldcap = hl + hl / 2 + 64;
			free(w->fold);
			w->fold = xmalloc(w->foldcap);
		}
		eval_fold_ascii(w->fold, hay, hl);
		eval_fold_ascii(lneedle, needle, nl);
		hay = w->fold;
		needle = lneedle;
	}
	pos = 0;
	i = 0;
	while (pos + nl <= hl &&
	    (p = memmem(hay + pos, hl - pos, needle, nl)) != NULL) {
		off = (size_t)(p - hay) + v->dict_off[0];
		while (v->dict_off[i + 1] <= off)
			i++;
		if (off + nl <= v->dict_off[i + 1]) {
			w->lut[i] = hit;
			pos = v->dict_off[i + 1] - v->dict_off[0];
			i++;
		} else
			pos = (size_t)(p - hay) + 1;
	}
}

/*
 * Strings: decide each dictionary entry once, then look the codes up.
 * The result already accounts for empty values (absent or "").
 */
static void
eval_p_str(struct eval_worker *w, const struct eval_node *n,
    const struct col_chunk *v, uint64_t *out)
{
	uint32_t nrows = w->nrows, nw = eval_nwords(nrows), i, b, lim;
	uint32_t lo, hi, ntrue;
	uint64_t e = n->empty_true ? ~(uint64_t)0 : 0, bits;
	const struct cond *c = n->c;
	size_t nl;

	eval_grow(w, v->ndict + 1);
	w->lut[v->ndict] = 0;
	nl = (c->op == CO_CONTAINS || c->op == CO_NOT_CONTAINS) &&
	    c->func != CF_LENGTH && c->nvalues > 0 && c->values[0].s != NULL ?
	    strlen(c->values[0].s) : 0;
	if (nl > 0 && nl < 256) {
		eval_lut_contains(w, n, v);
		i = v->ndict;
	} else
		i = 0;
	for (; i < v->ndict; i++) {
		uint32_t len = v->dict_off[i + 1] - v->dict_off[i];

		w->lut[i] = len == 0 ? (uint8_t)n->empty_true :
		    (uint8_t)eval_str_test(n, v->dict_data + v->dict_off[i],
		    len);
	}
	/*
	 * One value (an equality), or values whose codes follow each other:
	 * a range test over the packed codes, not a lookup a row.
	 */
	for (i = 0, lo = UINT32_MAX, hi = 0, ntrue = 0; v->width != 0 &&
	    i < v->ndict; i++) {
		if (w->lut[i]) {
			lo = i < lo ? i : lo;
			hi = i;
			ntrue++;
		}
	}
	if (v->width != 0 && (ntrue == 0 || ntrue == hi - lo + 1)) {
		for (i = 0; i < nw; i++) {
			lim = nrows - i * 64 < 64 ? nrows - i * 64 : 64;
			bits = ntrue == 0 ? 0 : eval_bits_packed(v, i, lim, lo,
			    hi - lo);
			out[i] = (v->present[i] & bits) | (~v->present[i] & e);
		}
		return;
	}
	for (i = 0; i < nw; i++) {
		bits = 0;
		lim = nrows - i * 64 < 64 ? nrows - i * 64 : 64;
		if (v->width == 1) {
			const uint8_t *x = (const uint8_t *)v->packed +
			    (size_t)i * 64;

			for (b = 0; b < lim; b++)
				bits |= (uint64_t)w->lut[x[b] < v->ndict ?
				    x[b] : v->ndict] << b;
		} else if (v->width == 2) {
			const uint16_t *x = (const uint16_t *)v->packed +
			    (size_t)i * 64;

			for (b = 0; b < lim; b++)
				bits |= (uint64_t)w->lut[x[b] < v->ndict ?
				    x[b] : v->ndict] << b;
		} else {
			const uint32_t *x = v->codes + (size_t)i * 64;

			for (b = 0; b < lim; b++)
				bits |= (uint64_t)w->lut[x[b] < v->ndict ?
				    x[b] : v->ndict] << b;
		}
		out[i] = (v->present[i] & bits) | (~v->present[i] & e);
	}
}

/* Tags: per dictionary entry which of the values it equals, then rows. */
static void
eval_p_tags(struct eval_worker *w, const struct eval_node *n,
    const struct col_chunk *v, uint64_t *out)
{
	const struct cond *c = n->c;
	uint32_t nrows = w->nrows, nw = eval_nwords(nrows), i, r, k;
	uint64_t full, have, bits;
	size_t j, nv = c->nvalues;
	int res;

	eval_grow(w, v->ndict + 1);
	full = nv >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nv) - 1;
	for (i = 0; i < v->ndict && c->func != CF_LENGTH; i++) {
		const char *s = v->dict_data + v->dict_off[i];
		uint32_t len = v->dict_off[i + 1] - v->dict_off[i];

		w->mlut[i] = 0;
		if (n->kind == CK_IN_QUERY) {
			w->mlut[i] = (uint64_t)eval_qstr_has(n, s, len);
			continue;
		}
		for (j = 0; j < nv; j++) {
			if (eval_strcmp(s, len, c->values[j].s,
			    strlen(c->values[j].s), 0) == 0)
				w->mlut[i] |= (uint64_t)1 << (j < 63 ? j : 63);
		}
	}
	memset(out, 0, nw * sizeof *out);
	for (r = 0; r < nrows; r++) {
		uint32_t a = v->tag_off[r], z = v->tag_off[r + 1];

		if (!col_present(v, r) || a == z)
			res = n->empty_true;
		else if (c->op == CO_IS_EMPTY || c->op == CO_IS_NOT_EMPTY)
			res = n->const_l;
		else if (c->func == CF_LENGTH)
			res = eval_in_ivals(n, (int64_t)(z - a)) ^ n->neg;
		else {
			have = 0;
			for (k = a; k < z; k++)
				have |= v->codes[k] < v->ndict ?
				    w->mlut[v->codes[k]] : 0;
			if (c->op == CO_HAS_ALL)
				res = (have & full) == full;
			else
				res = (have != 0) ^ n->neg;
		}
		bits = (uint64_t)(res != 0) << (r & 63);
		out[r >> 6] |= bits;
	}
}

/* A number or date in the sorted values of an "in query" node. */
static int
eval_qint_has(const struct eval_node *n, int64_t v)
{
	size_t lo = 0, hi = n->nqint, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (n->qint[mid] == v)
			return 1;
		if (n->qint[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void
eval_m_query(const struct eval_node *n, const struct col_chunk *v,
    uint32_t nrows, uint64_t *m)
{
	uint32_t r;

	memset(m, 0, eval_nwords(nrows) * sizeof *m);
	for (r = 0; r < nrows; r++) {
		if (eval_qint_has(n, col_int(v, r)))
			m[r >> 6] |= (uint64_t)1 << (r & 63);
	}
}

static void
eval_p_segment(struct eval_worker *w, const struct eval_node *n,
    uint64_t *out)
{
	roaring_uint32_iterator_t it;
	uint32_t base = w->chunk * PDB_CHUNK_ROWS, r;

	memset(out, 0, eval_nwords(w->nrows) * sizeof *out);
	roaring_init_iterator(n->seg, &it);
	if (!roaring_move_uint32_iterator_equalorlarger(&it, base))
		return;
	while (it.has_value && it.current_value < base + w->nrows) {
		r = it.current_value - base;
		out[r >> 6] |= (uint64_t)1 << (r & 63);
		roaring_advance_uint32_iterator(&it);
	}
}

/*
 * The bytes of a chunk's column data a test reads (eval_stats): its
 * presence bits, its values or codes, and for strings and tags the
 * chunk's dictionary.
 */
static uint64_t
eval_p_bytes(const struct eval_node *n, const struct col_chunk *v,
    uint32_t nrows)
{
	uint64_t b = (uint64_t)eval_nwords(nrows) * 8;

	if (v->width != 0 && n->ek != EK_CONST)
		b += (uint64_t)nrows * v->width;
	switch (n->ek) {
	case EK_STR:
		return b + (v->width != 0 ? 0 : (uint64_t)nrows * 4) +
		    (uint64_t)(v->ndict + 1) * 4 + v->dict_off[v->ndict];
	case EK_TAGS:
		return b + (uint64_t)(nrows + 1) * 4 + (uint64_t)v->ncodes * 4 +
		    (uint64_t)(v->ndict + 1) * 4 + v->dict_off[v->ndict];
	case EK_CONST:
		return b;
	case EK_I32:
		return b + (v->width != 0 ? 0 : (uint64_t)nrows * 4);
	case EK_U8:
		return b + nrows;
	case EK_QI64:
	case EK_QI32:
		return b + (v->width != 0 ? 0 :
		    (uint64_t)nrows * (v->type == FT_DATE ? 4 : 8));
	default:
		return b + (v->width != 0 ? 0 : (uint64_t)nrows * 8);
	}
}

static void
eval_p(struct eval_worker *w, const struct eval_node *n, uint64_t *out)
{
	const struct col_chunk *v;
	uint32_t nw = eval_nwords(w->nrows), i;
	uint64_t e = n->empty_true ? ~(uint64_t)0 : 0;

	if (n->ek == EK_SEGMENT) {
		eval_p_segment(w, n, out);
		return;
	}
	if (n->ek == EK_EVENT) {
		memcpy(out, eval_events_bits(w->p, n->evidx, w->chunk),
		    nw * sizeof *out);
		return;
	}
	v = &w->views[n->col];
	w->bytes += eval_p_bytes(n, v, w->nrows);
	switch (n->ek) {
	case EK_STR:
		eval_p_str(w, n, v, out);
		return;
	case EK_TAGS:
		eval_p_tags(w, n, v, out);
		return;
	case EK_CONST:
		for (i = 0; i < nw; i++)
			out[i] = n->const_l ? ~(uint64_t)0 : 0;
		break;
	case EK_I64:
	case EK_I32:
		if (v->width != 0)
			eval_m_packed(n, v, w->nrows, out);
		else if (n->ek == EK_I64)
			eval_m_i64(n, v->i64, w->nrows, out);
		else
			eval_m_i32(n, v->i32, w->nrows, out);
		break;
	case EK_U8:
		eval_m_u8(n, v->u8, w->nrows, out);
		break;
	case EK_QI64:
	case EK_QI32:
		eval_m_query(n, v, w->nrows, out);
		break;
	default:
		eval_m_f64(n, v->f64, w->nrows, out);
		break;
	}
	if (n->neg) {
		for (i = 0; i < nw; i++)
			out[i] = ~out[i];
	}
	for (i = 0; i < nw; i++)
		out[i] = (v->present[i] & out[i]) | (~v->present[i] & e);
}

static int
eval_any(const uint64_t *m, uint32_t nw)
{
	uint32_t i;

	for (i = 0; i < nw; i++) {
		if (m[i] != 0)
			return 1;
	}
	return 0;
}

/* Evaluates node n over the worker's chunk; bits past nrows end up 0. */
void
eval_node(struct eval_worker *w, const struct eval_node *n, int depth,
    uint64_t *out)
{
	uint32_t nw = eval_nwords(w->nrows), i;
	uint64_t *tmp = w->stack + (size_t)depth * EVAL_WORDS, tail;
	size_t k;

	tail = eval_tail_mask(w->nrows);
	switch (n->kind) {
	case CK_AND:
	case CK_OR:
		if (n->nkids == 0) {
			for (i = 0; i < nw; i++)
				out[i] = n->kind == CK_AND ? ~(uint64_t)0 : 0;
			break;
		}
		eval_node(w, n->kids[0], depth + 1, out);
		for (k = 1; k < n->nkids; k++) {
			if (n->kind == CK_AND && !eval_any(out, nw))
				break;
			eval_node(w, n->kids[k], depth + 1, tmp);
			if (n->kind == CK_AND) {
				for (i = 0; i < nw; i++)
					out[i] &= tmp[i];
			} else {
				for (i = 0; i < nw; i++)
					out[i] |= tmp[i];
			}
		}
		break;
	case CK_NOT:
		eval_node(w, n->kids[0], depth + 1, out);
		for (i = 0; i < nw; i++)
			out[i] = ~out[i];
		break;
	default:
		eval_p(w, n, out);
		break;
	}
	if (nw > 0)
		out[nw - 1] &= tail;
}

/* Conditions and range for one chunk into out (EVAL_WORDS words). */
static void
eval_chunk(struct eval_worker *w, uint32_t chunk,
    const struct col_chunk *views, uint32_t nrows, uint64_t *out)
{
	const struct eval_prog *p = w->p;
	uint32_t nw = eval_nwords(nrows), i, b, lim;

	w->chunk = chunk;
	w->views = views;
	w->nrows = nrows;
	if (p->root != NULL)
		eval_node(w, p->root, 0, out);
	else {
		for (i = 0; i < nw; i++)
			out[i] = ~(uint64_t)0;
		if (nw > 0)
			out[nw - 1] &= eval_tail_mask(nrows);
	}
	if (p->bucket_col >= 0) {
		const uint16_t *bk = views[p->bucket_col].u16;

		w->bytes += (uint64_t)nrows * 2;
		uint16_t lo = p->range_lo;
		uint16_t span = (uint16_t)(p->range_hi - p->range_lo);

		for (i = 0; i < nw; i++) {
			uint64_t bits = 0;

			if (out[i] == 0)
				continue;
			lim = nrows - i * 64 < 64 ? nrows - i * 64 : 64;
			for (b = 0; b < lim; b++)
				bits |= (uint64_t)((uint16_t)(bk[i * 64 + b] -
				    lo) < span) << b;
			out[i] &= bits;
		}
	}
}

void
eval_worker_init(struct eval_worker *w, const struct eval_prog *p)
{
	memset(w, 0, sizeof *w);
	w->p = p;
	w->stack = xcalloc((size_t)(p->depth + 2) * EVAL_WORDS,
	    sizeof *w->stack);
}

void
eval_worker_done(struct eval_worker *w)
{
	free(w->stack);
	free(w->lut);
	free(w->mlut);
	free(w->fold);
}

/* The first worker's error is the scan's, and it stops every worker. */
static int
eval_fail(struct eval_scan *s, char *cause)
{
	char *none = NULL;

	if (!atomic_compare_exchange_strong(&s->err, &none, cause))
		free(cause);
	atomic_store(&s->stop, 1);
	return -1;
}

/*
 * The values of chunk c's views, checked just before they are read, on
 * this thread (eval_collect checked only their layout).  The first
 * damaged chunk's message stops every worker.
 */
static int
eval_check_chunk(struct eval_scan *s, uint32_t c)
{
	char *cause = NULL;
	size_t k;

	for (k = 0; k < s->ncols; k++) {
		if (pdb_chunk_check(s->schema, s->cols[k], c,
		    &s->views[(size_t)c * s->ncols + k], &cause) != 0)
			return eval_fail(s, cause);
	}
	return 0;
}

/*
 * Chunk c's views into mv, those with an overlay merged into this
 * worker's mbuf, whose copies are reused from chunk to chunk: on a store
 * that took many small upserts most chunks of the columns they named
 * have one (doc/storage.md, "Overlays").
 */
static int
eval_merge_chunk(struct eval_scan *s, uint32_t c, struct col_chunk *mbuf,
    struct col_chunk *mv)
{
	const struct col_chunk *cv = s->views + (size_t)c * s->ncols;
	char *cause = NULL;
	size_t k;

	for (k = 0; k < s->ncols; k++) {
		if (cv[k].overlay == NULL) {
			mv[k] = cv[k];
			continue;
		}
		if (pdb_chunk_merged(s->schema, s->cols[k], c, &cv[k],
		    &mbuf[k], &cause) != 0)
			return eval_fail(s, cause);
		mv[k] = mbuf[k];
	}
	return 0;
}

/*
 * Takes the deleted profiles out of chunk c's bits (they hold only empty
 * values, which "is empty" would match) and counts its members, while
 * the bits are still in this core's cache.
 */
static uint32_t
eval_chunk_finish(const struct eval_scan *s, uint64_t *r, uint32_t c)
{
	const uint64_t *d;
	uint32_t i, n = 0;

	if (s->dead != NULL) {
		d = s->dead + (size_t)c * EVAL_WORDS;
		for (i = 0; i < EVAL_WORDS; i++)
			r[i] &= ~d[i];
	}
	for (i = 0; i < EVAL_WORDS; i++)
		n += (uint32_t)__builtin_popcountll(r[i]);
	return n;
}

void *
eval_thread(void *arg)
{
	struct eval_scan *s = arg;
	struct eval_worker *w;
	struct col_chunk *pv = NULL, *mv, *mbuf;
	const struct col_chunk *cv, *v;
	const struct eval_prog *p;
	uint32_t c, nrows;
	uint64_t done, *r;
	size_t j, k, most = 1;

	w = xcalloc(s->nprogs, sizeof *w);
	for (j = 0; j < s->nprogs; j++) {
		eval_worker_init(&w[j], s->progs[j]);
		if (s->progs[j]->ncols > most)
			most = s->progs[j]->ncols;
	}
	if (!s->identity)
		pv = xcalloc(most, sizeof *pv);
	mv = xcalloc(s->ncols + 1, sizeof *mv);
	mbuf = xcalloc(s->ncols + 1, sizeof *mbuf);
	for (;;) {
		if (atomic_load(&s->stop))
			break;
		if (eval_cancelled(s)) {
			atomic_store(&s->stop, 1);
			break;
		}
		c = atomic_fetch_add(&s->next, 1);
		if (c >= s->nchunks)
			break;
		nrows = eval_chunk_rows(s->nprofiles, c);
		if (eval_check_chunk(s, c) != 0)
			break;
		cv = s->views + (size_t)c * s->ncols;
		for (k = 0; k < s->ncols; k++)
			if (cv[k].overlay != NULL)
				break;
		if (k < s->ncols) {
			if (eval_merge_chunk(s, c, mbuf, mv) != 0)
				break;
			cv = mv;
		}
		for (j = 0; j < s->nprogs; j++) {
			p = s->progs[j];
			v = cv;
			if (!s->identity) {
				/* Views are plain structs: this one's order. */
				for (k = 0; k < p->ncols; k++)
					pv[k] = cv[s->map[s->mapoff[j] + k]];
				v = pv;
			}
			r = s->res[j] + (size_t)c * EVAL_WORDS;
			eval_chunk(&w[j], c, v, nrows, r);
			s->counts[j][c] = eval_chunk_finish(s, r, c);
			w[j].bytes += (uint64_t)EVAL_WORDS * 8 *
			    (s->dead != NULL ? 2 : 1);
		}
		done = atomic_fetch_add(&s->scanned, nrows) + nrows;
		if (s->progress != NULL && s->progress->fn != NULL)
			s->progress->fn(s->progress->arg, done, s->nprofiles);
	}
	for (j = 0; j < s->nprogs; j++) {
		atomic_fetch_add(&s->bytes[j], w[j].bytes);
		eval_worker_done(&w[j]);
	}
	free(w);
	free(pv);
	for (k = 0; k < s->ncols; k++)
		pdb_chunk_release(&mbuf[k]);
	free(mbuf);
	free(mv);
	return NULL;
}
