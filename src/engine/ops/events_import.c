/*
 * events import: CSV and JSON Lines rows checked one by one and handed
 * to the event store's streaming writer (evdb_writer), which stages full
 * chunks as it goes and makes them visible at commit.  Profile keys are
 * resolved through an in-memory table of the database's keys, read once.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "attach.h"
#include "bucket.h"
#include "csv.h"
#include "events.h"
#include "i18n.h"
#include "util.h"

/* What a column or member of an event file is. */
#define EVIMP_KEY	(-1)
#define EVIMP_EVENT	(-2)
#define EVIMP_TIME	(-3)
#define EVIMP_ID	(-4)
#define EVIMP_UNKNOWN	(-5)

/*
 * The database's keys: key bytes -> profile number, in one open-addressed
 * table whose 16-byte slots hold the hash, the number and where the key
 * is, so a lookup touches one slot and the key's bytes.
 */
struct evimp_slot {
	uint32_t	 h;
	uint32_t	 pno;
	uint64_t	 ref;		/* off << 20 | len; 0: empty */
};

struct evimp_keys {
	char		*bytes;
	size_t		 blen, bcap;
	struct evimp_slot *slots;
	size_t		 nslots, n;
};

struct evimp {
	struct import_reader		 r;
	struct events_import_result	*res;
	struct evdb_writer		*w;
	const struct pdb_schema		*sc;
	struct evimp_keys		 keys;
	char				*columns;	/* for messages */
	int				*colmap;	/* CSV column -> what */
	char				**names;	/* CSV column names */
	size_t				 ncols;
	char				*store_cause;	/* the writer failed */
	/* The row being read. */
	struct value			*props;
	const char			*key, *name, *id;
	size_t				 keylen, namelen, idlen;
	const char			*keycol;	/* its column's name */
	uint32_t			 keyhash;
	int64_t				 time;
	int				 has_key, has_name, has_time;
};

/* ------------------------------------------------------------------ */
/* Keys. */

/* A word-at-a-time hash of a key (for this table only). */
static uint32_t
evimp_hash(const char *p, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * 0x94D049BB133111EBULL;
	}
	return (uint32_t)bucket_fmix64(h);
}

#define EVIMP_KEY_MAXLEN	((1 << 20) - 1)

static size_t
evimp_key_probe(const struct evimp_keys *k, const char *p, size_t len,
    uint32_t h)
{
	size_t s, mask = k->nslots - 1;
	const struct evimp_slot *e;

	for (s = h & mask; k->slots[s].ref != 0; s = (s + 1) & mask) {
		e = &k->slots[s];
		if (e->h == h && (e->ref & EVIMP_KEY_MAXLEN) == len &&
		    memcmp(k->bytes + (e->ref >> 20), p, len) == 0)
			break;
	}
	return s;
}

static void
evimp_key_insert(struct evimp_keys *k, size_t off, size_t len, uint32_t pno)
{
	uint32_t h = evimp_hash(k->bytes + off, len);
	size_t s = evimp_key_probe(k, k->bytes + off, len, h);

	if (k->slots[s].ref != 0)
		return;
	k->slots[s].h = h;
	k->slots[s].pno = pno;
	k->slots[s].ref = (uint64_t)off << 20 | len;
	k->n++;
}

static void
evimp_key_grow(struct evimp_keys *k)
{
	struct evimp_slot *old = k->slots;
	size_t on = k->nslots, i;

	k->nslots = on == 0 ? 4096 : on * 2;
	k->slots = xcalloc(k->nslots, sizeof *k->slots);
	k->n = 0;
	for (i = 0; i < on; i++) {
		if (old[i].ref != 0)
			evimp_key_insert(k, old[i].ref >> 20,
			    old[i].ref & EVIMP_KEY_MAXLEN, old[i].pno);
	}
	free(old);
}

static int
evimp_key_add(void *arg, uint32_t pno, const char *p, size_t len)
{
	struct evimp_keys *k = arg;
	size_t off;

	/* Offset 0 would read as an empty slot; longer keys are not found. */
	if (len == 0 || len > EVIMP_KEY_MAXLEN)
		return 0;
	if (k->blen == 0)
		k->blen = 1;
	if (k->blen + len > k->bcap) {
		k->bcap = k->bcap == 0 ? 65536 : k->bcap;
		while (k->blen + len > k->bcap)
			k->bcap *= 2;
		k->bytes = xrealloc(k->bytes, k->bcap);
	}
	off = k->blen;
	memcpy(k->bytes + off, p, len);
	k->blen += len;
	if ((k->n + 1) * 2 > k->nslots)
		evimp_key_grow(k);
	evimp_key_insert(k, off, len, pno);
	return 0;
}

/* Reads every key of the database and indexes them. */
static int
evimp_keys_load(struct store *st, const struct pdb_schema *sc,
    struct evimp_keys *k, char **cause)
{
	struct store_txn *t;
	int rc;

	if (store_read_begin(st, &t, cause) != 0)
		return -1;
	/* Sized once for every profile: no rehash while loading. */
	for (k->nslots = 4096; k->nslots < 2 * (size_t)sc->nprofiles + 2;
	    k->nslots *= 2)
		;
	k->slots = xcalloc(k->nslots, sizeof *k->slots);
	rc = pdb_scan_keys(t, sc, NULL, evimp_key_add, k, cause);
	store_read_end(t);
	return rc != 0 ? -1 : 0;
}

/* Starts loading the slot of a key found later (hash h). */
static void
evimp_key_prefetch(const struct evimp_keys *k, uint32_t h)
{
	__builtin_prefetch(&k->slots[h & (k->nslots - 1)]);
}

/* 0 and *pno, or -1 when no profile has the key (hash h). */
static int
evimp_key_find(const struct evimp_keys *k, const char *p, size_t len,
    uint32_t h, uint32_t *pno)
{
	size_t s;

	if (len > EVIMP_KEY_MAXLEN)
		return -1;
	s = evimp_key_probe(k, p, len, h);
	if (k->slots[s].ref == 0)
		return -1;
	*pno = k->slots[s].pno;
	return 0;
}

static void
evimp_keys_free(struct evimp_keys *k)
{
	free(k->bytes);
	free(k->slots);
}

/* ------------------------------------------------------------------ */
/* Rows. */

/* What a column (or member) named name is. */
static int
evimp_column(const struct pdb_schema *sc, const char *name)
{
	if (strcmp(name, "key") == 0 ||
	    strcmp(name, sc->fields[sc->key_field].name) == 0)
		return EVIMP_KEY;
	if (strcmp(name, "event") == 0)
		return EVIMP_EVENT;
	if (strcmp(name, "time") == 0)
		return EVIMP_TIME;
	if (strcmp(name, "event_id") == 0)
		return EVIMP_ID;
	if (schema_event_field_index(sc, name) >= 0)
		return schema_event_field_index(sc, name);
	return EVIMP_UNKNOWN;
}

static void
evimp_unknown(struct evimp *c, uint64_t line, const char *name)
{
	import_row_error(&c->r, line, name, _("not a column of an event file "
	    "of database '%s' (%s)"), c->sc->name, c->columns);
}

static void
evimp_start_row(void *arg)
{
	struct evimp *c = arg;

	memset(c->props, 0, (c->sc->nevent_fields + 1) * sizeof *c->props);
	c->has_key = c->has_name = c->has_time = 0;
	c->id = NULL;
	c->idlen = 0;
}

/* A text value of column col (CSV, or a JSON string's contents). */
static void
evimp_text(struct evimp *c, uint64_t line, int col, const char *colname,
    const char *p, size_t len)
{
	struct value v;
	char *cause = NULL;

	switch (col) {
	case EVIMP_KEY:
		c->key = p;
		c->keylen = len;
		/* A JSON member's name goes with its object. */
		c->keycol = arena_strndup(&c->r.arena, colname,
		    strlen(colname));
		c->has_key = len > 0;
		/* The slot arrives while the rest of the row is read. */
		c->keyhash = evimp_hash(p, len);
		evimp_key_prefetch(&c->keys, c->keyhash);
		if (len == 0)
			import_row_error(&c->r, line, colname, _("the key is "
			    "empty"));
		else if (len > STORE_KEY_MAX)
			import_row_error(&c->r, line, colname, _("the key is "
			    "%zu bytes long; the limit is %d bytes"), len,
			    STORE_KEY_MAX);
		break;
	case EVIMP_EVENT:
		c->name = p;
		c->namelen = len;
		c->has_name = len > 0;
		if (len == 0)
			import_row_error(&c->r, line, colname, _("the event "
			    "name is empty"));
		else if (len > STORE_NAME_MAX)
			import_row_error(&c->r, line, colname, _("the event "
			    "name is %zu bytes long; the limit is %d bytes"),
			    len, STORE_NAME_MAX);
		break;
	case EVIMP_TIME:
		if (value_parse_text(FT_DATETIME, p, len, &v, &c->r.arena,
		    &cause) != 0) {
			import_row_error(&c->r, line, colname, "%s", cause);
			free(cause);
		} else if (!v.present)
			import_row_error(&c->r, line, colname, _("the time is "
			    "empty"));
		else {
			c->time = v.u.dt;
			c->has_time = 1;
		}
		break;
	case EVIMP_ID:
		c->id = len > 0 ? p : NULL;
		c->idlen = len;
		if (len > STORE_EVENT_ID_MAX)
			import_row_error(&c->r, line, colname, _("the event_id "
			    "is %zu bytes long; the limit is %d bytes"), len,
			    STORE_EVENT_ID_MAX);
		break;
	default:
		if (value_parse_text(c->sc->event_fields[col].type, p, len,
		    &c->props[col], &c->r.arena, &cause) != 0) {
			import_row_error(&c->r, line, colname, "%s", cause);
			free(cause);
		}
		break;
	}
}

/*
 * Checks the row's key and hands it to the writer when it has no error.
 * Returns 0 when the row was taken (or would have been, after an error
 * that refuses the import), -1 when it is rejected.
 */
static int
evimp_finish_row(void *arg, uint64_t line)
{
	struct evimp *c = arg;
	struct evdb_event ev;
	uint32_t pno = 0;
	int rc;

	if (c->r.reason.len == 0) {
		if (!c->has_key)
			import_row_error(&c->r, line, "key", _("the member is "
			    "missing"));
		if (!c->has_name)
			import_row_error(&c->r, line, "event", _("the member "
			    "is missing"));
		if (!c->has_time)
			import_row_error(&c->r, line, "time", _("the member "
			    "is missing"));
	}
	if (c->r.reason.len == 0 && evimp_key_find(&c->keys, c->key, c->keylen,
	    c->keyhash, &pno) != 0)
		import_row_error(&c->r, line, c->keycol, _("no profile with "
		    "key '%.*s'"), (int)c->keylen, c->key);
	if (c->r.reason.len > 0)
		return -1;
	/* After an error nothing is imported: the rows are only checked. */
	if (c->r.fatal || (c->r.o->reject == NULL &&
	    c->res->total_errors > 0))
		return 0;
	ev.pno = pno;
	ev.time = c->time;
	ev.name = c->name;
	ev.namelen = c->namelen;
	ev.id = c->id;
	ev.idlen = c->idlen;
	ev.props = c->props;
	rc = evdb_writer_add(c->w, &ev, &c->store_cause);
	if (rc < 0)
		c->r.fatal = 1;
	c->r.stop = c->store_cause != NULL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* CSV. */

static int
evimp_csv_header(void *arg, const struct csv_field *f, size_t n)
{
	struct evimp *c = arg;
	const struct pdb_schema *s = c->sc;
	uint8_t *seen = xcalloc((size_t)s->nevent_fields + 4, 1);
	size_t i, slot;
	int col;

	c->colmap = xcalloc(n + 1, sizeof *c->colmap);
	for (i = 0; i < n; i++) {
		col = evimp_column(s, f[i].p);
		c->colmap[i] = col;
		if (col == EVIMP_UNKNOWN) {
			evimp_unknown(c, 1, f[i].p);
			continue;
		}
		slot = col < 0 ? (size_t)(-col - 1) : (size_t)col + 4;
		if (seen[slot])
			import_row_error(&c->r, 1, f[i].p, _("the column "
			    "appears twice"));
		seen[slot] = 1;
	}
	if (!seen[-EVIMP_KEY - 1])
		import_row_error(&c->r, 1, NULL, _("the key column is missing "
		    "(key or %s)"), s->fields[s->key_field].name);
	if (!seen[-EVIMP_EVENT - 1])
		import_row_error(&c->r, 1, NULL, _("the event column is "
		    "missing"));
	if (!seen[-EVIMP_TIME - 1])
		import_row_error(&c->r, 1, NULL, _("the time column is "
		    "missing"));
	free(seen);
	if (c->r.reason.len > 0)
		return -1;
	c->names = xcalloc(n + 1, sizeof *c->names);
	for (i = 0; i < n; i++)
		c->names[i] = xstrdup(f[i].p);
	c->ncols = n;
	return 0;
}

static void
evimp_csv_row(void *arg, uint64_t line, const struct csv_field *f, size_t n)
{
	struct evimp *c = arg;
	size_t i;

	for (i = 0; i < n; i++)
		evimp_text(c, line, c->colmap[i], c->names[i], f[i].p,
		    f[i].len);
}

/* ------------------------------------------------------------------ */
/* JSON Lines. */

/* A member that must be a string (key, event, time). */
static void
evimp_json_member(struct evimp *c, uint64_t line, int col, const cJSON *m,
    const struct import_span *sp)
{
	struct value v;
	char *cause = NULL;

	switch (col) {
	case EVIMP_KEY:
	case EVIMP_EVENT:
	case EVIMP_TIME:
		if (!cJSON_IsString(m)) {
			import_row_error(&c->r, line, m->string, _("expected "
			    "a string"));
			return;
		}
		evimp_text(c, line, col, m->string, m->valuestring,
		    strlen(m->valuestring));
		return;
	case EVIMP_ID:
		if (cJSON_IsString(m))
			evimp_text(c, line, col, m->string, m->valuestring,
			    strlen(m->valuestring));
		else if (cJSON_IsNumber(m) && sp != NULL) {
			/* A numeric id as the file writes it. */
			c->id = arena_strndup(&c->r.arena, sp->p, sp->len);
			c->idlen = sp->len;
			if (sp->len > STORE_EVENT_ID_MAX)
				import_row_error(&c->r, line, m->string,
				    _("the event_id is %zu bytes long; the "
				    "limit is %d bytes"), sp->len,
				    STORE_EVENT_ID_MAX);
		} else if (!cJSON_IsNull(m))
			import_row_error(&c->r, line, m->string, _("expected "
			    "a string or a number"));
		return;
	default:
		if (import_json_value(c->sc->event_fields[col].type, m, sp, &v,
		    &c->r.arena, &cause) != 0) {
			import_row_error(&c->r, line, m->string, "%s", cause);
			free(cause);
			return;
		}
		c->props[col] = v;
		return;
	}
}

static void
evimp_json_object(void *arg, uint64_t line, const cJSON *obj,
    const struct import_span *spans, size_t nspans)
{
	struct evimp *c = arg;
	const struct pdb_schema *s = c->sc;
	const cJSON *m;
	size_t k, slot;
	uint8_t *seen;
	int col;

	seen = arena_alloc(&c->r.arena, (size_t)s->nevent_fields + 4);
	memset(seen, 0, (size_t)s->nevent_fields + 4);
	k = 0;
	cJSON_ArrayForEach(m, obj) {
		k++;
		col = evimp_column(s, m->string);
		if (col == EVIMP_UNKNOWN) {
			evimp_unknown(c, line, m->string);
			continue;
		}
		slot = col < 0 ? (size_t)(-col - 1) : (size_t)col + 4;
		if (seen[slot]) {
			import_row_error(&c->r, line, m->string, _("the "
			    "member appears twice"));
			continue;
		}
		seen[slot] = 1;
		evimp_json_member(c, line, col, m, k <= nspans ?
		    &spans[k - 1] : NULL);
	}
	/* The strings must outlive the tree: copy them into the arena. */
	if (c->has_key)
		c->key = arena_strndup(&c->r.arena, c->key, c->keylen);
	if (c->has_name)
		c->name = arena_strndup(&c->r.arena, c->name, c->namelen);
	if (c->id != NULL)
		c->id = arena_strndup(&c->r.arena, c->id, c->idlen);
}

/* ------------------------------------------------------------------ */

void
events_import_result_free(struct events_import_result *res)
{
	import_errors_free(res->errors, &res->nerrors);
}

/* "key or email, event, time, event_id, amount, sku" for messages. */
static char *
evimp_columns(const struct pdb_schema *sc)
{
	struct strbuf sb = STRBUF_INIT;
	uint16_t i;

	sb_printf(&sb, _("key or %s, event, time, event_id"),
	    sc->fields[sc->key_field].name);
	for (i = 0; i < sc->nevent_fields; i++)
		sb_printf(&sb, ", %s", sc->event_fields[i].name);
	return sb_detach(&sb);
}

int
events_import(struct store *st, FILE *in, const struct import_opts *o,
    struct events_import_result *res, char **cause)
{
	struct evimp c;
	struct evdb_append_stats stats;
	struct stat sb;
	off_t at;
	size_t i;
	int rc;

	memset(res, 0, sizeof *res);
	memset(&c, 0, sizeof c);
	c.r = (struct import_reader)IMPORT_READER_INIT(o, res);
	c.res = res;
	if (evdb_writer_open(st, o->dbname, &c.w, cause) != 0)
		return -1;
	c.sc = evdb_writer_schema(c.w);
	/*
	 * A line of an event with an id is some 60 bytes or more: the
	 * filter of the ids is sized for a line of 64.
	 */
	if ((at = ftello(in)) >= 0 && fstat(fileno(in), &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size > at)
		evdb_writer_expect(c.w, (uint64_t)(sb.st_size - at) / 64);
	if (attach_refuse(c.sc, _("importing events"), cause) != 0) {
		rc = -1;
		goto out;
	}
	if (evimp_keys_load(st, c.sc, &c.keys, cause) != 0) {
		rc = -1;
		goto out;
	}
	c.columns = evimp_columns(c.sc);
	c.props = xcalloc((size_t)c.sc->nevent_fields + 1, sizeof *c.props);
	c.r.csv_empty = _("the file is empty: a CSV file starts with a "
	    "header row of column names");
	c.r.arg = &c;
	c.r.start_row = evimp_start_row;
	c.r.csv_header = evimp_csv_header;
	c.r.csv_row = evimp_csv_row;
	c.r.json_object = evimp_json_object;
	c.r.finish_row = evimp_finish_row;
	rc = import_read(&c.r, in);
	if (c.store_cause != NULL) {
		*cause = c.store_cause;
		c.store_cause = NULL;
		rc = -1;
		goto out;
	}
	if (rc != 0 || (o->reject == NULL && res->total_errors > 0)) {
		error_set(cause, ngettext_("events import into database '%s' "
		    "refused (%" PRIu64 " error); nothing was changed",
		    "events import into database '%s' refused (%" PRIu64
		    " errors); nothing was changed", res->total_errors),
		    o->dbname, res->total_errors);
		rc = -1;
		goto out;
	}
	if (import_reject_flush(o, cause) != 0) {
		rc = -1;
		goto out;
	}
	rc = evdb_writer_commit(c.w, &stats, cause);
	if (rc == 0) {
		res->imported = stats.added;
		res->duplicates = stats.duplicates;
	}
out:
	if (rc != 0)
		evdb_writer_abort(c.w);
	evdb_writer_free(c.w);
	evimp_keys_free(&c.keys);
	free(c.columns);
	free(c.props);
	free(c.store_cause);
	for (i = 0; c.names != NULL && i < c.ncols; i++)
		free(c.names[i]);
	free(c.names);
	free(c.colmap);
	import_reader_free(&c.r);
	return rc;
}
