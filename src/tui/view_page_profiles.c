/*
 * The Profiles block of the segment page: the members in rank order, one
 * screenful decoded at a time, column widths capped by field type,
 * horizontal scrolling over the fields and finding a member by key.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "tui.h"
#include "util.h"
#include "view.h"
#include "view_page_int.h"

void
view_page_free_cells(struct view_page *vp)
{
	int	 i, n;

	if (vp->cells == NULL)
		return;
	n = vp->prows * (vp->schema != NULL ? vp->schema->nfields : 0);
	for (i = 0; i < n; i++)
		free(vp->cells[i]);
	free(vp->cells);
	vp->cells = NULL;
	vp->prows = 0;
	free(vp->pwidth);
	vp->pwidth = NULL;
}

/* The widest a column of a type gets; text is cut with "…" beyond. */
static int
view_page_type_max(enum field_type t)
{
	switch (t) {
	case FT_BOOL:
		return 5;
	case FT_DATE:
		return 10;
	case FT_DATETIME:
		return 20;
	case FT_INT:
		return 20;
	case FT_FLOAT:
		return 24;
	default:
		return 32;
	}
}

/* Column widths from the header and the visible rows, capped by type. */
static void
view_page_widths(struct view_page *vp)
{
	int	 nf = vp->schema->nfields, f, i, w, max;

	vp->pwidth = xcalloc((size_t)nf + 1, sizeof *vp->pwidth);
	for (f = 0; f < nf; f++) {
		max = view_page_type_max(vp->schema->fields[f].type);
		w = draw_width(vp->schema->fields[f].name);
		for (i = 0; i < vp->prows; i++)
			if (draw_width(vp->cells[i * nf + f]) > w)
				w = draw_width(vp->cells[i * nf + f]);
		vp->pwidth[f] = w > max ? max : (w < 1 ? 1 : w);
	}
}

/* The page's rows of profiles: decoded only for what is visible. */
int
view_page_load_profiles(struct view_page *vp, struct store_txn *txn,
    char **cause)
{
	struct arena	 arena = ARENA_INIT;
	struct value	*row;
	struct strbuf	 sb = STRBUF_INIT;
	uint64_t	 n = roaring_bitmap_get_cardinality(vp->members);
	uint32_t	 pno;
	int		 i, f, h, nf = vp->schema->nfields;

	view_page_free_cells(vp);
	h = vp->rect.h - 7;
	if (h < 1)
		h = 1;
	if (vp->ptop >= n)
		vp->ptop = n > (uint64_t)h ? n - (uint64_t)h : 0;
	vp->cells = xcalloc((size_t)h * nf + 1, sizeof *vp->cells);
	row = xcalloc(nf, sizeof *row);
	for (i = 0; i < h && vp->ptop + (uint64_t)i < n; i++) {
		if (!roaring_bitmap_select(vp->members,
		    (uint32_t)(vp->ptop + (uint64_t)i), &pno))
			break;
		if (pdb_get_row(txn, vp->schema, pno, row, &arena, cause) != 0) {
			free(row);
			arena_free(&arena);
			return -1;
		}
		for (f = 0; f < nf; f++) {
			sb_reset(&sb);
			value_format_text(vp->schema->fields[f].type, &row[f],
			    &sb);
			vp->cells[i * nf + f] = xstrdup(sb.buf != NULL ?
			    sb.buf : "");
		}
		vp->prows = i + 1;
		arena_reset(&arena);
	}
	if (vp->pcur >= vp->prows)
		vp->pcur = vp->prows > 0 ? vp->prows - 1 : 0;
	view_page_widths(vp);
	sb_free(&sb);
	free(row);
	arena_free(&arena);
	return 0;
}

void
view_page_profiles_reload(struct view *v)
{
	struct view_page *vp = v->data;
	struct store_txn *txn;
	char		*cause = NULL;
	int		 rc;

	if ((txn = tui_read_begin(v->tui)) == NULL)
		return;
	rc = view_page_load_profiles(vp, txn, &cause);
	tui_read_end(v->tui, txn, rc, cause);
}

static int
view_page_numeric(enum field_type t)
{
	return t == FT_INT || t == FT_FLOAT;
}

void
view_page_draw_profiles(struct view_page *vp, struct tui_rect r)
{
	int	 nf = vp->schema->nfields, i, f, x, cw;
	char	 a[32], b[32], c[32], cut[256];
	enum field_type t;

	x = r.x;
	vp->plast = vp->pcol;
	for (f = vp->pcol; f < nf && x < r.x + r.w; f++) {
		cw = vp->pwidth[f] < r.x + r.w - x ? vp->pwidth[f] :
		    r.x + r.w - x;
		if (view_page_numeric(vp->schema->fields[f].type))
			draw_text_right(r.y, x, cw, draw_cut(
			    vp->schema->fields[f].name, cw, cut, sizeof cut),
			    DR_HEADER);
		else
			draw_text_pad(r.y, x, cw, draw_cut(
			    vp->schema->fields[f].name, cw, cut, sizeof cut),
			    DR_HEADER);
		vp->plast = f;
		x += vp->pwidth[f] + 1;
	}
	for (i = 0; i < vp->prows; i++) {
		enum draw_role role = i == vp->pcur ? DR_CURSOR : DR_NORMAL;

		draw_fill(r.y + 1 + i, r.x, r.w, role);
		x = r.x;
		for (f = vp->pcol; f < nf && x < r.x + r.w; f++) {
			cw = vp->pwidth[f] < r.x + r.w - x ? vp->pwidth[f] :
			    r.x + r.w - x;
			t = vp->schema->fields[f].type;
			draw_cut(vp->cells[i * nf + f], cw, cut, sizeof cut);
			if (view_page_numeric(t))
				draw_text_right(r.y + 1 + i, x, cw, cut, role);
			else
				draw_text_pad(r.y + 1 + i, x, cw, cut, role);
			x += vp->pwidth[f] + 1;
		}
	}
	if (vp->prows == 0)
		draw_text(r.y + 1, r.x + 1, r.w - 1, vp->seg->last_run_id == 0 ?
		    _("No profiles yet: the segment has not been updated.") :
		    _("No profiles."), DR_NORMAL);
	draw_printf(r.y + r.h - 1, r.x, r.w, DR_STATUS,
	    _("%s-%s of %s   columns %d-%d of %d   /: find a key"),
	    draw_count(vp->prows > 0 ? vp->ptop + 1 : 0, a, sizeof a),
	    draw_count(vp->ptop + (uint64_t)vp->prows, b, sizeof b),
	    draw_count(roaring_bitmap_get_cardinality(vp->members), c,
	    sizeof c), nf > 0 ? vp->pcol + 1 : 0, nf > 0 ? vp->plast + 1 : 0,
	    nf);
}

static void
view_page_find_answer(struct tui *tui, void *arg, const char *text)
{
	struct view	 *v = arg;
	struct view_page *vp = v->data;
	struct store_txn *txn;
	char		*cause = NULL;
	uint32_t	 pno;
	int		 rc;

	if (text == NULL || *text == '\0' || vp->seg == NULL)
		return;
	if ((txn = tui_read_begin(tui)) == NULL)
		return;
	rc = pdb_lookup(txn, vp->schema, text, strlen(text), &pno, &cause);
	/* 1 (no such key) is an answer, not an error. */
	if (tui_read_end(tui, txn, rc < 0 ? -1 : 0, cause) != 0)
		return;
	if (rc == 1) {
		tui_status(tui, _("There is no profile '%s' in database '%s'."),
		    text, vp->seg->db);
		return;
	}
	if (!roaring_bitmap_contains(vp->members, pno)) {
		tui_status(tui, _("Profile '%s' is not a member of '%s'."), text,
		    vp->name);
		return;
	}
	vp->ptop = roaring_bitmap_rank(vp->members, pno) - 1;
	vp->pcur = 0;
	view_page_profiles_reload(v);
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

int
view_page_key_profiles(struct view *v, enum action act)
{
	struct view_page *vp = v->data;
	uint64_t	 n = roaring_bitmap_get_cardinality(vp->members);
	int		 h = vp->rect.h - 7, nf = vp->schema->nfields;
	uint64_t	 old = vp->ptop;

	if (h < 1)
		h = 1;
	switch (act) {
	case ACT_UP:
		if (vp->pcur > 0)
			vp->pcur--;
		else if (vp->ptop > 0)
			vp->ptop--;
		break;
	case ACT_DOWN:
		if (vp->pcur + 1 < vp->prows)
			vp->pcur++;
		else if (vp->ptop + (uint64_t)h < n)
			vp->ptop++;
		break;
	case ACT_PAGE_UP:
		vp->ptop = vp->ptop > (uint64_t)h ? vp->ptop - (uint64_t)h : 0;
		break;
	case ACT_PAGE_DOWN:
		if (vp->ptop + (uint64_t)h < n)
			vp->ptop += (uint64_t)h;
		break;
	case ACT_HOME:
		vp->ptop = 0;
		vp->pcur = 0;
		break;
	case ACT_END:
		vp->ptop = n > (uint64_t)h ? n - (uint64_t)h : 0;
		vp->pcur = h - 1;
		break;
	case ACT_LEFT:
		if (vp->pcol > 0)
			vp->pcol--;
		return VIEW_REDRAW;
	case ACT_RIGHT:
		if (vp->pcol + 1 < nf)
			vp->pcol++;
		return VIEW_REDRAW;
	case ACT_FILTER:
		tui_prompt(v->tui, _("Find the profile with key:"), "",
		    view_page_find_answer, v);
		return VIEW_HANDLED;
	default:
		return VIEW_IGNORED;
	}
	if (vp->ptop != old || vp->cells == NULL)
		view_page_profiles_reload(v);
	return VIEW_REDRAW;
}

const char *
view_page_selected_key(const struct view_page *vp)
{
	if (vp->schema == NULL || vp->cells == NULL || vp->pcur < 0 ||
	    vp->pcur >= vp->prows)
		return NULL;
	return vp->cells[vp->pcur * (int)vp->schema->nfields +
	    vp->schema->key_field];
}
