/*
 * The History block of the segment page: the member count over a period
 * (presets or a custom range), grouped by day, week, month or year, drawn
 * as bars with a cursor slot and its figures below.  The bucketing and
 * the glyphs are chart.c's; this file loads the slots and draws them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "draw.h"
#include "i18n.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "tz.h"
#include "view.h"
#include "view_page_int.h"

int
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

/* The level of row `row` for slot i, in the style's units. */
static int
view_page_bar_level(const struct view_page *vp, enum chart_style style,
    uint64_t max, int h, int row, int i)
{
	if (i < 0 || i >= (int)vp->nslots)
		return 0;
	return style == CHART_BRAILLE ?
	    chart_quarters(vp->slots[i].total, max, h, row) :
	    chart_cell(vp->slots[i].total, max, h, row);
}

/*
 * The bars use the width they have: when the slots fit, each takes
 * w / nslots columns (a slot of many columns keeps a blank column after
 * it); when they do not, Braille (htop) puts two slots in a character
 * and the window ends at the cursor, rounded so that the cursor's slot
 * stays inside it.  The cursor's columns are drawn highlighted.
 */
static void
view_page_draw_bars(struct view_page *vp, enum chart_style style, int y0,
    int x0, int h, int w)
{
	uint64_t	 max = chart_max(vp->slots, vp->nslots);
	int		 n = (int)vp->nslots, per = 1, cw = 1, gap = 0;
	int		 first = 0, i, row, k, c, s0, cur;
	int		 lvl[2];
	char		 buf[8];
	enum draw_role	 role;
	const char	*g;

	if (n <= w) {
		cw = w / n;
		gap = cw >= 3;
	} else {
		per = style == CHART_BRAILLE ? 2 : 1;
		if (n > w * per) {
			first = vp->ccur - w * per + 1;
			if (first < 0)
				first = 0;
			first += (per - first % per) % per;
		}
	}
	for (row = 0; row < h; row++) {
		int y = y0 + (h - 1 - row);

		for (i = 0; i * cw < w && first + i * per < n; i++) {
			s0 = first + i * per;
			cur = vp->ccur >= s0 && vp->ccur < s0 + per;
			role = cur ? DR_CHART_CURSOR : DR_CHART;
			for (k = 0; k < 2; k++)
				lvl[k] = view_page_bar_level(vp, style, max, h,
				    row, per == 2 ? s0 + k : s0);
			if (style == CHART_BRAILLE)
				g = lvl[0] == 0 && lvl[1] == 0 ? " " :
				    chart_braille(lvl[0], lvl[1], buf);
			else
				g = chart_glyph(lvl[0], style == CHART_BLOCKS);
			if (cur && strcmp(g, " ") == 0) {
				g = style == CHART_ASCII ? "|" : "\xe2\x94\x82";
				role = DR_DISABLED;
			}
			for (c = 0; c < cw - gap; c++)
				draw_text(y, x0 + i * cw + c, 1, g, role);
		}
	}
}

void
view_page_draw_history(struct view_page *vp, struct tui_rect r)
{
	const struct chart_slot *c;
	char		 d1[TU_DATE_BUF], d2[TU_DATE_BUF], a[32], b[32];
	int		 h, w, lw = 9;
	char		 lab[32];

	draw_printf(r.y, r.x, r.w, DR_HEADER,
	    _("Period: %s (%s .. %s), by %s"),
	    _(chart_period_label(vp->period)), tu_format_date(vp->from, d1),
	    tu_format_date(vp->to, d2), _(chart_group_label(vp->group)));
	/* The last row says which keys change the chart. */
	draw_text(r.y + r.h - 1, r.x, r.w, _("Left/Right: move   p: period   "
	    "P: custom period   o: grouping"), DR_DISABLED);
	h = r.h - 5;
	w = r.w - lw - 1;
	if (h < 2 || w < 4 || vp->nslots == 0)
		return;
	draw_text_right(r.y + 1, r.x, lw, draw_count(chart_max(vp->slots,
	    vp->nslots), lab, sizeof lab), DR_DISABLED);
	draw_text_right(r.y + h, r.x, lw, "0", DR_DISABLED);
	view_page_draw_bars(vp, vp->style, r.y + 1, r.x + lw + 1, h, w);
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
	case ACT_CHART_CUSTOM:
		tui_prompt(v->tui, _("Period (YYYY-MM-DD YYYY-MM-DD):"), "",
		    view_page_custom_answer, v);
		return VIEW_HANDLED;
	default:
		return VIEW_IGNORED;
	}
}
