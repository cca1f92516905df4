/*
 * csv: a streaming RFC 4180 reader (quotes, CRLF, a UTF-8 byte order
 * mark, line numbers for messages) and the quoting of CSV output.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "i18n.h"
#include "util.h"

#define CSV_BUF_SIZE	(1024 * 1024)

struct csv_reader {
	FILE		*f;
	char		*buf;
	size_t		 len;
	size_t		 pos;
	uint64_t	 base;		/* input offset of buf[0] */
	int		 started;	/* the BOM check is done */
	int		 eof;
	int		 ioerr;
	int		 dead;		/* an unterminated quote ate the input */
	uint64_t	 line;		/* line of buf[pos] */
	uint64_t	 rec_line;
	char		*rec;		/* the record's fields, NUL-separated */
	size_t		 rec_len;
	size_t		 rec_cap;
	size_t		*offs;		/* field start offsets into rec */
	struct csv_field *fields;
	size_t		 nfields;
	size_t		 fcap;
	size_t		 fault;		/* field (from 1) not text, or 0 */
	char		*fault_what;	/* and what is wrong with it */
};

/* Bytes that end an unquoted run. */
static const unsigned char csv_special[256] = {
	[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1
};

/*
 * The first byte from q on that ends an unquoted run (e when none):
 * sixteen bytes a step where SSE2 is, a field of a CSV file being
 * mostly one step.
 */
static inline const unsigned char *
csv_run_end(const unsigned char *q, const unsigned char *e)
{
#ifdef __SSE2__
	while (e - q >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		int bits = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))), _mm_or_si128(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')))));

		if (bits != 0)
			return q + __builtin_ctz((unsigned int)bits);
		q += 16;
	}
#endif
	while (q < e && !csv_special[*q])
		q++;
	return q;
}

struct csv_reader *
csv_reader_new(FILE *f)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);

	r->f = f;
	r->buf = xmalloc(CSV_BUF_SIZE);
	r->line = 1;
	return r;
}

void
csv_reader_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->rec);
	free(r->offs);
	free(r->fields);
	free(r->fault_what);
	free(r);
}

const char *
csv_fault(const struct csv_reader *r, size_t *field)
{
	*field = r->fault;
	return r->fault != 0 ? r->fault_what : NULL;
}

/* Refills the buffer once buf[pos..len) is used up; 0 at the end. */
static int
csv_fill(struct csv_reader *r)
{
	if (r->pos < r->len)
		return 1;
	if (r->eof)
		return 0;
	r->base += r->len;
	r->pos = 0;
	r->len = fread(r->buf, 1, CSV_BUF_SIZE, r->f);
	if (r->len == 0) {
		r->eof = 1;
		if (ferror(r->f))
			r->ioerr = 1;
		return 0;
	}
	if (!r->started) {
		r->started = 1;
		if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0) {
			r->pos = 3;
			return csv_fill(r);
		}
	}
	return 1;
}

static int
csv_peek(struct csv_reader *r)
{
	if (r->pos == r->len && !csv_fill(r))
		return EOF;
	return (unsigned char)r->buf[r->pos];
}

static void
csv_append(struct csv_reader *r, const char *p, size_t n)
{
	if (r->rec_len + n + 1 > r->rec_cap) {
		r->rec_cap = r->rec_cap == 0 ? 4096 : r->rec_cap;
		while (r->rec_len + n + 1 > r->rec_cap)
			r->rec_cap *= 2;
		r->rec = xrealloc(r->rec, r->rec_cap);
	}
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
}

static void
csv_end_field(struct csv_reader *r, size_t start)
{
	if (r->nfields == r->fcap) {
		r->fcap = r->fcap == 0 ? 32 : r->fcap * 2;
		r->offs = xreallocarray(r->offs, r->fcap, sizeof *r->offs);
		r->fields = xreallocarray(r->fields, r->fcap, sizeof *r->fields);
	}
	r->offs[r->nfields] = start;
	r->fields[r->nfields].len = r->rec_len - start;
	r->nfields++;
	csv_append(r, "", 1);
}

/* Consumes a line end at pos (CRLF, LF or a lone CR). */
static void
csv_eat_eol(struct csv_reader *r)
{
	int c = csv_peek(r);

	if (c == '\r') {
		r->pos++;
		if (csv_peek(r) == '\n')
			r->pos++;
		r->line++;
	} else if (c == '\n') {
		r->pos++;
		r->line++;
	}
}

/* After a malformed record: resume after the next line end. */
static void
csv_skip_line(struct csv_reader *r)
{
	int c;

	while ((c = csv_peek(r)) != EOF) {
		if (c == '\r' || c == '\n') {
			csv_eat_eol(r);
			return;
		}
		r->pos++;
	}
}

/* Reads a quoted field after its opening quote. */
static int
csv_quoted(struct csv_reader *r, char **cause)
{
	const char *q, *p, *nl;
	size_t n;

	for (;;) {
		if (!csv_fill(r)) {
			r->dead = 1;
			return error_set(cause, _("the quoted field is never "
			    "closed"));
		}
		p = r->buf + r->pos;
		n = r->len - r->pos;
		q = memchr(p, '"', n);
		if (q != NULL)
			n = (size_t)(q - p);
		for (nl = p; (nl = memchr(nl, '\n', n - (size_t)(nl - p))) != NULL;
		    nl++)
			r->line++;
		csv_append(r, p, n);
		r->pos += n;
		if (q == NULL)
			continue;
		r->pos++;
		if (csv_peek(r) == '"') {
			csv_append(r, "\"", 1);
			r->pos++;
			continue;
		}
		return 0;
	}
}

/*
 * The common record: whole in the buffer, with no line end inside a
 * quoted field, nothing after a closing quote but a comma or the line
 * end, no quote in an unquoted field, and text.  Its fields are cut in
 * place: a first pass finds them without writing, a second puts a NUL
 * after each and undoes doubled quotes, so nothing is copied.  -1, with
 * nothing done, for any other record, which csv_read's loop reads (and
 * reports, when it is malformed).  The UTF-8 check runs once over the
 * record: quotes and commas are ASCII, so it is the fields' check.
 */
static int
csv_read_plain(struct csv_reader *r)
{
	char *p = r->buf + r->pos, *e = r->buf + r->len, *q, *s, *o, *nl;
	struct csv_field *f;
	size_t i, dq;

	for (q = p;;) {
		if (r->nfields == r->fcap) {
			r->fcap = r->fcap == 0 ? 32 : r->fcap * 2;
			r->offs = xreallocarray(r->offs, r->fcap,
			    sizeof *r->offs);
			r->fields = xreallocarray(r->fields, r->fcap,
			    sizeof *r->fields);
		}
		dq = 0;
		if (q < e && *q == '"') {
			s = ++q;
			for (;;) {
				while (q < e && *q != '"' && *q != '\n')
					q++;
				if (q + 1 >= e || *q == '\n')
					return -1;
				if (q[1] != '"')
					break;
				dq++;
				q += 2;
			}
			r->fields[r->nfields].len = (size_t)(q - s);
			if (*++q != ',' && *q != '\r' && *q != '\n')
				return -1;
		} else {
			s = q;
			q += csv_run_end((const unsigned char *)q,
			    (const unsigned char *)e) - (const unsigned char *)q;
			if (q == e || *q == '"')
				return -1;
			r->fields[r->nfields].len = (size_t)(q - s);
		}
		r->fields[r->nfields].p = s;
		r->offs[r->nfields++] = dq;	/* its doubled quotes */
		if (*q != ',')
			break;
		q++;
	}
	/* q is at the line end: CRLF, LF or a lone CR. */
	if (*q == '\r' && q + 1 == e)
		return -1;
	nl = *q == '\r' && q[1] == '\n' ? q + 2 : q + 1;
	if (!text_valid(p, (size_t)(q - p)))
		return -1;
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		s = o = r->buf + (f->p - r->buf);
		if (r->offs[i] > 0) {
			for (q = s + f->len; s < q; s++) {
				*o++ = *s;
				if (*s == '"')
					s++;
			}
			f->len = (size_t)(o - f->p);
		}
		r->buf[(f->p - r->buf) + f->len] = '\0';
	}
	r->pos = (size_t)(nl - r->buf);
	r->line++;
	return 0;
}

int
csv_read(struct csv_reader *r, const struct csv_field **fields, size_t *n,
    char **cause)
{
	const unsigned char *p, *e;
	struct text_fault tf;
	size_t start, i;
	char *what;
	int c;

	r->fault = 0;
	free(r->fault_what);
	r->fault_what = NULL;
	if (r->dead)
		return 1;
	/* Blank lines carry no record (a trailing one is common). */
	while ((c = csv_peek(r)) == '\r' || c == '\n')
		csv_eat_eol(r);
	if (c == EOF)
		return 1;
	r->rec_line = r->line;
	r->rec_len = 0;
	r->nfields = 0;
	if (csv_read_plain(r) == 0) {
		*fields = r->fields;
		*n = r->nfields;
		return 0;
	}
	r->nfields = 0;
	for (;;) {
		start = r->rec_len;
		if (csv_peek(r) == '"') {
			r->pos++;
			if (csv_quoted(r, cause) != 0)
				return -1;
			c = csv_peek(r);
			if (c != ',' && c != '\r' && c != '\n' && c != EOF) {
				csv_skip_line(r);
				return error_set(cause, _("unexpected character "
				    "after a closing quote"));
			}
		} else {
			for (;;) {
				if (!csv_fill(r)) {
					c = EOF;
					break;
				}
				p = (const unsigned char *)r->buf + r->pos;
				e = (const unsigned char *)r->buf + r->len;
				p = csv_run_end(p, e);
				csv_append(r, r->buf + r->pos,
				    (size_t)((const char *)p - (r->buf + r->pos)));
				r->pos = (size_t)((const char *)p - r->buf);
				if (p < e) {
					c = *p;
					break;
				}
			}
			if (c == '"') {
				csv_skip_line(r);
				return error_set(cause, _("a quote inside an "
				    "unquoted field"));
			}
		}
		csv_end_field(r, start);
		if (c == ',') {
			r->pos++;
			continue;
		}
		csv_eat_eol(r);
		break;
	}
	for (i = 0; i < r->nfields; i++) {
		r->fields[i].p = r->rec + r->offs[i];
		if (text_find_fault(r->fields[i].p, r->fields[i].len, &tf)) {
			what = text_fault_what(&tf);
			error_set(cause, _("field %zu: %s"), i + 1, what);
			r->fault = i + 1;
			r->fault_what = what;
			return -1;
		}
	}
	*fields = r->fields;
	*n = r->nfields;
	return 0;
}

uint64_t
csv_line(const struct csv_reader *r)
{
	return r->rec_line;
}

uint64_t
csv_offset(const struct csv_reader *r)
{
	return r->base + r->pos;
}

int
csv_io_error(const struct csv_reader *r)
{
	return r->ioerr;
}

void
csv_put_field(struct strbuf *sb, const char *p, size_t n)
{
	size_t i, from;

	for (i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
			break;
	/*
	 * A field starting with U+FEFF is quoted: at the start of a file
	 * the reader would take it for a byte order mark and drop it.
	 */
	if (i == n && !(n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)) {
		sb_add(sb, p, n);
		return;
	}
	sb_putc(sb, '"');
	for (i = from = 0; i < n; i++) {
		if (p[i] == '"') {
			sb_add(sb, p + from, i + 1 - from);
			from = i;
		}
	}
	sb_add(sb, p + from, n - from);
	sb_putc(sb, '"');
}

void
csv_put_record(struct strbuf *sb, const struct csv_field *f, size_t n)
{
	size_t i;

	/* A lone empty field would be a blank line, which readers skip. */
	if (n == 1 && f[0].len == 0) {
		sb_puts(sb, "\"\"\n");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(sb, ',');
		csv_put_field(sb, f[i].p, f[i].len);
	}
	sb_putc(sb, '\n');
}
