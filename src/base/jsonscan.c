/*
 * jsonscan: one flat JSON object in one pass (jsonscan.h).  Strings are
 * scanned eight bytes at a time for the bytes that end a run of plain
 * characters ('"', '\\', a control character, a byte from 0x80); a
 * string without escapes is returned where it is in the text, one with
 * escapes is unescaped into a buffer as long as the text (an escape is
 * never shorter than what it writes), so no string is copied twice and
 * nothing is allocated per line once the buffers have grown.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "jsonscan.h"
#include "util.h"

#define JSONSCAN_ONES	0x0101010101010101ULL
#define JSONSCAN_HIGHS	0x8080808080808080ULL

/*
 * The high bit of each byte of w that ends a run: '"', '\\', below 0x20,
 * from 0x80.  (x - ONES) & ~x has the high bit of a zero byte of x set,
 * and below the first such byte no other; the lowest bit set is exact.
 */
static inline uint64_t
jsonscan_stops(uint64_t w)
{
	uint64_t q = w ^ (JSONSCAN_ONES * '"');
	uint64_t b = w ^ (JSONSCAN_ONES * '\\');

	return (((q - JSONSCAN_ONES) & ~q) | ((b - JSONSCAN_ONES) & ~b) |
	    ((w - JSONSCAN_ONES * 0x20) & ~w) | w) & JSONSCAN_HIGHS;
}

static inline int
jsonscan_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The first byte at or after p that ends a run of plain characters. */
static inline const char *
jsonscan_run(const char *p, const char *end)
{
	uint64_t w, m;

#ifdef __SSE2__
	/*
	 * Sixteen bytes a step: a signed compare with 0x20 takes the
	 * control characters and every byte from 0x80 at once.
	 */
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		int bits = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
		    _mm_cmplt_epi8(v, _mm_set1_epi8(0x20))));

		if (bits != 0)
			return p + __builtin_ctz((unsigned int)bits);
		p += 16;
	}
#endif
	while (end - p >= 8) {
		memcpy(&w, p, 8);
		if ((m = jsonscan_stops(w)) != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return p + __builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < end && jsonscan_plain((unsigned char)*p))
		p++;
	return p;
}

static inline const char *
jsonscan_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

/* Four hex digits at p (p + 4 <= end checked by the caller); -1 if not. */
static long
jsonscan_hex4(const char *p)
{
	long v = 0;
	int i, d;

	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static char *
jsonscan_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80)
		*o++ = (char)cp;
	else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/*
 * The escape after the backslash at p, written at *o; returns what
 * follows it, or NULL when it is not one the scanner takes (\u0000, a
 * surrogate not in a pair, anything RFC 8259 does not list).
 */
static const char *
jsonscan_escape(const char *p, const char *end, char **o)
{
	long cp, lo;

	if (++p == end)
		return NULL;
	switch (*p) {
	case '"':
	case '\\':
	case '/':
		*(*o)++ = *p;
		return p + 1;
	case 'b':
		*(*o)++ = '\b';
		return p + 1;
	case 'f':
		*(*o)++ = '\f';
		return p + 1;
	case 'n':
		*(*o)++ = '\n';
		return p + 1;
	case 'r':
		*(*o)++ = '\r';
		return p + 1;
	case 't':
		*(*o)++ = '\t';
		return p + 1;
	case 'u':
		break;
	default:
		return NULL;
	}
	if (end - p < 5 || (cp = jsonscan_hex4(p + 1)) <= 0)
		return NULL;
	p += 5;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return NULL;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
		    (lo = jsonscan_hex4(p + 2)) < 0xDC00 || lo > 0xDFFF)
			return NULL;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		p += 6;
	}
	*o = jsonscan_utf8(*o, (unsigned long)cp);
	return p;
}

/* The string after the quote at p - 1 into *out; returns what follows. */
static const char *
jsonscan_string(struct jsonscan *js, const char *p, const char *end,
    struct jsonscan_str *out)
{
	const char *start = p, *run = p;
	char *o = NULL, *ostart = NULL;
	size_t n;

	for (;;) {
		p = jsonscan_run(p, end);
		if (p == end)
			return NULL;
		if (*p == '"')
			break;
		if ((unsigned char)*p >= 0x80) {
			p = (const char *)text_two_byte_run(
			    (const unsigned char *)p,
			    (const unsigned char *)end);
			if (p < end && (unsigned char)*p >= 0x80) {
				if ((n = text_utf8_len((const unsigned char *)p,
				    (size_t)(end - p))) == 0)
					return NULL;
				p += n;
			}
			continue;
		}
		if (*p != '\\')
			return NULL;	/* a control character */
		if (o == NULL)
			o = ostart = js->buf + js->blen;
		memcpy(o, run, (size_t)(p - run));
		o += p - run;
		if ((p = jsonscan_escape(p, end, &o)) == NULL)
			return NULL;
		run = p;
	}
	if (o == NULL) {
		out->p = start;
		out->len = (size_t)(p - start);
	} else {
		memcpy(o, run, (size_t)(p - run));
		o += p - run;
		out->p = ostart;
		out->len = (size_t)(o - ostart);
		js->blen = (size_t)(o - js->buf);
	}
	return p + 1;
}

static inline int
jsonscan_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* The number at p (RFC 8259's grammar); returns what follows, or NULL. */
static const char *
jsonscan_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (!jsonscan_digit(p, end))
		return NULL;
	if (*p++ != '0')
		while (jsonscan_digit(p, end))
			p++;
	if (p < end && *p == '.') {
		if (!jsonscan_digit(++p, end))
			return NULL;
		while (jsonscan_digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!jsonscan_digit(p, end))
			return NULL;
		while (jsonscan_digit(p, end))
			p++;
	}
	return p;
}

static const char *
jsonscan_word(const char *p, const char *end, const char *w, size_t n)
{
	if ((size_t)(end - p) < n || memcmp(p, w, n) != 0)
		return NULL;
	return p + n;
}

/* An array of strings after the '[' at p - 1, into m. */
static const char *
jsonscan_array(struct jsonscan *js, const char *p, const char *end,
    struct jsonscan_member *m)
{
	m->first = js->nstrs;
	m->n = 0;
	p = jsonscan_ws(p, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		if (p == end || *p != '"')
			return NULL;
		if (js->nstrs == js->scap) {
			js->scap = js->scap == 0 ? 64 : 2 * js->scap;
			js->strs = xreallocarray(js->strs, js->scap,
			    sizeof *js->strs);
		}
		p = jsonscan_string(js, p + 1, end, &js->strs[js->nstrs]);
		if (p == NULL)
			return NULL;
		js->nstrs++;
		m->n++;
		p = jsonscan_ws(p, end);
		if (p == end)
			return NULL;
		if (*p == ']')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = jsonscan_ws(p + 1, end);
	}
}

/* The value at p into m; returns what follows, or NULL. */
static const char *
jsonscan_value(struct jsonscan *js, const char *p, const char *end,
    struct jsonscan_member *m)
{
	const char *q;

	switch (*p) {
	case '"':
		m->kind = JSONSCAN_STRING;
		return jsonscan_string(js, p + 1, end, &m->text);
	case '[':
		m->kind = JSONSCAN_ARRAY;
		return jsonscan_array(js, p + 1, end, m);
	case 't':
		m->kind = JSONSCAN_TRUE;
		return jsonscan_word(p, end, "true", 4);
	case 'f':
		m->kind = JSONSCAN_FALSE;
		return jsonscan_word(p, end, "false", 5);
	case 'n':
		m->kind = JSONSCAN_NULL;
		return jsonscan_word(p, end, "null", 4);
	}
	m->kind = JSONSCAN_NUMBER;
	if ((q = jsonscan_number(p, end)) == NULL)
		return NULL;
	m->text.p = p;
	m->text.len = (size_t)(q - p);
	return q;
}

int
jsonscan_object(struct jsonscan *js, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct jsonscan_member *m;

	js->n = js->nstrs = js->blen = 0;
	/* Unescaped strings take at most the bytes of the text. */
	if (js->bcap < len) {
		free(js->buf);
		js->bcap = len;
		js->buf = xmalloc(len);
	}
	p = jsonscan_ws(p, end);
	if (p == end || *p != '{')
		return -1;
	p = jsonscan_ws(p + 1, end);
	if (p < end && *p == '}')
		return jsonscan_ws(p + 1, end) == end ? 0 : -1;
	for (;;) {
		if (p == end || *p != '"')
			return -1;
		if (js->n == js->mcap) {
			js->mcap = js->mcap == 0 ? 32 : 2 * js->mcap;
			js->m = xreallocarray(js->m, js->mcap, sizeof *js->m);
		}
		m = &js->m[js->n];
		if ((p = jsonscan_string(js, p + 1, end, &m->name)) == NULL)
			return -1;
		p = jsonscan_ws(p, end);
		if (p == end || *p != ':')
			return -1;
		p = jsonscan_ws(p + 1, end);
		if (p == end || (p = jsonscan_value(js, p, end, m)) == NULL)
			return -1;
		js->n++;
		p = jsonscan_ws(p, end);
		if (p == end)
			return -1;
		if (*p == '}')
			break;
		if (*p != ',')
			return -1;
		p = jsonscan_ws(p + 1, end);
	}
	return jsonscan_ws(p + 1, end) == end ? 0 : -1;
}

void
jsonscan_free(struct jsonscan *js)
{
	free(js->m);
	free(js->strs);
	free(js->buf);
	memset(js, 0, sizeof *js);
}
