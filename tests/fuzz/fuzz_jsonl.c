/*
 * The import reader on JSON Lines (import_read, as a profile import
 * reads: each member as a value of its field's type), with a reject
 * file: every line it writes is a JSON object with line, reason and
 * record, and a value read as a string holds no NUL.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "import.h"
#include "schema.h"
#include "util.h"

struct fuzz_row {
	struct import_reader	 r;
	const struct pdb_schema	*sc;
	struct value		 row[16];
};

static void
fuzz_start_row(void *arg)
{
	struct fuzz_row *c = arg;

	memset(c->row, 0, sizeof c->row);
}

static void
fuzz_json_object(void *arg, uint64_t line, const cJSON *obj,
    const struct import_span *spans, size_t nspans)
{
	struct fuzz_row *c = arg;
	const cJSON *m;
	size_t k = 0;
	char *cause = NULL;
	int idx;

	cJSON_ArrayForEach(m, obj) {
		k++;
		if ((idx = schema_field_index(c->sc, m->string)) < 0) {
			import_row_error(&c->r, line, m->string, "unknown");
			continue;
		}
		if (import_json_value(c->sc->fields[idx].type, m,
		    k <= nspans ? &spans[k - 1] : NULL, &c->row[idx],
		    &c->r.arena, &cause) != 0) {
			if (cause == NULL)
				fuzz_fail("import_json_value failed without "
				    "a cause");
			import_row_error(&c->r, line, m->string, "%s", cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (c->row[idx].present &&
		    c->sc->fields[idx].type == FT_STRING &&
		    strlen(c->row[idx].u.s.p) != c->row[idx].u.s.len)
			fuzz_fail("line %llu: member %s holds a NUL",
			    (unsigned long long)line, m->string);
	}
}

static int
fuzz_finish_row(void *arg, uint64_t line)
{
	struct fuzz_row *c = arg;

	return c->r.reason.len > 0 ? -1 : 0;
}

/* Every line of the reject file is an object with the three members. */
static void
fuzz_check_rejects(char *buf, size_t len)
{
	char *line, *save = NULL;
	cJSON *j;

	if (len > 0 && buf[len - 1] != '\n')
		fuzz_fail("the reject file does not end with a newline");
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((j = cJSON_Parse(line)) == NULL ||
		    !cJSON_IsNumber(cJSON_GetObjectItem(j, "line")) ||
		    !cJSON_IsString(cJSON_GetObjectItem(j, "reason")))
			fuzz_fail("a reject line is not what import.h says:\n"
			    "%s", line);
		cJSON_Delete(j);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_result res;
	struct import_opts o;
	struct fuzz_row c;
	char *rejbuf = NULL;
	size_t rejlen = 0;
	FILE *in, *rej;

	if (size == 0 || (in = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	if ((rej = open_memstream(&rejbuf, &rejlen)) == NULL)
		fuzz_fail("open_memstream");
	memset(&res, 0, sizeof res);
	memset(&o, 0, sizeof o);
	o.dbname = "fuzz";
	o.format = EXPORT_JSONL;
	o.source = "fuzz.jsonl";
	o.reject = rej;
	memset(&c, 0, sizeof c);
	c.r = (struct import_reader)IMPORT_READER_INIT(&o, &res);
	c.sc = fuzz_schema();
	c.r.arg = &c;
	c.r.start_row = fuzz_start_row;
	c.r.json_object = fuzz_json_object;
	c.r.finish_row = fuzz_finish_row;
	import_read(&c.r, in);
	import_reader_free(&c.r);
	fclose(in);
	fclose(rej);
	if (res.rejected > res.rows)
		fuzz_fail("more rows rejected than read");
	fuzz_check_rejects(rejbuf, rejlen);
	free(rejbuf);
	import_result_free(&res);
	return 0;
}
