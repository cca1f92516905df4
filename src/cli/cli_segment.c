/*
 * reseg segment ...: create, edit, list, show, script, delete, add,
 * remove, recalc, why, members, log, history, start, stop, export,
 * export-history (SPEC 5).  A segment whose access groups the caller is
 * in none of is listed nowhere and acted on by no command: each command
 * answers as for a missing one (access.h).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "access.h"
#include "cli/cli.h"
#include "cond.h"
#include "drop.h"
#include "csv.h"
#include "export.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "sched.h"
#include "segment.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

struct cli_seg_defopts {
	const char	*db, *where, *where_file, *range, *limit, *schedule;
	int		 is_static, no_limit, no_schedule;
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
		if (*src[i] == '\0')
			continue;
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

	if (d->where != NULL && d->where_file != NULL)
		return cli_usage(cli, _("use either --where or --where-file"));
	if (d->where_file != NULL &&
	    (text = cli_slurp(d->where_file, &cause)) == NULL)
		return cli_error_cause(cli, cause);
	if (d->where != NULL || text != NULL) {
		c = cond_parse(text != NULL ? text : d->where, &cause);
		free(text);
		if (c == NULL) {
			if (d->where_file != NULL)
				cli_error(cli, "%s: %s", d->where_file, cause);
			else
				cli_error(cli, _("conditions: %s"), cause);
			free(cause);
			return CLI_FAIL;
		}
		if (s->cond != NULL)
			cond_free(s->cond);
		s->cond = c;
	}
	if (d->range != NULL &&
	    seg_parse_range(d->range, &s->range_lo, &s->range_hi, &cause) != 0)
		return cli_error_cause(cli, cause);
	if (d->no_limit && d->limit != NULL)
		return cli_usage(cli, _("use either --limit or --no-limit"));
	if (d->no_limit)
		s->limit = -1;
	if (d->limit != NULL) {
		if (parse_int64(d->limit, strlen(d->limit), &v) != 0 || v < 1)
			return cli_error(cli, _("the limit must be a whole "
			    "number of at least 1, not '%s'"), d->limit);
		s->limit = v;
	}
	if (d->no_schedule && d->schedule != NULL)
		return cli_usage(cli, _("use either --schedule or "
		    "--no-schedule"));
	if (d->no_schedule)
		s->has_sched = 0;
	if (d->schedule != NULL) {
		if (sched_parse(d->schedule, tu_now(), &s->sched, &cause) != 0)
			return cli_error_cause(cli, cause);
		s->has_sched = 1;
	}
	if (d->ntags != 0)
		cli_seg_strv_set(&s->tags, &s->ntags, d->tags, d->ntags);
	if (d->ngroups != 0)
		cli_seg_strv_set(&s->groups, &s->ngroups, d->groups,
		    d->ngroups);
	return CLI_OK;
}

#define CLI_SEG_DEFOPTS(d)						\
	CLI_OPT("--db", &(d).db),					\
	CLI_FLAG("--static", &(d).is_static),				\
	CLI_OPT("--where", &(d).where),					\
	CLI_OPT("--where-file", &(d).where_file),			\
	CLI_OPT("--range", &(d).range),					\
	CLI_OPT("--limit", &(d).limit),					\
	CLI_FLAG("--no-limit", &(d).no_limit),				\
	CLI_OPT("--schedule", &(d).schedule),				\
	CLI_FLAG("--no-schedule", &(d).no_schedule),			\
	CLI_OPT_LIST("--tag", &(d).tags, &(d).ntags),			\
	CLI_OPT_LIST("--group", &(d).groups, &(d).ngroups)

static void
cli_seg_defopts_free(struct cli_seg_defopts *d)
{
	free(d->tags);
	free(d->groups);
}

static void
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
	const struct cli_opt opts[] = { CLI_SEG_DEFOPTS(d), CLI_OPT_END };
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
	if (d.no_limit || d.no_schedule) {
		rc = cli_usage(cli, _("--no-limit and --no-schedule are for "
		    "'segment edit'"));
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
	const struct cli_opt opts[] = { CLI_SEG_DEFOPTS(d),
	    CLI_OPT("--name", &newname), CLI_OPT_END };
	struct segment *s = NULL;
	struct store *st;
	char *cause = NULL;
	int rc;

	memset(&d, 0, sizeof d);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		goto out;
	if (d.db != NULL && strcmp(d.db, s->db) != 0) {
		rc = cli_error(cli, _("the database of segment '%s' cannot be "
		    "changed (it is '%s')"), s->name, s->db);
		goto out;
	}
	if (d.is_static && s->kind != SEG_STATIC) {
		rc = cli_error(cli, _("the kind of segment '%s' cannot be "
		    "changed (it is %s)"), s->name, _("scheduled"));
		goto out;
	}
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

static cJSON *
cli_seg_time_json(int64_t t)
{
	char buf[TU_DATETIME_BUF];

	if (t == 0)
		return cJSON_CreateNull();
	return cJSON_CreateString(tu_format_datetime(t, buf));
}

static cJSON *
cli_seg_json(const struct segment *s, int detail)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char rb[SEG_RANGE_BUF], *text;
	int64_t next;
	size_t i;

	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddStringToObject(o, "kind",
	    s->kind == SEG_STATIC ? "static" : "scheduled");
	cJSON_AddStringToObject(o, "db", s->db);
	cJSON_AddStringToObject(o, "state", seg_is_updating(s) ? "updating" :
	    s->kind == SEG_STATIC ? "static" :
	    s->state == SEG_STOPPED ? "stopped" :
	    seg_sched_ended(s, tu_now()) ? "ended" : "active");
	cJSON_AddBoolToObject(o, "stale", seg_stale(s, tu_now(), NULL));
	cJSON_AddNumberToObject(o, "profiles", (double)s->nmembers);
	cJSON_AddItemToObject(o, "last_run", cli_seg_time_json(s->last_run_at));
	cJSON_AddItemToObject(o, "next_run", seg_next_run(s, tu_now(), &next,
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
		text = s->cond != NULL ? cond_print(s->cond) : xstrdup("");
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
	}
	cJSON_AddNumberToObject(o, "last_run_id", s->last_run_id);
	cJSON_AddItemToObject(o, "created_at", cli_seg_time_json(s->created_at));
	return o;
}

static char *
cli_seg_time(int64_t t, const char *none)
{
	char buf[TU_DATETIME_BUF];

	return xstrdup(t == 0 ? none : tu_format_datetime(t, buf));
}

int
cli_segment_list(struct cli *cli, int argc, char **argv)
{
	struct segment **v = NULL;
	struct store_txn *txn;
	char ***rows, *cause = NULL;
	size_t n = 0, i;
	int64_t next;
	cJSON *a;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, NULL, 0, 0)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = seg_list(txn, &v, &n, &cause);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	access_filter(v, &n);
	if (cli->json) {
		a = cJSON_CreateArray();
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(a, cli_seg_json(v[i], 0));
		cli_print_json(a, 1);
		seg_list_free(v, n);
		return CLI_OK;
	}
	if (n == 0) {
		printf(_("No segments.\n"));
		seg_list_free(v, n);
		return CLI_OK;
	}
	rows = xcalloc(n + 1, sizeof *rows);
	rows[0] = cli_table_row(8, xstrdup(_("NAME")), xstrdup(_("KIND")),
	    xstrdup(_("DATABASE")), xstrdup(_("STATE")), xstrdup(_("PROFILES")),
	    xstrdup(_("LAST RUN")), xstrdup(_("NEXT RUN")), xstrdup(_("TAGS")));
	for (i = 0; i < n; i++) {
		rows[i + 1] = cli_table_row(8, xstrdup(v[i]->name),
		    xstrdup(v[i]->kind == SEG_STATIC ? _("static") :
		    _("scheduled")), xstrdup(v[i]->db),
		    xstrdup(cli_seg_state(v[i])),
		    xasprintf("%" PRIu64, v[i]->nmembers),
		    cli_seg_time(v[i]->last_run_at, _("never")),
		    seg_next_run(v[i], tu_now(), &next, NULL) == 0 ?
		    cli_seg_time(next, "-") : xstrdup("-"),
		    cli_seg_join(v[i]->tags, v[i]->ntags));
	}
	cli_table("llllrlll", rows, n + 1, 8);
	cli_table_free(rows, n + 1, 8);
	seg_list_free(v, n);
	return CLI_OK;
}

/*
 * Dependents of s (issue 6): the objects using it and the segments the
 * caller may see that use it through "in segment".  JSON: an array of
 * {"type", "name"}; text: "mailing 'Welcome', segment 'U'" or "none".
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

int
cli_segment_show(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct segment *s;
	struct store *st;
	char rb[SEG_RANGE_BUF], *text, buf[TU_DATETIME_BUF], *cause = NULL;
	char rb2[TU_DATETIME_BUF], rb3[TU_DATETIME_BUF];
	char *usedby;
	int64_t next, due;
	cJSON *j, *users;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	if (cli->json) {
		if (cli_seg_users(st, s, &users, NULL, &cause) != 0) {
			seg_free(s);
			return cli_error_cause(cli, cause);
		}
		j = cli_seg_json(s, 1);
		cJSON_AddItemToObject(j, "used_by", users);
		cli_print_json(j, 1);
		seg_free(s);
		return CLI_OK;
	}
	if (cli_seg_users(st, s, NULL, &usedby, &cause) != 0) {
		seg_free(s);
		return cli_error_cause(cli, cause);
	}
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
	printf(_("Profiles:   %" PRIu64 "\n"), s->nmembers);
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
	free(usedby);
	if (s->kind == SEG_SCHEDULED) {
		text = s->cond != NULL ? cond_print(s->cond) : xstrdup("");
		printf(_("Conditions:\n"));
		if (*text != '\0')
			printf("  %s\n", text);
		free(text);
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
	text = s->cond != NULL ? cond_print(s->cond) : xstrdup("");
	if (*text != '\0')
		printf("%s\n", text);
	free(text);
	seg_free(s);
	return CLI_OK;
}

int
cli_segment_delete(struct cli *cli, int argc, char **argv)
{
	int force = 0;
	const struct cli_opt opts[] = { CLI_FLAG("--force", &force),
	    CLI_OPT_END };
	struct cli_args pos;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		return rc;
	if ((rc = drop_segment(st, pos.v[0], force, &cause)) != 0) {
		if (rc == DROP_IN_USE)
			return cli_error(cli, _("%s; use --force to delete it "
			    "anyway"), cause);
		return cli_error_cause(cli, cause);
	}
	printf(_("Deleted segment '%s'.\n"), pos.v[0]);
	return CLI_OK;
}

static int
cli_seg_fill(struct cli *cli, int argc, char **argv, int remove)
{
	const char *from = NULL;
	const struct cli_opt opts[] = { CLI_OPT("--from-file", &from),
	    CLI_OPT_END };
	struct cli_args pos;
	struct seg_fill_result res;
	struct store *st;
	const char **keys = NULL;
	char *text = NULL, *cause = NULL, *p, *line, *save;
	size_t n = 0, i, len;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1,
	    (size_t)argc)) != 0)
		goto out;
	for (i = 1; i < pos.n; i++) {
		keys = xreallocarray(keys, n + 1, sizeof *keys);
		keys[n++] = pos.v[i];
	}
	if (from != NULL) {
		if ((text = cli_slurp(from, &cause)) == NULL) {
			rc = cli_error_cause(cli, cause);
			goto out;
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
	if (n == 0) {
		rc = cli_usage(cli, _("no keys given"));
		goto out;
	}
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
		printf(ngettext_("Removed %" PRIu64 " profile from segment "
		    "'%s' (%" PRIu64 " were not in, %zu unknown).\n",
		    "Removed %" PRIu64 " profiles from segment '%s' (%" PRIu64
		    " were not in, %zu unknown).\n",
		    (unsigned long)res.changed), res.changed, pos.v[0],
		    res.unchanged, res.nunknown);
	else
		printf(ngettext_("Added %" PRIu64 " profile to segment '%s' "
		    "(%" PRIu64 " already in, %zu unknown).\n", "Added %" PRIu64
		    " profiles to segment '%s' (%" PRIu64 " already in, %zu "
		    "unknown).\n", (unsigned long)res.changed), res.changed,
		    pos.v[0], res.unchanged, res.nunknown);
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

int
cli_segment_recalc(struct cli *cli, int argc, char **argv)
{
	int dry = 0;
	const struct cli_opt opts[] = { CLI_FLAG("--dry-run", &dry),
	    CLI_OPT_END };
	struct cli_args pos;
	struct recalc_opts o;
	struct run_record r;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		return rc;
	memset(&o, 0, sizeof o);
	o.type = RUN_MANUAL;
	o.initiator = util_login_name();
	o.dry_run = dry;
	if (seg_recalc(st, pos.v[0], &o, &r, &cause) != 0) {
		run_record_clear(&r);
		return cli_error_cause(cli, cause);
	}
	if (dry)
		printf(_("Dry run of segment '%s' (nothing saved): "
		    "added %" PRIu64 ", removed %" PRIu64 ", total %" PRIu64
		    ".\n"), pos.v[0], r.added, r.removed, r.total);
	else
		printf(_("Recalculated segment '%s' (run %u): added %" PRIu64
		    ", removed %" PRIu64 ", total %" PRIu64 ".\n"), pos.v[0],
		    (unsigned)r.id, r.added, r.removed, r.total);
	run_record_clear(&r);
	return CLI_OK;
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
	printf(in ? _("'%s' is in segment '%s'.\n") :
	    _("'%s' is not in segment '%s'.\n"), pos.v[1], pos.v[0]);
	if (sb.len != 0)
		fputs(sb.buf, stdout);
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
	const char *format = "keys";
	const struct cli_opt opts[] = { CLI_OPT("--format", &format),
	    CLI_OPT_END };
	struct cli_args pos;
	struct cli_seg_members m;
	char *cause = NULL;
	int rc;

	memset(&m, 0, sizeof m);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto out;
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
	const struct cli_opt opts[] = { CLI_OPT("--format", &format),
	    CLI_OPT("-o", &out), CLI_OPT("--output", &out), CLI_OPT_END };
	struct cli_args pos;
	struct cli_seg_members m;
	char *cause = NULL;
	int rc;

	memset(&m, 0, sizeof m);
	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto done;
	m.format = EXPORT_CSV;
	if (format != NULL && export_format_parse(format, &m.format) != 0) {
		rc = cli_usage(cli, _("unknown format '%s' (csv or jsonl)"),
		    format);
		goto done;
	}
	if (format == NULL && out != NULL && strcmp(out, "-") != 0 &&
	    export_format_guess(out, &m.format) != 0)
		m.format = EXPORT_CSV;
	if ((rc = cli_seg_members_open(cli, pos.v[0], &m)) != 0)
		goto done;
	if (export_to_file(out, cli_seg_members_write, &m, &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto done;
	}
	if (out != NULL && strcmp(out, "-") != 0)
		printf(ngettext_("Exported %" PRIu64 " profile of segment '%s' "
		    "to %s.\n", "Exported %" PRIu64 " profiles of segment '%s' "
		    "to %s.\n", (unsigned long)m.count), m.count, pos.v[0],
		    out);
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
	const struct cli_opt opts[] = { CLI_OPT("-o", &out),
	    CLI_OPT("--output", &out), CLI_OPT_END };
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
		printf(ngettext_("Exported %" PRIu64 " history row of segment "
		    "'%s' to %s.\n", "Exported %" PRIu64 " history rows of "
		    "segment '%s' to %s.\n", (unsigned long)a.count), a.count,
		    pos.v[0], out);
done:
	seg_free(s);
	if (a.txn != NULL)
		store_read_end(a.txn);
	return rc;
}

int
cli_segment_log(struct cli *cli, int argc, char **argv)
{
	struct cli_args pos;
	struct run_record *runs = NULL;
	struct store_txn *txn;
	struct segment *s = NULL;
	char ***rows, *cause = NULL, buf[TU_DATETIME_BUF];
	size_t n = 0, i;
	cJSON *a, *o;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_read_begin(cli, &txn)) != CLI_OK)
		return rc;
	rc = access_get(txn, pos.v[0], &s, &cause);
	if (rc == 0)
		rc = seg_runs(txn, s->id, &runs, &n, &cause);
	seg_free(s);
	if ((rc = cli_read_end(cli, txn, rc, cause)) != CLI_OK)
		return rc;
	if (cli->json) {
		a = cJSON_CreateArray();
		for (i = 0; i < n; i++) {
			o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "run", runs[i].id);
			cJSON_AddItemToObject(o, "started",
			    cli_seg_time_json(runs[i].started_at));
			cJSON_AddItemToObject(o, "ended",
			    cli_seg_time_json(runs[i].ended_at));
			cJSON_AddStringToObject(o, "type",
			    run_type_name(runs[i].type));
			cJSON_AddStringToObject(o, "initiator",
			    runs[i].initiator);
			cJSON_AddNumberToObject(o, "added",
			    (double)runs[i].added);
			cJSON_AddNumberToObject(o, "removed",
			    (double)runs[i].removed);
			cJSON_AddNumberToObject(o, "total",
			    (double)runs[i].total);
			cJSON_AddStringToObject(o, "status",
			    run_status_name(runs[i].status));
			if (runs[i].error != NULL)
				cJSON_AddStringToObject(o, "error",
				    runs[i].error);
			cJSON_AddItemToArray(a, o);
		}
		cli_print_json(a, 1);
		run_records_free(runs, n);
		return CLI_OK;
	}
	if (n == 0) {
		printf(_("Segment '%s' has no runs yet.\n"), pos.v[0]);
		return CLI_OK;
	}
	rows = xcalloc(n + 1, sizeof *rows);
	rows[0] = cli_table_row(9, xstrdup(_("RUN")), xstrdup(_("STARTED")),
	    xstrdup(_("ENDED")), xstrdup(_("TYPE")), xstrdup(_("INITIATOR")),
	    xstrdup(_("ADDED")), xstrdup(_("REMOVED")), xstrdup(_("TOTAL")),
	    xstrdup(_("STATUS")));
	for (i = 0; i < n; i++) {
		rows[i + 1] = cli_table_row(9,
		    xasprintf("%u", (unsigned)runs[i].id),
		    xstrdup(tu_format_datetime(runs[i].started_at, buf)),
		    cli_seg_time(runs[i].ended_at, "-"),
		    xstrdup(_(run_type_name(runs[i].type))),
		    xstrdup(runs[i].initiator),
		    xasprintf("%" PRIu64, runs[i].added),
		    xasprintf("%" PRIu64, runs[i].removed),
		    xasprintf("%" PRIu64, runs[i].total),
		    runs[i].error != NULL ? xasprintf("%s: %s",
		    _(run_status_name(runs[i].status)), runs[i].error) :
		    xstrdup(_(run_status_name(runs[i].status))));
	}
	cli_table("rllllrrrl", rows, n + 1, 9);
	cli_table_free(rows, n + 1, 9);
	run_records_free(runs, n);
	return CLI_OK;
}

/* --from / --to: a local date (whole day) or an ISO 8601 instant. */
static int
cli_seg_when(struct cli *cli, const char *opt, const char *s,
    const struct tz *tz, int end, int64_t *out)
{
	int32_t day;

	if (tu_parse_date(s, strlen(s), &day) == 0) {
		*out = tz_local_to_utc(tz, end ? day + 1 : day, 0) - (end ? 1 : 0);
		return 0;
	}
	if (tu_parse_datetime(s, strlen(s), 1, out) == 0)
		return 0;
	return cli_usage(cli, _("option '%s' needs a date (YYYY-MM-DD) or an "
	    "ISO 8601 time, not '%s'"), opt, s);
}

static char *
cli_seg_period(enum hist_group g, const struct hist_point *p)
{
	char buf[TU_DATETIME_BUF];
	int y, m, d;

	tu_civil_from_days(p->day, &y, &m, &d);
	switch (g) {
	case HIST_RUN:
		return xasprintf("%s", tu_format_datetime(p->at, buf));
	case HIST_DAY:
	case HIST_WEEK:
		return xasprintf("%04d-%02d-%02d", y, m, d);
	case HIST_MONTH:
		return xasprintf("%04d-%02d", y, m);
	case HIST_QUARTER:
		return xasprintf("%04d-Q%d", y, (m - 1) / 3 + 1);
	case HIST_YEAR:
		return xasprintf("%04d", y);
	}
	return xstrdup("?");
}

int
cli_segment_history(struct cli *cli, int argc, char **argv)
{
	const char *group = NULL, *from = NULL, *to = NULL;
	const struct cli_opt opts[] = { CLI_OPT("--group", &group),
	    CLI_OPT("--from", &from), CLI_OPT("--to", &to), CLI_OPT_END };
	struct cli_args pos;
	struct hist_point *pts = NULL;
	struct store_txn *txn = NULL;
	struct segment *s = NULL;
	struct tz *tz = NULL;
	enum hist_group g = HIST_RUN;
	int64_t tfrom = INT64_MIN, tto = INT64_MAX;
	char ***rows, *cause = NULL, *label;
	size_t n = 0, i;
	cJSON *a, *o;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, opts, &pos, 1, 1)) != 0)
		goto done;
	if (group != NULL && hist_group_parse(group, &g) != 0) {
		rc = cli_usage(cli, _("unknown grouping '%s' (run, day, week, "
		    "month, quarter or year)"), group);
		goto done;
	}
	if ((rc = cli_read_begin(cli, &txn)) != CLI_OK)
		goto done;
	if (access_get(txn, pos.v[0], &s, &cause) != 0 ||
	    (tz = tz_open(s->has_sched ? s->sched.tz : NULL, &cause)) == NULL) {
		rc = cli_error_cause(cli, cause);
		goto done;
	}
	if ((from != NULL &&
	    (rc = cli_seg_when(cli, "--from", from, tz, 0, &tfrom)) != 0) ||
	    (to != NULL &&
	    (rc = cli_seg_when(cli, "--to", to, tz, 1, &tto)) != 0))
		goto done;
	if (seg_history(txn, s->id, g, tfrom, tto, NULL, &pts, &n,
	    &cause) != 0) {
		rc = cli_error_cause(cli, cause);
		goto done;
	}
	if (cli->json) {
		a = cJSON_CreateArray();
		for (i = 0; i < n; i++) {
			o = cJSON_CreateObject();
			label = cli_seg_period(g, &pts[i]);
			cJSON_AddStringToObject(o, "period", label);
			free(label);
			if (g == HIST_RUN)
				cJSON_AddNumberToObject(o, "run",
				    pts[i].run_id);
			else
				cJSON_AddNumberToObject(o, "runs",
				    pts[i].nruns);
			cJSON_AddNumberToObject(o, "total",
			    (double)pts[i].total);
			cJSON_AddNumberToObject(o, "added_automatic",
			    (double)pts[i].added_auto);
			cJSON_AddNumberToObject(o, "removed_automatic",
			    (double)pts[i].removed_auto);
			cJSON_AddNumberToObject(o, "added_manual",
			    (double)pts[i].added_manual);
			cJSON_AddNumberToObject(o, "removed_manual",
			    (double)pts[i].removed_manual);
			cJSON_AddItemToArray(a, o);
		}
		cli_print_json(a, 1);
		rc = CLI_OK;
		goto done;
	}
	if (n == 0) {
		printf(_("Segment '%s' has no completed runs in this "
		    "period.\n"), s->name);
		rc = CLI_OK;
		goto done;
	}
	rows = xcalloc(n + 1, sizeof *rows);
	rows[0] = cli_table_row(7, xstrdup(g == HIST_RUN ? _("TIME") :
	    _("PERIOD")), xstrdup(g == HIST_RUN ? _("RUN") : _("RUNS")),
	    xstrdup(_("TOTAL")), xstrdup(_("+AUTO")), xstrdup(_("-AUTO")),
	    xstrdup(_("+MANUAL")), xstrdup(_("-MANUAL")));
	for (i = 0; i < n; i++)
		rows[i + 1] = cli_table_row(7, cli_seg_period(g, &pts[i]),
		    xasprintf("%u", g == HIST_RUN ? (unsigned)pts[i].run_id :
		    (unsigned)pts[i].nruns),
		    xasprintf("%" PRIu64, pts[i].total),
		    xasprintf("%" PRIu64, pts[i].added_auto),
		    xasprintf("%" PRIu64, pts[i].removed_auto),
		    xasprintf("%" PRIu64, pts[i].added_manual),
		    xasprintf("%" PRIu64, pts[i].removed_manual));
	cli_table("lrrrrrr", rows, n + 1, 7);
	cli_table_free(rows, n + 1, 7);
	rc = CLI_OK;
done:
	free(pts);
	if (tz != NULL)
		tz_close(tz);
	seg_free(s);
	if (txn != NULL)
		store_read_end(txn);
	return rc;
}

static int
cli_seg_state_cmd(struct cli *cli, int argc, char **argv,
    enum seg_state state)
{
	struct cli_args pos;
	struct segment *s;
	struct store *st;
	char *cause = NULL;
	int rc;

	if ((rc = cli_parse_args(cli, argc, argv, NULL, &pos, 1, 1)) != 0 ||
	    (rc = cli_seg_get(cli, pos.v[0], &st, NULL)) != CLI_OK)
		return rc;
	if (seg_set_state(st, pos.v[0], state, &cause) != 0)
		return cli_error_cause(cli, cause);
	if ((rc = cli_seg_get(cli, pos.v[0], &st, &s)) != CLI_OK)
		return rc;
	if (state == SEG_STOPPED)
		printf(_("Segment '%s' is stopped; its schedule is kept.\n"),
		    pos.v[0]);
	else {
		printf(_("Segment '%s' is active.\n"), pos.v[0]);
		cli_seg_print_next(s);
	}
	seg_free(s);
	return CLI_OK;
}

int
cli_segment_start(struct cli *cli, int argc, char **argv)
{
	return cli_seg_state_cmd(cli, argc, argv, SEG_ACTIVE);
}

int
cli_segment_stop(struct cli *cli, int argc, char **argv)
{
	return cli_seg_state_cmd(cli, argc, argv, SEG_STOPPED);
}
