/*
 * The segment page's private parts: its snapshot (struct view_page) and
 * the functions its files share.  view_page.c loads the snapshot and
 * takes the keys, view_page_draw.c draws the summary and the plain
 * blocks, view_page_profiles.c and view_page_history.c own the Profiles
 * and History blocks.
 */
#ifndef RESEG_TUI_VIEW_PAGE_INT_H
#define RESEG_TUI_VIEW_PAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "chart.h"
#include "pdb.h"
#include "segment.h"
#include "tui.h"
#include "view.h"

enum view_page_tab {
	PAGE_OVERVIEW,
	PAGE_PROFILES,
	PAGE_HISTORY,
	PAGE_LOG,
	PAGE_DEPENDENTS,
	PAGE_NTABS
};

struct view_page {
	struct tui	*tui;
	char		*name;
	struct segment	*seg;
	int64_t		 next;		/* next run, 0: none */
	char		*script;	/* cond_print, or NULL */
	struct pdb_schema *schema;
	roaring_bitmap_t *members;
	struct run_record *runs;
	size_t		 nruns;
	char		**users;	/* dependents (drop_segment_users) */
	size_t		 nusers;
	size_t		 nhidden;	/* segments using it the user cannot see */
	enum view_page_tab tab;
	struct tui_rect	 rect;

	/* Profiles: the visible rows, as text. */
	uint64_t	 ptop;		/* rank of the first visible member */
	int		 pcur;		/* cursor within the page */
	int		 pcol;		/* first visible field (scroll) */
	char		**cells;	/* prows x nfields */
	int		 prows;
	int		*pwidth;	/* column widths (content and type) */
	int		 plast;		/* last field drawn (footer) */
	int		*cols;		/* the fields shown, in order, or NULL
					   (not yet read: all, or the session's) */
	int		 ncols;
	int		 sort;		/* field sorted by, -1: profile order */
	int		 sort_desc;
	int		 utf8;		/* arrows ▲▼ (else ^ v) */
	uint32_t	*order;		/* the members in that order, or NULL
					   (rank order, not yet needed) */
	size_t		 norder;
	char		*find;		/* the last search (/), or NULL */
	roaring_bitmap_t *matches;	/* the members it matches, or NULL
					   (not yet known) */

	/* Log: positions count runs from the newest (0). */
	int		 ltop;		/* first run shown */
	int		 lcur;		/* the selected run */
	char		*lfind;		/* the log's last search, or NULL */

	/* Chart. */
	enum chart_period period;
	enum hist_group	 group;
	enum chart_style style;		/* RESEG_CHART, read at open */
	int32_t		 from, to;	/* local days */
	struct chart_slot *slots;
	size_t		 nslots;
	int		 ccur;		/* cursor slot */
	int		 changes;	/* v: added and removed, not members */
	int		 color;		/* else the cursor's date in brackets */
};

/* Rows of the summary above the tab line. */
#define VIEW_PAGE_SUMMARY	4

/* view_page_draw.c */
/* The tab whose name is at column x of the tab line, or -1. */
int	 view_page_tab_at(const struct view_page *, int x);
void	 view_page_draw(struct view *, struct tui_rect);
void	 view_page_title(struct view *, char *buf, size_t len);

/* Screen rows of the log's run at position i (2 with its error). */
int	 view_page_log_lines(const struct view_page *, int i);

/* view_page_profiles.c: the visible page of members. */
void	 view_page_free_cells(struct view_page *);
int	 view_page_load_profiles(struct view_page *, struct store_txn *,
	    char **cause);
void	 view_page_profiles_reload(struct view *);
void	 view_page_draw_profiles(struct view_page *, struct tui_rect);
int	 view_page_key_profiles(struct view *, enum action);
/* The key of the selected profile (in the cells), or NULL. */
const char *view_page_selected_key(const struct view_page *);

/* view_page_history.c: the chart. */
int	 view_page_load_chart(struct view_page *, struct store_txn *,
	    char **cause);
void	 view_page_draw_history(struct view_page *, struct tui_rect);
int	 view_page_key_history(struct view *, enum action);

#endif
