/*
 * bench_scan: 1,000,000 demo-like profiles into a temporary store through
 * pdb_batch, then a full scan of two fixed-width columns, set against the
 * machine's memory bandwidth measured in the same run.
 *
 *	bench/bench_scan [PROFILES]
 */
#include "config.h"

#include <sys/resource.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#include "pdb.h"
#include "schema.h"
#include "timeutil.h"
#include "util.h"

#define BW_BYTES	((size_t)1 << 30)
#define ROUNDS		5

static double
bench_now(void)
{
	struct timespec ts;

	timespec_get(&ts, TIME_UTC);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t
bench_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int
bench_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

struct apply_arg {
	struct pdb_batch	*b;
	struct pdb_upsert_stats	 stats;
};

static int
bench_apply(struct store_txn *t, void *arg, char **cause)
{
	struct apply_arg *a = arg;

	return pdb_batch_apply(t, "demo", a->b, &a->stats, cause);
}

struct bw_arg {
	const uint64_t	*p;
	size_t		 n;
	uint64_t	 sum;
};

static int
bench_bw_thread(void *arg)
{
	struct bw_arg *a = arg;
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t i;

	for (i = 0; i + 4 <= a->n; i += 4) {
		s0 += a->p[i];
		s1 += a->p[i + 1];
		s2 += a->p[i + 2];
		s3 += a->p[i + 3];
	}
	a->sum = s0 + s1 + s2 + s3;
	return 0;
}

/* Best of ROUNDS sums of a 1 GiB buffer with nthreads threads, in GB/s. */
static double
bench_bandwidth(const uint64_t *buf, int nthreads)
{
	struct bw_arg args[2];
	thrd_t th[2];
	size_t words = BW_BYTES / 8, per = words / (size_t)nthreads;
	double best = 0, t0, dt;
	int r, i;

	for (r = 0; r < ROUNDS; r++) {
		t0 = bench_now();
		for (i = 0; i < nthreads; i++) {
			args[i].p = buf + per * (size_t)i;
			args[i].n = per;
			thrd_create(&th[i], bench_bw_thread, &args[i]);
		}
		for (i = 0; i < nthreads; i++)
			thrd_join(th[i], NULL);
		dt = bench_now() - t0;
		if (BW_BYTES / dt / 1e9 > best)
			best = BW_BYTES / dt / 1e9;
	}
	return best;
}

int
main(int argc, char **argv)
{
	static const char *const first[] = { "Anna", "Ivan", "Olga", "Petr",
	    "Maria", "Alexei", "Elena", "Dmitry" };
	static const char *const cities[] = { "Moscow", "Kazan", "Omsk",
	    "Almaty", "Minsk", "Samara", "Tver", "Perm" };
	static const char *const countries[] = { "RU", "KZ", "BY" };
	static const char *const tagset[] = { "vip", "newsletter", "churn",
	    "mobile" };
	const char *spec = "email:string,first_name:string,city:string,"
	    "country:string,birth_date:date,created_at:datetime,"
	    "orders_count:int,total_spent:float,subscribed_email:bool,"
	    "tags:tags";
	char tmpl[] = "/tmp/bench-scan-XXXXXX";
	struct store *st;
	struct store_txn *t;
	struct pdb_schema *sc;
	struct field *fields;
	struct apply_arg aa;
	struct col_chunk c1, c2;
	struct value row[10];
	struct rusage ru;
	const char *tags[4];
	char email[64], *cause = NULL;
	uint64_t seed = 88172645463325252ULL, *buf, match = 0;
	uint32_t nprof = 1000000, i, ch, r, nch;
	size_t nf;
	double t0, t_add, t_apply, best = 1e9, dt, bw1, bw2, bytes;
	int32_t lo = tu_days_from_civil(1986, 1, 1);
	int32_t hi = tu_days_from_civil(2001, 1, 1);
	int round;
	uint16_t f_orders, f_birth;

	if (argc > 1)
		nprof = (uint32_t)strtoul(argv[1], NULL, 10);
	if (mkdtemp(tmpl) == NULL || store_open(tmpl, &st, &cause) != 0 ||
	    schema_parse_fields(spec, &fields, &nf, &cause) != 0 ||
	    pdb_create(st, "demo", fields, nf, "email", &cause) != 0 ||
	    store_read_begin(st, &t, &cause) != 0 ||
	    pdb_open(t, "demo", &sc, &cause) != 0) {
		fprintf(stderr, "bench_scan: %s\n", cause ? cause : "setup");
		return 1;
	}
	store_read_end(t);
	fields_free(fields, nf);

	t0 = bench_now();
	aa.b = pdb_batch_new(sc);
	memset(row, 0, sizeof row);
	for (i = 0; i < nprof; i++) {
		uint64_t x = bench_rand(&seed);
		uint32_t k;

		snprintf(email, sizeof email, "user%07u@example.com", i);
		row[0].present = 1;
		row[0].u.s.p = email;
		row[0].u.s.len = (uint32_t)strlen(email);
		row[1].present = 1;
		row[1].u.s.p = first[x % 8];
		row[1].u.s.len = (uint32_t)strlen(first[x % 8]);
		row[2].present = 1;
		row[2].u.s.p = cities[(x >> 3) % 8];
		row[2].u.s.len = (uint32_t)strlen(cities[(x >> 3) % 8]);
		row[3].present = 1;
		row[3].u.s.p = countries[(x >> 6) % 3];
		row[3].u.s.len = 2;
		row[4].present = (x >> 8) % 20 != 0;
		row[4].u.date = tu_days_from_civil(1950, 1, 1) +
		    (int32_t)((x >> 10) % 20000);
		row[5].present = 1;
		row[5].u.dt = 1600000000 + (int64_t)((x >> 20) % 150000000);
		row[6].present = 1;
		row[6].u.i = (int64_t)((x >> 30) % 12);
		row[7].present = 1;
		row[7].u.f = (double)((x >> 34) % 100000) / 100.0;
		row[8].present = 1;
		row[8].u.b = (int)((x >> 50) & 1);
		k = 0;
		for (r = 0; r < 4; r++) {
			if ((x >> (52 + r)) & 1)
				tags[k++] = tagset[r];
		}
		row[9].present = k > 0;
		row[9].u.tags.v = tags;
		row[9].u.tags.n = k;
		pdb_batch_add(aa.b, row);
	}
	t_add = bench_now() - t0;
	t0 = bench_now();
	if (store_write(st, bench_apply, &aa, &cause) != 0) {
		fprintf(stderr, "bench_scan: %s\n", cause);
		return 1;
	}
	t_apply = bench_now() - t0;
	pdb_batch_free(aa.b);
	schema_free(sc);
	printf("profiles:        %u (inserted %llu)\n", nprof,
	    (unsigned long long)aa.stats.inserted);
	printf("batch add:       %.3f s\n", t_add);
	printf("batch apply:     %.3f s (one write transaction, commit "
	    "included)\n", t_apply);

	store_read_begin(st, &t, &cause);
	pdb_open(t, "demo", &sc, &cause);
	f_orders = (uint16_t)schema_field_index(sc, "orders_count");
	f_birth = (uint16_t)schema_field_index(sc, "birth_date");
	nch = pdb_nchunks(sc);
	memset(&c1, 0, sizeof c1);
	memset(&c2, 0, sizeof c2);
	bytes = (double)sc->nprofiles * (8 + 4);
	/* orders_count >= 3 and birth_date in [1986-01-01, 2001-01-01). */
	for (round = 0; round < ROUNDS; round++) {
		t0 = bench_now();
		match = 0;
		for (ch = 0; ch < nch; ch++) {
			pdb_chunk(t, sc, f_orders, ch, &c1, &cause);
			pdb_chunk(t, sc, f_birth, ch, &c2, &cause);
			for (r = 0; r < c1.nrows; r++) {
				match += (c1.i64[r] >= 3) &
				    (c2.i32[r] >= lo) & (c2.i32[r] < hi) &
				    (int)((c2.present[r >> 6] >> (r & 63)) & 1);
			}
		}
		dt = bench_now() - t0;
		if (dt < best)
			best = dt;
	}
	pdb_chunk_release(&c1);
	pdb_chunk_release(&c2);
	store_read_end(t);
	printf("scan (2 fixed-width columns, 1 thread): %.2f ms best of %d, "
	    "%llu matches\n", best * 1e3, ROUNDS, (unsigned long long)match);
	printf("  %.0f Mprofiles/s, %.2f GB/s of column data\n",
	    sc->nprofiles / best / 1e6, bytes / best / 1e9);

	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS after import and scan: %.1f MiB (batch in memory, "
	    "mapped store pages included)\n", ru.ru_maxrss / 1024.0);
	buf = xmalloc(BW_BYTES);
	for (i = 0; i < BW_BYTES / 8; i++)
		buf[i] = i;
	bw1 = bench_bandwidth(buf, 1);
	bw2 = bench_bandwidth(buf, 2);
	free(buf);
	printf("memory bandwidth: %.2f GB/s (1 thread), %.2f GB/s "
	    "(2 threads)\n", bw1, bw2);
	printf("scan / 1-thread bandwidth: %.0f%%\n",
	    100.0 * bytes / best / 1e9 / bw1);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS at the end: %.1f MiB (with the 1 GiB buffer)\n",
	    ru.ru_maxrss / 1024.0);
	schema_free(sc);
	store_close(st);
	nftw(tmpl, bench_rm, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
