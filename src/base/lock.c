/*
 * The scheduler lock (see lock.h).  flock() rather than fcntl() locks:
 * fcntl locks are per process and vanish when any descriptor of the file
 * is closed, which a query from the same process would do.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "lock.h"
#include "timeutil.h"
#include "util.h"

struct lock {
	int	 fd;
	char	*path;
};

/* How long a lock without a written holder is waited for: 50 x 10 ms. */
#define LOCK_TRIES	50
#define LOCK_PAUSE_MS	10

static void
lock_parse(const char *text, struct lock_holder *h)
{
	const char *p;
	long long v;
	char *end;

	memset(h, 0, sizeof *h);
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "pid ", 4) == 0) {
			v = strtoll(p + 4, &end, 10);
			h->pid = (pid_t)v;
		} else if (strncmp(p, "since ", 6) == 0) {
			v = strtoll(p + 6, &end, 10);
			h->since = v;
		} else if (strncmp(p, "login ", 6) == 0) {
			size_t n = strcspn(p + 6, "\n");

			if (n >= sizeof h->login)
				n = sizeof h->login - 1;
			memcpy(h->login, p + 6, n);
			h->login[n] = '\0';
		}
	}
}

static void
lock_read_holder(int fd, struct lock_holder *h)
{
	char buf[256];
	ssize_t n;

	n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	lock_parse(buf, h);
}

static int
lock_open(const char *dir, char **path, char **cause)
{
	int fd;

	*path = xasprintf("%s/%s", dir, LOCK_FILE);
	fd = open(*path, O_RDWR | O_CREAT | O_CLOEXEC,
	    util_store_file_mode(dir));
	if (fd != -1)
		util_store_file_fix(fd, dir);
	if (fd == -1) {
		error_set(cause, _("scheduler lock %s: %s"), *path,
		    strerror(errno));
		free(*path);
		*path = NULL;
	}
	return fd;
}

int
lock_acquire(const char *dir, struct lock **out, struct lock_holder *holder,
    char **cause)
{
	struct timespec pause = { 0, LOCK_PAUSE_MS * 1000000L };
	struct lock_holder h;
	struct lock *l;
	char *path, *text;
	int fd, tries;

	if ((fd = lock_open(dir, &path, cause)) == -1)
		return -1;
	for (tries = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; tries++) {
		if (errno != EWOULDBLOCK) {
			error_set(cause, _("scheduler lock %s: %s"), path,
			    strerror(errno));
			close(fd);
			free(path);
			return -1;
		}
		/*
		 * No holder written: a query's shared probe (lock_query), or
		 * a holder between its flock() and its write.  Both last
		 * an instant; only a named holder is a refusal.
		 */
		lock_read_holder(fd, &h);
		if (h.pid != 0 || tries >= LOCK_TRIES) {
			if (holder != NULL)
				*holder = h;
			close(fd);
			free(path);
			return 1;
		}
		nanosleep(&pause, NULL);
	}
	text = xasprintf("pid %ld\nlogin %s\nsince %lld\n", (long)getpid(),
	    util_login_name(), (long long)tu_now());
	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text)) {
		error_set(cause, _("scheduler lock %s: %s"), path,
		    strerror(errno));
		free(text);
		close(fd);
		free(path);
		return -1;
	}
	free(text);
	l = xcalloc(1, sizeof *l);
	l->fd = fd;
	l->path = path;
	*out = l;
	return 0;
}

char *
lock_describe(const char *dir, const struct lock_holder *h)
{
	char when[TU_DATETIME_BUF];

	return xasprintf(_("the scheduler of store %s is already held by "
	    "process %ld (%s) since %s"), dir, (long)h->pid, h->login,
	    tu_format_datetime(h->since, when));
}

void
lock_release(struct lock *l)
{
	if (l == NULL)
		return;
	/* Empties the file first: a reader between the two sees no holder. */
	if (ftruncate(l->fd, 0) != 0) {
		/* The lock itself still goes away with close(). */
	}
	close(l->fd);
	free(l->path);
	free(l);
}

int
lock_query(const char *dir, struct lock_holder *holder, char **cause)
{
	struct timespec pause = { 0, LOCK_PAUSE_MS * 1000000L };
	char *path;
	int fd, rc, tries;

	/*
	 * Read-only, and no file is no holder: a query creates nothing, so
	 * it works on a read-only store too.
	 */
	path = xasprintf("%s/%s", dir, LOCK_FILE);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		rc = errno == ENOENT ? 1 : error_set(cause,
		    _("scheduler lock %s: %s"), path, strerror(errno));
		free(path);
		return rc;
	}
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		rc = 1;
	} else if (errno == EWOULDBLOCK) {
		/* A holder that has not written itself yet does in an instant. */
		for (tries = 0; tries <= LOCK_TRIES; tries++) {
			lock_read_holder(fd, holder);
			if (holder->pid != 0)
				break;
			nanosleep(&pause, NULL);
		}
		rc = 0;
	} else
		rc = error_set(cause, _("scheduler lock %s: %s"), path,
		    strerror(errno));
	close(fd);
	free(path);
	return rc;
}
