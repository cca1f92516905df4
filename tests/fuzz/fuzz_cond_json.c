/*
 * The JSON form of conditions (cond_from_json: stored records, the
 * form's "import conditions from a file"): what it accepts prints as a
 * script that parses back, and writes JSON that reads back the same.
 */
#include "config.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "cond.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *cause = NULL;
	struct cond *c;
	cJSON *j;

	fuzz_init();
	s = fuzz_string(data, size);
	if ((j = cJSON_Parse(s)) == NULL) {
		free(s);
		return 0;
	}
	if ((c = cond_from_json(j, &cause)) == NULL) {
		if (cause == NULL)
			fuzz_fail("cond_from_json failed without a cause");
		free(cause);
	} else {
		if (cond_check(c, fuzz_schema(), NULL, NULL, &cause) != 0)
			free(cause);
		fuzz_cond_roundtrip(c, 0);
		cond_free(c);
	}
	cJSON_Delete(j);
	free(s);
	return 0;
}
