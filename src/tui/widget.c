/*
 * Form widgets: the text field and the searchable picker.  A field's
 * keys are the line editor's (lineedit.c), as in every prompt of the UI;
 * this file adds what a field needs beyond one line: Up/Down and Enter
 * in the script, the error mark, and the filter of number fields.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "draw.h"
#include "i18n.h"
#include "keys.h"
#include "lineedit.h"
#include "util.h"
#include "widget.h"

void
widget_text_init(struct widget_text *t, int multiline)
{
	memset(t, 0, sizeof *t);
	t->multiline = multiline;
	lineedit_init(&t->le, 0);
}

void
widget_text_free(struct widget_text *t)
{
	lineedit_free(&t->le);
	memset(t, 0, sizeof *t);
}

void
widget_text_set(struct widget_text *t, const char *s)
{
	if (t->le.buf == NULL)
		widget_text_init(t, t->multiline);
	lineedit_set(&t->le, s);
	t->top = t->left = 0;
}

const char *
widget_text_str(const struct widget_text *t)
{
	return lineedit_text(&t->le);
}

static size_t
widget_next(const struct widget_text *t, size_t i)
{
	if (i >= t->le.len)
		return t->le.len;
	i++;
	while (i < t->le.len && (t->le.buf[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/* Characters from a to b. */
static int
widget_chars(const struct widget_text *t, size_t a, size_t b)
{
	int	 n = 0;

	while (a < b) {
		a = widget_next(t, a);
		n++;
	}
	return n;
}

void
widget_text_pos(const struct widget_text *t, int *line, int *col)
{
	size_t	 i;

	*line = 1;
	for (i = 0; i < t->le.cur; i++)
		if (t->le.buf[i] == '\n')
			(*line)++;
	*col = widget_chars(t, lineedit_line_start(&t->le, t->le.cur),
	    t->le.cur) + 1;
}

/* Moves to line start + col characters, or the line's end. */
static void
widget_goto_col(struct widget_text *t, size_t start, int col)
{
	size_t	 end = lineedit_line_end(&t->le, start);

	t->le.cur = start;
	while (col-- > 0 && t->le.cur < end)
		t->le.cur = widget_next(t, t->le.cur);
}

/* Up (dir < 0) or Down in a multi-line field, keeping the column. */
static int
widget_text_updown(struct widget_text *t, int dir)
{
	size_t	 s;
	int	 col;

	s = lineedit_line_start(&t->le, t->le.cur);
	col = widget_chars(t, s, t->le.cur);
	if (dir < 0) {
		if (s == 0)
			return WT_IGNORED;
		widget_goto_col(t, lineedit_line_start(&t->le, s - 1), col);
	} else {
		s = lineedit_line_end(&t->le, t->le.cur);
		if (s >= t->le.len)
			return WT_IGNORED;
		widget_goto_col(t, s + 1, col);
	}
	return WT_MOVED;
}

/* What a number field takes besides the editing keys. */
static int
widget_digit(int key)
{
	return (key >= '0' && key <= '9') || key == '.' || key == ':' ||
	    key == '-';
}

int
widget_text_key(struct widget_text *t, int key, int is_keycode)
{
	if (t->le.buf == NULL)
		widget_text_init(t, t->multiline);
	if (is_keycode && (key == KEY_UP || key == KEY_DOWN))
		return t->multiline ? widget_text_updown(t, key == KEY_UP ?
		    -1 : 1) : WT_IGNORED;
	if (TUI_IS_ENTER(key, is_keycode)) {
		if (!t->multiline)
			return WT_IGNORED;
		lineedit_insert(&t->le, "\n", 1);
		return WT_CHANGED;
	}
	if (t->digits && TUI_IS_TEXT(key, is_keycode) && !widget_digit(key))
		return WT_MOVED;
	switch (lineedit_key(&t->le, key, is_keycode)) {
	case LE_MOVED:
		return WT_MOVED;
	case LE_CHANGED:
		return WT_CHANGED;
	default:
		return WT_IGNORED;
	}
}

/* Draws bytes a..b of one line from character `skip`, marking one. */
static int
widget_draw_line(const struct widget_text *t, size_t a, size_t b, int skip,
    int y, int x, int w, int mark, enum draw_role role)
{
	char	*s;
	size_t	 i, j;
	int	 used = 0, c = 0;

	for (i = a; i < b && c < skip; c++)
		i = widget_next(t, i);
	while (i < b && used < w) {
		j = widget_next(t, i);
		s = xstrndup(t->le.buf + i, j - i);
		used += draw_text(y, x + used, w - used, s,
		    c + 1 == mark ? DR_ERROR : role);
		free(s);
		i = j;
		c++;
	}
	if (mark > c && used < w)	/* the error is past the end */
		used += draw_text(y, x + used, 1, " ", DR_ERROR);
	return used;
}

/* Scrolls so the caret (line, col, 1-based) is within h lines, w columns. */
static void
widget_text_scroll(struct widget_text *t, int line, int col, int w, int h)
{
	if (line - 1 < t->top)
		t->top = line - 1;
	if (line - 1 >= t->top + h)
		t->top = line - h;
	if (col - 1 < t->left)
		t->left = col - 1;
	if (col - 1 >= t->left + w - 1)
		t->left = col - w + 1;
}

/* The terminal cursor at the caret, scrolled by t->left characters. */
static void
widget_text_caret(const struct widget_text *t, int line, int y, int x, int w)
{
	size_t	 s = lineedit_line_start(&t->le, t->le.cur), k;
	char	*pre;
	int	 skip = t->left, cx;

	for (k = s; k < t->le.cur && skip > 0; skip--)
		k = widget_next(t, k);
	pre = xstrndup(t->le.buf + k, t->le.cur - k);
	cx = x + draw_width(pre);
	free(pre);
	if (cx >= x + w)
		cx = x + w - 1;
	draw_caret(y + line - 1 - t->top, cx);
}

void
widget_text_draw(struct widget_text *t, int y, int x, int w, int h,
    int focus, int mark_line, int mark_col)
{
	enum draw_role	 role = focus ? DR_FIELD_FOCUS : DR_FIELD;
	size_t		 a, b;
	int		 line, col, i;

	if (t->le.buf == NULL)
		widget_text_init(t, t->multiline);
	if (w < 2 || h < 1)
		return;
	if (!t->multiline) {
		lineedit_draw(&t->le, y, x, w, role, focus);
		return;
	}
	widget_text_pos(t, &line, &col);
	widget_text_scroll(t, line, col, w, h);
	for (i = 0; i < h; i++)
		draw_fill(y + i, x, w, role);
	a = 0;
	for (i = 1; i <= t->top && a < t->le.len; i++) {
		a = lineedit_line_end(&t->le, a);
		if (a < t->le.len)
			a++;
	}
	for (i = 0; i < h; i++) {
		if (t->top + i > 0 && a >= t->le.len && (a == 0 ||
		    t->le.buf[a - 1] != '\n'))
			break;
		b = lineedit_line_end(&t->le, a);
		widget_draw_line(t, a, b, t->left, y + i, x, w,
		    t->top + i + 1 == mark_line ? mark_col - t->left : 0,
		    role);
		if (b >= t->le.len)
			break;
		a = b + 1;
	}
	if (focus)
		widget_text_caret(t, line, y, x, w);
}

/* ------------------------------------------------------------------ */
/* Picker                                                               */
/* ------------------------------------------------------------------ */

static void
widget_picker_refilter(struct widget_picker *p)
{
	const char	*f = widget_text_str(&p->filter);
	size_t		 i;

	p->nmatch = 0;
	for (i = 0; i < p->nitems; i++)
		if (draw_casestr(p->items[i], f))
			p->match[p->nmatch++] = i;
	if (p->sel >= (int)p->nmatch)
		p->sel = p->nmatch > 0 ? (int)p->nmatch - 1 : 0;
	if (p->sel < 0)
		p->sel = 0;
}

void
widget_picker_open(struct widget_picker *p, const char *title,
    const char *const *items, size_t nitems, int current)
{
	size_t	 i;

	widget_picker_close(p);
	p->open = 1;
	p->title = xstrdup(title);
	p->items = xcalloc(nitems + 1, sizeof *p->items);
	p->match = xcalloc(nitems + 1, sizeof *p->match);
	for (i = 0; i < nitems; i++)
		p->items[i] = xstrdup(items[i]);
	p->nitems = nitems;
	widget_text_init(&p->filter, 0);
	widget_picker_refilter(p);
	p->sel = current >= 0 && (size_t)current < nitems ? current : 0;
	p->top = 0;
}

void
widget_picker_close(struct widget_picker *p)
{
	size_t	 i;

	for (i = 0; i < p->nitems; i++)
		free(p->items[i]);
	free(p->items);
	free(p->match);
	free(p->title);
	widget_text_free(&p->filter);
	memset(p, 0, sizeof *p);
}

int
widget_picker_key(struct widget_picker *p, int key, int is_keycode,
    int *index)
{
	if (TUI_IS_ENTER(key, is_keycode)) {
		if (p->nmatch == 0)
			return 0;
		*index = (int)p->match[p->sel];
		return 1;
	}
	if (TUI_IS_CHAR(key, is_keycode, TUI_KEY_ESC) ||
	    TUI_IS_CHAR(key, is_keycode, TUI_KEY_ABORT))
		return -1;
	if (is_keycode) {
		switch (key) {
		case KEY_UP:
			if (p->sel > 0)
				p->sel--;
			return 0;
		case KEY_DOWN:
			if (p->sel + 1 < (int)p->nmatch)
				p->sel++;
			return 0;
		case KEY_PPAGE:
			p->sel = p->sel > 10 ? p->sel - 10 : 0;
			return 0;
		case KEY_NPAGE:
			p->sel += 10;
			if (p->sel >= (int)p->nmatch)
				p->sel = p->nmatch > 0 ? (int)p->nmatch - 1 : 0;
			return 0;
		/* Letters narrow the list, so g/G type; Home/End move. */
		case KEY_HOME:
			p->sel = 0;
			return 0;
		case KEY_END:
			p->sel = p->nmatch > 0 ? (int)p->nmatch - 1 : 0;
			return 0;
		default:
			break;
		}
	}
	if (widget_text_key(&p->filter, key, is_keycode) == WT_CHANGED) {
		p->sel = 0;
		widget_picker_refilter(p);
	}
	return 0;
}

void
widget_picker_draw(struct widget_picker *p, struct tui_rect body)
{
	struct tui_rect	 r;
	int		 i, w = 20, h;
	size_t		 k;

	for (k = 0; k < p->nitems; k++)
		if (draw_width(p->items[k]) + 4 > w)
			w = draw_width(p->items[k]) + 4;
	if (draw_width(p->title) + 6 > w)
		w = draw_width(p->title) + 6;
	if (p->nmatch == 0 && draw_width(_("(nothing matches)")) + 4 > w)
		w = draw_width(_("(nothing matches)")) + 4;
	if (w > body.w - 4)
		w = body.w - 4;
	h = (int)p->nitems + 4;
	if (h > body.h)
		h = body.h;
	if (h < 5)
		h = 5;
	r.w = w;
	r.h = h;
	r.y = body.y + (body.h - h) / 2;
	r.x = body.x + (body.w - w) / 2;
	draw_box(r, p->title, 1);
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + h - 4)
		p->top = p->sel - (h - 5);
	for (i = 0; i < h - 4 && (size_t)(p->top + i) < p->nmatch; i++)
		draw_text_pad(r.y + 1 + i, r.x + 1, r.w - 2,
		    p->items[p->match[p->top + i]],
		    p->top + i == p->sel ? DR_CURSOR : DR_NORMAL);
	if (p->nmatch == 0)
		draw_text(r.y + 1, r.x + 2, r.w - 4, _("(nothing matches)"),
		    DR_DISABLED);
	draw_text(r.y + h - 2, r.x + 1, 8, _("Search:"), DR_HEADER);
	widget_text_draw(&p->filter, r.y + h - 2, r.x + 9, r.w - 10, 1, 1,
	    0, 0);
}
