/*
 * The command line's frame: the command table (the order of reseg --help),
 * the global options, the argument parser, the prologue every command
 * opens with (cli_store, cli_read_begin/cli_read_end, cli_seg_get),
 * tables and messages; and cli_main, which sets the process up
 * (engine_init: RESEG_NOW is checked first), runs one command or the UI
 * main.c hands over, and closes the store after either.  The commands
 * themselves live in cli_<family>.c (cli.h lists them).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

#include <cjson/cJSON.h>

#include "access.h"
#include "cli/cli.h"
#include "engine.h"
#include "i18n.h"
#include "segment.h"
#include "util.h"

/*
 * Every command.  The order is the order of `reseg --help`.
 */
const struct cli_cmd cli_commands[] = {
	{ NULL, "demo", cli_demo, "[--profiles N] [--force]",
	    N_("create a demo database of generated profiles") },
	{ "db", "create", cli_db_create,
	    "NAME --fields SPEC [--key FIELD] [--event-fields SPEC]",
	    N_("create a profile database") },
	{ "db", "alter", cli_db_alter,
	    "NAME (--add-field F:TYPE | --add-event-field F:TYPE)...",
	    N_("add profile fields or event properties to a database") },
	{ "db", "attach", cli_db_attach,
	    "NAME --postgres CONNINFO --table [SCHEMA.]TABLE --key COLUMN "
	    "[--order COLUMN] [--timeout SECONDS] [--events-table T "
	    "--events-key C --events-name C --events-time C]",
	    N_("attach a PostgreSQL table as a profile database") },
	{ "db", "refresh", cli_db_refresh, "NAME",
	    N_("read an attached database's columns again") },
	{ "db", "list", cli_db_list, "",
	    N_("list the profile databases") },
	{ "db", "show", cli_db_show, "NAME",
	    N_("show a database's fields, key and profile count") },
	{ "db", "delete-profiles", cli_db_delete_profiles,
	    "NAME KEY... [--from-file F] [--ignore-missing] [--yes]",
	    N_("delete profiles with their events and memberships") },
	{ "db", "drop", cli_db_drop, "NAME [--yes]",
	    N_("delete a database and its profiles") },
	{ "db", "import", cli_db_import,
	    "NAME FILE|- [--format csv|jsonl] [--reject-file F] [--replace]",
	    N_("import profiles (upsert by key) from CSV or JSON Lines") },
	{ "db", "export", cli_db_export, "NAME [--format csv|jsonl] [-o FILE]",
	    N_("export profiles as CSV or JSON Lines") },
	{ "events", "import", cli_events_import,
	    "DB FILE|- [--format csv|jsonl] [--reject-file F]",
	    N_("import events from CSV or JSON Lines") },
	{ "events", "list", cli_events_list,
	    "DB [--key K] [--name E] [--from D] [--to D] [--limit N]",
	    N_("list events, newest first") },
	{ "events", "stats", cli_events_stats, "DB",
	    N_("count events per name, with the first and last time") },
	{ "events", "prune", cli_events_prune, "DB --before D",
	    N_("delete the events older than a date") },
	{ "segment", "create", cli_segment_create,
	    "NAME --db DB [--static] [--where SCRIPT | --where-file F] "
	    "[--range A-B] [--limit N] [--schedule TEXT] [--tag T]... "
	    "[--group G]...",
	    N_("create a segment") },
	{ "segment", "edit", cli_segment_edit,
	    "NAME [--name NEW] [--where SCRIPT | --where-file F] [--range A-B] "
	    "[--limit N | --no-limit] [--schedule TEXT | --no-schedule] "
	    "[--tag T... | --no-tags] [--group G... | --no-groups]",
	    N_("change a segment's definition") },
	{ "segment", "list", cli_segment_list,
	    "[--tag T]... [--db DB]... [--state S]... [--stale]",
	    N_("list the segments") },
	{ "segment", "show", cli_segment_show, "NAME",
	    N_("show a segment's definition, state and last run") },
	{ "segment", "script", cli_segment_script, "NAME",
	    N_("print a segment's conditions as a script") },
	{ "segment", "delete", cli_segment_delete, "NAME [--force] [--yes]",
	    N_("delete a segment with its members and log") },
	{ "segment", "add", cli_segment_add, "NAME KEY... [--from-file F]",
	    N_("add profiles to a static segment") },
	{ "segment", "remove", cli_segment_remove, "NAME KEY... [--from-file F]",
	    N_("remove profiles from a static segment") },
	{ "segment", "recalc", cli_segment_recalc, "NAME [--dry-run]",
	    N_("recalculate a segment now (manual run)") },
	{ "segment", "sql", cli_segment_sql, "NAME",
	    N_("print the SQL a recalculation runs in PostgreSQL") },
	{ "segment", "why", cli_segment_why, "NAME KEY",
	    N_("say whether a profile is in a segment, and why") },
	{ "segment", "members", cli_segment_members,
	    "NAME [--format keys|csv|jsonl]",
	    N_("print a segment's members in profile-number order") },
	{ "segment", "log", cli_segment_log, "NAME",
	    N_("show a segment's run log") },
	{ "segment", "history", cli_segment_history,
	    "NAME [--group day|week|month|quarter|year] [--from D] [--to D]",
	    N_("show a segment's profile count over time") },
	{ "segment", "start", cli_segment_start, "NAME",
	    N_("resume a segment's schedule") },
	{ "segment", "stop", cli_segment_stop, "NAME",
	    N_("pause a segment's schedule (it is kept)") },
	{ "segment", "export", cli_segment_export,
	    "NAME [--format csv|jsonl] [-o FILE]",
	    N_("export a segment's members as CSV or JSON Lines") },
	{ "segment", "export-history", cli_segment_export_history,
	    "NAME [-o FILE]",
	    N_("export per-profile changes of every run as CSV") },
	{ "schedule", "next", cli_schedule_next,
	    "TEXT [--after ISO] [--count N]",
	    N_("print the next run times of a schedule (UTC ISO 8601)") },
	{ NULL, "daemon", cli_daemon, "[--catch-up-grace DUR] [--syslog]",
	    N_("run the scheduler without the terminal UI") },
	{ NULL, "status", cli_status, "",
	    N_("show the scheduler holder, running and stale segments") },
	{ NULL, "check", cli_check, "",
	    N_("check every table and chunk of the store; name each "
	    "problem") },
	{ NULL, "backup", cli_backup, "DIR",
	    N_("write a consistent, compacted copy of the store to DIR") },
	{ "segment", "copy", cli_segment_copy,
	    "NAME (--to-segment S | --to-db DB)",
	    N_("copy the members into a static segment or another database") },
	{ "segment", "update", cli_segment_update,
	    "NAME --set FIELD=VALUE [--set FIELD=VALUE]... [--dry-run] "
	    "[--yes]",
	    N_("bulk edit: set fields of every member (all or nothing)") },
	{ "segment", "clone", cli_segment_clone, "NAME NEW",
	    N_("copy a definition under a new name (the clone is stopped)") },
	{ "segment", "dump", cli_segment_dump, "NAME [-o FILE]",
	    N_("write a segment's definition as text") },
	{ "segment", "load", cli_segment_load, "FILE|-",
	    N_("create or update a segment from its text definition") },
	{ "segment", "test", cli_segment_test,
	    "FILE CASES [--format csv|jsonl]",
	    N_("check a text definition against sample profiles") },
	{ "segment", "hook", cli_segment_hook, "NAME [--set CMD | --clear]",
	    N_("show or set the command run after each recalculation") },
	{ NULL, "hook", cli_hook,
	    "[--set CMD | --clear] [--timeout SECONDS]",
	    N_("show or set the store-wide run hook and its timeout") },
	{ "db", "ranges", cli_db_ranges, "NAME",
	    N_("show which segments own which percent slices") },
	{ "object", "add", cli_object_add,
	    "mailing|scenario|loyalty NAME --segment S [--segment S]...",
	    N_("register a dependent object using segments") },
	{ "object", "list", cli_object_list, "",
	    N_("list the dependent objects") },
	{ "object", "remove", cli_object_remove,
	    "mailing|scenario|loyalty NAME",
	    N_("remove a dependent object") },
	{ "scenario", "add-profiles", cli_scenario_add_profiles,
	    "SCENARIO --segment S",
	    N_("add a segment's members to a scenario") },
	{ "query", "add", cli_query_add,
	    "NAME --postgres CONNINFO --sql SQL [--cache MINUTES] "
	    "[--timeout SECONDS]",
	    N_("add an external data query (PostgreSQL) for 'in query'") },
	{ "query", "list", cli_query_list, "",
	    N_("list the external data queries and their caches") },
	{ "query", "show", cli_query_show, "NAME",
	    N_("show a query's connection, statement and cache") },
	{ "query", "run", cli_query_run, "NAME",
	    N_("run a query now, print its values and refresh its cache") },
	{ "query", "drop", cli_query_drop, "NAME",
	    N_("forget a query no segment uses") },
	{ NULL, NULL, NULL, NULL, NULL }
};

static void
print_version(void)
{
	printf("reseg %s\n", PACKAGE_VERSION);
}

static void
print_command_line(const struct cli_cmd *c, FILE *f)
{
	const char *sep = *c->usage != '\0' ? " " : "";

	if (c->group != NULL)
		fprintf(f, "  reseg %s %s%s%s\n", c->group, c->name, sep,
		    c->usage);
	else
		fprintf(f, "  reseg %s%s%s\n", c->name, sep, c->usage);
}

static void
print_help(const char *group)
{
	const struct cli_cmd *c;

	printf(_("Usage: reseg [--store DIR] [COMMAND] [OPTIONS]\n"));
	printf(_("       reseg help [COMMAND]\n"));
	printf(_("Scheduled segments of customer profiles.  With no command, "
	    "opens the terminal UI.\n\n"));
	printf(_("Commands:\n"));
	for (c = cli_commands; c->name != NULL; c++) {
		if (group != NULL && (c->group == NULL || strcmp(c->group, group) != 0))
			continue;
		print_command_line(c, stdout);
		printf("      %s\n", _(c->summary));
	}
	printf(_("\nGlobal options:\n"
	    "  --store DIR   use the store in DIR (default: $RESEG_STORE, "
	    "$XDG_DATA_HOME/reseg)\n"
	    "  --json        the result as JSON (see doc/json.md)\n"
	    "  --help        show help (also after a command)\n"
	    "  --version     show the version\n"));
	printf(_("\nSee reseg(1) for everything, including exit codes.\n"));
}

/* Whether two entries of an option table set the same variable. */
static int
cli_opt_same(const struct cli_opt *a, const struct cli_opt *b)
{
	return (a->value != NULL && a->value == b->value) ||
	    (a->flag != NULL && a->flag == b->flag) ||
	    (a->list != NULL && a->list == b->list);
}

int
cli_help(struct cli *cli, const struct cli_opt *opts)
{
	const struct cli_cmd *c = cli->cmd;
	const struct cli_opt *o, *e;
	const char *help;
	char ***rows = NULL;
	size_t n = 0;

	printf(_("Usage:\n"));
	print_command_line(c, stdout);
	printf("\n%s\n", _(c->summary));
	/* One line an option; aliases (-o, --output) share it. */
	for (o = opts; o != NULL && o->name != NULL; o = e) {
		struct strbuf sb = STRBUF_INIT;

		help = NULL;
		sb_puts(&sb, " ");
		for (e = o; e->name != NULL && cli_opt_same(o, e); e++) {
			sb_printf(&sb, "%s %s", e == o ? "" : ",", e->name);
			if (help == NULL && e->help != NULL)
				help = _(e->help);
		}
		if (o->arg != NULL)
			sb_printf(&sb, " %s", o->arg);
		rows = xreallocarray(rows, n + 1, sizeof *rows);
		rows[n++] = cli_table_row(2, sb_detach(&sb),
		    xstrdup(help != NULL ? help : ""));
	}
	if (n > 0) {
		printf(_("\nOptions:\n"));
		cli_table(NULL, rows, n, 2);
		cli_table_free(rows, n, 2);
	}
	printf(_("\nGlobal options: --store DIR, --json, --help "
	    "(see 'reseg --help').\n"));
	return CLI_HELP;
}

static void
cli_veprintf(const char *fmt, va_list ap)
{
	size_t flen = strlen(fmt);
	int newline = flen > 0 && fmt[flen - 1] == '\n';
	char *raw, *text;

	raw = xvasprintf(fmt, ap);
	/* The format's own final newline ends the line; the rest is escaped. */
	if (newline)
		raw[strlen(raw) - 1] = '\0';
	text = util_escape_controls(raw);
	fputs(text, stderr);
	if (newline)
		fputc('\n', stderr);
	free(text);
	free(raw);
}

void
cli_eprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_veprintf(fmt, ap);
	va_end(ap);
}

/* "reseg: message" and a newline on stderr. */
static void
cli_vmessage(struct cli *cli, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", cli->prog);
	cli_veprintf(fmt, ap);
	fputc('\n', stderr);
}

int
cli_confirm(struct cli *cli, int yes, const char *fmt, ...)
{
	char line[64];
	va_list ap;
	size_t len;

	if (yes)
		return CLI_OK;
	if (!isatty(STDIN_FILENO)) {
		/* apt-get and git clean ask or refuse; they never assume yes. */
		va_start(ap, fmt);
		cli_vmessage(cli, fmt, ap);
		va_end(ap);
		return cli_error(cli, _("standard input is not a terminal: "
		    "pass --yes to confirm; nothing was changed"));
	}
	va_start(ap, fmt);
	cli_veprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, " %s ", _("[y/N]"));
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		line[0] = '\0';
	len = strcspn(line, "\r\n");
	line[len] = '\0';
	if (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0 ||
	    strcasecmp(line, _("y")) == 0 || strcasecmp(line, _("yes")) == 0)
		return CLI_OK;
	if (feof(stdin))
		fputc('\n', stderr);
	return cli_error(cli, _("aborted: nothing was changed"));
}

int
cli_text_width(const char *s)
{
	mbstate_t ps;
	wchar_t wc;
	size_t len, left = strlen(s);
	int w = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (left > 0) {
		len = mbrtowc(&wc, s, left, &ps);
		if (len == (size_t)-1 || len == (size_t)-2) {
			/* Not text in this locale: a byte a column. */
			memset(&ps, 0, sizeof ps);
			len = 1;
			cw = 1;
		} else {
			if (len == 0)
				len = 1;
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		w += cw;
		s += len;
		left -= len;
	}
	return w;
}

void
cli_table(const char *align, char ***rows, size_t nrows, size_t ncols)
{
	struct strbuf line = STRBUF_INIT;
	size_t r, c;
	int *w, cw, pad;

	w = xcalloc(ncols, sizeof *w);
	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			cw = cli_text_width(rows[r][c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (r = 0; r < nrows; r++) {
		sb_reset(&line);
		for (c = 0; c < ncols; c++) {
			pad = w[c] - cli_text_width(rows[r][c]);
			if (align != NULL && align[c] == 'r')
				sb_printf(&line, "%*s%s", pad, "", rows[r][c]);
			else
				sb_printf(&line, "%s%*s", rows[r][c], pad, "");
			if (c + 1 < ncols)
				sb_puts(&line, "  ");
		}
		/* No trailing blanks (an empty last cell). */
		while (line.len > 0 && line.buf[line.len - 1] == ' ')
			line.buf[--line.len] = '\0';
		puts(line.buf);
	}
	sb_free(&line);
	free(w);
}

char **
cli_table_row(size_t ncols, ...)
{
	char **row = xcalloc(ncols, sizeof *row);
	va_list ap;
	size_t c;

	va_start(ap, ncols);
	for (c = 0; c < ncols; c++)
		row[c] = va_arg(ap, char *);
	va_end(ap);
	return row;
}

char *
cli_count(uint64_t n)
{
	return xstrdup(cli_num(n));
}

const char *
cli_num(uint64_t n)
{
	static char	 bufs[8][COUNT_BUF];
	static int	 next;

	next = (next + 1) % 8;
	snprintf(bufs[next], sizeof bufs[next], "%" PRIu64, n);
	return bufs[next];
}

void
cli_table_free(char ***rows, size_t nrows, size_t ncols)
{
	size_t r, c;

	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++)
			free(rows[r][c]);
		free(rows[r]);
	}
	free(rows);
}

int
cli_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vmessage(cli, fmt, ap);
	va_end(ap);
	return CLI_FAIL;
}

int
cli_error_cause(struct cli *cli, char *cause)
{
	cli_error(cli, "%s", cause != NULL ? cause : _("unknown error"));
	free(cause);
	return CLI_FAIL;
}

int
cli_usage(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vmessage(cli, fmt, ap);
	va_end(ap);
	if (cli->cmd != NULL) {
		fprintf(stderr, _("Usage:\n"));
		print_command_line(cli->cmd, stderr);
	}
	return CLI_USAGE;
}

int
cli_opt_take(struct cli *cli, int argc, char **argv, int *i,
    const struct cli_opt *opts)
{
	const struct cli_opt *o;
	const char *arg = argv[*i], *eq, *val;
	size_t nlen;

	eq = strchr(arg, '=');
	nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	for (o = opts; o != NULL && o->name != NULL; o++) {
		if (strlen(o->name) == nlen && strncmp(o->name, arg, nlen) == 0)
			break;
		/* "-oFILE", as getopt reads a short option's value. */
		if (o->name[1] != '-' && o->flag == NULL &&
		    strncmp(o->name, arg, 2) == 0 && arg[2] != '\0' &&
		    arg[2] != '=') {
			val = arg + 2;
			goto take;
		}
	}
	if (o == NULL || o->name == NULL)
		return 0;
	if (o->flag != NULL) {
		if (eq != NULL) {
			cli_usage(cli, _("option '%s' takes no value"),
			    o->name);
			return -1;
		}
		*o->flag = 1;
		return 1;
	}
	if (eq != NULL)
		val = eq + 1;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else {
		cli_usage(cli, _("option '%s' needs a value"), o->name);
		return -1;
	}
take:
	if (o->value != NULL)
		*o->value = val;
	else {
		*o->list = xreallocarray(*o->list, *o->nlist + 1,
		    sizeof **o->list);
		(*o->list)[(*o->nlist)++] = val;
	}
	return 1;
}

int
cli_parse_args(struct cli *cli, int argc, char **argv,
    const struct cli_opt *opts, struct cli_args *pos, size_t minpos,
    size_t maxpos)
{
	struct cli_args none;
	char *arg;
	int i, rc, dashdash = 0;

	if ((rc = cli_complete_opts(cli, opts)) != 0)
		return rc;
	if (cli->help)
		return cli_help(cli, opts);
	if (pos == NULL)
		pos = &none;
	pos->v = argv + 1;
	pos->n = 0;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (dashdash || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (pos->n == maxpos)
				return cli_usage(cli, _("unexpected argument "
				    "'%s'"), arg);
			/* Never ahead of i: argv[i] is read already. */
			pos->v[pos->n++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if ((rc = cli_opt_take(cli, argc, argv, &i, opts)) < 0)
			return CLI_USAGE;
		if (rc == 0)
			return cli_usage(cli, _("unknown option '%s'"), arg);
	}
	if (pos->n < minpos)
		return cli_usage(cli, _("missing argument"));
	return 0;
}

char *
cli_slurp(const char *path, char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	struct stat st;
	size_t n;
	FILE *f;
	int saved;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		error_set(cause, _("cannot open '%s': %s"), path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (f != stdin)
			fclose(f);
		error_set(cause, _("cannot open '%s': it is a directory, not a "
		    "file"), path);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	if (ferror(f)) {
		saved = errno;
		if (f != stdin)
			fclose(f);
		sb_free(&sb);
		error_set(cause, _("cannot read '%s': %s"), path,
		    strerror(saved));
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	if (text_check(sb.buf, sb.len, path, 1, cause) != 0) {
		sb_free(&sb);
		return NULL;
	}
	sb_puts(&sb, "");
	return sb_detach(&sb);
}

void
cli_print_json(cJSON *j, int pretty)
{
	char *text = pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j);

	printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(j);
}

int
cli_store(struct cli *cli, struct store **st)
{
	char *cause = NULL;

	if (cli->complete != NULL) {
		*st = NULL;
		return CLI_STORE;
	}
	if (cli->store == NULL &&
	    engine_open(cli->store_dir, &cli->store, &cause) != 0) {
		cli_error(cli, "%s", cause);
		free(cause);
		cli->store = NULL;
	}
	*st = cli->store;
	return cli->store != NULL ? CLI_OK : CLI_STORE;
}

int
cli_read_begin(struct cli *cli, struct store_txn **txn)
{
	struct store *st;
	char *cause = NULL;
	int rc;

	*txn = NULL;
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (store_read_begin(st, txn, &cause) != 0)
		return cli_error_cause(cli, cause);
	return CLI_OK;
}

int
cli_read_end(struct cli *cli, struct store_txn *txn, int rc, char *cause)
{
	store_read_end(txn);
	return rc != 0 ? cli_error_cause(cli, cause) : CLI_OK;
}

int
cli_seg_get(struct cli *cli, const char *name, struct store **st,
    struct segment **s)
{
	struct store_txn *txn;
	struct segment *seg = NULL;
	char *cause = NULL;
	int rc;

	if (s != NULL)
		*s = NULL;
	if ((rc = cli_store(cli, st)) != CLI_OK ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = access_get(txn, name, &seg, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (s != NULL)
		*s = seg;
	else
		seg_free(seg);
	return CLI_OK;
}

/* The UI on the store, set up and torn down as a command is. */
static int
cli_run_ui(struct cli *cli, cli_ui_fn ui)
{
	struct store *st;
	char *cause = NULL;
	int rc;

	if (engine_init(ENGINE_CLOCK_RUNNING, &cause) != 0)
		return cli_error_cause(cli, cause);
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	rc = ui(st, &cause);
	if (cause != NULL)
		cli_error_cause(cli, cause);
	engine_close(cli->store);
	cli->store = NULL;
	return rc;
}

/* Removes the global options from argv wherever they stand. */
static int
take_global_options(struct cli *cli, int *argc, char **argv, int *want_help,
    int *want_version)
{
	int i, j = 0;

	for (i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--store") == 0) {
			if (i + 1 >= *argc)
				return cli_usage(cli, _("option '--store' needs a directory"));
			cli->store_dir = argv[++i];
		} else if (strncmp(argv[i], "--store=", 8) == 0)
			cli->store_dir = argv[i] + 8;
		else if (strcmp(argv[i], "--json") == 0)
			cli->json = 1;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			*want_help = 1;
		else if (strcmp(argv[i], "--version") == 0)
			*want_version = 1;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return 0;
}

static const struct cli_cmd *
find_command(int argc, char **argv, int *used, int *group_known)
{
	const struct cli_cmd *c;

	*group_known = 0;
	for (c = cli_commands; c->name != NULL; c++) {
		if (c->group == NULL) {
			if (argc >= 1 && strcmp(argv[0], c->name) == 0) {
				*used = 1;
				return c;
			}
			continue;
		}
		if (argc >= 1 && strcmp(argv[0], c->group) == 0) {
			*group_known = 1;
			if (argc >= 2 && strcmp(argv[1], c->name) == 0) {
				*used = 2;
				return c;
			}
		}
	}
	return NULL;
}

int
cli_main(int argc, char **argv, cli_ui_fn ui)
{
	struct cli cli = { .prog = "reseg" };
	const struct cli_cmd *cmd;
	int want_help = 0, want_version = 0, used = 0, group_known, rc;
	char *cause = NULL;

	argc--;
	argv++;
	/* Before the global options: the words are the shell's, not ours. */
	if (argc >= 1 && strcmp(argv[0], "__complete") == 0)
		return cli_complete(argc, argv);
	rc = take_global_options(&cli, &argc, argv, &want_help, &want_version);
	if (rc != 0)
		return rc;
	if (want_version) {
		print_version();
		return CLI_OK;
	}
	/* reseg help [COMMAND], as git's: COMMAND --help. */
	while (argc > 0 && strcmp(argv[0], "help") == 0) {
		argc--;
		argv++;
		want_help = 1;
	}
	if (argc == 0) {
		if (want_help) {
			print_help(NULL);
			return CLI_OK;
		}
		if (cli.json)
			return cli_usage(&cli, _("option '--json': the terminal "
			    "UI prints no result to give as JSON"));
		return cli_run_ui(&cli, ui);
	}
	cmd = find_command(argc, argv, &used, &group_known);
	if (cmd == NULL) {
		if (group_known && want_help && argc == 1) {
			print_help(argv[0]);
			return CLI_OK;
		}
		if (group_known && argc == 1) {
			cli_usage(&cli, _("missing %s command"), argv[0]);
			fprintf(stderr, _("Usage:\n"));
			for (cmd = cli_commands; cmd->name != NULL; cmd++)
				if (cmd->group != NULL &&
				    strcmp(cmd->group, argv[0]) == 0)
					print_command_line(cmd, stderr);
			fprintf(stderr, _("Try 'reseg help %s'.\n"), argv[0]);
			return CLI_USAGE;
		}
		if (group_known)
			cli_usage(&cli, _("unknown %s command '%s'"), argv[0], argv[1]);
		else
			cli_usage(&cli, _("unknown command '%s'"), argv[0]);
		fprintf(stderr, _("Try 'reseg --help'.\n"));
		return CLI_USAGE;
	}
	cli.cmd = cmd;
	if (want_help) {
		/* The command prints its help from its own option table. */
		cli.help = 1;
		rc = cmd->run(&cli, argc - used + 1, argv + used - 1);
		fflush(stdout);
		return rc == CLI_HELP && !ferror(stdout) ? CLI_OK : CLI_FAIL;
	}
	if (cli.json && !cli_json_accepted(cmd))
		return cli_usage(&cli, _("option '--json': 'reseg %s%s%s' "
		    "prints no result to give as JSON"),
		    cmd->group != NULL ? cmd->group : "",
		    cmd->group != NULL ? " " : "", cmd->name);
	/* The daemon runs for long: RESEG_NOW only says where it starts. */
	if (engine_init(cmd->run == cli_daemon ? ENGINE_CLOCK_RUNNING :
	    ENGINE_CLOCK_FIXED, &cause) != 0)
		return cli_error_cause(&cli, cause);
	rc = cmd->run(&cli, argc - used + 1, argv + used - 1);
	engine_close(cli.store);
	fflush(stdout);
	if (ferror(stdout) && rc == CLI_OK)
		rc = cli_error(&cli, _("could not write the output"));
	return rc;
}
