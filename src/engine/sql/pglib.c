/*
 * Loading libpq at run time (pglib.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define PGLIB_IMPL
#include "i18n.h"
#include "pglib.h"
#include "util.h"

struct pglib_fns pglib_fn;

static pthread_once_t pglib_once = PTHREAD_ONCE_INIT;
static int pglib_ok;
/* What dlopen or dlsym said (dlerror's text lasts until the next call). */
static char pglib_why[512];
static const char *pglib_name = PGLIB_SONAME;

static void
pglib_open(void)
{
	struct pglib_fns f;
	const char *e, *s;
	void *h;

	if ((s = getenv("RESEG_TEST_LIBPQ")) != NULL && *s != '\0')
		pglib_name = s;
	if ((h = dlopen(pglib_name, RTLD_NOW | RTLD_LOCAL)) == NULL)
		goto fail;
	/* dlsym gives a void *; the prototype's type is the member's. */
#define PGLIB_RESOLVE(fn)						\
	if ((*(void **)&f.fn = dlsym(h, #fn)) == NULL)			\
		goto fail_close;
	PGLIB_FUNCS(PGLIB_RESOLVE)
#undef PGLIB_RESOLVE
	pglib_fn = f;
	pglib_ok = 1;
	return;
fail_close:
	e = dlerror();
	snprintf(pglib_why, sizeof pglib_why, "%s", e != NULL ? e : "?");
	dlclose(h);
	return;
fail:
	e = dlerror();
	snprintf(pglib_why, sizeof pglib_why, "%s", e != NULL ? e : "?");
}

int
pglib_load(char **cause)
{
	(void)pthread_once(&pglib_once, pglib_open);
	if (pglib_ok)
		return 0;
	return error_set(cause, _("PostgreSQL client library %s could not "
	    "be loaded: %s; install libpq5"), pglib_name, pglib_why);
}
