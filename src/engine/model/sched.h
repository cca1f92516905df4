/*
 * Schedules (README, "Schedules and the scheduler"): the model, its text form ("weekly on mon,thu at
 * 02:30 America/New_York until 2027-01-31"), its JSON form, and the next
 * run time.  The recurrence arithmetic is reseg's own; UTC offsets come
 * from GLib's GTimeZone (tz.c).
 */
#ifndef RESEG_SCHED_H
#define RESEG_SCHED_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "timeutil.h"

enum sched_freq {
	SCHED_DAILY,		/* every `interval` days */
	SCHED_ONCE,		/* on `once_date` */
	SCHED_WEEKLY,		/* on `weekdays` (every `interval` weeks) */
	SCHED_MONTHLY,		/* on `monthdays` and/or the last day */
	SCHED_HOURLY		/* every `interval` hours from the start time */
};

/* The dates a schedule may name (until, starting, once on): 1970 to 9999. */
#define SCHED_MIN_DAY	0		/* 1970-01-01 */
#define SCHED_MAX_DAY	TU_MAX_DAYS	/* 9999-12-31 */

struct sched {
	char		 tz[64];	/* IANA name, validated */
	int		 hour, minute;	/* start time, local */
	enum sched_freq	 freq;
	int		 interval;	/* N of "every N days/hours"; 1 otherwise */
	uint8_t		 weekdays;	/* bit 0 = Monday ... bit 6 = Sunday */
	uint32_t	 monthdays;	/* bit d (1..31) = day d of month */
	int		 last_day;	/* monthly: also the last day of month */
	int32_t		 once_date;	/* SCHED_ONCE: days since epoch */
	int32_t		 anchor;	/* day "every N days" counts from; the day
					   whose start time "every N hours" passes */
	int32_t		 until;		/* deactivate after this local day; -1 none */
};

/* Parses the text form; *cause says what is wrong and where. */
int	 sched_parse(const char *text, int64_t now, struct sched *, char **cause);
/*
 * The same without refusing a past `until`: for a definition read back
 * (segment load), whose schedule seg_validate checks against now only
 * when it is new or changed.
 */
int	 sched_parse_stored(const char *text, int64_t now, struct sched *,
	    char **cause);
/* The canonical text form (caller frees); parsing it gives the same sched. */
char	*sched_format(const struct sched *);
cJSON	*sched_to_json(const struct sched *);
int	 sched_from_json(const cJSON *, struct sched *, char **cause);
/* Checks ranges, the zone name, and that `until` is not before today. */
int	 sched_validate(const struct sched *, int64_t now, char **cause);
/*
 * Whether two schedules give the same runs: every field the same, and the
 * anchor too where it matters (as the text form: sched_format).
 */
int	 sched_equal(const struct sched *, const struct sched *);
/*
 * 0 when the schedule has a run after now; -1 with *cause otherwise ("the
 * schedule has no run after now (once on 2026-11-01 at 10:00 UTC is
 * past)": a past "once", or an `until` with no slot left).
 */
int	 sched_check_runs(const struct sched *, int64_t now, char **cause);
/*
 * -1 with *cause when the schedule's next run after `after` would come
 * past 9999-12-31T23:59:59Z (TU_MAX_SECS), where runs are no longer
 * computed: sched_next then answers "no run" as for an ended schedule.
 * 0 otherwise.
 */
int	 sched_past_limit(const struct sched *, int64_t after, char **cause);

/*
 * The first run time strictly after `after` (UTC seconds).  Returns 0 and
 * sets *next, or 1 when the schedule has no run after `after` (a past
 * "once", or past "until"), or -1 with *cause (unknown zone).
 */
int	 sched_next(const struct sched *, int64_t after, int64_t *next,
	    char **cause);

/*
 * The latest run time at or before `at`: 0 and *prev, 1 when there is
 * none (before the first run), -1 with *cause.  The scheduler uses it to
 * find the latest missed slot (catch-up).
 */
int	 sched_prev(const struct sched *, int64_t at, int64_t *prev,
	    char **cause);

#endif
