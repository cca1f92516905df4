/*
 * Chart bucketing and bar cells (see chart.h).  No curses here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

const char *
chart_period_label(enum chart_period p)
{
	static const char *const labels[CHART_NPERIODS] = {
		[CHART_TODAY] = N_("today"),
		[CHART_7_DAYS] = N_("last 7 days"),
		[CHART_THIS_MONTH] = N_("this month"),
		[CHART_30_DAYS] = N_("last 30 days"),
		[CHART_THIS_QUARTER] = N_("this quarter"),
		[CHART_THIS_YEAR] = N_("this year"),
		[CHART_CUSTOM] = N_("custom"),
	};

	return labels[p];
}

const char *
chart_group_label(enum hist_group g)
{
	switch (g) {
	case HIST_RUN:
		return N_("run");
	case HIST_DAY:
		return N_("day");
	case HIST_WEEK:
		return N_("week");
	case HIST_MONTH:
		return N_("month");
	case HIST_QUARTER:
		return N_("quarter");
	case HIST_YEAR:
		return N_("year");
	}
	return "";
}

void
chart_period_range(enum chart_period p, int32_t today, int32_t *from,
    int32_t *to)
{
	int	 y, m, d;

	tu_civil_from_days(today, &y, &m, &d);
	switch (p) {
	case CHART_TODAY:
		*from = *to = today;
		break;
	case CHART_7_DAYS:
		*from = today - 6;
		*to = today;
		break;
	case CHART_THIS_MONTH:
		*from = tu_days_from_civil(y, m, 1);
		*to = *from + tu_days_in_month(y, m) - 1;
		break;
	case CHART_30_DAYS:
		*from = today - 29;
		*to = today;
		break;
	case CHART_THIS_QUARTER:
		m = (m - 1) / 3 * 3 + 1;
		*from = tu_days_from_civil(y, m, 1);
		*to = (m + 3 > 12 ? tu_days_from_civil(y + 1, 1, 1) :
		    tu_days_from_civil(y, m + 3, 1)) - 1;
		break;
	case CHART_THIS_YEAR:
		*from = tu_days_from_civil(y, 1, 1);
		*to = tu_days_from_civil(y + 1, 1, 1) - 1;
		break;
	default:
		break;
	}
}

int32_t
chart_group_start(enum hist_group g, int32_t day)
{
	int	 y, m, d;

	tu_civil_from_days(day, &y, &m, &d);
	switch (g) {
	case HIST_WEEK:
		return day - tu_weekday(day);
	case HIST_MONTH:
		return tu_days_from_civil(y, m, 1);
	case HIST_QUARTER:
		return tu_days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
	case HIST_YEAR:
		return tu_days_from_civil(y, 1, 1);
	default:
		return day;
	}
}

int32_t
chart_group_next(enum hist_group g, int32_t start)
{
	int	 y, m, d;

	tu_civil_from_days(start, &y, &m, &d);
	switch (g) {
	case HIST_WEEK:
		return start + 7;
	case HIST_MONTH:
		return m == 12 ? tu_days_from_civil(y + 1, 1, 1) :
		    tu_days_from_civil(y, m + 1, 1);
	case HIST_QUARTER:
		return m >= 10 ? tu_days_from_civil(y + 1, 1, 1) :
		    tu_days_from_civil(y, m + 3, 1);
	case HIST_YEAR:
		return tu_days_from_civil(y + 1, 1, 1);
	default:
		return start + 1;
	}
}

size_t
chart_bucket(const struct hist_point *pts, size_t n, enum hist_group group,
    int32_t from, int32_t to, uint64_t start_total, struct chart_slot **out)
{
	struct chart_slot *slots;
	size_t		 ns = 0, cap = 16, i, k;
	int32_t		 d;
	uint64_t	 carry = start_total;

	/* Runs are not periods: a per-run chart is grouped by day. */
	if (group == HIST_RUN)
		group = HIST_DAY;
	if (to < from)
		to = from;
	slots = xcalloc(cap, sizeof *slots);
	for (d = chart_group_start(group, from); d <= to;
	    d = chart_group_next(group, d)) {
		if (ns == cap) {
			cap *= 2;
			slots = xreallocarray(slots, cap, sizeof *slots);
		}
		memset(&slots[ns], 0, sizeof slots[ns]);
		slots[ns++].day = d;
	}
	for (i = 0, k = 0; i < n; i++) {
		int32_t start = chart_group_start(group, pts[i].day);

		if (start < slots[0].day || start > slots[ns - 1].day)
			continue;
		while (k + 1 < ns && slots[k + 1].day <= start)
			k++;
		while (k > 0 && slots[k].day > start)
			k--;
		slots[k].nruns += pts[i].nruns > 0 ? pts[i].nruns : 1;
		slots[k].total = pts[i].total;	/* ascending: the last wins */
		slots[k].added_auto += pts[i].added_auto;
		slots[k].removed_auto += pts[i].removed_auto;
		slots[k].added_manual += pts[i].added_manual;
		slots[k].removed_manual += pts[i].removed_manual;
	}
	for (k = 0; k < ns; k++) {
		slots[k].gap = slots[k].nruns == 0;
		if (slots[k].nruns == 0)
			slots[k].total = carry;
		carry = slots[k].total;
	}
	*out = slots;
	return ns;
}

size_t
chart_mark_future(struct chart_slot *s, size_t n, int32_t today)
{
	size_t	 i, last = 0;

	for (i = 0; i < n; i++) {
		if (s[i].day > today) {
			s[i].future = 1;
			s[i].total = 0;
		} else
			last = i;
	}
	return last;
}

uint64_t
chart_max(const struct chart_slot *s, size_t n)
{
	uint64_t	 m = 1;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (s[i].total > m)
			m = s[i].total;
	return m;
}

/* How full row `row` is, in 1/n of a cell (0 .. n). */
static int
chart_fill(uint64_t value, uint64_t max, int height, int row, int n)
{
	uint64_t	 parts, below;

	if (max == 0 || height <= 0 || row < 0 || row >= height)
		return 0;
	if (value > max)
		value = max;
	/* Rounded to parts of a cell; a non-zero value shows at least 1. */
	parts = (value * (uint64_t)height * (uint64_t)n + max / 2) / max;
	if (parts == 0 && value > 0)
		parts = 1;
	below = (uint64_t)row * (uint64_t)n;
	if (parts <= below)
		return 0;
	return parts - below >= (uint64_t)n ? n : (int)(parts - below);
}

int
chart_cell(uint64_t value, uint64_t max, int height, int row)
{
	return chart_fill(value, max, height, row, 8);
}

int
chart_quarters(uint64_t value, uint64_t max, int height, int row)
{
	return chart_fill(value, max, height, row, 4);
}

unsigned
chart_braille_bits(int left, int right)
{
	/* Dots from the bottom up: 7 3 2 1 on the left, 8 6 5 4 on the right. */
	static const unsigned l[4] = { 0x40, 0x04, 0x02, 0x01 };
	static const unsigned r[4] = { 0x80, 0x20, 0x10, 0x08 };
	unsigned	 bits = 0;
	int		 i;

	for (i = 0; i < 4; i++) {
		if (i < left)
			bits |= l[i];
		if (i < right)
			bits |= r[i];
	}
	return bits;
}

char *
chart_braille(int left, int right, char *buf)
{
	unsigned	 bits = chart_braille_bits(left, right);

	/* U+2800 + bits: E2 A0+(bits >> 6) 80+(bits & 0x3f). */
	buf[0] = (char)0xe2;
	buf[1] = (char)(0xa0 | (bits >> 6));
	buf[2] = (char)(0x80 | (bits & 0x3f));
	buf[3] = '\0';
	return buf;
}

enum chart_style
chart_style_pick(int utf8, const char *env)
{
	if (!utf8 || (env != NULL && strcmp(env, "ascii") == 0))
		return CHART_ASCII;
	if (env != NULL && strcmp(env, "blocks") == 0)
		return CHART_BLOCKS;
	return CHART_BRAILLE;
}

const char *
chart_glyph(int level, int utf8)
{
	static const char *const blocks[9] = {
		" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
		"\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
		"\xe2\x96\x87", "\xe2\x96\x88"
	};
	static const char *const ascii[9] = {
		" ", ".", ".", "_", "_", "o", "o", "#", "#"
	};

	if (level < 0)
		level = 0;
	if (level > 8)
		level = 8;
	return utf8 ? blocks[level] : ascii[level];
}

uint64_t
chart_yticks(uint64_t max, int most, uint64_t *ticks, int *n)
{
	static const uint64_t mult[3] = { 1, 2, 5 };
	uint64_t	 step = 1, pow10 = 1, steps;
	int		 i, k = 0;

	if (most < 1)
		most = 1;
	if (most > CHART_YTICKS_MAX)
		most = CHART_YTICKS_MAX;
	for (;;) {
		step = mult[k] * pow10;
		steps = max / step + (max % step != 0);
		if (steps == 0)
			steps = 1;
		if (steps <= (uint64_t)most || pow10 > UINT64_MAX / 100)
			break;
		if (++k == 3) {
			k = 0;
			pow10 *= 10;
		}
	}
	for (i = 0; i <= (int)steps; i++)
		ticks[i] = (uint64_t)i * step;
	*n = (int)steps + 1;
	return steps * step;
}

int
chart_value_row(uint64_t v, uint64_t top, int h)
{
	uint64_t	 parts;

	if (v == 0 || top == 0 || h <= 0)
		return 0;
	if (v > top)
		v = top;
	/* The row where a bar of value v ends: ceil(v * h / top) - 1. */
	parts = (v * (uint64_t)h + top - 1) / top;
	return (int)parts - 1;
}

void
chart_layout(size_t nslots, int w, int ccur, enum chart_style style,
    struct chart_layout *l)
{
	int	 n = (int)nslots;

	memset(l, 0, sizeof *l);
	l->per = l->cw = 1;
	l->w = w;
	if (n == 0 || w <= 0)
		return;
	if (n <= w) {
		l->cw = w / n;
		l->gap = l->cw >= 3;
		return;
	}
	l->per = style == CHART_BRAILLE ? 2 : 1;
	if (n > w * l->per) {
		l->first = ccur - w * l->per + 1;
		if (l->first < 0)
			l->first = 0;
		l->first += (l->per - l->first % l->per) % l->per;
	}
}

int
chart_slot_col(const struct chart_layout *l, size_t nslots, int i)
{
	int	 c;

	if (i < l->first || i >= (int)nslots)
		return -1;
	c = (i - l->first) / l->per * l->cw;
	return c < l->w ? c : -1;
}

static const enum hist_group tick_group[] = {
	[CHART_TICK_DAY] = HIST_DAY,
	[CHART_TICK_WEEK] = HIST_WEEK,
	[CHART_TICK_MONTH] = HIST_MONTH,
	[CHART_TICK_QUARTER] = HIST_QUARTER,
	[CHART_TICK_YEAR] = HIST_YEAR,
};

/* The first boundary of level t on or after day. */
static int32_t
chart_boundary(enum chart_tick t, int32_t day)
{
	enum hist_group	 g = tick_group[t];
	int32_t		 s = chart_group_start(g, day);

	return s == day ? day : chart_group_next(g, s);
}

static enum chart_tick
chart_group_tick(enum hist_group g)
{
	switch (g) {
	case HIST_WEEK:
		return CHART_TICK_WEEK;
	case HIST_MONTH:
		return CHART_TICK_MONTH;
	case HIST_QUARTER:
		return CHART_TICK_QUARTER;
	case HIST_YEAR:
		return CHART_TICK_YEAR;
	default:
		return CHART_TICK_DAY;
	}
}

int
chart_slot_has(enum hist_group g, int32_t day, enum chart_tick t)
{
	if (g == HIST_RUN)
		g = HIST_DAY;
	return chart_boundary(t, day) < chart_group_next(g, day);
}

char *
chart_tick_label(enum chart_tick t, int32_t day, char *buf, size_t len)
{
	int	 y, m, d;

	/* A week slot's month tick names the month that starts in it. */
	if (t > CHART_TICK_WEEK)
		day = chart_boundary(t, day);
	tu_civil_from_days(day, &y, &m, &d);
	switch (t) {
	case CHART_TICK_YEAR:
		snprintf(buf, len, "%04d", y);
		break;
	case CHART_TICK_QUARTER:
		snprintf(buf, len, "%04d-Q%d", y, (m - 1) / 3 + 1);
		break;
	case CHART_TICK_MONTH:
		snprintf(buf, len, "%04d-%02d", y, m);
		break;
	default:
		snprintf(buf, len, "%02d-%02d", m, d);
		break;
	}
	return buf;
}

char *
chart_slot_label(enum hist_group g, int32_t day, char *buf, size_t len)
{
	int	 y, m, d;

	tu_civil_from_days(day, &y, &m, &d);
	switch (g) {
	case HIST_YEAR:
		return chart_tick_label(CHART_TICK_YEAR, day, buf, len);
	case HIST_QUARTER:
		return chart_tick_label(CHART_TICK_QUARTER, day, buf, len);
	case HIST_MONTH:
		return chart_tick_label(CHART_TICK_MONTH, day, buf, len);
	default:
		snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
		return buf;
	}
}

/*
 * Places the labels of level t from left to right; with `thin`, a label
 * that would touch the one before is left out, else placing stops and
 * returns -1.  Returns the number placed.
 */
static int
chart_axis_place(const struct chart_slot *s, size_t n, enum hist_group g,
    const struct chart_layout *l, enum chart_tick t, int thin, char *line)
{
	char	 lab[16];
	int	 i, x, len, next = 0, placed = 0;

	for (i = l->first; i < (int)n; i++) {
		if ((x = chart_slot_col(l, n, i)) < 0)
			break;
		if (!chart_slot_has(g, s[i].day, t))
			continue;
		/* A Braille column of two slots: the left one names it. */
		if (l->per == 2 && i > l->first && (i - l->first) % 2 == 1 &&
		    chart_slot_col(l, n, i - 1) == x &&
		    chart_slot_has(g, s[i - 1].day, t))
			continue;
		len = (int)strlen(chart_tick_label(t, s[i].day, lab,
		    sizeof lab));
		if (x + len > l->w)
			break;
		if (x < next) {
			if (!thin)
				return -1;
			continue;
		}
		if (line != NULL)
			memcpy(line + x, lab, (size_t)len);
		next = x + len + 1;
		placed++;
	}
	return placed;
}

enum chart_tick
chart_axis(const struct chart_slot *s, size_t n, enum hist_group g,
    const struct chart_layout *l, int ccur, int brackets, char *line,
    int *hl, int *hlw)
{
	enum chart_tick	 t;
	char		 lab[24], cur[32];
	int		 x, len, a, b;

	memset(line, ' ', (size_t)l->w);
	line[l->w] = '\0';
	*hl = *hlw = 0;
	if (n == 0 || l->w <= 0)
		return CHART_TICK_DAY;
	for (t = chart_group_tick(g); t < CHART_TICK_YEAR; t++)
		if (chart_axis_place(s, n, g, l, t, 0, NULL) >= 0)
			break;
	chart_axis_place(s, n, g, l, t, t == CHART_TICK_YEAR, line);
	if (ccur < 0 || (x = chart_slot_col(l, n, ccur)) < 0)
		return t;
	chart_slot_label(g, s[ccur].day, lab, sizeof lab);
	snprintf(cur, sizeof cur, brackets ? "[%s]" : "%s", lab);
	len = (int)strlen(cur);
	if (len > l->w)
		return t;
	if (brackets && x > 0)
		x--;		/* the date, not its bracket, under the bar */
	if (x + len > l->w)
		x = l->w - len;
	/* The labels it touches go, whole: a blank stays on either side. */
	a = x;
	while (a > 0 && line[a - 1] != ' ')
		a--;
	b = x + len;
	while (b < l->w && line[b] != ' ')
		b++;
	memset(line + a, ' ', (size_t)(b - a));
	memcpy(line + x, cur, (size_t)len);
	*hl = x;
	*hlw = len;
	return t;
}
