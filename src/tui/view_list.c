/*
 * The segments list (README, "The terminal UI"): one row per segment the
 * user may see, filtered by name or tag, with the row actions.  The view
 * keeps a snapshot of the segments (reloaded on open, after every change
 * and once a second so a scheduler elsewhere shows up); draw() reads
 * only the snapshot.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "access.h"
#include "draw.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "util.h"
#include "view.h"
#include "view_actions.h"

struct view_list {
	struct segment	**segs;		/* the snapshot, sorted by name */
	size_t		 nsegs;
	int64_t		*next;		/* next run per segment, 0: none */
	const char	**state;	/* state column per segment */
	enum draw_role	*srole;		/* and how it is drawn */
	size_t		*rows;		/* indexes into segs after the filter */
	size_t		 nrows;
	char		*filter;	/* NULL or "" shows all */
	int		 cur, top;
	int		 height;	/* rows of the table */
	char		*keep;		/* name to keep the cursor on */
	size_t		 ndbs;		/* profile databases in the store */
};

static const enum action view_list_actions[] = {
	ACT_ENTER, ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME,
	ACT_END, ACT_FILTER, ACT_FIND_NEXT, ACT_FIND_PREV, ACT_SEG_CREATE, ACT_SEG_EDIT, ACT_SEG_CLONE,
	ACT_SEG_DELETE, ACT_SEG_RECALC, ACT_SEG_ANALYTICS, ACT_SEG_COPY,
	ACT_SEG_COPY_DB, ACT_SEG_UPDATE, ACT_SEG_EXPORT,
	ACT_SEG_EXPORT_HISTORY, ACT_SEG_SCENARIO, ACT_SEG_TOGGLE,
	ACT_SEG_RECONFIGURE, ACT_SEG_ADD_PROFILES, ACT_SEG_REMOVE_PROFILES,
	ACT_NONE
};

/* Whether a segment matches the filter: name or any tag, ignoring case. */
static int
view_list_match(const struct segment *s, const char *f)
{
	size_t	 i;

	if (f == NULL || *f == '\0')
		return 1;
	if (draw_casestr(s->name, f))
		return 1;
	for (i = 0; i < s->ntags; i++)
		if (draw_casestr(s->tags[i], f))
			return 1;
	return 0;
}

static void
view_list_refilter(struct view_list *vl)
{
	size_t	 i;

	vl->nrows = 0;
	for (i = 0; i < vl->nsegs; i++)
		if (view_list_match(vl->segs[i], vl->filter))
			vl->rows[vl->nrows++] = i;
	if (vl->keep != NULL) {
		for (i = 0; i < vl->nrows; i++)
			if (strcmp(vl->segs[vl->rows[i]]->name, vl->keep) == 0)
				vl->cur = (int)i;
		free(vl->keep);
		vl->keep = NULL;
	}
	if (vl->cur >= (int)vl->nrows)
		vl->cur = vl->nrows > 0 ? (int)vl->nrows - 1 : 0;
}

static struct segment *
view_list_current(struct view_list *vl)
{
	if (vl->nrows == 0)
		return NULL;
	return vl->segs[vl->rows[vl->cur]];
}

static void
view_list_clear(struct view_list *vl)
{
	seg_list_free(vl->segs, vl->nsegs);
	vl->segs = NULL;
	vl->nsegs = 0;
	free(vl->next);
	free(vl->state);
	free(vl->srole);
	free(vl->rows);
	vl->next = NULL;
	vl->state = NULL;
	vl->srole = NULL;
	vl->rows = NULL;
	vl->nrows = 0;
}

/* The state column: Updating wins over Stale, Stale over Stopped, Ended,
 * Manual (no schedule) and Active. */
static const char *
view_list_state(const struct segment *s, int64_t now, enum draw_role *role)
{
	if (s->damaged != NULL) {
		/* Its record cannot be read (reseg check says more). */
		*role = DR_ERROR;
		return _("Damaged");
	}
	if (seg_is_updating(s)) {
		*role = DR_WARN;
		return _("Updating");
	}
	if (s->kind == SEG_STATIC) {
		*role = DR_NORMAL;
		return "";
	}
	if (seg_stale(s, now, NULL)) {
		/* A run the schedule promised has not happened. */
		*role = DR_ERROR;
		return _("Stale");
	}
	if (s->state == SEG_STOPPED) {
		*role = DR_WARN;
		return _("Stopped");
	}
	if (seg_sched_ended(s, now)) {
		/* Past its "once" or "until": no run will come. */
		*role = DR_DISABLED;
		return _("Ended");
	}
	if (!s->has_sched) {
		/* Nothing runs it but a manual recalculation. */
		*role = DR_NORMAL;
		return _("Manual");
	}
	*role = DR_GOOD;
	return _("Active");
}

static int
view_list_load(struct view *v, char **cause)
{
	struct view_list *vl = v->data;
	struct store_txn *txn;
	struct segment	*cur;
	int64_t		 now = tu_now();
	size_t		 i;
	char		*ignore = NULL;

	if (v->tui->focus != NULL) {
		/* A segment just created or cloned: the cursor goes to it. */
		free(vl->keep);
		vl->keep = v->tui->focus;
		v->tui->focus = NULL;
	} else if ((cur = view_list_current(vl)) != NULL && vl->keep == NULL)
		vl->keep = xstrdup(cur->name);
	view_list_clear(vl);
	if (store_read_begin(v->tui->store, &txn, cause) != 0)
		return -1;
	if (seg_list_all(txn, &vl->segs, &vl->nsegs, cause) != 0) {
		store_read_end(txn);
		return -1;
	}
	if (vl->nsegs == 0) {
		struct pdb_schema **dbs = NULL;

		/* An empty store: say how to get profiles first. */
		vl->ndbs = 0;
		if (pdb_list(txn, &dbs, &vl->ndbs, &ignore) == 0) {
			for (i = 0; i < vl->ndbs; i++)
				schema_free(dbs[i]);
			free(dbs);
		}
		free(ignore);
		ignore = NULL;
	}
	store_read_end(txn);
	access_filter(vl->segs, &vl->nsegs);
	vl->next = xcalloc(vl->nsegs + 1, sizeof *vl->next);
	vl->state = xcalloc(vl->nsegs + 1, sizeof *vl->state);
	vl->srole = xcalloc(vl->nsegs + 1, sizeof *vl->srole);
	vl->rows = xcalloc(vl->nsegs + 1, sizeof *vl->rows);
	/* Worked out here, not on every redraw: the snapshot is reloaded
	 * each second anyway. */
	for (i = 0; i < vl->nsegs; i++) {
		vl->state[i] = view_list_state(vl->segs[i], now,
		    &vl->srole[i]);
		if (seg_next_run(vl->segs[i], now, &vl->next[i], &ignore) != 0)
			vl->next[i] = 0;
		free(ignore);
		ignore = NULL;
	}
	view_list_refilter(vl);
	v->dirty = 1;
	return 0;
}

static int
view_list_open(struct view *v, char **cause)
{
	v->data = xcalloc(1, sizeof(struct view_list));
	return view_list_load(v, cause);
}

static void
view_list_close(struct view *v)
{
	struct view_list *vl = v->data;

	if (vl == NULL)
		return;
	view_list_clear(vl);
	free(vl->filter);
	free(vl->keep);
	free(vl);
}

static void
view_list_resize(struct view *v, struct tui_rect r)
{
	struct view_list *vl = v->data;

	vl->height = r.h - 2;
	if (vl->height < 1)
		vl->height = 1;
}

/*
 * A segment's last or next run: relative within a week ("in 3 h"),
 * else in its zone, without the year on narrow screens (tui_time_rel).
 */
static const char *
view_list_time(struct tui *tui, const struct segment *s, int64_t t,
    int narrow, char *buf, size_t len)
{
	if (s->damaged != NULL)
		return "";
	return tui_time_rel(tui, t, s->has_sched ? s->sched.tz : NULL, narrow,
	    buf, len);
}

static const char *
view_list_last(struct tui *tui, const struct segment *s, int narrow,
    char *buf, size_t len)
{
	if (s->damaged == NULL && s->last_run_id == 0)
		return _("never");
	return view_list_time(tui, s, s->last_run_at, narrow, buf, len);
}

struct view_list_cols {
	int	 name, kind, db, state, count, last, next, tags;
	int	 db_short;	/* the database header is the short "DB" */
};

#define VIEW_LIST_REST_MIN	15	/* name and tags together, at least */
#define VIEW_LIST_DB_MAX	16	/* longer database names are cut */

static int
view_list_max(int a, int b)
{
	return a > b ? a : b;
}

/* "sched." below 120 columns, where every column counts. */
static const char *
view_list_kind(enum seg_kind kind, int wide)
{
	if (kind == SEG_STATIC)
		return _("static");
	return wide ? _("scheduled") : _("sched.");
}

/*
 * Column widths from the headers and the values of every segment (not
 * only those on screen, so scrolling does not move columns): a header is
 * never cut (the database column falls back to "DB" when the names need
 * the room), the name column gets the longest name when the screen
 * allows, the tags take the rest.  Narrower still, whole columns go
 * (kind, last run, next run) instead of the screen edge cutting the
 * profile count, which would show 908 as 90.
 */
static void
view_list_layout(struct tui *tui, struct view_list *vl, int w,
    struct view_list_cols *c)
{
	char		 buf[64];
	int		 wide = w >= 120, wname, wdb = 0, tmin, rest, shortw;
	size_t		 i;

	memset(c, 0, sizeof *c);
	wname = draw_width(_("Name"));
	c->kind = view_list_max(draw_width(_("Kind")), view_list_max(
	    draw_width(view_list_kind(SEG_STATIC, wide)),
	    draw_width(view_list_kind(SEG_SCHEDULED, wide))));
	c->state = draw_width(_("State"));
	c->count = draw_width(_("Profiles"));
	c->last = draw_width(_("Last run"));
	c->next = draw_width(_("Next run"));
	for (i = 0; i < vl->nsegs; i++) {
		struct segment *s = vl->segs[i];

		c->last = view_list_max(c->last, draw_width(view_list_last(tui,
		    s, !wide, buf, sizeof buf)));
		c->next = view_list_max(c->next, draw_width(view_list_time(tui,
		    s, vl->next[i], !wide, buf, sizeof buf)));
		wname = view_list_max(wname, draw_width(s->name));
		wdb = view_list_max(wdb, draw_width(s->db));
		c->state = view_list_max(c->state, draw_width(vl->state[i]));
		c->count = view_list_max(c->count,
		    draw_width(draw_count(s->nmembers, buf, sizeof buf)));
	}
	tmin = draw_width(_("Tags"));
	c->db = view_list_max(draw_width(_("Database")),
	    wdb < VIEW_LIST_DB_MAX ? wdb : VIEW_LIST_DB_MAX);
	rest = w - (c->kind + c->db + c->state + c->count + c->last +
	    c->next) - 7;
	shortw = view_list_max(draw_width(_("DB")),
	    wdb < VIEW_LIST_DB_MAX ? wdb : VIEW_LIST_DB_MAX);
	if (rest < wname + tmin && shortw < c->db) {
		rest += c->db - shortw;
		c->db = shortw;
		c->db_short = 1;
	}
	if (rest < VIEW_LIST_REST_MIN) {
		rest += c->kind + 1;
		c->kind = 0;
	}
	if (rest < VIEW_LIST_REST_MIN) {
		rest += c->last + 1;
		c->last = 0;
	}
	if (rest < VIEW_LIST_REST_MIN) {
		rest += c->next + 1;
		c->next = 0;
	}
	if (rest < VIEW_LIST_REST_MIN)
		rest = VIEW_LIST_REST_MIN;
	c->name = wname < rest - tmin ? wname : rest - tmin;
	c->tags = rest - c->name;
}

/* One cell and the blank after it; nothing for a column left out. */
static int
view_list_cell(int y, int x, int w, const char *s, enum draw_role role,
    int right)
{
	if (w <= 0)
		return 0;
	return (right ? draw_text_right(y, x, w, s, role) :
	    draw_text_pad(y, x, w, s, role)) + 1;
}

static void
view_list_draw(struct view *v, struct tui_rect r)
{
	struct view_list	*vl = v->data;
	struct view_list_cols	 c;
	struct segment		*s;
	struct strbuf		 tags = STRBUF_INIT;
	enum draw_role		 role;
	char			 buf[64], cut[256];
	int			 i, x, y, narrow = r.w < 120;
	size_t			 k;

	view_list_layout(v->tui, vl, r.w, &c);
	y = r.y;
	x = r.x;
	x += view_list_cell(y, x, c.name, _("Name"), DR_HEADER, 0);
	x += view_list_cell(y, x, c.kind, _("Kind"), DR_HEADER, 0);
	x += view_list_cell(y, x, c.db, c.db_short ? _("DB") :
	    _("Database"), DR_HEADER, 0);
	x += view_list_cell(y, x, c.state, _("State"), DR_HEADER, 0);
	x += view_list_cell(y, x, c.count, _("Profiles"), DR_HEADER, 1);
	x += view_list_cell(y, x, c.last, _("Last run"), DR_HEADER, 0);
	x += view_list_cell(y, x, c.next, _("Next run"), DR_HEADER, 0);
	draw_text_pad(y, x, r.w - x, _("Tags"), DR_HEADER);

	if (vl->cur < vl->top)
		vl->top = vl->cur;
	if (vl->cur >= vl->top + vl->height)
		vl->top = vl->cur - vl->height + 1;
	for (i = 0; i < vl->height && (size_t)(vl->top + i) < vl->nrows; i++) {
		k = vl->rows[vl->top + i];
		s = vl->segs[k];
		role = vl->top + i == vl->cur ? DR_CURSOR : DR_NORMAL;
		y = r.y + 1 + i;
		draw_fill(y, r.x, r.w, role);
		x = r.x;
		x += draw_text_pad(y, x, c.name, draw_cut(s->name, c.name,
		    cut, sizeof cut), role) + 1;
		x += view_list_cell(y, x, c.kind, s->damaged != NULL ? "" :
		    view_list_kind(s->kind, !narrow), role, 0);
		x += view_list_cell(y, x, c.db, draw_cut(s->db, c.db, cut,
		    sizeof cut), role, 0);
		x += draw_text_pad(y, x, c.state, vl->state[k],
		    role == DR_CURSOR ? role : vl->srole[k]) + 1;
		x += view_list_cell(y, x, c.count, s->damaged != NULL ? "" :
		    draw_count(s->nmembers, buf, sizeof buf), role, 1);
		x += view_list_cell(y, x, c.last, view_list_last(v->tui, s,
		    narrow, buf, sizeof buf), role, 0);
		x += view_list_cell(y, x, c.next, view_list_time(v->tui, s,
		    vl->next[k], narrow, buf, sizeof buf), role, 0);
		sb_reset(&tags);
		for (size_t t = 0; t < s->ntags; t++) {
			if (t > 0)
				sb_putc(&tags, ',');
			sb_puts(&tags, s->tags[t]);
		}
		draw_text_pad(y, x, r.w - x, draw_cut(tags.buf != NULL ?
		    tags.buf : "", r.w - x, cut, sizeof cut), role);
	}
	sb_free(&tags);
	y = r.y + r.h - 1;
	if (vl->nsegs == 0 && vl->ndbs == 0)
		draw_wrapped(r.y + 2, r.x + 2, r.w - 4, y, 0, _("No profile "
		    "databases yet: a segment needs one.  Create one with "
		    "'reseg db create NAME --fields SPEC' and fill it with "
		    "'reseg db import NAME FILE', or try 'reseg demo'; then "
		    "press i here."), DR_NORMAL);
	else if (vl->nsegs == 0)
		draw_text(r.y + 2, r.x + 2, r.w - 4, _("No segments yet: "
		    "press i to create one, or run 'reseg demo'."), DR_NORMAL);
	if (vl->filter != NULL && *vl->filter != '\0')
		draw_printf(y, r.x, r.w, DR_STATUS,
		    _("Filter: %s  (%s of %s; / to change)"), vl->filter,
		    draw_count(vl->nrows, buf, sizeof buf),
		    draw_count(vl->nsegs, cut, sizeof cut));
	else
		draw_printf(y, r.x, r.w, DR_STATUS, ngettext_("%s segment",
		    "%s segments", vl->nsegs), draw_count(vl->nsegs, buf,
		    sizeof buf));
}

/* ------------------------------------------------------------------ */
/* Row actions                                                          */
/* ------------------------------------------------------------------ */

static void
view_list_filter_changed(struct tui *tui, void *arg, const char *text)
{
	struct view	 *v = arg;
	struct view_list *vl = v->data;

	free(vl->filter);
	vl->filter = xstrdup(text != NULL ? text : "");
	vl->cur = vl->top = 0;
	view_list_refilter(vl);
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

static void
view_list_filter_done(struct tui *tui, void *arg, const char *text)
{
	struct view	 *v = arg;
	struct view_list *vl = v->data;

	/* Esc drops the filter; Enter keeps it. */
	if (text == NULL) {
		free(vl->filter);
		vl->filter = NULL;
		view_list_refilter(vl);
	}
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

static int
view_list_key(struct view *v, enum action act, int key, int is_keycode)
{
	struct view_list *vl = v->data;
	struct segment	*s = view_list_current(vl);
	int		 n = (int)vl->nrows;

	switch (act) {
	case ACT_UP:
		if (vl->cur > 0)
			vl->cur--;
		return VIEW_REDRAW;
	case ACT_DOWN:
		if (vl->cur + 1 < n)
			vl->cur++;
		return VIEW_REDRAW;
	case ACT_PAGE_UP:
		vl->cur -= vl->height;
		if (vl->cur < 0)
			vl->cur = 0;
		return VIEW_REDRAW;
	case ACT_PAGE_DOWN:
		vl->cur += vl->height;
		if (vl->cur >= n)
			vl->cur = n > 0 ? n - 1 : 0;
		return VIEW_REDRAW;
	case ACT_HOME:
		vl->cur = 0;
		return VIEW_REDRAW;
	case ACT_END:
		vl->cur = n > 0 ? n - 1 : 0;
		return VIEW_REDRAW;
	case ACT_FILTER:
		tui_prompt_live(v->tui, _("Filter (name or tag):"),
		    vl->filter, view_list_filter_changed,
		    view_list_filter_done, v);
		return VIEW_HANDLED;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		/* Every row left matches the filter: the next one, around. */
		if (vl->filter == NULL || *vl->filter == '\0') {
			tui_status(v->tui, "%s", _("No filter: press / to "
			    "filter by name or tag."));
			return VIEW_HANDLED;
		}
		if (n > 0)
			vl->cur = (vl->cur + (act == ACT_FIND_NEXT ? 1 : n - 1))
			    % n;
		return VIEW_REDRAW;
	case ACT_SEG_CREATE:
		view_actions_create(v->tui);
		return VIEW_HANDLED;
	case ACT_BACK:
		if (vl->filter != NULL && *vl->filter != '\0') {
			free(vl->filter);
			vl->filter = NULL;
			view_list_refilter(vl);
			return VIEW_REDRAW;
		}
		return VIEW_IGNORED;
	default:
		break;
	}
	if (s == NULL)
		return act == ACT_NONE ? VIEW_IGNORED :
		    (act == ACT_QUIT || act == ACT_HELP || act == ACT_QUIT_ALL ||
		    act == ACT_REDRAW || act == ACT_BACK ||
		    act == ACT_SEG_CANCEL) ? VIEW_IGNORED :
		    VIEW_HANDLED;
	switch (act) {
	case ACT_ENTER:
		tui_push_view(v->tui, view_page_new(v->tui, s->name, 0));
		return VIEW_HANDLED;
	case ACT_SEG_ANALYTICS:
		tui_push_view(v->tui, view_page_new(v->tui, s->name, 1));
		return VIEW_HANDLED;
	case ACT_SEG_DELETE:
		view_actions_delete(v->tui, s, 0);
		return VIEW_HANDLED;
	default:
		if (view_actions_run(v->tui, act, s))
			return VIEW_HANDLED;
		return VIEW_IGNORED;
	}
}

/* A click on a row selects it; a double click opens it, as Enter. */
static int
view_list_click(struct view *v, int y, int x, int dbl)
{
	struct view_list *vl = v->data;
	struct tui_rect	 r = tui_body_rect(v->tui);
	int		 i = y - r.y - 1;

	if (x < r.x || x >= r.x + r.w || i < 0 || i >= vl->height ||
	    vl->top + i >= (int)vl->nrows)
		return VIEW_IGNORED;
	vl->cur = vl->top + i;
	if (dbl)
		return view_list_key(v, ACT_ENTER, 0, 0) | VIEW_REDRAW;
	return VIEW_REDRAW;
}

static void
view_list_notify(struct view *v, const struct tui_event *ev)
{
	char	*cause = NULL;

	switch (ev->type) {
	case TUI_EV_RUN_STARTED:
	case TUI_EV_RUN_FINISHED:
	case TUI_EV_STORE_CHANGED:
	case TUI_EV_TICK:
		if (view_list_load(v, &cause) != 0)
			tui_error(v->tui, cause);
		break;
	default:
		break;
	}
}

static int
view_list_enabled(struct view *v, enum action act, const char **why)
{
	struct view_list *vl = v->data;
	struct segment	*s = view_list_current(vl);

	if (act == ACT_SEG_CREATE || act == ACT_HELP || act == ACT_QUIT_ALL)
		return 1;
	if (s == NULL) {
		*why = N_("There is no segment on this line.");
		return 0;
	}
	return view_actions_enabled(v->tui, act, s, why);
}

const struct view_ops view_list_ops = {
	.name = "segments",
	.title = N_("Segments"),
	.actions = view_list_actions,
	.open = view_list_open,
	.close = view_list_close,
	.resize = view_list_resize,
	.draw = view_list_draw,
	.key = view_list_key,
	.notify = view_list_notify,
	.enabled = view_list_enabled,
	.click = view_list_click,
};
