/*
 * A helper of tests/sqlgen_pg.sh (not a test itself): compiles a script
 * with sqlgen and runs the statement on a PostgreSQL server through
 * libpq, printing the member keys as a recalculation would keep them
 * (range and limit applied here when the statement leaves them out).
 *
 *   sqlgen_run [options] CONNINFO SCRIPT      the members, one per line
 *   sqlgen_run -p [options] - SCRIPT          the statement (sqlgen_format)
 *   sqlgen_run function                       reseg_bucket()'s definition
 *   sqlgen_run probe CONNINFO                 "ok" or "refused"
 *   sqlgen_run buckets < KEYS                 bucket_of_key of each line
 *
 * Options: -f FIELDS (name:type,..., columns named as the fields), -k KEY,
 * -T TABLE, -E EVENT-FIELDS and -e EVENTS-TABLE (columns key, event, time
 * and the properties), -n (the events' time is a timestamp column), -N
 * (so are the profiles' datetime columns), -o ORDER, -t TZ, -l LIMIT,
 * -r LO-HI (buckets), -s NAME=FILE (members of segment NAME), -b (the
 * server's reseg_bucket passed the probe), -w KEY (sqlgen_why).
 * RESEG_NOW fixes now.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "bucket.h"
#include "cond.h"
#include "eval.h"
#include "schema.h"
#include "sqlgen.h"
#include "timeutil.h"
#include "util.h"

struct seg {
	char		*name;
	char		**keys;
	size_t		 n;
};

static struct seg segs[16];
static size_t nsegs;

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "sqlgen_run: %s: %s\n", what, msg);
	exit(2);
}

static int
seg_keys(void *arg, const char *name, const char *const **keys, size_t *n,
    char **cause)
{
	size_t i;

	(void)arg;
	for (i = 0; i < nsegs; i++) {
		if (strcmp(segs[i].name, name) == 0) {
			*keys = (const char *const *)segs[i].keys;
			*n = segs[i].n;
			return 0;
		}
	}
	*cause = xasprintf("no segment '%s'", name);
	return -1;
}

static void
seg_load(const char *arg)
{
	const char *eq = strchr(arg, '=');
	char line[4096];
	struct seg *s;
	FILE *f;

	if (eq == NULL || nsegs == 16)
		die("-s", "NAME=FILE");
	s = &segs[nsegs++];
	s->name = xstrndup(arg, (size_t)(eq - arg));
	if ((f = fopen(eq + 1, "r")) == NULL)
		die(eq + 1, "cannot open");
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		s->keys = xreallocarray(s->keys, s->n + 1, sizeof *s->keys);
		s->keys[s->n++] = xstrdup(line);
	}
	fclose(f);
}

static PGconn *
connect_to(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		die("connect", PQerrorMessage(c));
	return c;
}

static int
probe(const char *conninfo)
{
	PGconn *c = connect_to(conninfo);
	PGresult *r = PQexec(c, sqlgen_probe_sql());
	const char **rows;
	int i, n, ok = 0;

	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		n = PQntuples(r);
		rows = xcalloc((size_t)n + 1, sizeof *rows);
		for (i = 0; i < n; i++)
			rows[i] = PQgetisnull(r, i, 0) ? NULL :
			    PQgetvalue(r, i, 0);
		ok = sqlgen_probe_ok(rows, (size_t)n);
		free(rows);
	}
	printf("%s\n", ok ? "ok" : "refused");
	PQclear(r);
	PQfinish(c);
	return 0;
}

static int
buckets(void)
{
	char line[65536];
	size_t n;

	while (fgets(line, sizeof line, stdin) != NULL) {
		n = strcspn(line, "\n");
		printf("%u\n", (unsigned)bucket_of_key(line, n));
	}
	return 0;
}

/* "a:int,b:string" into fields and column names. */
static void
parse_fields(const char *spec, struct field **f, uint16_t *nf,
    char ***cols)
{
	size_t n = 0, i;
	char *cause = NULL;

	*f = NULL;
	*nf = 0;
	*cols = NULL;
	if (spec == NULL)
		return;
	if (schema_parse_fields(spec, f, &n, &cause) != 0)
		die("fields", cause);
	*nf = (uint16_t)n;
	*cols = xcalloc(n + 1, sizeof **cols);
	for (i = 0; i < n; i++)
		(*cols)[i] = (*f)[i].name;
}

int
main(int argc, char **argv)
{
	struct pdb_schema schema;
	struct sql_source src;
	struct sql_env env;
	struct eval_query q;
	struct sql_stmt st;
	struct cond *cond;
	const char *fields = NULL, *evfields = NULL, *why = NULL, *now;
	char **cols, **evcols, *cause = NULL, *s;
	unsigned char *naive = NULL, *evnaive = NULL;
	int ch, print = 0, naive_all = 0, i;
	unsigned lo = 0, hi = 10000;
	int64_t limit = -1, kept = 0;
	PGconn *c;
	PGresult *r;
	const char *key;

	if (argc >= 2 && strcmp(argv[1], "function") == 0) {
		fputs(sqlgen_bucket_function(), stdout);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "probe") == 0)
		return probe(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "buckets") == 0)
		return buckets();

	memset(&schema, 0, sizeof schema);
	memset(&src, 0, sizeof src);
	memset(&env, 0, sizeof env);
	schema.name = "db";
	src.table = "people";
	src.key_column = "email";
	src.events_key = "key";
	src.events_name = "event";
	src.events_time = "time";
	while ((ch = getopt(argc, argv, "bpnNf:k:T:E:e:o:t:l:r:s:w:")) != -1) {
		switch (ch) {
		case 'b': env.bucket_in_sql = 1; break;
		case 'p': print = 1; break;
		case 'n': src.events_time_naive = 1; break;
		case 'N': naive_all = 1; break;
		case 'f': fields = optarg; break;
		case 'k': src.key_column = optarg; break;
		case 'T': src.table = optarg; break;
		case 'E': evfields = optarg; break;
		case 'e': src.events_table = optarg; break;
		case 'o': src.order_column = optarg; break;
		case 't': env.tz = optarg; break;
		case 'l': limit = strtoll(optarg, NULL, 10); break;
		case 'r':
			if (sscanf(optarg, "%u-%u", &lo, &hi) != 2)
				die("-r", "LO-HI");
			break;
		case 's': seg_load(optarg); break;
		case 'w': why = optarg; break;
		default:
			return 2;
		}
	}
	if (argc - optind != 2)
		die("usage", "sqlgen_run [options] CONNINFO SCRIPT");
	parse_fields(fields, &schema.fields, &schema.nfields, &cols);
	parse_fields(evfields, &schema.event_fields, &schema.nevent_fields,
	    &evcols);
	src.schema = &schema;
	src.columns = (const char *const *)cols;
	src.event_columns = (const char *const *)evcols;
	if (naive_all) {
		naive = xcalloc(schema.nfields + 1, 1);
		evnaive = xcalloc(schema.nevent_fields + 1, 1);
		for (i = 0; i < schema.nfields; i++)
			naive[i] = 1;
		for (i = 0; i < schema.nevent_fields; i++)
			evnaive[i] = 1;
		src.naive = naive;
		src.event_naive = evnaive;
	}
	now = getenv("RESEG_NOW");
	if (now == NULL || tu_parse_datetime(now, strlen(now), 1,
	    &env.now) != 0)
		die("RESEG_NOW", "missing or not an ISO 8601 time");
	env.segment_keys = seg_keys;
	cond = cond_parse(argv[optind + 1], &cause);
	if (cond == NULL)
		die("script", cause);
	q.cond = cond;
	q.range_lo = (uint16_t)lo;
	q.range_hi = (uint16_t)hi;
	q.limit = limit;
	if ((why != NULL ? sqlgen_why(&src, cond, &env, &st, &cause) :
	    sqlgen_segment(&src, &q, &env, &st, &cause)) != 0)
		die("sqlgen", cause);
	if (print) {
		s = sqlgen_format(&st);
		fputs(s, stdout);
		free(s);
		goto done;
	}
	if (why != NULL) {
		free(st.params[0]);
		st.params[0] = xstrdup(why);
	}
	c = connect_to(argv[optind]);
	r = PQexecParams(c, st.text, (int)st.nparams, NULL,
	    (const char *const *)st.params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		s = sqlgen_format(&st);
		fprintf(stderr, "%s", s);
		die("query", PQresultErrorMessage(r));
	}
	for (i = 0; i < PQntuples(r); i++) {
		if (why != NULL) {
			int k;

			for (k = 0; k < PQnfields(r); k++)
				printf("%s%s", k > 0 ? " " : "",
				    PQgetvalue(r, i, k));
			printf("\n");
			continue;
		}
		key = PQgetvalue(r, i, 0);
		if (!st.range_in_sql) {
			unsigned b = bucket_of_key(key, strlen(key));

			if (b < lo || b >= hi)
				continue;
			if (limit >= 0 && kept >= limit)
				break;
		}
		kept++;
		printf("%s\n", key);
	}
	PQclear(r);
	PQfinish(c);
done:
	sqlgen_stmt_free(&st);
	cond_free(cond);
	fields_free(schema.fields, schema.nfields);
	fields_free(schema.event_fields, schema.nevent_fields);
	free(cols);
	free(evcols);
	free(naive);
	free(evnaive);
	return 0;
}
