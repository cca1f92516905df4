/*
 * import: CSV and JSON Lines into a profile database (upsert by key), in
 * batches, with rejected lines reported and optionally written out; the
 * input is read by import_read.c, which the events import shares.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "attach.h"
#include "csv.h"
#include "i18n.h"
#include "import.h"
#include "util.h"

struct import_ctx {
	struct import_reader	 r;
	struct import_result	*res;
	struct pdb_schema	*schema;
	struct pdb_batch	*batch;
	uint64_t		*lines;		/* input line of each batch row */
	size_t			 nlines;
	size_t			 lines_cap;
	struct value		*row;
	int			*colmap;	/* CSV column -> field */
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
	import_errors_free(res->errors, &res->nerrors);
}

/*
 * Checks the key of a row whose values parsed; adds the row to the
 * batch when it has no error.  Returns 0 when the row was taken.
 */
static int
import_finish_row(void *arg, uint64_t line)
{
	struct import_ctx *c = arg;
	const struct value *key = &c->row[c->schema->key_field];
	const char *kname = c->schema->fields[c->schema->key_field].name;
	size_t idx;

	if (c->r.reason.len == 0 && (!key->present || key->u.s.len == 0))
		import_row_error(&c->r, line, kname, _("the key is empty"));
	else if (c->r.reason.len == 0 && key->u.s.len > STORE_KEY_MAX)
		import_row_error(&c->r, line, kname, _("the key is %zu bytes "
		    "long; the limit is %d bytes"), (size_t)key->u.s.len,
		    STORE_KEY_MAX);
	if (c->r.reason.len > 0)
		return -1;
	if (pdb_batch_add_unique(c->batch, c->row, &idx) != 0) {
		import_row_error(&c->r, line, kname, _("duplicate key "
		    "'%s' (first on line %" PRIu64 ")"), key->u.s.p,
		    c->lines[idx]);
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

/* Maps the header's columns to fields; -1 when it is unusable. */
static int
import_csv_header(void *arg, const struct csv_field *f, size_t n)
{
	struct import_ctx *c = arg;
	const struct pdb_schema *s = c->schema;
	uint8_t *seen = xcalloc(s->nfields, 1);
	size_t i;
	int idx;

	c->colmap = xcalloc(n, sizeof *c->colmap);
	for (i = 0; i < n; i++) {
		idx = schema_field_index(s, f[i].p);
		if (idx < 0)
			import_row_error(&c->r, 1, f[i].p, _("no such field "
			    "in database '%s'"), s->name);
		else if (seen[idx])
			import_row_error(&c->r, 1, f[i].p, _("the column "
			    "appears twice"));
		else
			seen[idx] = 1;
		c->colmap[i] = idx;
	}
	if (!seen[s->key_field])
		import_row_error(&c->r, 1, s->fields[s->key_field].name,
		    _("the key field has no column"));
	free(seen);
	return c->r.reason.len > 0 ? -1 : 0;
}

static void
import_start_row(void *arg)
{
	struct import_ctx *c = arg;

	memset(c->row, 0, c->schema->nfields * sizeof *c->row);
}

static void
import_csv_row(void *arg, uint64_t line, const struct csv_field *f, size_t n)
{
	struct import_ctx *c = arg;
	const struct pdb_schema *s = c->schema;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (value_parse_text(s->fields[c->colmap[i]].type, f[i].p,
		    f[i].len, &c->row[c->colmap[i]], &c->r.arena,
		    &cause) != 0) {
			import_row_error(&c->r, line,
			    s->fields[c->colmap[i]].name, "%s", cause);
			free(cause);
			cause = NULL;
		}
	}
}

/* One JSON line's object into the current row. */
static void
import_json_object(void *arg, uint64_t line, const cJSON *obj,
    const struct import_span *spans, size_t nspans)
{
	struct import_ctx *c = arg;
	const struct pdb_schema *s = c->schema;
	const cJSON *m;
	uint8_t *seen;
	size_t k;
	char *cause = NULL;
	int idx;

	seen = arena_alloc(&c->r.arena, s->nfields);
	memset(seen, 0, s->nfields);
	k = 0;
	cJSON_ArrayForEach(m, obj) {
		k++;
		idx = schema_field_index(s, m->string);
		if (idx < 0) {
			import_row_error(&c->r, line, m->string, _("no such "
			    "field in database '%s'"), s->name);
			continue;
		}
		if (seen[idx]) {
			import_row_error(&c->r, line, m->string, _("the member "
			    "appears twice"));
			continue;
		}
		seen[idx] = 1;
		if (import_json_value(s->fields[idx].type, m,
		    k <= nspans ? &spans[k - 1] : NULL, &c->row[idx],
		    &c->r.arena, &cause) != 0) {
			import_row_error(&c->r, line, m->string, "%s", cause);
			free(cause);
			cause = NULL;
		}
	}
}

/* Inside the write transaction: may run twice when the map grows. */
static int
import_apply(struct store_txn *txn, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	struct pdb_schema *now = NULL;
	uint16_t i;
	int same;

	if (pdb_open(txn, c->r.o->dbname, &now, cause) != 0)
		return -1;
	same = now->id == c->schema->id && now->nfields == c->schema->nfields;
	for (i = 0; same && i < now->nfields; i++)
		same = now->fields[i].type == c->schema->fields[i].type;
	schema_free(now);
	if (!same)
		return error_set(cause, _("database '%s' changed during the "
		    "import; nothing was imported"), c->r.o->dbname);
	memset(&c->res->stats, 0, sizeof c->res->stats);
	return pdb_batch_apply(txn, c->r.o->dbname, c->batch, &c->res->stats,
	    cause);
}

int
import_run(struct store *store, FILE *in, const struct import_opts *o,
    struct import_result *res, char **cause)
{
	struct import_ctx c = { .r = IMPORT_READER_INIT(o, res), .res = res };
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
	if (attach_refuse(c.schema, _("importing profiles"), cause) != 0) {
		schema_free(c.schema);
		return -1;
	}
	c.batch = pdb_batch_new(c.schema);
	c.row = xcalloc(c.schema->nfields, sizeof *c.row);
	c.r.csv_empty = _("the file is empty: a CSV file starts with a "
	    "header row of field names");
	c.r.arg = &c;
	c.r.start_row = import_start_row;
	c.r.csv_header = import_csv_header;
	c.r.csv_row = import_csv_row;
	c.r.json_object = import_json_object;
	c.r.finish_row = import_finish_row;

	rc = import_read(&c.r, in);
	if (rc != 0 || (o->reject == NULL && res->total_errors > 0)) {
		error_set(cause, ngettext_("import into database '%s' refused "
		    "(%" PRIu64 " error); nothing was changed",
		    "import into database '%s' refused (%" PRIu64 " errors); "
		    "nothing was changed", res->total_errors), o->dbname,
		    res->total_errors);
		rc = -1;
		goto out;
	}
	if (import_reject_flush(o, cause) != 0) {
		rc = -1;
		goto out;
	}
	if (pdb_batch_rows(c.batch) > 0)
		rc = store_write(store, import_apply, &c, cause);

out:
	import_reader_free(&c.r);
	free(c.colmap);
	free(c.row);
	free(c.lines);
	pdb_batch_free(c.batch);
	schema_free(c.schema);
	return rc;
}
