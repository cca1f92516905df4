/*
 * import: CSV and JSON Lines into a profile database (upsert by key), with
 * rejected lines reported and optionally written out; the input is read
 * by import_read.c, which the events import shares.
 *
 * The file is read inside the one write transaction of the import and
 * applied in batches of IMPORT_BATCH_ROWS rows as it is read, so memory
 * stays bounded whatever the file's size: the batch, and a Bloom filter
 * and a bitmap for the keys repeated across batches (doc/storage.md,
 * "Streaming profile import").  When the map must grow, store_write runs the transaction
 * again and the input is read again from its start: a file is seeked
 * back, a stream (standard input, a pipe) is read through a spool file in
 * the store's directory.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <roaring/roaring.h>

#include "attach.h"
#include "csv.h"
#include "i18n.h"
#include "import.h"
#include "jsonscan.h"
#include "util.h"

/* Rows applied at a time (RESEG_IMPORT_ROWS overrides it, for tests). */
#define IMPORT_BATCH_ROWS	65536

/*
 * The keys applied by earlier batches, as a Bloom filter: a row whose key
 * it has not seen (nearly every row) needs no lookup; a "maybe" is looked
 * up in the key index.  Blocked: a key's 4 bits are in one 64-byte line
 * (one cache miss), 12 bits a key (about 1% false "maybe").  When a
 * filter is full the next one is twice as large, so its memory follows
 * the rows read: about 1.5 bytes a key, 15 MB for 10 million.
 */
#define IMPORT_BLOOM_KEYS	(1u << 20)	/* in the first filter */
#define IMPORT_BLOOM_BITS	12		/* a key */

struct import_bloom {
	uint64_t	*bits;		/* nblocks blocks of 8 words */
	size_t		 nblocks;
	size_t		 n, cap;	/* keys */
};

struct import_keys {
	struct import_bloom	*f;
	size_t			 nf;
};

static void
import_keys_free(struct import_keys *k)
{
	size_t i;

	for (i = 0; i < k->nf; i++)
		free(k->f[i].bits);
	free(k->f);
	k->f = NULL;
	k->nf = 0;
}

/* The block of h in f, and the key's 4 bits in *m (8 words). */
static uint64_t *
import_bloom_block(const struct import_bloom *f, uint64_t h, uint64_t m[8])
{
	uint64_t g = h * 0x9E3779B97F4A7C15ULL;
	unsigned int i, b;

	memset(m, 0, 8 * sizeof *m);
	for (i = 0; i < 4; i++) {
		b = (unsigned int)(g >> (i * 9)) & 511;
		m[b >> 6] |= (uint64_t)1 << (b & 63);
	}
	return f->bits + 8 * (((h >> 32) * f->nblocks) >> 32);
}

static void
import_keys_add(struct import_keys *k, uint64_t h)
{
	struct import_bloom *f;
	uint64_t m[8], *blk;
	unsigned int i;

	if (k->nf == 0 || k->f[k->nf - 1].n == k->f[k->nf - 1].cap) {
		k->f = xreallocarray(k->f, k->nf + 1, sizeof *k->f);
		f = &k->f[k->nf];
		f->cap = k->nf == 0 ? IMPORT_BLOOM_KEYS : 2 * k->f[k->nf - 1].cap;
		f->n = 0;
		f->nblocks = f->cap * IMPORT_BLOOM_BITS / 512;
		f->bits = xcalloc(f->nblocks * 8, sizeof *f->bits);
		k->nf++;
	}
	f = &k->f[k->nf - 1];
	blk = import_bloom_block(f, h, m);
	for (i = 0; i < 8; i++)
		blk[i] |= m[i];
	f->n++;
}

static int
import_keys_maybe(const struct import_keys *k, uint64_t h)
{
	const uint64_t *blk;
	uint64_t m[8];
	size_t j;
	unsigned int i;

	for (j = 0; j < k->nf; j++) {
		blk = import_bloom_block(&k->f[j], h, m);
		for (i = 0; i < 8 && (blk[i] & m[i]) == m[i]; i++)
			;
		if (i == 8)
			return 1;
	}
	return 0;
}

/* The input, read again from its start when the transaction runs again. */
struct import_input {
	FILE		*in;		/* as given */
	off_t		 start;		/* its offset, when it seeks */
	int		 seekable;
	int		 spool;		/* else: a copy of what was read, */
	off_t		 spooled;	/* its size */
	off_t		 pos;		/* and where this pass reads */
	int		 ioerr;		/* errno of a failed spool write */
};

struct import_ctx {
	struct import_reader	 r;
	struct import_result	*res;
	struct store		*store;
	struct pdb_schema	*schema;
	struct pdb_batch	*batch;
	uint64_t		*lines;		/* input line of each batch row */
	uint64_t		*hashes;	/* key hash of each batch row */
	size_t			 nlines;
	size_t			 lines_cap;
	size_t			 maxrows;	/* rows in a batch */
	struct value		*row;
	uint8_t			*named;		/* the fields the row names */
	int			*colmap;	/* CSV column -> field */
	int			*guess;		/* JSON member -> field, last line */
	uint64_t		 khash;		/* the row's key hash, */
	int			 khash_ok;	/* when known */
	size_t			*flen;		/* field name lengths */
	struct import_input	 input;
	/* During the write transaction. */
	struct store_txn	*txn;
	int			 allnew;	/* the database was empty */
	struct import_keys	 keys;		/* the keys applied */
	roaring_bitmap_t	*touched;	/* their profile numbers */
	char			*fail;		/* why applying failed */
	int			 runs;		/* of the transaction */
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
 * Applies the rows gathered so far inside the write transaction, and
 * remembers their keys (hashes) and profile numbers, by which a key
 * repeated in a later batch is found.
 */
static int
import_flush(struct import_ctx *c)
{
	struct pdb_upsert_stats st;
	struct pdb_upsert_stats *t = &c->res->stats;
	size_t i;

	if (c->fail != NULL || pdb_batch_rows(c->batch) == 0)
		return c->fail != NULL ? -1 : 0;
	if (c->allnew)
		pdb_batch_set_new(c->batch);
	if (pdb_batch_apply_touched(c->txn, c->r.o->dbname, c->batch, &st,
	    c->touched, &c->fail) != 0) {
		c->r.stop = 1;
		return -1;
	}
	t->inserted += st.inserted;
	t->updated += st.updated;
	t->unchanged += st.unchanged;
	for (i = 0; i < c->nlines; i++)
		import_keys_add(&c->keys, c->hashes[i]);
	pdb_batch_free(c->batch);
	c->batch = pdb_batch_new(c->schema);
	c->nlines = 0;
	/* Written pages are in the page cache: out of the resident set. */
	store_release_pages(c->store);
	return 0;
}

/*
 * The row's key is read: its hash starts loading the Bloom blocks and
 * the batch slot the key's checks will read, while the rest of the row
 * is converted (at 10 million rows there are four filters, each a cache
 * miss).
 */
static void
import_key_read(struct import_ctx *c, const struct value *key)
{
	uint64_t m[8];
	size_t j;

	if (!key->present || key->u.s.len == 0 ||
	    key->u.s.len > STORE_KEY_MAX)
		return;
	c->khash = pdb_key_hash(key->u.s.p, key->u.s.len);
	c->khash_ok = 1;
	for (j = 0; j < c->keys.nf; j++)
		__builtin_prefetch(import_bloom_block(&c->keys.f[j], c->khash,
		    m));
	pdb_batch_prefetch(c->batch, c->khash);
}

/*
 * Whether the key was applied by an earlier batch of this import: only
 * a key whose hash was seen is looked up, and its profile is one this
 * import wrote.  -1 when the lookup failed.
 */
static int
import_seen(struct import_ctx *c, const struct value *key, uint64_t h)
{
	uint32_t pno;
	int rc;

	if (!import_keys_maybe(&c->keys, h))
		return 0;
	rc = pdb_lookup(c->txn, c->schema, key->u.s.p, key->u.s.len, &pno,
	    &c->fail);
	if (rc < 0) {
		c->r.stop = 1;
		return -1;
	}
	return rc == 0 && roaring_bitmap_contains(c->touched, pno);
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
	uint64_t h;
	int seen;

	if (c->r.reason.len == 0 && (!key->present || key->u.s.len == 0))
		import_row_error(&c->r, line, kname, _("the key is empty"));
	else if (c->r.reason.len == 0 && key->u.s.len > STORE_KEY_MAX)
		import_row_error(&c->r, line, kname, _("the key is %zu bytes "
		    "long; the limit is %d bytes"), (size_t)key->u.s.len,
		    STORE_KEY_MAX);
	if (c->r.reason.len > 0 || c->fail != NULL)
		return -1;
	h = c->khash_ok ? c->khash : pdb_key_hash(key->u.s.p, key->u.s.len);
	if ((seen = import_seen(c, key, h)) != 0) {
		if (seen > 0)
			import_row_error(&c->r, line, kname, _("duplicate key "
			    "'%s' (first before line %" PRIu64 ")"),
			    key->u.s.p, c->nlines > 0 ? c->lines[0] : line);
		return -1;
	}
	if (pdb_batch_add_unique(c->batch, c->row, c->r.o->replace ? NULL :
	    c->named, &idx) != 0) {
		import_row_error(&c->r, line, kname, _("duplicate key "
		    "'%s' (first on line %" PRIu64 ")"), key->u.s.p,
		    c->lines[idx]);
		return -1;
	}
	if (c->nlines == c->lines_cap) {
		c->lines_cap = c->lines_cap == 0 ? 4096 : c->lines_cap * 2;
		c->lines = xreallocarray(c->lines, c->lines_cap,
		    sizeof *c->lines);
		c->hashes = xreallocarray(c->hashes, c->lines_cap,
		    sizeof *c->hashes);
	}
	c->hashes[c->nlines] = h;
	c->lines[c->nlines++] = line;
	if (c->nlines >= c->maxrows)
		import_flush(c);
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
	/* Every row names the header's columns. */
	memcpy(c->named, seen, s->nfields);
	free(seen);
	return c->r.reason.len > 0 ? -1 : 0;
}

static void
import_start_row(void *arg)
{
	struct import_ctx *c = arg;

	memset(c->row, 0, c->schema->nfields * sizeof *c->row);
	c->khash_ok = 0;
	if (c->r.o->format != EXPORT_CSV)
		memset(c->named, 0, c->schema->nfields);
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
		} else if (c->colmap[i] == s->key_field)
			import_key_read(c, &c->row[s->key_field]);
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
	uint8_t *seen = c->named;
	size_t k;
	char *cause = NULL;
	int idx;

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

/* Whether p[0..n) and q[0..n) are the same bytes (short names: no call). */
static inline int
import_same(const char *p, const char *q, size_t n)
{
	uint64_t a, b;

	for (; n >= 8; n -= 8, p += 8, q += 8) {
		memcpy(&a, p, 8);
		memcpy(&b, q, 8);
		if (a != b)
			return 0;
	}
	while (n > 0 && *p == *q) {
		p++;
		q++;
		n--;
	}
	return n == 0;
}

/*
 * The field a scanned JSON member names: the lines of a file name the
 * same members in the same order, so the field of the same member on
 * the line before is tried first.  -1 when there is none.
 */
static int
import_member_field(struct import_ctx *c, size_t k,
    const struct jsonscan_str *name)
{
	const struct pdb_schema *s = c->schema;
	int i, g = k < s->nfields ? c->guess[k] : -1;

	if (g >= 0 && c->flen[g] == name->len &&
	    import_same(s->fields[g].name, name->p, name->len))
		return g;
	for (i = 0; i < s->nfields; i++) {
		if (c->flen[i] == name->len &&
		    import_same(s->fields[i].name, name->p, name->len)) {
			if (k < s->nfields)
				c->guess[k] = i;
			return i;
		}
	}
	return -1;
}

/*
 * One JSON line's members, as the scanner read them, into the current
 * row; -1 for a line with an error (an unknown or repeated member, a
 * value of the wrong kind), which import_json_object then reports.
 */
static int
import_json_members(void *arg, uint64_t line, const char *text, size_t len,
    const struct jsonscan *js)
{
	struct import_ctx *c = arg;
	const struct pdb_schema *s = c->schema;
	size_t k;
	int idx;

	for (k = 0; k < js->n; k++) {
		idx = import_member_field(c, k, &js->m[k].name);
		if (idx < 0 || c->named[idx])
			return -1;
		c->named[idx] = 1;
		if (import_member_value(s->fields[idx].type, js, &js->m[k],
		    &c->row[idx], &c->r.arena) != 0)
			return -1;
		if (idx == s->key_field)
			import_key_read(c, &c->row[idx]);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The input, read once per run of the transaction. */

static ssize_t
import_spool_read(void *cookie, char *buf, size_t size)
{
	struct import_input *in = cookie;
	size_t got, done;
	ssize_t n;

	if (in->pos < in->spooled) {
		if ((off_t)size > in->spooled - in->pos)
			size = (size_t)(in->spooled - in->pos);
		n = pread(in->spool, buf, size, in->pos);
		if (n > 0)
			in->pos += n;
		return n;
	}
	got = fread(buf, 1, size, in->in);
	if (got == 0)
		return ferror(in->in) ? -1 : 0;
	for (done = 0; done < got; done += (size_t)n) {
		n = pwrite(in->spool, buf + done, got - done,
		    in->spooled + (off_t)done);
		if (n < 0) {
			in->ioerr = errno;
			return -1;
		}
	}
	in->spooled += (off_t)got;
	in->pos = in->spooled;
	return (ssize_t)got;
}

/* Sets the input up; a stream gets an unlinked spool in the store. */
static int
import_input_init(struct import_input *in, FILE *f, struct store *st,
    char **cause)
{
	char *path;

	memset(in, 0, sizeof *in);
	in->in = f;
	in->spool = -1;
	if ((in->start = ftello(f)) >= 0 &&
	    fseeko(f, in->start, SEEK_SET) == 0) {
		in->seekable = 1;
		return 0;
	}
	path = xasprintf("%s/import-spool-XXXXXX", store_path(st));
	in->spool = mkstemp(path);
	if (in->spool < 0) {
		error_set(cause, _("cannot create a spool file in %s: %s"),
		    store_path(st), strerror(errno));
		free(path);
		return -1;
	}
	unlink(path);
	free(path);
	return 0;
}

/* The input from its start. */
static FILE *
import_input_begin(struct import_input *in, char **cause)
{
	cookie_io_functions_t io = { .read = import_spool_read };
	FILE *f;

	if (in->seekable) {
		if (fseeko(in->in, in->start, SEEK_SET) != 0) {
			error_set(cause, _("cannot read the input again: %s"),
			    strerror(errno));
			return NULL;
		}
		return in->in;
	}
	in->pos = 0;
	if ((f = fopencookie(in, "r", io)) == NULL)
		error_set(cause, _("cannot read the input: %s"),
		    strerror(errno));
	return f;
}

static void
import_input_end(struct import_input *in, FILE *f)
{
	if (f != NULL && f != in->in)
		fclose(f);
}

static void
import_input_free(struct import_input *in)
{
	if (in->spool >= 0)
		close(in->spool);
}

/* Back to no row read, for a run of the transaction. */
static int
import_reset(struct import_ctx *c, char **cause)
{
	const struct import_opts *o = c->r.o;

	import_errors_free(c->res->errors, &c->res->nerrors);
	c->res->rows = c->res->rejected = c->res->total_errors = 0;
	memset(&c->res->stats, 0, sizeof c->res->stats);
	c->r.fatal = c->r.stop = 0;
	c->r.bytes = 0;
	free(c->colmap);
	c->colmap = NULL;
	free(c->fail);
	c->fail = NULL;
	c->nlines = 0;
	pdb_batch_free(c->batch);
	c->batch = pdb_batch_new(c->schema);
	import_keys_free(&c->keys);
	if (c->touched != NULL)
		roaring_bitmap_free(c->touched);
	c->touched = roaring_bitmap_create();
	/* A run again writes the reject file again. */
	if (c->runs++ > 0 && o->reject != NULL && (fflush(o->reject) != 0 ||
	    ftruncate(fileno(o->reject), 0) != 0 ||
	    fseeko(o->reject, 0, SEEK_SET) != 0))
		return error_set(cause, _("could not write the reject file: "
		    "%s; nothing was imported"), strerror(errno));
	return 0;
}

/* The write transaction: may run again when the map grows. */
static int
import_write(struct store_txn *txn, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	const struct import_opts *o = c->r.o;
	struct pdb_schema *now = NULL;
	FILE *in;
	uint16_t i;
	int rc, same;

	if (import_reset(c, cause) != 0)
		return -1;
	c->txn = txn;
	if (pdb_open(txn, o->dbname, &now, cause) != 0)
		return -1;
	same = now->id == c->schema->id && now->nfields == c->schema->nfields;
	for (i = 0; same && i < now->nfields; i++)
		same = now->fields[i].type == c->schema->fields[i].type;
	/* No key is stored: every key the import takes is new. */
	c->allnew = now->nprofiles == 0;
	schema_free(now);
	if (!same)
		return error_set(cause, _("database '%s' changed during the "
		    "import; nothing was imported"), o->dbname);
	if ((in = import_input_begin(&c->input, cause)) == NULL)
		return -1;
	rc = import_read(&c->r, in);
	import_input_end(&c->input, in);
	if (c->input.ioerr != 0 && c->fail == NULL)
		c->fail = xasprintf(_("cannot write the spool file: %s"),
		    strerror(c->input.ioerr));
	if (rc == 0)
		import_flush(c);
	if (c->fail != NULL) {
		error_set(cause, "%s", c->fail);
		return -1;
	}
	if (rc != 0 || (o->reject == NULL && c->res->total_errors > 0))
		return error_set(cause, ngettext_("import into database '%s' "
		    "refused (%" PRIu64 " error); nothing was changed",
		    "import into database '%s' refused (%" PRIu64 " errors); "
		    "nothing was changed", c->res->total_errors), o->dbname,
		    c->res->total_errors);
	return import_reject_flush(o, cause);
}

/* Rows in a batch. */
static size_t
import_batch_rows(void)
{
	const char *s = getenv("RESEG_IMPORT_ROWS");
	int64_t v;

	if (s != NULL && parse_int64(s, strlen(s), &v) == 0 && v >= 1 &&
	    v <= 64 * (int64_t)IMPORT_BATCH_ROWS)
		return (size_t)v;
	return IMPORT_BATCH_ROWS;
}

int
import_run(struct store *store, FILE *in, const struct import_opts *o,
    struct import_result *res, char **cause)
{
	struct import_ctx c = { .r = IMPORT_READER_INIT(o, res), .res = res,
	    .store = store };
	struct store_txn *txn;
	struct stat sb;
	uint16_t i;
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
	if (import_input_init(&c.input, in, store, cause) != 0) {
		schema_free(c.schema);
		return -1;
	}
	/*
	 * Room for the profiles before the transaction starts, so that it
	 * rarely runs (and reads the file) twice: the stored profiles take
	 * about as many bytes as a CSV file of them, half a JSON Lines one.
	 */
	if (c.input.seekable && fstat(fileno(in), &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size > c.input.start &&
	    store_reserve_room(store, (uint64_t)(sb.st_size - c.input.start) *
	    (o->format == EXPORT_CSV ? 3 : 2) / 2, cause) != 0)
		goto out;
	c.maxrows = import_batch_rows();
	c.row = xcalloc(c.schema->nfields, sizeof *c.row);
	c.named = xcalloc(c.schema->nfields, 1);
	c.guess = xcalloc(c.schema->nfields, sizeof *c.guess);
	c.flen = xcalloc(c.schema->nfields, sizeof *c.flen);
	for (i = 0; i < c.schema->nfields; i++) {
		c.guess[i] = -1;
		c.flen[i] = strlen(c.schema->fields[i].name);
	}
	c.r.csv_empty = _("the file is empty: a CSV file starts with a "
	    "header row of field names");
	c.r.arg = &c;
	c.r.start_row = import_start_row;
	c.r.csv_header = import_csv_header;
	c.r.csv_row = import_csv_row;
	c.r.json_object = import_json_object;
	c.r.json_members = import_json_members;
	c.r.finish_row = import_finish_row;
	rc = store_write(store, import_write, &c, cause);
out:
	import_input_free(&c.input);
	import_reader_free(&c.r);
	free(c.colmap);
	free(c.row);
	free(c.named);
	free(c.guess);
	free(c.flen);
	free(c.lines);
	free(c.hashes);
	free(c.fail);
	pdb_batch_free(c.batch);
	import_keys_free(&c.keys);
	if (c.touched != NULL)
		roaring_bitmap_free(c.touched);
	schema_free(c.schema);
	return rc;
}
