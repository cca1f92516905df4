/* The demo generator's parts shared by demo.c and demo_events.c. */
#ifndef RESEG_DEMO_INT_H
#define RESEG_DEMO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "evdb.h"
#include "schema.h"
#include "store.h"

/* The demo's event properties (evdb.h). */
#define DEMO_EVENT_FIELDS	"amount:float,sku:string,mailing:string"
enum { DEV_AMOUNT, DEV_SKU, DEV_MAILING, DEV_COUNT };

/* Fields of a demo profile, in demo_fields order. */
enum {
	DF_EMAIL, DF_FIRST, DF_LAST, DF_GENDER, DF_BIRTH, DF_CITY, DF_COUNTRY,
	DF_CREATED, DF_PURCHASE, DF_ORDERS, DF_SPENT, DF_SUBSCRIBED, DF_TAGS,
	DF_COUNT
};

/* splitmix64: small, fast, and the same sequence everywhere. */
static inline uint64_t
demo_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double
demo_unit(uint64_t *st)
{
	return (double)(demo_next(st) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n). */
static inline uint64_t
demo_below(uint64_t *st, uint64_t n)
{
	return n == 0 ? 0 : demo_next(st) % n;
}

/*
 * Events of a run of profiles, waiting to be appended with the profiles
 * themselves.  Their strings are the generator's static tables.
 */
struct demo_events {
	struct evdb_event	*ev;
	struct value		*props;		/* DEV_COUNT per event */
	size_t			 n, max;
};

/*
 * Appends the events of profile pno (its generated row) over the year
 * before now: e-mail sends, opens and clicks per mailing, purchases and
 * logins.  They are drawn from their own sequence, seeded by pno, so the
 * profiles stay what they were without events.
 */
void	 demo_events_add(struct demo_events *, uint32_t pno,
	    const struct value *row, int64_t now);
/* Appends the collected events inside the caller's write transaction. */
int	 demo_events_write(struct store_txn *, const struct pdb_schema *,
	    struct demo_events *, char **cause);
void	 demo_events_clear(struct demo_events *);
void	 demo_events_free(struct demo_events *);

#endif
