/*
 * The Profiles block of the segment page: the members in rank order or
 * sorted by a column (the engine sorts: pdb_sort_members), one
 * screenful decoded at a time, column widths capped by field type,
 * horizontal scrolling over the fields and a search over every field's
 * value with next and previous match (pdb_match_members, once a search).
 */
#include "config.h"

#include <stdio.h>
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

/* A column's header: its name, and an arrow on the one sorted by. */
static void
view_page_head(const struct view_page *vp, int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", vp->schema->fields[f].name,
	    f != vp->sort ? "" : vp->sort_desc ? (vp->utf8 ? "\u25bc" : "v") :
	    (vp->utf8 ? "\u25b2" : "^"));
}

/* Column widths from the header and the visible rows, capped by type. */
static void
view_page_widths(struct view_page *vp)
{
	int	 nf = vp->schema->nfields, f, i, w, max;

	vp->pwidth = xcalloc((size_t)nf + 1, sizeof *vp->pwidth);
	for (f = 0; f < nf; f++) {
		max = view_page_type_max(vp->schema->fields[f].type);
		w = draw_width(vp->schema->fields[f].name) +
		    (f == vp->sort ? 1 : 0);
		for (i = 0; i < vp->prows; i++)
			if (draw_width(vp->cells[i * nf + f]) > w)
				w = draw_width(vp->cells[i * nf + f]);
		vp->pwidth[f] = w > max ? max : (w < 1 ? 1 : w);
	}
}

/*
 * Reads a list of field names (commas or blanks between them) into
 * cols; unknown names are skipped (quiet) or refused (*cause set).
 * An empty list is every field.
 */
static int
view_page_parse_cols(const struct pdb_schema *sc, const char *text,
    int *cols, int *ncols, int quiet, char **cause)
{
	char	*copy = xstrdup(text), *w, *save = NULL;
	int	 f, i, n = 0;

	for (w = strtok_r(copy, ", \t", &save); w != NULL;
	    w = strtok_r(NULL, ", \t", &save)) {
		if ((f = schema_field_index(sc, w)) < 0) {
			if (quiet)
				continue;
			error_set(cause, _("Database '%s' has no field '%s'."),
			    sc->name, w);
			free(copy);
			return -1;
		}
		for (i = 0; i < n && cols[i] != f; i++)
			;
		if (i < n) {
			if (quiet)
				continue;
			error_set(cause, _("Field '%s' is listed twice."), w);
			free(copy);
			return -1;
		}
		cols[n++] = f;
	}
	free(copy);
	if (n == 0)
		for (f = 0; f < sc->nfields; f++)
			cols[n++] = f;
	*ncols = n;
	return 0;
}

/* The session's columns of the database, else all of them. */
static void
view_page_columns(struct view_page *vp)
{
	const char	*spec;
	char		*name;

	if (vp->cols != NULL)
		return;
	vp->cols = xcalloc((size_t)vp->schema->nfields + 1, sizeof *vp->cols);
	name = xasprintf("columns.%s", vp->schema->name);
	spec = tui_session_get(vp->tui, name);
	free(name);
	view_page_parse_cols(vp->schema, spec != NULL ? spec : "", vp->cols,
	    &vp->ncols, 1, NULL);
	if (vp->pcol >= vp->ncols)
		vp->pcol = vp->ncols > 0 ? vp->ncols - 1 : 0;
}

/*
 * The members in the order shown, made when first needed: sorted by the
 * chosen column, else in rank order (for the search).
 */
static int
view_page_order(struct view_page *vp, struct store_txn *txn, char **cause)
{
	if (vp->order != NULL)
		return 0;
	if (vp->sort >= 0)
		return pdb_sort_members(txn, vp->schema, vp->members,
		    (uint16_t)vp->sort, vp->sort_desc, &vp->order, &vp->norder,
		    cause);
	vp->norder = roaring_bitmap_get_cardinality(vp->members);
	vp->order = xcalloc(vp->norder + 1, sizeof *vp->order);
	roaring_bitmap_to_uint32_array(vp->members, vp->order);
	return 0;
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
	view_page_columns(vp);
	if (vp->sort >= 0 && view_page_order(vp, txn, cause) != 0)
		return -1;
	h = vp->rect.h - 7;
	if (h < 1)
		h = 1;
	if (vp->ptop >= n)
		vp->ptop = n > (uint64_t)h ? n - (uint64_t)h : 0;
	vp->cells = xcalloc((size_t)h * nf + 1, sizeof *vp->cells);
	row = xcalloc(nf, sizeof *row);
	for (i = 0; i < h && vp->ptop + (uint64_t)i < n; i++) {
		if (vp->order != NULL && vp->ptop + (uint64_t)i < vp->norder)
			pno = vp->order[vp->ptop + (uint64_t)i];
		else if (!roaring_bitmap_select(vp->members,
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
	int	 nf = vp->schema->nfields, i, k, f, x, cw;
	char	 a[32], b[32], c[32], cut[256], head[256];
	enum field_type t;

	x = r.x;
	vp->plast = vp->pcol;
	for (k = vp->pcol; k < vp->ncols && x < r.x + r.w; k++) {
		f = vp->cols[k];
		cw = vp->pwidth[f] < r.x + r.w - x ? vp->pwidth[f] :
		    r.x + r.w - x;
		view_page_head(vp, f, head, sizeof head);
		if (view_page_numeric(vp->schema->fields[f].type))
			draw_text_right(r.y, x, cw, draw_cut(head, cw, cut,
			    sizeof cut), DR_HEADER);
		else
			draw_text_pad(r.y, x, cw, draw_cut(head, cw, cut,
			    sizeof cut), DR_HEADER);
		vp->plast = k;
		x += vp->pwidth[f] + 1;
	}
	for (i = 0; i < vp->prows; i++) {
		enum draw_role role = i == vp->pcur ? DR_CURSOR : DR_NORMAL;

		draw_fill(r.y + 1 + i, r.x, r.w, role);
		x = r.x;
		for (k = vp->pcol; k < vp->ncols && x < r.x + r.w; k++) {
			f = vp->cols[k];
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
	    _("%s-%s of %s   columns %d-%d of %d   /: search"),
	    draw_count(vp->prows > 0 ? vp->ptop + 1 : 0, a, sizeof a),
	    draw_count(vp->ptop + (uint64_t)vp->prows, b, sizeof b),
	    draw_count(roaring_bitmap_get_cardinality(vp->members), c,
	    sizeof c), vp->ncols > 0 ? vp->pcol + 1 : 0,
	    vp->ncols > 0 ? vp->plast + 1 : 0, vp->ncols);
}

/* Whether s is all ASCII. */
static int
view_page_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * The search's test, run on every value of every member: an ASCII
 * search (most are) is compared byte by byte, ignoring ASCII case,
 * without the wide-char folding draw_casestr allocates for (the bytes
 * of other characters never equal ASCII ones).
 */
static int
view_page_match(void *arg, const char *text)
{
	const char	*needle = arg;

	if (view_page_ascii(needle))
		return ascii_casestr(text, strlen(text), needle,
		    strlen(needle));
	return draw_casestr(text, needle);
}

/* Moves to the next (forward) or previous match of the search. */
static void
view_page_find(struct view *v, int forward, int skip)
{
	struct view_page *vp = v->data;
	struct store_txn *txn;
	char		*cause = NULL;
	size_t		 cur = (size_t)vp->ptop + (size_t)vp->pcur, at = 0, n, k;
	int		 rc, h = vp->rect.h - 7;

	if (vp->find == NULL || *vp->find == '\0') {
		tui_status(v->tui, "%s", _("No search: press / to search the "
		    "profiles."));
		return;
	}
	if ((txn = tui_read_begin(v->tui)) == NULL)
		return;
	rc = view_page_order(vp, txn, &cause);
	/* The matching members once per search: n and N only walk. */
	if (rc == 0 && vp->matches == NULL)
		rc = pdb_match_members(txn, vp->schema, vp->members,
		    view_page_match, vp->find, &vp->matches, &cause);
	if (tui_read_end(v->tui, txn, rc, cause) != 0)
		return;
	n = vp->norder;
	rc = 1;
	for (k = skip ? 1 : 0; n > 0 && k < n + (skip ? 1 : 0); k++) {
		at = forward ? (cur + k) % n : (cur + n - k % n) % n;
		if (roaring_bitmap_contains(vp->matches, vp->order[at])) {
			rc = 0;
			break;
		}
	}
	if (rc != 0) {
		tui_status(v->tui, _("No profile of '%s' has a value with "
		    "'%s'."), vp->name, vp->find);
		return;
	}
	if (h < 1)
		h = 1;
	/* The match is shown on the page, the cursor on it. */
	if (at < vp->ptop || at >= vp->ptop + (uint64_t)h)
		vp->ptop = at;
	vp->pcur = (int)(at - vp->ptop);
	view_page_profiles_reload(v);
	tui_dirty(v->tui, TUI_DIRTY_VIEW);
}

static void
view_page_find_answer(struct tui *tui, void *arg, const char *text)
{
	struct view	 *v = arg;
	struct view_page *vp = v->data;

	if (text == NULL || *text == '\0' || vp->seg == NULL)
		return;
	free(vp->find);
	vp->find = xstrdup(text);
	if (vp->matches != NULL)
		roaring_bitmap_free(vp->matches);
	vp->matches = NULL;
	view_page_find(v, 1, 0);
	(void)tui;
}

/* Sort by the chosen column (index 0: none, the profile order). */
static void
view_page_sort_answer(struct tui *tui, void *arg, int index)
{
	struct view	 *v = arg;
	struct view_page *vp = v->data;

	if (index < 0 || vp->seg == NULL)
		return;
	vp->sort = index - 1;
	free(vp->order);
	vp->order = NULL;
	vp->ptop = 0;
	vp->pcur = 0;
	view_page_profiles_reload(v);
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

/* htop's < and >: a list of the columns, the one sorted by chosen. */
static void
view_page_sort_pick(struct view *v)
{
	struct view_page *vp = v->data;
	const char	**items;
	int		 nf = vp->schema->nfields, f;

	items = xcalloc((size_t)nf + 1, sizeof *items);
	items[0] = _("(none: profile order)");
	for (f = 0; f < nf; f++)
		items[f + 1] = vp->schema->fields[f].name;
	tui_choose(v->tui, _("Sort by"), items, (size_t)nf + 1, vp->sort + 1,
	    view_page_sort_answer, v);
	free(items);
}

static void
view_page_columns_answer(struct tui *tui, void *arg, const char *text)
{
	struct view	 *v = arg;
	struct view_page *vp = v->data;
	struct strbuf	 sb = STRBUF_INIT;
	char		*cause = NULL, *name;
	int		*cols, ncols, k;

	if (text == NULL || vp->seg == NULL || vp->schema == NULL)
		return;
	cols = xcalloc((size_t)vp->schema->nfields + 1, sizeof *cols);
	if (view_page_parse_cols(vp->schema, text, cols, &ncols, 0,
	    &cause) != 0) {
		free(cols);
		tui_prompt_again(tui, _("Columns (names in order; empty: "
		    "all):"), text, view_page_columns_answer, v, cause);
		return;
	}
	for (k = 0; k < ncols; k++)
		sb_printf(&sb, "%s%s", k > 0 ? "," : "",
		    vp->schema->fields[cols[k]].name);
	/* Kept for the database's pages until the UI quits. */
	name = xasprintf("columns.%s", vp->schema->name);
	tui_session_set(tui, name, sb.buf != NULL ? sb.buf : "");
	free(name);
	sb_free(&sb);
	free(vp->cols);
	vp->cols = cols;
	vp->ncols = ncols;
	vp->pcol = 0;
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

/* The columns as a list to edit: remove, add or move names. */
static void
view_page_columns_pick(struct view *v)
{
	struct view_page *vp = v->data;
	struct strbuf	 sb = STRBUF_INIT;
	int		 k;

	for (k = 0; k < vp->ncols; k++)
		sb_printf(&sb, "%s%s", k > 0 ? "," : "",
		    vp->schema->fields[vp->cols[k]].name);
	tui_prompt(v->tui, _("Columns (names in order; empty: all):"),
	    sb.buf != NULL ? sb.buf : "", view_page_columns_answer, v);
	sb_free(&sb);
}

int
view_page_key_profiles(struct view *v, enum action act)
{
	struct view_page *vp = v->data;
	uint64_t	 n = roaring_bitmap_get_cardinality(vp->members);
	int		 h = vp->rect.h - 7;
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
		if (vp->pcol + 1 < vp->ncols)
			vp->pcol++;
		return VIEW_REDRAW;
	case ACT_FILTER:
		tui_prompt(v->tui, _("Search (any field):"), vp->find,
		    view_page_find_answer, v);
		return VIEW_HANDLED;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		view_page_find(v, act == ACT_FIND_NEXT, 1);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_SORT:
		view_page_sort_pick(v);
		return VIEW_HANDLED;
	case ACT_COLUMNS:
		view_page_columns_pick(v);
		return VIEW_HANDLED;
	case ACT_ENTER:
		if (view_page_selected_key(vp) == NULL) {
			tui_status(v->tui, "%s", _("No profiles."));
			return VIEW_HANDLED;
		}
		tui_push_view(v->tui, view_profile_new(v->tui, vp->seg->db,
		    view_page_selected_key(vp)));
		return VIEW_HANDLED;
	case ACT_SORT_REVERSE:
		if (vp->sort < 0) {
			tui_status(v->tui, "%s", _("Not sorted: press < or > "
			    "to choose a column."));
			return VIEW_HANDLED;
		}
		vp->sort_desc = !vp->sort_desc;
		free(vp->order);
		vp->order = NULL;
		vp->ptop = 0;
		vp->pcur = 0;
		view_page_profiles_reload(v);
		return VIEW_REDRAW;
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
