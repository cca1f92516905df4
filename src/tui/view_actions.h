/*
 * Segment actions shared by the segments list and the segment page:
 * each asks what it needs (a name, a target, a file) through the modal
 * helpers and calls the engine.
 */
#ifndef RESEG_TUI_VIEW_ACTIONS_H
#define RESEG_TUI_VIEW_ACTIONS_H

#include "segment.h"
#include "tui.h"

/* Opens the segment form for a new segment (or says it is missing). */
void	 view_actions_create(struct tui *);
/*
 * Deletes the segment after asking, naming its users (and then
 * detaching it from them); pop closes the top view (the segment's page)
 * once it is deleted.
 */
void	 view_actions_delete(struct tui *, const struct segment *, int pop);
/*
 * Adds or removes (act) profiles of a static segment by key, asked for
 * with proposal (the selected profile's key, or NULL) proposed.
 */
void	 view_actions_fill(struct tui *, enum action, const struct segment *,
	    const char *proposal);
/* Runs a segment action; 0 when act is not one of them. */
int	 view_actions_run(struct tui *, enum action, const struct segment *);
/* Whether the action is available for s now; *why (N_) when not. */
int	 view_actions_enabled(struct tui *, enum action,
	    const struct segment *, const char **why);

#endif
