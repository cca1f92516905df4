/* Translation macros shared by every module that shows text to people. */
#ifndef RESEG_I18N_H
#define RESEG_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define ngettext_(s, p, n) ngettext(s, p, n)
#else
#define _(s) (s)
#define ngettext_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
/* Marks a string for extraction; it is translated where it is shown. */
#define N_(s) (s)

#endif
