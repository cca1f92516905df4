/*
 * External data queries over libpq (pgquery.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pglib.h"
#include "pgquery.h"
#include "pgsrc.h"
#include "util.h"

/* Seconds to wait for a connection when the conninfo does not say. */
#define PGQ_CONNECT_TIMEOUT	"10"

int
pgq_conninfo_check(const char *conninfo, char **cause)
{
	char *err;
	size_t n;

	if (pglib_load(cause) != 0)
		return -1;
	switch (pgsrc_conninfo_password(conninfo, &err)) {
	case -1:
		if (err != NULL) {
			n = strlen(err);
			while (n > 0 && (err[n - 1] == '\n' ||
			    err[n - 1] == ' '))
				err[--n] = '\0';
		}
		error_set(cause, _("invalid connection string: %s"),
		    err != NULL ? err : _("out of memory"));
		PQfreemem(err);
		return -1;
	case 1:
		return error_set(cause, _("the connection string holds a "
		    "password; keep it in ~/.pgpass, in the file PGPASSFILE "
		    "names or in a service file instead"));
	}
	return 0;
}

/* The first line of libpq's message, without its trailing newline. */
static char *
pgq_first_line(const char *msg)
{
	size_t n;

	if (msg == NULL || *msg == '\0')
		return xstrdup(_("unknown error"));
	n = strcspn(msg, "\n");
	while (n > 0 && msg[n - 1] == ' ')
		n--;
	return xstrndup(msg, n);
}

/* The server's message of a failed result (its primary text). */
static int
pgq_result_fail(PGconn *c, PGresult *r, char **cause)
{
	const char *m;
	char *line;

	m = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (m != NULL && *m != '\0')
		error_set(cause, "%s", m);
	else {
		line = pgq_first_line(r != NULL && *PQresultErrorMessage(r) !=
		    '\0' ? PQresultErrorMessage(r) : PQerrorMessage(c));
		error_set(cause, "%s", line);
		free(line);
	}
	return -1;
}

static int
pgq_command(PGconn *c, const char *sql, char **cause)
{
	PGresult *r;
	int rc = 0;

	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pgq_result_fail(c, r, cause);
	PQclear(r);
	return rc;
}

/*
 * Connects and opens the READ ONLY transaction with its timeout; NULL
 * with *cause on failure.
 */
static PGconn *
pgq_open(const char *conninfo, int64_t timeout, char **cause)
{
	/* The conninfo comes last, so what it says wins. */
	const char *const keys[] = { "connect_timeout", "client_encoding",
	    "application_name", "dbname", NULL };
	const char *const vals[] = { PGQ_CONNECT_TIMEOUT, "UTF8", "reseg",
	    conninfo, NULL };
	char set[64], *line;
	PGconn *c;

	if (pgq_conninfo_check(conninfo, cause) != 0)
		return NULL;
	c = PQconnectdbParams(keys, vals, 1);
	if (c == NULL)
		return error_set(cause, _("out of memory")), NULL;
	if (PQstatus(c) != CONNECTION_OK) {
		line = pgq_first_line(PQerrorMessage(c));
		error_set(cause, "%s", line);
		free(line);
		PQfinish(c);
		return NULL;
	}
	snprintf(set, sizeof set, "SET LOCAL statement_timeout = %lld",
	    (long long)(timeout > 0 ? timeout * 1000 : 0));
	if (pgq_command(c, "BEGIN READ ONLY", cause) != 0 ||
	    pgq_command(c, set, cause) != 0 ||
	    pgq_command(c, "SET LOCAL DateStyle = ISO", cause) != 0) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

int
pgq_describe(const char *conninfo, const char *sql, int64_t timeout,
    char **cause)
{
	PGconn *c;
	PGresult *r;
	int rc = -1, nfields, nparams;

	if ((c = pgq_open(conninfo, timeout, cause)) == NULL)
		return -1;
	r = PQprepare(c, "", sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pgq_result_fail(c, r, cause);
		goto out;
	}
	PQclear(r);
	r = PQdescribePrepared(c, "");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pgq_result_fail(c, r, cause);
		goto out;
	}
	nfields = PQnfields(r);
	nparams = PQnparams(r);
	if (nparams > 0)
		error_set(cause, _("the statement takes parameters ($1...), "
		    "which nothing gives it"));
	else if (nfields < 1)
		error_set(cause, _("the statement returns no columns; the "
		    "first column gives the values"));
	else
		rc = pgq_command(c, "COMMIT", cause);
out:
	PQclear(r);
	PQfinish(c);
	return rc;
}

int
pgq_fetch(const char *conninfo, const char *sql, int64_t timeout,
    char ***values, size_t *n, char **cause)
{
	PGconn *c;
	PGresult *r;
	char **v = NULL;
	size_t nv = 0, cap = 0, i;
	int rc = 0, st;

	*values = NULL;
	*n = 0;
	if ((c = pgq_open(conninfo, timeout, cause)) == NULL)
		return -1;
	if (!PQsendQueryParams(c, sql, 0, NULL, NULL, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c)) {
		rc = pgq_result_fail(c, NULL, cause);
		goto out;
	}
	/* Every result is read, also after an error, to end the query. */
	while ((r = PQgetResult(c)) != NULL) {
		st = PQresultStatus(r);
		if (rc == 0 && st == PGRES_SINGLE_TUPLE) {
			if (PQnfields(r) > 0 && !PQgetisnull(r, 0, 0)) {
				if (nv == cap) {
					cap = cap == 0 ? 256 : cap * 2;
					v = xreallocarray(v, cap, sizeof *v);
				}
				v[nv++] = xstrdup(PQgetvalue(r, 0, 0));
			}
		} else if (rc == 0 && (st == PGRES_TUPLES_OK ||
		    st == PGRES_COMMAND_OK)) {
			if (st == PGRES_COMMAND_OK || PQnfields(r) < 1) {
				error_set(cause, _("the statement returns no "
				    "columns; the first column gives the "
				    "values"));
				rc = -1;
			}
		} else if (rc == 0)
			rc = pgq_result_fail(c, r, cause);
		PQclear(r);
	}
	if (rc == 0)
		rc = pgq_command(c, "COMMIT", cause);
out:
	PQfinish(c);
	if (rc != 0) {
		for (i = 0; i < nv; i++)
			free(v[i]);
		free(v);
		return -1;
	}
	*values = v;
	*n = nv;
	return 0;
}
