/*
 * Key dispatch from the action table (actions.def).  The default key
 * strings are parsed once into key codes; a key is looked up in the
 * current view's actions first, then in the global ones, so one key may
 * mean different things on different screens.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include <curses.h>

#include "i18n.h"
#include "keys.h"
#include "tui.h"

#define ACTIONS_MAX_KEYS	4

struct action_info {
	const char	*name;
	const char	*keys;
	const char	*help;
	int		 codes[ACTIONS_MAX_KEYS];
	int		 ncodes;
};

static struct action_info actions_table[ACT_COUNT] = {
	[ACT_NONE] = { "none", "", "", { 0 }, 0 },
#define ACTION(id, name, keys, help) [ACT_##id] = { name, keys, help, { 0 }, 0 },
#include "actions.def"
#undef ACTION
};

const enum action actions_global[] = {
	ACT_HELP, ACT_QUIT, ACT_QUIT_ALL, ACT_BACK, ACT_SEG_CANCEL, ACT_REDRAW,
	ACT_TIME_ZONE, ACT_NONE
};

static int actions_ready;

/* Key codes above KEY_MAX: Tab, Esc and friends keep their ASCII codes. */
static const struct {
	const char	*name;
	int		 code;
	int		 code2;
} actions_names[] = {
	{ "Up", KEY_UP, 0 },
	{ "Down", KEY_DOWN, 0 },
	{ "Left", KEY_LEFT, 0 },
	{ "Right", KEY_RIGHT, 0 },
	{ "PgUp", KEY_PPAGE, 0 },
	{ "PgDn", KEY_NPAGE, 0 },
	{ "Home", KEY_HOME, 0 },
	{ "End", KEY_END, 0 },
	{ "Enter", TUI_KEY_LF, KEY_ENTER },
	{ "Esc", TUI_KEY_ESC, 0 },
	{ "Tab", TUI_KEY_TAB, 0 },
	{ "BTab", KEY_BTAB, 0 },
	{ "Insert", KEY_IC, 0 },
	{ "Delete", KEY_DC, 0 },
	{ "Space", TUI_KEY_SPACE, 0 },
	{ "Backspace", KEY_BACKSPACE, TUI_KEY_DEL },
};

/* Parses one key name; returns the number of codes put in codes[]. */
static int
actions_parse_key(const char *s, size_t len, int *codes)
{
	size_t	 i;
	int	 n;

	if (len == 1) {
		codes[0] = (unsigned char)s[0];
		return 1;
	}
	if (len == 2 && s[0] == '^') {
		codes[0] = TUI_CTRL(toupper((unsigned char)s[1]));
		return 1;
	}
	if (s[0] == 'F' && len <= 3 && isdigit((unsigned char)s[1])) {
		n = s[1] - '0';
		if (len == 3)
			n = n * 10 + (s[2] - '0');
		codes[0] = KEY_F(n);
		return 1;
	}
	for (i = 0; i < sizeof actions_names / sizeof actions_names[0]; i++) {
		if (strlen(actions_names[i].name) == len &&
		    strncmp(actions_names[i].name, s, len) == 0) {
			codes[0] = actions_names[i].code;
			if (actions_names[i].code2 == 0)
				return 1;
			codes[1] = actions_names[i].code2;
			return 2;
		}
	}
	return 0;
}

int
actions_key_code(const char *name, int *code, int *keycode)
{
	int	 codes[2];

	if (actions_parse_key(name, strlen(name), codes) == 0)
		return -1;
	*code = codes[0];
	*keycode = codes[0] >= KEY_MIN;
	return 0;
}

static void
actions_init(void)
{
	struct action_info	*a;
	const char		*p, *e;
	int			 codes[2], n, i, j;

	for (i = 1; i < ACT_COUNT; i++) {
		a = &actions_table[i];
		for (p = a->keys; *p != '\0'; p = e) {
			while (*p == ' ')
				p++;
			for (e = p; *e != '\0' && *e != ' '; e++)
				;
			if (e == p)
				break;
			n = actions_parse_key(p, (size_t)(e - p), codes);
			for (j = 0; j < n && a->ncodes < ACTIONS_MAX_KEYS; j++)
				a->codes[a->ncodes++] = codes[j];
		}
	}
	/* Ctrl-M and Ctrl-J both end a line, whatever the terminal sends. */
	a = &actions_table[ACT_ENTER];
	if (a->ncodes < ACTIONS_MAX_KEYS)
		a->codes[a->ncodes++] = TUI_KEY_CR;
	actions_ready = 1;
}

static int
actions_has_key(enum action act, int key)
{
	const struct action_info	*a = &actions_table[act];
	int				 i;

	for (i = 0; i < a->ncodes; i++)
		if (a->codes[i] == key)
			return 1;
	return 0;
}

enum action
actions_lookup(int key, const enum action *view_actions)
{
	const enum action	*p;

	if (!actions_ready)
		actions_init();
	if (view_actions != NULL)
		for (p = view_actions; *p != ACT_NONE; p++)
			if (actions_has_key(*p, key))
				return *p;
	for (p = actions_global; *p != ACT_NONE; p++)
		if (actions_has_key(*p, key))
			return *p;
	return ACT_NONE;
}

const char *
actions_keys(enum action act)
{
	return actions_table[act].keys;
}

const char *
actions_help(enum action act)
{
	return act == ACT_NONE ? "" : _(actions_table[act].help);
}

const char *
actions_fkey(enum action act)
{
	static char	 buf[ACT_COUNT][4];
	const char	*p, *e;

	for (p = actions_table[act].keys; *p != '\0'; p = e) {
		while (*p == ' ')
			p++;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		if (e - p >= 2 && e - p <= 3 && p[0] == 'F' &&
		    isdigit((unsigned char)p[1])) {
			memcpy(buf[act], p, (size_t)(e - p));
			buf[act][e - p] = '\0';
			return buf[act];
		}
	}
	return NULL;
}

/* Key bar labels: a word or two, where the help text is a sentence. */
static const struct {
	enum action	 act;
	const char	*label;
} actions_shorts[] = {
	{ ACT_HELP, N_("Help") },
	{ ACT_QUIT_ALL, N_("Quit") },
	{ ACT_SEG_CREATE, N_("New") },
	{ ACT_SEG_EDIT, N_("Edit") },
	{ ACT_SEG_CLONE, N_("Clone") },
	{ ACT_SEG_DELETE, N_("Delete") },
	{ ACT_SEG_RECALC, N_("Recalc") },
	{ ACT_FORM_SAVE, N_("Save") },
	{ ACT_FORM_PREVIEW, N_("Preview") },
	{ ACT_FORM_SCRIPT, N_("Script") },
};

const char *
actions_short(enum action act)
{
	size_t	 i;

	for (i = 0; i < sizeof actions_shorts / sizeof actions_shorts[0]; i++)
		if (actions_shorts[i].act == act)
			return _(actions_shorts[i].label);
	return actions_table[act].name;
}
