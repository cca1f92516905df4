/*
 * The multi-line editor's model: rows of the soft wrap, moves by screen
 * rows, undo and redo, completion.  The text and the line-wise keys are
 * the line editor's (lineedit.c).  No curses calls here (only its key
 * codes), so the unit test links this file and lineedit.c alone;
 * textedit_draw.c paints.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "keys.h"
#include "lineedit.h"
#include "textedit.h"
#include "util.h"

#define TE_UNDO_MAX	500	/* steps kept; the oldest go first */

/* Kinds of edit: a run of one kind at the same place is one undo step. */
enum {
	TE_RUN_NONE,
	TE_RUN_TYPE,		/* characters typed */
	TE_RUN_BS,		/* Backspace */
	TE_RUN_DEL,		/* Delete */
	TE_RUN_COMP,		/* Tab and its further Tabs */
	TE_RUN_OTHER		/* each its own step */
};

/*
 * Display columns of the character at i (as draw_text shows it: a wide
 * one two, a combining mark none, a control or bad byte one, as '?').
 */
static int
te_char_width(const struct textedit *te, size_t i)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 n;
	int		 w;

	memset(&ps, 0, sizeof ps);
	n = mbrtowc(&wc, te->le.buf + i, te->le.len - i, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
		return 1;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

static int
te_width(const struct textedit *te, size_t a, size_t b)
{
	int	 w = 0;

	for (; a < b; a = lineedit_next(&te->le, a))
		w += te_char_width(te, a);
	return w;
}

void
textedit_init(struct textedit *te)
{
	memset(te, 0, sizeof *te);
	lineedit_init(&te->le, 0);
	te->goal = -1;
}

static void
te_snaps_free(struct te_snap *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].text);
}

static void
te_cands_free(struct textedit *te)
{
	size_t	 i;

	for (i = 0; i < te->ncands; i++)
		free(te->cands[i]);
	free(te->cands);
	te->cands = NULL;
	te->ncands = 0;
	te->comp_on = 0;
}

void
textedit_free(struct textedit *te)
{
	lineedit_free(&te->le);
	free(te->rows);
	te_snaps_free(te->undo, te->nundo);
	te_snaps_free(te->redo, te->nredo);
	free(te->undo);
	free(te->redo);
	te_cands_free(te);
	memset(te, 0, sizeof *te);
}

void
textedit_set(struct textedit *te, const char *s)
{
	if (te->le.buf == NULL)
		textedit_init(te);
	lineedit_set(&te->le, s);
	te->laid = 0;
	te->goal = -1;
	te->top = 0;
	te_snaps_free(te->undo, te->nundo);
	te_snaps_free(te->redo, te->nredo);
	te->nundo = te->nredo = 0;
	te->run = TE_RUN_NONE;
	te_cands_free(te);
}

const char *
textedit_text(const struct textedit *te)
{
	return lineedit_text(&te->le);
}

void
textedit_set_width(struct textedit *te, int w)
{
	if (w != te->width) {
		te->width = w;
		te->laid = 0;
	}
}

static void
te_add_row(struct textedit *te, size_t *cap, size_t a, size_t b, int cont)
{
	if (te->nrows == *cap) {
		*cap = *cap > 0 ? *cap * 2 : 16;
		te->rows = xreallocarray(te->rows, *cap, sizeof *te->rows);
	}
	te->rows[te->nrows].start = a;
	te->rows[te->nrows].end = b;
	te->rows[te->nrows].cont = cont;
	te->nrows++;
}

/*
 * One line [a, e) into rows of at most width columns: a row ends after
 * its last blank when a word would not fit, else where the width runs
 * out (a word wider than a row is cut); a character is never split.
 */
static void
te_layout_line(struct textedit *te, size_t *cap, size_t a, size_t e)
{
	size_t	 i, brk;
	int	 col, cw;

	while (te->width >= 1 && te_width(te, a, e) > te->width) {
		col = 0;
		brk = 0;
		for (i = a; i < e; i = lineedit_next(&te->le, i)) {
			cw = te_char_width(te, i);
			if (col + cw > te->width && i > a)
				break;
			col += cw;
			if (te->le.buf[i] == ' ')
				brk = i + 1;
		}
		/*
		 * A blank that does not fit stays at the row's end (the
		 * caret may stand on it in the mark's column); a word that
		 * does not fit goes to the next row whole.
		 */
		if (te->le.buf[i] == ' ')
			i++;
		else if (brk > a)
			i = brk;
		te_add_row(te, cap, a, i, 1);
		a = i;
	}
	te_add_row(te, cap, a, e, 0);
}

static void
te_layout(struct textedit *te)
{
	size_t	 a = 0, e, cap;

	if (te->laid)
		return;
	if (te->le.buf == NULL)
		textedit_init(te);
	free(te->rows);
	te->rows = NULL;
	te->nrows = cap = 0;
	for (;;) {
		e = lineedit_line_end(&te->le, a);
		te_layout_line(te, &cap, a, e);
		if (e >= te->le.len)
			break;
		a = e + 1;
	}
	te->laid = 1;
}

const struct te_row *
textedit_rows(struct textedit *te, size_t *n)
{
	te_layout(te);
	*n = te->nrows;
	return te->rows;
}

size_t
textedit_caret_row(struct textedit *te, int *col)
{
	size_t	 r;

	te_layout(te);
	for (r = 0; r + 1 < te->nrows; r++)
		if (te->le.cur < te->rows[r].end || (te->le.cur ==
		    te->rows[r].end && !te->rows[r].cont))
			break;
	if (col != NULL)
		*col = te_width(te, te->rows[r].start, te->le.cur);
	return r;
}

/* The last place of row r the caret may take: a continued row's end is
 * the next row's start. */
static size_t
te_row_last(const struct textedit *te, size_t r)
{
	const struct te_row *row = &te->rows[r];

	if (row->cont && row->end > row->start)
		return lineedit_prev(&te->le, row->end);
	return row->end;
}

/* The caret into row r at display column col, or before it. */
static void
te_row_goto(struct textedit *te, size_t r, int col)
{
	size_t	 i = te->rows[r].start, last = te_row_last(te, r);
	int	 c = 0, cw;

	while (i < last) {
		cw = te_char_width(te, i);
		if (c + cw > col)
			break;
		c += cw;
		i = lineedit_next(&te->le, i);
	}
	te->le.cur = i;
}

/* Up (dir < 0) or Down by n rows, keeping the goal column. */
static int
te_vmove(struct textedit *te, int dir, size_t n)
{
	size_t	 r;
	int	 col;

	r = textedit_caret_row(te, &col);
	if ((dir < 0 && r == 0) || (dir > 0 && r + 1 >= te->nrows))
		return TE_IGNORED;
	if (te->goal < 0)
		te->goal = col;
	if (dir < 0)
		r = r > n ? r - n : 0;
	else
		r = r + n < te->nrows ? r + n : te->nrows - 1;
	te_row_goto(te, r, te->goal);
	return TE_MOVED;
}

static struct te_snap
te_snap_take(const struct textedit *te)
{
	struct te_snap	 s;

	s.text = xstrdup(textedit_text(te));
	s.cur = te->le.cur;
	return s;
}

static void
te_snap_push(struct te_snap **v, size_t *n, struct te_snap s)
{
	if (*n == TE_UNDO_MAX) {
		free((*v)[0].text);
		memmove(*v, *v + 1, (*n - 1) * sizeof **v);
		(*n)--;
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* The text changed from before by an edit of kind run. */
static void
te_changed(struct textedit *te, struct te_snap before, int run)
{
	te->laid = 0;
	te_snaps_free(te->redo, te->nredo);
	te->nredo = 0;
	if (run != TE_RUN_OTHER && run == te->run && before.cur ==
	    te->run_cur)
		free(before.text);	/* the run goes on: one step */
	else
		te_snap_push(&te->undo, &te->nundo, before);
	te->run = run;
	te->run_cur = te->le.cur;
}

static void
te_restore(struct textedit *te, struct te_snap s)
{
	lineedit_set(&te->le, s.text);
	te->le.cur = s.cur <= te->le.len ? s.cur : te->le.len;
	free(s.text);
	te->laid = 0;
	te->goal = -1;
	te->run = TE_RUN_NONE;
	te->comp_on = 0;
}

int
textedit_undo(struct textedit *te)
{
	if (te->nundo == 0)
		return TE_IGNORED;
	te_snap_push(&te->redo, &te->nredo, te_snap_take(te));
	te_restore(te, te->undo[--te->nundo]);
	return TE_CHANGED;
}

int
textedit_redo(struct textedit *te)
{
	if (te->nredo == 0)
		return TE_IGNORED;
	te_snap_push(&te->undo, &te->nundo, te_snap_take(te));
	te_restore(te, te->redo[--te->nredo]);
	return TE_CHANGED;
}

/* The run an editing key belongs to. */
static int
te_key_run(int key, int is_keycode)
{
	if (TUI_IS_TEXT(key, is_keycode))
		return TE_RUN_TYPE;
	if (TUI_IS_BACKSPACE(key, is_keycode))
		return TE_RUN_BS;
	if (is_keycode && key == KEY_DC)
		return TE_RUN_DEL;
	return TE_RUN_OTHER;
}

int
textedit_key(struct textedit *te, int key, int is_keycode, int page)
{
	struct te_snap	 before;
	size_t		 r;
	int		 goal = te->goal, rc;

	if (te->le.buf == NULL)
		textedit_init(te);
	te->comp_on = 0;
	te->goal = -1;
	if (page < 1)
		page = 1;
	if (is_keycode) {
		switch (key) {
		case KEY_UP:
		case KEY_DOWN:
		case KEY_PPAGE:
		case KEY_NPAGE:
			te->goal = goal;
			rc = te_vmove(te, key == KEY_UP || key == KEY_PPAGE ?
			    -1 : 1, key == KEY_UP || key == KEY_DOWN ? 1 :
			    (size_t)page);
			if (rc != TE_IGNORED)
				te->run = TE_RUN_NONE;
			return rc;
		case KEY_HOME:
		case KEY_END:
			r = textedit_caret_row(te, NULL);
			te->le.cur = key == KEY_HOME ? te->rows[r].start :
			    te_row_last(te, r);
			te->run = TE_RUN_NONE;
			return TE_MOVED;
		default:
			break;
		}
	}
	before = te_snap_take(te);
	if (TUI_IS_ENTER(key, is_keycode)) {
		lineedit_insert(&te->le, "\n", 1);
		rc = TE_CHANGED;
	} else {
		switch (lineedit_key(&te->le, key, is_keycode)) {
		case LE_CHANGED:
			rc = TE_CHANGED;
			break;
		case LE_MOVED:
			rc = TE_MOVED;
			break;
		default:
			rc = TE_IGNORED;
			break;
		}
	}
	if (rc == TE_CHANGED && strcmp(before.text, textedit_text(te)) != 0)
		te_changed(te, before, te_key_run(key, is_keycode));
	else {
		free(before.text);
		if (rc == TE_MOVED)
			te->run = TE_RUN_NONE;
	}
	return rc;
}

void
textedit_pos(const struct textedit *te, int *line, int *col)
{
	size_t	 i, s;

	*line = 1;
	for (i = 0; i < te->le.cur; i++)
		if (te->le.buf[i] == '\n')
			(*line)++;
	s = lineedit_line_start(&te->le, te->le.cur);
	for (*col = 1; s < te->le.cur; s = lineedit_next(&te->le, s))
		(*col)++;
}

size_t
textedit_offset(const struct textedit *te, int line, int col)
{
	size_t	 i = 0, e;

	if (te->le.buf == NULL)
		return 0;
	while (--line > 0) {
		e = lineedit_line_end(&te->le, i);
		if (e >= te->le.len)
			return te->le.len;
		i = e + 1;
	}
	e = lineedit_line_end(&te->le, i);
	while (--col > 0 && i < e)
		i = lineedit_next(&te->le, i);
	return i;
}

void
textedit_goto(struct textedit *te, int line, int col)
{
	te->le.cur = textedit_offset(te, line, col);
	te->goal = -1;
	te->run = TE_RUN_NONE;
	te->comp_on = 0;
}

static int
te_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

int
textedit_word(const struct textedit *te, size_t *start)
{
	size_t	 i = te->le.cur;

	if (te->le.buf == NULL)
		return 0;
	while (i > 0 && te_word_char((unsigned char)te->le.buf[i - 1]))
		i--;
	if (i > 0 && (te->le.buf[i - 1] == '"' || te->le.buf[i - 1] == '`'))
		i--;
	*start = i;
	return i < te->le.cur;
}

static int
te_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replaces bytes [a, caret) with s. */
static void
te_replace(struct textedit *te, size_t a, const char *s)
{
	lineedit_delete(&te->le, a, te->le.cur);
	lineedit_insert(&te->le, s, strlen(s));
}

int
textedit_cycling(const struct textedit *te)
{
	return te->comp_on && te->ncands > 0 && te->le.cur == te->run_cur;
}

enum te_complete
textedit_complete(struct textedit *te, const char *const *words, size_t n)
{
	struct te_snap	 before;
	size_t		 start, plen, i, k, common;

	if (te->le.buf == NULL)
		textedit_init(te);
	te->goal = -1;
	if (textedit_cycling(te)) {
		before = te_snap_take(te);
		te_replace(te, te->comp_start, te->cands[te->comp_next]);
		te->comp_next = (te->comp_next + 1) % te->ncands;
		te_changed(te, before, TE_RUN_COMP);
		te->comp_on = 1;
		return TE_COMP_CYCLE;
	}
	te_cands_free(te);
	if (!textedit_word(te, &start))
		return TE_COMP_NOWORD;
	plen = te->le.cur - start;
	for (i = 0; i < n; i++) {
		if (strncmp(words[i], te->le.buf + start, plen) != 0)
			continue;
		for (k = 0; k < te->ncands; k++)
			if (strcmp(te->cands[k], words[i]) == 0)
				break;
		if (k < te->ncands)
			continue;
		te->cands = xreallocarray(te->cands, te->ncands + 1,
		    sizeof *te->cands);
		te->cands[te->ncands++] = xstrdup(words[i]);
	}
	if (te->ncands == 0)
		return TE_COMP_NONE;
	qsort(te->cands, te->ncands, sizeof *te->cands, te_strcmp);
	/* The common prefix, cut back to a whole character. */
	common = strlen(te->cands[0]);
	for (k = 1; k < te->ncands; k++)
		for (i = 0; i < common; i++)
			if (te->cands[k][i] != te->cands[0][i]) {
				common = i;
				break;
			}
	while (common > plen && (te->cands[0][common] & 0xc0) == 0x80)
		common--;
	before = te_snap_take(te);
	if (te->ncands == 1)
		te_replace(te, start, te->cands[0]);
	else {
		char *pre = xstrndup(te->cands[0], common);

		te_replace(te, start, pre);
		free(pre);
	}
	if (strcmp(before.text, textedit_text(te)) != 0)
		te_changed(te, before, TE_RUN_COMP);
	else {
		/* Nothing to undo yet: the first cycle is a step of its own. */
		free(before.text);
		te->run = TE_RUN_NONE;
		te->run_cur = te->le.cur;
	}
	if (te->ncands == 1)
		return TE_COMP_ONE;
	te->comp_start = start;
	te->comp_next = 0;
	te->comp_on = 1;
	return TE_COMP_MANY;
}
