/*
 * The segment form: name, database, kind, the conditions tree or its
 * script, range, limit, schedule, tags and access groups, a preview (dry
 * run) and Save (README, "The terminal UI").  The model and its checks
 * are in form_model.c; this file opens and closes the view and keeps the
 * model and the widgets in step.  Layout and drawing are in
 * view_form_draw.c, the conditions block in view_form_cond.c, save and
 * preview in view_form_save.c, keys in view_form_key.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form_model.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "textedit.h"
#include "timeutil.h"
#include "tui.h"
#include "tz.h"
#include "util.h"
#include "view.h"
#include "view_form.h"
#include "view_form_int.h"
#include "widget.h"

static const enum action view_form_actions[] = {
	ACT_FORM_SAVE, ACT_FORM_PREVIEW, ACT_FORM_SCRIPT, ACT_NEXT_FIELD,
	ACT_PREV_FIELD, ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN,
	ACT_ENTER, ACT_FORM_PICK, ACT_FORM_TOGGLE, ACT_FORM_ADD_COND,
	ACT_FORM_ADD_GROUP, ACT_FORM_REMOVE, ACT_FORM_ANDOR, ACT_FORM_MOVE_UP,
	ACT_FORM_MOVE_DOWN, ACT_FORM_DELETE_ALL, ACT_FORM_IMPORT, ACT_UNDO,
	ACT_REDO, ACT_LEFT, ACT_RIGHT, ACT_NONE
};

/* ------------------------------------------------------------------ */
/* Model <-> widgets                                                    */
/* ------------------------------------------------------------------ */

static void
vf_sync_widgets(struct view_form *vf)
{
	int	 f;

	for (f = 0; f < FM_NFIELDS; f++)
		widget_text_set(&vf->text[f], fm_text(&vf->fm, f));
	textedit_set(&vf->script, vf->fm.script != NULL ? vf->fm.script : "");
}

/* The next three runs, shown live under the schedule. */
static void
vf_sched_refresh(struct view_form *vf)
{
	struct sched	 sc;
	struct tz	*tz;
	int64_t		 t, now = tu_now();
	char		*cause = NULL, buf[TZ_TIME_BUF];
	int		 i;

	for (i = 0; i < 3; i++) {
		free(vf->next[i]);
		vf->next[i] = NULL;
	}
	if (!vf->fm.sched_on)
		return;
	if (fm_sched(&vf->fm, now, &sc, &cause) != 0) {
		vf->next[0] = cause;
		return;
	}
	if ((tz = tz_open(sc.tz, &cause)) == NULL) {
		vf->next[0] = cause;
		return;
	}
	tz_close(tz);
	/* The schedule's zone, or the machine's or UTC (tui_zone). */
	tz = tui_tz(vf->tui, tui_zone(vf->tui, sc.tz));
	t = now;
	for (i = 0; i < 3; i++) {
		if (sched_next(&sc, t, &t, &cause) != 0) {
			if (i == 0)
				vf->next[0] = cause != NULL ? cause :
				    xstrdup(_("no run after now"));
			else
				free(cause);
			break;
		}
		vf->next[i] = xstrdup(tz_format(tz, t, buf, sizeof buf));
	}
}

void
vf_load_schema(struct view_form *vf)
{
	struct store_txn *txn;
	char		*cause = NULL;

	schema_free(vf->schema);
	vf->schema = NULL;
	if (*fm_text(&vf->fm, FM_DB) == '\0')
		return;
	if (store_read_begin(vf->tui->store, &txn, &cause) != 0) {
		free(cause);
		return;
	}
	if (pdb_open(txn, fm_text(&vf->fm, FM_DB), &vf->schema, &cause) != 0)
		free(cause);
	store_read_end(txn);
}

/* A field changed: copy it into the model, refresh what depends on it. */
void
vf_changed(struct view_form *vf, enum fm_field f)
{
	vf->dirty = 1;
	if (f == FM_COND) {
		free(vf->fm.script);
		vf->fm.script = xstrdup(textedit_text(&vf->script));
		fm_script_apply(&vf->fm);
	} else if (f < FM_NFIELDS)
		fm_set_text(&vf->fm, f, widget_text_str(&vf->text[f]));
	if (f != FM_COND && f < FM_NFIELDS && vf->fm.err[f] != NULL) {
		free(vf->fm.err[f]);
		vf->fm.err[f] = NULL;
	}
	if (f >= FM_SCHED_ON && f <= FM_UNTIL)
		vf_sched_refresh(vf);
	free(vf->preview_text);
	vf->preview_text = NULL;
	vf_layout(vf);
}

void
vf_tree_changed(struct view_form *vf, const struct cond *focus)
{
	int	 row;

	vf->dirty = 1;
	free(vf->fm.err[FM_COND]);
	vf->fm.err[FM_COND] = NULL;
	free(vf->preview_text);
	vf->preview_text = NULL;
	vf_layout(vf);
	if (focus != NULL && (row = fm_tree_find(vf->fm.cond, focus)) >= 0)
		vf_focus_field(vf, FM_COND, row);
	else if (vf_cur(vf) != NULL && vf_cur(vf)->type != VI_TREE)
		vf_focus_field(vf, FM_COND, 0);
}

/* ------------------------------------------------------------------ */
/* Open, close                                                          */
/* ------------------------------------------------------------------ */

static int
vf_open(struct view *v, char **cause)
{
	struct view_form	*vf = v->data;
	struct store_txn	*txn;
	struct pdb_schema	**dbs = NULL;
	struct segment		*s = NULL;
	size_t			 i, n = 0;
	int			 w, wmax = 0;

	vf->tui = v->tui;
	if (store_read_begin(v->tui->store, &txn, cause) != 0)
		return -1;
	if (pdb_list(txn, &dbs, &n, cause) != 0) {
		store_read_end(txn);
		return -1;
	}
	vf->dbs = xcalloc(n + 1, sizeof *vf->dbs);
	vf->dblabels = xcalloc(n + 1, sizeof *vf->dblabels);
	for (i = 0; i < n; i++) {
		w = draw_width(dbs[i]->name);
		if (w > wmax)
			wmax = w;
	}
	for (i = 0; i < n; i++) {
		vf->dbs[i] = xstrdup(dbs[i]->name);
		/* A source column: where the profiles of each database live. */
		vf->dblabels[i] = xasprintf("%s%*s  %s", dbs[i]->name,
		    wmax - draw_width(dbs[i]->name), "",
		    dbs[i]->source != NULL ? _("PostgreSQL") : _("local"));
		schema_free(dbs[i]);
	}
	free(dbs);
	vf->ndbs = n;
	if (vf->title != NULL && seg_get(txn, vf->title, &s, cause) != 0) {
		store_read_end(txn);
		return -1;
	}
	store_read_end(txn);
	if (s != NULL) {
		if (seg_is_updating(s)) {
			seg_free(s);
			return error_set(cause, _("Segment '%s' is updating; "
			    "edit it when the run finishes."), vf->title);
		}
		fm_from_segment(&vf->fm, s);
		seg_free(s);
	} else if (vf->ndbs > 0)
		fm_set_text(&vf->fm, FM_DB, vf->dbs[0]);
	else
		tui_status(vf->tui, "%s", _("No profile database yet: "
		    "see 'reseg db create' or 'reseg demo'."));
	fm_script_from_tree(&vf->fm);
	vf_sync_widgets(vf);
	for (i = FM_RANGE_LO; i <= FM_LIMIT; i++)
		vf->text[i].digits = 1;
	vf->text[FM_TIME].digits = vf->text[FM_INTERVAL].digits = 1;
	vf->text[FM_ONCE].digits = vf->text[FM_UNTIL].digits = 1;
	vf_load_schema(vf);
	vf_sched_refresh(vf);
	vf_layout(vf);
	vf->focus = 0;
	if (vf->add_row == VIEW_FORM_CONDITIONS)
		vf_focus_field(vf, FM_COND, 0);
	else if (vf->add_row == VIEW_FORM_SCHEDULE)
		vf_focus_field(vf, FM_SCHED_ON, 0);
	vf->add_row = 0;
	vf->opened = 1;
	return 0;
}

void
vf_free_names(struct view_form *vf)
{
	size_t	 i;

	for (i = 0; i < vf->nnames; i++)
		free(vf->names[i]);
	free(vf->names);
	vf->names = NULL;
	vf->nnames = 0;
	free(vf->operand_field);
	free(vf->operand_func);
	vf->operand_field = NULL;
	vf->operand_func = NULL;
}

static void
vf_close(struct view *v)
{
	struct view_form	*vf = v->data;
	size_t			 i;

	if (vf == NULL)
		return;
	if (vf->preview != NULL) {
		vf->preview->cancel = 1;
		vf->preview->orphan = 1;
	}
	/* "Some fields need attention" means nothing on the list (but why
	 * the form did not open is for the screen below to show). */
	if (vf->opened)
		tui_status_clear_error(v->tui);
	fm_free(&vf->fm);
	for (i = 0; i < FM_NFIELDS; i++)
		widget_text_free(&vf->text[i]);
	textedit_free(&vf->script);
	widget_text_free(&vf->box_text);
	widget_picker_close(&vf->picker);
	free(vf->items);
	free(vf->title);
	for (i = 0; i < vf->ndbs; i++) {
		free(vf->dbs[i]);
		free(vf->dblabels[i]);
	}
	free(vf->dbs);
	free(vf->dblabels);
	schema_free(vf->schema);
	free(vf->edit_field);
	vf_free_names(vf);
	fm_event_free(&vf->ev);
	schema_free(vf->ev_schema);
	free(vf->box_hint);
	free(vf->box_err);
	for (i = 0; i < 3; i++)
		free(vf->next[i]);
	free(vf->preview_text);
	free(vf);
}

static void
vf_resize(struct view *v, struct tui_rect r)
{
	struct view_form *vf = v->data;

	vf->height = r.h - 1;
	if (vf->height < 1)
		vf->height = 1;
	if (vf->width != r.w) {
		vf->width = r.w;
		if (vf->nitems > 0)
			vf_layout(vf);	/* causes wrap to the new width */
	}
}

static void
vf_notify(struct view *v, const struct tui_event *ev)
{
	/* The next runs follow the zone times are shown in (tui_zone). */
	if (ev->type == TUI_EV_STORE_CHANGED)
		vf_sched_refresh(v->data);
}

static int
vf_enabled(struct view *v, enum action act, const char **why)
{
	struct view_form *vf = v->data;

	if ((act == ACT_FORM_PREVIEW || act == ACT_FORM_SCRIPT) &&
	    vf->fm.kind == SEG_STATIC) {
		*why = N_("A static segment has no conditions.");
		return 0;
	}
	if (act == ACT_FORM_PREVIEW && tui_work_busy(v->tui)) {
		*why = N_("Another job is running.");
		return 0;
	}
	return 1;
}

/* The script's words, in the help (? / F1). */
static const struct help_note view_form_notes[] = {
	{ NULL, N_("Script (F3): the editor") },
	{ N_("Enter"), N_("a new line; F3 applies the script, ^S saves") },
	{ N_("Tab"), N_("completes a field, event name or word; again: "
	    "the next one") },
	{ N_("Up Down"), N_("Home End PgUp PgDn: by screen rows; ^A ^E: "
	    "the line") },
	{ NULL, N_("Script: field conditions") },
	{ N_("= != < >"), N_("<= >=, between A and B, in (...), not in (...)") },
	{ N_("contains"), N_("starts with, ends with, is empty, is true, has") },
	{ N_("within last"), N_("N days|hours, more than N days ago, before D") },
	{ N_("and or not"), N_("combine conditions; ( ) groups them") },
	{ N_("in segment"), N_("in segment \"Name\": a member of that segment") },
	{ NULL, N_("Script: event conditions") },
	{ N_("did"), N_("did \"E\": it happened; not did \"E\": it never did") },
	{ N_("times"), N_("at least|at most|exactly N times, between N and M "
	    "times") },
	{ N_("count of"), N_("count of \"E\" >= N: the number of events") },
	{ N_("sum avg"), N_("sum(p) of \"E\" >= X; also avg, min, max of p") },
	{ N_("first last"), N_("last \"E\" more than N days ago, first \"E\" "
	    "on D") },
	{ N_("where"), N_("where (amount > 100 and time within last 7 days)") },
	{ N_("since before"), N_("within last N days|hours; between, since, "
	    "before a date") },
	{ NULL, NULL }
};

static int
vf_unsaved(struct view *v)
{
	struct view_form *vf = v->data;

	return vf->dirty;
}

const struct view_ops view_form_ops = {
	.name = "form",
	.title = N_("Segment form"),
	.actions = view_form_actions,
	.open = vf_open,
	.close = vf_close,
	.resize = vf_resize,
	.draw = vf_draw,
	.key = vf_key,
	.notify = vf_notify,
	.title_text = vf_title,
	.enabled = vf_enabled,
	.notes = view_form_notes,
	.unsaved = vf_unsaved,
	.offers = vf_offers,
};

struct view *
view_form_new(struct tui *tui, const char *name, enum view_form_part part)
{
	struct view_form *vf;
	int		 f;

	vf = xcalloc(1, sizeof *vf);
	fm_init(&vf->fm);
	for (f = 0; f < FM_NFIELDS; f++)
		widget_text_init(&vf->text[f]);
	textedit_init(&vf->script);
	widget_text_init(&vf->box_text);
	vf->title = name != NULL ? xstrdup(name) : NULL;
	vf->add_row = (int)part;
	vf->edit_row = -1;
	return view_new(tui, &view_form_ops, vf);
}
