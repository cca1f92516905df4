#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "testlib.h"
#include "util.h"

static struct store *
open_store(const char *dir)
{
	struct store *st = NULL;
	char *cause = NULL;

	if (store_open(dir, &st, &cause) != 0)
		ck_abort_msg("store_open: %s", cause);
	return st;
}

static mode_t
mode_of(const char *path)
{
	struct stat sb;

	ck_assert_int_eq(stat(path, &sb), 0);
	return sb.st_mode & 07777;
}

START_TEST(store_modes)
{
	char *tmp = testlib_tempdir();
	char *dir = xasprintf("%s/a/b/store", tmp);
	char *p;
	struct store *st;
	mode_t old;

	/* A permissive umask must not widen the modes. */
	old = umask(0);
	st = open_store(dir);
	umask(old);
	ck_assert_uint_eq(mode_of(dir), 0700);
	p = xasprintf("%s/a", tmp);
	ck_assert_uint_eq(mode_of(p), 0700);
	free(p);
	p = xasprintf("%s/data.mdb", dir);
	ck_assert_uint_eq(mode_of(p), 0600);
	free(p);
	p = xasprintf("%s/lock.mdb", dir);
	ck_assert_uint_eq(mode_of(p), 0600);
	free(p);
	ck_assert_str_eq(store_path(st), dir);
	store_close(st);

	/* Modes an operator loosened for a group survive the next open. */
	p = xasprintf("%s/data.mdb", dir);
	ck_assert_int_eq(chmod(p, 0660), 0);
	st = open_store(dir);
	ck_assert_uint_eq(mode_of(p), 0660);
	store_close(st);
	free(p);
	testlib_rmtree(tmp);
	free(dir);
	free(tmp);
}
END_TEST

static int
put_version(struct store_txn *t, void *arg, char **cause)
{
	return store_put(t, STORE_META, "schema_version", 14, arg,
	    strlen(arg), cause);
}

START_TEST(store_newer_version)
{
	char *dir = testlib_tempdir();
	char *cause = NULL, *want;
	struct store *st;

	st = open_store(dir);
	ck_assert_int_eq(store_write(st, put_version, "2", &cause), 0);
	store_close(st);
	st = NULL;
	ck_assert_int_eq(store_open(dir, &st, &cause), -1);
	ck_assert_ptr_null(st);
	want = xasprintf("store %s: written by a newer reseg (store format 2, "
	    "this reseg reads format 1); upgrade reseg", dir);
	ck_assert_str_eq(cause, want);
	free(want);
	free(cause);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

static int
write_big(struct store_txn *t, void *arg, char **cause)
{
	int *calls = arg;
	uint8_t key[4];
	uint8_t *p;
	uint32_t i;

	(*calls)++;
	for (i = 0; i < 160; i++) {
		store_be32(key, i);
		if ((p = store_reserve(t, STORE_COLS, key, 4, 65536,
		    cause)) == NULL)
			return -1;
		memset(p, (int)i, 65536);
	}
	return 0;
}

START_TEST(store_map_growth)
{
	char *dir = testlib_tempdir();
	char *cause = NULL;
	struct store *st;
	struct store_txn *t;
	const void *v;
	size_t vlen;
	uint8_t key[4];
	uint64_t before;
	int calls = 0;

	setenv("RESEG_MAPSIZE", "1048576", 1);
	st = open_store(dir);
	unsetenv("RESEG_MAPSIZE");
	before = store_map_size(st);
	ck_assert_uint_eq(before, 1048576);
	if (store_write(st, write_big, &calls, &cause) != 0)
		ck_abort_msg("store_write: %s", cause);
	ck_assert_int_gt(calls, 1);
	ck_assert_uint_ge(store_map_size(st), 16 * before);

	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	store_be32(key, 159);
	ck_assert_int_eq(store_get(t, STORE_COLS, key, 4, &v, &vlen, &cause), 0);
	ck_assert_uint_eq(vlen, 65536);
	ck_assert_uint_eq(((const uint8_t *)v)[65535], 159);
	store_read_end(t);
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

static int
hold_and_grow(struct store_txn *t, void *arg, char **cause)
{
	int *fds = arg;
	uint8_t key[4];
	uint8_t *p;
	uint32_t i;

	/* Tell the parent we hold the writer lock, give it time to open. */
	if (write(fds[1], "x", 1) != 1)
		return -1;
	sleep(1);
	for (i = 1000; i < 1016; i++) {
		store_be32(key, i);
		if ((p = store_reserve(t, STORE_COLS, key, 4, 65536,
		    cause)) == NULL)
			return -1;
		memset(p, 1, 65536);
	}
	return 0;
}

/*
 * A process opening the store while another one commits past the map the
 * opener saw at mdb_env_open adopts the new size instead of failing with
 * MDB_MAP_RESIZED.
 */
START_TEST(store_open_while_growing)
{
	char *dir = testlib_tempdir();
	char *cause = NULL;
	struct store *st;
	pid_t pid;
	int fds[2], status, calls = 0;
	char c;

	setenv("RESEG_MAPSIZE", "1048576", 1);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		st = open_store(dir);
		if (store_write(st, write_big, &calls, &cause) != 0 ||
		    store_write(st, hold_and_grow, fds, &cause) != 0)
			_exit(1);
		store_close(st);
		_exit(0);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	if (store_open(dir, &st, &cause) != 0)
		ck_abort_msg("store_open: %s", cause);
	unsetenv("RESEG_MAPSIZE");
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

static int
fill(struct store_txn *t, void *arg, char **cause)
{
	static const struct { const char *k; size_t n; } keys[] = {
		{ "b\0002", 3 }, { "a\0001", 3 }, { "b\0001", 3 }, { "c", 1 },
		{ "b", 1 }, { "ba", 2 }, { "a", 1 }
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (store_put(t, STORE_OBJECTS, keys[i].k, keys[i].n, "v", 1,
		    cause) != 0)
			return -1;
	}
	return 0;
}

static char *
list_keys(struct store *st, const char *prefix, size_t plen)
{
	struct store_txn *t;
	struct store_cursor *c;
	struct strbuf sb = STRBUF_INIT;
	const void *k, *v;
	size_t kl, vl, i;
	char *cause = NULL;
	int rc;

	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	c = store_cursor_open(t, STORE_OBJECTS, prefix, plen, &cause);
	ck_assert_ptr_nonnull(c);
	while ((rc = store_cursor_next(c, &k, &kl, &v, &vl, &cause)) == 0) {
		for (i = 0; i < kl; i++)
			sb_putc(&sb, ((const char *)k)[i] == '\0' ? '.' :
			    ((const char *)k)[i]);
		sb_putc(&sb, ' ');
	}
	ck_assert_int_eq(rc, 1);
	store_cursor_close(c);
	store_read_end(t);
	return sb_detach(&sb);
}

struct delarg {
	const char	*prefix;
	size_t		 plen;
};

static int
del_some(struct store_txn *t, void *arg, char **cause)
{
	struct delarg *d = arg;

	return store_del_prefix(t, STORE_OBJECTS, d->prefix, d->plen, cause);
}

START_TEST(store_cursor_prefix)
{
	char *dir = testlib_tempdir();
	char *cause = NULL, *s;
	struct store *st;
	struct delarg d;

	st = open_store(dir);
	ck_assert_int_eq(store_write(st, fill, NULL, &cause), 0);
	s = list_keys(st, "", 0);
	ck_assert_str_eq(s, "a a.1 b b.1 b.2 ba c ");
	free(s);
	s = list_keys(st, "b", 1);
	ck_assert_str_eq(s, "b b.1 b.2 ba ");
	free(s);
	s = list_keys(st, "b\0", 2);
	ck_assert_str_eq(s, "b.1 b.2 ");
	free(s);
	s = list_keys(st, "bb", 2);
	ck_assert_str_eq(s, "");
	free(s);

	d.prefix = "b\0";
	d.plen = 2;
	ck_assert_int_eq(store_write(st, del_some, &d, &cause), 0);
	s = list_keys(st, "", 0);
	ck_assert_str_eq(s, "a a.1 b ba c ");
	free(s);
	d.prefix = "a";
	d.plen = 1;
	ck_assert_int_eq(store_write(st, del_some, &d, &cause), 0);
	s = list_keys(st, "", 0);
	ck_assert_str_eq(s, "b ba c ");
	free(s);
	d.prefix = "c";
	ck_assert_int_eq(store_write(st, del_some, &d, &cause), 0);
	s = list_keys(st, "", 0);
	ck_assert_str_eq(s, "b ba ");
	free(s);
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * Puts through one cursor: ascending keys appended until one sorts
 * before the last (1, nothing written), then put in place.
 */
static int
cursor_puts(struct store_txn *t, void *arg, char **cause)
{
	static const char *const keys[] = { "d", "e", "ea", "f" };
	struct store_cursor *c;
	size_t i;
	int rc = 0;

	(void)arg;
	if ((c = store_cursor_open(t, STORE_OBJECTS, NULL, 0, cause)) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < 4; i++)
		rc = store_cursor_put(c, keys[i], strlen(keys[i]), "w", 1, 1,
		    cause);
	ck_assert_int_eq(rc, 0);
	/* Before the last key: not appended, then put where it sorts. */
	ck_assert_int_eq(store_cursor_put(c, "bb", 2, "w", 1, 1, cause), 1);
	ck_assert_int_eq(store_cursor_put(c, "bb", 2, "w", 1, 0, cause), 0);
	ck_assert_int_eq(store_cursor_put(c, "bc", 2, "w", 1, 0, cause), 0);
	/* An existing key is overwritten. */
	ck_assert_int_eq(store_cursor_put(c, "c", 1, "x", 1, 0, cause), 0);
	store_cursor_close(c);
	return 0;
}

/* "KEY -> NEXT" as store_get_next gives them ("-" for none). */
static char *
get_next(struct store *st, const char *key, size_t klen)
{
	struct store_txn *t;
	const void *v, *nk, *nv;
	size_t vl, nkl, nvl;
	char *cause = NULL, *s;
	int rc;

	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	rc = store_get_next(t, STORE_OBJECTS, key, klen, &v, &vl, &nk, &nkl,
	    &nv, &nvl, &cause);
	ck_assert_int_ge(rc, 0);
	if (rc == 1) {
		ck_assert_ptr_null(nk);
		s = xstrdup("-");
	} else {
		struct strbuf sb = STRBUF_INIT;
		size_t i;

		sb_printf(&sb, "%.*s -> ", (int)vl, (const char *)v);
		for (i = 0; nk != NULL && i < nkl; i++)
			sb_putc(&sb, ((const char *)nk)[i] == '\0' ? '.' :
			    ((const char *)nk)[i]);
		if (nk == NULL)
			sb_putc(&sb, '-');
		s = sb_detach(&sb);
	}
	store_read_end(t);
	return s;
}

/*
 * store_get_next: a key's value and the record after it in the table's
 * order (a key that is another's prefix comes right before it), none
 * after the last key, and not found for an absent key even when keys
 * follow it.
 */
START_TEST(store_get_next_order)
{
	static const struct {
		const char	*key, *want;
	} step[] = {
		{ "b", "v -> b.1" },	/* "b\0001": b is its prefix */
		{ "ba", "v -> c" },
		{ "c", "v -> -" },	/* the last key */
		{ "bb", "-" },		/* absent, though c follows */
	};
	char *dir = testlib_tempdir();
	char *cause = NULL, *s;
	struct store *st;
	size_t i;

	st = open_store(dir);
	ck_assert_int_eq(store_write(st, fill, NULL, &cause), 0);
	for (i = 0; i < sizeof step / sizeof step[0]; i++) {
		s = get_next(st, step[i].key, strlen(step[i].key));
		ck_assert_str_eq(s, step[i].want);
		free(s);
	}
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

/*
 * store_cursor_after: the first key after the one given, stored or not,
 * whatever the cursor's prefix; none after the last.
 */
START_TEST(store_cursor_after_order)
{
	static const struct {
		const char	*key;
		size_t		 len;
		const char	*want;
	} step[] = {
		{ "\0", 1, "a" }, { "a", 1, "a.1" }, { "a\0000", 3, "a.1" },
		{ "b", 1, "b.1" }, { "b\0002", 3, "ba" }, { "bb", 2, "c" },
		{ "c", 1, NULL }, { "d", 1, NULL },
	};
	char *dir = testlib_tempdir();
	char *cause = NULL, got[8];
	struct store *st;
	struct store_txn *t;
	struct store_cursor *c;
	const void *k;
	size_t kl, i, j;
	int rc;

	st = open_store(dir);
	ck_assert_int_eq(store_write(st, fill, NULL, &cause), 0);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	c = store_cursor_open(t, STORE_OBJECTS, "b", 1, &cause);
	ck_assert_ptr_nonnull(c);
	for (i = 0; i < sizeof step / sizeof step[0]; i++) {
		rc = store_cursor_after(c, step[i].key, step[i].len, &k, &kl,
		    &cause);
		if (step[i].want == NULL) {
			ck_assert_int_eq(rc, 1);
			continue;
		}
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_lt(kl, sizeof got);
		for (j = 0; j < kl; j++)
			got[j] = ((const char *)k)[j] == '\0' ? '.' :
			    ((const char *)k)[j];
		got[kl] = '\0';
		ck_assert_str_eq(got, step[i].want);
	}
	store_cursor_close(c);
	store_read_end(t);
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(store_cursor_put_order)
{
	char *dir = testlib_tempdir();
	char *cause = NULL, *s;
	struct store *st;
	struct store_txn *t;
	const void *v;
	size_t vl;

	st = open_store(dir);
	ck_assert_int_eq(store_write(st, fill, NULL, &cause), 0);
	/* Committed without the meta page's sync: visible all the same. */
	ck_assert_int_eq(store_write_nometasync(st, cursor_puts, NULL, &cause),
	    0);
	s = list_keys(st, "", 0);
	ck_assert_str_eq(s, "a a.1 b b.1 b.2 ba bb bc c d e ea f ");
	free(s);
	ck_assert_int_eq(store_read_begin(st, &t, &cause), 0);
	ck_assert_int_eq(store_get(t, STORE_OBJECTS, "c", 1, &v, &vl, &cause),
	    0);
	ck_assert_uint_eq(vl, 1);
	ck_assert_int_eq(*(const char *)v, 'x');
	store_read_end(t);
	store_close(st);
	/* And after the store is opened again. */
	st = open_store(dir);
	s = list_keys(st, "", 0);
	ck_assert_str_eq(s, "a a.1 b b.1 b.2 ba bb bc c d e ea f ");
	free(s);
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

struct ids {
	uint32_t	v[4];
};

static int
take_ids(struct store_txn *t, void *arg, char **cause)
{
	struct ids *ids = arg;

	if (store_next_id(t, "segment", &ids->v[0], cause) != 0 ||
	    store_next_id(t, "segment", &ids->v[1], cause) != 0 ||
	    store_next_id(t, "db", &ids->v[2], cause) != 0 ||
	    store_next_id(t, "segment", &ids->v[3], cause) != 0)
		return -1;
	return 0;
}

static int
take_and_fail(struct store_txn *t, void *arg, char **cause)
{
	uint32_t id;

	if (store_next_id(t, "segment", &id, cause) != 0)
		return -1;
	*(uint32_t *)arg = id;
	return error_set(cause, "refused");
}

START_TEST(store_ids)
{
	char *dir = testlib_tempdir();
	char *cause = NULL;
	struct store *st;
	struct ids ids;
	uint32_t id;

	st = open_store(dir);
	ck_assert_int_eq(store_write(st, take_ids, &ids, &cause), 0);
	ck_assert_uint_eq(ids.v[0], 1);
	ck_assert_uint_eq(ids.v[1], 2);
	ck_assert_uint_eq(ids.v[2], 1);
	ck_assert_uint_eq(ids.v[3], 3);
	/* A failed write changes nothing: the id is handed out again. */
	ck_assert_int_eq(store_write(st, take_and_fail, &id, &cause), -1);
	ck_assert_str_eq(cause, "refused");
	free(cause);
	cause = NULL;
	ck_assert_uint_eq(id, 4);
	ck_assert_int_eq(store_write(st, take_ids, &ids, &cause), 0);
	ck_assert_uint_eq(ids.v[0], 4);
	store_close(st);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

static int
put_x(struct store_txn *t, void *arg, char **cause)
{
	return store_put(t, STORE_META, "x", 1, arg, strlen(arg), cause);
}

START_TEST(store_shared_env)
{
	char *dir = testlib_tempdir();
	char *other, *cause = NULL;
	struct store *a, *b;
	struct store_txn *t;
	const void *v;
	size_t vlen;

	a = open_store(dir);
	/* The same directory by another spelling is the same store. */
	other = xasprintf("%s/.", dir);
	b = open_store(other);
	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(store_write(a, put_x, "hello", &cause), 0);
	store_close(a);
	ck_assert_int_eq(store_read_begin(b, &t, &cause), 0);
	ck_assert_int_eq(store_txn_writable(t), 0);
	ck_assert_ptr_eq(store_txn_store(t), b);
	ck_assert_int_eq(store_get(t, STORE_META, "x", 1, &v, &vlen, &cause), 0);
	ck_assert_uint_eq(vlen, 5);
	ck_assert_int_eq(memcmp(v, "hello", 5), 0);
	ck_assert_int_eq(store_get(t, STORE_META, "y", 1, &v, &vlen, &cause), 1);
	store_read_end(t);
	store_close(b);
	free(other);
	testlib_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(store_default_location)
{
	char *d;

	setenv("RESEG_STORE", "/x/store", 1);
	setenv("XDG_DATA_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	d = store_default_dir();
	ck_assert_str_eq(d, "/x/store");
	free(d);
	unsetenv("RESEG_STORE");
	d = store_default_dir();
	ck_assert_str_eq(d, "/xdg/reseg");
	free(d);
	unsetenv("XDG_DATA_HOME");
	d = store_default_dir();
	ck_assert_str_eq(d, "/home/u/.local/share/reseg");
	free(d);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_test(tc, store_modes);
	tcase_add_test(tc, store_newer_version);
	tcase_add_test(tc, store_get_next_order);
	tcase_add_test(tc, store_map_growth);
	tcase_add_test(tc, store_open_while_growing);
	tcase_add_test(tc, store_cursor_prefix);
	tcase_add_test(tc, store_cursor_put_order);
	tcase_add_test(tc, store_cursor_after_order);
	tcase_add_test(tc, store_ids);
	tcase_add_test(tc, store_shared_env);
	tcase_add_test(tc, store_default_location);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
