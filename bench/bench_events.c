/*
 * bench_events: times eval_run alone (the scan-and-evaluate step) of
 * segment scripts with event conditions over one database of a store,
 * with 1 and 2 threads.  For each script prints the best milliseconds of
 * the runs, the members, the event chunks and bytes the run read out of
 * all of them (eval_stats), and the most anonymous memory the process
 * held while running (RssAnon, sampled every millisecond).
 *
 *	bench_events [-n runs] [-k KEYS] STORE DB SCRIPT...
 *
 * -k writes the keys of the first script's members to KEYS, one a line,
 * in profile order, to compare with other engines.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#include "cond.h"
#include "engine.h"
#include "eval.h"
#include "pdb.h"
#include "store.h"
#include "timeutil.h"
#include "util.h"

#include "bench_lib.h"

static atomic_int bench_stop;
static atomic_long bench_anon_peak;

/* Anonymous resident memory of this process (kB), from /proc. */
static long
bench_anon_kb(void)
{
	return bench_proc_kb("/proc/self/status", "RssAnon");
}

/* Samples RssAnon until told to stop, keeping the largest. */
static int
bench_sampler(void *arg)
{
	struct timespec ms = { 0, 1000000 };
	long kb;

	(void)arg;
	while (!atomic_load(&bench_stop)) {
		kb = bench_anon_kb();
		if (kb > atomic_load(&bench_anon_peak))
			atomic_store(&bench_anon_peak, kb);
		thrd_sleep(&ms, NULL);
	}
	return 0;
}

static void
bench_die(const char *what, char *cause)
{
	fprintf(stderr, "bench_events: %s: %s\n", what, cause);
	exit(1);
}

static int
bench_key(void *arg, uint32_t pno, const char *key, size_t len)
{
	(void)pno;
	fwrite(key, 1, len, arg);
	fputc('\n', arg);
	return 0;
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
	struct eval_stats es;
	roaring_bitmap_t *out, *first = NULL;
	const char *keys = NULL;
	char *cause = NULL;
	int ch, runs = 5, r, threads, i;
	double t0, best;
	uint64_t members = 0;
	long before;
	thrd_t sampler;
	FILE *f;

	while ((ch = getopt(argc, argv, "k:n:")) != -1) {
		switch (ch) {
		case 'k':
			keys = optarg;
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (argc - optind < 3 || runs < 1) {
		fprintf(stderr, "usage: bench_events [-n runs] [-k keys] "
		    "store db script...\n");
		return 2;
	}
	/* RESEG_NOW: the same "now" as the reseg commands it is set against. */
	if (engine_init(ENGINE_CLOCK_FIXED, &cause) != 0)
		bench_die("clock", cause);
	if (store_open(argv[optind], &st, &cause) != 0)
		bench_die("store", cause);
	if (store_read_begin(st, &txn, &cause) != 0 ||
	    pdb_open(txn, argv[optind + 1], &schema, &cause) != 0)
		bench_die("open", cause);
	memset(&env, 0, sizeof env);
	env.now = tu_now();
	before = bench_anon_kb();
	if (thrd_create(&sampler, bench_sampler, NULL) != thrd_success)
		bench_die("thread", xstrdup("cannot start the sampler"));
	for (i = optind + 2; i < argc; i++) {
		memset(&q, 0, sizeof q);
		if ((q.cond = cond_parse(argv[i], &cause)) == NULL)
			bench_die("parse", cause);
		q.range_lo = 0;
		q.range_hi = 10000;
		q.limit = -1;
		if (eval_compile(schema, &q, &env, &prog, &cause) != 0)
			bench_die("compile", cause);
		printf("script: %s\n", argv[i]);
		for (threads = 1; threads <= 2; threads++) {
			best = 1e30;
			atomic_store(&bench_anon_peak, bench_anon_kb());
			for (r = 0; r < runs; r++) {
				out = roaring_bitmap_create();
				t0 = bench_ms();
				if (eval_run(prog, txn, threads, NULL, out,
				    &cause) != 0)
					bench_die("run", cause);
				t0 = bench_ms() - t0;
				if (t0 < best)
					best = t0;
				members = roaring_bitmap_get_cardinality(out);
				if (first == NULL && i == optind + 2)
					first = out;
				else
					roaring_bitmap_free(out);
			}
			eval_stats(prog, &es);
			printf("  threads %d: %.1f ms, %llu members; event chunks "
			    "read %llu of %llu, bytes read %.1f of %.1f MiB "
			    "(%.1f%%); anon peak %ld kB (%ld kB before)\n",
			    threads, best, (unsigned long long)members,
			    (unsigned long long)es.event_chunks_read,
			    (unsigned long long)es.event_chunks,
			    es.event_bytes_read / 1048576.0,
			    es.event_bytes / 1048576.0,
			    es.event_bytes == 0 ? 0.0 :
			    100.0 * es.event_bytes_read / es.event_bytes,
			    atomic_load(&bench_anon_peak), before);
			fflush(stdout);
		}
		eval_free(prog);
		cond_free((struct cond *)q.cond);
	}
	atomic_store(&bench_stop, 1);
	thrd_join(sampler, NULL);
	if (keys != NULL && first != NULL) {
		if ((f = fopen(keys, "w")) == NULL ||
		    pdb_scan_keys(txn, schema, first, bench_key, f, &cause) < 0)
			bench_die(keys, cause != NULL ? cause :
			    xstrdup("cannot write"));
		fclose(f);
	}
	if (first != NULL)
		roaring_bitmap_free(first);
	schema_free(schema);
	store_read_end(txn);
	store_close(st);
	return 0;
}
