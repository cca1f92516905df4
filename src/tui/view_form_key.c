/*
 * The segment form's keys: a pop-up (picker or value box) takes every
 * key; a focused text field takes what it edits; the rest are the form's
 * actions (actions.def), for the form or for the focused item.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "form_model.h"
#include "i18n.h"
#include "keys.h"
#include "segment.h"
#include "textedit.h"
#include "store.h"
#include "tui.h"
#include "tz.h"
#include "timeutil.h"
#include "util.h"
#include "view_form_int.h"
#include "widget.h"

static int
vf_seg_recent(const void *a, const void *b)
{
	const struct segment *x = *(struct segment *const *)a;
	const struct segment *y = *(struct segment *const *)b;

	/* Changed in the same second: the one created later first. */
	if (x->updated_at != y->updated_at)
		return x->updated_at > y->updated_at ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/*
 * The timezone picker: the machine's zone, the zones of the segments
 * (most recently changed first), then every zone by region; each with
 * its offset and abbreviation now.  Typing matches anywhere in the name.
 */
static void
vf_tz_pick(struct view_form *vf)
{
	struct store_txn *txn;
	struct segment	**segs = NULL;
	struct tz_entry	*rows;
	const char	**recent, **labels, **groups;
	char		*cause = NULL, *machine;
	size_t		 nsegs = 0, nrecent = 0, n, i;
	int		 cur = -1;

	if (store_read_begin(vf->tui->store, &txn, &cause) == 0) {
		if (seg_list(txn, &segs, &nsegs, &cause) != 0)
			nsegs = 0;
		store_read_end(txn);
	}
	free(cause);
	if (nsegs > 0)
		qsort(segs, nsegs, sizeof *segs, vf_seg_recent);
	recent = xcalloc(nsegs + 1, sizeof *recent);
	for (i = 0; i < nsegs; i++)
		if (segs[i]->has_sched)
			recent[nrecent++] = segs[i]->sched.tz;
	machine = tz_machine();
	rows = tz_picker_list(tu_now(), machine, recent, nrecent, &n);
	free(machine);
	free(recent);
	seg_list_free(segs, nsegs);

	vf_free_names(vf);
	vf->names = xcalloc(n + 1, sizeof *vf->names);
	labels = xcalloc(n + 1, sizeof *labels);
	groups = xcalloc(n + 1, sizeof *groups);
	for (i = 0; i < n; i++) {
		vf->names[i] = xstrdup(rows[i].name);
		labels[i] = rows[i].label;
		groups[i] = rows[i].group;
		if (cur < 0 && strcmp(rows[i].name, fm_text(&vf->fm,
		    FM_TZ)) == 0)
			cur = (int)i;
	}
	vf->nnames = n;
	widget_picker_open_grouped(&vf->picker, _("Timezone (type to "
	    "search)"), labels, (const char *const *)vf->names, groups, n,
	    cur < 0 ? 0 : cur, tz_match);
	free(labels);
	free(groups);
	tz_picker_free(rows, n);
	vf->pick = VP_TZ;
}

static void
vf_choose(struct view *v, struct vf_item *it, int dir)
{
	struct view_form *vf = v->data;
	size_t		 i;
	int		 cur = 0;

	switch (it->field) {
	case FM_KIND:
		if (vf->fm.orig != NULL)
			return;
		vf->fm.kind = vf->fm.kind == SEG_STATIC ? SEG_SCHEDULED :
		    SEG_STATIC;
		vf_changed(vf, FM_NFIELDS);
		break;
	case FM_FREQ:
		vf->fm.freq = (enum sched_freq)(((int)vf->fm.freq + dir + 5) %
		    5);
		vf_changed(vf, FM_FREQ);
		break;
	case FM_LIMIT_ON:
		vf->fm.limit_on = !vf->fm.limit_on;
		vf_changed(vf, FM_NFIELDS);
		break;
	case FM_SCHED_ON:
		vf->fm.sched_on = !vf->fm.sched_on;
		vf_changed(vf, FM_SCHED_ON);
		break;
	case FM_DB:
		if (vf->fm.orig != NULL) {
			tui_status(v->tui, "%s", _("The database of a saved "
			    "segment cannot be changed."));
			return;
		}
		if (vf->ndbs == 0) {
			tui_status(v->tui, "%s", _("No profile database "
			    "yet: see 'reseg db create' or 'reseg demo'."));
			return;
		}
		for (i = 0; i < vf->ndbs; i++)
			if (strcmp(vf->dbs[i], fm_text(&vf->fm, FM_DB)) == 0)
				cur = (int)i;
		widget_picker_open(&vf->picker, _("Database"),
		    (const char *const *)vf->dblabels, vf->ndbs, cur);
		vf->pick = VP_DB;
		break;
	case FM_TZ:
		vf_tz_pick(vf);
		break;
	default:
		break;
	}
}

/*
 * The form's actions that a focused text field lets through (Tab, Esc,
 * save, preview, script, import); it takes every other key it edits with.
 */
static const enum action vf_field_passes[] = {
	ACT_NEXT_FIELD, ACT_BACK, ACT_FORM_SAVE, ACT_FORM_PREVIEW,
	ACT_FORM_SCRIPT, ACT_FORM_IMPORT, ACT_NONE
};

/* Keys a focused text field takes before the form's actions. */
static int
vf_text_key(struct view_form *vf, struct vf_item *it, enum action act,
    int key, int is_keycode)
{
	const enum action *p;
	int		 r;

	if (it->type == VI_SCRIPT && act == ACT_NEXT_FIELD)
		return vf_script_complete(vf) == VIEW_IGNORED ? WT_IGNORED :
		    WT_MOVED;
	for (p = vf_field_passes; *p != ACT_NONE; p++)
		if (act == *p)
			return WT_IGNORED;
	if (it->type != VI_SCRIPT)
		r = widget_text_key(&vf->text[it->field], key, is_keycode);
	else if (act == ACT_UNDO || act == ACT_REDO)
		r = (act == ACT_UNDO ? textedit_undo(&vf->script) :
		    textedit_redo(&vf->script)) == TE_CHANGED ? WT_CHANGED :
		    WT_MOVED;
	else {
		r = textedit_key(&vf->script, key, is_keycode, VF_SCRIPT_H);
		r = r == TE_CHANGED ? WT_CHANGED : r == TE_MOVED ? WT_MOVED :
		    WT_IGNORED;
	}
	if (r == WT_CHANGED) {
		/* A message about the text before this edit is stale now
		 * ("it does not parse" beside "The script parses."). */
		tui_status_clear(vf->tui);
		vf_changed(vf, it->field);
	}
	return r;
}

/* A picker or the value box takes every key; ^C closes it as Esc does. */
static int
vf_popup_key(struct view_form *vf, int key, int is_keycode)
{
	if (TUI_IS_CHAR(key, is_keycode, TUI_KEY_CANCEL))
		key = TUI_KEY_ESC;
	if (vf->picker.open)
		return vf_picker_key(vf, key, is_keycode) | VIEW_HANDLED;
	return vf_box_key(vf, key, is_keycode) | VIEW_HANDLED;
}

/* The actions of the whole form, whatever has the focus. */
static int
vf_form_action(struct view *v, enum action act)
{
	struct view_form *vf = v->data;

	switch (act) {
	case ACT_FORM_SAVE:
		vf_save(v);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_FORM_PREVIEW:
		vf_preview(v);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_FORM_SCRIPT:
		return vf_script_switch(v);
	case ACT_FORM_IMPORT:
		if (vf->fm.kind == SEG_STATIC)
			return VIEW_HANDLED;
		vf_import_pick(vf);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_NEXT_FIELD:
	case ACT_DOWN:
		vf_move(vf, 1);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_PREV_FIELD:
	case ACT_UP:
		vf_move(vf, -1);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_PAGE_DOWN:
	case ACT_PAGE_UP:
		for (int i = 0; i < vf->height / 2; i++)
			vf_move(vf, act == ACT_PAGE_DOWN ? 1 : -1);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_SEG_CANCEL:
		return vf_leave(v);
	default:
		return VIEW_IGNORED;
	}
}

static int
vf_is_tree_action(enum action act)
{
	return act == ACT_ENTER || act == ACT_FORM_ADD_COND ||
	    act == ACT_FORM_ADD_GROUP || act == ACT_FORM_REMOVE ||
	    act == ACT_FORM_ANDOR || act == ACT_FORM_MOVE_UP ||
	    act == ACT_FORM_MOVE_DOWN || act == ACT_FORM_DELETE_ALL;
}

/* The actions of the focused item. */
static int
vf_item_action(struct view *v, enum action act, struct vf_item *it)
{
	struct view_form *vf = v->data;

	/* Adding to the tree or clearing it works from any field. */
	if ((it->type == VI_TREE || ((act == ACT_FORM_ADD_COND ||
	    act == ACT_FORM_ADD_GROUP || act == ACT_FORM_DELETE_ALL) &&
	    vf->fm.kind == SEG_SCHEDULED && !vf->fm.script_mode)) &&
	    vf_is_tree_action(act)) {
		vf_tree_action(v, act, it);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (it->type == VI_CHECK || it->type == VI_CHOICE ||
	    it->type == VI_PICK) {
		if (act == ACT_ENTER || act == ACT_FORM_TOGGLE ||
		    act == ACT_FORM_PICK || act == ACT_RIGHT) {
			vf_choose(v, it, 1);
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		if (act == ACT_LEFT) {
			vf_choose(v, it, -1);
			return VIEW_HANDLED | VIEW_REDRAW;
		}
	}
	if (act == ACT_ENTER) {
		vf_move(vf, 1);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return VIEW_IGNORED;
}

int
vf_key(struct view *v, enum action act, int key, int is_keycode)
{
	struct view_form *vf = v->data;
	struct vf_item	*it = vf_cur(vf);
	int		 r;

	if (vf->picker.open || vf->box != VB_NONE)
		return vf_popup_key(vf, key, is_keycode);
	if (vf->preview != NULL && (act == ACT_BACK || act == ACT_SEG_CANCEL ||
	    TUI_IS_CHAR(key, is_keycode, TUI_KEY_CANCEL))) {
		vf->preview->cancel = 1;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	/* ^C cancels a recalculation running meanwhile, else leaves as Esc. */
	if (act == ACT_SEG_CANCEL && v->tui->run.active) {
		tui_recalc_cancel(v->tui);
		return VIEW_HANDLED;
	}
	/* A text field takes '?' as a character; F1 still shows the help. */
	if (it != NULL && (it->type == VI_TEXT || it->type == VI_SCRIPT) &&
	    !(act == ACT_HELP && is_keycode)) {
		if (vf_text_key(vf, it, act, key, is_keycode) != WT_IGNORED)
			return VIEW_HANDLED | VIEW_REDRAW;
		if (act == ACT_HELP)
			return VIEW_IGNORED;
	}
	if ((r = vf_form_action(v, act)) != VIEW_IGNORED)
		return r;
	if (it == NULL)
		return VIEW_IGNORED;
	return vf_item_action(v, act, it);
}

/*
 * What the focused item takes: the tree's own keys on a condition or
 * group, a choice's on a check box, choice or picker; adding conditions
 * and importing them wherever the tree is edited (a scheduled segment,
 * not in the script), undo and redo in the script editor.  The help
 * lists only these.
 */
int
vf_offers(struct view *v, enum action act)
{
	struct view_form *vf = v->data;
	struct vf_item	*it = vf_cur(vf);
	int		 tree = vf->fm.kind == SEG_SCHEDULED &&
			    !vf->fm.script_mode;

	switch (act) {
	case ACT_FORM_REMOVE:
	case ACT_FORM_ANDOR:
	case ACT_FORM_MOVE_UP:
	case ACT_FORM_MOVE_DOWN:
		return it != NULL && it->type == VI_TREE;
	case ACT_FORM_PICK:
	case ACT_FORM_TOGGLE:
		return it != NULL && (it->type == VI_CHECK ||
		    it->type == VI_CHOICE || it->type == VI_PICK);
	case ACT_FORM_ADD_COND:
	case ACT_FORM_ADD_GROUP:
	case ACT_FORM_DELETE_ALL:
		return tree;
	case ACT_FORM_IMPORT:
		return vf->fm.kind == SEG_SCHEDULED;
	case ACT_UNDO:
	case ACT_REDO:
		return it != NULL && it->type == VI_SCRIPT;
	default:
		return 1;
	}
}
