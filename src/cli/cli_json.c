/*
 * --json: which commands give their result as JSON (doc/json.md has the
 * objects and their fields), and the printing they share.  A command
 * that prints no result (it changes something and says so, or writes
 * data in a format of its own) refuses --json instead of ignoring it, so
 * that a script learns at once that it gets no JSON.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"

/* The commands with a JSON result. */
static int (*const cli_json_cmds[])(struct cli *, int, char **) = {
	cli_db_list, cli_db_show, cli_db_ranges,
	cli_events_list, cli_events_stats,
	cli_segment_list, cli_segment_show, cli_segment_recalc,
	cli_segment_why, cli_segment_members, cli_segment_log,
	cli_segment_history, cli_segment_test,
	cli_object_list, cli_schedule_next, cli_status, cli_check,
	cli_query_list, cli_query_show,
	NULL
};

int
cli_json_accepted(const struct cli_cmd *c)
{
	size_t i;

	for (i = 0; cli_json_cmds[i] != NULL; i++)
		if (cli_json_cmds[i] == c->run)
			return 1;
	return 0;
}

void
cli_json_line(cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);

	printf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(j);
}
