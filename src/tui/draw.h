/*
 * Drawing helpers shared by the views: colour pairs (none under
 * NO_COLOR), wide-character text cut to a display width, boxes with
 * titles and a progress bar.  All of them draw on stdscr and only from
 * the loop's redraw pass.  The bottom of src/tui: it knows nothing of
 * the UI's state, so everything above may use it.
 */
#ifndef RESEG_TUI_DRAW_H
#define RESEG_TUI_DRAW_H

#include <stddef.h>
#include <stdint.h>

/* A part of the screen: the body of a view, a box. */
struct tui_rect {
	int		 y, x;
	int		 h, w;
};

/* Roles, not colours: draw_attr() maps them to a pair or to attributes. */
enum draw_role {
	DR_NORMAL,
	DR_TITLE,		/* title line */
	DR_HEADER,		/* table header */
	DR_CURSOR,		/* selected row */
	DR_CURSOR_DIM,		/* selected row of a block without focus */
	DR_STATUS,
	DR_ERROR,
	DR_KEY,			/* key name in the key bar ("F1") */
	DR_KEYLABEL,		/* its label */
	DR_DISABLED,
	DR_FRAME,
	DR_CHART,
	DR_CHART_CURSOR,
	DR_CHART_MANUAL,	/* manual runs' part of a change bar */
	DR_ADDED,
	DR_REMOVED,
	DR_GOOD,		/* Completed, Active */
	DR_WARN,		/* In progress, Stopped */
	DR_FIELD,		/* an editable field */
	DR_FIELD_FOCUS,
	DR_SYN_KEYWORD,		/* the script editor's highlighting */
	DR_SYN_STRING,
	DR_SYN_NUMBER,
	DR_SYN_COMMENT,
	DR_SYN_FIELD,		/* a field of the database */
	DR_SYN_UNKNOWN,		/* a name the database has no field of */
	DR_COUNT
};

/*
 * Initialises colours once curses is up; color 0 means monochrome, ascii
 * (RESEG_ASCII) keeps to ASCII even in a UTF-8 locale.
 */
void	 draw_init(int color, int ascii);
int	 draw_attr(enum draw_role);
/* Whether colours are on (not under NO_COLOR nor on a monochrome
 * terminal): highlighting is drawn only then. */
int	 draw_has_color(void);

/*
 * Writes UTF-8 text at y,x using at most w columns (wide characters
 * count two, combining marks zero; control characters become '?').
 * Returns the columns used.  draw_text_pad pads with blanks to w.
 */
int	 draw_text(int y, int x, int w, const char *s, enum draw_role);
int	 draw_text_pad(int y, int x, int w, const char *s, enum draw_role);
/* Right-aligned within w columns. */
int	 draw_text_right(int y, int x, int w, const char *s, enum draw_role);
/* printf, then draw_text_pad. */
int	 draw_printf(int y, int x, int w, enum draw_role, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/*
 * Word-wraps one line of UTF-8 text into rows y, y+1, ... below maxy (a
 * word wider than w is cut), indenting continuation rows by `indent`.
 * Returns the rows used.
 */
int	 draw_wrapped(int y, int x, int w, int maxy, int indent, const char *s,
	    enum draw_role);
/*
 * The text cursor: an editable field records where its caret is while it
 * draws (draw_caret); tui_redraw places and shows the terminal cursor
 * there once everything else (status line, key bar) is drawn, or hides it
 * when no field recorded one since draw_caret_reset.
 */
void	 draw_caret(int y, int x);
void	 draw_caret_reset(void);
int	 draw_caret_get(int *y, int *x);
/* The rows draw_wrapped would take for s (at least the words there are). */
int	 draw_wrapped_rows(int w, int indent, const char *s);
/*
 * Whether needle occurs in hay ignoring case in any script (the locale's
 * towlower: "алматы" finds "Алматы"), as the list's filter needs.
 */
int	 draw_casestr(const char *hay, const char *needle);
/* Display width of UTF-8 text (the same rules as draw_text). */
int	 draw_width(const char *s);
/*
 * Cuts UTF-8 text to at most w columns into buf (size len), adding "…"
 * (or "~" outside UTF-8) when cut.
 */
char	*draw_cut(const char *s, int w, char *buf, size_t len);

/* Fills a line segment with blanks in a role. */
void	 draw_fill(int y, int x, int w, enum draw_role);
/* A frame with a title in its top edge; clears the inside. */
void	 draw_box(struct tui_rect, const char *title, int focus);
/* A horizontal rule with a label ("── Log ─────"). */
void	 draw_rule(int y, int x, int w, const char *label, int focus);

/* "[#####     ] 41% 410,000 / 1,000,000" within w columns; with total
 * 0 (not known yet) "LABEL: preparing the scan...". */
void	 draw_progress(int y, int x, int w, uint64_t done, uint64_t total,
	    const char *label);

/* fmt_count (util.h): grouped as LC_NUMERIC says ("4,572", "4 572"). */
char	*draw_count(uint64_t, char *buf, size_t len);

/* Whether line-drawing and Braille characters can be used. */
int	 draw_utf8(void);

#endif
