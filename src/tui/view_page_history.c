/*
 * The History block of the segment page: the member count over a period
 * (presets or a custom range), grouped by day, week, month or year, drawn
 * as bars over a time axis with a cursor slot and its figures below; v
 * switches to the members added and removed per period.  The bucketing and
 * the glyphs are chart.c's; this file loads the slots and draws them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "draw.h"
#include "i18n.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "tz.h"
#include "util.h"
#include "view.h"
#include "view_page_int.h"

int
view_page_load_chart(struct view_page *vp, struct store_txn *txn,
    char **cause)
{
	struct hist_point *pts = NULL, *before = NULL;
	size_t		 n = 0, nb = 0;
	struct tz	*tz;
	/* Days as the UI shows times (tui_zone). */
	const char	*zone = tui_zone(vp->tui, vp->seg->has_sched ?
			    vp->seg->sched.tz : NULL);
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

static void
view_page_chart_reload(struct view *v)
{
	struct view_page *vp = v->data;
	struct store_txn *txn;
	char		*cause = NULL;
	int		 rc;

	if ((txn = tui_read_begin(v->tui)) == NULL)
		return;
	vp->ccur = -1;
	rc = view_page_load_chart(vp, txn, &cause);
	tui_read_end(v->tui, txn, rc, cause);
}

/* What a bar shows: the members, or the ones added or removed. */
enum chart_series {
	SERIES_TOTAL,
	SERIES_ADDED,
	SERIES_REMOVED
};

/* Slot i's value in a series; automatic runs' part only when `autoonly`. */
static uint64_t
view_page_value(const struct view_page *vp, enum chart_series series,
    int autoonly, int i)
{
	const struct chart_slot *s;

	if (i < 0 || i >= (int)vp->nslots)
		return 0;
	s = &vp->slots[i];
	/* A period without runs is a gap, not the count carried into it. */
	if (s->gap || s->future)
		return 0;
	switch (series) {
	case SERIES_ADDED:
		return s->added_auto + (autoonly ? 0 : s->added_manual);
	case SERIES_REMOVED:
		return s->removed_auto + (autoonly ? 0 : s->removed_manual);
	default:
		return autoonly ? 0 : s->total;
	}
}

/* The level of row `row` for value v, in the style's units. */
static int
view_page_level(enum chart_style style, uint64_t v, uint64_t top, int h,
    int row)
{
	return style == CHART_BRAILLE ? chart_quarters(v, top, h, row) :
	    chart_cell(v, top, h, row);
}

/*
 * The bars of a series on a 0..top scale, h rows from y0, laid out by
 * chart_layout; the cursor's columns are drawn highlighted.  Changes
 * stack the manual runs' part on the automatic one: a cell that holds
 * none of the automatic part takes the manual role.
 */
static void
view_page_draw_bars(struct view_page *vp, const struct chart_layout *l,
    enum chart_series series, uint64_t top, int y0, int x0, int h)
{
	enum chart_style style = vp->style;
	int		 n = (int)vp->nslots, i, row, k, c, s0, cur, col;
	int		 lvl[2], alvl;
	char		 buf[8];
	enum draw_role	 role;
	const char	*g;

	for (row = 0; row < h; row++) {
		int y = y0 + (h - 1 - row);

		for (i = 0; (s0 = l->first + i * l->per) < n; i++) {
			if ((col = chart_slot_col(l, vp->nslots, s0)) < 0)
				break;
			cur = vp->ccur >= s0 && vp->ccur < s0 + l->per;
			alvl = 0;
			for (k = 0; k < 2; k++) {
				int j = l->per == 2 ? s0 + k : s0;

				lvl[k] = view_page_level(style, view_page_value(
				    vp, series, 0, j), top, h, row);
				alvl += view_page_level(style, view_page_value(
				    vp, series, 1, j), top, h, row);
			}
			role = cur ? DR_CHART_CURSOR : series != SERIES_TOTAL &&
			    alvl == 0 ? DR_CHART_MANUAL : DR_CHART;
			if (style == CHART_BRAILLE)
				g = lvl[0] == 0 && lvl[1] == 0 ? " " :
				    chart_braille(lvl[0], lvl[1], buf);
			else
				g = chart_glyph(lvl[0], style == CHART_BLOCKS);
			if (cur && strcmp(g, " ") == 0) {
				g = style == CHART_ASCII ? "|" : "\xe2\x94\x82";
				role = DR_DISABLED;
			}
			for (c = 0; c < l->cw - l->gap; c++)
				draw_text(y, x0 + col + c, 1, g, role);
		}
	}
}

/*
 * A chart of one series in rows y0 .. y0 + h - 1: round y ticks (at most
 * `most` steps, counts as the locale groups them, after `sign`) in the
 * lw columns on the left, the bars right of them.
 */
static void
view_page_draw_series(struct view_page *vp, const struct chart_layout *l,
    enum chart_series series, uint64_t max, const char *sign, int y0,
    int x, int lw, int h, int most)
{
	uint64_t	 ticks[CHART_YTICKS_MAX + 1], top;
	char		 a[COUNT_BUF], lab[COUNT_BUF + 2];
	int		 nt, i, row, last = -1;

	top = chart_yticks(max, most, ticks, &nt);
	for (i = nt - 1; i >= 0; i--) {
		row = chart_value_row(ticks[i], top, h);
		/* The higher of two ticks on one row keeps it. */
		if (row == last)
			continue;
		last = row;
		snprintf(lab, sizeof lab, "%s%s", ticks[i] > 0 ? sign : "",
		    draw_count(ticks[i], a, sizeof a));
		draw_text_right(y0 + h - 1 - row, x, lw, lab, DR_DISABLED);
	}
	view_page_draw_bars(vp, l, series, top, y0, x + lw + 1, h);
}

/* The largest value of a series (at least 1). */
static uint64_t
view_page_series_max(const struct view_page *vp, enum chart_series series)
{
	uint64_t	 m = 1, v;
	int		 i;

	for (i = 0; i < (int)vp->nslots; i++)
		if ((v = view_page_value(vp, series, 0, i)) > m)
			m = v;
	return m;
}

void
view_page_draw_history(struct view_page *vp, struct tui_rect r)
{
	const struct chart_slot *c;
	struct chart_layout l;
	char		 d1[TU_DATE_BUF], d2[TU_DATE_BUF], a[COUNT_BUF];
	char		 b[COUNT_BUF], e[COUNT_BUF], f[COUNT_BUF], *axis;
	int		 h, w, lw = 9, hl, hlw, hu;
	uint64_t	 m;
	char		 day[TU_DATE_BUF + 16];
	const char	*zone = vp->seg->has_sched ? vp->seg->sched.tz : NULL;

	draw_printf(r.y, r.x, r.w, DR_HEADER, vp->changes ?
	    _("Period: %s (%s .. %s), by %s: added and removed") :
	    _("Period: %s (%s .. %s), by %s: members"),
	    _(chart_period_label(vp->period)), tu_format_date(vp->from, d1),
	    tu_format_date(vp->to, d2), _(chart_group_label(vp->group)));
	/* The last row says which keys change the chart. */
	draw_text(r.y + r.h - 1, r.x, r.w, _("Left/Right: move   p: period   "
	    "P: custom   o: grouping   v: members/changes"), DR_DISABLED);
	h = r.h - 5;
	w = r.w - lw - 1;
	if (h < 2 || w < 4 || vp->nslots == 0)
		return;
	chart_layout(vp->nslots, w, vp->ccur, vp->style, &l);
	if (!vp->changes)
		view_page_draw_series(vp, &l, SERIES_TOTAL,
		    view_page_series_max(vp, SERIES_TOTAL), "", r.y + 1, r.x,
		    lw, h, h >= 6 ? h / 3 : 1);
	else {
		/* One scale for both halves, so that their bars compare. */
		m = view_page_series_max(vp, SERIES_ADDED);
		if (view_page_series_max(vp, SERIES_REMOVED) > m)
			m = view_page_series_max(vp, SERIES_REMOVED);
		hu = h / 2;
		view_page_draw_series(vp, &l, SERIES_ADDED, m, "+", r.y + 1,
		    r.x, lw, hu, hu >= 6 ? hu / 3 : 1);
		view_page_draw_series(vp, &l, SERIES_REMOVED, m, "-",
		    r.y + 1 + hu, r.x, lw, h - hu, hu >= 6 ? hu / 3 : 1);
	}
	/* The time axis, with the cursor's date in reverse video. */
	axis = xmalloc((size_t)w + 1);
	chart_axis(vp->slots, vp->nslots, vp->group, &l, vp->ccur,
	    !vp->color, axis, &hl, &hlw);
	draw_text(r.y + h + 1, r.x + lw + 1, w, axis, DR_DISABLED);
	if (hlw > 0) {
		axis[hl + hlw] = '\0';
		draw_text(r.y + h + 1, r.x + lw + 1 + hl, hlw, axis + hl,
		    DR_CURSOR);
	}
	free(axis);
	c = &vp->slots[vp->ccur];
	chart_slot_label(vp->group, c->day, d1, sizeof d1);
	tui_day(vp->tui, c->day, d1, zone, day, sizeof day);
	if (c->future) {
		draw_printf(r.y + h + 2, r.x, r.w, DR_DISABLED,
		    _("%s: still ahead"), day);
		return;
	}
	if (c->gap)
		draw_printf(r.y + h + 2, r.x, r.w, DR_NORMAL,
		    _("%s: no run (total %s)"), day,
		    draw_count(c->total, a, sizeof a));
	else
		draw_printf(r.y + h + 2, r.x, r.w, DR_NORMAL,
		    ngettext_("%s: total %s, %u run", "%s: total %s, %u runs",
		    c->nruns), day, draw_count(c->total, a, sizeof a),
		    c->nruns);
	draw_printf(r.y + h + 3, r.x, r.w, DR_NORMAL,
	    _("automatically +%s -%s   manually +%s -%s"),
	    draw_count(c->added_auto, a, sizeof a),
	    draw_count(c->removed_auto, b, sizeof b),
	    draw_count(c->added_manual, e, sizeof e),
	    draw_count(c->removed_manual, f, sizeof f));
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

int
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
	case ACT_CHART_SERIES:
		vp->changes = !vp->changes;
		return VIEW_REDRAW;
	case ACT_CHART_CUSTOM:
		tui_prompt(v->tui, _("Period (YYYY-MM-DD YYYY-MM-DD):"), "",
		    view_page_custom_answer, v);
		return VIEW_HANDLED;
	default:
		return VIEW_IGNORED;
	}
}
