/*
 * The integrity check of a store (README, "Backups and integrity"): one
 * read transaction walks every table and names each problem found.  The
 * chunks are checked by the validation every reader of a chunk runs
 * (pdb_chunk, evdb_column), so the check and the commands agree on what
 * is damaged and say it in the same words.
 */
#ifndef RESEG_CHECK_H
#define RESEG_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct check_problem {
	const char	*table;		/* the store table, e.g. "cols" */
	char		*key;		/* its record, e.g. "shop/email/0" */
	char		*what;		/* the message, naming the record */
};

struct check_report {
	struct check_problem *v;
	size_t		 n, cap;
	/*
	 * What is not a problem but explains the state: an import staging
	 * profiles, or one that was interrupted (doc/storage.md).
	 */
	char		**notes;
	size_t		 nnotes;
	/* What was walked. */
	uint64_t	 ndbs, nprofiles, nchunks, nsegments, nevents;
};

/*
 * Walks the store; problems go into r.  -1 (with *cause) only when the
 * walk itself cannot go on (a store error); damage found is not one.
 */
int	 check_store(struct store *, struct check_report *r, char **cause);
void	 check_report_free(struct check_report *);

#endif
