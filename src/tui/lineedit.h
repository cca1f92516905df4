/*
 * The UI's one line editor: a UTF-8 buffer with a caret, the keys of
 * readline's core (moves, Home/End, ^A/^E, Backspace/Delete, ^U/^K/^W)
 * and horizontal scrolling that keeps the caret in view.  The prompt of
 * the modal helpers and the form's fields edit text with it.
 *
 * Key handling (lineedit.c) needs no terminal, so it is unit-tested
 * alone; drawing (lineedit_draw.c) paints on stdscr from the loop's
 * redraw pass only.  Line-wise keys (Home, ^K, ...) work on the line of
 * the caret, so a multi-line editor can keep its text in one buffer and
 * add Up/Down and Enter itself.
 */
#ifndef RESEG_TUI_LINEEDIT_H
#define RESEG_TUI_LINEEDIT_H

#include <stddef.h>

#include "draw.h"

/* What lineedit_key did. */
enum lineedit_result {
	LE_IGNORED,	/* not an editing key (Enter, Esc, Tab, Up...) */
	LE_MOVED,	/* the caret moved, or nothing to do */
	LE_CHANGED,	/* the text changed */
	LE_REFUSED	/* a character did not fit (max): the caller may beep */
};

struct lineedit {
	char		*buf;		/* UTF-8, NUL-terminated */
	size_t		 len, cap;	/* bytes */
	size_t		 cur;		/* byte offset of the caret */
	size_t		 max;		/* most characters; 0: no limit */
	int		 left;		/* display column shown first */
	int		 fresh;		/* a proposed text: typing replaces it */
};

/* An empty editor taking at most max characters (0: any number). */
void	 lineedit_init(struct lineedit *, size_t max);
void	 lineedit_free(struct lineedit *);
/* Replaces the text (cut to max characters); the caret goes to its end. */
void	 lineedit_set(struct lineedit *, const char *);
/*
 * lineedit_set for a proposal (a prompt's default): the first character
 * typed replaces it, as in a dialog's preselected field; any other key
 * (a move, Backspace, ^A, ^K ...) keeps it for editing.
 */
void	 lineedit_propose(struct lineedit *, const char *);
const char *lineedit_text(const struct lineedit *);
/* Characters in the text. */
size_t	 lineedit_chars(const struct lineedit *);
/* Inserts n bytes of UTF-8 at the caret (no max check: a newline). */
void	 lineedit_insert(struct lineedit *, const char *, size_t);
/* One key (a wint_t, or a KEY_* code when is_keycode). */
enum lineedit_result lineedit_key(struct lineedit *, int key, int is_keycode);
/* Byte offsets of the start and end of the caret's line. */
/* The byte offsets of the UTF-8 characters after and before offset i. */
size_t	 lineedit_next(const struct lineedit *, size_t i);
size_t	 lineedit_prev(const struct lineedit *, size_t i);
/* Deletes bytes [a, b); the caret goes to a. */
void	 lineedit_delete(struct lineedit *, size_t a, size_t b);
size_t	 lineedit_line_start(const struct lineedit *, size_t);
size_t	 lineedit_line_end(const struct lineedit *, size_t);

/*
 * Draws the caret's line into w columns at y,x in role (blank-padded),
 * scrolled so the caret is in view; with focus the caret is placed
 * there (draw_caret).  A proposal is drawn as a selection (DR_CURSOR).
 */
void	 lineedit_draw(struct lineedit *, int y, int x, int w,
	    enum draw_role role, int focus);

#endif
