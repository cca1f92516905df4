/* The UI's line editor: what each key does to the text and the caret. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "keys.h"
#include "lineedit.h"
#include "testlib.h"

/* Feeds plain characters (UTF-8 decoded) as typed keys. */
static void
type(struct lineedit *le, const wchar_t *s)
{
	for (; *s != L'\0'; s++)
		lineedit_key(le, (int)*s, 0);
}

static void
check(const struct lineedit *le, const char *text, size_t cur)
{
	ck_assert_str_eq(lineedit_text(le), text);
	ck_assert_uint_eq(le->cur, cur);
}

/* A proposed default: typing replaces it; a move or an edit keeps it. */
START_TEST(test_propose)
{
	struct lineedit	 le;

	lineedit_init(&le, 0);
	lineedit_propose(&le, "X (copy)");
	ck_assert_int_eq(lineedit_key(&le, '\r', 0), LE_IGNORED);
	type(&le, L"Y");
	check(&le, "Y", 1);
	type(&le, L"z");
	check(&le, "Yz", 2);
	lineedit_propose(&le, "out.csv");
	ck_assert_int_eq(lineedit_key(&le, KEY_HOME, 1), LE_MOVED);
	type(&le, L"~/");
	check(&le, "~/out.csv", 2);
	lineedit_propose(&le, "out.csv");
	ck_assert_int_eq(lineedit_key(&le, TUI_CTRL('A'), 0), LE_MOVED);
	ck_assert_int_eq(lineedit_key(&le, TUI_CTRL('K'), 0), LE_CHANGED);
	check(&le, "", 0);
	lineedit_propose(&le, "abc");
	ck_assert_int_eq(lineedit_key(&le, KEY_BACKSPACE, 1), LE_CHANGED);
	type(&le, L"d");
	check(&le, "abd", 3);
	/* Nothing proposed (set replaces a proposal): typing appends. */
	lineedit_propose(&le, "xyz");
	lineedit_set(&le, "abc");
	type(&le, L"d");
	check(&le, "abcd", 4);
	lineedit_free(&le);
}
END_TEST

START_TEST(test_insert_move)
{
	struct lineedit	 le;

	lineedit_init(&le, 0);
	type(&le, L"héllo");
	check(&le, "h\xc3\xa9llo", 6);
	ck_assert_uint_eq(lineedit_chars(&le), 5);
	ck_assert_int_eq(lineedit_key(&le, KEY_LEFT, 1), LE_MOVED);
	ck_assert_int_eq(lineedit_key(&le, KEY_LEFT, 1), LE_MOVED);
	ck_assert_int_eq(lineedit_key(&le, KEY_LEFT, 1), LE_MOVED);
	check(&le, "h\xc3\xa9llo", 3);
	/* Left over the two bytes of é lands on its first. */
	lineedit_key(&le, KEY_LEFT, 1);
	ck_assert_uint_eq(le.cur, 1);
	ck_assert_int_eq(lineedit_key(&le, 'X', 0), LE_CHANGED);
	check(&le, "hX\xc3\xa9llo", 2);
	lineedit_key(&le, TUI_CTRL('E'), 0);
	ck_assert_uint_eq(le.cur, 7);
	lineedit_key(&le, TUI_CTRL('A'), 0);
	ck_assert_uint_eq(le.cur, 0);
	lineedit_key(&le, KEY_END, 1);
	ck_assert_uint_eq(le.cur, 7);
	lineedit_key(&le, KEY_HOME, 1);
	ck_assert_uint_eq(le.cur, 0);
	ck_assert_int_eq(lineedit_key(&le, KEY_LEFT, 1), LE_MOVED);
	ck_assert_uint_eq(le.cur, 0);
	lineedit_key(&le, KEY_END, 1);
	ck_assert_int_eq(lineedit_key(&le, KEY_RIGHT, 1), LE_MOVED);
	ck_assert_uint_eq(le.cur, 7);
	lineedit_free(&le);
}
END_TEST

START_TEST(test_delete)
{
	struct lineedit	 le;

	lineedit_init(&le, 0);
	lineedit_set(&le, "ab\xc3\xa9" "cd");
	check(&le, "ab\xc3\xa9" "cd", 6);
	ck_assert_int_eq(lineedit_key(&le, TUI_KEY_DEL, 0), LE_CHANGED);
	check(&le, "ab\xc3\xa9" "c", 5);
	ck_assert_int_eq(lineedit_key(&le, TUI_KEY_BS, 0), LE_CHANGED);
	ck_assert_int_eq(lineedit_key(&le, KEY_BACKSPACE, 1), LE_CHANGED);
	check(&le, "ab", 2);
	lineedit_key(&le, KEY_HOME, 1);
	ck_assert_int_eq(lineedit_key(&le, KEY_BACKSPACE, 1), LE_MOVED);
	ck_assert_int_eq(lineedit_key(&le, KEY_DC, 1), LE_CHANGED);
	check(&le, "b", 0);
	lineedit_key(&le, KEY_END, 1);
	ck_assert_int_eq(lineedit_key(&le, KEY_DC, 1), LE_MOVED);
	check(&le, "b", 1);
	lineedit_free(&le);
}
END_TEST

START_TEST(test_kill)
{
	struct lineedit	 le;

	lineedit_init(&le, 0);
	lineedit_set(&le, "one two  three");
	ck_assert_int_eq(lineedit_key(&le, TUI_CTRL('W'), 0), LE_CHANGED);
	check(&le, "one two  ", 9);
	ck_assert_int_eq(lineedit_key(&le, TUI_CTRL('W'), 0), LE_CHANGED);
	check(&le, "one ", 4);
	lineedit_key(&le, KEY_HOME, 1);
	lineedit_key(&le, KEY_RIGHT, 1);
	ck_assert_int_eq(lineedit_key(&le, TUI_CTRL('K'), 0), LE_CHANGED);
	check(&le, "o", 1);
	ck_assert_int_eq(lineedit_key(&le, TUI_CTRL('K'), 0), LE_MOVED);
	lineedit_set(&le, "clear me");
	lineedit_key(&le, KEY_LEFT, 1);
	ck_assert_int_eq(lineedit_key(&le, TUI_CTRL('U'), 0), LE_CHANGED);
	check(&le, "", 0);
	lineedit_free(&le);
}
END_TEST

START_TEST(test_lines)
{
	struct lineedit	 le;

	/* Line-wise keys stay on the caret's line. */
	lineedit_init(&le, 0);
	lineedit_set(&le, "ab\ncd\nef");
	le.cur = 4;
	lineedit_key(&le, KEY_HOME, 1);
	ck_assert_uint_eq(le.cur, 3);
	lineedit_key(&le, KEY_END, 1);
	ck_assert_uint_eq(le.cur, 5);
	lineedit_key(&le, TUI_CTRL('U'), 0);
	check(&le, "ab\n\nef", 3);
	lineedit_insert(&le, "x", 1);
	lineedit_key(&le, KEY_HOME, 1);
	lineedit_key(&le, TUI_CTRL('K'), 0);
	check(&le, "ab\n\nef", 3);
	lineedit_free(&le);
}
END_TEST

START_TEST(test_not_editing)
{
	struct lineedit	 le;

	lineedit_init(&le, 0);
	ck_assert_int_eq(lineedit_key(&le, TUI_KEY_CR, 0), LE_IGNORED);
	ck_assert_int_eq(lineedit_key(&le, TUI_KEY_LF, 0), LE_IGNORED);
	ck_assert_int_eq(lineedit_key(&le, TUI_KEY_ESC, 0), LE_IGNORED);
	ck_assert_int_eq(lineedit_key(&le, TUI_KEY_TAB, 0), LE_IGNORED);
	ck_assert_int_eq(lineedit_key(&le, TUI_KEY_CANCEL, 0), LE_IGNORED);
	ck_assert_int_eq(lineedit_key(&le, KEY_ENTER, 1), LE_IGNORED);
	ck_assert_int_eq(lineedit_key(&le, KEY_UP, 1), LE_IGNORED);
	ck_assert_int_eq(lineedit_key(&le, KEY_F(2), 1), LE_IGNORED);
	check(&le, "", 0);
	lineedit_free(&le);
}
END_TEST

START_TEST(test_max)
{
	struct lineedit	 le;

	lineedit_init(&le, 3);
	lineedit_set(&le, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	check(&le, "\xc3\xa9\xc3\xa9\xc3\xa9", 6);
	ck_assert_int_eq(lineedit_key(&le, 'x', 0), LE_REFUSED);
	lineedit_key(&le, KEY_BACKSPACE, 1);
	ck_assert_int_eq(lineedit_key(&le, 'x', 0), LE_CHANGED);
	check(&le, "\xc3\xa9\xc3\xa9x", 5);
	lineedit_set(&le, NULL);
	check(&le, "", 0);
	lineedit_free(&le);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("lineedit");
	TCase	*tc = tcase_create("keys");

	/* Typed characters are encoded in the locale's charset. */
	setlocale(LC_ALL, "C.UTF-8");
	tcase_add_test(tc, test_insert_move);
	tcase_add_test(tc, test_propose);
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_kill);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_not_editing);
	tcase_add_test(tc, test_max);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
