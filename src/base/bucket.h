/* The stable range bucket of a profile key (README, "Segments": the range). */
#ifndef RESEG_BUCKET_H
#define RESEG_BUCKET_H

#include <stddef.h>
#include <stdint.h>

uint64_t bucket_fnv1a64(const void *, size_t);

/*
 * MurmurHash3's 64-bit finalizer: spreads FNV's weak low bits.  Inline,
 * as the in-memory hash tables finish every hash with it too.
 */
static inline uint64_t
bucket_fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/* fmix64(fnv1a64(key)) mod 10000: 0..9999, the same in every segment. */
uint16_t bucket_of_key(const void *key, size_t len);

#endif
