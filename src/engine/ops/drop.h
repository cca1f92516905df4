/*
 * Deleting what others may use: a profile database (used by segments)
 * and a segment (used by other segments through "in segment" and by
 * dependent objects).  These live here, above the model, because they ask
 * both the segment records and the objects, which do not know each
 * other.  Each runs in one transaction: refused, nothing changes.
 */
#ifndef RESEG_DROP_H
#define RESEG_DROP_H

#include <stddef.h>

#include "segment.h"
#include "store.h"

/*
 * Returned when the thing to delete is still in use; *cause names the
 * users.  Front ends add their own remedy (the CLI's --force, a UI key).
 */
#define DROP_IN_USE	(-2)

/*
 * Removes the database with its profiles and keys.  Refused with
 * DROP_IN_USE and "database 'D' is used by segments: A, B; delete them
 * first" while segments use it.  Segments the caller cannot see
 * (access.h) are counted, not named: "... 'A' and 2 segments you cannot
 * see", or "database 'D' is used by 2 segments you cannot see".
 */
int	 drop_database(struct store *, const char *name, char **cause);
/*
 * Deletes the segment with its members, runs and deltas.  While objects
 * or other segments use it: with detach, the objects are detached from
 * it first; without, refused with DROP_IN_USE and "segment 'X' is used
 * by mailing 'Welcome', segment 'Y'" (segments the caller cannot see
 * counted: "... and 1 segment you cannot see").  Refused while it is
 * updating.
 */
int	 drop_segment(struct store *, const char *name, int detach,
	    char **cause);
/*
 * Everything that uses segment s, as translated strings ready for a
 * message or a list: the objects ("mailing 'Welcome'", by type then
 * name), then the segments using it through "in segment" that the
 * caller may see ("segment 'Y'", by name); those the caller cannot see
 * are only counted in *hidden.  What drop_segment refuses on; for the
 * UI's page and question.  Free with objects_names_free.
 */
int	 drop_segment_users(struct store_txn *, const struct segment *s,
	    char ***users, size_t *n, size_t *hidden, char **cause);

#endif
