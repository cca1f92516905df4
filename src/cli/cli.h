/*
 * The command line: a thin layer over the engine.  cli.c parses the
 * global options (--store, --json, --help, --version), finds the command
 * in its table and runs it; each cli_*.c file implements one group.
 *
 * A command prints results to stdout and errors to stderr (through
 * cli_error), and returns an exit status below.  It never exits itself.
 */
#ifndef RESEG_CLI_H
#define RESEG_CLI_H

#include "import.h"
#include "store.h"

enum cli_exit {
	CLI_OK = 0,		/* success */
	CLI_FAIL = 1,		/* refused, invalid input, not found, failed run */
	CLI_USAGE = 2,		/* bad command line or option value */
	CLI_STORE = 3,		/* the store cannot be opened */
	/*
	 * reseg daemon: another scheduler holds the store (EX_TEMPFAIL);
	 * the systemd unit's RestartPreventExitStatus= names it.
	 */
	CLI_LOCKED = 75,
	/* Not an exit status: a command only told its options (below). */
	CLI_COMPLETE = 125,
	CLI_HELP = -1		/* help printed: cli_main exits 0 */
};

struct cli_complete;

struct cli {
	const char	*prog;		/* "reseg" */
	const char	*store_dir;	/* --store, else NULL (default place) */
	int		 json;		/* --json */
	int		 help;		/* --help, reseg help: print, run not */
	struct store	*store;		/* opened on first use */
	const struct cli_cmd *cmd;	/* the command being run */
	struct cli_complete *complete;	/* reseg __complete: options only */
};

struct cli_cmd {
	const char	*group;		/* "db", "segment", ... or NULL */
	const char	*name;		/* "create" */
	/* argv[0] is the command name; options may follow anywhere. */
	int		(*run)(struct cli *, int argc, char **argv);
	const char	*usage;		/* "NAME --fields SPEC [--key FIELD]" */
	const char	*summary;	/* N_("create a profile database") */
};

/* Every command, in the order of reseg --help; a NULL name ends it. */
extern const struct cli_cmd cli_commands[];

/*
 * The terminal UI, opened when no command is given: main.c hands it over
 * (the CLI does not know the UI).  It runs on the opened store and
 * returns an exit status; a cause it sets is printed as an error.
 */
typedef int (*cli_ui_fn)(struct store *, char **cause);

int	 cli_main(int argc, char **argv, cli_ui_fn ui);

/*
 * The prologue of a command, after cli_parse_args and its own checks of
 * the options: each returns CLI_OK, or the command's exit status after
 * printing the reason, so that a command goes on only on CLI_OK.
 *
 * cli_store opens the store (once) into *st: CLI_STORE if it cannot.
 */
int	 cli_store(struct cli *, struct store **st);
/* Opens the store and begins a read transaction. */
int	 cli_read_begin(struct cli *, struct store_txn **);
/*
 * Ends a read begun by cli_read_begin, whose reads returned rc (0 or -1
 * with cause): CLI_OK, or CLI_FAIL after printing cause.
 */
int	 cli_read_end(struct cli *, struct store_txn *, int rc, char *cause);
/*
 * Opens the store into *st and reads segment name, if the caller may see
 * it (access.h), in a read transaction of its own: a segment the caller
 * may not see is refused as a missing one.  s may be NULL to check only.
 */
struct segment;
int	 cli_seg_get(struct cli *, const char *name, struct store **st,
	    struct segment **s);
/*
 * Writes a message to stderr as printf would, its control characters
 * escaped (util_escape_controls) but for the format's own final newline:
 * every message of the CLI is written through it, as messages quote
 * input (names, values, paths, argv).
 */
void	 cli_eprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* "reseg: message" on stderr; returns CLI_FAIL. */
int	 cli_error(struct cli *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Prints *cause (then frees it); returns CLI_FAIL. */
int	 cli_error_cause(struct cli *, char *cause);
/* Prints the message and the command's usage line; returns CLI_USAGE. */
int	 cli_usage(struct cli *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Prints the current command's help to stdout: its usage line, summary
 * and options (opts, as cli_opt_take takes them, may be NULL); returns
 * CLI_HELP.  cli_parse_args calls it when cli->help is set, so a command
 * with its own parser calls it first thing then.
 */
struct cli_opt;
int	 cli_help(struct cli *, const struct cli_opt *opts);
/*
 * Asks before a destructive command: CLI_OK with yes (--yes) or when the
 * user answers y or yes to the question (printf-like, "[y/N]" appended)
 * on stderr, standard input being a terminal.  Otherwise CLI_FAIL after
 * "Aborted." or, standard input not being a terminal, after saying to
 * pass --yes.
 */
int	 cli_confirm(struct cli *, int yes, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Prints a table: rows[0] is the header; columns are padded by display
 * width (so UTF-8 names and translated headers line up), two blanks
 * apart.  align has one letter per column, 'l' or 'r' (NULL: all left).
 */
void	 cli_table(const char *align, char ***rows, size_t nrows, size_t ncols);
/* A row of ncols malloc'd cells (the arguments, char *), for cli_table. */
char	**cli_table_row(size_t ncols, ...);
/*
 * A count as the command line prints it: plain digits in every locale,
 * since scripts read the output as they read git's (the UI groups its
 * counts by LC_NUMERIC).  cli_count malloc'd (a table cell), cli_num in
 * one of 8 buffers used in turn (the arguments of one printf).
 */
char	*cli_count(uint64_t);
const char *cli_num(uint64_t);
/* Frees a table's rows (every cell malloc'd). */
void	 cli_table_free(char ***rows, size_t nrows, size_t ncols);
/* Columns a UTF-8 string takes on a terminal. */
int	 cli_text_width(const char *);

/*
 * One option of a command: "--name VALUE", "--name=VALUE" (also for
 * short names such as "-o"), or a flag.  Set flag, value or list.  The
 * command's help lists the table: "--name ARG  help", one line an
 * option; entries that set the same variable share a line (-o, --output).
 */
struct cli_opt {
	const char	*name;
	const char	**value;	/* the value (the last one wins) */
	int		*flag;		/* set to 1; takes no value */
	const char	***list;	/* every value, appended (free *list) */
	size_t		*nlist;
	const char	*arg;		/* "N", "FILE": as in the usage line */
	const char	*help;		/* N_("keep at most N members") */
};

/* Entries of a command's option table, which CLI_OPT_END ends. */
#define CLI_OPT(name, value, arg, help)					\
	{ (name), (value), NULL, NULL, NULL, (arg), (help) }
#define CLI_FLAG(name, flag, help)					\
	{ (name), NULL, (flag), NULL, NULL, NULL, (help) }
#define CLI_OPT_LIST(name, list, n, arg, help)				\
	{ (name), NULL, NULL, (list), (n), (arg), (help) }
#define CLI_OPT_END	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/* The positional arguments, gathered at the front of argv + 1. */
struct cli_args {
	char		**v;
	size_t		  n;
};

/*
 * If argv[*i] is one of opts (a NULL name ends them; opts may be NULL),
 * stores it, moves *i past its value and returns 1.  Returns 0 when it
 * is none of them, -1 after the usage message for a missing or
 * unwanted value.
 */
int	 cli_opt_take(struct cli *, int argc, char **argv, int *i,
	    const struct cli_opt *opts);
/*
 * For shell completion (cli_complete.c), a command is run with
 * cli->complete set: its first step hands its option table to
 * cli_complete_opts, which keeps a copy and returns CLI_COMPLETE for the
 * command to return at once, before it reads or writes anything (the
 * store refuses to open then).  Outside completion it returns 0.
 * cli_parse_args calls it first; a command that parses by itself calls
 * it before its loop.
 */
int	 cli_complete_opts(struct cli *, const struct cli_opt *opts);
/*
 * reseg __complete (bash LINE | zsh WORD...): the words a shell may put
 * where the cursor is, one a line (README, "Shell completion").
 */
int	 cli_complete(int argc, char **argv);
/*
 * Splits argv (argv[0] is the command) into opts and minpos to maxpos
 * positional arguments (pos may be NULL when maxpos is 0); "-" is a
 * positional argument, everything after "--" too.  Reorders argv.
 * Returns 0, or the usage exit status after the message, or CLI_HELP
 * after the help (cli->help): a command returns anything but 0.
 */
int	 cli_parse_args(struct cli *, int argc, char **argv,
	    const struct cli_opt *opts, struct cli_args *pos, size_t minpos,
	    size_t maxpos);
/*
 * Reads a whole file ("-": standard input) as a string; NULL with *cause
 * ("cannot open 'F': reason" or "cannot read 'F': reason") on failure,
 * and when the file is not text (a NUL byte, invalid UTF-8): "F:LINE:COL:
 * ..." from text_check.
 */
char	*cli_slurp(const char *path, char **cause);
/* Prints a JSON value (indented or on one line) and frees it. */
struct cJSON;
void	 cli_print_json(struct cJSON *, int pretty);
/*
 * cli_json.c: whether command c gives its result as JSON with --json
 * (doc/json.md); one line of JSON Lines (a stream's record), then frees it.
 */
int	 cli_json_accepted(const struct cli_cmd *c);
void	 cli_json_line(struct cJSON *);

/*
 * The import commands' shared part (cli_import.c).  cli_import_begin
 * parses `DB FILE [--format F] [--reject-file R]` (and `--replace` for
 * profiles), opens the input and
 * the reject file and sets the progress line: CLI_OK, or the exit status
 * with nothing left open.  cli_import_errors prints the rows' errors
 * after the import ran (rc its result); cli_import_end prints where the
 * rejected rows went when rc is CLI_OK, closes the files and returns rc
 * (or the failure to write the reject file).
 */
struct cli_import {
	struct import_opts	 io;
	struct store		*store;
	FILE			*in, *reject;
	FILE			*sniffed;	/* under in, when sniffed */
	const char		*reject_path;
	int			 shown;		/* the progress line */
};
int	 cli_import_begin(struct cli *, int argc, char **argv,
	    struct cli_import *, int profiles);
/*
 * The format of a file to read or write (cli_import.c): --format's
 * value when given (fmtname), else from the file's name
 * (export_format_guess), refused when the name does not tell; path NULL
 * or "-" (standard input or output) gives CSV, and a reader sniffs
 * instead (export_format_sniff; *sniff set when it must).  CLI_OK or the
 * usage exit status.
 */
int	 cli_format_for(struct cli *, const char *fmtname, const char *path,
	    enum export_format *, int *sniff);
void	 cli_import_errors(struct cli_import *, int rc,
	    const struct import_error *, size_t nerrors, uint64_t total);
int	 cli_import_end(struct cli *, struct cli_import *, int rc,
	    uint64_t rejected);

/*
 * The helpers the segment files share (cli_segment.c).
 *
 * cli_seg_print_next prints when s runs next, or why it never will.
 */
void	 cli_seg_print_next(struct segment *);
/* A time as ISO 8601 (UTC); 0 (never) is JSON null, or the text none. */
struct cJSON *cli_seg_time_json(int64_t);
char	*cli_seg_time(int64_t, const char *none);

/*
 * The keys of reseg segment add/remove and db delete-profiles: the
 * positional arguments after the first, then the lines of file `from`
 * (NULL: none; "-": standard input), blanks around them and empty lines
 * skipped.  *keys (free it) points into pos and *text (free it).
 * CLI_OK, or the exit status after the message (none given: usage).
 */
int	 cli_keys_gather(struct cli *, const struct cli_args *pos,
	    const char *from, const char ***keys, size_t *n, char **text);

/* Command implementations, one family per file. */
/* cli_db.c */
int	 cli_demo(struct cli *, int, char **);
int	 cli_db_create(struct cli *, int, char **);
int	 cli_db_alter(struct cli *, int, char **);
int	 cli_db_list(struct cli *, int, char **);
int	 cli_db_show(struct cli *, int, char **);
int	 cli_db_drop(struct cli *, int, char **);
int	 cli_db_delete_profiles(struct cli *, int, char **);
int	 cli_db_import(struct cli *, int, char **);
int	 cli_db_export(struct cli *, int, char **);
int	 cli_db_ranges(struct cli *, int, char **);
/* cli_attach.c */
int	 cli_db_attach(struct cli *, int, char **);
int	 cli_db_refresh(struct cli *, int, char **);
int	 cli_segment_sql(struct cli *, int, char **);
/* cli_events.c */
int	 cli_events_import(struct cli *, int, char **);
int	 cli_events_list(struct cli *, int, char **);
int	 cli_events_stats(struct cli *, int, char **);
int	 cli_events_prune(struct cli *, int, char **);
/* cli_segment.c: definitions */
int	 cli_segment_create(struct cli *, int, char **);
int	 cli_segment_edit(struct cli *, int, char **);
int	 cli_segment_list(struct cli *, int, char **);
int	 cli_segment_show(struct cli *, int, char **);
int	 cli_segment_script(struct cli *, int, char **);
int	 cli_segment_delete(struct cli *, int, char **);
/* cli_members.c */
int	 cli_segment_add(struct cli *, int, char **);
int	 cli_segment_remove(struct cli *, int, char **);
int	 cli_segment_why(struct cli *, int, char **);
int	 cli_segment_members(struct cli *, int, char **);
int	 cli_segment_export(struct cli *, int, char **);
int	 cli_segment_export_history(struct cli *, int, char **);
/* cli_runs.c */
int	 cli_segment_recalc(struct cli *, int, char **);
int	 cli_segment_log(struct cli *, int, char **);
int	 cli_segment_history(struct cli *, int, char **);
int	 cli_segment_start(struct cli *, int, char **);
int	 cli_segment_stop(struct cli *, int, char **);
/* cli_ops.c: copy, bulk edit, clone, hooks, backup */
int	 cli_segment_copy(struct cli *, int, char **);
int	 cli_segment_update(struct cli *, int, char **);
int	 cli_segment_clone(struct cli *, int, char **);
int	 cli_segment_hook(struct cli *, int, char **);
int	 cli_hook(struct cli *, int, char **);
int	 cli_backup(struct cli *, int, char **);
/* cli_text.c */
int	 cli_segment_dump(struct cli *, int, char **);
int	 cli_segment_load(struct cli *, int, char **);
int	 cli_segment_test(struct cli *, int, char **);
/* cli_objects.c */
int	 cli_object_add(struct cli *, int, char **);
int	 cli_object_list(struct cli *, int, char **);
int	 cli_object_remove(struct cli *, int, char **);
int	 cli_scenario_add_profiles(struct cli *, int, char **);
/* cli_query.c */
int	 cli_query_add(struct cli *, int, char **);
int	 cli_query_list(struct cli *, int, char **);
int	 cli_query_show(struct cli *, int, char **);
int	 cli_query_run(struct cli *, int, char **);
int	 cli_query_drop(struct cli *, int, char **);
/* cli_schedule.c */
int	 cli_schedule_next(struct cli *, int, char **);
int	 cli_daemon(struct cli *, int, char **);
int	 cli_status(struct cli *, int, char **);
int	 cli_check(struct cli *, int, char **);

#endif
