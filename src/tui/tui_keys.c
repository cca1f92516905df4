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
			tui_quit(tui);
		break;
	case ACT_BACK:
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
