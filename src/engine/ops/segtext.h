/*
 * Segments as text (README, "Segments as text"): a readable, stable definition that diffs
 * cleanly in git, read back by `segment load` and checked against sample
 * profiles by `segment test`.  The format (README, "Segments as text"):
 *
 *	# reseg segment
 *	name: Active buyers
 *	database: demo
 *	kind: scheduled
 *	state: active
 *	tags: vip, newsletter
 *	groups: marketing
 *	range: 0-20
 *	limit: 50000
 *	schedule: daily at 09:00 Europe/Moscow
 *	where:
 *	    country in ("RU", "KZ") and orders_count >= 3
 *
 * Keys come in this order and each once; `where:` comes last and its
 * script is the following lines indented by four spaces.  Static segments
 * have no state, range, limit, schedule or where.  The script is parsed
 * into the conditions and also kept as written (struct segment
 * where_text), comments and line breaks included, for the dump to give
 * back while it still says what the conditions say.
 */
#ifndef RESEG_SEGTEXT_H
#define RESEG_SEGTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "export.h"
#include "segment.h"
#include "store.h"
#include "util.h"

/* Appends the text of a definition. */
void	 segtext_dump(const struct segment *, struct strbuf *);
/*
 * Parses a definition; `source` names the file in messages
 * ("seg.txt:4: unknown key 'colour'").  Syntax only: the caller
 * validates against a store.  Free with seg_free.
 */
int	 segtext_parse(const char *text, const char *source, struct segment **,
	    char **cause);

/*
 * Creates or updates the segment the text defines, validating
 * everything (seg_create / seg_update); a database change is refused.
 * *created is 1 for a new segment.
 */
int	 segtext_load(struct store *, const char *text, const char *source,
	    int *created, char **cause);

/* One sample profile and what was expected of it. */
struct segtext_case {
	uint64_t	 line;		/* in the CASES file */
	char		*key;
	int		 expect_in;
	int		 got_in;
};

struct segtext_test_result {
	struct segtext_case *cases;
	size_t		 ncases;
	size_t		 failed;
};
void	 segtext_test_result_free(struct segtext_test_result *);

/*
 * Checks a definition against sample profiles.  CASES is CSV (a header
 * of field names plus an `expect` column) or JSON Lines (objects with an
 * "expect" member); expect is "in" or "out".  Missing fields are empty.
 * A JSON Lines case may carry the profile's events: an "events" array of
 * objects with "event", "time" (ISO 8601), optionally "event_id", and the
 * database's event properties.
 * The profiles go into a scratch store in a temporary directory (never
 * into `store`, whose database only gives the schema), are evaluated with
 * the definition's conditions, range and limit (limit in file order), and
 * "in segment" uses the current members of the real segment, matched by
 * key.  format, when not NULL, is the cases' format; else their name
 * tells it (export_format_guess), and when it does not, or the cases
 * are standard input ("-"), it is sniffed (export_format_sniff).
 */
int	 segtext_test(struct store *, const char *text, const char *source,
	    const char *cases_path, const enum export_format *format,
	    struct segtext_test_result *, char **cause);

#endif
