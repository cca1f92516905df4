/*
 * The CSV reader: the records it returns, written by the CSV writer and
 * read again, are the same records with the same fields.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fuzz.h"
#include "util.h"

/* Each record as "N:" then each field as "LEN:BYTES", for comparing. */
static void
fuzz_describe(struct strbuf *sb, const struct csv_field *f, size_t n)
{
	size_t i;

	sb_printf(sb, "%zu:", n);
	for (i = 0; i < n; i++) {
		sb_printf(sb, "%zu:", f[i].len);
		sb_add(sb, f[i].p, f[i].len);
	}
	sb_putc(sb, '\n');
}

/*
 * Reads all of p[0..size) into want (the good records' description) and
 * out (the good records written again); returns the good records.
 */
static size_t
fuzz_read(const char *p, size_t size, struct strbuf *want, struct strbuf *out)
{
	struct csv_reader *r;
	const struct csv_field *f;
	size_t n, i, good = 0;
	char *cause = NULL;
	uint64_t line = 0;
	FILE *in;
	int rc;

	if ((in = fmemopen((void *)p, size, "r")) == NULL)
		fuzz_fail("fmemopen");
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
		fuzz_describe(want, f, n);
		if (out != NULL)
			csv_put_record(out, f, n);
		good++;
	}
	if (csv_offset(r) > size)
		fuzz_fail("csv_offset past the input");
	csv_reader_free(r);
	fclose(in);
	return good;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf want = STRBUF_INIT, out = STRBUF_INIT, got = STRBUF_INIT;
	size_t n;

	if (size == 0)
		return 0;
	n = fuzz_read((const char *)data, size, &want, &out);
	if (n > 0 && (fuzz_read(out.buf, out.len, &got, NULL) != n ||
	    strcmp(want.buf, got.buf) != 0))
		fuzz_fail("the records written do not read back the same:\n%s",
		    out.buf);
	sb_free(&got);
	sb_free(&out);
	sb_free(&want);
	return 0;
}
