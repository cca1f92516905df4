/*
 * Form widgets: the text field and the searchable picker.  A field's
 * keys are the line editor's (lineedit.c), as in every prompt of the UI;
 * this file adds the filter of number fields.  The script has its own
 * editor (textedit.h).
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
widget_text_init(struct widget_text *t)
{
	memset(t, 0, sizeof *t);
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
		widget_text_init(t);
	lineedit_set(&t->le, s);
}

const char *
widget_text_str(const struct widget_text *t)
{
	return lineedit_text(&t->le);
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
		widget_text_init(t);
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

void
widget_text_draw(struct widget_text *t, int y, int x, int w, int focus)
{
	if (t->le.buf == NULL)
		widget_text_init(t);
	if (w < 2)
		return;
	lineedit_draw(&t->le, y, x, w, focus ? DR_FIELD_FOCUS : DR_FIELD,
	    focus);
}

/* ------------------------------------------------------------------ */
/* Picker                                                               */
/* ------------------------------------------------------------------ */

static void
widget_picker_refilter(struct widget_picker *p)
{
	const char	*f = widget_text_str(&p->filter);
	size_t		 i;

	const char	*key;

	p->nmatch = 0;
	for (i = 0; i < p->nitems; i++) {
		key = p->keys != NULL ? p->keys[i] : p->items[i];
		if (p->matchfn != NULL ? p->matchfn(key, f) :
		    draw_casestr(key, f))
			p->match[p->nmatch++] = i;
	}
	if (p->sel >= (int)p->nmatch)
		p->sel = p->nmatch > 0 ? (int)p->nmatch - 1 : 0;
	if (p->sel < 0)
		p->sel = 0;
}

static char **
widget_copy(const char *const *v, size_t n)
{
	char	**c;
	size_t	 i;

	if (v == NULL)
		return NULL;
	c = xcalloc(n + 1, sizeof *c);
	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void
widget_free_all(char **v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
widget_picker_open(struct widget_picker *p, const char *title,
    const char *const *items, size_t nitems, int current)
{
	widget_picker_open_grouped(p, title, items, NULL, NULL, nitems,
	    current, NULL);
}

void
widget_picker_open_grouped(struct widget_picker *p, const char *title,
    const char *const *items, const char *const *keys,
    const char *const *groups, size_t nitems, int current,
    widget_match_fn match)
{
	widget_picker_close(p);
	p->open = 1;
	p->title = xstrdup(title);
	p->match = xcalloc(nitems + 1, sizeof *p->match);
	p->items = widget_copy(items, nitems);
	if (p->items == NULL)
		p->items = xcalloc(1, sizeof *p->items);
	p->keys = widget_copy(keys, nitems);
	p->groups = widget_copy(groups, nitems);
	p->matchfn = match;
	p->nitems = nitems;
	widget_text_init(&p->filter);
	widget_picker_refilter(p);
	p->sel = current >= 0 && (size_t)current < nitems ? current : 0;
	p->top = 0;
}

void
widget_picker_close(struct widget_picker *p)
{
	widget_free_all(p->items, p->nitems);
	widget_free_all(p->keys, p->nitems);
	widget_free_all(p->groups, p->nitems);
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

/* Whether the k-th match starts a group (its heading goes above it). */
static int
widget_picker_heads(const struct widget_picker *p, size_t k)
{
	return p->groups != NULL && (k == 0 ||
	    strcmp(p->groups[p->match[k]], p->groups[p->match[k - 1]]) != 0);
}

/*
 * The rows of the list: matches, with a heading above each group; row
 * r shows match rows[r] >= 0, or the heading of match -1 - rows[r].
 * Returns the number of rows; *selrow is the row of the selection.
 */
static size_t
widget_picker_rows(const struct widget_picker *p, int *rows, int *selrow)
{
	size_t	 k, n = 0;

	*selrow = 0;
	for (k = 0; k < p->nmatch; k++) {
		if (widget_picker_heads(p, k))
			rows[n++] = -1 - (int)k;
		if ((int)k == p->sel)
			*selrow = (int)n;
		rows[n++] = (int)k;
	}
	return n;
}

void
widget_picker_draw(struct widget_picker *p, struct tui_rect body)
{
	struct tui_rect	 r;
	int		 i, w = 20, h, *rows, selrow, ngroups = 0, row;
	int		 indent = p->groups != NULL ? 2 : 0;	/* under headings */
	size_t		 k, nrows;

	for (k = 0; k < p->nitems; k++) {
		if (draw_width(p->items[k]) + indent + 4 > w)
			w = draw_width(p->items[k]) + indent + 4;
		if (p->groups != NULL && (k == 0 ||
		    strcmp(p->groups[k], p->groups[k - 1]) != 0))
			ngroups++;
	}
	if (draw_width(p->title) + 6 > w)
		w = draw_width(p->title) + 6;
	if (p->nmatch == 0 && draw_width(_("(nothing matches)")) + 4 > w)
		w = draw_width(_("(nothing matches)")) + 4;
	if (w > body.w - 4)
		w = body.w - 4;
	h = (int)p->nitems + ngroups + 4;
	if (h > body.h)
		h = body.h;
	if (h < 5)
		h = 5;
	r.w = w;
	r.h = h;
	r.y = body.y + (body.h - h) / 2;
	r.x = body.x + (body.w - w) / 2;
	draw_box(r, p->title, 1);
	rows = xcalloc(2 * p->nmatch + 1, sizeof *rows);
	nrows = widget_picker_rows(p, rows, &selrow);
	/* The selection in view, and its group's heading when it is the
	 * group's first. */
	if (selrow > 0 && rows[selrow - 1] < 0 && selrow - 1 < p->top)
		p->top = selrow - 1;
	if (selrow < p->top)
		p->top = selrow;
	if (selrow >= p->top + h - 4)
		p->top = selrow - (h - 5);
	if (p->top > 0 && (size_t)p->top + (size_t)(h - 4) > nrows)
		p->top = nrows > (size_t)(h - 4) ? (int)nrows - (h - 4) : 0;
	for (i = 0; i < h - 4 && (size_t)(p->top + i) < nrows; i++) {
		row = rows[p->top + i];
		if (row < 0)
			draw_text_pad(r.y + 1 + i, r.x + 1, r.w - 2,
			    p->groups[p->match[-1 - row]], DR_HEADER);
		else
			draw_text_pad(r.y + 1 + i, r.x + 1 + indent,
			    r.w - 2 - indent, p->items[p->match[row]],
			    row == p->sel ? DR_CURSOR : DR_NORMAL);
	}
	free(rows);
	if (p->nmatch == 0)
		draw_text(r.y + 1, r.x + 2, r.w - 4, _("(nothing matches)"),
		    DR_DISABLED);
	draw_text(r.y + h - 2, r.x + 1, 8, _("Search:"), DR_HEADER);
	widget_text_draw(&p->filter, r.y + h - 2, r.x + 9, r.w - 10, 1);
}
