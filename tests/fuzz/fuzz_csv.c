/*
 * The CSV reader: every record it returns, written by the CSV writer and
 * read again, gives the same fields.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz.h"
#include "util.h"

static void
fuzz_reread(const struct csv_field *f, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	const struct csv_field *g;
	size_t m, i;
	char *cause = NULL;
	FILE *in;

	csv_put_record(&sb, f, n);
	if ((in = fmemopen(sb.buf, sb.len, "r")) == NULL)
		fuzz_fail("fmemopen");
	r = csv_reader_new(in);
	if (csv_read(r, &g, &m, &cause) != 0)
		fuzz_fail("a written record does not read back: %s\n%s",
		    cause, sb.buf);
	if (m != n)
		fuzz_fail("a written record reads back with %zu fields, not "
		    "%zu:\n%s", m, n, sb.buf);
	for (i = 0; i < n; i++)
		if (g[i].len != f[i].len || memcmp(g[i].p, f[i].p,
		    f[i].len) != 0)
			fuzz_fail("field %zu reads back otherwise:\n%s", i + 1,
			    sb.buf);
	csv_reader_free(r);
	fclose(in);
	sb_free(&sb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r;
	const struct csv_field *f;
	size_t n, i;
	char *cause = NULL;
	uint64_t line = 0;
	FILE *in;
	int rc;

	if (size == 0 || (in = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	r = csv_reader_new(in);
	while ((rc = csv_read(r, &f, &n, &cause)) != 1) {
		if (csv_line(r) < line)
			fuzz_fail("csv_line went back");
		line = csv_line(r);
		if (rc < 0) {
			if (cause == NULL)
				fuzz_fail("csv_read failed without a cause");
			free(cause);
			cause = NULL;
			continue;
		}
		for (i = 0; i < n; i++)
			if (strlen(f[i].p) != f[i].len)
				fuzz_fail("field %zu holds a NUL", i + 1);
		fuzz_reread(f, n);
	}
	if (csv_offset(r) > size)
		fuzz_fail("csv_offset past the input");
	csv_reader_free(r);
	fclose(in);
	return 0;
}
