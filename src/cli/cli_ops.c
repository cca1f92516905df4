/*
 * Working with segments (issue 6): copy, bulk edit, clone, dump / load /
 * test, range map, dependent objects, scenarios, run hooks.  Each command
 * is a thin layer over objects.h, segops.h, segtext.h, ranges.h and
 * hooks.h.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "access.h"
#include "cli/cli.h"
#include "export.h"
#include "hooks.h"
#include "i18n.h"
#include "objects.h"
#include "ranges.h"
#include "segment.h"
#include "segops.h"
#include "segtext.h"
#include "util.h"

int
cli_segment_copy(struct cli *cli, int argc, char **argv)
{
	const char *to_seg = NULL, *to_db = NULL;
	const struct cli_opt opts[] = { CLI_OPT("--to-segment", &to_seg),
	    CLI_OPT("--to-db", &to_db), CLI_OPT_END };
	struct cli_args pos;
	struct segops_copy_result res;
	struct store *st;
	char *cause = NULL;
	uint64_t added, already;
	size_t i;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if ((to_seg == NULL) == (to_db == NULL))
		return cli_usage(cli, _("give either --to-segment or --to-db"));
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (to_seg != NULL) {
		if (segops_copy_to_segment(st, pos.v[0], to_seg,
		    util_login_name(), &added, &already, &cause) != 0)
			return cli_error_cause(cli, cause);
		printf(_("Copied segment '%s' into segment '%s': %" PRIu64
		    " added, %" PRIu64 " already there.\n"), pos.v[0], to_seg,
		    added, already);
		return CLI_OK;
	}
	if (segops_copy_to_db(st, pos.v[0], to_db, &res, &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Copied %" PRIu64 " profiles of segment '%s' into database "
	    "'%s': %" PRIu64 " new, %" PRIu64 " updated, %" PRIu64
	    " unchanged.\n"), res.profiles, pos.v[0], to_db,
	    res.stats.inserted, res.stats.updated, res.stats.unchanged);
	if (res.nskipped > 0) {
		printf(_("Fields not in database '%s', not copied:"), to_db);
		for (i = 0; i < res.nskipped; i++)
			printf("%s%s", i == 0 ? " " : ", ", res.skipped[i]);
		printf("\n");
	}
	segops_copy_result_free(&res);
	return CLI_OK;
}

int
cli_segment_update(struct cli *cli, int argc, char **argv)
{
	const char **setv = NULL;
	size_t nset = 0, i;
	const struct cli_opt opts[] = { CLI_OPT_LIST("--set", &setv, &nset),
	    CLI_OPT_END };
	struct cli_args pos;
	struct segops_set *sets = NULL;
	struct store *st;
	char *cause = NULL;
	uint64_t changed, members;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto out;
	if (nset == 0) {
		rc = cli_usage(cli, _("give at least one --set FIELD=VALUE"));
		goto out;
	}
	sets = xcalloc(nset, sizeof *sets);
	for (i = 0; i < nset; i++) {
		if (segops_parse_set(setv[i], &sets[i], &cause) != 0) {
			rc = cli_error(cli, "--set %s", cause);
			free(cause);
			goto out;
		}
	}
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		goto out;
	rc = segops_update(st, pos.v[0], sets, nset, &changed, &members,
	    &cause);
	if (rc != 0) {
		if (rc == SEGOPS_BAD_VALUE) {
			rc = cli_error(cli, "--set %s", cause);
			free(cause);
		} else
			rc = cli_error_cause(cli, cause);
		goto out;
	}
	printf(_("Updated segment '%s': %" PRIu64 " of %" PRIu64
	    " profiles changed.\n"), pos.v[0], changed, members);
	rc = CLI_OK;
out:
	free(sets);
	free(setv);
	return rc;
}

int
cli_segment_clone(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 2)) != 0)
		return rc;
	if (pos.n < 2)
		return cli_usage(cli, _("the clone needs a new name"));
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (segops_clone(st, pos.v[0], pos.v[1], &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Created segment '%s' as a clone of '%s' (stopped: start it "
	    "with 'reseg segment start').\n"), pos.v[1], pos.v[0]);
	return CLI_OK;
}

static int
cli_ops_dump_write(FILE *f, void *arg, char **cause)
{
	struct strbuf *sb = arg;

	if (fwrite(sb->buf, 1, sb->len, f) != sb->len)
		return error_set(cause, _("could not write the output"));
	return 0;
}

int
cli_segment_dump(struct cli *cli, int argc, char **argv)
{
	const char *out = NULL;
	const struct cli_opt opts[] = { CLI_OPT("-o", &out), CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	struct segment *s = NULL;
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	segtext_dump(s, &sb);
	seg_free(s);
	rc = export_to_file(out, cli_ops_dump_write, &sb, &cause);
	sb_free(&sb);
	return rc != 0 ? cli_error_cause(cli, cause) : CLI_OK;
}

int
cli_segment_load(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store *st;
	struct segment *def = NULL;
	char *cause = NULL, *text;
	int rc, created = 0;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0)
		return rc;
	if ((text = cli_slurp(pos.v[0], &cause)) == NULL)
		return cli_error_cause(cli, cause);
	if ((rc = cli_store(cli, &st)) != CLI_OK) {
		free(text);
		return rc;
	}
	if (segtext_load(st, text, pos.v[0], &created, &cause) != 0) {
		free(text);
		return cli_error_cause(cli, cause);
	}
	segtext_parse(text, pos.v[0], &def, NULL);
	if (created)
		printf(_("Created segment '%s'.\n"), def->name);
	else
		printf(_("Updated segment '%s'.\n"), def->name);
	seg_free(def);
	free(text);
	return CLI_OK;
}

int
cli_segment_test(struct cli *cli, int argc, char **argv)
{
	const char *format = NULL;
	const struct cli_opt opts[] = { CLI_OPT("--format", &format),
	    CLI_OPT_END };
	struct cli_args pos;
	struct segtext_test_result res;
	struct segtext_case *c;
	struct store *st;
	char *cause = NULL, *text;
	int rc, jsonl = 0;
	size_t i;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 2, 2)) != 0)
		return rc;
	if (format != NULL) {
		if (strcmp(format, "jsonl") == 0)
			jsonl = 1;
		else if (strcmp(format, "csv") != 0)
			return cli_usage(cli, _("unknown format '%s' (csv or "
			    "jsonl)"), format);
	}
	if ((text = cli_slurp(pos.v[0], &cause)) == NULL)
		return cli_error_cause(cli, cause);
	if ((rc = cli_store(cli, &st)) != CLI_OK) {
		free(text);
		return rc;
	}
	rc = segtext_test(st, text, pos.v[0], pos.v[1], jsonl, &res, &cause);
	free(text);
	if (rc != 0)
		return cli_error_cause(cli, cause);
	for (i = 0; i < res.ncases; i++) {
		c = &res.cases[i];
		if (c->got_in == c->expect_in)
			printf(_("ok    %s:%" PRIu64 ": %s is %s\n"), pos.v[1],
			    c->line, c->key, c->got_in ? _("in") : _("out"));
		else
			printf(_("FAIL  %s:%" PRIu64 ": %s is %s, expected "
			    "%s\n"), pos.v[1], c->line, c->key,
			    c->got_in ? _("in") : _("out"),
			    c->expect_in ? _("in") : _("out"));
	}
	printf(_("%zu cases: %zu passed, %zu failed.\n"), res.ncases,
	    res.ncases - res.failed, res.failed);
	rc = res.failed == 0 ? CLI_OK : CLI_FAIL;
	segtext_test_result_free(&res);
	return rc;
}

int
cli_segment_hook(struct cli *cli, int argc, char **argv)
{
	const char *set = NULL;
	int clear = 0;
	const struct cli_opt opts[] = { CLI_OPT("--set", &set),
	    CLI_FLAG("--clear", &clear), CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	struct segment *s = NULL;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		return rc;
	if (set != NULL && clear)
		return cli_usage(cli, _("give either --set or --clear"));
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (set != NULL || clear) {
		if (hooks_set_segment(st, pos.v[0], clear ? NULL : set,
		    &cause) != 0)
			return cli_error_cause(cli, cause);
		if (clear)
			printf(_("Segment '%s' has no hook now.\n"), pos.v[0]);
		else
			printf(_("Segment '%s' runs '%s' after each "
			    "recalculation.\n"), pos.v[0], set);
		return CLI_OK;
	}
	if ((rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	if (s->hook != NULL)
		printf("%s\n", s->hook);
	else
		printf(_("Segment '%s' has no hook.\n"), s->name);
	seg_free(s);
	return CLI_OK;
}

int
cli_hook(struct cli *cli, int argc, char **argv)
{
	const char *set = NULL, *timeout = NULL;
	int clear = 0, secs;
	const struct cli_opt opts[] = { CLI_OPT("--set", &set),
	    CLI_FLAG("--clear", &clear), CLI_OPT("--timeout", &timeout),
	    CLI_OPT_END };
	struct store *st;
	struct store_txn *txn;
	char *cause = NULL, *cmd = NULL;
	int64_t n;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, NULL, 0, 0)) != 0)
		return rc;
	if (set != NULL && clear)
		return cli_usage(cli, _("give either --set or --clear"));
	if (timeout != NULL && (parse_int64(timeout, strlen(timeout), &n) != 0 ||
	    n < 1 || n > 86400))
		return cli_usage(cli, _("--timeout: expected seconds between 1 "
		    "and 86400, found '%s'"), timeout);
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (!access_is_privileged())
		return cli_error(cli, _("only root and the owner of the store "
		    "may change or see the store-wide hook"));
	if (set != NULL || clear) {
		if (hooks_set_global(st, clear ? NULL : set, &cause) != 0)
			return cli_error_cause(cli, cause);
	}
	if (timeout != NULL &&
	    hooks_set_timeout(st, (int)n, &cause) != 0)
		return cli_error_cause(cli, cause);
	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = hooks_get_global(txn, &cmd, &cause);
	if (rc == 0)
		rc = hooks_get_timeout(txn, &secs, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cmd != NULL)
		printf(_("Store-wide hook: %s\n"), cmd);
	else
		printf(_("No store-wide hook.\n"));
	printf(_("Hook timeout: %d seconds.\n"), secs);
	free(cmd);
	return CLI_OK;
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
	cJSON *j, *a, *o, *ow;
	size_t i, k;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = ranges_build(txn, pos.v[0], &m, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json) {
		j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "database", pos.v[0]);
		a = cJSON_AddArrayToObject(j, "slices");
		for (i = 0; i < m.nslices; i++) {
			sl = &m.slices[i];
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
		for (k = 0; k < m.nfull; k++)
			cJSON_AddItemToArray(ow, cJSON_CreateString(m.full[k]));
		cJSON_AddNumberToObject(j, "overlaps", (double)m.noverlaps);
		cli_print_json(j, 1);
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

int
cli_object_add(struct cli *cli, int argc, char **argv)
{
	const char **segs = NULL;
	size_t nsegs = 0;
	const struct cli_opt opts[] = {
	    CLI_OPT_LIST("--segment", &segs, &nsegs), CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	enum obj_type t;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 2, 2)) != 0)
		goto out;
	if (objects_type_parse(pos.v[0], &t) != 0) {
		rc = cli_usage(cli, _("unknown object type '%s' (mailing, "
		    "scenario or loyalty)"), pos.v[0]);
		goto out;
	}
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

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 2, 2)) != 0)
		return rc;
	if (objects_type_parse(pos.v[0], &t) != 0)
		return cli_usage(cli, _("unknown object type '%s' (mailing, "
		    "scenario or loyalty)"), pos.v[0]);
	if ((rc = cli_store(cli, &st)) != CLI_OK)
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
cli_ops_objects_filter(struct object **v, size_t n, struct segment **segs,
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
	cli_ops_objects_filter(v, n, segs, nsegs);
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
			    xasprintf("%" PRIu64, v[i]->nprofiles) :
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
	const struct cli_opt opts[] = { CLI_OPT("--segment", &seg),
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
	printf(ngettext_("Added %" PRIu64 " profile of segment '%s' to "
	    "scenario '%s' (%" PRIu64 " in it now).\n", "Added %" PRIu64
	    " profiles of segment '%s' to scenario '%s' (%" PRIu64 " in it "
	    "now).\n", (unsigned long)added), added, seg, pos.v[0], total);
	return CLI_OK;
}
