/*
 * reseg segment recalc, log, history, start, stop: a segment's runs, the
 * one made now, the ones logged, the counts over time, and whether its
 * schedule makes more (reseg(1), "Segments" and "Schedules and the
 * scheduler").  A segment the caller may not see is answered as a
 * missing one (access.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "access.h"
#include "cli/cli.h"
#include "i18n.h"
#include "segment.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

struct cli_recalc_done {
	const struct segment	*seg;
	int			 json;
};

static void
cli_segment_recalc_print(const struct segment *s, int json, int dry,
    const struct run_record *r)
{
	cJSON *j;

	if (json) {
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "segment", s->name);
		cJSON_AddStringToObject(j, "database", s->db);
		cJSON_AddBoolToObject(j, "dry_run", dry);
		cJSON_AddItemToObject(j, "run", run_record_json(r));
		cli_print_json(j, 1);
	} else if (dry)
		printf(_("Dry run of segment '%s' (nothing saved): "
		    "added %s, removed %s, total %s.\n"), s->name,
		    cli_num(r->added), cli_num(r->removed), cli_num(r->total));
	else
		printf(_("Recalculated segment '%s' (run %u): added %s, "
		    "removed %s, total %s.\n"), s->name, (unsigned)r->id,
		    cli_num(r->added), cli_num(r->removed), cli_num(r->total));
	fflush(stdout);
}

/* The result goes out before the hooks run (README, "Run hooks"). */
static void
cli_segment_recalc_done(void *arg, const struct run_record *r)
{
	const struct cli_recalc_done *d = arg;

	cli_segment_recalc_print(d->seg, d->json, 0, r);
}

int
cli_segment_recalc(struct cli *cli, int argc, char **argv)
{
	int dry = 0;
	const struct cli_opt opts[] = {
	    CLI_FLAG("--dry-run", &dry,
		N_("compute the changes without saving them")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct recalc_opts o;
	struct run_record r;
	struct cli_recalc_done done;
	struct segment *s;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	memset(&o, 0, sizeof o);
	o.type = RUN_MANUAL;
	o.initiator = util_login_name();
	o.dry_run = dry;
	done.seg = s;
	done.json = cli->json;
	o.committed = cli_segment_recalc_done;
	o.committed_arg = &done;
	if (seg_recalc(st, pos.v[0], &o, &r, &cause) != 0) {
		run_record_clear(&r);
		seg_free(s);
		return cli_error_cause(cli, cause);
	}
	if (dry)
		cli_segment_recalc_print(s, cli->json, 1, &r);
	seg_free(s);
	run_record_clear(&r);
	return CLI_OK;
}

static cJSON *
cli_seg_log_json(const struct run_record *runs, size_t n)
{
	cJSON *a;
	size_t i;

	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, run_record_json(&runs[i]));
	return a;
}

static void
cli_seg_log_table(const struct run_record *runs, size_t n)
{
	char ***rows, buf[TU_DATETIME_BUF];
	size_t i;

	rows = xcalloc(n + 1, sizeof *rows);
	rows[0] = cli_table_row(9, xstrdup(_("RUN")), xstrdup(_("STARTED")),
	    xstrdup(_("ENDED")), xstrdup(_("TYPE")), xstrdup(_("INITIATOR")),
	    xstrdup(_("ADDED")), xstrdup(_("REMOVED")), xstrdup(_("TOTAL")),
	    xstrdup(_("STATUS")));
	for (i = 0; i < n; i++) {
		rows[i + 1] = cli_table_row(9,
		    xasprintf("%u", (unsigned)runs[i].id),
		    xstrdup(tu_format_datetime(runs[i].started_at, buf)),
		    cli_seg_time(runs[i].ended_at, "-"),
		    xstrdup(_(run_type_name(runs[i].type))),
		    xstrdup(runs[i].initiator),
		    cli_count(runs[i].added), cli_count(runs[i].removed),
		    cli_count(runs[i].total),
		    runs[i].error != NULL ? xasprintf("%s: %s",
		    _(run_status_name(runs[i].status)), runs[i].error) :
		    xstrdup(_(run_status_name(runs[i].status))));
	}
	cli_table("rllllrrrl", rows, n + 1, 9);
	cli_table_free(rows, n + 1, 9);
}

int
cli_segment_log(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct run_record *runs = NULL;
	struct store_txn *txn;
	struct segment *s = NULL;
	char *cause = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = access_get(txn, pos.v[0], &s, &cause);
	if (rc == 0)
		rc = seg_runs(txn, s->id, &runs, &n, &cause);
	seg_free(s);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json)
		cli_print_json(cli_seg_log_json(runs, n), 1);
	else if (n == 0)
		printf(_("Segment '%s' has no runs yet.\n"), pos.v[0]);
	else
		cli_seg_log_table(runs, n);
	run_records_free(runs, n);
	return CLI_OK;
}

/* --from / --to: a local date (whole day) or an ISO 8601 instant. */
static int
cli_seg_when(struct cli *cli, const char *opt, const char *s,
    const struct tz *tz, int end, int64_t *out)
{
	int32_t day;

	if (tu_parse_date(s, strlen(s), &day) == 0) {
		*out = tz_local_to_utc(tz, end ? day + 1 : day, 0) - (end ? 1 : 0);
		return 0;
	}
	if (tu_parse_datetime(s, strlen(s), 1, out) == 0)
		return 0;
	return cli_usage(cli, _("option '%s' needs a date (YYYY-MM-DD) or an "
	    "ISO 8601 time, not '%s'"), opt, s);
}

static char *
cli_seg_period(enum hist_group g, const struct hist_point *p)
{
	char buf[TU_DATETIME_BUF];
	int y, m, d;

	tu_civil_from_days(p->day, &y, &m, &d);
	switch (g) {
	case HIST_RUN:
		return xasprintf("%s", tu_format_datetime(p->at, buf));
	case HIST_DAY:
	case HIST_WEEK:
		return xasprintf("%04d-%02d-%02d", y, m, d);
	case HIST_MONTH:
		return xasprintf("%04d-%02d", y, m);
	case HIST_QUARTER:
		return xasprintf("%04d-Q%d", y, (m - 1) / 3 + 1);
	case HIST_YEAR:
		return xasprintf("%04d", y);
	}
	return xstrdup("?");
}

static cJSON *
cli_seg_history_json(enum hist_group g, const struct hist_point *pts,
    size_t n)
{
	cJSON *a, *o;
	char *label;
	size_t i;

	a = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		label = cli_seg_period(g, &pts[i]);
		cJSON_AddStringToObject(o, "period", label);
		free(label);
		if (g == HIST_RUN)
			cJSON_AddNumberToObject(o, "run_id", pts[i].run_id);
		else
			cJSON_AddNumberToObject(o, "runs", pts[i].nruns);
		cJSON_AddNumberToObject(o, "total", (double)pts[i].total);
		cJSON_AddNumberToObject(o, "added_automatic",
		    (double)pts[i].added_auto);
		cJSON_AddNumberToObject(o, "removed_automatic",
		    (double)pts[i].removed_auto);
		cJSON_AddNumberToObject(o, "added_manual",
		    (double)pts[i].added_manual);
		cJSON_AddNumberToObject(o, "removed_manual",
		    (double)pts[i].removed_manual);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void
cli_seg_history_table(enum hist_group g, const struct hist_point *pts,
    size_t n)
{
	char ***rows;
	size_t i;

	rows = xcalloc(n + 1, sizeof *rows);
	rows[0] = cli_table_row(7, xstrdup(g == HIST_RUN ? _("TIME") :
	    _("PERIOD")), xstrdup(g == HIST_RUN ? _("RUN") : _("RUNS")),
	    xstrdup(_("TOTAL")), xstrdup(_("+AUTO")), xstrdup(_("-AUTO")),
	    xstrdup(_("+MANUAL")), xstrdup(_("-MANUAL")));
	for (i = 0; i < n; i++)
		rows[i + 1] = cli_table_row(7, cli_seg_period(g, &pts[i]),
		    xasprintf("%u", g == HIST_RUN ? (unsigned)pts[i].run_id :
		    (unsigned)pts[i].nruns),
		    cli_count(pts[i].total), cli_count(pts[i].added_auto),
		    cli_count(pts[i].removed_auto),
		    cli_count(pts[i].added_manual),
		    cli_count(pts[i].removed_manual));
	cli_table("lrrrrrr", rows, n + 1, 7);
	cli_table_free(rows, n + 1, 7);
}

int
cli_segment_history(struct cli *cli, int argc, char **argv)
{
	const char *group = NULL, *from = NULL, *to = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--group", &group, "day|week|month|quarter|year",
		N_("one line a period, not a run")),
	    CLI_OPT("--from", &from, "D",
		N_("from local date or ISO 8601 time D on")),
	    CLI_OPT("--to", &to, "D",
		N_("up to local date or ISO 8601 time D (inclusive)")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct hist_point *pts = NULL;
	struct store_txn *txn = NULL;
	struct segment *s = NULL;
	struct tz *tz = NULL;
	enum hist_group g = HIST_RUN;
	int64_t tfrom = INT64_MIN, tto = INT64_MAX;
	char *cause = NULL;
	size_t n = 0;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto done;
	if (group != NULL && hist_group_parse(group, &g) != 0) {
		rc = cli_usage(cli, _("unknown grouping '%s' (run, day, week, "
		    "month, quarter or year)"), group);
		goto done;
	}
	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		goto done;
	if (access_get(txn, pos.v[0], &s, &cause) != 0 ||
	    (tz = tz_open(s->has_sched ? s->sched.tz : NULL, &cause)) == NULL) {
		rc = cli_error_cause(cli, cause);
		goto done;
	}
	if ((from != NULL &&
	    (rc = cli_seg_when(cli, "--from", from, tz, 0, &tfrom)) != 0) ||
	    (to != NULL &&
	    (rc = cli_seg_when(cli, "--to", to, tz, 1, &tto)) != 0))
		goto done;
	if (tfrom > tto) {
		rc = cli_usage(cli, _("option '--from' (%s) is after option "
		    "'--to' (%s)"), from, to);
		goto done;
	}
	if (seg_history(txn, s->id, g, tfrom, tto, NULL, &pts, &n,
	    &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto done;
	}
	if (cli->json)
		cli_print_json(cli_seg_history_json(g, pts, n), 1);
	else if (n == 0)
		printf(_("Segment '%s' has no completed runs in this "
		    "period.\n"), s->name);
	else
		cli_seg_history_table(g, pts, n);
	rc = CLI_OK;
done:
	free(pts);
	if (tz != NULL)
		tz_close(tz);
	seg_free(s);
	if (txn != NULL)
		store_read_end(txn);
	return rc;
}

static int
cli_seg_state_cmd(struct cli *cli, int argc, char **argv,
    enum seg_state state)
{
	struct cli_args pos;
	struct segment *s;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		return rc;
	if (seg_set_state(st, pos.v[0], state, &cause) != 0)
		return cli_error_cause(cli, cause);
	if ((rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	if (state == SEG_STOPPED)
		printf(_("Segment '%s' is stopped; its schedule is kept.\n"),
		    pos.v[0]);
	else {
		printf(_("Segment '%s' is active.\n"), pos.v[0]);
		cli_seg_print_next(s);
	}
	seg_free(s);
	return CLI_OK;
}

int
cli_segment_start(struct cli *cli, int argc, char **argv)
{
	return cli_seg_state_cmd(cli, argc, argv, SEG_ACTIVE);
}

int
cli_segment_stop(struct cli *cli, int argc, char **argv)
{
	return cli_seg_state_cmd(cli, argc, argv, SEG_STOPPED);
}
