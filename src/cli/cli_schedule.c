/*
 * reseg schedule next, reseg daemon, reseg status: schedules tried out,
 * the scheduler run without the UI, and what it is doing (reseg(1),
 * "Schedules and the scheduler").
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "i18n.h"
#include "lock.h"
#include "loop.h"
#include "sched.h"
#include "scheduler.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

/*
 * No run at all after the moment: an error, as a query with nothing to
 * answer (a schedule that ends before --count runs prints what it has).
 */
static int
cli_schedule_none(struct cli *cli, const struct sched *s, int64_t after,
    int given)
{
	char buf[TU_DATETIME_BUF], *text, *cause = NULL;
	int rc;

	if (!given) {
		if (sched_check_runs(s, after, &cause) != 0)
			return cli_error_cause(cli, cause);
	}
	if (sched_past_limit(s, after, &cause) != 0)
		return cli_error_cause(cli, cause);
	text = sched_format(s);
	rc = cli_error(cli, _("the schedule has no run after %s (%s is past)"),
	    tu_format_datetime(after, buf), text);
	free(text);
	return rc;
}

int
cli_schedule_next(struct cli *cli, int argc, char **argv)
{
	const char *text = NULL, *after_s = NULL, *count_s = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--after", &after_s, "ISO",
		N_("the times after ISO (default: now)")),
	    CLI_OPT("--count", &count_s, "N",
		N_("how many times to print (default 5)")),
	    CLI_OPT_END };
	char buf[TU_DATETIME_BUF], *cause = NULL;
	struct sched s;
	int64_t after, next, count = 5, k;
	cJSON *a = NULL;
	int i, rc;

	/* Not cli_parse_args: the messages differ, and "--" is no mark. */
	if ((rc = cli_complete_opts(cli, opts)) != 0)
		return rc;
	if (cli->help)
		return cli_help(cli, opts);
	for (i = 1; i < argc; i++) {
		if ((rc = cli_opt_take(cli, argc, argv, &i, opts)) < 0)
			return CLI_USAGE;
		if (rc > 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, _("unknown option '%s'"), argv[i]);
		else if (text == NULL)
			text = argv[i];
		else
			return cli_usage(cli, _("the schedule must be one "
			    "argument (quote it)"));
	}
	if (text == NULL)
		return cli_usage(cli, _("a schedule text is needed"));
	if (after_s != NULL) {
		if (tu_parse_datetime(after_s, strlen(after_s), 0, &after) != 0)
			return cli_usage(cli, _("invalid --after '%s' (expected "
			    "ISO 8601, e.g. 2026-03-08T07:30:00Z)"), after_s);
	} else
		after = tu_now();
	if (count_s != NULL && (parse_int64(count_s, strlen(count_s),
	    &count) != 0 || count < 1 || count > 100000))
		return cli_usage(cli, _("invalid --count '%s' (expected 1 to "
		    "100000)"), count_s);
	/* "Saved" at --after: every-N counting starts on that day. */
	if (sched_parse(text, after, &s, &cause) != 0) {
		rc = cli_usage(cli, "%s", cause);
		free(cause);
		return rc;
	}
	if (cli->json)
		a = cJSON_CreateArray();
	for (k = 0; k < count; k++) {
		rc = sched_next(&s, after, &next, &cause);
		if (rc < 0) {
			cJSON_Delete(a);
			return cli_error_cause(cli, cause);
		}
		if (rc == 1 && k == 0) {
			cJSON_Delete(a);
			return cli_schedule_none(cli, &s, after,
			    after_s != NULL);
		}
		if (rc == 1)
			break;
		if (a != NULL)
			cJSON_AddItemToArray(a, cJSON_CreateString(
			    tu_format_datetime(next, buf)));
		else
			printf("%s\n", tu_format_datetime(next, buf));
		after = next;
	}
	if (a != NULL)
		cli_print_json(a, 1);
	return CLI_OK;
}

/* ------------------------------------------------------------------ */
/* daemon                                                               */
/* ------------------------------------------------------------------ */

struct cli_daemon {
	int		 use_syslog;
	int		 signo;
	struct scheduler *sch;
};

static void
cli_daemon_log(void *arg, enum sched_log level, const char *msg)
{
	struct cli_daemon *d = arg;
	char buf[TU_DATETIME_BUF], *text;
	int prio;

	if (d->use_syslog) {
		prio = level == SCHED_LOG_ERROR ? LOG_ERR :
		    level == SCHED_LOG_WARNING ? LOG_WARNING : LOG_INFO;
		/* One record a message: no newline may split it. */
		text = util_escape_controls(msg);
		syslog(prio, "%s", text);
		free(text);
		return;
	}
	cli_eprintf("%s reseg[%ld]: %s\n",
	    tu_format_datetime((int64_t)time(NULL), buf), (long)getpid(), msg);
	fflush(stderr);
}

static void
cli_daemon_signal(struct loop *loop, int signo, void *arg)
{
	struct cli_daemon *d = arg;

	d->signo = signo;
	loop_exit(loop);
}

/* SIGHUP (systemctl reload, a closed terminal): read the segments again. */
static void
cli_daemon_hup(struct loop *loop, int signo, void *arg)
{
	struct cli_daemon *d = arg;
	char *msg;

	msg = xasprintf(_("signal %d: reading the segments again"), signo);
	cli_daemon_log(d, SCHED_LOG_INFO, msg);
	free(msg);
	if (d->sch != NULL)
		scheduler_reload(d->sch);
}

int
cli_daemon(struct cli *cli, int argc, char **argv)
{
	struct cli_daemon d = { 0, 0, NULL };
	struct scheduler_opts o;
	struct scheduler *sch = NULL;
	struct lock_holder h;
	struct lock *lk = NULL;
	struct store *st;
	struct loop *loop;
	const char *v = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--catch-up-grace", &v, "DUR",
		N_("run a missed slot up to DUR late (24h, 90m, 2d; 0: "
		"never)")),
	    CLI_FLAG("--syslog", &d.use_syslog,
		N_("log to syslog, not standard error")),
	    CLI_OPT_END };
	char *cause = NULL, *msg;
	int64_t grace = SCHEDULER_GRACE_DEFAULT;
	int i, rc;

	if ((rc = cli_complete_opts(cli, opts)) != 0)
		return rc;
	if (cli->help)
		return cli_help(cli, opts);
	for (i = 1; i < argc; i++) {
		if ((rc = cli_opt_take(cli, argc, argv, &i, opts)) < 0)
			return CLI_USAGE;
		if (rc == 0)
			return cli_usage(cli, _("unknown argument '%s'"), argv[i]);
		if (v != NULL && scheduler_parse_duration(v, &grace) != 0)
			return cli_usage(cli, _("invalid --catch-up-grace "
			    "'%s' (expected a duration such as 24h, 90m, "
			    "2d or 0)"), v);
	}
	if (v != NULL && scheduler_parse_duration(v, &grace) != 0)
		return cli_usage(cli, _("invalid --catch-up-grace '%s' (expected "
		    "a duration such as 24h, 90m, 2d or 0)"), v);
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	rc = lock_acquire(store_path(st), &lk, &h, &cause);
	if (rc < 0)
		return cli_error_cause(cli, cause);
	/* Not a failure to retry: restarting would find the lock held. */
	if (rc == 1) {
		cli_error_cause(cli, lock_describe(store_path(st), &h));
		return CLI_LOCKED;
	}
	if (d.use_syslog)
		openlog("reseg", LOG_PID, LOG_DAEMON);

	memset(&o, 0, sizeof o);
	o.grace = grace;
	o.log = cli_daemon_log;
	o.arg = &d;
	loop = loop_new();
	loop_signal(loop, SIGTERM, cli_daemon_signal, &d);
	loop_signal(loop, SIGINT, cli_daemon_signal, &d);
	loop_signal(loop, SIGHUP, cli_daemon_hup, &d);
	signal(SIGPIPE, SIG_IGN);
	if (scheduler_new(st, loop, &o, &sch, &cause) != 0) {
		loop_free(loop);
		lock_release(lk);
		return cli_error_cause(cli, cause);
	}
	d.sch = sch;
	msg = xasprintf(ngettext_("scheduler started for store %s (catch-up "
	    "window %lld second)", "scheduler started for store %s (catch-up "
	    "window %lld seconds)", (unsigned long)grace), store_path(st),
	    (long long)grace);
	cli_daemon_log(&d, SCHED_LOG_INFO, msg);
	free(msg);
	rc = loop_run(loop);
	if (d.signo != 0) {
		msg = xasprintf(_("signal %d: stopping"), d.signo);
		cli_daemon_log(&d, SCHED_LOG_INFO, msg);
		free(msg);
	}
	/* Says which run, if any, is abandoned (logged as Error). */
	d.sch = NULL;
	scheduler_free(sch, 0);
	loop_free(loop);
	lock_release(lk);
	cli_daemon_log(&d, SCHED_LOG_INFO, _("scheduler stopped"));
	if (d.use_syslog)
		closelog();
	return rc == 0 ? CLI_OK : CLI_FAIL;
}

/* ------------------------------------------------------------------ */
/* status                                                               */
/* ------------------------------------------------------------------ */

static cJSON *
cli_status_time(int64_t t)
{
	char buf[TU_DATETIME_BUF];

	if (t <= 0)
		return cJSON_CreateNull();
	return cJSON_CreateString(tu_format_datetime(t, buf));
}

/*
 * {"holder": {"pid", "login", "started_at"} or null, "running": [names],
 * "stale": [{"name", "due_at", "last_success_at"}]}.
 */
static cJSON *
cli_status_json(const struct lock_holder *h, struct segment **segs, size_t n,
    int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *j, *run, *stale;
	int64_t slot;
	size_t i;

	if (h != NULL) {
		j = cJSON_AddObjectToObject(o, "holder");
		cJSON_AddNumberToObject(j, "pid", (double)h->pid);
		cJSON_AddStringToObject(j, "login", h->login);
		cJSON_AddItemToObject(j, "started_at",
		    cli_status_time(h->since));
	} else
		cJSON_AddNullToObject(o, "holder");
	run = cJSON_AddArrayToObject(o, "running");
	stale = cJSON_AddArrayToObject(o, "stale");
	for (i = 0; i < n; i++) {
		if (seg_is_updating(segs[i]))
			cJSON_AddItemToArray(run,
			    cJSON_CreateString(segs[i]->name));
		if (!seg_stale(segs[i], now, &slot))
			continue;
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "name", segs[i]->name);
		cJSON_AddItemToObject(j, "due_at", cli_status_time(slot));
		cJSON_AddItemToObject(j, "last_success_at",
		    cli_status_time(segs[i]->last_success_at));
		cJSON_AddItemToArray(stale, j);
	}
	return o;
}

int
cli_status(struct cli *cli, int argc, char **argv)
{
	struct lock_holder h;
	struct store *st;
	struct store_txn *txn;
	struct segment **segs = NULL;
	char *cause = NULL, b1[TU_DATETIME_BUF], b2[TU_DATETIME_BUF];
	int64_t now = tu_now(), slot;
	size_t n = 0, i, nrun = 0, nstale = 0;
	int held, rc;

	if ((rc = cli_complete_opts(cli, NULL)) != 0)
		return rc;
	if (cli->help)
		return cli_help(cli, NULL);
	if (argc > 1)
		return cli_usage(cli, _("unknown argument '%s'"), argv[1]);
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if ((held = lock_query(store_path(st), &h, &cause)) < 0)
		return cli_error_cause(cli, cause);
	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = seg_list(txn, &segs, &n, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json) {
		cli_print_json(cli_status_json(held == 0 ? &h : NULL, segs, n,
		    now), 1);
		seg_list_free(segs, n);
		return CLI_OK;
	}
	if (held == 0)
		printf(_("scheduler: process %ld (%s) since %s\n"), (long)h.pid,
		    h.login, tu_format_datetime(h.since, b1));
	else
		printf(_("scheduler: none\n"));
	for (i = 0; i < n; i++) {
		if (!seg_is_updating(segs[i]))
			continue;
		if (nrun++ == 0)
			printf(_("running:\n"));
		printf("  %s\n", segs[i]->name);
	}
	if (nrun == 0)
		printf(_("running: none\n"));
	for (i = 0; i < n; i++) {
		struct segment *s = segs[i];

		if (!seg_stale(s, now, &slot))
			continue;
		if (nstale++ == 0)
			printf(_("stale:\n"));
		if (s->last_success_at > 0)
			printf(_("  %s: last success %s, a run was due at %s\n"),
			    s->name, tu_format_datetime(s->last_success_at, b1),
			    tu_format_datetime(slot, b2));
		else
			printf(_("  %s: never succeeded, a run was due at %s\n"),
			    s->name, tu_format_datetime(slot, b2));
	}
	if (nstale == 0)
		printf(_("stale: none\n"));
	seg_list_free(segs, n);
	return CLI_OK;
}
