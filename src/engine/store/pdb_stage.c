/*
 * Staged profiles: the mark an import sets while it writes new profiles
 * in transactions of their own, beyond the database's nprofiles where no
 * reader looks, and the removal of what a failed or killed import left
 * there.  The batches themselves are written by pdb_batch.c.  See
 * doc/storage.md, "Streaming profile import".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "pdb.h"
#include "pdb_int.h"
#include "util.h"

static void
pdb_mark_key(char *buf, size_t size, uint32_t dbid)
{
	snprintf(buf, size, "profiles-import:%u", dbid);
}

int
pdb_import_mark(struct store_txn *t, const struct pdb_schema *sc, long *pid,
    int *alive, char **cause)
{
	char key[40];
	int live;

	pdb_mark_key(key, sizeof key, sc->id);
	return store_mark_get(t, key, pid, alive != NULL ? alive : &live,
	    cause);
}

/* The error of a mark another live process holds. */
static int
pdb_import_busy_error(const struct pdb_schema *sc, long pid, char **cause)
{
	return error_set(cause, _("process %ld is importing profiles into "
	    "database '%s'; try again when it is done"), pid, sc->name);
}

int
pdb_import_busy(struct store_txn *t, const struct pdb_schema *sc,
    char **cause)
{
	long pid;
	int alive, rc = pdb_import_mark(t, sc, &pid, &alive, cause);

	if (rc < 0)
		return -1;
	if (rc > 0 && alive)
		return pdb_import_busy_error(sc, pid, cause);
	return 0;
}

int
pdb_import_unmark(struct store_txn *t, const struct pdb_schema *sc,
    char **cause)
{
	char key[40];

	pdb_mark_key(key, sizeof key, sc->id);
	return store_del(t, STORE_META, key, strlen(key), cause);
}

int
pdb_check_idle(struct store_txn *t, const struct pdb_schema *sc,
    char **cause)
{
	long pid;
	int rc, left, alive;

	if ((rc = pdb_import_mark(t, sc, &pid, &alive, cause)) <= 0 ||
	    pid == (long)getpid())
		return rc < 0 ? -1 : 0;
	if (alive)
		return pdb_import_busy_error(sc, pid, cause);
	if (!store_txn_writable(t))
		return 0;
	/* The importer died: nothing of it may outlive this transaction. */
	if (pdb_clean_staged(t, sc, SIZE_MAX, &left, cause) != 0)
		return -1;
	return pdb_import_unmark(t, sc, cause);
}

/*
 * Removes staged chunk ch: the index entries of its keys that still give
 * its rows' numbers, then the chunk in every column.
 */
static int
pdb_clean_chunk(struct store_txn *t, const struct pdb_schema *sc,
    uint32_t ch, struct value *vals, struct arena *a, char **cause)
{
	struct col_chunk c;
	const void *v;
	size_t vl;
	uint8_t k[10], *ik = NULL;
	uint32_t r, nrows = 0;
	uint16_t f;
	int rc;

	memset(&c, 0, sizeof c);
	arena_reset(a);
	pdb_col_key(k, sc->id, sc->key_field, ch);
	if ((rc = store_get(t, STORE_COLS, k, sizeof k, &v, &vl, cause)) < 0)
		return -1;
	/* Copied: deleting moves LMDB's pages.  A damaged one has no keys. */
	if (rc == 0 && pdb_chunk_view(v, vl, FT_STRING, &c, NULL, 0) == 0) {
		nrows = c.nrows;
		pdb_chunk_values(&c, vals, a);
	}
	pdb_chunk_release(&c);
	for (r = 0, rc = 0; r < nrows && rc == 0; r++) {
		uint32_t pno;

		if (!vals[r].present)
			continue;
		rc = pdb_lookup_staged(t, sc, vals[r].u.s.p, vals[r].u.s.len,
		    &pno, cause);
		if (rc < 0)
			break;
		rc = 0;
		if (pno != ch * PDB_CHUNK_ROWS + r)
			continue;
		ik = xrealloc(ik, (size_t)vals[r].u.s.len + 4);
		store_be32(ik, sc->id);
		memcpy(ik + 4, vals[r].u.s.p, vals[r].u.s.len);
		rc = store_del(t, STORE_KEYS, ik, (size_t)vals[r].u.s.len + 4,
		    cause);
	}
	free(ik);
	for (f = 0; f <= sc->nfields && rc == 0; f++) {
		pdb_col_key(k, sc->id, f == sc->nfields ? PDB_COL_BUCKET : f,
		    ch);
		rc = store_del(t, STORE_COLS, k, sizeof k, cause);
	}
	return rc;
}

int
pdb_clean_staged(struct store_txn *t, const struct pdb_schema *sc,
    size_t max, int *left, char **cause)
{
	struct store_cursor *c;
	struct value *vals;
	struct arena a = ARENA_INIT;
	uint32_t first = pdb_nchunks(sc), *chunks = NULL, ch;
	const void *key, *val;
	size_t klen, vlen, n = 0, i;
	uint8_t prefix[6];
	int rc;

	*left = 0;
	store_be32(prefix, sc->id);
	store_be16(prefix + 4, sc->key_field);
	if ((c = store_cursor_open(t, STORE_COLS, prefix, sizeof prefix,
	    cause)) == NULL)
		return -1;
	/* The key column's chunks beyond the profiles name the staged ones. */
	while ((rc = store_cursor_next(c, &key, &klen, &val, &vlen,
	    cause)) == 0) {
		if (klen != 10 || (ch = store_get_be32((const uint8_t *)key +
		    6)) < first)
			continue;
		if (n == max) {
			*left = 1;
			break;
		}
		chunks = xreallocarray(chunks, n + 1, sizeof *chunks);
		chunks[n++] = ch;
	}
	store_cursor_close(c);
	if (rc < 0) {
		free(chunks);
		return -1;
	}
	vals = xcalloc(PDB_CHUNK_ROWS, sizeof *vals);
	for (i = 0, rc = 0; i < n && rc == 0; i++)
		rc = pdb_clean_chunk(t, sc, chunks[i], vals, &a, cause);
	free(vals);
	free(chunks);
	arena_free(&a);
	return rc;
}

int
pdb_import_claim(struct store_txn *t, const struct pdb_schema *sc,
    size_t max, int *left, char **cause)
{
	char key[40];

	*left = 0;
	if (pdb_import_busy(t, sc, cause) != 0 ||
	    pdb_clean_staged(t, sc, max, left, cause) != 0)
		return -1;
	if (*left)
		return 0;
	pdb_mark_key(key, sizeof key, sc->id);
	return store_mark_put(t, key, cause);
}

int
pdb_import_publish(struct store_txn *t, const char *dbname,
    uint32_t nprofiles, char **cause)
{
	struct pdb_schema *sc;
	int rc;

	if (pdb_open(t, dbname, &sc, cause) != 0)
		return -1;
	if (nprofiles < sc->nprofiles) {
		schema_free(sc);
		return error_set(cause, _("database '%s' changed during the "
		    "import; nothing was imported"), dbname);
	}
	sc->nprofiles = nprofiles;
	rc = pdb_put_schema(t, sc, cause) != 0 ||
	    pdb_import_unmark(t, sc, cause) != 0 ? -1 : 0;
	schema_free(sc);
	return rc;
}
