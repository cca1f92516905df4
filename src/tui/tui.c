#include "config.h"

#include <stdio.h>

#include "cli/cli.h"
#include "i18n.h"

/* Until the terminal UI lands, no command means: show what there is. */
int
cli_ui(struct cli *cli)
{
	fprintf(stderr, _("%s: the terminal UI is not part of this build yet; "
	    "see 'reseg --help'\n"), cli->prog);
	return CLI_USAGE;
}
