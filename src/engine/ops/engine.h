/*
 * Process set-up and tear-down, the same for the command line, the
 * terminal UI and the daemon, so that none of them can skip a step:
 *
 *   engine_init()   once, before anything else: reads the environment
 *                   (RESEG_NOW starts the process's clock; it and
 *                   RESEG_MAPSIZE are refused when malformed) and the
 *                   test fault settings;
 *   engine_open()   opens the store and records who is asking, for the
 *                   access groups (access.h);
 *   engine_close()  closes it.
 *
 * What the environment may say is listed in README ("Environment") and
 * reseg(1); nothing in the engine reads it anywhere else.
 */
#ifndef RESEG_ENGINE_H
#define RESEG_ENGINE_H

#include <stdint.h>

#include "store.h"

enum engine_clock {
	/* RESEG_NOW stands still: every command sees the same "now". */
	ENGINE_CLOCK_FIXED,
	/* RESEG_NOW is where the clock starts, then it runs (UI, daemon). */
	ENGINE_CLOCK_RUNNING
};

/* Settings read from the environment by engine_init, for tests only. */
struct engine_faults {
	/* RESEG_TEST_ABORT: a run aborts the process at this point. */
	const char	*abort_at;
	/* RESEG_TEST_SLOW_RUN: every scan step of a run sleeps this long (ms). */
	int		 slow_run_ms;
	/*
	 * RESEG_TEST_KILL_WRITE: the process is killed (SIGKILL) before the
	 * commit of its Nth write transaction (store_test_kill_write).
	 */
	unsigned	 kill_write;
};

/*
 * Reads the environment once.  Fails, changing nothing, when RESEG_NOW is
 * set but is not an ISO 8601 date-time, or RESEG_MAPSIZE is set but is not
 * a whole number of bytes of at least 64 KiB.
 */
int	 engine_init(enum engine_clock, char **cause);
/* The fault settings engine_init read (all off before it). */
const struct engine_faults *engine_faults(void);
/*
 * Opens the store in dir (NULL: $RESEG_STORE, else $XDG_DATA_HOME/reseg),
 * tells access.h who is asking, and marks runs left In progress by
 * processes that are gone as Error "interrupted" (seg_mark_interrupted).
 */
int	 engine_open(const char *dir, struct store **, char **cause);
/* How many runs opens marked since the last call (the daemon logs it). */
unsigned engine_take_interrupted(void);
void	 engine_close(struct store *);

#endif
