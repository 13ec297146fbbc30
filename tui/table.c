/* tui/table.c - the list widget (table.h). Rows live in one array in their
 * display order; a hash maps each key to its row; the filter is an index
 * array of the rows shown, in row order. Each row keeps a lower-cased copy
 * of its cells joined by \x1f (the "haystack"), so filtering is one strstr
 * per row, and a filter that extends the previous one only rescans the
 * rows already shown: a keystroke over 20,000 rows costs about a
 * millisecond. Removals are marked and compacted at the next refresh, so
 * dropping many rows stays linear.
 *
 * The selection: `cursor` is a position in the index; `anchor` is the key
 * of the row selected (by moving, table_select() or a filter change; rows
 * arriving do not set it, so the cursor stays at the top while a list
 * loads). After a change the cursor goes back to the anchor's row, or to
 * the nearest shown row after it when the filter hides it; a filter that
 * shows nothing leaves the anchor, so clearing it comes back to the row.
 * Drawing writes only the visible rows, cut by display width
 * (wcwidth) with "…" in UTF-8 locales and "..." otherwise. Knows nothing
 * about AWS or Kubernetes. */
#include "config.h"

#include "table.h"

#include <ctype.h>
#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define TABLE_MAX_COLS 16
#define TABLE_GAP      2 /* spaces between columns */
#define CELL_SEP       '\x1f'

struct trow {
	char *key;    /* the start of the row's one allocation */
	char **cells; /* n_cols strings in the same block */
	char *hay;    /* lower-cased cells joined by CELL_SEP */
	enum theme_role role;
	bool deleted; /* removed; compacted at the next refresh */
};

struct table {
	struct table_column cols[TABLE_MAX_COLS];
	size_t n_cols;

	struct trow *rows;
	size_t n_rows, cap_rows, n_deleted;
	uint32_t *slots; /* open addressing: row index + 1, 0 = empty */
	size_t n_slots;

	uint32_t *idx; /* rows shown, ascending */
	size_t n_idx, cap_idx;
	bool stale; /* idx (and maybe rows) must be rebuilt */

	char *filter; /* as given */
	char *needle; /* lower-cased */

	char *anchor;
	size_t cursor;
	size_t top;

	char *line; /* drawing buffer */
	size_t line_cap;
};

/* --- rows and the key hash ------------------------------------------- */

static uint32_t
hash_key(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t
slot_find(const struct table *t, const char *key)
{
	size_t mask = t->n_slots - 1, i = hash_key(key) & mask;

	while (t->slots[i] != 0 && strcmp(t->rows[t->slots[i] - 1].key, key) != 0)
		i = (i + 1) & mask;
	return i;
}

static long
row_find(const struct table *t, const char *key)
{
	size_t i;

	if (t->n_slots == 0 || key == NULL)
		return -1;
	i = slot_find(t, key);
	return t->slots[i] != 0 ? (long)t->slots[i] - 1 : -1;
}

static int
hash_rebuild(struct table *t, size_t want_rows)
{
	size_t n = 16, i;
	uint32_t *slots;

	while (n < want_rows * 2)
		n *= 2;
	if (n != t->n_slots) {
		if ((slots = calloc(n, sizeof(*slots))) == NULL)
			return -1;
		free(t->slots);
		t->slots = slots;
		t->n_slots = n;
	} else {
		memset(t->slots, 0, n * sizeof(*t->slots));
	}
	for (i = 0; i < t->n_rows; i++)
		t->slots[slot_find(t, t->rows[i].key)] = (uint32_t)(i + 1);
	return 0;
}

/* One allocation: the cell pointers, the key, the cells, the haystack. */
static char *
row_block(const struct table *t, const char *key, const char *const *cells, char ***cells_out, char **hay_out)
{
	size_t len = strlen(key) + 1, hay = 1, i, n;
	char *block, *p, *h;
	char **cp;

	for (i = 0; i < t->n_cols; i++) {
		n = cells != NULL && cells[i] != NULL ? strlen(cells[i]) : 0;
		len += n + 1;
		hay += n + 1;
	}
	block = malloc(t->n_cols * sizeof(char *) + len + hay);
	if (block == NULL)
		return NULL;
	cp = (char **)(void *)block;
	p = block + t->n_cols * sizeof(char *);
	n = strlen(key) + 1;
	memcpy(p, key, n);
	*hay_out = h = p + len;
	p += n;
	for (i = 0; i < t->n_cols; i++) {
		const char *c = cells != NULL && cells[i] != NULL ? cells[i] : "";

		n = strlen(c);
		cp[i] = p;
		memcpy(p, c, n + 1);
		p += n + 1;
		for (size_t k = 0; k < n; k++)
			*h++ = (char)tolower((unsigned char)c[k]);
		if (i + 1 < t->n_cols)
			*h++ = CELL_SEP;
	}
	*h = '\0';
	*cells_out = cp;
	return block + t->n_cols * sizeof(char *);
}

static void
row_free(struct trow *r)
{
	if (r->key != NULL)
		free((char *)r->cells);
	r->key = NULL;
}

static bool
row_matches(const struct table *t, const struct trow *r)
{
	return t->needle == NULL || strstr(r->hay, t->needle) != NULL;
}

/* --- the index and the cursor ---------------------------------------- */

/* The first position in idx whose row is >= r. */
static size_t
idx_lower_bound(const struct table *t, uint32_t r)
{
	size_t lo = 0, hi = t->n_idx, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->idx[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The cursor goes to the anchor's row, or the nearest shown one after it. */
static void
cursor_place(struct table *t)
{
	long r = row_find(t, t->anchor);
	size_t pos;

	if (t->n_idx == 0) {
		t->cursor = t->top = 0;
		return;
	}
	if (r >= 0) {
		pos = idx_lower_bound(t, (uint32_t)r);
		t->cursor = pos < t->n_idx ? pos : t->n_idx - 1;
	} else if (t->cursor >= t->n_idx) {
		t->cursor = t->n_idx - 1;
	}
}

static int
idx_reserve(struct table *t, size_t n)
{
	size_t cap = t->cap_idx ? t->cap_idx : 64;
	uint32_t *p;

	if (n <= t->cap_idx)
		return 0;
	while (cap < n)
		cap *= 2;
	if ((p = realloc(t->idx, cap * sizeof(*p))) == NULL)
		return -1;
	t->idx = p;
	t->cap_idx = cap;
	return 0;
}

static void
compact(struct table *t)
{
	size_t i, j = 0;

	if (t->n_deleted == 0)
		return;
	for (i = 0; i < t->n_rows; i++) {
		if (t->rows[i].deleted)
			row_free(&t->rows[i]);
		else
			t->rows[j++] = t->rows[i];
	}
	t->n_rows = j;
	t->n_deleted = 0;
	hash_rebuild(t, t->n_rows); /* never grows: cannot fail for lack of memory */
}

static void
index_update(struct table *t)
{
	size_t i;

	if (!t->stale)
		return;
	compact(t);
	t->n_idx = 0;
	if (idx_reserve(t, t->n_rows) == 0)
		for (i = 0; i < t->n_rows; i++)
			if (row_matches(t, &t->rows[i]))
				t->idx[t->n_idx++] = (uint32_t)i;
	t->stale = false;
	cursor_place(t);
}

static void
anchor_set(struct table *t, const char *key)
{
	char *k;

	if (key == NULL || (t->anchor != NULL && strcmp(t->anchor, key) == 0))
		return;
	if ((k = strdup(key)) == NULL)
		return;
	free(t->anchor);
	t->anchor = k;
}

/* --- the API ----------------------------------------------------------- */

struct table *
table_new(const struct table_column *cols, size_t n)
{
	struct table *t;

	if (n == 0 || n > TABLE_MAX_COLS || (t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	memcpy(t->cols, cols, n * sizeof(*cols));
	t->n_cols = n;
	if (hash_rebuild(t, 0) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n_rows; i++)
		row_free(&t->rows[i]);
	free(t->rows);
	free(t->slots);
	free(t->idx);
	free(t->filter);
	free(t->needle);
	free(t->anchor);
	free(t->line);
	free(t);
}

int
table_set_row(struct table *t, const char *key, const char *const *cells, enum theme_role role)
{
	struct trow nr, *r;
	long at;
	bool was;

	if (key == NULL)
		return -1;
	nr.key = row_block(t, key, cells, &nr.cells, &nr.hay);
	if (nr.key == NULL)
		return -1;
	nr.role = role;
	nr.deleted = false;

	if ((at = row_find(t, key)) >= 0) { /* replace: the row keeps its place */
		r = &t->rows[at];
		was = !r->deleted && row_matches(t, r);
		if (r->deleted) {
			t->n_deleted--;
			t->stale = true;
		}
		row_free(r);
		*r = nr;
		if (was != row_matches(t, r))
			t->stale = true;
		return 0;
	}
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
		struct trow *p = realloc(t->rows, cap * sizeof(*p));

		if (p == NULL) {
			free((char *)nr.cells);
			return -1;
		}
		t->rows = p;
		t->cap_rows = cap;
	}
	if ((t->n_rows + 1) * 2 > t->n_slots) {
		t->rows[t->n_rows++] = nr; /* hash_rebuild() reads the rows */
		if (hash_rebuild(t, t->n_rows) != 0) {
			t->n_rows--;
			free((char *)nr.cells);
			return -1;
		}
	} else {
		t->rows[t->n_rows] = nr;
		t->slots[slot_find(t, key)] = (uint32_t)(t->n_rows + 1);
		t->n_rows++;
	}
	/* An appended row goes at the end of the index: no rebuild. */
	if (!t->stale && row_matches(t, &nr)) {
		if (idx_reserve(t, t->n_idx + 1) != 0)
			t->stale = true;
		else
			t->idx[t->n_idx++] = (uint32_t)(t->n_rows - 1);
		if (t->n_idx == 1 || (t->anchor != NULL && strcmp(t->anchor, key) == 0))
			cursor_place(t);
	}
	return 0;
}

void
table_remove_row(struct table *t, const char *key)
{
	long at = row_find(t, key);

	if (at < 0 || t->rows[at].deleted)
		return;
	t->rows[at].deleted = true;
	t->n_deleted++;
	t->stale = true;
}

void
table_clear(struct table *t)
{
	for (size_t i = 0; i < t->n_rows; i++)
		row_free(&t->rows[i]);
	t->n_rows = t->n_deleted = t->n_idx = 0;
	t->cursor = t->top = 0;
	t->stale = false;
	hash_rebuild(t, 0);
}

/* Natural order: digit runs compare as numbers ("pod-9" < "pod-10"). */
static int
natcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	size_t la, lb;
	int c;

	while (*p != '\0' && *q != '\0') {
		if (isdigit(*p) && isdigit(*q)) {
			while (*p == '0' && isdigit(p[1]))
				p++;
			while (*q == '0' && isdigit(q[1]))
				q++;
			for (la = 0; isdigit(p[la]); la++)
				;
			for (lb = 0; isdigit(q[lb]); lb++)
				;
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = memcmp(p, q, la)) != 0)
				return c;
			p += la;
			q += lb;
			continue;
		}
		if (*p != *q)
			return *p < *q ? -1 : 1;
		p++;
		q++;
	}
	return *p == *q ? 0 : *p < *q ? -1 : 1;
}

static void
merge_sort(const struct table *t, size_t col, uint32_t *a, uint32_t *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(t, col, a, tmp, mid);
	merge_sort(t, col, a + mid, tmp, n - mid);
	if (natcmp(t->rows[a[mid - 1]].cells[col], t->rows[a[mid]].cells[col]) <= 0)
		return; /* already in order: pages that arrive sorted cost one pass */
	while (i < mid && j < n)
		tmp[k++] = natcmp(t->rows[a[j]].cells[col], t->rows[a[i]].cells[col]) < 0 ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, k * sizeof(*a));
}

void
table_sort(struct table *t, size_t col)
{
	uint32_t *order, *tmp;
	struct trow *rows;
	size_t i;

	if (col >= t->n_cols)
		return;
	t->stale = true;
	index_update(t);
	if (t->n_rows < 2)
		return;
	order = malloc(t->n_rows * sizeof(*order));
	tmp = malloc(t->n_rows * sizeof(*tmp));
	rows = malloc(t->n_rows * sizeof(*rows));
	if (order == NULL || tmp == NULL || rows == NULL)
		goto out;
	for (i = 0; i < t->n_rows; i++)
		order[i] = (uint32_t)i;
	merge_sort(t, col, order, tmp, t->n_rows);
	for (i = 0; i < t->n_rows; i++)
		rows[i] = t->rows[order[i]];
	memcpy(t->rows, rows, t->n_rows * sizeof(*rows));
	hash_rebuild(t, t->n_rows);
	t->stale = true;
out:
	free(order);
	free(tmp);
	free(rows);
}

void
table_set_filter(struct table *t, const char *text)
{
	char *filter = NULL, *needle = NULL;
	bool narrower;
	size_t i, j;

	if (text != NULL && text[0] != '\0') {
		filter = strdup(text);
		needle = strdup(text);
		if (filter == NULL || needle == NULL) {
			free(filter);
			free(needle);
			return;
		}
		for (char *p = needle; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	if ((t->needle == NULL && needle == NULL) ||
	    (t->needle != NULL && needle != NULL && strcmp(t->needle, needle) == 0)) {
		free(t->filter); /* the same rows: only the text shown may differ in case */
		t->filter = filter;
		free(needle);
		return;
	}
	/* A needle containing the old one matches a subset of the rows shown. */
	narrower = needle != NULL && (t->needle == NULL || strstr(needle, t->needle) != NULL);
	free(t->filter);
	free(t->needle);
	t->filter = filter;
	t->needle = needle;
	if (!narrower || t->stale) {
		t->stale = true;
		index_update(t);
	} else {
		for (i = j = 0; i < t->n_idx; i++)
			if (strstr(t->rows[t->idx[i]].hay, needle) != NULL)
				t->idx[j++] = t->idx[i];
		t->n_idx = j;
		cursor_place(t);
	}
	/* The row the cursor shows is now the selection: after filtering to
	 * find a row, clearing the filter stays on it. A filter that shows
	 * nothing keeps the selection it had. */
	if (t->n_idx > 0)
		anchor_set(t, t->rows[t->idx[t->cursor]].key);
}

const char *
table_filter(const struct table *t)
{
	return t->filter != NULL ? t->filter : "";
}

size_t
table_shown(const struct table *t)
{
	index_update((struct table *)t);
	return t->n_idx;
}

size_t
table_total(const struct table *t)
{
	return t->n_rows - t->n_deleted;
}

const char *
table_selected(const struct table *t)
{
	index_update((struct table *)t);
	return t->n_idx > 0 ? t->rows[t->idx[t->cursor]].key : NULL;
}

void
table_select(struct table *t, const char *key)
{
	long r;
	size_t pos;

	index_update(t);
	if ((r = row_find(t, key)) < 0 || t->rows[r].deleted)
		return;
	pos = idx_lower_bound(t, (uint32_t)r);
	if (pos < t->n_idx && t->idx[pos] == (uint32_t)r) {
		t->cursor = pos;
		anchor_set(t, key);
	}
}

const char *
table_selected_cell(const struct table *t, size_t col)
{
	index_update((struct table *)t);
	if (t->n_idx == 0 || col >= t->n_cols)
		return NULL;
	return t->rows[t->idx[t->cursor]].cells[col];
}

bool
table_key(struct table *t, int ch, int page)
{
	size_t n, step = page > 1 ? (size_t)page : 1, c;

	index_update(t);
	n = t->n_idx;
	c = t->cursor;
	switch (ch) {
	case KEY_UP:
	case 'k':
		c = c > 0 ? c - 1 : 0;
		break;
	case KEY_DOWN:
	case 'j':
		c = c + 1 < n ? c + 1 : c;
		break;
	case KEY_HOME:
	case 'g':
		c = 0;
		break;
	case KEY_END:
	case 'G':
		c = n > 0 ? n - 1 : 0;
		break;
	case KEY_PPAGE:
	case 2: /* C-b */
		c = c > step ? c - step : 0;
		t->top = t->top > step ? t->top - step : 0; /* the page scrolls with the cursor */
		break;
	case KEY_NPAGE:
	case 6: /* C-f */
		c = c + step < n ? c + step : n > 0 ? n - 1 : 0;
		t->top += step; /* table_draw() keeps it in range */
		break;
	default:
		return false;
	}
	if (n == 0)
		return true;
	t->cursor = c;
	anchor_set(t, t->rows[t->idx[c]].key);
	return true;
}

/* --- drawing ----------------------------------------------------------- */

static bool
locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* One character of s: its byte length and display width; a control, an
 * invalid sequence or (outside UTF-8) any non-ASCII byte shows as "?"
 * (replace set). */
static size_t
char_next(const char *s, bool utf8, int *width, bool *replace)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int w;

	*replace = false;
	if ((unsigned char)*s < 0x80 || !utf8) {
		*width = 1;
		*replace = (unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*width = 1;
		*replace = true;
		return 1;
	}
	w = wcwidth(wc);
	if (w < 0) {
		*width = 1;
		*replace = true;
	} else {
		*width = w;
	}
	return n;
}

static int
text_width(const char *s, bool utf8, int stop_after)
{
	int w = 0, cw;
	bool rep;

	while (*s != '\0' && w <= stop_after) {
		s += char_next(s, utf8, &cw, &rep);
		w += cw;
	}
	return w;
}

/* Appends s cut to width cells (with the ellipsis when cut) and padded
 * with spaces; returns the new end of out. */
static char *
fit(char *out, const char *s, int width, bool utf8)
{
	const char *ell = utf8 ? "\xe2\x80\xa6" : "...";
	int ell_w = utf8 ? 1 : 3, used = 0, cw, limit;
	bool rep, cut;
	size_t n;

	if (width <= 0)
		return out;
	cut = text_width(s, utf8, width) > width;
	limit = cut ? width - ell_w : width;
	if (limit < 0)
		limit = 0;
	while (*s != '\0') {
		n = char_next(s, utf8, &cw, &rep);
		if (used + cw > limit)
			break;
		if (rep) {
			*out++ = '?';
		} else {
			memcpy(out, s, n);
			out += n;
		}
		used += cw;
		s += n;
	}
	if (cut) {
		if (width >= ell_w) {
			memcpy(out, ell, strlen(ell));
			out += strlen(ell);
			used += ell_w;
		}
	}
	while (used < width) {
		*out++ = ' ';
		used++;
	}
	return out;
}

/* Column widths for w cells: every column its minimum, the spare shared
 * by the growing ones; when w is too narrow the rightmost columns shrink. */
static void
layout(const struct table *t, int w, int *widths)
{
	int sum = 0, grow = 0, spare, avail, i, n = (int)t->n_cols;

	for (i = 0; i < n; i++) {
		widths[i] = t->cols[i].min_width > 0 ? t->cols[i].min_width : 1;
		sum += widths[i];
		grow += t->cols[i].grow;
	}
	avail = w - TABLE_GAP * (n - 1);
	if (avail >= sum) {
		spare = avail - sum;
		if (grow == 0) {
			widths[n - 1] += spare;
			return;
		}
		for (i = 0; i < n && spare > 0; i++) {
			if (!t->cols[i].grow)
				continue;
			int share = (spare + grow - 1) / grow;

			widths[i] += share;
			spare -= share;
			grow--;
		}
		return;
	}
	for (i = 0; i < n; i++) { /* too narrow: fill from the left */
		if (avail <= 0) {
			widths[i] = 0;
			continue;
		}
		if (widths[i] > avail)
			widths[i] = avail;
		avail -= widths[i] + TABLE_GAP;
	}
}

static void
draw_line(struct table *t, const char *const *cells, const int *widths, int w, bool utf8)
{
	char *p = t->line;
	int used = 0;

	for (size_t i = 0; i < t->n_cols && used < w; i++) {
		if (widths[i] <= 0)
			break;
		if (i > 0) {
			for (int g = 0; g < TABLE_GAP && used < w; g++, used++)
				*p++ = ' ';
		}
		p = fit(p, cells[i], widths[i] < w - used ? widths[i] : w - used, utf8);
		used += widths[i] < w - used ? widths[i] : w - used;
	}
	while (used < w) {
		*p++ = ' ';
		used++;
	}
	*p = '\0';
}

void
table_draw(struct table *t, const struct theme *th, int y, int x, int h, int w)
{
	int widths[TABLE_MAX_COLS] = {0};
	const char *titles[TABLE_MAX_COLS];
	size_t need, i, rows_h;
	bool utf8 = locale_utf8();

	if (h <= 0 || w <= 0)
		return;
	index_update(t);
	need = (size_t)w * 4 + 16;
	if (need > t->line_cap) {
		char *p = realloc(t->line, need);

		if (p == NULL)
			return;
		t->line = p;
		t->line_cap = need;
	}
	layout(t, w, widths);
	for (i = 0; i < t->n_cols; i++)
		titles[i] = t->cols[i].title != NULL ? t->cols[i].title : "";
	draw_line(t, titles, widths, w, utf8);
	attrset(theme_attr(th, THEME_TABLE_HEADER));
	mvaddstr(y, x, t->line);

	rows_h = (size_t)(h - 1);
	if (rows_h == 0)
		goto done;
	if (t->cursor < t->top)
		t->top = t->cursor;
	if (t->cursor >= t->top + rows_h)
		t->top = t->cursor - rows_h + 1;
	if (t->n_idx > rows_h && t->top > t->n_idx - rows_h)
		t->top = t->n_idx - rows_h;
	if (t->n_idx <= rows_h)
		t->top = 0;
	for (i = 0; i < rows_h; i++) {
		size_t pos = t->top + i;
		const struct trow *r;

		if (pos >= t->n_idx)
			break;
		r = &t->rows[t->idx[pos]];
		draw_line(t, (const char *const *)r->cells, widths, w, utf8);
		attrset(theme_attr(th, pos == t->cursor ? THEME_TABLE_CURSOR : r->role));
		mvaddstr(y + 1 + (int)i, x, t->line);
	}
	if (t->n_idx == 0 && t->needle != NULL && t->n_rows > t->n_deleted) {
		char msg[300];
		char *end;

		snprintf(msg, sizeof(msg), "nothing matches \"%s\"", t->filter);
		end = fit(t->line, msg, w, utf8);
		*end = '\0';
		attrset(theme_attr(th, THEME_DIM));
		mvaddstr(y + 1, x, t->line);
	}
done:
	attrset(A_NORMAL);
}
