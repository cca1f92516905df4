/*
 * reseg: scheduled segments of customer profiles.  main() sets up the
 * locale and translations, then hands over to the command line, giving
 * it the terminal UI to open when no command is given: the two front
 * ends never include each other.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "i18n.h"
#include "tui/tui_main.h"
#include "util.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* Counts for people are grouped as LC_NUMERIC says (fmt_count)... */
	fmt_count_init();
	/* ...but numbers in files and scripts always use '.', whatever the locale. */
	setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
	/* RESEG_LOCALEDIR: catalogs outside $(localedir), as in the tests. */
	const char *dir = getenv("RESEG_LOCALEDIR");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir :
	    LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
	return cli_main(argc, argv, tui_main);
}
