/*
 * CSV (RFC 4180) reading and writing.  The reader streams from a FILE:
 * quoted fields with embedded commas, doubled quotes and newlines, CRLF
 * or LF line ends, an optional UTF-8 byte order mark.  Each record knows
 * the line on which it starts, so errors can name FILE:LINE.  The writer
 * quotes a field only when it has to.
 */
#ifndef RESEG_CSV_H
#define RESEG_CSV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

struct csv_field {
	const char	*p;		/* NUL-terminated */
	size_t		 len;
};

struct csv_reader;

struct csv_reader *csv_reader_new(FILE *);
void	 csv_reader_free(struct csv_reader *);

/*
 * Reads the next record.  Returns 0 with the fields (valid until the next
 * call), 1 at the end of input, -1 on a malformed record with *cause
 * ("unexpected quote ..." without a location; csv_line tells the line);
 * a field that is not UTF-8 text (a NUL byte, a bad byte) makes the
 * record malformed ("field N: not UTF-8 text: ...").
 * After a malformed record the reader resumes at the next line, so the
 * caller may go on; an unterminated quote consumes the rest of the input.
 */
int	 csv_read(struct csv_reader *, const struct csv_field **, size_t *n,
	    char **cause);
/*
 * After csv_read refused a record for a field that is not text: what is
 * wrong with it ("not UTF-8 text: a NUL byte") and the field's number
 * (from 1) in *field; else NULL.
 */
const char *csv_fault(const struct csv_reader *, size_t *field);
/* Line (from 1) on which the record last read starts. */
uint64_t csv_line(const struct csv_reader *);
/* Bytes consumed so far (for progress). */
uint64_t csv_offset(const struct csv_reader *);
/* Non-zero when reading failed (an I/O error, not malformed data). */
int	 csv_io_error(const struct csv_reader *);

/* Appends one field, quoted only when it contains , " CR or LF. */
void	 csv_put_field(struct strbuf *, const char *, size_t);
/* Appends a whole record and a LF. */
void	 csv_put_record(struct strbuf *, const struct csv_field *, size_t);

#endif
