/*
 * The update-history chart of the segment page: period presets, the
 * bucketing of history points (segment.h, seg_history) into one slot per
 * period of the chosen grouping, and bar cells.  Everything here is pure
 * (no curses, no store) so tests/check_chart.c can pin it down; the page
 * only draws what these functions computed.
 */
#ifndef RESEG_TUI_CHART_H
#define RESEG_TUI_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "segment.h"

enum chart_period {
	CHART_TODAY,
	CHART_7_DAYS,		/* today and the 6 days before */
	CHART_THIS_MONTH,
	CHART_30_DAYS,
	CHART_THIS_QUARTER,
	CHART_THIS_YEAR,
	CHART_CUSTOM,
	CHART_NPERIODS
};

/* N_() label of a preset ("last 7 days"). */
const char *chart_period_label(enum chart_period);
/* N_() label of a grouping ("week"). */
const char *chart_group_label(enum hist_group);

/* First and last local day of a preset (CHART_CUSTOM: unchanged). */
void	 chart_period_range(enum chart_period, int32_t today, int32_t *from,
	    int32_t *to);
/* The first day of the period (of the grouping) that contains day. */
int32_t	 chart_group_start(enum hist_group, int32_t day);
/* The first day of the following period. */
int32_t	 chart_group_next(enum hist_group, int32_t start);

struct chart_slot {
	int32_t		 day;		/* period start (local date) */
	uint32_t	 nruns;		/* 0: no run; total carried forward */
	uint64_t	 total;
	uint64_t	 added_auto, removed_auto;
	uint64_t	 added_manual, removed_manual;
	int		 future;	/* starts after today: nothing yet */
	int		 gap;		/* no run in it: drawn empty */
};

/*
 * One slot per period from the period holding `from` to the one holding
 * `to`; points (grouped as `group`, ascending, as seg_history gives
 * them) fall into the slot of their day and add up; a slot without runs
 * is a gap: it is drawn empty, and its total (for its figures) is the
 * one carried from the slot before (the first one: start_total, the
 * count before the range).  Returns the number of slots (*out malloc'd).
 */
size_t	 chart_bucket(const struct hist_point *, size_t n, enum hist_group,
	    int32_t from, int32_t to, uint64_t start_total,
	    struct chart_slot **out);

/*
 * Marks the slots that start after today as future ones (no total: the
 * count is not carried into days that have not come).  Returns the last
 * slot that is not in the future (0 when all are), where a cursor starts.
 */
size_t	 chart_mark_future(struct chart_slot *, size_t n, int32_t today);

/* The largest total of the slots (at least 1). */
uint64_t chart_max(const struct chart_slot *, size_t n);
/*
 * How full row `row` (0 = bottom) of a bar `height` rows high is for
 * value/max: 0 (empty) .. 8 (full), in eighths of a cell.
 */
int	 chart_cell(uint64_t value, uint64_t max, int height, int row);
/* The character for a level: block elements, or ASCII when !utf8. */
const char *chart_glyph(int level, int utf8);

/*
 * Braille cells (htop): one character holds two slots side by side, each
 * a column of 4 dots, so a row has 4 levels per slot.  chart_quarters is
 * chart_cell in quarters: 0 (empty) .. 4 (full).
 */
int	 chart_quarters(uint64_t value, uint64_t max, int height, int row);
/* Bits of U+2800 + n for a left and a right column filled from below. */
unsigned chart_braille_bits(int left, int right);
/* That character in UTF-8 (buf holds at least 4 bytes); returns buf. */
char	*chart_braille(int left, int right, char *buf);

/* How the chart is drawn: Braille, block elements, or ASCII. */
enum chart_style {
	CHART_BRAILLE,
	CHART_BLOCKS,
	CHART_ASCII
};
/* From the locale and RESEG_CHART ("braille", "blocks", "ascii"). */
enum chart_style chart_style_pick(int utf8, const char *env);

/*
 * Y ticks at round numbers: the smallest step of 1, 2 or 5 x 10^k that
 * covers max in at most `most` steps (at most CHART_YTICKS_MAX, however
 * tall the chart; at least 1 step, a step of at least 1); ticks[0..*n)
 * = 0, step, ..., top (ticks holds CHART_YTICKS_MAX + 1).  Returns top,
 * the value of the chart's top row.
 */
#define CHART_YTICKS_MAX	15
uint64_t chart_yticks(uint64_t max, int most, uint64_t *ticks, int *n);
/* The row (0 = bottom) whose bar top is value v on a 0..top scale. */
int	 chart_value_row(uint64_t v, uint64_t top, int h);

/*
 * Where the slots go in w columns: when they fit, each takes cw = w / n
 * columns (with a blank one after it when cw >= 3); when they do not,
 * Braille puts `per` = 2 slots in a column, and the window starts at
 * `first` so that it ends at the cursor.
 */
struct chart_layout {
	int		 first;
	int		 per;
	int		 cw;
	int		 gap;
	int		 w;
};
void	 chart_layout(size_t nslots, int w, int ccur, enum chart_style,
	    struct chart_layout *);
/* The column of slot i, or -1 when it is not in the window. */
int	 chart_slot_col(const struct chart_layout *, size_t nslots, int i);

/*
 * Ticks of the time axis: levels of calendar boundaries (a day, a
 * Monday, the 1st of a month, of a quarter, of a year); a slot holds a
 * level's tick when a boundary of it falls in the slot's days.
 */
enum chart_tick {
	CHART_TICK_DAY,
	CHART_TICK_WEEK,
	CHART_TICK_MONTH,
	CHART_TICK_QUARTER,
	CHART_TICK_YEAR
};
/* Whether a boundary of level t falls in [day, next period of g). */
int	 chart_slot_has(enum hist_group, int32_t day, enum chart_tick t);
/* A tick's label: "11-23" (day, week), "2026-11", "2026-Q4", "2026". */
char	*chart_tick_label(enum chart_tick, int32_t day, char *buf,
	    size_t len);
/* A slot's date as the cursor shows it: "2026-11-23", "2026-11", ... */
char	*chart_slot_label(enum hist_group, int32_t day, char *buf,
	    size_t len);

/*
 * The axis row under the bars, w columns of ASCII: tick labels at the
 * finest level (never finer than the grouping's own) whose labels all
 * fit with a blank between them, each starting at its slot's column,
 * and the cursor slot's date (in brackets when `brackets`, for
 * terminals without reverse video) at the cursor's column, moved left
 * to fit, in place of the labels it would touch.  line holds w + 1
 * bytes; *hl and *hlw are the cursor date's column and width.  Returns
 * the level used.
 */
enum chart_tick chart_axis(const struct chart_slot *, size_t n,
	    enum hist_group, const struct chart_layout *, int ccur,
	    int brackets, char *line, int *hl, int *hlw);

#endif
