/*
 * reseg check: the integrity check of the store (check.h), one problem a
 * line, as `git fsck` prints them.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "cli/cli.h"
#include "i18n.h"
#include "util.h"

/*
 * {"problems": [{"table", "key", "message"}], "notes" (when there are
 * any), "databases", "profiles", "segments", "events"}.
 */
static cJSON *
cli_check_json(const struct check_report *r)
{
	cJSON *o = cJSON_CreateObject(), *a, *j;
	size_t i;

	a = cJSON_AddArrayToObject(o, "problems");
	for (i = 0; i < r->n; i++) {
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "table", r->v[i].table);
		cJSON_AddStringToObject(j, "key", r->v[i].key);
		cJSON_AddStringToObject(j, "message", r->v[i].what);
		cJSON_AddItemToArray(a, j);
	}
	if (r->nnotes > 0) {
		a = cJSON_AddArrayToObject(o, "notes");
		for (i = 0; i < r->nnotes; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(
			    r->notes[i]));
	}
	cJSON_AddNumberToObject(o, "databases", (double)r->ndbs);
	cJSON_AddNumberToObject(o, "profiles", (double)r->nprofiles);
	cJSON_AddNumberToObject(o, "segments", (double)r->nsegments);
	cJSON_AddNumberToObject(o, "events", (double)r->nevents);
	return o;
}

int
cli_check(struct cli *cli, int argc, char **argv)
{
	struct check_report r;
	struct store *st;
	char *cause = NULL;
	size_t i;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, NULL, 0, 0)) != 0 ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (check_store(st, &r, &cause) != 0)
		return cli_error_cause(cli, cause);
	if (cli->json)
		cli_print_json(cli_check_json(&r), 1);
	else {
		for (i = 0; i < r.nnotes; i++)
			printf(_("note: %s\n"), r.notes[i]);
		for (i = 0; i < r.n; i++)
			printf("%s: %s\n", r.v[i].table, r.v[i].what);
		if (r.n == 0)
			printf(_("No problems found (databases: %s, "
			    "profiles: %s, segments: %s, events: %s).\n"),
			    cli_num(r.ndbs), cli_num(r.nprofiles),
			    cli_num(r.nsegments), cli_num(r.nevents));
		else
			printf(ngettext_("%zu problem found.\n",
			    "%zu problems found.\n", r.n), r.n);
	}
	rc = r.n == 0 ? CLI_OK : CLI_FAIL;
	check_report_free(&r);
	return rc;
}
