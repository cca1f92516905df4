/*
 * The import reader on JSON Lines (import_read, as a profile import
 * reads: each member as a value of its field's type), with a reject
 * file: every line it writes is a JSON object with line, reason and
 * record, and a value read as a string holds no NUL.  A line the fast
 * path (jsonscan, import_member_value) takes is read by cJSON too: it
 * must parse, hold no text fault, and give every member the same value.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "import.h"
#include "jsonscan.h"
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

/* The fast path, checked against cJSON and import_json_value. */
static int
fuzz_json_members(void *arg, uint64_t line, const char *text, size_t len,
    const struct jsonscan *js)
{
	struct fuzz_row *c = arg;
	const struct jsonscan_member *m;
	struct import_span sp;
	struct text_fault tf;
	struct value v;
	const cJSON *cm;
	cJSON *obj;
	uint8_t seen[16] = { 0 };
	char *name, *cause = NULL;
	size_t k;
	int idx, rc = 0;
	enum field_type t;

	if (text_find_fault(text, len, &tf))
		fuzz_fail("line %llu: the scanner took text with a fault",
		    (unsigned long long)line);
	obj = cJSON_ParseWithLength(text, len);
	cm = obj != NULL ? obj->child : NULL;
	for (k = 0; k < js->n && rc == 0; k++) {
		m = &js->m[k];
		name = xstrndup(m->name.p, m->name.len);
		if (strlen(name) != m->name.len)
			fuzz_fail("line %llu: a member name holds a NUL",
			    (unsigned long long)line);
		if (obj != NULL && (cm == NULL || cm->string == NULL ||
		    strcmp(cm->string, name) != 0))
			fuzz_fail("line %llu: member %zu is not cJSON's",
			    (unsigned long long)line, k + 1);
		idx = schema_field_index(c->sc, name);
		free(name);
		if (idx < 0 || seen[idx]) {
			rc = -1;
			break;
		}
		seen[idx] = 1;
		t = c->sc->fields[idx].type;
		if (import_member_value(t, js, m, &c->row[idx],
		    &c->r.arena) != 0) {
			rc = -1;
			break;
		}
		/* What the cJSON path gives the same member. */
		if (obj == NULL)
			continue;
		sp.p = m->text.p;
		sp.len = m->text.len;
		if (import_json_value(t, cm, m->kind == JSONSCAN_NUMBER ? &sp :
		    NULL, &v, &c->r.arena, &cause) != 0)
			fuzz_fail("line %llu: member %zu: the fast path took "
			    "what cJSON refuses: %s", (unsigned long long)line,
			    k + 1, cause);
		if (!value_equal(t, &v, &c->row[idx]))
			fuzz_fail("line %llu: member %zu: the fast path and "
			    "cJSON differ", (unsigned long long)line, k + 1);
		if (v.present && t == FT_STRING &&
		    strlen(c->row[idx].u.s.p) != c->row[idx].u.s.len)
			fuzz_fail("line %llu: member %zu holds a NUL",
			    (unsigned long long)line, k + 1);
		cm = cm->next;
	}
	if (rc == 0 && obj == NULL)
		fuzz_fail("line %llu: the fast path took a line cJSON refuses",
		    (unsigned long long)line);
	if (rc == 0 && cm != NULL)
		fuzz_fail("line %llu: cJSON has more members",
		    (unsigned long long)line);
	cJSON_Delete(obj);
	return rc;
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
	c.r.json_members = fuzz_json_members;
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
