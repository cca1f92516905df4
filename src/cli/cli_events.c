/*
 * reseg events import, list, stats, prune: the events of a profile
 * database (reseg(1), "Events"), through events.h.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "events.h"
#include "export.h"
#include "i18n.h"
#include "import.h"
#include "schema.h"
#include "timeutil.h"
#include "util.h"

/*
 * A --from/--to/--before value: YYYY-MM-DD (the start of that day, UTC)
 * or an ISO 8601 date and time (UTC without a zone).  *is_date says
 * which.
 */
static int
cli_events_time(struct cli *cli, const char *opt, const char *s,
    int64_t *out, int *is_date)
{
	int32_t days;

	*is_date = 0;
	if (tu_parse_date(s, strlen(s), &days) == 0) {
		*out = (int64_t)days * 86400;
		*is_date = 1;
		return 0;
	}
	if (tu_parse_datetime(s, strlen(s), 0, out) == 0)
		return 0;
	return cli_usage(cli, _("option '%s' needs a date (YYYY-MM-DD) or an "
	    "ISO 8601 date and time, not '%s'"), opt, s);
}

int
cli_events_import(struct cli *cli, int argc, char **argv)
{
	struct cli_import ci;
	struct events_import_result res;
	char *cause = NULL;
	int rc;

	if ((rc = cli_import_begin(cli, argc, argv, &ci, 0)) != CLI_OK)
		return rc;
	rc = events_import(ci.store, ci.in, &ci.io, &res, &cause);
	cli_import_errors(&ci, rc, res.errors, res.nerrors, res.total_errors);
	events_import_result_free(&res);
	if (rc != 0)
		return cli_import_end(cli, &ci, cli_error_cause(cli, cause), 0);
	/* Two counts with nouns: each gets its plural form. */
	printf(ngettext_("%s: %s row: ", "%s: %s rows: ", res.rows),
	    ci.io.dbname, cli_num(res.rows));
	printf(ngettext_("%s imported, %s duplicate, %s rejected\n",
	    "%s imported, %s duplicates, %s rejected\n", res.duplicates),
	    cli_num(res.imported), cli_num(res.duplicates),
	    cli_num(res.rejected));
	return cli_import_end(cli, &ci, CLI_OK, res.rejected);
}

/* "amount=12.5 sku=TV-1": the present properties, as CSV text. */
static char *
cli_events_props(const struct pdb_schema *sc, const struct value *props)
{
	struct strbuf sb = STRBUF_INIT;
	uint16_t i;

	for (i = 0; i < sc->nevent_fields; i++) {
		if (!props[i].present)
			continue;
		if (sb.len > 0)
			sb_putc(&sb, ' ');
		sb_printf(&sb, "%s=", sc->event_fields[i].name);
		value_format_text(sc->event_fields[i].type, &props[i], &sb);
	}
	sb_puts(&sb, "");
	return sb_detach(&sb);
}

static cJSON *
cli_events_item_json(const struct pdb_schema *sc,
    const struct events_item *it)
{
	char buf[TU_DATETIME_BUF];
	cJSON *o = cJSON_CreateObject();
	uint16_t i;

	cJSON_AddStringToObject(o, "time", tu_format_datetime(it->time, buf));
	cJSON_AddStringToObject(o, "key", it->key);
	cJSON_AddStringToObject(o, "event", it->name);
	if (it->id != NULL)
		cJSON_AddStringToObject(o, "event_id", it->id);
	else
		cJSON_AddNullToObject(o, "event_id");
	for (i = 0; i < sc->nevent_fields; i++)
		cJSON_AddItemToObject(o, sc->event_fields[i].name,
		    value_to_json(sc->event_fields[i].type, &it->props[i]));
	return o;
}

int
cli_events_list(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	const char *key = NULL, *name = NULL, *from = NULL, *to = NULL;
	const char *limit = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--key", &key, "K", N_("only the events of profile K")),
	    CLI_OPT("--name", &name, "E", N_("only the events named E")),
	    CLI_OPT("--from", &from, "D",
		N_("from date or time D on (YYYY-MM-DD or ISO 8601, UTC)")),
	    CLI_OPT("--to", &to, "D", N_("up to date or time D (inclusive)")),
	    CLI_OPT("--limit", &limit, "N",
		N_("at most N events (default 100, 0 for all)")),
	    CLI_OPT_END };
	struct events_filter f = { NULL, NULL, INT64_MIN, INT64_MAX, 100 };
	struct events_list l;
	struct store_txn *txn;
	char buf[TU_DATETIME_BUF], *cause = NULL, *text;
	char ***rows;
	int64_t v;
	size_t i;
	int rc, is_date;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	f.key = key;
	f.name = name;
	if (from != NULL &&
	    (rc = cli_events_time(cli, "--from", from, &f.from, &is_date)) != 0)
		return rc;
	if (to != NULL) {
		if ((rc = cli_events_time(cli, "--to", to, &f.to,
		    &is_date)) != 0)
			return rc;
		/* Both ends inclusive: a date's whole day, a time itself. */
		f.to += is_date ? 86400 : 1;
	}
	if (f.from >= f.to)
		return cli_usage(cli, _("option '--from' (%s) is after option "
		    "'--to' (%s)"), from, to);
	if (limit != NULL) {
		if (parse_int64(limit, strlen(limit), &v) != 0 || v < 0)
			return cli_usage(cli, _("option '--limit' needs a "
			    "number (0 for all), not '%s'"), limit);
		f.limit = (size_t)v;
	}
	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = events_list(txn, pos.v[0], &f, &l, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK) {
		events_list_free(&l);
		return rc;
	}
	if (cli->json) {
		for (i = 0; i < l.n; i++) {
			cJSON *o = cli_events_item_json(l.schema, &l.items[i]);

			text = cJSON_PrintUnformatted(o);
			puts(text);
			cJSON_free(text);
			cJSON_Delete(o);
		}
	} else if (l.n == 0)
		printf(_("No events.\n"));
	else {
		rows = xcalloc(l.n + 1, sizeof *rows);
		rows[0] = cli_table_row(5, xstrdup(_("TIME")),
		    xstrdup(_("KEY")), xstrdup(_("EVENT")),
		    xstrdup(_("EVENT_ID")), xstrdup(_("PROPERTIES")));
		for (i = 0; i < l.n; i++)
			rows[i + 1] = cli_table_row(5,
			    xstrdup(tu_format_datetime(l.items[i].time, buf)),
			    xstrdup(l.items[i].key), xstrdup(l.items[i].name),
			    xstrdup(l.items[i].id != NULL ? l.items[i].id : ""),
			    cli_events_props(l.schema, l.items[i].props));
		cli_table(NULL, rows, l.n + 1, 5);
		cli_table_free(rows, l.n + 1, 5);
	}
	events_list_free(&l);
	return CLI_OK;
}

int
cli_events_stats(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct events_stat *st = NULL;
	struct store_txn *txn;
	char buf[TU_DATETIME_BUF], buf2[TU_DATETIME_BUF], *cause = NULL;
	char ***rows;
	uint64_t total = 0;
	size_t n = 0, i;
	cJSON *arr, *o;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = events_stats(txn, pos.v[0], &st, &n, &total, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json) {
		arr = cJSON_CreateArray();
		for (i = 0; i < n; i++) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "event", st[i].name);
			cJSON_AddNumberToObject(o, "count",
			    (double)st[i].count);
			cJSON_AddStringToObject(o, "first_at",
			    tu_format_datetime(st[i].first, buf));
			cJSON_AddStringToObject(o, "last_at",
			    tu_format_datetime(st[i].last, buf));
			cJSON_AddItemToArray(arr, o);
		}
		cli_print_json(arr, 1);
	} else if (n == 0)
		printf(_("No events.\n"));
	else {
		rows = xcalloc(n + 1, sizeof *rows);
		rows[0] = cli_table_row(4, xstrdup(_("EVENT")),
		    xstrdup(_("COUNT")), xstrdup(_("FIRST")),
		    xstrdup(_("LAST")));
		for (i = 0; i < n; i++)
			rows[i + 1] = cli_table_row(4, xstrdup(st[i].name),
			    cli_count(st[i].count),
			    xstrdup(tu_format_datetime(st[i].first, buf)),
			    xstrdup(tu_format_datetime(st[i].last, buf2)));
		cli_table("lrll", rows, n + 1, 4);
		cli_table_free(rows, n + 1, 4);
		printf(ngettext_("%s event.\n", "%s events.\n",
		    (unsigned long)total), cli_num(total));
	}
	events_stats_free(st, n);
	return CLI_OK;
}

int
cli_events_prune(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	const char *before = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--before", &before, "D",
		N_("delete the events before date or time D (required)")),
	    CLI_OPT_END };
	struct store *store;
	char buf[TU_DATETIME_BUF], *cause = NULL;
	uint64_t removed = 0;
	int64_t t;
	int rc, is_date;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if (before == NULL)
		return cli_usage(cli, _("option '--before' is required"));
	if ((rc = cli_events_time(cli, "--before", before, &t,
	    &is_date)) != 0)
		return rc;
	if ((rc = cli_store(cli, &store)) != CLI_OK)
		return rc;
	if (events_prune(store, pos.v[0], t, &removed, &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(ngettext_("%s: removed %s event before %s.\n",
	    "%s: removed %s events before %s.\n",
	    (unsigned long)removed), pos.v[0], cli_num(removed),
	    tu_format_datetime(t, buf));
	return CLI_OK;
}
