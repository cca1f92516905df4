/*
 * access: who is asking (effective user, its groups, the store's owner)
 * and which segments that caller may see and act on.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "i18n.h"
#include "util.h"

/*
 * Who is asking, computed once per process: the groups of a user do not
 * change while a command runs, and a list of thousands of segments must
 * not query the group database for each.
 */
static struct {
	int	 ready;
	int	 privileged;
	gid_t	*gids;
	int	 ngids;
} access_self;

static void
access_load_groups(void)
{
	struct passwd *pw;
	gid_t *g;
	int n = 64, i, extra;

	pw = getpwuid(geteuid());
	if (pw == NULL) {
		/* No passwd entry: only the process's own groups. */
		n = getgroups(0, NULL);
		if (n < 0)
			n = 0;
		g = xcalloc((size_t)n + 1, sizeof *g);
		n = getgroups(n, g);
		if (n < 0)
			n = 0;
		g[n++] = getegid();
		access_self.gids = g;
		access_self.ngids = n;
		return;
	}
	for (;;) {
		g = xcalloc((size_t)n, sizeof *g);
		i = n;
		if (getgrouplist(pw->pw_name, pw->pw_gid, g, &i) >= 0) {
			n = i;
			break;
		}
		free(g);
		n = i > n ? i : n * 2;
	}
	/* Groups granted to this process (newgrp, sg) count as well. */
	extra = getgroups(0, NULL);
	if (extra > 0) {
		g = xreallocarray(g, (size_t)n + (size_t)extra + 1, sizeof *g);
		i = getgroups(extra, g + n);
		if (i > 0)
			n += i;
	}
	g = xreallocarray(g, (size_t)n + 1, sizeof *g);
	g[n++] = getegid();
	access_self.gids = g;
	access_self.ngids = n;
}

void
access_init(const struct store *st)
{
	struct stat sb;

	free(access_self.gids);
	access_self.gids = NULL;
	access_self.ngids = 0;
	access_self.privileged = geteuid() == 0;
	if (!access_self.privileged && st != NULL &&
	    stat(store_path(st), &sb) == 0 && sb.st_uid == geteuid())
		access_self.privileged = 1;
	if (!access_self.privileged)
		access_load_groups();
	access_self.ready = 1;
	seg_set_visibility(access_can_see);
}

int
access_is_privileged(void)
{
	/* Fail closed: a process that never said who it is sees least. */
	return access_self.ready && access_self.privileged;
}

static int
access_in_group(const char *name)
{
	struct group *gr;
	int i;

	gr = getgrnam(name);
	if (gr == NULL)
		return 0;
	for (i = 0; i < access_self.ngids; i++)
		if (access_self.gids[i] == gr->gr_gid)
			return 1;
	return 0;
}

int
access_can_see(const struct segment *s)
{
	size_t i;

	if (access_is_privileged() || s->ngroups == 0)
		return 1;
	for (i = 0; i < s->ngroups; i++)
		if (access_in_group(s->groups[i]))
			return 1;
	return 0;
}

int
access_check(const struct segment *s, char **cause)
{
	if (access_can_see(s))
		return 0;
	return error_set(cause, _("there is no segment '%s'"), s->name);
}

int
access_get(struct store_txn *txn, const char *name, struct segment **s,
    char **cause)
{
	*s = NULL;
	if (seg_get(txn, name, s, cause) != 0)
		return -1;
	if (access_check(*s, cause) != 0) {
		seg_free(*s);
		*s = NULL;
		return -1;
	}
	return 0;
}

void
access_filter(struct segment **v, size_t *n)
{
	size_t i, j;

	for (i = j = 0; i < *n; i++) {
		if (access_can_see(v[i]))
			v[j++] = v[i];
		else
			seg_free(v[i]);
	}
	*n = j;
}

int
access_group_exists(const char *name)
{
	return getgrnam(name) != NULL;
}
