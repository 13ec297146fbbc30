/* tui/theme.c - themes: reads the YAML theme files (name, inherits,
 * palette, roles, mono), resolves colours for the terminal at hand (xterm
 * 256, 8 basic colours, or none) and hands the screens one attr_t per role.
 *
 * Loading is strict, like k9s's skin schema: every mistake is an error
 * "FILE:LINE: what is wrong" so a user editing a theme sees where. Only
 * theme_start() and theme_attr() touch curses; loading, checking and
 * theme_resolve() work without a terminal (irsa themes --check).
 *
 * Palette names bind late: a theme that inherits another and redefines
 * `accent` recolours every role of the parent that uses `accent`. A role
 * given in a file replaces the inherited one whole (fg and bg default to
 * the terminal's colours, attrs to none). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "buf.h"
#include "editdist.h"
#include "theme.h"

#define THEME_FILE_MAX    (256 * 1024) /* a theme file larger than this is a mistake */
#define THEME_DEPTH_MAX   8            /* inherits levels */
#define THEME_PALETTE_MAX 64
#define THEME_NAME_MAX    64 /* bytes of a theme or palette name, with the NUL */

#ifndef A_ITALIC
#define A_ITALIC A_NORMAL
#endif

/* A colour as written: not yet fitted to a terminal. */
enum colour_kind {
	COLOUR_DEFAULT, /* the terminal's own foreground or background */
	COLOUR_INDEX,   /* 0-255: ANSI 0-15 by name, or the xterm-256 number */
	COLOUR_RGB,     /* "#rrggbb" */
	COLOUR_PALETTE, /* a palette name, looked up when the theme is drawn */
};

struct colour {
	enum colour_kind kind;
	int index;
	unsigned char rgb[3];
	char ref[THEME_NAME_MAX];
};

struct style {
	struct colour fg, bg;
	attr_t attrs;
};

struct palette_entry {
	char name[THEME_NAME_MAX];
	struct colour colour; /* never COLOUR_PALETTE */
};

struct theme {
	char name[THEME_NAME_MAX];
	char *file; /* NULL for the built-in base */
	struct palette_entry palette[THEME_PALETTE_MAX];
	size_t n_palette;
	struct style roles[THEME_N_ROLES];
	attr_t mono[THEME_N_ROLES];
	attr_t drawn[THEME_N_ROLES]; /* set by theme_start() */
	bool started;
};

static const char *const role_names[THEME_N_ROLES] = {
        [THEME_BODY] = "body",
        [THEME_TITLE] = "title",
        [THEME_CRUMB] = "crumbs",
        [THEME_CRUMB_ACTIVE] = "crumbs.active",
        [THEME_TABLE_HEADER] = "table.header",
        [THEME_TABLE_CURSOR] = "table.cursor",
        [THEME_TABLE_MARKED] = "table.marked",
        [THEME_HINT_KEY] = "hint.key",
        [THEME_HINT_TEXT] = "hint.text",
        [THEME_STATUS_OK] = "status.ok",
        [THEME_STATUS_WARN] = "status.warn",
        [THEME_STATUS_ERROR] = "status.error",
        [THEME_FLASH_INFO] = "flash.info",
        [THEME_FLASH_WARN] = "flash.warn",
        [THEME_FLASH_ERROR] = "flash.error",
        [THEME_DIALOG] = "dialog",
        [THEME_BUTTON] = "button",
        [THEME_BUTTON_FOCUS] = "button.focus",
        [THEME_JSON_KEY] = "json.key",
        [THEME_JSON_STRING] = "json.string",
        [THEME_JSON_NUMBER] = "json.number",
        [THEME_JSON_PUNCT] = "json.punct",
        [THEME_DIFF_ADD] = "diff.add",
        [THEME_DIFF_REMOVE] = "diff.remove",
        [THEME_DIM] = "dim",
};

/* The built-in base ("plain"): no colours, and attributes that keep every
 * role legible without them (ncdu's OFF variant, lxdialog's mono theme).
 * Both a file's roles and its mono section start from these. */
static const attr_t base_attrs[THEME_N_ROLES] = {
        [THEME_TITLE] = A_BOLD,
        [THEME_CRUMB_ACTIVE] = A_BOLD | A_UNDERLINE,
        [THEME_TABLE_HEADER] = A_BOLD | A_UNDERLINE,
        [THEME_TABLE_CURSOR] = A_REVERSE,
        [THEME_TABLE_MARKED] = A_BOLD,
        [THEME_HINT_KEY] = A_REVERSE,
        [THEME_STATUS_WARN] = A_BOLD,
        [THEME_STATUS_ERROR] = A_BOLD | A_UNDERLINE,
        [THEME_FLASH_WARN] = A_BOLD,
        [THEME_FLASH_ERROR] = A_BOLD | A_REVERSE,
        [THEME_BUTTON_FOCUS] = A_REVERSE,
        [THEME_JSON_KEY] = A_BOLD,
        [THEME_DIFF_ADD] = A_BOLD,
        [THEME_DIFF_REMOVE] = A_DIM,
        [THEME_DIM] = A_DIM,
};

static const struct {
	const char *name;
	attr_t attr;
} attr_names[] = {
        {"bold", A_BOLD}, {"underline", A_UNDERLINE}, {"reverse", A_REVERSE},
        {"dim", A_DIM},   {"italic", A_ITALIC},       {"standout", A_STANDOUT},
};

static const char *const ansi_names[8] = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

/* xterm's default RGB for ANSI 0-15: what "nearest" measures against. */
static const unsigned char ansi_rgb[16][3] = {
        {0x00, 0x00, 0x00}, {0xcd, 0x00, 0x00}, {0x00, 0xcd, 0x00}, {0xcd, 0xcd, 0x00},
        {0x00, 0x00, 0xee}, {0xcd, 0x00, 0xcd}, {0x00, 0xcd, 0xcd}, {0xe5, 0xe5, 0xe5},
        {0x7f, 0x7f, 0x7f}, {0xff, 0x00, 0x00}, {0x00, 0xff, 0x00}, {0xff, 0xff, 0x00},
        {0x5c, 0x5c, 0xff}, {0xff, 0x00, 0xff}, {0x00, 0xff, 0xff}, {0xff, 0xff, 0xff},
};

const char *
theme_role_name(enum theme_role r)
{
	return (unsigned)r < THEME_N_ROLES ? role_names[r] : "?";
}

/* --- colours ---------------------------------------------------------------- */

static void
index_rgb(int i, unsigned char rgb[3])
{
	static const unsigned char cube[6] = {0, 95, 135, 175, 215, 255};

	if (i < 16) {
		memcpy(rgb, ansi_rgb[i], 3);
	} else if (i < 232) {
		i -= 16;
		rgb[0] = cube[i / 36];
		rgb[1] = cube[(i / 6) % 6];
		rgb[2] = cube[i % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = (unsigned char)(8 + 10 * (i - 232));
	}
}

static long
rgb_distance(const unsigned char a[3], const unsigned char b[3])
{
	long d = 0;

	for (int k = 0; k < 3; k++)
		d += ((long)a[k] - b[k]) * ((long)a[k] - b[k]);
	return d;
}

/* The nearest of colours [from, to) by RGB distance. */
static int
nearest(const unsigned char rgb[3], int from, int to)
{
	unsigned char c[3];
	long d, best_d = LONG_MAX;
	int best = from;

	for (int i = from; i < to; i++) {
		index_rgb(i, c);
		if ((d = rgb_distance(rgb, c)) < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

/* The nearest of the 8 basic colours. A grey goes to black or white,
 * whichever is nearer, never to a hue that happens to be closer in RGB
 * (#6c6c6c is nearer yellow than black). */
static int
nearest8(const unsigned char rgb[3])
{
	int lo = rgb[0], hi = rgb[0];

	for (int k = 1; k < 3; k++) {
		lo = rgb[k] < lo ? rgb[k] : lo;
		hi = rgb[k] > hi ? rgb[k] : hi;
	}
	if (hi - lo <= 24)
		return (lo + hi) / 2 < (ansi_rgb[COLOR_WHITE][0] + 1) / 2 ? COLOR_BLACK : COLOR_WHITE;
	return nearest(rgb, 0, 8);
}

/* Parses a colour literal: default, an ANSI name, 0-255 or "#rrggbb".
 * Returns 0, or -1 when s is none of these. */
static int
colour_parse(const char *s, struct colour *c)
{
	unsigned int v[3];
	char *end;
	long n;

	memset(c, 0, sizeof(*c));
	if (strcmp(s, "default") == 0) {
		c->kind = COLOUR_DEFAULT;
		return 0;
	}
	for (int i = 0; i < 8; i++) {
		if (strcmp(s, ansi_names[i]) == 0 ||
		    (strncmp(s, "bright-", 7) == 0 && strcmp(s + 7, ansi_names[i]) == 0)) {
			c->kind = COLOUR_INDEX;
			c->index = s[0] == 'b' && s[1] == 'r' ? i + 8 : i;
			return 0;
		}
	}
	if (s[0] >= '0' && s[0] <= '9' && strlen(s) <= 3) {
		n = strtol(s, &end, 10);
		if (*end != '\0' || n > 255)
			return -1;
		c->kind = COLOUR_INDEX;
		c->index = (int)n;
		return 0;
	}
	if (s[0] == '#' && strlen(s) == 7 && strspn(s + 1, "0123456789abcdefABCDEF") == 6 &&
	    sscanf(s + 1, "%2x%2x%2x", &v[0], &v[1], &v[2]) == 3) {
		c->kind = COLOUR_RGB;
		for (int k = 0; k < 3; k++)
			c->rgb[k] = (unsigned char)v[k];
		return 0;
	}
	return -1;
}

static const struct colour *
palette_find(const struct theme *t, const char *name)
{
	for (size_t i = 0; i < t->n_palette; i++)
		if (strcmp(t->palette[i].name, name) == 0)
			return &t->palette[i].colour;
	return NULL;
}

/* The colour number for a terminal with ncolors colours (>= 8), -1 for the
 * terminal's default. *bright is set when an ANSI bright colour was folded
 * to its basic one (A_BOLD brightens it on most terminals). */
static int
colour_fit(const struct theme *t, const struct colour *c, int ncolors, bool *bright)
{
	unsigned char rgb[3];

	*bright = false;
	if (c->kind == COLOUR_PALETTE)
		c = palette_find(t, c->ref); /* checked when the theme was loaded */
	if (c == NULL || c->kind == COLOUR_DEFAULT)
		return -1;
	if (c->kind == COLOUR_INDEX) {
		if (ncolors >= 256 || c->index < 8 || (c->index < 16 && ncolors >= 16))
			return c->index;
		index_rgb(c->index, rgb);
		*bright = c->index > 8 && c->index < 16;
	} else {
		memcpy(rgb, c->rgb, 3);
		if (ncolors >= 256)
			return nearest(rgb, 16, 256); /* 0-15 are the user's to redefine */
	}
	return nearest8(rgb);
}

static bool
theme_is_colourless(const struct theme *t)
{
	bool bright;

	for (int r = 0; r < THEME_N_ROLES; r++)
		if (colour_fit(t, &t->roles[r].fg, 256, &bright) != -1 ||
		    colour_fit(t, &t->roles[r].bg, 256, &bright) != -1)
			return false;
	return true;
}

void
theme_resolve(const struct theme *t, enum theme_role r, int ncolors, int *fg, int *bg, attr_t *attrs)
{
	unsigned char frgb[3], brgb[3];
	bool fbright, bbright;

	*fg = *bg = -1;
	*attrs = A_NORMAL;
	if (t == NULL || (unsigned)r >= THEME_N_ROLES)
		return;
	if (ncolors < 8 || theme_is_colourless(t)) {
		*attrs = t->mono[r];
		return;
	}
	*attrs = t->roles[r].attrs;
	*fg = colour_fit(t, &t->roles[r].fg, ncolors, &fbright);
	*bg = colour_fit(t, &t->roles[r].bg, ncolors, &bbright);
	if (fbright)
		*attrs |= A_BOLD;
	/* Two different colours folded into one: text would vanish. Take
	 * black or white, whichever stands out from the background. */
	if (*fg >= 0 && *fg == *bg && ncolors < 256) {
		index_rgb(*bg, brgb);
		index_rgb(*fg, frgb);
		*fg = (brgb[0] * 299 + brgb[1] * 587 + brgb[2] * 114) / 1000 > 128 ? COLOR_BLACK : COLOR_WHITE;
	}
}

/* --- loading ------------------------------------------------------------------ */

/* The files being loaded, outermost first, to refuse inherits cycles. */
struct chain {
	char *real[THEME_DEPTH_MAX + 1];
	const char *shown[THEME_DEPTH_MAX + 1];
	int n;
};

struct loader {
	const char *file; /* as shown in errors */
	yaml_document_t doc;
	struct theme *t;
	struct chain *chain;
	struct irsa_error *err;
};

static struct theme *load_path(const char *path, struct chain *chain, struct irsa_error *err);
static int loader_error(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* "FILE:LINE: what", IRSA_ERR_PARSE. Returns -1. */
static int
loader_error(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	irsa_error_set(l->err, IRSA_ERR_PARSE, "%s:%zu: %s", l->file, n != NULL ? n->start_mark.line + 1 : 1, what);
	return irsa_error_hint(l->err,
	                       "Check the theme with 'irsa themes --check %s'; themes/README.md describes "
	                       "the format.",
	                       l->file);
}

static struct theme *
theme_base(void)
{
	struct theme *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	snprintf(t->name, sizeof(t->name), "base");
	for (int r = 0; r < THEME_N_ROLES; r++) {
		t->roles[r].attrs = base_attrs[r];
		t->mono[r] = base_attrs[r];
		t->drawn[r] = base_attrs[r];
	}
	return t;
}

static bool
node_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return *v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	       strcmp(v, "NULL") == 0;
}

static const char *
node_kind(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	return node_is_null(n) ? "nothing" : "a string";
}

static const char *
scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* n must be a non-empty string; "what" names it in the error. */
static int
want_string(struct loader *l, const yaml_node_t *n, const char *what, const char *example, const char **out)
{
	if (n->type != YAML_SCALAR_NODE || node_is_null(n))
		return loader_error(l, n, "%s: expected %s, got %s", what, example, node_kind(n));
	*out = scalar(n);
	return 0;
}

/* n must be a mapping whose keys are strings, each once. */
static int
want_mapping(struct loader *l, const yaml_node_t *n, const char *what, const char *example)
{
	yaml_node_pair_t *p, *q;
	yaml_node_t *k, *k2;

	if (n->type != YAML_MAPPING_NODE)
		return loader_error(l, n, "%s: expected a mapping such as %s, got %s", what, example, node_kind(n));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&l->doc, p->key);
		if (k->type != YAML_SCALAR_NODE)
			return loader_error(l, k, "%s: keys must be names, not %s", what, node_kind(k));
		for (q = n->data.mapping.pairs.start; q < p; q++) {
			k2 = yaml_document_get_node(&l->doc, q->key);
			if (k2->type == YAML_SCALAR_NODE && strcmp(scalar(k), scalar(k2)) == 0)
				return loader_error(l, k, "%s: duplicate key \"%s\" (first at line %zu)", what,
				                    scalar(k), k2->start_mark.line + 1);
		}
	}
	return 0;
}

/* ", did you mean \"x\"?" when a candidate is close to word, else "". */
static void
suggest(const char *word, const char *const *candidates, size_t n, char *out, size_t outsz)
{
	size_t best_d = 3, d;
	const char *best = NULL;

	for (size_t i = 0; i < n; i++) {
		if (candidates[i] == NULL)
			continue;
		if ((d = editdist(word, candidates[i], true)) < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	if (best != NULL)
		snprintf(out, outsz, "; did you mean \"%s\"?", best);
	else
		out[0] = '\0';
}

static int
role_find(struct loader *l, const yaml_node_t *k, const char *section)
{
	char hint[80];

	for (int r = 0; r < THEME_N_ROLES; r++)
		if (strcmp(scalar(k), role_names[r]) == 0)
			return r;
	suggest(scalar(k), role_names, THEME_N_ROLES, hint, sizeof(hint));
	return loader_error(l, k, "%s: unknown role \"%s\"%s", section, scalar(k),
	                    hint[0] != '\0' ? hint : " (irsa themes --show lists the roles)");
}

static int
attrs_parse(struct loader *l, const yaml_node_t *n, const char *what, attr_t *out)
{
	static const char *const names[] = {"bold", "underline", "reverse", "dim", "italic", "standout"};
	yaml_node_item_t *i;
	yaml_node_t *item;
	char hint[80];
	size_t k;

	*out = A_NORMAL;
	if (n->type != YAML_SEQUENCE_NODE)
		return loader_error(l, n, "%s: expected a list such as [bold, underline], got %s", what, node_kind(n));
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
		item = yaml_document_get_node(&l->doc, *i);
		if (item->type != YAML_SCALAR_NODE || node_is_null(item))
			return loader_error(l, item, "%s: expected an attribute name, got %s", what, node_kind(item));
		for (k = 0; k < sizeof(attr_names) / sizeof(attr_names[0]); k++)
			if (strcmp(scalar(item), attr_names[k].name) == 0)
				break;
		if (k == sizeof(attr_names) / sizeof(attr_names[0])) {
			suggest(scalar(item), names, sizeof(names) / sizeof(names[0]), hint, sizeof(hint));
			return loader_error(l, item,
			                    "%s: unknown attribute \"%s\" (bold, underline, reverse, dim, italic or "
			                    "standout)%s",
			                    what, scalar(item), hint);
		}
		*out |= attr_names[k].attr;
	}
	return 0;
}

/* A palette value (literal only) or a role's fg/bg (a palette name too). */
static int
colour_node(struct loader *l, const yaml_node_t *n, const char *what, bool palette_ok, struct colour *c)
{
	const char *s;

	if (n->type == YAML_SCALAR_NODE && node_is_null(n))
		return loader_error(l, n,
		                    "%s: expected a colour, got nothing (quote \"#rrggbb\" colours: an unquoted # "
		                    "starts a comment)",
		                    what);
	if (want_string(l, n, what, "a colour", &s) != 0)
		return -1;
	if (palette_ok && palette_find(l->t, s) != NULL) {
		memset(c, 0, sizeof(*c));
		c->kind = COLOUR_PALETTE;
		snprintf(c->ref, sizeof(c->ref), "%s", s);
		return 0;
	}
	if (colour_parse(s, c) == 0)
		return 0;
	return loader_error(l, n,
	                    "%s: unknown colour \"%s\" (%san ANSI name such as red or bright-blue, 0-255, "
	                    "\"#rrggbb\" or default)",
	                    what, s, palette_ok ? "a palette name, " : "");
}

static int
palette_parse(struct loader *l, const yaml_node_t *map)
{
	struct palette_entry *e;
	struct colour e_colour;
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	char what[THEME_NAME_MAX + 16];

	if (want_mapping(l, map, "palette", "{accent: \"#5fafff\"}") != 0)
		return -1;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&l->doc, p->key);
		v = yaml_document_get_node(&l->doc, p->value);
		if (strlen(scalar(k)) >= THEME_NAME_MAX || scalar(k)[0] == '\0')
			return loader_error(l, k, "palette: a name must have 1 to %d characters", THEME_NAME_MAX - 1);
		snprintf(what, sizeof(what), "palette.%s", scalar(k));
		if (colour_parse(scalar(k), &e_colour) == 0)
			return loader_error(l, k, "%s: a colour cannot be a palette name (a name such as accent)",
			                    what);
		e = NULL;
		for (size_t i = 0; i < l->t->n_palette; i++)
			if (strcmp(l->t->palette[i].name, scalar(k)) == 0)
				e = &l->t->palette[i];
		if (e == NULL) {
			if (l->t->n_palette == THEME_PALETTE_MAX)
				return loader_error(l, k, "palette: more than %d colours", THEME_PALETTE_MAX);
			e = &l->t->palette[l->t->n_palette++];
			snprintf(e->name, sizeof(e->name), "%s", scalar(k));
		}
		if (colour_node(l, v, what, false, &e->colour) != 0)
			return -1;
	}
	return 0;
}

static int
role_parse(struct loader *l, const yaml_node_t *map, int r)
{
	struct style s = {.fg = {.kind = COLOUR_DEFAULT}, .bg = {.kind = COLOUR_DEFAULT}};
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	char what[96];
	const char *key;

	snprintf(what, sizeof(what), "roles.%s", role_names[r]);
	if (want_mapping(l, map, what, "{fg: accent, bg: default, attrs: [bold]}") != 0)
		return -1;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&l->doc, p->key);
		v = yaml_document_get_node(&l->doc, p->value);
		key = scalar(k);
		snprintf(what, sizeof(what), "roles.%s.%s", role_names[r], key);
		if (strcmp(key, "fg") == 0) {
			if (colour_node(l, v, what, true, &s.fg) != 0)
				return -1;
		} else if (strcmp(key, "bg") == 0) {
			if (colour_node(l, v, what, true, &s.bg) != 0)
				return -1;
		} else if (strcmp(key, "attrs") == 0) {
			if (attrs_parse(l, v, what, &s.attrs) != 0)
				return -1;
		} else {
			return loader_error(l, k, "roles.%s: unknown key \"%s\" (fg, bg or attrs)", role_names[r], key);
		}
	}
	l->t->roles[r] = s;
	return 0;
}

static int
roles_parse(struct loader *l, const yaml_node_t *map)
{
	yaml_node_pair_t *p;
	int r;

	if (want_mapping(l, map, "roles", "{title: {fg: accent}}") != 0)
		return -1;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		if ((r = role_find(l, yaml_document_get_node(&l->doc, p->key), "roles")) < 0)
			return -1;
		if (role_parse(l, yaml_document_get_node(&l->doc, p->value), r) != 0)
			return -1;
	}
	return 0;
}

static int
mono_parse(struct loader *l, const yaml_node_t *map)
{
	yaml_node_pair_t *p;
	char what[96];
	int r;

	if (want_mapping(l, map, "mono", "{table.cursor: [reverse]}") != 0)
		return -1;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		if ((r = role_find(l, yaml_document_get_node(&l->doc, p->key), "mono")) < 0)
			return -1;
		snprintf(what, sizeof(what), "mono.%s", role_names[r]);
		if (attrs_parse(l, yaml_document_get_node(&l->doc, p->value), what, &l->t->mono[r]) != 0)
			return -1;
	}
	return 0;
}

static char *
path_join(const char *dir, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

static bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Why path is not a theme file we can read, or NULL when it is one. */
static const char *
file_problem(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? "no such theme file" : strerror(errno);
	return S_ISREG(st.st_mode) ? NULL : "not a regular file";
}

static bool
name_is_path(const char *name)
{
	size_t n = strlen(name);

	return strchr(name, '/') != NULL || (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

size_t
theme_dirs(char **dirs, size_t max)
{
	const char *candidates[3] = {NULL, NULL, NULL}, *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *user = NULL;
	size_t n = 0;

	if (xdg != NULL && xdg[0] == '/')
		user = path_join(xdg, "irsa/themes", "");
	else if (home != NULL && home[0] != '\0')
		user = path_join(home, ".config/irsa/themes", "");
	candidates[0] = user;
#ifdef IRSA_THEMES_DIR
	candidates[1] = IRSA_THEMES_DIR;
#endif
#ifdef IRSA_SRCDIR_THEMES
	candidates[2] = IRSA_SRCDIR_THEMES;
	if (candidates[1] != NULL && strcmp(candidates[1], candidates[2]) == 0)
		candidates[2] = NULL;
#endif
	for (size_t i = 0; i < 3; i++) {
		char *real;

		if (candidates[i] == NULL)
			continue;
		/* A build tree's source path may read "_build/sub/../../themes":
		 * show where the files really are. */
		real = realpath(candidates[i], NULL);
		if (n < max && (dirs[n] = real != NULL ? real : strdup(candidates[i])) == NULL)
			break;
		if (n >= max)
			free(real);
		n++;
	}
	free(user);
	return n < max ? n : max;
}

/* Whether path is one of the files being loaded. */
static bool
chain_has(const struct chain *chain, const char *path)
{
	char *real;
	bool found = false;

	if (chain == NULL || (real = realpath(path, NULL)) == NULL)
		return false;
	for (int i = 0; i < chain->n && !found; i++)
		found = strcmp(chain->real[i], real) == 0;
	free(real);
	return found;
}

/* The file theme `name` is read from: name itself when it is a path
 * (relative ones taken from dir when dir is given), else NAME.yaml in the
 * first search directory that has it. A NAME.yaml being loaded (chain) is
 * passed over, so that ~/.config/irsa/themes/default.yaml may inherit the
 * shipped default; when there is no other, it is returned (a cycle).
 * Returns a new string, or NULL with err set (not found, out of memory). */
static char *
theme_find(const char *name, const char *dir, const struct chain *chain, struct irsa_error *err)
{
	char *dirs[4], *path = NULL, *looped = NULL, searched[400] = "";
	const char *problem;
	size_t n, i;

	if (name_is_path(name)) {
		if (dir != NULL && name[0] != '/')
			path = path_join(dir, name, "");
		else
			path = strdup(name);
		if (path == NULL) {
			irsa_error_oom(err);
			return NULL;
		}
		if ((problem = file_problem(path)) != NULL) {
			irsa_error_set(err, IRSA_ERR_NOT_FOUND, "%s: %s", path, problem);
			free(path);
			return NULL;
		}
		return path;
	}
	n = theme_dirs(dirs, sizeof(dirs) / sizeof(dirs[0]));
	for (i = 0; i < n; i++) {
		if (path == NULL && (path = path_join(dirs[i], name, ".yaml")) != NULL) {
			if (is_file(path) && chain_has(chain, path) && looped == NULL) {
				looped = path;
				path = NULL;
			} else if (!is_file(path) || chain_has(chain, path)) {
				free(path);
				path = NULL;
			}
		}
		snprintf(searched + strlen(searched), sizeof(searched) - strlen(searched), "%s%s", i > 0 ? ", " : "",
		         dirs[i]);
	}
	for (i = 0; i < n; i++)
		free(dirs[i]);
	if (path == NULL && looped != NULL)
		return looped;
	free(looped);
	if (path == NULL) {
		irsa_error_set(err, IRSA_ERR_NOT_FOUND, "%s: no such theme (searched %s)", name,
		               n > 0 ? searched : "nowhere: neither XDG_CONFIG_HOME nor HOME is set");
		irsa_error_hint(err, "Run 'irsa themes' to list the themes; a theme is NAME.yaml in one of those "
		                     "directories.");
	}
	return path;
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int
inherits_parse(struct loader *l, const yaml_node_t *n)
{
	const char *name;
	char *dir, *path, *real, cycle[400];
	struct theme *parent;
	struct irsa_error sub;

	if (want_string(l, n, "inherits", "a theme name or file", &name) != 0)
		return -1;
	if (strcmp(name, "base") == 0)
		return 0; /* the built-in plain theme: already there */
	if (l->chain->n > THEME_DEPTH_MAX)
		return loader_error(l, n, "inherits: more than %d levels", THEME_DEPTH_MAX);
	if ((dir = dir_of(l->file)) == NULL)
		return irsa_error_oom(l->err);
	path = theme_find(name, dir, l->chain, &sub);
	free(dir);
	if (path == NULL)
		return loader_error(l, n, "inherits: %s", sub.message);
	if ((real = realpath(path, NULL)) == NULL) {
		free(path);
		return loader_error(l, n, "inherits: %s: %s", name, strerror(errno));
	}
	for (int i = 0; i < l->chain->n; i++) {
		if (strcmp(l->chain->real[i], real) != 0)
			continue;
		cycle[0] = '\0';
		for (int j = i; j < l->chain->n; j++)
			snprintf(cycle + strlen(cycle), sizeof(cycle) - strlen(cycle), "%s -> ", l->chain->shown[j]);
		snprintf(cycle + strlen(cycle), sizeof(cycle) - strlen(cycle), "%s", path);
		free(real);
		free(path);
		return loader_error(l, n, "inherits cycle: %s", cycle);
	}
	free(real);
	parent = load_path(path, l->chain, l->err);
	free(path);
	if (parent == NULL)
		return -1;
	free(l->t->file);
	*l->t = *parent;
	l->t->file = NULL;
	theme_free(parent);
	return 0;
}

/* Reads path whole into text (capped). */
static int
file_read(const char *path, struct buf *text, struct irsa_error *err)
{
	char chunk[8192];
	struct stat st;
	size_t n;
	FILE *f;

	buf_init(text, THEME_FILE_MAX);
	if ((f = fopen(path, "rb")) == NULL)
		return irsa_error_set(err, errno == ENOENT ? IRSA_ERR_NOT_FOUND : IRSA_ERR_IO, "%s: %s", path,
		                      strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return irsa_error_set(err, IRSA_ERR_IO, "%s: is a directory, not a theme file", path);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(text, chunk, n) != 0)
			break;
	if (ferror(f) || text->failed) {
		int e = text->failed ? text->error : errno;

		fclose(f);
		buf_release(text);
		if (e == E2BIG)
			return irsa_error_set(err, IRSA_ERR_LIMIT, "%s: larger than %d KiB: not a theme file", path,
			                      THEME_FILE_MAX / 1024);
		return irsa_error_set(err, IRSA_ERR_IO, "%s: %s", path, strerror(e));
	}
	fclose(f);
	return 0;
}

/* The top level of one file, in the order that makes late keys see early
 * ones whatever order they are written in: name, inherits, palette, roles,
 * mono. */
static int
document_parse(struct loader *l, const yaml_node_t *root)
{
	static const char *const keys[] = {"name", "inherits", "palette", "roles", "mono"};
	const yaml_node_t *found[5] = {NULL};
	yaml_node_pair_t *p;
	yaml_node_t *k;
	const char *name;
	char hint[80];
	size_t i;

	if (root == NULL)
		return loader_error(l, NULL, "empty file: a theme is a mapping with at least a name");
	if (root->type != YAML_MAPPING_NODE)
		return loader_error(l, root, "a theme is a mapping (name, inherits, palette, roles, mono), not %s",
		                    node_kind(root));
	if (want_mapping(l, root, "theme", "{name: NAME}") != 0)
		return -1;
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&l->doc, p->key);
		for (i = 0; i < 5; i++)
			if (strcmp(scalar(k), keys[i]) == 0)
				break;
		if (i == 5) {
			suggest(scalar(k), keys, 5, hint, sizeof(hint));
			return loader_error(l, k, "unknown key \"%s\" (name, inherits, palette, roles or mono)%s",
			                    scalar(k), hint);
		}
		found[i] = yaml_document_get_node(&l->doc, p->value);
	}
	if (found[0] == NULL)
		return loader_error(l, root, "missing name (every theme starts with `name: NAME`)");
	if (want_string(l, found[0], "name", "the theme's name", &name) != 0)
		return -1;
	if (strlen(name) >= THEME_NAME_MAX)
		return loader_error(l, found[0], "name: longer than %d characters", THEME_NAME_MAX - 1);
	if (found[1] != NULL && inherits_parse(l, found[1]) != 0)
		return -1;
	snprintf(l->t->name, sizeof(l->t->name), "%s", name);
	if (found[2] != NULL && palette_parse(l, found[2]) != 0)
		return -1;
	if (found[3] != NULL && roles_parse(l, found[3]) != 0)
		return -1;
	if (found[4] != NULL && mono_parse(l, found[4]) != 0)
		return -1;
	return 0;
}

static struct theme *
load_path(const char *path, struct chain *chain, struct irsa_error *err)
{
	struct loader l = {.file = path, .chain = chain, .err = err};
	yaml_parser_t parser;
	yaml_document_t extra;
	struct buf text;
	int rc = -1;

	if (file_read(path, &text, err) != 0)
		return NULL;
	if ((l.t = theme_base()) == NULL || (l.t->file = strdup(path)) == NULL ||
	    (chain->real[chain->n] = realpath(path, NULL)) == NULL) {
		if (l.t != NULL && l.t->file != NULL)
			irsa_error_set(err, IRSA_ERR_IO, "%s: %s", path, strerror(errno));
		else
			irsa_error_oom(err);
		theme_free(l.t);
		buf_release(&text);
		return NULL;
	}
	chain->shown[chain->n++] = path;
	if (!yaml_parser_initialize(&parser)) {
		irsa_error_oom(err);
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf_cstr(&text), text.len);
	if (!yaml_parser_load(&parser, &l.doc)) {
		irsa_error_set(err, IRSA_ERR_PARSE, "%s:%zu: YAML syntax error: %s%s%s", path,
		               parser.problem_mark.line + 1, parser.problem != NULL ? parser.problem : "malformed YAML",
		               parser.context != NULL ? " " : "", parser.context != NULL ? parser.context : "");
		irsa_error_hint(err, "Fix the YAML (indentation, quotes, a missing ':').");
		yaml_parser_delete(&parser);
		goto out;
	}
	rc = document_parse(&l, yaml_document_get_root_node(&l.doc));
	if (rc == 0 && !yaml_parser_load(&parser, &extra)) {
		rc = irsa_error_set(err, IRSA_ERR_PARSE, "%s:%zu: YAML syntax error: %s", path,
		                    parser.problem_mark.line + 1,
		                    parser.problem != NULL ? parser.problem : "malformed YAML");
	} else if (rc == 0) {
		if (yaml_document_get_root_node(&extra) != NULL)
			rc = loader_error(&l, yaml_document_get_root_node(&extra),
			                  "a second YAML document: a theme file holds one");
		yaml_document_delete(&extra);
	}
	yaml_document_delete(&l.doc);
	yaml_parser_delete(&parser);
out:
	chain->n--;
	free(chain->real[chain->n]);
	chain->real[chain->n] = NULL;
	buf_release(&text);
	if (rc != 0) {
		theme_free(l.t);
		return NULL;
	}
	free(l.t->file);
	if ((l.t->file = strdup(path)) == NULL) {
		irsa_error_oom(err);
		theme_free(l.t);
		return NULL;
	}
	return l.t;
}

struct theme *
theme_load(const char *name, struct irsa_error *err)
{
	struct chain chain = {.n = 0};
	struct theme *t;
	char *path;

	irsa_error_clear(err);
	if (name == NULL || name[0] == '\0') {
		irsa_error_set(err, IRSA_ERR_INVALID_INPUT, "an empty theme name");
		return NULL;
	}
	if (strcmp(name, "base") == 0) {
		if ((t = theme_base()) == NULL)
			irsa_error_oom(err);
		return t;
	}
	if ((path = theme_find(name, NULL, NULL, err)) == NULL)
		return NULL;
	t = load_path(path, &chain, err);
	free(path);
	return t;
}

/* The `theme:` of the config file, read once. The file is a YAML mapping;
 * other keys are left for the settings that will join it. */
const char *
theme_from_config(void)
{
	static char value[THEME_NAME_MAX], path[PATH_MAX];
	static bool read;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	bool want = false, in_map = false;
	size_t n_scalars = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	FILE *f;
	int depth = 0;

	if (read)
		return value[0] != '\0' ? value : NULL;
	read = true;
	if (xdg != NULL && xdg[0] == '/')
		snprintf(path, sizeof(path), "%s/irsa/config.yaml", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(path, sizeof(path), "%s/.config/irsa/config.yaml", home);
	else
		return NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return NULL;
	}
	yaml_parser_set_input_file(&parser, f);
	while (yaml_parser_parse(&parser, &ev)) {
		yaml_event_type_t type = ev.type;

		if (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT) {
			in_map = depth == 0 && type == YAML_MAPPING_START_EVENT;
			depth++;
		} else if (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT) {
			depth--;
		} else if (type == YAML_SCALAR_EVENT && depth == 1 && in_map) {
			const char *v = (const char *)ev.data.scalar.value;

			/* keys and values alternate in a mapping of scalars */
			if (n_scalars++ % 2 == 0)
				want = strcmp(v, "theme") == 0;
			else if (want && ev.data.scalar.length < sizeof(value))
				snprintf(value, sizeof(value), "%s", v);
		}
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return value[0] != '\0' ? value : NULL;
}

const char *
theme_choose(const char *flag)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM"), *env = getenv("IRSA_THEME");

	if ((no_color != NULL && no_color[0] != '\0') || (term != NULL && strcmp(term, "dumb") == 0))
		return "mono";
	if (flag != NULL && flag[0] != '\0')
		return flag;
	if (env != NULL && env[0] != '\0')
		return env;
	if (theme_from_config() != NULL)
		return theme_from_config();
	return "default";
}

void
theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->file);
	free(t);
}

const char *
theme_name(const struct theme *t)
{
	return t->name;
}

const char *
theme_file(const struct theme *t)
{
	return t->file;
}

/* --- curses -------------------------------------------------------------------- */

void
theme_start(struct theme *t)
{
#ifndef HAVE_ALLOC_PAIR
	short table[THEME_N_ROLES][2];
	int n_table = 0;
#endif
	bool defaults;
	attr_t attrs;
	int fg, bg, pair;

	t->started = true;
	if (!has_colors() || theme_is_colourless(t)) {
		memcpy(t->drawn, t->mono, sizeof(t->drawn));
		return;
	}
	start_color();
	defaults = use_default_colors() == OK;
	for (int r = 0; r < THEME_N_ROLES; r++) {
		theme_resolve(t, (enum theme_role)r, COLORS, &fg, &bg, &attrs);
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		pair = 0;
		if (fg != -1 || bg != -1) {
#ifdef HAVE_ALLOC_PAIR
			pair = alloc_pair(fg, bg);
#else
			pair = -1;
			for (int i = 0; i < n_table; i++)
				if (table[i][0] == fg && table[i][1] == bg)
					pair = i + 1;
			if (pair < 0 && n_table + 1 < COLOR_PAIRS &&
			    init_pair((short)(n_table + 1), (short)fg, (short)bg) == OK) {
				table[n_table][0] = (short)fg;
				table[n_table][1] = (short)bg;
				pair = ++n_table;
			}
#endif
		}
		/* A pair curses cannot give (or cannot fit in an attr_t):
		 * this role falls back to its mono attributes. */
		if (pair < 0 || pair > 255)
			t->drawn[r] = t->mono[r];
		else
			t->drawn[r] = attrs | (attr_t)COLOR_PAIR(pair);
	}
}

attr_t
theme_attr(const struct theme *t, enum theme_role r)
{
	if (t == NULL || (unsigned)r >= THEME_N_ROLES)
		return A_NORMAL;
	return t->started ? t->drawn[r] : t->mono[r];
}
