/*
 * Profile database schemas and typed values: the one place that decides
 * how a value is read from CSV text or JSON and how it is written back.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "schema.h"
#include "store.h"
#include "timeutil.h"

/* How much of a bad value a message quotes. */
#define SCHEMA_QUOTE_MAX	60

static const char *const schema_type_names[FT_COUNT] = {
	"string", "int", "float", "bool", "date", "datetime", "tags"
};

const char *
field_type_name(enum field_type t)
{
	if ((unsigned)t >= FT_COUNT)
		return "?";
	return schema_type_names[t];
}

static int
field_type_parse(const char *s, enum field_type *t)
{
	int i;

	for (i = 0; i < FT_COUNT; i++) {
		if (strcmp(s, schema_type_names[i]) == 0) {
			*t = (enum field_type)i;
			return 0;
		}
	}
	return -1;
}

int
schema_field_index(const struct pdb_schema *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->nfields; i++) {
		if (strcmp(sc->fields[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
schema_event_field_index(const struct pdb_schema *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->nevent_fields; i++) {
		if (strcmp(sc->event_fields[i].name, name) == 0)
			return i;
	}
	return -1;
}

int
schema_event_name_reserved(const char *name)
{
	static const char *const reserved[] = { "key", "event", "time",
	    "event_id" };
	size_t i;

	for (i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
		if (strcmp(name, reserved[i]) == 0)
			return 1;
	}
	return 0;
}

static struct field *
schema_fields_clone(const struct field *f, uint16_t n)
{
	struct field *c;
	uint16_t i;

	if (n == 0)
		return NULL;
	c = xcalloc(n, sizeof *c);
	for (i = 0; i < n; i++) {
		c[i].name = xstrdup(f[i].name);
		c[i].type = f[i].type;
	}
	return c;
}

struct pdb_schema *
schema_clone(const struct pdb_schema *sc)
{
	struct pdb_schema *c;

	c = xmalloc(sizeof *c);
	*c = *sc;
	c->name = xstrdup(sc->name);
	c->fields = schema_fields_clone(sc->fields, sc->nfields);
	c->event_fields = schema_fields_clone(sc->event_fields,
	    sc->nevent_fields);
	if (sc->source != NULL)
		c->source = cJSON_Duplicate(sc->source, 1);
	return c;
}

void
fields_free(struct field *f, size_t n)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < n; i++)
		free(f[i].name);
	free(f);
}

void
schema_free(struct pdb_schema *sc)
{
	if (sc == NULL)
		return;
	fields_free(sc->fields, sc->nfields);
	fields_free(sc->event_fields, sc->nevent_fields);
	cJSON_Delete(sc->source);
	free(sc->name);
	free(sc);
}

static int
schema_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		    *s == '.'))
			return 0;
	}
	return 1;
}

static void
schema_trim(const char **p, size_t *n)
{
	while (*n > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

int
schema_parse_fields(const char *spec, struct field **out, size_t *nout,
    char **cause)
{
	struct field *f = NULL;
	size_t n = 0, i, len, nlen, tlen;
	const char *p = spec, *end, *colon, *name, *type;
	char *tname;
	enum field_type t;

	*out = NULL;
	*nout = 0;
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		colon = memchr(p, ':', len);
		if (colon == NULL) {
			error_set(cause, _("field '%.*s': expected NAME:TYPE"),
			    (int)len, p);
			goto fail;
		}
		name = p;
		nlen = (size_t)(colon - p);
		type = colon + 1;
		tlen = len - nlen - 1;
		schema_trim(&name, &nlen);
		schema_trim(&type, &tlen);
		f = xreallocarray(f, n + 1, sizeof *f);
		f[n].name = xstrndup(name, nlen);
		f[n].type = FT_STRING;
		n++;
		if (!schema_name_ok(f[n - 1].name)) {
			error_set(cause, _("field '%s': a field name is letters, "
			    "digits, '_', '-' and '.'"), f[n - 1].name);
			goto fail;
		}
		tname = xstrndup(type, tlen);
		if (field_type_parse(tname, &t) != 0) {
			error_set(cause, _("field '%s': unknown type '%s' "
			    "(expected string, int, float, bool, date, datetime "
			    "or tags)"), f[n - 1].name, tname);
			free(tname);
			goto fail;
		}
		free(tname);
		f[n - 1].type = t;
		for (i = 0; i + 1 < n; i++) {
			if (strcmp(f[i].name, f[n - 1].name) == 0) {
				error_set(cause, _("field '%s' appears twice"),
				    f[n - 1].name);
				goto fail;
			}
		}
		if (n > 0xFFFE) {
			error_set(cause, _("too many fields"));
			goto fail;
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*out = f;
	*nout = n;
	return 0;

fail:
	fields_free(f, n);
	return -1;
}

static void
schema_fields_json(cJSON *o, const char *member, const struct field *fields,
    uint16_t n)
{
	cJSON *arr, *f;
	uint16_t i;

	arr = cJSON_AddArrayToObject(o, member);
	for (i = 0; i < n; i++) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "name", fields[i].name);
		cJSON_AddStringToObject(f, "type", field_type_name(fields[i].type));
		cJSON_AddItemToArray(arr, f);
	}
}

/* Reads an array of {"name", "type"}; -1 when it is malformed. */
static int
schema_fields_from_json(const cJSON *arr, struct field **out, uint16_t *nout)
{
	const cJSON *f, *fn, *ft;
	struct field *fields;
	int n, i;

	n = cJSON_GetArraySize(arr);
	if (n < 0 || n > 0xFFFE)
		return -1;
	fields = n > 0 ? xcalloc((size_t)n, sizeof *fields) : NULL;
	for (i = 0; i < n; i++) {
		f = cJSON_GetArrayItem(arr, i);
		fn = cJSON_GetObjectItemCaseSensitive(f, "name");
		ft = cJSON_GetObjectItemCaseSensitive(f, "type");
		if (!cJSON_IsString(fn) || !cJSON_IsString(ft) ||
		    field_type_parse(ft->valuestring, &fields[i].type) != 0) {
			fields_free(fields, (size_t)i);
			return -1;
		}
		fields[i].name = xstrdup(fn->valuestring);
	}
	*out = fields;
	*nout = (uint16_t)n;
	return 0;
}

cJSON *
schema_to_json(const struct pdb_schema *sc)
{
	cJSON *o;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", sc->name);
	cJSON_AddNumberToObject(o, "id", sc->id);
	schema_fields_json(o, "fields", sc->fields, sc->nfields);
	cJSON_AddStringToObject(o, "key", sc->fields[sc->key_field].name);
	cJSON_AddNumberToObject(o, "nprofiles", sc->nprofiles);
	cJSON_AddNumberToObject(o, "created_at", (double)sc->created_at);
	/* Absent when none, so records without deletions are as before. */
	if (sc->ndeleted > 0)
		cJSON_AddNumberToObject(o, "deleted", sc->ndeleted);
	/* Absent when empty, so records of databases without events are as before. */
	if (sc->nevent_fields > 0)
		schema_fields_json(o, "event_fields", sc->event_fields,
		    sc->nevent_fields);
	if (sc->source != NULL)
		cJSON_AddItemToObject(o, "source",
		    cJSON_Duplicate(sc->source, 1));
	return o;
}

struct pdb_schema *
schema_from_json(const cJSON *o, char **cause)
{
	struct pdb_schema *sc;
	const cJSON *name, *id, *fields, *key, *np, *ca, *evf, *src, *nd;
	int k;

	name = cJSON_GetObjectItemCaseSensitive(o, "name");
	id = cJSON_GetObjectItemCaseSensitive(o, "id");
	fields = cJSON_GetObjectItemCaseSensitive(o, "fields");
	key = cJSON_GetObjectItemCaseSensitive(o, "key");
	np = cJSON_GetObjectItemCaseSensitive(o, "nprofiles");
	ca = cJSON_GetObjectItemCaseSensitive(o, "created_at");
	if (!cJSON_IsString(name) || !cJSON_IsNumber(id) ||
	    !cJSON_IsArray(fields) || !cJSON_IsString(key) ||
	    !cJSON_IsNumber(np)) {
		error_set(cause, _("a profile database record is damaged"));
		return NULL;
	}
	sc = xcalloc(1, sizeof *sc);
	sc->name = xstrdup(name->valuestring);
	sc->id = (uint32_t)id->valuedouble;
	sc->nprofiles = (uint32_t)np->valuedouble;
	sc->created_at = cJSON_IsNumber(ca) ? (int64_t)ca->valuedouble : 0;
	nd = cJSON_GetObjectItemCaseSensitive(o, "deleted");
	if (nd != NULL && (!cJSON_IsNumber(nd) || nd->valuedouble < 0 ||
	    nd->valuedouble > np->valuedouble))
		goto bad;
	sc->ndeleted = nd != NULL ? (uint32_t)nd->valuedouble : 0;
	if (schema_fields_from_json(fields, &sc->fields, &sc->nfields) != 0 ||
	    sc->nfields == 0)
		goto bad;
	evf = cJSON_GetObjectItemCaseSensitive(o, "event_fields");
	if (evf != NULL && (!cJSON_IsArray(evf) ||
	    schema_fields_from_json(evf, &sc->event_fields,
	    &sc->nevent_fields) != 0))
		goto bad;
	k = schema_field_index(sc, key->valuestring);
	if (k < 0 || sc->fields[k].type != FT_STRING)
		goto bad;
	src = cJSON_GetObjectItemCaseSensitive(o, "source");
	if (src != NULL && !cJSON_IsObject(src))
		goto bad;
	if (src != NULL)
		sc->source = cJSON_Duplicate(src, 1);
	sc->key_field = (uint16_t)k;
	return sc;

bad:
	error_set(cause, _("profile database '%s': the record is damaged"),
	    sc->name);
	schema_free(sc);
	return NULL;
}

static int
schema_expected(char **cause, const char *what, const char *s, size_t n)
{
	if (n > SCHEMA_QUOTE_MAX)
		return error_set(cause, _("expected %s, found '%.*s...'"), what,
		    SCHEMA_QUOTE_MAX, s);
	return error_set(cause, _("expected %s, found '%.*s'"), what, (int)n,
	    s);
}

/* A string value or a tag of n bytes over the limit (store.h). */
static int
schema_too_long(char **cause, int tag, size_t n)
{
	if (tag)
		return error_set(cause, _("a tag is %zu bytes long; the limit "
		    "is %d bytes"), n, STORE_STRING_MAX);
	return error_set(cause, _("the value is %zu bytes long; the limit is "
	    "%d bytes"), n, STORE_STRING_MAX);
}

/* Adds tag t (tl bytes) to tags[0..*k) unless it is there already. */
static void
schema_add_tag(const char **tags, uint32_t *k, const char *t, size_t tl,
    struct arena *a)
{
	uint32_t i;

	for (i = 0; i < *k; i++) {
		if (strlen(tags[i]) == tl && memcmp(tags[i], t, tl) == 0)
			return;
	}
	tags[(*k)++] = arena_strndup(a, t, tl);
}

/* Splits "a, b,,c" into distinct, trimmed, non-empty tags. */
static int
schema_parse_tags(const char *s, size_t n, struct value *v, struct arena *a,
    char **cause)
{
	const char **tags;
	const char *p = s, *end = s + n, *q, *t;
	size_t cap = 1, tl;
	uint32_t k = 0;

	for (q = s; q < end; q++)
		cap += *q == ',';
	tags = arena_alloc(a, cap * sizeof *tags);
	while (p <= end) {
		q = memchr(p, ',', (size_t)(end - p));
		if (q == NULL)
			q = end;
		t = p;
		tl = (size_t)(q - p);
		schema_trim(&t, &tl);
		if (tl > STORE_STRING_MAX)
			return schema_too_long(cause, 1, tl);
		if (tl > 0)
			schema_add_tag(tags, &k, t, tl, a);
		p = q + 1;
	}
	v->u.tags.v = tags;
	v->u.tags.n = k;
	v->present = k > 0;
	return 0;
}

int
value_parse_text(enum field_type t, const char *s, size_t n, struct value *v,
    struct arena *a, char **cause)
{
	int64_t i;
	double d;
	int32_t days;

	memset(v, 0, sizeof *v);
	if (n == 0)
		return 0;
	switch (t) {
	case FT_STRING:
		if (n > STORE_STRING_MAX)
			return schema_too_long(cause, 0, n);
		v->u.s.p = arena_strndup(a, s, n);
		v->u.s.len = (uint32_t)n;
		break;
	case FT_INT:
		if (parse_int64(s, n, &i) != 0)
			return schema_expected(cause, _("an integer"), s, n);
		v->u.i = i;
		break;
	case FT_FLOAT:
		if (parse_double(s, n, &d) != 0 || !isfinite(d))
			return schema_expected(cause, _("a number"), s, n);
		v->u.f = d;
		break;
	case FT_BOOL:
		if ((n == 4 && ascii_strncasecmp_n(s, n, "true", 4) == 0) ||
		    (n == 1 && s[0] == '1'))
			v->u.b = 1;
		else if ((n == 5 && ascii_strncasecmp_n(s, n, "false", 5) == 0) ||
		    (n == 1 && s[0] == '0'))
			v->u.b = 0;
		else
			return schema_expected(cause,
			    _("true, false, 1 or 0"), s, n);
		break;
	case FT_DATE:
		if (tu_parse_date(s, n, &days) != 0)
			return schema_expected(cause, _("a date YYYY-MM-DD"), s,
			    n);
		v->u.date = days;
		break;
	case FT_DATETIME:
		if (tu_parse_datetime(s, n, 1, &i) != 0)
			return schema_expected(cause, _("an ISO 8601 date and "
			    "time with Z or an offset"), s, n);
		v->u.dt = i;
		break;
	case FT_TAGS:
		return schema_parse_tags(s, n, v, a, cause);
	}
	v->present = 1;
	return 0;
}

static int
schema_json_expected(char **cause, const char *what, const cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);
	int rc;

	rc = schema_expected(cause, what, text != NULL ? text : "?",
	    text != NULL ? strlen(text) : 1);
	cJSON_free(text);
	return rc;
}

int
value_json_tag(const char **tags, uint32_t *k, const char *t, size_t tl,
    struct arena *a, size_t *trimmed)
{
	/*
	 * The CSV rules, so that a tag reads back the same from either
	 * format: trimmed, no commas.
	 */
	schema_trim(&t, &tl);
	*trimmed = tl;
	if (memchr(t, ',', tl) != NULL)
		return -1;
	if (tl > STORE_STRING_MAX)
		return -2;
	if (tl > 0)
		schema_add_tag(tags, k, t, tl, a);
	return 0;
}

int
value_from_json(enum field_type t, const cJSON *j, struct value *v,
    struct arena *a, char **cause)
{
	const cJSON *e;
	const char **tags, *tag;
	double d;
	size_t tl;
	uint32_t k;
	int n, rc;

	memset(v, 0, sizeof *v);
	if (j == NULL || cJSON_IsNull(j))
		return 0;
	/* A string is read with the CSV rules, so "42" and "true" work too. */
	if (cJSON_IsString(j) && t != FT_TAGS)
		return value_parse_text(t, j->valuestring,
		    strlen(j->valuestring), v, a, cause);
	switch (t) {
	case FT_STRING:
		return schema_json_expected(cause, _("a string"), j);
	case FT_INT:
		if (!cJSON_IsNumber(j))
			return schema_json_expected(cause, _("an integer"), j);
		d = j->valuedouble;
		/* Beyond 2^53 a JSON number has already lost digits. */
		if (d != floor(d) || fabs(d) >= 9007199254740992.0)
			return schema_json_expected(cause, _("an integer"), j);
		v->u.i = (int64_t)d;
		break;
	case FT_FLOAT:
		if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble))
			return schema_json_expected(cause, _("a number"), j);
		v->u.f = j->valuedouble;
		break;
	case FT_BOOL:
		if (!cJSON_IsBool(j))
			return schema_json_expected(cause,
			    _("true, false, 1 or 0"), j);
		v->u.b = cJSON_IsTrue(j) ? 1 : 0;
		break;
	case FT_DATE:
		return schema_json_expected(cause, _("a date YYYY-MM-DD"), j);
	case FT_DATETIME:
		return schema_json_expected(cause, _("an ISO 8601 date and "
		    "time with Z or an offset"), j);
	case FT_TAGS:
		/* Only CSV spells tags as "a,b"; JSON uses an array. */
		if (!cJSON_IsArray(j))
			return schema_json_expected(cause,
			    _("an array of strings"), j);
		n = cJSON_GetArraySize(j);
		tags = arena_alloc(a, ((size_t)n + 1) * sizeof *tags);
		k = 0;
		cJSON_ArrayForEach(e, j) {
			if (!cJSON_IsString(e))
				return schema_json_expected(cause,
				    _("an array of strings"), j);
			tag = e->valuestring;
			rc = value_json_tag(tags, &k, tag, strlen(tag), a, &tl);
			if (rc == -1)
				return schema_json_expected(cause,
				    _("tags without commas"), j);
			if (rc == -2)
				return schema_too_long(cause, 1, tl);
		}
		v->u.tags.v = tags;
		v->u.tags.n = k;
		v->present = k > 0;
		return 0;
	}
	v->present = 1;
	return 0;
}

/* Writes |n| (n != INT64_MIN) in decimal to the end of buf; returns the start. */
static char *
schema_utoa(uint64_t n, char *end)
{
	do {
		*--end = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	return end;
}

static void
schema_put_int(struct strbuf *sb, int64_t i)
{
	char buf[24], *p;

	p = schema_utoa(i < 0 ? -(uint64_t)i : (uint64_t)i, buf + sizeof buf);
	if (i < 0)
		*--p = '-';
	sb_add(sb, p, (size_t)(buf + sizeof buf - p));
}

/*
 * The usual float is a short decimal such as 9493.33: n / 10^k for a
 * small k, exactly.  Its shortest round-trip form has as many significant
 * digits as n without trailing zeros (two decimals of at most 15 digits
 * never share a double).  It is written in fixed notation whenever the
 * exponent is at least -4: "1000", not %g's "1e+03", which reads back the
 * same but puzzles people.  Returns the length written, or 0 when the
 * value is not of that kind and the general loop (%g) must run.
 */
static size_t
schema_format_short(double d, char *buf, size_t size)
{
	static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	char dig[24], *s, *o = buf;
	double a = fabs(d);
	int64_t n = 0;
	int k, nd, lead;

	if (!(a >= 1e-4 && a < 1e15) || size < 32)
		return 0;
	for (k = 0; k < (int)(sizeof p10 / sizeof p10[0]); k++) {
		if (a * p10[k] >= 1e15)
			return 0;
		n = llround(a * p10[k]);
		if ((double)n / p10[k] == a)
			break;
	}
	if (k == (int)(sizeof p10 / sizeof p10[0]) || n == 0)
		return 0;
	while (k > 0 && n % 10 == 0) {
		n /= 10;
		k--;
	}
	s = schema_utoa((uint64_t)n, dig + sizeof dig);
	nd = (int)(dig + sizeof dig - s);
	/* Exponent nd - 1 - k must be >= -4. */
	if (nd - 1 - k < -4)
		return 0;
	if (d < 0)
		*o++ = '-';
	if (k == 0) {
		memcpy(o, s, (size_t)nd);
		o += nd;
	} else if (nd > k) {
		memcpy(o, s, (size_t)(nd - k));
		o += nd - k;
		*o++ = '.';
		memcpy(o, s + nd - k, (size_t)k);
		o += k;
	} else {
		*o++ = '0';
		*o++ = '.';
		for (lead = k - nd; lead > 0; lead--)
			*o++ = '0';
		memcpy(o, s, (size_t)nd);
		o += nd;
	}
	*o = '\0';
	return (size_t)(o - buf);
}

/* The shortest %g form that reads back as exactly the same double. */
static void
schema_format_double(double d, char *buf, size_t size)
{
	int prec;

	if (schema_format_short(d, buf, size) > 0)
		return;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

void
value_format_text(enum field_type t, const struct value *v, struct strbuf *sb)
{
	char buf[64];
	uint32_t i;

	if (!v->present)
		return;
	switch (t) {
	case FT_STRING:
		sb_add(sb, v->u.s.p, v->u.s.len);
		break;
	case FT_INT:
		schema_put_int(sb, v->u.i);
		break;
	case FT_FLOAT:
		schema_format_double(v->u.f, buf, sizeof buf);
		sb_puts(sb, buf);
		break;
	case FT_BOOL:
		sb_puts(sb, v->u.b ? "true" : "false");
		break;
	case FT_DATE:
		sb_puts(sb, tu_format_date(v->u.date, buf));
		break;
	case FT_DATETIME:
		sb_puts(sb, tu_format_datetime(v->u.dt, buf));
		break;
	case FT_TAGS:
		for (i = 0; i < v->u.tags.n; i++) {
			if (i > 0)
				sb_putc(sb, ',');
			sb_puts(sb, v->u.tags.v[i]);
		}
		break;
	}
}

void
value_json_string(struct strbuf *sb, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = p + len, *run;
	char esc[6];
	unsigned char c;

	sb_grow(sb, len + 2);
	sb_putc(sb, '"');
	while (p < end && *p != '\0') {
		for (run = p; p < end; p++) {
			c = (unsigned char)*p;
			if (c < 32 || c == '"' || c == '\\')
				break;
		}
		sb_add(sb, run, (size_t)(p - run));
		if (p == end || *p == '\0')
			break;
		c = (unsigned char)*p++;
		esc[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			sb_add(sb, esc, 6);
			continue;
		}
		sb_add(sb, esc, 2);
	}
	sb_putc(sb, '"');
}

void
value_format_json(enum field_type t, const struct value *v, struct strbuf *sb)
{
	char buf[64];
	uint32_t i;

	if (!v->present) {
		sb_add(sb, "null", 4);
		return;
	}
	switch (t) {
	case FT_STRING:
		value_json_string(sb, v->u.s.p, v->u.s.len);
		break;
	case FT_INT:
	case FT_FLOAT:
	case FT_BOOL:
		value_format_text(t, v, sb);
		break;
	case FT_DATE:
		value_json_string(sb, tu_format_date(v->u.date, buf),
		    TU_DATE_BUF - 1);
		break;
	case FT_DATETIME:
		value_json_string(sb, tu_format_datetime(v->u.dt, buf),
		    TU_DATETIME_BUF - 1);
		break;
	case FT_TAGS:
		sb_putc(sb, '[');
		for (i = 0; i < v->u.tags.n; i++) {
			if (i > 0)
				sb_putc(sb, ',');
			value_json_string(sb, v->u.tags.v[i],
			    strlen(v->u.tags.v[i]));
		}
		sb_putc(sb, ']');
		break;
	}
}

cJSON *
value_to_json(enum field_type t, const struct value *v)
{
	cJSON *arr;
	char buf[64];
	uint32_t i;

	if (!v->present)
		return cJSON_CreateNull();
	switch (t) {
	case FT_STRING:
		/* cJSON stops at a NUL; the length is kept for that reason. */
		return cJSON_CreateString(v->u.s.p);
	case FT_INT:
		/* Raw text keeps all 64 bits; a double would round them. */
		snprintf(buf, sizeof buf, "%" PRId64, v->u.i);
		return cJSON_CreateRaw(buf);
	case FT_FLOAT:
		schema_format_double(v->u.f, buf, sizeof buf);
		return cJSON_CreateRaw(buf);
	case FT_BOOL:
		return cJSON_CreateBool(v->u.b);
	case FT_DATE:
		return cJSON_CreateString(tu_format_date(v->u.date, buf));
	case FT_DATETIME:
		return cJSON_CreateString(tu_format_datetime(v->u.dt, buf));
	case FT_TAGS:
		arr = cJSON_CreateArray();
		for (i = 0; i < v->u.tags.n; i++)
			cJSON_AddItemToArray(arr,
			    cJSON_CreateString(v->u.tags.v[i]));
		return arr;
	}
	return cJSON_CreateNull();
}

int
value_equal(enum field_type t, const struct value *a, const struct value *b)
{
	uint32_t i, j;

	if (a->present != b->present)
		return 0;
	if (!a->present)
		return 1;
	switch (t) {
	case FT_STRING:
		return a->u.s.len == b->u.s.len &&
		    memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
	case FT_INT:
		return a->u.i == b->u.i;
	case FT_FLOAT:
		return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0;
	case FT_BOOL:
		return (a->u.b != 0) == (b->u.b != 0);
	case FT_DATE:
		return a->u.date == b->u.date;
	case FT_DATETIME:
		return a->u.dt == b->u.dt;
	case FT_TAGS:
		/* Tags are a set: order does not matter. */
		if (a->u.tags.n != b->u.tags.n)
			return 0;
		for (i = 0; i < a->u.tags.n; i++) {
			for (j = 0; j < b->u.tags.n; j++) {
				if (strcmp(a->u.tags.v[i], b->u.tags.v[j]) == 0)
					break;
			}
			if (j == b->u.tags.n)
				return 0;
		}
		return 1;
	}
	return 0;
}

void
value_copy(enum field_type type, const struct value *v, struct value *out,
    struct arena *a)
{
	const char **tags;
	uint32_t i;

	*out = *v;
	if (!v->present)
		return;
	if (type == FT_STRING)
		out->u.s.p = arena_strndup(a, v->u.s.p, v->u.s.len);
	else if (type == FT_TAGS) {
		tags = arena_alloc(a, ((size_t)v->u.tags.n + 1) *
		    sizeof *tags);
		for (i = 0; i < v->u.tags.n; i++)
			tags[i] = arena_strndup(a, v->u.tags.v[i],
			    strlen(v->u.tags.v[i]));
		out->u.tags.v = tags;
	}
}
