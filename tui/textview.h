/* tui/textview.h - a scrollable view of styled text lines: each line is a
 * few spans, each span drawn in a theme role; long lines wrap (with an
 * indent) to the width they are drawn at. JSON lines can be added token by
 * token coloured (keys, strings, numbers, punctuation). Used for the
 * wizard's preview and end screens. Knows nothing about AWS. */
#ifndef IRSA_TEXTVIEW_H
#define IRSA_TEXTVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"

struct textview;

/* NULL when out of memory. */
struct textview *textview_new(void);
void textview_free(struct textview *tv);

/* Removes every line and scrolls back to the top. */
void textview_clear(struct textview *tv);

/* Starts a new line (empty until spans are added to it). Returns 0, or -1
 * when out of memory (the view then stays as it was). */
int textview_line(struct textview *tv);

/* Appends text in role to the current line (starting one when there is
 * none). Control characters show as spaces. Returns 0 or -1. */
int textview_span(struct textview *tv, enum theme_role role, const char *text);

/* A whole line in one role, printf-style. Returns 0 or -1. */
int textview_printf(struct textview *tv, enum theme_role role, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Appends a line of JSON text, coloured: object keys THEME_JSON_KEY, other
 * strings THEME_JSON_STRING, numbers, true, false and null
 * THEME_JSON_NUMBER, punctuation THEME_JSON_PUNCT, white space THEME_BODY.
 * prefix (may be NULL) goes first in prefix_role. Returns 0 or -1. */
int textview_json_line(struct textview *tv, const char *prefix, enum theme_role prefix_role, const char *json);

/* Number of lines added. */
size_t textview_count(const struct textview *tv);

/* Scrolling: arrows, j/k, g/G (Home/End), PgUp/PgDn, C-b/C-f. Returns true
 * when ch was one of them. page: the rows visible. */
bool textview_key(struct textview *tv, int ch, int page);

/* Scrolls so that line i is at the top (at the next draw). */
void textview_scroll_to(struct textview *tv, size_t line);

/* Draws the rows that fit in h lines at (y, x), w wide, wrapping long
 * lines with a 4-column indent; a "[n%]" marker in the last column when
 * there is more than fits. */
void textview_draw(struct textview *tv, const struct theme *th, int y, int x, int h, int w);

/* The next character of s: returns its length in bytes and sets *cells to
 * its width on screen (1 for bytes that are not a character). */
size_t textview_char(const char *s, int *cells);

#endif
