/*
 * import: CSV and JSON Lines into a profile database (upsert by key), with
 * rejected lines reported and optionally written out; the input is read
 * by import_read.c, which the events import shares.
 *
 * The file is read outside any transaction and written in batches of
 * IMPORT_BATCH_ROWS rows as it is read, so memory stays bounded whatever
 * the file's size: new profiles are staged, a write transaction a batch,
 * under numbers beyond the database's count that no reader looks at;
 * rows of stored profiles are compared with them, and the changed ones
 * wait for the last transaction, which applies them and raises the count:
 * the import appears at once, or not at all (doc/storage.md, "Streaming
 * profile import").  A Bloom filter and a bitmap find the keys repeated
 * across batches.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <threads.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <roaring/roaring.h>

#include "attach.h"
#include "bloom.h"
#include "csv.h"
#include "i18n.h"
#include "import.h"
#include "jsonscan.h"
#include "util.h"

/* Rows applied at a time (RESEG_IMPORT_ROWS overrides it, for tests). */
#define IMPORT_BATCH_ROWS	65536
/*
 * Keys looked up between two store_release_pages: few in a small batch
 * (the last of a large import), where each lookup at a random key maps
 * some 150 KiB of index pages (1,000 lookups into 10 million keys held
 * 150 MiB); many in a large batch, which reads most of the index anyway
 * and would only fault it in again (a re-import of 1,000,000 profiles
 * took 4.6 s instead of 1.6 when every 32 lookups released the map).
 */
#define IMPORT_RELEASE_KEYS	16384
#define IMPORT_RELEASE_FEW	32
#define IMPORT_SMALL_BATCH	8192
/* Lookups of keys the Bloom filter may have between two releases. */
#define IMPORT_RELEASE_LOOKUPS	64
/* Staged chunks removed per write transaction. */
#define IMPORT_CLEAN_CHUNKS	64

/*
 * Rows gathered for one way of writing them, with the input line, key
 * hash and (updates) stored profile number of each.
 */
struct import_part {
	struct pdb_batch	*b;
	uint64_t		*lines;
	uint64_t		*hashes;
	uint32_t		*pnos;
	size_t			 n, cap;
};

/*
 * A batch of new keys being staged by a thread of its own while the next
 * batch is read (the writing is about half of an import's time).  The
 * reading thread only looks keys up in the batch, which is sealed first,
 * so neither changes what the other reads.
 */
struct import_job {
	struct import_ctx	*c;
	struct pdb_batch	*b;		/* owned */
	uint32_t		 first;		/* its first staged number */
	struct pdb_keyrun	*run;		/* its new keys, when in runs */
	thrd_t			 thr;
	int			 running;
	int			 rc;
	char			*fail;
};

struct import_ctx {
	struct import_reader	 r;
	struct import_result	*res;
	struct store		*store;
	struct pdb_schema	*schema;
	/*
	 * The rows read (cur) and what the publishing transaction writes:
	 * the changed rows of stored profiles (pend) and the new keys that
	 * fill the last stored chunk (edge).
	 */
	struct import_part	 cur, pend, edge;
	size_t			 carried;	/* rows of cur from a flush */
	struct import_job	 job;		/* the batch being staged */
	size_t			 maxrows;	/* rows in a batch */
	struct value		*row;
	uint8_t			*named;		/* the fields the row names */
	int			*colmap;	/* CSV column -> field */
	int			*guess;		/* JSON member -> field, last line */
	uint64_t		 khash;		/* the row's key hash, */
	int			 khash_ok;	/* when known */
	size_t			*flen;		/* field name lengths */
	struct store_txn	*rtxn;		/* the lookups while reading */
	size_t			 nlookups;	/* of keys the filter may have */
	/*
	 * A regular file being read (else NULL) and its bytes: batches are
	 * then staged while the next is read.
	 */
	FILE			*in;
	off_t			 in_at, in_end;
	uint32_t		 oldn;		/* profiles at the start */
	uint32_t		 bound;		/* the end of their last chunk */
	uint64_t		 nnew;		/* new keys written or pending */
	uint32_t		 staged;	/* the next staged number */
	uint64_t		 unchanged;	/* compared, unchanged */
	struct pdb_upsert_stats	 pub;		/* of the publishing */
	struct bloom		 keys;		/* the keys taken */
	struct pdb_keyruns	*runs;		/* staged keys not indexed yet */
	roaring_bitmap_t	*touched;	/* the stored profiles compared */
	char			*fail;		/* why writing failed */
	int			 marked, again;
	int			 paused;	/* RESEG_TEST_IMPORT_PAUSE */
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

static void
import_part_init(struct import_part *p, const struct pdb_schema *sc)
{
	pdb_batch_free(p->b);
	p->b = pdb_batch_new(sc);
	p->n = 0;
}

/*
 * The part rows are read into: their range buckets are computed when
 * the batch is staged, in the staging thread, as reading is the longer
 * of the import's two threads (bucket_of_key hashes the key a byte at a
 * time: 5 % of the reading thread's time).
 */
static void
import_part_init_read(struct import_part *p, const struct pdb_schema *sc)
{
	import_part_init(p, sc);
	pdb_batch_defer_buckets(p->b);
}

static void
import_part_free(struct import_part *p)
{
	pdb_batch_free(p->b);
	free(p->lines);
	free(p->hashes);
	free(p->pnos);
	memset(p, 0, sizeof *p);
}

static void
import_part_push(struct import_part *p, uint64_t line, uint64_t h,
    uint32_t pno)
{
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 4096 : p->cap * 2;
		p->lines = xreallocarray(p->lines, p->cap, sizeof *p->lines);
		p->hashes = xreallocarray(p->hashes, p->cap,
		    sizeof *p->hashes);
		p->pnos = xreallocarray(p->pnos, p->cap, sizeof *p->pnos);
	}
	p->lines[p->n] = line;
	p->hashes[p->n] = h;
	p->pnos[p->n++] = pno;
}

static void
import_rtxn_end(struct import_ctx *c)
{
	if (c->rtxn != NULL)
		store_read_end(c->rtxn);
	c->rtxn = NULL;
}

static void
import_failed(struct import_ctx *c)
{
	c->r.stop = 1;
	import_rtxn_end(c);
}

/*
 * The row's key is read: its hash starts loading the Bloom blocks and
 * the batch slot the key's checks will read, while the rest of the row
 * is converted (each filter is a cache miss).
 */
static void
import_key_read(struct import_ctx *c, const struct value *key)
{
	size_t j;

	if (!key->present || key->u.s.len == 0 ||
	    key->u.s.len > STORE_KEY_MAX)
		return;
	c->khash = pdb_key_hash(key->u.s.p, key->u.s.len);
	c->khash_ok = 1;
	for (j = 0; j < c->keys.nf; j++)
		__builtin_prefetch(bloom_line(&c->keys.f[j], c->khash));
	pdb_batch_prefetch(c->cur.b, c->khash);
}

/*
 * The database as the import found it, and still its own: the same
 * fields, the same count, this process's mark.
 */
static int
import_open(struct store_txn *t, struct import_ctx *c, struct pdb_schema **out,
    char **cause)
{
	struct pdb_schema *now = NULL;
	long pid;
	uint16_t i;
	int same;

	*out = NULL;
	if (pdb_open(t, c->r.o->dbname, &now, cause) != 0)
		return -1;
	same = now->id == c->schema->id && now->nfields == c->schema->nfields;
	for (i = 0; same && i < now->nfields; i++)
		same = now->fields[i].type == c->schema->fields[i].type;
	if (same && c->marked)
		same = now->nprofiles == c->oldn && pdb_import_mark(t, now,
		    &pid, NULL, NULL) == 1 && pid == (long)getpid();
	if (!same) {
		schema_free(now);
		return error_set(cause, _("database '%s' changed during the "
		    "import; nothing was imported"), c->r.o->dbname);
	}
	*out = now;
	return 0;
}

/* For tests: waits after a staging transaction while the file exists. */
static void
import_test_pause(struct import_ctx *c)
{
	const char *path = getenv("RESEG_TEST_IMPORT_PAUSE");
	char *flag;
	FILE *f;

	if (path == NULL || *path == '\0')
		return;
	if (!c->paused) {
		flag = xasprintf("%s.staged", path);
		if ((f = fopen(flag, "w")) != NULL)
			fclose(f);
		free(flag);
		c->paused = 1;
	}
	while (access(path, F_OK) == 0)
		usleep(20000);
}

/* A staging transaction: may run again when the map grows. */
static int
import_stage_cb(struct store_txn *t, void *arg, char **cause)
{
	struct import_job *j = arg;
	struct pdb_schema *sc;
	int rc;

	if (import_open(t, j->c, &sc, cause) != 0)
		return -1;
	rc = pdb_batch_stage(t, sc, j->b, j->first, j->c->runs != NULL,
	    cause);
	schema_free(sc);
	return rc;
}

static int
import_stage_run(void *arg)
{
	struct import_job *j = arg;

	j->rc = store_write_nometasync(j->c->store, import_stage_cb, j,
	    &j->fail);
	/* After the commit: the transaction may have run twice. */
	if (j->rc == 0 && j->c->runs != NULL)
		j->rc = pdb_batch_write_run(j->b, j->c->runs, &j->run,
		    &j->fail);
	return 0;
}

/*
 * Waits for the batch being staged, if any: -1 (c->fail set) when its
 * transaction failed.
 */
static int
import_stage_wait(struct import_ctx *c)
{
	struct import_job *j = &c->job;

	if (j->b == NULL)
		return 0;
	if (j->running)
		thrd_join(j->thr, NULL);
	j->running = 0;
	pdb_batch_free(j->b);
	j->b = NULL;
	/* Its keys are looked for in the runs from now on. */
	if (j->run != NULL)
		pdb_keyruns_add(c->runs, j->run);
	j->run = NULL;
	if (j->rc != 0) {
		if (c->fail == NULL)
			c->fail = j->fail;
		else
			free(j->fail);
		j->fail = NULL;
		return -1;
	}
	import_test_pause(c);
	return 0;
}

/*
 * Stages a batch of new keys (taking b; their hashes are h[0..n)): in a
 * thread of its own when the input is a file, the earlier batch done
 * first.  Their numbers and Bloom bits are taken at once, as the next
 * rows' checks need them.
 */
static int
import_stage(struct import_ctx *c, struct pdb_batch *b, const uint64_t *h,
    size_t n)
{
	struct import_job *j = &c->job;
	size_t i;

	if (n == 0 || import_stage_wait(c) != 0) {
		pdb_batch_free(b);
		return n == 0 ? 0 : -1;
	}
	pdb_batch_finish(b);
	j->c = c;
	j->b = b;
	j->first = c->staged;
	j->rc = 0;
	c->staged += (uint32_t)n;
	c->nnew += n;
	for (i = 0; i < n; i++) {
		/* The filter is larger than the caches: load ahead. */
		if (i + 16 < n && c->keys.nf > 0)
			__builtin_prefetch(bloom_line(&c->keys.f[
			    c->keys.nf - 1], h[i + 16]), 1);
		bloom_add(&c->keys, h[i]);
	}
	if (c->in != NULL && thrd_create(&j->thr, import_stage_run, j) ==
	    thrd_success) {
		j->running = 1;
		return 0;
	}
	import_stage_run(j);
	return import_stage_wait(c);
}

/*
 * Looks the rows' keys up (in one pass, the B-tree's upper pages staying
 * in the cache) and compares the rows of stored profiles with them.
 */
static int
import_classify(struct import_ctx *c, uint8_t *changed, size_t *nfound)
{
	struct import_part *u = &c->cur;
	struct store_txn *t;
	struct pdb_schema *sc;
	const char *p;
	size_t i, len, every = u->n < IMPORT_SMALL_BATCH ?
	    IMPORT_RELEASE_FEW : IMPORT_RELEASE_KEYS;
	int rc;

	*nfound = 0;
	if (c->oldn == 0) {
		for (i = 0; i < u->n; i++)
			u->pnos[i] = UINT32_MAX;
		return 0;
	}
	if (store_read_begin(c->store, &t, &c->fail) != 0)
		return -1;
	rc = import_open(t, c, &sc, &c->fail);
	for (i = 0; rc == 0 && i < u->n; i++) {
		pdb_batch_row_key(u->b, i, &p, &len);
		/* The index pages read would add up in the resident set. */
		if (i % every == every - 1)
			store_release_pages(c->store);
		rc = pdb_lookup(t, sc, p, len, &u->pnos[i], &c->fail);
		if (rc == 1)
			u->pnos[i] = UINT32_MAX;
		else if (rc == 0)
			(*nfound)++;
		rc = rc < 0 ? -1 : 0;
	}
	if (rc == 0 && *nfound > 0)
		rc = pdb_batch_compare(t, sc, u->b, u->pnos, changed,
		    &c->fail);
	schema_free(sc);
	store_read_end(t);
	return rc;
}

/*
 * Sizes the first Bloom filter for the rows of a regular file, from the
 * bytes its first batch took (an eighth more, for lines that grow).
 */
static void
import_keys_plan(struct import_ctx *c)
{
	off_t at;
	double rows;

	if (c->keys.nf > 0 || c->in == NULL || c->cur.n < 1024 ||
	    (at = ftello(c->in)) <= c->in_at)
		return;
	rows = (double)c->cur.n * (double)(c->in_end - c->in_at) /
	    (double)(at - c->in_at);
	if (rows < (double)UINT32_MAX)
		c->keys.plan = (size_t)(rows * 1.125);
}

/* Claims the database: a dead importer's leftovers go first. */
static int
import_claim_cb(struct store_txn *t, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	struct pdb_schema *sc;
	int rc;

	if (import_open(t, c, &sc, cause) != 0)
		return -1;
	c->oldn = sc->nprofiles;
	c->bound = pdb_nchunks(sc) * PDB_CHUNK_ROWS;
	c->staged = c->bound;
	rc = pdb_import_claim(t, sc, IMPORT_CLEAN_CHUNKS, &c->again, cause);
	schema_free(sc);
	return rc;
}

/*
 * Marks the database as this import's, at its first batch: an input of
 * one batch is written by one transaction (import_apply_cb) and never
 * marks it.
 */
static int
import_claim(struct import_ctx *c)
{
	do {
		if (store_write(c->store, import_claim_cb, c, &c->fail) != 0)
			return -1;
	} while (c->again);
	c->marked = 1;
	return pdb_keyruns_open(store_path(c->store), &c->runs, &c->fail);
}

/*
 * Writes the rows read: the batch as it is when its keys are all new and
 * beyond the stored chunks (a fresh import: every batch); else the rows
 * are sorted out.  The changed rows of stored profiles go to pend, the
 * new keys
 * that fill the last stored chunk to edge, the other new keys are
 * staged but for the rows past the last full chunk, which stay in cur
 * for the next flush (so that the staged chunks stay whole and the next
 * batches are copied as they are).  The unchanged rows are done.
 */
static void
import_flush(struct import_ctx *c, int last)
{
	struct import_part *u = &c->cur, next;
	struct pdb_batch *sb;
	uint8_t *changed = NULL;
	uint32_t *prow, *erow, *srow, *crow;
	uint64_t *sh;
	size_t i, nfound, np = 0, ne = 0, ns = 0, nc = 0, room, nnew;

	if (c->fail != NULL || (u->n == 0 && !last))
		return;
	import_rtxn_end(c);
	if (!c->marked && import_claim(c) != 0) {
		import_failed(c);
		return;
	}
	if (import_stage_wait(c) != 0) {
		import_failed(c);
		return;
	}
	/*
	 * The pages the batch before wrote and read are in the page cache:
	 * let them go, now that no other thread may resize the map.
	 */
	store_release_pages(c->store);
	if (u->n == 0)
		return;
	import_keys_plan(c);
	changed = xcalloc(u->n, 1);
	if (import_classify(c, changed, &nfound) != 0)
		goto fail;
	nnew = u->n - nfound;
	room = c->bound - c->oldn > c->nnew ? c->bound - c->oldn - c->nnew : 0;
	if (c->oldn + c->nnew + nnew >= UINT32_MAX) {
		c->fail = xasprintf(_("profile database '%s' is full"),
		    c->schema->name);
		goto fail;
	}
	if (nfound == 0 && room == 0) {
		sb = u->b;
		u->b = NULL;
		if (import_stage(c, sb, u->hashes, u->n) != 0)
			goto fail;
		import_part_init_read(u, c->schema);
		c->carried = 0;
		goto done;
	}
	prow = xcalloc(u->n, sizeof *prow);
	erow = xcalloc(u->n, sizeof *erow);
	srow = xcalloc(u->n, sizeof *srow);
	crow = xcalloc(u->n, sizeof *crow);
	sh = xcalloc(u->n, sizeof *sh);
	for (i = 0; i < u->n; i++) {
		if (u->pnos[i] != UINT32_MAX) {
			if (changed[i])
				prow[np++] = (uint32_t)i;
		} else if (room > 0) {
			erow[ne++] = (uint32_t)i;
			room--;
			c->nnew++;
		} else
			srow[ns++] = (uint32_t)i;
	}
	/* Whole chunks staged; the rest waits for more rows. */
	if (!last) {
		nc = ns % PDB_CHUNK_ROWS;
		ns -= nc;
		memcpy(crow, srow + ns, nc * sizeof *crow);
	}
	for (i = 0; i < np; i++)
		import_part_push(&c->pend, u->lines[prow[i]],
		    u->hashes[prow[i]], 0);
	pdb_batch_take(c->pend.b, u->b, prow, np);
	for (i = 0; i < ne; i++) {
		import_part_push(&c->edge, u->lines[erow[i]],
		    u->hashes[erow[i]], 0);
		bloom_add(&c->keys, u->hashes[erow[i]]);
	}
	pdb_batch_take(c->edge.b, u->b, erow, ne);
	sb = pdb_batch_new(c->schema);
	pdb_batch_take(sb, u->b, srow, ns);
	for (i = 0; i < ns; i++)
		sh[i] = u->hashes[srow[i]];
	i = (size_t)import_stage(c, sb, sh, ns);
	free(sh);
	free(prow);
	free(erow);
	free(srow);
	if (i != 0) {
		free(crow);
		goto fail;
	}
	memset(&next, 0, sizeof next);
	import_part_init_read(&next, c->schema);
	for (i = 0; i < nc; i++)
		import_part_push(&next, u->lines[crow[i]], u->hashes[crow[i]],
		    0);
	pdb_batch_take(next.b, u->b, crow, nc);
	free(crow);
	c->carried = nc;
	c->unchanged += nfound;
	for (i = 0; i < u->n; i++) {
		if (u->pnos[i] == UINT32_MAX)
			continue;
		c->unchanged -= changed[i];
		roaring_bitmap_add(c->touched, u->pnos[i]);
		bloom_add(&c->keys, u->hashes[i]);
	}
	import_part_free(u);
	*u = next;
done:
	free(changed);
	if (last && import_stage_wait(c) != 0)
		import_failed(c);
	return;
fail:
	free(changed);
	import_failed(c);
}

/* Looks the key up, staged keys included; opens the read transaction. */
static int
import_lookup(struct import_ctx *c, const struct value *key, uint32_t *pno)
{
	int rc;

	if (c->rtxn == NULL && store_read_begin(c->store, &c->rtxn,
	    &c->fail) != 0) {
		c->rtxn = NULL;
		import_failed(c);
		return -1;
	}
	rc = pdb_lookup_staged(c->rtxn, c->schema, key->u.s.p, key->u.s.len,
	    pno, &c->fail);
	/*
	 * While a batch is staged, hold no read transaction between rows: a
	 * map that must grow under the staging transaction waits for this
	 * process's readers, and the rows of a batch may take long to read.
	 */
	if (c->job.running)
		import_rtxn_end(c);
	/*
	 * A lookup maps some 40 KiB of index pages (fault-around): 1,500
	 * lookups a batch added 56 MiB to the resident set at 10 million
	 * keys.
	 */
	if (++c->nlookups % IMPORT_RELEASE_LOOKUPS == 0)
		store_release_pages(c->store);
	if (rc < 0)
		import_failed(c);
	return rc;
}

/*
 * Checks the key of a row whose values parsed; adds the row to the part
 * it belongs to when it has no error.  Returns 0 when the row was taken.
 * A key the import took before is found by the parts' hash tables while
 * they hold it, else through the Bloom filter: a "maybe" is looked up
 * (staged keys included) and is a repeat when it is staged, a stored
 * profile already compared, or a new key waiting in edge.
 */
static int
import_finish_row(void *arg, uint64_t line)
{
	struct import_ctx *c = arg;
	const struct value *key = &c->row[c->schema->key_field];
	const char *kname = c->schema->fields[c->schema->key_field].name;
	size_t idx;
	uint64_t h;
	uint32_t pno = 0;
	long at;
	int maybe, found = 0, rc;

	if (c->r.reason.len == 0 && (!key->present || key->u.s.len == 0))
		import_row_error(&c->r, line, kname, _("the key is empty"));
	else if (c->r.reason.len == 0 && key->u.s.len > STORE_KEY_MAX)
		import_row_error(&c->r, line, kname, _("the key is %zu bytes "
		    "long; the limit is %d bytes"), (size_t)key->u.s.len,
		    STORE_KEY_MAX);
	if (c->r.reason.len > 0 || c->fail != NULL)
		return -1;
	h = c->khash_ok ? c->khash : pdb_key_hash(key->u.s.p, key->u.s.len);
	maybe = bloom_maybe(&c->keys, h);
	if (maybe && c->job.b != NULL && pdb_batch_find(c->job.b, key->u.s.p,
	    key->u.s.len) >= 0) {
		/* Being staged: not in the key index yet. */
		found = 1;
		pno = UINT32_MAX;
	} else if (maybe) {
		if ((rc = import_lookup(c, key, &pno)) < 0)
			return -1;
		if (rc == 1 && (rc = pdb_keyruns_find(c->runs, key->u.s.p,
		    key->u.s.len, &pno, &c->fail)) < 0) {
			import_failed(c);
			return -1;
		}
		found = rc == 0;
	}
	if (found && (pno >= c->oldn || (maybe &&
	    roaring_bitmap_contains(c->touched, pno)))) {
		import_row_error(&c->r, line, kname, _("duplicate key '%s' "
		    "(first before line %" PRIu64 ")"), key->u.s.p,
		    c->cur.n > c->carried ? c->cur.lines[c->carried] : line);
		return -1;
	}
	if (!found && maybe && c->edge.n > 0 && (at = pdb_batch_find(
	    c->edge.b, key->u.s.p, key->u.s.len)) >= 0) {
		import_row_error(&c->r, line, kname, _("duplicate key '%s' "
		    "(first on line %" PRIu64 ")"), key->u.s.p,
		    c->edge.lines[at]);
		return -1;
	}
	if (pdb_batch_add_unique(c->cur.b, c->row, c->r.o->replace ? NULL :
	    c->named, h, &idx) != 0) {
		import_row_error(&c->r, line, kname, _("duplicate key "
		    "'%s' (first on line %" PRIu64 ")"), key->u.s.p,
		    c->cur.lines[idx]);
		return -1;
	}
	import_part_push(&c->cur, line, h, 0);
	/*
	 * A batch of maxrows rows, carried ones included, so that a batch
	 * of new keys after them is whole chunks again; at least maxrows
	 * more when more were carried (tests' small batches).
	 */
	if (c->cur.n >= c->maxrows && c->cur.n - c->carried >=
	    (c->carried >= c->maxrows ? c->maxrows : 1))
		import_flush(c, 0);
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
	    bytes_same(s->fields[g].name, name->p, name->len))
		return g;
	for (i = 0; i < s->nfields; i++) {
		if (c->flen[i] == name->len &&
		    bytes_same(s->fields[i].name, name->p, name->len)) {
			if (k < s->nfields)
				c->guess[k] = i;
			return i;
		}
	}
	return -1;
}

/*
 * A string member of a string field other than the key, taken where it
 * is (in the line, or unescaped in the scanner's buffer) instead of
 * copied: the row is added to the batch, which copies what it keeps,
 * before the next line is read.  The key is copied, as error messages
 * print it whole.  0 when the member is not one of those.
 */
static int
import_member_borrow(const struct pdb_schema *s, int idx,
    const struct jsonscan_member *m, struct value *v)
{
	if (m->kind != JSONSCAN_STRING || s->fields[idx].type != FT_STRING ||
	    idx == s->key_field || m->text.len > STORE_STRING_MAX)
		return 0;
	memset(v, 0, sizeof *v);
	if (m->text.len > 0) {
		v->present = 1;
		v->u.s.p = m->text.p;
		v->u.s.len = (uint32_t)m->text.len;
	}
	return 1;
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
		if (import_member_borrow(s, idx, &js->m[k], &c->row[idx]))
			continue;
		if (import_member_value(s->fields[idx].type, js, &js->m[k],
		    &c->row[idx], &c->r.arena) != 0)
			return -1;
		if (idx == s->key_field)
			import_key_read(c, &c->row[idx]);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The write transactions around the reading. */

/* Removes what the import staged, some chunks at a time, then its mark. */
static int
import_clean_cb(struct store_txn *t, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	struct pdb_schema *sc;
	long pid;
	int rc;

	c->again = 0;
	if (pdb_open(t, c->r.o->dbname, &sc, cause) != 0)
		return -1;
	rc = pdb_import_mark(t, sc, &pid, NULL, cause);
	if (rc == 1 && pid == (long)getpid()) {
		rc = pdb_clean_staged(t, sc, IMPORT_CLEAN_CHUNKS, &c->again,
		    cause);
		if (rc == 0 && !c->again)
			rc = pdb_import_unmark(t, sc, cause);
	}
	schema_free(sc);
	return rc < 0 ? -1 : 0;
}

static void
import_abort(struct import_ctx *c)
{
	char *cause = NULL;

	import_rtxn_end(c);
	if (!c->marked)
		return;
	do {
		if (store_write(c->store, import_clean_cb, c, &cause) != 0)
			break;
	} while (c->again);
	free(cause);
	c->marked = 0;
}

/*
 * The last transaction: the new keys that fill the last stored chunk
 * (numbered from the count on, as they were counted: no lookups), the
 * changed rows, the count, the mark.
 */
static int
import_publish_cb(struct store_txn *t, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	struct pdb_schema *sc;
	int rc = 0;

	memset(&c->pub, 0, sizeof c->pub);
	if (import_open(t, c, &sc, cause) != 0)
		return -1;
	/* The stored chunks as the count gives them, then the new rows. */
	if (c->pend.n > 0)
		rc = pdb_batch_apply(t, c->r.o->dbname, c->pend.b, &c->pub,
		    cause);
	if (rc == 0 && c->edge.n > 0)
		rc = pdb_batch_stage(t, sc, c->edge.b, c->oldn, 0, cause);
	schema_free(sc);
	if (rc != 0)
		return -1;
	return pdb_import_publish(t, c->r.o->dbname,
	    (uint32_t)(c->oldn + c->nnew), cause);
}

/* One transaction of the merge of the key runs into the key index. */
static int
import_merge_cb(struct store_txn *t, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	struct pdb_schema *sc;
	int rc;

	if (import_open(t, c, &sc, cause) != 0)
		return -1;
	rc = pdb_keyruns_merge(t, STORE_KEYS, sc, c->runs, SIZE_MAX,
	    &c->again, cause);
	schema_free(sc);
	return rc;
}

/*
 * The staged keys into the key index, in bounded transactions: still
 * staged ones, which no reader sees until the import publishes.
 */
static int
import_merge(struct import_ctx *c, char **cause)
{
	return pdb_keyruns_merge_all(c->store, c->runs, import_merge_cb, c,
	    &c->again, cause);
}

/*
 * An input that fit in one batch, in one transaction: nothing was staged
 * or compared, so the rows are numbered, compared and written here.
 */
static int
import_apply_cb(struct store_txn *t, void *arg, char **cause)
{
	struct import_ctx *c = arg;
	struct pdb_schema *sc;

	memset(&c->pub, 0, sizeof c->pub);
	if (import_open(t, c, &sc, cause) != 0)
		return -1;
	schema_free(sc);
	return pdb_batch_apply(t, c->r.o->dbname, c->cur.b, &c->pub, cause);
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
	off_t at;
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
	/*
	 * Room for the profiles before the first transaction, so that the
	 * map rarely grows under one (which then runs again): the stored
	 * profiles take about as many bytes as a CSV file of them, half a
	 * JSON Lines one.
	 */
	if ((at = ftello(in)) >= 0 && fstat(fileno(in), &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size > at) {
		if (store_reserve_room(store, (uint64_t)(sb.st_size - at) *
		    (o->format == EXPORT_CSV ? 3 : 2) / 2, cause) != 0)
			goto out;
		/*
		 * A file is read quickly and the map has room for it: a
		 * batch is staged while the next is read.  From a pipe the
		 * reading may stall, holding a read transaction that a
		 * growing map would wait for; one thing at a time there.
		 */
		c.in = in;
		c.in_at = at;
		c.in_end = sb.st_size;
	}
	c.maxrows = import_batch_rows();
	c.row = xcalloc(c.schema->nfields, sizeof *c.row);
	c.named = xcalloc(c.schema->nfields, 1);
	c.guess = xcalloc(c.schema->nfields, sizeof *c.guess);
	c.flen = xcalloc(c.schema->nfields, sizeof *c.flen);
	for (i = 0; i < c.schema->nfields; i++) {
		c.guess[i] = -1;
		c.flen[i] = strlen(c.schema->fields[i].name);
	}
	c.touched = roaring_bitmap_create();
	import_part_init_read(&c.cur, c.schema);
	import_part_init(&c.pend, c.schema);
	import_part_init(&c.edge, c.schema);
	c.r.csv_empty = _("the file is empty: a CSV file starts with a "
	    "header row of field names");
	c.r.arg = &c;
	c.r.start_row = import_start_row;
	c.r.csv_header = import_csv_header;
	c.r.csv_row = import_csv_row;
	c.r.json_object = import_json_object;
	c.r.json_members = import_json_members;
	c.r.finish_row = import_finish_row;
	rc = import_read(&c.r, in);
	if (rc == 0 && c.marked)
		import_flush(&c, 1);
	import_rtxn_end(&c);
	if (import_stage_wait(&c) != 0)
		rc = -1;
	if (c.fail != NULL) {
		error_set(cause, "%s", c.fail);
		rc = -1;
	} else if (rc != 0 || (o->reject == NULL && res->total_errors > 0)) {
		error_set(cause, ngettext_("import into database '%s' "
		    "refused (%" PRIu64 " error); nothing was changed",
		    "import into database '%s' refused (%" PRIu64 " errors); "
		    "nothing was changed", res->total_errors), o->dbname,
		    res->total_errors);
		rc = -1;
	} else if ((rc = import_reject_flush(o, cause)) == 0 && !c.marked) {
		if ((rc = store_write(store, import_apply_cb, &c, cause)) == 0)
			res->stats = c.pub;
	} else if (rc == 0 && (rc = import_merge(&c, cause)) == 0 &&
	    (rc = store_write(store, import_publish_cb, &c, cause)) == 0) {
		c.marked = 0;
		res->stats.inserted = c.nnew;
		res->stats.updated = c.pub.updated;
		res->stats.unchanged = c.unchanged + c.pub.unchanged;
	}
	if (rc != 0)
		import_abort(&c);
out:
	import_rtxn_end(&c);
	import_reader_free(&c.r);
	free(c.colmap);
	free(c.row);
	free(c.named);
	free(c.guess);
	free(c.flen);
	free(c.fail);
	import_part_free(&c.cur);
	import_part_free(&c.pend);
	import_part_free(&c.edge);
	bloom_free(&c.keys);
	pdb_keyruns_free(c.runs);
	if (c.touched != NULL)
		roaring_bitmap_free(c.touched);
	schema_free(c.schema);
	return rc;
}
