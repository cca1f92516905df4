/*
 * Small helpers every module uses: allocation that never returns NULL,
 * a growable string buffer, and the "cause" error convention.
 *
 * Error convention (from tmux): a function that can fail returns 0 on
 * success and -1 on failure, and fills *cause with a malloc'd message
 * that is already translated and ready to show.  The caller frees it.
 * Engine code never prints and never exits.
 */
#ifndef RESEG_UTIL_H
#define RESEG_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list);

/* Sets *cause (when cause is not NULL and *cause is still NULL); returns -1. */
int	 error_set(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * A message for a terminal, with what could drive it escaped as \xHH:
 * C0 controls (newline and tab too), DEL, C1 controls (U+0080 to U+009F,
 * shown as their code point) and bytes that are not UTF-8.  Backslashes
 * are kept.  Messages quote user input (names, values, paths, argv), so
 * every front end passes each message through it once, where it is
 * written (cli_message, tui_status); causes themselves stay raw, as JSON
 * and the run history keep them.  Caller frees.
 */
char	*util_escape_controls(const char *);

/*
 * A count for people (tables, the chart, status lines, the command
 * line's sentences; never JSON or files): digits grouped by LC_NUMERIC's
 * thousands separator ("4,572" in English, "4 572" with U+202F in
 * Russian).  Locales with no separator (C, C.UTF-8, POSIX) keep a comma
 * every three digits.  fmt_count_init reads the separator of the
 * current LC_NUMERIC (main calls it before setting LC_NUMERIC to "C");
 * fmt_count_set sets one (tests).  A buffer of COUNT_BUF bytes holds any
 * count; a smaller one that cannot gets the bare digits.  Returns buf.
 */
#define COUNT_BUF	64
void	 fmt_count_init(void);
void	 fmt_count_set(const char *sep, const char *grouping);
char	*fmt_count(uint64_t, char *buf, size_t len);

/* Growable, always NUL-terminated byte buffer. */
struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void	 sb_grow(struct strbuf *, size_t extra);
void	 sb_add(struct strbuf *, const void *, size_t);
void	 sb_puts(struct strbuf *, const char *);
void	 sb_putc(struct strbuf *, char);
void	 sb_printf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 sb_reset(struct strbuf *);
void	 sb_truncate(struct strbuf *, size_t len);	/* len <= sb->len */
char	*sb_detach(struct strbuf *);		/* caller frees; buffer reset */
void	 sb_free(struct strbuf *);

/* ASCII-only case helpers (the conditions' case rules ignore ASCII case only). */
int	 ascii_strncasecmp_n(const char *, size_t, const char *, size_t);
int	 ascii_casestr(const char *hay, size_t hl, const char *needle, size_t nl);

/* Bounded string to number conversions; 0 on success. */
int	 parse_int64(const char *, size_t, int64_t *);
int	 parse_double(const char *, size_t, double *);

/*
 * Every text file reseg reads (segment files, --where-file, key lists,
 * test cases, imports) is UTF-8 without NUL bytes: C strings would end
 * at a NUL and drop the rest of the file without a word.
 */
struct text_fault {
	uint64_t	 line;		/* '\n's before the fault */
	size_t		 col;		/* from 1, in characters */
	int		 nul;		/* a NUL byte, else invalid UTF-8 */
	unsigned char	 byte;
};
/* Length of the valid UTF-8 sequence at p (RFC 3629; n > 0), 0 when invalid. */
size_t	 text_utf8_len(const unsigned char *p, size_t n);

/*
 * The end of the run of whole two-byte UTF-8 sequences (U+0080 to
 * U+07FF: Cyrillic, Greek...) from p, before e: sixteen bytes a step
 * while they are eight such sequences, so a word is one or two steps.
 */
static inline const unsigned char *
text_two_byte_run(const unsigned char *p, const unsigned char *e)
{
#ifdef __SSE2__
	/* Signed bytes: leads 0xC2-0xDF are -62..-33, the rest -128..-65. */
	const __m128i below_lead = _mm_set1_epi8((char)0xC1);
	const __m128i above_lead = _mm_set1_epi8((char)0xE0);
	const __m128i above_cont = _mm_set1_epi8((char)0xC0);

	while (e - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		int lead = _mm_movemask_epi8(_mm_and_si128(
		    _mm_cmpgt_epi8(v, below_lead), _mm_cmplt_epi8(v,
		    above_lead)));
		int cont = _mm_movemask_epi8(_mm_cmplt_epi8(v, above_cont));

		if ((lead & 0x5555) != 0x5555 || (cont & 0xAAAA) != 0xAAAA)
			break;
		p += 16;
	}
#endif
	while (e - p >= 2 && p[0] >= 0xC2 && p[0] <= 0xDF &&
	    (p[1] & 0xC0) == 0x80)
		p += 2;
	return p;
}
/* 1 when p[0..n) is text (UTF-8 without NUL), else 0. */
int	 text_valid(const char *p, size_t n);
/* 0 when p[0..n) is text, else 1 with the first fault. */
int	 text_find_fault(const char *p, size_t n, struct text_fault *);
/* What the fault is, without a place ("not UTF-8 text: a NUL byte"). */
char	*text_fault_what(const struct text_fault *);
/* 0, or -1 with *cause "SOURCE:LINE:COL: ..." (p[0] is on first_line). */
int	 text_check(const char *p, size_t n, const char *source,
	    uint64_t first_line, char **cause);

/*
 * A path typed by a person, with "~" and "~/..." as the shell expands
 * them ($HOME); anything else unchanged (malloc'd).
 */
char	*util_expand_home(const char *path);
/* Unix login name of the person running reseg ("unknown" as last resort). */
const char *util_login_name(void);
/*
 * The mode of the files reseg keeps in dir (README, "The store"): 0660
 * when the directory is group-writable (a store shared by a group, with
 * the setgid bit so files get its group), else 0600 (one owner).
 */
mode_t	 util_store_file_mode(const char *dir);
/*
 * Gives fd, a file in dir, that mode when this process owns it: the
 * umask must not narrow it, nor an older reseg's 0600 stay.
 */
void	 util_store_file_fix(int fd, const char *dir);

/* Bump allocator for short-lived values (a parsed row, a decoded chunk). */
struct arena_block;
struct arena {
	struct arena_block *head;
};
#define ARENA_INIT { NULL }
void	*arena_alloc(struct arena *, size_t);		/* 8-byte aligned */
char	*arena_strndup(struct arena *, const char *, size_t);
void	 arena_reset(struct arena *);			/* keeps one block */
void	 arena_free(struct arena *);

/*
 * Whether a[0..n) and b[0..n) are the same bytes: for the short names
 * and values of the import's hot paths, where a call of memcmp costs
 * more than the compare.
 */
static inline int
bytes_same(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; n -= 8, a += 8, b += 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	for (; n > 0; n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

#endif
