/* Blocked Bloom filters of 64-bit hashes; see bloom.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bloom.h"
#include "util.h"

#define BLOOM_FIRST	(1u << 20)	/* hashes, at least, in the first filter */
#define BLOOM_BITS	16		/* a hash */
#define BLOOM_PROBES	5		/* bits set a hash */

void
bloom_free(struct bloom *k)
{
	size_t i;

	for (i = 0; i < k->nf; i++)
		free(k->f[i].bits);
	free(k->f);
	k->f = NULL;
	k->nf = 0;
}

/* The block of h in f, and the hash's bits in *m (8 words). */
static const uint64_t *
bloom_block(const struct bloom_filter *f, uint64_t h, uint64_t m[8])
{
	uint64_t g = h * 0x9E3779B97F4A7C15ULL;
	unsigned int i, b;

	memset(m, 0, 8 * sizeof *m);
	for (i = 0; i < BLOOM_PROBES; i++) {
		b = (unsigned int)(g >> (i * 9)) & 511;
		m[b >> 6] |= (uint64_t)1 << (b & 63);
	}
	return bloom_line(f, h);
}

void
bloom_add(struct bloom *k, uint64_t h)
{
	struct bloom_filter *f;
	uint64_t m[8], *blk;
	unsigned int i;

	if (k->nf == 0 || k->f[k->nf - 1].n == k->f[k->nf - 1].cap) {
		k->f = xreallocarray(k->f, k->nf + 1, sizeof *k->f);
		f = &k->f[k->nf];
		f->cap = k->nf > 0 ? 2 * k->f[k->nf - 1].cap :
		    k->plan > BLOOM_FIRST ? k->plan : BLOOM_FIRST;
		f->n = 0;
		f->nblocks = f->cap * BLOOM_BITS / 512;
		f->bits = xcalloc(f->nblocks * 8, sizeof *f->bits);
		k->nf++;
	}
	f = &k->f[k->nf - 1];
	blk = (uint64_t *)bloom_block(f, h, m);
	for (i = 0; i < 8; i++)
		blk[i] |= m[i];
	f->n++;
}

int
bloom_maybe(const struct bloom *k, uint64_t h)
{
	const uint64_t *blk;
	uint64_t m[8];
	size_t j;
	unsigned int i;

	for (j = 0; j < k->nf; j++) {
		blk = bloom_block(&k->f[j], h, m);
		for (i = 0; i < 8 && (blk[i] & m[i]) == m[i]; i++)
			;
		if (i == 8)
			return 1;
	}
	return 0;
}
