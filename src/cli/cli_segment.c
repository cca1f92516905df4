/*
 * reseg segment create, edit, list, show, script, delete: a segment's
 * definition (reseg(1), "Segments").  A segment whose access groups the
 * caller is in none of is listed nowhere and acted on by no command: each
 * command answers as for a missing one (access.h).  The helpers that
 * print a segment's times are shared with cli_runs.c (cli.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "access.h"
#include "cli/cli.h"
#include "cond.h"
#include "drop.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "sched.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

struct cli_seg_defopts {
	const char	*db, *where, *where_file, *range, *limit, *schedule;
	int		 is_static, no_limit, no_schedule, no_tags, no_groups;
	const char	**tags, **groups;
	size_t		 ntags, ngroups;
};

static void
cli_seg_strv_set(char ***v, size_t *n, const char **src, size_t nsrc)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
	for (i = 0; i < nsrc; i++) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrdup(src[i]);
	}
}

/* Applies the command-line options to a definition. */
static int
cli_seg_apply(struct cli *cli, const struct cli_seg_defopts *d,
    struct segment *s)
{
	char *cause = NULL, *text = NULL;
	struct cond *c;
	int64_t v;
	int rc;
	size_t i;

	if (d->where != NULL && d->where_file != NULL)
		return cli_usage(cli, _("use either --where or --where-file"));
	if (d->where_file != NULL &&
	    (text = cli_slurp(d->where_file, &cause)) == NULL)
		return cli_error_cause(cli, cause);
	if (d->where != NULL || text != NULL) {
		c = cond_parse(text != NULL ? text : d->where, &cause);
		free(text);
		/* A file's contents are refused; --where is misused. */
		if (c == NULL) {
			if (d->where_file != NULL)
				rc = cli_error(cli, "%s: %s", d->where_file,
				    cause);
			else
				rc = cli_usage(cli, _("conditions: %s"), cause);
			free(cause);
			return rc;
		}
		if (s->cond != NULL)
			cond_free(s->cond);
		s->cond = c;
	}
	if (d->range != NULL &&
	    seg_parse_range(d->range, &s->range_lo, &s->range_hi, &cause) != 0) {
		rc = cli_usage(cli, "%s", cause);
		free(cause);
		return rc;
	}
	if (d->no_limit && d->limit != NULL)
		return cli_usage(cli, _("use either --limit or --no-limit"));
	if (d->no_limit)
		s->limit = -1;
	if (d->limit != NULL) {
		if (parse_int64(d->limit, strlen(d->limit), &v) != 0 || v < 1)
			return cli_usage(cli, _("the limit must be a whole "
			    "number of at least 1, not '%s'"), d->limit);
		s->limit = v;
	}
	if (d->no_schedule && d->schedule != NULL)
		return cli_usage(cli, _("use either --schedule or "
		    "--no-schedule"));
	if (d->no_schedule)
		s->has_sched = 0;
	if (d->schedule != NULL) {
		if (sched_parse(d->schedule, tu_now(), &s->sched,
		    &cause) != 0) {
			rc = cli_usage(cli, "%s", cause);
			free(cause);
			return rc;
		}
		s->has_sched = 1;
	}
	/*
	 * An empty value is a mistake (an unset shell variable), never a
	 * way to clear the list: that is --no-tags / --no-groups.
	 */
	for (i = 0; i < d->ntags; i++)
		if (*d->tags[i] == '\0')
			return cli_usage(cli, _("option '--tag' may not be "
			    "empty"));
	for (i = 0; i < d->ngroups; i++)
		if (*d->groups[i] == '\0')
			return cli_usage(cli, _("option '--group' may not be "
			    "empty"));
	if (d->no_tags && d->ntags != 0)
		return cli_usage(cli, _("use either --tag or --no-tags"));
	if (d->no_groups && d->ngroups != 0)
		return cli_usage(cli, _("use either --group or --no-groups"));
	if (d->ntags != 0 || d->no_tags)
		cli_seg_strv_set(&s->tags, &s->ntags, d->tags, d->ntags);
	if (d->ngroups != 0 || d->no_groups)
		cli_seg_strv_set(&s->groups, &s->ngroups, d->groups,
		    d->ngroups);
	return CLI_OK;
}

/* The options create and edit share, in the order of their usage lines. */
#define CLI_SEG_WHERE_OPTS(d)						\
	CLI_OPT("--where", &(d).where, "SCRIPT",			\
	    N_("the conditions, as a script")),				\
	CLI_OPT("--where-file", &(d).where_file, "F",			\
	    N_("the conditions, from a script file (- for standard "	\
	    "input)")),							\
	CLI_OPT("--range", &(d).range, "A-B",				\
	    N_("only profiles in the percent slice A-B")),		\
	CLI_OPT("--limit", &(d).limit, "N",				\
	    N_("keep at most N members"))
#define CLI_SEG_SCHED_OPT(d)						\
	CLI_OPT("--schedule", &(d).schedule, "TEXT",			\
	    N_("when to recalculate, e.g. 'every day at 09:00'"))
#define CLI_SEG_TAG_OPTS(d)						\
	CLI_OPT_LIST("--tag", &(d).tags, &(d).ntags, "T",		\
	    N_("a tag; repeat for more")),				\
	CLI_OPT_LIST("--group", &(d).groups, &(d).ngroups, "G",	\
	    N_("an access group; repeat for more"))

static void
cli_seg_defopts_free(struct cli_seg_defopts *d)
{
	free(d->tags);
	free(d->groups);
}

void
cli_seg_print_next(struct segment *s)
{
	char buf[TU_DATETIME_BUF], *why = NULL;
	int64_t next, now = tu_now();

	if (seg_next_run(s, now, &next, NULL) == 0)
		printf(_("Next run: %s\n"), tu_format_datetime(next, buf));
	else if (s->state == SEG_ACTIVE && seg_sched_ended(s, now) &&
	    sched_check_runs(&s->sched, now, &why) != 0) {
		printf(_("Nothing will run: %s; give it a new schedule with "
		    "'reseg segment edit %s --schedule TEXT'.\n"), why,
		    s->name);
		free(why);
	}
}

int
cli_segment_create(struct cli *cli, int argc, char **argv)
{
	struct cli_seg_defopts d;
	struct cli_args pos;
	const struct cli_opt opts[] = {
	    CLI_OPT("--db", &d.db, "DB", N_("the profile database (required)")),
	    CLI_FLAG("--static", &d.is_static,
		N_("a static segment: members added by hand")),
	    CLI_SEG_WHERE_OPTS(d), CLI_SEG_SCHED_OPT(d), CLI_SEG_TAG_OPTS(d),
	    CLI_OPT_END };
	struct segment *s;
	struct store *st;
	char *cause = NULL;
	int rc;

	memset(&d, 0, sizeof d);
	s = xmalloc(sizeof *s);
	seg_init(s);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto out;
	if (d.db == NULL) {
		rc = cli_usage(cli, _("option '--db' is required"));
		goto out;
	}
	s->name = xstrdup(pos.v[0]);
	s->db = xstrdup(d.db);
	s->kind = d.is_static ? SEG_STATIC : SEG_SCHEDULED;
	if ((rc = cli_seg_apply(cli, &d, s)) != 0 ||
	    (rc = cli_store(cli, &st)) != CLI_OK)
		goto out;
	if (seg_create(st, s, NULL, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto out;
	}
	printf(_("Created %s segment '%s' on database '%s'.\n"),
	    s->kind == SEG_STATIC ? _("static") : _("scheduled"), s->name, s->db);
	cli_seg_print_next(s);
	rc = CLI_OK;
out:
	seg_free(s);
	cli_seg_defopts_free(&d);
	return rc;
}

int
cli_segment_edit(struct cli *cli, int argc, char **argv)
{
	struct cli_seg_defopts d;
	struct cli_args pos;
	const char *newname = NULL;
	const struct cli_opt opts[] = {
	    CLI_OPT("--name", &newname, "NEW", N_("rename the segment")),
	    CLI_SEG_WHERE_OPTS(d),
	    CLI_FLAG("--no-limit", &d.no_limit, N_("remove the limit")),
	    CLI_SEG_SCHED_OPT(d),
	    CLI_FLAG("--no-schedule", &d.no_schedule,
		N_("remove the schedule")),
	    CLI_OPT_LIST("--tag", &d.tags, &d.ntags, "T",
		N_("a tag; repeat for more (replaces the list)")),
	    CLI_FLAG("--no-tags", &d.no_tags, N_("remove every tag")),
	    CLI_OPT_LIST("--group", &d.groups, &d.ngroups, "G",
		N_("an access group; repeat for more (replaces the list)")),
	    CLI_FLAG("--no-groups", &d.no_groups,
		N_("remove every access group")),
	    CLI_OPT_END };
	struct segment *s = NULL;
	struct store *st;
	char *cause = NULL;
	int rc;

	memset(&d, 0, sizeof d);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		goto out;
	if ((rc = cli_seg_apply(cli, &d, s)) != 0)
		goto out;
	if (newname != NULL) {
		free(s->name);
		s->name = xstrdup(newname);
	}
	if (seg_update(st, pos.v[0], s, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto out;
	}
	printf(_("Updated segment '%s'.\n"), s->name);
	cli_seg_print_next(s);
	rc = CLI_OK;
out:
	seg_free(s);
	cli_seg_defopts_free(&d);
	return rc;
}

static const char *
cli_seg_state(const struct segment *s)
{
	if (s->damaged != NULL)
		return _("damaged");
	if (seg_is_updating(s))
		return _("updating");
	if (s->kind == SEG_STATIC)
		return "-";
	if (seg_stale(s, tu_now(), NULL))
		return _("stale");
	if (s->state == SEG_STOPPED)
		return _("stopped");
	return seg_sched_ended(s, tu_now()) ? _("ended") : _("active");
}

/* The state as JSON and `segment list --state` name it (untranslated). */
static const char *
cli_seg_state_name(const struct segment *s)
{
	return s->damaged != NULL ? "damaged" :
	    seg_is_updating(s) ? "updating" :
	    s->kind == SEG_STATIC ? "static" :
	    s->state == SEG_STOPPED ? "stopped" :
	    seg_sched_ended(s, tu_now()) ? "ended" : "active";
}

static char *
cli_seg_join(char **v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	sb_puts(&sb, "");
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? "," : "", v[i]);
	return sb_detach(&sb);
}

cJSON *
cli_seg_time_json(int64_t t)
{
	char buf[TU_DATETIME_BUF];

	if (t == 0)
		return cJSON_CreateNull();
	return cJSON_CreateString(tu_format_datetime(t, buf));
}

/* The conditions as a script ("" for none); malloc'd. */
static char *
cli_seg_script_text(const struct segment *s)
{
	return s->cond != NULL ? cond_print(s->cond) : xstrdup("");
}

static cJSON *
cli_seg_json(const struct segment *s, int detail)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char rb[SEG_RANGE_BUF], *text;
	int64_t next;
	size_t i;

	cJSON_AddStringToObject(o, "name", s->name);
	if (s->damaged != NULL) {
		/* Only the name is known; "damage" says why. */
		cJSON_AddNullToObject(o, "kind");
		cJSON_AddNullToObject(o, "database");
		cJSON_AddStringToObject(o, "state", "damaged");
		cJSON_AddBoolToObject(o, "stale", 0);
		cJSON_AddNullToObject(o, "profiles");
		cJSON_AddNullToObject(o, "last_run_at");
		cJSON_AddNullToObject(o, "next_run_at");
		cJSON_AddArrayToObject(o, "tags");
		cJSON_AddStringToObject(o, "damage", s->damaged);
		return o;
	}
	cJSON_AddStringToObject(o, "kind",
	    s->kind == SEG_STATIC ? "static" : "scheduled");
	cJSON_AddStringToObject(o, "database", s->db);
	cJSON_AddStringToObject(o, "state", cli_seg_state_name(s));
	cJSON_AddBoolToObject(o, "stale", seg_stale(s, tu_now(), NULL));
	cJSON_AddNumberToObject(o, "profiles", (double)s->nmembers);
	cJSON_AddItemToObject(o, "last_run_at",
	    cli_seg_time_json(s->last_run_at));
	cJSON_AddItemToObject(o, "next_run_at", seg_next_run(s, tu_now(), &next,
	    NULL) == 0 ? cli_seg_time_json(next) : cJSON_CreateNull());
	a = cJSON_AddArrayToObject(o, "tags");
	for (i = 0; i < s->ntags; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(s->tags[i]));
	if (!detail)
		return o;
	a = cJSON_AddArrayToObject(o, "groups");
	for (i = 0; i < s->ngroups; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(s->groups[i]));
	if (s->kind == SEG_SCHEDULED) {
		text = cli_seg_script_text(s);
		cJSON_AddStringToObject(o, "script", text);
		free(text);
		cJSON_AddItemToObject(o, "conditions", s->cond != NULL ?
		    cond_to_json(s->cond) : cJSON_CreateNull());
		cJSON_AddStringToObject(o, "range",
		    seg_format_range(s->range_lo, s->range_hi, rb));
		if (s->limit < 0)
			cJSON_AddNullToObject(o, "limit");
		else
			cJSON_AddNumberToObject(o, "limit", (double)s->limit);
		if (s->has_sched) {
			text = sched_format(&s->sched);
			cJSON_AddStringToObject(o, "schedule", text);
			free(text);
		} else
			cJSON_AddNullToObject(o, "schedule");
	} else {
		/* Every field is always there: null where it does not apply. */
		cJSON_AddNullToObject(o, "script");
		cJSON_AddNullToObject(o, "conditions");
		cJSON_AddNullToObject(o, "range");
		cJSON_AddNullToObject(o, "limit");
		cJSON_AddNullToObject(o, "schedule");
	}
	if (s->last_run_id != 0)
		cJSON_AddNumberToObject(o, "last_run_id", s->last_run_id);
	else
		cJSON_AddNullToObject(o, "last_run_id");
	cJSON_AddItemToObject(o, "created_at", cli_seg_time_json(s->created_at));
	return o;
}

char *
cli_seg_time(int64_t t, const char *none)
{
	char buf[TU_DATETIME_BUF];

	return xstrdup(t == 0 ? none : tu_format_datetime(t, buf));
}

static int
cli_seg_strv_has(const char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * The filters of segment list: each option may repeat, and a segment
 * passes an option when it matches any of its values (as git log
 * --author does); it is listed when it passes every option given.
 */
struct cli_seg_filter {
	const char	**tags, **dbs, **states;
	size_t		 ntags, ndbs, nstates;
	int		 stale;
};

static int
cli_seg_filter_pass(const struct cli_seg_filter *f, const struct segment *s)
{
	size_t i;

	if (f->ndbs > 0 && !cli_seg_strv_has(f->dbs, f->ndbs, s->db))
		return 0;
	if (f->nstates > 0 && !cli_seg_strv_has(f->states, f->nstates,
	    cli_seg_state_name(s)))
		return 0;
	if (f->stale && !seg_stale(s, tu_now(), NULL))
		return 0;
	if (f->ntags == 0)
		return 1;
	for (i = 0; i < s->ntags; i++)
		if (cli_seg_strv_has(f->tags, f->ntags, s->tags[i]))
			return 1;
	return 0;
}

int
cli_segment_list(struct cli *cli, int argc, char **argv)
{
	static const char *const states[] = { "active", "stopped", "ended",
	    "updating", "static", "damaged" };
	struct cli_seg_filter f;
	const struct cli_opt opts[] = {
	    CLI_OPT_LIST("--tag", &f.tags, &f.ntags, "T",
		N_("only segments with tag T; repeat for any of several")),
	    CLI_OPT_LIST("--db", &f.dbs, &f.ndbs, "DB",
		N_("only segments of database DB; repeat for any of "
		"several")),
	    CLI_OPT_LIST("--state", &f.states, &f.nstates, "S",
		N_("only segments in state S (active, stopped, ended, "
		"updating, static, damaged); repeat for any of several")),
	    CLI_FLAG("--stale", &f.stale,
		N_("only stale segments (see 'reseg status')")),
	    CLI_OPT_END };
	struct segment **v = NULL;
	struct store_txn *txn;
	char ***rows, *cause = NULL;
	size_t n = 0, i, k;
	int64_t next;
	cJSON *a;
	int rc;

	memset(&f, 0, sizeof f);
	if ((rc = cli_parse_args(cli, argc, argv, opts, NULL, 0, 0)) != 0)
		goto out;
	for (i = 0; i < f.nstates; i++) {
		for (k = 0; k < sizeof states / sizeof states[0]; k++)
			if (strcmp(f.states[i], states[k]) == 0)
				break;
		if (k == sizeof states / sizeof states[0]) {
			rc = cli_usage(cli, _("unknown state '%s' (active, "
			    "stopped, ended, updating, static or damaged)"),
			    f.states[i]);
			goto out;
		}
	}
	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		goto out;
	rc = seg_list_all(txn, &v, &n, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		goto out;
	access_filter(v, &n);
	for (i = k = 0; i < n; i++) {
		if (cli_seg_filter_pass(&f, v[i]))
			v[k++] = v[i];
		else
			seg_free(v[i]);
	}
	n = k;
	if (cli->json) {
		a = cJSON_CreateArray();
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(a, cli_seg_json(v[i], 0));
		cli_print_json(a, 1);
		goto done;
	}
	if (n == 0) {
		printf(_("No segments.\n"));
		goto done;
	}
	rows = xcalloc(n + 1, sizeof *rows);
	rows[0] = cli_table_row(8, xstrdup(_("NAME")), xstrdup(_("KIND")),
	    xstrdup(_("DATABASE")), xstrdup(_("STATE")), xstrdup(_("PROFILES")),
	    xstrdup(_("LAST RUN")), xstrdup(_("NEXT RUN")), xstrdup(_("TAGS")));
	for (i = 0; i < n; i++) {
		if (v[i]->damaged != NULL) {
			rows[i + 1] = cli_table_row(8, xstrdup(v[i]->name),
			    xstrdup("-"), xstrdup("-"), xstrdup(_("damaged")),
			    xstrdup("-"), xstrdup("-"), xstrdup("-"),
			    xstrdup(""));
			continue;
		}
		rows[i + 1] = cli_table_row(8, xstrdup(v[i]->name),
		    xstrdup(v[i]->kind == SEG_STATIC ? _("static") :
		    _("scheduled")), xstrdup(v[i]->db),
		    xstrdup(cli_seg_state(v[i])),
		    cli_count(v[i]->nmembers),
		    cli_seg_time(v[i]->last_run_at, _("never")),
		    seg_next_run(v[i], tu_now(), &next, NULL) == 0 ?
		    cli_seg_time(next, "-") : xstrdup("-"),
		    cli_seg_join(v[i]->tags, v[i]->ntags));
	}
	cli_table("llllrlll", rows, n + 1, 8);
	cli_table_free(rows, n + 1, 8);
	for (i = 0; i < n; i++) {
		if (v[i]->damaged != NULL)
			fprintf(stderr, _("%s: segment '%s' is damaged: %s "
			    "(see 'reseg check')\n"), cli->prog, v[i]->name,
			    v[i]->damaged);
	}
done:
	seg_list_free(v, n);
	rc = CLI_OK;
out:
	free(f.tags);
	free(f.dbs);
	free(f.states);
	return rc;
}

/*
 * Dependents of s: the objects using it and the segments the caller may
 * see that use it through "in segment".  JSON: an array of {"type",
 * "name"}; text: "mailing 'Welcome', segment 'U'" or "none".
 */
static int
cli_seg_users(struct store *st, const struct segment *s, cJSON **json,
    char **text, char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	struct store_txn *txn;
	struct segment **segs = NULL;
	struct object **objs = NULL;
	char **names = NULL;
	size_t nsegs = 0, nobjs = 0, nnames = 0, i, k;
	cJSON *o;
	int rc;

	if (store_read_begin(st, &txn, cause) != 0)
		return -1;
	rc = seg_dependents(txn, s->name, &segs, &nsegs, cause);
	if (rc == 0 && json != NULL)
		rc = objects_list(txn, &objs, &nobjs, cause);
	if (rc == 0 && text != NULL)
		rc = objects_segment_users(txn, s->id, &names, &nnames, cause);
	store_read_end(txn);
	if (rc != 0)
		goto out;
	access_filter(segs, &nsegs);
	if (json != NULL) {
		*json = cJSON_CreateArray();
		for (i = 0; i < nobjs; i++) {
			for (k = 0; k < objs[i]->nsegments; k++)
				if (objs[i]->segments[k] == s->id)
					break;
			if (k == objs[i]->nsegments)
				continue;
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "type",
			    objects_type_name(objs[i]->type));
			cJSON_AddStringToObject(o, "name", objs[i]->name);
			cJSON_AddItemToArray(*json, o);
		}
		for (i = 0; i < nsegs; i++) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "type", "segment");
			cJSON_AddStringToObject(o, "name", segs[i]->name);
			cJSON_AddItemToArray(*json, o);
		}
	}
	if (text != NULL) {
		for (i = 0; i < nnames; i++)
			sb_printf(&sb, "%s%s", sb.len ? ", " : "", names[i]);
		for (i = 0; i < nsegs; i++) {
			if (sb.len)
				sb_puts(&sb, ", ");
			sb_printf(&sb, _("segment '%s'"), segs[i]->name);
		}
		if (sb.len == 0)
			sb_puts(&sb, _("none"));
		*text = sb_detach(&sb);
	}
out:
	seg_list_free(segs, nsegs);
	if (objs != NULL)
		objects_list_free(objs, nobjs);
	if (names != NULL)
		objects_names_free(names, nnames);
	return rc;
}

/* The text of reseg segment show; usedby as cli_seg_users writes it. */
static void
cli_seg_print(const struct segment *s, const char *usedby, uint64_t held)
{
	char rb[SEG_RANGE_BUF], *text, buf[TU_DATETIME_BUF];
	char rb2[TU_DATETIME_BUF], rb3[TU_DATETIME_BUF];
	int64_t next, due;

	printf(_("Name:       %s\n"), s->name);
	printf(_("Kind:       %s\n"), s->kind == SEG_STATIC ? _("static") :
	    _("scheduled"));
	printf(_("Database:   %s\n"), s->db);
	printf(_("State:      %s\n"), cli_seg_state(s));
	if (seg_stale(s, tu_now(), &due)) {
		if (s->last_success_at > 0)
			printf(_("Stale:      a run was due at %s; last success "
			    "%s\n"), tu_format_datetime(due, rb2),
			    tu_format_datetime(s->last_success_at, rb3));
		else
			printf(_("Stale:      a run was due at %s; no run has "
			    "succeeded yet\n"), tu_format_datetime(due, rb2));
	}
	if (held > 0)
		printf(_("Profiles:   %s (%s deleted since, removed at the "
		    "next run)\n"), cli_num(s->nmembers), cli_num(held));
	else
		printf(_("Profiles:   %s\n"), cli_num(s->nmembers));
	if (s->kind == SEG_SCHEDULED) {
		printf(_("Range:      %s\n"),
		    seg_format_range(s->range_lo, s->range_hi, rb));
		if (s->limit < 0)
			printf(_("Limit:      none\n"));
		else
			printf(_("Limit:      %" PRId64 "\n"), s->limit);
		if (s->has_sched) {
			text = sched_format(&s->sched);
			printf(_("Schedule:   %s\n"), text);
			free(text);
		} else
			printf(_("Schedule:   none\n"));
		if (seg_next_run(s, tu_now(), &next, NULL) == 0)
			printf(_("Next run:   %s\n"),
			    tu_format_datetime(next, buf));
		else
			printf(_("Next run:   -\n"));
	}
	if (s->last_run_id == 0)
		printf(_("Last run:   never\n"));
	else
		printf(_("Last run:   %s (run %u)\n"),
		    tu_format_datetime(s->last_run_at, buf),
		    (unsigned)s->last_run_id);
	text = cli_seg_join(s->tags, s->ntags);
	printf(_("Tags:       %s\n"), text);
	free(text);
	text = cli_seg_join(s->groups, s->ngroups);
	printf(_("Groups:     %s\n"), text);
	free(text);
	printf(_("Used by:    %s\n"), usedby);
	if (s->kind == SEG_SCHEDULED) {
		text = cli_seg_script_text(s);
		printf(_("Conditions:\n"));
		if (*text != '\0')
			printf("  %s\n", text);
		free(text);
	}
}

/*
 * How many of s's members have been deleted since its last run (only a
 * scheduled segment keeps them, until its next run).
 */
static int
cli_seg_deleted_held(struct cli *cli, const struct segment *s,
    uint64_t *held)
{
	struct store_txn *txn;
	struct pdb_schema *db = NULL;
	roaring_bitmap_t *mem = NULL, *dead = NULL;
	char *cause = NULL;
	int rc;

	*held = 0;
	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = pdb_open(txn, s->db, &db, &cause);
	if (rc == 0 && db->ndeleted > 0) {
		rc = seg_members(txn, s->id, &mem, &cause);
		if (rc == 0)
			rc = pdb_deleted(txn, db, &dead, &cause);
		if (rc == 0)
			*held = roaring_bitmap_and_cardinality(mem, dead);
	}
	if (dead != NULL)
		roaring_bitmap_free(dead);
	if (mem != NULL)
		roaring_bitmap_free(mem);
	schema_free(db);
	return cli_read_end(cli, txn, rc, cause);
}

int
cli_segment_show(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct segment *s;
	struct store *st;
	char *usedby = NULL, *cause = NULL;
	cJSON *j, *users = NULL;
	uint64_t held = 0;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	if (!cli->json && (rc = cli_seg_deleted_held(cli, s, &held)) !=
	    CLI_OK) {
		seg_free(s);
		return rc;
	}
	if (cli_seg_users(st, s, cli->json ? &users : NULL,
	    cli->json ? NULL : &usedby, &cause) != 0) {
		seg_free(s);
		return cli_error_cause(cli, cause);
	}
	if (cli->json) {
		j = cli_seg_json(s, 1);
		cJSON_AddItemToObject(j, "used_by", users);
		cli_print_json(j, 1);
	} else {
		cli_seg_print(s, usedby, held);
		free(usedby);
	}
	seg_free(s);
	return CLI_OK;
}

int
cli_segment_script(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct segment *s;
	struct store *st;
	char *text;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	text = cli_seg_script_text(s);
	if (*text != '\0')
		printf("%s\n", text);
	free(text);
	seg_free(s);
	return CLI_OK;
}

int
cli_segment_delete(struct cli *cli, int argc, char **argv)
{
	int force = 0, yes = 0;
	const struct cli_opt opts[] = {
	    CLI_FLAG("--force", &force,
		N_("delete it even if objects or segments use it")),
	    CLI_FLAG("--yes", &yes, N_("do not ask for confirmation")),
	    CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		return rc;
	rc = drop_segment(st, pos.v[0], 0, &cause);
	/* --force detaches the users: ask first, naming them. */
	if (rc == DROP_IN_USE && force) {
		rc = cli_confirm(cli, yes, _("%s; delete it anyway?"), cause);
		free(cause);
		cause = NULL;
		if (rc != CLI_OK)
			return rc;
		rc = drop_segment(st, pos.v[0], 1, &cause);
	}
	if (rc != 0) {
		if (rc == DROP_IN_USE) {
			cli_error(cli, _("%s; use --force to delete it anyway"),
			    cause);
			free(cause);
			return CLI_FAIL;
		}
		return cli_error_cause(cli, cause);
	}
	printf(_("Deleted segment '%s'.\n"), pos.v[0]);
	return CLI_OK;
}
