/*
 * Deleting profiles (right to erasure; README, "Deleting profiles"): a
 * database's profiles with their values and key, their events, their
 * places in static segments and scenarios, in one write transaction.
 * Scheduled segments keep the numbers of deleted profiles until their
 * next run, which removes them; meanwhile nothing lists them (pdb.h).
 */
#ifndef RESEG_ERASE_H
#define RESEG_ERASE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A segment that held deleted profiles. */
struct erase_segment {
	char		*name;
	int		 is_static;	/* removed now, by run `run` */
	uint64_t	 n;		/* how many it held */
	uint32_t	 run;
};

struct erase_result {
	uint64_t	 deleted;
	uint64_t	 events;
	/* Keys without a profile (skipped when asked), in the given order. */
	char		**missing;
	size_t		 nmissing;
	/* The segments the caller may see (access.h), by name. */
	struct erase_segment *segs;
	size_t		 nsegs;
	size_t		 hidden;	/* and those it may not, counted */
	char		**scenarios;	/* the scenarios that held any */
	uint64_t	*scounts;
	size_t		 nscenarios;
};

/*
 * Deletes the profiles of database db with these keys (a key given twice
 * counts once).  A key without a profile refuses the whole deletion,
 * naming the keys ("database 'D' has no profile 'a', 'b'; nothing was
 * deleted"), unless skip_missing: then it lists them in res->missing.
 * Refused while an events import into db runs.  Static segments record
 * the removal as a manual run of initiator.  Profile numbers are never
 * given again.  Free res with erase_result_free, also after a failure.
 */
int	 erase_profiles(struct store *, const char *db,
	    const char *const *keys, size_t nkeys, int skip_missing,
	    const char *initiator, struct erase_result *, char **cause);
void	 erase_result_free(struct erase_result *);

#endif
