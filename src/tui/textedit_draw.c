/*
 * Painting the multi-line editor: the rows of the soft wrap from the
 * first one shown, each character in its role, a mark in the last
 * column of a row whose line goes on, the error's character, and the
 * caret.  Called from the loop's redraw pass only (draw.h's rules).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "textedit.h"
#include "util.h"

/* Draws bytes a..b of the text at y,x in their roles; returns columns. */
static int
te_draw_span(const struct textedit *te, size_t a, size_t b, int y, int x,
    int w, const unsigned char *roles, enum draw_role base, size_t mark)
{
	enum draw_role	 role;
	size_t		 j;
	char		*s;
	int		 used = 0;

	while (a < b && used < w) {
		role = roles != NULL ? (enum draw_role)roles[a] : base;
		if (a == mark)
			role = DR_ERROR;
		/* The longest run of one role. */
		for (j = a + 1; j < b; j++) {
			if ((te->le.buf[j] & 0xc0) == 0x80)
				continue;
			if (j == mark || a == mark || (roles != NULL &&
			    roles[j] != roles[a]))
				break;
		}
		s = xstrndup(te->le.buf + a, j - a);
		used += draw_text(y, x + used, w - used, s, role);
		free(s);
		a = j;
	}
	return used;
}

void
textedit_draw(struct textedit *te, int y, int x, int w, int h, int focus,
    const unsigned char *roles, enum draw_role base, size_t mark)
{
	const struct te_row *rows;
	size_t		 n, r, cr;
	int		 i, col, used;

	if (te->le.buf == NULL)
		textedit_init(te);
	if (w < 2 || h < 1)
		return;
	textedit_set_width(te, w - 1);
	rows = textedit_rows(te, &n);
	cr = textedit_caret_row(te, &col);
	if (focus) {
		if ((int)cr < te->top)
			te->top = (int)cr;
		if ((int)cr >= te->top + h)
			te->top = (int)cr - h + 1;
	}
	if (te->top > 0 && (size_t)te->top >= n)
		te->top = (int)n - 1;
	for (i = 0; i < h; i++) {
		draw_fill(y + i, x, w, base);
		r = (size_t)(te->top + i);
		if (r >= n)
			continue;
		/* A continued row's blank may reach the mark's column. */
		used = te_draw_span(te, rows[r].start, rows[r].end, y + i, x,
		    rows[r].cont ? w : w - 1, roles, base, mark);
		if (rows[r].cont)
			draw_text(y + i, x + w - 1, 1, draw_utf8() ? "↩" :
			    "\\", DR_DISABLED);
		else if (mark == rows[r].end && used < w)
			draw_text(y + i, x + used, 1, " ", DR_ERROR);
	}
	if (focus && (int)cr >= te->top && (int)cr < te->top + h)
		draw_caret(y + (int)cr - te->top, x + (col < w ? col : w - 1));
}
