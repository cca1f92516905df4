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
#include <sys/stat.h>
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
	cli_eprintf(ngettext_("%s: %s row read (%s MB)",
	    "%s: %s rows read (%s MB)", rows), ci->io.dbname, cli_num(rows),
	    cli_num(bytes / (1024 * 1024)));
	ci->shown = 1;
}

int
cli_format_for(struct cli *cli, const char *fmtname, const char *path,
    enum export_format *fmt, int *sniff)
{
	struct stat sb;
	int stream;

	*fmt = EXPORT_CSV;
	if (sniff != NULL)
		*sniff = 0;
	if (fmtname != NULL) {
		if (export_format_parse(fmtname, fmt) != 0)
			return cli_usage(cli, _("unknown format '%s' (use csv "
			    "or jsonl)"), fmtname);
		return CLI_OK;
	}
	if (path != NULL && strcmp(path, "-") != 0 &&
	    export_format_guess(path, fmt) == 0)
		return CLI_OK;
	/*
	 * A pipe or a device (/dev/stdin, /dev/null) is a stream too; so is
	 * a directory here, to be refused as one when it is opened.
	 */
	stream = path == NULL || strcmp(path, "-") == 0 ||
	    (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode));
	if (!stream)
		return cli_usage(cli, _("cannot tell the format of '%s' from "
		    "its name (.csv, .jsonl, .ndjson or .json); use --format"),
		    path);
	if (sniff != NULL)
		*sniff = 1;
	return CLI_OK;
}

int
cli_import_begin(struct cli *cli, int argc, char **argv, struct cli_import *ci,
    int profiles)
{
	struct cli_args pos;
	const char *fmtname = NULL;
	struct cli_opt opts[] = {
	    CLI_OPT("--format", &fmtname, "csv|jsonl",
		N_("the input format (default: from FILE's name, or "
		"sniffed on standard input)")),
	    CLI_OPT("--reject-file", &ci->reject_path, "F",
		N_("write the rejected rows to F and import the rest")),
	    CLI_FLAG("--replace", &ci->io.replace,
		N_("empty the fields a row does not name (default: keep "
		"their stored values)")),
	    CLI_OPT_END };
	char *cause = NULL;
	struct stat sb;
	FILE *f;
	int rc, sniff;

	memset(ci, 0, sizeof *ci);
	/* Events are only added: --replace is for profiles. */
	if (!profiles)
		opts[2] = (struct cli_opt)CLI_OPT_END;
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 2, 2)) != 0)
		return rc;
	ci->io.dbname = pos.v[0];
	if ((rc = cli_format_for(cli, fmtname, pos.v[1], &ci->io.format,
	    &sniff)) != CLI_OK)
		return rc;
	if ((rc = cli_store(cli, &ci->store)) != CLI_OK)
		return rc;
	if (strcmp(pos.v[1], "-") == 0) {
		ci->in = stdin;
		ci->io.source = "stdin";
	} else {
		if ((ci->in = fopen(pos.v[1], "r")) == NULL)
			return cli_error(cli, _("cannot open %s: %s"), pos.v[1],
			    strerror(errno));
		/* Read as a file, a directory looks empty. */
		if (fstat(fileno(ci->in), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fclose(ci->in);
			ci->in = NULL;
			return cli_error(cli, _("cannot open %s: it is a "
			    "directory, not a file"), pos.v[1]);
		}
		ci->io.source = pos.v[1];
	}
	if (sniff && (f = export_format_sniff(ci->in, &ci->io.format,
	    &cause)) == NULL) {
		rc = cli_error_cause(cli, cause);
		return cli_import_end(cli, ci, rc, 0);
	}
	if (sniff) {
		/* Closing the sniffed stream leaves ci->in to close. */
		ci->sniffed = ci->in;
		ci->in = f;
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
		cli_eprintf("%s\n", text);
		free(text);
	}
	if (rc != 0 && total > nerrors)
		cli_eprintf(ngettext_("... and %s more error\n",
		    "... and %s more errors\n", total - nerrors),
		    cli_num(total - nerrors));
}

int
cli_import_end(struct cli *cli, struct cli_import *ci, int rc,
    uint64_t rejected)
{
	if (rc == CLI_OK && ci->reject != NULL && rejected > 0)
		cli_eprintf(ngettext_("%s: %s rejected row written to %s\n",
		    "%s: %s rejected rows written to %s\n",
		    (unsigned long)rejected), ci->io.dbname, cli_num(rejected),
		    ci->reject_path);
	if (ci->reject != NULL && fclose(ci->reject) != 0 && rc == CLI_OK)
		rc = cli_error(cli, _("cannot write %s: %s"), ci->reject_path,
		    strerror(errno));
	if (ci->in != NULL && ci->in != stdin)
		fclose(ci->in);
	if (ci->sniffed != NULL && ci->sniffed != stdin)
		fclose(ci->sniffed);
	return rc;
}
