/*
 * Form widgets: the UTF-8 text editor and the searchable picker.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "draw.h"
#include "i18n.h"
#include "util.h"
#include "widget.h"

#define WIDGET_ESC	27

void
widget_text_init(struct widget_text *t, int multiline)
{
	memset(t, 0, sizeof *t);
	t->multiline = multiline;
	t->cap = 16;
	t->buf = xcalloc(1, t->cap);
}

void
widget_text_free(struct widget_text *t)
{
	free(t->buf);
	memset(t, 0, sizeof *t);
}

void
widget_text_set(struct widget_text *t, const char *s)
{
	size_t	 n = s != NULL ? strlen(s) : 0;

	if (t->buf == NULL)
		widget_text_init(t, t->multiline);
	if (n + 1 > t->cap) {
		t->cap = n + 16;
		t->buf = xrealloc(t->buf, t->cap);
	}
	if (n > 0)
		memcpy(t->buf, s, n);
	t->buf[n] = '\0';
	t->len = t->cur = n;
	t->top = t->left = 0;
}

const char *
widget_text_str(const struct widget_text *t)
{
	return t->buf != NULL ? t->buf : "";
}

static int
widget_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static size_t
widget_prev(const struct widget_text *t, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && widget_cont((unsigned char)t->buf[i]))
		i--;
	return i;
}

static size_t
widget_next(const struct widget_text *t, size_t i)
{
	if (i >= t->len)
		return t->len;
	i++;
	while (i < t->len && widget_cont((unsigned char)t->buf[i]))
		i++;
	return i;
}

static size_t
widget_line_start(const struct widget_text *t, size_t i)
{
	while (i > 0 && t->buf[i - 1] != '\n')
		i--;
	return i;
}

static size_t
widget_line_end(const struct widget_text *t, size_t i)
{
	while (i < t->len && t->buf[i] != '\n')
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
	for (i = 0; i < t->cur; i++)
		if (t->buf[i] == '\n')
			(*line)++;
	*col = widget_chars(t, widget_line_start(t, t->cur), t->cur) + 1;
}

static void
widget_insert(struct widget_text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->buf = xrealloc(t->buf, t->cap);
	}
	memmove(t->buf + t->cur + n, t->buf + t->cur, t->len - t->cur + 1);
	memcpy(t->buf + t->cur, s, n);
	t->len += n;
	t->cur += n;
}

static void
widget_delete(struct widget_text *t, size_t a, size_t b)
{
	memmove(t->buf + a, t->buf + b, t->len - b + 1);
	t->len -= b - a;
	t->cur = a;
}

/* Moves to line start + col characters, or the line's end. */
static void
widget_goto_col(struct widget_text *t, size_t start, int col)
{
	size_t	 end = widget_line_end(t, start);

	t->cur = start;
	while (col-- > 0 && t->cur < end)
		t->cur = widget_next(t, t->cur);
}

int
widget_text_key(struct widget_text *t, int key, int is_keycode)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 n, s;
	int		 col;

	if (t->buf == NULL)
		widget_text_init(t, t->multiline);
	if (is_keycode) {
		switch (key) {
		case KEY_LEFT:
			t->cur = widget_prev(t, t->cur);
			return WT_MOVED;
		case KEY_RIGHT:
			t->cur = widget_next(t, t->cur);
			return WT_MOVED;
		case KEY_HOME:
			t->cur = widget_line_start(t, t->cur);
			return WT_MOVED;
		case KEY_END:
			t->cur = widget_line_end(t, t->cur);
			return WT_MOVED;
		case KEY_UP:
		case KEY_DOWN:
			if (!t->multiline)
				return WT_IGNORED;
			s = widget_line_start(t, t->cur);
			col = widget_chars(t, s, t->cur);
			if (key == KEY_UP) {
				if (s == 0)
					return WT_IGNORED;
				widget_goto_col(t,
				    widget_line_start(t, s - 1), col);
			} else {
				s = widget_line_end(t, t->cur);
				if (s >= t->len)
					return WT_IGNORED;
				widget_goto_col(t, s + 1, col);
			}
			return WT_MOVED;
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_DC:
			if (t->cur >= t->len)
				return WT_MOVED;
			widget_delete(t, t->cur, widget_next(t, t->cur));
			return WT_CHANGED;
		case KEY_ENTER:
			if (!t->multiline)
				return WT_IGNORED;
			widget_insert(t, "\n", 1);
			return WT_CHANGED;
		default:
			return WT_IGNORED;
		}
	}
	if (key == 127 || key == 8) {
backspace:
		if (t->cur == 0)
			return WT_MOVED;
		widget_delete(t, widget_prev(t, t->cur), t->cur);
		return WT_CHANGED;
	}
	if (key == '\r' || key == '\n') {
		if (!t->multiline)
			return WT_IGNORED;
		widget_insert(t, "\n", 1);
		return WT_CHANGED;
	}
	if (key == 1) {				/* ^A */
		t->cur = widget_line_start(t, t->cur);
		return WT_MOVED;
	}
	if (key == 5 && !t->multiline) {	/* ^E; the script uses it */
		t->cur = widget_line_end(t, t->cur);
		return WT_MOVED;
	}
	if (key == 11) {			/* ^K: to the end of the line */
		widget_delete(t, t->cur, widget_line_end(t, t->cur));
		return WT_CHANGED;
	}
	if (key < 32 || key == WIDGET_ESC)
		return WT_IGNORED;
	if (t->digits && !(key >= '0' && key <= '9') && key != '.' &&
	    key != ':' && key != '-')
		return WT_MOVED;
	memset(&ps, 0, sizeof ps);
	if ((n = wcrtomb(mb, (wchar_t)key, &ps)) == (size_t)-1)
		return WT_IGNORED;
	widget_insert(t, mb, n);
	return WT_CHANGED;
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
		s = xstrndup(t->buf + i, j - i);
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

void
widget_text_draw(struct widget_text *t, int y, int x, int w, int h,
    int focus, int mark_line, int mark_col)
{
	enum draw_role	 role = focus ? DR_FIELD_FOCUS : DR_FIELD;
	size_t		 a, b;
	int		 line, col, i, cx, cy;

	if (t->buf == NULL)
		widget_text_init(t, t->multiline);
	if (w < 2 || h < 1)
		return;
	widget_text_pos(t, &line, &col);
	if (!t->multiline)
		h = 1;
	if (line - 1 < t->top)
		t->top = line - 1;
	if (line - 1 >= t->top + h)
		t->top = line - h;
	if (col - 1 < t->left)
		t->left = col - 1;
	if (col - 1 >= t->left + w - 1)
		t->left = col - w + 1;
	for (i = 0; i < h; i++)
		draw_fill(y + i, x, w, role);
	a = 0;
	for (i = 1; i <= t->top && a < t->len; i++) {
		a = widget_line_end(t, a);
		if (a < t->len)
			a++;
	}
	for (i = 0; i < h; i++) {
		if (t->top + i > 0 && a >= t->len && (a == 0 ||
		    t->buf[a - 1] != '\n'))
			break;
		b = widget_line_end(t, a);
		widget_draw_line(t, a, b, t->left, y + i, x, w,
		    t->top + i + 1 == mark_line ? mark_col - t->left : 0,
		    role);
		if (b >= t->len)
			break;
		a = b + 1;
	}
	if (focus) {
		/* Display width of the text before the cursor on its line. */
		size_t s = widget_line_start(t, t->cur), k;
		char *pre;
		int skip = t->left;

		for (k = s; k < t->cur && skip > 0; skip--)
			k = widget_next(t, k);
		pre = xstrndup(t->buf + k, t->cur - k);
		cx = x + draw_width(pre);
		free(pre);
		cy = y + line - 1 - t->top;
		if (cx >= x + w)
			cx = x + w - 1;
		draw_caret(cy, cx);
	}
}

/* ------------------------------------------------------------------ */
/* Picker                                                               */
/* ------------------------------------------------------------------ */

static void
widget_picker_refilter(struct widget_picker *p)
{
	const char	*f = widget_text_str(&p->filter);
	size_t		 i, fl = strlen(f);

	p->nmatch = 0;
	for (i = 0; i < p->nitems; i++)
		if (fl == 0 || ascii_casestr(p->items[i], strlen(p->items[i]),
		    f, fl))
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
		case KEY_ENTER:
			goto enter;
		default:
			break;
		}
	} else if (key == '\r' || key == '\n') {
enter:
		if (p->nmatch == 0)
			return 0;
		*index = (int)p->match[p->sel];
		return 1;
	} else if (key == WIDGET_ESC || key == 7)
		return -1;
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
