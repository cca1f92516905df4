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

struct widget_picker {
	int		 open;
	char		*title;
	char		**items;
	size_t		 nitems;
	size_t		*match;		/* indexes of items matching */
	size_t		 nmatch;
	struct widget_text filter;
	int		 sel, top;
};

/* Opens over a copy of items; current is preselected (or -1). */
void	 widget_picker_open(struct widget_picker *, const char *title,
	    const char *const *items, size_t nitems, int current);
void	 widget_picker_close(struct widget_picker *);
/* 1 chosen (*index set), -1 cancelled, 0 still open. */
int	 widget_picker_key(struct widget_picker *, int key, int is_keycode,
	    int *index);
void	 widget_picker_draw(struct widget_picker *, struct tui_rect);

#endif
