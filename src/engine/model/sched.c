/*
 * Schedules (README, "Schedules and the scheduler").  A schedule names local dates (every N days from an
 * anchor, weekdays, days of month, one date) and a local time on them;
 * each date gives one instant through tz_local_to_utc, which applies the
 * gap and overlap rules.  "Every N hours" is the exception: its runs are
 * N hours of real elapsed time apart, on a grid through the start time on
 * the anchor day (before it as well as after).
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sched.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

#define SCHED_MAX_DAYS		3650	/* every N days */
#define SCHED_MAX_WEEKS		520
#define SCHED_MAX_HOURS		8760
/* Dates scanned for one answer: enough for every 520 weeks and a 31st. */
#define SCHED_SCAN_DAYS		(7 * SCHED_MAX_WEEKS + 400)

static int	sched_next_before(const struct sched *, int64_t, int64_t,
		    int64_t *, char **);

static const char *const sched_wdays[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};
static const char *const sched_wdays_long[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};
static const char *const sched_freq_names[] = {
	"daily", "once", "weekly", "monthly", "hourly"
};

/* ------------------------------------------------------------------ */
/* Text form                                                            */
/* ------------------------------------------------------------------ */

static int sched_on_date(const struct sched *, int32_t);
static int sched_check_shape(const struct sched *, char **);

struct sched_lex {
	char	*copy;		/* the text, commas glued to their neighbours */
	char	**tok;
	size_t	 ntok, pos;
};

static int
sched_tokeq(const char *tok, const char *word)
{
	for (; *tok != '\0' && *word != '\0'; tok++, word++)
		if (tolower((unsigned char)*tok) != *word)
			return 0;
	return *tok == '\0' && *word == '\0';
}

static void
sched_lex_init(struct sched_lex *lx, const char *text)
{
	size_t len = strlen(text), i, j = 0;
	char *p, *save = NULL;

	/* "mon, thu" and "1 ,15" are one list: drop blanks next to commas. */
	lx->copy = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)text[i])) {
			size_t k = i;

			while (k < len && isspace((unsigned char)text[k]))
				k++;
			if ((k < len && text[k] == ',') ||
			    (j > 0 && lx->copy[j - 1] == ',')) {
				i = k - 1;
				continue;
			}
		}
		lx->copy[j++] = text[i];
	}
	lx->copy[j] = '\0';
	lx->tok = xcalloc(j / 2 + 2, sizeof *lx->tok);
	lx->ntok = lx->pos = 0;
	for (p = strtok_r(lx->copy, " \t\r\n\f\v", &save); p != NULL;
	    p = strtok_r(NULL, " \t\r\n\f\v", &save))
		lx->tok[lx->ntok++] = p;
}

static void
sched_lex_free(struct sched_lex *lx)
{
	free(lx->tok);
	free(lx->copy);
}

static const char *
sched_peek(struct sched_lex *lx)
{
	return lx->pos < lx->ntok ? lx->tok[lx->pos] : NULL;
}

static const char *
sched_take(struct sched_lex *lx)
{
	return lx->pos < lx->ntok ? lx->tok[lx->pos++] : NULL;
}

static int
sched_accept(struct sched_lex *lx, const char *word)
{
	const char *t = sched_peek(lx);

	if (t != NULL && sched_tokeq(t, word)) {
		lx->pos++;
		return 1;
	}
	return 0;
}

static int
sched_expect(struct sched_lex *lx, const char *word, const char *after,
    char **cause)
{
	const char *t = sched_peek(lx);

	if (sched_accept(lx, word))
		return 0;
	if (t == NULL)
		return error_set(cause, _("schedule: expected '%s' after '%s', "
		    "found the end of the text"), word, after);
	return error_set(cause, _("schedule: expected '%s' after '%s', found "
	    "'%s'"), word, after, t);
}

static int
sched_parse_time(const char *t, int *hour, int *minute, char **cause)
{
	int h, m;

	if (t == NULL)
		return error_set(cause, _("schedule: the time (HH:MM) is "
		    "missing"));
	if (strlen(t) == 5 && isdigit((unsigned char)t[0]) &&
	    isdigit((unsigned char)t[1]) && t[2] == ':' &&
	    isdigit((unsigned char)t[3]) && isdigit((unsigned char)t[4])) {
		h = (t[0] - '0') * 10 + (t[1] - '0');
		m = (t[3] - '0') * 10 + (t[4] - '0');
		if (h <= 23 && m <= 59) {
			*hour = h;
			*minute = m;
			return 0;
		}
	}
	return error_set(cause, _("invalid time '%s' (expected HH:MM from "
	    "00:00 to 23:59)"), t);
}

/*
 * Schedule dates are 1970-01-01 to 9999-12-31: before 1970 a zone's
 * offsets are local mean times (odd seconds) and -1 is "no until", and
 * no run is computed after 9999.
 */
static int
sched_date_range(int32_t day, const char *what, char **cause)
{
	char buf[TU_DATE_BUF];

	if (day >= SCHED_MIN_DAY && day <= SCHED_MAX_DAY)
		return 0;
	return error_set(cause, _("the %s date %s is out of range (1970-01-01 "
	    "to 9999-12-31)"), what, tu_format_date(day, buf));
}

static int
sched_parse_datetok(const char *t, const char *what, int32_t *day,
    char **cause)
{
	if (t == NULL)
		return error_set(cause, _("schedule: the %s date (YYYY-MM-DD) "
		    "is missing"), what);
	if (tu_parse_date(t, strlen(t), day) != 0)
		return error_set(cause, _("invalid %s date '%s' (expected a "
		    "real date as YYYY-MM-DD)"), what, t);
	return sched_date_range(*day, what, cause);
}

static int
sched_parse_count(const char *t, const char *unit, int max, int *n,
    char **cause)
{
	int64_t v;

	if (t == NULL || parse_int64(t, strlen(t), &v) != 0 || v < 1 ||
	    v > max)
		return error_set(cause, _("invalid interval '%s' (expected "
		    "every 1 to %d %s)"), t != NULL ? t : "", max, unit);
	*n = (int)v;
	return 0;
}

static int
sched_parse_weekdays(const char *t, uint8_t *set, char **cause)
{
	char *copy, *p, *save = NULL;
	int i, rc = 0;

	*set = 0;
	if (t == NULL || sched_tokeq(t, "at"))
		return error_set(cause, _("a weekly schedule needs at least "
		    "one weekday (mon, tue, wed, thu, fri, sat, sun)"));
	copy = xstrdup(t);
	for (p = strtok_r(copy, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < 7; i++)
			if (sched_tokeq(p, sched_wdays[i]) ||
			    sched_tokeq(p, sched_wdays_long[i]))
				break;
		if (i == 7) {
			rc = error_set(cause, _("invalid weekday '%s' (expected "
			    "mon, tue, wed, thu, fri, sat or sun)"), p);
			break;
		}
		*set |= (uint8_t)(1u << i);
	}
	free(copy);
	if (rc == 0 && *set == 0)
		return error_set(cause, _("a weekly schedule needs at least "
		    "one weekday (mon, tue, wed, thu, fri, sat, sun)"));
	return rc;
}

static int
sched_parse_monthdays(const char *t, uint32_t *set, int *last, char **cause)
{
	char *copy, *p, *save = NULL;
	int64_t v;
	int rc = 0;

	*set = 0;
	*last = 0;
	if (t == NULL || sched_tokeq(t, "at"))
		return error_set(cause, _("a monthly schedule needs at least "
		    "one day of month (1 to 31 or 'last')"));
	copy = xstrdup(t);
	for (p = strtok_r(copy, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (sched_tokeq(p, "last")) {
			*last = 1;
			continue;
		}
		if (parse_int64(p, strlen(p), &v) != 0 || v < 1 || v > 31) {
			rc = error_set(cause, _("invalid day of month '%s' "
			    "(expected 1 to 31 or 'last')"), p);
			break;
		}
		*set |= 1u << v;
	}
	free(copy);
	if (rc == 0 && *set == 0 && !*last)
		return error_set(cause, _("a monthly schedule needs at least "
		    "one day of month (1 to 31 or 'last')"));
	return rc;
}

static void
sched_clear(struct sched *s)
{
	memset(s, 0, sizeof *s);
	strcpy(s->tz, "UTC");
	s->interval = 1;
	s->until = -1;
}

/* Reads the frequency part, up to and including "at HH:MM" / "from HH:MM". */
static int
sched_parse_freq(struct sched_lex *lx, struct sched *s, char **cause)
{
	const char *t = sched_take(lx), *n, *unit;

	if (t == NULL)
		return error_set(cause, _("the schedule is empty"));
	if (sched_tokeq(t, "daily")) {
		s->freq = SCHED_DAILY;
	} else if (sched_tokeq(t, "weekly")) {
		s->freq = SCHED_WEEKLY;
		if (!sched_accept(lx, "on"))
			return sched_parse_weekdays(NULL, &s->weekdays, cause);
		if (sched_parse_weekdays(sched_peek(lx), &s->weekdays,
		    cause) != 0)
			return -1;
		lx->pos++;
	} else if (sched_tokeq(t, "monthly")) {
		s->freq = SCHED_MONTHLY;
		if (!sched_accept(lx, "on"))
			return sched_parse_monthdays(NULL, &s->monthdays,
			    &s->last_day, cause);
		if (sched_parse_monthdays(sched_peek(lx), &s->monthdays,
		    &s->last_day, cause) != 0)
			return -1;
		lx->pos++;
	} else if (sched_tokeq(t, "once")) {
		s->freq = SCHED_ONCE;
		if (sched_expect(lx, "on", "once", cause) != 0)
			return -1;
		if (sched_parse_datetok(sched_take(lx), "once", &s->once_date,
		    cause) != 0)
			return -1;
	} else if (sched_tokeq(t, "every")) {
		n = sched_peek(lx);
		if (n != NULL && isdigit((unsigned char)n[0])) {
			lx->pos++;
			unit = sched_take(lx);
		} else {
			unit = sched_take(lx);
			n = "1";
		}
		if (unit != NULL && (sched_tokeq(unit, "day") ||
		    sched_tokeq(unit, "days"))) {
			s->freq = SCHED_DAILY;
			if (sched_parse_count(n, "days", SCHED_MAX_DAYS,
			    &s->interval, cause) != 0)
				return -1;
		} else if (unit != NULL && (sched_tokeq(unit, "week") ||
		    sched_tokeq(unit, "weeks"))) {
			s->freq = SCHED_WEEKLY;
			if (sched_parse_count(n, "weeks", SCHED_MAX_WEEKS,
			    &s->interval, cause) != 0)
				return -1;
			if (!sched_accept(lx, "on"))
				return sched_parse_weekdays(NULL, &s->weekdays,
				    cause);
			if (sched_parse_weekdays(sched_peek(lx), &s->weekdays,
			    cause) != 0)
				return -1;
			lx->pos++;
		} else if (unit != NULL && (sched_tokeq(unit, "hour") ||
		    sched_tokeq(unit, "hours"))) {
			s->freq = SCHED_HOURLY;
			if (sched_parse_count(n, "hours", SCHED_MAX_HOURS,
			    &s->interval, cause) != 0)
				return -1;
			if (sched_expect(lx, "from", "hours", cause) != 0)
				return -1;
			return sched_parse_time(sched_take(lx), &s->hour,
			    &s->minute, cause);
		} else
			return error_set(cause, _("schedule: expected 'days', "
			    "'weeks' or 'hours' after 'every %s', found '%s'"),
			    n, unit != NULL ? unit : "");
	} else
		return error_set(cause, _("schedule: unknown frequency '%s' "
		    "(expected daily, every N days, weekly on, every N weeks "
		    "on, monthly on, once on or every N hours from)"), t);
	if (sched_expect(lx, "at", sched_freq_names[s->freq], cause) != 0)
		return -1;
	return sched_parse_time(sched_take(lx), &s->hour, &s->minute, cause);
}

/*
 * The day "every N days/weeks" counts from when none is written: the day
 * of the nearest run after saving, as if N were 1 ("every 3 days at
 * 06:30" saved at noon first runs tomorrow at 06:30, then every third
 * day; "every 2 weeks on fri" saved on a Saturday first runs the next
 * Friday).  "Every N hours" is pinned to the next occurrence of the start
 * time after saving: its grid of runs passes through it (and through the
 * points N hours apart before it, so the first run is the earliest of
 * them after saving).  Other frequencies count from the day of saving.
 */
static int32_t
sched_first_day(const struct sched *s, const struct tz *tz, int64_t now)
{
	struct sched one = *s;
	int32_t today = tz_local_date(tz, now), d;
	int secs = s->hour * 3600 + s->minute * 60;

	/*
	 * From yesterday: a time shifted by a gap may fall after midnight.
	 * Saved at 07:50, "every 7 hours from 08:00" is pinned to 08:00
	 * today; saved at 08:10, to 08:00 tomorrow.
	 */
	if (s->freq == SCHED_HOURLY) {
		for (d = today - 1; d < today + 2; d++)
			if (tz_local_to_utc(tz, d, secs) > now)
				return d;
		return today + 2;
	}
	if ((s->freq != SCHED_DAILY && s->freq != SCHED_WEEKLY) ||
	    s->interval == 1)
		return today;
	one.interval = 1;
	one.anchor = today;
	for (d = today; d <= today + 7; d++)
		if (sched_on_date(&one, d) && tz_local_to_utc(tz, d, secs) > now)
			return d;
	return today;
}

static int
sched_parse_at(const char *text, int64_t now, int check_until,
    struct sched *s, char **cause)
{
	struct sched_lex lx;
	struct sched tmp;
	struct tz *tz;
	const char *t;
	int rc = -1, has_until = 0, has_anchor = 0;

	sched_clear(&tmp);
	sched_lex_init(&lx, text != NULL ? text : "");
	if (sched_parse_freq(&lx, &tmp, cause) != 0)
		goto out;
	t = sched_peek(&lx);
	if (t != NULL && !sched_tokeq(t, "until") &&
	    !sched_tokeq(t, "starting")) {
		if ((tz = tz_open(t, cause)) == NULL)
			goto out;
		tz_close(tz);
		snprintf(tmp.tz, sizeof tmp.tz, "%s", t);
		lx.pos++;
	}
	/* "until D" and "starting D" (the anchor), each once, either order. */
	for (;;) {
		if (!has_until && sched_accept(&lx, "until")) {
			if (sched_parse_datetok(sched_take(&lx), "until",
			    &tmp.until, cause) != 0)
				goto out;
			has_until = 1;
		} else if (!has_anchor && sched_accept(&lx, "starting")) {
			if (sched_parse_datetok(sched_take(&lx), "starting",
			    &tmp.anchor, cause) != 0)
				goto out;
			has_anchor = 1;
		} else
			break;
	}
	if ((t = sched_peek(&lx)) != NULL) {
		error_set(cause, _("schedule: unexpected '%s' after the end "
		    "of the schedule"), t);
		goto out;
	}
	if (tmp.freq == SCHED_ONCE)
		tmp.anchor = tmp.once_date;
	else if (!has_anchor) {
		if ((tz = tz_open(tmp.tz, cause)) == NULL)
			goto out;
		tmp.anchor = sched_first_day(&tmp, tz, now);
		tz_close(tz);
	}
	if (check_until ? sched_validate(&tmp, now, cause) != 0 :
	    sched_check_shape(&tmp, cause) != 0)
		goto out;
	*s = tmp;
	rc = 0;
out:
	sched_lex_free(&lx);
	return rc;
}

int
sched_parse(const char *text, int64_t now, struct sched *s, char **cause)
{
	return sched_parse_at(text, now, 1, s, cause);
}

int
sched_parse_stored(const char *text, int64_t now, struct sched *s,
    char **cause)
{
	return sched_parse_at(text, now, 0, s, cause);
}

static void
sched_format_days(struct strbuf *sb, const struct sched *s)
{
	const char *sep = "";
	int i;

	if (s->freq == SCHED_WEEKLY) {
		for (i = 0; i < 7; i++)
			if (s->weekdays & (1u << i)) {
				sb_printf(sb, "%s%s", sep, sched_wdays[i]);
				sep = ",";
			}
		return;
	}
	for (i = 1; i <= 31; i++)
		if (s->monthdays & (1u << i)) {
			sb_printf(sb, "%s%d", sep, i);
			sep = ",";
		}
	if (s->last_day)
		sb_printf(sb, "%slast", sep);
}

/*
 * Whether the day the schedule counts from changes its runs, so that the
 * text form must carry it ("starting D"): every N days or weeks (N > 1),
 * every N hours unless N divides a day in a zone whose offset does not
 * change (checked over two years from the anchor), and any anchor still
 * in the future (no run before it).
 */
static int
sched_anchor_matters(const struct sched *s)
{
	struct tz *tz;
	int64_t base;
	int32_t off;
	int k, rc = 0;

	if (s->freq == SCHED_ONCE)
		return 0;
	if ((s->freq == SCHED_DAILY || s->freq == SCHED_WEEKLY) &&
	    s->interval > 1)
		return 1;
	if ((tz = tz_open(s->tz, NULL)) == NULL)
		return 1;
	/*
	 * Every N hours runs on the grid on both sides of the pinned start
	 * time, so only the grid matters, not whether the pin is ahead.
	 */
	if (s->freq != SCHED_HOURLY && s->anchor > tz_local_date(tz, tu_now()))
		rc = 1;
	else if (s->freq == SCHED_HOURLY) {
		if (24 % s->interval != 0)
			rc = 1;
		/*
		 * The same offset around the anchor and around today: a day
		 * chosen at the next load gives the same grid.  An anchor far
		 * ahead, where the zone data has no more DST, or one before
		 * a zone changed its offset gives another.
		 */
		base = (int64_t)s->anchor * 86400;
		off = tz_offset(tz, base);
		for (k = 1; rc == 0 && k <= 2 * 52; k++)
			if (tz_offset(tz, base + (int64_t)k * 7 * 86400) != off)
				rc = 1;
		base = tu_now();
		for (k = 0; rc == 0 && k <= 2 * 52; k++)
			if (tz_offset(tz, base + (int64_t)k * 7 * 86400) != off)
				rc = 1;
	}
	tz_close(tz);
	return rc;
}

char *
sched_format(const struct sched *s)
{
	struct strbuf sb = STRBUF_INIT;
	char date[TU_DATE_BUF];

	switch (s->freq) {
	case SCHED_DAILY:
		if (s->interval == 1)
			sb_puts(&sb, "daily");
		else
			sb_printf(&sb, "every %d days", s->interval);
		break;
	case SCHED_ONCE:
		sb_printf(&sb, "once on %s", tu_format_date(s->once_date, date));
		break;
	case SCHED_WEEKLY:
		if (s->interval == 1)
			sb_puts(&sb, "weekly on ");
		else
			sb_printf(&sb, "every %d weeks on ", s->interval);
		sched_format_days(&sb, s);
		break;
	case SCHED_MONTHLY:
		sb_puts(&sb, "monthly on ");
		sched_format_days(&sb, s);
		break;
	case SCHED_HOURLY:
		if (s->interval == 1)
			sb_puts(&sb, "every hour");
		else
			sb_printf(&sb, "every %d hours", s->interval);
		break;
	}
	sb_printf(&sb, " %s %02d:%02d %s", s->freq == SCHED_HOURLY ? "from" :
	    "at", s->hour, s->minute, s->tz[0] != '\0' ? s->tz : "UTC");
	if (s->until >= 0)
		sb_printf(&sb, " until %s", tu_format_date(s->until, date));
	if (sched_anchor_matters(s))
		sb_printf(&sb, " starting %s", tu_format_date(s->anchor, date));
	return sb_detach(&sb);
}

/* Everything but the dates that depend on "today". */
static int
sched_check_shape(const struct sched *s, char **cause)
{
	int max = 1;

	if (!tz_exists(s->tz))
		return error_set(cause, _("unknown timezone '%s': expected an "
		    "IANA name such as Europe/Berlin"), s->tz);
	if (s->hour < 0 || s->hour > 23 || s->minute < 0 || s->minute > 59)
		return error_set(cause, _("invalid time '%02d:%02d' (expected "
		    "HH:MM from 00:00 to 23:59)"), s->hour, s->minute);
	switch (s->freq) {
	case SCHED_DAILY:
		max = SCHED_MAX_DAYS;
		break;
	case SCHED_WEEKLY:
		max = SCHED_MAX_WEEKS;
		if ((s->weekdays & 0x7f) == 0)
			return error_set(cause, _("a weekly schedule needs at "
			    "least one weekday (mon, tue, wed, thu, fri, sat, "
			    "sun)"));
		break;
	case SCHED_MONTHLY:
		if ((s->monthdays & ~1u) == 0 && !s->last_day)
			return error_set(cause, _("a monthly schedule needs at "
			    "least one day of month (1 to 31 or 'last')"));
		break;
	case SCHED_HOURLY:
		max = SCHED_MAX_HOURS;
		break;
	case SCHED_ONCE:
		break;
	default:
		return error_set(cause, _("schedule: unknown frequency"));
	}
	if (s->interval < 1 || s->interval > max)
		return error_set(cause, _("invalid interval %d (expected 1 to "
		    "%d)"), s->interval, max);
	if ((s->freq == SCHED_ONCE &&
	    sched_date_range(s->once_date, "once", cause) != 0) ||
	    sched_date_range(s->anchor, "starting", cause) != 0 ||
	    (s->until != -1 && sched_date_range(s->until, "until",
	    cause) != 0))
		return -1;
	return 0;
}

/*
 * Same runs: the same canonical text, which carries the anchor only where
 * it changes the runs (a segment dumped and loaded again gets another
 * anchor, to no effect).
 */
int
sched_equal(const struct sched *a, const struct sched *b)
{
	char *ta, *tb;
	int eq;

	if (strcmp(a->tz, b->tz) != 0 || a->hour != b->hour ||
	    a->minute != b->minute || a->freq != b->freq ||
	    a->interval != b->interval || a->weekdays != b->weekdays ||
	    a->monthdays != b->monthdays || a->last_day != b->last_day ||
	    a->once_date != b->once_date || a->until != b->until)
		return 0;
	if (a->anchor == b->anchor)
		return 1;
	ta = sched_format(a);
	tb = sched_format(b);
	eq = strcmp(ta, tb) == 0;
	free(ta);
	free(tb);
	return eq;
}

int
sched_past_limit(const struct sched *s, int64_t after, char **cause)
{
	int64_t next;
	char *text;

	if (sched_next(s, after, &next, NULL) != 1 ||
	    sched_next_before(s, after, INT64_MAX, &next, NULL) != 0)
		return 0;
	text = sched_format(s);
	error_set(cause, _("the schedule has no run by 9999-12-31T23:59:59Z, "
	    "the last time reseg schedules (%s runs later)"), text);
	free(text);
	return -1;
}

int
sched_check_runs(const struct sched *s, int64_t now, char **cause)
{
	int64_t next;
	char *text;
	int rc;

	if ((rc = sched_next(s, now, &next, cause)) <= 0)
		return rc;
	if (sched_past_limit(s, now, cause) != 0)
		return -1;
	text = sched_format(s);
	error_set(cause, _("the schedule has no run after now (%s is past)"),
	    text);
	free(text);
	return -1;
}

int
sched_validate(const struct sched *s, int64_t now, char **cause)
{
	struct tz *tz;
	char d1[TU_DATE_BUF], d2[TU_DATE_BUF];
	int32_t today;

	if (sched_check_shape(s, cause) != 0)
		return -1;
	if ((tz = tz_open(s->tz, cause)) == NULL)
		return -1;
	today = tz_local_date(tz, now);
	tz_close(tz);
	if (s->until >= 0 && s->until < today)
		return error_set(cause, _("the until date %s (deactivate "
		    "after) is before today (%s in %s)"),
		    tu_format_date(s->until, d1),
		    tu_format_date(today, d2), s->tz);
	return 0;
}

/* ------------------------------------------------------------------ */
/* JSON form                                                            */
/* ------------------------------------------------------------------ */

cJSON *
sched_to_json(const struct sched *s)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char buf[TU_DATE_BUF], t[8];
	int i;

	cJSON_AddStringToObject(o, "tz", s->tz[0] != '\0' ? s->tz : "UTC");
	snprintf(t, sizeof t, "%02d:%02d", s->hour, s->minute);
	cJSON_AddStringToObject(o, "time", t);
	cJSON_AddStringToObject(o, "freq", sched_freq_names[s->freq]);
	cJSON_AddNumberToObject(o, "interval", s->interval);
	a = cJSON_AddArrayToObject(o, "weekdays");
	for (i = 0; i < 7; i++)
		if (s->weekdays & (1u << i))
			cJSON_AddItemToArray(a, cJSON_CreateString(sched_wdays[i]));
	a = cJSON_AddArrayToObject(o, "monthdays");
	for (i = 1; i <= 31; i++)
		if (s->monthdays & (1u << i))
			cJSON_AddItemToArray(a, cJSON_CreateNumber(i));
	if (s->last_day)
		cJSON_AddItemToArray(a, cJSON_CreateString("last"));
	if (s->freq == SCHED_ONCE)
		cJSON_AddStringToObject(o, "date", tu_format_date(s->once_date,
		    buf));
	cJSON_AddStringToObject(o, "anchor", tu_format_date(s->anchor, buf));
	if (s->until >= 0)
		cJSON_AddStringToObject(o, "until", tu_format_date(s->until,
		    buf));
	else
		cJSON_AddNullToObject(o, "until");
	return o;
}

static int
sched_json_date(const cJSON *o, const char *name, int32_t *day, int required,
    char **cause)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return error_set(cause, _("schedule JSON: '%s' is "
			    "missing"), name);
		return 1;
	}
	if (!cJSON_IsString(v) || tu_parse_date(v->valuestring,
	    strlen(v->valuestring), day) != 0)
		return error_set(cause, _("schedule JSON: '%s' must be a date "
		    "(YYYY-MM-DD)"), name);
	/* Named as the text form names them. */
	return sched_date_range(*day, strcmp(name, "date") == 0 ? "once" :
	    strcmp(name, "anchor") == 0 ? "starting" : name, cause);
}

int
sched_from_json(const cJSON *o, struct sched *s, char **cause)
{
	const cJSON *v, *e;
	struct sched tmp;
	int i, rc;

	sched_clear(&tmp);
	if (!cJSON_IsObject(o))
		return error_set(cause, _("schedule JSON: expected an object"));
	v = cJSON_GetObjectItemCaseSensitive(o, "tz");
	if (v != NULL && !cJSON_IsNull(v)) {
		if (!cJSON_IsString(v) || !tz_exists(v->valuestring) ||
		    strlen(v->valuestring) >= sizeof tmp.tz)
			return error_set(cause, _("unknown timezone '%s': "
			    "expected an IANA name such as Europe/Berlin"),
			    cJSON_IsString(v) ? v->valuestring : "");
		snprintf(tmp.tz, sizeof tmp.tz, "%s", v->valuestring[0] ?
		    v->valuestring : "UTC");
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "time");
	if (!cJSON_IsString(v) || sched_parse_time(v->valuestring, &tmp.hour,
	    &tmp.minute, cause) != 0)
		return error_set(cause, _("schedule JSON: 'time' must be "
		    "HH:MM"));
	v = cJSON_GetObjectItemCaseSensitive(o, "freq");
	for (i = 0; i < 5; i++)
		if (cJSON_IsString(v) &&
		    strcmp(v->valuestring, sched_freq_names[i]) == 0)
			break;
	if (i == 5)
		return error_set(cause, _("schedule JSON: 'freq' must be "
		    "daily, once, weekly, monthly or hourly"));
	tmp.freq = (enum sched_freq)i;
	v = cJSON_GetObjectItemCaseSensitive(o, "interval");
	if (v != NULL) {
		if (!cJSON_IsNumber(v) || v->valuedouble != (double)v->valueint)
			return error_set(cause, _("schedule JSON: 'interval' "
			    "must be a whole number"));
		tmp.interval = v->valueint;
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "weekdays")) {
		for (i = 0; i < 7; i++)
			if (cJSON_IsString(e) &&
			    strcmp(e->valuestring, sched_wdays[i]) == 0)
				break;
		if (i == 7)
			return error_set(cause, _("schedule JSON: 'weekdays' "
			    "holds something other than mon ... sun"));
		tmp.weekdays |= (uint8_t)(1u << i);
	}
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "monthdays")) {
		if (cJSON_IsString(e) && strcmp(e->valuestring, "last") == 0)
			tmp.last_day = 1;
		else if (cJSON_IsNumber(e) && e->valueint >= 1 &&
		    e->valueint <= 31 && e->valuedouble == (double)e->valueint)
			tmp.monthdays |= 1u << e->valueint;
		else
			return error_set(cause, _("schedule JSON: 'monthdays' "
			    "holds something other than 1 ... 31 or \"last\""));
	}
	if (sched_json_date(o, "date", &tmp.once_date,
	    tmp.freq == SCHED_ONCE, cause) < 0)
		return -1;
	if ((rc = sched_json_date(o, "anchor", &tmp.anchor, 0, cause)) < 0)
		return -1;
	if (rc == 1 && tmp.freq == SCHED_ONCE)
		tmp.anchor = tmp.once_date;
	if ((rc = sched_json_date(o, "until", &tmp.until, 0, cause)) < 0)
		return -1;
	if (rc == 1)
		tmp.until = -1;
	/* Stored schedules may be past their dates; only the shape is checked. */
	if (sched_check_shape(&tmp, cause) != 0)
		return -1;
	*s = tmp;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Next and previous run                                                */
/* ------------------------------------------------------------------ */

static int32_t
sched_week_of(int32_t day)
{
	return day - tu_weekday(day);
}

static int64_t
sched_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Whether the schedule runs on local date d (dates only, not "until"). */
static int
sched_on_date(const struct sched *s, int32_t d)
{
	int y, m, dd;

	if (s->freq == SCHED_ONCE)
		return d == s->once_date;
	if (d < s->anchor)
		return 0;
	switch (s->freq) {
	case SCHED_DAILY:
		return (d - s->anchor) % s->interval == 0;
	case SCHED_WEEKLY:
		if ((s->weekdays & (1u << tu_weekday(d))) == 0)
			return 0;
		return ((sched_week_of(d) - sched_week_of(s->anchor)) / 7) %
		    s->interval == 0;
	case SCHED_MONTHLY:
		tu_civil_from_days(d, &y, &m, &dd);
		if (s->monthdays & (1u << dd))
			return 1;
		return s->last_day && dd == tu_days_in_month(y, m);
	default:
		return 0;
	}
}

/*
 * The first instant after the deactivate-after day, or limit if that
 * comes first: runs are computed up to TU_MAX_SECS only, so that every
 * run time has a four-digit year.
 */
static int64_t
sched_end(const struct sched *s, const struct tz *tz, int64_t limit)
{
	int64_t end;

	if (s->until < 0)
		return limit;
	end = tz_local_to_utc(tz, s->until + 1, 0);
	return end < limit ? end : limit;
}

/* sched_next, with runs at or after limit left out. */
static int
sched_next_before(const struct sched *s, int64_t after, int64_t limit,
    int64_t *next, char **cause)
{
	struct tz *tz;
	int64_t base, step, k, u, end;
	int32_t d, last;
	int secs = s->hour * 3600 + s->minute * 60, rc = 1;

	if ((tz = tz_open(s->tz, cause)) == NULL)
		return -1;
	end = sched_end(s, tz, limit);
	if (s->freq == SCHED_HOURLY) {
		base = tz_local_to_utc(tz, s->anchor, secs);
		step = (int64_t)s->interval * 3600;
		k = sched_floor_div(after - base, step) + 1;
		u = base + k * step;
		if (u < end) {
			*next = u;
			rc = 0;
		}
		goto out;
	}
	/* The local date of `after` less one: a shifted time may cross midnight. */
	d = tz_local_date(tz, after) - 1;
	if (s->freq == SCHED_ONCE)
		d = d < s->once_date ? s->once_date : d;
	else if (d < s->anchor)
		d = s->anchor;
	last = d + SCHED_SCAN_DAYS;
	if (s->until >= 0 && last > s->until)
		last = s->until;
	if (s->freq == SCHED_ONCE && last > s->once_date)
		last = s->once_date;
	for (; d <= last; d++) {
		if (s->freq == SCHED_DAILY && s->interval > 1 &&
		    (d - s->anchor) % s->interval != 0)
			d += s->interval - (d - s->anchor) % s->interval;
		if (d > last)
			break;
		if (!sched_on_date(s, d))
			continue;
		u = tz_local_to_utc(tz, d, secs);
		if (u > after && u < end) {
			*next = u;
			rc = 0;
			goto out;
		}
	}
out:
	tz_close(tz);
	return rc;
}

int
sched_next(const struct sched *s, int64_t after, int64_t *next, char **cause)
{
	return sched_next_before(s, after, TU_MAX_SECS + 1, next, cause);
}

int
sched_prev(const struct sched *s, int64_t at, int64_t *prev, char **cause)
{
	struct tz *tz;
	int64_t base, step, u, end, lim;
	int32_t d, first;
	int secs = s->hour * 3600 + s->minute * 60, rc = 1;

	if ((tz = tz_open(s->tz, cause)) == NULL)
		return -1;
	end = sched_end(s, tz, TU_MAX_SECS + 1);
	if (s->freq == SCHED_HOURLY) {
		base = tz_local_to_utc(tz, s->anchor, secs);
		step = (int64_t)s->interval * 3600;
		lim = at < end - 1 ? at : end - 1;
		*prev = base + sched_floor_div(lim - base, step) * step;
		rc = 0;
		goto out;
	}
	d = tz_local_date(tz, at) + 1;
	if (s->until >= 0 && d > s->until)
		d = s->until;
	first = s->freq == SCHED_ONCE ? s->once_date : s->anchor;
	if (first < d - SCHED_SCAN_DAYS)
		first = d - SCHED_SCAN_DAYS;
	for (; d >= first; d--) {
		if (!sched_on_date(s, d))
			continue;
		u = tz_local_to_utc(tz, d, secs);
		if (u <= at && u < end) {
			*prev = u;
			rc = 0;
			goto out;
		}
	}
out:
	tz_close(tz);
	return rc;
}
