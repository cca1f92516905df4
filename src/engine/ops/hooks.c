/*
 * Run hooks (README, "Run hooks"): after a recalculation, the segment's
 * hook and then the store-wide one run with the run's JSON summary on
 * stdin, under a timeout, their output and failures going to
 * STORE/hooks.log; and the hook settings kept in the store.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "access.h"
#include "hooks.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

extern char **environ;

#define HOOKS_META_CMD		"hook"
#define HOOKS_META_TIMEOUT	"hook_timeout"

/* The JSON summary given to hooks (caller frees with cJSON_Delete). */
static cJSON *
hooks_summary(const struct store *st, const struct segment *s,
    const struct run_record *r)
{
	cJSON *o;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "store", store_path(st));
	cJSON_AddStringToObject(o, "segment", s->name);
	cJSON_AddNumberToObject(o, "segment_id", s->id);
	cJSON_AddStringToObject(o, "database", s->db);
	cJSON_AddItemToObject(o, "run", run_record_json(r));
	return o;
}

/*
 * Opens STORE/hooks.log for appending, first renaming it to hooks.log.1
 * (replacing the older one) once it has reached HOOKS_LOG_MAX bytes.
 */
static FILE *
hooks_log_open(const struct store *st)
{
	struct stat sb;
	char *path, *old;
	FILE *f;
	int fd;

	path = xasprintf("%s/hooks.log", store_path(st));
	if (stat(path, &sb) == 0 && sb.st_size >= HOOKS_LOG_MAX) {
		old = xasprintf("%s.1", path);
		rename(path, old);
		free(old);
	}
	f = NULL;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    util_store_file_mode(store_path(st)));
	if (fd != -1) {
		util_store_file_fix(fd, store_path(st));
		if ((f = fdopen(fd, "a")) == NULL)
			close(fd);
	}
	free(path);
	return f;
}

static void
hooks_log(const struct store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Appends one line to STORE/hooks.log; a log that cannot be written is
 * not worth failing anything for.
 */
static void
hooks_log(const struct store *st, const char *fmt, ...)
{
	char buf[TU_DATETIME_BUF], *msg;
	va_list ap;
	FILE *f;

	if ((f = hooks_log_open(st)) == NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	fprintf(f, "%s %s\n", tu_format_datetime(tu_now(), buf), msg);
	free(msg);
	fclose(f);
}

/*
 * What a hook wrote: the first HOOKS_OUTPUT_KEEP bytes and a count of the
 * rest.
 */
struct hooks_output {
	char		 buf[HOOKS_OUTPUT_KEEP];
	size_t		 len;
	uint64_t	 dropped;
};

/* Reads what is there without blocking; 1 at end of file, else 0. */
static int
hooks_output_read(int fd, struct hooks_output *out)
{
	char chunk[4096];
	size_t keep;
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == 0)
			return 1;
		if (n < 0)
			return errno == EINTR ? 0 : errno != EAGAIN &&
			    errno != EWOULDBLOCK;
		keep = sizeof out->buf - out->len;
		if (keep > (size_t)n)
			keep = (size_t)n;
		memcpy(out->buf + out->len, chunk, keep);
		out->len += keep;
		out->dropped += (uint64_t)n - keep;
	}
}

/*
 * Appends the kept output to hooks.log, each line under the time and the
 * hook's name (grep finds a run's lines), with a note of what was
 * dropped.
 */
static void
hooks_output_log(const struct store *st, const char *who,
    const struct hooks_output *out)
{
	char buf[TU_DATETIME_BUF];
	const char *p, *end = out->buf + out->len, *nl;
	FILE *f;

	if (out->len > 0 && (f = hooks_log_open(st)) != NULL) {
		tu_format_datetime(tu_now(), buf);
		for (p = out->buf; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			fprintf(f, "%s ", buf);
			fprintf(f, _("%s output: %.*s\n"), who, (int)(nl - p),
			    p);
		}
		fclose(f);
	}
	if (out->dropped > 0)
		hooks_log(st, ngettext_("%s: %llu more byte of output was "
		    "dropped (only the first %d are kept)", "%s: %llu more "
		    "bytes of output were dropped (only the first %d are kept)",
		    out->dropped), who, (unsigned long long)out->dropped,
		    HOOKS_OUTPUT_KEEP);
}

static int64_t
hooks_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
hooks_write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Forks the hook: /bin/sh -c cmd in its own process group, stdin from
 * in, stdout and stderr to out.  Everything the child needs is prepared
 * before the fork: between fork and exec a threaded process (the UI, the
 * daemon) may only make async-signal-safe calls, so no malloc and no
 * setenv there.  Returns the pid, or -1 with errno set by fork.
 */
static pid_t
hooks_spawn(const struct store *st, const struct segment *s,
    const struct run_record *r, const char *cmd, int in, int out)
{
	char idbuf[16], **envp, *mine[4];
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)cmd, NULL };
	size_t nenv, i, j;
	pid_t pid;

	snprintf(idbuf, sizeof idbuf, "%u", r->id);
	for (nenv = 0; environ[nenv] != NULL; nenv++)
		continue;
	envp = xcalloc(nenv + 5, sizeof *envp);
	for (i = j = 0; i < nenv; i++)
		if (strncmp(environ[i], "RESEG_STORE=", 12) != 0 &&
		    strncmp(environ[i], "RESEG_SEGMENT=", 14) != 0 &&
		    strncmp(environ[i], "RESEG_RUN_ID=", 13) != 0 &&
		    strncmp(environ[i], "RESEG_STATUS=", 13) != 0)
			envp[j++] = environ[i];
	mine[0] = envp[j++] = xasprintf("RESEG_STORE=%s", store_path(st));
	mine[1] = envp[j++] = xasprintf("RESEG_SEGMENT=%s", s->name);
	mine[2] = envp[j++] = xasprintf("RESEG_RUN_ID=%s", idbuf);
	mine[3] = envp[j++] = xasprintf("RESEG_STATUS=%s",
	    run_status_name(r->status));
	envp[j] = NULL;
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		signal(SIGPIPE, SIG_DFL);
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	for (i = 0; i < 4; i++)
		free(mine[i]);
	free(envp);
	return pid;
}

/*
 * Writes the JSON to the hook's stdin and closes it.  A hook that does
 * not read it must not kill us with SIGPIPE, so SIGPIPE is blocked in
 * this thread and a pending one is consumed.
 */
static void
hooks_feed(int fd, const char *json)
{
	sigset_t pipeset, oldset;
	struct timespec ts = { 0, 0 };

	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipeset, &oldset);
	hooks_write_all(fd, json, strlen(json));
	close(fd);
	while (sigtimedwait(&pipeset, NULL, &ts) == SIGPIPE)
		continue;
	pthread_sigmask(SIG_SETMASK, &oldset, NULL);
}

/*
 * Waits for the hook, killing its process group after timeout seconds,
 * and reads its output meanwhile (a full pipe would stop it); only the
 * first HOOKS_OUTPUT_KEEP bytes are kept for hooks.log.  Returns its wait
 * status, -1 when it cannot be waited for, -2 when it was killed.
 */
static int
hooks_wait(pid_t pid, int fd, int timeout, struct hooks_output *out)
{
	struct pollfd pf;
	int64_t deadline;
	int status, eof = 0;
	pid_t w;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	deadline = hooks_clock_ms() + (int64_t)timeout * 1000;
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = -1;
			break;
		}
		if (hooks_clock_ms() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -2;
			break;
		}
		if (eof) {
			nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 },
			    NULL);
			continue;
		}
		pf.fd = fd;
		pf.events = POLLIN;
		if (poll(&pf, 1, 10) > 0)
			eof = hooks_output_read(fd, out);
	}
	/* What is left; a background child of the hook may keep it open. */
	if (!eof)
		hooks_output_read(fd, out);
	return status;
}

/* 0 for a hook that exited with status 0, else -1 with *cause. */
static int
hooks_status(const char *who, const char *cmd, int timeout, int status,
    char **cause)
{
	if (status == -2)
		return error_set(cause, ngettext_("%s: '%s' did not finish "
		    "within %d second and was killed", "%s: '%s' did not finish "
		    "within %d seconds and was killed", timeout), who, cmd,
		    timeout);
	if (status == -1)
		return error_set(cause, _("%s: cannot wait for '%s': %s"), who,
		    cmd, strerror(errno));
	if (WIFSIGNALED(status))
		return error_set(cause, _("%s: '%s' was killed by signal %d"),
		    who, cmd, WTERMSIG(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return error_set(cause, _("%s: '%s' exited with status %d"),
		    who, cmd, WEXITSTATUS(status));
	return 0;
}

/*
 * Runs one command with the JSON on its stdin; returns 0 when it exited
 * with status 0 in time, else -1 with *cause.
 */
static int
hooks_exec(const struct store *st, const struct segment *s,
    const struct run_record *r, const char *who, const char *cmd,
    const char *json, int timeout, char **cause)
{
	struct hooks_output *out;
	int pfd[2], ofd[2], status;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return error_set(cause, _("%s: cannot create a pipe: %s"),
		    who, strerror(errno));
	if (pipe2(ofd, O_CLOEXEC) != 0) {
		close(pfd[0]);
		close(pfd[1]);
		return error_set(cause, _("%s: cannot create a pipe: %s"),
		    who, strerror(errno));
	}
	out = xcalloc(1, sizeof *out);
	pid = hooks_spawn(st, s, r, cmd, pfd[0], ofd[1]);
	close(ofd[1]);
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		close(ofd[0]);
		free(out);
		return error_set(cause, _("%s: cannot start '%s': %s"), who,
		    cmd, strerror(errno));
	}
	setpgid(pid, pid);
	close(pfd[0]);
	hooks_feed(pfd[1], json);
	status = hooks_wait(pid, ofd[0], timeout, out);
	close(ofd[0]);
	hooks_output_log(st, who, out);
	free(out);
	return hooks_status(who, cmd, timeout, status, cause);
}

static int
hooks_meta_get(struct store_txn *txn, const char *key, char **out,
    char **cause)
{
	const void *v;
	size_t vl;
	int rc;

	*out = NULL;
	rc = store_get(txn, STORE_META, key, strlen(key), &v, &vl, cause);
	if (rc < 0)
		return -1;
	if (rc == 0 && vl > 0)
		*out = xstrndup(v, vl);
	return 0;
}

int
hooks_get_global(struct store_txn *txn, char **command, char **cause)
{
	return hooks_meta_get(txn, HOOKS_META_CMD, command, cause);
}

int
hooks_get_timeout(struct store_txn *txn, int *seconds, char **cause)
{
	char *v;
	int64_t n;

	*seconds = HOOKS_DEFAULT_TIMEOUT;
	if (hooks_meta_get(txn, HOOKS_META_TIMEOUT, &v, cause) != 0)
		return -1;
	if (v != NULL && parse_int64(v, strlen(v), &n) == 0 && n > 0 &&
	    n <= 86400)
		*seconds = (int)n;
	free(v);
	return 0;
}

int
hooks_run_after(struct store *st, const char *segment,
    const struct run_record *r, char **cause)
{
	struct store_txn *txn;
	struct segment *s = NULL;
	char *global = NULL, *json, *text, *why = NULL, *who[2];
	const char *cmds[2];
	int timeout = HOOKS_DEFAULT_TIMEOUT, failed = 0, i, n = 0;
	cJSON *sum;

	if (r == NULL || r->id == 0)
		return 0;
	if (store_read_begin(st, &txn, &why) != 0)
		goto fail;
	if (seg_get(txn, segment, &s, &why) != 0 ||
	    hooks_get_global(txn, &global, &why) != 0 ||
	    hooks_get_timeout(txn, &timeout, &why) != 0) {
		store_read_end(txn);
		goto fail;
	}
	store_read_end(txn);
	/* Every line of hooks.log names the hook, its segment and run. */
	if (s->hook != NULL && *s->hook != '\0') {
		who[n] = xasprintf(_("hook of segment '%s' (run %u)"),
		    s->name, r->id);
		cmds[n++] = s->hook;
	}
	if (global != NULL && *global != '\0') {
		who[n] = xasprintf(_("store-wide hook (segment '%s', run %u)"),
		    s->name, r->id);
		cmds[n++] = global;
	}
	if (n == 0) {
		free(global);
		seg_free(s);
		return 0;
	}
	/* One line of JSON Lines: `cat >>file` collects them. */
	sum = hooks_summary(st, s, r);
	text = cJSON_PrintUnformatted(sum);
	cJSON_Delete(sum);
	json = xasprintf("%s\n", text);
	cJSON_free(text);
	for (i = 0; i < n; i++) {
		if (hooks_exec(st, s, r, who[i], cmds[i], json, timeout,
		    &why) != 0) {
			hooks_log(st, "%s", why);
			if (failed++ == 0 && cause != NULL && *cause == NULL)
				*cause = why;
			else
				free(why);
			why = NULL;
		}
		free(who[i]);
	}
	free(json);
	free(global);
	seg_free(s);
	return failed;
fail:
	hooks_log(st, _("hooks of segment '%s' (run %u) not run: %s"),
	    segment, r->id, why != NULL ? why : "");
	if (cause != NULL && *cause == NULL)
		*cause = why;
	else
		free(why);
	return 1;
}

struct hooks_meta_arg {
	const char	*key;
	const char	*value;
};

static int
hooks_meta_cb(struct store_txn *txn, void *arg0, char **cause)
{
	struct hooks_meta_arg *a = arg0;

	if (a->value == NULL)
		return store_del(txn, STORE_META, a->key, strlen(a->key), cause);
	return store_put(txn, STORE_META, a->key, strlen(a->key), a->value,
	    strlen(a->value), cause);
}

int
hooks_set_global(struct store *st, const char *command, char **cause)
{
	struct hooks_meta_arg a = { HOOKS_META_CMD, command };

	if (command != NULL && *command == '\0')
		a.value = NULL;
	return store_write(st, hooks_meta_cb, &a, cause);
}

int
hooks_set_timeout(struct store *st, int seconds, char **cause)
{
	char buf[16];
	struct hooks_meta_arg a = { HOOKS_META_TIMEOUT, buf };

	if (seconds < 1 || seconds > 86400)
		return error_set(cause, _("a hook timeout must be between 1 "
		    "and 86400 seconds"));
	snprintf(buf, sizeof buf, "%d", seconds);
	return store_write(st, hooks_meta_cb, &a, cause);
}

int
hooks_set_segment(struct store *st, const char *segment, const char *command,
    char **cause)
{
	struct store_txn *txn;
	struct segment *s;
	int rc;

	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	rc = access_get(txn, segment, &s, cause);
	store_read_end(txn);
	if (rc != 0)
		return -1;
	free(s->hook);
	s->hook = command != NULL && *command != '\0' ? xstrdup(command) :
	    NULL;
	rc = seg_update(st, segment, s, cause);
	seg_free(s);
	return rc;
}
