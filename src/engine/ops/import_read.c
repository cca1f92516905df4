/*
 * Reading an import's input, shared by the profile and the events
 * imports (import.h, struct import_reader): CSV rows after a header, or
 * JSON Lines objects; the counts, the first errors and the reject file.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "csv.h"
#include "i18n.h"
#include "import.h"
#include "jsonscan.h"
#include "util.h"

/* Progress is reported every this many rows. */
#define IMPORT_PROGRESS_ROWS	16384

void
import_row_error(struct import_reader *r, uint64_t line, const char *field,
    const char *fmt, ...)
{
	struct import_error *e;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (r->reason.len > 0)
		sb_puts(&r->reason, "; ");
	if (field != NULL)
		sb_printf(&r->reason, "%s: ", field);
	sb_puts(&r->reason, msg);
	(*r->total_errors)++;
	if (*r->nerrors < IMPORT_MAX_ERRORS) {
		e = &r->errors[(*r->nerrors)++];
		e->line = line;
		e->field = field != NULL ? xstrdup(field) : NULL;
		e->message = msg;
	} else
		free(msg);
}

void
import_errors_free(struct import_error *errors, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		free(errors[i].field);
		free(errors[i].message);
	}
	*n = 0;
}

static void
import_reject(struct import_reader *r, uint64_t line, const char *record)
{
	cJSON *obj;
	char *text;

	(*r->rejected)++;
	if (r->o->reject == NULL)
		return;
	obj = cJSON_CreateObject();
	cJSON_AddNumberToObject(obj, "line", (double)line);
	cJSON_AddStringToObject(obj, "reason", r->reason.buf != NULL ?
	    r->reason.buf : "");
	if (record != NULL)
		cJSON_AddStringToObject(obj, "record", record);
	else
		cJSON_AddNullToObject(obj, "record");
	text = cJSON_PrintUnformatted(obj);
	fputs(text, r->o->reject);
	fputc('\n', r->o->reject);
	cJSON_free(text);
	cJSON_Delete(obj);
}

int
import_reject_flush(const struct import_opts *o, char **cause)
{
	if (o->reject != NULL && (fflush(o->reject) != 0 ||
	    ferror(o->reject)))
		return error_set(cause, _("could not write the reject file: "
		    "%s; nothing was imported"), strerror(errno));
	return 0;
}

static void
import_start_row(struct import_reader *r)
{
	(*r->rows)++;
	if (r->o->progress != NULL && *r->rows % IMPORT_PROGRESS_ROWS == 0)
		r->o->progress(r->o->progress_arg, *r->rows, r->bytes);
	r->start_row(r->arg);
	arena_reset(&r->arena);
	sb_reset(&r->reason);
}

static int
import_read_csv(struct import_reader *r, FILE *in)
{
	struct csv_reader *cr = csv_reader_new(in);
	const struct csv_field *f;
	struct strbuf rec = STRBUF_INIT;
	size_t n, ncols = 0, i, bad;
	char *cause = NULL, **names = NULL;
	const char *what;
	uint64_t line;
	int rc;

	rc = csv_read(cr, &f, &n, &cause);
	if (rc != 0) {
		if (rc == 1)
			import_row_error(r, 0, NULL, "%s", r->csv_empty);
		else
			import_row_error(r, csv_line(cr), NULL, "%s", cause);
		free(cause);
		r->fatal = 1;
		goto out;
	}
	ncols = n;
	/* A field that is not text is named by its column. */
	names = xcalloc(ncols, sizeof *names);
	for (i = 0; i < ncols; i++)
		names[i] = xstrdup(f[i].p);
	if (r->csv_header(r->arg, f, n) != 0) {
		r->fatal = 1;
		goto out;
	}
	for (;;) {
		cause = NULL;
		rc = csv_read(cr, &f, &n, &cause);
		if (rc == 1)
			break;
		import_start_row(r);
		line = csv_line(cr);
		r->bytes = csv_offset(cr);
		if (rc == -1) {
			if ((what = csv_fault(cr, &bad)) != NULL && bad <= ncols)
				import_row_error(r, line, names[bad - 1], "%s",
				    what);
			else
				import_row_error(r, line, NULL, "%s", cause);
			free(cause);
			import_reject(r, line, NULL);
			continue;
		}
		if (n != ncols)
			import_row_error(r, line, NULL, ngettext_("expected "
			    "%zu field, found %zu", "expected %zu fields, found "
			    "%zu", ncols), ncols, n);
		else
			r->csv_row(r->arg, line, f, n);
		if (r->finish_row(r->arg, line) != 0) {
			sb_reset(&rec);
			csv_put_record(&rec, f, n);
			rec.buf[--rec.len] = '\0';
			import_reject(r, line, rec.buf);
		}
		if (r->stop)
			break;
	}
	if (csv_io_error(cr)) {
		import_row_error(r, 0, NULL, _("read error: %s"),
		    strerror(errno));
		r->fatal = 1;
	}
out:
	for (i = 0; names != NULL && i < ncols; i++)
		free(names[i]);
	free(names);
	sb_free(&rec);
	csv_reader_free(cr);
	return r->fatal ? -1 : 0;
}

static size_t
import_json_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (unsigned char)s[i] <= ' ')
		i++;
	return i;
}

static size_t
import_json_skip_string(const char *s, size_t len, size_t i)
{
	for (i++; i < len && s[i] != '"'; i++) {
		if (s[i] == '\\')
			i++;
	}
	return i < len ? i + 1 : len;
}

/*
 * Finds the text of each member's value of the JSON object in s, in
 * order, so that numbers are read from their digits: a cJSON number is
 * a double, which has lost digits beyond 2^53.  s is valid JSON (cJSON
 * parsed it).  Returns the number of members found.
 */
static size_t
import_json_spans(const char *s, size_t len, struct import_span *sp,
    struct import_span *names, size_t max)
{
	size_t i, start, n = 0;
	int depth;

	i = 0;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	i = import_json_ws(s, len, i);
	if (i == len || s[i] != '{')
		return 0;
	for (i++;;) {
		i = import_json_ws(s, len, i);
		if (i == len || s[i] != '"')
			break;
		start = i;
		i = import_json_skip_string(s, len, i);
		if (names != NULL && n < max) {
			names[n].p = s + start;
			names[n].len = i - start;
		}
		i = import_json_ws(s, len, i);
		if (i == len || s[i] != ':')
			break;
		start = i = import_json_ws(s, len, i + 1);
		if (i < len && s[i] == '"')
			i = import_json_skip_string(s, len, i);
		else if (i < len && (s[i] == '{' || s[i] == '[')) {
			depth = 0;
			while (i < len) {
				if (s[i] == '"') {
					i = import_json_skip_string(s, len, i);
					continue;
				}
				if (s[i] == '{' || s[i] == '[')
					depth++;
				else if ((s[i] == '}' || s[i] == ']') &&
				    --depth == 0) {
					i++;
					break;
				}
				i++;
			}
		} else {
			while (i < len && strchr(",}] \t\r\n", s[i]) == NULL)
				i++;
		}
		if (sp != NULL && n < max) {
			sp[n].p = s + start;
			sp[n].len = i - start;
		}
		n++;
		i = import_json_ws(s, len, i);
		if (i == len || s[i] != ',')
			break;
		i++;
	}
	return n;
}

/*
 * Whether JSON text (a string, or a value holding strings) writes a NUL
 * character, \u0000: cJSON's C strings would end there, so the value
 * stored would not be the value in the file.
 */
static int
import_json_has_nul(const struct import_span *sp)
{
	size_t i;

	for (i = 0; i + 1 < sp->len; i++) {
		if (sp->p[i] != '\\')
			continue;
		if (sp->p[i + 1] == 'u' && i + 6 <= sp->len &&
		    memcmp(sp->p + i + 2, "0000", 4) == 0)
			return 1;
		i++;
	}
	return 0;
}

/*
 * Refuses a JSON object whose member names or values hold \u0000 (one
 * error per member).  Returns -1 when it did.
 */
static int
import_json_nul(struct import_reader *r, const char *text, size_t len,
    uint64_t line, const cJSON *obj, struct import_span *spans,
    size_t nspans)
{
	struct import_span *names;
	const cJSON *m;
	size_t k;
	int bad = 0;

	if (memmem(text, len, "\\u0000", 6) == NULL)
		return 0;
	names = arena_alloc(&r->arena, (nspans + 1) * sizeof *names);
	if (import_json_spans(text, len, spans, names, nspans) != nspans)
		return 0;
	k = 0;
	cJSON_ArrayForEach(m, obj) {
		if (import_json_has_nul(&names[k])) {
			import_row_error(r, line, NULL, _("member %zu: its name "
			    "holds a NUL character (\\u0000)"), k + 1);
			bad = 1;
		} else if (import_json_has_nul(&spans[k])) {
			import_row_error(r, line, m->string, _("the value holds "
			    "a NUL character (\\u0000)"));
			bad = 1;
		}
		k++;
	}
	return bad ? -1 : 0;
}

/*
 * Reads a JSON number member from its text (exact for any int64, and
 * the message shows what the file says); other values through cJSON.
 */
int
import_json_value(enum field_type t, const cJSON *m,
    const struct import_span *sp, struct value *v, struct arena *a,
    char **cause)
{
	char *other = NULL;

	if (sp == NULL || !cJSON_IsNumber(m) ||
	    (t != FT_INT && t != FT_FLOAT))
		return value_from_json(t, m, v, a, cause);
	if (value_parse_text(t, sp->p, sp->len, v, a, cause) == 0)
		return 0;
	if (t == FT_FLOAT)
		return -1;
	/* 1e3 and 1000.0 are whole numbers too. */
	if (value_from_json(t, m, v, a, &other) != 0) {
		free(other);
		return -1;
	}
	free(*cause);
	*cause = NULL;
	return 0;
}

int
import_member_value(enum field_type t, const struct jsonscan *js,
    const struct jsonscan_member *m, struct value *v, struct arena *a)
{
	const struct jsonscan_str *e;
	const char **tags;
	char *cause = NULL;
	size_t i, tl;
	uint32_t k = 0;

	memset(v, 0, sizeof *v);
	switch (m->kind) {
	case JSONSCAN_NULL:
		return 0;
	case JSONSCAN_FALSE:
	case JSONSCAN_TRUE:
		if (t != FT_BOOL)
			return -1;
		v->u.b = m->kind == JSONSCAN_TRUE;
		v->present = 1;
		return 0;
	case JSONSCAN_NUMBER:
		/* Read from its digits, as import_json_value does. */
		if (t != FT_INT && t != FT_FLOAT)
			return -1;
		break;
	case JSONSCAN_STRING:
		if (t == FT_TAGS)
			return -1;
		break;
	case JSONSCAN_ARRAY:
		if (t != FT_TAGS)
			return -1;
		tags = arena_alloc(a, (m->n + 1) * sizeof *tags);
		for (i = 0; i < m->n; i++) {
			e = &js->strs[m->first + i];
			if (value_json_tag(tags, &k, e->p, e->len, a, &tl) != 0)
				return -1;
		}
		v->u.tags.v = tags;
		v->u.tags.n = k;
		v->present = k > 0;
		return 0;
	}
	if (value_parse_text(t, m->text.p, m->text.len, v, a, &cause) != 0) {
		free(cause);
		return -1;
	}
	return 0;
}

/*
 * The name of the member whose value holds a text fault of a JSON line
 * (arena memory), or NULL: the line is valid UTF-8 up to the fault, so
 * its byte offset follows from its column.
 */
static const char *
import_json_fault_member(struct import_reader *r, const char *text,
    size_t len, const struct text_fault *tf)
{
	struct import_span *sp, *names;
	const unsigned char *u = (const unsigned char *)text;
	size_t off = 0, col, n, k;
	char *name;

	for (col = 1; col < tf->col && off < len; col++) {
		if (u[off] < 0x80)
			off++;
		else if (u[off] < 0xE0)
			off += 2;
		else if (u[off] < 0xF0)
			off += 3;
		else
			off += 4;
	}
	if (off >= len || (n = import_json_spans(text, len, NULL, NULL,
	    0)) == 0)
		return NULL;
	sp = arena_alloc(&r->arena, n * sizeof *sp);
	names = arena_alloc(&r->arena, n * sizeof *names);
	import_json_spans(text, len, sp, names, n);
	for (k = 0; k < n; k++) {
		if (text + off < sp[k].p || text + off >= sp[k].p + sp[k].len)
			continue;
		/* Its name as written, when it needs no unescaping. */
		if (names[k].len < 2 || memchr(names[k].p, '\\',
		    names[k].len) != NULL)
			return NULL;
		name = arena_alloc(&r->arena, names[k].len - 1);
		memcpy(name, names[k].p + 1, names[k].len - 2);
		name[names[k].len - 2] = '\0';
		return name;
	}
	return NULL;
}

/*
 * Hands one JSON line's object to the hooks: a flat object the scanner
 * reads to json_members, which takes nearly every line of a real file
 * without building a tree; anything else, and a line json_members does
 * not take, through cJSON to json_object, whose messages say what is
 * wrong (README, "The JSON Lines reader").
 */
static void
import_json_line(struct import_reader *r, const char *text, size_t len,
    uint64_t line)
{
	const char *end = NULL;
	struct import_span *spans;
	struct text_fault tf;
	size_t nspans;
	char *what;
	cJSON *obj;

	if (r->json_members != NULL) {
		if (r->js == NULL)
			r->js = xcalloc(1, sizeof *r->js);
		if (jsonscan_object(r->js, text, len) == 0) {
			if (r->json_members(r->arg, line, text, len, r->js) == 0)
				return;
			r->start_row(r->arg);
			arena_reset(&r->arena);
		}
	}
	if (text_find_fault(text, len, &tf)) {
		what = text_fault_what(&tf);
		import_row_error(r, line, import_json_fault_member(r, text, len,
		    &tf), _("column %zu: %s"), tf.col, what);
		free(what);
		return;
	}
	obj = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (obj == NULL) {
		import_row_error(r, line, NULL, _("malformed JSON at column "
		    "%zu"), (size_t)(end != NULL && end >= text ? end - text :
		    0) + 1);
		return;
	}
	while (end != NULL && end < text + len && (*end == ' ' ||
	    *end == '\t' || *end == '\r'))
		end++;
	if (end != NULL && end < text + len) {
		import_row_error(r, line, NULL, _("malformed JSON: unexpected "
		    "text at column %zu"), (size_t)(end - text) + 1);
		cJSON_Delete(obj);
		return;
	}
	if (!cJSON_IsObject(obj)) {
		import_row_error(r, line, NULL, _("expected a JSON object"));
		cJSON_Delete(obj);
		return;
	}
	nspans = (size_t)cJSON_GetArraySize(obj);
	spans = arena_alloc(&r->arena, (nspans + 1) * sizeof *spans);
	if (import_json_nul(r, text, len, line, obj, spans, nspans) != 0) {
		cJSON_Delete(obj);
		return;
	}
	if (import_json_spans(text, len, spans, NULL, nspans) != nspans)
		nspans = 0;
	r->json_object(r->arg, line, obj, spans, nspans);
	cJSON_Delete(obj);
}

/* The input is read this many bytes at a time (more for a longer line). */
#define IMPORT_JSONL_BUF	(1024 * 1024)

/*
 * The next line of in (its '\n' included, if any) in *text and *got,
 * read into the buffer a megabyte at a time rather than by getline
 * through stdio's small buffer.  0 at the end of the input.
 */
static int
import_next_line(FILE *in, struct strbuf *b, size_t *pos, char **text,
    size_t *got)
{
	char *nl;
	size_t n, from = *pos;

	for (;;) {
		nl = b->len > from ? memchr(b->buf + from, '\n',
		    b->len - from) : NULL;
		if (nl != NULL || feof(in) || ferror(in))
			break;
		/* Keep the line begun; read more after it. */
		from = b->len - *pos;
		if (from > 0)
			memmove(b->buf, b->buf + *pos, from);
		b->len = from;
		*pos = 0;
		if (b->cap - b->len < IMPORT_JSONL_BUF)
			sb_grow(b, IMPORT_JSONL_BUF);
		n = fread(b->buf + b->len, 1, b->cap - b->len - 1, in);
		b->len += n;
	}
	if (nl == NULL && *pos == b->len)
		return 0;
	*text = b->buf + *pos;
	*got = (nl != NULL ? (size_t)(nl + 1 - b->buf) : b->len) - *pos;
	*pos += *got;
	return 1;
}

static int
import_read_jsonl(struct import_reader *r, FILE *in)
{
	struct strbuf b = STRBUF_INIT;
	char *buf, *rec;
	size_t pos = 0, got, len, i;
	uint64_t line = 0;

	while (import_next_line(in, &b, &pos, &buf, &got)) {
		line++;
		r->bytes += (uint64_t)got;
		len = got;
		while (len > 0 && (buf[len - 1] == '\n' ||
		    buf[len - 1] == '\r'))
			len--;
		for (i = 0; i < len && (buf[i] == ' ' || buf[i] == '\t'); i++)
			;
		if (i == len)
			continue;
		import_start_row(r);
		import_json_line(r, buf, len, line);
		if (r->finish_row(r->arg, line) != 0) {
			rec = xstrndup(buf, len);
			import_reject(r, line, rec);
			free(rec);
		}
		if (r->stop)
			break;
	}
	if (ferror(in)) {
		import_row_error(r, 0, NULL, _("read error: %s"),
		    strerror(errno));
		r->fatal = 1;
	}
	sb_free(&b);
	return r->fatal ? -1 : 0;
}

int
import_read(struct import_reader *r, FILE *in)
{
	int rc;

	if (r->o->format == EXPORT_CSV)
		rc = import_read_csv(r, in);
	else
		rc = import_read_jsonl(r, in);
	if (r->o->progress != NULL)
		r->o->progress(r->o->progress_arg, *r->rows, r->bytes);
	return rc;
}

void
import_reader_free(struct import_reader *r)
{
	sb_free(&r->reason);
	arena_free(&r->arena);
	if (r->js != NULL) {
		jsonscan_free(r->js);
		free(r->js);
		r->js = NULL;
	}
}
