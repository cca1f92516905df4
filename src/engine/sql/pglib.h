/*
 * libpq, loaded at run time (dlopen) on the first use of an attached
 * PostgreSQL database or an external data query, so that every other
 * command starts without mapping libpq and the dozens of libraries it
 * pulls in (ssl, crypto, krb5, ldap...).  libpq-fe.h gives the types
 * and prototypes only: the binary does not link -lpq.
 *
 * pgsrc.c and pgquery.c include this header instead of libpq-fe.h and
 * keep calling PQexec, PQclear...: the macros below send every such call
 * through the table pglib_load() fills.  Call pglib_load() before the
 * first of them.
 */
#ifndef RESEG_PGLIB_H
#define RESEG_PGLIB_H

#include <libpq-fe.h>

/* The shared object's name, as Debian's libpq5 installs it. */
#define PGLIB_SONAME	"libpq.so.5"

/* Every libpq function reseg calls; a new call gets a line here. */
#define PGLIB_FUNCS(X)							\
	X(PQcancel) X(PQclear) X(PQconnectdbParams) X(PQconninfoFree)	\
	X(PQconninfoParse) X(PQconsumeInput) X(PQdescribePrepared)	\
	X(PQerrorMessage) X(PQexec) X(PQfinish) X(PQfreeCancel)		\
	X(PQfreemem) X(PQgetCancel) X(PQgetResult) X(PQgetisnull)	\
	X(PQgetlength) X(PQgetvalue) X(PQisBusy) X(PQnfields)		\
	X(PQnparams) X(PQntuples) X(PQprepare) X(PQresultErrorField)	\
	X(PQresultErrorMessage) X(PQresultStatus) X(PQsendQueryParams)	\
	X(PQserverVersion) X(PQsetNoticeProcessor) X(PQsetSingleRowMode) \
	X(PQsocket) X(PQstatus) X(PQtransactionStatus)

/* One pointer a function, typed by libpq-fe.h's own prototype. */
struct pglib_fns {
#define PGLIB_MEMBER(f)	__typeof__(f) *f;
	PGLIB_FUNCS(PGLIB_MEMBER)
#undef PGLIB_MEMBER
};

extern struct pglib_fns pglib_fn;

/*
 * Loads libpq once per process (thread-safe); 0 when its functions can
 * be called, else -1 with *cause naming the library and the loader's
 * reason (the same answer on every later call).  RESEG_TEST_LIBPQ=FILE,
 * for tests, loads FILE instead of libpq.so.5.
 */
int	 pglib_load(char **cause);

#ifndef PGLIB_IMPL
#define PQcancel		(*pglib_fn.PQcancel)
#define PQclear			(*pglib_fn.PQclear)
#define PQconnectdbParams	(*pglib_fn.PQconnectdbParams)
#define PQconninfoFree		(*pglib_fn.PQconninfoFree)
#define PQconninfoParse		(*pglib_fn.PQconninfoParse)
#define PQconsumeInput		(*pglib_fn.PQconsumeInput)
#define PQdescribePrepared	(*pglib_fn.PQdescribePrepared)
#define PQerrorMessage		(*pglib_fn.PQerrorMessage)
#define PQexec			(*pglib_fn.PQexec)
#define PQfinish		(*pglib_fn.PQfinish)
#define PQfreeCancel		(*pglib_fn.PQfreeCancel)
#define PQfreemem		(*pglib_fn.PQfreemem)
#define PQgetCancel		(*pglib_fn.PQgetCancel)
#define PQgetResult		(*pglib_fn.PQgetResult)
#define PQgetisnull		(*pglib_fn.PQgetisnull)
#define PQgetlength		(*pglib_fn.PQgetlength)
#define PQgetvalue		(*pglib_fn.PQgetvalue)
#define PQisBusy		(*pglib_fn.PQisBusy)
#define PQnfields		(*pglib_fn.PQnfields)
#define PQnparams		(*pglib_fn.PQnparams)
#define PQntuples		(*pglib_fn.PQntuples)
#define PQprepare		(*pglib_fn.PQprepare)
#define PQresultErrorField	(*pglib_fn.PQresultErrorField)
#define PQresultErrorMessage	(*pglib_fn.PQresultErrorMessage)
#define PQresultStatus		(*pglib_fn.PQresultStatus)
#define PQsendQueryParams	(*pglib_fn.PQsendQueryParams)
#define PQserverVersion		(*pglib_fn.PQserverVersion)
#define PQsetNoticeProcessor	(*pglib_fn.PQsetNoticeProcessor)
#define PQsetSingleRowMode	(*pglib_fn.PQsetSingleRowMode)
#define PQsocket		(*pglib_fn.PQsocket)
#define PQstatus		(*pglib_fn.PQstatus)
#define PQtransactionStatus	(*pglib_fn.PQtransactionStatus)
#endif

#endif
