/*
 * The segment form's private state, shared by the files of the view:
 * view_form.c (open, close, the model behind the widgets),
 * view_form_draw.c (layout, focus, drawing), view_form_cond.c (the
 * conditions block), view_form_save.c (save, preview, leaving) and
 * view_form_key.c (key handling).
 */
#ifndef RESEG_TUI_VIEW_FORM_INT_H
#define RESEG_TUI_VIEW_FORM_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "cond.h"
#include "form_model.h"
#include "pdb.h"
#include "segment.h"
#include "store.h"
#include "textedit.h"
#include "tui.h"
#include "view.h"
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
	int		 fixed;		/* shown, not editable: no Tab stop */
};

enum vf_pick {
	VP_NONE,
	VP_DB,
	VP_TZ,
	VP_OPERAND,
	VP_OPERATOR,
	VP_SEGMENT,
	VP_IMPORT,
	VP_EV_TEST,		/* the event editor, in this order */
	VP_EV_NAME,
	VP_EV_PROP,
	VP_EV_FILTERS,
	VP_EV_FILTER,		/* edit or remove one filter */
	VP_EV_OP,
	VP_EV_WINDOW
};

/* What the value box is for. */
enum vf_box {
	VB_NONE,
	VB_VALUES,
	VB_FILE,
	VB_EV_NAME,		/* an event name not in the list */
	VB_EV_VALUES,		/* the count, comparison or time test */
	VB_EV_WINDOW
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
	char		*use_cause;	/* why an "in segment" cannot be read */
	struct store_txn *txn;
};

struct view_form {
	struct tui	*tui;
	struct form_model fm;
	int		 lines;		/* form lines in all */
	struct widget_text text[FM_NFIELDS];
	struct textedit	 script;	/* the conditions as a script */
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
	char		**dblabels;	/* the picker's rows: name and source */
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
	int		*operand_field;	/* per operand item: field, -1/-2 seg,
					   -3/-4 event */
	enum cond_func	*operand_func;
	/* The event condition being edited (VP_EV_*, VB_EV_*). */
	struct fm_event	 ev;
	struct pdb_schema *ev_schema;	/* a filter's fields */
	int		 where_mode;	/* the predicate editor edits a filter */
	int		 where_edit;	/* that filter, -1: a new one */
	int		 where_negated;

	enum vf_box	 box;
	struct widget_text box_text;
	char		*box_hint;
	char		*box_err;

	char		*next[3];	/* next runs, or an error in next[0] */
	struct vf_preview *preview;	/* running */
	char		*preview_text;
};


/* view_form.c: the model behind the widgets. */
void	 vf_load_schema(struct view_form *);
/* A field changed (FM_NFIELDS: a choice): copy it into the model,
 * refresh what depends on it. */
void	 vf_changed(struct view_form *, enum fm_field);
/* The tree changed: relayout, keep the focus on focus (or the tree). */
void	 vf_tree_changed(struct view_form *, const struct cond *focus);
void	 vf_free_names(struct view_form *);

/* view_form_draw.c: layout, focus and drawing. */
int	 vf_focusable(const struct vf_item *);
/* Builds the items from the model, keeping the focus on the same field. */
void	 vf_layout(struct view_form *);
struct vf_item *vf_cur(struct view_form *);
void	 vf_focus_field(struct view_form *, enum fm_field, int row);
void	 vf_move(struct view_form *, int dir);
void	 vf_draw(struct view *, struct tui_rect);
void	 vf_title(struct view *, char *buf, size_t len);

/* view_form_cond.c: the conditions block and the pop-ups. */
int	 vf_picker_key(struct view_form *, int key, int is_keycode);
int	 vf_box_key(struct view_form *, int key, int is_keycode);
void	 vf_tree_action(struct view *, enum action, struct vf_item *);
/* F3: the tree to the script or back; VIEW_* bits. */
int	 vf_script_switch(struct view *);
/* Offers the segments (and a file) to import conditions from. */
void	 vf_import_pick(struct view_form *);

/* view_form_script.c: the script editor. */
/* The caret to the script's error, if it has one with a position. */
void	 vf_script_jump(struct view_form *);
/* Tab in the script: VIEW_* bits, VIEW_IGNORED when no word to complete. */
int	 vf_script_complete(struct view_form *);
/* Draws the script editor, highlighted when colours are on. */
void	 vf_script_draw(struct view_form *, int y, int x, int w, int h,
	    int focus);

/* view_form_event.c: the event editor, a chain of pickers and boxes. */
/* The database's event names, sorted (NULL, 0 when none or no database). */
char	**vf_event_name_list(struct view_form *, size_t *n);
/* Starts it: a new event condition, or the node of vf->edit_row. */
void	 vf_event_start(struct view_form *, const struct cond *node);
/* A picker of the chain chose i (-1: cancelled). */
void	 vf_event_picked(struct view_form *, enum vf_pick, int i);
/* Enter in one of its boxes; 0 when the box may close. */
int	 vf_event_box_done(struct view_form *, const char *text);
/* Esc in a pop-up while a filter is edited: back to the filters. */
int	 vf_event_filter_cancel(struct view_form *);
/* A filter built by the predicate editor (takes c). */
void	 vf_event_filter_done(struct view_form *, struct cond *c);
/* The schema the predicate editor offers: the filter's, or the database's. */
const struct pdb_schema *vf_operand_schema(struct view_form *);
/* Puts a new or edited condition into the tree (view_form_cond.c). */
void	 vf_tree_put(struct view_form *, struct cond *);
void	 vf_box_open(struct view_form *, enum vf_box, const char *hint,
	    const char *initial);
void	 vf_pick_operand(struct view_form *);

/* view_form_save.c: save, preview, leave. */
void	 vf_save(struct view *);
void	 vf_preview(struct view *);
/* Esc: closes, or asks first when there are unsaved changes; VIEW_*. */
int	 vf_leave(struct view *);

/* view_form_key.c */
/* Whether the focused item takes the action (view_ops.offers). */
int	 vf_offers(struct view *, enum action);
int	 vf_key(struct view *, enum action, int key, int is_keycode);

#endif
