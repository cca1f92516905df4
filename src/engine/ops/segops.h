/*
 * Actions on a segment's current members (README, "Working with a
 * segment's members"): copy into another profile database or into a
 * static segment, bulk edit, clone.  Every action but clone is refused
 * before the segment's first update, and every action is refused on a
 * segment the caller cannot see (access.h).
 */
#ifndef RESEG_SEGOPS_H
#define RESEG_SEGOPS_H

#include <stddef.h>
#include <stdint.h>

#include "pdb.h"
#include "segment.h"
#include "store.h"

struct segops_copy_result {
	uint64_t	 profiles;	/* members copied */
	struct pdb_upsert_stats stats;	/* into the target database */
	char		**skipped;	/* source fields the target lacks */
	size_t		 nskipped;
};
void	 segops_copy_result_free(struct segops_copy_result *);

/*
 * Copies the members' profiles into database `dbname` in one
 * transaction: the target must have the same key field; fields are
 * mapped by name (target-only fields keep their values, or stay empty
 * for new profiles); a field with a different type in the two databases
 * refuses the whole copy, naming every conflict.
 */
int	 segops_copy_to_db(struct store *, const char *segment,
	    const char *dbname, struct segops_copy_result *, char **cause);

/*
 * Adds the members to static segment `target` of the same database
 * (seg_fill: one Manual run on the target).  *added / *already count.
 */
int	 segops_copy_to_segment(struct store *, const char *segment,
	    const char *target, const char *initiator, uint64_t *added,
	    uint64_t *already, char **cause);

struct segops_set {
	const char	*field;
	/* The text form, as in CSV (README, "Profile databases"). */
	const char	*value;
};
/*
 * Bulk edit input, one parser for both front ends (one FIELD=VALUE
 * scanner under both functions).
 *
 * segops_parse_set: one "FIELD=VALUE" (the command line's form: the
 * value, literal, runs to the end) into a segops_set pointing into text
 * (not copied); else "'TEXT': expected FIELD=VALUE".
 */
int	 segops_parse_set(const char *text, struct segops_set *, char **cause);
/*
 * segops_parse_sets: any number of FIELD=VALUE assignments separated by
 * ';' (the UI's form).  A value in double quotes may hold ';' ("" is a
 * quote), as in CSV; blanks around a field and an unquoted value are
 * dropped.  Fills (*fields)[i] and (*values)[i], *n of each (free with
 * segops_sets_free); -1 with *cause naming the assignment that is
 * wrong, a field set twice, or an input without any assignment.
 */
int	 segops_parse_sets(const char *text, char ***fields, char ***values,
	    size_t *n, char **cause);
void	 segops_sets_free(char **fields, char **values, size_t n);

/*
 * Bulk edit: sets each field to its value for every member, all in one
 * transaction.  Values are typed by the field (value_parse_text); the key
 * field cannot be set.  *changed counts the profiles at least one of
 * whose values differed.  A value that does not parse as its field's
 * type returns SEGOPS_BAD_VALUE with "FIELD: reason", so that a front end
 * can say how the user gave it; other failures return -1.
 */
#define SEGOPS_BAD_VALUE	(-2)
int	 segops_update(struct store *, const char *segment,
	    const struct segops_set *, size_t nsets, uint64_t *changed,
	    uint64_t *members, char **cause);
/*
 * The same checks and counts in a read transaction, writing nothing:
 * how many profiles segops_update would change now (a dry run, or the
 * number a confirmation shows).
 */
int	 segops_update_preview(struct store *, const char *segment,
	    const struct segops_set *, size_t nsets, uint64_t *changed,
	    uint64_t *members, char **cause);

/*
 * Clones the definition (conditions, range, limit, tags, access groups,
 * database, schedule) under a new name; members, log and hook are not
 * copied.  A clone with a schedule starts stopped; one without (static,
 * or recalculated by hand) has nothing to stop and is active.  *out (may
 * be NULL) receives the clone as saved (seg_free).
 */
int	 segops_clone(struct store *, const char *segment, const char *newname,
	    struct segment **out, char **cause);

#endif
