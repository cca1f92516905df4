/*
 * IANA timezones through GLib's GTimeZone: validation, UTC offsets, and
 * local wall time to UTC with the DST rules of README, "Schedules and the scheduler" (a time in a gap
 * moves forward by the gap; a time that occurs twice means the first).
 */
#ifndef RESEG_TZ_H
#define RESEG_TZ_H

#include <stdint.h>

struct tz;

/* NULL, "" and "UTC" give UTC.  An unknown name is refused, never UTC. */
struct tz *tz_open(const char *name, char **cause);
void	 tz_close(struct tz *);
const char *tz_name(const struct tz *);
int	 tz_exists(const char *name);

/* Seconds east of UTC in force at the instant. */
int32_t	 tz_offset(const struct tz *, int64_t utc);
/* The local calendar date (days since epoch) of the instant. */
int32_t	 tz_local_date(const struct tz *, int64_t utc);
/* Local date + seconds into that day, to UTC (gap: forward; overlap: first). */
int64_t	 tz_local_to_utc(const struct tz *, int32_t date, int secs_of_day);

/* Every zone name of the system database, sorted (for pickers); NULL-ended. */
char	**tz_list_all(void);
void	 tz_list_free(char **);

#endif
