/*
 * The UI's shared services (tui.h): dirty bits, the status line, the
 * stack of views and the events sent to them, and the read transaction
 * the views load their snapshots in.  Everything here runs on the main
 * thread, from the loop's handlers; nothing draws (tui_draw.c paints
 * the frame once per pass).
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "store.h"
#include "timeutil.h"
#include "tui.h"
#include "tui_int.h"
#include "tui_loop.h"
#include "util.h"

#define TUI_STATUS_MS	4000	/* how long a status message stays */

int64_t
tui_now_ms(void)
{
	return tu_mono_ms();
}

void
tui_dirty(struct tui *tui, int bits)
{
	tui->dirty |= bits;
}

static void
tui_vstatus(struct tui *tui, int error, const char *fmt, va_list ap)
{
	char *raw = xvasprintf(fmt, ap);

	/* As the CLI's messages: quoted input cannot drive the terminal. */
	free(tui->status);
	tui->status = util_escape_controls(raw);
	free(raw);
	tui->status_error = error;
	tui->status_until_ms = tui_now_ms() + TUI_STATUS_MS * (error ? 2 : 1);
	tui_dirty(tui, TUI_DIRTY_STATUS);
}

void
tui_status(struct tui *tui, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tui_vstatus(tui, 0, fmt, ap);
	va_end(ap);
}

void
tui_status_error(struct tui *tui, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tui_vstatus(tui, 1, fmt, ap);
	va_end(ap);
}

void
tui_error(struct tui *tui, char *cause)
{
	tui_status_error(tui, "%s", cause != NULL ? cause :
	    _("Something went wrong."));
	free(cause);
}

void
tui_status_clear(struct tui *tui)
{
	if (tui->status == NULL)
		return;
	free(tui->status);
	tui->status = NULL;
	tui->status_error = 0;
	tui_dirty(tui, TUI_DIRTY_STATUS);
}

void
tui_status_clear_error(struct tui *tui)
{
	if (tui->status == NULL || !tui->status_error)
		return;
	free(tui->status);
	tui->status = NULL;
	tui->status_error = 0;
	tui_dirty(tui, TUI_DIRTY_STATUS);
}

struct store_txn *
tui_read_begin(struct tui *tui)
{
	struct store_txn *txn;
	char		*cause = NULL;

	if (store_read_begin(tui->store, &txn, &cause) != 0) {
		tui_error(tui, cause);
		return NULL;
	}
	return txn;
}

int
tui_read_end(struct tui *tui, struct store_txn *txn, int rc, char *cause)
{
	store_read_end(txn);
	if (rc != 0)
		tui_error(tui, cause);
	else
		free(cause);
	return rc;
}

struct view *
view_new(struct tui *tui, const struct view_ops *ops, void *data)
{
	struct view	*v;

	v = xcalloc(1, sizeof *v);
	v->ops = ops;
	v->tui = tui;
	v->data = data;
	v->dirty = 1;
	return v;
}

struct tui_rect
tui_body_rect(const struct tui *tui)
{
	struct tui_rect	 r;

	r.y = 1;
	r.x = 0;
	r.h = tui->rows - 3;
	r.w = tui->cols;
	if (r.h < 0)
		r.h = 0;
	return r;
}

struct view *
tui_top_view(struct tui *tui)
{
	return tui->nviews > 0 ? tui->views[tui->nviews - 1] : NULL;
}

static void
tui_view_free(struct view *v)
{
	if (v->ops->close != NULL)
		v->ops->close(v);
	free(v);
}

int
tui_push_view(struct tui *tui, struct view *v)
{
	char	*cause = NULL;

	if (tui->nviews == TUI_MAX_VIEWS) {
		tui_status_error(tui, "%s", _("Too many screens are open."));
		tui_view_free(v);
		return -1;
	}
	if (v->ops->open != NULL && v->ops->open(v, &cause) != 0) {
		tui_error(tui, cause);
		tui_view_free(v);
		return -1;
	}
	tui->views[tui->nviews++] = v;
	if (v->ops->resize != NULL)
		v->ops->resize(v, tui_body_rect(tui));
	tui->help = 0;
	tui_dirty(tui, TUI_DIRTY_ALL);
	return 0;
}

void
tui_pop_view(struct tui *tui)
{
	struct view	*v;

	if (tui->nviews == 0)
		return;
	v = tui->views[--tui->nviews];
	tui_view_free(v);
	/* What the closed view changed is shown by the one below. */
	tui_store_changed(tui);
	tui_dirty(tui, TUI_DIRTY_ALL);
}

void
tui_broadcast(struct tui *tui, const struct tui_event *ev)
{
	int	 i;

	if (ev->type == TUI_EV_STORE_CHANGED)
		tui_schedule_changed(tui);
	for (i = tui->nviews - 1; i >= 0; i--) {
		struct view *v = tui->views[i];

		if (v->ops->notify != NULL)
			v->ops->notify(v, ev);
	}
	tui_dirty(tui, TUI_DIRTY_VIEW);
}

void
tui_store_changed(struct tui *tui)
{
	struct tui_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = TUI_EV_STORE_CHANGED;
	tui_broadcast(tui, &ev);
}

void
tui_state_free(struct tui *tui)
{
	tui_modal_cancel(tui);
	while (tui->nviews > 0)
		tui_view_free(tui->views[--tui->nviews]);
	tui_modal_free(tui->modal);
	tui->modal = NULL;
	free(tui->status);
	tui->status = NULL;
	free(tui->focus);
	tui->focus = NULL;
	free(tui->run.segment);
	tui->run.segment = NULL;
	free(tui->settings.chart);
	tui->settings.chart = NULL;
	free(tui->settings.script);
	tui->settings.script = NULL;
	tui_zone_free(tui);
	for (size_t i = 0; i < tui->nsession; i++) {
		free(tui->session[i].name);
		free(tui->session[i].value);
	}
	free(tui->session);
	tui->session = NULL;
	tui->nsession = 0;
}

const char *
tui_session_get(const struct tui *tui, const char *name)
{
	size_t	 i;

	for (i = 0; i < tui->nsession; i++)
		if (strcmp(tui->session[i].name, name) == 0)
			return tui->session[i].value;
	return NULL;
}

void
tui_session_set(struct tui *tui, const char *name, const char *value)
{
	size_t	 i;

	for (i = 0; i < tui->nsession; i++)
		if (strcmp(tui->session[i].name, name) == 0)
			break;
	if (i == tui->nsession) {
		tui->session = xreallocarray(tui->session, tui->nsession + 1,
		    sizeof *tui->session);
		tui->session[i].name = xstrdup(name);
		tui->session[i].value = NULL;
		tui->nsession++;
	}
	free(tui->session[i].value);
	tui->session[i].value = xstrdup(value);
}

int
tui_find_around(int n, int cur, int forward, int skip,
    int (*match)(void *arg, int i), void *arg)
{
	int	 k, i;

	for (k = skip ? 1 : 0; k < n + (skip ? 1 : 0); k++) {
		i = ((forward ? cur + k : cur - k) % n + n) % n;
		if (match(arg, i))
			return i;
	}
	return -1;
}
