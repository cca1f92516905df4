/*
 * The segment page (SPEC 6.3).  A summary (automatic update, counts) on
 * top, then one block at a time, switched with Tab: Overview
 * (schedule and conditions), Profiles, History (chart), Log and
 * Dependents.  80x24 leaves no room to stack them all.
 *
 * The view holds a snapshot: the segment, its log, its dependents, the
 * chart slots and the visible page of profiles.  Keys change positions
 * and reload what they need; draw() only reads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "access.h"
#include "chart.h"
#include "cond.h"
#include "draw.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "segment.h"
#include "segops.h"
#include "timeutil.h"
#include "tui.h"
#include "tz.h"
#include "util.h"
#include "view.h"
#include "view_actions.h"

enum view_page_tab {
	PAGE_OVERVIEW,
	PAGE_PROFILES,
	PAGE_HISTORY,
	PAGE_LOG,
	PAGE_DEPENDENTS,
	PAGE_NTABS
};

static const char *const view_page_tabs[PAGE_NTABS] = {
	N_("Overview"), N_("Profiles"), N_("History"), N_("Log"),
	N_("Dependents")
};

struct view_page {
	char		*name;
	struct segment	*seg;
	int64_t		 next;		/* next run, 0: none */
	char		*script;	/* cond_print, or NULL */
	struct pdb_schema *schema;
	roaring_bitmap_t *members;
	struct run_record *runs;
	size_t		 nruns;
	char		**users;	/* dependents */
	size_t		 nusers;
	enum view_page_tab tab;
	struct tui_rect	 rect;

	/* Profiles: the visible rows, as text. */
	uint64_t	 ptop;		/* rank of the first visible member */
	int		 pcur;		/* cursor within the page */
	int		 pcol;		/* first visible field (scroll) */
	char		**cells;	/* prows x nfields */
	int		 prows;
	int		*pwidth;	/* column widths (content and type) */
	int		 plast;		/* last field drawn (footer) */

	/* Log. */
	int		 ltop;

	/* Chart. */
	enum chart_period period;
	enum hist_group	 group;
	int32_t		 from, to;	/* local days */
	struct chart_slot *slots;
	size_t		 nslots;
	int		 ccur;		/* cursor slot */
};

static const enum action view_page_actions[] = {
	ACT_NEXT_FIELD, ACT_PREV_FIELD, ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT,
	ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END, ACT_FILTER,
	ACT_SEG_RECALC, ACT_SEG_TOGGLE, ACT_SEG_RECONFIGURE,
	ACT_SEG_EDIT, ACT_COND_DELETE, ACT_SEG_ANALYTICS, ACT_CHART_PERIOD,
	ACT_CHART_CUSTOM, ACT_CHART_GROUP, ACT_SEG_COPY_DB, ACT_SEG_COPY,
	ACT_SEG_EXPORT, ACT_SEG_UPDATE, ACT_SEG_SCENARIO,
	ACT_SEG_EXPORT_HISTORY, ACT_NONE
};

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

static void
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

static void
view_page_clear(struct view_page *vp)
{
	view_page_free_cells(vp);
	seg_free(vp->seg);
	vp->seg = NULL;
	free(vp->script);
	vp->script = NULL;
	schema_free(vp->schema);
	vp->schema = NULL;
	if (vp->members != NULL)
		roaring_bitmap_free(vp->members);
	vp->members = NULL;
	run_records_free(vp->runs, vp->nruns);
	vp->runs = NULL;
	vp->nruns = 0;
	objects_names_free(vp->users, vp->nusers);
	vp->users = NULL;
	vp->nusers = 0;
	free(vp->slots);
	vp->slots = NULL;
	vp->nslots = 0;
}

/* The page's rows of profiles: decoded only for what is visible. */
static int
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

static int
view_page_load_chart(struct view_page *vp, struct store_txn *txn,
    char **cause)
{
	struct hist_point *pts = NULL, *before = NULL;
	size_t		 n = 0, nb = 0;
	struct tz	*tz;
	const char	*zone = vp->seg->has_sched ? vp->seg->sched.tz : NULL;
	int64_t		 from, to;
	uint64_t	 start_total = 0;
	int32_t		 today;
	size_t		 last;

	if ((tz = tz_open(zone, cause)) == NULL)
		return -1;
	today = tz_local_date(tz, tu_now());
	if (vp->period != CHART_CUSTOM)
		chart_period_range(vp->period, today, &vp->from, &vp->to);
	from = tz_local_to_utc(tz, vp->from, 0);
	to = tz_local_to_utc(tz, vp->to + 1, 0) - 1;
	tz_close(tz);
	if (seg_history(txn, vp->seg->id, HIST_RUN, 0, from - 1, zone, &before,
	    &nb, cause) != 0)
		return -1;
	if (nb > 0)
		start_total = before[nb - 1].total;
	free(before);
	if (seg_history(txn, vp->seg->id, vp->group, from, to, zone, &pts, &n,
	    cause) != 0)
		return -1;
	free(vp->slots);
	vp->nslots = chart_bucket(pts, n, vp->group, vp->from, vp->to,
	    start_total, &vp->slots);
	free(pts);
	last = chart_mark_future(vp->slots, vp->nslots, today);
	if (vp->ccur < 0 || (size_t)vp->ccur >= vp->nslots)
		vp->ccur = (int)last;
	return 0;
}

static int
view_page_load(struct view *v, char **cause)
{
	struct view_page *vp = v->data;
	struct store_txn *txn;
	char		*ignore = NULL;
	int		 rc = -1;

	view_page_clear(vp);
	if (store_read_begin(v->tui->store, &txn, cause) != 0)
		return -1;
	if (seg_get(txn, vp->name, &vp->seg, cause) != 0)
		goto out;
	if (access_check(vp->seg, cause) != 0) {
		seg_free(vp->seg);
		vp->seg = NULL;
		goto out;
	}
	if (pdb_open(txn, vp->seg->db, &vp->schema, cause) != 0)
		goto out;
	if (seg_members(txn, vp->seg->id, &vp->members, cause) != 0)
		goto out;
	if (seg_runs(txn, vp->seg->id, &vp->runs, &vp->nruns, cause) != 0)
		goto out;
	if (objects_segment_users(txn, vp->seg->id, &vp->users, &vp->nusers,
	    cause) != 0)
		goto out;
	if (vp->seg->cond != NULL)
		vp->script = cond_print(vp->seg->cond);
	if (seg_next_run(vp->seg, tu_now(), &vp->next, &ignore) != 0)
		vp->next = 0;
	free(ignore);
	if (view_page_load_profiles(vp, txn, cause) != 0)
		goto out;
	if (view_page_load_chart(vp, txn, cause) != 0)
		goto out;
	rc = 0;
out:
	store_read_end(txn);
	v->dirty = 1;
	return rc;
}

/* Reloads after a change; a failure (segment gone) closes the page. */
static void
view_page_reload(struct view *v)
{
	char	*cause = NULL;

	if (view_page_load(v, &cause) != 0) {
		tui_error(v->tui, cause);
		view_page_clear(v->data);
	}
	tui_dirty(v->tui, TUI_DIRTY_VIEW);
}

static int
view_page_open(struct view *v, char **cause)
{
	return view_page_load(v, cause);
}

static void
view_page_close(struct view *v)
{
	struct view_page *vp = v->data;

	view_page_clear(vp);
	free(vp->name);
	free(vp);
}

static void
view_page_profiles_reload(struct view *v)
{
	struct view_page *vp = v->data;
	struct store_txn *txn;
	char		*cause = NULL;

	if (store_read_begin(v->tui->store, &txn, &cause) != 0) {
		tui_error(v->tui, cause);
		return;
	}
	if (view_page_load_profiles(vp, txn, &cause) != 0)
		tui_error(v->tui, cause);
	store_read_end(txn);
}

static void
view_page_resize(struct view *v, struct tui_rect r)
{
	struct view_page *vp = v->data;

	vp->rect = r;
	if (vp->seg != NULL && vp->schema != NULL)
		view_page_profiles_reload(v);
}

struct view *
view_page_new(struct tui *tui, const char *name, int chart)
{
	struct view_page *vp;

	vp = xcalloc(1, sizeof *vp);
	vp->name = xstrdup(name);
	vp->tab = chart ? PAGE_HISTORY : PAGE_OVERVIEW;
	vp->period = CHART_30_DAYS;
	vp->group = HIST_DAY;
	vp->ccur = -1;
	vp->rect = tui_body_rect(tui);
	return view_new(tui, &view_page_ops, vp);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */

static const char *
view_page_state(struct tui *tui, const struct segment *s, enum draw_role *r)
{
	if (seg_is_updating(s) || (tui->run.active &&
	    strcmp(tui->run.segment, s->name) == 0)) {
		*r = DR_WARN;
		return _("Updating");
	}
	if (s->kind == SEG_STATIC) {
		*r = DR_NORMAL;
		return _("static");
	}
	if (seg_stale(s, tu_now(), NULL)) {
		*r = DR_ERROR;
		return _("Stale: a scheduled run has not happened");
	}
	if (s->state == SEG_ACTIVE && seg_sched_ended(s, tu_now())) {
		*r = DR_DISABLED;
		return _("Ended: the schedule has no more runs");
	}
	*r = s->state == SEG_ACTIVE ? DR_GOOD : DR_WARN;
	return s->state == SEG_ACTIVE ? _("Active") : _("Stopped");
}

static int
view_page_draw_summary(struct view *v, struct tui_rect r)
{
	struct view_page *vp = v->data;
	struct segment	*s = vp->seg;
	enum draw_role	 role;
	const char	*st, *why = NULL;
	char		 a[32], t1[32], t2[32], *sched = NULL;
	int		 x;

	x = draw_text(r.y, r.x, r.w, _("Database: "), DR_HEADER);
	x += draw_text(r.y, r.x + x, r.w - x, s->db, DR_NORMAL);
	x += draw_text(r.y, r.x + x, r.w - x, _("   Profiles: "), DR_HEADER);
	x += draw_text(r.y, r.x + x, r.w - x,
	    draw_count(s->nmembers, a, sizeof a), DR_NORMAL);
	x += draw_text(r.y, r.x + x, r.w - x, _("   State: "), DR_HEADER);
	st = view_page_state(v->tui, s, &role);
	draw_text(r.y, r.x + x, r.w - x, st, role);

	if (s->has_sched)
		sched = sched_format(&s->sched);
	x = draw_text(r.y + 1, r.x, r.w, _("Schedule: "), DR_HEADER);
	draw_text(r.y + 1, r.x + x, r.w - x, sched != NULL ? sched :
	    (s->kind == SEG_STATIC ? _("none (static segment)") :
	    _("none (manual recalculation only)")), DR_NORMAL);
	free(sched);
	x = draw_text(r.y + 2, r.x, r.w, _("Last run: "), DR_HEADER);
	x += draw_text(r.y + 2, r.x + x, r.w - x, s->last_run_id == 0 ?
	    _("never") : draw_time(s->last_run_at, t1, sizeof t1), DR_NORMAL);
	x += draw_text(r.y + 2, r.x + x, r.w - x, _("   Next run: "),
	    DR_HEADER);
	draw_text(r.y + 2, r.x + x, r.w - x, vp->next == 0 ? _("none") :
	    draw_time(vp->next, t2, sizeof t2), DR_NORMAL);
	if (s->kind == SEG_SCHEDULED &&
	    !view_actions_enabled(v->tui, ACT_SEG_RECALC, s, &why))
		draw_printf(r.y + 3, r.x, r.w, DR_DISABLED,
		    _("Manual recalculation is unavailable: %s"), _(why));
	else if (s->kind == SEG_SCHEDULED)
		draw_text(r.y + 3, r.x, r.w, _("r: recalculate now   s: "
		    "stop/start   S: reconfigure   e: edit"), DR_DISABLED);
	return 4;
}

static void
view_page_draw_tabs(struct view_page *vp, int y, int x, int w)
{
	int	 i, used = 0;

	for (i = 0; i < PAGE_NTABS && used < w; i++) {
		used += draw_text(y, x + used, w - used, " ", DR_NORMAL);
		used += draw_text(y, x + used, w - used, _(view_page_tabs[i]),
		    i == (int)vp->tab ? DR_CURSOR : DR_HEADER);
	}
	draw_fill(y, x + used, w - used, DR_NORMAL);
}

static void
view_page_draw_overview(struct view_page *vp, struct tui_rect r)
{
	struct segment	*s = vp->seg;
	char		 rb[SEG_RANGE_BUF], buf[64];
	const char	*p, *e;
	int		 y = r.y, x;

	x = draw_text(y, r.x, r.w, _("Range: "), DR_HEADER);
	x += draw_text(y, r.x + x, r.w - x, seg_format_range(s->range_lo,
	    s->range_hi, rb), DR_NORMAL);
	x += draw_text(y, r.x + x, r.w - x, "%   ", DR_NORMAL);
	x += draw_text(y, r.x + x, r.w - x, _("Limit: "), DR_HEADER);
	if (s->limit < 0)
		draw_text(y, r.x + x, r.w - x, _("none"), DR_NORMAL);
	else
		draw_text(y, r.x + x, r.w - x, draw_count((uint64_t)s->limit,
		    buf, sizeof buf), DR_NORMAL);
	y++;
	if (s->ntags > 0) {
		struct strbuf sb = STRBUF_INIT;
		size_t i;

		for (i = 0; i < s->ntags; i++) {
			if (i > 0)
				sb_puts(&sb, ", ");
			sb_puts(&sb, s->tags[i]);
		}
		x = draw_text(y, r.x, r.w, _("Tags: "), DR_HEADER);
		draw_text(y, r.x + x, r.w - x, sb.buf, DR_NORMAL);
		sb_free(&sb);
		y++;
	}
	draw_rule(y++, r.x, r.w, _("Conditions (e: edit, D: delete)"), 0);
	if (s->kind == SEG_STATIC) {
		draw_text(y, r.x + 1, r.w - 1, _("A static segment has no "
		    "conditions: it is filled by hand or by copying."),
		    DR_NORMAL);
		return;
	}
	if (vp->script == NULL || *vp->script == '\0') {
		draw_text(y, r.x + 1, r.w - 1, _("No conditions: every profile "
		    "of the database."), DR_NORMAL);
		return;
	}
	for (p = vp->script; *p != '\0' && y < r.y + r.h; p = e) {
		char	*line;

		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		line = xstrndup(p, (size_t)(e - p));
		y += draw_wrapped(y, r.x + 1, r.w - 1, r.y + r.h, 4, line,
		    DR_NORMAL);
		free(line);
		if (*e == '\n')
			e++;
	}
}

static int
view_page_numeric(enum field_type t)
{
	return t == FT_INT || t == FT_FLOAT;
}

static void
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

/*
 * The bars: in Braille (htop) each character holds two slots with four
 * levels per row; with block elements or ASCII one slot per character
 * with eight levels.  The window ends at the cursor when it would not
 * fit; the cursor's character is drawn highlighted.
 */
static void
view_page_draw_bars(struct view_page *vp, enum chart_style style, int y0,
    int x0, int h, int w)
{
	uint64_t	 max = chart_max(vp->slots, vp->nslots);
	int		 per = style == CHART_BRAILLE ? 2 : 1, first, i, row, k;
	int		 lvl[2];
	char		 buf[8];

	first = 0;
	if ((int)vp->nslots > w * per) {
		first = vp->ccur - w * per + 1 > 0 ? vp->ccur - w * per + 1 : 0;
		first -= first % per;
	}
	for (row = 0; row < h; row++) {
		int y = y0 + (h - 1 - row);

		for (i = 0; i < w && first + i * per < (int)vp->nslots; i++) {
			int s0 = first + i * per, cur;
			enum draw_role role;
			const char *g;

			cur = vp->ccur >= s0 && vp->ccur < s0 + per;
			role = cur ? DR_CHART_CURSOR : DR_CHART;
			for (k = 0; k < per; k++)
				lvl[k] = s0 + k >= (int)vp->nslots ? 0 :
				    style == CHART_BRAILLE ?
				    chart_quarters(vp->slots[s0 + k].total, max,
				    h, row) :
				    chart_cell(vp->slots[s0 + k].total, max,
				    h, row);
			if (style == CHART_BRAILLE)
				g = lvl[0] == 0 && lvl[1] == 0 ? " " :
				    chart_braille(lvl[0], lvl[1], buf);
			else
				g = chart_glyph(lvl[0], style == CHART_BLOCKS);
			if (cur && strcmp(g, " ") == 0) {
				g = style == CHART_ASCII ? "|" : "\xe2\x94\x82";
				role = DR_DISABLED;
			}
			draw_text(y, x0 + i, 1, g, role);
		}
	}
}

static void
view_page_draw_history(struct tui *tui, struct view_page *vp,
    struct tui_rect r)
{
	const struct chart_slot *c;
	char		 d1[TU_DATE_BUF], d2[TU_DATE_BUF], a[32], b[32];
	int		 h, w, lw = 9;
	char		 lab[32];

	draw_printf(r.y, r.x, r.w, DR_HEADER,
	    _("Period: %s (%s .. %s)   grouped by %s   p/P: period  g: group"),
	    _(chart_period_label(vp->period)), tu_format_date(vp->from, d1),
	    tu_format_date(vp->to, d2), _(chart_group_label(vp->group)));
	h = r.h - 4;
	w = r.w - lw - 1;
	if (h < 2 || w < 4 || vp->nslots == 0)
		return;
	draw_text_right(r.y + 1, r.x, lw, draw_count(chart_max(vp->slots,
	    vp->nslots), lab, sizeof lab), DR_DISABLED);
	draw_text_right(r.y + h, r.x, lw, "0", DR_DISABLED);
	view_page_draw_bars(vp, chart_style_pick(tui->utf8,
	    getenv("RESEG_CHART")), r.y + 1, r.x + lw + 1, h, w);
	c = &vp->slots[vp->ccur];
	if (c->future) {
		draw_printf(r.y + h + 1, r.x, r.w, DR_DISABLED,
		    _("%s: still ahead"), tu_format_date(c->day, d1));
		return;
	}
	draw_printf(r.y + h + 1, r.x, r.w, DR_NORMAL,
	    ngettext_("%s: total %s, %u run", "%s: total %s, %u runs",
	    c->nruns), tu_format_date(c->day, d1),
	    draw_count(c->total, a, sizeof a), c->nruns);
	draw_printf(r.y + h + 2, r.x, r.w, DR_NORMAL,
	    _("automatically +%s -%s   manually +%s -%s"),
	    draw_count(c->added_auto, a, sizeof a),
	    draw_count(c->removed_auto, b, sizeof b),
	    draw_count(c->added_manual, lab, sizeof lab),
	    draw_count(c->removed_manual, d2, sizeof d2));
}

/*
 * One row of the log table.  Cells are placed by display width (draw_*),
 * not printf widths, so translated headers and UTF-8 names line up.
 */
static void
view_page_log_row(int y, struct tui_rect r, const char *const cell[7],
    enum draw_role role)
{
	static const int width[6] = { 16, 5, 9, 10, 8, 8 };
	int	 i, x = r.x, w;

	draw_fill(y, r.x, r.w, role);
	for (i = 0; i < 7 && x < r.x + r.w; i++) {
		w = i < 6 ? width[i] : r.x + r.w - x;
		if (x + w > r.x + r.w)
			w = r.x + r.w - x;
		if (i == 4 || i == 5)
			draw_text_right(y, x, w, cell[i], role);
		else
			draw_text(y, x, w, cell[i], role);
		x += w + 1;
	}
}

static void
view_page_draw_log(struct view_page *vp, struct tui_rect r)
{
	struct run_record *run;
	char		 t1[32], t2[32], a[32], b[32];
	const char	*cell[7];
	int		 i, y = r.y, idx;
	enum draw_role	 role;

	cell[0] = _("Start");
	cell[1] = _("End");
	cell[2] = _("Type");
	cell[3] = _("Initiator");
	cell[4] = _("Added");
	cell[5] = _("Removed");
	cell[6] = _("Status");
	view_page_log_row(y++, r, cell, DR_HEADER);
	if (vp->nruns == 0) {
		draw_text(y, r.x + 1, r.w - 1, _("No runs yet."), DR_NORMAL);
		return;
	}
	/* Newest first. */
	for (i = vp->ltop; i < (int)vp->nruns && y < r.y + r.h; i++) {
		idx = (int)vp->nruns - 1 - i;
		run = &vp->runs[idx];
		draw_time(run->started_at, t1, sizeof t1);
		draw_time(run->ended_at, t2, sizeof t2);
		role = run->status == RUN_ERROR ? DR_ERROR :
		    run->status == RUN_IN_PROGRESS ? DR_WARN : DR_NORMAL;
		cell[0] = t1;
		cell[1] = run->ended_at != 0 ? t2 + 11 : "";
		cell[2] = _(run_type_name(run->type));
		cell[3] = run->initiator != NULL ? run->initiator : "";
		cell[4] = draw_count(run->added, a, sizeof a);
		cell[5] = draw_count(run->removed, b, sizeof b);
		cell[6] = _(run_status_name(run->status));
		view_page_log_row(y++, r, cell, role);
		if (run->status == RUN_ERROR && run->error != NULL &&
		    y < r.y + r.h)
			draw_printf(y++, r.x, r.w, DR_ERROR, "    %s",
			    run->error);
	}
}

static void
view_page_draw_dependents(struct view_page *vp, struct tui_rect r)
{
	size_t	 i;

	if (vp->nusers == 0) {
		draw_text(r.y, r.x + 1, r.w - 1, _("No mailings, scenarios or "
		    "loyalty programs use this segment."), DR_NORMAL);
		return;
	}
	for (i = 0; i < vp->nusers && (int)i < r.h; i++)
		draw_text(r.y + (int)i, r.x + 1, r.w - 1, vp->users[i],
		    DR_NORMAL);
}

static void
view_page_draw(struct view *v, struct tui_rect r)
{
	struct view_page *vp = v->data;
	struct tui_rect	 b;
	int		 n;

	if (vp->seg == NULL) {
		draw_text(r.y + 1, r.x + 1, r.w - 1, _("This segment is gone."),
		    DR_ERROR);
		return;
	}
	n = view_page_draw_summary(v, r);
	view_page_draw_tabs(vp, r.y + n, r.x, r.w);
	b.y = r.y + n + 1;
	b.x = r.x;
	b.w = r.w;
	b.h = r.h - n - 1;
	switch (vp->tab) {
	case PAGE_OVERVIEW:
		view_page_draw_overview(vp, b);
		break;
	case PAGE_PROFILES:
		view_page_draw_profiles(vp, b);
		break;
	case PAGE_HISTORY:
		view_page_draw_history(v->tui, vp, b);
		break;
	case PAGE_LOG:
		view_page_draw_log(vp, b);
		break;
	case PAGE_DEPENDENTS:
		view_page_draw_dependents(vp, b);
		break;
	default:
		break;
	}
}

static void
view_page_title(struct view *v, char *buf, size_t len)
{
	struct view_page *vp = v->data;

	snprintf(buf, len, _("Segment: %s"), vp->name);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

static void
view_page_chart_reload(struct view *v)
{
	struct view_page *vp = v->data;
	struct store_txn *txn;
	char		*cause = NULL;

	if (store_read_begin(v->tui->store, &txn, &cause) != 0) {
		tui_error(v->tui, cause);
		return;
	}
	vp->ccur = -1;
	if (view_page_load_chart(vp, txn, &cause) != 0)
		tui_error(v->tui, cause);
	store_read_end(txn);
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
	if (store_read_begin(tui->store, &txn, &cause) != 0) {
		tui_error(tui, cause);
		return;
	}
	rc = pdb_lookup(txn, vp->schema, text, strlen(text), &pno, &cause);
	store_read_end(txn);
	if (rc < 0) {
		tui_error(tui, cause);
		return;
	}
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

static void
view_page_custom_answer(struct tui *tui, void *arg, const char *text)
{
	struct view	 *v = arg;
	struct view_page *vp = v->data;
	int32_t		 a, b;

	if (text == NULL)
		return;
	if (strlen(text) != 21 || text[10] != ' ' ||
	    tu_parse_date(text, 10, &a) != 0 ||
	    tu_parse_date(text + 11, 10, &b) != 0 || b < a) {
		tui_status(tui, _("Write the period as 'YYYY-MM-DD YYYY-MM-DD' "
		    "(from, to), not '%s'."), text);
		return;
	}
	vp->period = CHART_CUSTOM;
	vp->from = a;
	vp->to = b;
	view_page_chart_reload(v);
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

static void
view_page_cond_delete_answer(struct tui *tui, void *arg, int yes)
{
	struct view	 *v = arg;
	struct view_page *vp = v->data;
	struct segment	*def;
	char		*cause = NULL;

	if (!yes || vp->seg == NULL)
		return;
	def = seg_clone(vp->seg);
	cond_free(def->cond);
	def->cond = NULL;
	if (seg_update(tui->store, vp->name, def, &cause) != 0)
		tui_error(tui, cause);
	else
		tui_status(tui, _("The conditions of '%s' were deleted."),
		    vp->name);
	seg_free(def);
	view_page_reload(v);
}

static int
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

static int
view_page_key_history(struct view *v, enum action act)
{
	struct view_page *vp = v->data;
	int		 n = (int)vp->nslots;

	switch (act) {
	case ACT_LEFT:
		if (vp->ccur > 0)
			vp->ccur--;
		return VIEW_REDRAW;
	case ACT_RIGHT:
		if (vp->ccur + 1 < n)
			vp->ccur++;
		return VIEW_REDRAW;
	case ACT_HOME:
		vp->ccur = 0;
		return VIEW_REDRAW;
	case ACT_END:
		vp->ccur = n > 0 ? n - 1 : 0;
		return VIEW_REDRAW;
	case ACT_CHART_PERIOD:
		vp->period = (vp->period + 1) % CHART_CUSTOM;
		view_page_chart_reload(v);
		return VIEW_REDRAW;
	case ACT_CHART_GROUP:
		vp->group = vp->group >= HIST_YEAR ? HIST_DAY : vp->group + 1;
		view_page_chart_reload(v);
		return VIEW_REDRAW;
	case ACT_CHART_CUSTOM:
		tui_prompt(v->tui, _("Period (YYYY-MM-DD YYYY-MM-DD):"), "",
		    view_page_custom_answer, v);
		return VIEW_HANDLED;
	default:
		return VIEW_IGNORED;
	}
}

static int
view_page_key(struct view *v, enum action act, int key, int is_keycode)
{
	struct view_page *vp = v->data;
	int		 r;

	if (vp->seg == NULL)
		return VIEW_IGNORED;
	switch (act) {
	case ACT_NEXT_FIELD:
		vp->tab = (vp->tab + 1) % PAGE_NTABS;
		return VIEW_REDRAW;
	case ACT_PREV_FIELD:
		vp->tab = (vp->tab + PAGE_NTABS - 1) % PAGE_NTABS;
		return VIEW_REDRAW;
	case ACT_SEG_ANALYTICS:
		vp->tab = PAGE_HISTORY;
		return VIEW_REDRAW;
	case ACT_SEG_CANCEL:
		/* No run to cancel: ^C leaves the page (tui.c). */
		if (!v->tui->run.active)
			return VIEW_IGNORED;
		tui_recalc_cancel(v->tui);
		return VIEW_HANDLED;
	case ACT_COND_DELETE:
		if (vp->seg->kind == SEG_STATIC || vp->seg->cond == NULL) {
			tui_status(v->tui, "%s", _("There are no conditions to "
			    "delete."));
			return VIEW_HANDLED;
		}
		tui_confirm(v->tui, view_page_cond_delete_answer, v,
		    _("Delete the conditions of '%s'? It will then keep every "
		    "profile of '%s'."), vp->name, vp->seg->db);
		return VIEW_HANDLED;
	default:
		break;
	}
	if (vp->tab == PAGE_PROFILES &&
	    (r = view_page_key_profiles(v, act)) != VIEW_IGNORED)
		return r;
	if (vp->tab == PAGE_HISTORY &&
	    (r = view_page_key_history(v, act)) != VIEW_IGNORED)
		return r;
	if (vp->tab == PAGE_LOG) {
		if (act == ACT_UP && vp->ltop > 0) {
			vp->ltop--;
			return VIEW_REDRAW;
		}
		if (act == ACT_DOWN && vp->ltop + 1 < (int)vp->nruns) {
			vp->ltop++;
			return VIEW_REDRAW;
		}
	}
	if (view_actions_run(v->tui, act, vp->seg))
		return VIEW_HANDLED;
	return VIEW_IGNORED;
}

/*
 * Whether the stored segment differs from the snapshot in anything a
 * run, an edit or a stop/start changes: one record read, where a full
 * reload reads the members, the log and the history (see ChangeLog for
 * the cost with 1,000,000 members).
 */
static int
view_page_changed(struct view *v)
{
	struct view_page *vp = v->data;
	struct store_txn *txn;
	struct segment	*s = NULL;
	char		*cause = NULL;
	int		 changed = 1;

	if (store_read_begin(v->tui->store, &txn, &cause) != 0) {
		free(cause);
		return 1;
	}
	if (seg_get(txn, vp->name, &s, &cause) == 0)
		changed = s->id != vp->seg->id ||
		    s->run_seq != vp->seg->run_seq ||
		    s->last_run_id != vp->seg->last_run_id ||
		    s->running_run_id != vp->seg->running_run_id ||
		    s->nmembers != vp->seg->nmembers ||
		    s->state != vp->seg->state ||
		    s->updated_at != vp->seg->updated_at;
	else
		free(cause);
	store_read_end(txn);
	seg_free(s);
	return changed;
}

static void
view_page_tick(struct view *v)
{
	struct view_page *vp = v->data;
	char		*ignore = NULL;
	int64_t		 next = 0;

	if (view_page_changed(v)) {
		view_page_reload(v);
		return;
	}
	/* Only the next run moves with the clock. */
	if (seg_next_run(vp->seg, tu_now(), &next, &ignore) != 0)
		next = 0;
	free(ignore);
	if (next != vp->next) {
		vp->next = next;
		v->dirty = 1;
	}
}

static void
view_page_notify(struct view *v, const struct tui_event *ev)
{
	struct view_page *vp = v->data;

	switch (ev->type) {
	case TUI_EV_RUN_FINISHED:
	case TUI_EV_STORE_CHANGED:
		view_page_reload(v);
		break;
	case TUI_EV_RUN_STARTED:
		v->dirty = 1;
		break;
	case TUI_EV_TICK:
		/* Runs made elsewhere show up within a second. */
		if (vp->seg != NULL)
			view_page_tick(v);
		break;
	default:
		break;
	}
}

static int
view_page_enabled(struct view *v, enum action act, const char **why)
{
	struct view_page *vp = v->data;

	if (vp->seg == NULL)
		return 0;
	return view_actions_enabled(v->tui, act, vp->seg, why);
}

const struct view_ops view_page_ops = {
	.name = "segment",
	.title = N_("Segment"),
	.actions = view_page_actions,
	.open = view_page_open,
	.close = view_page_close,
	.resize = view_page_resize,
	.draw = view_page_draw,
	.key = view_page_key,
	.notify = view_page_notify,
	.title_text = view_page_title,
	.enabled = view_page_enabled,
};
