/* tui/theme.h - themes: YAML files (themes/NAME.yaml, $XDG_CONFIG_HOME/irsa/
 * themes) mapping semantic roles to colours and attributes, with a mono
 * section for NO_COLOR, TERM=dumb and terminals without colours. Loading
 * and checking need no terminal; theme_attr() needs curses started. */
#ifndef IRSA_THEME_H
#define IRSA_THEME_H

#include <curses.h>
#include <stdbool.h>

#include "error.h"

/* The roles every screen draws with. */
enum theme_role {
	THEME_BODY,
	THEME_TITLE,
	THEME_CRUMB,
	THEME_CRUMB_ACTIVE,
	THEME_TABLE_HEADER,
	THEME_TABLE_CURSOR,
	THEME_TABLE_MARKED,
	THEME_HINT_KEY,
	THEME_HINT_TEXT,
	THEME_STATUS_OK,
	THEME_STATUS_WARN,
	THEME_STATUS_ERROR,
	THEME_FLASH_INFO,
	THEME_FLASH_WARN,
	THEME_FLASH_ERROR,
	THEME_DIALOG,
	THEME_BUTTON,
	THEME_BUTTON_FOCUS,
	THEME_JSON_KEY,
	THEME_JSON_STRING,
	THEME_JSON_NUMBER,
	THEME_JSON_PUNCT,
	THEME_DIFF_ADD,
	THEME_DIFF_REMOVE,
	THEME_DIM,
	THEME_N_ROLES,
};

struct theme;

/* The role's name in theme files ("table.cursor"). Static. */
const char *theme_role_name(enum theme_role r);

/* Loads theme name: a path (contains '/' or ends in .yaml), else
 * NAME.yaml from $XDG_CONFIG_HOME/irsa/themes, then the installed themes
 * directory, then the source tree's themes/ (for running from a build
 * directory). Returns NULL with err set: IRSA_ERR_NOT_FOUND naming the
 * places searched, IRSA_ERR_PARSE as "FILE:LINE: what is wrong". */
struct theme *theme_load(const char *name, struct irsa_error *err);

/* The theme to use: --theme, else IRSA_THEME, else the config file's, else
 * "default"; "mono" when
 * NO_COLOR is set and not empty or TERM is "dumb". */
const char *theme_choose(const char *flag);

/* The `theme: NAME` of the config file ($XDG_CONFIG_HOME/irsa/config.yaml,
 * else ~/.config/irsa/config.yaml), which theme_choose() takes after
 * IRSA_THEME; NULL when there is none. Read once; static. */
const char *theme_from_config(void);

void theme_free(struct theme *t);
const char *theme_name(const struct theme *t);

/* The file t was read from; NULL for the built-in "base". Borrowed. */
const char *theme_file(const struct theme *t);

/* The directories searched for NAME.yaml, in order: fills dirs with new
 * strings (the caller frees each) and returns how many (at most max). */
size_t theme_dirs(char **dirs, size_t max);

/* Role r as drawn on a terminal with ncolors colours (256, 16, 8; below 8:
 * none, the mono attributes): colour numbers, -1 for the terminal's
 * default. Needs no terminal (irsa themes --show). */
void theme_resolve(const struct theme *t, enum theme_role r, int ncolors, int *fg, int *bg, attr_t *attrs);

/* After initscr(): allocates colour pairs for the terminal's colours
 * (256, 8 or none: then the mono section). */
void theme_start(struct theme *t);

/* The curses attributes (colour pair included) of role r. */
attr_t theme_attr(const struct theme *t, enum theme_role r);

#endif
