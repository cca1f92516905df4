/*
 * Validation of a segment definition before it is saved: name, tags and
 * groups that read back the same from text, a unique name, the database,
 * conditions that type-check, no cycle through "in segment", range, limit
 * and a new or changed schedule.  See README, "Segments".
 */
#include "config.h"

#include <grp.h>
#include <stdlib.h>
#include <string.h>

#include "extq.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "segment_int.h"

static int (*seg_visible_fn)(const struct segment *);

void
seg_set_visibility(int (*fn)(const struct segment *))
{
	seg_visible_fn = fn;
}

/* Fails closed, as access.h does, until a process says who it is. */
static int
seg_visible(const struct segment *s)
{
	return seg_visible_fn != NULL ? seg_visible_fn(s) : s->ngroups == 0;
}

static int
seg_has_group(const struct segment *s, const char *g)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i], g) == 0)
			return 1;
	return 0;
}

int
seg_may_use(const struct segment *user, const struct segment *used,
    int automatic)
{
	size_t i;

	if (!seg_visible(used))
		return 0;
	if (!automatic || used->ngroups == 0)
		return 1;
	/*
	 * Nobody asked: whoever may read user's members must be able to see
	 * used, so each of user's groups is one of used's (a segment without
	 * groups is read by everybody).
	 */
	if (user->ngroups == 0)
		return 0;
	for (i = 0; i < user->ngroups; i++)
		if (!seg_has_group(used, user->groups[i]))
			return 0;
	return 1;
}

struct seg_names {
	char	**v;
	size_t	  n;
};

static void
seg_names_add(void *arg, const char *name)
{
	struct seg_names *ns = arg;

	ns->v = xreallocarray(ns->v, ns->n + 1, sizeof *ns->v);
	ns->v[ns->n++] = xstrdup(name);
}

static int
seg_names_has(const struct seg_names *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return 1;
	return 0;
}

struct seg_exists_arg {
	struct store_txn	*txn;
	struct seg_names	 old;	/* what the stored definition uses */
	int			 keep;	/* old references stay */
};

/*
 * cond_check's test for "in segment" names.  A segment the caller cannot
 * see does not exist for a new reference (its members would show through
 * the new segment).  One the stored definition already used stays, so
 * that its other fields remain editable, whether it was deleted since or
 * is hidden: telling the two apart would say that it exists.  Runs
 * refuse both alike (seg_may_use).
 */
static int
seg_exists_cb(void *arg, const char *name)
{
	struct seg_exists_arg *a = arg;
	struct segment *s;
	char *cause = NULL;
	int rc;

	if (a->keep && seg_names_has(&a->old, name))
		return 1;
	if (seg_get(a->txn, name, &s, &cause) != 0) {
		free(cause);
		return 0;
	}
	rc = seg_visible(s);
	seg_free(s);
	return rc;
}

/*
 * Depth-first walk of "in segment" references from cond; path holds the
 * names from the segment being saved.  Returns -1 with the cycle in cause.
 */
static int
seg_check_cycle(struct store_txn *txn, const struct cond *cond,
    struct seg_names *path, int depth, char **cause)
{
	struct seg_names refs = { NULL, 0 };
	struct segment *s;
	struct strbuf sb = STRBUF_INIT;
	uint32_t id;
	size_t i, j;
	int rc = 0;
	char *c2 = NULL;

	if (cond == NULL || depth > 64)
		return 0;
	cond_segments(cond, seg_names_add, &refs);
	for (i = 0; i < refs.n && rc == 0; i++) {
		if (strcmp(refs.v[i], path->v[0]) == 0) {
			for (j = 0; j < path->n; j++)
				sb_printf(&sb, "'%s' -> ", path->v[j]);
			sb_printf(&sb, "'%s'", path->v[0]);
			rc = error_set(cause, _("segment '%s' would depend on "
			    "itself: %s"), path->v[0], sb.buf);
			sb_free(&sb);
			break;
		}
		if (seg_lookup_id(txn, refs.v[i], &id, &c2) != 0 ||
		    seg_load(txn, id, &s, &c2) != 0) {
			free(c2);
			c2 = NULL;
			continue;
		}
		seg_names_add(path, refs.v[i]);
		rc = seg_check_cycle(txn, s->cond, path, depth + 1, cause);
		free(path->v[--path->n]);
		seg_free(s);
	}
	seg_strv_free(refs.v, refs.n);
	return rc;
}

static int
seg_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Names come from files, argv, JSON and the UI: one that is not UTF-8
 * text could not be shown, dumped or named in a script again.
 */
static int
seg_check_text(const struct segment *s, const char *v, int what,
    char **cause)
{
	struct text_fault tf;
	char *fault;

	if (!text_find_fault(v, strlen(v), &tf))
		return 0;
	fault = text_fault_what(&tf);
	/* TRANSLATORS: the last %s is "not UTF-8 text: invalid byte 0xFF". */
	if (what == 0)
		error_set(cause, _("segment name '%s' is %s"), v, fault);
	else if (what == 1)
		error_set(cause, _("segment '%s': tag '%s' is %s"), s->name, v,
		    fault);
	else
		error_set(cause, _("segment '%s': group '%s' is %s"), s->name,
		    v, fault);
	free(fault);
	return -1;
}

/*
 * Tags and groups are written as one comma-separated list (segment
 * dump, show, list), which trims its items: so each must read back the
 * same.
 */
static int
seg_check_labels(const struct segment *s, char **v, size_t n, int groups,
    char **cause)
{
	size_t i, j, len;

	for (i = 0; i < n; i++) {
		if (seg_check_text(s, v[i], groups ? 2 : 1, cause) != 0)
			return -1;
		len = strlen(v[i]);
		for (j = 0; j < len; j++) {
			if ((unsigned char)v[i][j] < 0x20 || v[i][j] == ',')
				break;
		}
		if (len == 0 || j < len || seg_blank(v[i][0]) ||
		    seg_blank(v[i][len - 1]))
			return error_set(cause, groups ?
			    _("segment '%s': group '%s' may not be empty, hold "
			    "a comma or a control character, or start or end "
			    "with a blank") :
			    _("segment '%s': tag '%s' may not be empty, hold a "
			    "comma or a control character, or start or end "
			    "with a blank"), s->name, v[i]);
	}
	return 0;
}

/*
 * Access groups are Unix groups: one that does not exist would hide the
 * segment from everybody but root and the owner, and its dump could not
 * be loaded.  Only groups new to the definition are checked, so that a
 * group deleted from the system later does not lock the segment.
 */
static int
seg_check_groups(const struct segment *s, const struct segment *old,
    char **cause)
{
	size_t i, j;

	for (i = 0; i < s->ngroups; i++) {
		for (j = 0; old != NULL && j < old->ngroups; j++)
			if (strcmp(old->groups[j], s->groups[i]) == 0)
				break;
		if (old != NULL && j < old->ngroups)
			continue;
		if (getgrnam(s->groups[i]) == NULL)
			return error_set(cause, _("segment '%s': there is no "
			    "Unix group '%s'"), s->name, s->groups[i]);
	}
	return 0;
}

/*
 * Whether s's schedule differs from the one stored for segment self_id
 * (0: a new segment).  Only a new or changed schedule is checked against
 * now, so that a segment whose schedule has ended stays editable.
 */
static int
seg_sched_changed(struct store_txn *txn, const struct segment *s,
    uint32_t self_id)
{
	struct segment *old;
	char *cause = NULL;
	int changed;

	if (self_id == 0)
		return 1;
	if (seg_load(txn, self_id, &old, &cause) != 0) {
		free(cause);
		return 1;
	}
	changed = old->kind != s->kind || !old->has_sched ||
	    !sched_equal(&old->sched, &s->sched);
	seg_free(old);
	return changed;
}

/*
 * A name taken by another segment.  One the caller cannot see answers
 * "there is no segment" everywhere else: this neither confirms nor
 * contradicts that.
 */
static int
seg_check_name_free(struct store_txn *txn, const struct segment *s,
    uint32_t self_id, char **cause)
{
	struct segment *other;
	uint32_t id;
	int rc;

	rc = store_get(txn, STORE_SEGNAMES, s->name, strlen(s->name),
	    &(const void *){ NULL }, &(size_t){ 0 }, cause);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return 0;
	if (seg_lookup_id(txn, s->name, &id, cause) != 0)
		return -1;
	if (id == self_id)
		return 0;
	if (seg_load(txn, id, &other, cause) != 0)
		return -1;
	rc = seg_visible(other);
	seg_free(other);
	if (!rc)
		return error_set(cause, _("the segment name '%s' is not "
		    "available"), s->name);
	return error_set(cause, _("a segment named '%s' already exists"),
	    s->name);
}

/* cond_check_queries's test: the query of "in query" is stored. */
static int
seg_query_exists_cb(void *arg, const char *name)
{
	return extq_exists(arg, name);
}

static int
seg_validate_def(struct store_txn *txn, const struct segment *s,
    uint32_t self_id, int64_t now, struct seg_exists_arg *ea, char **cause)
{
	struct pdb_schema *schema = NULL;
	struct seg_names path = { NULL, 0 };
	char *c2 = NULL;
	int rc;

	if (s->db == NULL || *s->db == '\0')
		return error_set(cause, _("segment '%s' needs a database"),
		    s->name);
	if (pdb_open(txn, s->db, &schema, &c2) != 0) {
		error_set(cause, _("segment '%s': %s"), s->name, c2);
		free(c2);
		return -1;
	}
	if (s->kind == SEG_STATIC) {
		schema_free(schema);
		if ((s->cond != NULL && !(s->cond->kind == CK_AND &&
		    s->cond->nkids == 0)) || s->range_lo != 0 ||
		    s->range_hi != 10000 || s->limit != -1 || s->has_sched)
			return error_set(cause, _("segment '%s' is static: it "
			    "has no conditions, range, limit or schedule"),
			    s->name);
		return 0;
	}
	if (s->cond != NULL) {
		if (cond_check(s->cond, schema, seg_exists_cb, ea, &c2) != 0 ||
		    cond_check_queries(s->cond, seg_query_exists_cb, txn,
		    &c2) != 0) {
			schema_free(schema);
			error_set(cause, _("segment '%s': %s"), s->name, c2);
			free(c2);
			return -1;
		}
	}
	schema_free(schema);
	seg_names_add(&path, s->name);
	rc = seg_check_cycle(txn, s->cond, &path, 0, cause);
	seg_strv_free(path.v, path.n);
	if (rc != 0)
		return -1;
	if (s->range_hi > 10000 || s->range_lo >= s->range_hi)
		return error_set(cause, _("segment '%s': the range start must "
		    "be below its end, both within 0-100"), s->name);
	if (s->limit != -1 && s->limit < 1)
		return error_set(cause, _("segment '%s': the limit must be at "
		    "least 1"), s->name);
	if (s->has_sched && seg_sched_changed(txn, s, self_id) &&
	    (sched_validate(&s->sched, now, &c2) != 0 ||
	    sched_check_runs(&s->sched, now, &c2) != 0)) {
		error_set(cause, _("segment '%s': schedule: %s"), s->name, c2);
		free(c2);
		return -1;
	}
	return 0;
}

static int
seg_validate_as(struct store_txn *txn, const struct segment *s,
    uint32_t self_id, int64_t now, int keep, char **cause)
{
	struct seg_exists_arg ea = { txn, { NULL, 0 }, keep };
	struct segment *old = NULL;
	size_t i;
	int rc;

	if (s->name == NULL || *s->name == '\0')
		return error_set(cause, _("a segment needs a name"));
	if (strlen(s->name) > STORE_NAME_MAX)
		return error_set(cause, _("the segment name is %zu bytes long; "
		    "the limit is %d bytes"), strlen(s->name), STORE_NAME_MAX);
	if (seg_check_text(s, s->name, 0, cause) != 0)
		return -1;
	for (i = 0; s->name[i] != '\0'; i++) {
		if ((unsigned char)s->name[i] < 0x20)
			return error_set(cause, _("segment name '%s' holds a "
			    "control character"), s->name);
	}
	if (seg_blank(s->name[0]) || seg_blank(s->name[i - 1]))
		return error_set(cause, _("segment name '%s' starts or ends "
		    "with a blank"), s->name);
	if (seg_check_labels(s, s->tags, s->ntags, 0, cause) != 0 ||
	    seg_check_labels(s, s->groups, s->ngroups, 1, cause) != 0 ||
	    seg_check_name_free(txn, s, self_id, cause) != 0)
		return -1;
	if (self_id != 0 && seg_load(txn, self_id, &old, cause) != 0)
		return -1;
	rc = seg_check_groups(s, old, cause);
	if (rc == 0) {
		if (old != NULL && old->cond != NULL)
			cond_segments(old->cond, seg_names_add, &ea.old);
		rc = seg_validate_def(txn, s, self_id, now, &ea, cause);
	}
	seg_strv_free(ea.old.v, ea.old.n);
	seg_free(old);
	return rc;
}

int
seg_validate(struct store_txn *txn, const struct segment *s, uint32_t self_id,
    int64_t now, char **cause)
{
	return seg_validate_as(txn, s, self_id, now, 1, cause);
}

int
seg_validate_run(struct store_txn *txn, const struct segment *s,
    uint32_t self_id, int64_t now, char **cause)
{
	return seg_validate_as(txn, s, self_id, now, 0, cause);
}
