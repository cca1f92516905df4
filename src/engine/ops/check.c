/*
 * reseg check: every table walked in one read transaction, each problem
 * named with its table and record.  Chunks are checked by the validation
 * every reader runs (pdb_chunk, evdb_column), so a command and the check
 * say the same thing about the same damage.  Each chunk is read once; the
 * key column's chunks stay mapped for the two passes between the key
 * index and the key column.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <roaring/roaring.h>

#include "bucket.h"
#include "check.h"
#include "evdb.h"
#include "i18n.h"
#include "pdb.h"
#include "schema.h"
#include "segment.h"
#include "util.h"

struct check {
	struct store_txn	 *t;
	struct check_report	 *r;
	struct pdb_schema	**dbs;
	uint8_t			 *staging;	/* an import's mark is set */
	size_t			  ndbs;
	uint32_t		  maxdb, maxseg;
};

static void __attribute__((format(printf, 4, 5)))
check_add(struct check *ck, const char *table, char *key, const char *fmt,
    ...)
{
	struct check_report *r = ck->r;
	struct check_problem *p;
	va_list ap;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof *r->v);
	}
	p = &r->v[r->n++];
	p->table = table;
	p->key = key;
	va_start(ap, fmt);
	p->what = xvasprintf(fmt, ap);
	va_end(ap);
}

/* A problem a reader's message describes; the message is freed. */
static void
check_cause(struct check *ck, const char *table, char *key, char **cause)
{
	check_add(ck, table, key, "%s", *cause != NULL ? *cause : "?");
	free(*cause);
	*cause = NULL;
}

static struct pdb_schema *
check_db_by_id(struct check *ck, uint32_t id)
{
	size_t i;

	for (i = 0; i < ck->ndbs; i++)
		if (ck->dbs[i]->id == id)
			return ck->dbs[i];
	return NULL;
}

/*
 * Whether an import stages profiles of sc (or a killed one left them):
 * its chunks beyond the profiles and key index entries beyond the count
 * are then the import's, not damage.
 */
static int
check_staging(const struct check *ck, const struct pdb_schema *sc)
{
	size_t i;

	for (i = 0; i < ck->ndbs; i++)
		if (ck->dbs[i] == sc)
			return ck->staging[i];
	return 0;
}

static void
check_note(struct check *ck, char *note)
{
	struct check_report *r = ck->r;

	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof *r->notes);
	r->notes[r->nnotes++] = note;
}

static struct pdb_schema *
check_db_by_name(struct check *ck, const char *name)
{
	size_t i;

	for (i = 0; i < ck->ndbs; i++)
		if (strcmp(ck->dbs[i]->name, name) == 0)
			return ck->dbs[i];
	return NULL;
}

/* A key for messages: printable bytes as they are, the others \xNN. */
static char *
check_text(const void *k, size_t n)
{
	const unsigned char *p = k;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	sb_puts(&sb, "");
	for (i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] != 0x7F && p[i] != '\\')
			sb_putc(&sb, (char)p[i]);
		else
			sb_printf(&sb, "\\x%02x", p[i]);
	}
	return sb_detach(&sb);
}

/* ------------------------------------------------------------------ */
/* meta and dbs */

static uint32_t
check_counter(struct check *ck, const char *name)
{
	char *key = xasprintf("counter:%s", name);
	const void *v;
	size_t vl;
	uint32_t n = 0;

	if (store_get(ck->t, STORE_META, key, strlen(key), &v, &vl, NULL) ==
	    0 && vl == 4)
		n = store_get_be32(v);
	free(key);
	return n;
}

static int
check_meta(struct check *ck, char **cause)
{
	struct store_cursor *c;
	const void *k, *v;
	size_t kl, vl, i;
	int rc, version = 0;

	if ((c = store_cursor_open(ck->t, STORE_META, NULL, 0, cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		if (kl == 14 && memcmp(k, "schema_version", 14) == 0) {
			version = 1;
			for (i = 0; i < vl; i++)
				if (((const char *)v)[i] < '0' ||
				    ((const char *)v)[i] > '9')
					break;
			if (vl == 0 || i < vl)
				check_add(ck, "meta", xstrdup("schema_version"),
				    _("the store format version is not a "
				    "number"));
		} else if (kl > 8 && memcmp(k, "counter:", 8) == 0 && vl != 4)
			check_add(ck, "meta", check_text(k, kl),
			    _("the counter holds %zu bytes, not 4"), vl);
	}
	store_cursor_close(c);
	if (rc < 0)
		return -1;
	if (!version)
		check_add(ck, "meta", xstrdup("schema_version"),
		    _("the store format version is missing"));
	return 0;
}

/* Every database record that reads; the others are problems. */
static int
check_dbs(struct check *ck, char **cause)
{
	struct store_cursor *c;
	struct pdb_schema *sc;
	const void *k, *v;
	size_t kl, vl;
	char *name, *why = NULL;
	long pid;
	int rc, mark;

	if ((c = store_cursor_open(ck->t, STORE_DBS, NULL, 0, cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		name = xstrndup(k, kl);
		if (strlen(name) != kl || pdb_open(ck->t, name, &sc,
		    &why) != 0) {
			if (why == NULL)
				why = xasprintf(_("profile database '%s': its "
				    "name holds a NUL byte"), name);
			check_cause(ck, "dbs", check_text(k, kl), &why);
			free(name);
			continue;
		}
		if (check_db_by_id(ck, sc->id) != NULL) {
			check_add(ck, "dbs", name, _("profile database '%s' "
			    "has the id %u of database '%s'"), sc->name,
			    sc->id, check_db_by_id(ck, sc->id)->name);
			schema_free(sc);
			continue;
		}
		free(name);
		if ((mark = pdb_import_mark(ck->t, sc, &pid, NULL, cause)) < 0) {
			schema_free(sc);
			rc = -1;
			break;
		}
		if (mark && pdb_import_busy(ck->t, sc, &why) != 0) {
			free(why);
			why = NULL;
			check_note(ck, xasprintf(_("profile database '%s': "
			    "process %ld is importing profiles; what it has "
			    "staged is not counted"), sc->name, pid));
		} else if (mark)
			check_note(ck, xasprintf(_("profile database '%s': an "
			    "import (process %ld) was interrupted; the next "
			    "write to the database removes what it staged"),
			    sc->name, pid));
		ck->dbs = xreallocarray(ck->dbs, ck->ndbs + 1,
		    sizeof *ck->dbs);
		ck->staging = xreallocarray(ck->staging, ck->ndbs + 1, 1);
		ck->staging[ck->ndbs] = (uint8_t)mark;
		ck->dbs[ck->ndbs++] = sc;
		if (sc->id > ck->maxdb)
			ck->maxdb = sc->id;
		ck->r->ndbs++;
		ck->r->nprofiles += sc->nprofiles - sc->ndeleted;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Profiles: chunks, stray chunks, key index */

static char *
check_chunk_key(const struct pdb_schema *sc, uint16_t f, uint32_t ch)
{
	return xasprintf("%s/%s/%u", sc->name, f == PDB_COL_BUCKET ?
	    "bucket" : sc->fields[f].name, ch);
}

/*
 * Key index -> key column: every entry names a profile whose key is the
 * entry's; *nentries counts those that do.  kc[ch] are the key column's
 * chunks, kok[ch] whether it reads.
 */
static int
check_index(struct check *ck, const struct pdb_schema *sc,
    const struct col_chunk *kc, const uint8_t *kok, uint64_t *nentries,
    char **cause)
{
	struct store_cursor *c;
	const struct col_chunk *x = NULL;
	const void *k, *v;
	size_t kl, vl;
	uint32_t pno = 0, r = 0, code = 0, len = 0;
	uint8_t prefix[4];
	char *text, *other;
	int rc;

	*nentries = 0;
	store_be32(prefix, sc->id);
	if ((c = store_cursor_open(ck->t, STORE_KEYS, prefix, 4, cause)) ==
	    NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		/* A key an import staged: its chunk is beyond the profiles. */
		if (vl == 4 && store_get_be32(v) >= sc->nprofiles &&
		    check_staging(ck, sc))
			continue;
		if (vl == 4 && (pno = store_get_be32(v)) < sc->nprofiles) {
			if (!kok[pno / PDB_CHUNK_ROWS])
				continue;
			x = &kc[pno / PDB_CHUNK_ROWS];
			r = pno % PDB_CHUNK_ROWS;
			code = x->codes[r];
			len = col_present(x, r) ? x->dict_off[code + 1] -
			    x->dict_off[code] : 0;
			if (col_present(x, r) && len == kl - 4 &&
			    memcmp(x->dict_data + x->dict_off[code],
			    (const char *)k + 4, len) == 0) {
				(*nentries)++;
				continue;
			}
		}
		text = check_text((const char *)k + 4, kl - 4);
		if (vl != 4)
			check_add(ck, "keys", xasprintf("%s/%s", sc->name,
			    text), _("profile database '%s': the key index "
			    "entry of '%s' holds %zu bytes, not 4"), sc->name,
			    text, vl);
		else if (pno >= sc->nprofiles)
			check_add(ck, "keys", xasprintf("%s/%s", sc->name,
			    text), _("profile database '%s': the key index "
			    "gives '%s' profile %u, the database has %u"),
			    sc->name, text, pno, sc->nprofiles);
		else {
			other = col_present(x, r) ? check_text(x->dict_data +
			    x->dict_off[code], len) : xstrdup("");
			check_add(ck, "keys", xasprintf("%s/%s", sc->name,
			    text), _("profile database '%s': the key index "
			    "gives '%s' profile %u, whose key is '%s'"),
			    sc->name, text, pno, other);
			free(other);
		}
		free(text);
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* Key column -> key index, for the rows the index lacks. */
static int
check_column_keys(struct check *ck, const struct pdb_schema *sc,
    const struct col_chunk *kc, const uint8_t *kok, char **cause)
{
	const struct col_chunk *x;
	uint32_t ch, r, code, pno;
	const char *key;
	char *text;
	size_t len;
	int rc;

	for (ch = 0; ch < pdb_nchunks(sc); ch++) {
		if (!kok[ch])
			continue;
		x = &kc[ch];
		for (r = 0; r < x->nrows; r++) {
			if (!col_present(x, r))
				continue;
			code = x->codes[r];
			key = x->dict_data + x->dict_off[code];
			len = x->dict_off[code + 1] - x->dict_off[code];
			rc = pdb_lookup(ck->t, sc, key, len, &pno, cause);
			if (rc < 0)
				return -1;
			if (rc == 0 && pno == ch * PDB_CHUNK_ROWS + r)
				continue;
			text = check_text(key, len);
			check_add(ck, "keys", xasprintf("%s/%s", sc->name,
			    text), _("profile database '%s': profile %u has "
			    "key '%s', which the key index lacks"), sc->name,
			    ch * PDB_CHUNK_ROWS + r, text);
			free(text);
		}
	}
	return 0;
}

/*
 * A profile without a key is one deleted profiles (pdb_delete_txn), and
 * a deleted one has none: the two sets must be the same.
 */
static int
check_deleted(struct check *ck, const struct pdb_schema *sc,
    const struct col_chunk *kc, const uint8_t *kok, char **cause)
{
	roaring_bitmap_t *dead;
	uint32_t ch, r, pno;
	char *why = NULL;
	int gone;

	(void)cause;
	/* A damaged set is one problem; the rows are then held to none. */
	if (pdb_deleted(ck->t, sc, &dead, &why) != 0) {
		check_cause(ck, "meta", xasprintf("deleted:%u", sc->id), &why);
		dead = roaring_bitmap_create();
	}
	for (ch = 0; ch < pdb_nchunks(sc); ch++) {
		if (!kok[ch])
			continue;
		for (r = 0; r < kc[ch].nrows; r++) {
			pno = ch * PDB_CHUNK_ROWS + r;
			gone = roaring_bitmap_contains(dead, pno);
			if (col_present(&kc[ch], r) == !gone)
				continue;
			check_add(ck, "keys", xasprintf("%s/%u", sc->name,
			    pno), gone ? _("profile database '%s': profile %u "
			    "is deleted but keeps its key") : _("profile "
			    "database '%s': profile %u has no key and is not "
			    "deleted"), sc->name, pno);
		}
	}
	roaring_bitmap_free(dead);
	return 0;
}

/*
 * A profile's range bucket is its key's (bucket_of_key, computed once at
 * insert): a wrong one moves the profile in or out of every percentage
 * range.  One line a chunk, however many rows are wrong.
 */
static void
check_buckets(struct check *ck, const struct pdb_schema *sc, uint32_t ch,
    const struct col_chunk *kc, const struct col_chunk *bc)
{
	uint32_t r, code, nbad = 0, first = 0;
	uint16_t want = 0, have = 0, v;

	for (r = 0; r < kc->nrows && r < bc->nrows; r++) {
		if (!col_present(kc, r))
			continue;
		code = kc->codes[r];
		v = bucket_of_key(kc->dict_data + kc->dict_off[code],
		    kc->dict_off[code + 1] - kc->dict_off[code]);
		if (bc->u16[r] == v)
			continue;
		if (nbad++ == 0) {
			first = r;
			have = bc->u16[r];
			want = v;
		}
	}
	if (nbad == 0)
		return;
	check_add(ck, "cols", check_chunk_key(sc, PDB_COL_BUCKET, ch),
	    ngettext_("profile database '%s': %u profile of chunk %u has a "
	    "range bucket other than its key's (profile %u: %u, its key's "
	    "%u)", "profile database '%s': %u profiles of chunk %u have a "
	    "range bucket other than their keys' (profile %u: %u, its key's "
	    "%u)", nbad), sc->name, nbad, ch, ch * PDB_CHUNK_ROWS + first,
	    (unsigned)have, (unsigned)want);
}

static int
check_profiles(struct check *ck, const struct pdb_schema *sc, char **cause)
{
	struct col_chunk c, *kc;
	uint32_t nchunks = pdb_nchunks(sc), ch, r;
	uint64_t npresent = 0, nentries;
	uint8_t *kok;
	char *why = NULL;
	uint16_t f;
	int rc = 0;

	memset(&c, 0, sizeof c);
	kc = xcalloc(nchunks + 1, sizeof *kc);
	kok = xcalloc(nchunks + 1, 1);
	for (f = 0; f < sc->nfields; f++) {
		for (ch = 0; ch < nchunks; ch++) {
			if (f == sc->key_field) {
				if (pdb_chunk(ck->t, sc, f, ch, &kc[ch],
				    &why) != 0)
					check_cause(ck, "cols",
					    check_chunk_key(sc, f, ch), &why);
				else {
					kok[ch] = 1;
					for (r = 0; r < kc[ch].nrows; r++)
						npresent += (uint64_t)
						    col_present(&kc[ch], r);
				}
				continue;
			}
			if (pdb_chunk(ck->t, sc, f, ch, &c, &why) != 0)
				check_cause(ck, "cols", check_chunk_key(sc, f,
				    ch), &why);
			ck->r->nchunks++;
		}
	}
	for (ch = 0; ch < nchunks; ch++) {
		if (pdb_chunk(ck->t, sc, PDB_COL_BUCKET, ch, &c, &why) != 0)
			check_cause(ck, "cols", check_chunk_key(sc,
			    PDB_COL_BUCKET, ch), &why);
		else if (kok[ch])
			check_buckets(ck, sc, ch, &kc[ch], &c);
	}
	ck->r->nchunks += 2 * (uint64_t)nchunks;
	pdb_chunk_release(&c);
	if (check_deleted(ck, sc, kc, kok, cause) != 0)
		rc = -1;
	else if (check_index(ck, sc, kc, kok, &nentries, cause) != 0)
		rc = -1;
	/*
	 * Each entry that matched did so with a distinct row (the index's
	 * keys are distinct): as many as the keys present leave none out.
	 */
	else if (nentries != npresent)
		rc = check_column_keys(ck, sc, kc, kok, cause);
	for (ch = 0; ch < nchunks; ch++)
		pdb_chunk_release(&kc[ch]);
	free(kc);
	free(kok);
	return rc;
}

/* Records keyed by db id (be32) + field (be16) + chunk (be32). */
static int
check_stray_cols(struct check *ck, enum store_table tb, const char *table,
    char **cause)
{
	struct store_cursor *c;
	struct pdb_schema *sc;
	const void *k, *v;
	size_t kl, vl;
	uint32_t id, ch, last = 0;
	uint16_t f;
	uint8_t prev[10];
	int rc, reported = 0, have_prev = 0;

	if ((c = store_cursor_open(ck->t, tb, NULL, 0, cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		/*
		 * A chunk's overlay follows it (the readers of the chunk
		 * check its bytes); one that follows no chunk is stray.
		 */
		if (tb == STORE_COLS && kl == 11 &&
		    ((const uint8_t *)k)[10] == 0) {
			if (have_prev && memcmp(prev, k, 10) == 0)
				continue;
			id = store_get_be32(k);
			f = (uint16_t)(((const uint8_t *)k)[4] << 8 |
			    ((const uint8_t *)k)[5]);
			ch = store_get_be32((const uint8_t *)k + 6);
			sc = check_db_by_id(ck, id);
			check_add(ck, table, sc != NULL ? xasprintf("%s/%u/%u",
			    sc->name, f, ch) : xasprintf("#%u/%u/%u", id, f,
			    ch), _("an overlay of chunk %u of column %u, which "
			    "is not stored"), ch, f);
			continue;
		}
		have_prev = kl == 10;
		if (kl != 10) {
			check_add(ck, table, check_text(k, kl), _("a key of "
			    "%zu bytes, not 10"), kl);
			continue;
		}
		memcpy(prev, k, 10);
		id = store_get_be32(k);
		f = (uint16_t)(((const uint8_t *)k)[4] << 8 |
		    ((const uint8_t *)k)[5]);
		ch = store_get_be32((const uint8_t *)k + 6);
		if ((sc = check_db_by_id(ck, id)) == NULL) {
			if (!reported || id != last)
				check_add(ck, table, xasprintf("#%u", id),
				    _("chunks of database id %u, which no "
				    "database has"), id);
			reported = 1;
			last = id;
			continue;
		}
		if (tb == STORE_COLS && ((f != PDB_COL_BUCKET &&
		    f >= sc->nfields) || (ch >= pdb_nchunks(sc) &&
		    !check_staging(ck, sc))))
			check_add(ck, table, xasprintf("%s/%u/%u", sc->name, f,
			    ch), _("profile database '%s': a chunk %u of "
			    "column %u, beyond its fields and profiles"),
			    sc->name, ch, f);
		if (tb == STORE_EVCOLS && f >= EVDB_COL_PROP +
		    sc->nevent_fields)
			check_add(ck, table, xasprintf("%s/%u/%u", sc->name, f,
			    ch), _("profile database '%s': event chunk %u has "
			    "a column %u, beyond its event properties"),
			    sc->name, ch, f);
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* Records keyed by db id (be32) + anything: the database must exist. */
static int
check_db_prefixed(struct check *ck, enum store_table tb, const char *table,
    char **cause)
{
	struct store_cursor *c;
	const void *k, *v;
	size_t kl, vl;
	uint32_t id, last = 0;
	int rc, reported = 0;

	if ((c = store_cursor_open(ck->t, tb, NULL, 0, cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		if (kl < 4) {
			check_add(ck, table, check_text(k, kl), _("a key of "
			    "%zu bytes"), kl);
			continue;
		}
		id = store_get_be32(k);
		if (check_db_by_id(ck, id) != NULL || (reported && id == last))
			continue;
		check_add(ck, table, xasprintf("#%u", id), _("records of "
		    "database id %u, which no database has"), id);
		reported = 1;
		last = id;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Events */

static int
check_events(struct check *ck, const struct pdb_schema *sc, char **cause)
{
	struct evdb_chunk_info *dir = NULL;
	struct store_cursor *c;
	struct col_chunk v;
	roaring_bitmap_t *have, *listed;
	uint64_t nstaged;
	long pid;
	int alive;
	const void *k, *val;
	size_t ndir, i, kl, vl;
	uint16_t col, ncols = (uint16_t)(EVDB_COL_PROP + sc->nevent_fields);
	uint8_t prefix[4];
	char *why = NULL, *text;
	uint32_t r;
	int rc;

	if (evdb_chunks(ck->t, sc, &dir, &ndir, &why) != 0) {
		check_cause(ck, "evchunks", xstrdup(sc->name), &why);
		return 0;
	}
	memset(&v, 0, sizeof v);
	for (i = 0; i < ndir; i++) {
		ck->r->nevents += dir[i].nrows;
		for (col = 0; col < ncols; col++) {
			if (evdb_column(ck->t, sc, col, dir[i].chunk, &v,
			    &why) != 0) {
				check_cause(ck, "evcols", xasprintf("%s/%u/%u",
				    sc->name, col, dir[i].chunk), &why);
				continue;
			}
			for (r = 0; col == EVDB_COL_PNO && r < v.nrows; r++) {
				if (!col_present(&v, r) || v.i64[r] < 0 ||
				    v.i64[r] >= (int64_t)sc->nprofiles) {
					check_add(ck, "evcols", xasprintf(
					    "%s/%u/%u", sc->name, col,
					    dir[i].chunk), _("profile database "
					    "'%s': event %u of chunk %u names "
					    "profile %lld, the database has "
					    "%u"), sc->name, r, dir[i].chunk,
					    (long long)v.i64[r], sc->nprofiles);
					break;
				}
			}
			for (r = 0; col == EVDB_COL_TIME && r < v.nrows; r++) {
				if (v.i64[r] < dir[i].tmin ||
				    v.i64[r] > dir[i].tmax) {
					check_add(ck, "evcols", xasprintf(
					    "%s/%u/%u", sc->name, col,
					    dir[i].chunk), _("profile database "
					    "'%s': event %u of chunk %u has a "
					    "time outside its directory "
					    "entry's"), sc->name, r,
					    dir[i].chunk);
					break;
				}
			}
		}
	}
	pdb_chunk_release(&v);
	/*
	 * An event_id points at a chunk that exists: in the directory, or
	 * staged by an import that did not finish (removed by the next).
	 */
	have = roaring_bitmap_create();
	for (i = 0; i < ndir; i++)
		roaring_bitmap_add(have, dir[i].chunk);
	free(dir);
	listed = roaring_bitmap_copy(have);
	store_be32(prefix, sc->id);
	rc = 0;
	if ((c = store_cursor_open(ck->t, STORE_EVCOLS, prefix, 4,
	    cause)) == NULL)
		rc = -1;
	while (rc == 0 && (rc = store_cursor_next(c, &k, &kl, &val, &vl,
	    cause)) == 0) {
		if (kl == 10 && ((const uint8_t *)k)[4] == 0 &&
		    ((const uint8_t *)k)[5] == EVDB_COL_PNO)
			roaring_bitmap_add(have, store_get_be32((const uint8_t *)
			    k + 6));
	}
	store_cursor_close(c);
	nstaged = rc < 0 ? 0 : roaring_bitmap_andnot_cardinality(have,
	    listed);
	roaring_bitmap_free(listed);
	if (rc < 0 || (nstaged > 0 && (rc = evdb_import_mark(ck->t, sc, &pid,
	    &alive, cause)) < 0)) {
		roaring_bitmap_free(have);
		return -1;
	}
	/* Chunks beyond the directory: an events import's, not damage. */
	if (nstaged > 0 && rc == 1 && alive)
		check_note(ck, xasprintf(ngettext_("profile database '%s': "
		    "process %ld is importing events; the %" PRIu64 " event "
		    "chunk it has staged is not counted", "profile database "
		    "'%s': process %ld is importing events; the %" PRIu64
		    " event chunks it has staged are not counted", nstaged),
		    sc->name, pid, nstaged));
	else if (nstaged > 0)
		check_note(ck, xasprintf(ngettext_("profile database '%s': an "
		    "events import was interrupted; the next events import "
		    "or prune removes the %" PRIu64 " event chunk it staged",
		    "profile database '%s': an events import was "
		    "interrupted; the next events import or prune removes "
		    "the %" PRIu64 " event chunks it staged", nstaged),
		    sc->name, nstaged));
	if ((c = store_cursor_open(ck->t, STORE_EVIDS, prefix, 4,
	    cause)) == NULL) {
		roaring_bitmap_free(have);
		return -1;
	}
	while ((rc = store_cursor_next(c, &k, &kl, &val, &vl, cause)) == 0) {
		if (vl == 4 && roaring_bitmap_contains(have,
		    store_get_be32(val)))
			continue;
		text = check_text((const char *)k + 4, kl - 4);
		check_add(ck, "evids", xasprintf("%s/%s", sc->name, text),
		    _("profile database '%s': event_id '%s' points at no "
		    "event chunk"), sc->name, text);
		free(text);
	}
	store_cursor_close(c);
	roaring_bitmap_free(have);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Segments: records, names, members, runs, deltas */

static void
check_bitmap_in(struct check *ck, const char *table, const char *segname,
    const char *what, const roaring_bitmap_t *b, const struct pdb_schema *sc)
{
	uint32_t max;

	if (roaring_bitmap_is_empty(b) || sc == NULL)
		return;
	max = roaring_bitmap_maximum(b);
	if (max >= sc->nprofiles)
		check_add(ck, table, xstrdup(segname), _("segment '%s': %s "
		    "hold profile %u, database '%s' has %u profiles"), segname,
		    what, max, sc->name, sc->nprofiles);
}

static int
check_runs(struct check *ck, const struct segment *s,
    const struct pdb_schema *sc, char **cause)
{
	struct store_cursor *c;
	roaring_bitmap_t *added, *removed;
	const uint8_t *p;
	const void *k, *v;
	size_t kl, vl, sa;
	uint8_t prefix[4];
	uint32_t run;
	cJSON *o, *it;
	int rc;

	store_be32(prefix, s->id);
	if ((c = store_cursor_open(ck->t, STORE_RUNS, prefix, 4, cause)) ==
	    NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		run = kl == 8 ? store_get_be32((const uint8_t *)k + 4) : 0;
		o = cJSON_ParseWithLength(v, vl);
		it = cJSON_GetObjectItemCaseSensitive(o, "id");
		if (o == NULL || !cJSON_IsObject(o) || !cJSON_IsNumber(it) ||
		    (uint32_t)it->valuedouble != run)
			check_add(ck, "runs", xasprintf("%s/%u", s->name, run),
			    _("segment '%s': the record of run %u is "
			    "damaged"), s->name, run);
		else if (run > s->run_seq)
			check_add(ck, "runs", xasprintf("%s/%u", s->name, run),
			    _("segment '%s': run %u is past the last run "
			    "number handed out (%u)"), s->name, run,
			    s->run_seq);
		cJSON_Delete(o);
	}
	store_cursor_close(c);
	if (rc < 0)
		return -1;
	if ((c = store_cursor_open(ck->t, STORE_DELTAS, prefix, 4, cause)) ==
	    NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		run = kl == 8 ? store_get_be32((const uint8_t *)k + 4) : 0;
		p = v;
		added = removed = NULL;
		if (vl >= 4 && (sa = store_get_be32(p)) <= vl - 4) {
			added = roaring_bitmap_portable_deserialize_safe(
			    (const char *)p + 4, sa);
			removed = roaring_bitmap_portable_deserialize_safe(
			    (const char *)p + 4 + sa, vl - 4 - sa);
		}
		if (added == NULL || removed == NULL)
			check_add(ck, "deltas", xasprintf("%s/%u", s->name,
			    run), _("segment '%s': the changes of run %u are "
			    "damaged"), s->name, run);
		else {
			check_bitmap_in(ck, "deltas", s->name, _("the changes "
			    "of a run"), added, sc);
			check_bitmap_in(ck, "deltas", s->name, _("the changes "
			    "of a run"), removed, sc);
		}
		if (added != NULL)
			roaring_bitmap_free(added);
		if (removed != NULL)
			roaring_bitmap_free(removed);
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

static int
check_segments(struct check *ck, char **cause)
{
	struct segment **segs = NULL, *s;
	struct pdb_schema *sc;
	roaring_bitmap_t *m;
	struct store_cursor *c;
	const void *k, *v;
	size_t n = 0, i, kl, vl;
	char *why = NULL, *name;
	uint32_t id;
	int rc;

	if (seg_list_all(ck->t, &segs, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		s = segs[i];
		ck->r->nsegments++;
		if (s->id > ck->maxseg)
			ck->maxseg = s->id;
		if (s->damaged != NULL) {
			check_add(ck, "segments", xstrdup(s->name),
			    _("segment '%s' is damaged: %s"), s->name,
			    s->damaged);
			continue;
		}
		if ((sc = check_db_by_name(ck, s->db)) == NULL)
			check_add(ck, "segments", xstrdup(s->name),
			    _("segment '%s': its database '%s' does not "
			    "exist"), s->name, s->db);
		if (store_get(ck->t, STORE_SEGNAMES, s->name, strlen(s->name),
		    &v, &vl, NULL) != 0 || vl != 4 ||
		    store_get_be32(v) != s->id)
			check_add(ck, "segnames", xstrdup(s->name),
			    _("segment '%s': the name index does not lead to "
			    "it"), s->name);
		if (seg_members(ck->t, s->id, &m, &why) != 0)
			check_add(ck, "members", xstrdup(s->name),
			    _("segment '%s': its members are damaged"),
			    s->name);
		else {
			check_bitmap_in(ck, "members", s->name,
			    _("the members"), m, sc);
			if (roaring_bitmap_get_cardinality(m) != s->nmembers)
				check_add(ck, "members", xstrdup(s->name),
				    _("segment '%s': %llu members, its record "
				    "says %llu"), s->name, (unsigned long long)
				    roaring_bitmap_get_cardinality(m),
				    (unsigned long long)s->nmembers);
			roaring_bitmap_free(m);
		}
		free(why);
		why = NULL;
		if (check_runs(ck, s, sc, cause) != 0) {
			seg_list_free(segs, n);
			return -1;
		}
	}
	/* The name index leads only to segments of that name. */
	if ((c = store_cursor_open(ck->t, STORE_SEGNAMES, NULL, 0,
	    cause)) == NULL) {
		seg_list_free(segs, n);
		return -1;
	}
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		name = check_text(k, kl);
		id = vl == 4 ? store_get_be32(v) : 0;
		for (i = 0; i < n; i++)
			if (segs[i]->id == id)
				break;
		if (i == n || (segs[i]->damaged == NULL &&
		    strcmp(segs[i]->name, name) != 0))
			check_add(ck, "segnames", name, _("the name '%s' "
			    "leads to no segment of that name"), name);
		else
			free(name);
	}
	store_cursor_close(c);
	seg_list_free(segs, n);
	return rc < 0 ? -1 : 0;
}

/* Members, runs and deltas of segment ids that have no record. */
static int
check_seg_orphans(struct check *ck, enum store_table tb, const char *table,
    char **cause)
{
	struct store_cursor *c;
	const void *k, *v, *sv;
	size_t kl, vl, svl;
	uint32_t id, last = 0;
	int rc, reported = 0;

	if ((c = store_cursor_open(ck->t, tb, NULL, 0, cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		if (kl < 4)
			continue;
		id = store_get_be32(k);
		if (reported && id == last)
			continue;
		if (store_get(ck->t, STORE_SEGMENTS, k, 4, &sv, &svl,
		    NULL) == 0)
			continue;
		check_add(ck, table, xasprintf("#%u", id), _("records of "
		    "segment id %u, which no segment has"), id);
		reported = 1;
		last = id;
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

/* Scenario profile sets: "scenario\0NAME\0" + db id -> bitmap. */
static int
check_objmembers(struct check *ck, char **cause)
{
	struct store_cursor *c;
	struct pdb_schema *sc;
	roaring_bitmap_t *b;
	const void *k, *v;
	size_t kl, vl;
	char *key;
	int rc;

	if ((c = store_cursor_open(ck->t, STORE_OBJMEMBERS, NULL, 0,
	    cause)) == NULL)
		return -1;
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, cause)) == 0) {
		key = check_text(k, kl);
		sc = kl >= 4 ? check_db_by_id(ck, store_get_be32((const
		    uint8_t *)k + kl - 4)) : NULL;
		b = roaring_bitmap_portable_deserialize_safe(v, vl);
		if (b == NULL)
			check_add(ck, "objmembers", key, _("the profiles of "
			    "object '%s' are damaged"), key);
		else if (sc == NULL)
			check_add(ck, "objmembers", key, _("the profiles of "
			    "object '%s' belong to no database"), key);
		else if (!roaring_bitmap_is_empty(b) &&
		    roaring_bitmap_maximum(b) >= sc->nprofiles)
			check_add(ck, "objmembers", key, _("the profiles of "
			    "object '%s' hold profile %u, database '%s' has %u "
			    "profiles"), key, roaring_bitmap_maximum(b),
			    sc->name, sc->nprofiles);
		else
			free(key);
		if (b != NULL)
			roaring_bitmap_free(b);
	}
	store_cursor_close(c);
	return rc < 0 ? -1 : 0;
}

int
check_store(struct store *st, struct check_report *r, char **cause)
{
	struct check ck;
	uint32_t n;
	size_t i;
	int rc = -1;

	memset(r, 0, sizeof *r);
	memset(&ck, 0, sizeof ck);
	ck.r = r;
	if (store_read_begin(st, &ck.t, cause) != 0)
		return -1;
	if (check_meta(&ck, cause) != 0 || check_dbs(&ck, cause) != 0)
		goto out;
	for (i = 0; i < ck.ndbs; i++) {
		if (check_profiles(&ck, ck.dbs[i], cause) != 0 ||
		    check_events(&ck, ck.dbs[i], cause) != 0)
			goto out;
	}
	if (check_stray_cols(&ck, STORE_COLS, "cols", cause) != 0 ||
	    check_stray_cols(&ck, STORE_EVCOLS, "evcols", cause) != 0 ||
	    check_db_prefixed(&ck, STORE_KEYS, "keys", cause) != 0 ||
	    check_db_prefixed(&ck, STORE_EVCHUNKS, "evchunks", cause) != 0 ||
	    check_db_prefixed(&ck, STORE_EVIDS, "evids", cause) != 0 ||
	    check_segments(&ck, cause) != 0 ||
	    check_seg_orphans(&ck, STORE_MEMBERS, "members", cause) != 0 ||
	    check_seg_orphans(&ck, STORE_RUNS, "runs", cause) != 0 ||
	    check_seg_orphans(&ck, STORE_DELTAS, "deltas", cause) != 0 ||
	    check_objmembers(&ck, cause) != 0)
		goto out;
	/* A counter behind an id in use would hand that id out again. */
	if ((n = check_counter(&ck, "db")) < ck.maxdb)
		check_add(&ck, "meta", xstrdup("counter:db"), _("the database "
		    "counter is %u, below the id %u in use"), n, ck.maxdb);
	if ((n = check_counter(&ck, "segment")) < ck.maxseg)
		check_add(&ck, "meta", xstrdup("counter:segment"), _("the "
		    "segment counter is %u, below the id %u in use"), n,
		    ck.maxseg);
	rc = 0;
out:
	store_read_end(ck.t);
	for (i = 0; i < ck.ndbs; i++)
		schema_free(ck.dbs[i]);
	free(ck.dbs);
	free(ck.staging);
	return rc;
}

void
check_report_free(struct check_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].key);
		free(r->v[i].what);
	}
	free(r->v);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof *r);
}
