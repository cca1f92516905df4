/* Example segments on the demo database, created by `reseg demo`. */
#ifndef RESEG_DEMO_SEGMENTS_H
#define RESEG_DEMO_SEGMENTS_H

#include "store.h"
#include "util.h"

/*
 * Creates the example segments on database "demo" (scheduled and static,
 * one with range and limit, one using "in segment", four on the events)
 * and runs each once, so members, log rows and history are there at once.
 * When sb is not NULL a line per segment ("NAME: N profiles") is appended
 * for the caller to show.
 */
int	 demo_segments(struct store *, struct strbuf *sb, char **cause);

/*
 * Returned by demo_check_replace when replacing the demo would lose what
 * it did not make; front ends add their remedy (the CLI's --force).
 */
#define DEMO_IN_USE	(-2)

/*
 * 0 when database "demo" is absent or replacing it would delete only
 * what the demo made: its example segments, used by no object.  Else
 * DEMO_IN_USE with "database 'demo' is used by what the demo did not
 * create: segment 'Mine', mailing 'Bye'" (segments the caller cannot see
 * are counted, not named), or -1 on a store error.
 */
int	 demo_check_replace(struct store *, char **cause);

#endif
