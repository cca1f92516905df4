/*
 * Counts as people read them (util.h, fmt_count): digits grouped by the
 * thousands separator and grouping of the LC_NUMERIC locale the
 * environment names.  main() sets LC_NUMERIC back to "C" so that numbers
 * in files and scripts keep their '.', so the separator is read once,
 * before that, and kept here.
 */
#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* The C locale's: today's comma every three digits (README, "Numbers"). */
static char	 count_sep[8] = ",";
static char	 count_grouping[8] = "\3";

void
fmt_count_set(const char *sep, const char *grouping)
{
	size_t	 i;

	if (sep == NULL || *sep == '\0' || strlen(sep) >= sizeof count_sep) {
		sep = ",";
		grouping = "\3";
	}
	if (grouping == NULL || *grouping == '\0' || *grouping == CHAR_MAX ||
	    *grouping < 0)
		grouping = "\3";
	strcpy(count_sep, sep);
	/* Keep the rule as is: a 0 repeats the last size, CHAR_MAX ends. */
	for (i = 0; i + 1 < sizeof count_grouping && grouping[i] != '\0'; i++)
		count_grouping[i] = grouping[i];
	count_grouping[i] = '\0';
}

void
fmt_count_init(void)
{
	const struct lconv *lc = localeconv();
	const char	*sep = lc->thousands_sep;
	const char	*cs = nl_langinfo(CODESET);
	size_t		 i;

	/*
	 * A separator outside ASCII is printed as is in UTF-8 (ru_RU.UTF-8
	 * has U+202F, a narrow no-break space, one column wide); in another
	 * charset its bytes would not be UTF-8, as reseg's text is: a plain
	 * space stands for it.
	 */
	for (i = 0; sep[i] != '\0'; i++)
		if ((unsigned char)sep[i] >= 0x80 && strcmp(cs, "UTF-8") != 0) {
			sep = " ";
			break;
		}
	fmt_count_set(sep, lc->grouping);
}

char *
fmt_count(uint64_t n, char *buf, size_t len)
{
	char		 digits[24], out[COUNT_BUF];
	size_t		 nd, sl = strlen(count_sep), o = sizeof out - 1;
	size_t		 gi = 0, run = 0, i;
	int		 size = count_grouping[0];

	nd = (size_t)snprintf(digits, sizeof digits, "%llu",
	    (unsigned long long)n);
	out[o] = '\0';
	/* From the right: a separator after each group of the rule's size. */
	for (i = nd; i > 0; i--) {
		if (size > 0 && run == (size_t)size) {
			/* Groups of one digit and a long separator: too long. */
			if (o < sl + 1) {
				snprintf(buf, len, "%s", digits);
				return buf;
			}
			o -= sl;
			memcpy(out + o, count_sep, sl);
			run = 0;
			if (count_grouping[gi + 1] == CHAR_MAX)
				size = 0;
			else if (count_grouping[gi + 1] != '\0')
				size = count_grouping[++gi];
		}
		out[--o] = digits[i - 1];
		run++;
	}
	/* A buffer too small for the groups gets the bare digits. */
	snprintf(buf, len, "%s", sizeof out - 1 - o < len ? out + o : digits);
	return buf;
}
