/*
 * The bucket of a profile key (bucket.c) as a SQL function for the
 * server, reseg_bucket(text), and the probe that tells whether a server's
 * function gives exactly bucket_of_key(): only then may a statement
 * apply a segment's range and limit itself (doc/sql.md).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"
#include "sqlgen.h"
#include "util.h"

/*
 * The bucket in SQL.  PostgreSQL has no unsigned 64-bit type and raises
 * an error on bigint overflow, so the 64-bit state is a numeric kept
 * modulo 2^64; an XOR touches only the low bits, which fit a bigint (the
 * byte: 8 bits; k >> 33: 31 bits).  div() and mod() are exact, unlike
 * numeric division.
 */
static const char sg_bucket_sql[] =
    "CREATE OR REPLACE FUNCTION reseg_bucket(key text) RETURNS integer\n"
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE\n"
    "AS $reseg$\n"
    "WITH RECURSIVE b(v) AS (SELECT convert_to(key, 'UTF8')),\n"
    "fnv(i, h) AS (\n"
    "  SELECT 0, 14695981039346656037::numeric\n"
    "  UNION ALL\n"
    "  SELECT fnv.i + 1, mod((fnv.h - mod(fnv.h, 256)\n"
    "      + (mod(fnv.h, 256)::integer # get_byte(b.v, fnv.i)))\n"
    "      * 1099511628211, 18446744073709551616)\n"
    "  FROM fnv, b WHERE fnv.i < length(b.v)),\n"
    "k0(k) AS (SELECT fnv.h FROM fnv, b WHERE fnv.i = length(b.v)),\n"
    "k1(k) AS (SELECT k - mod(k, 2147483648)\n"
    "  + (mod(k, 2147483648)::bigint # div(k, 8589934592)::bigint) FROM k0),\n"
    "k2(k) AS (SELECT mod(k * 18397679294719823053, 18446744073709551616)"
    " FROM k1),\n"
    "k3(k) AS (SELECT k - mod(k, 2147483648)\n"
    "  + (mod(k, 2147483648)::bigint # div(k, 8589934592)::bigint) FROM k2),\n"
    "k4(k) AS (SELECT mod(k * 14181476777654086739, 18446744073709551616)"
    " FROM k3),\n"
    "k5(k) AS (SELECT k - mod(k, 2147483648)\n"
    "  + (mod(k, 2147483648)::bigint # div(k, 8589934592)::bigint) FROM k4)\n"
    "SELECT mod(k, 10000)::integer FROM k5\n"
    "$reseg$;\n";

const char *
sqlgen_bucket_function(void)
{
	return sg_bucket_sql;
}

/*
 * The probe's keys, as hex of their UTF-8 bytes so the statement is
 * ASCII whatever the client encoding: empty, blank, one byte, quotes and
 * a backslash, digits, Cyrillic, CJK and an emoji, a combining accent,
 * and keys long enough to run many rounds.
 */
static const char *const sg_probe_keys[] = {
	"",
	"20",
	"61",
	"4f27427269656e205c2022712220",		/* O'Brien \ "q" */
	"757365722d303030303031",		/* user-000001 */
	"31323334353637383930",			/* 1234567890 */
	"d091d0bbd0bad0b02dd0bad0bbd18ed187",	/* Ёлка-ключ */
	"e994aef09f9491",			/* 键🔑 */
	"65cc81",				/* e + combining acute */
	"7030303030406578616d706c652e636f6d",	/* p0000@example.com */
};
#define SG_NPROBE (sizeof sg_probe_keys / sizeof sg_probe_keys[0])
/* Plus two long keys built here: 300 and 1000 bytes. */
#define SG_NLONG 2
static const size_t sg_long_len[SG_NLONG] = { 300, 1000 };

static pthread_once_t sg_probe_once = PTHREAD_ONCE_INIT;
static char *sg_probe;

/* Byte i of long key k: printable ASCII and two-byte letters mixed. */
static void
sg_long_key(size_t k, struct strbuf *out)
{
	size_t i;

	for (i = 0; out->len < sg_long_len[k]; i++) {
		if ((i + k) % 7 == 3 && out->len + 2 <= sg_long_len[k]) {
			sb_putc(out, (char)0xd0);
			sb_putc(out, (char)(0x90 + i % 32));
		} else
			sb_putc(out, (char)('!' + (i * 31 + k) % 94));
	}
}

static void
sg_probe_build(void)
{
	struct strbuf sb = STRBUF_INIT, key = STRBUF_INIT;
	size_t i, j;

	sb_puts(&sb, "SELECT reseg_bucket(convert_from(decode(k, 'hex'), "
	    "'UTF8'))::text\nFROM (VALUES ");
	for (i = 0; i < SG_NPROBE + SG_NLONG; i++) {
		sb_printf(&sb, "%s(%zu, '", i > 0 ? ", " : "", i);
		if (i < SG_NPROBE)
			sb_puts(&sb, sg_probe_keys[i]);
		else {
			sb_reset(&key);
			sg_long_key(i - SG_NPROBE, &key);
			for (j = 0; j < key.len; j++)
				sb_printf(&sb, "%02x",
				    (unsigned char)key.buf[j]);
		}
		sb_puts(&sb, "')");
	}
	sb_puts(&sb, ") AS t(n, k)\nORDER BY n");
	sb_free(&key);
	sg_probe = sb_detach(&sb);
}

const char *
sqlgen_probe_sql(void)
{
	pthread_once(&sg_probe_once, sg_probe_build);
	return sg_probe;
}

static int
sg_hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c - 'a' + 10;
}

int
sqlgen_probe_ok(const char *const *rows, size_t nrows)
{
	struct strbuf key = STRBUF_INIT;
	const char *h;
	char want[8];
	size_t i;
	int ok = 1;

	if (nrows != SG_NPROBE + SG_NLONG)
		return 0;
	for (i = 0; i < nrows && ok; i++) {
		sb_reset(&key);
		if (i < SG_NPROBE) {
			for (h = sg_probe_keys[i]; h[0] != '\0'; h += 2)
				sb_putc(&key, (char)(sg_hexval(h[0]) * 16 +
				    sg_hexval(h[1])));
		} else
			sg_long_key(i - SG_NPROBE, &key);
		snprintf(want, sizeof want, "%u",
		    (unsigned)bucket_of_key(key.buf != NULL ? key.buf : "",
		    key.len));
		ok = rows[i] != NULL && strcmp(rows[i], want) == 0;
	}
	sb_free(&key);
	return ok;
}
