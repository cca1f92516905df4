/*
 * gen_events: a deterministic generator of profiles and events for the
 * event benchmarks (bench/bench_events.sh).  Writes a profiles CSV
 *
 *	email,country,subscribed_email,created_at
 *
 * (key `email`, p0000001@example.com, ... in profile order) and an events
 * CSV in time order, the way trackers export them:
 *
 *	[event_id,]email,event,time,amount,sku,mailing
 *
 * over DAYS days ending at NOW.  The events are exactly EVENTS in number:
 * half are e-mail sends (one mailing every four days to a random fifth
 * or so of the subscribers), 30% of the sends are opened within hours and
 * 20% of the opens are clicked, with the mailing's name; 7% are purchases
 * (amount, sku) and the rest logins, both spread over the days by each
 * profile's activity (a few very active profiles, many quiet ones, some
 * that stopped coming back).  The same arguments always give the same
 * files, byte for byte.
 *
 *	gen_events [-p profiles] [-e events] [-d days] [-n now] [-s seed] [-i]
 *	    PROFILES.csv EVENTS.csv
 *
 * -p 1000000, -e 30000000, -d 400, -n 2026-11-28T12:00:00Z by default;
 * -i adds a unique event_id column, in the order of the events; -r the
 * same in no order (16 hex digits, as random ids come).  "-" writes a
 * file to stdout.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GEN_DAY		86400
#define GEN_MAILING_DAYS 4	/* one mailing every this many days */
#define GEN_MAXDELAY	3	/* opens and clicks within 3 days */
#define GEN_RING	(GEN_MAXDELAY + 2)

enum gen_type { GT_SEND, GT_OPEN, GT_CLICK, GT_PURCHASE, GT_LOGIN };

static const char *const gen_type_names[] = {
	"email_send", "email_open", "email_click", "purchase", "login"
};

static const char *const gen_mailings[] = {
	"Weekly digest", "Spring Sale", "Weekly digest", "New arrivals",
	"Weekly digest", "Summer Sale", "Weekly digest", "Back to School",
	"Weekly digest", "Black Friday", "Weekly digest", "Cyber Monday",
	"Weekly digest", "New Year", "Weekly digest", "Product update",
};
#define GEN_NMAILINGS	(sizeof gen_mailings / sizeof gen_mailings[0])

static const struct {
	const char	*sku;
	double		 price;
	unsigned	 weight;
} gen_skus[] = {
	{ "TV-55", 699.0, 4 }, { "TV-65", 1099.0, 2 }, { "PH-12", 499.0, 6 },
	{ "PH-13", 799.0, 4 }, { "LT-14", 1199.0, 3 }, { "HP-01", 79.0, 10 },
	{ "HP-02", 149.0, 8 }, { "WT-05", 249.0, 5 }, { "CB-10", 19.0, 20 },
	{ "CS-11", 29.0, 18 }, { "SP-20", 99.0, 10 }, { "KB-03", 59.0, 10 },
};
#define GEN_NSKUS	(sizeof gen_skus / sizeof gen_skus[0])

static const char *const gen_countries[] = {
	"RU", "RU", "RU", "RU", "RU", "RU", "KZ", "KZ", "BY", "DE", "US", "TR"
};

struct gen_event {
	int64_t		 t;
	uint32_t	 pno;
	uint8_t		 type;
	uint8_t		 prop;		/* mailing or sku index */
	uint32_t	 cents;		/* purchase amount */
};

struct gen_bucket {
	struct gen_event *v;
	size_t		 n, max;
};

/* Per profile: its activity and the days it was active. */
struct gen_profile {
	float		 buy_w, login_w;
	int32_t		 first_day, last_day;
	int64_t		 created;
	uint8_t		 subscribed, country;
};

struct gen_alias {
	float		*prob;
	uint32_t	*alias;
	uint32_t	 n;
};

static uint64_t
gen_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double
gen_unit(uint64_t *s)
{
	return (double)(gen_next(s) >> 11) * 0x1.0p-53;
}

static uint64_t
gen_below(uint64_t *s, uint64_t n)
{
	return n == 0 ? 0 : gen_next(s) % n;
}

/* Part k of total split into parts nearly equal, exact in sum. */
static uint64_t
gen_share(uint64_t total, uint64_t k, uint64_t parts)
{
	return (uint64_t)(((__uint128_t)total * (k + 1)) / parts -
	    ((__uint128_t)total * k) / parts);
}

static void *
gen_alloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size);

	if (p == NULL) {
		fprintf(stderr, "gen_events: out of memory\n");
		exit(1);
	}
	return p;
}

/* Walker's alias table over weights w (Vose's construction). */
static void
gen_alias_build(struct gen_alias *a, const float *w, uint32_t n)
{
	double sum = 0, *p = gen_alloc(n, sizeof *p);
	uint32_t *small = gen_alloc(n, sizeof *small);
	uint32_t *large = gen_alloc(n, sizeof *large);
	uint32_t ns = 0, nl = 0, i, s, l;

	a->prob = gen_alloc(n, sizeof *a->prob);
	a->alias = gen_alloc(n, sizeof *a->alias);
	a->n = n;
	for (i = 0; i < n; i++)
		sum += w[i];
	for (i = 0; i < n; i++) {
		p[i] = sum > 0 ? w[i] * n / sum : 1.0;
		if (p[i] < 1.0)
			small[ns++] = i;
		else
			large[nl++] = i;
	}
	while (ns > 0 && nl > 0) {
		s = small[--ns];
		l = large[nl - 1];
		a->prob[s] = (float)p[s];
		a->alias[s] = l;
		p[l] = p[l] + p[s] - 1.0;
		if (p[l] < 1.0) {
			nl--;
			small[ns++] = l;
		}
	}
	while (nl > 0) {
		l = large[--nl];
		a->prob[l] = 1.0f;
		a->alias[l] = l;
	}
	while (ns > 0) {
		s = small[--ns];
		a->prob[s] = 1.0f;
		a->alias[s] = s;
	}
	free(p);
	free(small);
	free(large);
}

static uint32_t
gen_alias_draw(const struct gen_alias *a, uint64_t *s)
{
	uint32_t i = (uint32_t)gen_below(s, a->n);

	return gen_unit(s) < a->prob[i] ? i : a->alias[i];
}

/*
 * A profile active on day d, drawn by weight; a draw of a profile not
 * active that day is drawn again (a few times, then kept).
 */
static uint32_t
gen_pick(const struct gen_alias *a, const struct gen_profile *pr, int32_t d,
    uint64_t *s)
{
	uint32_t p = 0;
	int tries;

	for (tries = 0; tries < 32; tries++) {
		p = gen_alias_draw(a, s);
		if (d >= pr[p].first_day && d <= pr[p].last_day)
			break;
	}
	return p;
}

static void
gen_push(struct gen_bucket *ring, int64_t start, int32_t today,
    const struct gen_event *e)
{
	int32_t d = (int32_t)((e->t - start) / GEN_DAY);
	struct gen_bucket *b;

	if (d < today)
		d = today;
	b = &ring[d % GEN_RING];
	if (b->n == b->max) {
		b->max = b->max == 0 ? 65536 : b->max * 2;
		b->v = realloc(b->v, b->max * sizeof *b->v);
		if (b->v == NULL) {
			fprintf(stderr, "gen_events: out of memory\n");
			exit(1);
		}
	}
	b->v[b->n++] = *e;
}

static int
gen_cmp(const void *a, const void *b)
{
	const struct gen_event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->pno != y->pno)
		return x->pno < y->pno ? -1 : 1;
	return (int)x->type - (int)y->type;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void
gen_civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static int64_t
gen_days(int y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* 2026-11-28T12:00:00Z into buf (64 bytes). */
static void
gen_time(int64_t t, char *buf)
{
	int64_t days = (t >= 0 ? t : t - GEN_DAY + 1) / GEN_DAY;
	int64_t sec = t - days * GEN_DAY;
	unsigned m, d;
	int y;

	gen_civil(days, &y, &m, &d);
	snprintf(buf, 64, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
	    (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

static int
gen_parse_time(const char *s, int64_t *t)
{
	int y, m, d, hh, mm, ss, n = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &m, &d, &hh, &mm, &ss,
	    &n) != 6 || s[n] != '\0' || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*t = gen_days(y, (unsigned)m, (unsigned)d) * GEN_DAY + hh * 3600 +
	    mm * 60 + ss;
	return 0;
}

static FILE *
gen_open(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "gen_events: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void
gen_close(FILE *f, const char *path)
{
	if (fflush(f) != 0 || ferror(f) || (f != stdout && fclose(f) != 0)) {
		fprintf(stderr, "gen_events: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* MurmurHash3's finalizer: a bijection, so distinct inputs stay distinct. */
static uint64_t
gen_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb93fe53f2a2d);
	x ^= x >> 33;
	return x;
}

static void
gen_usage(void)
{
	fprintf(stderr, "usage: gen_events [-p profiles] [-e events] "
	    "[-d days] [-n now] [-s seed] [-i|-r] profiles.csv events.csv\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct gen_profile *pr;
	struct gen_alias buy, login;
	struct gen_bucket ring[GEN_RING];
	struct gen_event e;
	float *w;
	uint32_t *subs, nsubs = 0, nprofiles = 1000000, p, i, j, tmp;
	uint64_t nevents = 30000000, seed = 20261128, st, ev, count[5];
	uint64_t nsend, nopen, nclick, nbuy, nlogin, nmail, m, k, n, no, nc;
	uint64_t written = 0;
	int64_t now, start, t0, ts, to;
	int32_t days = 400, d;
	int ch, with_id = 0, y;
	unsigned mo, dd;
	char tbuf[64], cbuf[64];
	FILE *pf, *ef;

	gen_parse_time("2026-11-28T12:00:00Z", &now);
	while ((ch = getopt(argc, argv, "p:e:d:n:s:ir")) != -1) {
		switch (ch) {
		case 'p':
			nprofiles = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'e':
			nevents = strtoull(optarg, NULL, 10);
			break;
		case 'd':
			days = atoi(optarg);
			break;
		case 'n':
			if (gen_parse_time(optarg, &now) != 0) {
				fprintf(stderr, "gen_events: -n wants "
				    "YYYY-MM-DDTHH:MM:SSZ\n");
				return 2;
			}
			break;
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'i':
			with_id = 1;
			break;
		case 'r':
			with_id = 2;
			break;
		default:
			gen_usage();
		}
	}
	if (argc - optind != 2 || nprofiles == 0 || days < GEN_MAILING_DAYS)
		gen_usage();
	start = now - (int64_t)days * GEN_DAY;

	/*
	 * Profiles.  Buying follows a Pareto law (a few buy a lot, half
	 * never); logging in a gentler one; a third of the profiles stopped
	 * at some day of the period, some started during it.
	 */
	pr = gen_alloc(nprofiles, sizeof *pr);
	subs = gen_alloc(nprofiles, sizeof *subs);
	pf = gen_open(argv[optind]);
	fputs("email,country,subscribed_email,created_at\n", pf);
	for (p = 0; p < nprofiles; p++) {
		st = seed * UINT64_C(0x100000001b3) ^ p;
		gen_next(&st);
		pr[p].created = start - (int64_t)gen_below(&st,
		    (uint64_t)4 * 365 * GEN_DAY);
		pr[p].first_day = 0;
		if (gen_unit(&st) < 0.2) {
			pr[p].created = start + (int64_t)gen_below(&st,
			    (uint64_t)days * GEN_DAY);
			pr[p].first_day = (int32_t)((pr[p].created - start) /
			    GEN_DAY);
		}
		pr[p].last_day = days - 1;
		if (gen_unit(&st) < 0.35)
			pr[p].last_day = pr[p].first_day + (int32_t)gen_below(
			    &st, (uint64_t)(days - pr[p].first_day));
		pr[p].subscribed = gen_unit(&st) < 0.68;
		pr[p].country = (uint8_t)gen_below(&st, sizeof gen_countries /
		    sizeof gen_countries[0]);
		pr[p].buy_w = gen_unit(&st) < 0.5 ? 0.0f :
		    (float)fmin(pow(1.0 - gen_unit(&st), -1.0 / 1.3), 200.0);
		pr[p].login_w = gen_unit(&st) < 0.25 ? 0.0f :
		    (float)fmin(pow(1.0 - gen_unit(&st), -1.0 / 2.0), 50.0);
		if (pr[p].subscribed)
			subs[nsubs++] = p;
		gen_time(pr[p].created, tbuf);
		fprintf(pf, "p%07" PRIu32 "@example.com,%s,%s,%s\n", p + 1,
		    gen_countries[pr[p].country],
		    pr[p].subscribed ? "true" : "false", tbuf);
	}
	gen_close(pf, argv[optind]);

	w = gen_alloc(nprofiles, sizeof *w);
	for (p = 0; p < nprofiles; p++)
		w[p] = pr[p].buy_w;
	gen_alias_build(&buy, w, nprofiles);
	for (p = 0; p < nprofiles; p++)
		w[p] = pr[p].login_w;
	gen_alias_build(&login, w, nprofiles);
	free(w);

	/* The exact number of each kind. */
	nsend = nevents / 2;
	nopen = nsend * 3 / 10;
	nclick = nopen / 5;
	nbuy = nevents * 7 / 100;
	nlogin = nevents - nsend - nopen - nclick - nbuy;
	nmail = (uint64_t)days / GEN_MAILING_DAYS;
	memset(count, 0, sizeof count);
	memset(ring, 0, sizeof ring);

	ef = gen_open(argv[optind + 1]);
	fputs(with_id ? "event_id,email,event,time,amount,sku,mailing\n" :
	    "email,event,time,amount,sku,mailing\n", ef);
	st = seed ^ UINT64_C(0xe7e7e7e7e7e7e7e7);
	for (d = 0; d < days; d++) {
		t0 = start + (int64_t)d * GEN_DAY;
		/* A mailing on every fourth day, sent from 09:00 for an hour. */
		if (d % GEN_MAILING_DAYS == 1 &&
		    (m = (uint64_t)d / GEN_MAILING_DAYS) < nmail) {
			n = gen_share(nsend, m, nmail);
			no = gen_share(nopen, m, nmail);
			nc = gen_share(nclick, m, nmail);
			if (n > nsubs)
				n = nsubs;
			/*
			 * Recipients: a partial shuffle of the subscribers;
			 * the first `no` open, the first `nc` of them click.
			 */
			for (k = 0; k < n; k++) {
				j = (uint32_t)(k + gen_below(&st, nsubs - k));
				tmp = subs[k];
				subs[k] = subs[j];
				subs[j] = tmp;
				memset(&e, 0, sizeof e);
				e.pno = subs[k];
				e.type = GT_SEND;
				e.prop = (uint8_t)(m % GEN_NMAILINGS);
				ts = t0 + 9 * 3600 + (int64_t)gen_below(&st, 3600);
				e.t = ts;
				gen_push(ring, start, d, &e);
				if (k >= no)
					continue;
				to = ts + (int64_t)fmin(-log(1.0 -
				    gen_unit(&st)) * 6 * 3600,
				    GEN_MAXDELAY * GEN_DAY - 7200);
				if (to >= now)
					to = now - 1 - (int64_t)gen_below(&st,
					    (uint64_t)(now - ts));
				e.type = GT_OPEN;
				e.t = to;
				gen_push(ring, start, d, &e);
				if (k >= nc)
					continue;
				e.type = GT_CLICK;
				e.t = to + (int64_t)fmin(-log(1.0 -
				    gen_unit(&st)) * 300, 3600);
				if (e.t >= now)
					e.t = now - 1;
				gen_push(ring, start, d, &e);
			}
		}
		n = gen_share(nbuy, (uint64_t)d, (uint64_t)days);
		for (k = 0; k < n; k++) {
			memset(&e, 0, sizeof e);
			e.pno = gen_pick(&buy, pr, d, &st);
			e.type = GT_PURCHASE;
			e.t = t0 + (int64_t)gen_below(&st, GEN_DAY);
			j = (uint32_t)gen_below(&st, 119);
			for (i = 0; i < GEN_NSKUS - 1 && j >= gen_skus[i].weight;
			    i++)
				j -= gen_skus[i].weight;
			e.prop = (uint8_t)i;
			e.cents = (uint32_t)llround(gen_skus[i].price * 100 *
			    (1.0 - 0.05 * (double)gen_below(&st, 5)) *
			    (double)(1 + (gen_unit(&st) < 0.15)));
			gen_push(ring, start, d, &e);
		}
		n = gen_share(nlogin, (uint64_t)d, (uint64_t)days);
		for (k = 0; k < n; k++) {
			memset(&e, 0, sizeof e);
			e.pno = gen_pick(&login, pr, d, &st);
			e.type = GT_LOGIN;
			e.t = t0 + (int64_t)gen_below(&st, GEN_DAY);
			gen_push(ring, start, d, &e);
		}

		/* Day d is complete: write it in time order. */
		{
			struct gen_bucket *b = &ring[d % GEN_RING];

			qsort(b->v, b->n, sizeof *b->v, gen_cmp);
			gen_civil((t0 >= 0 ? t0 : t0 - GEN_DAY + 1) / GEN_DAY,
			    &y, &mo, &dd);
			snprintf(cbuf, sizeof cbuf, "%04d-%02u-%02uT", y, mo,
			    dd);
			for (ev = 0; ev < b->n; ev++) {
				const struct gen_event *x = &b->v[ev];
				int64_t sec = x->t - t0;

				if (with_id == 1)
					fprintf(ef, "e%010" PRIu64 ",",
					    written + 1);
				else if (with_id == 2)
					fprintf(ef, "%016" PRIx64 ",",
					    gen_mix(written + 1));
				fprintf(ef, "p%07" PRIu32 "@example.com,%s,"
				    "%s%02d:%02d:%02dZ,", x->pno + 1,
				    gen_type_names[x->type], cbuf,
				    (int)(sec / 3600), (int)(sec / 60 % 60),
				    (int)(sec % 60));
				if (x->type == GT_PURCHASE)
					fprintf(ef, "%" PRIu32 ".%02" PRIu32
					    ",%s,\n", x->cents / 100,
					    x->cents % 100,
					    gen_skus[x->prop].sku);
				else if (x->type == GT_LOGIN)
					fputs(",,\n", ef);
				else
					fprintf(ef, ",,%s\n",
					    gen_mailings[x->prop]);
				count[x->type]++;
				written++;
			}
			b->n = 0;
		}
	}
	gen_close(ef, argv[optind + 1]);
	fprintf(stderr, "gen_events: %" PRIu32 " profiles (%" PRIu32
	    " subscribed), %" PRIu64 " events:", nprofiles, nsubs, written);
	for (i = 0; i < 5; i++)
		fprintf(stderr, " %s %" PRIu64, gen_type_names[i], count[i]);
	fputc('\n', stderr);
	return 0;
}
