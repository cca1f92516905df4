/*
 * ranges: the range map of a database, which segments own which percent
 * slices of the bucket space, with overlaps flagged.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "i18n.h"
#include "pdb.h"
#include "ranges.h"
#include "segment.h"
#include "util.h"

static int
ranges_cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return x < y ? -1 : x > y;
}

void
ranges_free(struct ranges_map *m)
{
	size_t i, j;

	for (i = 0; i < m->nslices; i++) {
		for (j = 0; j < m->slices[i].nowners; j++)
			free(m->slices[i].owners[j]);
		free(m->slices[i].owners);
	}
	free(m->slices);
	for (i = 0; i < m->nfull; i++)
		free(m->full[i]);
	free(m->full);
	memset(m, 0, sizeof *m);
}

int
ranges_build(struct store_txn *txn, const char *dbname, struct ranges_map *m,
    char **cause)
{
	struct pdb_schema *db = NULL;
	struct segment **all = NULL, **r;
	struct ranges_slice *sl;
	uint16_t *cut;
	size_t n = 0, nr = 0, ncut = 0, i, j, k;

	memset(m, 0, sizeof *m);
	if (pdb_open(txn, dbname, &db, cause) != 0)
		return -1;
	schema_free(db);
	if (seg_list(txn, &all, &n, cause) != 0)
		return -1;
	access_filter(all, &n);
	r = xcalloc(n + 1, sizeof *r);
	cut = xcalloc(2 * n + 2, sizeof *cut);
	cut[ncut++] = 0;
	cut[ncut++] = 10000;
	for (i = 0; i < n; i++) {
		if (strcmp(all[i]->db, dbname) != 0 ||
		    all[i]->kind != SEG_SCHEDULED)
			continue;
		if (all[i]->range_lo == 0 && all[i]->range_hi == 10000) {
			m->full = xreallocarray(m->full, m->nfull + 1,
			    sizeof *m->full);
			m->full[m->nfull++] = xstrdup(all[i]->name);
			continue;
		}
		r[nr++] = all[i];
		cut[ncut++] = all[i]->range_lo;
		cut[ncut++] = all[i]->range_hi;
	}
	qsort(cut, ncut, sizeof *cut, ranges_cmp_u16);
	for (i = j = 0; i < ncut; i++)
		if (j == 0 || cut[j - 1] != cut[i])
			cut[j++] = cut[i];
	ncut = j;
	m->slices = xcalloc(ncut, sizeof *m->slices);
	/* Elementary slices between consecutive cuts; seg_list is by name. */
	for (i = 0; i + 1 < ncut; i++) {
		sl = &m->slices[m->nslices];
		sl->lo = cut[i];
		sl->hi = cut[i + 1];
		for (k = 0; k < nr; k++) {
			if (r[k]->range_lo <= sl->lo && sl->hi <= r[k]->range_hi) {
				sl->owners = xreallocarray(sl->owners,
				    sl->nowners + 1, sizeof *sl->owners);
				sl->owners[sl->nowners++] = xstrdup(r[k]->name);
			}
		}
		/* Neighbouring slices with the same owners read as one. */
		if (m->nslices > 0 && sl[-1].nowners == sl->nowners) {
			for (k = 0; k < sl->nowners; k++)
				if (strcmp(sl[-1].owners[k], sl->owners[k]) != 0)
					break;
			if (k == sl->nowners) {
				sl[-1].hi = sl->hi;
				for (k = 0; k < sl->nowners; k++)
					free(sl->owners[k]);
				free(sl->owners);
				memset(sl, 0, sizeof *sl);
				continue;
			}
		}
		m->nslices++;
	}
	for (i = 0; i < m->nslices; i++)
		if (m->slices[i].nowners > 1)
			m->noverlaps++;
	free(cut);
	free(r);
	seg_list_free(all, n);
	return 0;
}
