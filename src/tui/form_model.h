/*
 * The segment form's model, without a terminal: the fields as the user
 * typed them, conversion to and from struct segment, per-field
 * validation through the engine, and the editing operations of the
 * conditions tree.  view_form.c draws it; tests/check_form.c tests it.
 */
#ifndef RESEG_TUI_FORM_MODEL_H
#define RESEG_TUI_FORM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "cond.h"
#include "schema.h"
#include "segment.h"
#include "store.h"

/* The fields of the form; text fields keep what was typed. */
enum fm_field {
	FM_NAME,
	FM_DB,
	FM_KIND,
	FM_COND,		/* the tree or the script */
	FM_RANGE_LO,		/* percent, two decimals */
	FM_RANGE_HI,
	FM_LIMIT_ON,
	FM_LIMIT,
	FM_SCHED_ON,
	FM_TIME,		/* HH:MM */
	FM_TZ,
	FM_FREQ,
	FM_INTERVAL,		/* every N days / hours */
	FM_ONCE,		/* YYYY-MM-DD */
	FM_WEEKDAYS,		/* mon,thu */
	FM_MONTHDAYS,		/* 1,15,last */
	FM_UNTIL,		/* YYYY-MM-DD or empty */
	FM_TAGS,		/* comma-separated */
	FM_GROUPS,
	FM_NFIELDS
};

struct form_model {
	char		*text[FM_NFIELDS];	/* text fields; NULL = "" */
	char		*err[FM_NFIELDS];	/* the cause next to a field */
	int		 err_line, err_col;	/* FM_COND: the script position */
	enum seg_kind	 kind;
	int		 limit_on;
	int		 sched_on;
	enum sched_freq	 freq;
	struct cond	*cond;		/* root group: CK_AND or CK_OR */
	int		 script_mode;	/* editing the script, not the tree */
	char		*script;
	/*
	 * The script as written (comments, line breaks), or NULL: shown
	 * again and saved as the segment's where_text while it still says
	 * what the tree says (seg_where_text_ok).
	 */
	char		*script_src;
	struct segment	*orig;		/* the saved segment, NULL when new */
};

void	 fm_init(struct form_model *);
void	 fm_free(struct form_model *);
/* Fills the form from a saved segment (copied). */
void	 fm_from_segment(struct form_model *, const struct segment *);
const char *fm_text(const struct form_model *, enum fm_field);
void	 fm_set_text(struct form_model *, enum fm_field, const char *);
void	 fm_clear_errors(struct form_model *);
/* Sets the error of a field (takes cause). */
void	 fm_set_error(struct form_model *, enum fm_field, char *cause);
/* Whether any field has an error. */
int	 fm_has_errors(const struct form_model *);

/*
 * The schedule of the form in its text form ("weekly on mon,thu at 02:30
 * UTC until 2027-01-31", README "Schedules and the scheduler"); NULL when
 * the schedule is off.
 */
char	*fm_sched_text(const struct form_model *);
/* The form's schedule parsed; -1 with *cause. */
int	 fm_sched(const struct form_model *, int64_t now, struct sched *,
	    char **cause);

/* Parses the script into the tree (script mode); -1 sets FM_COND's error
 * and err_line/err_col from "line L, column C: ...". */
int	 fm_script_apply(struct form_model *);
/* Prints the tree into the script: the script as written when it still
 * says what the tree says (its comments kept), else cond_print. */
void	 fm_script_from_tree(struct form_model *);
/* "line 2, column 14: ..." into 2 and 14; -1 when there is no position. */
int	 fm_cause_position(const char *cause, int *line, int *col);

/*
 * Builds the definition from the form, validating every field through
 * the engine (seg_parse_range, sched_parse and sched_validate, cond_check
 * against the database, seg_validate for name, database and cycles); each
 * cause lands next to its field.  0 and *out, or -1 with the errors set.
 * txn may be NULL (then only what needs no store is checked).
 */
int	 fm_to_segment(struct form_model *, struct store_txn *, int64_t now,
	    struct segment **out);

/* ------------------------------------------------------------------ */
/* The conditions tree                                                  */
/* ------------------------------------------------------------------ */

/* One visible line of the tree: the root group is row 0. */
struct fm_row {
	struct cond	*node;
	struct cond	*parent;	/* NULL for the root */
	size_t		 index;		/* in parent->kids */
	int		 depth;
};

/* The rows of the tree (groups, then their kids); free the array. */
size_t	 fm_tree_rows(struct cond *root, struct fm_row **);
/* The row of a node, or -1. */
int	 fm_tree_find(struct cond *root, const struct cond *node);
/* The row of the first empty group below the root, or -1. */
int	 fm_tree_empty_group(struct cond *root);
/*
 * Adds kid after the node of row (into it when it is a group); takes kid.
 */
void	 fm_tree_add(struct cond *root, int row, struct cond *kid);
/* Replaces the node of row (not the root) by node; takes node. */
int	 fm_tree_replace(struct cond *root, int row, struct cond *node);
/* Removes the node of row (not the root). */
int	 fm_tree_remove(struct cond *root, int row);
/* Moves the node of row up (dir < 0) or down in its group. */
int	 fm_tree_move(struct cond *root, int row, int dir);
/* AND <-> OR of the row's group (a condition: of its parent). */
void	 fm_tree_andor(struct cond *root, int row);
/* Removes every condition and group; the root stays, empty. */
void	 fm_tree_clear(struct cond *root);
/* Makes a root group of any tree (takes c; NULL gives an empty AND). */
struct cond *fm_tree_root(struct cond *c);

/* The text of one row ("country in (\"RU\", \"KZ\")", "ALL of:"). */
char	*fm_row_text(const struct cond *);

/*
 * The operators offered for an operand (field through func), as
 * cond_ops_for gives them; how many values each takes (0, 1, 2, or -1 for
 * one or more), and a hint for the value input.
 */
int	 fm_op_nvalues(enum cond_op);
const char *fm_value_hint(enum field_type operand_type, enum cond_op);

/*
 * A condition from the editor's choices and typed values: lists are
 * comma-separated (a value may be quoted to hold a comma), dates
 * YYYY-MM-DD, between takes "A, B" or "A and B".  Checked with cond_check
 * against the schema; -1 with *cause.
 */
int	 fm_pred_build(const struct pdb_schema *, const char *field,
	    enum cond_func, enum cond_op, const char *values,
	    struct cond **out, char **cause);
/* The values of a condition as fm_pred_build reads them. */
char	*fm_pred_values_text(const struct cond *);

/* ------------------------------------------------------------------ */
/* Event conditions                                                     */
/* ------------------------------------------------------------------ */

/*
 * The event editor's choices, as typed: the test, the event's name, the
 * aggregate's property (sum..max), the filters (where), then the count
 * (did), the comparison (count of, aggregates) or the time test
 * (first, last) with its typed values, and the window with its typed
 * values.  values and wvalues read like a predicate's ("3", "2 and 5",
 * "2026-01-01, 2026-03-31").
 */
struct fm_event {
	enum cond_evtest test;
	char		*event;
	char		*prop;
	struct cond	*where;		/* NULL: every event of the name */
	int		 counted;	/* did: a count (else at least once) */
	enum cond_op	 op;
	char		*values;
	enum cond_window_kind window;
	char		*wvalues;
};

void	 fm_event_init(struct fm_event *);
void	 fm_event_free(struct fm_event *);
/* The choices of an event node (CK_EVENT), to edit it. */
void	 fm_event_from_cond(struct fm_event *, const struct cond *);
/*
 * The operators offered after the test into out (room for CO_COUNT):
 * did's counts (CO_GE at least, CO_LE at most, CO_EQ exactly,
 * CO_BETWEEN), the comparisons of count of and the aggregates, the time
 * tests of first and last.
 */
size_t	 fm_event_ops(enum cond_evtest, enum cond_op *out);
/* What the values box of an operator asks for; NULL: no values. */
const char *fm_event_value_hint(enum cond_evtest, enum cond_op);
/* What the window's box asks for; NULL: no values (all time). */
const char *fm_window_hint(enum cond_window_kind);
/*
 * The typed values of the count, comparison or time test into node
 * (op and values); -1 with *cause.
 */
int	 fm_event_values(const struct fm_event *, struct cond *node,
	    char **cause);
/* The typed window; -1 with *cause. */
int	 fm_event_window(const struct fm_event *, struct cond_window *,
	    char **cause);
/*
 * The event node of the choices, checked with cond_check against the
 * database's schema (its event properties); -1 with *cause.
 */
int	 fm_event_build(const struct pdb_schema *, const struct fm_event *,
	    struct cond **out, char **cause);
/*
 * The schema a filter is written against: the event properties and
 * `time` (datetime) as fields.  Free with schema_free.
 */
struct pdb_schema *fm_event_schema(const struct pdb_schema *db);
/*
 * The filters of a where the form edits one by one: its predicates
 * combined with and (a predicate may be negated).  Returns how many and
 * points *out into the tree (not copies); -1 when the where is more
 * than that (an or, a nested group): the form keeps it whole and the
 * script edits it.
 */
int	 fm_where_filters(struct cond **where, struct cond ***out);
/* Adds a filter (takes it), replaces filter i (takes it), removes i. */
void	 fm_where_add(struct cond **where, struct cond *filter);
void	 fm_where_replace(struct cond **where, int i, struct cond *filter);
void	 fm_where_remove(struct cond **where, int i);

#endif
