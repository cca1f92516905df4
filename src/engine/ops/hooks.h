/*
 * Run hooks (README, "Run hooks"): a command run after each recalculation with the
 * run's JSON summary on standard input, one line ending with a newline.  A segment may have its own hook
 * (struct segment.hook) and the store may have one for every segment
 * (STORE_META "hook"); both run when both are set, the segment's first.
 *
 * The command runs through /bin/sh -c in its own process group, with
 * the first HOOKS_OUTPUT_KEEP bytes of its stdout and stderr appended to
 * STORE/hooks.log (and a note of how much more was dropped), and the
 * environment variables RESEG_STORE, RESEG_SEGMENT, RESEG_RUN_ID and
 * RESEG_STATUS.  It is killed after the timeout (STORE_META
 * "hook_timeout", seconds, default HOOKS_DEFAULT_TIMEOUT).  A failure
 * (non-zero exit, signal, timeout) is written to hooks.log; it never
 * fails the run.  Every line of hooks.log starts with the time and names
 * the hook ("hook of segment 'X' (run N)", "store-wide hook (segment 'X',
 * run N)"), output lines included.  hooks.log is renamed to hooks.log.1
 * (replacing it) once it reaches HOOKS_LOG_MAX bytes.
 *
 * Only the hook's own process is waited for (not children it leaves in
 * the background holding its output), at most the timeout; the caller
 * waits for each hook in turn, so callers that show a result do so
 * before (recalc_opts.committed).
 */
#ifndef RESEG_HOOKS_H
#define RESEG_HOOKS_H

#include <stdint.h>

#include "segment.h"
#include "store.h"

#define HOOKS_DEFAULT_TIMEOUT	30
/* Of each hook's output (stdout and stderr) hooks.log keeps this much. */
#define HOOKS_OUTPUT_KEEP	4096
/* hooks.log is renamed to hooks.log.1 once it reaches this size. */
#define HOOKS_LOG_MAX		(1024 * 1024)

/*
 * Runs the hooks for a finished run (Completed or Error; not dry runs).
 * Call after the run's commit, outside any transaction.  Returns the
 * number of hooks that failed; *cause (may be NULL) receives the first
 * failure for a caller who wants to show it.
 */
int	 hooks_run_after(struct store *, const char *segment,
	    const struct run_record *, char **cause);

/* Store-wide hook: NULL command clears it. */
int	 hooks_set_global(struct store *, const char *command, char **cause);
/* *command is NULL when none (caller frees). */
int	 hooks_get_global(struct store_txn *, char **command, char **cause);
int	 hooks_set_timeout(struct store *, int seconds, char **cause);
int	 hooks_get_timeout(struct store_txn *, int *seconds, char **cause);
/* Per-segment hook (NULL clears). */
int	 hooks_set_segment(struct store *, const char *segment,
	    const char *command, char **cause);

#endif
