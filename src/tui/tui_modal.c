/*
 * The modal helpers (tui.h): a yes/no question, a one-line prompt and a
 * list to choose from.  They are overlays, not nested loops: the loop
 * sends them the keys while one is open, draws them over the screen,
 * and calls the asker back when the user answers.  The prompt edits its
 * answer with the UI's line editor (lineedit.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "draw.h"
#include "i18n.h"
#include "keys.h"
#include "lineedit.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_loop.h"
#include "util.h"

#define TUI_PROMPT_MAX	1023	/* characters of a prompt's answer */

enum tui_modal_type {
	TUI_MODAL_CONFIRM,
	TUI_MODAL_PROMPT,
	TUI_MODAL_CHOOSE
};

struct tui_modal {
	enum tui_modal_type type;
	char		*text;		/* question, label or title */
	char		*error;		/* prompt: why it asks again */
	void		*arg;
	tui_confirm_fn	 confirm;
	tui_prompt_fn	 changed;
	tui_prompt_fn	 done;
	tui_choose_fn	 choose;
	struct lineedit	 edit;		/* prompt: the answer */
	char		**items;
	size_t		 nitems;
	size_t		*shown;		/* choose: items matching the filter */
	size_t		 nshown;
	int		 filtering;	/* choose: typing into the filter */
	struct lineedit	 filter;	/* choose: / narrows the list */
	int		 sel, top;	/* choose: index into shown */
	struct tui_rect	 rect;		/* choose: where the list was drawn */
};

void
tui_modal_free(struct tui_modal *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nitems; i++)
		free(m->items[i]);
	free(m->items);
	free(m->shown);
	lineedit_free(&m->filter);
	free(m->text);
	free(m->error);
	lineedit_free(&m->edit);
	free(m);
}

static struct tui_modal *
tui_modal_new(struct tui *tui, enum tui_modal_type type, void *arg)
{
	struct tui_modal *m;

	/* A new question replaces an unanswered one (its callback is not
	 * called: nothing was decided). */
	tui_modal_free(tui->modal);
	m = xcalloc(1, sizeof *m);
	m->type = type;
	m->arg = arg;
	tui->modal = m;
	/*
	 * Repainted in full, as ^L would: a question must never stay
	 * hidden behind what the terminal shows from before.
	 */
	clearok(curscr, TRUE);
	tui_dirty(tui, TUI_DIRTY_ALL);
	return m;
}

void
tui_confirm(struct tui *tui, tui_confirm_fn fn, void *arg, const char *fmt,
    ...)
{
	struct tui_modal *m;
	va_list		 ap;

	m = tui_modal_new(tui, TUI_MODAL_CONFIRM, arg);
	m->confirm = fn;
	va_start(ap, fmt);
	m->text = xvasprintf(fmt, ap);
	va_end(ap);
}

void
tui_prompt_live(struct tui *tui, const char *label, const char *initial,
    tui_prompt_fn changed, tui_prompt_fn done, void *arg)
{
	struct tui_modal *m;

	m = tui_modal_new(tui, TUI_MODAL_PROMPT, arg);
	m->text = xstrdup(label);
	m->changed = changed;
	m->done = done;
	lineedit_init(&m->edit, TUI_PROMPT_MAX);
	/* A default is proposed: typing replaces it, a move edits it. */
	lineedit_propose(&m->edit, initial);
}

void
tui_prompt(struct tui *tui, const char *label, const char *initial,
    tui_prompt_fn fn, void *arg)
{
	tui_prompt_live(tui, label, initial, NULL, fn, arg);
}

void
tui_prompt_again(struct tui *tui, const char *label, const char *initial,
    tui_prompt_fn fn, void *arg, char *cause)
{
	tui_prompt_live(tui, label, initial, NULL, fn, arg);
	/* What was typed is kept to be corrected, not replaced. */
	tui->modal->edit.fresh = 0;
	tui->modal->error = cause != NULL ? cause :
	    xstrdup(_("Something went wrong."));
}

void
tui_choose(struct tui *tui, const char *title, const char *const *items,
    size_t nitems, int current, tui_choose_fn fn, void *arg)
{
	struct tui_modal *m;
	size_t		 i;

	m = tui_modal_new(tui, TUI_MODAL_CHOOSE, arg);
	m->text = xstrdup(title);
	m->choose = fn;
	m->items = xcalloc(nitems > 0 ? nitems : 1, sizeof *m->items);
	for (i = 0; i < nitems; i++)
		m->items[i] = xstrdup(items[i]);
	m->nitems = nitems;
	m->shown = xcalloc(nitems + 1, sizeof *m->shown);
	for (i = 0; i < nitems; i++)
		m->shown[i] = i;
	m->nshown = nitems;
	lineedit_init(&m->filter, TUI_PROMPT_MAX);
	m->sel = current >= 0 && (size_t)current < nitems ? current : 0;
}

/* The items showing the filter (ignoring case); the selection stays on
 * its item when it still shows. */
static void
tui_choose_refilter(struct tui_modal *m)
{
	const char	*f = lineedit_text(&m->filter);
	size_t		 i, was = m->nshown > 0 ? m->shown[m->sel] : 0;

	m->nshown = 0;
	m->sel = 0;
	for (i = 0; i < m->nitems; i++)
		if (draw_casestr(m->items[i], f)) {
			if (i == was)
				m->sel = (int)m->nshown;
			m->shown[m->nshown++] = i;
		}
	m->top = 0;
}

/* Closes the modal before calling back, so the callback may open another. */
static void
tui_modal_answer(struct tui *tui, int yes, int index, int cancel)
{
	struct tui_modal *m = tui->modal;
	char		*text = NULL;

	tui->modal = NULL;
	tui_dirty(tui, TUI_DIRTY_ALL);
	switch (m->type) {
	case TUI_MODAL_CONFIRM:
		if (m->confirm != NULL)
			m->confirm(tui, m->arg, yes);
		break;
	case TUI_MODAL_PROMPT:
		if (!cancel)
			text = xstrdup(lineedit_text(&m->edit));
		if (m->done != NULL)
			m->done(tui, m->arg, text);
		free(text);
		break;
	case TUI_MODAL_CHOOSE:
		if (m->choose != NULL)
			m->choose(tui, m->arg, cancel ? -1 : index);
		break;
	}
	tui_modal_free(m);
}

void
tui_modal_cancel(struct tui *tui)
{
	int	 n;

	/* A callback may ask something else; a few rounds at most. */
	for (n = 0; tui->modal != NULL && n < 8; n++)
		tui_modal_answer(tui, 0, -1, 1);
	tui_modal_free(tui->modal);
	tui->modal = NULL;
}

static void
tui_prompt_key(struct tui *tui, struct tui_modal *m, wint_t ch, int keycode)
{
	char	*text;

	if (TUI_IS_ENTER((int)ch, keycode)) {
		tui_modal_answer(tui, 1, 0, 0);
		return;
	}
	if (TUI_IS_CHAR(ch, keycode, TUI_KEY_ESC) ||
	    TUI_IS_CHAR(ch, keycode, TUI_KEY_ABORT)) {
		tui_modal_answer(tui, 0, 0, 1);
		return;
	}
	switch (lineedit_key(&m->edit, (int)ch, keycode)) {
	case LE_REFUSED:
		beep();		/* full: the key is refused audibly */
		break;
	case LE_CHANGED:
		if (m->changed != NULL) {
			/* A copy: the callback may replace this modal. */
			text = xstrdup(lineedit_text(&m->edit));
			m->changed(tui, m->arg, text);
			free(text);
		}
		break;
	default:
		break;
	}
	tui_dirty(tui, TUI_DIRTY_ALL);
}

static const enum action tui_modal_actions[] = {
	ACT_UP, ACT_DOWN, ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_HOME, ACT_END,
	ACT_ENTER, ACT_FILTER, ACT_FIND_NEXT, ACT_FIND_PREV, ACT_NONE
};

/*
 * Typing into a list's filter: the list narrows as it changes; Enter
 * keeps it and gives the keys back to the list, Esc (or ^G) drops it;
 * Up and Down still move.
 */
static void
tui_choose_filter_key(struct tui *tui, struct tui_modal *m, wint_t ch,
    int keycode)
{
	if (TUI_IS_ENTER((int)ch, keycode)) {
		m->filtering = 0;
	} else if (TUI_IS_CHAR(ch, keycode, TUI_KEY_ESC) ||
	    TUI_IS_CHAR(ch, keycode, TUI_KEY_ABORT)) {
		m->filtering = 0;
		lineedit_set(&m->filter, "");
		tui_choose_refilter(m);
	} else if (keycode && ch == KEY_UP) {
		if (m->sel > 0)
			m->sel--;
	} else if (keycode && ch == KEY_DOWN) {
		if ((size_t)m->sel + 1 < m->nshown)
			m->sel++;
	} else if (lineedit_key(&m->filter, (int)ch, keycode) == LE_CHANGED)
		tui_choose_refilter(m);
	tui_dirty(tui, TUI_DIRTY_ALL);
}

void
tui_modal_key(struct tui *tui, wint_t ch, int keycode)
{
	struct tui_modal *m = tui->modal;
	enum action	 act;

	if (m->type == TUI_MODAL_PROMPT) {
		tui_prompt_key(tui, m, ch, keycode);
		return;
	}
	if (m->type == TUI_MODAL_CHOOSE && m->filtering) {
		tui_choose_filter_key(tui, m, ch, keycode);
		return;
	}
	act = keycode || ch < KEY_MIN ?
	    actions_lookup((int)ch, tui_modal_actions) : ACT_NONE;
	if (m->type == TUI_MODAL_CONFIRM) {
		if (TUI_IS_CHAR(towlower(ch), keycode, TUI_KEY_YES) ||
		    act == ACT_ENTER)
			tui_modal_answer(tui, 1, 0, 0);
		else if (TUI_IS_CHAR(towlower(ch), keycode, TUI_KEY_NO) ||
		    act == ACT_BACK || act == ACT_QUIT)
			tui_modal_answer(tui, 0, 0, 1);
		return;
	}
	switch (act) {
	case ACT_UP:
		if (m->sel > 0)
			m->sel--;
		break;
	case ACT_DOWN:
		if ((size_t)m->sel + 1 < m->nshown)
			m->sel++;
		break;
	case ACT_PAGE_UP:
		m->sel = m->sel > 10 ? m->sel - 10 : 0;
		break;
	case ACT_PAGE_DOWN:
		m->sel += 10;
		if ((size_t)m->sel >= m->nshown)
			m->sel = m->nshown > 0 ? (int)m->nshown - 1 : 0;
		break;
	case ACT_HOME:
		m->sel = 0;
		break;
	case ACT_END:
		m->sel = m->nshown > 0 ? (int)m->nshown - 1 : 0;
		break;
	case ACT_ENTER:
		if (m->nshown == 0)
			return;
		tui_modal_answer(tui, 1, (int)m->shown[m->sel], 0);
		return;
	case ACT_FILTER:
		m->filtering = 1;
		break;
	case ACT_FIND_NEXT:
	case ACT_FIND_PREV:
		/* Every row shown matches the filter: the next one, around. */
		if (m->nshown > 0)
			m->sel = (int)(((size_t)m->sel + (act == ACT_FIND_NEXT ?
			    1 : m->nshown - 1)) % m->nshown);
		break;
	case ACT_BACK:
		/* Esc drops a filter first, as on the segments list. */
		if (*lineedit_text(&m->filter) != '\0') {
			lineedit_set(&m->filter, "");
			tui_choose_refilter(m);
			break;
		}
		tui_modal_answer(tui, 0, 0, 1);
		return;
	case ACT_QUIT:
		tui_modal_answer(tui, 0, 0, 1);
		return;
	default:
		return;
	}
	tui_dirty(tui, TUI_DIRTY_ALL);
}

int
tui_modal_click(struct tui *tui, int y, int x, int dbl)
{
	struct tui_modal *m = tui->modal;
	struct tui_rect	 r = m->rect;
	int		 i;

	if (m->type != TUI_MODAL_CHOOSE || y <= r.y || y >= r.y + r.h - 1 ||
	    x <= r.x || x >= r.x + r.w - 1)
		return 0;
	i = m->top + (y - r.y - 1);
	if (i >= (int)m->nshown)
		return 0;
	m->sel = i;
	tui_dirty(tui, TUI_DIRTY_ALL);
	if (dbl)
		tui_modal_answer(tui, 1, (int)m->shown[i], 0);
	return 1;
}

void
tui_modal_draw(struct tui *tui)
{
	struct tui_modal *m = tui->modal;
	struct tui_rect	 r;
	int		 i, w, y, pre, h, filter;
	size_t		 k;

	if (m->type == TUI_MODAL_PROMPT) {
		y = tui->rows - 2;
		/* Why the answer was refused, above the prompt asking again. */
		if (m->error != NULL)
			draw_text_pad(y - 1, 0, tui->cols, m->error, DR_ERROR);
		draw_fill(y, 0, tui->cols, DR_STATUS);
		pre = draw_text(y, 0, tui->cols / 2, m->text, DR_HEADER);
		pre += draw_text(y, pre, 1, " ", DR_NORMAL);
		lineedit_draw(&m->edit, y, pre, tui->cols - pre, DR_FIELD_FOCUS,
		    1);
		return;
	}
	if (m->type == TUI_MODAL_CONFIRM) {
		w = draw_width(m->text) + 6;
		if (w < 30)
			w = 30;
		if (w > tui->cols - 2)
			w = tui->cols - 2;
		/* A long question (what a bulk edit sets) is wrapped. */
		h = draw_wrapped_rows(w - 4, 0, m->text);
		if (h > tui->rows - 8)
			h = tui->rows - 8;
		if (h < 1)
			h = 1;
		r.w = w;
		r.h = h + 4;
		r.y = (tui->rows - r.h) / 2;
		r.x = (tui->cols - r.w) / 2;
		draw_box(r, _("Confirm"), 1);
		draw_wrapped(r.y + 1, r.x + 2, r.w - 4, r.y + 1 + h, 0, m->text,
		    DR_NORMAL);
		draw_text(r.y + h + 2, r.x + 2, r.w - 4,
		    _("Enter/y: yes   Esc/n: no"), DR_KEY);
		return;
	}
	w = draw_width(m->text) + 6;
	for (k = 0; k < m->nitems; k++)
		if (draw_width(m->items[k]) + 6 > w)
			w = draw_width(m->items[k]) + 6;
	if (w > tui->cols - 4)
		w = tui->cols - 4;
	filter = m->filtering || *lineedit_text(&m->filter) != '\0';
	h = (int)m->nitems + 2 + filter;
	if (h > tui->rows - 4)
		h = tui->rows - 4;
	if (h < 3 + filter)
		h = 3 + filter;
	r.w = w;
	r.h = h;
	r.y = (tui->rows - h) / 2;
	r.x = (tui->cols - w) / 2;
	m->rect = r;
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + h - 2 - filter)
		m->top = m->sel - (h - 3 - filter);
	draw_box(r, m->text, 1);
	for (i = 0; i < h - 2 - filter && (size_t)(m->top + i) < m->nshown;
	    i++)
		draw_text_pad(r.y + 1 + i, r.x + 1, r.w - 2,
		    m->items[m->shown[m->top + i]], m->top + i == m->sel ?
		    DR_CURSOR : DR_NORMAL);
	if (m->nshown == 0)
		draw_text(r.y + 1, r.x + 2, r.w - 4, _("(nothing matches)"),
		    DR_DISABLED);
	if (filter) {
		pre = draw_text(r.y + h - 2, r.x + 1, r.w - 2, "/", DR_HEADER);
		lineedit_draw(&m->filter, r.y + h - 2, r.x + 1 + pre,
		    r.w - 2 - pre, DR_FIELD_FOCUS, m->filtering);
	}
}
