#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef ENABLE_NLS
#include <libintl.h>
#endif

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

START_TEST(format_with_abbreviation)
{
	char buf[TZ_TIME_BUF];
	struct tz *tz = must_open("Europe/Moscow");

	ck_assert_str_eq(tz_format(tz, at("2026-12-03T11:50:00Z"), buf,
	    sizeof buf), "2026-12-03 14:50 MSK");
	/* 23:30Z is already the next day in Moscow. */
	ck_assert_str_eq(tz_format(tz, at("2026-12-03T23:30:00Z"), buf,
	    sizeof buf), "2026-12-04 02:30 MSK");
	tz_close(tz);
	tz = must_open("America/New_York");
	ck_assert_str_eq(tz_format(tz, at("2026-12-03T11:50:00Z"), buf,
	    sizeof buf), "2026-12-03 06:50 EST");
	ck_assert_str_eq(tz_format(tz, at("2026-07-03T11:50:00Z"), buf,
	    sizeof buf), "2026-07-03 07:50 EDT");
	ck_assert_str_eq(tz_abbrev(tz, at("2026-07-03T11:50:00Z")), "EDT");
	tz_close(tz);
	/* A zone whose abbreviation has no letters. */
	tz = must_open("Asia/Dubai");
	ck_assert_str_eq(tz_format(tz, at("2026-12-03T11:50:00Z"), buf,
	    sizeof buf), "2026-12-03 15:50 +04");
	tz_close(tz);
	tz = must_open(NULL);
	ck_assert_str_eq(tz_format(tz, at("2026-12-03T11:50:00Z"), buf,
	    sizeof buf), "2026-12-03 11:50 UTC");
	ck_assert_str_eq(tz_format(tz, -1, buf, sizeof buf),
	    "1969-12-31 23:59 UTC");
	tz_close(tz);
}
END_TEST

static const char *
rel(int64_t d)
{
	static char buf[64];
	const int64_t now = 1796040000;	/* 2026-11-30T12:00:00Z */
	char *r = tu_format_relative(now + d, now, buf, sizeof buf);

	return r != NULL ? r : "(absolute)";
}

START_TEST(relative_times)
{
	ck_assert_str_eq(rel(0), "just now");
	ck_assert_str_eq(rel(59), "just now");
	ck_assert_str_eq(rel(-59), "just now");
	ck_assert_str_eq(rel(60), "in 1 min");
	ck_assert_str_eq(rel(-89), "1 min ago");
	ck_assert_str_eq(rel(-90), "2 min ago");
	ck_assert_str_eq(rel(25 * 60), "in 25 min");
	ck_assert_str_eq(rel(59 * 60 + 29), "in 59 min");
	ck_assert_str_eq(rel(59 * 60 + 30), "in 1 h");
	ck_assert_str_eq(rel(3 * 3600 - 1), "in 3 h");
	ck_assert_str_eq(rel(-(3 * 3600 + 1799)), "3 h ago");
	ck_assert_str_eq(rel(-(3 * 3600 + 1800)), "4 h ago");
	ck_assert_str_eq(rel(23 * 3600 + 1799), "in 23 h");
	ck_assert_str_eq(rel(23 * 3600 + 1800), "in 1 d");
	ck_assert_str_eq(rel(-2 * 86400), "2 d ago");
	ck_assert_str_eq(rel(-(2 * 86400 + 43199)), "2 d ago");
	ck_assert_str_eq(rel(-(2 * 86400 + 43200)), "3 d ago");
	ck_assert_str_eq(rel(6 * 86400 + 43199), "in 6 d");
	/* From six and a half days on: an absolute time. */
	ck_assert_str_eq(rel(6 * 86400 + 43200), "(absolute)");
	ck_assert_str_eq(rel(-30 * 86400), "(absolute)");
}
END_TEST

/*
 * The plural forms go through ngettext: under a Russian catalog (a
 * test's own, tests/data/relative-ru.po) 1, 3, 5, 11 and 21 take the
 * three forms.
 */
START_TEST(relative_times_russian)
{
#ifdef ENABLE_NLS
	char *dir = testlib_tempdir(), *po = testlib_data("relative-ru.po");
	char *cmd, *old;

	cmd = xasprintf("mkdir -p '%s/ru/LC_MESSAGES' && msgfmt -o "
	    "'%s/ru/LC_MESSAGES/reseg-test.mo' '%s'", dir, dir, po);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
	free(cmd);
	old = xstrdup(setlocale(LC_ALL, NULL));
	if (setlocale(LC_ALL, "ru_RU.UTF-8") == NULL) {
		fprintf(stderr, "check_tz: no ru_RU.UTF-8 locale: the Russian "
		    "forms are not checked\n");
	} else {
		setenv("LANGUAGE", "ru", 1);
		bindtextdomain("reseg-test", dir);
		bind_textdomain_codeset("reseg-test", "UTF-8");
		textdomain("reseg-test");
		ck_assert_str_eq(rel(30), "только что");
		ck_assert_str_eq(rel(60), "через 1 минуту");
		ck_assert_str_eq(rel(3 * 60), "через 3 минуты");
		ck_assert_str_eq(rel(5 * 60), "через 5 минут");
		ck_assert_str_eq(rel(11 * 60), "через 11 минут");
		ck_assert_str_eq(rel(21 * 60), "через 21 минуту");
		ck_assert_str_eq(rel(-22 * 60), "22 минуты назад");
		ck_assert_str_eq(rel(-1 * 3600), "1 час назад");
		ck_assert_str_eq(rel(2 * 3600), "через 2 часа");
		ck_assert_str_eq(rel(-12 * 3600), "12 часов назад");
		ck_assert_str_eq(rel(-86400), "1 день назад");
		ck_assert_str_eq(rel(4 * 86400), "через 4 дня");
		ck_assert_str_eq(rel(-5 * 86400), "5 дней назад");
		unsetenv("LANGUAGE");
	}
	setlocale(LC_ALL, old);
	free(old);
	testlib_rmtree(dir);
	free(dir);
	free(po);
#endif
}
END_TEST

START_TEST(list_has_no_backward_links)
{
	char **list = tz_list_all(), **p;
	int ny = 0, utc = 0;

	for (p = list; *p != NULL; p++) {
		ck_assert_msg(strncmp(*p, "US/", 3) != 0, "%s", *p);
		ck_assert_msg(strcmp(*p, "Asia/Calcutta") != 0, "%s", *p);
		ck_assert_msg(strcmp(*p, "America/Buenos_Aires") != 0, "%s",
		    *p);
		ck_assert_msg(strncmp(*p, "Etc/", 4) != 0, "%s", *p);
		ck_assert_msg(strcmp(*p, "EST5EDT") != 0, "%s", *p);
		ny += strcmp(*p, "America/New_York") == 0;
		utc += strcmp(*p, "UTC") == 0;
	}
	ck_assert_int_eq(ny, 1);
	ck_assert_int_eq(utc, 1);
	tz_list_free(list);
	/* Typed by hand, an alias is still a zone. */
	ck_assert_int_eq(tz_exists("US/Eastern"), 1);
	{
		char *c = tz_canonical("US/Pacific");

		ck_assert_str_eq(c, "America/Los_Angeles");
		free(c);
		c = tz_canonical("Etc/UTC");
		ck_assert_str_eq(c, "UTC");
		free(c);
		c = tz_canonical("Europe/Paris");
		ck_assert_str_eq(c, "Europe/Paris");
		free(c);
	}
}
END_TEST

static size_t
find(const struct tz_entry *v, size_t n, const char *name, size_t from)
{
	size_t i;

	for (i = from; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return i;
	return (size_t)-1;
}

START_TEST(picker_order)
{
	static const char *const recent[] = {
		"Europe/Moscow", "Asia/Calcutta", "America/New_York",
		"Europe/Moscow", "Mars/Olympus", NULL
	};
	struct tz_entry *v;
	size_t n, i, k;
	const char *lab;
	int64_t now = 1796040000;	/* 2026-11-30T12:00:00Z */

	v = tz_picker_list(now, "US/Eastern", recent, 5, &n);
	ck_assert_str_eq(v[0].name, "America/New_York");
	ck_assert_str_eq(v[0].group, "This machine");
	ck_assert_str_eq(v[1].name, "Europe/Moscow");
	ck_assert_str_eq(v[1].group, "Recently used");
	ck_assert_str_eq(v[2].name, "Asia/Kolkata");
	ck_assert_str_eq(v[2].group, "Recently used");
	ck_assert_str_eq(v[3].name, "Africa/Abidjan");
	ck_assert_str_eq(v[3].group, "Africa");
	ck_assert_str_eq(v[n - 1].name, "UTC");
	ck_assert_str_eq(v[n - 1].group, "UTC");
	/* Regions in order, each zone once below the top rows. */
	for (i = 4; i < n; i++) {
		ck_assert_msg(strcmp(v[i - 1].name, v[i].name) < 0, "%s",
		    v[i].name);
		ck_assert_msg(strncmp(v[i].name, v[i].group,
		    strlen(v[i].group)) == 0, "%s", v[i].name);
		ck_assert_msg(strncmp(v[i].name, "US/", 3) != 0, "%s",
		    v[i].name);
	}
	k = find(v, n, "Europe/Moscow", 3);
	ck_assert_int_ne(k, (size_t)-1);
	ck_assert_str_eq(v[k].group, "Europe");
	lab = v[k].label;
	ck_assert_msg(strncmp(lab, "Europe/Moscow ", 14) == 0, "%s", lab);
	ck_assert_str_eq(lab + strlen(lab) - 16, "  UTC+03:00  MSK");
	lab = v[find(v, n, "America/New_York", 3)].label;
	ck_assert_str_eq(lab + strlen(lab) - 16, "  UTC-05:00  EST");
	lab = v[find(v, n, "Asia/Kolkata", 3)].label;
	ck_assert_str_eq(lab + strlen(lab) - 16, "  UTC+05:30  IST");
	lab = v[find(v, n, "UTC", 0)].label;
	ck_assert_str_eq(lab + strlen(lab) - 16, "  UTC+00:00  UTC");
	/* Every label is as wide up to its offset. */
	for (i = 1; i < n; i++)
		ck_assert_int_eq(strstr(v[i].label, "  UTC") - v[i].label,
		    strstr(v[0].label, "  UTC") - v[0].label);
	tz_picker_free(v, n);
	/* No machine zone, nothing recent: the regions only. */
	v = tz_picker_list(now, NULL, NULL, 0, &n);
	ck_assert_str_eq(v[0].name, "Africa/Abidjan");
	tz_picker_free(v, n);
}
END_TEST

START_TEST(picker_matching)
{
	ck_assert_int_eq(tz_match("America/New_York", "york"), 1);
	ck_assert_int_eq(tz_match("America/New_York", "YORK"), 1);
	ck_assert_int_eq(tz_match("America/New_York", "new york"), 1);
	ck_assert_int_eq(tz_match("America/New_York", "new_york"), 1);
	ck_assert_int_eq(tz_match("America/New_York", "america/new"), 1);
	ck_assert_int_eq(tz_match("America/New_York", ""), 1);
	ck_assert_int_eq(tz_match("America/New_York", "yorkk"), 0);
	ck_assert_int_eq(tz_match("America/New_York", "newyork"), 0);
	ck_assert_int_eq(tz_match("Europe/Moscow", "york"), 0);
}
END_TEST

START_TEST(machine_zone)
{
	char *z;
	const char *old = getenv("TZ");
	char *keep = old != NULL ? xstrdup(old) : NULL;

	setenv("TZ", "US/Eastern", 1);
	ck_assert_str_eq(z = tz_machine(), "America/New_York");
	free(z);
	setenv("TZ", ":Europe/Moscow", 1);
	ck_assert_str_eq(z = tz_machine(), "Europe/Moscow");
	free(z);
	setenv("TZ", "/usr/share/zoneinfo/Asia/Tokyo", 1);
	ck_assert_str_eq(z = tz_machine(), "Asia/Tokyo");
	free(z);
	setenv("TZ", "Etc/UTC", 1);
	ck_assert_str_eq(z = tz_machine(), "UTC");
	free(z);
	setenv("TZ", "EST5EDT4,M3.2.0,M11.1.0", 1);
	ck_assert_ptr_null(tz_machine());
	if (keep != NULL)
		setenv("TZ", keep, 1);
	else
		unsetenv("TZ");
	free(keep);
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
	tcase_add_test(tc, format_with_abbreviation);
	tcase_add_test(tc, relative_times);
	tcase_add_test(tc, relative_times_russian);
	tcase_add_test(tc, list_has_no_backward_links);
	tcase_add_test(tc, picker_order);
	tcase_add_test(tc, picker_matching);
	tcase_add_test(tc, machine_zone);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
