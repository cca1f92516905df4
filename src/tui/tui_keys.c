/*
 * Key dispatch: a key goes to the open modal, else to the help overlay,
 * else to the top view with the action it is bound to (actions.def);
 * what the view leaves is a global action (help, back, quit, redraw).
 */
#include "config.h"

#include <wchar.h>

#include <curses.h>

#include "keys.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_loop.h"

static void
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
			tui->quit = 1;
		break;
	case ACT_BACK:
		if (tui->nviews > 1)
			tui_pop_view(tui);
		break;
	case ACT_QUIT_ALL:
		tui->quit = 1;
		break;
	case ACT_SEG_CANCEL:
		/* ^C: stop the run first; else get out, as Esc or q would. */
		if (tui->run.active)
			tui_recalc_cancel(tui);
		else if (tui->nviews > 1)
			tui_pop_view(tui);
		else
			tui->quit = 1;
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		tui_dirty(tui, TUI_DIRTY_ALL);
		break;
	default:
		break;
	}
}

void
tui_key(struct tui *tui, wint_t ch, int keycode)
{
	struct view	*v = tui_top_view(tui);
	enum action	 act = ACT_NONE;
	int		 r = VIEW_IGNORED;

	if (keycode && ch == KEY_RESIZE) {
		tui_resize(tui);
		return;
	}
	if (tui->modal != NULL) {
		/* ^C answers a question or a prompt as Esc does. */
		tui_modal_key(tui, TUI_IS_CHAR(ch, keycode, TUI_KEY_CANCEL) ?
		    TUI_KEY_ESC : ch, keycode);
		return;
	}
	if (keycode || ch < KEY_MIN)
		act = actions_lookup((int)ch, v != NULL ? v->ops->actions :
		    NULL);
	if (tui->help) {
		if (help_key(tui, act, (int)ch))
			tui_dirty(tui, TUI_DIRTY_ALL);
		return;
	}
	if (v != NULL && v->ops->key != NULL)
		r = v->ops->key(v, act, (int)ch, keycode);
	if (r == VIEW_IGNORED) {
		tui_global_action(tui, act);
		return;
	}
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
