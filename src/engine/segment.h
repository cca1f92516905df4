/*
 * Segments (SPEC 1): definitions, members, recalculation runs and their
 * log, and the per-run deltas that history is derived from.
 *
 * A segment's members are a roaring bitmap of profile numbers of its
 * database.  A run evaluates the conditions (eval.h), applies range and
 * limit, diffs against the current members, and commits members, the run
 * record and the deltas in one write transaction.
 */
#ifndef RESEG_SEGMENT_H
#define RESEG_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "cond.h"
#include "sched.h"
#include "store.h"
#include "util.h"

enum seg_kind { SEG_SCHEDULED, SEG_STATIC };
enum seg_state { SEG_ACTIVE, SEG_STOPPED };

struct segment {
	uint32_t	 id;
	char		*name;
	enum seg_kind	 kind;
	char		*db;		/* immutable after creation */
	char		**tags;
	size_t		 ntags;
	char		**groups;	/* Unix group names (access groups) */
	size_t		 ngroups;
	struct cond	*cond;		/* scheduled: NULL = every profile */
	uint16_t	 range_lo;	/* hundredths of a percent, 0..10000 */
	uint16_t	 range_hi;
	int64_t		 limit;		/* -1: none */
	int		 has_sched;
	struct sched	 sched;
	enum seg_state	 state;
	char		*hook;		/* command run after each run, or NULL */
	int64_t		 created_at;
	int64_t		 updated_at;
	/* Maintained by runs. */
	uint64_t	 nmembers;
	uint32_t	 last_run_id;	/* 0: never run */
	int64_t		 last_run_at;	/* end of the last completed run */
	int64_t		 last_success_at;
	uint32_t	 running_run_id; /* non-zero while a run is in progress */
	int64_t		 last_handled;	/* scheduler: latest slot handled */
};

enum run_type { RUN_MANUAL, RUN_AUTOMATIC };
enum run_status { RUN_IN_PROGRESS, RUN_COMPLETED, RUN_ERROR, RUN_SKIPPED };

struct run_record {
	uint32_t	 id;		/* 1, 2, ... per segment */
	int64_t		 started_at;
	int64_t		 ended_at;	/* 0 while in progress */
	enum run_type	 type;
	char		*initiator;	/* login name, or "System" */
	uint64_t	 added;
	uint64_t	 removed;
	uint64_t	 total;
	enum run_status	 status;
	char		*error;		/* RUN_ERROR: the message */
	int64_t		 slot;		/* automatic runs: the scheduled time */
};

const char *run_type_name(enum run_type);	/* "Manual" / "Automatic" */
const char *run_status_name(enum run_status);	/* "In progress", ... */

#endif
