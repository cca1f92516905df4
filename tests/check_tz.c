#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

static int64_t
at(const char *iso)
{
	int64_t t;

	ck_assert_int_eq(tu_parse_datetime(iso, strlen(iso), 1, &t), 0);
	return t;
}

static const char *
fmt(int64_t t)
{
	static char buf[TU_DATETIME_BUF];

	return tu_format_datetime(t, buf);
}

static struct tz *
must_open(const char *name)
{
	char *cause = NULL;
	struct tz *tz = tz_open(name, &cause);

	ck_assert_msg(tz != NULL, "%s: %s", name, cause);
	return tz;
}

static const char *
local(struct tz *tz, int y, int m, int d, int hh, int mm)
{
	return fmt(tz_local_to_utc(tz, tu_days_from_civil(y, m, d),
	    hh * 3600 + mm * 60));
}

START_TEST(unknown_names_are_refused)
{
	char *cause = NULL;

	ck_assert_ptr_null(tz_open("Mars/Olympus", &cause));
	ck_assert_str_eq(cause, "unknown timezone 'Mars/Olympus': expected an "
	    "IANA name such as Europe/Berlin");
	free(cause);
	cause = NULL;
	ck_assert_ptr_null(tz_open("+05:30", &cause));
	free(cause);
	cause = NULL;
	ck_assert_ptr_null(tz_open("../../etc/passwd", &cause));
	free(cause);
	ck_assert_int_eq(tz_exists("Europe/Berlin"), 1);
	ck_assert_int_eq(tz_exists("UTC"), 1);
	ck_assert_int_eq(tz_exists(""), 1);
	ck_assert_int_eq(tz_exists("Europe/Berlinn"), 0);
	ck_assert_int_eq(tz_exists("/usr/share/zoneinfo/UTC"), 0);
}
END_TEST

/* GLib would read these as POSIX TZ strings: ABC5 is UTC-5. */
START_TEST(posix_tz_strings_are_refused)
{
	static const char *const bad[] = {
		"ABC5", "JST-9", "UTC0", "EST5", "CET-1CEST", "posix/Europe/Berlin",
		"right/UTC", "posixrules", "Factory", NULL
	};
	char *cause = NULL, **list, **p;
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_msg(tz_exists(bad[i]) == 0, "%s", bad[i]);
		ck_assert_msg(tz_open(bad[i], &cause) == NULL, "%s", bad[i]);
		ck_assert_ptr_nonnull(cause);
		free(cause);
		cause = NULL;
	}
	ck_assert_ptr_null(tz_open("JST-9", &cause));
	ck_assert_str_eq(cause, "unknown timezone 'JST-9': expected an "
	    "IANA name such as Europe/Berlin");
	free(cause);
	/* Every name the picker offers is accepted. */
	list = tz_list_all();
	for (p = list; *p != NULL; p++)
		ck_assert_msg(tz_exists(*p) == 1, "%s", *p);
	tz_list_free(list);
	ck_assert_int_eq(tz_exists("Asia/Tokyo"), 1);
	ck_assert_int_eq(tz_exists("Etc/GMT+5"), 1);
}
END_TEST

START_TEST(offsets)
{
	struct tz *tz = must_open("Pacific/Chatham");

	ck_assert_int_eq(tz_offset(tz, at("2026-01-15T00:00:00Z")), 13 * 3600 + 45 * 60);
	ck_assert_int_eq(tz_offset(tz, at("2026-07-15T00:00:00Z")), 12 * 3600 + 45 * 60);
	ck_assert_str_eq(tz_name(tz), "Pacific/Chatham");
	tz_close(tz);
	tz = must_open("Asia/Kolkata");
	ck_assert_int_eq(tz_offset(tz, at("2026-07-15T00:00:00Z")), 19800);
	/* 20:00Z is already the next day in Kolkata. */
	ck_assert_int_eq(tz_local_date(tz, at("2026-07-15T20:00:00Z")),
	    tu_days_from_civil(2026, 7, 16));
	tz_close(tz);
	tz = must_open(NULL);
	ck_assert_str_eq(tz_name(tz), "UTC");
	ck_assert_int_eq(tz_offset(tz, at("2026-07-15T00:00:00Z")), 0);
	ck_assert_int_eq(tz_local_date(tz, -1), -1);
	tz_close(tz);
}
END_TEST

START_TEST(gaps_move_forward_overlaps_take_the_first)
{
	struct tz *tz = must_open("America/New_York");

	ck_assert_str_eq(local(tz, 2026, 3, 8, 2, 30), "2026-03-08T07:30:00Z");
	ck_assert_str_eq(local(tz, 2026, 3, 8, 1, 59), "2026-03-08T06:59:00Z");
	ck_assert_str_eq(local(tz, 2026, 3, 8, 3, 0), "2026-03-08T07:00:00Z");
	ck_assert_str_eq(local(tz, 2026, 11, 1, 1, 30), "2026-11-01T05:30:00Z");
	ck_assert_str_eq(local(tz, 2026, 11, 1, 2, 0), "2026-11-01T07:00:00Z");
	tz_close(tz);
	tz = must_open("Europe/Berlin");
	ck_assert_str_eq(local(tz, 2026, 3, 29, 2, 15), "2026-03-29T01:15:00Z");
	ck_assert_str_eq(local(tz, 2026, 10, 25, 2, 30), "2026-10-25T00:30:00Z");
	tz_close(tz);
	/* A 30-minute change. */
	tz = must_open("Australia/Lord_Howe");
	ck_assert_str_eq(local(tz, 2026, 10, 4, 2, 15), "2026-10-03T15:45:00Z");
	ck_assert_str_eq(local(tz, 2026, 4, 5, 1, 45), "2026-04-04T14:45:00Z");
	tz_close(tz);
	/* The gap at midnight: 00:30 does not exist on 2026-09-06. */
	tz = must_open("America/Santiago");
	ck_assert_str_eq(local(tz, 2026, 9, 6, 0, 30), "2026-09-06T04:30:00Z");
	ck_assert_str_eq(local(tz, 2026, 9, 6, 1, 0), "2026-09-06T04:00:00Z");
	tz_close(tz);
}
END_TEST

START_TEST(list_all)
{
	char **list = tz_list_all(), **p;
	int berlin = 0, n = 0;

	ck_assert_ptr_nonnull(list);
	for (p = list; *p != NULL; p++, n++) {
		if (strcmp(*p, "Europe/Berlin") == 0)
			berlin = 1;
		ck_assert_msg(strncmp(*p, "posix/", 6) != 0, "%s", *p);
		ck_assert_msg(strncmp(*p, "right/", 6) != 0, "%s", *p);
		ck_assert_msg(strchr(*p, '.') == NULL, "%s", *p);
		if (p != list)
			ck_assert_msg(strcmp(p[-1], *p) < 0, "%s", *p);
	}
	ck_assert_int_eq(berlin, 1);
	ck_assert_int_gt(n, 300);
	tz_list_free(list);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tz");
	TCase *tc = tcase_create("tz");

	tcase_add_test(tc, unknown_names_are_refused);
	tcase_add_test(tc, posix_tz_strings_are_refused);
	tcase_add_test(tc, offsets);
	tcase_add_test(tc, gaps_move_forward_overlaps_take_the_first);
	tcase_add_test(tc, list_all);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
