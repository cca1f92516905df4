/*
 * export: a database's or a segment's profiles as CSV or JSON Lines, and
 * a segment's per-profile history as CSV.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>


#include "attach.h"
#include "csv.h"
#include "export.h"
#include "i18n.h"
#include "pdb.h"
#include "segment.h"
#include "timeutil.h"
#include "util.h"

/* Output is handed to stdio in pieces of about this size. */
#define EXPORT_FLUSH	(256 * 1024)

int
export_format_parse(const char *s, enum export_format *fmt)
{
	if (strcmp(s, "csv") == 0)
		*fmt = EXPORT_CSV;
	else if (strcmp(s, "jsonl") == 0 || strcmp(s, "ndjson") == 0)
		*fmt = EXPORT_JSONL;
	else
		return -1;
	return 0;
}

int
export_format_guess(const char *path, enum export_format *fmt)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return -1;
	if (strcasecmp(dot, ".csv") == 0)
		*fmt = EXPORT_CSV;
	else if (strcasecmp(dot, ".jsonl") == 0 ||
	    strcasecmp(dot, ".ndjson") == 0 || strcasecmp(dot, ".json") == 0)
		*fmt = EXPORT_JSONL;
	else
		return -1;
	return 0;
}

/* What a sniffed stream reads: the bytes looked at, then the rest. */
struct export_sniffed {
	FILE	*in;
	char	*head;
	size_t	 len, pos;
};

static ssize_t
export_sniffed_read(void *cookie, char *buf, size_t size)
{
	struct export_sniffed *sn = cookie;
	size_t n;

	if (sn->pos < sn->len) {
		n = sn->len - sn->pos;
		if (n > size)
			n = size;
		memcpy(buf, sn->head + sn->pos, n);
		sn->pos += n;
		return (ssize_t)n;
	}
	n = fread(buf, 1, size, sn->in);
	if (n == 0 && ferror(sn->in))
		return -1;
	return (ssize_t)n;
}

static int
export_sniffed_close(void *cookie)
{
	struct export_sniffed *sn = cookie;

	free(sn->head);
	free(sn);
	return 0;
}

FILE *
export_format_sniff(FILE *in, enum export_format *fmt, char **cause)
{
	cookie_io_functions_t io = { .read = export_sniffed_read,
	    .close = export_sniffed_close };
	struct export_sniffed *sn;
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	int c;

	while ((c = getc(in)) != EOF) {
		sb_putc(&sb, (char)c);
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
	}
	if (c == EOF && ferror(in)) {
		sb_free(&sb);
		error_set(cause, _("cannot read standard input: %s"),
		    strerror(errno));
		return NULL;
	}
	*fmt = c == '{' ? EXPORT_JSONL : EXPORT_CSV;
	sn = xcalloc(1, sizeof *sn);
	sn->in = in;
	sn->len = sb.len;
	sn->head = sb_detach(&sb);
	if ((f = fopencookie(sn, "r", io)) == NULL) {
		error_set(cause, _("cannot read standard input: %s"),
		    strerror(errno));
		export_sniffed_close(sn);
	}
	return f;
}

/* Appends the CSV header row (field names, schema order). */
static void
export_csv_header(const struct pdb_schema *s, struct strbuf *sb)
{
	uint16_t i;

	for (i = 0; i < s->nfields; i++) {
		if (i > 0)
			sb_putc(sb, ',');
		csv_put_field(sb, s->fields[i].name, strlen(s->fields[i].name));
	}
	sb_putc(sb, '\n');
}

/* Formats in place, then re-quotes the rare value that needs it. */
static void
export_csv_value(enum field_type t, const struct value *v, struct strbuf *sb)
{
	size_t from = sb->len, i;
	char *copy;

	value_format_text(t, v, sb);
	for (i = from; i < sb->len; i++) {
		if (sb->buf[i] == ',' || sb->buf[i] == '"' ||
		    sb->buf[i] == '\r' || sb->buf[i] == '\n')
			break;
	}
	if (i == sb->len)
		return;
	copy = xstrndup(sb->buf + from, sb->len - from);
	i = sb->len - from;
	sb->len = from;
	csv_put_field(sb, copy, i);
	free(copy);
}

/* Appends one profile as a CSV record or a JSON line, with its LF. */
static void
export_format_row(const struct pdb_schema *s, enum export_format fmt,
    const struct value *row, struct strbuf *sb)
{
	uint16_t i;

	if (fmt == EXPORT_CSV) {
		for (i = 0; i < s->nfields; i++) {
			if (i > 0)
				sb_putc(sb, ',');
			export_csv_value(s->fields[i].type, &row[i], sb);
		}
		/* A lone empty field would read back as a blank line. */
		if (s->nfields == 1 && !row[0].present)
			sb_puts(sb, "\"\"");
		sb_putc(sb, '\n');
		return;
	}
	/* What cJSON_PrintUnformatted prints, without a tree per row. */
	sb_putc(sb, '{');
	for (i = 0; i < s->nfields; i++) {
		if (i > 0)
			sb_putc(sb, ',');
		value_json_string(sb, s->fields[i].name,
		    strlen(s->fields[i].name));
		sb_putc(sb, ':');
		value_format_json(s->fields[i].type, &row[i], sb);
	}
	sb_add(sb, "}\n", 2);
}

struct export_state {
	const struct pdb_schema	*schema;
	enum export_format	 fmt;
	FILE			*out;
	struct strbuf		 sb;
	uint64_t		 count;
	int			 err;		/* errno of a failed write */
};

/* Writes out and empties sb; 0, or the errno of the failed write. */
static int
export_flush(FILE *out, struct strbuf *sb)
{
	int err = 0;

	if (sb->len > 0 && fwrite(sb->buf, 1, sb->len, out) != sb->len)
		err = errno != 0 ? errno : EIO;
	sb_reset(sb);
	return err;
}

static int
export_row_cb(void *arg, uint32_t pno, const struct value *row)
{
	struct export_state *st = arg;

	(void)pno;
	export_format_row(st->schema, st->fmt, row, &st->sb);
	st->count++;
	if (st->sb.len >= EXPORT_FLUSH &&
	    (st->err = export_flush(st->out, &st->sb)) != 0)
		return 1;
	return 0;
}

int
export_rows(struct store_txn *txn, const struct pdb_schema *s,
    const roaring_bitmap_t *only, enum export_format fmt, FILE *out,
    uint64_t *count, char **cause)
{
	struct export_state st = { .schema = s, .fmt = fmt, .out = out };
	int rc;

	if (fmt == EXPORT_CSV)
		export_csv_header(s, &st.sb);
	rc = pdb_scan_rows(txn, s, only, export_row_cb, &st, cause);
	if (rc == 0)
		st.err = export_flush(out, &st.sb);
	sb_free(&st.sb);
	if (st.err != 0)
		return error_set(cause, _("could not write the export of "
		    "database '%s': %s"), s->name, strerror(st.err));
	if (rc != 0)
		return -1;
	if (count != NULL)
		*count = st.count;
	return 0;
}

/*
 * Runs fn on f, flushes (and with sync, syncs) and closes f, whatever
 * happens; -1 with "could not write PATH: reason" on a write failure.
 */
static int
export_write_close(FILE *f, const char *path, int sync, export_write_fn fn,
    void *arg, char **cause)
{
	if (fn(f, arg, cause) != 0) {
		fclose(f);
		return -1;
	}
	if (fflush(f) != 0 || ferror(f) || (sync && fsync(fileno(f)) != 0)) {
		error_set(cause, _("could not write %s: %s"), path,
		    strerror(errno));
		fclose(f);
		return -1;
	}
	if (fclose(f) != 0)
		return error_set(cause, _("could not write %s: %s"), path,
		    strerror(errno));
	return 0;
}

int
export_to_file(const char *path, export_write_fn fn, void *arg, char **cause)
{
	struct stat sb;
	char *tmp;
	FILE *f;
	mode_t mask;
	int fd, rc;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (fn(stdout, arg, cause) != 0)
			return -1;
		if (fflush(stdout) != 0 || ferror(stdout))
			return error_set(cause, _("could not write to the "
			    "standard output: %s"), strerror(errno));
		return 0;
	}
	/*
	 * A device or a pipe (-o /dev/null, a FIFO) is written as it is:
	 * renaming a finished file over it would replace the device.
	 */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if ((f = fopen(path, "w")) == NULL)
			return error_set(cause, _("could not create %s: %s"),
			    path, strerror(errno));
		return export_write_close(f, path, 0, fn, arg, cause);
	}
	tmp = xasprintf("%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		rc = error_set(cause, _("could not create %s: %s"), path,
		    strerror(errno));
		free(tmp);
		return rc;
	}
	/* mkstemp makes 0600; an export is an ordinary file. */
	mask = umask(022);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	if ((f = fdopen(fd, "w")) == NULL) {
		rc = error_set(cause, _("could not create %s: %s"), path,
		    strerror(errno));
		close(fd);
		goto fail;
	}
	if (export_write_close(f, path, 1, fn, arg, cause) != 0)
		goto fail;
	if (rename(tmp, path) != 0) {
		error_set(cause, _("could not create %s: %s"), path,
		    strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;

fail:
	unlink(tmp);
	free(tmp);
	return -1;
}

struct export_db_args {
	struct store_txn		*txn;
	const struct pdb_schema		*schema;
	enum export_format		 fmt;
	uint64_t			*count;
};

static int
export_db_write(FILE *out, void *arg, char **cause)
{
	struct export_db_args *a = arg;

	return export_rows(a->txn, a->schema, NULL, a->fmt, out, a->count,
	    cause);
}

int
export_db(struct store *store, const char *dbname, enum export_format fmt,
    const char *path, uint64_t *count, char **cause)
{
	struct export_db_args a = { .fmt = fmt, .count = count };
	struct pdb_schema *s = NULL;
	int rc;

	if (store_read_begin(store, &a.txn, cause) != 0)
		return -1;
	if (pdb_open(a.txn, dbname, &s, cause) != 0) {
		store_read_end(a.txn);
		return -1;
	}
	a.schema = s;
	if (attach_refuse(s, _("exporting profiles"), cause) != 0)
		rc = -1;
	else
		rc = export_to_file(path, export_db_write, &a, cause);
	schema_free(s);
	store_read_end(a.txn);
	return rc;
}

struct export_hist {
	FILE		*out;
	struct strbuf	 sb;
	uint64_t	 count;
	int		 err;		/* errno of a failed write */
	uint32_t	 run;		/* run whose time is in `time` */
	char		 time[TU_DATETIME_BUF];
};

static int
export_history_row(void *arg, const struct run_record *run, const char *key,
    size_t keylen, int added)
{
	struct export_hist *h = arg;
	char num[16];

	if (h->run != run->id || h->count == 0) {
		h->run = run->id;
		tu_format_datetime(run->ended_at, h->time);
	}
	snprintf(num, sizeof num, "%u,", (unsigned)run->id);
	sb_puts(&h->sb, num);
	sb_puts(&h->sb, h->time);
	sb_putc(&h->sb, ',');
	csv_put_field(&h->sb, key, keylen);
	sb_puts(&h->sb, added ? ",added\n" : ",removed\n");
	h->count++;
	if (h->sb.len >= EXPORT_FLUSH &&
	    (h->err = export_flush(h->out, &h->sb)) != 0)
		return -1;
	return 0;
}

int
export_history(struct store_txn *txn, uint32_t segment_id, FILE *out,
    uint64_t *count, char **cause)
{
	struct export_hist h = { .out = out, .sb = STRBUF_INIT };
	int rc;

	fputs("run,time,key,change\n", out);
	rc = seg_export_history(txn, segment_id, export_history_row, &h, cause);
	if (rc == 0 && (h.err = export_flush(out, &h.sb)) != 0)
		rc = -1;
	sb_free(&h.sb);
	if (rc != 0 && cause != NULL && *cause == NULL)
		error_set(cause, _("could not write the history export: %s"),
		    strerror(h.err != 0 ? h.err : errno));
	if (count != NULL)
		*count = h.count;
	return rc;
}
