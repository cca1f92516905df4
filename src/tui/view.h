/*
 * Views (tmux window modes, tig view ops): a screen of the UI is a
 * struct view with a table of operations filled with designated
 * initializers:
 *
 *	const struct view_ops view_list_ops = {
 *		.name = "segments",
 *		.title = N_("Segments"),
 *		.actions = view_list_actions,
 *		.open = view_list_open,
 *		.draw = view_list_draw,
 *		.key = view_list_key,
 *		...
 *	};
 *
 * draw() only reads the view's state (a snapshot loaded by open() or by
 * a refresh after notify()); it never changes data.  key() returns
 * VIEW_* bits; the loop redraws when VIEW_REDRAW is set.
 */
#ifndef RESEG_TUI_VIEW_H
#define RESEG_TUI_VIEW_H

#include "tui.h"

/* What key() returns (bits). */
#define VIEW_IGNORED	0x0	/* not for this view: try the global actions */
#define VIEW_HANDLED	0x1
#define VIEW_REDRAW	0x2	/* the view's body changed */
#define VIEW_RELAYOUT	0x4	/* sizes changed: resize() then redraw all */
#define VIEW_CLOSE	0x8	/* pop this view */

struct view_ops {
	const char	*name;		/* "segments", "segment", "form" */
	const char	*title;		/* N_() label for the title line */
	/* Actions this view takes, ACT_NONE-terminated: key lookup, help. */
	const enum action *actions;
	int		(*open)(struct view *, char **cause);
	void		(*close)(struct view *);
	/* The body rectangle changed (also called once after open). */
	void		(*resize)(struct view *, struct tui_rect);
	void		(*draw)(struct view *, struct tui_rect);
	/* An action (ACT_NONE when the key is bound to none) and the raw key
	 * (a wint_t from get_wch, or KEY_* with is_keycode set). */
	int		(*key)(struct view *, enum action, int key,
			    int is_keycode);
	void		(*notify)(struct view *, const struct tui_event *);
	/* Optional: a title with details ("Segment: Active buyers"). */
	void		(*title_text)(struct view *, char *buf, size_t len);
	/* Optional: whether an action is available now; when not, *why
	 * (static, untranslated N_ string) says why; the key bar greys it. */
	int		(*enabled)(struct view *, enum action, const char **why);
};

struct view {
	const struct view_ops *ops;
	struct tui	*tui;
	void		*data;		/* the view's own state */
	int		 dirty;
};

/* Allocates a view (data owned by the view; close() frees it). */
struct view *view_new(struct tui *, const struct view_ops *, void *data);

/* The views of this UI; each file defines its ops and a constructor. */
extern const struct view_ops view_list_ops;
extern const struct view_ops view_page_ops;

/* The segment page of segment `name`; focus on its history when chart. */
struct view *view_page_new(struct tui *, const char *name, int chart);

/*
 * The segment form (view_form.c): create (name NULL) or edit a segment;
 * part selects where the cursor starts.
 */
enum view_form_part {
	VIEW_FORM_ALL,
	VIEW_FORM_CONDITIONS,
	VIEW_FORM_SCHEDULE
};
struct view *view_form_new(struct tui *, const char *name,
	    enum view_form_part);

#endif
