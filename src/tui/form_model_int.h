/*
 * What the files of the segment form's model share and the form does
 * not need: form_model.c, form_model_sched.c, form_model_pred.c.
 */
#ifndef RESEG_TUI_FORM_MODEL_INT_H
#define RESEG_TUI_FORM_MODEL_INT_H

#include <stdint.h>

#include "cond.h"
#include "form_model.h"
#include "sched.h"

/* A copy of s without leading and trailing blanks. */
char	*fm_trim(const char *s);
/* The schedule fields from a saved schedule. */
void	 fm_sched_from(struct form_model *, const struct sched *);
/* Which schedule field a cause of fm_sched belongs to. */
enum fm_field fm_sched_field(const struct form_model *, int64_t now);

/*
 * Comma-separated values ("..." holds commas) into *v (each and the
 * array freed by the caller); for two values, "A and B" when there is no
 * comma.
 */
void	 fm_split_values(const char *s, char ***v, size_t *n);
void	 fm_split_between(char ***v, size_t *n);
/*
 * One typed value read as the type rt, or as the operator wants it (a
 * number of days, a date); a string value points into text.
 */
int	 fm_value(enum field_type rt, enum cond_op op, const char *text,
	    struct cond_value *cv, char **cause);

#endif
