/*
 * Calendar arithmetic on proleptic Gregorian dates and UTC instants.
 * Dates are days since 1970-01-01; instants are seconds since the epoch
 * (UTC).  Timezone offsets are not here: see tz.h (GLib's GTimeZone).
 */
#ifndef RESEG_TIMEUTIL_H
#define RESEG_TIMEUTIL_H

#include <stdint.h>
#include <stddef.h>

int32_t	 tu_days_from_civil(int y, int m, int d);
void	 tu_civil_from_days(int32_t days, int *y, int *m, int *d);
int	 tu_days_in_month(int y, int m);
int	 tu_weekday(int32_t days);		/* 0 = Monday ... 6 = Sunday */

/* "YYYY-MM-DD" exactly; 0 on success. */
int	 tu_parse_date(const char *, size_t, int32_t *days);
/*
 * ISO 8601 date-time: "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z" or an
 * offset "+HH:MM"/"+HHMM"/"+HH" ("T" may also be a space).  When
 * require_zone is 0 a missing zone means UTC.  Stores UTC seconds.
 */
int	 tu_parse_datetime(const char *, size_t, int require_zone, int64_t *secs);

/*
 * The times reseg shows and schedules: years 0000 to 9999, as ISO 8601's
 * four-digit years.  Schedules compute no run past TU_MAX_SECS.
 */
#define TU_MIN_SECS	INT64_C(-62167219200)	/* 0000-01-01T00:00:00Z */
#define TU_MAX_SECS	INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */
#define TU_MIN_DAYS	(-719528)		/* 0000-01-01 */
#define TU_MAX_DAYS	2932896			/* 9999-12-31 */

/*
 * Formats into buf (at least 11 / 21 bytes); returns buf.  A time outside
 * years 0000 to 9999 is shown as the nearest end of that range (never a
 * five-digit year); callers keep inside it.
 */
char	*tu_format_date(int32_t days, char *buf);
char	*tu_format_datetime(int64_t secs, char *buf);	/* 2026-11-28T21:00:00Z */

/*
 * Instant t as seen at `now`, as htop and tig show times: "just now"
 * within a minute, then "in 25 min" / "25 min ago" (rounded to the
 * minute) below an hour, "in 3 h" / "3 h ago" below a day (rounded to
 * the hour: 23.5 hours is "1 d"), "in 2 d" / "2 d ago" (rounded to the
 * day) below six and a half days.  Translated with the plural forms of
 * the language.  Returns buf, or NULL when t is farther away, to be
 * shown as an absolute time.
 */
char	*tu_format_relative(int64_t t, int64_t now, char *buf, size_t len);
#define TU_RELATIVE_DAYS	7	/* relative below this many days */

/*
 * The one clock of the process, read by the engine, the scheduler loop
 * and the UI alike: monotonic milliseconds and wall seconds (UTC).  By
 * default the system's; engine_init() starts it at RESEG_NOW, and tests
 * inject their own with tu_set_clock (NULL restores the system's).
 */
struct tu_clock {
	int64_t	(*mono_ms)(void *arg);
	int64_t	(*wall)(void *arg);
	void	*arg;
};
void	 tu_set_clock(const struct tu_clock *);
/*
 * A clock that reads `at` (wall seconds): fixed, or, when running,
 * moving on with the monotonic clock from now on.
 */
void	 tu_clock_start(int64_t at, int running);
int64_t	 tu_now(void);		/* wall seconds */
int64_t	 tu_now_ms(void);	/* wall milliseconds */
int64_t	 tu_mono_ms(void);	/* monotonic milliseconds */

#define TU_DATE_BUF	11
#define TU_DATETIME_BUF	21

#endif
