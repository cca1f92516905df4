/*
 * The segment form (SPEC 6.2): name, database, kind, the conditions tree
 * or its script, range, limit, schedule, tags and access groups, a
 * preview (dry run) and Save.  The model and its checks are in
 * form_model.c; this file lays the fields out, edits them and shows each
 * cause next to its field.  A focused text field takes typed characters
 * directly; the other fields take the form's actions.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>
#include <roaring/roaring.h>

#include "draw.h"
#include "eval.h"
#include "form_model.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"
#include "tui.h"
#include "tz.h"
#include "util.h"
#include "view.h"
#include "view_form.h"
#include "widget.h"

#define VF_LABEL	18
#define VF_SCRIPT_H	6

enum vf_item_type {
	VI_TEXT,		/* a text or number field */
	VI_PICK,		/* a value chosen from a list (Enter) */
	VI_CHOICE,		/* cycles with Space, Left, Right */
	VI_CHECK,		/* a toggle */
	VI_TREE,		/* one row of the conditions tree */
	VI_SCRIPT,		/* the script editor */
	VI_INFO,		/* read-only lines, not focusable */
	VI_RULE			/* a heading, not focusable */
};

struct vf_item {
	enum vf_item_type type;
	enum fm_field	 field;
	int		 row;		/* VI_TREE: the tree row */
	const char	*label;		/* N_() */
	int		 y, h;		/* in form lines, set by layout */
	int		 err;		/* its field's cause is drawn below */
};

enum vf_pick {
	VP_NONE,
	VP_DB,
	VP_TZ,
	VP_OPERAND,
	VP_OPERATOR,
	VP_SEGMENT,
	VP_IMPORT
};

/* What the value box is for. */
enum vf_box {
	VB_NONE,
	VB_VALUES,
	VB_FILE
};

struct vf_preview {
	struct store	*store;
	struct segment	*def;
	uint32_t	 self;
	atomic_int	 cancel;
	int		 orphan;	/* the form closed while it ran */
	uint64_t	 count, added, removed;
	int		 compared;
	struct segment	**used;		/* "in segment" members, cached */
	roaring_bitmap_t **bitmaps;
	size_t		 nused;
	struct store_txn *txn;
};

struct view_form {
	struct tui	*tui;
	struct form_model fm;
	int		 lines;		/* form lines in all */
	struct widget_text text[FM_NFIELDS];
	struct widget_text script;
	struct vf_item	*items;
	size_t		 nitems;
	int		 focus;		/* index into items */
	int		 top;		/* first form line shown */
	int		 height;	/* body lines for the form */
	int		 width;		/* body columns */
	int		 dirty;		/* unsaved changes */
	int		 opened;	/* open() succeeded */
	char		*title;

	char		**dbs;		/* database names */
	size_t		 ndbs;
	struct pdb_schema *schema;	/* of the chosen database */

	struct widget_picker picker;
	enum vf_pick	 pick;
	/* Condition being edited. */
	int		 edit_row;	/* -1: a new one after add_row */
	int		 add_row;
	int		 add_group;
	char		*edit_field;
	enum cond_func	 edit_func;
	int		 edit_not;	/* "not in segment" */
	int		 edit_negated;	/* editing the test of "not TEST" */
	enum cond_op	 ops[CO_COUNT];
	size_t		 nops;
	enum cond_op	 edit_op;
	char		**names;	/* picker choices (segments) */
	size_t		 nnames;
	int		*operand_field;	/* per operand item: field, -1/-2 seg */
	enum cond_func	*operand_func;

	enum vf_box	 box;
	struct widget_text box_text;
	char		*box_hint;
	char		*box_err;

	char		*next[3];	/* next runs, or an error in next[0] */
	struct vf_preview *preview;	/* running */
	char		*preview_text;
};

static const enum action view_form_actions[] = {
	ACT_FORM_SAVE, ACT_FORM_PREVIEW, ACT_FORM_SCRIPT, ACT_NEXT_FIELD,
	ACT_PREV_FIELD, ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN,
	ACT_ENTER, ACT_FORM_PICK, ACT_FORM_TOGGLE, ACT_FORM_ADD_COND,
	ACT_FORM_ADD_GROUP, ACT_FORM_REMOVE, ACT_FORM_ANDOR, ACT_FORM_MOVE_UP,
	ACT_FORM_MOVE_DOWN, ACT_FORM_DELETE_ALL, ACT_FORM_IMPORT, ACT_LEFT,
	ACT_RIGHT, ACT_NONE
};

static const char *vf_freq_names[] = {
	N_("every N days"), N_("once on a date"), N_("weekly"),
	N_("monthly"), N_("every N hours")
};

/* ------------------------------------------------------------------ */
/* Layout                                                               */
/* ------------------------------------------------------------------ */

static void
vf_add(struct view_form *vf, enum vf_item_type type, enum fm_field f,
    int row, const char *label, int h)
{
	struct vf_item	*it;

	vf->items = xreallocarray(vf->items, vf->nitems + 1, sizeof *it);
	it = &vf->items[vf->nitems++];
	memset(it, 0, sizeof *it);
	it->type = type;
	it->field = f;
	it->row = row;
	it->label = label;
	it->h = h;
}

static int
vf_focusable(const struct vf_item *it)
{
	return it->type != VI_INFO && it->type != VI_RULE;
}

/* Column and width of the cause drawn below an item. */
static int
vf_err_x(const struct vf_item *it)
{
	return it->type == VI_TREE || it->type == VI_SCRIPT ? 2 :
	    VF_LABEL + 1;
}

/* Rows of a cause, word-wrapped (at most 3, the rest is cut). */
static int
vf_err_rows(const struct view_form *vf, const struct vf_item *it,
    const char *cause)
{
	char	*t;
	int	 n, w = (vf->width > 0 ? vf->width : 80) - vf_err_x(it);

	t = xasprintf("^ %s", cause);
	n = draw_wrapped_rows(w, 2, t);
	free(t);
	return n < 1 ? 1 : n > 3 ? 3 : n;
}

/* Builds the items from the model, keeping the focus on the same field. */
static void
vf_layout(struct view_form *vf)
{
	struct form_model *fm = &vf->fm;
	struct vf_item	 old = { VI_RULE, FM_NAME, 0, NULL, 0, 0, 0 };
	struct fm_row	*rows;
	size_t		 n, i;
	int		 y;

	if (vf->nitems > 0 && vf->focus >= 0 && (size_t)vf->focus < vf->nitems)
		old = vf->items[vf->focus];
	free(vf->items);
	vf->items = NULL;
	vf->nitems = 0;
	vf_add(vf, VI_TEXT, FM_NAME, 0, N_("Name"), 1);
	vf_add(vf, VI_PICK, FM_DB, 0, N_("Database"), 1);
	vf_add(vf, VI_CHOICE, FM_KIND, 0, N_("Kind"), 1);
	if (fm->kind == SEG_SCHEDULED) {
		vf_add(vf, VI_RULE, FM_COND, 0, fm->script_mode ?
		    N_("Conditions: script (F3: tree)") :
		    N_("Conditions (F3: script)"), 1);
		if (fm->script_mode)
			vf_add(vf, VI_SCRIPT, FM_COND, 0, N_("Script"),
			    VF_SCRIPT_H);
		else {
			n = fm_tree_rows(fm->cond, &rows);
			for (i = 0; i < n; i++)
				vf_add(vf, VI_TREE, FM_COND, (int)i, NULL, 1);
			free(rows);
		}
		vf_add(vf, VI_TEXT, FM_RANGE_LO, 0, N_("Range from, %"), 1);
		vf_add(vf, VI_TEXT, FM_RANGE_HI, 0, N_("Range to, %"), 1);
		vf_add(vf, VI_CHECK, FM_LIMIT_ON, 0, N_("Limit"), 1);
		if (fm->limit_on)
			vf_add(vf, VI_TEXT, FM_LIMIT, 0, N_("Profiles at most"),
			    1);
		vf_add(vf, VI_CHECK, FM_SCHED_ON, 0, N_("Schedule"), 1);
		if (fm->sched_on) {
			vf_add(vf, VI_TEXT, FM_TIME, 0, N_("Time (HH:MM)"), 1);
			vf_add(vf, VI_PICK, FM_TZ, 0, N_("Timezone"), 1);
			vf_add(vf, VI_CHOICE, FM_FREQ, 0, N_("Frequency"), 1);
			switch (fm->freq) {
			case SCHED_DAILY:
				vf_add(vf, VI_TEXT, FM_INTERVAL, 0,
				    N_("Every N days"), 1);
				break;
			case SCHED_HOURLY:
				vf_add(vf, VI_TEXT, FM_INTERVAL, 0,
				    N_("Every N hours"), 1);
				break;
			case SCHED_ONCE:
				vf_add(vf, VI_TEXT, FM_ONCE, 0,
				    N_("On (YYYY-MM-DD)"), 1);
				break;
			case SCHED_WEEKLY:
				vf_add(vf, VI_TEXT, FM_WEEKDAYS, 0,
				    N_("Weekdays"), 1);
				break;
			case SCHED_MONTHLY:
				vf_add(vf, VI_TEXT, FM_MONTHDAYS, 0,
				    N_("Days (1,15,last)"), 1);
				break;
			}
			vf_add(vf, VI_TEXT, FM_UNTIL, 0,
			    N_("Deactivate after"), 1);
			vf_add(vf, VI_INFO, FM_SCHED_ON, 0, N_("Next runs"), 3);
		}
	}
	vf_add(vf, VI_TEXT, FM_TAGS, 0, N_("Tags"), 1);
	vf_add(vf, VI_TEXT, FM_GROUPS, 0, N_("Access groups"), 1);
	y = 0;
	for (i = 0; i < vf->nitems; i++) {
		struct vf_item *it = &vf->items[i];

		it->y = y;
		y += it->h;
		it->err = 0;
		if (it->type == VI_RULE || it->type == VI_INFO ||
		    fm->err[it->field] == NULL)
			continue;
		if (i + 1 < vf->nitems && vf->items[i + 1].field == it->field &&
		    vf->items[i + 1].type == it->type)
			continue;
		it->err = vf_err_rows(vf, it, fm->err[it->field]);
		y += it->err;
	}
	vf->lines = y;
	vf->focus = -1;
	for (i = 0; i < vf->nitems; i++) {
		if (!vf_focusable(&vf->items[i]))
			continue;
		if (vf->items[i].field == old.field &&
		    (old.type != VI_TREE || vf->items[i].type != VI_TREE ||
		    vf->items[i].row <= old.row)) {
			vf->focus = (int)i;
			if (old.type != VI_TREE || vf->items[i].row == old.row)
				break;
		}
	}
	if (vf->focus < 0)
		vf->focus = 0;
}

static struct vf_item *
vf_cur(struct view_form *vf)
{
	if (vf->focus < 0 || (size_t)vf->focus >= vf->nitems)
		return NULL;
	return &vf->items[vf->focus];
}

static void
vf_focus_field(struct view_form *vf, enum fm_field f, int row)
{
	size_t	 i;

	for (i = 0; i < vf->nitems; i++)
		if (vf_focusable(&vf->items[i]) && vf->items[i].field == f &&
		    (vf->items[i].type != VI_TREE || vf->items[i].row == row)) {
			vf->focus = (int)i;
			return;
		}
}

static void
vf_move(struct view_form *vf, int dir)
{
	int	 i = vf->focus;

	for (;;) {
		i += dir;
		if (i < 0 || (size_t)i >= vf->nitems)
			return;
		if (vf_focusable(&vf->items[i])) {
			vf->focus = i;
			return;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Model <-> widgets                                                    */
/* ------------------------------------------------------------------ */

static void
vf_sync_widgets(struct view_form *vf)
{
	int	 f;

	for (f = 0; f < FM_NFIELDS; f++)
		widget_text_set(&vf->text[f], fm_text(&vf->fm, f));
	widget_text_set(&vf->script, vf->fm.script != NULL ? vf->fm.script :
	    "");
}

/* The next three runs, shown live under the schedule. */
static void
vf_sched_refresh(struct view_form *vf)
{
	struct sched	 sc;
	struct tz	*tz;
	int64_t		 t, now = tu_now();
	char		*cause = NULL, ub[TU_DATETIME_BUF], db[TU_DATE_BUF];
	int		 i, sod;

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
		/* The UTC instant, then the wall time in the schedule's zone. */
		sod = (int)(((t + tz_offset(tz, t)) % 86400 + 86400) % 86400);
		vf->next[i] = xasprintf("%s   %s %02d:%02d %s",
		    tu_format_datetime(t, ub),
		    tu_format_date(tz_local_date(tz, t), db), sod / 3600,
		    sod % 3600 / 60, sc.tz);
	}
	tz_close(tz);
}

static void
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
static void
vf_changed(struct view_form *vf, enum fm_field f)
{
	vf->dirty = 1;
	if (f == FM_COND) {
		free(vf->fm.script);
		vf->fm.script = xstrdup(widget_text_str(&vf->script));
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

static void
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

	vf->tui = v->tui;
	if (store_read_begin(v->tui->store, &txn, cause) != 0)
		return -1;
	if (pdb_list(txn, &dbs, &n, cause) != 0) {
		store_read_end(txn);
		return -1;
	}
	vf->dbs = xcalloc(n + 1, sizeof *vf->dbs);
	for (i = 0; i < n; i++) {
		vf->dbs[i] = xstrdup(dbs[i]->name);
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

static void
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
	widget_text_free(&vf->script);
	widget_text_free(&vf->box_text);
	widget_picker_close(&vf->picker);
	free(vf->items);
	free(vf->title);
	for (i = 0; i < vf->ndbs; i++)
		free(vf->dbs[i]);
	free(vf->dbs);
	schema_free(vf->schema);
	free(vf->edit_field);
	vf_free_names(vf);
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

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */

static const char *
vf_value_text(struct view_form *vf, const struct vf_item *it, char *buf,
    size_t len)
{
	switch (it->field) {
	case FM_KIND:
		return vf->fm.kind == SEG_STATIC ? _("static") :
		    _("scheduled");
	case FM_FREQ:
		return _(vf_freq_names[vf->fm.freq]);
	case FM_LIMIT_ON:
		snprintf(buf, len, "[%s]", vf->fm.limit_on ? "x" : " ");
		return buf;
	case FM_SCHED_ON:
		snprintf(buf, len, "[%s]", vf->fm.sched_on ? "x" : " ");
		return buf;
	default:
		return fm_text(&vf->fm, it->field);
	}
}

static void
vf_draw_item(struct view_form *vf, struct vf_item *it, int y, int x, int w,
    int focus, int lo, int hi)
{
	enum draw_role	 role = focus ? DR_FIELD_FOCUS : DR_FIELD;
	struct fm_row	*rows;
	char		 buf[64], *t;
	size_t		 n;
	int		 i, vx = x + VF_LABEL + 1, vw = w - VF_LABEL - 1;

	if (it->type == VI_RULE) {
		draw_rule(y, x, w, _(it->label), 0);
		return;
	}
	if (it->type == VI_TREE) {
		n = fm_tree_rows(vf->fm.cond, &rows);
		if ((size_t)it->row < n) {
			t = fm_row_text(rows[it->row].node);
			i = 2 + rows[it->row].depth * 2;
			draw_text_pad(y, x + i, w - i, t, focus ? DR_CURSOR :
			    DR_NORMAL);
			if (it->row == 0 && rows[0].node->nkids == 0)
				draw_text(y, x + i + draw_width(t) + 1,
				    w - i - draw_width(t) - 1,
				    _("— no conditions: every profile "
				    "(^N adds one)"), DR_DISABLED);
			free(t);
		}
		free(rows);
		return;
	}
	draw_text_pad(y, x, VF_LABEL, _(it->label), it->type == VI_INFO ?
	    DR_HEADER : DR_NORMAL);
	switch (it->type) {
	case VI_TEXT:
		if (y >= lo && y < hi)
			widget_text_draw(&vf->text[it->field], y, vx,
			    vw > 40 ? 40 : vw, 1, focus, 0, 0);
		break;
	case VI_SCRIPT:
		widget_text_draw(&vf->script, y, x, w, it->h, focus,
		    vf->fm.err_line, vf->fm.err_col);
		break;
	case VI_INFO:
		for (i = 0; i < 3 && y + i < hi; i++)
			if (vf->next[i] != NULL)
				draw_text(y + i, vx, vw, vf->next[i], i == 0 &&
				    vf->next[1] == NULL ? DR_WARN : DR_NORMAL);
		break;
	case VI_PICK:
		if (it->field == FM_DB && vf->fm.orig != NULL)
			draw_printf(y, vx, vw, DR_NORMAL, "%s  %s",
			    fm_text(&vf->fm, FM_DB), _("(fixed once saved)"));
		else
			draw_printf(y, vx, vw > 40 ? 40 : vw, role, "%s  ▾",
			    vf_value_text(vf, it, buf, sizeof buf));
		break;
	case VI_CHOICE:
		if (it->field == FM_KIND && vf->fm.orig != NULL)
			draw_text(y, vx, vw, vf_value_text(vf, it, buf,
			    sizeof buf), DR_NORMAL);
		else
			draw_printf(y, vx, vw > 40 ? 40 : vw, role, "< %s >",
			    vf_value_text(vf, it, buf, sizeof buf));
		break;
	case VI_CHECK:
		draw_text(y, vx, vw, vf_value_text(vf, it, buf, sizeof buf),
		    role);
		break;
	default:
		break;
	}
}

static void
vf_draw_box(struct view_form *vf, struct tui_rect body)
{
	struct tui_rect	 r;

	r.w = body.w - 8;
	r.h = vf->box_err != NULL ? 7 : 6;
	r.x = body.x + 4;
	r.y = body.y + (body.h - r.h) / 2;
	draw_box(r, vf->box == VB_FILE ? _("Import conditions from a JSON "
	    "file") : _("Value"), 1);
	draw_text(r.y + 1, r.x + 2, r.w - 4, vf->box_hint != NULL ?
	    vf->box_hint : "", DR_HEADER);
	if (vf->box_err != NULL)
		draw_text(r.y + 4, r.x + 2, r.w - 4, vf->box_err, DR_ERROR);
	draw_text(r.y + r.h - 2, r.x + 2, r.w - 4, _("Enter: OK   Esc: "
	    "cancel"), DR_KEY);
	widget_text_draw(&vf->box_text, r.y + 2, r.x + 2, r.w - 4, 1, 1, 0, 0);
}

static void
vf_draw(struct view *v, struct tui_rect r)
{
	struct view_form *vf = v->data;
	struct vf_item	*cur = vf_cur(vf), *it;
	size_t		 i;
	int		 y, hi = r.y + vf->height, fy = 0, fh = 1;

	if (cur != NULL) {
		fy = cur->y;
		fh = cur->h + cur->err;
	}
	if (fy < vf->top)
		vf->top = fy;
	if (fy + fh > vf->top + vf->height)
		vf->top = fy + fh - vf->height;
	if (vf->top < 0)
		vf->top = 0;
	/* Draw the focused item last, so the terminal cursor stays on it. */
	for (i = 0; i <= vf->nitems; i++) {
		if (i == vf->nitems) {
			if (cur == NULL)
				break;
			it = cur;
		} else if ((it = &vf->items[i]) == cur)
			continue;
		y = r.y + it->y - vf->top;
		if (y + it->h <= r.y || y >= hi)
			continue;
		if (it->type == VI_SCRIPT && (y < r.y || y + it->h > hi))
			continue;
		if (y >= r.y)
			vf_draw_item(vf, it, y, r.x, r.w, it == cur, r.y, hi);
		if (it->err && y + it->h >= r.y && y + it->h < hi) {
			char *t = xasprintf("^ %s", vf->fm.err[it->field]);
			int ey = y + it->h;

			/* The whole cause, wrapped in the rows laid out. */
			draw_wrapped(ey, r.x + vf_err_x(it), r.w - vf_err_x(it),
			    ey + it->err < hi ? ey + it->err : hi, 2, t,
			    DR_ERROR);
			free(t);
		}
	}
	y = r.y + r.h - 1;
	if (vf->preview != NULL)
		draw_text_pad(y, r.x, r.w, _("Preview running... Esc cancels."),
		    DR_WARN);
	else if (vf->preview_text != NULL)
		draw_text_pad(y, r.x, r.w, vf->preview_text, DR_GOOD);
	else if (vf->fm.script_mode && vf->fm.err[FM_COND] == NULL)
		draw_text_pad(y, r.x, r.w, _("The script parses."), DR_GOOD);
	else
		draw_text_pad(y, r.x, r.w, vf->lines > vf->height ?
		    _("Tab/Shift-Tab: fields  ^S: save  F9: preview  "
		    "Esc: cancel  (scrolls)") : _("Tab/Shift-Tab: fields  "
		    "^S: save  F9: preview  Esc: cancel"), DR_STATUS);
	if (vf->picker.open)
		widget_picker_draw(&vf->picker, r);
	else if (vf->box != VB_NONE)
		vf_draw_box(vf, r);
	else if (cur != NULL && cur->type != VI_TEXT &&
	    cur->type != VI_SCRIPT)
		draw_caret_reset();
}

static void
vf_title(struct view *v, char *buf, size_t len)
{
	struct view_form *vf = v->data;

	if (vf->fm.orig != NULL)
		snprintf(buf, len, _("Edit segment: %s"), vf->fm.orig->name);
	else
		snprintf(buf, len, "%s", _("New segment"));
}

/* ------------------------------------------------------------------ */
/* The condition editor: operand, operator, values                      */
/* ------------------------------------------------------------------ */

static void
vf_box_open(struct view_form *vf, enum vf_box box, const char *hint,
    const char *initial)
{
	vf->box = box;
	free(vf->box_hint);
	free(vf->box_err);
	vf->box_hint = xstrdup(hint);
	vf->box_err = NULL;
	widget_text_free(&vf->box_text);
	widget_text_init(&vf->box_text, 0);
	widget_text_set(&vf->box_text, initial);
}

/* Puts a new or edited condition into the tree. */
static void
vf_tree_put(struct view_form *vf, struct cond *c)
{
	if (vf->edit_row > 0)
		fm_tree_replace(vf->fm.cond, vf->edit_row, c);
	else
		fm_tree_add(vf->fm.cond, vf->add_row, c);
	vf_tree_changed(vf, c);
}

static struct cond *
vf_edited(struct view_form *vf)
{
	struct fm_row	*rows;
	struct cond	*c = NULL;
	size_t		 n;

	if (vf->edit_row <= 0)
		return NULL;
	n = fm_tree_rows(vf->fm.cond, &rows);
	if ((size_t)vf->edit_row < n)
		c = rows[vf->edit_row].node;
	free(rows);
	/* "not TEST" is edited as its test; the "not" stays. */
	if (c != NULL && c->kind == CK_NOT && c->nkids == 1 &&
	    c->kids[0]->kind == CK_PRED)
		c = c->kids[0];
	return c;
}

static void
vf_pick_operand(struct view_form *vf)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct cond	*e = vf_edited(vf);
	enum field_type	 rt;
	const char	**items;
	size_t		 n = 0, i;
	int		 f, cur = -1;

	if (vf->schema == NULL) {
		tui_error(vf->tui, xstrdup(_("Choose a database first.")));
		return;
	}
	vf_free_names(vf);
	items = xcalloc((size_t)vf->schema->nfields * 6 + 3, sizeof *items);
	vf->names = xcalloc((size_t)vf->schema->nfields * 6 + 3,
	    sizeof *vf->names);
	vf->operand_field = xcalloc((size_t)vf->schema->nfields * 6 + 3,
	    sizeof *vf->operand_field);
	vf->operand_func = xcalloc((size_t)vf->schema->nfields * 6 + 3,
	    sizeof *vf->operand_func);
	for (f = 0; f < vf->schema->nfields; f++) {
		for (i = CF_NONE; i <= CF_LOWER; i++) {
			if (cond_func_type(vf->schema->fields[f].type, i,
			    &rt) != 0)
				continue;
			sb_reset(&sb);
			if (i == CF_NONE)
				sb_puts(&sb, vf->schema->fields[f].name);
			else
				sb_printf(&sb, "%s(%s)", cond_func_name(i),
				    vf->schema->fields[f].name);
			if (e != NULL && e->kind == CK_PRED &&
			    e->func == (enum cond_func)i &&
			    strcmp(e->field, vf->schema->fields[f].name) == 0)
				cur = (int)n;
			vf->names[n] = sb_detach(&sb);
			vf->operand_field[n] = f;
			vf->operand_func[n] = i;
			n++;
		}
	}
	vf->names[n] = xstrdup(_("in segment ..."));
	vf->operand_field[n++] = -1;
	vf->names[n] = xstrdup(_("not in segment ..."));
	vf->operand_field[n++] = -2;
	vf->nnames = n;
	for (i = 0; i < n; i++)
		items[i] = vf->names[i];
	widget_picker_open(&vf->picker, _("Field (type to search)"), items, n,
	    cur);
	vf->pick = VP_OPERAND;
	free(items);
	sb_free(&sb);
}

static void
vf_segment_names(struct view_form *vf, int with_file)
{
	struct store_txn *txn;
	struct segment	**segs = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL;

	vf_free_names(vf);
	if (store_read_begin(vf->tui->store, &txn, &cause) == 0) {
		if (seg_list(txn, &segs, &n, &cause) != 0)
			n = 0;
		store_read_end(txn);
	}
	free(cause);
	vf->names = xcalloc(n + 2, sizeof *vf->names);
	for (i = 0; i < n; i++)
		if (segs[i]->kind == SEG_SCHEDULED || !with_file)
			if (vf->fm.orig == NULL ||
			    strcmp(segs[i]->name, vf->fm.orig->name) != 0)
				vf->names[vf->nnames++] =
				    xstrdup(segs[i]->name);
	if (with_file)
		vf->names[vf->nnames++] = xstrdup(_("A JSON file..."));
	seg_list_free(segs, n);
}

static void
vf_pick_names(struct view_form *vf, const char *title, enum vf_pick pick)
{
	widget_picker_open(&vf->picker, title,
	    (const char *const *)vf->names, vf->nnames, 0);
	vf->pick = pick;
}

static void
vf_picked_operand(struct view_form *vf, int i)
{
	const char	*names[CO_COUNT];
	struct cond	*e = vf_edited(vf);
	enum field_type	 ft;
	size_t		 k;
	int		 cur = -1;

	if (vf->operand_field[i] < 0) {
		vf->edit_not = vf->operand_field[i] == -2;
		vf_segment_names(vf, 0);
		vf_pick_names(vf, _("Segment"), VP_SEGMENT);
		return;
	}
	free(vf->edit_field);
	vf->edit_field = xstrdup(vf->schema->fields[vf->operand_field[i]].name);
	vf->edit_func = vf->operand_func[i];
	ft = vf->schema->fields[vf->operand_field[i]].type;
	vf->nops = cond_ops_for(ft, vf->edit_func, vf->ops);
	for (k = 0; k < vf->nops; k++) {
		names[k] = cond_op_name(vf->ops[k]);
		if (e != NULL && e->kind == CK_PRED && e->op == vf->ops[k])
			cur = (int)k;
	}
	widget_picker_open(&vf->picker, _("Operator"), names, vf->nops, cur);
	vf->pick = VP_OPERATOR;
}

/* Builds the condition from the value box (or with no values). */
static int
vf_values_done(struct view_form *vf, const char *text)
{
	struct cond	*c, *n;
	char		*cause = NULL;

	if (fm_pred_build(vf->schema, vf->edit_field, vf->edit_func,
	    vf->edit_op, text, &c, &cause) != 0) {
		free(vf->box_err);
		vf->box_err = cause;
		return -1;
	}
	if (vf->edit_negated) {
		n = cond_new(CK_NOT);
		cond_add_kid(n, c);
		c = n;
	}
	vf_tree_put(vf, c);
	return 0;
}

static void
vf_picked_operator(struct view_form *vf, int i)
{
	struct cond	*e = vf_edited(vf);
	enum field_type	 ft, rt;
	char		*vals, *hint;
	int		 idx;

	vf->edit_op = vf->ops[i];
	if (fm_op_nvalues(vf->edit_op) == 0) {
		vf_box_open(vf, VB_VALUES, "", "");
		if (vf_values_done(vf, "") == 0)
			vf->box = VB_NONE;
		return;
	}
	idx = schema_field_index(vf->schema, vf->edit_field);
	ft = vf->schema->fields[idx].type;
	if (cond_func_type(ft, vf->edit_func, &rt) != 0)
		rt = ft;
	vals = e != NULL && e->kind == CK_PRED ? fm_pred_values_text(e) :
	    xstrdup("");
	hint = xasprintf("%s%s %s: %s", vf->edit_func != CF_NONE ?
	    cond_func_name(vf->edit_func) : "", vf->edit_field,
	    cond_op_name(vf->edit_op), fm_value_hint(rt, vf->edit_op));
	vf_box_open(vf, VB_VALUES, hint, vals);
	free(hint);
	free(vals);
}

static void
vf_picked_segment(struct view_form *vf, int i)
{
	struct cond	*c, *n;

	c = cond_new(CK_IN_SEGMENT);
	c->segment = xstrdup(vf->names[i]);
	if (vf->edit_not) {
		n = cond_new(CK_NOT);
		cond_add_kid(n, c);
		c = n;
	}
	vf_tree_put(vf, c);
}

static void
vf_import_cond(struct view_form *vf, struct cond *c)
{
	cond_free(vf->fm.cond);
	vf->fm.cond = fm_tree_root(c);
	fm_script_from_tree(&vf->fm);
	widget_text_set(&vf->script, vf->fm.script);
	vf->fm.script_mode = 0;
	vf_tree_changed(vf, NULL);
	tui_status(vf->tui, "%s", _("The conditions were imported."));
}

static void
vf_picked_import(struct view_form *vf, int i)
{
	struct store_txn *txn;
	struct segment	*s = NULL;
	char		*cause = NULL;

	if ((size_t)i + 1 == vf->nnames) {
		vf_box_open(vf, VB_FILE, _("The file's path:"), "");
		return;
	}
	if (store_read_begin(vf->tui->store, &txn, &cause) != 0) {
		tui_error(vf->tui, cause);
		return;
	}
	if (seg_get(txn, vf->names[i], &s, &cause) != 0) {
		store_read_end(txn);
		tui_error(vf->tui, cause);
		return;
	}
	store_read_end(txn);
	vf_import_cond(vf, s->cond != NULL ? cond_clone(s->cond) : NULL);
	seg_free(s);
}

static int
vf_import_file(struct view_form *vf, const char *path)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct cond	*c;
	cJSON		*j;
	FILE		*f;
	char		 buf[4096], *cause = NULL;
	size_t		 n;

	if ((f = fopen(path, "r")) == NULL) {
		free(vf->box_err);
		vf->box_err = xasprintf(_("%s: cannot open: %s"), path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	sb_puts(&sb, "");
	j = cJSON_Parse(sb.buf);
	sb_free(&sb);
	if (j == NULL) {
		free(vf->box_err);
		vf->box_err = xasprintf(_("%s: not valid JSON"), path);
		return -1;
	}
	c = cond_from_json(cJSON_GetObjectItemCaseSensitive(j, "conditions") !=
	    NULL ? cJSON_GetObjectItemCaseSensitive(j, "conditions") : j,
	    &cause);
	cJSON_Delete(j);
	if (c == NULL) {
		free(vf->box_err);
		vf->box_err = xasprintf("%s: %s", path, cause);
		free(cause);
		return -1;
	}
	vf_import_cond(vf, c);
	return 0;
}

static int
vf_picker_key(struct view_form *vf, int key, int is_keycode)
{
	enum vf_pick	 pick = vf->pick;
	int		 rc, i = -1;

	rc = widget_picker_key(&vf->picker, key, is_keycode, &i);
	if (rc == 0)
		return VIEW_REDRAW;
	widget_picker_close(&vf->picker);
	vf->pick = VP_NONE;
	if (rc < 0)
		return VIEW_REDRAW;
	switch (pick) {
	case VP_DB:
		fm_set_text(&vf->fm, FM_DB, vf->dbs[i]);
		vf_load_schema(vf);
		vf_changed(vf, FM_NFIELDS);
		break;
	case VP_TZ:
		fm_set_text(&vf->fm, FM_TZ, vf->names[i]);
		widget_text_set(&vf->text[FM_TZ], vf->names[i]);
		vf_changed(vf, FM_TZ);
		break;
	case VP_OPERAND:
		vf_picked_operand(vf, i);
		break;
	case VP_OPERATOR:
		vf_picked_operator(vf, i);
		break;
	case VP_SEGMENT:
		vf_picked_segment(vf, i);
		break;
	case VP_IMPORT:
		vf_picked_import(vf, i);
		break;
	default:
		break;
	}
	return VIEW_REDRAW;
}

static int
vf_box_key(struct view_form *vf, int key, int is_keycode)
{
	char	*text;
	int	 rc;

	if (!is_keycode && key == 27) {
		vf->box = VB_NONE;
		return VIEW_REDRAW;
	}
	if ((!is_keycode && (key == '\r' || key == '\n')) ||
	    (is_keycode && key == KEY_ENTER)) {
		text = xstrdup(widget_text_str(&vf->box_text));
		rc = vf->box == VB_FILE ? vf_import_file(vf, text) :
		    vf_values_done(vf, text);
		free(text);
		if (rc == 0)
			vf->box = VB_NONE;
		return VIEW_REDRAW;
	}
	widget_text_key(&vf->box_text, key, is_keycode);
	return VIEW_REDRAW;
}

/* ------------------------------------------------------------------ */
/* Save, preview, cancel                                                */
/* ------------------------------------------------------------------ */

/* Builds the definition; on errors focuses the first field with one. */
static struct segment *
vf_build(struct view_form *vf)
{
	struct store_txn *txn;
	struct segment	*s = NULL;
	char		*cause = NULL;
	size_t		 i;
	int		 rc;

	if (store_read_begin(vf->tui->store, &txn, &cause) != 0) {
		tui_error(vf->tui, cause);
		return NULL;
	}
	rc = fm_to_segment(&vf->fm, txn, tu_now(), &s);
	store_read_end(txn);
	vf_layout(vf);
	if (rc == 0)
		return s;
	for (i = 0; i < vf->nitems; i++)
		if (vf->items[i].err && vf_focusable(&vf->items[i])) {
			vf->focus = (int)i;
			break;
		}
	tui_error(vf->tui, xstrdup(_("Some fields need attention: see the "
	    "messages marked ^.")));
	return NULL;
}

static void
vf_save(struct view *v)
{
	struct view_form *vf = v->data;
	struct segment	*s;
	char		*cause = NULL;
	int		 rc;

	if ((s = vf_build(vf)) == NULL)
		return;
	if (vf->fm.orig == NULL)
		rc = seg_create(v->tui->store, s, NULL, &cause);
	else
		rc = seg_update(v->tui->store, vf->fm.orig->name, s, &cause);
	if (rc != 0) {
		fm_set_error(&vf->fm, FM_NAME, xstrdup(cause));
		vf_layout(vf);
		tui_error(v->tui, cause);
		seg_free(s);
		return;
	}
	tui_status(v->tui, vf->fm.orig == NULL ? _("Segment '%s' was "
	    "created.") : _("Segment '%s' was saved."), s->name);
	seg_free(s);
	vf->dirty = 0;
	tui_pop_view(v->tui);
}

static const roaring_bitmap_t *
vf_preview_members(void *arg, const char *name)
{
	struct vf_preview *p = arg;
	struct segment	*s = NULL;
	roaring_bitmap_t *b = NULL;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < p->nused; i++)
		if (strcmp(p->used[i]->name, name) == 0)
			return p->bitmaps[i];
	if (seg_get(p->txn, name, &s, &cause) != 0 ||
	    seg_members(p->txn, s->id, &b, &cause) != 0) {
		free(cause);
		seg_free(s);
		return NULL;
	}
	p->used = xreallocarray(p->used, p->nused + 1, sizeof *p->used);
	p->bitmaps = xreallocarray(p->bitmaps, p->nused + 1,
	    sizeof *p->bitmaps);
	p->used[p->nused] = s;
	p->bitmaps[p->nused++] = b;
	return b;
}

static int
vf_preview_work(struct tui *tui, void *arg, char **cause)
{
	struct vf_preview	*p = arg;
	struct pdb_schema	*schema = NULL;
	struct eval_prog	*prog = NULL;
	struct eval_query	 q;
	struct eval_env		 env;
	struct eval_progress	 pr;
	roaring_bitmap_t	*out, *old = NULL;
	int			 rc = -1;

	(void)tui;
	if (store_read_begin(p->store, &p->txn, cause) != 0)
		return -1;
	out = roaring_bitmap_create();
	memset(&q, 0, sizeof q);
	q.cond = p->def->cond;
	q.range_lo = p->def->range_lo;
	q.range_hi = p->def->range_hi;
	q.limit = p->def->limit;
	memset(&env, 0, sizeof env);
	env.now = tu_now();
	env.tz = p->def->has_sched ? p->def->sched.tz : NULL;
	env.segment_members = vf_preview_members;
	env.arg = p;
	memset(&pr, 0, sizeof pr);
	pr.cancel = &p->cancel;
	if (pdb_open(p->txn, p->def->db, &schema, cause) != 0 ||
	    eval_compile(schema, &q, &env, &prog, cause) != 0 ||
	    eval_run(prog, p->txn, 0, &pr, out, cause) != 0)
		goto out;
	if (p->cancel) {
		error_set(cause, "%s", _("The preview was cancelled."));
		goto out;
	}
	p->count = roaring_bitmap_get_cardinality(out);
	if (p->self != 0 && seg_members(p->txn, p->self, &old, cause) == 0) {
		p->added = roaring_bitmap_andnot_cardinality(out, old);
		p->removed = roaring_bitmap_andnot_cardinality(old, out);
		p->compared = 1;
		roaring_bitmap_free(old);
	}
	rc = 0;
out:
	eval_free(prog);
	schema_free(schema);
	roaring_bitmap_free(out);
	store_read_end(p->txn);
	p->txn = NULL;
	return rc;
}

static void
vf_preview_free(struct vf_preview *p)
{
	size_t	 i;

	for (i = 0; i < p->nused; i++) {
		seg_free(p->used[i]);
		roaring_bitmap_free(p->bitmaps[i]);
	}
	free(p->used);
	free(p->bitmaps);
	seg_free(p->def);
	free(p);
}

static void
vf_preview_done(struct tui *tui, void *arg, int rc, char *cause)
{
	struct vf_preview *p = arg;
	struct view	*v = tui_top_view(tui);
	struct view_form *vf;
	char		 a[32], b[32], c[32];

	if (p->orphan || v == NULL || v->ops != &view_form_ops ||
	    ((struct view_form *)v->data)->preview != p) {
		free(cause);
		vf_preview_free(p);
		return;
	}
	vf = v->data;
	vf->preview = NULL;
	free(vf->preview_text);
	if (rc != 0) {
		vf->preview_text = NULL;
		tui_error(tui, cause);
		cause = NULL;
	} else if (p->compared)
		vf->preview_text = xasprintf(_("Preview: %s profiles; %s added, "
		    "%s removed against the saved members."),
		    draw_count(p->count, a, sizeof a),
		    draw_count(p->added, b, sizeof b),
		    draw_count(p->removed, c, sizeof c));
	else
		vf->preview_text = xasprintf(_("Preview: %s profiles."),
		    draw_count(p->count, a, sizeof a));
	free(cause);
	vf_preview_free(p);
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

static void
vf_preview(struct view *v)
{
	struct view_form *vf = v->data;
	struct vf_preview *p;
	struct segment	*s;
	char		*cause = NULL;

	if (vf->preview != NULL)
		return;
	if (vf->fm.kind == SEG_STATIC) {
		tui_status(v->tui, "%s", _("A static segment has no conditions "
		    "to preview."));
		return;
	}
	if ((s = vf_build(vf)) == NULL)
		return;
	p = xcalloc(1, sizeof *p);
	p->store = v->tui->store;
	p->def = s;
	p->self = vf->fm.orig != NULL ? vf->fm.orig->id : 0;
	if (tui_work(v->tui, vf_preview_work, vf_preview_done, p,
	    &cause) != 0) {
		vf_preview_free(p);
		tui_error(v->tui, cause);
		return;
	}
	vf->preview = p;
	free(vf->preview_text);
	vf->preview_text = NULL;
}

static void
vf_discard(struct tui *tui, void *arg, int yes)
{
	if (yes && tui_top_view(tui) == arg)
		tui_pop_view(tui);
}

static void
vf_delete_all(struct tui *tui, void *arg, int yes)
{
	struct view	*v = arg;

	if (!yes || tui_top_view(tui) != v)
		return;
	fm_tree_clear(((struct view_form *)v->data)->fm.cond);
	vf_tree_changed(v->data, NULL);
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

static void
vf_tree_action(struct view *v, enum action act, struct vf_item *it)
{
	struct view_form *vf = v->data;
	struct fm_row	*rows;
	struct cond	*node = NULL, *g;
	size_t		 n;
	int		 row = it != NULL && it->type == VI_TREE ? it->row : 0;

	n = fm_tree_rows(vf->fm.cond, &rows);
	if ((size_t)row < n)
		node = rows[row].node;
	free(rows);
	switch (act) {
	case ACT_FORM_ADD_COND:
		vf->edit_negated = 0;
		vf->edit_row = -1;
		vf->add_row = row;
		vf_pick_operand(vf);
		break;
	case ACT_FORM_ADD_GROUP:
		g = cond_new(CK_OR);
		fm_tree_add(vf->fm.cond, row, g);
		vf_tree_changed(vf, g);
		break;
	case ACT_FORM_REMOVE:
		if (fm_tree_remove(vf->fm.cond, row) == 0)
			vf_tree_changed(vf, NULL);
		if (vf_cur(vf) != NULL && vf_cur(vf)->type == VI_TREE)
			vf_focus_field(vf, FM_COND, row - 1 > 0 ? row - 1 : 0);
		break;
	case ACT_FORM_ANDOR:
		fm_tree_andor(vf->fm.cond, row);
		vf_tree_changed(vf, node);
		break;
	case ACT_FORM_MOVE_UP:
	case ACT_FORM_MOVE_DOWN:
		if (fm_tree_move(vf->fm.cond, row, act == ACT_FORM_MOVE_UP ?
		    -1 : 1) == 0)
			vf_tree_changed(vf, node);
		break;
	case ACT_FORM_DELETE_ALL:
		tui_confirm(v->tui, vf_delete_all, v, "%s",
		    _("Delete all conditions of this segment?"));
		break;
	case ACT_ENTER:
		if (node == NULL)
			break;
		if (node->kind == CK_AND || node->kind == CK_OR) {
			fm_tree_andor(vf->fm.cond, row);
			vf_tree_changed(vf, node);
			break;
		}
		if (node->kind == CK_NOT && node->nkids == 1 &&
		    (node->kids[0]->kind == CK_AND ||
		    node->kids[0]->kind == CK_OR)) {
			tui_status(v->tui, "%s", _("A negated group is edited "
			    "in the script (F3)."));
			break;
		}
		vf->edit_negated = node->kind == CK_NOT &&
		    node->kids[0]->kind == CK_PRED;
		vf->edit_row = row;
		vf_pick_operand(vf);
		break;
	default:
		break;
	}
}

static void
vf_choose(struct view *v, struct vf_item *it, int dir)
{
	struct view_form *vf = v->data;
	char		**zones;
	size_t		 n, i;
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
		    (const char *const *)vf->dbs, vf->ndbs, cur);
		vf->pick = VP_DB;
		break;
	case FM_TZ:
		vf_free_names(vf);
		zones = tz_list_all();
		for (n = 0; zones != NULL && zones[n] != NULL; n++)
			;
		vf->names = xcalloc(n + 1, sizeof *vf->names);
		for (i = 0; i < n; i++) {
			vf->names[i] = xstrdup(zones[i]);
			if (strcmp(zones[i], fm_text(&vf->fm, FM_TZ)) == 0)
				cur = (int)i;
		}
		vf->nnames = n;
		tz_list_free(zones);
		widget_picker_open(&vf->picker, _("Timezone (type to search)"),
		    (const char *const *)vf->names, vf->nnames, cur);
		vf->pick = VP_TZ;
		break;
	default:
		break;
	}
}

/* Keys a focused text field takes before the form's actions. */
static int
vf_text_key(struct view_form *vf, struct vf_item *it, int key,
    int is_keycode)
{
	struct widget_text *t;
	int		 r;

	t = it->type == VI_SCRIPT ? &vf->script : &vf->text[it->field];
	if (!is_keycode && (key == '\t' || key == 27 || key == 19 ||
	    key == 5 || key == 16 || key == 18))
		return WT_IGNORED;	/* Tab, Esc, ^S, ^E, ^P, ^R */
	if (!is_keycode && (key == '\r' || key == '\n') &&
	    it->type != VI_SCRIPT)
		return WT_IGNORED;
	if (is_keycode && (key == KEY_UP || key == KEY_DOWN) &&
	    it->type != VI_SCRIPT)
		return WT_IGNORED;
	r = widget_text_key(t, key, is_keycode);
	if (r == WT_CHANGED)
		vf_changed(vf, it->field);
	return r;
}

static int
vf_key(struct view *v, enum action act, int key, int is_keycode)
{
	struct view_form *vf = v->data;
	struct vf_item	*it = vf_cur(vf);
	int		 row;

	/* ^C closes a picker or the value box as Esc does. */
	if (vf->picker.open)
		return vf_picker_key(vf, !is_keycode && key == 3 ? 27 : key,
		    is_keycode) | VIEW_HANDLED;
	if (vf->box != VB_NONE)
		return vf_box_key(vf, !is_keycode && key == 3 ? 27 : key,
		    is_keycode) | VIEW_HANDLED;
	if (vf->preview != NULL && (act == ACT_BACK || act == ACT_SEG_CANCEL ||
	    (!is_keycode && key == 3))) {
		vf->preview->cancel = 1;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	/* ^C cancels a recalculation running meanwhile, else leaves as Esc. */
	if (act == ACT_SEG_CANCEL && v->tui->run.active) {
		tui_recalc_cancel(v->tui);
		return VIEW_HANDLED;
	}
	if (it != NULL && (it->type == VI_TEXT || it->type == VI_SCRIPT) &&
	    act != ACT_HELP && vf_text_key(vf, it, key, is_keycode) !=
	    WT_IGNORED)
		return VIEW_HANDLED | VIEW_REDRAW;
	if (it != NULL && (it->type == VI_TEXT || it->type == VI_SCRIPT) &&
	    act == ACT_HELP && !is_keycode)
		return vf_text_key(vf, it, key, 0) ? VIEW_HANDLED |
		    VIEW_REDRAW : VIEW_IGNORED;
	switch (act) {
	case ACT_FORM_SAVE:
		vf_save(v);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_FORM_PREVIEW:
		vf_preview(v);
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_FORM_SCRIPT:
		if (vf->fm.kind == SEG_STATIC)
			return VIEW_HANDLED;
		if (vf->fm.script_mode) {
			free(vf->fm.script);
			vf->fm.script = xstrdup(widget_text_str(&vf->script));
			if (fm_script_apply(&vf->fm) != 0) {
				tui_status(v->tui, "%s", _("Fix the script "
				    "first: it does not parse."));
				vf_layout(vf);
				return VIEW_HANDLED | VIEW_REDRAW;
			}
			vf->fm.script_mode = 0;
			vf_layout(vf);
			vf_focus_field(vf, FM_COND, 0);
		} else {
			if ((row = fm_tree_empty_group(vf->fm.cond)) > 0) {
				tui_status(v->tui, "%s", _("A group has no "
				    "conditions: add one to it or remove it."));
				vf_focus_field(vf, FM_COND, row);
				return VIEW_HANDLED | VIEW_REDRAW;
			}
			fm_script_from_tree(&vf->fm);
			widget_text_set(&vf->script, vf->fm.script);
			vf->fm.script_mode = 1;
			vf_layout(vf);
			vf_focus_field(vf, FM_COND, 0);
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	case ACT_FORM_IMPORT:
		if (vf->fm.kind == SEG_STATIC)
			return VIEW_HANDLED;
		vf_segment_names(vf, 1);
		vf_pick_names(vf, _("Import conditions from"), VP_IMPORT);
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
		if (vf->dirty)
			tui_confirm(v->tui, vf_discard, v, "%s",
			    _("Discard the changes to this segment?"));
		else
			return VIEW_HANDLED | VIEW_CLOSE;
		return VIEW_HANDLED;
	default:
		break;
	}
	if (it == NULL)
		return VIEW_IGNORED;
	if (it->type == VI_TREE || ((act == ACT_FORM_ADD_COND ||
	    act == ACT_FORM_ADD_GROUP || act == ACT_FORM_DELETE_ALL) &&
	    vf->fm.kind == SEG_SCHEDULED && !vf->fm.script_mode)) {
		if (act == ACT_ENTER || act == ACT_FORM_ADD_COND ||
		    act == ACT_FORM_ADD_GROUP || act == ACT_FORM_REMOVE ||
		    act == ACT_FORM_ANDOR || act == ACT_FORM_MOVE_UP ||
		    act == ACT_FORM_MOVE_DOWN || act == ACT_FORM_DELETE_ALL) {
			vf_tree_action(v, act, it);
			return VIEW_HANDLED | VIEW_REDRAW;
		}
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

static void
vf_notify(struct view *v, const struct tui_event *ev)
{
	(void)v;
	(void)ev;
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
};

struct view *
view_form_new(struct tui *tui, const char *name, enum view_form_part part)
{
	struct view_form *vf;
	int		 f;

	vf = xcalloc(1, sizeof *vf);
	fm_init(&vf->fm);
	for (f = 0; f < FM_NFIELDS; f++)
		widget_text_init(&vf->text[f], 0);
	widget_text_init(&vf->script, 1);
	widget_text_init(&vf->box_text, 0);
	vf->title = name != NULL ? xstrdup(name) : NULL;
	vf->add_row = (int)part;
	vf->edit_row = -1;
	return view_new(tui, &view_form_ops, vf);
}
