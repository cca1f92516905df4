/*
 * The events importer (events_import: CSV or JSON Lines, by the first
 * byte as `reseg events import -` sniffs it) into a scratch store made
 * once, whose database has two profiles and a property of every type.
 * All or nothing: a refused import leaves the event count as it was.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "fuzz.h"
#include "import.h"
#include "pdb.h"
#include "schema.h"
#include "store.h"
#include "util.h"

static struct store *fuzz_st;
static char fuzz_dir[] = "/tmp/reseg-fuzz-XXXXXX";

static int
fuzz_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
fuzz_cleanup(void)
{
	store_close(fuzz_st);
	nftw(fuzz_dir, fuzz_rm, 8, FTW_DEPTH | FTW_PHYS);
}

static void
fuzz_store(void)
{
	static const char profiles[] = "email,age\na@x.org,30\nb@x.org,41\n";
	struct import_result res;
	struct import_opts o;
	struct field *f, *ef;
	size_t n, ne;
	char *cause = NULL;
	FILE *in;

	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("mkdtemp");
	if (store_open(fuzz_dir, &fuzz_st, &cause) != 0 ||
	    schema_parse_fields("email:string,age:int", &f, &n, &cause) != 0 ||
	    schema_parse_fields("amount:float,qty:int,sku:string,gift:bool,"
	    "labels:tags,shipped:date,paid_at:datetime", &ef, &ne,
	    &cause) != 0 ||
	    pdb_create_events(fuzz_st, "shop", f, n, "email", ef, ne,
	    &cause) != 0)
		fuzz_fail("the scratch store: %s", cause);
	fields_free(f, n);
	fields_free(ef, ne);
	memset(&o, 0, sizeof o);
	o.dbname = "shop";
	o.format = EXPORT_CSV;
	o.source = "profiles.csv";
	in = fmemopen((void *)profiles, sizeof profiles - 1, "r");
	if (in == NULL || import_run(fuzz_st, in, &o, &res, &cause) != 0)
		fuzz_fail("the scratch profiles: %s", cause);
	fclose(in);
	import_result_free(&res);
	atexit(fuzz_cleanup);
}

static uint64_t
fuzz_count(void)
{
	struct store_txn *t;
	struct events_stat *stats;
	size_t n;
	uint64_t total;
	char *cause = NULL;

	if (store_read_begin(fuzz_st, &t, &cause) != 0 ||
	    events_stats(t, "shop", &stats, &n, &total, &cause) != 0)
		fuzz_fail("events_stats: %s", cause);
	events_stats_free(stats, n);
	store_read_end(t);
	return total;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct events_import_result res;
	struct import_opts o;
	uint64_t before;
	char *cause = NULL;
	FILE *in;
	int rc;

	fuzz_init();
	if (fuzz_st == NULL)
		fuzz_store();
	if (size == 0 || (in = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	memset(&o, 0, sizeof o);
	o.dbname = "shop";
	o.format = data[0] == '{' ? EXPORT_JSONL : EXPORT_CSV;
	o.source = "events";
	before = fuzz_count();
	rc = events_import(fuzz_st, in, &o, &res, &cause);
	fclose(in);
	if (rc != 0) {
		if (cause == NULL)
			fuzz_fail("events_import failed without a cause");
		free(cause);
		if (fuzz_count() != before)
			fuzz_fail("a refused import changed the events");
	} else if (fuzz_count() != before + res.imported)
		fuzz_fail("%llu events imported, the count went from %llu "
		    "to %llu", (unsigned long long)res.imported,
		    (unsigned long long)before,
		    (unsigned long long)fuzz_count());
	events_import_result_free(&res);
	return 0;
}
