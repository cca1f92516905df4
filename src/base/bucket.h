/* The stable range bucket of a profile key (README, "Segments": the range). */
#ifndef RESEG_BUCKET_H
#define RESEG_BUCKET_H

#include <stddef.h>
#include <stdint.h>

uint64_t bucket_fnv1a64(const void *, size_t);
uint64_t bucket_fmix64(uint64_t);
/* fmix64(fnv1a64(key)) mod 10000: 0..9999, the same in every segment. */
uint16_t bucket_of_key(const void *key, size_t len);

#endif
