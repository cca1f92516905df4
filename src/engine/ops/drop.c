/*
 * drop: deleting a profile database or a segment together with the
 * check of who uses it, in one write transaction (drop.h).
 */
#include "config.h"

#include <string.h>

#include "access.h"
#include "drop.h"
#include "evdb.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "segment.h"
#include "util.h"

struct drop_arg {
	const char	*name;
	int		 detach;
	int		 in_use;	/* refused because of users */
};

/*
 * Ends a list of users with those the caller cannot see, counted: their
 * names would tell that they exist.
 */
static void
drop_add_hidden(struct strbuf *sb, size_t hidden)
{
	if (hidden == 0)
		return;
	if (sb->len > 0)
		sb_puts(sb, _(" and "));
	sb_printf(sb, ngettext_("%zu segment you cannot see",
	    "%zu segments you cannot see", hidden), hidden);
}

/* Refuses when segments use the database, naming those the caller sees. */
static int
drop_database_unused(struct store_txn *txn, struct drop_arg *a,
    char **cause)
{
	struct segment **segs = NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, i, hidden = 0;
	int rc = 0;

	if (seg_list(txn, &segs, &n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(segs[i]->db, a->name) != 0)
			continue;
		if (!access_can_see(segs[i])) {
			hidden++;
			continue;
		}
		/* Quoted: a name may hold a comma. */
		sb_printf(&sb, "%s'%s'", sb.len > 0 ? ", " : "",
		    segs[i]->name);
	}
	if (sb.len > 0) {
		drop_add_hidden(&sb, hidden);
		a->in_use = 1;
		rc = error_set(cause, _("database '%s' is used by segments: "
		    "%s; delete them first"), a->name, sb.buf);
	} else if (hidden > 0) {
		drop_add_hidden(&sb, hidden);
		a->in_use = 1;
		rc = error_set(cause, _("database '%s' is used by %s"),
		    a->name, sb.buf);
	}
	sb_free(&sb);
	seg_list_free(segs, n);
	return rc;
}

static int
drop_database_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct drop_arg *a = arg;

	struct pdb_schema *sc;
	int rc;

	/* No segment names a missing database: pdb_open says it. */
	if (drop_database_unused(txn, a, cause) != 0 ||
	    pdb_open(txn, a->name, &sc, cause) != 0)
		return -1;
	/* Its events go in the same transaction. */
	rc = evdb_check_idle(txn, sc, cause) != 0 ||
	    evdb_drop_txn(txn, sc->id, cause) != 0 ||
	    pdb_drop_txn(txn, a->name, cause) != 0 ? -1 : 0;
	schema_free(sc);
	return rc;
}

int
drop_database(struct store *st, const char *name, char **cause)
{
	struct drop_arg a = { .name = name };

	if (store_write(st, drop_database_cb, &a, cause) != 0)
		return a.in_use ? DROP_IN_USE : -1;
	return 0;
}

int
drop_segment_users(struct store_txn *txn, const struct segment *s,
    char ***users, size_t *n, size_t *hidden, char **cause)
{
	struct segment **segs = NULL;
	char **v = NULL;
	size_t nv = 0, nsegs = 0, i;

	*users = NULL;
	*n = 0;
	*hidden = 0;
	if (objects_segment_users(txn, s->id, &v, &nv, cause) != 0)
		return -1;
	if (seg_dependents(txn, s->name, &segs, &nsegs, cause) != 0) {
		objects_names_free(v, nv);
		return -1;
	}
	v = xreallocarray(v, nv + nsegs + 1, sizeof *v);
	for (i = 0; i < nsegs; i++) {
		if (!access_can_see(segs[i]))
			(*hidden)++;
		else
			v[nv++] = xasprintf(_("segment '%s'"), segs[i]->name);
	}
	seg_list_free(segs, nsegs);
	*users = v;
	*n = nv;
	return 0;
}

/*
 * Refuses while objects (mailings, scenarios, loyalty programs) or other
 * segments ("in segment") use the segment, naming them.
 */
static int
drop_segment_unused(struct store_txn *txn, const struct segment *s,
    struct drop_arg *a, char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	char **users = NULL;
	size_t n = 0, i, hidden = 0;

	if (drop_segment_users(txn, s, &users, &n, &hidden, cause) != 0)
		return -1;
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", sb.len ? ", " : "", users[i]);
	drop_add_hidden(&sb, hidden);
	objects_names_free(users, n);
	if (sb.len == 0)
		return 0;
	a->in_use = 1;
	error_set(cause, _("segment '%s' is used by %s"), s->name, sb.buf);
	sb_free(&sb);
	return -1;
}

static int
drop_segment_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct drop_arg *a = arg;
	struct segment *s;
	int rc;

	if (seg_get(txn, a->name, &s, cause) != 0)
		return -1;
	if (seg_refuse_updating(txn, s, cause) != 0)
		rc = -1;
	else if (a->detach)
		rc = objects_detach_segment(txn, s->id, cause);
	else
		rc = drop_segment_unused(txn, s, a, cause);
	if (rc == 0)
		rc = seg_delete_txn(txn, s, cause);
	seg_free(s);
	return rc;
}

int
drop_segment(struct store *st, const char *name, int detach, char **cause)
{
	struct drop_arg a = { .name = name, .detach = detach };

	if (store_write(st, drop_segment_cb, &a, cause) != 0)
		return a.in_use ? DROP_IN_USE : -1;
	return 0;
}
