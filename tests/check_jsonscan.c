#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"
#include "testlib.h"
#include "util.h"

/*
 * Scans text and renders each member as "name=VALUE;" where VALUE is
 * null, true, false, N(number as written), S(string) or A[s][s]...; a
 * refused text is "-".  Bytes below 0x20 print as \xHH.
 */
static void
dump_str(struct strbuf *sb, const struct jsonscan_str *s)
{
	size_t i;

	for (i = 0; i < s->len; i++) {
		if ((unsigned char)s->p[i] < 0x20)
			sb_printf(sb, "\\x%02X", (unsigned char)s->p[i]);
		else
			sb_putc(sb, s->p[i]);
	}
}

static char *
scan(const char *text)
{
	struct jsonscan js = JSONSCAN_INIT;
	struct strbuf sb = STRBUF_INIT;
	const struct jsonscan_member *m;
	size_t k, i, len = strlen(text);
	char *copy = xmalloc(len + 1);

	/* No NUL after the text: the scanner must not read past it. */
	memcpy(copy, text, len);
	if (jsonscan_object(&js, copy, len) != 0) {
		jsonscan_free(&js);
		free(copy);
		return xstrdup("-");
	}
	sb_puts(&sb, "");
	for (k = 0; k < js.n; k++) {
		m = &js.m[k];
		dump_str(&sb, &m->name);
		sb_putc(&sb, '=');
		switch (m->kind) {
		case JSONSCAN_NULL:
			sb_puts(&sb, "null");
			break;
		case JSONSCAN_TRUE:
			sb_puts(&sb, "true");
			break;
		case JSONSCAN_FALSE:
			sb_puts(&sb, "false");
			break;
		case JSONSCAN_NUMBER:
			sb_puts(&sb, "N(");
			dump_str(&sb, &m->text);
			sb_putc(&sb, ')');
			break;
		case JSONSCAN_STRING:
			sb_puts(&sb, "S(");
			dump_str(&sb, &m->text);
			sb_putc(&sb, ')');
			break;
		case JSONSCAN_ARRAY:
			sb_putc(&sb, 'A');
			for (i = 0; i < m->n; i++) {
				sb_putc(&sb, '[');
				dump_str(&sb, &js.strs[m->first + i]);
				sb_putc(&sb, ']');
			}
			break;
		}
		sb_putc(&sb, ';');
	}
	jsonscan_free(&js);
	free(copy);
	return sb_detach(&sb);
}

#define CHECK_SCAN(in, want) do {				\
	char *got_ = scan(in);					\
	ck_assert_str_eq(got_, want);				\
	free(got_);						\
} while (0)

START_TEST(jsonscan_members)
{
	CHECK_SCAN("{}", "");
	CHECK_SCAN(" \t{ } \r\n", "");
	CHECK_SCAN("{\"a\":1,\"b\":\"x\",\"c\":true,\"d\":false,\"e\":null}",
	    "a=N(1);b=S(x);c=true;d=false;e=null;");
	CHECK_SCAN("{ \"a\" : [ \"x\" , \"y\" ] , \"b\" : [ ] }",
	    "a=A[x][y];b=A;");
	/* Members named twice are both returned (the caller decides). */
	CHECK_SCAN("{\"a\":1,\"a\":2}", "a=N(1);a=N(2);");
	/* Long strings go through the word-at-a-time loop. */
	CHECK_SCAN("{\"email\":\"svetlana.volkova1@mail.example\","
	    "\"n\":\"\xd0\xa1\xd0\xb2\xd0\xb5\xd1\x82\xd0\xbb\xd0\xb0\xd0\xbd"
	    "\xd0\xb0 and more ascii text after it\"}",
	    "email=S(svetlana.volkova1@mail.example);"
	    "n=S(\xd0\xa1\xd0\xb2\xd0\xb5\xd1\x82\xd0\xbb\xd0\xb0\xd0\xbd"
	    "\xd0\xb0 and more ascii text after it);");
}
END_TEST

START_TEST(jsonscan_escapes)
{
	CHECK_SCAN("{\"a\":\"q\\\"b\\\\s\\/f\\bF\\fN\\nR\\rT\\t.\"}",
	    "a=S(q\"b\\s/f\\x08F\\x0CN\\x0AR\\x0DT\\x09.);");
	CHECK_SCAN("{\"\\u0061\\u00e9\":\"\\u00E9\\u4e2d\\u0001\"}",
	    "a\xc3\xa9=S(\xc3\xa9\xe4\xb8\xad\\x01);");
	/* Surrogate pairs: U+1F600 and U+10FFFF. */
	CHECK_SCAN("{\"a\":\"x\\ud83d\\ude00y\\uDBFF\\uDFFF\"}",
	    "a=S(x\xf0\x9f\x98\x80y\xf4\x8f\xbf\xbf);");
	/* Escapes in a long string, with plain runs between them. */
	CHECK_SCAN("{\"a\":[\"0123456789\\n0123456789\\t\","
	    "\"abcdefghijklmnop\\\"\"]}",
	    "a=A[0123456789\\x0A0123456789\\x09][abcdefghijklmnop\"];");
	/* Refused: \u0000, lone or reversed surrogates, unknown escapes. */
	CHECK_SCAN("{\"a\":\"\\u0000\"}", "-");
	CHECK_SCAN("{\"a\\u0000\":1}", "-");
	CHECK_SCAN("{\"a\":[\"ok\",\"\\u0000\"]}", "-");
	CHECK_SCAN("{\"a\":\"\\ud83d\"}", "-");
	CHECK_SCAN("{\"a\":\"\\ud83dx\"}", "-");
	CHECK_SCAN("{\"a\":\"\\ud83d\\u0041\"}", "-");
	CHECK_SCAN("{\"a\":\"\\ude00\\ud83d\"}", "-");
	CHECK_SCAN("{\"a\":\"\\x41\"}", "-");
	CHECK_SCAN("{\"a\":\"\\u12G4\"}", "-");
	CHECK_SCAN("{\"a\":\"\\u12\"}", "-");
	CHECK_SCAN("{\"a\":\"\\", "-");
	/* An escaped backslash before u0000 is text. */
	CHECK_SCAN("{\"a\":\"\\\\u0000\"}", "a=S(\\u0000);");
}
END_TEST

START_TEST(jsonscan_not_text)
{
	/* Raw control characters and bytes that are not UTF-8. */
	CHECK_SCAN("{\"a\":\"x\ty\"}", "-");
	CHECK_SCAN("{\"a\":\"0123456789\x01\"}", "-");
	CHECK_SCAN("{\"a\":\"\xff\"}", "-");
	CHECK_SCAN("{\"a\":\"\xc0\xaf\"}", "-");		/* overlong */
	CHECK_SCAN("{\"a\":\"\xed\xa0\x80\"}", "-");	/* surrogate */
	CHECK_SCAN("{\"a\":\"abcdefgh\xd0\"}", "-");	/* cut short */
	CHECK_SCAN("{\"\xe2\x82\":1}", "-");
	/* Outside strings, only ASCII structure. */
	CHECK_SCAN("{\"a\":1}\xc2\xa0", "-");
	CHECK_SCAN("\xef\xbb\xbf{\"a\":1}", "-");
	CHECK_SCAN("{\"a\":1,\x0b\"b\":2}", "-");
}
END_TEST

/*
 * Runs of two-byte sequences, checked sixteen bytes a step: a long one
 * is taken whole, and a broken sequence at any place in it (a lead
 * without its continuation, an overlong lead, a stray continuation) is
 * refused, while a three-byte sequence there is taken.
 */
START_TEST(jsonscan_two_byte_runs)
{
	static const char *const bad[] = { "\xd0" "A", "\xc1\xbf", "\x80\x80",
	    "\xd0\xd0" };
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;
	char *got;
	size_t at, b, i;

	for (i = 0; i < 20; i++)
		sb_puts(&want, "\xd0\x96");		/* U+0416 */
	sb_printf(&text, "{\"a\":\"%s\"}", want.buf);
	got = scan(text.buf);
	sb_reset(&text);
	sb_printf(&text, "a=S(%s);", want.buf);
	ck_assert_str_eq(got, text.buf);
	free(got);
	for (at = 0; at < 20; at++) {
		for (b = 0; b <= 4; b++) {
			sb_reset(&text);
			sb_puts(&text, "{\"a\":\"");
			for (i = 0; i < 20; i++)
				sb_puts(&text, i != at ? "\xd0\x96" : b < 4 ?
				    bad[b] : "\xe4\xb8\xad");
			sb_puts(&text, "\"}");
			got = scan(text.buf);
			if (b < 4)
				ck_assert_str_eq(got, "-");
			else
				ck_assert_str_ne(got, "-");
			free(got);
		}
	}
	sb_free(&text);
	sb_free(&want);
}
END_TEST

START_TEST(jsonscan_numbers)
{
	CHECK_SCAN("{\"a\":0,\"b\":-0,\"c\":-12.50,\"d\":1e3,\"e\":2E-7,"
	    "\"f\":9223372036854775808,\"g\":1.5e+300}",
	    "a=N(0);b=N(-0);c=N(-12.50);d=N(1e3);e=N(2E-7);"
	    "f=N(9223372036854775808);g=N(1.5e+300);");
	CHECK_SCAN("{\"a\":01}", "-");
	CHECK_SCAN("{\"a\":+1}", "-");
	CHECK_SCAN("{\"a\":.5}", "-");
	CHECK_SCAN("{\"a\":1.}", "-");
	CHECK_SCAN("{\"a\":1e}", "-");
	CHECK_SCAN("{\"a\":-}", "-");
	CHECK_SCAN("{\"a\":0x10}", "-");
	CHECK_SCAN("{\"a\":NaN}", "-");
	CHECK_SCAN("{\"a\":1", "-");
}
END_TEST

START_TEST(jsonscan_structure)
{
	/* Nested values are refused at any depth. */
	CHECK_SCAN("{\"a\":{}}", "-");
	CHECK_SCAN("{\"a\":{\"b\":1}}", "-");
	CHECK_SCAN("{\"a\":[[\"x\"]]}", "-");
	CHECK_SCAN("{\"a\":[1]}", "-");
	CHECK_SCAN("{\"a\":[\"x\",null]}", "-");
	CHECK_SCAN("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]}", "-");
	/* Not an object, or not only one. */
	CHECK_SCAN("", "-");
	CHECK_SCAN("[]", "-");
	CHECK_SCAN("\"a\"", "-");
	CHECK_SCAN("{\"a\":1} {}", "-");
	CHECK_SCAN("{\"a\":1}x", "-");
	/* Malformed. */
	CHECK_SCAN("{", "-");
	CHECK_SCAN("{\"a\"}", "-");
	CHECK_SCAN("{\"a\":}", "-");
	CHECK_SCAN("{\"a\":1,}", "-");
	CHECK_SCAN("{,}", "-");
	CHECK_SCAN("{a:1}", "-");
	CHECK_SCAN("{'a':1}", "-");
	CHECK_SCAN("{\"a\":[\"x\",]}", "-");
	CHECK_SCAN("{\"a\":tru}", "-");
	CHECK_SCAN("{\"a\":nulll}", "-");
	CHECK_SCAN("{\"a\":\"x}", "-");
	CHECK_SCAN("{\"a\":1 2}", "-");
}
END_TEST

/* Many members and array strings: the arrays grow. */
START_TEST(jsonscan_grows)
{
	struct strbuf in = STRBUF_INIT, want = STRBUF_INIT;
	char *got;
	int i;

	sb_putc(&in, '{');
	for (i = 0; i < 100; i++) {
		sb_printf(&in, "%s\"m%d\":[\"a\\n%d\",\"b\"]", i > 0 ? "," : "",
		    i, i);
		sb_printf(&want, "m%d=A[a\\x0A%d][b];", i, i);
	}
	sb_putc(&in, '}');
	got = scan(in.buf);
	ck_assert_str_eq(got, want.buf);
	free(got);
	sb_free(&in);
	sb_free(&want);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jsonscan");
	TCase *tc = tcase_create("jsonscan");

	tcase_add_test(tc, jsonscan_members);
	tcase_add_test(tc, jsonscan_escapes);
	tcase_add_test(tc, jsonscan_not_text);
	tcase_add_test(tc, jsonscan_two_byte_runs);
	tcase_add_test(tc, jsonscan_numbers);
	tcase_add_test(tc, jsonscan_structure);
	tcase_add_test(tc, jsonscan_grows);
	suite_add_tcase(s, tc);
	return testlib_run(s);
}
