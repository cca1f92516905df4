/*
 * Attached PostgreSQL databases (README, "Attached PostgreSQL
 * databases"): db attach, db refresh, segment sql.  db show, list and
 * drop are cli_db.c's, for every database.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "cli/cli.h"
#include "i18n.h"
#include "segment.h"

int
cli_db_attach(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct attach_opts o;
	const char *timeout = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--postgres", &o.conninfo, "CONNINFO",
		N_("the libpq connection string or URI, without a password "
		"(required)")),
	    CLI_OPT("--table", &o.table, "[SCHEMA.]TABLE",
		N_("the table or view of the profiles (required)")),
	    CLI_OPT("--key", &o.key, "COLUMN",
		N_("the text column that identifies a profile (required)")),
	    CLI_OPT("--order", &o.order, "COLUMN",
		N_("the column whose order a limit keeps (default the key)")),
	    CLI_OPT("--timeout", &timeout, "SECONDS",
		N_("the statement timeout of a run (default 300)")),
	    CLI_OPT("--events-table", &o.events_table, "TABLE",
		N_("the table of the profiles' events")),
	    CLI_OPT("--events-key", &o.events_key, "COLUMN",
		N_("the profile key of each event")),
	    CLI_OPT("--events-name", &o.events_name, "COLUMN",
		N_("the event's name")),
	    CLI_OPT("--events-time", &o.events_time, "COLUMN",
		N_("the event's time (timestamptz or timestamp)")),
	    CLI_OPT_END };
	struct store *st;
	char *cause = NULL, *end;
	long v;
	int rc;

	memset(&o, 0, sizeof o);
	o.timeout = -1;
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if (o.conninfo == NULL)
		return cli_usage(cli, _("option '--postgres' is required"));
	if (o.table == NULL)
		return cli_usage(cli, _("option '--table' is required"));
	if (o.key == NULL)
		return cli_usage(cli, _("option '--key' is required"));
	if ((o.events_table != NULL) != (o.events_key != NULL) ||
	    (o.events_table != NULL) != (o.events_name != NULL) ||
	    (o.events_table != NULL) != (o.events_time != NULL))
		return cli_usage(cli, _("options '--events-table', "
		    "'--events-key', '--events-name' and '--events-time' go "
		    "together"));
	if (timeout != NULL) {
		v = strtol(timeout, &end, 10);
		if (*timeout == '\0' || *end != '\0' || v < 1 || v > 86400)
			return cli_usage(cli, _("option '--timeout' takes "
			    "seconds from 1 to 86400, not '%s'"), timeout);
		o.timeout = (int)v;
	}
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (attach_create(st, pos.v[0], &o, &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Attached database '%s': table '%s' of PostgreSQL, key "
	    "'%s'.\n"), pos.v[0], o.table, o.key);
	return CLI_OK;
}

int
cli_db_refresh(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct strbuf sb = STRBUF_INIT;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (attach_refresh(st, pos.v[0], &sb, &cause) != 0)
		rc = cli_error_cause(cli, cause);
	else
		fputs(sb.buf, stdout);
	sb_free(&sb);
	return rc;
}

int
cli_segment_sql(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store *st;
	char *cause = NULL, *text = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		return rc;
	if (seg_sql(st, pos.v[0], &text, &cause) != 0)
		return cli_error_cause(cli, cause);
	fputs(text, stdout);
	if (*text != '\0' && text[strlen(text) - 1] != '\n')
		putchar('\n');
	free(text);
	return CLI_OK;
}
