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

/* The abbreviation in force at the instant: "MSK", "EST", "+03". */
const char *tz_abbrev(const struct tz *, int64_t utc);
/*
 * The local wall time and its abbreviation, "2026-12-03 14:50 MSK", into
 * buf (TZ_TIME_BUF bytes); returns buf.  Years outside 0000 to 9999 are
 * shown as the nearest end, as tu_format_datetime does.
 */
char	*tz_format(const struct tz *, int64_t utc, char *buf, size_t len);
#define TZ_TIME_BUF	48

/*
 * The machine's zone as a canonical name: TZ (a name, ":name" or a path
 * into the database), else the link /etc/localtime, else /etc/timezone;
 * an alias is followed to its zone and UTC's aliases give "UTC".  NULL
 * when none of them names a zone of the database.  Caller frees.
 */
char	*tz_machine(void);

/*
 * The canonical zones of the system database, sorted, NULL-ended: the
 * zones of tzdata.zi (else zone1970.tab, else zone.tab) that are places
 * (Region/City), and "UTC"; never the backward-compatible links
 * (US/Eastern, Asia/Calcutta), which tz_open still accepts.
 */
char	**tz_list_all(void);
void	 tz_list_free(char **);
/* The zone an alias links to ("US/Eastern": "America/New_York"), or a
 * copy of name; UTC's aliases give "UTC".  Caller frees. */
char	*tz_canonical(const char *name);

/*
 * The timezone picker's rows: the machine's zone (machine, may be NULL),
 * then the recently used zones (most recent first, without repeats),
 * then every zone of tz_list_all grouped by region (Africa, America,
 * ...); each with its group heading and a label of the name, the UTC
 * offset and the abbreviation in force at `now`.
 */
struct tz_entry {
	char	*name;		/* "America/New_York" */
	char	*group;		/* "America", "This machine", ... */
	char	*label;		/* "America/New_York  UTC-05:00  EST" */
};
struct tz_entry *tz_picker_list(int64_t now, const char *machine,
	    const char *const *recent, size_t nrecent, size_t *n);
void	 tz_picker_free(struct tz_entry *, size_t n);
/*
 * Whether filter matches name: anywhere in it, ignoring ASCII case, a
 * blank matching '_' ("new york" finds America/New_York).
 */
int	 tz_match(const char *name, const char *filter);

#endif
