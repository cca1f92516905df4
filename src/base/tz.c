/*
 * IANA timezones through GLib's GTimeZone.  GLib only answers "which
 * offset is in force at this instant"; turning a local wall time into an
 * instant (gaps and overlaps) is done here, with the rules README's "Schedules and the scheduler" states.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "i18n.h"
#include "timeutil.h"
#include "tz.h"
#include "tz_int.h"
#include "util.h"

struct tz {
	GTimeZone	*gtz;
	int		 utc;
	char		 name[64];
};

/*
 * GLib also accepts "+05:30" and absolute paths as identifiers; schedules
 * take IANA names only, so anything that cannot be a zone file name
 * under the database is refused before GLib sees it.
 */
static int
tz_name_plausible(const char *name)
{
	const char *p;
	size_t len = strlen(name);

	if (len == 0 || len >= sizeof ((struct tz *)0)->name)
		return 0;
	if (name[0] == '/' || name[0] == '.' || name[0] == '+' ||
	    name[0] == '-' || name[len - 1] == '/')
		return 0;
	if (strstr(name, "..") != NULL || strstr(name, "//") != NULL)
		return 0;
	for (p = name; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
		    *p == '-' || *p == '+')
			continue;
		return 0;
	}
	return 1;
}

static int	tz_is_tzif(const char *);
static int	tz_skip_entry(const char *);

const char *
tz_root(void)
{
	const char *root;

	if ((root = getenv("TZDIR")) == NULL || *root == '\0')
		root = "/usr/share/zoneinfo";
	return root;
}

/*
 * GLib reads a name it finds no zone file for as a POSIX TZ string
 * ("ABC5", "JST-9", "UTC0"), so a typo would run a schedule at a made-up
 * offset.  A name counts only when it is one tz_list_all offers: a TZif
 * file under the database, outside the duplicate trees.
 */
static int
tz_in_database(const char *name)
{
	struct stat sb;
	char *path, *top;
	const char *slash;
	int ok;

	if (strchr(name, '.') != NULL)
		return 0;
	slash = strchr(name, '/');
	top = slash == NULL ? xstrdup(name) :
	    xstrndup(name, (size_t)(slash - name));
	ok = !tz_skip_entry(top);
	free(top);
	if (!ok)
		return 0;
	path = xasprintf("%s/%s", tz_root(), name);
	ok = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && tz_is_tzif(path);
	free(path);
	return ok;
}

static int
tz_is_utc_name(const char *name)
{
	return name == NULL || *name == '\0' || strcmp(name, "UTC") == 0;
}

struct tz *
tz_open(const char *name, char **cause)
{
	struct tz *tz;
	GTimeZone *gtz;

	if (tz_is_utc_name(name)) {
		tz = xcalloc(1, sizeof *tz);
		tz->gtz = g_time_zone_new_utc();
		tz->utc = 1;
		strcpy(tz->name, "UTC");
		return tz;
	}
	if (!tz_name_plausible(name) || !tz_in_database(name) ||
	    (gtz = g_time_zone_new_identifier(name)) == NULL) {
		error_set(cause, _("unknown timezone '%s': expected an IANA "
		    "name such as Europe/Berlin"), name);
		return NULL;
	}
	tz = xcalloc(1, sizeof *tz);
	tz->gtz = gtz;
	snprintf(tz->name, sizeof tz->name, "%s", name);
	return tz;
}

void
tz_close(struct tz *tz)
{
	if (tz == NULL)
		return;
	g_time_zone_unref(tz->gtz);
	free(tz);
}

const char *
tz_name(const struct tz *tz)
{
	return tz->name;
}

int
tz_exists(const char *name)
{
	GTimeZone *gtz;

	if (tz_is_utc_name(name))
		return 1;
	if (!tz_name_plausible(name) || !tz_in_database(name))
		return 0;
	if ((gtz = g_time_zone_new_identifier(name)) == NULL)
		return 0;
	g_time_zone_unref(gtz);
	return 1;
}

int32_t
tz_offset(const struct tz *tz, int64_t utc)
{
	int interval;

	if (tz->utc)
		return 0;
	interval = g_time_zone_find_interval(tz->gtz, G_TIME_TYPE_UNIVERSAL,
	    utc);
	if (interval < 0)
		return 0;
	return g_time_zone_get_offset(tz->gtz, interval);
}

const char *
tz_abbrev(const struct tz *tz, int64_t utc)
{
	int interval;

	if (tz->utc)
		return "UTC";
	interval = g_time_zone_find_interval(tz->gtz, G_TIME_TYPE_UNIVERSAL,
	    utc);
	if (interval < 0)
		return "";
	return g_time_zone_get_abbreviation(tz->gtz, interval);
}

char *
tz_format(const struct tz *tz, int64_t utc, char *buf, size_t len)
{
	char	 date[TU_DATE_BUF];
	int64_t	 local;
	int	 sod;

	if (utc < TU_MIN_SECS + 86400)
		utc = TU_MIN_SECS + 86400;
	if (utc > TU_MAX_SECS - 86400)
		utc = TU_MAX_SECS - 86400;
	local = utc + tz_offset(tz, utc);
	sod = (int)((local % 86400 + 86400) % 86400);
	snprintf(buf, len, "%s %02d:%02d %s",
	    tu_format_date(tz_local_date(tz, utc), date), sod / 3600,
	    sod % 3600 / 60, tz_abbrev(tz, utc));
	return buf;
}

static int32_t
tz_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return (int32_t)q;
}

int32_t
tz_local_date(const struct tz *tz, int64_t utc)
{
	return tz_floor_div(utc + tz_offset(tz, utc), 86400);
}

/*
 * Offsets are sampled a day either side of the wall time: every zone's
 * offset lies within +-14 hours, so any instant that can show this wall
 * time lies inside that window, and real zones never change offset
 * twice within it.  When the two samples differ the wall time is near a
 * transition: valid under both offsets is an overlap (take the earlier
 * instant), valid under neither is a gap (keep the offset from before
 * the transition, which moves the time forward by the gap, as RFC 5545
 * and zoneinfo's fold=0 do).
 */
int64_t
tz_local_to_utc(const struct tz *tz, int32_t date, int secs_of_day)
{
	int64_t local = (int64_t)date * 86400 + secs_of_day;
	int64_t ue, ul;
	int32_t oe, ol;
	int ve, vl;

	if (tz->utc)
		return local;
	oe = tz_offset(tz, local - 86400);
	ol = tz_offset(tz, local + 86400);
	ue = local - oe;
	ul = local - ol;
	ve = tz_offset(tz, ue) == oe;
	vl = tz_offset(tz, ul) == ol;
	if (oe == ol) {
		if (ve)
			return ue;
		/* Two changes within the window: trust the offset at the guess. */
		return local - tz_offset(tz, ue);
	}
	if (ve && vl)
		return ue < ul ? ue : ul;
	if (ve)
		return ue;
	if (vl)
		return ul;
	return ue;
}

static int
tz_is_tzif(const char *path)
{
	FILE *f;
	char magic[4];
	int ok;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

struct tz_names {
	char	**v;
	size_t	 n, cap;
};

static void
tz_names_add(struct tz_names *names, const char *name)
{
	if (names->n + 2 > names->cap) {
		names->cap = names->cap == 0 ? 512 : names->cap * 2;
		names->v = xreallocarray(names->v, names->cap, sizeof *names->v);
	}
	names->v[names->n++] = xstrdup(name);
	names->v[names->n] = NULL;
}

/* Skips the duplicate trees and the aliases that are not places. */
static int
tz_skip_entry(const char *rel)
{
	static const char *const skip[] = {
		"posix", "right", "posixrules", "localtime", "Factory",
		"SystemV", NULL
	};
	size_t i;

	for (i = 0; skip[i] != NULL; i++)
		if (strcmp(rel, skip[i]) == 0)
			return 1;
	return 0;
}

static void
tz_walk(const char *root, const char *rel, struct tz_names *names, int depth)
{
	DIR *dir;
	struct dirent *de;
	struct stat sb;
	char *path, *child;

	if (depth > 4)
		return;
	path = rel[0] == '\0' ? xstrdup(root) : xasprintf("%s/%s", root, rel);
	if ((dir = opendir(path)) == NULL) {
		free(path);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		child = rel[0] == '\0' ? xstrdup(de->d_name) :
		    xasprintf("%s/%s", rel, de->d_name);
		if (tz_skip_entry(child) || strchr(de->d_name, '.') != NULL) {
			free(child);
			continue;
		}
		free(path);
		path = xasprintf("%s/%s", root, child);
		if (stat(path, &sb) == 0) {
			if (S_ISDIR(sb.st_mode))
				tz_walk(root, child, names, depth + 1);
			else if (S_ISREG(sb.st_mode) && tz_is_tzif(path))
				tz_names_add(names, child);
		}
		free(child);
	}
	closedir(dir);
	free(path);
}

static int
tz_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
tz_walk_all(void)
{
	struct tz_names names = { NULL, 0, 0 };
	tz_walk(tz_root(), "", &names, 0);
	if (names.v == NULL)
		tz_names_add(&names, "UTC");
	qsort(names.v, names.n, sizeof *names.v, tz_cmp);
	return names.v;
}
