#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "testlib.h"
#include "engine.h"
#include "timeutil.h"
#include "util.h"

/*
 * Fixed vectors of the range hash (reseg(1), RANGE AND LIMIT): a change
 * here moves every profile to another bucket.
 */
START_TEST(bucket_vectors)
{
	static const struct { const char *key; unsigned bucket; } v[] = {
		{ "a", 8315 },
		{ "alice@example.com", 3736 },
		{ "p0000001", 1330 },
		{ "Пётр@пример.рф", 2127 },
		{ "", 4342 },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		ck_assert_uint_eq(bucket_of_key(v[i].key, strlen(v[i].key)), v[i].bucket);
}
END_TEST

START_TEST(dates_round_trip)
{
	char buf[TU_DATE_BUF];
	int32_t d;

	ck_assert_int_eq(tu_parse_date("2028-02-29", 10, &d), 0);
	ck_assert_str_eq(tu_format_date(d, buf), "2028-02-29");
	ck_assert_int_eq(tu_parse_date("2027-02-29", 10, &d), -1);
	ck_assert_int_eq(tu_parse_date("2026-13-01", 10, &d), -1);
	ck_assert_int_eq(tu_parse_date("1970-01-01", 10, &d), 0);
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(tu_weekday(d), 3);	/* a Thursday */
}
END_TEST

START_TEST(datetimes_with_offsets)
{
	char buf[TU_DATETIME_BUF];
	int64_t t;

	ck_assert_int_eq(tu_parse_datetime("2026-03-08T02:30:00-05:00", 25, 1, &t), 0);
	ck_assert_str_eq(tu_format_datetime(t, buf), "2026-03-08T07:30:00Z");
	ck_assert_int_eq(tu_parse_datetime("2026-03-08T02:30:00.250+0530", 28, 1, &t), 0);
	ck_assert_str_eq(tu_format_datetime(t, buf), "2026-03-07T21:00:00Z");
	ck_assert_int_eq(tu_parse_datetime("2026-03-08T02:30", 16, 1, &t), -1);
	ck_assert_int_eq(tu_parse_datetime("2026-03-08T02:30", 16, 0, &t), 0);
	ck_assert_int_eq(tu_parse_datetime("2026-03-08T24:30Z", 17, 0, &t), -1);
}
END_TEST

/* Years 0000 to 9999 only: never a five-digit year, never a cut-off Z. */
START_TEST(datetimes_keep_four_digit_years)
{
	char buf[TU_DATETIME_BUF], dbuf[TU_DATE_BUF];
	int64_t t;

	ck_assert_int_eq(tu_parse_datetime("9999-12-31T23:59:59Z", 20, 1, &t), 0);
	ck_assert(t == TU_MAX_SECS);
	ck_assert_str_eq(tu_format_datetime(t, buf), "9999-12-31T23:59:59Z");
	ck_assert_str_eq(tu_format_datetime(t + 1, buf), "9999-12-31T23:59:59Z");
	ck_assert_str_eq(tu_format_datetime(t + 9 * 86400 + 9000, buf),
	    "9999-12-31T23:59:59Z");
	ck_assert_str_eq(tu_format_datetime(INT64_MAX, buf),
	    "9999-12-31T23:59:59Z");
	ck_assert_int_eq(tu_parse_datetime("0000-01-01T00:00:00Z", 20, 1, &t), 0);
	ck_assert(t == TU_MIN_SECS);
	ck_assert_str_eq(tu_format_datetime(t, buf), "0000-01-01T00:00:00Z");
	ck_assert_str_eq(tu_format_datetime(t - 1, buf), "0000-01-01T00:00:00Z");
	ck_assert_str_eq(tu_format_datetime(INT64_MIN, buf),
	    "0000-01-01T00:00:00Z");
	ck_assert_str_eq(tu_format_date(TU_MAX_DAYS, dbuf), "9999-12-31");
	ck_assert_str_eq(tu_format_date(TU_MAX_DAYS + 9, dbuf), "9999-12-31");
	ck_assert_str_eq(tu_format_date(TU_MIN_DAYS, dbuf), "0000-01-01");
	ck_assert_str_eq(tu_format_date(TU_MIN_DAYS - 1, dbuf), "0000-01-01");
}
END_TEST

/* Messages for a terminal: C0, DEL, C1 and non-UTF-8 bytes as \xHH. */
START_TEST(escape_controls)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "", "" },
		{ "plain 'name', \\d+ \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
		  "plain 'name', \\d+ \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" },
		{ "a\x1b[31mb\nc", "a\\x1b[31mb\\x0ac" },
		{ "\x01\t\r\x1f\x7f", "\\x01\\x09\\x0d\\x1f\\x7f" },
		{ "\xc2\x80|\xc2\x9b|\xc2\x9f|\xc2\xa0",
		  "\\x80|\\x9b|\\x9f|\xc2\xa0" },
		{ "\x9b" "2J|\xff|\xc0\xaf|\xe2\x82|\xed\xa0\x80",
		  "\\x9b2J|\\xff|\\xc0\\xaf|\\xe2\\x82|\\xed\\xa0\\x80" },
	};
	char *got;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		got = util_escape_controls(t[i].in);
		ck_assert_str_eq(got, t[i].out);
		free(got);
	}
}
END_TEST

START_TEST(reseg_now_fixes_the_clock)
{
	char *cause = NULL;

	int64_t t0;

	setenv("RESEG_NOW", "2026-11-28T12:00:00Z", 1);
	ck_assert_int_eq(engine_init(ENGINE_CLOCK_FIXED, &cause), 0);
	ck_assert_int_eq(tu_now(), 1795867200);
	/* A running clock starts there and moves on with the monotonic one. */
	ck_assert_int_eq(engine_init(ENGINE_CLOCK_RUNNING, &cause), 0);
	t0 = tu_now();
	ck_assert(t0 >= 1795867200 && t0 <= 1795867201);
	setenv("RESEG_NOW", "yesterday", 1);
	ck_assert_int_eq(engine_init(ENGINE_CLOCK_FIXED, &cause), -1);
	ck_assert_str_eq(cause, "RESEG_NOW: expected an ISO 8601 date-time such as "
	    "2026-01-31T09:00:00Z, found 'yesterday'");
	free(cause);
	unsetenv("RESEG_NOW");
	tu_set_clock(NULL);
}
END_TEST

/* The text check of every file reseg reads: place and kind of the fault. */
START_TEST(text_faults)
{
	static const struct {
		const char *p; size_t n; const char *want;
	} v[] = {
		{ "", 0, NULL },
		{ "plain\n\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\r\n", 16, NULL },
		{ "ab\0cd", 5, "f:1:3: not UTF-8 text: a NUL byte" },
		{ "a\nb\n\xc3\xa9x\0", 8, "f:3:3: not UTF-8 text: a NUL byte" },
		{ "\xff", 1, "f:1:1: not UTF-8 text: invalid byte 0xFF" },
		{ "\x80", 1, "f:1:1: not UTF-8 text: invalid byte 0x80" },
		{ "x\xc3", 2, "f:1:2: not UTF-8 text: invalid byte 0xC3" },
		{ "\xc3\x28", 2, "f:1:1: not UTF-8 text: invalid byte 0xC3" },
		{ "\xc0\xaf", 2, "f:1:1: not UTF-8 text: invalid byte 0xC0" },
		{ "\xe0\x80\xaf", 3, "f:1:1: not UTF-8 text: invalid byte 0xE0" },
		{ "\xed\xa0\x80", 3, "f:1:1: not UTF-8 text: invalid byte 0xED" },
		{ "\xf4\x90\x80\x80", 4, "f:1:1: not UTF-8 text: invalid byte 0xF4" },
		{ "\xf5\x80\x80\x80", 4, "f:1:1: not UTF-8 text: invalid byte 0xF5" },
		{ "\xef\xbb\xbfok", 5, NULL },
		/* Past the eight-bytes-at-a-time loop, and inside it. */
		{ "0123456789abcdef\0", 17, "f:1:17: not UTF-8 text: a NUL byte" },
		{ "01234\0" "6789abcdef", 16, "f:1:6: not UTF-8 text: a NUL byte" },
		{ "0123\n567\xd0\x9f" "9abcdef\xd0", 18,
		    "f:2:12: not UTF-8 text: invalid byte 0xD0" },
		{ "01234567\xd0\x9f\xd0\xb0" "abcdefgh\x7f", 21, NULL },
	};
	char *cause;
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		cause = NULL;
		if (v[i].want == NULL) {
			ck_assert_msg(text_check(v[i].p, v[i].n, "f", 1,
			    &cause) == 0, "%zu: %s", i, cause);
			continue;
		}
		ck_assert_int_eq(text_check(v[i].p, v[i].n, "f", 1, &cause),
		    -1);
		ck_assert_str_eq(cause, v[i].want);
		free(cause);
	}
	cause = NULL;
	ck_assert_int_eq(text_check("ok\n\0", 4, "g", 10, &cause), -1);
	ck_assert_str_eq(cause, "g:11:1: not UTF-8 text: a NUL byte");
	free(cause);
}
END_TEST

/*
 * text_valid's sixteen-byte steps: a NUL or a byte from 0x80 at any
 * place of an ASCII run, and a broken sequence at any place of a run of
 * two-byte ones (a lead without its continuation, an overlong lead, a
 * stray continuation), are found; a three-byte sequence there is text.
 */
START_TEST(text_valid_runs)
{
	static const char *const bad[] = { "\xd0" "A", "\xc1\xbf",
	    "\x80\x80", "\xd0\xd0" };
	char ascii[48];
	struct strbuf sb = STRBUF_INIT;
	size_t at, b, i;

	memset(ascii, 'a', sizeof ascii);
	ck_assert_int_eq(text_valid(ascii, sizeof ascii), 1);
	for (at = 0; at < sizeof ascii; at++) {
		ascii[at] = '\0';
		ck_assert_int_eq(text_valid(ascii, sizeof ascii), 0);
		ascii[at] = (char)0x80;
		ck_assert_int_eq(text_valid(ascii, sizeof ascii), 0);
		ascii[at] = 'a';
	}
	for (at = 0; at < 20; at++) {
		for (b = 0; b <= 4; b++) {
			sb_reset(&sb);
			for (i = 0; i < 20; i++)
				sb_puts(&sb, i != at ? "\xd0\x96" : b < 4 ?
				    bad[b] : "\xe4\xb8\xad");
			ck_assert_int_eq(text_valid(sb.buf, sb.len), b == 4);
		}
	}
	sb_free(&sb);
}
END_TEST

/* What parse_double says when strtod reads it all. */
static int
strtod_all(const char *s, double *v)
{
	char *end;

	if (*s == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	return errno == 0 && *end == '\0' ? 0 : -1;
}

/* Short decimals are read without strtod: the same doubles, bit for bit. */
START_TEST(parse_double_like_strtod)
{
	static const char *v[] = { "0", "-0", "0.0", "-0.0", "1", "9493.33",
	    "-3005.41", "0.1", "0.3", ".5", "-.5", "1.", "00012.5000",
	    "123456789012345", "1234567890.12345", "0.000000000000001",
	    "9007199254740993", "1e3", "2.5E-3", "-1.5e+300", "1.2.3", "-",
	    ".", "", "1-2", "0x10", "999999999999999.9" };
	char buf[64];
	double a, b;
	size_t i;
	int ra, rb, k;
	unsigned int seed = 1;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		ra = parse_double(v[i], strlen(v[i]), &a);
		rb = strtod_all(v[i], &b);
		ck_assert_msg(ra == rb, "%s: %d, want %d", v[i], ra, rb);
		if (ra == 0)
			ck_assert_msg(memcmp(&a, &b, sizeof a) == 0,
			    "%s: %.17g, want %.17g", v[i], a, b);
	}
	/* Random decimals of up to 15 digits. */
	for (k = 0; k < 200000; k++) {
		seed = seed * 1103515245u + 12345u;
		snprintf(buf, sizeof buf, "%s%u.%0*u", seed & 1 ? "-" : "",
		    (seed >> 8) % 100000u, (int)(seed >> 28) % 9 + 1,
		    (seed * 2654435761u) % 100000000u % 1000000000u);
		ck_assert_int_eq(parse_double(buf, strlen(buf), &a), 0);
		b = strtod(buf, NULL);
		ck_assert_msg(memcmp(&a, &b, sizeof a) == 0,
		    "%s: %.17g, want %.17g", buf, a, b);
	}
}
END_TEST

START_TEST(expand_home)
{
	char	*p;

	testlib_setenv("HOME", "/home/ann");
	ck_assert_str_eq(p = util_expand_home("~/out.csv"), "/home/ann/out.csv");
	free(p);
	ck_assert_str_eq(p = util_expand_home("~"), "/home/ann");
	free(p);
	/* Another user's home and a tilde inside a name stay as typed. */
	ck_assert_str_eq(p = util_expand_home("~bob/x"), "~bob/x");
	free(p);
	ck_assert_str_eq(p = util_expand_home("a~/b"), "a~/b");
	free(p);
}
END_TEST

START_TEST(strbuf_and_case)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	sb_printf(&sb, "%d-%s", 42, "x");
	sb_putc(&sb, '!');
	s = sb_detach(&sb);
	ck_assert_str_eq(s, "42-x!");
	free(s);
	ck_assert(ascii_casestr("Hello World", 11, "WORLD", 5));
	ck_assert(!ascii_casestr("Hello", 5, "xyz", 3));
	ck_assert_int_eq(ascii_strncasecmp_n("ABC", 3, "abc", 3), 0);
}
END_TEST

/* fmt_count in the locale named; fails when the locale is missing. */
static const char *
count_in(const char *locale, uint64_t n, char *buf, size_t len)
{
	ck_assert_msg(setlocale(LC_ALL, locale) != NULL,
	    "locale %s is missing (tools/dev deps generates it)", locale);
	fmt_count_init();
	setlocale(LC_ALL, "C");
	return fmt_count(n, buf, len);
}

START_TEST(counts_grouped)
{
	char	 b[COUNT_BUF], small[8];

	fmt_count_set(",", "\3");
	ck_assert_str_eq(fmt_count(0, b, sizeof b), "0");
	ck_assert_str_eq(fmt_count(999, b, sizeof b), "999");
	ck_assert_str_eq(fmt_count(1000, b, sizeof b), "1,000");
	ck_assert_str_eq(fmt_count(4572, b, sizeof b), "4,572");
	ck_assert_str_eq(fmt_count(1234567, b, sizeof b), "1,234,567");
	ck_assert_str_eq(fmt_count(UINT64_MAX, b, sizeof b),
	    "18,446,744,073,709,551,615");
	/* Too small for the groups: the bare digits. */
	ck_assert_str_eq(fmt_count(1234567, small, sizeof small), "1234567");
	/* Grouping rules: India's 3 then 2s; CHAR_MAX ends the groups. */
	fmt_count_set(",", "\3\2");
	ck_assert_str_eq(fmt_count(12345678, b, sizeof b), "1,23,45,678");
	fmt_count_set(".", "\3\177");
	ck_assert_str_eq(fmt_count(1234567, b, sizeof b), "1234.567");
	/* Groups of one with the longest separator do not fit: digits. */
	fmt_count_set("\xe2\x80\xaf\xe2\x80\xaf", "\1");
	ck_assert_str_eq(fmt_count(UINT64_MAX, b, sizeof b),
	    "18446744073709551615");
	ck_assert_str_eq(fmt_count(12, b, sizeof b),
	    "1\xe2\x80\xaf\xe2\x80\xaf" "2");
	/* No separator: the C locale's comma. */
	fmt_count_set("", "");
	ck_assert_str_eq(fmt_count(4572, b, sizeof b), "4,572");

	/* The locales: C keeps the comma; Russian has U+202F. */
	ck_assert_str_eq(count_in("C", 4572, b, sizeof b), "4,572");
	ck_assert_str_eq(count_in("C.UTF-8", 1234567, b, sizeof b),
	    "1,234,567");
	ck_assert_str_eq(count_in("en_US.UTF-8", 1234567, b, sizeof b),
	    "1,234,567");
	ck_assert_str_eq(count_in("ru_RU.UTF-8", 4572, b, sizeof b),
	    "4\xe2\x80\xaf" "572");
	ck_assert_str_eq(count_in("ru_RU.UTF-8", 1234567, b, sizeof b),
	    "1\xe2\x80\xaf" "234\xe2\x80\xaf" "567");
	ck_assert_str_eq(count_in("ru_RU.UTF-8", 999, b, sizeof b), "999");
	fmt_count_set(",", "\3");
}
END_TEST

static Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, bucket_vectors);
	tcase_add_test(tc, dates_round_trip);
	tcase_add_test(tc, datetimes_with_offsets);
	tcase_add_test(tc, datetimes_keep_four_digit_years);
	tcase_add_test(tc, escape_controls);
	tcase_add_test(tc, reseg_now_fixes_the_clock);
	tcase_add_test(tc, strbuf_and_case);
	tcase_add_test(tc, expand_home);
	tcase_add_test(tc, text_faults);
	tcase_add_test(tc, text_valid_runs);
	tcase_add_test(tc, counts_grouped);
	tcase_add_test(tc, parse_double_like_strtod);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return testlib_run(util_suite());
}
