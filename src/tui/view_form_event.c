/*
 * The segment form's event editor: an event condition is built through
 * a chain of pickers and boxes, each preset from the node being edited —
 * the test, the event's name (the database's names, or typed), the
 * aggregate's property, the filters (the predicate editor over the
 * event's properties and `time`), the count or comparison or time test
 * and its values, the window and its values.  A where the form cannot
 * edit (an or, a nested group) is kept whole; the script edits it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "evdb.h"
#include "form_model.h"
#include "i18n.h"
#include "schema.h"
#include "tui.h"
#include "util.h"
#include "view_form_int.h"
#include "widget.h"

static const char *const vf_ev_tests[] = {
	[CE_DID] = N_("did: it happened (N times)"),
	[CE_FIRST] = N_("first: when it first happened"),
	[CE_LAST] = N_("last: when it last happened"),
	[CE_COUNT] = N_("count of: how many times, compared"),
	[CE_SUM] = N_("sum(property) of: compared"),
	[CE_AVG] = N_("avg(property) of: compared"),
	[CE_MIN] = N_("min(property) of: compared"),
	[CE_MAX] = N_("max(property) of: compared"),
};
#define VF_EV_NTESTS (CE_MAX + 1)

static const char *const vf_ev_windows[] = {
	[CW_NONE] = N_("all time"),
	[CW_LAST_DAYS] = N_("within last N days"),
	[CW_LAST_HOURS] = N_("within last N hours"),
	[CW_BETWEEN] = N_("between two dates"),
	[CW_SINCE] = N_("since a date"),
	[CW_BEFORE] = N_("before a date"),
};
#define VF_EV_NWINDOWS (CW_BEFORE + 1)

static int
vf_ev_agg(enum cond_evtest t)
{
	return t == CE_SUM || t == CE_AVG || t == CE_MIN || t == CE_MAX;
}

static void
vf_open_list(struct view_form *vf, const char *title, const char *const *items,
    size_t n, int cur, enum vf_pick pick)
{
	widget_picker_open(&vf->picker, title, items, n, cur);
	vf->pick = pick;
}

/* The names of vf->names as the picker's items. */
static void
vf_open_names(struct view_form *vf, const char *title, int cur,
    enum vf_pick pick)
{
	vf_open_list(vf, title, (const char *const *)vf->names, vf->nnames,
	    cur, pick);
}

static void
vf_names_add(struct view_form *vf, char *name)
{
	vf->names = xreallocarray(vf->names, vf->nnames + 1,
	    sizeof *vf->names);
	vf->names[vf->nnames++] = name;
}

static int
vf_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The database's event names, sorted, from the name column's dictionary
 * of each chunk (only the dictionaries are read, not the rows).
 */
char **
vf_event_name_list(struct view_form *vf, size_t *np)
{
	struct store_txn *txn;
	struct evdb_chunk_info *chunks = NULL;
	struct col_chunk col;
	size_t		 n = 0, i, k, nv = 0;
	uint32_t	 c;
	char		*cause = NULL, *name, **v = NULL;

	*np = 0;
	if (vf->schema == NULL)
		return NULL;
	if (store_read_begin(vf->tui->store, &txn, &cause) != 0) {
		tui_error(vf->tui, cause);
		return NULL;
	}
	if (evdb_chunks(txn, vf->schema, &chunks, &n, &cause) != 0) {
		tui_error(vf->tui, cause);
		n = 0;
	}
	memset(&col, 0, sizeof col);
	for (i = 0; i < n; i++) {
		if (evdb_column(txn, vf->schema, EVDB_COL_NAME,
		    chunks[i].chunk, &col, &cause) != 0) {
			tui_error(vf->tui, cause);
			break;
		}
		for (c = 0; c < col.ndict; c++) {
			name = xstrndup(col.dict_data + col.dict_off[c],
			    col.dict_off[c + 1] - col.dict_off[c]);
			for (k = 0; k < nv; k++)
				if (strcmp(v[k], name) == 0)
					break;
			if (k < nv) {
				free(name);
				continue;
			}
			v = xreallocarray(v, nv + 1, sizeof *v);
			v[nv++] = name;
		}
		pdb_chunk_release(&col);
	}
	store_read_end(txn);
	free(chunks);
	if (nv > 0)
		qsort(v, nv, sizeof *v, vf_name_cmp);
	*np = nv;
	return v;
}

/* The event names as the picker's choices, and "Another name...". */
static void
vf_event_names(struct view_form *vf)
{
	char	**v;
	size_t	 n, i;

	vf_free_names(vf);
	v = vf_event_name_list(vf, &n);
	for (i = 0; i < n; i++)
		vf_names_add(vf, v[i]);
	free(v);
	vf_names_add(vf, xstrdup(_("Another name...")));
}

/* ------------------------------------------------------------------ */
/* The steps                                                            */
/* ------------------------------------------------------------------ */

static void
vf_ev_pick_test(struct view_form *vf)
{
	const char	*items[VF_EV_NTESTS];
	size_t		 i;

	for (i = 0; i < VF_EV_NTESTS; i++)
		items[i] = _(vf_ev_tests[i]);
	vf_open_list(vf, _("Event condition"), items, VF_EV_NTESTS,
	    (int)vf->ev.test, VP_EV_TEST);
}

static void
vf_ev_pick_name(struct view_form *vf)
{
	size_t	 i;
	int	 cur = -1;

	vf_event_names(vf);
	for (i = 0; i + 1 < vf->nnames; i++)
		if (vf->ev.event != NULL && strcmp(vf->names[i],
		    vf->ev.event) == 0)
			cur = (int)i;
	vf_open_names(vf, _("Event (type to search)"), cur, VP_EV_NAME);
}

static void
vf_ev_pick_prop(struct view_form *vf)
{
	uint16_t i;
	int	 cur = -1;

	vf_free_names(vf);
	for (i = 0; i < vf->schema->nevent_fields; i++) {
		if (vf->schema->event_fields[i].type != FT_INT &&
		    vf->schema->event_fields[i].type != FT_FLOAT)
			continue;
		if (vf->ev.prop != NULL && strcmp(vf->ev.prop,
		    vf->schema->event_fields[i].name) == 0)
			cur = (int)vf->nnames;
		vf_names_add(vf, xstrdup(vf->schema->event_fields[i].name));
	}
	if (vf->nnames == 0) {
		tui_error(vf->tui, xasprintf(_("The events of database '%s' "
		    "have no numeric property to add up."), vf->schema->name));
		return;
	}
	vf_open_names(vf, _("Property"), cur, VP_EV_PROP);
}

static void
vf_ev_pick_filters(struct view_form *vf)
{
	struct cond	**f;
	char		*t;
	int		 n, i;

	vf_free_names(vf);
	n = fm_where_filters(&vf->ev.where, &f);
	if (n < 0) {
		/* The tree's row shows it; the script edits it. */
		vf_names_add(vf, xstrdup(_("Continue, keeping the filter (the "
		    "script edits it)")));
		vf_names_add(vf, xstrdup(_("Remove the filter")));
	} else {
		vf_names_add(vf, xstrdup(n == 0 ? _("Continue: every event "
		    "of this name") : _("Continue")));
		vf_names_add(vf, xstrdup(_("Add a filter on a property...")));
		for (i = 0; i < n; i++) {
			t = cond_print(f[i]);
			vf_names_add(vf, xasprintf("  %s %s", i == 0 ?
			    "where" : "and", t));
			free(t);
		}
	}
	vf_open_names(vf, _("Filters (where)"), 0, VP_EV_FILTERS);
}

static void
vf_ev_pick_op(struct view_form *vf)
{
	const char	*items[CO_COUNT + 1];
	char		*own[CO_COUNT + 1];
	size_t		 n, k, i = 0;
	int		 cur = 0;

	n = fm_event_ops(vf->ev.test, vf->ops);
	vf->nops = n;
	memset(own, 0, sizeof own);
	if (vf->ev.test == CE_DID)
		items[i++] = _("at least once");
	for (k = 0; k < n; k++, i++) {
		if (vf->ev.test == CE_DID)
			own[i] = xasprintf("%s", vf->ops[k] == CO_GE ?
			    _("at least N times") : vf->ops[k] == CO_LE ?
			    _("at most N times") : vf->ops[k] == CO_EQ ?
			    _("exactly N times") : _("between N and M times"));
		else if (vf->ev.test == CE_FIRST || vf->ev.test == CE_LAST)
			own[i] = xasprintf("%s", vf->ops[k] ==
			    CO_WITHIN_LAST_DAYS ? _("within last N days") :
			    vf->ops[k] == CO_WITHIN_LAST_HOURS ?
			    _("within last N hours") : vf->ops[k] ==
			    CO_MORE_THAN_DAYS_AGO ? _("more than N days ago") :
			    vf->ops[k] == CO_MORE_THAN_HOURS_AGO ?
			    _("more than N hours ago") : vf->ops[k] ==
			    CO_BEFORE ? _("before a date") : vf->ops[k] ==
			    CO_AFTER ? _("after a date") : vf->ops[k] ==
			    CO_ON ? _("on a date") : _("between two dates"));
		else
			own[i] = xstrdup(cond_op_name(vf->ops[k]));
		items[i] = own[i];
		if (vf->ops[k] == vf->ev.op && (vf->ev.test != CE_DID ||
		    vf->ev.counted))
			cur = (int)i;
	}
	vf_open_list(vf, vf->ev.test == CE_DID ? _("How many times") :
	    vf->ev.test == CE_FIRST || vf->ev.test == CE_LAST ? _("When") :
	    _("Compared with"), items, i, cur, VP_EV_OP);
	for (k = 0; k < i; k++)
		free(own[k]);
}

static void
vf_ev_pick_window(struct view_form *vf)
{
	const char	*items[VF_EV_NWINDOWS];
	size_t		 i;

	for (i = 0; i < VF_EV_NWINDOWS; i++)
		items[i] = _(vf_ev_windows[i]);
	vf_open_list(vf, _("Which events count (window)"), items,
	    VF_EV_NWINDOWS, (int)vf->ev.window, VP_EV_WINDOW);
}

/*
 * The last step: the node into the tree; or the cause in the status line
 * and the count or time test offered again, the choices kept (what the
 * engine refuses there is a value: numbers or dates out of order).
 */
static int
vf_ev_finish(struct view_form *vf)
{
	struct cond	*c, *n;
	char		*cause = NULL;

	if (fm_event_build(vf->schema, &vf->ev, &c, &cause) != 0) {
		tui_error(vf->tui, cause);
		vf_ev_pick_op(vf);
		return -1;
	}
	if (vf->edit_negated) {
		n = cond_new(CK_NOT);
		cond_add_kid(n, c);
		c = n;
	}
	fm_event_free(&vf->ev);
	vf_tree_put(vf, c);
	return 0;
}

static void
vf_ev_after_op(struct view_form *vf)
{
	if (vf->ev.test == CE_FIRST || vf->ev.test == CE_LAST)
		vf_ev_finish(vf);
	else
		vf_ev_pick_window(vf);
}

/* The box of the values, with what they are for. */
static void
vf_ev_values_box(struct view_form *vf)
{
	char	*head, *hint;

	if (vf->ev.test == CE_COUNT)
		head = xasprintf("count of \"%s\"", vf->ev.event);
	else if (vf_ev_agg(vf->ev.test))
		head = xasprintf("%s(%s) of \"%s\"",
		    cond_evtest_name(vf->ev.test), vf->ev.prop, vf->ev.event);
	else
		head = xasprintf("%s \"%s\"", cond_evtest_name(vf->ev.test),
		    vf->ev.event);
	hint = xasprintf("%s: %s", head, fm_event_value_hint(vf->ev.test,
	    vf->ev.op));
	free(head);
	vf_box_open(vf, VB_EV_VALUES, hint, vf->ev.values != NULL ?
	    vf->ev.values : "");
	free(hint);
}

void
vf_event_start(struct view_form *vf, const struct cond *node)
{
	if (vf->schema == NULL) {
		tui_error(vf->tui, xstrdup(_("Choose a database first.")));
		return;
	}
	fm_event_free(&vf->ev);
	if (node != NULL)
		fm_event_from_cond(&vf->ev, node);
	vf->where_mode = 0;
	vf_ev_pick_test(vf);
}

void
vf_event_picked(struct view_form *vf, enum vf_pick pick, int i)
{
	struct cond	**f;
	int		 n;

	switch (pick) {
	case VP_EV_TEST:
		if (vf_ev_agg(vf->ev.test) != vf_ev_agg(i) ||
		    (vf->ev.test == CE_DID) != (i == CE_DID) ||
		    (vf->ev.test == CE_FIRST || vf->ev.test == CE_LAST) !=
		    (i == CE_FIRST || i == CE_LAST)) {
			/* Another kind of test: its own operators. */
			vf->ev.counted = i != CE_DID;
			vf->ev.op = i == CE_FIRST || i == CE_LAST ?
			    CO_WITHIN_LAST_DAYS : CO_GE;
			free(vf->ev.values);
			vf->ev.values = NULL;
		}
		vf->ev.test = i;
		vf_ev_pick_name(vf);
		break;
	case VP_EV_NAME:
		if ((size_t)i + 1 == vf->nnames) {
			vf_box_open(vf, VB_EV_NAME, _("The event's name:"),
			    vf->ev.event != NULL ? vf->ev.event : "");
			break;
		}
		free(vf->ev.event);
		vf->ev.event = xstrdup(vf->names[i]);
		if (vf_ev_agg(vf->ev.test))
			vf_ev_pick_prop(vf);
		else
			vf_ev_pick_filters(vf);
		break;
	case VP_EV_PROP:
		free(vf->ev.prop);
		vf->ev.prop = xstrdup(vf->names[i]);
		vf_ev_pick_filters(vf);
		break;
	case VP_EV_FILTERS:
		n = fm_where_filters(&vf->ev.where, &f);
		if (i == 0)
			vf_ev_pick_op(vf);
		else if (n < 0) {
			cond_free(vf->ev.where);
			vf->ev.where = NULL;
			vf_ev_pick_filters(vf);
		} else if (i == 1) {
			vf->where_mode = 1;
			vf->where_edit = -1;
			vf->where_negated = 0;
			schema_free(vf->ev_schema);
			vf->ev_schema = fm_event_schema(vf->schema);
			vf_pick_operand(vf);
		} else {
			const char *items[2];

			vf->where_edit = i - 2;
			items[0] = _("Edit this filter");
			items[1] = _("Remove this filter");
			vf_open_list(vf, _("Filter"), items, 2, 0,
			    VP_EV_FILTER);
		}
		break;
	case VP_EV_FILTER:
		if (i == 1) {
			fm_where_remove(&vf->ev.where, vf->where_edit);
			vf_ev_pick_filters(vf);
			break;
		}
		n = fm_where_filters(&vf->ev.where, &f);
		vf->where_mode = 1;
		vf->where_negated = f[vf->where_edit]->kind == CK_NOT;
		schema_free(vf->ev_schema);
		vf->ev_schema = fm_event_schema(vf->schema);
		vf_pick_operand(vf);
		break;
	case VP_EV_OP:
		if (vf->ev.test == CE_DID && i == 0) {
			vf->ev.counted = 0;
			vf->ev.op = CO_GE;
			vf_ev_pick_window(vf);
			break;
		}
		if (vf->ev.test == CE_DID)
			i--;
		vf->ev.counted = 1;
		if (vf->ev.op != vf->ops[i]) {
			free(vf->ev.values);
			vf->ev.values = NULL;
		}
		vf->ev.op = vf->ops[i];
		vf_ev_values_box(vf);
		break;
	case VP_EV_WINDOW:
		if (vf->ev.window != (enum cond_window_kind)i) {
			free(vf->ev.wvalues);
			vf->ev.wvalues = NULL;
		}
		vf->ev.window = i;
		if (fm_window_hint(vf->ev.window) == NULL)
			vf_ev_finish(vf);
		else
			vf_box_open(vf, VB_EV_WINDOW,
			    fm_window_hint(vf->ev.window),
			    vf->ev.wvalues != NULL ? vf->ev.wvalues : "");
		break;
	default:
		break;
	}
}

int
vf_event_box_done(struct view_form *vf, const char *text)
{
	struct cond	*node;
	struct cond_window w;
	char		*cause = NULL, *t;
	int		 rc;

	switch (vf->box) {
	case VB_EV_NAME:
		t = xstrdup(text);
		free(vf->ev.event);
		vf->ev.event = t;
		if (*text == '\0') {
			free(vf->box_err);
			vf->box_err = xstrdup(_("Type the event's name."));
			return -1;
		}
		vf->box = VB_NONE;
		if (vf_ev_agg(vf->ev.test))
			vf_ev_pick_prop(vf);
		else
			vf_ev_pick_filters(vf);
		return 0;
	case VB_EV_VALUES:
		free(vf->ev.values);
		vf->ev.values = xstrdup(text);
		node = cond_new(CK_EVENT);
		rc = fm_event_values(&vf->ev, node, &cause);
		cond_free(node);
		if (rc != 0) {
			free(vf->box_err);
			vf->box_err = cause;
			return -1;
		}
		vf->box = VB_NONE;
		vf_ev_after_op(vf);
		return 0;
	case VB_EV_WINDOW:
		free(vf->ev.wvalues);
		vf->ev.wvalues = xstrdup(text);
		if (fm_event_window(&vf->ev, &w, &cause) != 0) {
			free(vf->box_err);
			vf->box_err = cause;
			return -1;
		}
		vf->box = VB_NONE;
		vf_ev_finish(vf);
		return 0;
	default:
		return 0;
	}
}

int
vf_event_filter_cancel(struct view_form *vf)
{
	vf->where_mode = 0;
	vf->box = VB_NONE;
	vf_ev_pick_filters(vf);
	return 0;
}

void
vf_event_filter_done(struct view_form *vf, struct cond *c)
{
	if (vf->where_edit >= 0)
		fm_where_replace(&vf->ev.where, vf->where_edit, c);
	else
		fm_where_add(&vf->ev.where, c);
	vf->where_mode = 0;
	vf->box = VB_NONE;
	vf_ev_pick_filters(vf);
}
