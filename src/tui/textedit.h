/*
 * The UI's multi-line text editor (the form's script): the line
 * editor's buffer and keys (lineedit.h) plus soft wrap at the window's
 * width, moves by screen rows (Up, Down, Home, End, PgUp, PgDn), Enter
 * for a new line, undo and redo with typing runs grouped, and
 * completion of the word before the caret from a list of words.
 *
 * The model (textedit.c) needs no terminal, so the unit test drives it
 * alone; textedit_draw.c paints the rows, a colour role per byte and
 * the wrap marks, from the loop's redraw pass only.
 */
#ifndef RESEG_TUI_TEXTEDIT_H
#define RESEG_TUI_TEXTEDIT_H

#include <stddef.h>

#include "draw.h"
#include "lineedit.h"

/* What textedit_key and friends did. */
#define TE_IGNORED	0	/* not an editing key, or nothing to do */
#define TE_MOVED	1	/* the caret moved */
#define TE_CHANGED	2	/* the text changed */

/* What textedit_complete did. */
enum te_complete {
	TE_COMP_NOWORD,		/* no word before the caret */
	TE_COMP_NONE,		/* no word of the list starts so */
	TE_COMP_ONE,		/* the only candidate, completed */
	TE_COMP_MANY,		/* several: their common prefix completed */
	TE_COMP_CYCLE		/* a further Tab: the next candidate */
};

/* One screen row: bytes [start, end) of the text. */
struct te_row {
	size_t		 start, end;
	int		 cont;		/* its line goes on in the next row */
};

struct te_snap {
	char		*text;
	size_t		 cur;
};

struct textedit {
	struct lineedit	 le;		/* the text and its caret */
	int		 width;		/* columns of a row; < 1: no wrap */
	struct te_row	*rows;
	size_t		 nrows;
	int		 laid;		/* rows match the text and width */
	int		 goal;		/* the column Up/Down keep; -1: none */
	int		 top;		/* first row shown */
	struct te_snap	*undo, *redo;
	size_t		 nundo, nredo;
	int		 run;		/* the last edit's kind, for grouping */
	size_t		 run_cur;	/* the caret after it */
	char		**cands;	/* completion candidates, sorted */
	size_t		 ncands;
	size_t		 comp_start;	/* where the completed word starts */
	size_t		 comp_next;	/* the candidate a further Tab puts */
	int		 comp_on;	/* a further Tab cycles */
};

void	 textedit_init(struct textedit *);
void	 textedit_free(struct textedit *);
/* Replaces the text; the caret goes to its end, the undo history goes. */
void	 textedit_set(struct textedit *, const char *);
const char *textedit_text(const struct textedit *);
/* Wraps rows at w display columns (< 1: no wrap). */
void	 textedit_set_width(struct textedit *, int w);
/* The rows of the text at the width (laid out on demand). */
const struct te_row *textedit_rows(struct textedit *, size_t *n);
/* The caret's row and its display column in that row. */
size_t	 textedit_caret_row(struct textedit *, int *col);
/*
 * One key (a wint_t, or a KEY_* code when is_keycode); page is the rows
 * PgUp/PgDn move.  Up at the first row, Down at the last, are ignored
 * (the form moves to the field above or below).
 */
int	 textedit_key(struct textedit *, int key, int is_keycode, int page);
int	 textedit_undo(struct textedit *);
int	 textedit_redo(struct textedit *);
/* The caret's 1-based line and column (in characters). */
void	 textedit_pos(const struct textedit *, int *line, int *col);
/* Byte offset of 1-based line, column (clamped to the text). */
size_t	 textedit_offset(const struct textedit *, int line, int col);
/* Moves the caret to 1-based line, column. */
void	 textedit_goto(struct textedit *, int line, int col);
/*
 * The word before the caret completion works on: letters, digits, '_'
 * and non-ASCII, with an opening " or ` before them; its start into
 * *start.  0 when the caret does not follow such a word.
 */
int	 textedit_word(const struct textedit *, size_t *start);
/*
 * Tab: completes the word before the caret from words (n of them): one
 * candidate completes it, several complete their common prefix and are
 * left in cands; a further Tab (nothing else typed) puts the next one.
 */
enum te_complete textedit_complete(struct textedit *,
	    const char *const *words, size_t n);
/* Whether the next Tab puts the next candidate (words are not read). */
int	 textedit_cycling(const struct textedit *);

/*
 * Draws the rows from te->top within h rows of w columns at y,x: the
 * text wraps at w - 1 columns, the last column marking a row whose line
 * goes on.  roles (one per byte of the text, or NULL for base) colour
 * it; the byte at mark (or a blank past the end of its line) is drawn
 * as an error unless mark is (size_t)-1.  With focus the caret is placed
 * and the rows scroll to keep it in view.
 */
void	 textedit_draw(struct textedit *, int y, int x, int w, int h,
	    int focus, const unsigned char *roles, enum draw_role base,
	    size_t mark);

#endif
