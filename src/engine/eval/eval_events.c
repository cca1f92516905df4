/*
 * Event tests (doc/conditions.md, "Events"): did, count
 * of, first, last, sum/avg/min/max.  Each test of a segment's tree is
 * compiled once: its name, its window as UTC instants (local dates through
 * the segment's timezone), its `where` as a sub-program of the ordinary
 * predicate kernels over the events' columns (evdb_schema), and its
 * comparison as intervals.  Before the profile scan, one pass over the
 * event chunks whose [tmin, tmax] meets some test's window updates every
 * test's per-profile accumulators; then each test's comparison turns
 * them into a bitset over profiles, which the scan reads like `in
 * segment` (EK_EVENT), and the accumulators are freed.
 *
 * eval_events_pass.c runs the pass, eval_events_why.c explains a test
 * for one profile.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "eval_events_int.h"
#include "evdb.h"
#include "i18n.h"
#include "tz.h"
#include "util.h"

static void
ev_add_ival(void *arg, int64_t lo, int64_t hi)
{
	struct eval_node *n = arg;

	if (lo > hi)
		return;
	n->iv = xreallocarray(n->iv, n->niv + 1, sizeof *n->iv);
	n->iv[n->niv].lo = lo;
	n->iv[n->niv].hi = hi;
	n->niv++;
}

/* Refuses a `where` that tests anything but `time` and properties. */
static int
ev_where_check(const struct pdb_schema *db, const struct cond *c,
    char **cause)
{
	size_t i;

	switch (c->kind) {
	case CK_PRED:
		if (strcmp(c->field, "time") != 0 &&
		    schema_event_field_index(db, c->field) < 0)
			return cond_error(c, cause, _("unknown event property "
			    "'%s'"), c->field);
		return 0;
	case CK_IN_SEGMENT:
		return cond_error(c, cause, "%s", _("'in segment' cannot be "
		    "used inside 'where': it tests the profile, not one "
		    "event"));
	case CK_IN_QUERY:
		return cond_error(c, cause, "%s", _("'in query' cannot be "
		    "used inside 'where': it tests the profile, not one "
		    "event"));
	case CK_EVENT:
		return cond_error(c, cause, _("'%s' cannot be used inside "
		    "'where': it tests the profile's events, 'where' tests "
		    "one event"), cond_evtest_name(c->evtest));
	default:
		for (i = 0; i < c->nkids; i++) {
			if (ev_where_check(db, c->kids[i], cause) != 0)
				return -1;
		}
		return 0;
	}
}

static int
ev_window(const struct eval_prog *p, struct ev_node *e, char **cause)
{
	const struct cond_window *w = &e->c->window;

	if (eval_event_window(e->c, p->now, p->tz, &e->wlo, &e->whi) != 0)
		return cond_error(e->c, cause, _("The condition tree is "
		    "malformed."));
	if (w->kind != CW_NONE &&
	    (e->c->evtest == CE_FIRST || e->c->evtest == CE_LAST))
		return cond_error(e->c, cause, _("'%s' takes a time test, not "
		    "a window"), cond_evtest_name(e->c->evtest));
	return 0;
}

/* first/last: the time test as one interval of instants. */
static int
ev_time_test(const struct eval_prog *p, struct ev_node *e, char **cause)
{
	const struct cond *c = e->c;
	int64_t lo, hi;

	if (eval_event_time(c, p->now, p->tz, &lo, &hi) != 0)
		goto bad;
	/* The extremes stand for "no event". */
	lo = eval_clamp(lo, EV_MIN + 1, EV_MAX - 1);
	hi = eval_clamp(hi, EV_MIN + 1, EV_MAX - 1);
	ev_add_ival(&e->cmp, lo, hi);
	/*
	 * The earliest event lies in [lo, hi] when one does and none is
	 * earlier than lo: events after hi cannot change that, so the pass
	 * reads only up to hi (the latest, symmetrically, from lo on).
	 */
	if (c->evtest == CE_FIRST)
		e->shi = hi;
	else
		e->slo = lo;
	return 0;
bad:
	return cond_error(c, cause, _("'%s' needs a time test: within last, "
	    "more than ... ago, before, after, on or between"),
	    cond_evtest_name(c->evtest));
}

/* Counts and aggregates: intervals of the value compared. */
static int
ev_compare(struct ev_node *e, char **cause)
{
	const struct cond *c = e->c;
	enum cond_op op = c->op;
	double v[2];
	size_t i, need = op == CO_BETWEEN ? 2 : 1;

	if (c->evtest == CE_DID && c->nvalues == 0) {
		e->acc = EA_SEEN;
		return 0;
	}
	if (!(op == CO_EQ || op == CO_NE || op == CO_LT || op == CO_LE ||
	    op == CO_GT || op == CO_GE || op == CO_BETWEEN) ||
	    (c->evtest == CE_DID && (op == CO_NE || op == CO_LT ||
	    op == CO_GT)) || c->nvalues != need)
		return cond_error(c, cause, _("'%s' is compared with =, !=, <, "
		    "<=, >, >= or between"), cond_evtest_name(c->evtest));
	for (i = 0; i < need; i++) {
		if (c->values[i].kind == CV_INT)
			v[i] = (double)c->values[i].i;
		else if (c->values[i].kind == CV_FLOAT &&
		    c->evtest != CE_DID && c->evtest != CE_COUNT) {
			v[i] = c->values[i].f;
		} else
			return cond_error(c, cause, need == 2 ?
			    _("'between' takes two numbers") :
			    _("'%s' takes one number"), cond_op_name(op));
	}
	e->cmpf = c->evtest == CE_AVG ||
	    ((c->evtest == CE_SUM || c->evtest == CE_MIN ||
	    c->evtest == CE_MAX) && e->propf);
	if (e->cmpf) {
		eval_add_float_cmp(&e->cmp, op, v, need);
		return 0;
	}
	eval_cmp_ivals(op, v, need, ev_add_ival, &e->cmp, &e->cmp.neg);
	if (c->evtest == CE_DID || c->evtest == CE_COUNT) {
		/* Bytes suffice when every bound lies below the saturation. */
		e->acc = EA_C8;
		for (i = 0; i < e->cmp.niv; i++) {
			if ((e->cmp.iv[i].lo != EV_MIN &&
			    e->cmp.iv[i].lo > 254) ||
			    (e->cmp.iv[i].hi != EV_MAX &&
			    e->cmp.iv[i].hi > 254))
				e->acc = EA_C32;
		}
	}
	return 0;
}

int
eval_events_compile(struct eval_prog *p, const struct eval_env *env,
    struct eval_node *n, char **cause)
{
	const struct cond *c = n->c;
	struct eval_events *ev;
	struct ev_node *e;
	int fi;

	if (p->ev == NULL) {
		ev = p->ev = xcalloc(1, sizeof *ev);
		ev->sub.schema = evdb_schema(p->schema);
		ev->sub.tz = p->tz;
		ev->sub.now = p->now;
		ev->sub.today = p->today;
		ev->sub.range_hi = 10000;
		ev->sub.limit = -1;
		ev->sub.bucket_col = -1;
		ev->colpno = eval_use_column(&ev->sub, EVDB_COL_PNO);
		ev->coltime = eval_use_column(&ev->sub, EVDB_COL_TIME);
		ev->colname = eval_use_column(&ev->sub, EVDB_COL_NAME);
	}
	ev = p->ev;
	if (c->event == NULL || *c->event == '\0')
		return cond_error(c, cause, "%s", _("an event test needs an "
		    "event name"));
	ev->v = xreallocarray(ev->v, ev->n + 1, sizeof *ev->v);
	e = &ev->v[ev->n];
	memset(e, 0, sizeof *e);
	n->evidx = ev->n++;
	e->c = c;
	e->propcol = -1;
	e->cmp.c = c;
	switch (c->evtest) {
	case CE_SUM:
	case CE_AVG:
	case CE_MIN:
	case CE_MAX:
		fi = c->field != NULL ? schema_event_field_index(p->schema,
		    c->field) : -1;
		if (fi < 0)
			return cond_error(c, cause, _("unknown event property "
			    "'%s'"), c->field != NULL ? c->field : "");
		if (p->schema->event_fields[fi].type != FT_INT &&
		    p->schema->event_fields[fi].type != FT_FLOAT)
			return cond_error(c, cause, _("%s() takes an int or "
			    "float property, but '%s' is of type %s"),
			    cond_evtest_name(c->evtest), c->field,
			    field_type_name(p->schema->event_fields[fi].type));
		e->propf = p->schema->event_fields[fi].type == FT_FLOAT;
		e->propcol = eval_use_column(&ev->sub,
		    (uint16_t)(EVDB_COL_PROP + fi));
		break;
	case CE_DID:
	case CE_COUNT:
	case CE_FIRST:
	case CE_LAST:
		break;
	default:
		return cond_error(c, cause, _("The condition tree is "
		    "malformed."));
	}
	if (ev_window(p, e, cause) != 0)
		return -1;
	e->slo = e->wlo;
	e->shi = e->whi;
	switch (c->evtest) {
	case CE_FIRST:
	case CE_LAST:
		e->acc = c->evtest == CE_FIRST ? EA_FIRST : EA_LAST;
		if (ev_time_test(p, e, cause) != 0)
			return -1;
		break;
	case CE_SUM:
		e->acc = e->propf ? EA_FSUM : EA_ISUM;
		break;
	case CE_AVG:
		e->acc = e->propf ? EA_FAVG : EA_IAVG;
		break;
	case CE_MIN:
		e->acc = e->propf ? EA_FMIN : EA_IMIN;
		break;
	case CE_MAX:
		e->acc = e->propf ? EA_FMAX : EA_IMAX;
		break;
	default:
		e->acc = EA_C32;
		break;
	}
	if (c->evtest != CE_FIRST && c->evtest != CE_LAST &&
	    ev_compare(e, cause) != 0)
		return -1;
	if (c->where != NULL) {
		if (ev_where_check(p->schema, c->where, cause) != 0)
			return -1;
		e->where = eval_compile_node(&ev->sub, env, c->where, 0, cause);
		if (e->where == NULL)
			return -1;
	}
	return 0;
}

void
eval_events_free(struct eval_events *ev)
{
	size_t i;

	if (ev == NULL)
		return;
	for (i = 0; i < ev->n; i++) {
		eval_node_free(ev->v[i].where);
		free(ev->v[i].cmp.iv);
		free(ev->v[i].cmp.fv);
		free(ev->v[i].need);
		free(ev->v[i].bits);
		free(ev->v[i].why.events);
	}
	free(ev->v);
	schema_free(ev->sub.schema);
	free(ev->sub.cols);
	free(ev);
}

