/* tui/output.c - text tables, JSON and error lines for the headless
 * commands (see output.h). Owns the table's copied cells. Widths are
 * display columns (UTF-8 through the C library's locale), so a description
 * with "é" or "—" lines up. No curses here. */
#include "config.h"

#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#define MIN_COLUMN 6 /* a cut column keeps at least this many display columns */
#define ELLIPSIS   "\xe2\x80\xa6"

struct output_table {
	size_t n_cols;
	const char *const *headers;
	char **cells; /* n_rows * n_cols, row after row */
	size_t n_rows, cap_rows;
};

struct output_table *
output_table_new(size_t n, const char *const *headers)
{
	struct output_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->n_cols = n;
	t->headers = headers;
	return t;
}

/* A copy of s with control characters made spaces (a newline in an AWS
 * description must not break the table, nor an escape reach the terminal). */
static char *
cell_dup(const char *s)
{
	char *d = strdup(s != NULL ? s : OUTPUT_NONE);
	unsigned char *p;

	for (p = (unsigned char *)d; p != NULL && *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return d;
}

int
output_table_add(struct output_table *t, const char *const *cells)
{
	char **v;
	size_t i, cap;

	if (t->n_rows == t->cap_rows) {
		cap = t->cap_rows > 0 ? t->cap_rows * 2 : 16;
		v = realloc(t->cells, cap * t->n_cols * sizeof(*v));
		if (v == NULL)
			return -1;
		t->cells = v;
		t->cap_rows = cap;
	}
	v = t->cells + t->n_rows * t->n_cols;
	for (i = 0; i < t->n_cols; i++) {
		if ((v[i] = cell_dup(cells[i])) == NULL) {
			while (i-- > 0)
				free(v[i]);
			return -1;
		}
	}
	t->n_rows++;
	return 0;
}

void
output_table_free(struct output_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n_rows * t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

/* The display width of s. *cut is set to the byte length of its longest
 * prefix that fits in max columns, and *cut_w to that prefix's width. A
 * byte that is not valid in the locale counts as one column. */
static size_t
text_width(const char *s, size_t max, size_t *cut, size_t *cut_w)
{
	mbstate_t st;
	size_t w = 0, i = 0, len = strlen(s), n;
	bool fits = true;
	wchar_t wc;
	int cw;

	memset(&st, 0, sizeof(st));
	*cut = len;
	*cut_w = 0;
	while (i < len) {
		n = mbrtowc(&wc, s + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			cw = 1;
		} else if ((cw = wcwidth(wc)) < 0) {
			cw = 1;
		}
		if (fits && w + (size_t)cw > max) {
			fits = false;
			*cut = i;
			*cut_w = w;
		}
		w += (size_t)cw;
		i += n;
	}
	if (fits)
		*cut_w = w;
	return w;
}

static const char *
cell(const struct output_table *t, size_t row, size_t col)
{
	return row == 0 ? t->headers[col] : t->cells[(row - 1) * t->n_cols + col];
}

/* The terminal's width when out is a terminal, else 0 (never cut). */
static size_t
terminal_width(FILE *out)
{
	struct winsize ws;

	if (!isatty(fileno(out)) || ioctl(fileno(out), TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
		return 0;
	return ws.ws_col;
}

/* Narrows the widest columns, one display column at a time, until the
 * table fits in width (or every column is at its minimum). */
static void
fit_columns(size_t *w, const size_t *min, size_t n, size_t width)
{
	size_t total = 0, i, widest;

	for (i = 0; i < n; i++)
		total += w[i] + (i > 0 ? 2 : 0);
	while (total > width) {
		widest = n;
		for (i = 0; i < n; i++)
			if (w[i] > min[i] && (widest == n || w[i] > w[widest]))
				widest = i;
		if (widest == n)
			break;
		w[widest]--;
		total--;
	}
}

void
output_table_print(const struct output_table *t, const struct cli *cli, const char *none)
{
	size_t *w, *min, row, col, cw, cut, cut_w, width, pad, first = t->headers != NULL ? 0 : 1;
	const char *s;

	if (t->n_rows == 0) {
		fprintf(cli->err, "%s\n", none);
		return;
	}
	w = calloc(t->n_cols, sizeof(*w));
	min = calloc(t->n_cols, sizeof(*min));
	if (w == NULL || min == NULL) {
		free(w);
		free(min);
		return;
	}
	for (row = first; row <= t->n_rows; row++)
		for (col = 0; col < t->n_cols; col++)
			if ((cw = text_width(cell(t, row, col), (size_t)-1, &cut, &cut_w)) > w[col])
				w[col] = cw;
	for (col = 0; col < t->n_cols; col++)
		min[col] = w[col] < MIN_COLUMN ? w[col] : MIN_COLUMN;
	if ((width = terminal_width(cli->out)) > 0)
		fit_columns(w, min, t->n_cols, width);

	for (row = first; row <= t->n_rows; row++) {
		if (row == 0 && cli->color)
			fputs("\033[1m", cli->out);
		for (col = 0; col < t->n_cols; col++) {
			s = cell(t, row, col);
			cw = text_width(s, w[col] > 0 ? w[col] - 1 : 0, &cut, &cut_w);
			if (cw > w[col]) { /* cut: what fits in one column less, then "…" */
				fwrite(s, 1, cut, cli->out);
				fputs(ELLIPSIS, cli->out);
				cw = cut_w + 1;
			} else {
				fputs(s, cli->out);
			}
			if (col + 1 < t->n_cols)
				for (pad = cw; pad < w[col] + 2; pad++)
					fputc(' ', cli->out);
		}
		if (row == 0 && cli->color)
			fputs("\033[0m", cli->out);
		fputc('\n', cli->out);
	}
	free(w);
	free(min);
}

bool
output_is_json(const struct cli *cli)
{
	return cli->output != NULL && strcmp(cli->output, "json") == 0;
}

void
output_json_add(json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, value != NULL ? json_object_new_string(value) : NULL);
}

void
output_json_print(const struct cli *cli, json_object *v)
{
	if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0) {
		fputs("[]\n", cli->out);
		return;
	}
	fprintf(cli->out, "%s\n",
	        json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
}

void
output_error_line(const struct cli *cli, const struct irsa_error *err)
{
	char line[1024];

	irsa_error_format(err, line, sizeof(line));
	fprintf(cli->err, "irsa: %s\n", line);
}

/* Core's hints are sentence fragments ("check the secret access key: ...");
 * on a line of their own they read as a sentence. */
void
output_hint(const struct cli *cli, const struct irsa_error *err)
{
	const char *h = err->hint;
	size_t n = strlen(h);

	if (n > 0)
		fprintf(cli->err, "%c%s%s\n", h[0] >= 'a' && h[0] <= 'z' ? h[0] - 'a' + 'A' : h[0], h + 1,
		        h[n - 1] == '.' ? "" : ".");
	else
		fputs("Run the command again with --debug to see each request and answer.\n", cli->err);
}

int
output_error(const struct cli *cli, const struct irsa_error *err)
{
	output_error_line(cli, err);
	output_hint(cli, err);
	return EXIT_FAILURE_RUN;
}
