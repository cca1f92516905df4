/*
 * reseg object add, list, remove and reseg scenario add-profiles: the
 * mailings, scenarios and loyalty programmes that use segments (reseg(1),
 * "Dependent objects" and "Working with a segment's members"); a thin
 * layer over objects.h.  Segment names the
 * caller may not see (access.h) are left out of the list.
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
#include "objects.h"
#include "segment.h"
#include "util.h"

/* TYPE NAME: the type parsed; the usage exit status if it is none. */
static int
cli_objects_type(struct cli *cli, const char *name, enum obj_type *t)
{
	if (objects_type_parse(name, t) != 0)
		return cli_usage(cli, _("unknown object type '%s' (mailing, "
		    "scenario or loyalty)"), name);
	return CLI_OK;
}

int
cli_object_add(struct cli *cli, int argc, char **argv)
{
	const char **segs = NULL;
	size_t nsegs = 0;
	const struct cli_opt opts[] = {
	    CLI_OPT_LIST("--segment", &segs, &nsegs, "S",
		N_("a segment the object uses (repeatable)")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	enum obj_type t;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 2, 2)) != 0 ||
	    (rc = cli_objects_type(cli, pos.v[0], &t)) != CLI_OK)
		goto out;
	if (nsegs == 0) {
		rc = cli_usage(cli, _("give at least one --segment"));
		goto out;
	}
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		goto out;
	if (objects_add(st, t, pos.v[1], segs, nsegs, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto out;
	}
	printf(_("Added %s '%s'.\n"), pos.v[0], pos.v[1]);
	rc = CLI_OK;
out:
	free(segs);
	return rc;
}

int
cli_object_remove(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store *st;
	enum obj_type t;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 2, 2)) != 0 ||
	    (rc = cli_objects_type(cli, pos.v[0], &t)) != CLI_OK ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (objects_remove(st, t, pos.v[1], &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Removed %s '%s'.\n"), pos.v[0], pos.v[1]);
	return CLI_OK;
}

/*
 * Drops from each object the segments the caller may not see (access.h),
 * so that hidden segment names do not show in the object list.
 */
static void
cli_objects_filter(struct object **v, size_t n, struct segment **segs,
    size_t nsegs)
{
	size_t i, k, m, s;

	access_filter(segs, &nsegs);
	for (i = 0; i < n; i++) {
		for (k = m = 0; k < v[i]->nsegments; k++) {
			for (s = 0; s < nsegs; s++)
				if (segs[s]->id == v[i]->segments[k])
					break;
			if (s == nsegs && v[i]->segnames[k][0] != '#') {
				free(v[i]->segnames[k]);
				continue;
			}
			v[i]->segments[m] = v[i]->segments[k];
			v[i]->segnames[m++] = v[i]->segnames[k];
		}
		v[i]->nsegments = m;
	}
	seg_list_free(segs, nsegs);
}

int
cli_object_list(struct cli *cli, int argc, char **argv)
{
	struct store_txn *txn;
	struct object **v;
	struct segment **segs = NULL;
	size_t n, i, k, nsegs = 0;
	char *cause = NULL;
	cJSON *j, *o, *a;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, NULL, 0, 0)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = seg_list(txn, &segs, &nsegs, &cause);
	if (rc == 0 && (rc = objects_list(txn, &v, &n, &cause)) != 0)
		seg_list_free(segs, nsegs);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	cli_objects_filter(v, n, segs, nsegs);
	if (cli->json) {
		j = cJSON_CreateArray();
		for (i = 0; i < n; i++) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "type",
			    objects_type_name(v[i]->type));
			cJSON_AddStringToObject(o, "name", v[i]->name);
			a = cJSON_AddArrayToObject(o, "segments");
			for (k = 0; k < v[i]->nsegments; k++)
				cJSON_AddItemToArray(a,
				    cJSON_CreateString(v[i]->segnames[k]));
			if (v[i]->type == OBJ_SCENARIO)
				cJSON_AddNumberToObject(o, "profiles",
				    (double)v[i]->nprofiles);
			else
				cJSON_AddNullToObject(o, "profiles");
			cJSON_AddItemToArray(j, o);
		}
		cli_print_json(j, 1);
	} else {
		char ***rows = xcalloc(n + 1, sizeof *rows);

		rows[0] = cli_table_row(4, xstrdup(_("TYPE")),
		    xstrdup(_("NAME")), xstrdup(_("PROFILES")),
		    xstrdup(_("SEGMENTS")));
		for (i = 0; i < n; i++) {
			struct strbuf sb = STRBUF_INIT;

			for (k = 0; k < v[i]->nsegments; k++) {
				if (k > 0)
					sb_puts(&sb, ", ");
				sb_puts(&sb, v[i]->segnames[k]);
			}
			rows[i + 1] = cli_table_row(4,
			    xstrdup(objects_type_name(v[i]->type)),
			    xstrdup(v[i]->name), v[i]->type == OBJ_SCENARIO ?
			    cli_count(v[i]->nprofiles) :
			    xstrdup("-"), sb_detach(&sb));
		}
		cli_table(NULL, rows, n + 1, 4);
		cli_table_free(rows, n + 1, 4);
	}
	objects_list_free(v, n);
	return CLI_OK;
}

int
cli_scenario_add_profiles(struct cli *cli, int argc, char **argv)
{
	const char *seg = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--segment", &seg, "S",
		N_("the segment whose members to add (required)")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	char *cause = NULL;
	uint64_t added, total;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if (seg == NULL)
		return cli_usage(cli, _("give the segment with --segment"));
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (objects_scenario_add(st, pos.v[0], seg, &added, &total,
	    &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(ngettext_("Added %s profile of segment '%s' to scenario '%s' "
	    "(%s in it now).\n", "Added %s profiles of segment '%s' to "
	    "scenario '%s' (%s in it now).\n", (unsigned long)added),
	    cli_num(added), seg, pos.v[0], cli_num(total));
	return CLI_OK;
}
