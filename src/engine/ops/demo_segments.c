/*
 * Example segments on the demo database: one of each kind a new user
 * should see (scheduled, static, range and limit, "in segment", conditions
 * on events), each calculated once so members, log rows and history exist
 * at once.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "demo.h"
#include "demo_segments.h"
#include "drop.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"

struct demo_seg {
	const char	*name;
	const char	*script;	/* NULL: static */
	const char	*range;
	int64_t		 limit;
	const char	*schedule;
	const char	*tag;
};

/* Dependencies first: "in segment" needs the segment it names. */
static const struct demo_seg demo_segs[] = {
	{ "Active buyers CIS",
	    "(country in (\"RU\", \"KZ\", \"BY\") and age(birth_date) between "
	    "25 and 40)\nor (orders_count >= 3 and last_purchase_at within "
	    "last 30 days)", NULL, -1, "every 6 hours from 00:00 UTC",
	    "sales" },
	{ "Moscow VIP subscribers",
	    "subscribed_email is true and tags has \"vip\" and "
	    "city = \"Moscow\"", NULL, -1, "daily at 09:00 Europe/Moscow",
	    "vip" },
	{ "Test group 20%",
	    "(country in (\"RU\", \"KZ\", \"BY\") and age(birth_date) between "
	    "25 and 40)\nor (orders_count >= 3 and last_purchase_at within "
	    "last 30 days)", "0-20", 500, "weekly on mon at 08:00 Europe/Berlin",
	    "test" },
	{ "Active buyers, not VIP",
	    "in segment \"Active buyers CIS\" and not tags has \"vip\"", NULL,
	    -1, "daily at 10:00 UTC", "sales" },
	/* What people did: the demo's events. */
	{ "Inactive subscribers",
	    "subscribed_email is true\n"
	    "and not did \"email_open\" within last 90 days", NULL, -1,
	    "daily at 07:00 UTC", "email" },
	{ "Repeat buyers",
	    "did \"purchase\" at least 3 times within last 180 days", NULL,
	    -1, "daily at 08:00 UTC", "sales" },
	{ "Opened, not clicked",
	    "did \"email_open\" where (mailing = \"Black Friday\")\n"
	    "and not did \"email_click\" where (mailing = \"Black Friday\")",
	    NULL, -1, "daily at 11:00 UTC", "email" },
	{ "Big spenders",
	    "sum(amount) of \"purchase\" >= 500 within last 365 days", NULL,
	    -1, "weekly on mon at 07:00 UTC", "vip" },
	{ "Hand-picked", NULL, NULL, -1, NULL, "manual" },
};
#define DEMO_NSEGS (sizeof demo_segs / sizeof *demo_segs)

struct demo_keys {
	char	**v;
	size_t	  n;
	size_t	  max;
	uint16_t  key;
};

static int
demo_key_row(void *arg, uint32_t pno, const struct value *row)
{
	struct demo_keys *k = arg;

	(void)pno;
	if (!row[k->key].present)
		return 0;
	k->v[k->n++] = xstrndup(row[k->key].u.s.p, row[k->key].u.s.len);
	return k->n == k->max;
}

/* The first n members of a segment, by key, to fill the static example. */
static int
demo_first_keys(struct store *st, const char *name, size_t n,
    struct demo_keys *k, char **cause)
{
	struct store_txn *txn;
	struct segment *s = NULL;
	struct pdb_schema *schema = NULL;
	roaring_bitmap_t *bm = NULL;
	int rc = -1;

	k->v = xcalloc(n, sizeof *k->v);
	k->n = 0;
	k->max = n;
	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	if (seg_get(txn, name, &s, cause) != 0 ||
	    pdb_open(txn, s->db, &schema, cause) != 0 ||
	    seg_members(txn, s->id, &bm, cause) != 0)
		goto out;
	k->key = schema->key_field;
	if (pdb_scan_rows(txn, schema, bm, demo_key_row, k, cause) < 0)
		goto out;
	rc = 0;
out:
	if (bm != NULL)
		roaring_bitmap_free(bm);
	if (schema != NULL)
		schema_free(schema);
	seg_free(s);
	store_read_end(txn);
	return rc;
}

static int
demo_one(struct store *st, const struct demo_seg *d, struct strbuf *sb,
    char **cause)
{
	struct segment *s;
	struct recalc_opts o;
	struct run_record r;
	struct seg_fill_result res;
	struct demo_keys k;
	size_t i;
	int rc = -1;

	s = xmalloc(sizeof *s);
	seg_init(s);
	s->name = xstrdup(d->name);
	s->db = xstrdup(DEMO_DB);
	s->tags = xcalloc(1, sizeof *s->tags);
	s->tags[0] = xstrdup(d->tag);
	s->ntags = 1;
	if (d->script == NULL)
		s->kind = SEG_STATIC;
	else {
		if ((s->cond = cond_parse(d->script, cause)) == NULL)
			goto out;
		if (d->range != NULL && seg_parse_range(d->range, &s->range_lo,
		    &s->range_hi, cause) != 0)
			goto out;
		s->limit = d->limit;
		if (sched_parse(d->schedule, tu_now(), &s->sched, cause) != 0)
			goto out;
		s->has_sched = 1;
	}
	if (seg_create(st, s, NULL, cause) != 0)
		goto out;
	memset(&r, 0, sizeof r);
	if (s->kind == SEG_SCHEDULED) {
		memset(&o, 0, sizeof o);
		o.type = RUN_AUTOMATIC;
		o.initiator = "System";
		if (seg_recalc(st, s->name, &o, &r, cause) != 0) {
			run_record_clear(&r);
			goto out;
		}
	} else {
		if (demo_first_keys(st, demo_segs[0].name, 25, &k, cause) != 0)
			goto out_keys;
		rc = seg_fill(st, s->name, 0, (const char *const *)k.v, k.n,
		    util_login_name(), &res, cause);
		if (rc == 0) {
			r.total = res.run.total;
			seg_fill_result_free(&res);
		}
out_keys:
		for (i = 0; i < k.n; i++)
			free(k.v[i]);
		free(k.v);
		if (rc != 0)
			goto out;
	}
	if (sb != NULL)
		sb_printf(sb, ngettext_("Segment '%s' (%s): %" PRIu64
		    " profile\n", "Segment '%s' (%s): %" PRIu64 " profiles\n",
		    r.total), s->name, s->kind == SEG_STATIC ? _("static") :
		    _("scheduled"), r.total);
	run_record_clear(&r);
	rc = 0;
out:
	seg_free(s);
	return rc;
}

int
demo_segments(struct store *st, struct strbuf *sb, char **cause)
{
	struct store_txn *txn;
	struct segment *s;
	size_t i;
	int exists;

	/* A second `reseg demo` replaces the examples (profiles are new). */
	for (i = DEMO_NSEGS; i-- > 0;) {
		if (store_read_begin(st, &txn, cause) != 0)
			return -1;
		exists = seg_get(txn, demo_segs[i].name, &s, NULL) == 0;
		if (exists)
			seg_free(s);
		store_read_end(txn);
		if (exists && drop_segment(st, demo_segs[i].name, 1, cause) != 0)
			return -1;
	}
	for (i = 0; i < DEMO_NSEGS; i++) {
		if (demo_one(st, &demo_segs[i], sb, cause) != 0)
			return -1;
	}
	return 0;
}

static int
demo_made(const char *name)
{
	size_t i;

	for (i = 0; i < DEMO_NSEGS; i++)
		if (strcmp(demo_segs[i].name, name) == 0)
			return 1;
	return 0;
}

/* Appends item to the message list unless it is there already. */
static void
demo_note(struct strbuf *sb, char ***seen, size_t *nseen, const char *item)
{
	size_t i;

	for (i = 0; i < *nseen; i++)
		if (strcmp((*seen)[i], item) == 0)
			return;
	*seen = xreallocarray(*seen, *nseen + 1, sizeof **seen);
	(*seen)[(*nseen)++] = xstrdup(item);
	sb_printf(sb, "%s%s", sb->len ? ", " : "", item);
}

int
demo_check_replace(struct store *st, char **cause)
{
	struct store_txn *txn;
	struct segment **segs = NULL;
	struct strbuf sb = STRBUF_INIT;
	char **seen = NULL, **objs, *item;
	size_t nsegs = 0, nseen = 0, nobjs, hidden = 0, i, j;
	int rc = -1;

	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	if (seg_list(txn, &segs, &nsegs, cause) != 0)
		goto out;
	for (i = 0; i < nsegs; i++) {
		if (strcmp(segs[i]->db, DEMO_DB) != 0)
			continue;
		/* A hidden one is the user's (the demo sets no groups). */
		if (!access_can_see(segs[i])) {
			hidden++;
			continue;
		}
		if (!demo_made(segs[i]->name)) {
			item = xasprintf(_("segment '%s'"), segs[i]->name);
			demo_note(&sb, &seen, &nseen, item);
			free(item);
		}
		if (objects_segment_users(txn, segs[i]->id, &objs, &nobjs,
		    cause) != 0)
			goto out;
		for (j = 0; j < nobjs; j++)
			demo_note(&sb, &seen, &nseen, objs[j]);
		objects_names_free(objs, nobjs);
	}
	if (hidden > 0)
		sb_printf(&sb, ngettext_("%s%zu segment you cannot see",
		    "%s%zu segments you cannot see", hidden), sb.len ? ", " : "",
		    hidden);
	rc = 0;
	if (sb.len > 0) {
		error_set(cause, _("database '%s' is used by what the demo did "
		    "not create: %s"), DEMO_DB, sb.buf);
		rc = DEMO_IN_USE;
	}
out:
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	sb_free(&sb);
	seg_list_free(segs, nsegs);
	store_read_end(txn);
	return rc;
}
