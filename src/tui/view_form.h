/*
 * The segment form (README, "The terminal UI").  view.h declares its
 * constructor, view_form_new(tui, name or NULL, part), which the
 * segments list and the segment page call; this header names the view's
 * operations.
 */
#ifndef RESEG_TUI_VIEW_FORM_H
#define RESEG_TUI_VIEW_FORM_H

#include "view.h"

extern const struct view_ops view_form_ops;

#endif
