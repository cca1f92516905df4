/*
 * What the files of the segment form's model share and the form does
 * not need: form_model.c, form_model_sched.c, form_model_pred.c.
 */
#ifndef RESEG_TUI_FORM_MODEL_INT_H
#define RESEG_TUI_FORM_MODEL_INT_H

#include <stdint.h>

#include "form_model.h"
#include "sched.h"

/* A copy of s without leading and trailing blanks. */
char	*fm_trim(const char *s);
/* The schedule fields from a saved schedule. */
void	 fm_sched_from(struct form_model *, const struct sched *);
/* Which schedule field a cause of fm_sched belongs to. */
enum fm_field fm_sched_field(const struct form_model *, int64_t now);

#endif
