/*
 * demo_events: what the demo's profiles did over the last year, derived
 * from each generated profile so the two agree: mailings go to
 * subscribers who were registered by then, the last purchase is the
 * profile's last_purchase_at, logins stop when the profile stopped
 * coming back.  About 30 events a profile.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "demo_int.h"
#include "evdb.h"
#include "util.h"

#define DEMO_DAY	86400
#define DEMO_YEAR	(365 * DEMO_DAY)
#define DEMO_EVSEED	UINT64_C(0xe7e7da7a2026e001)

/* Named campaigns: sent once to every subscriber, days before now. */
static const struct {
	const char	*name;
	int		 days_ago;
} demo_campaigns[] = {
	{ "New Year", 335 }, { "Valentine's Day", 288 },
	{ "Spring Sale", 250 }, { "Summer Sale", 160 },
	{ "Back to School", 90 }, { "Black Friday", 8 },
};

/*
 * "Weekly digest": every week, to a rotating quarter of the
 * subscribers; the newest went out 4 days ago.
 */
#define DEMO_DIGEST		"Weekly digest"
#define DEMO_DIGEST_FIRST	4
#define DEMO_DIGEST_ISSUES	52

static const struct {
	const char	*sku;
	double		 price;
	unsigned	 weight;
} demo_skus[] = {
	{ "TV-55", 699.0, 4 }, { "TV-65", 1099.0, 2 }, { "PH-12", 499.0, 6 },
	{ "PH-13", 799.0, 4 }, { "LT-14", 1199.0, 3 }, { "HP-01", 79.0, 10 },
	{ "HP-02", 149.0, 8 }, { "WT-05", 249.0, 5 }, { "CB-10", 19.0, 20 },
	{ "CS-11", 29.0, 18 }, { "SP-20", 99.0, 10 }, { "KB-03", 59.0, 10 },
};
#define DEMO_NSKUS	(sizeof demo_skus / sizeof demo_skus[0])

static int
demo_has_tag(const struct value *v, const char *tag)
{
	uint32_t i;

	for (i = 0; v->present && i < v->u.tags.n; i++) {
		if (strcmp(v->u.tags.v[i], tag) == 0)
			return 1;
	}
	return 0;
}

/* A new event with no properties; the caller fills them. */
static struct value *
demo_event(struct demo_events *d, uint32_t pno, int64_t t, const char *name)
{
	struct evdb_event *e;

	if (d->n == d->max) {
		d->max = d->max == 0 ? 4096 : d->max * 2;
		d->ev = xreallocarray(d->ev, d->max, sizeof *d->ev);
		d->props = xreallocarray(d->props, d->max,
		    DEV_COUNT * sizeof *d->props);
	}
	e = &d->ev[d->n];
	memset(e, 0, sizeof *e);
	e->pno = pno;
	e->time = t;
	e->name = name;
	e->namelen = strlen(name);
	memset(&d->props[d->n * DEV_COUNT], 0, DEV_COUNT * sizeof *d->props);
	return &d->props[d->n++ * DEV_COUNT];
}

static void
demo_set_str(struct value *v, const char *s)
{
	v->present = 1;
	v->u.s.p = s;
	v->u.s.len = (uint32_t)strlen(s);
}

/*
 * One mailing sent at t: the send, and by the profile's habits an open
 * some hours later and perhaps a click on it.  Nothing happens after
 * now, nor after the profile stopped reading (dormant).
 */
static void
demo_mailing(struct demo_events *d, uint64_t *st, uint32_t pno,
    const char *mailing, int64_t t, int64_t now, double p_open,
    double p_click, int64_t dormant)
{
	int64_t open;

	demo_set_str(&demo_event(d, pno, t, "email_send")[DEV_MAILING],
	    mailing);
	if (demo_unit(st) >= p_open)
		return;
	open = t + 60 + (int64_t)fmin(-log(1.0 - demo_unit(st)) * 5 * 3600,
	    3 * DEMO_DAY);
	if (open >= now || open >= dormant)
		return;
	demo_set_str(&demo_event(d, pno, open, "email_open")[DEV_MAILING],
	    mailing);
	if (demo_unit(st) >= p_click)
		return;
	open += 30 + (int64_t)demo_below(st, 1800);
	if (open < now)
		demo_set_str(&demo_event(d, pno, open,
		    "email_click")[DEV_MAILING], mailing);
}

static void
demo_purchase(struct demo_events *d, uint64_t *st, uint32_t pno, int64_t t)
{
	struct value *p = demo_event(d, pno, t, "purchase");
	unsigned r = (unsigned)demo_below(st, 100);
	size_t i;

	for (i = 0; i < DEMO_NSKUS - 1 && r >= demo_skus[i].weight; i++)
		r -= demo_skus[i].weight;
	demo_set_str(&p[DEV_SKU], demo_skus[i].sku);
	p[DEV_AMOUNT].present = 1;
	/* Now and then a discount, now and then two of a kind. */
	p[DEV_AMOUNT].u.f = round(demo_skus[i].price * 100.0 *
	    (1.0 - 0.05 * (double)demo_below(st, 4)) *
	    (demo_unit(st) < 0.15 ? 2.0 : 1.0)) / 100.0;
}

void
demo_events_add(struct demo_events *d, uint32_t pno, const struct value *row,
    int64_t now)
{
	uint64_t st = DEMO_EVSEED ^ ((uint64_t)pno * UINT64_C(0xd1b54a32d192ed03));
	int64_t created = row[DF_CREATED].u.dt, from = now - DEMO_YEAR;
	int64_t t, last, seen, dormant = now;
	double p_open = 0, p_click = 0, rate;
	size_t i;
	int n, k;

	demo_next(&st);
	if (created > from)
		from = created;

	/*
	 * E-mail: a third of the subscribers stopped opening some months
	 * ago; the others open some and click a few of what they open.
	 */
	if (row[DF_SUBSCRIBED].u.b) {
		if (demo_unit(&st) < 0.35)
			dormant = now - (60 + (int64_t)demo_below(&st, 300)) *
			    DEMO_DAY;
		p_open = 0.15 + 0.6 * demo_unit(&st);
		p_click = 0.1 + 0.3 * demo_unit(&st);
		for (i = 0; i < sizeof demo_campaigns / sizeof *demo_campaigns;
		    i++) {
			t = now - (int64_t)demo_campaigns[i].days_ago *
			    DEMO_DAY + (int64_t)demo_below(&st, 3600);
			if (t >= created)
				demo_mailing(d, &st, pno, demo_campaigns[i].name,
				    t, now, p_open, p_click, dormant);
		}
		for (k = 0; k < DEMO_DIGEST_ISSUES; k++) {
			t = now - (int64_t)(DEMO_DIGEST_FIRST + 7 * k) *
			    DEMO_DAY + (int64_t)demo_below(&st, 3600);
			if (demo_unit(&st) < 0.25 && t >= created)
				demo_mailing(d, &st, pno, DEMO_DIGEST, t, now,
				    p_open, p_click, dormant);
		}
	}

	/*
	 * Purchases: the last one is the profile's last_purchase_at, the
	 * earlier of its orders_count lean towards it; those of the last
	 * year are events.
	 */
	if (row[DF_PURCHASE].present && row[DF_ORDERS].u.i > 0) {
		last = row[DF_PURCHASE].u.dt;
		if (last >= from && last < now)
			demo_purchase(d, &st, pno, last);
		for (k = 1; k < row[DF_ORDERS].u.i && k < 40; k++) {
			rate = demo_unit(&st);
			t = last - (int64_t)((double)(last - created) * rate *
			    rate);
			if (t >= from && t < now)
				demo_purchase(d, &st, pno, t);
		}
	}

	/*
	 * Logins: a quarter never log in; app users come back more often;
	 * almost half stopped coming back some time in the year.
	 */
	if (demo_unit(&st) < 0.25)
		return;
	rate = demo_has_tag(&row[DF_TAGS], "mobile_app") ?
	    1.0 + 4.0 * demo_unit(&st) : 0.3 + 1.7 * demo_unit(&st);
	seen = demo_unit(&st) < 0.55 ?
	    now - 1 - (int64_t)demo_below(&st, 14 * DEMO_DAY) :
	    now - 1 - (int64_t)demo_below(&st, DEMO_YEAR);
	if (seen < from)
		return;
	demo_event(d, pno, seen, "login");
	n = (int)(rate * (double)(seen - from) / (30.0 * DEMO_DAY) +
	    demo_unit(&st));
	for (k = 0; k < n && k < 60; k++)
		demo_event(d, pno, from + (int64_t)demo_below(&st,
		    (uint64_t)(seen - from)), "login");
}

int
demo_events_write(struct store_txn *txn, const struct pdb_schema *schema,
    struct demo_events *d, char **cause)
{
	struct evdb_append_stats stats;
	size_t i;

	/* props may have moved while the events were collected. */
	for (i = 0; i < d->n; i++)
		d->ev[i].props = &d->props[i * DEV_COUNT];
	return evdb_append(txn, schema, d->ev, d->n, &stats, cause);
}

void
demo_events_clear(struct demo_events *d)
{
	d->n = 0;
}

void
demo_events_free(struct demo_events *d)
{
	free(d->ev);
	free(d->props);
	memset(d, 0, sizeof *d);
}
