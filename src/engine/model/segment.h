/*
 * Segments (README, "Segments"): definitions, members, recalculation runs
 * and their log, and the per-run deltas that history is derived from.
 *
 * A segment's members are a roaring bitmap of profile numbers of its
 * database.  A run evaluates the conditions (eval.h), applies range and
 * limit, diffs against the current members, and commits members, the run
 * record and the deltas in one write transaction.
 */
#ifndef RESEG_SEGMENT_H
#define RESEG_SEGMENT_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#include <roaring/roaring.h>

#include "cond.h"
#include "proc.h"
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
	/*
	 * The script of `where:` as `segment load` read it, comments and
	 * line breaks included, or NULL.  Kept only while it still parses
	 * to cond (seg_where_text_ok): a change of the conditions by any
	 * other means drops it, and `segment dump` prints cond instead.
	 */
	char		*where_text;
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
	int64_t		 active_since;	/* schedule in force since (created,
					   rescheduled or resumed) */
	uint32_t	 run_seq;	/* last run id handed out */
	/*
	 * seg_list_all only: why the stored record cannot be read, or NULL.
	 * Such a segment has only its id and name (from the name index, else
	 * "#ID"); everything else is seg_init's.
	 */
	char		*damaged;
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
	/* In progress: the owner process, so a dead owner can be told apart. */
	int64_t		 pid;
	uint64_t	 pid_start;	/* its start time (/proc/PID/stat field 22) */
	uint8_t		 pid_boot[PROC_BOOT_ID];	/* its boot; zeros: unknown */
};

/* ------------------------------------------------------------------ */
/* Definitions                                                          */
/* ------------------------------------------------------------------ */

/*
 * "A-B" (percent, at most two decimals, 0 <= A < B <= 100) into hundredths
 * of a percent: "12.5-80" gives 1250 and 8000.  *cause names the problem
 * ("range '80-20': the start must be below the end").
 */
int	 seg_parse_range(const char *text, uint16_t *lo, uint16_t *hi,
	    char **cause);
/* "0-20", "12.5-80.25": the shortest form (buf at least SEG_RANGE_BUF). */
char	*seg_format_range(uint16_t lo, uint16_t hi, char *buf);
#define SEG_RANGE_BUF	16

/*
 * Whether text (a where_text) parses to a tree equal to cond (an empty
 * script matching NULL, every profile).
 */
int	 seg_where_text_ok(const char *text, const struct cond *cond);

/* An empty definition: scheduled, range 0-100, no limit, active. */
void	 seg_init(struct segment *);
/* Deep copy / free (seg_free(NULL) is fine). */
struct segment *seg_clone(const struct segment *);
void	 seg_free(struct segment *);
void	 seg_list_free(struct segment **, size_t);

/*
 * Whether the caller may see a segment: access_init (access.h) installs
 * its test here, so that seg_validate answers for a segment the caller
 * cannot see as everything else does.  Until then only segments without
 * groups are visible (access.h fails closed too).
 */
void	 seg_set_visibility(int (*)(const struct segment *));

/*
 * Validates a definition as the segment form's Save does, without
 * writing: name required and not taken by another segment (self_id is the
 * segment being edited, 0 for a new one; a name held by a segment the
 * caller cannot see is "not available", never "already exists"), groups
 * new to the definition exist as Unix groups, database exists, conditions
 * type-check (cond_check; "in segment" names must exist and, when new to
 * the definition, be visible to the caller), no cycle through
 * "in segment" ("segment 'A' would depend on itself: A -> B -> A"), range
 * and limit (>= 1 or -1) valid.  A schedule that is new or differs from
 * the stored one (sched_equal) must be valid at now (sched_validate) and
 * have a run after now (sched_check_runs); an unchanged one is not
 * checked again, so a segment whose schedule has ended stays editable.
 * Static segments must have no conditions, range, limit or schedule.
 */
int	 seg_validate(struct store_txn *, const struct segment *,
	    uint32_t self_id, int64_t now, char **cause);
/*
 * As seg_validate, for a definition about to be run rather than saved
 * (segment test): an "in segment" of a segment the caller cannot see is
 * unknown even when the stored definition already had it.
 */
int	 seg_validate_run(struct store_txn *, const struct segment *,
	    uint32_t self_id, int64_t now, char **cause);
/*
 * Whether a run of segment user may read the members of segment used
 * through "in segment" (README, "Dependent objects and access groups").
 * The caller must see used; an automatic run (the scheduler, acting for
 * nobody in particular) further needs every group of user among used's
 * groups, or used without groups, so that all who may read user's
 * members may see used.  0: the run treats used as missing.
 */
int	 seg_may_use(const struct segment *user, const struct segment *used,
	    int automatic);

/*
 * Creates a segment from def (its id, created_at and run fields are
 * ignored) after seg_validate.  *id receives the new id (may be NULL).
 */
int	 seg_create(struct store *, const struct segment *def, uint32_t *id,
	    char **cause);
/*
 * Replaces the definition of segment `name` by def (renaming when
 * def->name differs).  Refused when def->db differs ("the database of
 * segment 'X' cannot be changed (it is 'demo')"), when def->kind differs,
 * and while the segment is updating.  Members, runs and run statistics
 * are kept.
 */
int	 seg_update(struct store *, const char *name, const struct segment *def,
	    char **cause);
/*
 * Deletes the segment with its members, runs and deltas in the caller's
 * write transaction; refused while updating.  Who still uses it is for
 * the caller to ask (drop.h).
 */
int	 seg_delete_txn(struct store_txn *, const struct segment *,
	    char **cause);
/* -1 with "segment 'X' is updating (run N started T); ..." while it is. */
int	 seg_refuse_updating(struct store_txn *, const struct segment *,
	    char **cause);
/* Whether the segment has been updated at least once. */
int	 seg_updated(const struct segment *);
/*
 * 0 when the segment has been updated; else -1 with "segment 'X' has
 * not been updated yet; recalculate it first".
 */
int	 seg_require_updated(const struct segment *, char **cause);
/*
 * 0 when another segment may read this one's members through "in
 * segment": it is static, or scheduled with a completed run.  Else -1
 * with "its condition uses segment 'X', which has not been calculated
 * yet; recalculate 'X' first" (never a silent empty set).
 */
int	 seg_require_calculated(const struct segment *, char **cause);
/*
 * Profiles of s's database are being deleted (pnos), in the caller's
 * write transaction: *n is how many of them s holds.  A static segment
 * loses them at once, with a manual run of initiator recording the
 * removal (*run its id; 0 when it held none); a scheduled one keeps
 * them (*run 0) until its next run, which removes them.
 */
int	 seg_forget_profiles(struct store_txn *, struct segment *s,
	    const roaring_bitmap_t *pnos, const char *initiator, uint64_t *n,
	    uint32_t *run, char **cause);
/*
 * The segments whose conditions use segment `name` through "in segment",
 * by name (free with seg_list_free).  Dependent objects: objects.h.
 */
int	 seg_dependents(struct store_txn *, const char *name,
	    struct segment ***, size_t *, char **cause);

/*
 * Reads.  0 found; -1 with *cause ("there is no segment 'X'") otherwise.
 * The caller frees with seg_free.
 */
int	 seg_get(struct store_txn *, const char *name, struct segment **,
	    char **cause);
int	 seg_get_by_id(struct store_txn *, uint32_t id, struct segment **,
	    char **cause);
/* Every segment, sorted by name. */
int	 seg_list(struct store_txn *, struct segment ***, size_t *, char **cause);
/*
 * seg_list, and a damaged record (README, "Backups and integrity") as
 * a segment with its damage set, so a listing shows it instead of
 * hiding it; seg_list leaves damaged records out.
 */
int	 seg_list_all(struct store_txn *, struct segment ***, size_t *,
	    char **cause);

/*
 * The next automatic run strictly after `now`: 0 with *next set, 1 when
 * none (static, stopped, no schedule, schedule over), -1 with *cause.
 * Always recomputed from the stored schedule (README, "Schedules and the
 * scheduler").
 */
int	 seg_next_run(const struct segment *, int64_t now, int64_t *next,
	    char **cause);
/*
 * Staleness (README, "Schedules and the scheduler"): 1 when an active
 * scheduled segment has had no successful run since a slot that was due
 * more than SEG_STALE_SLACK seconds before now (slots before its schedule
 * came into force do not count); *due (may be NULL) receives that slot.
 * 0 otherwise.
 */
#define SEG_STALE_SLACK	(15 * 60)
int	 seg_stale(const struct segment *, int64_t now, int64_t *due);
/*
 * 1 when a scheduled segment's schedule has no run after now (a past
 * "once", or past its "until"), whether the segment is active or
 * stopped: the CLI and the UI show such a segment as ended.  0 otherwise
 * (also for static segments and segments without a schedule).
 */
int	 seg_sched_ended(const struct segment *, int64_t now);
/* Whether a run is in progress (running_run_id set and its owner alive). */
int	 seg_is_updating(const struct segment *);

/* ------------------------------------------------------------------ */
/* Static filling                                                       */
/* ------------------------------------------------------------------ */

struct seg_fill_result {
	uint64_t	 changed;	/* added (or removed) */
	uint64_t	 unchanged;	/* already in (or already out) */
	char		**unknown;	/* keys not in the database */
	size_t		 nunknown;
	struct run_record run;		/* the Manual run written (when changed) */
};
void	 seg_fill_result_free(struct seg_fill_result *);

/*
 * Adds (remove = 0) or removes keys from a static segment in one
 * transaction, writing a Manual run record and its deltas so that log and
 * history show manual changes.  Unknown keys are listed in the result, not
 * an error.  A scheduled segment refuses ("segment 'X' is scheduled: only
 * a recalculation changes its members").
 */
int	 seg_fill(struct store *, const char *name, int remove,
	    const char *const *keys, size_t nkeys, const char *initiator,
	    struct seg_fill_result *, char **cause);

/* ------------------------------------------------------------------ */
/* Recalculation                                                        */
/* ------------------------------------------------------------------ */

struct recalc_opts {
	enum run_type	 type;		/* RUN_MANUAL / RUN_AUTOMATIC */
	const char	*initiator;	/* login name, or "System" */
	int		 dry_run;	/* compute and report, commit nothing */
	int		 nthreads;	/* 0: every core */
	int64_t		 slot;		/* automatic: the scheduled time, else 0 */
	/* Progress and cancellation (may be NULL; called from scan threads). */
	void		(*progress)(void *arg, uint64_t scanned, uint64_t total);
	void		*progress_arg;
	atomic_int	*cancel;	/* set non-zero: the run ends as Error */
	/*
	 * Called with the Completed run once it is committed and before the
	 * run hooks start (hooks.h), so the result can be shown without
	 * waiting for them (may be NULL; never for dry runs).
	 */
	void		(*committed)(void *arg, const struct run_record *);
	void		*committed_arg;
};

/*
 * Recalculates segment `name` (README, "Segments"; RANGE AND LIMIT in
 * reseg(1)): writes an In progress run in a small transaction, evaluates
 * conditions, range and limit in one read transaction, then commits
 * members, deltas, the Completed run record and the segment's statistics
 * in ONE write transaction.  A failure records an
 * Error run (with its text) and leaves the members untouched; -1 and
 * *cause are returned and *out (when not NULL) holds the Error record.
 * Refused without a run record while the segment is updating ("segment
 * 'X' is updating (run 12 started 2026-11-28T21:00:00Z); try again when it
 * finishes").  A dry run writes nothing; out->id is 0 and added, removed,
 * total are those the run would give.  Static segments are refused.
 * *out is owned by the caller (run_record_clear).
 */
int	 seg_recalc(struct store *, const char *name, const struct recalc_opts *,
	    struct run_record *out, char **cause);

/*
 * Runs of several segments due together (the scheduler's): each item
 * gets what seg_recalc(name, o with the item's slot) would give it (rc,
 * cause, run), the same records, members, deltas and hooks, with the
 * work shared: the In progress records are written in one transaction,
 * the segments of one database are evaluated in one read transaction
 * and one pass over the columns they use, and their results committed in
 * one write transaction (each alone when that fails).  Runs share the
 * start time.  No item may use "in segment" of another item: the
 * scheduler gives those of one depth.
 */
struct recalc_item {
	const char	*name;
	int64_t		 slot;
	int		 rc;		/* out: as seg_recalc's */
	char		*cause;		/* out: the caller frees it */
	struct run_record run;		/* out: run_record_clear */
};
void	 seg_recalc_batch(struct store *, struct recalc_item *, size_t n,
	    const struct recalc_opts *);

/*
 * Marks runs left In progress by a process that no longer exists as Error
 * ("interrupted").  Runs of live processes are left alone (each in-progress
 * run records its owner's pid and process start time).  *n (may be NULL)
 * receives how many were marked.  Call at the start of the UI and daemon.
 */
int	 seg_mark_interrupted(struct store *, unsigned *n, char **cause);

/* ------------------------------------------------------------------ */
/* Scheduler support                                                    */
/* ------------------------------------------------------------------ */

/* Stop / start the schedule; a stopped segment keeps it. */
int	 seg_set_state(struct store *, const char *name, enum seg_state,
	    char **cause);
/*
 * Persists the latest slot the scheduler handled (catch-up: README,
 * "Schedules and the scheduler").
 */
int	 seg_set_last_handled(struct store *, uint32_t id, int64_t slot,
	    char **cause);
/*
 * Logs a Skipped run for a missed slot (type Automatic, initiator
 * "System") and sets last_handled to slot, in one transaction.
 */
int	 seg_log_skipped(struct store *, uint32_t id, int64_t slot,
	    char **cause);

/* ------------------------------------------------------------------ */
/* Results                                                              */
/* ------------------------------------------------------------------ */

/* Current members (profile numbers); an empty bitmap before any run. */
int	 seg_members(struct store_txn *, uint32_t id, roaring_bitmap_t **,
	    char **cause);

/*
 * The segments of database db that profile pno is a member of now,
 * sorted by name (seg_list_free frees them); damaged records are left
 * out, as seg_list does.
 */
int	 seg_with_member(struct store_txn *, const char *db, uint32_t pno,
	    struct segment ***, size_t *, char **cause);

/* The run log, oldest first.  Free with run_records_free. */
int	 seg_runs(struct store_txn *, uint32_t id, struct run_record **,
	    size_t *, char **cause);
void	 run_record_clear(struct run_record *);
void	 run_records_free(struct run_record *, size_t);

enum hist_group {
	HIST_RUN,		/* one point per Completed run */
	HIST_DAY,
	HIST_WEEK,		/* weeks start on Monday */
	HIST_MONTH,
	HIST_QUARTER,
	HIST_YEAR
};
/* "run", "day", ... into *g; -1 for an unknown name. */
int	 hist_group_parse(const char *, enum hist_group *);

struct hist_point {
	int64_t		 at;		/* run end, or period start (UTC) */
	int32_t		 day;		/* period start, local date; run: local date */
	uint32_t	 run_id;	/* HIST_RUN: the run; else the last one */
	uint32_t	 nruns;		/* Completed runs in the period */
	uint64_t	 total;		/* members at the end of the point */
	uint64_t	 added_auto, removed_auto;
	uint64_t	 added_manual, removed_manual;
};

/*
 * History from the run log (`segment history` in reseg(1)), for runs
 * ending in [from, to] (UTC seconds; 0 / INT64_MAX for unbounded).
 * Grouped points are periods of local time in tz (NULL: the schedule's
 * zone, else UTC); a period without runs is left out.  total is the count
 * after the period's last run.
 */
int	 seg_history(struct store_txn *, uint32_t id, enum hist_group,
	    int64_t from, int64_t to, const char *tz, struct hist_point **,
	    size_t *, char **cause);

/* Who was a member at time t (UTC), replaying the deltas up to t. */
int	 seg_members_at(struct store_txn *, uint32_t id, int64_t t,
	    roaring_bitmap_t **, char **cause);

/*
 * Per-profile deltas, oldest run first, profile-number order within a
 * run: fn(arg, run, key, added) for every profile added (added = 1) or
 * removed (0).  fn returns non-zero to stop.
 */
typedef int (*seg_delta_fn)(void *arg, const struct run_record *,
	    const char *key, size_t keylen, int added);
int	 seg_export_history(struct store_txn *, uint32_t id, seg_delta_fn,
	    void *arg, char **cause);

/*
 * The statement a recalculation of a segment of an attached database
 * runs in PostgreSQL (attach.h), as text with its parameters.
 */
int	 seg_sql(struct store *, const char *name, char **text, char **cause);
/*
 * In or out, and why (`segment why` in reseg(1)): *in is 1 when the key
 * is a current member; sb receives the explanation (eval_explain over the
 * current data, plus a note when the stored membership and today's
 * evaluation differ).
 */
int	 seg_why(struct store *, const char *name, const char *key, int *in,
	    struct strbuf *, char **cause);
/*
 * Members of a segment of database from_db (*bm) as profile numbers of
 * database to_db, matched by key, for "in segment" across databases;
 * *bm is replaced.  Keys to_db lacks are left out.
 */
int	 seg_members_by_key(struct store_txn *, const char *from_db,
	    const char *to_db, roaring_bitmap_t **bm, char **cause);

const char *run_type_name(enum run_type);	/* "Manual" / "Automatic" */
const char *run_status_name(enum run_status);	/* "In progress", ... */
/*
 * A run as JSON, the object of doc/json.md that hooks and `--json` share:
 * id (null for a dry run), type, initiator, started_at, ended_at, added,
 * removed, total, status, error (null unless the run failed).
 */
struct cJSON;
struct cJSON *run_record_json(const struct run_record *);

#endif
