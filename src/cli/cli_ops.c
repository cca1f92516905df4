/*
 * reseg segment copy, update, clone, hook and reseg hook: operations on a
 * segment as a whole, its members copied or edited in bulk, its
 * definition cloned, the commands run after its recalculations
 * (reseg(1), "Working with a segment's members" and "Run hooks").  Each is a thin layer
 * over segops.h and hooks.h.  And reseg backup, a copy of the whole
 * store (store.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cli/cli.h"
#include "hooks.h"
#include "i18n.h"
#include "segment.h"
#include "segops.h"
#include "util.h"

int
cli_segment_copy(struct cli *cli, int argc, char **argv)
{
	const char *to_seg = NULL, *to_db = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--to-segment", &to_seg, "S",
		N_("add the members to static segment S")),
	    CLI_OPT("--to-db", &to_db, "DB",
		N_("upsert the members' profiles into database DB")),
	    CLI_OPT_END };
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
		printf(_("Copied segment '%s' into segment '%s': %s added, "
		    "%s already there.\n"), pos.v[0], to_seg, cli_num(added),
		    cli_num(already));
		return CLI_OK;
	}
	if (segops_copy_to_db(st, pos.v[0], to_db, &res, &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Copied %s profiles of segment '%s' into database '%s': %s "
	    "new, %s updated, %s unchanged.\n"), cli_num(res.profiles),
	    pos.v[0], to_db, cli_num(res.stats.inserted),
	    cli_num(res.stats.updated), cli_num(res.stats.unchanged));
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
	int dry = 0, yes = 0;
	const struct cli_opt opts[] = {
	    CLI_OPT_LIST("--set", &setv, &nset, "FIELD=VALUE",
		N_("the value to give FIELD (repeatable)")),
	    CLI_FLAG("--dry-run", &dry,
		N_("say how many profiles would change; change nothing")),
	    CLI_FLAG("--yes", &yes, N_("do not ask for confirmation")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct segops_set *sets = NULL;
	struct strbuf what = STRBUF_INIT;
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
			rc = cli_usage(cli, "--set %s", cause);
			free(cause);
			goto out;
		}
		sb_printf(&what, "%s%s", i > 0 ? ", " : "", setv[i]);
	}
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		goto out;
	/* What the confirmation shows; the dry run's answer. */
	rc = segops_update_preview(st, pos.v[0], sets, nset, &changed,
	    &members, &cause);
	if (rc == 0 && dry) {
		printf(ngettext_("Dry run of updating segment '%s' (nothing "
		    "saved): %s of %s profile would change.\n",
		    "Dry run of updating segment '%s' (nothing saved): %s "
		    "of %s profiles would change.\n", (unsigned long)members),
		    pos.v[0], cli_num(changed), cli_num(members));
		goto out;
	}
	/* Nothing would change: nothing to confirm. */
	if (rc == 0 && changed > 0 && (rc = cli_confirm(cli, yes,
	    ngettext_("Set %s in segment '%s': %s of %s profile would "
	    "change.  Go on?", "Set %s in segment '%s': %s of %s profiles "
	    "would change.  Go on?", (unsigned long)members), what.buf,
	    pos.v[0], cli_num(changed), cli_num(members))) != CLI_OK)
		goto out;
	if (rc == 0)
		rc = segops_update(st, pos.v[0], sets, nset, &changed,
		    &members, &cause);
	if (rc != 0) {
		/* A value the field's type refuses: the command line's fault. */
		if (rc == SEGOPS_BAD_VALUE) {
			rc = cli_usage(cli, "--set %s", cause);
			free(cause);
		} else
			rc = cli_error_cause(cli, cause);
		goto out;
	}
	printf(ngettext_("Updated segment '%s': %s of %s profile changed.\n",
	    "Updated segment '%s': %s of %s profiles changed.\n", members),
	    pos.v[0], cli_num(changed), cli_num(members));
	rc = CLI_OK;
out:
	sb_free(&what);
	free(sets);
	free(setv);
	return rc;
}

int
cli_segment_clone(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct segment *c;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 2)) != 0)
		return rc;
	if (pos.n < 2)
		return cli_usage(cli, _("the clone needs a new name"));
	if ((rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	if (segops_clone(st, pos.v[0], pos.v[1], &c, &cause) != 0)
		return cli_error_cause(cli, cause);
	/* The hint names what fills this clone: no start without a schedule. */
	if (c->kind == SEG_STATIC)
		printf(_("Created static segment '%s' as a clone of '%s' "
		    "(empty: fill it with 'reseg segment add' or 'reseg "
		    "segment copy').\n"), pos.v[1], pos.v[0]);
	else if (!c->has_sched)
		printf(_("Created segment '%s' as a clone of '%s' (no "
		    "schedule: calculate it with 'reseg segment recalc').\n"),
		    pos.v[1], pos.v[0]);
	else
		printf(_("Created segment '%s' as a clone of '%s' (stopped: "
		    "start it with 'reseg segment start').\n"), pos.v[1],
		    pos.v[0]);
	seg_free(c);
	return CLI_OK;
}

int
cli_segment_hook(struct cli *cli, int argc, char **argv)
{
	const char *set = NULL;
	int clear = 0;
	const struct cli_opt opts[] = {
	    CLI_OPT("--set", &set, "CMD",
		N_("run CMD (by /bin/sh) after each recalculation")),
	    CLI_FLAG("--clear", &clear, N_("remove the hook")),
	    CLI_OPT_END };
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
	const struct cli_opt opts[] = {
	    CLI_OPT("--set", &set, "CMD",
		N_("run CMD (by /bin/sh) after every segment's "
		"recalculation")),
	    CLI_FLAG("--clear", &clear, N_("remove the store-wide hook")),
	    CLI_OPT("--timeout", &timeout, "SECONDS",
		N_("stop a hook after SECONDS (1 to 86400)")),
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
	printf(ngettext_("Hook timeout: %d second.\n",
	    "Hook timeout: %d seconds.\n", (unsigned long)secs), secs);
	free(cmd);
	return CLI_OK;
}

int
cli_backup(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct store *st;
	char *cause = NULL;
	uint64_t bytes;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		return rc;
	/* The copy holds every segment, those of every access group too. */
	if (!access_is_privileged())
		return cli_error(cli, _("only root and the owner of the store "
		    "may back it up"));
	if (store_backup(st, pos.v[0], &bytes, &cause) != 0)
		return cli_error_cause(cli, cause);
	printf(_("Backed up store %s to %s (%s bytes).\n"),
	    store_path(st), pos.v[0], cli_num(bytes));
	return CLI_OK;
}
