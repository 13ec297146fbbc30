/* tui/textview.c - scrollable styled text (textview.h). Lines are kept as
 * spans; wrapping is worked out at draw time for the width given, so a
 * resize re-wraps. The scroll position is a wrapped row. Widths are
 * display cells (mbrtowc + wcwidth), so UTF-8 text wraps where it shows.
 * Knows nothing about AWS. */
#include "config.h"

#include "textview.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define WRAP_INDENT 4

struct span {
	enum theme_role role;
	char *text;
};

struct tvline {
	struct span *spans;
	size_t n;
};

struct textview {
	struct tvline *lines;
	size_t n, cap;
	size_t top;       /* the first wrapped row shown */
	size_t want_line; /* textview_scroll_to(): a line to put on top at the next draw */
	bool want;
	size_t last_rows; /* wrapped rows at the last draw */
	int last_h;       /* rows visible at the last draw */
};

struct textview *
textview_new(void)
{
	return calloc(1, sizeof(struct textview));
}

static void
line_release(struct tvline *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->spans[i].text);
	free(l->spans);
	l->spans = NULL;
	l->n = 0;
}

void
textview_clear(struct textview *tv)
{
	for (size_t i = 0; i < tv->n; i++)
		line_release(&tv->lines[i]);
	tv->n = 0;
	tv->top = 0;
	tv->want = false;
}

void
textview_free(struct textview *tv)
{
	if (tv == NULL)
		return;
	textview_clear(tv);
	free(tv->lines);
	free(tv);
}

int
textview_line(struct textview *tv)
{
	if (tv->n == tv->cap) {
		size_t cap = tv->cap ? tv->cap * 2 : 64;
		struct tvline *p = realloc(tv->lines, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		tv->lines = p;
		tv->cap = cap;
	}
	tv->lines[tv->n].spans = NULL;
	tv->lines[tv->n].n = 0;
	tv->n++;
	return 0;
}

int
textview_span(struct textview *tv, enum theme_role role, const char *text)
{
	struct tvline *l;
	struct span *p;
	char *t;

	if (tv->n == 0 && textview_line(tv) != 0)
		return -1;
	if (text == NULL || *text == '\0')
		return 0;
	l = &tv->lines[tv->n - 1];
	if ((t = strdup(text)) == NULL)
		return -1;
	for (char *c = t; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	if ((p = realloc(l->spans, (l->n + 1) * sizeof(*p))) == NULL) {
		free(t);
		return -1;
	}
	l->spans = p;
	p[l->n].role = role;
	p[l->n].text = t;
	l->n++;
	return 0;
}

int
textview_printf(struct textview *tv, enum theme_role role, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (textview_line(tv) != 0)
		return -1;
	return textview_span(tv, role, buf);
}

/* Appends s[0..n) in role. */
static int
span_n(struct textview *tv, enum theme_role role, const char *s, size_t n)
{
	char buf[1024];
	int rc = 0;

	while (n > 0 && rc == 0) {
		size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;

		memcpy(buf, s, k);
		buf[k] = '\0';
		rc = textview_span(tv, role, buf);
		s += k;
		n -= k;
	}
	return rc;
}

int
textview_json_line(struct textview *tv, const char *prefix, enum theme_role prefix_role, const char *json)
{
	const char *p = json;

	if (textview_line(tv) != 0)
		return -1;
	if (prefix != NULL && textview_span(tv, prefix_role, prefix) != 0)
		return -1;
	while (*p != '\0') {
		const char *start = p;
		enum theme_role role;

		if (isspace((unsigned char)*p)) {
			while (isspace((unsigned char)*p))
				p++;
			role = THEME_BODY;
		} else if (*p == '"') {
			const char *q;

			for (p++; *p != '\0' && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '"')
				p++;
			for (q = p; *q == ' '; q++)
				;
			role = *q == ':' ? THEME_JSON_KEY : THEME_JSON_STRING;
		} else if (isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '+') {
			while (isalnum((unsigned char)*p) || *p == '-' || *p == '.' || *p == '+')
				p++;
			role = THEME_JSON_NUMBER;
		} else {
			p++;
			role = THEME_JSON_PUNCT;
		}
		if (span_n(tv, role, start, (size_t)(p - start)) != 0)
			return -1;
	}
	return 0;
}

size_t
textview_count(const struct textview *tv)
{
	return tv->n;
}

size_t
textview_char(const char *s, int *cells)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;
	int cw;

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cells = 1;
		return 1;
	}
	cw = wcwidth(wc);
	*cells = cw < 0 ? 1 : cw;
	return n;
}

/* Wrapped rows line l takes at width w. */
static size_t
line_rows(const struct tvline *l, int w)
{
	size_t rows = 1;
	int col = 0;

	if (w <= WRAP_INDENT + 1)
		return 1;
	for (size_t i = 0; i < l->n; i++) {
		for (const char *s = l->spans[i].text; *s != '\0';) {
			int cw;
			size_t n = textview_char(s, &cw);

			if (col + cw > w) {
				rows++;
				col = WRAP_INDENT;
			}
			col += cw;
			s += n;
		}
	}
	return rows;
}

/* Draws wrapped row `skip` onwards of line l from screen row y; at most
 * max rows. Returns the rows drawn. */
static int
line_draw(const struct tvline *l, const struct theme *th, int y, int x, int w, size_t skip, int max)
{
	size_t row = 0;
	int col = 0, drawn = 0;

	if (max <= 0)
		return 0;
	if (skip == 0)
		move(y, x);
	for (size_t i = 0; i < l->n; i++) {
		attrset(theme_attr(th, l->spans[i].role));
		for (const char *s = l->spans[i].text; *s != '\0';) {
			int cw;
			size_t n = textview_char(s, &cw);

			if (w > WRAP_INDENT + 1 && col + cw > w) {
				row++;
				col = WRAP_INDENT;
				if (row >= skip) {
					if ((int)(row - skip) >= max)
						goto out;
					move(y + (int)(row - skip), x + WRAP_INDENT);
				}
			}
			if (row >= skip && col + cw <= w)
				addnstr(s, (int)n);
			col += cw;
			s += n;
		}
	}
out:
	attrset(A_NORMAL);
	drawn = (int)(row - skip) + 1;
	return drawn < max ? drawn : max;
}

void
textview_scroll_to(struct textview *tv, size_t line)
{
	tv->want = true;
	tv->want_line = line;
}

bool
textview_key(struct textview *tv, int ch, int page)
{
	size_t step = page > 1 ? (size_t)page - 1 : 1;

	switch (ch) {
	case KEY_UP:
	case 'k':
		tv->top = tv->top > 0 ? tv->top - 1 : 0;
		break;
	case KEY_DOWN:
	case 'j':
		tv->top++;
		break;
	case KEY_HOME:
	case 'g':
		tv->top = 0;
		break;
	case KEY_END:
	case 'G':
		tv->top = (size_t)-1 / 2;
		break;
	case KEY_PPAGE:
	case 2: /* C-b */
		tv->top = tv->top > step ? tv->top - step : 0;
		break;
	case KEY_NPAGE:
	case 6: /* C-f */
		tv->top += step;
		break;
	default:
		return false;
	}
	tv->want = false;
	return true;
}

void
textview_draw(struct textview *tv, const struct theme *th, int y, int x, int h, int w)
{
	size_t total = 0, row = 0, i;
	int out = 0;

	if (h <= 0 || w <= 0)
		return;
	for (i = 0; i < tv->n; i++) {
		if (tv->want && i == tv->want_line)
			tv->top = total;
		total += line_rows(&tv->lines[i], w);
	}
	tv->want = false;
	if (total <= (size_t)h)
		tv->top = 0;
	else if (tv->top > total - (size_t)h)
		tv->top = total - (size_t)h;
	tv->last_rows = total;
	tv->last_h = h;
	for (i = 0; i < tv->n && out < h; i++) {
		size_t rows = line_rows(&tv->lines[i], w);

		if (row + rows <= tv->top) {
			row += rows;
			continue;
		}
		out += line_draw(&tv->lines[i], th, y + out, x, w, row < tv->top ? tv->top - row : 0, h - out);
		row += rows;
	}
	if (total > (size_t)h) {
		char mark[16];
		int pct = (int)((tv->top + (size_t)h) * 100 / total);

		snprintf(mark, sizeof(mark), "[%d%%]", pct);
		attrset(theme_attr(th, THEME_DIM));
		mvaddstr(y + h - 1, x + w - (int)strlen(mark), mark);
		attrset(A_NORMAL);
	}
}
