/*
 * import: CSV and JSON Lines into a profile database (upsert by key), in
 * batches, with rejected lines reported and optionally written out.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "csv.h"
#include "i18n.h"
#include "import.h"
#include "util.h"

/* Progress is reported every this many rows. */
#define IMPORT_PROGRESS_ROWS	16384

struct import_ctx {
	const struct import_opts *o;
	struct import_result	*res;
	struct pdb_schema	*schema;
	struct pdb_batch	*batch;
	uint64_t		*lines;		/* input line of each batch row */
	size_t			 nlines;
	size_t			 lines_cap;
	struct value		*row;
	struct arena		 arena;
	struct strbuf		 reason;	/* the current row's errors */
	int			 fatal;		/* not a row error: refuse all */
	uint64_t		 bytes;
};

char *
import_error_text(const char *source, const struct import_error *e)
{
	struct strbuf sb = STRBUF_INIT;

	sb_puts(&sb, source);
	if (e->line > 0)
		sb_printf(&sb, ":%" PRIu64, e->line);
	sb_puts(&sb, ": ");
	if (e->field != NULL)
		sb_printf(&sb, "%s: ", e->field);
	sb_puts(&sb, e->message);
	return sb_detach(&sb);
}

void
import_result_free(struct import_result *res)
{
	size_t i;

	for (i = 0; i < res->nerrors; i++) {
		free(res->errors[i].field);
		free(res->errors[i].message);
	}
	res->nerrors = 0;
}

static void
import_error(struct import_ctx *c, uint64_t line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records one error of the current row (or of the whole input). */
static void
import_error(struct import_ctx *c, uint64_t line, const char *field,
    const char *fmt, ...)
{
	struct import_result *res = c->res;
	struct import_error *e;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (c->reason.len > 0)
		sb_puts(&c->reason, "; ");
	if (field != NULL)
		sb_printf(&c->reason, "%s: ", field);
	sb_puts(&c->reason, msg);
	res->total_errors++;
	if (res->nerrors < IMPORT_MAX_ERRORS) {
		e = &res->errors[res->nerrors++];
		e->line = line;
		e->field = field != NULL ? xstrdup(field) : NULL;
		e->message = msg;
	} else
		free(msg);
}

static void
import_reject(struct import_ctx *c, uint64_t line, const char *record)
{
	cJSON *obj;
	char *text;

	c->res->rejected++;
	if (c->o->reject == NULL)
		return;
	obj = cJSON_CreateObject();
	cJSON_AddNumberToObject(obj, "line", (double)line);
	cJSON_AddStringToObject(obj, "reason", c->reason.buf != NULL ?
	    c->reason.buf : "");
	if (record != NULL)
		cJSON_AddStringToObject(obj, "record", record);
	else
		cJSON_AddNullToObject(obj, "record");
	text = cJSON_PrintUnformatted(obj);
	fputs(text, c->o->reject);
	fputc('\n', c->o->reject);
	cJSON_free(text);
	cJSON_Delete(obj);
}

/*
 * Checks the key of a row whose values parsed; adds the row to the
 * batch when it has no error.  Returns 0 when the row was taken.
 */
static int
import_finish_row(struct import_ctx *c, uint64_t line)
{
	const struct value *key = &c->row[c->schema->key_field];
	const char *kname = c->schema->fields[c->schema->key_field].name;
	size_t idx;

	if (c->reason.len == 0 && (!key->present || key->u.s.len == 0))
		import_error(c, line, kname, _("the key is empty"));
	if (c->reason.len > 0)
		return -1;
	if (pdb_batch_add_unique(c->batch, c->row, &idx) != 0) {
		import_error(c, line, kname, _("duplicate key '%s' "
		    "(first on line %" PRIu64 ")"), key->u.s.p, c->lines[idx]);
		return -1;
	}
	if (c->nlines == c->lines_cap) {
		c->lines_cap = c->lines_cap == 0 ? 4096 : c->lines_cap * 2;
		c->lines = xreallocarray(c->lines, c->lines_cap,
		    sizeof *c->lines);
	}
	c->lines[c->nlines++] = line;
	return 0;
}

static void
import_start_row(struct import_ctx *c)
{
	struct import_result *res = c->res;

	res->rows++;
	if (c->o->progress != NULL && res->rows % IMPORT_PROGRESS_ROWS == 0)
		c->o->progress(c->o->progress_arg, res->rows, c->bytes);
	memset(c->row, 0, c->schema->nfields * sizeof *c->row);
	arena_reset(&c->arena);
	sb_reset(&c->reason);
}

/* Maps the header's columns to fields; -1 when it is unusable. */
static int
import_csv_header(struct import_ctx *c, const struct csv_field *f, size_t n,
    int **colmap)
{
	const struct pdb_schema *s = c->schema;
	uint8_t *seen = xcalloc(s->nfields, 1);
	size_t i;
	int idx;

	*colmap = xcalloc(n, sizeof **colmap);
	for (i = 0; i < n; i++) {
		idx = schema_field_index(s, f[i].p);
		if (idx < 0)
			import_error(c, 1, f[i].p, _("no such field in "
			    "database '%s'"), s->name);
		else if (seen[idx])
			import_error(c, 1, f[i].p, _("the column appears "
			    "twice"));
		else
			seen[idx] = 1;
		(*colmap)[i] = idx;
	}
	if (!seen[s->key_field])
		import_error(c, 1, s->fields[s->key_field].name,
		    _("the key field has no column"));
	free(seen);
	return c->reason.len > 0 ? -1 : 0;
}

static int
import_csv(struct import_ctx *c, FILE *in)
{
	const struct pdb_schema *s = c->schema;
	struct csv_reader *r = csv_reader_new(in);
	const struct csv_field *f;
	struct strbuf rec = STRBUF_INIT;
	struct value *v;
	size_t n, ncols = 0, i;
	char *cause = NULL;
	int *colmap = NULL, rc;
	uint64_t line;

	rc = csv_read(r, &f, &n, &cause);
	if (rc != 0) {
		if (rc == 1)
			import_error(c, 0, NULL, _("the file is empty: a CSV "
			    "file starts with a header row of field names"));
		else
			import_error(c, csv_line(r), NULL, "%s", cause);
		free(cause);
		c->fatal = 1;
		goto out;
	}
	ncols = n;
	if (import_csv_header(c, f, n, &colmap) != 0) {
		c->fatal = 1;
		goto out;
	}
	for (;;) {
		cause = NULL;
		rc = csv_read(r, &f, &n, &cause);
		if (rc == 1)
			break;
		import_start_row(c);
		line = csv_line(r);
		c->bytes = csv_offset(r);
		if (rc == -1) {
			import_error(c, line, NULL, "%s", cause);
			free(cause);
			import_reject(c, line, NULL);
			continue;
		}
		if (n != ncols) {
			import_error(c, line, NULL, _("expected %zu fields, "
			    "found %zu"), ncols, n);
		} else {
			for (i = 0; i < n; i++) {
				v = &c->row[colmap[i]];
				if (value_parse_text(s->fields[colmap[i]].type,
				    f[i].p, f[i].len, v, &c->arena, &cause) != 0) {
					import_error(c, line,
					    s->fields[colmap[i]].name, "%s",
					    cause);
					free(cause);
					cause = NULL;
				}
			}
		}
		if (import_finish_row(c, line) != 0) {
			sb_reset(&rec);
			csv_put_record(&rec, f, n);
			rec.buf[--rec.len] = '\0';
			import_reject(c, line, rec.buf);
		}
	}
	if (csv_io_error(r)) {
		import_error(c, 0, NULL, _("read error: %s"), strerror(errno));
		c->fatal = 1;
	}
out:
	sb_free(&rec);
	free(colmap);
	csv_reader_free(r);
	return c->fatal ? -1 : 0;
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
size_t
import_json_spans(const char *s, size_t len, struct import_span *sp,
    size_t max)
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
		i = import_json_skip_string(s, len, i);
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
		if (n < max) {
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

/* Parses one JSON line into the current row. */
static void
import_json_object(struct import_ctx *c, const char *text, size_t len,
    uint64_t line)
{
	const struct pdb_schema *s = c->schema;
	const char *end = NULL;
	struct import_span *spans;
	size_t nspans, k;
	uint8_t *seen;
	cJSON *obj, *m;
	char *cause = NULL;
	int idx;

	obj = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (obj == NULL) {
		import_error(c, line, NULL, _("malformed JSON at column %zu"),
		    (size_t)(end != NULL && end >= text ? end - text : 0) + 1);
		return;
	}
	while (end != NULL && end < text + len && (*end == ' ' ||
	    *end == '\t' || *end == '\r'))
		end++;
	if (end != NULL && end < text + len) {
		import_error(c, line, NULL, _("malformed JSON: unexpected text "
		    "at column %zu"), (size_t)(end - text) + 1);
		cJSON_Delete(obj);
		return;
	}
	if (!cJSON_IsObject(obj)) {
		import_error(c, line, NULL, _("expected a JSON object"));
		cJSON_Delete(obj);
		return;
	}
	seen = arena_alloc(&c->arena, s->nfields);
	memset(seen, 0, s->nfields);
	nspans = (size_t)cJSON_GetArraySize(obj);
	spans = arena_alloc(&c->arena, (nspans + 1) * sizeof *spans);
	if (import_json_spans(text, len, spans, nspans) != nspans)
		nspans = 0;
	k = 0;
	cJSON_ArrayForEach(m, obj) {
		k++;
		idx = schema_field_index(s, m->string);
		if (idx < 0) {
			import_error(c, line, m->string, _("no such field in "
			    "database '%s'"), s->name);
			continue;
		}
		if (seen[idx]) {
			import_error(c, line, m->string, _("the member appears "
			    "twice"));
			continue;
		}
		seen[idx] = 1;
		if (import_json_value(s->fields[idx].type, m,
		    k <= nspans ? &spans[k - 1] : NULL, &c->row[idx],
		    &c->arena, &cause) != 0) {
			import_error(c, line, m->string, "%s", cause);
			free(cause);
			cause = NULL;
		}
	}
	cJSON_Delete(obj);
}

static int
import_jsonl(struct import_ctx *c, FILE *in)
{
	char *buf = NULL, *rec;
	size_t cap = 0, len, i;
	ssize_t got;
	uint64_t line = 0;

	while ((got = getline(&buf, &cap, in)) != -1) {
		line++;
		c->bytes += (uint64_t)got;
		len = (size_t)got;
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			len--;
		for (i = 0; i < len && (buf[i] == ' ' || buf[i] == '\t'); i++)
			;
		if (i == len)
			continue;
		import_start_row(c);
		import_json_object(c, buf, len, line);
		if (import_finish_row(c, line) != 0) {
			rec = xstrndup(buf, len);
			import_reject(c, line, rec);
			free(rec);
		}
	}
	if (ferror(in)) {
		import_error(c, 0, NULL, _("read error: %s"), strerror(errno));
		c->fatal = 1;
	}
	free(buf);
	return c->fatal ? -1 : 0;
}

/* Inside the write transaction: may run twice when the map grows. */
static int
import_apply(struct store_txn *txn, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	struct pdb_schema *now = NULL;
	uint16_t i;
	int same;

	if (pdb_open(txn, c->o->dbname, &now, cause) != 0)
		return -1;
	same = now->id == c->schema->id && now->nfields == c->schema->nfields;
	for (i = 0; same && i < now->nfields; i++)
		same = now->fields[i].type == c->schema->fields[i].type;
	schema_free(now);
	if (!same)
		return error_set(cause, _("database '%s' changed during the "
		    "import; nothing was imported"), c->o->dbname);
	memset(&c->res->stats, 0, sizeof c->res->stats);
	return pdb_batch_apply(txn, c->o->dbname, c->batch, &c->res->stats,
	    cause);
}

int
import_run(struct store *store, FILE *in, const struct import_opts *o,
    struct import_result *res, char **cause)
{
	struct import_ctx c = { .o = o, .res = res };
	struct store_txn *txn;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (store_read_begin(store, &txn, cause) != 0)
		return -1;
	if (pdb_open(txn, o->dbname, &c.schema, cause) != 0) {
		store_read_end(txn);
		return -1;
	}
	store_read_end(txn);
	c.batch = pdb_batch_new(c.schema);
	c.row = xcalloc(c.schema->nfields, sizeof *c.row);

	if (o->format == EXPORT_CSV)
		rc = import_csv(&c, in);
	else
		rc = import_jsonl(&c, in);
	if (o->progress != NULL)
		o->progress(o->progress_arg, res->rows, c.bytes);
	if (rc != 0 || (o->reject == NULL && res->total_errors > 0)) {
		error_set(cause, ngettext_("import into database '%s' refused "
		    "(%" PRIu64 " error); nothing was changed",
		    "import into database '%s' refused (%" PRIu64 " errors); "
		    "nothing was changed", res->total_errors), o->dbname,
		    res->total_errors);
		rc = -1;
		goto out;
	}
	if (o->reject != NULL && (fflush(o->reject) != 0 ||
	    ferror(o->reject))) {
		error_set(cause, _("could not write the reject file: %s; "
		    "nothing was imported"), strerror(errno));
		rc = -1;
		goto out;
	}
	if (pdb_batch_rows(c.batch) > 0)
		rc = store_write(store, import_apply, &c, cause);

out:
	sb_free(&c.reason);
	arena_free(&c.arena);
	free(c.row);
	free(c.lines);
	pdb_batch_free(c.batch);
	schema_free(c.schema);
	return rc;
}
