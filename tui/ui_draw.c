/* tui/ui_draw.c - what the frame draws around the screens: the title line
 * (`irsa  crumb > crumb   name[shown/total] </filter>`), the flash line
 * (or the `/` and `:` prompts in its place), the hint bar made from the
 * top screen's bindings and the global keys, the `?` help overlay made
 * from the same tables, the confirmation dialog, and the "terminal too
 * small" notice. Mutating bindings are left out in read-only mode. Layout:
 * line 0 the title, lines 1..LINES-3 the screen, LINES-2 the flash line,
 * LINES-1 the hints. */
#include "config.h"

#include "ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "term.h"

/* The frame's own keys: the hint bar, the help and docs read this table;
 * ui.c dispatches them. */
static const struct ui_binding frame_keys[] = {
        {'/', "/", "filter", true, false},
        {':', ":", "command", true, false},
        {'?', "?", "help", true, false},
        {'@', "@", "action log", false, false},
        {UI_KEY_ESC, "Esc", "back", true, false},
        {'q', "q", "quit", true, false},
        {0, NULL, NULL, false, false},
};

static const struct {
	const char *keys;
	const char *help;
} nav_keys[] = {
        {"Up Down j k", "move"},
        {"PgUp PgDn C-b C-f", "a page up or down"},
        {"g G Home End", "first, last"},
        {"C-l", "redraw the screen"},
};

size_t
ui_text_fit(const char *s, int max_cells, int *cells)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, used = 0;
	int w = 0, cw;

	memset(&st, 0, sizeof(st));
	while (s[used] != '\0') {
		if ((unsigned char)s[used] < 0x80) {
			n = 1;
			cw = 1;
		} else {
			n = mbrtowc(&wc, s + used, MB_CUR_MAX, &st);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&st, 0, sizeof(st));
				n = 1;
				cw = 1;
			} else {
				cw = wcwidth(wc);
				if (cw < 0)
					cw = 1;
			}
		}
		if (w + cw > max_cells)
			break;
		w += cw;
		used += n;
	}
	if (cells != NULL)
		*cells = w;
	return used;
}

/* Writes s at (y, *x) with attr, cut at column maxx; advances *x. */
static void
put(int y, int *x, int maxx, attr_t attr, const char *s)
{
	int cells;
	size_t n;

	if (*x >= maxx)
		return;
	n = ui_text_fit(s, maxx - *x, &cells);
	attrset(attr);
	mvaddnstr(y, *x, s, (int)n);
	*x += cells;
}

static attr_t
role(const struct ui *ui, enum theme_role r)
{
	return theme_attr(ui->theme, r);
}

static void
fill_line(const struct ui *ui, int y, enum theme_role r)
{
	attrset(role(ui, r));
	mvhline(y, 0, ' ', COLS);
}

/* --- the title line ---------------------------------------------------- */

static void
draw_title(struct ui *ui)
{
	struct frame_screen *top = ui_top(ui);
	char crumbs[1024], tail[512], counts[64] = "";
	const char *last = NULL, *ell = ui->utf8 ? "\xe2\x80\xa6" : "...";
	size_t len = 0, shown = 0, total = 0;
	int x = 0, maxx = COLS, i, tail_w, ro_w = 0;

	fill_line(ui, 0, THEME_BODY);
	crumbs[0] = '\0';
	for (i = 0; i < ui->depth; i++) {
		const char *c = ui->stack[i]->s.crumb;

		if (c[0] == '\0')
			continue;
		if (last != NULL)
			len += (size_t)snprintf(crumbs + len, sizeof(crumbs) - len, "%s > ", last);
		if (len >= sizeof(crumbs))
			len = sizeof(crumbs) - 1;
		last = c;
	}
	if (top->s.ops->counts != NULL) {
		top->s.ops->counts(&top->s, &shown, &total);
		snprintf(counts, sizeof(counts), "[%zu/%zu]", shown, total);
	}
	snprintf(tail, sizeof(tail), "%s%s", top->s.ops->name, counts);
	ui_text_fit(tail, COLS, &tail_w);
	if (ui->read_only)
		ro_w = 11; /* " read-only " at the right */
	put(0, &x, maxx, role(ui, THEME_TITLE), "irsa  ");
	if (last != NULL) {
		/* The crumbs give way first: cut from the left. */
		int room = maxx - x - 3 - tail_w - ro_w, pw, lw;
		const char *c = crumbs;

		ui_text_fit(crumbs, 4096, &pw);
		ui_text_fit(last, 4096, &lw);
		if (pw + lw > room) {
			put(0, &x, maxx, role(ui, THEME_CRUMB), ell);
			while (*c != '\0' && (ui_text_fit(c, 4096, &pw), pw) > room - lw - 1)
				do
					c++;
				while (((unsigned char)*c & 0xc0) == 0x80);
		}
		put(0, &x, maxx, role(ui, THEME_CRUMB), c);
		put(0, &x, maxx, role(ui, THEME_CRUMB_ACTIVE), last);
		put(0, &x, maxx, role(ui, THEME_BODY), "   ");
	}
	put(0, &x, maxx - ro_w, role(ui, THEME_TITLE), top->s.ops->name);
	put(0, &x, maxx - ro_w, role(ui, THEME_TITLE), counts);
	if (top->filter[0] != '\0') {
		put(0, &x, maxx - ro_w, role(ui, THEME_BODY), " </");
		put(0, &x, maxx - ro_w, role(ui, THEME_TITLE), top->filter);
		put(0, &x, maxx - ro_w, role(ui, THEME_BODY), ">");
	}
	if (ui->read_only) {
		x = COLS - ro_w + 1;
		put(0, &x, maxx, role(ui, THEME_STATUS_WARN), "read-only");
	}
}

/* --- the flash line and the prompts ------------------------------------ */

static void
draw_flash(struct ui *ui)
{
	int y = LINES - 2, x = 0;
	enum theme_role r;

	fill_line(ui, y, THEME_BODY);
	if (ui->prompt != UI_PROMPT_NONE) {
		put(y, &x, COLS, role(ui, THEME_HINT_KEY), ui->prompt == UI_PROMPT_FILTER ? "/" : ":");
		put(y, &x, COLS - 1, role(ui, THEME_BODY), ui->input);
		return;
	}
	if (!ui->flash_on)
		return;
	r = ui->flash_level == UI_FLASH_ERROR  ? THEME_FLASH_ERROR
	    : ui->flash_level == UI_FLASH_WARN ? THEME_FLASH_WARN
	                                       : THEME_FLASH_INFO;
	put(y, &x, COLS, role(ui, r), ui->flash);
}

/* --- the hint bar ------------------------------------------------------ */

static bool
shown_binding(const struct ui *ui, const struct ui_binding *b)
{
	return !(b->mutating && ui->read_only);
}

static bool
global_applies(const struct ui *ui, const struct frame_screen *top, const struct ui_binding *b)
{
	if (b->key == '/' && top->s.ops->filter == NULL)
		return false;
	if (b->key == UI_KEY_ESC && ui->depth < 2 && top->filter[0] == '\0')
		return false;
	return true;
}

static void
hint(const struct ui *ui, int y, int *x, const struct ui_binding *b)
{
	int need, kw, hw;

	ui_text_fit(b->name, COLS, &kw);
	ui_text_fit(b->help, COLS, &hw);
	need = kw + 1 + hw + 2;
	if (*x + need > COLS)
		return;
	put(y, x, COLS, role(ui, THEME_HINT_KEY), b->name);
	put(y, x, COLS, role(ui, THEME_HINT_TEXT), " ");
	put(y, x, COLS, role(ui, THEME_HINT_TEXT), b->help);
	put(y, x, COLS, role(ui, THEME_HINT_TEXT), "  ");
}

static void
draw_hints(struct ui *ui)
{
	struct frame_screen *top = ui_top(ui);
	int y = LINES - 1, x = 0;

	fill_line(ui, y, THEME_HINT_TEXT);
	if (ui->prompt == UI_PROMPT_FILTER) {
		static const struct ui_binding keys[] = {{0, "Enter", "keep", true, false},
		                                         {0, "Esc", "clear", true, false},
		                                         {0, "Up/Down", "move", true, false}};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			hint(ui, y, &x, &keys[i]);
		return;
	}
	if (ui->prompt == UI_PROMPT_COMMAND) {
		static const struct ui_binding keys[] = {
		        {0, "Enter", "run", true, false},       {0, "Esc", "cancel", true, false},
		        {0, "Up/Down", "history", true, false}, {0, "ns NAME", "", true, false},
		        {0, "ctx NAME", "", true, false},       {0, "sa", "", true, false},
		        {0, "clusters", "", true, false},       {0, "q", "", true, false}};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			hint(ui, y, &x, &keys[i]);
		return;
	}
	for (const struct ui_binding *b = top->s.ops->bindings; b != NULL && b->name != NULL; b++)
		if (b->hint && shown_binding(ui, b))
			hint(ui, y, &x, b);
	for (const struct ui_binding *b = frame_keys; b->name != NULL; b++)
		if (b->hint && global_applies(ui, top, b))
			hint(ui, y, &x, b);
}

/* --- the help overlay -------------------------------------------------- */

struct help_line {
	const char *key; /* NULL: a heading in text */
	const char *text;
};

/* Builds the lines into out (up to max); returns how many there are. */
static int
help_build(const struct ui *ui, struct help_line *out, int max)
{
	const struct frame_screen *top = ui_top(ui);
	const char *help;
	int n = 0;

#define ADD(k, t)                                                                                                      \
	do {                                                                                                           \
		if (n < max)                                                                                           \
			out[n] = (struct help_line){(k), (t)};                                                         \
		n++;                                                                                                   \
	} while (0)
	ADD(NULL, top->s.ops->name);
	for (const struct ui_binding *b = top->s.ops->bindings; b != NULL && b->name != NULL; b++)
		if (shown_binding(ui, b))
			ADD(b->name, b->help);
	ADD("", "");
	ADD(NULL, "Everywhere");
	for (const struct ui_binding *b = frame_keys; b->name != NULL; b++)
		if (global_applies(ui, top, b) || b->key == UI_KEY_ESC)
			ADD(b->name, b->key == UI_KEY_ESC ? "back one level (first clears the filter)" : b->help);
	ADD("", "");
	ADD(NULL, "Lists");
	for (size_t i = 0; i < sizeof(nav_keys) / sizeof(nav_keys[0]); i++)
		ADD(nav_keys[i].keys, nav_keys[i].help);
	ADD("", "");
	ADD(NULL, "Commands (after :)");
	for (size_t i = 0; ui_command_usage(i, &help) != NULL; i++)
		ADD(ui_command_usage(i, &help), help);
	if (ui->read_only) {
		ADD("", "");
		ADD(NULL, "Read-only mode: keys that change AWS or Kubernetes are off");
	}
#undef ADD
	return n;
}

int
ui_help_lines(const struct ui *ui)
{
	return help_build(ui, NULL, 0);
}

static void
box_at(const struct ui *ui, int y, int x, int h, int w, enum theme_role r)
{
	attr_t a = role(ui, r);

	attrset(a);
	for (int i = 0; i < h; i++)
		mvhline(y + i, x, ' ', w);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
}

static void
draw_help(struct ui *ui)
{
	struct help_line lines[128];
	int n = help_build(ui, lines, 128), w = COLS - 8, h, y0, x0, keyw = 0, kw, i, x;
	char title[64];

	if (n > 128)
		n = 128;
	if (w > 78)
		w = 78;
	h = n + 4 < LINES - 2 ? n + 4 : LINES - 2;
	y0 = (LINES - h) / 2;
	x0 = (COLS - w) / 2;
	for (i = 0; i < n; i++)
		if (lines[i].key != NULL && (ui_text_fit(lines[i].key, w, &kw), kw) > keyw)
			keyw = kw;
	if (keyw > 20)
		keyw = 20;
	box_at(ui, y0, x0, h, w, THEME_DIALOG);
	snprintf(title, sizeof(title), " Help: %s ", ui_top(ui)->s.ops->name);
	x = x0 + 2;
	put(y0, &x, x0 + w - 2, role(ui, THEME_TITLE), title);
	if (ui->help_top > n - (h - 4))
		ui->help_top = n - (h - 4) > 0 ? n - (h - 4) : 0;
	for (i = 0; i < h - 4 && ui->help_top + i < n; i++) {
		const struct help_line *l = &lines[ui->help_top + i];
		int y = y0 + 2 + i;

		x = x0 + 2;
		if (l->key == NULL) {
			put(y, &x, x0 + w - 2, role(ui, THEME_TABLE_HEADER), l->text);
			continue;
		}
		put(y, &x, x0 + w - 2, role(ui, THEME_HINT_KEY), l->key);
		x = x0 + 4 + keyw;
		put(y, &x, x0 + w - 2, role(ui, THEME_DIALOG), l->text);
	}
	x = x0 + 2;
	put(y0 + h - 1, &x, x0 + w - 2, role(ui, THEME_DIALOG),
	    n > h - 4 ? " j/k scroll, any other key closes " : " any key closes ");
}

/* --- the confirmation dialog ------------------------------------------- */

/* The next line of text that fits in width cells, broken at a space when
 * one is near; returns its length and advances *p past it. */
static size_t
wrap_next(const char **p, int width)
{
	const char *s = *p;
	size_t n = ui_text_fit(s, width, NULL), cut = n;

	if (s[n] != '\0') {
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = n;
	}
	*p = s + cut;
	while (**p == ' ')
		(*p)++;
	return cut;
}

static void
draw_dialog(struct ui *ui)
{
	const char *q = ui->dialog_question != NULL ? ui->dialog_question : "";
	const char *p;
	int w = COLS - 10, h, y0, x0, n = 0, i, x;
	char buf[512];
	size_t len;

	if (w > 70)
		w = 70;
	for (p = q; *p != '\0' && n < LINES - 8; n++)
		wrap_next(&p, w - 4);
	h = n + 6;
	y0 = (LINES - h) / 2;
	x0 = (COLS - w) / 2;
	box_at(ui, y0, x0, h, w, THEME_DIALOG);
	x = x0 + 2;
	snprintf(buf, sizeof(buf), " %s ", ui->dialog_title != NULL ? ui->dialog_title : "Confirm");
	put(y0, &x, x0 + w - 2, role(ui, THEME_TITLE), buf);
	for (p = q, i = 0; i < n; i++) {
		const char *start = p;

		len = wrap_next(&p, w - 4);
		snprintf(buf, sizeof(buf), "%.*s", (int)len, start);
		x = x0 + 2;
		put(y0 + 2 + i, &x, x0 + w - 2, role(ui, THEME_DIALOG), buf);
	}
	/* Cancel first and focused at the start (ncdu, k9s). */
	x = x0 + (w - 22) / 2;
	put(y0 + h - 2, &x, x0 + w - 2, role(ui, ui->dialog_focus == 0 ? THEME_BUTTON_FOCUS : THEME_BUTTON),
	    "[ Cancel ]");
	x += 4;
	put(y0 + h - 2, &x, x0 + w - 2, role(ui, ui->dialog_focus == 1 ? THEME_BUTTON_FOCUS : THEME_BUTTON), "[ Yes ]");
	x = x0 + 2;
	put(y0 + h - 1, &x, x0 + w - 2, role(ui, THEME_DIALOG), " y yes  n/Esc cancel  Tab move ");
}

/* --- the whole screen -------------------------------------------------- */

static void
draw_too_small(struct ui *ui)
{
	char msg[128];
	int x, y = LINES / 2 - 1;

	snprintf(msg, sizeof(msg), "terminal too small (need %dx%d, have %dx%d)", UI_MIN_COLS, UI_MIN_LINES, COLS,
	         LINES);
	if (y < 0)
		y = 0;
	x = (COLS - (int)strlen(msg)) / 2;
	if (x < 0)
		x = 0;
	put(y, &x, COLS, role(ui, THEME_FLASH_WARN), msg);
	x = (COLS - 31) / 2;
	if (x < 0)
		x = 0;
	if (y + 1 < LINES)
		put(y + 1, &x, COLS, role(ui, THEME_BODY), "resize it, or press q to quit");
}

void
ui_draw(struct ui *ui)
{
	struct frame_screen *top = ui_top(ui);

	ui->dirty = false;
	bkgdset(' ' | role(ui, THEME_BODY));
	erase();
	if (top == NULL) {
		refresh();
		return;
	}
	if (ui_too_small()) {
		term_cursor(false);
		draw_too_small(ui);
		attrset(A_NORMAL);
		refresh();
		return;
	}
	attrset(role(ui, THEME_BODY));
	if (top->s.ops->draw != NULL)
		top->s.ops->draw(&top->s, 1, 0, LINES - 3, COLS);
	attrset(A_NORMAL);
	draw_title(ui);
	draw_flash(ui);
	draw_hints(ui);
	if (ui->help)
		draw_help(ui);
	if (ui->dialog)
		draw_dialog(ui);
	attrset(A_NORMAL);
	if (ui->prompt != UI_PROMPT_NONE && !ui->dialog) {
		int cells;

		ui_text_fit(ui->input, COLS - 2, &cells);
		move(LINES - 2, 1 + cells);
		term_cursor(true);
	} else {
		term_cursor(false);
	}
	refresh();
}
