/*
 * Shared among the files of the tui module (tui.c, tui_*.c) only: the
 * status line's error form, and the modal overlay's keys and drawing
 * that the dispatch and the redraw pass hand over to tui_modal.c.
 */
#ifndef RESEG_TUI_INT_H
#define RESEG_TUI_INT_H

#include <wchar.h>

#include "tui.h"

/* tui_status, drawn as an error. */
void	 tui_status_error(struct tui *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The open modal takes every key; Esc (and ^C, mapped to it) cancels. */
void	 tui_modal_key(struct tui *, wint_t ch, int keycode);
/* A click on the open modal at row y, column x: selects the row of a
 * list (a double click chooses it); returns whether it did anything. */
int	 tui_modal_click(struct tui *, int y, int x, int dbl);
/*
 * Answers the open modal as Esc would (the UI is ending), so that its
 * asker frees what it passed along.
 */
void	 tui_modal_cancel(struct tui *);
/* Paints the open modal over the screen. */
void	 tui_modal_draw(struct tui *);
void	 tui_modal_free(struct tui_modal *);

#endif
