/*
 * Schedules: the text form, its canonical text and JSON read back as the
 * same schedule (a segment dumped and loaded later keeps its runs), and
 * the next runs after "now" rise and agree with the previous-run search.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "sched.h"
#include "timeutil.h"
#include "util.h"

/* A load a year and a bit after the save: the anchor must still hold. */
#define FUZZ_LATER	(400 * INT64_C(86400) + 3 * 3600 + 17)

static void
fuzz_same_runs(const struct sched *a, const struct sched *b, int64_t from,
    const char *text)
{
	int64_t na, nb, at = from;
	int i, ra, rb;

	for (i = 0; i < 8; i++) {
		ra = sched_next(a, at, &na, NULL);
		rb = sched_next(b, at, &nb, NULL);
		if (ra != rb || (ra == 0 && na != nb))
			fuzz_fail("a schedule read back runs otherwise after "
			    "%lld: %s", (long long)at, text);
		if (ra != 0)
			return;
		at = na;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched s, s2, s3;
	char *text, *f1, *f2, *later, *json, *cause = NULL;
	int64_t now, at, next, prev, last = 0;
	cJSON *j, *j2;
	int i, rc;

	fuzz_init();
	now = tu_now();
	text = fuzz_string(data, size);
	if (sched_parse(text, now, &s, &cause) != 0) {
		if (cause == NULL)
			fuzz_fail("sched_parse failed without a cause");
		free(cause);
		free(text);
		return 0;
	}
	/* format . parse is the identity. */
	f1 = sched_format(&s);
	if (sched_parse_stored(f1, now, &s2, &cause) != 0)
		fuzz_fail("the canonical text does not read back: %s\n%s",
		    cause, f1);
	f2 = sched_format(&s2);
	if (!sched_equal(&s, &s2) || strcmp(f1, f2) != 0)
		fuzz_fail("format(parse(format)) differs:\n%s\n%s", f1, f2);
	free(f2);
	/*
	 * Dumped now, loaded later: the same runs from then on, and the
	 * same text then (a first day now past no longer needs saying).
	 */
	tu_clock_start(now + FUZZ_LATER, 0);
	if (sched_parse_stored(f1, now + FUZZ_LATER, &s2, &cause) != 0)
		fuzz_fail("the canonical text does not read back later: %s\n"
		    "%s", cause, f1);
	f2 = sched_format(&s2);
	later = sched_format(&s);
	if (!sched_equal(&s, &s2) || strcmp(later, f2) != 0)
		fuzz_fail("%s loaded later differs:\n%s\n%s", f1, later, f2);
	free(later);
	tu_clock_start(now, 0);
	fuzz_same_runs(&s, &s2, now + FUZZ_LATER, f1);

	j = sched_to_json(&s);
	json = cJSON_PrintUnformatted(j);
	j2 = cJSON_Parse(json);
	if (sched_from_json(j2, &s3, &cause) != 0)
		fuzz_fail("the JSON does not read back: %s\n%s", cause, json);
	if (!sched_equal(&s, &s3) || memcmp(&s, &s3, sizeof s) != 0)
		fuzz_fail("from_json(to_json) differs: %s", json);

	for (i = 0, at = now; i < 16; i++, at = next) {
		if ((rc = sched_next(&s, at, &next, &cause)) != 0) {
			if (rc < 0)
				fuzz_fail("sched_next: %s", cause);
			break;
		}
		if (next <= at || next > TU_MAX_SECS || next <= last)
			fuzz_fail("sched_next after %lld gives %lld: %s",
			    (long long)at, (long long)next, f1);
		if (sched_prev(&s, next, &prev, &cause) != 0 || prev != next)
			fuzz_fail("sched_prev(%lld) is not that run: %s",
			    (long long)next, f1);
		last = next;
	}
	cJSON_Delete(j2);
	cJSON_free(json);
	cJSON_Delete(j);
	free(f2);
	free(f1);
	free(text);
	return 0;
}
