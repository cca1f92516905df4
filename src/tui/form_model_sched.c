/*
 * The schedule fields of the segment form's model: filled from a saved
 * schedule, written as the schedule's text form (README, "Schedules and
 * the scheduler") and parsed and validated by the engine (sched_parse_stored,
 * sched_validate, sched_check_runs); a cause is put next to the field it
 * most likely comes from.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_model.h"
#include "form_model_int.h"
#include "i18n.h"
#include "sched.h"
#include "timeutil.h"
#include "tz.h"
#include "util.h"

static const char *fm_weekday_names[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

/* The schedule fields from a saved schedule. */
void
fm_sched_from(struct form_model *fm, const struct sched *sc)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 buf[64];
	int		 d;

	snprintf(buf, sizeof buf, "%02d:%02d", sc->hour, sc->minute);
	fm_set_text(fm, FM_TIME, buf);
	fm_set_text(fm, FM_TZ, sc->tz[0] != '\0' ? sc->tz : "UTC");
	fm->freq = sc->freq;
	snprintf(buf, sizeof buf, "%d", sc->interval > 0 ? sc->interval : 1);
	fm_set_text(fm, FM_INTERVAL, buf);
	if (sc->freq == SCHED_ONCE)
		fm_set_text(fm, FM_ONCE, tu_format_date(sc->once_date, buf));
	for (d = 0; d < 7; d++)
		if (sc->weekdays & (1u << d)) {
			if (sb.len > 0)
				sb_putc(&sb, ',');
			sb_puts(&sb, fm_weekday_names[d]);
		}
	sb_puts(&sb, "");
	fm_set_text(fm, FM_WEEKDAYS, sb.buf);
	sb_reset(&sb);
	for (d = 1; d <= 31; d++)
		if (sc->monthdays & (1u << d)) {
			if (sb.len > 0)
				sb_putc(&sb, ',');
			sb_printf(&sb, "%d", d);
		}
	if (sc->last_day) {
		if (sb.len > 0)
			sb_putc(&sb, ',');
		sb_puts(&sb, "last");
	}
	sb_puts(&sb, "");
	fm_set_text(fm, FM_MONTHDAYS, sb.buf);
	sb_free(&sb);
	if (sc->until >= 0 && sc->until != 0)
		fm_set_text(fm, FM_UNTIL, tu_format_date(sc->until, buf));
}

/* ------------------------------------------------------------------ */
/* Schedule                                                             */
/* ------------------------------------------------------------------ */

char *
fm_sched_text(const struct form_model *fm)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		*time, *tz, *iv, *until, *list, buf[TU_DATE_BUF];
	int		 n1;

	if (!fm->sched_on)
		return NULL;
	time = fm_trim(fm_text(fm, FM_TIME));
	tz = fm_trim(fm_text(fm, FM_TZ));
	iv = fm_trim(fm_text(fm, FM_INTERVAL));
	until = fm_trim(fm_text(fm, FM_UNTIL));
	n1 = *iv == '\0' || strcmp(iv, "1") == 0;
	switch (fm->freq) {
	case SCHED_DAILY:
		if (n1)
			sb_printf(&sb, "daily at %s", time);
		else
			sb_printf(&sb, "every %s days at %s", iv, time);
		break;
	case SCHED_ONCE:
		list = fm_trim(fm_text(fm, FM_ONCE));
		sb_printf(&sb, "once on %s at %s", list, time);
		free(list);
		break;
	case SCHED_WEEKLY:
		list = fm_trim(fm_text(fm, FM_WEEKDAYS));
		for (char *p = list; *p != '\0'; p++)
			if (*p == ' ')
				*p = ',';
		if (n1)
			sb_printf(&sb, "weekly on %s at %s", list, time);
		else
			sb_printf(&sb, "every %s weeks on %s at %s", iv, list,
			    time);
		free(list);
		break;
	case SCHED_MONTHLY:
		list = fm_trim(fm_text(fm, FM_MONTHDAYS));
		for (char *p = list; *p != '\0'; p++)
			if (*p == ' ')
				*p = ',';
		sb_printf(&sb, "monthly on %s at %s", list, time);
		free(list);
		break;
	case SCHED_HOURLY:
		sb_printf(&sb, "every %s hours from %s", *iv != '\0' ? iv : "1",
		    time);
		break;
	}
	sb_printf(&sb, " %s", *tz != '\0' ? tz : "UTC");
	if (*until != '\0')
		sb_printf(&sb, " until %s", until);
	/* Editing keeps the day "every N" counts from. */
	if (fm->orig != NULL && fm->orig->has_sched &&
	    fm->orig->sched.freq == fm->freq && fm->freq != SCHED_ONCE &&
	    fm->orig->sched.anchor != 0)
		sb_printf(&sb, " starting %s",
		    tu_format_date(fm->orig->sched.anchor, buf));
	free(time);
	free(tz);
	free(iv);
	free(until);
	return sb_detach(&sb);
}

int
fm_sched(const struct form_model *fm, int64_t now, struct sched *sc,
    char **cause)
{
	char	*text, *list;
	int	 rc, empty;

	if ((text = fm_sched_text(fm)) == NULL)
		return error_set(cause, "%s", _("There is no schedule."));
	/* An empty date would have the schedule text read "at" as one. */
	list = fm->freq == SCHED_ONCE ? fm_trim(fm_text(fm, FM_ONCE)) : NULL;
	empty = list != NULL && *list == '\0';
	free(list);
	if (empty) {
		free(text);
		return error_set(cause, "%s",
		    _("Type the date of the run (YYYY-MM-DD)."));
	}
	rc = sched_parse_stored(text, now, sc, cause);
	free(text);
	/*
	 * An unchanged schedule stays editable after its `until` or `once`
	 * has passed; a new or changed one must be valid now and able to
	 * run, as seg_validate will insist.
	 */
	if (rc == 0 && (fm->orig == NULL || !fm->orig->has_sched ||
	    !sched_equal(&fm->orig->sched, sc))) {
		rc = sched_validate(sc, now, cause);
		if (rc == 0)
			rc = sched_check_runs(sc, now, cause);
	}
	return rc;
}

/* Which schedule field a schedule cause belongs to. */
enum fm_field
fm_sched_field(const struct form_model *fm, int64_t now)
{
	char	*t = fm_trim(fm_text(fm, FM_TZ)), *u;
	struct tz *zone;
	int32_t	 d;
	int	 h, m, ok, past = 0;
	char	 c;

	ok = *t == '\0' || tz_exists(t);
	if (!ok) {
		free(t);
		return FM_TZ;
	}
	u = fm_trim(fm_text(fm, FM_UNTIL));
	ok = *u == '\0' || tu_parse_date(u, strlen(u), &d) == 0;
	/* An `until` before today (in the schedule's zone) is the culprit. */
	if (ok && *u != '\0' && (zone = tz_open(t, NULL)) != NULL) {
		past = d < tz_local_date(zone, now);
		tz_close(zone);
	}
	free(u);
	free(t);
	if (!ok || past)
		return FM_UNTIL;
	if (sscanf(fm_text(fm, FM_TIME), "%d:%d%c", &h, &m, &c) != 2 ||
	    h < 0 || h > 23 || m < 0 || m > 59)
		return FM_TIME;
	switch (fm->freq) {
	case SCHED_ONCE:
		return FM_ONCE;
	case SCHED_WEEKLY:
		return FM_WEEKDAYS;
	case SCHED_MONTHLY:
		return FM_MONTHDAYS;
	default:
		return FM_INTERVAL;
	}
}

