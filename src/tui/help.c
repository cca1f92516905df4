/*
 * The help overlay (? / F1): the keys of the current screen, straight
 * from the action table, the screen's notes (the form: the script's
 * words), then the keys every screen shares.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "draw.h"
#include "i18n.h"
#include "tui.h"
#include "util.h"
#include "view.h"

struct help_line {
	const char	*keys;		/* NULL: a heading */
	const char	*text;
};

/* The lines of the overlay; returns how many (at most max). */
static int
help_lines(struct tui *tui, struct help_line *out, int max)
{
	struct view		*v = tui_top_view(tui);
	const enum action	*p, *acts;
	enum action		 offered[ACT_COUNT + 1];
	const struct help_note	*note;
	int			 n = 0;

	acts = tui_view_actions(v, offered, sizeof offered /
	    sizeof offered[0]);
	if (acts != NULL) {
		if (n < max)
			out[n++] = (struct help_line){ NULL, _(v->ops->title) };
		for (p = acts; *p != ACT_NONE && n < max; p++)
			out[n++] = (struct help_line){ actions_keys(*p),
			    actions_help(*p) };
	}
	for (note = v != NULL ? v->ops->notes : NULL; note != NULL &&
	    note->text != NULL && n < max; note++)
		out[n++] = (struct help_line){ note->words != NULL ?
		    _(note->words) : NULL, _(note->text) };
	if (n < max)
		out[n++] = (struct help_line){ NULL, _("Every screen") };
	for (p = actions_global; *p != ACT_NONE && n < max; p++)
		out[n++] = (struct help_line){ actions_keys(*p),
		    actions_help(*p) };
	return n;
}

void
help_draw(struct tui *tui)
{
	struct help_line lines[ACT_COUNT + 40];
	struct tui_rect	 r;
	int		 n, i, y, kw = 12;

	n = help_lines(tui, lines, (int)(sizeof lines / sizeof lines[0]));
	r.w = tui->cols - 4 < 76 ? tui->cols - 4 : 76;
	r.h = n + 3 < tui->rows - 2 ? n + 3 : tui->rows - 2;
	r.y = (tui->rows - r.h) / 2;
	r.x = (tui->cols - r.w) / 2;
	if (tui->help_top > n - (r.h - 3))
		tui->help_top = n - (r.h - 3) > 0 ? n - (r.h - 3) : 0;
	draw_box(r, _("Help: keys"), 1);
	for (i = tui->help_top, y = r.y + 1; i < n && y < r.y + r.h - 2;
	    i++, y++) {
		if (lines[i].keys == NULL) {
			draw_text(y, r.x + 2, r.w - 4, lines[i].text,
			    DR_HEADER);
			continue;
		}
		draw_text(y, r.x + 3, kw, lines[i].keys, DR_KEY);
		draw_text(y, r.x + 3 + kw + 1, r.w - kw - 6, lines[i].text,
		    DR_NORMAL);
	}
	draw_text(r.y + r.h - 2, r.x + 2, r.w - 4,
	    _("Up/Down, PgUp/PgDn, Home/End scroll; any other key "
	    "closes this help."), DR_DISABLED);
}

/* The keys the overlay takes (the rest close it). */
const enum action help_actions[] = {
	ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END,
	ACT_NONE
};

int
help_key(struct tui *tui, enum action act, int key)
{
	switch (act) {
	case ACT_HOME:
		tui->help_top = 0;
		return 1;
	case ACT_END:
		/* help_draw brings it back to the last screenful. */
		tui->help_top = ACT_COUNT + 40;
		return 1;
	case ACT_UP:
		if (tui->help_top > 0)
			tui->help_top--;
		return 1;
	case ACT_DOWN:
		tui->help_top++;
		return 1;
	case ACT_PAGE_DOWN:
		tui->help_top += 10;
		return 1;
	case ACT_PAGE_UP:
		tui->help_top = tui->help_top > 10 ? tui->help_top - 10 : 0;
		return 1;
	default:
		tui->help = 0;
		return 1;
	}
}
