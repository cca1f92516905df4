/*
 * bucket: the stable range bucket of a profile key (FNV-1a, mixed,
 * modulo 10000), the same on every machine and in every release, so
 * a segment's percent range keeps the same profiles.
 */
#include "config.h"

#include "bucket.h"

uint64_t
bucket_fnv1a64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint16_t
bucket_of_key(const void *key, size_t len)
{
	return (uint16_t)(bucket_fmix64(bucket_fnv1a64(key, len)) % 10000);
}
