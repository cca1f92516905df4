/*
 * Times as every screen shows them: in one zone with its abbreviation
 * ("2026-12-03 14:50 MSK"), the segment's schedule zone by default (UTC
 * for a segment without a schedule), or the machine's zone, or UTC for
 * the whole UI as the time-zone key says (README, "Times").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "timeutil.h"
#include "tui.h"
#include "tui_loop.h"
#include "tz.h"
#include "util.h"

static const char *
tui_local_zone(struct tui *tui)
{
	if (tui->local_zone == NULL && (tui->local_zone = tz_machine()) ==
	    NULL)
		tui->local_zone = xstrdup("UTC");
	return tui->local_zone;
}

const char *
tui_zone(struct tui *tui, const char *sched_tz)
{
	switch (tui->zone_mode) {
	case TUI_ZONE_LOCAL:
		return tui_local_zone(tui);
	case TUI_ZONE_UTC:
		return "UTC";
	default:
		return sched_tz != NULL && *sched_tz != '\0' ? sched_tz :
		    "UTC";
	}
}

struct tz *
tui_tz(struct tui *tui, const char *name)
{
	struct tz	*tz;
	int		 i;

	for (i = 0; i < TUI_ZONE_CACHE; i++)
		if (tui->zones[i] != NULL &&
		    strcmp(tz_name(tui->zones[i]), name) == 0)
			return tui->zones[i];
	/* A stored schedule's zone is valid; UTC if the database lost it. */
	if ((tz = tz_open(name, NULL)) == NULL)
		tz = tz_open(NULL, NULL);
	i = tui->zone_next;
	tui->zone_next = (i + 1) % TUI_ZONE_CACHE;
	tz_close(tui->zones[i]);
	tui->zones[i] = tz;
	return tz;
}

void
tui_zone_free(struct tui *tui)
{
	int	 i;

	for (i = 0; i < TUI_ZONE_CACHE; i++) {
		tz_close(tui->zones[i]);
		tui->zones[i] = NULL;
	}
	free(tui->local_zone);
	tui->local_zone = NULL;
}

char *
tui_time(struct tui *tui, int64_t utc, const char *sched_tz, char *buf,
    size_t len)
{
	if (utc == 0) {
		snprintf(buf, len, "%s", tui->utf8 ? "\xe2\x80\x94" : "-");
		return buf;
	}
	return tz_format(tui_tz(tui, tui_zone(tui, sched_tz)), utc, buf, len);
}

char *
tui_time_rel(struct tui *tui, int64_t utc, const char *sched_tz, int narrow,
    char *buf, size_t len)
{
	if (utc != 0 && tu_format_relative(utc, tu_now(), buf, len) != NULL)
		return buf;
	tui_time(tui, utc, sched_tz, buf, len);
	/* "2026-12-03 14:50 MSK" without the year: "12-03 14:50 MSK". */
	if (narrow && utc != 0 && strlen(buf) > 16)
		memmove(buf, buf + 5, strlen(buf + 5) + 1);
	return buf;
}

char *
tui_day(struct tui *tui, int32_t day, const char *label,
    const char *sched_tz, char *buf, size_t len)
{
	struct tz	*tz = tui_tz(tui, tui_zone(tui, sched_tz));

	snprintf(buf, len, "%s %s", label,
	    tz_abbrev(tz, tz_local_to_utc(tz, day, 12 * 3600)));
	return buf;
}

void
tui_zone_cycle(struct tui *tui)
{
	tui->zone_mode = (enum tui_zone_mode)(((int)tui->zone_mode + 1) % 3);
	tui_store_changed(tui);
	tui_dirty(tui, TUI_DIRTY_ALL);
}

const char *
tui_zone_label(struct tui *tui, char *buf, size_t len)
{
	switch (tui->zone_mode) {
	case TUI_ZONE_LOCAL:
		snprintf(buf, len, "%s", _("Times: local zone"));
		break;
	case TUI_ZONE_UTC:
		snprintf(buf, len, "%s", _("Times: UTC"));
		break;
	default:
		snprintf(buf, len, "%s", _("Times: segment zone"));
		break;
	}
	return buf;
}
