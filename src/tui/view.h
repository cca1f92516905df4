/*
 * The screens of the UI (view_*.c): each file defines its view_ops (the
 * protocol is in tui.h) and a constructor.  Screens open each other
 * through this header; the main loop (app.c) opens the first.
 */
#ifndef RESEG_TUI_VIEW_H
#define RESEG_TUI_VIEW_H

#include "tui.h"

/* The views of this UI; each file defines its ops and a constructor. */
extern const struct view_ops view_list_ops;
extern const struct view_ops view_page_ops;

/* The segment page of segment `name`; focus on its history when chart. */
struct view *view_page_new(struct tui *, const char *name, int chart);

/* One profile of database db: its fields, events and segments. */
struct view *view_profile_new(struct tui *, const char *db, const char *key);

/*
 * The segment form (view_form.c): create (name NULL) or edit a segment;
 * part selects where the cursor starts.
 */
enum view_form_part {
	VIEW_FORM_ALL,
	VIEW_FORM_CONDITIONS,
	VIEW_FORM_SCHEDULE
};
struct view *view_form_new(struct tui *, const char *name,
	    enum view_form_part);

#endif
