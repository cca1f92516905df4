/*
 * Event tests as SQL (doc/sql.md, "Event tests"): each test is one
 * aggregate with a FILTER clause (the event's name, window and where) in
 * the grouped events subquery, and a test on that aggregate in the
 * condition.  Windows and time tests are computed as eval_events.c
 * computes them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlgen_int.h"
#include "tz.h"

static void
sg_ivs_cb(void *arg, int64_t lo, int64_t hi)
{
	sg_ivs_add(arg, lo, hi);
}

/* The events an event test looks at (name, window, where) as SQL. */
static int
sg_ev_filter(struct sg *g, struct strbuf *sb, const struct cond *c,
    const char *t)
{
	const struct cond_window *w = &c->window;
	struct sg_ivs v = { NULL, NULL, 0 };
	int64_t lo = SG_NEG, hi = SG_POS;

	sb_puts(sb, "e.");
	sg_ident(sb, g->src->events_name);
	sb_puts(sb, " = ");
	sg_param(g, sb, xstrdup(c->event), "text");
	if (eval_event_window(c, g->now, g->tz, &lo, &hi) != 0)
		return cond_error(c, g->cause, _("The condition tree is "
		    "malformed."));
	if (w->kind != CW_NONE && (c->evtest == CE_FIRST ||
	    c->evtest == CE_LAST))
		return cond_error(c, g->cause, _("'%s' takes a time test, not "
		    "a window"), cond_evtest_name(c->evtest));
	if (w->kind != CW_NONE) {
		sg_ivs_add(&v, lo, hi);
		sb_puts(sb, " AND ");
		sg_ivals(g, sb, t, SD_TIME, &v, 0);
		sg_ivs_free(&v);
	}
	if (c->where != NULL) {
		sb_puts(sb, " AND ");
		if (sg_node(g, sb, c->where, 1) != 0)
			return -1;
	}
	return 0;
}

/* first/last: the time test as one interval (eval_events.c). */
static int
sg_ev_time(struct sg *g, const struct cond *c, struct sg_ivs *v)
{
	int64_t lo, hi;

	if (eval_event_time(c, g->now, g->tz, &lo, &hi) != 0)
		goto bad;
	sg_ivs_add(v, sg_clamp(lo, SG_NEG + 1, SG_POS - 1),
	    sg_clamp(hi, SG_NEG + 1, SG_POS - 1));
	return 0;
bad:
	return cond_error(c, g->cause, _("'%s' needs a time test: within last, "
	    "more than ... ago, before, after, on or between"),
	    cond_evtest_name(c->evtest));
}

static void
sg_add_name(struct sg *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nnames; i++) {
		if (strcmp(g->names[i], name) == 0)
			return;
	}
	g->names = xreallocarray(g->names, g->nnames + 1, sizeof *g->names);
	g->names[g->nnames++] = xstrdup(name);
}

/* An event test: one aggregate of the events subquery, and its test. */
int
sg_event(struct sg *g, struct strbuf *sb, const struct cond *c)
{
	const struct sql_source *src = g->src;
	struct strbuf agg = STRBUF_INIT, tcol = STRBUF_INIT;
	struct sg_ivs v = { NULL, NULL, 0 };
	enum cond_op op = c->op;
	struct sg_col pcol = { NULL, FT_INT };
	char *a = NULL;
	double vals[2];
	size_t i, need = op == CO_BETWEEN ? 2 : 1;
	int fi, propf = 0, cmpf, neg = 0, rc = -1;

	if (src->events_table == NULL)
		return cond_error(c, g->cause, _("The database '%s' has no "
		    "events table."), src->schema->name);
	if (c->event == NULL || *c->event == '\0')
		return cond_error(c, g->cause, "%s", _("an event test needs an "
		    "event name"));
	if (src->events_time_naive)
		sb_puts(&tcol, "(");
	sb_puts(&tcol, "e.");
	sg_ident(&tcol, src->events_time);
	if (src->events_time_naive)
		sb_puts(&tcol, " AT TIME ZONE 'UTC')");
	switch (c->evtest) {
	case CE_SUM:
	case CE_AVG:
	case CE_MIN:
	case CE_MAX:
		fi = c->field != NULL ? schema_event_field_index(src->schema,
		    c->field) : -1;
		if (fi < 0) {
			cond_error(c, g->cause,
			    _("unknown event property '%s'"),
			    c->field != NULL ? c->field : "");
			goto out;
		}
		if (src->schema->event_fields[fi].type != FT_INT &&
		    src->schema->event_fields[fi].type != FT_FLOAT) {
			cond_error(c, g->cause, _("%s() takes an int or float "
			    "property, but '%s' is of type %s"),
			    cond_evtest_name(c->evtest), c->field,
			    field_type_name(src->schema->event_fields[fi].type));
			goto out;
		}
		propf = src->schema->event_fields[fi].type == FT_FLOAT;
		if (sg_field(g, c, 1, &pcol) != 0)
			goto out;
		break;
	case CE_DID:
	case CE_COUNT:
	case CE_FIRST:
	case CE_LAST:
		break;
	default:
		cond_error(c, g->cause, _("The condition tree is malformed."));
		goto out;
	}
	switch (c->evtest) {
	case CE_DID:
	case CE_COUNT:
		sb_puts(&agg, "count(*)");
		break;
	case CE_FIRST:
	case CE_LAST:
		sb_printf(&agg, "%s(%s)", c->evtest == CE_FIRST ? "min" :
		    "max", tcol.buf);
		break;
	default:
		sb_printf(&agg, "%s(%s%s)", c->evtest == CE_SUM ? "sum" :
		    c->evtest == CE_AVG ? "avg" : c->evtest == CE_MIN ?
		    "min" : "max", pcol.x, propf ? "::float8" : "");
		break;
	}
	sb_puts(&agg, " FILTER (WHERE ");
	if (sg_ev_filter(g, &agg, c, tcol.buf) != 0)
		goto out;
	sb_putc(&agg, ')');
	g->evnodes = xreallocarray(g->evnodes, g->nev + 1,
	    sizeof *g->evnodes);
	g->evnodes[g->nev++] = c;
	sg_add_name(g, c->event);
	if (c->evtest == CE_AVG)
		sb_printf(&g->aggs, ",\n    (%s)::float8 AS a%zu", agg.buf,
		    g->nev);
	else
		sb_printf(&g->aggs, ",\n    %s AS a%zu", agg.buf, g->nev);

	if (c->evtest == CE_FIRST || c->evtest == CE_LAST) {
		if (sg_ev_time(g, c, &v) != 0)
			goto out;
		sb_printf(sb, "(ev.a%zu IS NOT NULL AND ", g->nev);
		a = xasprintf("ev.a%zu", g->nev);
		sg_ivals(g, sb, a, SD_TIME, &v, 0);
		sb_putc(sb, ')');
		rc = 0;
		goto out;
	}
	if (c->evtest == CE_DID && c->nvalues == 0) {
		sb_printf(sb, "COALESCE(ev.a%zu, 0) > 0", g->nev);
		rc = 0;
		goto out;
	}
	if (!(op == CO_EQ || op == CO_NE || op == CO_LT || op == CO_LE ||
	    op == CO_GT || op == CO_GE || op == CO_BETWEEN) ||
	    (c->evtest == CE_DID && (op == CO_NE || op == CO_LT ||
	    op == CO_GT)) || c->nvalues != need) {
		cond_error(c, g->cause, _("'%s' is compared with =, !=, <, <=, "
		    ">, >= or between"), cond_evtest_name(c->evtest));
		goto out;
	}
	for (i = 0; i < need; i++) {
		if (c->values[i].kind == CV_INT)
			vals[i] = (double)c->values[i].i;
		else if (c->values[i].kind == CV_FLOAT &&
		    c->evtest != CE_DID && c->evtest != CE_COUNT)
			vals[i] = c->values[i].f;
		else {
			cond_error(c, g->cause, need == 2 ?
			    _("'between' takes two numbers") :
			    _("'%s' takes one number"), cond_op_name(op));
			goto out;
		}
	}
	cmpf = c->evtest == CE_AVG || ((c->evtest == CE_SUM ||
	    c->evtest == CE_MIN || c->evtest == CE_MAX) && propf);
	/* Counts and sums of no events are 0; avg, min, max have none. */
	if (c->evtest == CE_DID || c->evtest == CE_COUNT ||
	    c->evtest == CE_SUM) {
		a = xasprintf("COALESCE(ev.a%zu, 0)", g->nev);
		sb_putc(sb, '(');
	} else {
		a = xasprintf("ev.a%zu", g->nev);
		sb_printf(sb, "(%s IS NOT NULL AND ", a);
	}
	if (cmpf) {
		if (op == CO_NE)
			sb_puts(sb, "NOT ");
		sg_float(g, sb, a, op == CO_NE ? CO_EQ : op, vals, need);
	} else {
		eval_cmp_ivals(op, vals, need, sg_ivs_cb, &v, &neg);
		sg_ivals(g, sb, a, SD_INT, &v, neg);
	}
	sb_putc(sb, ')');
	rc = 0;
out:
	free(a);
	free(pcol.x);
	sb_free(&agg);
	sb_free(&tcol);
	sg_ivs_free(&v);
	return rc;
}
