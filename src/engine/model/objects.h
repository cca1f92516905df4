/*
 * Dependent objects (README, "Dependent objects and access groups"): a minimal registry of mailings,
 * scenarios and loyalty programs that use segments.  An object records
 * the ids of the segments it references, so renaming a segment keeps the
 * link.  A scenario also holds the profiles added to it: one bitmap of
 * profile numbers per profile database (STORE_OBJMEMBERS).
 *
 * Records: STORE_OBJECTS "type\0name" -> {"type","name","segments":[ids],
 * "created_at"}; STORE_OBJMEMBERS "scenario\0name\0" + db id (be32) ->
 * portable roaring bitmap.
 */
#ifndef RESEG_OBJECTS_H
#define RESEG_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "store.h"

enum obj_type { OBJ_MAILING, OBJ_SCENARIO, OBJ_LOYALTY };
#define OBJ_NTYPES 3

struct object {
	enum obj_type	 type;
	char		*name;
	uint32_t	*segments;	/* referenced segment ids */
	char		**segnames;	/* their current names ("#id" if gone) */
	size_t		 nsegments;
	int64_t		 created_at;
	uint64_t	 nprofiles;	/* scenario: profiles added, all dbs */
};

/* "mailing", "scenario", "loyalty" (never translated: part of the CLI). */
const char *objects_type_name(enum obj_type);
int	 objects_type_parse(const char *, enum obj_type *);

/*
 * Registers an object referencing the named segments (at least one, each
 * visible to the caller per access.h).  Refused when the name is taken
 * for that type.
 */
int	 objects_add(struct store *, enum obj_type, const char *name,
	    const char *const *segments, size_t nsegments, char **cause);
/* Removes the object (and a scenario's profiles). */
int	 objects_remove(struct store *, enum obj_type, const char *name,
	    char **cause);
/* Every object, by type then name.  Free with objects_list_free. */
int	 objects_list(struct store_txn *, struct object ***, size_t *,
	    char **cause);
int	 objects_get(struct store_txn *, enum obj_type, const char *name,
	    struct object **, char **cause);
void	 objects_free(struct object *);
void	 objects_list_free(struct object **, size_t);

/*
 * The objects referencing segment `id`, as "mailing 'Welcome'" strings
 * (translated, ready for a message), by type then name.  For drop_segment
 * and the segment page.  Free with objects_names_free.
 */
int	 objects_segment_users(struct store_txn *, uint32_t id, char ***users,
	    size_t *n, char **cause);
void	 objects_names_free(char **, size_t);
/*
 * Drops segment `id` from every object referencing it, inside the
 * caller's write transaction (drop_segment with detach).  An object left
 * without segments stays registered.
 */
int	 objects_detach_segment(struct store_txn *, uint32_t id, char **cause);

/*
 * "Add profiles to scenario": adds the current members of segment
 * `segment` to scenario `scenario` in one transaction.  Idempotent:
 * *added counts the profiles that were not yet in it, *total the
 * scenario's profiles of that database afterwards.  Refused before the
 * segment's first update.
 */
int	 objects_scenario_add(struct store *, const char *scenario,
	    const char *segment, uint64_t *added, uint64_t *total,
	    char **cause);

/*
 * Profiles of database dbid are being deleted (pnos), in the caller's
 * write transaction: every scenario drops those it holds.  *names and
 * *counts (free with objects_forgot_free) list the scenarios that held
 * any and how many, in name order.
 */
int	 objects_forget_profiles(struct store_txn *, uint32_t dbid,
	    const roaring_bitmap_t *pnos, char ***names, uint64_t **counts,
	    size_t *n, char **cause);
void	 objects_forgot_free(char **names, uint64_t *counts, size_t n);

#endif
