/* The condition model: JSON form, type checking, operator table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "testlib.h"
#include "util.h"

int
main(void)
{
	Suite *s = suite_create("cond");

	return testlib_run(s);
}
