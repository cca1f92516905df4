/*
 * Profile database schemas and typed values (README, "Profile databases: create, import, export"): field types, the
 * key field, and how values are read from and written to CSV text and
 * JSON.  Parsing and formatting rules live here so import, export, bulk
 * edit and the UI agree.
 */
#ifndef RESEG_SCHEMA_H
#define RESEG_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util.h"

enum field_type {
	FT_STRING,
	FT_INT,		/* int64 */
	FT_FLOAT,	/* double */
	FT_BOOL,
	FT_DATE,	/* days since 1970-01-01 */
	FT_DATETIME,	/* UTC seconds since the epoch */
	FT_TAGS		/* set of strings */
};
#define FT_COUNT 7

const char *field_type_name(enum field_type);

struct field {
	char		*name;
	enum field_type	 type;
};

struct pdb_schema {
	char		*name;
	uint32_t	 id;
	struct field	*fields;
	uint16_t	 nfields;
	uint16_t	 key_field;	/* index into fields; always FT_STRING */
	uint32_t	 nprofiles;	/* profiles created so far = next number */
	int64_t		 created_at;
	/*
	 * The typed properties of the database's events (evdb.h); `key`,
	 * `event`, `time` and `event_id` are not properties.
	 */
	struct field	*event_fields;
	uint16_t	 nevent_fields;
	/*
	 * Where the profiles live when the database is attached rather than
	 * stored (attach.h reads it); NULL for a database of this store.
	 * The store keeps only the keys of an attached database, each with
	 * its profile number, so members and deltas work as for the others.
	 */
	cJSON		*source;
	/*
	 * Of the nprofiles, deleted (pdb_delete_txn): nprofiles - ndeleted
	 * exist.  Their numbers are never given again.
	 */
	uint32_t	 ndeleted;
};

/* Index of the named field, or -1. */
int	 schema_field_index(const struct pdb_schema *, const char *name);
/* Index of the named event property, or -1. */
int	 schema_event_field_index(const struct pdb_schema *, const char *name);
/*
 * Non-zero for the names an event file uses for the event itself (key,
 * event, time, event_id), which no event property may take.
 */
int	 schema_event_name_reserved(const char *name);
struct pdb_schema *schema_clone(const struct pdb_schema *);
void	 schema_free(struct pdb_schema *);
/*
 * "email:string,age:int,..." into fields (names checked: letters, digits,
 * '_', '-', '.'; unique).  The caller frees with fields_free.
 */
int	 schema_parse_fields(const char *spec, struct field **out, size_t *n,
	    char **cause);
void	 fields_free(struct field *, size_t);
cJSON	*schema_to_json(const struct pdb_schema *);
struct pdb_schema *schema_from_json(const cJSON *, char **cause);

/*
 * One field's value.  Strings are NUL-terminated and also carry their
 * length; tags are an array of NUL-terminated strings.  The memory
 * belongs to whoever filled the value (usually an arena).
 */
struct value {
	uint8_t		present;	/* 0: the empty value */
	union {
		int64_t	 i;		/* FT_INT */
		double	 f;		/* FT_FLOAT */
		int	 b;		/* FT_BOOL: 0/1 */
		int32_t	 date;		/* FT_DATE */
		int64_t	 dt;		/* FT_DATETIME */
		struct {
			const char	*p;
			uint32_t	 len;
		} s;			/* FT_STRING */
		struct {
			const char	**v;
			uint32_t	 n;
		} tags;			/* FT_TAGS */
	} u;
};

/*
 * CSV text to value: "" is empty; bool true/false/1/0 (any case); date
 * YYYY-MM-DD; datetime ISO 8601 with Z or offset; float with '.'; tags a
 * comma-separated list.  *cause is a message without a location, such as
 * "expected an integer, found 'abc'".
 */
int	 value_parse_text(enum field_type, const char *, size_t, struct value *,
	    struct arena *, char **cause);
/* JSON member to value: null or missing (NULL) is empty; tags an array. */
int	 value_from_json(enum field_type, const cJSON *, struct value *,
	    struct arena *, char **cause);
/*
 * Adds a tag read from a JSON array's string (tl bytes) to tags[0..*k)
 * as value_from_json does: trimmed, unless empty or there already; the
 * trimmed length in *trimmed.  -1 when it holds a comma, -2 when it is
 * over the limit.
 */
int	 value_json_tag(const char **tags, uint32_t *k, const char *t,
	    size_t tl, struct arena *, size_t *trimmed);
/* The CSV text form (empty value: nothing appended). */
void	 value_format_text(enum field_type, const struct value *,
	    struct strbuf *);
/*
 * The JSON text of value_to_json as cJSON_PrintUnformatted writes it,
 * appended without building a tree (exports).
 */
void	 value_format_json(enum field_type, const struct value *,
	    struct strbuf *);
/* A JSON string as cJSON prints it (up to len bytes or a NUL). */
void	 value_json_string(struct strbuf *, const char *, size_t len);
/* JSON form (cJSON null for the empty value). */
cJSON	*value_to_json(enum field_type, const struct value *);
/* Deep equality, for upsert ("did anything change?") and tests. */
int	 value_equal(enum field_type, const struct value *, const struct value *);
/* A copy of a value whose strings live in a. */
void	 value_copy(enum field_type, const struct value *, struct value *out,
	    struct arena *a);

#endif
