/*
 * Key dispatch: a key goes to the open modal, else to the help overlay,
 * else to the top view with the action it is bound to (actions.def);
 * what the view leaves is a global action (help, back, quit, redraw).
 */
#include "config.h"

#include <stdlib.h>
#include <wchar.h>

#include <curses.h>

#include "i18n.h"
#include "keys.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_loop.h"
#include "util.h"

static void
tui_quit_answer(struct tui *tui, void *arg, int yes)
{
	if (yes)
		tui->quit = 1;
	else {
		free(tui->quit_note);
		tui->quit_note = NULL;
	}
}

/*
 * Every way of quitting the UI from the keyboard (F10, q and ^C on the
 * list) comes here: it asks first when quitting would lose something
 * (a form's unsaved changes, a recalculation or an automatic run in
 * progress), and says that automatic runs stop when this window holds
 * the store's scheduler.
 */
static void
tui_quit(struct tui *tui)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct view	*v;
	int		 i, form = 0;

	for (i = 0; i < tui->nviews; i++) {
		v = tui->views[i];
		if (v->ops->unsaved != NULL && v->ops->unsaved(v))
			form = 1;
	}
	if (form)
		sb_puts(&sb, _("The changes in the segment form are not saved "
		    "and will be lost."));
	if (tui->run.active) {
		if (sb.len > 0)
			sb_putc(&sb, ' ');
		sb_printf(&sb, _("The recalculation of '%s' will be "
		    "cancelled."), tui->run.segment);
	}
	if (!tui_sched_idle(tui)) {
		if (sb.len > 0)
			sb_putc(&sb, ' ');
		sb_puts(&sb, _("The automatic run in progress will be "
		    "cancelled (logged as Error)."));
	}
	if (tui->sched_state == TUI_SCHED_OURS) {
		free(tui->quit_note);
		tui->quit_note = tui_sched_quit_note(tui);
	}
	if (sb.len == 0) {
		tui->quit = 1;
		return;
	}
	if (tui->quit_note != NULL)
		sb_printf(&sb, " %s", tui->quit_note);
	tui_confirm(tui, tui_quit_answer, NULL, _("Quit reseg? %s"), sb.buf);
	sb_free(&sb);
}

/* Returns whether the action is one every screen defines. */
static int
tui_global_action(struct tui *tui, enum action act)
{
	switch (act) {
	case ACT_HELP:
		tui->help = 1;
		tui->help_top = 0;
		tui_dirty(tui, TUI_DIRTY_ALL);
		break;
	case ACT_QUIT:
		if (tui->nviews > 1)
			tui_pop_view(tui);
		else
			tui_quit(tui);
		break;
	case ACT_BACK:
		/* On the first screen there is nothing to go back to. */
		if (tui->nviews > 1)
			tui_pop_view(tui);
		break;
	case ACT_QUIT_ALL:
		tui_quit(tui);
		break;
	case ACT_SEG_CANCEL:
		/* ^C: stop the run first; else get out, as Esc or q would. */
		if (tui->run.active)
			tui_recalc_cancel(tui);
		else if (tui->nviews > 1)
			tui_pop_view(tui);
		else
			tui_quit(tui);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		tui_dirty(tui, TUI_DIRTY_ALL);
		break;
	case ACT_TIME_ZONE:
		tui_zone_cycle(tui);
		break;
	default:
		return 0;
	}
	return 1;
}

const enum action *
tui_view_actions(struct view *v, enum action *out, size_t max)
{
	const enum action	*p;
	size_t			 n = 0;

	if (v == NULL || v->ops->actions == NULL)
		return NULL;
	if (v->ops->offers == NULL)
		return v->ops->actions;
	for (p = v->ops->actions; *p != ACT_NONE && n + 1 < max; p++)
		if (v->ops->offers(v, *p))
			out[n++] = *p;
	out[n] = ACT_NONE;
	return out;
}

/* What a view's key() or click() returned. */
static void
tui_view_result(struct tui *tui, struct view *v, int r)
{
	if (r & VIEW_RELAYOUT)
		tui_resize(tui);
	if (r & VIEW_REDRAW)
		tui_dirty(tui, TUI_DIRTY_VIEW);
	if ((r & VIEW_CLOSE) && tui_top_view(tui) == v) {
		if (tui->nviews > 1)
			tui_pop_view(tui);
		else
			tui->quit = 1;
	}
}

/*
 * A mouse event, as getmouse() reports it: the wheel is Up or Down
 * TUI_WHEEL_LINES times over whatever has the keys (a list, a modal,
 * the help); a click goes to the modal or the top view, which selects
 * the row or tab under it (a double click also opens it, as Enter).
 */
static void
tui_mouse(struct tui *tui)
{
	MEVENT		 ev;
	struct view	*v = tui_top_view(tui);
	int		 i, dbl, key = 0;

	tui->key_done = 0;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		key = KEY_UP;
	else if (ev.bstate & BUTTON5_PRESSED)
		key = KEY_DOWN;
	if (key != 0) {
		for (i = 0; i < TUI_WHEEL_LINES; i++)
			tui_key(tui, (wint_t)key, 1);
		return;
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)))
		return;
	dbl = (ev.bstate & BUTTON1_DOUBLE_CLICKED) != 0;
	if (tui->modal != NULL) {
		tui->key_done = tui_modal_click(tui, ev.y, ev.x, dbl);
		return;
	}
	if (tui->help) {
		/* A click closes the help, as any key but a scroll does. */
		tui->help = 0;
		tui_dirty(tui, TUI_DIRTY_ALL);
		tui->key_done = 1;
		return;
	}
	if (v == NULL || v->ops->click == NULL)
		return;
	i = v->ops->click(v, ev.y, ev.x, dbl);
	tui->key_done = i != VIEW_IGNORED;
	tui_view_result(tui, v, i);
}

void
tui_key(struct tui *tui, wint_t ch, int keycode)
{
	struct view	*v = tui_top_view(tui);
	enum action	 act = ACT_NONE, offered[ACT_COUNT + 1];
	int		 r = VIEW_IGNORED;

	if (keycode && ch == KEY_RESIZE) {
		tui_resize(tui);
		return;
	}
	if (keycode && ch == KEY_MOUSE) {
		tui_mouse(tui);
		return;
	}
	tui->key_done = 1;
	if (tui->modal != NULL) {
		/* ^C answers a question or a prompt as Esc does. */
		tui_modal_key(tui, TUI_IS_CHAR(ch, keycode, TUI_KEY_CANCEL) ?
		    TUI_KEY_ESC : ch, keycode);
		return;
	}
	if (tui->help) {
		if (keycode || ch < KEY_MIN)
			act = actions_lookup((int)ch, help_actions);
		if (help_key(tui, act, (int)ch))
			tui_dirty(tui, TUI_DIRTY_ALL);
		return;
	}
	if (keycode || ch < KEY_MIN)
		act = actions_lookup((int)ch, tui_view_actions(v, offered,
		    sizeof offered / sizeof offered[0]));
	if (v != NULL && v->ops->key != NULL)
		r = v->ops->key(v, act, (int)ch, keycode);
	if (r == VIEW_IGNORED) {
		tui->key_done = tui_global_action(tui, act);
		return;
	}
	tui_view_result(tui, v, r);
}
