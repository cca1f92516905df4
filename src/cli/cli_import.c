/*
 * What the two import commands (db import, events import) share: their
 * arguments, the input and the reject file, the progress line and the
 * rows' errors.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "export.h"
#include "i18n.h"
#include "util.h"

static void
cli_import_progress(void *arg, uint64_t rows, uint64_t bytes)
{
	struct cli_import *ci = arg;

	fputc('\r', stderr);
	fprintf(stderr, ngettext_("%s: %" PRIu64 " row read (%" PRIu64 " MB)",
	    "%s: %" PRIu64 " rows read (%" PRIu64 " MB)", rows),
	    ci->io.dbname, rows, bytes / (1024 * 1024));
	ci->shown = 1;
}

int
cli_import_begin(struct cli *cli, int argc, char **argv, struct cli_import *ci)
{
	struct cli_args pos;
	const char *fmtname = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--format", &fmtname, "csv|jsonl",
		N_("the input format (default: from FILE's name)")),
	    CLI_OPT("--reject-file", &ci->reject_path, "F",
		N_("write the rejected rows to F and import the rest")),
	    CLI_OPT_END };
	int rc;

	memset(ci, 0, sizeof *ci);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 2, 2)) != 0)
		return rc;
	ci->io.dbname = pos.v[0];
	if (fmtname != NULL) {
		if (export_format_parse(fmtname, &ci->io.format) != 0)
			return cli_usage(cli, _("unknown format '%s' (use csv "
			    "or jsonl)"), fmtname);
	} else if (strcmp(pos.v[1], "-") == 0)
		return cli_usage(cli, _("reading standard input needs "
		    "--format csv or --format jsonl"));
	else if (export_format_guess(pos.v[1], &ci->io.format) != 0)
		return cli_usage(cli, _("cannot tell the format of '%s' from "
		    "its name (.csv, .jsonl or .ndjson); use --format"),
		    pos.v[1]);
	if ((rc = cli_store(cli, &ci->store)) != CLI_OK)
		return rc;
	if (strcmp(pos.v[1], "-") == 0) {
		ci->in = stdin;
		ci->io.source = "stdin";
	} else {
		if ((ci->in = fopen(pos.v[1], "r")) == NULL)
			return cli_error(cli, _("cannot open %s: %s"), pos.v[1],
			    strerror(errno));
		ci->io.source = pos.v[1];
	}
	if (ci->reject_path != NULL &&
	    (ci->reject = fopen(ci->reject_path, "w")) == NULL) {
		rc = cli_error(cli, _("cannot create %s: %s"),
		    ci->reject_path, strerror(errno));
		return cli_import_end(cli, ci, rc, 0);
	}
	ci->io.reject = ci->reject;
	if (isatty(STDERR_FILENO)) {
		ci->io.progress = cli_import_progress;
		ci->io.progress_arg = ci;
	}
	return CLI_OK;
}

void
cli_import_errors(struct cli_import *ci, int rc,
    const struct import_error *errors, size_t nerrors, uint64_t total)
{
	char *text;
	size_t i;

	if (ci->shown)
		fputc('\n', stderr);
	/* With a reject file the rows' errors are in it, not here. */
	for (i = 0; (rc != 0 || ci->reject == NULL) && i < nerrors; i++) {
		text = import_error_text(ci->io.source, &errors[i]);
		fprintf(stderr, "%s\n", text);
		free(text);
	}
	if (rc != 0 && total > nerrors)
		fprintf(stderr, ngettext_("... and %" PRIu64 " more error\n",
		    "... and %" PRIu64 " more errors\n", total - nerrors),
		    total - nerrors);
}

int
cli_import_end(struct cli *cli, struct cli_import *ci, int rc,
    uint64_t rejected)
{
	if (rc == CLI_OK && ci->reject != NULL && rejected > 0)
		fprintf(stderr, ngettext_("%s: %" PRIu64 " rejected row "
		    "written to %s\n", "%s: %" PRIu64 " rejected rows written "
		    "to %s\n", (unsigned long)rejected), ci->io.dbname,
		    rejected, ci->reject_path);
	if (ci->reject != NULL && fclose(ci->reject) != 0 && rc == CLI_OK)
		rc = cli_error(cli, _("cannot write %s: %s"), ci->reject_path,
		    strerror(errno));
	if (ci->in != NULL && ci->in != stdin)
		fclose(ci->in);
	return rc;
}
