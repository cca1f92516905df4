/*
 * engine: the one place where a process is set up (clock, environment,
 * store, access groups) and torn down; see engine.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "engine.h"
#include "i18n.h"
#include "segment.h"
#include "store.h"
#include "timeutil.h"
#include "util.h"

static struct engine_faults engine_fault_settings;
static unsigned engine_interrupted;

int
engine_init(enum engine_clock mode, char **cause)
{
	const char *now = getenv("RESEG_NOW"), *v;
	int64_t at;
	uint64_t mapsize;

	if (now != NULL && *now != '\0') {
		if (tu_parse_datetime(now, strlen(now), 0, &at) != 0)
			return error_set(cause, _("RESEG_NOW: expected an ISO "
			    "8601 date-time such as 2026-01-31T09:00:00Z, found "
			    "'%s'"), now);
		tu_clock_start(at, mode == ENGINE_CLOCK_RUNNING);
	}
	if (store_map_size_env(&mapsize, cause) != 0)
		return -1;
	v = getenv("RESEG_TEST_ABORT");
	engine_fault_settings.abort_at = v != NULL && *v != '\0' ? v : NULL;
	v = getenv("RESEG_TEST_SLOW_RUN");
	engine_fault_settings.slow_run_ms = v != NULL ? atoi(v) : 0;
	v = getenv("RESEG_TEST_KILL_WRITE");
	engine_fault_settings.kill_write = v != NULL ?
	    (unsigned)strtoul(v, NULL, 10) : 0;
	store_test_kill_write(engine_fault_settings.kill_write);
	return 0;
}

const struct engine_faults *
engine_faults(void)
{
	return &engine_fault_settings;
}

int
engine_open(const char *dir, struct store **st, char **cause)
{
	char *path = dir != NULL ? xstrdup(dir) : store_default_dir();
	char *c2 = NULL;
	unsigned n = 0;
	int rc;

	rc = store_open(path, st, cause);
	free(path);
	if (rc != 0)
		return -1;
	access_init(*st);
	/*
	 * Runs a crash left In progress end as interrupted at the next open,
	 * whoever opens.  One who may not write the store still reads them
	 * so (seg_runs); the store's own errors surface in the command.
	 */
	if (seg_mark_interrupted(*st, &n, &c2) != 0)
		free(c2);
	engine_interrupted += n;
	return 0;
}

unsigned
engine_take_interrupted(void)
{
	unsigned n = engine_interrupted;

	engine_interrupted = 0;
	return n;
}

void
engine_close(struct store *st)
{
	if (st != NULL)
		store_close(st);
}
