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

#endif
