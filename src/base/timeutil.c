/*
 * timeutil: civil dates and ISO 8601 date-times (parse, format) and the
 * one clock of the process (tu_now, tu_mono_ms, tu_set_clock).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "timeutil.h"
#include "util.h"

/* The one clock of the process, when not the system's. */
static struct tu_clock tu_clock_now;
static int tu_clock_set;

/* A clock fixed at, or starting from, a given time (tu_clock_start). */
static struct {
	int64_t	 at;		/* wall seconds */
	int64_t	 mono0;		/* system monotonic ms when it was set */
	int	 running;
} tu_start;

/* Howard Hinnant's days-from-civil algorithm (public domain arithmetic). */
int32_t
tu_days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
tu_civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int
tu_days_in_month(int y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m == 2)
		return 28 + leap;
	return len[m - 1];
}

int
tu_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)((days % 7 + 7 + 3) % 7);
}

static int
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
tu_parse_date(const char *s, size_t n, int32_t *days)
{
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > tu_days_in_month(y, m))
		return -1;
	*days = tu_days_from_civil(y, m, d);
	return 0;
}

int
tu_parse_datetime(const char *s, size_t n, int require_zone, int64_t *secs)
{
	int32_t days;
	int hh, mm, ss = 0, oh = 0, om = 0, sign = 1;
	size_t p;

	if (n < 16 || tu_parse_date(s, 10, &days) != 0)
		return -1;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	if (digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mm))
		return -1;
	p = 16;
	if (p < n && s[p] == ':') {
		if (p + 3 > n || digits(s + p + 1, 2, &ss))
			return -1;
		p += 3;
		if (p < n && (s[p] == '.' || s[p] == ',')) {
			p++;
			if (p >= n || s[p] < '0' || s[p] > '9')
				return -1;
			while (p < n && s[p] >= '0' && s[p] <= '9')
				p++;	/* sub-second precision is not kept */
		}
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	if (p == n) {
		if (require_zone)
			return -1;
	} else if ((s[p] == 'Z' || s[p] == 'z') && p + 1 == n) {
		/* UTC */
	} else if (s[p] == '+' || s[p] == '-') {
		sign = s[p] == '-' ? -1 : 1;
		p++;
		if (p + 2 > n || digits(s + p, 2, &oh))
			return -1;
		p += 2;
		if (p < n && s[p] == ':')
			p++;
		if (p < n) {
			if (p + 2 != n || digits(s + p, 2, &om))
				return -1;
		}
		if (oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (ss == 60)
		ss = 59;	/* a leap second is kept as the second before it */
	*secs = (int64_t)days * 86400 + hh * 3600 + mm * 60 + ss -
	    sign * (oh * 3600 + om * 60);
	return 0;
}

/* Writes n (0 <= n < 10^width) as width decimal digits, zero-padded. */
static void
tu_put_digits(char *p, int n, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + n % 10);
		n /= 10;
	}
}

/* Writes YYYY-MM-DD (0 <= y <= 9999) to p, without a NUL. */
static void
tu_put_date(char *p, int y, int m, int d)
{
	tu_put_digits(p, y, 4);
	p[4] = '-';
	tu_put_digits(p + 5, m, 2);
	p[7] = '-';
	tu_put_digits(p + 8, d, 2);
}

char *
tu_format_date(int32_t days, char *buf)
{
	int y, m, d;

	if (days < TU_MIN_DAYS)
		days = TU_MIN_DAYS;
	else if (days > TU_MAX_DAYS)
		days = TU_MAX_DAYS;
	tu_civil_from_days(days, &y, &m, &d);
	tu_put_date(buf, y, m, d);
	buf[10] = '\0';
	return buf;
}

char *
tu_format_datetime(int64_t secs, char *buf)
{
	int64_t days, rem;
	int y, m, d;

	if (secs < TU_MIN_SECS)
		secs = TU_MIN_SECS;
	else if (secs > TU_MAX_SECS)
		secs = TU_MAX_SECS;
	days = secs / 86400;
	rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tu_civil_from_days((int32_t)days, &y, &m, &d);
	/* Exports print millions of these: no printf. */
	tu_put_date(buf, y, m, d);
	buf[10] = 'T';
	tu_put_digits(buf + 11, (int)(rem / 3600), 2);
	buf[13] = ':';
	tu_put_digits(buf + 14, (int)(rem / 60 % 60), 2);
	buf[16] = ':';
	tu_put_digits(buf + 17, (int)(rem % 60), 2);
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

static int64_t
tu_system_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
tu_set_clock(const struct tu_clock *c)
{
	tu_clock_set = c != NULL;
	if (c != NULL)
		tu_clock_now = *c;
}

static int64_t
tu_start_mono(void *arg)
{
	(void)arg;
	return tu_system_mono_ms();
}

static int64_t
tu_start_wall(void *arg)
{
	(void)arg;
	if (!tu_start.running)
		return tu_start.at;
	return tu_start.at + (tu_system_mono_ms() - tu_start.mono0) / 1000;
}

void
tu_clock_start(int64_t at, int running)
{
	static const struct tu_clock c = { tu_start_mono, tu_start_wall, NULL };

	tu_start.at = at;
	tu_start.mono0 = tu_system_mono_ms();
	tu_start.running = running;
	tu_set_clock(&c);
}

int64_t
tu_mono_ms(void)
{
	if (tu_clock_set)
		return tu_clock_now.mono_ms(tu_clock_now.arg);
	return tu_system_mono_ms();
}

int64_t
tu_now_ms(void)
{
	struct timespec ts;

	if (tu_clock_set)
		return tu_clock_now.wall(tu_clock_now.arg) * 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
tu_now(void)
{
	struct timespec ts;

	if (tu_clock_set)
		return tu_clock_now.wall(tu_clock_now.arg);
	/*
	 * Not time(NULL): glibc serves it from the coarse clock, which can
	 * lag CLOCK_REALTIME by a tick, so a run the scheduler starts at
	 * 09:00:00.001 would be logged as started at 08:59:59.
	 */
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

char *
tu_format_relative(int64_t t, int64_t now, char *buf, size_t len)
{
	int64_t	 a = t >= now ? t - now : now - t;
	int	 n, future = t > now;

	if (a < 60) {
		snprintf(buf, len, "%s", _("just now"));
		return buf;
	}
	if ((n = (int)((a + 30) / 60)) < 60)
		snprintf(buf, len, future ? ngettext_("in %d min",
		    "in %d min", n) : ngettext_("%d min ago", "%d min ago", n),
		    n);
	else if ((n = (int)((a + 1800) / 3600)) < 24)
		snprintf(buf, len, future ? ngettext_("in %d h", "in %d h",
		    n) : ngettext_("%d h ago", "%d h ago", n), n);
	else if (a < (int64_t)TU_RELATIVE_DAYS * 86400 - 43200) {
		n = (int)((a + 43200) / 86400);
		snprintf(buf, len, future ? ngettext_("in %d d", "in %d d",
		    n) : ngettext_("%d d ago", "%d d ago", n), n);
	} else
		return NULL;
	return buf;
}
