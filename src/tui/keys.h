/*
 * Raw keys by name.  get_wch() hands the UI either a character (a
 * control code, a printable character) or, with KEY_CODE_YES, one of
 * curses' KEY_* codes; the keys bound to actions are named in
 * actions.def, and every other key a file compares against is named
 * here, so no file tests a bare number.
 */
#ifndef RESEG_TUI_KEYS_H
#define RESEG_TUI_KEYS_H

#include <curses.h>

/* The code Ctrl and a letter send: TUI_CTRL('C') is ^C (3). */
#define TUI_CTRL(c)	((c) & 0x1f)

#define TUI_KEY_CANCEL	TUI_CTRL('C')	/* raw mode makes ^C a key */
#define TUI_KEY_ABORT	TUI_CTRL('G')	/* ^G cancels a prompt (Emacs) */
#define TUI_KEY_BS	TUI_CTRL('H')	/* Backspace on some terminals */
#define TUI_KEY_TAB	'\t'
#define TUI_KEY_LF	'\n'		/* Enter (^J) */
#define TUI_KEY_CR	'\r'		/* Enter (^M) as raw mode sends it */
#define TUI_KEY_ESC	0x1b
#define TUI_KEY_SPACE	' '
#define TUI_KEY_DEL	0x7f		/* Backspace on most terminals */

/* The answers of a yes/no question (tui_confirm), in either case. */
#define TUI_KEY_YES	'y'
#define TUI_KEY_NO	'n'

/* Predicates over a key and its is_keycode flag, as get_wch gives them. */
#define TUI_IS_ENTER(k, kc)						\
	((kc) ? (k) == KEY_ENTER : ((k) == TUI_KEY_LF || (k) == TUI_KEY_CR))
#define TUI_IS_BACKSPACE(k, kc)						\
	((kc) ? (k) == KEY_BACKSPACE : ((k) == TUI_KEY_DEL || (k) == TUI_KEY_BS))
/* A character to insert: not a control code, not Delete. */
#define TUI_IS_TEXT(k, kc)						\
	(!(kc) && (k) >= TUI_KEY_SPACE && (k) != TUI_KEY_DEL)
/* A plain (not KEY_*) key equal to c. */
#define TUI_IS_CHAR(k, kc, c)	(!(kc) && (k) == (c))

#endif
