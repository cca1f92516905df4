/*
 * What `segment why` shows of an event test: while the pass reads the
 * chunks, the profile explained's matching events are counted and
 * aggregated, and the newest EV_WHY_EVENTS kept; after it, their lines
 * (time, name, properties) are formatted from the chunks.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "eval_events_int.h"
#include "evdb.h"
#include "i18n.h"
#include "timeutil.h"
#include "util.h"

void
eval_events_why_clear(struct ev_why *y)
{
	free(y->events);
	memset(y, 0, sizeof *y);
	y->first = EV_MAX;
	y->last = EV_MIN;
	y->imin = EV_MAX;
	y->imax = EV_MIN;
	y->fmin = INFINITY;
	y->fmax = -INFINITY;
}

void
eval_events_why_rows(struct ev_node *e, const struct eval_events *ev,
    uint32_t why_pno, uint32_t chunk, const struct col_chunk *vw,
    const uint64_t *m, uint32_t nw)
{
	const int64_t *pno = vw[ev->colpno].i64, *tm = vw[ev->coltime].i64;
	const struct col_chunk *pv = e->propcol >= 0 ? &vw[e->propcol] : NULL;
	struct ev_why *y = &e->why;
	struct ev_whyev x;
	uint32_t w, r;
	uint64_t b;
	size_t j;

	for (w = 0; w < nw; w++) {
		for (b = m[w]; b != 0; b &= b - 1) {
			r = w * 64 + (uint32_t)__builtin_ctzll(b);
			if ((uint64_t)pno[r] != why_pno)
				continue;
			y->n++;
			if (tm[r] < y->first)
				y->first = tm[r];
			if (tm[r] > y->last)
				y->last = tm[r];
			if (pv != NULL && col_present(pv, r)) {
				y->nval++;
				if (e->propf) {
					eval_fadd(&y->fsum, &y->fsumc,
					    pv->f64[r]);
					y->fmin = fmin(y->fmin, pv->f64[r]);
					y->fmax = fmax(y->fmax, pv->f64[r]);
				} else {
					y->isum += pv->i64[r];
					if (pv->i64[r] < y->imin)
						y->imin = pv->i64[r];
					if (pv->i64[r] > y->imax)
						y->imax = pv->i64[r];
				}
			}
			/* Keep the newest, later rows winning ties. */
			x.time = tm[r];
			x.chunk = chunk;
			x.row = r;
			j = y->nev;
			if (j == EV_WHY_EVENTS) {
				if (y->ev[j - 1].time > x.time)
					continue;
				j--;
			} else
				y->nev++;
			while (j > 0 && y->ev[j - 1].time <= x.time) {
				y->ev[j] = y->ev[j - 1];
				j--;
			}
			y->ev[j] = x;
		}
	}
}

/* One event's line for an explanation: time, name, properties. */
static int
ev_why_line(struct eval_prog *p, struct store_txn *txn,
    const struct ev_whyev *x, struct strbuf *sb, char **cause)
{
	const struct pdb_schema *db = p->schema;
	struct col_chunk v;
	struct value val;
	char buf[TU_DATETIME_BUF];
	uint32_t r = x->row, a, i, code;
	uint16_t f;
	enum field_type ft;
	int nprops = 0;

	sb_printf(sb, "%s ", tu_format_datetime(x->time, buf));
	memset(&v, 0, sizeof v);
	for (f = EVDB_COL_NAME; f < EVDB_COL_PROP + db->nevent_fields; f++) {
		if (f == EVDB_COL_ID)
			continue;
		if (evdb_column(txn, db, f, x->chunk, &v, cause) != 0)
			return -1;
		if (r >= v.nrows) {
			pdb_chunk_release(&v);
			return error_set(cause, _("profile database '%s': "
			    "column %u of event chunk %u is damaged"),
			    db->name, f, x->chunk);
		}
		ft = v.type;
		if (f == EVDB_COL_NAME) {
			code = v.codes[r];
			if (code < v.ndict)
				sb_add(sb, v.dict_data + v.dict_off[code],
				    v.dict_off[code + 1] - v.dict_off[code]);
			pdb_chunk_release(&v);
			continue;
		}
		if (!col_present(&v, r) || (ft == FT_TAGS &&
		    v.tag_off[r] == v.tag_off[r + 1])) {
			pdb_chunk_release(&v);
			continue;
		}
		sb_puts(sb, nprops++ == 0 ? " (" : ", ");
		sb_printf(sb, "%s = ", db->event_fields[f -
		    EVDB_COL_PROP].name);
		memset(&val, 0, sizeof val);
		val.present = 1;
		switch (ft) {
		case FT_STRING:
		case FT_TAGS:
			sb_putc(sb, '"');
			a = ft == FT_STRING ? r : v.tag_off[r];
			for (i = a; i < (ft == FT_STRING ? r + 1 :
			    v.tag_off[r + 1]); i++) {
				code = v.codes[i];
				if (i > a)
					sb_putc(sb, ',');
				if (code < v.ndict)
					sb_add(sb, v.dict_data +
					    v.dict_off[code],
					    v.dict_off[code + 1] -
					    v.dict_off[code]);
			}
			sb_putc(sb, '"');
			break;
		case FT_INT:
			val.u.i = v.i64[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_DATETIME:
			val.u.dt = v.i64[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_FLOAT:
			val.u.f = v.f64[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_DATE:
			val.u.date = v.i32[r];
			value_format_text(ft, &val, sb);
			break;
		case FT_BOOL:
			val.u.b = v.u8[r] != 0;
			value_format_text(ft, &val, sb);
			break;
		}
		pdb_chunk_release(&v);
	}
	if (nprops > 0)
		sb_putc(sb, ')');
	sb_putc(sb, '\n');
	return 0;
}

int
eval_events_why_format(struct eval_prog *p, struct store_txn *txn,
    struct ev_node *e, char **cause)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < e->why.nev; i++) {
		if (ev_why_line(p, txn, &e->why.ev[i], &sb, cause) != 0) {
			sb_free(&sb);
			return -1;
		}
	}
	free(e->why.events);
	e->why.events = sb_detach(&sb);
	return 0;
}

void
eval_events_why(const struct eval_prog *p, size_t i, int indent,
    struct strbuf *sb)
{
	const struct ev_node *e = &p->ev->v[i];
	const struct ev_why *y = &e->why;
	const struct cond *c = e->c;
	char b1[TU_DATETIME_BUF], b2[TU_DATETIME_BUF];
	struct strbuf v = STRBUF_INIT;
	struct value val;
	const char *s, *nl;
	int k;

	sb_puts(sb, " (");
	if (c->evtest == CE_SUM || ((c->evtest == CE_AVG ||
	    c->evtest == CE_MIN || c->evtest == CE_MAX) && y->nval > 0)) {
		memset(&val, 0, sizeof val);
		val.present = 1;
		if (c->evtest == CE_AVG) {
			val.u.f = (e->propf ? y->fsum + y->fsumc :
			    (double)y->isum) /
			    (double)y->nval;
			value_format_text(FT_FLOAT, &val, &v);
		} else if (e->propf) {
			val.u.f = c->evtest == CE_SUM ? y->fsum + y->fsumc :
			    c->evtest == CE_MIN ? y->fmin : y->fmax;
			value_format_text(FT_FLOAT, &val, &v);
		} else {
			val.u.i = c->evtest == CE_SUM ? y->isum :
			    c->evtest == CE_MIN ? y->imin : y->imax;
			value_format_text(FT_INT, &val, &v);
		}
		sb_printf(sb, _("%s(%s) = %s; "), cond_evtest_name(c->evtest),
		    c->field, v.buf != NULL ? v.buf : "");
		sb_free(&v);
	} else if (c->evtest == CE_AVG || c->evtest == CE_MIN ||
	    c->evtest == CE_MAX)
		sb_printf(sb, _("%s(%s) has no value; "),
		    cond_evtest_name(c->evtest), c->field);
	sb_printf(sb, _("count = %llu"), (unsigned long long)y->n);
	if (y->n > 0)
		sb_printf(sb, _(", first %s, last %s"),
		    tu_format_datetime(y->first, b1),
		    tu_format_datetime(y->last, b2));
	sb_puts(sb, ")\n");
	for (s = y->events; s != NULL && *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		for (k = 0; k < indent; k++)
			sb_putc(sb, ' ');
		sb_add(sb, s, (size_t)(nl - s) + 1);
	}
}

