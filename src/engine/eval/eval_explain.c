/*
 * Why one profile is in or out of a segment (eval_explain, behind
 * "reseg segment why" in reseg(1)): the condition tree is evaluated
 * node by node on the profile's chunk with the same loops as a run, and
 * each node's verdict is written with the values of the fields it reads
 * (an event test: the count or aggregate it found and the newest matching
 * events); then the range and the limit, which decide after the
 * conditions.
 */
#include "config.h"

#include <stdlib.h>

#include "eval_int.h"
#include "i18n.h"
#include "tz.h"
#include "util.h"

struct eval_why {
	struct eval_prog	*p;
	struct eval_worker	*w;
	const struct value	*row;
	uint32_t		 r;
	struct strbuf		*sb;
};

static void
eval_put_value(const struct eval_prog *p, uint16_t fi, const struct value *v,
    struct strbuf *sb)
{
	enum field_type ft = p->schema->fields[fi].type;
	const char *name = p->schema->fields[fi].name;

	if (!v->present ||
	    (ft == FT_STRING && v->u.s.len == 0) ||
	    (ft == FT_TAGS && v->u.tags.n == 0)) {
		sb_printf(sb, _("%s is empty"), name);
		return;
	}
	sb_printf(sb, "%s = ", name);
	if (ft == FT_STRING || ft == FT_TAGS)
		sb_putc(sb, '"');
	value_format_text(ft, v, sb);
	if (ft == FT_STRING || ft == FT_TAGS)
		sb_putc(sb, '"');
}

/* The value a function computes, for explanations. */
static void
eval_put_func(const struct eval_prog *p, const struct cond *c,
    const struct value *v, enum field_type ft, struct strbuf *sb)
{
	int32_t d;
	size_t i;

	if (!v->present || c->func == CF_NONE)
		return;
	sb_printf(sb, ", %s(%s) = ", cond_func_name(c->func), c->field);
	switch (c->func) {
	case CF_AGE:
	case CF_DAYS_SINCE:
	case CF_DAYS_UNTIL:
		d = ft == FT_DATE ? v->u.date : tz_local_date(p->tz, v->u.dt);
		if (c->func == CF_AGE)
			sb_printf(sb, "%lld", (long long)eval_age(d, p->today));
		else if (c->func == CF_DAYS_SINCE)
			sb_printf(sb, "%lld", (long long)p->today - d);
		else
			sb_printf(sb, "%lld", (long long)d - p->today);
		break;
	case CF_LENGTH:
		sb_printf(sb, "%zu", ft == FT_TAGS ? (size_t)v->u.tags.n :
		    eval_utf8_len(v->u.s.p, v->u.s.len));
		break;
	default:
		sb_putc(sb, '"');
		for (i = 0; i < v->u.s.len; i++)
			sb_putc(sb, (char)eval_lower((unsigned char)v->u.s.p[i]));
		sb_putc(sb, '"');
		break;
	}
}

static int
eval_why_node(struct eval_why *y, const struct eval_node *n, int depth)
{
	uint64_t *bits = y->w->stack + (size_t)(y->p->depth + 1) * EVAL_WORDS;
	const char *verdict;
	char *text;
	size_t k;
	int res, i;

	/* The top of the stack is free: eval_node uses depth+1 and below. */
	eval_node(y->w, n, depth, bits);
	res = (int)((bits[y->r >> 6] >> (y->r & 63)) & 1);
	verdict = res ? _("true") : _("false");
	for (i = 0; i < depth + 1; i++)
		sb_puts(y->sb, "  ");
	switch (n->kind) {
	case CK_AND:
		sb_printf(y->sb, _("all of (and) — %s\n"), verdict);
		break;
	case CK_OR:
		sb_printf(y->sb, _("any of (or) — %s\n"), verdict);
		break;
	case CK_NOT:
		sb_printf(y->sb, _("not — %s\n"), verdict);
		break;
	default:
		text = cond_print(n->c);
		sb_printf(y->sb, "%s — %s", text, verdict);
		free(text);
		if (n->kind == CK_PRED || n->kind == CK_IN_QUERY) {
			sb_puts(y->sb, " (");
			eval_put_value(y->p, n->field, &y->row[n->field],
			    y->sb);
			eval_put_func(y->p, n->c, &y->row[n->field], n->ft,
			    y->sb);
			if (n->kind == CK_IN_QUERY)
				sb_printf(y->sb, ngettext_("; query \"%s\" "
				    "has %zu value", "; query \"%s\" has %zu "
				    "values", (unsigned long)n->nqvalues),
				    n->c->query, n->nqvalues);
			sb_putc(y->sb, ')');
		}
		if (n->kind == CK_EVENT)
			eval_events_why(y->p, n->evidx, (depth + 2) * 2, y->sb);
		else
			sb_putc(y->sb, '\n');
		break;
	}
	for (k = 0; k < n->nkids; k++)
		eval_why_node(y, n->kids[k], depth + 1);
	return res;
}

static void
eval_put_pct(uint16_t h, struct strbuf *sb)
{
	if (h % 100 == 0)
		sb_printf(sb, "%u", h / 100);
	else if (h % 10 == 0)
		sb_printf(sb, "%u.%u", h / 100, (h % 100) / 10);
	else
		sb_printf(sb, "%u.%02u", h / 100, h % 100);
}

/* The range's verdict on the profile's bucket, in percent as written. */
static void
eval_put_range(const struct eval_prog *p, uint32_t bucket, int inside,
    struct strbuf *sb)
{
	sb_printf(sb, inside ? _("Range: bucket %u is inside ") :
	    _("Range: bucket %u is outside "), bucket);
	eval_put_pct(p->range_lo, sb);
	sb_putc(sb, '-');
	eval_put_pct(p->range_hi, sb);
	sb_puts(sb, "%\n");
}

/*
 * The profile's rank among every match of conditions and range: the
 * limit keeps the first ones, so this says whether it kept pno.
 */
static int
eval_rank(struct eval_prog *p, struct store_txn *txn, uint32_t pno,
    uint64_t *rank, char **cause)
{
	roaring_bitmap_t *all;
	int64_t limit;
	int rc;

	limit = p->limit;
	p->limit = -1;
	all = roaring_bitmap_create();
	rc = eval_run(p, txn, 0, NULL, all, cause);
	p->limit = limit;
	if (rc == 0)
		*rank = roaring_bitmap_rank(all, pno);
	roaring_bitmap_free(all);
	return rc;
}

int
eval_explain(struct eval_prog *p, struct store_txn *txn, uint32_t pno,
    int *in, struct strbuf *sb, char **cause)
{
	struct eval_worker w;
	struct eval_why y;
	struct col_chunk *views;
	struct value *row;
	struct arena arena = ARENA_INIT;
	struct strbuf body = STRBUF_INIT;
	const struct value *key;
	uint64_t nprof = p->schema->nprofiles, rank;
	uint32_t chunk = pno / PDB_CHUNK_ROWS, nrows, bucket;
	int cond_ok = 1, range_ok = 1, rc = -1;

	*in = 0;
	if (pno >= nprof)
		return error_set(cause, _("There is no profile number %u in "
		    "the database '%s'."), pno, p->schema->name);
	row = xcalloc(p->schema->nfields, sizeof *row);
	if (pdb_get_row(txn, p->schema, pno, row, &arena, cause) != 0)
		goto out;
	/* The event tests' bits, and what they found for this profile. */
	if (p->ev != NULL && eval_events_run(p, txn, 1, NULL, pno,
	    cause) != 0)
		goto out;
	views = eval_collect(p, txn, chunk, 1, 0, cause);
	if (views == NULL)
		goto out;
	nrows = eval_chunk_rows(nprof, chunk);
	eval_worker_init(&w, p);
	w.chunk = chunk;
	w.views = views;
	w.nrows = nrows;
	key = &row[p->schema->key_field];

	/* The tree's lines are written first, then the verdict before them. */
	y.p = p;
	y.w = &w;
	y.row = row;
	y.r = pno % PDB_CHUNK_ROWS;
	y.sb = &body;
	if (p->root == NULL)
		sb_printf(&body, _("  no conditions: every profile matches\n"));
	else
		cond_ok = eval_why_node(&y, p->root, 0);
	if (p->bucket_col >= 0) {
		bucket = views[p->bucket_col].u16[y.r];
		range_ok = bucket >= p->range_lo && bucket < p->range_hi;
	} else
		bucket = 0;

	rank = 0;
	if (cond_ok && range_ok && p->limit >= 0 &&
	    (rc = eval_rank(p, txn, pno, &rank, cause)) != 0)
		goto done;
	*in = cond_ok && range_ok &&
	    (p->limit < 0 || rank <= (uint64_t)p->limit);

	/* Today's evaluation; the caller says what is stored. */
	sb_printf(sb, *in ? _("Evaluated now, profile \"%.*s\" "
	    "(number %u) is in.\n") : _("Evaluated now, profile "
	    "\"%.*s\" (number %u) is out.\n"),
	    (int)(key->present ? key->u.s.len : 0),
	    key->present ? key->u.s.p : "", pno);
	sb_printf(sb, _("Conditions: %s\n"), cond_ok ? _("true") :
	    _("false"));
	sb_add(sb, body.buf != NULL ? body.buf : "", body.len);
	if (cond_ok && p->bucket_col >= 0)
		eval_put_range(p, bucket, range_ok, sb);
	if (cond_ok && range_ok && p->limit >= 0)
		sb_printf(sb, ngettext_("Limit: the limit of %lld kept the "
		    "first %lld matching profile; this one is number %llu "
		    "among them.\n", "Limit: the limit of %lld kept the first "
		    "%lld matching profiles; this one is number %llu among "
		    "them.\n", (unsigned long)p->limit), (long long)p->limit,
		    (long long)p->limit, (unsigned long long)rank);
	rc = 0;
done:
	eval_worker_done(&w);
	eval_release_views(views, p->ncols);
out:
	sb_free(&body);
	free(row);
	arena_free(&arena);
	return rc;
}
