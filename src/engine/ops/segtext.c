/*
 * Segments as text (README, "Segments as text"): a definition written out
 * and parsed back, `segment load` creating or updating a segment from it,
 * and `segment test` checking it against sample profiles in a scratch
 * store.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <roaring/roaring.h>

#include "access.h"
#include "csv.h"
#include "eval.h"
#include "evdb.h"
#include "extquery.h"
#include "i18n.h"
#include "pdb.h"
#include "segtext.h"
#include "timeutil.h"
#include "util.h"

#define SEGTEXT_INDENT	"    "

static void
segtext_list(struct strbuf *sb, const char *key, char **v, size_t n)
{
	size_t i;

	sb_puts(sb, key);
	sb_putc(sb, ':');
	for (i = 0; i < n; i++)
		sb_printf(sb, "%s%s", i == 0 ? " " : ", ", v[i]);
	sb_putc(sb, '\n');
}

/* The text as written, indented; blank lines stay blank. */
static void
segtext_dump_lines(struct strbuf *sb, const char *text)
{
	const char *line, *nl;

	for (line = text; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		if (nl > line)
			sb_printf(sb, SEGTEXT_INDENT "%.*s\n", (int)(nl - line),
			    line);
		else
			sb_putc(sb, '\n');
		if (*nl == '\0')
			break;
	}
}

void
segtext_dump(const struct segment *s, struct strbuf *sb)
{
	char rbuf[SEG_RANGE_BUF], *text;

	sb_puts(sb, "# reseg segment\n");
	sb_printf(sb, "name: %s\n", s->name);
	sb_printf(sb, "database: %s\n", s->db);
	sb_printf(sb, "kind: %s\n", s->kind == SEG_STATIC ? "static" :
	    "scheduled");
	if (s->kind == SEG_SCHEDULED)
		sb_printf(sb, "state: %s\n", s->state == SEG_STOPPED ?
		    "stopped" : "active");
	segtext_list(sb, "tags", s->tags, s->ntags);
	segtext_list(sb, "groups", s->groups, s->ngroups);
	if (s->kind == SEG_STATIC)
		return;
	sb_printf(sb, "range: %s\n", seg_format_range(s->range_lo,
	    s->range_hi, rbuf));
	if (s->limit < 0)
		sb_puts(sb, "limit: none\n");
	else
		sb_printf(sb, "limit: %lld\n", (long long)s->limit);
	if (s->has_sched) {
		text = sched_format(&s->sched);
		sb_printf(sb, "schedule: %s\n", text);
		free(text);
	} else
		sb_puts(sb, "schedule: none\n");
	sb_puts(sb, "where:\n");
	if (s->where_text != NULL && seg_where_text_ok(s->where_text,
	    s->cond)) {
		segtext_dump_lines(sb, s->where_text);
		return;
	}
	if (s->cond == NULL)
		return;
	/* The canonical script has no blank lines. */
	text = cond_print(s->cond);
	segtext_dump_lines(sb, text);
	free(text);
}

static char *
segtext_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void
segtext_split(const char *v, char ***out, size_t *n)
{
	char *copy = xstrdup(v), *p, *tok, *save = NULL;

	*out = NULL;
	*n = 0;
	for (p = copy; (tok = strtok_r(p, ",", &save)) != NULL; p = NULL) {
		tok = segtext_trim(tok);
		if (*tok == '\0')
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = xstrdup(tok);
	}
	free(copy);
}

static const char *const segtext_keys[] = {
	"name", "database", "kind", "state", "tags", "groups", "range",
	"limit", "schedule", "where", NULL
};

/* One definition being read, line by line. */
struct segtext_parser {
	struct segment	*s;
	const char	*source;
	int		 lineno;
	int		 seen[10];	/* by index into segtext_keys */
	int		 in_where;
	int		 where_line;
	struct strbuf	 script;
	struct strbuf	 kept;		/* the script as written, unindented */
};

/* One line of the script as written, without trailing blanks. */
static void
segtext_keep(struct segtext_parser *p, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
	    line[n - 1] == '\r'))
		n--;
	sb_printf(&p->kept, "%.*s\n", (int)n, line);
}

/* A line of the script under 'where:'. */
static int
segtext_where_line(struct segtext_parser *p, char *line, char **cause)
{
	/* Keep line numbers: script errors name file lines. */
	if (strncmp(line, SEGTEXT_INDENT, 4) == 0) {
		sb_puts(&p->script, line + 4);
		segtext_keep(p, line + 4);
	} else if (line[0] == '\t') {
		sb_puts(&p->script, line + 1);
		segtext_keep(p, line + 1);
	} else if (*segtext_trim(line) != '\0')
		return error_set(cause, _("%s:%d: the script after 'where:' "
		    "must be indented by four spaces"), p->source, p->lineno);
	else
		segtext_keep(p, "");
	sb_putc(&p->script, '\n');
	return 0;
}

/* The value of key segtext_keys[k] into the definition. */
static int
segtext_value(struct segtext_parser *p, int k, const char *val, char **cause)
{
	struct segment *s = p->s;
	char *why = NULL;
	int64_t lim;

	switch (k) {
	case 0:
		free(s->name);
		s->name = xstrdup(val);
		break;
	case 1:
		free(s->db);
		s->db = xstrdup(val);
		break;
	case 2:
		if (strcmp(val, "static") == 0)
			s->kind = SEG_STATIC;
		else if (strcmp(val, "scheduled") == 0)
			s->kind = SEG_SCHEDULED;
		else
			return error_set(cause, _("%s:%d: kind must be "
			    "'scheduled' or 'static', not '%s'"), p->source,
			    p->lineno, val);
		break;
	case 3:
		if (strcmp(val, "stopped") == 0)
			s->state = SEG_STOPPED;
		else if (strcmp(val, "active") == 0)
			s->state = SEG_ACTIVE;
		else
			return error_set(cause, _("%s:%d: state must be "
			    "'active' or 'stopped', not '%s'"), p->source,
			    p->lineno, val);
		break;
	case 4:
		segtext_split(val, &s->tags, &s->ntags);
		break;
	case 5:
		segtext_split(val, &s->groups, &s->ngroups);
		break;
	case 6:
		if (seg_parse_range(val, &s->range_lo, &s->range_hi,
		    &why) != 0)
			goto fail_why;
		break;
	case 7:
		if (strcmp(val, "none") == 0)
			s->limit = -1;
		else if (parse_int64(val, strlen(val), &lim) != 0 || lim < 1)
			return error_set(cause, _("%s:%d: limit must be a whole "
			    "number of at least 1 or 'none', not '%s'"),
			    p->source, p->lineno, val);
		else
			s->limit = lim;
		break;
	case 8:
		if (strcmp(val, "none") == 0) {
			s->has_sched = 0;
			break;
		}
		if (sched_parse_stored(val, tu_now(), &s->sched, &why) != 0)
			goto fail_why;
		s->has_sched = 1;
		break;
	case 9:
		p->in_where = 1;
		p->where_line = p->lineno;
		if (*val != '\0') {
			sb_puts(&p->script, val);
			segtext_keep(p, val);
		}
		sb_putc(&p->script, '\n');
		break;
	}
	return 0;
fail_why:
	error_set(cause, "%s:%d: %s", p->source, p->lineno, why);
	free(why);
	return -1;
}

/* A 'key: value' line (or a blank or comment line) before 'where:'. */
static int
segtext_line(struct segtext_parser *p, char *line, char **cause)
{
	char *colon, *key, *val;
	int k;

	val = segtext_trim(line);
	if (*val == '\0' || *val == '#')
		return 0;
	colon = strchr(line, ':');
	if (colon == NULL)
		return error_set(cause, _("%s:%d: expected 'key: value', found "
		    "'%s'"), p->source, p->lineno, val);
	*colon = '\0';
	key = segtext_trim(line);
	val = segtext_trim(colon + 1);
	for (k = 0; segtext_keys[k] != NULL; k++)
		if (strcmp(key, segtext_keys[k]) == 0)
			break;
	if (segtext_keys[k] == NULL)
		return error_set(cause, _("%s:%d: unknown key '%s'"), p->source,
		    p->lineno, key);
	if (p->seen[k]++)
		return error_set(cause, _("%s:%d: '%s' is given twice"),
		    p->source, p->lineno, key);
	return segtext_value(p, k, val, cause);
}

/*
 * The text as written goes into the definition without the blank lines
 * around it; blanks alone keep nothing.
 */
static void
segtext_keep_text(struct segtext_parser *p)
{
	const char *b, *e;

	if (p->kept.buf == NULL)
		return;
	b = p->kept.buf;
	while (*b == '\n')
		b++;
	e = p->kept.buf + p->kept.len;
	while (e > b && e[-1] == '\n')
		e--;
	if (e > b)
		p->s->where_text = xasprintf("%.*s\n", (int)(e - b), b);
}

/* Checks over the whole definition, then the script. */
static int
segtext_finish(struct segtext_parser *p, char **cause)
{
	struct segment *s = p->s;
	char *why = NULL;

	if (s->name == NULL || *s->name == '\0')
		return error_set(cause, _("%s: the definition has no 'name:'"),
		    p->source);
	if (s->db == NULL || *s->db == '\0')
		return error_set(cause, _("%s: the definition has no "
		    "'database:'"), p->source);
	if (s->kind == SEG_STATIC && (p->seen[3] || p->seen[6] ||
	    p->seen[7] || s->has_sched || p->seen[9]))
		return error_set(cause, _("%s: a static segment has no state, "
		    "range, limit, schedule or conditions"), p->source);
	if (!p->in_where)
		return 0;
	s->cond = cond_parse(p->script.buf, &why);
	if (s->cond == NULL) {
		/*
		 * Script positions count from the 'where:' line, which holds
		 * the script's first line.
		 */
		error_set(cause, _("%s: script (line 1 is file line %d): %s"),
		    p->source, p->where_line, why);
		free(why);
		return -1;
	}
	if (s->cond->kind == CK_AND && s->cond->nkids == 0) {
		cond_free(s->cond);
		s->cond = NULL;
	}
	segtext_keep_text(p);
	return 0;
}

int
segtext_parse(const char *text, const char *source, struct segment **out,
    char **cause)
{
	struct segtext_parser p;
	char *copy, *line, *next;
	int rc = 0;

	memset(&p, 0, sizeof p);
	p.s = xcalloc(1, sizeof *p.s);
	seg_init(p.s);
	p.source = source;
	p.script = (struct strbuf)STRBUF_INIT;
	p.kept = (struct strbuf)STRBUF_INIT;
	copy = xstrdup(text);
	for (line = copy; line != NULL && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		p.lineno++;
		if (p.in_where)
			rc = segtext_where_line(&p, line, cause);
		else
			rc = segtext_line(&p, line, cause);
	}
	if (rc == 0)
		rc = segtext_finish(&p, cause);
	sb_free(&p.script);
	sb_free(&p.kept);
	free(copy);
	if (rc != 0) {
		seg_free(p.s);
		return -1;
	}
	*out = p.s;
	return 0;
}

static int
segtext_check_groups(const struct segment *s, const char *source,
    char **cause)
{
	size_t i;

	for (i = 0; i < s->ngroups; i++)
		if (!access_group_exists(s->groups[i]))
			return error_set(cause, _("%s: there is no Unix group "
			    "'%s'"), source, s->groups[i]);
	return 0;
}

int
segtext_load(struct store *st, const char *text, const char *source,
    int *created, char **cause)
{
	struct store_txn *txn;
	struct segment *def = NULL, *old = NULL;
	char *why = NULL;
	int rc, exists;

	if (segtext_parse(text, source, &def, cause) != 0)
		return -1;
	if (segtext_check_groups(def, source, cause) != 0) {
		seg_free(def);
		return -1;
	}
	if (store_read_begin(st, &txn, cause) != 0) {
		seg_free(def);
		return -1;
	}
	exists = seg_get(txn, def->name, &old, NULL) == 0;
	store_read_end(txn);
	if (exists && !access_can_see(old)) {
		/* As seg_validate: neither "exists" nor "no segment". */
		error_set(cause, _("%s: the segment name '%s' is not "
		    "available"), source, def->name);
		rc = -1;
	} else if (exists) {
		if (strcmp(old->db, def->db) != 0) {
			error_set(cause, _("%s: the database of segment '%s' "
			    "cannot be changed (it is '%s', the file says "
			    "'%s')"), source, old->name, old->db, def->db);
			rc = -1;
		} else {
			/*
			 * The file is the whole definition: no text of its
			 * own is no text kept (seg_update would keep the
			 * stored one).
			 */
			if (def->where_text == NULL)
				def->where_text = xstrdup("");
			/* The hook is operational, not part of the text. */
			def->hook = old->hook != NULL ? xstrdup(old->hook) :
			    NULL;
			rc = seg_update(st, def->name, def, &why);
		}
	} else
		rc = seg_create(st, def, NULL, &why);
	if (rc != 0 && why != NULL)
		error_set(cause, "%s: %s", source, why);
	free(why);
	if (created != NULL)
		*created = !exists;
	seg_free(old);
	seg_free(def);
	return rc;
}

void
segtext_test_result_free(struct segtext_test_result *r)
{
	size_t i;

	for (i = 0; i < r->ncases; i++)
		free(r->cases[i].key);
	free(r->cases);
	memset(r, 0, sizeof *r);
}

/* The cases as parsed: profiles for the scratch database. */
struct segtext_cases {
	const struct pdb_schema		*db;
	const char			*source;
	struct pdb_batch		*batch;
	struct segtext_test_result	*res;
	struct arena			 arena;
	struct value			*row;
	/* The events of JSON Lines cases, pno = case number. */
	struct evdb_event		*evs;
	size_t				 nevs;
	struct arena			 evarena;	/* their strings, props */
};

static int
segtext_add_case(struct segtext_cases *c, uint64_t line, const char *expect,
    char **cause)
{
	struct segtext_case *tc;
	const struct value *key = &c->row[c->db->key_field];

	if (expect == NULL)
		return error_set(cause, _("%s:%llu: the case has no 'expect' "
		    "(in or out)"), c->source, (unsigned long long)line);
	if (strcmp(expect, "in") != 0 && strcmp(expect, "out") != 0)
		return error_set(cause, _("%s:%llu: expect must be 'in' or "
		    "'out', not '%s'"), c->source, (unsigned long long)line,
		    expect);
	if (!key->present)
		return error_set(cause, _("%s:%llu: the case has no key "
		    "('%s')"), c->source, (unsigned long long)line,
		    c->db->fields[c->db->key_field].name);
	if (key->u.s.len > STORE_KEY_MAX)
		return error_set(cause, _("%s:%llu: %s: the key is %zu bytes "
		    "long; the limit is %d bytes"), c->source,
		    (unsigned long long)line,
		    c->db->fields[c->db->key_field].name,
		    (size_t)key->u.s.len, STORE_KEY_MAX);
	if (pdb_batch_find(c->batch, key->u.s.p, key->u.s.len) >= 0)
		return error_set(cause, _("%s:%llu: key '%s' appears twice"),
		    c->source, (unsigned long long)line, key->u.s.p);
	pdb_batch_add(c->batch, c->row);
	c->res->cases = xreallocarray(c->res->cases, c->res->ncases + 1,
	    sizeof *c->res->cases);
	tc = &c->res->cases[c->res->ncases++];
	tc->line = line;
	tc->key = xstrndup(key->u.s.p, key->u.s.len);
	tc->expect_in = strcmp(expect, "in") == 0;
	tc->got_in = 0;
	return 0;
}

static int
segtext_read_csv(struct segtext_cases *c, FILE *f, char **cause)
{
	struct csv_reader *r = csv_reader_new(f);
	const struct csv_field *fl;
	size_t n, nh = 0, i;
	int *map = NULL, expect_col = -1, rc, ret = -1;
	char *why = NULL, *expect;

	rc = csv_read(r, &fl, &n, &why);
	if (rc != 0) {
		if (rc == 1)
			error_set(cause, _("%s: the file is empty"), c->source);
		else
			error_set(cause, "%s:%llu: %s", c->source,
			    (unsigned long long)csv_line(r), why);
		goto out;
	}
	nh = n;
	map = xcalloc(nh, sizeof *map);
	for (i = 0; i < nh; i++) {
		if (strcmp(fl[i].p, "events") == 0 &&
		    schema_field_index(c->db, "events") < 0) {
			error_set(cause, _("%s:1: CSV cases cannot carry "
			    "events: write the cases as JSON Lines"),
			    c->source);
			goto out;
		}
		if (strcmp(fl[i].p, "expect") == 0) {
			expect_col = (int)i;
			map[i] = -1;
			continue;
		}
		map[i] = schema_field_index(c->db, fl[i].p);
		if (map[i] < 0) {
			error_set(cause, _("%s:1: database '%s' has no field "
			    "'%s'"), c->source, c->db->name, fl[i].p);
			goto out;
		}
	}
	if (expect_col < 0) {
		error_set(cause, _("%s:1: there is no 'expect' column"),
		    c->source);
		goto out;
	}
	while ((rc = csv_read(r, &fl, &n, &why)) == 0) {
		if (n != nh) {
			error_set(cause, ngettext_("%s:%llu: %zu field, the "
			    "header has %zu", "%s:%llu: %zu fields, the header "
			    "has %zu", n), c->source,
			    (unsigned long long)csv_line(r), n, nh);
			goto out;
		}
		arena_reset(&c->arena);
		memset(c->row, 0, c->db->nfields * sizeof *c->row);
		expect = NULL;
		for (i = 0; i < n; i++) {
			if ((int)i == expect_col) {
				expect = arena_strndup(&c->arena, fl[i].p,
				    fl[i].len);
				continue;
			}
			if (value_parse_text(c->db->fields[map[i]].type,
			    fl[i].p, fl[i].len, &c->row[map[i]], &c->arena,
			    &why) != 0) {
				error_set(cause, "%s:%llu: %s: %s", c->source,
				    (unsigned long long)csv_line(r),
				    c->db->fields[map[i]].name, why);
				goto out;
			}
		}
		if (segtext_add_case(c, csv_line(r), expect, cause) != 0)
			goto out;
	}
	if (rc < 0) {
		error_set(cause, "%s:%llu: %s", c->source,
		    (unsigned long long)csv_line(r), why);
		goto out;
	}
	ret = 0;
out:
	free(why);
	free(map);
	csv_reader_free(r);
	return ret;
}

/* One event of a case's "events" array, for profile number pno. */
static int
segtext_read_event(struct segtext_cases *c, uint64_t line, size_t i,
    const cJSON *o, uint32_t pno, char **cause)
{
	const struct pdb_schema *db = c->db;
	struct evdb_event *ev;
	struct value *props, t;
	const cJSON *m;
	char *why = NULL;
	int idx;

	if (!cJSON_IsObject(o))
		return error_set(cause, _("%s:%llu: events[%zu]: expected a "
		    "JSON object"), c->source, (unsigned long long)line, i);
	props = arena_alloc(&c->evarena, (db->nevent_fields + 1) *
	    sizeof *props);
	memset(props, 0, (db->nevent_fields + 1) * sizeof *props);
	c->evs = xreallocarray(c->evs, c->nevs + 1, sizeof *c->evs);
	ev = &c->evs[c->nevs];
	memset(ev, 0, sizeof *ev);
	ev->pno = pno;
	ev->props = props;
	m = cJSON_GetObjectItemCaseSensitive(o, "event");
	if (m == NULL)
		return error_set(cause, _("%s:%llu: events[%zu]: the event "
		    "has no name ('event')"), c->source,
		    (unsigned long long)line, i);
	if (!cJSON_IsString(m) || *m->valuestring == '\0')
		return error_set(cause, _("%s:%llu: events[%zu].event: "
		    "expected the event's name as a string"), c->source,
		    (unsigned long long)line, i);
	ev->namelen = strlen(m->valuestring);
	if (ev->namelen > STORE_NAME_MAX)
		return error_set(cause, _("%s:%llu: events[%zu].event: the "
		    "event name is %zu bytes long; the limit is %d bytes"),
		    c->source, (unsigned long long)line, i, ev->namelen,
		    STORE_NAME_MAX);
	ev->name = arena_strndup(&c->evarena, m->valuestring, ev->namelen);
	m = cJSON_GetObjectItemCaseSensitive(o, "time");
	if (value_from_json(FT_DATETIME, m, &t, &c->evarena, &why) != 0) {
		error_set(cause, "%s:%llu: events[%zu].time: %s", c->source,
		    (unsigned long long)line, i, why);
		free(why);
		return -1;
	}
	if (!t.present)
		return error_set(cause, _("%s:%llu: events[%zu]: the event "
		    "has no 'time'"), c->source, (unsigned long long)line, i);
	ev->time = t.u.dt;
	m = cJSON_GetObjectItemCaseSensitive(o, "event_id");
	if (m != NULL && !cJSON_IsNull(m)) {
		if (!cJSON_IsString(m) || *m->valuestring == '\0')
			return error_set(cause, _("%s:%llu: events[%zu]."
			    "event_id: expected a string"), c->source,
			    (unsigned long long)line, i);
		ev->idlen = strlen(m->valuestring);
		if (ev->idlen > STORE_EVENT_ID_MAX)
			return error_set(cause, _("%s:%llu: events[%zu]."
			    "event_id: the event_id is %zu bytes long; the "
			    "limit is %d bytes"), c->source,
			    (unsigned long long)line, i, ev->idlen,
			    STORE_EVENT_ID_MAX);
		ev->id = arena_strndup(&c->evarena, m->valuestring,
		    ev->idlen);
	}
	cJSON_ArrayForEach(m, o) {
		if (strcmp(m->string, "event") == 0 ||
		    strcmp(m->string, "time") == 0 ||
		    strcmp(m->string, "event_id") == 0)
			continue;
		if (strcmp(m->string, "key") == 0 ||
		    strcmp(m->string, db->fields[db->key_field].name) == 0)
			return error_set(cause, _("%s:%llu: events[%zu]: an "
			    "event of a case is the case's own; leave out "
			    "'%s'"), c->source, (unsigned long long)line, i,
			    m->string);
		idx = schema_event_field_index(db, m->string);
		if (idx < 0)
			return error_set(cause, _("%s:%llu: events[%zu]: "
			    "database '%s' has no event property '%s'"),
			    c->source, (unsigned long long)line, i, db->name,
			    m->string);
		if (value_from_json(db->event_fields[idx].type, m,
		    &props[idx], &c->evarena, &why) != 0) {
			error_set(cause, "%s:%llu: events[%zu].%s: %s",
			    c->source, (unsigned long long)line, i, m->string,
			    why);
			free(why);
			return -1;
		}
	}
	c->nevs++;
	return 0;
}

/* The "events" member of the case just added. */
static int
segtext_read_events(struct segtext_cases *c, uint64_t line, const cJSON *a,
    char **cause)
{
	const cJSON *o;
	size_t i = 0;

	if (a == NULL || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return error_set(cause, _("%s:%llu: events: expected an array "
		    "of event objects"), c->source, (unsigned long long)line);
	cJSON_ArrayForEach(o, a) {
		if (segtext_read_event(c, line, i++, o,
		    (uint32_t)(c->res->ncases - 1), cause) != 0)
			return -1;
	}
	return 0;
}

static int
segtext_read_jsonl(struct segtext_cases *c, FILE *f, char **cause)
{
	char *line = NULL, *why = NULL, *expect;
	struct text_fault tf;
	size_t cap = 0;
	ssize_t len;
	uint64_t lineno = 0;
	cJSON *o, *m, *events;
	int idx, ret = -1;

	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (text_find_fault(line, (size_t)len, &tf)) {
			why = text_fault_what(&tf);
			error_set(cause, _("%s:%llu: column %zu: %s"), c->source,
			    (unsigned long long)lineno, tf.col, why);
			goto out;
		}
		o = cJSON_ParseWithLength(line, (size_t)len);
		if (!cJSON_IsObject(o)) {
			cJSON_Delete(o);
			error_set(cause, _("%s:%llu: expected a JSON object"),
			    c->source, (unsigned long long)lineno);
			goto out;
		}
		arena_reset(&c->arena);
		memset(c->row, 0, c->db->nfields * sizeof *c->row);
		expect = NULL;
		events = NULL;
		cJSON_ArrayForEach(m, o) {
			if (strcmp(m->string, "events") == 0) {
				events = m;
				continue;
			}
			if (strcmp(m->string, "expect") == 0) {
				if (cJSON_IsString(m))
					expect = arena_strndup(&c->arena,
					    m->valuestring,
					    strlen(m->valuestring));
				else
					expect = arena_strndup(&c->arena, "?", 1);
				continue;
			}
			idx = schema_field_index(c->db, m->string);
			if (idx < 0) {
				error_set(cause, _("%s:%llu: database '%s' has "
				    "no field '%s'"), c->source,
				    (unsigned long long)lineno, c->db->name,
				    m->string);
				cJSON_Delete(o);
				goto out;
			}
			if (value_from_json(c->db->fields[idx].type, m,
			    &c->row[idx], &c->arena, &why) != 0) {
				error_set(cause, "%s:%llu: %s: %s", c->source,
				    (unsigned long long)lineno, m->string, why);
				cJSON_Delete(o);
				goto out;
			}
		}
		if (segtext_add_case(c, lineno, expect, cause) != 0 ||
		    segtext_read_events(c, lineno, events, cause) != 0) {
			cJSON_Delete(o);
			goto out;
		}
		cJSON_Delete(o);
	}
	ret = 0;
out:
	free(why);
	free(line);
	return ret;
}

/* Members of the real segments used by "in segment", as case numbers. */
struct segtext_refs {
	char			**names;
	roaring_bitmap_t	**maps;
	size_t			  n;
};

static void
segtext_ref_name(void *arg, const char *name)
{
	struct segtext_refs *r = arg;

	r->names = xreallocarray(r->names, r->n + 1, sizeof *r->names);
	r->maps = xreallocarray(r->maps, r->n + 1, sizeof *r->maps);
	r->names[r->n] = xstrdup(name);
	r->maps[r->n++] = roaring_bitmap_create();
}

static const roaring_bitmap_t *
segtext_ref_members(void *arg, const char *name)
{
	struct segtext_refs *r = arg;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->maps[i];
	return NULL;
}

static int
segtext_fill_refs(struct store_txn *txn, struct segtext_refs *refs,
    const struct segtext_test_result *res, char **cause)
{
	struct segment *s;
	struct pdb_schema *db;
	roaring_bitmap_t *m;
	uint32_t pno;
	size_t i, j;
	int rc;

	for (i = 0; i < refs->n; i++) {
		s = NULL;
		if (access_get(txn, refs->names[i], &s, cause) != 0)
			return -1;
		/* Never calculated: its members would be a silent empty set. */
		if (seg_require_calculated(s, cause) != 0) {
			seg_free(s);
			return -1;
		}
		if (pdb_open(txn, s->db, &db, cause) != 0) {
			seg_free(s);
			return -1;
		}
		if (seg_members(txn, s->id, &m, cause) != 0) {
			schema_free(db);
			seg_free(s);
			return -1;
		}
		for (j = 0; j < res->ncases; j++) {
			rc = pdb_lookup(txn, db, res->cases[j].key,
			    strlen(res->cases[j].key), &pno, NULL);
			if (rc == 0 && roaring_bitmap_contains(m, pno))
				roaring_bitmap_add(refs->maps[i], (uint32_t)j);
		}
		roaring_bitmap_free(m);
		schema_free(db);
		seg_free(s);
	}
	return 0;
}

static int
segtext_apply_cb(struct store_txn *txn, void *arg, char **cause)
{
	struct segtext_cases *c = arg;
	struct pdb_upsert_stats st;
	struct evdb_append_stats est;
	struct pdb_schema *sdb;
	int rc;

	if (pdb_batch_apply(txn, c->db->name, c->batch, &st, cause) != 0)
		return -1;
	if (c->nevs == 0)
		return 0;
	if (pdb_open(txn, c->db->name, &sdb, cause) != 0)
		return -1;
	rc = evdb_append(txn, sdb, c->evs, c->nevs, &est, cause);
	schema_free(sdb);
	return rc;
}

static void
segtext_rmscratch(const char *dir)
{
	char *p;

	p = xasprintf("%s/data.mdb", dir);
	unlink(p);
	free(p);
	p = xasprintf("%s/lock.mdb", dir);
	unlink(p);
	free(p);
	rmdir(dir);
}

/* Reads the cases from cases_path ("-": stdin), CSV or JSON Lines. */
static int
segtext_read_cases(struct segtext_cases *c, const char *cases_path,
    const enum export_format *format, char **cause)
{
	enum export_format fmt = EXPORT_CSV;
	FILE *in, *f;
	int rc, sniff;

	if (format != NULL)
		fmt = *format;
	sniff = format == NULL && (strcmp(cases_path, "-") == 0 ||
	    export_format_guess(cases_path, &fmt) != 0);
	if (strcmp(cases_path, "-") == 0)
		in = stdin;
	else if ((in = fopen(cases_path, "r")) == NULL)
		return error_set(cause, _("cannot open %s: %s"), cases_path,
		    strerror(errno));
	f = in;
	if (sniff && (f = export_format_sniff(in, &fmt, cause)) == NULL) {
		if (in != stdin)
			fclose(in);
		return -1;
	}
	rc = fmt == EXPORT_JSONL ? segtext_read_jsonl(c, f, cause) :
	    segtext_read_csv(c, f, cause);
	if (f != in)
		fclose(f);
	if (in != stdin)
		fclose(in);
	return rc;
}

static void
segtext_refs_free(struct segtext_refs *refs)
{
	size_t i;

	for (i = 0; i < refs->n; i++) {
		free(refs->names[i]);
		roaring_bitmap_free(refs->maps[i]);
	}
	free(refs->names);
	free(refs->maps);
}

/*
 * The scratch store the cases go into (the real one is never written):
 * a copy of the database's schema in a temporary directory.  The cases'
 * batch is built over this copy, whose database id is its own.
 */
struct segtext_scratch {
	char			*dir;
	struct store		*st;
	struct pdb_schema	*db;
};

static int
segtext_scratch_open(struct segtext_scratch *sc, const struct pdb_schema *db,
    char **cause)
{
	struct store_txn *txn;
	const char *tmp;
	int rc;

	memset(sc, 0, sizeof *sc);
	tmp = getenv("TMPDIR");
	sc->dir = xasprintf("%s/reseg-test.XXXXXX", tmp != NULL &&
	    *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(sc->dir) == NULL) {
		error_set(cause, _("cannot create a scratch directory %s: %s"),
		    sc->dir, strerror(errno));
		free(sc->dir);
		sc->dir = NULL;
		return -1;
	}
	if (store_open(sc->dir, &sc->st, cause) != 0)
		return -1;
	if (pdb_create_events(sc->st, db->name, db->fields, db->nfields,
	    db->fields[db->key_field].name, db->event_fields,
	    db->nevent_fields, cause) != 0)
		return -1;
	if (store_read_begin(sc->st, &txn, cause) != 0)
		return -1;
	rc = pdb_open(txn, db->name, &sc->db, cause);
	store_read_end(txn);
	return rc;
}

static void
segtext_scratch_close(struct segtext_scratch *sc)
{
	if (sc->st != NULL)
		store_close(sc->st);
	if (sc->dir != NULL)
		segtext_rmscratch(sc->dir);
	free(sc->dir);
	schema_free(sc->db);
	memset(sc, 0, sizeof *sc);
}

/*
 * Writes the cases into the scratch store and evaluates def there; out
 * receives the case numbers that are in.
 */
static int
segtext_run_scratch(struct segtext_scratch *sc, struct segtext_cases *c,
    const struct segment *def, struct segtext_refs *refs,
    struct extquery_set *qs, roaring_bitmap_t *out, char **cause)
{
	struct store_txn *txn = NULL;
	struct pdb_schema *sdb = NULL;
	struct eval_env env;
	struct eval_query q;
	struct eval_prog *prog = NULL;
	int rc = -1;

	if (store_write(sc->st, segtext_apply_cb, c, cause) != 0)
		return -1;
	if (store_read_begin(sc->st, &txn, cause) != 0)
		return -1;
	if (pdb_open(txn, c->db->name, &sdb, cause) != 0)
		goto out;
	memset(&env, 0, sizeof env);
	env.now = tu_now();
	env.tz = def->has_sched ? def->sched.tz : NULL;
	env.segment_members = segtext_ref_members;
	env.arg = refs;
	env.query_values = extquery_set_values;
	env.qarg = qs;
	memset(&q, 0, sizeof q);
	q.cond = def->cond;
	q.range_lo = def->range_lo;
	q.range_hi = def->range_hi;
	q.limit = def->limit;
	if (eval_compile(sdb, &q, &env, &prog, cause) != 0)
		goto out;
	if (eval_run(prog, txn, 1, NULL, out, cause) != 0)
		goto out;
	rc = 0;
out:
	if (prog != NULL)
		eval_free(prog);
	store_read_end(txn);
	schema_free(sdb);
	return rc;
}

int
segtext_test(struct store *st, const char *text, const char *source,
    const char *cases_path, const enum export_format *format,
    struct segtext_test_result *res, char **cause)
{
	struct store_txn *txn = NULL;
	struct segment *def = NULL, *old = NULL;
	struct pdb_schema *db = NULL;
	struct segtext_cases c;
	struct segtext_refs refs = { NULL, NULL, 0 };
	struct segtext_scratch scratch;
	struct extquery_set *qs = NULL;
	roaring_bitmap_t *out = NULL;
	char *why = NULL;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof *res);
	memset(&c, 0, sizeof c);
	memset(&scratch, 0, sizeof scratch);
	if (segtext_parse(text, source, &def, cause) != 0)
		return -1;
	if (def->kind == SEG_STATIC) {
		error_set(cause, _("%s: segment '%s' is static: only "
		    "scheduled segments have conditions to test"), source,
		    def->name);
		goto out;
	}
	if (store_read_begin(st, &txn, cause) != 0)
		goto out;
	if (seg_get(txn, def->name, &old, NULL) == 0 && !access_can_see(old)) {
		seg_free(old);
		old = NULL;
	}
	if (seg_validate_run(txn, def, old != NULL ? old->id : 0, tu_now(),
	    &why) != 0) {
		error_set(cause, "%s: %s", source, why);
		goto out;
	}
	if (pdb_open(txn, def->db, &db, cause) != 0)
		goto out;
	if (segtext_scratch_open(&scratch, db, cause) != 0)
		goto out;
	c.db = db;
	/* As the imports name it. */
	c.source = strcmp(cases_path, "-") == 0 ? "stdin" : cases_path;
	c.batch = pdb_batch_new(scratch.db);
	c.res = res;
	c.row = xcalloc(db->nfields, sizeof *c.row);
	if (segtext_read_cases(&c, cases_path, format, cause) != 0)
		goto out;
	if (def->cond != NULL)
		cond_segments(def->cond, segtext_ref_name, &refs);
	if (segtext_fill_refs(txn, &refs, res, cause) != 0)
		goto out;
	store_read_end(txn);
	txn = NULL;
	/* The servers of "in query" are asked outside any transaction. */
	if (extquery_prefetch(st, def->cond, tu_now(), &qs, cause) != 0)
		goto out;
	out = roaring_bitmap_create();
	if (segtext_run_scratch(&scratch, &c, def, &refs, qs, out,
	    cause) != 0)
		goto out;
	/* Case j got profile number j: the scratch database was empty. */
	for (i = 0; i < res->ncases; i++) {
		res->cases[i].got_in = roaring_bitmap_contains(out,
		    (uint32_t)i);
		if (res->cases[i].got_in != res->cases[i].expect_in)
			res->failed++;
	}
	rc = 0;
out:
	if (out != NULL)
		roaring_bitmap_free(out);
	if (txn != NULL)
		store_read_end(txn);
	if (c.batch != NULL)
		pdb_batch_free(c.batch);
	segtext_scratch_close(&scratch);
	segtext_refs_free(&refs);
	extquery_set_free(qs);
	free(c.row);
	free(c.evs);
	arena_free(&c.arena);
	arena_free(&c.evarena);
	schema_free(db);
	seg_free(old);
	seg_free(def);
	free(why);
	if (rc != 0)
		segtext_test_result_free(res);
	return rc;
}
