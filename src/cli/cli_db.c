/*
 * reseg demo and reseg db create, alter, list, show, drop, import,
 * export, ranges: the profile databases (reseg(1), "Demo" and "Profile
 * databases"), through pdb.h, evdb.h, import.h, export.h and ranges.h.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "attach.h"
#include "cli/cli.h"
#include "demo.h"
#include "demo_segments.h"
#include "drop.h"
#include "erase.h"
#include "evdb.h"
#include "export.h"
#include "i18n.h"
#include "import.h"
#include "pdb.h"
#include "ranges.h"
#include "schema.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

static int
cli_db_count(struct cli *cli, const char *opt, const char *s, uint32_t max,
    uint32_t *out)
{
	int64_t v;

	if (parse_int64(s, strlen(s), &v) != 0 || v < 1 || v > max)
		return cli_usage(cli, _("option '%s' needs a number from 1 to "
		    "%" PRIu32 ", not '%s'"), opt, max, s);
	*out = (uint32_t)v;
	return 0;
}

/* A field list of the command line that does not parse: exit 2. */
static int
cli_db_spec_usage(struct cli *cli, char *cause)
{
	int rc;

	rc = cli_usage(cli, "%s", cause);
	free(cause);
	return rc;
}

int
cli_demo(struct cli *cli, int argc, char **argv)
{
	const char *profiles = NULL;
	int force = 0;
	const struct cli_opt opts[] = {
	    CLI_OPT("--profiles", &profiles, "N",
		N_("how many profiles to generate (default 10000)")),
	    CLI_FLAG("--force", &force,
		N_("replace a demo database holding segments or objects "
		"of yours")),
	    CLI_OPT_END };
	uint32_t n = DEMO_PROFILES;
	struct store *store;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, NULL, 0, 0)) != 0)
		return rc;
	if (profiles != NULL &&
	    (rc = cli_db_count(cli, "--profiles", profiles, 100000000, &n)) != 0)
		return rc;
	if ((rc = cli_store(cli, &store)) != CLI_OK)
		return rc;
	if (!force && (rc = demo_check_replace(store, &cause)) != 0) {
		if (rc == DEMO_IN_USE) {
			cli_error(cli, _("%s; use --force to replace the demo "
			    "anyway (its segments are deleted, objects "
			    "detached)"), cause);
			free(cause);
			return CLI_FAIL;
		}
		return cli_error_cause(cli, cause);
	}
	if (demo_create(store, n, &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(ngettext_("Created database '%s' with %s profile in %s.\n",
	    "Created database '%s' with %s profiles in %s.\n", n), DEMO_DB,
	    cli_num(n), store_path(store));
	/* Example segments, calculated at once. */
	{
		struct strbuf sb = STRBUF_INIT;

		if (demo_segments(store, &sb, &cause) != 0) {
			sb_free(&sb);
			return cli_error_cause(cli, cause);
		}
		if (sb.len != 0)
			fputs(sb.buf, stdout);
		sb_free(&sb);
	}
	return CLI_OK;
}

int
cli_db_create(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	const char *spec = NULL, *key = "email", *evspec = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--fields", &spec, "SPEC",
		N_("the profile fields: NAME:TYPE,... (required)")),
	    CLI_OPT("--key", &key, "FIELD",
		N_("the field that identifies a profile (default email)")),
	    CLI_OPT("--event-fields", &evspec, "SPEC",
		N_("the properties of events: NAME:TYPE,...")),
	    CLI_OPT_END };
	struct field *fields = NULL, *evfields = NULL;
	struct store *store;
	char *cause = NULL;
	size_t n = 0, nev = 0;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if (spec == NULL)
		return cli_usage(cli, _("option '--fields' is required"));
	if (schema_parse_fields(spec, &fields, &n, &cause) != 0)
		return cli_db_spec_usage(cli, cause);
	if (evspec != NULL &&
	    schema_parse_fields(evspec, &evfields, &nev, &cause) != 0) {
		fields_free(fields, n);
		return cli_db_spec_usage(cli, cause);
	}
	if ((rc = cli_store(cli, &store)) == CLI_OK)
		rc = pdb_create_events(store, pos.v[0], fields, n, key,
		    evfields, nev, &cause) != 0 ? cli_error_cause(cli, cause) :
		    CLI_OK;
	fields_free(fields, n);
	fields_free(evfields, nev);
	if (rc != CLI_OK)
		return rc;
	printf(ngettext_("Created database '%s' with %zu field, key '%s'.\n",
	    "Created database '%s' with %zu fields, key '%s'.\n", n), pos.v[0],
	    n, key);
	if (nev > 0)
		printf(ngettext_("Events have %zu property.\n",
		    "Events have %zu properties.\n", nev), nev);
	return CLI_OK;
}

/* Appends the fields of one NAME:TYPE option value to *f. */
static int
cli_db_alter_add(struct cli *cli, const char *const *specs, size_t nspecs,
    struct field **f, size_t *n)
{
	struct field *one;
	size_t k, i;
	char *cause = NULL;

	for (i = 0; i < nspecs; i++) {
		if (schema_parse_fields(specs[i], &one, &k, &cause) != 0)
			return cli_db_spec_usage(cli, cause);
		*f = xreallocarray(*f, *n + k, sizeof **f);
		memcpy(*f + *n, one, k * sizeof *one);
		*n += k;
		free(one);
	}
	return CLI_OK;
}

int
cli_db_alter(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	const char **add = NULL, **addev = NULL;
	size_t nadd = 0, naddev = 0, n = 0, nev = 0, i;
	const struct cli_opt opts[] = {
	    CLI_OPT_LIST("--add-field", &add, &nadd, "F:TYPE",
		N_("add a profile field (repeatable)")),
	    CLI_OPT_LIST("--add-event-field", &addev, &naddev, "F:TYPE",
		N_("add an event property (repeatable)")),
	    CLI_OPT_END };
	struct field *fields = NULL, *evfields = NULL;
	struct store *store;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto out;
	if (nadd == 0 && naddev == 0) {
		rc = cli_usage(cli, _("nothing to change: give --add-field or "
		    "--add-event-field"));
		goto out;
	}
	if ((rc = cli_db_alter_add(cli, add, nadd, &fields, &n)) != CLI_OK ||
	    (rc = cli_db_alter_add(cli, addev, naddev, &evfields,
	    &nev)) != CLI_OK)
		goto out;
	if ((rc = cli_store(cli, &store)) != CLI_OK)
		goto out;
	if (pdb_alter(store, pos.v[0], fields, n, evfields, nev, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto out;
	}
	for (i = 0; i < n; i++)
		printf(_("Added field '%s' (%s) to database '%s'.\n"),
		    fields[i].name, field_type_name(fields[i].type), pos.v[0]);
	for (i = 0; i < nev; i++)
		printf(_("Added event field '%s' (%s) to database '%s'.\n"),
		    evfields[i].name, field_type_name(evfields[i].type),
		    pos.v[0]);
	rc = CLI_OK;
out:
	fields_free(fields, n);
	fields_free(evfields, nev);
	free(add);
	free(addev);
	return rc;
}

/* One database: db list and db show print the same object. */
static cJSON *
cli_db_json(const struct pdb_schema *s, uint64_t nevents)
{
	char buf[TU_DATETIME_BUF];
	cJSON *o = cJSON_CreateObject(), *arr, *f;
	uint16_t i;

	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddNumberToObject(o, "profiles", s->nprofiles - s->ndeleted);
	cJSON_AddStringToObject(o, "key", s->fields[s->key_field].name);
	cJSON_AddStringToObject(o, "created_at",
	    tu_format_datetime(s->created_at, buf));
	arr = cJSON_AddArrayToObject(o, "fields");
	for (i = 0; i < s->nfields; i++) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "name", s->fields[i].name);
		cJSON_AddStringToObject(f, "type",
		    field_type_name(s->fields[i].type));
		cJSON_AddItemToArray(arr, f);
	}
	arr = cJSON_AddArrayToObject(o, "event_fields");
	for (i = 0; i < s->nevent_fields; i++) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "name", s->event_fields[i].name);
		cJSON_AddStringToObject(f, "type",
		    field_type_name(s->event_fields[i].type));
		cJSON_AddItemToArray(arr, f);
	}
	cJSON_AddNumberToObject(o, "events", (double)nevents);
	cJSON_AddStringToObject(o, "source", attach_is(s) ? "postgresql" :
	    "local");
	if (attach_is(s))
		cJSON_AddItemToObject(o, "postgresql",
		    cJSON_Duplicate(s->source, 1));
	return o;
}

int
cli_db_list(struct cli *cli, int argc, char **argv)
{
	struct pdb_schema **list = NULL;
	struct store_txn *txn;
	uint64_t *nevents = NULL;
	char *cause = NULL;
	size_t n = 0, i;
	cJSON *arr;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, NULL, 0, 0)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = pdb_list(txn, &list, &n, &cause);
	if (rc == 0 && cli->json) {
		nevents = xcalloc(n + 1, sizeof *nevents);
		for (i = 0; i < n && rc == 0; i++)
			rc = evdb_count(txn, list[i], &nevents[i], &cause);
	}
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		goto out;
	if (cli->json) {
		arr = cJSON_CreateArray();
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, cli_db_json(list[i],
			    nevents[i]));
		cli_print_json(arr, 1);
	} else if (n == 0)
		printf(_("No databases.\n"));
	else {
		char ***rows = xcalloc(n + 1, sizeof *rows);

		rows[0] = cli_table_row(5, xstrdup(_("NAME")),
		    xstrdup(_("PROFILES")), xstrdup(_("FIELDS")),
		    xstrdup(_("KEY")), xstrdup(_("SOURCE")));
		for (i = 0; i < n; i++)
			rows[i + 1] = cli_table_row(5, xstrdup(list[i]->name),
			    cli_count(list[i]->nprofiles -
			    list[i]->ndeleted),
			    xasprintf("%u", (unsigned)list[i]->nfields),
			    xstrdup(list[i]->fields[list[i]->key_field].name),
			    xstrdup(attach_is(list[i]) ? "postgresql" :
			    "local"));
		cli_table("lrrll", rows, n + 1, 5);
		cli_table_free(rows, n + 1, 5);
	}
	rc = CLI_OK;
out:
	for (i = 0; i < n; i++)
		schema_free(list[i]);
	free(list);
	free(nevents);
	return rc;
}

/* db show of an attached database: the source, and each field's column. */
static void
cli_db_show_attached(const struct pdb_schema *s)
{
	char buf[TU_DATETIME_BUF];
	const char *v;
	uint16_t i;

	printf(_("Database:  %s\n"), s->name);
	printf("%s", _("Source:    PostgreSQL\n"));
	printf(_("Connect:   %s\n"), attach_get(s, "conninfo"));
	printf(_("Table:     %s\n"), attach_get(s, "table"));
	printf(_("Key:       %s\n"), attach_get(s, "key"));
	v = attach_get(s, "order");
	printf(_("Order:     %s\n"), v != NULL ? v : _("(the key)"));
	printf(_("Timeout:   %d s\n"), attach_timeout(s));
	printf(_("Keys seen: %s\n"), cli_num(s->nprofiles));
	printf(_("Attached:  %s\n"), tu_format_datetime(s->created_at, buf));
	printf("%s", _("Fields (column, PostgreSQL type, field type):\n"));
	for (i = 0; i < s->nfields; i++)
		printf("  %-20s %-28s %s\n", s->fields[i].name,
		    attach_pg_type(s, 0, i), field_type_name(s->fields[i].type));
	if ((v = attach_get(s, "events_table")) == NULL)
		return;
	printf(_("Events:    table %s, key %s, name %s, time %s\n"), v,
	    attach_get(s, "events_key"), attach_get(s, "events_name"),
	    attach_get(s, "events_time"));
	if (s->nevent_fields == 0)
		return;
	printf("%s", _("Event fields (column, PostgreSQL type, field type):\n"));
	for (i = 0; i < s->nevent_fields; i++)
		printf("  %-20s %-28s %s\n", s->event_fields[i].name,
		    attach_pg_type(s, 1, i),
		    field_type_name(s->event_fields[i].type));
}

int
cli_db_show(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	char buf[TU_DATETIME_BUF];
	struct pdb_schema *s = NULL;
	struct store_txn *txn;
	char *cause = NULL;
	uint64_t nevents = 0;
	uint16_t i;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = pdb_open(txn, pos.v[0], &s, &cause);
	if (rc == 0)
		rc = evdb_count(txn, s, &nevents, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK) {
		schema_free(s);
		return rc;
	}
	if (cli->json)
		cli_print_json(cli_db_json(s, nevents), 1);
	else if (attach_is(s))
		cli_db_show_attached(s);
	else {
		printf(_("Database:  %s\n"), s->name);
		if (s->ndeleted > 0)
			printf(_("Profiles:  %s (%s deleted)\n"),
			    cli_num(s->nprofiles - s->ndeleted),
			    cli_num(s->ndeleted));
		else
			printf(_("Profiles:  %s\n"), cli_num(s->nprofiles));
		printf(_("Key:       %s\n"), s->fields[s->key_field].name);
		printf(_("Created:   %s\n"), tu_format_datetime(s->created_at,
		    buf));
		printf(_("Fields:\n"));
		for (i = 0; i < s->nfields; i++)
			printf("  %-20s %s\n", s->fields[i].name,
			    field_type_name(s->fields[i].type));
		if (s->nevent_fields > 0) {
			printf(_("Event fields:\n"));
			for (i = 0; i < s->nevent_fields; i++)
				printf("  %-20s %s\n", s->event_fields[i].name,
				    field_type_name(s->event_fields[i].type));
		}
		printf(_("Events:    %s\n"), cli_num(nevents));
	}
	schema_free(s);
	return CLI_OK;
}

/*
 * The question before dropping a database: its profile count, and
 * whether segments use it (then the drop is refused and nothing is
 * asked).
 */
static int
cli_db_drop_ask(struct cli *cli, const char *name, int yes)
{
	struct pdb_schema *s = NULL;
	struct segment **segs = NULL;
	struct store_txn *txn;
	char *cause = NULL;
	size_t nsegs = 0, i, used = 0;
	uint32_t n;
	int rc;

	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = pdb_open(txn, name, &s, &cause);
	if (rc == 0)
		rc = seg_list(txn, &segs, &nsegs, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK) {
		schema_free(s);
		return rc;
	}
	n = s->nprofiles - s->ndeleted;
	schema_free(s);
	for (i = 0; i < nsegs; i++)
		if (strcmp(segs[i]->db, name) == 0)
			used++;
	seg_list_free(segs, nsegs);
	if (used > 0)
		return CLI_OK;
	return cli_confirm(cli, yes, ngettext_("Drop database '%s' with its "
	    "%s profile and their events?", "Drop database '%s' "
	    "with its %s profiles and their events?",
	    (unsigned long)n), name, cli_num(n));
}

int
cli_db_drop(struct cli *cli, int argc, char **argv)
{
	int yes = 0;
	const struct cli_opt opts[] = {
	    CLI_FLAG("--yes", &yes, N_("do not ask for confirmation")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct store *store;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_store(cli, &store)) != CLI_OK ||
	    (rc = cli_db_drop_ask(cli, pos.v[0], yes)) != CLI_OK)
		return rc;
	if (drop_database(store, pos.v[0], &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Dropped database '%s'.\n"), pos.v[0]);
	return CLI_OK;
}

static void
cli_db_erase_print(const char *db, const struct erase_result *res)
{
	const struct erase_segment *e;
	size_t i;

	printf(ngettext_("Deleted %s profile from database '%s'.\n",
	    "Deleted %s profiles from database '%s'.\n",
	    (unsigned long)res->deleted), cli_num(res->deleted), db);
	if (res->events > 0)
		printf(ngettext_("Deleted %s event of theirs.\n",
		    "Deleted %s events of theirs.\n",
		    (unsigned long)res->events), cli_num(res->events));
	for (i = 0; i < res->nsegs; i++) {
		e = &res->segs[i];
		if (e->is_static)
			printf(ngettext_("Static segment '%s': removed %s "
			    "member (run %" PRIu32 ").\n", "Static segment "
			    "'%s': removed %s members (run %" PRIu32 ").\n",
			    (unsigned long)e->n), e->name, cli_num(e->n),
			    e->run);
		else
			printf(ngettext_("Segment '%s' drops %s member at its "
			    "next run.\n", "Segment '%s' drops %s members at "
			    "its next run.\n", (unsigned long)e->n), e->name,
			    cli_num(e->n));
	}
	if (res->hidden > 0)
		printf(ngettext_("%zu segment you cannot see held some of "
		    "them.\n", "%zu segments you cannot see held some of "
		    "them.\n", (unsigned long)res->hidden), res->hidden);
	for (i = 0; i < res->nscenarios; i++)
		printf(ngettext_("Scenario '%s': removed %s profile.\n",
		    "Scenario '%s': removed %s profiles.\n",
		    (unsigned long)res->scounts[i]), res->scenarios[i],
		    cli_num(res->scounts[i]));
}

int
cli_db_delete_profiles(struct cli *cli, int argc, char **argv)
{
	const char *from = NULL;
	int yes = 0, skip = 0;
	const struct cli_opt opts[] = {
	    CLI_OPT("--from-file", &from, "F",
		N_("read more keys from F, one a line (- for standard "
		"input)")),
	    CLI_FLAG("--ignore-missing", &skip,
		N_("skip keys without a profile instead of refusing")),
	    CLI_FLAG("--yes", &yes, N_("do not ask for confirmation")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct erase_result res;
	struct store *st;
	const char **keys = NULL;
	char *text = NULL, *cause = NULL;
	size_t n = 0, i;
	int rc;

	memset(&res, 0, sizeof res);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1,
	    (size_t)argc)) != 0 ||
	    (rc = cli_keys_gather(cli, &pos, from, &keys, &n, &text)) != 0 ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		goto out;
	if ((rc = cli_confirm(cli, yes, ngettext_("Delete %s profile from "
	    "database '%s' with its events, for good?", "Delete %s profiles "
	    "from database '%s' with their events, for good?",
	    (unsigned long)n), cli_num(n), pos.v[0])) != CLI_OK)
		goto out;
	if (erase_profiles(st, pos.v[0], keys, n, skip, util_login_name(),
	    &res, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto out;
	}
	for (i = 0; i < res.nmissing; i++)
		cli_error(cli, _("no profile with key '%s' in database '%s'; "
		    "skipped"), res.missing[i], pos.v[0]);
	cli_db_erase_print(pos.v[0], &res);
	rc = CLI_OK;
out:
	erase_result_free(&res);
	free(keys);
	free(text);
	return rc;
}

int
cli_db_import(struct cli *cli, int argc, char **argv)
{
	struct cli_import ci;
	struct import_result res;
	char *cause = NULL;
	int rc;

	if ((rc = cli_import_begin(cli, argc, argv, &ci, 1)) != CLI_OK)
		return rc;
	rc = import_run(ci.store, ci.in, &ci.io, &res, &cause);
	cli_import_errors(&ci, rc, res.errors, res.nerrors, res.total_errors);
	import_result_free(&res);
	if (rc != 0)
		return cli_import_end(cli, &ci, cli_error_cause(cli, cause), 0);
	printf(ngettext_("%s: %s row: %s inserted, %s updated, %s unchanged, "
	    "%s rejected\n", "%s: %s rows: %s inserted, %s updated, %s "
	    "unchanged, %s rejected\n", res.rows), ci.io.dbname,
	    cli_num(res.rows), cli_num(res.stats.inserted),
	    cli_num(res.stats.updated), cli_num(res.stats.unchanged),
	    cli_num(res.rejected));
	return cli_import_end(cli, &ci, CLI_OK, res.rejected);
}

int
cli_db_export(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	const char *fmtname = NULL, *out = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--format", &fmtname, "csv|jsonl",
		N_("the output format (default: from FILE's name, else csv)")),
	    CLI_OPT("-o", &out, "FILE",
		N_("write to FILE, not standard output")),
	    CLI_OPT("--output", &out, "FILE", NULL),
	    CLI_OPT_END };
	enum export_format fmt = EXPORT_CSV;
	struct store *store;
	char *cause = NULL;
	uint64_t count = 0;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if ((rc = cli_format_for(cli, fmtname, out, &fmt, NULL)) != CLI_OK)
		return rc;
	if ((rc = cli_store(cli, &store)) != CLI_OK)
		return rc;
	if (export_db(store, pos.v[0], fmt, out, &count, &cause) != 0)
		return cli_error_cause(cli, cause);
	if (out != NULL && strcmp(out, "-") != 0)
		printf(ngettext_("Exported %s profile of database '%s' to "
		    "%s.\n", "Exported %s profiles of database '%s' to %s.\n",
		    (unsigned long)count), cli_num(count), pos.v[0], out);
	return CLI_OK;
}

static cJSON *
cli_db_ranges_json(const char *name, const struct ranges_map *m)
{
	const struct ranges_slice *sl;
	char lo[SEG_RANGE_BUF];
	cJSON *j, *a, *o, *ow;
	size_t i, k;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "database", name);
	a = cJSON_AddArrayToObject(j, "slices");
	for (i = 0; i < m->nslices; i++) {
		sl = &m->slices[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "range",
		    seg_format_range(sl->lo, sl->hi, lo));
		cJSON_AddNumberToObject(o, "from", sl->lo / 100.0);
		cJSON_AddNumberToObject(o, "to", sl->hi / 100.0);
		ow = cJSON_AddArrayToObject(o, "segments");
		for (k = 0; k < sl->nowners; k++)
			cJSON_AddItemToArray(ow,
			    cJSON_CreateString(sl->owners[k]));
		cJSON_AddBoolToObject(o, "overlap", sl->nowners > 1);
		cJSON_AddItemToArray(a, o);
	}
	ow = cJSON_AddArrayToObject(j, "without_range");
	for (k = 0; k < m->nfull; k++)
		cJSON_AddItemToArray(ow,
		    cJSON_CreateString(m->full[k]));
	cJSON_AddNumberToObject(j, "overlaps", (double)m->noverlaps);
	return j;
}

int
cli_db_ranges(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store_txn *txn;
	struct ranges_map m;
	struct ranges_slice *sl;
	char lo[SEG_RANGE_BUF], *cause = NULL;
	char ***rows;
	size_t i, k;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = ranges_build(txn, pos.v[0], &m, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json) {
		cli_print_json(cli_db_ranges_json(pos.v[0], &m), 1);
		ranges_free(&m);
		return CLI_OK;
	}
	rows = xcalloc(m.nslices + 1, sizeof *rows);
	rows[0] = cli_table_row(2, xstrdup(_("SLICE (%)")),
	    xstrdup(_("SEGMENTS")));
	for (i = 0; i < m.nslices; i++) {
		struct strbuf sb = STRBUF_INIT;

		sl = &m.slices[i];
		if (sl->nowners == 0)
			sb_puts(&sb, _("(free)"));
		for (k = 0; k < sl->nowners; k++) {
			if (k > 0)
				sb_puts(&sb, ", ");
			sb_puts(&sb, sl->owners[k]);
		}
		if (sl->nowners > 1) {
			sb_puts(&sb, "  ");
			sb_puts(&sb, _("OVERLAP"));
		}
		rows[i + 1] = cli_table_row(2,
		    xstrdup(seg_format_range(sl->lo, sl->hi, lo)),
		    sb_detach(&sb));
	}
	cli_table(NULL, rows, m.nslices + 1, 2);
	cli_table_free(rows, m.nslices + 1, 2);
	if (m.nfull > 0) {
		printf(_("Without a range (all of 0-100):"));
		for (k = 0; k < m.nfull; k++)
			printf("%s%s", k == 0 ? " " : ", ", m.full[k]);
		printf("\n");
	}
	printf(ngettext_("%zu overlapping slice.\n",
	    "%zu overlapping slices.\n", m.noverlaps), m.noverlaps);
	ranges_free(&m);
	return CLI_OK;
}
