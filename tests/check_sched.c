#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "testlib.h"
#include "timeutil.h"
#include "util.h"

static int64_t
at(const char *iso)
{
	int64_t t;

	ck_assert_msg(tu_parse_datetime(iso, strlen(iso), 1, &t) == 0, "%s", iso);
	return t;
}

static struct sched
must_parse(const char *text, const char *now)
{
	struct sched s;
	char *cause = NULL;

	ck_assert_msg(sched_parse(text, at(now), &s, &cause) == 0, "%s: %s",
	    text, cause);
	return s;
}

static void
refused(const char *text, const char *now, const char *message)
{
	struct sched s;
	char *cause = NULL;

	ck_assert_int_eq(sched_parse(text, at(now), &s, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, message);
	free(cause);
}

/* The next `n` runs after `after`, space-separated. */
static char *
runs(const char *text, const char *after, int n)
{
	struct sched s = must_parse(text, after);
	struct strbuf sb = STRBUF_INIT;
	char buf[TU_DATETIME_BUF], *cause = NULL;
	int64_t t = at(after), next;
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = sched_next(&s, t, &next, &cause);
		ck_assert_int_ge(rc, 0);
		if (rc == 1)
			break;
		sb_printf(&sb, "%s%s", i ? " " : "", tu_format_datetime(next, buf));
		t = next;
	}
	if (sb.buf == NULL)
		sb_puts(&sb, "");
	return sb_detach(&sb);
}

#define RUNS(text, after, n, expect) do {				\
	char *got_ = runs(text, after, n);				\
	ck_assert_str_eq(got_, expect);					\
	free(got_);							\
} while (0)

START_TEST(text_round_trip)
{
	static const char *const canon[] = {
		"daily at 09:00 Europe/Moscow",
		"every 3 days at 06:30 UTC starting 2026-06-01",
		"weekly on mon,thu at 02:30 America/New_York",
		"every 2 weeks on sat at 23:59 Asia/Kolkata starting 2026-06-01",
		"monthly on 1,15,last at 08:00 Europe/Berlin",
		"once on 2026-12-01 at 10:00 UTC",
		"every 6 hours from 00:00 Asia/Kolkata",
		"every hour from 00:15 UTC",
		"every 5 hours from 00:15 UTC starting 2026-06-01",
		"every 6 hours from 00:00 America/New_York starting 2026-06-01",
		"daily at 09:00 Europe/Moscow until 2027-01-31",
		"every 3 days at 06:30 UTC until 2027-01-31 starting 2026-06-01",
	};
	struct sched s, s2;
	char *text, *cause = NULL;
	cJSON *j;
	size_t i;

	for (i = 0; i < sizeof canon / sizeof canon[0]; i++) {
		s = must_parse(canon[i], "2026-06-01T12:00:00Z");
		text = sched_format(&s);
		ck_assert_str_eq(text, canon[i]);
		free(text);
		j = sched_to_json(&s);
		ck_assert_int_eq(sched_from_json(j, &s2, &cause), 0);
		cJSON_Delete(j);
		ck_assert_int_eq(memcmp(&s, &s2, sizeof s), 0);
	}
}
END_TEST

START_TEST(text_variants)
{
	struct sched s = must_parse("Weekly ON Mon, Thursday  at 02:30 "
	    "America/New_York", "2026-06-01T12:00:00Z");
	char *text = sched_format(&s);

	ck_assert_str_eq(text, "weekly on mon,thu at 02:30 America/New_York");
	free(text);
	s = must_parse("every 1 days at 07:00", "2026-06-01T12:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "daily at 07:00 UTC");
	free(text);
	/* No zone: "starting" and "until" are keywords, not zone names. */
	s = must_parse("every 3 days at 06:30 starting 2026-06-01",
	    "2026-06-01T12:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "every 3 days at 06:30 UTC starting 2026-06-01");
	free(text);
	s = must_parse("monthly on last,31,1 at 08:00 UTC", "2026-06-01T12:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "monthly on 1,31,last at 08:00 UTC");
	free(text);
}
END_TEST

/* The anchor survives text round trips made on later days. */
START_TEST(anchor_round_trip)
{
	static const char *const texts[] = {
		"every 3 days at 06:30 UTC",
		"every 2 weeks on fri at 18:00 Asia/Kolkata",
		"every 6 hours from 00:00 America/New_York",
		"every 7 hours from 01:00 UTC",
	};
	struct sched s, s2;
	char *text, *a, *b;
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		/* Saved in winter, the text re-read half a year later. */
		s = must_parse(texts[i], "2026-11-28T12:00:00Z");
		text = sched_format(&s);
		s2 = must_parse(text, "2027-05-03T12:00:00Z");
		ck_assert_msg(memcmp(&s, &s2, sizeof s) == 0, "%s", text);
		a = runs(text, "2027-05-03T12:00:00Z", 6);
		free(text);
		text = sched_format(&s2);
		b = runs(text, "2027-05-03T12:00:00Z", 6);
		ck_assert_str_eq(a, b);
		free(a);
		free(b);
		free(text);
	}
	/* Saved after today's 06:30: the text keeps tomorrow as the first day. */
	s = must_parse("every 3 days at 06:30 UTC", "2026-11-28T12:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "every 3 days at 06:30 UTC starting 2026-11-29");
	free(text);
	/* The brief's example; "starting" may also come before "until". */
	s = must_parse("every 3 days at 06:30 UTC starting 2026-11-28 until "
	    "2027-01-31", "2026-12-05T00:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "every 3 days at 06:30 UTC until 2027-01-31 "
	    "starting 2026-11-28");
	free(text);
	RUNS("every 3 days at 06:30 UTC starting 2026-11-28",
	    "2026-12-05T00:00:00Z", 2, "2026-12-07T06:30:00Z "
	    "2026-12-10T06:30:00Z");
	/*
	 * Saved before today's start time: the grid through today's 23:04
	 * (22:00Z in Berlin) also has points before it, after saving.
	 */
	RUNS("every 1 hours from 23:04 UTC", "2026-11-29T00:03:00Z", 2,
	    "2026-11-29T00:04:00Z 2026-11-29T01:04:00Z");
	RUNS("every 5 hours from 23:00 Europe/Berlin", "2026-11-29T00:03:00Z", 2,
	    "2026-11-29T02:00:00Z 2026-11-29T07:00:00Z");
	/* Without the anchor the count would restart on the day of reading. */
	RUNS("every 3 days at 06:30 UTC", "2026-12-05T00:00:00Z", 2,
	    "2026-12-05T06:30:00Z 2026-12-08T06:30:00Z");
	/* Fixed-offset zone, N dividing a day: the anchor day changes nothing. */
	s = must_parse("every 6 hours from 00:00 Asia/Kolkata",
	    "2026-06-01T00:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "every 6 hours from 00:00 Asia/Kolkata");
	free(text);
	refused("every 3 days at 06:30 UTC starting 2026-11-31",
	    "2026-12-05T00:00:00Z", "invalid starting date '2026-11-31' "
	    "(expected a real date as YYYY-MM-DD)");
	refused("daily at 06:30 UTC until 2027-01-01 until 2027-01-02",
	    "2026-12-05T00:00:00Z", "schedule: unexpected 'until' after the "
	    "end of the schedule");
}
END_TEST

START_TEST(json_form)
{
	struct sched s = must_parse("weekly on mon,thu at 02:30 Europe/Moscow "
	    "until 2026-12-31", "2026-06-01T12:00:00Z");
	cJSON *j = sched_to_json(&s);
	char *text = cJSON_PrintUnformatted(j), *cause = NULL;

	ck_assert_str_eq(text, "{\"tz\":\"Europe/Moscow\",\"time\":\"02:30\","
	    "\"freq\":\"weekly\",\"interval\":1,\"weekdays\":[\"mon\",\"thu\"],"
	    "\"monthdays\":[],\"anchor\":\"2026-06-01\",\"until\":\"2026-12-31\"}");
	free(text);
	cJSON_Delete(j);
	/* The stored schedule of the form's example, without an anchor. */
	j = cJSON_Parse("{\"tz\":\"Europe/Moscow\",\"time\":\"02:30\","
	    "\"freq\":\"weekly\",\"interval\":1,\"weekdays\":[\"mon\",\"thu\"],"
	    "\"monthdays\":[],\"until\":\"2026-12-31\"}");
	ck_assert_int_eq(sched_from_json(j, &s, &cause), 0);
	text = sched_format(&s);
	ck_assert_str_eq(text, "weekly on mon,thu at 02:30 Europe/Moscow until "
	    "2026-12-31");
	free(text);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"tz\":\"Mars/Olympus\",\"time\":\"02:30\","
	    "\"freq\":\"daily\"}");
	ck_assert_int_eq(sched_from_json(j, &s, &cause), -1);
	ck_assert_str_eq(cause, "unknown timezone 'Mars/Olympus': expected an "
	    "IANA name such as Europe/Berlin");
	free(cause);
	cJSON_Delete(j);
}
END_TEST

/* Dates before 1970 or after 9999 would be lost or moved by a dump. */
START_TEST(date_range)
{
	const char *now = "2026-06-01T12:00:00Z";
	struct sched s;
	char *cause = NULL, *text;
	cJSON *j;

	refused("daily at 09:00 UTC until 1969-12-31", now,
	    "the until date 1969-12-31 is out of range (1970-01-01 to "
	    "9999-12-31)");
	refused("daily at 09:00 UTC until 0000-12-31", now,
	    "the until date 0000-12-31 is out of range (1970-01-01 to "
	    "9999-12-31)");
	refused("every hour from 00:00 Europe/Moscow starting 1013-06-01", now,
	    "the starting date 1013-06-01 is out of range (1970-01-01 to "
	    "9999-12-31)");
	refused("once on 1969-07-20 at 20:17 UTC", now,
	    "the once date 1969-07-20 is out of range (1970-01-01 to "
	    "9999-12-31)");
	s = must_parse("daily at 09:00 UTC until 9999-12-31 starting "
	    "1970-01-01", now);
	ck_assert_int_eq(s.until, TU_MAX_DAYS);
	ck_assert_int_eq(s.anchor, 0);
	/*
	 * Found by fuzzing: far ahead the zone data has no DST, so the
	 * grid around the anchor looked like one any day would give.
	 */
	s = must_parse("every 6 hours from 00:00 America/New_York starting "
	    "8328-06-01", now);
	text = sched_format(&s);
	ck_assert_str_eq(text, "every 6 hours from 00:00 America/New_York "
	    "starting 8328-06-01");
	free(text);
	/* A stored record is read with the same rule. */
	j = cJSON_Parse("{\"tz\":\"UTC\",\"time\":\"09:00\","
	    "\"freq\":\"daily\",\"until\":\"1969-12-31\"}");
	ck_assert_int_eq(sched_from_json(j, &s, &cause), -1);
	ck_assert_str_eq(cause, "the until date 1969-12-31 is out of range "
	    "(1970-01-01 to 9999-12-31)");
	free(cause);
	cJSON_Delete(j);
}
END_TEST

/*
 * Every schedule of the fuzz corpus that parses reads back from its
 * canonical text as the same schedule with the same text (format . parse
 * is the identity), and as the same schedule when the dump is loaded
 * a year later.
 */
START_TEST(corpus_round_trip)
{
	const char *top = getenv("top_srcdir");
	int64_t now = at("2026-12-01T12:00:00Z");
	int64_t later = now + 400 * INT64_C(86400);
	struct sched s, s2;
	struct dirent *e;
	char *dir, *path, *text, *f1, *f2, *cause = NULL;
	DIR *d;
	int parsed = 0;

	dir = xasprintf("%s/tests/fuzz/corpus/sched", top != NULL ? top : "..");
	ck_assert_ptr_nonnull(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		ck_assert_ptr_nonnull(text = testlib_slurp(path));
		tu_clock_start(now, 0);
		if (sched_parse(text, now, &s, &cause) != 0) {
			free(cause);
			cause = NULL;
		} else {
			parsed++;
			f1 = sched_format(&s);
			ck_assert_msg(sched_parse_stored(f1, now, &s2,
			    &cause) == 0, "%s: %s", f1, cause);
			f2 = sched_format(&s2);
			ck_assert_str_eq(f2, f1);
			ck_assert_msg(sched_equal(&s, &s2), "%s", f1);
			free(f2);
			/* Loaded later: the same schedule then. */
			tu_clock_start(later, 0);
			ck_assert_msg(sched_parse_stored(f1, later, &s2,
			    &cause) == 0, "%s: %s", f1, cause);
			ck_assert_msg(sched_equal(&s, &s2), "%s", f1);
			free(f1);
		}
		free(text);
		free(path);
	}
	closedir(d);
	free(dir);
	tu_set_clock(NULL);
	ck_assert_int_ge(parsed, 40);
}
END_TEST

START_TEST(refusals)
{
	const char *now = "2026-06-01T12:00:00Z";

	refused("daily at 25:00 UTC", now,
	    "invalid time '25:00' (expected HH:MM from 00:00 to 23:59)");
	refused("daily at 9:00 UTC", now,
	    "invalid time '9:00' (expected HH:MM from 00:00 to 23:59)");
	refused("daily at 09:00 Mars/Olympus", now,
	    "unknown timezone 'Mars/Olympus': expected an IANA name such as "
	    "Europe/Berlin");
	refused("monthly on 32 at 08:00 UTC", now,
	    "invalid day of month '32' (expected 1 to 31 or 'last')");
	refused("monthly on 1,0 at 08:00 UTC", now,
	    "invalid day of month '0' (expected 1 to 31 or 'last')");
	refused("weekly on at 02:30 UTC", now,
	    "a weekly schedule needs at least one weekday (mon, tue, wed, thu, "
	    "fri, sat, sun)");
	refused("weekly at 02:30 UTC", now,
	    "a weekly schedule needs at least one weekday (mon, tue, wed, thu, "
	    "fri, sat, sun)");
	refused("weekly on mon,funday at 02:30 UTC", now,
	    "invalid weekday 'funday' (expected mon, tue, wed, thu, fri, sat or "
	    "sun)");
	refused("daily at 09:00 Europe/Berlin until 2026-05-31", now,
	    "the until date 2026-05-31 (deactivate after) is before today "
	    "(2026-06-01 in Europe/Berlin)");
	refused("daily at 09:00 UTC until 2026-13-01", now,
	    "invalid until date '2026-13-01' (expected a real date as "
	    "YYYY-MM-DD)");
	refused("every 0 days at 09:00 UTC", now,
	    "invalid interval '0' (expected every 1 to 3650 days)");
	refused("once on 2027-02-29 at 10:00 UTC", now,
	    "invalid once date '2027-02-29' (expected a real date as YYYY-MM-DD)");
	refused("", now, "the schedule is empty");
	refused("hourly at 10:00", now, "schedule: unknown frequency 'hourly' "
	    "(expected daily, every N days, weekly on, every N weeks on, monthly "
	    "on, once on or every N hours from)");
	refused("daily 09:00 UTC", now,
	    "schedule: expected 'at' after 'daily', found '09:00'");
	refused("daily at 09:00 UTC tomorrow", now,
	    "schedule: unexpected 'tomorrow' after the end of the schedule");
	/* Until today is fine: it ends at the end of the day. */
	must_parse("daily at 09:00 Europe/Berlin until 2026-06-01", now);
}
END_TEST

START_TEST(next_gaps_and_overlaps)
{
	/* New York: 02:30 does not exist on 2026-03-08; 01:30 is twice on 11-01. */
	RUNS("daily at 02:30 America/New_York", "2026-03-06T12:00:00Z", 4,
	    "2026-03-07T07:30:00Z 2026-03-08T07:30:00Z 2026-03-09T06:30:00Z "
	    "2026-03-10T06:30:00Z");
	RUNS("daily at 01:30 America/New_York", "2026-10-31T12:00:00Z", 3,
	    "2026-11-01T05:30:00Z 2026-11-02T06:30:00Z 2026-11-03T06:30:00Z");
	/* A run just made at the first 01:30 is not followed by the second. */
	RUNS("daily at 01:30 America/New_York", "2026-11-01T05:30:00Z", 1,
	    "2026-11-02T06:30:00Z");
	RUNS("daily at 02:30 Europe/Berlin", "2026-03-28T12:00:00Z", 2,
	    "2026-03-29T01:30:00Z 2026-03-30T00:30:00Z");
	RUNS("daily at 02:30 Europe/Berlin", "2026-10-24T12:00:00Z", 2,
	    "2026-10-25T00:30:00Z 2026-10-26T01:30:00Z");
}
END_TEST

START_TEST(next_months_and_once)
{
	RUNS("monthly on 31 at 08:00 UTC", "2026-01-31T09:00:00Z", 3,
	    "2026-03-31T08:00:00Z 2026-05-31T08:00:00Z 2026-07-31T08:00:00Z");
	RUNS("monthly on last at 08:00 UTC", "2026-01-31T09:00:00Z", 3,
	    "2026-02-28T08:00:00Z 2026-03-31T08:00:00Z 2026-04-30T08:00:00Z");
	RUNS("monthly on 30,last at 23:00 Europe/Berlin", "2028-02-01T00:00:00Z",
	    3, "2028-02-29T22:00:00Z 2028-03-30T21:00:00Z 2028-03-31T21:00:00Z");
	RUNS("once on 2028-02-29 at 10:00 Asia/Kolkata", "2026-06-01T00:00:00Z",
	    3, "2028-02-29T04:30:00Z");
	RUNS("once on 2026-06-01 at 10:00 UTC", "2026-06-01T10:00:00Z", 1, "");
	RUNS("weekly on mon,thu at 02:30 America/New_York",
	    "2026-03-01T00:00:00Z", 4, "2026-03-02T07:30:00Z "
	    "2026-03-05T07:30:00Z 2026-03-09T06:30:00Z 2026-03-12T06:30:00Z");
}
END_TEST

START_TEST(next_intervals_and_until)
{
	/*
	 * Every 3 days from the nearest 06:30 after saving (the next
	 * morning, not three days later), across Berlin's spring change.
	 */
	RUNS("every 3 days at 06:30 Europe/Berlin", "2026-03-25T12:00:00Z", 3,
	    "2026-03-26T05:30:00Z 2026-03-29T04:30:00Z 2026-04-01T04:30:00Z");
	/* Every 2 weeks on Friday saved on a Saturday: the next Friday first. */
	RUNS("every 2 weeks on fri at 18:00 UTC", "2026-11-28T12:00:00Z", 3,
	    "2026-12-04T18:00:00Z 2026-12-18T18:00:00Z 2027-01-01T18:00:00Z");
	/* Every 6 hours in elapsed time: after the change the wall times move. */
	RUNS("every 6 hours from 00:00 America/New_York", "2026-03-08T00:00:00Z",
	    4, "2026-03-08T05:00:00Z 2026-03-08T11:00:00Z 2026-03-08T17:00:00Z "
	    "2026-03-08T23:00:00Z");
	RUNS("every 6 hours from 00:00 Asia/Kolkata", "2026-06-01T00:00:00Z", 3,
	    "2026-06-01T00:30:00Z 2026-06-01T06:30:00Z 2026-06-01T12:30:00Z");
	/* Until ends at the end of that local day. */
	RUNS("daily at 23:30 Pacific/Chatham until 2026-06-03",
	    "2026-06-01T00:00:00Z", 5,
	    "2026-06-01T10:45:00Z 2026-06-02T10:45:00Z 2026-06-03T10:45:00Z");
	RUNS("every 8 hours from 01:00 UTC until 2026-06-02",
	    "2026-06-01T00:00:00Z", 9, "2026-06-01T01:00:00Z "
	    "2026-06-01T09:00:00Z 2026-06-01T17:00:00Z 2026-06-02T01:00:00Z "
	    "2026-06-02T09:00:00Z 2026-06-02T17:00:00Z");
}
END_TEST

static void
no_runs(const char *text, const char *now, const char *message)
{
	struct sched s = must_parse(text, now);
	char *cause = NULL;

	ck_assert_int_eq(sched_check_runs(&s, at(now), &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, message);
	free(cause);
}

/*
 * Runs are computed up to 9999-12-31T23:59:59Z only; a schedule with no
 * run before then is refused, and says why (not "past").
 */
START_TEST(runs_end_with_year_9999)
{
	char *cause = NULL;
	struct sched s;

	RUNS("every 10 days at 02:30 UTC starting 9999-12-31",
	    "9999-12-30T00:00:00Z", 3, "9999-12-31T02:30:00Z");
	RUNS("daily at 23:59 UTC", "9999-12-29T00:00:00Z", 5,
	    "9999-12-29T23:59:00Z 9999-12-30T23:59:00Z 9999-12-31T23:59:00Z");
	RUNS("every 5 hours from 12:00 UTC starting 9999-12-31",
	    "9999-12-31T10:00:00Z", 9, "9999-12-31T12:00:00Z "
	    "9999-12-31T17:00:00Z 9999-12-31T22:00:00Z");
	RUNS("daily at 18:00 America/Los_Angeles until 9999-12-31",
	    "9999-12-30T00:00:00Z", 5,
	    "9999-12-30T02:00:00Z 9999-12-31T02:00:00Z");
	s = must_parse("every 10 days at 02:30 UTC starting 9999-12-31",
	    "9999-12-30T00:00:00Z");
	ck_assert_int_eq(sched_check_runs(&s, at("9999-12-30T00:00:00Z"),
	    &cause), 0);
	no_runs("every 10 days at 02:30 UTC starting 9999-12-31",
	    "9999-12-31T03:00:00Z", "the schedule has no run by "
	    "9999-12-31T23:59:59Z, the last time reseg schedules (every 10 "
	    "days at 02:30 UTC starting 9999-12-31 runs later)");
	no_runs("once on 9999-12-31 at 18:00 America/Los_Angeles",
	    "2026-06-01T00:00:00Z", "the schedule has no run by "
	    "9999-12-31T23:59:59Z, the last time reseg schedules (once on "
	    "9999-12-31 at 18:00 America/Los_Angeles runs later)");
	no_runs("every 6 hours from 00:00 UTC starting 9999-12-31",
	    "9999-12-31T19:00:00Z", "the schedule has no run by "
	    "9999-12-31T23:59:59Z, the last time reseg schedules (every 6 "
	    "hours from 00:00 UTC runs later)");
	/* A schedule whose last run is past is still past. */
	no_runs("once on 2026-06-01 at 10:00 UTC", "2026-06-01T11:00:00Z",
	    "the schedule has no run after now (once on 2026-06-01 at 10:00 "
	    "UTC is past)");
}
END_TEST

/*
 * Every N hours: the grid passes through the start time on its next
 * occurrence after saving, and the first run is the earliest grid point
 * after saving (issue 13).
 */
START_TEST(hourly_pinned_to_next_start)
{
	struct sched s;
	char *text, *a;

	/* Saved at 07:50: 08:00 that day, not a point of yesterday's grid. */
	RUNS("every 7 hours from 08:00 UTC", "2026-06-01T07:50:00Z", 4,
	    "2026-06-01T08:00:00Z 2026-06-01T15:00:00Z 2026-06-01T22:00:00Z "
	    "2026-06-02T05:00:00Z");
	/* Saved after 08:00: the grid through tomorrow's 08:00, from 11:00. */
	RUNS("every 7 hours from 08:00 UTC", "2026-06-01T10:00:00Z", 5,
	    "2026-06-01T11:00:00Z 2026-06-01T18:00:00Z 2026-06-02T01:00:00Z "
	    "2026-06-02T08:00:00Z 2026-06-02T15:00:00Z");
	/* Saved at 08:00 sharp: that 08:00 is not after saving. */
	RUNS("every 7 hours from 08:00 UTC", "2026-06-01T08:00:00Z", 2,
	    "2026-06-01T11:00:00Z 2026-06-01T18:00:00Z");
	RUNS("every 10 hours from 08:00 UTC", "2026-06-01T07:59:00Z", 3,
	    "2026-06-01T08:00:00Z 2026-06-01T18:00:00Z 2026-06-02T04:00:00Z");
	RUNS("every 36 hours from 08:00 UTC", "2026-06-01T09:00:00Z", 3,
	    "2026-06-02T08:00:00Z 2026-06-03T20:00:00Z 2026-06-05T08:00:00Z");
	/* N dividing a day: the same grid whichever day it is pinned to. */
	RUNS("every 6 hours from 08:00 UTC", "2026-06-01T10:00:00Z", 3,
	    "2026-06-01T14:00:00Z 2026-06-01T20:00:00Z 2026-06-02T02:00:00Z");
	/*
	 * Across Berlin's spring change (2026-03-29, 02:00 CET -> 03:00
	 * CEST), in real elapsed time.  Before 08:00 CET: pinned to 07:00Z
	 * that day, and the wall times move by the hour after the change.
	 */
	RUNS("every 5 hours from 08:00 Europe/Berlin", "2026-03-28T06:50:00Z",
	    6, "2026-03-28T07:00:00Z 2026-03-28T12:00:00Z 2026-03-28T17:00:00Z "
	    "2026-03-28T22:00:00Z 2026-03-29T03:00:00Z 2026-03-29T08:00:00Z");
	/* After 08:00 CET: pinned to 08:00 CEST on 03-29 (06:00Z). */
	RUNS("every 5 hours from 08:00 Europe/Berlin", "2026-03-28T08:00:00Z",
	    6, "2026-03-28T10:00:00Z 2026-03-28T15:00:00Z 2026-03-28T20:00:00Z "
	    "2026-03-29T01:00:00Z 2026-03-29T06:00:00Z 2026-03-29T11:00:00Z");
	/* New York's autumn change: 02:30 on 11-01 is EST (07:30Z). */
	RUNS("every 7 hours from 02:30 America/New_York", "2026-10-31T12:00:00Z",
	    4, "2026-10-31T17:30:00Z 2026-11-01T00:30:00Z 2026-11-01T07:30:00Z "
	    "2026-11-01T14:30:00Z");
	/* Pinned to a time in the spring gap: 02:30 is 03:30 EDT (07:30Z). */
	RUNS("every 7 hours from 02:30 America/New_York", "2026-03-07T12:00:00Z",
	    4, "2026-03-07T17:30:00Z 2026-03-08T00:30:00Z 2026-03-08T07:30:00Z "
	    "2026-03-08T14:30:00Z");
	/* The text form keeps the pin, so reading it again moves nothing. */
	s = must_parse("every 7 hours from 08:00 UTC", "2026-06-01T10:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "every 7 hours from 08:00 UTC starting "
	    "2026-06-02");
	a = runs(text, "2026-06-01T10:00:00Z", 5);
	ck_assert_str_eq(a, "2026-06-01T11:00:00Z 2026-06-01T18:00:00Z "
	    "2026-06-02T01:00:00Z 2026-06-02T08:00:00Z 2026-06-02T15:00:00Z");
	free(a);
	free(text);
	s = must_parse("every 6 hours from 08:00 UTC", "2026-06-01T10:00:00Z");
	text = sched_format(&s);
	ck_assert_str_eq(text, "every 6 hours from 08:00 UTC");
	free(text);
}
END_TEST

START_TEST(prev_slots)
{
	struct sched s = must_parse("daily at 09:00 Europe/Berlin",
	    "2026-06-01T00:00:00Z");
	char buf[TU_DATETIME_BUF], *cause = NULL;
	int64_t p;

	ck_assert_int_eq(sched_prev(&s, at("2026-06-05T07:00:00Z"), &p, &cause), 0);
	ck_assert_str_eq(tu_format_datetime(p, buf), "2026-06-05T07:00:00Z");
	ck_assert_int_eq(sched_prev(&s, at("2026-06-05T06:59:59Z"), &p, &cause), 0);
	ck_assert_str_eq(tu_format_datetime(p, buf), "2026-06-04T07:00:00Z");
	/* Nothing before the day the schedule was saved. */
	ck_assert_int_eq(sched_prev(&s, at("2026-06-01T06:00:00Z"), &p, &cause), 1);
	s = must_parse("every 6 hours from 00:00 Asia/Kolkata until 2026-06-02",
	    "2026-06-01T00:00:00Z");
	ck_assert_int_eq(sched_prev(&s, at("2026-07-01T00:00:00Z"), &p, &cause), 0);
	ck_assert_str_eq(tu_format_datetime(p, buf), "2026-06-02T12:30:00Z");
	/* Every N hours: the grid before the pinned start time too. */
	s = must_parse("every 7 hours from 08:00 UTC", "2026-06-01T10:00:00Z");
	ck_assert_int_eq(sched_prev(&s, at("2026-06-01T17:59:59Z"), &p, &cause), 0);
	ck_assert_str_eq(tu_format_datetime(p, buf), "2026-06-01T11:00:00Z");
	ck_assert_int_eq(sched_prev(&s, at("2026-06-02T08:00:00Z"), &p, &cause), 0);
	ck_assert_str_eq(tu_format_datetime(p, buf), "2026-06-02T08:00:00Z");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("sched");

	tcase_add_test(tc, text_round_trip);
	tcase_add_test(tc, text_variants);
	tcase_add_test(tc, anchor_round_trip);
	tcase_add_test(tc, json_form);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, date_range);
	tcase_add_test(tc, corpus_round_trip);
	tcase_add_test(tc, next_gaps_and_overlaps);
	tcase_add_test(tc, next_months_and_once);
	tcase_add_test(tc, next_intervals_and_until);
	tcase_add_test(tc, runs_end_with_year_9999);
	tcase_add_test(tc, hourly_pinned_to_next_start);
	tcase_add_test(tc, prev_slots);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
