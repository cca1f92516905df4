/*
 * Drawing helpers: roles mapped to colour pairs (or to plain attributes
 * under NO_COLOR and on monochrome terminals), UTF-8 text cut by display
 * width, frames and the progress bar.
 */
#include "config.h"

#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "draw.h"
#include "i18n.h"
#include "util.h"

static int	draw_color;
static int	draw_is_utf8;

struct draw_style {
	short	 fg, bg;
	int	 attr;		/* with colours */
	int	 mono;		/* without */
};

static const struct draw_style draw_styles[DR_COUNT] = {
	[DR_NORMAL] =		{ -1, -1, 0, 0 },
	[DR_TITLE] =		{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[DR_HEADER] =		{ COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[DR_CURSOR] =		{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[DR_CURSOR_DIM] =	{ COLOR_WHITE, COLOR_BLUE, 0, A_UNDERLINE },
	[DR_STATUS] =		{ -1, -1, 0, 0 },
	[DR_ERROR] =		{ COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	[DR_KEY] =		{ -1, -1, A_BOLD, A_BOLD },
	[DR_KEYLABEL] =		{ COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[DR_DISABLED] =		{ COLOR_BLUE, COLOR_CYAN, 0, A_DIM },
	[DR_FRAME] =		{ COLOR_CYAN, -1, 0, 0 },
	[DR_CHART] =		{ COLOR_GREEN, -1, 0, 0 },
	[DR_CHART_CURSOR] =	{ COLOR_YELLOW, -1, A_BOLD, A_REVERSE },
	[DR_CHART_MANUAL] =	{ COLOR_MAGENTA, -1, 0, A_DIM },
	[DR_ADDED] =		{ COLOR_GREEN, -1, 0, 0 },
	[DR_REMOVED] =		{ COLOR_RED, -1, 0, 0 },
	[DR_GOOD] =		{ COLOR_GREEN, -1, 0, 0 },
	[DR_WARN] =		{ COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[DR_FIELD] =		{ COLOR_WHITE, COLOR_BLUE, 0, A_UNDERLINE },
	[DR_FIELD_FOCUS] =	{ COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE },
	[DR_SYN_KEYWORD] =	{ COLOR_YELLOW, -1, A_BOLD, 0 },
	[DR_SYN_STRING] =	{ COLOR_GREEN, -1, 0, 0 },
	[DR_SYN_NUMBER] =	{ COLOR_MAGENTA, -1, 0, 0 },
	[DR_SYN_COMMENT] =	{ COLOR_CYAN, -1, 0, 0 },
	[DR_SYN_FIELD] =	{ -1, -1, A_BOLD, 0 },
	[DR_SYN_UNKNOWN] =	{ COLOR_RED, -1, A_UNDERLINE, 0 },
};

void
draw_init(int color, int ascii)
{
	int		 i;
	wchar_t		 wc;
	mbstate_t	 st;

	/* The charset decides, not $TERM: a UTF-8 locale over SSH. */
	draw_is_utf8 = 0;
	if (!ascii) {
		memset(&st, 0, sizeof st);
		draw_is_utf8 = mbrtowc(&wc, "\xe2\x94\x80", 3, &st) == 3 &&
		    wc == 0x2500;
	}
	draw_color = color;
	if (!color)
		return;
	start_color();
	use_default_colors();
	for (i = 1; i < DR_COUNT; i++)
		init_pair((short)i, draw_styles[i].fg, draw_styles[i].bg);
}

static int	draw_caret_on, draw_caret_y, draw_caret_x;

void
draw_caret(int y, int x)
{
	draw_caret_on = 1;
	draw_caret_y = y;
	draw_caret_x = x;
}

void
draw_caret_reset(void)
{
	draw_caret_on = 0;
}

int
draw_caret_get(int *y, int *x)
{
	*y = draw_caret_y;
	*x = draw_caret_x;
	return draw_caret_on;
}

int
draw_has_color(void)
{
	return draw_color;
}

int
draw_utf8(void)
{
	return draw_is_utf8;
}

int
draw_attr(enum draw_role role)
{
	if (!draw_color)
		return draw_styles[role].mono;
	if (role == DR_NORMAL)
		return 0;
	return COLOR_PAIR(role) | draw_styles[role].attr;
}

/*
 * Decodes the next character of s; returns its length in bytes (at
 * least 1) and its display width in *cw.  Undecodable bytes and control
 * characters become '?' so a hostile name cannot move the cursor.
 */
static size_t
draw_next(const char *s, wchar_t *wc, int *cw)
{
	mbstate_t	 st;
	size_t		 n;
	int		 w;

	memset(&st, 0, sizeof st);
	n = mbrtowc(wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		*cw = 1;
		return 1;
	}
	w = wcwidth(*wc);
	if (w < 0) {
		*wc = L'?';
		w = 1;
	}
	*cw = w;
	return n;
}

/* A regional indicator: two of them make a flag. */
#define DRAW_IS_RI(wc)	((wc) >= 0x1F1E6 && (wc) <= 0x1F1FF)

/*
 * What is cut or kept as one: a character with the zero-width ones that
 * follow it (combining marks), and the two regional indicators of a
 * flag, so truncation never splits an accent from its letter or a flag
 * in halves.  Returns its length in bytes and its width in *cw.
 */
static size_t
draw_cluster(const char *s, int *cw)
{
	wchar_t	 wc, next;
	size_t	 len, n;
	int	 w;

	len = draw_next(s, &wc, cw);
	if (DRAW_IS_RI(wc) && s[len] != '\0') {
		n = draw_next(s + len, &next, &w);
		if (DRAW_IS_RI(next)) {
			len += n;
			*cw += w;
		}
	}
	while (s[len] != '\0') {
		n = draw_next(s + len, &next, &w);
		if (w != 0)
			break;
		len += n;
	}
	return len;
}

/* s as wide characters folded to lower case (malloc'd). */
static wchar_t *
draw_fold(const char *s)
{
	mbstate_t	 st;
	wchar_t		*w, wc;
	size_t		 n, len = strlen(s), i = 0;

	w = xcalloc(len + 1, sizeof *w);
	while (*s != '\0') {
		memset(&st, 0, sizeof st);
		n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* A stray byte matches only itself. */
			wc = 0xDC00 + (unsigned char)*s;
			n = 1;
		}
		w[i++] = (wchar_t)towlower((wint_t)wc);
		s += n;
	}
	w[i] = L'\0';
	return w;
}

int
draw_casestr(const char *hay, const char *needle)
{
	wchar_t	*h, *n;
	int	 found;

	if (*needle == '\0')
		return 1;
	h = draw_fold(hay);
	n = draw_fold(needle);
	found = wcsstr(h, n) != NULL;
	free(h);
	free(n);
	return found;
}

int
draw_width(const char *s)
{
	wchar_t	 wc;
	int	 w = 0, cw;

	while (*s != '\0') {
		s += draw_next(s, &wc, &cw);
		w += cw;
	}
	return w;
}

static int
draw_wrap(int y, int x, int w, int maxy, int indent, const char *s,
    enum draw_role role, int draw)
{
	struct strbuf line = STRBUF_INIT;
	const char *p = s, *word;
	char *tmp;
	int rows = 0, lw = 0, ww, room;

	while (*p != '\0' && y + rows < maxy) {
		while (*p == ' ')
			p++;
		word = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (p == word)
			break;
		tmp = xstrndup(word, (size_t)(p - word));
		ww = draw_width(tmp);
		room = w - (rows > 0 ? indent : 0);
		if (line.len > 0 && lw + 1 + ww > room) {
			if (draw)
				draw_text(y + rows, x + (rows > 0 ? indent : 0),
				    room, line.buf, role);
			rows++;
			sb_reset(&line);
			lw = 0;
			room = w - indent;
		}
		if (line.len > 0) {
			sb_putc(&line, ' ');
			lw++;
		}
		sb_puts(&line, tmp);
		lw += ww;
		free(tmp);
	}
	if (line.len > 0 && y + rows < maxy) {
		if (draw)
			draw_text(y + rows, x + (rows > 0 ? indent : 0),
			    w - (rows > 0 ? indent : 0), line.buf, role);
		rows++;
	}
	sb_free(&line);
	return rows;
}

int
draw_wrapped(int y, int x, int w, int maxy, int indent, const char *s,
    enum draw_role role)
{
	return draw_wrap(y, x, w, maxy, indent, s, role, 1);
}

int
draw_wrapped_rows(int w, int indent, const char *s)
{
	return draw_wrap(0, 0, w, INT_MAX, indent, s, DR_NORMAL, 0);
}

int
draw_text(int y, int x, int w, const char *s, enum draw_role role)
{
	wchar_t	 buf[256];
	wchar_t	 wc;
	int	 used = 0, cw, n = 0;

	if (w <= 0 || s == NULL)
		return 0;
	attrset(draw_attr(role));
	move(y, x);
	while (*s != '\0') {
		size_t len = draw_cluster(s, &cw), k, step;
		int one;

		if (used + cw > w)
			break;
		/* A combining mark with nothing to join is dropped. */
		for (k = 0; k < len; k += step) {
			step = draw_next(s + k, &wc, &one);
			if (one == 0 && n == 0 && used == 0)
				continue;
			buf[n++] = wc;
			if (n == (int)(sizeof buf / sizeof buf[0])) {
				addnwstr(buf, n);
				n = 0;
			}
		}
		s += len;
		used += cw;
	}
	if (n > 0)
		addnwstr(buf, n);
	attrset(A_NORMAL);
	return used;
}

void
draw_fill(int y, int x, int w, enum draw_role role)
{
	if (w <= 0)
		return;
	attrset(draw_attr(role));
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

int
draw_text_pad(int y, int x, int w, const char *s, enum draw_role role)
{
	int	 used;

	used = draw_text(y, x, w, s, role);
	if (used < w)
		draw_fill(y, x + used, w - used, role);
	return w;
}

int
draw_text_right(int y, int x, int w, const char *s, enum draw_role role)
{
	int	 sw = draw_width(s);

	if (sw >= w)
		return draw_text(y, x, w, s, role);
	draw_fill(y, x, w - sw, role);
	return draw_text(y, x + w - sw, sw, s, role) + w - sw;
}

int
draw_printf(int y, int x, int w, enum draw_role role, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	n = draw_text_pad(y, x, w, s, role);
	free(s);
	return n;
}

char *
draw_cut(const char *s, int w, char *buf, size_t len)
{
	const char	*p = s;
	const char	*ell = draw_is_utf8 ? "\xe2\x80\xa6" : "~";
	size_t		 n, elen = strlen(ell);
	int		 used = 0, cw;

	if (len == 0)
		return buf;
	if (draw_width(s) <= w) {
		snprintf(buf, len, "%s", s);
		return buf;
	}
	while (*p != '\0') {
		n = draw_cluster(p, &cw);
		if (used + cw > w - 1)
			break;
		p += n;
		used += cw;
	}
	n = (size_t)(p - s);
	if (n + elen + 1 > len)
		n = len > elen + 1 ? len - elen - 1 : 0;
	memcpy(buf, s, n);
	memcpy(buf + n, ell, elen < len - n ? elen : 0);
	buf[n + (elen < len - n ? elen : 0)] = '\0';
	return buf;
}

void
draw_rule(int y, int x, int w, const char *label, int focus)
{
	int	 used;

	attrset(draw_attr(focus ? DR_HEADER : DR_FRAME));
	mvhline(y, x, draw_is_utf8 ? ACS_HLINE : '-', w);
	attrset(A_NORMAL);
	if (label != NULL && w > 6) {
		draw_text(y, x + 1, 1, " ", DR_NORMAL);
		used = draw_text(y, x + 2, w - 4, label,
		    focus ? DR_HEADER : DR_NORMAL);
		draw_text(y, x + 2 + used, 1, " ", DR_NORMAL);
	}
}

void
draw_box(struct tui_rect r, const char *title, int focus)
{
	int	 i;

	if (r.h < 2 || r.w < 2)
		return;
	for (i = 1; i < r.h - 1; i++)
		draw_fill(r.y + i, r.x + 1, r.w - 2, DR_NORMAL);
	attrset(draw_attr(focus ? DR_HEADER : DR_FRAME));
	if (draw_is_utf8) {
		mvaddch(r.y, r.x, ACS_ULCORNER);
		mvaddch(r.y, r.x + r.w - 1, ACS_URCORNER);
		mvaddch(r.y + r.h - 1, r.x, ACS_LLCORNER);
		mvaddch(r.y + r.h - 1, r.x + r.w - 1, ACS_LRCORNER);
		mvhline(r.y, r.x + 1, ACS_HLINE, r.w - 2);
		mvhline(r.y + r.h - 1, r.x + 1, ACS_HLINE, r.w - 2);
		mvvline(r.y + 1, r.x, ACS_VLINE, r.h - 2);
		mvvline(r.y + 1, r.x + r.w - 1, ACS_VLINE, r.h - 2);
	} else {
		mvaddch(r.y, r.x, '+');
		mvaddch(r.y, r.x + r.w - 1, '+');
		mvaddch(r.y + r.h - 1, r.x, '+');
		mvaddch(r.y + r.h - 1, r.x + r.w - 1, '+');
		mvhline(r.y, r.x + 1, '-', r.w - 2);
		mvhline(r.y + r.h - 1, r.x + 1, '-', r.w - 2);
		mvvline(r.y + 1, r.x, '|', r.h - 2);
		mvvline(r.y + 1, r.x + r.w - 1, '|', r.h - 2);
	}
	attrset(A_NORMAL);
	if (title != NULL && r.w > 6) {
		int used;

		draw_text(r.y, r.x + 1, 1, " ", DR_NORMAL);
		used = draw_text(r.y, r.x + 2, r.w - 5, title, DR_HEADER);
		draw_text(r.y, r.x + 2 + used, 1, " ", DR_NORMAL);
	}
}

void
draw_progress(int y, int x, int w, uint64_t done, uint64_t total,
    const char *label)
{
	char	 a[32], b[32], *tail;
	int	 barw, fill, pct, tw, i;

	/* No total yet: the scan has not started (the members are read and
	 * the conditions compiled first), so there is no fraction to show. */
	if (total == 0) {
		tail = xasprintf(_("%s: preparing the scan..."),
		    label != NULL ? label : "");
		draw_text_pad(y, x, w, tail, DR_STATUS);
		free(tail);
		return;
	}
	if (done > total)
		done = total;
	pct = (int)(done * 100 / total);
	tail = xasprintf(" %3d%% %s / %s %s", pct,
	    draw_count(done, a, sizeof a), draw_count(total, b, sizeof b),
	    label != NULL ? label : "");
	tw = draw_width(tail);
	barw = w - tw - 2;
	if (barw < 5) {
		draw_text_pad(y, x, w, tail, DR_STATUS);
		free(tail);
		return;
	}
	fill = (int)((uint64_t)barw * done / total);
	draw_text(y, x, 1, "[", DR_STATUS);
	attrset(draw_attr(DR_CURSOR));
	for (i = 0; i < fill; i++)
		mvaddch(y, x + 1 + i, draw_color ? ' ' : '#');
	attrset(A_NORMAL);
	draw_fill(y, x + 1 + fill, barw - fill, DR_NORMAL);
	draw_text(y, x + 1 + barw, 1, "]", DR_STATUS);
	draw_text_pad(y, x + 2 + barw, w - barw - 2, tail, DR_STATUS);
	free(tail);
}

char *
draw_count(uint64_t n, char *buf, size_t len)
{
	return fmt_count(n, buf, len);
}
