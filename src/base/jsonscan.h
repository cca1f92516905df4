/*
 * jsonscan: reads one flat JSON object (RFC 8259), such as a line of a
 * JSON Lines file, in one pass without building a tree: its members in
 * order, each a name and a value that is null, true, false, a number (as
 * written), a string (unescaped) or an array of strings.
 *
 * It takes only what it can read exactly, and says no (-1) to anything
 * else: text that is not JSON, a value that is an object, an array
 * holding anything but strings, a string holding \u0000, a raw control
 * character or bytes that are not UTF-8, whitespace RFC 8259 does not
 * allow, a byte order mark.  A caller that must say what is wrong with
 * such text parses it again with a full parser (cJSON), whose messages
 * it already gives; the scanner is the fast path for the common line.
 */
#ifndef RESEG_JSONSCAN_H
#define RESEG_JSONSCAN_H

#include <stddef.h>

enum jsonscan_kind {
	JSONSCAN_NULL,
	JSONSCAN_FALSE,
	JSONSCAN_TRUE,
	JSONSCAN_NUMBER,
	JSONSCAN_STRING,
	JSONSCAN_ARRAY
};

/* Text in the object read or in the scanner; not NUL-terminated. */
struct jsonscan_str {
	const char	*p;
	size_t		 len;
};

struct jsonscan_member {
	struct jsonscan_str	 name;		/* unescaped */
	enum jsonscan_kind	 kind;
	struct jsonscan_str	 text;		/* string: unescaped; number:
						   as written */
	size_t			 first, n;	/* array: strs[first..+n) */
};

struct jsonscan {
	struct jsonscan_member	*m;		/* the members read */
	size_t			 n;
	struct jsonscan_str	*strs;		/* the arrays' strings */
	size_t			 nstrs;
	/* Internal. */
	size_t			 mcap, scap;
	char			*buf;		/* unescaped strings */
	size_t			 bcap, blen;
};

#define JSONSCAN_INIT	{ 0 }

/*
 * Reads the object text[0..len), with whitespace around it.  Returns 0
 * with the members in js (valid until the next call and while text
 * lives), or -1 when the text is not a flat object the scanner reads
 * (see above).  Members named twice are each returned.
 */
int	 jsonscan_object(struct jsonscan *, const char *text, size_t len);
void	 jsonscan_free(struct jsonscan *);

#endif
