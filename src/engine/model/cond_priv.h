/* Shared between the condition files (cond.c, script.c, cond_check.c). */
#ifndef RESEG_COND_PRIV_H
#define RESEG_COND_PRIV_H

#include "cond.h"

/*
 * Whether the values of a predicate fit its operator's grammar (count
 * and, for has/contains/within/before..., kind); *msg (no location) on
 * failure.
 */
int	 cond_pred_shape(enum cond_op, const struct cond_value *, size_t,
	    char **msg);

#endif
