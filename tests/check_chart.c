/*
 * The history chart's pure parts (src/tui/chart.c): period presets,
 * period starts, bucketing of history points into slots with totals
 * carried forward, and bar cells.  No terminal needed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "timeutil.h"
#include "tui/chart.h"

static int32_t
day(int y, int m, int d)
{
	return tu_days_from_civil(y, m, d);
}

START_TEST(test_presets)
{
	int32_t	 from = 0, to = 0, today = day(2026, 11, 28);

	chart_period_range(CHART_TODAY, today, &from, &to);
	ck_assert_int_eq(from, today);
	ck_assert_int_eq(to, today);
	chart_period_range(CHART_7_DAYS, today, &from, &to);
	ck_assert_int_eq(from, day(2026, 11, 22));
	ck_assert_int_eq(to, today);
	chart_period_range(CHART_THIS_MONTH, today, &from, &to);
	ck_assert_int_eq(from, day(2026, 11, 1));
	ck_assert_int_eq(to, day(2026, 11, 30));
	chart_period_range(CHART_30_DAYS, today, &from, &to);
	ck_assert_int_eq(from, day(2026, 10, 30));
	chart_period_range(CHART_THIS_QUARTER, today, &from, &to);
	ck_assert_int_eq(from, day(2026, 10, 1));
	ck_assert_int_eq(to, day(2026, 12, 31));
	chart_period_range(CHART_THIS_QUARTER, day(2024, 2, 29), &from, &to);
	ck_assert_int_eq(from, day(2024, 1, 1));
	ck_assert_int_eq(to, day(2024, 3, 31));
	chart_period_range(CHART_THIS_YEAR, today, &from, &to);
	ck_assert_int_eq(from, day(2026, 1, 1));
	ck_assert_int_eq(to, day(2026, 12, 31));
	/* Custom leaves the range alone. */
	from = 5;
	to = 9;
	chart_period_range(CHART_CUSTOM, today, &from, &to);
	ck_assert_int_eq(from, 5);
	ck_assert_int_eq(to, 9);
}
END_TEST

START_TEST(test_group_start)
{
	/* 2026-11-28 is a Saturday: its week starts on Monday the 23rd. */
	ck_assert_int_eq(chart_group_start(HIST_WEEK, day(2026, 11, 28)),
	    day(2026, 11, 23));
	ck_assert_int_eq(chart_group_start(HIST_WEEK, day(2026, 11, 23)),
	    day(2026, 11, 23));
	ck_assert_int_eq(chart_group_start(HIST_MONTH, day(2026, 11, 28)),
	    day(2026, 11, 1));
	ck_assert_int_eq(chart_group_start(HIST_QUARTER, day(2026, 11, 28)),
	    day(2026, 10, 1));
	ck_assert_int_eq(chart_group_start(HIST_YEAR, day(2026, 11, 28)),
	    day(2026, 1, 1));
	ck_assert_int_eq(chart_group_next(HIST_MONTH, day(2026, 12, 1)),
	    day(2027, 1, 1));
	ck_assert_int_eq(chart_group_next(HIST_QUARTER, day(2026, 10, 1)),
	    day(2027, 1, 1));
	ck_assert_int_eq(chart_group_next(HIST_WEEK, day(2026, 11, 23)),
	    day(2026, 11, 30));
}
END_TEST

static struct hist_point
pt(int32_t d, uint64_t total, uint64_t aa, uint64_t ra, uint64_t am,
    uint64_t rm)
{
	struct hist_point p;

	memset(&p, 0, sizeof p);
	p.day = d;
	p.nruns = 1;
	p.total = total;
	p.added_auto = aa;
	p.removed_auto = ra;
	p.added_manual = am;
	p.removed_manual = rm;
	return p;
}

START_TEST(test_bucket_days_carry)
{
	struct hist_point pts[3];
	struct chart_slot *s;
	size_t		 n;

	pts[0] = pt(day(2026, 11, 23), 100, 100, 0, 0, 0);
	pts[1] = pt(day(2026, 11, 25), 90, 5, 20, 5, 0);
	pts[2] = pt(day(2026, 11, 28), 120, 30, 0, 0, 0);
	n = chart_bucket(pts, 3, HIST_DAY, day(2026, 11, 22),
	    day(2026, 11, 28), 7, &s);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(s[0].day, day(2026, 11, 22));
	/* Before the first run: the count before the range. */
	ck_assert_uint_eq(s[0].total, 7);
	ck_assert_uint_eq(s[0].nruns, 0);
	ck_assert_int_eq(s[0].gap, 1);
	ck_assert_uint_eq(s[1].total, 100);
	ck_assert_int_eq(s[1].gap, 0);
	ck_assert_uint_eq(s[2].total, 100);	/* carried for its figures */
	ck_assert_int_eq(s[2].gap, 1);		/* but drawn as a gap */
	ck_assert_uint_eq(s[3].total, 90);
	ck_assert_uint_eq(s[3].added_auto, 5);
	ck_assert_uint_eq(s[3].removed_auto, 20);
	ck_assert_uint_eq(s[3].added_manual, 5);
	ck_assert_uint_eq(s[4].total, 90);
	ck_assert_uint_eq(s[5].total, 90);
	ck_assert_uint_eq(s[6].total, 120);
	ck_assert_uint_eq(s[6].nruns, 1);
	free(s);
}
END_TEST

START_TEST(test_bucket_weeks_and_outside)
{
	struct hist_point pts[4];
	struct chart_slot *s;
	size_t		 n;

	pts[0] = pt(day(2026, 10, 1), 50, 50, 0, 0, 0);	/* outside */
	pts[1] = pt(day(2026, 11, 2), 60, 10, 0, 0, 0);
	pts[2] = pt(day(2026, 11, 4), 70, 10, 0, 0, 0);
	pts[3] = pt(day(2026, 11, 19), 65, 0, 5, 0, 0);
	/* November 2026 by weeks: Oct 26, Nov 2, 9, 16, 23, 30. */
	n = chart_bucket(pts, 4, HIST_WEEK, day(2026, 11, 1),
	    day(2026, 11, 30), 40, &s);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(s[0].day, day(2026, 10, 26));
	ck_assert_uint_eq(s[0].total, 40);
	ck_assert_uint_eq(s[1].nruns, 2);
	ck_assert_uint_eq(s[1].total, 70);	/* the later point wins */
	ck_assert_uint_eq(s[1].added_auto, 20);
	ck_assert_uint_eq(s[2].total, 70);
	ck_assert_uint_eq(s[3].total, 65);
	ck_assert_uint_eq(s[3].removed_auto, 5);
	ck_assert_uint_eq(s[5].total, 65);
	ck_assert_int_eq(s[5].day, day(2026, 11, 30));
	free(s);

	/* A single day and no points. */
	n = chart_bucket(NULL, 0, HIST_DAY, day(2026, 11, 28),
	    day(2026, 11, 28), 3, &s);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(s[0].total, 3);
	free(s);
}
END_TEST

START_TEST(test_bucket_future)
{
	struct hist_point pts[1];
	struct chart_slot *s;
	size_t		 n;

	/* This month on November 28: the 29th and 30th have not come. */
	pts[0] = pt(day(2026, 11, 28), 908, 908, 0, 0, 0);
	n = chart_bucket(pts, 1, HIST_DAY, day(2026, 11, 1),
	    day(2026, 11, 30), 0, &s);
	ck_assert_uint_eq(n, 30);
	ck_assert_uint_eq(chart_mark_future(s, n, day(2026, 11, 28)), 27);
	ck_assert_uint_eq(s[27].total, 908);
	ck_assert_int_eq(s[27].future, 0);
	ck_assert_int_eq(s[28].future, 1);
	ck_assert_uint_eq(s[28].total, 0);	/* not carried forward */
	ck_assert_uint_eq(s[29].total, 0);
	free(s);

	/* By week: the week holding today is not in the future. */
	n = chart_bucket(pts, 1, HIST_WEEK, day(2026, 10, 1),
	    day(2026, 12, 31), 0, &s);
	ck_assert_uint_eq(chart_mark_future(s, n, day(2026, 11, 28)),
	    (size_t)(day(2026, 11, 23) - day(2026, 9, 28)) / 7);
	ck_assert_uint_eq(s[(day(2026, 11, 23) - day(2026, 9, 28)) / 7].total,
	    908);
	ck_assert_int_eq(s[n - 1].future, 1);
	free(s);

	/* A period wholly ahead: the cursor starts on the first slot. */
	n = chart_bucket(NULL, 0, HIST_DAY, day(2026, 12, 1),
	    day(2026, 12, 3), 5, &s);
	ck_assert_uint_eq(chart_mark_future(s, n, day(2026, 11, 28)), 0);
	ck_assert_uint_eq(s[0].total, 0);
	free(s);
}
END_TEST

START_TEST(test_cells)
{
	ck_assert_uint_eq(chart_max(NULL, 0), 1);
	/* 10 rows, half full: rows 0-4 full, row 5 empty. */
	ck_assert_int_eq(chart_cell(50, 100, 10, 0), 8);
	ck_assert_int_eq(chart_cell(50, 100, 10, 4), 8);
	ck_assert_int_eq(chart_cell(50, 100, 10, 5), 0);
	/* 3/8 of one row. */
	ck_assert_int_eq(chart_cell(3, 8, 1, 0), 3);
	/* A tiny non-zero value still shows. */
	ck_assert_int_eq(chart_cell(1, 1000000, 4, 0), 1);
	ck_assert_int_eq(chart_cell(0, 100, 4, 0), 0);
	ck_assert_int_eq(chart_cell(100, 100, 4, 3), 8);
	ck_assert_int_eq(chart_cell(200, 100, 4, 3), 8);
	ck_assert_str_eq(chart_glyph(8, 1), "\xe2\x96\x88");
	ck_assert_str_eq(chart_glyph(8, 0), "#");
	ck_assert_str_eq(chart_glyph(0, 0), " ");
}
END_TEST

START_TEST(test_braille)
{
	char	 buf[4];

	/* Dots fill from the bottom: 7, 3, 2, 1 left; 8, 6, 5, 4 right. */
	ck_assert_uint_eq(chart_braille_bits(0, 0), 0x00);
	ck_assert_uint_eq(chart_braille_bits(1, 0), 0x40);
	ck_assert_uint_eq(chart_braille_bits(0, 1), 0x80);
	ck_assert_uint_eq(chart_braille_bits(2, 3), 0x44 | 0xb0);
	ck_assert_uint_eq(chart_braille_bits(4, 0), 0x47);
	ck_assert_uint_eq(chart_braille_bits(0, 4), 0xb8);
	ck_assert_uint_eq(chart_braille_bits(4, 4), 0xff);
	ck_assert_uint_eq(chart_braille_bits(9, -1), 0x47);
	/* UTF-8 of U+2800 + bits. */
	ck_assert_str_eq(chart_braille(0, 0, buf), "\xe2\xa0\x80");
	ck_assert_str_eq(chart_braille(1, 0, buf), "\xe2\xa1\x80");
	ck_assert_str_eq(chart_braille(0, 1, buf), "\xe2\xa2\x80");
	ck_assert_str_eq(chart_braille(2, 3, buf), "\xe2\xa3\xb4");
	ck_assert_str_eq(chart_braille(4, 4, buf), "\xe2\xa3\xbf");
	ck_assert_str_eq(chart_braille(4, 2, buf), "\xe2\xa3\xa7");
	/* Quarters of a row: 10 rows, 3/8 full is 15 quarters. */
	ck_assert_int_eq(chart_quarters(3, 8, 10, 0), 4);
	ck_assert_int_eq(chart_quarters(3, 8, 10, 3), 3);
	ck_assert_int_eq(chart_quarters(3, 8, 10, 4), 0);
	ck_assert_int_eq(chart_quarters(1, 1000000, 4, 0), 1);
	ck_assert_int_eq(chart_quarters(0, 100, 4, 0), 0);
	/* The style: Braille in UTF-8 unless asked otherwise. */
	ck_assert_int_eq(chart_style_pick(1, NULL), CHART_BRAILLE);
	ck_assert_int_eq(chart_style_pick(1, "blocks"), CHART_BLOCKS);
	ck_assert_int_eq(chart_style_pick(1, "ascii"), CHART_ASCII);
	ck_assert_int_eq(chart_style_pick(0, "braille"), CHART_ASCII);
}
END_TEST

/* The tick list of chart_yticks as "0 2000 4000 | top". */
static const char *
yticks(uint64_t max, int most)
{
	static char	 out[256];
	uint64_t	 t[32], top;
	int		 n, i, o = 0;

	top = chart_yticks(max, most, t, &n);
	for (i = 0; i < n; i++)
		o += snprintf(out + o, sizeof out - o, "%llu ",
		    (unsigned long long)t[i]);
	snprintf(out + o, sizeof out - o, "| %llu", (unsigned long long)top);
	return out;
}

START_TEST(test_yticks)
{
	ck_assert_str_eq(yticks(1, 4), "0 1 | 1");
	ck_assert_str_eq(yticks(2, 4), "0 1 2 | 2");
	ck_assert_str_eq(yticks(7, 4), "0 2 4 6 8 | 8");
	ck_assert_str_eq(yticks(9, 4), "0 5 10 | 10");
	ck_assert_str_eq(yticks(10, 4), "0 5 10 | 10");
	ck_assert_str_eq(yticks(908, 4), "0 500 1000 | 1000");
	ck_assert_str_eq(yticks(4572, 4), "0 2000 4000 6000 | 6000");
	ck_assert_str_eq(yticks(4572, 5), "0 1000 2000 3000 4000 5000 | 5000");
	ck_assert_str_eq(yticks(100000, 4), "0 50000 100000 | 100000");
	ck_assert_str_eq(yticks(100001, 2), "0 100000 200000 | 200000");
	ck_assert_str_eq(yticks(3, 1), "0 5 | 5");
	ck_assert_str_eq(yticks(0, 4), "0 1 | 1");
	/* A tall chart (h / 3 rows apart) still gets at most 15 steps. */
	ck_assert_str_eq(yticks(100, 40), "0 10 20 30 40 50 60 70 80 90 100 "
	    "| 100");
	ck_assert_str_eq(yticks(15, 40), "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 "
	    "15 | 15");
	/* Rows: 0 at the bottom, top at the top, v where its bar ends. */
	ck_assert_int_eq(chart_value_row(0, 2, 12), 0);
	ck_assert_int_eq(chart_value_row(1, 2, 12), 5);
	ck_assert_int_eq(chart_value_row(2, 2, 12), 11);
	ck_assert_int_eq(chart_value_row(2000, 6000, 12), 3);
	ck_assert_int_eq(chart_value_row(9, 6, 12), 11);
}
END_TEST

/* The axis of slots from..to grouped by g in w columns, cursor ccur. */
static const char *
axis(enum hist_group g, int32_t from, int32_t to, int w, int ccur,
    enum chart_style st, int brackets, int *hl, int *hlw)
{
	static char	 line[256];
	struct chart_slot *s;
	struct chart_layout l;
	size_t		 n, e;

	n = chart_bucket(NULL, 0, g, from, to, 0, &s);
	chart_layout(n, w, ccur < 0 ? (int)n - 1 : ccur, st, &l);
	chart_axis(s, n, g, &l, ccur, brackets, line, hl, hlw);
	free(s);
	for (e = strlen(line); e > 0 && line[e - 1] == ' '; e--)
		line[e - 1] = '\0';
	return line;
}

START_TEST(test_axis)
{
	int	 hl, hlw;

	/* Days of November 2026 in 60 columns: Mondays (2, 9, ...). */
	ck_assert_str_eq(axis(HIST_DAY, day(2026, 11, 1), day(2026, 11, 30),
	    60, -1, CHART_BRAILLE, 0, &hl, &hlw),
	    "  11-02         11-09         11-16         11-23");
	ck_assert_int_eq(hlw, 0);
	/* The cursor's date takes the labels it would touch. */
	ck_assert_str_eq(axis(HIST_DAY, day(2026, 11, 1), day(2026, 11, 30),
	    60, 27, CHART_BRAILLE, 0, &hl, &hlw),
	    "  11-02         11-09         11-16         11-23 2026-11-28");
	ck_assert_int_eq(hl, 50);
	ck_assert_int_eq(hlw, 10);
	ck_assert_str_eq(axis(HIST_DAY, day(2026, 11, 1), day(2026, 11, 30),
	    60, 8, CHART_BRAILLE, 1, &hl, &hlw),
	    "  11-02        [2026-11-09]   11-16         11-23");
	ck_assert_int_eq(hl, 15);
	ck_assert_int_eq(hlw, 12);
	/* A week in 70 columns: each day fits. */
	ck_assert_str_eq(axis(HIST_DAY, day(2026, 11, 23), day(2026, 11, 29),
	    70, -1, CHART_BRAILLE, 0, &hl, &hlw),
	    "11-23     11-24     11-25     11-26     11-27     11-28     11-29");
	/* A year by day (Braille, two days a column): month starts. */
	ck_assert_str_eq(axis(HIST_DAY, day(2026, 1, 1), day(2026, 12, 31),
	    200, -1, CHART_BRAILLE, 0, &hl, &hlw),
	    "2026-01        2026-02       2026-03         2026-04        "
	    "2026-05        2026-06        2026-07         2026-08        "
	    "2026-09        2026-10         2026-11        2026-12");
	/* Weeks of a quarter: every Monday would not fit; month starts do. */
	ck_assert_str_eq(axis(HIST_WEEK, day(2026, 10, 1), day(2026, 12, 31),
	    30, -1, CHART_BLOCKS, 0, &hl, &hlw),
	    "2026-10 2026-11   2026-12");
	ck_assert_str_eq(axis(HIST_WEEK, day(2026, 10, 1), day(2026, 12, 31),
	    80, -1, CHART_BLOCKS, 0, &hl, &hlw),
	    "2026-10             2026-11                  2026-12"
	    "             2027-01");
	/* Six columns a week: each Monday. */
	ck_assert_str_eq(axis(HIST_WEEK, day(2026, 10, 1), day(2026, 12, 31),
	    90, -1, CHART_BLOCKS, 0, &hl, &hlw),
	    "09-28 10-05 10-12 10-19 10-26 11-02 11-09 11-16 11-23 11-30 "
	    "12-07 12-14 12-21 12-28");
	/* Months of two years: quarters in 40 columns, each month in 200. */
	ck_assert_str_eq(axis(HIST_MONTH, day(2025, 1, 1), day(2026, 12, 31),
	    40, -1, CHART_BLOCKS, 0, &hl, &hlw),
	    "2025        2026");
	ck_assert_str_eq(axis(HIST_MONTH, day(2025, 1, 1), day(2026, 12, 31),
	    80, -1, CHART_BLOCKS, 0, &hl, &hlw),
	    "2025-Q1  2025-Q2  2025-Q3  2025-Q4  2026-Q1  2026-Q2  "
	    "2026-Q3  2026-Q4");
	ck_assert_str_eq(axis(HIST_QUARTER, day(2026, 1, 1), day(2026, 12, 31),
	    40, 3, CHART_BLOCKS, 0, &hl, &hlw),
	    "2026-Q1   2026-Q2   2026-Q3   2026-Q4");
	ck_assert_int_eq(hl, 30);
	ck_assert_int_eq(hlw, 7);
	ck_assert_str_eq(axis(HIST_YEAR, day(2024, 1, 1), day(2026, 12, 31),
	    30, 0, CHART_BLOCKS, 1, &hl, &hlw),
	    "[2024]    2025      2026");
	/* Boundaries inside a slot. */
	ck_assert_int_eq(chart_slot_has(HIST_WEEK, day(2026, 9, 28),
	    CHART_TICK_MONTH), 1);
	ck_assert_int_eq(chart_slot_has(HIST_WEEK, day(2026, 10, 5),
	    CHART_TICK_MONTH), 0);
	ck_assert_int_eq(chart_slot_has(HIST_DAY, day(2026, 11, 1),
	    CHART_TICK_WEEK), 0);
	ck_assert_int_eq(chart_slot_has(HIST_MONTH, day(2026, 10, 1),
	    CHART_TICK_QUARTER), 1);
}
END_TEST

static Suite *
chart_suite(void)
{
	Suite	*s = suite_create("chart");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_presets);
	tcase_add_test(tc, test_group_start);
	tcase_add_test(tc, test_bucket_days_carry);
	tcase_add_test(tc, test_bucket_weeks_and_outside);
	tcase_add_test(tc, test_bucket_future);
	tcase_add_test(tc, test_cells);
	tcase_add_test(tc, test_braille);
	tcase_add_test(tc, test_yticks);
	tcase_add_test(tc, test_axis);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(chart_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
