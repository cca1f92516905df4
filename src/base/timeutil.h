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

/* Formats into buf (at least 11 / 21 bytes); returns buf. */
char	*tu_format_date(int32_t days, char *buf);
char	*tu_format_datetime(int64_t secs, char *buf);	/* 2026-11-28T21:00:00Z */

/*
 * "Now" for every command: RESEG_NOW (ISO 8601) when set, else the clock.
 * Tests may also inject a clock with tu_set_clock (NULL restores).
 */
int64_t	 tu_now(void);
void	 tu_set_clock(int64_t (*clock)(void));
/* Returns -1 with *cause when RESEG_NOW is set but malformed. */
int	 tu_check_env(char **cause);

#define TU_DATE_BUF	11
#define TU_DATETIME_BUF	21

#endif
