/*
 * bench_eval: times eval_run alone (the scan-and-evaluate step) over the
 * demo database of a store, with 1 and 2 threads, for three reference
 * queries: a broad "or" over string, date and number columns, a selective
 * "and" of string and tag tests, and the first again with a range and a
 * limit.  Prints one line per query and thread count: best milliseconds
 * of the runs (wall, and CPU of all threads: user + sys, steadier on a
 * shared machine), members, profiles/s, the bytes of column chunks the scan
 * read (eval_stats) and the rate that makes, against the memory read
 * bandwidth of 1 and 2 threads measured first (a loop summing a 64 MiB
 * buffer per thread, best of 10), and the process's anonymous memory.
 *
 *	bench_eval [-c nprofiles] [-n runs] [-q NAME=SCRIPT]... STORE_DIR
 *
 * -c (re)creates the demo database first (profiles only, no events); -q replaces the built-in
 * queries by the given ones (no range, no limit), for bench/compare.sh.
 * RESEG_NOW fixes "now" as for reseg itself.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cond.h"
#include "demo.h"
#include "engine.h"
#include "eval.h"
#include "pdb.h"
#include "store.h"
#include "timeutil.h"
#include "util.h"

#include "bench_lib.h"

struct bench_query {
	const char	*name;
	const char	*script;
	uint16_t	 lo, hi;
	int64_t		 limit;
};

static const struct bench_query bench_builtin[] = {
	{ "a", "(country in (\"RU\",\"KZ\",\"BY\") and age(birth_date) "
	    "between 25 and 40) or (orders_count >= 3 and last_purchase_at "
	    "within last 30 days)", 0, 10000, -1 },
	{ "b", "subscribed_email is true and tags has \"vip\" and "
	    "city = \"Moscow\"", 0, 10000, -1 },
	{ "c", "(country in (\"RU\",\"KZ\",\"BY\") and age(birth_date) "
	    "between 25 and 40) or (orders_count >= 3 and last_purchase_at "
	    "within last 30 days)", 0, 2000, 50000 },
};

/* Anonymous memory of this process (kB), from smaps_rollup. */
static long
bench_anon_kb(void)
{
	return bench_proc_kb("/proc/self/smaps_rollup", "Anonymous");
}

#define BENCH_BW_BYTES	((size_t)64 << 20)

struct bench_bw {
	const uint64_t	*buf;
	uint64_t	 sum;
};

/* Reads the buffer once, as a scan reads its columns: every word. */
static void *
bench_bw_read(void *arg)
{
	struct bench_bw *b = arg;
	const uint64_t *p = b->buf;
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	size_t i, n = BENCH_BW_BYTES / sizeof *p;

	for (i = 0; i < n; i += 4) {
		s0 += p[i];
		s1 += p[i + 1];
		s2 += p[i + 2];
		s3 += p[i + 3];
	}
	b->sum = s0 + s1 + s2 + s3;
	return NULL;
}

/* Memory read bandwidth of n threads (1 or 2), GB/s. */
static double
bench_bandwidth(int n)
{
	struct bench_bw b[2];
	pthread_t tid;
	double t0, best = 1e30;
	int i, r;

	for (i = 0; i < n; i++) {
		uint64_t *p = malloc(BENCH_BW_BYTES);

		if (p == NULL)
			return 0;
		memset(p, i + 1, BENCH_BW_BYTES);
		b[i].buf = p;
	}
	for (r = 0; r < 10; r++) {
		t0 = bench_ms();
		if (n == 2 && pthread_create(&tid, NULL, bench_bw_read,
		    &b[1]) != 0)
			return 0;
		bench_bw_read(&b[0]);
		if (n == 2)
			pthread_join(tid, NULL);
		t0 = bench_ms() - t0;
		if (t0 < best)
			best = t0;
	}
	for (i = 0; i < n; i++)
		free((void *)b[i].buf);
	return (double)BENCH_BW_BYTES * n / best / 1e6;
}

/* CPU time of the whole process (every thread), milliseconds. */
static double
bench_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
bench_die(const char *what, char *cause)
{
	fprintf(stderr, "bench_eval: %s: %s\n", what, cause);
	exit(1);
}

int
main(int argc, char **argv)
{
	struct store *st;
	struct store_txn *txn;
	struct pdb_schema *schema;
	struct eval_env env;
	struct eval_query q;
	struct eval_prog *prog;
	roaring_bitmap_t *out;
	char *cause = NULL;
	long create = 0;
	int ch, runs = 7, r, threads;
	size_t i, nqueries = sizeof bench_builtin / sizeof bench_builtin[0];
	const struct bench_query *queries = bench_builtin;
	struct bench_query *custom = NULL;
	size_t ncustom = 0;
	char *eq;
	double t0, c0, best, bestcpu, bw[3];
	uint64_t members = 0;
	struct eval_stats es;

	while ((ch = getopt(argc, argv, "c:n:q:")) != -1) {
		switch (ch) {
		case 'c':
			create = atol(optarg);
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		case 'q':
			if ((eq = strchr(optarg, '=')) == NULL) {
				fprintf(stderr, "bench_eval: -q NAME=SCRIPT\n");
				return 2;
			}
			*eq = '\0';
			custom = realloc(custom, (ncustom + 1) * sizeof *custom);
			if (custom == NULL)
				return 1;
			custom[ncustom++] = (struct bench_query){ optarg,
			    eq + 1, 0, 10000, -1 };
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "usage: bench_eval [-c n] [-n runs] "
		    "[-q name=script]... store\n");
		return 2;
	}
	if (ncustom > 0) {
		queries = custom;
		nqueries = ncustom;
	}
	if (engine_init(ENGINE_CLOCK_FIXED, &cause) != 0)
		bench_die("environment", cause);
	if (store_open(argv[optind], &st, &cause) != 0)
		bench_die("store", cause);
	if (create > 0) {
		t0 = bench_ms();
		if (demo_create_profiles(st, (uint32_t)create, &cause) != 0)
			bench_die("demo", cause);
		printf("created %ld demo profiles in %.0f ms\n", create,
		    bench_ms() - t0);
	}
	if (store_read_begin(st, &txn, &cause) != 0 ||
	    pdb_open(txn, DEMO_DB, &schema, &cause) != 0)
		bench_die("open", cause);
	bw[1] = bench_bandwidth(1);
	bw[2] = bench_bandwidth(2);
	printf("memory read bandwidth: %.1f GB/s with 1 thread, %.1f GB/s "
	    "with 2\n", bw[1], bw[2]);
	memset(&env, 0, sizeof env);
	env.now = tu_now();
	for (i = 0; i < nqueries; i++) {
		q.cond = cond_parse(queries[i].script, &cause);
		if (q.cond == NULL)
			bench_die("parse", cause);
		q.range_lo = queries[i].lo;
		q.range_hi = queries[i].hi;
		q.limit = queries[i].limit;
		if (eval_compile(schema, &q, &env, &prog, &cause) != 0)
			bench_die("compile", cause);
		for (threads = 1; threads <= 2; threads++) {
			best = bestcpu = 1e30;
			for (r = 0; r < runs; r++) {
				out = roaring_bitmap_create();
				c0 = bench_cpu_ms();
				t0 = bench_ms();
				if (eval_run(prog, txn, threads, NULL, out,
				    &cause) != 0)
					bench_die("run", cause);
				t0 = bench_ms() - t0;
				c0 = bench_cpu_ms() - c0;
				if (t0 < best)
					best = t0;
				if (c0 < bestcpu)
					bestcpu = c0;
				members = roaring_bitmap_get_cardinality(out);
				roaring_bitmap_free(out);
			}
			eval_stats(prog, &es);
			printf("query %s threads %d: %.2f ms, cpu %.2f ms, "
			    "%llu members, "
			    "%.0f M profiles/s, read %.1f MB, %.1f GB/s = "
			    "%.0f%% of bandwidth, anon %ld kB\n",
			    queries[i].name, threads, best, bestcpu,
			    (unsigned long long)members,
			    schema->nprofiles / best / 1e3,
			    es.bytes_read / 1e6, es.bytes_read / best / 1e6,
			    100.0 * (es.bytes_read / best / 1e6) /
			    (bw[threads] > 0 ? bw[threads] : 1),
			    bench_anon_kb());
		}
		eval_free(prog);
		cond_free((struct cond *)q.cond);
	}
	schema_free(schema);
	store_read_end(txn);
	store_close(st);
	free(custom);
	return 0;
}
