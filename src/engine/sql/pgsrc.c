/*
 * libpq for attached databases.  Every statement is sent asynchronously
 * and waited for in slices of a tenth of a second, so a cancel flag set
 * by ^C or the UI reaches the server (PQcancel) while it works, however
 * long the statement.  Rows come through a cursor, FETCH by FETCH, so a
 * result of millions of keys never sits in memory whole and a run that
 * has its limit stops reading.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pglib.h"
#include "pgsrc.h"
#include "util.h"

#define PGSRC_FETCH	10000

struct pgsrc {
	PGconn		*conn;
};

/* libpq's messages span lines ("...\n\tIs the server running..."): one line. */
static char *
pgsrc_oneline(const char *m)
{
	struct strbuf sb;
	int blank = 0;

	memset(&sb, 0, sizeof sb);
	for (; m != NULL && *m != '\0'; m++) {
		if (*m == '\n' || *m == '\t' || *m == '\r' || *m == ' ') {
			blank = 1;
			continue;
		}
		if (blank && sb.len > 0)
			sb_putc(&sb, ' ');
		blank = 0;
		sb_putc(&sb, *m);
	}
	if (sb.len == 0)
		sb_puts(&sb, _("unknown error"));
	return sb_detach(&sb);
}

static int
pgsrc_error(char **cause, const char *m)
{
	char *l = pgsrc_oneline(m);

	error_set(cause, _("PostgreSQL: %s"), l);
	free(l);
	return -1;
}

int
pgsrc_conninfo_password(const char *conninfo, char **err)
{
	PQconninfoOption *opts, *o;
	int has = 0;

	*err = NULL;
	if ((opts = PQconninfoParse(conninfo, err)) == NULL)
		return -1;
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    *o->val != '\0')
			has = 1;
	}
	PQconninfoFree(opts);
	return has;
}

int
pgsrc_conninfo_check(const char *conninfo, char **cause)
{
	char *err;
	int rc;

	if (pglib_load(cause) != 0)
		return -1;
	switch (pgsrc_conninfo_password(conninfo, &err)) {
	case -1:
		if (err == NULL)
			return error_set(cause, "%s", _("out of memory"));
		rc = pgsrc_error(cause, err);
		PQfreemem(err);
		return rc;
	case 1:
		return error_set(cause, "%s", _("the connection string "
		    "holds a password; keep it in ~/.pgpass, PGPASSFILE "
		    "or a service file, which the store never copies"));
	}
	return 0;
}

/* The engine never prints: the server's notices and warnings are dropped. */
static void
pgsrc_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int
pgsrc_connect(const char *conninfo, struct pgsrc **out, char **cause)
{
	/* Later entries win: the conninfo's own settings override these. */
	static const char *const kw[] = { "connect_timeout",
	    "fallback_application_name", "client_encoding", "dbname", NULL };
	const char *val[5];
	PGconn *c;

	*out = NULL;
	if (pgsrc_conninfo_check(conninfo, cause) != 0)
		return -1;
	val[0] = "10";
	val[1] = "reseg";
	val[2] = "UTF8";
	val[3] = conninfo;
	val[4] = NULL;
	c = PQconnectdbParams(kw, val, 1);
	if (c == NULL)
		return error_set(cause, "%s", _("out of memory"));
	if (PQstatus(c) != CONNECTION_OK) {
		pgsrc_error(cause, PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	(void)PQsetNoticeProcessor(c, pgsrc_notice, NULL);
	*out = xcalloc(1, sizeof **out);
	(*out)->conn = c;
	return 0;
}

void
pgsrc_close(struct pgsrc *p)
{
	if (p == NULL)
		return;
	PQfinish(p->conn);
	free(p);
}

/*
 * Waits for the server's answer to what was sent, a tenth of a second
 * at a time, cancelling the statement once when *cancel turns non-zero.
 */
static int
pgsrc_wait(struct pgsrc *p, atomic_int *cancel, int *cancelled,
    char **cause)
{
	struct pollfd pfd;
	PGcancel *pc;
	char buf[256];

	while (PQisBusy(p->conn)) {
		if (cancel != NULL && *cancel && !*cancelled) {
			*cancelled = 1;
			if ((pc = PQgetCancel(p->conn)) != NULL) {
				(void)PQcancel(pc, buf, sizeof buf);
				PQfreeCancel(pc);
			}
		}
		pfd.fd = PQsocket(p->conn);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0)
			return pgsrc_error(cause, PQerrorMessage(p->conn));
		(void)poll(&pfd, 1, 100);
		if (!PQconsumeInput(p->conn))
			return pgsrc_error(cause, PQerrorMessage(p->conn));
	}
	return 0;
}

/*
 * Sends one statement with text parameters and returns its result (the
 * caller clears it); NULL with *cause on any failure, the server's
 * message first.
 */
static PGresult *
pgsrc_exec(struct pgsrc *p, const char *sql, size_t nparams,
    char *const *params, atomic_int *cancel, char **cause)
{
	PGresult *r, *res = NULL;
	const char *m;
	int cancelled = 0, st;

	if (!PQsendQueryParams(p->conn, sql, (int)nparams, NULL,
	    (const char *const *)params, NULL, NULL, 0)) {
		pgsrc_error(cause, PQerrorMessage(p->conn));
		return NULL;
	}
	for (;;) {
		if (pgsrc_wait(p, cancel, &cancelled, cause) != 0) {
			PQclear(res);
			return NULL;
		}
		if ((r = PQgetResult(p->conn)) == NULL)
			break;
		if (res == NULL)
			res = r;
		else if (PQresultStatus(res) == PGRES_FATAL_ERROR)
			PQclear(r);
		else {
			PQclear(res);
			res = r;
		}
	}
	if (res == NULL) {
		pgsrc_error(cause, PQerrorMessage(p->conn));
		return NULL;
	}
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	if (cancelled)
		error_set(cause, "%s", _("recalculation cancelled"));
	else if ((m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) != NULL)
		pgsrc_error(cause, m);
	else
		pgsrc_error(cause, PQresultErrorMessage(res));
	PQclear(res);
	return NULL;
}

static int
pgsrc_run(struct pgsrc *p, const char *sql, atomic_int *cancel,
    char **cause)
{
	PGresult *r;

	if ((r = pgsrc_exec(p, sql, 0, NULL, cancel, cause)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

/* The part of a name as a quoted identifier ("a""b"). */
static void
pgsrc_quote(struct strbuf *sb, const char *s, size_t n)
{
	size_t i;

	sb_putc(sb, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			sb_putc(sb, '"');
		sb_putc(sb, s[i]);
	}
	sb_putc(sb, '"');
}

static const struct {
	const char	*typname;
	enum field_type	 ft;
	int		 textlike, timelike;
} pgsrc_types[] = {
	{ "text", FT_STRING, 1, 0 },
	{ "varchar", FT_STRING, 1, 0 },
	{ "bpchar", FT_STRING, 1, 0 },
	{ "int2", FT_INT, 0, 0 },
	{ "int4", FT_INT, 0, 0 },
	{ "int8", FT_INT, 0, 0 },
	{ "float4", FT_FLOAT, 0, 0 },
	{ "float8", FT_FLOAT, 0, 0 },
	{ "numeric", FT_FLOAT, 0, 0 },
	{ "bool", FT_BOOL, 0, 0 },
	{ "date", FT_DATE, 0, 0 },
	{ "timestamptz", FT_DATETIME, 0, 1 },
	{ "timestamp", FT_DATETIME, 0, 1 },
	{ "_text", FT_TAGS, 0, 0 },
	{ "_varchar", FT_TAGS, 0, 0 },
};

int
pgsrc_columns(struct pgsrc *p, const char *table, struct pgsrc_column **out,
    size_t *nout, char **cause)
{
	static const char sql[] =
	    "SELECT a.attname, pg_catalog.format_type(a.atttypid, "
	    "a.atttypmod), t.typname FROM pg_catalog.pg_attribute a "
	    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	    "WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 "
	    "AND NOT a.attisdropped ORDER BY a.attnum";
	struct pgsrc_column *v;
	struct strbuf name;
	const char *dot, *tn;
	char *params[1];
	PGresult *r;
	size_t i, k;
	int n;

	*out = NULL;
	*nout = 0;
	memset(&name, 0, sizeof name);
	if ((dot = strchr(table, '.')) != NULL) {
		pgsrc_quote(&name, table, (size_t)(dot - table));
		sb_putc(&name, '.');
		pgsrc_quote(&name, dot + 1, strlen(dot + 1));
	} else
		pgsrc_quote(&name, table, strlen(table));
	params[0] = name.buf;
	r = pgsrc_exec(p, sql, 1, params, NULL, cause);
	sb_free(&name);
	if (r == NULL)
		return -1;
	if ((n = PQntuples(r)) == 0) {
		PQclear(r);
		return 1;
	}
	v = xcalloc((size_t)n, sizeof *v);
	for (i = 0; i < (size_t)n; i++) {
		v[i].name = xstrdup(PQgetvalue(r, (int)i, 0));
		v[i].type = xstrdup(PQgetvalue(r, (int)i, 1));
		tn = PQgetvalue(r, (int)i, 2);
		for (k = 0; k < sizeof pgsrc_types / sizeof pgsrc_types[0];
		    k++) {
			if (strcmp(tn, pgsrc_types[k].typname) != 0)
				continue;
			v[i].mapped = 1;
			v[i].ft = pgsrc_types[k].ft;
			v[i].textlike = pgsrc_types[k].textlike;
			v[i].timelike = pgsrc_types[k].timelike;
		}
	}
	PQclear(r);
	*out = v;
	*nout = (size_t)n;
	return 0;
}

void
pgsrc_columns_free(struct pgsrc_column *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].type);
	}
	free(v);
}

int
pgsrc_probe(struct pgsrc *p, int *ok, char **cause)
{
	const char **rows;
	char *c2 = NULL;
	PGresult *r;
	int i, n;

	*ok = 0;
	if (PQstatus(p->conn) != CONNECTION_OK)
		return pgsrc_error(cause, PQerrorMessage(p->conn));
	/* No function, or one that fails: the bucket is computed here. */
	if ((r = pgsrc_exec(p, sqlgen_probe_sql(), 0, NULL, NULL, &c2)) ==
	    NULL) {
		free(c2);
		if (PQstatus(p->conn) != CONNECTION_OK)
			return pgsrc_error(cause, PQerrorMessage(p->conn));
		return 0;
	}
	n = PQntuples(r);
	rows = xcalloc((size_t)n + 1, sizeof *rows);
	for (i = 0; i < n; i++)
		rows[i] = PQgetisnull(r, i, 0) ? NULL : PQgetvalue(r, i, 0);
	*ok = sqlgen_probe_ok(rows, (size_t)n);
	free(rows);
	PQclear(r);
	return 0;
}

/* BEGIN READ ONLY with the statement timeout. */
static int
pgsrc_begin(struct pgsrc *p, int timeout, atomic_int *cancel, char **cause)
{
	char sql[64];

	if (pgsrc_run(p, "BEGIN READ ONLY", cancel, cause) != 0)
		return -1;
	(void)snprintf(sql, sizeof sql, "SET LOCAL statement_timeout = %lld",
	    (long long)timeout * 1000);
	if (pgsrc_run(p, sql, cancel, cause) != 0)
		return -1;
	/*
	 * A reseg killed mid-run (^C in a shell, kill -9) cannot cancel its
	 * statement; from PostgreSQL 14 on the server then notices the lost
	 * client within a second instead of running to the timeout.
	 */
	if (PQserverVersion(p->conn) >= 140000)
		return pgsrc_run(p, "SET LOCAL client_connection_check_interval "
		    "= 1000", cancel, cause);
	return 0;
}

/* Ends the transaction; after a failure, quietly. */
static void
pgsrc_end(struct pgsrc *p)
{
	PGresult *r;

	if (PQstatus(p->conn) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(p->conn) == PQTRANS_IDLE)
		return;
	r = PQexec(p->conn, "ROLLBACK");
	PQclear(r);
}

int
pgsrc_stream(struct pgsrc *p, const struct sql_stmt *st, int timeout,
    atomic_int *cancel, pgsrc_row_fn fn, void *arg, char **cause)
{
	PGresult *r = NULL;
	char *decl;
	int i, n, rc = -1, stop = 0;

	if (pgsrc_begin(p, timeout, cancel, cause) != 0)
		goto out;
	decl = xasprintf("DECLARE reseg_rows NO SCROLL CURSOR FOR %s",
	    st->text);
	r = pgsrc_exec(p, decl, st->nparams, st->params, cancel, cause);
	free(decl);
	if (r == NULL)
		goto out;
	PQclear(r);
	while (!stop) {
		r = pgsrc_exec(p, "FETCH 10000 FROM reseg_rows", 0, NULL,
		    cancel, cause);
		if (r == NULL)
			goto out;
		n = PQntuples(r);
		for (i = 0; i < n && !stop; i++) {
			if (PQgetisnull(r, i, 0))
				continue;
			stop = fn(arg, PQgetvalue(r, i, 0),
			    (size_t)PQgetlength(r, i, 0));
		}
		PQclear(r);
		if (n < PGSRC_FETCH)
			break;
	}
	if (cancel != NULL && *cancel) {
		error_set(cause, "%s", _("recalculation cancelled"));
		goto out;
	}
	rc = 0;
out:
	pgsrc_end(p);
	return rc;
}

int
pgsrc_row(struct pgsrc *p, const struct sql_stmt *st, int timeout,
    char ***vals, size_t *nvals, char **cause)
{
	PGresult *r;
	int i, rc = -1;

	*vals = NULL;
	*nvals = 0;
	if (pgsrc_begin(p, timeout, NULL, cause) != 0)
		goto out;
	r = pgsrc_exec(p, st->text, st->nparams, st->params, NULL, cause);
	if (r == NULL)
		goto out;
	if (PQntuples(r) == 0) {
		PQclear(r);
		rc = 1;
		goto out;
	}
	*nvals = (size_t)PQnfields(r);
	*vals = xcalloc(*nvals + 1, sizeof **vals);
	for (i = 0; i < PQnfields(r); i++)
		(*vals)[i] = PQgetisnull(r, 0, i) ? NULL :
		    xstrdup(PQgetvalue(r, 0, i));
	PQclear(r);
	rc = 0;
out:
	pgsrc_end(p);
	return rc;
}

void
pgsrc_row_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
