/*
 * The demo database: a deterministic generator of realistic profiles
 * (the same data on every run for the same "now", see tu_now), used by
 * `reseg demo`, the set-up script and the benchmarks.
 */
#ifndef RESEG_DEMO_H
#define RESEG_DEMO_H

#include <stdint.h>

#include "store.h"

#define DEMO_DB		"demo"
#define DEMO_PROFILES	10000

/*
 * (Re)creates database "demo" with nprofiles generated profiles: email
 * (key), first_name, last_name, gender, birth_date, city, country,
 * created_at, last_purchase_at, orders_count, total_spent,
 * subscribed_email, tags; and their events of the last 365 days
 * (properties amount, sku, mailing): email_send, email_open and
 * email_click per mailing, purchase, login.
 */
int	 demo_create(struct store *, uint32_t nprofiles, char **cause);
/* The same profiles without events, for benchmarks of profile columns. */
int	 demo_create_profiles(struct store *, uint32_t nprofiles, char **cause);

#endif
