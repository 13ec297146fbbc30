/* tui/table.h - the list widget every screen uses: rows of text cells kept
 * by a unique key, an incremental filter (case-insensitive substring over
 * every cell) through an index array, the selection kept by key across
 * refreshes and filters, and drawing of only the visible rows, so 20,000
 * rows scroll and filter without a stall. Knows nothing about AWS. */
#ifndef IRSA_TABLE_H
#define IRSA_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"

struct table_column {
	const char *title; /* upper case, as kubectl: "NAME" */
	int min_width;     /* cells; the column never gets narrower (it is cut with "..." / "…") */
	bool grow;         /* takes a share of the spare width */
};

struct table;

/* A table with n columns (titles borrowed: static strings). NULL when out
 * of memory. */
struct table *table_new(const struct table_column *cols, size_t n);
void table_free(struct table *t);

/* Adds the row with this key, or replaces its cells when the key exists
 * (the row keeps its place). cells: n strings, copied (NULL shows as "").
 * role: the theme role of the row's text (THEME_BODY for plain; e.g.
 * THEME_STATUS_ERROR for a broken binding). Returns 0, or -1 when out of
 * memory. */
int table_set_row(struct table *t, const char *key, const char *const *cells, enum theme_role role);
void table_remove_row(struct table *t, const char *key);
void table_clear(struct table *t);

/* Sorts the rows by column col (stable; ascending). */
void table_sort(struct table *t, size_t col);

/* The filter ("" or NULL: none). */
void table_set_filter(struct table *t, const char *text);
const char *table_filter(const struct table *t);
size_t table_shown(const struct table *t);
size_t table_total(const struct table *t);

/* The selected row's key (borrowed until the table changes), or NULL when
 * no row is shown. */
const char *table_selected(const struct table *t);
/* Selects the row with key if it is shown. */
void table_select(struct table *t, const char *key);
/* The selected row's cell col (borrowed), or NULL. */
const char *table_selected_cell(const struct table *t, size_t col);

/* Navigation: arrows, j/k, g/G (Home/End), PgUp/PgDn, C-b/C-f. Returns
 * true when ch was one of them. page: the rows visible. */
bool table_key(struct table *t, int ch, int page);

/* Draws the header and the rows that fit in h lines at (y, x), w wide. */
void table_draw(struct table *t, const struct theme *th, int y, int x, int h, int w);

#endif
