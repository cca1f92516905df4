/* What the fuzz targets share (fuzz.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cond.h"
#include "fuzz.h"
#include "timeutil.h"
#include "util.h"

/* 2026-12-01T12:00:00Z: "now" for every target, so runs repeat. */
#define FUZZ_NOW	INT64_C(1796126400)

char *
fuzz_string(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void
fuzz_init(void)
{
	static int done;

	if (!done) {
		tu_clock_start(FUZZ_NOW, 0);
		done = 1;
	}
}

static struct field fuzz_fields[] = {
	{ "email", FT_STRING }, { "orders_count", FT_INT },
	{ "score", FT_FLOAT }, { "subscribed", FT_BOOL },
	{ "birth_date", FT_DATE }, { "last_seen", FT_DATETIME },
	{ "tags", FT_TAGS }, { "city", FT_STRING },
};
static struct field fuzz_event_fields[] = {
	{ "amount", FT_FLOAT }, { "qty", FT_INT }, { "sku", FT_STRING },
	{ "gift", FT_BOOL }, { "labels", FT_TAGS }, { "shipped", FT_DATE },
	{ "paid_at", FT_DATETIME },
};
static struct pdb_schema fuzz_sc = {
	.name = "fuzz", .fields = fuzz_fields, .nfields = 8,
	.event_fields = fuzz_event_fields, .nevent_fields = 7,
};

const struct pdb_schema *
fuzz_schema(void)
{
	return &fuzz_sc;
}

void
fuzz_cond_roundtrip(const struct cond *c, int exact)
{
	struct cond *c2, *c3;
	char *p1, *p2, *text, *cause = NULL;
	cJSON *j, *j2;

	p1 = cond_print(c);
	if ((c2 = cond_parse(p1, &cause)) == NULL)
		fuzz_fail("the printed script does not parse: %s\n%s", cause,
		    p1);
	p2 = cond_print(c2);
	if (strcmp(p1, p2) != 0)
		fuzz_fail("print(parse(print)) differs:\n%s\n%s", p1, p2);
	if (exact && !cond_equal(c, c2))
		fuzz_fail("parse(print) gives another tree:\n%s", p1);

	j = cond_to_json(c);
	text = cJSON_PrintUnformatted(j);
	if (text == NULL || (j2 = cJSON_Parse(text)) == NULL)
		fuzz_fail("the JSON does not parse:\n%s", text);
	if ((c3 = cond_from_json(j2, &cause)) == NULL)
		fuzz_fail("the JSON does not read back: %s\n%s", cause, text);
	if (!cond_equal(c, c3))
		fuzz_fail("from_json(to_json) gives another tree:\n%s", text);
	cond_free(c3);
	cJSON_Delete(j2);
	cJSON_free(text);
	cJSON_Delete(j);
	free(p2);
	cond_free(c2);
	free(p1);
}
