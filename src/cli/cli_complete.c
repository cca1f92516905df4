/*
 * reseg __complete: the words shell completion offers, so that the bash
 * and zsh scripts (data/completion/) stay small and cannot fall behind
 * the program.  Commands and their argument words come from the command
 * table (cli_commands: names and usage lines), each command's options
 * from the option table its parser uses (a command run in completion
 * mode hands it over: cli_complete_opts), segment and database names
 * from the store, as the caller may see them (access.h).
 *
 *   reseg __complete bash WORDBREAKS LINE   LINE: the line to the cursor
 *   reseg __complete zsh WORD...            the words after "reseg", the
 *                                           last one being completed
 *
 * The first line of the answer says what to complete: "words" (the
 * candidates follow, one a line, sorted), "files" or "dirs" (the shell
 * completes them itself).  bash replaces only the part of a word after
 * the last character of COMP_WORDBREAKS outside quotes (the "=" of
 * --db=NAME), so its candidates leave out what comes before.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cli/cli.h"
#include "engine.h"
#include "i18n.h"
#include "pdb.h"
#include "schema.h"
#include "segment.h"
#include "util.h"

struct cli_complete_opt {
	char		*name;
	int		 value;		/* takes a value */
};

struct cli_complete {
	struct cli_complete_opt	*v;
	size_t			 n;
};

/* The words of a command line; the last one is being completed. */
struct cli_comp_words {
	char		**v;
	size_t		  n;
	size_t		  strip;	/* bytes of the last one bash keeps */
};

struct cli_comp_out {
	const char	*kind;		/* "words", "files", "dirs" */
	char		**v;
	size_t		  n;
};

static const char *const cli_comp_globals[] = {
	"--help", "--json", "--store", "--version", NULL
};

int
cli_complete_opts(struct cli *cli, const struct cli_opt *opts)
{
	struct cli_complete *cc = cli->complete;
	const struct cli_opt *o;

	if (cc == NULL)
		return 0;
	for (o = opts; o != NULL && o->name != NULL; o++) {
		cc->v = xreallocarray(cc->v, cc->n + 1, sizeof *cc->v);
		cc->v[cc->n].name = xstrdup(o->name);
		cc->v[cc->n++].value = o->flag == NULL;
	}
	return CLI_COMPLETE;
}

static void
cli_comp_push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

static void
cli_comp_push_word(struct cli_comp_words *w, struct strbuf *sb)
{
	sb_puts(sb, "");
	cli_comp_push(&w->v, &w->n, sb_detach(sb));
}

/*
 * Splits a bash command line as the shell would (quotes, backslashes),
 * keeping an empty last word when the line ends in a blank.  strip is
 * where readline's word starts in the last word: after an open quote or
 * the last unquoted word-break character.
 */
static void
cli_comp_split(const char *line, const char *breaks,
    struct cli_comp_words *w)
{
	struct strbuf cur = STRBUF_INIT;
	const char *p;
	char quote = 0;
	int inword = 0;

	for (p = line; *p != '\0'; p++) {
		if (quote == '\'') {
			if (*p == '\'')
				quote = 0;
			else
				sb_add(&cur, p, 1);
			continue;
		}
		if (quote == '"') {
			if (*p == '"')
				quote = 0;
			else if (*p == '\\' && p[1] != '\0' &&
			    strchr("\"\\$`", p[1]) != NULL)
				sb_add(&cur, ++p, 1);
			else
				sb_add(&cur, p, 1);
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (inword)
				cli_comp_push_word(w, &cur);
			inword = 0;
			w->strip = 0;
			continue;
		}
		inword = 1;
		if (*p == '\'' || *p == '"') {
			quote = *p;
			w->strip = cur.len;
		} else if (*p == '\\') {
			if (p[1] != '\0')
				sb_add(&cur, ++p, 1);
		} else {
			sb_add(&cur, p, 1);
			if (strchr(breaks, *p) != NULL)
				w->strip = cur.len;
		}
	}
	cli_comp_push_word(w, &cur);
}

static void
cli_comp_add(struct cli_comp_out *out, const char *prefix, const char *s,
    const char *cur)
{
	char *c = xasprintf("%s%s", prefix, s);

	if (strncmp(c, cur, strlen(cur)) == 0)
		cli_comp_push(&out->v, &out->n, c);
	else
		free(c);
}

/* The segment (segs) or database names of the store in dir. */
static void
cli_comp_names(const char *dir, int segs, struct cli_comp_out *out,
    const char *prefix, const char *cur)
{
	struct store *st;
	struct store_txn *txn;
	struct segment **sv = NULL;
	struct pdb_schema **dv = NULL;
	char *cause = NULL;
	size_t n = 0, i;
	int rc;

	/* Completing must not create a store where there is none. */
	if (!store_exists(dir) || engine_open(dir, &st, &cause) != 0) {
		free(cause);
		return;
	}
	if (store_read_begin(st, &txn, &cause) != 0) {
		free(cause);
		engine_close(st);
		return;
	}
	rc = segs ? seg_list(txn, &sv, &n, &cause) :
	    pdb_list(txn, &dv, &n, &cause);
	store_read_end(txn);
	if (rc != 0) {
		free(cause);
		n = 0;
	}
	if (segs) {
		access_filter(sv, &n);
		for (i = 0; i < n; i++)
			cli_comp_add(out, prefix, sv[i]->name, cur);
		seg_list_free(sv, n);
	} else {
		for (i = 0; i < n; i++) {
			cli_comp_add(out, prefix, dv[i]->name, cur);
			schema_free(dv[i]);
		}
		free(dv);
	}
	engine_close(st);
}

/*
 * What an argument of the usage line's word meta takes: files, a
 * directory, segment or database names, or one of "a|b|c".
 */
static void
cli_comp_meta(const char *meta, const struct cli_cmd *cmd, const char *dir,
    struct cli_comp_out *out, const char *prefix, const char *cur)
{
	const char *group = cmd->group != NULL ? cmd->group : "";
	char *copy, *alt, *save;

	if (strcmp(meta, "F") == 0 || strncmp(meta, "FILE", 4) == 0 ||
	    strcmp(meta, "CASES") == 0)
		out->kind = "files";
	else if (strcmp(meta, "DIR") == 0)
		out->kind = "dirs";
	else if (strcmp(meta, "DB") == 0 ||
	    (strcmp(meta, "NAME") == 0 && strcmp(group, "db") == 0))
		cli_comp_names(dir, 0, out, prefix, cur);
	else if (strcmp(meta, "S") == 0 ||
	    (strcmp(meta, "NAME") == 0 && strcmp(group, "segment") == 0))
		cli_comp_names(dir, 1, out, prefix, cur);
	else if (strchr(meta, '|') != NULL) {
		copy = xstrdup(meta);
		for (alt = strtok_r(copy, "|", &save); alt != NULL;
		    alt = strtok_r(NULL, "|", &save))
			cli_comp_add(out, prefix, alt, cur);
		free(copy);
	}
}

static const struct cli_complete_opt *
cli_comp_opt(const struct cli_complete *cc, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < cc->n; i++)
		if (strlen(cc->v[i].name) == len &&
		    strncmp(cc->v[i].name, name, len) == 0)
			return &cc->v[i];
	return NULL;
}

/*
 * The usage line's word for option opt (its value), or for positional
 * argument k: NULL when it names none.  The word is in buf.
 */
static const char *
cli_comp_usage_word(const struct cli_cmd *cmd, const struct cli_complete *cc,
    const char *opt, size_t k, char *buf, size_t bufsize)
{
	const struct cli_complete_opt *o;
	char *copy, *t, *save, *end, *last = NULL, *found = NULL;
	/* 1: the next word is an option's value; 2: the value of opt. */
	int value = 0, repeat;
	size_t len;

	copy = xstrdup(cmd->usage);
	for (t = strtok_r(copy, " ", &save); t != NULL && found == NULL;
	    t = strtok_r(NULL, " ", &save)) {
		t += strspn(t, "[(");
		end = t + strlen(t);
		repeat = end - t >= 3 && strcmp(end - 3, "...") == 0;
		if (repeat)
			end -= 3;
		while (end > t && (end[-1] == ']' || end[-1] == ')'))
			end--;
		*end = '\0';
		if (*t == '\0' || strcmp(t, "|") == 0)
			value = 0;
		else if (value != 0) {
			if (value == 2)
				found = t;
			value = 0;
		} else if (*t == '-') {
			o = cli_comp_opt(cc, t, strlen(t));
			if (o != NULL && o->value)
				value = opt != NULL && strcmp(t, opt) == 0 ? 2 : 1;
		} else if (opt == NULL) {
			if (k-- == 0)
				found = t;
			last = repeat ? t : NULL;
		}
	}
	/* Past the last one: "KEY..." goes on. */
	if (found == NULL && opt == NULL)
		found = last;
	if (found != NULL) {
		len = strlen(found);
		if (len >= bufsize)
			len = bufsize - 1;
		memcpy(buf, found, len);
		buf[len] = '\0';
	}
	free(copy);
	return found != NULL ? buf : NULL;
}

/* Completes the words of one command after its name. */
static void
cli_comp_command(const struct cli_cmd *cmd, char **v, size_t n,
    const char *cur, const char *dir, struct cli_comp_out *out)
{
	struct cli cli = { .prog = "reseg" };
	struct cli_complete cc = { NULL, 0 };
	const struct cli_complete_opt *o, *pending = NULL;
	char *av[2] = { (char *)cmd->name, NULL }, buf[256], *pre;
	const char *meta, *eq;
	size_t i, k = 0;
	int dashdash = 0;

	cli.complete = &cc;
	cli.cmd = cmd;
	(void)cmd->run(&cli, 1, av);
	for (i = 0; i < n; i++) {
		if (pending != NULL) {
			pending = NULL;
			continue;
		}
		if (!dashdash && strcmp(v[i], "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && v[i][0] == '-' && v[i][1] != '\0') {
			o = cli_comp_opt(&cc, v[i], strlen(v[i]));
			if (o != NULL && o->value)
				pending = o;
			continue;
		}
		k++;
	}
	if (pending != NULL) {
		meta = cli_comp_usage_word(cmd, &cc, pending->name, 0, buf,
		    sizeof buf);
		if (meta != NULL)
			cli_comp_meta(meta, cmd, dir, out, "", cur);
	} else if (!dashdash && cur[0] == '-') {
		if ((eq = strchr(cur, '=')) != NULL) {
			o = cli_comp_opt(&cc, cur, (size_t)(eq - cur));
			if (o != NULL && o->value && (meta =
			    cli_comp_usage_word(cmd, &cc, o->name, 0, buf,
			    sizeof buf)) != NULL) {
				pre = xasprintf("%s=", o->name);
				cli_comp_meta(meta, cmd, dir, out, pre, cur);
				free(pre);
			}
		} else
			for (i = 0; i < cc.n; i++)
				cli_comp_add(out, "", cc.v[i].name, cur);
	} else if ((meta = cli_comp_usage_word(cmd, &cc, NULL, k, buf,
	    sizeof buf)) != NULL)
		cli_comp_meta(meta, cmd, dir, out, "", cur);
	for (i = 0; i < cc.n; i++)
		free(cc.v[i].name);
	free(cc.v);
}

/* Commands (and groups) after "reseg", or a group's commands. */
static void
cli_comp_names_of(const char *group, const char *cur, struct cli_comp_out *out)
{
	const struct cli_cmd *c;
	const char *name;

	for (c = cli_commands; c->name != NULL; c++) {
		if (group != NULL) {
			if (c->group == NULL || strcmp(c->group, group) != 0)
				continue;
			name = c->name;
		} else
			name = c->group != NULL ? c->group : c->name;
		cli_comp_add(out, "", name, cur);
	}
	/* `reseg help` is no command of the table (cli_main answers it). */
	if (group == NULL)
		cli_comp_add(out, "", "help", cur);
}

static int
cli_comp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
cli_comp_words(struct cli_comp_words *w, struct cli_comp_out *out)
{
	const struct cli_cmd *c;
	const char *cur = w->v[w->n - 1], *dir = NULL;
	char **rest = NULL;
	size_t nrest = 0, i;
	int group_known = 0;

	/* The global options, wherever they stand, as cli_main takes them. */
	for (i = 0; i + 1 < w->n; i++) {
		if (strcmp(w->v[i], "--") == 0) {
			while (i + 1 < w->n)
				cli_comp_push(&rest, &nrest, w->v[i++]);
			break;
		}
		if (strcmp(w->v[i], "--store") == 0) {
			if (i + 2 == w->n) {
				out->kind = "dirs";
				goto out;
			}
			dir = w->v[++i];
		} else if (strncmp(w->v[i], "--store=", 8) == 0)
			dir = w->v[i] + 8;
		else if (strcmp(w->v[i], "--json") != 0 &&
		    strcmp(w->v[i], "--help") != 0 &&
		    strcmp(w->v[i], "-h") != 0 &&
		    strcmp(w->v[i], "--version") != 0)
			cli_comp_push(&rest, &nrest, w->v[i]);
	}
	if (strncmp(cur, "--store=", 8) == 0) {
		out->kind = "dirs";
		goto out;
	}
	if (nrest == 0) {
		if (cur[0] == '-') {
			for (i = 0; cli_comp_globals[i] != NULL; i++)
				cli_comp_add(out, "", cli_comp_globals[i], cur);
		} else
			cli_comp_names_of(NULL, cur, out);
		goto out;
	}
	/* reseg help [GROUP [COMMAND]]: the names that help takes. */
	if (strcmp(rest[0], "help") == 0) {
		if (nrest == 1)
			cli_comp_names_of(NULL, cur, out);
		else if (nrest == 2)
			cli_comp_names_of(rest[1], cur, out);
		goto out;
	}
	for (c = cli_commands; c->name != NULL; c++) {
		if (c->group == NULL && strcmp(rest[0], c->name) == 0) {
			cli_comp_command(c, rest + 1, nrest - 1, cur, dir, out);
			goto out;
		}
		if (c->group != NULL && strcmp(rest[0], c->group) == 0) {
			group_known = 1;
			if (nrest >= 2 && strcmp(rest[1], c->name) == 0) {
				cli_comp_command(c, rest + 2, nrest - 2, cur,
				    dir, out);
				goto out;
			}
		}
	}
	if (group_known && nrest == 1)
		cli_comp_names_of(rest[0], cur, out);
out:
	free(rest);
}

int
cli_complete(int argc, char **argv)
{
	struct cli cli = { .prog = "reseg" };
	struct cli_comp_words w = { NULL, 0, 0 };
	struct cli_comp_out out = { "words", NULL, 0 };
	size_t i, skip;

	if (argc == 4 && strcmp(argv[1], "bash") == 0) {
		cli_comp_split(argv[3], argv[2], &w);
		/* The program's own name. */
		free(w.v[0]);
		memmove(w.v, w.v + 1, --w.n * sizeof *w.v);
	} else if (argc >= 3 && strcmp(argv[1], "zsh") == 0) {
		for (i = 2; i < (size_t)argc; i++)
			cli_comp_push(&w.v, &w.n, xstrdup(argv[i]));
	} else
		return cli_usage(&cli, _("usage: reseg __complete bash "
		    "WORDBREAKS LINE | zsh WORD..."));
	if (w.n > 0)
		cli_comp_words(&w, &out);
	if (out.n > 0)
		qsort(out.v, out.n, sizeof *out.v, cli_comp_cmp);
	printf("%s\n", out.kind);
	for (i = 0; i < out.n; i++) {
		if (i == 0 || strcmp(out.v[i], out.v[i - 1]) != 0) {
			skip = strlen(out.v[i]) >= w.strip ? w.strip : 0;
			printf("%s\n", out.v[i] + skip);
		}
	}
	for (i = 0; i < out.n; i++)
		free(out.v[i]);
	free(out.v);
	for (i = 0; i < w.n; i++)
		free(w.v[i]);
	free(w.v);
	fflush(stdout);
	return ferror(stdout) ? CLI_FAIL : CLI_OK;
}
