/*
 * Update history (README, "Segments"): points derived from the run log,
 * membership at a past time replayed from the per-run deltas, and the
 * per-profile delta rows of export-history.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "segment_int.h"
#include "timeutil.h"
#include "tz.h"

static const char *const hist_group_names[] = {
	"run", "day", "week", "month", "quarter", "year"
};

int
hist_group_parse(const char *s, enum hist_group *g)
{
	size_t i;

	for (i = 0; i < sizeof hist_group_names / sizeof *hist_group_names;
	    i++) {
		if (strcmp(s, hist_group_names[i]) == 0) {
			*g = (enum hist_group)i;
			return 0;
		}
	}
	return -1;
}

/* The local date on which the period holding `day` starts. */
static int32_t
hist_period_start(enum hist_group g, int32_t day)
{
	int y, m, d;

	switch (g) {
	case HIST_RUN:
	case HIST_DAY:
		return day;
	case HIST_WEEK:
		return day - tu_weekday(day);
	case HIST_MONTH:
		tu_civil_from_days(day, &y, &m, &d);
		return tu_days_from_civil(y, m, 1);
	case HIST_QUARTER:
		tu_civil_from_days(day, &y, &m, &d);
		return tu_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
	case HIST_YEAR:
		tu_civil_from_days(day, &y, &m, &d);
		return tu_days_from_civil(y, 1, 1);
	}
	return day;
}

int
seg_history(struct store_txn *txn, uint32_t id, enum hist_group g,
    int64_t from, int64_t to, const char *tzname, struct hist_point **out,
    size_t *n, char **cause)
{
	struct segment *s = NULL;
	struct run_record *runs = NULL;
	struct hist_point *v = NULL, *p;
	struct tz *tz = NULL;
	size_t nruns = 0, i, cnt = 0;
	int32_t day, start;
	int rc = -1;

	if (seg_load(txn, id, &s, cause) != 0)
		return -1;
	if (tzname == NULL && s->has_sched)
		tzname = s->sched.tz;
	if ((tz = tz_open(tzname, cause)) == NULL)
		goto out;
	if (seg_runs(txn, id, &runs, &nruns, cause) != 0)
		goto out;
	for (i = 0; i < nruns; i++) {
		const struct run_record *r = &runs[i];

		if (r->status != RUN_COMPLETED || r->ended_at < from ||
		    r->ended_at > to)
			continue;
		day = tz_local_date(tz, r->ended_at);
		start = hist_period_start(g, day);
		if (g == HIST_RUN || cnt == 0 || v[cnt - 1].day != start) {
			v = xreallocarray(v, cnt + 1, sizeof *v);
			p = &v[cnt++];
			memset(p, 0, sizeof *p);
			p->day = start;
			p->at = g == HIST_RUN ? r->ended_at :
			    tz_local_to_utc(tz, start, 0);
		} else
			p = &v[cnt - 1];
		p->run_id = r->id;
		p->nruns++;
		p->total = r->total;
		if (r->type == RUN_AUTOMATIC) {
			p->added_auto += r->added;
			p->removed_auto += r->removed;
		} else {
			p->added_manual += r->added;
			p->removed_manual += r->removed;
		}
	}
	*out = v;
	*n = cnt;
	v = NULL;
	rc = 0;
out:
	free(v);
	run_records_free(runs, nruns);
	if (tz != NULL)
		tz_close(tz);
	seg_free(s);
	return rc;
}

int
seg_members_at(struct store_txn *txn, uint32_t id, int64_t t,
    roaring_bitmap_t **out, char **cause)
{
	struct run_record *runs = NULL;
	roaring_bitmap_t *bm, *added, *removed;
	size_t nruns = 0, i;
	int rc;

	if (seg_runs(txn, id, &runs, &nruns, cause) != 0)
		return -1;
	bm = roaring_bitmap_create();
	for (i = 0; i < nruns; i++) {
		if (runs[i].status != RUN_COMPLETED || runs[i].ended_at > t)
			continue;
		rc = seg_deltas_get(txn, id, runs[i].id, &added, &removed,
		    cause);
		if (rc < 0)
			goto fail;
		if (rc == 1)
			continue;
		roaring_bitmap_andnot_inplace(bm, removed);
		roaring_bitmap_or_inplace(bm, added);
		roaring_bitmap_free(added);
		roaring_bitmap_free(removed);
	}
	run_records_free(runs, nruns);
	*out = bm;
	return 0;
fail:
	roaring_bitmap_free(bm);
	run_records_free(runs, nruns);
	return -1;
}

struct hist_rows {
	const struct run_record	*run;
	const roaring_bitmap_t	*added;
	seg_delta_fn		 fn;
	void			*arg;
};

static int
hist_key_cb(void *arg, uint32_t pno, const char *key, size_t len)
{
	struct hist_rows *h = arg;

	return h->fn(h->arg, h->run, key, len,
	    roaring_bitmap_contains(h->added, pno));
}

int
seg_export_history(struct store_txn *txn, uint32_t id, seg_delta_fn fn,
    void *arg, char **cause)
{
	struct segment *s = NULL;
	struct pdb_schema *schema = NULL;
	struct run_record *runs = NULL;
	roaring_bitmap_t *added, *removed;
	struct hist_rows h;
	size_t nruns = 0, i;
	int rc = -1, r;

	if (seg_load(txn, id, &s, cause) != 0)
		return -1;
	if (pdb_open(txn, s->db, &schema, cause) != 0)
		goto out;
	if (seg_runs(txn, id, &runs, &nruns, cause) != 0)
		goto out;
	h.fn = fn;
	h.arg = arg;
	for (i = 0; i < nruns; i++) {
		if (runs[i].status != RUN_COMPLETED)
			continue;
		r = seg_deltas_get(txn, id, runs[i].id, &added, &removed, cause);
		if (r < 0)
			goto out;
		if (r == 1)
			continue;
		roaring_bitmap_or_inplace(removed, added);
		h.run = &runs[i];
		h.added = added;
		r = pdb_scan_keys(txn, schema, removed, hist_key_cb, &h, cause);
		roaring_bitmap_free(added);
		roaring_bitmap_free(removed);
		if (r < 0)
			goto out;
		if (r != 0)
			break;
	}
	rc = 0;
out:
	run_records_free(runs, nruns);
	if (schema != NULL)
		schema_free(schema);
	seg_free(s);
	return rc;
}
