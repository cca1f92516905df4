/*
 * The zones people choose from: the canonical names of the system
 * database (tzdata's own index, tzdata.zi, lists its zones and, apart,
 * the backward-compatible links such as US/Eastern), the machine's own
 * zone, and the timezone picker's rows grouped by region.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "tz.h"
#include "tz_int.h"
#include "util.h"

struct tz_db {
	char	**zones;	/* sorted, NULL-ended */
	size_t	 nzones;
	char	**from, **to;	/* links: alias, zone */
	size_t	 nlinks;
};

static void
tz_db_add(char ***v, size_t *n, const char *s, size_t len)
{
	*v = xreallocarray(*v, *n + 2, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
	(*v)[*n] = NULL;
}

/* The next blank-separated word of *p, its length in *len. */
static const char *
tz_word(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	*len = strcspn(s, " \t\r\n");
	*p = s + *len;
	return *len > 0 ? s : NULL;
}

/* Zone names and links of tzdata.zi ("Z NAME ..." and "L ZONE ALIAS"). */
static int
tz_db_read_zi(struct tz_db *db, const char *path)
{
	FILE	*f;
	char	 line[1024];
	const char *p, *w, *a;
	size_t	 len, alen;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		p = line + 1;
		if (line[0] == 'Z' && line[1] == ' ' &&
		    (w = tz_word(&p, &len)) != NULL)
			tz_db_add(&db->zones, &db->nzones, w, len);
		else if (line[0] == 'L' && line[1] == ' ' &&
		    (w = tz_word(&p, &len)) != NULL &&
		    (a = tz_word(&p, &alen)) != NULL) {
			tz_db_add(&db->to, &db->nlinks, w, len);
			db->nlinks--;
			tz_db_add(&db->from, &db->nlinks, a, alen);
		}
	}
	fclose(f);
	return db->nzones > 0 ? 0 : -1;
}

/* The third column of zone1970.tab or zone.tab. */
static int
tz_db_read_tab(struct tz_db *db, const char *path)
{
	FILE	*f;
	char	 line[1024];
	const char *p;
	size_t	 len;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (line[0] == '#')
			continue;
		p = line;
		if (tz_word(&p, &len) == NULL || tz_word(&p, &len) == NULL)
			continue;
		if ((p = tz_word(&p, &len)) != NULL)
			tz_db_add(&db->zones, &db->nzones, p, len);
	}
	fclose(f);
	return db->nzones > 0 ? 0 : -1;
}

static int
tz_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
tz_db_load(struct tz_db *db)
{
	static const char *const files[] = {
		"tzdata.zi", "zone1970.tab", "zone.tab", NULL
	};
	char	*path;
	size_t	 i;
	int	 rc = -1;

	memset(db, 0, sizeof *db);
	for (i = 0; files[i] != NULL && rc != 0; i++) {
		path = xasprintf("%s/%s", tz_root(), files[i]);
		rc = i == 0 ? tz_db_read_zi(db, path) :
		    tz_db_read_tab(db, path);
		free(path);
	}
	if (db->zones != NULL)
		qsort(db->zones, db->nzones, sizeof *db->zones, tz_strcmp);
}

static void
tz_db_free(struct tz_db *db)
{
	size_t	 i;

	tz_list_free(db->zones);
	for (i = 0; i < db->nlinks; i++) {
		free(db->from[i]);
		free(db->to[i]);
	}
	free(db->from);
	free(db->to);
}

static int
tz_is_utc_zone(const char *name)
{
	return strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
	    strcmp(name, "Etc/GMT") == 0;
}

static char *
tz_db_canonical(const struct tz_db *db, const char *name)
{
	size_t	 i;

	for (i = 0; i < db->nlinks; i++)
		if (strcmp(db->from[i], name) == 0) {
			name = db->to[i];
			break;
		}
	return xstrdup(tz_is_utc_zone(name) ? "UTC" : name);
}

char *
tz_canonical(const char *name)
{
	struct tz_db	 db;
	char		*r;

	tz_db_load(&db);
	r = tz_db_canonical(&db, name);
	tz_db_free(&db);
	return r;
}

/* Places only: Region/City, not Etc/GMT+5 nor the old CET or EST5EDT. */
static int
tz_is_place(const char *name)
{
	return strchr(name, '/') != NULL && strncmp(name, "Etc/", 4) != 0;
}

static char **
tz_db_list(const struct tz_db *db)
{
	char	**v = NULL;
	size_t	 n = 0, i;

	if (db->nzones == 0)
		return tz_walk_all();
	tz_db_add(&v, &n, "UTC", 3);
	for (i = 0; i < db->nzones; i++)
		if (tz_is_place(db->zones[i]) && tz_exists(db->zones[i]))
			tz_db_add(&v, &n, db->zones[i],
			    strlen(db->zones[i]));
	qsort(v, n, sizeof *v, tz_strcmp);
	return v;
}

char **
tz_list_all(void)
{
	struct tz_db	 db;
	char		**v;

	tz_db_load(&db);
	v = tz_db_list(&db);
	tz_db_free(&db);
	return v;
}

void
tz_list_free(char **list)
{
	char	**p;

	if (list == NULL)
		return;
	for (p = list; *p != NULL; p++)
		free(*p);
	free(list);
}

/* A TZ value or a link's target as a name under the database. */
static char *
tz_machine_name(const char *s)
{
	const char	*root = tz_root(), *p;
	size_t		 len = strlen(root);

	if (*s == ':')
		s++;
	if (strncmp(s, root, len) == 0 && s[len] == '/')
		return xstrdup(s + len + 1);
	if ((p = strstr(s, "zoneinfo/")) != NULL && *s == '/')
		return xstrdup(p + 9);
	return xstrdup(s);
}

char *
tz_machine(void)
{
	const char	*env = getenv("TZ");
	char		 buf[PATH_MAX], *name = NULL, *r = NULL;
	ssize_t		 len;
	FILE		*f;

	if (env != NULL && *env != '\0')
		name = tz_machine_name(env);
	else if ((len = readlink("/etc/localtime", buf, sizeof buf - 1)) > 0) {
		buf[len] = '\0';
		name = tz_machine_name(buf);
	} else if ((f = fopen("/etc/timezone", "r")) != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL) {
			buf[strcspn(buf, " \t\r\n")] = '\0';
			name = xstrdup(buf);
		}
		fclose(f);
	}
	if (name != NULL && tz_exists(name))
		r = tz_canonical(name);
	free(name);
	return r;
}

int
tz_match(const char *name, const char *filter)
{
	size_t	 i, j, n = strlen(name), m = strlen(filter);
	int	 f, c;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++) {
			f = tolower((unsigned char)filter[j]);
			c = tolower((unsigned char)name[i + j]);
			if (f != c && !(f == ' ' && c == '_'))
				break;
		}
		if (j == m)
			return 1;
	}
	return 0;
}

struct tz_rows {
	struct tz_entry	*v;
	size_t		 n;
};

static void
tz_rows_add(struct tz_rows *rows, const char *name, const char *group)
{
	struct tz_entry	*e;

	rows->v = xreallocarray(rows->v, rows->n + 1, sizeof *rows->v);
	e = &rows->v[rows->n++];
	e->name = xstrdup(name);
	e->group = xstrdup(group);
	e->label = NULL;
}

static int
tz_rows_have(const struct tz_rows *rows, size_t from, const char *name)
{
	size_t	 i;

	for (i = from; i < rows->n; i++)
		if (strcmp(rows->v[i].name, name) == 0)
			return 1;
	return 0;
}

/* "America/New_York  UTC-05:00  EST", names padded to width. */
static char *
tz_label(const char *name, int width, int64_t now)
{
	struct tz	*tz;
	int32_t		 off;
	char		*s;

	if ((tz = tz_open(name, NULL)) == NULL)
		return xstrdup(name);
	off = tz_offset(tz, now);
	s = xasprintf("%-*s  UTC%c%02d:%02d  %s", width, name,
	    off < 0 ? '-' : '+', abs(off) / 3600, abs(off) % 3600 / 60,
	    tz_abbrev(tz, now));
	tz_close(tz);
	return s;
}

struct tz_entry *
tz_picker_list(int64_t now, const char *machine, const char *const *recent,
    size_t nrecent, size_t *n)
{
	struct tz_db	 db;
	struct tz_rows	 rows = { NULL, 0 };
	char		**all, **p, *name, *group;
	const char	*slash;
	size_t		 i;
	int		 width = 0;

	tz_db_load(&db);
	all = tz_db_list(&db);
	if (machine != NULL && tz_exists(machine)) {
		name = tz_db_canonical(&db, machine);
		tz_rows_add(&rows, name, _("This machine"));
		free(name);
	}
	for (i = 0; i < nrecent; i++) {
		if (recent[i] == NULL || !tz_exists(recent[i]))
			continue;
		name = tz_db_canonical(&db, recent[i]);
		if (!tz_rows_have(&rows, 0, name))
			tz_rows_add(&rows, name, _("Recently used"));
		free(name);
	}
	for (p = all; *p != NULL; p++) {
		slash = strchr(*p, '/');
		group = slash != NULL ? xstrndup(*p, (size_t)(slash - *p)) :
		    xstrdup(*p);
		tz_rows_add(&rows, *p, group);
		free(group);
	}
	tz_list_free(all);
	tz_db_free(&db);
	for (i = 0; i < rows.n; i++)
		if ((int)strlen(rows.v[i].name) > width)
			width = (int)strlen(rows.v[i].name);
	for (i = 0; i < rows.n; i++)
		rows.v[i].label = tz_label(rows.v[i].name, width, now);
	*n = rows.n;
	return rows.v;
}

void
tz_picker_free(struct tz_entry *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].group);
		free(v[i].label);
	}
	free(v);
}
