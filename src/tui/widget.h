/*
 * Form widgets: a text field (the UI's line editor, lineedit.h, with a
 * filter for number fields) and a picker with type-to-search.  They draw
 * on stdscr from the loop's redraw pass only.
 */
#ifndef RESEG_TUI_WIDGET_H
#define RESEG_TUI_WIDGET_H

#include <stddef.h>

#include "lineedit.h"
#include "tui.h"

/* What widget_text_key did. */
#define WT_IGNORED	0
#define WT_MOVED	1
#define WT_CHANGED	2

struct widget_text {
	struct lineedit	 le;		/* the text and its caret */
	int		 digits;	/* accept only 0-9 . : - (numbers) */
};

void	 widget_text_init(struct widget_text *);
void	 widget_text_free(struct widget_text *);
void	 widget_text_set(struct widget_text *, const char *);
const char *widget_text_str(const struct widget_text *);
int	 widget_text_key(struct widget_text *, int key, int is_keycode);
/* Draws within w columns at y,x; with focus the caret is placed. */
void	 widget_text_draw(struct widget_text *, int y, int x, int w,
	    int focus);

/* Whether an item's key matches what was typed. */
typedef int (*widget_match_fn)(const char *key, const char *typed);

struct widget_picker {
	int		 open;
	char		*title;
	char		**items;
	char		**keys;		/* matched instead of items, or NULL */
	char		**groups;	/* each item's heading, or NULL */
	widget_match_fn	 matchfn;	/* NULL: anywhere, ignoring case */
	size_t		 nitems;
	size_t		*match;		/* indexes of items matching */
	size_t		 nmatch;
	struct widget_text filter;
	int		 sel, top;
};

/* Opens over a copy of items; current is preselected (or -1). */
void	 widget_picker_open(struct widget_picker *, const char *title,
	    const char *const *items, size_t nitems, int current);
/*
 * The same, typing matched against keys (NULL: the items) by match
 * (NULL: anywhere, ignoring case), and the items under headings: a
 * heading is shown above each run of items of the same group (groups
 * NULL: none).
 */
void	 widget_picker_open_grouped(struct widget_picker *, const char *title,
	    const char *const *items, const char *const *keys,
	    const char *const *groups, size_t nitems, int current,
	    widget_match_fn match);
void	 widget_picker_close(struct widget_picker *);
/* 1 chosen (*index set), -1 cancelled, 0 still open. */
int	 widget_picker_key(struct widget_picker *, int key, int is_keycode,
	    int *index);
void	 widget_picker_draw(struct widget_picker *, struct tui_rect);

#endif
