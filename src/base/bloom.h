/*
 * A set of 64-bit hashes that answers "certainly not added" or "maybe":
 * blocked Bloom filters, a hash's 5 bits in one 64-byte line (one cache
 * miss), 16 bits a hash (about 0.2% false "maybe" when full).  The first
 * filter holds plan hashes (at least a million; set plan before the
 * first bloom_add when the count is known, as a regular file's rows
 * are guessed from its size); when a filter is full, the next is twice
 * as large.  Each filter adds its false "maybe"s, which cost their
 * caller a lookup: importing 10 million new profile keys, 12-bit filters
 * doubling from a million made 135,000 lookups, one 16-bit filter sized
 * for the file 1,745.  Memory follows the hashes: 2 bytes each, 20 MB
 * for 10 million.
 */
#ifndef RESEG_BLOOM_H
#define RESEG_BLOOM_H

#include <stddef.h>
#include <stdint.h>

struct bloom_filter {
	uint64_t	*bits;		/* nblocks blocks of 8 words */
	size_t		 nblocks;
	size_t		 n, cap;	/* hashes */
};

struct bloom {
	struct bloom_filter	*f;
	size_t			 nf;
	size_t			 plan;	/* hashes expected, 0 when unknown */
};

#define BLOOM_INIT	{ NULL, 0, 0 }

void	 bloom_free(struct bloom *);
void	 bloom_add(struct bloom *, uint64_t h);
/* 1 when h may have been added, 0 when it certainly was not. */
int	 bloom_maybe(const struct bloom *, uint64_t h);

/* The line of filter f that h's bits are in: for prefetching. */
static inline const uint64_t *
bloom_line(const struct bloom_filter *f, uint64_t h)
{
	return f->bits + 8 * (((h >> 32) * f->nblocks) >> 32);
}

#endif
