/*
 * Painting the line editor: the caret's line, scrolled sideways by
 * display columns so the caret stays in view with a column to spare,
 * padded with blanks in the field's role.  Called from the loop's redraw
 * pass only (draw.h's rules).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "lineedit.h"
#include "util.h"

/* Display width of bytes a..b of the buffer. */
static int
lineedit_width(const struct lineedit *le, size_t a, size_t b)
{
	char	*s;
	int	 w;

	s = xstrndup(le->buf + a, b - a);
	w = draw_width(s);
	free(s);
	return w;
}

void
lineedit_draw(struct lineedit *le, int y, int x, int w, enum draw_role role,
    int focus)
{
	size_t	 start, end, from;
	int	 caret, col;
	char	*vis;

	if (le->buf == NULL)
		lineedit_init(le, 0);
	if (w < 1)
		return;
	start = lineedit_line_start(le, le->cur);
	end = lineedit_line_end(le, le->cur);
	caret = lineedit_width(le, start, le->cur);
	if (caret < le->left)
		le->left = caret;
	if (w >= 2 && caret > le->left + w - 2)
		le->left = caret - (w - 2);
	/* The first whole character at or after column left. */
	for (from = start, col = 0; from < le->cur && col < le->left; ) {
		size_t next = from + 1;

		while (next < end && (le->buf[next] & 0xc0) == 0x80)
			next++;
		col += lineedit_width(le, from, next);
		from = next;
	}
	vis = xstrndup(le->buf + from, end - from);
	draw_text_pad(y, x, w, vis, role);
	if (le->fresh && focus)
		draw_text(y, x, w, vis, DR_CURSOR);
	free(vis);
	if (focus) {
		col = caret - col;
		draw_caret(y, x + (col < w ? col : w - 1));
	}
}
