/*
 * Range map (README, "Range map"): which segments of a database own which percent
 * slices of the bucket space (bucket.h), with overlaps flagged.  Only
 * segments with a range narrower than 0-100 own slices; the others are
 * counted apart.
 */
#ifndef RESEG_RANGES_H
#define RESEG_RANGES_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct ranges_slice {
	uint16_t	 lo, hi;	/* hundredths of a percent */
	char		**owners;	/* segment names, sorted */
	size_t		 nowners;	/* 0: free; > 1: overlap */
};

struct ranges_map {
	struct ranges_slice *slices;	/* cover 0-100 in order */
	size_t		 nslices;
	char		**full;		/* segments without a range */
	size_t		 nfull;
	size_t		 noverlaps;	/* slices with more than one owner */
};

/* Segments the caller cannot see (access.h) are left out. */
int	 ranges_build(struct store_txn *, const char *dbname, struct ranges_map *,
	    char **cause);
void	 ranges_free(struct ranges_map *);

#endif
