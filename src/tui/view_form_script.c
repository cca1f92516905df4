/*
 * The segment form's script editor (textedit.h): the caret sent to the
 * error's line and column, Tab completing field names, event names and
 * the script's words, and the highlighting of the engine's tokens
 * (cond.h), the fields of the database told from names it has not.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "draw.h"
#include "i18n.h"
#include "schema.h"
#include "textedit.h"
#include "tui.h"
#include "util.h"
#include "view_form_int.h"

void
vf_script_jump(struct view_form *vf)
{
	if (!vf->fm.script_mode || vf->fm.err[FM_COND] == NULL ||
	    vf->fm.err_line < 1 || vf->fm.err_col < 1)
		return;
	textedit_goto(&vf->script, vf->fm.err_line, vf->fm.err_col);
}

/* A field or property of the chosen database. */
static int
vf_script_known(const struct view_form *vf, const char *name)
{
	return vf->schema == NULL || schema_field_index(vf->schema,
	    name) >= 0 || schema_event_field_index(vf->schema, name) >= 0;
}

/* An event name as the script's string: quoted, with " and \ escaped. */
static char *
vf_script_quote(const char *s)
{
	struct strbuf	 sb = STRBUF_INIT;

	sb_putc(&sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(&sb, '\\');
		sb_putc(&sb, *s);
	}
	sb_putc(&sb, '"');
	return sb_detach(&sb);
}

static void
vf_words_add(char ***v, size_t *n, char *w)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = w;
}

static void
vf_words_field(char ***v, size_t *n, const char *name)
{
	vf_words_add(v, n, cond_field_script(name));
}

/* Field names, event properties, "event names" and the script's words. */
static char **
vf_script_words(struct view_form *vf, size_t *np)
{
	const char *const *kw;
	char		**v = NULL, **ev;
	size_t		 n = 0, nev = 0, i;

	if (vf->schema != NULL) {
		for (i = 0; i < vf->schema->nfields; i++)
			vf_words_field(&v, &n, vf->schema->fields[i].name);
		for (i = 0; i < vf->schema->nevent_fields; i++)
			vf_words_field(&v, &n,
			    vf->schema->event_fields[i].name);
		ev = vf_event_name_list(vf, &nev);
		for (i = 0; i < nev; i++) {
			vf_words_add(&v, &n, vf_script_quote(ev[i]));
			free(ev[i]);
		}
		free(ev);
	}
	for (kw = cond_script_words(); *kw != NULL; kw++)
		vf_words_add(&v, &n, xstrdup(*kw));
	*np = n;
	return v;
}

int
vf_script_complete(struct view_form *vf)
{
	struct strbuf	 sb = STRBUF_INIT;
	enum te_complete rc;
	char		**words = NULL, *before;
	size_t		 n = 0, i, start;

	if (!textedit_word(&vf->script, &start))
		return VIEW_IGNORED;
	/* A further Tab only cycles: the store is not read again. */
	if (!textedit_cycling(&vf->script))
		words = vf_script_words(vf, &n);
	before = xstrdup(textedit_text(&vf->script));
	rc = textedit_complete(&vf->script, (const char *const *)words, n);
	for (i = 0; i < n; i++)
		free(words[i]);
	free(words);
	switch (rc) {
	case TE_COMP_NOWORD:
		free(before);
		return VIEW_IGNORED;
	case TE_COMP_NONE:
		tui_status(vf->tui, _("Nothing completes '%.*s'."),
		    (int)(vf->script.le.cur - start),
		    vf->script.le.buf + start);
		break;
	case TE_COMP_ONE:
		tui_status_clear(vf->tui);
		break;
	case TE_COMP_MANY:
	case TE_COMP_CYCLE:
		/* The candidates; while cycling, the one put in brackets. */
		for (i = 0; i < vf->script.ncands; i++) {
			int cur = rc == TE_COMP_CYCLE && (i + 1) %
			    vf->script.ncands == vf->script.comp_next;

			sb_printf(&sb, "%s%s%s%s", i > 0 ? "  " : "",
			    cur ? "[" : "", vf->script.cands[i], cur ? "]" :
			    "");
		}
		tui_status(vf->tui, "%s", sb.buf);
		sb_free(&sb);
		break;
	}
	if (strcmp(before, textedit_text(&vf->script)) != 0)
		vf_changed(vf, FM_COND);
	free(before);
	return VIEW_HANDLED | VIEW_REDRAW;
}

static enum draw_role
vf_script_role(const struct view_form *vf, const struct cond_token *t)
{
	switch (t->type) {
	case COND_TOK_COMMENT:
		return DR_SYN_COMMENT;
	case COND_TOK_KEYWORD:
	case COND_TOK_FUNC:
		return DR_SYN_KEYWORD;
	case COND_TOK_WORD:
		/* did, count...: a field when the database has one so named. */
		return vf->schema != NULL && t->name != NULL &&
		    vf_script_known(vf, t->name) ? DR_SYN_FIELD :
		    DR_SYN_KEYWORD;
	case COND_TOK_NAME:
	case COND_TOK_QNAME:
		return vf_script_known(vf, t->name) ? DR_SYN_FIELD :
		    DR_SYN_UNKNOWN;
	case COND_TOK_STRING:
		return DR_SYN_STRING;
	case COND_TOK_NUMBER:
		return DR_SYN_NUMBER;
	default:
		return DR_NORMAL;
	}
}

void
vf_script_draw(struct view_form *vf, int y, int x, int w, int h, int focus)
{
	struct cond_token *toks;
	const char	*text = textedit_text(&vf->script);
	unsigned char	*roles = NULL;
	size_t		 n, i, mark = (size_t)-1;

	if (vf->fm.err[FM_COND] != NULL && vf->fm.err_line > 0 &&
	    vf->fm.err_col > 0)
		mark = textedit_offset(&vf->script, vf->fm.err_line,
		    vf->fm.err_col);
	/* No colours (NO_COLOR, a monochrome terminal): a plain field. */
	if (!draw_has_color()) {
		textedit_draw(&vf->script, y, x, w, h, focus, NULL, focus ?
		    DR_FIELD_FOCUS : DR_FIELD, mark);
		return;
	}
	roles = xcalloc(strlen(text) + 1, 1);
	n = cond_tokens(text, &toks);
	for (i = 0; i < n; i++)
		memset(roles + toks[i].off, vf_script_role(vf, &toks[i]),
		    toks[i].len);
	cond_tokens_free(toks, n);
	textedit_draw(&vf->script, y, x, w, h, focus, roles, DR_NORMAL, mark);
	free(roles);
}
