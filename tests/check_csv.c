#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "testlib.h"
#include "util.h"

/*
 * Reads all of text and renders each record as "LINE:[f1][f2]..." and
 * each error as "LINE:!message", one per line.
 */
static char *
csv_dump(const char *text, size_t len)
{
	FILE *f = fmemopen((void *)text, len, "r");
	struct csv_reader *r;
	const struct csv_field *fl;
	struct strbuf sb = STRBUF_INIT;
	char *cause;
	size_t n, i;
	int rc;

	ck_assert_ptr_nonnull(f);
	r = csv_reader_new(f);
	for (;;) {
		cause = NULL;
		rc = csv_read(r, &fl, &n, &cause);
		if (rc == 1)
			break;
		sb_printf(&sb, "%llu:", (unsigned long long)csv_line(r));
		if (rc == -1) {
			sb_printf(&sb, "!%s\n", cause);
			free(cause);
			continue;
		}
		for (i = 0; i < n; i++) {
			ck_assert_uint_eq(strlen(fl[i].p), fl[i].len);
			sb_printf(&sb, "[%s]", fl[i].p);
		}
		sb_putc(&sb, '\n');
	}
	csv_reader_free(r);
	fclose(f);
	return sb_detach(&sb);
}

#define CHECK_CSV(in, want) do {				\
	char *got_ = csv_dump(in, sizeof(in) - 1);		\
	ck_assert_str_eq(got_, want);				\
	free(got_);						\
} while (0)

START_TEST(csv_plain)
{
	CHECK_CSV("a,b,c\n1,2,3\n", "1:[a][b][c]\n2:[1][2][3]\n");
	/* No final line end. */
	CHECK_CSV("a,b\n1,2", "1:[a][b]\n2:[1][2]\n");
}
END_TEST

START_TEST(csv_quotes)
{
	CHECK_CSV("\"a,b\",\"say \"\"hi\"\"\",\"\"\n",
	    "1:[a,b][say \"hi\"][]\n");
	CHECK_CSV("x,\"\"\"\"\n", "1:[x][\"]\n");
}
END_TEST

/*
 * Records read in place in the buffer (quoted fields, doubled quotes, a
 * CR inside quotes, CRLF and lone CR line ends) read as the byte loop
 * reads them; so do those it leaves to the loop (a line end inside
 * quotes, a last record without a line end).
 */
START_TEST(csv_in_place)
{
	CHECK_CSV("h1,h2,h3\na,\"b\"\"c\",\"\"\n\"x,y\",\"\",z\r\n"
	    "\"p\rq\",r,\n1\r2\n\"m\nn\",\"\"\"\"\"\"\n,,\n\"e\"",
	    "1:[h1][h2][h3]\n2:[a][b\"c][]\n3:[x,y][][z]\n4:[p\rq][r][]\n"
	    "5:[1]\n6:[2]\n7:[m\nn][\"\"]\n9:[][][]\n10:[e]\n");
	/* Malformed records are the loop's to report. */
	CHECK_CSV("a,b\n\"x\"y,1\nc,d\ne\"f,2\ng,h\n",
	    "1:[a][b]\n2:!unexpected character after a closing quote\n"
	    "3:[c][d]\n4:!a quote inside an unquoted field\n5:[g][h]\n");
	CHECK_CSV("k,v\n\"1\",\"a\xff\"\n2,\xc3\xa9\n",
	    "1:[k][v]\n2:!field 2: not UTF-8 text: invalid byte 0xFF\n"
	    "3:[2][\xc3\xa9]\n");
}
END_TEST

/* A field that is not UTF-8 text spoils its record only; a NUL no longer cuts it. */
START_TEST(csv_not_text)
{
	CHECK_CSV("k,v\n1,a\0b\n2,x\n",
	    "1:[k][v]\n2:!field 2: not UTF-8 text: a NUL byte\n3:[2][x]\n");
	CHECK_CSV("k,v\n\"\xff\",y\n\xc3\xa9,\xe2\x82\xac\n",
	    "1:[k][v]\n2:!field 1: not UTF-8 text: invalid byte 0xFF\n"
	    "3:[\xc3\xa9][\xe2\x82\xac]\n");
	CHECK_CSV("k\xed\xa0\x80\n", "1:!field 1: not UTF-8 text: invalid "
	    "byte 0xED\n");
}
END_TEST

START_TEST(csv_embedded_newlines)
{
	/* The record after a multi-line field starts on line 4. */
	CHECK_CSV("k,v\n1,\"two\nlines\"\n2,x\n",
	    "1:[k][v]\n2:[1][two\nlines]\n4:[2][x]\n");
	CHECK_CSV("1,\"a\r\nb\"\r\n2,c\r\n", "1:[1][a\r\nb]\n3:[2][c]\n");
}
END_TEST

START_TEST(csv_crlf_bom_blank)
{
	CHECK_CSV("\xef\xbb\xbf" "email,age\r\na@x,1\r\n\r\nb@y,2\r\n",
	    "1:[email][age]\n2:[a@x][1]\n4:[b@y][2]\n");
	/* A BOM is only skipped at the very start. */
	CHECK_CSV("a\n\xef\xbb\xbf" "b\n", "1:[a]\n2:[\xef\xbb\xbf" "b]\n");
}
END_TEST

START_TEST(csv_empty_fields)
{
	CHECK_CSV(",,\n,x,\n\"\"\n", "1:[][][]\n2:[][x][]\n3:[]\n");
}
END_TEST

START_TEST(csv_malformed)
{
	/* Errors name the record's line; reading resumes on the next line. */
	CHECK_CSV("a,b\n1,x\"y\n2,\"q\"z\n3,4\n",
	    "1:[a][b]\n2:!a quote inside an unquoted field\n"
	    "3:!unexpected character after a closing quote\n4:[3][4]\n");
	CHECK_CSV("a\n\"open\nnever closed\n",
	    "1:[a]\n2:!the quoted field is never closed\n");
}
END_TEST

START_TEST(csv_big_record_across_buffers)
{
	/* A field longer than the reader's buffer, then a normal record. */
	size_t big = 3 * 1024 * 1024, i;
	char *text = xmalloc(big + 64), *got;
	size_t len;

	text[0] = '"';
	for (i = 1; i <= big; i++)
		text[i] = i % 100 == 0 ? '\n' : 'x';
	len = big + 1;
	memcpy(text + len, "\",y\nz,w\n", 8);
	len += 8;
	got = csv_dump(text, len);
	ck_assert_ptr_nonnull(strstr(got, "\n31459:[z][w]\n"));
	ck_assert_int_eq(strncmp(got, "1:[x", 4), 0);
	free(got);
	free(text);
}
END_TEST

/*
 * Unquoted fields of every length from 1 to 40 (the scan for their end
 * goes sixteen bytes a step), ending in a comma, CRLF or LF, and a
 * quote inside one at every place, which is refused.
 */
START_TEST(csv_field_lengths)
{
	struct strbuf in = STRBUF_INIT, want = STRBUF_INIT;
	char field[48], *got;
	size_t n;

	for (n = 1; n <= 40; n++) {
		memset(field, 'a' + (int)(n % 26), n);
		field[n] = '\0';
		sb_printf(&in, "%s,x%s\r\n%s\n", field, field, field);
		sb_printf(&want, "%zu:[%s][x%s]\n%zu:[%s]\n", 2 * n - 1,
		    field, field, 2 * n, field);
	}
	got = csv_dump(in.buf, in.len);
	ck_assert_str_eq(got, want.buf);
	free(got);
	/* (A quote first opens a quoted field.) */
	for (n = 2; n <= 40; n++) {
		sb_reset(&in);
		memset(field, 'b', sizeof field);
		field[n - 1] = '"';
		sb_printf(&in, "%.40s,c\nd\n", field);
		got = csv_dump(in.buf, in.len);
		ck_assert_msg(strstr(got, "1:!") == got && strstr(got,
		    "[d]") != NULL, "quote at %zu: %s", n, got);
		free(got);
	}
	sb_free(&in);
	sb_free(&want);
}
END_TEST

START_TEST(csv_writer)
{
	struct strbuf sb = STRBUF_INIT;
	struct csv_field f[] = {
		{ "plain", 5 }, { "a,b", 3 }, { "say \"hi\"", 8 },
		{ "two\nlines", 9 }, { "", 0 }, { " spaced ", 8 },
	};

	csv_put_record(&sb, f, 6);
	ck_assert_str_eq(sb.buf, "plain,\"a,b\",\"say \"\"hi\"\"\","
	    "\"two\nlines\",, spaced \n");
	sb_reset(&sb);
	/* A record of one empty field must not look like a blank line. */
	csv_put_record(&sb, f + 4, 1);
	ck_assert_str_eq(sb.buf, "\"\"\n");
	sb_free(&sb);
}
END_TEST

START_TEST(csv_writer_round_trip)
{
	struct csv_field f[] = {
		{ "x\r\ny", 4 }, { "\"", 1 }, { ",", 1 }, { "é", 2 },
	};
	struct strbuf sb = STRBUF_INIT;
	char *got;

	struct csv_field bom[] = { { "\xef\xbb\xbfkey", 6 }, { "v", 1 } };

	csv_put_record(&sb, f, 4);
	got = csv_dump(sb.buf, sb.len);
	ck_assert_str_eq(got, "1:[x\r\ny][\"][,][é]\n");
	free(got);
	/*
	 * Found by fuzzing: a first field starting with U+FEFF, first in
	 * the file, was read back as a byte order mark and lost.
	 */
	sb_reset(&sb);
	csv_put_record(&sb, bom, 2);
	ck_assert_str_eq(sb.buf, "\"\xef\xbb\xbfkey\",v\n");
	got = csv_dump(sb.buf, sb.len);
	ck_assert_str_eq(got, "1:[\xef\xbb\xbfkey][v]\n");
	free(got);
	sb_free(&sb);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, csv_plain);
	tcase_add_test(tc, csv_quotes);
	tcase_add_test(tc, csv_in_place);
	tcase_add_test(tc, csv_embedded_newlines);
	tcase_add_test(tc, csv_not_text);
	tcase_add_test(tc, csv_crlf_bom_blank);
	tcase_add_test(tc, csv_empty_fields);
	tcase_add_test(tc, csv_malformed);
	tcase_add_test(tc, csv_big_record_across_buffers);
	tcase_add_test(tc, csv_field_lengths);
	tcase_add_test(tc, csv_writer);
	tcase_add_test(tc, csv_writer_round_trip);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
