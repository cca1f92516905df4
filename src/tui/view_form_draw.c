/*
 * The segment form's layout and drawing: the model's fields become a
 * column of items (a cause below its field, word-wrapped), the focus
 * moves over them, and the body is drawn from them with the pop-up (a
 * picker or the value box) on top.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "form_model.h"
#include "i18n.h"
#include "util.h"
#include "view_form_int.h"
#include "widget.h"

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

int
vf_focusable(const struct vf_item *it)
{
	return it->type != VI_INFO && it->type != VI_RULE && !it->fixed;
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

/* The schedule's items, after its check box. */
static void
vf_layout_sched(struct view_form *vf)
{
	vf_add(vf, VI_TEXT, FM_TIME, 0, N_("Time (HH:MM)"), 1);
	vf_add(vf, VI_PICK, FM_TZ, 0, N_("Timezone"), 1);
	vf_add(vf, VI_CHOICE, FM_FREQ, 0, N_("Frequency"), 1);
	switch (vf->fm.freq) {
	case SCHED_DAILY:
		vf_add(vf, VI_TEXT, FM_INTERVAL, 0, N_("Every N days"), 1);
		break;
	case SCHED_HOURLY:
		vf_add(vf, VI_TEXT, FM_INTERVAL, 0, N_("Every N hours"), 1);
		break;
	case SCHED_ONCE:
		vf_add(vf, VI_TEXT, FM_ONCE, 0, N_("On (YYYY-MM-DD)"), 1);
		break;
	case SCHED_WEEKLY:
		vf_add(vf, VI_TEXT, FM_WEEKDAYS, 0, N_("Weekdays"), 1);
		break;
	case SCHED_MONTHLY:
		vf_add(vf, VI_TEXT, FM_MONTHDAYS, 0, N_("Days (1,15,last)"), 1);
		break;
	}
	vf_add(vf, VI_TEXT, FM_UNTIL, 0, N_("Deactivate after"), 1);
	vf_add(vf, VI_INFO, FM_SCHED_ON, 0, N_("Next runs"), 3);
}

/* The items of a scheduled segment: conditions, range, limit, schedule. */
static void
vf_layout_scheduled(struct view_form *vf)
{
	struct form_model *fm = &vf->fm;
	struct fm_row	*rows;
	size_t		 n, i;

	vf_add(vf, VI_RULE, FM_COND, 0, fm->script_mode ?
	    N_("Conditions: script (F3: tree)") :
	    N_("Conditions (F3: script)"), 1);
	if (fm->script_mode)
		vf_add(vf, VI_SCRIPT, FM_COND, 0, N_("Script"), VF_SCRIPT_H);
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
		vf_add(vf, VI_TEXT, FM_LIMIT, 0, N_("Profiles at most"), 1);
	vf_add(vf, VI_CHECK, FM_SCHED_ON, 0, N_("Schedule"), 1);
	if (fm->sched_on)
		vf_layout_sched(vf);
}

/* Form lines of each item, with the rows of the cause below it. */
static void
vf_layout_lines(struct view_form *vf)
{
	struct form_model *fm = &vf->fm;
	size_t		 i;
	int		 y = 0;

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
}

/* Builds the items from the model, keeping the focus on the same field. */
void
vf_layout(struct view_form *vf)
{
	struct vf_item	 old = { VI_RULE, FM_NAME, 0, NULL, 0, 0, 0, 0 };
	size_t		 i;

	if (vf->nitems > 0 && vf->focus >= 0 && (size_t)vf->focus < vf->nitems)
		old = vf->items[vf->focus];
	free(vf->items);
	vf->items = NULL;
	vf->nitems = 0;
	vf_add(vf, VI_TEXT, FM_NAME, 0, N_("Name"), 1);
	/* A saved segment's database and kind are shown, not edited. */
	vf_add(vf, VI_PICK, FM_DB, 0, N_("Database"), 1);
	vf->items[vf->nitems - 1].fixed = vf->fm.orig != NULL;
	vf_add(vf, VI_CHOICE, FM_KIND, 0, N_("Kind"), 1);
	vf->items[vf->nitems - 1].fixed = vf->fm.orig != NULL;
	if (vf->fm.kind == SEG_SCHEDULED)
		vf_layout_scheduled(vf);
	vf_add(vf, VI_TEXT, FM_TAGS, 0, N_("Tags"), 1);
	vf_add(vf, VI_TEXT, FM_GROUPS, 0, N_("Access groups"), 1);
	vf_layout_lines(vf);
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

struct vf_item *
vf_cur(struct view_form *vf)
{
	if (vf->focus < 0 || (size_t)vf->focus >= vf->nitems)
		return NULL;
	return &vf->items[vf->focus];
}

void
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

void
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
			    vw > 40 ? 40 : vw, focus);
		break;
	case VI_SCRIPT:
		vf_script_draw(vf, y, x, w, it->h, focus);
		break;
	case VI_INFO:
		/* Why there are no runs: wrapped over the three rows. */
		if (vf->next[0] != NULL && vf->next[1] == NULL) {
			draw_wrapped(y, vx, vw, y + 3 < hi ? y + 3 : hi, 0,
			    vf->next[0], DR_WARN);
			break;
		}
		for (i = 0; i < 3 && y + i < hi; i++)
			if (vf->next[i] != NULL)
				draw_text(y + i, vx, vw, vf->next[i],
				    DR_NORMAL);
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
	draw_box(r, vf->box == VB_FILE ? _("Import conditions from a file") :
	    vf->box == VB_EV_NAME ? _("Event") :
	    vf->box == VB_EV_WINDOW ? _("Window") : _("Value"), 1);
	draw_text(r.y + 1, r.x + 2, r.w - 4, vf->box_hint != NULL ?
	    vf->box_hint : "", DR_HEADER);
	if (vf->box_err != NULL)
		draw_text(r.y + 4, r.x + 2, r.w - 4, vf->box_err, DR_ERROR);
	draw_text(r.y + r.h - 2, r.x + 2, r.w - 4, _("Enter: OK   Esc: "
	    "cancel"), DR_KEY);
	widget_text_draw(&vf->box_text, r.y + 2, r.x + 2, r.w - 4, 1);
}

void
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
	else if (cur != NULL && cur->type == VI_SCRIPT)
		draw_text_pad(y, r.x, r.w, _("Tab: complete  ^Z: undo  "
		    "F3: tree  ^S: save  Esc: cancel"), DR_STATUS);
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

void
vf_title(struct view *v, char *buf, size_t len)
{
	struct view_form *vf = v->data;

	if (vf->fm.orig != NULL)
		snprintf(buf, len, _("Edit segment: %s"), vf->fm.orig->name);
	else
		snprintf(buf, len, "%s", _("New segment"));
}

