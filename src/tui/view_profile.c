/*
 * One profile (Enter on a row of a segment page's Profiles block): all
 * its fields, formatted as `db export` and `events list` write them,
 * every segment it is a member of (those the user may see) and its most
 * recent events when the database has any.  A read-only list of lines with
 * a cursor, so the keys of every list work: movement, `/` with n/N, Esc
 * or q back.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "draw.h"
#include "evdb.h"
#include "events.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "util.h"
#include "view.h"

#define VIEW_PROFILE_EVENTS	20	/* the most recent events shown */

struct view_profile_line {
	char		*left;		/* NULL: a heading (right is its label) */
	char		*right;
};

struct view_profile {
	char		*db, *key;
	struct view_profile_line *lines;
	size_t		 n, cap;
	int		 lw;		/* width of the left column */
	int		 cur, top, height;
	char		*find;
};

static const enum action view_profile_actions[] = {
	ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END,
	ACT_FILTER, ACT_FIND_NEXT, ACT_FIND_PREV, ACT_NONE
};

/* Takes left and right. */
static void
view_profile_add(struct view_profile *vp, char *left, char *right)
{
	if (vp->n == vp->cap) {
		vp->cap = vp->cap > 0 ? vp->cap * 2 : 32;
		vp->lines = xreallocarray(vp->lines, vp->cap,
		    sizeof *vp->lines);
	}
	vp->lines[vp->n].left = left;
	vp->lines[vp->n].right = right;
	vp->n++;
	if (left != NULL && draw_width(left) > vp->lw)
		vp->lw = draw_width(left);
}

static int
view_profile_fields(struct view_profile *vp, struct store_txn *txn,
    const struct pdb_schema *sc, uint32_t pno, char **cause)
{
	struct arena	 arena = ARENA_INIT;
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*row;
	uint16_t	 f;

	row = xcalloc(sc->nfields + 1, sizeof *row);
	if (pdb_get_row(txn, sc, pno, row, &arena, cause) != 0) {
		free(row);
		arena_free(&arena);
		return -1;
	}
	view_profile_add(vp, NULL, xstrdup(_("Fields")));
	for (f = 0; f < sc->nfields; f++) {
		sb_reset(&sb);
		value_format_text(sc->fields[f].type, &row[f], &sb);
		view_profile_add(vp, xstrdup(sc->fields[f].name),
		    xstrdup(sb.buf != NULL ? sb.buf : ""));
	}
	sb_free(&sb);
	free(row);
	arena_free(&arena);
	return 0;
}

static int
view_profile_events(struct view_profile *vp, struct store_txn *txn,
    const struct pdb_schema *sc, char **cause)
{
	struct events_filter	 f;
	struct events_list	 l;
	struct evdb_chunk_info	*dir = NULL;
	size_t			 ndir = 0;
	struct strbuf		 sb = STRBUF_INIT;
	char			 buf[32];
	size_t			 i;
	uint16_t		 k;

	/* A database that never had events shows no Events block. */
	if (evdb_chunks(txn, sc, &dir, &ndir, cause) != 0)
		return -1;
	free(dir);
	if (ndir == 0)
		return 0;
	memset(&f, 0, sizeof f);
	f.key = vp->key;
	f.from = INT64_MIN;
	f.to = INT64_MAX;
	f.limit = VIEW_PROFILE_EVENTS;
	if (events_list(txn, sc->name, &f, &l, cause) != 0) {
		events_list_free(&l);
		return -1;
	}
	view_profile_add(vp, NULL, xstrdup(l.n == 0 ? _("Events: none") :
	    l.n == VIEW_PROFILE_EVENTS ? _("Recent events (newest first)") :
	    _("Events (newest first)")));
	for (i = 0; i < l.n; i++) {
		sb_reset(&sb);
		sb_puts(&sb, l.items[i].name);
		for (k = 0; k < l.schema->nevent_fields; k++) {
			if (!l.items[i].props[k].present)
				continue;
			sb_printf(&sb, " %s=", l.schema->event_fields[k].name);
			value_format_text(l.schema->event_fields[k].type,
			    &l.items[i].props[k], &sb);
		}
		view_profile_add(vp, xstrdup(tu_format_datetime(l.items[i].time,
		    buf)), sb_detach(&sb));
	}
	sb_free(&sb);
	events_list_free(&l);
	return 0;
}

static int
view_profile_segments(struct view_profile *vp, struct store_txn *txn,
    uint32_t pno, char **cause)
{
	struct segment	**segs;
	size_t		 n, i;

	if (seg_with_member(txn, vp->db, pno, &segs, &n, cause) != 0)
		return -1;
	access_filter(segs, &n);
	view_profile_add(vp, NULL, n == 0 ? xstrdup(_("Segments: none")) :
	    xasprintf(_("Segments (%zu)"), n));
	for (i = 0; i < n; i++)
		view_profile_add(vp, xstrdup(segs[i]->name), xstrdup(
		    segs[i]->kind == SEG_STATIC ? _("static") :
		    _("scheduled")));
	seg_list_free(segs, n);
	return 0;
}

static int
view_profile_open(struct view *v, char **cause)
{
	struct view_profile *vp = v->data;
	struct store_txn *txn;
	struct pdb_schema *sc = NULL;
	uint32_t	 pno;
	int		 rc = -1, r;

	if (store_read_begin(v->tui->store, &txn, cause) != 0)
		return -1;
	if (pdb_open(txn, vp->db, &sc, cause) != 0)
		goto out;
	r = pdb_lookup(txn, sc, vp->key, strlen(vp->key), &pno, cause);
	if (r == 1)
		error_set(cause, _("There is no profile '%s' in database "
		    "'%s'."), vp->key, vp->db);
	if (r != 0)
		goto out;
	/* The segments before the events: a few lines, often all that is
	 * looked for. */
	if (view_profile_fields(vp, txn, sc, pno, cause) != 0 ||
	    view_profile_segments(vp, txn, pno, cause) != 0 ||
	    view_profile_events(vp, txn, sc, cause) != 0)
		goto out;
	/* The cursor starts on the first field, below its heading. */
	vp->cur = vp->n > 1 ? 1 : 0;
	rc = 0;
out:
	schema_free(sc);
	store_read_end(txn);
	return rc;
}

static void
view_profile_close(struct view *v)
{
	struct view_profile *vp = v->data;
	size_t		 i;

	for (i = 0; i < vp->n; i++) {
		free(vp->lines[i].left);
		free(vp->lines[i].right);
	}
	free(vp->lines);
	free(vp->db);
	free(vp->key);
	free(vp->find);
	free(vp);
}

static void
view_profile_resize(struct view *v, struct tui_rect r)
{
	struct view_profile *vp = v->data;

	vp->height = r.h - 1;
	if (vp->height < 1)
		vp->height = 1;
}

static void
view_profile_draw(struct view *v, struct tui_rect r)
{
	struct view_profile *vp = v->data;
	struct view_profile_line *l;
	enum draw_role	 role;
	char		 cut[512];
	int		 i, y, lw = vp->lw < r.w / 2 ? vp->lw : r.w / 2;

	if (vp->cur < vp->top)
		vp->top = vp->cur;
	if (vp->cur >= vp->top + vp->height)
		vp->top = vp->cur - vp->height + 1;
	for (i = 0; i < vp->height && (size_t)(vp->top + i) < vp->n; i++) {
		l = &vp->lines[vp->top + i];
		y = r.y + i;
		if (l->left == NULL) {
			draw_rule(y, r.x, r.w, l->right, vp->top + i == vp->cur);
			continue;
		}
		role = vp->top + i == vp->cur ? DR_CURSOR : DR_NORMAL;
		draw_fill(y, r.x, r.w, role);
		draw_text_pad(y, r.x + 1, lw, draw_cut(l->left, lw, cut,
		    sizeof cut), role == DR_CURSOR ? role : DR_HEADER);
		draw_text(y, r.x + lw + 3, r.w - lw - 3, draw_cut(l->right,
		    r.w - lw - 3, cut, sizeof cut), role);
	}
	draw_printf(r.y + r.h - 1, r.x, r.w, DR_STATUS,
	    _("Database: %s   line %d of %zu   /: search   Esc: back"), vp->db,
	    vp->cur + 1, vp->n);
}

/* Whether line i shows the search. */
static int
view_profile_match(void *arg, int i)
{
	const struct view_profile *vp = arg;
	const struct view_profile_line *l = &vp->lines[i];

	return (l->left != NULL && draw_casestr(l->left, vp->find)) ||
	    draw_casestr(l->right, vp->find);
}

/* The next (forward) or previous line showing the search, around. */
static void
view_profile_find(struct view *v, int forward, int skip)
{
	struct view_profile *vp = v->data;
	int		 i;

	if (vp->find == NULL || *vp->find == '\0') {
		tui_status(v->tui, "%s", _("No search: press / to search the "
		    "profile."));
		return;
	}
	if ((i = tui_find_around((int)vp->n, vp->cur, forward, skip,
	    view_profile_match, vp)) < 0) {
		tui_status(v->tui, _("Nothing in profile '%s' shows '%s'."),
		    vp->key, vp->find);
		return;
	}
	vp->cur = i;
	tui_dirty(v->tui, TUI_DIRTY_VIEW);
}

static void
view_profile_find_answer(struct tui *tui, void *arg, const char *text)
{
	struct view	    *v = arg;
	struct view_profile *vp = v->data;

	if (text == NULL || *text == '\0')
		return;
	free(vp->find);
	vp->find = xstrdup(text);
	view_profile_find(v, 1, 0);
	(void)tui;
}

static int
view_profile_key(struct view *v, enum action act, int key, int is_keycode)
{
	struct view_profile *vp = v->data;
	int		 n = (int)vp->n;

	switch (act) {
	case ACT_UP:
		vp->cur--;
		break;
	case ACT_DOWN:
		vp->cur++;
		break;
	case ACT_PAGE_UP:
		vp->cur -= vp->height;
		break;
	case ACT_PAGE_DOWN:
		vp->cur += vp->height;
		break;
	case ACT_HOME:
		vp->cur = 0;
		break;
	case ACT_END:
		vp->cur = n - 1;
		break;
	case ACT_FILTER:
		tui_prompt(v->tui, _("Search the profile:"), vp->find,
		    view_profile_find_answer, v);
		return VIEW_HANDLED;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		view_profile_find(v, act == ACT_FIND_NEXT, 1);
		return VIEW_HANDLED | VIEW_REDRAW;
	default:
		return VIEW_IGNORED;
	}
	if (vp->cur >= n)
		vp->cur = n - 1;
	if (vp->cur < 0)
		vp->cur = 0;
	(void)key;
	(void)is_keycode;
	return VIEW_REDRAW;
}

/* A click on a line selects it. */
static int
view_profile_click(struct view *v, int y, int x, int dbl)
{
	struct view_profile *vp = v->data;
	struct tui_rect	 r = tui_body_rect(v->tui);
	int		 i = y - r.y;

	(void)dbl;
	if (x < r.x || x >= r.x + r.w || i < 0 || i >= vp->height ||
	    vp->top + i >= (int)vp->n)
		return VIEW_IGNORED;
	vp->cur = vp->top + i;
	return VIEW_REDRAW;
}

static void
view_profile_title(struct view *v, char *buf, size_t len)
{
	struct view_profile *vp = v->data;

	snprintf(buf, len, _("Profile: %s"), vp->key);
}

static const struct view_ops view_profile_ops = {
	.name = "profile",
	.title = N_("Profile"),
	.actions = view_profile_actions,
	.open = view_profile_open,
	.close = view_profile_close,
	.resize = view_profile_resize,
	.draw = view_profile_draw,
	.key = view_profile_key,
	.title_text = view_profile_title,
	.click = view_profile_click,
};

struct view *
view_profile_new(struct tui *tui, const char *db, const char *key)
{
	struct view_profile *vp;

	vp = xcalloc(1, sizeof *vp);
	vp->db = xstrdup(db);
	vp->key = xstrdup(key);
	return view_new(tui, &view_profile_ops, vp);
}
