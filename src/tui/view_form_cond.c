/*
 * The conditions block of the segment form: the tree's editing actions,
 * the condition editor (operand and operator pickers, the value box),
 * importing conditions from a segment or a file (script or JSON), and
 * the switch between the tree and the script.  The pickers of the other
 * fields (database, time zone) answer here too, as every picker does.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "form_model.h"
#include "i18n.h"
#include "keys.h"
#include "pdb.h"
#include "segment.h"
#include "tui.h"
#include "tz.h"
#include "util.h"
#include "view_form_int.h"
#include "widget.h"

/* ------------------------------------------------------------------ */
/* The condition editor: operand, operator, values                      */
/* ------------------------------------------------------------------ */

void
vf_box_open(struct view_form *vf, enum vf_box box, const char *hint,
    const char *initial)
{
	vf->box = box;
	free(vf->box_hint);
	free(vf->box_err);
	vf->box_hint = xstrdup(hint);
	vf->box_err = NULL;
	widget_text_free(&vf->box_text);
	widget_text_init(&vf->box_text);
	widget_text_set(&vf->box_text, initial);
}

/* Puts a new or edited condition into the tree. */
void
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
	struct cond	*c = NULL, **f;
	size_t		 n;

	if (vf->where_mode) {
		if (vf->where_edit >= 0 && vf->where_edit <
		    fm_where_filters(&vf->ev.where, &f))
			c = f[vf->where_edit];
	} else if (vf->edit_row > 0) {
		n = fm_tree_rows(vf->fm.cond, &rows);
		if ((size_t)vf->edit_row < n)
			c = rows[vf->edit_row].node;
		free(rows);
	}
	/* "not TEST" is edited as its test; the "not" stays. */
	if (c != NULL && c->kind == CK_NOT && c->nkids == 1 &&
	    c->kids[0]->kind == CK_PRED)
		c = c->kids[0];
	return c;
}

const struct pdb_schema *
vf_operand_schema(struct view_form *vf)
{
	return vf->where_mode ? vf->ev_schema : vf->schema;
}

void
vf_pick_operand(struct view_form *vf)
{
	struct strbuf	 sb = STRBUF_INIT;
	const struct pdb_schema *s = vf_operand_schema(vf);
	struct cond	*e = vf_edited(vf);
	enum field_type	 rt;
	const char	**items;
	size_t		 n = 0, i, room;
	int		 f, cur = -1;

	if (s == NULL) {
		tui_error(vf->tui, xstrdup(_("Choose a database first.")));
		return;
	}
	vf_free_names(vf);
	room = (size_t)s->nfields * 6 + 5;
	items = xcalloc(room, sizeof *items);
	vf->names = xcalloc(room, sizeof *vf->names);
	vf->operand_field = xcalloc(room, sizeof *vf->operand_field);
	vf->operand_func = xcalloc(room, sizeof *vf->operand_func);
	for (f = 0; f < s->nfields; f++) {
		for (i = CF_NONE; i <= CF_LOWER; i++) {
			if (cond_func_type(s->fields[f].type, i, &rt) != 0)
				continue;
			sb_reset(&sb);
			if (i == CF_NONE)
				sb_puts(&sb, s->fields[f].name);
			else
				sb_printf(&sb, "%s(%s)", cond_func_name(i),
				    s->fields[f].name);
			if (e != NULL && e->kind == CK_PRED &&
			    e->func == (enum cond_func)i &&
			    strcmp(e->field, s->fields[f].name) == 0)
				cur = (int)n;
			vf->names[n] = sb_detach(&sb);
			vf->operand_field[n] = f;
			vf->operand_func[n] = i;
			n++;
		}
	}
	if (!vf->where_mode) {
		vf->names[n] = xstrdup(_("in segment ..."));
		vf->operand_field[n++] = -1;
		vf->names[n] = xstrdup(_("not in segment ..."));
		vf->operand_field[n++] = -2;
		vf->names[n] = xstrdup(_("event: did, count, first, last, "
		    "sum ..."));
		vf->operand_field[n++] = -3;
		vf->names[n] = xstrdup(_("not event ..."));
		vf->operand_field[n++] = -4;
	}
	vf->nnames = n;
	for (i = 0; i < n; i++)
		items[i] = vf->names[i];
	widget_picker_open(&vf->picker, vf->where_mode ?
	    _("Event property (type to search)") : _("Field (type to search)"),
	    items, n, cur);
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
		vf->names[vf->nnames++] = xstrdup(_("A file (script or "
		    "JSON)..."));
	seg_list_free(segs, n);
}

static void
vf_pick_names(struct view_form *vf, const char *title, enum vf_pick pick)
{
	widget_picker_open(&vf->picker, title,
	    (const char *const *)vf->names, vf->nnames, 0);
	vf->pick = pick;
}

void
vf_import_pick(struct view_form *vf)
{
	vf_segment_names(vf, 1);
	vf_pick_names(vf, _("Import conditions from"), VP_IMPORT);
}

static void
vf_picked_operand(struct view_form *vf, int i)
{
	const char	*names[CO_COUNT];
	const struct pdb_schema *s = vf_operand_schema(vf);
	struct cond	*e = vf_edited(vf);
	enum field_type	 ft;
	size_t		 k;
	int		 cur = -1;

	if (vf->operand_field[i] <= -3) {
		vf->edit_negated = vf->operand_field[i] == -4;
		vf_event_start(vf, NULL);
		return;
	}
	if (vf->operand_field[i] < 0) {
		vf->edit_not = vf->operand_field[i] == -2;
		vf_segment_names(vf, 0);
		vf_pick_names(vf, _("Segment"), VP_SEGMENT);
		return;
	}
	free(vf->edit_field);
	vf->edit_field = xstrdup(s->fields[vf->operand_field[i]].name);
	vf->edit_func = vf->operand_func[i];
	ft = s->fields[vf->operand_field[i]].type;
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

	if (fm_pred_build(vf_operand_schema(vf), vf->edit_field,
	    vf->edit_func, vf->edit_op, text, &c, &cause) != 0) {
		free(vf->box_err);
		vf->box_err = cause;
		return -1;
	}
	if (vf->where_mode ? vf->where_negated : vf->edit_negated) {
		n = cond_new(CK_NOT);
		cond_add_kid(n, c);
		c = n;
	}
	if (vf->where_mode)
		vf_event_filter_done(vf, c);
	else
		vf_tree_put(vf, c);
	return 0;
}

static void
vf_picked_operator(struct view_form *vf, int i)
{
	const struct pdb_schema *s = vf_operand_schema(vf);
	struct cond	*e = vf_edited(vf);
	enum field_type	 ft, rt;
	char		*vals, *hint;
	int		 idx;

	vf->edit_op = vf->ops[i];
	if (fm_op_nvalues(vf->edit_op) == 0) {
		vf_box_open(vf, VB_VALUES, "", "");
		if (vf_values_done(vf, "") == 0 && vf->box == VB_VALUES)
			vf->box = VB_NONE;
		return;
	}
	idx = schema_field_index(s, vf->edit_field);
	ft = s->fields[idx].type;
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
	textedit_set(&vf->script, vf->fm.script);
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
	int		 rc;

	if ((size_t)i + 1 == vf->nnames) {
		vf_box_open(vf, VB_FILE, _("File of conditions (a script, or "
		    "JSON):"), "");
		return;
	}
	if ((txn = tui_read_begin(vf->tui)) == NULL)
		return;
	rc = seg_get(txn, vf->names[i], &s, &cause);
	if (tui_read_end(vf->tui, txn, rc, cause) != 0)
		return;
	vf_import_cond(vf, s->cond != NULL ? cond_clone(s->cond) : NULL);
	seg_free(s);
}

/*
 * A file of conditions: JSON (as `segment show --json` or the condition
 * schema writes them; the text starts with "{" or "[") or a script
 * (comments kept as the script as written).  Its cause names the file
 * and, for a script, the line and column.
 */
static int
vf_import_file(struct view_form *vf, const char *typed)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct cond	*c;
	cJSON		*j;
	FILE		*f;
	char		 buf[4096], *cause = NULL, *path;
	const char	*p;
	size_t		 n;

	path = util_expand_home(typed);
	free(vf->box_err);
	vf->box_err = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		vf->box_err = xasprintf(_("%s: cannot open: %s"), path,
		    strerror(errno));
		free(path);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	if (text_check(sb.buf, sb.len, path, 1, &cause) != 0) {
		sb_free(&sb);
		vf->box_err = cause;
		free(path);
		return -1;
	}
	sb_puts(&sb, "");
	for (p = sb.buf; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
	    p++)
		;
	if (*p != '{' && *p != '[') {
		if ((c = cond_parse(sb.buf, &cause)) == NULL) {
			vf->box_err = xasprintf("%s: %s", path, cause);
			free(cause);
			sb_free(&sb);
			free(path);
			return -1;
		}
		vf_import_cond(vf, c);
		/* Shown again as written while the tree says the same. */
		free(vf->fm.script_src);
		vf->fm.script_src = sb_detach(&sb);
		fm_script_from_tree(&vf->fm);
		textedit_set(&vf->script, vf->fm.script);
		free(path);
		return 0;
	}
	j = cJSON_Parse(sb.buf);
	sb_free(&sb);
	if (j == NULL) {
		vf->box_err = xasprintf(_("%s: not valid JSON"), path);
		free(path);
		return -1;
	}
	c = cond_from_json(cJSON_GetObjectItemCaseSensitive(j, "conditions") !=
	    NULL ? cJSON_GetObjectItemCaseSensitive(j, "conditions") : j,
	    &cause);
	cJSON_Delete(j);
	if (c == NULL) {
		vf->box_err = xasprintf("%s: %s", path, cause);
		free(cause);
		free(path);
		return -1;
	}
	vf_import_cond(vf, c);
	free(path);
	return 0;
}

static int
vf_tz_typed(struct view_form *vf)
{
	struct tz	*tz;
	char		*cause = NULL, *name;

	name = xstrdup(widget_text_str(&vf->picker.filter));
	if ((tz = tz_open(name, &cause)) == NULL) {
		tui_error(vf->tui, cause);
		free(name);
		return VIEW_REDRAW;
	}
	tz_close(tz);
	widget_picker_close(&vf->picker);
	vf->pick = VP_NONE;
	tui_status_clear_error(vf->tui);
	fm_set_text(&vf->fm, FM_TZ, name);
	widget_text_set(&vf->text[FM_TZ], name);
	vf_changed(vf, FM_TZ);
	free(name);
	return VIEW_REDRAW;
}

int
vf_picker_key(struct view_form *vf, int key, int is_keycode)
{
	enum vf_pick	 pick = vf->pick;
	int		 rc, i = -1;

	/* A zone typed by hand that the list does not offer (an alias such
	 * as US/Eastern, accepted as the command line accepts it). */
	if (pick == VP_TZ && vf->picker.nmatch == 0 &&
	    TUI_IS_ENTER(key, is_keycode))
		return vf_tz_typed(vf);
	rc = widget_picker_key(&vf->picker, key, is_keycode, &i);
	if (rc == 0)
		return VIEW_REDRAW;
	widget_picker_close(&vf->picker);
	vf->pick = VP_NONE;
	if (rc < 0) {
		if (vf->where_mode)
			vf_event_filter_cancel(vf);
		return VIEW_REDRAW;
	}
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
	case VP_EV_TEST: case VP_EV_NAME: case VP_EV_PROP:
	case VP_EV_FILTERS: case VP_EV_FILTER: case VP_EV_OP:
	case VP_EV_WINDOW:
		vf_event_picked(vf, pick, i);
		break;
	default:
		break;
	}
	return VIEW_REDRAW;
}

int
vf_box_key(struct view_form *vf, int key, int is_keycode)
{
	char	*text;
	int	 rc;

	enum vf_box	 box = vf->box;

	if (TUI_IS_CHAR(key, is_keycode, TUI_KEY_ESC)) {
		vf->box = VB_NONE;
		if (vf->where_mode)
			vf_event_filter_cancel(vf);
		return VIEW_REDRAW;
	}
	if (TUI_IS_ENTER(key, is_keycode)) {
		text = xstrdup(widget_text_str(&vf->box_text));
		if (box == VB_FILE)
			rc = vf_import_file(vf, text);
		else if (box == VB_VALUES)
			rc = vf_values_done(vf, text);
		else
			rc = vf_event_box_done(vf, text);
		free(text);
		/* The chain may have opened its next box already. */
		if (rc == 0 && vf->box == box)
			vf->box = VB_NONE;
		return VIEW_REDRAW;
	}
	widget_text_key(&vf->box_text, key, is_keycode);
	return VIEW_REDRAW;
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
/* The tree's actions, the script                                       */
/* ------------------------------------------------------------------ */

void
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
		if (node->kind == CK_IN_QUERY || (node->kind == CK_NOT &&
		    node->nkids == 1 && node->kids[0]->kind == CK_IN_QUERY)) {
			tui_status(v->tui, "%s", _("A query test is edited in "
			    "the script (F3)."));
			break;
		}
		vf->edit_row = row;
		if (node->kind == CK_EVENT || (node->kind == CK_NOT &&
		    node->nkids == 1 && node->kids[0]->kind == CK_EVENT)) {
			vf->edit_negated = node->kind == CK_NOT;
			vf_event_start(vf, node->kind == CK_NOT ?
			    node->kids[0] : node);
			break;
		}
		vf->edit_negated = node->kind == CK_NOT &&
		    node->kids[0]->kind == CK_PRED;
		vf_pick_operand(vf);
		break;
	default:
		break;
	}
}

int
vf_script_switch(struct view *v)
{
	struct view_form *vf = v->data;
	int		 row;

	if (vf->fm.kind == SEG_STATIC)
		return VIEW_HANDLED;
	if (vf->fm.script_mode) {
		free(vf->fm.script);
		vf->fm.script = xstrdup(textedit_text(&vf->script));
		if (fm_script_apply(&vf->fm) != 0) {
			tui_status(v->tui, "%s", _("Fix the script "
			    "first: it does not parse."));
			vf_layout(vf);
			vf_focus_field(vf, FM_COND, 0);
			vf_script_jump(vf);
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
		textedit_set(&vf->script, vf->fm.script);
		vf->fm.script_mode = 1;
		vf_layout(vf);
		vf_focus_field(vf, FM_COND, 0);
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}
