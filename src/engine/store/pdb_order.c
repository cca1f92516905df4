/*
 * Members in another order than their profile numbers: sorted by one
 * field's values, and the members whose values a caller's test
 * accepts.  The UI's Profiles table sorts and searches with these; the
 * text a field is tested on is what value_format_text gives, as the
 * table shows it.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pdb.h"
#include "util.h"

struct pdb_order_item {
	uint32_t	 pno;
	struct value	 v;
};

struct pdb_order_ctx {
	const struct pdb_schema *schema;
	uint16_t	 field;
	struct pdb_order_item *items;
	size_t		 n, cap;
	struct arena	 arena;		/* the strings the items keep */
};

static int
pdb_order_collect(void *arg, uint32_t pno, const struct value *row)
{
	struct pdb_order_ctx	*c = arg;
	struct pdb_order_item	*it;
	const struct value	*v = &row[c->field];

	if (c->n == c->cap) {
		c->cap = c->cap > 0 ? c->cap * 2 : 1024;
		c->items = xreallocarray(c->items, c->cap, sizeof *c->items);
	}
	it = &c->items[c->n++];
	it->pno = pno;
	/* Tags sort by their first tag (as printed, comma-joined). */
	value_copy(c->schema->fields[c->field].type, v, &it->v, &c->arena);
	return 0;
}

static enum field_type pdb_order_type;

static int
pdb_order_value_cmp(const struct value *a, const struct value *b)
{
	uint32_t	 i;
	int		 c;

	/* The empty value first, as SQL's NULLS FIRST for ascending. */
	if (!a->present || !b->present)
		return (int)a->present - (int)b->present;
	switch (pdb_order_type) {
	case FT_INT:
		return (a->u.i > b->u.i) - (a->u.i < b->u.i);
	case FT_FLOAT:
		if (isnan(a->u.f) || isnan(b->u.f))
			return isnan(b->u.f) - isnan(a->u.f);
		return (a->u.f > b->u.f) - (a->u.f < b->u.f);
	case FT_BOOL:
		return a->u.b - b->u.b;
	case FT_DATE:
		return (a->u.date > b->u.date) - (a->u.date < b->u.date);
	case FT_DATETIME:
		return (a->u.dt > b->u.dt) - (a->u.dt < b->u.dt);
	case FT_STRING:
		c = memcmp(a->u.s.p, b->u.s.p, a->u.s.len < b->u.s.len ?
		    a->u.s.len : b->u.s.len);
		if (c != 0)
			return c;
		return (a->u.s.len > b->u.s.len) - (a->u.s.len < b->u.s.len);
	case FT_TAGS:
		for (i = 0; i < a->u.tags.n && i < b->u.tags.n; i++)
			if ((c = strcmp(a->u.tags.v[i], b->u.tags.v[i])) != 0)
				return c;
		return (a->u.tags.n > b->u.tags.n) -
		    (a->u.tags.n < b->u.tags.n);
	}
	return 0;
}

static int pdb_order_desc;

/* Equal values keep the profile-number order, either way round. */
static int
pdb_order_cmp(const void *pa, const void *pb)
{
	const struct pdb_order_item *a = pa, *b = pb;
	int	 c = pdb_order_value_cmp(&a->v, &b->v);

	if (c != 0)
		return pdb_order_desc ? -c : c;
	return (a->pno > b->pno) - (a->pno < b->pno);
}

int
pdb_sort_members(struct store_txn *txn, const struct pdb_schema *schema,
    const roaring_bitmap_t *members, uint16_t field, int descending,
    uint32_t **order, size_t *n, char **cause)
{
	struct pdb_order_ctx	 c;
	size_t			 i;

	*order = NULL;
	*n = 0;
	if (field >= schema->nfields)
		return error_set(cause, _("database '%s' has no field number "
		    "%u"), schema->name, (unsigned)field + 1);
	memset(&c, 0, sizeof c);
	c.schema = schema;
	c.field = field;
	if (pdb_scan_rows(txn, schema, members, pdb_order_collect, &c,
	    cause) != 0) {
		free(c.items);
		arena_free(&c.arena);
		return -1;
	}
	/* qsort has no argument for its comparison: one sort at a time
	 * (the UI's thread). */
	pdb_order_type = schema->fields[field].type;
	pdb_order_desc = descending;
	if (c.n > 0)
		qsort(c.items, c.n, sizeof *c.items, pdb_order_cmp);
	*order = xcalloc(c.n + 1, sizeof **order);
	for (i = 0; i < c.n; i++)
		(*order)[i] = c.items[i].pno;
	*n = c.n;
	free(c.items);
	arena_free(&c.arena);
	return 0;
}

struct pdb_match_ctx {
	const struct pdb_schema *schema;
	pdb_match_fn	 match;
	void		*arg;
	roaring_bitmap_t *found;
	struct strbuf	 sb;
};

static int
pdb_match_row(void *arg, uint32_t pno, const struct value *row)
{
	struct pdb_match_ctx	*c = arg;
	uint16_t		 f;

	for (f = 0; f < c->schema->nfields; f++) {
		sb_reset(&c->sb);
		value_format_text(c->schema->fields[f].type, &row[f], &c->sb);
		if (c->match(c->arg, c->sb.buf != NULL ? c->sb.buf : "")) {
			roaring_bitmap_add(c->found, pno);
			break;
		}
	}
	return 0;
}

int
pdb_match_members(struct store_txn *txn, const struct pdb_schema *schema,
    const roaring_bitmap_t *members, pdb_match_fn match, void *arg,
    roaring_bitmap_t **found, char **cause)
{
	struct pdb_match_ctx	 c;

	memset(&c, 0, sizeof c);
	c.schema = schema;
	c.match = match;
	c.arg = arg;
	c.found = roaring_bitmap_create();
	/* One pass decoding chunk by chunk: a row at a time would read
	 * each chunk again for every member. */
	if (pdb_scan_rows(txn, schema, members, pdb_match_row, &c,
	    cause) != 0) {
		roaring_bitmap_free(c.found);
		sb_free(&c.sb);
		*found = NULL;
		return -1;
	}
	sb_free(&c.sb);
	*found = c.found;
	return 0;
}
