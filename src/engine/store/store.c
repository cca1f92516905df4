/*
 * The LMDB store.  The only file that calls mdb_*.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <lmdb.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "proc.h"
#include "store.h"
#include "util.h"

#define STORE_INITIAL_MAP	((uint64_t)256 << 20)
/* Below this LMDB cannot even hold its meta pages and a few tables. */
#define STORE_MIN_MAP		((uint64_t)65536)
#define STORE_MAXREADERS	126
#define STORE_RESIZE_WAIT	10	/* seconds to wait for readers */

static const char *const store_table_names[STORE_NTABLES] = {
	"meta", "dbs", "keys", "cols", "segments", "segnames", "members",
	"runs", "deltas", "objects", "objmembers", "evcols", "evchunks",
	"evids", "queries"
};

/*
 * One environment per directory and process: LMDB forbids opening the
 * same environment twice in one process, so a second store_open of the
 * same directory shares the first one.
 */
struct store {
	struct store	*next;
	char		*path;
	dev_t		 dev;
	ino_t		 ino;
	int		 refs;
	MDB_env		*env;
	MDB_dbi		 dbi[STORE_NTABLES];
	int		 ro_errno;	/* why it is read-only; 0: writable */

	/*
	 * Changing the map size remaps the file, which is only safe when
	 * no transaction of this process is using the old mapping; readers
	 * are counted and a resize waits for them to finish.
	 */
	mtx_t		 lock;
	cnd_t		 cond;
	int		 nreaders;
	int		 resizing;
	mtx_t		 wlock;		/* one store_write at a time */
	/* Where store_release_pages found the map, for this map size. */
	unsigned long	 rel_lo[4], rel_hi[4];
	int		 rel_n;
	uint64_t	 rel_size;
};

struct store_txn {
	struct store	*st;
	MDB_txn		*txn;
	int		 writable;
	int		 mapfull;
};

struct store_cursor {
	struct store_txn *txn;
	MDB_cursor	*cur;
	uint8_t		*prefix;
	size_t		 plen;
	int		 started;
};

/*
 * The registry's lock is made once: C11 threads are used rather than
 * pthread.h, whose <sched.h> the engine's own sched.h would shadow.
 */
static mtx_t store_registry_lock;
static once_flag store_registry_once = ONCE_FLAG_INIT;
static struct store *store_registry;

static void
store_registry_make_lock(void)
{
	mtx_init(&store_registry_lock, mtx_plain);
}

static void
store_registry_init(void)
{
	call_once(&store_registry_once, store_registry_make_lock);
}

/* Whether the file system of path has (next to) no room left for us. */
static int
store_disk_full(const char *path)
{
	struct statvfs vfs;
	uint64_t avail;

	if (statvfs(path, &vfs) != 0)
		return 0;
	avail = geteuid() == 0 ? (uint64_t)vfs.f_bfree :
	    (uint64_t)vfs.f_bavail;
	return avail * vfs.f_frsize < 1024 * 1024;
}

static int
store_mdb_error(const struct store *st, const char *what, int rc,
    char **cause)
{
	/*
	 * LMDB reports a short write, the usual way a disk fills up, as
	 * EIO.  A failed transaction leaves the store as it was.
	 */
	if (rc == ENOSPC || (rc == EIO && store_disk_full(st->path)))
		return error_set(cause, _("store %s: no space left on device; "
		    "nothing was changed"), st->path);
	return error_set(cause, _("store %s: %s: %s"), st->path, what,
	    mdb_strerror(rc));
}

static int
store_mkdir_p(const char *dir, char **cause)
{
	char *p, *s;
	struct stat sb;

	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return error_set(cause,
			    _("store %s: not a directory"), dir);
		return 0;
	}
	p = xstrdup(dir);
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		{
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0700) == 0) {
				/* The umask must not widen or narrow it. */
				chmod(p, 0700);
			} else if (errno != EEXIST) {
				error_set(cause,
				    _("store %s: cannot create directory %s: %s"),
				    dir, p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return 0;
}

int
store_map_size_env(uint64_t *size, char **cause)
{
	const char *env = getenv("RESEG_MAPSIZE");
	char *end;
	unsigned long long v;

	*size = STORE_INITIAL_MAP;
	if (env == NULL || *env == '\0')
		return 0;
	/* Digits only: strtoull would take blanks, a sign and "0x". */
	if (strspn(env, "0123456789") != strlen(env))
		goto bad;
	errno = 0;
	v = strtoull(env, &end, 10);
	if (errno != 0 || *end != '\0' || v < STORE_MIN_MAP ||
	    v > (unsigned long long)SIZE_MAX)
		goto bad;
	*size = v;
	return 0;
bad:
	return error_set(cause, _("RESEG_MAPSIZE: expected a whole number of "
	    "bytes, at least %llu, such as 1073741824, found '%s'"),
	    (unsigned long long)STORE_MIN_MAP, env);
}

static void
store_fix_file_modes(const char *dir)
{
	static const char *const files[] = { "data.mdb", "lock.mdb" };
	char *p;
	size_t i;
	int fd;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		p = xasprintf("%s/%s", dir, files[i]);
		if ((fd = open(p, O_RDONLY | O_CLOEXEC)) != -1) {
			util_store_file_fix(fd, dir);
			close(fd);
		}
		free(p);
	}
}

/* Opens the tables and checks (or writes) the store format version. */
static int
store_init_tables(struct store *st, char **cause)
{
	MDB_txn *txn;
	MDB_val k, v;
	char buf[32];
	unsigned long ver;
	int rc, i, tries, ro = st->ro_errno != 0;

	/*
	 * Another process may grow the map between mdb_env_open and this
	 * transaction (it waits for the writer lock): adopt its size.  No
	 * transaction of this environment is open yet, so that is safe.
	 */
	for (tries = 0; ; tries++) {
		rc = mdb_txn_begin(st->env, NULL, ro ? MDB_RDONLY : 0, &txn);
		if (rc != MDB_MAP_RESIZED || tries >= 8)
			break;
		if ((rc = mdb_env_set_mapsize(st->env, 0)) != 0)
			return store_mdb_error(st, _("cannot grow the map"),
			    rc, cause);
	}
	if (rc != 0)
		return store_mdb_error(st, _("cannot begin a transaction"), rc,
		    cause);
	for (i = 0; i < STORE_NTABLES; i++) {
		rc = mdb_dbi_open(txn, store_table_names[i], ro ? 0 :
		    MDB_CREATE, &st->dbi[i]);
		if (rc != 0) {
			mdb_txn_abort(txn);
			return store_mdb_error(st, _("cannot open a table"), rc,
			    cause);
		}
	}
	k.mv_data = (void *)"schema_version";
	k.mv_size = strlen("schema_version");
	rc = mdb_get(txn, st->dbi[STORE_META], &k, &v);
	if (rc == MDB_NOTFOUND && ro)
		rc = 0;
	else if (rc == MDB_NOTFOUND) {
		snprintf(buf, sizeof buf, "%d", STORE_SCHEMA_VERSION);
		v.mv_data = buf;
		v.mv_size = strlen(buf);
		rc = mdb_put(txn, st->dbi[STORE_META], &k, &v, 0);
	} else if (rc == 0) {
		if (v.mv_size == 0 || v.mv_size >= sizeof buf) {
			mdb_txn_abort(txn);
			return error_set(cause,
			    _("store %s: unreadable store format version"),
			    st->path);
		}
		memcpy(buf, v.mv_data, v.mv_size);
		buf[v.mv_size] = '\0';
		ver = strtoul(buf, NULL, 10);
		if (ver > STORE_SCHEMA_VERSION) {
			mdb_txn_abort(txn);
			return error_set(cause, _("store %s: written by a newer "
			    "reseg (store format %lu, this reseg reads format "
			    "%d); upgrade reseg"), st->path, ver,
			    STORE_SCHEMA_VERSION);
		}
	}
	if (rc != 0) {
		mdb_txn_abort(txn);
		return store_mdb_error(st, _("cannot write the format version"),
		    rc, cause);
	}
	rc = mdb_txn_commit(txn);
	if (rc != 0)
		return store_mdb_error(st, _("cannot commit"), rc, cause);
	return 0;
}

/*
 * Before LMDB opens it: a data file that exists but is empty is a store
 * that lost its data (LMDB would take it for a new one and write a fresh
 * store over it), not a new store; so is a directory holding a store's
 * other files without its data file.  Only a missing directory, an empty
 * one or one without any of a store's files is a new store.
 */
static int
store_check_files(const char *dir, const char *datafile, char **cause)
{
	static const char *const others[] = { "lock.mdb", "scheduler.lock",
	    "hooks.log" };
	struct stat sb;
	char *p;
	size_t i;
	int rc;

	if (stat(datafile, &sb) == 0) {
		if (sb.st_size == 0)
			return error_set(cause, _("store %s is damaged: "
			    "data.mdb is empty; restore the store from a "
			    "backup, or remove the directory to start a new "
			    "store"), dir);
		return 0;
	}
	for (i = 0; i < sizeof others / sizeof others[0]; i++) {
		p = xasprintf("%s/%s", dir, others[i]);
		rc = stat(p, &sb);
		free(p);
		if (rc == 0)
			return error_set(cause, _("store %s is damaged: "
			    "data.mdb is missing but %s is there; restore the "
			    "store from a backup, or remove the directory to "
			    "start a new store"), dir, others[i]);
	}
	return 0;
}

/*
 * After LMDB read the header: the map is the file, and a page past the
 * file's end would kill the process with SIGBUS when read.  The pages in
 * use, as the newest meta page gives them, must all be in the file.
 */
static int
store_check_size(struct store *st, char **cause)
{
	MDB_envinfo info;
	MDB_stat ms;
	struct stat sb;
	char *datafile;
	uint64_t need;
	int rc;

	if (mdb_env_info(st->env, &info) != 0 ||
	    mdb_env_stat(st->env, &ms) != 0)
		return 0;
	datafile = xasprintf("%s/data.mdb", st->path);
	rc = stat(datafile, &sb);
	free(datafile);
	if (rc != 0)
		return 0;
	need = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
	if ((uint64_t)sb.st_size < need)
		return error_set(cause, _("store %s is damaged: data.mdb has "
		    "%" PRIu64 " bytes, its pages need %" PRIu64 " (the file was "
		    "cut short); restore the store from a backup"), st->path,
		    (uint64_t)sb.st_size, need);
	return 0;
}

/* A new LMDB environment for st, not yet open. */
static int
store_env_create(struct store *st, uint64_t mapsize, char **cause)
{
	int rc;

	if ((rc = mdb_env_create(&st->env)) != 0) {
		st->env = NULL;
		return store_mdb_error(st, _("cannot create the environment"),
		    rc, cause);
	}
	if (mdb_env_get_maxkeysize(st->env) < STORE_MAX_KEY)
		return error_set(cause, _("store %s: this LMDB takes keys of "
		    "at most %d bytes; reseg needs %d"), st->path,
		    mdb_env_get_maxkeysize(st->env), STORE_MAX_KEY);
	mdb_env_set_maxdbs(st->env, STORE_NTABLES + 8);
	mdb_env_set_maxreaders(st->env, STORE_MAXREADERS);
	mdb_env_set_mapsize(st->env, (size_t)mapsize);
	return 0;
}

int
store_open(const char *dir, struct store **out, char **cause)
{
	struct store *st;
	struct stat sb;
	char *datafile;
	uint64_t mapsize;
	int rc, dead, created;

	*out = NULL;
	if (store_map_size_env(&mapsize, cause) != 0)
		return -1;
	if (store_mkdir_p(dir, cause) != 0)
		return -1;
	if (stat(dir, &sb) != 0)
		return error_set(cause, _("store %s: %s"), dir, strerror(errno));

	store_registry_init();
	mtx_lock(&store_registry_lock);
	for (st = store_registry; st != NULL; st = st->next) {
		if (st->dev == sb.st_dev && st->ino == sb.st_ino) {
			st->refs++;
			mtx_unlock(&store_registry_lock);
			*out = st;
			return 0;
		}
	}

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(dir);
	st->dev = sb.st_dev;
	st->ino = sb.st_ino;
	st->refs = 1;
	mtx_init(&st->lock, mtx_plain);
	cnd_init(&st->cond);
	mtx_init(&st->wlock, mtx_plain);

	if (store_env_create(st, mapsize, cause) != 0)
		goto fail;
	datafile = xasprintf("%s/data.mdb", dir);
	created = access(datafile, F_OK) != 0;
	rc = store_check_files(dir, datafile, cause);
	free(datafile);
	if (rc != 0)
		goto fail;
	rc = mdb_env_open(st->env, dir, MDB_NOTLS, util_store_file_mode(dir));
	if ((rc == EROFS || rc == EACCES) && !created) {
		/*
		 * A read-only file system, or a directory we may not write:
		 * commands that only read still work, and store_write says
		 * why nothing can change.  A failed open needs a new env.
		 */
		mdb_env_close(st->env);
		st->env = NULL;
		if (store_env_create(st, mapsize, cause) != 0)
			goto fail;
		if (mdb_env_open(st->env, dir, MDB_NOTLS | MDB_RDONLY,
		    util_store_file_mode(dir)) == 0) {
			st->ro_errno = rc;
			rc = 0;
		}
	}
	if (rc == MDB_INVALID || rc == MDB_CORRUPTED) {
		error_set(cause, _("store %s is damaged: data.mdb does not start "
		    "with a valid header (%s); restore the store from a backup"),
		    dir, mdb_strerror(rc));
		goto fail;
	}
	if (rc != 0) {
		store_mdb_error(st, _("cannot open"), rc, cause);
		goto fail;
	}
	if (store_check_size(st, cause) != 0)
		goto fail;
	/*
	 * Only a store we just created gets private modes: an operator who
	 * opened an existing store to a group (access groups) keeps that.
	 */
	if (created)
		store_fix_file_modes(dir);
	mdb_reader_check(st->env, &dead);
	if (store_init_tables(st, cause) != 0)
		goto fail;

	st->next = store_registry;
	store_registry = st;
	mtx_unlock(&store_registry_lock);
	*out = st;
	return 0;

fail:
	mtx_unlock(&store_registry_lock);
	if (st->env != NULL)
		mdb_env_close(st->env);
	mtx_destroy(&st->lock);
	cnd_destroy(&st->cond);
	mtx_destroy(&st->wlock);
	free(st->path);
	free(st);
	return -1;
}

void
store_close(struct store *st)
{
	struct store **pp;

	if (st == NULL)
		return;
	store_registry_init();
	mtx_lock(&store_registry_lock);
	if (--st->refs > 0) {
		mtx_unlock(&store_registry_lock);
		return;
	}
	for (pp = &store_registry; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == st) {
			*pp = st->next;
			break;
		}
	}
	mtx_unlock(&store_registry_lock);
	mdb_env_close(st->env);
	mtx_destroy(&st->lock);
	cnd_destroy(&st->cond);
	mtx_destroy(&st->wlock);
	free(st->path);
	free(st);
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

void
store_release_pages(struct store *st)
{
	char *file, *real, line[4096];
	unsigned long lo, hi;
	size_t flen, len;
	FILE *f;

	/*
	 * The map is a shared, read-only file mapping: dropping this
	 * process's page table entries loses nothing (the pages stay in the
	 * page cache and fault back in when read again).  LMDB does not say
	 * where the map is (mdb_env_info's me_mapaddr is only set for
	 * MDB_FIXEDMAP), so /proc/self/maps does; elsewhere this is a no-op.
	 */
	uint64_t size;
	int i;

	/*
	 * Found before and not remapped since (store_resize clears it,
	 * under the lock held here, so the range cannot move meanwhile).
	 */
	mtx_lock(&st->lock);
	size = store_map_size(st);
	if (size != 0 && st->rel_size == size && !st->resizing) {
		for (i = 0; i < st->rel_n; i++)
			(void)madvise((void *)st->rel_lo[i], st->rel_hi[i] -
			    st->rel_lo[i], MADV_DONTNEED);
		mtx_unlock(&st->lock);
		return;
	}
	st->rel_n = 0;
	st->rel_size = 0;
	mtx_unlock(&st->lock);
	if ((real = realpath(st->path, NULL)) == NULL)
		return;
	file = xasprintf("%s/data.mdb", real);
	free(real);
	if ((f = fopen("/proc/self/maps", "r")) == NULL) {
		free(file);
		return;
	}
	flen = strlen(file);
	while (fgets(line, sizeof line, f) != NULL) {
		len = strcspn(line, "\n");
		line[len] = '\0';
		if (len < flen || strcmp(line + len - flen, file) != 0 ||
		    (len > flen && line[len - flen - 1] != ' '))
			continue;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || hi <= lo)
			continue;
		/*
		 * Under the lock, and only while the map is the one read:
		 * a resize in another thread may have unmapped the range.
		 */
		mtx_lock(&st->lock);
		if (!st->resizing && size == store_map_size(st)) {
			(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
			if (st->rel_n < 4) {
				st->rel_lo[st->rel_n] = lo;
				st->rel_hi[st->rel_n++] = hi;
			}
		}
		mtx_unlock(&st->lock);
	}
	fclose(f);
	free(file);
	mtx_lock(&st->lock);
	if (st->rel_n > 0 && st->rel_n < 4 && size == store_map_size(st) &&
	    !st->resizing)
		st->rel_size = size;
	mtx_unlock(&st->lock);
}

uint64_t
store_map_size(const struct store *st)
{
	MDB_envinfo info;

	if (mdb_env_info(st->env, &info) != 0)
		return 0;
	return info.me_mapsize;
}

int
store_exists(const char *dir)
{
	char *path, *datafile;
	int rc;

	path = dir != NULL ? xstrdup(dir) : store_default_dir();
	datafile = xasprintf("%s/data.mdb", path);
	rc = access(datafile, F_OK) == 0;
	free(datafile);
	free(path);
	return rc;
}

char *
store_default_dir(void)
{
	const char *s;
	const char *home;

	if ((s = getenv("RESEG_STORE")) != NULL && *s != '\0')
		return xstrdup(s);
	if ((s = getenv("XDG_DATA_HOME")) != NULL && *s == '/')
		return xasprintf("%s/reseg", s);
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = ".";
	return xasprintf("%s/.local/share/reseg", home);
}

/*
 * Waits until no read transaction of this process uses the map, then
 * changes the map size (0: adopt the size another process set).  Called
 * with wlock held and no write transaction open.
 */
static int
store_resize(struct store *st, size_t size, char **cause)
{
	struct timespec ts;
	int rc = thrd_success;

	mtx_lock(&st->lock);
	st->resizing = 1;
	timespec_get(&ts, TIME_UTC);
	ts.tv_sec += STORE_RESIZE_WAIT;
	while (st->nreaders > 0 && rc == thrd_success)
		rc = cnd_timedwait(&st->cond, &st->lock, &ts);
	if (st->nreaders > 0) {
		st->resizing = 0;
		cnd_broadcast(&st->cond);
		mtx_unlock(&st->lock);
		return error_set(cause, _("store %s: the map must grow but "
		    "read transactions are still open"), st->path);
	}
	rc = mdb_env_set_mapsize(st->env, size);
	st->rel_size = 0;
	st->rel_n = 0;
	st->resizing = 0;
	cnd_broadcast(&st->cond);
	mtx_unlock(&st->lock);
	if (rc != 0)
		return store_mdb_error(st, _("cannot grow the map"), rc, cause);
	return 0;
}

int
store_reserve_room(struct store *st, uint64_t bytes, char **cause)
{
	MDB_envinfo info;
	MDB_stat stat;
	uint64_t used, size;
	int rc;

	if (st->ro_errno != 0 || bytes == 0)
		return 0;
	if (mdb_env_info(st->env, &info) != 0 ||
	    mdb_env_stat(st->env, &stat) != 0)
		return 0;
	used = ((uint64_t)info.me_last_pgno + 1) * stat.ms_psize;
	if (used + bytes <= info.me_mapsize)
		return 0;
	/* Doubling, as store_write grows it, from the current size. */
	for (size = info.me_mapsize; size < used + bytes; size *= 2)
		if (size > SIZE_MAX / 2)
			return 0;
	mtx_lock(&st->wlock);
	rc = store_resize(st, (size_t)size, cause);
	mtx_unlock(&st->wlock);
	return rc;
}

int
store_read_begin(struct store *st, struct store_txn **out, char **cause)
{
	MDB_txn *txn;
	struct store_txn *t;
	int rc, tries;

	*out = NULL;
	for (tries = 0; ; tries++) {
		mtx_lock(&st->lock);
		while (st->resizing)
			cnd_wait(&st->cond, &st->lock);
		st->nreaders++;
		mtx_unlock(&st->lock);

		rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn);
		if (rc == 0)
			break;
		mtx_lock(&st->lock);
		st->nreaders--;
		cnd_broadcast(&st->cond);
		mtx_unlock(&st->lock);
		if (rc != MDB_MAP_RESIZED || tries > 3)
			return store_mdb_error(st,
			    _("cannot begin a read transaction"), rc, cause);
		/* Another process grew the map: adopt its size. */
		mtx_lock(&st->wlock);
		rc = store_resize(st, 0, cause);
		mtx_unlock(&st->wlock);
		if (rc != 0)
			return -1;
	}
	t = xcalloc(1, sizeof *t);
	t->st = st;
	t->txn = txn;
	*out = t;
	return 0;
}

void
store_read_end(struct store_txn *t)
{
	struct store *st;

	if (t == NULL)
		return;
	st = t->st;
	mdb_txn_abort(t->txn);
	mtx_lock(&st->lock);
	st->nreaders--;
	cnd_broadcast(&st->cond);
	mtx_unlock(&st->lock);
	free(t);
}

/* 1 when dir is an empty directory, 0 when it holds anything, -1 error. */
static int
store_dir_empty(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int empty = 1;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while (empty && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/*
 * Copies the environment into fd with compaction.  The copy reads in one
 * read transaction of its own, so it is counted like store_read_begin's
 * (a resize of this process waits for it), and a map grown by another
 * process is adopted before trying again.
 */
static int
store_copy_fd(struct store *st, int fd, const char *dir, char **cause)
{
	int rc, tries;

	for (tries = 0; ; tries++) {
		mtx_lock(&st->lock);
		while (st->resizing)
			cnd_wait(&st->cond, &st->lock);
		st->nreaders++;
		mtx_unlock(&st->lock);
		if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
			rc = errno;
		else
			rc = mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT);
		mtx_lock(&st->lock);
		st->nreaders--;
		cnd_broadcast(&st->cond);
		mtx_unlock(&st->lock);
		if (rc == 0)
			return 0;
		/* The failure is the backup's (a full disk there, say). */
		if (rc != MDB_MAP_RESIZED || tries > 3)
			return error_set(cause, _("backup %s: cannot copy store "
			    "%s: %s"), dir, st->path, mdb_strerror(rc));
		mtx_lock(&st->wlock);
		rc = store_resize(st, 0, cause);
		mtx_unlock(&st->wlock);
		if (rc != 0)
			return -1;
	}
}

int
store_backup(struct store *st, const char *dir, uint64_t *bytes,
    char **cause)
{
	struct stat sb;
	char *path;
	int fd, dfd, created = 0, rc = -1;

	*bytes = 0;
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return error_set(cause,
			    _("backup %s: not a directory"), dir);
		switch (store_dir_empty(dir)) {
		case 0:
			return error_set(cause, _("backup %s: the directory is "
			    "not empty; give a new or an empty one"), dir);
		case -1:
			return error_set(cause, _("backup %s: %s"), dir,
			    strerror(errno));
		}
	} else if (errno != ENOENT)
		return error_set(cause, _("backup %s: %s"), dir,
		    strerror(errno));
	else if (mkdir(dir, 0700) != 0)
		return error_set(cause, _("backup %s: cannot create the "
		    "directory: %s"), dir, strerror(errno));
	else {
		created = 1;
		/* The umask must not widen or narrow it. */
		chmod(dir, 0700);
	}

	path = xasprintf("%s/data.mdb", dir);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		error_set(cause, _("backup %s: cannot create %s: %s"), dir,
		    path, strerror(errno));
		goto out;
	}
	(void)fchmod(fd, 0600);
	if (store_copy_fd(st, fd, dir, cause) != 0)
		goto out;
	if (fsync(fd) != 0 || fstat(fd, &sb) != 0) {
		error_set(cause, _("backup %s: cannot write %s: %s"), dir, path,
		    strerror(errno));
		goto out;
	}
	*bytes = (uint64_t)sb.st_size;
	/* The new file's name is durable too. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc != 0) {
		if (fd != -1)
			unlink(path);
		if (created)
			rmdir(dir);
	}
	free(path);
	return rc;
}

/* Tests only (store_test_kill_write): counted commits, then SIGKILL. */
static atomic_uint store_kill_at;
static atomic_uint store_commits;

void
store_test_kill_write(unsigned n)
{
	atomic_store(&store_kill_at, n);
}

static void
store_test_kill_point(void)
{
	unsigned n = atomic_load(&store_kill_at);

	if (n != 0 && atomic_fetch_add(&store_commits, 1) + 1 == n)
		raise(SIGKILL);
}

static int
store_write_flags(struct store *st, unsigned int flags, store_write_fn fn,
    void *arg, char **cause)
{
	struct store_txn t;
	char *fcause;
	size_t size;
	int rc, ret = -1;

	if (st->ro_errno != 0)
		return error_set(cause, _("store %s is read-only (%s); nothing "
		    "was changed"), st->path, strerror(st->ro_errno));
	mtx_lock(&st->wlock);
	for (;;) {
		memset(&t, 0, sizeof t);
		t.st = st;
		t.writable = 1;
		rc = mdb_txn_begin(st->env, NULL, flags, &t.txn);
		if (rc == MDB_MAP_RESIZED) {
			if (store_resize(st, 0, cause) != 0)
				break;
			continue;
		}
		if (rc != 0) {
			store_mdb_error(st, _("cannot begin a write transaction"),
			    rc, cause);
			break;
		}
		fcause = NULL;
		rc = fn(&t, arg, &fcause);
		if (rc == 0 && !t.mapfull) {
			store_test_kill_point();
			rc = mdb_txn_commit(t.txn);
			t.txn = NULL;
			if (rc == 0) {
				free(fcause);
				ret = 0;
				break;
			}
			if (rc != MDB_MAP_FULL) {
				free(fcause);
				store_mdb_error(st, _("cannot commit"), rc, cause);
				break;
			}
			t.mapfull = 1;
		}
		if (t.txn != NULL)
			mdb_txn_abort(t.txn);
		if (!t.mapfull) {
			if (fcause != NULL && cause != NULL && *cause == NULL)
				*cause = fcause;
			else
				free(fcause);
			if (rc == 0)
				rc = -1;
			ret = rc;
			break;
		}
		/* The map is full: double it and run the callback again. */
		free(fcause);
		size = (size_t)store_map_size(st);
		if (size > SIZE_MAX / 2) {
			error_set(cause, _("store %s: the map cannot grow any "
			    "further"), st->path);
			break;
		}
		if (store_resize(st, size * 2, cause) != 0)
			break;
	}
	mtx_unlock(&st->wlock);
	return ret;
}

int
store_write(struct store *st, store_write_fn fn, void *arg, char **cause)
{
	return store_write_flags(st, 0, fn, arg, cause);
}

int
store_write_nometasync(struct store *st, store_write_fn fn, void *arg,
    char **cause)
{
	return store_write_flags(st, MDB_NOMETASYNC, fn, arg, cause);
}

int
store_txn_writable(const struct store_txn *t)
{
	return t->writable;
}

struct store *
store_txn_store(struct store_txn *t)
{
	return t->st;
}

static int
store_check_rc(struct store_txn *t, int rc, const char *what, char **cause)
{
	if (rc == MDB_MAP_FULL)
		t->mapfull = 1;
	return store_mdb_error(t->st, what, rc, cause);
}

int
store_get(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, const void **val, size_t *vlen, char **cause)
{
	MDB_val k, v;
	int rc;

	/* No such key can be stored (LMDB would say MDB_BAD_VALSIZE). */
	if (klen > STORE_MAX_KEY)
		return 1;
	k.mv_data = (void *)key;
	k.mv_size = klen;
	rc = mdb_get(t->txn, t->st->dbi[tb], &k, &v);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return store_check_rc(t, rc, _("cannot read"), cause);
	*val = v.mv_data;
	*vlen = v.mv_size;
	return 0;
}

int
store_get_next(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, const void **val, size_t *vlen, const void **nkey,
    size_t *nklen, const void **nval, size_t *nvlen, char **cause)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	*nkey = *nval = NULL;
	*nklen = *nvlen = 0;
	if (klen > STORE_MAX_KEY)
		return 1;
	if ((rc = mdb_cursor_open(t->txn, t->st->dbi[tb], &cur)) != 0)
		return store_check_rc(t, rc, _("cannot open a cursor"), cause);
	k.mv_data = (void *)key;
	k.mv_size = klen;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_KEY);
	if (rc == 0) {
		*val = v.mv_data;
		*vlen = v.mv_size;
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		if (rc == 0) {
			*nkey = k.mv_data;
			*nklen = k.mv_size;
			*nval = v.mv_data;
			*nvlen = v.mv_size;
		} else if (rc == MDB_NOTFOUND)
			rc = 0;
		else {
			mdb_cursor_close(cur);
			return store_check_rc(t, rc, _("cannot read"), cause);
		}
	}
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return store_check_rc(t, rc, _("cannot read"), cause);
	return 0;
}

/*
 * mdb_put with flags, through cur when it is not NULL (tb is then
 * unused): 1, writing nothing, when MDB_APPEND finds the key out of
 * order or MDB_NOOVERWRITE finds it stored; -1 on any other failure.
 */
static int
store_put_at(struct store_txn *t, MDB_cursor *cur, enum store_table tb,
    const void *key, size_t klen, const void *val, size_t vlen,
    unsigned int flags, char **cause)
{
	MDB_val k, v;
	int rc;

	/* The edges check the limits (store.h); this is the last guard. */
	if (klen > STORE_MAX_KEY)
		return error_set(cause, _("store %s: a key of %zu bytes is "
		    "longer than the limit of %d bytes"), t->st->path, klen,
		    STORE_MAX_KEY);
	k.mv_data = (void *)key;
	k.mv_size = klen;
	v.mv_data = (void *)val;
	v.mv_size = vlen;
	rc = cur != NULL ? mdb_cursor_put(cur, &k, &v, flags) :
	    mdb_put(t->txn, t->st->dbi[tb], &k, &v, flags);
	if (rc == MDB_KEYEXIST && (flags & (MDB_APPEND | MDB_NOOVERWRITE)))
		return 1;
	if (rc != 0)
		return store_check_rc(t, rc, _("cannot write"), cause);
	return 0;
}

int
store_put(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, const void *val, size_t vlen, char **cause)
{
	return store_put_at(t, NULL, tb, key, klen, val, vlen, 0, cause);
}

int
store_put_new(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, const void *val, size_t vlen, char **cause)
{
	return store_put_at(t, NULL, tb, key, klen, val, vlen, MDB_NOOVERWRITE,
	    cause);
}

void *
store_reserve(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, size_t vlen, char **cause)
{
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)key;
	k.mv_size = klen;
	v.mv_data = NULL;
	v.mv_size = vlen;
	rc = mdb_put(t->txn, t->st->dbi[tb], &k, &v, MDB_RESERVE);
	if (rc != 0) {
		store_check_rc(t, rc, _("cannot write"), cause);
		return NULL;
	}
	return v.mv_data;
}

int
store_del(struct store_txn *t, enum store_table tb, const void *key,
    size_t klen, char **cause)
{
	MDB_val k;
	int rc;

	k.mv_data = (void *)key;
	k.mv_size = klen;
	rc = mdb_del(t->txn, t->st->dbi[tb], &k, NULL);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_check_rc(t, rc, _("cannot delete"), cause);
	return 0;
}

int
store_mark_get(struct store_txn *t, const char *key, long *pid, int *alive,
    char **cause)
{
	const uint8_t *p;
	const void *val = NULL;
	size_t vlen = 0;
	uint64_t start = 0;
	int rc;

	*pid = 0;
	*alive = 0;
	rc = store_get(t, STORE_META, key, strlen(key), &val, &vlen, cause);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (vlen != 4 && vlen != 4 + 8 + PROC_BOOT_ID)
		return 1;	/* unreadable: nobody's */
	p = val;
	*pid = (long)store_get_be32(p);
	if (vlen > 4)
		start = (uint64_t)store_get_be32(p + 4) << 32 |
		    store_get_be32(p + 8);
	/*
	 * The marker may have died and its pid been given again, in this
	 * boot or a later one.  An older mark, of the pid alone, counts
	 * while the pid runs.
	 */
	*alive = *pid != (long)getpid() && proc_alive(*pid, start, vlen > 4 ?
	    p + 12 : NULL);
	return 1;
}

int
store_mark_put(struct store_txn *t, const char *key, char **cause)
{
	uint8_t val[4 + 8 + PROC_BOOT_ID];
	uint64_t start = proc_start_ticks((long)getpid());

	store_be32(val, (uint32_t)getpid());
	store_be32(val + 4, (uint32_t)(start >> 32));
	store_be32(val + 8, (uint32_t)start);
	proc_boot_id(val + 12);
	return store_put(t, STORE_META, key, strlen(key), val, sizeof val,
	    cause);
}

int
store_del_prefix(struct store_txn *t, enum store_table tb, const void *prefix,
    size_t plen, char **cause)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	rc = mdb_cursor_open(t->txn, t->st->dbi[tb], &c);
	if (rc != 0)
		return store_check_rc(t, rc, _("cannot open a cursor"), cause);
	k.mv_data = (void *)prefix;
	k.mv_size = plen;
	rc = mdb_cursor_get(c, &k, &v, plen == 0 ? MDB_FIRST : MDB_SET_RANGE);
	while (rc == 0) {
		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		rc = mdb_cursor_del(c, 0);
		if (rc != 0)
			break;
		/* After a delete the cursor already sits on the next item. */
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_check_rc(t, rc, _("cannot delete"), cause);
	return 0;
}

struct store_cursor *
store_cursor_open(struct store_txn *t, enum store_table tb, const void *prefix,
    size_t plen, char **cause)
{
	struct store_cursor *sc;
	int rc;

	sc = xcalloc(1, sizeof *sc);
	rc = mdb_cursor_open(t->txn, t->st->dbi[tb], &sc->cur);
	if (rc != 0) {
		free(sc);
		store_check_rc(t, rc, _("cannot open a cursor"), cause);
		return NULL;
	}
	sc->txn = t;
	sc->plen = plen;
	sc->prefix = xmalloc(plen);
	if (plen > 0)
		memcpy(sc->prefix, prefix, plen);
	return sc;
}

int
store_cursor_put(struct store_cursor *sc, const void *key, size_t klen,
    const void *val, size_t vlen, int append, char **cause)
{
	return store_put_at(sc->txn, sc->cur, 0, key, klen, val, vlen,
	    append ? MDB_APPEND : 0, cause);
}

int
store_cursor_next(struct store_cursor *sc, const void **key, size_t *klen,
    const void **val, size_t *vlen, char **cause)
{
	MDB_val k, v;
	int rc;

	if (!sc->started) {
		sc->started = 1;
		k.mv_data = sc->prefix;
		k.mv_size = sc->plen;
		rc = mdb_cursor_get(sc->cur, &k, &v,
		    sc->plen == 0 ? MDB_FIRST : MDB_SET_RANGE);
	} else
		rc = mdb_cursor_get(sc->cur, &k, &v, MDB_NEXT);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return store_check_rc(sc->txn, rc, _("cannot read"), cause);
	if (k.mv_size < sc->plen ||
	    memcmp(k.mv_data, sc->prefix, sc->plen) != 0)
		return 1;
	*key = k.mv_data;
	*klen = k.mv_size;
	if (val != NULL)
		*val = v.mv_data;
	if (vlen != NULL)
		*vlen = v.mv_size;
	return 0;
}

int
store_cursor_last(struct store_cursor *sc, const void **key, size_t *klen,
    char **cause)
{
	MDB_val k, v;
	int rc;

	rc = mdb_cursor_get(sc->cur, &k, &v, MDB_LAST);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return store_check_rc(sc->txn, rc, _("cannot read"), cause);
	*key = k.mv_data;
	*klen = k.mv_size;
	return 0;
}

int
store_cursor_after(struct store_cursor *sc, const void *key, size_t klen,
    const void **fkey, size_t *fklen, char **cause)
{
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)key;
	k.mv_size = klen;
	rc = mdb_cursor_get(sc->cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && k.mv_size == klen && memcmp(k.mv_data, key, klen) == 0)
		rc = mdb_cursor_get(sc->cur, &k, &v, MDB_NEXT);
	if (rc == MDB_NOTFOUND)
		return 1;
	if (rc != 0)
		return store_check_rc(sc->txn, rc, _("cannot read"), cause);
	*fkey = k.mv_data;
	*fklen = k.mv_size;
	return 0;
}

void
store_cursor_close(struct store_cursor *sc)
{
	if (sc == NULL)
		return;
	mdb_cursor_close(sc->cur);
	free(sc->prefix);
	free(sc);
}

int
store_next_id(struct store_txn *t, const char *counter, uint32_t *id,
    char **cause)
{
	char *key;
	const void *val;
	size_t vlen;
	uint8_t buf[4];
	uint32_t cur = 0;
	int rc;

	key = xasprintf("counter:%s", counter);
	rc = store_get(t, STORE_META, key, strlen(key), &val, &vlen, cause);
	if (rc < 0) {
		free(key);
		return -1;
	}
	if (rc == 0 && vlen == 4)
		cur = store_get_be32(val);
	if (cur == UINT32_MAX) {
		free(key);
		return error_set(cause, _("store %s: counter %s is exhausted"),
		    t->st->path, counter);
	}
	cur++;
	store_be32(buf, cur);
	rc = store_put(t, STORE_META, key, strlen(key), buf, sizeof buf, cause);
	free(key);
	if (rc != 0)
		return -1;
	*id = cur;
	return 0;
}
