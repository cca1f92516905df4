/*
 * reseg segment add, remove, why, members, export, export-history: a
 * segment's members, one by one or all at once (reseg(1), "Segments").
 * As everywhere, a segment the caller may not see is answered as a
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
#include "export.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "util.h"

int
cli_keys_gather(struct cli *cli, const struct cli_args *pos,
    const char *from, const char ***keysp, size_t *np, char **textp)
{
	const char **keys = NULL;
	char *text = NULL, *cause = NULL, *p, *line, *save;
	size_t n = 0, i, len;

	*keysp = NULL;
	*np = 0;
	*textp = NULL;
	for (i = 1; i < pos->n; i++) {
		keys = xreallocarray(keys, n + 1, sizeof *keys);
		keys[n++] = pos->v[i];
	}
	if (from != NULL) {
		if ((text = cli_slurp(from, &cause)) == NULL) {
			free(keys);
			return cli_error_cause(cli, cause);
		}
		for (line = strtok_r(text, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			len = strlen(line);
			if (len > 0 && line[len - 1] == '\r')
				line[--len] = '\0';
			for (p = line; *p == ' ' || *p == '\t'; p++)
				;
			if (*p == '\0')
				continue;
			keys = xreallocarray(keys, n + 1, sizeof *keys);
			keys[n++] = p;
		}
	}
	*keysp = keys;
	*np = n;
	*textp = text;
	if (n == 0)
		return cli_usage(cli, _("no keys given"));
	return CLI_OK;
}

static int
cli_seg_fill(struct cli *cli, int argc, char **argv, int remove)
{
	const char *from = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--from-file", &from, "F",
		N_("read more keys from F, one a line (- for standard "
		"input)")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct seg_fill_result res;
	struct store *st;
	const char **keys = NULL;
	char *text = NULL, *cause = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1,
	    (size_t)argc)) != 0 ||
	    (rc = cli_keys_gather(cli, &pos, from, &keys, &n, &text)) != 0)
		goto out;
	if ((rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		goto out;
	if (seg_fill(st, pos.v[0], remove, keys, n, util_login_name(), &res,
	    &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto out;
	}
	for (i = 0; i < res.nunknown; i++)
		cli_error(cli, _("no profile with key '%s'"), res.unknown[i]);
	if (remove)
		printf(ngettext_("Removed %s profile from segment '%s' (%s "
		    "were not in, %s unknown).\n", "Removed %s profiles from "
		    "segment '%s' (%s were not in, %s unknown).\n",
		    (unsigned long)res.changed), cli_num(res.changed),
		    pos.v[0], cli_num(res.unchanged), cli_num(res.nunknown));
	else
		printf(ngettext_("Added %s profile to segment '%s' (%s already "
		    "in, %s unknown).\n", "Added %s profiles to segment '%s' "
		    "(%s already in, %s unknown).\n",
		    (unsigned long)res.changed), cli_num(res.changed),
		    pos.v[0], cli_num(res.unchanged), cli_num(res.nunknown));
	rc = res.nunknown != 0 ? CLI_FAIL : CLI_OK;
	seg_fill_result_free(&res);
out:
	free(keys);
	free(text);
	return rc;
}

int
cli_segment_add(struct cli *cli, int argc, char **argv)
{
	return cli_seg_fill(cli, argc, argv, 0);
}

int
cli_segment_remove(struct cli *cli, int argc, char **argv)
{
	return cli_seg_fill(cli, argc, argv, 1);
}

/* {"segment", "key", "in", "explanation": [its lines]}. */
static cJSON *
cli_seg_why_json(const char *seg, const char *key, int in,
    const struct strbuf *sb)
{
	const char *p, *nl;
	cJSON *j, *a;
	char *line;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "segment", seg);
	cJSON_AddStringToObject(j, "key", key);
	cJSON_AddBoolToObject(j, "in", in);
	a = cJSON_AddArrayToObject(j, "explanation");
	for (p = sb->len != 0 ? sb->buf : ""; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		line = xstrndup(p, (size_t)(nl - p) + (*nl != '\n'));
		cJSON_AddItemToArray(a, cJSON_CreateString(line));
		free(line);
	}
	return j;
}

int
cli_segment_why(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct strbuf sb = STRBUF_INIT;
	struct store *st;
	char *cause = NULL;
	int rc, in = 0;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 2, 2)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		goto out;
	if (seg_why(st, pos.v[0], pos.v[1], &in, &sb, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto out;
	}
	if (cli->json)
		cli_print_json(cli_seg_why_json(pos.v[0], pos.v[1], in, &sb), 1);
	else {
		printf(in ? _("'%s' is in segment '%s'.\n") :
		    _("'%s' is not in segment '%s'.\n"), pos.v[1], pos.v[0]);
		if (sb.len != 0)
			fputs(sb.buf, stdout);
	}
out:
	sb_free(&sb);
	return rc;
}

/* Members and the schema of a segment's database in one read txn. */
struct cli_seg_members {
	struct segment		*seg;
	struct pdb_schema	*schema;
	roaring_bitmap_t	*members;
	struct store_txn	*txn;
	enum export_format	 format;
	int			 keys;
	uint64_t		 count;
};

static int
cli_seg_members_open(struct cli *cli, const char *name,
    struct cli_seg_members *m)
{
	enum export_format format = m->format;
	char *cause = NULL;
	int rc;

	memset(m, 0, sizeof *m);
	m->format = format;
	if ((rc = cli_read_begin(cli, &m->txn)) != CLI_OK)
		return rc;
	if (access_get(m->txn, name, &m->seg, &cause) != 0 ||
	    pdb_open(m->txn, m->seg->db, &m->schema, &cause) != 0 ||
	    seg_members(m->txn, m->seg->id, &m->members, &cause) != 0)
		return cli_error_cause(cli, cause);
	return CLI_OK;
}

static void
cli_seg_members_close(struct cli_seg_members *m)
{
	if (m->members != NULL)
		roaring_bitmap_free(m->members);
	if (m->schema != NULL)
		schema_free(m->schema);
	seg_free(m->seg);
	if (m->txn != NULL)
		store_read_end(m->txn);
}

static int
cli_seg_key_row(void *arg, uint32_t pno, const struct value *row)
{
	struct cli_seg_members *m = arg;
	const struct value *k = &row[m->schema->key_field];

	(void)pno;
	if (k->present)
		fwrite(k->u.s.p, 1, k->u.s.len, stdout);
	putchar('\n');
	m->count++;
	return 0;
}

static int
cli_seg_members_write(FILE *f, void *arg, char **cause)
{
	struct cli_seg_members *m = arg;

	return export_rows(m->txn, m->schema, m->members, m->format, f,
	    &m->count, cause);
}

int
cli_segment_members(struct cli *cli, int argc, char **argv)
{
	const char *format = "keys", *format_given = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--format", &format_given, "keys|csv|jsonl",
		N_("keys only (the default), or whole profiles")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct cli_seg_members m;
	char *cause = NULL;
	int rc;

	memset(&m, 0, sizeof m);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto out;
	if (format_given != NULL)
		format = format_given;
	/* --json: each member a JSON object on a line, as --format jsonl. */
	if (cli->json) {
		if (format_given != NULL && strcmp(format_given, "jsonl") != 0) {
			rc = cli_usage(cli, _("option '--json' gives the members "
			    "as JSON Lines; it cannot go with '--format %s'"),
			    format_given);
			goto out;
		}
		format = "jsonl";
	}
	if (strcmp(format, "keys") != 0 &&
	    export_format_parse(format, &m.format) != 0) {
		rc = cli_usage(cli, _("unknown format '%s' (keys, csv or "
		    "jsonl)"), format);
		goto out;
	}
	if ((rc = cli_seg_members_open(cli, pos.v[0], &m)) != 0)
		goto out;
	if (strcmp(format, "keys") == 0)
		rc = pdb_scan_rows(m.txn, m.schema, m.members, cli_seg_key_row,
		    &m, &cause);
	else
		rc = export_rows(m.txn, m.schema, m.members, m.format, stdout,
		    &m.count, &cause);
	rc = rc < 0 ? cli_error_cause(cli, cause) : CLI_OK;
out:
	cli_seg_members_close(&m);
	return rc;
}

int
cli_segment_export(struct cli *cli, int argc, char **argv)
{
	const char *format = NULL, *out = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--format", &format, "csv|jsonl",
		N_("the output format (default: from FILE's name, else csv)")),
	    CLI_OPT("-o", &out, "FILE",
		N_("write to FILE, not standard output")),
	    CLI_OPT("--output", &out, "FILE", NULL),
	    CLI_OPT_END };
	struct cli_args pos;
	struct cli_seg_members m;
	char *cause = NULL;
	int rc;

	memset(&m, 0, sizeof m);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto done;
	if ((rc = cli_format_for(cli, format, out, &m.format, NULL)) != 0)
		goto done;
	if ((rc = cli_seg_members_open(cli, pos.v[0], &m)) != 0)
		goto done;
	if (export_to_file(out, cli_seg_members_write, &m, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto done;
	}
	if (out != NULL && strcmp(out, "-") != 0)
		printf(ngettext_("Exported %s profile of segment '%s' to %s.\n",
		    "Exported %s profiles of segment '%s' to %s.\n",
		    (unsigned long)m.count), cli_num(m.count), pos.v[0], out);
	rc = CLI_OK;
done:
	cli_seg_members_close(&m);
	return rc;
}

struct cli_seg_histfile {
	struct store_txn	*txn;
	uint32_t		 id;
	uint64_t		 count;
};

static int
cli_seg_histfile_write(FILE *f, void *arg, char **cause)
{
	struct cli_seg_histfile *a = arg;

	return export_history(a->txn, a->id, f, &a->count, cause);
}

int
cli_segment_export_history(struct cli *cli, int argc, char **argv)
{
	const char *out = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("-o", &out, "FILE",
		N_("write to FILE, not standard output")),
	    CLI_OPT("--output", &out, "FILE", NULL),
	    CLI_OPT_END };
	struct cli_args pos;
	struct cli_seg_histfile a;
	struct segment *s = NULL;
	char *cause = NULL;
	int rc;

	memset(&a, 0, sizeof a);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &a.txn)) != CLI_OK)
		goto done;
	if (access_get(a.txn, pos.v[0], &s, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto done;
	}
	a.id = s->id;
	if (export_to_file(out, cli_seg_histfile_write, &a, &cause) != 0)
		rc = cli_error_cause(cli, cause);
	else if (out != NULL && strcmp(out, "-") != 0)
		printf(ngettext_("Exported %s history row of segment '%s' to "
		    "%s.\n", "Exported %s history rows of segment '%s' to "
		    "%s.\n", (unsigned long)a.count), cli_num(a.count),
		    pos.v[0], out);
done:
	seg_free(s);
	if (a.txn != NULL)
		store_read_end(a.txn);
	return rc;
}
