/*
 * The conditions tree of the segment form's model: the visible rows
 * (groups, then their kids) and the edits the tree block offers (add,
 * replace, remove, move within a group, AND/OR, clear).  Row 0 is the
 * root group, which is never removed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "form_model.h"
#include "i18n.h"
#include "util.h"

struct cond *
fm_tree_root(struct cond *c)
{
	struct cond	*root;

	if (c != NULL && (c->kind == CK_AND || c->kind == CK_OR))
		return c;
	root = cond_new(CK_AND);
	if (c != NULL)
		cond_add_kid(root, c);
	return root;
}


static int
fm_is_group(const struct cond *c)
{
	return c->kind == CK_AND || c->kind == CK_OR;
}

static void
fm_rows_add(struct cond *c, struct cond *parent, size_t index, int depth,
    struct fm_row **rows, size_t *n)
{
	size_t	 i;

	*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
	(*rows)[*n].node = c;
	(*rows)[*n].parent = parent;
	(*rows)[*n].index = index;
	(*rows)[*n].depth = depth;
	(*n)++;
	if (fm_is_group(c))
		for (i = 0; i < c->nkids; i++)
			fm_rows_add(c->kids[i], c, i, depth + 1, rows, n);
}

size_t
fm_tree_rows(struct cond *root, struct fm_row **rows)
{
	size_t	 n = 0;

	*rows = NULL;
	fm_rows_add(root, NULL, 0, 0, rows, &n);
	return n;
}

int
fm_tree_empty_group(struct cond *root)
{
	struct fm_row	*rows;
	size_t		 n, i;
	int		 found = -1;

	n = fm_tree_rows(root, &rows);
	for (i = 1; i < n && found < 0; i++)
		if (fm_is_group(rows[i].node) && rows[i].node->nkids == 0)
			found = (int)i;
	free(rows);
	return found;
}

int
fm_tree_find(struct cond *root, const struct cond *node)
{
	struct fm_row	*rows;
	size_t		 n, i;
	int		 found = -1;

	n = fm_tree_rows(root, &rows);
	for (i = 0; i < n; i++)
		if (rows[i].node == node)
			found = (int)i;
	free(rows);
	return found;
}

/* Inserts kid into group g at position at. */
static void
fm_insert(struct cond *g, size_t at, struct cond *kid)
{
	cond_add_kid(g, kid);
	if (at >= g->nkids)
		return;
	memmove(g->kids + at + 1, g->kids + at,
	    (g->nkids - 1 - at) * sizeof *g->kids);
	g->kids[at] = kid;
}

void
fm_tree_add(struct cond *root, int row, struct cond *kid)
{
	struct fm_row	*rows;
	size_t		 n;

	n = fm_tree_rows(root, &rows);
	if (row < 0 || (size_t)row >= n)
		cond_add_kid(root, kid);
	else if (fm_is_group(rows[row].node))
		cond_add_kid(rows[row].node, kid);
	else
		fm_insert(rows[row].parent, rows[row].index + 1, kid);
	free(rows);
}

int
fm_tree_replace(struct cond *root, int row, struct cond *node)
{
	struct fm_row	*rows;
	size_t		 n;
	int		 rc = -1;

	n = fm_tree_rows(root, &rows);
	if (row > 0 && (size_t)row < n) {
		cond_free(rows[row].parent->kids[rows[row].index]);
		rows[row].parent->kids[rows[row].index] = node;
		rc = 0;
	} else
		cond_free(node);
	free(rows);
	return rc;
}

int
fm_tree_remove(struct cond *root, int row)
{
	struct fm_row	*rows;
	struct cond	*g;
	size_t		 n, i;

	n = fm_tree_rows(root, &rows);
	if (row <= 0 || (size_t)row >= n) {
		free(rows);
		return -1;
	}
	g = rows[row].parent;
	i = rows[row].index;
	cond_free(g->kids[i]);
	memmove(g->kids + i, g->kids + i + 1,
	    (g->nkids - i - 1) * sizeof *g->kids);
	g->nkids--;
	free(rows);
	return 0;
}

int
fm_tree_move(struct cond *root, int row, int dir)
{
	struct fm_row	*rows;
	struct cond	*g, *tmp;
	size_t		 n, i, j;

	n = fm_tree_rows(root, &rows);
	if (row <= 0 || (size_t)row >= n) {
		free(rows);
		return -1;
	}
	g = rows[row].parent;
	i = rows[row].index;
	free(rows);
	if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= g->nkids))
		return -1;
	j = dir < 0 ? i - 1 : i + 1;
	tmp = g->kids[i];
	g->kids[i] = g->kids[j];
	g->kids[j] = tmp;
	return 0;
}

void
fm_tree_andor(struct cond *root, int row)
{
	struct fm_row	*rows;
	struct cond	*g = root;
	size_t		 n;

	n = fm_tree_rows(root, &rows);
	if (row >= 0 && (size_t)row < n)
		g = fm_is_group(rows[row].node) ? rows[row].node :
		    rows[row].parent;
	free(rows);
	g->kind = g->kind == CK_AND ? CK_OR : CK_AND;
}

void
fm_tree_clear(struct cond *root)
{
	size_t	 i;

	for (i = 0; i < root->nkids; i++)
		cond_free(root->kids[i]);
	root->nkids = 0;
}

char *
fm_row_text(const struct cond *c)
{
	if (c->kind == CK_AND)
		return xstrdup(_("ALL of these (AND)"));
	if (c->kind == CK_OR)
		return xstrdup(_("ANY of these (OR)"));
	return cond_print(c);
}
