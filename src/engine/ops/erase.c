/*
 * erase: deleting profiles and everything that refers to them, in one
 * write transaction (erase.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <roaring/roaring.h>

#include "access.h"
#include "attach.h"
#include "erase.h"
#include "evdb.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "segment.h"
#include "util.h"

/* Keys named in a refusal; the rest are counted. */
#define ERASE_NAMED	10

struct erase_arg {
	const char		*db;
	const char *const	*keys;
	size_t			 nkeys;
	int			 skip_missing;
	const char		*initiator;
	struct erase_result	*res;
};

void
erase_result_free(struct erase_result *res)
{
	size_t i;

	for (i = 0; i < res->nmissing; i++)
		free(res->missing[i]);
	free(res->missing);
	for (i = 0; i < res->nsegs; i++)
		free(res->segs[i].name);
	free(res->segs);
	objects_forgot_free(res->scenarios, res->scounts, res->nscenarios);
	memset(res, 0, sizeof *res);
}

/* "database 'D' has no profile 'a', 'b' and 3 more; ...". */
static int
erase_refuse_missing(const struct erase_arg *a, char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	const struct erase_result *res = a->res;
	size_t i;
	int rc;

	for (i = 0; i < res->nmissing && i < ERASE_NAMED; i++)
		sb_printf(&sb, "%s'%s'", i > 0 ? ", " : "", res->missing[i]);
	if (res->nmissing > ERASE_NAMED)
		sb_printf(&sb, ngettext_(" and %zu more", " and %zu more",
		    res->nmissing - ERASE_NAMED), res->nmissing - ERASE_NAMED);
	rc = error_set(cause, ngettext_("database '%s' has no profile %s; "
	    "nothing was deleted", "database '%s' has no profiles %s; "
	    "nothing was deleted", res->nmissing), a->db, sb.buf);
	sb_free(&sb);
	return rc;
}

/* Static segments lose the profiles; scheduled ones are told. */
static int
erase_segments(struct store_txn *txn, struct erase_arg *a,
    const roaring_bitmap_t *pnos, char **cause)
{
	struct erase_result *res = a->res;
	struct segment **segs = NULL;
	struct erase_segment *e;
	size_t nsegs = 0, i;
	uint64_t n;
	uint32_t run;
	int rc = 0;

	if (seg_list(txn, &segs, &nsegs, cause) != 0)
		return -1;
	for (i = 0; i < nsegs && rc == 0; i++) {
		if (strcmp(segs[i]->db, a->db) != 0)
			continue;
		if ((rc = seg_forget_profiles(txn, segs[i], pnos,
		    a->initiator, &n, &run, cause)) != 0 || n == 0)
			continue;
		if (!access_can_see(segs[i])) {
			res->hidden++;
			continue;
		}
		res->segs = xreallocarray(res->segs, res->nsegs + 1,
		    sizeof *res->segs);
		e = &res->segs[res->nsegs++];
		e->name = xstrdup(segs[i]->name);
		e->is_static = segs[i]->kind == SEG_STATIC;
		e->n = n;
		e->run = run;
	}
	seg_list_free(segs, nsegs);
	return rc;
}

static int
erase_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct erase_arg *a = arg;
	struct erase_result *res = a->res;
	struct pdb_schema *sc = NULL;
	roaring_bitmap_t *pnos;
	uint32_t pno;
	size_t i;
	int rc = -1, found;

	/* store_write may run this again after growing the map. */
	erase_result_free(res);
	pnos = roaring_bitmap_create();
	if (pdb_open(txn, a->db, &sc, cause) != 0 ||
	    attach_refuse(sc, _("deleting profiles"), cause) != 0 ||
	    evdb_check_idle(txn, sc, cause) != 0)
		goto out;
	for (i = 0; i < a->nkeys; i++) {
		found = pdb_lookup(txn, sc, a->keys[i], strlen(a->keys[i]),
		    &pno, cause);
		if (found < 0)
			goto out;
		if (found == 0) {
			roaring_bitmap_add(pnos, pno);
			continue;
		}
		res->missing = xreallocarray(res->missing, res->nmissing + 1,
		    sizeof *res->missing);
		res->missing[res->nmissing++] = xstrdup(a->keys[i]);
	}
	if (res->nmissing > 0 && !a->skip_missing) {
		erase_refuse_missing(a, cause);
		goto out;
	}
	res->deleted = roaring_bitmap_get_cardinality(pnos);
	if (res->deleted == 0) {
		rc = 0;
		goto out;
	}
	if (evdb_delete_profiles(txn, sc, pnos, &res->events, cause) != 0 ||
	    erase_segments(txn, a, pnos, cause) != 0 ||
	    objects_forget_profiles(txn, sc->id, pnos, &res->scenarios,
	    &res->scounts, &res->nscenarios, cause) != 0 ||
	    pdb_delete_txn(txn, a->db, pnos, cause) != 0)
		goto out;
	rc = 0;
out:
	roaring_bitmap_free(pnos);
	schema_free(sc);
	return rc;
}

int
erase_profiles(struct store *st, const char *db, const char *const *keys,
    size_t nkeys, int skip_missing, const char *initiator,
    struct erase_result *res, char **cause)
{
	struct erase_arg a = { db, keys, nkeys, skip_missing,
	    initiator != NULL ? initiator : util_login_name(), res };

	memset(res, 0, sizeof *res);
	return store_write(st, erase_cb, &a, cause);
}
