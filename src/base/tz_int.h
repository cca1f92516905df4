/* What tz.c shares with tz_list.c. */
#ifndef RESEG_TZ_INT_H
#define RESEG_TZ_INT_H

/* The database's directory: TZDIR, else /usr/share/zoneinfo. */
const char *tz_root(void);
/* Every TZif file under the database, sorted; NULL-ended. */
char	**tz_walk_all(void);

#endif
