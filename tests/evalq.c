/*
 * evalq: a helper of tests/eval_oracle.sh (built for make check, not a
 * test itself).  Loads a CSV file into a temporary store with its own
 * small loader (value_parse_text + pdb_batch), parses a condition script,
 * evaluates it with the engine and prints the member keys in profile
 * order, one per line.  "Now" comes from RESEG_NOW.
 *
 *	evalq [-t zone] [-r lo-hi] [-l limit] [-j threads] [-w key]
 *	    [-s name=script]... [-u] file.csv fields script
 *
 * -r takes buckets (0..10000); -w explains one key instead of listing;
 * -s defines a segment (by a script over the same data) for "in segment";
 * -u loads the rows through small upserts, so that the scan reads them
 * through the chunks' overlays.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cond.h"
#include "csv.h"
#include "engine.h"
#include "eval.h"
#include "pdb.h"
#include "schema.h"
#include "store.h"
#include "timeutil.h"
#include "util.h"

#define EVALQ_MAXSEG 8

struct evalq_seg {
	char			*name;
	roaring_bitmap_t	*members;
};

static struct evalq_seg	evalq_segs[EVALQ_MAXSEG];
static size_t		evalq_nsegs;

static void
evalq_die(const char *what, char *cause)
{
	fprintf(stderr, "evalq: %s: %s\n", what, cause != NULL ? cause : "?");
	exit(2);
}

static const roaring_bitmap_t *
evalq_members(void *arg, const char *name)
{
	size_t i;

	(void)arg;
	for (i = 0; i < evalq_nsegs; i++) {
		if (strcmp(evalq_segs[i].name, name) == 0)
			return evalq_segs[i].members;
	}
	return NULL;
}

struct evalq_load {
	struct pdb_batch	*batch;
	const char		*db;
};

static int
evalq_apply(struct store_txn *txn, void *arg, char **cause)
{
	struct evalq_load *l = arg;
	struct pdb_upsert_stats st;

	return pdb_batch_apply(txn, l->db, l->batch, &st, cause);
}

/* Applies the batch in a transaction of its own and empties it. */
static void
evalq_commit(struct store *st, struct evalq_load *l,
    const struct pdb_schema *schema)
{
	char *cause = NULL;

	if (store_write(st, evalq_apply, l, &cause) != 0)
		evalq_die("apply", cause);
	pdb_batch_free(l->batch);
	l->batch = pdb_batch_new(schema);
}

static void
evalq_load(struct store *st, const char *path, const char *spec,
    int upserts)
{
	struct value **rows = NULL;
	size_t nrows = 0;
	struct field *fields;
	struct pdb_schema *schema;
	struct store_txn *txn;
	struct csv_reader *r;
	const struct csv_field *cf;
	struct value *row;
	struct arena arena = ARENA_INIT;
	struct evalq_load l;
	size_t nfields, n, i;
	char *cause = NULL;
	FILE *f;
	int rc, line = 1;

	if (schema_parse_fields(spec, &fields, &nfields, &cause) != 0)
		evalq_die("fields", cause);
	if (pdb_create(st, "people", fields, nfields, fields[0].name,
	    &cause) != 0)
		evalq_die("pdb_create", cause);
	fields_free(fields, nfields);
	if (store_read_begin(st, &txn, &cause) != 0 ||
	    pdb_open(txn, "people", &schema, &cause) != 0)
		evalq_die("pdb_open", cause);
	store_read_end(txn);

	if ((f = fopen(path, "r")) == NULL)
		evalq_die(path, xstrdup("cannot open"));
	r = csv_reader_new(f);
	if (csv_read(r, &cf, &n, &cause) != 0 || n != schema->nfields)
		evalq_die("header", cause);
	l.batch = pdb_batch_new(schema);
	l.db = "people";
	while ((rc = csv_read(r, &cf, &n, &cause)) == 0) {
		line++;
		row = xcalloc(schema->nfields, sizeof *row);
		rows = xreallocarray(rows, nrows + 1, sizeof *rows);
		rows[nrows++] = row;
		if (n != schema->nfields) {
			fprintf(stderr, "evalq: line %d: %zu fields\n", line, n);
			exit(2);
		}
		for (i = 0; i < n; i++) {
			if (value_parse_text(schema->fields[i].type, cf[i].p,
			    cf[i].len, &row[i], &arena, &cause) != 0) {
				fprintf(stderr, "evalq: line %d, %s: %s\n",
				    line, schema->fields[i].name, cause);
				exit(2);
			}
		}
	}
	if (rc < 0)
		evalq_die("csv", cause);
	if (!upserts) {
		for (i = 0; i < nrows; i++)
			pdb_batch_add(l.batch, rows[i]);
		evalq_commit(st, &l, schema);
	} else {
		/*
		 * Each row first holds the next row's values, then gets its
		 * own in upserts of 7 rows: the chunk's overlays grow, fold
		 * into the chunk past 32 rows and grow again, so the scan
		 * reads the rows through them (doc/storage.md, "Overlays").
		 */
		row = xcalloc(schema->nfields, sizeof *row);
		for (i = 0; i < nrows; i++) {
			memcpy(row, rows[(i + 1) % nrows], schema->nfields *
			    sizeof *row);
			row[schema->key_field] = rows[i][schema->key_field];
			pdb_batch_add(l.batch, row);
		}
		free(row);
		evalq_commit(st, &l, schema);
		for (i = 0; i < nrows; i++) {
			pdb_batch_add(l.batch, rows[i]);
			if (i % 7 == 6 || i == nrows - 1)
				evalq_commit(st, &l, schema);
		}
	}
	pdb_batch_free(l.batch);
	csv_reader_free(r);
	fclose(f);
	for (i = 0; i < nrows; i++)
		free(rows[i]);
	free(rows);
	arena_free(&arena);
	schema_free(schema);
}

static roaring_bitmap_t *
evalq_eval(struct store *st, const char *script, struct eval_query *q,
    const char *tz, int threads, const char *why)
{
	struct eval_env env;
	struct eval_prog *prog;
	struct pdb_schema *schema;
	struct store_txn *txn;
	roaring_bitmap_t *out;
	struct strbuf sb = STRBUF_INIT;
	char *cause = NULL;
	uint32_t pno;
	int in;

	q->cond = cond_parse(script, &cause);
	if (q->cond == NULL)
		evalq_die("script", cause);
	memset(&env, 0, sizeof env);
	env.now = tu_now();
	env.tz = tz;
	env.segment_members = evalq_members;
	if (store_read_begin(st, &txn, &cause) != 0 ||
	    pdb_open(txn, "people", &schema, &cause) != 0)
		evalq_die("pdb_open", cause);
	if (eval_compile(schema, q, &env, &prog, &cause) != 0)
		evalq_die("compile", cause);
	out = roaring_bitmap_create();
	if (why != NULL) {
		if (pdb_lookup(txn, schema, why, strlen(why), &pno,
		    &cause) != 0)
			evalq_die("lookup", cause);
		if (eval_explain(prog, txn, pno, &in, &sb, &cause) != 0)
			evalq_die("explain", cause);
		fputs(sb.buf != NULL ? sb.buf : "", stdout);
		sb_free(&sb);
	} else if (eval_run(prog, txn, threads, NULL, out, &cause) != 0)
		evalq_die("run", cause);
	eval_free(prog);
	schema_free(schema);
	store_read_end(txn);
	cond_free((struct cond *)q->cond);
	q->cond = NULL;
	return out;
}

static bool
evalq_print(uint32_t pno, void *arg)
{
	char **keys = arg;

	puts(keys[pno]);
	return true;
}

static int
evalq_key_cb(void *arg, uint32_t pno, const struct value *row)
{
	void **a = arg;
	char **keys = a[0];
	const struct pdb_schema *schema = a[1];
	const struct value *k = &row[schema->key_field];

	keys[pno] = xstrndup(k->u.s.p, k->u.s.len);
	return 0;
}

int
main(int argc, char **argv)
{
	struct eval_query q;
	struct store *st;
	struct store_txn *txn;
	struct pdb_schema *schema;
	roaring_bitmap_t *out;
	const char *tz = NULL, *why = NULL;
	char *dir, *cause = NULL, **keys, *eq;
	char *segdefs[EVALQ_MAXSEG];
	size_t nsegdefs = 0, i;
	void *cbarg[2];
	int ch, threads = 1, upserts = 0;
	unsigned lo, hi;

	if (engine_init(ENGINE_CLOCK_FIXED, &cause) != 0) {
		fprintf(stderr, "evalq: %s\n", cause);
		return 2;
	}
	memset(&q, 0, sizeof q);
	q.range_lo = 0;
	q.range_hi = 10000;
	q.limit = -1;
	while ((ch = getopt(argc, argv, "t:r:l:j:w:s:u")) != -1) {
		switch (ch) {
		case 'u':
			upserts = 1;
			break;
		case 't':
			tz = optarg;
			break;
		case 'r':
			if (sscanf(optarg, "%u-%u", &lo, &hi) != 2)
				evalq_die("-r", xstrdup("lo-hi"));
			q.range_lo = (uint16_t)lo;
			q.range_hi = (uint16_t)hi;
			break;
		case 'l':
			q.limit = atoll(optarg);
			break;
		case 'j':
			threads = atoi(optarg);
			break;
		case 'w':
			why = optarg;
			break;
		case 's':
			if (nsegdefs == EVALQ_MAXSEG)
				evalq_die("-s", xstrdup("too many"));
			segdefs[nsegdefs++] = optarg;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: evalq [options] file.csv fields "
		    "script\n");
		return 2;
	}
	dir = xasprintf("%s/evalq-XXXXXX", getenv("TMPDIR") != NULL ?
	    getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		evalq_die("mkdtemp", xstrdup(dir));
	if (store_open(dir, &st, &cause) != 0)
		evalq_die("store", cause);
	evalq_load(st, argv[optind], argv[optind + 1], upserts);

	for (i = 0; i < nsegdefs; i++) {
		struct eval_query sq = { NULL, 0, 10000, -1 };

		eq = strchr(segdefs[i], '=');
		if (eq == NULL)
			evalq_die("-s", xstrdup("name=script"));
		evalq_segs[evalq_nsegs].name = xstrndup(segdefs[i],
		    (size_t)(eq - segdefs[i]));
		evalq_segs[evalq_nsegs].members = evalq_eval(st, eq + 1, &sq,
		    tz, 1, NULL);
		evalq_nsegs++;
	}
	out = evalq_eval(st, argv[optind + 2], &q, tz, threads, why);

	if (why == NULL) {
		if (store_read_begin(st, &txn, &cause) != 0 ||
		    pdb_open(txn, "people", &schema, &cause) != 0)
			evalq_die("pdb_open", cause);
		keys = xcalloc(schema->nprofiles + 1, sizeof *keys);
		cbarg[0] = keys;
		cbarg[1] = schema;
		if (pdb_scan_rows(txn, schema, out, evalq_key_cb, cbarg,
		    &cause) != 0)
			evalq_die("scan", cause);
		roaring_iterate(out, evalq_print, keys);
		for (i = 0; i < schema->nprofiles; i++)
			free(keys[i]);
		free(keys);
		schema_free(schema);
		store_read_end(txn);
	}
	roaring_bitmap_free(out);
	for (i = 0; i < evalq_nsegs; i++) {
		free(evalq_segs[i].name);
		roaring_bitmap_free(evalq_segs[i].members);
	}
	store_close(st);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		if (system(cmd) != 0)
			fprintf(stderr, "evalq: cannot remove %s\n", dir);
		free(cmd);
	}
	free(dir);
	return 0;
}
