/*
 * reseg query add, list, show, run and drop: external data queries for
 * "FIELD in query NAME" (reseg(1), "External data queries"); a thin
 * layer over extquery.h.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "extquery.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

/* A whole number of at least min for option opt; the usage status if not. */
static int
cli_query_number(struct cli *cli, const char *opt, const char *s,
    int64_t min, int64_t *out)
{
	if (parse_int64(s, strlen(s), out) != 0 || *out < min ||
	    *out > INT32_MAX)
		return cli_usage(cli, _("%s takes a whole number from %lld, "
		    "found '%s'"), opt, (long long)min, s);
	return CLI_OK;
}

int
cli_query_add(struct cli *cli, int argc, char **argv)
{
	const char *conninfo = NULL, *sql = NULL, *cache = NULL,
	    *timeout = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--postgres", &conninfo, "CONNINFO",
		N_("the server: a libpq connection string or URI, no "
		"password")),
	    CLI_OPT("--sql", &sql, "SQL",
		N_("the statement; its first column gives the values")),
	    CLI_OPT("--cache", &cache, "MINUTES",
		N_("reuse the values this long (default 0: fetch every run)")),
	    CLI_OPT("--timeout", &timeout, "SECONDS",
		N_("the statement's time limit (default 60)")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	struct extq def;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if (conninfo == NULL)
		return cli_usage(cli, _("--postgres is required"));
	if (sql == NULL)
		return cli_usage(cli, _("--sql is required"));
	memset(&def, 0, sizeof def);
	def.name = pos.v[0];
	def.conninfo = (char *)conninfo;
	def.sql = (char *)sql;
	def.timeout = EXTQ_DEFAULT_TIMEOUT;
	if ((cache != NULL && (rc = cli_query_number(cli, "--cache", cache,
	    0, &def.cache_minutes)) != CLI_OK) ||
	    (timeout != NULL && (rc = cli_query_number(cli, "--timeout",
	    timeout, 1, &def.timeout)) != CLI_OK))
		return rc;
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (extquery_add(st, &def, &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Added query '%s'.\n"), def.name);
	return CLI_OK;
}

/* How long ago t was, in the largest whole unit ("42s", "5m", "3h", "2d"). */
static char *
cli_query_age(int64_t t, int64_t now)
{
	int64_t d = now > t ? now - t : 0;

	if (t == 0)
		return xstrdup(_("never"));
	if (d < 60)
		return xasprintf("%llds", (long long)d);
	if (d < 3600)
		return xasprintf("%lldm", (long long)(d / 60));
	if (d < 86400)
		return xasprintf("%lldh", (long long)(d / 3600));
	return xasprintf("%lldd", (long long)(d / 86400));
}

/* "5m ago", or "never". */
static char *
cli_query_fetched(int64_t t, int64_t now)
{
	char *age, *s;

	age = cli_query_age(t, now);
	if (t == 0)
		return age;
	s = xasprintf(_("%s ago"), age);
	free(age);
	return s;
}

static cJSON *
cli_query_json(const struct extq *q, int64_t now)
{
	cJSON *o;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", q->name);
	cJSON_AddStringToObject(o, "conninfo", q->conninfo);
	cJSON_AddStringToObject(o, "sql", q->sql);
	cJSON_AddNumberToObject(o, "cache_minutes", (double)q->cache_minutes);
	cJSON_AddNumberToObject(o, "timeout", (double)q->timeout);
	cJSON_AddItemToObject(o, "created_at", cli_seg_time_json(q->created_at));
	cJSON_AddItemToObject(o, "fetched_at", cli_seg_time_json(q->fetched_at));
	if (q->fetched_at != 0)
		cJSON_AddNumberToObject(o, "rows", (double)q->nvalues);
	else
		cJSON_AddNullToObject(o, "rows");
	cJSON_AddBoolToObject(o, "fresh", extq_fresh(q, now));
	return o;
}

int
cli_query_list(struct cli *cli, int argc, char **argv)
{
	struct store_txn *txn;
	struct extq **v = NULL;
	char *cause = NULL, ***rows;
	size_t n = 0, i;
	int64_t now = tu_now();
	cJSON *arr;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, NULL, 0, 0)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = extq_list(txn, &v, &n, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json) {
		arr = cJSON_CreateArray();
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, cli_query_json(v[i], now));
		cli_print_json(arr, 1);
	} else if (n == 0)
		printf(_("No queries.\n"));
	else {
		rows = xcalloc(n + 1, sizeof *rows);
		rows[0] = cli_table_row(4, xstrdup(_("NAME")),
		    xstrdup(_("CACHE")), xstrdup(_("ROWS")),
		    xstrdup(_("FETCHED")));
		for (i = 0; i < n; i++)
			rows[i + 1] = cli_table_row(4, xstrdup(v[i]->name),
			    xasprintf("%lldm", (long long)v[i]->cache_minutes),
			    v[i]->fetched_at != 0 ? cli_count(v[i]->nvalues) :
			    xstrdup("-"),
			    cli_query_fetched(v[i]->fetched_at, now));
		cli_table("lrrl", rows, n + 1, 4);
		cli_table_free(rows, n + 1, 4);
	}
	extq_list_free(v, n);
	return CLI_OK;
}

int
cli_query_show(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store_txn *txn;
	struct extq *q = NULL;
	char buf[TU_DATETIME_BUF], *cause = NULL, *age;
	int64_t now = tu_now();
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = extq_get(txn, pos.v[0], &q, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json) {
		cli_print_json(cli_query_json(q, now), 1);
		extq_free(q);
		return CLI_OK;
	}
	printf(_("Query:      %s\n"), q->name);
	printf(_("Connection: %s\n"), q->conninfo);
	printf(_("Cache:      %lld minutes\n"), (long long)q->cache_minutes);
	printf(_("Timeout:    %lld seconds\n"), (long long)q->timeout);
	printf(_("Created:    %s\n"), tu_format_datetime(q->created_at, buf));
	if (q->fetched_at == 0)
		printf(_("Cached:     nothing yet\n"));
	else {
		age = cli_query_age(q->fetched_at, now);
		printf(ngettext_("Cached:     %s row, fetched %s (%s ago, "
		    "%s)\n", "Cached:     %s rows, fetched %s (%s ago, %s)\n",
		    (unsigned long)q->nvalues), cli_num(q->nvalues),
		    tu_format_datetime(q->fetched_at, buf), age,
		    extq_fresh(q, now) ? _("fresh") : _("expired"));
		free(age);
	}
	printf(_("SQL:\n"));
	printf("  %s\n", q->sql);
	extq_free(q);
	return CLI_OK;
}

int
cli_query_run(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store *st;
	struct extq *q = NULL;
	char *cause = NULL;
	size_t i;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (extquery_run(st, pos.v[0], &q, &cause) != 0)
		return cli_error_cause(cli, cause);
	for (i = 0; i < q->nvalues; i++)
		printf("%s\n", q->values[i]);
	extq_free(q);
	return CLI_OK;
}

int
cli_query_drop(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (extquery_drop(st, pos.v[0], &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Dropped query '%s'.\n"), pos.v[0]);
	return CLI_OK;
}
