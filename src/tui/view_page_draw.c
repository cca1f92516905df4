/*
 * Drawing the segment page: the summary, the tab line and the blocks
 * that are plain text (Overview, Log, Dependents); the Profiles and
 * History blocks draw in their own files.  Everything here only reads
 * the snapshot that view_page.c loaded.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "i18n.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "tz.h"
#include "util.h"
#include "view.h"
#include "view_actions.h"
#include "view_page_int.h"

static const char *const view_page_tabs[PAGE_NTABS] = {
	N_("Overview"), N_("Profiles"), N_("History"), N_("Log"),
	N_("Dependents")
};

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
	if (s->state == SEG_ACTIVE && !s->has_sched) {
		*r = DR_NORMAL;
		return _("Manual: no schedule");
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
	char		 a[32], t1[TZ_TIME_BUF], t2[TZ_TIME_BUF], *sched = NULL;
	const char	*zone = s->has_sched ? s->sched.tz : NULL;
	int		 x;

	x = draw_text(r.y, r.x, r.w, _("Database: "), DR_HEADER);
	x += draw_text(r.y, r.x + x, r.w - x, s->db, DR_NORMAL);
	if (vp->schema != NULL && vp->schema->source != NULL)
		x += draw_text(r.y, r.x + x, r.w - x, _(" (PostgreSQL)"),
		    DR_NORMAL);
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
	    _("never") : tui_time(v->tui, s->last_run_at, zone, t1,
	    sizeof t1), DR_NORMAL);
	x += draw_text(r.y + 2, r.x + x, r.w - x, _("   Next run: "),
	    DR_HEADER);
	draw_text(r.y + 2, r.x + x, r.w - x, vp->next == 0 ? _("none") :
	    tui_time(v->tui, vp->next, zone, t2, sizeof t2), DR_NORMAL);
	if (s->kind == SEG_SCHEDULED &&
	    !view_actions_enabled(v->tui, ACT_SEG_RECALC, s, &why))
		draw_printf(r.y + 3, r.x, r.w, DR_DISABLED,
		    _("Manual recalculation is unavailable: %s"), _(why));
	else if (s->kind == SEG_SCHEDULED)
		draw_text(r.y + 3, r.x, r.w, _("r: recalculate now   s: "
		    "stop/start   S: reconfigure   e: edit"), DR_DISABLED);
	return VIEW_PAGE_SUMMARY;
}

int
view_page_tab_at(const struct view_page *vp, int x)
{
	int	 i, used = 0, w;

	(void)vp;
	for (i = 0; i < PAGE_NTABS; i++) {
		used += 1;
		w = draw_width(_(view_page_tabs[i]));
		if (x >= used && x < used + w)
			return i;
		used += w;
	}
	return -1;
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

	/* A static segment has no range, limit or conditions. */
	if (s->kind == SEG_SCHEDULED) {
		x = draw_text(y, r.x, r.w, _("Range: "), DR_HEADER);
		x += draw_text(y, r.x + x, r.w - x,
		    seg_format_range(s->range_lo, s->range_hi, rb), DR_NORMAL);
		x += draw_text(y, r.x + x, r.w - x, "%   ", DR_NORMAL);
		x += draw_text(y, r.x + x, r.w - x, _("Limit: "), DR_HEADER);
		if (s->limit < 0)
			draw_text(y, r.x + x, r.w - x, _("none"), DR_NORMAL);
		else
			draw_text(y, r.x + x, r.w - x,
			    draw_count((uint64_t)s->limit, buf, sizeof buf),
			    DR_NORMAL);
		y++;
	}
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
	if (s->kind == SEG_STATIC) {
		draw_rule(y++, r.x, r.w, _("Members"), 0);
		draw_text(y, r.x + 1, r.w - 1, _("A static segment has no "
		    "conditions: it is filled by hand or by copying."),
		    DR_NORMAL);
		return;
	}
	draw_rule(y++, r.x, r.w, _("Conditions (e: edit, D: delete)"), 0);
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

/*
 * Who started a run: a login name as stored, but the scheduler's own
 * "System" (a word, not a login) in the UI's language.
 */
static const char *
view_page_initiator(const struct run_record *run)
{
	if (run->initiator == NULL)
		return "";
	if (run->type == RUN_AUTOMATIC && strcmp(run->initiator, "System") == 0)
		return _("System");
	return run->initiator;
}

/* A run's start as the log shows it: "2026-11-28 12:00 MSK". */
static char *
view_page_log_start(const struct view_page *vp, const struct run_record *run,
    char *buf, size_t len)
{
	return tui_time(vp->tui, run->started_at, vp->seg->has_sched ?
	    vp->seg->sched.tz : NULL, buf, len);
}

/*
 * The log table's column widths: each column as wide as its widest cell
 * (header included), so that counts are never cut; when the screen is
 * too narrow the Initiator, then the Type column gives way (cut with an
 * ellipsis), then the start's year, and Status takes what is left.
 */
static void
view_page_log_widths(const struct view_page *vp, const char *const head[7],
    int avail, int width[7])
{
	const struct run_record *run;
	char	 a[TZ_TIME_BUF];
	int	 i, k, sum, over, give;
	size_t	 n;

	for (i = 0; i < 7; i++)
		width[i] = draw_width(head[i]);
	if (width[1] < 5)
		width[1] = 5;
	for (n = 0; n < vp->nruns; n++) {
		run = &vp->runs[n];
		k = draw_width(view_page_log_start(vp, run, a, sizeof a));
		if (k > width[0])
			width[0] = k;
		k = draw_width(_(run_type_name(run->type)));
		if (k > width[2])
			width[2] = k;
		k = draw_width(view_page_initiator(run));
		if (k > width[3])
			width[3] = k;
		k = draw_width(draw_count(run->added, a, sizeof a));
		if (k > width[4])
			width[4] = k;
		k = draw_width(draw_count(run->removed, a, sizeof a));
		if (k > width[5])
			width[5] = k;
		k = draw_width(_(run_status_name(run->status)));
		if (k > width[6])
			width[6] = k;
	}
	for (sum = 6, i = 0; i < 7; i++)
		sum += width[i];
	over = sum - avail;
	/* Initiator, then Type, down to 4 columns each. */
	for (i = 3; over > 0 && i >= 2; i--) {
		give = width[i] - 4;
		if (give > over)
			give = over;
		if (give > 0) {
			width[i] -= give;
			over -= give;
		}
	}
	/* Then the start's year ("11-28 12:00 UTC"). */
	if (over > 0 && width[0] - 5 >= draw_width(head[0]))
		width[0] -= 5;
}

/*
 * One row of the log table.  Cells are placed by display width (draw_*),
 * not printf widths, so translated headers and UTF-8 names line up.
 */
static void
view_page_log_row(int y, struct tui_rect r, const char *const cell[7],
    const int width[7], enum draw_role role)
{
	char	 cut[256];
	int	 i, x = r.x, w;

	draw_fill(y, r.x, r.w, role);
	for (i = 0; i < 7 && x < r.x + r.w; i++) {
		w = i < 6 ? width[i] : r.x + r.w - x;
		if (x + w > r.x + r.w)
			w = r.x + r.w - x;
		if (i == 4 || i == 5)
			draw_text_right(y, x, w, cell[i], role);
		else
			draw_text(y, x, w, draw_cut(cell[i], w, cut,
			    sizeof cut), role);
		x += w + 1;
	}
}

/* Screen rows the log's run at position i (0: newest) takes. */
int
view_page_log_lines(const struct view_page *vp, int i)
{
	const struct run_record *run = &vp->runs[vp->nruns - 1 - (size_t)i];

	return run->status == RUN_ERROR && run->error != NULL ? 2 : 1;
}

static void
view_page_draw_log(struct view_page *vp, struct tui_rect r)
{
	struct run_record *run;
	char		 t1[TZ_TIME_BUF], t2[TZ_TIME_BUF], a[32], b[32], c[32];
	const char	*cell[7];
	int		 width[7], i, y = r.y, idx, last = -1;
	enum draw_role	 role;

	cell[0] = _("Start");
	cell[1] = _("End");
	cell[2] = _("Type");
	cell[3] = _("Initiator");
	cell[4] = _("Added");
	cell[5] = _("Removed");
	cell[6] = _("Status");
	view_page_log_widths(vp, cell, r.w, width);
	view_page_log_row(y++, r, cell, width, DR_HEADER);
	if (vp->nruns == 0) {
		draw_text(y, r.x + 1, r.w - 1, _("No runs yet."), DR_NORMAL);
		return;
	}
	/* Newest first; the last row of the block is the footer. */
	for (i = vp->ltop; i < (int)vp->nruns && y + view_page_log_lines(vp,
	    i) <= r.y + r.h - 1; i++) {
		idx = (int)vp->nruns - 1 - i;
		run = &vp->runs[idx];
		view_page_log_start(vp, run, t1, sizeof t1);
		/* The end's time of day, in the start's zone. */
		tui_time(vp->tui, run->ended_at, vp->seg->has_sched ?
		    vp->seg->sched.tz : NULL, t2, sizeof t2);
		t2[16] = '\0';
		role = i == vp->lcur ? DR_CURSOR : run->status == RUN_ERROR ?
		    DR_ERROR : run->status == RUN_IN_PROGRESS ? DR_WARN :
		    DR_NORMAL;
		cell[0] = draw_width(t1) > width[0] ? t1 + 5 : t1;
		cell[1] = run->ended_at != 0 ? t2 + 11 : "";
		cell[2] = _(run_type_name(run->type));
		cell[3] = view_page_initiator(run);
		cell[4] = draw_count(run->added, a, sizeof a);
		cell[5] = draw_count(run->removed, b, sizeof b);
		cell[6] = _(run_status_name(run->status));
		view_page_log_row(y++, r, cell, width, role);
		if (run->status == RUN_ERROR && run->error != NULL)
			draw_printf(y++, r.x, r.w, DR_ERROR, "    %s",
			    run->error);
		last = i;
	}
	run = &vp->runs[vp->nruns - 1 - (size_t)vp->lcur];
	draw_printf(r.y + r.h - 1, r.x, r.w, DR_STATUS,
	    _("%s-%s of %s   run %s selected"), draw_count((uint64_t)vp->ltop +
	    1, a, sizeof a), draw_count((uint64_t)last + 1, b, sizeof b),
	    draw_count(vp->nruns, t1, sizeof t1), draw_count(run->id, c,
	    sizeof c));
}

static void
view_page_draw_dependents(struct view_page *vp, struct tui_rect r)
{
	size_t	 i;
	int	 y = r.y;

	if (vp->nusers == 0 && vp->nhidden == 0) {
		/* Wrapped: a translation may be longer than 80 columns. */
		draw_wrapped(y, r.x + 1, r.w - 1, r.y + r.h, 0,
		    _("No mailings, scenarios, loyalty programs or segments "
		    "use this segment."), DR_NORMAL);
		return;
	}
	for (i = 0; i < vp->nusers && y < r.y + r.h; i++)
		draw_text(y++, r.x + 1, r.w - 1, vp->users[i], DR_NORMAL);
	if (vp->nhidden > 0 && y < r.y + r.h)
		draw_printf(y, r.x + 1, r.w - 1, DR_NORMAL, ngettext_("%zu "
		    "segment you cannot see", "%zu segments you cannot see",
		    vp->nhidden), vp->nhidden);
}

void
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
		view_page_draw_history(vp, b);
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

void
view_page_title(struct view *v, char *buf, size_t len)
{
	struct view_page *vp = v->data;

	snprintf(buf, len, _("Segment: %s"), vp->name);
}
