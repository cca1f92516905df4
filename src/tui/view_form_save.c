/*
 * Saving the segment form, its preview (a dry run of the conditions on a
 * worker thread, compared with the saved members), and leaving it with
 * unsaved changes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <roaring/roaring.h>

#include "access.h"
#include "draw.h"
#include "eval.h"
#include "extquery.h"
#include "form_model.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "util.h"
#include "view_form.h"
#include "view_form_int.h"

/* ------------------------------------------------------------------ */
/* Save, preview, cancel                                                */
/* ------------------------------------------------------------------ */

/* Builds the definition; on errors focuses the first field with one. */
static struct segment *
vf_build(struct view_form *vf)
{
	struct store_txn *txn;
	struct segment	*s = NULL;
	size_t		 i;
	int		 rc;

	if ((txn = tui_read_begin(vf->tui)) == NULL)
		return NULL;
	rc = fm_to_segment(&vf->fm, txn, tu_now(), &s);
	tui_read_end(vf->tui, txn, 0, NULL);
	vf_layout(vf);
	if (rc == 0)
		return s;
	for (i = 0; i < vf->nitems; i++)
		if (vf->items[i].err && vf_focusable(&vf->items[i])) {
			vf->focus = (int)i;
			break;
		}
	vf_script_jump(vf);
	tui_error(vf->tui, xstrdup(_("Some fields need attention: see the "
	    "messages marked ^.")));
	return NULL;
}

void
vf_save(struct view *v)
{
	struct view_form *vf = v->data;
	struct segment	*s;
	char		*cause = NULL;
	int		 rc;

	if ((s = vf_build(vf)) == NULL)
		return;
	if (vf->fm.orig == NULL)
		rc = seg_create(v->tui->store, s, NULL, &cause);
	else
		rc = seg_update(v->tui->store, vf->fm.orig->name, s, &cause);
	if (rc != 0) {
		fm_set_error(&vf->fm, FM_NAME, xstrdup(cause));
		vf_layout(vf);
		tui_error(v->tui, cause);
		seg_free(s);
		return;
	}
	tui_status(v->tui, vf->fm.orig == NULL ? _("Segment '%s' was "
	    "created.") : _("Segment '%s' was saved."), s->name);
	if (vf->fm.orig == NULL) {
		free(v->tui->focus);
		v->tui->focus = xstrdup(s->name);
	}
	seg_free(s);
	vf->dirty = 0;
	tui_pop_view(v->tui);
}

static const roaring_bitmap_t *
vf_preview_members(void *arg, const char *name)
{
	struct vf_preview *p = arg;
	struct segment	*s = NULL;
	roaring_bitmap_t *b = NULL;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < p->nused; i++)
		if (strcmp(p->used[i]->name, name) == 0)
			return p->bitmaps[i];
	/* One the user cannot see is missing, as for a recalculation. */
	if (access_get(p->txn, name, &s, &cause) != 0) {
		free(cause);
		return NULL;
	}
	/* Never a silent 0: a segment not calculated yet is no member set. */
	if (seg_require_calculated(s, &cause) != 0) {
		free(p->use_cause);
		p->use_cause = cause;
		seg_free(s);
		return NULL;
	}
	if (seg_members(p->txn, s->id, &b, &cause) != 0 ||
	    (strcmp(s->db, p->def->db) != 0 && seg_members_by_key(p->txn,
	    s->db, p->def->db, &b, &cause) != 0)) {
		if (b != NULL)
			roaring_bitmap_free(b);
		free(cause);
		seg_free(s);
		return NULL;
	}
	p->used = xreallocarray(p->used, p->nused + 1, sizeof *p->used);
	p->bitmaps = xreallocarray(p->bitmaps, p->nused + 1,
	    sizeof *p->bitmaps);
	p->used[p->nused] = s;
	p->bitmaps[p->nused++] = b;
	return b;
}

static int
vf_preview_work(struct tui *tui, void *arg, char **cause)
{
	struct vf_preview	*p = arg;
	struct pdb_schema	*schema = NULL;
	struct eval_prog	*prog = NULL;
	struct eval_query	 q;
	struct eval_env		 env;
	struct eval_progress	 pr;
	struct extquery_set	*qs = NULL;
	roaring_bitmap_t	*out, *old = NULL;
	int			 rc = -1;

	(void)tui;
	/* The servers of "in query" are asked before the store is read. */
	if (extquery_prefetch(p->store, p->def->cond, tu_now(), &qs,
	    cause) != 0)
		return -1;
	if (store_read_begin(p->store, &p->txn, cause) != 0) {
		extquery_set_free(qs);
		return -1;
	}
	out = roaring_bitmap_create();
	memset(&q, 0, sizeof q);
	q.cond = p->def->cond;
	q.range_lo = p->def->range_lo;
	q.range_hi = p->def->range_hi;
	q.limit = p->def->limit;
	memset(&env, 0, sizeof env);
	env.now = tu_now();
	env.tz = p->def->has_sched ? p->def->sched.tz : NULL;
	env.segment_members = vf_preview_members;
	env.arg = p;
	env.query_values = extquery_set_values;
	env.qarg = qs;
	memset(&pr, 0, sizeof pr);
	pr.cancel = &p->cancel;
	if (pdb_open(p->txn, p->def->db, &schema, cause) != 0)
		goto out;
	if (eval_compile(schema, &q, &env, &prog, cause) != 0) {
		if (p->use_cause != NULL) {
			free(*cause);
			*cause = p->use_cause;
			p->use_cause = NULL;
		}
		goto out;
	}
	if (eval_run(prog, p->txn, 0, &pr, out, cause) != 0)
		goto out;
	if (p->cancel) {
		error_set(cause, "%s", _("The preview was cancelled."));
		goto out;
	}
	p->count = roaring_bitmap_get_cardinality(out);
	if (p->self != 0 && seg_members(p->txn, p->self, &old, cause) == 0) {
		p->added = roaring_bitmap_andnot_cardinality(out, old);
		p->removed = roaring_bitmap_andnot_cardinality(old, out);
		p->compared = 1;
		roaring_bitmap_free(old);
	}
	rc = 0;
out:
	eval_free(prog);
	schema_free(schema);
	roaring_bitmap_free(out);
	extquery_set_free(qs);
	store_read_end(p->txn);
	p->txn = NULL;
	return rc;
}

static void
vf_preview_free(struct vf_preview *p)
{
	size_t	 i;

	for (i = 0; i < p->nused; i++) {
		seg_free(p->used[i]);
		roaring_bitmap_free(p->bitmaps[i]);
	}
	free(p->used);
	free(p->bitmaps);
	free(p->use_cause);
	seg_free(p->def);
	free(p);
}

static void
vf_preview_done(struct tui *tui, void *arg, int rc, char *cause)
{
	struct vf_preview *p = arg;
	struct view	*v = tui_top_view(tui);
	struct view_form *vf;
	char		 a[32], b[32], c[32];

	if (p->orphan || v == NULL || v->ops != &view_form_ops ||
	    ((struct view_form *)v->data)->preview != p) {
		free(cause);
		vf_preview_free(p);
		return;
	}
	vf = v->data;
	vf->preview = NULL;
	free(vf->preview_text);
	if (rc != 0) {
		vf->preview_text = NULL;
		tui_error(tui, cause);
		cause = NULL;
	} else if (p->compared)
		vf->preview_text = xasprintf(_("Preview: %s profiles; %s added, "
		    "%s removed against the saved members."),
		    draw_count(p->count, a, sizeof a),
		    draw_count(p->added, b, sizeof b),
		    draw_count(p->removed, c, sizeof c));
	else
		vf->preview_text = xasprintf(_("Preview: %s profiles."),
		    draw_count(p->count, a, sizeof a));
	free(cause);
	vf_preview_free(p);
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

void
vf_preview(struct view *v)
{
	struct view_form *vf = v->data;
	struct vf_preview *p;
	struct segment	*s;
	char		*cause = NULL;

	if (vf->preview != NULL)
		return;
	if (vf->fm.kind == SEG_STATIC) {
		tui_status(v->tui, "%s", _("A static segment has no conditions "
		    "to preview."));
		return;
	}
	if ((s = vf_build(vf)) == NULL)
		return;
	p = xcalloc(1, sizeof *p);
	p->store = v->tui->store;
	p->def = s;
	p->self = vf->fm.orig != NULL ? vf->fm.orig->id : 0;
	if (tui_work(v->tui, vf_preview_work, vf_preview_done, p,
	    &cause) != 0) {
		vf_preview_free(p);
		tui_error(v->tui, cause);
		return;
	}
	vf->preview = p;
	free(vf->preview_text);
	vf->preview_text = NULL;
}

static void
vf_discard(struct tui *tui, void *arg, int yes)
{
	if (yes && tui_top_view(tui) == arg)
		tui_pop_view(tui);
}


int
vf_leave(struct view *v)
{
	struct view_form *vf = v->data;

	if (!vf->dirty)
		return VIEW_HANDLED | VIEW_CLOSE;
	tui_confirm(v->tui, vf_discard, v, "%s",
	    _("Discard the changes to this segment?"));
	return VIEW_HANDLED;
}
