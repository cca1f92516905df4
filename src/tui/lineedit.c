/*
 * The line editor's text and keys: a UTF-8 buffer, the caret as a byte
 * offset always on a character boundary, and what each editing key does
 * to them.  No curses calls here (only its key codes), so the unit test
 * links this file alone; lineedit_draw.c paints.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "keys.h"
#include "lineedit.h"
#include "util.h"

static int
lineedit_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t
lineedit_prev(const struct lineedit *le, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && lineedit_cont((unsigned char)le->buf[i]))
		i--;
	return i;
}

size_t
lineedit_next(const struct lineedit *le, size_t i)
{
	if (i >= le->len)
		return le->len;
	i++;
	while (i < le->len && lineedit_cont((unsigned char)le->buf[i]))
		i++;
	return i;
}

size_t
lineedit_line_start(const struct lineedit *le, size_t i)
{
	while (i > 0 && le->buf[i - 1] != '\n')
		i--;
	return i;
}

size_t
lineedit_line_end(const struct lineedit *le, size_t i)
{
	while (i < le->len && le->buf[i] != '\n')
		i++;
	return i;
}

void
lineedit_init(struct lineedit *le, size_t max)
{
	memset(le, 0, sizeof *le);
	le->max = max;
	le->cap = 16;
	le->buf = xcalloc(1, le->cap);
}

void
lineedit_free(struct lineedit *le)
{
	free(le->buf);
	memset(le, 0, sizeof *le);
}

const char *
lineedit_text(const struct lineedit *le)
{
	return le->buf != NULL ? le->buf : "";
}

size_t
lineedit_chars(const struct lineedit *le)
{
	size_t	 i, n = 0;

	for (i = 0; i < le->len; i++)
		if (!lineedit_cont((unsigned char)le->buf[i]))
			n++;
	return n;
}

void
lineedit_insert(struct lineedit *le, const char *s, size_t n)
{
	if (le->buf == NULL)
		lineedit_init(le, 0);
	if (le->len + n + 1 > le->cap) {
		le->cap = (le->len + n + 1) * 2;
		le->buf = xrealloc(le->buf, le->cap);
	}
	memmove(le->buf + le->cur + n, le->buf + le->cur,
	    le->len - le->cur + 1);
	memcpy(le->buf + le->cur, s, n);
	le->len += n;
	le->cur += n;
}

void
lineedit_set(struct lineedit *le, const char *s)
{
	size_t	 n = 0, chars = 0;

	if (le->buf == NULL)
		lineedit_init(le, 0);
	le->len = le->cur = 0;
	le->buf[0] = '\0';
	le->left = 0;
	le->fresh = 0;
	if (s == NULL)
		return;
	/* Whole characters only, at most max of them. */
	while (s[n] != '\0' && (le->max == 0 || chars < le->max)) {
		n++;
		while (lineedit_cont((unsigned char)s[n]))
			n++;
		chars++;
	}
	lineedit_insert(le, s, n);
}

void
lineedit_delete(struct lineedit *le, size_t a, size_t b)
{
	memmove(le->buf + a, le->buf + b, le->len - b + 1);
	le->len -= b - a;
	le->cur = a;
}

/* ^W: the blanks before the caret, then the word before them. */
static size_t
lineedit_word_start(const struct lineedit *le)
{
	size_t	 start = lineedit_line_start(le, le->cur), i = le->cur;

	while (i > start && le->buf[i - 1] == ' ')
		i--;
	while (i > start && le->buf[i - 1] != ' ')
		i--;
	return i;
}

static enum lineedit_result
lineedit_kill(struct lineedit *le, size_t a, size_t b)
{
	if (a == b)
		return LE_MOVED;
	lineedit_delete(le, a, b);
	return LE_CHANGED;
}

static enum lineedit_result
lineedit_keycode(struct lineedit *le, int key)
{
	switch (key) {
	case KEY_LEFT:
		le->cur = lineedit_prev(le, le->cur);
		return LE_MOVED;
	case KEY_RIGHT:
		le->cur = lineedit_next(le, le->cur);
		return LE_MOVED;
	case KEY_HOME:
		le->cur = lineedit_line_start(le, le->cur);
		return LE_MOVED;
	case KEY_END:
		le->cur = lineedit_line_end(le, le->cur);
		return LE_MOVED;
	case KEY_BACKSPACE:
		return lineedit_kill(le, lineedit_prev(le, le->cur), le->cur);
	case KEY_DC:
		return lineedit_kill(le, le->cur, lineedit_next(le, le->cur));
	default:
		return LE_IGNORED;
	}
}

void
lineedit_propose(struct lineedit *le, const char *s)
{
	lineedit_set(le, s);
	le->fresh = le->len > 0;
}

enum lineedit_result
lineedit_key(struct lineedit *le, int key, int is_keycode)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 n;
	int		 fresh = le->fresh;

	if (le->buf == NULL)
		lineedit_init(le, 0);
	le->fresh = 0;
	if (is_keycode)
		return lineedit_keycode(le, key);
	switch (key) {
	case TUI_KEY_DEL:
	case TUI_KEY_BS:
		return lineedit_keycode(le, KEY_BACKSPACE);
	case TUI_CTRL('A'):
		return lineedit_keycode(le, KEY_HOME);
	case TUI_CTRL('E'):
		return lineedit_keycode(le, KEY_END);
	case TUI_CTRL('K'):
		return lineedit_kill(le, le->cur,
		    lineedit_line_end(le, le->cur));
	case TUI_CTRL('U'):		/* the whole line, as the prompt did */
		return lineedit_kill(le, lineedit_line_start(le, le->cur),
		    lineedit_line_end(le, le->cur));
	case TUI_CTRL('W'):
		return lineedit_kill(le, lineedit_word_start(le), le->cur);
	default:
		break;
	}
	if (!TUI_IS_TEXT(key, 0)) {
		/* Enter, Esc, Tab: the proposal stays one. */
		le->fresh = fresh;
		return LE_IGNORED;
	}
	if (fresh)
		lineedit_delete(le, 0, le->len);
	if (le->max > 0 && lineedit_chars(le) >= le->max)
		return LE_REFUSED;
	memset(&ps, 0, sizeof ps);
	if ((n = wcrtomb(mb, (wchar_t)key, &ps)) == (size_t)-1)
		return LE_REFUSED;
	lineedit_insert(le, mb, n);
	return LE_CHANGED;
}
