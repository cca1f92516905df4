/*
 * Segment definitions as text (segtext_parse): what it accepts dumps as
 * text that reads back to the same dump.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "segtext.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct segment *seg = NULL, *seg2 = NULL;
	struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT;
	char *text, *cause = NULL;

	fuzz_init();
	text = fuzz_string(data, size);
	if (segtext_parse(text, "fuzz.seg", &seg, &cause) != 0) {
		if (cause == NULL)
			fuzz_fail("segtext_parse failed without a cause");
		free(cause);
		free(text);
		return 0;
	}
	segtext_dump(seg, &d1);
	if (segtext_parse(d1.buf, "dump.seg", &seg2, &cause) != 0)
		fuzz_fail("the dump does not read back: %s\n%s", cause,
		    d1.buf);
	segtext_dump(seg2, &d2);
	if (strcmp(d1.buf, d2.buf) != 0)
		fuzz_fail("dump(parse(dump)) differs:\n%s\n----\n%s", d1.buf,
		    d2.buf);
	sb_free(&d2);
	sb_free(&d1);
	seg_free(seg2);
	seg_free(seg);
	free(text);
	return 0;
}
