/*
 * Segment actions of the list and the page (README, "The terminal UI";
 * reseg(1)).  Each action gathers its input with the modal helpers (the
 * answer arrives in a callback from the loop) and then calls one engine
 * function; the store is changed in that function's one transaction.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "access.h"
#include "draw.h"
#include "drop.h"
#include "export.h"
#include "i18n.h"
#include "objects.h"
#include "pdb.h"
#include "segment.h"
#include "segops.h"
#include "tui.h"
#include "util.h"
#include "view.h"
#include "view_actions.h"

/* What a pending question needs to know when it is answered. */
struct view_actions_req {
	enum action	 act;
	char		*segment;
	uint32_t	 id;
	char		*db;
	char		**items;	/* the choices offered */
	size_t		 nitems;
	char		**fields;	/* bulk edit: FIELD=VALUE, nsets */
	char		**values;
	size_t		 nsets;
	char		*path;		/* export: the file to replace */
	int		 detach;	/* delete: detach it from its users */
	int		 pop;		/* delete: close the top view after */
};

static struct view_actions_req *
view_actions_req_new(enum action act, const struct segment *s)
{
	struct view_actions_req *rq;

	rq = xcalloc(1, sizeof *rq);
	rq->act = act;
	rq->segment = xstrdup(s->name);
	rq->id = s->id;
	rq->db = xstrdup(s->db);
	return rq;
}

static void
view_actions_req_free(struct view_actions_req *rq)
{
	size_t	 i;

	for (i = 0; i < rq->nitems; i++)
		free(rq->items[i]);
	free(rq->items);
	free(rq->segment);
	free(rq->db);
	segops_sets_free(rq->fields, rq->values, rq->nsets);
	free(rq->path);
	free(rq);
}

void
view_actions_create(struct tui *tui)
{
	tui_push_view(tui, view_form_new(tui, NULL, VIEW_FORM_ALL));
}

/* ------------------------------------------------------------------ */
/* Answers                                                              */
/* ------------------------------------------------------------------ */

#define VIEW_ACTIONS_USERS_MAX	8	/* users named in the question */

static void	view_actions_delete_ask(struct tui *,
		    struct view_actions_req *);

static void
view_actions_delete_answer(struct tui *tui, void *arg, int yes)
{
	struct view_actions_req *rq = arg;
	char		*cause = NULL;
	int		 rc;

	if (!yes) {
		view_actions_req_free(rq);
		return;
	}
	rc = drop_segment(tui->store, rq->segment, rq->detach, &cause);
	if (rc == DROP_IN_USE && !rq->detach) {
		/* Something began using it since the question: ask again. */
		free(cause);
		view_actions_delete_ask(tui, rq);
		return;
	}
	if (rc != 0)
		tui_error(tui, cause);
	else {
		/* Popping the page reloads the list below it. */
		if (rq->pop)
			tui_pop_view(tui);
		else
			tui_store_changed(tui);
		if (rq->detach)
			tui_status(tui, _("Segment '%s' was deleted and "
			    "detached from its users."), rq->segment);
		else
			tui_status(tui, _("Segment '%s' was deleted."),
			    rq->segment);
	}
	view_actions_req_free(rq);
}

/*
 * Asks before deleting; a segment in use is named with its users in the
 * question, whose yes deletes it and detaches it from them (the CLI's
 * --force), so the refusal never comes after the answer.
 */
static void
view_actions_delete_ask(struct tui *tui, struct view_actions_req *rq)
{
	struct store_txn *txn;
	struct strbuf	 sb = STRBUF_INIT;
	struct segment	*s = NULL;
	char		**users = NULL, *cause = NULL;
	size_t		 n = 0, hidden = 0, i, more;
	int		 rc;

	if ((txn = tui_read_begin(tui)) == NULL) {
		view_actions_req_free(rq);
		return;
	}
	rc = seg_get(txn, rq->segment, &s, &cause);
	if (rc == 0)
		rc = drop_segment_users(txn, s, &users, &n, &hidden, &cause);
	seg_free(s);
	if (tui_read_end(tui, txn, rc, cause) != 0) {
		view_actions_req_free(rq);
		return;
	}
	for (i = 0; i < n && i < VIEW_ACTIONS_USERS_MAX; i++)
		sb_printf(&sb, "%s%s", i > 0 ? ", " : "", users[i]);
	more = n - i + hidden;
	if (more > 0 && i > 0)
		sb_puts(&sb, _(" and "));
	if (more > 0 && i == n)
		sb_printf(&sb, ngettext_("%zu segment you cannot see",
		    "%zu segments you cannot see", more), more);
	else if (more > 0)
		sb_printf(&sb, ngettext_("%zu other", "%zu others", more),
		    more);
	objects_names_free(users, n);
	rq->detach = sb.len > 0;
	if (sb.len == 0)
		tui_confirm(tui, view_actions_delete_answer, rq,
		    _("Delete segment '%s' with its members and log?"),
		    rq->segment);
	else
		tui_confirm(tui, view_actions_delete_answer, rq,
		    _("Segment '%s' is used by %s. Delete it anyway, with its "
		    "members and log, and detach it from them? Segments that "
		    "use it through 'in segment' fail their next run until "
		    "edited."), rq->segment, sb.buf);
	sb_free(&sb);
}

void
view_actions_delete(struct tui *tui, const struct segment *s, int pop)
{
	struct view_actions_req *rq;

	rq = view_actions_req_new(ACT_SEG_DELETE, s);
	rq->pop = pop;
	view_actions_delete_ask(tui, rq);
}

static void
view_actions_clone_answer(struct tui *tui, void *arg, const char *text)
{
	struct view_actions_req *rq = arg;
	struct segment	*c;
	char		*cause = NULL;

	if (text != NULL && *text != '\0') {
		if (segops_clone(tui->store, rq->segment, text, &c,
		    &cause) != 0)
			tui_error(tui, cause);
		else {
			if (c->state == SEG_STOPPED)
				tui_status(tui, _("Segment '%s' was cloned as "
				    "'%s' (stopped)."), rq->segment, text);
			else
				tui_status(tui, _("Segment '%s' was cloned as "
				    "'%s'."), rq->segment, text);
			seg_free(c);
			free(tui->focus);
			tui->focus = xstrdup(text);
			tui_store_changed(tui);
		}
	}
	view_actions_req_free(rq);
}

/*
 * What a copy to a database did; the fields the target lacks, which the
 * CLI lists, are counted on the status line and named in a list (a
 * status line has no room for a dozen names).
 */
static void
view_actions_copied(struct tui *tui, const struct segops_copy_result *res,
    const char *db)
{
	char	 a[32], b[32], c[32], *title;

	if (res->nskipped == 0) {
		tui_status(tui, _("%s profiles copied to database '%s' (%s "
		    "new, %s updated)."), draw_count(res->profiles, a,
		    sizeof a), db, draw_count(res->stats.inserted, b,
		    sizeof b), draw_count(res->stats.updated, c, sizeof c));
		return;
	}
	tui_status(tui, ngettext_("%s profiles copied to database '%s' (%s "
	    "new, %s updated); %zu field was not copied.", "%s profiles "
	    "copied to database '%s' (%s new, %s updated); %zu fields were "
	    "not copied.", res->nskipped), draw_count(res->profiles, a,
	    sizeof a), db, draw_count(res->stats.inserted, b, sizeof b),
	    draw_count(res->stats.updated, c, sizeof c), res->nskipped);
	title = xasprintf(_("Fields not in database '%s', not copied"), db);
	tui_choose(tui, title, (const char *const *)res->skipped,
	    res->nskipped, 0, NULL, NULL);
	free(title);
}

static void
view_actions_copy_answer(struct tui *tui, void *arg, int index)
{
	struct view_actions_req *rq = arg;
	struct segops_copy_result res;
	uint64_t	 added = 0, already = 0;
	char		*cause = NULL, a[32], b[32];

	if (index < 0)
		goto out;
	if (rq->act == ACT_SEG_COPY) {
		if (segops_copy_to_segment(tui->store, rq->segment,
		    rq->items[index], util_login_name(), &added, &already,
		    &cause) != 0)
			tui_error(tui, cause);
		else {
			tui_status(tui, _("%s profiles added to '%s' (%s were "
			    "already in it)."), draw_count(added, a, sizeof a),
			    rq->items[index], draw_count(already, b, sizeof b));
			tui_store_changed(tui);
		}
	} else {
		memset(&res, 0, sizeof res);
		if (segops_copy_to_db(tui->store, rq->segment, rq->items[index],
		    &res, &cause) != 0)
			tui_error(tui, cause);
		else
			view_actions_copied(tui, &res, rq->items[index]);
		segops_copy_result_free(&res);
	}
out:
	view_actions_req_free(rq);
}

/* Keys typed for a static segment: separated by blanks or commas. */
static char **
view_actions_split_keys(const char *text, size_t *n)
{
	char	**keys = NULL, *copy = xstrdup(text), *k, *save = NULL;

	*n = 0;
	for (k = strtok_r(copy, " ,\t", &save); k != NULL;
	    k = strtok_r(NULL, " ,\t", &save)) {
		keys = xreallocarray(keys, *n + 1, sizeof *keys);
		keys[(*n)++] = xstrdup(k);
	}
	free(copy);
	return keys;
}

static void
view_actions_fill_answer(struct tui *tui, void *arg, const char *text)
{
	struct view_actions_req *rq = arg;
	struct seg_fill_result res;
	struct strbuf	 sb = STRBUF_INIT;
	char		**keys, *cause = NULL, a[32], b[32];
	size_t		 n = 0, i;
	int		 remove = rq->act == ACT_SEG_REMOVE_PROFILES;

	if (text == NULL || (keys = view_actions_split_keys(text, &n)) ==
	    NULL) {
		view_actions_req_free(rq);
		return;
	}
	memset(&res, 0, sizeof res);
	if (seg_fill(tui->store, rq->segment, remove,
	    (const char *const *)keys, n, util_login_name(), &res,
	    &cause) != 0)
		tui_error(tui, cause);
	else {
		draw_count(res.changed, a, sizeof a);
		draw_count(res.unchanged, b, sizeof b);
		if (remove)
			sb_printf(&sb, _("Removed %s from '%s' (%s were not "
			    "in it)."), a, rq->segment, b);
		else
			sb_printf(&sb, _("Added %s to '%s' (%s were already "
			    "in it)."), a, rq->segment, b);
		if (res.nunknown > 0) {
			sb_putc(&sb, ' ');
			sb_puts(&sb, _("No profile has the key"));
			for (i = 0; i < res.nunknown; i++)
				sb_printf(&sb, "%s'%s'", i == 0 ? " " : ", ",
				    res.unknown[i]);
			sb_putc(&sb, '.');
		}
		/* Unknown keys are the typist's to fix: said as an error. */
		if (res.nunknown > 0)
			tui_error(tui, sb_detach(&sb));
		else {
			tui_status(tui, "%s", sb.buf);
			sb_free(&sb);
		}
		seg_fill_result_free(&res);
		tui_store_changed(tui);
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	view_actions_req_free(rq);
}

void
view_actions_fill(struct tui *tui, enum action act, const struct segment *s,
    const char *proposal)
{
	const char	*why = NULL;

	if (!view_actions_enabled(tui, act, s, &why)) {
		tui_status(tui, "%s", _(why));
		return;
	}
	tui_prompt(tui, act == ACT_SEG_REMOVE_PROFILES ?
	    _("Remove the profiles with keys:") :
	    _("Add the profiles with keys:"), proposal != NULL ? proposal :
	    "", view_actions_fill_answer, view_actions_req_new(act, s));
}

static void
view_actions_scenario_answer(struct tui *tui, void *arg, int index)
{
	struct view_actions_req *rq = arg;
	uint64_t	 added = 0, total = 0;
	char		*cause = NULL, a[32], b[32];

	if (index >= 0) {
		if (objects_scenario_add(tui->store, rq->items[index],
		    rq->segment, &added, &total, &cause) != 0)
			tui_error(tui, cause);
		else
			tui_status(tui, _("%s profiles added to scenario '%s' "
			    "(%s in it now)."), draw_count(added, a, sizeof a),
			    rq->items[index], draw_count(total, b, sizeof b));
	}
	view_actions_req_free(rq);
}

static void
view_actions_update_confirm(struct tui *tui, void *arg, int yes)
{
	struct view_actions_req *rq = arg;
	struct segops_set *sets;
	uint64_t	 changed = 0, members = 0;
	char		*cause = NULL, a[32], b[32];
	size_t		 i;

	if (!yes) {
		tui_status(tui, "%s", _("Bulk edit cancelled; no profile was "
		    "changed."));
		goto out;
	}
	sets = xcalloc(rq->nsets, sizeof *sets);
	for (i = 0; i < rq->nsets; i++) {
		sets[i].field = rq->fields[i];
		sets[i].value = rq->values[i];
	}
	if (segops_update(tui->store, rq->segment, sets, rq->nsets, &changed,
	    &members, &cause) != 0)
		tui_error(tui, cause);
	else {
		tui_status(tui, _("%s of %s profiles changed."),
		    draw_count(changed, a, sizeof a),
		    draw_count(members, b, sizeof b));
		tui_store_changed(tui);
	}
	free(sets);
out:
	view_actions_req_free(rq);
}

static void	view_actions_update_answer(struct tui *, void *, const char *);

/* The bulk edit's prompt; after an error, with it and what was typed. */
static void
view_actions_update_prompt(struct tui *tui, struct view_actions_req *rq,
    const char *initial, char *cause)
{
	const char	*label = _("Set FIELD=VALUE; ... (\"a;b\" keeps ;):");

	if (cause != NULL)
		tui_prompt_again(tui, label, initial,
		    view_actions_update_answer, rq, cause);
	else
		tui_prompt(tui, label, initial, view_actions_update_answer,
		    rq);
}

static void
view_actions_update_answer(struct tui *tui, void *arg, const char *text)
{
	struct view_actions_req *rq = arg;
	struct strbuf	 sb = STRBUF_INIT;
	struct segops_set *sets;
	uint64_t	 changed = 0, members = 0;
	char		*cause = NULL, *list, a[32], b[32];
	size_t		 i;
	int		 rc;

	if (text == NULL || *text == '\0') {
		view_actions_req_free(rq);
		return;
	}
	segops_sets_free(rq->fields, rq->values, rq->nsets);
	rq->fields = rq->values = NULL;
	rq->nsets = 0;
	if (segops_parse_sets(text, &rq->fields, &rq->values, &rq->nsets,
	    &cause) != 0) {
		/* Say what is wrong and let it be corrected. */
		view_actions_update_prompt(tui, rq, text, cause);
		return;
	}
	/*
	 * Checked (fields, types) and counted before asking, as the CLI
	 * does: a refused value is said with the typed text kept.
	 */
	sets = xcalloc(rq->nsets, sizeof *sets);
	for (i = 0; i < rq->nsets; i++) {
		sets[i].field = rq->fields[i];
		sets[i].value = rq->values[i];
	}
	rc = segops_update_preview(tui->store, rq->segment, sets, rq->nsets,
	    &changed, &members, &cause);
	free(sets);
	if (rc != 0) {
		view_actions_update_prompt(tui, rq, text, cause);
		return;
	}
	if (changed == 0) {
		tui_status(tui, _("Nothing to change: every profile of '%s' "
		    "already has these values."), rq->segment);
		view_actions_req_free(rq);
		return;
	}
	/* Every value quoted: what is set is exactly what is shown. */
	for (i = 0; i < rq->nsets; i++)
		sb_printf(&sb, "%s%s=\"%s\"", i > 0 ? ", " : "",
		    rq->fields[i], rq->values[i]);
	list = sb_detach(&sb);
	tui_confirm(tui, view_actions_update_confirm, rq,
	    ngettext_("Set %s in segment '%s': %s of %s profile would "
	    "change. Go on?", "Set %s in segment '%s': %s of %s profiles "
	    "would change. Go on?", members), list, rq->segment,
	    draw_count(changed, a, sizeof a), draw_count(members, b,
	    sizeof b));
	free(list);
}

/*
 * Exports run on a worker thread with their own read transaction, so a
 * segment of millions of profiles never stalls the loop; the job owns
 * copies of everything it needs (the view may close meanwhile).
 */
struct view_actions_export {
	struct store	*store;
	char		*segment;
	uint32_t	 id;
	char		*db;
	char		*path;
	int		 history;
	enum export_format fmt;
	uint64_t	 count;
};

static void
view_actions_export_free(struct view_actions_export *ex)
{
	free(ex->segment);
	free(ex->db);
	free(ex->path);
	free(ex);
}

static int
view_actions_export_rows(FILE *f, void *arg, char **cause)
{
	struct view_actions_export *ex = arg;
	struct store_txn *txn;
	struct pdb_schema *schema = NULL;
	roaring_bitmap_t *members = NULL;
	int		 rc = -1;

	if (store_read_begin(ex->store, &txn, cause) != 0)
		return -1;
	if (pdb_open(txn, ex->db, &schema, cause) == 0 &&
	    seg_members(txn, ex->id, &members, cause) == 0)
		rc = export_rows(txn, schema, members, ex->fmt, f, &ex->count,
		    cause);
	if (members != NULL)
		roaring_bitmap_free(members);
	schema_free(schema);
	store_read_end(txn);
	return rc;
}

static int
view_actions_export_history_rows(FILE *f, void *arg, char **cause)
{
	struct view_actions_export *ex = arg;
	struct store_txn *txn;
	int		 rc;

	if (store_read_begin(ex->store, &txn, cause) != 0)
		return -1;
	rc = export_history(txn, ex->id, f, &ex->count, cause);
	store_read_end(txn);
	return rc;
}

static int
view_actions_export_work(struct tui *tui, void *arg, char **cause)
{
	struct view_actions_export *ex = arg;

	return export_to_file(ex->path, ex->history ?
	    view_actions_export_history_rows : view_actions_export_rows, ex,
	    cause);
}

static void
view_actions_export_done(struct tui *tui, void *arg, int rc, char *cause)
{
	struct view_actions_export *ex = arg;
	char		 a[32];

	if (rc != 0)
		tui_error(tui, cause);
	else {
		free(cause);
		if (ex->history)
			tui_status(tui, _("The history of '%s' (%s changes) was "
			    "written to %s."), ex->segment,
			    draw_count(ex->count, a, sizeof a), ex->path);
		else
			tui_status(tui, _("%s profiles of '%s' were written to "
			    "%s."), draw_count(ex->count, a, sizeof a),
			    ex->segment, ex->path);
	}
	view_actions_export_free(ex);
}

static void
view_actions_export_start(struct tui *tui, struct view_actions_req *rq,
    const char *path)
{
	struct view_actions_export *ex;
	char		*cause = NULL;

	ex = xcalloc(1, sizeof *ex);
	ex->store = tui->store;
	ex->segment = xstrdup(rq->segment);
	ex->id = rq->id;
	ex->db = xstrdup(rq->db);
	ex->path = xstrdup(path);
	ex->history = rq->act == ACT_SEG_EXPORT_HISTORY;
	if (export_format_guess(path, &ex->fmt) != 0)
		ex->fmt = EXPORT_CSV;
	if (tui_work(tui, view_actions_export_work, view_actions_export_done,
	    ex, &cause) != 0) {
		tui_error(tui, cause);
		view_actions_export_free(ex);
		return;
	}
	tui_status(tui, _("Writing %s in the background..."), path);
}

static void
view_actions_export_overwrite(struct tui *tui, void *arg, int yes)
{
	struct view_actions_req *rq = arg;

	if (yes)
		view_actions_export_start(tui, rq, rq->path);
	else
		tui_status(tui, _("Export cancelled; %s was left as it was."),
		    rq->path);
	view_actions_req_free(rq);
}

static void
view_actions_export_answer(struct tui *tui, void *arg, const char *text)
{
	struct view_actions_req *rq = arg;
	enum export_format fmt;
	struct stat	 st;
	char		*path;

	if (text == NULL || *text == '\0') {
		view_actions_req_free(rq);
		return;
	}
	/* The profiles' format comes from the name, as the CLI's -o: a
	 * name that does not tell it is asked again, never guessed. */
	if (rq->act == ACT_SEG_EXPORT && export_format_guess(text,
	    &fmt) != 0) {
		tui_prompt_again(tui, _("Export to file (.csv or .jsonl):"),
		    text, view_actions_export_answer, rq, xasprintf(_("Cannot "
		    "tell the format of '%s' from its name: end it in .csv or "
		    ".jsonl."), text));
		return;
	}
	path = util_expand_home(text);
	/* The file is replaced whole: ask before losing what is there. */
	if (stat(path, &st) == 0) {
		rq->path = path;
		tui_confirm(tui, view_actions_export_overwrite, rq,
		    _("%s already exists. Overwrite it?"), path);
		return;
	}
	view_actions_export_start(tui, rq, path);
	free(path);
	view_actions_req_free(rq);
}

/* ------------------------------------------------------------------ */
/* Choices                                                              */
/* ------------------------------------------------------------------ */

/* Static segments of the same database, other than the source. */
static int
view_actions_static_targets(struct store_txn *txn, struct view_actions_req *rq,
    char **cause)
{
	struct segment	**segs;
	size_t		 n, i;

	if (seg_list(txn, &segs, &n, cause) != 0)
		return -1;
	access_filter(segs, &n);	/* only targets the user may see */
	rq->items = xcalloc(n + 1, sizeof *rq->items);
	for (i = 0; i < n; i++)
		if (segs[i]->kind == SEG_STATIC &&
		    strcmp(segs[i]->db, rq->db) == 0 &&
		    strcmp(segs[i]->name, rq->segment) != 0)
			rq->items[rq->nitems++] = xstrdup(segs[i]->name);
	seg_list_free(segs, n);
	return 0;
}

static int
view_actions_db_targets(struct store_txn *txn, struct view_actions_req *rq,
    char **cause)
{
	struct pdb_schema **dbs;
	size_t		 n, i;

	if (pdb_list(txn, &dbs, &n, cause) != 0)
		return -1;
	rq->items = xcalloc(n + 1, sizeof *rq->items);
	for (i = 0; i < n; i++) {
		if (strcmp(dbs[i]->name, rq->db) != 0)
			rq->items[rq->nitems++] = xstrdup(dbs[i]->name);
		schema_free(dbs[i]);
	}
	free(dbs);
	return 0;
}

static int
view_actions_scenarios(struct store_txn *txn, struct view_actions_req *rq,
    char **cause)
{
	struct object	**objs;
	size_t		 n, i;

	if (objects_list(txn, &objs, &n, cause) != 0)
		return -1;
	rq->items = xcalloc(n + 1, sizeof *rq->items);
	for (i = 0; i < n; i++)
		if (objs[i]->type == OBJ_SCENARIO)
			rq->items[rq->nitems++] = xstrdup(objs[i]->name);
	objects_list_free(objs, n);
	return 0;
}

/* Offers the choices fill() reads in one read transaction. */
static void
view_actions_choose(struct tui *tui, struct view_actions_req *rq,
    const char *title, const char *none, tui_choose_fn fn,
    int (*fill)(struct store_txn *, struct view_actions_req *, char **))
{
	struct store_txn *txn;
	char		*cause = NULL;
	int		 rc;

	if ((txn = tui_read_begin(tui)) == NULL) {
		view_actions_req_free(rq);
		return;
	}
	rc = fill(txn, rq, &cause);
	if (tui_read_end(tui, txn, rc, cause) != 0) {
		view_actions_req_free(rq);
		return;
	}
	if (rq->nitems == 0) {
		tui_status(tui, "%s", none);
		view_actions_req_free(rq);
		return;
	}
	tui_choose(tui, title, (const char *const *)rq->items, rq->nitems, 0,
	    fn, rq);
}

/* ------------------------------------------------------------------ */
/* Entry points                                                         */
/* ------------------------------------------------------------------ */

int
view_actions_enabled(struct tui *tui, enum action act, const struct segment *s,
    const char **why)
{
	switch (act) {
	case ACT_SEG_RECALC:
		if (s->kind == SEG_STATIC) {
			*why = N_("A static segment is filled by hand, not "
			    "recalculated.");
			return 0;
		}
		if (seg_is_updating(s) || (tui->run.active &&
		    strcmp(tui->run.segment, s->name) == 0)) {
			*why = N_("The segment is updating; wait until the run "
			    "finishes.");
			return 0;
		}
		if (tui->run.active) {
			*why = N_("Another recalculation is running.");
			return 0;
		}
		return 1;
	case ACT_SEG_TOGGLE:
	case ACT_SEG_RECONFIGURE:
		if (s->kind == SEG_STATIC) {
			*why = N_("A static segment has no schedule.");
			return 0;
		}
		if (act == ACT_SEG_RECONFIGURE && seg_is_updating(s)) {
			*why = N_("The segment is updating; wait until the run "
			    "finishes.");
			return 0;
		}
		return 1;
	case ACT_SEG_ADD_PROFILES:
	case ACT_SEG_REMOVE_PROFILES:
		if (s->kind != SEG_STATIC) {
			*why = N_("Only a static segment is filled by hand; "
			    "this one changes when it is recalculated.");
			return 0;
		}
		return 1;
	case ACT_SEG_COPY:
	case ACT_SEG_COPY_DB:
	case ACT_SEG_UPDATE:
	case ACT_SEG_EXPORT:
	case ACT_SEG_EXPORT_HISTORY:
	case ACT_SEG_SCENARIO:
		if (!seg_updated(s)) {
			*why = N_("Available after the segment's first update.");
			return 0;
		}
		return 1;
	default:
		return 1;
	}
}

int
view_actions_run(struct tui *tui, enum action act, const struct segment *s)
{
	struct view_actions_req *rq;
	const char	*why = NULL;
	char		*cause = NULL, *def;

	switch (act) {
	case ACT_SEG_EDIT:
	case ACT_SEG_RECONFIGURE:
	case ACT_SEG_RECALC:
	case ACT_SEG_TOGGLE:
	case ACT_SEG_CLONE:
	case ACT_SEG_COPY:
	case ACT_SEG_COPY_DB:
	case ACT_SEG_UPDATE:
	case ACT_SEG_EXPORT:
	case ACT_SEG_EXPORT_HISTORY:
	case ACT_SEG_SCENARIO:
		break;
	case ACT_SEG_ADD_PROFILES:
	case ACT_SEG_REMOVE_PROFILES:
		view_actions_fill(tui, act, s, NULL);
		return 1;
	default:
		return 0;
	}
	if (!view_actions_enabled(tui, act, s, &why)) {
		tui_status(tui, "%s", _(why));
		return 1;
	}
	switch (act) {
	case ACT_SEG_EDIT:
		tui_push_view(tui, view_form_new(tui, s->name, VIEW_FORM_ALL));
		break;
	case ACT_SEG_RECONFIGURE:
		tui_push_view(tui, view_form_new(tui, s->name,
		    VIEW_FORM_SCHEDULE));
		break;
	case ACT_SEG_RECALC:
		if (tui_recalc(tui, s->name, 0, &cause) != 0)
			tui_error(tui, cause);
		break;
	case ACT_SEG_TOGGLE:
		if (seg_set_state(tui->store, s->name, s->state == SEG_ACTIVE ?
		    SEG_STOPPED : SEG_ACTIVE, &cause) != 0)
			tui_error(tui, cause);
		else {
			tui_status(tui, s->state == SEG_ACTIVE ?
			    _("The schedule of '%s' is stopped.") :
			    _("The schedule of '%s' is running again."),
			    s->name);
			tui_store_changed(tui);
		}
		break;
	case ACT_SEG_CLONE:
		rq = view_actions_req_new(act, s);
		def = xasprintf(_("%s (copy)"), s->name);
		tui_prompt(tui, _("Name of the clone:"), def,
		    view_actions_clone_answer, rq);
		free(def);
		break;
	case ACT_SEG_COPY:
		view_actions_choose(tui, view_actions_req_new(act, s),
		    _("Copy profiles to the static segment"),
		    _("There is no other static segment of this database."),
		    view_actions_copy_answer, view_actions_static_targets);
		break;
	case ACT_SEG_COPY_DB:
		view_actions_choose(tui, view_actions_req_new(act, s),
		    _("Copy profiles to the database"),
		    _("There is no other profile database."),
		    view_actions_copy_answer, view_actions_db_targets);
		break;
	case ACT_SEG_SCENARIO:
		view_actions_choose(tui, view_actions_req_new(act, s),
		    _("Add the profiles to the scenario"),
		    _("There is no scenario; add one with 'reseg object add "
		    "scenario'."), view_actions_scenario_answer,
		    view_actions_scenarios);
		break;
	case ACT_SEG_UPDATE:
		view_actions_update_prompt(tui, view_actions_req_new(act, s),
		    "", NULL);
		break;
	case ACT_SEG_EXPORT:
		def = xasprintf("%s.csv", s->name);
		tui_prompt(tui, _("Export to file (.csv or .jsonl):"), def,
		    view_actions_export_answer, view_actions_req_new(act, s));
		free(def);
		break;
	case ACT_SEG_EXPORT_HISTORY:
		def = xasprintf("%s-history.csv", s->name);
		tui_prompt(tui, _("Export the history to file:"), def,
		    view_actions_export_answer, view_actions_req_new(act, s));
		free(def);
		break;
	default:
		break;
	}
	return 1;
}
