/*
 * Key runs: the new keys of an import's staged batches, each batch's
 * keys sorted and written once, in a file of the import's own, instead
 * of into the key index; they are merged into the index in key order,
 * in bounded write transactions, before the import publishes.  A batch
 * of keys in no order lands in most of the index's leaves, and LMDB
 * writes every page a transaction changes to a new place, so putting
 * each batch into the index copied most of it a batch; the merge writes
 * each leaf once.  See doc/storage.md, "Key runs".
 *
 * The file is unlinked as soon as it is made: it goes with the process
 * however that ends, and nothing in the store points at it.  A run is
 * entries of (key length, be16; key bytes; profile number, be32) in key
 * order; every PDB_KEYRUNS_STRIDE-th key is kept in memory with its
 * offset, so a lookup reads one block of the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "pdb.h"
#include "pdb_int.h"
#include "util.h"

/* Keys a block: the in-memory index holds the first of each. */
#define PDB_KEYRUNS_STRIDE	64
/* Bytes written at a time. */
#define PDB_KEYRUNS_WBUF	(1u << 20)
/* The merge's read buffers: all runs together, and one at least. */
#define PDB_KEYRUNS_RBUF_ALL	(8u << 20)
#define PDB_KEYRUNS_RBUF_MIN	(16u << 10)
/*
 * A merge transaction's budget, in bytes of pages it may make dirty
 * (LMDB keeps them in memory until the commit): an appended key costs
 * its entry, a key put among stored ones a page at worst.
 */
#define PDB_KEYRUNS_TXN_BYTES	(4u << 20)
#define PDB_KEYRUNS_PAGE	4096
/* An entry's bytes besides the key. */
#define PDB_KEYRUNS_ENTRY	6

struct pdb_keyrun {
	uint64_t	 start, end;	/* bytes of the file */
	uint64_t	 nkeys;
	char		**firsts;	/* first key of each block */
	uint16_t	*firstlen;
	uint64_t	*blockoff;	/* and its offset */
	size_t		 nblocks;
};

/* A run's reader in the merge. */
struct pdb_keyrun_reader {
	struct pdb_keyrun *run;
	uint8_t		*buf;
	size_t		 cap, len;
	uint64_t	 bufat;		/* file offset of buf[0] */
	uint64_t	 pos;		/* file offset of the current entry */
	uint64_t	 mark;		/* pos at the last commit */
	const char	*key;		/* the current entry, NULL at the end */
	uint16_t	 klen;
	uint32_t	 pno;
};

struct pdb_keyruns {
	int		 fd;
	char		*dir;
	uint64_t	 end;		/* written by the staging thread */
	struct pdb_keyrun **runs;
	size_t		 nruns;
	uint64_t	 nkeys;
	/* The merge. */
	struct pdb_keyrun_reader *rd;
	size_t		*heap, nheap;
	char		*last;		/* the last key merged */
	size_t		 lastlen, lastcap;
	uint64_t	 merged, mergedmark;
};

static int
pdb_keyruns_io_error(const struct pdb_keyruns *kr, int writing,
    char **cause)
{
	if (writing)
		return error_set(cause, _("cannot write the import's key runs "
		    "in %s: %s"), kr->dir, strerror(errno));
	return error_set(cause, _("cannot read the import's key runs in %s: "
	    "%s"), kr->dir, strerror(errno));
}

int
pdb_keyruns_open(const char *dir, struct pdb_keyruns **out, char **cause)
{
	struct pdb_keyruns *kr;
	char *path;
	int fd;

	*out = NULL;
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR &&
	    errno != EINVAL)
		return error_set(cause, _("cannot make the import's key runs "
		    "in %s: %s"), dir, strerror(errno));
#else
	fd = -1;
#endif
	if (fd < 0) {
		/* A file system without O_TMPFILE: made, then unlinked. */
		path = xasprintf("%s/import-keys.XXXXXX", dir);
		if ((fd = mkstemp(path)) < 0) {
			error_set(cause, _("cannot make the import's key runs "
			    "in %s: %s"), dir, strerror(errno));
			free(path);
			return -1;
		}
		unlink(path);
		free(path);
	}
	kr = xcalloc(1, sizeof *kr);
	kr->fd = fd;
	kr->dir = xstrdup(dir);
	*out = kr;
	return 0;
}

static void
pdb_keyrun_free(struct pdb_keyrun *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nblocks; i++)
		free(r->firsts[i]);
	free(r->firsts);
	free(r->firstlen);
	free(r->blockoff);
	free(r);
}

static void
pdb_keyruns_merge_free(struct pdb_keyruns *kr)
{
	size_t i;

	if (kr->rd != NULL)
		for (i = 0; i < kr->nruns; i++)
			free(kr->rd[i].buf);
	free(kr->rd);
	free(kr->heap);
	free(kr->last);
	kr->rd = NULL;
	kr->heap = NULL;
	kr->last = NULL;
	kr->lastcap = kr->lastlen = 0;
}

void
pdb_keyruns_free(struct pdb_keyruns *kr)
{
	size_t i;

	if (kr == NULL)
		return;
	pdb_keyruns_merge_free(kr);
	for (i = 0; i < kr->nruns; i++)
		pdb_keyrun_free(kr->runs[i]);
	free(kr->runs);
	if (kr->fd >= 0)
		close(kr->fd);
	free(kr->dir);
	free(kr);
}

uint64_t
pdb_keyruns_count(const struct pdb_keyruns *kr)
{
	return kr != NULL ? kr->nkeys : 0;
}

size_t
pdb_keyruns_nruns(const struct pdb_keyruns *kr)
{
	return kr != NULL ? kr->nruns : 0;
}

/*
 * Writes (writing) or reads n bytes at offset at of the file, whole; a
 * short read means the file lost what was written.
 */
static int
pdb_keyruns_io(struct pdb_keyruns *kr, int writing, uint8_t *p, size_t n,
    uint64_t at, char **cause)
{
	ssize_t done;

	while (n > 0) {
		done = writing ? pwrite(kr->fd, p, n, (off_t)at) :
		    pread(kr->fd, p, n, (off_t)at);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0) {
			if (done == 0)
				errno = writing ? ENOSPC : EIO;
			return pdb_keyruns_io_error(kr, writing, cause);
		}
		p += done;
		n -= (size_t)done;
		at += (uint64_t)done;
	}
	return 0;
}

int
pdb_keyruns_write(struct pdb_keyruns *kr, const struct pdb_keyref *keys,
    size_t n, struct pdb_keyrun **out, char **cause)
{
	struct pdb_keyrun *r = xcalloc(1, sizeof *r);
	uint8_t *buf = xmalloc(PDB_KEYRUNS_WBUF);
	uint64_t at = kr->end;
	size_t i, used = 0, nb = (n + PDB_KEYRUNS_STRIDE - 1) /
	    PDB_KEYRUNS_STRIDE;
	int rc = 0;

	*out = NULL;
	r->start = at;
	r->nkeys = n;
	r->firsts = xcalloc(nb + 1, sizeof *r->firsts);
	r->firstlen = xcalloc(nb + 1, sizeof *r->firstlen);
	r->blockoff = xcalloc(nb + 1, sizeof *r->blockoff);
	for (i = 0; i < n && rc == 0; i++) {
		const struct pdb_keyref *k = &keys[i];

		if (i + 8 < n)
			__builtin_prefetch(keys[i + 8].p);
		if (used + k->len + PDB_KEYRUNS_ENTRY > PDB_KEYRUNS_WBUF) {
			rc = pdb_keyruns_io(kr, 1, buf, used, at, cause);
			at += used;
			used = 0;
		}
		if (i % PDB_KEYRUNS_STRIDE == 0) {
			r->firsts[r->nblocks] = xmalloc((size_t)k->len + 1);
			memcpy(r->firsts[r->nblocks], k->p, k->len);
			r->firstlen[r->nblocks] = (uint16_t)k->len;
			r->blockoff[r->nblocks++] = at + used;
		}
		store_be16(buf + used, (uint16_t)k->len);
		memcpy(buf + used + 2, k->p, k->len);
		store_be32(buf + used + 2 + k->len, k->pno);
		used += k->len + PDB_KEYRUNS_ENTRY;
	}
	if (rc == 0 && used > 0) {
		rc = pdb_keyruns_io(kr, 1, buf, used, at, cause);
		at += used;
	}
	free(buf);
	if (rc != 0) {
		pdb_keyrun_free(r);
		return -1;
	}
	r->end = at;
	kr->end = at;
	*out = r;
	return 0;
}

void
pdb_keyruns_add(struct pdb_keyruns *kr, struct pdb_keyrun *r)
{
	kr->runs = xreallocarray(kr->runs, kr->nruns + 1, sizeof *kr->runs);
	kr->runs[kr->nruns++] = r;
	kr->nkeys += r->nkeys;
}

/* Looks key up in run r: 0 found (*pno), 1 not there, -1 error. */
static int
pdb_keyrun_find(struct pdb_keyruns *kr, const struct pdb_keyrun *r,
    const char *key, size_t len, uint8_t **buf, size_t *cap, uint32_t *pno,
    char **cause)
{
	size_t lo = 0, hi = r->nblocks, mid, bl, at;
	uint64_t from, to;
	uint16_t kl;
	int d;

	if (r->nblocks == 0)
		return 1;
	/* The last block whose first key is not after key. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (store_key_cmp(r->firsts[mid], r->firstlen[mid], key,
		    len) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	if (store_key_cmp(r->firsts[lo], r->firstlen[lo], key, len) > 0)
		return 1;
	from = r->blockoff[lo];
	to = lo + 1 < r->nblocks ? r->blockoff[lo + 1] : r->end;
	bl = (size_t)(to - from);
	if (bl > *cap) {
		*cap = bl;
		*buf = xrealloc(*buf, bl);
	}
	if (pdb_keyruns_io(kr, 0, *buf, bl, from, cause) != 0)
		return -1;
	for (at = 0; at + PDB_KEYRUNS_ENTRY <= bl; at += kl +
	    PDB_KEYRUNS_ENTRY) {
		kl = (uint16_t)((*buf)[at] << 8 | (*buf)[at + 1]);
		if (at + kl + PDB_KEYRUNS_ENTRY > bl)
			break;
		d = store_key_cmp((const char *)*buf + at + 2, kl, key,
		    len);
		if (d == 0) {
			*pno = store_get_be32(*buf + at + 2 + kl);
			return 0;
		}
		if (d > 0)
			return 1;
	}
	return 1;
}

int
pdb_keyruns_find(struct pdb_keyruns *kr, const char *key, size_t len,
    uint32_t *pno, char **cause)
{
	uint8_t *buf = NULL;
	size_t cap = 0, i;
	int rc = 1;

	if (kr == NULL)
		return 1;
	for (i = 0; i < kr->nruns && rc == 1; i++)
		rc = pdb_keyrun_find(kr, kr->runs[i], key, len, &buf, &cap,
		    pno, cause);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The merge. */

/*
 * The reader's entry at its pos into key/klen/pno, the buffer refilled
 * from pos when the entry is not whole in it; key NULL at the run's end.
 */
static int
pdb_keyrun_reader_load(struct pdb_keyruns *kr, struct pdb_keyrun_reader *rd,
    char **cause)
{
	uint64_t left = rd->run->end - rd->pos;
	size_t off, n;
	uint16_t kl;

	rd->key = NULL;
	if (left == 0)
		return 0;
	off = (size_t)(rd->pos - rd->bufat);
	if (rd->pos < rd->bufat || rd->pos - rd->bufat + 2 > rd->len ||
	    off + 2 + ((size_t)rd->buf[off] << 8 | rd->buf[off + 1]) + 4 >
	    rd->len) {
		n = left < rd->cap ? (size_t)left : rd->cap;
		if (pdb_keyruns_io(kr, 0, rd->buf, n, rd->pos, cause) != 0)
			return -1;
		rd->bufat = rd->pos;
		rd->len = n;
		off = 0;
	}
	kl = (uint16_t)(rd->buf[off] << 8 | rd->buf[off + 1]);
	if (off + kl + PDB_KEYRUNS_ENTRY > rd->len)
		return error_set(cause, _("the import's key runs in %s are "
		    "damaged"), kr->dir);
	rd->key = (const char *)rd->buf + off + 2;
	rd->klen = kl;
	rd->pno = store_get_be32(rd->buf + off + 2 + kl);
	return 0;
}

static int
pdb_keyruns_less(const struct pdb_keyruns *kr, size_t a, size_t b)
{
	const struct pdb_keyrun_reader *x = &kr->rd[a], *y = &kr->rd[b];

	return store_key_cmp(x->key, x->klen, y->key, y->klen) < 0;
}

static void
pdb_keyruns_sift(struct pdb_keyruns *kr, size_t i)
{
	size_t c, t;

	for (;;) {
		c = 2 * i + 1;
		if (c >= kr->nheap)
			return;
		if (c + 1 < kr->nheap && pdb_keyruns_less(kr, kr->heap[c + 1],
		    kr->heap[c]))
			c++;
		if (!pdb_keyruns_less(kr, kr->heap[c], kr->heap[i]))
			return;
		t = kr->heap[c];
		kr->heap[c] = kr->heap[i];
		kr->heap[i] = t;
		i = c;
	}
}

/* Every reader back at its mark, and the heap made again. */
static int
pdb_keyruns_rewind(struct pdb_keyruns *kr, char **cause)
{
	size_t i;

	kr->nheap = 0;
	for (i = 0; i < kr->nruns; i++) {
		kr->rd[i].pos = kr->rd[i].mark;
		if (pdb_keyrun_reader_load(kr, &kr->rd[i], cause) != 0)
			return -1;
		if (kr->rd[i].key != NULL)
			kr->heap[kr->nheap++] = i;
	}
	for (i = kr->nheap / 2; i-- > 0; )
		pdb_keyruns_sift(kr, i);
	kr->merged = kr->mergedmark;
	kr->lastlen = 0;
	return 0;
}

static void
pdb_keyruns_merge_start(struct pdb_keyruns *kr)
{
	size_t i, each = kr->nruns > 0 ? PDB_KEYRUNS_RBUF_ALL / kr->nruns : 0;

	if (each < PDB_KEYRUNS_RBUF_MIN)
		each = PDB_KEYRUNS_RBUF_MIN;
	kr->rd = xcalloc(kr->nruns + 1, sizeof *kr->rd);
	kr->heap = xcalloc(kr->nruns + 1, sizeof *kr->heap);
	for (i = 0; i < kr->nruns; i++) {
		kr->rd[i].run = kr->runs[i];
		kr->rd[i].cap = each;
		kr->rd[i].buf = xmalloc(each);
		kr->rd[i].mark = kr->runs[i]->start;
		/* Nothing buffered. */
		kr->rd[i].bufat = kr->runs[i]->end + 1;
	}
	kr->merged = kr->mergedmark = 0;
}

int
pdb_keyruns_merge(struct store_txn *t, enum store_table tb,
    const struct pdb_schema *sc, struct pdb_keyruns *kr, size_t max,
    int *more, char **cause)
{
	struct store_cursor *cur, *peek = NULL;
	struct pdb_keyrun_reader *rd;
	struct pdb_keyref ref;
	const void *fk;
	uint8_t *k = NULL, *bound = NULL;
	size_t cap = 0, budget = 0, n = 0, i, fkl, boundlen = 0;
	int rc = 0, append = 1, gap = 0;

	*more = 0;
	if (kr == NULL || kr->nkeys == 0)
		return 0;
	if (kr->rd == NULL)
		pdb_keyruns_merge_start(kr);
	/* From the last commit's place: store_write may run this again. */
	if (pdb_keyruns_rewind(kr, cause) != 0)
		return -1;
	if ((cur = store_cursor_open(t, tb, NULL, 0, cause)) == NULL)
		return -1;
	while (kr->nheap > 0 && budget < PDB_KEYRUNS_TXN_BYTES && n++ < max) {
		i = kr->heap[0];
		rd = &kr->rd[i];
		if (kr->lastlen > 0 && store_key_cmp(kr->last, kr->lastlen,
		    rd->key, rd->klen) >= 0) {
			rc = error_set(cause, _("profile database '%s': the "
			    "import's key runs repeat a key"), sc->name);
			break;
		}
		ref.p = rd->key;
		ref.len = rd->klen;
		ref.pno = rd->pno;
		rc = pdb_put_key(cur, sc->id, &ref, &k, &cap, append, cause);
		if (rc == 1) {
			/* Keys sort before stored ones from here on. */
			append = 0;
			rc = pdb_put_key(cur, sc->id, &ref, &k, &cap, 0, cause);
		}
		if (rc != 0)
			break;
		/*
		 * Among stored keys, a key put between the same two stored
		 * keys as the one before goes into the same leaf or the one
		 * split from it; past the stored key after them, into
		 * another leaf, which the transaction copies.
		 */
		if (!append && (!gap || store_key_cmp((const char *)k,
		    (size_t)rd->klen + 4, (const char *)bound, boundlen) > 0)) {
			if (peek == NULL && (peek = store_cursor_open(t, tb,
			    NULL, 0, cause)) == NULL) {
				rc = -1;
				break;
			}
			/* Keys put before this one sort before it. */
			if ((rc = store_cursor_after(peek, k, (size_t)rd->klen +
			    4, &fk, &fkl, cause)) < 0)
				break;
			gap = rc == 0;
			rc = 0;
			if (gap) {
				bound = xrealloc(bound, fkl);
				memcpy(bound, fk, fkl);
				boundlen = fkl;
			}
			budget += PDB_KEYRUNS_PAGE;
		}
		budget += (size_t)rd->klen + 16;
		if (rd->klen > kr->lastcap) {
			kr->lastcap = (size_t)rd->klen + 64;
			kr->last = xrealloc(kr->last, kr->lastcap);
		}
		memcpy(kr->last, rd->key, rd->klen);
		kr->lastlen = rd->klen;
		kr->merged++;
		rd->pos += (uint64_t)rd->klen + PDB_KEYRUNS_ENTRY;
		if ((rc = pdb_keyrun_reader_load(kr, rd, cause)) != 0)
			break;
		if (rd->key == NULL)
			kr->heap[0] = kr->heap[--kr->nheap];
		pdb_keyruns_sift(kr, 0);
	}
	if (peek != NULL)
		store_cursor_close(peek);
	store_cursor_close(cur);
	free(k);
	free(bound);
	if (rc != 0)
		return -1;
	*more = kr->nheap > 0;
	return 0;
}

int
pdb_keyruns_merge_all(struct store *st, struct pdb_keyruns *kr,
    store_write_fn fn, void *arg, const int *more, char **cause)
{
	uint64_t n = pdb_keyruns_count(kr);

	if (n == 0)
		return 0;
	/* An entry, a leaf's share of the index, and room to spare. */
	if (store_reserve_room(st, n * 64, cause) != 0)
		return -1;
	do {
		if (store_write_nometasync(st, fn, arg, cause) != 0)
			return -1;
		pdb_keyruns_merged(kr);
		store_release_pages(st);
	} while (*more);
	return 0;
}

void
pdb_keyruns_merged(struct pdb_keyruns *kr)
{
	size_t i;

	if (kr == NULL || kr->rd == NULL)
		return;
	for (i = 0; i < kr->nruns; i++)
		kr->rd[i].mark = kr->rd[i].pos;
	kr->mergedmark = kr->merged;
}

uint64_t
pdb_keyruns_merged_count(const struct pdb_keyruns *kr)
{
	return kr != NULL ? kr->mergedmark : 0;
}
