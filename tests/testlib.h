/* Shared fixtures for the Check suites. */
#ifndef RESEG_TESTLIB_H
#define RESEG_TESTLIB_H

#include <check.h>

/* A fresh empty directory under $TMPDIR; removed by testlib_rmtree. */
char	*testlib_tempdir(void);
void	 testlib_rmtree(const char *);
/* Path of a file under tests/data in the source tree (caller frees). */
char	*testlib_data(const char *name);
/* Whole file into a NUL-terminated string (NULL when unreadable). */
char	*testlib_slurp(const char *path);
/*
 * Sets the environment variable and starts the process's clock from it,
 * as engine_init() does for the reseg program (RESEG_NOW, RESEG_TEST_*);
 * value NULL unsets it.
 */
void	 testlib_setenv(const char *name, const char *value);
/* Database name's schema in st (the test fails when it cannot be read). */
struct store;
struct pdb_schema *testlib_open_db(struct store *st, const char *name);
/* Runs one suite; returns the process exit status for automake. */
int	 testlib_run(Suite *);

#endif
