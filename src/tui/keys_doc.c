/*
 * Prints the key table of actions.def as the README lists it ("    KEYS
 * HELP (name)"), or with --man as the man page's .TP entries, so that
 * the documentation is regenerated from the one source: `make keys`
 * prints it, `make update-readme-keys` rewrites the README block.
 * English only: the documentation is written in English.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#define N_(s)	s

struct keys_doc {
	const char	*name;
	const char	*keys;
	const char	*help;
};

static const struct keys_doc keys_doc_table[] = {
#define ACTION(id, name, keys, help) { name, keys, help },
#include "actions.def"
#undef ACTION
};

/* Man page text: "-" as "\-", each key in bold, keys comma-separated. */
static void
keys_doc_man(const struct keys_doc *k)
{
	const char	*p, *e, *c;
	int		 first = 1;

	for (p = k->keys; *p != '\0'; p = e) {
		while (*p == ' ')
			p++;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		if (e == p)
			break;
		printf("%s\\fB", first ? ".TP\n" : ", ");
		for (c = p; c < e; c++)
			printf(*c == '-' ? "\\-" : *c == '\\' ? "\\e" : "%c",
			    *c);
		printf("\\fR");
		first = 0;
	}
	printf(" (");
	for (c = k->name; *c != '\0'; c++)
		printf(*c == '-' ? "\\-" : "%c", *c);
	printf(")\n%s.\n", k->help);
}

int
main(int argc, char **argv)
{
	size_t	 i, n = sizeof keys_doc_table / sizeof keys_doc_table[0];
	int	 man = argc > 1 && strcmp(argv[1], "--man") == 0;

	for (i = 0; i < n; i++) {
		if (man)
			keys_doc_man(&keys_doc_table[i]);
		else
			printf("    %-10s %s (%s)\n", keys_doc_table[i].keys,
			    keys_doc_table[i].help, keys_doc_table[i].name);
	}
	return 0;
}
