/*
 * Access groups (README, "Dependent objects and access groups"): a segment with access groups (Unix group
 * names) is visible only to members of at least one of them; root and
 * the owner of the store see every segment.  A segment without groups is
 * visible to everybody who can open the store.
 *
 * access_init() records who is asking (the effective user, its groups)
 * and who owns the store; engine_open() calls it.  Before it, the process
 * is nobody: it sees only segments without groups.
 */
#ifndef RESEG_ACCESS_H
#define RESEG_ACCESS_H

#include <stddef.h>

#include "segment.h"
#include "store.h"

void	 access_init(const struct store *);
/* Whether the caller sees (and may act on) the segment. */
int	 access_can_see(const struct segment *);
/*
 * 0 when visible; otherwise -1 with the same cause as for a missing
 * segment ("there is no segment 'X'"), so hidden names do not leak.
 */
int	 access_check(const struct segment *, char **cause);
/*
 * seg_get of a segment the caller sees; a hidden one fails as
 * access_check does.  *s is NULL on failure; else the caller frees it.
 */
int	 access_get(struct store_txn *, const char *name, struct segment **s,
	    char **cause);
/* Removes (and frees) the segments the caller cannot see; keeps order. */
void	 access_filter(struct segment **, size_t *);
/* Whether the caller is root or the store's owner (sees everything). */
int	 access_is_privileged(void);
/*
 * Whether the named Unix group exists, for validating a definition
 * ("there is no Unix group 'x'").
 */
int	 access_group_exists(const char *);

#endif
