/*
 * The script language: parse, type check against a schema with every
 * type, and the round trips (print then parse, JSON then read back).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "fuzz.h"

static int
fuzz_segment_exists(void *arg, const char *name)
{
	return strcmp(name, "Active buyers") == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *cause = NULL;
	struct cond *c;

	fuzz_init();
	s = fuzz_string(data, size);
	c = cond_parse(s, &cause);
	if (c == NULL) {
		if (cause == NULL)
			fuzz_fail("cond_parse failed without a cause");
		free(cause);
		free(s);
		return 0;
	}
	if (cause != NULL)
		fuzz_fail("cond_parse succeeded with a cause: %s", cause);
	if (cond_check(c, fuzz_schema(), fuzz_segment_exists, NULL,
	    &cause) != 0) {
		if (cause == NULL)
			fuzz_fail("cond_check failed without a cause");
		free(cause);
	}
	fuzz_cond_roundtrip(c, 1);
	cond_free(c);
	free(s);
	return 0;
}
