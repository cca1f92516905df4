/*
 * The segment page, as the README's "The terminal UI" describes it: a
 * summary (automatic update, counts) on top, then one block at a time,
 * switched with Tab: Overview (schedule and conditions), Profiles,
 * History (chart), Log and Dependents.  80x24 leaves no room to stack
 * them all.
 *
 * This file owns the page's snapshot (the segment, its log, its
 * dependents, the chart slots and the visible page of profiles): loading
 * it, refreshing it when the store changes, and the keys, which change
 * positions and reload what they need.  Drawing only reads it
 * (view_page_draw.c); the Profiles and History blocks live in
 * view_page_profiles.c and view_page_history.c.
 */
#include "config.h"

#include <stdlib.h>

#include "access.h"
#include "chart.h"
#include "cond.h"
#include "draw.h"
#include "drop.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "tz.h"
#include "util.h"
#include "view.h"
#include "view_actions.h"
#include "view_page_int.h"

static const enum action view_page_actions[] = {
	ACT_NEXT_FIELD, ACT_PREV_FIELD, ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT,
	ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END, ACT_FILTER,
	ACT_FIND_NEXT, ACT_FIND_PREV, ACT_ENTER, ACT_SORT, ACT_SORT_REVERSE,
	ACT_COLUMNS,
	ACT_SEG_RECALC, ACT_SEG_TOGGLE, ACT_SEG_RECONFIGURE,
	ACT_SEG_EDIT, ACT_COND_DELETE, ACT_SEG_ANALYTICS, ACT_CHART_PERIOD,
	ACT_CHART_CUSTOM, ACT_CHART_GROUP, ACT_CHART_SERIES, ACT_SEG_COPY_DB,
	ACT_SEG_COPY,
	ACT_SEG_EXPORT, ACT_SEG_UPDATE, ACT_SEG_SCENARIO,
	ACT_SEG_EXPORT_HISTORY, ACT_SEG_CREATE, ACT_SEG_CLONE, ACT_SEG_DELETE,
	ACT_SEG_ADD_PROFILES, ACT_SEG_REMOVE_PROFILES, ACT_NONE
};

static void	view_page_log_scroll(struct view_page *);

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

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
	free(vp->order);
	vp->order = NULL;
	vp->norder = 0;
	if (vp->matches != NULL)
		roaring_bitmap_free(vp->matches);
	vp->matches = NULL;
	free(vp->cols);
	vp->cols = NULL;
	vp->ncols = 0;
	objects_names_free(vp->users, vp->nusers);
	vp->users = NULL;
	vp->nusers = 0;
	vp->nhidden = 0;
	free(vp->slots);
	vp->slots = NULL;
	vp->nslots = 0;
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
	/* Deleted profiles a scheduled segment keeps until its next run. */
	if (seg_members(txn, vp->seg->id, &vp->members, cause) != 0 ||
	    pdb_drop_deleted(txn, vp->schema, vp->members, cause) != 0)
		goto out;
	if (seg_runs(txn, vp->seg->id, &vp->runs, &vp->nruns, cause) != 0)
		goto out;
	if (vp->lcur >= (int)vp->nruns)
		vp->lcur = vp->nruns > 0 ? (int)vp->nruns - 1 : 0;
	if (vp->nruns > 0)
		view_page_log_scroll(vp);
	if (drop_segment_users(txn, vp->seg, &vp->users, &vp->nusers,
	    &vp->nhidden, cause) != 0)
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
	free(vp->find);
	free(vp->lfind);
	free(vp);
}

static void
view_page_resize(struct view *v, struct tui_rect r)
{
	struct view_page *vp = v->data;

	vp->rect = r;
	if (vp->nruns > 0)
		view_page_log_scroll(vp);
	if (vp->seg != NULL && vp->schema != NULL)
		view_page_profiles_reload(v);
}

struct view *
view_page_new(struct tui *tui, const char *name, int chart)
{
	struct view_page *vp;

	vp = xcalloc(1, sizeof *vp);
	vp->tui = tui;
	vp->name = xstrdup(name);
	vp->tab = chart ? PAGE_HISTORY : PAGE_OVERVIEW;
	vp->period = CHART_30_DAYS;
	vp->group = HIST_DAY;
	vp->ccur = -1;
	vp->sort = -1;
	vp->utf8 = tui->utf8;
	vp->tui = tui;
	vp->style = chart_style_pick(tui->utf8, tui->settings.chart);
	vp->color = tui->color;
	vp->rect = tui_body_rect(tui);
	return view_new(tui, &view_page_ops, vp);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

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

/* Rows of the Log block for runs: the body less summary, tabs, header
 * and footer (view_page_draw). */
static int
view_page_log_height(const struct view_page *vp)
{
	int	 h = vp->rect.h - 7;

	return h > 1 ? h : 1;
}

/* Scrolls the log only as far as needed to show the selected run. */
static void
view_page_log_scroll(struct view_page *vp)
{
	int	 h = view_page_log_height(vp), used, i;

	if (vp->ltop > vp->lcur)
		vp->ltop = vp->lcur;
	for (;;) {
		for (used = 0, i = vp->ltop; i <= vp->lcur; i++)
			used += view_page_log_lines(vp, i);
		if (used <= h || vp->ltop == vp->lcur)
			break;
		vp->ltop++;
	}
}

/* Moves the log's cursor (0: newest run) and scrolls to keep it shown. */
static int
view_page_key_log(struct view_page *vp, enum action act)
{
	int	 n = (int)vp->nruns, h = view_page_log_height(vp), cur;

	if (n == 0)
		return VIEW_IGNORED;
	cur = vp->lcur;
	switch (act) {
	case ACT_UP:
		cur--;
		break;
	case ACT_DOWN:
		cur++;
		break;
	case ACT_PAGE_UP:
		cur -= h;
		break;
	case ACT_PAGE_DOWN:
		cur += h;
		break;
	case ACT_HOME:
		cur = 0;
		break;
	case ACT_END:
		cur = n - 1;
		break;
	default:
		return VIEW_IGNORED;
	}
	if (cur < 0)
		cur = 0;
	if (cur >= n)
		cur = n - 1;
	vp->lcur = cur;
	view_page_log_scroll(vp);
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* Whether the log's run at position i (0: newest) shows the search. */
static int
view_page_log_match(void *arg, int i)
{
	const struct view_page *vp = arg;
	const struct run_record *run = &vp->runs[vp->nruns - 1 - (size_t)i];
	const char *text = vp->lfind;
	char	 t[TZ_TIME_BUF];

	return draw_casestr(tui_time(vp->tui, run->started_at,
	    vp->seg->has_sched ? vp->seg->sched.tz : NULL, t, sizeof t), text) ||
	    draw_casestr(_(run_type_name(run->type)), text) ||
	    (run->initiator != NULL && draw_casestr(run->initiator, text)) ||
	    draw_casestr(_(run_status_name(run->status)), text) ||
	    (run->error != NULL && draw_casestr(run->error, text));
}

/* The log's next (forward) or previous run showing the search. */
static void
view_page_log_find(struct view *v, int forward, int skip)
{
	struct view_page *vp = v->data;
	int		 i;

	if (vp->lfind == NULL || *vp->lfind == '\0') {
		tui_status(v->tui, "%s", _("No search: press / to search the "
		    "log."));
		return;
	}
	if ((i = tui_find_around((int)vp->nruns, vp->lcur, forward, skip,
	    view_page_log_match, vp)) < 0) {
		tui_status(v->tui, _("No run of '%s' shows '%s'."), vp->name,
		    vp->lfind);
		return;
	}
	vp->lcur = i;
	view_page_log_scroll(vp);
	tui_dirty(v->tui, TUI_DIRTY_VIEW);
}

static void
view_page_log_find_answer(struct tui *tui, void *arg, const char *text)
{
	struct view	 *v = arg;
	struct view_page *vp = v->data;

	if (text == NULL || *text == '\0' || vp->seg == NULL)
		return;
	free(vp->lfind);
	vp->lfind = xstrdup(text);
	view_page_log_find(v, 1, 0);
	(void)tui;
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
	case ACT_SEG_CREATE:
		view_actions_create(v->tui);
		return VIEW_HANDLED;
	case ACT_SEG_DELETE:
		view_actions_delete(v->tui, vp->seg, 1);
		return VIEW_HANDLED;
	case ACT_SEG_REMOVE_PROFILES:
		/* On the Profiles block the selected one is proposed. */
		view_actions_fill(v->tui, act, vp->seg,
		    vp->tab == PAGE_PROFILES ? view_page_selected_key(vp) :
		    NULL);
		return VIEW_HANDLED;
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
	if (vp->tab == PAGE_LOG && act == ACT_FILTER) {
		tui_prompt(v->tui, _("Search the log:"), vp->lfind,
		    view_page_log_find_answer, v);
		return VIEW_HANDLED;
	}
	if (vp->tab == PAGE_LOG && (act == ACT_FIND_NEXT ||
	    act == ACT_FIND_PREV)) {
		if (vp->nruns == 0)
			tui_status(v->tui, "%s", _("No runs yet."));
		else
			view_page_log_find(v, act == ACT_FIND_NEXT, 1);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (vp->tab == PAGE_LOG &&
	    (r = view_page_key_log(vp, act)) != VIEW_IGNORED)
		return r;
	if (view_actions_run(v->tui, act, vp->seg))
		return VIEW_HANDLED;
	return VIEW_IGNORED;
}

/* ------------------------------------------------------------------ */
/* Refresh                                                              */
/* ------------------------------------------------------------------ */

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

/*
 * What the tab shown takes: movement where there is something to move
 * over (rows of Profiles and Log, the chart's cursor), the search and
 * the table's keys on Profiles, the chart's keys on History; the
 * segment's actions everywhere.
 */
static int
view_page_offers(struct view *v, enum action act)
{
	struct view_page *vp = v->data;

	switch (act) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		return vp->tab == PAGE_PROFILES || vp->tab == PAGE_LOG;
	case ACT_HOME:
	case ACT_END:
		return vp->tab == PAGE_PROFILES || vp->tab == PAGE_LOG ||
		    vp->tab == PAGE_HISTORY;
	case ACT_LEFT:
	case ACT_RIGHT:
		return vp->tab == PAGE_PROFILES || vp->tab == PAGE_HISTORY;
	case ACT_FILTER:
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		return vp->tab == PAGE_PROFILES || vp->tab == PAGE_LOG;
	case ACT_ENTER:
	case ACT_SORT:
	case ACT_SORT_REVERSE:
	case ACT_COLUMNS:
		return vp->tab == PAGE_PROFILES;
	case ACT_CHART_PERIOD:
	case ACT_CHART_CUSTOM:
	case ACT_CHART_GROUP:
	case ACT_CHART_SERIES:
		return vp->tab == PAGE_HISTORY;
	default:
		return 1;
	}
}

/* A click on a tab shows it; on a row of Profiles or Log selects it. */
static int
view_page_click(struct view *v, int y, int x, int dbl)
{
	struct view_page *vp = v->data;
	struct tui_rect	 r = vp->rect;
	int		 tab, i, top;

	if (vp->seg == NULL || x < r.x || x >= r.x + r.w)
		return VIEW_IGNORED;
	if (y == r.y + VIEW_PAGE_SUMMARY) {
		if ((tab = view_page_tab_at(vp, x - r.x)) < 0)
			return VIEW_IGNORED;
		vp->tab = (enum view_page_tab)tab;
		return VIEW_REDRAW;
	}
	top = r.y + VIEW_PAGE_SUMMARY + 2;	/* below the block's header */
	if (vp->tab == PAGE_PROFILES) {
		i = y - top;
		if (i < 0 || i >= vp->prows)
			return VIEW_IGNORED;
		vp->pcur = i;
		if (dbl)
			return view_page_key_profiles(v, ACT_ENTER);
		return VIEW_REDRAW;
	}
	if (vp->tab == PAGE_LOG) {
		for (i = vp->ltop; i < (int)vp->nruns &&
		    top + view_page_log_lines(vp, i) <= r.y + r.h - 1; i++) {
			if (y >= top && y < top + view_page_log_lines(vp, i)) {
				vp->lcur = i;
				return VIEW_REDRAW;
			}
			top += view_page_log_lines(vp, i);
		}
	}
	return VIEW_IGNORED;
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
	.offers = view_page_offers,
	.click = view_page_click,
};
