/*
 * util: allocation that never returns NULL, string buffers, arenas,
 * error causes (error_set) and small text helpers every layer uses.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

static void
oom(void)
{
	fputs("reseg: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int
error_set(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL || *cause != NULL)
		return -1;
	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0. */
static size_t
util_utf8_len(const unsigned char *p, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF are not UTF-8. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

char *
util_escape_controls(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf sb = STRBUF_INIT;
	uint32_t cp;
	size_t n;

	sb_grow(&sb, strlen(s));
	sb_add(&sb, "", 0);
	while (*p != '\0') {
		if ((n = util_utf8_len(p, &cp)) == 0)
			cp = *p++;
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			p += n;
		else {
			sb_add(&sb, p, n);
			p += n;
			continue;
		}
		sb_puts(&sb, "\\x");
		sb_putc(&sb, hex[cp >> 4]);
		sb_putc(&sb, hex[cp & 0xf]);
	}
	return sb_detach(&sb);
}

void
sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	if (sb->cap == 0)
		sb->cap = 64;
	while (sb->cap < need)
		sb->cap *= 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

void
sb_add(struct strbuf *sb, const void *p, size_t n)
{
	sb_grow(sb, n);
	if (n > 0)
		memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sb_puts(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_putc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void
sb_reset(struct strbuf *sb)
{
	sb_truncate(sb, 0);
}

void
sb_truncate(struct strbuf *sb, size_t len)
{
	sb->len = len;
	if (sb->buf != NULL)
		sb->buf[len] = '\0';
}

char *
sb_detach(struct strbuf *sb)
{
	char *p = sb->buf != NULL ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

static int
lower_ascii(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int
ascii_strncasecmp_n(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i, n = al < bl ? al : bl;
	int d;

	for (i = 0; i < n; i++) {
		d = lower_ascii((unsigned char)a[i]) - lower_ascii((unsigned char)b[i]);
		if (d != 0)
			return d;
	}
	return (al > bl) - (al < bl);
}

int
ascii_casestr(const char *hay, size_t hl, const char *needle, size_t nl)
{
	size_t i;

	if (nl == 0)
		return 1;
	for (i = 0; i + nl <= hl; i++) {
		if (ascii_strncasecmp_n(hay + i, nl, needle, nl) == 0)
			return 1;
	}
	return 0;
}

int
parse_int64(const char *s, size_t n, int64_t *out)
{
	char buf[32], *end;
	long long v;

	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (isspace((unsigned char)buf[0]))
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/*
 * A plain decimal of at most 15 digits ("-9493.33"): its digits m and
 * its decimals k are exact doubles (m < 2^53, 10^k for k <= 22), so one
 * division, rounded as IEEE 754 rounds, is the double nearest the text,
 * which is what strtod returns.  0 when s is not of that kind.
 */
static int
parse_double_short(const char *s, size_t n, double *out)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *e = s + n;
	uint64_t m = 0;
	int neg = 0, digits = 0, k = -1;
	double v;

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
	/* A wider evaluation would round twice. */
	return 0;
#endif
	if (s < e && *s == '-') {
		neg = 1;
		s++;
	}
	for (; s < e; s++) {
		if (*s >= '0' && *s <= '9') {
			m = m * 10 + (uint64_t)(*s - '0');
			digits++;
			if (k >= 0)
				k++;
		} else if (*s == '.' && k < 0)
			k = 0;
		else
			return 0;
	}
	/* "1." and "." are left to strtod, which says what they are. */
	if (digits == 0 || digits > 15 || k == 0)
		return 0;
	v = k > 0 ? (double)m / p10[k] : (double)m;
	*out = neg ? -v : v;
	return 1;
}

int
parse_double(const char *s, size_t n, double *out)
{
	char buf[64], *end;
	double v;
	size_t i;

	if (n == 0 || n >= sizeof buf)
		return -1;
	if (parse_double_short(s, n, out))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (i = 0; i < n; i++) {
		/* Only plain decimal notation: no locale commas, hex, inf or nan. */
		if (!isdigit((unsigned char)buf[i]) && strchr("+-.eE", buf[i]) == NULL)
			return -1;
	}
	errno = 0;
	v = strtod(buf, &end);
	/* ERANGE on underflow still gives the nearest (subnormal) value. */
	if ((errno != 0 && !(errno == ERANGE && isfinite(v))) ||
	    *end != '\0')
		return -1;
	*out = v;
	return 0;
}

char *
util_expand_home(const char *path)
{
	const char	*home = getenv("HOME");

	if (home != NULL && *home != '\0' && path[0] == '~' &&
	    (path[1] == '\0' || path[1] == '/'))
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

const char *
util_login_name(void)
{
	static char name[256];
	struct passwd *pw;
	const char *env;

	if (name[0] != '\0')
		return name;
	pw = getpwuid(geteuid());
	if (pw != NULL && pw->pw_name != NULL)
		snprintf(name, sizeof name, "%s", pw->pw_name);
	else if ((env = getenv("USER")) != NULL && *env != '\0')
		snprintf(name, sizeof name, "%s", env);
	else
		snprintf(name, sizeof name, "unknown");
	return name;
}

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t size;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (b == NULL || b->used + n > b->size) {
		size = n > 65536 ? n : 65536;
		b = xmalloc(sizeof *b + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b, *next;

	if (a->head == NULL)
		return;
	for (b = a->head->next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head->next = NULL;
	a->head->used = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

mode_t
util_store_file_mode(const char *dir)
{
	struct stat sb;

	if (stat(dir, &sb) == 0 && (sb.st_mode & S_IWGRP) != 0)
		return 0660;
	return 0600;
}

void
util_store_file_fix(int fd, const char *dir)
{
	struct stat sb;
	mode_t mode = util_store_file_mode(dir);

	if (fstat(fd, &sb) == 0 && sb.st_uid == geteuid() &&
	    (sb.st_mode & 07777) != mode)
		(void)fchmod(fd, mode);
}

size_t
text_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

#define TEXT_ONES	0x0101010101010101ULL
#define TEXT_HIGHS	0x8080808080808080ULL

int
text_valid(const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text, *e = p + n;
	uint64_t w;
	size_t len;

	while (p < e) {
#ifdef __SSE2__
		/* Sixteen ASCII bytes, none of them NUL, at a time. */
		while (e - p >= 16) {
			__m128i v = _mm_loadu_si128(
			    (const __m128i *)(const void *)p);

			if ((_mm_movemask_epi8(v) | _mm_movemask_epi8(
			    _mm_cmpeq_epi8(v, _mm_setzero_si128()))) != 0)
				break;
			p += 16;
		}
		if (p == e)
			break;
#endif
		/* Eight ASCII bytes, none of them NUL, at a time. */
		if (e - p >= 8) {
			memcpy(&w, p, 8);
			if (((w | ((w - TEXT_ONES) & ~w)) & TEXT_HIGHS) == 0) {
				p += 8;
				continue;
			}
		}
		if (*p == '\0')
			return 0;
		if (*p < 0x80)
			p++;
		else if (*p >= 0xC2 && *p <= 0xDF && e - p >= 2 &&
		    (p[1] & 0xC0) == 0x80)
			p = text_two_byte_run(p, e);	/* Cyrillic... */
		else if ((len = text_utf8_len(p, (size_t)(e - p))) == 0)
			return 0;
		else
			p += len;
	}
	return 1;
}

int
text_find_fault(const char *text, size_t n, struct text_fault *tf)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, len;

	/* Nearly all text is; only a fault needs its line and column. */
	if (text_valid(text, n))
		return 0;
	tf->line = 0;
	tf->col = 1;
	while (i < n) {
		if (p[i] == '\0') {
			tf->nul = 1;
			tf->byte = 0;
			return 1;
		}
		if ((len = text_utf8_len(p + i, n - i)) == 0) {
			tf->nul = 0;
			tf->byte = p[i];
			return 1;
		}
		if (p[i] == '\n') {
			tf->line++;
			tf->col = 1;
		} else
			tf->col++;
		i += len;
	}
	return 0;
}

char *
text_fault_what(const struct text_fault *tf)
{
	if (tf->nul)
		return xstrdup(_("not UTF-8 text: a NUL byte"));
	return xasprintf(_("not UTF-8 text: invalid byte 0x%02X"), tf->byte);
}

int
text_check(const char *p, size_t n, const char *source, uint64_t first_line,
    char **cause)
{
	struct text_fault tf;
	char *what;

	if (!text_find_fault(p, n, &tf))
		return 0;
	what = text_fault_what(&tf);
	error_set(cause, "%s:%llu:%zu: %s", source,
	    (unsigned long long)(first_line + tf.line), tf.col, what);
	free(what);
	return -1;
}
