/*
 * reseg segment dump, load, test: a segment's definition as text, written
 * out, read back (created or updated) and checked against sample
 * profiles (reseg(1), "Segments as text"); a thin layer over segtext.h.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "export.h"
#include "i18n.h"
#include "segment.h"
#include "segtext.h"
#include "util.h"

static int
cli_text_dump_write(FILE *f, void *arg, char **cause)
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
	const struct cli_opt opts[] = {
	    CLI_OPT("-o", &out, "FILE",
		N_("write to FILE, not standard output")),
	    CLI_OPT("--output", &out, "FILE", N_("the same as -o")),
	    CLI_OPT_END };
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
	rc = export_to_file(out, cli_text_dump_write, &sb, &cause);
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

/*
 * {"cases_file", "cases": [{"line", "key", "expected_in", "in", "passed"}],
 * "passed", "failed"}.
 */
static cJSON *
cli_text_test_json(const char *file, const struct segtext_test_result *res)
{
	const struct segtext_case *c;
	cJSON *j, *a, *o;
	size_t i;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "cases_file", file);
	a = cJSON_AddArrayToObject(j, "cases");
	for (i = 0; i < res->ncases; i++) {
		c = &res->cases[i];
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "line", (double)c->line);
		cJSON_AddStringToObject(o, "key", c->key);
		cJSON_AddBoolToObject(o, "expected_in", c->expect_in);
		cJSON_AddBoolToObject(o, "in", c->got_in);
		cJSON_AddBoolToObject(o, "passed", c->got_in == c->expect_in);
		cJSON_AddItemToArray(a, o);
	}
	cJSON_AddNumberToObject(j, "passed", (double)(res->ncases -
	    res->failed));
	cJSON_AddNumberToObject(j, "failed", (double)res->failed);
	return j;
}

int
cli_segment_test(struct cli *cli, int argc, char **argv)
{
	const char *format = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--format", &format, "csv|jsonl",
		N_("the format of CASES (default csv)")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct segtext_test_result res;
	struct segtext_case *c;
	struct store *st;
	enum export_format fmt;
	const char *cases;
	char *cause = NULL, *text;
	int rc, sniff;
	size_t i;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 2, 2)) != 0)
		return rc;
	if ((rc = cli_format_for(cli, format, pos.v[1], &fmt, &sniff)) != 0)
		return rc;
	cases = strcmp(pos.v[1], "-") == 0 ? "stdin" : pos.v[1];
	if ((text = cli_slurp(pos.v[0], &cause)) == NULL)
		return cli_error_cause(cli, cause);
	if ((rc = cli_store(cli, &st)) != CLI_OK) {
		free(text);
		return rc;
	}
	rc = segtext_test(st, text, pos.v[0], pos.v[1], sniff ? NULL : &fmt,
	    &res, &cause);
	free(text);
	if (rc != 0)
		return cli_error_cause(cli, cause);
	if (cli->json)
		cli_print_json(cli_text_test_json(pos.v[1], &res), 1);
	for (i = 0; i < res.ncases && !cli->json; i++) {
		c = &res.cases[i];
		if (c->got_in == c->expect_in)
			printf(_("ok    %s:%" PRIu64 ": %s is %s\n"), cases,
			    c->line, c->key, c->got_in ? _("in") : _("out"));
		else
			printf(_("FAIL  %s:%" PRIu64 ": %s is %s, expected "
			    "%s\n"), cases, c->line, c->key,
			    c->got_in ? _("in") : _("out"),
			    c->expect_in ? _("in") : _("out"));
	}
	if (!cli->json)
		printf(ngettext_("%zu case: %zu passed, %zu failed.\n",
		    "%zu cases: %zu passed, %zu failed.\n", res.ncases),
		    res.ncases, res.ncases - res.failed, res.failed);
	rc = res.failed == 0 ? CLI_OK : CLI_FAIL;
	segtext_test_result_free(&res);
	return rc;
}
