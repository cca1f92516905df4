/*
 * The multi-line editor's model: inserting and new lines, the rows of
 * the soft wrap, moves by screen rows, undo grouping and completion.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "keys.h"
#include "textedit.h"
#include "testlib.h"

static void
type(struct textedit *te, const wchar_t *s)
{
	for (; *s != L'\0'; s++)
		textedit_key(te, (int)*s, 0, 5);
}

static int
key(struct textedit *te, int k)
{
	return textedit_key(te, k, 1, 5);
}

static void
check(const struct textedit *te, const char *text, size_t cur)
{
	ck_assert_str_eq(textedit_text(te), text);
	ck_assert_uint_eq(te->le.cur, cur);
}

/* The rows as "start-end" and "+" for a continued one. */
static void
check_rows(struct textedit *te, const char *want)
{
	const struct te_row *rows;
	char		 buf[256];
	size_t		 n, i, len = 0;

	rows = textedit_rows(te, &n);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%zu-%zu%s",
		    i > 0 ? " " : "", rows[i].start, rows[i].end,
		    rows[i].cont ? "+" : "");
	ck_assert_str_eq(buf, want);
}

START_TEST(test_insert_newline)
{
	struct textedit	 te;
	int		 line, col;

	textedit_init(&te);
	type(&te, L"ab");
	ck_assert_int_eq(textedit_key(&te, '\r', 0, 5), TE_CHANGED);
	type(&te, L"cé");
	check(&te, "ab\nc\xc3\xa9", 6);
	textedit_pos(&te, &line, &col);
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 3);
	ck_assert_int_eq(textedit_key(&te, KEY_ENTER, 1, 5), TE_CHANGED);
	check(&te, "ab\nc\xc3\xa9\n", 7);
	/* Tab and Esc are not the editor's: the form takes them. */
	ck_assert_int_eq(textedit_key(&te, '\t', 0, 5), TE_IGNORED);
	ck_assert_int_eq(textedit_key(&te, 0x1b, 0, 5), TE_IGNORED);
	/* Line and column (in characters) to an offset and back. */
	ck_assert_uint_eq(textedit_offset(&te, 2, 2), 4);
	ck_assert_uint_eq(textedit_offset(&te, 2, 3), 6);
	ck_assert_uint_eq(textedit_offset(&te, 2, 40), 6);
	ck_assert_uint_eq(textedit_offset(&te, 9, 1), 7);
	textedit_goto(&te, 1, 2);
	check(&te, "ab\nc\xc3\xa9\n", 1);
	textedit_free(&te);
}
END_TEST

START_TEST(test_wrap)
{
	struct textedit	 te;

	textedit_init(&te);
	/* No wrap: one row a line, an empty last line too. */
	textedit_set(&te, "aaa bbb ccc\n");
	check_rows(&te, "0-11 12-12");
	/* A word that does not fit goes to the next row whole. */
	textedit_set(&te, "ab cdef gh");
	textedit_set_width(&te, 5);
	check_rows(&te, "0-3+ 3-8+ 8-10");
	/* A blank that does not fit stays at its row's end. */
	textedit_set(&te, "aaa bbb ccc");
	textedit_set_width(&te, 7);
	check_rows(&te, "0-8+ 8-11");
	/* A word wider than a row is cut. */
	textedit_set(&te, "abcdefghij xy");
	textedit_set_width(&te, 4);
	check_rows(&te, "0-4+ 4-8+ 8-11+ 11-13");
	/* Wide characters count two columns and are never split. */
	textedit_set(&te, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	textedit_set_width(&te, 5);
	check_rows(&te, "0-6+ 6-9");
	/* Each line wraps on its own; the width changes the rows. */
	textedit_set(&te, "aa bb\ncc");
	textedit_set_width(&te, 3);
	check_rows(&te, "0-3+ 3-5 6-8");
	textedit_set_width(&te, 0);
	check_rows(&te, "0-5 6-8");
	textedit_free(&te);
}
END_TEST

START_TEST(test_moves)
{
	struct textedit	 te;
	int		 col;

	textedit_init(&te);
	textedit_set(&te, "aaa bbb ccc");
	textedit_set_width(&te, 8);		/* "aaa bbb " + "ccc" */
	textedit_goto(&te, 1, 2);
	ck_assert_uint_eq(textedit_caret_row(&te, &col), 0);
	ck_assert_int_eq(col, 1);
	ck_assert_int_eq(key(&te, KEY_DOWN), TE_MOVED);
	check(&te, "aaa bbb ccc", 9);
	ck_assert_uint_eq(textedit_caret_row(&te, &col), 1);
	/* Down at the last row is the form's: the next field. */
	ck_assert_int_eq(key(&te, KEY_DOWN), TE_IGNORED);
	ck_assert_int_eq(key(&te, KEY_UP), TE_MOVED);
	check(&te, "aaa bbb ccc", 1);
	ck_assert_int_eq(key(&te, KEY_UP), TE_IGNORED);
	/* Home and End: the screen row; a continued row ends before its
	 * last character (its end is the next row's start). */
	ck_assert_int_eq(key(&te, KEY_END), TE_MOVED);
	check(&te, "aaa bbb ccc", 7);
	ck_assert_int_eq(key(&te, KEY_RIGHT), TE_MOVED);
	ck_assert_uint_eq(textedit_caret_row(&te, &col), 1);
	ck_assert_int_eq(col, 0);
	ck_assert_int_eq(key(&te, KEY_END), TE_MOVED);
	check(&te, "aaa bbb ccc", 11);
	ck_assert_int_eq(key(&te, KEY_HOME), TE_MOVED);
	check(&te, "aaa bbb ccc", 8);
	/* ^A and ^E: the whole line, as in every field. */
	textedit_key(&te, TUI_CTRL('A'), 0, 5);
	check(&te, "aaa bbb ccc", 0);
	textedit_key(&te, TUI_CTRL('E'), 0, 5);
	check(&te, "aaa bbb ccc", 11);
	/* Up and Down keep the column they started from. */
	textedit_set(&te, "abcdef\nx\nabcdef");
	textedit_set_width(&te, 0);
	textedit_goto(&te, 1, 6);
	key(&te, KEY_DOWN);
	check(&te, "abcdef\nx\nabcdef", 8);
	key(&te, KEY_DOWN);
	check(&te, "abcdef\nx\nabcdef", 14);
	/* Columns are display columns: a wide character is two. */
	textedit_set(&te, "\xe6\x97\xa5\xe6\x9c\xac\nabcd");
	textedit_goto(&te, 2, 4);
	key(&te, KEY_UP);
	check(&te, "\xe6\x97\xa5\xe6\x9c\xac\nabcd", 3);
	/* PgUp, PgDn: a page of rows, or as far as there are. */
	textedit_set(&te, "1\n2\n3\n4\n5\n6\n7\n8");
	textedit_goto(&te, 1, 1);
	ck_assert_int_eq(key(&te, KEY_NPAGE), TE_MOVED);
	check(&te, "1\n2\n3\n4\n5\n6\n7\n8", 10);
	ck_assert_int_eq(key(&te, KEY_NPAGE), TE_MOVED);
	check(&te, "1\n2\n3\n4\n5\n6\n7\n8", 14);
	ck_assert_int_eq(key(&te, KEY_NPAGE), TE_IGNORED);
	ck_assert_int_eq(key(&te, KEY_PPAGE), TE_MOVED);
	check(&te, "1\n2\n3\n4\n5\n6\n7\n8", 4);
	textedit_free(&te);
}
END_TEST

START_TEST(test_undo)
{
	struct textedit	 te;

	textedit_init(&te);
	textedit_set(&te, "x");
	/* Nothing to undo after set: the loaded text is the start. */
	ck_assert_int_eq(textedit_undo(&te), TE_IGNORED);
	type(&te, L" and y");
	check(&te, "x and y", 7);
	/* A run of typing is one step. */
	ck_assert_int_eq(textedit_undo(&te), TE_CHANGED);
	check(&te, "x", 1);
	ck_assert_int_eq(textedit_redo(&te), TE_CHANGED);
	check(&te, "x and y", 7);
	/* A move ends the run; so does another kind of edit. */
	key(&te, KEY_LEFT);
	type(&te, L"z");
	key(&te, KEY_BACKSPACE);
	key(&te, KEY_BACKSPACE);
	check(&te, "x andy", 5);
	textedit_key(&te, '\r', 0, 5);
	check(&te, "x and\ny", 6);
	textedit_undo(&te);
	check(&te, "x andy", 5);
	textedit_undo(&te);		/* both Backspaces */
	check(&te, "x and zy", 7);
	textedit_undo(&te);		/* the z */
	check(&te, "x and y", 6);
	textedit_undo(&te);		/* " and y" */
	check(&te, "x", 1);
	ck_assert_int_eq(textedit_undo(&te), TE_IGNORED);
	/* An edit after undo drops what could be redone. */
	type(&te, L"!");
	ck_assert_int_eq(textedit_redo(&te), TE_IGNORED);
	check(&te, "x!", 2);
	/* A key that changes nothing is no step. */
	key(&te, KEY_DC);
	textedit_undo(&te);
	check(&te, "x", 1);
	textedit_free(&te);
}
END_TEST

START_TEST(test_complete)
{
	static const char *const words[] = { "age", "and", "age_group",
	    "country", "\"purchase\"", "\"login\"", "age" };
	const size_t	 n = sizeof words / sizeof words[0];
	struct textedit	 te;
	size_t		 start;

	textedit_init(&te);
	/* No word before the caret: Tab is the form's. */
	textedit_set(&te, "x ");
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_NOWORD);
	/* One candidate completes the word. */
	textedit_set(&te, "x = 1 and co");
	ck_assert(textedit_word(&te, &start));
	ck_assert_uint_eq(start, 10);
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_ONE);
	check(&te, "x = 1 and country", 17);
	/* None: nothing changes. */
	textedit_set(&te, "zz");
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_NONE);
	check(&te, "zz", 2);
	/* Several: their common prefix, the candidates sorted, once each;
	 * a further Tab puts each in turn. */
	textedit_set(&te, "a");
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_MANY);
	check(&te, "a", 1);
	ck_assert_uint_eq(te.ncands, 3);
	ck_assert_str_eq(te.cands[0], "age");
	ck_assert_str_eq(te.cands[1], "age_group");
	ck_assert_str_eq(te.cands[2], "and");
	textedit_set(&te, "ag");
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_MANY);
	check(&te, "age", 3);
	ck_assert_uint_eq(te.ncands, 2);
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_CYCLE);
	check(&te, "age", 3);
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_CYCLE);
	check(&te, "age_group", 9);
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_CYCLE);
	check(&te, "age", 3);
	/* The completion is one undo step. */
	textedit_undo(&te);
	check(&te, "ag", 2);
	/* A key in between ends the cycle: Tab completes afresh. */
	textedit_redo(&te);
	type(&te, L"_");
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_ONE);
	check(&te, "age_group", 9);
	/* An event name in its quotes. */
	textedit_set(&te, "did \"pu");
	ck_assert(textedit_word(&te, &start));
	ck_assert_uint_eq(start, 4);
	ck_assert_int_eq(textedit_complete(&te, words, n), TE_COMP_ONE);
	check(&te, "did \"purchase\"", 14);
	textedit_free(&te);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("textedit");
	TCase	*tc = tcase_create("model");

	setlocale(LC_ALL, "C.UTF-8");
	tcase_add_test(tc, test_insert_newline);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_moves);
	tcase_add_test(tc, test_undo);
	tcase_add_test(tc, test_complete);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
