/*
 * The redraw pass: the one place that paints.  The loop calls tui_redraw
 * once per pass when something is dirty; it paints the title line, the
 * top view's body, the status line (message, progress or the scheduler's
 * holder), the key bar, the help overlay and the modal into curses'
 * virtual screen, then places the caret and sends the changes with a
 * single doupdate().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "draw.h"
#include "i18n.h"
#include "store.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_loop.h"
#include "tz.h"
#include "util.h"

static void
tui_draw_title(struct tui *tui, struct view *v)
{
	char	 buf[256], cut[512];
	int	 pw = 0;

	draw_fill(0, 0, tui->cols, DR_TITLE);
	buf[0] = '\0';
	if (v != NULL && v->ops->title_text != NULL)
		v->ops->title_text(v, buf, sizeof buf);
	else if (v != NULL)
		snprintf(buf, sizeof buf, "%s", _(v->ops->title));
	draw_text(0, 0, tui->cols, " reseg ", DR_TITLE);
	if (tui->cols > 40) {
		pw = draw_width(store_path(tui->store));
		if (pw > 29)
			pw = 29;
		draw_text_right(0, tui->cols - 30, 29,
		    store_path(tui->store), DR_TITLE);
	}
	/* A long title ends in an ellipsis before the store's path. */
	draw_text(0, 7, tui->cols - 7 - (pw > 0 ? pw + 2 : 0),
	    draw_cut(buf, tui->cols - 7 - (pw > 0 ? pw + 2 : 0), cut,
	    sizeof cut), DR_TITLE);
}

static void
tui_draw_status(struct tui *tui)
{
	int	 y = tui->rows - 2, x;
	char	*label, *tail;

	if (tui->run.active) {
		label = xasprintf(tui->run.dry_run ? _("preview of %s") :
		    _("recalculating %s"), tui->run.segment);
		if (tui->status == NULL) {
			draw_progress(y, 0, tui->cols, tui->run.scanned,
			    tui->run.total, label);
			free(label);
			return;
		}
		/* A message (why r is refused now) first, then the run's
		 * percentage in what is left of the line. */
		x = draw_text(y, 0, tui->cols, tui->status,
		    tui->status_error ? DR_ERROR : DR_STATUS);
		tail = tui->run.total == 0 ? xasprintf("   %s", label) :
		    xasprintf("   %d%% %s", (int)(tui->run.scanned * 100 /
		    tui->run.total), label);
		draw_text_pad(y, x, tui->cols - x, tail, DR_STATUS);
		free(tail);
		free(label);
		return;
	}
	if (tui->status != NULL)
		draw_text_pad(y, 0, tui->cols, tui->status,
		    tui->status_error ? DR_ERROR : DR_STATUS);
	else if (tui->sched_state == TUI_SCHED_OTHER) {
		char	 t[TZ_TIME_BUF];

		/* Automatic runs happen elsewhere: say where. */
		draw_printf(y, 0, tui->cols, DR_STATUS,
		    _("Scheduler: process %ld (%s) since %s"),
		    (long)tui->holder.pid, tui->holder.login,
		    tui_time(tui, tui->holder.since, NULL, t, sizeof t));
	} else
		draw_fill(y, 0, tui->cols, DR_STATUS);
}

/*
 * The bottom key bar (htop, mc): "F1Help F4Edit ..." from the actions of
 * the view that have a function key, greyed when not enabled.
 */
static void
tui_draw_keybar(struct tui *tui, int y)
{
	struct view		*v = tui_top_view(tui);
	const enum action	*lists[2];
	const enum action	*p;
	const char		*fk, *why;
	int			 x = 0, i, on, lw, zw;
	char			 seen[32], zone[128];

	memset(seen, 0, sizeof seen);
	draw_fill(y, 0, tui->cols, DR_KEYLABEL);
	lists[0] = v != NULL ? v->ops->actions : NULL;
	lists[1] = actions_global;
	for (i = 0; i < 2; i++) {
		if (lists[i] == NULL)
			continue;
		for (p = lists[i]; *p != ACT_NONE && x < tui->cols; p++) {
			int fn;

			if ((fk = actions_fkey(*p)) == NULL)
				continue;
			fn = atoi(fk + 1);
			if (fn <= 0 || fn >= 32 || seen[fn])
				continue;
			seen[fn] = 1;
			on = v == NULL || v->ops->enabled == NULL ||
			    v->ops->enabled(v, *p, &why);
			x += draw_text(y, x, tui->cols - x, fk, DR_KEY);
			lw = tui->cols - x;
			if (lw > 10)
				lw = 10;
			x += draw_text(y, x, lw, actions_short(*p),
			    on ? DR_KEYLABEL : DR_DISABLED);
			if (x < tui->cols)
				x += draw_text(y, x, 1, " ", DR_KEYLABEL);
		}
	}
	/* The zone of the times on screen, at the right when it fits. */
	tui_zone_label(tui, zone, sizeof zone);
	zw = draw_width(zone);
	if (x + zw + 1 <= tui->cols)
		draw_text(y, tui->cols - zw, zw, zone, DR_KEYLABEL);
}

void
tui_redraw(struct tui *tui)
{
	struct view	*v = tui_top_view(tui);
	int		 caret = 0, cy = 0, cx = 0;

	if (tui->dirty & TUI_DIRTY_ALL)
		erase();
	if (tui->rows < 10 || tui->cols < 40) {
		erase();
		draw_text(0, 0, tui->cols, _("The terminal is too small."),
		    DR_ERROR);
	} else {
		tui_draw_title(tui, v);
		if (v != NULL && (tui->dirty & (TUI_DIRTY_ALL |
		    TUI_DIRTY_VIEW) || v->dirty)) {
			struct tui_rect r = tui_body_rect(tui);
			int i;

			for (i = 0; i < r.h; i++)
				draw_fill(r.y + i, 0, tui->cols, DR_NORMAL);
			draw_caret_reset();
			v->ops->draw(v, r);
			v->dirty = 0;
			/* Kept for passes that do not redraw the view. */
			tui->caret = draw_caret_get(&tui->caret_y,
			    &tui->caret_x);
		}
		caret = v != NULL && tui->caret;
		cy = tui->caret_y;
		cx = tui->caret_x;
		tui_draw_status(tui);
		tui_draw_keybar(tui, tui->rows - 1);
		if (tui->help) {
			help_draw(tui);
			caret = 0;
		}
		if (tui->modal != NULL) {
			draw_caret_reset();
			tui_modal_draw(tui);
			caret = draw_caret_get(&cy, &cx);
		}
	}
	/*
	 * The status line and the key bar are drawn after the view: put the
	 * cursor back on the field being edited, else hide it.
	 */
	if (caret) {
		curs_set(1);
		move(cy, cx);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
	tui->dirty = 0;
}

void
tui_resize(struct tui *tui)
{
	int	 i;

	getmaxyx(stdscr, tui->rows, tui->cols);
	for (i = 0; i < tui->nviews; i++) {
		struct view *v = tui->views[i];

		if (v->ops->resize != NULL)
			v->ops->resize(v, tui_body_rect(tui));
	}
	clearok(curscr, TRUE);
	tui_dirty(tui, TUI_DIRTY_ALL);
}
