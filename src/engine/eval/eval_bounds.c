/*
 * The instants an event test keeps (doc/conditions.md, "Events"): its
 * window, and the time test of first/last, as closed intervals of UTC
 * seconds in the run's zone at the run's "now".  Both back ends use
 * these, the evaluator over the store (eval_events.c) and the SQL
 * compiler (sqlgen_event.c), so a segment keeps the same members in
 * either.
 */
#include "config.h"

#include <stdint.h>

#include "eval_int.h"
#include "tz.h"

/* The first instant of local date d, or an extreme. */
static int64_t
evb_day(const struct tz *tz, int64_t d)
{
	if (d < EVAL_DATE_MIN)
		return INT64_MIN;
	if (d >= EVAL_DATE_MAX)
		return INT64_MAX;
	return tz_local_to_utc(tz, (int32_t)d, 0);
}

static int64_t
evb_ago(int64_t now, int64_t n, int64_t unit)
{
	return now - eval_clamp(n, -EVAL_DATE_MAX, EVAL_DATE_MAX) * unit;
}

/* A date value of a time test (a datetime: its local date). */
static int
evb_date(const struct tz *tz, const struct cond_value *v, int64_t *d)
{
	if (v->kind == CV_DATE)
		*d = v->date;
	else if (v->kind == CV_DATETIME)
		*d = tz_local_date(tz, v->i);
	else
		return -1;
	return 0;
}

int
eval_event_window(const struct cond *c, int64_t now, const struct tz *tz,
    int64_t *lo, int64_t *hi)
{
	const struct cond_window *w = &c->window;

	*lo = INT64_MIN;
	*hi = INT64_MAX;
	switch (w->kind) {
	case CW_NONE:
		return 0;
	case CW_LAST_DAYS:
	case CW_LAST_HOURS:
		*lo = evb_ago(now, w->n, w->kind == CW_LAST_DAYS ? 86400 :
		    3600);
		*hi = now;
		return 0;
	case CW_BETWEEN:
		*lo = evb_day(tz, w->from);
		*hi = evb_day(tz, (int64_t)w->to + 1);
		if (*hi != INT64_MAX)
			(*hi)--;
		return 0;
	case CW_SINCE:
		*lo = evb_day(tz, w->from);
		return 0;
	case CW_BEFORE:
		*hi = evb_day(tz, w->to);
		if (*hi != INT64_MIN)
			(*hi)--;
		return 0;
	}
	return -1;
}

int
eval_event_time(const struct cond *c, int64_t now, const struct tz *tz,
    int64_t *lo, int64_t *hi)
{
	int64_t d, d2;

	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (c->nvalues < (c->op == CO_BETWEEN ? 2u : 1u))
		return -1;
	switch (c->op) {
	case CO_WITHIN_LAST_DAYS:
	case CO_WITHIN_LAST_HOURS:
	case CO_MORE_THAN_DAYS_AGO:
	case CO_MORE_THAN_HOURS_AGO:
		if (c->values[0].kind != CV_INT)
			return -1;
		d = evb_ago(now, c->values[0].i, c->op == CO_WITHIN_LAST_DAYS ||
		    c->op == CO_MORE_THAN_DAYS_AGO ? 86400 : 3600);
		if (c->op == CO_WITHIN_LAST_DAYS ||
		    c->op == CO_WITHIN_LAST_HOURS) {
			*lo = d;
			*hi = now;
		} else
			*hi = d - 1;
		return 0;
	case CO_BEFORE:
	case CO_AFTER:
	case CO_ON:
		if (evb_date(tz, &c->values[0], &d) != 0)
			return -1;
		if (c->op == CO_BEFORE)
			*hi = evb_day(tz, d) - 1;
		else if (c->op == CO_AFTER)
			*lo = evb_day(tz, d + 1);
		else {
			*lo = evb_day(tz, d);
			*hi = evb_day(tz, d + 1) - 1;
		}
		return 0;
	case CO_BETWEEN:
		if (evb_date(tz, &c->values[0], &d) != 0 ||
		    evb_date(tz, &c->values[1], &d2) != 0)
			return -1;
		*lo = evb_day(tz, d);
		*hi = evb_day(tz, d2 + 1) - 1;
		return 0;
	default:
		return -1;
	}
}
