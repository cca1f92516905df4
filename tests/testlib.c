#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "pdb.h"
#include "store.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

char *
testlib_tempdir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/reseg-test-XXXXXX", tmp != NULL ? tmp : "/tmp");

	if (mkdtemp(dir) == NULL)
		ck_abort_msg("mkdtemp failed");
	return dir;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

void
testlib_rmtree(const char *dir)
{
	if (dir != NULL)
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
testlib_data(const char *name)
{
	const char *top = getenv("top_srcdir");

	return xasprintf("%s/tests/data/%s", top != NULL ? top : "..", name);
}

char *
testlib_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	return sb_detach(&sb);
}

int
testlib_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void
testlib_setenv(const char *name, const char *value)
{
	char *cause = NULL;

	if (value != NULL)
		setenv(name, value, 1);
	else
		unsetenv(name);
	if (strcmp(name, "RESEG_NOW") == 0 && value == NULL)
		tu_set_clock(NULL);
	if (engine_init(ENGINE_CLOCK_FIXED, &cause) != 0)
		ck_abort_msg("engine_init: %s", cause);
}

struct pdb_schema *
testlib_open_db(struct store *st, const char *name)
{
	struct store_txn *t;
	struct pdb_schema *sc;
	char *cause = NULL;

	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	if (pdb_open(t, name, &sc, &cause) != 0)
		ck_abort_msg("pdb_open: %s", cause);
	store_read_end(t);
	return sc;
}
