/*
 * damage: damages one record of a store on purpose, through the store
 * API, for the tests of damaged stores (cli_damage.sh, cli_check.sh).
 * Not installed.
 *
 *	damage STORE chunk DB FIELD CHUNK OFFSET HEX
 *		overwrite bytes of a column chunk (FIELD a name or "bucket")
 *	damage STORE evcol DB COLUMN CHUNK OFFSET HEX
 *		the same for a column (a number) of an event chunk
 *	damage STORE segment NAME TEXT
 *		replace a segment's record by TEXT
 *	damage STORE member NAME PNO
 *		add profile number PNO to a segment's members
 *	damage STORE put TABLE KEYHEX VALUEHEX
 *	damage STORE del TABLE KEYHEX
 *		write or delete any record (keys and values in hex)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <roaring/roaring.h>

#include "pdb.h"
#include "schema.h"
#include "store.h"
#include "util.h"

static const char *const damage_tables[STORE_NTABLES] = {
	"meta", "dbs", "keys", "cols", "segments", "segnames", "members",
	"runs", "deltas", "objects", "objmembers", "evcols", "evchunks",
	"evids"
};

struct damage {
	char		**argv;
	int		  argc;
};

static void
damage_usage(void)
{
	fprintf(stderr, "usage: damage STORE chunk|evcol|segment|member|put|"
	    "del ARGS...\n");
	exit(2);
}

/* HEX into a new buffer; its length in *n. */
static uint8_t *
damage_hex(const char *s, size_t *n)
{
	size_t len = strlen(s), i;
	uint8_t *p = xmalloc(len / 2 + 1);
	unsigned x;

	if (len % 2 != 0)
		damage_usage();
	for (i = 0; i < len / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &x) != 1)
			damage_usage();
		p[i] = (uint8_t)x;
	}
	*n = len / 2;
	return p;
}

static int
damage_table(const char *name)
{
	int i;

	for (i = 0; i < STORE_NTABLES; i++)
		if (strcmp(damage_tables[i], name) == 0)
			return i;
	damage_usage();
	return -1;
}

/* Overwrites bytes of the value at key with the hex bytes at offset. */
static int
damage_patch(struct store_txn *t, enum store_table tb, const uint8_t *key,
    size_t klen, const char *offset, const char *hex, char **cause)
{
	const void *val;
	size_t vlen, n, off = strtoul(offset, NULL, 0);
	uint8_t *copy, *bytes;
	int rc;

	if (store_get(t, tb, key, klen, &val, &vlen, cause) != 0)
		return error_set(cause, "no such record");
	bytes = damage_hex(hex, &n);
	if (off + n > vlen)
		return error_set(cause, "offset past the record's %zu bytes",
		    vlen);
	copy = xmalloc(vlen);
	memcpy(copy, val, vlen);
	memcpy(copy + off, bytes, n);
	rc = store_put(t, tb, key, klen, copy, vlen, cause);
	free(copy);
	free(bytes);
	return rc;
}

static int
damage_seg_id(struct store_txn *t, const char *name, uint8_t key[4],
    char **cause)
{
	const void *val;
	size_t vlen;

	if (store_get(t, STORE_SEGNAMES, name, strlen(name), &val, &vlen,
	    cause) != 0 || vlen != 4)
		return error_set(cause, "no segment '%s'", name);
	memcpy(key, val, 4);
	return 0;
}

static int
damage_cb(struct store_txn *t, void *arg, char **cause)
{
	struct damage *d = arg;
	char **av = d->argv;
	const char *verb = av[0];
	struct pdb_schema *sc;
	uint8_t key[10], *k, *v;
	size_t kl, vl, size;
	const void *val;
	roaring_bitmap_t *bm;
	long field;
	char *p;
	int rc;

	if (strcmp(verb, "chunk") == 0 || strcmp(verb, "evcol") == 0) {
		if (d->argc != 6)
			damage_usage();
		if (pdb_open(t, av[1], &sc, cause) != 0)
			return -1;
		if (strcmp(verb, "evcol") == 0)
			field = strtol(av[2], NULL, 10);
		else if (strcmp(av[2], "bucket") == 0)
			field = PDB_COL_BUCKET;
		else
			field = schema_field_index(sc, av[2]);
		store_be32(key, sc->id);
		schema_free(sc);
		if (field < 0)
			return error_set(cause, "no field '%s'", av[2]);
		store_be16(key + 4, (uint16_t)field);
		store_be32(key + 6, (uint32_t)strtoul(av[3], NULL, 10));
		return damage_patch(t, verb[0] == 'c' ? STORE_COLS :
		    STORE_EVCOLS, key, 10, av[4], av[5], cause);
	}
	if (strcmp(verb, "segment") == 0) {
		if (d->argc != 3)
			damage_usage();
		if (damage_seg_id(t, av[1], key, cause) != 0)
			return -1;
		return store_put(t, STORE_SEGMENTS, key, 4, av[2],
		    strlen(av[2]), cause);
	}
	if (strcmp(verb, "member") == 0) {
		if (d->argc != 3)
			damage_usage();
		if (damage_seg_id(t, av[1], key, cause) != 0)
			return -1;
		rc = store_get(t, STORE_MEMBERS, key, 4, &val, &vl, cause);
		if (rc < 0)
			return -1;
		bm = rc == 1 ? roaring_bitmap_create() :
		    roaring_bitmap_portable_deserialize_safe(val, vl);
		if (bm == NULL)
			return error_set(cause, "unreadable members");
		roaring_bitmap_add(bm, (uint32_t)strtoul(av[2], NULL, 10));
		size = roaring_bitmap_portable_size_in_bytes(bm);
		p = xmalloc(size);
		roaring_bitmap_portable_serialize(bm, p);
		roaring_bitmap_free(bm);
		rc = store_put(t, STORE_MEMBERS, key, 4, p, size, cause);
		free(p);
		return rc;
	}
	if (strcmp(verb, "put") == 0 && d->argc == 4) {
		k = damage_hex(av[2], &kl);
		v = damage_hex(av[3], &vl);
		rc = store_put(t, (enum store_table)damage_table(av[1]), k, kl,
		    v, vl, cause);
		free(k);
		free(v);
		return rc;
	}
	if (strcmp(verb, "del") == 0 && d->argc == 3) {
		k = damage_hex(av[2], &kl);
		rc = store_del(t, (enum store_table)damage_table(av[1]), k, kl,
		    cause);
		free(k);
		return rc;
	}
	damage_usage();
	return -1;
}

int
main(int argc, char **argv)
{
	struct damage d;
	struct store *st;
	char *cause = NULL;

	if (argc < 3)
		damage_usage();
	d.argv = argv + 2;
	d.argc = argc - 2;
	if (store_open(argv[1], &st, &cause) != 0 ||
	    store_write(st, damage_cb, &d, &cause) != 0) {
		fprintf(stderr, "damage: %s\n", cause);
		return 1;
	}
	store_close(st);
	return 0;
}
