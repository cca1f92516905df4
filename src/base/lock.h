/*
 * One scheduler per store (README, "Schedules and the scheduler"): an exclusive flock() on
 * "scheduler.lock" in the store directory, held for as long as a process
 * schedules.  The holder writes its pid, login and start time into the
 * file so that other processes can say who holds the scheduler.  The
 * kernel drops the lock when the holder dies, so a stale file never
 * blocks anyone.
 */
#ifndef RESEG_LOCK_H
#define RESEG_LOCK_H

#include <stdint.h>
#include <sys/types.h>

struct lock;

struct lock_holder {
	pid_t		 pid;
	char		 login[64];
	int64_t		 since;		/* UTC seconds */
};

#define LOCK_FILE	"scheduler.lock"

/*
 * Tries to become the scheduler of the store in dir: 0 and *lock when
 * taken; 1 when another process holds it (*holder filled when not NULL);
 * -1 with *cause when the lock file cannot be used.
 */
int	 lock_acquire(const char *dir, struct lock **, struct lock_holder *,
	    char **cause);
void	 lock_release(struct lock *);
/*
 * "the scheduler of store DIR is already held by process PID (LOGIN) since
 * ISO": the refusal a second scheduler shows (caller frees).
 */
char	*lock_describe(const char *dir, const struct lock_holder *);
/* 0 and *holder when a process holds the scheduler, 1 when none, -1. */
int	 lock_query(const char *dir, struct lock_holder *, char **cause);

#endif
